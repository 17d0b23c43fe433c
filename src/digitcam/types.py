"""Core data types shared by every stage.

Results are frozen dataclasses that hold no pixels, so a `Reading` compares by value and
serializes to one JSON line. Pixels travel only in `Frame`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np
from numpy.typing import NDArray

#: Character used for a glyph whose confidence is below the rejection threshold.
UNKNOWN = "?"

#: Label of the classifier's "not a digit" class (letters, fragments, bars, clutter).
NOT_GLYPH = "_"

#: Characters the reader can output (besides UNKNOWN).
DIGITS = "0123456789"
MARKS = ".-"


class Polarity(str, Enum):
    """Which way the ink goes."""

    DARK_ON_LIGHT = "dark-on-light"
    LIGHT_ON_DARK = "light-on-dark"


class GlyphKind(str, Enum):
    """How a glyph was recognised."""

    CLASSIFIED = "classified"  # by the KNN/SVM model
    MARK = "mark"  # '.' or '-' decided by size and position in the line
    SEGMENTS = "segments"  # a seven-segment cell decoded segment by segment


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in frame pixel coordinates (x right, y down)."""

    x: int
    y: int
    w: int
    h: int

    def __post_init__(self) -> None:
        if self.w < 0 or self.h < 0:
            raise ValueError(f"Box needs w >= 0 and h >= 0, got w={self.w}, h={self.h}")

    @property
    def x2(self) -> int:
        return self.x + self.w

    @property
    def y2(self) -> int:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2.0

    @property
    def cy(self) -> float:
        return self.y + self.h / 2.0

    @property
    def area(self) -> int:
        return self.w * self.h

    def as_list(self) -> list[int]:
        return [int(self.x), int(self.y), int(self.w), int(self.h)]

    def intersection(self, other: Box) -> int:
        """Area shared with another box (0 when disjoint)."""
        ix = max(0, min(self.x2, other.x2) - max(self.x, other.x))
        iy = max(0, min(self.y2, other.y2) - max(self.y, other.y))
        return ix * iy

    def overlap(self, other: Box) -> float:
        """Intersection over the smaller box's area (1 when one holds the other)."""
        return self.intersection(other) / max(1, min(self.area, other.area))

    @staticmethod
    def around(boxes: Sequence[Box]) -> Box:
        """The smallest box holding all of `boxes` (at least one)."""
        x0 = min(b.x for b in boxes)
        y0 = min(b.y for b in boxes)
        x1 = max(b.x2 for b in boxes)
        y1 = max(b.y2 for b in boxes)
        return Box(x0, y0, x1 - x0, y1 - y0)

    def iou(self, other: Box) -> float:
        """Intersection over union with another box (0 when disjoint)."""
        inter = self.intersection(other)
        union = self.area + other.area - inter
        return inter / union if union else 0.0


@dataclass(frozen=True)
class Glyph:
    """One recognised character.

    Attributes:
        box: where it is in the frame.
        char: the character read, or `UNKNOWN` ('?') when rejected.
        confidence: 0..1, the reader's belief in `char`.
        candidates: up to three (char, score) alternatives, best first.
        kind: how it was recognised.
    """

    box: Box
    char: str
    confidence: float
    candidates: tuple[tuple[str, float], ...] = ()
    kind: GlyphKind = GlyphKind.CLASSIFIED

    def to_json(self) -> dict[str, Any]:
        return {
            "char": self.char,
            "box": self.box.as_list(),
            "confidence": round(float(self.confidence), 4),
        }


def text_of(glyphs: Iterable[Glyph]) -> str:
    """The characters of a run of glyphs, in their order."""
    return "".join(g.char for g in glyphs)


@dataclass(frozen=True)
class Timings:
    """Milliseconds spent in each stage of `read_frame`; `total` covers all of it.

    `segment` and `classify` are the printed reader's; `sevenseg` is the seven-segment
    reader's (0 when it is off); `shadow` is the look for a cast shadow's edge and, where
    one crosses what was read, the whole second reading with the shadow lifted (the
    other stages are the kept reading's).
    """

    preprocess: float = 0.0
    segment: float = 0.0
    classify: float = 0.0
    total: float = 0.0
    sevenseg: float = 0.0
    shadow: float = 0.0

    def to_json(self) -> dict[str, float]:
        return {
            "total": round(self.total, 3),
            "preprocess": round(self.preprocess, 3),
            "segment": round(self.segment, 3),
            "classify": round(self.classify, 3),
            "sevenseg": round(self.sevenseg, 3),
            "shadow": round(self.shadow, 3),
        }


@dataclass(frozen=True)
class Reading:
    """What one frame reads.

    Attributes:
        frame_index: index of the frame in its source (0 for a single image).
        lines: text of each line, top to bottom.
        glyphs: per line, the glyphs in reading order (same nesting as `lines`).
        timings: per-stage milliseconds.
        notes: things the reader wants the user to know (e.g. candidate cap hit).
    """

    frame_index: int
    lines: tuple[str, ...]
    glyphs: tuple[tuple[Glyph, ...], ...]
    timings: Timings = field(default_factory=Timings)
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.lines) != len(self.glyphs):
            raise ValueError(
                f"Reading needs one glyph tuple per line: {len(self.lines)} lines, "
                f"{len(self.glyphs)} glyph tuples"
            )

    @property
    def text(self) -> str:
        """All lines joined by newlines."""
        return "\n".join(self.lines)

    @property
    def all_glyphs(self) -> tuple[Glyph, ...]:
        return tuple(g for line in self.glyphs for g in line)

    @property
    def confidence(self) -> float:
        """The weakest glyph's confidence (0 for an empty reading)."""
        gl = self.all_glyphs
        return min((g.confidence for g in gl), default=0.0)

    def to_json(self) -> dict[str, Any]:
        """The `read --json` / log fields of this reading (without the source)."""
        return {
            "text": self.text,
            "lines": list(self.lines),
            "glyphs": [g.to_json() for g in self.all_glyphs],
            "timings_ms": self.timings.to_json(),
        }


@dataclass(frozen=True)
class Frame:
    """A frame from a source.

    Attributes:
        index: 0-based index in the source.
        t_capture: monotonic seconds when it was captured (latency = now - t_capture).
        image: HxWx3 uint8 BGR (or HxW uint8 gray).
        truth: the text the frame shows, when the source knows it (synthetic sources).
    """

    index: int
    t_capture: float
    image: NDArray[np.uint8]
    truth: str | None = None
