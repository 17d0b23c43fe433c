"""Cross-check: the reader on camera-like scenes drawn apart from `digitcam.synth`.

The project's own generators (`digitcam.synth`, `digitcam.synth7`) draw the scenes the shipped
model is built from and most benchmarks run on, so a reader could score well there by fitting
one generator's style. This file draws its scenes with code written separately, from a
description of real photos only (it neither imports nor copies those generators), so the
figures it prints check that the reader does not rely on one generator's style.

Two kinds of seeded 640x480 BGR frame, each with its truth (lines top to bottom, joined by
"\\n", no spaces):

* ``printed``: 1-3 lines of digits with '.' and '-' in TrueType fonts from /usr/share/fonts on
  one or two cards (labels, price tags, paper, screens; dark on light and light on dark),
  placed with a mild homography on a background (blurred room, wood, wall, tiles, collage)
  with clutter: lines, shapes, icons and letter-only words.
* ``display``: a seven-segment display drawn with the DSEG7 fonts: an LCD with ghost (unlit)
  segments, or an LED / VFD with glow, behind a bezel on a device body in the same scenes.

Both then pass through a camera model: uneven light, sometimes a cast shadow, white balance,
defocus, gaussian or motion blur scaled to the text, sometimes a low-resolution sensor,
signal-dependent noise and JPEG at quality 25-95.

Run from the repo root::

    PYTHONPATH=src .venv/bin/python benchmarks/crosscheck.py [--kind printed|display|both]
        [--n 300] [--seed 700000] [--out DIR] [--json]

Frame i of a kind is ``make_photo_scene(seed + i, kind)``, read by ``pipeline.read_frame``
with the shipped model and the default config. Exact % = frames whose text equals the truth;
char % = 1 - summed edit distance / summed truth length ("\\n" counts as a character).
``--out DIR`` writes each failing frame as PNG with a JSON sidecar (seed, kind, truth, read,
style); ``--json`` prints one summary object with the per-frame results instead of tables.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FRAME_W = 640
FRAME_H = 480
FONT_ROOT = Path("/usr/share/fonts")
DSEG_DIR = FONT_ROOT / "truetype" / "dseg"
KINDS = ("printed", "display")
PRINTED_CHARS = "0123456789.-"
EDGE = 6  # px kept free between a card or device and the frame edge
MIN_PRINTED_H = 14.0
MAX_PRINTED_H = 115.0
MIN_DISPLAY_H = 20.0
MAX_DISPLAY_H = 120.0

# Words a label, tag or device body might carry; clutter also draws random letter strings.
WORDS = (
    "NET", "Price", "kg", "TOTAL", "Item", "Date", "Qty", "LOT", "EXP", "Sale", "Best",
    "Ref", "Room", "Open", "Menu", "Set", "Mode", "Unit", "Temp", "Power", "Hold", "Max",
)  # fmt: skip
LIGHT_FACES = (
    (245, 245, 245), (225, 238, 248), (200, 238, 252), (238, 228, 212), (218, 238, 218),
    (222, 222, 228), (232, 214, 236), (250, 250, 240),
)  # fmt: skip
DARK_FACES = (
    (22, 22, 22), (70, 35, 18), (30, 30, 120), (35, 85, 30), (48, 48, 52), (110, 50, 10),
    (60, 20, 60),
)  # fmt: skip
DARK_INKS = ((15, 15, 15), (110, 40, 15), (25, 25, 140), (25, 90, 25), (30, 55, 90), (60, 60, 60))
LIGHT_INKS = (
    (250, 250, 250), (205, 245, 255), (255, 240, 195), (185, 255, 195), (0, 215, 255),
    (235, 235, 235),
)  # fmt: skip
# price tags: (face BGR, text is dark)
TAGS = (
    ((0, 215, 255), True), ((30, 140, 255), True), ((180, 200, 255), True),
    ((40, 40, 210), False), ((60, 150, 40), False), ((170, 90, 20), False),
)  # fmt: skip
BODY_COLOURS = (
    (30, 30, 30), (60, 60, 64), (120, 120, 120), (215, 215, 210), (170, 200, 215),
    (150, 90, 40), (40, 190, 225), (40, 110, 200), (200, 200, 190),
)  # fmt: skip
# (name, BGR) pairs: a tuple, so no module-level state can be changed by accident
LED_COLOURS = (
    ("red", (40, 40, 255)), ("green", (70, 240, 60)), ("blue", (255, 150, 40)),
    ("amber", (0, 160, 255)), ("white", (235, 235, 235)),
)  # fmt: skip
VFD_COLOUR = (205, 250, 120)
BACKGROUNDS = ("room", "wood", "wall", "tiles", "collage")

Array = np.ndarray


# ----------------------------------------------------------------------------------------------
# fonts


@dataclass(frozen=True)
class PrintedFont:
    """A TrueType font that draws every character of `0123456789.-` distinctly.

    Attributes:
        path: the font file.
        digit_h: ink height of its tallest digit per unit of font size.
        stroke: stroke width of its '0' as a fraction of the digit height (thin fonts need
            taller text to stay legible after the camera).
    """

    path: str
    digit_h: float
    stroke: float

    @property
    def name(self) -> str:
        """The font file's stem, for the style dict."""
        return Path(self.path).stem


@dataclass(frozen=True)
class DsegFont:
    """A DSEG7 seven-segment font.

    Attributes:
        path: the font file.
        advance: width of one cell per unit of font size ('8', '!', '-' all share it).
        digit_h: ink height of '8' per unit of font size.
        stroke: segment thickness as a fraction of the digit height.
    """

    path: str
    advance: float
    digit_h: float
    stroke: float

    @property
    def name(self) -> str:
        """The font file's stem, for the style dict."""
        return Path(self.path).stem


def _ink(font: ImageFont.FreeTypeFont, text: str) -> tuple[Array, int, int]:
    """Binary ink of `text` cropped to its bounding box, with its top and bottom in px
    relative to the baseline (negative is above)."""
    left, top, right, bottom = font.getbbox(text, anchor="ls")
    im = Image.new("L", (right - left + 4, bottom - top + 4), 0)
    ImageDraw.Draw(im).text((2 - left, 2 - top), text, font=font, fill=255, anchor="ls")
    a = np.asarray(im) > 127
    ys, xs = np.nonzero(a)
    if len(ys) == 0:
        return np.zeros((0, 0), bool), 0, 0
    base = 2 - top
    crop = a[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    return crop, int(ys.min()) - base, int(ys.max()) - base


def _holes(mask: Array) -> int:
    """Number of enclosed background regions of a glyph (a '0' has 1, an '8' has 2)."""
    m = np.pad(mask.astype(np.uint8), 2)
    contours, hier = cv2.findContours(m, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hier is None:
        return 0
    floor = 0.002 * mask.shape[0] ** 2
    return sum(
        1 for i, c in enumerate(contours) if hier[0][i][3] >= 0 and cv2.contourArea(c) > floor
    )


def _stroke(mask: Array) -> float:
    """Stroke width in px of a glyph: twice its deepest point's distance to the background."""
    dist = cv2.distanceTransform(np.pad(mask.astype(np.uint8), 2), cv2.DIST_L2, 5)
    return 2.0 * float(dist.max())


def _check_printed_font(path: str) -> PrintedFont | None:
    """Return the font if it draws `0123456789.-` as proper, distinct glyphs, else None.

    Rejects fonts whose digits are missing or identical (.notdef boxes), symbol fonts that map
    digits to dingbats (wrong hole counts), old-style figures (digits of unequal height), and
    fonts whose '.' or '-' is not a small dot on the baseline or a short mid-height bar.
    """
    try:
        font = ImageFont.truetype(path, 96)
    except OSError:
        return None
    glyphs = {c: _ink(font, c) for c in PRINTED_CHARS}
    if any(g[0].size == 0 for g in glyphs.values()):
        return None
    heights = [glyphs[c][0].shape[0] for c in "0123456789"]
    h = max(heights)
    if min(heights) < 0.8 * h:
        return None
    holes = {c: _holes(glyphs[c][0]) for c in "0123578"}
    if holes["0"] < 1 or holes["8"] < 2 or any(holes[c] for c in "12357"):
        return None
    thumbs = [
        cv2.resize(glyphs[c][0].astype(np.float32), (24, 24), interpolation=cv2.INTER_AREA)
        for c in "0123456789"
    ]
    for i in range(10):
        for j in range(i + 1, 10):
            if float(np.abs(thumbs[i] - thumbs[j]).mean()) < 0.06:
                return None
    dot, _, dot_bottom = glyphs["."]
    if dot.shape[0] > 0.3 * h or dot.shape[1] > 0.4 * h or dot_bottom < -0.1 * h:
        return None
    dash, dash_top, dash_bottom = glyphs["-"]
    mid = -(dash_top + dash_bottom) / 2.0
    if dash.shape[0] > 0.25 * h or dash.shape[1] < 1.5 * dash.shape[0]:
        return None
    if not 0.2 * h < mid < 0.75 * h:
        return None
    return PrintedFont(path, h / 96.0, _stroke(glyphs["0"][0]) / h)


@functools.cache
def printed_fonts() -> tuple[PrintedFont, ...]:
    """The TrueType / OpenType fonts under /usr/share/fonts (no DSEG) usable for printed digits.

    Raises:
        RuntimeError: no usable font is installed.
    """
    paths = sorted(
        p
        for p in FONT_ROOT.rglob("*")
        if p.suffix.lower() in (".ttf", ".otf") and "dseg" not in str(p).lower()
    )
    fonts = tuple(f for f in (_check_printed_font(str(p)) for p in paths) if f is not None)
    if not fonts:
        raise RuntimeError(f"no font under {FONT_ROOT} draws {PRINTED_CHARS!r} distinctly")
    return fonts


@functools.cache
def dseg_fonts() -> tuple[DsegFont, ...]:
    """The DSEG7 Classic / Modern fonts whose '.' has no advance of its own.

    DSEG (0.4x and later) draws '.' with zero width, hung at the bottom right of the cell
    before it, and '!' as a blank cell as wide as '8'. The ghost string ("8." per cell) and the
    lit string ("!" blanks, then the text) then put every cell at the same x; a version where
    '.' takes a cell would break that, so such fonts are left out.

    Raises:
        RuntimeError: no usable DSEG7 font is installed.
    """
    out = []
    for p in sorted(DSEG_DIR.glob("DSEG7Classic*.ttf")) + sorted(DSEG_DIR.glob("DSEG7Modern*.ttf")):
        font = ImageFont.truetype(str(p), 200)
        adv = font.getlength("8")
        if font.getlength(".") != 0 or {font.getlength("!"), font.getlength("-")} != {adv}:
            continue
        eight = _ink(font, "8")[0]
        out.append(
            DsegFont(str(p), adv / 200, eight.shape[0] / 200, _stroke(eight) / eight.shape[0])
        )
    if not out:
        raise RuntimeError(f"no DSEG7 font with a zero-width '.' under {DSEG_DIR}")
    return tuple(out)


# ----------------------------------------------------------------------------------------------
# small helpers


def _u(rng: np.random.Generator, lo: float, hi: float) -> float:
    """A uniform float in [lo, hi)."""
    return float(rng.uniform(lo, hi))


def _log_u(rng: np.random.Generator, lo: float, hi: float) -> float:
    """A float in [lo, hi) uniform in log scale (as many small sizes as large ones)."""
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def _pick(rng: np.random.Generator, items: Sequence[Any], p: Sequence[float] | None = None) -> Any:
    """One item of `items`, with probabilities `p` if given."""
    return items[int(rng.choice(len(items), p=p))]


def _lum(bgr: Sequence[float]) -> float:
    """Luma (Rec. 601) of a BGR colour."""
    return 0.114 * bgr[0] + 0.587 * bgr[1] + 0.299 * bgr[2]


def _jitter_colour(rng: np.random.Generator, bgr: Sequence[float], amount: float) -> list[float]:
    """The colour with each channel moved by up to ±amount, clipped to [0, 255]."""
    return [float(np.clip(c + rng.uniform(-amount, amount), 0, 255)) for c in bgr]


def _separate(face: list[float], ink: list[float], need: float) -> list[float]:
    """Push `ink` away from `face` in brightness until their luminances differ by `need`."""
    ink = list(ink)
    darker = _lum(ink) < _lum(face)
    for _ in range(40):
        if abs(_lum(face) - _lum(ink)) >= need:
            break
        ink = [c * 0.85 for c in ink] if darker else [c + (255 - c) * 0.15 for c in ink]
    return ink


def _digits(rng: np.random.Generator, n: int) -> str:
    """n random decimal digits."""
    return "".join(str(int(d)) for d in rng.integers(0, 10, n))


def _ss_mask(w: int, h: int, draw: Callable[[ImageDraw.ImageDraw, int], None], ss: int) -> Array:
    """A float mask in [0, 1] of w x h px, drawn by `draw` at `ss` times the size and
    area-averaged down, so its edges are anti-aliased the way a sensor integrates light."""
    im = Image.new("L", (w * ss, h * ss), 0)
    draw(ImageDraw.Draw(im), ss)
    a = np.asarray(im, dtype=np.float32) / 255.0
    return cv2.resize(a, (w, h), interpolation=cv2.INTER_AREA)


def _rounded(w: int, h: int, radius: float, ss: int = 3) -> Array:
    """An anti-aliased rounded-rectangle mask of w x h px."""
    r = max(0.0, min(radius, w / 2 - 1, h / 2 - 1))
    return _ss_mask(
        w, h, lambda d, s: d.rounded_rectangle((0, 0, w * s - 1, h * s - 1), r * s, fill=255), ss
    )


def _noise_field(rng: np.random.Generator, cells: int, channels: int = 1, div: int = 1) -> Array:
    """Smooth noise over the frame (or 1/div of its size): a cells-wide grid of normal values
    upsampled bicubically."""
    gw = max(2, cells)
    gh = max(2, round(cells * FRAME_H / FRAME_W))
    g = rng.standard_normal((gh, gw, channels), dtype=np.float32)
    w, h = FRAME_W // div, FRAME_H // div
    return cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC).reshape(h, w, channels)


def _grid() -> tuple[Array, Array]:
    """Pixel x (1 x W) and y (H x 1) coordinates, to broadcast instead of a full mesh."""
    xs = np.arange(FRAME_W, dtype=np.float32)[None, :]
    ys = np.arange(FRAME_H, dtype=np.float32)[:, None]
    return xs, ys


def _jsonable(obj: Any) -> Any:
    """The style dict with numpy scalars and tuples turned into plain JSON types."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, (np.floating, float)):
        return round(float(obj), 4)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


# ----------------------------------------------------------------------------------------------
# backgrounds and clutter


def _bg_room(rng: np.random.Generator) -> Array:
    """Smooth multi-scale colour noise: a defocused room behind the subject."""
    base = rng.uniform(50, 200, 3).astype(np.float32)
    # summed at a quarter of the size: every scale is smooth, so one final upsampling loses
    # nothing and saves most of the work
    small = np.broadcast_to(base, (FRAME_H // 4, FRAME_W // 4, 3)).copy()
    for cells, amp in ((3, 45.0), (6, 28.0), (12, 16.0), (28, 7.0)):
        lum = _noise_field(rng, cells, 1, 4)
        chroma = _noise_field(rng, cells, 3, 4)
        small += amp * (lum + 0.45 * chroma)
    return cv2.resize(small, (FRAME_W, FRAME_H), interpolation=cv2.INTER_CUBIC)


def _bg_wood(rng: np.random.Generator) -> Array:
    """Desk-like wood: grain stripes bent by smooth noise, in planks with dark seams."""
    theta = _u(rng, -0.4, 0.4) + (math.pi / 2 if rng.random() < 0.5 else 0.0)
    xx, yy = _grid()
    u = xx * math.cos(theta) + yy * math.sin(theta)
    v = -xx * math.sin(theta) + yy * math.cos(theta)
    warp = _noise_field(rng, 4)[..., 0] * _u(rng, 6, 30) + _noise_field(rng, 14)[..., 0] * 2.0
    period = _u(rng, 2.5, 9.0)
    n = int((FRAME_W + FRAME_H) * 2 / period) + 64
    profile = np.convolve(rng.normal(0, 1, n), np.ones(3) / 3, mode="same")
    pos = (u + warp - float(u.min()) + 100.0) / period
    grain = np.interp(pos.ravel(), np.arange(n), profile).reshape(u.shape).astype(np.float32)
    plank_w = _u(rng, 60, 170)
    plank = np.floor((v - float(v.min())) / plank_w).astype(int)
    plank_tone = rng.uniform(-0.12, 0.12, int(plank.max()) + 1).astype(np.float32)
    tone = 0.85 + 0.07 * grain + plank_tone[plank]
    seam = ((v - float(v.min())) % plank_w) < _u(rng, 1.0, 2.5)
    tone[seam] *= 0.55
    base = np.array(
        _pick(rng, ((40, 75, 120), (60, 105, 160), (90, 140, 190), (30, 50, 80), (110, 160, 200)))
    )
    return np.float32(_u(rng, 0.8, 1.2)) * base.astype(np.float32) * tone[..., None]


def _bg_wall(rng: np.random.Generator) -> Array:
    """A flat painted wall with a light gradient across it."""
    base = np.array(_jitter_colour(rng, _pick(rng, LIGHT_FACES + BODY_COLOURS), 25), np.float32)
    xx, yy = _grid()
    a = _u(rng, 0, 2 * math.pi)
    ramp = ((xx - FRAME_W / 2) * math.cos(a) + (yy - FRAME_H / 2) * math.sin(a)) / FRAME_W
    img = base * (1.0 + _u(rng, 0.05, 0.3) * ramp)[..., None]
    return img + 5.0 * _noise_field(rng, 5, 1)


def _bg_tiles(rng: np.random.Generator) -> Array:
    """A checker or tiled floor seen at an angle: a flat tile pattern warped by a homography
    that makes the far side smaller."""
    size = _u(rng, 28, 110)
    pw, ph = 2 * FRAME_W, 2 * FRAME_H
    # the pattern is separable on the floor: tile index and grout along each axis
    iu, iv = np.arange(pw) // size, np.arange(ph) // size
    grout_w = _u(rng, 0.02, 0.07) * size
    c1 = np.array(_jitter_colour(rng, _pick(rng, LIGHT_FACES + BODY_COLOURS), 20), np.float32)
    c2 = np.array(_jitter_colour(rng, _pick(rng, DARK_FACES + BODY_COLOURS), 20), np.float32)
    if rng.random() < 0.5:  # plain tiles that differ a little, not a checker
        c2 = c1 * np.float32(_u(rng, 0.85, 0.97))
    # a palette image (tile 1, tile 2, grout) gathered by index: cheaper than float maths
    idx = ((iu[None, :] + iv[:, None]) % 2).astype(np.uint8)
    idx[(np.arange(ph) % size < grout_w)[:, None] | (np.arange(pw) % size < grout_w)[None, :]] = 2
    grout_col = _jitter_colour(rng, (150, 150, 150), 60)
    pattern = np.clip(np.array([c1, c2, grout_col]), 0, 255).astype(np.uint8)[idx]
    # frame corners seen on the floor: the far (top) edge spans more floor than the near one
    k = _u(rng, 0.0, 0.35) * pw
    floor = np.float32([[-k, 0], [pw + k, 0], [pw, ph], [0, ph]]) * np.float32(0.5)
    floor += rng.uniform(-40, 40, (4, 2)).astype(np.float32) + np.float32([pw / 4, ph / 4])
    a = _u(rng, -math.pi / 4, math.pi / 4)
    rot = np.float32([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    floor = (floor - np.float32([pw / 2, ph / 2])) @ rot.T + np.float32([pw / 2, ph / 2])
    frame = np.float32([[0, 0], [FRAME_W, 0], [FRAME_W, FRAME_H], [0, FRAME_H]])
    m = cv2.getPerspectiveTransform(frame, floor)
    img = cv2.warpPerspective(
        pattern,
        m,
        (FRAME_W, FRAME_H),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REFLECT,
    )
    return cv2.GaussianBlur(img, (0, 0), 0.7).astype(np.float32)


def _bg_collage(rng: np.random.Generator) -> Array:
    """A photo-like collage: blurred far blobs under sharper near ones."""
    img = np.clip(_bg_room(rng), 0, 255).astype(np.uint8)
    for batch in range(2):
        for _ in range(int(rng.integers(8, 22))):
            col = [int(c) for c in rng.integers(0, 256, 3)]
            cx, cy = int(rng.integers(0, FRAME_W)), int(rng.integers(0, FRAME_H))
            shape = rng.integers(3)
            if shape == 0:
                axes = (int(rng.integers(10, 120)), int(rng.integers(10, 120)))
                cv2.ellipse(img, (cx, cy), axes, _u(rng, 0, 180), 0, 360, col, -1, cv2.LINE_AA)
            elif shape == 1:
                w, h = int(rng.integers(15, 200)), int(rng.integers(15, 200))
                cv2.rectangle(img, (cx, cy), (cx + w, cy + h), col, -1, cv2.LINE_AA)
            else:
                pts = np.array([cx, cy]) + rng.integers(-90, 90, (int(rng.integers(3, 7)), 2))
                cv2.fillPoly(img, [pts.astype(np.int32)], col, cv2.LINE_AA)
        if batch == 0:
            img = cv2.GaussianBlur(img, (0, 0), _u(rng, 3, 9))
    return cv2.GaussianBlur(img, (0, 0), _u(rng, 0.5, 1.5)).astype(np.float32)


def _background(rng: np.random.Generator) -> tuple[Array, str]:
    """A random background (uint8 BGR frame) and its kind."""
    kind = str(_pick(rng, BACKGROUNDS))
    draw = {
        "room": _bg_room,
        "wood": _bg_wood,
        "wall": _bg_wall,
        "tiles": _bg_tiles,
        "collage": _bg_collage,
    }[kind]
    return np.clip(draw(rng), 0, 255).astype(np.uint8), kind


def _overlaps(box: tuple[float, float, float, float], others: Sequence[Sequence[float]]) -> bool:
    """Whether box (x0, y0, x1, y1) overlaps any of `others`."""
    x0, y0, x1, y1 = box
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in others)


def _free_spot(
    rng: np.random.Generator, w: int, h: int, reserved: Sequence[Sequence[float]]
) -> tuple[int, int] | None:
    """Top-left of a w x h box inside the frame that overlaps no reserved box, or None."""
    if w >= FRAME_W - 4 or h >= FRAME_H - 4:
        return None
    for _ in range(30):
        x = int(rng.integers(2, FRAME_W - w - 2))
        y = int(rng.integers(2, FRAME_H - h - 2))
        if not _overlaps((x, y, x + w, y + h), reserved):
            return x, y
    return None


def _word_patch(rng: np.random.Generator, avoid: Sequence[str]) -> tuple[Array, str, str]:
    """A letter-only word rendered at 1x as a float mask, in a font other than `avoid`."""
    fonts = [f for f in printed_fonts() if f.path not in avoid and "Symbol" not in f.path]
    font_info = _pick(rng, fonts)
    if rng.random() < 0.5:
        word = str(_pick(rng, WORDS))
    else:
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        word = "".join(letters[int(i)] for i in rng.integers(0, 52, int(rng.integers(2, 7))))
    size = max(8, round(_u(rng, 10, 40) / font_info.digit_h))
    font = ImageFont.truetype(font_info.path, size)
    left, top, right, bottom = font.getbbox(word)
    im = Image.new("L", (right - left + 4, bottom - top + 4), 0)
    ImageDraw.Draw(im).text((2 - left, 2 - top), word, font=font, fill=255)
    if rng.random() < 0.4:
        im = im.rotate(_u(rng, -12, 12), resample=Image.Resampling.BICUBIC, expand=True)
    return np.asarray(im, dtype=np.float32) / 255.0, word, font_info.name


def _paste_mask(img: Array, mask: Array, x: int, y: int, colour: Sequence[float]) -> None:
    """Blend `colour` into img at (x, y) with `mask` as its coverage, in place."""
    h, w = mask.shape
    roi = img[y : y + h, x : x + w].astype(np.float32)
    m = mask[..., None]
    img[y : y + h, x : x + w] = (roi * (1 - m) + np.float32(colour) * m).astype(img.dtype)


def _clutter(
    rng: np.random.Generator, img: Array, reserved: Sequence[Sequence[float]], avoid: Sequence[str]
) -> dict[str, Any]:
    """Draw lines, circles, rectangles (these may pass behind the subject), then icons and
    letter-only words away from it, on the uint8 background in place."""
    n_lines, n_circles, n_rects = (int(rng.integers(0, k)) for k in (7, 4, 4))
    for _ in range(n_lines):
        p0 = (int(rng.integers(-50, FRAME_W + 50)), int(rng.integers(-50, FRAME_H + 50)))
        p1 = (int(rng.integers(-50, FRAME_W + 50)), int(rng.integers(-50, FRAME_H + 50)))
        col = [int(c) for c in rng.integers(0, 256, 3)]
        cv2.line(img, p0, p1, col, int(rng.integers(1, 5)), cv2.LINE_AA)
    for _ in range(n_circles):
        c = (int(rng.integers(0, FRAME_W)), int(rng.integers(0, FRAME_H)))
        col = [int(v) for v in rng.integers(0, 256, 3)]
        thick = -1 if rng.random() < 0.4 else int(rng.integers(1, 4))
        cv2.circle(img, c, int(rng.integers(10, 80)), col, thick, cv2.LINE_AA)
    for _ in range(n_rects):
        x, y = int(rng.integers(0, FRAME_W)), int(rng.integers(0, FRAME_H))
        w, h = int(rng.integers(15, 160)), int(rng.integers(15, 160))
        col = [int(v) for v in rng.integers(0, 256, 3)]
        thick = -1 if rng.random() < 0.4 else int(rng.integers(1, 4))
        cv2.rectangle(img, (x, y), (x + w, y + h), col, thick, cv2.LINE_AA)
    n_icons = 0
    for _ in range(int(rng.integers(0, 6))):
        r = int(rng.integers(3, 12))
        spot = _free_spot(rng, 2 * r + 2, 2 * r + 2, reserved)
        if spot is None:
            continue
        cx, cy = spot[0] + r + 1, spot[1] + r + 1
        col = [int(v) for v in rng.integers(0, 256, 3)]
        shape = rng.integers(3)
        if shape == 0:
            cv2.circle(img, (cx, cy), r, col, -1, cv2.LINE_AA)
        elif shape == 1:
            cv2.rectangle(img, (cx - r, cy - r), (cx + r, cy + r), col, -1, cv2.LINE_AA)
        else:
            tri = np.array([[cx, cy - r], [cx + r, cy + r], [cx - r, cy + r]], np.int32)
            cv2.fillPoly(img, [tri], col, cv2.LINE_AA)
        n_icons += 1
    words = []
    taken = list(reserved)  # words also keep clear of each other
    for _ in range(int(rng.integers(0, 4))):
        mask, word, font_name = _word_patch(rng, avoid)
        h, w = mask.shape
        spot = _free_spot(rng, w, h, taken)
        if spot is None:
            continue
        taken.append((spot[0] - 4, spot[1] - 4, spot[0] + w + 4, spot[1] + h + 4))
        local = float(img[spot[1] : spot[1] + h, spot[0] : spot[0] + w].mean())
        col = _separate([local] * 3, _jitter_colour(rng, (128, 128, 128), 100), 70)
        _paste_mask(img, mask, spot[0], spot[1], col)
        words.append(f"{word}@{font_name}")
    return {
        "lines": n_lines,
        "circles": n_circles,
        "rects": n_rects,
        "icons": n_icons,
        "words": words,
    }


# ----------------------------------------------------------------------------------------------
# placement


def _corners_rel(w: float, h: float, angle_deg: float, jitter: Array) -> Array:
    """The card's corners after rotation about its centre and corner jitter (fractions of the
    card size), relative to its centre."""
    a = math.radians(angle_deg)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    c = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    return c @ rot.T + jitter * np.array([w, h])


def _bbox_size(corners: Array) -> tuple[float, float]:
    """Width and height of the bounding box of some points."""
    span = corners.max(axis=0) - corners.min(axis=0)
    return float(span[0]), float(span[1])


def _homography(w: int, h: int, corners_rel: Array, left: float, top: float) -> Array:
    """Map the w x h card image so its transformed corners' bounding box starts at left, top."""
    dst = corners_rel - corners_rel.min(axis=0) + np.array([left, top])
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    return cv2.getPerspectiveTransform(src, dst.astype(np.float32))


def _random_pose(rng: np.random.Generator) -> tuple[float, Array]:
    """In-plane rotation up to ±5° and per-corner jitter up to ~6% of the size."""
    angle = _u(rng, -5, 5)
    amount = _u(rng, 0.0, 0.06)
    return angle, rng.uniform(-amount, amount, (4, 2))


def _composite(
    img: Array, face: Array, alpha: Array, hom: Array, rng: np.random.Generator
) -> dict[str, Any]:
    """Warp a face (float BGR) with its alpha into the float frame, with a soft drop shadow.

    The face is premultiplied by alpha before the warp so its edge blends with the scene
    instead of with the warp's black border.
    """
    h, w = alpha.shape
    corners = cv2.perspectiveTransform(
        np.float32([[[0, 0]], [[w, 0]], [[w, h]], [[0, h]]]), hom
    ).reshape(4, 2)
    # work in the face's box only (padded for the shadow's offset and blur): it is faster
    # than warping and blurring whole frames
    x0, y0 = (max(0, math.floor(v) - 40) for v in corners.min(axis=0))
    x1 = min(FRAME_W, math.ceil(corners[:, 0].max()) + 40)
    y1 = min(FRAME_H, math.ceil(corners[:, 1].max()) + 40)
    shift = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], np.float64)
    rgba = np.dstack([face * alpha[..., None], alpha]).astype(np.float32)
    warped = cv2.warpPerspective(
        rgba, shift @ hom, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0, 0)
    )
    roi = img[y0:y1, x0:x1]
    a = warped[..., 3]
    shadow = None
    if rng.random() < 0.6:
        dx, dy = _u(rng, -8, 8), _u(rng, 2, 12)
        sh = cv2.warpAffine(a, np.float32([[1, 0, dx], [0, 1, dy]]), (x1 - x0, y1 - y0))
        sh = cv2.GaussianBlur(sh, (0, 0), _u(rng, 2, 8))
        shadow = _u(rng, 0.15, 0.45)
        roi *= (1.0 - shadow * sh)[..., None]
    roi *= (1.0 - a)[..., None]
    roi += warped[..., :3]
    return {"drop_shadow": shadow}


# ----------------------------------------------------------------------------------------------
# printed scene


@dataclass
class _Line:
    """One printed line as planned: its size may still shrink to fit the frame."""

    text: str
    height: float  # digit height in the frame, px
    font: PrintedFont
    tracking: float  # extra space between characters, fraction of the digit height
    align: str
    width_ratio: float = 0.0  # line width / digit height, from the font's advances
    floor: float = MIN_PRINTED_H  # the smallest height fitting the frame may shrink it to


@dataclass
class _Card:
    """One card as planned, then sized and placed (size, box, homography)."""

    kind: str
    dark_text: bool
    face: list[float]
    ink: list[float]
    lines: list[_Line]
    margin: tuple[float, float]  # fractions of the tallest line
    gaps: list[float]  # between lines, fractions of the taller neighbour
    extra_w: float  # inner width beyond the widest line, fraction of it
    radius: float  # corner radius, fraction of the smaller margin
    border: bool
    angle: float
    jitter: Array
    size: tuple[int, int] = (0, 0)
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    hom: Array = field(default_factory=lambda: np.eye(3))


def _printed_text(rng: np.random.Generator) -> str:
    """3-10 characters: digits with at most one '.', a leading '-' or '-' between digit groups;
    no mark first (but a leading minus), last, or next to another mark."""
    n = int(rng.integers(3, 11))
    form = _pick(rng, ("plain", "decimal", "negative", "dashed"), (0.3, 0.35, 0.15, 0.2))
    if form == "plain":
        return _digits(rng, n)
    if form == "negative":
        return "-" + _digits(rng, n - 1)
    if form == "decimal":
        minus = n >= 4 and rng.random() < 0.3
        m = n - int(minus)
        before = int(rng.integers(1, m - 1))
        return ("-" if minus else "") + _digits(rng, before) + "." + _digits(rng, m - 1 - before)
    groups = 3 if n >= 8 and rng.random() < 0.5 else 2
    digits = n - (groups - 1)
    cuts = sorted(int(c) for c in rng.choice(np.arange(1, digits), groups - 1, replace=False))
    bounds = [0, *cuts, digits]
    body = _digits(rng, digits)
    return "-".join(body[bounds[i] : bounds[i + 1]] for i in range(groups))


def _advances(font: ImageFont.FreeTypeFont, line: _Line, unit: float) -> tuple[list[float], float]:
    """x offset of each character of the line and the line's width, in the font's px.

    Negative tracking is not applied next to '.' or '-', so tight spacing never fuses a
    point or dash into a digit (touching digits are fine: that is what tight bold looks like).
    """
    xs, x = [], 0.0
    for i, ch in enumerate(line.text):
        xs.append(x)
        if i + 1 < len(line.text):
            track = line.tracking
            if ch in ".-" or line.text[i + 1] in ".-":
                track = max(track, 0.0)
            x += font.getlength(ch) + track * unit
    return xs, x + font.getlength(line.text[-1])


def _card_colours(
    rng: np.random.Generator, kind: str, dark_text: bool
) -> tuple[list[float], list[float]]:
    """Face and ink colours for a card of this kind and polarity, >= 100 luma apart."""
    if kind == "price":
        face, _ = _pick(rng, [t for t in TAGS if t[1] == dark_text])
    elif kind == "paper":
        face = (240, 242, 244)
    elif kind == "screen":
        face = (235, 235, 232) if dark_text else _pick(rng, ((18, 18, 18), (60, 25, 10)))
    else:
        face = _pick(rng, LIGHT_FACES if dark_text else DARK_FACES)
    ink = _pick(rng, DARK_INKS if dark_text else LIGHT_INKS)
    face_j = _jitter_colour(rng, face, 12)
    return face_j, _separate(face_j, _jitter_colour(rng, ink, 12), 100)


def _plan_card(rng: np.random.Generator, n_lines: int, dark_text: bool) -> _Card:
    """Choose a card's kind, colours, lines (text, size, font, spacing), margins and pose."""
    fonts = printed_fonts()
    kinds = ("label", "price", "paper", "screen") if dark_text else ("label", "price", "screen")
    p = (0.35, 0.2, 0.25, 0.2) if dark_text else (0.5, 0.25, 0.25)
    kind = str(_pick(rng, kinds, p))
    face, ink = _card_colours(rng, kind, dark_text)
    h_main = _log_u(rng, MIN_PRINTED_H, MAX_PRINTED_H)
    heights = [h_main]
    for _ in range(n_lines - 1):
        same = rng.random() < 0.35
        heights.append(h_main if same else max(MIN_PRINTED_H, h_main * _u(rng, 0.4, 1.0)))
    if rng.random() < 0.3:  # the small line above the big one (a caption line)
        heights.reverse()
    # thin fonts only where their strokes stay at least ~1.2 px in the frame
    usable = [f for f in fonts if f.stroke * min(heights) >= 1.2] or list(fonts)
    main_font = _pick(rng, usable)
    tracking = _u(rng, -0.06, 0.0) if rng.random() < 0.25 else _u(rng, 0.0, 0.3)
    lines = []
    for h in heights:
        font = _pick(rng, usable) if rng.random() < 0.25 else main_font
        lines.append(_Line(_printed_text(rng), h, font, tracking, _pick(rng, ("l", "c", "r"))))
    for line in lines:
        # shrinking to fit must not thin a light font's strokes below ~1.2 px either
        line.floor = min(line.height, max(MIN_PRINTED_H, 1.2 / line.font.stroke))
        ref = ImageFont.truetype(line.font.path, 100)
        unit = line.font.digit_h * 100
        line.width_ratio = _advances(ref, line, unit)[1] / unit + 0.1  # 0.1: italic overhang
    margin_scale = _u(rng, 1.4, 2.4) if kind == "paper" else 1.0
    angle, jitter = _random_pose(rng)
    return _Card(
        kind=kind,
        dark_text=dark_text,
        face=face,
        ink=ink,
        lines=lines,
        margin=(_u(rng, 0.35, 1.0) * margin_scale, _u(rng, 0.3, 0.8) * margin_scale),
        gaps=[_u(rng, 0.3, 0.8) for _ in range(n_lines - 1)],
        extra_w=_u(rng, 0.0, 0.4) if rng.random() < 0.6 else 0.0,
        radius=0.0 if kind == "paper" else _u(rng, 0.0, 0.6),
        border=kind in ("label", "price") and rng.random() < 0.3,
        angle=angle,
        jitter=jitter,
    )


def _card_size(card: _Card) -> tuple[float, float]:
    """The card's width and height in frame px, from its lines and margins."""
    hs = [ln.height for ln in card.lines]
    hmax = max(hs)
    mx, my = card.margin[0] * hmax + 3, card.margin[1] * hmax + 3
    inner_w = max(ln.width_ratio * ln.height for ln in card.lines) * (1 + card.extra_w)
    inner_h = sum(hs) + sum(g * max(hs[i], hs[i + 1]) for i, g in enumerate(card.gaps))
    return inner_w + 2 * mx, inner_h + 2 * my


def _fit(
    items: Sequence[Any],
    size: Callable[[Any], tuple[float, float]],
    lines: Callable[[Any], list[Any]],
) -> list[tuple[float, float]]:
    """Shrink the text lines of stacked items (each no lower than its `floor`) until their
    posed bounding boxes fit the frame one above the other; returns each box's size.

    Raises:
        RuntimeError: the floors do not allow a fit (not reached with these size ranges).
    """
    for _ in range(60):
        boxes = [_bbox_size(_corners_rel(*size(it), it.angle, it.jitter)) for it in items]
        fits_w = all(b[0] <= FRAME_W - 2 * EDGE for b in boxes)
        fits_h = sum(b[1] for b in boxes) + 8 * (len(boxes) - 1) <= FRAME_H - 2 * EDGE
        if fits_w and fits_h:
            return boxes
        for it in items:
            for ln in lines(it):
                ln.height = max(ln.floor, ln.height * 0.94)
    raise RuntimeError("scene does not fit the frame")


def _stack(
    rng: np.random.Generator, boxes: Sequence[tuple[float, float]]
) -> list[tuple[float, float]]:
    """Top-left of each bounding box: stacked top to bottom with random gaps, random x."""
    slack = FRAME_H - 2 * EDGE - sum(b[1] for b in boxes) - 8 * (len(boxes) - 1)
    shares = rng.dirichlet(np.ones(len(boxes) + 1)) * slack
    out, y = [], EDGE + float(shares[0])
    for i, (bw, bh) in enumerate(boxes):
        x = _u(rng, EDGE, max(EDGE, FRAME_W - EDGE - bw))
        out.append((x, y))
        y += bh + 8 + float(shares[i + 1])
    return out


def _render_card(rng: np.random.Generator, card: _Card, scale: int) -> tuple[Array, Array]:
    """The card's face (float BGR, 1x) with its text, and its alpha.

    Text is drawn at `scale` times the frame size and area-averaged down, so its edges are
    shaded the way a sensor pixel integrates a sharp print, not the way a font rasterizer
    hints it; the warp into the frame then resamples once more like a camera.
    """
    w, h = card.size
    hs = [ln.height for ln in card.lines]
    hmax = max(hs)
    mx, my = card.margin[0] * hmax + 3, card.margin[1] * hmax + 3
    inner_w = w - 2 * mx
    im = Image.new("L", (w * scale, h * scale), 0)
    draw = ImageDraw.Draw(im)
    top = my
    for i, line in enumerate(card.lines):
        size = max(4, round(line.height * scale / line.font.digit_h))
        font = ImageFont.truetype(line.font.path, size)
        xs, width_hi = _advances(font, line, line.height * scale)
        width = width_hi / scale
        x0 = {"l": mx, "c": mx + (inner_w - width) / 2, "r": w - mx - width}[line.align]
        base = (top + line.height) * scale
        for ch, x in zip(line.text, xs, strict=False):
            draw.text((x0 * scale + x, base), ch, font=font, fill=255, anchor="ls")
        if i < len(card.gaps):
            top += line.height + card.gaps[i] * max(line.height, card.lines[i + 1].height)
    ink = cv2.resize(
        np.asarray(im, np.float32) / 255.0, (w, h), interpolation=cv2.INTER_AREA
    ) * np.float32(_u(rng, 0.88, 1.0))
    alpha = _rounded(w, h, card.radius * min(mx, my))
    face = np.empty((h, w, 3), np.float32)
    face[:] = np.float32(card.face)
    yy = np.linspace(-1, 1, h, dtype=np.float32)[:, None, None]
    face *= 1.0 + _u(rng, -0.06, 0.06) * yy  # gloss or a sheet's slight curl
    face += np.float32(2.5 if card.kind == "paper" else 1.2) * rng.standard_normal(
        face.shape, dtype=np.float32
    )
    if card.kind == "screen":
        ring = max(2, round(0.4 * min(mx, my)))
        bezel = np.float32(_jitter_colour(rng, (20, 20, 22), 10))
        face[:ring], face[-ring:], face[:, :ring], face[:, -ring:] = bezel, bezel, bezel, bezel
        if rng.random() < 0.5:  # the screen's pixel columns, faint
            face[:, ::3] *= np.float32(0.93)
        if not card.dark_text:  # light text on a screen glows a little
            glow = cv2.GaussianBlur(ink, (0, 0), max(0.8, 0.06 * hmax))
            face += np.float32(card.ink) * glow[..., None] * np.float32(_u(rng, 0.1, 0.4))
    if card.border:
        inset = max(1, round(0.35 * min(mx, my)))
        thick = max(1, round(0.05 * hmax))
        cv2.rectangle(face, (inset, inset), (w - 1 - inset, h - 1 - inset), card.ink, thick)
    face = face * (1 - ink[..., None]) + np.float32(card.ink) * ink[..., None]
    return face, alpha


def _printed_scene(rng: np.random.Generator) -> tuple[Array, str, dict[str, Any]]:
    """Cards of digit lines in a cluttered scene, through the camera."""
    two = rng.random() < 0.25
    counts = (
        _pick(rng, ((1, 1), (1, 2), (2, 1)))
        if two
        else (int(_pick(rng, (1, 2, 3), (0.5, 0.32, 0.18))),)
    )
    first_dark = rng.random() < 0.6
    cards = [
        _plan_card(rng, n, first_dark if i == 0 else not first_dark) for i, n in enumerate(counts)
    ]
    boxes = _fit(cards, _card_size, lambda c: c.lines)
    for card, (bw, bh), (left, top) in zip(cards, boxes, _stack(rng, boxes), strict=True):
        w, h = _card_size(card)
        card.size = (math.ceil(w), math.ceil(h))
        corners = _corners_rel(*card.size, card.angle, card.jitter)
        card.hom = _homography(*card.size, corners, left, top)
        card.box = (left, top, left + bw, top + bh)
    bg, bg_kind = _background(rng)
    reserved = [(c.box[0] - 12, c.box[1] - 12, c.box[2] + 12, c.box[3] + 12) for c in cards]
    clutter = _clutter(rng, bg, reserved, [ln.font.path for c in cards for ln in c.lines])
    img = bg.astype(np.float32)
    scale = int(rng.integers(3, 5))
    shadows = []
    for card in cards:
        face, alpha = _render_card(rng, card, scale)
        shadows.append(_composite(img, face, alpha, card.hom, rng)["drop_shadow"])
    lines = [ln for c in cards for ln in c.lines]
    h_min = min(ln.height for ln in lines)
    stroke = min(ln.font.stroke * ln.height for ln in lines)
    region = (min(c.box[0] for c in cards), min(c.box[1] for c in cards),
              max(c.box[2] for c in cards), max(c.box[3] for c in cards))  # fmt: skip
    out, camera = _camera(rng, img, h_min, stroke, region)
    # the cards are stacked in list order, so their lines already read top to bottom
    truth = "\n".join(ln.text for ln in lines)
    pol = {True: "dark-on-light", False: "light-on-dark"}
    polarity = pol[cards[0].dark_text] if len(cards) == 1 else "mixed"
    style = {
        "polarity": polarity,
        "height_px": h_min,
        "background": bg_kind,
        "render_scale": scale,
        "cards": [
            {
                "kind": c.kind,
                "polarity": pol[c.dark_text],
                "face_bgr": c.face,
                "ink_bgr": c.ink,
                "size": c.size,
                "box": c.box,
                "angle": c.angle,
                "jitter": c.jitter,
                "border": c.border,
                "drop_shadow": s,
                "lines": [
                    {
                        "text": ln.text,
                        "height_px": ln.height,
                        "font": ln.font.name,
                        "tracking": ln.tracking,
                        "align": ln.align,
                    }
                    for ln in c.lines
                ],
            }
            for c, s in zip(cards, shadows, strict=True)
        ],
        "clutter": clutter,
        **camera,
    }
    return out, truth, style


# ----------------------------------------------------------------------------------------------
# display scene


@dataclass
class _DispLine:
    """One display line: its text, its number of cells (leading blanks included), its height."""

    text: str
    cells: int
    height: float
    floor: float = MIN_DISPLAY_H


@dataclass
class _Device:
    """A display device as planned: font, lines, glass padding, bezel, body margins, pose."""

    font: DsegFont
    lines: list[_DispLine]
    align: str
    pad: tuple[float, float]  # glass padding, fractions of the tallest line
    gap: float
    bezel: float
    body: tuple[float, float, float, float]  # left, top, right, bottom margins (fractions)
    angle: float
    jitter: Array


def _display_text(rng: np.random.Generator, max_len: int) -> str:
    """1..max_len characters: digits, maybe a leading '-', maybe one '.' after a digit that
    is followed by another digit."""
    length = int(rng.integers(1, max_len + 1))
    minus = length >= 2 and rng.random() < 0.15
    point = length - int(minus) >= 3 and rng.random() < 0.5
    n_dig = length - int(minus) - int(point)
    digits = _digits(rng, n_dig)
    if point:
        k = int(rng.integers(1, n_dig))
        digits = digits[:k] + "." + digits[k:]
    return ("-" if minus else "") + digits


def _plan_device(rng: np.random.Generator) -> _Device:
    """Choose a display's font, lines, cell count, layout and pose."""
    font = _pick(rng, dseg_fonts())
    n_lines = 2 if rng.random() < 0.35 else 1
    h0 = _log_u(rng, MIN_DISPLAY_H, MAX_DISPLAY_H)
    lines = []
    for i in range(n_lines):
        text = _display_text(rng, 8)
        used = len(text.replace(".", ""))
        blanks = min(int(_pick(rng, (0, 0, 1, 2, 3))), 8 - used)
        h = h0 if i == 0 else max(MIN_DISPLAY_H, h0 * _u(rng, 0.45, 0.9))
        lines.append(_DispLine(text, used + blanks, h))
    if n_lines == 2 and rng.random() < 0.25:  # a small status line above the main one
        lines.reverse()
    angle, jitter = _random_pose(rng)
    return _Device(
        font=font,
        lines=lines,
        align=_pick(rng, ("r", "l", "c"), (0.7, 0.15, 0.15)),
        pad=(_u(rng, 0.2, 0.6), _u(rng, 0.18, 0.45)),
        gap=_u(rng, 0.25, 0.5),
        bezel=_u(rng, 0.06, 0.25),
        body=(_u(rng, 0.15, 0.7), _u(rng, 0.15, 0.9), _u(rng, 0.15, 0.7), _u(rng, 0.15, 1.4)),
        angle=angle,
        jitter=jitter,
    )


def _device_geometry(dev: _Device) -> dict[str, float]:
    """Sizes in frame px: glass, bezel and body, from the line heights."""
    hmax = max(ln.height for ln in dev.lines)
    cell = dev.font.advance / dev.font.digit_h
    # 0.12: the last cell's point hangs past the cell
    line_w = [ln.cells * cell * ln.height + 0.12 * ln.height for ln in dev.lines]
    pad_x, pad_y = dev.pad[0] * hmax + 2, dev.pad[1] * hmax + 2
    glass_w = max(line_w) + 2 * pad_x
    glass_h = sum(ln.height for ln in dev.lines) + dev.gap * hmax * (len(dev.lines) - 1)
    glass_h += 2 * pad_y
    bezel = dev.bezel * hmax + 2
    left, top, right, bottom = (m * hmax + 3 for m in dev.body)
    return {
        "pad_x": pad_x,
        "pad_y": pad_y,
        "glass_w": glass_w,
        "glass_h": glass_h,
        "bezel": bezel,
        "left": left,
        "top": top,
        "w": glass_w + 2 * bezel + left + right,
        "h": glass_h + 2 * bezel + top + bottom,
    }


def _device_size(dev: _Device) -> tuple[float, float]:
    """The device body's width and height in frame px."""
    g = _device_geometry(dev)
    return g["w"], g["h"]


def _render_glass(
    rng: np.random.Generator, dev: _Device, g: dict[str, float], gw: int, gh: int, scale: int
) -> tuple[Array, dict[str, Any]]:
    """The display window (float BGR, 1x): unlit ghost cells under the lit text.

    Ghosts are "8" (with "." where the display has points) in every cell, drawn in the same
    font at the same origin as the lit string, so unlit and lit segments coincide the way a
    real panel's do; leading blank cells ('!') show only their ghosts.
    """
    look = str(_pick(rng, ("lcd", "led", "vfd"), (0.5, 0.32, 0.18)))
    dp_ghost = rng.random() < 0.7
    hmax = max(ln.height for ln in dev.lines)
    ghost_im = Image.new("L", (gw * scale, gh * scale), 0)
    lit_im = Image.new("L", (gw * scale, gh * scale), 0)
    cell = dev.font.advance / dev.font.digit_h
    right = gw - g["pad_x"] - 0.12 * hmax
    top = g["pad_y"]
    for ln in dev.lines:
        width = ln.cells * cell * ln.height
        x0 = {"r": right - width, "l": g["pad_x"], "c": (gw - width) / 2}[dev.align]
        size = max(4, round(ln.height * scale / dev.font.digit_h))
        font = ImageFont.truetype(dev.font.path, size)
        origin = (x0 * scale, (top + ln.height) * scale)
        blanks = ln.cells - len(ln.text.replace(".", ""))
        ghost = ("8." if dp_ghost else "8") * ln.cells
        ImageDraw.Draw(ghost_im).text(origin, ghost, font=font, fill=255, anchor="ls")
        ImageDraw.Draw(lit_im).text(
            origin, "!" * blanks + ln.text, font=font, fill=255, anchor="ls"
        )
        top += ln.height + dev.gap * hmax

    def down(im: Image.Image) -> Array:
        """Area-average a hi-res mask to the glass size."""
        a = np.asarray(im, np.float32) / 255.0
        return cv2.resize(a, (gw, gh), interpolation=cv2.INTER_AREA)[..., None]

    ghost_m, lit_m = down(ghost_im), down(lit_im)
    yy = np.linspace(-1, 1, gh, dtype=np.float32)[:, None, None]
    style: dict[str, Any] = {"look": look, "dp_ghost": dp_ghost}
    if look == "lcd":
        bg = _jitter_colour(
            rng, _pick(rng, ((135, 170, 150), (170, 178, 175), (110, 175, 160))), 15
        )
        seg = _separate(bg, _jitter_colour(rng, (45, 50, 45), 15), 95)
        contrast = _u(rng, 0.05, 0.2) if rng.random() < 0.8 else 0.0
        glass = np.empty((gh, gw, 3), np.float32)
        glass[:] = np.float32(bg)
        glass *= 1.0 + _u(rng, -0.08, 0.08) * yy
        glass += (np.float32(seg) - glass) * ghost_m * np.float32(contrast)
        # segments cast a faint shadow on the reflector behind the liquid crystal
        off = np.float32([[1, 0, _u(rng, 0.5, 2.0)], [0, 1, _u(rng, 0.5, 2.0)]])
        sh = cv2.warpAffine(lit_m[..., 0], off, (gw, gh))[..., None]
        glass *= 1.0 - np.float32(_u(rng, 0.0, 0.15)) * sh
        glass = glass * (1 - lit_m) + np.float32(seg) * lit_m
        style.update({"ghost": contrast, "glass_bgr": bg, "segment_bgr": seg, "colour": "lcd"})
        return glass, style
    name, bgr = ("vfd", VFD_COLOUR) if look == "vfd" else _pick(rng, LED_COLOURS)
    col = np.float32(bgr)
    bg = np.float32(_jitter_colour(rng, (18, 18, 18), 12)) + col * np.float32(_u(rng, 0.0, 0.08))
    contrast = _u(rng, 0.03, 0.1) if rng.random() < 0.35 else 0.0
    core = col + (255 - col) * np.float32(_u(rng, 0.0, 0.5))  # overexposed segment centres
    glass = np.empty((gh, gw, 3), np.float32)
    glass[:] = bg
    glass += (col - glass) * ghost_m * np.float32(contrast)
    glass = glass * (1 - lit_m) + core * lit_m
    glow = cv2.GaussianBlur(lit_m[..., 0], (0, 0), max(0.8, _u(rng, 0.04, 0.12) * hmax))
    strength = _u(rng, 0.25, 0.8)
    glass += col * glow[..., None] * np.float32(strength)
    style.update({"ghost": contrast, "colour": name, "glow": strength})
    return glass, style


def _display_scene(rng: np.random.Generator) -> tuple[Array, str, dict[str, Any]]:
    """A seven-segment display on a device in a cluttered scene, through the camera."""
    dev = _plan_device(rng)
    ((bw, bh),) = _fit([dev], _device_size, lambda d: d.lines)
    g = _device_geometry(dev)
    w, h = math.ceil(g["w"]), math.ceil(g["h"])
    ((left, top),) = _stack(rng, [(bw, bh)])
    corners = _corners_rel(w, h, dev.angle, dev.jitter)
    hom = _homography(w, h, corners, left, top)
    box = (left, top, left + bw, top + bh)
    bg, bg_kind = _background(rng)
    clutter = _clutter(rng, bg, [(box[0] - 12, box[1] - 12, box[2] + 12, box[3] + 12)], [])
    img = bg.astype(np.float32)
    hmax = max(ln.height for ln in dev.lines)

    # device body, bezel, glass
    body_col = np.float32(_jitter_colour(rng, _pick(rng, BODY_COLOURS), 15))
    face = np.empty((h, w, 3), np.float32)
    face[:] = body_col
    yy = np.linspace(-1, 1, h, dtype=np.float32)[:, None, None]
    face *= 1.0 + _u(rng, -0.1, 0.1) * yy
    face += rng.standard_normal(face.shape, dtype=np.float32)
    bz = g["bezel"]
    x0, y0 = g["left"], g["top"]
    gx, gy = round(x0 + bz), round(y0 + bz)
    gw, gh = math.ceil(g["glass_w"]), math.ceil(g["glass_h"])
    shade = _u(rng, 0.35, 0.7) if rng.random() < 0.7 else _u(rng, 1.25, 1.6)
    bezel_col = np.clip(body_col * np.float32(shade) + (12 if shade > 1 else 0), 0, 255)
    face[round(y0) : gy + gh + round(bz), round(x0) : gx + gw + round(bz)] = bezel_col
    scale = int(rng.integers(3, 5))
    glass, glass_style = _render_glass(rng, dev, g, gw, gh, scale)
    glare = None
    if rng.random() < 0.3:  # a reflection of a lamp or window on the glass
        gyy, gxx = np.arange(gh, dtype=np.float32)[:, None], np.arange(gw, dtype=np.float32)
        cx, cy = _u(rng, 0, gw), _u(rng, 0, gh)
        sx, sy = _u(rng, 0.1, 0.5) * gw, _u(rng, 0.15, 0.6) * gh
        glare = _u(rng, 30, 100)
        spot = np.exp(-(((gxx - cx) / sx) ** 2 + ((gyy - cy) / sy) ** 2))
        glass += np.float32(glare) * spot[..., None]
    face[gy : gy + gh, gx : gx + gw] = glass
    cv2.rectangle(face, (gx - 1, gy - 1), (gx + gw, gy + gh), (bezel_col * 0.6).tolist(), 1)
    buttons = 0
    bottom = h - (gy + gh + bz)
    if bottom >= max(16, 0.6 * hmax) and rng.random() < 0.5:
        buttons = int(rng.integers(2, 5))
        r = max(3, round(0.22 * bottom))
        cy = round(gy + gh + bz + bottom / 2)
        btn = np.clip(body_col * np.float32(_pick(rng, (0.6, 1.3))) + 10, 0, 255).tolist()
        for k in range(buttons):
            cx = round(gx + gw * (k + 1) / (buttons + 1))
            if rng.random() < 0.5:
                cv2.circle(face, (cx, cy), r, btn, -1)
            else:
                cv2.rectangle(face, (cx - 2 * r, cy - r), (cx + 2 * r, cy + r), btn, -1)
    label = None
    if y0 >= max(14, 0.5 * hmax) and rng.random() < 0.4:
        mask, word, _ = _word_patch(rng, [])
        lh = max(8, round(0.45 * y0))
        mask = cv2.resize(mask, (max(1, round(mask.shape[1] * lh / mask.shape[0])), lh))
        if mask.shape[1] < w - 2 * gx:
            col = _separate(body_col.tolist(), _jitter_colour(rng, (128, 128, 128), 120), 80)
            _paste_mask(face, mask, gx, max(1, round(y0 / 2 - lh / 2)), col)
            label = word
    alpha = _rounded(w, h, _u(rng, 0.0, 0.15) * min(w, h))
    shadow = _composite(img, face, alpha, hom, rng)["drop_shadow"]
    stroke = dev.font.stroke * min(ln.height for ln in dev.lines)
    out, camera = _camera(rng, img, min(ln.height for ln in dev.lines), stroke, box)
    truth = "\n".join(ln.text for ln in dev.lines)
    style = {
        "polarity": "dark-on-light" if glass_style["look"] == "lcd" else "light-on-dark",
        "height_px": min(ln.height for ln in dev.lines),
        "background": bg_kind,
        "render_scale": scale,
        "font": dev.font.name,
        "lines": [{"text": ln.text, "cells": ln.cells, "height_px": ln.height} for ln in dev.lines],
        "align": dev.align,
        **glass_style,
        "glare": glare,
        "body_bgr": body_col,
        "bezel_shade": shade,
        "buttons": buttons,
        "label": label,
        "box": box,
        "angle": dev.angle,
        "jitter": dev.jitter,
        "drop_shadow": shadow,
        "clutter": clutter,
        **camera,
    }
    return out, truth, style


# ----------------------------------------------------------------------------------------------
# camera


def _disc(radius: float) -> Array:
    """A normalized defocus kernel: a disc drawn at 4x and area-averaged for soft edges."""
    n = 2 * math.ceil(radius) + 1
    k = _ss_mask(
        n,
        n,
        lambda d, s: d.ellipse(
            (
                (n / 2 - radius) * s,
                (n / 2 - radius) * s,
                (n / 2 + radius) * s,
                (n / 2 + radius) * s,
            ),
            fill=255,
        ),
        4,
    )
    return k / float(k.sum())


def _motion(length: float, angle: float) -> Array:
    """A normalized linear motion-blur kernel of `length` px at `angle` radians."""
    n = 2 * math.ceil(length / 2) + 1
    k = np.zeros((n, n), np.uint8)
    dx, dy = math.cos(angle) * length / 2, math.sin(angle) * length / 2
    c = n / 2 - 0.5
    shift = 4  # cv2 fixed-point: draw with 1/16 px precision
    p0 = (round((c - dx) * 16), round((c - dy) * 16))
    p1 = (round((c + dx) * 16), round((c + dy) * 16))
    cv2.line(k, p0, p1, 255, 1, cv2.LINE_AA, shift)
    kf = k.astype(np.float32)
    return kf / float(kf.sum())


def _camera(
    rng: np.random.Generator,
    img: Array,
    h_min: float,
    stroke_px: float,
    region: Sequence[float],
) -> tuple[Array, dict[str, Any]]:
    """Uneven light, shadow, white balance, blur, low-res sensor, noise and JPEG.

    Blur strength is scaled to the smallest text (sigma up to 6% of its height) and to its
    stroke, so a thin font is not blurred into a grey smear no person could read.
    """
    xx, yy = _grid()
    light = np.ones((FRAME_H, FRAME_W), np.float32)
    gradient = vignette = 0.0
    if rng.random() < 0.7:
        a = _u(rng, 0, 2 * math.pi)
        gradient = _u(rng, 0.05, 0.35)
        ramp = ((xx - FRAME_W / 2) * math.cos(a) + (yy - FRAME_H / 2) * math.sin(a)) / FRAME_W
        light *= 1.0 + 2 * gradient * ramp
    if rng.random() < 0.5:
        vignette = _u(rng, 0.1, 0.45)
        r2 = ((xx - FRAME_W / 2) ** 2 + (yy - FRAME_H / 2) ** 2) / (
            (FRAME_W / 2) ** 2 + (FRAME_H / 2) ** 2
        )
        light *= 1.0 - vignette * r2
    shadow = None
    if rng.random() < 0.3:  # a soft shadow edge (a hand, a phone) across part of the subject
        px, py = _u(rng, region[0], region[2]), _u(rng, region[1], region[3])
        a = _u(rng, 0, 2 * math.pi)
        width = _u(rng, 4, 40)
        dark = _u(rng, 0.25, 0.5)
        sd = (xx - px) * math.cos(a) + (yy - py) * math.sin(a)
        light *= 1.0 - dark * np.clip(0.5 + sd / width, 0, 1)
        shadow = {"darkness": dark, "penumbra_px": width}
    exposure = _u(rng, 0.75, 1.15)
    gains = np.clip(rng.normal(1.0, 0.07, 3), 0.82, 1.18).astype(np.float32)
    img = img * light[..., None] * (gains * np.float32(exposure))

    s_max = max(0.5, min(0.06 * h_min, 0.6 * stroke_px))
    blur = str(_pick(rng, ("none", "gaussian", "defocus", "motion"), (0.25, 0.3, 0.25, 0.2)))
    blur_px = 0.0
    if blur == "gaussian":
        blur_px = _u(rng, 0.3, s_max)
        img = cv2.GaussianBlur(img, (0, 0), blur_px)
    elif blur == "defocus":
        blur_px = _u(rng, 0.7, max(0.8, 2 * s_max))  # a disc's sigma is about radius / 2
        img = cv2.filter2D(img, -1, _disc(blur_px), borderType=cv2.BORDER_REFLECT)
    elif blur == "motion":
        blur_px = _u(rng, 1.5, max(1.6, 3.4 * s_max))  # a line's sigma is about length / 3.5
        img = cv2.filter2D(
            img, -1, _motion(blur_px, _u(rng, 0, math.pi)), borderType=cv2.BORDER_REFLECT
        )
    lowres = 0.0
    lo = 12.0 / h_min  # keep the smallest text at least 12 px tall on the small sensor
    if rng.random() < 0.2 and lo < 0.8:
        lowres = _u(rng, max(0.4, lo), 0.8)
        small = cv2.resize(
            img, (round(FRAME_W * lowres), round(FRAME_H * lowres)), interpolation=cv2.INTER_AREA
        )
        up = cv2.INTER_CUBIC if rng.random() < 0.5 else cv2.INTER_LINEAR
        img = cv2.resize(small, (FRAME_W, FRAME_H), interpolation=up)
    read_noise = _u(rng, 0.5, 4.0)
    shot = _u(rng, 0.0, 0.3)
    sigma = np.sqrt(read_noise**2 + shot * np.clip(img, 0, 255))
    # luma-only noise (as after demosaicing and denoising) or independent per channel
    shape = (FRAME_H, FRAME_W, 1) if rng.random() < 0.5 else img.shape
    noise = sigma * rng.standard_normal(shape, dtype=np.float32)
    out = np.clip(img + noise, 0, 255).astype(np.uint8)
    quality = int(rng.integers(25, 96))
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("JPEG encode failed")
    out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    return out, {
        "light_gradient": gradient,
        "vignette": vignette,
        "cast_shadow": shadow,
        "exposure": exposure,
        "wb_gains": gains,
        "blur": blur,
        "blur_px": blur_px,
        "lowres": lowres,
        "noise": [read_noise, shot],
        "jpeg": quality,
    }


# ----------------------------------------------------------------------------------------------
# public generator


def make_photo_scene(seed: int, kind: str) -> tuple[Array, str, dict[str, Any]]:
    """Draw one camera-like 640x480 frame with known text.

    Args:
        seed: everything random comes from `np.random.default_rng(seed)`; the same seed and
            kind give the same frame.
        kind: "printed" (digit lines on cards) or "display" (a seven-segment display).

    Returns:
        The frame (480x640x3 uint8 BGR), its truth (lines top to bottom joined by "\\n", no
        spaces) and a JSON-serializable dict of the random choices made.

    Raises:
        ValueError: an unknown kind.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    rng = np.random.default_rng(seed)
    scene = _printed_scene if kind == "printed" else _display_scene
    image, truth, style = scene(rng)
    return image, truth, _jsonable({"seed": seed, "kind": kind, **style})


# ----------------------------------------------------------------------------------------------
# benchmark


@dataclass(frozen=True)
class FrameResult:
    """One frame's outcome."""

    seed: int
    kind: str
    truth: str
    read: str
    ms: float
    gen_ms: float
    style: dict[str, Any]

    @property
    def exact(self) -> bool:
        """Whether the frame was read exactly right."""
        return self.read == self.truth


def buckets(style: dict[str, Any]) -> dict[str, str]:
    """The style buckets a frame's result is broken down by."""
    h = float(style["height_px"])
    out = {
        "polarity": str(style["polarity"]),
        "height": "<25" if h < 25 else "25-50" if h < 50 else ">=50",
        "blur": str(style["blur"]),
        "background": str(style["background"]),
        # letter-only clutter words in the frame: a reader that takes letters for digits
        # adds lines here
        "words": "some" if style["clutter"]["words"] else "none",
    }
    if style["kind"] == "display":
        out["look"] = str(style["look"])
    else:
        out["cards"] = str(len(style["cards"]))
    return out


def _bucket_order(value: str) -> tuple[int, str]:
    """Height buckets small to large, other bucket values alphabetically."""
    heights = ("<25", "25-50", ">=50")
    return (heights.index(value), "") if value in heights else (len(heights), value)


def summarize(results: Sequence[FrameResult]) -> dict[str, Any]:
    """Frames, exact %, char % and p50 read / generate ms of some results."""
    n = len(results)
    chars = sum(len(r.truth) for r in results)
    from digitcam.metrics import levenshtein

    err = sum(levenshtein(r.read, r.truth) for r in results)
    return {
        "n": n,
        "exact_pct": round(100.0 * sum(r.exact for r in results) / max(n, 1), 1),
        "char_pct": round(100.0 * (1 - err / max(chars, 1)), 1),
        "ms_p50": round(float(np.median([r.ms for r in results])), 2) if n else None,
        "gen_ms_p50": round(float(np.median([r.gen_ms for r in results])), 2) if n else None,
    }


def run(
    kinds: Sequence[str], n: int, seed: int, out_dir: Path | None
) -> dict[str, list[FrameResult]]:
    """Generate and read n frames of each kind; write failures to out_dir if given."""
    from digitcam.classify import load_model
    from digitcam.pipeline import read_frame

    model = load_model()
    results: dict[str, list[FrameResult]] = {}
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    for kind in kinds:
        rows = []
        for i in range(n):
            t0 = time.perf_counter()
            image, truth, style = make_photo_scene(seed + i, kind)
            gen_ms = (time.perf_counter() - t0) * 1000.0
            reading = read_frame(image, model)
            res = FrameResult(
                seed + i, kind, truth, reading.text, reading.timings.total, gen_ms, style
            )
            rows.append(res)
            if out_dir is not None and not res.exact:
                stem = out_dir / f"{kind}_{seed + i}"
                cv2.imwrite(str(stem.with_suffix(".png")), image)
                side = {"seed": seed + i, "kind": kind, "truth": truth, "read": res.read}
                stem.with_suffix(".json").write_text(json.dumps({**side, "style": style}, indent=1))
        results[kind] = rows
    return results


def report(results: dict[str, list[FrameResult]]) -> dict[str, Any]:
    """The JSON summary: per kind totals and bucket rows, and every frame's result."""
    kinds = {}
    for kind, rows in results.items():
        groups: dict[str, dict[str, list[FrameResult]]] = defaultdict(lambda: defaultdict(list))
        for r in rows:
            for name, value in buckets(r.style).items():
                groups[name][value].append(r)
        kinds[kind] = {
            **summarize(rows),
            "buckets": {
                name: {v: summarize(vals[v]) for v in sorted(vals, key=_bucket_order)}
                for name, vals in groups.items()
            },
        }
    frames = [
        {"seed": r.seed, "kind": r.kind, "truth": r.truth, "read": r.read, "ms": round(r.ms, 2)}
        for rows in results.values()
        for r in rows
    ]
    return {"kinds": kinds, "frames": frames}


def print_tables(summary: dict[str, Any]) -> None:
    """Print each kind's totals and its breakdown by style bucket."""
    for kind, s in summary["kinds"].items():
        print(
            f"{kind}: {s['n']} frames  exact {s['exact_pct']:.1f}%  char {s['char_pct']:.1f}%  "
            f"read p50 {s['ms_p50']:.1f} ms  (generate p50 {s['gen_ms_p50']:.1f} ms)"
        )
        for name, rows in s["buckets"].items():
            print(f"  by {name}")
            for value, row in rows.items():
                print(
                    f"    {value:<16} n={row['n']:>4}  exact {row['exact_pct']:5.1f}%  "
                    f"char {row['char_pct']:5.1f}%"
                )
        print()


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--kind", choices=(*KINDS, "both"), default="both")
    ap.add_argument("--n", type=int, default=300, help="frames per kind")
    ap.add_argument("--seed", type=int, default=700000, help="seed of the first frame")
    ap.add_argument("--out", type=Path, help="write failing frames (PNG + JSON) here")
    ap.add_argument("--json", action="store_true", help="print one JSON summary object")
    args = ap.parse_args(argv)
    kinds = KINDS if args.kind == "both" else (args.kind,)
    summary = report(run(kinds, args.n, args.seed, args.out))
    if args.json:
        print(json.dumps(summary))
    else:
        print_tables(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
