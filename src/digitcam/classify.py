"""Classifiers (KNN and SVM on `cv2.ml`) behind one interface, and the model file format.

This is the only module that touches `cv2.ml`.

Model file (`.npz`, loaded with `allow_pickle=False`, so never a pickle):
    meta      0-d unicode array holding JSON: format, version, classifier, feature spec,
              classes, params, reject threshold, provenance (how it was made).
    samples   float32 N x D training vectors (KNN) — stored as float16 to stay small.
    labels    int32 N class indices.
    mean/std  float32 D feature scaling (identity for image features).
    svm_i     the i-th one-vs-rest SVM as OpenCV's YAML text (SVM only).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np
from numpy.typing import NDArray

from digitcam.errors import ModelError, OpenCVMissingML
from digitcam.features import FeatureSpec

MODEL_FORMAT = "digitcam-model"
MODEL_VERSION = 1
DEFAULT_MODEL_NAME = "digits-knn.npz"
#: The shipped cell model: reads a crop of one display digit whole (`pipeline.classify_cell`).
CELL_MODEL_NAME = "cells-svm.npz"
#: Features of whole-cell samples (`dataset.normalize_cell`); a cell model has one of them.
CELL_FEATURE_KINDS = ("lhog", "uhog")
CLASSIFIERS = ("knn", "svm")


def require_ml() -> Any:
    """Return `cv2.ml`, or raise a one-line error saying how to get it."""
    ml = getattr(cv2, "ml", None)
    if ml is None:
        raise OpenCVMissingML(
            f"this OpenCV ({cv2.__version__}) has no cv2.ml (KNearest/SVM); "
            "install the 4.x wheel: pip install 'opencv-python>=4.8,<5'"
        )
    return ml


class Classifier(Protocol):
    """What the reader needs from a classifier."""

    def scores(self, x: NDArray[np.float32]) -> NDArray[np.float32]:
        """Per-class scores (rows sum to 1) for N x D features -> N x C."""
        ...


@dataclass
class KNNClassifier:
    """k-nearest neighbours (`cv2.ml.KNearest`), distance-weighted votes as scores."""

    samples: NDArray[np.float32]
    labels: NDArray[np.int32]
    n_classes: int
    k: int = 5
    novelty_scale: float = 0.0
    _knn: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        ml = require_ml()
        if len(self.samples) == 0:
            raise ModelError("a KNN model needs at least one training sample")
        self.k = int(max(1, min(self.k, len(self.samples))))
        self._knn = ml.KNearest_create()
        self._knn.setDefaultK(self.k)
        self._knn.train(
            np.ascontiguousarray(self.samples, np.float32),
            ml.ROW_SAMPLE,
            self.labels.astype(np.float32),
        )

    def scores(self, x: NDArray[np.float32]) -> NDArray[np.float32]:
        n = len(x)
        out = np.zeros((n, self.n_classes), np.float32)
        if n == 0:
            return out
        _, _, neigh, dist = self._knn.findNearest(np.ascontiguousarray(x, np.float32), self.k)
        neigh = neigh.astype(np.int64)
        # Votes weighted by 1/distance (squared L2 from OpenCV), so one very close exemplar
        # outweighs several far ones; the scale keeps ties between equal distances.
        d = np.sqrt(np.maximum(dist, 0))
        w = 1.0 / (d + 1e-3)
        np.add.at(out, (np.repeat(np.arange(n), self.k), neigh.ravel()), w.ravel())
        out /= out.sum(axis=1, keepdims=True)
        if self.novelty_scale > 0:
            # Votes say which class is nearest, not whether anything is near: a blob far
            # from every training glyph (noise, texture) gets its confidence scaled down.
            far = np.maximum(d[:, 0] / self.novelty_scale - 1.0, 0.0)
            out *= np.exp(-2.0 * far)[:, None]
        return out

    @staticmethod
    def novelty_scale_of(samples: NDArray[np.float32], *, seed: int = 0) -> float:
        """A typical "far" nearest-neighbour distance inside the training set (99th pct).

        Measured on up to 2000 samples against all others (leave-one-out).
        """
        ml = require_ml()
        x = np.ascontiguousarray(samples, np.float32)
        if len(x) < 3:
            return 0.0
        rng = np.random.default_rng(seed)
        q = x[rng.choice(len(x), min(2000, len(x)), replace=False)]
        knn = ml.KNearest_create()
        knn.train(x, ml.ROW_SAMPLE, np.zeros(len(x), np.float32))
        _, _, _, dist = knn.findNearest(q, 2)
        # The first neighbour is the sample itself (distance 0); duplicates also give 0.
        nn = np.sqrt(np.maximum(dist[:, 1], 0))
        return float(np.percentile(nn, 99))


@dataclass
class SVMClassifier:
    """One-vs-rest RBF SVMs (`cv2.ml.SVM`); margins turned into scores by a softmax.

    One-vs-rest rather than OpenCV's built-in one-vs-one, because only two-class SVMs
    expose their decision value, and the decision values are what gives a confidence.
    """

    machines: list[Any]
    n_classes: int
    temperature: float = 0.25

    @classmethod
    def train(
        cls,
        x: NDArray[np.float32],
        y: NDArray[np.int32],
        n_classes: int,
        *,
        c: float = 10.0,
        gamma: float = 0.5,
    ) -> SVMClassifier:
        ml = require_ml()
        machines = []
        x = np.ascontiguousarray(x, np.float32)
        for k in range(n_classes):
            svm = ml.SVM_create()
            svm.setType(ml.SVM_C_SVC)
            svm.setKernel(ml.SVM_RBF)
            svm.setC(float(c))
            svm.setGamma(float(gamma))
            svm.setTermCriteria((cv2.TERM_CRITERIA_MAX_ITER | cv2.TERM_CRITERIA_EPS, 2000, 1e-4))
            target = np.where(y == k, 1, -1).astype(np.int32)
            if (target == 1).sum() == 0:
                machines.append(None)
                continue
            svm.train(x, ml.ROW_SAMPLE, target)
            machines.append(svm)
        return cls(machines, n_classes)

    def margins(self, x: NDArray[np.float32]) -> NDArray[np.float32]:
        """N x C signed distances; positive means "this class"."""
        ml = require_ml()
        x = np.ascontiguousarray(x, np.float32)
        out = np.full((len(x), self.n_classes), -10.0, np.float32)
        if len(x) == 0:
            return out
        for k, svm in enumerate(self.machines):
            if svm is None:
                continue
            _, raw = svm.predict(x, flags=ml.STAT_MODEL_RAW_OUTPUT)
            # OpenCV returns the decision value with the sign of the *first* training label's
            # side; recover the orientation from the predicted class once per machine.
            out[:, k] = raw.ravel() * self._sign(svm)
        return out

    @staticmethod
    def _sign(svm: Any) -> float:
        sv = svm.getSupportVectors()
        probe = sv[:1] if len(sv) else np.zeros((1, svm.getVarCount()), np.float32)
        _, lab = svm.predict(probe)
        _, raw = svm.predict(probe, flags=require_ml().STAT_MODEL_RAW_OUTPUT)
        # Positive class label is 1: make "+1 predicted" correspond to a positive margin.
        if (lab.ravel()[0] > 0) == (raw.ravel()[0] > 0):
            return 1.0
        return -1.0

    def scores(self, x: NDArray[np.float32]) -> NDArray[np.float32]:
        m = self.margins(x)
        z = (m - m.max(axis=1, keepdims=True)) / self.temperature
        e = np.exp(z)
        return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)

    def to_yaml(self) -> list[str]:
        texts = []
        for svm in self.machines:
            if svm is None:
                texts.append("")
                continue
            fs = cv2.FileStorage(".yml", cv2.FILE_STORAGE_WRITE | cv2.FILE_STORAGE_MEMORY)
            svm.write(fs)
            texts.append(fs.releaseAndGetString())
        return texts

    @classmethod
    def from_yaml(cls, texts: Sequence[str], n_classes: int) -> SVMClassifier:
        ml = require_ml()
        machines: list[Any] = []
        for t in texts:
            if not t:
                machines.append(None)
                continue
            fs = cv2.FileStorage(t, cv2.FILE_STORAGE_READ | cv2.FILE_STORAGE_MEMORY)
            svm = ml.SVM_create()
            svm.read(fs.root())
            fs.release()
            if not svm.isTrained():
                raise ModelError("an SVM in the model file did not load (corrupt text)")
            machines.append(svm)
        if len(machines) != n_classes:
            raise ModelError(f"model has {len(machines)} SVMs for {n_classes} classes")
        return cls(machines, n_classes)


@dataclass(frozen=True)
class Prediction:
    """Classifier output for a batch of N glyphs."""

    chars: tuple[str, ...]
    confidences: NDArray[np.float32]  # N
    top: tuple[tuple[tuple[str, float], ...], ...]  # N x up to 3 (char, score)


@dataclass
class Model:
    """A trained classifier with its feature spec, classes, scaling and provenance."""

    classifier: KNNClassifier | SVMClassifier
    spec: FeatureSpec
    classes: tuple[str, ...]
    mean: NDArray[np.float32]
    std: NDArray[np.float32]
    reject_threshold: float = 0.5
    params: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)
    path: str | None = None
    #: D x P projection (PCA) applied after scaling, or None.
    projection: NDArray[np.float32] | None = None

    @property
    def kind(self) -> str:
        return "svm" if isinstance(self.classifier, SVMClassifier) else "knn"

    def scale(self, x: NDArray[np.float32]) -> NDArray[np.float32]:
        x = np.asarray(x, np.float32)
        if x.ndim != 2 or (len(x) and x.shape[1] != len(self.mean)):
            raise ModelError(
                f"model expects N x {len(self.mean)} features ({self.spec.kind}), "
                f"got shape {x.shape}"
            )
        z = ((x - self.mean) / self.std).astype(np.float32)
        if self.projection is not None:
            z = _project(z, self.projection)
        return np.ascontiguousarray(z, np.float32)

    def scores(self, x: NDArray[np.float32]) -> NDArray[np.float32]:
        """N x C class scores for N feature vectors."""
        return self.classifier.scores(self.scale(x))

    def predict(self, x: NDArray[np.float32]) -> Prediction:
        """Best class, its score as confidence, and the top three, for N feature vectors."""
        s = self.scores(x)
        if len(s) == 0:
            return Prediction((), np.zeros(0, np.float32), ())
        order = np.argsort(-s, axis=1)[:, :3]
        best = order[:, 0]
        conf = s[np.arange(len(s)), best]
        # Python lists, not per-element numpy indexing: ~100 glyphs a frame, three each.
        classes = self.classes
        top = tuple(
            tuple((classes[j], sc) for j, sc in zip(row, scores, strict=True))
            for row, scores in zip(
                order.tolist(), np.take_along_axis(s, order, axis=1).tolist(), strict=True
            )
        )
        return Prediction(tuple(self.classes[j] for j in best), conf.astype(np.float32), top)


#: OpenBLAS hands a gemm to its thread pool above 65536 * 4 multiply-adds
#: (GEMM_MULTITHREAD_THRESHOLD); below that it runs on the calling thread.
_SINGLE_THREAD_MACS = 65536 * 4


def _project(z: NDArray[np.float32], projection: NDArray[np.float32]) -> NDArray[np.float32]:
    """`z @ projection`, bit for bit, in row blocks small enough to stay on one thread.

    A frame's batch (50-250 glyphs x 144 x 64) is just above OpenBLAS's threading
    threshold, and waking its pool costs far more than the product itself (about 1 ms a
    call on a busy two-core machine against 20 us of arithmetic). Each output row is the
    same kernel's dot product either way, except that a one-row product goes through
    gemv, which sums in another order: no block is a single row (unless the batch is).
    """
    d, p = projection.shape
    rows = max(3, _SINGLE_THREAD_MACS // max(d * p, 1))
    n = len(z)
    if n <= rows:
        return z @ projection
    parts = []
    i = 0
    while i < n:
        j = min(n, i + rows)
        if n - j == 1:
            j -= 1  # leave two rows for the last block, not one
        parts.append(z[i:j] @ projection)
        i = j
    return np.vstack(parts)


def train_model(
    x: NDArray[np.float32],
    labels: Sequence[str],
    *,
    spec: FeatureSpec,
    classifier: str = "knn",
    classes: Sequence[str] | None = None,
    k: int = 5,
    c: float = 10.0,
    gamma: float | None = None,
    standardize: bool | None = None,
    reject_threshold: float = 0.5,
    provenance: dict[str, Any] | None = None,
    novelty: bool = False,
    pca: int = 0,
    prototypes: dict[str, int] | None = None,
    seed: int = 0,
) -> Model:
    """Train a model on N x D features with string labels.

    Args:
        x: N x D float32 feature vectors.
        labels: N class names (e.g. "7", "_").
        spec: the features' spec (recorded in the model).
        classifier: "knn" or "svm".
        classes: class order; defaults to the sorted distinct labels.
        k: neighbours for KNN.
        c, gamma: SVM parameters (gamma defaults to 1/D on standardized features).
        standardize: scale features to zero mean / unit variance; defaults to True for
            "vector" features (UCI statistics have unrelated units) and False for image ones.
        reject_threshold: below this confidence the reader outputs '?'.
        provenance: how the data was made (recorded in the model).
        novelty: KNN only: lower the confidence of inputs far from every training sample
            (for readers that meet clutter; off for closed-set benchmarks).
        pca: project features onto this many principal components (0: keep all).
        prototypes: KNN only: replace each class's samples by this many k-means centres
            (class name -> count; "*" for the rest). Far fewer samples to search, at no
            measured loss of accuracy.
        seed: seeds the k-means.
    """
    if classifier not in CLASSIFIERS:
        raise ModelError(f"classifier must be one of {CLASSIFIERS}, got {classifier!r}")
    x = np.asarray(x, np.float32)
    if x.ndim != 2 or len(x) == 0:
        raise ModelError(f"training needs a non-empty N x D feature array, got shape {x.shape}")
    if len(labels) != len(x):
        raise ModelError(f"{len(x)} feature rows but {len(labels)} labels")
    cls_list = tuple(classes) if classes is not None else tuple(sorted(set(labels)))
    index = {c_: i for i, c_ in enumerate(cls_list)}
    try:
        y = np.array([index[lab] for lab in labels], np.int32)
    except KeyError as exc:
        raise ModelError(f"label {exc.args[0]!r} is not one of the classes {cls_list}") from None
    if standardize is None:
        standardize = spec.kind == "vector"
    if standardize:
        mean = x.mean(axis=0).astype(np.float32)
        std = (x.std(axis=0) + 1e-6).astype(np.float32)
    else:
        mean = np.zeros(x.shape[1], np.float32)
        std = np.ones(x.shape[1], np.float32)
    xs = ((x - mean) / std).astype(np.float32)
    projection = None
    if pca and pca < xs.shape[1]:
        # Fewer dimensions make each KNN query cheaper at no measured loss of accuracy.
        centre, vectors = cv2.PCACompute(xs, mean=None, maxComponents=int(pca))
        projection = np.ascontiguousarray(vectors.T, np.float32)
        mean = (mean + centre.ravel() * std).astype(np.float32)
        xs = ((x - mean) / std).astype(np.float32) @ projection
    params: dict[str, Any]
    if classifier == "knn":
        if prototypes:
            xs, y = _prototypes(xs, y, prototypes, seed=seed)
        scale = KNNClassifier.novelty_scale_of(xs) if novelty else 0.0
        clf: KNNClassifier | SVMClassifier = KNNClassifier(
            xs, y, len(cls_list), k=k, novelty_scale=scale
        )
        params = {"k": clf.k, "novelty_scale": scale}
    else:
        g = float(gamma) if gamma is not None else 1.0 / x.shape[1]
        if not standardize and gamma is None:
            # Image features (sqrt-normalized histograms, 0..1 pixels) have small variance;
            # scale gamma by their spread so the RBF width is sensible without tuning.
            g = 1.0 / max(1e-6, float(xs.var(axis=0).sum()))
        clf = SVMClassifier.train(xs, y, len(cls_list), c=c, gamma=g)
        params = {"C": float(c), "gamma": g}
    return Model(
        classifier=clf,
        spec=spec,
        classes=cls_list,
        mean=mean,
        std=std,
        reject_threshold=reject_threshold,
        params=params,
        provenance=dict(provenance or {}),
        projection=projection,
    )


def extend_knn(
    model: Model,
    x: NDArray[np.float32],
    label: str,
    *,
    prototypes: int,
    seed: int = 0,
    provenance: dict[str, Any] | None = None,
) -> Model:
    """A KNN model with `prototypes` k-means centres of `x` added to class `label`.

    The model's own samples, scaling, projection and novelty scale stay as they are: the
    new centres change a reading only where they are nearer than every old sample.

    Args:
        model: a KNN model.
        x: N x D float32 features (the model's spec), N >= `prototypes`.
        label: one of the model's classes.
        prototypes: centres to add (all of `x` when it has no more rows).
        seed: seeds the k-means.
        provenance: the new model's provenance (default: the old one's).

    Raises:
        ModelError: not a KNN model, an unknown class, or no samples.
    """
    if not isinstance(model.classifier, KNNClassifier):
        raise ModelError("only a KNN model can take more samples; this one is an SVM")
    if label not in model.classes:
        raise ModelError(f"label {label!r} is not one of the classes {model.classes}")
    z = model.scale(x)
    if len(z) == 0:
        raise ModelError("no samples to add")
    c = model.classes.index(label)
    zs, _ = _prototypes(z, np.full(len(z), c, np.int32), {"*": int(prototypes)}, seed=seed)
    old = model.classifier
    # stored as float16, like a saved model's samples: the extended model is the same
    # whether used at once or after a save and load
    samples = np.vstack([old.samples, zs.astype(np.float16).astype(np.float32)])
    knn = KNNClassifier(
        samples,
        np.concatenate([old.labels, np.full(len(zs), c, np.int32)]),
        old.n_classes,
        k=old.k,
        novelty_scale=old.novelty_scale,
    )
    prov = dict(model.provenance if provenance is None else provenance)
    return replace(model, classifier=knn, provenance=prov, path=None)


def _prototypes(
    x: NDArray[np.float32], y: NDArray[np.int32], counts: dict[str, int], *, seed: int
) -> tuple[NDArray[np.float32], NDArray[np.int32]]:
    """Per-class k-means centres (`counts` by class index as str, or "*") as KNN samples."""
    cv2.setRNGSeed(seed)
    xs, ys = [], []
    crit = (cv2.TERM_CRITERIA_MAX_ITER | cv2.TERM_CRITERIA_EPS, 30, 1e-4)
    for c in np.unique(y):
        xc = np.ascontiguousarray(x[y == c], np.float32)
        k = counts.get(str(int(c)), counts.get("*", len(xc)))
        if k >= len(xc):
            xs.append(xc)
            ys.append(np.full(len(xc), c, np.int32))
            continue
        _, _, centres = cv2.kmeans(xc, int(k), None, crit, 1, cv2.KMEANS_PP_CENTERS)
        xs.append(centres.astype(np.float32))
        ys.append(np.full(len(centres), c, np.int32))
    return np.vstack(xs), np.concatenate(ys)


def save_model(model: Model, path: str | os.PathLike[str]) -> Path:
    """Write a model file atomically (a temp file renamed into place). Returns the path."""
    path = Path(path)
    meta = {
        "format": MODEL_FORMAT,
        "version": MODEL_VERSION,
        "classifier": model.kind,
        "feature_spec": json.loads(model.spec.to_json()),
        "classes": list(model.classes),
        "params": model.params,
        "reject_threshold": model.reject_threshold,
        "provenance": model.provenance,
    }
    arrays: dict[str, Any] = {
        "meta": np.array(json.dumps(meta, sort_keys=True)),
        "mean": model.mean,
        "std": model.std,
    }
    if model.projection is not None:
        arrays["projection"] = model.projection
    if isinstance(model.classifier, KNNClassifier):
        arrays["samples"] = model.classifier.samples.astype(np.float16)
        arrays["labels"] = model.classifier.labels.astype(np.int32)
    else:
        for i, text in enumerate(model.classifier.to_yaml()):
            arrays[f"svm_{i}"] = np.array(text)
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        # A full disk or Ctrl-C mid-write: the previous model file is untouched.
        with contextlib.suppress(OSError):  # e.g. a read-only folder: nothing was made
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            why = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror or exc
            raise ModelError(f"cannot write the model to {path}: {why}") from None
        raise
    return path


def default_model_path(classifier: str = "knn") -> Path:
    """The shipped model: `models/` in a source checkout, else the installed copy."""
    name = DEFAULT_MODEL_NAME if classifier == "knn" else f"digits-{classifier}.npz"
    return _shipped(name)


def _shipped(name: str) -> Path:
    # A source checkout (editable install or running from the repo) prefers the repo copy,
    # so a freshly rebuilt model is used without reinstalling.
    repo = Path(__file__).resolve().parents[2] / "models" / name
    if repo.is_file():
        return repo
    return Path(str(resources.files("digitcam") / "_models" / name))


def require_image_model(model: Model) -> Model:
    """`model`, if it can read glyphs cut from images (any feature kind but "vector").

    Raises:
        ModelError: the model was trained on precomputed feature vectors (e.g. the UCI
            letter statistics), which no image gives; said before the first frame rather
            than at the first glyph.
    """
    if model.spec.kind == "vector":
        where = model.path or "the model"
        raise ModelError(
            f"{where} was trained on precomputed 'vector' features ({len(model.mean)} "
            "numbers per sample), not on glyph images, so it cannot read images; train "
            "one on image datasets (features mhog, hog or pixels)"
        )
    return model


def load_cell_model(path: str | os.PathLike[str] | None = None) -> Model:
    """Load a cell model (trained on whole `normalize_cell` crops); no path: the shipped one.

    Raises:
        ModelError: as `load_model`, or a model of glyph features (it would misread cells).
    """
    model = load_model(path if path is not None else _shipped(CELL_MODEL_NAME))
    if model.spec.kind not in CELL_FEATURE_KINDS:
        raise ModelError(
            f"{model.path} reads glyphs ({model.spec.kind} features), not whole digit cells; "
            "a cell model is trained on `dataset import --crop cell` or `synth-cells` data "
            "with --features meter2"
        )
    return model


def load_model(path: str | os.PathLike[str] | None = None, *, classifier: str = "knn") -> Model:
    """Load a model file; with no path, the shipped default for `classifier`.

    Raises:
        ModelError: missing file, not a model, truncated, or another format version.
    """
    p = Path(path) if path is not None else default_model_path(classifier)
    if not p.is_file():
        raise ModelError(f"model file not found: {p}")
    try:
        with open(p, "rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise ModelError(f"{p}: cannot read ({exc.strerror or exc})") from None
    if magic != b"PK\x03\x04":
        kind = "an empty file" if not magic else "not an .npz archive"
        raise ModelError(f"{p} is not a readable digitcam model ({kind})")
    try:
        with np.load(p, allow_pickle=False) as z:
            if "meta" not in z.files:
                raise ModelError(f"{p} is not a digitcam model (no 'meta' entry)")
            meta = json.loads(str(z["meta"]))
            data = {k: z[k] for k in z.files if k != "meta"}
    except ModelError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, json.JSONDecodeError) as exc:
        raise ModelError(f"{p} is not a readable digitcam model ({_short(exc)})") from None
    return _model_from(meta, data, p)


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


def _model_from(meta: dict[str, Any], data: dict[str, Any], p: Path) -> Model:
    if not isinstance(meta, dict) or meta.get("format") != MODEL_FORMAT:
        raise ModelError(f"{p} is not a digitcam model (format {meta.get('format')!r})")
    version = meta.get("version")
    if version != MODEL_VERSION:
        raise ModelError(
            f"{p} is model format version {version}; this digitcam reads version "
            f"{MODEL_VERSION} (retrain it with `digitcam train`, or upgrade digitcam)"
        )
    try:
        spec = FeatureSpec.from_dict(meta["feature_spec"])
        classes = tuple(meta["classes"])
        mean = np.asarray(data["mean"], np.float32)
        std = np.asarray(data["std"], np.float32)
        projection = np.asarray(data["projection"], np.float32) if "projection" in data else None
        width = projection.shape[1] if projection is not None else len(mean)
        if projection is not None and projection.shape[0] != len(mean):
            raise ModelError(
                f"{p}: projection has {projection.shape[0]} rows for {len(mean)} features"
            )
        if meta["classifier"] == "knn":
            clf: KNNClassifier | SVMClassifier = KNNClassifier(
                np.asarray(data["samples"], np.float32),
                np.asarray(data["labels"], np.int32),
                len(classes),
                k=int(meta.get("params", {}).get("k", 5)),
                novelty_scale=float(meta.get("params", {}).get("novelty_scale", 0.0)),
            )
            if clf.samples.shape[1] != width:
                raise ModelError(
                    f"{p}: samples have {clf.samples.shape[1]} columns, the features give {width}"
                )
        elif meta["classifier"] == "svm":
            texts = [str(data[f"svm_{i}"]) for i in range(len(classes))]
            clf = SVMClassifier.from_yaml(texts, len(classes))
        else:
            raise ModelError(f"{p}: unknown classifier {meta['classifier']!r}")
    except ModelError:
        raise
    except (KeyError, TypeError, ValueError, cv2.error) as exc:
        raise ModelError(f"{p} is a damaged digitcam model ({_short(exc)})") from None
    if spec.kind != "vector" and len(mean) != spec.length:
        raise ModelError(f"{p}: feature length {len(mean)} does not match its spec ({spec.length})")
    return Model(
        classifier=clf,
        spec=spec,
        classes=classes,
        mean=mean,
        std=std,
        reject_threshold=float(meta.get("reject_threshold", 0.5)),
        params=dict(meta.get("params", {})),
        provenance=dict(meta.get("provenance", {})),
        path=str(p),
        projection=projection,
    )
