"""Training, cross-validation, search, evaluation and model reload, on subsets of public data.

Each accuracy test trains on one part of the data and measures on another part it never saw.
Full-size figures are in benchmarks/public_data.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from digitcam.classify import save_model
from digitcam.dataset import Dataset, import_dataset
from digitcam.errors import DatasetError, ModelError
from digitcam.features import FeatureSpec
from digitcam.train import (
    FEATURE_PRESETS,
    ModelWatcher,
    Params,
    confusion_image,
    cross_validate,
    evaluate,
    fit,
    parse_features,
    stratified_folds,
    train_dataset,
)
from digitcam.types import NOT_GLYPH

DATA = Path("/work/shared/data")
for cand in (Path(__file__).resolve().parents[2] / "shared" / "data", DATA):
    if cand.is_dir():
        DATA = cand
        break
DIGITS = DATA / "digits.png"
LETTERS = DATA / "letter-recognition.data"
needs_data = pytest.mark.skipif(not DIGITS.is_file(), reason=f"shared data not found at {DATA}")


@pytest.fixture(scope="module")
def digits() -> Dataset:
    return import_dataset(DIGITS, "opencv-digits")


def _per_class(ds: Dataset, lo: int, hi: int) -> Dataset:
    lab = np.asarray(ds.labels)
    idx = np.arange(len(ds))
    return ds.subset(np.concatenate([idx[lab == c][lo:hi] for c in ds.classes]))


def test_parse_features_presets_and_explicit_specs() -> None:
    assert parse_features("mhog") == FEATURE_PRESETS["mhog"]
    assert parse_features("vector") is None
    assert parse_features("meter2") == FeatureSpec(kind="lhog", bins=8)
    assert parse_features("lhog:bins=6") == FeatureSpec(kind="lhog", bins=6)
    assert parse_features("hog:cells=5,bins=12,deskew=1") == FeatureSpec(
        kind="hog", cells=5, bins=12, deskew=True
    )
    for bad in ("hog:cells=3", "hog:colour=2", "nope"):
        with pytest.raises(DatasetError):
            parse_features(bad)


def test_stratified_folds_spread_every_class_and_are_seeded() -> None:
    labels = ["a"] * 10 + ["b"] * 5
    f = stratified_folds(labels, 5, seed=3)
    assert all(sorted(f[:10]) == sorted(np.repeat(np.arange(5), 2)) for _ in [0])
    assert len(set(f[10:])) == 5
    np.testing.assert_array_equal(f, stratified_folds(labels, 5, seed=3))


def test_a_class_with_one_sample_under_cv_is_a_one_line_error() -> None:
    with pytest.raises(DatasetError, match="class 'b' has a single sample") as exc:
        stratified_folds(["a", "a", "a", "b"], 2)
    assert "\n" not in str(exc.value)


def test_training_on_an_empty_dataset_is_an_error() -> None:
    empty = Dataset((), (), images=np.zeros((0, 20, 20), np.uint8))
    with pytest.raises(DatasetError, match="empty"):
        train_dataset(empty)


@needs_data
@pytest.mark.parametrize(("classifier", "floor"), [("knn", 0.93), ("svm", 0.95)])
def test_digits_subset_held_out_accuracy(digits: Dataset, classifier: str, floor: float) -> None:
    # given 60 handwritten digits per class to train on and 40 others per class to test on
    train, test = _per_class(digits, 0, 60), _per_class(digits, 400, 440)
    # when trained with the default (multi-scale HOG) features
    _, report = train_dataset(train, classifier=classifier, test=test, cv=3)
    # then held-out accuracy is well above raw-pixel KNN (full-size figures: benchmark)
    assert report.test_accuracy is not None
    assert report.test_accuracy >= floor
    assert report.cv_accuracy is not None
    assert report.cv_accuracy >= floor - 0.02
    assert report.features == "mhog"


@needs_data
def test_letters_subset_search_learns_weights_and_beats_plain_scaling() -> None:
    train = import_dataset(LETTERS, "uci-letters", rows=slice(0, 3000))
    test = import_dataset(LETTERS, "uci-letters", rows=slice(10000, 12000))
    _, plain = train_dataset(train, classifier="knn", test=test, params=Params(k=1))
    _, searched = train_dataset(train, classifier="knn", test=test, search=True)
    assert "weights" in searched.params
    assert len(searched.params["weights"]) == 16
    assert searched.test_accuracy is not None
    assert plain.test_accuracy is not None
    assert searched.test_accuracy >= 0.875
    assert searched.test_accuracy > plain.test_accuracy


@needs_data
def test_cross_validation_is_seeded(digits: Dataset) -> None:
    ds = _per_class(digits, 0, 20)
    x = np.asarray(ds.images, np.float32).reshape(len(ds), -1) / 255
    spec = FeatureSpec(kind="vector", dim=400)
    a = cross_validate(x, ds.labels, spec=spec, classifier="knn", folds=4, seed=1)
    b = cross_validate(x, ds.labels, spec=spec, classifier="knn", folds=4, seed=1)
    assert a == b


def _toy() -> tuple[np.ndarray, list[str]]:
    rng = np.random.default_rng(0)
    centres = {"0": (0, 0), "1": (4, 0), NOT_GLYPH: (2, 4)}
    x, y = [], []
    for c, (cx, cy) in centres.items():
        x.append(rng.normal((cx, cy), 0.4, (30, 2)))
        y += [c] * 30
    return np.vstack(x).astype(np.float32), y


def test_evaluate_counts_confusions_and_reject_rates() -> None:
    x, y = _toy()
    spec = FeatureSpec(kind="vector", dim=2)
    model = fit(x, y, spec=spec, classifier="knn", params=Params(k=3, reject_threshold=0.5))
    ev = evaluate(model, x, y)
    assert ev.confusion.sum() == len(y)
    assert ev.accuracy > 0.95
    assert ev.reject_rate_reject is not None
    assert ev.reject_rate_reject > 0.95
    assert ev.reject_rate_good < 0.05
    assert set(ev.recall) == {"0", "1", NOT_GLYPH}
    img = confusion_image(ev)
    assert img.ndim == 3
    assert img.dtype == np.uint8


def test_model_watcher_reloads_only_when_the_file_changes(tmp_path: Path) -> None:
    x, y = _toy()
    spec = FeatureSpec(kind="vector", dim=2)
    path = save_model(fit(x, y, spec=spec, classifier="knn"), tmp_path / "m.npz")
    w = ModelWatcher(path)
    assert w.poll() is None
    save_model(fit(x, y, spec=spec, classifier="knn", params=Params(k=1)), path)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    m = w.poll()
    assert m is not None
    assert m.params["k"] == 1
    assert w.poll() is None


def test_model_watcher_keeps_going_when_the_new_file_is_broken(tmp_path: Path) -> None:
    calls = []

    def loader(p: Path):
        calls.append(p)
        raise ModelError("truncated")

    path = tmp_path / "m.npz"
    path.write_bytes(b"x")
    w = ModelWatcher(path, loader=loader)
    path.write_bytes(b"xy")
    assert w.poll() is None
    assert w.last_error == "truncated"
    assert len(calls) == 1
