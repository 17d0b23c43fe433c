"""Where results go: an annotated or raw video recording, and a reading log (JSONL or CSV).

Each sink is a context manager with `write(result)`; closing it finalizes the file (the video
trailer is written, the log flushed and closed), so a run that ends by an error or a signal
still leaves playable, valid files. Formats are chosen by the file extension.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import shutil
import tempfile
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import cv2
import numpy as np
from numpy.typing import NDArray

from digitcam.closing import Closing
from digitcam.errors import InputError

if TYPE_CHECKING:
    from digitcam.loop import FrameResult

#: Video container by extension → FourCC of the codec OpenCV writes into it.
VIDEO_CODECS = {".mp4": "mp4v", ".avi": "MJPG"}

#: Fields of a log line, in CSV column order (`truth` only when the source knows it).
LOG_FIELDS = ("frame", "t", "text", "glyphs", "latency_ms", "truth")

#: Free space a recorder keeps on its drive so that the video's index (written when the
#: file is closed) always fits: recording stops with an error below this, plus a margin
#: that grows with the frames written. Without it a full disk leaves an unplayable file.
RECORD_RESERVE_BYTES = 1 << 20
#: Free space the reading log keeps (a few lines' worth, and the final flush).
LOG_RESERVE_BYTES = 64 << 10


class LogFormat(str, Enum):
    JSONL = "jsonl"
    CSV = "csv"


class RecordWhat(str, Enum):
    """Which image of a result a recorder writes."""

    ANNOTATED = "annotated"
    RAW = "raw"


def _check_parent(path: Path, what: str, reserve: int = 0) -> None:
    if not path.parent.is_dir():
        raise InputError(f"cannot write the {what} to {path}: folder {path.parent} does not exist")
    check_writable(path, what, reserve=reserve)


def check_writable(path: Path, what: str = "output", *, reserve: int = 0) -> None:
    """Fail early, in one line, when `path`'s folder cannot take a new file.

    Creates (and removes) a temporary file there, which also catches read-only mounts where
    a permission check alone would pass (for root, say), and wants `reserve` bytes free.

    Raises:
        InputError: the folder is missing, read-only, full, or not ours to write.
    """
    folder = path.parent
    if not folder.is_dir():
        raise InputError(f"cannot write the {what} to {path}: folder {folder} does not exist")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise InputError(f"cannot write the {what} to {path}: {_why(exc)}") from None
    free = _free_bytes(folder)
    if free is not None and free < reserve:
        raise InputError(
            f"cannot write the {what} to {path}: the disk is full ({free // 1024} KiB free, "
            f"needs at least {reserve // 1024} KiB)"
        )


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full (no space left on device)"
    return exc.strerror or str(exc)


def _free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def video_fourcc(path: Path) -> str:
    """The FourCC to write `path` with, from its extension.

    Raises:
        InputError: for an extension other than those in `VIDEO_CODECS`.
    """
    ext = path.suffix.lower()
    if ext not in VIDEO_CODECS:
        known = ", ".join(VIDEO_CODECS)
        raise InputError(f"expected a recording path ending in {known}, got {path}")
    return VIDEO_CODECS[ext]


def log_format(path: Path) -> LogFormat:
    """JSONL for `.jsonl` (or `.json`), CSV for `.csv`.

    Raises:
        InputError: for any other extension.
    """
    ext = path.suffix.lower()
    if ext in (".jsonl", ".json", ".ndjson"):
        return LogFormat.JSONL
    if ext == ".csv":
        return LogFormat.CSV
    raise InputError(f"expected a log path ending in .jsonl or .csv, got {path}")


class VideoRecorder(Closing):
    """Writes one image per result into a video file.

    The writer opens on the first frame (its size sets the video's size; later frames of
    another size are resized to it; gray frames become BGR).

    Args:
        path: `.mp4` (mp4v) or `.avi` (MJPG).
        fps: the rate written into the file (normally the source's).
        what: the annotated image or the raw frame.

    Raises:
        InputError: for an unknown extension, a missing folder, or a writer OpenCV cannot open.
    """

    def __init__(
        self, path: str | Path, fps: float, *, what: RecordWhat = RecordWhat.ANNOTATED
    ) -> None:
        self.path = Path(path)
        self._fourcc = video_fourcc(self.path)
        _check_parent(self.path, "recording", RECORD_RESERVE_BYTES)
        if not fps > 0:
            raise ValueError(f"fps must be > 0, got {fps}")
        self.fps = float(fps)
        self.what = what
        self.frames_written = 0
        self._size: tuple[int, int] | None = None
        self._writer: cv2.VideoWriter | None = None

    def write(self, result: FrameResult) -> None:
        image = result.frame.image if self.what is RecordWhat.RAW else result.annotated
        if image is None:
            image = result.frame.image
        self.write_image(image)

    def _reserve(self) -> int:
        """Bytes that must stay free for the rest of this file: the index grows with the
        frames written, and the next frame may be as large as the biggest so far."""
        try:
            size = self.path.stat().st_size if self.frames_written else 0
        except OSError:
            size = 0
        per_frame = size / self.frames_written if self.frames_written else 0.0
        return RECORD_RESERVE_BYTES + 64 * self.frames_written + int(4 * per_frame)

    def _check_space(self) -> None:
        free = _free_bytes(self.path.parent)
        if free is not None and free < self._reserve():
            raise InputError(
                f"disk full: {free // 1024} KiB left for {self.path}; stopped recording after "
                f"{self.frames_written} frames (kept {self._reserve() // 1024} KiB free so the "
                "file stays playable)"
            )

    def write_image(self, image: NDArray[np.uint8]) -> None:
        """Appends one HxWx3 BGR (or HxW gray) uint8 image.

        Raises:
            InputError: the writer cannot open, or the drive is (nearly) full; the frames
                written before stay in a playable file once it is closed.
        """
        self._check_space()
        if image.ndim == 2:
            image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        if self._writer is None:
            h, w = image.shape[:2]
            self._size = (w, h)
            fourcc = cv2.VideoWriter_fourcc(*self._fourcc)
            writer = cv2.VideoWriter(str(self.path), cv2.CAP_FFMPEG, fourcc, self.fps, (w, h))
            if not writer.isOpened():
                raise InputError(f"cannot write a {self._fourcc} video to {self.path}")
            self._writer = writer
        elif (image.shape[1], image.shape[0]) != self._size:
            image = cv2.resize(image, self._size, interpolation=cv2.INTER_AREA)
        self._writer.write(image)
        self.frames_written += 1

    def close(self) -> None:
        """Finalizes the file (writes the container's index); safe to call twice."""
        if self._writer is not None:
            self._writer.release()
            self._writer = None


def log_record(result: FrameResult) -> dict[str, Any]:
    """One log line's fields: frame, t (s since start), text, glyphs, latency_ms, [truth],
    and `stable` when a fusion step ran."""
    record: dict[str, Any] = {
        "frame": result.frame.index,
        "t": round(result.t, 4),
        "text": result.reading.text,
        "glyphs": [g.to_json() for g in result.reading.all_glyphs],
        "latency_ms": round(result.latency_ms, 3),
    }
    if result.frame.truth is not None:
        record["truth"] = result.frame.truth
    if result.stable is not None:
        record["stable"] = result.stable
    return record


class ReadingLog(Closing):
    """One line per processed frame, written through to the file as it goes.

    JSONL: one JSON object per line. CSV: a header, then `LOG_FIELDS` columns (plus `stable`
    when asked), with `glyphs` as a JSON string.

    Each line goes to the file in one unbuffered write; when a write fails (a full disk),
    the file is cut back to its last whole line, so what was logged before stays valid.

    Args:
        path: `.jsonl` or `.csv`; created or overwritten.
        with_stable: add a `stable` CSV column (JSONL lines carry it whenever present).

    Raises:
        InputError: for an unknown extension, a folder that does not exist or cannot be
            written to.
    """

    def __init__(self, path: str | Path, *, with_stable: bool = False) -> None:
        self.path = Path(path)
        self.format = log_format(self.path)
        _check_parent(self.path, "log", LOG_RESERVE_BYTES)
        try:
            self._file: BinaryIO = self.path.open("wb", buffering=0)
        except OSError as exc:
            raise InputError(f"cannot write the log to {self.path}: {_why(exc)}") from None
        self.lines_written = 0
        #: Bytes of whole lines on disk: a failed write is cut back to here.
        self._good = 0
        self._fields: list[str] | None = None
        if self.format is LogFormat.CSV:
            self._fields = [*LOG_FIELDS, "stable"] if with_stable else list(LOG_FIELDS)
            self._append(self._csv_text(None))

    def _csv_text(self, row: dict[str, Any] | None) -> str:
        buf = io.StringIO(newline="")
        writer = csv.DictWriter(buf, fieldnames=self._fields or [], extrasaction="ignore")
        if row is None:
            writer.writeheader()
        else:
            writer.writerow(row)
        return buf.getvalue()

    def _append(self, text: str) -> None:
        data = memoryview(text.encode("utf-8"))
        try:
            while data:
                n = self._file.write(data)
                data = data[n or 0 :]
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.ftruncate(self._file.fileno(), self._good)
            raise InputError(
                f"cannot write the log to {self.path}: {_why(exc)}; "
                f"the {self.lines_written} lines written before are kept"
            ) from None
        self._good += len(text.encode("utf-8"))

    def write(self, result: FrameResult) -> None:
        """Appends one line.

        Raises:
            InputError: the drive is (nearly) full or the write failed; the lines written
                before stay whole and valid.
        """
        free = _free_bytes(self.path.parent)
        if free is not None and free < LOG_RESERVE_BYTES:
            raise InputError(
                f"disk full: {free // 1024} KiB left for {self.path}; stopped logging after "
                f"{self.lines_written} lines"
            )
        record = log_record(result)
        if self._fields is not None:
            row = dict(record, glyphs=json.dumps(record["glyphs"], separators=(",", ":")))
            self._append(self._csv_text(row))
        else:
            self._append(json.dumps(record, separators=(",", ":")) + "\n")
        self.lines_written += 1

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()
