"""Streams: an MJPEG server on 127.0.0.1 (ffmpeg) killed and restarted under `digitcam run`.

Reading resumes after each restart (even at another frame size), the recording and the log
stay valid, reconnect attempts back off, a stream gone for good ends the run with one line
after `--timeout`, and nothing is left running afterwards.
"""

from __future__ import annotations

import itertools
import re
import signal
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from reliability_helpers import (
    MjpegServer,
    assert_no_traceback,
    assert_one_line_error,
    children_of,
    counter_frame,
    finish,
    free_port,
    log_line_count,
    log_records,
    needs_ffmpeg,
    popen_digitcam,
    video_frames,
    wait_for,
)

from digitcam.sources import Backoff, LiveSource

#: Restarts of the server during one run (the issue: "killed and restarted repeatedly").
RESTARTS = 5


@needs_ffmpeg
def test_reading_resumes_after_each_server_restart_and_outputs_stay_valid(
    mjpeg_server: MjpegServer, tmp_path: Path, tiny_model_path: Path
) -> None:
    # given `digitcam run URL` recording and logging a stream served by ffmpeg
    rec, log = tmp_path / "rec.avi", tmp_path / "log.jsonl"
    big = tmp_path / "big.png"
    cv2.imwrite(str(big), counter_frame(427, (640, 480)))
    proc = popen_digitcam("run", mjpeg_server.url, "--no-display", "--timeout", "8",
                          "--model", tiny_model_path, "--record", rec, "--log", log,
                          "--no-reload")  # fmt: skip
    rng = np.random.default_rng(6)
    resumed = []
    try:
        assert wait_for(lambda: log_line_count(log) >= 5, 20), "no frame before the first kill"
        # when the server is killed (SIGKILL) and restarted, every other time at 640x480
        for k in range(RESTARTS):
            mjpeg_server.kill()
            time.sleep(float(rng.uniform(0.2, 1.5)))
            mjpeg_server.image = big if k % 2 == 0 else tmp_path / "meter.png"
            before = log_line_count(log)
            mjpeg_server.start()
            t0 = time.monotonic()
            ok = wait_for(lambda b=before: log_line_count(log) >= b + 3, 15)
            resumed.append(time.monotonic() - t0 if ok else None)
        proc.send_signal(signal.SIGINT)
        stdout, stderr, took = finish(proc, 10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
    # then reading resumed after every restart, the run ended normally on Ctrl-C,
    # frames kept their order, and the video holds exactly the logged frames
    assert all(r is not None for r in resumed), resumed
    assert_no_traceback(stderr)
    assert proc.returncode == 0, stderr
    assert took < 5.0
    records = log_records(log)
    frames = [r["frame"] for r in records]
    assert frames == sorted(set(frames))
    assert video_frames(rec) == len(records)
    assert sum(r["text"] == "427" for r in records) >= 0.8 * len(records)
    reconnects = int(re.search(r"reconnects (\d+)", stdout).group(1))
    assert reconnects >= RESTARTS


@needs_ffmpeg
def test_a_stream_gone_for_good_ends_the_run_after_the_timeout(
    mjpeg_server: MjpegServer, tmp_path: Path, tiny_model_path: Path
) -> None:
    # given a run with --timeout 2 on a stream
    rec, log = tmp_path / "rec.mp4", tmp_path / "log.jsonl"
    proc = popen_digitcam("run", mjpeg_server.url, "--no-display", "--timeout", "2",
                          "--model", tiny_model_path, "--record", rec, "--log", log,
                          "--no-reload")  # fmt: skip
    try:
        assert wait_for(lambda: log_line_count(log) >= 5, 20)
        # when the server dies and never comes back
        mjpeg_server.kill()
        stdout, stderr, took = finish(proc, 20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
    # then one line says it did not come back within 2 s; it took the timeout (plus one read
    # timeout, 2 s here), not much more; what was written stays valid
    assert_one_line_error((proc.returncode, stderr), "did not come back within 2 s")
    assert took < 2 + 2 + 3
    records = log_records(log)
    assert records
    assert video_frames(rec) == len(records)
    assert "stopped: error" in stdout


@needs_ffmpeg
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_reconnecting_ends_the_run_promptly(
    mjpeg_server: MjpegServer, tmp_path: Path, tiny_model_path: Path, sig: signal.Signals
) -> None:
    # given a run whose stream is down (the source is retrying with backoff)
    log = tmp_path / "log.jsonl"
    proc = popen_digitcam("run", mjpeg_server.url, "--no-display", "--timeout", "30",
                          "--model", tiny_model_path, "--log", log, "--no-reload")  # fmt: skip
    try:
        assert wait_for(lambda: log_line_count(log) >= 3, 20)
        mjpeg_server.kill()
        time.sleep(1.0)
        # when Ctrl-C / SIGTERM arrives
        proc.send_signal(sig)
        stdout, stderr, took = finish(proc, 15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
    # then it stops within 3 s (not after the 30 s timeout), normally, with a valid log
    assert_no_traceback(stderr)
    assert proc.returncode == 0, stderr
    assert took < 3.0
    assert log_records(log)
    assert "stopped: interrupted" in stdout


def test_a_stream_that_never_answers_fails_after_the_timeout(tiny_model_path: Path) -> None:
    # given a URL nothing listens on
    url = f"http://127.0.0.1:{free_port()}/"
    t0 = time.monotonic()
    proc = popen_digitcam("run", url, "--no-display", "--timeout", "1.5",
                          "--model", tiny_model_path)  # fmt: skip
    _, stderr, _ = finish(proc, 20)
    # then one line after about the timeout
    assert_one_line_error((proc.returncode, stderr), "nothing answered within 1.5 s")
    assert time.monotonic() - t0 < 1.5 + 6.0


def test_reopen_attempts_back_off_up_to_the_cap_and_stop_at_the_timeout() -> None:
    # given a source whose device vanishes after the first open and never returns
    attempts: list[float] = []

    class Gone:
        def isOpened(self) -> bool:
            return True

        def read(self):
            return False, None

        def get(self, _prop: int) -> float:
            return 0.0

        def release(self) -> None:
            pass

    def opener():
        attempts.append(time.monotonic())
        return Gone() if len(attempts) == 1 else None

    source = LiveSource(opener, name="flaky", timeout=1.6, backoff=Backoff(0.05, 0.4))
    # when read until it gives up
    t0 = time.monotonic()
    with source, pytest.raises(Exception, match=r"did not come back within 1\.6 s"):
        for _ in source.frames():
            pass
    took = time.monotonic() - t0
    # then the gaps between attempts double from 0.05 s up to the 0.4 s cap (the last one is
    # cut short by the deadline), and it gave up at the timeout, after a bounded number of
    # attempts
    gaps = np.diff(attempts[1:])[:-1]
    assert len(gaps) >= 4
    assert gaps[0] < 0.2
    assert all(later >= earlier * 0.8 for earlier, later in itertools.pairwise(gaps))
    assert max(gaps) < 0.4 + 0.25
    assert len(attempts) <= 2 + int(1.6 / 0.05)
    assert took < 1.6 + 1.0


@needs_ffmpeg
def test_no_thread_is_left_behind_after_a_stream_run(
    mjpeg_server: MjpegServer, tiny_model_path: Path
) -> None:
    # given the `run` command in this process, on a stream
    from typer.testing import CliRunner

    import digitcam.cli  # noqa: F401  (registers the commands)
    from digitcam.cli.app import app

    before = {t.ident for t in threading.enumerate()}
    # when it reads 10 frames and stops
    args = ["run", mjpeg_server.url, "--no-display", "--max-frames", "10",
            "--model", str(tiny_model_path), "--no-reload"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    # then the capture thread is gone (joined on close), and so is every other new thread
    assert result.exit_code == 0, result.output

    def leftover() -> list[str]:
        return [t.name for t in threading.enumerate() if t.ident not in before and t.is_alive()]

    assert wait_for(lambda: not leftover(), 3.0), leftover()


@needs_ffmpeg
def test_the_run_starts_no_child_processes(
    mjpeg_server: MjpegServer, tmp_path: Path, tiny_model_path: Path
) -> None:
    # given a run on a stream with a recording (FFmpeg is a library here, not a process)
    proc = popen_digitcam("run", mjpeg_server.url, "--no-display", "--model", tiny_model_path,
                          "--record", tmp_path / "r.mp4", "--log", tmp_path / "l.jsonl",
                          "--no-reload")  # fmt: skip
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + 4.0
        while time.monotonic() < deadline and proc.poll() is None:
            seen.update(children_of(proc.pid))
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        _, stderr, _ = finish(proc, 10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
    # then it never had a child process, and it ended normally on SIGTERM
    assert seen == set()
    assert proc.returncode == 0, stderr
