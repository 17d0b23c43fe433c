"""Tests for `digitcam calibrate`: --corners then `read --calibration`, --auto on the demo,
one-line errors, the corner picker's state machine, and the real window under xvfb-run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from typer.testing import CliRunner

from digitcam.cli import app
from digitcam.cli.calibrate import CornerPicker, parse_corners
from digitcam.synth7 import CounterScene, make_display_scene

SRC = Path(__file__).resolve().parents[1] / "src"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _corners_arg(c: np.ndarray) -> str:
    return " ".join(f"{x:.0f},{y:.0f}" for x, y in c)


def test_corners_then_read_with_the_profile_reads_an_angled_display(tmp_path: Path) -> None:
    # given a photo of a display taken at an angle (rotated, in perspective, cluttered)
    scene = make_display_scene(14)
    assert abs(scene.style["angle"]) > 2
    photo = tmp_path / "angled.png"
    cv2.imwrite(str(photo), scene.image)
    out = tmp_path / "meter.json"
    # when calibrated with its corners, then read with the profile
    r1 = CliRunner().invoke(app, ["calibrate", str(photo), "--out", str(out),
                                  "--corners", _corners_arg(scene.corners)])  # fmt: skip
    assert r1.exit_code == 0, r1.output
    assert json.loads(out.read_text())["frame_size"] == [640, 480]
    r2 = CliRunner().invoke(app, ["read", str(photo), "--calibration", str(out)])
    # then it reads the display, and calibrate printed the same reading
    assert r2.exit_code == 0, r2.output
    assert r2.output.strip() == scene.text
    assert f"reads: {scene.text}" in r1.output


def test_auto_finds_the_display_in_the_demo(tmp_path: Path) -> None:
    out = tmp_path / "demo.json"
    r = CliRunner().invoke(app, ["calibrate", "demo", "--out", str(out), "--auto", "--frames", "2"])
    assert r.exit_code == 0, r.output
    got = np.array(json.loads(out.read_text())["corners"], float)
    want = CounterScene(0).corners
    # the found box overlaps the display window (it may leave out blank leading cells)
    gx0, gy0, gx1, gy1 = got[:, 0].min(), got[:, 1].min(), got[:, 0].max(), got[:, 1].max()
    wx0, wy0, wx1, wy1 = want[:, 0].min(), want[:, 1].min(), want[:, 0].max(), want[:, 1].max()
    inter = max(0, min(gx1, wx1) - max(gx0, wx0)) * max(0, min(gy1, wy1) - max(gy0, wy0))
    assert inter >= 0.5 * (gx1 - gx0) * (gy1 - gy0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--corners", "1,2 3,4"], "--corners needs four points"),
        (["--corners", "1,2 3,4 5,x 7,8"], "'5,x' is not a point"),
        (["--corners", "0,0 900,0 900,50 0,50"], "outside the 640x480 frame"),
    ],
)
def test_bad_corners_are_one_line_errors(tmp_path: Path, args: list[str], message: str) -> None:
    img = tmp_path / "f.png"
    cv2.imwrite(str(img), np.zeros((480, 640, 3), np.uint8))
    proc = subprocess.run(
        [sys.executable, "-m", "digitcam", "calibrate", str(img), "--out", str(tmp_path / "o.json"),
         *args], capture_output=True, text=True, env=_env(), timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("digitcam: error:")
    assert message in lines[0]


def test_parse_corners_accepts_four_points() -> None:
    assert parse_corners("1,2 3,4 5,6 7.5,8") == ((1, 2), (3, 4), (5, 6), (7.5, 8))


class FakeUI:
    """A scripted window: mouse events and keys in order."""

    def __init__(self, script: list) -> None:
        self.script = list(script)
        self.cb = None
        self.shown = 0
        self.closed = False

    def show(self, image) -> None:
        self.shown += 1

    def on_mouse(self, callback) -> None:
        self.cb = callback

    def wait_key(self, ms: int) -> int:
        while self.script and not isinstance(self.script[0], int):
            ev = self.script.pop(0)
            self.cb(*ev)
        return self.script.pop(0) if self.script else 27

    def close(self) -> None:
        self.closed = True


def test_picker_clicks_drags_and_saves_on_enter() -> None:
    # given four clicks, a drag of the third corner, then Enter
    click = [(1, 10, 10, 0), (4, 10, 10, 0), (1, 100, 10, 0), (4, 100, 10, 0),
             (1, 100, 50, 0), (4, 100, 50, 0), (1, 10, 50, 0), (4, 10, 50, 0)]  # fmt: skip
    drag = [(1, 101, 51, 0), (0, 120, 60, 0), (4, 120, 60, 0)]
    ui = FakeUI([*click, -1, *drag, 13])
    corners = CornerPicker(np.zeros((80, 140, 3), np.uint8), ui).run()
    assert corners == ((10, 10), (100, 10), (120, 60), (10, 50))
    assert ui.closed
    assert ui.shown >= 2


def test_picker_needs_four_corners_and_esc_cancels() -> None:
    ui = FakeUI([(1, 5, 5, 0), (4, 5, 5, 0), 13, 27])
    assert CornerPicker(np.zeros((40, 40), np.uint8), ui).run() is None


@pytest.mark.gui
def test_the_window_mode_under_xvfb(tmp_path: Path) -> None:
    # given an X server (xvfb-run) and xdotool to click
    if not (shutil.which("xvfb-run") and shutil.which("xdotool")):
        pytest.skip("xvfb-run and xdotool are needed for the window test")
    scene = make_display_scene(14)
    photo = tmp_path / "angled.png"
    cv2.imwrite(str(photo), scene.image)
    out = tmp_path / "gui.json"
    pts = [(round(x), round(y)) for x, y in scene.corners]
    clicks = "\n".join(f"xdotool mousemove --window $W {x} {y} click 1; sleep 0.2" for x, y in pts)
    script = tmp_path / "drive.sh"
    script.write_text(f"""
{sys.executable} -m digitcam calibrate {photo} --out {out} &
P=$!
for i in $(seq 1 100); do
  W=$(xdotool search --name "digitcam calibrate" | head -1); [ -n "$W" ] && break; sleep 0.1
done
sleep 0.5
{clicks}
xdotool key --window $W Return
wait $P
""")
    # when the four corners are clicked and Enter pressed
    t0 = time.monotonic()
    proc = subprocess.run(["xvfb-run", "-a", "bash", str(script)], capture_output=True,
                          text=True, env=_env(), timeout=90)  # fmt: skip
    # then the profile holds the clicked corners and the reading is printed
    assert proc.returncode == 0, proc.stderr
    got = json.loads(out.read_text())["corners"]
    assert np.allclose(np.array(got), np.array(pts), atol=2), got
    assert f"reads: {scene.text}" in proc.stdout
    assert time.monotonic() - t0 < 60
