"""Seven-segment displays: rows of segment blobs found, rectified, cut into cells by the line's
geometry, and each cell decoded segment by segment.

`read_displays(gray, config)` is the pipeline's hook: it returns candidate lines in the same
form as `pipeline.assemble` (bbox, glyphs, score), which `pipeline.resolve` picks between
with the printed-digit lines by score, and the display windows that read a line (a lone
digit read in one is that display's other line).

How a frame is read:

1. *Rows* (cheap, at half resolution): both-polarity adaptive threshold; connected components
   are linked into digit clusters by a gap relative to each piece's own length (segments of a
   digit are close, relative to a segment's length); clusters of a similar height on a common
   line are chained into rows. A frame with no such row costs only this step. A lone cluster
   right above or below a row, with plain display background between them, is a short line
   of the same display (a two-line meter's "7"). When gray reads nothing, a colour frame's
   brightest channel is searched for lit segments (a red or blue LED is dim in gray).
2. *Rectify*: top and bottom lines are fitted through the columns where a digit spans its
   full height (rotation and perspective), the row is warped to an upright strip with the
   digits `STRIP_DIGIT_PX` high, and the slant (italic faces, rotation) is found as the shear
   whose column projection is sharpest.
3. *Cells*: runs of inked columns over the upper 85 % of the digit band (the decimal points sit
   below it); a narrow run is a '1' at the right of its cell; a run wider than a digit is
   split at the projection's minima. The cell width is the line's median.
4. *Decode*: each segment's value is the peak of a profile across its zone in the gray strip,
   so thickness and small misplacement do not matter. Lit vs ghost (unlit but visible) is
   decided for the whole line, relative to the background of the cells' counters and the
   brightest segments. The decimal point is looked for in the gap at the baseline between
   cells (from where the digit's lower right bar ends: an italic face sets it tight against
   the digit); '-' is a lone middle segment; blank cells give nothing.
5. *Check*: each decoded cell is compared with the ideal segment mask of its digit (IoU), so
   printed digits and clutter (curves, strokes of varying width) score low. A row with no
   sign of a display (ghosts, gaps where bars meet) scores less, so the printed reader wins
   where both read, unless a profile says the frame shows a display
   (`ReaderConfig.segments_trusted`); a single digit, or one or two '1's, needs such a sign.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import islice, pairwise
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from digitcam.config import ReaderConfig
from digitcam.preprocess import ink_masks, ink_offset, odd
from digitcam.segment import (
    group_boxes,
    small_median,
    small_percentile,
    union_groups,
    union_labels,
)
from digitcam.types import UNKNOWN, Box, Glyph, GlyphKind, Polarity, text_of

#: Segment names in code-bit order: a top, b upper right, c lower right, d bottom,
#: e lower left, f upper left, g middle.
SEGMENT_ORDER = "abcdefg"

#: Lit segments of each digit, as drawn by nearly every display.
DIGIT_SEGMENTS: dict[str, str] = {
    "0": "abcdef",
    "1": "bc",
    "2": "abdeg",
    "3": "abcdg",
    "4": "bcfg",
    "5": "acdfg",
    "6": "acdefg",
    "7": "abc",
    "8": "abcdefg",
    "9": "abcdfg",
}

#: Other drawings some displays use (a 7 with its upper-left bar, a 9 without its tail,
#: a 6 without its top bar) and the minus sign.
VARIANT_SEGMENTS: dict[str, str] = {"abcf": "7", "abcfg": "9", "cdefg": "6", "g": "-"}

#: Height of the digits in the rectified strip, in pixels.
STRIP_DIGIT_PX = 40

#: Pieces (connected components) linked per polarity; noise and texture are cut to the largest.
MAX_PIECES = 500

#: Digit-shaped clusters (the tallest) re-cut per polarity to free digits glued to clutter.
MAX_RECUTS = 6
#: A block of columns lit over most of a strip's height this share of the digit height
#: wide or wider (glare or shade over an end of the glass, past the split) has the strip
#: read flattened too (`decode_strip`).
SOLID_BLOCK = 0.5

#: Least fraction of the line's split a shaded cell is split at (`decode_strip`: a cell whose
#: peak is under the line's is split in proportion to its peak).
DIM_CELL_SCALE = 0.5
#: Least gap, as a fraction of the line's contrast, between a shaded cell's dimmest lit bar
#: and its brightest unlit one when none of its bars reach the line's split.
DIM_CELL_GAP = 0.25

#: Most an italic digit's upper half stands right of its lower half, in half heights
#: (`_stack_halves`).
ITALIC_SHIFT = 0.3

#: A strip's split level that lights more than this share of it has taken a dark ring or
#: bezel edge in its margins for the ground and the window's glass for lit
#: (`decode_strip`): its cells are cut again at the digit band's own level.
LIT_MAJORITY = 0.5

#: Least gain in merit (`_cells_merit`: about one more digit read surely) a strip's second
#: reading (its band's own split level, or its light evened) needs over the first.
ALT_GAIN = 1.0

#: Percentile of a row's luminance taken as its ground in a dark-on-light strip read with
#: its shading divided out (`_row_ratio`): bars cover at most about half of a row.
ROW_GROUND_PERCENTILE = 80

#: Share of a window's height (top and bottom) and width (each side) left out where its
#: gray levels tell the polarity (`_read_window`): a bezel's bright rim inside the outline
#: found outweighs a lone digit's ink.
WINDOW_CORE_H = 0.1
WINDOW_CORE_W = 0.05

#: Size of the morphological ground of a window read with its light evened
#: (`_evened_window`), as a fraction of the window's height: wider than a bar, narrower
#: than the shadow's extent.
EVEN_WINDOW_KERNEL = 0.2

#: Least share of the expected digit band a shaded strip's top-hat band must cover
#: (`rectify_row`).
FLAT_BAND_SHARE = 0.8

#: Two runs of a strip's columns this close to a digit's usual width (each) are two
#: digits set tight, never one digit cracked at a slant (`find_cells`).
GLUE_WHOLE = 0.75

#: A row is cut to its digits (`_row_on_digits`) with this many digit heights of margin.
NARROW_MARGIN = 0.5
#: ... and read so only where that gains this much (`_cells_merit`: an unknown cell read).
NARROW_GAIN = 0.5
#: A row whose cells' ink runs to within EXTEND_EDGE digit heights of its strip's right
#: end is read again reaching EXTEND row heights further (`_extended_reading`): the row's
#: clusters missed digits glued to a bezel or lost in glare, and the strip stopped short.
EXTEND_EDGE = 0.1
EXTEND = 2.0
#: ... each digit the longer strip adds decoded this surely, and not all of them 1s.
EXTEND_CONFIDENCE = 0.6
#: A window read again evened (`_read_window`) is kept where the digits it adds read
#: this surely on average (`_reads_more`).
EVEN_ADDED_CONFIDENCE = 0.5

#: Share of a strip's columns lit in both margins (above and below the digits) that says
#: a bezel runs along the strip, close around the digits (`_not_a_cell`).
BEZEL_ALONG = 0.8

#: Full-height points spanning less than this many digit heights along a row (a lone
#: digit's bars' few columns) that tilt it as steep as SLANT_TILT may be an italic bar's
#: slant (`_slant_tilted`; `_robust_line` allows 0.15, a display turned 5 degrees 0.09).
TILT_SPAN = 0.6
SLANT_TILT = 0.14

#: A window's other line is looked for in its bands above and below the lines read
#: (`_other_lines`), from this many digit heights clear of them; in a band of at least
#: OTHER_LINE_MIN digit heights; read at twice its size too in one lower than
#: OTHER_LINE_UPSCALE px.
OTHER_LINE_GAP = 0.15
OTHER_LINE_MIN = 0.5
OTHER_LINE_UPSCALE = 100
#: ... and kept where its ink stands at least OTHER_LINE_INK as far from the ground as
#: theirs (`_ink_depth`; fainter, blank cells' ghosts).
OTHER_LINE_INK = 0.4

#: A piece shaped like a whole digit right above or below a piece up to this many times
#: as tall (or as low) is no digit's half with it (`_stack_halves`).
WHOLE_OVER = 1.3

#: Rows examined per polarity (a cluttered frame cannot ask for more).
MAX_ROWS = 6

#: Ink density (of the row's polarity) around a row, within 0.4 of its height, below which
#: the row stands on plain ground (a display window, a card) rather than in texture.
CLEAN_SURROUND = 0.05

#: Rows on plain ground examined per polarity beyond the `MAX_ROWS` best-ranked: in a
#: textured scene, clutter outranks a small display whose window is plain.
MAX_CLEAN_ROWS = 6

#: How far left of a display line's first digit a minus sign in its leftmost cell is
#: looked for (`_far_minus`), in digit heights.
MINUS_REACH = 2.5
#: Lit there, a thing taller than this many digit heights is the window's edge, no rival
#: of the minus (which must lie right of it).
FAR_MINUS_EDGE = 1.2
#: The minus's peak (90th percentile) lies at least this share of the way from the split's
#: level up to the first digit's bars' median (a ghost bar lies just over the split).
FAR_MINUS_LEVEL = 0.7

#: A run narrower than this share of the line's cell width gets a cell that wide, to its
#: left (a 3 or a 7 has no left bars).
NARROW_CELL = 0.9

#: Display windows read on their own per frame (the largest).
MAX_WINDOWS = 4
#: A hole in the edges round a window that fills at least this share of its hull is the
#: glass, whatever joins it there (`_quads`): digits reaching the glass's edge.
HOLE_SOLIDITY = 0.5

#: Outlined windows at least this many times as wide as tall are read as displays'
#: windows (`MAX_WINDOWS` of them) ...
WIDE_WINDOW = 0.9

#: ... and up to `MAX_TALL_WINDOWS` narrower ones, down to this (a one-digit display's
#: window is taller than wide), besides.
TALL_WINDOW = 0.5
MAX_TALL_WINDOWS = 2

#: Plain windows (`plain_windows`) read besides, the largest not outlined already; the
#: stroke width they are opened by (small displays: larger ones are outlined), and the
#: local threshold that tells them from their surround.
MAX_PLAIN_WINDOWS = 2
PLAIN_STROKE = 5
#: (strokes under 5 px: digits under about 35 px, in windows of two lines this high at most)
PLAIN_MAX_H = 100
PLAIN_BLOCK = 101
PLAIN_OFFSET = 10

#: Rows read in a window (a display has one or two lines).
WINDOW_ROWS = 3

#: A window's digits may be taller, for the crop, than a frame's (`max_glyph_frac`): a
#: window is warped with a margin of a tenth of its height each side, so digits filling
#: 0.86 of a tight bezel's opening are this share of the crop (its edges, taller, are not).
WINDOW_DIGIT_FRAC = 0.72

#: An outlined window's opening may be cut tight around its digits (0.9 of its height and
#: more); a plain window is not raised so far: one cut from a display's digits alone holds
#: their bars and glow, which then read as digits.
OUTLINED_DIGIT_FRAC = 0.8

#: A lone cell's lit share of its band may be larger than a row's (where more than half
#: lit means the other polarity's ground between glyphs): a bold 8 alone fills 52 %.
LONE_LIT_SHARE = 0.62

#: A window's polarity is clear when one tail of its gray levels (2nd / 98th percentile
#: from the median) is this many times the other; otherwise both are tried.
POLARITY_CLEAR = 2.0

#: Cells a strip must show once flattened (`decode_strip`) to be read so.
FLAT_MIN_CELLS = 3
#: A strip whose lit columns are mostly lit this share of the band or more glows: its
#: cells are cut again at its lit pixels' own split (`_glow_cells`).
GLOW_FILL = 0.6

#: A digit cell left of a row's clusters is kept where it lights this many segments and
#: decodes with this confidence, before a number of this many digits (`line_from_cells`).
OUTSIDE_MIN_SEGMENTS = 4
OUTSIDE_CONFIDENCE = 0.6
OUTSIDE_MIN_DIGITS = 3
#: A '1' between two digits whose cell is under this share of the others' median width,
#: decoded under this confidence, is a cut taken from a neighbour (`_without_squeezed_ones`).
SQUEEZED_ONE = 0.6
SQUEEZED_ONE_CONFIDENCE = 0.8
#: A '1' at a window's line's end lit past the window's side by more than this many
#: window heights is the window's edge (`_without_edge_ones`).
EDGE_ONE_REACH = 0.03
#: A digit added at a line's end by its flattened reading needs this confidence.
FLAT_END_CONFIDENCE = 0.5

#: An evened strip (`_evened_reading`) divides by the local lit-ground span, at least this.
EVEN_MIN_SPAN = 20.0
#: ... and takes a 1 past a line's ends only this share of the pitch away from where a
#: display's next 1 would end.
EVEN_PITCH_TOL = 0.25

#: Two lines of a display's unlike heights are at most this many times the taller one's
#: height apart (`beside_line`).
UNEQUAL_LINE_GAP = 0.7

#: A narrow piece glued before a digit is a 1 when it spans this share of the band (a
#: face's rounded 1 stops short of the band's top and bottom; a digit's f or e bar alone,
#: cracked off it, spans half).
ONE_SPAN = 0.7
#: A run wider than TIGHT_ONE_WIDTH cells starting with a 1's bar (at most TIGHT_ONE_BAR
#: cells wide, within as much of its start), then a column lit at most TIGHT_ONE_VALLEY of
#: the band, and TIGHT_ONE_REST cells left, is a 1 set tight before a digit
#: (`_split_tight_ones`).
TIGHT_ONE_WIDTH = 1.2
TIGHT_ONE_BAR = 0.3
TIGHT_ONE_VALLEY = 0.2
TIGHT_ONE_REST = 0.7

#: A strip is read flattened too when its split level lit this share of its margins.
SHADED_MARGIN = 0.25

#: Two readings of one display line agree within this share of the digit height (heights,
#: top and bottom lines, digit centres).
STITCH_TOL = 0.15

#: How far beside a lone cluster (in its heights) its ground is compared with a row's.
SIDE_GROUND = 0.3

#: Widest run, in digit heights, read as one cell when it is the strip's only run.
LONE_CELL_MAX = 1.0

#: The pitch (in digit heights) of digits read side by side that places a line's unread
#: cells (`_pitch_reading`), and how far (in pitches) the unread run's span may be from a
#: whole number of them.
PITCH_MIN = 0.4
PITCH_MAX = 1.0
PITCH_TOL = 0.3

#: How unlike each other the widths of the digits read (other than 1s) may be, and the
#: least share of the pitch their width fills, for the pitch to place unread cells.
PITCH_WIDTHS = 1.4
PITCH_FILL = 0.7

#: Least lit area of a decimal point, in squared bar thicknesses.
DOT_AREA = 0.35
#: Least width of a decimal point's lit pixels, in bar thicknesses.
DOT_MIN_WIDTH = 0.5

#: How much (in the strip's contrast) a gap's baseline may exceed the lower bars' rows
#: above it at their darkest between two bars before it is read as a point
#: (`_valley_dot`), how lit (over the ground, in the contrast) it must be there, and how
#: little the line's other such gaps may exceed it.
VALLEY_DOT = 0.3
VALLEY_DOT_LEVEL = 0.45
VALLEY_DOT_OTHERS = 0.15

#: What an undecoded cell ('?') takes off a segment line's score (in confidence units).
UNKNOWN_COST = 0.5

#: Mean confidence a line of three digits or more needs in a display window (or as the short
#: line beside a display) instead of 0.55: the window is evidence of a display already.
WINDOW_LINE_CONFIDENCE = 0.45

#: The confidence a lone digit read in a display window needs where its cell shows a
#: display's evidence (ghosts, gaps where bars meet); elsewhere a lone digit needs 0.85.
WINDOW_DIGIT_CONFIDENCE = 0.6

#: A lone digit read in a strip whose cells include this many that decode as no digit is
#: no reading: a bezel's edge or clutter cut into cells, one of which passes for a digit.
LONE_AMONG_UNKNOWN = 2

#: A frame-wide reading in gray with a line of this many digits is not looked at again in
#: the brightest colour channel.
BRIGHT_SKIP = 2

#: A window whose brightest channel exceeds its gray by this much (98th percentile) shows
#: coloured light: it is read in both, whatever gray reads (gray weighs blue and red low).
COLOUR_GATE = 50.0

#: Lone clusters read as rows in a display window besides its rows of several (the
#: tallest): a display showing one digit chains its blank cells' ghosts into rows.
LONE_CELLS = 1

#: Lone clusters (the tallest) read as rows in the whole frame besides its rows of several:
#: a small display showing one digit whose window is not found, in a frame where clutter
#: makes rows. A lone digit read there needs display evidence (`line_from_cells`).
FRAME_LONE = 2

#: Lone clusters, and rows outranked by clutter, read as short lines beside the rows found
#: (each, per polarity).
MAX_BESIDE = 2


#: Weight, in the ranking of rows, of the extra digits a wide cluster may hold.
MERGED_WEIGHT = 0.7

#: Level, between the background (0) and the lit threshold (1), at which a dim dot's
#: pixels count.
DIM_DOT_LEVEL = 0.6

#: Confidence of a decimal point or minus decided by the line's own lit/ghost threshold.
MARK_CONFIDENCE = 0.9

#: Confidence factor of a row with no evidence of being a display (no ghosts, no gaps).
NO_EVIDENCE_FACTOR = 0.6

#: How far (in bar thicknesses) ink may lie outside a lit bar and still be explained by it.
FIT_SLACK = 0.3

#: The least share of the cell's width a lit horizontal bar covers with ink (`_bar_fills`):
#: a ghost bar passing the split here and there covers less.
BAR_FILL_MIN = 0.55


#: Where a lone digit's bars count as lit, between its background (counters) and its
#: brightest bars: ghosts of LCDs stay below a third of the way.
ONE_DIGIT_LEVEL = 0.45
#: The least contrast (gray levels) at which a line all of lit 8s is split at that level.
ALL_LIT_CONTRAST = 50.0

#: A one-digit crop's counters must stay below this share of the way from its background to
#: its lit bars (measured before the top-hat that takes the background away).
COUNTER_LEVEL = 0.65

#: A row rectified with its digit height changing by this much (px per px along it) is
#: read again at one height where that leaves a cell unread.
HEIGHT_SLOPE_RETRY = 0.03


#: Display windows up to this height (px) are read a second time in the frame's gray before
#: denoising (`read_segment_displays`' `raw`). The denoising blur is 3 px wide whatever the
#: frame, so it harms only bars a few pixels thick: on the 1,500 display frames windows up
#: to 80 px gave +22 frames for +4 ms a frame, every window +25 for +14 ms, none of the
#: 1,100 printed frames changed either way.
RAW_WINDOW_MAX_H = 80

#: The marks a segment line holds in cells of their own (not digits): a minus, a colon.
SIGNS = ("-", ":")

#: A clock's colon (`_colon_like`): a run at most COLON_MAX_W of the digit height wide whose
#: two dots are each at most COLON_DOT_H of it high.
COLON_MAX_W = 0.3
COLON_DOT_H = 0.25
#: ... and each dot at most this many times as high as the run is wide (a dot is round),
#: COLON_MARGIN of the height from the band's ends and COLON_GAP apart.
COLON_DOT_ASPECT = 1.8
COLON_MARGIN = 0.12
COLON_GAP = 0.15

#: A one-digit crop whose median lies within this share of its range (5th to 95th
#: percentile) from one end has that end's ground (`_crop_ground`; a dark ground also needs
#: CROP_EDGE_DARK of the crop's edge band, CROP_EDGE of its height wide, dark): a digit it
#: decodes in that polarity is not overruled by the other, whose "bars" are the ground.
CROP_GROUND = 0.3
CROP_EDGE = 0.06
CROP_EDGE_DARK = 0.8

#: A one-digit crop whose gray levels (1st to 99th percentile) span less than this is
#: stretched over the full range before decoding (`_stretched_if_dim`). Every crop
#: stretched: 3 fewer of the real crops read (haverland's 0s and 1s); dim ones only: 2 more.
DIM_CROP_RANGE = 100


def segment_code(segments: str) -> int:
    """The 7-bit code of a set of lit segments (bit i = `SEGMENT_ORDER[i]`)."""
    code = 0
    for s in segments:
        i = SEGMENT_ORDER.find(s)
        if i < 0:
            raise ValueError(f"unknown segment {s!r}; expected letters of {SEGMENT_ORDER!r}")
        code |= 1 << i
    return code


def code_table() -> dict[int, str]:
    """Code → character for the digits, their variants and '-'.

    Raises:
        ValueError: if two characters share a code (a copy-paste slip in the tables).
    """
    table: dict[int, str] = {}
    entries = [(segs, ch) for ch, segs in DIGIT_SEGMENTS.items()] + list(VARIANT_SEGMENTS.items())
    for segs, ch in entries:
        code = segment_code(segs)
        if code in table:
            raise ValueError(
                f"segments {segs!r} give code {code} for both {table[code]!r} and {ch!r}"
            )
        table[code] = ch
    return table


CODE_TABLE: dict[int, str] = code_table()

#: (cell, ink) x-ranges of a strip's cells, left to right (`find_cells`).
CellRanges = list[tuple[tuple[float, float], tuple[float, float]]]


# --------------------------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentRow:
    """A row of seven-segment-like clusters in one polarity (full-resolution frame coords).

    Attributes:
        polarity: which way the lit segments go.
        clusters: K x 4 float (x, y, w, h) of its digit clusters, left to right.
        points_top, points_bottom: N x 2 (x, y) where a digit spans its full height.
        short_line: a lone cluster beside another row in the same display window (a
            two-line meter's short line), or a row inside a display window found: it may
            read as a single digit, and a longer line needs less confidence.
    """

    polarity: Polarity
    clusters: NDArray[np.float64]
    points_top: NDArray[np.float64]
    points_bottom: NDArray[np.float64]
    short_line: bool = False

    @property
    def height(self) -> float:
        return small_median(self.clusters[:, 3])

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        c = self.clusters
        x0, y0 = c[:, 0].min(), c[:, 1].min()
        return (x0, y0, (c[:, 0] + c[:, 2]).max() - x0, (c[:, 1] + c[:, 3]).max() - y0)


def _clusters(
    stats: NDArray[np.int32], max_h: float, *, reach: float = 0.12, min_solid: float = 0.2,
    with_members: bool = False,
) -> tuple[NDArray[np.float64], list[NDArray[np.intp]]]:  # fmt: skip
    """Digit clusters from pieces: union of pieces closer than `reach` of their length.

    Returns:
        (M x 5 float (x, y, w, h, ink area) of the clusters, member piece indices of each).
    """
    x, y, w, h, a = (stats[:, i].astype(np.float64) for i in range(5))
    e = np.maximum(1.0, reach * np.maximum(w, h))
    x0, y0, x1, y1 = x - e, y - e, x + w + e, y + h + e
    n = len(x)
    if n == 0:
        return np.zeros((0, 5)), []
    ix = (np.minimum(x1[:, None], x1[None, :]) - np.maximum(x0[:, None], x0[None, :])) > 0
    iy = (np.minimum(y1[:, None], y1[None, :]) - np.maximum(y0[:, None], y0[None, :])) > 0
    # segments of one digit have similar thickness: do not glue a hairline to a bar
    thick = a / np.maximum(np.maximum(w, h), 1)
    tr = thick[:, None] / np.maximum(thick[None, :], 1e-6)
    length = np.maximum(w, h)
    lr = length[:, None] / np.maximum(length[None, :], 1)
    # a frame or bezel outline around the digits contains them: containment is no link
    cx0, cy0, cx1, cy1 = x, y, x + w, y + h
    contains = (cx0[:, None] <= cx0[None, :]) & (cy0[:, None] <= cy0[None, :]) & (
        cx1[:, None] >= cx1[None, :]) & (cy1[:, None] >= cy1[None, :])  # fmt: skip
    contains |= contains.T
    # outlines and diagonal strokes (clutter) have boxes far larger than their ink
    solid = a / np.maximum(w * h, 1) >= min_solid
    link = (
        ix
        & iy
        & solid[:, None]
        & solid[None, :]
        & (tr < 3.0)
        & (tr > 1 / 3.0)
        & (lr < 3.5)
        & (lr > 1 / 3.5)
        & ~contains
    )
    ii, jj = np.nonzero(np.triu(link, 1))
    labels = union_labels(n, np.stack([ii, jj], 1))
    order, boxes = group_boxes(labels, x, y, w, h)
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    area = np.add.reduceat(a[order], np.concatenate([[0], cuts]))
    members = np.split(order, cuts)
    return _stack_halves(np.column_stack([boxes, area]), members)


def _digit_shaped(cl: NDArray[np.float64], min_h: float, max_h: float) -> NDArray[np.bool_]:
    w_, h_ = cl[:, 2], cl[:, 3]
    fill = cl[:, 4] / np.maximum(w_ * h_, 1)
    # a '1' is a solid bar; anything wider must have counters
    solid_ok = (fill <= 0.85) | (w_ <= 0.35 * h_)
    return (h_ >= min_h) & (h_ <= max_h) & (fill >= 0.12) & solid_ok & (
        w_ <= 12 * h_) & (w_ >= 0.06 * h_)  # fmt: skip


def _digit_clusters(st: NDArray[np.int32], min_h: float, max_h: float) -> NDArray[np.float64]:
    """Digit-shaped clusters; a cluster that grew into clutter is re-cut more strictly, and
    so is a digit-shaped one that holds several digit-sized pieces (digits with clutter
    glued on, which made the cluster taller than its digits)."""
    cl, member = _clusters(st, max_h, reach=0.12, with_members=True)
    ok = _digit_shaped(cl, min_h, max_h)
    # re-cutting costs: of the digit-shaped clusters, only the tallest few are tried
    n_mem = np.array([len(m) for m in member])
    # (two pieces may be two lines' digits, one over the other: `_two_lines`)
    tryable = np.flatnonzero(ok & (n_mem >= 2))
    tryable = set(tryable[np.argsort(-cl[tryable, 3], kind="stable")][:MAX_RECUTS].tolist())
    # Most clusters are kept or dropped as they are; only the others are looked at one by
    # one (in order, so the output keeps the clusters' order).
    recut = np.zeros(len(cl), bool)
    recut[list(tryable)] = True
    recut |= ~ok & (n_mem >= 2) & (n_mem <= 40)  # a display's digits, not a field of noise
    out = []
    done = 0
    for i in np.flatnonzero(recut).tolist():
        out.append(cl[done:i][ok[done:i]])
        done = i + 1
        idx = member[i]
        if ok[i] and (len(idx) > 40 or not _may_hold_digits(st[idx], cl[i])):
            out.append(cl[i : i + 1])
            continue
        sub, _ = _clusters(st[idx], max_h, reach=0.05, min_solid=0.35, with_members=True)
        sub = sub[_digit_shaped(sub, min_h, max_h)] if len(sub) else sub
        if ok[i] and not (_split_is_a_row(sub, cl[i]) or _two_lines(sub, cl[i])):
            out.append(cl[i : i + 1])  # a digit's own segments: keep it whole
        elif len(sub):
            out.append(sub)
    out.append(cl[done:][ok[done:]])
    return np.concatenate(out) if out else np.zeros((0, 5))


def _digit_sized(boxes: NDArray[Any], whole: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Boxes that could be whole digits well shorter than the cluster `whole` (not bars:
    a vertical bar is narrow, a horizontal one low)."""
    w, h = boxes[:, 2].astype(np.float64), boxes[:, 3].astype(np.float64)
    return (h >= 0.25 * whole[3]) & (h <= 0.7 * whole[3]) & (w >= 0.3 * h)


def _may_hold_digits(pieces: NDArray[np.int32], whole: NDArray[np.float64]) -> bool:
    """Cheap test before a re-cut: does a digit-shaped cluster hold pieces well shorter
    than itself (several digits, or two lines, with clutter glued on)?"""
    h = pieces[:, 3].astype(np.float64)
    # pieces may be whole digits or (two lines glued) their bars
    return int(((h >= 0.15 * whole[3]) & (h <= 0.7 * whole[3])).sum()) >= 2


def _split_is_a_row(sub: NDArray[np.float64], whole: NDArray[np.float64]) -> bool:
    """Whether a digit-shaped cluster is really several digits of a similar height with
    clutter glued on (which made it taller): its strict re-cut holds such digits."""
    if len(sub) < 2:
        return False
    d = sub[_digit_sized(sub, whole)]
    if len(d) < 2:
        return False
    hm = small_median(d[:, 3])
    return int((np.abs(d[:, 3] - hm) <= 0.2 * hm).sum()) >= 2


def _two_lines(sub: NDArray[np.float64], whole: NDArray[np.float64]) -> bool:
    """Whether a digit-shaped cluster's strict re-cut is a digit over digits set tight
    (or under them): two pieces one above the other, each a quarter of the cluster high
    or more, one a whole digit and the other a row (wider than 1.5 heights, as
    `_stack_halves` tells a row from a digit's half). A two-line display's lines, set
    close, chain a digit of one to a digit of the other ("9" over "172"), and neither line
    reads whole."""
    if len(sub) != 2:
        return False
    upper, lower = sub[np.argsort(sub[:, 1])]
    tall = min(upper[3], lower[3]) >= 0.25 * whole[3]
    apart = lower[1] >= upper[1] + upper[3] - 0.1 * min(upper[3], lower[3])
    aspects = sorted((upper[2] / upper[3], lower[2] / lower[3]))
    # (a whole digit, 0.3-0.9 of its height wide, and a row: a word's letters, cut so,
    # are neither)
    digit_and_row = 0.3 <= aspects[0] <= 0.9 and aspects[1] > 1.5
    return bool(tall and apart and digit_and_row)


def _stack_halves(
    cl: NDArray[np.float64], members: list[NDArray[np.intp]]
) -> tuple[NDArray[np.float64], list[NDArray[np.intp]]]:
    """Merge a digit's upper and lower halves (a 0 or 7 seen as two blobs, b and c apart)."""
    n = len(cl)
    if n < 2:
        return cl, members
    x, y, w, h = cl[:, 0], cl[:, 1], cl[:, 2], cl[:, 3]
    ox = np.minimum((x + w)[:, None], (x + w)[None, :]) - np.maximum(x[:, None], x[None, :])
    gap = y[None, :] - (y + h)[:, None]  # j below i
    hmin = np.minimum(h[:, None], h[None, :])
    hmax = np.maximum(h[:, None], h[None, :])
    wmin = np.minimum(w[:, None], w[None, :])
    # (an italic digit's upper half stands to the right of its lower half: narrow halves,
    # a 1's two bars, then overlap by less than half their width)
    shift = x[:, None] - x[None, :]  # i (above) right of j (below)
    leaning = (ox > 0) & (shift > 0) & (shift <= ITALIC_SHIFT * hmin)
    ok = (gap > -0.2 * hmin) & (gap <= 0.3 * hmin) & ((ox >= 0.5 * wmin) | leaning) & (
        hmax <= 1.8 * hmin)  # fmt: skip
    # halves, not rows of merged digits (above or below)
    ok &= (w[:, None] <= 1.5 * h[:, None]) & (w[None, :] <= 1.5 * h[None, :])
    # two whole digits one above the other are a two-line display's lines, not halves,
    # and so is a whole digit over (or under) a piece of about its height (a 3 over a 1
    # set tight under it; a digit's half is lower than the other half, or, shaped like a
    # whole digit, an italic 7's c bar, taller)
    whole = (w >= 0.3 * h) & (w <= 0.8 * h)
    # (a slanted bar's box is as wide, but it is solid: no digit's counters)
    whole &= ~((cl[:, 4] >= 0.65 * w * h) & (w <= 0.6 * h))
    either = whole[:, None] | whole[None, :]
    ok &= ~(whole[:, None] & whole[None, :]) & ~(either & (hmax <= WHOLE_OVER * hmin))
    # a digit's other half is one place: a piece with two pieces side by side above it (or
    # below) is a line of digits over another line's digit, not a half (pieces of one half,
    # overlapping, are)
    pairs = np.flatnonzero(ok.any(axis=0) | ok.any(axis=1))  # few: the products stay small
    if len(pairs) > 2:
        sub = np.ix_(pairs, pairs)
        apart = (ox[sub] < 0.5 * wmin[sub]).astype(np.int64)
        both = ok[sub].astype(np.int64)
        two_below = np.diag(both @ apart @ both.T) > 0
        two_above = np.diag(both.T @ apart @ both) > 0
        ok[sub] &= ~two_below[:, None] & ~two_above[None, :]
    ii, jj = np.nonzero(ok)
    if len(ii) == 0:
        return cl, members
    labels = union_labels(n, np.stack([ii, jj], 1))
    order, boxes = group_boxes(labels, x, y, w, h)
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    area = np.add.reduceat(cl[order, 4], np.concatenate([[0], cuts]))
    mem = [members[g[0]] if len(g) == 1 else np.concatenate([members[k] for k in g])
           for g in np.split(order, cuts)]  # fmt: skip
    return np.column_stack([boxes, area]), mem


def _chain(cl: NDArray[np.float64]) -> list[NDArray[np.intp]]:
    """Chain clusters of similar height on a common line into rows (left to right)."""
    n = len(cl)
    if n == 0:
        return []
    x, y, w, h = cl[:, 0], cl[:, 1], cl[:, 2], cl[:, 3]
    hm = np.maximum(h[:, None], h[None, :])
    hmin = np.minimum(h[:, None], h[None, :])
    gap = x[None, :] - (x + w)[:, None]
    ov = np.minimum((y + h)[:, None], (y + h)[None, :]) - np.maximum(y[:, None], y[None, :])
    # a cluster of several merged digits is taller by its width times the row's slope
    wbig = np.where(h[:, None] >= h[None, :], w[:, None], w[None, :])
    ok = (hm <= 1.35 * hmin + 0.1 * wbig) & (ov >= 0.6 * hmin) & (gap >= -0.3 * hmin)
    ok &= gap <= 1.3 * hm
    ok &= x[None, :] > x[:, None]
    ii, jj = np.nonzero(ok)
    groups = union_groups(n, np.stack([ii, jj], 1))
    return [g[np.argsort(x[g])] for g in groups]


def _without_edge_bars(c: NDArray[np.float64]) -> NDArray[np.float64]:
    """A row's clusters (K x 5, left to right) without the narrow bars at its ends that are
    well taller than its digits: the inner edges of a display's bezel, chained onto the
    digits' row (a 1 is as tall as the digits beside it)."""
    wide = c[:, 2] >= 0.3 * c[:, 3]
    if int(wide.sum()) == 0:
        return c
    hd = small_median(c[wide, 3])
    bar = (c[:, 2] < 0.25 * c[:, 3]) & (c[:, 3] > 1.2 * hd)
    i, j = 0, len(c)
    while i < j - 1 and bar[i]:
        i += 1
    while j - 1 > i and bar[j - 1]:
        j -= 1
    return c[i:j]


def _plain_ground(rows: list[Any], integ: NDArray[np.int32], n: int) -> list[Any]:
    """The first `n` of ranked rows (score, K x 5 clusters, digit height) that stand on
    plain ground (`_surround_ink` at most `CLEAN_SURROUND`), looked at in rank order."""
    return list(islice((t for t in rows if _surround_ink(integ, t[1], t[2]) <= CLEAN_SURROUND), n))


def _surround_ink(integ: NDArray[np.int32], c: NDArray[np.float64], hr: float) -> float:
    """Share of inked pixels in a ring 0.4 `hr` wide around the box of clusters `c`.

    Args:
        integ: (H+1) x (W+1) integral image of a 0/1 ink mask (`cv2.integral`).
        c: K x 5 clusters (x, y, w, h, area) in the mask's coordinates.
        hr: the row's digit height.

    Returns:
        0.0 (plain ground) to 1.0 (solid ink).
    """
    hh, ww = integ.shape[0] - 1, integ.shape[1] - 1

    def ink(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float]:
        a, b = int(max(0, x0)), int(max(0, y0))
        cc, d = int(min(ww, x1)), int(min(hh, y1))
        if cc <= a or d <= b:
            return 0.0, 0.0
        n = integ[d, cc] - integ[b, cc] - integ[d, a] + integ[b, a]
        return float(n), float((cc - a) * (d - b))

    x0, y0 = c[:, 0].min(), c[:, 1].min()
    x1, y1 = (c[:, 0] + c[:, 2]).max(), (c[:, 1] + c[:, 3]).max()
    m = 0.4 * hr
    ink_o, area_o = ink(x0 - m, y0 - m, x1 + m, y1 + m)
    ink_i, area_i = ink(x0, y0, x1, y1)
    return (ink_o - ink_i) / max(area_o - area_i, 1.0)


def _full_height_points(
    mask: NDArray[np.uint8], cl: NDArray[np.float64], h_row: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(x, top) and (x, bottom) of the columns inside clusters where ink spans the digit."""
    tops, bots = [], []
    for x, y, w, h, _a in cl:
        xs, ys = int(x), int(y)
        sub = mask[ys : ys + int(h), xs : xs + int(w)] > 0
        if sub.size == 0:
            continue
        has = sub.any(axis=0)
        top = np.argmax(sub, axis=0)
        bot = sub.shape[0] - 1 - np.argmax(sub[::-1], axis=0)
        ext = bot - top + 1
        # columns across (nearly) the whole digit fix the line; a 4's f and g alone span
        # 0.55 of it and would tilt the line, so they count only when nothing better is there
        ok = has & (ext >= 0.65 * h_row)
        if not ok.any():
            ok = has & (ext >= 0.55 * h_row)
        cols = np.flatnonzero(ok)
        tops.append(np.stack([cols + xs + 0.5, top[cols] + ys], 1))
        bots.append(np.stack([cols + xs + 0.5, bot[cols] + ys + 1.0], 1))
    if not tops:
        return np.zeros((0, 2)), np.zeros((0, 2))
    return np.concatenate(tops).astype(np.float64), np.concatenate(bots).astype(np.float64)


#: The tallest a short line reaching past the end of a display's line may be, in that
#: line's digit heights (`beside_line`): a bezel's edge or a button under it is taller.
TRAIL_HEIGHT = 1.25


def beside_line(
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    line: tuple[float, float, float, float],
    line_h: float,
    unequal: bool = False,
    past_end: float = 0.5,
) -> bool:
    """Whether box (x, y, w, h) sits where a short line of a display would, next to a line
    spanning `line` (x0, y0, x1, y1) with digits `line_h` high: of a similar height, right
    above or below it, within its width. A box reaching into the line's rows (a tilted
    line's box is taller than its digits) must have its centre over the line: sticking
    out past the line's end there, it is the bezel's corner beside the display.

    With `unequal`, the box may also be up to 2.5 times taller or down to 0.4 times as
    high (a thermostat's big reading over a small one, a meter's small status line), then
    closer (`UNEQUAL_LINE_GAP` times the taller height: a display packs such lines).

    A box clear of the line's rows, no taller than `TRAIL_HEIGHT` times its digits, may
    reach `past_end` times their height past either of its ends (a short line
    right-aligned under a left-aligned one: under the other's blank cells)."""
    x0, y0, x1, y1 = line
    alike = 0.55 * line_h <= h <= 1.6 * line_h
    if not (alike or (unequal and 0.4 * line_h <= h <= 2.5 * line_h)):
        return False
    gap = max(y0 - (y + h), y - y1)
    # (a taller box's own width reaches further past the line's end)
    reach = 0.5 * max(h, line_h)
    if gap >= 0 and h <= TRAIL_HEIGHT * line_h:
        reach = max(reach, past_end * line_h)
    max_gap = 1.2 * line_h if alike else UNEQUAL_LINE_GAP * max(h, line_h)
    return bool(
        -0.2 * line_h <= gap <= max_gap
        and x >= x0 - reach
        and x + w <= x1 + reach
        and (gap >= 0 or x0 <= x + w / 2 <= x1)
    )


def _beside_rows(
    gray: NDArray[np.uint8], cands: list[Any], rows: list[NDArray[np.float64]], f: float
) -> list[Any]:
    """The candidate rows (score, K x 5 clusters, h) that sit beside one of `rows` (clusters
    in find_rows' scale `f`) in the same display window: a two-line display's other line —
    a lone cluster, or a short row that clutter outranked."""
    if not cands or not rows:
        return []
    ext = [((r[:, 0].min(), r[:, 1].min(), (r[:, 0] + r[:, 2]).max(),
             (r[:, 1] + r[:, 3]).max()), small_median(r[:, 3]), r) for r in rows]  # fmt: skip
    out = []
    for t in cands:
        c = t[1]
        x, y = float(c[:, 0].min()), float(c[:, 1].min())
        w, h = float((c[:, 0] + c[:, 2]).max()) - x, float((c[:, 1] + c[:, 3]).max()) - y
        box = np.array([[x, y, w, h]])
        if any(beside_line(x, y, w, h, line=e, line_h=lh) and _same_window(gray, box / f, r / f)
               for e, lh, r in ext):  # fmt: skip
            out.append(t)
    return out


def _same_window(
    gray: NDArray[np.uint8], single: NDArray[np.float64], row: NDArray[np.float64]
) -> bool:
    """Whether the gap between a lone cluster and a row (full-resolution boxes) is plain
    display background: a bezel's edge or clutter between them is a strong step, far
    larger than the background's own variation, compared with the digit's contrast."""
    x, y, w, h = single[0, :4]
    ry0, ry1 = row[:, 1].min(), (row[:, 1] + row[:, 3]).max()
    g0, g1 = (y + h, ry0) if y + h <= ry0 else (ry1, y)
    hh, ww = gray.shape
    c0, c1 = int(max(0, x)), int(min(ww, x + w))
    r0, r1 = int(max(0, g0 + 1)), int(min(hh, g1 - 1))
    digit = gray[int(max(0, y)) : int(min(hh, y + h)), c0:c1]
    if digit.size == 0 or c1 <= c0:
        return False
    lo, hi = np.percentile(digit, (5, 95))
    if r1 - r0 < 1:
        return True  # touching: nothing between them
    prof = gray[r0:r1, c0:c1].mean(axis=1)
    tol = 0.35 * max(hi - lo, 1.0)
    if np.ptp(prof) > tol:
        return False
    # the ground beside the lone cluster is the gap's too: a bar of clutter standing on
    # the frame's ground right over a bezel has the bezel's plain dark below it
    r0s, r1s = int(max(0, y)), int(min(hh, y + h))
    side = np.concatenate([
        gray[r0s:r1s, int(max(0, x - SIDE_GROUND * h)) : c0].ravel(),
        gray[r0s:r1s, c1 : int(min(ww, x + w + SIDE_GROUND * h))].ravel(),
    ])  # fmt: skip
    if side.size == 0:
        return True
    return bool(abs(float(np.median(side)) - float(prof.mean())) <= tol)


def find_rows(
    gray: NDArray[np.uint8],
    *,
    min_digit_px: int,
    max_digit_frac: float,
    polarity: Polarity | None,
    max_rows: int = MAX_ROWS,
    max_clean_rows: int = MAX_CLEAN_ROWS,
    lone_cells: int = 0,
) -> list[SegmentRow]:
    """Rows of seven-segment-like clusters, both polarities (or the given one).

    Args:
        gray: HxW uint8, denoised.
        min_digit_px: smallest digit height searched for.
        max_digit_frac: largest digit height as a fraction of the frame height.
        polarity: force one polarity, or None for both.
        max_rows: rows kept per polarity, best-ranked first.
        max_clean_rows: rows on plain ground kept beyond those.
        lone_cells: lone clusters (the tallest) kept as rows also beside rows of several
            (in a display window: a display showing one digit, its blank cells' ghosts
            chained into rows).

    Returns:
        Rows in frame coordinates, per polarity at most `max_rows` (+ `max_clean_rows`).
    """
    hh, ww = gray.shape
    f = 0.5 if min(hh, ww) >= 200 else 1.0
    k3 = np.ones((3, 3), np.uint8)
    if f != 1.0:
        # Min-/max-pooling keeps a thin stroke's full contrast at half resolution, where
        # plain averaging would halve it (small, light LCD digits vanish otherwise).
        dsrc = np.ascontiguousarray(cv2.erode(gray, k3)[::2, ::2])
        lsrc = np.ascontiguousarray(cv2.dilate(gray, k3)[::2, ::2])
    else:
        dsrc = lsrc = gray
    sh, sw = dsrc.shape
    block = odd(max(15, min(sh, sw) / 8))
    off = max(5.0, ink_offset(dsrc))
    dark, _ = ink_masks(dsrc, block=block, offset=off, rel=0.25)
    _, light = ink_masks(lsrc, block=block, offset=off, rel=0.25)
    pols = [(Polarity.LIGHT_ON_DARK, light), (Polarity.DARK_ON_LIGHT, dark)]
    if polarity is not None:
        pols = [p for p in pols if p[0] is polarity]
    min_h = max(5.0, min_digit_px * f)
    max_h = max_digit_frac * sh
    rows: list[SegmentRow] = []
    for pol, mask in pols:
        integ = cv2.integral(mask // 255)  # for `_surround_ink`
        n, _lab, stats, _c = cv2.connectedComponentsWithStats(mask, connectivity=8)
        st = stats[1:n]
        keep = (st[:, 4] >= 3) & (np.maximum(st[:, 2], st[:, 3]) >= 2) & (st[:, 3] <= max_h)
        keep &= st[:, 2] <= 0.9 * sw
        st = st[keep]
        noisy = len(st) > MAX_PIECES
        if noisy:  # texture or noise: keep the largest pieces, look at few rows
            st = st[np.argsort(-st[:, 4])[:MAX_PIECES]]
        cl = _digit_clusters(st, min_h, max_h)
        if len(cl) == 0:
            continue
        groups = _chain(cl)
        multi, single = [], []
        asp_all = cl[:, 2] / np.maximum(cl[:, 3], 1)
        fill_all = cl[:, 4] / np.maximum(cl[:, 2] * cl[:, 3], 1)
        dig_all = (asp_all >= 0.06) & (fill_all >= 0.15) & ((fill_all <= 0.8) | (asp_all <= 0.35))
        for g in groups:
            if len(g) == 1:  # the common case (clutter): decided without the row maths
                k = int(g[0])
                if not dig_all[k]:
                    continue
                if round(asp_all[k] / 0.6) < 2:
                    if asp_all[k] >= 0.3 or (lone_cells and asp_all[k] >= 0.1):
                        single.append((float(np.sqrt(cl[k, 3])), cl[g], float(cl[k, 3])))
                    continue
            c = _without_edge_bars(cl[g])
            hr = small_median(c[:, 3])
            width = float((c[:, 0] + c[:, 2]).max() - c[:, 0].min())
            aspect = c[:, 2] / np.maximum(c[:, 3], 1)
            fill = c[:, 4] / np.maximum(c[:, 2] * c[:, 3], 1)
            # digits are 0.15-0.9 of their height wide (wider: several merged), 20-75 % ink
            digitish = (aspect >= 0.06) & (fill >= 0.15) & ((fill <= 0.8) | (aspect <= 0.35))
            if digitish.sum() < max(1, 0.5 * len(g)):
                continue
            # digits in the row, counting merged ones; clutter rarely makes several
            n_dig = float(np.maximum(1, np.round(aspect / 0.6))[digitish].sum())
            # separate digit-sized clusters are better evidence than one wide blob that
            # might be several merged digits (or a box of clutter)
            n_sep = float(digitish.sum())
            score = (n_sep + MERGED_WEIGHT * (n_dig - n_sep)) * np.sqrt(hr)
            # a display's digits share a top and a bottom line (within rotation and
            # perspective); clusters of clutter chained by overlap wander up and down
            bh = float((c[:, 1] + c[:, 3]).max() - c[:, 1].min())
            misalign = bh / (hr + 0.12 * width)
            if misalign > 1.25:
                score /= misalign**2
            # digits stand side by side: clusters overlapping in x are clutter
            if len(c) > 1:
                ov = np.maximum(0.0, (c[:-1, 0] + c[:-1, 2]) - c[1:, 0])
                share = float(ov.sum()) / max(width, 1.0)
                score *= max(0.1, 1.0 - 3.0 * share)
                hs = c[digitish, 3]
                if len(hs) > 1:
                    score *= max(0.3, 1.0 - 2.0 * max(0.0, float(np.std(hs) / np.mean(hs)) - 0.1))
            if n_dig >= 2:
                multi.append((score, c, hr))
            elif 0.3 * hr <= width:
                single.append((score, c, hr))
        # a lone cluster is read only when the frame has no row of several, or as a short
        # line of a display beside (above or below) one of the rows. Beyond the best-ranked,
        # rows on plain ground are read too: texture makes many rows that outrank a display.
        multi.sort(key=lambda t: -t[0])
        single.sort(key=lambda t: -t[0])
        if multi:
            top_rows = multi[: min(2, max_rows) if noisy else max_rows]
            top_rows += _plain_ground(multi[len(top_rows) :], integ, max_clean_rows)
            near = _beside_rows(gray, single, [c for _s, c, _h in top_rows], f)
            kept = {id(t) for t in top_rows}
            rest = [t for t in multi if id(t) not in kept]
            near_rows = _beside_rows(gray, rest, [c for _s, c, _h in top_rows], f)
            cands = [(t, False) for t in top_rows] + [(t, True) for t in near[:MAX_BESIDE]]
            cands += [(t, True) for t in near_rows[:MAX_BESIDE]]
            taken = {id(t) for t, _b in cands}
            cands += [(t, True) for t in single[:lone_cells] if id(t) not in taken]
        else:
            top_s = single[: min(2, max_rows) if noisy else max_rows]
            top_s += _plain_ground(single[len(top_s) :], integ, max_clean_rows)
            cands = [(t, False) for t in top_s]
        for (_s, c, hr), short in cands:
            pt, pb = _full_height_points(mask, c, hr)
            if len(pt) < 2:
                continue
            rows.append(SegmentRow(pol, c[:, :4] / f, pt / f, pb / f, short))
    return rows


# --------------------------------------------------------------------------------------------
# Rectification
# --------------------------------------------------------------------------------------------


def _robust_line(pts: NDArray[np.float64], tol: float) -> tuple[float, float]:
    """y = a + b x fitted to points, refitted without outliers beyond `tol`."""
    x, y = pts[:, 0], pts[:, 1]
    # medians of a few dozen points by sorting (np.median's setup costs more than the work;
    # this runs twice for every candidate row of every frame)
    if float(x.max() - x.min()) < 1:
        return small_median(y), 0.0
    keep = np.ones(len(x), bool)
    a, b = small_median(y), 0.0
    for _ in range(3):
        n = int(np.count_nonzero(keep))
        if n < 2:
            break
        xs, ys = x[keep], y[keep]
        dx = xs - xs.sum() / n
        den = float(dx @ dx)
        # least squares slope in closed form (np.polyfit costs ~0.1 ms a call)
        b = float(dx @ (ys - ys.sum() / n)) / den if den > 0 else 0.0
        b = min(max(b, -0.15), 0.15)
        a = small_median(ys - b * xs)
        keep = np.abs(y - (a + b * x)) <= tol
    return float(a), float(b)


def _profile_band(
    binary: NDArray[np.uint8], lo_y: int, hi_y: int, y0: int, y1: int
) -> tuple[float, float] | None:
    """The digit band (`_band`) of a strip's 0/1 mask, looked for in rows [lo_y, hi_y)
    around the expected [y0, y1); None when nothing is lit there."""
    # columns lit over most of the strip's height are a bezel's edge or a solid block,
    # never a digit (a digit leaves the margins above and below dark)
    solid = binary.mean(axis=0) > 0.75
    seg = binary[lo_y:hi_y, ~solid].sum(axis=1).astype(np.float64)
    if seg.size == 0 or seg.max() <= 0:
        return None
    p90 = small_percentile(seg, 90)
    weak = seg >= 0.12 * p90
    # (a row between two inked rows is part of the band: thin bars' ends, or a top-hat's
    # thinned strokes, leave a one-row dip, never a gap between lines)
    weak[1:-1] |= weak[:-2] & weak[2:]
    top, bottom = _band(seg >= 0.4 * p90, weak, y0 - lo_y, y1 - lo_y)
    return top + lo_y, bottom + lo_y


def _band(
    strong: NDArray[np.bool_], weak: NDArray[np.bool_], y0: int, y1: int
) -> tuple[float, float]:
    """The digit band in a row profile: the stretch of weakly inked rows that overlaps the
    expected band [y0, y1) most (a bezel's edge or clutter above or below, cut off by a
    clean gap, is not part of the digits), trimmed to its strongly inked rows."""
    runs = _runs(weak)
    if not runs:
        return float(y0), float(y1)
    a, b = max(runs, key=lambda r: min(r[1], y1) - max(r[0], y0))
    on = np.flatnonzero(strong[a:b])
    if len(on) == 0:
        return float(y0), float(y1)
    return float(a + on[0]), float(a + on[-1] + 1)


@dataclass(frozen=True)
class Strip:
    """A row rectified to an upright strip.

    Attributes:
        image: Hs x Ws uint8, lit segments bright (inverted for dark-on-light).
        m: 3x3 homography frame → strip.
        top, bottom: rows of the digit band in the strip.
        height_slope: how much the digit height was taken to change along the row (px of
            height per px of frame x), from perspective.
        inverted: the row was dark on light (its strip inverted): shading there scales
            the ink's contrast with the light (`_row_ratio`).
    """

    image: NDArray[np.uint8]
    m: NDArray[np.float64]
    top: float
    bottom: float
    height_slope: float = 0.0
    inverted: bool = False


def _lit_binary(img: NDArray[np.uint8]) -> tuple[NDArray[np.uint8], NDArray[np.bool_]]:
    """A strip's 0/1 mask of lit pixels, and its solid columns.

    Columns lit over most of the strip's height are a bezel's edge or a solid block, never
    a digit (a digit leaves the margins above and below dark). A bright bezel beside dim
    segments would take Otsu's split for itself (bezel vs. the rest), so where there are
    columns hold most of what is lit, the level is set again without them.

    Returns:
        (Hs x Ws uint8 0/1, Ws bool: solid columns).
    """
    _t, binary = cv2.threshold(img, 0, 1, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    col = binary.sum(axis=0)
    solid = col > 0.75 * binary.shape[0]
    # re-split only where the solid columns took most of what Otsu called lit
    if (~solid).sum() >= 4 and col[solid].sum() > col[~solid].sum():
        rest = np.ascontiguousarray(img[:, ~solid])
        t, _b = cv2.threshold(rest, 0, 1, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        binary = (img > t).astype(np.uint8)
        # kept lit: `find_cells` knows a run through the margins for no cell
        binary[:, solid] = 1
    return binary, solid


def _solid_block(binary: NDArray[np.uint8], hd: float) -> bool:
    """Whether a strip (Hs x Ws 0/1 mask) has a block of columns lit over most of its
    height (`_lit_binary`'s solid ones) at least `SOLID_BLOCK` of the digit height `hd`
    wide."""
    solid = binary.sum(axis=0) > 0.75 * binary.shape[0]
    return any(b - a >= SOLID_BLOCK * hd for a, b in _runs(solid))


def _shear(k: float, hs: int) -> NDArray[np.float64]:
    """x' = x + k (y - hs) + max(0, k) hs: leaning digits upright, kept in the image."""
    return np.array([[1.0, k, -k * hs + max(0.0, k) * hs], [0, 1, 0], [0, 0, 1]])


def _best_shear(binary: NDArray[np.float32], band: tuple[int, int]) -> float:
    """Shear that makes vertical strokes vertical: sharpest column projection of the
    vertical-edge image."""
    _hs, ws = binary.shape
    y0, y1 = band
    sub = binary[y0:y1]
    best, best_k = -1.0, 0.0
    ks = np.arange(-0.12, 0.42, 0.06)
    for k in ks:
        m = _shear(float(k), y1 - y0)[:2]
        w_out = ws + int(abs(k) * (y1 - y0)) + 1
        sh = cv2.warpAffine(sub, m, (w_out, y1 - y0), flags=cv2.INTER_LINEAR)
        p = sh.sum(axis=0, dtype=np.float64)
        s = float((p * p).sum())
        if s > best:
            best, best_k = s, float(k)
    for k in (best_k - 0.03, best_k + 0.03):
        m = _shear(float(k), y1 - y0)[:2]
        w_out = ws + int(abs(k) * (y1 - y0)) + 1
        sh = cv2.warpAffine(sub, m, (w_out, y1 - y0), flags=cv2.INTER_LINEAR)
        p = sh.sum(axis=0, dtype=np.float64)
        s = float((p * p).sum())
        if s > best:
            best, best_k = s, float(k)
    return best_k


def _blurred_roi(
    gray: NDArray[np.uint8], quad: NDArray[np.float32], m: NDArray[np.float64], sigma: float
) -> tuple[NDArray[np.uint8], NDArray[np.float64]]:
    """The part of `gray` a warp of `quad` (4 x 2 float32) reads, low-passed with `sigma`,
    and the frame-to-strip homography `m` made to read from it (blurring the whole frame
    for each row would cost more than the rest of the row's reading).

    Returns:
        (h x w uint8 blurred region, 3x3 homography region → strip).
    """
    hh, ww = gray.shape
    pad = int(np.ceil(4 * sigma)) + 2
    # the deslanted strip reads up to half the strip's height beyond the quad's sides
    pad_x = pad + int(np.ceil(0.5 * np.ptp(quad[:, 1])))
    x0 = max(0, int(np.floor(quad[:, 0].min())) - pad_x)
    y0 = max(0, int(np.floor(quad[:, 1].min())) - pad)
    x1 = min(ww, int(np.ceil(quad[:, 0].max())) + pad_x + 1)
    y1 = min(hh, int(np.ceil(quad[:, 1].max())) + pad + 1)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return cv2.GaussianBlur(gray, (0, 0), sigma), m
    roi = cv2.GaussianBlur(gray[y0:y1, x0:x1], (0, 0), sigma)
    shift = np.array([[1.0, 0.0, x0], [0.0, 1.0, y0], [0.0, 0.0, 1.0]])
    return roi, m @ shift


def rectify_row(
    gray: NDArray[np.uint8], row: SegmentRow, *, height_slope: bool = True,
    level: bool | None = None,
) -> Strip | None:  # fmt: skip
    """Warp a row to an upright, deslanted strip with digits `STRIP_DIGIT_PX` high; None
    where it cannot hold digits (its height off, or no cell in it). `height_slope`: let
    the digit height change along the row (perspective), as the full-height digits say;
    `level`: take the row level (True), tilted as its full-height points say (False), or
    level where that tilt is a lone italic digit's slant (None, `_slant_tilted`)."""
    h0 = row.height
    pt, pb = row.points_top, row.points_bottom
    mid = np.stack([pt[:, 0], (pt[:, 1] + pb[:, 1]) / 2], 1)
    am, bm = _robust_line(mid, tol=max(2.0, 0.06 * h0))
    if level or (level is None and _slant_tilted(row)):
        # One digit's full-height columns are a bar's few columns: along an italic bar
        # their middles fall with its slant, which fitted as the row's tilt (as steep as
        # the fit allows, past any display's turn) takes a minus before the digit out of
        # the band ('-4' read '4'). The row is taken level (in a display window it is; in
        # the frame, a display turned 5 degrees shifts a neighbour a twelfth of its height).
        am, bm = small_median(mid[:, 1]), 0.0
    ext = pb[:, 1] - pt[:, 1]
    # a '1' is shorter than the other digits by a bar's thickness: take the upper extents
    hd0 = small_percentile(ext, 80)
    # perspective: the height may change along the row
    he = np.stack([pt[:, 0], ext], 1)[ext >= 0.9 * hd0]
    fit = height_slope and len(he) >= 4
    ae, be = _robust_line(he, tol=max(2.0, 0.05 * h0)) if fit else (hd0, 0.0)
    clipped = float(np.clip(be, -0.1, 0.1))
    bx, _by, bw, _bh = row.bbox
    x_lo = bx - 0.9 * h0  # room for a leading minus sign
    x_hi = bx + bw + 0.15 * h0
    xm = (x_lo + x_hi) / 2
    hmid = ae + clipped * xm
    if fit and clipped != be and not 0.6 * h0 <= hmid <= 1.5 * h0:
        # Fitted over a lone digit's few columns, the slope is steep and the intercept far
        # off at x = 0: clipped, the slope leaves the height there off too (a 22-px digit
        # read as 13). The intercept is moved to keep the fitted height at the points'
        # middle. (Only where the height came out off: elsewhere this moved readings
        # already right, as many as it fixed.)
        ae += (be - clipped) * float(he[:, 0].mean())
        hmid = ae + clipped * xm
    be = clipped
    if hmid < 0.6 * h0 or hmid > 1.5 * h0:
        return None
    at, bt = am - ae / 2, bm - be / 2
    ab, bb = am + ae / 2, bm + be / 2
    mg = 0.3
    corners = []
    for x in (x_lo, x_hi):
        t, b = at + bt * x, ab + bb * x
        hh = b - t
        corners.append((x, t - mg * hh, x, b + mg * hh))
    src = np.float32([[corners[0][0], corners[0][1]], [corners[1][0], corners[1][1]],
                      [corners[1][2], corners[1][3]], [corners[0][2], corners[0][3]]])  # fmt: skip
    scale = STRIP_DIGIT_PX / hmid
    ws = max(8, round((x_hi - x_lo) * scale))
    hs = round(STRIP_DIGIT_PX * (1 + 2 * mg))
    dst = np.float32([[0, 0], [ws, 0], [ws, hs], [0, hs]])
    m = cv2.getPerspectiveTransform(src, dst).astype(np.float64)
    src_img, m_src = gray, m
    if scale < 0.5:  # downscaling a lot: low-pass first so thin segments do not alias
        src_img, m_src = _blurred_roi(gray, src, m, 0.4 / scale)
    strip = cv2.warpPerspective(src_img, m_src, (ws, hs), flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
    if row.polarity is Polarity.DARK_ON_LIGHT:
        strip = 255 - strip
    y0 = round(mg * STRIP_DIGIT_PX)
    y1 = y0 + STRIP_DIGIT_PX
    # Most rows a frame holds are clutter that cuts into no cell at all; they are told
    # apart here, before the shear search and the second warp (a row read as a display's
    # short line is always rectified: its one cell may show only in the deslanted strip).
    if not row.short_line and not _may_hold_cells(strip, y0, y1):
        return None
    # vertical edges only: horizontal bars look the same at every shear
    gx = np.abs(cv2.Sobel(strip, cv2.CV_32F, 1, 0, ksize=3))
    k = _best_shear(gx, (y0, round(y0 + 0.85 * STRIP_DIGIT_PX)))
    s = _shear(k, y1)
    w2 = ws + int(abs(k) * y1) + 2
    m2 = s @ m
    strip = cv2.warpPerspective(src_img, s @ m_src, (w2, hs), flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
    if row.polarity is Polarity.DARK_ON_LIGHT:
        strip = 255 - strip
    # refine the digit band from the strip's own row profile
    _t, binary = cv2.threshold(strip, 0, 1, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    lo_y, hi_y = round(0.5 * y0), min(hs, round(y1 + 0.5 * y0))
    band = _profile_band(binary, lo_y, hi_y, y0, y1)
    top, bottom = band if band is not None else (float(lo_y), float(hi_y))
    if top <= lo_y or bottom >= hi_y:
        # A band running into the margins: ground shaded across the strip, which one
        # level splits into a lit and an unlit side, or a window's edge along it (every
        # bar is then cut wrong). The strip's top-hat keeps the bars on a flat ground.
        k = odd(STRIP_DIGIT_PX / 2)
        flat = cv2.morphologyEx(strip, cv2.MORPH_TOPHAT, np.ones((k, k), np.uint8))
        _t, flat_binary = cv2.threshold(flat, 0, 1, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        flat_band = _profile_band(flat_binary, lo_y, hi_y, y0, y1)
        # (taken where it holds most of the height the row's clusters gave: a band of
        # half a digit is a bar or a fragment, not the digits)
        if flat_band is not None and (
            min(flat_band[1], y1) - max(flat_band[0], y0) >= FLAT_BAND_SHARE * STRIP_DIGIT_PX
        ):
            top, bottom = flat_band
        elif band is None:
            return None
    if bottom - top < 0.7 * STRIP_DIGIT_PX:
        top, bottom = float(y0), float(y1)
    return Strip(strip, m2, top, bottom, be, row.polarity is Polarity.DARK_ON_LIGHT)


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------


def _slant_tilted(row: SegmentRow) -> bool:
    """Whether a row's fitted tilt may be a lone italic digit's slant: its full-height
    points span less than `TILT_SPAN` digit heights (a bar's few columns) and tilt it at
    least `SLANT_TILT`."""
    h0 = row.height
    pt, pb = row.points_top, row.points_bottom
    if len(pt) < 2 or float(pt[:, 0].max() - pt[:, 0].min()) >= TILT_SPAN * h0:
        return False
    mid = np.stack([pt[:, 0], (pt[:, 1] + pb[:, 1]) / 2], 1)
    return abs(_robust_line(mid, tol=max(2.0, 0.06 * h0))[1]) >= SLANT_TILT


def _may_hold_cells(strip: NDArray[np.uint8], top: float, bottom: float) -> bool:
    """Whether a strip, not yet deslanted, cuts into any cell (`find_cells`) as
    `decode_strip` would look for them: in its Otsu mask, or without its solid columns."""
    _t, binary = cv2.threshold(strip, 0, 1, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    if find_cells(binary, top, bottom):
        return True
    rebinary, solid = _lit_binary(strip)
    return bool(solid.any()) and bool(find_cells(rebinary, top, bottom))


def _runs(on: NDArray[np.bool_]) -> list[tuple[int, int]]:
    d = np.diff(np.concatenate([[0], on.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def find_cells(
    binary: NDArray[np.uint8], top: float, bottom: float, *, cell_width: float | None = None
) -> CellRanges:
    """Cells (x0, x1) of a rectified strip from its column projection.

    Args:
        binary: Hs x Ws 0/1 mask of lit segments.
        top, bottom: the digit band.
        cell_width: the digits' cell width in px when known (read), else None: told by
            the runs a digit wide, or guessed where none is.

    Returns:
        (cell, ink) x-ranges left to right; a narrow run ('1') gets the line's cell width
        to its left, its ink range stays the run.
    """
    hd = bottom - top
    y0, y1 = round(top), round(top + 0.85 * hd)
    proj = binary[y0:y1].sum(axis=0).astype(np.float64)
    on = proj >= max(1.0, 0.04 * (y1 - y0))
    runs = [(a, b) for a, b in _runs(on) if b - a >= 0.05 * hd]
    col_ink = _column_ink(binary, top, bottom)
    runs = [_trim_low_ends(col_ink, r) for r in runs if not _not_a_cell(col_ink, r)]
    # glue runs split by a 1-2 px crack (a segment gap seen at a slant)
    # (start, end, end of the first piece glued) each
    glued: list[list[int]] = []
    raw = np.array([b - a for a, b in runs], np.float64)
    raw = raw[(raw >= 0.3 * hd) & (raw <= 0.85 * hd)]
    whole = GLUE_WHOLE * small_median(raw) if len(raw) else float("inf")
    # (a clock's colon is glued to neither neighbour)
    colon = [b - a <= COLON_MAX_W * hd and _colon_like(binary, (a, b), top, bottom)
             for a, b in runs]  # fmt: skip
    for k, (a, b) in enumerate(runs):
        # (two runs each about a digit wide are two digits set tight, not one cracked)
        if (
            glued
            and a - glued[-1][1] <= max(1, round(0.07 * hd))
            and min(b - a, runs[k - 1][1] - runs[k - 1][0]) < whole
            and not (colon[k] or colon[k - 1])
        ):
            glued[-1][1] = b
        else:
            glued.append([a, b, b])
    merged = [[a, b] for a, b, _p in glued]
    if not merged:
        return []
    widths = np.array([b - a for a, b in merged], np.float64)
    # a digit cell is 0.3-0.85 of the digit height wide
    digit_like = widths[(widths >= 0.3 * hd) & (widths <= 0.85 * hd)]
    # a glowing or wide-faced 4 or 0 is as wide as it is tall, and two digits would be
    # wider still: where no run is of a digit's usual width (a lone run, or wide digits
    # among 1s), those up to the height give the pitch
    wide = widths[(widths >= 0.3 * hd) & (widths <= LONE_CELL_MAX * hd)]
    if len(digit_like):
        cw = small_median(digit_like)
    elif len(wide):
        cw = small_median(wide)
    else:
        cw = 0.55 * hd
    if cell_width is not None:
        cw = cell_width
    merged = _unglue_ones(binary, glued, cw, top, bottom)
    if len(digit_like) >= 2 and cell_width is None:
        # (the line's other digits give the width a cell holds: one digit, not two)
        merged = _split_tight_ones(binary, merged, cw, top, bottom)
    cells: list[tuple[float, float]] = []
    inks: list[tuple[float, float]] = []
    for a, b in merged:
        wr = b - a
        if wr <= COLON_MAX_W * hd and _colon_like(binary, (a, b), top, bottom):
            # a clock's colon: its cell is its own ink (not a 1's width to its left)
            cells.append((float(a), float(b)))
            inks.append((float(a), float(b)))
        elif wr <= 0.6 * cw and _minus_like(binary, (a, b), top, bottom):
            # a short minus sign: its cell is centred on it (not right-aligned like a '1')
            c = (a + b) / 2
            cells.append((c - cw / 2, c + cw / 2))
            inks.append((float(a), float(b)))
        elif wr <= 0.6 * cw:
            cells.append((b - cw, float(b)))
            inks.append((float(a), float(b)))
        elif wr <= 1.45 * cw:
            # a 3 or 7 lacks the left bars, and a face whose bars are mitred short of the
            # corners leaves its run narrower than a digit: its cell is right-aligned too
            # (else the counters' zone falls on its bars, and it reads as a blob)
            x0 = b - cw if wr < NARROW_CELL * cw else float(a)
            cells.append((float(x0), float(b)))
            inks.append((float(a), float(b)))
        else:
            # a dot fused between two digits is in one of the parts
            parts = [_trim_low_ends(col_ink, (round(p0), round(p1)))
                     for p0, p1 in _split_run(proj, a, b, cw)]  # fmt: skip
            cells.extend((float(p0), float(p1)) for p0, p1 in parts)
            inks.extend((float(p0), float(p1)) for p0, p1 in parts)
    # cells may not overlap: a narrow run's cell stops at its left neighbour
    out: CellRanges = []
    for (x0, x1), ink in zip(cells, inks, strict=True):
        x0 = max(0.0, x0)
        if out and x0 < out[-1][0][1]:
            x0 = out[-1][0][1] + 1
        if x1 - x0 >= 0.05 * hd:
            out.append(((x0, x1), ink))
    return out


def _unglue_ones(
    binary: NDArray[np.uint8], glued: list[list[int]], cw: float, top: float, bottom: float
) -> list[list[int]]:
    """Runs glued across a crack (start, end, end of the first piece each), split again
    where the first piece is a 1: a narrow bar the band's height set tight before the next
    digit (a glued run wider than a digit). Narrow as it is, a digit's own left bars
    cracked off at a slant glue into one digit's width."""
    hd = bottom - top
    t0, t1 = max(0, round(top)), min(binary.shape[0], round(bottom) + 1)
    out: list[list[int]] = []
    for a, b, p1 in glued:
        if p1 < b and b - a > 1.2 * cw and p1 - a <= 0.45 * cw:
            rows = np.flatnonzero(binary[t0:t1, a:p1].any(axis=1))
            if len(rows) and rows[-1] - rows[0] + 1 >= ONE_SPAN * hd:
                nxt = p1 + int(np.argmax(binary[t0:t1, p1:b].any(axis=0)))
                out += [[a, p1], [nxt, b]]
                continue
        out.append([a, b])
    return out


def _split_tight_ones(
    binary: NDArray[np.uint8], runs: list[list[int]], cw: float, top: float, bottom: float
) -> list[list[int]]:
    """Runs (start, end) wider than `TIGHT_ONE_WIDTH` of the line's cell width `cw` split
    after a 1 set tight before the next digit (`_tight_one_cut`): glued, "12" read as one
    cell '2' and the 1 was lost."""
    t0, t1 = max(0, round(top)), min(binary.shape[0], round(bottom) + 1)
    out: list[list[int]] = []
    for a, b in runs:
        v = _tight_one_cut(binary[t0:t1, a:b], cw) if b - a > TIGHT_ONE_WIDTH * cw else None
        out += [[a, b]] if v is None else [[a, a + v], [a + v + 1, b]]
    return out


def _tight_one_cut(band: NDArray[np.uint8], cw: float) -> int | None:
    """The column of a run's band (its digit rows, 0/1) after a 1 set tight before the next
    digit, or None: a bar spanning `ONE_SPAN` of the band at the run's start, no wider than
    `TIGHT_ONE_BAR` cells, then within as much a column lit at most `TIGHT_ONE_VALLEY` of
    the band in one run of rows at most (the gap blur bridged at one bar), and
    `TIGHT_ONE_REST` cells left."""
    n = band.shape[0]
    if n <= 0:
        return None
    lit = band.sum(axis=0).astype(np.float64)
    bar = np.flatnonzero(lit >= ONE_SPAN * n)
    # the bar starts the run and is one bar wide; the valley follows it
    if not len(bar) or bar[0] > TIGHT_ONE_BAR * cw:
        return None
    end = int(bar[0])
    while end < len(lit) and lit[end] >= ONE_SPAN * n:
        end += 1
    reach = min(len(lit), end + round(TIGHT_ONE_BAR * cw))
    if end - int(bar[0]) > TIGHT_ONE_BAR * cw or reach <= end:
        return None
    v = end + int(np.argmin(lit[end:reach]))
    # (blur bridges the gap at one bar's rows; a digit's own hollow there, the column after
    # a 0's, 6's or 8's left bars, holds two or three of its bars)
    bridges = len(_runs(band[:, v] > 0))
    if lit[v] > TIGHT_ONE_VALLEY * n or bridges > 1 or len(lit) - v < TIGHT_ONE_REST * cw:
        return None
    return v


@dataclass(frozen=True)
class _ColumnInk:
    """Per-column ink of a strip's 0/1 mask around its digit band, measured once for all
    the runs `find_cells` looks at (each run's tests are then slices of these).

    Attributes:
        first: Ws int, the first lit row of each column from the band's top (round(top))
            down to the row after its bottom; the band's height + 1 where none is lit.
        band_rows: rows from the band's top to round(bottom).
        above, below: Ws float, the share of lit rows in each column of the margins above
            and below the band (beyond 0.1 of the digit height), or None where a margin is
            under two rows.
        hd: the digit height (bottom - top).
        bezel_along: both margins are lit along most of the strip (`BEZEL_ALONG`): a
            bezel close around a tight window's digits.
    """

    first: NDArray[np.int64]
    band_rows: int
    above: NDArray[np.float64] | None
    below: NDArray[np.float64] | None
    hd: float
    bezel_along: bool = False


def _column_ink(binary: NDArray[np.uint8], top: float, bottom: float) -> _ColumnInk:
    """`_ColumnInk` of an Hs x Ws 0/1 strip mask with the digit band [top, bottom)."""
    hd = bottom - top
    hs = binary.shape[0]
    t0 = max(0, round(top))
    sub = binary[t0 : min(hs, round(bottom) + 1)] > 0
    first = np.where(sub.any(axis=0), np.argmax(sub, axis=0), sub.shape[0]).astype(np.int64)
    m = max(2, round(0.1 * hd))
    above = binary[: max(0, round(top) - m)]
    below = binary[min(hs, round(bottom) + m) :]
    if above.shape[0] < 2 or below.shape[0] < 2:
        return _ColumnInk(first, min(hs, round(bottom)) - t0, None, None, hd)
    up, down = above.mean(axis=0), below.mean(axis=0)
    along = float((up > 0.6).mean()) >= BEZEL_ALONG and float((down > 0.6).mean()) >= BEZEL_ALONG
    return _ColumnInk(first, min(hs, round(bottom)) - t0, up, down, hd, along)


def _trim_low_ends(ink: _ColumnInk, run: tuple[int, int]) -> tuple[int, int]:
    """A run without the columns at either end whose ink lies only low in the band: a
    decimal point fused onto the digit before it or after it (a big dot reaches into the
    projection band, and blur or tight spacing joins it to a digit's run), left for
    `_find_dots`."""
    a, b = run
    hd = ink.hd
    # every digit's right edge has a bar (b, c) rising above mid-height, and its left edge
    # one too (a, e, f); a dot has none
    high = np.flatnonzero(ink.first[a:b] < 0.6 * hd)
    if len(high) == 0:
        return run
    start, end = a + int(high[0]), a + int(high[-1]) + 1
    # a column or two is a bar's blurred or slanted foot, not a dot
    if start - a < 0.08 * hd:
        start = a
    if b - end < 0.08 * hd:
        end = b
    return (start, end) if end - start >= 0.05 * hd else run


def _minus_like(binary: NDArray[np.uint8], run: tuple[int, int], top: float, bottom: float) -> bool:
    """Whether a run's ink in the digit band lies only around mid-height (a minus sign)."""
    a, b = run
    hd = bottom - top
    t0 = max(0, round(top))
    rows = np.flatnonzero(binary[t0 : min(binary.shape[0], round(bottom)), a:b].any(axis=1))
    return bool(len(rows)) and rows[0] >= 0.25 * hd and rows[-1] < 0.75 * hd


def _colon_like(binary: NDArray[np.uint8], run: tuple[int, int], top: float, bottom: float) -> bool:
    """Whether a narrow run's ink in the digit band is a clock's colon: two dots, one in each
    half of the band, each small (under `COLON_DOT_H` of the band and `COLON_DOT_ASPECT`
    times the run's width), apart from its top, middle and bottom, where a 1's bars run on."""
    a, b = run
    hd = bottom - top
    t0 = max(0, round(top))
    lit = binary[t0 : min(binary.shape[0], round(bottom)), a:b].any(axis=1)
    spans = _runs(lit)
    if len(spans) != 2:
        return False
    (u0, u1), (l0, l1) = spans
    # a dot is about as tall as wide; a bar of a 1 (dim, or cut by a gap) is much taller
    dot_h = min(COLON_DOT_H * hd, COLON_DOT_ASPECT * (b - a))
    hu, hl = u1 - u0, l1 - l0
    # the dots stand apart from the band's ends and from each other (a dim 1's bars, cut at
    # their gaps, reach nearer the ends and each other), and are alike
    return (
        u0 >= COLON_MARGIN * hd
        and l1 <= (1 - COLON_MARGIN) * hd
        and max(hu, hl) <= dot_h
        and min(hu, hl) >= 0.5 * max(hu, hl)
        and (u0 + u1) / 2 < 0.5 * hd < (l0 + l1) / 2
        and l0 - u1 >= COLON_GAP * hd
    )


def _not_a_cell(ink: _ColumnInk, run: tuple[int, int]) -> bool:
    """A run of columns that is no digit cell: ink only low in the band (a big decimal
    point), or ink running on through the margins above and below the band (a bezel's
    edge, a frame line)."""
    a, b = run
    top_row = int(ink.first[a:b].min())  # the run's first lit row in the band
    if top_row < ink.band_rows and top_row >= 0.6 * ink.hd:
        return True
    if ink.above is None or ink.below is None:
        return False
    if not (ink.above[a:b].max() > 0.6 and ink.below[a:b].max() > 0.6):
        return False
    # A bezel lit along the strip above and below a tight window's digits lights the
    # margins over every run: there, only a run at the strip's end (the bezel's side) is
    # an edge; the others are the window's digits.
    return not ink.bezel_along or a <= 1 or b >= len(ink.first) - 1


def _split_run(proj: NDArray[np.float64], a: int, b: int, cw: float) -> list[tuple[float, float]]:
    """Split a run of touching cells at the projection's minima."""
    k = max(2, round((b - a) / (cw * 1.15)))
    seg = cv2.GaussianBlur(proj[a:b].reshape(1, -1), (0, 0), 1.0).ravel()
    cuts = []
    step = (b - a) / k
    for i in range(1, k):
        c = i * step
        lo, hi = int(max(1, c - 0.3 * step)), int(min(b - a - 1, c + 0.3 * step))
        j = lo + int(np.argmin(seg[lo:hi])) if hi > lo else int(c)
        cuts.append(j)
    edges = [0, *cuts, b - a]
    return [(float(a + edges[i] + (1 if i else 0)), float(a + edges[i + 1]))
            for i in range(len(edges) - 1)]  # fmt: skip


# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------


def _clip(v: float, lo: int, hi: int) -> int:
    return int(min(max(v, lo), hi))


def _spans(v: NDArray[np.float64], lo: int, hi: int) -> NDArray[np.int64]:
    """`_clip` of each value (int(min(max(v, lo), hi))), vectorized."""
    return np.minimum(np.maximum(v, lo), hi).astype(np.int64)


def _range_max(
    d: NDArray[np.float64], c0: NDArray[np.int64], c1: NDArray[np.int64]
) -> NDArray[np.float64]:
    """max(d[c0[i]:c1[i]]) for each i with c1[i] > c0[i] (0.0 elsewhere)."""
    n = np.maximum(c1 - c0, 0)
    out = np.zeros(len(c0))
    if len(c0) == 0 or int(n.max()) == 0:
        return out
    idx = c0[:, None] + np.arange(int(n.max()))[None, :]
    inside = idx < c1[:, None]
    vals = np.where(inside, d[np.minimum(idx, len(d) - 1)], -np.inf)
    ok = n > 0
    out[ok] = vals[ok].max(axis=1)
    return out


def segment_values(
    integral: NDArray[np.float64],
    cells: list[tuple[float, float]],
    top: float,
    bottom: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Values of the seven segment zones and of the two counters of each cell.

    A segment's value is the peak of the mean profile across its zone (rows for a, g, d;
    columns for b, c, e, f), so it does not depend on the thickness. All cells of a strip
    share the zones' rows, so each zone is measured for every cell at once (this runs for
    every candidate row of every frame).

    Args:
        integral: (Hs+1) x (Ws+1) integral image of the strip (`cv2.integral`).
        cells: x-ranges of the N cells; top, bottom: the digit band.

    Returns:
        (N x 7 values in `SEGMENT_ORDER`, N x 2 (upper, lower) counter values), in gray
        levels; a zone cut off by the strip's edge is 0.
    """
    hs, ws = integral.shape[0] - 1, integral.shape[1] - 1
    x0 = np.array([c[0] for c in cells], np.float64)
    w = np.array([c[1] for c in cells], np.float64) - x0
    hd = bottom - top
    n = len(cells)

    def rows(ya: float, yb: float) -> tuple[int, int]:
        return _clip(top + ya * hd, 0, hs - 1), _clip(top + yb * hd, 1, hs)

    def cols(xa: float, xb: float) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        return _spans(x0 + xa * w, 0, ws - 1), _spans(x0 + xb * w + 1, 1, ws)

    def rows_peak(ya: float, yb: float) -> NDArray[np.float64]:
        r0, r1 = rows(ya, yb)
        c0, c1 = cols(0.3, 0.7)
        out = np.zeros(n)
        ok = c1 > c0
        if r1 <= r0 or not ok.any():
            return out
        band = integral[r0 : r1 + 1]
        d = band[:, c1[ok]] - band[:, c0[ok]]
        out[ok] = (d[1:] - d[:-1]).max(axis=0) / (c1[ok] - c0[ok])
        return out

    def cols_mean_peak(xa: float, xb: float, ya: float, yb: float) -> NDArray[np.float64]:
        r0, r1 = rows(ya, yb)
        if r1 <= r0:
            return np.zeros(n)
        c0, c1 = cols(xa, xb)
        prof = integral[r1] - integral[r0]
        return _range_max(prof[1:] - prof[:-1], c0, c1) / (r1 - r0)

    def cols_peak(xa: float, xb: float, ya: float, yb: float) -> NDArray[np.float64]:
        # A vertical bar may start late (a 4's f with no a above it, an italic face's
        # offset): the lower half of the zone counts on its own. For the upper bars that
        # half is next to mid-height; for the lower ones it is away from it, where a thick
        # or low middle bar (g) cannot reach.
        half = ((ya + yb) / 2, yb)
        return np.maximum(cols_mean_peak(xa, xb, ya, yb), cols_mean_peak(xa, xb, *half))

    def mean(xa: float, xb: float, ya: float, yb: float) -> NDArray[np.float64]:
        r0, r1 = rows(ya, yb)
        c0, c1 = cols(xa, xb)
        out = np.zeros(n)
        ok = c1 > c0
        if r1 <= r0 or not ok.any():
            return out
        a, b = c0[ok], c1[ok]
        tot = integral[r1, b] - integral[r0, b] - integral[r1, a] + integral[r0, a]
        out[ok] = tot / ((r1 - r0) * (b - a))
        return out

    if n == 0:
        return np.zeros((0, 7)), np.zeros((0, 2))
    v = np.stack(
        [
            rows_peak(-0.04, 0.2),  # a
            cols_peak(0.62, 1.06, 0.2, 0.38),  # b
            cols_peak(0.62, 1.06, 0.62, 0.8),  # c
            rows_peak(0.8, 1.04),  # d
            cols_peak(-0.06, 0.38, 0.62, 0.8),  # e
            cols_peak(-0.06, 0.38, 0.2, 0.38),  # f
            rows_peak(0.4, 0.6),  # g
        ],
        axis=1,
    )
    holes = np.stack([mean(0.42, 0.58, 0.25, 0.33), mean(0.42, 0.58, 0.67, 0.75)], axis=1)
    return v, holes


def _otsu_1d(values: NDArray[np.float64], lo: float, hi: float) -> float:
    """The split of `values` that maximises the between-class variance, within [lo, hi]."""
    v = np.sort(values)
    best, best_t = -1.0, (lo + hi) / 2
    for i in range(1, len(v)):
        t = (v[i - 1] + v[i]) / 2
        if not lo <= t <= hi:
            continue
        a, b = v[:i], v[i:]
        s = len(a) * len(b) * (a.mean() - b.mean()) ** 2
        if s > best:
            best, best_t = s, t
    return float(best_t)


def _model_iou(
    binary: NDArray[np.uint8], cell: tuple[float, float], top: float, bottom: float,
    lit: str, t: float,
) -> float:  # fmt: skip
    """IoU of a cell's ink with the ideal mask of its lit segments (thickness t)."""
    x0, x1 = cell
    hd = bottom - top
    ys, ye = _clip(top - 0.05 * hd, 0, binary.shape[0] - 1), _clip(bottom + 0.03 * hd, 1,
                                                                      binary.shape[0])  # fmt: skip
    xs, xe = (
        _clip(x0 - 0.05 * hd, 0, binary.shape[1] - 1),
        _clip(x1 + 0.02 * hd, 1, binary.shape[1]),
    )
    ink = binary[ys:ye, xs:xe] > 0
    model = np.zeros_like(ink)
    tt = max(1.0, t)

    mh, mw = model.shape

    def rect(ax: float, ay: float, bx: float, by: float) -> None:
        r0, r1 = _clip(ay - ys, 0, mh), _clip(by - ys, 0, mh)
        model[r0:r1, _clip(ax - xs, 0, mw) : _clip(bx - xs, 0, mw)] = True

    mid = top + hd / 2
    e = FIT_SLACK * tt  # slack: blur, rounding, a bar's pointed ends
    zones = {
        "a": (x0 - e, top - e, x1 + e, top + tt + e),
        "d": (x0 - e, bottom - tt - e, x1 + e, bottom + e),
        "g": (x0 - e, mid - tt / 2 - e, x1 + e, mid + tt / 2 + e),
        "b": (x1 - tt - e, top - e, x1 + e, mid + e),
        "c": (x1 - tt - e, mid - e, x1 + e, bottom + e),
        "f": (x0 - e, top - e, x0 + tt + e, mid + e),
        "e": (x0 - e, mid - e, x0 + tt + e, bottom + e),
    }
    for s in lit:
        rect(*zones[s])
    n_ink = int(ink.sum())
    # the share of the cell's lit pixels that its lit bars explain (curves and strokes of
    # printed digits fall outside them)
    return float(np.logical_and(ink, model).sum() / n_ink) if n_ink else 0.0


def _bar_fills(
    binary: NDArray[np.uint8], cell: tuple[float, float], top: float, bottom: float,
    lit: str, t: float,
) -> dict[str, float]:  # fmt: skip
    """The share of the cell's width that each lit horizontal bar (a, g, d) covers with ink,
    a bar's thickness in from either side."""
    x0, x1 = cell
    hs, ws = binary.shape
    tt = max(1.0, t)
    e = FIT_SLACK * tt
    centre = {"a": top + tt / 2, "g": (top + bottom) / 2, "d": bottom - tt / 2}
    fills = {}
    for s in lit:
        if s not in centre:
            continue
        ya, yb = centre[s] - tt / 2 - e, centre[s] + tt / 2 + e
        sub = binary[
            _clip(ya, 0, hs - 1) : _clip(yb, 1, hs),
            _clip(x0 + tt, 0, ws - 1) : _clip(x1 - tt, 1, ws),
        ]
        if sub.size:
            fills[s] = float(sub.any(axis=0).mean())
    return fills


@dataclass(frozen=True)
class DecodedCell:
    """One decoded cell: char ('' for blank), confidence, segment string, cell box in strip."""

    char: str
    confidence: float
    segments: str
    cell: tuple[float, float]
    ink: tuple[float, float]
    dot: bool = False
    dot_confidence: float = 0.0
    evidence: bool = True


def decode_strip(
    strip: Strip,
    cells: CellRanges | None = None,
    *,
    one_digit: bool = False,
    reread: bool = True,
) -> list[DecodedCell]:
    """Find (unless given as (cell, ink) x-ranges) and decode the cells of a rectified
    strip; blank cells are included with char ''. With `one_digit` (a crop of one digit)
    the lit bars may cover most of the band. With `reread`, a strip whose cells were found
    here is read again flattened where that adds digits at its ends (`_flat_end_reading`),
    or where cells have no code, cut again at the width of the digits read
    (`_recut_reading`) or on their pitch (`_pitch_reading`), or evened
    (`_evened_reading`); a strip whose split level lit its margins is read again at its
    band's own level, or with its shading taken out, and a glowing strip with its cells
    cut at its lit pixels' own split (`_glow_cells`), where that reads clearly better
    (`_better_reading`)."""
    img = strip.image
    top, bottom = strip.top, strip.bottom
    f = img.astype(np.float32)
    # second readings, each (image, cells), taken where they read clearly better
    alts: list[tuple[NDArray[np.uint8], CellRanges]] = []
    # ... and those taken only where they read every cell they find
    whole: list[tuple[NDArray[np.uint8], CellRanges]] = []
    _t, binary = cv2.threshold(img, 0, 1, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    if cells is None and reread and binary.mean() > LIT_MAJORITY:
        # a dark ring in the margins split from the rest: the glass is lit with the digits
        # and its ghosts cut into cells; the band's own level cuts the digits' cells
        band = np.ascontiguousarray(img[max(0, round(top)) : round(bottom) + 1])
        t, _b = cv2.threshold(band, 0, 1, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        band_cells = find_cells((img > t).astype(np.uint8), top, bottom)
        if band_cells:
            alts.append((img, band_cells))
    if cells is None and reread:
        glow = _glow_cells(img, binary, top, bottom)
        if glow:
            alts.append((img, glow))
    searched = cells is None
    found = find_cells(binary, top, bottom) if cells is None else cells
    if cells is None and len(found) <= 1:
        # one cell or none: a bright bezel may have taken Otsu's split from dim segments
        rebinary, solid = _lit_binary(img)
        if solid.any():
            refound = find_cells(rebinary, top, bottom)
            if len(refound) > len(found):
                binary, found = rebinary, refound
    if cells is None and _lit_margins(binary, top, bottom):
        # Uneven light (a reflective LCD's shading) may put the split across the strip,
        # losing the cells on its darker side (lit ground above and below the digits says
        # so): its top-hat keeps bars thinner than half the digit height on a flat ground.
        # Flattened, clutter shows cells too (a bar beside the digits passes for a minus),
        # and thick bars split: it must show two cells more, three at least.
        flat, rebinary, refound = _flattened_cells(img, top, bottom)
        if len(refound) >= max(FLAT_MIN_CELLS, len(found) + 2):
            img, binary, found = flat, rebinary, refound
            f = img.astype(np.float32)
        elif reread:
            # Else the flattened strip is a second reading. Shade on a reflective display
            # (dark on light) scales the ink's contrast with the light: a shaded top bar
            # keeps half its contrast after a top-hat; the row's ground divided out, all.
            if refound:
                alts.append((flat, refound))
            if strip.inverted:
                ratio = _row_ratio(img)
                _t, rebinary = cv2.threshold(ratio, 0, 1, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
                refound = find_cells(rebinary, top, bottom)
                if refound:
                    alts.append((ratio, refound))
    elif cells is None and reread and _solid_block(binary, bottom - top):
        # A block lit through the margins, not all along them: glare or shade over one end
        # of the glass, past the split, swallowing the digits there (or a bezel's edge).
        # Flattened, the strip is a second reading where it reads every cell it finds (a
        # bezel flattened is bars, which read as no digit).
        flat, _rebinary, refound = _flattened_cells(img, top, bottom)
        if refound:
            whole.append((flat, refound))
    if not found:
        return _better_reading(strip, alts, [], whole=whole)
    cells = [c for c, _ in found]
    inks = [k for _, k in found]
    integral = cv2.integral(img, sdepth=cv2.CV_64F)
    v, holes_a = segment_values(integral, cells, top, bottom)
    bg = small_median(holes_a.ravel())
    hi = small_percentile(v, 95)
    contrast = hi - bg
    if contrast < 20:
        return _better_reading(strip, alts, [], whole=whole)
    lo, hi_t = bg + 0.4 * contrast, bg + 0.7 * contrast
    thr = _otsu_1d(v.ravel(), lo, hi_t)
    on, off = v[v > thr], v[v <= thr]
    if one_digit or (not off.size and contrast >= ALL_LIT_CONTRAST):
        # seven values split no better than by level: an 8 has no unlit bar to split from,
        # and a 0 only one (its counters and ghosts give the background level); so, too, a
        # line of lit 8s only (a lone 8 in a window: its thin bars, blurred, fall short of
        # the upper clip and read unsure) -- where they stand out clearly: blank cells'
        # ghost 8s are all "lit" as well, faintly
        thr = bg + ONE_DIGIT_LEVEL * contrast
    elif on.size and off.size:
        # midway between the typical lit and unlit (ghost) levels: Otsu's split wanders
        # toward the few in-between values (a bar's glow in a narrow cell)
        thr = float(np.clip((small_median(on) + small_median(off)) / 2, lo, hi_t))
    thr_c = np.full(len(cells), thr)
    if not one_digit and len(cells) >= 2:
        # A cell in shade (light falling off toward one end of a display) has all its levels
        # lower, lit bars and ghosts alike: its dimmest lit bars fall under the line's split
        # (an 8 reads as a broken code) while its ghosts stay far below. A cell with a bar
        # over the split but a peak under the line's, which the split leaves without a
        # digit's code, is split at the same fraction of its own peak where that gives a
        # digit of three bars or more.
        peak = v.max(axis=1)
        scale = np.clip((peak - bg) / contrast, DIM_CELL_SCALE, 1.0)
        own = bg + (thr - bg) * scale
        for i in np.flatnonzero(peak < hi).tolist():
            if _code_of(v[i] > thr) is not None:
                continue
            lit_own = v[i] > own[i]
            if int(lit_own.sum()) < 3 or _code_of(lit_own) is None:
                continue
            # A cell with no bar over the split at all is split at its own level only where
            # its lit and unlit bars stand clearly apart: a blank cell's ghosts are all
            # alike (and a cell with no unlit bar at all may be a blank cell's ghost 8).
            if peak[i] <= thr and (
                lit_own.all()
                or v[i][lit_own].min() - v[i][~lit_own].max() < DIM_CELL_GAP * contrast
            ):
                continue
            thr_c[i] = own[i]
    lit_mask = v > thr_c[:, None]
    # Lit segments are the minority of the display's area; when "lit" covers most of the
    # row, this is the other polarity's background between glyphs.
    xa, xb = int(max(0, cells[0][0])), int(cells[-1][1]) + 1
    band = img[int(top) : int(bottom) + 1, xa:xb]
    lit_share = LONE_LIT_SHARE if len(cells) == 1 else 0.5
    if band.size == 0 or (not one_digit and float((band > thr).mean()) > lit_share):
        return _better_reading(strip, alts, [], whole=whole)
    # line thickness: rows/cols above the threshold in lit horizontal segments
    thr_cols = np.full(img.shape[1], thr)
    for (x0, x1), t in zip(cells, thr_c, strict=True):
        if t != thr:
            thr_cols[max(0, int(x0)) : int(x1) + 1] = t
    bin_t = (f > thr_cols[None, :]).astype(np.uint8)
    t_est = _thickness(bin_t, cells, lit_mask, top, bottom)
    out = []
    for c, ink, vv, lm, ho, tc in zip(cells, inks, v, lit_mask, holes_a, thr_c, strict=True):
        run = (int(ink[0]), int(np.ceil(ink[1])))
        if (
            not one_digit
            and ink[1] - ink[0] <= COLON_MAX_W * (bottom - top)
            # (the cells were cut on `binary`; the segments are read at the line's level)
            and (_colon_like(bin_t, run, top, bottom) or _colon_like(binary, run, top, bottom))
        ):
            out.append(DecodedCell(":", MARK_CONFIDENCE, "", c, ink))
            continue
        segs = _lit_segments(lm)
        margin = float(np.min(np.abs(vv - tc))) / contrast
        conf_m = min(1.0, margin / 0.25)
        if not segs:
            out.append(DecodedCell("", conf_m, "", c, ink))
            continue
        if float(ho.max()) > tc:  # a counter is lit: a blob or a printed glyph, not segments
            out.append(DecodedCell(UNKNOWN, 0.0, segs, c, ink))
            continue
        ch = CODE_TABLE.get(segment_code(segs), UNKNOWN)
        if not one_digit:
            # A ghost or glow may pass the split over part of a horizontal bar only (a
            # 4's unlit top bar read lit makes a 9 of it, an 8's unlit middle bar a 0 of
            # it): a lit bar that leaves most of the cell's width dark is dropped where
            # what is left is a digit.
            fills = _bar_fills(bin_t, c, top, bottom, segs, t_est)
            kept = "".join(s for s in segs if fills.get(s, 1.0) >= BAR_FILL_MIN)
            if kept != segs and kept and CODE_TABLE.get(segment_code(kept)) is not None:
                segs, ch = kept, CODE_TABLE[segment_code(kept)]
        iou = _model_iou(bin_t, c, top, bottom, segs, t_est)
        conf_fit = float(np.clip((iou - 0.6) / 0.3, 0.0, 1.0))
        conf = conf_m**0.5 * conf_fit**0.7
        out.append(DecodedCell(ch, conf if ch != UNKNOWN else min(conf, 0.3), segs, c, ink))
    out = _find_dots(f, out, top, bottom, thr, bg, contrast, t_est)
    if not _segment_evidence(integral, cells, v, lit_mask, top, bottom, thr, bg, contrast, t_est):
        # nothing says "display": no ghosts, no gaps where bars meet (`line_from_cells`
        # lowers such a line's score so the printed reader wins where it reads the same place)
        out = [replace(c, evidence=False) for c in out]
    if alts or whole:
        better = _better_reading(strip, alts, out, whole=whole)
        if better is not out:
            return better
    if reread and searched and img is strip.image and len(found) >= 2:
        longer = _flat_end_reading(strip, found, out)
        if longer is not None:
            return longer
        unread = sum(c.char == UNKNOWN for c in out)
        recut = _recut_reading(strip, binary, found, out) if unread else None
        if recut is None and unread:
            recut = _pitch_reading(strip, binary, found, out)
        if recut is not None:
            return recut
        # (mostly unread, a strip is clutter, not a display in uneven light: not retried)
        if 0 < unread <= sum(c.char.isdigit() for c in out):
            evened = _evened_reading(strip, found, out)
            if evened is not None:
                return evened
    return out


def _glow_cells(
    img: NDArray[np.uint8], binary: NDArray[np.uint8], top: float, bottom: float
) -> CellRanges:
    """A glowing strip's cells cut at its lit pixels' own split, or none where it does
    not glow.

    An LED or VFD digit's glow lights the band between its bars and between digits set
    close: at Otsu's split the digits of a line are one run, lit nearly all its height
    (a digit's bars leave its middle columns a third lit), and the run is cut into equal
    parts across narrow 1s. The bars stand over their glow: Otsu's split of the lit pixels
    alone cuts the cells apart.

    Args:
        img: Hs x Ws uint8 strip, lit bright.
        binary: its 0/1 mask at Otsu's split.
        top, bottom: the digit band.

    Returns:
        (cell, ink) x-ranges as `find_cells` gives them; empty where the lit columns'
        lower quartile is under `GLOW_FILL` of the band lit.
    """
    y0, y1 = round(top), round(bottom)
    if y1 - y0 < 4:
        return []
    fill = binary[y0:y1].mean(axis=0)
    lit_cols = fill[fill > 0]
    if lit_cols.size == 0 or small_percentile(lit_cols, 25) < GLOW_FILL:
        return []
    band = img[y0:y1]
    lit = band[binary[y0:y1] > 0]
    t2, _b = cv2.threshold(lit.reshape(1, -1), 0, 1, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return find_cells((img > t2).astype(np.uint8), top, bottom)


def _row_ratio(img: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """An inverted (dark-on-light) strip with each row's ground divided out: 255 x (1 -
    luminance / the row's ground (`ROW_GROUND_PERCENTILE`)), so a bar's value is its ink's
    share of the light, in shade as in full light. Hs x Ws uint8 in, the same out."""
    lum = 255.0 - img.astype(np.float32)
    ground = np.percentile(lum, ROW_GROUND_PERCENTILE, axis=1, keepdims=True)
    ratio = 255.0 * (1.0 - lum / np.maximum(ground, 1.0))
    return np.clip(ratio, 0, 255).astype(np.uint8)


def _better_reading(
    strip: Strip,
    alts: list[tuple[NDArray[np.uint8], CellRanges]],
    out: list[DecodedCell],
    *,
    whole: Sequence[tuple[NDArray[np.uint8], CellRanges]] = (),
) -> list[DecodedCell]:
    """The best of a strip's reading `out` and its second readings `alts` ((image,
    cells) each), then `whole` (taken only where they read every cell they find): one is
    taken only where it reads `ALT_GAIN` better (`_cells_merit`) and at least two digits
    other than 1 (a bezel's edge or a lone bar reads as a 1), or one with no undecoded
    cell where `out` is empty; a 1 it adds at an end of the line must be sure
    (`FLAT_END_CONFIDENCE`)."""
    best = out
    for (image, cells), must_be_whole in [(a, False) for a in alts] + [(a, True) for a in whole]:
        again = decode_strip(replace(strip, image=image), cells, reread=False)
        if must_be_whole and any(c.char == UNKNOWN for c in again):
            continue
        figures = sum(c.char.isdigit() and c.char != "1" for c in again)
        if figures < 2 and not (
            # (a strip the first reading found nothing in may hold one digit: a display's
            # short line, a lone digit on a glass lit with its ghosts)
            not out and figures == 1 and all(c.char != UNKNOWN for c in again)
        ):
            continue
        digits = [i for i, c in enumerate(again) if c.char.isdigit()]
        for i in (digits[0], digits[-1]):
            if again[i].char == "1" and again[i].confidence < FLAT_END_CONFIDENCE:
                again[i] = replace(again[i], char="")
        if _cells_merit(again) >= _cells_merit(best) + ALT_GAIN:
            best = again
    return best


def _evened_reading(
    strip: Strip,
    found: CellRanges,
    cells: list[DecodedCell],
) -> list[DecodedCell] | None:
    """The strip's cells read again with its light evened out, where that decodes every
    cell the first reading could not ('?') and reads every other cell alike; else None.

    Light falling across a display dims its lit bars as well as its ground toward one
    side: one split level then takes a dim digit's weaker bars for unlit, and the digit
    has no code. Evened, each pixel is placed between the ground and the lit level around
    it (their local extremes over a digit's height, smoothed). Evening lifts a blank
    cell's ghosts and a ghost point as well: blank cells must stay blank and the points
    are the first reading's."""
    hd = strip.bottom - strip.top
    k = odd(hd)
    f = strip.image.astype(np.float32)
    kernel = np.ones((k, k), np.uint8)
    lit = cv2.blur(cv2.dilate(f, kernel), (k, k))
    ground = cv2.blur(cv2.erode(f, kernel), (k, k))
    span = np.maximum(lit - ground, EVEN_MIN_SPAN)
    even = np.clip(255 * (f - ground) / span, 0, 255).astype(np.uint8)
    again = decode_strip(replace(strip, image=even), found, reread=False)
    if len(again) != len(cells):
        return None
    if any(a.char != UNKNOWN and a.char != b.char for a, b in zip(cells, again, strict=True)):
        return None
    # Past the line's known digits, an evened bar is any bar (a bezel's edge, clutter): a
    # cell read there as a 1 stays unread unless it ends one digit pitch from its
    # neighbour, as a display's 1 does (at its cell's right).
    known = [i for i, c in enumerate(cells) if c.char.isdigit()]
    ends = [cells[i].ink[1] for i in known]
    pitch = small_median(np.diff(ends)) if len(ends) >= 2 else 0.7 * hd

    def stray_one(i: int, b: DecodedCell) -> bool:
        if b.char != "1" or not known or known[0] <= i <= known[-1]:
            return False
        j = known[0] if i < known[0] else known[-1]
        step = abs(b.ink[1] - cells[j].ink[1]) / max(1, abs(i - j))
        return abs(step - pitch) > EVEN_PITCH_TOL * pitch

    out = [
        a
        if a.char == UNKNOWN and stray_one(i, b)
        else replace(b, dot=a.dot, dot_confidence=a.dot_confidence, evidence=a.evidence)
        for i, (a, b) in enumerate(zip(cells, again, strict=True))
    ]
    digits = [i for i, c in enumerate(out) if c.char.isdigit()]
    if [c.char for c in out] == [c.char for c in cells] or not digits:
        return None
    if any(c.char == UNKNOWN for c in out[digits[0] : digits[-1] + 1]):
        return None  # (a reading still unsure inside is no better)
    return out


def _recut_reading(
    strip: Strip, binary: NDArray[np.uint8], found: CellRanges, cells: list[DecodedCell]
) -> list[DecodedCell] | None:
    """The strip's cells cut again at the width of the digits it read (other than 1s),
    where that reads clearly better (`_better_reading`); else None.

    Digits glued into one run (a bold face, a blurred small display) are cut at a cell
    width told by the runs a digit wide; where no run is, the width is guessed, and a
    wide face cut at a narrow face's pitch gives a cell more than it has digits, which
    read as no code ("56275" cut in six, "2" and "7" each in halves). Taken only where
    it reads every cell it cuts."""
    widths = [c.cell[1] - c.cell[0] for c in cells if c.char.isdigit() and c.char != "1"]
    if len(widths) < 2:
        return None
    refound = find_cells(binary, strip.top, strip.bottom, cell_width=small_median(widths))
    if [c for c, _ink in refound] == [c for c, _ink in found]:
        return None
    # (taken only where it reads every cell: cut at a word's letters' width, a word's
    # round letters read as 0s, which the first cut left unread)
    better = _better_reading(strip, [], cells, whole=[(strip.image, refound)])
    return None if better is cells else better


def _pitch_reading(
    strip: Strip, binary: NDArray[np.uint8], found: CellRanges, cells: list[DecodedCell]
) -> list[DecodedCell] | None:
    """The strip's unread cells ('?') cut again on the pitch of the digits read beside
    them, where that reads clearly better (`_better_reading`) and reads every cell; else
    None.

    A display's digits stand at one pitch, their right edges in line (every digit has a
    right bar). Blur glues digits set close into runs the column projection cuts in the
    wrong places ("44368": the 3 and half the 6 one cell, the 6's other half another),
    and a cut at the digits' width (`_recut_reading`) still starts from those runs. The
    pitch of two digits read side by side places the unread ones' cells: a run of unread
    cells after a digit read is cut from that digit's right edge on, one before a digit
    read ends a pitch short of that digit's right edge. The digits read (other than 1s)
    must be alike in width and fill most of the pitch: digits read at unlike widths were
    cut wrongly too.

    Args:
        strip: the rectified strip.
        binary: its Hs x Ws 0/1 mask of lit segments.
        found: the (cell, ink) x-ranges read as `cells`.
        cells: their decoding.
    """
    n = len(cells)
    ends = [c.ink[1] for c in cells]
    read = [c.char.isdigit() for c in cells]
    steps = [ends[i + 1] - ends[i] for i in range(n - 1) if read[i] and read[i + 1]]
    hd = strip.bottom - strip.top
    if not steps:
        return None
    pitch = small_median(steps)
    if not PITCH_MIN * hd <= pitch <= PITCH_MAX * hd:
        return None
    # a digit stands at its pitch's right, as wide as the digits read: the columns left of
    # that hold the glow of the digit before, not this one's bars
    widths = [c.cell[1] - c.cell[0] for c in cells if c.char.isdigit() and c.char != "1"]
    if not widths:
        return None
    # (digits read at widths unlike each other, or far under the pitch, were cut wrongly
    # too: "193" read "?33", a 9 cut narrow and read as a 3)
    width = min(pitch, small_median(widths))
    if max(widths) > PITCH_WIDTHS * min(widths) or width < PITCH_FILL * pitch:
        return None
    # (a cell's ink is measured above the baseline, as `find_cells` does: a point there
    # after the digit before is no part of the next digit)
    y0, y1 = max(0, round(strip.top)), round(strip.top + 0.85 * hd)
    lit = binary[y0:y1].any(axis=0)
    cut: CellRanges = []
    i = 0
    changed = False
    while i < n:
        if cells[i].char != UNKNOWN:
            cut.append(found[i])
            i += 1
            continue
        j = i
        while j + 1 < n and cells[j + 1].char == UNKNOWN:
            j += 1
        before = i > 0 and read[i - 1]
        after = j + 1 < n and read[j + 1]
        stop = ends[j + 1] - pitch if after else ends[j]
        start = ends[i - 1] if before else None
        if start is None:
            if not after:
                return None  # (no digit read beside: nothing tells where the cells stand)
            start = stop - pitch * max(1, round((stop - cells[i].ink[0]) / pitch))
        k = round((stop - start) / pitch)
        if k < 1 or abs(stop - start - k * pitch) > PITCH_TOL * pitch:
            return None
        # (spread evenly between the two right edges measured, the digit's before and
        # the next digit's or the run's own last: the pitch of a few digits read is a
        # pixel off, and over three cells the last one's bars would be off by more)
        step = (ends[j + 1] - start) / (k + 1) if after else (stop - start) / k
        for m in range(k):
            # (no cell reaches back past the right edge before it: the bar there is the
            # digit's before, and read in this cell it makes a 2 an 8)
            x1 = start + (m + 1) * step
            x0 = max(x1 - width, x1 - step + 1)
            if x0 < -1 or x1 > len(lit) + 1:
                return None  # (a digit the strip's edge cuts off reads as another: 9 as 3)
            c0, c1 = _clip(x0, 0, len(lit)), _clip(x1, 0, len(lit))
            on = np.flatnonzero(lit[c0:c1])
            if not len(on):
                return None
            cut.append(((x0, x1), (float(c0 + on[0]), float(c0 + on[-1] + 1))))
        changed = True
        i = j + 1
    if not changed:
        return None
    better = _better_reading(strip, [], cells, whole=[(strip.image, cut)])
    return None if better is cells else better


def _flat_end_reading(
    strip: Strip,
    found: CellRanges,
    cells: list[DecodedCell],
) -> list[DecodedCell] | None:
    """The strip read flattened (top-hat) where that adds digits at an end of the line
    and agrees on every cell both read, else None.

    Light falling off toward one end of a display lifts the ground there over the split
    level: the end digit's run joins that ground and is no cell. Flattened, the ground is
    level again. Only digits added past the line's ends are taken: elsewhere the top-hat
    lifts ghosts and clutter as well (`_lit_margins`)."""
    flat, _binary, refound = _flattened_cells(strip.image, strip.top, strip.bottom)
    if len(refound) <= len(found):
        return None
    mids = [(a + b) / 2 for (a, b), _ink in found]
    hits = [i for i, ((a, b), _ink) in enumerate(refound) if any(a <= m <= b for m in mids)]
    # the cells found before, each once, one after another, and new cells at the ends only
    if len(hits) != len(found) or hits != list(range(hits[0], hits[0] + len(hits))):
        return None
    again = decode_strip(replace(strip, image=flat), refound, reread=False)
    if len(again) != len(refound):
        return None
    shared = again[hits[0] : hits[0] + len(hits)]
    if [c.char for c in shared] != [c.char for c in cells]:
        return None
    added = again[: hits[0]] + again[hits[0] + len(hits) :]
    if not any(c.char.isdigit() and c.confidence >= FLAT_END_CONFIDENCE for c in added):
        return None
    return again


def _flattened_cells(
    img: NDArray[np.uint8], top: float, bottom: float
) -> tuple[NDArray[np.uint8], NDArray[np.uint8], CellRanges]:
    """A strip image flattened (top-hat over half the digit height: bars thinner than that
    kept, the ground's shading gone), its Otsu 0/1 mask and the cells found in it."""
    k = odd((bottom - top) / 2)
    flat = cv2.morphologyEx(img, cv2.MORPH_TOPHAT, np.ones((k, k), np.uint8))
    _t, binary = cv2.threshold(flat, 0, 1, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return flat, binary, find_cells(binary, top, bottom)


def _lit_segments(lit: NDArray[np.bool_]) -> str:
    """The letters (`SEGMENT_ORDER`) of seven lit flags."""
    return "".join(s for s, on in zip(SEGMENT_ORDER, lit, strict=True) if on)


def _code_of(lit: NDArray[np.bool_]) -> str | None:
    """The character of seven lit flags (`SEGMENT_ORDER`), or None for no known code."""
    segs = _lit_segments(lit)
    return CODE_TABLE.get(segment_code(segs)) if segs else None


def _lit_margins(binary: NDArray[np.uint8], top: float, bottom: float) -> bool:
    """Whether a strip's split level lit much of its ground above and below the digits'
    band (`SHADED_MARGIN`): digits on ground shaded across the strip, whose brighter side
    passed the level."""
    hs = binary.shape[0]
    above = binary[: max(0, round(top) - 1)]
    below = binary[min(hs, round(bottom) + 2) :]
    n = above.size + below.size
    return n > 0 and float(above.sum() + below.sum()) > SHADED_MARGIN * n


def _segment_evidence(
    integral: NDArray[np.float64], cells: list[tuple[float, float]], v: NDArray[np.float64],
    lit: NDArray[np.bool_], top: float, bottom: float, thr: float, bg: float, contrast: float,
    t: float,
) -> bool:  # fmt: skip
    """Whether a row looks like a segment display rather than print: unlit bars faintly
    visible (ghosts), or dark gaps where two lit vertical bars meet at mid-height."""
    unlit = v[~lit]
    if unlit.size >= 3:
        rel = (unlit - bg) / contrast
        if small_median(rel) >= 0.1:
            return True
    hs, ws = integral.shape[0] - 1, integral.shape[1] - 1
    hd = bottom - top
    mid = top + hd / 2
    gaps = joints = 0
    for (x0, x1), vv, lm in zip(cells, v, lit, strict=True):
        for a, b, xc in ((1, 2, x1 - t / 2), (5, 4, x0 + t / 2)):  # b-c right, f-e left
            if not (lm[a] and lm[b]) or lm[6]:
                continue
            r0, r1 = _clip(mid - 0.04 * hd, 0, hs - 1), _clip(mid + 0.04 * hd + 1, 1, hs)
            c0, c1 = _clip(xc - t / 2, 0, ws - 1), _clip(xc + t / 2 + 1, 1, ws)
            if r1 <= r0 or c1 <= c0:
                continue
            tot = integral[r1, c1] - integral[r0, c1] - integral[r1, c0] + integral[r0, c0]
            val = float(tot) / ((r1 - r0) * (c1 - c0))
            joints += 1
            gaps += val < bg + 0.75 * (min(vv[a], vv[b]) - bg)
    return joints >= 1 and gaps >= max(1, 0.5 * joints)


def _thickness(
    binary: NDArray[np.uint8], cells: list[tuple[float, float]], lit: NDArray[np.bool_],
    top: float, bottom: float,
) -> float:  # fmt: skip
    """Median thickness of the lit horizontal segments (rows above threshold at mid-cell)."""
    hd = bottom - top
    vals = []
    for (x0, x1), lm in zip(cells, lit, strict=True):
        c0, c1 = int(x0 + 0.35 * (x1 - x0)), int(x0 + 0.65 * (x1 - x0)) + 1
        for s, (ya, yb) in (("a", (-0.05, 0.3)), ("g", (0.3, 0.7)), ("d", (0.7, 1.05))):
            if not lm[SEGMENT_ORDER.index(s)]:
                continue
            r0, r1 = max(0, int(top + ya * hd)), min(binary.shape[0], int(top + yb * hd))
            sub = binary[r0:r1, max(0, c0) : c1]
            if sub.size == 0:  # a cell at the strip's edge
                continue
            col = sub.mean(axis=1) > 0.5
            runs = _runs(col)
            if runs:
                vals.append(max(b - a for a, b in runs))
    return small_median(vals) if vals else 0.14 * hd


def _find_dots(
    f: NDArray[np.float32], cells: list[DecodedCell], top: float, bottom: float,
    thr: float, bg: float, contrast: float, t: float,
) -> list[DecodedCell]:  # fmt: skip
    """Mark the cells followed by a lit decimal point.

    The columns between two cells hold no segment above the baseline band (that is how the
    cells were cut), so lit pixels at the baseline there are a dot, even when blur has fused
    it onto the digit on its left.
    """
    hs, ws = f.shape
    hd = bottom - top
    binary = f > thr
    # blur thins (or thickens) bars at the lit threshold; a dot is about a bar's size
    t = max(t, 0.08 * hd)
    # rows of the lower vertical bars, above the dot: where the digit's right edge is
    l0, l1 = _clip(top + 0.55 * hd, 0, hs - 1), _clip(bottom - 0.25 * hd, 1, hs)
    r0, r1 = _clip(bottom - 1.8 * t, 0, hs - 1), _clip(bottom + 0.6 * t, 1, hs)
    u0, u1 = _clip(top + 0.15 * hd, 0, hs - 1), _clip(bottom - 2.2 * t, 1, hs)
    out = list(cells)
    sides: _DotSides | None = None
    for i in range(len(cells) - 1):
        a, b = cells[i], cells[i + 1]
        if not a.char or a.char in (UNKNOWN, ":"):
            continue
        e0 = _clip(a.ink[1], 0, ws - 1)
        # (the digit's own bar may run on a column past its ink range, rounded: no ink
        # above a dot; the columns right before the next digit are the dot's to look at)
        c1 = _clip(min(b.ink[0], a.ink[1] + 0.45 * hd), 1, ws)
        stop = min(c1 - 2, e0 + max(1, round(0.5 * t)))
        while e0 < stop and u1 > u0 and binary[u0:u1, e0].any():
            e0 += 1
        c0 = e0
        # a dot set tight against its digit (italic faces) lies partly inside the digit's
        # ink range: look from where the digit's lower right bar ends
        xs = _clip(a.ink[0] + 0.5 * (a.ink[1] - a.ink[0]), 0, ws - 1)
        lower = np.flatnonzero(binary[l0:l1, xs:e0].any(axis=0)) if l1 > l0 else []
        if len(lower) and "c" in a.segments:
            c0 = min(e0, xs + int(lower[-1]) + 1)
        elif "b" in a.segments and l0 > u0:
            # no c bar (a 2): its d bar ends the digit where its b bar does, above the dot
            upper = np.flatnonzero(binary[u0:l0, xs:e0].any(axis=0))
            if len(upper):
                c0 = min(e0, xs + int(upper[-1]) + 1)
        if c1 - c0 < 1:
            continue
        ink = binary[r0:r1, c0:c1]
        if "d" in b.segments and c1 == _clip(b.ink[0], 1, ws) and c1 < ws:
            ink = _without_next_bar(ink, binary[r0:r1, c1])
        area = float(ink.sum())
        above = float(binary[u0:u1, e0:c1].sum()) if u1 > u0 and c1 > e0 else 0.0
        if area < DOT_AREA * t * t and above <= 0.15 * t * t:
            # blur spreads a dot, small as it is, below the bars' lit level: a dimmer blob
            # that peaks apart from both digits' edges is still a dot
            win = f[r0:r1, c0:c1]
            cols = win.max(axis=0)
            j = int(np.argmax(cols))
            drop = cols[j] - max(cols[0], cols[-1])
            if 0 < j < len(cols) - 1 and drop >= 0.1 * contrast:
                ink = win > bg + DIM_DOT_LEVEL * (thr - bg)
                area = float(ink.sum())
        if area < DOT_AREA * t * t and above <= 0.15 * t * t and "c" in a.segments and l1 > l0:
            # Blur fuses a dot set tight against its digit's lower right corner into it: no
            # peak apart, but a shoulder at the baseline, brighter than the same columns
            # beside the lower bar just above (a digit's own corner fades as fast there)
            area, ink = _baseline_shoulder(f, (r0, r1), (l0, l1), (c0, c1), thr, bg, contrast, t)
        if area < DOT_AREA * t * t and above <= 0.15 * t * t:
            # Blur fuses a dot set tight after its digit into the digit's lower right
            # corner (and on into the next one's bottom bar): its baseline ink reaches
            # past the bars further than the line's other corners do (measured once per
            # strip, when first needed)
            if sides is None:
                sides = _DotSides.of(f, cells, (r0, r1), (l0, l1), (u0, l0), thr=thr, bg=bg, t=t)
            fused = _fused_dot(sides, i)
            if fused is not None:
                (c0, c1), ink = fused
                area = float(ink.sum())
        if area >= DOT_AREA * t * t and above <= 0.15 * t * t:
            rows = np.flatnonzero(ink.any(axis=1))
            if rows[-1] - rows[0] + 1 > 2.4 * t:
                continue
            cols = np.flatnonzero(ink.any(axis=0))
            if cols[-1] - cols[0] + 1 < DOT_MIN_WIDTH * t <= c1 - c0:
                # (a sliver a column or two wide, in a gap with room for more, is a
                # digit's bar's corner, its own or the next one's: a point is about as
                # wide as a bar is thick, unless glued digits leave it no room)
                continue
            peak = float(f[r0:r1, c0:c1][ink].mean())
            conf = float(min(1.0, (peak - thr) / (0.2 * contrast)))
            out[i] = replace(a, dot=True, dot_confidence=conf)
    return _valley_dot(f, out, (r0, r1), (l0, l1), bg=bg, contrast=contrast)


def _valley_dot(
    f: NDArray[np.float32], cells: list[DecodedCell], base_rows: tuple[int, int],
    side_rows: tuple[int, int], *, bg: float, contrast: float,
) -> list[DecodedCell]:  # fmt: skip
    """Mark the one gap of a line with no point found whose baseline is lit where the
    lower bars' rows are dark: a point that blur spread below every level `_find_dots`
    looks at, or fused into both digits' corners.

    Only between a digit with a lower right bar and one with a lower left bar: there the
    gap's darkest column in the lower bars' rows (`side_rows`) lies between two bars, and
    the baseline rows (`base_rows`) are as dark there unless a point lights them (a 3's
    or 5's bottom bar reaches past its bars above, into the gap before it). A shade or
    an edge across the strip lights every gap's baseline alike: the point must be the
    only such gap.

    Args:
        f: HxW float strip, lit high.
        cells: the decoded cells, left to right.
        base_rows, side_rows: row ranges (start, stop) of the baseline band and of the
            lower bars above it.
        bg, contrast: the strip's ground level and its lit bars' contrast over it.

    Returns:
        `cells`, with the gap's left cell marked (dot confidence 0: below any point lit
        at the bars' level), or unchanged.
    """
    (r0, r1), (l0, l1) = base_rows, side_rows
    ws = f.shape[1]
    if r1 <= r0 or l1 <= l0 or contrast <= 0 or any(c.dot for c in cells[:-1]):
        return cells
    base = (f[r0:r1].max(axis=0) - bg) / contrast
    side = (f[l0:l1].max(axis=0) - bg) / contrast
    found: list[tuple[float, float, int]] = []
    for i, (a, b) in enumerate(pairwise(cells)):
        if not (a.char.isdigit() and b.char.isdigit() and "c" in a.segments and "e" in b.segments):
            continue
        # the lower right bar of a and the lower left bar of b: the brightest columns of
        # the lower bars' rows in a's right half and b's left half
        am, ae = _clip((a.ink[0] + a.ink[1]) / 2, 0, ws - 1), _clip(a.ink[1] + 1, 1, ws)
        bs, bm = _clip(b.ink[0], 0, ws - 1), _clip((b.ink[0] + b.ink[1]) / 2, 1, ws)
        if ae <= am or bm <= bs:
            continue
        pa, pb = am + int(np.argmax(side[am:ae])), bs + int(np.argmax(side[bs:bm]))
        if pb - pa < 3:
            continue
        k = pa + int(np.argmin(side[pa : pb + 1]))
        found.append((float(base[k] - side[k]), float(base[k]), i))
    if not found:
        return cells
    lift, level, i = max(found)
    if lift < VALLEY_DOT or level < VALLEY_DOT_LEVEL:
        return cells
    if any(g >= VALLEY_DOT_OTHERS for g, _l, j in found if j != i):
        return cells
    out = list(cells)
    out[i] = replace(cells[i], dot=True, dot_confidence=0.0)
    return out


def _without_next_bar(ink: NDArray[np.bool_], first: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """The lit baseline pixels between two digits (`ink`, rows x columns), without the run
    of columns that goes on into the next digit's first column (`first`, its rows): the
    left end of that digit's bottom bar, which reaches left of its cell's ink range in
    italic faces (a 3's, 5's or 2's: '63' read '6.3'), standing apart from the digit on the
    left. A dot stands apart from it."""
    if not first.any():
        return ink
    lit = ink.any(axis=0)
    k = len(lit)
    while k > 0 and lit[k - 1]:
        k -= 1
    if k in (0, len(lit)):
        # (lit from digit to digit: blur fused them and a dot between, `_fused_dot`'s)
        return ink
    out = ink.copy()
    out[:, k:] = False
    return out


# --------------------------------------------------------------------------------------------
# The hook
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _DotSides:
    """A decoded strip's digits' bar edges at the dim dot level, for dots fused into them.

    Column masks (length W, lit at `level`): `base` the baseline rows', `lower` the lower
    vertical bars' rows', `upper` the rows above those; `base_f` (rows x W float) and
    `base_lit` (its mask) are the baseline rows themselves. `edges[i]`: digit i's left edge
    of its lower left bar and right edge of its lower right bar (None where it has no such
    bar); `reach[i]`: how far the baseline ink runs on past each of those edges. `t` is the
    bar thickness; `peak_level` the least peak of a lit dot (just under the lit threshold).
    """

    base_f: NDArray[np.float32]
    base_lit: NDArray[np.bool_]
    base: NDArray[np.bool_]
    lower: NDArray[np.bool_]
    upper: NDArray[np.bool_]
    cells: tuple[DecodedCell, ...]
    edges: tuple[tuple[int | None, int | None], ...]
    reach: tuple[tuple[int, int], ...]
    t: float
    peak_level: float

    @classmethod
    def of(
        cls, f: NDArray[np.float32], cells: list[DecodedCell], base_rows: tuple[int, int],
        side_rows: tuple[int, int], upper_rows: tuple[int, int], *, thr: float, bg: float,
        t: float,
    ) -> _DotSides:  # fmt: skip
        """Measured in a strip `f` (HxW float) between `bg` and the lit threshold `thr`."""
        (r0, r1), (l0, l1), (u0, u1) = base_rows, side_rows, upper_rows
        ws = f.shape[1]
        level = bg + DIM_DOT_LEVEL * (thr - bg)
        base_lit = f[r0:r1] > level
        base = base_lit.any(axis=0)
        lower = (f[l0:l1] > level).any(axis=0) if l1 > l0 else np.zeros(ws, bool)
        upper = (f[u0:u1] > level).any(axis=0) if u1 > u0 else np.zeros(ws, bool)
        edges, reach = [], []
        for c in cells:
            x0, x1 = _clip(c.ink[0], 0, ws - 1), _clip(c.ink[1], 1, ws)
            mid = _clip(c.ink[0] + 0.5 * (c.ink[1] - c.ink[0]), x0 + 1, x1)
            left, right = np.flatnonzero(lower[x0:mid]), np.flatnonzero(lower[mid:x1])
            el = x0 + int(left[0]) if len(left) and "e" in c.segments else None
            er = mid + int(right[-1]) + 1 if len(right) and "c" in c.segments else None
            # (a bar's glow may run on past the cell's ink range)
            while el is not None and el > 0 and lower[el - 1]:
                el -= 1
            while er is not None and er < ws and lower[er]:
                er += 1
            rl = rr = 0
            while el is not None and el - rl > 0 and base[el - rl - 1]:
                rl += 1
            while er is not None and er + rr < ws and base[er + rr]:
                rr += 1
            edges.append((el, er))
            reach.append((rl, rr))
        return cls(f[r0:r1], base_lit, base, lower, upper, tuple(cells), tuple(edges),
                   tuple(reach), t, thr - 0.1 * (thr - bg))  # fmt: skip

    def typical(self, side: int, skip: int) -> int:
        """The median reach on one side (0 left, 1 right) of the line's digits with a
        bottom bar and a lower bar on that side, digit `skip` left out; a quarter of a
        bar thickness where there is none such (corners are as sharp as the bars)."""
        bar = "e" if side == 0 else "c"
        # (a reach past 2.5 bar thicknesses is no corner: the ink joins the next glyph)
        r = [self.reach[k][side] for k, c in enumerate(self.cells)
             if k != skip and "d" in c.segments and bar in c.segments
             and self.edges[k][side] is not None
             and self.reach[k][side] <= 2.5 * self.t]  # fmt: skip
        return int(np.median(r)) if r else round(0.25 * self.t)


def _fused_dot(sides: _DotSides, i: int) -> tuple[tuple[int, int], NDArray[np.bool_]] | None:
    """A dot blur fused into digit i's lower right corner (and maybe on into the left end
    of digit i + 1's bottom bar): baseline ink between the two digits' lower bars, from the
    left one's, lit (`peak_level`), and reaching past the bars it touches by 0.5-2.5 bar
    thicknesses more than the line's other corners do. Only between digits that show a
    display's evidence (printed digits read as segments have feet and serifs there).

    Returns:
        ((c0, c1) strip columns, its mask over the baseline rows x c0:c1), or None.
    """
    a, b = sides.cells[i], sides.cells[i + 1]
    t = sides.t
    if not b.char.isdigit() or not (a.evidence and b.evidence):
        return None
    c0 = sides.edges[i][1]
    if c0 is None and "b" in a.segments:
        # no lower right bar (a 2): its bottom bar ends under its upper right one
        x0, x1 = int(a.ink[0] + 0.5 * (a.ink[1] - a.ink[0])), int(a.ink[1])
        lit = np.flatnonzero(sides.upper[x0:x1])
        c0 = x0 + int(lit[-1]) + 1 if len(lit) else None
    if c0 is None:
        return None
    c1 = sides.edges[i + 1][0]
    if c1 is None:
        # no lower left bar: the dot ends before b's first lit column above the baseline
        # (a 3's, 5's or 9's bottom bar may start left of its bars above: one column more)
        x0, x1 = max(c0, int(b.ink[0])), int(b.ink[1])
        ref = sides.upper[x0:x1] if "d" in b.segments else np.zeros(max(0, x1 - x0), bool)
        lit = np.flatnonzero(ref | sides.lower[x0:x1])
        if not len(lit):
            return None
        c1 = x0 + int(lit[0]) - (1 if "d" in b.segments else 0)
    if c1 - c0 < 0.5 * t:
        return None
    runs = _runs(sides.base[c0:c1] & ~sides.lower[c0:c1])
    if not runs:
        return None
    s0, s1 = max(runs, key=lambda r: r[1] - r[0])
    if s0 > 0:
        # a dot apart from the left digit is `_find_dots`' own, or no dot: a printed 2's
        # foot reaches left of its diagonal (a dot follows its digit closely)
        return None
    at_b = s1 == c1 - c0
    if at_b and sides.edges[i + 1][0] is None:
        return None  # the left end of a 3's, 5's or 9's bottom bar, or a 1's foot
    # what a digit's own corner reaches is no dot
    width = s1 - s0
    if "d" in a.segments:
        width -= sides.typical(1, i)
    if at_b and "d" in b.segments:
        width -= sides.typical(0, i + 1)
    if width < max(0.5 * t, 3) or s1 - s0 > 2.5 * t:
        return None
    # an unlit (ghost) dot between the cells peaks below the lit level, blurred or not
    if sides.base_f[:, c0 + s0 : c0 + s1].max() < sides.peak_level:
        return None
    ink = np.zeros((sides.base_lit.shape[0], c1 - c0), bool)
    ink[:, s0:s1] = sides.base_lit[:, c0 + s0 : c0 + s1]
    return (c0, c1), ink


def _baseline_shoulder(
    f: NDArray[np.float32], base_rows: tuple[int, int], side_rows: tuple[int, int],
    cols: tuple[int, int], thr: float, bg: float, contrast: float, t: float,
) -> tuple[float, NDArray[np.bool_]]:  # fmt: skip
    """A dot's ink as a shoulder of a digit's corner: the columns from `cols[0]` (the lower
    right bar's edge) on where the baseline rows' peak exceeds the lower bar rows' by 0.3 of
    the contrast, a run starting at the edge, 0.5-2.5 bar thicknesses `t` wide and ending
    before the next digit. Returns (its lit area, its mask over base_rows x cols), (0, an
    empty mask) where there is none."""
    (r0, r1), (l0, l1), (c0, c1) = base_rows, side_rows, cols
    ink = np.zeros((r1 - r0, c1 - c0), bool)
    excess = f[r0:r1, c0:c1].max(axis=0) - f[l0:l1, c0:c1].max(axis=0)
    runs = _runs(excess >= 0.3 * contrast)
    if not runs:
        return 0.0, ink
    s0, s1 = max(runs, key=lambda r: r[1] - r[0])
    if s0 > 1 or not 0.5 * t <= s1 - s0 <= 2.5 * t or s1 >= len(excess) - 1:
        return 0.0, ink
    ink[:, s0:s1] = f[r0:r1, c0 + s0 : c0 + s1] > bg + 0.5 * (thr - bg)
    return float(ink.sum()), ink


def _to_frame_box(minv: NDArray[np.float64], x0: float, y0: float, x1: float, y1: float) -> Box:
    p = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64).reshape(-1, 1, 2)
    q = cv2.perspectiveTransform(p, minv).reshape(-1, 2)
    bx0, by0 = np.floor(q.min(axis=0))
    bx1, by1 = np.ceil(q.max(axis=0))
    return Box(int(bx0), int(by0), max(1, int(bx1 - bx0)), max(1, int(by1 - by0)))


def line_from_cells(
    cells: list[DecodedCell], strip: Strip, *, n_clusters_x: tuple[float, float] | None = None,
    short_line: bool = False, trusted: bool = False,
) -> tuple[Box, tuple[Glyph, ...], float] | None:  # fmt: skip
    """Glyphs and score of a decoded strip, or None when it does not read as a display.

    Leading blank cells give nothing; a cell left of the first cluster (`n_clusters_x`, the
    strip x-range the row's clusters cover) is kept only as a '-'. A single digit is no
    reading among `LONE_AMONG_UNKNOWN` undecoded cells, and needs
    evidence of a display (ghosts, gaps between bars) or to be a `short_line` beside one
    (or in a display window), where a longer line also needs less confidence
    (`WINDOW_LINE_CONFIDENCE`). A line without such evidence scores less
    (`NO_EVIDENCE_FACTOR`) unless `trusted` (the frame is known to show a display).
    """
    minv = np.linalg.inv(strip.m)
    top, bottom = strip.top, strip.bottom
    hd = bottom - top
    # trim blank/unknown cells at both ends; a cell outside the clusters must be a minus
    cs = list(cells)
    if n_clusters_x is not None:
        lo = n_clusters_x[0]
        inside = [c.cell[1] > lo + 0.1 * hd for c in cs]
        # (or, before a number of `OUTSIDE_MIN_DIGITS` digits, a digit of four segments or
        # more decoded with confidence: a window's edge or clutter's lines beside the line
        # light a bar or three, a 1 or a 7 at most; the display's first digit touching its
        # window's edge was no cluster of the row. Beside a digit or two, a word's round
        # letter in a frame reads as a 0 all too easily.)
        number = sum(1 for c, i in zip(cs, inside, strict=True) if i and c.char.isdigit())
        cs = [
            c
            for c, i in zip(cs, inside, strict=True)
            if i
            or c.char == "-"
            or (
                number >= OUTSIDE_MIN_DIGITS
                and len(c.segments) >= OUTSIDE_MIN_SEGMENTS
                and c.confidence >= OUTSIDE_CONFIDENCE
            )
        ]
    # (a colon stands between digits: one at an end is two specks of clutter)
    while cs and (
        not cs[0].char or cs[0].char == ":" or (cs[0].char == UNKNOWN and cs[0].confidence < 0.2)
    ):
        cs.pop(0)
    while cs and (not cs[-1].char or cs[-1].char in (UNKNOWN, ":")):
        cs.pop()
    if not cs:
        return None
    if [c.char for c in cs] == ["1"] and any(c.char == UNKNOWN for c in cells):
        return None  # a lone bar beside a blob: a window's edge beside what it shows
    if len(cs) == 1 and sum(c.char == UNKNOWN for c in cells) >= LONE_AMONG_UNKNOWN:
        return None  # a lone digit among blobs: a bezel's or clutter's strip
    if any(not c.char for c in cs):  # a blank cell inside a number: not a display reading
        return None
    digits = [c for c in cs if c.char not in (*SIGNS, UNKNOWN)]
    unknown = sum(1 for c in cs if c.char == UNKNOWN)
    if not digits or unknown > max(0, len(cs) // 4):
        return None
    if "-" in [c.char for c in cs[1:]]:
        return None
    confs = np.array([c.confidence for c in cs if c.char not in SIGNS])
    mean_conf = float(confs.mean())
    need = 0.55 if len(digits) >= 3 else 0.7 if len(digits) == 2 else 0.85
    if short_line and len(digits) >= 3:
        need = WINDOW_LINE_CONFIDENCE
    evidence = all(c.evidence for c in cs)
    if short_line and evidence and len(digits) == 1:
        need = WINDOW_DIGIT_CONFIDENCE
    if mean_conf < need:
        return None
    # (after the line's confidence is judged: a squeezed 1 still counts against clutter)
    cs = _without_squeezed_ones(cs)
    digits = [c for c in cs if c.char not in (*SIGNS, UNKNOWN)]
    if len(digits) <= 2 and all(c.char == "1" for c in digits) and not (short_line or evidence):
        return None  # a bar or two (a frame's edges, clutter) is not a reading
    if len(digits) == 1 and not (short_line or evidence):
        return None  # a lone bar or hook of clutter decodes as a 7 or a 4 all too easily
    ones = sum(1 for c in digits if c.char == "1")
    if unknown and ones >= 3 and ones >= 0.75 * len(digits):
        return None  # a comb of bars (a ruler, a grille, hatching) with a blob among them
    # A row with no display evidence is accepted on its decoding alone but scores and
    # claims less, so the printed reader wins where it reads the same place (unless the
    # frame is known to show a display).
    factor = 1.0 if trusted or evidence else NO_EVIDENCE_FACTOR
    # A point after a minus, before any digit, is no number's: glare or a ghost.
    cs = [replace(c, dot=False) if c.dot and c.char == "-" else c for c in cs]
    # A number has one decimal point: of several dots found, the clearest is the point
    # (the others are glare, dust or the gap between glyphs of a printed line).
    dots = [c for c in cs[:-1] if c.dot]
    if len(dots) > 1:
        best = max(dots, key=lambda c: c.dot_confidence)
        cs = [c if c is best or not c.dot else replace(c, dot=False) for c in cs]
    glyphs: list[Glyph] = []
    for c in cs:
        x0, x1 = c.cell
        box = _to_frame_box(minv, x0, top, x1, bottom)
        if c.char in SIGNS:
            glyphs.append(Glyph(box, c.char, MARK_CONFIDENCE, ((c.char, MARK_CONFIDENCE),),
                                GlyphKind.MARK))  # fmt: skip
        else:
            conf = c.confidence * factor
            cands = ((c.char, round(conf, 4)),)
            glyphs.append(Glyph(box, c.char, conf, cands, GlyphKind.SEGMENTS))
        if c.dot and c is not cs[-1]:
            dx = x1 + 0.02 * hd
            dbox = _to_frame_box(minv, dx, bottom - 0.15 * hd, dx + 0.15 * hd, bottom)
            glyphs.append(Glyph(dbox, ".", MARK_CONFIDENCE, ((".", MARK_CONFIDENCE),),
                                GlyphKind.MARK))  # fmt: skip
    xs = [g.box.x for g in glyphs] + [g.box.x2 for g in glyphs]
    ys = [g.box.y for g in glyphs] + [g.box.y2 for g in glyphs]
    bbox = Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    hmed = small_median([g.box.h for g in glyphs if g.kind is GlyphKind.SEGMENTS])
    # Marks and digits all count: the segment reader decided each from the line's geometry.
    # An undecoded cell counts against the line: where another reading of the same place
    # decodes every cell, the '?' is a cell cut wrong, not a digit the other missed.
    n_marks = sum(1 for g in glyphs if g.kind is GlyphKind.MARK)
    known = float(sum(c.confidence for c in cs if c.char not in (*SIGNS, UNKNOWN)))
    score = (factor * known + 0.5 * MARK_CONFIDENCE * n_marks - UNKNOWN_COST * unknown) * float(
        np.sqrt(hmed)
    )
    return bbox, tuple(glyphs), score


def _without_squeezed_ones(cells: list[DecodedCell]) -> list[DecodedCell]:
    """Decoded cells without a '1' squeezed between two digits: its cell under
    `SQUEEZED_ONE` of the other digits' median cell width, decoded under
    `SQUEEZED_ONE_CONFIDENCE` (a display's 1 fills a cell of the line's pitch; a narrow
    one between two digits is a cut taken from a neighbour's bars: '080.06' read
    '0810.06')."""
    widths = [c.cell[1] - c.cell[0] for c in cells if c.char.isdigit() and c.char != "1"]
    if len(widths) < 2:
        return cells
    narrow = SQUEEZED_ONE * small_median(widths)

    def squeezed(i: int) -> bool:
        c = cells[i]
        return (
            c.char == "1"
            and 0 < i < len(cells) - 1
            and cells[i - 1].char.isdigit()
            and cells[i + 1].char.isdigit()
            and c.cell[1] - c.cell[0] < narrow
            and c.confidence < SQUEEZED_ONE_CONFIDENCE
        )

    return [c for i, c in enumerate(cells) if not squeezed(i)]


def read_row(
    gray: NDArray[np.uint8], row: SegmentRow, *, trusted: bool = False
) -> tuple[Box, tuple[Glyph, ...], float] | None:
    """Rectify, cut and decode one row; None when it does not read as a display.

    `trusted`: the frame is known to show a display (see `line_from_cells`).
    """
    strip = rectify_row(gray, row)
    cells = decode_strip(strip) if strip is not None else []
    if not cells and _slant_tilted(row):
        # Taken level (`rectify_row`), a lone digit's row that finds no cell is read at
        # its fitted tilt, kept where that reads a digit other than a 1: a display window
        # warped from a skewed quad leaves its digits tilted, and there the fitted tilt is
        # the digits' (a bar of clutter, read level, rightly reads nothing).
        fitted = rectify_row(gray, row, level=False)
        again = decode_strip(fitted) if fitted is not None else []
        if any(c.char.isdigit() and c.char != "1" for c in again):
            strip, cells = fitted, again
    if strip is None:
        return None
    if abs(strip.height_slope) >= HEIGHT_SLOPE_RETRY and any(c.char == UNKNOWN for c in cells):
        # The height change along the row is fitted to its full-height digits; a 7 has no
        # bottom bar and a 4 no top or bottom bar, so beside them two digits may tell a
        # change that is not there, and the strip blows the later digits up. Where that
        # leaves a cell unread, the row is read again at one height.
        flat = rectify_row(gray, row, height_slope=False)
        again = decode_strip(flat) if flat is not None else []
        unread = sum(c.char == UNKNOWN for c in cells)
        if flat is not None and again and sum(c.char == UNKNOWN for c in again) < unread:
            strip, cells = flat, again
    if not cells:
        return None
    narrowed = _row_on_digits(row, strip, cells)
    if narrowed is not None:
        # Clutter chained into the row tilts its fitted lines: the digits found are
        # rectified again on their own points, and that reading kept where it is clearly
        # better (the row's own extent still bounds the line).
        strip2 = rectify_row(gray, narrowed)
        again = decode_strip(strip2) if strip2 is not None else []
        if strip2 is not None and _cells_merit(again) >= _cells_merit(cells) + NARROW_GAIN:
            strip, cells = strip2, again
    # (in a display window only: frame-wide, printed digits read as a display's, and
    # read further, outscore their own reading)
    longer = _extended_reading(gray, row, strip, cells) if row.short_line else None
    if longer is not None:
        strip, cells = longer
    # the strip x-range covered by the row's clusters
    c = row.clusters
    p = np.array([[c[:, 0].min(), c[:, 1].mean() + c[:, 3].mean() / 2]], np.float64)
    q = cv2.perspectiveTransform(p.reshape(-1, 1, 2), strip.m).reshape(-1, 2)
    line = line_from_cells(cells, strip, n_clusters_x=(float(q[0, 0]) - 0.3 * STRIP_DIGIT_PX,
                                                       float("inf")),
                           short_line=row.short_line, trusted=trusted)  # fmt: skip
    if line is None:
        return None
    digits = [g for g in line[1] if g.kind is GlyphKind.SEGMENTS]
    if len(digits) == 1 and digits[0].box.cx >= float((c[:, 0] + c[:, 2]).max()):
        return None  # a lone digit past the row's clusters: the strip's end, an edge
    if line[1][0].char == "-":
        return line
    first = next(c for c in cells if c.char.isdigit())
    minus = _far_minus(gray, strip, first.cell, row.polarity)
    return line if minus is None else (line[0], (minus, *line[1]), line[2])


def _digits_of(cells: list[DecodedCell]) -> str:
    """The digits a strip's cells read, in order."""
    return "".join(c.char for c in cells if c.char.isdigit())


def _extended_reading(
    gray: NDArray[np.uint8], row: SegmentRow, strip: Strip, cells: list[DecodedCell]
) -> tuple[Strip, list[DecodedCell]] | None:
    """The row read again reaching `EXTEND` row heights further right where its cells'
    ink runs to the strip's right end (`EXTEND_EDGE`), where that reads the same digits
    and more after them, each sure (`EXTEND_CONFIDENCE`) and not all 1s (a bezel's edge
    reads as a 1); else None. The row's clusters give the strip's extent, and a digit
    glued to the bezel or washed out by glare is no cluster: "94959640" read "949596".
    (Leftward, a 1's serif and a point from its foot read as "7." before a bold number.)"""
    inked = [c for c in cells if c.char]
    hd = strip.bottom - strip.top
    if not inked or inked[-1].ink[1] < strip.image.shape[1] - EXTEND_EDGE * hd:
        return None
    c = row.clusters
    k = int(np.argmax(c[:, 0] + c[:, 2]))
    end = np.array([[c[k, 0] + c[k, 2] + EXTEND * row.height, c[k, 1], 1.0, c[k, 3]]])
    strip2 = rectify_row(gray, replace(row, clusters=np.vstack([c[:, :4], end])))
    if strip2 is None:
        return None
    again = decode_strip(strip2)
    old, new = _digits_of(cells), _digits_of(again)
    if not old or not new.startswith(old) or len(new) == len(old):
        return None
    added = [d for d in again if d.char.isdigit()][len(old) :]
    if any(d.confidence < EXTEND_CONFIDENCE for d in added) or all(d.char == "1" for d in added):
        return None
    return strip2, again


def _row_on_digits(row: SegmentRow, strip: Strip, cells: list[DecodedCell]) -> SegmentRow | None:
    """The row cut to the frame columns of the cells read as digits (`NARROW_MARGIN`
    digit heights of margin), or None when no cluster lies outside them or too little
    is left."""
    digits = [c.cell for c in cells if c.char.isdigit()]
    if len(digits) < 2:  # (one digit says little of the row's slope)
        return None
    mid = (strip.top + strip.bottom) / 2
    pts = np.array([[[digits[0][0], mid]], [[digits[-1][1], mid]]], np.float64)
    fx = cv2.perspectiveTransform(pts, np.linalg.inv(strip.m)).reshape(-1, 2)[:, 0]
    h = row.height
    x0, x1 = float(fx.min()) - NARROW_MARGIN * h, float(fx.max()) + NARROW_MARGIN * h
    c = row.clusters
    cx = c[:, 0] + c[:, 2] / 2
    inside = (cx >= x0) & (cx <= x1)
    if inside.all() or not inside.any():
        return None
    keep_t = (row.points_top[:, 0] >= x0) & (row.points_top[:, 0] <= x1)
    keep_b = (row.points_bottom[:, 0] >= x0) & (row.points_bottom[:, 0] <= x1)
    if keep_t.sum() < 2 or keep_b.sum() < 2:
        return None
    return replace(row, clusters=c[inside], points_top=row.points_top[keep_t],
                   points_bottom=row.points_bottom[keep_b])  # fmt: skip


def _cells_merit(cells: list[DecodedCell]) -> float:
    """How well a strip's cells read: digits' confidences, less an unreadable cell's cost."""
    return sum(c.confidence if c.char.isdigit() else -UNKNOWN_COST if c.char == UNKNOWN
               else 0.0 for c in cells)  # fmt: skip


def _far_minus(
    gray: NDArray[np.uint8], strip: Strip, cell: tuple[float, float], polarity: Polarity
) -> Glyph | None:
    """A minus sign in a display's leftmost cell, blank cells away from its first digit
    (`cell`, strip x-range): beyond the strip, which reaches a cell's width or so to the
    left. The strip's own mapping is carried on to the left; the minus must be the only
    lit thing there, a bar at mid-height a cell wide at most."""
    hd = strip.bottom - strip.top
    reach = MINUS_REACH * hd
    x0, x1 = cell
    shift = np.float64([[1, 0, reach - x0], [0, 1, 0], [0, 0, 1]])
    m = shift @ strip.m
    hs = strip.image.shape[0]
    area = cv2.warpPerspective(gray, m, (round(reach + (x1 - x0)), hs), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
    if polarity is Polarity.DARK_ON_LIGHT:
        area = 255 - area
    # split at the level of the first digit's bars and the ground around (Otsu over both)
    split, binary = cv2.threshold(area, 0, 1, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    left = binary[:, : round(reach - 0.15 * hd)]
    n, lab, st, _c = cv2.connectedComponentsWithStats(left, connectivity=8)
    ids = np.arange(1, n)
    keep = st[1:n, 4] >= 0.01 * hd * hd
    st, ids = st[1:n][keep], ids[keep]
    # what runs on past the area's left edge is the bezel or the scene beyond the window;
    # what stands taller than the digits is the window's edge: a minus lies right of it,
    # inside the window, and nothing else lit besides
    inner = st[:, 0] > 0
    st, ids = st[inner], ids[inner]
    tall = st[:, 3] > FAR_MINUS_EDGE * hd
    edge_ids, st, ids = ids[tall], st[~tall], ids[~tall]
    if len(st) != 1:
        return None
    # (the window's edge may be its whole frame, whose top and bottom run on over the
    # minus: right of the minus in the minus's own rows, it lies nowhere)
    x, y, w, h = (int(v) for v in st[0, :4])
    mid = (strip.top + strip.bottom) / 2
    if not (h <= 0.3 * hd and 0.2 * hd <= w <= 0.7 * hd and abs(y + h / 2 - mid) <= 0.15 * hd):
        return None
    if np.isin(lab[y : y + h, x:], edge_ids).any():
        return None
    # a minus is lit as the digit's bars are (at its peak: a small one blurs): a ghost
    # cell's middle bar, left over of its unlit segments that Otsu's split (ghosts and
    # ground) lifts, is dimmer
    digit = area[:, round(reach) :][binary[:, round(reach) :] > 0]
    bar = area[:, : left.shape[1]][lab == ids[0]]
    peak = float(np.percentile(bar, 90))
    if len(digit) and peak < split + FAR_MINUS_LEVEL * (float(np.median(digit)) - split):
        return None
    box = _to_frame_box(np.linalg.inv(m), x, y, x + w, y + h)
    return Glyph(box, "-", MARK_CONFIDENCE, (("-", MARK_CONFIDENCE),), GlyphKind.MARK)


def brightest_channel(image: NDArray[Any]) -> NDArray[np.uint8] | None:
    """Per-pixel maximum over the B, G, R channels, denoised like the pipeline's gray.

    A lit red or blue LED segment is at full level in its own channel but dim in gray
    (blue weighs 0.11 there), so light-on-dark segments are looked for in this image.

    Args:
        image: HxWx3 (BGR) or HxWx4 (BGRA) uint8; anything else gives None.

    Returns:
        HxW uint8, or None when the image is not 8-bit colour.
    """
    if image.ndim != 3 or image.shape[2] < 3 or image.dtype != np.uint8:
        return None
    m = cv2.max(cv2.max(image[:, :, 0], image[:, :, 1]), image[:, :, 2])
    return cv2.GaussianBlur(m, (3, 3), 0)


def find_windows(gray: NDArray[np.uint8], *, plain: bool = True) -> list[NDArray[np.float32]]:
    """Display windows (or whole displays): convex quadrilaterals outlined by edges, and
    plain dark or light ones.

    A display sits in a bezel and shows its digits in a plain window; both are four-sided
    outlines that perspective keeps four-sided. Reading inside one, with its own threshold,
    finds digits that the frame-wide search loses to clutter or glues to the bezel. Edges
    are looked for at half size (fast), where a small display's outline dissolves into
    its digits' and a textured ground's edges: windows that are plain once their strokes
    are taken away (`plain_windows`) are added.

    Args:
        gray: HxW uint8, denoised.
        plain: add the plain windows (`plain_windows`).

    Returns:
        Up to `MAX_WINDOWS` outlined quads at least `WIDE_WINDOW` as wide as tall,
        largest first, then up to `MAX_TALL_WINDOWS` narrower outlined ones, then up to
        `MAX_PLAIN_WINDOWS` plain ones that are not among them, 4 x 2 float32 (top-left,
        top-right, bottom-right, bottom-left) in frame coordinates; nearly identical ones
        once.
    """
    hh, ww = gray.shape
    f = 2 if min(hh, ww) >= 200 else 1
    small = cv2.resize(gray, (ww // f, hh // f), interpolation=cv2.INTER_AREA) if f > 1 else gray
    edges = cv2.dilate(cv2.Canny(small, 30, 90), np.ones((3, 3), np.uint8))
    out = _wide_then_tall(_quads(edges, f, min_aspect=TALL_WINDOW))
    return out + plain_windows(gray, out) if plain else out


def _wide_then_tall(found: list[tuple[float, NDArray[np.float32]]]) -> list[NDArray[np.float32]]:
    """Up to `MAX_WINDOWS` distinct wide quads, largest first, then up to
    `MAX_TALL_WINDOWS` narrower ones."""
    wide = [(a, q) for a, q in found if _quad_aspect(q) >= WIDE_WINDOW]
    out = _distinct(wide, MAX_WINDOWS)
    # one-digit displays' windows, besides (clutter's tall outlines must not crowd out
    # the displays' own)
    tall = [(a, q) for a, q in found if _quad_aspect(q) < WIDE_WINDOW]
    return out + _distinct(tall, MAX_TALL_WINDOWS, besides=out)


def soft_windows(gray: NDArray[np.uint8]) -> list[NDArray[np.float32]]:
    """Outlined windows looked for at a quarter of the frame's size (as `find_windows`'s
    at half): a defocused display's outline is too soft for the edge finder at half size;
    at a quarter its blur is half as wide, and its edges are found."""
    hh, ww = gray.shape
    if min(hh, ww) < 400:
        return []
    tiny = cv2.resize(gray, (ww // 4, hh // 4), interpolation=cv2.INTER_AREA)
    edges = cv2.dilate(cv2.Canny(tiny, 30, 90), np.ones((3, 3), np.uint8))
    return _wide_then_tall(_quads(edges, 4, min_aspect=TALL_WINDOW))


def plain_windows(
    gray: NDArray[np.uint8],
    outlined: list[NDArray[np.float32]],
    *,
    found: list[tuple[float, NDArray[np.float32]]] | None = None,
) -> list[NDArray[np.float32]]:
    """Windows plain dark (or light) once thin lit (or dark) strokes are opened away: up
    to `MAX_PLAIN_WINDOWS`, the largest that are not among the `outlined` ones (`found`:
    `_plain_quads(gray)`, when computed already)."""
    found = _plain_quads(gray) if found is None else found
    small = [(a, q) for a, q in found if _quad_height(q) <= PLAIN_MAX_H]
    return _distinct(small, MAX_PLAIN_WINDOWS, besides=outlined)


def large_plain_windows(
    gray: NDArray[np.uint8],
    taken: list[NDArray[np.float32]],
    *,
    found: list[tuple[float, NDArray[np.float32]]] | None = None,
) -> list[NDArray[np.float32]]:
    """The largest window over `PLAIN_MAX_H` high that is plain dark or light once
    strokes are closed (opened) away, not one of `taken`, as a list of at most one quad
    (`found`: `_plain_quads(gray)`, when computed already).

    A large display's glass whose outline the edge finder lost (its digits, near the rim,
    joined to it; blur): its strokes are wider than the kernel, but it is the glass's outer
    outline that is found, the digits being holes in it."""
    found = _plain_quads(gray) if found is None else found
    large = [(a, q) for a, q in found if _quad_height(q) > PLAIN_MAX_H]
    return _distinct(large, 1, besides=taken)


def _plain_quads(gray: NDArray[np.uint8]) -> list[tuple[float, NDArray[np.float32]]]:
    """(area, quad) of the window-like outlines in `gray` plain dark or light once thin
    lit or dark strokes are opened (closed) away."""
    k = np.ones((PLAIN_STROKE, PLAIN_STROKE), np.uint8)
    found: list[tuple[float, NDArray[np.float32]]] = []
    for op in (cv2.MORPH_OPEN, cv2.MORPH_CLOSE):
        flat = cv2.morphologyEx(gray, op, k)
        if op == cv2.MORPH_OPEN:  # dark windows: lit strokes gone
            flat = cv2.bitwise_not(flat)
        mask = cv2.adaptiveThreshold(flat, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY,
                                     PLAIN_BLOCK, -PLAIN_OFFSET)  # fmt: skip
        found += _quads(mask, 1)
    return found


def _quad_aspect(q: NDArray[np.float32]) -> float:
    """A quad's mean width over its mean height (corners ordered as `_corner_order`)."""
    w = float(np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2
    return w / max(_quad_height(q), 1e-6)


def _quad_height(q: NDArray[np.float32]) -> float:
    """Mean length of a quad's left and right sides (corners ordered as `_corner_order`)."""
    return float(np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])) / 2


def _quads(
    mask: NDArray[np.uint8], f: int, *, min_aspect: float = WIDE_WINDOW
) -> list[tuple[float, NDArray[np.float32]]]:
    """(area, quad) of the window-like outlines in a mask made at 1/f of the frame's size,
    at least `min_aspect` times as wide as tall: four-sided convex outlines, and the hull
    of a hole that is no quad but fills `HOLE_SOLIDITY` of it (digits whose edges join the
    glass's from inside; where a line running on from the bezel spoils the outline's
    outside too, the glass was found in no other way)."""
    contours, tree = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    area_min, area_max = 0.002 * mask.size, 0.7 * mask.size
    found: list[tuple[float, NDArray[np.float32]]] = []
    for i, c in enumerate(contours):
        a = cv2.contourArea(c)
        if not area_min <= a <= area_max:
            continue
        p = cv2.approxPolyDP(c, 0.04 * cv2.arcLength(c, True), True)
        if (len(p) != 4 or not cv2.isContourConvex(p)) and tree[0][i][3] >= 0:
            # a hole's outline: digits touching the glass's edge make it no quad, but
            # the quad round it is the glass (their strokes lie inside)
            hull = cv2.convexHull(c)
            hull_area = cv2.contourArea(hull)
            if a >= HOLE_SOLIDITY * hull_area:
                p = cv2.approxPolyDP(hull, 0.04 * cv2.arcLength(hull, True), True)
                a = hull_area
        if len(p) != 4 or not cv2.isContourConvex(p):
            continue
        _c, (rw, rh), _a = cv2.minAreaRect(p)
        if a < 0.8 * rw * rh:
            continue
        q = _corner_order(p.reshape(4, 2).astype(np.float32) * f)
        # a window is wider than tall (digits side by side; a lone digit's is narrower)
        # and tall enough for digits
        if _quad_height(q) < 12 or not min_aspect <= _quad_aspect(q) <= 12:
            continue
        # and upright, within rotation and perspective (a diamond of clutter is no window)
        dx, dy = q[1] - q[0]
        if abs(dy) > 0.35 * abs(dx) or not (q[0, 1] < q[3, 1] and q[1, 1] < q[2, 1]):
            continue
        found.append((a, q))
    return found


def _distinct(
    found: list[tuple[float, NDArray[np.float32]]], n: int,
    *, besides: list[NDArray[np.float32]] | tuple[()] = (),
) -> list[NDArray[np.float32]]:  # fmt: skip
    """The `n` largest quads, nearly identical ones once, none nearly one of `besides`
    (quads taken already)."""
    out: list[NDArray[np.float32]] = []
    for _a, q in sorted(found, key=lambda t: -t[0]):
        if all(_quad_iou(q, o) < 0.8 for o in (*besides, *out)):
            out.append(q)
        if len(out) >= n:
            break
    return out


def _corner_order(q: NDArray[np.float32]) -> NDArray[np.float32]:
    """4 x 2 points as top-left, top-right, bottom-right, bottom-left."""
    s, d = q.sum(axis=1), q[:, 1] - q[:, 0]
    return np.float32([q[np.argmin(s)], q[np.argmin(d)], q[np.argmax(s)], q[np.argmax(d)]])


def _quad_iou(a: NDArray[np.float32], b: NDArray[np.float32]) -> float:
    inter, _p = cv2.intersectConvexConvex(a, b)
    union = cv2.contourArea(a) + cv2.contourArea(b) - inter
    return float(inter / union) if union > 0 else 0.0


def _read_window(
    image: NDArray[Any], gray: NDArray[np.uint8], quad: NDArray[np.float32], config: ReaderConfig,
    *, retry_polarity: bool = True, outlined: bool = True,
) -> list[tuple[Box, tuple[Glyph, ...], float]]:  # fmt: skip
    """Lines read inside one window, warped upright at its own scale; boxes in the frame
    (`retry_polarity`: the largest window, whose lone digit read evened is kept and
    which is read again evened in its polarity's shade; every window is read in the other
    polarity too where its gray levels do not tell its polarity and the one guessed reads
    nothing, though a window other than the largest keeps no lone 1 read that way; an
    `outlined` window (found by its outline, not a plain window) may hold larger digits)."""
    tl, tr, br, bl = quad
    w = float(np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    h = _quad_height(quad)
    m = 0.1 * h  # a margin: digits may touch the window's edge
    dst = np.float32([[m, m], [w + m, m], [w + m, h + m], [m, h + m]])
    hom = cv2.getPerspectiveTransform(quad, dst)
    size = (round(w + 2 * m), round(h + 2 * m))
    crop_gray = cv2.warpPerspective(gray, hom, size, flags=cv2.INTER_LINEAR,
                                    borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
    crop = None
    if image.ndim == 3 and image.shape[2] >= 3 and image.dtype == np.uint8:  # colour frames
        crop = cv2.warpPerspective(image, hom, size, flags=cv2.INTER_LINEAR,
                                   borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
    other = None
    if config.polarity is None:
        # the window's plain background is most of it: lit segments are the far tail (told
        # in its core where that is clear: a bezel's rim inside the outline found has a
        # tail of its own)
        ch, cw = WINDOW_CORE_H * h, WINDOW_CORE_W * w
        inner = crop_gray[round(m) : round(m + h), round(m) : round(m + w)]
        core = crop_gray[round(m + ch) : round(m + h - ch), round(m + cw) : round(m + w - cw)]
        tails = [(hi - mid, mid - lo) for lo, mid, hi in
                 (np.percentile(inner, (2, 50, 98)), np.percentile(core, (2, 50, 98)))]  # fmt: skip
        alike = [max(a, b) < POLARITY_CLEAR * min(a, b) for a, b in tails]
        light, dark = tails[0] if alike[1] else tails[1]
        pol = Polarity.LIGHT_ON_DARK if light > dark else Polarity.DARK_ON_LIGHT
        if any(alike):
            # tails alike (a window cut wide, into its bezel, or shaded across): the other
            # polarity is read too when this one reads nothing (in every window: the
            # largest is often the bezel round the glass, a cast shadow across the glass
            # misleads its polarity, and a device body whose glass has no outline found is
            # a plain window: "596510" on a grey body read nothing, read as lit bars only)
            other = config.with_(polarity=Polarity.DARK_ON_LIGHT if pol is Polarity.LIGHT_ON_DARK
                                  else Polarity.LIGHT_ON_DARK)  # fmt: skip
        config = config.with_(polarity=pol)
    colourful = False
    if crop is not None and config.polarity is not Polarity.DARK_ON_LIGHT:
        bright = brightest_channel(crop)
        if bright is not None:
            diff = cv2.subtract(bright, crop_gray)
            colourful = float(np.percentile(diff, 98)) >= COLOUR_GATE
    frac = OUTLINED_DIGIT_FRAC if outlined else WINDOW_DIGIT_FRAC
    config = config.with_(max_glyph_frac=max(config.max_glyph_frac, frac))

    def read(
        img: NDArray[np.uint8], cfg: ReaderConfig, *, colour: NDArray[Any] | None = None,
        bright: bool = False,
    ) -> list[tuple[Box, tuple[Glyph, ...], float]]:  # fmt: skip
        return _read_rows(img, cfg, image=colour, max_rows=WINDOW_ROWS, max_clean_rows=0,
                          lone_digits=True, always_bright=bright)  # fmt: skip

    def evened(cfg: ReaderConfig) -> list[tuple[Box, tuple[Glyph, ...], float]]:
        return read(_evened_window(crop_gray, cfg.polarity, h), cfg)

    # (a lone 1 is what a window's own edge reads as: a window that reads only that is
    # read again as one that read nothing, and keeps its 1 where nothing else reads)
    lines = read(crop_gray, config, colour=crop, bright=colourful)
    if _only_ones(lines) and other is not None:
        again = read(crop_gray, other, colour=crop)
        if retry_polarity or not _only_ones(again):
            # (in a window other than the largest, a lone 1 read the other way is its own
            # edge or the bezel's: a line above a display read "1")
            lines = again or lines
    if _only_ones(lines):
        # A shadow across the window splits its ground: the local threshold then cuts
        # along the shadow's edge, not the digits. Read once more with the light evened.
        again = evened(config)
        if not again and other is not None:
            # (a shadow across the window also misleads its polarity: half its glass dark
            # is a tail of its own)
            again = evened(other)
        # evened, a window's edge or a clutter ring is a bar or a 0: a lone digit is kept
        # only in the largest window, and never a 1
        again = [ln for ln in again if _n_digit_glyphs(ln[1]) >= 2 or (
            retry_polarity and text_of(ln[1]).strip("-.") not in ("", "1"))]  # fmt: skip
        lines = again or lines
    elif retry_polarity and config.polarity is Polarity.DARK_ON_LIGHT:
        # A shadow over part of a reflective (LCD) window leaves its digits there under the
        # split: the lines read stop at the shadow's edge ("816833" read "8168"). Evened,
        # the window is read again, and kept where that reads every line read and more
        # digits. (A lit display's ghosts, evened, glow as digits: "80.01" read "680.01".)
        again = evened(config)
        if _reads_more(again, lines):
            lines = again
    if lines:
        lines += _other_lines(crop_gray, lines, config, top=m, bottom=m + h)
    lines = [_without_edge_ones(ln, x0=m, x1=m + w, reach=EDGE_ONE_REACH * h) for ln in lines]
    inv = np.linalg.inv(hom)

    def back(b: Box) -> Box:
        return _to_frame_box(inv, b.x, b.y, b.x2, b.y2)

    return [(back(b), tuple(replace(g, box=back(g.box)) for g in gl), sc) for b, gl, sc in lines]


def _other_lines(
    gray: NDArray[np.uint8], lines: list[tuple[Box, tuple[Glyph, ...], float]],
    config: ReaderConfig, *, top: float, bottom: float,
) -> list[tuple[Box, tuple[Glyph, ...], float]]:  # fmt: skip
    """Lines read in the bands of a window above and below the lines it read.

    A display's other line is often smaller or dimmer than its main one, or set tight
    under it: read with the whole window, its digits are outranked by the main line's
    rows and by clutter, glued to the main line's digits, or cut at the main line's
    scale. In the band left above (below) the lines read, starting `OTHER_LINE_GAP`
    digit heights clear of them, it is the main line; a band under `OTHER_LINE_UPSCALE`
    px is read at twice its size too (small digits' thin bars). A band's line of 1s only
    (the window's or the bezel's edges), or whose ink stands less than `OTHER_LINE_INK`
    as far from the ground as the lines read (blank cells' ghosts), is dropped; the
    others are candidates like the window's own readings.

    Args:
        gray: HxW uint8, the window's crop.
        lines: the lines read in it (crop coordinates).
        config: reader options, the window's polarity set.
        top, bottom: the window's rows in the crop.

    Returns:
        Lines (bbox, glyphs, score) in crop coordinates, scores as `read_row`'s.
    """
    digits = [g.box for _b, gl, _s in lines for g in gl if g.kind is GlyphKind.SEGMENTS]
    if not digits:
        return []
    hd = small_median([b.h for b in digits])
    depth = min(_ink_depth(gray, b, config.polarity) for b, _g, _s in lines)
    gap = OTHER_LINE_GAP * hd
    y0 = min(b.y for b, _g, _s in lines) - gap
    y1 = max(b.y2 for b, _g, _s in lines) + gap
    out = []
    for a, b in ((round(max(0.0, top - gap / 2)), round(y0)),
                 (round(y1), round(min(gray.shape[0], bottom + gap / 2)))):  # fmt: skip
        if b - a < OTHER_LINE_MIN * hd:
            continue
        band = np.ascontiguousarray(gray[a:b])
        for k in (1, 2) if b - a < OTHER_LINE_UPSCALE else (1,):
            sub = band if k == 1 else cv2.resize(band, None, fx=k, fy=k,
                                                 interpolation=cv2.INTER_CUBIC)  # fmt: skip
            for box, glyphs, score in _read_rows(sub, config, max_rows=WINDOW_ROWS,
                                                 max_clean_rows=0, lone_digits=True):  # fmt: skip
                # (1s only are the window's or the bezel's edges; a line much fainter than
                # those read is blank cells' ghosts, read as lit where nothing lit is
                # beside them)
                if all(g.char == "1" for g in glyphs if g.kind is GlyphKind.SEGMENTS) or (
                    _ink_depth(sub, box, config.polarity) < OTHER_LINE_INK * depth
                ):
                    continue
                # (a score grows with the root of the digits' height: read at twice the
                # size, a line's is scaled back to compete with the window's own readings)
                out.append((_from_band(box, a, k),
                            tuple(replace(g, box=_from_band(g.box, a, k)) for g in glyphs),
                            score / float(np.sqrt(k))))  # fmt: skip
    return out


def _ink_depth(gray: NDArray[np.uint8], box: Box, polarity: Polarity | None) -> float:
    """How far a line's ink stands from its ground in a box: the 3rd (97th, lit on dark)
    percentile's distance from the median, in gray levels."""
    sub = gray[max(0, box.y) : box.y2, max(0, box.x) : box.x2]
    if sub.size == 0:
        return 0.0
    lo, mid, hi = np.percentile(sub, (3, 50, 97))
    return float(hi - mid if polarity is Polarity.LIGHT_ON_DARK else mid - lo)


def _from_band(box: Box, y0: int, k: int) -> Box:
    """A box in a band (starting at row `y0`, read `k` times its size) in the window."""
    return Box(round(box.x / k), y0 + round(box.y / k), max(1, round(box.w / k)),
               max(1, round(box.h / k)))  # fmt: skip


def _only_ones(lines: list[tuple[Box, tuple[Glyph, ...], float]]) -> bool:
    """Whether a window's lines are none, or each a lone 1 (with its marks)."""
    return all(text_of(gl).strip("-.") == "1" for _b, gl, _s in lines)


def _without_edge_ones(
    line: tuple[Box, tuple[Glyph, ...], float], *, x0: float, x1: float, reach: float
) -> tuple[Box, tuple[Glyph, ...], float]:
    """A window's line without a '1' at an end lit past the window's side (`x0`, `x1`:
    its columns in the window's crop) by more than `reach` px: the window's own edge, read
    as a 1's bars beside the digits ('684' read '6841'). A 1's bars are at its cell's
    right, so the cell's right end is where they are."""
    _box, glyphs, score = line
    digits = [i for i, g in enumerate(glyphs) if g.kind is GlyphKind.SEGMENTS]
    if len(digits) < 2:
        return line
    drop = set()
    first, last = glyphs[digits[0]], glyphs[digits[-1]]
    if first.char == "1" and first.box.x2 < x0 + reach:
        drop.add(digits[0])
    if last.char == "1" and last.box.x2 > x1 + reach:
        drop.add(digits[-1])
    if not drop or len(drop) == len(digits):
        # (two 1s, both past the window's sides: nothing of the line would be left, and
        # what to make of it is for the line's own tests)
        return line
    hmed = small_median([glyphs[i].box.h for i in digits])
    # (with the 1 go the marks beyond the digits kept: a point between it and them)
    lo = digits[1] if digits[0] in drop else 0
    hi = digits[-2] if digits[-1] in drop else len(glyphs) - 1
    kept = glyphs[lo : hi + 1]
    lost = sum(glyphs[i].confidence for i in drop)
    return Box.around([g.box for g in kept]), kept, score - lost * float(np.sqrt(hmed))


def _evened_window(
    gray: NDArray[np.uint8], polarity: Polarity | None, height: float
) -> NDArray[np.uint8]:
    """A window's gray with its light evened: divided by its ground (dark on light: ink
    scales with the light) or with the ground taken off (light on dark: lit segments glow
    on their own), the ground being the gray closed (opened) over `EVEN_WINDOW_KERNEL` of
    the window's `height` and smoothed. HxW uint8 in, the same out."""
    k = odd(max(9, EVEN_WINDOW_KERNEL * height))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    g = gray.astype(np.float32)
    if polarity is Polarity.DARK_ON_LIGHT:
        ground = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, kernel).astype(np.float32)
        ground = cv2.GaussianBlur(ground, (0, 0), k / 4)
        out = 200.0 * g / np.maximum(ground, 1.0)
    else:
        ground = cv2.morphologyEx(gray, cv2.MORPH_OPEN, kernel).astype(np.float32)
        ground = cv2.GaussianBlur(ground, (0, 0), k / 4)
        out = 55.0 + 200.0 * (g - ground) / np.maximum(255.0 - ground, 1.0)
    return np.clip(out, 0, 255).astype(np.uint8)


@dataclass(frozen=True)
class DisplayReading:
    """What `read_displays` found in a frame.

    Attributes:
        lines: candidate lines (bbox, glyphs, score), as `read_segment_displays` returns.
        windows: the display windows found by their outline that read a line of two
            digits or more, each 4 x 2 float32 corners (tl, tr, br, bl) in the frame: a
            display's other line is read in its window wherever in the glass it sits.
    """

    lines: list[tuple[Box, tuple[Glyph, ...], float]]
    windows: tuple[NDArray[np.float32], ...] = ()


def read_segment_displays(
    gray: NDArray[np.uint8],
    config: ReaderConfig,
    *,
    image: NDArray[Any] | None = None,
    raw: NDArray[np.uint8] | None = None,
) -> list[tuple[Box, tuple[Glyph, ...], float]]:
    """The candidate lines of `read_displays` (see there)."""
    return read_displays(gray, config, image=image, raw=raw).lines


def read_displays(
    gray: NDArray[np.uint8],
    config: ReaderConfig,
    *,
    image: NDArray[Any] | None = None,
    raw: NDArray[np.uint8] | None = None,
) -> DisplayReading:
    """Candidate seven-segment lines in a gray frame: (bbox, glyphs, score) each, and the
    display windows that read a line (`DisplayReading`).

    Rows are looked for in the whole frame, and again inside each display window found
    (`find_windows`) when `image` is given; where a window reads, a frame-wide reading of
    one or two digits outside every window that reads is dropped (a display's short line sits in
    its window).

    Args:
        gray: HxW uint8, denoised.
        config: reader options (`polarity`, `min_glyph_px`, `max_glyph_frac`,
            `segments_trusted`).
        image: the frame gray was made from (HxWx3 BGR uint8), or None; when given and
            gray reads no line of two digits, lit (light-on-dark) segments are looked for
            again in its brightest channel (`brightest_channel`).
        raw: HxW uint8, the frame's gray before denoising, or None; when given (with
            `image`), each window found up to `RAW_WINDOW_MAX_H` high is read in it too,
            and both readings are candidates (a small display's thin bars survive there).

    Returns:
        Candidate lines in no particular order; glyphs are `GlyphKind.SEGMENTS` digits and
        `GlyphKind.MARK` '.'/'-'; the score is comparable to `pipeline.assemble`'s (sum of
        confidences times the square root of the median digit height).
    """
    out = _read_rows(gray, config, image=image)
    shown: list[NDArray[np.float32]] = []
    if image is not None and image.shape[:2] == gray.shape:
        # Window readings join the frame's rather than replace them: a window found may be
        # part of a display only (its lines cut short), and the frame-wide reading of a
        # place is as often the better one (measured).
        read: list[NDArray[np.float32]] = []
        win: list[tuple[Box, tuple[Glyph, ...], float]] = []
        outlined = find_windows(gray, plain=False)
        # (the plain quads are found once: the small ones are read always, the largest
        # tall one only where no window reads)
        plain = _plain_quads(gray)
        quads = outlined + plain_windows(gray, outlined, found=plain)
        edged = [i < len(outlined) for i in range(len(quads))]
        first = [i == 0 for i in range(len(quads))]
        if not outlined:
            # no outline at half size: perhaps one too soft (defocus), found at a quarter;
            # the largest is read as the largest window is, besides the largest plain one
            # (either may be the display's)
            soft = [q for q in soft_windows(gray)
                    if all(_quad_iou(q, o) < 0.8 for o in quads)]  # fmt: skip
            quads += soft
            edged += [True] * len(soft)
            first += [i == 0 for i in range(len(soft))]

        def read_quad(quad: NDArray[np.float32], *, first: bool, edged: bool) -> list[Any]:
            # only the largest window (the display, mostly; the others are clutter's
            # outlines) keeps a lone digit read evened, and is read evened in its shade
            # a small window is read again in the frame's gray before denoising: the blur
            # merges a small display's thin bars with their ghosts and gaps (a 16-px VFD
            # line unread, a '.' lost); the sharper and the smoother reading compete in
            # `pipeline.resolve` like any two readings of one place
            grays = [gray]
            if raw is not None and _quad_height(quad) <= RAW_WINDOW_MAX_H:
                grays.append(raw)
            lines = [ln for g in grays
                     for ln in _read_window(image, g, quad, config, retry_polarity=first,
                                            outlined=edged)]  # fmt: skip
            return [ln for ln in lines if _inside(ln[0], gray.shape)]

        for i, quad in enumerate(quads):
            lines = read_quad(quad, first=first[i], edged=edged[i])
            if lines and edged[i]:
                # (a plain window may hold part of a display only: one line of two)
                read.append(quad)
                if any(_n_digit_glyphs(g) >= 2 for _b, g, _s in lines):
                    shown.append(quad)
            win += lines
        if not win:
            # no window reads: a large display whose glass's outline was lost may be a
            # plain one (only then: where another window reads the display, its reading
            # competes with that one's, and its own warp may find a point the other's
            # does not)
            for quad in large_plain_windows(gray, quads, found=plain):
                win += read_quad(quad, first=True, edged=False)
        if read:
            # a display's short line sits in its window: beside displays read in their
            # windows, one or two digits outside them are bars or hooks of clutter ('11')
            out = [
                ln
                for ln in out
                if _n_digit_glyphs(ln[1]) > 2
                or any(
                    cv2.pointPolygonTest(q.reshape(-1, 1, 2), (ln[0].cx, ln[0].cy), False) >= 0
                    for q in read
                )
            ]
        out += win
    return DisplayReading(out + stitch_lines(out), tuple(shown))


def stitch_lines(
    lines: list[tuple[Box, tuple[Glyph, ...], float]],
    *,
    kind: GlyphKind = GlyphKind.SEGMENTS,
) -> list[tuple[Box, tuple[Glyph, ...], float]]:
    """Lines joined from two readings of one line that each lost an end.

    A row found from part of a display's clusters reads only that part ('660' of
    '660.7', found again from its right-hand digits as '60.7'); a printed line broken at a
    glyph reads as two lines sharing it ('8115' and '5.311'). Where two readings of one
    line overlap and agree on every digit they share (same digits, same places), the
    left one's head and the right one are the whole line; it competes with both.

    Args:
        lines: candidate lines (box, glyphs, score).
        kind: the glyph kind whose digits are compared (the readers' lines are joined
            each with its own kind).

    Returns:
        The joined lines only (box, glyphs, score: the right one's plus the head's share
        of the left one's).
    """
    digits = [[g for g in gl if g.kind is kind] for _b, gl, _s in lines]
    # digit heights once per line, not once per pair (this runs on every frame)
    heights = [small_median([g.box.h for g in d]) if len(d) >= 2 else 0.0 for d in digits]
    out = []
    for i, (ba, ga, sa) in enumerate(lines):
        da, ha = digits[i], heights[i]
        if len(da) < 2:
            continue
        for j, (bb, gb, sb) in enumerate(lines):
            db, hb = digits[j], heights[j]
            if i == j or len(db) < 2:
                continue
            if abs(ha - hb) > STITCH_TOL * max(ha, hb):
                continue
            h = max(ha, hb)
            # a on the left, b on the right, on one baseline, overlapping
            if not (ba.x < bb.x - 0.3 * h and ba.x2 < bb.x2 - 0.3 * h and ba.x2 > bb.x + 0.2 * h):
                continue
            # the digits both read: a's last k and b's first k, one over the other
            ia = [m for m, p in enumerate(da) if any(_same_place(p.box, q.box) for q in db)]
            ib = [m for m, q in enumerate(db) if any(_same_place(p.box, q.box) for p in da)]
            k = len(ia)
            if not k or k != len(ib) or k == len(da):
                continue
            if ia != list(range(len(da) - k, len(da))) or ib != list(range(k)):
                continue
            if any(da[m].char != db[n].char for m, n in zip(ia, ib, strict=True)):
                continue
            # on one baseline where they overlap (a tilted line's boxes are not: the longer
            # reading's box reaches further down at its far end)
            if any(
                abs(da[m].box.y2 - db[n].box.y2) > STITCH_TOL * h
                or abs(da[m].box.y - db[n].box.y) > STITCH_TOL * h
                for m, n in zip(ia, ib, strict=True)
            ):
                continue
            head = tuple(g for g in ga if g.box.cx < da[ia[0]].box.cx)
            joined = head + gb
            head_digits = sum(1 for g in head if g.kind is kind)
            score = sb + sa * head_digits / len(da)
            box = Box(ba.x, min(ba.y, bb.y), bb.x2 - ba.x, max(ba.y2, bb.y2) - min(ba.y, bb.y))
            out.append((box, joined, score))
    return out


def _same_place(a: Box, b: Box) -> bool:
    """Two glyph boxes over one another: overlapping by half the narrower one's width."""
    ov = min(a.x2, b.x2) - max(a.x, b.x)
    return ov >= 0.5 * min(a.w, b.w) > 0


def _read_rows(
    gray: NDArray[np.uint8],
    config: ReaderConfig,
    *,
    image: NDArray[Any] | None = None,
    max_rows: int = MAX_ROWS,
    max_clean_rows: int = MAX_CLEAN_ROWS,
    lone_digits: bool = False,
    always_bright: bool = False,
) -> list[tuple[Box, tuple[Glyph, ...], float]]:
    """`read_segment_displays` in one image, without looking for windows (`lone_digits`:
    a row may read as a single digit, as a display window's may; `always_bright`: look in
    the brightest channel too even when gray reads a line)."""
    trusted = config.segments_trusted

    def read(img: NDArray[np.uint8], polarity: Polarity | None) -> list[Any]:
        rows = find_rows(img, min_digit_px=max(8, config.min_glyph_px),
                         max_digit_frac=config.max_glyph_frac, polarity=polarity,
                         max_rows=max_rows, max_clean_rows=max_clean_rows,
                         lone_cells=LONE_CELLS if lone_digits else FRAME_LONE)  # fmt: skip
        if lone_digits:
            rows = [replace(r, short_line=True) for r in rows]
        lines = (read_row(img, row, trusted=trusted) for row in rows)
        return [ln for ln in lines if ln is not None and _inside(ln[0], gray.shape)]

    out = read(gray, config.polarity)
    if config.polarity is Polarity.DARK_ON_LIGHT:
        return out
    if not always_bright and any(_sure_line(g) for _b, g, _s in out):
        return out
    # Nothing read (or a window of coloured light): a red or blue LED may be too dim in
    # gray. Look again for lit segments in the brightest channel (not always: there, glow
    # and JPEG's coarse colour make well-lit displays read worse than in gray; the readings
    # of both compete).
    bright = brightest_channel(image) if image is not None else None
    if bright is None or bright.shape != gray.shape:
        return out
    unsure = [b for b, g, _s in out if _n_digit_glyphs(g) >= BRIGHT_SKIP]
    if not always_bright and unsure and not any(_coloured(gray, bright, b) for b in unsure):
        # lines read without display evidence, in plain light: printed digits, mostly,
        # which their brightest channel shows no better
        return out
    return out + read(bright, Polarity.LIGHT_ON_DARK)


def _coloured(gray: NDArray[np.uint8], bright: NDArray[np.uint8], box: Box) -> bool:
    """Whether the brightest channel exceeds gray by `COLOUR_GATE` in a box (98th
    percentile): coloured light there, which gray weighs low."""
    hh, ww = gray.shape
    x0, y0 = max(0, int(box.x)), max(0, int(box.y))
    x1, y1 = min(ww, int(np.ceil(box.x2))), min(hh, int(np.ceil(box.y2)))
    if x1 <= x0 or y1 <= y0:
        return False
    diff = cv2.subtract(bright[y0:y1, x0:x1], gray[y0:y1, x0:x1])
    return float(np.percentile(diff, 98)) >= COLOUR_GATE


def _inside(box: Box, shape: tuple[int, ...]) -> bool:
    """Whether a line's box lies in the frame (up to 10 % of its height over an edge): the
    strip of a row of clutter bars cut by the frame edge runs on beyond it, and a display
    cut by the edge does not show its whole number anyway."""
    m = 0.1 * box.h
    return box.x >= -m and box.y >= -m and box.x2 <= shape[1] + m and box.y2 <= shape[0] + m


def _sure_line(glyphs: tuple[Glyph, ...]) -> bool:
    """A line of `BRIGHT_SKIP` digits or more, every glyph read above the confidence of a
    line with no display evidence (`NO_EVIDENCE_FACTOR`): a glow-blurred LED read in gray
    without its point has none, and its brightest channel may show the point."""
    return _n_digit_glyphs(glyphs) >= BRIGHT_SKIP and all(
        g.confidence > NO_EVIDENCE_FACTOR for g in glyphs
    )


def _reads_more(
    again: list[tuple[Box, tuple[Glyph, ...], float]],
    lines: list[tuple[Box, tuple[Glyph, ...], float]],
) -> bool:
    """Whether a second reading of a window holds as many lines as the first and more
    segment digits: each of its lines reads one of the first's (the same digits) with
    more beside it, read surely on the whole (`EVEN_ADDED_CONFIDENCE`: the digit the
    shadow's edge crosses reads less so) and not all 1s (a window's edge reads as an
    unsure 1), or as it was."""

    def digits(gl: tuple[Glyph, ...]) -> list[Glyph]:
        return [g for g in gl if g.kind is GlyphKind.SEGMENTS]

    if len(again) != len(lines):
        return False
    olds = ["".join(g.char for g in digits(gl)) for _b, gl, _s in lines]
    gained = 0
    for _b, gl, _s in again:
        new = digits(gl)
        text = "".join(g.char for g in new)
        at, old = next(((text.find(o), o) for o in olds if o and o in text), (-1, ""))
        if at < 0:
            return False
        added = new[:at] + new[at + len(old) :]
        if added and (
            float(np.mean([g.confidence for g in added])) < EVEN_ADDED_CONFIDENCE
            or all(g.char == "1" for g in added)
        ):
            return False
        gained += len(added)
    return gained > 0


def _n_digit_glyphs(glyphs: tuple[Glyph, ...]) -> int:
    return sum(1 for g in glyphs if g.kind is GlyphKind.SEGMENTS)


def read_cell(gray: NDArray[np.uint8], *, polarity: Polarity | None = None) -> Glyph | None:
    """Decode a crop that holds one seven-segment digit (e.g. a dataset crop).

    The crop is normalised so the segments are bright (both polarities are tried unless one
    is given), the digit's band is the union of the large blobs in the middle of the crop
    (parts of neighbours at the edges are ignored), the slant is removed, and the cell
    nearest the centre is decoded segment by segment.

    Args:
        gray: HxW uint8 (or HxWx3 BGR, converted) crop of one digit.
        polarity: force the polarity, or None to try both: the ground's first where the
            crop clearly shows it (`_crop_ground`) and the other only where that reads no
            digit, else both (the more confident wins).

    Returns:
        The glyph (box in crop coordinates), or None when nothing decodes.
    """
    if gray.ndim == 3:
        gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
    h0, w0 = gray.shape
    scale = 80.0 / h0
    g = cv2.resize(gray, (max(8, round(w0 * scale)), 80), interpolation=cv2.INTER_AREA
                   if scale < 1 else cv2.INTER_LINEAR)  # fmt: skip
    g = _stretched_if_dim(cv2.GaussianBlur(g, (3, 3), 0))
    h = g.shape[0]
    pad = 40
    best: Glyph | None = None
    pols = [polarity] if polarity is not None else [Polarity.DARK_ON_LIGHT, Polarity.LIGHT_ON_DARK]
    ground = _crop_ground(g) if polarity is None else None
    if ground is Polarity.LIGHT_ON_DARK:
        pols.reverse()
    for pol in pols:
        if ground is not None and best is not None and best.char != UNKNOWN:
            # the ground's polarity read a digit: the other's "bars" are the ground around
            # it (beside a 1 of thick rounded bars, a confident 3)
            break
        inv = 255 - g if pol is Polarity.DARK_ON_LIGHT else g
        raw = cv2.copyMakeBorder(inv, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
        # top-hat: bars thinner than the kernel stay, the background (light falloff, the
        # crop's edges) goes; a quarter of the height keeps thin bars apart from a bright
        # surround, half of it keeps the corners of thick bars (a gas pump's) whole
        for size in (h // 4, h // 2):
            ker = cv2.getStructuringElement(cv2.MORPH_RECT, (size | 1, size | 1))
            norm = cv2.morphologyEx(inv, cv2.MORPH_TOPHAT, ker)
            img = cv2.copyMakeBorder(norm, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
            for top, bottom in _cell_bands(img, pad):
                gl = _decode_cell(img, top, bottom, pad, scale, raw=raw)
                # a decoded digit beats an undecodable pattern (of the other polarity or band)
                if gl is not None and (
                    best is None
                    or (gl.char != UNKNOWN, gl.confidence) > (best.char != UNKNOWN, best.confidence)
                ):
                    best = gl
    return best


def _stretched_if_dim(gray: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """A dim one-digit crop (HxW; 1st to 99th percentile under `DIM_CROP_RANGE` apart)
    stretched over the full range, else the crop itself: the decoder's contrast floor is in
    gray levels, and dark bars on a dark ground (a display in shade) fall under it."""
    lo, hi = (float(v) for v in np.percentile(gray, (1, 99)))
    if not 8 <= hi - lo < DIM_CROP_RANGE:
        return gray
    out = (gray.astype(np.float32) - lo) * (255.0 / (hi - lo))
    return np.clip(out, 0, 255).astype(np.uint8)


def _crop_ground(gray: NDArray[np.uint8]) -> Polarity | None:
    """The polarity a one-digit crop's ground clearly says (HxW gray), or None.

    Light: the crop's median near the light end of its range (5th to 95th percentile,
    `CROP_GROUND`). Dark: the median near the dark end *and* the crop's edges dark
    (`CROP_EDGE_DARK`) — a tight crop of thick dark bars (a gas pump's 8) has its median
    among the bars too, but its light counters and corners reach its edges.
    """
    lo, mid, hi = (float(v) for v in np.percentile(gray, (5, 50, 95)))
    if hi - lo < 1:
        return None
    at = (mid - lo) / (hi - lo)
    if at >= 1 - CROP_GROUND:
        return Polarity.DARK_ON_LIGHT
    if at <= CROP_GROUND:
        _t, lit = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        k = max(2, round(CROP_EDGE * gray.shape[0]))
        edge = np.ones(lit.shape, bool)
        edge[k:-k, k:-k] = False
        if float(lit[edge].mean()) <= 1 - CROP_EDGE_DARK:
            return Polarity.LIGHT_ON_DARK
    return None


def _cell_bands(img: NDArray[np.uint8], pad: int) -> list[tuple[float, float]]:
    """Candidate digit bands (top, bottom) of a padded one-digit crop (segments bright): the
    union of the tall blobs in the middle, and that band grown over the flat blobs just
    above and below it (a display whose bars are apart has its a and d bars on their own)."""
    h, w = img.shape[0] - 2 * pad, img.shape[1] - 2 * pad
    _t, binary = cv2.threshold(img, 0, 1, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    n, _lab, st, cen = cv2.connectedComponentsWithStats(binary, connectivity=8)
    st, cen = st[1:n], cen[1:n]
    mid = (cen[:, 0] >= pad + 0.15 * w) & (cen[:, 0] <= pad + 0.85 * w)
    tall = (st[:, 3] >= 0.15 * h) & (st[:, 3] <= 1.2 * h)
    big = mid & tall
    if not big.any():
        # a '1' is right-aligned in its cell: its bars may stand at the crop's right edge
        big = tall & (cen[:, 0] >= pad + 0.5 * w) & (st[:, 3] >= 0.3 * h)
        if not big.any():
            return []
    # a bar at the crop's edge below or above the middle blobs (a 4's c bar in a tight
    # crop) is the digit's own where it shares their columns; a neighbour's does not
    x0, x1 = st[big, 0].min(), (st[big, 0] + st[big, 2]).max()
    big |= tall & (st[:, 0] < x1) & (st[:, 0] + st[:, 2] > x0)
    sel = st[big]
    top = float(sel[:, 1].min())
    bottom = float((sel[:, 1] + sel[:, 3]).max())
    bands = [(top, bottom)]
    reach = 0.3 * (bottom - top)
    flat = (mid & ~big & (st[:, 2] >= 0.25 * w) & (st[:, 3] < 0.15 * h)
            & (st[:, 1] >= top - reach) & (st[:, 1] + st[:, 3] <= bottom + reach))  # fmt: skip
    if flat.any():
        grown = (
            min(top, float(st[flat, 1].min())),
            max(bottom, float((st[flat, 1] + st[flat, 3]).max())),
        )
        bands.append(grown)
    return [(t, b) for t, b in bands if b - t >= 0.4 * h]


def _decode_cell(
    img: NDArray[np.uint8], top: float, bottom: float, pad: int, scale: float, *,
    raw: NDArray[np.uint8],
) -> Glyph | None:  # fmt: skip
    """Decode the digit in band [top, bottom) of a padded one-digit crop (segments bright,
    background removed; `raw` the same crop before the top-hat); the box is mapped back to
    the unpadded, unscaled crop."""
    w = img.shape[1] - 2 * pad
    gx = np.abs(cv2.Sobel(img, cv2.CV_32F, 1, 0, ksize=3))
    k = _best_shear(gx, (int(top), int(top + 0.85 * (bottom - top))))
    m = _shear(k, int(bottom))
    w2 = img.shape[1] + int(abs(k) * bottom) + 2
    warped = cv2.warpPerspective(img, m, (w2, img.shape[0]), flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
    # one digit: its cell is the ink of the central blobs (a '1' is right-aligned)
    _t, bw = cv2.threshold(warped, 0, 1, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    n2, _l2, st2, cen2 = cv2.connectedComponentsWithStats(bw, connectivity=8)
    st2, cen2 = st2[1:n2], cen2[1:n2]
    hd = bottom - top
    cx = pad + w / 2 + k * (top + bottom) / 2
    keep = (np.abs(cen2[:, 0] - cx) <= 0.4 * w) & (st2[:, 3] >= 0.15 * hd)
    if not keep.any():
        return None
    x0, x1 = float(st2[keep, 0].min()), float((st2[keep, 0] + st2[keep, 2]).max())
    ink = (x0, x1)
    if x1 - x0 < 0.35 * hd:
        # a 1's cell: its bar, the counter (a quarter of the height) and the unlit bar
        x0 = x1 - max(0.55 * hd, 2 * (x1 - x0) + 0.25 * hd)
    cells = [
        c
        for c in decode_strip(Strip(warped, m, top, bottom), [((x0, x1), ink)], one_digit=True)
        if c.char
    ]
    if not cells:
        return None
    c = cells[0]
    if c.char != UNKNOWN:
        raw_warped = cv2.warpPerspective(raw, m, (w2, raw.shape[0]), flags=cv2.INTER_LINEAR,
                                         borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
        if not _counters_dark(raw_warped, c, top, bottom):
            return None
    minv = np.linalg.inv(m)
    box = _to_frame_box(minv, c.cell[0], top, c.cell[1], bottom)
    box = Box(round((box.x - pad) / scale), round((box.y - pad) / scale),
              max(1, round(box.w / scale)), max(1, round(box.h / scale)))  # fmt: skip
    return Glyph(box, c.char, c.confidence, ((c.char, c.confidence),), GlyphKind.SEGMENTS)


def _counters_dark(warped: NDArray[np.uint8], cell: DecodedCell, top: float, bottom: float) -> bool:
    """Whether a decoded cell's counters are dark in the deslanted crop as it was before the
    top-hat: the other polarity's ground around and between a digit's bars, its broad parts
    taken away by the top-hat, leaves a ring that decodes as a 0."""
    integral = cv2.integral(warped, sdepth=cv2.CV_64F)
    v, holes = (a[0] for a in segment_values(integral, [cell.cell], top, bottom))
    lit = np.array([s in cell.segments for s in SEGMENT_ORDER])
    if not lit.any():
        return True
    level = float(np.median(v[lit]))
    ground = min(float(v.min()), float(holes.min()))
    return float(holes.max()) <= ground + COUNTER_LEVEL * (level - ground)
