"""Classifiers and the model file: training, scores, save/load, bad files."""

import json
import zipfile

import numpy as np
import pytest

from digitcam.classify import (
    MODEL_VERSION,
    default_model_path,
    load_model,
    save_model,
    train_model,
)
from digitcam.errors import ModelError
from digitcam.features import FeatureSpec
from digitcam.types import NOT_GLYPH

SPEC = FeatureSpec("vector", dim=4)


def _blobs(seed=0, n=60):
    """Three well separated Gaussian clusters in 4-D with labels a/b/c."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0, 0, 0], [5, 5, 0, 0], [0, 5, 5, 5]], np.float32)
    x = np.concatenate([c + rng.normal(0, 0.5, (n, 4)) for c in centres]).astype(np.float32)
    y = [lab for lab in "abc" for _ in range(n)]
    return x, y


@pytest.mark.parametrize("kind", ["knn", "svm"])
def test_classifier_learns_separable_clusters(kind):
    x, y = _blobs(0)
    xt, yt = _blobs(1)
    model = train_model(x, y, spec=SPEC, classifier=kind)
    pred = model.predict(xt)
    acc = np.mean([p == t for p, t in zip(pred.chars, yt, strict=False)])
    assert acc > 0.97
    assert pred.confidences.min() >= 0
    assert pred.confidences.max() <= 1.0 + 1e-6
    assert len(pred.top[0]) == 3


@pytest.mark.parametrize("kind", ["knn", "svm"])
def test_ambiguous_points_get_lower_confidence(kind):
    x, y = _blobs(0)
    model = train_model(x, y, spec=SPEC, classifier=kind)
    clear = model.predict(np.array([[0, 0, 0, 0]], np.float32)).confidences[0]
    between = model.predict(np.array([[2.5, 2.5, 0, 0]], np.float32)).confidences[0]
    assert clear > between


@pytest.mark.parametrize("kind", ["knn", "svm"])
def test_save_load_round_trip_predicts_the_same(tmp_path, kind):
    x, y = _blobs(0)
    model = train_model(x, y, spec=SPEC, classifier=kind, provenance={"made": "test"})
    path = save_model(model, tmp_path / "m.npz")
    back = load_model(path)
    xt, _ = _blobs(2)
    assert back.predict(xt).chars == model.predict(xt).chars
    assert back.provenance == {"made": "test"}
    assert back.spec == SPEC
    assert back.kind == kind


def test_model_file_is_not_a_pickle(tmp_path):
    x, y = _blobs(0)
    path = save_model(train_model(x, y, spec=SPEC), tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
    assert meta["format"] == "digitcam-model"
    assert meta["version"] == MODEL_VERSION


def _rewrite_meta(path, **changes):
    with np.load(path, allow_pickle=False) as z:
        data = {k: z[k] for k in z.files}
    meta = json.loads(str(data["meta"]))
    meta.update(changes)
    data["meta"] = np.array(json.dumps(meta))
    np.savez(path, **data)


@pytest.mark.parametrize(
    ("damage", "match"),
    [
        ("text", "not a readable digitcam model"),
        ("empty", "not a readable digitcam model"),
        ("truncate", "not a readable digitcam model|damaged"),
        ("other_npz", "not a digitcam model"),
        ("newer", "version 99"),
        ("wrong_format", "not a digitcam model"),
        ("missing", "not found"),
    ],
)
def test_bad_model_files_give_one_line_errors(tmp_path, damage, match):
    x, y = _blobs(0)
    path = save_model(train_model(x, y, spec=SPEC), tmp_path / "m.npz")
    if damage == "text":
        path.write_text("hello, I am not a model\n")
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "truncate":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "other_npz":
        np.savez(path, a=np.zeros(3))
    elif damage == "newer":
        _rewrite_meta(path, version=99)
    elif damage == "wrong_format":
        _rewrite_meta(path, format="something-else")
    elif damage == "missing":
        path.unlink()
    with pytest.raises(ModelError, match=match) as info:
        load_model(path)
    assert "\n" not in str(info.value)


def test_spec_length_mismatch_is_reported(tmp_path):
    x, y = _blobs(0)
    path = save_model(train_model(x, y, spec=SPEC), tmp_path / "m.npz")
    _rewrite_meta(
        path,
        feature_spec={"kind": "hog", "size": 20, "cells": 4, "bins": 8, "deskew": False, "dim": 0},
    )
    with pytest.raises(ModelError, match="does not match its spec"):
        load_model(path)


def test_predict_refuses_features_of_another_length():
    x, y = _blobs(0)
    model = train_model(x, y, spec=SPEC)
    with pytest.raises(ModelError, match="expects N x 4"):
        model.predict(np.zeros((2, 7), np.float32))


def test_unknown_classifier_and_empty_data_are_refused():
    x, y = _blobs(0)
    with pytest.raises(ModelError, match="classifier"):
        train_model(x, y, spec=SPEC, classifier="tree")
    with pytest.raises(ModelError, match="non-empty"):
        train_model(np.zeros((0, 4), np.float32), [], spec=SPEC)


def test_shipped_model_exists_and_loads():
    path = default_model_path()
    assert path.is_file(), f"shipped model missing at {path}"
    assert path.stat().st_size <= 5 * 1024 * 1024
    model = load_model()
    assert set("0123456789") <= set(model.classes)
    assert model.provenance.get("command"), "the model records how it was made"
    with zipfile.ZipFile(path) as z:
        assert all(n.endswith(".npy") for n in z.namelist())


@pytest.mark.parametrize("kind", ["knn", "svm"])
def test_pca_projection_round_trips(tmp_path, kind):
    rng = np.random.default_rng(5)
    x, y = _blobs(0)
    x = np.hstack([x, rng.normal(0, 0.01, (len(x), 6)).astype(np.float32)])  # 10-D
    spec = FeatureSpec("vector", dim=10)
    model = train_model(x, y, spec=spec, classifier=kind, pca=3)
    assert model.projection is not None
    assert model.projection.shape == (10, 3)
    xt = np.hstack([_blobs(1)[0], np.zeros((180, 6), np.float32)])
    back = load_model(save_model(model, tmp_path / "p.npz"))
    assert back.predict(xt).chars == model.predict(xt).chars
    acc = np.mean([p == t for p, t in zip(back.predict(xt).chars, _blobs(1)[1], strict=True)])
    assert acc > 0.97


def test_missing_cv2_ml_is_one_line_with_the_fix(monkeypatch):
    # Given an OpenCV without the ml module (OpenCV 5's main wheel)
    import cv2

    from digitcam.classify import require_ml
    from digitcam.errors import OpenCVMissingML

    monkeypatch.delattr(cv2, "ml")
    # Then using a model says so, with the pip command that fixes it
    with pytest.raises(OpenCVMissingML, match=r"pip install 'opencv-python>=4\.8,<5'") as info:
        require_ml()
    assert "\n" not in str(info.value)
    x, y = _blobs(0)
    with pytest.raises(OpenCVMissingML):
        train_model(x, y, spec=SPEC)


def test_the_shipped_cell_model_loads_and_a_glyph_model_is_no_cell_model(tmp_path):
    from digitcam.classify import CELL_FEATURE_KINDS, load_cell_model

    # the shipped cell model reads whole cells, digits or "not a glyph"
    cells = load_cell_model()
    assert cells.spec.kind in CELL_FEATURE_KINDS
    assert NOT_GLYPH in cells.classes
    assert cells.path is not None
    assert cells.path.endswith("cells-svm.npz")
    # a glyph model given as a cell model is refused, naming what it is
    with pytest.raises(ModelError, match="reads glyphs"):
        load_cell_model(default_model_path())


def test_extend_knn_adds_centres_to_a_class_and_keeps_the_rest(tmp_path):
    from digitcam.classify import extend_knn

    # given a KNN model of clusters a/b/c, and new samples of "a" far from its cluster
    x, y = _blobs(0)
    model = train_model(x, y, spec=SPEC, classifier="knn", k=3, provenance={"made": "test"})
    far = np.array([10, -10, 10, -10], np.float32)
    rng = np.random.default_rng(3)
    extra = (far + rng.normal(0, 0.3, (40, 4))).astype(np.float32)
    # when 5 centres of them are added to "a"
    ext = extend_knn(model, extra, "a", prototypes=5, provenance={"made": "test", "then": "x"})
    # then the old samples are all still there, plus 5 of "a"
    old, new = model.classifier, ext.classifier
    assert len(new.samples) == len(old.samples) + 5
    assert np.array_equal(new.samples[: len(old.samples)], old.samples)
    assert (new.labels[len(old.labels) :] == model.classes.index("a")).all()
    # and a point there now reads "a", the old clusters read as before, also after a save
    back = load_model(save_model(ext, tmp_path / "ext.npz"))
    assert back.predict(far[None]).chars[0] == "a"
    xt, _yt = _blobs(1)
    assert list(back.predict(xt).chars) == list(model.predict(xt).chars)
    assert back.provenance["then"] == "x"


def test_extend_knn_refuses_an_svm_and_an_unknown_class():
    from digitcam.classify import extend_knn

    x, y = _blobs(0)
    svm = train_model(x, y, spec=SPEC, classifier="svm")
    with pytest.raises(ModelError, match="KNN"):
        extend_knn(svm, x[:5], "a", prototypes=2)
    knn = train_model(x, y, spec=SPEC, classifier="knn")
    with pytest.raises(ModelError, match="not one of the classes"):
        extend_knn(knn, x[:5], "z", prototypes=2)
