"""Where results go: an annotated or raw video recording, and a reading log (JSONL or CSV).

Each sink is a context manager with `write(result)`; closing it finalizes the file (the video
trailer is written, the log flushed and closed), so a run that ends by an error or a signal
still leaves playable, valid files. Formats are chosen by the file extension.
"""

from __future__ import annotations

import csv
import json
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

import cv2
import numpy as np
from numpy.typing import NDArray

from digitcam.errors import InputError

if TYPE_CHECKING:
    from digitcam.loop import FrameResult

#: Video container by extension → FourCC of the codec OpenCV writes into it.
VIDEO_CODECS = {".mp4": "mp4v", ".avi": "MJPG"}

#: Fields of a log line, in CSV column order (`truth` only when the source knows it).
LOG_FIELDS = ("frame", "t", "text", "glyphs", "latency_ms", "truth")


class LogFormat(str, Enum):
    JSONL = "jsonl"
    CSV = "csv"


class RecordWhat(str, Enum):
    """Which image of a result a recorder writes."""

    ANNOTATED = "annotated"
    RAW = "raw"


def _check_parent(path: Path, what: str) -> None:
    if not path.parent.is_dir():
        raise InputError(f"cannot write the {what} to {path}: folder {path.parent} does not exist")


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


class VideoRecorder:
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
        _check_parent(self.path, "recording")
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

    def write_image(self, image: NDArray[np.uint8]) -> None:
        """Appends one HxWx3 BGR (or HxW gray) uint8 image."""
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

    def __enter__(self) -> VideoRecorder:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


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


class ReadingLog:
    """One line per processed frame, flushed as it goes.

    JSONL: one JSON object per line. CSV: a header, then `LOG_FIELDS` columns (plus `stable`
    when asked), with `glyphs` as a JSON string.

    Args:
        path: `.jsonl` or `.csv`; created or overwritten.
        with_stable: add a `stable` CSV column (JSONL lines carry it whenever present).

    Raises:
        InputError: for an unknown extension or a folder that does not exist.
    """

    def __init__(self, path: str | Path, *, with_stable: bool = False) -> None:
        self.path = Path(path)
        self.format = log_format(self.path)
        _check_parent(self.path, "log")
        try:
            self._file: TextIO = self.path.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            raise InputError(f"cannot write the log to {self.path}: {exc.strerror}") from exc
        self.lines_written = 0
        self._csv: Any = None
        if self.format is LogFormat.CSV:
            fields = [*LOG_FIELDS, "stable"] if with_stable else list(LOG_FIELDS)
            self._csv = csv.DictWriter(self._file, fieldnames=fields, extrasaction="ignore")
            self._csv.writeheader()
            self._file.flush()

    def write(self, result: FrameResult) -> None:
        record = log_record(result)
        if self._csv is not None:
            row = dict(record, glyphs=json.dumps(record["glyphs"], separators=(",", ":")))
            self._csv.writerow(row)
        else:
            self._file.write(json.dumps(record, separators=(",", ":")) + "\n")
        self._file.flush()
        self.lines_written += 1

    def close(self) -> None:
        if not self._file.closed:
            self._file.flush()
            self._file.close()

    def __enter__(self) -> ReadingLog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
