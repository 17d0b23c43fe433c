"""`read_frame`: one frame in, one `Reading` out, each stage timed.

preprocess (gray, denoise, both-polarity adaptive threshold) → segment (candidates, lines,
per-line refinement) → classify (one batch for the whole frame) → assemble (reject, marks,
line plausibility, overlaps between polarities, reading order).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from itertools import pairwise
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from digitcam.classify import Model
from digitcam.config import ReaderConfig
from digitcam.dataset import normalize_cell
from digitcam.features import glyph_features, normalize_glyph
from digitcam.metrics import levenshtein
from digitcam.preprocess import denoise, ink_masks, ink_offset, noise_sigma, odd, to_gray
from digitcam.segment import (
    MAX_SLOPE,
    LineGeometry,
    RefinedLine,
    Unit,
    bridge_dashes,
    components,
    glyph_candidates,
    line_geometry,
    link_neighbours,
    order_lines,
    refine_line,
    small_median,
)
from digitcam.sevenseg import (
    NO_EVIDENCE_FACTOR,
    beside_line,
    read_cell,
    read_displays,
    stitch_lines,
)
from digitcam.shadow import ShadowEdge, find_shadow_edge, lift_shadow
from digitcam.types import (
    MARKS,
    NOT_GLYPH,
    UNKNOWN,
    Box,
    Glyph,
    GlyphKind,
    Polarity,
    Reading,
    Timings,
    text_of,
)

#: Display windows (4 x 2 float32 corners each, `sevenseg.DisplayReading.windows`).
Windows = tuple[NDArray[np.float32], ...]

#: Refining is the costly step; a cluttered frame cannot ask for more lines than this.
MAX_LINES = 24
#: The line gate looks at a few blobs per line, cheaply; a cluttered frame has many more
#: candidate lines than text lines, so the gate sees up to this many before refinement is
#: capped at `MAX_LINES` (capping first would drop short text lines in clutter).
MAX_GATED_LINES = 64
#: Lone digit-shaped blobs refined when a frame has no line of two or more glyphs.
MAX_SINGLES = 8

#: Small text is looked for again with a window of 1/`FINE_BLOCK_DIV` of the frame's
#: smaller side (`detect_lines`), in glyphs up to `FINE_MAX_FRAC` of the frame high.
FINE_BLOCK_DIV = 30
FINE_MAX_FRAC = 0.06
#: A line found so whose box overlaps a line found before by this IoU is that line.
FINE_SAME_IOU = 0.7
#: At most this many lines found so join a frame's (the most glyph candidates first).
FINE_MAX_LINES = 6
#: ... of this many glyph candidates or more ("-56" on a small label is two).
FINE_MIN_GLYPHS = 2
#: Such lines of this many glyph candidates or more take part in settling polarities.
FINE_VOTING_GLYPHS = 3
#: A frame's line under this share of a small-text line's height (or of its glyphs'
#: median width), where that lies, holds pieces of its glyphs (the frame's window broke
#: them up): it does not stand for it.
FINE_FRAGMENTS = 0.75
#: Noise level (after denoising) above which a frame is treated as noise: camera frames,
#: even grainy ones, measure under 11 here; uniform random pixels measure 25.
NOISE_FRAME_SIGMA = 16.0
#: In a frame of noise or texture, a line needs this mean confidence and no clutter inside.
NOISY_LINE_CONFIDENCE = 0.9
#: Glyph heights in a line may vary by this much (std / mean) before it is clutter.
MAX_HEIGHT_SPREAD = 0.08
#: A glyph at a line's end whose height is this far (relative) from the line's median
#: height is clutter beside the text, not a digit of it.
MAX_END_HEIGHT_DEV = 0.2
#: A line of at most this many glyphs left after clutter was trimmed from its ends needs
#: the confidence of a two-glyph line.
SHORT_AFTER_CLUTTER = 3
#: A line of at most this many digits, no marks, left after a word's letters were trimmed
#: from its ends is dropped.
PAIR_AFTER_CLUTTER = 2
#: Clutter trimmed off a line within this many digit heights of what is left is part of
#: what the line belongs to (a word); further off it is beside it.
CLUTTER_GAP = 1.0
#: How many blobs (or slices of fused blobs) per line the gate looks at.
GATE_CELLS = 4
#: A raw blob passes the line gate when some digit scores this much for it.
GATE_DIGIT_SCORE = 0.45
#: In a line of digits, a "not a glyph" unit whose best digit scores this much is that digit.
CONTEXT_DIGIT_SCORE = 0.3
#: Inside a line, a unit read below the reject threshold is still read as a digit that
#: scores this much where it is the only digit the model scores for it (`_sole_digit`).
SOLE_DIGIT_SCORE = 0.25
#: Other digits score under this for a digit to be the sole one.
SOLE_DIGIT_OTHERS = 0.05
#: Marks are decided by geometry; this is how sure that decision is.
MARK_CONFIDENCE = 0.9
#: A line at least this many times taller than another line it holds whole, with margins
#: all round, is a frame drawn around it (`_without_frames`).
FRAME_HEIGHT = 1.5
# A blob read with a mark cut off its end must read this much better than read whole.
CUT_MARGIN = 0.05
# ...unless the blob is this much wider than the line's other digits and, cut, no wider
# (and reads the same digits, this surely): then the extra width is the point.
WIDE_CUT = 1.15
WIDE_CUT_CONFIDENCE = 0.9
# Of two splits of a blob that read as surely, into digits, the one whose digits (1s left
# out) are this much more even in width wins (`_evenest`).
EVEN_MARGIN = 0.2
# A seven-segment reading that differs from the printed one of its place only in 7s that
# the printed classifier reads as 1s this surely, and narrower than this share of the
# line's other digits, gives way to it (`_prefer_printed_ones`).
PRINTED_ONE = 0.9
PRINTED_ONE_WIDTH = 0.74
# A segment 6 the printed classifier read as 5 must be decoded this surely: a bar-for-bar
# decode scores NO_EVIDENCE_FACTOR (0.6) where nothing else says "display".
SIX_CONFIDENCE = 0.5
# A point fused before its digit took a space of its own: the digit stands at least this
# many point widths further from the glyph before than the line's usual gap.
POINT_ROOM = 0.8
# A glyph before a blob far off: any point cut off the blob's start has room.
ANY_ROOM = (-(2**31), 0.0)
# A point and its digit share the baseline: cut off, the digit reaches down to the
# point's bottom within this share of the point's height.
BASELINE_SLACK = 0.3
# Two digits with a minus before or between them ("-36", "3-6") need this mean
# confidence, not a two-glyph line's: the minus (a bar at mid-height, set close to them)
# is evidence of a number that clutter seldom gives.
SIGNED_PAIR_CONFIDENCE = 0.8
# Two digits with a decimal point between them ("5.9"): a point at the baseline, between
# two glyphs of one height, is as much a sign of a number; two of three neighbours agreeing
# on each digit is enough.
POINTED_PAIR_CONFIDENCE = 0.65
#: A line cut by the frame's top or bottom edge is dropped where its glyphs are at most this
#: share of the frame's height (else the image is a crop around the line).
CUT_LINE_SHARE = 0.3
#: A line of at most this many glyphs that touches the frame's left or right side is dropped.
EDGE_SHORT_LINE = 3


@dataclass(frozen=True)
class Detection:
    """Output of the segment stage: refined lines plus notes."""

    lines: tuple[RefinedLine, ...]
    notes: tuple[str, ...]
    #: The frame is mostly noise or texture (the candidate cap was hit): lines need to be
    #: clean and confident to count.
    noisy: bool = False


def detect_lines(
    gray: NDArray[np.uint8], config: ReaderConfig
) -> tuple[list[LineGeometry], list[str]]:
    """Find text lines in both polarities (or the configured one).

    Args:
        gray: HxW uint8, denoised.
        config: reader options.

    Returns:
        (lines, fine, notes): candidate lines in no particular order, the lines of small
        text found with a small window (`_fine_lines`, at most `FINE_MAX_LINES`), and notes
        for the reading.
    """
    h, w = gray.shape
    block = odd(max(15, min(h, w) / 10))
    sigma = noise_sigma(gray)
    dark, light = ink_masks(gray, block=block, offset=ink_offset(sigma=sigma))
    notes: list[str] = []
    if sigma > NOISE_FRAME_SIGMA:
        notes.append(f"frame is mostly noise (sigma {sigma:.0f} after denoising)")
    lines: list[LineGeometry] = []
    # Lone blobs as (boxes, polarity): fitted only if the frame turns out to have no line.
    singles: list[tuple[NDArray[np.int32], Polarity]] = []
    pols = (
        [(Polarity.DARK_ON_LIGHT, dark), (Polarity.LIGHT_ON_DARK, light)]
        if config.polarity is None
        else [(config.polarity, dark if config.polarity is Polarity.DARK_ON_LIGHT else light)]
    )
    # Small text beside a card's edge is lost at the frame's window size: the edge's
    # contrast lifts the local spread, and faint strokes stay under it. A window a few
    # small glyphs high sees the card alone; its lines join the others where they find a
    # place no line covers.
    fine_block = odd(max(15, min(h, w) / FINE_BLOCK_DIV))
    fine = None
    fine_lines: list[LineGeometry] = []
    if fine_block < block:
        fine_dark, fine_light = ink_masks(gray, block=fine_block, offset=ink_offset(sigma=sigma))
        fine = {Polarity.DARK_ON_LIGHT: fine_dark, Polarity.LIGHT_ON_DARK: fine_light}
    for pol, mask in pols:
        capped, boxes, small = _glyph_blobs(mask, config, frame_h=h)
        if capped:
            notes.append(f"candidate cap hit ({config.max_candidates}) for {pol.value} ink")
        if len(boxes) > 1500:
            # Far more glyph-sized blobs than any display or page shows: texture. Keep the
            # tallest, which is where text of interest usually is, and say so.
            notes.append(f"{len(boxes)} glyph-sized blobs in {pol.value} ink; kept 1500")
            boxes = boxes[np.argsort(-boxes[:, 3], kind="stable")[:1500]]
        # At large sizes a minus is tall enough to be a candidate itself, but links to no
        # digit (its height is no digit's): it bridges too ("7 - 3" at 64 px read "-3").
        bars = boxes[boxes[:, 2] >= 1.2 * boxes[:, 3]]
        groups = link_neighbours(boxes)
        # (and a point or a 1 in widely set text, linked to neither side)
        lone = boxes[[g[0] for g in groups if len(g) == 1]]
        small = np.vstack([small, bars, lone])
        for g in bridge_dashes(groups, boxes, small):
            if len(g) > 1:
                lines.append(line_geometry(boxes[g], pol))
            elif _fused_text(boxes[g[0]]):
                lines.append(fused_line_geometry(mask, boxes[g], pol))
            elif _plausible_single(boxes[g[0]]):
                singles.append((boxes[g], pol))
        if fine is not None:
            fine_lines += _fine_lines(lines, fine[pol], pol, config, frame_h=h)
    # Fine lines are gated and refined besides the frame's own, outside its caps: a
    # cluttered frame's lines fill those, and a small label's line would never be looked
    # at. (They take part in settling the polarities, then are set apart again; pairs of
    # glyphs do not: the paper beside a line's glyphs makes pairs of the other polarity,
    # which must not outvote the line. They join where no line of the other polarity is.)
    fine_lines.sort(key=lambda ln: -len(ln.boxes))
    fine_lines = fine_lines[:FINE_MAX_LINES]
    pairs = [ln for ln in fine_lines if len(ln.boxes) < FINE_VOTING_GLYPHS]
    fine_ids = {id(ln) for ln in fine_lines if len(ln.boxes) >= FINE_VOTING_GLYPHS}
    lines += [ln for ln in fine_lines if id(ln) in fine_ids]
    if not lines:
        # A lone digit is read only when the frame has no text line at all: in a cluttered
        # scene, digit-shaped blobs are everywhere, and refining each would cost more
        # than the whole rest of the frame.
        fitted = [line_geometry(b, pol) for b, pol in singles]
        fitted.sort(key=lambda ln: -ln.height)
        lines = fitted[:MAX_SINGLES]
        return _arbitrate_polarity(gray, lines), pairs, notes
    lines = _arbitrate_polarity(gray, lines)
    fine_kept = [ln for ln in lines if id(ln) in fine_ids]
    fine_kept += [p for p in pairs if not any(_rivals(p, ln) for ln in lines)]
    lines = [ln for ln in lines if id(ln) not in fine_ids]
    # ... or when it stands in a block of lines, as tall as the line right above or below
    # it and within its width: a short line ("3.8") whose other glyphs the threshold
    # joined to its card's edge. (After the polarities are settled: a blob of the paper
    # between another line's glyphs must not win that line's place.)
    stacked = [line_geometry(b, pol) for b, pol in singles if _stacked(b[0], pol, lines)]
    return lines + [s for s in stacked if not any(_rivals(s, ln) for ln in lines)], fine_kept, notes


def _glyph_blobs(
    mask: NDArray[np.uint8], config: ReaderConfig, *, frame_h: int
) -> tuple[bool, NDArray[np.int32], NDArray[np.int32]]:
    """(capped, boxes, small) of an ink mask's outer components: whether their count hit
    `config.max_candidates`; K x 4 (x, y, w, h) of the glyph candidates; M x 4 of the
    components too small to be glyphs but big enough to be a minus at the smallest glyph
    size (they may bridge the two halves of a widely set number)."""
    comps = components(mask, max_count=config.max_candidates)
    ok = glyph_candidates(
        comps.stats, frame_h=frame_h, min_h=config.min_glyph_px, max_frac=config.max_glyph_frac
    )
    small = comps.stats[~ok]
    small = small[(small[:, 3] <= 0.35 * frame_h) & (small[:, 2] >= 3), :4]
    return comps.capped, comps.stats[ok, :4], small


def _fine_lines(
    lines: list[LineGeometry],
    mask: NDArray[np.uint8],
    pol: Polarity,
    config: ReaderConfig,
    *,
    frame_h: int,
) -> list[LineGeometry]:
    """Lines of small glyphs (up to `FINE_MAX_FRAC` of the frame high, `FINE_MIN_GLYPHS`
    at least, or one blob of them fused: `_fused_text`) found in a mask made with a small
    window (polarity `pol`), beside `lines`: each where no line covers half of it, or where
    the lines of `pol` that do hold fewer glyph candidates (or are much shorter:
    `FINE_FRAGMENTS`) and lie elsewhere (the frame's window joined or lost its glyphs
    there; both readings compete in `resolve`)."""
    capped, boxes, small = _glyph_blobs(mask, config, frame_h=frame_h)
    boxes = boxes[boxes[:, 3] <= FINE_MAX_FRAC * frame_h]
    if capped or len(boxes) == 0 or len(boxes) > 1500:
        return []
    out: list[LineGeometry] = []
    for g in bridge_dashes(link_neighbours(boxes), boxes, small):
        # (or one blob of glyphs fused by tight setting: a light italic "60")
        if len(g) >= FINE_MIN_GLYPHS:
            ln = line_geometry(boxes[g], pol)
        elif _fused_text(boxes[g[0]]):
            ln = fused_line_geometry(mask, boxes[g], pol)
        else:
            continue
        b = ln.bbox
        over = [o for o in (*lines, *out) if o.polarity is pol and o.bbox.overlap(b) >= 0.5]
        # (a line of glyphs much shorter or narrower than these is their fragments, even
        # in their place)
        if any(
            not _fragments_of(o, ln) and (len(o.boxes) >= len(g) or o.bbox.iou(b) >= FINE_SAME_IOU)
            for o in over
        ):
            continue
        out.append(ln)
    return out


def _fragments_of(line: LineGeometry, fine: LineGeometry) -> bool:
    """Whether a frame's `line` holds pieces of a small-text line's glyphs (`fine`, where
    it lies): its glyphs under `FINE_FRAGMENTS` of their height, or their median width
    under `FINE_FRAGMENTS` of theirs (the frame's window, lifted by a card's edge, kept
    only each glyph's darkest stem)."""
    return bool(
        line.height < FINE_FRAGMENTS * fine.height
        or np.median(line.boxes[:, 2]) < FINE_FRAGMENTS * np.median(fine.boxes[:, 2])
    )


def _rivals(a: LineGeometry, b: LineGeometry) -> bool:
    """Lines of opposite polarities, of similar heights, covering the same place (more
    than 30 % of the smaller box): one of them is the paper between the other's glyphs."""
    lo, hi = sorted((a.height, b.height))
    inter = a.bbox.intersection(b.bbox)
    return bool(
        a.polarity is not b.polarity
        and hi <= 1.4 * lo
        and inter > 0.3 * min(a.bbox.area, b.bbox.area)
    )


def _stacked(box: NDArray[np.int32], polarity: Polarity, lines: list[LineGeometry]) -> bool:
    """Whether a lone blob (x, y, w, h) sits in a block of `lines` of its polarity: as tall
    as one of them (within `STACK_HEIGHT`), right above or below it (a gap under
    `STACK_GAP` heights) and within its width."""
    x, y, w, h = (int(v) for v in box)
    for ln in lines:
        b = ln.bbox
        if ln.polarity is not polarity or len(ln.boxes) < 2:
            continue
        if not ln.height / STACK_HEIGHT <= h <= ln.height * STACK_HEIGHT:
            continue
        gap = max(b.y - (y + h), y - b.y2)
        if 0 <= gap <= STACK_GAP * ln.height and b.x - h <= x and x + w <= b.x2 + h:
            return True
    return False


def cap_lines(
    lines: list[LineGeometry], cap: int, notes: list[str], *, what: str, done: str
) -> list[LineGeometry]:
    """At most `cap` lines, the longest (then tallest) first; says so in `notes` when cut.

    The note reads "<n> <what>; <done> the <cap> longest".
    """
    if len(lines) <= cap:
        return lines
    notes.append(f"{len(lines)} {what}; {done} the {cap} longest")
    return sorted(lines, key=lambda ln: (-len(ln.boxes), -ln.height))[:cap]


def _fused_text(box: NDArray[np.int32]) -> bool:
    """A lone blob wide enough to be several glyphs fused by blur or tight setting (small,
    bold print): two bold digits touching are about 1.2 heights wide, one digit less than
    one (a minus beside them is too small to link to them, so their line is this blob)."""
    return bool(box[2] >= 1.15 * box[3])


#: A fused blob is refitted as a tilted line (`fused_line_geometry`) when its slope makes
#: its box this share of its glyphs' height taller, give or take as much.
FUSED_TILT = 0.25


def fused_line_geometry(
    mask: NDArray[np.uint8], boxes: NDArray[np.int32], polarity: Polarity
) -> LineGeometry:
    """The geometry of a line that is one blob (glyphs fused by blur or tight setting).

    Its box says nothing of the slope, and a tilted line's box is taller than its glyphs
    (a 190 px line at 4 degrees: 14 px taller), so the crop made from it would leave the
    glyphs leaning and too small to split. The blob's columns tell both: each digit column
    runs from the glyphs' top to their bottom, so their middles lie on the line and their
    extents give the glyph height.

    Args:
        mask: HxW uint8 ink mask the blob was found in (non-zero = ink).
        boxes: 1 x 4 int (x, y, w, h), the blob's box.
        polarity: the mask's ink polarity.

    Returns:
        The line, its slope and height fitted to the blob's columns (its box's when too
        few columns are a glyph's full height).
    """
    x, y, w, h = (int(v) for v in boxes[0])
    sub = mask[y : y + h, x : x + w] > 0
    has = sub.any(axis=0)
    first = np.argmax(sub, axis=0)
    last = h - 1 - np.argmax(sub[::-1], axis=0)
    extent = np.where(has, last - first + 1, 0)
    # a glyph's full height: the columns of points, minus signs and gaps fall short
    full = extent >= 0.6 * extent.max()
    line = line_geometry(boxes, polarity)
    if full.sum() < max(4, 0.3 * w):
        return line
    cols = np.flatnonzero(full).astype(np.float64)
    mid = (first[full] + last[full]) / 2.0
    slope = float(np.polyfit(cols, mid, 1)[0])
    slope = min(max(slope, -MAX_SLOPE * 1.5), MAX_SLOPE * 1.5)
    ext = extent[full]
    height = float(np.median(ext))
    q1, q3 = np.percentile(ext, (25, 75))
    # Only a tilted band of glyphs of one height: the slope must account for the box's
    # extra height, and the glyph columns must agree on theirs (a blob of clutter does not).
    tilted = abs(slope) * w >= FUSED_TILT * height
    band = abs(h - (height + abs(slope) * w)) <= FUSED_TILT * height
    if not (tilted and band and q3 - q1 <= FUSED_TILT * height):
        return line
    return replace(line, slope=slope, height=height)


def _plausible_single(box: NDArray[np.int32]) -> bool:
    """A lone blob is worth refining only if it is shaped like a digit."""
    _x, _y, w, h = (int(v) for v in box)
    return 0.12 <= w / max(h, 1) <= 1.0 and h >= 14


def minority_is_dark(gray: NDArray[np.uint8], box: Box, margin: float) -> bool:
    """Within a text region (plus margin), is the darker Otsu class the minority?

    Text covers less of its surroundings than the paper does, so the minority class is ink.
    """
    hh, ww = gray.shape
    m = int(margin)
    roi = gray[max(0, box.y - m) : min(hh, box.y2 + m), max(0, box.x - m) : min(ww, box.x2 + m)]
    if roi.size == 0:
        return True
    flat = _without_shading(roi)
    t, _ = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return float((flat <= t).mean()) < 0.5


def _without_shading(roi: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """`roi` (HxW uint8) less the plane fitted to it, rescaled to 0..255.

    A shadow's edge across a line of thin text makes one side of the region darker than
    the ink on the other; Otsu then splits shade from light, not ink from paper. Text is
    spread over its region, so it barely tilts the plane.
    """
    h, w = roi.shape
    if h < 3 or w < 3:
        return roi
    # Fitted on a grid of about 32 x 32 samples: the plane needs no more.
    step = max(1, min(h, w) // 32)
    yy, xx = np.mgrid[0:h:step, 0:w:step]
    a = np.stack([xx.ravel(), yy.ravel(), np.ones(xx.size)], axis=1).astype(np.float64)
    sample = roi[::step, ::step].ravel().astype(np.float64)
    (gx, gy, c), *_ = np.linalg.lstsq(a, sample, rcond=None)
    plane = gx * np.arange(w, dtype=np.float64)[None, :] + gy * np.arange(h)[:, None] + c
    rest = roi.astype(np.float64) - plane
    lo, hi = float(rest.min()), float(rest.max())
    return np.round((rest - lo) * (255.0 / max(hi - lo, 1e-6))).astype(np.uint8)


#: A blob of one polarity holding this many glyph blobs of the other whole is the paper
#: round them (`_held_glyphs`).
HELD_GLYPHS = 2


def _arbitrate_polarity(gray: NDArray[np.uint8], lines: list[LineGeometry]) -> list[LineGeometry]:
    """Where a dark-ink line and a light-ink line cover the same place, keep one.

    The wrong polarity sees the paper between glyphs as glyph-sized blobs of the same height
    as the text; the region's own
    ink/paper balance (ink is the minority) says which polarity is real, per line, so a
    dark label and a light label in one frame are both read.
    """
    if len({ln.polarity for ln in lines}) < 2:
        return lines
    boxes = [ln.bbox for ln in lines]
    # The pairs to compare, found for all pairs at once: opposite polarities, similar
    # heights (counters inside glyphs, or a ring around a card, differ; the classifier
    # tells those apart later: they read as "not a glyph" or lose on score), and boxes
    # that overlap by more than 30 % of the smaller. Only the order of the decisions
    # below depends on earlier ones; a frame has hundreds of pairs and a handful of these.
    # (a lone blob by its box: a fused line's fitted height is its glyphs', but a card of
    # the other polarity around a line of text is such a blob too, as tall as the text)
    heights = np.array(
        [ln.height if len(ln.boxes) > 1 else float(ln.boxes[0, 3]) for ln in lines], np.float64
    )
    dark_ink = np.array([ln.polarity is Polarity.DARK_ON_LIGHT for ln in lines])
    x0, y0, x1, y1 = np.array([(b.x, b.y, b.x2, b.y2) for b in boxes], np.int64).T
    area = (x1 - x0) * (y1 - y0)
    ix = np.maximum(0, np.minimum(x1[:, None], x1[None, :]) - np.maximum(x0[:, None], x0[None, :]))
    iy = np.maximum(0, np.minimum(y1[:, None], y1[None, :]) - np.maximum(y0[:, None], y0[None, :]))
    # (a lone blob over a line's end only is clutter the line's chain reached, not the
    # paper between its glyphs: that spans the line)
    lone = np.array([len(ln.boxes) == 1 for ln in lines])
    share = np.where(
        lone[:, None] | lone[None, :],
        np.maximum(area[:, None], area[None, :]),
        np.minimum(area[:, None], area[None, :]),
    )
    pairs = np.argwhere(
        np.triu(dark_ink[:, None] != dark_ink[None, :], 1)
        & (
            np.maximum(heights[:, None], heights[None, :])
            <= 1.4 * np.minimum(heights[:, None], heights[None, :])
        )
        & (ix * iy > 0.3 * share)
    )
    drop: set[int] = set()
    for i, j in pairs.tolist():
        if i in drop or j in drop:
            continue
        region = _held_glyphs(lines[i], lines[j]) or _held_glyphs(lines[j], lines[i])
        if region is None:
            region = Box.around([boxes[i], boxes[j]])
        dark = minority_is_dark(gray, region, 0.3 * max(lines[i].height, lines[j].height))
        want = Polarity.DARK_ON_LIGHT if dark else Polarity.LIGHT_ON_DARK
        drop.add(j if lines[i].polarity is want else i)
    return [ln for k, ln in enumerate(lines) if k not in drop]


def _held_glyphs(line: LineGeometry, ground: LineGeometry) -> Box | None:
    """The box round `line`'s blobs that lie whole inside one blob of `ground` (a line of
    the other polarity), where two or more do; else None.

    The wrong polarity sees the paper round a line's glyphs as a blob holding them; the
    ink/paper balance is then judged round those glyphs alone, not round both lines,
    whose union reaches past the card into a ground that may outweigh the paper."""
    a = line.boxes.astype(np.int64)
    for x, y, w, h in ground.boxes.astype(np.int64).tolist():
        inside = (
            (a[:, 0] > x)
            & (a[:, 1] > y)
            & (a[:, 0] + a[:, 2] < x + w)
            & (a[:, 1] + a[:, 3] < y + h)
        )
        if int(inside.sum()) >= HELD_GLYPHS:
            return Box.around([Box(*(int(v) for v in b)) for b in a[inside]])
    return None


def gate_lines(
    gray: NDArray[np.uint8], lines: list[LineGeometry], model: Model
) -> list[LineGeometry]:
    """Keep the lines where the model sees at least one digit among the raw blobs.

    Refining a line costs far more than classifying its blobs as they are, and a cluttered
    frame has many more blob rows (edges of shapes, texture) than text lines; this cheap
    look lets refinement spend its time on text.

    Args:
        gray: HxW uint8 frame.
        lines: detected lines.
        model: the classifier.

    Returns:
        The lines worth refining, in the same order.
    """
    if not lines:
        return lines
    cells = [_gate_cells(ln) for ln in lines]
    n_cells = sum(len(c) for c in cells)
    digit = [False] * len(lines)
    # A line needs one digit-like cell, so look at each line's first cell, then at the
    # other cells only of lines still without one: text lines usually pass on the first,
    # which spares about a fifth of the KNN queries (the gate's main cost). Each cell's
    # verdict is the same as in one batch of all cells (features, scaling and neighbours
    # are computed row by row), so the lines kept are exactly the same.
    for stage in (slice(0, 1), slice(1, None)):
        todo = [(i, c) for i, ln_cells in enumerate(cells) if not digit[i] for c in ln_cells[stage]]
        if not todo:
            continue
        patches = [_gate_patch(gray, lines[i].polarity, c) for i, c in todo]
        if len(patches) == 1 and n_cells > 1:
            # A one-row batch is projected by gemv, which rounds differently from the gemm
            # that one batch of all cells would go through: ask for a two-row batch.
            patches.append(patches[0])
        pred = model.predict(glyph_features(np.stack(patches), model.spec))
        for (i, _), top in zip(todo, pred.top, strict=False):
            # Lenient on purpose: a raw blob (unmasked, unrefined) only has to look
            # somewhat like a digit for its line to get a proper look.
            if any(c != NOT_GLYPH and sc >= GATE_DIGIT_SCORE for c, sc in top):
                digit[i] = True
    return [ln for i, ln in enumerate(lines) if digit[i]]


def _gate_cells(line: LineGeometry) -> list[tuple[int, int, int, int]]:
    """The (x0, x1, y, h) frame cells of a line the gate looks at: up to `GATE_CELLS`."""
    cells = []
    whole = []
    for x, y, w, h in line.boxes.tolist():
        # A wide blob is glyphs fused by blur or tight setting: look at it in
        # digit-wide slices, as refinement would split it (a tilted line's blob is taller
        # than its glyphs: the line's height is theirs).
        gh = line.height if len(line.boxes) == 1 else h
        n = 1 if w <= 1.1 * gh else int(min(8, max(2, round(w / (0.6 * gh)))))
        if n == 1:
            whole.append(len(cells))
        cells.extend((x + (w * k) // n, x + (w * (k + 1)) // n, y, h) for k in range(n))
    # A few cells spread along the line are enough to tell text from clutter.
    step = max(1, len(cells) // GATE_CELLS)
    picked = list(range(step // 2, len(cells), step))[:GATE_CELLS]
    if whole and not set(whole) & set(picked):
        # ... but a blob of one glyph's size is looked at first, where the line has one:
        # a shadow's edge that the threshold made one long blob, linked to the glyphs
        # beside it, would else fill every cell looked at with its slices.
        picked = [whole[0], *picked[: GATE_CELLS - 1]]
    return [cells[i] for i in picked]


def _gate_patch(
    gray: NDArray[np.uint8], polarity: Polarity, cell: tuple[int, int, int, int]
) -> NDArray[np.float32]:
    """A gate cell's pixels as a normalized glyph (ink bright, raw: no mask)."""
    x0, x1, y, h = cell
    crop = gray[y : y + h, x0:x1]
    if polarity is Polarity.DARK_ON_LIGHT:
        crop = 255 - crop
    # In uint8, then float: whole numbers either way, so the same values as in float32.
    return normalize_glyph((crop - crop.min()).astype(np.float32))


def segment_frame(
    gray: NDArray[np.uint8], config: ReaderConfig, model: Model | None = None
) -> Detection:
    """Detect and refine all lines of a (denoised) gray frame.

    With a model, lines whose raw blobs hold no digit at all are not refined (`gate_lines`).
    The frame's lines are capped (`MAX_GATED_LINES` gated, `MAX_LINES` refined); the few
    lines of small text found with a small window are gated and refined besides.
    """
    lines, fine, notes = detect_lines(gray, config)
    if model is not None:
        lines = cap_lines(lines, MAX_GATED_LINES, notes, what="candidate lines", done="gated")
        lines = gate_lines(gray, lines, model)
        fine = gate_lines(gray, fine, model)
    lines = cap_lines(lines, MAX_LINES, notes, what="candidate lines", done="refined") + fine
    refined = [refine_line(gray, ln, target_h=config.refine_height_px) for ln in lines]
    noisy = any(n.startswith(("candidate cap hit", "frame is mostly noise")) for n in notes)
    return Detection(tuple(r for r in refined if r.units), tuple(notes), noisy)


Classified = tuple[str, float, tuple[tuple[str, float], ...]]


def glyph_leaves(units: tuple[Unit, ...]) -> list[Unit]:
    """Every unit that carries a patch, including all split alternatives."""
    out: list[Unit] = []
    for u in units:
        if u.alternatives:
            for alt in u.alternatives:
                out.extend(glyph_leaves(alt))
        elif u.patch is not None:
            out.append(u)
    return out


def classify_units(detection: Detection, model: Model) -> tuple[Detection, list[list[Classified]]]:
    """Classify every glyph unit of every line in one batch, and settle split choices.

    A blob of touching glyphs comes with several ways to split it; the one whose pieces
    the model reads most confidently (a "not a glyph" piece counts zero) is kept.

    Returns:
        The detection with choices replaced by the chosen pieces, and per line, per unit:
        (char, confidence, top candidates); marks keep their char.
    """
    leaves = [u for ln in detection.lines for u in glyph_leaves(ln.units)]
    result: dict[int, Classified] = {}
    if leaves:
        norm = np.stack([normalize_glyph(u.patch) for u in leaves])  # type: ignore[arg-type]
        pred = model.predict(glyph_features(norm, model.spec))
        for k, u in enumerate(leaves):
            result[id(u)] = (pred.chars[k], float(pred.confidences[k]), pred.top[k])

    def label(u: Unit) -> Classified:
        if u.patch is None:
            return (u.mark, MARK_CONFIDENCE, ((u.mark, MARK_CONFIDENCE),))
        return result[id(u)]

    def merit(alt: tuple[Unit, ...]) -> float:
        scores = [0.0 if c[0] == NOT_GLYPH else c[1] for c in map(label, alt) if c[0] not in MARKS]
        return float(np.mean(scores)) if scores else 0.0

    def chars(alt: tuple[Unit, ...]) -> str:
        return "".join(label(u)[0] for u in alt if u.patch is not None)

    lines: list[RefinedLine] = []
    out: list[list[Classified]] = []
    for ln in detection.lines:
        units = _choose_splits(ln.units, label, merit, chars)
        lines.append(RefinedLine(tuple(units), ln.polarity, ln.bbox))
        out.append([label(u) for u in units])
    return Detection(tuple(lines), detection.notes, detection.noisy), out


def _choose_splits(
    units: tuple[Unit, ...],
    label: Callable[[Unit], Classified],
    merit: Callable[[tuple[Unit, ...]], float],
    chars: Callable[[tuple[Unit, ...]], str],
) -> list[Unit]:
    """A refined line's units with each blob's split chosen (`_choose`).

    A number has one point: where the width test (`_wide_point_cut`) would cut points off
    two or more blobs of one line, the face's 2s and 3s are wide at the foot and none of
    them is a point; the blobs are then chosen without it.
    """
    width = _digit_width(units, label)
    gap = _usual_gap(units, label)
    chosen = [
        _choose(
            u.alternatives,
            merit,
            chars=chars,
            digit_width=width,
            room=None if i == 0 else (units[i - 1].box.x2, gap),
        )
        if u.alternatives
        else (u,)
        for i, u in enumerate(units)
    ]
    if width is not None:
        plain = [_choose(u.alternatives, merit) if u.alternatives else c
                 for u, c in zip(units, chosen, strict=True)]  # fmt: skip
        # (counted with the glyphs before set aside: the second of two 2s with wide feet
        # has no room for a point, the first may)
        loose = [_choose(u.alternatives, merit, chars=chars, digit_width=width, room=ANY_ROOM)
                 if u.alternatives else c for u, c in zip(units, chosen, strict=True)]  # fmt: skip
        if sum(_differ(a, b) for a, b in zip(loose, plain, strict=True)) >= 2:
            chosen = plain
    return [v for alt in chosen for v in alt]


def _digit_width(units: tuple[Unit, ...], label: Callable[[Unit], Classified]) -> float | None:
    """The line's typical digit width (px) for `_choose`'s width test: the median of its
    sure digits other than 1s (plain units, not blobs to split; one is enough: a short
    line "9.8" with its point fused to the 8 has one); None without any, or when the line
    already has a decimal point (a number has one: a wide blob beside it is something
    else)."""
    if any(u.mark == "." for u in units):
        return None
    ws = [u.box.w for u in units if u.patch is not None and not u.alternatives
          and (c := label(u))[0].isdigit() and c[0] != "1" and c[1] >= 0.5]  # fmt: skip
    return float(np.median(ws)) if ws else None


def _differ(a: tuple[Unit, ...], b: tuple[Unit, ...]) -> bool:
    """Whether two choices of one blob's split hold other units."""
    return len(a) != len(b) or any(x is not y for x, y in zip(a, b, strict=True))


def _usual_gap(units: tuple[Unit, ...], label: Callable[[Unit], Classified]) -> float:
    """The line's usual space between neighbouring glyphs (px): between plain glyphs read
    as glyphs where it has two such gaps or more (a blob's fused point or glyph makes its
    gaps no glyph's, and clutter beside the text stands further off), else between all
    its glyphs and blobs (marks left out); 0 without any."""

    def plain(u: Unit) -> bool:
        return not (u.mark or u.alternatives) and label(u)[0] != NOT_GLYPH

    plain_gaps = [b.box.x - a.box.x2 for a, b in pairwise(units) if plain(a) and plain(b)]
    if len(plain_gaps) >= 2:
        return small_median(plain_gaps)
    gaps = [b.x - a.x2 for a, b in pairwise([u.box for u in units if not u.mark])]
    return small_median(gaps) if gaps else 0.0


def _point_cut_fits(alt: tuple[Unit, ...], room: tuple[int, float] | None) -> bool:
    """Whether a point cut off a blob (an alternative of `_choose`) may be one: cut off,
    the digit still reaches down to the point's baseline (`BASELINE_SLACK`: else the
    "point" was the glyph's own foot, an italic 7's stem), and a point cut off the blob's
    start had room of its own (`_room_for_point`). Other alternatives fit."""
    at = _cut_at(alt)
    if at is None or alt[at].mark != ".":
        return True
    point, digit = alt[at], (alt[-2] if at == -1 else alt[1])
    if digit.box.y2 < point.box.y2 - BASELINE_SLACK * point.box.h:
        return False
    return at == -1 or _room_for_point(point, digit, room)


def _room_for_point(point: Unit, digit: Unit, room: tuple[int, float] | None) -> bool:
    """Whether a point cut off a blob's start stood in a space of its own: the digit it
    was fused to lies further from the glyph before than the line's usual gap, by most of
    the point's width (`POINT_ROOM`). An italic 2's foot (or 7's) reaches left under the glyph
    before and reads as a point cut off, the 2 left where a 2 would stand anyway.

    Args:
        room: the right edge of the glyph before the blob and the line's usual gap, or
            None when the blob starts its line (no number starts with a point set tight).
    """
    if room is None:
        return False
    before_x2, gap = room
    return digit.box.x - before_x2 >= gap + POINT_ROOM * point.box.w


def _clutter_beside(clutter: list[Unit], kept: list[Unit]) -> bool:
    """Whether clutter trimmed off a line stood close to what is left (within
    `CLUTTER_GAP` digit heights): a word's letters do; a speck or a shape further off
    says nothing about the digits."""
    if not clutter or not kept:
        return bool(clutter)
    x0 = min(u.box.x for u in kept)
    x1 = max(u.box.x2 for u in kept)
    h = float(np.median([u.box.h for u in kept if u.patch is not None] or [1.0]))
    return any(max(x0 - c.box.x2, c.box.x - x1) <= CLUTTER_GAP * h for c in clutter)


def _cut_at(alt: tuple[Unit, ...]) -> int | None:
    """Where an alternative has a mark cut off its blob: -1 (its end), 0 (its start), or
    None (no mark cut off)."""
    if len(alt) > 1 and alt[-1].mark:
        return -1
    if len(alt) > 1 and alt[0].mark:
        return 0
    return None


def _wide_point_cut(
    alternatives: tuple[tuple[Unit, ...], ...],
    whole: tuple[Unit, ...],
    merit: Callable[[tuple[Unit, ...]], float],
    chars: Callable[[tuple[Unit, ...]], str],
    digit_width: float,
) -> tuple[Unit, ...] | None:
    """The alternative that cuts a point off `whole` when the point is what makes it too
    wide, or None.

    A point fused to a digit reads as well whole as cut, so only the width tells: a 2's
    tail or a 4's bar is as wide in every 2 or 4 of the line; a point makes its blob wider
    than the line's digits (`WIDE_CUT`), and cut off leaves a digit no wider than them.
    The point may be fused on either side of its digit.
    """
    text = chars(whole)
    if not text.isdigit():
        return None
    for alt in alternatives:
        at = _cut_at(alt)
        if at is None or alt[at].mark != ".":
            continue
        digit = alt[-2] if at == -1 else alt[1]
        if (
            whole[at].patch is not None
            and whole[at].box.w >= WIDE_CUT * digit_width
            and digit.patch is not None
            and digit.box.w <= WIDE_CUT * digit_width
            and chars(alt) == text
            and merit(alt) >= WIDE_CUT_CONFIDENCE
        ):
            return alt
    return None


def _width_spread(alt: tuple[Unit, ...], chars: Callable[[tuple[Unit, ...]], str]) -> float:
    """The widest over the narrowest of an alternative's digits other than 1s; 1.0 with
    fewer than two such digits."""
    pieces = [u for u in alt if u.patch is not None]
    ws = [u.box.w for u, c in zip(pieces, chars(alt), strict=True) if c.isdigit() and c != "1"]
    return max(ws) / max(min(ws), 1) if len(ws) >= 2 else 1.0


def _evenest(
    alternatives: tuple[tuple[Unit, ...], ...],
    best: tuple[Unit, ...],
    merit: Callable[[tuple[Unit, ...]], float],
    chars: Callable[[tuple[Unit, ...]], str],
) -> tuple[Unit, ...]:
    """Of the splits that read all digits as surely as `best`, the one whose digits are
    evenest in width (by `EVEN_MARGIN`), else `best`.

    The classifier is as sure of a 3 with half the next 0 on it as of the 3 alone ("3006"
    set tight in a thin italic read "306"): a line's digits are of a width, and a cut that
    leaves one half again as wide as the next is in the wrong place."""
    if not chars(best).isdigit() or _cut_at(best) is not None:
        return best
    top = merit(best)
    tied = [
        a
        for a in alternatives
        if merit(a) >= top - 1e-9 and _cut_at(a) is None and chars(a).isdigit()
    ]
    even = min(tied, key=lambda a: _width_spread(a, chars))
    return even if _width_spread(even, chars) <= _width_spread(best, chars) - EVEN_MARGIN else best


def _choose(
    alternatives: tuple[tuple[Unit, ...], ...],
    merit: Callable[[tuple[Unit, ...]], float],
    *,
    chars: Callable[[tuple[Unit, ...]], str] | None = None,
    digit_width: float | None = None,
    room: tuple[int, float] | None = None,
) -> tuple[Unit, ...]:
    """The best way to split a blob; a mark cut off its end or start (offered after the
    blob whole: a point's place is where a 2's tail or a 4's crossbar ends too) must read
    better by `CUT_MARGIN`, not by a hair, or be what makes the blob too wide
    (`_wide_point_cut`, given the line's `digit_width` and a `chars` reader).

    A minus at mid-height is offered first (it wins ties), except after a 4 (told by
    `chars`): a 4's crossbar reaching past its stem is cut off the same way in faces
    that set it high, and reads as well either way.

    A glyph cut to its line's band (`Unit.clipped`: ink joined on above or below left
    out) replaces the blob only where the blob reads as a glyph at all, and the cut one
    reads better by `CUT_MARGIN` (clutter standing out of the band would otherwise give
    digits once cut down to it)."""
    # a "point" that cannot be one is part of its glyph, left off (a serif 1's foot that
    # makes the 1 whole read as no glyph)
    alternatives = tuple(
        a if _point_cut_fits(a, room) else tuple(u for u in a if u.mark != ".")
        for a in alternatives
    )
    clipped = [a for a in alternatives if any(u.clipped for u in a)]
    if clipped:
        rest = tuple(a for a in alternatives if not any(u.clipped for u in a))
        choice = _choose(rest, merit, chars=chars, digit_width=digit_width, room=room)
        cut = max(clipped, key=merit)
        whole = merit(choice)
        return cut if whole > 0 and merit(cut) >= whole + CUT_MARGIN else choice
    best = max(alternatives, key=merit)
    if chars is not None:
        best = _evenest(alternatives, best, merit, chars)
    crossbar = (
        chars is not None
        and _cut_at(best) == -1
        and best[-1].mark == "-"
        and chars(best).endswith("4")
    )
    if (best is alternatives[0] and not crossbar) or _cut_at(best) is None:
        if chars is None or digit_width is None:
            return best
        return _wide_point_cut(alternatives, best, merit, chars, digit_width) or best
    whole = [a for a in alternatives if _cut_at(a) is None]
    if not whole:
        return best
    plain = max(whole, key=merit)
    return best if merit(best) >= merit(plain) + CUT_MARGIN else plain


def assemble(
    detection: Detection,
    classes: list[list[tuple[str, float, tuple[tuple[str, float], ...]]]],
    config: ReaderConfig,
    reject_threshold: float,
) -> list[tuple[Box, tuple[Glyph, ...], float]]:
    """Turn classified units into plausible lines of glyphs.

    Clutter lines (mostly "not a glyph", or weak) are dropped; not-a-glyph units at a line's
    ends are trimmed; a weak glyph inside a line reads '?'; of two overlapping lines (the
    same text seen in both polarities) the stronger is kept.

    Returns:
        (bbox, glyphs, score) per plausible line, unordered and unresolved (see `resolve`).
    """
    kept: list[tuple[Box, tuple[Glyph, ...], float]] = []
    runs = []
    for ln, cls in zip(detection.lines, classes, strict=False):
        units = [(u, _in_line_context(c)) for u, c in zip(ln.units, cls, strict=False)]
        runs.extend(_runs(_without_stray_clutter(units)))
    for run in runs:
        units = _trim_ends(_trim_odd_heights(_trim_ends(run, reject_threshold)), reject_threshold)
        units = _trim_ends(_trim_stray_ones(units), reject_threshold)
        # Clutter cut off a line's ends (a word's letters, a shape's pieces) is a sign that
        # what is left is part of it: a short rest must be as sure as a two-digit line.
        left = {id(v) for v, _ in units}
        trimmed_clutter = _clutter_beside(
            [u for u, c in run if id(u) not in left and c[0] == NOT_GLYPH], [u for u, _ in units]
        )
        glyph_units = [(u, c) for u, c in units if u.patch is not None]
        n_marks = len(units) - len(glyph_units)
        # More marks than digits is specks and dashes of texture, not a number.
        if not glyph_units or n_marks > len(glyph_units):
            continue
        confs = np.array([c[1] if c[0] != NOT_GLYPH else 0.0 for _, c in glyph_units])
        n_not = sum(1 for _, c in glyph_units if c[0] == NOT_GLYPH)
        if n_not > 0.34 * len(glyph_units):
            continue
        # Short lines need more confidence: clutter often yields one or two digit-like
        # blobs, rarely three in a row.
        need = (
            config.single_glyph_confidence
            if len(glyph_units) == 1
            else config.short_line_confidence
            if len(glyph_units) == 2
            else config.min_line_confidence
        )
        if (
            len(glyph_units) == 2
            and len(units) == 3
            and "-" in (units[0][0].mark, units[1][0].mark)
        ):
            need = min(need, SIGNED_PAIR_CONFIDENCE)
        if len(glyph_units) == 2 and len(units) == 3 and units[1][0].mark == ".":
            need = min(need, POINTED_PAIR_CONFIDENCE)
        if trimmed_clutter and len(glyph_units) <= SHORT_AFTER_CLUTTER:
            need = max(need, config.short_line_confidence)
        if trimmed_clutter and len(glyph_units) <= PAIR_AFTER_CLUTTER and not n_marks:
            # one or two letters of a word read as digits as surely as digits (the word's
            # other letters were the clutter): without a point or minus, no number
            continue
        if detection.noisy:
            # Random blobs read as one or two confident digits all the time; only a row
            # of three or more clean, confident digits stands out of noise.
            if len(glyph_units) < 3:
                continue
            need, n_not_allowed = max(need, NOISY_LINE_CONFIDENCE), 0
        else:
            n_not_allowed = len(glyph_units)
        if float(confs.mean()) < need or n_not > n_not_allowed:
            continue
        # Digits of one line share one height; clutter that happens to read as digits
        # rarely does (measured on synthetic scenes: 99 % of true lines vary < 5 %).
        if _height_spread(np.array([u.box.h for u, _ in glyph_units], np.float32)) > (
            MAX_HEIGHT_SPREAD
        ):
            continue
        # A short line with an unreadable glyph inside is more likely clutter (a word,
        # a logo) than text.
        n_weak = sum(1 for _, c in glyph_units if c[0] == NOT_GLYPH or c[1] < reject_threshold)
        if n_weak and len(glyph_units) <= 4:
            continue
        glyphs = []
        for u, (ch, conf, top) in units:
            kind = GlyphKind.MARK if u.patch is None else GlyphKind.CLASSIFIED
            if kind is GlyphKind.CLASSIFIED and (ch == NOT_GLYPH or conf < reject_threshold):
                ch = UNKNOWN
            glyphs.append(Glyph(u.box, ch, conf, tuple(top), kind))
        if _hatching(glyphs) or _letters(glyphs):
            continue
        glyphs = _one_point(glyphs)
        bbox = Box.around([g.box for g in glyphs])
        # Overlaps are won by confident digits, and among equals by taller ones: the
        # counters of 0/6/8/9 form rows of small "0"s inside the real glyphs and must lose
        # to them, but one tall blob of clutter must not outweigh a row of digits. The
        # height is the digits' own: a point or minus must not make its line lose the place
        # to a reading of the same digits without it.
        score = float(confs.sum()) * float(np.sqrt(np.median([u.box.h for u, _ in glyph_units])))
        kept.append((bbox, tuple(glyphs), score))
    return kept


#: A lone blob in a block of lines (`_stacked`) is as tall as its neighbour line within
#: this factor, and at most this many line heights above or below it.
STACK_HEIGHT = 1.25
STACK_GAP = 1.2

#: An unsure 1 (below this confidence) at a line's end, set off by more than `STRAY_GAP`
#: times the line's median gap and `STRAY_MIN_GAP` digit heights, is an edge. (A
#: seven-segment 1 sits at its cell's right, about 0.6 digit heights after the digit
#: before it.)
STRAY_ONE_CONFIDENCE = 0.8
STRAY_GAP = 3.0
STRAY_MIN_GAP = 0.7

#: A printed line with a refused glyph and at least this share of 1s is hatching, or
#: this share of 0s read less surely than this, tiles.
HATCHING_ONES = 0.6
TILE_ZEROS = 0.5
TILE_ZERO_CONFIDENCE = 0.8

#: A printed line of at most this many glyphs with a refused one and two or more read
#: less surely than this (two of three neighbours agree), with two refused, or with three
#: or more, most of it, read so, or a line of three or more all read so, is a word's
#: letters (`_letters`).
LETTERS_MAX_GLYPHS = 6
SPLIT_VOTE = 0.75
#: Glyphs this share of their height apart or closer touch (`_touching`); printed 1s stand
#: apart by their side bearings, a third of their height or more.
TOUCH_GAP = 0.1
#: A glyph at most this share of its height wide, refused or given a '1' vote of this
#: score or more, may be a letter's stem (`_stems`).
STEM_MAX_ASPECT = 0.6
STEM_ONE_VOTE = 0.3
#: A line of this many glyphs or more, most of them read on split votes or refused, is no
#: number (a short one may be: "9.51" of 15 px digits read two of three on split votes).
MOST_WEAK_GLYPHS = 5
#: A line of this many glyphs, half of them read on split votes, is a word (measured on
#: camera scenes: lines of numbers that long read at most one glyph so).
HALF_SPLIT_GLYPHS = 4

#: Beside a display line, a printed line with a glyph less sure than this is clutter.
BESIDE_DISPLAY_CONFIDENCE = 0.7
#: ... unless it reads this many digits, all sure but one (`_long_and_sure`).
LONG_SURE_DIGITS = 6

#: A '1' of the printed reader this share of its line's other digits wide may be a display's
#: 7 (whose top bar spans the cell); a printed 1 is narrower.
SEVEN_WIDTH = 0.85

#: A segment line with a glyph less sure than this does not outrank the printed reading
#: of its place for its detail (`_prefer_segment_detail`).
DETAIL_CONFIDENCE = 0.2

#: A segment line reading this many digits more than a printed line inside it, each at
#: least this sure, outranks it (`_prefer_segment_detail`).
MORE_DIGITS = 2
MORE_DIGITS_CONFIDENCE = 0.5

#: A segment line whose every digit is this sure (with display evidence: above
#: `NO_EVIDENCE_FACTOR`) outranks a printed reading of as many digits in its place.
SURE_DISPLAY_CONFIDENCE = 0.95

#: A printed minus given to a segment line stands at most this many digit heights
#: before its first digit (its centre: about a cell's pitch).
PRINTED_MINUS_REACH = 0.7
#: ...centred on the cell before it, within this share of the line's pitch (the tip of a
#: line of clutter ending at the bezel lies further off, in no cell of the display).
MINUS_CELL = 0.4

#: A printed line of one or two digits this sure, right under or over a display line,
#: is that display's short line.
SHORT_LINE_CONFIDENCE = 0.9

#: A printed line reading a segment line's digits plus one or two more at an end wins the
#: place when the classifier is this sure of those extra digits.
EXTENSION_CONFIDENCE = 0.9


#: Beside printed numbers, a segment line of at most this many digits with one read less
#: surely than this is a word's letters decoded as segments (`_unsure_short`: measured on
#: words beside printed numbers, whose cells read 0.34-0.68 among sure ones).
UNSURE_SEGMENT_DIGITS = 3
UNSURE_SEGMENT = 0.7
#: A segment reading of this many digits or fewer, further than `FAR_OFF_GAP` digit
#: heights from a display line of `WHOLE_DISPLAY_DIGITS` or more, is clutter
#: (`_short_segments_far_off`).
FAR_OFF_DIGITS = 3
FAR_OFF_GAP = 2.0
WHOLE_DISPLAY_DIGITS = 4
#: ... and so is one whose digits are under this share of the height of a display line's
#: read with display evidence (`_tiny_segments`).
TINY_SEGMENTS = 0.3

#: A lone printed digit read this surely right above or below a display line, and no
#: taller than its digits by this factor, is its short line, without the segment reader's
#: word (`_sure_lone_digit`).
SURE_LONE_DIGIT = 0.99
LONE_DIGIT_HEIGHT = 1.1

#: A box whose corners lie this share of its height outside a display window or closer
#: is in it (`_inside_window`).
WINDOW_SLACK = 0.1

#: How far (in the line's digit heights) a display's short line above or below another
#: may reach past that line's ends (`_display_line`): the lines of one display align to
#: one side, a short one's cells under the other's blank ones.
SHORT_LINE_REACH = 1.5


def resolve(
    candidates: list[tuple[Box, tuple[Glyph, ...], float]],
    *,
    windows: Windows = (),
) -> list[tuple[Box, tuple[Glyph, ...], float]]:
    """Pick the lines to report among candidates from every reader (printed, segments).

    Of overlapping candidates the higher score wins; where the frame shows real numbers,
    a lone digit elsewhere is clutter, unless it is a short line of a seven-segment display
    (right above or below one of its lines, or read by the segment reader in one of the
    display `windows` that holds one of its lines, and read as a digit by the segment
    reader too).
    Beside printed numbers and no display line, a segment reading of one or two digits is
    clutter too (bars or hooks decoded as "17" or "11", or a printed "-0.8" decoded as
    "-8.8"): it is dropped and the places are resolved again without it, so that what it
    displaced comes back. Beside a display line read whole (by the segment reader, or by
    both readers alike), a printed line elsewhere with an unsure glyph (below
    `BESIDE_DISPLAY_CONFIDENCE`, or unread: '?') is clutter read as digits, and beside any
    segment line so is a printed reading of one or two characters or of 1s only; far off a
    display line the segment reader read whole, so is its reading of three digits or
    fewer (a word's letters decoded as segments), and so is such a reading anywhere whose
    digits are tiny beside a display's read with its evidence (a label on the bezel).
    """
    candidates = _prefer_printed_ones(candidates)
    candidates = _without_frames(
        _prefer_printed_extension(_prefer_segment_detail(candidates, windows))
    )
    kept = _resolve_once(candidates, windows)
    for clutter_of in (
        _unsure_beside_display,
        partial(_short_segment_clutter, windows=windows),
        _short_printed_clutter,
        _ghost_eights,
        _ones_beside_display,
        _short_segments_far_off,
        _tiny_segments,
    ):
        boxes = clutter_of(kept, candidates)
        clutter = [c for c in kept if c[0] in boxes]
        if clutter:
            # the same reader's other readings of that place (a display window read on its
            # own gives a second one) are the same clutter
            candidates = [
                c for c in candidates if not any(_same_reading_place(c, d) for d in clutter)
            ]
            kept = _resolve_once(candidates, windows)
    return [_with_printed_minus(_with_printed_point(k, candidates), candidates) for k in kept]


def _with_printed_point(
    line: tuple[Box, tuple[Glyph, ...], float],
    candidates: list[tuple[Box, tuple[Glyph, ...], float]],
) -> tuple[Box, tuple[Glyph, ...], float]:
    """A segment line given the decimal point the printed reader saw in the same place.

    The segment reader looks for a point in the gap between two cells, lit at the
    baseline; a small display's point is a few pixels, which its strip may blur away. The
    printed reader sees it as a mark of its own: where a printed reading of the place has
    a point between two digits that the segment line reads alike (the second one may be
    one the printed reader did not read, '?'), and the segment line has no point, the
    point is the line's.
    """
    box, glyphs, score = line
    if not _segments_only(glyphs) or any(g.char == "." for g in glyphs):
        return line
    for b, gp, _s in candidates:
        if _has_segments(gp) or box.overlap(b) < 0.5:
            continue
        for k in range(1, len(gp) - 1):
            left, dot, right = gp[k - 1], gp[k], gp[k + 1]
            # (the digit after the point may be one the printed reader could not read)
            if dot.char != "." or not left.char.isdigit():
                continue
            if not (right.char.isdigit() or right.char == UNKNOWN):
                continue
            for i in range(len(glyphs) - 1):
                a, c = glyphs[i], glyphs[i + 1]
                if a.char != left.char or right.char not in (c.char, UNKNOWN):
                    continue
                if a.box.cx < dot.box.cx < c.box.cx:
                    return (box, (*glyphs[: i + 1], dot, *glyphs[i + 1 :]), score)
    return line


def _with_printed_minus(
    line: tuple[Box, tuple[Glyph, ...], float],
    candidates: list[tuple[Box, tuple[Glyph, ...], float]],
) -> tuple[Box, tuple[Glyph, ...], float]:
    """A segment line given the minus the printed reader saw right before its first digit.

    A display's minus is a lone middle bar in a cell of its own, which a strip cut from
    the digits' clusters may leave out; where a printed reading of the place starts with a
    minus before the digit the segment line starts with, at mid-height and at most
    `PRINTED_MINUS_REACH` digit heights to its left, centred on the cell before the digit
    (`MINUS_CELL`), and the segment line has no sign, the minus is the line's.
    """
    box, glyphs, score = line
    if not _segments_only(glyphs) or not glyphs or not glyphs[0].char.isdigit():
        return line
    first = glyphs[0]
    cx = [g.box.cx for g in glyphs if g.kind is GlyphKind.SEGMENTS]
    # (the line's pitch: the minus' cell is one pitch before the first digit's)
    pitch = float(np.median(np.diff(cx))) if len(cx) >= 2 else None
    for b, gp, _s in candidates:
        if _has_segments(gp) or box.overlap(b) < 0.5 or len(gp) < 2:
            continue
        minus, digit = gp[0], gp[1]
        if minus.char != "-" or digit.char != first.char:
            continue
        # a display's minus is a middle bar in the cell before the digit: a bar further
        # off, or off the middle (a bezel's edge, clutter), is no sign of this line
        h = first.box.h
        if (
            first.box.x - PRINTED_MINUS_REACH * h <= minus.box.cx < first.box.x
            and abs(minus.box.cy - first.box.cy) <= 0.15 * h
            and abs(digit.box.cx - first.box.cx) < 0.5 * first.box.w
            and (pitch is None or abs(first.box.cx - pitch - minus.box.cx) <= MINUS_CELL * pitch)
        ):
            return (Box.around([box, minus.box]), (minus, *glyphs), score)
    return line


def _same_reading_place(
    a: tuple[Box, tuple[Glyph, ...], float], b: tuple[Box, tuple[Glyph, ...], float]
) -> bool:
    """Whether two candidate lines are one reader's readings of one place."""
    return a[0] == b[0] or (
        _segments_only(a[1]) == _segments_only(b[1]) and a[0].overlap(b[0]) > 0.5
    )


def _agreed_displays(
    kept: list[tuple[Box, tuple[Glyph, ...], float]],
    candidates: list[tuple[Box, tuple[Glyph, ...], float]],
) -> list[Box]:
    """Kept printed lines that the segment reader read the same (a display that the
    printed classifier reads right, and with a higher score)."""
    seg = [(b, text_of(g)) for b, g, _ in candidates if _segment_reading(g)]
    return [
        b
        for b, g, _ in kept
        if not _has_segments(g) and any(t == text_of(g) and b.overlap(sb) > 0.5 for sb, t in seg)
    ]


def _unsure_beside_display(
    kept: list[tuple[Box, tuple[Glyph, ...], float]],
    candidates: list[tuple[Box, tuple[Glyph, ...], float]],
) -> set[Box]:
    """Printed lines with an unsure or unread glyph away from a display line read whole
    (by the segment reader, or by both readers alike: `agreed`), unless every glyph is
    read and the line sits where the display's other line would (`_display_line`), a
    place the segment reader read nothing, or where it read fewer of the same digits."""
    agreed = _agreed_displays(kept, candidates)
    # (a display read whole: every digit decoded with some confidence, not a printed
    # line's glyphs decoded as bars at next to none)
    displays = [
        b
        for b, g, _ in kept
        if _n_digits(g) >= 3
        and _segments_only(g)
        and all(x.char != UNKNOWN and x.confidence >= DETAIL_CONFIDENCE for x in g)
    ]
    displays += [b for b in agreed if b not in displays]
    if not displays:
        return set()
    # (a display's other line, right above or below one, that the segment reader missed
    # stays where the printed reader read every glyph of it: "286" under "005541"; where
    # the segment reader read that place too, its reading comes back instead)
    segs = [sb for sb, sg, _ in candidates if _segment_reading(sg)]

    def missed_line(b: Box, g: tuple[Glyph, ...]) -> bool:
        return (
            all(x.char != UNKNOWN for x in g)
            and not any(b.overlap(sb) > 0 for sb in segs)
            and _display_line(b, displays, kept)
        )

    # (nor where the segment reader read the place with digits missing, all the printed
    # line's others in order, and the ones it adds sure and unlike their neighbours: the
    # LCD's thin 1s and 3s it lost, "32601" of "323601"; a digit added beside its like is
    # the printed reader's split, "1200903")
    def reads_more(b: Box, g: tuple[Glyph, ...]) -> bool:
        digits = [x for x in g if x.char.isdigit()]
        text = _digits_of(g)
        return (
            all(x.char != UNKNOWN for x in g)
            and any(
                extra  # (None: the printed line reads other digits; []: the same ones)
                and all(
                    digits[i].confidence >= BESIDE_DISPLAY_CONFIDENCE
                    and text[i] not in text[max(0, i - 1) : i] + text[i + 1 : i + 2]
                    for i in extra
                )
                for sb, sg, _ in candidates
                if _segment_reading(sg) and b.overlap(sb) >= 0.5
                for extra in [_added(_digits_of(sg), text)]
            )
        )

    return {
        b
        for b, g, _ in kept
        if not _has_segments(g)
        and not any(b.iou(d) > 0 for d in displays)
        and any(x.confidence < BESIDE_DISPLAY_CONFIDENCE or x.char == UNKNOWN for x in g)
        and not missed_line(b, g)
        and not reads_more(b, g)
        and not (_long_and_sure(g) and not any(b.overlap(sb) > 0 for sb in segs))
    }


def _long_and_sure(glyphs: tuple[Glyph, ...]) -> bool:
    """A printed line of many digits read, all but one of them sure ("7666711280" with
    one 1 at 0.67 above a card's "-08837"): clutter beside a display reads a digit or a
    few, not a long row of sure ones. (Where the segment reader read the same place, the
    two readings are weighed as `reads_more` says.)"""
    digits = [g for g in glyphs if g.char.isdigit()]
    unsure = [g for g in glyphs if g.char == UNKNOWN or g.confidence < BESIDE_DISPLAY_CONFIDENCE]
    return len(digits) >= LONG_SURE_DIGITS and len(unsure) <= 1


def _added(short: str, long: str) -> list[int] | None:
    """The indices of `long`'s characters left over where `short`'s are matched in it in
    order, each to the first match left (None where they cannot all be)."""
    extra, k = [], 0
    for i, c in enumerate(long):
        if k < len(short) and c == short[k]:
            k += 1
        else:
            extra.append(i)
    return extra if k == len(short) else None


def _digits_of(glyphs: tuple[Glyph, ...]) -> str:
    """A line's digits, in order, as text (marks and unread glyphs left out)."""
    return "".join(x.char for x in glyphs if x.char.isdigit())


def _short_printed_clutter(
    kept: list[tuple[Box, tuple[Glyph, ...], float]],
    candidates: list[tuple[Box, tuple[Glyph, ...], float]],
) -> set[Box]:
    """Printed lines of one or two characters away from a display's line: letters and
    shapes of the scene read as digits (a number a display shows is read by the segment
    reader; a printed number of three characters or more stays), and printed lines of 1s
    only (bars of a grille or a fence) away from a display's line or one both readers
    read alike."""
    agreed = _agreed_displays(kept, candidates)
    # (the lines both readers agree on are as often printed numbers: only a line of bars
    # beside them is taken for clutter)
    displays = [b for b, g, _ in kept if _segments_only(g) and _n_digits(g) >= 1]

    def away(b: Box, lines: list[Box]) -> bool:
        return bool(lines) and not any(b.iou(d) > 0 for d in lines)

    def short_line(b: Box, g: tuple[Glyph, ...]) -> bool:
        # a display's short line ("38" under "008") that the segment reader missed: right
        # under or over a line it read, of that line's height, read surely
        return _display_line(b, displays, kept) and all(
            x.confidence >= SHORT_LINE_CONFIDENCE and x.char.isdigit() for x in g
        )

    return {
        b
        for b, g, _ in kept
        if not _has_segments(g)
        and (
            (len(g) <= 2 and away(b, displays) and not short_line(b, g))
            or (all(x.char == "1" for x in g) and away(b, displays + agreed))
        )
    }


def _ghost_eights(
    kept: list[tuple[Box, tuple[Glyph, ...], float]],
    candidates: list[tuple[Box, tuple[Glyph, ...], float]],
) -> set[Box]:
    """Segment lines of unsure 8s only (no display evidence: `NO_EVIDENCE_FACTOR`) on the
    row of a display line, beside it: a display's blank cells, whose unlit bars glow (a
    VFD's ghosts), decoded as 8s. A display's digits on one row are one line."""
    agreed = _agreed_displays(kept, candidates)
    displays = [
        b
        for b, g, _ in kept
        if (_n_digits(g) >= 3 and (_segments_only(g) or b in agreed)) or _sure_lit_digit(g)
    ]
    out = set()
    for b, g, _ in kept:
        digits = [x for x in g if x.char.isdigit()]
        if not digits or not _segments_only(g) or any(x.char != "8" for x in digits):
            continue
        if max(x.confidence for x in digits) > NO_EVIDENCE_FACTOR:
            continue
        for d in displays:
            overlap = min(b.y2, d.y2) - max(b.y, d.y)
            gap = max(d.x - b.x2, b.x - d.x2)
            if (
                d != b
                and overlap >= 0.5 * min(b.h, d.h)
                and 0.7 <= b.h / d.h <= 1.4
                and gap <= 2 * d.h
            ):
                out.add(b)
    return out


def _sure_lit_digit(glyphs: tuple[Glyph, ...]) -> bool:
    """Whether a segment line holds a digit other than 8 read with a display's evidence
    (above `NO_EVIDENCE_FACTOR`): a display's one lit digit beside its blank cells."""
    return _segments_only(glyphs) and any(
        g.char.isdigit() and g.char != "8" and g.confidence > NO_EVIDENCE_FACTOR for g in glyphs
    )


def _short_segment_clutter(
    kept: list[tuple[Box, tuple[Glyph, ...], float]],
    candidates: list[tuple[Box, tuple[Glyph, ...], float]],
    *,
    windows: Windows = (),
) -> set[Box]:
    """Segment lines of one or two digits, or with a cell read as no digit ('?'), beside
    printed numbers and no display line read whole (a display line the printed reader
    won, the segment reader reading it alike, is one for the short line right above or
    below it: a two-line display's second line). A word's letters decode as segments
    with a cell or two of no digit's shape ("Open" as '1.?08')."""
    agreed = _agreed_displays(kept, candidates)
    printed = any(_n_digits(g) >= 3 and not _has_segments(g) for _, g, _ in kept)
    if not printed or any(
        _n_digits(g) >= 3 and _has_segments(g) and not _has_unknown(g) and not _unsure_short(g)
        for _, g, _ in kept
    ):
        return set()
    displays = [b for b, g, _ in kept if b in agreed and _n_digits(g) >= 3]
    # an unsure short line may be a display's second line under one the printed reader won
    # where the segment reader read some of it too
    seg = [b for b, g, _ in candidates if _segment_reading(g)]
    numbers = [
        b
        for b, g, _ in kept
        if _n_digits(g) >= 3 and not _has_segments(g) and any(b.overlap(o) > 0.5 for o in seg)
    ]
    return {
        b
        for b, g, _ in kept
        if _segments_only(g)
        and (
            (
                (_n_digits(g) <= 2 or _has_unknown(g))
                and not _display_line(b, displays, kept, windows)
            )
            or (_unsure_short(g) and not displays and not _display_line(b, numbers, kept))
        )
    }


def _unsure_short(glyphs: tuple[Glyph, ...]) -> bool:
    """Whether a segment line of three digits or fewer has a digit read unsurely."""
    return _n_digits(glyphs) <= UNSURE_SEGMENT_DIGITS and any(
        g.char.isdigit() and g.confidence < UNSURE_SEGMENT for g in glyphs
    )


def _has_unknown(glyphs: tuple[Glyph, ...]) -> bool:
    """Whether a line holds a glyph read as no digit ('?')."""
    return any(g.char == UNKNOWN for g in glyphs)


def _ones_beside_display(
    kept: list[tuple[Box, tuple[Glyph, ...], float]],
    candidates: list[tuple[Box, tuple[Glyph, ...], float]],
) -> set[Box]:
    """Segment lines of 1s only beside a display line, not where a short line of it would
    be: bars of clutter, a grille or a grid read as a row of 1s."""
    agreed = _agreed_displays(kept, candidates)
    ones = {
        b
        for b, g, _ in kept
        if _segments_only(g) and text_of(g).strip(".-") and set(text_of(g)) <= set("1.-")
    }
    displays = [
        b
        for b, g, _ in kept
        if b not in ones and _n_digits(g) >= 2 and (_has_segments(g) or b in agreed)
    ]
    if not displays:
        return set()
    return {b for b in ones if not _display_line(b, displays, kept)}


def _short_segments_far_off(
    kept: list[tuple[Box, tuple[Glyph, ...], float]],
    candidates: list[tuple[Box, tuple[Glyph, ...], float]],
) -> set[Box]:
    """Segment lines of up to `FAR_OFF_DIGITS` digits far from a display line the
    segment reader read whole (`WHOLE_DISPLAY_DIGITS` digits or more, every one a digit):
    more than `FAR_OFF_GAP` of its digit heights from its box every way. A word's letters
    decode as segments ("LOT" as '1.0', "YuQG" as '00', "SBkC" as '58'); a display's other
    line stands within a line's height of it, above, below or beside."""
    displays = [
        (b, _digit_height(g) or b.h)
        for b, g, _ in kept
        if _segment_reading(g) and _n_digits(g) >= WHOLE_DISPLAY_DIGITS and not _has_unknown(g)
    ]
    if not displays:
        return set()
    return _short_segment_lines(
        kept, lambda b, _g: all(_box_gap(b, d) > FAR_OFF_GAP * h for d, h in displays if d != b)
    )


def _tiny_segments(
    kept: list[tuple[Box, tuple[Glyph, ...], float]],
    candidates: list[tuple[Box, tuple[Glyph, ...], float]],
) -> set[Box]:
    """Segment lines of up to `FAR_OFF_DIGITS` digits whose digits are under
    `TINY_SEGMENTS` of the height of a display line's, read with its display's evidence
    (ghosts, gaps where bars meet: every digit above `NO_EVIDENCE_FACTOR`). A label's
    letters on the bezel decode as segments ("Hold" as '01.0', a word's "C" as '0'); a
    display's own small line is no smaller than `beside_line`'s 0.4 of its digits."""
    displays = [
        _digit_height(g)
        for _b, g, _ in kept
        if _segment_reading(g)
        and not _has_unknown(g)
        and min(x.confidence for x in g if x.kind is GlyphKind.SEGMENTS) > NO_EVIDENCE_FACTOR
    ]
    if not displays:
        return set()
    return _short_segment_lines(
        kept, lambda _b, g: _digit_height(g) < TINY_SEGMENTS * max(displays)
    )


def _short_segment_lines(
    kept: list[tuple[Box, tuple[Glyph, ...], float]],
    clutter: Callable[[Box, tuple[Glyph, ...]], bool],
) -> set[Box]:
    """The boxes of the segment lines of up to `FAR_OFF_DIGITS` digits that `clutter`
    (box, glyphs) says are clutter."""
    return {b for b, g, _ in kept if _segments_only(g) and _n_digits(g) <= FAR_OFF_DIGITS
            and clutter(b, g)}  # fmt: skip


def _box_gap(a: Box, b: Box) -> float:
    """The gap between two boxes (px): the larger of their horizontal and vertical gaps,
    0 where they overlap both ways."""
    return float(max(0, a.x - b.x2, b.x - a.x2, a.y - b.y2, b.y - a.y2))


def _resolve_once(
    candidates: list[tuple[Box, tuple[Glyph, ...], float]], windows: Windows = ()
) -> list[tuple[Box, tuple[Glyph, ...], float]]:
    for _ in range(LONE_ROUNDS):
        kept, lone = _resolve_with_lone_digits(candidates, windows)
        # A lone digit that is no display's short line is clutter, and what it displaced
        # comes back: a shape's corners decoded as a '7', its box over a card's "1.85",
        # won that place, then went as a lone digit, and took the number along.
        gone = {id(c) for c in lone}
        if not any(c[0].overlap(k[0]) > 0 for c in lone for k in candidates if id(k) not in gone):
            return kept
        candidates = [c for c in candidates if id(c) not in gone]
    return kept


def _resolve_with_lone_digits(
    candidates: list[tuple[Box, tuple[Glyph, ...], float]], windows: Windows = ()
) -> tuple[list[tuple[Box, tuple[Glyph, ...], float]], list[tuple[Box, tuple[Glyph, ...], float]]]:
    """The lines that win their places, and the lone digits among the winners that are
    no display's short line (left out of the lines)."""
    kept = _join_at_dashes(_resolve_overlaps(candidates))
    won = kept
    if any(_n_digits(g) >= 2 for _, g, _ in kept):
        displays = [b for b, g, _ in kept if _n_digits(g) >= 2 and _has_segments(g)]
        # (or a display line the printed reader won, the segment reader reading it alike)
        displays += [b for b in _agreed_displays(kept, candidates) if b not in displays]
        # The segment reader gives a lone digit only with evidence of a display (ghosts, or
        # the display's window around it and a longer line); either reader may have won
        # the place.
        lone_segments = [b for b, g, _ in candidates if _n_digits(g) == 1 and _segments_only(g)]
        kept = [
            k
            for k in kept
            if _n_digits(k[1]) >= 2
            or (
                _display_line(k[0], displays, kept, windows)
                and (
                    any(_same_digit_place(k[0], b) for b in lone_segments)
                    or _sure_lone_digit(k, displays, kept)
                )
            )
        ]
    left = {id(k) for k in kept}
    return kept, [k for k in won if id(k) not in left]


def _sure_lone_digit(
    line: tuple[Box, tuple[Glyph, ...], float],
    displays: list[Box],
    kept: list[tuple[Box, tuple[Glyph, ...], float]],
) -> bool:
    """Whether a line is one digit the printed reader reads surely (`SURE_LONE_DIGIT`),
    shaped like the digits of a display line it sits beside (`_display_line`): that
    display's short line the segment reader missed ("9" under "99421"), and no taller
    than its digits (`LONE_DIGIT_HEIGHT`). A display's digits share one width; a label's
    narrow "O" over it is no digit of it, nor a frame's corner under its bezel read as a
    tall 5."""
    box, glyphs, _ = line
    if len(glyphs) != 1:
        return False
    g = glyphs[0]
    if g.kind is not GlyphKind.CLASSIFIED or not g.char.isdigit() or g.confidence < SURE_LONE_DIGIT:
        return False
    for b, gs, _ in kept:
        aspects = [x.box.w / x.box.h for x in gs if x.char.isdigit() and x.char != "1"]
        if b not in displays or not aspects or not _display_line(box, [b], kept):
            continue
        if g.box.h > LONE_DIGIT_HEIGHT * _digit_height(gs):
            continue
        if g.char == "1" or abs(g.box.w / g.box.h / float(np.median(aspects)) - 1) <= 0.25:
            return True
    return False


def _same_digit_place(line: Box, digit: Box) -> bool:
    """Whether a segment reading of one digit (`digit`) lies where a line read as one
    digit does: most of either's box over the other's, or the digit's box of the line's
    height inside it (the printed reader's line may hold a minus the segment reader's box
    leaves out, "-5" over "5")."""
    return line.iou(digit) >= 0.5 or (line.overlap(digit) >= 0.8 and digit.h >= 0.7 * line.h)


def _without_frames(
    candidates: list[tuple[Box, tuple[Glyph, ...], float]],
) -> list[tuple[Box, tuple[Glyph, ...], float]]:
    """Candidates less the lines that are a frame drawn around another line: a box or a
    bezel around a number reads as a few bars and hooks ("611" around "19.6"), at least
    `FRAME_HEIGHT` times the number's height, holding it whole with a margin on all four
    sides, about as much above as below. (A line of a big number's counters, read in the
    other polarity, lies inside it too, but has fewer digits than the number.) A lone 0
    round a lone digit is a one-digit display's window; off-centre, where it also runs
    across part of another line (a window round a display's short second line).
    """
    digits = [[g for g in gl if g.char.isdigit()] for _b, gl, _s in candidates]
    heights = [small_median([g.box.h for g in d]) if d else 0.0 for d in digits]
    # (the number held is its digits: a minus before them may reach under the frame's
    # side, a card's edge read as the frame)
    held = [
        Box.around([g.box for g in d]) if d else b
        for d, (b, _g, _s) in zip(digits, candidates, strict=True)
    ]
    drop = set()
    for i, (a, _ga, _sa) in enumerate(candidates):
        for j, b in enumerate(held):
            hb = heights[j]
            # (a line of counters has fewer digits than the number it is read in; a lone
            # 0 round a lone digit is a one-digit display's window, whose counter is plain)
            ring = [g.char for g in digits[i]] == ["0"] and len(digits[j]) == 1
            if (
                i == j
                or (len(digits[j]) < max(2, len(digits[i])) and not ring)
                or heights[i] < FRAME_HEIGHT * hb
            ):
                continue
            left, right, above, below = b.x - a.x, a.x2 - b.x2, b.y - a.y, a.y2 - b.y2
            # (a lone 0 round a lone digit that reaches over part of another line is a
            # window's outline, however off-centre: no digit stands across another line)
            if min(left, right, above, below) >= 0.15 * hb and (
                max(above, below) <= 2 * min(above, below)
                or (ring and _cuts_a_line(a, candidates, digits))
            ):
                drop.add(i)
                break
    return [c for k, c in enumerate(candidates) if k not in drop]


def _cuts_a_line(
    box: Box,
    candidates: list[tuple[Box, tuple[Glyph, ...], float]],
    digits: list[list[Glyph]],
) -> bool:
    """Whether a box covers part of a candidate line of two digits or more (some of it,
    less than half of the smaller box): it runs across that line (`digits`: each
    candidate's digit glyphs)."""
    return any(
        len(d) >= 2 and 0 < box.overlap(b) < 0.5
        for (b, _g, _s), d in zip(candidates, digits, strict=True)
    )


def _prefer_printed_ones(
    candidates: list[tuple[Box, tuple[Glyph, ...], float]],
) -> list[tuple[Box, tuple[Glyph, ...], float]]:
    """Candidates without a seven-segment reading that differs from the printed reading
    of its place only in 7s where the printed classifier reads 1s surely (`PRINTED_ONE`)
    and narrow (`PRINTED_ONE_WIDTH` of the line's other digits): a printed 1's flag and
    stem light a display's top and right bars, and decode as a 7 ("313" read "373"). A
    display's 7 the classifier takes for a 1 is read less surely, or about as wide as
    the display's other digits (three quarters or more: measured on synthetic displays,
    "3756" read "3156")."""
    drop = set()
    for i, (bs, gs, _ss) in enumerate(candidates):
        if not _segment_reading(gs):
            continue
        s_text = "".join(g.char for g in gs)
        for bp, gp, _sp in candidates:
            if _has_segments(gp) or bs.overlap(bp) < 0.5 or len(gp) != len(gs):
                continue
            widths = [g.box.w for g in gp if g.char.isdigit() and g.char != "1"]
            if not widths:
                continue
            narrow = PRINTED_ONE_WIDTH * float(np.median(widths))
            pairs = [(a, g) for a, g in zip(s_text, gp, strict=True) if a != g.char]
            if pairs and all(
                a == "7" and g.char == "1" and g.confidence >= PRINTED_ONE and g.box.w < narrow
                for a, g in pairs
            ):
                drop.add(i)
                break
    return [c for i, c in enumerate(candidates) if i not in drop]


def _prefer_segment_detail(
    candidates: list[tuple[Box, tuple[Glyph, ...], float]], windows: Windows = ()
) -> list[tuple[Box, tuple[Glyph, ...], float]]:
    """Let a seven-segment line outrank the printed reading of the same place where the
    two agree but the segment reading has more to say.

    The printed classifier reads many seven-segment digits right, but drops the decimal
    point (a separate dot in the gap the segment reader checks) and rejects ('?') digits
    whose segments it sees as loose pieces. Where the segment reader read every place,
    its digits agree with the printed ones up to those '?' (and one more digit where there
    is a '?'), and it adds a '.' or fills a '?', it wins the place whatever the two scores
    say. So it does where the printed line runs on past its ends into a few glyphs holding
    a '?' (clutter glued to the number), with one digit inside allowed to disagree, and
    where the two differ only in digits the printed classifier was unsure of, and where the
    printed line lies inside the segment line and reads `MORE_DIGITS` fewer digits, not
    among the segment line's. (`windows`: the display windows that read a line, as
    `resolve`'s.)
    """
    seg = [i for i, (_b, g, _s) in enumerate(candidates) if _segment_reading(g)]
    if not seg:
        return candidates
    out = list(candidates)
    printed = [b for b, g, _s in candidates if not _has_segments(g)]
    # lines that show the frame holds a display: read with display evidence (ghosts, gaps
    # where bars meet), or where no printed reading overlaps them
    displays = [
        bs for bs, gs, _ in (candidates[i] for i in seg)
        if _n_digits(gs) >= 2 and (
            min(g.confidence for g in gs if g.kind is GlyphKind.SEGMENTS) > NO_EVIDENCE_FACTOR
            or not any(b.overlap(bs) > 0 for b in printed)
        )
    ]  # fmt: skip
    for i in seg:
        bs, gs, _ss = candidates[i]
        # (or the line lies in a display's outlined window: its glass and bezel say so)
        beside = any(b.overlap(bs) == 0 for b in displays) or any(
            _inside_window(q, bs) for q in windows
        )
        s_text = text_of(gs)
        # (a digit decoded with next to no confidence is no detail to trust)
        if UNKNOWN in s_text or min(g.confidence for g in gs) < DETAIL_CONFIDENCE:
            continue
        s_dig = "".join(c for c in s_text if c.isdigit())
        for bp, gp, sp in candidates:
            if _has_segments(gp) or sp < out[i][2] or bs.overlap(bp) < 0.5:
                continue
            # glyphs of the printed line beyond the segment line's ends are clutter glued
            # to the number when they hold a refused glyph (a few at most)
            inside = [g for g in gp if g.box.cx >= bs.x and g.box.cx <= bs.x2]
            outside = len(gp) - len(inside)
            junk = 0 < outside <= 3 and any(
                g.char == UNKNOWN for g in gp if g.box.cx < bs.x or g.box.cx > bs.x2
            )
            if outside and not junk:
                inside = list(gp)
            p_text = text_of(inside)
            unknown = p_text.count(UNKNOWN)
            adds = junk or unknown > 0 or ("." in s_text and "." not in p_text)
            p_dig = "".join(c for c in p_text if c.isdigit() or c == UNKNOWN)
            # where the printed reader refused a digit it is unsure of its neighbours too:
            # one more disagreement is allowed
            agrees = adds and levenshtein(p_dig, s_dig) <= unknown + (1 if unknown or junk else 0)
            # a printed line inside the segment line that reads digits fewer by two or more,
            # and not the segment line's own digits, lost them (a big face's digits it
            # cannot read); one that reads them, fewer, leaves the rest to the scores (the
            # segment line's extra digits may be clutter glued on)
            more = (
                not outside
                and p_dig not in s_dig
                and _n_digits(gs) >= _n_digits(gp) + MORE_DIGITS
                and min(g.confidence for g in gs if g.kind is GlyphKind.SEGMENTS)
                >= MORE_DIGITS_CONFIDENCE
            )
            # a display read surely, with its evidence (ghosts, gaps where bars meet), digit
            # for digit where the printed reader reads as many: the classifier takes a
            # segment 6 for a 5 as surely as a printed one
            sure = (
                not outside
                and _n_digits(gs) == _n_digits(gp)
                and min(g.confidence for g in gs if g.kind is GlyphKind.SEGMENTS)
                >= SURE_DISPLAY_CONFIDENCE
            )
            if (
                agrees
                or more
                or sure
                or (not outside and _differs_where_unsure(inside, s_text))
                or (not outside and _sevens_read_as_ones(inside, gs))
                or (not outside and _sixes_read_as_fives(inside, gs, display_beside=beside))
                or (not outside and _extension(gs, s_text, p_text, bp) is not None)
            ):
                # of two segment lines that both win the place, the one that reads more
                # digits (a display window read whole, not cut before its first digit)
                out[i] = (bs, gs, sp * 1.01 + 0.01 * _n_digits(gs))
    return _with_segment_extensions(out, [i for i in seg if out[i][2] != candidates[i][2]])


def _with_segment_extensions(
    candidates: list[tuple[Box, tuple[Glyph, ...], float]], won: list[int]
) -> list[tuple[Box, tuple[Glyph, ...], float]]:
    """Let a segment line that reads a winning segment line (indices `won`, which won
    their place from a printed reading) on by a digit or two at one end (`_extension`)
    win the place over it: the row the winner was read from was cut before an end digit
    ('9994' of '49994'), which the longer reading of the same strip decoded alike."""
    out = list(candidates)
    for j, (bj, gj, _sj) in enumerate(candidates):
        tj = text_of(gj)
        if not _segments_only(gj) or UNKNOWN in tj:
            continue
        for i in won:
            bi, gi, si = out[i]
            if (
                i != j
                and si > out[j][2]
                and bj.overlap(bi) >= 0.8
                and _extension(gj, tj, text_of(gi), bi) is not None
            ):
                out[j] = (bj, gj, si + 0.01)
    return out


def _extension(
    longer: tuple[Glyph, ...], l_text: str, s_text: str, shorter: Box
) -> tuple[Glyph, ...] | None:
    """The one or two digits (and marks) by which a line `longer` (text `l_text`) reads on
    past a line of text `s_text` at one end, beyond that line's box `shorter`; None unless
    the rest reads alike and one of those digits is not a 1 (a bar of clutter beside a
    number reads as one). Either reader may lose a display's end digit: the printed one a
    thin 4 or 1 that is loose bars to it, the segment one a cell cut off its row."""
    if "." not in s_text:
        # (the shorter reader may have lost the point besides the end digit: '552' of
        # '455.2', the point fused into a 5's corner)
        longer = tuple(g for g in longer if g.char != ".")
        l_text = text_of(longer)
    if len(l_text) <= len(s_text) or UNKNOWN in s_text or not s_text:
        return None
    if l_text.endswith(s_text):
        extra = longer[: len(l_text) - len(s_text)]
    elif l_text.startswith(s_text):
        extra = longer[len(s_text) :]
    else:
        return None
    digits = [g for g in extra if g.char.isdigit()]
    ok = (
        1 <= len(digits) <= 2
        and all(g.char.isdigit() or g.char in MARKS for g in extra)
        and any(g.char != "1" for g in digits)
        and all(g.box.cx < shorter.x or g.box.cx > shorter.x2 for g in digits)
    )
    return tuple(digits) if ok else None


def _prefer_printed_extension(
    candidates: list[tuple[Box, tuple[Glyph, ...], float]],
) -> list[tuple[Box, tuple[Glyph, ...], float]]:
    """Let a printed line outrank a segment line of the same place that it reads alike
    with one or two more sure digits at an end, beyond the segment line's box: a display's
    first digit the segment reader lost (its cell cut off the row, or taken for the
    bezel), which the printed classifier read clearly (`EXTENSION_CONFIDENCE`)."""
    out = list(candidates)
    for i, (bp, gp, _sp) in enumerate(candidates):
        if _has_segments(gp):
            continue
        p_text = text_of(gp)
        for bs, gs, ss in candidates:
            if not _segment_reading(gs) or ss <= out[i][2]:
                continue
            if bs.overlap(bp) < 0.5:
                continue
            extra = _extension(gp, p_text, text_of(gs), bs)
            if extra and all(g.confidence >= EXTENSION_CONFIDENCE for g in extra):
                out[i] = (bp, gp, ss * 1.01)
    return out


def _differs_where_unsure(printed: list[Glyph], s_text: str) -> bool:
    """Whether a segment reading differs from a printed line, glyph for glyph, only where
    the printed classifier was unsure (below `BESIDE_DISPLAY_CONFIDENCE`); a point the
    segment reading adds is no difference (the printed reader often loses it)."""
    if "." in s_text and not any(g.char == "." for g in printed):
        s_text = s_text.replace(".", "")
    if len(printed) != len(s_text):
        return False
    diff = [g for g, c in zip(printed, s_text, strict=True) if g.char != c]
    return bool(diff) and all(
        g.confidence < BESIDE_DISPLAY_CONFIDENCE and g.char.isdigit() for g in diff
    )


def _sevens_read_as_ones(printed: list[Glyph], segs: tuple[Glyph, ...]) -> bool:
    """Whether a segment reading differs from a printed line, glyph for glyph, only in a
    '7' the printed classifier read as '1': a seven-segment 7 is a 1 with a short top
    bar, which the classifier takes for a 1's flag (however sure).

    A printed 1's flag decodes as a 7's top bar too; two things tell the display's 7: it
    is read from a display (confidence above what a row without display evidence gets),
    and it is as wide as the line's other digits (`SEVEN_WIDTH`), where a printed 1 is
    narrower.
    """
    if len(printed) != len(segs):
        return False
    widths = [g.box.w for g in printed if g.char.isdigit() and g.char != "1"]
    if not widths:
        return False
    wide = SEVEN_WIDTH * float(np.median(widths))
    diff = [(p, s) for p, s in zip(printed, segs, strict=True) if p.char != s.char]
    return bool(diff) and all(
        p.char == "1" and s.char == "7" and s.confidence > NO_EVIDENCE_FACTOR and p.box.w >= wide
        for p, s in diff
    )


def _sixes_read_as_fives(
    printed: list[Glyph], segs: tuple[Glyph, ...], *, display_beside: bool
) -> bool:
    """Whether a segment reading differs from the printed digits in its place only in a
    '6' the printed classifier read as '5', where something says "display": a
    seven-segment 6 is a 5 with its lower left bar lit, which the classifier takes for a
    5. A bold printed 5's curled foot decodes as that bar too, so the segment reading
    must read more than the printed one (a point or a digit the printed reader left
    off), or the printed reader be unsure of a glyph of the line (below `SPLIT_VOTE`), or
    the frame show a display elsewhere or round it (`display_beside`: a segment line
    read with display evidence, or one no printed reading overlaps; a display window the
    line lies in), or both read another 5 of the line as a 5. Each printed digit is
    paired with the one segment digit centred over it (or, for none, the one over its
    centre)."""
    pairs = []
    digits = [g for g in segs if g.kind is GlyphKind.SEGMENTS]
    for p in printed:
        if not p.char.isdigit():
            continue
        over = [g for g in digits if p.box.x <= g.box.cx <= p.box.x2]
        if not over:
            # (a printed 1 is a bar at its cell's right, off the segment cell's centre)
            over = [g for g in digits if g.box.x <= p.box.cx <= g.box.x2]
        if len(over) != 1:
            return False
        pairs.append((p.char, over[0]))
    diff = [(p, s) for p, s in pairs if p != s.char]
    if not diff or not all(
        p == "5" and s.char == "6" and s.confidence >= SIX_CONFIDENCE for p, s in diff
    ):
        return False
    # (a point the printed reader left off is more too: a printed face's point is as clear
    # to either reader, a display's small one is lost among the printed reader's specks)
    more = len(digits) > len(pairs) or (
        any(g.char == "." for g in segs) and not any(g.char == "." for g in printed)
    )
    unsure = any(g.confidence < SPLIT_VOTE for g in printed if g.kind is GlyphKind.CLASSIFIED)
    # (a 5 of the line both read as 5: the segment reader tells this face's 5s from its
    # 6s, where a bold printed face's curled feet make all its 5s 6s)
    tells = any(p == "5" and s.char == "5" for p, s in pairs)
    return more or unsure or display_beside or tells


def _has_segments(glyphs: tuple[Glyph, ...]) -> bool:
    return any(g.kind is GlyphKind.SEGMENTS for g in glyphs)


def _segments_only(glyphs: tuple[Glyph, ...]) -> bool:
    """A line of the seven-segment reader (its digits and marks; no classified glyph)."""
    return all(g.kind is not GlyphKind.CLASSIFIED for g in glyphs)


def _segment_reading(glyphs: tuple[Glyph, ...]) -> bool:
    """A line the seven-segment reader read alone, with a digit decoded in it."""
    return _segments_only(glyphs) and _has_segments(glyphs)


def _display_line(
    box: Box,
    rows: list[Box],
    lines: list[tuple[Box, tuple[Glyph, ...], float]],
    windows: Windows = (),
) -> bool:
    """Whether a box sits where a short line of a display would, beside one of its `rows`
    (boxes of `lines`), compared with the height of that line's box or of its digits (a
    tilted line's box is taller than its digits: a smaller short line under it is one).
    Its height may differ from the line's more than a row's found beside another may
    (`beside_line`'s `unequal`): here both were read as digits.

    So is a segment reading in a display window (`windows`) with a row, wherever in the
    glass: a status digit in a corner, a big reading beside a small one's end. (Not a
    lone 0 or 1: a round button or the window's own edge reads so; nor a printed line: a
    label on the bezel is in the window.)"""
    heights = {b: _digit_height(g) for b, g, _ in lines}
    glyphs = {b: g for b, g, _ in lines}
    mine = glyphs.get(box, ())
    if (
        windows
        and _segments_only(mine)
        and text_of(mine).strip("-.") not in ("", "0", "1")
        and any(
            _inside_window(q, box) and any(_in_window(q, r) for r in rows if r != box)
            for q in windows
        )
    ):
        return True
    # A short line past the line's end (under its blank cells) is measured against its
    # digits' height, and is no lone bar read as 1s (clutter beside a display is).
    ones = set(text_of(mine)) <= set("1.-")
    for r in rows:
        hd = heights.get(r) or r.h
        for y0, y1 in {(r.y, r.y2), _rows_near(glyphs.get(r, ()), box)}:
            for h in {r.h, hd}:
                past_end = 0.5 if ones or h != hd else SHORT_LINE_REACH
                if beside_line(box.x, box.y, box.w, box.h, line=(r.x, y0, r.x2, y1),
                               line_h=h, unequal=True, past_end=past_end):  # fmt: skip
                    return True
    return False


def _in_window(quad: NDArray[np.float32], box: Box) -> bool:
    """Whether a box's centre lies in a window (4 x 2 corners in the frame)."""
    return cv2.pointPolygonTest(quad.reshape(-1, 1, 2), (float(box.cx), float(box.cy)), False) >= 0


def _inside_window(quad: NDArray[np.float32], box: Box) -> bool:
    """Whether a box lies in a window (4 x 2 corners in the frame), its corners out by at
    most `WINDOW_SLACK` of its height (clutter over a window's corner reaches far out)."""
    poly = quad.reshape(-1, 1, 2)
    return all(
        cv2.pointPolygonTest(poly, (float(x), float(y)), True) >= -WINDOW_SLACK * box.h
        for x in (box.x, box.x2)
        for y in (box.y, box.y2)
    )


def _rows_near(glyphs: tuple[Glyph, ...], box: Box) -> tuple[int, int]:
    """The top and bottom of a line's digits within a box's width of it, left and right
    (a tilted line's box reaches below its digits at one end: a short line under its
    other end overlaps the box, not the digits); the whole line's without such digits."""
    near = [g.box for g in glyphs if g.char.isdigit()
            and g.box.x2 >= box.x - box.w and g.box.x <= box.x2 + box.w]  # fmt: skip
    if not near:
        near = [g.box for g in glyphs] or [box]
    return min(b.y for b in near), max(b.y2 for b in near)


def _digit_height(glyphs: tuple[Glyph, ...]) -> float:
    """The median height of a line's digits (0 without any)."""
    hs = [g.box.h for g in glyphs if g.char.isdigit()]
    return float(np.median(hs)) if hs else 0.0


def _join_at_dashes(
    lines: list[tuple[Box, tuple[Glyph, ...], float]],
) -> list[tuple[Box, tuple[Glyph, ...], float]]:
    """Join two lines that are one number split at a minus ("2-74" and "-903").

    A minus is too small to link glyphs into a line, so a widely set "74-903" can come out
    as two lines; where the right one starts (or the left one ends) with '-', the two sit
    on one baseline with digits of one height, and the dash is close to both, they are one.
    """
    out = list(lines)
    changed = True
    while changed:
        changed = False
        for i, (bi, gi, si) in enumerate(out):
            for j, (bj, gj, sj) in enumerate(out):
                if i == j or not (gi[-1].char == "-" or gj[0].char == "-"):
                    continue
                di = [g for g in gi if g.kind is not GlyphKind.MARK]
                dj = [g for g in gj if g.kind is not GlyphKind.MARK]
                if not di or not dj:
                    continue
                hi = float(np.median([g.box.h for g in di]))
                hj = float(np.median([g.box.h for g in dj]))
                gap = gj[0].box.x - gi[-1].box.x2
                same_row = abs((di[-1].box.y2) - (dj[0].box.y2)) <= 0.25 * max(hi, hj)
                if (
                    0 <= gap <= 1.0 * max(hi, hj)
                    and max(hi, hj) <= 1.2 * min(hi, hj)
                    and same_row
                    and not (gi[-1].char == "-" and gj[0].char == "-")
                ):
                    merged = (Box.around([bi, bj]), gi + gj, si + sj)
                    out = [x for k, x in enumerate(out) if k not in (i, j)] + [merged]
                    changed = True
                    break
            if changed:
                break
    return out


def _n_digits(glyphs: tuple[Glyph, ...]) -> int:
    return sum(1 for g in glyphs if g.kind is not GlyphKind.MARK)


def _hatching(glyphs: list[Glyph]) -> bool:
    """A row of bars (mostly 1s) with a glyph the model refuses is hatching, a fence or a
    barcode, not a number: stripes read as 1s, and one of them did not. So is a row of
    unsure 0s with one, or of nothing but 0s most of them unsure: a tiled floor's squares
    (two of three neighbours say 0; a printed 0 reads surely)."""
    cells = [g for g in glyphs if g.kind is GlyphKind.CLASSIFIED]
    chars = [g.char for g in cells]
    zeros = sum(1 for g in cells if g.char == "0" and g.confidence < TILE_ZERO_CONFIDENCE)
    if UNKNOWN not in chars:
        return len(chars) >= 3 and chars.count("0") == len(chars) and zeros > len(chars) / 2
    return chars.count("1") >= HATCHING_ONES * len(cells) or zeros >= TILE_ZEROS * len(cells)


def _letters(glyphs: list[Glyph]) -> bool:
    """A word's letters read as digits: a short line (`LETTERS_MAX_GLYPHS`) with a glyph the
    model refuses and two or more others it reads on split votes (below `SPLIT_VOTE`: two
    of three neighbours; a printed digit reads on all three), with two glyphs refused, or
    with three or more, most of its glyphs, read on split votes ("JBOH" as '3601'), or
    two of four (`HALF_SPLIT_GLYPHS`: "Mode" as '0263'); a
    line of three or more glyphs all read on split votes, or of `MOST_WEAK_GLYPHS` or more,
    most of them read on split votes or refused (a tiling read '00??-?0400'); or a row of
    1s touching one
    another, or three touching 1s in a line (`_stems`: an m's or n's stems, cut apart at
    the ink valleys between them: "Room" as '0111'; printed 1s stand apart) unless the
    line is longer than a word and holds a point or minus or reads surely throughout."""
    cells = [g for g in glyphs if g.kind is GlyphKind.CLASSIFIED]
    chars = [g.char for g in cells]
    split = sum(1 for g in cells if g.char != UNKNOWN and g.confidence < SPLIT_VOTE)
    if len(cells) <= LETTERS_MAX_GLYPHS and (
        (UNKNOWN in chars and split >= 2)
        or chars.count(UNKNOWN) >= 2
        or (split >= 3 and 2 * split > len(cells))
        or (split >= 2 and len(cells) == HALF_SPLIT_GLYPHS)
    ):
        return True
    if len(cells) >= 3 and split == len(cells):
        return True
    if len(cells) >= MOST_WEAK_GLYPHS and 2 * (split + chars.count(UNKNOWN)) > len(cells):
        return True
    if len(cells) >= 2 and all(c == "1" for c in chars) and _touching(cells):
        return True
    if len(cells) > LETTERS_MAX_GLYPHS and (
        any(g.kind is GlyphKind.MARK for g in glyphs[1:-1])
        or all(g.char.isdigit() and g.confidence >= SPLIT_VOTE for g in cells)
    ):
        # (a long line with a point or minus inside is a number: a monospaced face's 1s
        # touch by their feet, "111.42646"; so is a long line read surely throughout, an
        # italic face's 1s overlapping by their serifs, "1112255035": a word's other
        # letters read on split votes or not at all)
        return False
    return any(_stems(cells[i : i + 3]) for i in range(len(cells) - 2))


def _stems(cells: list[Glyph]) -> bool:
    """Whether glyphs are an m's or n's stems: touching, each read '1', or one so and the
    others narrow glyphs (under `STEM_MAX_ASPECT` as wide as tall) the model refuses or
    gives a '1' vote (a stem with a shoulder of the arch: "Room" as '00?11', '00?71')."""
    ones = sum(1 for g in cells if g.char == "1")
    if ones == len(cells):
        return _touching(cells)
    return (
        ones >= 1
        and all(
            g.char == "1"
            or (
                g.box.w <= STEM_MAX_ASPECT * g.box.h
                and (
                    g.char == UNKNOWN
                    or any(c == "1" and v >= STEM_ONE_VOTE for c, v in g.candidates)
                )
            )
            for g in cells
        )
        and _touching(cells)
    )


def _one_point(glyphs: list[Glyph]) -> list[Glyph]:
    """A printed line without the points that are pieces of glyphs: a number has one point,
    standing in the gap before its digit. An italic glyph's foot or serif cut off its
    blob reads as a point too, but lies under the glyph after it (`_under_next`); where
    one is, or where such a point follows a minus inside the line ("70-.2"), it goes; of
    two or more points left, none is sure to be the number's, and they all go
    ("21.34.32": the feet of an italic 1 and 4)."""
    points = [i for i, g in enumerate(glyphs) if g.kind is GlyphKind.MARK and g.char == "."]
    if not points:
        return glyphs
    drop = {i for i in points if _under_next(glyphs, i, several=len(points) > 1)}
    left = [i for i in points if i not in drop]
    if len(left) >= 2:
        drop |= set(left)
    return [g for i, g in enumerate(glyphs) if i not in drop]


def _under_next(glyphs: list[Glyph], i: int, *, several: bool) -> bool:
    """Whether the point `glyphs[i]` is a piece of the glyph after it: wholly within that
    glyph's columns, or reaching into them where another point (`several`: the line has
    more than one) or a minus right before it says the line has no room for this one. (A
    display's point, read by the printed reader, reaches into the next cell's box: cells
    are set close.)"""
    if i + 1 >= len(glyphs) or glyphs[i + 1].kind is GlyphKind.MARK:
        return False
    point, after = glyphs[i].box, glyphs[i + 1].box
    if point.x >= after.x:
        return True
    if point.x2 <= after.x:
        return False
    return several or (i > 0 and glyphs[i - 1].char == "-")


def _touching(cells: list[Glyph]) -> bool:
    """Whether each glyph touches the next, or all but (`TOUCH_GAP` of its height: a
    letter's stems cut apart at the valleys between them lie a pixel or two apart)."""
    return all(b.box.x <= a.box.x2 + TOUCH_GAP * a.box.h for a, b in pairwise(cells))


def _in_line_context(c: Classified) -> Classified:
    """Inside a line of digits, a unit the model calls "not a glyph" but gives a fair digit
    score is taken as that digit (an italic 1 looks like a stroke of clutter on its own).
    """
    ch, _, top = c
    if ch != NOT_GLYPH:
        return c
    for alt, score in top[1:]:
        if alt != NOT_GLYPH and score >= CONTEXT_DIGIT_SCORE:
            return (alt, score, top)
    return c


def _sole_digits_read(
    lines: list[tuple[Box, tuple[Glyph, ...], float]],
) -> list[tuple[Box, tuple[Glyph, ...], float]]:
    """The lines read, each unread glyph ('?') in them read as the one digit its
    candidates give (`_sole_digit`), at that digit's score.

    Only lines that won their place read so: until then a '?' counts as unread (a word's
    letters, hatching, a display's digit the segment reader read whole), and at a line's
    ends such units were trimmed as clutter, which they mostly are.
    """

    def read(g: Glyph) -> Glyph:
        if g.char != UNKNOWN or g.kind is not GlyphKind.CLASSIFIED or not _sole_digit(g.candidates):
            return g
        ch, score = g.candidates[1]
        return replace(g, char=ch, confidence=score)

    return [(b, tuple(read(g) for g in gs), s) for b, gs, s in lines]


def _sole_digit(top: tuple[tuple[str, float], ...]) -> bool:
    """The model's neighbours of a unit are clutter and one digit, no other digit.

    A blurred or thin 1 (or a faint 8, 4) sits among the model's bars and strokes of
    clutter; inside a line of digits of its height that one digit is what it is, though it
    scores under the reject threshold (measured on the crosscheck printed frames: right for
    24 of 25 such glyphs that read '?' in the ranges looked at, 4 of 5 in a fresh one).
    Where two digits share the score it stays '?'.
    """
    if len(top) < 2 or top[0][0] != NOT_GLYPH or top[1][0] in (NOT_GLYPH, UNKNOWN):
        return False
    rest = [score for alt, score in top[2:] if alt not in (NOT_GLYPH, UNKNOWN)]
    return top[1][1] >= SOLE_DIGIT_SCORE and all(score < SOLE_DIGIT_OTHERS for score in rest)


def _without_stray_clutter(units: list[Any]) -> list[Any]:
    """A refined line's (unit, class) pairs without the "not a glyph" units that are no
    part of its row: below or above the band of the digits nearest them (a card's edge
    under a tilted line), or taller than those digits and standing mostly over other units
    (a blob behind them). Left in, two of them split the line in two (`_runs`); a small
    one among digits stays (it marks a short line of clutter as such)."""
    digits = [u for u, c in units if c[0] != NOT_GLYPH and u.patch is not None]
    if len(digits) < 2:
        return units
    cx = np.array([d.box.cx for d in digits], np.float64)
    spans = [(u.box.x, u.box.x2) for u, c in units if c[0] != NOT_GLYPH]
    out = []
    for u, c in units:
        if c[0] == NOT_GLYPH:
            b = u.box
            d = digits[int(np.argmin(np.abs(cx - b.cx)))].box
            overlap = min(b.y2, d.y2) - max(b.y, d.y)
            off_band = overlap < 0.3 * b.h or not d.y - 0.1 * d.h <= b.cy <= d.y2 + 0.1 * d.h
            covered = sum(max(0, min(b.x2, x1) - max(b.x, x0)) for x0, x1 in spans)
            if off_band or (covered > 0.5 * b.w and b.h >= d.h):
                continue
        out.append((u, c))
    return out


def _runs(units: list[Any]) -> list[list[Any]]:
    """Split a refined line where two or more "not a glyph" units stand together.

    A line crop can take in clutter (a grid, shapes) on either side of the text, and a
    row of clutter can contain a few digit-like blobs; each stretch between clutter is
    judged on its own, with the clutter on either side of it (which `assemble` trims, and
    which marks a short stretch as a word's look-alike letters: "RsFX SO" is no "50"). A
    single unreadable unit inside digits stays (it reads '?').
    """
    out: list[list[Any]] = []
    cur: list[Any] = []
    bad = 0
    for u in units:
        if u[1][0] == NOT_GLYPH:
            bad += 1
            cur.append(u)
            continue
        if bad >= 2:
            # each stretch keeps the clutter beside it: trimmed off, it tells what is left
            # (a word's letters beside its digit look-alikes, `assemble`)
            out.append(cur)
            cur = cur[-bad:]
        bad = 0
        cur.append(u)
    out.append(cur)
    return [r for r in out if r]


def _trim_ends(units: list[Any], reject_threshold: float = 0.0) -> list[Any]:
    """Trim clutter glued to a line's ends, and marks left dangling there.

    A unit the model rejects, or reads below the rejection threshold (a card edge or a
    frame line next to the text), is clutter at an end; inside the line it reads '?'.
    A '.' needs a glyph on its left and a '-' one on its right; a trailing '.' ("5.") is
    rare in readings and common as noise. Trimming one can expose another, so repeat.
    """

    def weak(u: Any) -> bool:
        return u[0].patch is not None and (u[1][0] == NOT_GLYPH or u[1][1] < reject_threshold)

    units = list(units)
    while True:
        n = len(units)
        while units and (
            weak(units[0])
            or units[0][0].mark == "."
            # A minus must stand right before a digit, not before clutter or a mark.
            or (units[0][0].mark == "-" and (len(units) < 2 or weak(units[1]) or units[1][0].mark))
        ):
            units.pop(0)
        while units and (weak(units[-1]) or units[-1][0].mark in ("-", ".")):
            units.pop()
        if len(units) == n:
            return units


def _height_spread(hs: NDArray[np.float32]) -> float:
    """Relative spread (std / mean) of a line's glyph heights.

    In a line of five or more glyphs the one furthest from the median is left out: one
    glyph merged with a speck or cut short by a split does not make a row of digits of
    one height clutter, while the rest of the row still has to agree.
    """
    if len(hs) < 2:
        return 0.0
    if len(hs) >= 5:
        hs = np.delete(hs, int(np.argmax(np.abs(hs - np.median(hs)))))
    return float(hs.std() / hs.mean())


def _trim_stray_ones(units: list[Any]) -> list[Any]:
    """A line's (unit, class) pairs without an unsure 1 at either end that stands apart.

    A card's or a frame's edge beside a line reads as a 1 the model is not sure of, set off
    by a gap many times the line's own (`STRAY_GAP`); a printed 1 keeps to the line's
    spacing (a monospaced face's narrow 1 stands a little further off, and surely).
    """
    glyphs = [u for u, _ in units if u.patch is not None]
    if len(glyphs) < 3:
        return units
    gaps = [b.box.x - a.box.x2 for a, b in pairwise(glyphs)]
    usual = max(float(np.median(gaps)), 1.0)
    height = float(np.median([g.box.h for g in glyphs]))

    def stray(k: int, gap: int) -> bool:
        ch, conf, _ = units[k][1]
        return (
            ch == "1" and conf < STRAY_ONE_CONFIDENCE
            and gap > STRAY_GAP * usual and gap > STRAY_MIN_GAP * height
        )  # fmt: skip

    # Only beside a digit: a point or minus next to the 1 makes it part of the number.
    (a, b), (y, z) = units[:2], units[-2:]
    out = list(units)
    if a[0].patch is not None and b[0].patch is not None and stray(0, b[0].box.x - a[0].box.x2):
        out = out[1:]
    if y[0].patch is not None and z[0].patch is not None and stray(-1, z[0].box.x - y[0].box.x2):
        out = out[:-1]
    return out


def _trim_odd_heights(units: list[Any]) -> list[Any]:
    """Drop glyph units at a line's ends whose height is not the line's digit height.

    A card edge, a frame line or a shadow next to the text reads as a "1" as tall as the
    card, not as the digits; left in, it would fail the whole line on height spread. Only
    the end glyphs are trimmed, with the marks beyond them: inside a line an odd unit
    reads '?' like any other misfit.
    """
    units = list(units)
    while True:
        hs = [u.box.h for u, _ in units if u.patch is not None]
        if len(hs) < 3:
            return units
        med = float(np.median(hs))
        # (the end glyphs, past any marks: clutter's dash before an edge's "1" is clutter
        # too, and goes with it)
        glyph_at = [k for k, (u, _) in enumerate(units) if u.patch is not None]
        ends = [glyph_at[0], glyph_at[-1]]
        odd_end = [k for k in ends if abs(units[k][0].box.h - med) > MAX_END_HEIGHT_DEV * med]
        if not odd_end:
            return units
        # The worse end first: the other one may fit once the median is clean.
        k = max(odd_end, key=lambda k: abs(units[k][0].box.h - med))
        units = units[k + 1 :] if k == glyph_at[0] else units[:k]


def _marks(glyphs: tuple[Glyph, ...]) -> int:
    return sum(1 for g in glyphs if g.kind is GlyphKind.MARK)


def _same_digits_more_marks(
    a: tuple[Box, tuple[Glyph, ...], float], b: tuple[Box, tuple[Glyph, ...], float]
) -> bool:
    """Whether line `a` reads the same digits as `b`, in the same place, plus marks `b`
    lacks (both printed, both segment lines, or `a` printed where `b` is decoded from
    segments: the printed reader sees a minus or point the segment decoder left out)."""
    # a segment line's marks never outrank a printed reading: bars of the printed
    # glyphs' strokes decode as points and minus signs
    if (_has_segments(a[1]) and not _has_segments(b[1])) or a[0].overlap(b[0]) < 0.8:
        return False
    digits = ["".join(g.char for g in gl if g.kind is not GlyphKind.MARK) for gl in (a[1], b[1])]
    return digits[0] == digits[1] and _marks(a[1]) > _marks(b[1])


def _resolve_overlaps(
    lines: list[tuple[Box, tuple[Glyph, ...], float]],
) -> list[tuple[Box, tuple[Glyph, ...], float]]:
    order = sorted(range(len(lines)), key=lambda i: -lines[i][2])
    # Two readings of one place with the same digits differ in score by how tight their
    # boxes came out (and a segment line read twice, from its window and the frame, may
    # come between them); the one that also found a point or minus says more.
    for k in range(len(order) - 1):
        i = order[k]
        more = next(
            (
                m
                for m in range(k + 1, len(order))
                if _same_digits_more_marks(lines[order[m]], lines[i])
            ),
            None,
        )
        if more is not None:
            order.insert(k, order.pop(more))
    kept: list[int] = []
    for i in order:
        if not any(_same_place_lines(lines[i], lines[j]) for j in kept):
            kept.append(i)
    return [lines[i] for i in kept]


#: Places are resolved again, without the lone digits that won them, at most this many
#: times (`_resolve_once`).
LONE_ROUNDS = 3

#: How much (a share of the smaller) two lines' boxes, and their glyphs' boxes, overlap
#: where they are two readings of one place.
LINE_OVERLAP = 0.25


def _same_place_lines(
    a: tuple[Box, tuple[Glyph, ...], float], b: tuple[Box, tuple[Glyph, ...], float]
) -> bool:
    """Whether two lines read one place: their boxes overlap by more than a quarter of the
    smaller, and so do their glyphs (the boxes of two lines of a tilted display overlap
    where their glyphs do not)."""
    if a[0].overlap(b[0]) <= LINE_OVERLAP:
        return False
    inter = sum(g.box.intersection(h.box) for g in a[1] for h in b[1])
    area = min(sum(g.box.area for g in a[1]), sum(h.box.area for h in b[1]))
    return inter > LINE_OVERLAP * max(1, area)


#: An image this small (px, its longer side) and upright (height / width) may be a crop of
#: one digit: camera frames are wider than tall or far larger.
ONE_CELL_MAX_PX = 400
ONE_CELL_ASPECT = (1.0, 6.0)  # a crop of a 1 is a narrow bar


#: A crop's variance left after a blur of 1/30 of its size, at least: digits are shapes
#: (99.5 % of real crops keep 0.5 or more), denoised sensor noise is not (at most 0.40).
ONE_CELL_STRUCTURE = 0.45

#: A frame read again with a cast shadow lifted keeps that reading where its glyphs' mean
#: confidence is at most this much under the first reading's (of the frames the lift read
#: right that were read wrong, 78 of 91 keep it; of 5 it broke, 4 are left as read first).
SHADOW_SURE_MARGIN = 0.05
#: ... unless it leaves out digits other than 1 the first reading read this surely
#: (`_loses_sure_digits`).
LOST_DIGIT_CONFIDENCE = 0.9


def _drop_edge_marks(
    lines: list[tuple[Box, tuple[Glyph, ...], float]], width: int
) -> list[tuple[Box, tuple[Glyph, ...], float]]:
    """A line's leading or trailing mark that touches the frame's side is dropped: a bar
    of clutter cut by the frame edge looks like a minus, and a sign the frame cuts off is
    no sure reading either. So is a short line (`EDGE_SHORT_LINE` glyphs) that touches it."""
    out = []
    for box, glyphs, score in lines:
        gl = list(glyphs)
        if len(gl) > 1 and gl[0].kind is GlyphKind.MARK and gl[0].box.x <= 0:
            gl.pop(0)
        if len(gl) > 1 and gl[-1].kind is GlyphKind.MARK and gl[-1].box.x2 >= width:
            gl.pop()
        if len(gl) <= EDGE_SHORT_LINE and (gl[0].box.x <= 0 or gl[-1].box.x2 >= width):
            # a short line the frame's side cuts is clutter (a word's capitals read as
            # digits, "ER" as 68) or a number cut short: no sure reading either way
            continue
        if len(gl) == len(glyphs):
            out.append((box, glyphs, score))
        else:
            out.append((Box.around([g.box for g in gl]), tuple(gl), score))
    return out


def _cut_by_frame(glyphs: tuple[Glyph, ...], height: int) -> bool:
    """Whether most of a line's glyphs run into the frame's top or bottom edge, in a frame
    far taller than they are (not a crop around the line): characters cut off there (a
    word's capitals read as '111717') are no sure reading, and would displace a reading
    elsewhere in `resolve`."""
    cut = sum(1 for g in glyphs if g.box.y <= 0 or g.box.y2 >= height)
    tall = max(g.box.h for g in glyphs)
    return cut > 0 and cut >= 0.5 * len(glyphs) and tall <= CUT_LINE_SHARE * height


def _one_cell_image(gray: NDArray[np.uint8], min_px: int) -> bool:
    """Whether an image may be a crop of one digit: small, upright, and holding shapes."""
    h, w = gray.shape[:2]
    if not (
        min_px <= min(h, w)
        and max(h, w) <= ONE_CELL_MAX_PX
        and ONE_CELL_ASPECT[0] <= h / w <= ONE_CELL_ASPECT[1]
    ):
        return False
    f = gray.astype(np.float32)
    smooth = cv2.GaussianBlur(f, (0, 0), max(1.0, min(h, w) / 30))
    return float(smooth.var()) >= ONE_CELL_STRUCTURE * max(float(f.var()), 1e-6)


def classify_cell(image: NDArray[Any], cell_model: Model) -> Glyph | None:
    """Read a crop of one digit *cell* whole with a cell model (`classify.load_cell_model`).

    The segment decoder needs the bars to stand apart from the ground; faint, hollow,
    dot-matrix or boxed display digits defeat it. A classifier that sees the whole cell
    (`dataset.normalize_cell`, the samples it was trained on) reads many of those.

    Args:
        image: HxW gray or HxWx3 BGR crop of one digit.
        cell_model: a model trained on `normalize_cell` samples ("lhog"/"uhog" features).

    Returns:
        The glyph (its box the whole crop), or None when the model is not sure of a digit.
    """
    gray = to_gray(image)
    cell = normalize_cell(gray).astype(np.float32)
    pred = cell_model.predict(glyph_features(cell[None], cell_model.spec))
    char, conf = pred.chars[0], float(pred.confidences[0])
    if not char.isdigit() or conf < cell_model.reject_threshold:
        return None
    h, w = gray.shape[:2]
    return Glyph(Box(0, 0, w, h), char, conf, pred.top[0], GlyphKind.CLASSIFIED)


def read_frame(
    image: NDArray[Any],
    model: Model,
    config: ReaderConfig | None = None,
    *,
    frame_index: int = 0,
    clock: Callable[[], float] = time.perf_counter,
    cell_model: Model | Callable[[], Model] | None = None,
) -> Reading:
    """Read the digits in one frame.

    Args:
        image: HxWx3 uint8 BGR, HxWx4 BGRA or HxW gray (uint8/uint16/float accepted).
        model: a loaded classifier (`classify.load_model`).
        config: reader options (defaults to `ReaderConfig()`).
        frame_index: copied into the Reading.
        clock: seconds counter for the stage timings (injectable for tests).
        cell_model: reads a crop of one display digit whole where the segment decoder
            finds no digit in it (`classify.load_cell_model`), or a function that gives it
            (called only then: most frames never need it); None: the decoder alone.

    Returns:
        The Reading: lines top to bottom, glyphs left to right, per-stage milliseconds.

    Raises:
        InputError: an empty array or one that is not an image.
    """
    cfg = config or ReaderConfig()
    reading = _read_once(image, model, cfg, frame_index=frame_index, clock=clock,
                         cell_model=cell_model)  # fmt: skip
    if not cfg.lift_shadows:
        return reading
    # A shadow's edge across what was read (or a frame that read nothing): the frame is read
    # again with the shadow divided out, and that reading kept where it reads anything about
    # as surely as the first (`SHADOW_SURE_MARGIN`). Only then: elsewhere the shadow harms no
    # reading, and a frame read again may lose a line the first reading found (the two
    # readings of a frame do not compete line by line); an edge placed a few pixels off
    # leaves a faint bar along it, read unsure ("0" read "10").
    t0 = clock()
    edge = find_shadow_edge(image) if isinstance(image, np.ndarray) else None
    again = None
    if edge is not None and (not reading.lines or _edge_crosses(edge, reading)):
        again = _read_once(lift_shadow(image, edge), model, cfg, frame_index=frame_index,
                           clock=clock, cell_model=cell_model)  # fmt: skip
    spent = (clock() - t0) * 1000.0
    total = reading.timings.total + spent  # both readings, whichever is kept
    if again is not None and _keeps_lifted(reading, again):
        reading = again
    return replace(reading, timings=replace(reading.timings, total=total, shadow=spent))


def _keeps_lifted(first: Reading, lifted: Reading) -> bool:
    """Whether a frame read again with a shadow lifted keeps that reading: where the first
    read nothing, or where it reads something about as surely (`SHADOW_SURE_MARGIN`)."""
    if not first.lines:
        return True
    return (
        bool(lifted.lines)
        and not _loses_sure_line(first, lifted)
        and _mean_confidence(lifted) >= _mean_confidence(first) - SHADOW_SURE_MARGIN
        and not _loses_sure_digits(first, lifted)
    )


def _loses_sure_line(first: Reading, lifted: Reading) -> bool:
    """Whether a frame read again reads fewer lines, and one it left out was read surely
    first, every glyph (`LOST_DIGIT_CONFIDENCE`): the shadow's doing too (a number's
    line of a card lost where the lifted light changed its threshold), where a line of
    clutter the shadow's edge made, read unsurely, may go, and so may two lines read as
    one (the edge had cut a line in two: "6190" and "005" of "61900005")."""
    if len(lifted.lines) >= len(first.lines):
        return False
    return any(
        not any(text in line for line in lifted.lines)
        and all(g.confidence >= LOST_DIGIT_CONFIDENCE for g in glyphs)
        for text, glyphs in zip(first.lines, first.glyphs, strict=True)
    )


def _loses_sure_digits(first: Reading, lifted: Reading) -> bool:
    """Whether a frame read again reads its lines as read first but for digits left out
    that the first reading read surely (`LOST_DIGIT_CONFIDENCE`): an edge placed a little
    off leaves a bar along it that cuts a digit's strokes (a "6" lost from "08628754.5").
    A 1 is no such digit: the shadow's own edge across a line's end is read as a sure 1
    (a display's "16608124")."""
    if len(first.lines) != len(lifted.lines) or first.lines == lifted.lines:
        return False
    lost = False
    for glyphs, text in zip(first.glyphs, lifted.lines, strict=True):
        k = 0
        for g in glyphs:
            if k < len(text) and g.char == text[k]:
                k += 1
            elif g.char.isdigit() and g.char != "1" and g.confidence >= LOST_DIGIT_CONFIDENCE:
                lost = True
            else:
                return False
        if k < len(text):
            return False
    return lost


def _mean_confidence(reading: Reading) -> float:
    """Mean confidence of a reading's glyphs (0 for none)."""
    confs = [g.confidence for line in reading.glyphs for g in line]
    return sum(confs) / len(confs) if confs else 0.0


def _edge_crosses(edge: ShadowEdge, reading: Reading) -> bool:
    """Whether a shadow's soft edge passes through a line read, or within a line's height
    of it (the display's window round the line: its outline and polarity are read too)."""
    for glyphs in reading.glyphs:
        if not glyphs:
            continue
        h = max(g.box.h for g in glyphs)
        x0, y0 = min(g.box.x for g in glyphs) - h, min(g.box.y for g in glyphs) - h
        x1, y1 = max(g.box.x2 for g in glyphs) + h, max(g.box.y2 for g in glyphs) + h
        if edge.crosses(x0, y0, x1, y1):
            return True
    return False


def _read_once(
    image: NDArray[Any],
    model: Model,
    cfg: ReaderConfig,
    *,
    frame_index: int,
    clock: Callable[[], float],
    cell_model: Model | Callable[[], Model] | None,
) -> Reading:
    """`read_frame` without the shadow's second look."""
    t0 = clock()
    raw = to_gray(image)
    gray = denoise(raw)
    t1 = clock()
    if min(gray.shape) < cfg.min_glyph_px:
        det = Detection((), ("frame smaller than the smallest glyph",))
    else:
        det = segment_frame(gray, cfg, model)
    t2 = clock()
    det, classes = classify_units(det, model)
    threshold = model.reject_threshold if cfg.reject_threshold is None else cfg.reject_threshold
    candidates = assemble(det, classes, cfg, threshold)
    candidates += stitch_lines(candidates, kind=GlyphKind.CLASSIFIED)
    t4 = clock()
    windows: Windows = ()
    if cfg.seven_segment:
        displays = read_displays(gray, cfg, image=image, raw=raw)
        candidates += displays.lines
        windows = displays.windows
    t5 = clock()
    candidates = [c for c in candidates if not _cut_by_frame(c[1], gray.shape[0])]
    kept = _sole_digits_read(_drop_edge_marks(resolve(candidates, windows=windows), gray.shape[1]))
    if not kept and cfg.seven_segment and _one_cell_image(gray, cfg.min_glyph_px):
        # a crop of one display digit (a dataset's, or cut by the user): its bars touch the
        # edges and a lone digit is no line, so the frame-wide readers find nothing there.
        # It is read in the frame's own gray: denoising merges the thick bars of small crops.
        cell = read_cell(raw)
        if (cell is None or not cell.char.isdigit()) and cell_model is not None:
            cell = classify_cell(raw, cell_model() if callable(cell_model) else cell_model)
        if cell is not None and cell.char.isdigit():
            kept = [(cell.box, (cell,), cell.confidence)]
    order = order_lines([b for b, _, _ in kept])
    lines = tuple(text_of(kept[i][1]) for i in order)
    glyphs = tuple(kept[i][1] for i in order)
    t6 = clock()
    ms = 1000.0
    timings = Timings(
        preprocess=(t1 - t0) * ms,
        segment=(t2 - t1) * ms,
        classify=(t4 - t2 + t6 - t5) * ms,
        total=(t6 - t0) * ms,
        sevenseg=(t5 - t4) * ms,
    )
    return Reading(frame_index, lines, glyphs, timings, det.notes)
