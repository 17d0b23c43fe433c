"""Files: corrupt and truncated images and videos, a video whose frame size changes, folders
of good and bad images, odd path names, read-only folders and a full disk.

The run must end with one clear line (or read what it can and name what it could not), and
what it wrote before a failure must stay valid: a playable video, whole JSON lines.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest
from reliability_helpers import (
    assert_no_traceback,
    assert_one_line_error,
    counter_frame,
    fake_result,
    fill_leaving,
    log_records,
    run_digitcam,
    small_filesystem,
    video_frames,
    write_video,
)

from digitcam.sinks import LOG_RESERVE_BYTES, RECORD_RESERVE_BYTES

# -- corrupt and truncated images ----------------------------------------------------------


def _jpeg(value: int) -> bytes:
    ok, buf = cv2.imencode(".jpg", counter_frame(value))
    assert ok
    return buf.tobytes()


def _png(value: int) -> bytes:
    ok, buf = cv2.imencode(".png", counter_frame(value))
    assert ok
    return buf.tobytes()


def _flip_middle(data: bytes, n: int = 400) -> bytes:
    rng = np.random.default_rng(len(data))
    b = bytearray(data)
    start = len(b) // 3
    b[start : start + n] = rng.integers(0, 256, n, dtype=np.uint8).tobytes()
    return bytes(b)


BAD_IMAGES = {
    "truncated-half.jpg": lambda: _jpeg(1)[: len(_jpeg(1)) // 2],
    "truncated-header.jpg": lambda: _jpeg(2)[:40],
    "truncated-half.png": lambda: _png(3)[: len(_png(3)) // 2],
    "png-signature-only.png": lambda: b"\x89PNG\r\n\x1a\n",
    "png-bad-crc-and-data.png": lambda: _flip_middle(_png(4))[:-30],
    "zero-bytes.jpg": lambda: b"",
    "html-error-page.jpg": lambda: b"<html><body>502 Bad Gateway</body></html>",
    "random-bytes.bmp": lambda: np.random.default_rng(9).bytes(5000),
}


def test_read_names_each_bad_image_and_reads_the_good_ones(tmp_path: Path) -> None:
    # given a good image between truncated, corrupt and fake ones
    good = tmp_path / "good.png"
    good.write_bytes(_png(427))
    bad = []
    for name, make in BAD_IMAGES.items():
        (tmp_path / name).write_bytes(make())
        bad.append(tmp_path / name)
    # when `digitcam read` gets them all
    proc = run_digitcam("read", *bad[:4], good, *bad[4:], timeout=120)
    # then the good one prints, each bad one gets its own error line, exit 1, no traceback
    assert_no_traceback(proc.stderr)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == ["427"] or len(proc.stdout.splitlines()) == 1
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == len(bad), proc.stderr
    for path, line in zip(bad, errors, strict=True):
        assert line.startswith("digitcam: error:")
        assert path.name in line


def test_corrupt_middle_jpeg_reads_or_errors_without_noise(tmp_path: Path) -> None:
    # given a JPEG with garbage in the middle of its scan data (its end marker is intact)
    path = tmp_path / "garbled.jpg"
    path.write_bytes(_flip_middle(_jpeg(5)))
    # when read
    proc = run_digitcam("read", path)
    # then a reading or one error line; libjpeg's own warnings never reach the terminal
    assert_no_traceback(proc.stderr)
    assert proc.returncode in (0, 1)
    assert len(proc.stderr.strip().splitlines()) <= 1, proc.stderr


# -- corrupt and truncated videos ----------------------------------------------------------


@pytest.fixture(scope="module")
def good_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_video(tmp_path_factory.mktemp("video") / "counter.mp4", 60)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("empty", "cannot open"),
        ("first-kib", "cannot open"),
        ("random", "cannot open"),
        ("moov-cut-off", ""),
    ],
)
def test_unplayable_videos_are_one_line_errors(
    good_video: Path, tmp_path: Path, tiny_model_path: Path, damage: str, message: str
) -> None:
    # given a video file damaged beyond opening
    path = tmp_path / f"{damage}.mp4"
    data = good_video.read_bytes()
    path.write_bytes(
        {
            "empty": b"",
            "first-kib": data[:1024],
            "random": np.random.default_rng(1).bytes(50_000),
            "moov-cut-off": data[: len(data) * 2 // 3],
        }[damage]
    )
    # when run / then exit 2 and one line naming the file, no FFmpeg chatter
    proc = run_digitcam("run", path, "--no-display", "--fast", "--model", tiny_model_path)
    line = assert_one_line_error(proc, message)
    assert path.name in line or "no frame decodes" in line


@pytest.mark.parametrize("damage", ["cut-tail", "garbled-middle"])
def test_damaged_but_openable_video_reads_what_decodes(
    tmp_path: Path, tiny_model_path: Path, damage: str
) -> None:
    # given an AVI (index at the end) cut short, or an MP4 with garbage inside its frames
    if damage == "cut-tail":
        src = tmp_path / "src.avi"
        writer = cv2.VideoWriter(str(src), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, (320, 240))
        for i in range(60):
            writer.write(counter_frame(i))
        writer.release()
        path = tmp_path / "cut.avi"
        path.write_bytes(src.read_bytes()[: src.stat().st_size * 2 // 3])
    else:
        src = write_video(tmp_path / "src.mp4", 60)
        path = tmp_path / "garbled.mp4"
        path.write_bytes(_flip_middle(src.read_bytes(), 3000))
    log = tmp_path / "log.jsonl"
    # when run with a log
    proc = run_digitcam(
        "run", path, "--no-display", "--fast", "--model", tiny_model_path, "--log", log
    )
    # then it reads the frames that decode (or says in one line why none do); the log is valid
    assert_no_traceback(proc.stderr)
    assert proc.returncode in (0, 2), proc.stderr
    assert len(proc.stderr.strip().splitlines()) <= 1, proc.stderr
    if proc.returncode == 0:
        records = log_records(log)
        assert records
        assert [r["frame"] for r in records] == list(range(len(records)))


def test_video_whose_frame_size_changes_mid_stream(tmp_path: Path, tiny_model_path: Path) -> None:
    # given an MPEG-TS of 320x240, then 640x360, then 320x240 again (concatenated streams)
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg to build the test video")
    parts = []
    for i, size in enumerate(["320x240", "640x360", "320x240"]):
        part = tmp_path / f"p{i}.ts"
        subprocess.run(
            ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi",
             "-i", f"testsrc=size={size}:rate=30", "-t", "1", "-c:v", "mpeg2video", str(part)],
            check=True, timeout=60,
        )  # fmt: skip
        parts.append(part.read_bytes())
    video = tmp_path / "sizes.ts"
    video.write_bytes(b"".join(parts))
    rec, log = tmp_path / "rec.avi", tmp_path / "log.jsonl"
    # when run with a recording and a log
    proc = run_digitcam("run", video, "--no-display", "--fast", "--model", tiny_model_path,
                        "--record", rec, "--log", log, timeout=120)  # fmt: skip
    # then every frame that decodes is logged and recorded at one size, exit 0
    assert_no_traceback(proc.stderr)
    assert proc.returncode == 0, proc.stderr
    records = log_records(log)
    assert len(records) >= 80
    assert video_frames(rec) == len(records)


def test_image_folder_of_mixed_sizes_and_kinds_is_recorded_whole(
    tmp_path: Path, tiny_model_path: Path
) -> None:
    # given images of four sizes, gray and with alpha
    folder = tmp_path / "imgs"
    folder.mkdir()
    for i, (w, h) in enumerate([(320, 240), (640, 480), (160, 120), (1280, 720)]):
        img = counter_frame(i, (w, h))
        if i == 1:
            img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
        if i == 2:
            img = cv2.cvtColor(img, cv2.COLOR_BGR2BGRA)
        cv2.imwrite(str(folder / f"{i}.png"), img)
    rec, log = tmp_path / "rec.mp4", tmp_path / "log.jsonl"
    # when run with a recording
    proc = run_digitcam("run", folder, "--no-display", "--fast", "--model", tiny_model_path,
                        "--record", rec, "--log", log)  # fmt: skip
    # then four frames logged and recorded
    assert proc.returncode == 0, proc.stderr
    assert len(log_records(log)) == 4
    assert video_frames(rec) == 4


# -- folders of good and bad images --------------------------------------------------------


def test_run_on_a_mixed_folder_reads_the_good_and_names_the_bad(
    tmp_path: Path, tiny_model_path: Path
) -> None:
    # given 5 good images with 4 bad ones among them
    folder = tmp_path / "mixed"
    folder.mkdir()
    for i in range(5):
        (folder / f"{i}-good.png").write_bytes(_png(100 + i))
    bad = ["1-trunc.jpg", "2-empty.png", "3-text.png", "4-trunc.png"]
    (folder / bad[0]).write_bytes(_jpeg(7)[:2000])
    (folder / bad[1]).write_bytes(b"")
    (folder / bad[2]).write_text("not an image")
    (folder / bad[3]).write_bytes(_png(8)[:300])
    log, rec = tmp_path / "log.jsonl", tmp_path / "rec.mp4"
    # when run on the folder
    proc = run_digitcam("run", folder, "--no-display", "--fast", "--model", tiny_model_path,
                        "--log", log, "--record", rec)  # fmt: skip
    # then the 5 good ones are read in order and recorded, each bad one named, exit 1
    assert_no_traceback(proc.stderr)
    assert proc.returncode == 1, proc.stderr
    records = log_records(log)
    assert [r["frame"] for r in records] == [0, 1, 2, 3, 4]
    assert [r["text"] for r in records] == ["100", "101", "102", "103", "104"]
    assert video_frames(rec) == 5
    notes = proc.stderr.strip().splitlines()
    assert len(notes) == 4, proc.stderr
    for name, line in zip(bad, notes, strict=True):
        assert line.startswith("digitcam: skipped")
        assert name in line
    assert "skipped 4 unreadable" in proc.stdout


def test_run_on_a_folder_of_only_bad_images_is_one_error(
    tmp_path: Path, tiny_model_path: Path
) -> None:
    # given a folder whose every image is broken
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.png").write_bytes(b"nope")
    (folder / "b.jpg").write_bytes(_jpeg(1)[:100])
    # when run
    proc = run_digitcam("run", folder, "--no-display", "--fast", "--model", tiny_model_path)
    # then the two are named and the run ends with one error line, exit 2
    assert_no_traceback(proc.stderr)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 3, proc.stderr
    assert lines[-1].startswith("digitcam: error: none of the 2 files")


# -- odd path names --------------------------------------------------------------------------

ODD_NAMES = ["with  two spaces", "zählerstände メーター 読み", "-leading-dash emoji 📷"]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_paths_with_spaces_and_non_ascii_names(
    tmp_path: Path, tiny_model_path: Path, name: str
) -> None:
    # given a folder, image, video and outputs all named with spaces / non-ASCII characters
    folder = tmp_path / name
    folder.mkdir()
    image = folder / f"{name}.png"
    image.write_bytes(_png(314))
    video = write_video(folder / f"{name}.mp4", 20)
    out = folder / f"out {name}"
    out.mkdir()
    rec, log = out / f"{name}.mp4", out / f"{name}.jsonl"
    # when read and run (paths after `--` so a leading dash is not an option)
    read = run_digitcam("read", "--model", tiny_model_path, "--", image)
    ran = run_digitcam("run", "--no-display", "--fast", "--model", tiny_model_path,
                       "--record", rec, "--log", log, "--", video)  # fmt: skip
    folder_run = run_digitcam("run", "--no-display", "--fast", "--model", tiny_model_path,
                              "--", folder)  # fmt: skip
    # then all work: the image reads, the video is recorded and logged
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip() == "314"
    assert ran.returncode == 0, ran.stderr
    assert len(log_records(log)) == 20
    assert video_frames(rec) == 20
    assert folder_run.returncode == 0, folder_run.stderr
    assert "1 frames" in folder_run.stdout


# -- read-only output folders -------------------------------------------------------------


@pytest.mark.parametrize(
    ("output", "what"),
    [("--log", "log"), ("--record", "recording"), ("--record-raw", "recording")],
)
def test_run_into_a_read_only_folder_fails_before_reading(
    read_only_dir: Path, tmp_path: Path, tiny_model_path: Path, output: str, what: str
) -> None:
    # given a video and a read-only folder for an output
    video = write_video(tmp_path / "v.mp4", 10)
    target = read_only_dir / ("out.jsonl" if output == "--log" else "out.mp4")
    # when run
    proc = run_digitcam("run", video, "--no-display", "--fast", "--model", tiny_model_path,
                        output, target)  # fmt: skip
    # then one line naming the output and the reason, before any frame is read
    line = assert_one_line_error(proc, f"cannot write the {what}")
    assert "read-only" in line.lower() or "permission" in line.lower()
    assert "frames from" not in proc.stdout


def test_read_and_dataset_and_train_into_a_read_only_folder(
    read_only_dir: Path, tmp_path: Path, tiny_model_path: Path
) -> None:
    # given an image, a small dataset, and a read-only folder
    image = tmp_path / "i.png"
    image.write_bytes(_png(271))
    folders = tmp_path / "classes"
    for digit in "0123456789":
        (folders / digit).mkdir(parents=True)
        for k in range(3):
            img = np.zeros((28, 20), np.uint8)
            cv2.putText(img, digit, (2, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.8 + 0.1 * k, 255, 2)
            cv2.imwrite(str(folders / digit / f"{k}.png"), img)
    ds = tmp_path / "ds.npz"
    made = run_digitcam("dataset", "import", folders, "--format", "folders", "--out", ds)
    assert made.returncode == 0, made.stderr
    # when each command writes into the read-only folder
    read = run_digitcam("read", image, "--model", tiny_model_path, "--annotate", read_only_dir)
    imported = run_digitcam("dataset", "import", folders, "--format", "folders",
                            "--out", read_only_dir / "ds.npz")  # fmt: skip
    trained = run_digitcam("train", ds, "--out", read_only_dir / "m.npz", timeout=120)
    # then each says so in one line before reading anything, no traceback
    assert_one_line_error(read, "cannot write the annotated images")
    assert read.stdout == ""
    assert_one_line_error(imported, "cannot write the dataset")
    assert_one_line_error(trained, "cannot write the model")


# -- a full disk ---------------------------------------------------------------------------


def test_full_disk_while_recording_stops_cleanly_and_keeps_what_was_written(
    tmp_path: Path, tiny_model_path: Path
) -> None:
    # given a noisy 640x480 video (~60 kB per recorded frame) and a 3 MiB filesystem
    video = write_video(tmp_path / "noisy.mp4", 200, size=(640, 480), noise=40)
    with small_filesystem(tmp_path / "small", 3 * 1024) as small:
        rec, log = small / "rec.mp4", small / "log.jsonl"
        # when recording and logging onto it until it fills
        proc = run_digitcam("run", video, "--no-display", "--fast", "--model", tiny_model_path,
                            "--record", rec, "--log", log, timeout=120)  # fmt: skip
        # then one line says the disk is full; the video plays every frame written, the log
        # holds whole lines only, one per recorded frame
        assert_one_line_error(proc, "disk full")
        records = log_records(log)
        assert 0 < len(records) < 200
        assert [r["frame"] for r in records] == list(range(len(records)))
        assert video_frames(rec) == len(records)
        assert shutil.disk_usage(small).free > 0


def test_full_disk_while_logging_keeps_whole_lines(tmp_path: Path, tiny_model_path: Path) -> None:
    # given a filesystem with a little more than the log's reserve free
    video = write_video(tmp_path / "v.mp4", 2000, size=(160, 120))
    with small_filesystem(tmp_path / "small", 1024) as small:
        fill_leaving(small, LOG_RESERVE_BYTES + 40_000)
        log = small / "log.csv"
        # when a CSV log is written until the space runs out
        proc = run_digitcam("run", video, "--no-display", "--fast", "--model", tiny_model_path,
                            "--log", log, timeout=180)  # fmt: skip
        # then one line says the disk is full, and the CSV is a header plus whole rows
        assert_one_line_error(proc, "disk full")
        import csv

        with log.open(newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert 0 < len(rows) < 2000
        assert [int(r["frame"]) for r in rows] == list(range(len(rows)))
        assert log.read_bytes().endswith(b"\n")


def test_no_space_at_all_fails_before_reading(tmp_path: Path, tiny_model_path: Path) -> None:
    # given a filesystem that is already full
    video = write_video(tmp_path / "v.mp4", 10)
    with small_filesystem(tmp_path / "small", 512) as small:
        fill_leaving(small, 0)
        # when recording onto it / then one line, nothing read
        proc = run_digitcam("run", video, "--no-display", "--fast", "--model", tiny_model_path,
                            "--record", small / "r.mp4")  # fmt: skip
        line = assert_one_line_error(proc, "cannot write the recording")
        assert "disk is full" in line
        assert "frames from" not in proc.stdout


def test_log_write_failure_cuts_back_to_the_last_whole_line(tmp_path: Path, monkeypatch) -> None:
    # given a log that has written two lines, and a write that fails half-way (ENOSPC)
    import errno
    import io

    from digitcam.errors import InputError
    from digitcam.sinks import ReadingLog

    log = ReadingLog(tmp_path / "l.jsonl")
    log.write(fake_result(0))
    log.write(fake_result(1))
    real_write = io.FileIO.write

    def half_then_enospc(self, data):  # writes part of the line, then the disk is full
        real_write(self, bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(log, "_file", _Wrapper(log._file, half_then_enospc))
    # when the third line is written / then InputError, and the file holds two whole lines
    with pytest.raises(InputError, match=r"disk is full.*2 lines written before are kept"):
        log.write(fake_result(2))
    log.close()
    assert [r["frame"] for r in log_records(tmp_path / "l.jsonl")] == [0, 1]


class _Wrapper:
    """A raw file whose `write` is replaced; everything else passes through."""

    def __init__(self, raw, write) -> None:
        self._raw, self._write = raw, write

    def write(self, data):
        return self._write(self._raw, data)

    def __getattr__(self, name):
        return getattr(self._raw, name)


def test_record_reserve_constants_are_sane() -> None:
    # the reserves the tests above rely on: recording keeps 1 MiB, the log 64 KiB
    assert RECORD_RESERVE_BYTES >= 512 * 1024
    assert 4096 <= LOG_RESERVE_BYTES < RECORD_RESERVE_BYTES
