"""Tests for the seven-segment scene generator: seeded, truthful, varied, and the counter."""

from __future__ import annotations

import numpy as np
import pytest

from digitcam.synth7 import (
    STYLES,
    CellSpec,
    CounterScene,
    SegmentLook,
    cells_text,
    make_display_scene,
    random_clock_text,
    random_display_text,
    render_cells,
)


def test_the_same_seed_gives_the_same_scene() -> None:
    a, b = make_display_scene(7), make_display_scene(7)
    assert np.array_equal(a.image, b.image)
    assert a.lines == b.lines
    assert a.style == b.style


def test_display_looks_never_use_a_decorative_face_and_use_every_other() -> None:
    from digitcam.synth import is_decorative, seven_segment_faces
    from digitcam.synth7 import random_look

    every = seven_segment_faces(decorative=True)
    if not any(is_decorative(f) for f in every):
        pytest.skip("fonts-dseg's decorative faces are not installed")
    # given many seeded looks (half of them drawn from the DSEG7 files)
    names = set()
    for seed in range(1500):
        look = random_look(np.random.default_rng(seed))
        if look.face is not None:
            names.add(look.face.name)
    # then no SEGG-CHAN face is drawn, and every display face is
    assert names == {f.name for f in every if not is_decorative(f)}


@pytest.mark.parametrize("style", STYLES)
def test_each_style_renders_a_frame_with_its_truth_and_corners_inside(style: str) -> None:
    s = make_display_scene(3, style=style)
    assert s.image.shape == (480, 640, 3)
    assert s.image.dtype == np.uint8
    assert s.style["display"] == style
    assert s.lines
    assert all(ln for ln in s.lines)
    assert (s.corners >= -1).all()
    assert (s.corners[:, 0] <= 641).all()
    assert (s.corners[:, 1] <= 481).all()


def test_truth_drops_blank_cells_and_keeps_marks() -> None:
    cells = [CellSpec(" "), CellSpec("-"), CellSpec("1", dot=True), CellSpec("5")]
    assert cells_text(cells) == "-1.5"


def test_random_texts_never_blank_inside_the_number() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        cells = random_display_text(rng, int(rng.integers(3, 9)))
        chars = [c.char for c in cells]
        first = next(i for i, c in enumerate(chars) if c != " ")
        assert " " not in chars[first:]
        assert sum(c.dot for c in cells) <= 1


def test_clock_texts_are_times_with_colons() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        text = cells_text(random_clock_text(rng))
        # H:MM, HH:MM, HH:MM:SS or MM:SS, every field in range
        fields = text.split(":")
        assert len(fields) in (2, 3), text
        assert all(f.isdigit() for f in fields), text
        assert all(len(f) == 2 for f in fields[1:]), text
        assert all(int(f) < 60 for f in fields), text


@pytest.mark.parametrize("kind", ["polygon", "dseg"])
def test_a_colon_takes_its_own_room_between_two_digits(kind: str) -> None:
    from digitcam.synth import seven_segment_faces

    faces = seven_segment_faces()
    if kind == "dseg" and not faces:
        pytest.skip("fonts-dseg is not installed")
    look = SegmentLook(kind, face=faces[0] if kind == "dseg" else None)
    plain = [CellSpec("1"), CellSpec("2"), CellSpec("4"), CellSpec("5")]
    clock = [CellSpec("1"), CellSpec("2", colon=True), CellSpec("4"), CellSpec("5")]
    lit0, _g0, boxes0 = render_cells(plain, look, height=40)
    lit, _g, boxes = render_cells(clock, look, height=40)
    # the truth has the colon, with a box between the digits around it
    assert cells_text(clock) == "12:45"
    assert [c for c, _b in boxes] == ["1", "2", ":", "4", "5"]
    two, colon, four = boxes[1][1], boxes[2][1], boxes[3][1]
    assert two.x2 <= colon.cx <= four.x
    # two dots: one in the upper half of the digits' height, one in the lower
    assert colon.y < two.y + two.h / 2 < colon.y2
    # the digits after it moved right to make room, the ones before did not
    assert boxes[0][1] == boxes0[0][1]
    assert boxes[3][1].x > boxes0[2][1].x
    assert lit.shape[1] > lit0.shape[1]


def test_clock_scenes_are_seeded_and_show_times() -> None:
    a, b = make_display_scene(11, clock=True), make_display_scene(11, clock=True)
    assert np.array_equal(a.image, b.image)
    assert a.lines == b.lines
    # every line is a time, and every colon has its box
    assert all(":" in line and set(line) <= set("0123456789:") for line in a.lines)
    assert sum(c == ":" for c, _b in a.boxes) == a.text.count(":")


def test_lit_and_ghost_masks_do_not_overlap() -> None:
    lit, ghost, boxes = render_cells([CellSpec("1"), CellSpec("7")], SegmentLook("polygon"),
                                     height=30)  # fmt: skip
    assert lit.shape == ghost.shape
    assert float((np.minimum(lit, ghost) > 0.5).sum()) == 0
    assert [c for c, _b in boxes] == ["1", "7"]


def test_the_counter_ticks_blanks_leading_zeros_and_shows_its_decimal() -> None:
    c = CounterScene(0, fps=10.0, tick_s=0.5)
    t0, t5 = c.text(0), c.text(5)
    assert float(t5) == pytest.approx(float(t0) + 0.1)
    assert (t0.count(".") == 1 and not t0.startswith("0")) or t0.startswith("0.")
    img, truth = c.frame(3)
    assert img.shape == (480, 640, 3)
    assert truth == c.text(3)
