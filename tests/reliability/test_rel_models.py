"""Models and datasets of another spec or version, and saves that are interrupted.

A model or dataset the program cannot use is refused in one line before any work starts
(or, for a model reloaded during a run, skipped with a notice while the old one keeps
reading); a save cut short by Ctrl-C, a kill or a full disk leaves the previous file intact.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from reliability_helpers import (
    assert_no_traceback,
    assert_one_line_error,
    env,
    fill_leaving,
    finish,
    log_line_count,
    log_records,
    popen_digitcam,
    run_digitcam,
    small_filesystem,
    wait_for,
    write_video,
)

from digitcam.classify import load_model, save_model, train_model
from digitcam.dataset import Dataset, load_dataset, save_dataset
from digitcam.errors import DatasetError, ModelError
from digitcam.features import FeatureSpec


def _rewrite(path: Path, *, meta: dict | None = None, **arrays: np.ndarray) -> None:
    with np.load(path, allow_pickle=False) as z:
        data = {k: z[k] for k in z.files}
    m = json.loads(str(data["meta"]))
    m.update(meta or {})
    data["meta"] = np.array(json.dumps(m))
    data.update(arrays)
    with open(path, "wb") as fh:
        np.savez(fh, **data)


def _spec(path: Path) -> dict:
    with np.load(path, allow_pickle=False) as z:
        return json.loads(str(z["meta"]))["feature_spec"]


@pytest.fixture
def image(tmp_path: Path) -> Path:
    import cv2
    from reliability_helpers import counter_frame

    p = tmp_path / "meter.png"
    cv2.imwrite(str(p), counter_frame(427))
    return p


def _vector_model(path: Path) -> Path:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 16)).astype(np.float32)
    labels = [str(i % 10) for i in range(60)]
    return save_model(train_model(x, labels, spec=FeatureSpec(kind="vector", dim=16)), path)


MODEL_DAMAGE = {
    # a model trained on UCI-letter-like vectors: loads, but no image gives such features
    "vector-features": ("cannot read images", None),
    # written by a newer digitcam with a feature kind this one does not know
    "unknown-feature-kind": ("feature kind", {"kind": "zernike"}),
    # a newer feature spec with a field this one does not know
    "unknown-spec-field": ("damaged", {"wavelets": 3}),
    "newer-format-version": ("version 7", None),
    "pickled-object-array": ("not a readable digitcam model|damaged", None),
    "samples-of-another-width": ("columns|damaged", None),
}


@pytest.mark.parametrize("damage", list(MODEL_DAMAGE))
@pytest.mark.parametrize("command", ["read", "run"])
def test_models_of_another_spec_or_version_are_refused_in_one_line(
    tmp_path: Path, tiny_model_path: Path, image: Path, damage: str, command: str
) -> None:
    # given a model file of another spec or version
    path = tmp_path / "other.npz"
    match, change = MODEL_DAMAGE[damage]
    if damage == "vector-features":
        _vector_model(path)
    else:
        path.write_bytes(tiny_model_path.read_bytes())
        if damage == "newer-format-version":
            _rewrite(path, meta={"version": 7})
        elif damage == "pickled-object-array":
            with np.load(path, allow_pickle=False) as z:
                data = {k: z[k] for k in z.files}
            data["samples"] = np.array([{"evil": 1}], dtype=object)
            np.savez(path, **data)
        elif damage == "samples-of-another-width":
            _rewrite(path, samples=np.zeros((50, 7), np.float16))
        else:
            _rewrite(path, meta={"feature_spec": {**_spec(path), **change}})
    # when `read` or `run` is given it
    args = ["read", image] if command == "read" else ["run", image, "--no-display", "--fast"]
    proc = run_digitcam(*args, "--model", path)
    # then exit 2 with one line naming the file and the problem, before anything was read
    line = assert_one_line_error(proc, "")
    import re

    assert re.search(match, line), line
    assert "other.npz" in line
    assert proc.stdout.strip() == ""


def test_a_model_replaced_mid_run_by_a_bad_file_keeps_the_old_one_reading(
    tmp_path: Path, tiny_model_path: Path
) -> None:
    # given a run that reloads its model file when it changes
    model = tmp_path / "live.npz"
    model.write_bytes(tiny_model_path.read_bytes())
    video = write_video(tmp_path / "v.mp4", 300)
    log = tmp_path / "log.jsonl"
    proc = popen_digitcam("run", video, "--no-display", "--model", model, "--log", log)
    try:
        assert wait_for(lambda: log_line_count(log) >= 10, 30)
        # when the file is overwritten in place by half a model (a copy cut short), then by
        # a model that cannot read images
        model.write_bytes(tiny_model_path.read_bytes()[:5000])
        n = log_line_count(log)
        assert wait_for(lambda: log_line_count(log) >= n + 45, 20)
        _vector_model(model)
        n = log_line_count(log)
        assert wait_for(lambda: log_line_count(log) >= n + 45, 20)
        proc.send_signal(signal.SIGINT)
        _, stderr, _ = finish(proc, 10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
    # then each bad file got a notice, reading went on with the old model, and the run ended
    # normally with a valid log
    assert_no_traceback(stderr)
    assert proc.returncode == 0, stderr
    notices = [ln for ln in stderr.splitlines() if "kept the old model" in ln]
    assert len(notices) >= 2, stderr
    records = log_records(log)
    late = records[-30:]
    assert sum(r["text"] != "" for r in late) >= 0.8 * len(late)


# -- interrupted and failed saves -------------------------------------------------------------


def _dataset(n: int, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (n, 20, 20), dtype=np.uint8)
    labels = tuple(str(int(v)) for v in rng.integers(0, 10, n))
    return Dataset(labels, tuple(f"s{i}" for i in range(n)), images=images)


def _same(a: Dataset, b: Dataset) -> bool:
    return a.labels == b.labels and np.array_equal(a.images, b.images)


def test_ctrl_c_during_a_dataset_save_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:
    # given a saved dataset, and a save of a new one that is interrupted half-way
    path = tmp_path / "ds.npz"
    old = _dataset(50)
    save_dataset(old, path)
    real = np.savez_compressed

    def interrupted(fh, **arrays):
        fh.write(b"PK\x03\x04 half an archive")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez_compressed", interrupted)
    # when it is saved over the old one / then the interrupt goes through
    with pytest.raises(KeyboardInterrupt):
        save_dataset(_dataset(80, seed=1), path)
    monkeypatch.setattr(np, "savez_compressed", real)
    # and the old file is intact, and no temporary file is left
    assert _same(load_dataset(path), old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ds.npz"]


def test_ctrl_c_during_a_model_save_keeps_the_old_file(
    tmp_path: Path, tiny_model_path: Path, monkeypatch
) -> None:
    # given a model file, and a save over it interrupted half-way
    path = tmp_path / "m.npz"
    path.write_bytes(tiny_model_path.read_bytes())
    model = load_model(path)

    def interrupted(fh, **arrays):
        fh.write(b"PK\x03\x04 half")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez_compressed", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_model(model, path)
    monkeypatch.undo()
    # then the old model still loads, and no temporary file is left
    assert load_model(path).classes == model.classes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]


SAVER = """
import sys, numpy as np
from digitcam.dataset import Dataset, save_dataset
rng = np.random.default_rng(1)
n = 400_000
ds = Dataset(tuple("7" for _ in range(n)), tuple(f"s{i}" for i in range(n)),
             images=rng.integers(0, 256, (n, 20, 20), dtype=np.uint8))
print("saving", flush=True)
save_dataset(ds, sys.argv[1])
print("saved", flush=True)
"""


def test_a_dataset_save_killed_mid_write_leaves_the_old_file_loadable(tmp_path: Path) -> None:
    # given a saved dataset, and another process writing a big one over it
    path = tmp_path / "ds.npz"
    old = _dataset(50)
    save_dataset(old, path)
    proc = subprocess.Popen([sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE,
                            text=True, env=env())  # fmt: skip
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "saving"
        time.sleep(0.3)
        # when that process is killed (SIGKILL: no cleanup at all) mid-write
        proc.kill()
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    # then the old file still loads, unchanged (a stray temporary file may remain; it is
    # never mistaken for the dataset)
    assert _same(load_dataset(path), old)
    strays = [p.name for p in tmp_path.iterdir() if p.name != "ds.npz"]
    assert all(s.startswith("ds.npz.") and s.endswith(".tmp") for s in strays), strays


def test_saves_on_a_full_disk_fail_in_one_line_and_keep_the_old_files(
    tmp_path: Path, tiny_model_path: Path
) -> None:
    # given a small filesystem holding a dataset and a model, then filled up
    with small_filesystem(tmp_path / "small", 2048) as small:
        ds_path, model_path = small / "ds.npz", small / "m.npz"
        old = _dataset(20)
        save_dataset(old, ds_path)
        model_path.write_bytes(tiny_model_path.read_bytes())
        fill_leaving(small, 8 * 1024)
        # when bigger ones are saved over them
        with pytest.raises(DatasetError, match="disk is full") as ds_err:
            save_dataset(_dataset(20_000, seed=3), ds_path)
        big = train_model(
            np.random.default_rng(0).normal(size=(40_000, 16)).astype(np.float32),
            [str(i % 10) for i in range(40_000)],
            spec=FeatureSpec(kind="vector", dim=16),
        )
        with pytest.raises(ModelError, match="disk is full") as model_err:
            save_model(big, model_path)
        # then one-line errors, the old files load unchanged, and no temporary file is left
        assert "\n" not in str(ds_err.value)
        assert "\n" not in str(model_err.value)
        assert _same(load_dataset(ds_path), old)
        assert load_model(model_path).classes == load_model(tiny_model_path).classes
        assert sorted(p.name for p in small.iterdir()) == ["ds.npz", "filler.bin", "m.npz"]


@pytest.mark.parametrize(
    ("damage", "match"),
    [("newer-version", "version 9"), ("truncated", "not a readable digitcam dataset"),
     ("a-model-file", "not a digitcam dataset")],
)  # fmt: skip
def test_train_on_a_dataset_of_another_version_or_damaged_is_one_line(
    tmp_path: Path, tiny_model_path: Path, damage: str, match: str
) -> None:
    # given a dataset file of another version, cut short, or not a dataset at all
    path = tmp_path / "ds.npz"
    save_dataset(_dataset(40), path)
    if damage == "newer-version":
        _rewrite(path, meta={"version": 9})
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:2000])
    else:
        path.write_bytes(tiny_model_path.read_bytes())
    out = tmp_path / "m.npz"
    # when trained on / then one line, exit 2, no model written
    proc = run_digitcam("train", path, "--out", out, timeout=120)
    assert_one_line_error(proc, match)
    assert not out.exists()
    assert_no_traceback(proc.stderr)
