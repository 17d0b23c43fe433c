"""Tests for digitcam.stats: the meter, the pure table and lines, and the two printers."""

from __future__ import annotations

import io

import numpy as np
import pytest
from rich.console import Console

from digitcam.loop import FrameResult
from digitcam.sources import SourceState, SourceStatus
from digitcam.stats import (
    STAGES,
    LiveStats,
    Percentiles,
    PlainStats,
    StatsMeter,
    StatsSnapshot,
    stats_table,
    status_line,
    summary_lines,
)
from digitcam.types import Box, Frame, Glyph, Reading, Timings


def _render(renderable: object, width: int = 100) -> str:
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.export_text()


def _result(index: int, t: float, latency_ms: float, *, text: str = "42", truth: str | None = None):
    glyphs = tuple(Glyph(Box(0, 0, 5, 9), c, 0.75) for c in text)
    reading = Reading(index, (text,), (glyphs,), Timings(1.0, 2.0, 3.0, 6.0))
    frame = Frame(index, t, np.zeros((4, 4, 3), np.uint8), truth=truth)
    return FrameResult(frame, reading, None, latency_ms, t)


SNAPSHOT = StatsSnapshot(
    source="camera 0",
    elapsed_s=12.5,
    frames_read=380,
    frames_processed=360,
    dropped=20,
    capture_fps=30.2,
    process_fps=28.8,
    latency={s: Percentiles(1.5 * i + 1, 2.0 * i + 2, 3.0 * i + 3) for i, s in enumerate(STAGES)},
    text="0123.4",
    confidence=0.91,
)


@pytest.mark.parametrize(
    "expected",
    [
        "digitcam · camera 0",
        "capture fps",
        "30.2",
        "processing fps",
        "28.8",
        "frames read",
        "380",
        "frames processed",
        "360",
        "dropped",
        "end-to-end",
        "preprocess",
        "0123.4 (confidence 0.91)",
    ],
)
def test_stats_table_renders_every_figure(expected: str) -> None:
    # given a snapshot / when its table is rendered to a capture console
    text = _render(stats_table(SNAPSHOT))
    # then the figure is in the text
    assert expected in text


def test_stats_table_lists_each_stage_with_p50_p95_max() -> None:
    # given a snapshot whose end-to-end percentiles (the last stage) are 10.0 / 14.0 / 21.0 ms
    assert STAGES[-1] == "end-to-end"
    text = _render(stats_table(SNAPSHOT))
    # when the end-to-end row is found / then it holds p50, p95 and max in order
    row = next(line for line in text.splitlines() if "end-to-end" in line)
    assert row.split("end-to-end")[1].split()[:3] == ["10.0", "14.0", "21.0"]
    # and the seven-segment reader has its own row
    row = next(line for line in text.splitlines() if "sevenseg" in line)
    assert row.split("sevenseg")[1].split()[:3] == ["5.5", "8.0", "12.0"]


@pytest.mark.parametrize(
    ("changes", "expected", "absent"),
    [
        ({"with_truth": 10, "correct": 9, "truth": "0123.4"}, "matches truth: 90.0 % (9/10)", None),
        ({}, "elapsed: 12.5 s", "matches truth"),
        ({"state": SourceState.RECONNECTING, "reconnects": 2}, "reconnecting (2 reconnects)", None),
        ({"text": ""}, "reading: —", "confidence"),
    ],
)
def test_stats_table_shows_truth_source_state_and_empty_reading(
    changes: dict[str, object], expected: str, absent: str | None
) -> None:
    # given a snapshot with some fields changed
    from dataclasses import replace

    text = _render(stats_table(replace(SNAPSHOT, **changes)))
    # when rendered / then the line for that case is there (and the other case's is not)
    assert expected in text
    if absent is not None:
        assert absent not in text


def test_status_line_is_one_plain_line() -> None:
    # (the end-to-end row, the last of STAGES, has p50 10.0 ms in SNAPSHOT)
    # given a snapshot / when made into a status line
    line = status_line(SNAPSHOT)
    # then one line with the frames, rate, latency and reading
    assert "\n" not in line
    for part in ("frames 360", "fps 28.8 (capture 30.2)", "p50 10.0 ms", "dropped 20", "'0123.4'"):
        assert part in line


def test_summary_mentions_reason_and_truth() -> None:
    # given a demo snapshot / when summarized
    from dataclasses import replace

    lines = summary_lines(replace(SNAPSHOT, with_truth=300, correct=297), "frame limit")
    # then the first line says why it stopped, the last how often the truth was read
    assert "360 frames from camera 0" in lines[0]
    assert lines[0].endswith("stopped: frame limit")
    assert lines[-1] == "  matches truth: 297/300 frames (99.0 %)"


def test_meter_computes_rates_and_percentiles() -> None:
    # given 11 frames processed 0.1 s apart with latencies 10..20 ms, 2 frames dropped
    meter = StatsMeter(source_name="file", window_s=5.0)
    meter.start(100.0)
    for i in range(11):
        status = SourceStatus(captured=i + 1 + (2 if i >= 5 else 0), dropped=2 if i >= 5 else 0)
        meter.add(_result(i, t=0.1 * i, latency_ms=10.0 + i), status)
    # when a snapshot is taken
    snap = meter.snapshot()
    # then 10 intervals over 1 s is 10 fps, and the percentiles are those of 10..20 ms
    assert snap.process_fps == pytest.approx(10.0)
    assert snap.capture_fps == pytest.approx(13.0)
    assert snap.latency["end-to-end"] == Percentiles(15.0, 19.5, 20.0)
    assert snap.latency["classify"] == Percentiles(3.0, 3.0, 3.0)
    assert (snap.frames_processed, snap.frames_read, snap.dropped) == (11, 13, 2)
    assert (snap.text, snap.confidence) == ("42", 0.75)


def test_meter_window_forgets_old_frames_but_whole_run_keeps_them() -> None:
    # given a slow first frame, then 20 fast ones long after
    meter = StatsMeter(window_s=1.0)
    meter.start(0.0)
    meter.add(_result(0, t=0.0, latency_ms=500.0), SourceStatus(captured=1))
    for i in range(1, 21):
        meter.add(_result(i, t=10.0 + 0.05 * i, latency_ms=5.0), SourceStatus(captured=i + 1))
    # when recent and whole-run snapshots are taken
    recent, whole = meter.snapshot(), meter.snapshot(whole_run=True)
    # then only the whole run remembers the slow frame
    assert recent.latency["end-to-end"].max == 5.0
    assert whole.latency["end-to-end"].max == 500.0
    assert whole.process_fps == pytest.approx(21 / 11.0)


def test_meter_counts_truth_matches() -> None:
    # given frames reading "42" whose truth is "42" twice and "43" once
    meter = StatsMeter()
    meter.start(0.0)
    for i, truth in enumerate(["42", "43", "42"]):
        meter.add(_result(i, t=0.1 * i, latency_ms=1.0, truth=truth), SourceStatus(captured=i + 1))
    # when a snapshot is taken / then 2 of 3 matched
    snap = meter.snapshot()
    assert (snap.correct, snap.with_truth, snap.accuracy) == (2, 3, pytest.approx(2 / 3))


def test_meter_hud_reports_fps_latency_and_drops() -> None:
    # given 5 frames 0.2 s apart at 8 ms, 3 drops
    meter = StatsMeter()
    meter.start(0.0)
    for i in range(5):
        meter.add(_result(i, t=0.2 * i, latency_ms=8.0), SourceStatus(captured=i + 4, dropped=3))
    # when the HUD numbers are asked for / then 5 fps, 8 ms, 3 dropped
    hud = meter.hud()
    assert (hud.fps, hud.latency_ms, hud.dropped) == (pytest.approx(5.0), 8.0, 3)


def test_plain_stats_prints_a_line_every_few_seconds() -> None:
    # given a plain printer every 5 s and a clock we move by hand
    now = [0.0]
    meter = StatsMeter()
    meter.start(0.0)
    out = io.StringIO()
    printer = PlainStats(meter, out, every_s=5.0, clock=lambda: now[0])
    # when frames arrive at t = 1, 2, ..., 12 s
    for i in range(1, 13):
        now[0] = float(i)
        result = _result(i, t=float(i), latency_ms=3.0)
        meter.add(result, SourceStatus(captured=i))
        printer.write(result)
    # then a line was printed at 5 s and at 10 s only
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].lstrip().startswith("5.0s | frames 5")


def test_live_stats_renders_the_table_to_a_terminal() -> None:
    # given a live view on a capture terminal console
    meter = StatsMeter(source_name="demo")
    meter.start(0.0)
    meter.add(_result(0, t=0.0, latency_ms=4.0, text="777"), SourceStatus(captured=1))
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100, color_system=None)
    # when it is started and stopped (it draws at start and refreshes on its own)
    with LiveStats(meter, console, refresh_per_second=20) as live:
        live.write(_result(1, t=0.1, latency_ms=4.0))
    # then the terminal got the table with the reading
    assert "digitcam · demo" in buffer.getvalue()
    assert "777 (confidence 0.75)" in buffer.getvalue()
