"""Seeded seven-segment display scenes WITH their ground truth.

Two kinds of cells are drawn: DSEG7 fonts (Debian's `fonts-dseg`, via `synth.seven_segment_faces`)
and hand-drawn segment polygons (hexagonal or square-ended bars, varied thickness, gaps,
aspect and slant). Displays are LED (red, green, amber, blue, white), reflective or backlit
LCD, or VFD; they have 3-8 cells, decimal points, minus signs, blank leading cells, faint
"ghost" (unlit) segments, italic faces and 1-2 lines, and sit in a bezel in a cluttered scene
filmed with rotation (±5°), perspective, blur, noise, uneven light and JPEG.

* `make_display_scene(seed)` -> `DisplayScene` (one camera-like frame + truth + display corners);
* `CounterScene(seed)` -> a ticking LED counter filmed by a shaky camera (`frame(index)`), the
  video of the issue's acceptance test and the seven-segment `demo` source.

Everything is seeded and otherwise pure.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

from digitcam.sevenseg import DIGIT_SEGMENTS, SEGMENT_ORDER
from digitcam.synth import (
    FontFace,
    _background,
    _blur,
    _draw_clutter,
    _jpeg,
    _lighting,
    hershey_faces,
    is_decorative,
    seven_segment_faces,
)
from digitcam.types import Box

__all__ = [
    "STYLES",
    "CellSpec",
    "CounterScene",
    "DisplayScene",
    "SegmentLook",
    "make_display_scene",
    "random_clock_text",
    "random_display_text",
    "render_cells",
]

SeedLike = int | np.random.Generator

#: Segment order a..g: the reader's (one table in the project, see `sevenseg`).
SEGMENTS = SEGMENT_ORDER

#: Lit segments of each character the generator draws: the digits as the reader decodes
#: them, plus the minus (middle segment alone) and a blank cell.
CHAR_SEGMENTS: dict[str, str] = {**DIGIT_SEGMENTS, "-": "g", " ": ""}

#: Display styles (`DisplayScene.style["display"]`).
STYLES = ("led", "lcd-reflective", "lcd-backlit", "vfd")

_LED_COLORS = {  # BGR of a lit LED segment
    "red": (40, 40, 255),
    "green": (60, 255, 80),
    "amber": (0, 170, 255),
    "blue": (255, 140, 40),
    "white": (235, 240, 245),
}


def _as_rng(seed: SeedLike) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellSpec:
    """One digit position: its character ('0'-'9', '-', or ' ' for blank), its dot, and a
    clock's colon after it (between it and the next position)."""

    char: str
    dot: bool = False
    colon: bool = False


@dataclass(frozen=True)
class SegmentLook:
    """How cells are drawn.

    Attributes:
        kind: "dseg" (a DSEG7 font) or "polygon" (hand-drawn bars).
        face: the DSEG7 face (kind "dseg").
        aspect: cell width / digit height (polygon).
        thickness: segment thickness / digit height (polygon).
        gap: gap between segments / digit height (polygon).
        slant: italic shear, x shift per unit of height (polygon; DSEG italics are their own).
        pointed: hexagonal (pointed) bar ends, else square ends (polygon).
        spacing: gap between cells / digit height (polygon).
    """

    kind: str
    face: FontFace | None = None
    aspect: float = 0.55
    thickness: float = 0.13
    gap: float = 0.02
    slant: float = 0.0
    pointed: bool = True
    spacing: float = 0.22

    @property
    def italic(self) -> bool:
        if self.kind == "dseg":
            return bool(self.face is not None and self.face.italic)
        return abs(self.slant) > 0.03


def random_look(rng: np.random.Generator, *, italic: bool | None = None) -> SegmentLook:
    """A random cell look: half DSEG7 faces, half polygons."""
    # the draw is over every DSEG7 file and a decorative face drawn is drawn again
    # (rather than left out of the pool): each seed keeps the scene it had before they
    # were excluded, unless it showed one
    faces = seven_segment_faces(decorative=True)
    if faces and rng.random() < 0.5:
        pool = [f for f in faces if italic is None or f.italic == italic]
        face = pool[int(rng.integers(0, len(pool)))]
        plain = any(not is_decorative(f) for f in pool)
        while plain and is_decorative(face):
            face = pool[int(rng.integers(0, len(pool)))]
        return SegmentLook("dseg", face=face)
    it = (rng.random() < 0.35) if italic is None else italic
    return SegmentLook(
        "polygon",
        aspect=float(rng.uniform(0.45, 0.65)),
        thickness=float(rng.uniform(0.09, 0.19)),
        gap=float(rng.uniform(0.006, 0.035)),
        slant=float(rng.uniform(0.08, 0.2)) if it else 0.0,
        pointed=bool(rng.random() < 0.7),
        spacing=float(rng.uniform(0.14, 0.4)),
    )


def _bar(x0: float, y0: float, x1: float, y1: float, t: float, pointed: bool) -> NDArray[Any]:
    """Polygon of a bar from (x0, y0) to (x1, y1) (axis-aligned), thickness t."""
    h = t / 2
    if y0 == y1:  # horizontal
        if pointed:
            return np.array([[x0, y0], [x0 + h, y0 - h], [x1 - h, y0 - h], [x1, y0],
                             [x1 - h, y0 + h], [x0 + h, y0 + h]])  # fmt: skip
        return np.array([[x0 + h * 0.3, y0 - h], [x1 - h * 0.3, y0 - h],
                         [x1 - h * 0.3, y0 + h], [x0 + h * 0.3, y0 + h]])  # fmt: skip
    if pointed:
        return np.array([[x0, y0], [x0 + h, y0 + h], [x0 + h, y1 - h], [x0, y1],
                         [x0 - h, y1 - h], [x0 - h, y0 + h]])  # fmt: skip
    return np.array([[x0 - h, y0 + h * 0.3], [x0 + h, y0 + h * 0.3],
                     [x0 + h, y1 - h * 0.3], [x0 - h, y1 - h * 0.3]])  # fmt: skip


def _segment_polygons(w: float, hgt: float, t: float, g: float, pointed: bool) -> dict[str, Any]:
    """Segment polygons of one cell (origin top-left, upright)."""
    xl, xr = t / 2, w - t / 2
    yt, ym, yb = t / 2, hgt / 2, hgt - t / 2
    return {
        "a": _bar(xl + g, yt, xr - g, yt, t, pointed),
        "b": _bar(xr, yt + g, xr, ym - g, t, pointed),
        "c": _bar(xr, ym + g, xr, yb - g, t, pointed),
        "d": _bar(xl + g, yb, xr - g, yb, t, pointed),
        "e": _bar(xl, ym + g, xl, yb - g, t, pointed),
        "f": _bar(xl, yt + g, xl, ym - g, t, pointed),
        "g": _bar(xl + g, ym, xr - g, ym, t, pointed),
    }


@functools.lru_cache(maxsize=128)
def _dseg_font(path: str, height: int) -> tuple[ImageFont.FreeTypeFont, float]:
    """The font at the size whose digit height is `height` px, and its digit ascent."""
    probe = ImageFont.truetype(path, 200)
    _l, t, _r, b = probe.getbbox("8", anchor="ls")
    ratio = (b - t) / 200.0
    size = max(4, round(height / ratio))
    font = ImageFont.truetype(path, size)
    _l, t, _r, b = font.getbbox("8", anchor="ls")
    return font, float(-t)


def render_cells(
    cells: list[CellSpec], look: SegmentLook, *, height: int, ghost_dots: bool = True
) -> tuple[NDArray[np.float32], NDArray[np.float32], list[tuple[str, Box]]]:
    """Render a row of cells as lit and ghost coverage masks.

    Args:
        cells: the positions, left to right.
        look: how they are drawn.
        height: digit height in pixels (>= 8).
        ghost_dots: also draw the unlit decimal points as ghosts.

    Returns:
        (lit, ghost, boxes): HxW float32 coverage in 0..1 (ghost excludes lit), and one
        (char, Box) per character of the truth ('.' included, blanks excluded), in order.
    """
    if height < 8:
        raise ValueError(f"height must be >= 8 px, got {height}")
    s = 3 if height < 40 else 2  # supersampling
    hs = height * s
    margin = round(0.5 * hs)
    # a colon takes its own room between two positions: the positions after it move right
    n_colons = sum(1 for c in cells if c.colon)
    before = np.cumsum([0] + [int(c.colon) for c in cells])[:-1]
    colon_boxes: list[tuple[float, float, float, float]] = []  # x0, y0, x1, y1 (supersampled)
    if look.kind == "dseg":
        assert look.face is not None
        font, ascent = _dseg_font(str(look.face.source), hs)
        adv = font.getlength("8")
        colon_w = font.getlength(":")
        width = round(adv * len(cells) + colon_w * n_colons + 2 * margin)
        canvas_h = hs + 2 * margin
        lit = Image.new("L", (width, canvas_h), 0)
        ghost = Image.new("L", (width, canvas_h), 0)
        dl, dg = ImageDraw.Draw(lit), ImageDraw.Draw(ghost)
        base = margin + ascent
        xs = [margin + i * adv + before[i] * colon_w for i in range(len(cells))]
        for x, c in zip(xs, cells, strict=True):
            dg.text((x, base), "8", font=font, fill=255, anchor="ls")
            if ghost_dots:
                dg.text((x + adv, base), ".", font=font, fill=255, anchor="ls")
            ch = "!" if c.char == " " else c.char
            dl.text((x, base), ch, font=font, fill=255, anchor="ls")
            if c.dot:
                dl.text((x + adv, base), ".", font=font, fill=255, anchor="ls")
            if c.colon:
                dl.text((x + adv, base), ":", font=font, fill=255, anchor="ls")
                bx0, by0, bx1, by1 = font.getbbox(":", anchor="ls")
                colon_boxes.append((x + adv + bx0, base + by0, x + adv + bx1, base + by1))
        lit_a = np.asarray(lit, np.float32) / 255.0
        ghost_a = np.asarray(ghost, np.float32) / 255.0
        cell_w, pitch, slant = adv * 0.92, adv, 0.0
        top = base - ascent
    else:
        w = look.aspect * hs
        t = look.thickness * hs
        g = look.gap * hs
        pitch = w + look.spacing * hs
        dot_r = 0.62 * t
        colon_w = 4 * dot_r
        width = round(pitch * len(cells) + colon_w * n_colons + 2 * margin + look.slant * hs)
        canvas_h = hs + 2 * margin
        lit_a = np.zeros((canvas_h, width), np.float32)
        ghost_a = np.zeros((canvas_h, width), np.float32)
        polys = _segment_polygons(w, hs, t, g, look.pointed)
        top = margin
        xs = [margin + i * pitch + before[i] * colon_w for i in range(len(cells))]
        for x0, c in zip(xs, cells, strict=True):
            if c.colon:
                # two dots at a third and two thirds of the height, in the widened gap
                cx = x0 + w + 0.5 * (look.spacing * hs + colon_w)
                for fy in (0.3, 0.7):
                    cy = top + fy * hs
                    cxs = cx + look.slant * (hs - fy * hs)
                    centre = (round(cxs * 16), round(cy * 16))
                    cv2.circle(lit_a, centre, round(dot_r * 16), 1.0, -1, cv2.LINE_AA, shift=4)
                xa, xb = sorted((cx + look.slant * 0.3 * hs, cx + look.slant * 0.7 * hs))
                colon_boxes.append((xa - dot_r, top + 0.3 * hs - dot_r,
                                    xb + dot_r, top + 0.7 * hs + dot_r))  # fmt: skip
            on = CHAR_SEGMENTS[c.char]
            for name, poly in polys.items():
                p = poly.astype(np.float64).copy()
                p[:, 0] += x0 + look.slant * (hs - p[:, 1])
                p[:, 1] += top
                pts = np.round(p * 16).astype(np.int32)
                target = lit_a if name in on else ghost_a
                cv2.fillPoly(target, [pts], 1.0, cv2.LINE_AA, shift=4)
            dx = x0 + w + 0.5 * look.spacing * hs
            dy = top + hs - dot_r
            centre = (round(dx * 16), round(dy * 16))
            if c.dot:
                cv2.circle(lit_a, centre, round(dot_r * 16), 1.0, -1, cv2.LINE_AA, shift=4)
            elif ghost_dots:
                cv2.circle(ghost_a, centre, round(dot_r * 16), 1.0, -1, cv2.LINE_AA, shift=4)
        cell_w, slant = w, look.slant
    ghost_a = np.clip(ghost_a - lit_a, 0, 1)
    if s > 1:
        sz = (max(1, lit_a.shape[1] // s), max(1, lit_a.shape[0] // s))
        lit_a = cv2.resize(lit_a, sz, interpolation=cv2.INTER_AREA)
        ghost_a = cv2.resize(ghost_a, sz, interpolation=cv2.INTER_AREA)
    boxes: list[tuple[str, Box]] = []
    colons = iter(colon_boxes)
    for x, c in zip(xs, cells, strict=True):
        x0 = x / s
        y0 = round(top / s)
        if c.char != " ":
            boxes.append((c.char, Box(round(x0), y0, round(cell_w / s + slant * height), height)))
        if c.dot:
            dx, dy = round(x0 + pitch / s - 0.1 * height), y0 + round(0.85 * height)
            boxes.append((".", Box(dx, dy, round(0.2 * height), round(0.15 * height))))
        if c.colon:
            a, b, e, f = (v / s for v in next(colons))
            boxes.append((":", Box(round(a), round(b), max(1, round(e - a)), max(1, round(f - b)))))
    return lit_a, ghost_a, boxes


def random_display_text(rng: np.random.Generator, n_cells: int) -> list[CellSpec]:
    """Random cells as a meter shows them: maybe a minus, maybe one decimal point, maybe
    blank leading cells (never blank inside the number)."""
    n_lead = int(rng.integers(0, n_cells)) if rng.random() < 0.3 else 0
    n_num = n_cells - n_lead
    digits = [str(int(d)) for d in rng.integers(0, 10, n_num)]
    dot_at = None
    if n_num >= 2 and rng.random() < 0.6:
        dot_at = int(rng.integers(0, n_num - 1))  # dot after this digit
    if n_lead and dot_at is None and digits[0] == "0" and n_num > 1:
        digits[0] = str(int(rng.integers(1, 10)))  # a blanked display drops leading zeros
    if n_num >= 2 and rng.random() < 0.12:
        digits[0] = "-"
        if dot_at == 0:
            dot_at = None
    cells = [CellSpec(" ") for _ in range(n_lead)]
    cells += [CellSpec(d, dot=(i == dot_at)) for i, d in enumerate(digits)]
    return cells


def cells_text(cells: list[CellSpec]) -> str:
    """The truth text of a row of cells (blank cells dropped)."""
    return "".join(
        c.char + ("." if c.dot else "") + (":" if c.colon else "") for c in cells if c.char != " "
    ).strip()


def random_clock_text(rng: np.random.Generator) -> list[CellSpec]:
    """Random cells as a clock or a timer shows them: H:MM or HH:MM (a blank leading hour
    digit), HH:MM:SS, or MM:SS."""
    kind = int(rng.integers(0, 3))
    hour = int(rng.integers(0, 24))
    minute, second = int(rng.integers(0, 60)), int(rng.integers(0, 60))
    hh, mm, ss = f"{hour:02d}", f"{minute:02d}", f"{second:02d}"
    fields = ([f"{hour:2d}", mm], [hh, mm, ss], [mm, ss])[kind]
    cells: list[CellSpec] = []
    for k, field_ in enumerate(fields):
        # a colon after each field's last digit but the last field's
        colon_at = len(field_) - 1 if k < len(fields) - 1 else -1
        cells += [CellSpec(d, colon=i == colon_at) for i, d in enumerate(field_)]
    return cells


# --------------------------------------------------------------------------------------------
# Display look
# --------------------------------------------------------------------------------------------


def _display_colors(
    rng: np.random.Generator, style: str
) -> tuple[NDArray[np.float32], NDArray[np.float32], float, float, dict[str, Any]]:
    """(background BGR, lit BGR, ghost strength 0..1, glow px, info) of a display style."""
    info: dict[str, Any] = {}
    if style == "led":
        name = str(rng.choice(list(_LED_COLORS)))
        lit = np.array(_LED_COLORS[name], np.float32) * float(rng.uniform(0.75, 1.0))
        bg = np.array(lit, np.float32) * float(rng.uniform(0.02, 0.12)) + float(rng.uniform(8, 30))
        ghost = float(rng.uniform(0.0, 0.22))
        glow = float(rng.uniform(0.0, 2.5))
        info["color"] = name
    elif style == "vfd":
        hue = (
            np.array([230, 255, 120], np.float32)
            if rng.random() < 0.7
            else np.array([255, 220, 80], np.float32)
        )
        lit = hue * float(rng.uniform(0.8, 1.0))
        bg = np.full(3, rng.uniform(10, 35), np.float32)
        ghost = float(rng.uniform(0.03, 0.2))
        glow = float(rng.uniform(0.5, 2.5))
    elif style == "lcd-reflective":
        base = float(rng.uniform(140, 215))
        tint = np.array([rng.uniform(0.85, 1.0), 1.0, rng.uniform(0.9, 1.02)], np.float32)
        bg = base * tint
        lit = np.full(3, rng.uniform(20, 70), np.float32)
        ghost = float(rng.uniform(0.0, 0.18))
        glow = 0.0
    else:  # lcd-backlit
        if rng.random() < 0.6:  # dark segments on a bright backlight
            bg = np.array(
                [[90, 230, 160], [255, 200, 120], [235, 240, 240], [60, 170, 255]][
                    int(rng.integers(0, 4))
                ],
                np.float32,
            ) * float(rng.uniform(0.8, 1.0))
            lit = np.full(3, rng.uniform(15, 60), np.float32)
            info["negative"] = False
        else:  # light segments on a dark backlit panel
            bg = np.array([[120, 40, 10], [20, 20, 20], [60, 30, 60]][int(rng.integers(0, 3))],
                          np.float32)  # fmt: skip
            lit = np.array([[255, 230, 200], [240, 255, 255], [200, 255, 230]][
                int(rng.integers(0, 3))], np.float32)  # fmt: skip
            info["negative"] = True
        ghost = float(rng.uniform(0.0, 0.15))
        glow = float(rng.uniform(0.0, 1.0))
    return bg, lit, ghost, glow, info


def _paint_display(
    rng: np.random.Generator,
    lit: NDArray[np.float32],
    ghost: NDArray[np.float32],
    bg: NDArray[np.float32],
    color: NDArray[np.float32],
    ghost_k: float,
    glow: float,
    style: str,
) -> NDArray[np.float32]:
    """The display window's BGR float image from lit/ghost coverage."""
    h, w = lit.shape
    img = np.empty((h, w, 3), np.float32)
    img[...] = bg
    if style.startswith("lcd"):
        shade = cv2.GaussianBlur(rng.normal(0, 1, (max(2, h // 8), max(2, w // 8))).astype(
            np.float32), (0, 0), 1.5)  # fmt: skip
        img += cv2.resize(shade, (w, h))[..., None] * float(rng.uniform(0, 6))
    cover = lit + ghost_k * ghost
    if style == "lcd-reflective" and rng.random() < 0.4:  # the segments' shadow on the back
        off = max(1, round(rng.uniform(0.01, 0.03) * h))
        sh = np.roll(np.roll(lit, off, 0), off, 1) * float(rng.uniform(0.1, 0.25))
        cover = np.maximum(cover, sh)
    img += (color - img) * cover[..., None]
    if glow > 0.2:
        halo = cv2.GaussianBlur(lit, (0, 0), glow * max(1.0, h / 120))
        img += (color - bg) * halo[..., None] * 0.35
    return img


# --------------------------------------------------------------------------------------------
# Scenes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DisplayScene:
    """A synthetic camera frame of a seven-segment display with its ground truth.

    Attributes:
        image: HxWx3 uint8 BGR frame.
        lines: truth text per display line, top to bottom.
        corners: 4x2 float32 (x, y) of the display window in the frame: top-left, top-right,
            bottom-right, bottom-left.
        boxes: (char, Box) per character in frame coordinates (axis-aligned after warps).
        style: what was drawn (JSON-serialisable).
    """

    image: NDArray[np.uint8]
    lines: tuple[str, ...]
    corners: NDArray[np.float32]
    boxes: tuple[tuple[str, Box], ...] = ()
    style: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _warp_box(m: NDArray[np.float64], b: Box) -> Box:
    p = np.array([[b.x, b.y], [b.x2, b.y], [b.x2, b.y2], [b.x, b.y2]], np.float64)
    q = cv2.perspectiveTransform(p.reshape(-1, 1, 2), m).reshape(-1, 2)
    x0, y0 = math.floor(q[:, 0].min()), math.floor(q[:, 1].min())
    return Box(int(x0), int(y0), int(math.ceil(q[:, 0].max()) - x0),
               int(math.ceil(q[:, 1].max()) - y0))  # fmt: skip


def _build_panel(
    rng: np.random.Generator,
    rows: list[list[CellSpec]],
    look: SegmentLook,
    heights: list[int],
    style: str,
) -> tuple[NDArray[np.float32], NDArray[np.float32], list[list[tuple[str, Box]]], dict[str, Any]]:
    """The display window plus bezel (BGR float32), its alpha, per-row boxes, info."""
    bg, color, ghost_k, glow, info = _display_colors(rng, style)
    rendered = [render_cells(r, look, height=h, ghost_dots=rng.random() < 0.6)
                for r, h in zip(rows, heights, strict=True)]  # fmt: skip
    # crop each row to its ghost/lit extent plus a little
    crops = []
    for lit, ghost, boxes in rendered:
        m = np.maximum(lit, ghost) > 0.05
        ys, xs = np.nonzero(m)
        y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
        crops.append((lit[y0:y1, x0:x1], ghost[y0:y1, x0:x1],
                      [(c, Box(b.x - x0, b.y - y0, b.w, b.h)) for c, b in boxes]))  # fmt: skip
    hmax = max(heights)
    pad_x = round(rng.uniform(0.25, 0.8) * hmax)
    pad_y = round(rng.uniform(0.2, 0.6) * hmax)
    gap = round(rng.uniform(0.25, 0.6) * hmax)
    win_w = max(c[0].shape[1] for c in crops) + 2 * pad_x
    win_h = sum(c[0].shape[0] for c in crops) + gap * (len(crops) - 1) + 2 * pad_y
    lit_full = np.zeros((win_h, win_w), np.float32)
    ghost_full = np.zeros((win_h, win_w), np.float32)
    row_boxes: list[list[tuple[str, Box]]] = []
    y = pad_y
    for lit, ghost, boxes in crops:
        x = win_w - pad_x - lit.shape[1]  # displays are right-aligned
        lit_full[y : y + lit.shape[0], x : x + lit.shape[1]] = lit
        ghost_full[y : y + lit.shape[0], x : x + lit.shape[1]] = ghost
        row_boxes.append([(c, Box(b.x + x, b.y + y, b.w, b.h)) for c, b in boxes])
        y += lit.shape[0] + gap
    window = _paint_display(rng, lit_full, ghost_full, bg, color, ghost_k, glow, style)
    # bezel
    bez = round(rng.uniform(0.1, 0.5) * hmax) + 3
    pw, ph = win_w + 2 * bez, win_h + 2 * bez
    panel = np.empty((ph, pw, 3), np.float32)
    v = float(rng.uniform(15, 200))
    panel[...] = v * np.array(rng.uniform(0.85, 1.1, 3), np.float32)
    panel += rng.normal(0, 2, (ph, pw, 1)).astype(np.float32)
    cv2.rectangle(panel, (1, 1), (pw - 2, ph - 2), (v * 0.6,) * 3, max(1, bez // 6))
    panel[bez : bez + win_h, bez : bez + win_w] = window
    alpha = np.ones((ph, pw), np.float32)
    boxes_out = [[(c, Box(b.x + bez, b.y + bez, b.w, b.h)) for c, b in rb] for rb in row_boxes]
    info.update({"ghost": round(ghost_k, 3), "glow": round(glow, 2), "bezel_px": bez,
                 "window": [bez, bez, win_w, win_h]})  # fmt: skip
    return panel, alpha, boxes_out, info


def make_display_scene(
    seed: SeedLike,
    *,
    size: tuple[int, int] = (640, 480),
    style: str | None = None,
    n_lines: int | None = None,
    clean: bool = False,
    clock: bool = False,
) -> DisplayScene:
    """A camera-like frame of a seven-segment display in a bezel in a cluttered scene.

    Args:
        seed: seed or generator.
        size: (width, height) of the frame.
        style: one of `STYLES`, or None for random.
        n_lines: 1 or 2 display lines (None: mostly 1).
        clean: no clutter, rotation, perspective, blur, JPEG or uneven light.
        clock: each line shows a time with colons (`random_clock_text`) instead of a
            number (a scene of its own: not the same seed's scene with another text).

    Returns:
        `DisplayScene` with the truth, the display window's corners and the style.
    """
    rng = _as_rng(seed)
    W, H = int(size[0]), int(size[1])
    style = style or str(rng.choice(STYLES, p=[0.35, 0.25, 0.2, 0.2]))
    if style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}, got {style!r}")
    n = n_lines or (2 if rng.random() < 0.2 else 1)
    look = random_look(rng)
    n_cells = [int(rng.integers(3, 9)) for _ in range(n)]
    rows = [random_display_text(rng, k) for k in n_cells]
    if clock:
        rows = [random_clock_text(rng) for _ in n_cells]
    base_h = float(np.exp(rng.uniform(np.log(18), np.log(110))))
    heights = [round(base_h)]
    if n == 2:
        heights.append(round(base_h * (rng.uniform(0.55, 1.0) if rng.random() < 0.6 else 1.0)))
    heights = [max(16, h) for h in heights]
    for _ in range(10):
        panel, alpha, boxes, info = _build_panel(rng, rows, look, heights, style)
        ph, pw = panel.shape[:2]
        if pw <= 0.9 * W and ph <= 0.85 * H:
            break
        f = 0.85 * min(0.9 * W / pw, 0.85 * H / ph)
        heights = [max(14, round(h * f)) for h in heights]
    ph, pw = panel.shape[:2]
    angle = 0.0 if clean else float(rng.uniform(-5, 5))
    persp = 0.0 if clean else float(rng.uniform(0, 0.05))
    x0 = float(rng.uniform(0.03 * W, max(0.03 * W, W - pw - 0.03 * W)))
    y0 = float(rng.uniform(0.03 * H, max(0.03 * H, H - ph - 0.03 * H)))
    cx, cy = x0 + pw / 2, y0 + ph / 2
    src = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    a = math.radians(angle)
    ca, sa = math.cos(a), math.sin(a)
    dst = []
    for px, py in src:
        dx, dy = px - pw / 2, py - ph / 2
        dst.append([cx + ca * dx - sa * dy, cy + sa * dx + ca * dy])
    dst_a = np.float32(dst) + (rng.uniform(-1, 1, (4, 2)) * persp * np.array([pw, ph])).astype(
        np.float32
    )
    m = cv2.getPerspectiveTransform(src, dst_a).astype(np.float64)
    # background scene
    if clean:
        bg = np.empty((H, W, 3), np.float32)
        bg[...] = float(rng.uniform(60, 200))
        n_clutter = 0
    else:
        bg, _kind = _background(rng, W, H)
        n_clutter = int(rng.integers(2, 25))
        _draw_clutter(rng, bg, hershey_faces(), n_clutter)
    warped = cv2.warpPerspective(panel, m, (W, H), flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_CONSTANT)  # fmt: skip
    wa = cv2.warpPerspective(alpha, m, (W, H), flags=cv2.INTER_LINEAR)[..., None]
    img = bg * (1 - wa) + warped * wa
    info["bezel_px"]
    wx, wy, ww, wh = info["window"]
    win = np.float32([[wx, wy], [wx + ww, wy], [wx + ww, wy + wh], [wx, wy + wh]])
    corners = cv2.perspectiveTransform(win.reshape(-1, 1, 2), m).reshape(4, 2)
    blur_info: dict[str, Any] = {"kind": "none"}
    jpeg_q = None
    noise = 1.5
    if not clean:
        light, _li = _lighting(rng, H, W)
        img *= light[..., None]
        blur_info = _blur(rng, img, min(heights), strength=0.8)
        noise = float(rng.uniform(1.0, 8.0))
    img += rng.standard_normal((H, W, 3), dtype=np.float32) * noise
    out = np.clip(img, 0, 255).astype(np.uint8)
    if not clean:
        jpeg_q = int(rng.integers(30, 96))
        out = _jpeg(out, jpeg_q)
    flat = tuple((c, _warp_box(m, b)) for rb in boxes for c, b in rb)
    lines = tuple(cells_text(r) for r in rows)
    style_info: dict[str, Any] = {
        "display": style,
        "look": look.kind,
        "face": look.face.name if look.face is not None else None,
        "italic": look.italic,
        "n_lines": n,
        "cells": n_cells,
        "heights": heights,
        "min_height": min(heights),
        "angle": round(angle, 2),
        "perspective": round(persp, 3),
        "blur": blur_info,
        "noise": round(noise, 2),
        "jpeg_quality": jpeg_q,
        "n_clutter": n_clutter,
        **info,
    }
    keep = [ln for ln in lines if ln]
    return DisplayScene(out, tuple(keep), corners.astype(np.float32), flat, style_info)


# --------------------------------------------------------------------------------------------
# Ticking counter (video / demo)
# --------------------------------------------------------------------------------------------


class CounterScene:
    """A ticking LED meter (`ddddd.d`, leading zeros blanked) filmed by a shaky camera.

    The static parts (background, bezel, per-character tiles) are built once; `frame(index)`
    pastes the cells, shakes, relights and adds noise. The display sits at a fixed place
    (`corners`) whatever the seed, so one calibration profile fits every demo seed.

    Args:
        seed: picks colours, look, starting count, shake phases and noise.
        size: (width, height) of the frames.
        fps: frames per second; the count rises by one tenth every `tick_s` seconds.
        tick_s: seconds between ticks.
        n_cells: digit positions (the last one after the decimal point).
        style: display style (`STYLES`); LED when None.
        shake: camera shake amplitude in pixels.
    """

    def __init__(
        self,
        seed: int = 0,
        *,
        size: tuple[int, int] = (640, 480),
        fps: float = 30.0,
        tick_s: float = 0.5,
        n_cells: int = 6,
        style: str | None = None,
        shake: float = 3.0,
    ) -> None:
        if fps <= 0:
            raise ValueError(f"fps must be > 0, got {fps}")
        W, H = int(size[0]), int(size[1])
        if W < 320 or H < 240:
            raise ValueError(f"the counter scene needs at least 320x240, got {W}x{H}")
        rng = np.random.default_rng([seed, 0x7E6])
        self.seed, self.size, self.fps, self.shake = seed, (W, H), float(fps), float(shake)
        self.n_cells = n_cells
        self.frames_per_tick = max(1, round(tick_s * fps))
        self.start = int(rng.integers(0, 10 ** (n_cells - 1)))
        self.style = style or "led"
        self.look = SegmentLook("polygon", aspect=0.55, thickness=0.14, gap=0.02,
                                slant=0.1 if rng.random() < 0.5 else 0.0, spacing=0.3)  # fmt: skip
        self.height = round(0.16 * H)
        self.bg_color, self.color, self.ghost_k, self.glow, _ = _display_colors(rng, self.style)
        self.ghost_k = max(self.ghost_k, 0.06)
        # per-cell tiles: (lit, ghost) for each char with and without dot
        probe = [CellSpec("8", True)]
        lit, _ghost, _ = render_cells(probe, self.look, height=self.height)
        self.cell_shape = lit.shape
        self.tiles: dict[tuple[str, bool], tuple[NDArray[np.float32], NDArray[np.float32]]] = {}
        for ch in "0123456789 ":
            for dot in (False, True):
                lt, gh, _ = render_cells([CellSpec(ch, dot)], self.look, height=self.height)
                self.tiles[(ch, dot)] = (lt, gh)
        self.pitch = (self.look.aspect + self.look.spacing) * self.height
        self.pad = round(0.3 * self.height)
        win_w = round(2 * self.pad + self.pitch * n_cells + self.look.slant * self.height)
        win_h = lit.shape[0]
        self.window_origin = ((W - win_w) // 2, (H - win_h) // 2)
        ox, oy = self.window_origin
        self.window_size = (win_w, win_h)
        bg, _ = _background(rng, W, H)
        _draw_clutter(rng, bg, hershey_faces(), int(rng.integers(3, 10)))
        bez = round(0.25 * self.height)
        cv2.rectangle(bg, (ox - bez, oy - bez), (ox + win_w + bez, oy + win_h + bez),
                      (45, 45, 50), -1)  # fmt: skip
        bg[oy : oy + win_h, ox : ox + win_w] = self.bg_color
        self.static = bg
        # the window's area that can hold ink (the cells), excluding the render margin
        self.corners = np.float32(
            [[ox, oy], [ox + win_w, oy], [ox + win_w, oy + win_h], [ox, oy + win_h]]
        )
        self.noise = [rng.normal(0, 3.0, (H, W, 1)).astype(np.float32) for _ in range(6)]
        self.phase = rng.uniform(0, 2 * np.pi, 6)

    def value(self, index: int) -> int:
        """The count (in tenths) shown at frame `index`."""
        return (self.start + index // self.frames_per_tick) % (10**self.n_cells)

    def cells(self, index: int) -> list[CellSpec]:
        v = self.value(index)
        digits = f"{v:0{self.n_cells}d}"
        out = []
        lead = True
        for i, d in enumerate(digits):
            last_int = i == self.n_cells - 2
            if lead and d == "0" and not last_int:
                out.append(CellSpec(" "))
                continue
            lead = False
            out.append(CellSpec(d, dot=last_int))
        return out

    def text(self, index: int) -> str:
        """The truth at frame `index`, e.g. "1234.5"."""
        return cells_text(self.cells(index))

    def frame(self, index: int) -> tuple[NDArray[np.uint8], str]:
        """The BGR frame (HxWx3 uint8) at `index` and its truth text."""
        W, H = self.size
        ox, oy = self.window_origin
        win_w, win_h = self.window_size
        lit = np.zeros((win_h, win_w), np.float32)
        ghost = np.zeros((win_h, win_w), np.float32)
        for i, c in enumerate(self.cells(index)):
            lt, gh = self.tiles[(c.char, c.dot)]
            # a one-cell tile has a margin of half the digit height around the cell
            x = round(self.pad + i * self.pitch - 0.5 * self.height)
            x0, x1 = max(0, x), min(win_w, x + lt.shape[1])
            if x1 <= x0:
                continue
            sl = slice(x0 - x, x1 - x)
            hh = min(win_h, lt.shape[0])
            np.maximum(lit[:hh, x0:x1], lt[:hh, sl], out=lit[:hh, x0:x1])
            np.maximum(ghost[:hh, x0:x1], gh[:hh, sl], out=ghost[:hh, x0:x1])
        ghost = np.clip(ghost - lit, 0, 1)
        img = self.static.copy()
        win = img[oy : oy + win_h, ox : ox + win_w]
        cover = lit + self.ghost_k * ghost
        win += (self.color - win) * cover[..., None]
        if self.glow > 0.2:
            halo = cv2.GaussianBlur(lit, (0, 0), self.glow)
            win += (self.color - self.bg_color) * halo[..., None] * 0.35
        t = index / self.fps
        p = self.phase
        ang = 0.6 * math.sin(1.3 * t + p[0]) + 0.3 * math.sin(4.1 * t + p[1])
        dx = self.shake * (math.sin(1.7 * t + p[2]) + 0.4 * math.sin(5.3 * t + p[3]))
        dy = self.shake * (0.8 * math.sin(1.1 * t + p[4]) + 0.3 * math.sin(6.1 * t + p[5]))
        m = cv2.getRotationMatrix2D((W / 2, H / 2), ang, 1.0)
        m[:, 2] += (dx, dy)
        img = cv2.warpAffine(img, m, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        gain = 1.0 + 0.1 * math.sin(0.7 * t + p[0])
        img *= gain
        img = cv2.GaussianBlur(img, (3, 3), 0.8)
        img += self.noise[(index * 5 + self.seed) % len(self.noise)]
        return np.clip(img, 0, 255).astype(np.uint8), self.text(index)
