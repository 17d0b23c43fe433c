"""Tests for digitcam.sources: parsing SOURCE, paced sources, live sources and a real stream."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from itertools import islice, pairwise
from pathlib import Path

import cv2
import numpy as np
import pytest

from digitcam.errors import InputError
from digitcam.sources import (
    Backoff,
    DemoSource,
    ImageFilesSource,
    LiveSource,
    SourceKind,
    SourceOptions,
    SourceSpec,
    SourceState,
    VideoFileSource,
    image_paths,
    open_source,
    parse_source,
    stream_opener,
)


class FakeClock:
    """A monotonic clock that only moves when slept on."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


# -- parse_source ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "target"),
    [
        ("demo", SourceKind.DEMO, ""),
        ("DEMO", SourceKind.DEMO, ""),
        ("0", SourceKind.CAMERA, "0"),
        ("12", SourceKind.CAMERA, "12"),
        ("rtsp://10.0.0.5:554/live", SourceKind.STREAM, "rtsp://10.0.0.5:554/live"),
        ("http://esp32.local:81/stream", SourceKind.STREAM, "http://esp32.local:81/stream"),
        ("frames/*.png", SourceKind.IMAGES, "frames/*.png"),
        ("meter.jpg", SourceKind.IMAGES, "meter.jpg"),
        ("meter.mp4", SourceKind.VIDEO, "meter.mp4"),
        ("clip.avi", SourceKind.VIDEO, "clip.avi"),
    ],
)
def test_parse_source_names_the_kind(text: str, kind: SourceKind, target: str) -> None:
    # given a SOURCE argument / when parsed
    spec = parse_source(text)
    # then it names the expected kind and target
    assert spec == SourceSpec(kind, target)


def test_parse_source_treats_an_existing_folder_as_images(tmp_path: Path) -> None:
    # given an existing folder / when parsed / then it is a folder of images
    assert parse_source(str(tmp_path)).kind is SourceKind.IMAGES


def test_parse_source_rejects_an_empty_argument() -> None:
    # given an empty SOURCE / when parsed / then a one-line InputError says what was expected
    with pytest.raises(InputError, match="expected a SOURCE"):
        parse_source("  ")


# -- video files ----------------------------------------------------------------------------


def test_video_file_delivers_every_frame_in_order(make_counter_video, tmp_path: Path) -> None:
    # given a 20-frame video
    path = make_counter_video(tmp_path / "c.mp4", 20)
    # when read as fast as possible
    with VideoFileSource(path, fast=True) as source:
        frames = list(source.frames())
        status = source.status()
    # then every frame arrives, indices 0..19, capture times not decreasing, none dropped
    assert [f.index for f in frames] == list(range(20))
    assert all(b.t_capture >= a.t_capture for a, b in pairwise(frames))
    assert frames[0].image.shape == (240, 320, 3)
    assert (status.captured, status.dropped, status.state) == (20, 0, SourceState.ENDED)
    assert source.fps == pytest.approx(30.0)


@pytest.mark.parametrize(("fast", "expected_sleep"), [(False, 9 / 10.0), (True, 0.0)])
def test_video_file_is_paced_at_its_fps_unless_fast(
    make_counter_video, tmp_path: Path, fast: bool, expected_sleep: float
) -> None:
    # given a 10-frame video at 10 fps and a clock that only moves when slept on
    path = make_counter_video(tmp_path / "c.mp4", 10, fps=10.0)
    clock = FakeClock()
    # when all frames are read
    with VideoFileSource(path, fast=fast, clock=clock, sleep=clock.sleep) as source:
        frames = list(source.frames())
    # then the source waited (n-1)/fps in total (or not at all with fast)
    assert len(frames) == 10
    assert sum(clock.slept) == pytest.approx(expected_sleep)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        (b"not a video at all " * 200, "cannot open"),
    ],
)
def test_video_file_errors_are_one_line(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    # given a missing or corrupt video file
    path = tmp_path / "bad.mp4"
    if content is not None:
        path.write_bytes(content)
    # when opened / then InputError with a one-line message
    with pytest.raises(InputError, match=message) as info:
        VideoFileSource(path)
    assert "\n" not in str(info.value)


# -- image folders --------------------------------------------------------------------------


def _write_images(folder: Path, names: list[str]) -> None:
    for i, name in enumerate(names):
        cv2.imwrite(str(folder / name), np.full((40, 60, 3), 10 * i, np.uint8))


def test_image_paths_filters_and_sorts_a_folder(tmp_path: Path) -> None:
    # given images and a non-image file in a folder
    _write_images(tmp_path, ["b.png", "a.jpg", "c.bmp"])
    (tmp_path / "notes.txt").write_text("x")
    # when listed / then only images, sorted by name
    assert [p.name for p in image_paths(str(tmp_path))] == ["a.jpg", "b.png", "c.bmp"]


def test_image_paths_expands_a_glob(tmp_path: Path) -> None:
    # given three pngs / when a glob names two of them / then those two, sorted
    _write_images(tmp_path, ["f1.png", "f2.png", "g.png"])
    assert [p.name for p in image_paths(str(tmp_path / "f*.png"))] == ["f1.png", "f2.png"]


def test_image_paths_with_no_match_is_an_input_error(tmp_path: Path) -> None:
    # given an empty folder / when listed / then InputError
    with pytest.raises(InputError, match="found none"):
        image_paths(str(tmp_path))


def test_image_files_yield_each_image_once_in_order(tmp_path: Path) -> None:
    # given three images
    _write_images(tmp_path, ["1.png", "2.png", "3.png"])
    # when read fast
    with ImageFilesSource(image_paths(str(tmp_path)), fast=True) as source:
        frames = list(source.frames())
    # then three frames, in name order (their gray levels are 0, 10, 20)
    assert [f.index for f in frames] == [0, 1, 2]
    assert [int(f.image[0, 0, 0]) for f in frames] == [0, 10, 20]


def test_an_undecodable_image_is_an_input_error(tmp_path: Path) -> None:
    # given a .png that is not an image
    (tmp_path / "broken.png").write_bytes(b"nope")
    # when read / then InputError naming the file
    with (
        ImageFilesSource(image_paths(str(tmp_path)), fast=True) as source,
        pytest.raises(InputError, match=r"broken\.png"),
    ):
        list(source.frames())


# -- demo -------------------------------------------------------------------------------------


def test_demo_frames_carry_their_truth() -> None:
    # given a demo with a stand-in renderer that shows the frame index
    def render(index: int) -> tuple[np.ndarray, str]:
        return np.full((48, 64, 3), index, np.uint8), str(index)

    # when five frames are taken
    with DemoSource(render=render, fast=True) as source:
        frames = list(islice(source.frames(), 5))
    # then each frame knows the text it shows
    assert [f.truth for f in frames] == ["0", "1", "2", "3", "4"]
    assert [int(f.image[0, 0, 0]) for f in frames] == [0, 1, 2, 3, 4]


def test_the_real_demo_is_seeded_and_sized() -> None:
    # given the synthetic scene (skipped until digitcam.synth exists)
    pytest.importorskip("digitcam.synth", reason="digitcam.synth (the demo scene) not written yet")
    options = SourceOptions(width=640, height=480, fast=True, seed=3)
    # when the same seed is opened twice
    with (
        open_source(SourceSpec(SourceKind.DEMO), options) as a,
        open_source(SourceSpec(SourceKind.DEMO), options) as b,
    ):
        fa, fb = next(iter(a.frames())), next(iter(b.frames()))
    # then the frames are the requested size, identical, and carry a truth
    assert fa.image.shape == (480, 640, 3)
    assert np.array_equal(fa.image, fb.image)
    assert fa.truth == fb.truth
    assert fa.truth


# -- live sources ---------------------------------------------------------------------------


def test_live_source_keeps_only_the_newest_frame_and_counts_drops(
    make_counter_video, tmp_path: Path
) -> None:
    # given a live source whose "device" is a 60-frame video read as fast as it decodes
    path = make_counter_video(tmp_path / "c.mp4", 60)
    source = LiveSource(lambda: cv2.VideoCapture(str(path)), name="fake device", timeout=2.0)
    # when a slow consumer takes 5 frames
    with source:
        frames = []
        for frame in source.frames():
            frames.append(frame)
            time.sleep(0.05)
            if len(frames) == 5:
                break
        status = source.status()
    # then it saw 5 frames with increasing indices, and the skipped ones were counted
    indices = [f.index for f in frames]
    assert indices == sorted(set(indices))
    assert status.dropped > 0
    assert status.captured >= status.dropped + len(frames)


def test_live_source_that_never_opens_fails_within_its_timeout(tmp_path: Path) -> None:
    # given a device that is not there
    missing = str(tmp_path / "no-device.mp4")
    t0 = time.monotonic()
    # when opened with a 0.5 s timeout / then InputError, after about that long
    with pytest.raises(InputError, match=r"nothing answered within 0\.5 s"):
        LiveSource(lambda: cv2.VideoCapture(missing), name="nowhere", timeout=0.5)
    assert time.monotonic() - t0 < 2.0


def test_live_source_reopens_after_a_failure_and_counts_it(
    make_counter_video, tmp_path: Path
) -> None:
    # given a device that delivers 5 frames per opening, then fails its reads
    path = make_counter_video(tmp_path / "c.mp4", 5)
    opened = []

    def opener() -> cv2.VideoCapture:
        opened.append(1)
        return cv2.VideoCapture(str(path))

    source = LiveSource(opener, name="flaky", timeout=2.0, backoff=Backoff(0.01, 0.05))
    # when frames are read past the first failure
    with source:
        for _ in islice(source.frames(), 8):
            time.sleep(0.01)
        status = source.status()
    # then the source was reopened and says so
    assert len(opened) >= 2
    assert status.reconnects >= 1


def test_live_source_that_does_not_come_back_raises_from_frames(
    make_counter_video, tmp_path: Path
) -> None:
    # given a device that opens once, delivers 3 frames, and is then gone
    path = make_counter_video(tmp_path / "c.mp4", 3)
    calls = []

    def opener() -> cv2.VideoCapture:
        calls.append(1)
        return cv2.VideoCapture(str(path) if len(calls) == 1 else str(tmp_path / "gone.mp4"))

    source = LiveSource(opener, name="gone", timeout=0.3, backoff=Backoff(0.05, 0.1))
    # when read until it gives up / then InputError saying it did not come back
    with source, pytest.raises(InputError, match=r"did not come back within 0\.3 s"):
        for _ in source.frames():
            pass
    assert source.status().state is SourceState.ENDED


# -- a real MJPEG stream over HTTP ----------------------------------------------------------

ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs the ffmpeg binary")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MjpegServer:
    """`ffmpeg -listen 1` serving a looping still image as multipart MJPEG over HTTP."""

    def __init__(self, image: Path, port: int) -> None:
        self.image = image
        self.port = port
        self.url = f"http://127.0.0.1:{port}/"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        cmd = [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-loop", "1",
            "-framerate", "20", "-i", str(self.image), "-f", "mpjpeg", "-q:v", "5",
            "-listen", "1", self.url,
        ]  # fmt: skip
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None


@pytest.fixture
def mjpeg_server(tmp_path: Path) -> Iterator[MjpegServer]:
    image = tmp_path / "still.png"
    cv2.imwrite(str(image), np.full((120, 160, 3), 200, np.uint8))
    server = MjpegServer(image, _free_port())
    server.start()
    yield server
    server.stop()


@ffmpeg
def test_mjpeg_stream_is_read_and_resumes_after_the_server_restarts(
    mjpeg_server: MjpegServer,
) -> None:
    # given an MJPEG stream served by ffmpeg on 127.0.0.1
    spec = parse_source(mjpeg_server.url)
    assert spec.kind is SourceKind.STREAM
    with open_source(spec, SourceOptions(timeout=8.0)) as source:
        frames = source.frames()
        # when frames are read
        first = [next(frames) for _ in range(3)]
        # and the server goes away and comes back on the same port
        mjpeg_server.stop()
        time.sleep(0.3)
        mjpeg_server.start()
        t0 = time.monotonic()
        after = [next(frames) for _ in range(3)]
        status = source.status()
    # then frames were read before and after, the source counted one reconnect at least
    assert all(f.image.shape == (120, 160, 3) for f in first + after)
    assert status.reconnects >= 1
    assert after[0].index > first[-1].index
    assert time.monotonic() - t0 < 8.0


def test_stream_that_nothing_serves_is_a_one_line_error() -> None:
    # given a URL on a port nothing listens on
    url = f"http://127.0.0.1:{_free_port()}/"
    # when opened with a short timeout / then InputError naming the URL
    with pytest.raises(InputError, match=r"cannot open http://127\.0\.0\.1") as info:
        LiveSource(stream_opener(url, timeout=0.3), name=url, timeout=0.3)
    assert "\n" not in str(info.value)
