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
from digitcam.dataset import Dataset, augment_images, images_as_float
from digitcam.errors import DatasetError, ModelError
from digitcam.features import FeatureSpec, glyph_features
from digitcam.types import NOT_GLYPH

Progress = Callable[[str, int, int], None]
#: Extra training samples for the given training indices (e.g. jittered copies):
#: (M x D features, M labels).
Augmenter = Callable[[NDArray[np.intp]], tuple[NDArray[np.float32], list[str]]]

#: Named feature choices for `--features`; `kind:key=value,...` spells any other spec.
FEATURE_PRESETS: dict[str, FeatureSpec] = {
    # Multi-scale HOG of the deskewed glyph: the best measured on handwriting (digits.png).
    "mhog": FeatureSpec(kind="mhog", bins=16, deskew=True),
    "hog": FeatureSpec(kind="hog"),
    "hog-deskew": FeatureSpec(kind="hog", cells=4, bins=16, deskew=True),
    "pixels10": FeatureSpec(kind="pixels", size=10),
    "pixels20": FeatureSpec(kind="pixels", size=20),
    # Unsigned multi-scale HOG of gray whole cells (`dataset import --crop cell`): meter
    # wheels and LCD digits of either polarity; measured best on the haverland meter digits.
    "meter": FeatureSpec(kind="uhog", bins=8),
    # Unsigned HOG of the locally standardized cell over tall grids ("lhog"): the same
    # gray cells, better on meters not seen in training (docs/public-data.md).
    "meter2": FeatureSpec(kind="lhog", bins=8),
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
    pca: int = 0  # principal components kept (0: all); shrinks an SVM file

    def to_json(self, classifier: str) -> dict[str, Any]:
        d: dict[str, Any] = {"k": self.k} if classifier == "knn" else {"C": self.c}
        if classifier == "svm":
            d["gamma"] = self.gamma
        if self.weights is not None:
            d["weights"] = [round(w, 4) for w in self.weights]
        if self.pca:
            d["pca"] = self.pca
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
        pca=params.pca,
    )
    out_params = dict(model.params)
    if params.weights is not None:
        out_params["weights"] = [round(float(w), 4) for w in params.weights]
    # the model's own scaling (the PCA centre, if any) applies after ours: fold them into one
    return dataclasses.replace(
        model,
        mean=(mean + model.mean * std).astype(np.float32),
        std=std * model.std,
        params=out_params,
    )


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


def group_folds(groups: Sequence[str], k: int, *, seed: int = 0) -> NDArray[np.intp]:
    """Fold number (0..k-1) of each sample, every group (meter, camera) in one fold only.

    Groups are shuffled (seeded), then placed largest first into the fold that has the
    fewest samples so far, so the folds are about equally large.

    Raises:
        DatasetError: k < 2, or fewer groups than folds.
    """
    if k < 2:
        raise DatasetError(f"grouped cross-validation needs at least 2 folds, got {k}")
    g = np.asarray(groups, dtype=object)
    names, inverse, counts = np.unique(g.astype(str), return_inverse=True, return_counts=True)
    if len(names) < k:
        raise DatasetError(
            f"{k}-fold cross-validation by group needs at least {k} groups, the data has "
            f"{len(names)}"
        )
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(names))
    order = order[np.argsort(-counts[order], kind="stable")]
    sizes = np.zeros(k, np.int64)
    fold_of = np.zeros(len(names), np.intp)
    for gi in order:
        f = int(np.argmin(sizes))
        fold_of[gi] = f
        sizes[f] += counts[gi]
    return fold_of[inverse]


def group_split(
    groups: Sequence[str], *, test_fraction: float = 0.25, seed: int = 0
) -> NDArray[np.bool_]:
    """A seeded train/test split by group: True marks the test side.

    Whole groups, in seeded random order, go to the test side until it holds at least
    `test_fraction` of the samples; no group is on both sides, and each side has one.

    Raises:
        DatasetError: fewer than 2 groups, or a fraction outside (0, 1).
    """
    if not 0 < test_fraction < 1:
        raise DatasetError(f"the test fraction must be between 0 and 1, got {test_fraction}")
    g = np.asarray(groups, dtype=object).astype(str)
    names = np.unique(g)
    if len(names) < 2:
        raise DatasetError(f"a split by group needs at least 2 groups, the data has {len(names)}")
    rng = np.random.default_rng(seed)
    test: list[str] = []
    n_test = 0
    for name in rng.permutation(names):
        if n_test >= test_fraction * len(g) or len(test) == len(names) - 1:
            break
        test.append(str(name))
        n_test += int((g == name).sum())
    return np.isin(g, test)


def _folds(
    labels: Sequence[str], k: int, *, groups: Sequence[str] | None, seed: int
) -> NDArray[np.intp]:
    return (
        stratified_folds(labels, k, seed=seed)
        if groups is None
        else group_folds(groups, k, seed=seed)
    )


def accuracy(model: Model, x: NDArray[np.float32], labels: Sequence[str]) -> float:
    """Fraction of samples whose best class is their label (no rejection)."""
    if len(labels) == 0:
        return float("nan")
    pred = model.predict(x).chars
    return float(np.mean([p == t for p, t in zip(pred, labels, strict=True)]))


@dataclass(frozen=True)
class OutOfFold:
    """Cross-validated predictions: every sample predicted by a model that never saw it.

    Attributes:
        chars: N predicted classes; confidences: N scores of those classes.
        fold_accuracies: per fold, accuracy over the fold's samples (no rejection).
    """

    chars: tuple[str, ...]
    confidences: NDArray[np.float32]
    fold_accuracies: tuple[float, ...]


def out_of_fold(
    x: NDArray[np.float32],
    labels: Sequence[str],
    *,
    spec: FeatureSpec,
    classifier: str,
    params: Params = Params(),
    folds: int = 5,
    seed: int = 0,
    groups: Sequence[str] | None = None,
    augment: Augmenter | None = None,
    progress: Progress | None = None,
) -> OutOfFold:
    """K-fold predictions (stratified, or by group when `groups` is given).

    Args:
        augment: extra training samples for each fold's training indices (never for the
            held-out fold).
    """
    fold = _folds(labels, folds, groups=groups, seed=seed)
    lab = list(labels)
    classes = sorted(set(lab))
    chars: list[str] = [""] * len(lab)
    conf = np.zeros(len(lab), np.float32)
    accs = []
    for f in range(folds):
        tr, te = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        xtr, ytr = x[tr], [lab[i] for i in tr]
        if augment is not None:
            xa, ya = augment(tr)
            xtr, ytr = np.vstack([xtr, xa]), ytr + list(ya)
        m = fit(xtr, ytr, spec=spec, classifier=classifier, params=params, classes=classes)
        pred = m.predict(x[te])
        for i, c in zip(te, pred.chars, strict=True):
            chars[i] = c
        conf[te] = pred.confidences
        accs.append(float(np.mean([chars[i] == lab[i] for i in te])))
        if progress:
            progress("cross-validate", f + 1, folds)
    return OutOfFold(tuple(chars), conf, tuple(accs))


def cross_validate(
    x: NDArray[np.float32],
    labels: Sequence[str],
    *,
    spec: FeatureSpec,
    classifier: str,
    params: Params = Params(),
    folds: int = 5,
    seed: int = 0,
    groups: Sequence[str] | None = None,
    augment: Augmenter | None = None,
    progress: Progress | None = None,
) -> tuple[float, list[float]]:
    """K-fold accuracy (stratified, or by group): (mean over folds, per-fold accuracies)."""
    oof = out_of_fold(
        x,
        labels,
        spec=spec,
        classifier=classifier,
        params=params,
        folds=folds,
        seed=seed,
        groups=groups,
        augment=augment,
        progress=progress,
    )
    return float(np.mean(oof.fold_accuracies)), list(oof.fold_accuracies)


def choose_reject_threshold(
    chars: Sequence[str],
    confidences: NDArray[np.float32],
    labels: Sequence[str],
    *,
    max_false_reject: float = 0.02,
) -> float:
    """The highest confidence threshold that rejects at most `max_false_reject` of the
    real glyphs, measured on out-of-fold predictions (`out_of_fold`).

    A glyph is rejected when its best class is "not a glyph" or its confidence is below
    the threshold; the higher the threshold, the more in-between wheels and clutter are
    rejected, and the more real glyphs too. Glyphs already rejected as "not a glyph" count
    against the budget, so the threshold is 0 when they alone exceed it.
    """
    lab = np.asarray(labels, dtype=object)
    good = lab != NOT_GLYPH
    if not good.any():
        return 0.0
    ch = np.asarray(chars, dtype=object)[good]
    cf = np.asarray(confidences, np.float64)[good]
    budget = int(np.floor(max_false_reject * good.sum() + 1e-9))
    base = int((ch == NOT_GLYPH).sum())
    left = budget - base
    if left <= 0:
        return 0.0
    # Rejecting below t costs the accepted glyphs with confidence < t: take t just above
    # the `left`-th lowest confidence of the accepted ones (ties counted).
    acc_conf = np.sort(cf[ch != NOT_GLYPH])
    if left >= len(acc_conf):
        return float(acc_conf[-1])
    return float(acc_conf[left])


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
    factors: Sequence[float] = (0.5, 0.7, 0.85, 1.2, 1.4, 2.0),
    rounds: int = 4,
    n_max: int = 6000,
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
    groups: Sequence[str] | None = None,
    augment: Augmenter | None = None,
    progress: Progress | None = None,
) -> tuple[Params, dict[str, float]]:
    """Pick k (KNN) or C and gamma (SVM) by inner CV on the training data.

    Vector features first get per-feature weights (`learn_feature_weights`). The grid is
    small on purpose: k in 1, 3, 4, 5, 7; C in 3, 10, 30 × gamma in {0.5, 1, 2, 4} × the
    default width (1/D for vector features, 1/total variance for image ones), with
    {1, 2, 4, 8} for vector features, whose best width is narrower, and {0.25, 0.5, 1}
    for "uhog" and "lhog" cells, whose best width is wider.

    Args:
        groups: N group names: the inner folds then keep each group on one side, so the
            parameters are chosen for *unseen* groups (meters, cameras).
        augment: extra training samples for a fold's training indices (see `out_of_fold`).

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
    gs = None if groups is None else [groups[i] for i in sub]
    aug = None if augment is None else (lambda idx: augment(sub[idx]))
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
        mults = {"vector": (1, 2, 4, 8), "uhog": (0.25, 0.5, 1), "lhog": (0.25, 0.5, 1)}.get(
            spec.kind, (0.5, 1, 2, 4)
        )
        grid = [
            dataclasses.replace(params, c=c, gamma=g0 * m) for c in (3.0, 10.0, 30.0) for m in mults
        ]
    scores: dict[str, float] = {}
    best, best_acc = grid[0], -1.0
    for i, p in enumerate(grid):
        acc, _ = cross_validate(
            xs,
            ys,
            spec=spec,
            classifier=classifier,
            params=p,
            folds=folds,
            seed=seed,
            groups=gs,
            augment=aug,
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
    #: With "not a glyph" samples in the test set: accuracy over the real glyphs only (best
    #: class, no rejection), and the reject rates at the model's threshold.
    test_glyph_accuracy: float | None = None
    test_false_reject: float | None = None
    test_correct_reject: float | None = None
    #: Reject threshold and the out-of-fold rates it was chosen at (--max-false-reject).
    reject_threshold: float | None = None
    cv_false_reject: float | None = None
    cv_correct_reject: float | None = None
    group_by: str | None = None
    augment: int = 0

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "classifier": self.classifier,
            "features": self.features,
            "n_train": self.n_train,
            "train_accuracy": round(self.train_accuracy, 5),
            "params": self.params,
        }
        optional = {
            "test_accuracy": self.test_accuracy,
            "cv_accuracy": self.cv_accuracy,
            "test_glyph_accuracy": self.test_glyph_accuracy,
            "test_false_reject": self.test_false_reject,
            "test_correct_reject": self.test_correct_reject,
            "reject_threshold": self.reject_threshold,
            "cv_false_reject": self.cv_false_reject,
            "cv_correct_reject": self.cv_correct_reject,
        }
        d.update({k: round(float(v), 5) for k, v in optional.items() if v is not None})
        if self.group_by is not None:
            d["group_by"] = self.group_by
        if self.augment:
            d["augment"] = self.augment
        return d


def reject_rates(
    chars: Sequence[str], confidences: NDArray[np.float32], labels: Sequence[str], threshold: float
) -> tuple[float, float | None]:
    """(share of real glyphs rejected, share of "not a glyph" samples rejected or None)."""
    lab = np.asarray(labels, dtype=object)
    rej = (np.asarray(chars, dtype=object) == NOT_GLYPH) | (
        np.asarray(confidences, np.float64) < threshold
    )
    good = lab != NOT_GLYPH
    fr = float(rej[good].mean()) if good.any() else float("nan")
    return fr, (float(rej[~good].mean()) if (~good).any() else None)


def dataset_groups(ds: Dataset, key: str) -> tuple[str, ...]:
    """The dataset's groups for `--group-by KEY`.

    Raises:
        DatasetError: the dataset has no groups, or they came from another record key.
    """
    if ds.groups is None:
        raise DatasetError(
            f"--group-by {key}: the dataset has no groups; import it with --group-key {key}"
        )
    keys = {p.get("group_key") for p in ds.provenance if p.get("group_key")}
    if keys and keys != {key}:
        raise DatasetError(
            f"--group-by {key}: the dataset's groups come from {', '.join(sorted(keys))}"
        )
    return ds.groups


#: `--augment-kind` values: the `augment_images` options each one uses. "jitter" moves,
#: scales, re-lights and blurs; "photometric" only re-lights and blurs — on meter cells with
#: "lhog" features the geometric jitter lowered grouped-CV accuracy (92.1 → 91.7 %) while
#: light and blur alone raised it (→ 93.3 %), see docs/public-data.md.
AUGMENT_KINDS: dict[str, dict[str, Any]] = {
    "jitter": {},
    "photometric": {"shift": (0.0, 0.0), "scale": 0.0},
}


def make_augmenter(
    ds: Dataset, spec: FeatureSpec, copies: int, *, seed: int = 0, kind: str = "jitter"
) -> Augmenter:
    """An `Augmenter` giving `copies` jittered copies (`augment_images`) of the given
    samples' images, as features.

    Args:
        kind: a key of `AUGMENT_KINDS` ("jitter" or "photometric").

    Raises:
        DatasetError: the dataset has no images (feature vectors cannot be jittered), or
            an unknown kind.
    """
    if ds.images is None:
        raise DatasetError("--augment needs glyph images; this dataset holds feature vectors")
    if kind not in AUGMENT_KINDS:
        raise DatasetError(f"--augment-kind must be one of {sorted(AUGMENT_KINDS)}, got {kind!r}")
    images = ds.images
    lab = list(ds.labels)
    options = AUGMENT_KINDS[kind]

    def aug(idx: NDArray[np.intp]) -> tuple[NDArray[np.float32], list[str]]:
        idx = np.asarray(idx, np.intp)
        extra = augment_images(images[idx], copies, seed=seed, **options)
        x = glyph_features(images_as_float(extra), spec)
        return x, [lab[i] for i in idx] * copies

    return aug


def with_extra(
    augment: Augmenter | None, x_extra: NDArray[np.float32], labels_extra: Sequence[str]
) -> Augmenter:
    """An `Augmenter` that also adds the same M extra samples to every training side.

    Args:
        augment: jitter of the training indices (or None).
        x_extra: M x D features of the extra samples; labels_extra: their M labels.
    """
    ye = list(labels_extra)

    def aug(idx: NDArray[np.intp]) -> tuple[NDArray[np.float32], list[str]]:
        if augment is None:
            return x_extra, list(ye)
        xa, ya = augment(idx)
        return np.vstack([xa, x_extra]), list(ya) + ye

    return aug


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
    group_by: str | None = None,
    augment: int = 0,
    augment_kind: str = "jitter",
    extra: Dataset | None = None,
    max_false_reject: float | None = None,
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
        seed: for folds, sub-samples and augmentation.
        group_by: keep each group of `ds` (`Dataset.groups`, imported with
            `--group-key KEY`; KEY must match) on one side of every fold, in `cv`, the
            search and the threshold choice.
        augment: add this many jittered copies of each training image (`augment_images`)
            to every training side (CV folds, search folds, the final model); held-out
            samples are never augmented.
        augment_kind: which jitter (`AUGMENT_KINDS`): "jitter" (shift, scale, light,
            blur) or "photometric" (light and blur only).
        extra: training-only samples (e.g. `dataset.synthetic_cells`) added to every
            training side (CV folds, search folds, the final model) as they are — never
            held out, jittered or measured on, and outside `group_by`'s groups; their
            classes must be among `ds`'s.
        max_false_reject: choose the reject threshold on out-of-fold predictions (`cv`
            folds, or 5) as the highest that rejects at most this share of real glyphs.

    Returns:
        The final model (trained on all of `ds`) and the report.
    """
    if len(ds) == 0:
        raise DatasetError("cannot train on an empty dataset")
    if classifier not in CLASSIFIERS:
        raise ModelError(f"classifier must be one of {CLASSIFIERS}, got {classifier!r}")
    if max_false_reject is not None and not 0 <= max_false_reject < 1:
        raise DatasetError(f"--max-false-reject must be in [0, 1), got {max_false_reject}")
    if augment_kind not in AUGMENT_KINDS:  # even without --augment: a typo is not ignored
        raise DatasetError(
            f"--augment-kind must be one of {sorted(AUGMENT_KINDS)}, got {augment_kind!r}"
        )
    groups = dataset_groups(ds, group_by) if group_by is not None else None
    folds_n = cv if cv is not None else (5 if max_false_reject is not None else None)
    if folds_n is not None:  # fail fast, before any long step
        _folds(ds.labels, folds_n, groups=groups, seed=seed)
    x, spec_used = dataset_matrix(ds, spec)
    aug = (
        make_augmenter(ds, spec_used, augment, seed=seed, kind=augment_kind)
        if augment > 0
        else None
    )
    if extra is not None and len(extra):
        unknown = sorted(set(extra.labels) - set(ds.labels))
        if unknown:
            raise DatasetError(
                f"--extra has classes the training data lacks: {', '.join(map(repr, unknown))}"
            )
        x_extra, _ = dataset_matrix(extra, spec_used)
        aug = with_extra(aug, x_extra, extra.labels)
    scores: dict[str, float] = {}
    if search:
        params, scores = search_params(
            x,
            ds.labels,
            spec=spec_used,
            classifier=classifier,
            base=params,
            seed=seed,
            groups=groups,
            augment=aug,
            progress=progress,
        )
    cv_acc, cv_folds = None, ()
    thr, cv_fr, cv_cr = None, None, None
    if folds_n is not None:
        oof = out_of_fold(
            x,
            ds.labels,
            spec=spec_used,
            classifier=classifier,
            params=params,
            folds=folds_n,
            seed=seed,
            groups=groups,
            augment=aug,
            progress=progress,
        )
        if cv is not None:
            cv_acc, cv_folds = float(np.mean(oof.fold_accuracies)), oof.fold_accuracies
        if max_false_reject is not None:
            thr = choose_reject_threshold(
                oof.chars, oof.confidences, ds.labels, max_false_reject=max_false_reject
            )
            params = dataclasses.replace(params, reject_threshold=thr)
            cv_fr, cv_cr = reject_rates(oof.chars, oof.confidences, ds.labels, thr)
    # an imported file names its source; a drawn set (synth-cells) is described by its recipe
    prov = {
        "datasets": [p.get("source") or p for p in ds.provenance],
        "n": len(ds),
        "seed": seed,
    }
    if augment:
        prov["augment"] = augment
        if augment_kind != "jitter":
            prov["augment_kind"] = augment_kind
    if extra is not None and len(extra):
        prov["extra"] = [p.get("source") or p.get("import") for p in extra.provenance]
        prov["n_extra"] = len(extra)
    xf, yf = x, list(ds.labels)
    if aug is not None:
        xa, ya = aug(np.arange(len(ds)))
        xf, yf = np.vstack([x, xa]), yf + ya
    model = fit(xf, yf, spec=spec_used, classifier=classifier, params=params, provenance=prov)
    if progress:
        progress("train", 1, 1)
    test_acc = test_glyph = test_fr = test_cr = None
    if test is not None:
        if len(test) == 0:
            raise DatasetError("the --test dataset is empty")
        xt, _ = dataset_matrix(test, spec_used)
        pred = model.predict(xt)
        tl = np.asarray(test.labels, dtype=object)
        hit = np.asarray(pred.chars, dtype=object) == tl
        test_acc = float(hit.mean())
        if (tl == NOT_GLYPH).any() and (tl != NOT_GLYPH).any():
            test_glyph = float(hit[tl != NOT_GLYPH].mean())
            test_fr, test_cr = reject_rates(
                pred.chars, pred.confidences, test.labels, model.reject_threshold
            )
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
        test_glyph_accuracy=test_glyph,
        test_false_reject=test_fr,
        test_correct_reject=test_cr,
        reject_threshold=thr,
        cv_false_reject=cv_fr,
        cv_correct_reject=cv_cr,
        group_by=group_by,
        augment=augment,
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
        glyph_accuracy: accuracy over the real glyphs (no "not a glyph" samples), no
            rejection.
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
    glyph_accuracy: float = float("nan")

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
            "glyph_accuracy": r(self.glyph_accuracy),
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
        glyph_accuracy=float(correct[good].mean()) if good.any() else float("nan"),
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
