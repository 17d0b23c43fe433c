"""Tests for digitcam.loop.run: the one loop, with real sources and sinks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from digitcam.errors import InputError
from digitcam.loop import FrameResult, Limits, StopReason, run
from digitcam.overlay import Overlay
from digitcam.sinks import ReadingLog, VideoRecorder
from digitcam.sources import DemoSource, SourceStatus, VideoFileSource
from digitcam.stats import Hud, StatsMeter
from digitcam.types import Box, Frame, Glyph, Reading, Timings


class TickClock:
    """A clock that advances by `step` seconds each time it is read."""

    def __init__(self, step: float = 0.01) -> None:
        self.now = 50.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


class ListSource:
    """A source over prepared frames (optionally failing after them)."""

    name = "list"
    fps = 10.0
    live = False

    def __init__(self, frames: list[Frame], *, then_raise: Exception | None = None) -> None:
        self._frames = frames
        self._then_raise = then_raise
        self.delivered = 0

    def frames(self) -> Iterator[Frame]:
        for frame in self._frames:
            self.delivered += 1
            yield frame
        if self._then_raise is not None:
            raise self._then_raise

    def status(self) -> SourceStatus:
        return SourceStatus(captured=self.delivered)

    def close(self) -> None:
        """Nothing to release."""


class Collect:
    """A sink that keeps what it is given."""

    def __init__(self) -> None:
        self.results: list[FrameResult] = []

    def write(self, result: FrameResult) -> None:
        self.results.append(result)


def echo_step(frame: Frame) -> Reading:
    """A stand-in reader: one glyph showing the frame index's last digit."""
    char = str(frame.index % 10)
    glyph = Glyph(Box(4, 4, 10, 14), char, 0.9)
    return Reading(frame.index, (char,), ((glyph,),), Timings(1.0, 2.0, 3.0, 6.0))


def _frames(n: int, t0: float = 0.0) -> list[Frame]:
    return [Frame(i, t0 + i * 0.1, np.zeros((32, 48, 3), np.uint8)) for i in range(n)]


def test_every_frame_reaches_every_sink_in_order() -> None:
    # given 7 frames and two sinks
    a, b = Collect(), Collect()
    # when the loop runs to the end of input
    summary = run(ListSource(_frames(7)), echo_step, sinks=[a, b])
    # then both sinks saw frames 0..6 in order and the run ended normally
    assert [r.frame.index for r in a.results] == list(range(7))
    assert [r.frame.index for r in b.results] == list(range(7))
    assert (summary.frames, summary.reason, summary.error) == (7, StopReason.END, None)
    assert summary.reason.ok


@pytest.mark.parametrize(
    ("limits", "frames", "reason"),
    [
        (Limits(max_frames=3), 3, StopReason.MAX_FRAMES),
        (Limits(max_frames=50), 10, StopReason.END),
        # the loop reads the tick clock once per frame: frame k is done at (k + 1) * 0.01 s
        (Limits(duration=0.035), 4, StopReason.DURATION),
    ],
)
def test_limits_stop_the_run(limits: Limits, frames: int, reason: StopReason) -> None:
    # given 10 frames and a limit / when run
    summary = run(ListSource(_frames(10)), echo_step, limits=limits, clock=TickClock())
    # then it stops at the limit, for that reason
    assert (summary.frames, summary.reason) == (frames, reason)


@pytest.mark.parametrize("kwargs", [{"max_frames": 0}, {"duration": 0.0}])
def test_limits_reject_nonsense(kwargs: dict[str, float]) -> None:
    # given a zero limit / when made / then ValueError
    with pytest.raises(ValueError, match="must be"):
        Limits(**kwargs)


def test_latency_runs_from_capture_to_overlay_ready() -> None:
    # given frames captured at t=50.0 and a clock that reads 50.01, 50.02, ...
    frames = [Frame(0, 50.0, np.zeros((8, 8, 3), np.uint8))]
    sink = Collect()
    # when run (reads: start, then overlay-ready)
    run(ListSource(frames), echo_step, sinks=[sink], clock=TickClock(0.01))
    # then latency is overlay-ready minus capture time (50.02 - 50.0 s = 20 ms)
    assert sink.results[0].latency_ms == pytest.approx(20.0)
    assert sink.results[0].t == pytest.approx(0.01)


def test_the_display_can_stop_the_run() -> None:
    # given a display that quits on frame 2
    class QuitOnTwo:
        def show(self, result: FrameResult) -> bool:
            return result.frame.index != 2

    sink = Collect()
    # when run
    summary = run(ListSource(_frames(10)), echo_step, sinks=[sink], display=QuitOnTwo())
    # then frame 2 was still written, and the run stopped there on request
    assert (summary.frames, summary.reason) == (3, StopReason.QUIT)
    assert len(sink.results) == 3


def test_ctrl_c_ends_the_run_normally_with_what_was_written() -> None:
    # given a reader interrupted on frame 4 (Ctrl-C, or SIGTERM delivered as KeyboardInterrupt)
    def step(frame: Frame) -> Reading:
        if frame.index == 4:
            raise KeyboardInterrupt
        return echo_step(frame)

    sink = Collect()
    # when run
    summary = run(ListSource(_frames(10)), step, sinks=[sink])
    # then frames 0..3 were written and the end counts as normal
    assert (summary.frames, summary.reason) == (4, StopReason.INTERRUPTED)
    assert summary.reason.ok
    assert len(sink.results) == 4


def test_a_source_error_ends_the_run_with_the_error() -> None:
    # given a source that fails after 2 frames
    error = InputError("camera 0 stopped delivering frames")
    source = ListSource(_frames(2), then_raise=error)
    # when run / then the 2 frames went through and the error is handed back
    summary = run(source, echo_step)
    assert (summary.frames, summary.reason, summary.error) == (2, StopReason.ERROR, error)
    assert not summary.reason.ok


def test_a_fuse_step_slots_in_between_reader_and_sinks() -> None:
    # given a fuse step that reports the text of the last two readings when they agree
    history: list[str] = []

    def fuse(frame: Frame, reading: Reading) -> str | None:
        history.append(reading.text)
        return reading.text if history[-2:] == [reading.text] * 2 else None

    frames = [Frame(i, 0.0, np.zeros((8, 8, 3), np.uint8)) for i in (0, 10, 20, 3)]
    sink = Collect()
    # when run (indices 0, 10, 20 all read "0")
    run(ListSource(frames), echo_step, fuse=fuse, sinks=[sink])
    # then the stable value rides along in each result
    assert [r.stable for r in sink.results] == [None, "0", "0", None]


def test_overlay_draws_on_a_copy_and_gets_a_hud() -> None:
    # given an overlay that records the HUD it was given
    huds: list[object] = []

    class Spy(Overlay):
        def annotate(self, image, reading, *, hud=None):  # type: ignore[no-untyped-def]
            huds.append(hud)
            return super().annotate(image, reading, hud=hud)

    frames = _frames(3)
    sink = Collect()
    # when run
    run(ListSource(frames), echo_step, overlay=Spy(), sinks=[sink])
    # then each result has an annotated copy, the source frames are untouched, HUDs were given
    assert all(r.annotated is not None and r.annotated is not r.frame.image for r in sink.results)
    assert all(not f.image.any() for f in frames)
    assert all(isinstance(h, Hud) for h in huds)


def test_meter_sees_every_frame_and_the_truth() -> None:
    # given frames that know their truth ("0" for all, the reader reads index % 10)
    frames = [Frame(i, 0.0, np.zeros((8, 8, 3), np.uint8), truth="0") for i in range(12)]
    meter = StatsMeter(source_name="list", clock=TickClock())
    # when run
    summary = run(ListSource(frames), echo_step, meter=meter, clock=TickClock())
    # then the final snapshot counts them, and frames 0 and 10 matched the truth
    assert summary.stats.frames_processed == 12
    assert (summary.stats.correct, summary.stats.with_truth) == (2, 12)


def test_video_in_recording_out_with_the_real_reader(
    make_counter_video, tiny_model_path: Path, tmp_path: Path
) -> None:
    # given a 30-frame counter video written with cv2.VideoWriter, and the real reader
    from digitcam.classify import load_model
    from digitcam.pipeline import read_frame

    video = make_counter_video(tmp_path / "counter.mp4", 30)
    model = load_model(tiny_model_path)

    def step(frame: Frame) -> Reading:
        return read_frame(frame.image, model, frame_index=frame.index)

    out, log_path = tmp_path / "annotated.mp4", tmp_path / "log.jsonl"
    # when the loop runs it through the overlay into a recorder and a log
    with (
        VideoFileSource(video, fast=True) as source,
        VideoRecorder(out, source.fps) as recorder,
        ReadingLog(log_path) as log,
    ):
        summary = run(source, step, overlay=Overlay(), sinks=[recorder, log])
    # then the recording has all 30 frames, the log 30 lines, and the counter reads back
    cap = cv2.VideoCapture(str(out))
    recorded = 0
    while cap.read()[0]:
        recorded += 1
    cap.release()
    assert (summary.frames, recorded) == (30, 30)
    texts = [line.split('"text":"')[1].split('"')[0] for line in log_path.read_text().splitlines()]
    assert len(texts) == 30
    assert sum(t == f"{i:03d}" for i, t in enumerate(texts)) >= 27


def test_demo_source_runs_through_the_loop_with_its_truth() -> None:
    # given the demo source with a stand-in renderer
    def render(index: int) -> tuple[np.ndarray, str]:
        return np.zeros((24, 24, 3), np.uint8), str(index % 10)

    sink = Collect()
    # when 15 frames run
    with DemoSource(render=render, fast=True) as source:
        summary = run(source, echo_step, sinks=[sink], limits=Limits(max_frames=15))
    # then every frame carried its truth and every reading matched it
    assert summary.frames == 15
    assert [r.frame.truth for r in sink.results] == [str(i % 10) for i in range(15)]
    assert summary.stats.accuracy == 1.0
