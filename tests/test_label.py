"""Labelling: known text, the key session, the window seam, the terminal renderer, the pi page."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from digitcam.config import ReaderConfig
from digitcam.errors import DatasetError
from digitcam.label import (
    LabelItem,
    LabelSession,
    assign_text,
    glyph_items,
    half_blocks,
    items_dataset,
    label_in_terminal,
    label_in_window,
)
from digitcam.pipeline import read_frame
from digitcam.train import Params, dataset_matrix, fit
from digitcam.types import NOT_GLYPH, Box

PI = Path("/work/shared/data/real/simpleocr_pi_digits")
for cand in (Path(__file__).resolve().parents[2] / "shared/data/real/simpleocr_pi_digits", PI):
    if cand.is_dir():
        PI = cand
        break
needs_pi = pytest.mark.skipif(not PI.is_dir(), reason=f"pi page not found at {PI}")


def _items(per_line: list[int]) -> list[LabelItem]:
    img = np.zeros((20, 20), np.uint8)
    out = []
    for li, n in enumerate(per_line):
        for i in range(n):
            out.append(LabelItem(f"f#{i},{li},1,1", Box(i * 10, li * 20, 8, 16), li, img, 0))
    return out


def test_known_text_assigns_characters_in_reading_order() -> None:
    assert assign_text(_items([3, 2]), "123\n45") == list("12345")
    assert assign_text(_items([3, 2]), "12345") == list("12345")


def test_count_mismatch_says_what_was_found_where() -> None:
    with pytest.raises(DatasetError, match=r"line 2 of the text has 3 characters.*2 glyphs"):
        assign_text(_items([3, 2]), "123\n456", where="p.png")
    with pytest.raises(DatasetError, match=r"p.png: the text has 4 characters but 5 glyphs"):
        assign_text(_items([3, 2]), "1234", where="p.png")


def test_session_keys_label_skip_undo_and_quit() -> None:
    s = LabelSession(_items([4]))
    for k in (ord("7"), ord(" "), 8, ord("."), ord("-")):
        s.key(k)
    assert s.labels == ["7", ".", "-", None]
    assert not s.done
    s.key(27)
    assert s.done


def test_window_labelling_through_the_seam_saves_after_every_key() -> None:
    class FakeWindow:
        def __init__(self, keys: list[int]) -> None:
            self.keys, self.shown = keys, []

        def show(self, image: np.ndarray) -> None:
            self.shown.append(image.shape)

        def wait_key(self) -> int:
            return self.keys.pop(0)

    saves: list[list[str | None]] = []
    frame = np.full((60, 80), 200, np.uint8)
    labels = label_in_window(
        _items([3]),
        [frame],
        FakeWindow([ord("4"), ord(" "), 27]),
        on_change=lambda _i, labs: saves.append(list(labs)),
    )
    assert labels == ["4", NOT_GLYPH, None]
    assert saves == [["4", None, None], ["4", NOT_GLYPH, None]]


def test_terminal_labelling_reads_typed_lines_until_end_of_input() -> None:
    from rich.console import Console

    lines = iter(["3\n", " \n", ":u\n", "8\n"])
    con = Console(file=io.StringIO(), width=100, color_system="truecolor")
    frame = np.full((60, 80), 200, np.uint8)
    labels = label_in_terminal(
        _items([3]), [frame], console=con, read_line=lambda: next(lines, None)
    )
    assert labels == ["3", "8", None]
    out = con.file.getvalue()
    assert "▀" in out
    assert "[1/3]" in out


def test_half_blocks_draw_two_pixel_rows_per_text_row() -> None:
    g = np.zeros((8, 6), np.uint8)
    t = half_blocks(g, max_cols=6, max_rows=4)
    assert t.plain.count("\n") == 4
    assert t.plain.count("▀") == 24


@needs_pi
def test_pi_page_known_text_builds_225_samples_and_a_model_that_reads_it() -> None:
    rec = json.loads((PI / "labels.jsonl").read_text().splitlines()[0])
    page = cv2.imread(str(PI / "digits2.png"))
    # given the page's glyphs in reading order (the '.' after the first 3 is a mark)
    items = glyph_items(page, source="digits2.png")
    labels = assign_text(items, rec["text"])
    ds = items_dataset(items, labels)
    assert len(ds) == 225
    # when trained on the first five lines only
    first = np.array([it.line < 5 for it in items])
    x, spec = dataset_matrix(ds, None)
    held = fit(
        x[first],
        [lab for lab, f in zip(labels, first, strict=True) if f],
        spec=spec,
        classifier="knn",
        params=Params(k=1),
    )
    # then the glyphs of the four lines it never saw are read correctly
    pred = held.predict(x[~first]).chars
    truth = [lab for lab, f in zip(labels, first, strict=True) if not f]
    assert np.mean(np.array(pred) == np.array(truth)) >= 0.97
    # and a model trained on the whole page reads the page
    model = fit(x, labels, spec=spec, classifier="knn", params=Params(k=1))
    reading = read_frame(page, model, ReaderConfig())
    want = rec["text"].splitlines()
    assert [ln.replace(".", "") for ln in reading.lines] == want


GUI = pytest.mark.skipif(
    shutil.which("xvfb-run") is None or shutil.which("xdotool") is None,
    reason="needs xvfb-run and xdotool",
)


@pytest.mark.gui
@GUI
@needs_pi
def test_window_labelling_under_xvfb_with_xdotool_keys(tmp_path: Path) -> None:
    # given three digits ("314", from the pi page) and a real OpenCV window on a virtual display
    img = cv2.imread(str(PI / "digits2.png"))[0:46, 0:80]
    img = cv2.copyMakeBorder(img, 30, 30, 30, 30, cv2.BORDER_CONSTANT, value=(255, 255, 255))
    assert len(glyph_items(img, source="c")) == 3
    cv2.imwrite(str(tmp_path / "c.png"), img)
    out = tmp_path / "d.npz"
    script = tmp_path / "run.sh"
    script.write_text(
        f'"{sys.executable}" -m digitcam label "{tmp_path / "c.png"}" --ui window '
        f'--out "{out}" &\n'
        "pid=$!\n"
        'wid=$(xdotool search --sync --onlyvisible --name "digitcam label" | head -1)\n'
        "sleep 0.5\n"
        "for k in 3 2 BackSpace 1 4 Escape; do\n"
        '  xdotool windowactivate --sync "$wid" 2>/dev/null; xdotool key --window "$wid" "$k"\n'
        "  sleep 0.3\n"
        "done\n"
        "wait $pid\n"
    )
    env = {
        "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src"),
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    t0 = time.monotonic()
    r = subprocess.run(
        ["xvfb-run", "-a", "bash", str(script)], capture_output=True, text=True, timeout=60, env=env
    )
    assert r.returncode == 0, r.stderr[-800:]
    # then the keys became labels, the undone one replaced
    from digitcam.dataset import load_dataset

    assert load_dataset(out).labels == ("3", "1", "4")
    assert time.monotonic() - t0 < 60
