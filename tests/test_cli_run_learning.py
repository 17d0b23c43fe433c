"""`digitcam run` closing the loop: saving uncertain glyphs, reloading a changed model."""

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

import digitcam
from digitcam.classify import default_model_path

SRC = str(Path(digitcam.__file__).resolve().parents[1])


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (SRC, env.get("PYTHONPATH")) if p)
    env.pop("DISPLAY", None)
    return env


def _video(path: Path, text: str, frames: int, fps: float = 10.0) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (480, 160))
    for _ in range(frames):
        img = np.full((160, 480, 3), 235, np.uint8)
        cv2.putText(
            img, text, (20, 100), cv2.FONT_HERSHEY_DUPLEX, 1.6, (20, 20, 20), 3, cv2.LINE_AA
        )
        writer.write(img)
    writer.release()
    return path


def test_save_uncertain_writes_crops_that_label_reads(tmp_path):
    # Given a video whose line has a letter among the digits (read as '?')
    video = _video(tmp_path / "v.mp4", "1234A5678", 5)
    out = tmp_path / "unsure"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "digitcam",
            "run",
            str(video),
            "--no-display",
            "--fast",
            "--save-uncertain",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(),
    )
    assert r.returncode == 0, r.stderr
    # Then each frame's unsure glyph is saved with its frame and box
    rows = [json.loads(x) for x in (out / "uncertain.jsonl").read_text().splitlines()]
    assert len(rows) >= 5
    assert all(len(row["box"]) == 4 and "#frame" in row["frame"] for row in rows)
    assert all((out / row["file"]).is_file() for row in rows)
    img = cv2.imread(str(out / rows[0]["file"]), cv2.IMREAD_GRAYSCALE)
    assert img is not None
    assert img.mean() < 128  # ink bright on dark, as labelling expects


def test_running_reader_reloads_a_changed_model(tmp_path):
    # Given a run on a paced video with a model file we control
    model = tmp_path / "m.npz"
    shutil.copy(default_model_path("knn"), model)
    video = _video(tmp_path / "v.mp4", "4096", 40, fps=10.0)
    log = tmp_path / "log.jsonl"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "digitcam",
            "run",
            str(video),
            "--no-display",
            "--model",
            str(model),
            "--log",
            str(log),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        # (once the run has read a frame with the first model: on a loaded machine its
        # start-up alone can take longer than any fixed wait)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            if log.is_file() and log.read_text().strip():
                break
            time.sleep(0.05)
        # When the model file is replaced (atomically, as `train --out` does)
        tmp = tmp_path / "m2.npz"
        shutil.copy(default_model_path("svm"), tmp)
        os.replace(tmp, model)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    # Then the run says it reloaded, and ends normally
    assert proc.returncode == 0, err
    assert "reloaded model" in err
