"""Tests for calibration profiles: strict validation with one-line errors, name resolution,
the warp and mapping boxes back, and what a profile gives the reader and the fuser."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from digitcam.calibration import (
    Profile,
    format_regex,
    load_profile,
    map_reading,
    profile_from_dict,
    save_profile,
)
from digitcam.errors import CalibrationError
from digitcam.types import Box, Glyph, Polarity, Reading


def write(tmp_path: Path, data: dict) -> Path:
    p = tmp_path / "p.json"
    p.write_text(json.dumps(data))
    return p


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"corner": [[0, 0], [1, 0], [1, 1], [0, 1]]},
            "unknown key 'corner' (did you mean 'corners'?)",
        ),
        (
            {"frame_size": [100, 80], "corners": [[0, 0], [150, 0], [150, 50], [0, 50]]},
            "corner 2 (150, 0) is outside the 100x80 frame",
        ),
        ({"format": "ddxd.d"}, "bad format 'ddxd.d': 'x' at position 2 is not one of d . - :"),
        ({"format": "dd-d"}, "'-' may only lead"),
        ({"regex": "(\\d+"}, "bad regex"),
        ({"polarity": "dark"}, "'polarity' must be one of"),
        ({"range": [5, 1]}, "min <= max"),
        ({"monotonic": "yes"}, "'monotonic' must be true or false"),
        ({"corners": [[0, 0], [10, 10], [10, 0], [0, 10]]}, "convex quadrilateral"),
    ],
)
def test_a_bad_profile_is_one_line_naming_the_problem(
    tmp_path: Path, data: dict, message: str
) -> None:
    with pytest.raises(CalibrationError) as err:
        load_profile(write(tmp_path, data))
    text = str(err.value)
    assert message in text
    assert "\n" not in text


def test_not_json_and_missing_names_say_so(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text("{nope")
    with pytest.raises(CalibrationError, match="not valid JSON"):
        load_profile(bad)
    with pytest.raises(CalibrationError, match=r"'nosuch' not found .*demo"):
        load_profile("nosuch")


def test_names_resolve_in_the_calibration_folder() -> None:
    p = load_profile("demo")
    assert p.name == "demo"
    assert p.monotonic
    assert p.format == "ddddd.d"
    cfg = p.fuse_config()
    assert cfg.plausibility.pattern is not None
    assert cfg.plausibility.pattern.fullmatch("123.4")


def test_format_strings_allow_blank_leading_digits() -> None:
    import re

    rx = re.compile(format_regex("-ddd.dd"))
    assert rx.fullmatch("12.34")
    assert rx.fullmatch("-123.45")
    assert not rx.fullmatch("1234.5")


def test_a_clock_profile_accepts_a_time_and_refuses_a_colon_read_as_a_digit() -> None:
    from digitcam.classify import load_model
    from digitcam.pipeline import read_frame
    from digitcam.synth7 import make_display_scene

    # given a clock's profile (format "dd:dd") and the reading of a clean clock scene
    cfg = profile_from_dict({"format": "dd:dd"}).fuse_config()
    scenes = (make_display_scene(k, clock=True, clean=True) for k in range(50))
    scene = next(s for s in scenes if s.text.count(":") == 1 and "\n" not in s.text)
    text = read_frame(scene.image, load_model()).text
    # then the time read is plausible, and its colon read as a 1 would not be
    assert text == scene.text
    assert cfg.plausibility.check(text, None, 0.1) is None
    assert cfg.plausibility.check(text.replace(":", "1"), None, 0.1) is not None


def test_the_warp_makes_the_display_upright_and_boxes_map_back() -> None:
    # given a frame and a profile whose corners are a tilted quad
    img = np.zeros((200, 300, 3), np.uint8)
    corners = ((50.0, 60.0), (250.0, 40.0), (255.0, 120.0), (55.0, 140.0))
    prof = profile_from_dict({"corners": [list(c) for c in corners], "frame_size": [300, 200]})
    warped, m = prof.warp(img)
    assert warped.shape[0] < warped.shape[1]
    # when a box in the warped image is mapped back
    h, w = warped.shape[:2]
    r = Reading(0, ("1",), ((Glyph(Box(w // 2, h // 2, 4, 4), "1", 0.9),),))
    back = map_reading(r, m).all_glyphs[0].box
    # then it lands inside the quad in the frame
    assert 50 <= back.x <= 255
    assert 40 <= back.y <= 140


def test_profiles_give_the_reader_its_settings_and_save_round_trips(tmp_path: Path) -> None:
    corners = ((0, 0), (10, 0), (10, 5), (0, 5))
    prof = Profile(name="m", polarity=Polarity.DARK_ON_LIGHT, glyph_height=(20, 90),
                   corners=corners, format="dd.d", monotonic=True)  # fmt: skip
    cfg = prof.reader_config()
    assert cfg.polarity is Polarity.DARK_ON_LIGHT
    assert cfg.min_glyph_px == 20
    assert cfg.max_glyph_frac >= 0.9
    out = save_profile(prof, tmp_path / "m.json")
    again = load_profile(out)
    assert again.corners == prof.corners
    assert again.format == "dd.d"
    assert again.monotonic


def test_corners_outside_a_real_frame_are_refused_at_warp_time() -> None:
    prof = profile_from_dict({"corners": [[0, 0], [500, 0], [500, 50], [0, 50]]})
    with pytest.raises(CalibrationError, match="outside the 300x200 frame"):
        prof.warp(np.zeros((200, 300, 3), np.uint8))
