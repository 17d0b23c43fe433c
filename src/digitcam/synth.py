"""Seeded synthetic digit data WITH its ground truth.

Three consumers:

* training: `glyph_samples` gives glyph patches (ink bright on dark) with labels, including a
  `NOT_GLYPH` class of letters, symbols, fragments, bars and clutter;
* evaluation: `make_scene` gives camera-like BGR frames of printed digit strings with the
  text and every character's box (after all warps);
* the live `demo` source: `DemoScene(seed).frame(index)` draws a printed counter ticking up.

Everything takes a seed or a `numpy.random.Generator` and is otherwise pure. The only caches
are memoised pure look-ups (font files, font metrics), never random state.

Fonts: TrueType/OpenType faces are rendered with Pillow, Hershey faces with `cv2.putText`.
Families are grouped by design (e.g. Nimbus Sans, FreeSans and Liberation Sans are one
"Helvetica" family) so that `split_faces` holds out designs, not just files.
"""

from __future__ import annotations

import colorsys
import functools
import hashlib
import itertools
import math
import os
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

from digitcam.types import NOT_GLYPH, Box, Polarity

__all__ = [
    "CORE_FAMILIES",
    "DIGIT_LOOKALIKES",
    "NOT_GLYPH",
    "REJECT_CHARS",
    "DemoScene",
    "FontFace",
    "RenderedLine",
    "Scene",
    "box_contrast",
    "demo_frame",
    "glyph_samples",
    "hershey_faces",
    "is_decorative",
    "is_plausible_digit_text",
    "make_scene",
    "printed_faces",
    "random_digit_text",
    "render_line",
    "seven_segment_faces",
    "split_faces",
    "truetype_faces",
]

SeedLike = int | np.random.Generator

#: Characters every printed face must render.
REQUIRED_CHARS = "0123456789.-"

#: Letters and symbols that look like a digit in some face; never used as NOT_GLYPH samples.
DIGIT_LOOKALIKES = "OoQDIli|!SsBZzgqbGT"

#: Letters and symbols drawn as NOT_GLYPH samples (minus `DIGIT_LOOKALIKES`).
REJECT_CHARS = "".join(
    c
    for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#%&/+=<>:;$@*?()[]"
    if c not in DIGIT_LOOKALIKES
)

# Font files that are not printed text faces.
_EXCLUDED_FONT_PARTS = (
    "dseg",  # seven/fourteen-segment (see seven_segment_faces)
    "standardsymbols",
    "symbol",
    "dingbat",
    "d050000l",  # URW dingbats
    "z003",  # URW script (Zapf Chancery)
    "script",
    "math",  # DejaVu Math TeX Gyre
    "fallback",  # Droid Sans Fallback (CJK fallback, 4 MB)
    "emoji",
)

# Pillow family name -> design family. Metric/design clones are grouped so that a held-out
# family is a design the model has never seen, not a renamed copy of a training font.
_FAMILY_GROUPS = {
    "Nimbus Sans": "Helvetica",
    "Nimbus Sans Narrow": "Helvetica",
    "FreeSans": "Helvetica",
    "Liberation Sans": "Helvetica",
    "Liberation Sans Narrow": "Helvetica",
    "Nimbus Roman": "Times",
    "FreeSerif": "Times",
    "Liberation Serif": "Times",
    "Nimbus Mono PS": "Courier",
    "FreeMono": "Courier",
    "DejaVu Sans Mono": "DejaVu Sans",
    "Hack": "DejaVu Sans",  # derived from DejaVu Sans Mono
    "Roboto Condensed": "Roboto",
    "Open Sans Condensed": "Open Sans",
    "Noto Sans Mono": "Noto Mono",
}

#: Families `split_faces` keeps in training by default.
CORE_FAMILIES = ("hershey", "Helvetica", "Times", "Courier", "DejaVu Sans")

# Hershey faces whose FONT_ITALIC digits equal the upright ones (italic is synthesised).
_HERSHEY_NO_ITALIC = (cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_PLAIN, cv2.FONT_HERSHEY_DUPLEX)

_HERSHEY = {
    "SIMPLEX": cv2.FONT_HERSHEY_SIMPLEX,
    "PLAIN": cv2.FONT_HERSHEY_PLAIN,
    "DUPLEX": cv2.FONT_HERSHEY_DUPLEX,
    "COMPLEX": cv2.FONT_HERSHEY_COMPLEX,
    "TRIPLEX": cv2.FONT_HERSHEY_TRIPLEX,
}


# --------------------------------------------------------------------------------------------
# Faces
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FontFace:
    """A face `render_line` can draw.

    Attributes:
        name: unique name, e.g. "DejaVuSans-Bold" or "hershey:SIMPLEX".
        family: design family used to split train/held-out, e.g. "DejaVu Sans", "hershey".
        kind: "hershey" or "truetype".
        source: font file path (truetype) or `cv2.FONT_HERSHEY_*` id, ORed with
            `cv2.FONT_ITALIC` for italic Hershey faces.
        italic: slanted face.
        monospace: all digits and letters share one advance (best effort).
    """

    name: str
    family: str
    kind: str
    source: str | int
    italic: bool
    monospace: bool


def _as_rng(seed: SeedLike) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def hershey_faces() -> list[FontFace]:
    """The printed Hershey faces of `cv2.putText`, upright and italic (no script faces).

    cv2 draws italic digits only for COMPLEX and TRIPLEX; the SIMPLEX, PLAIN and DUPLEX
    italics are obliqued by `render_line` (a 12° shear about the baseline).

    Returns:
        Ten faces (SIMPLEX, PLAIN, DUPLEX, COMPLEX, TRIPLEX, each also italic), family
        "hershey", sorted by name.
    """
    out = []
    for key, fid in _HERSHEY.items():
        out.append(FontFace(f"hershey:{key}", "hershey", "hershey", fid, False, False))
        out.append(
            FontFace(
                f"hershey:{key}-ITALIC", "hershey", "hershey", fid | cv2.FONT_ITALIC, True, False
            )
        )
    return sorted(out, key=lambda f: f.name)


@functools.lru_cache(maxsize=512)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def _font_files(roots: Iterable[str]) -> list[str]:
    files = []
    for root in roots:
        for dirpath, _dirs, names in os.walk(root):
            for n in names:
                if n.lower().endswith((".ttf", ".otf")):
                    files.append(os.path.join(dirpath, n))
    return sorted(set(files))


def _renders_all(font: ImageFont.FreeTypeFont, chars: str) -> bool:
    """True when every char has its own non-empty glyph (not the .notdef box)."""
    missing = {bytes(font.getmask(c)) for c in ("\U0010fffd", "\ufffe")}
    seen = set()
    for c in chars:
        m = font.getmask(c)
        b = bytes(m)
        if m.size[0] == 0 or m.size[1] == 0 or b in missing or not any(b):
            return False
        seen.add(b)
    return len(seen) == len(chars)


@functools.lru_cache(maxsize=8)
def _scan_truetype(roots: tuple[str, ...], seven_segment: bool) -> tuple[FontFace, ...]:
    faces = []
    for path in _font_files(roots):
        stem = os.path.splitext(os.path.basename(path))[0]
        low = stem.lower()
        is_dseg7 = low.startswith("dseg7")
        if seven_segment != is_dseg7:
            continue
        if not seven_segment and any(p in low for p in _EXCLUDED_FONT_PARTS):
            continue
        try:
            font = ImageFont.truetype(path, 48)
        except OSError:
            continue
        family, style = font.getname()
        family = family or stem
        style = style or ""
        chars = "0123456789-" if seven_segment else REQUIRED_CHARS
        if not _renders_all(font, chars):
            continue
        italic = any(k in style.lower() for k in ("italic", "oblique")) or low.endswith("ita")
        widths = {round(font.getlength(c), 2) for c in "0iM."}
        group = "DSEG7" if seven_segment else _FAMILY_GROUPS.get(family, family)
        faces.append(FontFace(stem, group, "truetype", path, italic, len(widths) == 1))
    faces.sort(key=lambda f: f.name)
    return tuple(faces)


def truetype_faces(roots: Sequence[str] = ("/usr/share/fonts",)) -> list[FontFace]:
    """Printed TrueType/OpenType faces that render all of "0123456789.-".

    Seven-segment (DSEG), symbol/dingbat, math, script and fallback fonts are excluded.

    Args:
        roots: directories searched recursively for .ttf/.otf files.

    Returns:
        Faces sorted by name (deterministic for one set of installed fonts).
    """
    return list(_scan_truetype(tuple(roots), False))


def seven_segment_faces(
    roots: Sequence[str] = ("/usr/share/fonts",), *, decorative: bool = False
) -> list[FontFace]:
    """DSEG7* seven-segment faces (family "DSEG7"), sorted by name.

    `decorative`: include DSEG's SEGG-CHAN faces, which draw egg-shaped characters with
    eyes from segment pieces (no display shows them; see `is_decorative`).
    """
    faces = _scan_truetype(tuple(roots), True)
    return [f for f in faces if decorative or not is_decorative(f)]


def is_decorative(face: FontFace) -> bool:
    """Whether a seven-segment face is a decorative one, not a display's look."""
    return "seggchan" in face.name.lower()


def printed_faces() -> list[FontFace]:
    """Hershey faces followed by the installed TrueType faces."""
    return hershey_faces() + truetype_faces()


def _family_rank(family: str) -> str:
    return hashlib.sha256(f"digitcam-split-v1:{family}".encode()).hexdigest()


def split_faces(
    faces: Sequence[FontFace],
    *,
    heldout_fraction: float = 0.25,
    always_train: Iterable[str] = CORE_FAMILIES,
) -> tuple[list[FontFace], list[FontFace]]:
    """Split faces by design family into (train, held-out).

    ``round(fraction * n_families)`` families are held out (at least one when there are two
    or more candidates and the fraction is > 0): the candidates (families not in
    `always_train`) ranked by a SHA-256 of their name, first ones held out. A family is
    entirely in one part; the split depends only on the family names.

    Args:
        faces: faces to split.
        heldout_fraction: fraction of all families held out, in [0, 1].
        always_train: families never held out (default `CORE_FAMILIES`: cv2's Hershey faces
            and the Helvetica/Times/Courier/DejaVu designs behind most real print, which the
            shipped model must see). Pass ``()`` for a purely hash-based split.

    Returns:
        (train, held_out), each in the input order.
    """
    if not 0.0 <= heldout_fraction <= 1.0:
        raise ValueError(f"heldout_fraction must be in [0, 1], got {heldout_fraction}")
    keep = set(always_train)
    all_families = {f.family for f in faces}
    candidates = sorted(all_families - keep, key=_family_rank)
    k = round(heldout_fraction * len(all_families))
    if heldout_fraction > 0 and len(all_families) >= 2:
        k = max(1, k)
    k = min(k, len(candidates), max(0, len(all_families) - 1))
    held = set(candidates[:k])
    return [f for f in faces if f.family not in held], [f for f in faces if f.family in held]


# --------------------------------------------------------------------------------------------
# Rendering a line
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedLine:
    """A rendered line of text.

    Attributes:
        ink: HxW uint8 coverage mask, 255 = ink, 0 = paper.
        boxes: one (char, tight Box) per non-space char, in ink coordinates, text order.
    """

    ink: NDArray[np.uint8]
    boxes: tuple[tuple[str, Box], ...]


@dataclass(frozen=True)
class _Tile:
    ch: str
    cov: NDArray[np.uint8]  # final-scale coverage of this char alone
    x: int  # top-left in line coordinates (final scale, may be negative before normalising)
    y: int


@functools.lru_cache(maxsize=256)
def _tt_digit_ratio(path: str) -> float:
    """Digit ink height / font size for a TrueType face."""
    font = _font(path, 200)
    top, bot = 10**9, -(10**9)
    for c in "0123456789":
        _l, t, _r, b = font.getbbox(c, anchor="ls")
        top, bot = min(top, t), max(bot, b)
    return max(bot - top, 1) / 200.0


@functools.lru_cache(maxsize=64)
def _hershey_digit_height(font_id: int) -> float:
    """Digit ink height (stroke centre lines) of a Hershey face at fontScale 1."""
    scale = 8.0
    (w, h), base = cv2.getTextSize("0123456789", font_id, scale, 1)
    img = np.zeros((h + base + 40, w + 40), np.uint8)
    cv2.putText(img, "0123456789", (20, 20 + h), font_id, scale, 255, 1, cv2.LINE_8)
    rows = np.flatnonzero(img.max(axis=1))
    return (rows[-1] - rows[0]) / scale


def _tight(mask: NDArray[np.uint8], thresh: int = 64) -> tuple[int, int, int, int] | None:
    ys, xs = np.nonzero(mask >= thresh)
    if ys.size == 0:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)


def _stroke_estimate(tiles: list[NDArray[np.uint8]]) -> float:
    """Typical stroke width (px) of binary ink: 2 * area / boundary length."""
    area = 0
    boundary = 0
    k = np.ones((3, 3), np.uint8)
    for t in tiles:
        b = (t >= 128).astype(np.uint8)
        if not b.any():
            continue
        area += int(b.sum())
        boundary += int((b - cv2.erode(b, k, borderType=cv2.BORDER_CONSTANT, borderValue=0)).sum())
    return 2.0 * area / boundary if boundary else 0.0


def _morph(tile: NDArray[np.uint8], r: int) -> NDArray[np.uint8]:
    if r == 0:
        return tile
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * abs(r) + 1, 2 * abs(r) + 1))
    return cv2.dilate(tile, k) if r > 0 else cv2.erode(tile, k)


def _render_tiles(
    text: str,
    face: FontFace,
    *,
    height_px: int,
    weight: int,
    tracking: float,
    rng: np.random.Generator | None,
) -> list[_Tile]:
    """Render each char of `text` as its own tile, laid out along one baseline."""
    if height_px < 4:
        raise ValueError(f"height_px must be >= 4, got {height_px}")
    s = int(min(4, max(1, math.ceil(64 / height_px))))  # supersampling factor
    hw = height_px * s  # digit height at work scale
    min_stroke = max(1.3, 0.035 * height_px)  # final px: thinner strokes are not legible
    pad = max(4, int(0.1 * hw)) + 2 * s
    raw: list[tuple[str, NDArray[np.uint8], float, float]] = []  # ch, tile, origin x/y in tile
    advances: list[float] = []
    if face.kind == "hershey":
        fid = int(face.source)
        stroke = max(min_stroke, (0.085 + 0.03 * weight) * height_px)
        thick = max(1, round(stroke * s))
        scale = max(hw - thick, 1) / _hershey_digit_height(fid & ~cv2.FONT_ITALIC)
        for ch in text:
            (w, h), base = cv2.getTextSize(ch, fid, scale, thick)
            slant = int(0.35 * h) if face.italic else 0
            tw = w + 2 * pad + slant + thick
            th = h + base + 2 * pad + thick
            ox, oy = pad + thick // 2, pad + h + thick // 2
            tile = np.zeros((th, tw), np.uint8)
            if ch != " ":
                cv2.putText(tile, ch, (ox, oy), fid, scale, 255, thick, cv2.LINE_AA)
                if face.italic and (fid & ~cv2.FONT_ITALIC) in _HERSHEY_NO_ITALIC:
                    k = 0.21  # cv2 has no italic digits for this face: shear about the baseline
                    shear = np.float32([[1, -k, k * oy], [0, 1, 0]])
                    tile = cv2.warpAffine(tile, shear, (tw, th), flags=cv2.INTER_LINEAR)
            raw.append((ch, tile, float(ox), float(oy)))
            advances.append(float(w))
        morph_r = 0
    else:
        path = str(face.source)
        size = max(4, round(hw / _tt_digit_ratio(path)))
        font = _font(path, size)
        for ch in text:
            adv = font.getlength(ch)
            if ch == " ":
                raw.append((ch, np.zeros((1, 1), np.uint8), 0.0, 0.0))
                advances.append(adv)
                continue
            bl, bt, br, bb = font.getbbox(ch, anchor="ls")
            tw, th = br - bl + 2 * pad, bb - bt + 2 * pad
            img = Image.new("L", (tw, th), 0)
            ImageDraw.Draw(img).text((pad - bl, pad - bt), ch, font=font, fill=255, anchor="ls")
            arr = np.asarray(img, dtype=np.uint8).copy()
            raw.append((ch, arr, float(pad - bl), float(pad - bt)))
            advances.append(adv)
        stroke = _stroke_estimate([t for _c, t, _x, _y in raw]) / s
        want = stroke + 2 * 0.025 * height_px * weight
        want = max(want, min_stroke)
        morph_r = round((want - stroke) / 2 * s)
        if morph_r < 0:  # never erode below the legible minimum
            morph_r = -min(-morph_r, max(0, int((stroke - min_stroke) / 2 * s)))
    # Layout at work scale; tile origins aligned to multiples of s for exact downsampling.
    track = tracking * hw
    pen = 0.0
    tiles: list[_Tile] = []
    for (ch, tile, ox, oy), adv in zip(raw, advances, strict=True):
        jx = jy = 0.0
        if rng is not None:
            jx = float(rng.normal(0, 0.02 * hw))
            jy = float(rng.normal(0, 0.012 * hw))
        if ch != " ":
            tile = _morph(tile, morph_r) if morph_r else tile
            gx, gy = pen + jx - ox, jy - oy  # tile top-left in line work coords
            ax, ay = math.floor(gx / s) * s, math.floor(gy / s) * s
            dx, dy = round(gx - ax), round(gy - ay)
            th = math.ceil((tile.shape[0] + dy) / s) * s
            tw = math.ceil((tile.shape[1] + dx) / s) * s
            big = np.zeros((th, tw), np.uint8)
            big[dy : dy + tile.shape[0], dx : dx + tile.shape[1]] = tile
            small = (
                cv2.resize(big, (tw // s, th // s), interpolation=cv2.INTER_AREA) if s > 1 else big
            )
            tiles.append(_Tile(ch, small, ax // s, ay // s))
        pen += adv + track
    return tiles


def _compose_tiles(
    tiles: list[_Tile], margin: int = 2
) -> tuple[NDArray[np.uint8], list[tuple[str, Box]], list[_Tile]]:
    """Paste tiles into one canvas cropped to the ink (+ margin)."""
    boxes_raw = []
    for t in tiles:
        tb = _tight(t.cov)
        boxes_raw.append(None if tb is None else (tb[0] + t.x, tb[1] + t.y, tb[2], tb[3]))
    present = [b for b in boxes_raw if b is not None]
    if not present:
        return np.zeros((1, 1), np.uint8), [], []
    x0 = min(b[0] for b in present) - margin
    y0 = min(b[1] for b in present) - margin
    x1 = max(b[0] + b[2] for b in present) + margin
    y1 = max(b[1] + b[3] for b in present) + margin
    ink = np.zeros((y1 - y0, x1 - x0), np.uint8)
    moved = []
    for t in tiles:
        tx, ty = t.x - x0, t.y - y0
        # clip the tile to the canvas (its faint AA fringe beyond the margin is dropped)
        sx0, sy0 = max(0, -tx), max(0, -ty)
        ex = min(t.cov.shape[1], ink.shape[1] - tx)
        ey = min(t.cov.shape[0], ink.shape[0] - ty)
        if ex > sx0 and ey > sy0:
            dst = ink[ty + sy0 : ty + ey, tx + sx0 : tx + ex]
            np.maximum(dst, t.cov[sy0:ey, sx0:ex], out=dst)
        moved.append(_Tile(t.ch, t.cov, tx, ty))
    boxes = [
        (t.ch, Box(b[0] - x0, b[1] - y0, b[2], b[3]))
        for t, b in zip(tiles, boxes_raw, strict=True)
        if b is not None
    ]
    return ink, boxes, moved


def render_line(
    text: str,
    face: FontFace,
    *,
    height_px: int,
    weight: int = 0,
    tracking: float = 0.0,
    rng: np.random.Generator | None = None,
) -> RenderedLine:
    """Render one line of text as an ink coverage mask with per-char boxes.

    Args:
        text: characters to draw (spaces advance without a box).
        face: the face.
        height_px: digit (cap) height in pixels, not the font size.
        weight: -1 thinner, 0 as designed, +1/+2 bolder (dilation, or Hershey thickness).
            Strokes never go below ~1.3 px, so hairline faces stay legible.
        tracking: extra advance per char as a fraction of `height_px`; slightly negative
            values make glyphs touch.
        rng: when given, jitters each glyph's position slightly (print irregularity).

    Returns:
        `RenderedLine` with `ink` HxW uint8 (255 = ink) cropped to the ink plus 2 px, and one
        tight box (coverage >= 25 %) per non-space char.
    """
    tiles = _render_tiles(
        text, face, height_px=int(height_px), weight=weight, tracking=tracking, rng=rng
    )
    ink, boxes, _ = _compose_tiles(tiles)
    return RenderedLine(ink, tuple(boxes))


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------


def is_plausible_digit_text(text: str) -> bool:
    """True for digit strings `random_digit_text` may produce.

    Digits with at most one '.', '-' only leading or between digits, no two marks adjacent,
    no mark at the end, '.' never first, and at least one digit.
    """
    if not text or any(c not in "0123456789.-" for c in text):
        return False
    if text.count(".") > 1 or text[0] == "." or text[-1] in ".-":
        return False
    if not any(c.isdigit() for c in text):
        return False
    return all(not (a in ".-" and b in ".-") for a, b in itertools.pairwise(text))


def _digits(rng: np.random.Generator, n: int, *, lead_zero: bool) -> str:
    s = "".join(str(int(d)) for d in rng.integers(0, 10, n))
    if not lead_zero and n > 1 and s[0] == "0":
        s = str(int(rng.integers(1, 10))) + s[1:]
    return s


def random_digit_text(rng: SeedLike, *, min_len: int = 3, max_len: int = 10) -> str:
    """A plausible printed number: "-12.5", "3.1415", "0042", "7-3-2019", "120".

    Args:
        rng: seed or generator.
        min_len: shortest length (>= 1).
        max_len: longest length (>= min_len).

    Returns:
        A string of length in [min_len, max_len] satisfying `is_plausible_digit_text`.
    """
    rng = _as_rng(rng)
    if min_len < 1 or max_len < min_len:
        raise ValueError(f"need 1 <= min_len <= max_len, got {min_len}, {max_len}")
    n = int(rng.integers(min_len, max_len + 1))
    kinds = ["int"]
    if n >= 3:
        kinds += ["decimal", "decimal", "dashed"]
    if n >= 2:
        kinds += ["negative"]
    kind = kinds[int(rng.integers(0, len(kinds)))]
    padded = rng.random() < 0.2
    if kind == "int":
        return _digits(rng, n, lead_zero=padded)
    if kind == "negative":
        body = n - 1
        if body >= 3 and rng.random() < 0.5:
            i = int(rng.integers(1, body - 1))
            frac = _digits(rng, body - 1 - i, lead_zero=True)
            return "-" + _digits(rng, i, lead_zero=False) + "." + frac
        return "-" + _digits(rng, body, lead_zero=False)
    if kind == "decimal":
        i = int(rng.integers(1, n - 1))  # int part length; frac part n-1-i >= 1
        return _digits(rng, i, lead_zero=padded) + "." + _digits(rng, n - 1 - i, lead_zero=True)
    # dashed groups: d dashes, n-d digits split into d+1 non-empty groups
    d = int(rng.integers(1, min(3, (n - 1) // 2) + 1))
    cuts = sorted(rng.choice(np.arange(1, n - d), size=d, replace=False).tolist())
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, n - d], strict=True)]
    return "-".join(_digits(rng, k, lead_zero=True) for k in sizes)


def random_word(rng: SeedLike, *, min_len: int = 2, max_len: int = 7) -> str:
    """A word-like run of letters, as labels beside a number show them ("Total", "kWh").

    Lower case, capitalised or all capitals; any letter, digit look-alikes included (a
    word's "o" is as round as a 0: what tells them apart is the word around it).

    Args:
        rng: seed or generator.
        min_len: shortest length (>= 1).
        max_len: longest length (>= min_len).
    """
    rng = _as_rng(rng)
    if min_len < 1 or max_len < min_len:
        raise ValueError(f"need 1 <= min_len <= max_len, got {min_len}, {max_len}")
    n = int(rng.integers(min_len, max_len + 1))
    word = "".join(rng.choice(list(string.ascii_lowercase), size=n))
    case = float(rng.random())
    if case < 0.3:
        return word.upper()
    return word.capitalize() if case < 0.75 else word


# --------------------------------------------------------------------------------------------
# Colours, backgrounds, camera effects
# --------------------------------------------------------------------------------------------


def _hsv(h: float, s: float, v: float) -> NDArray[np.float32]:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, min(max(s, 0), 1), min(max(v, 0), 1))
    return np.array([b * 255, g * 255, r * 255], np.float32)


def _luma(bgr: NDArray[np.float32]) -> float:
    return float(0.114 * bgr[0] + 0.587 * bgr[1] + 0.299 * bgr[2])


def _card_colors(
    rng: np.random.Generator, polarity: Polarity, min_contrast: float
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """(paper, ink) BGR colours with a luminance difference of at least `min_contrast`."""
    for _ in range(50):
        if polarity is Polarity.DARK_ON_LIGHT:
            paper = _hsv(rng.random(), rng.uniform(0, 0.3) ** 1.5, rng.uniform(0.72, 1.0))
            ink = _hsv(rng.random(), rng.uniform(0, 0.8), rng.uniform(0.0, 0.35) ** 1.3)
        else:
            paper = _hsv(rng.random(), rng.uniform(0, 0.7), rng.uniform(0.03, 0.38))
            ink = _hsv(rng.random(), rng.uniform(0, 0.35) ** 1.5, rng.uniform(0.8, 1.0))
        if abs(_luma(paper) - _luma(ink)) >= min_contrast:
            return paper, ink
    if polarity is Polarity.DARK_ON_LIGHT:
        return np.full(3, 240, np.float32), np.full(3, 20, np.float32)
    return np.full(3, 25, np.float32), np.full(3, 235, np.float32)


def _smooth_noise(rng: np.random.Generator, h: int, w: int, cell: int) -> NDArray[np.float32]:
    """Low-frequency noise in [0, 1], HxW float32."""
    gh, gw = max(2, h // cell + 2), max(2, w // cell + 2)
    g = rng.random((gh, gw)).astype(np.float32)
    return cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC).clip(0, 1)


def _background(rng: np.random.Generator, w: int, h: int) -> tuple[NDArray[np.float32], str]:
    """A random HxWx3 float32 BGR background and its kind."""
    kind = str(rng.choice(["plain", "gradient", "texture", "wood", "grid", "blobs"]))
    c1 = _hsv(rng.random(), rng.uniform(0, 0.8) ** 1.5, rng.uniform(0.1, 0.95))
    c2 = _hsv(rng.random(), rng.uniform(0, 0.8) ** 1.5, rng.uniform(0.1, 0.95))
    yy = np.arange(h, dtype=np.float32)[:, None]
    xx = np.arange(w, dtype=np.float32)[None, :]
    if kind == "plain":
        img = np.broadcast_to(c1, (h, w, 3)).copy()
    elif kind == "gradient":
        a = rng.uniform(0, 2 * np.pi)
        t = (np.cos(a) * xx + np.sin(a) * yy) / max(w, h)
        t = (t - t.min()) / max(float(np.ptp(t)), 1e-6)
        img = c1 * (1 - t[..., None]) + c2 * t[..., None]
    elif kind == "texture":
        t = _smooth_noise(rng, h, w, int(rng.integers(8, 80)))
        img = c1 * (1 - t[..., None]) + c2 * t[..., None]
    elif kind == "wood":
        a = rng.uniform(0, np.pi)
        warp = _smooth_noise(rng, h, w, 60) * rng.uniform(5, 30)
        ph = (np.cos(a) * xx + np.sin(a) * yy) / rng.uniform(4, 25) + warp
        t = (0.5 + 0.5 * np.sin(ph)) ** 2
        img = c1 * (1 - 0.35 * t[..., None]) + c2 * 0.35 * t[..., None]
    elif kind == "grid":
        img = np.broadcast_to(c1, (h, w, 3)).copy()
        step = int(rng.integers(12, 70))
        th = int(rng.integers(1, 3))
        for x in range(int(rng.integers(0, step)), w, step):
            cv2.line(img, (x, 0), (x, h), c2.tolist(), th)
        for y in range(int(rng.integers(0, step)), h, step):
            cv2.line(img, (0, y), (w, y), c2.tolist(), th)
    else:  # blobs: out-of-focus office scene
        img = np.broadcast_to(c1, (h, w, 3)).copy()
        for _ in range(int(rng.integers(5, 25))):
            col = _hsv(rng.random(), rng.uniform(0, 0.8) ** 1.5, rng.uniform(0.1, 1.0)).tolist()
            cen = (int(rng.integers(0, w)), int(rng.integers(0, h)))
            ax = (int(rng.integers(20, w // 2)), int(rng.integers(20, h // 2)))
            cv2.ellipse(img, cen, ax, float(rng.uniform(0, 180)), 0, 360, col, -1)
        img = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(5, 25)))
    grain = rng.uniform(0, 6)
    if grain > 0.5:
        img = img + rng.normal(0, grain, (h, w, 1)).astype(np.float32)
    return img.astype(np.float32), kind


def _draw_clutter(
    rng: np.random.Generator, img: NDArray[np.float32], faces: Sequence[FontFace], n: int
) -> int:
    """Draw n random shapes (lines, boxes, circles, polylines, letter words) in place."""
    h, w = img.shape[:2]
    n_words = 0
    for _ in range(n):
        col = _hsv(rng.random(), rng.uniform(0, 0.9), rng.uniform(0, 1)).tolist()
        th = int(rng.choice([1, 1, 2, 2, 3, 4, 6, -1]))
        kind = str(
            rng.choice(
                ["line", "rect", "circle", "ellipse", "poly", "word"],
                p=[0.28, 0.22, 0.14, 0.1, 0.14, 0.12],
            )
        )
        p1 = (int(rng.integers(-20, w + 20)), int(rng.integers(-20, h + 20)))
        p2 = (int(rng.integers(-20, w + 20)), int(rng.integers(-20, h + 20)))
        if kind == "line":
            cv2.line(img, p1, p2, col, max(1, th), cv2.LINE_AA)
        elif kind == "rect":
            cv2.rectangle(img, p1, p2, col, th, cv2.LINE_AA)
        elif kind == "circle":
            cv2.circle(img, p1, int(rng.integers(5, max(6, h // 4))), col, th, cv2.LINE_AA)
        elif kind == "ellipse":
            ax = (int(rng.integers(5, w // 4)), int(rng.integers(5, h // 4)))
            cv2.ellipse(
                img,
                p1,
                ax,
                float(rng.uniform(0, 180)),
                0,
                float(rng.uniform(90, 360)),
                col,
                th,
                cv2.LINE_AA,
            )
        elif kind == "poly":
            pts = rng.integers(0, [w, h], size=(int(rng.integers(3, 7)), 2)).astype(np.int32)
            cv2.polylines(img, [pts], bool(rng.random() < 0.5), col, max(1, th), cv2.LINE_AA)
        else:
            letters = [c for c in REJECT_CHARS if c.isalpha()]
            word = "".join(rng.choice(letters, size=int(rng.integers(2, 6))))
            face = _pick_face(rng, faces)
            line = render_line(word, face, height_px=int(rng.integers(10, 40)))
            _paste_ink(img, line.ink, p1[0], p1[1], np.array(col, np.float32))
            n_words += 1
    return n_words


def _paste_ink(
    img: NDArray[np.float32], ink: NDArray[np.uint8], x: int, y: int, color: NDArray[np.float32]
) -> None:
    """Blend an ink coverage mask of `color` into img at (x, y), clipped, in place."""
    h, w = img.shape[:2]
    ih, iw = ink.shape
    x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + iw), min(h, y + ih)
    if x1 <= x0 or y1 <= y0:
        return
    a = ink[y0 - y : y1 - y, x0 - x : x1 - x].astype(np.float32)[..., None] / 255.0
    region = img[y0:y1, x0:x1]
    region += (color - region) * a


def _motion_kernel(length: float, angle: float) -> NDArray[np.float32]:
    k = math.ceil(length) | 1
    ker = np.zeros((k, k), np.float32)
    c = k / 2 - 0.5
    dx, dy = math.cos(angle) * length / 2, math.sin(angle) * length / 2
    cv2.line(
        ker, (round(c - dx), round(c - dy)), (round(c + dx), round(c + dy)), 1.0, 1, cv2.LINE_AA
    )
    return ker / max(float(ker.sum()), 1e-6)


def _disc_kernel(radius: float) -> NDArray[np.float32]:
    r = max(1, math.ceil(radius))
    ker = np.zeros((2 * r + 1, 2 * r + 1), np.float32)
    cv2.circle(ker, (r, r), r, 1.0, -1, cv2.LINE_AA)
    return ker / float(ker.sum())


def _blur(
    rng: np.random.Generator, img: NDArray[np.float32], min_h: float, strength: float = 1.0
) -> dict[str, Any]:
    """Blur img in place with an amount that keeps `min_h`-px glyphs legible."""
    kind = str(rng.choice(["none", "gaussian", "gaussian", "motion", "defocus"]))
    info: dict[str, Any] = {"kind": kind}
    if kind == "gaussian":
        sigma = rng.uniform(0.3, min(1.6, 0.3 + 0.03 * min_h)) * strength
        img[...] = cv2.GaussianBlur(img, (0, 0), sigma)
        info["sigma"] = round(float(sigma), 2)
    elif kind == "motion":
        length = rng.uniform(1.5, max(2.0, min(9.0, 0.12 * min_h))) * strength
        ang = rng.uniform(0, np.pi)
        img[...] = cv2.filter2D(img, -1, _motion_kernel(length, ang))
        info["length"] = round(float(length), 2)
    elif kind == "defocus":
        rad = rng.uniform(0.8, max(1.0, min(4.0, 0.06 * min_h))) * strength
        img[...] = cv2.filter2D(img, -1, _disc_kernel(rad))
        info["radius"] = round(float(rad), 2)
    return info


def _jpeg(img: NDArray[np.uint8], quality: int) -> NDArray[np.uint8]:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:  # pragma: no cover - cv2 always encodes uint8 images
        return img
    flag = cv2.IMREAD_GRAYSCALE if img.ndim == 2 else cv2.IMREAD_COLOR
    return cv2.imdecode(buf, flag)


def _lighting(
    rng: np.random.Generator, h: int, w: int
) -> tuple[NDArray[np.float32], dict[str, Any]]:
    """Multiplicative illumination field HxW float32 in about [0.45, 1.2]."""
    yy = np.arange(h, dtype=np.float32)[:, None]
    xx = np.arange(w, dtype=np.float32)[None, :]
    field_ = np.ones((h, w), np.float32)
    info: dict[str, Any] = {}
    if rng.random() < 0.7:
        a = rng.uniform(0, 2 * np.pi)
        t = (np.cos(a) * (xx - w / 2) + np.sin(a) * (yy - h / 2)) / (0.5 * math.hypot(w, h))
        amp = rng.uniform(0.05, 0.3)
        field_ *= 1 + amp * t
        info["gradient"] = round(float(amp), 2)
    if rng.random() < 0.5:
        k = rng.uniform(0.1, 0.45)
        cx, cy = w * rng.uniform(0.3, 0.7), h * rng.uniform(0.3, 0.7)
        r2 = ((xx - cx) ** 2 + (yy - cy) ** 2) / (0.25 * (w * w + h * h))
        field_ *= 1 - k * r2
        info["vignette"] = round(float(k), 2)
    if rng.random() < 0.3:
        mask = np.zeros((h, w), np.float32)
        pts = rng.integers([-w // 2, -h // 2], [w + w // 2, h + h // 2], size=(4, 2))
        cv2.fillPoly(mask, [cv2.convexHull(pts.astype(np.int32))], 1.0)
        mask = cv2.GaussianBlur(mask, (0, 0), float(rng.uniform(4, 40)))
        depth = rng.uniform(0.2, 0.45)
        field_ *= 1 - depth * mask
        info["shadow"] = round(float(depth), 2)
    field_ *= rng.uniform(0.8, 1.1)
    return np.clip(field_, 0.45, 1.25), info


# --------------------------------------------------------------------------------------------
# Scenes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scene:
    """A synthetic camera frame with its ground truth.

    Attributes:
        image: HxWx3 uint8 BGR frame.
        lines: ground-truth text, top to bottom.
        boxes: every non-space char's (char, Box) in frame coordinates after all warps
            (axis-aligned box of the warped tight box), in reading order.
        style: what was drawn (JSON-serialisable): faces, families, polarity, heights, angle,
            blur, noise, JPEG quality, background, clutter...
    """

    image: NDArray[np.uint8]
    lines: tuple[str, ...]
    boxes: tuple[tuple[str, Box], ...]
    style: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """All lines joined by newlines."""
        return "\n".join(self.lines)

    @property
    def boxes_by_line(self) -> tuple[tuple[tuple[str, Box], ...], ...]:
        """`boxes` split per line (same nesting as `lines`)."""
        out = []
        i = 0
        for line in self.lines:
            n = sum(1 for c in line if c != " ")
            out.append(self.boxes[i : i + n])
            i += n
        return tuple(out)


@dataclass
class _LinePlan:
    text: str
    face: FontFace
    height: int
    weight: int
    tracking: float


@dataclass
class _CardPlan:
    polarity: Polarity
    lines: list[_LinePlan]
    align: str
    pad: float  # in units of the card's tallest line height
    gap: float  # line gap, in units of line height
    border: bool
    shape: str  # "rect" | "round" | "full"


@dataclass
class _CardImage:
    color: NDArray[np.float32]
    alpha: NDArray[np.float32]
    boxes: list[list[tuple[str, Box]]]  # per line, card coordinates
    paper: NDArray[np.float32]
    ink: NDArray[np.float32]


def _pick_face(rng: np.random.Generator, faces: Sequence[FontFace]) -> FontFace:
    """A face drawn family-first (so big families do not dominate), italics less often.

    Hershey faces (cv2's own, the commonest synthetic print) get a triple family weight.
    """
    families = sorted({f.family for f in faces})
    fw = np.array([3.0 if f == "hershey" else 1.0 for f in families])
    fam = families[int(rng.choice(len(families), p=fw / fw.sum()))]
    members = [f for f in faces if f.family == fam]
    w = np.array([0.35 if f.italic else 1.0 for f in members])
    return members[int(rng.choice(len(members), p=w / w.sum()))]


def _parse_polarity(p: Polarity | str | None) -> Polarity | None:
    if p is None or isinstance(p, Polarity):
        return p
    try:
        return Polarity(p)
    except ValueError:
        raise ValueError(
            f"polarity must be None, a Polarity or one of {[q.value for q in Polarity]}, got {p!r}"
        ) from None


def _plan_cards(
    rng: np.random.Generator,
    texts: list[str],
    faces: Sequence[FontFace],
    polarity: Polarity | None,
    clean: bool,
) -> list[_CardPlan]:
    n = len(texts)
    two = (not clean) and n >= 2 and rng.random() < 0.3
    groups = [texts]
    if two:
        k = int(rng.integers(1, n))
        groups = [texts[:k], texts[k:]]
    if clean:
        base_h = float(np.exp(rng.uniform(np.log(24), np.log(64))))
    else:
        base_h = float(np.exp(rng.uniform(np.log(14), np.log(115))))
    cards = []
    first_pol = polarity or (
        Polarity.DARK_ON_LIGHT if rng.random() < 0.55 else Polarity.LIGHT_ON_DARK
    )
    for gi, group in enumerate(groups):
        pol = first_pol
        if gi > 0 and polarity is None:
            other = (
                Polarity.LIGHT_ON_DARK
                if first_pol is Polarity.DARK_ON_LIGHT
                else Polarity.DARK_ON_LIGHT
            )
            pol = other if rng.random() < 0.8 else first_pol
        face = _pick_face(rng, faces)
        weight = 0 if clean else int(rng.choice([-1, 0, 0, 0, 1, 1, 2]))
        if weight < 0 and any(k in face.name.lower() for k in ("thin", "hairline", "light")):
            weight = 0  # already thin: thinner still would not survive blur and JPEG
        if rng.random() < 0.15 and not clean:
            tracking = float(rng.uniform(-0.05, 0.0))
        else:
            tracking = float(rng.uniform(0.0, 0.25 if not clean else 0.15))
        lines = []
        for t in group:
            h = base_h
            if len(group) > 1 and not clean and rng.random() < 0.35:
                h *= rng.uniform(0.55, 1.0)
            lines.append(_LinePlan(t, face, max(14, round(h)), weight, tracking))
        shape = "round" if rng.random() < 0.3 else "rect"
        if not clean and not two and rng.random() < 0.15:
            shape = "full"
        cards.append(
            _CardPlan(
                polarity=pol,
                lines=lines,
                align=str(rng.choice(["left", "center", "right"])),
                pad=float(rng.uniform(0.35, 1.2)),
                gap=float(rng.uniform(0.45, 1.1)),
                border=(not clean) and rng.random() < 0.25,
                shape=shape,
            )
        )
    return cards


def _render_card(
    rng: np.random.Generator, plan: _CardPlan, scale: float, clean: bool, max_w: int
) -> _CardImage:
    """Render a card (paper + ink, BGR float32) with its per-line char boxes."""
    rendered = []
    for lp in plan.lines:
        h = max(14, round(lp.height * scale))
        rendered.append(
            render_line(
                lp.text,
                lp.face,
                height_px=h,
                weight=lp.weight,
                tracking=lp.tracking,
                rng=None if clean else rng,
            )
        )
    hmax = max(max(14, round(lp.height * scale)) for lp in plan.lines)
    text_w = max(r.ink.shape[1] for r in rendered)
    gaps = [
        math.ceil(plan.gap * max(round(a.height * scale), round(b.height * scale)))
        for a, b in itertools.pairwise(plan.lines)
    ]
    text_h = sum(r.ink.shape[0] for r in rendered) + sum(gaps)
    border_gap = round(rng.uniform(0.25, 0.6) * hmax) if plan.border else 0
    border_th = max(1, round(rng.uniform(0.03, 0.09) * hmax)) if plan.border else 0
    pad = max(4, round(plan.pad * hmax)) + border_gap + border_th
    pad = max(4, min(pad, (max_w - text_w) // 2)) if max_w > text_w + 8 else 4
    if plan.border and pad < border_gap + border_th + 3:
        border_gap = border_th = 0  # no room for a frame line
    cw, ch = text_w + 2 * pad, text_h + 2 * pad
    min_contrast = 150.0 if clean else 95.0
    paper, ink = _card_colors(rng, plan.polarity, min_contrast)
    color = np.empty((ch, cw, 3), np.float32)
    color[...] = paper
    if not clean:
        shade = _smooth_noise(rng, ch, cw, max(8, cw // 3)) - 0.5
        color += shade[..., None] * rng.uniform(0, 18)
        color += rng.normal(0, rng.uniform(0.5, 4), (ch, cw, 1)).astype(np.float32)
    ink_strength = 1.0 if clean else float(rng.uniform(0.88, 1.0))
    boxes: list[list[tuple[str, Box]]] = []
    y = pad
    for i, r in enumerate(rendered):
        lw = r.ink.shape[1]
        if plan.align == "left":
            x = pad
        elif plan.align == "right":
            x = pad + text_w - lw
        else:
            x = pad + (text_w - lw) // 2
        a = r.ink.astype(np.float32)[..., None] * (ink_strength / 255.0)
        region = color[y : y + r.ink.shape[0], x : x + lw]
        region += (ink - region) * a
        boxes.append([(c, Box(b.x + x, b.y + y, b.w, b.h)) for c, b in r.boxes])
        y += r.ink.shape[0] + (gaps[i] if i < len(gaps) else 0)
    if border_th:
        o = pad - border_gap - border_th // 2 - 1
        cv2.rectangle(color, (o, o), (cw - 1 - o, ch - 1 - o), ink.tolist(), border_th, cv2.LINE_AA)
    alpha = np.zeros((ch, cw), np.float32)
    if plan.shape == "round":
        r_ = max(2, min(cw, ch) // int(rng.integers(6, 14)))
        cv2.rectangle(alpha, (r_, 0), (cw - 1 - r_, ch - 1), 1.0, -1)
        cv2.rectangle(alpha, (0, r_), (cw - 1, ch - 1 - r_), 1.0, -1)
        for cx, cy in ((r_, r_), (cw - 1 - r_, r_), (r_, ch - 1 - r_), (cw - 1 - r_, ch - 1 - r_)):
            cv2.circle(alpha, (cx, cy), r_, 1.0, -1, cv2.LINE_AA)
    else:
        alpha[...] = 1.0
    return _CardImage(color, alpha, boxes, paper, ink)


def _warp_points(m: NDArray[np.float64], pts: NDArray[np.float64]) -> NDArray[np.float64]:
    return cv2.perspectiveTransform(pts.reshape(-1, 1, 2).astype(np.float64), m).reshape(-1, 2)


def _box_after(m: NDArray[np.float64], b: Box, dx: float, dy: float) -> Box:
    x0, y0, x1, y1 = b.x + dx, b.y + dy, b.x2 + dx, b.y2 + dy
    p = _warp_points(m, np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64))
    ax0, ay0 = math.floor(p[:, 0].min()), math.floor(p[:, 1].min())
    ax1, ay1 = math.ceil(p[:, 0].max()), math.ceil(p[:, 1].max())
    return Box(int(ax0), int(ay0), int(ax1 - ax0), int(ay1 - ay0))


def _scene_warp(
    rng: np.random.Generator, rect: tuple[float, float, float, float], angle: float, persp: float
) -> NDArray[np.float64]:
    """Homography rotating `rect` (x, y, w, h) about its centre plus corner jitter."""
    x, y, w, h = rect
    cx, cy = x + w / 2, y + h / 2
    src = np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], np.float32)
    a = math.radians(angle)
    ca, sa = math.cos(a), math.sin(a)
    dst = np.array(
        [
            [cx + ca * (px - cx) - sa * (py - cy), cy + sa * (px - cx) + ca * (py - cy)]
            for px, py in src
        ],
        np.float32,
    )
    dst += (rng.uniform(-1, 1, (4, 2)) * persp * np.array([w, h])).astype(np.float32)
    return cv2.getPerspectiveTransform(src, dst).astype(np.float64)


def box_contrast(image: NDArray[np.uint8], box: Box) -> float:
    """Ink contrast inside a box: 95th minus 5th percentile of gray levels (0..255).

    Args:
        image: HxWx3 uint8 BGR or HxW uint8 gray.
        box: region (clipped to the image).
    """
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    h, w = gray.shape
    x0, y0 = max(0, box.x), max(0, box.y)
    x1, y1 = min(w, box.x2), min(h, box.y2)
    if x1 <= x0 or y1 <= y0:
        return 0.0
    patch = gray[y0:y1, x0:x1]
    lo, hi = np.percentile(patch, [5, 95])
    return float(hi - lo)


def make_scene(
    seed: SeedLike,
    *,
    faces: Sequence[FontFace] | None = None,
    size: tuple[int, int] = (640, 480),
    n_lines: int | None = None,
    polarity: Polarity | str | None = None,
    difficulty: str = "camera",
    texts: Sequence[str] | None = None,
) -> Scene:
    """A camera-like frame of printed digit strings on one or two cards, with ground truth.

    "camera" scenes vary widely: 1-3 lines of 3-10 chars (digits, '.', '-'), one or two
    cards (two cards usually of opposite polarity, stacked so lines stay top to bottom),
    digit heights 14-115 px (per scene; lines on a card may differ), cluttered backgrounds
    (gradients, textures, grids, shapes, letter words), optional frame line around the text,
    drop shadows, rotation up to 5 degrees, mild perspective, uneven light (gradient,
    vignette, cast shadow), white balance, low-res resampling, gaussian/motion/defocus blur
    scaled to the glyph size, sensor noise, JPEG quality 25-95. Text is never clipped by the
    frame edge nor occluded.

    "clean" scenes: plain background, one upright card, heights 24-64 px, mild noise, no
    blur or JPEG.

    Args:
        seed: seed or generator (a generator is advanced).
        faces: faces to draw with (default `printed_faces()`).
        size: (width, height) of the frame.
        n_lines: number of text lines (default random 1-3).
        polarity: force every card's polarity, or None for random.
        difficulty: "camera" or "clean".
        texts: the lines to print instead of random numbers (e.g. `random_word`s: the
            model learns from such scenes what a word's letters look like once cut).

    Returns:
        `Scene` with an HxWx3 uint8 BGR image.
    """
    if difficulty not in ("camera", "clean"):
        raise ValueError(f"difficulty must be 'camera' or 'clean', got {difficulty!r}")
    rng = _as_rng(seed)
    face_list = list(faces) if faces is not None else printed_faces()
    if not face_list:
        raise ValueError("make_scene needs at least one face, got an empty list")
    W, H = int(size[0]), int(size[1])
    if W < 64 or H < 64:
        raise ValueError(f"size must be at least 64x64, got {W}x{H}")
    clean = difficulty == "clean"
    pol = _parse_polarity(polarity)
    if texts is not None:
        texts = [str(t) for t in texts]
        n = len(texts)
        if n < 1 or not all(t.strip() for t in texts):
            raise ValueError("texts must hold at least one non-blank line")
    else:
        n = int(n_lines) if n_lines is not None else int(rng.choice([1, 2, 3], p=[0.4, 0.35, 0.25]))
        if n < 1:
            raise ValueError(f"n_lines must be >= 1, got {n}")
        texts = [random_digit_text(rng) for _ in range(n)]
    plans = _plan_cards(rng, texts, face_list, pol, clean)

    # ---- layout: render cards, stack them, warp; shrink until the text fits the frame
    scale = 1.0
    edge = 4  # min distance of any char box from the frame edge
    for _attempt in range(12):
        cards = [_render_card(rng, p, scale, clean, int(W * 0.96)) for p in plans]
        card_gap = round(rng.uniform(0.3, 1.0) * max(lp.height for lp in plans[-1].lines) * scale)
        card_gap = max(6, card_gap)
        widths = [c.color.shape[1] for c in cards]
        heights = [c.color.shape[0] for c in cards]
        stack_w = max(widths)
        stack_h = sum(heights) + card_gap * (len(cards) - 1)
        # text extents (tighter than cards); the cards may overflow the frame, text may not
        text_w = max(
            max(b.x2 for ln in c.boxes for _, b in ln) - min(b.x for ln in c.boxes for _, b in ln)
            for c in cards
        )
        if text_w > W - 2 * edge - 8 or stack_h > H * 1.1:
            scale *= 0.85 * min(1.0, (W - 2 * edge - 8) / max(text_w, 1), H / max(stack_h, 1))
            continue
        placed = None
        for _try in range(10):
            offs = [int(rng.integers(0, stack_w - w_ + 1)) for w_ in widths]
            x0 = (
                rng.uniform(min(0, W - stack_w), max(0, W - stack_w))
                if stack_w < W
                else ((W - stack_w) / 2 + rng.uniform(-0.05, 0.05) * W)
            )
            y0 = (
                rng.uniform(min(0, H - stack_h), max(0, H - stack_h))
                if stack_h < H
                else ((H - stack_h) / 2)
            )
            x0, y0 = round(x0), round(y0)
            angle = 0.0 if clean else float(rng.uniform(-5, 5))
            persp = 0.0 if clean else float(rng.uniform(0, 0.05))
            if _try >= 5:
                angle *= 0.5
                persp *= 0.5
            m = _scene_warp(rng, (x0, y0, stack_w, stack_h), angle, persp)
            frame_boxes: list[list[tuple[str, Box]]] = []
            yy = y0
            ok = True
            for c, off in zip(cards, offs, strict=True):
                for ln in c.boxes:
                    wb = [(ch_, _box_after(m, b, x0 + off, yy)) for ch_, b in ln]
                    if any(
                        b.x < edge or b.y < edge or b.x2 > W - edge or b.y2 > H - edge
                        for _, b in wb
                    ):
                        ok = False
                    frame_boxes.append(wb)
                yy += c.color.shape[0] + card_gap
            if ok:
                placed = (offs, x0, y0, angle, persp, m, frame_boxes)
                break
        if placed is not None:
            break
        scale *= 0.85
    else:  # pragma: no cover - 12 shrinks always fit
        raise RuntimeError("make_scene could not fit the text in the frame")
    offs, x0, y0, angle, persp, m, frame_boxes = placed

    # ---- background
    if clean:
        bg = np.empty((H, W, 3), np.float32)
        bg[...] = _hsv(rng.random(), rng.uniform(0, 0.2), rng.uniform(0.35, 0.7))
        bg_kind, n_clutter, n_words = "plain", 0, 0
    else:
        bg, bg_kind = _background(rng, W, H)
        n_clutter = int(rng.integers(0, 30))
        n_words = _draw_clutter(rng, bg, face_list, n_clutter)

    # ---- card layer (canvas = frame + margin), warped onto the frame
    M = 96
    layer = np.zeros((H + 2 * M, W + 2 * M, 3), np.float32)
    alpha = np.zeros((H + 2 * M, W + 2 * M), np.float32)
    yy = y0
    for c, off, plan in zip(cards, offs, plans, strict=True):
        ch_, cw_ = c.color.shape[:2]
        if plan.shape == "full":  # the card is the whole surface: extend the paper
            layer[...] = c.paper
            alpha[...] = 1.0
        cx0, cy0 = x0 + off + M, yy + M
        sx0, sy0 = max(0, -cx0), max(0, -cy0)
        ex = min(cw_, layer.shape[1] - cx0)
        ey = min(ch_, layer.shape[0] - cy0)
        a = c.alpha[sy0:ey, sx0:ex, None]
        dst = layer[cy0 + sy0 : cy0 + ey, cx0 + sx0 : cx0 + ex]
        dst[...] = dst * (1 - a) + c.color[sy0:ey, sx0:ex] * a
        alpha[cy0 + sy0 : cy0 + ey, cx0 + sx0 : cx0 + ex] = np.maximum(
            alpha[cy0 + sy0 : cy0 + ey, cx0 + sx0 : cx0 + ex], c.alpha[sy0:ey, sx0:ex]
        )
        yy += ch_ + card_gap
    shift = np.array([[1, 0, -M], [0, 1, -M], [0, 0, 1]], np.float64)
    mw = m @ shift
    wl = cv2.warpPerspective(
        layer, mw, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0
    )
    wa = cv2.warpPerspective(
        alpha, mw, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0
    )[..., None]
    shadow = False
    if not clean and rng.random() < 0.5 and plans[0].shape != "full":
        sd = cv2.GaussianBlur(wa[..., 0], (0, 0), float(rng.uniform(2, 12)))
        sh = np.float32([[1, 0, rng.uniform(-12, 12)], [0, 1, rng.uniform(0, 15)]])
        sd = cv2.warpAffine(sd, sh, (W, H))
        bg *= 1 - rng.uniform(0.2, 0.55) * sd[..., None]
        shadow = True
    img = bg * (1 - wa) + wl * wa

    # ---- light, colour, optics, sensor
    min_h = (
        min(b.h for _c, b in (bb for ln in frame_boxes for bb in ln) if _c.isdigit())
        if any(ch.isdigit() for t in texts for ch in t)
        else 14
    )
    light_info: dict[str, Any] = {}
    lowres = None
    blur_info: dict[str, Any] = {"kind": "none"}
    jpeg_q = None
    if clean:
        noise_sigma = 2.0
    else:
        light, light_info = _lighting(rng, H, W)
        img *= light[..., None]
        wb = rng.uniform(0.88, 1.12, 3).astype(np.float32)
        img *= wb
        if min_h >= 24 and rng.random() < 0.2:
            lowres = float(rng.uniform(max(0.5, 16 / min_h), 0.85))
            small = cv2.resize(
                img,
                (max(8, round(W * lowres)), max(8, round(H * lowres))),
                interpolation=cv2.INTER_AREA,
            )
            img = cv2.resize(small, (W, H), interpolation=cv2.INTER_LINEAR)
        blur_info = _blur(rng, img, min_h)
        noise_sigma = float(rng.uniform(1.0, 9.0))
    noise = rng.standard_normal((H, W, 3), dtype=np.float32)
    if not clean and rng.random() < 0.5:
        noise[..., 1:] = noise[..., :1]  # luma-only noise
    sig = noise_sigma
    if not clean and rng.random() < 0.5:  # shot noise: brighter pixels are noisier
        sig = noise_sigma * 0.5 + 0.35 * np.sqrt(np.clip(img, 0, 255))
    img += noise * sig
    out = np.clip(img, 0, 255).astype(np.uint8)
    if not clean:
        jpeg_q = int(rng.integers(25, 96))
        out = _jpeg(out, jpeg_q)

    flat = tuple(bb for ln in frame_boxes for bb in ln)
    line_pols = [p.polarity.value for p in plans for _ in p.lines]
    line_faces = [lp.face for p in plans for lp in p.lines]
    heights = [max(14, round(lp.height * scale)) for p in plans for lp in p.lines]
    pols = sorted(set(line_pols))
    style: dict[str, Any] = {
        "difficulty": difficulty,
        "n_lines": n,
        "n_cards": len(plans),
        "polarity": pols[0] if len(pols) == 1 else "mixed",
        "line_polarity": line_pols,
        "faces": [f.name for f in line_faces],
        "families": [f.family for f in line_faces],
        "heights": heights,
        "min_height": int(min(heights)),
        "max_height": int(max(heights)),
        "weight": [p.lines[0].weight for p in plans],
        "tracking": [round(p.lines[0].tracking, 3) for p in plans],
        "border": [p.border for p in plans],
        "card_shape": [p.shape for p in plans],
        "angle": round(angle, 2),
        "perspective": round(persp, 3),
        "background": bg_kind,
        "n_clutter": n_clutter,
        "clutter_words": n_words,
        "card_shadow": shadow,
        "lighting": light_info,
        "lowres": None if lowres is None else round(lowres, 3),
        "blur": blur_info,
        "noise_sigma": round(noise_sigma, 2),
        "jpeg_quality": jpeg_q,
    }
    return Scene(out, tuple(texts), flat, style)


# --------------------------------------------------------------------------------------------
# Glyph samples (training)
# --------------------------------------------------------------------------------------------


def _affine_about(cx: float, cy: float, angle_deg: float, shear: float) -> NDArray[np.float64]:
    """2x3 affine: shear x by `shear` * (y - cy), then rotate about (cx, cy)."""
    a = math.radians(angle_deg)
    ca, sa = math.cos(a), math.sin(a)
    r = np.array([[ca, -sa], [sa, ca]]) @ np.array([[1.0, -shear], [0.0, 1.0]])
    t = np.array([cx, cy]) - r @ np.array([cx, cy])
    return np.hstack([r, t[:, None]])


def _line_canvas(
    rng: np.random.Generator,
    text: str,
    face: FontFace,
    h: int,
    weight: int,
    tracking: float,
    pad: int,
) -> tuple[NDArray[np.uint8], list[tuple[str, NDArray[np.uint8], Box]]]:
    """Ink of `text` with pad px around, plus each char's own ink (same canvas) and box."""
    tiles = _render_tiles(text, face, height_px=h, weight=weight, tracking=tracking, rng=rng)
    ink, boxes, moved = _compose_tiles(tiles, margin=pad)
    singles = []
    for t, (c, b) in zip(moved, boxes, strict=True):
        one = np.zeros_like(ink)
        x0, y0 = max(0, t.x), max(0, t.y)
        x1 = min(ink.shape[1], t.x + t.cov.shape[1])
        y1 = min(ink.shape[0], t.y + t.cov.shape[0])
        one[y0:y1, x0:x1] = t.cov[y0 - t.y : y1 - t.y, x0 - t.x : x1 - t.x]
        singles.append((c, one, b))
    return ink, singles


def _finish_patch(
    rng: np.random.Generator,
    cov: NDArray[np.uint8],
    target: NDArray[np.uint8] | None,
    box: Box,
    h: int,
    upscale: float,
) -> NDArray[np.uint8]:
    """Warp, crop with a jittered margin, and degrade a glyph; ink bright on dark, uint8."""
    cx, cy = box.cx, box.cy
    if rng.random() < 0.85:
        ang = float(rng.uniform(-6, 6)) if rng.random() < 0.7 else 0.0
        shear = float(rng.uniform(-0.15, 0.15)) if rng.random() < 0.4 else 0.0
        a = _affine_about(cx, cy, ang, shear)
        cov = cv2.warpAffine(cov, a, (cov.shape[1], cov.shape[0]), flags=cv2.INTER_LINEAR)
        if target is not None:
            target = cv2.warpAffine(target, a, (cov.shape[1], cov.shape[0]), flags=cv2.INTER_LINEAR)
            tb = _tight(target)
            if tb is not None:
                box = Box(*tb)
        else:
            p = cv2.transform(
                np.array(
                    [[[box.x, box.y], [box.x2, box.y], [box.x2, box.y2], [box.x, box.y2]]],
                    np.float64,
                ),
                a,
            )[0]
            x0, y0 = math.floor(p[:, 0].min()), math.floor(p[:, 1].min())
            box = Box(x0, y0, math.ceil(p[:, 0].max()) - x0, math.ceil(p[:, 1].max()) - y0)
    # margin 0-15 % of the digit height, each edge jittered like a real segmenter
    m = rng.uniform(0, 0.15) * h
    j = max(1.0, 0.04 * h)
    e = [round(m + rng.uniform(-j, j)) for _ in range(4)]
    x0, y0 = box.x - e[0], box.y - e[1]
    x1, y1 = box.x2 + e[2], box.y2 + e[3]
    x1, y1 = max(x1, x0 + 2), max(y1, y0 + 2)
    extra = 4
    big = np.zeros((y1 - y0 + 2 * extra, x1 - x0 + 2 * extra), np.float32)
    sx0, sy0 = x0 - extra, y0 - extra
    cx0, cy0 = max(0, sx0), max(0, sy0)
    cx1, cy1 = min(cov.shape[1], x1 + extra), min(cov.shape[0], y1 + extra)
    if cx1 > cx0 and cy1 > cy0:
        big[cy0 - sy0 : cy1 - sy0, cx0 - sx0 : cx1 - sx0] = cov[cy0:cy1, cx0:cx1]
    big /= 255.0
    # photometric: paper/ink levels, blur, noise, JPEG
    paper = rng.uniform(0, 100)
    ink = rng.uniform(max(paper + 70, 140), 255)
    g = paper + (ink - paper) * big
    if rng.random() < 0.3:  # uneven light across the patch
        yy, xx = np.mgrid[0 : g.shape[0], 0 : g.shape[1]].astype(np.float32)
        t = xx / max(1, g.shape[1]) * rng.uniform(-1, 1) + yy / max(1, g.shape[0]) * rng.uniform(
            -1, 1
        )
        g = g * (1 + 0.25 * t)
    if rng.random() < 0.6:
        kind = int(rng.integers(0, 3))
        if kind == 0:
            g = cv2.GaussianBlur(g, (0, 0), float(rng.uniform(0.3, max(0.4, min(1.5, 0.04 * h)))))
        elif kind == 1:
            g = cv2.filter2D(
                g,
                -1,
                _motion_kernel(rng.uniform(1.5, max(2, min(6, 0.1 * h))), rng.uniform(0, np.pi)),
            )
        else:
            g = cv2.filter2D(g, -1, _disc_kernel(rng.uniform(0.8, max(1, min(3, 0.05 * h)))))
    g = g + rng.normal(0, rng.uniform(0, 12), g.shape).astype(np.float32)
    out = np.clip(g, 0, 255).astype(np.uint8)
    if rng.random() < 0.5:
        out = _jpeg(out, int(rng.integers(25, 96)))
    out = out[extra:-extra, extra:-extra]
    if upscale > 1.0:
        out = cv2.resize(
            out,
            (max(1, round(out.shape[1] * upscale)), max(1, round(out.shape[0] * upscale))),
            interpolation=cv2.INTER_LINEAR,
        )
    return np.ascontiguousarray(out)


def _pick_height(rng: np.random.Generator, height_range: tuple[int, int]) -> tuple[int, float]:
    """(render height, upscale factor): sometimes render small and upscale afterwards."""
    lo, hi = height_range
    h = round(float(np.exp(rng.uniform(np.log(lo), np.log(hi)))))
    if rng.random() < 0.2 and h >= 16:
        f = float(rng.uniform(1.5, 3.0))
        small = max(8, round(h / f))
        return small, h / small
    return h, 1.0


def _context_text(rng: np.random.Generator, c: str) -> tuple[str, int]:
    """`c` with optional neighbours; returns (text, index of c)."""
    left = str(int(rng.integers(0, 10))) if rng.random() < 0.6 else ""
    right = str(int(rng.integers(0, 10))) if rng.random() < 0.6 else ""
    if right and rng.random() < 0.1:
        right = "."
    return left + c + right, len(left)


def _glyph_render_args(rng: np.random.Generator) -> tuple[int, float]:
    weight = int(rng.choice([-1, 0, 0, 0, 1, 1, 2]))
    if rng.random() < 0.25:
        tracking = float(rng.uniform(-0.08, 0.0))  # touching neighbours
    else:
        tracking = float(rng.uniform(0.0, 0.3))
    return weight, tracking


def _char_sample(
    rng: np.random.Generator, c: str, faces: Sequence[FontFace], height_range: tuple[int, int]
) -> NDArray[np.uint8]:
    face = _pick_face(rng, faces)
    h, up = _pick_height(rng, height_range)
    weight, tracking = _glyph_render_args(rng)
    text, idx = _context_text(rng, c)
    pad = max(6, h // 2)
    ink, singles = _line_canvas(rng, text, face, h, weight, tracking, pad)
    _c, target, box = singles[idx]
    return _finish_patch(rng, ink, target, box, h, up)


def _shape_canvas(h: int) -> tuple[NDArray[np.uint8], int]:
    size = 3 * h
    return np.zeros((size, size), np.uint8), size


def _reject_sample(
    rng: np.random.Generator, faces: Sequence[FontFace], height_range: tuple[int, int]
) -> NDArray[np.uint8]:
    kind = str(
        rng.choice(
            ["symbol", "fragment", "merged", "bar", "corner", "blob", "noise", "texture"],
            p=[0.36, 0.14, 0.12, 0.1, 0.07, 0.07, 0.07, 0.07],
        )
    )
    h, up = _pick_height(rng, height_range)
    face = _pick_face(rng, faces)
    weight, tracking = _glyph_render_args(rng)
    pad = max(6, h // 2)
    if kind == "symbol":
        c = REJECT_CHARS[int(rng.integers(0, len(REJECT_CHARS)))]
        text, idx = _context_text(rng, c)
        ink, singles = _line_canvas(rng, text, face, h, weight, tracking, pad)
        _c, target, box = singles[idx]
        return _finish_patch(rng, ink, target, box, h, up)
    if kind == "fragment":
        c = str(rng.choice(list("02345689")))
        text, idx = _context_text(rng, c)
        ink, singles = _line_canvas(rng, text, face, h, weight, tracking, pad)
        _c, target, b = singles[idx]
        cut = str(rng.choice(["top", "bottom", "left", "straddle"]))
        f = float(rng.uniform(0.3, 0.5) if cut in ("top", "bottom") else rng.uniform(0.3, 0.45))
        if cut == "top":
            box = Box(b.x, b.y, b.w, max(2, round(b.h * f)))
        elif cut == "bottom":
            hh = max(2, round(b.h * f))
            box = Box(b.x, b.y2 - hh, b.w, hh)
        elif cut == "left":
            box = Box(b.x, b.y, max(2, round(b.w * f)), b.h)
        else:  # right half of this glyph + gap (a mis-split between two glyphs)
            box = Box(b.x + round(b.w * (1 - f)), b.y, max(2, round(b.w * f * 1.6)), b.h)
        return _finish_patch(rng, ink, None, box, h, up)
    if kind == "merged":
        text = "".join(str(int(d)) for d in rng.integers(0, 10, 2))
        ink, singles = _line_canvas(
            rng, text, face, h, weight, float(rng.uniform(-0.08, 0.03)), pad
        )
        both = np.maximum(singles[0][1], singles[1][1])
        tb = _tight(both)
        box = Box(*tb) if tb else singles[0][2]
        return _finish_patch(rng, ink, both, box, h, up)
    canvas, size = _shape_canvas(h)
    c0 = size / 2
    th = max(1, round(rng.uniform(0.06, 0.2) * h))
    if kind == "bar":  # horizontal-ish or diagonal strokes (never an upright '1'-like bar)
        ang = float(rng.choice([rng.uniform(-10, 10), rng.uniform(25, 65), rng.uniform(115, 155)]))
        ln = rng.uniform(0.6, 1.4) * h
        dx, dy = math.cos(math.radians(ang)) * ln / 2, math.sin(math.radians(ang)) * ln / 2
        cv2.line(
            canvas,
            (round(c0 - dx), round(c0 - dy)),
            (round(c0 + dx), round(c0 + dy)),
            255,
            th,
            cv2.LINE_AA,
        )
    elif kind == "corner":
        a, b_ = rng.uniform(0.4, 1.0) * h, rng.uniform(0.4, 1.0) * h
        pts = np.array([[c0, c0 - b_ / 2], [c0, c0 + b_ / 2], [c0 + a, c0 + b_ / 2]])
        rot = cv2.getRotationMatrix2D(
            (c0, c0), float(rng.integers(0, 4) * 90 + rng.uniform(-8, 8)), 1.0
        )
        pts = cv2.transform(pts[None], rot)[0]
        cv2.polylines(canvas, [np.round(pts).astype(np.int32)], False, 255, th, cv2.LINE_AA)
    elif kind == "blob":
        pts = rng.normal(0, 0.3 * h, (int(rng.integers(4, 9)), 2)) + c0
        hull = cv2.convexHull(np.round(pts).astype(np.int32))
        cv2.fillPoly(canvas, [hull], 255, cv2.LINE_AA)
    elif kind == "noise":
        s = max(4, round(rng.uniform(0.5, 1.0) * h))
        n = _smooth_noise(rng, s, s, max(2, int(rng.integers(2, 6))))
        patch = (n > rng.uniform(0.5, 0.7)).astype(np.uint8) * 255
        o = round(c0 - s / 2)
        canvas[o : o + s, o : o + s] = patch
    else:  # texture: stripes / grid / checker
        s = max(6, round(rng.uniform(0.6, 1.0) * h))
        yy, xx = np.mgrid[0:s, 0:s]
        step = max(3, round(rng.uniform(0.15, 0.35) * h))
        t = int(rng.integers(0, 3))
        if t == 0:
            patch = ((xx + yy) // step) % 2 == 0
        elif t == 1:
            patch = ((xx // step) % 2) ^ ((yy // step) % 2) == 1
        else:
            patch = ((xx % step) < max(1, step // 3)) | ((yy % step) < max(1, step // 3))
        o = round(c0 - s / 2)
        canvas[o : o + s, o : o + s] = patch.astype(np.uint8) * 255
    tb = _tight(canvas)
    box = Box(*tb) if tb else Box(round(c0), round(c0), 1, 1)
    return _finish_patch(
        rng, canvas, canvas if kind in ("bar", "corner", "blob") else None, box, h, up
    )


def glyph_samples(
    seed: SeedLike,
    *,
    faces: Sequence[FontFace],
    n_per_class: int,
    classes: str = "0123456789",
    reject: bool = True,
    height_range: tuple[int, int] = (12, 90),
) -> tuple[list[NDArray[np.uint8]], list[str]]:
    """Labelled glyph patches as a segmenter would cut them from camera frames.

    Each patch is the glyph's tight box plus a margin of 0-15 % of the digit height with
    each edge jittered (about ±1-2 px at small sizes, more when large), rendered at a random
    digit height in `height_range` with varied weight and tracking (sometimes touching
    neighbours, whose parts then show in the margin), then augmented: rotation (±6°), shear
    (±0.15), blur (gaussian, motion, defocus), noise, uneven light, contrast/brightness,
    JPEG (quality 25-95), and sometimes rendered small and upscaled with INTER_LINEAR.

    With `reject`, `n_per_class` more patches labelled `NOT_GLYPH`: letters and symbols
    (`REJECT_CHARS`, never digit look-alikes such as O, I, l, S, B, Z), fragments of digits,
    two merged digits, horizontal/diagonal bars, box corners, blobs, noise and textures.

    Args:
        seed: seed or generator.
        faces: faces to render with (e.g. the train part of `split_faces`).
        n_per_class: samples per class.
        classes: characters to produce (digits, and optionally '.' and '-').
        reject: also produce the NOT_GLYPH class.
        height_range: (min, max) digit height in px.

    Returns:
        (patches, labels): patches are HxW uint8 gray, ink bright on dark, sizes vary;
        grouped by class in `classes` order, then NOT_GLYPH.
    """
    if not faces:
        raise ValueError("glyph_samples needs at least one face, got an empty list")
    if n_per_class < 0:
        raise ValueError(f"n_per_class must be >= 0, got {n_per_class}")
    lo, hi = height_range
    if not 6 <= lo <= hi:
        raise ValueError(f"height_range must be (lo, hi) with 6 <= lo <= hi, got {height_range}")
    rng = _as_rng(seed)
    patches: list[NDArray[np.uint8]] = []
    labels: list[str] = []
    for c in classes:
        for _ in range(n_per_class):
            patches.append(_char_sample(rng, c, faces, (lo, hi)))
            labels.append(c)
    if reject:
        for _ in range(n_per_class):
            patches.append(_reject_sample(rng, faces, (lo, hi)))
            labels.append(NOT_GLYPH)
    return patches, labels


# --------------------------------------------------------------------------------------------
# Demo
# --------------------------------------------------------------------------------------------

_DEMO_FACES = (
    "DejaVuSans-Bold",
    "LiberationSans-Bold",
    "DejaVuSansMono-Bold",
    "Roboto-Bold",
    "LiberationMono-Bold",
)


class DemoScene:
    """A printed meter counting up on a card, filmed by a shaky camera.

    The static parts (background, card, glyph tiles, noise fields) are built once in
    `__init__`; `frame(index)` only pastes the digits, shakes, relights and adds noise
    (a few ms). Deterministic given (seed, index).

    Args:
        seed: chooses face, colours, layout, starting count.
        size: (width, height) of the frames.
        fps: frames per second; the counter ticks every 0.5 s.
    """

    N_NOISE = 8

    def __init__(self, seed: int = 0, *, size: tuple[int, int] = (640, 480), fps: float = 30.0):
        if fps <= 0:
            raise ValueError(f"fps must be > 0, got {fps}")
        rng = np.random.default_rng([seed, 0xDE30])
        self.seed = seed
        self.size = (int(size[0]), int(size[1]))
        self.fps = float(fps)
        self.frames_per_tick = max(1, round(0.5 * fps))
        W, H = self.size
        self.start = int(rng.integers(0, 500000))  # tenths
        by_name = {f.name: f for f in truetype_faces()}
        pool = [by_name[n] for n in _DEMO_FACES if n in by_name]
        pool += [f for f in hershey_faces() if f.name == "hershey:DUPLEX"]
        self.face = pool[int(rng.integers(0, len(pool)))]
        self.height = int(min(max(36, rng.integers(40, 64)), H // 5))
        # glyph tiles at one size, laid out in fixed cells (a meter has tabular figures)
        self.tiles: dict[str, tuple[NDArray[np.float32], Box]] = {}
        for c in "0123456789.":
            r = render_line(c, self.face, height_px=self.height, weight=0)
            self.tiles[c] = (r.ink.astype(np.float32) / 255.0, r.boxes[0][1])
        cell = max(b.w for c, (_t, b) in self.tiles.items() if c != ".")
        self.cell_w = int(cell + max(3, round(0.18 * self.height)))
        self.dot_w = int(self.tiles["."][1].w + max(3, round(0.18 * self.height)))
        text_w = 6 * self.cell_w + self.dot_w
        pad = round(0.6 * self.height)
        cw, ch = text_w + 2 * pad, self.height + 2 * pad
        bg, _kind = _background(rng, W, H)
        _draw_clutter(rng, bg, hershey_faces(), int(rng.integers(3, 10)))
        light = rng.random() < 0.7
        paper, ink = _card_colors(
            rng, Polarity.DARK_ON_LIGHT if light else Polarity.LIGHT_ON_DARK, 140.0
        )
        cx0 = (W - cw) // 2 + int(rng.integers(-W // 10, W // 10 + 1))
        cy0 = (H - ch) // 2 + int(rng.integers(-H // 8, H // 8 + 1))
        cx0 = int(np.clip(cx0, 20, W - cw - 20))
        cy0 = int(np.clip(cy0, 20, H - ch - 20))
        sd = np.zeros((H, W), np.float32)
        cv2.rectangle(sd, (cx0 + 6, cy0 + 8), (cx0 + cw + 6, cy0 + ch + 8), 1.0, -1)
        bg *= 1 - 0.35 * cv2.GaussianBlur(sd, (0, 0), 6)[..., None]
        card = np.empty((ch, cw, 3), np.float32)
        card[...] = paper
        card += rng.normal(0, 2, (ch, cw, 1)).astype(np.float32)
        cv2.rectangle(card, (3, 3), (cw - 4, ch - 4), (ink * 0.5 + paper * 0.5).tolist(), 1)
        bg[cy0 : cy0 + ch, cx0 : cx0 + cw] = card
        self.ink = ink
        self.static_f = bg  # float32 HxWx3 (only the text region is read per frame)
        self.static = np.clip(bg, 0, 255).astype(np.uint8)
        self.text_origin = (cx0 + pad, cy0 + pad)  # top-left of the digit row (cap top)
        self.text_w = text_w
        noise = rng.normal(0, 3.0, (self.N_NOISE, H, W, 1)).astype(np.float32)
        self.noise_pos = [np.clip(n, 0, 255).astype(np.uint8).repeat(3, axis=2) for n in noise]
        self.noise_neg = [np.clip(-n, 0, 255).astype(np.uint8).repeat(3, axis=2) for n in noise]
        self.phase = rng.uniform(0, 2 * np.pi, 6)

    def text(self, index: int) -> str:
        """The counter reading at frame `index`, e.g. "01234.5"."""
        v = (self.start + index // self.frames_per_tick) % 1_000_000
        return f"{v // 10:05d}.{v % 10}"

    def frame(self, index: int) -> tuple[NDArray[np.uint8], str]:
        """The BGR frame (HxWx3 uint8) at `index` and its truth text."""
        text = self.text(index)
        W, H = self.size
        x, y = self.text_origin
        y0, y1 = y - 4, y + self.height + 8
        x0, x1 = x - 4, x + self.text_w + 4
        roi = self.static_f[y0:y1, x0:x1].copy()
        pen = 4
        for c in text:
            tile, b = self.tiles[c]
            w_cell = self.dot_w if c == "." else self.cell_w
            tx = pen + (w_cell - b.w) // 2 - b.x
            # digits: cap top at row 4; '.': sits on the baseline (digit bottom)
            ty = 4 + self.height - (b.y + b.h) if c == "." else 4 - b.y
            sy0, sx0 = max(0, -ty), max(0, -tx)
            ey = min(tile.shape[0], roi.shape[0] - ty)
            ex = min(tile.shape[1], roi.shape[1] - tx)
            if ey > sy0 and ex > sx0:
                a = tile[sy0:ey, sx0:ex, None]
                reg = roi[ty + sy0 : ty + ey, tx + sx0 : tx + ex]
                reg += (self.ink - reg) * a
            pen += w_cell
        img = self.static.copy()
        img[y0:y1, x0:x1] = np.clip(roi, 0, 255).astype(np.uint8)
        t = index / self.fps
        p = self.phase
        ang = 0.5 * math.sin(1.3 * t + p[0]) + 0.25 * math.sin(4.1 * t + p[1])
        dx = 3.0 * math.sin(1.7 * t + p[2]) + 1.2 * math.sin(5.3 * t + p[3])
        dy = 2.5 * math.sin(1.1 * t + p[4]) + 1.0 * math.sin(6.1 * t + p[5])
        m = cv2.getRotationMatrix2D((W / 2, H / 2), ang, 1.0)
        m[:, 2] += (dx, dy)
        gain = 1.0 + 0.12 * math.sin(0.7 * t + p[0]) + 0.04 * math.sin(2.3 * t + p[3])
        img = cv2.warpAffine(img, m, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        out = cv2.convertScaleAbs(img, alpha=gain, beta=4.0 * math.sin(0.31 * t + p[1]))
        out = cv2.GaussianBlur(out, (3, 3), 0.7)
        k = (index * 5 + self.seed) % self.N_NOISE
        out = cv2.add(out, self.noise_pos[k])
        out = cv2.subtract(out, self.noise_neg[k])
        return out, text


def demo_frame(
    index: int, *, seed: int = 0, size: tuple[int, int] = (640, 480), fps: float = 30.0
) -> tuple[NDArray[np.uint8], str]:
    """One frame of the demo meter; see `DemoScene` (build it once for a stream).

    Returns:
        (HxWx3 uint8 BGR frame, truth text such as "01234.5").
    """
    return DemoScene(seed, size=size, fps=fps).frame(index)
