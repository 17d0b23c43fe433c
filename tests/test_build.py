"""Labelling segmented units by ground truth when building the shipped model."""

import numpy as np
import pytest

from digitcam.build import GlyphSet, balance, match_unit
from digitcam.types import NOT_GLYPH, Box

TRUTH = (("7", Box(100, 50, 20, 30)), ("-", Box(125, 62, 10, 4)), ("4", Box(140, 50, 21, 30)))


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        (Box(100, 50, 20, 30), "7"),  # exact
        (Box(101, 49, 19, 32), "7"),  # a pixel off
        (Box(300, 50, 20, 30), NOT_GLYPH),  # clutter, overlaps nothing
        (Box(104, 55, 8, 10), None),  # a counter or fragment inside a digit: no clean label
        (Box(100, 50, 61, 30), None),  # a merge of 7-4: no clean label
        (Box(125, 62, 10, 4), None),  # the minus is a mark, never a glyph sample
    ],
)
def test_match_unit(box, expected):
    assert match_unit(box, TRUTH) == expected


def test_balance_caps_each_class_and_is_seeded():
    labels = tuple("1" * 50 + "2" * 5 + NOT_GLYPH * 80)
    data = GlyphSet(np.zeros((len(labels), 20, 20), np.float32), labels)
    a = balance(data, per_class=10, reject=20, seed=1)
    b = balance(data, per_class=10, reject=20, seed=1)
    assert a.labels.count("1") == 10
    assert a.labels.count("2") == 5
    assert a.labels.count(NOT_GLYPH) == 20
    assert a.labels == b.labels


def test_display_scene_units_are_labelled_digits_and_clutter():
    from digitcam.build import display_scene_glyphs

    data = display_scene_glyphs(range(7_200_000, 7_200_004))
    assert data.images.shape == (len(data.labels), 20, 20)
    digits = [lab for lab in data.labels if lab != NOT_GLYPH]
    assert len(digits) >= 8, "segment digits in display scenes become labelled samples"
    assert set(digits) <= set("0123456789")
    assert NOT_GLYPH in data.labels


def test_a_segment_one_is_labelled_by_the_cell_it_lights():
    # display scenes give a cell's box as truth; a 1 lights only its right-hand bars
    cell = (("1", Box(200, 50, 24, 40)), ("8", Box(230, 50, 24, 40)))
    assert match_unit(Box(216, 51, 7, 38), cell, cells=True) == "1"
    assert match_unit(Box(216, 51, 7, 18), cell, cells=True) is None  # one bar: a fragment
    assert match_unit(Box(232, 51, 7, 38), cell, cells=True) is None  # an 8's bars are no 1
    # printed truth boxes are ink: a narrow unit inside a 1's box is no label
    assert match_unit(Box(216, 51, 7, 38), cell) is None


WORD = (("T", Box(100, 50, 20, 30)), ("e", Box(122, 58, 16, 22)), ("O", Box(140, 50, 22, 30)))


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        (Box(100, 50, 20, 30), NOT_GLYPH),  # a whole T: its stem and bar read as a 7
        (Box(121, 57, 17, 23), NOT_GLYPH),  # a whole e, a pixel off
        (Box(140, 50, 22, 30), None),  # an O is a 0 in some faces: never against a digit
        (Box(136, 50, 26, 30), None),  # an e merged into the O touches the look-alike
        (Box(100, 50, 8, 30), None),  # a piece of the T (its stem alone is a 1)
        (Box(300, 50, 20, 30), None),  # clutter: the number scenes hold plenty
    ],
)
def test_label_word_unit(box, expected):
    from digitcam.build import label_word_unit

    assert label_word_unit(box, WORD) == expected


def test_word_scene_units_are_letters_labelled_not_a_glyph():
    from digitcam import synth
    from digitcam.build import WORD_LOOKALIKES, word_scene_glyphs

    train, _ = synth.split_faces(synth.printed_faces())
    data = word_scene_glyphs(range(7_300_000, 7_300_010), faces=train)
    assert data.images.shape == (len(data.labels), 20, 20)
    assert len(data.labels) >= 20, "ten scenes of words give letters to learn from"
    assert set(data.labels) == {NOT_GLYPH}
    assert "T" not in WORD_LOOKALIKES
    assert {"O", "o", "l", "I", "S", "B"} <= set(WORD_LOOKALIKES)
