"""Glyph segmentation: candidates, lines, reading order, and per-line refinement. All pure.

Two passes. *Detection* finds text lines on the whole frame: outer connected components of
an adaptive threshold (both polarities), kept by shape relative to the frame, chained into
lines by neighbours of similar height on a common (possibly skewed) baseline. *Refinement*
re-segments each line in its own upright, rescaled crop with a threshold tuned to that line,
merges fragments, splits touching glyphs, and tells '.' and '-' by size and position.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass, replace
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from digitcam.preprocess import odd
from digitcam.types import Box, Polarity

# Stats columns from cv2.connectedComponentsWithStats.
_X, _Y, _W, _H, _A = 0, 1, 2, 3, 4

#: tan(6.5°): lines may be rotated by up to about ±6°.
MAX_SLOPE = 0.115
#: A line crop whose digits still lean by more than this (dy/dx) is cropped again upright.
RESIDUAL_SLOPE = 0.04
#: A glyph reaching more than `BAND_OVERSHOOT` digit heights beyond its line's band is cut
#: to the band widened by `BAND_CLIP` heights (ink joined on above or below: an edge, a rule).
BAND_OVERSHOOT = 0.1
BAND_CLIP = 0.08
#: A component reaching beyond its line's band widened by `HAIR_REACH` heights by at most
#: `HAIR_SHARE` of its ink is a glyph joined to a hairline (`_without_hairs`).
HAIR_REACH = 0.3
HAIR_SHARE = 0.04
#: A blob at least this many times as wide as its line's digits may be two of them, even
#: if it is no wider than tall (`_split_options`): two touching digits are about twice as
#: wide (less where they overlap: a condensed '77' whose top bars touch, 1.7 times), a
#: digit with its point fused on 1.3-1.6 times.
TWO_NARROW = 1.65
#: A digit's usual width over its height: a wide blob is also tried at the count of such
#: digits it holds (`_split_options`).
TYPICAL_ASPECT = 0.62
#: The most glyphs one blob is cut into.
MAX_SPLIT = 10
#: A line leaning less than this (columns per row; an upright 7 or 4 leans by itself) is
#: cut upright (`_line_slant`); this many of its single glyphs must say how it leans.
SLANT_MIN = 0.08
SLANT_MIN_GLYPHS = 2
#: A piece in a line's crop at most `RULE_THICK` digit heights thick and wider than
#: `RULE_MIN_W` of them is a rule or a card's edge, not a mark (a minus is narrower).
RULE_THICK = 0.3
RULE_MIN_W = 1.5
#: A minus stands at most this many digit heights before its number (measured on the
#: synthetic faces: 99 % within 0.52, all within 0.57).
MAX_MINUS_GAP = 0.8
#: A bar sticking out to the right of a glyph whose centre is at most this far down the
#: digit height (from its top) is a minus fused to it (measured on the synthetic faces:
#: 99 % of minus signs centre higher than that, 95 % of the crossbars of 4s lower).
STRONG_MINUS_CY = 0.64
#: A minus fused between two digits is at least this many digit heights wide.
INNER_DASH_MIN_W = 0.3
#: A line crop's levels scale with its glyphs' own ink (`_glyph_ink`) where that is
#: under this share of the crop's contrast and something longer than a digit is brighter.
INK_CAP_SHARE = 0.75
#: Hysteresis levels of the line threshold (fractions of the crop's contrast): a pixel
#: this far above its neighbourhood and the paper joins ink it touches.
WEAK_LOCAL = 0.06
WEAK_LEVEL = 0.2


@dataclass(frozen=True)
class Components:
    """Connected components of a mask (background excluded).

    Attributes:
        stats: N x 5 int32 (x, y, w, h, area).
        capped: True when more components existed than were kept.
    """

    stats: NDArray[np.int32]
    capped: bool = False


def small_median(values: NDArray[Any] | list[float]) -> float:
    """The median of a few numbers, as `np.median` gives it, without its overhead.

    The reader takes medians of a handful of box sizes many times per frame, where
    `np.median`'s setup costs 20-30 times the work; sorting a short list does not.
    """
    v = sorted(values.tolist() if isinstance(values, np.ndarray) else values)
    n = len(v)
    if n == 0:
        raise ValueError("median of no values")
    m = n // 2
    return float(v[m]) if n % 2 else (float(v[m - 1]) + float(v[m])) / 2.0


def small_percentile(values: NDArray[Any] | list[float], q: float) -> float:
    """The `q`-th percentile of a few numbers (any shape, flattened), as `np.percentile`
    gives it with its default linear method, without its overhead (which is most of the
    cost for the few dozen values the segment reader takes percentiles of, many times
    per frame). The interpolation is numpy's own, step by step, so the result is the same
    float."""
    v = sorted(np.asarray(values, np.float64).ravel().tolist())
    n = len(v)
    if n == 0:
        raise ValueError("percentile of no values")
    vi = (n - 1) * (q / 100)
    i = min(int(vi), n - 1)
    j = min(i + 1, n - 1)
    t = vi - i
    a, b = v[i], v[j]
    d = b - a
    # numpy's `_lerp`: from the nearer end, so t = 1 gives b exactly
    return b - d * (1 - t) if t >= 0.5 else a + d * t


def _label(mask: NDArray[np.uint8]) -> tuple[int, NDArray[np.int32], NDArray[np.int32], Any]:
    """8-connected components with stats (Grana's algorithm: the fastest of OpenCV's here)."""
    return cv2.connectedComponentsWithStatsWithAlgorithm(mask, 8, cv2.CV_32S, cv2.CCL_GRANA)


def components(mask: NDArray[np.uint8], *, max_count: int = 4000) -> Components:
    """Outer connected components (8-connected) of a binary mask.

    Holes are background, so the hole of a 0/6/8/9 never becomes a glyph of its own.

    Args:
        mask: HxW uint8, nonzero = ink.
        max_count: keep at most this many (the largest by area) so a frame of pure noise
            cannot make later stages slow.

    Returns:
        Components with stats of shape N x 5.
    """
    n, _, stats, _ = _label(mask)
    stats = stats[1:n].astype(np.int32)
    capped = len(stats) > max_count
    if capped:
        # Drop specks first; they are what floods a noisy frame.
        keep = np.argsort(-stats[:, _A], kind="stable")[:max_count]
        stats = stats[np.sort(keep)]
    return Components(stats, capped)


def glyph_candidates(
    stats: NDArray[np.int32], *, frame_h: int, min_h: int, max_frac: float
) -> NDArray[np.bool_]:
    """Which components could be a digit (or a run of touching digits).

    Sizes are relative: at least `min_h` px and at most `max_frac` of the frame high; the
    width may reach 4 heights (touching digits are split later); thin solid bars wider than a
    "1" (card edges, rules) and near-solid blocks are rejected.

    Args:
        stats: N x 5 component stats.
        frame_h: frame height in pixels.
        min_h: smallest digit height.
        max_frac: largest digit height as a fraction of frame_h.

    Returns:
        N bool.
    """
    w = stats[:, _W].astype(np.float32)
    h = stats[:, _H].astype(np.float32)
    fill = stats[:, _A] / np.maximum(w * h, 1)
    aspect = w / np.maximum(h, 1)
    ok = (h >= min_h) & (h <= max_frac * frame_h) & (fill >= 0.08)
    # Up to 4 heights wide: a few touching digits. Wider only when dense like print: a
    # whole small word fused by blur (refinement splits it).
    ok &= (aspect <= 4.0) | ((aspect <= 9.0) & (fill >= 0.3) & (fill <= 0.85))
    # A solid block is not a digit, unless it is as thin as a sans-serif "1".
    ok &= (fill <= 0.92) | (aspect <= 0.3)
    # Very thin tall strokes much thinner than any "1" are rules and card edges.
    ok &= aspect >= 0.06
    return ok


def link_neighbours(boxes: NDArray[np.int32]) -> list[NDArray[np.intp]]:
    """Group glyph boxes into lines by chaining each box to its nearest right neighbour.

    A neighbour has a similar height, sits on about the same baseline (allowing a slope of
    up to ±6°), and is not too far away relative to the glyph size. Groups come back in no
    particular order; each group's indices are sorted left to right.

    Args:
        boxes: N x 4 int (x, y, w, h).

    Returns:
        Index arrays, one per group (singletons included).
    """
    n = len(boxes)
    if n == 0:
        return []
    b = boxes.astype(np.float32)
    x, y, w, h = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    cx, cy, x2, y2 = x + w / 2, y + h / 2, x + w, y + h
    hm = np.maximum(h[:, None], h[None, :])
    hmin = np.minimum(h[:, None], h[None, :])
    dx = cx[None, :] - cx[:, None]
    gap = x[None, :] - x2[:, None]
    ok = (dx > 0) & (hm <= 1.45 * hmin) & (gap >= -0.35 * hm) & (gap <= 1.6 * hm)
    slope = MAX_SLOPE * np.abs(dx)
    ok &= np.abs(cy[None, :] - cy[:, None]) <= 0.3 * hm + slope
    ok &= np.abs(y2[None, :] - y2[:, None]) <= 0.35 * hm + slope
    cost = np.where(ok, gap + 0.5 * np.abs(cy[None, :] - cy[:, None]), np.inf)
    # Union-find on Python lists: a frame links hundreds of boxes, one element at a time.
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    right = np.argmin(cost, axis=1)
    has_right = np.isfinite(cost[np.arange(n), right])
    left_a = np.argmin(cost, axis=0)
    has_left = np.isfinite(cost[left_a, np.arange(n)]).tolist()
    left = left_a.tolist()
    # Link only mutual best neighbours (or a one-sided best with no competitor), which keeps
    # a line from jumping to a parallel line through one ambiguous pair.
    for i, j in zip(np.flatnonzero(has_right).tolist(), right[has_right].tolist(), strict=True):
        if left[j] == i or not has_left[j]:
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[rj] = ri
    roots = np.array([find(i) for i in range(n)])
    # Groups in order of their root, each left to right (ties in index order): one stable
    # sort by (root, cx) cut where the root changes, not a mask and a sort per group.
    order = np.lexsort((cx, roots))
    cuts = np.flatnonzero(np.diff(roots[order])) + 1
    return np.split(order, cuts)


def union_labels(n: int, pairs: NDArray[np.intp]) -> NDArray[np.intp]:
    """Connected-component labels of items 0..n-1 joined by `pairs` (K x 2).

    Each item gets the smallest index in its group. Vectorized (min-label propagation with
    pointer jumping, O(log n) numpy passes) because frames of clutter give thousands of
    pairs, where a Python union-find loop costs milliseconds.
    """
    lab = np.arange(n)
    if n == 0 or len(pairs) == 0:
        return lab
    i = np.asarray(pairs[:, 0], np.intp)
    j = np.asarray(pairs[:, 1], np.intp)
    while True:
        li, lj = lab[i], lab[j]
        m = np.minimum(li, lj)
        new = lab.copy()
        np.minimum.at(new, li, m)
        np.minimum.at(new, lj, m)
        new = new[new]  # pointer jumping: point at the root's root
        new = new[new]
        if np.array_equal(new, lab):
            return lab
        lab = new


def union_groups(n: int, pairs: NDArray[np.intp]) -> list[NDArray[np.intp]]:
    """Items 0..n-1 joined by `pairs` (K x 2), as groups (sorted index arrays).

    Groups come in the order of their smallest member.
    """
    roots = union_labels(n, pairs)
    order = np.argsort(roots, kind="stable")
    cuts = np.flatnonzero(np.diff(roots[order])) + 1
    return list(np.split(order, cuts)) if n else []


def group_boxes(
    labels: NDArray[np.intp], x: NDArray[Any], y: NDArray[Any], w: NDArray[Any], h: NDArray[Any]
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Bounding boxes of labelled groups (labels from `union_labels`).

    Returns:
        (order, G x 4 float x, y, w, h): `order` sorts items by group (stable), so
        `np.split(order, cuts)` gives the members; boxes are in the order of the groups'
        smallest members, as `union_groups` lists them.
    """
    order = np.argsort(labels, kind="stable")
    starts = np.concatenate([[0], np.flatnonzero(np.diff(labels[order])) + 1])
    xs, ys = x[order].astype(np.float64), y[order].astype(np.float64)
    x0 = np.minimum.reduceat(xs, starts)
    y0 = np.minimum.reduceat(ys, starts)
    x1 = np.maximum.reduceat(xs + w[order], starts)
    y1 = np.maximum.reduceat(ys + h[order], starts)
    return order, np.stack([x0, y0, x1 - x0, y1 - y0], 1)


def bridge_dashes(
    groups: list[NDArray[np.intp]], boxes: NDArray[np.int32], marks: NDArray[np.int32]
) -> list[NDArray[np.intp]]:
    """Join groups of glyph boxes that a minus sign, a point or a 1 stands between ("9 - 19").

    A minus is too small to be a glyph candidate, so in widely set text ("9 - 18 - 80") the
    glyphs on either side of it are too far apart to link and the number falls apart into
    pieces, a lone "9" among them; so does "44 . 50" at its point, and a number at a 1 too
    thin to be a candidate. Two groups are one line when they sit on one baseline (tilted
    by their own slope) with digits of one height, the gap between them is at most a few
    digit heights, and a dash-shaped blob (a short bar at mid-height), a point-shaped one
    on the baseline or a bar of the digits' height lies in that gap.

    Args:
        groups: index arrays into `boxes`, each sorted left to right (`link_neighbours`).
        boxes: N x 4 int (x, y, w, h) glyph candidates.
        marks: M x 4 int (x, y, w, h) of the frame's other components (smaller ones, and
            candidates linked to no neighbour).

    Returns:
        The groups with bridged ones joined (each still sorted left to right).
    """
    if len(groups) < 2 or len(marks) == 0:
        return groups
    b = boxes.astype(np.float32)
    first = np.array([g[0] for g in groups])
    last = np.array([g[-1] for g in groups])
    # Most groups are a single box, whose height is its median.
    hg = b[first, 3].copy()
    for k, g in enumerate(groups):
        if len(g) > 1:
            hg[k] = small_median(b[g, 3])
    # Left group i's last box, right group j's first box.
    lx2 = b[last, 0] + b[last, 2]
    ly2 = b[last, 1] + b[last, 3]
    lcy = b[last, 1] + b[last, 3] / 2
    rx = b[first, 0]
    ry2 = b[first, 1] + b[first, 3]
    rcy = b[first, 1] + b[first, 3] / 2
    hm = np.maximum(hg[:, None], hg[None, :])
    gap = rx[None, :] - lx2[:, None]
    ok = (gap > 0.2 * hm) & (gap <= 3.5 * hm) & (hm <= 1.3 * np.minimum(hg[:, None], hg[None, :]))
    # Across the gap a tilted line's baseline moves by the groups' own slope (first to
    # last box; the mean of both where both have two boxes or more, else 0).
    span = (b[last, 0] + b[last, 2] / 2) - (b[first, 0] + b[first, 2] / 2)
    own = span > 0
    slope = np.where(own, (ly2 - ry2) / np.maximum(span, 1), 0.0).clip(-MAX_SLOPE, MAX_SLOPE)
    n_own = own[:, None].astype(np.float32) + own[None, :]
    pair_slope = (slope[:, None] + slope[None, :]) / np.maximum(n_own, 1)
    shift = pair_slope * gap
    ok &= np.abs(ry2[None, :] - ly2[:, None] - shift) <= 0.3 * hm
    ok &= np.abs(rcy[None, :] - lcy[:, None] - shift) <= 0.3 * hm
    pairs = np.argwhere(ok)
    if len(pairs) == 0:
        return groups
    m = marks.astype(np.float32)
    mx, mw, mh = m[:, 0], m[:, 2], m[:, 3]
    mcy = m[:, 1] + mh / 2
    my2 = m[:, 1] + mh
    bridged = []
    for i, j in pairs:
        h = float(hm[i, j])
        cy = (lcy[i] + rcy[j]) / 2
        between = (mx >= lx2[i] - 0.1 * h) & (mx + mw <= rx[j] + 0.1 * h)
        dash = (
            between
            & (np.abs(mcy - cy) <= 0.25 * h)
            & (mh <= 0.35 * h)
            & (mw >= 1.2 * mh)
            & (mw >= 0.2 * h)
            & (mw <= 1.2 * h)
        )
        # in widely set text a point, or a 1 too thin to be a glyph candidate, leaves a
        # gap as wide: a blob on the baseline a point's size, or a bar the digits' height
        base = (ly2[i] + ry2[j]) / 2 + pair_slope[i, j] * (mx + mw / 2 - (lx2[i] + rx[j]) / 2)
        on_base = between & (np.abs(my2 - base) <= 0.15 * h)
        point = (mh >= 0.08 * h) & (mh <= 0.35 * h) & (mw >= 0.5 * mh) & (mw <= 2.0 * mh)
        bar = (mh >= 0.8 * h) & (mh <= 1.15 * h) & (mw <= 0.35 * h)
        if (dash | (on_base & (point | bar))).any():
            bridged.append((int(i), int(j)))
    if not bridged:
        return groups
    joined = {
        int(sets[0]): [groups[k] for k in sets.tolist()]
        for sets in union_groups(len(groups), np.array(bridged, np.intp))
    }
    cx = b[:, 0] + b[:, 2] / 2
    out = []
    for parts in joined.values():
        idx = np.concatenate(parts) if len(parts) > 1 else parts[0]
        out.append(idx[np.argsort(cx[idx], kind="stable")] if len(parts) > 1 else idx)
    return out


@dataclass(frozen=True)
class LineGeometry:
    """A detected text line in frame coordinates.

    Attributes:
        boxes: K x 4 int (x, y, w, h) of its glyph candidates, left to right.
        polarity: ink polarity the line was found in.
        slope: dy/dx of its baseline.
        height: median glyph height in pixels.
    """

    boxes: NDArray[np.int32]
    polarity: Polarity
    slope: float
    height: float

    @functools.cached_property
    def bbox(self) -> Box:
        # Cached: detection, the gate and refinement all ask, and the boxes never change
        # (cached_property writes the instance dict, which a frozen dataclass allows).
        # A line has a few boxes: Python's min/max beat four numpy reductions.
        rows = self.boxes.tolist()
        x0 = min(r[0] for r in rows)
        y0 = min(r[1] for r in rows)
        x1 = max(r[0] + r[2] for r in rows)
        y1 = max(r[1] + r[3] for r in rows)
        return Box(x0, y0, x1 - x0, y1 - y0)


def line_geometry(boxes: NDArray[np.int32], polarity: Polarity) -> LineGeometry:
    """Fit a line's baseline slope and height from its glyph boxes (K x 4, left to right)."""
    b = boxes.astype(np.float64)
    h = small_median(b[:, 3])
    slope = 0.0
    if len(b) >= 2:
        cx = b[:, 0] + b[:, 2] / 2
        # Fit the middle of the boxes, not the bottoms: descender-free digits share both.
        mid = b[:, 1] + b[:, 3] / 2
        # Box centres are multiples of 0.5, so their sums are exact in any order: a Python
        # sum gives np.mean's value without its overhead (the products below stay numpy's).
        dx = cx - sum(cx.tolist()) / len(cx)
        var = float(dx @ dx)
        if var > 0:
            slope = float(dx @ (mid - sum(mid.tolist()) / len(mid))) / var
        slope = min(max(slope, -MAX_SLOPE * 1.5), MAX_SLOPE * 1.5)
    return LineGeometry(boxes.astype(np.int32), polarity, slope, h)


def _line_cmp(a: Box, b: Box) -> int:
    """Reading order of two line boxes: side by side -> left first, else top first.

    Side by side, two lines share rows and no columns: a tilted line's box takes in the
    rows of a shorter line set above one end of it, whose columns it shares."""
    overlap = min(a.y2, b.y2) - max(a.y, b.y)
    shared = min(a.x2, b.x2) - max(a.x, b.x)
    if overlap > 0.5 * min(a.h, b.h) and shared <= SIDE_BY_SIDE_SHARE * min(a.w, b.w):
        return -1 if a.cx < b.cx else (1 if a.cx > b.cx else 0)
    return -1 if a.cy < b.cy else (1 if a.cy > b.cy else 0)


def order_lines(bboxes: list[Box]) -> list[int]:
    """Indices of line boxes in reading order (top to bottom; side-by-side left to right)."""
    idx = list(range(len(bboxes)))
    # Sort by centre first so the pairwise rule sees a consistent starting order.
    idx.sort(key=lambda i: (bboxes[i].cy, bboxes[i].cx))
    return sorted(idx, key=functools.cmp_to_key(lambda i, j: _line_cmp(bboxes[i], bboxes[j])))


def reading_order(boxes: NDArray[np.int32]) -> list[list[int]]:
    """Group boxes into lines and order them: lines top to bottom, glyphs left to right.

    Independent of the input order (a permutation of `boxes` gives the same lines, up to
    renumbering).

    Args:
        boxes: N x 4 int (x, y, w, h).

    Returns:
        One list of indices into `boxes` per line, in reading order.
    """
    boxes = np.asarray(boxes, np.int32).reshape(-1, 4)
    # Canonical order first, so ties inside the linker never depend on the caller's order.
    canon = np.lexsort((boxes[:, 3], boxes[:, 2], boxes[:, 1], boxes[:, 0]))
    groups = [canon[g] for g in link_neighbours(boxes[canon])]
    geoms = [line_geometry(boxes[g], Polarity.DARK_ON_LIGHT).bbox for g in groups]
    return [[int(i) for i in groups[k]] for k in order_lines(geoms)]


# --------------------------------------------------------------------------- refinement


@dataclass(frozen=True)
class Unit:
    """One glyph or mark found when refining a line.

    Attributes:
        box: frame coordinates.
        patch: glyph pixels (ink bright, background 0), float32, from the upright crop;
            None for marks.
        mark: '.' or '-' when size and position decide, else ''.
        rel_h: height relative to the line's digit height.
        alternatives: for a blob of touching glyphs, the ways to split it (each a tuple of
            units); the classifier picks one. Empty for ordinary units.
        clipped: cut to its line's band (ink joined on above or below left out): offered
            as an alternative to the unit whole, never alone.
    """

    box: Box
    patch: NDArray[np.float32] | None
    mark: str
    rel_h: float
    alternatives: tuple[tuple[Unit, ...], ...] = ()
    clipped: bool = False


@dataclass(frozen=True)
class RefinedLine:
    """A line after refinement: its units left to right, and where it is."""

    units: tuple[Unit, ...]
    polarity: Polarity
    bbox: Box


def _line_crop(
    gray: NDArray[np.uint8], line: LineGeometry, *, target_h: int
) -> tuple[NDArray[np.float32], NDArray[np.float64]]:
    """An upright, rescaled crop around a line, ink bright.

    Returns:
        (crop, inv): the crop (float32, ink bright, 0..255) and the 2x3 affine that maps
        crop pixels back to frame pixels.
    """
    hh, ww = gray.shape
    bb = line.bbox
    h = max(line.height, 1.0)
    # Room on the left for a leading minus, on the right for a trailing mark, and above
    # and below for the slope across the line.
    skew_pad = abs(line.slope) * bb.w / 2
    x0 = max(0, int(bb.x - CROP_MARGIN * h))
    x1 = min(ww, int(bb.x2 + CROP_MARGIN * h) + 1)
    y0 = max(0, int(bb.y - 0.4 * h - skew_pad * 0.2))
    y1 = min(hh, int(bb.y2 + 0.4 * h + skew_pad * 0.2) + 1)
    s = target_h / h
    cw, ch = max(1, round((x1 - x0) * s)), max(1, round((y1 - y0) * s))
    angle = np.degrees(np.arctan(line.slope))
    centre = ((x0 + x1) / 2, (y0 + y1) / 2)
    rot = cv2.getRotationMatrix2D(centre, angle, s)
    # Put the rotated, scaled crop's centre at the output centre.
    rot[0, 2] += cw / 2 - centre[0]
    rot[1, 2] += ch / 2 - centre[1]
    interp = cv2.INTER_LINEAR if s >= 1 else cv2.INTER_AREA
    crop = cv2.warpAffine(gray, rot, (cw, ch), flags=interp, borderMode=cv2.BORDER_REPLICATE)
    crop = crop.astype(np.float32)
    if line.polarity is Polarity.DARK_ON_LIGHT:
        crop = 255.0 - crop
    inv = cv2.invertAffineTransform(rot)
    return crop, inv


def _to_frame_box(inv: NDArray[np.float64], x: float, y: float, w: float, h: float) -> Box:
    """The frame box around crop box (x, y, w, h) mapped through the 2x3 affine `inv`."""
    pts = np.array([[x, y, 1], [x + w, y, 1], [x + w, y + h, 1], [x, y + h, 1]], np.float64)
    # The product stays a matmul (BLAS's fused multiply-adds give the corners' exact bits,
    # which plain Python arithmetic does not); the rest is four numbers, cheaper in Python
    # than as numpy reductions on a 4x2 array (called ~50 times a frame).
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = (pts @ inv.T).tolist()
    fx0, fy0 = math.floor(min(x0, x1, x2, x3)), math.floor(min(y0, y1, y2, y3))
    fx1, fy1 = math.ceil(max(x0, x1, x2, x3)), math.ceil(max(y0, y1, y2, y3))
    return Box(fx0, fy0, fx1 - fx0, fy1 - fy0)


def _touches(
    labels: NDArray[np.int32],
    a: NDArray[np.int32],
    ids: list[int],
    stats: NDArray[np.int32],
    r: int,
) -> bool:
    """Does component `a` (a stats row) come within `r` px of any component in `ids`?"""
    x0, y0 = max(0, int(a[_X]) - r), max(0, int(a[_Y]) - r)
    x1, y1 = int(a[_X] + a[_W]) + r, int(a[_Y] + a[_H]) + r
    win = labels[y0:y1, x0:x1]
    # Usually one component to test against, where a comparison is cheaper than np.isin.
    near = (win == ids[0] + 1) if len(ids) == 1 else np.isin(win, np.asarray(ids) + 1)
    if not near.any():
        return False
    mine = (win == a[5] + 1).astype(np.uint8)
    grown = cv2.dilate(mine, np.ones((2 * r + 1, 2 * r + 1), np.uint8))
    return bool((grown.astype(bool) & near).any())


def _enclosed(labels: NDArray[np.int32], a: list[int], ids: list[int]) -> bool:
    """Whether components `ids` hold component `a` (a stats row as a list) in a hole:
    their ink lies left and right of it on its middle row, above and below it on its
    middle column (a dotted zero's dot, no mark)."""
    x, y, w, h = a[:4]
    cy, cx = y + h // 2, x + w // 2
    lut = np.zeros(int(labels.max()) + 1, np.bool_)
    lut[np.asarray(ids) + 1] = True
    row, col = lut[labels[cy]], lut[labels[:, cx]]
    return bool(row[:x].any() and row[x + w :].any() and col[:y].any() and col[y + h :].any())


def _merge_overlapping(
    stats: NDArray[np.int32], labels: NDArray[np.int32], *, top: float, bottom: float
) -> list[list[int]]:
    """Group components whose x-ranges overlap by more than half the narrower one.

    Broken strokes (the top bar of a 5, a faint joint of a 2) become one glyph again. A
    small blob (a decimal point under an italic digit's overhang) joins only when it
    nearly touches the glyph's pixels, since a point is set apart by a clear gap; a blob
    shaped and placed like a point must touch outright (at small sizes and with blur the
    gap before a point is a pixel or two, as wide as the reach allowed for fragments).

    Args:
        stats: K x 6 rows (x, y, w, h, area, label-1) of the components to group.
        labels: the label image they come from.
        top: top row of the line's digits.
        bottom: bottom row (baseline) of the line's digits.
    """
    line_h = bottom - top
    order = np.argsort(stats[:, _X], kind="stable")
    groups: list[list[int]] = []
    ext: list[tuple[int, int]] = []
    r = max(1, round(0.06 * line_h))
    # The rows as Python ints: this loop reads them one number at a time.
    rows = stats.tolist()
    for i in order.tolist():
        sx, sy, sw, sh, sa = rows[i][:5]
        x0, x1 = sx, sx + sw
        if groups:
            gx0, gx1 = ext[-1]
            inter = min(x1, gx1) - max(x0, gx0)
            if inter > 0.5 * min(x1 - x0, gx1 - gx0):
                small = sh <= 0.35 * line_h
                w, h = float(sw), float(sh)
                point = _point_shaped(
                    float(sy), w, h, sa / max(w * h, 1.0), bottom=bottom, lh=line_h,
                )  # fmt: skip
                ids = [rows[k][5] for k in groups[-1]]
                if (
                    not small
                    or _touches(labels, stats[i], ids, stats, 1 if point else r)
                    or _enclosed(labels, rows[i], ids)
                ):
                    groups[-1].append(i)
                    ext[-1] = (min(x0, gx0), max(x1, gx1))
                    continue
        groups.append([i])
        ext.append((x0, x1))
    return groups


def _split_points(col: NDArray[np.float32], parts: int, *, even: bool = False) -> list[int]:
    """Cut positions at the ink valleys nearest to equal spacing (`even`: at equal
    spacing)."""
    w = len(col)
    if even:
        return [round(k * w / parts) for k in range(1, parts)]
    cuts = []
    for k in range(1, parts):
        exp = k * w / parts
        lo, hi = int(exp - 0.3 * w / parts), int(exp + 0.3 * w / parts) + 1
        lo, hi = max(1, lo), min(w - 1, hi)
        if hi <= lo:
            cuts.append(int(exp))
            continue
        # Prefer the deepest valley, and among equal ones the one nearest the expected cut.
        seg = col[lo:hi] + 1e-3 * np.abs(np.arange(lo, hi) - exp)
        cuts.append(lo + int(np.argmin(seg)))
    return cuts


def _percentiles_of_bytes(values: NDArray[np.uint8], qs: tuple[float, ...]) -> list[np.float64]:
    """`np.percentile(values.astype(np.float32), qs)` (linear method), bit for bit, by counting.

    Values that are bytes need no partial sort: their order statistics come from a
    histogram, at a fifth of the cost. The interpolation is numpy's own (`_lerp`: from the
    lower neighbour below t = 0.5, from the upper one from there), in float64.
    """
    n = values.size
    cum = np.cumsum(np.bincount(values.ravel(), minlength=256))
    out = []
    for q in qs:
        v = (n - 1) * (q / 100)
        # numpy takes the last value for both neighbours at (or past) the end.
        k0 = n - 1 if v >= n - 1 else math.floor(v)
        k1 = n - 1 if v >= n - 1 else k0 + 1
        a, b = np.searchsorted(cum, [k0, k1], side="right").tolist()
        t = v - k0
        diff = float(b - a)
        out.append(np.float64(b - diff * (1 - t) if t >= 0.5 else a + diff * t))
    return out


def _ink_levels(
    crop: NDArray[np.float32], *, target_h: int, whole: bool = False, ink_cap: float | None = None
) -> tuple[NDArray[np.bool_], NDArray[np.bool_], float, float]:
    """Threshold an upright crop (ink bright) whose digits are about `target_h` tall.

    Args:
        crop: HxW float32, ink bright.
        target_h: digit height in the crop.
        whole: the crop's values are whole numbers 0..255 (a warped uint8 frame), which
            lets the paper and ink levels be counted instead of sorted.
        ink_cap: the ink level of the line's own glyphs (`_glyph_ink`), or None; the
            contrast is measured up to it where the crop's brightest ink is something
            else, longer than a digit, and well above it (`INK_CAP_SHARE`).

    Returns:
        (strict, weak, paper_level, contrast): HxW bool masks of clear ink and of faint ink
        (a superset), and the levels they used.
    """
    # Percentiles of a subsample: the same levels at a quarter of the cost.
    sample = crop[::2, ::2]
    if whole:
        lo, hi = _percentiles_of_bytes(sample.astype(np.uint8), (5, 99))
    else:
        lo, hi = np.percentile(sample, [5, 99])
    capped = False
    if (
        ink_cap is not None
        and ink_cap - lo < INK_CAP_SHARE * (hi - lo)
        and _long_ink(crop > ink_cap, target_h=target_h)
    ):
        # A card's edge or a rule in the crop outshines faint text: the contrast the
        # levels scale with is the text's own, else thin light strokes fall apart.
        hi = ink_cap
        capped = True
    contrast = max(float(hi - lo), 1.0)
    block = odd(1.3 * target_h)
    # (what outshines the text counts at the text's level in its neighbourhood: beside a
    # small card's edge the bright ground beyond would lift the mean over the strokes)
    mean = cv2.blur(
        np.minimum(crop, np.float32(hi)) if capped else crop,
        (block, block),
        borderType=cv2.BORDER_REPLICATE,
    )
    # Ink must stand above its neighbourhood and above the paper level, by a margin
    # proportional to this crop's own contrast (not a global constant).
    # ...and above the ground under it: the crop's opening (the ground with strokes
    # narrower than `GROUND_KERNEL` digit heights taken out) follows a shadow's sharp
    # edge, which the mean blurs: beside the edge, the bright side stands over the mean
    # as ink would, and joins the glyphs it crosses into one blob.
    k = odd(GROUND_KERNEL * target_h)
    ground = cv2.morphologyEx(crop, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
    base = np.maximum(mean, ground)
    strict = (crop > base + 0.12 * contrast) & (crop > lo + 0.3 * contrast)
    weak = (crop > base + WEAK_LOCAL * contrast) & (crop > lo + WEAK_LEVEL * contrast)
    return strict, weak, float(lo), contrast


#: Lines side by side share at most this much of the narrower one's columns.
SIDE_BY_SIDE_SHARE = 0.1
#: A line's crop reaches this many digit heights beyond its detected ends (`_line_crop`).
CROP_MARGIN = 1.1
#: A unit within this many digit heights of its crop's end may have more beyond it,
#: looked for `WIDEN` digit heights beyond the line's detected end (`refine_line`), as
#: often as the units found reach the wider crop's end again (up to `WIDEN_STEPS` times),
#: and kept where each unit found there lies within `WIDEN_GAP` digit heights of the next.
EDGE_REACH = 0.5
WIDEN = 2.5
#: Share of a wider crop's unit's width that must lie over a line's extent for it to count
#: as over it (`_more_beyond`).
OVERLAP_SHARE = 0.25
#: A glyph the first crop's side cut grows by this many digit heights in the wider crop.
CUT_GROWTH = 0.25
WIDEN_STEPS = 3
WIDEN_GAP = 1.0
#: A glyph within this many digit heights of its crop's side is cut by it; standing this
#: many or more from the unit next to it, it is no glyph of the line (`_without_cut_glyphs`).
CUT_TOL = 0.05
CUT_GAP = 0.5
#: ... where this many glyphs or more are left.
CUT_MIN_GLYPHS = 3

#: Strokes narrower than this many digit heights are ink over the ground (`_ink_levels`).
GROUND_KERNEL = 0.65

#: 3x3 structuring element of `_masked_patch` (made once: it runs for every piece).
_DILATE_3X3 = np.ones((3, 3), np.uint8)


def _ink_components(
    crop: NDArray[np.float32], *, target_h: int, whole: bool = False, ink_cap: float | None = None
) -> tuple[int, NDArray[np.int32], NDArray[np.int32], float, float]:
    """Ink components of a crop by hysteresis, in one labelling pass (`ink_cap` as in
    `_ink_levels`).

    A component is a faint-ink component that holds clear ink (the hairlines of a blurred
    serif face hold its glyph's pieces together, while faint blobs of their own, shadows
    and texture, stay out). Faint-ink components are labelled once with stats; those
    without clear ink are dropped and the rest renumbered in their order. The stats are
    of the whole component, but only its clear-ink pixels carry its label.

    Returns:
        (n, labels, stats, paper_level, contrast) as `_label` and `_ink_levels` give them.
    """
    strict, weak, lo, contrast = _ink_levels(crop, target_h=target_h, whole=whole, ink_cap=ink_cap)
    n, labels, stats, _ = _label((weak | strict).view(np.uint8))
    if n <= 1:
        return n, labels, stats, lo, contrast
    seeded = np.zeros(n, np.bool_)
    seeded[labels[strict]] = True
    seeded[0] = False
    ids = np.flatnonzero(seeded)
    lut = np.zeros(n, np.int32)
    lut[ids] = np.arange(1, len(ids) + 1, dtype=np.int32)
    # Faint ink decides which clear-ink pieces belong together, but only clear ink is
    # labelled: a glyph's pixels stay the ones the classifier was trained on (faint pixels
    # fill a letter's gaps and make an "A" look like a "4").
    out = lut[labels]
    out[~strict] = 0
    return len(ids) + 1, out, np.vstack([stats[:1], stats[ids]]), lo, contrast


def _masked_patch(
    crop: NDArray[np.float32], piece: NDArray[np.uint8], x: int, y: int, bg: float
) -> NDArray[np.float32]:
    """Glyph pixels above the paper level, kept only on (slightly dilated) ink."""
    h, w = piece.shape
    m = cv2.dilate(piece, _DILATE_3X3)
    # float32 - float stays float32; max(., 0) is the clip, and the product with the
    # uint8 mask is a new float32 array, written in place (no further copy).
    out = crop[y : y + h, x : x + w] - bg
    np.maximum(out, 0, out=out)
    np.multiply(out, m, out=out)
    return out


def glyph_patch_from_crop(
    patch: NDArray[np.generic], *, target_h: int = 40
) -> NDArray[np.float32] | None:
    """Turn an isolated glyph crop (ink bright) into the patch the reader would produce.

    Used to add isolated training glyphs that look exactly like the reader's own units:
    rescaled to `target_h`, thresholded the same way, fragments merged, masked.

    Args:
        patch: HxW glyph crop, ink bright (uint8 or float).

    Returns:
        The masked float32 patch, or None when the crop holds no ink.
    """
    p = np.asarray(patch, np.float32)
    if p.ndim != 2 or min(p.shape) < 2:
        return None
    s = target_h / p.shape[0]
    interp = cv2.INTER_LINEAR if s >= 1 else cv2.INTER_AREA
    crop = cv2.resize(p, (max(2, round(p.shape[1] * s)), target_h), interpolation=interp)
    n, labels, stats, lo, _ = _ink_components(crop, target_h=target_h)
    if n <= 1:
        return None
    st = stats[1:]
    # Keep components that are a real part of the glyph (not specks in the margin).
    ids = np.flatnonzero(st[:, _H] >= 0.15 * st[:, _H].max()) + 1
    sel = np.isin(labels, ids).astype(np.uint8)
    rows = np.flatnonzero(sel.any(axis=1))
    cols = np.flatnonzero(sel.any(axis=0))
    y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    return _masked_patch(crop, sel[y0:y1, x0:x1], int(x0), int(y0), lo)


def refine_line(gray: NDArray[np.uint8], line: LineGeometry, *, target_h: int = 40) -> RefinedLine:
    """Re-segment one line in an upright crop scaled so digits are `target_h` px tall.

    Args:
        gray: HxW uint8 frame (not thresholded).
        line: the detected line.
        target_h: digit height in the crop.

    Returns:
        The line's units (glyph patches and marks) left to right, in frame coordinates.
    """
    # (dark ink only: a display's lit digits outshine its unlit ghost segments, which a
    # line of their own must not read at their own level)
    cap = _glyph_ink(gray, line) if line.polarity is Polarity.DARK_ON_LIGHT else None
    refined, tilt = _refine_at(gray, line, target_h=target_h, ink_cap=cap)
    geo = line
    if abs(tilt) > RESIDUAL_SLOPE:
        # Clutter chained into the detected line tilted its slope: the digits still lean in
        # the crop, and a minus before them falls off the band. Crop again, upright; kept
        # only if the digits stand upright there (two lines merged into one lean anyhow).
        slope = float(np.tan(np.arctan(line.slope) + np.arctan(tilt)))
        upright = replace(line, slope=float(np.clip(slope, -MAX_SLOPE, MAX_SLOPE)))
        again, tilt2 = _refine_at(gray, upright, target_h=target_h, ink_cap=cap)
        if abs(tilt2) <= RESIDUAL_SLOPE / 2:
            refined, geo = again, upright
    for step in range(WIDEN_STEPS):
        widened = _widened(geo, refined, gray.shape[1])
        if widened is None:
            break
        wider, sides = widened
        # Glyphs the frame's threshold joined to a shadow's edge never made the detected
        # line, though the line's own crop reads them: a glyph found at the crop's edge
        # may have more beyond it (a minus before it, in the shadow). Kept where the wider
        # crop finds units beyond the glyphs found and reads those alike (its levels may
        # differ: a segment digit's middle bar came apart as a minus).
        again, _ = _refine_at(gray, wider, target_h=target_h, ink_cap=cap)
        gap = WIDEN_GAP * geo.height
        more = _more_beyond(refined.units, again.units, sides, gap=gap, grown=step > 0)
        if more is None:
            # (the narrow crop's side cut a glyph, its foot left over as a point there)
            bits = _without_glyph_bits(refined.units, again.units)
            if bits and len(bits) < len(refined.units):
                more = _more_beyond(bits, again.units, sides, gap=gap, grown=step > 0)
        if more is None:
            break
        refined, geo = replace(refined, units=more), wider
    return _without_cut_glyphs(refined, geo, gray.shape[1])


def _without_cut_glyphs(refined: RefinedLine, line: LineGeometry, width: int) -> RefinedLine:
    """A refined line without the glyphs its crop's side cut (`_line_crop`), beyond the
    line's detected boxes and `CUT_GAP` digit heights or more from the unit next to them,
    where no wider crop read more there (`_more_beyond`): what stands apart off a line's
    end and runs on out of its crop is clutter beyond a card's border, read as a '1' or
    '4' before the number ("17-33099"); a digit the crop cut stands as close as the
    line's glyphs. (Where the frame's edge cut the crop, a glyph there is kept: the
    frame cut it, not the crop.)"""
    units = refined.units
    if len(units) < 2:
        return refined
    bb, h = line.bbox, max(line.height, 1.0)
    x0, x1 = bb.x - CROP_MARGIN * h, bb.x2 + CROP_MARGIN * h
    tol, gap = CUT_TOL * h, CUT_GAP * h
    first, last = units[0], units[-1]
    drop = set()
    if (not first.mark and x0 > 0 and first.box.x <= x0 + tol and first.box.x2 <= bb.x
            and units[1].box.x - first.box.x2 >= gap):  # fmt: skip
        drop.add(0)
    if (not last.mark and x1 < width and last.box.x2 >= x1 - tol and last.box.x >= bb.x2
            and last.box.x - units[-2].box.x2 >= gap):  # fmt: skip
        drop.add(len(units) - 1)
    # (the most glyphs each unit may hold: a blob of touching glyphs, as its splits make)
    left = sum(_counts_in(u)[1] for i, u in enumerate(units) if i not in drop)
    if not drop or left < CUT_MIN_GLYPHS:
        # (a line of a glyph or two is no number's line to trim: clutter's own pieces, a
        # lone bar beside a display, read so would stand as a line of their own)
        return refined
    return replace(refined, units=tuple(u for i, u in enumerate(units) if i not in drop))


def _more_beyond(
    units: tuple[Unit, ...],
    wider: tuple[Unit, ...],
    sides: tuple[bool, bool],
    *,
    gap: float,
    grown: bool,
) -> tuple[Unit, ...] | None:
    """A wider crop's units where they hold more beyond `units`' extent on the sides it
    was widened on (left, right), each within `gap` px of the next toward the extent
    (texture further off is no part of the line), and over the extent as many glyphs and
    marks as `units` (a glyph the narrow crop cut at its edge is whole there); else None.
    A glyph the narrower crop cut at a widened end, whole now, is more too: grown by a
    couple of pixels with `grown` (the line was widened already for glyphs found beyond),
    else by `CUT_GROWTH` digit heights (a 4 the first crop's side cut read as a 1). Units
    beyond an end not widened are left out: the narrow crop saw that end whole (what the
    wider crop's levels add there is specks)."""
    x0 = min(u.box.x for u in units)
    x1 = max(u.box.x2 for u in units)
    # (before the line grew, a glyph the crop cut must grow by a share of a digit, a pixel
    # or two more being the wider crop's levels, and stand as close to the next as the
    # line's glyphs do: a card's corner beyond its first digit is no glyph)
    grow = 2 if grown else CUT_GROWTH * gap / WIDEN_GAP
    # Over the extent is any unit reaching into it (a glyph the narrow crop cut at its
    # edge, whole now), or failing that, only one a share of whose width lies over it (the
    # wider crop's levels spread a 5 beside a 7 onto the 7's first column).
    for share in (0.0, OVERLAP_SHARE):
        over = [min(u.box.x2, x1) - max(u.box.x, x0) > share * u.box.w for u in wider]
        inside = [u for u, o in zip(wider, over, strict=True) if o]
        beyond = [u for u, o in zip(wider, over, strict=True) if not o]
        left = sorted((u for u in beyond if u.box.x < x0), key=lambda u: -u.box.x2)
        right = sorted((u for u in beyond if u.box.x2 > x1), key=lambda u: u.box.x)
        left, right = (left if sides[0] else []), (right if sides[1] else [])
        edges_l = [x0] + [u.box.x for u in left]
        edges_r = [x1] + [u.box.x2 for u in right]
        grew = bool(inside) and (
            (sides[0] and min(u.box.x for u in inside) < x0 - grow)
            or (sides[1] and max(u.box.x2 for u in inside) > x1 + grow)
        )
        grew = grew and (grown or _set_close(inside, sides))
        if (
            (left or right or grew)
            and all(e - u.box.x2 <= gap for e, u in zip(edges_l, left, strict=False))
            and all(u.box.x - e <= gap for e, u in zip(edges_r, right, strict=False))
            and _alike(inside, units)
        ):
            return (*left[::-1], *inside, *right)
    return None


def _set_close(units: list[Unit], sides: tuple[bool, bool]) -> bool:
    """Whether the end units on the given sides (left, right) stand from their neighbours
    no further than twice the line's median gap between units (`units` left to right)."""
    if len(units) < 3:
        return True
    gaps = [b.box.x - a.box.x2 for a, b in itertools.pairwise(units)]
    limit = 2 * max(float(np.median(gaps)), 1.0)
    return not ((sides[0] and gaps[0] > limit) or (sides[1] and gaps[-1] > limit))


def _alike(wider: list[Unit], units: tuple[Unit, ...]) -> bool:
    """Whether a wider crop's units over a line's extent read it as `units` do: as many
    glyphs and marks as some split of their blobs makes (the narrow crop's levels may
    join glyphs the wider crop's part: a line of tight bold digits was one blob there, cut
    by the crop's side, and its minus and first digits beyond were lost)."""
    a = np.array([_counts_in(u) for u in wider], np.int32).reshape(-1, 4).sum(axis=0)
    b = np.array([_counts_in(u) for u in units], np.int32).reshape(-1, 4).sum(axis=0)
    # (ranges of glyphs, then of marks, that meet)
    return bool(a[0] <= b[1] and b[0] <= a[1] and a[2] <= b[3] and b[2] <= a[3])


def _without_glyph_bits(units: tuple[Unit, ...], wider: tuple[Unit, ...]) -> tuple[Unit, ...]:
    """`units` less the marks centred inside a glyph of a wider crop's `wider` units: a
    glyph the narrow crop's side cut, its foot left over as a point (a 7's)."""
    glyphs = [w.box for w in wider if not w.mark]
    return tuple(u for u in units if not (u.mark and any(b.x <= u.box.cx <= b.x2 for b in glyphs)))


def _counts_in(unit: Unit) -> tuple[int, int, int, int]:
    """The fewest and most glyphs, then marks, that a unit's splits make."""
    splits = unit.alternatives or ((unit,),)
    marks = [sum(1 for v in alt if v.mark) for alt in splits]
    glyphs = [len(alt) - m for alt, m in zip(splits, marks, strict=True)]
    return min(glyphs), max(glyphs), min(marks), max(marks)


def _widened(
    line: LineGeometry, refined: RefinedLine, width: int
) -> tuple[LineGeometry, tuple[bool, bool]] | None:
    """The line reaching `WIDEN` digit heights further on each side where its refined
    units reach within `EDGE_REACH` digit heights of its crop's edge (`_line_crop`)
    there, and the crop is not cut by the frame's edge, and which sides (left, right);
    else None."""
    if not any(not u.mark for u in refined.units):
        return None
    # (marks too: a point at the crop's end may have the number's decimals beyond it)
    boxes = [u.box for u in refined.units]
    bb, h = line.bbox, max(line.height, 1.0)
    rows = line.boxes.tolist()
    x0, x1 = bb.x - CROP_MARGIN * h, bb.x2 + CROP_MARGIN * h
    left = x0 > 0 and min(b.x for b in boxes) < x0 + EDGE_REACH * h
    right = x1 < width and max(b.x2 for b in boxes) > x1 - EDGE_REACH * h
    if not (left or right):
        return None
    # (a box a pixel wide at each new end, on the row of the box it extends: the line's
    # boxes stay left to right)
    before = [[int(bb.x - WIDEN * h), rows[0][1], 1, rows[0][3]]] if left else []
    after = [[int(bb.x2 + WIDEN * h), rows[-1][1], 1, rows[-1][3]]] if right else []
    boxes_lr = np.array([*before, *rows, *after], np.int32)
    return replace(line, boxes=boxes_lr), (left, right)


def _refine_at(
    gray: NDArray[np.uint8], line: LineGeometry, *, target_h: int, ink_cap: float | None
) -> tuple[RefinedLine, float]:
    """`refine_line` in one crop along `line.slope`, and how much the digits still lean
    there (`_residual_slope`); `ink_cap` as in `_ink_levels`."""
    crop, inv = _line_crop(gray, line, target_h=target_h)
    # The crop is a warped uint8 frame (maybe inverted): whole numbers 0..255.
    n, labels, stats, lo, contrast = _ink_components(
        crop, target_h=target_h, whole=True, ink_cap=ink_cap
    )
    empty = RefinedLine((), line.polarity, line.bbox)
    stats = stats[1:n]
    band = _line_band(stats, crop_h=crop.shape[0], crop_w=crop.shape[1], target_h=target_h)
    if band is None:
        return empty, 0.0
    tilt = _residual_slope(stats, crop_h=crop.shape[0], target_h=target_h)
    top, bottom = band
    lh = max(bottom - top, 1.0)
    # Keep components that lie inside the band (allowing a little overshoot) or are
    # small enough to be marks within it.
    inside = (stats[:, _Y] >= top - 0.3 * lh) & (stats[:, _Y] + stats[:, _H] <= bottom + 0.3 * lh)
    fits = inside & (stats[:, _H] <= 1.4 * lh)
    # (a long thin piece is a rule or a card's edge, no mark: grouped, it would join every
    # glyph it runs under into one)
    fits &= (stats[:, _W] <= RULE_MIN_W * lh) | (stats[:, _H] > RULE_THICK * lh)
    fits |= _without_hairs(stats, labels, fits, top=top, bottom=bottom)
    keep = np.flatnonzero(fits & (stats[:, _A] >= 3))
    if len(keep) == 0:
        return empty, tilt
    rows = np.hstack([stats[keep], keep[:, None].astype(np.int32)])
    groups = _merge_overlapping(rows, labels, top=top, bottom=bottom)
    # Boxes as Python ints: most groups are one component, whose box is its stats row.
    boxes = stats[:, :4].tolist()
    bg = float(lo)
    units: list[Unit] = []
    glyph_inks = []
    pending: list[tuple[int, int, int, int, NDArray[np.uint8], float]] = []
    for g in groups:
        ids = keep[g]
        gb = [boxes[k] for k in ids.tolist()]
        gx0 = min(x for x, _, _, _ in gb)
        gy0 = min(y for _, y, _, _ in gb)
        gx1 = max(x + w for x, _, w, _ in gb)
        gy1 = max(y + h for _, y, _, h in gb)
        win = labels[gy0:gy1, gx0:gx1]
        sub = (win == ids[0] + 1) if len(ids) == 1 else np.isin(win, ids + 1)
        sub = sub.astype(np.uint8)
        ink = _whole_mean(crop[gy0:gy1, gx0:gx1], sub) - bg
        pending.append((gx0, gy0, gx1 - gx0, gy1 - gy0, sub, ink))
        if gy1 - gy0 >= 0.6 * lh:
            glyph_inks.append(ink)
    ink_ref = small_median(glyph_inks) if glyph_inks else contrast
    slant = _line_slant([(w, h, sub) for (_, _, w, h, sub, _) in pending], lh=lh)
    widths = [w for (_, _, w, h, _, _) in pending if h >= 0.6 * lh and 0.3 < w / h < 0.95]
    est_w = small_median(widths) if widths else 0.62 * lh
    for gx, gy, gw, gh, sub, ink in pending:
        rel_h = gh / lh
        if rel_h >= 0.6:
            spans = [(0, gw)]
            if gw / gh > 0.95:
                spans = []
                for a0, b0, is_dash in _dash_spans(sub, gy, top=top, lh=lh):
                    if is_dash:
                        units.append(
                            Unit(_to_frame_box(inv, gx + a0, gy, b0 - a0, gh), None, "-", rel_h)
                        )
                    else:
                        spans.append((a0, b0))
            geo = _PieceGeometry(crop, inv, gx, gy, sub, top, bottom, ink, ink_ref, bg, slant)
            for a0, b0 in spans:
                options = _split_options(b0 - a0, gh, est_w)
                alts = [_pieces(geo, a0, b0, n) for n in options]
                # (and cut evenly: between round glyphs set tight, their strokes side by
                # side are no valley, but the hollow of each "0" is one)
                alts += [_pieces(geo, a0, b0, n, even=True) for n in options if n > 1]
                # A glyph joined to a card's edge or a rule above or below the line stands
                # out of the band: the glyph alone is offered too, for the classifier to
                # prefer ("273" whose 7 touched the card's top edge read "203", dropped).
                reach = (BAND_CLIP + BAND_OVERSHOOT) * lh
                if gy < top - reach or gy + gh > bottom + reach:  # (else no piece can)
                    clipped = _pieces(geo, a0, b0, 1, clip=True)
                    if any(u.clipped for u in clipped):
                        alts.append(clipped)
                cut_alts, strong = _with_tail_cut(geo, a0, b0, est_w)
                head_alts, head_strong = _with_head_cut(geo, a0, b0, est_w)
                # On a tie the first alternative wins: the blob as it is, unless the tail
                # is a bar at mid-height, above where a 4's crossbar sits (a minus, surely).
                alts = cut_alts + alts if strong else alts + cut_alts
                alts = head_alts + alts if head_strong else alts + head_alts
                if len(alts) == 1:
                    units.extend(alts[0])
                else:
                    # Which split is right is for the classifier to say (see pipeline).
                    units.append(
                        Unit(
                            _to_frame_box(inv, gx + a0, gy, b0 - a0, gh),
                            None,
                            "",
                            rel_h,
                            tuple(tuple(a) for a in alts),
                        )
                    )
            continue
        if gx == 0:
            gx, gy, gw, gh, sub = _off_the_edge(gx, gy, sub)
        mark = _mark_kind(gx, gy, gw, gh, sub, top=top, bottom=bottom, ink=ink, ink_ref=ink_ref)
        if mark:
            units.append(Unit(_to_frame_box(inv, gx, gy, gw, gh), None, mark, rel_h))
    units.sort(key=lambda u: u.box.cx)
    units = _drop_misplaced_marks(units)
    return RefinedLine(tuple(units), line.polarity, line.bbox), tilt


def _without_hairs(
    stats: NDArray[np.int32],
    labels: NDArray[np.int32],
    fits: NDArray[np.bool_],
    *,
    top: float,
    bottom: float,
) -> NDArray[np.bool_]:
    """Components standing out of the band by a hairline only, cut back to the band.

    A glyph's stroke joined by a thread of ink (a scratch, the blur of a shadow's edge) to
    something beyond the crop reaches far out of the band, yet nearly all of its ink is a
    glyph's: the ink beyond the band (widened by `HAIR_REACH` heights) is dropped from
    `labels` and `stats` (both changed in place) where it is at most `HAIR_SHARE` of it,
    and the component no wider than a digit is high (crossing lines of clutter, cut so,
    leave a wide blob that splits into "digits").

    Args:
        stats: Nx5 (x, y, w, h, area) of the crop's components (label k + 1 is row k).
        labels: the crop's HxW label image.
        fits: N, the components that lie in the band already.
        top, bottom: the band's rows.

    Returns:
        N bools: the components cut back to the band.
    """
    lh = bottom - top
    lo = max(0, int(np.floor(top - HAIR_REACH * lh)))
    hi = int(np.ceil(bottom + HAIR_REACH * lh))
    y0, y1 = stats[:, _Y], stats[:, _Y] + stats[:, _H]
    big = (stats[:, _H] >= 0.6 * lh) & (stats[:, _W] <= lh)
    out = np.zeros(len(stats), bool)
    for k in np.flatnonzero(~fits & big & (y0 < bottom) & (y1 > top) & (y0 >= lo - lh)):
        x, y, w, h = (int(v) for v in stats[k, :4])
        win = labels[y : y + h, x : x + w]
        own = win == k + 1
        rows = np.arange(y, y + h)
        beyond = own & ((rows < lo) | (rows >= hi))[:, None]
        n_own, n_beyond = int(own.sum()), int(beyond.sum())
        if not n_own or n_beyond > HAIR_SHARE * n_own:
            continue
        # (with no clear ink beyond, only the faint thread reached out: the component's
        # box is its clear ink's)
        win[beyond] = 0
        bx, by, bw, bh = cv2.boundingRect((own & ~beyond).view(np.uint8))
        stats[k, :5] = (x + bx, y + by, bw, bh, int(stats[k, _A]) - n_beyond)
        out[k] = 0.6 * lh <= bh <= 1.4 * lh
    return out


def _off_the_edge(
    x: int, y: int, sub: NDArray[np.uint8]
) -> tuple[int, int, int, int, NDArray[np.uint8]]:
    """A small group at the crop's left edge without its pieces the edge cuts.

    A speck of clutter cut by the crop's edge may join the group of a minus set well
    before its number; the edge's pieces are clutter reaching in, and what stands apart
    from them is judged as a mark on its own.

    Args:
        x: the group's left column in the crop (0: at the edge).
        y: its top row.
        sub: its HxW 0/1 uint8 mask.

    Returns:
        (x, y, w, h, mask) of what is left off the edge; the group as it is where every
        piece, or none, touches the edge.
    """
    n, lab, st, _c = cv2.connectedComponentsWithStats(sub, connectivity=8)
    keep = [k for k in range(1, n) if st[k, _X] > 0]
    if not keep or len(keep) == n - 1:
        return x, y, sub.shape[1], sub.shape[0], sub
    rest = np.isin(lab, keep).astype(np.uint8)
    bx, by, bw, bh = cv2.boundingRect(rest)
    return x + bx, y + by, bw, bh, rest[by : by + bh, bx : bx + bw]


def _long_ink(mask: NDArray[np.bool_], *, target_h: int) -> bool:
    """Whether an HxW mask holds a component longer than a digit `target_h` tall (a
    card's edge, a rule: lit digits, a display's, are digit-sized)."""
    _n, _labels, stats, _c = cv2.connectedComponentsWithStats(mask.view(np.uint8), connectivity=8)
    return bool(((stats[1:, _W] > 2 * target_h) | (stats[1:, _H] > 1.5 * target_h)).any())


def _glyph_ink(gray: NDArray[np.uint8], line: LineGeometry) -> float:
    """The ink level inside a line's glyph boxes in an HxW uint8 frame: the 99th
    percentile of its pixels, ink bright (as in the line's crop), 0..255."""
    vals = np.concatenate(
        [gray[y : y + h, x : x + w].ravel() for x, y, w, h in line.boxes.tolist()]
    )
    if vals.size == 0:
        return 255.0
    if line.polarity is Polarity.DARK_ON_LIGHT:
        return 255.0 - float(_percentiles_of_bytes(vals, (1,))[0])
    return float(_percentiles_of_bytes(vals, (99,))[0])


def _whole_mean(pix: NDArray[np.float32], mask: NDArray[np.uint8]) -> float:
    """`float(pix[mask > 0].mean())` for whole-number pixels 0..255 and a 0/1 mask, cheaper.

    numpy sums float32 in float32, which is exact for whole numbers while the total stays
    under 2**24, and divides in float64 before rounding to float32. OpenCV's masked mean
    (a float64 sum times 1/n) gives that same exact total back after rounding, without
    the boolean gather and numpy's reduction setup (~30 blobs a line).
    """
    n = cv2.countNonZero(mask)
    if n == 0 or n * 255 >= 1 << 24:
        return float(pix[mask > 0].mean())
    total = round(cv2.mean(pix, mask=mask)[0] * n)
    return float(np.float32(total / n))


def _line_band(
    stats: NDArray[np.int32], *, crop_h: int, crop_w: int, target_h: int
) -> tuple[float, float] | None:
    """Top and bottom (crop rows) of a line crop's digits, or None when it has none.

    The crop is centred on the line and scaled so digits are about `target_h` tall: the
    band is the median top and bottom of the digit-sized components (`stats`, K x 5) near
    its middle row. Components the crop's edges cut are clutter around the line (its
    margins reach past the digits, or a glyph joined to a card's edge runs off it);
    they count only where no other one does: in a short line of two digits, two of them
    outvote the digits, and a sliver of a frame's edge beside one clean digit halves its
    band.
    """
    if len(stats) == 0:
        return None
    cyc = stats[:, _Y] + stats[:, _H] / 2
    near = np.abs(cyc - crop_h / 2) < 0.75 * target_h
    big = near & (stats[:, _H] >= 0.5 * target_h) & (stats[:, _H] <= 1.6 * target_h)
    if not big.any():
        return None
    inner = (
        big
        & (stats[:, _X] > 0)
        & (stats[:, _Y] > 0)
        & (stats[:, _X] + stats[:, _W] < crop_w)
        & (stats[:, _Y] + stats[:, _H] < crop_h)
    )
    if inner.any():
        big = inner
    return small_median(stats[big, _Y]), small_median(stats[big, _Y] + stats[big, _H])


def _residual_slope(stats: NDArray[np.int32], *, crop_h: int, target_h: int) -> float:
    """How much the digits still lean in a line crop: dy/dx of the centres of the
    components of the digits' common height near its middle (the median of pairwise
    slopes), 0.0 with fewer than four (a short line's lean is no evidence)."""
    cyc = stats[:, _Y] + stats[:, _H] / 2
    near = np.abs(cyc - crop_h / 2) < 0.75 * target_h
    big = near & (stats[:, _H] >= 0.7 * target_h) & (stats[:, _H] <= 1.3 * target_h)
    if big.sum() < 3:
        return 0.0
    # digits share a height; clutter chained into the line rarely does
    hm = float(np.median(stats[big, _H]))
    big &= np.abs(stats[:, _H] - hm) <= 0.12 * hm
    if big.sum() < 4:
        return 0.0
    cx = stats[big, _X] + stats[big, _W] / 2
    cy = cyc[big]
    i, j = np.triu_indices(len(cx), 1)
    dx = cx[j] - cx[i]
    ok = np.abs(dx) >= 0.5 * target_h
    if not ok.any():
        return 0.0
    return float(np.median((cy[j] - cy[i])[ok] / dx[ok]))


@dataclass(frozen=True)
class _PieceGeometry:
    """What cutting pieces out of one blob needs to know (crop, mapping, line band)."""

    crop: NDArray[np.float32]
    inv: NDArray[np.float64]
    gx: int
    gy: int
    sub: NDArray[np.uint8]
    top: float
    bottom: float
    ink: float
    ink_ref: float
    bg: float
    #: How far the line's strokes lean (columns per row, negative leaning right as they
    #: rise, as italics do): blobs are cut along it (`_pieces`).
    slant: float = 0.0


def _tail_cut(sub: NDArray[np.uint8], a0: int, b0: int, gy: int, *, top: float, lh: float) -> int:
    """Where a mark fused to the right of a glyph starts (a column), or -1.

    Blur, bold faces and tight setting join "8." or "0-" into one blob. Its right end is
    then a run of columns whose ink lies only low in the band, down to the baseline, a
    point's width long; or only in a thin bar at mid-height, a minus's width long. The
    tail of a "2", the foot of a serif "1" and the crossbar of a "4" look the same, so
    this only offers the cut: the classifier decides whether the glyph reads better
    with or without it.
    """
    # The blob's box is its faint ink's, its mask the clear ink: the last columns of the
    # box may hold no clear ink; the runs end at the last column that does.
    inked = np.flatnonzero(sub[:, a0:b0].any(axis=0))
    if len(inked) == 0:
        return -1
    b0 = a0 + int(inked[-1]) + 1
    # Both runs end at the last column: most blobs' last column is neither low nor a bar,
    # and then there is no run to measure (the tests below, on that column alone).
    edge = np.flatnonzero(sub[:, b0 - 1])
    if len(edge) == 0:
        return -1
    f, e = int(edge[0]) + gy, int(edge[-1]) + gy
    if not (
        f >= top + 0.6 * lh
        or (f >= top + 0.22 * lh and e <= top + 0.8 * lh and e - f + 1 <= 0.32 * lh)
    ):
        return -1
    cols = sub[:, a0:b0].astype(bool)
    has = cols.any(axis=0)
    first = np.argmax(cols, axis=0) + gy
    last = cols.shape[0] - 1 - np.argmax(cols[::-1], axis=0) + gy
    low = has & (first >= top + 0.6 * lh)
    bar = (
        has
        & (first >= top + 0.22 * lh)
        & (last <= top + 0.8 * lh)
        & (last - first + 1 <= 0.32 * lh)
    )
    span = last - first + 1
    for kind, lo_w, hi_w in ((low, 0.08, 0.4), (bar, 0.25, 1.05)):
        run = 0
        for x in range(len(kind) - 1, -1, -1):
            if not kind[x]:
                break
            run += 1
        if run:
            # The glyph's own edge can pass the test in the run's first columns (the
            # lower right of an italic 0 beside a minus): where the ink is much taller
            # than the mark's own, it is still the glyph.
            own = small_median(span[len(kind) - run :])
            while run and span[len(kind) - run] > 1.5 * own:
                run -= 1
        if not (lo_w * lh <= run <= hi_w * lh and len(kind) - run >= 0.3 * lh):
            continue
        # A point reaches down to the baseline (its edge columns, being round, need not).
        if kind is low and last[len(kind) - run :].max() < top + 0.85 * lh:
            continue
        return b0 - run
    return -1


#: A point cut off a glyph's side is at least this share of its height wide (`_mark_unit`).
CUT_POINT_ROUND = 0.7


def _mark_unit(geo: _PieceGeometry, c0: int, c1: int) -> tuple[Unit, bool] | None:
    """The mark that columns c0..c1 of a blob hold, cut off it, or None.

    Returns:
        (the mark's unit, strong): strong when it is a minus at mid-height
        (`STRONG_MINUS_CY`): the crossbar of a 4 sits low, about 0.7 of the digit height
        from its top; a bar up there is a minus, whatever its length.
    """
    lh = geo.bottom - geo.top
    part = geo.sub[:, c0:c1]
    rows = np.flatnonzero(part.any(axis=1))
    y0, y1 = int(rows[0]), int(rows[-1]) + 1
    x, y, w, h = geo.gx + c0, geo.gy + y0, c1 - c0, y1 - y0
    mark = _mark_kind(
        x, y, w, h, part[y0:y1], top=geo.top, bottom=geo.bottom, ink=geo.ink, ink_ref=geo.ink_ref
    )
    if not mark or (mark == "." and w < CUT_POINT_ROUND * h):
        # (a point cut off a glyph is round: a serif 2's upturned foot is taller than wide)
        return None
    unit = Unit(_to_frame_box(geo.inv, x, y, w, h), None, mark, h / lh)
    return unit, mark == "-" and (y + h / 2) <= geo.top + STRONG_MINUS_CY * lh


def _with_tail_cut(
    geo: _PieceGeometry, a0: int, b0: int, est_w: float
) -> tuple[list[list[Unit]], bool]:
    """Alternatives for a blob with a mark fused on its right: the rest, then the mark.

    Returns:
        (alternatives, strong): strong when the mark is a minus at mid-height
        (`_mark_unit`), where no digit's stroke sticks out.
    """
    cut = _tail_cut(geo.sub, a0, b0, geo.gy, top=geo.top, lh=geo.bottom - geo.top)
    found = _mark_unit(geo, cut, b0) if cut >= 0 else None
    if found is None:
        return [], False
    unit, strong = found
    height = int(geo.sub.shape[0])
    alts = [[*_pieces(geo, a0, cut, n), unit] for n in _split_options(cut - a0, height, est_w)]
    return alts, strong


def _with_head_cut(
    geo: _PieceGeometry, a0: int, b0: int, est_w: float
) -> tuple[list[list[Unit]], bool]:
    """Alternatives for a blob with a mark fused on its left: the mark, then the rest.

    A point set tight before a digit (".0", "9.8" with the point against the 8) or a
    minus before one joins it as a mark joins the digit before it (`_with_tail_cut`,
    whose tests this runs on the mirrored blob).
    """
    wd = geo.sub.shape[1]
    flipped = np.ascontiguousarray(geo.sub[:, ::-1])
    cut_f = _tail_cut(flipped, wd - b0, wd - a0, geo.gy, top=geo.top, lh=geo.bottom - geo.top)
    if cut_f < 0:
        return [], False
    rest = wd - cut_f  # the mark is the blob's columns left of this one
    inked = np.flatnonzero(geo.sub[:, a0:rest].any(axis=0))
    found = _mark_unit(geo, a0 + int(inked[0]), rest) if len(inked) else None
    if found is None:
        return [], False
    unit, strong = found
    height = int(geo.sub.shape[0])
    alts = [[unit, *_pieces(geo, rest, b0, n)] for n in _split_options(b0 - rest, height, est_w)]
    return alts, strong


def _split_options(width: int, height: int, est_w: float) -> list[int]:
    """How many glyphs a blob of this size may hold: one or a few counts to try.

    A blob no wider than a digit stays whole (unless it is `TWO_NARROW` of the line's
    digits wide: then whole or as two); a wider one is tried at the count its width
    suggests (from the line's other glyphs), at the count digits of usual proportions
    (`TYPICAL_ASPECT`) give, and their neighbours, since bold faces have wide digits and a
    "1" is narrow (at most `MAX_SPLIT` glyphs: a line fused whole).
    """
    aspect = width / max(height, 1)
    by_width = round(width / max(est_w, 1.0))
    if aspect <= 0.98 and width >= TWO_NARROW * est_w:
        # two narrow digits touching ("54" set tight) are no wider than one wide
        # digit: in a line of narrow ones, that width is two
        return [1, 2]
    if aspect <= 0.98 or (aspect <= 1.3 and by_width < 2):
        return [1]
    # (and at the count digits of usual proportions give: a line's other glyphs may be
    # narrow 1s, or its digits fused in pairs, and then `est_w` is far from the digits')
    by_shape = round(aspect / TYPICAL_ASPECT)
    lo = max(1 if aspect <= 1.3 else 2, min(by_width, by_shape) - 1, int(np.ceil(aspect / 1.05)))
    hi = min(MAX_SPLIT, max(max(by_width, by_shape) + 1, lo), int(aspect / 0.3))
    return list(range(lo, max(lo, hi) + 1))


def _line_slant(blobs: list[tuple[int, int, NDArray[np.uint8]]], *, lh: float) -> float:
    """How far a line's glyphs lean: the median over its blobs of one glyph's size (as tall
    as most of the band, no wider than tall) of the slope of their ink's columns on its
    rows (second moments), in columns per row; 0 where it is under `SLANT_MIN` or fewer
    than `SLANT_MIN_GLYPHS` glyphs say (an upright 7 or 4 leans by itself)."""
    slopes = []
    for w, h, sub in blobs:
        if h >= 0.6 * lh and w <= h:
            m = cv2.moments(sub, binaryImage=True)
            if m["mu02"] > 0:
                slopes.append(m["mu11"] / m["mu02"])
    if len(slopes) < SLANT_MIN_GLYPHS:
        return 0.0
    slope = small_median(slopes)
    return slope if abs(slope) >= SLANT_MIN else 0.0


def _cut_columns(
    sub: NDArray[np.uint8], a0: int, b0: int, parts: int, slant: float, *, even: bool = False
) -> list[tuple[int, NDArray[np.uint8]]]:
    """Columns a0..b0 of a blob's mask cut into `parts` at ink valleys (`even`: at equal
    spacing), as (first column, piece's mask) pairs; a piece's mask is as tall as `sub`.
    In a leaning line (`slant` columns per row) the cuts lean with it: touching italic
    glyphs overlap column-wise, and an upright cut takes a slice of the next glyph along
    (an italic "000" read as four pieces); each piece's mask then spans the columns a0..b0
    and holds only the ink on its side of the cuts."""
    region = sub[:, a0:b0]
    if parts <= 1 or slant == 0.0 or not region.any():
        col = region.sum(axis=0).astype(np.float32)
        inner = _split_points(col, parts, even=even) if parts > 1 else []
        cuts = [a0, *(a0 + c for c in inner), b0]
        return [(a, sub[:, a:b]) for a, b in itertools.pairwise(cuts)]
    h, w = region.shape
    pad = int(np.ceil(abs(slant) * h / 2)) + 1
    mid = (h - 1) / 2
    # each pixel's column once the lean is taken out (about the band's middle row)
    shift = np.rint(-slant * (np.arange(h) - mid)).astype(np.int32)[:, None] + pad
    upright = np.arange(w, dtype=np.int32)[None, :] + shift
    col = np.zeros(w + 2 * pad, np.float32)
    ys, xs = np.nonzero(region)
    np.add.at(col, upright[ys, xs], 1.0)
    lo, hi = int(upright[ys, xs].min()), int(upright[ys, xs].max()) + 1
    inner = _split_points(col[lo:hi], parts, even=even)
    cuts = [lo, *(lo + c for c in inner), hi]
    return [
        (a0, (region * ((upright >= a) & (upright < b))).astype(np.uint8))
        for a, b in itertools.pairwise(cuts)
    ]


def _pieces(
    geo: _PieceGeometry, a0: int, b0: int, parts: int, *, clip: bool = False, even: bool = False
) -> list[Unit]:
    """Cut columns a0..b0 of a blob into `parts` pieces at ink valleys; marks by geometry.

    With `clip`, a piece reaching well beyond the line's band (`BAND_OVERSHOOT`) is cut
    to the band (`BAND_CLIP`) and flagged `clipped`; a piece the cut leaves too short for a
    digit is left out."""
    lh = geo.bottom - geo.top
    out: list[Unit] = []
    for a, piece in _cut_columns(geo.sub, a0, b0, parts, geo.slant, even=even):
        # The bounds of the piece's ink (one C call; rows/columns by numpy cost 10x).
        px0, py0, pw, ph = cv2.boundingRect(piece) if piece.size else (0, 0, 0, 0)
        if pw == 0:
            continue
        clipped = False
        if clip:
            lo_y = int(geo.top - BAND_CLIP * lh) - geo.gy
            hi_y = int(np.ceil(geo.bottom + BAND_CLIP * lh)) - geo.gy
            if py0 < lo_y - BAND_OVERSHOOT * lh or py0 + ph > hi_y + BAND_OVERSHOOT * lh:
                cut = piece[max(0, lo_y) : max(0, hi_y)]
                cx0, cy0, cw, ch = cv2.boundingRect(cut) if cut.size else (0, 0, 0, 0)
                if ch < 0.6 * lh:
                    continue
                piece = np.zeros_like(piece)
                piece[max(0, lo_y) : max(0, hi_y)] = cut
                px0, py0, pw, ph = cx0, max(0, lo_y) + cy0, cw, ch
                clipped = True
        ax, ay = geo.gx + a + px0, geo.gy + py0
        m = piece[py0 : py0 + ph, px0 : px0 + pw]
        box = _to_frame_box(geo.inv, ax, ay, pw, ph)
        if ph < 0.6 * lh:
            # A split can free a mark that was fused to its neighbours ("6-6").
            mark = _mark_kind(
                ax, ay, pw, ph, m, top=geo.top, bottom=geo.bottom, ink=geo.ink, ink_ref=geo.ink_ref
            )
            if mark:
                out.append(Unit(box, None, mark, ph / lh))
                continue
        out.append(
            Unit(box, _masked_patch(geo.crop, m, ax, ay, geo.bg), "", ph / lh, clipped=clipped)
        )
    return out


#: A minus fused to the next digit ends where its bar swells past this many times its own
#: median thickness (`_dash_spans`).
DASH_SWELL = 1.5


def _dash_spans(
    sub: NDArray[np.uint8], gy: int, *, top: float, lh: float
) -> list[tuple[int, int, bool]]:
    """Split a wide blob's columns where a minus touches a digit.

    A column whose ink lies only in a thin bar at mid-height is "dash-like"; a run of them at
    least a quarter of the digit height wide, at the blob's left end or between two digits,
    is a minus fused to its neighbour (common at small sizes). Right-end runs are left alone:
    the crossbar of a 4 sticks out there, and a trailing minus is not a number; so are runs
    between two digits whose bar lies below `STRONG_MINUS_CY` (a 4's crossbar touching the
    next digit).

    Returns:
        (start, end, is_dash) column spans covering the blob, left to right.
    """
    has = sub.astype(bool)
    w = has.shape[1]
    any_col = has.any(axis=0)
    first = np.argmax(has, axis=0) + gy
    last = has.shape[0] - 1 - np.argmax(has[::-1], axis=0) + gy
    dash = (
        any_col
        & (first >= top + 0.22 * lh)
        & (last <= top + 0.8 * lh)
        & (last - first + 1 <= 0.32 * lh)
    )
    spans: list[tuple[int, int, bool]] = []
    start = 0
    dash_l = dash.tolist()  # read column by column: Python bools, not numpy scalars
    for x in range(1, w + 1):
        if x == w or dash_l[x] != dash_l[start]:
            spans.append((start, x, dash_l[start]))
            start = x
    mid = (first + last) / 2
    thick = last - first + 1
    out: list[tuple[int, int, bool]] = []
    start = 0
    for i, (_a, b, d) in enumerate(spans):
        a = start
        real = d and (b - a) >= 0.25 * lh and i < len(spans) - 1
        if real and i > 0:
            # between two digits, a bar low in the band is a 4's crossbar run on into the
            # next digit ('3934-43' for 393443); a minus sits higher
            real = float(np.median(mid[a:b])) <= top + STRONG_MINUS_CY * lh
        end = b
        if real:
            # The next digit's own bar may run on from the minus: a 4's crossbar, where its
            # diagonal starts, swells the bar (and was cut off the 4: '969-4' read '969-?').
            # The minus ends where the bar swells past its own thickness.
            swell = DASH_SWELL * float(np.median(thick[a:b]))
            while end - a > 0.25 * lh and thick[end - 1] > swell:
                end -= 1
            # (between two digits, a minus is wider than a 4's crossbar's stub run on
            # into the next digit: '90524-4')
            real = i == 0 or end - a >= INNER_DASH_MIN_W * lh
        b = end if real else b
        start = b
        if out and not real and not out[-1][2]:
            out[-1] = (out[-1][0], b, False)
        else:
            out.append((a, b, real))
    return out


def _mark_kind(
    x: int,
    y: int,
    w: int,
    h: int,
    sub: NDArray[np.uint8],
    *,
    top: float,
    bottom: float,
    ink: float,
    ink_ref: float,
) -> str:
    """'.' or '-' by size, shape and position in the line band, else ''."""
    lh = bottom - top
    if ink < 0.5 * ink_ref:
        return ""  # fainter than the digits: a speck of noise or a shadow
    # A small mark blurs: its faint ink (the box) reaches beyond its clear ink (the mask),
    # so its fill is the clear ink's within the clear ink's own box (a stroke's fragment
    # stays thin there too).
    # (That box lies inside the mask's, so this fill is never lower than the mask's.)
    _x, _y, cw, ch = cv2.boundingRect(sub)
    if cw == 0:
        return ""
    fill = cv2.countNonZero(sub) / (cw * ch)
    # (a short minus blurred is as tall as it is wide in its faint ink, still a bar in
    # its clear ink; but a blob the crop's left edge cuts is clutter reaching in)
    if _minus_shaped(y, w, h, fill, top=top, lh=lh) or (
        x > 0 and _minus_shaped(y + _y, cw, ch, fill, top=top, lh=lh)
    ):
        return "-"
    # A blurred point's faint halo can be half the digit height and reach below the
    # baseline; its clear ink is the point.
    if _point_shaped(y, w, h, fill, bottom=bottom, lh=lh) or _point_shaped(
        y + _y, cw, ch, fill, bottom=bottom, lh=lh
    ):
        return "."
    return ""


def _minus_shaped(y: float, w: float, h: float, fill: float, *, top: float, lh: float) -> bool:
    """A bar a minus' size at mid-height of a line (top `top`, height lh)."""
    cy = y + h / 2
    return (
        # A minus is a thin bar, but blur at small sizes (14 px digits) swells it to over
        # a third of the digit height; still wider than tall, and off the baseline.
        h <= 0.38 * lh
        and 0.2 * lh <= w <= 1.05 * lh
        and w >= 1.25 * h
        and top + 0.25 * lh <= cy <= top + 0.78 * lh
        and fill >= 0.5
    )


def _point_shaped(y: float, w: float, h: float, fill: float, *, bottom: float, lh: float) -> bool:
    """A compact blob, a point's size, sitting on the baseline (`bottom`, line height lh)."""
    return (
        # Up to about half the digit height: at 15 px a bold point blurs to that size.
        0.07 * lh <= h <= 0.48 * lh
        and 0.07 * lh <= w <= 0.5 * lh
        and 0.45 <= w / max(h, 1e-6) <= 2.2
        and abs((y + h) - bottom) <= 0.16 * lh
        and fill >= 0.45
    )


def _drop_misplaced_marks(units: list[Unit]) -> list[Unit]:
    """Marks must touch the text: a '.' needs a glyph on its left, a '-' one on its right."""
    out: list[Unit] = []
    glyph_x = [u.box.cx for u in units if not u.mark]
    if not glyph_x:
        return []
    lo, hi = min(glyph_x), max(glyph_x)
    digit_h = small_median([u.box.h for u in units if not u.mark])
    for k, u in enumerate(units):
        if u.mark == "." and not (u.box.cx > lo):
            continue
        if u.mark == "-":
            if not (u.box.cx < hi):
                continue
            # A minus is set close to its number (at most about half a digit height in
            # the faces measured); a bar further off is an edge or a rule beside it.
            nxt = next((v for v in units[k + 1 :] if not v.mark), None)
            if nxt is not None and nxt.box.x - u.box.x2 > MAX_MINUS_GAP * digit_h:
                continue
        out.append(u)
    # Two marks side by side is not plausible print; keep the first, unless a minus
    # stands further from it than a minus is set from its number (a speck left of it).
    cleaned: list[Unit] = []
    for u in out:
        if u.mark and cleaned and cleaned[-1].mark:
            if u.mark == "-" and u.box.x - cleaned[-1].box.x2 > MAX_MINUS_GAP * digit_h:
                cleaned[-1] = u
            continue
        cleaned.append(u)
    return cleaned
