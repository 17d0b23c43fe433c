"""Train, cross-validate, search hyper-parameters, evaluate; watch a model file for reload.

No rich, no typer: long steps report through an optional `progress(stage, done, total)`
callback, which the CLI turns into a progress bar. Every random choice takes a seed.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from digitcam.classify import CLASSIFIERS, Model, load_model, train_model
from digitcam.dataset import Dataset, images_as_float
from digitcam.errors import DatasetError, ModelError
from digitcam.features import FeatureSpec, glyph_features
from digitcam.types import NOT_GLYPH

Progress = Callable[[str, int, int], None]

#: Named feature choices for `--features`; `kind:key=value,...` spells any other spec.
FEATURE_PRESETS: dict[str, FeatureSpec] = {
    # Multi-scale HOG of the deskewed glyph: the best measured on handwriting (digits.png).
    "mhog": FeatureSpec(kind="mhog", bins=16, deskew=True),
    "hog": FeatureSpec(kind="hog"),
    "hog-deskew": FeatureSpec(kind="hog", cells=4, bins=16, deskew=True),
    "pixels10": FeatureSpec(kind="pixels", size=10),
    "pixels20": FeatureSpec(kind="pixels", size=20),
}
DEFAULT_IMAGE_FEATURES = "mhog"


def parse_features(text: str) -> FeatureSpec | None:
    """A `--features` value as a spec; "vector" (precomputed) returns None.

    Accepts a preset name (`FEATURE_PRESETS`) or `kind:key=value,...`, e.g.
    `hog:cells=5,bins=12,deskew=1`.
    """
    t = text.strip()
    if t == "vector":
        return None
    if t in FEATURE_PRESETS:
        return FEATURE_PRESETS[t]
    m = re.fullmatch(r"(\w+)(?::(.*))?", t)
    if not m:
        raise DatasetError(
            f"--features: expected a preset {sorted(FEATURE_PRESETS)} or "
            f"kind:key=value,..., got {text!r}"
        )
    kw: dict[str, Any] = {"kind": m.group(1)}
    for part in filter(None, (m.group(2) or "").split(",")):
        if "=" not in part:
            raise DatasetError(f"--features: {part!r} is not key=value")
        k, v = (s.strip() for s in part.split("=", 1))
        if k == "deskew":
            kw[k] = v.lower() in ("1", "true", "yes", "on")
        elif k in ("size", "cells", "bins"):
            try:
                kw[k] = int(v)
            except ValueError:
                raise DatasetError(f"--features: {k} must be an integer, got {v!r}") from None
        else:
            raise DatasetError(f"--features: unknown key {k!r} (size, cells, bins, deskew)")
    try:
        return FeatureSpec(**kw)
    except ValueError as exc:
        raise DatasetError(f"--features: {exc}") from None


def feature_name(spec: FeatureSpec) -> str:
    """The preset name of a spec, or its `kind:key=value` spelling."""
    for name, s in FEATURE_PRESETS.items():
        if s == spec:
            return name
    if spec.kind == "vector":
        return "vector"
    return (
        f"{spec.kind}:size={spec.size},cells={spec.cells},bins={spec.bins},"
        f"deskew={int(spec.deskew)}"
    )


def dataset_matrix(
    ds: Dataset, spec: FeatureSpec | None
) -> tuple[NDArray[np.float32], FeatureSpec]:
    """Feature vectors of a dataset: computed from its images, or its stored vectors.

    Args:
        ds: the dataset.
        spec: image features to compute; None uses the stored vectors when there are
            some, else the default image features.

    Returns:
        (N x D float32, the spec they follow).
    """
    if spec is None or spec.kind == "vector":
        if ds.features is not None and ds.spec is not None:
            return ds.features.astype(np.float32), ds.spec
        spec = FEATURE_PRESETS[DEFAULT_IMAGE_FEATURES]
    if ds.images is None:
        raise DatasetError(
            f"{feature_name(spec)} features need glyph images; this dataset holds feature "
            "vectors only (use --features vector)"
        )
    return glyph_features(images_as_float(ds.images), spec), spec


# --------------------------------------------------------------------------- fitting


@dataclass(frozen=True)
class Params:
    """Training choices. `weights` scales standardized vector features (learned by search)."""

    k: int = 5
    c: float = 10.0
    gamma: float | None = None  # None: train_model's default (1/D or 1/total variance)
    weights: tuple[float, ...] | None = None
    reject_threshold: float = 0.5

    def to_json(self, classifier: str) -> dict[str, Any]:
        d: dict[str, Any] = {"k": self.k} if classifier == "knn" else {"C": self.c}
        if classifier == "svm":
            d["gamma"] = self.gamma
        if self.weights is not None:
            d["weights"] = [round(w, 4) for w in self.weights]
        return d


def _scaling(
    x: NDArray[np.float32], spec: FeatureSpec, weights: Sequence[float] | None
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Mean and (weight-divided) std: vector features are standardized, image ones are not."""
    d = x.shape[1]
    if spec.kind != "vector":
        return np.zeros(d, np.float32), np.ones(d, np.float32)
    mean = x.mean(axis=0).astype(np.float32)
    std = (x.std(axis=0) + 1e-6).astype(np.float32)
    if weights is not None:
        std = (std / np.maximum(np.asarray(weights, np.float32), 1e-3)).astype(np.float32)
    return mean, std


def fit(
    x: NDArray[np.float32],
    labels: Sequence[str],
    *,
    spec: FeatureSpec,
    classifier: str,
    params: Params = Params(),
    classes: Sequence[str] | None = None,
    provenance: dict[str, Any] | None = None,
) -> Model:
    """Train one model on N x D features (vector features standardized and weighted).

    Raises:
        DatasetError: no samples.
        ModelError: unknown classifier.
    """
    if classifier not in CLASSIFIERS:
        raise ModelError(f"classifier must be one of {CLASSIFIERS}, got {classifier!r}")
    if len(x) == 0:
        raise DatasetError("cannot train on an empty dataset")
    mean, std = _scaling(x, spec, params.weights)
    xs = ((x - mean) / std).astype(np.float32)
    gamma = params.gamma
    model = train_model(
        xs,
        list(labels),
        spec=spec,
        classifier=classifier,
        classes=classes,
        k=params.k,
        c=params.c,
        gamma=gamma,
        standardize=False,
        reject_threshold=params.reject_threshold,
        provenance=provenance,
    )
    out_params = dict(model.params)
    if params.weights is not None:
        out_params["weights"] = [round(float(w), 4) for w in params.weights]
    return dataclasses.replace(model, mean=mean, std=std, params=out_params)


def stratified_folds(labels: Sequence[str], k: int, *, seed: int = 0) -> NDArray[np.intp]:
    """Fold number (0..k-1) of each sample; every class spread evenly, order seeded.

    Raises:
        DatasetError: k < 2, fewer samples than folds, or a class with a single sample.
    """
    n = len(labels)
    if k < 2:
        raise DatasetError(f"--cv needs at least 2 folds, got {k}")
    if n < k:
        raise DatasetError(f"--cv {k} needs at least {k} samples, the dataset has {n}")
    lab = np.asarray(labels, dtype=object)
    counts = {c: int((lab == c).sum()) for c in sorted(set(labels))}
    ones = [c for c, m in counts.items() if m < 2]
    if ones:
        raise DatasetError(
            f"--cv {k}: class {ones[0]!r} has a single sample; every class needs at least 2 "
            f"(classes with one sample: {', '.join(map(repr, ones[:10]))})"
        )
    rng = np.random.default_rng(seed)
    fold = np.zeros(n, np.intp)
    offset = 0
    for c in counts:
        idx = rng.permutation(np.flatnonzero(lab == c))
        # Continue the round-robin across classes so small classes do not pile into fold 0.
        fold[idx] = (np.arange(len(idx)) + offset) % k
        offset += len(idx)
    return fold


def accuracy(model: Model, x: NDArray[np.float32], labels: Sequence[str]) -> float:
    """Fraction of samples whose best class is their label (no rejection)."""
    if len(labels) == 0:
        return float("nan")
    pred = model.predict(x).chars
    return float(np.mean([p == t for p, t in zip(pred, labels, strict=True)]))


def cross_validate(
    x: NDArray[np.float32],
    labels: Sequence[str],
    *,
    spec: FeatureSpec,
    classifier: str,
    params: Params = Params(),
    folds: int = 5,
    seed: int = 0,
    progress: Progress | None = None,
) -> tuple[float, list[float]]:
    """Stratified K-fold accuracy: (mean over folds, per-fold accuracies)."""
    fold = stratified_folds(labels, folds, seed=seed)
    lab = list(labels)
    classes = sorted(set(lab))
    accs = []
    for f in range(folds):
        tr, te = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        m = fit(
            x[tr],
            [lab[i] for i in tr],
            spec=spec,
            classifier=classifier,
            params=params,
            classes=classes,
        )
        accs.append(accuracy(m, x[te], [lab[i] for i in te]))
        if progress:
            progress("cross-validate", f + 1, folds)
    return float(np.mean(accs)), accs


# --------------------------------------------------------------------------- search


def _stratified_subsample(labels: Sequence[str], n_max: int, seed: int) -> NDArray[np.intp]:
    n = len(labels)
    if n <= n_max:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    lab = np.asarray(labels, dtype=object)
    keep = []
    for c in sorted(set(labels)):
        idx = np.flatnonzero(lab == c)
        m = max(1, round(len(idx) * n_max / n))
        keep.append(rng.choice(idx, size=min(m, len(idx)), replace=False))
    return np.sort(np.concatenate(keep))


def learn_feature_weights(
    x: NDArray[np.float32],
    labels: Sequence[str],
    *,
    factors: Sequence[float] = (0.5, 0.7, 1.4, 2.0),
    rounds: int = 3,
    n_max: int = 4000,
    seed: int = 0,
    progress: Progress | None = None,
) -> tuple[float, ...]:
    """Per-feature weights for standardized vector features, by leave-one-out 1-NN.

    Coordinate search: each feature's weight is multiplied by each factor in turn and the
    change kept when the leave-one-out nearest-neighbour accuracy of the (sub-sampled)
    training set improves. Noisy statistics (box position, say) get weights below 1.

    Args:
        x: N x D float32, standardized.
        labels: N class names.

    Returns:
        D weights.
    """
    sub = _stratified_subsample(labels, n_max, seed)
    xs = np.asarray(x, np.float32)[sub]
    y = np.unique(np.asarray(labels, dtype=object)[sub], return_inverse=True)[1]
    d = xs.shape[1]
    w = np.ones(d)
    # Squared distances under the current weights; trying a new weight for feature j only
    # adds (w'^2 - w^2) times that feature's squared differences.
    sq = (xs * xs).sum(1)
    dist = sq[:, None] + sq[None, :] - 2 * xs @ xs.T
    np.fill_diagonal(dist, np.inf)

    def diff(j: int) -> NDArray[np.float32]:
        return (xs[:, j, None] - xs[None, :, j]) ** 2

    def score(dd: NDArray[np.float32]) -> float:
        return float(np.mean(y[np.argmin(dd, axis=1)] == y))

    best = score(dist)
    total = rounds * d
    for r in range(rounds):
        for j in range(d):
            dj = diff(j)
            for f in factors:
                new = w[j] * f
                cand = dist + np.float32(new * new - w[j] * w[j]) * dj
                s = score(cand)
                if s > best + 1e-4:
                    best, w[j], dist = s, new, cand
            if progress:
                progress("feature weights", r * d + j + 1, total)
    return tuple(float(v) for v in w)


def search_params(
    x: NDArray[np.float32],
    labels: Sequence[str],
    *,
    spec: FeatureSpec,
    classifier: str,
    base: Params = Params(),
    folds: int = 3,
    n_max: int = 4000,
    seed: int = 0,
    progress: Progress | None = None,
) -> tuple[Params, dict[str, float]]:
    """Pick k (KNN) or C and gamma (SVM) by inner stratified CV on the training data.

    Vector features first get per-feature weights (`learn_feature_weights`). The grid is
    small on purpose: k in 1, 3, 4, 5, 7; C in 3, 10, 30 × gamma in {0.5, 1, 2, 4} × the
    default width (1/D for vector features, 1/total variance for image ones), with
    {1, 2, 4, 8} for vector features, whose best width is narrower.

    Returns:
        (best params, {grid point: inner-CV accuracy}).
    """
    lab = list(labels)
    params = base
    if spec.kind == "vector":
        mean, std = _scaling(x, spec, None)
        w = learn_feature_weights((x - mean) / std, lab, seed=seed, progress=progress)
        params = dataclasses.replace(params, weights=w)
    sub = _stratified_subsample(lab, n_max, seed)
    xs, ys = x[sub], [lab[i] for i in sub]
    grid: list[Params]
    if classifier == "knn":
        grid = [dataclasses.replace(params, k=k) for k in (1, 3, 4, 5, 7)]
    else:
        mean, std = _scaling(xs, spec, params.weights)
        z = (xs - mean) / std
        g0 = (
            1.0 / x.shape[1]
            if spec.kind == "vector"
            else 1.0 / max(1e-6, float(z.var(axis=0).sum()))
        )
        mults = (1, 2, 4, 8) if spec.kind == "vector" else (0.5, 1, 2, 4)
        grid = [
            dataclasses.replace(params, c=c, gamma=g0 * m) for c in (3.0, 10.0, 30.0) for m in mults
        ]
    scores: dict[str, float] = {}
    best, best_acc = grid[0], -1.0
    for i, p in enumerate(grid):
        acc, _ = cross_validate(
            xs, ys, spec=spec, classifier=classifier, params=p, folds=folds, seed=seed
        )
        key = f"k={p.k}" if classifier == "knn" else f"C={p.c:g},gamma={p.gamma:.4g}"
        scores[key] = acc
        if acc > best_acc + 1e-9:
            best, best_acc = p, acc
        if progress:
            progress("search", i + 1, len(grid))
    return best, scores


# --------------------------------------------------------------------------- the train command


@dataclass(frozen=True)
class TrainReport:
    """What `digitcam train` measured (the `--json` keys, present when measured)."""

    classifier: str
    features: str
    n_train: int
    train_accuracy: float
    params: dict[str, Any]
    test_accuracy: float | None = None
    cv_accuracy: float | None = None
    cv_folds: tuple[float, ...] = ()
    search: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "classifier": self.classifier,
            "features": self.features,
            "n_train": self.n_train,
            "train_accuracy": round(self.train_accuracy, 5),
            "params": self.params,
        }
        if self.test_accuracy is not None:
            d["test_accuracy"] = round(self.test_accuracy, 5)
        if self.cv_accuracy is not None:
            d["cv_accuracy"] = round(self.cv_accuracy, 5)
        return d


def train_dataset(
    ds: Dataset,
    *,
    classifier: str = "knn",
    spec: FeatureSpec | None = None,
    params: Params = Params(),
    test: Dataset | None = None,
    cv: int | None = None,
    search: bool = False,
    seed: int = 0,
    progress: Progress | None = None,
) -> tuple[Model, TrainReport]:
    """Train on a dataset; optionally search, cross-validate, and test on another set.

    Args:
        ds: training data (already merged).
        classifier: "knn" or "svm".
        spec: image features (None: stored vectors, or the default image features).
        params: k / C / gamma / reject threshold (the search overrides k, C, gamma).
        test: a separate dataset to measure accuracy on.
        cv: folds for stratified cross-validation (None: no CV).
        search: pick hyper-parameters by inner CV on `ds` first.
        seed: for folds and sub-samples.

    Returns:
        The final model (trained on all of `ds`) and the report.
    """
    if len(ds) == 0:
        raise DatasetError("cannot train on an empty dataset")
    if classifier not in CLASSIFIERS:
        raise ModelError(f"classifier must be one of {CLASSIFIERS}, got {classifier!r}")
    if cv is not None:
        stratified_folds(ds.labels, cv, seed=seed)  # fail fast, before any long step
    x, spec_used = dataset_matrix(ds, spec)
    scores: dict[str, float] = {}
    if search:
        params, scores = search_params(
            x,
            ds.labels,
            spec=spec_used,
            classifier=classifier,
            base=params,
            seed=seed,
            progress=progress,
        )
    cv_acc, cv_folds = None, []
    if cv is not None:
        cv_acc, cv_folds = cross_validate(
            x,
            ds.labels,
            spec=spec_used,
            classifier=classifier,
            params=params,
            folds=cv,
            seed=seed,
            progress=progress,
        )
    prov = {"datasets": [p.get("source") for p in ds.provenance], "n": len(ds), "seed": seed}
    model = fit(x, ds.labels, spec=spec_used, classifier=classifier, params=params, provenance=prov)
    if progress:
        progress("train", 1, 1)
    test_acc = None
    if test is not None:
        if len(test) == 0:
            raise DatasetError("the --test dataset is empty")
        xt, _ = dataset_matrix(test, spec_used)
        test_acc = accuracy(model, xt, test.labels)
    report = TrainReport(
        classifier=classifier,
        features=feature_name(spec_used),
        n_train=len(ds),
        train_accuracy=accuracy(model, x, ds.labels),
        params=dict(model.params),
        test_accuracy=test_acc,
        cv_accuracy=cv_acc,
        cv_folds=tuple(cv_folds),
        search=scores,
    )
    return model, report


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Evaluation:
    """A model measured on a labelled dataset.

    Attributes:
        classes: row/column order of `confusion` (the model's classes, then unknown labels).
        confusion: C x C int, rows = true label, columns = predicted.
        accuracy: best class == label, over all samples (no rejection).
        precision, recall: per class (nan where undefined).
        predicted: N predicted chars; confidences: N.
        rejected: N bool — predicted "not a glyph" or confidence below the threshold.
        threshold: the reject threshold used.
        reject_rate_good: share of real glyphs rejected (false rejections).
        reject_rate_reject: share of "not a glyph" samples rejected (correct rejections);
            None when the dataset has none.
        accepted_accuracy: accuracy over the real glyphs that were not rejected.
    """

    classes: tuple[str, ...]
    confusion: NDArray[np.int64]
    accuracy: float
    precision: dict[str, float]
    recall: dict[str, float]
    predicted: tuple[str, ...]
    confidences: NDArray[np.float32]
    rejected: NDArray[np.bool_]
    threshold: float
    reject_rate_good: float
    reject_rate_reject: float | None
    accepted_accuracy: float

    def to_json(self) -> dict[str, Any]:
        def r(v: float | None) -> float | None:
            return None if v is None or v != v else round(float(v), 5)

        return {
            "n": len(self.predicted),
            "accuracy": r(self.accuracy),
            "classes": list(self.classes),
            "precision": {k: r(v) for k, v in self.precision.items()},
            "recall": {k: r(v) for k, v in self.recall.items()},
            "confusion": self.confusion.tolist(),
            "reject_threshold": self.threshold,
            "false_reject_rate": r(self.reject_rate_good),
            "correct_reject_rate": r(self.reject_rate_reject),
            "accepted_accuracy": r(self.accepted_accuracy),
        }


def evaluate(
    model: Model,
    x: NDArray[np.float32],
    labels: Sequence[str],
    *,
    threshold: float | None = None,
) -> Evaluation:
    """Measure a model on N x D features with their labels ("_" marks reject samples)."""
    if len(labels) == 0:
        raise DatasetError("cannot evaluate on an empty dataset")
    pred = model.predict(x)
    thr = model.reject_threshold if threshold is None else float(threshold)
    extra = sorted(set(labels) - set(model.classes))
    classes = tuple(model.classes) + tuple(extra)
    index = {c: i for i, c in enumerate(classes)}
    conf = np.zeros((len(classes), len(classes)), np.int64)
    for t, p in zip(labels, pred.chars, strict=True):
        conf[index[t], index[p]] += 1
    tp = np.diag(conf).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        prec = tp / conf.sum(axis=0)
        rec = tp / conf.sum(axis=1)
    lab = np.asarray(labels, dtype=object)
    chars = np.asarray(pred.chars, dtype=object)
    rejected = (chars == NOT_GLYPH) | (pred.confidences < thr)
    good = lab != NOT_GLYPH
    correct = chars == lab
    present = set(labels)
    return Evaluation(
        classes=classes,
        confusion=conf,
        accuracy=float(correct.mean()),
        precision={
            c: float(prec[i]) for i, c in enumerate(classes) if c in present or conf[:, i].sum()
        },
        recall={c: float(rec[i]) for i, c in enumerate(classes) if c in present},
        predicted=tuple(pred.chars),
        confidences=pred.confidences,
        rejected=rejected,
        threshold=thr,
        reject_rate_good=float(rejected[good].mean()) if good.any() else float("nan"),
        reject_rate_reject=float(rejected[~good].mean()) if (~good).any() else None,
        accepted_accuracy=float(correct[good & ~rejected].mean())
        if (good & ~rejected).any()
        else float("nan"),
    )


def evaluate_dataset(model: Model, ds: Dataset, *, threshold: float | None = None) -> Evaluation:
    """`evaluate` on a dataset, computing the model's features from its images."""
    if len(ds) == 0:
        raise DatasetError("cannot evaluate on an empty dataset")
    x, _ = dataset_matrix(ds, model.spec)
    if x.shape[1] != len(model.mean):
        raise ModelError(
            f"the model expects {len(model.mean)} features ({feature_name(model.spec)}); "
            f"the dataset gives {x.shape[1]}"
        )
    return evaluate(model, x, ds.labels, threshold=threshold)


# --------------------------------------------------------------------------- live reload


class ModelWatcher:
    """Reload a model file when it changes (for a running `digitcam run`).

    `poll()` is cheap (one `stat`); call it every second or so from the loop. A file that
    changed but does not load (half-copied by a tool that does not rename atomically) is
    skipped and retried on the next change; `last_error` says why.

    Args:
        path: the model file.
        loader: reads a model (default `classify.load_model`); injectable for tests.
        stat: `os.stat`-like (injectable for tests).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        loader: Callable[[Path], Model] = load_model,
        stat: Callable[[Path], os.stat_result] = os.stat,
    ) -> None:
        self.path = Path(path)
        self._loader = loader
        self._stat = stat
        self._seen = self._signature()
        self.last_error: str | None = None

    def _signature(self) -> tuple[int, int] | None:
        try:
            st = self._stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def changed(self) -> bool:
        """Whether the file's mtime or size differs from the last one seen."""
        return self._signature() != self._seen

    def poll(self) -> Model | None:
        """The newly loaded model if the file changed since the last poll, else None."""
        sig = self._signature()
        if sig == self._seen or sig is None:
            return None
        self._seen = sig
        try:
            model = self._loader(self.path)
        except ModelError as exc:
            self.last_error = str(exc)
            return None
        self.last_error = None
        return model


def confusion_image(ev: Evaluation, *, cell: int = 28) -> NDArray[np.uint8]:
    """The confusion matrix as a heat map with counts (rows true, columns predicted).

    Returns:
        HxWx3 uint8 BGR, drawn with OpenCV.
    """
    import cv2

    m = ev.confusion.astype(np.float64)
    n = len(ev.classes)
    rows = m.sum(axis=1, keepdims=True)
    frac = np.divide(m, rows, out=np.zeros_like(m), where=rows > 0)
    pad = cell + 6
    img = np.full((pad + n * cell + 4, pad + n * cell + 4, 3), 255, np.uint8)
    font = cv2.FONT_HERSHEY_PLAIN
    for i, c in enumerate(ev.classes):
        cv2.putText(img, c, (6, pad + i * cell + cell // 2 + 5), font, 1.0, (0, 0, 0), 1)
        cv2.putText(img, c, (pad + i * cell + cell // 3, pad - 8), font, 1.0, (0, 0, 0), 1)
        for j in range(n):
            v = frac[i, j]
            x0, y0 = pad + j * cell, pad + i * cell
            if i == j:
                color = (255 - int(155 * v), 255, 255 - int(155 * v))  # green diagonal
            else:
                color = (255 - int(255 * min(1, 4 * v)), 255 - int(255 * min(1, 4 * v)), 255)
            cv2.rectangle(img, (x0, y0), (x0 + cell - 1, y0 + cell - 1), color, -1)
            cv2.rectangle(img, (x0, y0), (x0 + cell - 1, y0 + cell - 1), (200, 200, 200), 1)
            if m[i, j]:
                t = str(int(m[i, j]))
                cv2.putText(
                    img,
                    t,
                    (x0 + 2, y0 + cell // 2 + 4),
                    font,
                    0.8 if len(t) < 4 else 0.6,
                    (0, 0, 0),
                    1,
                    cv2.LINE_AA,
                )
    return img
