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
