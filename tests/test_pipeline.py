"""End to end: read_frame on hand-made frames, held-out synthetic scenes and the pi page."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digitcam import synth
from digitcam.classify import load_model
from digitcam.config import ReaderConfig
from digitcam.errors import InputError
from digitcam.metrics import levenshtein
from digitcam.pipeline import (
    _cut_by_frame,
    _fused_text,
    _without_stray_clutter,
    classify_cell,
    read_frame,
)
from digitcam.segment import Unit
from digitcam.types import Box, Glyph, GlyphKind, Polarity

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PI_PAGE = DATA / "real" / "simpleocr_pi_digits"


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.fixture(scope="module")
def heldout_faces():
    _, heldout = synth.split_faces(synth.printed_faces())
    return heldout


@pytest.mark.parametrize(
    "image",
    [
        np.zeros((480, 640, 3), np.uint8),
        np.full((480, 640), 255, np.uint8),
        np.full((5, 5, 3), 128, np.uint8),
        np.zeros((1, 1), np.uint8),
    ],
    ids=["black", "white", "tiny", "one-pixel"],
)
def test_blank_frames_read_nothing(model, image):
    r = read_frame(image, model)
    assert r.text == ""
    assert r.lines == ()
    assert r.timings.total >= 0


def test_empty_array_is_a_clear_error(model):
    with pytest.raises(InputError, match="shape"):
        read_frame(np.zeros((0, 0, 3), np.uint8), model)


def test_pure_noise_is_bounded_and_reads_little(model):
    rng = np.random.default_rng(3)
    noise = rng.integers(0, 256, (480, 640), dtype=np.uint8)
    r = read_frame(noise, model)
    assert len(r.text.replace("\n", "")) <= 3


def _card(text: str, *, inverted: bool, height: int = 40) -> np.ndarray:
    img = np.full((240, 480), 235, np.uint8)
    scale = height / 22.0
    cv2.putText(
        img, text, (30, 130), cv2.FONT_HERSHEY_DUPLEX, scale, 25, max(2, height // 14), cv2.LINE_AA
    )
    return 255 - img if inverted else img


@pytest.mark.parametrize("inverted", [False, True])
def test_polarity_is_automatic(model, inverted):
    r = read_frame(_card("-40.25", inverted=inverted), model)
    assert r.text == "-40.25"


def test_both_polarities_in_one_frame(model):
    top = _card("3817", inverted=False)
    bottom = _card("9052", inverted=True)
    frame = np.vstack([top, bottom])
    assert read_frame(frame, model).text == "3817\n9052"


def test_a_shadow_across_thin_dark_text_does_not_turn_its_polarity():
    from digitcam.pipeline import minority_is_dark

    # Given thin dark strokes on paper that a shadow darkens from 220 on the right to 60
    # on the left (most of it), darker there than the ink on the lit side
    h, w = 80, 300
    ramp = (60 + 160 * np.linspace(0, 1, w) ** 1.5)[None, :].repeat(h, axis=0)
    gray = ramp.copy()
    for x in range(20, 280, 24):
        gray[20:60, x : x + 3] -= 45
    gray = np.clip(gray, 0, 255).astype(np.uint8)
    # (Otsu on the raw values splits shade from light, and calls the dark side paper)
    t, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    assert (gray <= t).mean() >= 0.5
    # When the region's polarity is decided, then the ink is dark
    assert minority_is_dark(gray, Box(0, 0, w, h), 0)
    # and light strokes on a shaded dark card are light
    assert not minority_is_dark(255 - gray, Box(0, 0, w, h), 0)


def test_a_lone_blob_in_a_block_of_lines_is_a_short_line():
    from digitcam.pipeline import _stacked
    from digitcam.segment import LineGeometry

    # Given a light-on-dark line of five 20 px digits, "39.5574" ...
    boxes = np.array([[123 + 17 * k, 136, 15, 20] for k in range(5)], np.int32)
    lines = [LineGeometry(boxes, Polarity.LIGHT_ON_DARK, 0.0, 20.0)]
    # When a lone digit-sized blob stands right above it, within its width (the "8" of
    # "3.8", whose 3 the threshold joined to the card's edge)
    above = np.array([134, 95, 15, 22], np.int32)
    # Then it is a line to read; not in the other polarity, far off, or much smaller
    assert _stacked(above, Polarity.LIGHT_ON_DARK, lines)
    assert not _stacked(above, Polarity.DARK_ON_LIGHT, lines)
    assert not _stacked(np.array([134, 40, 15, 22], np.int32), Polarity.LIGHT_ON_DARK, lines)
    assert not _stacked(np.array([400, 95, 15, 22], np.int32), Polarity.LIGHT_ON_DARK, lines)
    assert not _stacked(np.array([134, 105, 9, 12], np.int32), Polarity.LIGHT_ON_DARK, lines)


@pytest.mark.parametrize(
    ("first", "conf", "gap", "expected"),
    [
        ("1", 0.66, 40, "3192"),  # an unsure 1 far off: a card's edge
        ("1", 1.0, 40, "13192"),  # a sure 1 stays
        ("1", 0.66, 12, "13192"),  # at the line's spacing it stays
        ("7", 0.66, 40, "73192"),  # only 1s: an edge reads as a bar
    ],
)
def test_an_unsure_1_set_apart_at_a_lines_end_is_an_edge(first, conf, gap, expected):
    from digitcam.pipeline import _trim_stray_ones

    # Given a line of 34 px digits 25 px wide, 5 px apart, and a first glyph `gap` px before
    patch = np.ones((4, 4), np.float32)
    units = [(Unit(Box(100 - gap - 11, 100, 11, 34), patch, "", 1.0), (first, conf, ()))]
    units += [
        (Unit(Box(100 + 30 * k, 100, 25, 34), patch, "", 1.0), (ch, 1.0, ()))
        for k, ch in enumerate("3192")
    ]
    # When stray ends are trimmed
    got = "".join(c[0] for _u, c in _trim_stray_ones(units))
    # Then only an unsure 1 standing far off the line's spacing goes
    assert got == expected
    # and beside a point it is part of the number
    dotted = [units[0], (Unit(Box(92, 128, 6, 6), None, ".", 0.2), (".", 0.9, ())), *units[1:]]
    assert "".join(c[0] for _u, c in _trim_stray_ones(dotted)) == first + ".3192"


@pytest.mark.parametrize(
    ("chars", "expected"),
    [("11?11", True), ("1?181", True), ("114?1", True), ("3?17", False), ("11111", False)],
)
def test_a_row_of_1s_with_a_refused_glyph_is_hatching(chars, expected):
    from digitcam.pipeline import _hatching

    # Given a printed line's glyphs ('?' refused by the model)
    glyphs = list(_glyphs(chars, 100))
    # Then it is hatching when mostly 1s and one refused (a fence, a barcode), not when
    # fewer are 1s (a number with one unreadable digit) or none is refused
    assert _hatching(glyphs) is expected


@pytest.mark.parametrize(
    ("chars", "confs", "expected"),
    [
        ("00?00", (0.67, 0.66, 0.3, 0.67, 1.0), True),  # a tiled floor's squares
        ("0?00.0", (0.6, 0.3, 1.0, 0.67, 0.9, 0.55), True),
        ("000000", (1.0, 0.67, 0.67, 0.66, 0.67, 0.65), True),
        ("00?00", (1.0, 1.0, 0.3, 1.0, 1.0), False),  # sure 0s: a number, one digit unread
        ("000000", (1.0, 1.0, 1.0, 1.0, 1.0, 0.67), False),
        ("40?08", (0.67, 0.66, 0.3, 0.67, 0.67), False),  # unsure, but half of them not 0s
        ("00", (0.66, 0.66), False),
    ],
)
def test_a_row_of_unsure_0s_is_a_tiled_floor(chars, confs, expected):
    from digitcam.pipeline import _hatching

    # Given a printed line's glyphs ('?' refused by the model, '.' a mark) and confidences
    glyphs = [
        replace(g, confidence=c, kind=GlyphKind.MARK if g.char == "." else g.kind)
        for g, c in zip(_glyphs(chars, 100), confs, strict=True)
    ]
    # Then it is tiles when most of its digits are 0s two of three neighbours call 0,
    # with a refused one among them or nothing else
    assert _hatching(glyphs) is expected


def test_forced_polarity_reads_only_that_ink(model):
    frame = np.vstack([_card("3817", inverted=False), _card("9052", inverted=True)])
    cfg = ReaderConfig(polarity=Polarity.LIGHT_ON_DARK)
    assert read_frame(frame, model, cfg).text == "9052"


def test_reading_is_json_serializable_and_timed(model):
    r = read_frame(_card("123", inverted=False), model, frame_index=7)
    d = json.loads(json.dumps(r.to_json()))
    assert d["text"] == "123"
    assert [g["char"] for g in d["glyphs"]] == ["1", "2", "3"]
    assert set(d["timings_ms"]) == {
        "total",
        "preprocess",
        "segment",
        "classify",
        "sevenseg",
        "shadow",
    }
    assert r.frame_index == 7
    assert all(0 <= g["confidence"] <= 1 for g in d["glyphs"])


def test_nothing_is_guessed_above_every_confidence(model):
    # A rejection threshold above any confidence: no digit may be output as a guess.
    cfg = ReaderConfig(reject_threshold=1.01, seven_segment=False)
    r = read_frame(_card("58", inverted=False), model, cfg)
    assert not any(ch.isdigit() for ch in r.text)
    assert read_frame(_card("58", inverted=False), model).text == "58"


def test_weak_glyph_inside_a_line_reads_question_mark(model):
    # Given a line whose middle glyph is classified with low confidence
    from digitcam.pipeline import assemble, classify_units, segment_frame
    from digitcam.preprocess import denoise, to_gray

    gray = denoise(to_gray(_card("40725", inverted=False)))
    cfg = ReaderConfig(polarity=Polarity.DARK_ON_LIGHT)
    det, classes = classify_units(segment_frame(gray, cfg), model)
    assert len(det.lines) == 1
    weak = [list(row) for row in classes]
    ch, _, top = weak[0][2]
    weak[0][2] = (ch, 0.2, top)
    # When assembled with threshold 0.5, Then that glyph reads '?' and the others stay
    lines = assemble(det, weak, cfg, 0.5)
    assert "".join(g.char for g in lines[0][1]) == "40?25"


@pytest.mark.parametrize(
    ("at", "top", "read"),
    [
        # clutter and one digit among its neighbours: that digit, inside the line
        (2, (("_", 0.67), ("1", 0.33), ("2", 0.0)), "74125"),
        (2, (("_", 0.71), ("1", 0.29), ("2", 0.0)), "74125"),
        # two digits share the vote: unread
        (2, (("_", 0.34), ("1", 0.33), ("7", 0.33)), "74?25"),
        # at the line's end the same unit is clutter beside it (a card's edge)
        (5, (("_", 0.67), ("1", 0.33), ("2", 0.0)), "74925"),
    ],
)
def test_a_unit_read_as_clutter_and_one_digit_inside_a_line_is_that_digit(at, top, read):
    from digitcam.pipeline import Detection, _sole_digits_read, assemble, resolve
    from digitcam.segment import RefinedLine, Unit
    from digitcam.types import Box

    # Given a line of sure digits "74925" with a unit the model reads mostly as clutter,
    # in place of its 9 or after its last digit (a blurred 1 among the model's bars)
    patch = np.zeros((4, 4), np.float32)
    chars = ["7", "4", "9", "2", "5"]
    classes = [(ch, 1.0, ((ch, 1.0),)) for ch in chars]
    if at < len(chars):
        classes[at] = ("_", top[0][1], top)
    else:
        classes.append(("_", top[0][1], top))
    units = [Unit(Box(30 + 28 * i, 100, 22, 40), patch, "", 1.0) for i in range(len(classes))]
    det = Detection(
        (RefinedLine(tuple(units), Polarity.DARK_ON_LIGHT, Box(30, 100, 28 * len(units), 40)),),
        (),
    )
    # When assembled into lines (reject threshold 0.5), it reads '?' there (a word's
    # letters and hatching are told by their unread glyphs)
    lines = assemble(det, [classes], ReaderConfig(), 0.5)
    assert ["".join(g.char for g in gl) for _, gl, _ in lines] == [read.replace("1", "?")]
    # Then once the line has won its place, the one digit it scores is read inside the
    # line, at its own low confidence
    lines = _sole_digits_read(resolve(lines))
    assert ["".join(g.char for g in gl) for _, gl, _ in lines] == [read]
    glyph = lines[0][1][at] if at < len(chars) else None
    if glyph is not None and glyph.char.isdigit() and glyph.char != chars[at]:
        assert glyph.confidence == top[1][1]


@pytest.mark.parametrize("angle", [-6.0, 6.0])
def test_rotated_text_keeps_reading_order(model, angle):
    img = np.full((300, 560), 240, np.uint8)
    cv2.putText(img, "720419", (60, 130), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 20, 4, cv2.LINE_AA)
    cv2.putText(img, "58316", (60, 220), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 20, 4, cv2.LINE_AA)
    rot = cv2.getRotationMatrix2D((280, 150), angle, 1.0)
    img = cv2.warpAffine(img, rot, (560, 300), borderValue=240)
    assert read_frame(img, model).text == "720419\n58316"


# Derandomized: the same examples every run, so CI is reproducible (measured failure rate
# of this property on held-out faces, 22-70 px: 0.7 % of 300 random strings).
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_rendered_random_string_reads_back(model, heldout_faces, data):
    # Given a random digit string rendered in a font family the shipped model never saw
    seed = data.draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    text = synth.random_digit_text(rng, min_len=3, max_len=10)
    face = heldout_faces[data.draw(st.integers(0, len(heldout_faces) - 1))]
    height = data.draw(st.integers(22, 70))
    line = synth.render_line(text, face, height_px=height, rng=rng)
    pad = height
    ink = cv2.copyMakeBorder(line.ink, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
    frame = 255 - ink
    # When read, Then it reads back as itself
    assert read_frame(frame, model).text == text


def _scene_accuracy(model, faces, seeds):
    exact, errors, chars = 0, 0, 0
    for s in seeds:
        scene = synth.make_scene(s, faces=faces)
        got = read_frame(scene.image, model).text
        exact += got == scene.text
        errors += levenshtein(got, scene.text)
        chars += len(scene.text)
    return exact / len(seeds), 1 - errors / chars


def test_heldout_font_camera_scenes_accuracy(model, heldout_faces):
    # Seeds far from the ones the shipped model was built from, fonts it never saw.
    # Measured on 300 such scenes (benchmarks/accuracy.py --faces heldout): 82.7 % of frames
    # exact, 95.3 % of characters; the bounds leave room for a 60-scene sample's spread.
    exact, char_acc = _scene_accuracy(model, heldout_faces, range(7_000_000, 7_000_060))
    assert exact >= 0.75, f"exact-frame accuracy {exact:.3f}"
    assert char_acc >= 0.93, f"character accuracy {char_acc:.4f}"


@pytest.mark.skipif(not PI_PAGE.is_dir(), reason=f"real data not found at {PI_PAGE}")
def test_pi_page_reads_all_225_digits_in_order(model):
    meta = json.loads((PI_PAGE / "labels.jsonl").read_text().splitlines()[0])
    img = cv2.imread(str(PI_PAGE / meta["file"]))
    r = read_frame(img, model)
    digits = [line.replace(".", "") for line in r.lines]
    assert digits == meta["text"].split("\n")
    assert sum(len(d) for d in digits) == 225


def _glyphs(text: str, x0: int, *, y: int = 100, h: int = 40, pitch: int = 30):
    from digitcam.types import Box, Glyph, GlyphKind

    out, x = [], x0
    for ch in text:
        if ch == "-":
            out.append(Glyph(Box(x, y + h // 2 - 3, 14, 6), "-", 0.9, (), GlyphKind.MARK))
            x += 20
        else:
            out.append(Glyph(Box(x, y, 22, h), ch, 1.0))
            x += pitch
    return tuple(out)


def _line(glyphs):
    return (Box.around([g.box for g in glyphs]), glyphs, 1.0)


@pytest.mark.parametrize(
    ("left", "right", "gap", "expected"),
    [
        ("2-74", "-903", 20, ["2-74-903"]),  # split at a dash, close: one number
        ("49", "-055", 25, ["49-055"]),
        ("49", "-055", 200, ["49", "-055"]),  # far apart: two numbers
        ("49", "055", 20, ["49", "055"]),  # no dash at the junction: left alone
    ],
)
def test_lines_split_at_a_minus_are_joined(left, right, gap, expected):
    from digitcam.pipeline import resolve

    a = _glyphs(left.rstrip("-"), 10)
    b = _glyphs(right, a[-1].box.x2 + gap)
    if left.endswith("-"):
        a = a + _glyphs("-", a[-1].box.x2 + 5)
    got = sorted("".join(g.char for g in gl) for _, gl, _ in resolve([_line(a), _line(b)]))
    assert got == sorted(expected)


def test_a_displays_7_read_as_1_by_the_classifier_goes_to_the_segment_reading():
    from dataclasses import replace

    from digitcam.pipeline import _sevens_read_as_ones
    from digitcam.types import GlyphKind

    def segs(text, conf=1.0):
        return tuple(
            replace(g, kind=GlyphKind.SEGMENTS, confidence=conf) for g in _glyphs(text, 10)
        )

    # Given a printed reading "091" of a display whose 1 is as wide as its other digits
    printed = list(_glyphs("091", 10))
    # Then a segment reading "097" (with display evidence) is the display's 7
    assert _sevens_read_as_ones(printed, segs("097"))
    # but not without display evidence (confidence cut to a printed row's), nor where the
    # printed 1 is narrow (a printed 1's flag decodes as a 7's top bar too), nor where the
    # readings differ otherwise or in length
    assert not _sevens_read_as_ones(printed, segs("097", conf=0.5))
    narrow = [*printed[:2], replace(printed[2], box=replace(printed[2].box, w=14))]
    assert not _sevens_read_as_ones(narrow, segs("097"))
    assert not _sevens_read_as_ones(printed, segs("897"))
    assert not _sevens_read_as_ones(printed, segs("0971"))
    assert not _sevens_read_as_ones(printed, segs("091"))


@pytest.mark.parametrize(
    ("text", "unsure", "dropped"),
    [
        ("7666711280", [5], False),  # ten digits, one of them unsure: a number
        ("766671", [5], False),  # six
        ("76667", [4], True),  # five: as short as clutter's readings
        ("7666711280", [1, 5], True),  # two unsure
        ("7666711280", [], False),  # all sure: never in question
    ],
)
def test_a_long_printed_line_sure_but_for_one_digit_beside_a_display_stays(text, unsure, dropped):
    from dataclasses import replace

    from digitcam.pipeline import _unsure_beside_display
    from digitcam.types import GlyphKind

    # Given a display's line read by the segment reader, and a printed line above it, well
    # apart, whose digits are sure but for those listed (0.67: two of three neighbours)
    display = _line(
        tuple(replace(g, kind=GlyphKind.SEGMENTS) for g in _glyphs("-08837", 100, y=300))
    )
    printed = _line(
        tuple(
            replace(g, confidence=0.67) if k in unsure else g
            for k, g in enumerate(_glyphs(text, 60, y=100))
        )
    )
    # Then the printed line is dropped as clutter beside the display only when it is short
    # or has more than one unsure digit
    got = _unsure_beside_display([printed, display], [printed, display])
    assert (printed[0] in got) is dropped
    assert display[0] not in got


def test_a_printed_1_decoded_as_a_7_goes_to_the_printed_reading():
    from dataclasses import replace

    from digitcam.pipeline import PRINTED_ONE, _prefer_printed_ones
    from digitcam.types import GlyphKind

    def segs(text, conf=1.0):
        return tuple(
            replace(g, kind=GlyphKind.SEGMENTS, confidence=conf) for g in _glyphs(text, 10)
        )

    def narrow_ones(text, conf=1.0):
        # (a printed 1 is narrower than the line's other digits)
        return tuple(
            replace(g, box=replace(g.box, w=12), confidence=conf) if g.char == "1" else g
            for g in _glyphs(text, 10)
        )

    # Given a printed reading "313" whose 1 is narrow and read surely, and a segment
    # reading of the same place "373" (a printed 1's flag lights a display's top bar)
    printed = _line(narrow_ones("313"))
    seven = _line(segs("373"))
    # Then the segment reading gives way to the printed one
    assert _prefer_printed_ones([printed, seven]) == [printed]
    # but not where the printed 1 is unsure, where the readings differ otherwise, nor
    # where the 7 is a display's the classifier took for a 1 (as wide as its digits)
    unsure = _line(narrow_ones("313", conf=PRINTED_ONE - 0.1))
    assert _prefer_printed_ones([unsure, seven]) == [unsure, seven]
    other = _line(segs("873"))
    assert _prefer_printed_ones([printed, other]) == [printed, other]
    wide = _line(_glyphs("313", 10))
    assert _prefer_printed_ones([wide, seven]) == [wide, seven]


def test_a_displays_6_read_as_5_goes_to_the_segment_reading_where_a_display_shows():
    from dataclasses import replace

    from digitcam.pipeline import _sixes_read_as_fives
    from digitcam.types import GlyphKind

    def segs(text, conf=0.6):
        return tuple(
            replace(g, kind=GlyphKind.SEGMENTS, confidence=conf) for g in _glyphs(text, 10)
        )

    # Given printed readings "2825" (all sure) and "2825" with its first 2 unsure, and
    # segment readings "2826" decoded bar for bar without display evidence (0.6)
    sure = list(_glyphs("2825", 10))
    unsure = [replace(sure[0], confidence=0.67), *sure[1:]]
    # Then the 6 is the display's where the printed reader was unsure of a glyph, where
    # the segment reader reads more digits (the printed line left off its end), or where
    # the frame shows a display elsewhere
    assert _sixes_read_as_fives(unsure, segs("2826"), display_beside=False)
    assert _sixes_read_as_fives(sure, segs("28269"), display_beside=False)
    assert _sixes_read_as_fives(sure, segs("2826"), display_beside=True)
    # but not where nothing says "display" (a bold printed 5's curled foot decodes as the
    # 6's lower left bar: "5.5" read "6.6"), nor where the readings differ otherwise or
    # the segment digit is decoded unsurely
    assert not _sixes_read_as_fives(sure, segs("2826"), display_beside=False)
    assert not _sixes_read_as_fives(unsure, segs("2836"), display_beside=True)
    assert not _sixes_read_as_fives(unsure, segs("2826", conf=0.3), display_beside=True)
    assert not _sixes_read_as_fives(list(_glyphs("2826", 10)), segs("2825"), display_beside=True)
    # and where both read another 5 of the line as a 5 ("-36855" read "-35855"): the segment
    # reader tells this face's 5s from its 6s (a bold printed face's 5s all decode as 6s)
    assert _sixes_read_as_fives(list(_glyphs("3585", 10)), segs("3685"), display_beside=False)
    assert not _sixes_read_as_fives(list(_glyphs("3555", 10)), segs("3666"), display_beside=False)


def test_a_displays_6_read_as_5_goes_to_the_segment_reading_in_its_window():
    import numpy as np

    from digitcam.pipeline import resolve

    # Given a display "369" read "359" surely by the printed reader, and "369" by the
    # segment reader bar for bar without display evidence (0.6), scoring lower
    printed = _reading("359", 300, segments=False, score=30.0)
    segs = _reading("369", 300, segments=True, conf=0.6, score=20.0)
    # Then alone nothing says "display" (a bold printed 5's curled foot decodes as a 6's
    # lower left bar)
    assert _texts(resolve([printed, segs])) == ["359"]
    # but in an outlined display window the 6 is the display's
    glass = np.float32([[280, 70], [420, 70], [420, 170], [280, 170]])
    assert _texts(resolve([printed, segs], windows=(glass,))) == ["369"]
    # and a window elsewhere (another outline in the frame) says nothing about it
    other = np.float32([[20, 300], [200, 300], [200, 400], [20, 400]])
    assert _texts(resolve([printed, segs], windows=(other,))) == ["359"]


def test_a_displays_6_read_as_5_is_told_by_a_point_or_a_5_the_printed_1_stands_beside():
    from dataclasses import replace

    from digitcam.pipeline import _sixes_read_as_fives
    from digitcam.types import Box, Glyph, GlyphKind

    def seg(ch, x):
        return Glyph(Box(x, 100, 30, 40), ch, 1.0, ((ch, 1.0),), GlyphKind.SEGMENTS)

    # Given a display "960519" (cells 30 px wide at a 40 px pitch) whose printed reading
    # "950519" has its 1 a narrow bar at its cell's right (clear of the cell's centre)
    segs = tuple(seg(c, 10 + 40 * k) for k, c in enumerate("960519"))
    printed = [replace(g, kind=GlyphKind.CLASSIFIED) for g in segs]
    printed[1] = replace(printed[1], char="5")
    printed[4] = replace(printed[4], box=Box(174, 100, 8, 40))
    # Then the 1 is paired with its cell all the same, and the other 5 both read as a 5
    # tells the 6 from the 5s ("960519" was read "950519")
    assert _sixes_read_as_fives(printed, segs, display_beside=False)
    # and a point the printed reader left off says "display" too ("68.8" read "588")
    point = Glyph(Box(72, 136, 5, 5), ".", 0.9, (), GlyphKind.MARK)
    six = (seg("6", 10), seg("8", 50), point, seg("8", 90))
    fives = [
        replace(g, kind=GlyphKind.CLASSIFIED) for g in (seg("5", 10), seg("8", 50), seg("8", 90))
    ]
    assert _sixes_read_as_fives(fives, six, display_beside=False)
    # while without the point nothing does
    assert not _sixes_read_as_fives(fives, (six[0], six[1], six[3]), display_beside=False)


def _reading(text: str, x0: int, *, segments: bool, conf: float = 1.0, score: float = 1.0):
    """A candidate line reading `text` from x0 (digits 22 px wide at a 30 px pitch, a '.'
    a mark at the baseline), from the segment reader or the printed one."""
    from dataclasses import replace

    from digitcam.types import Box, Glyph, GlyphKind

    glyphs, x = [], x0
    for ch in text:
        if ch == ".":
            glyphs.append(Glyph(Box(x - 6, 134, 5, 5), ".", 0.9, (), GlyphKind.MARK))
            continue
        g = _glyphs(ch, x)[0]
        kind = GlyphKind.SEGMENTS if segments and ch not in "-." else g.kind
        glyphs.append(replace(g, confidence=conf if ch.isdigit() else g.confidence, kind=kind))
        x += 30
    return (Box.around([g.box for g in glyphs]), tuple(glyphs), score)


def _moved(line, dx: int, dy: int):
    from dataclasses import replace

    def move(b):
        return replace(b, x=b.x + dx, y=b.y + dy)

    box, glyphs, score = line
    return (move(box), tuple(replace(g, box=move(g.box)) for g in glyphs), score)


def _texts(kept):
    return sorted("".join(g.char for g in gl) for _, gl, _ in kept)


def test_a_words_letters_decoded_as_segments_beside_printed_numbers_are_no_line():
    from digitcam.pipeline import resolve

    # Given printed numbers "-1.45" and "-606605" and a word ("Open") the segment reader
    # decodes as '1.?08' (a letter of no digit's shape among them) below them
    printed = [
        _reading("-1.45", 300, segments=False, score=12.0),
        _moved(_reading("606605", 300, segments=False, score=25.0), 0, 60),
    ]
    word = _moved(_reading("1.?08", 40, segments=True, conf=0.5, score=8.6), 0, 200)
    # Then the word is no line; a segment line reading every cell, or one with a '?'
    # beside a display line read whole, is kept
    assert _texts(resolve([*printed, word])) == ["-1.45", "606605"]
    sure = _moved(_reading("1.608", 40, segments=True, conf=0.5, score=8.6), 0, 200)
    assert _texts(resolve([*printed, sure])) == ["-1.45", "1.608", "606605"]
    display = _moved(_reading("8715", 40, segments=True, score=30.0), 0, 120)
    assert _texts(resolve([*printed, word, display])) == ["-1.45", "1.?08", "606605", "8715"]


def test_an_unsure_short_segment_line_beside_printed_numbers_is_a_word():
    from dataclasses import replace

    from digitcam.pipeline import resolve

    # Given printed numbers "4101536" and "76542" and a word ("Bes") the segment reader
    # decodes as '881', its last cell unsure (0.68), far above them
    printed = [
        _moved(_reading("4101536", 100, segments=False, score=40.0), 0, 100),
        _moved(_reading("76542", 100, segments=False, score=30.0), 0, 160),
    ]
    box, glyphs, score = _reading("881", 100, segments=True, score=9.0)
    word = (box, (*glyphs[:2], replace(glyphs[2], confidence=0.68)), score)
    # Then the word is no line; read surely, or longer than three digits, it is kept
    assert _texts(resolve([*printed, word])) == ["4101536", "76542"]
    sure = _reading("881", 100, segments=True, score=9.0)
    assert _texts(resolve([*printed, sure])) == ["4101536", "76542", "881"]
    box4, glyphs4, _ = _reading("8813", 100, segments=True)
    long = (box4, (*glyphs4[:2], replace(glyphs4[2], confidence=0.68), glyphs4[3]), 9.0)
    assert _texts(resolve([*printed, long])) == ["4101536", "76542", "8813"]
    # Right under a printed number it is dropped too ("16.8" under "6587.4894", where
    # "15.8" was printed), unless the segment reader read part of that number as well: a
    # display's second line under a first one the printed reader won ("549" under "806")
    under = _moved(word, 0, 210)
    assert _texts(resolve([*printed, under])) == ["4101536", "76542"]
    part = _moved(_reading("7654", 100, segments=True, score=20.0), 0, 160)
    assert _texts(resolve([*printed, under, part])) == ["4101536", "76542", "881"]
    # A printed number the segment reader read alike is a display's line: the unsure
    # line is that display's other line ("334" above "899") where it stands within two
    # digit heights of it; further off it is a word (`_short_segments_far_off`)
    alike = _moved(_reading("76542", 100, segments=True, score=20.0), 0, 160)
    assert _texts(resolve([*printed, under, alike])) == ["4101536", "76542", "881"]
    assert _texts(resolve([*printed, word, alike])) == ["4101536", "76542"]


@pytest.mark.parametrize(
    ("chars", "boxes", "expected"),
    [
        # "-7.611.15": an italic 1's foot cut off reaches into the 1 after it
        ("7.11.15", [(258, 309, 40, 44), (292, 340, 13, 13), (357, 306, 36, 46),
                     (398, 306, 37, 46), (440, 343, 10, 8), (449, 305, 29, 46),
                     (483, 304, 46, 48)], "7.1115"),
        # "7720548.9": a script 9's foot, wholly under the 9
        ("48.9", [(409, 269, 32, 47), (437, 264, 37, 48), (470, 301, 6, 8),
                  (470, 261, 32, 47)], "489"),
        # "70-.2": a foot after a minus, reaching into the 2
        ("0-.2", [(298, 349, 42, 60), (348, 376, 24, 15), (380, 387, 11, 19),
                  (389, 347, 38, 59)], "0-2"),
        # "21.34.32": two points in the gaps, none sure to be the number's
        ("1.34.3", [(141, 46, 31, 40), (177, 71, 9, 15), (185, 46, 27, 41),
                    (215, 47, 35, 40), (253, 72, 9, 15), (261, 47, 27, 41)], "1343"),
        # a number's point in its gap stays, and so does one reaching a little into the
        # next digit's box with no other point or minus (a display's point, cells close)
        ("4.24", [(68, 291, 18, 23), (90, 307, 8, 8), (102, 293, 19, 24),
                  (120, 295, 18, 23)], "4.24"),
        ("5.5", [(364, 170, 46, 62), (408, 216, 11, 12), (412, 168, 46, 62)], "5.5"),
    ],
)  # fmt: skip
def test_points_that_are_pieces_of_the_next_glyph_are_dropped(chars, boxes, expected):
    from digitcam.pipeline import _one_point

    # Given a printed line's glyphs, its points marks
    glyphs = list(_glyphs_at(chars, boxes))
    # Then a point under the glyph after it, and two points in one number, are dropped
    assert "".join(g.char for g in _one_point(glyphs)) == expected


def test_a_sure_lone_digit_beside_a_display_line_is_its_short_line():
    from dataclasses import replace

    from digitcam.pipeline import resolve

    # Given a display line "99421" (segments) and, right under it, a lone "9" the printed
    # reader reads surely but the segment reader missed
    display = _reading("99421", 100, segments=True, score=40.0)
    nine = _moved(_reading("9", 160, segments=False, score=7.0), 0, 50)
    # Then the 9 is the display's short line; read unsurely, or far from the display, or
    # narrower or taller than the display's digits (a label's "O" over it, the corner of
    # a frame under it), it is clutter
    assert _texts(resolve([display, nine])) == ["9", "99421"]
    box, (g,), score = nine
    unsure = (box, (replace(g, confidence=0.9),), score)
    assert _texts(resolve([display, unsure])) == ["99421"]
    assert _texts(resolve([display, _moved(nine, 0, 200)])) == ["99421"]
    narrow = (box, (replace(g, box=replace(g.box, w=12)),), score)
    assert _texts(resolve([display, narrow])) == ["99421"]
    tall = (box, (replace(g, box=replace(g.box, w=30, h=55)),), score)  # a frame's corner
    assert _texts(resolve([display, tall])) == ["99421"]


def test_a_lone_digit_in_a_display_window_with_a_line_is_its_other_line():
    import numpy as np

    from digitcam.pipeline import resolve

    # Given a display line "8722" (segments, digits 40 px high from x 300) and a lone "8"
    # the segment reader read in the glass's lower left corner, off the line's ends
    display = _reading("8722", 300, segments=True, score=40.0)
    eight = _moved(_reading("8", 220, segments=True, score=7.0), 0, 70)
    # Then alone they are a display line and clutter beside it (no line's place there)
    assert _texts(resolve([display, eight])) == ["8722"]
    # but in one display window, found by its outline, the 8 is its other line
    glass = np.float32([[80, 80], [440, 80], [440, 230], [80, 230]])
    assert _texts(resolve([display, eight], windows=(glass,))) == ["8", "8722"]
    # and a window round the 8 alone (another display, a clutter's outline) says nothing,
    # nor one the 8 reaches out of (clutter over the window's corner)
    other = np.float32([[200, 160], [260, 160], [260, 230], [200, 230]])
    assert _texts(resolve([display, eight], windows=(other,))) == ["8722"]
    low = np.float32([[80, 80], [440, 80], [440, 185], [80, 185]])
    assert _texts(resolve([display, eight], windows=(low,))) == ["8722"]
    # nor a lone 0 or 1 there (a round button, the window's edge), nor a printed digit
    for text, segments in (("0", True), ("1", True), ("8", False)):
        lone = _moved(_reading(text, 220, segments=segments, score=7.0), 0, 70)
        assert _texts(resolve([display, lone], windows=(glass,))) == ["8722"]


def test_a_segment_line_reading_a_winning_one_on_by_an_end_digit_wins_the_place():
    from digitcam.pipeline import resolve

    # Given a display "49994" read by the printed reader as "999" (its thin 4s lost), by
    # the segment reader from a row cut before its first digit as "9994" (which wins the
    # place from "999": it reads it on by a 4), and whole as "49994", scoring lower
    printed = _reading("999", 40, segments=False, score=26.2)
    cut = _reading("9994", 40, segments=True, conf=0.6, score=20.9)
    whole = _reading("49994", 10, segments=True, conf=0.6, score=25.8)
    # Then the whole reading wins
    assert _texts(resolve([printed, cut, whole])) == ["49994"]
    # and a longer reading by a 1 (a bar beside the display) does not
    ones = _reading("19994", 10, segments=True, conf=0.6, score=25.8)
    assert _texts(resolve([printed, cut, ones])) == ["9994"]


def test_a_displays_short_signed_line_the_printed_reader_won_is_kept():
    from digitcam.pipeline import resolve

    # Given a display "87852" over a short line "-5": the printed reader reads "-5" and
    # outscores the segment reader, whose line's box holds the 5 only (its minus, found
    # beside the row, apart); and a lone printed 7 far from the display
    display = _reading("87852", 10, segments=True, score=40.6)
    printed = _moved(_reading("-5", 100, segments=False, score=9.6), 0, 50)
    _box, glyphs, score = _moved(_reading("-5", 100, segments=True, score=6.0), 0, 50)
    seg = (glyphs[-1].box, glyphs, score)
    stray = _moved(_reading("7", 400, segments=False, score=9.6), 0, 250)
    # Then the short line is kept (the segment reader read a digit where its 5 is); the
    # stray 7 is not
    assert _texts(resolve([display, printed, seg, stray])) == ["-5", "87852"]


def test_a_segment_line_with_a_lead_digit_and_point_the_printed_reader_lost_wins():
    from digitcam.pipeline import resolve

    # Given a display "4.995" whose 4 and point the printed reader lost: it reads the
    # three digits after them surely, and outscores the segment reader's whole line
    printed = _reading("995", 40, segments=False, score=24.4)
    seg = _reading("4.995", 10, segments=True, conf=0.6, score=22.7)
    # Then the segment line, reading on past the printed line's start, wins the place
    assert _texts(resolve([printed, seg])) == ["4.995"]
    # but a lone 1 before the printed digits is not enough (a bar of clutter reads as one)
    seg1 = _reading("1.995", 10, segments=True, conf=0.6, score=22.7)
    assert _texts(resolve([printed, seg1])) == ["995"]


def test_of_two_segment_lines_agreeing_with_the_printed_one_the_longer_wins():
    from dataclasses import replace

    from digitcam.pipeline import resolve

    # Given a printed reading "5.822?6" (a digit refused) and two segment readings of the
    # place that agree with it: a display window read whole, and a row cut after its 5
    printed = _reading("5.82246", 10, segments=False, score=37.7)
    gl = list(printed[1])
    gl[5] = replace(gl[5], char="?", confidence=0.33)
    printed = (printed[0], tuple(gl), printed[2])
    whole = _reading("5.82246", 10, segments=True, conf=0.6, score=27.1)
    cut = _reading("82246", 40, segments=True, conf=0.6, score=20.2)
    # Then the whole reading wins, listed in either order
    assert _texts(resolve([printed, cut, whole])) == ["5.82246"]
    assert _texts(resolve([printed, whole, cut])) == ["5.82246"]


@pytest.mark.parametrize(("lead_conf", "expected"), [(1.0, "912.98661"), (0.66, "12.98661")])
def test_a_printed_line_with_a_sure_lead_digit_the_segment_reader_lost_wins(lead_conf, expected):
    from dataclasses import replace

    from digitcam.pipeline import resolve

    # Given a display "912.98661" whose 9 the segment reader lost (it outscores the
    # printed reading of the whole line, which is unsure of a few digits inside)
    printed = _reading("912.98661", 10, segments=False, score=51.3)
    gl = list(printed[1])
    gl[0] = replace(gl[0], confidence=lead_conf)
    gl[6] = replace(gl[6], confidence=0.66)
    printed = (printed[0], tuple(gl), printed[2])
    seg = _reading("12.98661", 40, segments=True, score=56.5)
    # Then the printed line wins where the classifier is sure of the extra digit only
    assert _texts(resolve([printed, seg])) == [expected]


def test_a_displays_short_line_only_the_printed_reader_read_stays():
    from dataclasses import replace

    from digitcam.pipeline import resolve

    # Given a display line "008" read by the segment reader, and a printed reading "38"
    # of its short line right under it (the segment reader missed that line)
    display = _reading("008", 10, segments=True, score=17.5)
    under = _moved(_reading("38", 40, segments=False, score=9.6), 0, 50)
    # Then the short line stays, read surely
    assert _texts(resolve([display, under])) == ["008", "38"]
    # but not when the classifier is unsure of it, nor far from the display (clutter)
    unsure = (under[0], tuple(replace(g, confidence=0.66) for g in under[1]), 9.6)
    assert _texts(resolve([display, unsure])) == ["008"]
    far = _moved(under, 300, 200)
    assert _texts(resolve([display, far])) == ["008"]


def test_a_reading_with_the_same_digits_and_a_minus_wins_over_two_better_scored_ones():
    from digitcam.pipeline import resolve

    # Given a segment line "0.3" read twice (window and frame), both outscoring the
    # printed reading "-0.3" of the place
    seg = [_reading("0.3", 40, segments=True, score=sc) for sc in (12.2, 12.1)]
    printed = _reading("-0.3", 20, segments=False, score=10.3)
    # Then the printed reading, with the minus, wins the place
    assert _texts(resolve([*seg, printed])) == ["-0.3"]


def test_a_segment_line_with_a_digit_decoded_at_no_confidence_adds_no_detail():
    from dataclasses import replace

    from digitcam.pipeline import resolve

    # Given a printed "1838" and a segment reading "1.838" of the place whose 1 was
    # decoded at no confidence (clutter beside printed digits)
    printed = _reading("1838", 10, segments=False, score=41.6)
    seg = _reading("1.838", 10, segments=True, conf=0.9, score=35.7)
    for conf, expected in ((0.0, "1838"), (0.6, "1.838")):
        gl = (replace(seg[1][0], confidence=conf), *seg[1][1:])
        # Then its point wins the place only when every digit was decoded with confidence
        assert _texts(resolve([printed, (seg[0], gl, seg[2])])) == [expected]


def test_a_segment_line_with_a_point_wins_where_the_printed_reading_differs_where_unsure():
    from dataclasses import replace

    from digitcam.pipeline import resolve

    # Given a display "26.6": the printed reader lost the point and read the last digit
    # a 5, unsure (two of three neighbours), outscoring the segment reading
    printed = _reading("265", 10, segments=False, score=17.3)
    gl = (*printed[1][:2], replace(printed[1][2], confidence=0.67))
    seg = _reading("26.6", 10, segments=True, conf=0.6, score=14.2)
    # Then the segment reading wins the place, and so it does where the printed reader
    # was sure (the point it lost says "display": `_sixes_read_as_fives`)
    assert _texts(resolve([(printed[0], gl, 17.3), seg])) == ["26.6"]
    assert _texts(resolve([printed, seg])) == ["26.6"]
    # but not where the printed reader was sure and saw the point too (a bold printed 5's
    # curled foot decodes as a 6's lower left bar)
    pointed = _reading("26.5", 10, segments=False, score=17.3)
    assert _texts(resolve([pointed, seg])) == ["26.5"]


def test_a_segment_line_reading_a_digit_and_the_point_the_printed_reader_lost_wins():
    from digitcam.pipeline import resolve

    # Given a display "455.2" whose printed reading "552" lost the first digit (a thin 4)
    # and the point, and outscores the segment reading decoded without display evidence
    printed = _reading("552", 40, segments=False, score=17.7)
    seg = _reading("455.2", 10, segments=True, conf=0.6, score=16.5)
    # Then the segment reading, reading on past the printed one's end, wins the place
    assert _texts(resolve([printed, seg])) == ["455.2"]


def test_a_labels_letters_decoded_as_tiny_segments_beside_a_display_are_no_line():
    from digitcam.pipeline import resolve
    from digitcam.types import Box, Glyph, GlyphKind

    def segs(text, x, y, h, conf):
        glyphs = tuple(
            Glyph(Box(x + k * h // 2, y, h // 2, h), c, conf, ((c, conf),), GlyphKind.SEGMENTS)
            for k, c in enumerate(text)
        )
        return (Box.around([g.box for g in glyphs]), glyphs, conf * len(text))

    # Given a display "349435" (70 px digits) read with its evidence (ghost cells: 1.0),
    # and a bezel's label "Hold" decoded as segments "010", its digits 15 px high
    display = segs("349435", 172, 79, 70, 1.0)
    label = segs("010", 93, 23, 15, 0.72)
    # Then the label is no line; a display's small line (0.4 of its digits) is kept
    assert _texts(resolve([display, label])) == ["349435"]
    small = segs("12", 300, 160, 28, 0.72)
    assert _texts(resolve([display, small])) == ["12", "349435"]
    # and beside a display read without evidence (bar for bar: 0.6) the label stays
    plain = segs("349435", 172, 79, 70, 0.6)
    assert _texts(resolve([plain, label])) == ["010", "349435"]


def test_a_printed_line_reading_more_of_a_displays_digits_is_no_clutter_beside_it():
    from dataclasses import replace

    from digitcam.pipeline import resolve

    # Given a display read whole by the segment reader ("503.3"), its other line read
    # "323601" by the printed reader (its last 1 unsure: 0.56) and "32601" by the segment
    # reader (a thin 3 lost), both in the same place
    display = _reading("503.3", 10, segments=True, score=28.5)
    box, glyphs, _ = _moved(_reading("323601", 10, segments=False), 0, 60)
    printed = (box, (*glyphs[:5], replace(glyphs[5], confidence=0.56)), 39.1)
    seg = _moved(_reading("32601", 25, segments=True, score=33.8), 0, 60)
    # Then the printed line, which reads every digit the segment reader read and one more,
    # is no clutter beside the display: it wins its place
    assert _texts(resolve([display, printed, seg])) == ["323601", "503.3"]
    # while one that reads other digits is, and the segment reading comes back; so it does
    # where the digit added stands beside its like, read unsurely (the printed reader's
    # split of one digit in two: "1200903" for "120903")
    box2, glyphs2, _ = _moved(_reading("383601", 10, segments=False), 0, 60)
    other = (box2, (*glyphs2[:5], replace(glyphs2[5], confidence=0.56)), 39.1)
    assert _texts(resolve([display, other, seg])) == ["32601", "503.3"]
    box3, glyphs3, _ = _moved(_reading("326001", 10, segments=False), 0, 60)
    split = (box3, (*glyphs3[:3], replace(glyphs3[3], confidence=0.68), *glyphs3[4:]), 39.1)
    assert _texts(resolve([display, split, seg])) == ["32601", "503.3"]


def test_a_printed_line_with_an_unsure_glyph_is_clutter_beside_a_display_read_surely():
    from dataclasses import replace

    from digitcam.pipeline import resolve

    # Given a printed line "8176497-44" with two unsure glyphs (0.68; with one, a line
    # this long stays: `_long_and_sure`) and, elsewhere in the frame, a segment reading
    # "1.859679" of six digits or more
    box, glyphs, _ = _moved(_reading("8176497-44", 10, segments=False), 0, 300)
    unsure = (3, 5)
    glyphs = tuple(replace(g, confidence=0.68) if k in unsure else g for k, g in enumerate(glyphs))
    printed = (box, glyphs, 55.6)
    box2, glyphs2, _ = _reading("1.859679", 10, segments=True, conf=0.7, score=19.8)
    display = (box2, glyphs2, 19.8)
    # Then beside a display read so, every digit decoded with some confidence, the
    # printed line is clutter
    assert _texts(resolve([printed, display])) == ["1.859679"]
    # but not beside a printed line's glyphs decoded as bars at next to no confidence
    # (0.19: no display read whole)
    weak = (box2, (replace(glyphs2[0], confidence=0.19), *glyphs2[1:]), 19.8)
    assert _texts(resolve([printed, weak])) == ["1.859679", "8176497-44"]


def test_a_lone_digit_that_is_clutter_gives_back_the_place_it_won():
    from digitcam.pipeline import resolve
    from digitcam.types import Box, Glyph, GlyphKind

    # Given a card's printed lines "-90769" and "1.85", and a shape's corners decoded as a
    # segment "7" whose tall box (no display's digit) takes in "1.85" and outscores it
    number = _reading("-90769", 10, segments=False, score=20.0)
    short = _moved(_reading("1.85", 10, segments=False, score=15.9), 0, 60)
    seven = Glyph(Box(0, 150, 160, 290), "7", 1.0, (("7", 1.0),), GlyphKind.SEGMENTS)
    clutter = (seven.box, (seven,), 17.0)
    # Then the 7, a lone digit beside no display, is clutter, and "1.85" is read
    assert _texts(resolve([number, short, clutter])) == ["-90769", "1.85"]


def test_a_segment_line_takes_the_minus_the_printed_reader_saw_before_its_first_digit():
    from digitcam.pipeline import _with_printed_minus

    # Given a segment line "6.1078" and a printed reading of the place "-6.10?8" (the
    # minus right before the same first digit)
    seg = _reading("6.1078", 40, segments=True, score=28.0)
    printed = _reading("-6.10?8", 20, segments=False, score=29.3)
    # Then the segment line gets the minus
    got = _with_printed_minus(seg, [seg, printed])
    assert "".join(g.char for g in got[1]) == "-6.1078"
    assert got[0].x == printed[1][0].box.x
    # but not where the printed line starts with another digit, nor a minus far off or
    # off the digits' middle (a bezel's edge)
    other = _reading("-8.10?8", 20, segments=False)
    assert _with_printed_minus(seg, [seg, other]) is seg
    far = _reading("-6.10?8", 20, segments=False)
    far = (far[0], (_moved((far[0], far[1][:1], 0), -60, 0)[1][0], *far[1][1:]), 0)
    assert _with_printed_minus(seg, [seg, far]) is seg
    high = (far[0], (_moved((far[0], printed[1][:1], 0), 0, -15)[1][0], *far[1][1:]), 0)
    assert _with_printed_minus(seg, [seg, high]) is seg
    # nor a bar close to the digit but off the cell before it (digits 30 px apart: the
    # tip of a line of clutter ending at the display's bezel)
    tip = (far[0], (_moved((far[0], printed[1][:1], 0), 12, 0)[1][0], *far[1][1:]), 0)
    assert _with_printed_minus(seg, [seg, tip]) is seg


def test_unsure_eights_on_a_display_lines_row_are_its_ghosts():
    from digitcam.pipeline import resolve

    # Given a display line "1936" read surely and, left of it on its row, "88" decoded
    # without display evidence (the blank cells' glowing unlit bars)
    display = _reading("1936", 200, segments=True, score=32.8)
    ghosts = _reading("88", 120, segments=True, conf=0.6, score=9.7)
    # Then the ghosts are dropped; not sure 8s, nor unsure ones on another row
    assert _texts(resolve([display, ghosts])) == ["1936"]
    sure = _reading("88", 120, segments=True, conf=1.0, score=9.7)
    assert _texts(resolve([display, sure])) == ["1936", "88"]
    below = _moved(ghosts, 0, 60)
    assert _texts(resolve([display, below])) == ["1936", "88"]


def test_a_segment_line_takes_the_point_the_printed_reader_saw_between_its_digits():
    from dataclasses import replace

    from digitcam.pipeline import _with_printed_point
    from digitcam.types import Box, Glyph, GlyphKind

    seg = tuple(replace(g, kind=GlyphKind.SEGMENTS) for g in _glyphs("4033", 10))
    line = (Box.around([g.box for g in seg]), seg, 20.0)
    # Given a printed reading of the same place that lost the 4 but saw the point
    p = _glyphs("033", 40)
    dot = Glyph(Box(p[0].box.x2 + 2, 134, 5, 5), ".", 0.9, (), GlyphKind.MARK)
    printed = (p[0], dot, *p[1:])
    cands = [line, _line(printed)]
    # Then the segment line gets the point, between the same digits
    got = _with_printed_point(line, cands)
    assert "".join(g.char for g in got[1]) == "40.33"
    assert (got[0], got[2]) == (line[0], line[2])
    # but not where the digits around the point read otherwise, nor when it has one
    other = (p[0], dot, replace(p[1], char="8"), p[2])
    assert _with_printed_point(line, [line, _line(other)]) is line
    # and where the printed reader could not read the digit after the point ('?')
    unread = (p[0], dot, replace(p[1], char="?"), p[2])
    got = _with_printed_point(line, [line, _line(unread)])
    assert "".join(g.char for g in got[1]) == "40.33"
    pointed = (*seg[:2], dot, *seg[2:])
    with_point = (line[0], pointed, 20.0)
    assert _with_printed_point(with_point, [with_point, _line(printed)]) is with_point


def test_a_tilted_fused_line_gets_its_slope_and_glyph_height_from_its_columns():
    from digitcam.pipeline import fused_line_geometry
    from digitcam.types import Polarity

    # Given bold digits set so tight they are one blob, 26 px high, tilted by 4 degrees
    text = np.zeros((120, 400), np.uint8)
    cv2.putText(text, "2884224", (20, 75), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 255, 7)
    rot = cv2.getRotationMatrix2D((200, 60), 4.0, 1.0)
    mask = cv2.warpAffine(text, rot, (400, 120), flags=cv2.INTER_NEAREST)
    n, _lab, st, _c = cv2.connectedComponentsWithStats(mask)
    assert n == 2  # one blob
    box = st[1:2, :4].astype(np.int32)
    _x, _y, _w, glyph_h = cv2.boundingRect(cv2.findNonZero(text))  # upright: glyphs' height
    # When its geometry is fitted
    line = fused_line_geometry(mask, box, Polarity.LIGHT_ON_DARK)
    # Then the slope is the tilt (the image's y runs down: a counter-clockwise turn rises
    # to the right) and the height the glyphs', not the box's
    assert line.slope == pytest.approx(-np.tan(np.radians(4.0)), abs=0.015)
    assert abs(line.height - glyph_h) <= 0.15 * glyph_h < 0.8 * box[0, 3]
    # and an upright blob keeps its box's geometry (no tilt to account for)
    n, _lab, st, _c = cv2.connectedComponentsWithStats(text)
    upright = fused_line_geometry(text, st[1:2, :4].astype(np.int32), Polarity.LIGHT_ON_DARK)
    assert (upright.slope, upright.height) == (0.0, float(st[1, 3]))


def test_odd_heights_at_a_lines_ends_are_trimmed_not_the_line():
    from digitcam.pipeline import _trim_odd_heights
    from digitcam.segment import Unit
    from digitcam.types import Box

    def unit(x, h, mark=""):
        patch = None if mark else np.ones((h, 10), np.float32)
        return (Unit(Box(x, 100 - h, 10, h), patch, mark, h / 40), ("1", 1.0, ()))

    # Given five digits 40 px high between a leading minus and a card edge 80 px high
    units = [unit(0, 6, "-"), *(unit(20 + 15 * k, 40) for k in range(5)), unit(100, 80)]
    # When trimmed, Then only the edge goes (the minus is a mark, the digits agree)
    kept = _trim_odd_heights(units)
    assert [u.box.h for u, _ in kept] == [6, 40, 40, 40, 40, 40]
    # and an odd glyph inside the line stays (it reads '?' or as itself later)
    inside = [*units[:3], unit(45, 60), *units[3:6]]
    assert len(_trim_odd_heights(inside)) == len(inside)
    # and a short stroke of a word before the digits goes with the clutter's dash before
    # it ("-1 7.6": a word's letter and a piece of another before a "7.6")
    word = [unit(0, 40, "-"), unit(20, 24), unit(50, 40), unit(65, 8, "."), unit(80, 40)]
    kept = _trim_odd_heights(word)
    assert [(u.box.h, u.mark) for u, _ in kept] == [(40, ""), (8, "."), (40, "")]


def test_a_minus_set_far_apart_still_joins_its_number(model):
    # Given "9 - 18" set so wide that the glyphs are too far apart to link
    img = np.full((200, 640), 235, np.uint8)
    for x, t in ((40, "9"), (118, "-"), (172, "18")):
        cv2.putText(img, t, (x, 120), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 25, 5, cv2.LINE_AA)
    # When read, Then it is one number, not "9" lost and "-18"
    assert read_frame(img, model).text == "9-18"


def test_height_spread_allows_one_odd_glyph_in_a_long_line():
    from digitcam.pipeline import MAX_HEIGHT_SPREAD, _height_spread

    one_odd = np.array([40, 41, 40, 39, 52, 40], np.float32)
    assert _height_spread(one_odd) < MAX_HEIGHT_SPREAD
    two_odd = np.array([40, 41, 52, 39, 52, 40], np.float32)
    assert _height_spread(two_odd) > MAX_HEIGHT_SPREAD
    short = np.array([40, 52, 40], np.float32)  # too short to leave one out
    assert _height_spread(short) > MAX_HEIGHT_SPREAD


def test_line_cap_keeps_the_longest_and_says_what_it_did():
    from digitcam.pipeline import cap_lines
    from digitcam.segment import line_geometry

    def line(n):
        boxes = np.array([[i * 30, 10, 20, 30] for i in range(n)], np.int32)
        return line_geometry(boxes, Polarity.DARK_ON_LIGHT)

    notes: list[str] = []
    kept = cap_lines([line(2), line(5), line(3)], 2, notes, what="candidate lines", done="gated")
    assert [len(ln.boxes) for ln in kept] == [5, 3]
    assert notes == ["3 candidate lines; gated the 2 longest"]
    assert len(cap_lines([line(2)], 2, notes, what="x", done="y")) == 1
    assert len(notes) == 1  # nothing cut, nothing said


@pytest.mark.parametrize(
    ("seed", "held_out", "why"),
    [
        (30070, True, "a grille of bars below the number decodes as 11111?11113?1"),
        (20092, False, "a printed '-0.8' decoded as segments '-8.8' took its place"),
        (20267, False, "clutter bars cut by the frame's edge decode as '11.1'"),
        (40057, False, "two bars of clutter decode as segments '17'"),
    ],
)
def test_segment_readings_of_clutter_beside_printed_numbers_are_not_read(
    model, heldout_faces, seed, held_out, why
):
    # given a printed camera scene where the seven-segment reader (on by default) once
    # added or replaced a line (found by comparing with `--reader printed`)
    faces = heldout_faces if held_out else synth.printed_faces()
    scene = synth.make_scene(seed, faces=faces, size=(640, 480), difficulty="camera")
    # then the default reads exactly the printed numbers
    assert read_frame(scene.image, model).text == scene.text, why


@pytest.mark.parametrize(
    ("seed", "held_out", "why"),
    [
        (90006, True, "clutter chained into the line tilted its slope: the minus fell off"),
        (70046, False, "a line broken at one glyph into two lines that share it"),
        (30106, True, "a word's capitals cut by the frame's side read as '68'"),
        (50046, False, "a point set tight before a digit, fused to it: '8.5184'"),
        (30026, True, "a point fused to the digit after it in a long line"),
        (70119, False, "a point fused to the digit after it read that digit as '?'"),
        (60056, True, "a printed '-0.3' that the segment decoder reads as '0.3'"),
        (60087, True, "a 4's crossbar touching the next digit read as a minus"),
        (50004, False, "two digits fused into one blob behind a small minus: '-60'"),
        (70070, False, "two digits fused into one blob behind a minus: '-14'"),
        (30033, True, "a short line '5.9' whose digits the model gives two of three votes"),
        (
            50009,
            False,
            "two letters of a word ('Uw') read as '80' once the others were trimmed as clutter",
        ),
        (70042, False, "two letters of a word ('UN') read as '08'"),
        (20073, False, "a card's edge under a tilted line split it at the minus' digit"),
        (90056, True, "a bar of clutter above a line's digits read as a '?' among them"),
        (
            80002,
            False,
            "a tilted line of bold serif digits fused into one blob (its box "
            "is half again as tall as its digits)",
        ),
        (20114, False, "'7 - 3' at 64 px: its minus a candidate itself, bridging nothing"),
        (20271, False, "'7-60-1-29': the first minus a candidate, the 7 left alone"),
        (20291, False, "a short line '273' whose 7 touched the card's top edge ('203')"),
        (20187, False, "'19.6' in a box drawn around it, whose sides read '611'"),
    ],
)
def test_hard_printed_scenes_read_exactly(model, heldout_faces, seed, held_out, why):
    faces = heldout_faces if held_out else synth.printed_faces()
    scene = synth.make_scene(seed, faces=faces, size=(640, 480), difficulty="camera")
    assert read_frame(scene.image, model).text == scene.text, why


@pytest.mark.parametrize(
    ("seed", "held_out", "why"),
    [
        (1132, False, "a face whose 2s and 3s are wide at the foot: each cut as a point"),
        (1110, False, "a 4's crossbar reaching past its stem, set high, cut off as a minus"),
        (110148, False, "a shadow across thin digits: the paper between them won the place"),
        (1093, False, "a short line '7.5' whose band the clutter cut by the crop set"),
        (50034, False, "a short line '3.8' in a block of lines, its 3 joined to the card's edge"),
        (60089, True, "the frame's edge beside a line read as an unsure '1'"),
        (1013, False, "a bold line whose end digits touch the card's bottom edge ('59.7')"),
        (110038, False, "a frame around '9.375' read '8328'"),
    ],
)
def test_hard_scenes_of_either_face_split_read_exactly(model, seed, held_out, why):
    # given a camera scene in the training split's faces (the model saw the faces, not
    # these scenes) or the held-out split's, as the development benchmarks draw them
    train, heldout = synth.split_faces(synth.printed_faces())
    scene = synth.make_scene(seed, faces=heldout if held_out else train)
    # then it reads exactly
    assert read_frame(scene.image, model).text == scene.text, why


def _label_in_clutter(text: str, *, seed: int) -> np.ndarray:
    """A 640x480 gray frame strewn with 600 glyph-sized ellipses, dark and light (far
    more candidate lines than the line caps hold), and a small label: faint 15-px digits
    in a thick dark border, which lifts the frame's local threshold over them."""
    rng = np.random.default_rng(seed)
    img = np.full((480, 640), 128, np.uint8)
    for _ in range(600):
        x, y = int(rng.integers(0, 640)), int(rng.integers(0, 480))
        w, h = int(rng.integers(6, 30)), int(rng.integers(12, 40))
        v = int(rng.choice([30, 225]))
        cv2.ellipse(img, (x, y), (w // 2, h // 2), float(rng.integers(0, 180)), 0, 360, v, -1)
    scale = 15 / 22.0
    (tw, th), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 2)
    x0, y0 = 420, 120
    cv2.rectangle(img, (x0 - 15, y0 - th - 13), (x0 + tw + 15, y0 + 13), 30, -1)
    cv2.rectangle(img, (x0 - 7, y0 - th - 5), (x0 + tw + 7, y0 + 5), 235, -1)
    cv2.putText(img, text, (x0, y0), cv2.FONT_HERSHEY_SIMPLEX, scale, 120, 2, cv2.LINE_AA)
    return img


@pytest.mark.parametrize("seed", [0, 1])
def test_a_small_label_in_heavy_clutter_is_read_past_the_line_caps(model, seed):
    # given a frame whose clutter makes ~90 candidate lines and a small faint label, whose
    # glyphs the frame's own threshold breaks (only a small window sees them whole)
    image = _label_in_clutter("69947", seed=seed)
    # then the label reads whole: its line (found with the small window) is gated and
    # refined besides the frame's capped lines (it read '699', or nothing)
    assert read_frame(image, model).text == "69947"


@pytest.mark.parametrize("text", ["6-985", "30417"])
def test_faint_digits_beside_a_cards_black_border_read(model, text):
    # given faint digits (ink 115 levels under the paper) on a card whose thick black
    # border runs 4 px under their baseline
    img = np.full((480, 640), 120, np.uint8)
    scale = 1.4
    (tw, th), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 2)
    x0, y0 = 200, 200
    cv2.rectangle(img, (x0 - 40, y0 - th - 34), (x0 + tw + 40, y0 + 24), 20, -1)
    cv2.rectangle(img, (x0 - 20, y0 - th - 14), (x0 + tw + 20, y0 + 4), 235, -1)
    cv2.putText(img, text, (x0, y0), cv2.FONT_HERSHEY_SIMPLEX, scale, 120, 2, cv2.LINE_AA)
    # then they read: the line's threshold scales with their own ink, not the border's
    # (which set the contrast alone and left the strokes in pieces: nothing was read)
    assert read_frame(img, model).text == text


@pytest.mark.parametrize(
    ("text", "h", "pitch"), [("44.50", 40, 1.5), ("92.675", 40, 1.6), ("3.14", 30, 1.8)]
)
def test_a_widely_set_number_holds_together_at_its_point(model, text, h, pitch):
    # given a number set wide, one digit height and more between glyphs (a monospaced
    # price tag), so that its point leaves a gap no neighbours link across
    img = np.full((480, 640), 230, np.uint8)
    x = 80
    for ch in text:
        cv2.putText(img, ch, (x, 250), cv2.FONT_HERSHEY_SIMPLEX, h / 22.0, 30, max(2, h // 12),
                    cv2.LINE_AA)  # fmt: skip
        x += int(pitch * h)
    # then it reads as one number (it read as two lines, '44' over '50')
    assert read_frame(img, model).text == text


def test_clutter_below_a_tilted_line_or_behind_its_glyphs_is_no_part_of_it():
    # given a refined tilted line "-42": a minus, two digits, and three "not a glyph"
    # units: the card's edge under the 4 and under the 2, and a blob behind the minus and 4
    patch = np.ones((20, 20), np.float32)

    def unit(x, y, w, h, mark=""):
        return Unit(Box(x, y, w, h), None if mark else patch, mark, 1.0)

    minus, four, two = unit(30, 95, 41, 25, "-"), unit(100, 63, 65, 89), unit(178, 68, 63, 90)
    edge1, edge2, behind = unit(85, 155, 76, 21), unit(159, 162, 76, 18), unit(16, 64, 77, 108)
    units = [
        (minus, ("-", 0.9, ())),
        (four, ("4", 1.0, ())),
        (behind, ("_", 1.0, ())),
        (edge1, ("_", 1.0, ())),
        (edge2, ("_", 1.0, ())),
        (two, ("2", 1.0, ())),
    ]
    # then those three go and the line's own units stay, in order
    kept = [u for u, _c in _without_stray_clutter(units)]
    assert kept == [minus, four, two]
    # while clutter in the digits' band beside them (a word's letter) stays
    letter = unit(250, 70, 50, 88)
    assert _without_stray_clutter([*units, (letter, ("_", 1.0, ()))])[-1][0] is letter


def test_a_lone_blob_wider_than_tall_is_fused_text_and_a_digit_shaped_one_is_not():
    # (x, y, w, h): two bold digits touching (1.25 heights wide), and one digit
    assert _fused_text(np.array([444, 63, 100, 80]))
    assert not _fused_text(np.array([444, 63, 60, 80]))


def test_a_crop_of_one_display_digit_reads_as_that_digit(model):
    # given a small upright crop of one seven-segment digit whose bars touch its edges
    from digitcam.synth7 import CellSpec, SegmentLook, render_cells

    lit, ghost, _ = render_cells([CellSpec("4")], SegmentLook("polygon"), height=60)
    ys, xs = np.nonzero(lit > 0.5)
    cover = (lit + 0.15 * ghost)[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    crop = np.clip(200 - 160 * cover, 0, 255).astype(np.uint8)  # dark LCD bars
    # when the whole image is read
    reading = read_frame(crop, model)
    # then it is that digit, and a frame of the same size with nothing on it reads nothing
    assert reading.text == "4"
    assert read_frame(np.full_like(crop, 200), model).text == ""


def test_a_narrow_crop_of_a_display_one_reads_as_one(model):
    # given a crop of a seven-segment 1 with a little margin: a bar five times taller than wide
    from digitcam.synth7 import CellSpec, SegmentLook, render_cells

    lit, _ghost, _ = render_cells([CellSpec("1")], SegmentLook("polygon"), height=60)
    ys, xs = np.nonzero(lit > 0.5)
    cover = lit[ys.min() - 2 : ys.max() + 3, xs.min() - 3 : xs.max() + 4]
    crop = np.clip(30 + 200 * cover, 0, 255).astype(np.uint8)  # a lit LED bar
    assert 3.5 < crop.shape[0] / crop.shape[1] <= 6.0
    # when the whole image is read, then it is a 1
    assert read_frame(crop, model).text == "1"


def test_real_display_digit_crops_read_as_given(model):
    # given every 8th real seven-segment crop (skipped where the data is absent)
    import json

    labels = (
        Path(__file__).resolve().parents[2] / "shared/data/real/kazuhito_7seg_crops/labels.jsonl"
    )
    if not labels.is_file():
        pytest.skip(f"real data not found at {labels.parent}")
    rows = [json.loads(x) for x in labels.read_text().splitlines()][::8]
    # when each is read like `digitcam read crop.png`
    ok = sum(
        read_frame(cv2.imread(str(labels.parent / r["file"])), model).text == r["text"]
        for r in rows
    )
    # then most read right (measured on every 8th: 94.6 %, every 3rd: 94.7 %)
    assert ok >= 0.88 * len(rows), f"{ok}/{len(rows)}"
    # and blank cells of the same displays mostly read nothing (measured: 10 of 118 read)
    blanks = [json.loads(x) for x in (labels.parent / "reject.jsonl").read_text().splitlines()]
    read = [read_frame(cv2.imread(str(labels.parent / r["file"])), model).text for r in blanks[::2]]
    assert sum(t != "" for t in read) <= 0.15 * len(read), read


def test_of_two_readings_of_one_place_the_one_with_its_point_wins():
    from digitcam.pipeline import resolve
    from digitcam.types import Box, Glyph, GlyphKind

    # Given the same digits read twice at one place, once with the point between them,
    # the reading without the point scoring a little higher (its boxes came out taller)
    plain = _glyphs("086", 100)
    dotted = (plain[0], Glyph(Box(124, 136, 4, 4), ".", 0.9, (), GlyphKind.MARK), *plain[1:])
    lines = [(_line(plain)[0], plain, 20.0), (_line(dotted)[0], dotted, 19.5)]
    # When resolved
    got = ["".join(g.char for g in gl) for _, gl, _ in resolve(lines)]
    # Then the reading with the point is kept
    assert got == ["0.86"]


def test_a_point_does_not_lower_its_lines_score(model):
    from digitcam.pipeline import assemble, classify_units, segment_frame
    from digitcam.preprocess import denoise

    # Given a card reading "-0.8" in a plain face (two marks among two digits), and the
    # same digits without the marks
    scores = []
    for text in ("-0.8", "08"):
        gray = denoise(_card(text, inverted=False))
        det, classes = classify_units(segment_frame(gray, ReaderConfig(), model), model)
        cands = assemble(det, classes, ReaderConfig(), model.reject_threshold)
        best = max(cands, key=lambda c: c[2])
        assert "".join(g.char for g in best[1]) == text
        scores.append(best[2])
    # Then both score alike: the marks' small boxes are not part of the line's height
    assert scores[0] == pytest.approx(scores[1], rel=0.05)


@pytest.mark.parametrize(("cut_merit", "expected"), [(0.93, ""), (0.99, ".")])
def test_a_mark_cut_off_a_blob_must_read_clearly_better(cut_merit, expected):
    from digitcam.pipeline import CUT_MARGIN, _choose
    from digitcam.segment import Unit
    from digitcam.types import Box

    # Given a blob read whole (merit 0.92) and with a point cut off its end
    patch = np.zeros((4, 4), np.float32)
    whole = (Unit(Box(0, 0, 30, 40), patch, "", 1.0),)
    cut = (Unit(Box(0, 0, 24, 40), patch, "", 1.0), Unit(Box(25, 34, 5, 6), None, ".", 0.15))
    merits = {id(whole): 0.92, id(cut): cut_merit}
    assert (cut_merit - 0.92 >= CUT_MARGIN) == (expected == ".")
    # When the split is chosen
    got = _choose((whole, cut), lambda alt: merits[id(alt)])
    # Then the cut wins only by a clear margin (a 2's tail reads as well either way)
    assert [u.mark for u in got][-1] == expected


@pytest.mark.parametrize(
    ("whole_w", "line_w", "expected"), [(34, 24, "."), (26, 24, ""), (34, None, "")]
)
def test_a_point_that_makes_its_blob_too_wide_is_cut(whole_w, line_w, expected):
    from digitcam.pipeline import WIDE_CUT, _choose
    from digitcam.segment import Unit
    from digitcam.types import Box

    # Given a blob that reads "2" whole and "2" plus a point when cut, equally surely
    # (a point fused to the 2's foot), in a line whose other digits are `line_w` wide
    patch = np.zeros((4, 4), np.float32)
    whole = (Unit(Box(0, 0, whole_w, 40), patch, "", 1.0),)
    cut = (Unit(Box(0, 0, 24, 40), patch, "", 1.0), Unit(Box(26, 34, 6, 6), None, ".", 0.15))
    if line_w is not None:
        assert (whole_w >= WIDE_CUT * line_w) == (expected == ".")
    # When the split is chosen
    got = _choose(
        (whole, cut),
        lambda alt: 1.0,
        chars=lambda alt: "2",
        digit_width=None if line_w is None else float(line_w),
    )
    # Then the point is cut only when it is what makes the blob wider than the line's
    # digits (a 2's tail is as wide in every 2), and never without digits to compare to
    assert [u.mark for u in got][-1] == expected


@pytest.mark.parametrize(("whole_w", "expected"), [(34, ["."]), (26, [""])])
def test_a_point_fused_before_its_digit_that_makes_the_blob_too_wide_is_cut(whole_w, expected):
    from digitcam.pipeline import _choose
    from digitcam.segment import Unit
    from digitcam.types import Box

    # Given a blob that reads "8" whole and a point plus "8" when cut at its start,
    # equally surely (the point of "9.8" set tight against the 8), in a line whose other
    # digits are 24 px wide, set 6 px apart, the 9 ending 8 px before the blob
    patch = np.zeros((4, 4), np.float32)
    whole = (Unit(Box(0, 0, whole_w, 40), patch, "", 1.0),)
    cut = (Unit(Box(0, 34, 6, 6), None, ".", 0.15), Unit(Box(8, 0, 24, 40), patch, "", 1.0))
    # When the split is chosen
    got = _choose(
        (whole, cut), lambda alt: 1.0, chars=lambda alt: "8", digit_width=24.0, room=(-8, 6.0)
    )
    # Then the point is cut off the blob's start only when it makes the blob too wide
    assert [u.mark for u in got][:1] == expected


@pytest.mark.parametrize(("before_x2", "expected"), [(-8, "."), (-2, ""), (None, "")])
def test_a_point_cut_before_its_digit_needs_a_space_of_its_own(before_x2, expected):
    from digitcam.pipeline import POINT_ROOM, _choose
    from digitcam.segment import Unit
    from digitcam.types import Box

    # Given a blob 34 px wide that reads "2" whole and a point plus "2" cut at its start,
    # equally surely, in a line of 24 px digits set 6 px apart, the glyph before it
    # ending at `before_x2` (or none: the blob starts its line)
    patch = np.zeros((4, 4), np.float32)
    whole = (Unit(Box(0, 0, 34, 40), patch, "", 1.0),)
    cut = (Unit(Box(0, 34, 8, 6), None, ".", 0.15), Unit(Box(10, 0, 24, 40), patch, "", 1.0))
    room = None if before_x2 is None else (before_x2, 6.0)
    if room is not None:
        assert (10 - before_x2 >= 6.0 + POINT_ROOM * 8) == (expected == ".")
    # When the split is chosen
    got = _choose((whole, cut), lambda alt: 1.0, chars=lambda alt: "2", digit_width=24.0, room=room)
    # Then the point is cut only where the 2 stands further from the glyph before than
    # the line's usual gap by most of the point's width: an italic 2's foot reaching under
    # the glyph before leaves the 2 where a 2 stands anyway (7.274347 read for 7274347)
    assert [u.mark for u in got][:1] == [expected]


def test_a_point_cut_that_leaves_its_digit_above_the_baseline_is_the_glyphs_foot():
    from digitcam.pipeline import _choose
    from digitcam.segment import Unit
    from digitcam.types import Box

    # Given a blob that reads no glyph whole, and a point plus "1" cut at its start, the
    # 1 ending above the point's bottom (a serif 1's foot, or an italic 7's stem, cut off)
    patch = np.zeros((4, 4), np.float32)
    whole = (Unit(Box(0, 0, 12, 40), patch, "", 1.0),)
    foot = Unit(Box(0, 30, 5, 10), None, ".", 0.25)
    one = Unit(Box(4, 0, 8, 32), patch, "", 1.0)
    # When the split is chosen (the glyph before well clear of it), the 1 read surely
    # and the blob whole as no glyph
    got = _choose(
        (whole, (foot, one)), lambda alt: float(any(u is one for u in alt)), room=(-40, 6.0)
    )
    # Then the 1 is read without a point: the foot was part of it
    assert [u.mark or "g" for u in got] == ["g"]
    assert got[0] is one


@pytest.mark.parametrize(
    ("second_merit", "second_text", "expected"),
    [(1.0, "63006", 6), (0.9, "63006", 5), (1.0, "63?06", 5)],
)
def test_of_two_sure_splits_into_digits_the_evener_wins(second_merit, second_text, expected):
    from digitcam.pipeline import EVEN_MARGIN, _choose, _width_spread
    from digitcam.segment import Unit
    from digitcam.types import Box

    # Given a blob of a thin italic "63006" set tight, cut in five (a 3 with half the
    # next 0 on it, 39 px, and a 0 with the rest, 37 px) and in six (each 26-28 px), the
    # classifier as sure of both (it is: a 3 with a 0's edge still reads 3)
    patch = np.zeros((4, 4), np.float32)

    def cut(widths: list[int]) -> tuple[Unit, ...]:
        xs = np.cumsum([0, *widths[:-1]]).tolist()
        return tuple(
            Unit(Box(x, 0, w, 44), patch, "", 1.0) for x, w in zip(xs, widths, strict=True)
        )

    five = cut([26, 30, 39, 37, 28])
    six = cut([26, 27, 27, 27, 28, 27])
    text = {id(five): "96306", id(six): "9" + second_text}
    merits = {id(five): 1.0, id(six): second_merit}
    assert (
        _width_spread(five, lambda a: text[id(a)]) - _width_spread(six, lambda a: text[id(a)])
        >= EVEN_MARGIN
    )
    # When the split is chosen
    got = _choose(
        (five, six), lambda alt: merits[id(alt)], chars=lambda alt: text[id(alt)], digit_width=None
    )
    # Then the cut that leaves the digits even in width wins, but only as surely read and
    # into digits throughout
    assert len(got) == expected


def test_width_spread_leaves_ones_out():
    from digitcam.pipeline import _width_spread
    from digitcam.segment import Unit
    from digitcam.types import Box

    # Given a split "717" whose 1 is a third as wide as its 7s
    patch = np.zeros((4, 4), np.float32)
    alt = tuple(Unit(Box(30 * i, 0, w, 40), patch, "", 1.0) for i, w in enumerate((24, 8, 25)))
    # Then its spread is its 7s' alone (a 1 is narrow in every face)
    assert _width_spread(alt, lambda a: "717") == pytest.approx(25 / 24)


@pytest.mark.parametrize(("n_wide", "expected"), [(1, "222.2"), (2, "2222"), (3, "2222")])
def test_the_width_test_cuts_at_most_one_point_off_a_line(n_wide, expected):
    from digitcam.pipeline import _choose_splits
    from digitcam.segment import Unit
    from digitcam.types import Box

    # Given a line of four 2s, 24 px wide, of which `n_wide` are blobs 34 px wide that
    # read "2" whole and a point plus "2" cut at their start, equally surely (a face
    # whose 2s have a wide foot, or one point set tight before its digit)
    patch = np.zeros((4, 4), np.float32)
    units = []
    for k in range(4):
        x = 40 * k
        if k < 4 - n_wide:
            units.append(Unit(Box(x, 0, 24, 40), patch, "", 1.0))
            continue
        whole = (Unit(Box(x, 0, 34, 40), patch, "", 1.0),)
        cut = (Unit(Box(x, 34, 6, 6), None, ".", 0.15), Unit(Box(x + 8, 0, 24, 40), patch, "", 1.0))
        units.append(Unit(Box(x, 0, 34, 40), None, "", 1.0, (whole, cut)))

    def label(u):
        return (u.mark, 0.9, ()) if u.patch is None else ("2", 1.0, ())

    # When the splits are chosen
    got = _choose_splits(
        tuple(units),
        label,
        lambda alt: 1.0,
        lambda alt: "".join(label(u)[0] for u in alt if u.patch is not None),
    )
    # Then one wide blob gives its point; several wide blobs are the face, not points
    assert "".join(u.mark or "2" for u in got) == expected


@pytest.mark.parametrize(("digit", "expected"), [("4", ""), ("0", "-")])
def test_a_mid_height_bar_cut_off_a_4_must_read_clearly_better(digit, expected):
    from digitcam.pipeline import _choose
    from digitcam.segment import Unit
    from digitcam.types import Box

    # Given a blob that reads `digit` whole and `digit` plus a minus cut off its end,
    # equally surely, the cut offered first (its bar sits at mid-height)
    patch = np.zeros((4, 4), np.float32)
    whole = (Unit(Box(0, 0, 40, 40), patch, "", 1.0),)
    cut = (Unit(Box(0, 0, 30, 40), patch, "", 1.0), Unit(Box(30, 20, 10, 4), None, "-", 0.1))
    # When the split is chosen
    got = _choose((cut, whole), lambda alt: 1.0, chars=lambda alt: digit)
    # Then a fused minus wins the tie, but not after a 4: a high crossbar reads as well
    assert got[-1].mark == expected


def test_a_mark_cut_off_a_blobs_start_must_read_clearly_better():
    from digitcam.pipeline import CUT_MARGIN, _choose
    from digitcam.segment import Unit
    from digitcam.types import Box

    # Given a blob read whole (0.92) and with a minus cut off its start, a hair better
    patch = np.zeros((4, 4), np.float32)
    whole = (Unit(Box(0, 0, 40, 40), patch, "", 1.0),)
    cut = (Unit(Box(0, 18, 12, 4), None, "-", 0.1), Unit(Box(14, 0, 26, 40), patch, "", 1.0))
    for cut_merit, expected in ((0.92 + CUT_MARGIN / 2, ""), (0.92 + 2 * CUT_MARGIN, "-")):
        merits = {id(whole): 0.92, id(cut): cut_merit}
        # When the split is chosen (no line width to compare with)
        got = _choose((whole, cut), lambda alt, m=merits: m[id(alt)])
        # Then the cut wins by a clear margin only, as a cut off the blob's end does
        assert got[0].mark == expected


def test_the_lines_digit_width_leaves_out_ones_unsure_glyphs_and_lines_with_a_point():
    from digitcam.pipeline import _digit_width
    from digitcam.segment import Unit
    from digitcam.types import Box

    patch = np.zeros((4, 4), np.float32)
    chars = [("1", 1.0), ("4", 1.0), ("7", 0.3), ("8", 0.9), ("_", 1.0)]
    widths = [8, 20, 99, 22, 50]
    units = tuple(Unit(Box(30 * i, 0, w, 40), patch, "", 1.0) for i, w in enumerate(widths))
    labels = {id(u): (c, p, ()) for u, (c, p) in zip(units, chars, strict=True)}

    def label(u):
        return labels[id(u)]

    # Sure digits other than 1s give the width, one of them is enough (a short line);
    # a line of 1s and unsure glyphs gives none
    assert _digit_width(units, label) == pytest.approx(21.0)
    assert _digit_width(units[:2], label) == pytest.approx(20.0)
    assert _digit_width((units[0], units[2]), label) is None
    # A line that already has its decimal point gets no width (no second point is cut)
    point = Unit(Box(200, 34, 6, 6), None, ".", 0.15)
    assert _digit_width((*units, point), label) is None


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (("segments", "segments"), "9.48"),  # the segment reader found the point once
        (("classified", "segments"), "9.48"),  # the printed reader saw the point
        (("classified", "classified"), "9.48"),
    ],
)
def test_of_readings_of_one_place_with_the_same_digits_the_one_with_the_mark_wins(kinds, expected):
    from dataclasses import replace

    from digitcam.pipeline import resolve
    from digitcam.types import Box, Glyph, GlyphKind

    # Given two readings of one place, the same digits, one with a point, scored lower
    # (its box came out looser)
    def reading(text, kind, score):
        gl = [replace(g, kind=GlyphKind(kind)) for g in _glyphs(text.replace(".", ""), 100)]
        if "." in text:
            d = gl[0].box
            point = Glyph(Box(d.x2 + 1, d.y2 - 5, 5, 5), ".", 0.9, (), GlyphKind.MARK)
            gl.insert(1, point)
        return (_line(tuple(gl))[0], tuple(gl), score)

    with_mark = reading("9.48", kinds[0], 11.5)
    without = reading("948", kinds[1], 15.3)
    # When the readers' candidates are resolved
    got = ["".join(g.char for g in gl) for _, gl, _ in resolve([without, with_mark])]
    # Then the reading with the mark wins
    assert got == [expected]


def test_a_minus_cut_by_the_frames_side_is_not_read():
    from digitcam.pipeline import _drop_edge_marks

    # Given a line whose leading minus touches the frame's left side, and one whose
    # minus stands inside the frame
    at_edge = _glyphs("-284", 0)
    inside = _glyphs("-284", 40, y=200)
    lines = [_line(at_edge), _line(inside)]
    # When lines are finished in a 640 px wide frame
    got = ["".join(g.char for g in gl) for _, gl, _ in _drop_edge_marks(lines, 640)]
    # Then the bar cut by the side is dropped, the other minus kept
    assert got == ["284", "-284"]


def test_a_short_line_the_frames_side_cuts_is_not_read():
    from digitcam.pipeline import _drop_edge_marks

    # Given two-glyph lines touching the frame's right side (a word's capitals cut by the
    # edge read as "68") and its left side, a long line touching it, and one inside
    at_right = _glyphs("68", 640 - 2 * 20)
    at_left = _glyphs("68", 0, y=100)
    long_line = _glyphs("6801", 0, y=200)
    inside = _glyphs("68", 300, y=300)
    lines = [_line(at_right), _line(at_left), _line(long_line), _line(inside)]
    # When lines are finished in a 640 px wide frame
    got = ["".join(g.char for g in gl) for _, gl, _ in _drop_edge_marks(lines, 640)]
    # Then only the long line and the one inside are read
    assert got == ["6801", "68"]


@pytest.mark.parametrize(("speck_x", "read"), [(150, ["-36"]), (100, [])])
def test_clutter_trimmed_far_from_a_short_line_does_not_make_it_unsure(speck_x, read):
    from digitcam.pipeline import CLUTTER_GAP, Detection, assemble
    from digitcam.segment import RefinedLine, Unit
    from digitcam.types import Box

    # Given "-36" read 0.67 / 1.0 (a signed pair, enough at 0.8) and a speck of clutter
    # after it, far off (> CLUTTER_GAP heights) or close, as a word's next letter would be
    patch = np.zeros((4, 4), np.float32)
    units = [
        Unit(Box(30, 115, 14, 5), None, "-", 0.1),
        Unit(Box(50, 100, 22, 40), patch, "", 1.0),
        Unit(Box(76, 100, 22, 40), patch, "", 1.0),
        Unit(Box(speck_x, 110, 10, 12), patch, "", 0.3),
    ]
    assert (speck_x - 98 > CLUTTER_GAP * 40) == bool(read)
    classes = [
        ("-", 0.9, (("-", 0.9),)),
        ("3", 0.67, (("3", 0.67),)),
        ("6", 1.0, (("6", 1.0),)),
        ("_", 1.0, (("_", 1.0),)),
    ]
    det = Detection((RefinedLine(tuple(units), Polarity.DARK_ON_LIGHT, Box(30, 100, 130, 40)),), ())
    # When assembled into lines
    got = [
        "".join(g.char for g in gl) for _, gl, _ in assemble(det, [classes], ReaderConfig(), 0.3)
    ]
    # Then only clutter close to the digits asks for a two-digit line's confidence
    assert got == read


@pytest.mark.parametrize(
    ("text", "read"), [("-36", ["-36"]), ("3-6", ["3-6"]), ("36", []), ("36-", [])]
)
def test_two_digits_with_a_minus_need_less_confidence_than_a_pair(text, read):
    from digitcam.pipeline import Detection, assemble
    from digitcam.segment import RefinedLine, Unit
    from digitcam.types import Box

    # Given a line of two digits the model reads "3" (0.67) and "6" (1.0), with a minus
    # before them, between them, after them, or none
    patch = np.zeros((4, 4), np.float32)
    units, classes = [], []
    for i, ch in enumerate(text):
        x = 30 + 28 * i
        if ch == "-":
            units.append(Unit(Box(x, 115, 14, 5), None, "-", 0.1))
            classes.append(("-", 0.9, (("-", 0.9),)))
        else:
            units.append(Unit(Box(x, 100, 22, 40), patch, "", 1.0))
            conf = 0.67 if ch == "3" else 1.0
            classes.append((ch, conf, ((ch, conf),)))
    det = Detection((RefinedLine(tuple(units), Polarity.DARK_ON_LIGHT, Box(30, 100, 90, 40)),), ())
    # When assembled into lines
    got = [
        "".join(g.char for g in gl) for _, gl, _ in assemble(det, [classes], ReaderConfig(), 0.3)
    ]
    # Then a minus before or between them makes it a reading ("-36", "3-6" as in a range
    # or a code); the bare pair, as unsure, is not, and a trailing bar is no sign
    assert got == read


def test_a_minus_tall_enough_to_be_a_candidate_still_bridges_its_number(model) -> None:
    # given "7 - 3" set wide at 62 px: the two digits are too far apart to link, and the
    # minus, tilted and 16 px high, is a glyph candidate of its own (linked to nothing)
    img = np.full((240, 400), 235, np.uint8)
    cv2.putText(img, "7", (40, 150), cv2.FONT_HERSHEY_SIMPLEX, 2.6, 20, 5, cv2.LINE_AA)
    cv2.fillConvexPoly(img, np.int32([[128, 120], [178, 115], [179, 125], [129, 130]]), 20)
    cv2.putText(img, "3", (220, 150), cv2.FONT_HERSHEY_SIMPLEX, 2.6, 20, 5, cv2.LINE_AA)
    # then it still joins the two halves into one number
    assert read_frame(cv2.cvtColor(img, cv2.COLOR_GRAY2BGR), model).text == "7-3"


@pytest.mark.parametrize(
    ("whole_merit", "clipped_merit", "takes_clipped"),
    [
        (0.35, 1.0, True),  # a 7 with the card's edge joined on read an unsure 0
        (0.9, 0.92, False),  # a hair better is no reason to cut
        (0.0, 0.8, False),  # clutter ("not a glyph" whole) gives no digit cut to the band
    ],
)
def test_a_glyph_cut_to_its_band_replaces_the_blob_only_when_clearly_better(
    whole_merit, clipped_merit, takes_clipped
):
    from digitcam.pipeline import _choose
    from digitcam.segment import Unit

    # Given a blob standing out of its line's band, whole and cut to the band
    patch = np.zeros((4, 4), np.float32)
    whole = (Unit(Box(0, 0, 40, 52), patch, "", 1.2),)
    clipped = (Unit(Box(0, 12, 40, 40), patch, "", 1.0, clipped=True),)
    merits = {id(whole): whole_merit, id(clipped): clipped_merit}
    # When the classifier's merits decide
    got = _choose((whole, clipped), lambda alt: merits[id(alt)])
    # Then the cut one is taken only over a glyph it reads clearly better than
    assert (got is clipped) is takes_clipped


def _glyphs_at(text: str, boxes: list[tuple[int, int, int, int]]):
    from digitcam.types import Glyph, GlyphKind

    return tuple(
        Glyph(Box(*b), c, 1.0, ((c, 1.0),), GlyphKind.MARK if c in ".-" else GlyphKind.CLASSIFIED)
        for c, b in zip(text, boxes, strict=True)
    )


def test_a_frame_drawn_around_a_number_is_no_line_but_a_numbers_counters_are_kept() -> None:
    from digitcam.pipeline import _without_frames

    # given "19.6" (40 px) in a box drawn around it, whose sides read "611" (88 px), and a
    # big "27001.0" (80 px) with the counters of its 0s read as a small line "00" inside
    number = _line(_glyphs_at("19.6", [(214, 352, 16, 38), (236, 350, 29, 39),
                                       (268, 377, 9, 11), (277, 347, 30, 40)]))  # fmt: skip
    frame = _line(_glyphs_at("611", [(188, 326, 67, 88), (242, 326, 55, 87), (284, 327, 52, 83)]))
    big = _line(_glyphs_at("27001", [(x, 100, 50, 80) for x in range(0, 300, 60)]))
    counters = _line(_glyphs_at("00", [(140, 125, 20, 30), (200, 125, 20, 30)]))
    kept = _without_frames([number, frame, big, counters])
    # then the frame goes, the rest stays
    assert ["".join(g.char for g in gl) for _b, gl, _s in kept] == ["19.6", "27001", "00"]


def test_a_one_digit_windows_outline_read_as_a_0_round_its_digit_is_no_line() -> None:
    from digitcam.pipeline import _without_frames

    # given a one-digit display whose window (123 px) reads as a lone 0 round the 5 it
    # shows (47 px), and a lone 8 round a lone 1 (no ring: a 0 only)
    ring = _line(_glyphs_at("0", [(279, 159, 93, 123)]))
    five = _line(_glyphs_at("5", [(305, 190, 26, 47)]))
    eight = _line(_glyphs_at("8", [(20, 20, 93, 123)]))
    one = _line(_glyphs_at("1", [(50, 60, 12, 47)]))
    kept = _without_frames([ring, five, eight, one])
    # then the ring goes: the 5 is the reading there; the 8 stays
    assert ["".join(g.char for g in gl) for _b, gl, _s in kept] == ["5", "8", "1"]


def test_an_off_centre_0_round_a_short_line_and_across_a_longer_one_is_no_line() -> None:
    from digitcam.pipeline import _without_frames

    # given a display's "29501" (36 px) over its short line "2" (24 px), and a window
    # read whole as a lone 0 (117 px) round the 2 and across the right end of 29501
    line = _line(_glyphs_at("29501", [(101 + 21 * k, 100, 18, 36) for k in range(5)]))
    two = _line(_glyphs_at("2", [(191, 147, 17, 24)]))
    ring = _line(_glyphs_at("0", [(183, 81, 59, 117)]))
    kept = _without_frames([line, two, ring])
    # then the 0 goes (no digit runs across another line), the lines stay
    assert ["".join(g.char for g in gl) for _b, gl, _s in kept] == ["29501", "2"]
    # while a 0 as off-centre round the 2 that crosses no line stays (a digit and its
    # counter, read as a digit, sit so)
    alone = _without_frames([two, ring])
    assert ["".join(g.char for g in gl) for _b, gl, _s in alone] == ["2", "0"]


def test_classify_cell_reads_a_whole_cell_and_not_a_blank_one():
    from digitcam.classify import load_cell_model

    cells = load_cell_model()
    rng = np.random.default_rng(0)
    # given crops of one digit cell in a face the cell model was not drawn in (Hershey)
    for d in "0123456789":
        img = np.full((60, 36), 200, np.uint8)
        cv2.putText(img, d, (4, 50), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 40, 4, cv2.LINE_AA)
        # then each reads as its digit, its box the whole crop
        g = classify_cell(img, cells)
        assert g is not None, d
        assert g.char == d, (d, g)
        assert (g.box.x, g.box.y, g.box.w, g.box.h) == (0, 0, 36, 60)
    # and a blank cell (a plain ground with sensor noise) reads as nothing
    blank = np.clip(180 + rng.normal(0, 3, (60, 36)), 0, 255).astype(np.uint8)
    assert classify_cell(blank, cells) is None


def test_the_cell_model_only_reads_a_crop_the_other_readers_find_nothing_in(model):
    from digitcam.classify import load_cell_model

    # given a frame of printed digits, far larger than a crop of one digit
    img = np.full((120, 400), 230, np.uint8)
    cv2.putText(img, "4096", (20, 90), cv2.FONT_HERSHEY_SIMPLEX, 2.5, 30, 6, cv2.LINE_AA)
    # then the cell model changes nothing
    with_cells = read_frame(img, model, cell_model=load_cell_model())
    assert with_cells.text == read_frame(img, model).text == "4096"


def _row_of_ones(y: int, h: int, n: int) -> tuple[Glyph, ...]:
    return tuple(Glyph(Box(100 + 30 * i, y, 24, h), "1", 1.0) for i in range(n))


def test_a_line_cut_by_the_frames_top_or_bottom_edge_is_no_reading() -> None:
    # given a 480-px frame: letters cut by its bottom edge (26 px glyphs reaching row 480),
    # a line cut at its top, one whose glyphs only one of four reaches the edge, and a crop
    # around a line (glyphs 300 px, touching both edges)
    assert _cut_by_frame(_row_of_ones(454, 26, 4), 480)
    assert _cut_by_frame(_row_of_ones(0, 30, 3), 480)
    partly = (*_row_of_ones(440, 30, 3), Glyph(Box(200, 452, 24, 28), "1", 1.0))
    assert not _cut_by_frame(partly, 480)
    assert not _cut_by_frame(_row_of_ones(200, 30, 3), 480)
    # then only the cut lines are dropped, not a crop around a line
    assert not _cut_by_frame(_row_of_ones(0, 300, 3), 300)


def test_words_printed_beside_a_number_are_not_read_as_digits(model, heldout_faces):
    # given camera scenes whose cards bear a number and one or two words beside it
    # ("Total", "kWh"), drawn in the held-out faces with seeds no model build uses
    exact = 0
    misses = []
    for seed in range(910_000, 910_060):
        rng = np.random.default_rng(seed)
        number = synth.random_digit_text(rng)
        words = [synth.random_word(rng) for _ in range(int(rng.integers(1, 3)))]
        texts = [*words, number] if rng.random() < 0.5 else [number, *words]
        scene = synth.make_scene(rng, faces=heldout_faces, texts=texts)
        text = read_frame(scene.image, model).text
        exact += text == number
        if text != number:
            misses.append(f"{scene.text!r} -> {text!r}")
    # then the number alone is read in at least 48 of 60 (measured: 51; the model before
    # it learnt letters from word scenes read 42, the words' letters as digits)
    assert exact >= 48, misses


@pytest.mark.parametrize(
    ("word", "read"), [("RsFXSO", []), ("SO", ["50"]), ("RsFXSO0125", ["500125"])]
)
def test_digit_look_alikes_after_a_words_letters_are_no_number(word, read):
    from digitcam.pipeline import Detection, assemble
    from digitcam.segment import RefinedLine, Unit
    from digitcam.types import Box

    # Given a line the model reads letter by letter: R, F and X refused ("not a glyph"),
    # s, S and O taken for 5, 5 and 0 (a word on a label: "RsFXSO"), then maybe digits
    patch = np.zeros((4, 4), np.float32)
    look = {"s": "5", "S": "5", "O": "0"}
    units, classes = [], []
    for i, ch in enumerate(word):
        units.append(Unit(Box(30 + 24 * i, 100, 20, 30), patch, "", 1.0))
        label = look.get(ch, ch if ch.isdigit() else "_")
        classes.append((label, 1.0, ((label, 1.0),)))
    det = Detection(
        (RefinedLine(tuple(units), Polarity.DARK_ON_LIGHT, Box(30, 100, 24 * len(word), 30)),), ()
    )
    # When assembled into lines
    got = [
        "".join(g.char for g in gl) for _, gl, _ in assemble(det, [classes], ReaderConfig(), 0.3)
    ]
    # Then "SO" after the word's refused letters is part of the word, not "50"; alone, or
    # as the head of a longer number, it reads as digits
    assert got == read


@pytest.mark.parametrize(
    ("chars", "confs", "expected"),
    [
        # words in camera scenes: "Menu" as '631?01', "Room" as '00?11', "Jnxazd" as '1??012'
        ("631?01", (0.66, 0.67, 0.65, 0.33, 0.68, 0.63), True),
        ("00?11", (1.0, 1.0, 1.0, 0.7, 0.67), True),
        ("1??012", (0.7, 0.34, 1.0, 0.67, 1.0, 0.67), True),
        # numbers with one digit unread: '31494' and '280721-2' as read
        ("31?94", (1.0, 1.0, 0.35, 1.0, 0.67), False),
        ("280?212", (1.0, 1.0, 1.0, 0.33, 1.0, 0.67, 0.67), False),  # longer than a word
        ("41308", (0.67, 1.0, 1.0, 0.66, 1.0), False),  # two unsure, none refused
        # "MIuimK" as '8?1?1' (two refused: the second as surely as a letter is), and
        # "JBOH" as '3601' (three split votes in a short line)
        ("8?1?1", (0.67, 0.35, 1.0, 1.0, 1.0), True),
        ("3601", (1.0, 0.63, 0.68, 0.71), True),
        ("41308", (0.67, 0.66, 1.0, 0.67, 0.65), True),
        ("4130812", (0.67, 0.66, 1.0, 0.67, 1.0, 1.0, 1.0), False),  # longer than a word
        ("157541", (0.73, 1.0, 1.0, 0.68, 1.0, 0.72), False),  # small digits: half split
        ("110", (0.66, 0.63, 0.65), True),  # letters as '110', every glyph on split votes
        # "Mode" as '0263' and a diamond tiling as '0400': two split votes in four glyphs
        ("0263", (1.0, 0.68, 0.65, 1.0), True),
        ("0400", (0.67, 1.0, 1.0, 0.67), True),
        ("415", (0.66, 1.0, 0.67), False),  # (three glyphs: all must be split)
        # a tiling read as '00??-?0400': most of its nine glyphs refused or unsure
        ("00???0400", (0.67, 1.0, 0.34, 0.34, 1.0, 0.67, 0.65, 0.67, 0.66), True),
        ("11", (0.66, 0.63), False),  # (two: a short line's own confidence decides)
    ],
)
def test_a_short_line_of_split_votes_with_a_refused_glyph_is_a_word(chars, confs, expected):
    from digitcam.pipeline import _letters

    # Given a printed line's glyphs ('?' refused by the model) and their confidences
    glyphs = [replace(g, confidence=c) for g, c in zip(_glyphs(chars, 100), confs, strict=True)]
    # Then it is a word's letters when it holds a refused glyph and two or more read on
    # split votes, and is no longer than a word, or when it reads on split votes only
    assert _letters(glyphs) is expected


@pytest.mark.parametrize(
    ("pitch", "expected"), [(14, True), (16, True), (18, True), (22, False), (30, False)]
)
def test_touching_1s_are_the_stems_of_a_letter(pitch, expected):
    from digitcam.pipeline import _letters

    # Given three sure 1s, 16 px wide, 25 px high, `pitch` px apart (an 'm' cut at its
    # valleys gives pieces that touch or lie 2 px apart, "nit" read '111'; printed 1s
    # stand apart)
    glyphs = [Glyph(Box(100 + pitch * k, 100, 16, 25), "1", 1.0) for k in range(3)]
    # Then touching ones are a letter's stems; so are two, not a lone 1
    assert _letters(glyphs) is expected
    assert _letters(glyphs[:2]) is expected
    assert not _letters(glyphs[:1])
    # and a row with another digit is a number, unless three touching 1s are in it
    assert not _letters([*glyphs[:2], replace(glyphs[2], char="7")])
    zero = Glyph(Box(100 - pitch - 4, 100, 16, 25), "0", 1.0)
    assert _letters([zero, *glyphs]) is expected  # "Room" as '0111'
    assert not _letters([zero, *glyphs[:2]])


def test_a_long_line_read_surely_throughout_is_a_number_though_its_1s_touch() -> None:
    from digitcam.pipeline import _letters

    # Given "1112255035" in an italic serif face (the measured boxes: 53 px wide, 47 px
    # apart; the 1s' boxes overlap by their slanted serifs), every digit read surely
    glyphs = [Glyph(Box(106 + 47 * k, 100, 53, 69), ch, 1.0) for k, ch in enumerate("1112255035")]
    # Then it is a number, not an m's stems beside other letters
    assert not _letters(glyphs)
    # but as long as a word, or with a glyph read on a split vote, its touching 1s are stems
    assert _letters(glyphs[:6])
    assert _letters([*glyphs[:5], replace(glyphs[5], confidence=0.67), *glyphs[6:]])


def test_an_ms_stems_with_a_shoulder_refused_are_a_letters_stems() -> None:
    from digitcam.pipeline import _letters

    # given "Room" read '00?11' and '00?71' (the measured boxes: an m cut into three
    # touching stems, one refused or read '7' on a split vote with a '1' vote beside)
    oo = [(255, 252, 24, 31), (280, 252, 24, 31)]
    stems = [(304, 253, 14, 29), (316, 253, 14, 29), (327, 252, 15, 31)]
    word = list(_glyphs_at("00?11", oo + stems))
    word[2] = replace(word[2], confidence=0.35, candidates=(("_", 0.65), ("1", 0.35)))
    word[3] = replace(word[3], confidence=0.61, candidates=(("1", 0.61), ("7", 0.39)))
    seven = list(word)
    seven[3] = replace(word[3], char="7", confidence=0.65, candidates=(("7", 0.65), ("1", 0.35)))
    # then both are a word's letters (before: read as a line of digits)
    assert _letters(word)
    assert _letters(seven)
    # while a wide glyph among them, or one the model reads surely as another digit, or
    # stems standing apart, make no letter
    wide = list(word)
    wide[2] = replace(word[2], box=Box(300, 253, 22, 29))
    assert not _letters(wide)
    sure = list(seven)
    sure[3] = replace(seven[3], confidence=1.0, candidates=(("7", 1.0), ("1", 0.0)))
    assert not _letters(sure)
    apart = [*word[:2], *(replace(g, box=Box(304 + 22 * k, 253, 14, 29))
                          for k, g in enumerate(word[2:]))]  # fmt: skip
    assert not _letters(apart)


def test_a_monospaced_numbers_touching_1s_are_no_letters() -> None:
    from digitcam.pipeline import _letters

    # given "111.42646" in a monospaced face: its 1s' feet touch (27 px cells, 36 px
    # high, the measured boxes), a point after them and five digits more
    boxes = [(166, 238, 27, 36), (194, 240, 27, 36), (221, 242, 28, 36), (258, 270, 9, 10)]
    boxes += [(278 + 28 * k, 246, 27, 36) for k in range(5)]
    number = list(_glyphs_at("111.42646", boxes))
    # then it is a number: a line longer than a word with a point inside
    assert not _letters(number)
    # while the same 1s in a word's length are a letter's stems, and so are they without
    # the point where another glyph reads on a split vote (as a word's other letters do)
    assert _letters(number[:3] + number[4:6])
    weak = [*number[:4], replace(number[4], confidence=0.67), *number[5:]]
    assert _letters(weak[:3] + weak[4:])
    # but eight digits read surely throughout are a number (an italic "1112255035")
    assert not _letters(number[:3] + number[4:])


@pytest.mark.parametrize("text", ["-63203999", "5260-14"])
def test_small_serif_digits_whose_stems_alone_the_frames_window_found_are_read(model, text):
    # given 16-18 px bold serif digits, mid-gray ink, on a light card with a dark rim 7 px
    # off them, on a ground as gray as the ink: at the frame's window size only each
    # glyph's darkest stem is ink, a line of slivers where the digits are, which stood
    # for the small window's line of whole glyphs in the same place
    face = next(f for f in synth.printed_faces() if f.name == "LiberationSerif-Bold")
    read = []
    for height in (16, 17, 18):
        for ink, ground in ((120.0, 140.0), (110.0, 150.0)):
            mask = synth.render_line(text, face, height_px=height).ink.astype(np.float32)
            h, w = mask.shape
            card = np.full((h + 14, w + 14), 205.0, np.float32)
            card[7 : 7 + h, 7 : 7 + w] += (ink - 205.0) * mask / 255
            img = np.full((480, 640), ground, np.float32)
            img[197 : 203 + card.shape[0], 197 : 203 + card.shape[1]] = 20  # the rim
            img[200 : 200 + card.shape[0], 200 : 200 + card.shape[1]] = card
            img = cv2.GaussianBlur(img, (0, 0), 1.0)
            read.append(read_frame(np.clip(img, 0, 255).astype(np.uint8), model).text)
    # then the slivers stand for nothing (their glyphs are narrower than the small
    # window's), and each reads whole (before: 6 of these 12 frames, both texts)
    assert read == [text] * 6


def test_a_line_the_threshold_joined_to_a_shadows_edge_is_looked_at_on_its_glyphs():
    from digitcam.pipeline import _gate_cells
    from digitcam.segment import line_geometry

    # given "6.9"'s two digits (29 x 60 px) linked to a shadow's edge the threshold made
    # one blob (420 x 68 px) beside them (the measured boxes)
    boxes = np.array([[44, 180, 420, 68], [473, 186, 29, 60], [536, 182, 29, 61]], np.int32)
    cells = _gate_cells(line_geometry(boxes, Polarity.DARK_ON_LIGHT))
    # then the gate looks at a digit among its few cells, not only at the edge's slices
    # (before: four slices of the edge, and the line was never refined)
    assert len(cells) == 4
    assert any(x0 >= 473 for x0, _x1, _y, _h in cells)
    # while a line of glyphs alone is looked at spread along it, as before
    plain = np.array([[100 + 30 * k, 100, 22, 40] for k in range(8)], np.int32)
    spread = _gate_cells(line_geometry(plain, Polarity.DARK_ON_LIGHT))
    assert [c[0] for c in spread] == [130, 190, 250, 310]


def test_a_small_labels_line_close_to_its_cards_dark_rim_is_read_whole(model):
    # given 14-16 px digits close (4-6 px) above and below a card's dark rim, on a card
    # shaded toward its bottom: at the frame's window size the rim's contrast keeps the
    # strokes under the ink level, and the glyphs break up ("-588?65")
    face = next(f for f in synth.printed_faces() if f.name == "DejaVuSans")
    cases = [(16, 4, 0), (16, 4, 40), (16, 6, 0), (16, 6, 40), (14, 4, 40), (14, 6, 40)]
    read = []
    for height, pad, shade in cases:
        ink = synth.render_line("-58816574", face, height_px=height).ink.astype(np.float32)
        h, w = ink.shape
        card = np.full((h + 2 * pad, w + 2 * pad), 225.0, np.float32)
        card -= np.linspace(0, shade, card.shape[0])[:, None]
        text = card[pad : pad + h, pad : pad + w]
        text += (110 - text) * ink / 255
        img = np.full((480, 640), 60.0, np.float32)
        img[197 : 203 + card.shape[0], 197 : 203 + card.shape[1]] = 10  # the rim
        img[200 : 200 + card.shape[0], 200 : 200 + card.shape[1]] = card
        img = cv2.GaussianBlur(img, (0, 0), 0.6)
        read.append(read_frame(np.clip(img, 0, 255).astype(np.uint8), model).text)
    # then each is read whole, in a window a few glyphs high (the frame's alone read none)
    assert read == ["-58816574"] * len(cases)


@pytest.mark.parametrize(
    ("text", "shade", "x_at", "slope"),
    [
        ("2718", 0.6, 160, 0.5),
        ("2718", 0.5, 130, -0.5),
        ("109745", 0.7, 160, -0.5),
        ("109745", 0.6, 200, 1.0),
        ("-3141", 0.6, 200, 0.5),
    ],
)
def test_a_shadows_sharp_edge_across_a_number_leaves_its_glyphs(model, text, shade, x_at, slope):
    # given a number on paper whose left part lies in a cast shadow (`shade` of the light),
    # the shadow's edge a sharp line through x_at at the number's middle, leaning `slope`:
    # beside the edge, its bright side stands over the neighbourhood's mean as ink does,
    # and joins the glyphs it crosses into one blob ("109745" read "745", "2718" "718")
    img = np.full((480, 640), 200.0, np.float32)
    cv2.putText(img, text, (120, 260), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 40, 4, cv2.LINE_AA)
    yy, xx = np.mgrid[0:480, 0:640]
    img = np.where(xx < x_at + slope * (yy - 240), img * shade, img)
    img = cv2.GaussianBlur(img, (0, 0), 1.2)
    # then every glyph is read: ink is what stands over the ground under it (the crop's
    # opening follows the edge), and a line's crop widens where a glyph found at its end
    # may have more beyond it (the frame's threshold left them out of the line)
    assert read_frame(np.clip(img, 0, 255).astype(np.uint8), model).text == text


def _small_label(text: str, face_name: str, *, height: int, pad: int, ink: float, ground: float):
    """A 640x480 gray frame of one small light card (225) holding `text` in `ink`, `pad`
    px of card round it, on plain `ground`."""
    face = next(f for f in synth.printed_faces() if f.name == face_name)
    mask = synth.render_line(text, face, height_px=height).ink.astype(np.float32) / 255
    h, w = mask.shape
    card = np.full((h + 2 * pad, w + 2 * pad), 225.0, np.float32)
    inner = card[pad : pad + h, pad : pad + w]
    inner += (ink - inner) * mask
    img = np.full((480, 640), ground, np.float32)
    img[200 : 200 + card.shape[0], 300 : 300 + card.shape[1]] = card
    return np.clip(cv2.GaussianBlur(img, (0, 0), 0.8), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("face_name", ["DejaVuSans", "DejaVuSerif"])
def test_a_small_label_of_two_digits_alone_in_a_frame_is_read(model, face_name):
    # given a lone small card with two digits (and a minus) 16-20 px high on plain ground:
    # at the frame's window size the card's edge takes the strokes' contrast and the
    # glyphs break up; a window a few glyphs high finds them, two of them
    cases = [(text, ink, height, pad, ground)
             for text in ("-56", "56", "-81") for ink in (110.0, 140.0)
             for height, pad, ground in ((18, 4, 60.0), (18, 8, 100.0), (16, 6, 80.0))]  # fmt: skip
    read = [
        read_frame(_small_label(t, face_name, height=h, pad=p, ink=i, ground=g), model).text
        for t, i, h, p, g in cases
    ]
    # then each is read (before: 9 of these 18 in DejaVuSans, 1 in DejaVuSerif; mostly
    # nothing)
    assert read == [t for t, *_ in cases]


def test_a_small_cards_text_beside_a_darker_ground_is_read(model):
    # given small light cards with mid-gray digits 22-25 px high on a ground darker than
    # the digits: beside the card's edge the ground, brighter than the strokes in the
    # line's (inverted) crop, lifts the crop's local mean over them
    cases = [(face, text, height, pad, ink, ground)
             for face in ("DejaVuSans", "DejaVuSerif") for text in ("45", "-81")
             for height, pad, ink, ground in ((24, 4, 120.0, 30.0), (22, 3, 140.0, 20.0),
                                              (25, 5, 100.0, 40.0))]  # fmt: skip
    read = [
        read_frame(_small_label(t, f, height=h, pad=p, ink=i, ground=g), model).text
        for f, t, h, p, i, g in cases
    ]
    # then the digits are read, the ground counting at the text's own level there
    # (before: none of these 12)
    assert read == [c[1] for c in cases]


def _on_a_card(text: str, face_name: str, *, height: int, light: bool):
    """A 640x480 float32 frame of `text` (`height` px high) on a plain card, its line's
    box at (200, 320 - width / 2): (frame, the line's 0..1 ink mask, y0, x0, ink level,
    paper level)."""
    face = next(f for f in synth.printed_faces() if f.name == face_name)
    mask = synth.render_line(text, face, height_px=height).ink.astype(np.float32) / 255
    ink, paper = (230.0, 70.0) if light else (30.0, 225.0)
    img = np.full((480, 640), paper, np.float32)
    h, w = mask.shape
    y0, x0 = 200, 320 - w // 2
    img[y0 : y0 + h, x0 : x0 + w] += (ink - paper) * mask
    return img, mask, y0, x0, ink, paper


def _over_a_rule(text: str, face_name: str, *, gap: int, light: bool) -> np.ndarray:
    """A 640x480 gray frame of `text` (36 px high) on a plain card, a rule 3 px thick
    `gap` px under its right half (a card's border or an underline), blurred."""
    img, mask, y0, _x0, ink, _paper = _on_a_card(text, face_name, height=36, light=light)
    rows = np.flatnonzero(mask.max(axis=1) > 0.5)
    top = y0 + int(rows[-1]) + 1 + gap
    img[top : top + 3, 320:600] = ink
    return np.clip(cv2.GaussianBlur(img, (0, 0), 1.0), 0, 255).astype(np.uint8)


def _beyond_a_border(text: str, face_name: str, *, gap: int, stripe: int, light: bool):
    """A 640x480 gray frame of `text` (40 px high) on a card whose border (3 px) runs
    `gap` px left of it and 6 px over it, hatching (3 px lines every `stripe` px, at 45
    degrees) beyond the border, blurred."""
    img, mask, y0, x0, ink, paper = _on_a_card(text, face_name, height=40, light=light)
    h = mask.shape[0]
    xl = x0 + int(np.flatnonzero(mask.max(axis=0) > 0.5)[0]) - gap - 3
    yt = y0 + int(np.flatnonzero(mask.max(axis=1) > 0.5)[0]) - 9
    img[yt : yt + 3, xl : xl + 400] = ink
    img[yt : y0 + h + 80, xl : xl + 3] = ink
    for k in range(-200, 200, stripe):
        cv2.line(img, (xl - 306, y0 + k + 300), (xl - 6, y0 + k), ink, 3)
    img[:, xl - 6 : xl] = paper
    return np.clip(cv2.GaussianBlur(img, (0, 0), 1.0), 0, 255).astype(np.uint8)


def test_clutter_beyond_a_cards_border_is_no_glyph_before_the_number(model):
    # given numbers on a card whose border runs 17-20 px left of them, hatching beyond
    # it: the line's crop reaches past the border, and the hatching its side cuts reads
    # as a '1' or '4' before the number ("10672516833")
    cases = [(t, f, g, lt)
             for t in ("8-394", "0672516833", "263")
             for f in ("LiberationSerif-Regular", "DejaVuSansMono-Oblique")
             for g in (17, 20) for lt in (False, True)]  # fmt: skip
    read = [
        read_frame(_beyond_a_border(t, f, gap=g, stripe=24, light=lt), model).text
        for t, f, g, lt in cases
    ]
    # then each reads as printed: what stands apart and runs out of the crop is no glyph
    # (before: 16 of these 24)
    assert read == [c[0] for c in cases]


def test_a_glyph_the_crop_cut_close_to_the_line_is_kept():
    from digitcam.segment import line_geometry, refine_line

    # given "08693.8" (the last digit beyond the detected line, as its point split it
    # off) with the crop's side cutting that digit: it stands as close as the line's
    # glyphs, so it is the number's
    face = next(f for f in synth.printed_faces() if f.name == "DejaVuSans")
    mask = synth.render_line("08693.8", face, height_px=40).ink.astype(np.float32) / 255
    img = np.full((200, 600), 225.0, np.float32)
    img[60 : 60 + mask.shape[0], 40 : 40 + mask.shape[1]] -= 195 * mask
    gray = cv2.GaussianBlur(img, (0, 0), 1.0).astype(np.uint8)
    n, _lab, stats, _c = cv2.connectedComponentsWithStats((gray < 120).astype(np.uint8))
    blobs = sorted((s for s in stats[1:n].tolist() if s[3] > 20), key=lambda s: s[0])
    # (the detected line stops at the 3: the crop reaches 1.1 digit heights past it)
    line = line_geometry(np.array([b[:4] for b in blobs[:5]], np.int32), Polarity.DARK_ON_LIGHT)
    units = refine_line(gray, line).units
    # then the refined line holds the 8 after the point
    assert sum(1 for u in units if not u.mark) == 6


def test_a_lone_blob_over_a_lines_end_does_not_settle_its_polarity() -> None:
    from digitcam.pipeline import _arbitrate_polarity
    from digitcam.segment import line_geometry

    # given a dark-ink line of seven 44 px digits whose chain reached a blob of clutter
    # past its end (its box runs on over it), and a lone light blob there, as tall as the
    # digits; the region's gray says light ink (a dark ground with light patches)
    boxes = np.array([[49 + 36 * k, 387, 31, 44] for k in range(7)] + [[344, 410, 72, 32]])
    line = line_geometry(boxes, Polarity.DARK_ON_LIGHT)
    blob = line_geometry(np.array([[341, 367, 84, 48]]), Polarity.LIGHT_ON_DARK)
    gray = np.full((480, 640), 50, np.uint8)
    gray[395:425, 60:300:20] = 200
    # then the blob over the line's end does not take the line's place: both stay
    assert len(_arbitrate_polarity(gray, [line, blob])) == 2
    # while a lone blob over the whole line (the paper around its glyphs) is its rival
    card = line_geometry(np.array([[45, 380, 300, 58]]), Polarity.LIGHT_ON_DARK)
    assert len(_arbitrate_polarity(gray, [line, card])) == 1


def test_the_paper_round_a_lines_glyphs_is_judged_round_the_glyphs() -> None:
    from digitcam.pipeline import _arbitrate_polarity, minority_is_dark
    from digitcam.segment import line_geometry

    # given a light card holding dark 100 px digits, the card's edge near them and a
    # dark ground past it; the light ink sees the card's paper as one blob holding the
    # digits, and a light patch on the ground beside it, in one line as tall as theirs
    face = next(f for f in synth.printed_faces() if f.name == "DejaVuSans")
    mask = synth.render_line("333", face, height_px=100).ink.astype(np.float32) / 255
    img = np.full((480, 640), 40.0, np.float32)
    img[80:230, 60:330] = 220.0
    img[100 : 100 + mask.shape[0], 90 : 90 + mask.shape[1]] -= 190 * mask[:, : 330 - 90]
    img[95:220, 400:560] = 200.0
    gray = img.clip(0, 255).astype(np.uint8)
    n, _lab, stats, _c = cv2.connectedComponentsWithStats((gray < 120).astype(np.uint8))
    digits = sorted((s[:4] for s in stats[1:n].tolist() if 60 < s[3] < 140), key=lambda s: s[0])
    assert len(digits) == 3
    ink = line_geometry(np.array(digits, np.int32), Polarity.DARK_ON_LIGHT)
    paper = line_geometry(
        np.array([[61, 81, 268, 148], [400, 95, 160, 125]], np.int32), Polarity.LIGHT_ON_DARK
    )
    # the two lines' region is mostly dark ground: judged there, light would be the ink
    assert not minority_is_dark(gray, Box.around([ink.bbox, paper.bbox]), 40)
    # then judged round the digits the paper holds, the dark line is kept
    kept = _arbitrate_polarity(gray, [ink, paper])
    assert [ln.polarity for ln in kept] == [Polarity.DARK_ON_LIGHT]
    # and where the light blob holds one digit only (cut short, the others stick out),
    # the choice is the two lines' region's as before
    cut = line_geometry(
        np.array([[61, 81, 150, 148], [400, 95, 160, 125]], np.int32), Polarity.LIGHT_ON_DARK
    )
    kept = _arbitrate_polarity(gray, [ink, cut])
    assert [ln.polarity for ln in kept] == [Polarity.LIGHT_ON_DARK]


def test_a_rule_under_a_line_joins_none_of_its_glyphs(model):
    # given lines with a rule (a card's border) 5-7 px under their right half: in the
    # line's crop the rule is a long thin piece in the band's margin, touching a glyph
    # or two, and grouped with them it joined every glyph it runs under into one blob
    cases = [(t, f, g, light)
             for t in ("645.684137", "86-7013", "-40.56")
             for f in ("DejaVuSansMono-Oblique", "DejaVuSans", "LiberationSerif-Regular")
             for g, light in ((5, False), (7, True))]  # fmt: skip
    read = [read_frame(_over_a_rule(t, f, gap=g, light=lt), model).text for t, f, g, lt in cases]
    # then each line reads whole: the rule is no mark (before: 6 of these 18)
    assert read == [c[0] for c in cases]


@pytest.mark.parametrize("face_name", ["Lato-LightItalic", "Lato-Italic"])
def test_a_small_labels_two_digits_fused_into_one_blob_are_read(model, face_name):
    if face_name not in {f.name for f in synth.printed_faces()}:
        pytest.skip(f"{face_name} is not installed (fonts-lato)")
    # given "60" on a lone small card, 15-17 px high in a light italic face whose 6 and 0
    # touch at that size: the small window finds one blob, no line of two glyphs
    cases = [(16, 5, 150.0, 90.0), (15, 6, 140.0, 100.0), (17, 4, 160.0, 80.0)]
    read = [
        read_frame(_small_label("60", face_name, height=h, pad=p, ink=i, ground=g), model).text
        for h, p, i, g in cases
    ]
    # then the blob is a line of its own (as wide blobs are in the frame's window) and
    # reads whole (before: "0" or nothing)
    assert read == ["60"] * len(cases)


def test_italic_digits_set_tight_are_split_where_they_touch(model):
    # given numbers with runs of round digits in two italic faces, set tight enough that
    # neighbours touch (tracking -0.03), light on a dark card, slightly blurred
    faces = {f.name: f for f in synth.printed_faces()}
    read, texts = [], []
    for name in ("URWGothic-BookOblique", "LiberationSans-Italic"):
        for text in ("1746100017", "3006", "80088", "2000500"):
            for height in (30, 45, 60):
                mask = synth.render_line(text, faces[name], height_px=height, tracking=-0.03).ink
                h, w = mask.shape
                img = np.full((480, 640), 40.0, np.float32)
                x0 = 320 - w // 2
                img[200 : 200 + h, x0 : x0 + w] += 200.0 * mask.astype(np.float32) / 255
                img = cv2.GaussianBlur(img, (0, 0), 1.2)
                read.append(read_frame(np.clip(img, 0, 255).astype(np.uint8), model).text)
                texts.append(text)
    # then they read right (24 of 24 measured; one may slip): touching italic digits are cut
    # along their lean, and evenly too (the hollow of a 0 is a deeper valley than two 0s' strokes
    # side by side); cut upright at valleys only, 13 of the 24 read wrong ("1746102017", "")
    right = sum(r == t for r, t in zip(read, texts, strict=True))
    assert right >= 23, list(zip(texts, read, strict=True))
