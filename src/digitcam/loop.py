"""The one loop of the program: source → read → (fuse) → overlay → sinks → display.

`run` pulls frames from a source, calls a `step` (normally `pipeline.read_frame` with a model
loaded once, before the first frame), optionally a `fuse` step over time, draws the overlay,
stamps the end-to-end latency (capture time → overlay ready), and hands a `FrameResult` to each
sink. It stops at the end of the input, at a frame or time limit, when the display asks to
quit, on Ctrl-C / SIGTERM (delivered as `KeyboardInterrupt`), or on a `DigitcamError` from the
source; it never closes what it was given — the caller's `with` blocks do that.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from digitcam.errors import DigitcamError
from digitcam.sources import Source
from digitcam.stats import StatsMeter, StatsSnapshot
from digitcam.types import Frame, Reading

Clock = Callable[[], float]

#: The per-frame reader: a frame in, its reading out.
Step = Callable[[Frame], Reading]
#: A temporal-fusion step (issue 5): sees each frame's reading, returns the stable text or None.
Fuse = Callable[[Frame, Reading], "str | None"]


@dataclass(frozen=True)
class FrameResult:
    """Everything the sinks get about one processed frame.

    Attributes:
        frame: the source frame (its image is HxWx3 BGR uint8, never drawn on).
        reading: what `step` read in it.
        annotated: the overlay drawn on a copy of the frame (HxWx3 BGR uint8), or None
            when the run has no overlay.
        latency_ms: capture time → overlay ready, in milliseconds.
        t: seconds from the start of the run to overlay ready.
        stable: the fused, stable reading when a `fuse` step runs, else None.
    """

    frame: Frame
    reading: Reading
    annotated: NDArray[np.uint8] | None
    latency_ms: float
    t: float
    stable: str | None = None


class Sink(Protocol):
    """Anything that takes each result: recorders, logs, stats printers."""

    def write(self, result: FrameResult) -> None: ...


class Annotator(Protocol):
    def annotate(
        self, image: NDArray[np.uint8], reading: Reading, *, hud: object | None = None
    ) -> NDArray[np.uint8]: ...


class Viewer(Protocol):
    """A display: returns False when the user asked to quit."""

    def show(self, result: FrameResult) -> bool: ...


class StopReason(str, Enum):
    """Why a run ended."""

    END = "end of input"
    MAX_FRAMES = "frame limit"
    DURATION = "time limit"
    QUIT = "quit"
    INTERRUPTED = "interrupted"
    ERROR = "error"

    @property
    def ok(self) -> bool:
        """A normal end (exit code 0); only an error is not."""
        return self is not StopReason.ERROR


@dataclass(frozen=True)
class Limits:
    """When to stop besides the end of input: after `max_frames` frames or `duration` s."""

    max_frames: int | None = None
    duration: float | None = None

    def __post_init__(self) -> None:
        if self.max_frames is not None and self.max_frames < 1:
            raise ValueError(f"max_frames must be >= 1, got {self.max_frames}")
        if self.duration is not None and self.duration <= 0:
            raise ValueError(f"duration must be > 0 s, got {self.duration}")


@dataclass(frozen=True)
class RunSummary:
    """How a run went.

    Attributes:
        frames: frames processed (every sink saw each of them).
        reason: why it stopped.
        elapsed_s: wall seconds from start to stop (monotonic clock).
        stats: the meter's final snapshot over the whole run.
        error: the error that stopped it (reason ERROR), else None.
    """

    frames: int
    reason: StopReason
    elapsed_s: float
    stats: StatsSnapshot
    error: DigitcamError | None = None


def run(
    source: Source,
    step: Step,
    *,
    fuse: Fuse | None = None,
    overlay: Annotator | None = None,
    sinks: Sequence[Sink] = (),
    display: Viewer | None = None,
    meter: StatsMeter | None = None,
    limits: Limits = Limits(),
    clock: Clock = time.monotonic,
    stop: Callable[[], bool] | None = None,
) -> RunSummary:
    """Runs frames from `source` through `step` (and `fuse`) to the overlay and sinks.

    Args:
        source: where frames come from; it stays open (the caller closes it).
        step: reads one frame; exceptions other than `DigitcamError` are bugs and propagate.
        fuse: optional temporal fusion after `step`, before the overlay.
        overlay: draws the reading (and a HUD from `meter`) on a copy of the frame.
        sinks: each gets every `FrameResult`, in order.
        display: shows each result; returning False stops the run (reason QUIT).
        meter: collects rates and latencies; one is made when None.
        limits: frame and time limits.
        clock: monotonic seconds; the same clock the source stamps capture times with.
        stop: asked after each frame has reached every sink; True ends the run with reason
            INTERRUPTED (a signal handler that must not cut a frame's writes in half sets
            it instead of raising `KeyboardInterrupt`).

    Returns:
        A summary; a `DigitcamError` raised by the source or a sink ends the run with reason
        ERROR and is returned in `error` (the caller reports it after the summary).
    """
    meter = meter if meter is not None else StatsMeter(source_name=source.name, clock=clock)
    t0 = clock()
    meter.start(t0)
    processed = 0
    reason = StopReason.END
    error: DigitcamError | None = None
    try:
        for frame in source.frames():
            reading = step(frame)
            stable = fuse(frame, reading) if fuse is not None else None
            annotated = (
                overlay.annotate(frame.image, reading, hud=meter.hud())
                if overlay is not None
                else None
            )
            t_done = clock()
            result = FrameResult(
                frame=frame,
                reading=reading,
                annotated=annotated,
                latency_ms=(t_done - frame.t_capture) * 1000.0,
                t=t_done - t0,
                stable=stable,
            )
            meter.add(result, source.status())
            for sink in sinks:
                sink.write(result)
            processed += 1
            if stop is not None and stop():
                reason = StopReason.INTERRUPTED
                break
            if display is not None and not display.show(result):
                reason = StopReason.QUIT
                break
            if limits.max_frames is not None and processed >= limits.max_frames:
                reason = StopReason.MAX_FRAMES
                break
            if limits.duration is not None and t_done - t0 >= limits.duration:
                reason = StopReason.DURATION
                break
    except KeyboardInterrupt:
        reason = StopReason.INTERRUPTED
    except DigitcamError as exc:
        reason = StopReason.ERROR
        error = exc
    t_end = clock()
    meter.observe_source(source.status(), t_end)
    return RunSummary(
        frames=processed,
        reason=reason,
        elapsed_s=t_end - t0,
        stats=meter.snapshot(whole_run=True),
        error=error,
    )
