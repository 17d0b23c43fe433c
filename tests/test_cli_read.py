"""`digitcam read`: text and JSON output, annotation, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from digitcam.classify import default_model_path


def _run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "digitcam", "read", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture(scope="module")
def card(tmp_path_factory):
    d = tmp_path_factory.mktemp("imgs")
    img = np.full((200, 520, 3), 235, np.uint8)
    cv2.putText(
        img, "-273.15", (30, 120), cv2.FONT_HERSHEY_DUPLEX, 2.4, (20, 20, 20), 4, cv2.LINE_AA
    )
    path = d / "card with space é.png"
    _ok, buf = cv2.imencode(".png", img)
    buf.tofile(path)
    return path


def test_read_prints_text(card):
    r = _run(card)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "-273.15"


def test_read_json_has_the_documented_fields(card, tmp_path):
    r = _run(card, "--json", "--annotate", tmp_path / "ann")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1
    d = json.loads(lines[0])
    assert d["source"] == str(card)
    assert d["text"] == "-273.15"
    assert d["lines"] == ["-273.15"]
    assert [g["char"] for g in d["glyphs"]] == list("-273.15")
    assert all(len(g["box"]) == 4 for g in d["glyphs"])
    assert d["timings_ms"]["total"] > 0
    written = list((tmp_path / "ann").iterdir())
    assert len(written) == 1
    assert cv2.imread(str(written[0])) is not None


def test_svm_classifier_option_reads_too(card):
    r = _run(card, "--classifier", "svm")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "-273.15"


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (None, "no such file"),
        (b"", "empty file"),
        (b"this is text, not a PNG\n", "not a readable image"),
    ],
    ids=["missing", "zero-byte", "text-renamed-png"],
)
def test_bad_images_error_per_image_and_others_still_read(card, tmp_path, content, match):
    bad = tmp_path / "bad.png"
    if content is not None:
        bad.write_bytes(content)
    r = _run(bad, card)
    assert r.returncode == 1
    assert r.stdout.strip() == "-273.15"
    err = r.stderr.strip().splitlines()
    assert len(err) == 1, r.stderr
    assert match in err[0]
    assert "Traceback" not in r.stderr


def test_truncated_png_is_an_error(card, tmp_path):
    bad = tmp_path / "truncated.png"
    bad.write_bytes(card.read_bytes()[:200])
    r = _run(bad)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("content", [b"not a model", b"PK\x03\x04broken"])
def test_model_that_is_not_a_model_is_one_line(card, tmp_path, content):
    bad = tmp_path / "model.npz"
    bad.write_bytes(content)
    r = _run(card, "--model", bad)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "model" in r.stderr


def test_a_seven_segment_display_reads_with_no_flag_and_reader_picks_the_reader(tmp_path):
    # given a generated camera-like frame of an LED display in clutter
    from digitcam.synth7 import make_display_scene

    scene = make_display_scene(5005)
    path = tmp_path / "meter.png"
    cv2.imwrite(str(path), scene.image)
    # then the default reads it (no calibration, no flag)
    r = _run(path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == scene.text == "-58.531"
    # and the printed reader alone does not (it sees loose segments)
    r = _run(path, "--reader", "printed")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() != scene.text
    # and an unknown reader is one line and a non-zero exit
    r = _run(path, "--reader", "lcd")
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert "lcd" in r.stderr


REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


def test_a_crop_of_one_hollow_lcd_digit_is_read_whole_by_the_shipped_cell_model(tmp_path):
    # given a real crop of one LCD digit drawn hollow (outlined bars), which the segment
    # decoder finds no digit in
    crop = REAL / "haverland_meterdigits" / "img" / "2_43b53c3f112be7029b2f3621ed2bb0f8.jpg"
    if not crop.is_file():
        pytest.skip(f"real data not found at {crop}")
    from digitcam.classify import load_model
    from digitcam.pipeline import read_frame

    assert read_frame(cv2.imread(str(crop)), load_model()).text == ""
    # when read by `digitcam read` (the shipped cell model is on by default)
    r = _run(crop, "--json")
    # then the whole crop reads as its digit
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["text"] == "2"
    assert out["glyphs"][0]["box"] == [0, 0, 42, 88]
    # and a glyph model given as the cell model is refused in one line
    r = _run(crop, "--cell-model", default_model_path())
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "not whole digit cells" in r.stderr
