"""Segmentation: components, candidate filters, line grouping, reading order, refinement."""

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digitcam.segment import (
    bridge_dashes,
    components,
    glyph_candidates,
    line_geometry,
    link_neighbours,
    reading_order,
    refine_line,
    small_median,
    small_percentile,
    union_groups,
    union_labels,
)
from digitcam.types import Box, Polarity


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


def test_refine_crops_again_upright_when_the_detected_slope_is_off():
    # Given "-9132" rotated 4 degrees, and its line's slope made wrong the way clutter
    # chained into the line makes it (tilted 10 % the other way)
    from dataclasses import replace

    img = np.full((200, 420), 255, np.uint8)
    cv2.putText(img, "-9132", (60, 120), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 0, 4, cv2.LINE_AA)
    rot = cv2.getRotationMatrix2D((210, 100), 4.0, 1.0)
    img = cv2.warpAffine(img, rot, (420, 200), borderValue=255)
    line = _detect_one_line(img, Polarity.DARK_ON_LIGHT)
    tilted = replace(line, slope=0.10)
    # Then refinement still finds the minus (it fell off the band in the tilted crop)
    kinds = "".join(u.mark or "G" for u in refine_line(img, tilted).units)
    assert kinds == "-GGGG"


@pytest.mark.parametrize(
    ("joined", "kept"), [("hairline", True), ("faint", True), ("block", False)]
)
def test_refine_cuts_a_hairline_off_a_glyph_but_not_a_block(joined, kept):
    # Given "6170" whose 6 is joined at its foot to something running down off the frame:
    # a hairline (a scratch, a shadow's blurred edge), a faint one (only the faint ink
    # level joins it: the 6's clear ink lies in the band, its box reaches far out), or a
    # block of ink (a dark shape)
    img = np.full((200, 400), 255, np.uint8)
    cv2.putText(img, "6170", (40, 110), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 0, 5, cv2.LINE_AA)
    line = _detect_one_line(img, Polarity.DARK_ON_LIGHT)
    first = line.boxes[0]
    x, foot = int(first[0] + first[2] // 2), int(first[1] + first[3]) - 3
    if joined != "block":
        cv2.line(img, (x, foot), (x, 199), 0 if joined == "hairline" else 185, 2)
    else:
        cv2.rectangle(img, (x - 15, foot), (x + 15, 199), 0, -1)
    # Then the 6 stays a glyph of the line when what joins it is a hairline; joined to a
    # block, much of its ink stands out of the band, and it is left out
    glyphs = [u for u in refine_line(img, line).units if u.patch is not None or u.alternatives]
    assert len(glyphs) == (4 if kept else 3)
    assert bool(glyphs[0].box.x <= first[0] + 2) is kept


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


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 10])
def test_small_median_is_numpys_median(n):
    rng = np.random.default_rng(n)
    for values in (rng.integers(0, 100, n), rng.random(n) * 50, list(rng.random(n))):
        assert small_median(values) == float(np.median(np.asarray(values, np.float64)))


def test_small_median_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="no values"):
        small_median([])


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 31, 70])
@pytest.mark.parametrize("q", [0, 2, 5, 50, 80, 90, 95, 98, 100, 37.3])
def test_small_percentile_is_numpys_percentile(n, q):
    rng = np.random.default_rng(n)
    for values in (rng.integers(0, 256, n).astype(np.float64), rng.normal(0, 40, n),
                   rng.integers(0, 9, (n, 7)) * 3.3):  # fmt: skip
        assert small_percentile(values, q) == float(np.percentile(values, q))


def test_small_percentile_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="no values"):
        small_percentile(np.zeros(0), 50)


def _group_boxes():
    # "9 - 19" set wide: a lone 9, then a minus too small to be a glyph, then "19"
    boxes = np.array([[10, 20, 20, 40], [100, 20, 20, 40], [125, 20, 20, 40]], np.int32)
    groups = [np.array([0]), np.array([1, 2])]
    return boxes, groups


def test_bridge_dashes_joins_a_number_split_at_a_minus():
    # Given two groups 2 digit heights apart with a bar at mid-height between them
    boxes, groups = _group_boxes()
    dash = np.array([[50, 38, 24, 5]], np.int32)
    # When bridged, Then they are one line, left to right
    out = bridge_dashes(groups, boxes, dash)
    assert [g.tolist() for g in out] == [[0, 1, 2]]


@pytest.mark.parametrize(
    "mark",
    [
        [50, 55, 24, 5],  # a bar on the baseline, not at mid-height
        [50, 30, 6, 20],  # an upright stroke, not a bar
        [150, 38, 24, 5],  # a bar, but not between the groups
    ],
)
def test_bridge_dashes_needs_a_minus_between(mark):
    boxes, groups = _group_boxes()
    out = bridge_dashes(groups, boxes, np.array([mark], np.int32))
    assert sorted(g.tolist() for g in out) == [[0], [1, 2]]


def test_bridge_dashes_keeps_lines_of_other_heights_apart():
    # Given the right group twice as tall: a different line, even with a bar between
    boxes = np.array([[10, 20, 20, 40], [100, 0, 40, 80], [145, 0, 40, 80]], np.int32)
    groups = [np.array([0]), np.array([1, 2])]
    out = bridge_dashes(groups, boxes, np.array([[50, 38, 24, 5]], np.int32))
    assert len(out) == 2


@pytest.mark.parametrize(
    "mark",
    [
        [58, 52, 8, 8],  # "9 . 19": a point on the baseline, set wide
        [58, 21, 6, 39],  # "9 1 19": a 1 too thin to be a glyph candidate
    ],
    ids=["point", "one"],
)
def test_bridge_dashes_joins_a_number_split_at_a_point_or_a_thin_one(mark):
    # Given "9" and "19" two digit heights apart with a point (or a thin 1) between them
    boxes, groups = _group_boxes()
    # When bridged, Then they are one line
    out = bridge_dashes(groups, boxes, np.array([mark], np.int32))
    assert [g.tolist() for g in out] == [[0, 1, 2]]


@pytest.mark.parametrize(
    "mark",
    [
        [58, 30, 8, 8],  # a point-sized blob at mid-height, not on the baseline
        [58, 10, 6, 39],  # a bar the digits' height, standing above the baseline
        [58, 40, 20, 20],  # a blob half the digits' height on the baseline
    ],
)
def test_bridge_dashes_needs_a_point_on_the_baseline(mark):
    boxes, groups = _group_boxes()
    out = bridge_dashes(groups, boxes, np.array([mark], np.int32))
    assert sorted(g.tolist() for g in out) == [[0], [1, 2]]


def test_bridge_dashes_follows_a_tilted_lines_baseline():
    # Given "48 - 50" tilted 6 degrees down to the right: each group's boxes step down
    # 3 px a digit, so the right group starts 13 px lower than the left one ends
    boxes = np.array(
        [[10, 20, 20, 40], [35, 23, 20, 40], [165, 36, 20, 40], [190, 39, 20, 40]], np.int32
    )
    groups = [np.array([0, 1]), np.array([2, 3])]
    # When bridged at a minus halfway, or at a point on the tilted baseline
    minus = bridge_dashes(groups, boxes, np.array([[98, 47, 24, 5]], np.int32))
    point = bridge_dashes(groups, boxes, np.array([[106, 62, 8, 8]], np.int32))
    # Then they are one line (read level, the baselines differ by a third of a digit's
    # height across the gap)
    assert [g.tolist() for g in minus] == [[0, 1, 2, 3]]
    assert [g.tolist() for g in point] == [[0, 1, 2, 3]]
    # and a point as far off that baseline does not bridge them
    off = bridge_dashes(groups, boxes, np.array([[106, 50, 8, 8]], np.int32))
    assert len(off) == 2


def test_a_crops_levels_follow_faint_text_where_a_long_edge_outshines_it() -> None:
    from digitcam.segment import _ink_levels, _long_ink

    # Given a line crop (ink bright, digits 40 px): faint strokes 50 over the paper and a
    # card's black border along the bottom, 200 over it
    crop = np.full((80, 200), 20.0, np.float32)
    crop[20:60, 30:34] = 70.0  # a faint upright stroke
    crop[20:24, 60:90] = 70.0  # a faint bar
    crop[70:80, :] = 220.0  # the border, the crop's whole width
    # When thresholded without and with the glyphs' own ink level
    plain, _, _, c0 = _ink_levels(crop, target_h=40)
    capped, _, _, c1 = _ink_levels(crop, target_h=40, ink_cap=70.0)
    # Then the border sets the contrast alone, and the strokes fall under it; with the
    # glyphs' level they are ink
    assert c0 == 200.0
    assert not plain[30:50, 30:34].any()
    assert c1 == 50.0
    assert capped[30:50, 30:34].all()
    assert capped[21:23, 65:85].all()
    # and the border is long: a digit-sized bright blob is not
    assert _long_ink(crop > 70.0, target_h=40)
    blob = np.zeros((80, 200), bool)
    blob[20:60, 100:125] = True
    assert not _long_ink(blob, target_h=40)
    # so where the brighter thing is digit-sized (a display's lit digit beside its unlit
    # ghosts), the crop keeps its own contrast
    lit = crop.copy()
    lit[70:80, :] = 20.0
    lit[20:60, 100:125] = 220.0
    _, _, _, c2 = _ink_levels(lit, target_h=40, ink_cap=70.0)
    assert c2 == 200.0


def _glyph_with_right_edge(ch):
    """Dark `ch` on white (120 x 320) and the column of its rightmost ink."""
    img = np.full((120, 320), 255, np.uint8)
    cv2.putText(img, ch, (20, 90), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 0, 6, cv2.LINE_AA)
    return img, int(np.flatnonzero((img < 128).any(axis=0))[-1])


def test_refine_offers_a_point_fused_to_a_digit_as_an_alternative():
    # Given "8" with a point touching its lower right (blur and bold fuse them)
    img, x = _glyph_with_right_edge("8")
    cv2.circle(img, (x + 4, 84), 6, 0, -1)
    mask = (img < 128).astype(np.uint8) * 255
    comps = components(mask)
    assert len(comps.stats) == 1, "the point must touch the 8 for this test"
    line = line_geometry(comps.stats[:, :4], Polarity.DARK_ON_LIGHT)
    # When refined, Then one alternative reads the blob as a glyph followed by '.'
    units = refine_line(img, line).units
    alts = [alt for u in units for alt in u.alternatives]
    assert any([p.mark for p in alt] == ["", "."] for alt in alts)


def test_refine_offers_a_minus_fused_to_a_digit_first():
    # Given "0-" with the minus touching the 0, at mid-height
    img, x = _glyph_with_right_edge("0")
    cv2.rectangle(img, (x - 2, 58), (x + 26, 64), 0, -1)
    mask = (img < 128).astype(np.uint8) * 255
    comps = components(mask)
    assert len(comps.stats) == 1, "the minus must touch the 0 for this test"
    line = line_geometry(comps.stats[:, :4], Polarity.DARK_ON_LIGHT)
    units = refine_line(img, line).units
    # Then the cut (glyph, then '-') comes first, so it wins a tie with the whole blob
    fused = [u for u in units if u.alternatives]
    assert len(fused) == 1
    assert [p.mark for p in fused[0].alternatives[0]] == ["", "-"]


def test_refine_joins_a_glyph_broken_at_a_faint_hairline():
    # Given a "3"-like glyph: two strong parts joined only by a faint stroke
    img = np.full((100, 200), 230, np.uint8)
    cv2.putText(img, "1", (40, 80), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 20, 6, cv2.LINE_AA)
    cv2.rectangle(img, (100, 30), (112, 80), 20, -1)  # a strong stem
    cv2.rectangle(img, (80, 30), (86, 40), 20, -1)  # a strong ball terminal
    cv2.line(img, (86, 33), (100, 33), 170, 2)  # the faint hairline between them
    line = line_geometry(np.array([[42, 32, 30, 50], [80, 30, 33, 51]], np.int32),
                         Polarity.DARK_ON_LIGHT)  # fmt: skip
    units = [u for u in refine_line(img, line).units if u.patch is not None or u.alternatives]
    # Then the terminal and the stem are one unit, not a speck beside a stroke
    assert len(units) == 2
    assert units[1].box.w >= 30


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 40),
    pairs=st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39)), max_size=60),
)
def test_union_labels_match_a_plain_union_find(n, pairs) -> None:
    pairs = [(i, j) for i, j in pairs if i < n and j < n]
    arr = np.array(pairs, np.intp).reshape(-1, 2)
    # a plain union-find, the reference
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in pairs:
        ri, rj = find(i), find(j)
        parent[max(ri, rj)] = min(ri, rj)
    want = [find(i) for i in range(n)]
    # then every item is labelled with the smallest index of its group
    assert union_labels(n, arr).tolist() == want
    groups = union_groups(n, arr)
    assert [g.tolist() for g in groups] == [
        [i for i in range(n) if want[i] == r] for r in sorted(set(want))
    ]


def test_a_small_blurred_point_is_a_point_by_its_core():
    from digitcam.segment import _mark_kind

    # Given a 6 x 6 faint-ink box whose clear ink is only a 4 x 4 core (a blurred dot):
    # 12 of 36 pixels, a fill far under a point's
    sub = np.zeros((6, 6), np.uint8)
    sub[1:5, 1:5] = 1
    sub[[1, 1, 4, 4], [1, 4, 1, 4]] = 0
    # When its kind is asked on the baseline of a 40 px line
    kind = _mark_kind(100, 34, 6, 6, sub, top=0.0, bottom=40.0, ink=80.0, ink_ref=80.0)
    # Then it is a point: its core is compact
    assert kind == "."
    # and a diagonal stroke's fragment of the same size is not
    diag = np.eye(6, dtype=np.uint8)
    assert _mark_kind(100, 34, 6, 6, diag, top=0.0, bottom=40.0, ink=80.0, ink_ref=80.0) == ""


def test_a_fused_point_is_found_when_the_blobs_box_ends_in_faint_ink():
    from digitcam.segment import _tail_cut

    # Given a digit-like bar with a point fused at its lower right, in a box whose last
    # columns hold no clear ink (its faint ink reaches further)
    sub = np.zeros((40, 34), np.uint8)
    sub[0:40, 4:14] = 1  # the digit's stem
    sub[30:38, 14:24] = 1  # the point, fused to the stem's foot
    sub[37:40, 14:16] = 1
    # When the tail cut is looked for over the whole box
    cut = _tail_cut(sub, 0, 34, 0, top=0.0, lh=40.0)
    # Then the point's columns are offered as the cut
    assert cut == 14


def test_a_thin_blurred_minus_is_a_minus_by_its_core():
    from digitcam.segment import _mark_kind

    # Given a 15 x 5 faint-ink box at mid-height whose clear ink is a 12 x 3 bar inside
    # (a thin face's minus, blurred): 36 of 75 pixels, under a minus's fill
    sub = np.zeros((5, 15), np.uint8)
    sub[1:4, 2:14] = 1
    # When its kind is asked in a 38 px line
    kind = _mark_kind(19, 44, 15, 5, sub, top=23.0, bottom=61.0, ink=58.0, ink_ref=64.0)
    # Then it is a minus
    assert kind == "-"


@pytest.mark.parametrize(("bar_rows", "is_minus"), [((17, 22), True), ((26, 31), False)])
def test_a_bar_between_two_digits_is_a_minus_only_above_a_4s_crossbar(bar_rows, is_minus):
    from digitcam.segment import _dash_spans

    # Given a blob of two digit-high stems joined by a bar 14 px long in a 40 px line: at
    # mid-height (a minus fused to both digits), or low (a 4's crossbar run on into the
    # next digit)
    sub = np.zeros((40, 50), np.uint8)
    sub[:, 0:18] = 1
    sub[:, 32:50] = 1
    sub[bar_rows[0] : bar_rows[1], 18:32] = 1
    # When the blob's columns are split at dashes
    spans = _dash_spans(sub, 0, top=0.0, lh=40.0)
    # Then the bar is a minus only at mid-height
    assert any(d for _a, _b, d in spans) == is_minus


def test_clutter_cut_by_a_line_crops_edges_does_not_set_its_band() -> None:
    from digitcam.segment import _line_band

    # Given a crop (80 x 190, digits scaled to 40 px) of a short line "7 . 5": two digits
    # from row 20 to 61, and clutter the crop's top and side edges cut, digit-sized
    stats = np.array(
        [
            [18, 0, 5, 21, 64],  # cut by the top edge
            [170, 0, 16, 36, 375],  # cut by the top edge
            [46, 20, 29, 41, 703],  # the 7
            [120, 20, 26, 41, 823],  # the 5
            [170, 24, 20, 24, 145],  # cut by the right edge
            [0, 30, 23, 50, 758],  # cut by the left edge
            [89, 47, 14, 14, 163],  # the point
        ],
        np.int32,
    )
    # When the line's band is found
    band = _line_band(stats, crop_h=80, crop_w=190, target_h=40)
    # Then it is the digits' rows (with the clutter it ended 7 px above the baseline, and
    # the point was no longer on it)
    assert band == (20.0, 61.0)
    # and with only one component clear of the edges, that one sets the band (a sliver
    # of a frame's edge cut by the top beside a lone clean 6 halved it: "6-6" unread)
    lone = _line_band(stats[[0, 1, 2, 4, 5]], crop_h=80, crop_w=190, target_h=40)
    assert lone == (20.0, 61.0)
    # while a crop whose every digit-sized component is cut still has a band
    cut = _line_band(stats[[0, 1, 4, 5]], crop_h=80, crop_w=190, target_h=40)
    assert cut is not None


def test_a_short_blurred_minus_is_a_bar_in_its_clear_ink() -> None:
    from digitcam.segment import _mark_kind

    # Given a line band from row 16 to 63 (47 px digits) and, before the first digit, a
    # blob whose faint ink is 16 x 13 px (1.23 times as wide as tall: a short minus swollen
    # by blur), its clear ink a 15 x 11 bar, at mid-height
    sub = np.zeros((13, 16), np.uint8)
    sub[1:12, 0:15] = 1
    kind = _mark_kind(18, 37, 16, 13, sub, top=16.0, bottom=63.0, ink=60.0, ink_ref=84.0)
    # Then it is a minus (by its faint box alone it was too square to be one)
    assert kind == "-"
    # but not where the crop's left edge cuts it (clutter reaching into the crop)
    assert _mark_kind(0, 37, 16, 13, sub, top=16.0, bottom=63.0, ink=60.0, ink_ref=84.0) == ""
    # and a round blob as big is none either
    disc = np.zeros((13, 16), np.uint8)
    cv2.circle(disc, (7, 6), 6, 1, -1)
    assert _mark_kind(18, 37, 16, 13, disc, top=16.0, bottom=63.0, ink=60.0, ink_ref=84.0) == ""


def test_a_minus_grouped_with_a_speck_the_crop_edge_cuts_is_judged_without_it() -> None:
    from digitcam.segment import _mark_kind, _off_the_edge

    # Given a line band from row 33 to 74 (41 px digits) and, at the crop's left edge, a
    # group of a speck the edge cuts (2 x 2 px) and a minus set apart from it (21 x 11 px)
    sub = np.zeros((18, 37), np.uint8)
    sub[3:5, 0:2] = 1
    sub[6:17, 16:37] = 1
    kw = {"top": 33.0, "bottom": 74.0, "ink": 149.0, "ink_ref": 146.0}
    # (whole, the group is too tall for a minus, and the edge cuts it)
    assert _mark_kind(0, 46, 37, 18, sub, **kw) == ""
    # When the pieces the edge cuts are taken off
    x, y, w, h, rest = _off_the_edge(0, 46, sub)
    # Then the minus is left, in its own box, and is a minus
    assert (x, y, w, h) == (16, 52, 21, 11)
    assert rest.shape == (11, 21)
    assert rest.all()
    assert _mark_kind(x, y, w, h, rest, **kw) == "-"
    # and a group the edge cuts whole (or not at all) is left as it is
    bar = np.ones((11, 21), np.uint8)
    assert _off_the_edge(0, 52, bar)[:4] == (0, 52, 21, 11)


def test_a_minus_is_kept_after_a_far_off_mark() -> None:
    from digitcam.segment import Unit, _drop_misplaced_marks

    # Given a line's units: a speck read as a point 2.2 digit heights before a minus,
    # the minus 7 px before the number's first digit (44 px), and the digits
    def glyph(x: int) -> Unit:
        return Unit(Box(x, 70, 24, 44), np.ones((4, 4), np.float32), "", 1.0)

    speck = Unit(Box(175, 95, 15, 21), None, ".", 0.5)
    minus = Unit(Box(273, 96, 12, 7), None, "-", 0.2)
    digits = [glyph(292 + 30 * k) for k in range(4)]

    def kept(units: list[Unit]) -> list[tuple[str, int]]:
        return [(u.mark or "d", u.box.x) for u in _drop_misplaced_marks(units)]

    # Then the minus is the number's, and the far speck goes
    got = kept([glyph(131), speck, minus, *digits])
    assert got == [("d", 131), ("-", 273)] + [("d", 292 + 30 * k) for k in range(4)]
    # while of two marks side by side the first is kept, as before
    near = Unit(Box(262, 104, 8, 8), None, ".", 0.2)
    got = kept([glyph(230), near, minus, *digits])
    assert got == [("d", 230), (".", 262)] + [("d", 292 + 30 * k) for k in range(4)]


def test_a_blurred_points_clear_ink_makes_it_a_point() -> None:
    from digitcam.segment import _mark_kind

    # Given a line band from row 22 to 63 (41 px digits) and, between two digits, a blob
    # whose faint halo is 16 x 23 px and reaches 8 px below the baseline, its clear ink an
    # 8 x 8 dot sitting on the baseline (a point at 20 px, blurred)
    sub = np.zeros((23, 16), np.uint8)
    sub[8:16, 4:12] = 1
    kind = _mark_kind(248, 48, 16, 23, sub, top=22.0, bottom=63.0, ink=100.0, ink_ref=100.0)
    # Then it is a point (judged by its halo alone, too tall and too low to be one)
    assert kind == "."
    # and a clear core high above the baseline is not
    high = np.zeros((23, 16), np.uint8)
    high[0:8, 4:12] = 1
    assert _mark_kind(248, 20, 16, 23, high, top=22.0, bottom=63.0, ink=100.0, ink_ref=100.0) == ""


def test_a_short_line_over_one_end_of_a_tilted_line_is_read_first():
    from digitcam.segment import order_lines

    # given a long line tilted down to the right (its box 63 px high for 42 px digits)
    # and a short line of small digits set above its right end (boxes of a camera frame:
    # "1464.17579" and "1123.92118"), whose rows the long line's box takes in
    long_line = Box(46, 129, 381, 63)
    short_line = Box(374, 115, 209, 35)
    # then the short line, above where they share columns, is read first
    assert order_lines([long_line, short_line]) == [1, 0]
    # while two lines side by side (rows shared, no columns) still read left to right
    right = Box(440, 140, 120, 40)
    assert order_lines([right, long_line]) == [1, 0]


def test_a_blob_of_two_narrow_digits_no_wider_than_tall_may_be_split() -> None:
    from digitcam.segment import _split_options

    # given a blob 50 px wide and 52 high in a line whose digits are 25 px wide: a "54"
    # set tight, touching (measured in a camera scene's crop: read '?')
    # then it is offered whole and as two (the classifier chooses)
    assert _split_options(50, 52, 25.0) == [1, 2]
    # while a wide digit (a bold 0, 40 px) among digits 30 px wide stays whole, and so
    # does a digit with its point fused on (a seven-segment "4.", 38 px among 25)
    assert _split_options(40, 48, 30.0) == [1]
    assert _split_options(38, 40, 25.0) == [1]


def _unit(x: int, w: int, mark: str = "", alternatives=()):
    """A unit on a 40 px line at column x, w px wide: a glyph (a patch) or a mark."""
    from digitcam.segment import Unit

    patch = None if mark else np.ones((4, 4), np.float32)
    return Unit(Box(x, 40, w, 11 if not mark else 4), patch, mark, 1.0, alternatives)


def test_a_wider_crop_that_parts_a_blob_the_narrow_crop_joined_reads_on_beyond_it() -> None:
    from digitcam.segment import _more_beyond

    # Given a line of tight bold digits "-2226280" (11 px) whose narrow crop, cut by its
    # side in the third 2, joined "26280" and that 2's rest into one blob (split five or
    # six ways), and a wider crop that parts every glyph and finds "-22" beyond
    splits = (
        tuple(_unit(347 + 11 * k, 11) for k in range(5)),
        tuple(_unit(347 + 9 * k, 9) for k in range(6)),
    )
    blob = _unit(347, 53, alternatives=splits)
    wider = (_unit(321, 8, "-"), _unit(329, 10), _unit(338, 12),
             *(_unit(x, 11) for x in (349, 359, 369, 379, 389)))  # fmt: skip
    # When the wider crop's units are matched against the blob
    more = _more_beyond((blob,), wider, (True, False), gap=11.0, grown=False)
    # Then they stand for it, with the minus and the 2s beyond
    assert more is not None
    assert [u.box.x for u in more] == [321, 329, 338, 349, 359, 369, 379, 389]


def test_a_glyph_the_wider_crop_spreads_a_pixel_into_the_line_is_beyond_it() -> None:
    from digitcam.segment import _more_beyond

    # Given a line's units "73" (columns 64-92) and a wider crop whose 5 before them
    # reaches one column into the 7's first (its levels spread the 5's ink)
    units = (_unit(64, 14), _unit(80, 12))
    wider = (_unit(53, 12), _unit(66, 12), _unit(80, 12))
    more = _more_beyond(units, wider, (True, False), gap=15.0, grown=False)
    # Then the 5 is more beyond the line, not a third glyph over it
    assert more is not None
    assert [u.box.x for u in more] == [53, 66, 80]


def test_a_point_the_crop_cut_off_a_glyph_does_not_keep_the_wider_crop_out() -> None:
    from digitcam.segment import _more_beyond, _without_glyph_bits

    # Given a line "1161" whose narrow crop cut the 7 after it, leaving its foot as a
    # point, and a wider crop that reads the 7 whole and "3.59" after it
    units = (_unit(79, 29), _unit(137, 29), _unit(191, 50), _unit(254, 29), _unit(315, 13, "."))
    wider = (_unit(78, 31), _unit(138, 29), _unit(192, 48), _unit(255, 29), _unit(307, 50),
             _unit(366, 49), _unit(426, 12, "."), _unit(457, 45))  # fmt: skip
    # Then as they are, the wider crop reads them otherwise (a glyph where a point was)
    assert _more_beyond(units, wider, (False, True), gap=70.0, grown=False) is None
    # but the point lies inside the wider crop's 7: without it, the wider crop reads on
    bits = _without_glyph_bits(units, wider)
    assert [u.box.x for u in bits] == [79, 137, 191, 254]
    more = _more_beyond(bits, wider, (False, True), gap=70.0, grown=False)
    assert more is not None
    assert len(more) == len(wider)


def test_a_minus_fused_to_a_4_ends_where_the_4s_crossbar_swells_the_bar() -> None:
    from digitcam.segment import _dash_spans

    # Given a blob "9-4" in a 40 px line: a digit (columns 0-14), a minus 4 px thick at
    # mid-height (14-30), then the 4's crossbar where its diagonal starts, a bar 11 px
    # thick (30-36, still a bar's height), and the 4's stem (36-50)
    sub = np.zeros((40, 50), np.uint8)
    sub[:, 0:14] = 1
    sub[18:22, 14:30] = 1
    sub[14:25, 30:36] = 1
    sub[:, 36:50] = 1
    # When the blob's columns are split at dashes
    spans = _dash_spans(sub, 0, top=0.0, lh=40.0)
    # Then the minus ends where its bar swells: the 4 keeps its crossbar's start
    assert spans == [(0, 14, False), (14, 30, True), (30, 50, False)]


def test_a_glyph_the_first_crop_cut_is_read_whole_from_the_wider_crop() -> None:
    from digitcam.segment import _more_beyond

    # Given a line "-4.4" (47 px digits) whose first crop's side cut its last 4 to a bar
    # (read as a 1), and a wider crop that holds that 4 whole, 15 px further on
    units = (_unit(377, 18, "-"), _unit(404, 34), _unit(450, 7, "."), _unit(472, 18))
    wider = (_unit(377, 18, "-"), _unit(404, 33), _unit(449, 8, "."), _unit(471, 34))
    more = _more_beyond(units, wider, (False, True), gap=47.0, grown=False)
    # Then the wider crop's units stand for the line
    assert more is not None
    assert more[-1].box.x2 == 505
    # but a glyph a pixel or two wider there is the wider crop's levels, no cut glyph
    spread = (*wider[:3], _unit(471, 21))
    assert _more_beyond(units, spread, (False, True), gap=47.0, grown=False) is None
    # nor is a blob standing off the line's last glyph far more than its glyphs stand
    # apart (a card's corner beyond the first crop's side)
    corner = (*wider[:3], _unit(486, 34))
    cut = (*units[:3], _unit(486, 6))
    assert _more_beyond(cut, corner, (False, True), gap=47.0, grown=False) is None


@pytest.mark.parametrize(("foot_w", "is_point"), [(7, False), (12, True)])
def test_a_point_cut_off_a_glyphs_right_is_round(foot_w, is_point) -> None:
    from digitcam.segment import _PieceGeometry, _with_tail_cut

    # Given a blob in a 40 px line: a glyph's strokes (columns 0-24, all above the lower
    # band) and its base (rows 34-40), ending on the right in a piece 14 px tall on the
    # baseline, `foot_w` wide: a serif 2's upturned foot (7 px), or a point fused on
    # (12 px, about as wide as tall)
    w = 24 + foot_w
    sub = np.zeros((40, w), np.uint8)
    sub[0:6, 0:24] = 1
    sub[0:30, 18:24] = 1
    sub[34:40, 0:24] = 1
    sub[26:40, 24:w] = 1
    crop = sub.astype(np.float32) * 200
    geo = _PieceGeometry(crop, np.eye(3)[:2], 0, 0, sub, 0.0, 40.0, 200.0, 200.0, 0.0)
    # When the blob's right end is looked at for a fused mark
    alts, _strong = _with_tail_cut(geo, 0, w, 24.0)
    # Then only the round piece is offered as a point (the foot is the 2's own)
    assert bool(alts) == is_point
    if is_point:
        assert alts[0][-1].mark == "."


def test_a_dotted_zeros_dot_is_part_of_the_zero_not_a_minus() -> None:
    # Given "604" whose 0 is a ring with a dot inside it, wider than tall (a dotted zero's,
    # measured in a camera scene's crop: '5060494550' read '506-0494550')
    img = np.full((140, 320), 255, np.uint8)
    cv2.putText(img, "6", (20, 100), cv2.FONT_HERSHEY_SIMPLEX, 2.4, 0, 5, cv2.LINE_AA)
    cv2.ellipse(img, (110, 77), (17, 24), 0, 0, 360, 0, 5, cv2.LINE_AA)
    cv2.ellipse(img, (110, 77), (6, 3), 0, 0, 360, 0, -1, cv2.LINE_AA)
    cv2.putText(img, "4", (150, 100), cv2.FONT_HERSHEY_SIMPLEX, 2.4, 0, 5, cv2.LINE_AA)
    line = _detect_one_line(img, Polarity.DARK_ON_LIGHT)
    # When the line is refined
    units = refine_line(img, line).units
    # Then it holds three glyphs and no mark: the dot stays in the zero it sits in
    assert "".join(u.mark or "G" for u in units) == "GGG"


@pytest.mark.parametrize(("bar_w", "is_minus"), [(10, False), (14, True)])
def test_a_bar_between_two_digits_is_a_minus_only_as_wide_as_one(bar_w, is_minus) -> None:
    from digitcam.segment import _dash_spans

    # Given two digit-high stems in a 40 px line joined at mid-height by a bar 10 px long
    # (a quarter digit: the stub of a 4's crossbar run on into the next digit, '90524-4'
    # for 905244) or 14 px long (a minus fused to both digits)
    sub = np.zeros((40, 50), np.uint8)
    sub[:, 0:18] = 1
    sub[:, 18 + bar_w : 50] = 1
    sub[18:22, 18 : 18 + bar_w] = 1
    # When the blob's columns are split at dashes
    spans = _dash_spans(sub, 0, top=0.0, lh=40.0)
    # Then only the wider bar is a minus
    assert any(d for _a, _b, d in spans) == is_minus


def test_a_blob_of_two_overlapping_narrow_digits_may_be_split() -> None:
    from digitcam.segment import _split_options

    # Given a blob 1.7 times its line's digit width, narrower than tall (a condensed
    # italic '77' whose top bars overlap and touch: '76587722' read '765?7727')
    # Then it is offered whole and as two (the classifier chooses)
    assert _split_options(33, 38, 19.0) == [1, 2]


def test_a_wide_blob_is_also_offered_at_the_count_usual_digits_give() -> None:
    from digitcam.segment import _split_options

    # Given a blob 138 px wide and 65 high in a line whose other glyphs are narrow 1s
    # (25 px): an italic "000" set tight ("1746100017" read as six half zeros)
    # Then three pieces are offered, not only the five or six the 1s' width suggests
    assert 3 in _split_options(138, 65, 25.0)
    # and a fused "46" (94 px) in the same line is offered as two
    assert 2 in _split_options(94, 66, 25.0)
    # while in a line of usual digits the offer is as before
    assert _split_options(138, 65, 44.0) == [3, 4]


def _leaning_rings(n: int, slant: float) -> tuple[np.ndarray, list[np.ndarray]]:
    """n ellipse rings 40 px tall, touching side by side, sheared `slant` columns per row
    (negative: leaning right as they rise): the blob's mask and each ring's own mask."""
    rings = []
    for k in range(n):
        m = np.zeros((44, 40 * n + 40), np.uint8)
        cv2.ellipse(m, (30 + 29 * k, 22), (13, 19), 0, 0, 360, 1, 4)
        shear = np.float32([[1, slant, -slant * 22], [0, 1, 0]])
        rings.append(cv2.warpAffine(m, shear, (m.shape[1], 44), flags=cv2.INTER_NEAREST))
    return np.clip(sum(rings), 0, 1).astype(np.uint8), rings


def test_touching_leaning_rings_are_cut_along_their_lean() -> None:
    from digitcam.segment import _cut_columns, _line_slant

    # Given three italic zeros touching (leaning 0.25 columns per row), each 40 px tall
    blob, rings = _leaning_rings(3, -0.25)
    assert len(components(blob * 255).stats) == 1, "the rings must touch for this test"
    # Then the line's lean is measured from single glyphs of it
    one = _leaning_rings(1, -0.25)[0]
    slant = _line_slant([(40, 40, one), (40, 40, one)], lh=40.0)
    assert -0.3 < slant < -0.2
    # and cut evenly along it, each piece holds one ring (an upright cut takes a slice of
    # the next ring along with each; cut at the ink's valleys, the hollows of the rings are
    # the valleys: the rings' strokes side by side are none)
    xs = np.flatnonzero(blob.any(axis=0))
    a0, b0 = int(xs[0]), int(xs[-1]) + 1
    for slant_used, even, whole in ((slant, True, True), (0.0, True, False), (slant, False, False)):
        pieces = _cut_columns(blob, a0, b0, 3, slant_used, even=even)
        assert len(pieces) == 3
        own = []
        for (a, piece), ring in zip(pieces, rings, strict=True):
            full = np.zeros_like(blob)
            full[:, a : a + piece.shape[1]] = piece
            own.append((full & ring).sum() / max(full.sum(), 1))
        assert bool(min(own) > 0.98) is whole, own
