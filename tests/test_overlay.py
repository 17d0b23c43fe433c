"""Tests for digitcam.overlay: boxes by confidence, characters, line panel, HUD, on a copy."""

from __future__ import annotations

import numpy as np
import pytest

from digitcam.overlay import ConfidenceColors, Overlay
from digitcam.stats import Hud
from digitcam.types import Box, Glyph, Reading

COLORS = ConfidenceColors()


def _reading(*glyphs: Glyph) -> Reading:
    text = "".join(g.char for g in glyphs)
    return Reading(0, (text,) if glyphs else (), (tuple(glyphs),) if glyphs else ())


def _blank(h: int = 200, w: int = 300) -> np.ndarray:
    return np.full((h, w, 3), 128, np.uint8)


def test_annotate_draws_on_a_copy() -> None:
    # given a frame and a reading
    image = _blank()
    before = image.copy()
    # when annotated
    out = Overlay().annotate(image, _reading(Glyph(Box(100, 80, 30, 50), "7", 0.95)), hud=Hud())
    # then the input is untouched and the output is a new BGR image of the same size
    assert np.array_equal(image, before)
    assert out is not image
    assert (out.shape, out.dtype) == ((200, 300, 3), np.uint8)
    assert not np.array_equal(out, image)


def test_gray_frames_come_back_as_bgr() -> None:
    # given a gray frame / when annotated / then a 3-channel copy
    out = Overlay().annotate(np.full((50, 60), 90, np.uint8), _reading())
    assert out.shape == (50, 60, 3)
    assert int(out[25, 30, 1]) == 90


def test_an_empty_reading_without_hud_changes_nothing() -> None:
    # given a frame where nothing was read / when annotated without a HUD / then an equal copy
    image = _blank()
    assert np.array_equal(Overlay().annotate(image, _reading()), image)


@pytest.mark.parametrize(
    ("confidence", "color"),
    [(0.99, COLORS.high), (0.8, COLORS.high), (0.6, COLORS.mid), (0.2, COLORS.low)],
)
def test_box_colour_follows_confidence(confidence: float, color: tuple[int, int, int]) -> None:
    # given a glyph of some confidence
    box = Box(100, 80, 30, 50)
    # when annotated (no line panel, no HUD)
    out = Overlay(show_lines=False).annotate(_blank(), _reading(Glyph(box, "4", confidence)))
    # then the box's left edge (mid-height) is drawn in the colour for that confidence
    assert tuple(int(v) for v in out[box.y + box.h // 2, box.x]) == color


def test_the_character_is_drawn_above_its_box() -> None:
    # given a glyph with room above it
    box = Box(100, 100, 30, 50)
    out = Overlay(show_lines=False).annotate(_blank(), _reading(Glyph(box, "8", 0.9)))
    # when looking at the band just above the box / then the character's ink is there
    band = out[box.y - 30 : box.y - 2, box.x : box.x2]
    assert (band != 128).any(axis=2).sum() > 20


@pytest.mark.parametrize(
    ("hud", "changed"), [(Hud(fps=29.5, latency_ms=12.0), True), (None, False)]
)
def test_hud_sits_in_the_top_left_corner(hud: Hud | None, changed: bool) -> None:
    # given a frame with nothing read / when annotated with or without a HUD
    out = Overlay().annotate(_blank(), _reading(), hud=hud)
    # then only a HUD changes the top-left corner
    assert bool((out[:15, :60] != 128).any()) is changed


def test_line_texts_are_drawn_in_a_panel_at_the_bottom_left() -> None:
    # given a reading of one line, glyph far from the bottom
    reading = _reading(Glyph(Box(150, 20, 20, 30), "5", 0.9))
    # when drawn with and without the line panel
    with_panel = Overlay(show_lines=True).annotate(_blank(), reading)
    without = Overlay(show_lines=False).annotate(_blank(), reading)
    # then only the panel changes the bottom-left corner
    assert (with_panel[-10:, :20] != 128).any()
    assert not (without[-10:, :20] != 128).any()


@pytest.mark.parametrize(("mid_at", "high_at"), [(0.9, 0.5), (-0.1, 0.5), (0.5, 1.5)])
def test_confidence_colours_reject_bad_thresholds(mid_at: float, high_at: float) -> None:
    # given thresholds out of order or range / when made / then ValueError
    with pytest.raises(ValueError, match="mid_at"):
        ConfidenceColors(mid_at=mid_at, high_at=high_at)


def test_annotate_rejects_images_that_are_not_bgr_or_gray() -> None:
    # given a 4-channel image / when annotated / then ValueError naming the shape
    with pytest.raises(ValueError, match=r"got shape \(10, 10, 4\)"):
        Overlay().annotate(np.zeros((10, 10, 4), np.uint8), _reading())
