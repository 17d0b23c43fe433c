"""Helpers for the reliability suite (imported by its tests and conftest.py): the real command
in a subprocess with a timeout, small and read-only filesystems, a loopback MJPEG server, an
X server, and output checks.

Every helper is bounded: subprocesses get timeouts, polls have deadlines, servers are killed
in `finally`. Nothing here can hang the suite.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

import digitcam

SRC = str(Path(digitcam.__file__).resolve().parents[1])


def env(**extra: str) -> dict[str, str]:
    """The environment for `python -m digitcam`: this checkout first, no window."""
    e = dict(os.environ)
    e["PYTHONPATH"] = os.pathsep.join(p for p in (SRC, e.get("PYTHONPATH")) if p)
    e.pop("DISPLAY", None)
    e.pop("WAYLAND_DISPLAY", None)
    e.update(extra)
    return e


def digitcam_cmd(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "digitcam", *map(str, args)]


def run_digitcam(
    *args: str | Path, timeout: float = 60.0, cwd: Path | None = None, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    """Runs the real command; a hang fails the test at `timeout` (the process is killed)."""
    return subprocess.run(
        digitcam_cmd(*args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env(**extra_env),
        cwd=cwd,
    )


def popen_digitcam(*args: str | Path, **extra_env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        digitcam_cmd(*args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(**extra_env),
    )


def finish(proc: subprocess.Popen[str], timeout: float) -> tuple[str, str, float]:
    """(stdout, stderr, seconds it took) — kills the process if it outlives `timeout`."""
    t0 = time.monotonic()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate(timeout=10)
        pytest.fail(f"still running {timeout:g} s later (killed); stderr: {err[-2000:]}")
    return out, err, time.monotonic() - t0


def assert_no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert "Error:" not in stderr.replace("digitcam: error:", ""), stderr


def assert_one_line_error(
    proc: subprocess.CompletedProcess[str] | tuple[int, str], match: str, *, code: int = 2
) -> str:
    """Exit `code`, and stderr is one `digitcam: error:` line containing `match`."""
    rc, stderr = (proc.returncode, proc.stderr) if hasattr(proc, "returncode") else proc
    assert_no_traceback(stderr)
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    assert rc == code, stderr
    assert len(lines) == 1, stderr
    assert lines[0].startswith("digitcam: error:"), lines[0]
    assert match in lines[0], lines[0]
    return lines[0]


def wait_for(predicate: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


# -- output checks ------------------------------------------------------------------------


def video_frames(path: Path) -> int:
    """Frames that decode from `path` (0 when it does not open: an unplayable file)."""
    cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    n = 0
    try:
        while cap.isOpened() and n < 1_000_000:
            ok, _ = cap.read()
            if not ok:
                break
            n += 1
    finally:
        cap.release()
    return n


def log_records(path: Path) -> list[dict]:
    """Every line of a JSONL log parsed; a partial or corrupt line fails the test."""
    data = path.read_bytes()
    assert not data or data.endswith(b"\n"), f"{path} ends in half a line: {data[-80:]!r}"
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def log_line_count(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def line_count_when_steady(path: Path, timeout: float = 20.0) -> int:
    """Waits until the log has at least one line."""
    wait_for(lambda: log_line_count(path) > 0, timeout)
    return log_line_count(path)


# -- small and read-only filesystems -----------------------------------------------------


def _mount(args: list[str]) -> str | None:
    """Runs mount (directly as root, else through passwordless sudo); None when it worked."""
    cmd = ["mount", *args]
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            return "not root and no sudo"
        cmd = ["sudo", "-n", *cmd]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    return None if proc.returncode == 0 else (proc.stderr.strip() or f"exit {proc.returncode}")


def _umount(path: Path) -> None:
    cmd = ["umount", "-l", str(path)]
    if os.geteuid() != 0:
        cmd = ["sudo", "-n", *cmd]
    subprocess.run(cmd, capture_output=True, timeout=20, check=False)


@contextlib.contextmanager
def small_filesystem(where: Path, size_kib: int, *, read_only: bool = False) -> Iterator[Path]:
    """A tmpfs of `size_kib` mounted at `where` (read-only if asked), or a loop-mounted ext2
    image when tmpfs cannot be mounted; skips the test, saying why, when neither works."""
    where.mkdir(parents=True, exist_ok=True)
    opts = f"size={size_kib}k,mode=1777" + (",ro" if read_only else "")
    why = _mount(["-t", "tmpfs", "-o", opts, "tmpfs", str(where)])
    if why is not None:
        image = where.with_suffix(".img")
        with open(image, "wb") as fh:
            fh.truncate(size_kib * 1024)
        mkfs = shutil.which("mkfs.ext2") or "/sbin/mkfs.ext2"
        made = (
            subprocess.run(
                [mkfs, "-q", "-F", "-m", "0", str(image)], capture_output=True, timeout=30
            )
            if Path(mkfs).exists()
            else None
        )
        loop_why = (
            _mount(["-o", "loop" + (",ro" if read_only else ""), str(image), str(where)])
            if made is not None and made.returncode == 0
            else "no mkfs.ext2"
        )
        if loop_why is not None:
            pytest.skip(
                f"needs a small filesystem: mounting a tmpfs failed ({why}) and a loop-mounted "
                f"ext2 image failed ({loop_why}); run as root (as .ci/run does)"
            )
    try:
        yield where
    finally:
        _umount(where)


def fill_leaving(folder: Path, free_bytes: int) -> None:
    """Fills `folder`'s filesystem with a file until about `free_bytes` remain."""
    free = shutil.disk_usage(folder).free
    size = max(0, free - free_bytes)
    with open(folder / "filler.bin", "wb") as fh:
        chunk = b"\0" * (1 << 16)
        while size > 0:
            n = min(size, len(chunk))
            fh.write(chunk[:n])
            size -= n


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder no one can write to: a read-only mount (root ignores file permissions)."""
    if os.geteuid() != 0:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o555)
        yield ro
        ro.chmod(0o755)
        return
    with small_filesystem(tmp_path / "ro", 256, read_only=True) as ro:
        yield ro


# -- test media ----------------------------------------------------------------------------


def counter_frame(value: int, size: tuple[int, int] = (320, 240), noise: int = 0) -> np.ndarray:
    """HxWx3 BGR uint8: `value` as three dark digits on a light card (as tests/conftest.py
    draws them), with uniform noise of amplitude `noise` when asked."""
    w, h = size
    img = np.full((h, w, 3), 225, np.uint8)
    scale = h / 80.0
    cv2.putText(img, f"{value:03d}", (w // 8, int(h * 0.65)), cv2.FONT_HERSHEY_SIMPLEX,
                scale, (20, 20, 20), max(2, int(scale * 2)), cv2.LINE_AA)  # fmt: skip
    if noise:
        rng = np.random.default_rng(value)
        img = cv2.add(img, rng.integers(0, noise, img.shape, dtype=np.uint8))
    return img


def write_video(
    path: Path, frames: int, *, size: tuple[int, int] = (320, 240), fps: float = 30.0,
    noise: int = 0,
) -> Path:  # fmt: skip
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    assert writer.isOpened(), f"cannot write {path}"
    for i in range(frames):
        writer.write(counter_frame(i, size, noise))
    writer.release()
    return path


def fake_result(index: int, text: str = "42"):
    """A `FrameResult` for sink tests: a 40x30 frame reading `text`, no glyphs."""
    from digitcam.loop import FrameResult
    from digitcam.types import Frame, Reading

    frame = Frame(index=index, t_capture=0.0, image=np.zeros((30, 40, 3), np.uint8))
    reading = Reading(index, (text,), ((),))
    return FrameResult(frame=frame, reading=reading, annotated=None, latency_ms=1.0, t=0.1)


# -- a loopback MJPEG server -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MjpegServer:
    """`ffmpeg -listen 1` serving a looping image as multipart MJPEG over HTTP on 127.0.0.1.

    `kill()` is a crash (SIGKILL: the socket resets mid-frame), `start()` brings it back on
    the same port.
    """

    def __init__(self, image: Path, port: int, fps: int = 20) -> None:
        self.image = image
        self.port = port
        self.fps = fps
        self.url = f"http://127.0.0.1:{port}/"
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        cmd = [
            "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-re", "-loop", "1",
            "-framerate", str(self.fps), "-i", str(self.image), "-f", "mpjpeg", "-q:v", "5",
            "-listen", "1", self.url,
        ]  # fmt: skip
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.starts += 1

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(5)
        self.proc = None


needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


@pytest.fixture
def mjpeg_server(tmp_path: Path) -> Iterator[MjpegServer]:
    image = tmp_path / "meter.png"
    cv2.imwrite(str(image), counter_frame(427, (320, 240)))
    server = MjpegServer(image, free_port())
    server.start()
    try:
        yield server
    finally:
        server.kill()


# -- an X server of our own ------------------------------------------------------------------


@pytest.fixture
def xserver() -> Iterator[str]:
    """Starts Xvfb on a free display number (so the window tests run in CI without
    xvfb-run); yields the DISPLAY value."""
    if shutil.which("Xvfb") is None or shutil.which("xdotool") is None:
        pytest.skip("needs Xvfb and xdotool")
    for n in range(91, 140):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            break
    else:
        pytest.skip("no free X display number")
    proc = subprocess.Popen(
        ["Xvfb", f":{n}", "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not wait_for(lambda: Path(f"/tmp/.X11-unix/X{n}").exists(), 10):
            pytest.skip("Xvfb did not start")
        yield f":{n}"
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()


def children_of(pid: int) -> list[int]:
    """PIDs of the live children of `pid` (Linux /proc), [] elsewhere."""
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            kids += [int(k) for k in (task / "children").read_text().split()]
    return kids


__all__ = [
    "MjpegServer",
    "assert_no_traceback",
    "assert_one_line_error",
    "children_of",
    "counter_frame",
    "digitcam_cmd",
    "env",
    "fake_result",
    "fill_leaving",
    "finish",
    "free_port",
    "log_line_count",
    "log_records",
    "needs_ffmpeg",
    "popen_digitcam",
    "run_digitcam",
    "small_filesystem",
    "video_frames",
    "wait_for",
    "write_video",
]
