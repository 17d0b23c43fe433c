"""`digitcam dataset|train|eval|label|extend-model` end to end, and their one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from digitcam.dataset import load_dataset
from digitcam.types import NOT_GLYPH

DATA = Path("/work/shared/data")
for cand in (Path(__file__).resolve().parents[2] / "shared" / "data", DATA):
    if cand.is_dir():
        DATA = cand
        break
DIGITS = DATA / "digits.png"
LETTERS = DATA / "letter-recognition.data"
PI = DATA / "real" / "simpleocr_pi_digits"
needs_data = pytest.mark.skipif(not DIGITS.is_file(), reason=f"shared data not found at {DATA}")
SRC = str(Path(__file__).resolve().parents[1] / "src")


def _run(*args: object, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "digitcam", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        input=stdin,
        env=env,
    )


def _one_line_error(r: subprocess.CompletedProcess[str], match: str) -> None:
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("digitcam: error:"), r.stderr
    assert match in lines[0], lines[0]


@pytest.fixture(scope="module")
def digit_sets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A train and a test dataset cut from digits.png (rows 0:40 and 40:60 of every class)."""
    from digitcam.dataset import import_dataset, save_dataset

    d = tmp_path_factory.mktemp("digits")
    ds = import_dataset(DIGITS, "opencv-digits")
    lab = np.asarray(ds.labels)
    idx = np.arange(len(ds))
    tr = np.concatenate([idx[lab == c][:40] for c in ds.classes])
    te = np.concatenate([idx[lab == c][300:330] for c in ds.classes])
    return save_dataset(ds.subset(tr), d / "tr.npz"), save_dataset(ds.subset(te), d / "te.npz")


@needs_data
def test_dataset_import_info_and_mosaic(tmp_path: Path) -> None:
    out = tmp_path / "d.npz"
    r = _run(
        "dataset", "import", DIGITS, "--format", "opencv-digits", "--rows", "0:1000", "--out", out
    )
    assert r.returncode == 0, r.stderr
    r = _run("dataset", "info", out, "--json", "--mosaic", tmp_path / "m.png")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["n"] == 1000
    assert info["counts"] == {"0": 500, "1": 500}
    assert (tmp_path / "m.png").stat().st_size > 0


@needs_data
def test_export_writes_letter_recognition_rows(tmp_path: Path) -> None:
    d = tmp_path / "l.npz"
    assert (
        _run(
            "dataset", "import", LETTERS, "--format", "uci-letters", "--rows", "0:20", "--out", d
        ).returncode
        == 0
    )
    r = _run("dataset", "export", d, "--format", "uci-letters", "--out", tmp_path / "x.data")
    assert r.returncode == 0, r.stderr
    want = LETTERS.read_text().splitlines()[:20]
    assert (tmp_path / "x.data").read_text().splitlines() == want


@needs_data
def test_train_json_keys_then_eval_with_report(
    digit_sets: tuple[Path, Path], tmp_path: Path
) -> None:
    tr, te = digit_sets
    model = tmp_path / "m.npz"
    r = _run(
        "train", tr, "--classifier", "svm", "--cv", "3", "--test", te, "--json", "--out", model
    )
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    assert set(rep) == {
        "classifier",
        "features",
        "n_train",
        "train_accuracy",
        "test_accuracy",
        "cv_accuracy",
        "params",
    }
    assert rep["n_train"] == 400
    assert rep["test_accuracy"] >= 0.93
    r = _run("eval", model, te, "--json", "--report", tmp_path / "rep")
    assert r.returncode == 0, r.stderr
    ev = json.loads(r.stdout)
    assert abs(ev["accuracy"] - rep["test_accuracy"]) < 1e-6
    assert (tmp_path / "rep" / "confusion.png").is_file()
    assert (tmp_path / "rep" / "misread.png").is_file()
    r = _run("eval", model, te)
    assert r.returncode == 0
    assert "confusion" in r.stdout
    assert "recall" in r.stdout


@needs_data
def test_cv_with_a_single_sample_class_is_a_one_line_error(tmp_path: Path) -> None:
    d = tmp_path / "d.npz"
    _run("dataset", "import", DIGITS, "--format", "opencv-digits", "--rows", "495:501", "--out", d)
    _one_line_error(_run("train", d, "--cv", "3"), "class '1' has a single sample")


def test_bad_csv_row_is_a_one_line_error_with_its_line_number(tmp_path: Path) -> None:
    p = tmp_path / "bad.data"
    p.write_text("A,1,2\nB,1,2\nC,1,oops\n")
    r = _run("dataset", "import", p, "--format", "uci-letters", "--out", tmp_path / "o.npz")
    _one_line_error(r, "bad.data:3")


def test_dataset_of_another_version_is_a_one_line_error(tmp_path: Path) -> None:
    p = tmp_path / "v2.npz"
    np.savez(p, meta=np.array(json.dumps({"format": "digitcam-dataset", "version": 2})))
    _one_line_error(_run("train", p), "version 2")


def test_empty_dataset_is_a_one_line_error(tmp_path: Path) -> None:
    from digitcam.dataset import empty_dataset, save_dataset

    p = save_dataset(empty_dataset(), tmp_path / "e.npz")
    _one_line_error(_run("train", p), "empty")


@pytest.mark.skipif(not PI.is_dir(), reason="pi page not found")
def test_label_known_text_then_relabel_updates(tmp_path: Path) -> None:
    text = json.loads((PI / "labels.jsonl").read_text().splitlines()[0])["text"]
    out = tmp_path / "pi.npz"
    r = _run("label", PI / "digits2.png", "--text", text, "--out", out)
    assert r.returncode == 0, r.stderr
    assert len(load_dataset(out)) == 225
    # labelling the same page again updates, it does not duplicate
    assert _run("label", PI / "digits2.png", "--text", text, "--out", out).returncode == 0
    assert len(load_dataset(out)) == 225
    r = _run("label", PI / "digits2.png", "--text", "31415", "--out", out)
    _one_line_error(r, "the text has 9 lines" if "\n" in "31415" else "5 characters but 225")


@pytest.mark.skipif(not PI.is_dir(), reason="pi page not found")
def test_label_in_the_terminal_reads_stdin(tmp_path: Path) -> None:
    import cv2

    img = cv2.imread(str(PI / "digits2.png"))[0:46, 0:80]
    img = cv2.copyMakeBorder(img, 30, 30, 30, 30, cv2.BORDER_CONSTANT, value=(255, 255, 255))
    cv2.imwrite(str(tmp_path / "c.png"), img)
    out = tmp_path / "t.npz"
    r = _run("label", tmp_path / "c.png", "--ui", "terminal", "--out", out, stdin="3\n1\n4\n")
    assert r.returncode == 0, r.stderr
    assert load_dataset(out).labels == ("3", "1", "4")
    # end of input part-way keeps what was typed
    r = _run("label", tmp_path / "c.png", "--ui", "terminal", "--out", out, stdin="8\n")
    assert r.returncode == 0, r.stderr
    assert load_dataset(out).labels == ("1", "4", "8")


def test_label_of_an_uncertain_folder(tmp_path: Path) -> None:
    from digitcam.dataset import save_uncertain_crop
    from digitcam.types import Box

    patch = np.zeros((30, 18), np.float32)
    patch[4:26, 7:11] = 1.0
    save_uncertain_crop(tmp_path / "unc", patch, frame_ref="f1", box=Box(1, 2, 18, 30))
    out = tmp_path / "u.npz"
    r = _run("label", tmp_path / "unc", "--ui", "terminal", "--out", out, stdin="1\n")
    assert r.returncode == 0, r.stderr
    assert load_dataset(out).labels == ("1",)


def test_extend_model_adds_word_letters_to_not_a_glyph(tmp_path: Path) -> None:
    from digitcam.classify import default_model_path, load_model

    # given the shipped KNN model, extended by the letters of 6 word scenes (3 centres)
    out = tmp_path / "ext.npz"
    r = _run("extend-model", default_model_path(), "--out", out, "--words", "6",
             "--prototypes", "3", "--seed", "4")  # fmt: skip
    assert r.returncode == 0, r.stderr
    # then the new file has 3 more "not a glyph" samples and says how it was made
    base, ext = load_model(), load_model(out)
    assert len(ext.classifier.labels) == len(base.classifier.labels) + 3
    assert set(ext.classifier.labels[-3:].tolist()) == {ext.classes.index(NOT_GLYPH)}
    # (after the steps the shipped file went through, which it keeps)
    assert ext.provenance["then"] == (
        f"{base.provenance['then']} && digitcam extend-model --seed 4 --words 6 --prototypes 3"
    )
    assert ext.provenance["command"] == base.provenance["command"]


def test_extend_model_adds_the_digits_it_misreads_to_their_classes(tmp_path: Path) -> None:
    from digitcam.build import add_hard_digits, hard_digit_glyphs
    from digitcam.classify import default_model_path, load_model
    from digitcam.features import glyph_features

    # given the shipped KNN model, extended by the digits it misreads in 40 number scenes
    out = tmp_path / "ext.npz"
    r = _run("extend-model", default_model_path(), "--out", out, "--words", "0",
             "--hard", "40", "--seed", "3")  # fmt: skip
    assert r.returncode == 0, r.stderr
    base, ext = load_model(), load_model(out)
    n_old = len(base.classifier.labels)
    added = ext.classifier.labels[n_old:]
    # then digits were added (no "not a glyph"), the old samples kept as they were
    assert len(added) > 0
    assert NOT_GLYPH not in {ext.classes[i] for i in added.tolist()}
    assert np.array_equal(ext.classifier.samples[:n_old], base.classifier.samples)
    assert ext.provenance["then"].endswith("digitcam extend-model --seed 3 --words 0 --hard 40")
    # and each added digit was one the old model misread or refused, which the new one
    # reads right now (it is its own nearest sample)
    from digitcam import synth

    train_faces, _ = synth.split_faces(synth.printed_faces())
    seeds = range(3 * 1_000_003 + 9_000_000, 3 * 1_000_003 + 9_000_040)
    hard = hard_digit_glyphs(seeds, faces=train_faces, model=base)
    assert len(hard.labels) == len(added)
    x = glyph_features(hard.images, base.spec)
    old, new = base.predict(x), ext.predict(x)
    assert all(
        c != lab or conf < base.reject_threshold
        for c, conf, lab in zip(old.chars, old.confidences, hard.labels, strict=True)
    )
    right = np.mean([c == lab for c, lab in zip(new.chars, hard.labels, strict=True)])
    assert right >= 0.9, right
    # the library call gives the same model as the command
    again = add_hard_digits(base, seed=3, n_scenes=40)
    assert np.array_equal(again.classifier.samples, ext.classifier.samples)


def test_extend_model_with_nothing_to_add_is_refused(tmp_path: Path) -> None:
    from digitcam.classify import default_model_path

    r = _run("extend-model", default_model_path(), "--out", tmp_path / "x.npz",
             "--words", "0")  # fmt: skip
    assert r.returncode != 0
    assert "nothing to add" in r.stderr
    assert not (tmp_path / "x.npz").exists()


def test_extend_model_of_a_file_that_is_no_model_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_text("not a model")
    _one_line_error(_run("extend-model", bad, "--words", "2"), "bad.npz")
