"""Tests for digitcam.synth: seeded synthetic data with ground truth."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digitcam import synth
from digitcam.types import NOT_GLYPH, Box, Polarity

SIZE = (640, 480)


@pytest.fixture(scope="module")
def faces() -> list[synth.FontFace]:
    return synth.printed_faces()


@pytest.fixture(scope="module")
def camera_scenes(faces: list[synth.FontFace]) -> list[synth.Scene]:
    return [synth.make_scene(seed, faces=faces) for seed in range(12)]


# ---- faces ---------------------------------------------------------------------------------


def test_hershey_faces_are_upright_and_italic_printed_faces() -> None:
    hf = synth.hershey_faces()
    assert len(hf) == 10
    assert {f.family for f in hf} == {"hershey"}
    assert sum(f.italic for f in hf) == 5
    assert all(f.source & ~cv2.FONT_ITALIC not in (6, 7) for f in hf)  # no script faces


def test_truetype_faces_exclude_segment_symbol_and_script_fonts() -> None:
    tt = synth.truetype_faces()
    if not tt:
        pytest.skip("no TrueType fonts installed")
    names = [f.name.lower() for f in tt]
    for bad in ("dseg", "symbol", "d050000l", "z003", "math"):
        assert not any(bad in n for n in names), bad
    assert [f.name for f in tt] == sorted(f.name for f in tt)


def test_seven_segment_faces_are_dseg7_only() -> None:
    ss = synth.seven_segment_faces()
    assert all(f.name.startswith("DSEG7") for f in ss)
    # and no decorative SEGG-CHAN face (egg-shaped characters, no display's look)
    assert not any("seggchan" in f.name.lower() for f in ss)


@pytest.mark.parametrize("fraction", [0.0, 0.25, 0.5])
def test_split_faces_is_disjoint_by_family_and_deterministic(
    faces: list[synth.FontFace], fraction: float
) -> None:
    # given the printed faces, when split twice
    train, held = synth.split_faces(faces, heldout_fraction=fraction)
    _train2, held2 = synth.split_faces(list(reversed(faces)), heldout_fraction=fraction)
    # then families never straddle, nothing is lost, and the split ignores input order
    assert not {f.family for f in train} & {f.family for f in held}
    assert len(train) + len(held) == len(faces)
    assert {f.name for f in held} == {f.name for f in held2}
    if fraction == 0.0:
        assert held == []
    elif len({f.family for f in faces}) > 2:
        assert held
        assert not {f.family for f in held} & set(synth.CORE_FAMILIES)


def test_split_faces_rejects_bad_fraction(faces: list[synth.FontFace]) -> None:
    with pytest.raises(ValueError, match="heldout_fraction"):
        synth.split_faces(faces, heldout_fraction=1.5)


# ---- text ----------------------------------------------------------------------------------


@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(0, 8))
@settings(max_examples=300, deadline=None)
def test_random_digit_text_is_plausible_and_in_length(seed: int, lo: int, extra: int) -> None:
    text = synth.random_digit_text(np.random.default_rng(seed), min_len=lo, max_len=lo + extra)
    assert lo <= len(text) <= lo + extra
    assert synth.is_plausible_digit_text(text), text


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("-12.5", True),
        ("0042", True),
        ("7-3-2019", True),
        ("3.1415", True),
        (".5", False),
        ("1..2", False),
        ("1.2.3", False),
        ("1-", False),
        ("-.5", False),
        ("12a", False),
        ("--1", False),
        ("", False),
    ],
)
def test_is_plausible_digit_text_table(text: str, ok: bool) -> None:
    assert synth.is_plausible_digit_text(text) is ok


# ---- render_line ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "face_name",
    [
        "hershey:SIMPLEX",
        "hershey:COMPLEX-ITALIC",
        "DejaVuSans",
        "LiberationSerif-Bold",
        "Lato-Hairline",
    ],
)
@pytest.mark.parametrize("height", [14, 40, 100])
def test_render_line_digit_height_matches_request(
    faces: list[synth.FontFace], face_name: str, height: int
) -> None:
    by_name = {f.name: f for f in faces}
    if face_name not in by_name:
        pytest.skip(f"{face_name} not installed")
    line = synth.render_line("0123456789.-", by_name[face_name], height_px=height)
    assert line.ink.dtype == np.uint8
    assert [c for c, _ in line.boxes] == list("0123456789.-")
    digit_h = [b.h for c, b in line.boxes if c.isdigit()]
    assert abs(np.median(digit_h) - height) <= max(2, 0.12 * height)
    xs = [b.x for _, b in line.boxes]
    assert xs == sorted(xs)
    for _c, b in line.boxes:  # every box holds ink and lies inside the mask
        assert b.x >= 0
        assert b.y >= 0
        assert b.x2 <= line.ink.shape[1]
        assert b.y2 <= line.ink.shape[0]
        assert line.ink[b.y : b.y2, b.x : b.x2].max() >= 128


@pytest.mark.parametrize("name", ["SIMPLEX", "PLAIN", "DUPLEX", "COMPLEX", "TRIPLEX"])
def test_hershey_italic_faces_render_differently_from_upright(name: str) -> None:
    by_name = {f.name: f for f in synth.hershey_faces()}
    up = synth.render_line("1478", by_name[f"hershey:{name}"], height_px=40).ink
    it = synth.render_line("1478", by_name[f"hershey:{name}-ITALIC"], height_px=40).ink
    assert up.shape != it.shape or int((up != it).sum()) > 100


@pytest.mark.parametrize(("weight", "bolder"), [(-1, False), (2, True)])
def test_render_line_weight_changes_ink_area(
    faces: list[synth.FontFace], weight: int, bolder: bool
) -> None:
    face = next(f for f in faces if f.name == "hershey:DUPLEX")
    base = int((synth.render_line("808", face, height_px=60).ink > 127).sum())
    other = int((synth.render_line("808", face, height_px=60, weight=weight).ink > 127).sum())
    assert (other > base) is bolder


def test_render_line_negative_tracking_brings_glyphs_closer(faces: list[synth.FontFace]) -> None:
    face = next(f for f in faces if f.name == "hershey:SIMPLEX")
    loose = synth.render_line("00", face, height_px=40, tracking=0.2).boxes
    tight = synth.render_line("00", face, height_px=40, tracking=-0.1).boxes
    assert tight[1][1].x - tight[0][1].x2 < loose[1][1].x - loose[0][1].x2


# ---- scenes --------------------------------------------------------------------------------


@pytest.mark.parametrize("difficulty", ["camera", "clean"])
def test_make_scene_is_deterministic(faces: list[synth.FontFace], difficulty: str) -> None:
    a = synth.make_scene(7, faces=faces, difficulty=difficulty)
    b = synth.make_scene(np.random.default_rng(7), faces=faces, difficulty=difficulty)
    c = synth.make_scene(8, faces=faces, difficulty=difficulty)
    assert np.array_equal(a.image, b.image)
    assert a.boxes == b.boxes
    assert a.lines == b.lines
    assert a.style == b.style
    assert not np.array_equal(a.image, c.image)


def test_scene_image_shape_and_truth(camera_scenes: list[synth.Scene]) -> None:
    for s in camera_scenes:
        assert s.image.shape == (SIZE[1], SIZE[0], 3)
        assert s.image.dtype == np.uint8
        assert 1 <= len(s.lines) <= 3
        assert all(3 <= len(t) <= 10 and synth.is_plausible_digit_text(t) for t in s.lines)
        assert "".join(c for c, _ in s.boxes) == "".join(s.lines)
        assert s.text == "\n".join(s.lines)


def test_scene_boxes_inside_frame(camera_scenes: list[synth.Scene]) -> None:
    for s in camera_scenes:
        for _c, b in s.boxes:
            assert b.x >= 0, b
            assert b.y >= 0, b
            assert b.x2 <= SIZE[0], b
            assert b.y2 <= SIZE[1], b


def test_scene_boxes_in_reading_order(camera_scenes: list[synth.Scene]) -> None:
    for s in camera_scenes:
        per_line = s.boxes_by_line
        centers = []
        for line in per_line:
            cx = [b.cx for _, b in line]
            assert cx == sorted(cx), s.lines
            centers.append(np.mean([b.cy for c, b in line if c.isdigit()]))
        assert centers == sorted(centers)


def test_scene_digit_boxes_hold_legible_contrast(camera_scenes: list[synth.Scene]) -> None:
    for s in camera_scenes:
        for c, b in s.boxes:
            if c.isdigit():
                assert synth.box_contrast(s.image, b) >= 30, (s.style, c, b)


@pytest.mark.parametrize("seed", range(4))
def test_clean_scene_boxes_hold_strong_contrast(faces: list[synth.FontFace], seed: int) -> None:
    s = synth.make_scene(seed, faces=faces, difficulty="clean")
    assert s.style["angle"] == 0
    assert s.style["jpeg_quality"] is None
    for c, b in s.boxes:
        if c.isdigit():
            assert synth.box_contrast(s.image, b) >= 100, (c, b)


def test_scene_digit_heights_in_range(camera_scenes: list[synth.Scene]) -> None:
    for s in camera_scenes:
        assert 14 <= s.style["min_height"] <= s.style["max_height"] <= 115
        assert abs(s.style["angle"]) <= 5


@pytest.mark.parametrize("polarity", list(Polarity))
def test_make_scene_polarity_is_respected(faces: list[synth.FontFace], polarity: Polarity) -> None:
    # given a clean scene of one polarity, then the ink inside boxes is darker (or lighter)
    s = synth.make_scene(3, faces=faces, polarity=polarity, difficulty="clean", n_lines=2)
    assert s.style["polarity"] == polarity.value
    gray = cv2.cvtColor(s.image, cv2.COLOR_BGR2GRAY)
    b = next(b for c, b in s.boxes if c.isdigit())
    patch = gray[b.y : b.y2, b.x : b.x2].astype(float)
    paper = float(np.median(gray[b.y - 4 : b.y - 1, b.x : b.x2]))  # just above the glyph
    lo, hi = np.percentile(patch, [5, 95])
    ink_is_dark = bool(paper - lo > hi - paper)
    assert ink_is_dark is (polarity is Polarity.DARK_ON_LIGHT)


@pytest.mark.parametrize("n_lines", [1, 2, 3])
def test_make_scene_n_lines(faces: list[synth.FontFace], n_lines: int) -> None:
    assert len(synth.make_scene(5, faces=faces, n_lines=n_lines).lines) == n_lines


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"difficulty": "hard"}, "difficulty"),
        ({"faces": []}, "face"),
        ({"polarity": "upside-down"}, "polarity"),
        ({"n_lines": 0}, "n_lines"),
    ],
)
def test_make_scene_rejects_bad_arguments(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        synth.make_scene(0, **kwargs)


def test_scene_style_is_json_serialisable(camera_scenes: list[synth.Scene]) -> None:
    import json

    for s in camera_scenes:
        json.dumps(s.style)


# ---- glyph samples -------------------------------------------------------------------------


@pytest.mark.parametrize(("classes", "reject"), [("0123456789", True), ("07", False)])
def test_glyph_samples_counts_shapes_and_labels(
    faces: list[synth.FontFace], classes: str, reject: bool
) -> None:
    patches, labels = synth.glyph_samples(
        1, faces=faces, n_per_class=6, classes=classes, reject=reject
    )
    n_classes = len(classes) + (1 if reject else 0)
    assert len(patches) == len(labels) == 6 * n_classes
    for c in classes:
        assert labels.count(c) == 6
    assert labels.count(NOT_GLYPH) == (6 if reject else 0)
    for p in patches:
        assert p.dtype == np.uint8
        assert p.ndim == 2
        assert min(p.shape) >= 2


def test_glyph_samples_are_deterministic_and_ink_bright(faces: list[synth.FontFace]) -> None:
    a, la = synth.glyph_samples(4, faces=faces, n_per_class=3)
    b, lb = synth.glyph_samples(4, faces=faces, n_per_class=3)
    assert la == lb
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    # ink bright on dark: the glyph's centre row is brighter at its max than the patch border
    brighter = [
        p.max() > np.median(np.concatenate([p[0], p[-1]])) + 30
        for p, lab in zip(a, la, strict=True)
        if lab != NOT_GLYPH
    ]
    assert np.mean(brighter) > 0.9


def test_reject_chars_hold_no_digit_lookalikes() -> None:
    assert not set(synth.REJECT_CHARS) & set(synth.DIGIT_LOOKALIKES)
    assert not set(synth.REJECT_CHARS) & set("0123456789.-")


# ---- demo ----------------------------------------------------------------------------------


def test_demo_is_deterministic_counts_up_and_is_fast() -> None:
    import time

    demo = synth.DemoScene(2)
    img0, _ = demo.frame(0)
    img0b, _ = synth.DemoScene(2).frame(0)
    assert np.array_equal(img0, img0b)
    assert img0.shape == (480, 640, 3)
    assert img0.dtype == np.uint8
    texts = [demo.frame(i)[1] for i in range(0, 90, 15)]
    assert len(set(texts)) > 1
    values = [float(t) for t in texts]
    assert values == sorted(values)
    assert all(len(t) == 7 for t in texts)
    assert all(t[5] == "." for t in texts)
    t = time.perf_counter()
    for i in range(20):
        demo.frame(i)
    assert (time.perf_counter() - t) / 20 < 0.02  # < 5 ms on an idle core; slack for CI


def test_demo_frame_wrapper_matches_scene() -> None:
    img, text = synth.demo_frame(31, seed=5)
    img2, text2 = synth.DemoScene(5).frame(31)
    assert text == text2
    assert np.array_equal(img, img2)


def test_box_contrast_of_blank_region_is_zero() -> None:
    img = np.full((20, 20, 3), 128, np.uint8)
    assert synth.box_contrast(img, Box(2, 2, 10, 10)) == 0.0
    assert synth.box_contrast(img, Box(30, 30, 5, 5)) == 0.0


@pytest.mark.parametrize("seed", range(6))
def test_random_word_is_letters_in_one_case_style(seed: int) -> None:
    w = synth.random_word(np.random.default_rng(seed), min_len=2, max_len=7)
    assert 2 <= len(w) <= 7
    assert w.isalpha()
    assert w.isascii()
    assert w in (w.lower(), w.upper(), w.capitalize())


def test_make_scene_prints_given_texts(faces: list[synth.FontFace]) -> None:
    words = synth.make_scene(5, faces=faces, texts=["Total", "kWh"])
    assert words.lines == ("Total", "kWh")
    assert "".join(c for c, _ in words.boxes) == "TotalkWh"
    assert all(b.w > 0 and b.h > 0 for _, b in words.boxes)
    with pytest.raises(ValueError, match="texts"):
        synth.make_scene(5, faces=faces, texts=[" "])
