"""`digitcam run`: read digits live from a camera, file, folder, stream or the demo."""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from digitcam.cli.app import ReaderKind, ReaderOption, app
from digitcam.display import Display, NullDisplay, display_available
from digitcam.loop import Limits, RunSummary, Sink, run
from digitcam.memory import MemoryTrimmer
from digitcam.overlay import Overlay
from digitcam.sinks import (
    LOG_RESERVE_BYTES,
    RECORD_RESERVE_BYTES,
    ReadingLog,
    RecordWhat,
    VideoRecorder,
    check_writable,
    log_format,
    video_fourcc,
)
from digitcam.sources import (
    SourceOptions,
    SourceSpec,
    open_source,
    parse_source,
    try_camera,
)
from digitcam.stats import LiveStats, PlainStats, StatsMeter, stats_table, summary_lines
from digitcam.types import Frame, Reading


class ClassifierKind(str, Enum):
    KNN = "knn"
    SVM = "svm"


def quiet_opencv() -> None:
    """Keeps OpenCV's and FFmpeg's own warnings off the terminal (our errors say it in one
    line); set OPENCV_FFMPEG_LOGLEVEL yourself to see FFmpeg's messages."""
    import cv2

    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")


class Interrupts:
    """What Ctrl-C (SIGINT) and SIGTERM do during `digitcam run`.

    While the loop runs, either one stops it like Ctrl-C (`KeyboardInterrupt`), except while
    a frame is being written to the sinks: then the frame is finished first (recording, log
    and stats stay in step) and the loop stops right after it. Once the loop has ended
    (`disarm`), further signals, a second Ctrl-C included, are noted but do not cut short
    the finalizing of the files; the run then ends as soon as the files are closed.
    """

    def __init__(self) -> None:
        self.armed = True
        self.writing = False
        self.pending = False
        self.late = 0

    def handler(self, signum: int, frame: Any) -> None:
        if not self.armed or self.pending:
            # Already stopping: a second signal must not interrupt the stopping itself.
            self.late += 1
            return
        self.pending = True
        if not self.writing:
            raise KeyboardInterrupt

    def stop_requested(self) -> bool:
        return self.pending

    def disarm(self) -> None:
        self.armed = False


class _FrameSinks:
    """All sinks as one: each frame reaches every sink, or (on an error) stops the run."""

    def __init__(self, sinks: list[Sink], interrupts: Interrupts) -> None:
        self._sinks = sinks
        self._interrupts = interrupts

    def write(self, result: Any) -> None:
        self._interrupts.writing = True
        try:
            for sink in self._sinks:
                sink.write(result)
        finally:
            self._interrupts.writing = False


@contextmanager
def signals_stop_run() -> Iterator[Interrupts]:
    """Installs `Interrupts` for SIGINT and SIGTERM; the previous handlers come back on exit
    (when not on the main thread, nothing is installed)."""
    ctl = Interrupts()
    previous: dict[int, Any] = {}
    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, ctl.handler)
    except (ValueError, AttributeError):  # not the main thread, or no such signal here
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        previous = {}
    try:
        yield ctl
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _open(source: Any, options: SourceOptions, notice: Callable[[str], None]) -> Any:
    if source is None:
        camera = try_camera(0, options)
        if camera is not None:
            return camera
        notice(
            "digitcam: no camera found (camera 0 did not open); running the demo instead "
            "(`digitcam run demo` skips this check)"
        )
        return open_source(parse_source("demo"), options)
    if isinstance(source, str):
        spec: SourceSpec = parse_source(source)
    else:  # an already opened source (camera 0 found by the fallback check)
        return source
    # An unreadable file in an image folder is reported and skipped; the others are read.
    return open_source(spec, options, on_skip=lambda m: notice(f"digitcam: {m}"))


def _make_step(
    model: Any,
    *,
    watch: Path | None = None,
    save_uncertain: Path | None = None,
    source_name: str = "",
    notice: Callable[[str], None] = lambda _m: None,
    profile: Any = None,
    reader: str = "auto",
    cell_model: Any = None,
) -> Callable[[Frame], Reading]:
    """The per-frame step: read the frame; reload the model file when it changes; save the
    glyphs the reader was unsure of for labelling (`digitcam label DIR`). `cell_model`
    reads frames that are crops of one display digit (an image folder of them) whole."""
    import time

    from digitcam.config import ReaderConfig
    from digitcam.pipeline import read_frame

    base = ReaderConfig() if profile is None else profile.reader_config()
    config = base.with_reader(reader)  # "auto" keeps the profile's (or default) kind
    state = {"model": model, "next_poll": 0.0}
    watcher = None
    if watch is not None:
        from digitcam.classify import load_model, require_image_model
        from digitcam.train import ModelWatcher

        # A new file that loads but cannot read images (vector features) is refused too.
        watcher = ModelWatcher(watch, loader=lambda p: require_image_model(load_model(p)))

    def step(frame: Frame) -> Reading:
        if watcher is not None and time.monotonic() >= state["next_poll"]:
            state["next_poll"] = time.monotonic() + 1.0
            fresh = watcher.poll()
            if fresh is not None:
                state["model"] = fresh
                notice(f"digitcam: reloaded model {watch}")
            elif watcher.last_error:
                notice(f"digitcam: kept the old model: {watcher.last_error}")
                watcher.last_error = None
        if profile is None:
            reading = read_frame(
                frame.image, state["model"], config, frame_index=frame.index, cell_model=cell_model
            )
        else:  # the profile's warp, then boxes mapped back to the frame
            from digitcam.calibration import map_reading

            warped, m = profile.warp(frame.image)
            reading = read_frame(
                warped, state["model"], config, frame_index=frame.index, cell_model=cell_model
            )
            reading = map_reading(reading, m)
        if save_uncertain is not None:
            _save_uncertain(save_uncertain, frame, reading, source_name, state["model"])
        return reading

    return step


class _StableOverlay:
    """The overlay, with the fuser's stable value in its panel."""

    def __init__(self, overlay: Overlay, fuser: Any) -> None:
        self._overlay = overlay
        self._fuser = fuser

    def annotate(self, image: Any, reading: Reading, *, hud: Any = None) -> Any:
        return self._overlay.annotate(image, reading, hud=hud, stable=self._fuser.stable)


def _save_uncertain(
    folder: Path, frame: Frame, reading: Reading, source_name: str, model: Any
) -> None:
    """Save each glyph read below the model's rejection threshold (or '?') as a crop."""
    import cv2
    import numpy as np

    from digitcam.dataset import save_uncertain_crop
    from digitcam.preprocess import to_gray

    threshold = getattr(model, "reject_threshold", 0.5)
    gray = None
    for g in reading.all_glyphs:
        if g.kind.value == "mark" or (g.char != "?" and g.confidence >= threshold):
            continue
        if gray is None:
            gray = to_gray(frame.image)
        b = g.box
        crop = gray[max(0, b.y) : b.y2, max(0, b.x) : b.x2]
        if crop.size == 0:
            continue
        # Ink is the minority class of the crop: make it bright, as labelling expects.
        t, _ = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        if float((crop <= t).mean()) < 0.5:
            crop = 255 - crop
        save_uncertain_crop(
            folder,
            np.ascontiguousarray(crop),
            frame_ref=f"{source_name}#frame{frame.index}",
            box=b,
            guess=g.char,
            confidence=float(g.confidence),
        )


def _print_summary(
    console: Console, summary: RunSummary, outputs: list[str], *, table: bool
) -> None:
    if table:
        console.print(
            stats_table(summary.stats, title=f"digitcam · {summary.stats.source} · final")
        )
    for line in summary_lines(summary.stats, summary.reason.value):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    for line in outputs:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


@app.command("run")
def run_command(
    source: Annotated[
        str | None,
        typer.Argument(
            help="Camera index, video file, image folder or glob, rtsp:// or http:// URL, "
            "or 'demo'. Default: camera 0, else the demo.",
            show_default=False,
        ),
    ] = None,
    width: Annotated[int | None, typer.Option(min=16, help="Camera width (or demo width).")] = None,
    height: Annotated[
        int | None, typer.Option(min=16, help="Camera height (or demo height).")
    ] = None,
    fps: Annotated[
        float | None,
        typer.Option(min=0.1, help="Camera rate; playback rate of files, images and the demo."),
    ] = None,
    fast: Annotated[
        bool, typer.Option("--fast", help="Run files, images and the demo as fast as possible.")
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(min=0.0, help="Seconds a camera or stream may take to open or to come back."),
    ] = 10.0,
    display: Annotated[
        bool | None,
        typer.Option(
            "--display/--no-display",
            help="Show a window (q/Esc quits, space pauses, s saves a snapshot). "
            "Default: when a display exists.",
            show_default=False,
        ),
    ] = None,
    record: Annotated[
        Path | None, typer.Option(help="Write the annotated video here (.mp4 or .avi).")
    ] = None,
    record_raw: Annotated[
        Path | None, typer.Option(help="Write the raw frames here (.mp4 or .avi).")
    ] = None,
    log: Annotated[
        Path | None, typer.Option(help="Write one line per frame here (.jsonl or .csv).")
    ] = None,
    max_frames: Annotated[
        int | None, typer.Option(min=1, help="Stop after this many frames.")
    ] = None,
    duration: Annotated[
        float | None, typer.Option(min=0.001, help="Stop after this many seconds.")
    ] = None,
    model: Annotated[
        # Not `exists=True`: load_model says "model file not found" as a one-line ModelError.
        Path | None,
        typer.Option(help="Model file (default: the shipped one for --classifier)."),
    ] = None,
    classifier: Annotated[
        ClassifierKind, typer.Option(help="Which shipped model to use when --model is not given.")
    ] = ClassifierKind.KNN,
    seed: Annotated[int, typer.Option(help="Scene of the demo source.")] = 0,
    snapshot_dir: Annotated[
        Path,
        typer.Option(file_okay=False, help="Where the window's `s` key saves snapshots."),
    ] = Path(),
    save_uncertain: Annotated[
        Path | None,
        typer.Option(
            file_okay=False,
            help="Save glyphs read with low confidence here, for `digitcam label DIR`.",
        ),
    ] = None,
    reload: Annotated[
        bool,
        typer.Option(
            "--reload/--no-reload",
            help="Reload the model file when it changes (e.g. after `digitcam train`).",
        ),
    ] = True,
    calibration: Annotated[
        str | None,
        typer.Option(
            help="Calibration profile (a path, or a NAME in calibration/): display corners, "
            "polarity, format and plausibility of the stable value. The meter demo uses "
            "'demo'.",
            show_default=False,
        ),
    ] = None,
    reader: ReaderOption = ReaderKind.AUTO,
) -> None:
    """Read digits live: source → reader → overlay → window, recording, log and stats."""
    from digitcam.classify import load_cell_model, load_model, require_image_model

    quiet_opencv()
    # Check output paths before anything slow opens (a camera or a URL may take seconds).
    for path in (record, record_raw):
        if path is not None:
            video_fourcc(path)
            check_writable(path, "recording", reserve=RECORD_RESERVE_BYTES)
    if log is not None:
        log_format(log)
        check_writable(log, "log", reserve=LOG_RESERVE_BYTES)
    limits = Limits(max_frames=max_frames, duration=duration)
    options = SourceOptions(
        width=width, height=height, fps=fps, fast=fast, timeout=timeout, seed=seed
    )
    from digitcam.calibration import load_profile
    from digitcam.fuse import FuseConfig, Fuser

    opened: Any = source
    if source is None:
        # Camera 0 if one opens, else the demo (said in one line): decided before the
        # profile, since the demo comes with its own.
        opened = try_camera(0, options)
        if opened is None:
            print(
                "digitcam: no camera found (camera 0 did not open); running the demo instead "
                "(`digitcam run demo` skips this check)",
                file=sys.stderr,
                flush=True,
            )
            source = opened = "demo"
    if (
        calibration is None
        and isinstance(source, str)
        and source.strip().lower()
        in (
            "demo",
            "demo:meter",
        )
    ):
        calibration = "demo"  # the meter demo comes with its profile
    profile = load_profile(calibration) if calibration is not None else None
    fuser = Fuser(profile.fuse_config() if profile is not None else FuseConfig())
    # Once, before the first frame; a model that cannot read images is refused here.
    loaded = require_image_model(load_model(model, classifier=classifier.value))
    cells = functools.cache(load_cell_model)  # loaded at the first crop of one digit
    tty = sys.stdout.isatty()
    console = Console(highlight=False)
    show = display_available() if display is None else display

    def notice(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    outputs: list[str] = []
    with signals_stop_run() as interrupts, ExitStack() as stack:
        src = stack.enter_context(_open(opened, options, notice))
        step = _make_step(
            loaded,
            watch=Path(loaded.path) if reload and loaded.path else None,
            save_uncertain=save_uncertain,
            source_name=src.name,
            notice=notice,
            profile=profile,
            reader=reader.value,
            cell_model=cells,
        )
        meter = StatsMeter(source_name=src.name)
        sinks: list[Sink] = []
        recorders: list[VideoRecorder] = []
        for path, what in ((record, RecordWhat.ANNOTATED), (record_raw, RecordWhat.RAW)):
            if path is not None:
                recorder = stack.enter_context(VideoRecorder(path, src.fps, what=what))
                recorders.append(recorder)
                sinks.append(recorder)
        reading_log = (
            stack.enter_context(ReadingLog(log, with_stable=True)) if log is not None else None
        )
        if reading_log is not None:
            sinks.append(reading_log)
        view = LiveStats(meter, console) if tty else PlainStats(meter, sys.stdout)
        sinks.append(stack.enter_context(view))
        if os.environ.get("DIGITCAM_NO_TRIM") != "1":
            sinks.append(MemoryTrimmer())
        window = (
            Display(f"digitcam · {src.name}", snapshot_dir=snapshot_dir, on_message=notice)
            if show
            else NullDisplay()
        )
        stack.enter_context(window)
        summary = run(
            src,
            step,
            fuse=fuser,
            overlay=_StableOverlay(Overlay(), fuser),
            sinks=[_FrameSinks(sinks, interrupts)],
            display=window,
            meter=meter,
            limits=limits,
            stop=interrupts.stop_requested,
        )
        interrupts.disarm()
    # Every file is closed now (recording finalized, log flushed, device released).
    outputs.extend(
        f"  recorded {r.frames_written} frames ({r.what.value}) to {r.path}" for r in recorders
    )
    if reading_log is not None:
        outputs.append(f"  logged {reading_log.lines_written} lines to {reading_log.path}")
    skipped = getattr(src, "skipped", ())
    if skipped:
        outputs.append(f"  skipped {len(skipped)} unreadable image file(s) (named above)")
    _print_summary(console, summary, outputs, table=tty)
    if summary.error is not None:
        raise summary.error
    if skipped:
        raise typer.Exit(1)  # like `digitcam read`: the good files were read, some were not
