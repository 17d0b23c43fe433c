"""`digitcam calibrate SOURCE --out calibration/NAME.json`: make a calibration profile.

Three ways to say where the display is: `--corners "x,y x,y x,y x,y"` (scripts), `--auto` (the
strongest reading line in the first frames, with the polarity that reads most confidently), or
a window (click the four corners, drag one to move it, Enter saves, Esc cancels). The window
goes through a small seam (`CornerUI`) so the picking logic is tested without a display.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Annotated, Any, Protocol

import numpy as np
import typer
from numpy.typing import NDArray

from digitcam.cli.app import app
from digitcam.errors import CalibrationError, InputError

#: Title of the corner-picking window.
WINDOW = "digitcam calibrate"


def parse_corners(text: str) -> tuple[tuple[float, float], ...]:
    """Four points from "x,y x,y x,y x,y" (top-left, top-right, bottom-right, bottom-left).

    Raises:
        CalibrationError: anything else, naming what was wrong.
    """
    parts = text.replace(";", " ").split()
    if len(parts) != 4:
        raise CalibrationError(
            f"--corners needs four points 'x,y x,y x,y x,y' (TL TR BR BL), got {len(parts)}: "
            f"{text!r}"
        )
    pts = []
    for p in parts:
        xy = p.split(",")
        try:
            x, y = float(xy[0]), float(xy[1])
            if len(xy) != 2 or not (math.isfinite(x) and math.isfinite(y)):
                raise ValueError
        except (ValueError, IndexError):
            raise CalibrationError(f"--corners: {p!r} is not a point 'x,y'") from None
        pts.append((x, y))
    return tuple(pts)


# --------------------------------------------------------------------------------------------
# Interactive picking
# --------------------------------------------------------------------------------------------


class CornerUI(Protocol):
    """The window operations the picker needs (OpenCV HighGUI by default)."""

    def show(self, image: NDArray[np.uint8]) -> None: ...

    def on_mouse(self, callback: Callable[[int, int, int, int], None]) -> None: ...

    def wait_key(self, ms: int) -> int: ...

    def close(self) -> None: ...


class HighGuiUI:
    """`CornerUI` on an OpenCV window (no toolbar, image at 1:1)."""

    def __init__(self, title: str = WINDOW) -> None:
        import cv2

        self._cv2 = cv2
        self.title = title
        cv2.namedWindow(title, cv2.WINDOW_AUTOSIZE | cv2.WINDOW_GUI_NORMAL)

    def show(self, image: NDArray[np.uint8]) -> None:
        self._cv2.imshow(self.title, image)

    def on_mouse(self, callback: Callable[[int, int, int, int], None]) -> None:
        self._cv2.setMouseCallback(self.title, lambda e, x, y, f, _p: callback(e, x, y, f))

    def wait_key(self, ms: int) -> int:
        return int(self._cv2.waitKey(ms))

    def close(self) -> None:
        self._cv2.destroyWindow(self.title)


class CornerPicker:
    """Click up to four corners; drag a placed corner to move it; Enter accepts four,
    Esc (or q) cancels, Backspace removes the last one.

    Pure state machine plus drawing; the window is the `ui` seam.
    """

    LBUTTONDOWN, LBUTTONUP, MOUSEMOVE = 1, 4, 0  # cv2.EVENT_* values

    def __init__(self, image: NDArray[np.uint8], ui: CornerUI) -> None:
        self.image = image
        self.ui = ui
        self.corners: list[tuple[float, float]] = []
        self._drag: int | None = None

    def mouse(self, event: int, x: int, y: int, _flags: int = 0) -> None:
        if event == self.LBUTTONDOWN:
            near = self._nearest(x, y)
            if near is not None:
                self._drag = near
            elif len(self.corners) < 4:
                self.corners.append((float(x), float(y)))
        elif event == self.MOUSEMOVE and self._drag is not None:
            self.corners[self._drag] = (float(x), float(y))
        elif event == self.LBUTTONUP:
            self._drag = None

    def _nearest(self, x: int, y: int, radius: float = 10.0) -> int | None:
        best, best_d = None, radius
        for i, (cx, cy) in enumerate(self.corners):
            d = math.hypot(cx - x, cy - y)
            if d <= best_d:
                best, best_d = i, d
        return best

    def draw(self) -> NDArray[np.uint8]:
        import cv2

        img = (
            self.image.copy()
            if self.image.ndim == 3
            else cv2.cvtColor(self.image, cv2.COLOR_GRAY2BGR)
        )
        pts = [(round(x), round(y)) for x, y in self.corners]
        for i, p in enumerate(pts):
            cv2.circle(img, p, 5, (0, 255, 255), 2, cv2.LINE_AA)
            cv2.putText(img, "1234"[i], (p[0] + 6, p[1] - 6), cv2.FONT_HERSHEY_SIMPLEX, 0.5,
                        (0, 255, 255), 1, cv2.LINE_AA)  # fmt: skip
        if len(pts) >= 2:
            cv2.polylines(img, [np.array(pts, np.int32)], len(pts) == 4, (0, 255, 0), 1)
        hint = "click TL, TR, BR, BL; drag to adjust; Enter saves, Esc cancels"
        cv2.putText(img, hint, (8, 18), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 3, cv2.LINE_AA)
        cv2.putText(img, hint, (8, 18), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (255, 255, 255), 1,
                    cv2.LINE_AA)  # fmt: skip
        return img

    def run(self, *, timeout_s: float = 600.0) -> tuple[tuple[float, float], ...] | None:
        """Show the window until Enter with four corners (returns them) or Esc (None)."""
        self.ui.on_mouse(self.mouse)
        waited = 0
        try:
            while waited < timeout_s * 1000:
                self.ui.show(self.draw())
                key = self.ui.wait_key(30)
                waited += 30
                if key < 0:
                    continue
                k = key & 0xFF
                if k in (13, 10) and len(self.corners) == 4:
                    return tuple(self.corners)
                if k in (27, ord("q")):
                    return None
                if k in (8, 127) and self.corners:
                    self.corners.pop()
            return None
        finally:
            self.ui.close()


# --------------------------------------------------------------------------------------------
# Auto
# --------------------------------------------------------------------------------------------


def _line_score(glyphs: tuple[Any, ...]) -> float:
    digits = [g for g in glyphs if g.kind.value != "mark"]
    if not digits:
        return 0.0
    return sum(g.confidence for g in digits) * math.sqrt(
        float(np.median([g.box.h for g in digits]))
    )


def auto_corners(
    frames: list[NDArray[np.uint8]], model: Any
) -> tuple[tuple[float, float], ...] | None:
    """The display's corners: the strongest reading line of the frames (with the lines of the
    same display next to it), plus a margin of half a digit. None when nothing reads."""
    from digitcam.config import ReaderConfig
    from digitcam.pipeline import read_frame

    # Both kinds of display: printed digits and seven-segment cells (the default reader).
    both = ReaderConfig()
    best: tuple[float, list[Any]] | None = None
    for img in frames:
        r = read_frame(img, model, both)
        for line in r.glyphs:
            s = _line_score(line)
            if s > 0 and (best is None or s > best[0]):
                best = (s, [g.box for g in line], )  # fmt: skip
                others = [g.box for ln in r.glyphs if ln is not line for g in ln]
                best = (s, best[1] + [b for b in others if _near(best[1], b)])
    if best is None:
        return None
    boxes = best[1]
    x0 = min(b.x for b in boxes)
    y0 = min(b.y for b in boxes)
    x1 = max(b.x2 for b in boxes)
    y1 = max(b.y2 for b in boxes)
    h, w = frames[0].shape[:2]
    m = 0.5 * float(np.median([b.h for b in boxes]))
    x0, y0 = max(0.0, x0 - m), max(0.0, y0 - m)
    x1, y1 = min(float(w), x1 + m), min(float(h), y1 + m)
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


def _near(line: list[Any], b: Any) -> bool:
    """`b` belongs to the same display as the line: within a line height above or below."""
    x0 = min(a.x for a in line)
    x1 = max(a.x2 for a in line)
    y0 = min(a.y for a in line)
    y1 = max(a.y2 for a in line)
    hh = y1 - y0
    return b.x2 > x0 - hh and b.x < x1 + hh and b.y2 > y0 - 1.5 * hh and b.y < y1 + 1.5 * hh


def best_display(frames: list[NDArray[np.uint8]], model: Any, profile: Any) -> str:
    """ "seven-segment" or "printed": the kind whose readings through the profile score
    higher over the frames (digit confidences weighted by glyph height)."""
    from dataclasses import replace

    from digitcam.pipeline import read_frame

    scores = {}
    for kind in ("printed", "seven-segment"):
        prof = replace(profile, display=kind)
        cfg = prof.reader_config()
        total = 0.0
        for img in frames:
            warped, _m = prof.warp(img)
            total += sum(_line_score(line) for line in read_frame(warped, model, cfg).glyphs)
        scores[kind] = total
    # Ties go to printed: the seven-segment reader also runs the printed one.
    return "seven-segment" if scores["seven-segment"] > scores["printed"] * 1.05 else "printed"


def best_polarity(frames: list[NDArray[np.uint8]], model: Any, profile: Any) -> Any:
    """The polarity setting (None, dark-on-light, light-on-dark) whose readings through the
    profile have the highest mean glyph confidence over the frames."""
    from dataclasses import replace

    from digitcam.pipeline import read_frame
    from digitcam.types import Polarity

    best, best_score = None, -1.0
    for pol in (None, Polarity.DARK_ON_LIGHT, Polarity.LIGHT_ON_DARK):
        prof = replace(profile, polarity=pol)
        cfg = prof.reader_config()
        confs = []
        for img in frames:
            warped, _m = prof.warp(img)
            gl = read_frame(warped, model, cfg).all_glyphs
            confs.append(float(np.mean([g.confidence for g in gl])) if gl else 0.0)
        score = float(np.mean(confs))
        if score > best_score + 1e-6:
            best, best_score = pol, score
    return best


# --------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------


def _first_frames(source: str, n: int, seed: int) -> list[NDArray[np.uint8]]:
    from digitcam.sources import SourceOptions, open_source, parse_source

    with open_source(parse_source(source), SourceOptions(fast=True, seed=seed)) as src:
        frames = [f.image for f in islice(src.frames(), n)]
    if not frames:
        raise InputError(f"{source} gave no frame to calibrate on")
    return frames


@app.command()
def calibrate(
    source: Annotated[
        str, typer.Argument(help="Image, video, camera index, URL or 'demo'.", show_default=False)
    ],
    out: Annotated[Path, typer.Option(help="Profile to write, e.g. calibration/meter.json.")],
    corners: Annotated[
        str | None,
        typer.Option(help="The display's corners 'x,y x,y x,y x,y' (TL TR BR BL), for scripts."),
    ] = None,
    auto: Annotated[
        bool, typer.Option("--auto", help="Find the display and the polarity by reading.")
    ] = False,
    frames: Annotated[int, typer.Option(min=1, help="Frames --auto looks at.")] = 5,
    seed: Annotated[int, typer.Option(help="Scene of the demo source.")] = 0,
    model: Annotated[Path | None, typer.Option(help="Model file (default: shipped).")] = None,
) -> None:
    """Make a calibration profile and print what the source reads with it."""
    from digitcam.calibration import Profile, map_reading, save_profile
    from digitcam.classify import load_model
    from digitcam.pipeline import read_frame

    if corners is not None and auto:
        raise CalibrationError("give --corners or --auto, not both")
    pts = parse_corners(corners) if corners is not None else None
    if not out.parent.is_dir():
        raise CalibrationError(f"cannot write {out}: folder {out.parent} does not exist")
    imgs = _first_frames(source, frames if auto else 1, seed)
    h, w = imgs[0].shape[:2]
    mdl = load_model(model)
    polarity = None
    if pts is None and auto:
        pts = auto_corners(imgs, mdl)
        if pts is None:
            raise CalibrationError(f"--auto found no display that reads as digits in {source}")
    elif pts is None:
        pts = CornerPicker(imgs[0], HighGuiUI()).run()
        if pts is None:
            print("digitcam: calibration cancelled; nothing written", file=sys.stderr)
            raise typer.Exit(1)
    profile = Profile(name=out.stem, frame_size=(w, h), corners=tuple(pts))
    profile.check_frame(w, h)
    from dataclasses import replace as _replace

    profile = _replace(profile, display=best_display(imgs, mdl, profile))
    if auto:
        from dataclasses import replace

        polarity = best_polarity(imgs, mdl, profile)
        profile = replace(profile, polarity=polarity)
    save_profile(profile, out)
    warped, m = profile.warp(imgs[0])
    reading = map_reading(read_frame(warped, mdl, profile.reader_config()), m)
    where = " ".join(f"{x:.0f},{y:.0f}" for x, y in pts)
    print(f"wrote {out} (corners {where}, {profile.display} display"
          + (f", polarity {polarity.value}" if polarity is not None else "") + ")")  # fmt: skip
    print(f"reads: {reading.text.replace(chr(10), ' / ') or '(nothing)'}")
