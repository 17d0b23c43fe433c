"""Frozen configuration for the reader.

Every size here is relative (to the frame or to the line) or a floor in pixels, never a fixed
glyph size, so one config reads 12 px and 240 px glyphs alike.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from digitcam.types import Polarity

#: Kinds of digits the reader can be told to expect (`ReaderConfig.with_reader`).
READER_KINDS = ("auto", "printed", "seven-segment")


@dataclass(frozen=True)
class ReaderConfig:
    """Options for `pipeline.read_frame`.

    Attributes:
        polarity: force one polarity, or None to decide per text line.
        min_glyph_px: smallest digit height (px) searched for.
        max_glyph_frac: largest digit height as a fraction of the frame height.
        reject_threshold: glyphs below this confidence read '?' (None: the model's own).
        max_candidates: cap on connected components examined per polarity; a frame of
            pure noise is cut short here and says so in `Reading.notes`.
        refine_height_px: line crops are rescaled so digits are about this tall before
            the second, per-line threshold.
        min_line_confidence: a line whose mean digit confidence is below this is dropped
            as clutter (a line of one glyph needs `single_glyph_confidence`).
        single_glyph_confidence: a lone glyph (no neighbours) needs this much confidence.
        short_line_confidence: a line of two glyphs needs this much mean confidence (two
            digits with a minus before or between them need at most
            `pipeline.SIGNED_PAIR_CONFIDENCE`).
        seven_segment: also decode seven-segment cells (segments are separate blobs), so
            meters and displays read with no flag; its lines compete with the printed
            reader's for each place. Off (`with_reader("printed")`) saves its time on
            frames known to hold printed digits only.
        segments_trusted: the frame is known to show a seven-segment display (a profile
            says so), so a segment reading needs no visible sign of one (ghost segments,
            gaps between bars) to outrank a printed reading of the same place.
        lift_shadows: where a cast shadow's straight edge crosses what the frame read (or
            the frame read nothing), read it again with the shadow divided out
            (`shadow.find_shadow_edge`) and keep that reading where it reads anything about
            as surely as the first (`pipeline.SHADOW_SURE_MARGIN`).
    """

    polarity: Polarity | None = None
    min_glyph_px: int = 10
    max_glyph_frac: float = 0.6
    reject_threshold: float | None = None
    max_candidates: int = 4000
    refine_height_px: int = 40
    min_line_confidence: float = 0.55
    single_glyph_confidence: float = 0.8
    short_line_confidence: float = 0.95
    seven_segment: bool = True
    segments_trusted: bool = False
    lift_shadows: bool = True

    def with_reader(self, kind: str) -> ReaderConfig:
        """A copy for one kind of digits: "auto" (both readers, as is), "printed" (the
        printed reader only) or "seven-segment" (both, segment readings trusted).

        Raises:
            ValueError: another kind.
        """
        if kind not in READER_KINDS:
            raise ValueError(f"reader must be one of {', '.join(READER_KINDS)}, got {kind!r}")
        if kind == "auto":
            return self
        seg = kind == "seven-segment"
        return self.with_(seven_segment=seg, segments_trusted=seg)

    def with_(self, **changes: Any) -> ReaderConfig:
        """A copy with some fields changed (unknown names raise TypeError)."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise TypeError(f"unknown ReaderConfig field(s): {', '.join(sorted(unknown))}")
        return replace(self, **changes)
