"""Tests for the seven-segment reader: the code table, cells decoded from clean and camera-like
renders, blank leading cells, marks, and no readings on printed text or empty frames."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digitcam.config import ReaderConfig
from digitcam.pipeline import resolve
from digitcam.sevenseg import (
    CODE_TABLE,
    DIGIT_SEGMENTS,
    SEGMENT_ORDER,
    VARIANT_SEGMENTS,
    _band,
    _minus_like,
    _not_a_cell,
    code_table,
    find_cells,
    read_cell,
    read_segment_displays,
    segment_code,
)
from digitcam.synth import seven_segment_faces
from digitcam.synth7 import CHAR_SEGMENTS, CellSpec, SegmentLook, render_cells
from digitcam.types import GlyphKind

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


def display_image(
    cells: list[CellSpec], look: SegmentLook, *, height: int = 40, light: bool = True,
    ghost: float = 0.15,
) -> np.ndarray:  # fmt: skip
    """A gray frame with one row of cells (lit light-on-dark like an LED, or dark LCD)."""
    lit, gh, _ = render_cells(cells, look, height=height)
    h, w = lit.shape
    img = np.full((max(240, h + 40), max(320, w + 40)), 30.0 if light else 200.0, np.float32)
    cover = lit + ghost * gh
    region = img[20 : 20 + h, 20 : 20 + w]
    region += ((230.0 if light else 40.0) - region) * cover
    return np.clip(img, 0, 255).astype(np.uint8)


def texts(gray: np.ndarray) -> list[str]:
    kept = resolve(read_segment_displays(gray, ReaderConfig()))
    return ["".join(g.char for g in line) for _b, line, _s in kept]


LOOKS = {
    "polygon": SegmentLook("polygon"),
    "italic": SegmentLook("polygon", slant=0.15, pointed=False),
    "dseg": SegmentLook(
        "dseg",
        face=next((f for f in seven_segment_faces() if f.name == "DSEG7Classic-Regular"), None),
    ),
}

# -- the table ---------------------------------------------------------------------------------


def test_segment_order_is_named_and_codes_are_bits() -> None:
    assert SEGMENT_ORDER == "abcdefg"
    assert segment_code("a") == 1
    assert segment_code("g") == 64
    assert segment_code("abcdefg") == 127


def test_the_code_table_has_one_key_per_digit_and_no_duplicates() -> None:
    # given the canonical digits, variants and minus
    table = code_table()
    # then every digit appears under exactly the code of its segments
    for digit, segs in DIGIT_SEGMENTS.items():
        assert table[segment_code(segs)] == digit
    assert sorted(DIGIT_SEGMENTS) == list("0123456789")
    assert len({segment_code(s) for s in DIGIT_SEGMENTS.values()}) == 10
    # and the variants add codes without shadowing any digit
    assert len(table) == 10 + len(VARIANT_SEGMENTS)
    assert table == CODE_TABLE


def test_the_generator_and_the_reader_agree_on_segments() -> None:
    for digit, segs in DIGIT_SEGMENTS.items():
        assert CHAR_SEGMENTS[digit] == segs


def test_an_unknown_segment_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown segment 'h'"):
        segment_code("ah")


# -- decoding ----------------------------------------------------------------------------------


@pytest.mark.parametrize("look", list(LOOKS))
@pytest.mark.parametrize("light", [True, False], ids=["led", "lcd"])
def test_a_row_of_cells_reads_with_its_decimal_point(look: str, light: bool) -> None:
    # given "12.34" drawn as segments (ghosts visible), either polarity
    cells = [CellSpec("1"), CellSpec("2", dot=True), CellSpec("3"), CellSpec("4")]
    gray = display_image(cells, LOOKS[look], light=light)
    # then the segment reader reads it, '.' included, digits as SEGMENTS glyphs
    assert texts(gray) == ["12.34"]
    line = read_segment_displays(gray, ReaderConfig())[0][1]
    assert [g.kind for g in line] == [GlyphKind.SEGMENTS] * 2 + [GlyphKind.MARK] + [
        GlyphKind.SEGMENTS
    ] * 2


def test_blank_leading_cells_give_nothing_and_a_lone_middle_bar_is_minus() -> None:
    cells = [CellSpec(" "), CellSpec(" "), CellSpec("-"), CellSpec("7"), CellSpec("0", True),
             CellSpec("5")]  # fmt: skip
    assert texts(display_image(cells, LOOKS["polygon"], ghost=0.2)) == ["-70.5"]


def test_ghost_segments_do_not_read_as_eights() -> None:
    cells = [CellSpec(" ")] * 3 + [CellSpec("1"), CellSpec("7")]
    assert texts(display_image(cells, LOOKS["polygon"], ghost=0.3)) == ["17"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text("0123456789", min_size=3, max_size=8), st.sampled_from(list(LOOKS)))
def test_a_rendered_random_digit_string_reads_back_as_itself(digits: str, look: str) -> None:
    gray = display_image([CellSpec(c) for c in digits], LOOKS[look], height=36)
    assert texts(gray) == [digits]


def test_an_italic_four_without_its_top_bar_does_not_tilt_the_row() -> None:
    # given an italic "410" (the 4's f and g alone span half the digit: not a full-height
    # column); found by hypothesis
    gray = display_image([CellSpec(c) for c in "410"], LOOKS["italic"], height=36)
    # then the row stays level and the 4 reads
    assert texts(gray) == ["410"]


def test_a_bezel_edge_beside_the_digits_is_no_cell() -> None:
    # given "-757" with a bright bezel edge right of the digits, running past them
    cells = [CellSpec("-"), CellSpec("7"), CellSpec("5"), CellSpec("7")]
    gray = display_image(cells, LOOKS["polygon"], ghost=0.2)
    cols = np.flatnonzero((gray[20:60] > 120).any(axis=0))
    x = int(cols.max()) + 12
    gray[:, x : x + 8] = 230
    # then the edge is neither a '1' nor part of the digit band
    assert texts(gray) == ["-757"]


def test_the_band_is_the_digits_stretch_not_a_bezel_below_it() -> None:
    # given a row profile: digits over rows 10-49 (weak between the bars), a bezel at 56-60
    strong = np.zeros(64, bool)
    weak = np.zeros(64, bool)
    strong[[10, 11, 12, 28, 29, 30, 47, 48, 49, 56, 57, 58, 59]] = True
    weak[10:50] = True
    weak[56:60] = True
    # then the band is the digits' (a weak middle does not cut it, the gap does)
    assert _band(strong, weak, 10, 50) == (10.0, 50.0)


def test_a_large_decimal_point_is_no_cell_of_its_own() -> None:
    # given a strip mask: two digit-like runs and a dot low in the band between them
    binary = np.zeros((64, 80), np.uint8)
    binary[12:52, 5:25] = 1
    binary[12:52, 45:65] = 1
    binary[45:52, 32:38] = 1
    # then the dot's run is dropped, the digits' runs kept
    assert _not_a_cell(binary, (32, 38), 12, 52)
    assert not _not_a_cell(binary, (5, 25), 12, 52)
    cells = find_cells(binary, 12, 52)
    assert [c for c, _ in cells] == [(5.0, 25.0), (45.0, 65.0)]


def test_a_short_minus_gets_a_cell_centred_on_it() -> None:
    # given a strip mask: a short bar at mid-height, then two digit-like runs
    binary = np.zeros((64, 90), np.uint8)
    binary[30:35, 8:16] = 1
    binary[12:52, 30:50] = 1
    binary[12:52, 60:80] = 1
    # then the bar is minus-like and its cell is centred on it (a '1' would be
    # right-aligned, leaving the bar at the cell's edge, outside the middle segment's zone)
    assert _minus_like(binary, (8, 16), 12, 52)
    assert not _minus_like(binary, (30, 50), 12, 52)
    (x0, x1), _ink = find_cells(binary, 12, 52)[0]
    assert x0 < 8
    assert x1 > 16
    assert abs((x0 + x1) / 2 - 12) <= 0.5


def test_clusters_overlapping_in_x_rank_below_a_row_of_digits() -> None:
    # given a frame with a clean row of digits and, above it, a pile of overlapping blobs
    gray = display_image([CellSpec(c) for c in "2580"], LOOKS["polygon"], height=30)
    for i in range(6):
        cv2.rectangle(gray, (40 + 9 * i, 150 + 4 * i), (80 + 9 * i, 200 + 3 * i), 230, 3)
    # then the digits are read
    assert "2580" in texts(gray)


def test_nothing_is_read_on_an_empty_frame_or_on_printed_digits() -> None:
    assert read_segment_displays(np.full((480, 640), 128, np.uint8), ReaderConfig()) == []
    printed = np.full((240, 320), 225, np.uint8)
    cv2.putText(printed, "2049", (30, 150), cv2.FONT_HERSHEY_SIMPLEX, 3, 20, 6, cv2.LINE_AA)
    assert read_segment_displays(printed, ReaderConfig()) == []


def test_the_hook_runs_only_when_switched_on(monkeypatch) -> None:
    # given a spy in place of the pipeline's seven-segment hook
    import digitcam.pipeline as pipeline
    from digitcam.classify import load_model

    calls: list[int] = []

    def spy(gray, config):
        calls.append(1)
        return []

    monkeypatch.setattr(pipeline, "read_segment_displays", spy)
    model = load_model()
    frame = np.full((120, 200), 200, np.uint8)
    # when read with the default config (printed only), then the hook is not called
    pipeline.read_frame(frame, model)
    assert calls == []
    # and with seven_segment on (a calibration profile's "display": "seven-segment"), it is
    pipeline.read_frame(frame, model, ReaderConfig(seven_segment=True))
    assert calls == [1]


def test_read_cell_decodes_a_single_digit_crop() -> None:
    gray = display_image([CellSpec("5")], LOOKS["polygon"], height=60, light=False)
    crop = gray[40:120, 42:94]  # the digit and a little background
    g = read_cell(crop)
    assert g is not None
    assert g.char == "5"


def test_real_lcd_crops_read_with_read_cell() -> None:
    # given a sample of the real seven-segment LCD crops (skipped where the data is absent)
    labels = REAL / "kazuhito_7seg_crops" / "labels.jsonl"
    if not labels.is_file():
        pytest.skip(f"real data not found at {labels.parent}")
    rows = [json.loads(x) for x in labels.read_text().splitlines()][::40]
    ok = 0
    for r in rows:
        img = cv2.imread(str(labels.parent / r["file"]), cv2.IMREAD_GRAYSCALE)
        g = read_cell(img)
        ok += g is not None and g.char == r["text"]
    # then most read right (full figures: benchmarks/sevenseg.py --real)
    assert ok >= 0.35 * len(rows), f"{ok}/{len(rows)}"
