"""Frame sources: camera, video file, image folder or glob, network stream, and the demo.

Every source is a context manager with a `frames()` iterator of `Frame`s that carry their index
and capture time (from an injected monotonic clock), a `status()` with counters for the stats
view, and a `close()` that releases the device. Nothing here processes pixels.

Two families:

- *Paced* sources (video file, images, demo) deliver every frame, in order, none dropped; they
  wait for each frame's due time at the source's fps unless `fast` is set.
- *Live* sources (camera, stream) run a capture thread that keeps only the newest frame, so a
  slow consumer sees fresh frames and the skipped ones are counted as dropped. A live source
  that stops delivering is reopened with backoff; one that cannot be (re)opened within
  `timeout` seconds raises `InputError`.
"""

from __future__ import annotations

import glob
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np
from numpy.typing import NDArray

from digitcam.closing import Closing
from digitcam.errors import InputError
from digitcam.types import Frame

Clock = Callable[[], float]
Sleep = Callable[[float], None]

#: File extensions read as still images (a folder is filtered by these).
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm"})

#: Frame rate assumed when a video file or camera reports none.
DEFAULT_FPS = 30.0
#: Rate at which image folders are shown when no fps is given (a slide show).
DEFAULT_IMAGE_FPS = 5.0
#: Size of the demo scene when none is given (width, height).
DEFAULT_DEMO_SIZE = (640, 480)

#: Demo scenes: `demo` (or `demo:meter`) is a seven-segment LED meter, `demo:printed` a
#: printed counter on a card.
DEMO_SCENES = ("meter", "printed")

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


class SourceKind(str, Enum):
    """What a SOURCE argument names."""

    CAMERA = "camera"
    VIDEO = "video"
    IMAGES = "images"
    STREAM = "stream"
    DEMO = "demo"


class SourceState(str, Enum):
    """What a source is doing right now (shown in the stats)."""

    RUNNING = "running"
    RECONNECTING = "reconnecting"
    ENDED = "ended"


@dataclass(frozen=True)
class SourceStatus:
    """Counters a source reports to the stats view.

    Attributes:
        captured: frames taken from the device or decoder so far (delivered + dropped).
        dropped: frames a live source captured but replaced by a newer one before they
            were consumed (always 0 for paced sources).
        reconnects: how many times a live source was reopened after it stopped delivering.
        state: running, reconnecting or ended.
    """

    captured: int = 0
    dropped: int = 0
    reconnects: int = 0
    state: SourceState = SourceState.RUNNING


class Source(Protocol):
    """What the loop needs from a source."""

    name: str
    fps: float
    live: bool

    def frames(self) -> Iterator[Frame]: ...

    def status(self) -> SourceStatus: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class SourceSpec:
    """A parsed SOURCE argument.

    Attributes:
        kind: what it names.
        target: the camera index (as text), path, glob pattern or URL; for the demo, "" or
            a scene of `DEMO_SCENES`.
    """

    kind: SourceKind
    target: str = ""

    @property
    def camera_index(self) -> int:
        if self.kind is not SourceKind.CAMERA:
            raise ValueError(f"not a camera source: {self.kind.value}")
        return int(self.target)


def parse_source(text: str) -> SourceSpec:
    """Decide what a SOURCE argument names, without opening it.

    `demo` is the demo (`demo:printed` its printed scene); digits are a camera index;
    `scheme://...` is a network stream; a pattern with `*`, `?` or `[` is a glob of images;
    an existing directory is a folder of images; a path with an image extension is one image;
    anything else is a video file.

    Raises:
        InputError: for an empty argument.
    """
    text = text.strip()
    if not text:
        raise InputError(
            "expected a SOURCE (camera index, file, folder, glob, URL or 'demo'), got ''"
        )
    if text.lower() == "demo":
        return SourceSpec(SourceKind.DEMO)
    if text.lower().startswith("demo:") and text[5:].lower() in DEMO_SCENES:
        return SourceSpec(SourceKind.DEMO, text[5:].lower())
    if text.isdigit():
        return SourceSpec(SourceKind.CAMERA, text)
    if _URL.match(text):
        return SourceSpec(SourceKind.STREAM, text)
    if any(c in text for c in "*?[") and not Path(text).exists():
        return SourceSpec(SourceKind.IMAGES, text)
    path = Path(text)
    if path.is_dir() or path.suffix.lower() in IMAGE_EXTENSIONS:
        return SourceSpec(SourceKind.IMAGES, text)
    return SourceSpec(SourceKind.VIDEO, text)


def image_paths(target: str) -> list[Path]:
    """The image files a folder, glob or single-image path names, sorted by name.

    Raises:
        InputError: when nothing matches.
    """
    path = Path(target)
    if path.is_dir():
        found = [p for p in path.iterdir() if p.suffix.lower() in IMAGE_EXTENSIONS and p.is_file()]
        where = f"folder {target}"
    elif path.is_file():
        found = [path]
        where = target
    else:
        found = [
            Path(p)
            for p in glob.glob(target, recursive=True)
            if Path(p).suffix.lower() in IMAGE_EXTENSIONS
        ]
        where = f"pattern {target!r}"
    if not found:
        exts = ", ".join(sorted(IMAGE_EXTENSIONS))
        raise InputError(f"expected image files ({exts}) in {where}, found none")
    return sorted(found)


class _Pacer:
    """Waits until frame i is due at `fps`; never skips frames, never catches up by dropping."""

    def __init__(self, fps: float, *, fast: bool, clock: Clock, sleep: Sleep) -> None:
        self._period = 0.0 if fast or fps <= 0 else 1.0 / fps
        self._clock = clock
        self._sleep = sleep
        self._t0: float | None = None

    def wait(self, index: int) -> None:
        if self._period == 0.0:
            return
        now = self._clock()
        if self._t0 is None:
            self._t0 = now
            return
        delay = self._t0 + index * self._period - now
        if delay > 0:
            self._sleep(delay)


class _ClosingSource(Closing):
    """Context-manager plumbing shared by the sources."""

    def close(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class VideoFileSource(_ClosingSource):
    """Every frame of a video file, in order.

    Args:
        path: a video file OpenCV's FFmpeg backend can decode.
        fps: playback rate; None uses the file's own rate (30 when it reports none).
        fast: deliver frames as fast as they decode instead of at `fps`.
        clock: monotonic seconds, stamped on each frame as its capture time.
        sleep: how to wait for the next frame's due time.

    Raises:
        InputError: when the file is missing, is not a video, or no frame decodes.
    """

    live = False

    def __init__(
        self,
        path: str | Path,
        *,
        fps: float | None = None,
        fast: bool = False,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        path = Path(path)
        if not path.is_file():
            raise InputError(f"expected a video file, but {path} does not exist")
        self.name = str(path)
        self._cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
        if not self._cap.isOpened():
            self._cap.release()
            raise InputError(f"cannot open {path} as a video (not a video file, or corrupt)")
        ok, first = self._cap.read()
        if not ok or first is None:
            self._cap.release()
            raise InputError(f"opened {path} as a video but no frame decodes (empty or corrupt)")
        self._first: NDArray[np.uint8] | None = first
        file_fps = float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = fps or (file_fps if 0 < file_fps < 1000 else DEFAULT_FPS)
        self.frame_count = int(self._cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        self._pacer = _Pacer(self.fps, fast=fast, clock=clock, sleep=sleep)
        self._clock = clock
        self._captured = 0
        self._ended = False

    def frames(self) -> Iterator[Frame]:
        """Yields each decoded frame (HxWx3 BGR uint8) in file order, index 0 upwards."""
        index = 0
        while True:
            if self._first is not None:
                image, self._first = self._first, None
            else:
                ok, image = self._cap.read()
                if not ok or image is None:
                    self._ended = True
                    return
            self._pacer.wait(index)
            self._captured += 1
            yield Frame(index=index, t_capture=self._clock(), image=image)
            index += 1

    def status(self) -> SourceStatus:
        state = SourceState.ENDED if self._ended else SourceState.RUNNING
        return SourceStatus(captured=self._captured, state=state)

    def close(self) -> None:
        self._cap.release()


class ImageFilesSource(_ClosingSource):
    """Still images, one frame each, in name order.

    Args:
        paths: image files (see `image_paths`).
        fps: how many images per second to show (unless `fast`).

    Raises:
        InputError: (from `frames`) when a file is not a readable image.
    """

    live = False

    def __init__(
        self,
        paths: Sequence[Path],
        *,
        fps: float | None = None,
        fast: bool = False,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        name: str | None = None,
        on_skip: Callable[[str], None] | None = None,
    ) -> None:
        if not paths:
            raise InputError("expected at least one image file, got none")
        self.paths = tuple(paths)
        self.name = name or str(self.paths[0].parent)
        self.fps = fps or DEFAULT_IMAGE_FPS
        self._pacer = _Pacer(self.fps, fast=fast, clock=clock, sleep=sleep)
        self._clock = clock
        self._captured = 0
        self._on_skip = on_skip
        #: (path, reason) of each file skipped because it is not a readable image.
        self.skipped: list[tuple[Path, str]] = []

    def frames(self) -> Iterator[Frame]:
        """Yields each image (HxWx3 BGR uint8) in order.

        A file that is not a readable image (corrupt, truncated, empty) raises `InputError`,
        or, with `on_skip`, is reported through it and skipped; frames keep consecutive
        indices. When every file was skipped, `InputError` says so.
        """
        from digitcam.images import read_image  # decodes non-ASCII paths, spots truncation

        index = 0
        for path in self.paths:
            try:
                image = read_image(path)
            except InputError as exc:
                if self._on_skip is None:
                    raise InputError(f"expected an image, but {exc}") from None
                self.skipped.append((path, str(exc)))
                self._on_skip(f"skipped {exc}")
                continue
            self._pacer.wait(index)
            self._captured += 1
            yield Frame(index=index, t_capture=self._clock(), image=image)
            index += 1
        if index == 0 and self.skipped:
            raise InputError(
                f"none of the {len(self.paths)} files in {self.name} is a readable image"
            )

    def status(self) -> SourceStatus:
        ended = self._captured + len(self.skipped) == len(self.paths)
        return SourceStatus(
            captured=self._captured, state=SourceState.ENDED if ended else SourceState.RUNNING
        )

    def close(self) -> None:
        """Nothing to release."""


DemoRender = Callable[[int], tuple[NDArray[np.uint8], str]]


class DemoSource(_ClosingSource):
    """The built-in synthetic scene: endless, seeded, and it knows its own truth.

    Args:
        seed: picks the scene; the same seed gives the same frames.
        size: (width, height) of the frames.
        fps: scene rate (the meter advances in scene time, so pacing does not change it).
        fast: render as fast as possible instead of at `fps`.
        render: `index -> (HxWx3 BGR uint8 image, truth text)`; defaults to
            `digitcam.synth.DemoScene(seed, size=size, fps=fps).frame`.
    """

    live = False

    def __init__(
        self,
        seed: int = 0,
        *,
        size: tuple[int, int] = DEFAULT_DEMO_SIZE,
        fps: float = DEFAULT_FPS,
        fast: bool = False,
        render: DemoRender | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        scene: str = "meter",
    ) -> None:
        if scene not in DEMO_SCENES:
            raise InputError(f"expected a demo scene in {', '.join(DEMO_SCENES)}, got {scene!r}")
        self.scene = scene
        self.name = f"demo (seed {seed})" if scene == "meter" else f"demo:{scene} (seed {seed})"
        self.fps = fps
        if render is None:
            # The demo is the only user of the synthetic scenes here. Each scene builds its
            # static parts once; a frame then costs a few ms.
            try:
                if scene == "printed":
                    from digitcam.synth import DemoScene

                    demo: Any = DemoScene(seed, size=size, fps=fps)
                else:
                    from digitcam.synth7 import CounterScene

                    demo = CounterScene(seed, size=size, fps=fps)
                demo.frame(0)
            except ValueError as exc:
                w, h = size
                raise InputError(
                    f"the demo scene cannot be rendered at {w}x{h} (try 640x480 or larger): "
                    f"{str(exc).splitlines()[0]}"
                ) from None
            render = demo.frame
        self._render = render
        self._pacer = _Pacer(fps, fast=fast, clock=clock, sleep=sleep)
        self._clock = clock
        self._captured = 0

    def frames(self) -> Iterator[Frame]:
        """Yields demo frames with their `truth`, index 0 upwards, forever."""
        index = 0
        while True:
            image, truth = self._render(index)
            self._pacer.wait(index)
            self._captured += 1
            yield Frame(index=index, t_capture=self._clock(), image=image, truth=truth)
            index += 1

    def status(self) -> SourceStatus:
        return SourceStatus(captured=self._captured)

    def close(self) -> None:
        """Nothing to release."""


Opener = Callable[[], "cv2.VideoCapture | None"]


@dataclass(frozen=True)
class Backoff:
    """Delays between reopen attempts: `first`, doubling, at most `cap` seconds."""

    first: float = 0.1
    cap: float = 2.0

    def delays(self) -> Iterator[float]:
        delay = self.first
        while True:
            yield delay
            delay = min(delay * 2.0, self.cap)


class LiveSource(_ClosingSource):
    """A camera or stream read by a capture thread that keeps only the newest frame.

    The first open happens in the constructor (so a source that never opens fails before the
    loop starts); after that the thread reads frames, replaces any unconsumed frame with the
    newer one (counting a drop), and reopens the capture with backoff when a read fails.

    Args:
        opener: returns an opened `cv2.VideoCapture`, or None (or an unopened one) when the
            device is not there yet. Called from the constructor, then from the thread.
        name: shown in messages and the stats.
        fps: the nominal rate (for recordings); None asks the capture (30 if it says 0).
        timeout: seconds to keep trying to reopen after a failed read before giving up
            with `InputError`.
        open_timeout: seconds to keep trying the first open (default: `timeout`; 0 tries once).
        backoff: delays between attempts.
        clock: monotonic seconds, stamped on each frame as its capture time.

    Raises:
        InputError: when the first open does not succeed within `open_timeout`.
    """

    live = True

    def __init__(
        self,
        opener: Opener,
        *,
        name: str,
        fps: float | None = None,
        timeout: float = 10.0,
        open_timeout: float | None = None,
        backoff: Backoff = Backoff(),
        clock: Clock = time.monotonic,
    ) -> None:
        self.name = name
        self._opener = opener
        self._timeout = timeout
        self._backoff = backoff
        self._clock = clock
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._slot: Frame | None = None
        self._error: InputError | None = None
        self._captured = 0
        self._dropped = 0
        self._reconnects = 0
        self._state = SourceState.RUNNING
        first_timeout = timeout if open_timeout is None else open_timeout
        cap = self._open_within(first_timeout)
        if cap is None:
            raise InputError(f"cannot open {name}: nothing answered within {first_timeout:g} s")
        reported = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = fps or (reported if 0 < reported < 1000 else DEFAULT_FPS)
        self._thread = threading.Thread(
            target=self._capture, args=(cap,), name=f"capture {name}", daemon=True
        )
        self._thread.start()

    # -- capture thread -------------------------------------------------------------------

    def _try_open(self) -> cv2.VideoCapture | None:
        try:
            cap = self._opener()
        except cv2.error:
            return None
        if cap is None:
            return None
        if not cap.isOpened():
            cap.release()
            return None
        return cap

    def _open_within(self, timeout: float) -> cv2.VideoCapture | None:
        deadline = self._clock() + timeout
        delays = self._backoff.delays()
        while not self._stop.is_set():
            cap = self._try_open()
            if cap is not None:
                return cap
            remaining = deadline - self._clock()
            if remaining <= 0:
                return None
            self._stop.wait(min(next(delays), remaining))
        return None

    def _capture(self, cap: cv2.VideoCapture) -> None:
        index = 0
        try:
            while not self._stop.is_set():
                ok, image = cap.read()
                if self._stop.is_set():
                    return
                if not ok or image is None:
                    cap.release()
                    with self._cond:
                        self._state = SourceState.RECONNECTING
                    reopened = self._open_within(self._timeout)
                    if reopened is None:
                        if not self._stop.is_set():
                            self._fail(
                                f"{self.name} stopped delivering frames and did not come back "
                                f"within {self._timeout:g} s"
                            )
                        return
                    cap = reopened
                    with self._cond:
                        self._reconnects += 1
                        self._state = SourceState.RUNNING
                    continue
                frame = Frame(index=index, t_capture=self._clock(), image=image)
                index += 1
                with self._cond:
                    if self._slot is not None:
                        self._dropped += 1
                    self._slot = frame
                    self._captured += 1
                    self._cond.notify_all()
        finally:
            cap.release()

    def _fail(self, message: str) -> None:
        with self._cond:
            self._error = InputError(message)
            self._state = SourceState.ENDED
            self._cond.notify_all()

    # -- consumer side --------------------------------------------------------------------

    def frames(self) -> Iterator[Frame]:
        """Yields the newest captured frame each time one is ready (HxWx3 BGR uint8).

        Raises:
            InputError: when the source stopped and could not be reopened.
        """
        while True:
            with self._cond:
                while self._slot is None and self._error is None and not self._stop.is_set():
                    self._cond.wait(0.1)
                if self._slot is not None:
                    frame, self._slot = self._slot, None
                elif self._error is not None:
                    raise self._error
                else:
                    return
            yield frame

    def status(self) -> SourceStatus:
        with self._cond:
            return SourceStatus(
                captured=self._captured,
                dropped=self._dropped,
                reconnects=self._reconnects,
                state=self._state,
            )

    def close(self, join_timeout: float = 1.0) -> None:
        """Stops the capture thread; the thread releases the device on its way out."""
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(join_timeout)


def camera_opener(
    index: int,
    *,
    width: int | None = None,
    height: int | None = None,
    fps: float | None = None,
) -> Opener:
    """An opener for camera `index` that asks for a size and rate (the camera may differ)."""

    def open_camera() -> cv2.VideoCapture:
        cap = cv2.VideoCapture(index)
        if cap.isOpened():
            if width:
                cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
            if height:
                cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
            if fps:
                cap.set(cv2.CAP_PROP_FPS, fps)
        return cap

    return open_camera


def stream_opener(url: str, *, timeout: float = 10.0) -> Opener:
    """An opener for a network stream (RTSP, HTTP MJPEG, ...) through FFmpeg.

    Opening and each read give up after `timeout` seconds (at least 1 s, at most 5 s per read
    so a stalled stream is noticed and reopened).
    """
    open_ms = int(max(timeout, 1.0) * 1000)
    read_ms = int(min(max(timeout, 1.0), 5.0) * 1000)

    def open_stream() -> cv2.VideoCapture:
        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, open_ms, cv2.CAP_PROP_READ_TIMEOUT_MSEC, read_ms]
        return cv2.VideoCapture(url, cv2.CAP_FFMPEG, params)

    return open_stream


@dataclass(frozen=True)
class SourceOptions:
    """Options that shape how a source is opened.

    Attributes:
        width, height: camera request, or the demo's frame size.
        fps: camera request; playback rate of files, images and the demo.
        fast: files, images and the demo run as fast as possible.
        timeout: seconds a live source may take to open or to come back.
        seed: the demo scene.
    """

    width: int | None = None
    height: int | None = None
    fps: float | None = None
    fast: bool = False
    timeout: float = 10.0
    seed: int = 0


def open_source(
    spec: SourceSpec,
    options: SourceOptions = SourceOptions(),
    *,
    clock: Clock = time.monotonic,
    on_skip: Callable[[str], None] | None = None,
) -> VideoFileSource | ImageFilesSource | DemoSource | LiveSource:
    """Opens the source a spec names.

    `on_skip`, when given, hears about each unreadable file of an image folder, which is
    then skipped (without it, the first one ends the frames with `InputError`).

    Raises:
        InputError: when it cannot be opened (missing file, corrupt video, no images,
            a camera or URL that does not answer within `options.timeout`).
    """
    o = options
    if spec.kind is SourceKind.DEMO:
        size = (o.width or DEFAULT_DEMO_SIZE[0], o.height or DEFAULT_DEMO_SIZE[1])
        return DemoSource(o.seed, size=size, fps=o.fps or DEFAULT_FPS, fast=o.fast, clock=clock,
                          scene=spec.target or "meter")  # fmt: skip
    if spec.kind is SourceKind.VIDEO:
        return VideoFileSource(spec.target, fps=o.fps, fast=o.fast, clock=clock)
    if spec.kind is SourceKind.IMAGES:
        return ImageFilesSource(
            image_paths(spec.target),
            fps=o.fps,
            fast=o.fast,
            clock=clock,
            name=spec.target,
            on_skip=on_skip,
        )
    if spec.kind is SourceKind.CAMERA:
        opener = camera_opener(spec.camera_index, width=o.width, height=o.height, fps=o.fps)
        return LiveSource(
            opener, name=f"camera {spec.target}", fps=o.fps, timeout=o.timeout, clock=clock
        )
    opener = stream_opener(spec.target, timeout=o.timeout)
    return LiveSource(opener, name=spec.target, fps=o.fps, timeout=o.timeout, clock=clock)


def try_camera(index: int = 0, options: SourceOptions = SourceOptions()) -> LiveSource | None:
    """Camera `index` if it opens at the first attempt, else None (for the no-SOURCE default)."""
    opener = camera_opener(index, width=options.width, height=options.height, fps=options.fps)
    try:
        return LiveSource(
            opener, name=f"camera {index}", fps=options.fps, timeout=options.timeout, open_timeout=0
        )
    except InputError:
        return None
