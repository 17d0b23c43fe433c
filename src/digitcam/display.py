"""The OpenCV window seam: `Display` shows results in a window, `NullDisplay` shows nothing.

Keys: `q` or Esc quits, space pauses (and resumes), `s` saves a snapshot of the annotated frame.
Only `Display` touches HighGUI, and only once it is entered, so tests never open a window
unless they ask for one under `xvfb-run`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Mapping
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import cv2

from digitcam.closing import Closing

if TYPE_CHECKING:
    from digitcam.loop import FrameResult


class KeyAction(str, Enum):
    NONE = "none"
    QUIT = "quit"
    PAUSE = "pause"
    SNAPSHOT = "snapshot"


_KEYS = {
    ord("q"): KeyAction.QUIT,
    ord("Q"): KeyAction.QUIT,
    27: KeyAction.QUIT,
    ord(" "): KeyAction.PAUSE,
    ord("s"): KeyAction.SNAPSHOT,
    ord("S"): KeyAction.SNAPSHOT,
}


def key_action(key: int) -> KeyAction:
    """What a `cv2.waitKey` code means (-1, no key, is NONE)."""
    if key < 0:
        return KeyAction.NONE
    return _KEYS.get(key & 0xFF, KeyAction.NONE)


def display_available(env: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """Whether a window can open: always on Windows/macOS, on Linux when DISPLAY or
    WAYLAND_DISPLAY is set."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform.startswith(("win", "darwin")):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


class NullDisplay(Closing):
    """Shows nothing, never asks to quit."""

    def show(self, result: FrameResult) -> bool:
        return True


class Display(Closing):
    """An OpenCV window showing each annotated frame.

    Args:
        title: window title.
        snapshot_dir: where `s` saves `digitcam-<frame>.png`.
        wait_ms: how long each frame waits for a key (1 ms keeps the loop fast).
        on_message: called with a one-line note (e.g. where a snapshot went).
    """

    def __init__(
        self,
        title: str = "digitcam",
        *,
        snapshot_dir: Path = Path(),
        wait_ms: int = 1,
        on_message: Callable[[str], None] | None = None,
    ) -> None:
        self.title = title
        self.snapshot_dir = Path(snapshot_dir)
        self.wait_ms = max(1, wait_ms)
        self.snapshots: list[Path] = []
        self._on_message = on_message or (lambda _msg: None)
        self._open = False

    def __enter__(self) -> Display:
        cv2.namedWindow(self.title, cv2.WINDOW_NORMAL | cv2.WINDOW_KEEPRATIO)
        self._open = True
        return self

    def close(self) -> None:
        if self._open:
            self._open = False
            # Closed by the user (the window manager's close button), the window is already
            # gone and HighGUI raises on destroying it again; there is nothing left to do.
            with contextlib.suppress(cv2.error):
                cv2.destroyWindow(self.title)
                cv2.waitKey(1)

    def _closed_by_user(self) -> bool:
        try:
            return cv2.getWindowProperty(self.title, cv2.WND_PROP_VISIBLE) < 1
        except cv2.error:
            return True

    def show(self, result: FrameResult) -> bool:
        """Shows the result; handles keys. Returns False when the user quits.

        While paused it keeps the window responsive and waits for space (resume), `s` or `q`.
        """
        image = result.annotated if result.annotated is not None else result.frame.image
        cv2.imshow(self.title, image)
        paused = False
        while True:
            action = key_action(cv2.waitKey(50 if paused else self.wait_ms))
            if action is KeyAction.QUIT or self._closed_by_user():
                return False
            if action is KeyAction.SNAPSHOT:
                self.snapshot(result)
            elif action is KeyAction.PAUSE:
                paused = not paused
                self._on_message("paused (space resumes)" if paused else "resumed")
            if not paused:
                return True

    def snapshot(self, result: FrameResult) -> Path:
        """Saves the annotated frame as PNG and returns its path."""
        image = result.annotated if result.annotated is not None else result.frame.image
        path = self.snapshot_dir / f"digitcam-{result.frame.index:06d}.png"
        cv2.imwrite(str(path), image)
        self.snapshots.append(path)
        self._on_message(f"snapshot saved to {path}")
        return path
