"""Rates and latencies of a run, and how they are shown.

`StatsMeter` collects per-frame numbers (thread-safe: the rich `Live` thread reads snapshots
while the loop adds frames). `stats_table(snapshot)` and `status_line(snapshot)` are pure.
`LiveStats` (a TTY: a rich `Live` table refreshed a few times a second, not every frame) and
`PlainStats` (no TTY: one plain line every few seconds) are the two sinks that show them.
"""

from __future__ import annotations

import threading
import time
from array import array
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

import numpy as np
from rich.console import Console
from rich.live import Live
from rich.table import Table

from digitcam.closing import Closing
from digitcam.sources import SourceState, SourceStatus

if TYPE_CHECKING:
    from digitcam.loop import FrameResult

Clock = Callable[[], float]

#: Latency rows, in display order: the reader's stages, the whole reader, end to end.
STAGES = ("preprocess", "segment", "classify", "sevenseg", "shadow", "read", "end-to-end")


@dataclass(frozen=True)
class Percentiles:
    """Milliseconds: median, 95th percentile and maximum (all 0 with no samples)."""

    p50: float = 0.0
    p95: float = 0.0
    max: float = 0.0

    @classmethod
    def of(cls, values: np.ndarray) -> Percentiles:
        if values.size == 0:
            return cls()
        p50, p95 = np.percentile(values, [50, 95])
        return cls(float(p50), float(p95), float(values.max()))


class _Sample:
    """Whole-run values of one latency row in bounded memory.

    Every value is kept up to `cap`; after that a uniform random sample of `cap` values
    (reservoir sampling, seeded) stands for the run, and the maximum stays exact. A run of
    days thus costs at most `cap` doubles per row instead of growing with every frame.
    """

    def __init__(self, cap: int, seed: int) -> None:
        self._cap = cap
        self._values = array("d")
        self._seen = 0
        self._max = 0.0
        self._rng = np.random.default_rng(seed)

    def add(self, value: float) -> None:
        self._seen += 1
        self._max = value if self._seen == 1 else max(self._max, value)
        if len(self._values) < self._cap:
            self._values.append(value)
            return
        j = int(self._rng.integers(0, self._seen))
        if j < self._cap:
            self._values[j] = value

    def percentiles(self) -> Percentiles:
        values = np.frombuffer(self._values) if len(self._values) else np.zeros(0)
        if values.size == 0:
            return Percentiles()
        p = Percentiles.of(values)
        return Percentiles(p.p50, p.p95, self._max)


@dataclass(frozen=True)
class Hud:
    """The few numbers the overlay shows on the frame."""

    fps: float = 0.0
    latency_ms: float = 0.0
    dropped: int = 0


@dataclass(frozen=True)
class StatsSnapshot:
    """The state of a run at one moment.

    Attributes:
        source: the source's name.
        elapsed_s: seconds since the run started.
        frames_read: frames the source captured (processed + dropped + in flight).
        frames_processed: frames that went through the reader and the sinks.
        dropped: frames a live source replaced before they were read.
        reconnects: times a live source was reopened.
        state: the source's state.
        capture_fps, process_fps: recent rates (last couple of seconds).
        latency: per row of `STAGES`, recent percentiles in ms.
        text: the latest reading; confidence: its weakest glyph's confidence.
        truth: the latest frame's truth, when the source knows it.
        with_truth, correct: frames that had a truth, and those read exactly as it.
    """

    source: str = ""
    elapsed_s: float = 0.0
    frames_read: int = 0
    frames_processed: int = 0
    dropped: int = 0
    reconnects: int = 0
    state: SourceState = SourceState.RUNNING
    capture_fps: float = 0.0
    process_fps: float = 0.0
    latency: dict[str, Percentiles] = field(default_factory=dict)
    text: str = ""
    confidence: float = 0.0
    truth: str | None = None
    with_truth: int = 0
    correct: int = 0

    @property
    def accuracy(self) -> float | None:
        """Fraction of frames with a truth that read it exactly (None without truth)."""
        return self.correct / self.with_truth if self.with_truth else None


class StatsMeter:
    """Collects per-frame rates and latencies.

    Recent rates and percentiles use the last `window_s` seconds (at most `window_n` frames);
    the summary's whole-run percentiles keep every frame's numbers in compact arrays.

    Args:
        source_name: shown in the table title.
        clock: monotonic seconds (the loop's clock).
        window_s: how far back "recent" rates and percentiles look.
        window_n: cap on frames kept for recent percentiles.
        whole_run_n: frames kept per latency row for whole-run percentiles; longer runs
            keep a uniform sample of this many (the maximum stays exact), so memory does
            not grow with the length of the run.
    """

    def __init__(
        self,
        *,
        source_name: str = "",
        clock: Clock = time.monotonic,
        window_s: float = 2.0,
        window_n: int = 600,
        whole_run_n: int = 10_000,
    ) -> None:
        self._name = source_name
        self._clock = clock
        self._window_s = window_s
        self._lock = threading.Lock()
        self._t0: float | None = None
        self._t_last = 0.0
        self._recent: deque[tuple[float, ...]] = deque(maxlen=window_n)
        self._captures: deque[tuple[float, int]] = deque(maxlen=window_n)
        self._all = {stage: _Sample(whole_run_n, i) for i, stage in enumerate(STAGES)}
        self._status = SourceStatus()
        self._processed = 0
        self._text = ""
        self._confidence = 0.0
        self._truth: str | None = None
        self._with_truth = 0
        self._correct = 0

    def start(self, t0: float) -> None:
        """Marks the start of the run (the loop calls this once)."""
        with self._lock:
            self._t0 = t0
            self._t_last = t0
            self._captures.append((t0, 0))

    def add(self, result: FrameResult, status: SourceStatus) -> None:
        """Records one processed frame and the source's counters at that moment."""
        t = result.t + (self._t0 or 0.0)
        tm = result.reading.timings
        row = (t, tm.preprocess, tm.segment, tm.classify, tm.sevenseg, tm.shadow, tm.total,
               result.latency_ms)  # fmt: skip
        truth = result.frame.truth
        with self._lock:
            if self._t0 is None:
                self._t0 = t - result.t
            self._t_last = t
            self._recent.append(row)
            for stage, value in zip(STAGES, row[1:], strict=True):
                self._all[stage].add(value)
            self._observe(status, t)
            self._processed += 1
            self._text = result.stable if result.stable is not None else result.reading.text
            self._confidence = result.reading.confidence
            self._truth = truth
            if truth is not None:
                self._with_truth += 1
                self._correct += int(result.reading.text == truth)

    def observe_source(self, status: SourceStatus, t: float) -> None:
        """Records the source's counters without a processed frame (e.g. at the end)."""
        with self._lock:
            self._t_last = max(self._t_last, t)
            self._observe(status, t)

    def _observe(self, status: SourceStatus, t: float) -> None:
        self._status = status
        self._captures.append((t, status.captured))

    def hud(self) -> Hud:
        """FPS, median end-to-end latency and drops over the recent window."""
        with self._lock:
            rows = self._window_rows()
            fps = _rate([r[0] for r in rows], len(rows) - 1)
            lat = float(np.median([r[-1] for r in rows])) if rows else 0.0
            return Hud(fps=fps, latency_ms=lat, dropped=self._status.dropped)

    def _window_rows(self) -> list[tuple[float, ...]]:
        cutoff = self._t_last - self._window_s
        return [r for r in self._recent if r[0] >= cutoff]

    def snapshot(self, *, whole_run: bool = False) -> StatsSnapshot:
        """The current numbers; `whole_run` uses every frame for the percentiles and rates."""
        with self._lock:
            t0 = self._t0 if self._t0 is not None else self._clock()
            elapsed = max(self._t_last - t0, 0.0)
            if whole_run:
                latency = {s: self._all[s].percentiles() for s in STAGES}
                process_fps = self._processed / elapsed if elapsed > 0 else 0.0
                capture_fps = self._status.captured / elapsed if elapsed > 0 else 0.0
            else:
                rows = self._window_rows()
                cols = np.asarray([r[1:] for r in rows], dtype=float).reshape(-1, len(STAGES))
                latency = {s: Percentiles.of(cols[:, i]) for i, s in enumerate(STAGES)}
                process_fps = _rate([r[0] for r in rows], len(rows) - 1)
                cutoff = self._t_last - self._window_s
                caps = [c for c in self._captures if c[0] >= cutoff]
                capture_fps = (
                    _rate([c[0] for c in caps], caps[-1][1] - caps[0][1]) if len(caps) > 1 else 0.0
                )
            return StatsSnapshot(
                source=self._name,
                elapsed_s=elapsed,
                frames_read=self._status.captured,
                frames_processed=self._processed,
                dropped=self._status.dropped,
                reconnects=self._status.reconnects,
                state=self._status.state,
                capture_fps=capture_fps,
                process_fps=process_fps,
                latency=latency,
                text=self._text,
                confidence=self._confidence,
                truth=self._truth,
                with_truth=self._with_truth,
                correct=self._correct,
            )


def _rate(times: list[float], events: int) -> float:
    """Events per second over the span of `times` (0 when it is empty or instantaneous)."""
    if len(times) < 2 or events <= 0:
        return 0.0
    span = max(times) - min(times)
    return events / span if span > 0 else 0.0


def _reading_cell(snapshot: StatsSnapshot) -> str:
    text = snapshot.text.replace("\n", " / ") if snapshot.text else "—"
    cell = f"{text} (confidence {snapshot.confidence:.2f})" if snapshot.text else text
    if snapshot.truth is not None:
        cell += f", truth {snapshot.truth.replace(chr(10), ' / ')}"
    return cell


def stats_table(snapshot: StatsSnapshot, *, title: str | None = None) -> Table:
    """A rich table of a snapshot: rates and counters beside latency percentiles, then the
    current reading.

    Pure: builds the table and nothing else, so it renders to any console (tests use a
    capture console).
    """
    s = snapshot
    counts = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    counts.add_column("rates & counts")
    counts.add_column("", justify="right")
    counts.add_row("capture fps", f"{s.capture_fps:.1f}")
    counts.add_row("processing fps", f"{s.process_fps:.1f}")
    counts.add_row("frames read", str(s.frames_read))
    counts.add_row("frames processed", str(s.frames_processed))
    counts.add_row("dropped", str(s.dropped))
    if s.reconnects or s.state is not SourceState.RUNNING:
        counts.add_row("source", f"{s.state.value} ({s.reconnects} reconnects)")

    latency = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    latency.add_column("latency ms")
    for name in ("p50", "p95", "max"):
        latency.add_column(name, justify="right")
    for stage in STAGES:
        p = s.latency.get(stage, Percentiles())
        latency.add_row(stage, f"{p.p50:.1f}", f"{p.p95:.1f}", f"{p.max:.1f}")

    table = Table(
        title=title or (f"digitcam · {s.source}" if s.source else "digitcam"),
        title_justify="left",
        show_header=False,
    )
    table.add_column()
    table.add_column()
    table.add_row(counts, latency, end_section=True)
    reading = f"reading: {_reading_cell(s)}"
    accuracy = (
        f"matches truth: {100 * s.accuracy:.1f} % ({s.correct}/{s.with_truth})"
        if s.accuracy is not None
        else f"elapsed: {s.elapsed_s:.1f} s"
    )
    table.add_row(reading, accuracy)
    return table


def status_line(snapshot: StatsSnapshot) -> str:
    """One plain line for logs and pipes (no TTY)."""
    s = snapshot
    e2e = s.latency.get("end-to-end", Percentiles())
    text = s.text.replace("\n", " / ") if s.text else "-"
    parts = [
        f"{s.elapsed_s:7.1f}s",
        f"frames {s.frames_processed}",
        f"fps {s.process_fps:.1f} (capture {s.capture_fps:.1f})",
        f"latency p50 {e2e.p50:.1f} ms p95 {e2e.p95:.1f} ms",
        f"dropped {s.dropped}",
    ]
    if s.state is not SourceState.RUNNING or s.reconnects:
        parts.append(f"source {s.state.value} ({s.reconnects} reconnects)")
    parts.append(f"reading {text!r}")
    return " | ".join(parts)


def summary_lines(snapshot: StatsSnapshot, reason: str) -> list[str]:
    """The end-of-run summary as plain lines."""
    s = snapshot
    e2e = s.latency.get("end-to-end", Percentiles())
    read = s.latency.get("read", Percentiles())
    lines = [
        f"digitcam: {s.frames_processed} frames from {s.source} in {s.elapsed_s:.1f} s "
        f"({s.process_fps:.1f} fps), stopped: {reason}",
        f"  latency end-to-end p50 {e2e.p50:.1f} ms, p95 {e2e.p95:.1f} ms, max {e2e.max:.1f} ms; "
        f"read p50 {read.p50:.1f} ms",
        f"  frames read {s.frames_read}, dropped {s.dropped}, reconnects {s.reconnects}",
    ]
    if s.accuracy is not None:
        lines.append(
            f"  matches truth: {s.correct}/{s.with_truth} frames ({100 * s.accuracy:.1f} %)"
        )
    return lines


class PlainStats(Closing):
    """A sink that prints `status_line` every `every_s` seconds (for pipes and CI).

    Args:
        meter: where the numbers come from.
        stream: where the lines go.
        every_s: seconds between lines.
        clock: monotonic seconds.
    """

    def __init__(
        self,
        meter: StatsMeter,
        stream: TextIO,
        *,
        every_s: float = 5.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self._meter = meter
        self._stream = stream
        self._every = every_s
        self._clock = clock
        self._next = clock() + every_s

    def write(self, result: FrameResult) -> None:
        now = self._clock()
        if now >= self._next:
            self._next = now + self._every
            print(status_line(self._meter.snapshot()), file=self._stream, flush=True)


class LiveStats:
    """A rich `Live` table that refreshes itself `refresh_per_second` times a second.

    The loop's `write` does nothing per frame: the refresh thread pulls a snapshot from the
    meter, so the cost per frame is zero and the view keeps moving while a stream reconnects.
    The live view is transient; the caller prints the summary after it closes.
    """

    def __init__(
        self, meter: StatsMeter, console: Console, *, refresh_per_second: float = 4.0
    ) -> None:
        self._meter = meter
        self._live = Live(
            get_renderable=lambda: stats_table(meter.snapshot()),
            console=console,
            refresh_per_second=refresh_per_second,
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )

    def write(self, result: FrameResult) -> None:
        """Nothing per frame; the refresh thread reads the meter."""

    def __enter__(self) -> LiveStats:
        self._live.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._live.stop()
