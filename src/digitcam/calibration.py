"""Calibration profiles: where the display is in the frame and what it may show.

A profile is a JSON file (`calibration/NAME.json` in the repository, installed as
`digitcam/_calibration/NAME.json`), validated strictly: an unknown or misspelt key, corners
outside the frame, or a bad format string is a one-line `CalibrationError` naming the problem.

Keys (all optional except where said):

    name           text; defaults to the file's stem
    description    text
    frame_size     [width, height] the corners were picked in (checked against real frames)
    corners        [[x, y] x4]: the display's top-left, top-right, bottom-right, bottom-left
    output_height  height in px of the warped display (default: its height in the frame)
    rotation       degrees to rotate the warped display (counter-clockwise), default 0
    slant          shear that makes italic digits upright (x -= slant * (y - h)), default 0
    display        "seven-segment" (segment readings trusted over printed ones), "printed"
                   (printed glyphs only, faster) or "auto"; absent: the reader's default
                   (auto: both readers compete for each line)
    polarity       "dark-on-light", "light-on-dark" or null (decide per line)
    glyph_height   [min_px, max_px] digit height in the (warped) image
    format         e.g. "ddddd.d": d a digit (leading ones may be blank), '.' ':' literal,
                   a leading '-' an optional minus sign
    regex          a regular expression the whole reading must match (instead of format)
    range          [min, max] of the value
    monotonic      true when the value may only rise (a meter)
    max_rate       the largest change of the value per second
    stable_frames  N: frames a new value must hold before it is stable (default 2)
    stable_ms      T: milliseconds it must hold as well (default 0)
    accept_after   K: consistent frames after which an implausible value is accepted (default 8)
"""

from __future__ import annotations

import difflib
import json
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from digitcam.config import READER_KINDS, ReaderConfig
from digitcam.errors import CalibrationError
from digitcam.fuse import FuseConfig, Plausibility
from digitcam.types import Box, Glyph, Polarity, Reading

#: Keys a profile may have, in the order they are written.
KEYS = (
    "name",
    "description",
    "frame_size",
    "corners",
    "output_height",
    "rotation",
    "slant",
    "display",
    "polarity",
    "glyph_height",
    "format",
    "regex",
    "range",
    "monotonic",
    "max_rate",
    "stable_frames",
    "stable_ms",
    "accept_after",
)

_FORMAT_CHARS = "d.-:"

#: Kinds of display a profile may name.
DISPLAYS = READER_KINDS

#: Margin around the warped display, as a fraction of its height.
WARP_MARGIN = 0.15


def format_regex(fmt: str) -> str:
    """The regex of a format string such as "ddddd.d" or "-ddd.dd".

    Digits before the first separator may be blank (a meter blanks leading zeros), so
    "ddddd.d" matches "123.4" and "00123.4"; at least one digit must be there.

    Raises:
        CalibrationError: for characters other than d . - : or a '-' that is not leading.
    """
    if not fmt:
        raise CalibrationError("bad format '': expected digits 'd' with '.', ':' or a leading '-'")
    for i, c in enumerate(fmt):
        if c not in _FORMAT_CHARS:
            raise CalibrationError(
                f"bad format {fmt!r}: {c!r} at position {i} is not one of d . - :"
            )
        if c == "-" and i != 0:
            raise CalibrationError(f"bad format {fmt!r}: '-' may only lead (position {i})")
    body = fmt[1:] if fmt.startswith("-") else fmt
    if "d" not in body:
        raise CalibrationError(f"bad format {fmt!r}: it has no digit 'd'")
    out = "-?" if fmt.startswith("-") else ""
    groups = re.findall(r"d+|[.:]", body)
    for k, g in enumerate(groups):
        if g[0] == "d":
            out += rf"\d{{1,{len(g)}}}" if k == 0 else rf"\d{{{len(g)}}}"
        else:
            out += re.escape(g)
    return out


@dataclass(frozen=True)
class Profile:
    """A validated calibration profile (see the module docstring for the keys)."""

    name: str
    description: str = ""
    frame_size: tuple[int, int] | None = None
    corners: tuple[tuple[float, float], ...] | None = None
    output_height: int | None = None
    rotation: float = 0.0
    slant: float = 0.0
    display: str | None = None
    polarity: Polarity | None = None
    glyph_height: tuple[int, int] | None = None
    format: str | None = None
    regex: str | None = None
    range: tuple[float, float] | None = None
    monotonic: bool = False
    max_rate: float | None = None
    stable_frames: int = 2
    stable_ms: float = 0.0
    accept_after: int = 8
    source: str = field(default="", compare=False)

    # -- what the profile does -----------------------------------------------------------

    def reader_config(self, base: ReaderConfig | None = None) -> ReaderConfig:
        """The reader options with the profile's polarity and glyph height range."""
        cfg = base or ReaderConfig()
        changes: dict[str, Any] = {}
        if self.display is not None:
            cfg = cfg.with_reader(self.display)
        if self.polarity is not None:
            changes["polarity"] = self.polarity
        if self.glyph_height is not None:
            changes["min_glyph_px"] = int(self.glyph_height[0])
        if self.corners is not None:  # the image is the display: digits may fill it
            changes["max_glyph_frac"] = max(cfg.max_glyph_frac, 0.95)
        return cfg.with_(**changes) if changes else cfg

    def pattern(self) -> re.Pattern[str] | None:
        if self.regex is not None:
            return re.compile(self.regex)
        if self.format is not None:
            return re.compile(format_regex(self.format))
        return None

    def fuse_config(self) -> FuseConfig:
        """The fusion options: hold N frames / T ms, accept after K, plausibility checks."""
        lo, hi = self.range if self.range is not None else (None, None)
        plaus = Plausibility(self.pattern(), lo, hi, self.monotonic, self.max_rate)
        return FuseConfig(
            min_frames=self.stable_frames,
            min_ms=self.stable_ms,
            accept_after=max(self.accept_after, self.stable_frames),
            plausibility=plaus,
        )

    def check_frame(self, width: int, height: int) -> None:
        """Raises `CalibrationError` when the corners do not fit a `width` x `height` frame."""
        if self.corners is None:
            return
        for i, (x, y) in enumerate(self.corners):
            if not (0 <= x <= width and 0 <= y <= height):
                raise CalibrationError(
                    f"profile {self.name!r}: corner {i + 1} ({x:g}, {y:g}) is outside the "
                    f"{width}x{height} frame"
                )

    def homography(self) -> tuple[NDArray[np.float64], tuple[int, int]] | None:
        """Frame → warped-display homography and the output (width, height); None without
        corners (then only rotation/slant apply, see `warp`)."""
        if self.corners is None:
            return None
        src = np.array(self.corners, np.float64)
        wt = np.linalg.norm(src[1] - src[0])
        wb = np.linalg.norm(src[2] - src[3])
        hl = np.linalg.norm(src[3] - src[0])
        hr = np.linalg.norm(src[2] - src[1])
        w0, h0 = max(wt, wb), max(hl, hr)
        h = int(self.output_height or round(h0))
        w = max(8, round(w0 * h / max(h0, 1)))
        h = max(8, h)
        # a margin around the display: thresholds and line finding need some surroundings
        mg = round(WARP_MARGIN * h)
        dst = np.array([[mg, mg], [w + mg, mg], [w + mg, h + mg], [mg, h + mg]], np.float64)
        m = cv2.getPerspectiveTransform(src.astype(np.float32), dst.astype(np.float32))
        return m.astype(np.float64), (w + 2 * mg, h + 2 * mg)

    def warp(self, image: NDArray[Any]) -> tuple[NDArray[Any], NDArray[np.float64]]:
        """The display warped upright (corners, then rotation and slant) and the 3x3
        homography frame → warped image.

        Args:
            image: HxWx3 BGR (or HxW gray) frame.

        Raises:
            CalibrationError: corners outside this frame.
        """
        hh, ww = image.shape[:2]
        self.check_frame(ww, hh)
        hw = self.homography()
        if hw is None:
            m, (w, h) = np.eye(3), (ww, hh)
        else:
            m, (w, h) = hw
        if self.rotation or self.slant:
            c = (w / 2, h / 2)
            r = np.vstack([cv2.getRotationMatrix2D(c, self.rotation, 1.0), [0, 0, 1]])
            s = np.array([[1, -self.slant, self.slant * h], [0, 1, 0], [0, 0, 1]], np.float64)
            m = s @ r @ m
        if np.allclose(m, np.eye(3)):
            return image, m
        out = cv2.warpPerspective(image, m, (int(w), int(h)), flags=cv2.INTER_LINEAR,
                                  borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
        return out, m

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name}
        for k in KEYS[1:]:
            v = getattr(self, k)
            if v is None or v == "" or (k in ("rotation", "slant", "stable_ms") and v == 0):
                continue
            if k in ("monotonic",) and v is False:
                continue
            if (k == "stable_frames" and v == 2) or (k == "accept_after" and v == 8):
                continue
            if isinstance(v, Polarity):
                v = v.value
            elif isinstance(v, tuple):
                v = [list(p) if isinstance(p, tuple) else p for p in v]
            d[k] = v
        return d


def map_reading(reading: Reading, m: NDArray[np.float64]) -> Reading:
    """The reading with every glyph box mapped back through the inverse of `m` (warped →
    frame coordinates, as the axis-aligned box of the mapped corners)."""
    if np.allclose(m, np.eye(3)):
        return reading
    minv = np.linalg.inv(m)

    def back(b: Box) -> Box:
        p = np.array([[b.x, b.y], [b.x2, b.y], [b.x2, b.y2], [b.x, b.y2]], np.float64)
        q = cv2.perspectiveTransform(p.reshape(-1, 1, 2), minv).reshape(-1, 2)
        x0, y0 = np.floor(q.min(axis=0))
        x1, y1 = np.ceil(q.max(axis=0))
        return Box(int(x0), int(y0), max(0, int(x1 - x0)), max(0, int(y1 - y0)))

    glyphs = tuple(
        tuple(Glyph(back(g.box), g.char, g.confidence, g.candidates, g.kind) for g in line)
        for line in reading.glyphs
    )
    return replace(reading, glyphs=glyphs)


# --------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------


def _err(where: str, msg: str) -> CalibrationError:
    return CalibrationError(f"{where}: {msg}")


def _number(where: str, key: str, v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise _err(where, f"{key!r} must be a number, got {v!r}")
    return float(v)


def _pair(where: str, key: str, v: Any) -> tuple[float, float]:
    if not isinstance(v, (list, tuple)) or len(v) != 2:
        raise _err(where, f"{key!r} must be a list of two numbers, got {v!r}")
    return (_number(where, key, v[0]), _number(where, key, v[1]))


def profile_from_dict(data: Any, *, where: str = "profile", name: str = "profile") -> Profile:
    """Validate a parsed JSON object as a profile.

    Raises:
        CalibrationError: a one-line message naming the problem (unknown key with the closest
            known one, wrong type, corners outside `frame_size`, bad format or regex...).
    """
    if not isinstance(data, dict):
        raise _err(where, f"expected a JSON object, got {type(data).__name__}")
    for k in data:
        if k not in KEYS:
            close = difflib.get_close_matches(str(k), KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise _err(where, f"unknown key {k!r}{hint}")
    kw: dict[str, Any] = {"name": str(data.get("name") or name), "source": where}
    if "description" in data:
        kw["description"] = str(data["description"])
    if data.get("frame_size") is not None:
        w, h = _pair(where, "frame_size", data["frame_size"])
        if w < 1 or h < 1 or w != int(w) or h != int(h):
            raise _err(
                where, f"'frame_size' must be two positive integers, got {data['frame_size']!r}"
            )
        kw["frame_size"] = (int(w), int(h))
    if data.get("corners") is not None:
        c = data["corners"]
        if not isinstance(c, (list, tuple)) or len(c) != 4:
            raise _err(where, f"'corners' must be four [x, y] points, got {c!r}")
        pts = tuple(_pair(where, "corners", p) for p in c)
        quad = np.array(pts, np.float32)
        if abs(cv2.contourArea(quad)) < 16 or not cv2.isContourConvex(quad.reshape(-1, 1, 2)):
            raise _err(where, "'corners' must be a convex quadrilateral (TL, TR, BR, BL)")
        kw["corners"] = pts
    for key in ("output_height", "stable_frames", "accept_after"):
        if data.get(key) is not None:
            v = _number(where, key, data[key])
            if v < 1 or v != int(v):
                raise _err(where, f"{key!r} must be a positive integer, got {data[key]!r}")
            kw[key] = int(v)
    for key in ("rotation", "slant", "stable_ms"):
        if data.get(key) is not None:
            kw[key] = _number(where, key, data[key])
    if abs(kw.get("rotation", 0.0)) > 45:
        raise _err(where, f"'rotation' must be within ±45 degrees, got {kw['rotation']:g}")
    if abs(kw.get("slant", 0.0)) > 1:
        raise _err(where, f"'slant' must be within ±1, got {kw['slant']:g}")
    if data.get("display") is not None:
        if data["display"] not in DISPLAYS:
            raise _err(where, f"'display' must be one of {list(DISPLAYS)}, got {data['display']!r}")
        kw["display"] = data["display"]
    if data.get("polarity") is not None:
        try:
            kw["polarity"] = Polarity(data["polarity"])
        except ValueError:
            raise _err(where, f"'polarity' must be one of {[p.value for p in Polarity]} or "
                              f"null, got {data['polarity']!r}") from None  # fmt: skip
    if data.get("glyph_height") is not None:
        lo, hi = _pair(where, "glyph_height", data["glyph_height"])
        if not 4 <= lo <= hi:
            raise _err(where, f"'glyph_height' must be [min, max] with 4 <= min <= max, got "
                              f"{data['glyph_height']!r}")  # fmt: skip
        kw["glyph_height"] = (int(lo), int(hi))
    if data.get("format") is not None:
        if not isinstance(data["format"], str):
            raise _err(where, f"'format' must be a string, got {data['format']!r}")
        try:
            format_regex(data["format"])
        except CalibrationError as exc:
            raise _err(where, str(exc)) from None
        kw["format"] = data["format"]
    if data.get("regex") is not None:
        if "format" in kw:
            raise _err(where, "give 'format' or 'regex', not both")
        try:
            re.compile(str(data["regex"]))
        except re.error as exc:
            raise _err(where, f"bad regex {data['regex']!r}: {exc}") from None
        kw["regex"] = str(data["regex"])
    if data.get("range") is not None:
        lo, hi = _pair(where, "range", data["range"])
        if lo > hi:
            raise _err(where, f"'range' must be [min, max] with min <= max, got {data['range']!r}")
        kw["range"] = (lo, hi)
    if data.get("monotonic") is not None:
        if not isinstance(data["monotonic"], bool):
            raise _err(where, f"'monotonic' must be true or false, got {data['monotonic']!r}")
        kw["monotonic"] = data["monotonic"]
    if data.get("max_rate") is not None:
        v = _number(where, "max_rate", data["max_rate"])
        if v <= 0:
            raise _err(where, f"'max_rate' must be > 0, got {v:g}")
        kw["max_rate"] = v
    profile = Profile(**kw)
    if profile.frame_size is not None:
        profile.check_frame(*profile.frame_size)
    return profile


def repo_calibration_dir() -> Path:
    """`calibration/` of the source checkout."""
    return Path(__file__).resolve().parents[2] / "calibration"


def installed_calibration_dir() -> Path:
    """`digitcam/_calibration` of an installed package."""
    return Path(__file__).resolve().parent / "_calibration"


def resolve_profile_path(name_or_path: str | Path) -> Path:
    """The file a NAME_OR_PATH names: an existing path, else `NAME(.json)` in the repository's
    `calibration/` or the installed `digitcam/_calibration`.

    Raises:
        CalibrationError: when nothing is found (the message lists the known names).
    """
    p = Path(name_or_path)
    if p.is_file():
        return p
    name = p.name if p.suffix == ".json" else p.name + ".json"
    dirs = [repo_calibration_dir(), installed_calibration_dir()]
    if p.parent == Path("."):
        for d in dirs:
            if (d / name).is_file():
                return d / name
    known = sorted({f.stem for d in dirs if d.is_dir() for f in d.glob("*.json")})
    raise CalibrationError(
        f"calibration profile {str(name_or_path)!r} not found (a path, or one of: "
        f"{', '.join(known) or 'none'})"
    )


def load_profile(name_or_path: str | Path) -> Profile:
    """Load and validate a profile by path or by name (see `resolve_profile_path`).

    Raises:
        CalibrationError: missing file, not JSON, or an invalid profile (one line).
    """
    path = resolve_profile_path(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CalibrationError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CalibrationError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    return profile_from_dict(data, where=str(path), name=path.stem)


def save_profile(profile: Profile, path: str | Path) -> Path:
    """Write a profile as indented JSON (the folder must exist)."""
    p = Path(path)
    if not p.parent.is_dir():
        raise CalibrationError(f"cannot write {p}: folder {p.parent} does not exist")
    profile_from_dict(profile.to_json(), where=str(p))  # what we write must load back
    text = json.dumps(profile.to_json(), indent=2)
    # keep number lists ([x, y], [min, max]) on one line
    text = re.sub(r"\[\s+([-0-9.e,\s]+?)\s+\]", lambda mt: "[" + ", ".join(
        v.strip() for v in mt.group(1).split(",")) + "]", text)  # fmt: skip
    p.write_text(text + "\n", encoding="utf-8")
    return p
