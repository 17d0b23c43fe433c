"""Signals and shutdown: SIGINT, SIGTERM, a second Ctrl-C, the window closed by the user.

Each ends the run within a couple of seconds with no traceback; the recording plays every
logged frame and the log holds whole lines only. A second signal during shutdown may end the
process with 130 (or by the signal, once the files are closed) but never cuts a file short.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from reliability_helpers import (
    assert_no_traceback,
    finish,
    log_line_count,
    log_records,
    popen_digitcam,
    video_frames,
    wait_for,
    write_video,
)

from digitcam.cli.run import Interrupts, _FrameSinks
from digitcam.loop import StopReason, run
from digitcam.types import Frame, Reading


@pytest.fixture(scope="module")
def paced_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 10 s counter video, played at its own 30 fps (so a run lasts long enough)."""
    return write_video(tmp_path_factory.mktemp("sig") / "paced.mp4", 300)


SEQUENCES = {
    "SIGINT": [signal.SIGINT],
    "SIGTERM": [signal.SIGTERM],
    "double-ctrl-c": [signal.SIGINT, signal.SIGINT],
    "double-ctrl-c-20ms": [signal.SIGINT, ("sleep", 0.02), signal.SIGINT],
    "SIGTERM-then-ctrl-c": [signal.SIGTERM, signal.SIGINT],
    "ctrl-c-then-SIGTERM-5ms": [signal.SIGINT, ("sleep", 0.005), signal.SIGTERM],
    "triple-ctrl-c": [signal.SIGINT, signal.SIGINT, signal.SIGINT],
}


@pytest.mark.parametrize("name", list(SEQUENCES))
def test_signals_end_the_run_promptly_and_keep_the_files_whole(
    paced_video: Path, tmp_path: Path, tiny_model_path: Path, name: str
) -> None:
    # given a run recording and logging a video at its own pace
    rec, log = tmp_path / "rec.mp4", tmp_path / "log.jsonl"
    proc = popen_digitcam("run", paced_video, "--no-display", "--model", tiny_model_path,
                          "--record", rec, "--log", log, "--no-reload")  # fmt: skip
    try:
        assert wait_for(lambda: log_line_count(log) >= 10, 30), "the run never got going"
        # when the signals arrive
        for sig in SEQUENCES[name]:
            if isinstance(sig, tuple):
                time.sleep(sig[1])
            else:
                proc.send_signal(sig)
        stdout, stderr, took = finish(proc, 15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
    # then it ends within 2 s without a traceback; one signal is a normal stop (exit 0), more
    # may end it as interrupted once the files are closed; the files are whole and in step
    assert_no_traceback(stderr)
    assert took < 2.0
    if len([s for s in SEQUENCES[name] if not isinstance(s, tuple)]) == 1:
        assert proc.returncode == 0, stderr
        assert "stopped: interrupted" in stdout
    else:
        assert proc.returncode in (0, 130, -signal.SIGINT, -signal.SIGTERM), stderr
    records = log_records(log)
    assert 10 <= len(records) < 300
    assert [r["frame"] for r in records] == list(range(len(records)))
    assert video_frames(rec) == len(records)


def test_a_signal_during_a_frames_writes_lets_that_frame_reach_every_sink() -> None:
    # given the run command's interrupt handling around two sinks, and a signal that arrives
    # while the first sink writes frame 3
    interrupts = Interrupts()
    got: dict[str, list[int]] = {"first": [], "second": []}

    class Sink:
        def __init__(self, name: str) -> None:
            self.name = name

        def write(self, result) -> None:
            got[self.name].append(result.frame.index)
            if self.name == "first" and result.frame.index == 3:
                interrupts.handler(signal.SIGINT, None)

    class Source:
        name, fps, live = "frames", 30.0, False

        def frames(self):
            for i in range(100):
                yield Frame(index=i, t_capture=time.monotonic(), image=None)  # type: ignore[arg-type]

        def status(self):
            from digitcam.sources import SourceStatus

            return SourceStatus()

    # when the loop runs
    summary = run(
        Source(),
        lambda f: Reading(f.index, (), ()),
        sinks=[_FrameSinks([Sink("first"), Sink("second")], interrupts)],
        stop=interrupts.stop_requested,
    )
    # then frame 3 reached both sinks, the run stopped right after it, as interrupted
    assert got == {"first": [0, 1, 2, 3], "second": [0, 1, 2, 3]}
    assert summary.reason is StopReason.INTERRUPTED
    assert summary.frames == 4


def test_a_second_signal_while_finishing_is_noted_not_raised() -> None:
    # given a run that has stopped and is closing its files
    interrupts = Interrupts()
    with pytest.raises(KeyboardInterrupt):
        interrupts.handler(signal.SIGINT, None)
    # when more signals arrive / then none raises
    interrupts.handler(signal.SIGINT, None)
    interrupts.disarm()
    interrupts.handler(signal.SIGTERM, None)
    assert interrupts.late == 2


# -- the window closed by the user ------------------------------------------------------


class _ClientMessage(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p), ("window", ctypes.c_ulong),
        ("message_type", ctypes.c_ulong), ("format", ctypes.c_int), ("l", ctypes.c_long * 5),
    ]  # fmt: skip


class _XEvent(ctypes.Union):
    _fields_ = [("xclient", _ClientMessage), ("pad", ctypes.c_long * 24)]


def send_wm_delete(display: str, window: int) -> None:
    """What a window manager's close button does: a WM_DELETE_WINDOW client message."""
    name = ctypes.util.find_library("X11")
    if name is None:
        pytest.skip("needs libX11 to send the close request")
    x = ctypes.cdll.LoadLibrary(name)
    x.XOpenDisplay.restype = ctypes.c_void_p
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XInternAtom.restype = ctypes.c_ulong
    x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long,
                             ctypes.POINTER(_XEvent)]  # fmt: skip
    x.XFlush.argtypes = [ctypes.c_void_p]
    x.XCloseDisplay.argtypes = [ctypes.c_void_p]
    d = x.XOpenDisplay(display.encode())
    assert d, f"cannot open X display {display}"
    try:
        ev = _XEvent()
        ev.xclient.type = 33  # ClientMessage
        ev.xclient.window = window
        ev.xclient.message_type = x.XInternAtom(d, b"WM_PROTOCOLS", 0)
        ev.xclient.format = 32
        ev.xclient.l[0] = x.XInternAtom(d, b"WM_DELETE_WINDOW", 0)
        x.XSendEvent(d, window, 0, 0, ctypes.byref(ev))
        x.XFlush(d)
    finally:
        x.XCloseDisplay(d)


@pytest.mark.gui
def test_closing_the_window_ends_the_run_normally(
    xserver: str, paced_video: Path, tmp_path: Path, tiny_model_path: Path
) -> None:
    # given a run showing its window on our own X server, recording and logging
    rec, log = tmp_path / "rec.mp4", tmp_path / "log.jsonl"
    proc = popen_digitcam("run", paced_video, "--display", "--model", tiny_model_path,
                          "--record", rec, "--log", log, "--no-reload",
                          DISPLAY=xserver)  # fmt: skip
    try:
        assert wait_for(lambda: log_line_count(log) >= 10, 30)
        xenv = dict(os.environ, DISPLAY=xserver)
        found = subprocess.run(["xdotool", "search", "--name", "digitcam"],
                               capture_output=True, text=True, env=xenv, timeout=10)  # fmt: skip
        windows = [int(w) for w in found.stdout.split()]
        assert windows, "the window did not appear"
        # when the user closes it (the window manager's close request)
        for w in windows:
            send_wm_delete(xserver, w)
        stdout, stderr, took = finish(proc, 15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
    # then the run stops as "quit", exit 0, within 2 s, files whole
    assert_no_traceback(stderr)
    assert proc.returncode == 0, stderr
    assert took < 2.0
    assert "stopped: quit" in stdout
    records = log_records(log)
    assert video_frames(rec) == len(records)


def test_sigkill_leaves_a_whole_log_and_a_playable_avi(
    paced_video: Path, tmp_path: Path, tiny_model_path: Path
) -> None:
    # given a run recording to AVI (MJPG: no index needed to play) and logging
    rec, log = tmp_path / "rec.avi", tmp_path / "log.jsonl"
    proc = popen_digitcam("run", paced_video, "--no-display", "--model", tiny_model_path,
                          "--record", rec, "--log", log, "--no-reload")  # fmt: skip
    try:
        assert wait_for(lambda: log_line_count(log) >= 20, 30)
        # when it is killed outright (no handler runs: like a power cut of the process)
        proc.kill()
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    # then the log is whole lines (each is one unbuffered write), and the AVI plays all but
    # the last few frames still in the writer's buffer (an MP4 would not play at all: its
    # index is written on close; record to .avi where hard kills are likely)
    records = log_records(log)
    assert [r["frame"] for r in records] == list(range(len(records)))
    assert video_frames(rec) >= len(records) - 30
