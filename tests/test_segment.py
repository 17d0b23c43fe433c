"""Segmentation: components, candidate filters, line grouping, reading order, refinement."""

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digitcam.segment import (
    components,
    glyph_candidates,
    line_geometry,
    link_neighbours,
    reading_order,
    refine_line,
)
from digitcam.types import Polarity


def test_components_of_blank_mask_is_empty():
    comps = components(np.zeros((50, 50), np.uint8))
    assert comps.stats.shape == (0, 5)
    assert not comps.capped


def test_components_are_outer_only_a_ring_is_one_blob():
    # Given an "O": a ring with a hole
    m = np.zeros((40, 40), np.uint8)
    cv2.circle(m, (20, 20), 12, 255, 4)
    comps = components(m)
    # Then the hole does not become a component of its own
    assert len(comps.stats) == 1


def test_components_cap_keeps_the_largest_and_says_so():
    rng = np.random.default_rng(0)
    m = (rng.random((200, 200)) > 0.7).astype(np.uint8) * 255
    m[50:90, 50:80] = 255
    comps = components(m, max_count=50)
    assert comps.capped
    assert len(comps.stats) == 50
    assert comps.stats[:, 4].max() >= 40 * 30


@pytest.mark.parametrize(
    ("box", "ok"),
    [
        ((0, 0, 20, 30, 250), True),  # a digit
        ((0, 0, 4, 30, 120), True),  # a solid "1"
        ((0, 0, 3, 8, 20), False),  # too small
        ((0, 0, 30, 300, 4000), False),  # taller than the frame allows
        ((0, 0, 400, 20, 3000), False),  # a long bar (card edge)
        ((0, 0, 40, 40, 1600), False),  # a solid block
        ((0, 0, 1, 200, 200), False),  # a thin rule
    ],
)
def test_glyph_candidates_shape_filters(box, ok):
    stats = np.array([box], np.int32)
    assert bool(glyph_candidates(stats, frame_h=480, min_h=10, max_frac=0.6)[0]) is ok


def _row(x0, y0, n, w=18, h=30, gap=6, slope=0.0):
    return [(x0 + i * (w + gap), round(y0 + slope * i * (w + gap)), w, h) for i in range(n)]


def test_two_lines_are_grouped_and_ordered():
    boxes = np.array(_row(10, 10, 5) + _row(10, 80, 4), np.int32)
    lines = reading_order(boxes)
    assert lines == [[0, 1, 2, 3, 4], [5, 6, 7, 8]]


@pytest.mark.parametrize("angle", [-6.0, -3.0, 0.0, 3.0, 6.0])
def test_skewed_lines_stay_separate(angle):
    slope = np.tan(np.radians(angle))
    boxes = np.array(_row(20, 100, 8, slope=slope) + _row(20, 150, 8, slope=slope), np.int32)
    lines = reading_order(boxes)
    assert lines == [list(range(8)), list(range(8, 16))]


def test_lines_of_different_heights():
    big = _row(10, 10, 4, w=30, h=60, gap=10)
    small = _row(10, 100, 6, w=10, h=16, gap=3)
    lines = reading_order(np.array(small + big, np.int32))
    assert lines == [[6, 7, 8, 9], [0, 1, 2, 3, 4, 5]]


def test_side_by_side_lines_read_left_then_right():
    left = _row(10, 50, 3)
    right = _row(400, 52, 3)
    lines = reading_order(np.array(right + left, np.int32))
    assert lines == [[3, 4, 5], [0, 1, 2]]


@settings(max_examples=60, deadline=None)
@given(
    n_lines=st.integers(1, 3),
    n_chars=st.integers(1, 8),
    angle=st.floats(-6, 6),
    seed=st.integers(0, 10_000),
)
def test_reading_order_is_independent_of_input_order(n_lines, n_chars, angle, seed):
    # Given glyph boxes of a few (possibly rotated) lines, shuffled
    slope = np.tan(np.radians(angle))
    rows = [_row(30, 40 + 70 * k, n_chars, slope=slope) for k in range(n_lines)]
    boxes = np.array([b for r in rows for b in r], np.int32)
    perm = np.random.default_rng(seed).permutation(len(boxes))
    # When ordered, Then the result is the same boxes in the same reading order
    expect = [[tuple(b) for b in r] for r in rows]
    got = [[tuple(boxes[perm][i]) for i in line] for line in reading_order(boxes[perm])]
    assert got == expect


def test_link_neighbours_does_not_chain_far_glyphs():
    boxes = np.array([(0, 0, 18, 30), (300, 0, 18, 30)], np.int32)
    assert len(link_neighbours(boxes)) == 2


def _line_image(text, *, inverted=False, scale=1.5):
    img = np.full((120, 420), 255, np.uint8)
    cv2.putText(img, text, (20, 80), cv2.FONT_HERSHEY_SIMPLEX, scale, 0, 3, cv2.LINE_AA)
    return 255 - img if inverted else img


def _detect_one_line(img, polarity):
    mask = (img < 128) if polarity is Polarity.DARK_ON_LIGHT else (img > 128)
    comps = components(mask.astype(np.uint8) * 255)
    ok = glyph_candidates(comps.stats, frame_h=img.shape[0], min_h=10, max_frac=0.8)
    boxes = comps.stats[ok, :4]
    return line_geometry(boxes[np.argsort(boxes[:, 0])], polarity)


@pytest.mark.parametrize("inverted", [False, True])
def test_refine_finds_marks_by_position(inverted):
    # Given "-12.5" in either polarity
    img = _line_image("-12.5", inverted=inverted)
    pol = Polarity.LIGHT_ON_DARK if inverted else Polarity.DARK_ON_LIGHT
    line = _detect_one_line(img, pol)
    refined = refine_line(img, line)
    # Then the minus and the point are marks, the digits are glyph patches
    kinds = "".join(u.mark or "G" for u in refined.units)
    assert kinds == "-GG.G"


def test_refine_splits_touching_glyphs():
    # Given "00" drawn so the two glyphs touch
    img = np.full((120, 300), 255, np.uint8)
    cv2.putText(img, "0", (20, 90), cv2.FONT_HERSHEY_SIMPLEX, 2.2, 0, 6, cv2.LINE_AA)
    cv2.putText(img, "0", (56, 90), cv2.FONT_HERSHEY_SIMPLEX, 2.2, 0, 6, cv2.LINE_AA)
    cv2.putText(img, "4", (150, 90), cv2.FONT_HERSHEY_SIMPLEX, 2.2, 0, 6, cv2.LINE_AA)
    mask = (img < 128).astype(np.uint8) * 255
    comps = components(mask)
    assert len(comps.stats) == 2, "the two zeros must touch for this test"
    line = line_geometry(comps.stats[np.argsort(comps.stats[:, 0]), :4], Polarity.DARK_ON_LIGHT)
    refined = refine_line(img, line)
    # Then the fused pair is offered split in two (the classifier picks among the options)
    fused = [u for u in refined.units if u.alternatives]
    assert len(fused) == 1
    assert any(len([p for p in alt if p.patch is not None]) == 2 for alt in fused[0].alternatives)
    assert len([u for u in refined.units if u.patch is not None]) == 1  # the "4"


def test_refine_of_blank_region_is_empty():
    img = np.full((100, 200), 200, np.uint8)
    line = line_geometry(
        np.array([[20, 20, 20, 30], [50, 20, 20, 30]], np.int32), Polarity.DARK_ON_LIGHT
    )
    assert refine_line(img, line).units == ()
