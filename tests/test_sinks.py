"""Tests for digitcam.sinks (recorder, reading log) and digitcam.display (the window seam)."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from digitcam.display import Display, KeyAction, NullDisplay, display_available, key_action
from digitcam.errors import InputError
from digitcam.loop import FrameResult
from digitcam.sinks import (
    LOG_FIELDS,
    ReadingLog,
    RecordWhat,
    VideoRecorder,
    log_record,
)
from digitcam.types import Box, Frame, Glyph, Reading


def _result(index: int, *, truth: str | None = None, stable: str | None = None) -> FrameResult:
    image = np.full((60, 80, 3), 40 + index, np.uint8)
    glyph = Glyph(Box(10, 12, 8, 16), str(index % 10), 0.875)
    reading = Reading(index, (str(index % 10),), ((glyph,),))
    annotated = image.copy()
    annotated[:10] = 255
    return FrameResult(
        frame=Frame(index=index, t_capture=1.0, image=image, truth=truth),
        reading=reading,
        annotated=annotated,
        latency_ms=12.34567,
        t=0.5 + index / 10,
        stable=stable,
    )


def _count_frames(path: Path) -> tuple[int, tuple[int, int]]:
    cap = cv2.VideoCapture(str(path))
    n, size = 0, (0, 0)
    while True:
        ok, image = cap.read()
        if not ok:
            break
        n += 1
        size = (image.shape[1], image.shape[0])
    cap.release()
    return n, size


# -- VideoRecorder --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fourccs"),
    [("out.mp4", {"mp4v", "fmp4"}), ("out.avi", {"mjpg"})],  # FFmpeg reports mp4v as FMP4
)
def test_recorder_writes_a_playable_video_of_every_frame(
    tmp_path: Path, name: str, fourccs: set[str]
) -> None:
    # given a recorder for the extension's codec
    path = tmp_path / name
    # when 12 results are written and it is closed
    with VideoRecorder(path, fps=15.0) as recorder:
        for i in range(12):
            recorder.write(_result(i))
    # then OpenCV reads back 12 frames of the same size, in the codec of the extension
    assert recorder.frames_written == 12
    assert _count_frames(path) == (12, (80, 60))
    cap = cv2.VideoCapture(str(path))
    code = int(cap.get(cv2.CAP_PROP_FOURCC))
    cap.release()
    assert code.to_bytes(4, "little").decode().lower() in fourccs


@pytest.mark.parametrize(
    ("what", "top_row_value"), [(RecordWhat.ANNOTATED, 255), (RecordWhat.RAW, 40)]
)
def test_recorder_writes_the_annotated_or_the_raw_image(
    tmp_path: Path, what: RecordWhat, top_row_value: int
) -> None:
    # given a recorder of one kind / when one result is written
    path = tmp_path / "out.avi"
    with VideoRecorder(path, fps=10.0, what=what) as recorder:
        recorder.write(_result(0))
    # then the recorded frame is the annotated (white top) or the raw (gray 40) image
    ok, image = cv2.VideoCapture(str(path)).read()
    assert ok
    assert abs(int(image[2, 40, 0]) - top_row_value) < 12


def test_recorder_resizes_frames_of_another_size_and_converts_gray(tmp_path: Path) -> None:
    # given a recorder that saw a 80x60 frame first
    path = tmp_path / "mixed.avi"
    with VideoRecorder(path, fps=10.0) as recorder:
        recorder.write_image(np.zeros((60, 80, 3), np.uint8))
        # when a larger gray frame follows
        recorder.write_image(np.zeros((120, 160), np.uint8))
    # then both are in the file, at the first size
    assert _count_frames(path) == (2, (80, 60))


@pytest.mark.parametrize(
    ("name", "message"),
    [("out.mkv", "ending in .mp4, .avi"), ("missing/out.mp4", "does not exist")],
)
def test_recorder_rejects_bad_paths_before_writing(tmp_path: Path, name: str, message: str) -> None:
    # given an unknown extension or a missing folder / when a recorder is made / then InputError
    with pytest.raises(InputError, match=message):
        VideoRecorder(tmp_path / name, fps=30.0)


# -- ReadingLog -----------------------------------------------------------------------------


def test_log_record_has_the_documented_fields() -> None:
    # given a frame whose source knows its truth / when made into a log record
    record = log_record(_result(3, truth="3"))
    # then it has frame, t, text, glyphs (as in read --json), latency_ms and truth
    assert record == {
        "frame": 3,
        "t": 0.8,
        "text": "3",
        "glyphs": [{"char": "3", "box": [10, 12, 8, 16], "confidence": 0.875}],
        "latency_ms": 12.346,
        "truth": "3",
    }


@pytest.mark.parametrize(
    ("truth", "stable", "extra_keys"),
    [(None, None, set()), ("7", None, {"truth"}), (None, "42", {"stable"})],
)
def test_log_record_adds_truth_and_stable_only_when_known(
    truth: str | None, stable: str | None, extra_keys: set[str]
) -> None:
    # given results with and without truth / a fused value; when made into records
    keys = set(log_record(_result(1, truth=truth, stable=stable)))
    # then the optional keys appear only when there is a value
    assert keys == {"frame", "t", "text", "glyphs", "latency_ms"} | extra_keys


def test_jsonl_log_is_flushed_line_by_line(tmp_path: Path) -> None:
    # given a JSONL log
    path = tmp_path / "log.jsonl"
    with ReadingLog(path) as log:
        # when 3 results are written (and before the log is closed)
        for i in range(3):
            log.write(_result(i, truth=str(i)))
        lines = path.read_text().splitlines()
    # then the file already holds 3 valid JSON lines, frames 0..2
    assert [json.loads(line)["frame"] for line in lines] == [0, 1, 2]
    assert log.lines_written == 3


def test_csv_log_has_a_header_and_glyphs_as_json(tmp_path: Path) -> None:
    # given a CSV log / when two results are written
    path = tmp_path / "log.csv"
    with ReadingLog(path) as log:
        log.write(_result(0))
        log.write(_result(1, truth="1"))
    # then a header with the documented fields, then one row per result
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == LOG_FIELDS
    assert [r["frame"] for r in rows] == ["0", "1"]
    assert [r["truth"] for r in rows] == ["", "1"]
    assert json.loads(rows[1]["glyphs"])[0]["char"] == "1"


@pytest.mark.parametrize(
    ("name", "message"), [("log.txt", "ending in .jsonl or .csv"), ("no/log.csv", "does not exist")]
)
def test_log_rejects_bad_paths(tmp_path: Path, name: str, message: str) -> None:
    # given a bad log path / when a log is made / then InputError
    with pytest.raises(InputError, match=message):
        ReadingLog(tmp_path / name)


# -- display seam ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "action"),
    [
        (-1, KeyAction.NONE),
        (ord("q"), KeyAction.QUIT),
        (27, KeyAction.QUIT),
        (ord(" "), KeyAction.PAUSE),
        (ord("s"), KeyAction.SNAPSHOT),
        (ord("x"), KeyAction.NONE),
        (0x100000 | ord("q"), KeyAction.QUIT),  # modifier bits from some HighGUI backends
    ],
)
def test_key_action_maps_keys(key: int, action: KeyAction) -> None:
    # given a waitKey code / when mapped / then the documented action
    assert key_action(key) is action


@pytest.mark.parametrize(
    ("env", "platform", "available"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({}, "darwin", True),
        ({}, "win32", True),
    ],
)
def test_display_is_auto_detected(env: dict[str, str], platform: str, available: bool) -> None:
    # given an environment / when asked / then a window is possible only with a display
    assert display_available(env, platform) is available


def test_null_display_never_quits() -> None:
    # given the null display / when shown a result / then the run goes on
    with NullDisplay() as display:
        assert display.show(_result(0)) is True


@pytest.mark.gui
@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display (run under xvfb-run)")
def test_display_shows_frames_and_saves_snapshots(tmp_path: Path) -> None:
    # given a window (under xvfb-run)
    with Display("digitcam test", snapshot_dir=tmp_path) as display:
        # when a result is shown and a snapshot taken
        keep_going = display.show(_result(5))
        path = display.snapshot(_result(5))
    # then the run goes on and the snapshot is the annotated frame
    assert keep_going is True
    assert path == tmp_path / "digitcam-000005.png"
    assert cv2.imread(str(path)).shape == (60, 80, 3)
