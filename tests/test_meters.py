"""Meter digits: whole-cell crops, groups, splits by meter, augmentation, reject threshold.

The accuracy test trains on some meters and measures on *other* meters (no meter on both
sides). Full-size figures (several splits, search, augmentation) are in
benchmarks/public_data.py and docs/public-data.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from digitcam.classify import load_model, save_model
from digitcam.cli import app
from digitcam.dataset import (
    Dataset,
    augment_images,
    group_name,
    import_dataset,
    load_dataset,
    merge_datasets,
    normalize_cell,
    save_dataset,
    synthetic_cells,
)
from digitcam.errors import DatasetError
from digitcam.features import FeatureSpec, glyph_features
from digitcam.train import (
    FEATURE_PRESETS,
    Params,
    choose_reject_threshold,
    dataset_groups,
    dataset_matrix,
    fit,
    group_folds,
    group_split,
    make_augmenter,
    reject_rates,
    train_dataset,
)
from digitcam.types import NOT_GLYPH

DATA = Path("/work/shared/data")
for cand in (Path(__file__).resolve().parents[2] / "shared" / "data", DATA):
    if cand.is_dir():
        DATA = cand
        break
METERS = DATA / "real" / "haverland_meterdigits"
needs_meters = pytest.mark.skipif(
    not (METERS / "labels.jsonl").is_file(), reason=f"meter digits not found at {METERS}"
)


@pytest.mark.parametrize(
    ("value", "group"),
    [
        ("powermeter/ISKRA.T3F-01S1_20250630/20230604", "iskra t3f 01s1"),
        ("powermeter/ISKRA T3F-01S1", "iskra t3f 01s1"),
        ("powermeter/unknown/iotson/emeter1/20220516/00", "emeter1"),
        ("watermeter/Techem/V_DR/labeled_last14days", "v dr"),
        ("powermeter/betar/1", "betar 1"),
        ("new", "new"),
    ],
)
def test_group_name_removes_date_folders_so_one_meter_is_one_group(value: str, group: str) -> None:
    assert group_name(value) == group


def test_group_folds_keep_every_group_in_one_fold_and_are_seeded() -> None:
    # given 12 groups of different sizes
    groups = [f"g{i}" for i in range(12) for _ in range(i + 1)]
    # when split into 4 folds
    f = group_folds(groups, 4, seed=1)
    # then no group spans two folds, every fold is used, and the same seed gives the same
    g = np.array(groups)
    assert all(len(set(f[g == name])) == 1 for name in set(groups))
    assert set(f) == {0, 1, 2, 3}
    np.testing.assert_array_equal(f, group_folds(groups, 4, seed=1))
    with pytest.raises(DatasetError, match="at least 13 groups"):
        group_folds(groups, 13)


def test_group_split_holds_out_whole_groups_about_the_fraction() -> None:
    groups = [f"g{i % 10}" for i in range(200)]
    te = group_split(groups, test_fraction=0.25, seed=0)
    g = np.array(groups)
    assert not set(g[te]) & set(g[~te])
    assert 0.25 <= te.mean() <= 0.4
    assert not np.array_equal(te, group_split(groups, test_fraction=0.25, seed=1))


def test_choose_reject_threshold_keeps_false_rejections_within_the_budget() -> None:
    # given 100 glyphs with confidences 0.01..1.00 and 10 reject samples
    labels = ["7"] * 100 + [NOT_GLYPH] * 10
    chars = ["7"] * 100 + ["7"] * 5 + [NOT_GLYPH] * 5
    conf = np.concatenate([np.linspace(0.01, 1.0, 100), np.full(10, 0.2)]).astype(np.float32)
    # when the threshold may reject at most 3 % of the glyphs
    t = choose_reject_threshold(chars, conf, labels, max_false_reject=0.03)
    fr, cr = reject_rates(chars, conf, labels, t)
    # then exactly the three least confident glyphs go, and the doubtful rejects with them
    assert fr == pytest.approx(0.03)
    assert cr == pytest.approx(0.5)
    # and glyphs already called "not a glyph" use up the budget first
    chars2 = [NOT_GLYPH] * 5 + chars[5:]
    assert choose_reject_threshold(chars2, conf, labels, max_false_reject=0.03) == 0.0


def test_augment_images_is_seeded_and_keeps_the_shape() -> None:
    rng = np.random.default_rng(0)
    imgs = rng.integers(0, 255, (6, 20, 20), dtype=np.uint8)
    a = augment_images(imgs, 3, seed=5)
    assert a.shape == (18, 20, 20)
    assert a.dtype == np.uint8
    np.testing.assert_array_equal(a, augment_images(imgs, 3, seed=5))
    assert not np.array_equal(a[:6], imgs)
    assert augment_images(imgs, 0).shape == (0, 20, 20)


def test_photometric_augmenter_relights_without_moving_the_digit() -> None:
    # given a bright bar in a cell
    img = np.zeros((1, 20, 20), np.uint8)
    img[0, 4:16, 8:12] = 200
    ds = Dataset(("1",), ("x",), images=img)
    spec = FeatureSpec(kind="pixels", size=20)
    # when re-lit copies are made, and shifted ones
    photo, labels = make_augmenter(ds, spec, 6, kind="photometric")(np.array([0]))
    jitter, _ = make_augmenter(ds, spec, 6, kind="jitter")(np.array([0]))
    # then the bar's columns never move under "photometric" (they do under "jitter")
    col = lambda x: np.argmax(x.reshape(-1, 20, 20)[:, 10, :], axis=1)  # noqa: E731
    assert labels == ["1"] * 6
    assert set(col(photo)) <= {8, 9, 10, 11}
    assert len({tuple(r) for r in (jitter.reshape(6, -1) > 0.3)}) > 1
    with pytest.raises(DatasetError, match="augment-kind"):
        make_augmenter(ds, spec, 1, kind="warp")


def test_uhog_features_do_not_depend_on_polarity_and_existing_kinds_do() -> None:
    # given a bar drawn bright on dark and dark on bright
    img = np.zeros((20, 20), np.float32)
    img[4:16, 8:12] = 1.0
    pair = np.stack([img, 1.0 - img])
    u = glyph_features(pair, FEATURE_PRESETS["meter"])
    m = glyph_features(pair, FeatureSpec(kind="mhog", bins=8))
    assert u.shape == (2, FEATURE_PRESETS["meter"].length)
    np.testing.assert_allclose(u[0], u[1], atol=1e-6)
    assert not np.allclose(m[0], m[1])


def test_normalize_cell_stretches_the_whole_cell_ink_bright() -> None:
    cell = np.full((44, 24), 220, np.uint8)
    cell[8:36, 8:16] = 30  # a dark "1" on a light wheel
    out = normalize_cell(cell)
    assert out.shape == (20, 20)
    assert out[10, 10] > 200  # the stroke is bright
    assert out[1, 1] < 50
    with pytest.raises(DatasetError):
        normalize_cell(np.zeros((0, 5), np.uint8))


def _toy_groups() -> Dataset:
    rng = np.random.default_rng(0)
    imgs = rng.integers(0, 255, (8, 20, 20), dtype=np.uint8)
    return Dataset(
        tuple("01010101"),
        tuple(f"f{i}" for i in range(8)),
        images=imgs,
        groups=("a", "a", "b", "b", "c", "c", "d", "d"),
        provenance=({"import": "labels-jsonl", "group_key": "meter"},),
    )


def test_groups_survive_save_load_subset_and_merge(tmp_path: Path) -> None:
    ds = _toy_groups()
    back = load_dataset(save_dataset(ds, tmp_path / "g.npz"))
    assert back.groups == ds.groups
    assert ds.subset([0, 2]).groups == ("a", "b")
    plain = Dataset(("1",), ("x",), images=np.zeros((1, 20, 20), np.uint8))
    merged = merge_datasets([ds, plain])
    assert merged.groups is not None
    assert merged.groups[-1] == "part1"
    assert dataset_groups(ds, "meter") == ds.groups
    with pytest.raises(DatasetError, match="come from meter"):
        dataset_groups(ds, "camera")
    with pytest.raises(DatasetError, match="--group-key"):
        dataset_groups(plain, "meter")


def test_cli_split_by_group_writes_two_disjoint_parts(tmp_path: Path) -> None:
    src = save_dataset(_toy_groups(), tmp_path / "all.npz")
    res = CliRunner().invoke(
        app,
        [
            "dataset", "split", str(src), "--by", "meter", "--test-fraction", "0.25",
            "--train-out", str(tmp_path / "tr.npz"), "--test-out", str(tmp_path / "te.npz"),
        ],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    tr, te = load_dataset(tmp_path / "tr.npz"), load_dataset(tmp_path / "te.npz")
    assert len(tr) + len(te) == 8
    assert tr.groups is not None
    assert te.groups is not None
    assert not set(tr.groups) & set(te.groups)


def test_synthetic_cells_are_seeded_digit_cells() -> None:
    ds = synthetic_cells(2, seed=3)
    assert ds.counts() == {str(d): 2 for d in range(10)}
    assert ds.images is not None
    assert ds.images.shape == (20, 20, 20)
    assert ds.groups is None
    assert all(s.startswith("synthetic-cell:") for s in ds.sources)
    np.testing.assert_array_equal(ds.images, synthetic_cells(2, seed=3).images)
    assert synthetic_cells(1, rejects=True).counts()[NOT_GLYPH] == 1
    with pytest.raises(DatasetError, match="per-class"):
        synthetic_cells(0)
    with pytest.raises(DatasetError, match="no TrueType"):
        synthetic_cells(1, font_roots=("/nonexistent",))


def test_extra_samples_join_every_training_side_but_are_never_measured() -> None:
    # given 8 samples of 4 groups, and extra samples that alone tell "0" from "1"
    ds = _toy_groups()
    rng = np.random.default_rng(1)
    imgs = rng.integers(0, 255, (6, 20, 20), dtype=np.uint8)
    extra = Dataset(tuple("010101"), tuple(f"e{i}" for i in range(6)), images=imgs)
    spec = FeatureSpec(kind="pixels", size=10)
    # when trained with them, cross-validated by group
    model, rep = train_dataset(
        ds, classifier="knn", spec=spec, params=Params(k=1), cv=2, group_by="meter", extra=extra
    )
    # then the CV folds hold the real samples only, and the model has all 14
    assert rep.n_train == 8
    assert len(rep.cv_folds) == 2
    assert model.provenance["n_extra"] == 6
    bad = Dataset(("7",), ("x",), images=imgs[:1])
    with pytest.raises(DatasetError, match="classes the training data lacks"):
        train_dataset(ds, classifier="knn", spec=spec, extra=bad)


def test_a_meter2_model_records_its_features_and_reads_the_same_after_loading(
    tmp_path: Path,
) -> None:
    ds = _toy_groups()
    model, _ = train_dataset(ds, classifier="svm", spec=FEATURE_PRESETS["meter2"])
    back = load_model(save_model(model, tmp_path / "m.npz"))
    assert back.spec == FeatureSpec(kind="lhog", bins=8)
    x, _ = dataset_matrix(ds, back.spec)
    assert back.predict(x).chars == model.predict(x).chars


def test_cli_synth_cells_writes_a_dataset(tmp_path: Path) -> None:
    out = tmp_path / "syn.npz"
    res = CliRunner().invoke(app, ["dataset", "synth-cells", "--per-class", "1", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert len(load_dataset(out)) == 10
    # and `train --extra` takes it (here refused: the toy data has only 0 and 1)
    toy = save_dataset(_toy_groups(), tmp_path / "toy.npz")
    res = CliRunner().invoke(app, ["train", str(toy), "--extra", str(out)])
    assert isinstance(res.exception, DatasetError)  # `main` prints it as one line
    assert "classes the training data lacks" in str(res.exception)


@pytest.fixture(scope="module")
def meters() -> Dataset:
    return import_dataset(METERS, "labels-jsonl", crop="cell", group_key="meter")


@needs_meters
def test_meter_import_keeps_rejects_and_meters(meters: Dataset) -> None:
    assert meters.groups is not None
    assert len(set(meters.groups)) >= 20
    counts = meters.counts()
    assert counts[NOT_GLYPH] == 245
    assert sum(counts.values()) == 1879


@needs_meters
def test_meter_digits_on_unseen_meters(meters: Dataset) -> None:
    # given a split by meter: no meter is on both sides
    assert meters.groups is not None
    te = group_split(meters.groups, test_fraction=0.25, seed=0)
    train, test = meters.subset(~te), meters.subset(te)
    assert train.groups is not None
    assert test.groups is not None
    assert not set(train.groups) & set(test.groups)
    # when an SVM on locally standardized gray-cell features ("meter2") learns the digits
    # and the in-between wheels ("_"), with 2 re-lit copies of each training cell, C and
    # gamma as the grouped search on these training meters picks them, and the reject
    # threshold chosen on folds of the training meters only
    _, rep = train_dataset(
        train,
        classifier="svm",
        spec=FEATURE_PRESETS["meter2"],
        params=Params(c=3.0, gamma=0.49),
        test=test,
        group_by="meter",
        augment=2,
        augment_kind="photometric",
        max_false_reject=0.02,
        seed=0,
    )
    # then on the other meters (measured: 96.5 % of digits read, 97.5 % of in-between
    # wheels and 1.7 % of digits rejected) — "meter" features (unsigned HOG of the
    # stretched cell) read 94.6 %, the old ink-crop + mhog pipeline 75 %
    assert rep.test_glyph_accuracy is not None
    assert rep.test_glyph_accuracy >= 0.95
    assert rep.test_correct_reject is not None
    assert rep.test_correct_reject >= 0.90
    assert rep.test_false_reject is not None
    assert rep.test_false_reject <= 0.03


@needs_meters
def test_drawn_cells_teach_digit_designs_no_training_meter_shows(meters: Dataset) -> None:
    # given the split by meter (seed 1) whose test side holds meters of designs no training
    # meter shares (an italic face, a small digit in a tall window)
    assert meters.groups is not None
    te = group_split(meters.groups, test_fraction=0.25, seed=1)
    train, test = meters.subset(~te), meters.subset(te)
    common: dict[str, Any] = {
        "classifier": "svm",
        "spec": FEATURE_PRESETS["meter2"],
        "params": Params(c=3.0, gamma=0.94),  # what the grouped search picks on this side
        "test": test,
        "group_by": "meter",
        "augment": 2,
        "augment_kind": "photometric",
        "seed": 0,
    }
    _, alone = train_dataset(train, **common)
    # when 3,000 drawn cells (installed fonts, digits 40..85 % of the cell's height) join
    # the training side, with the reject threshold chosen on folds of the training meters
    drawn = synthetic_cells(300, seed=0, min_height=0.4)
    _, rep = train_dataset(train, extra=drawn, max_false_reject=0.01, **common)
    # then many more digits of the unseen meters are read (measured: 88.5 -> 95.8 %), and
    # the in-between wheels are still rejected (measured: all 22)
    assert alone.test_glyph_accuracy is not None
    assert rep.test_glyph_accuracy is not None
    assert rep.test_glyph_accuracy >= 0.94
    assert rep.test_glyph_accuracy >= alone.test_glyph_accuracy + 0.05
    assert rep.test_correct_reject is not None
    assert rep.test_correct_reject >= 0.9
    assert rep.test_false_reject is not None
    assert rep.test_false_reject <= 0.05


def test_synthetic_cells_min_height_draws_smaller_digits() -> None:
    # given the same seed drawn with the default digit heights and with smaller ones
    tall = synthetic_cells(3, seed=2)
    small = synthetic_cells(3, seed=2, min_height=0.3)
    assert tall.images is not None
    assert small.images is not None

    # then the small ones leave more of the cell's rows without ink (the digit is shorter;
    # the ink is bright after `normalize_cell`, whatever the drawn polarity)
    def inked_rows(images: np.ndarray) -> float:
        return float((images.max(axis=2) > 128).sum(axis=1).mean())

    assert inked_rows(small.images) < inked_rows(tall.images)
    # and the recipe is recorded only when it differs from the default
    assert small.provenance[0]["min_height"] == 0.3
    assert "min_height" not in tall.provenance[0]
    with pytest.raises(DatasetError, match="min-height"):
        synthetic_cells(1, min_height=0.9)


def test_synthetic_blank_cells_are_rejects_drawn_after_the_digits() -> None:
    # given the same seed with and without blank cells
    plain = synthetic_cells(2, seed=3)
    with_blanks = synthetic_cells(2, seed=3, blanks=5)
    # then the blanks are five more "not a glyph" samples, named as such
    assert with_blanks.counts() == {**plain.counts(), NOT_GLYPH: 5}
    assert with_blanks.sources[-5:] == ("synthetic-cell:blank",) * 5
    assert with_blanks.provenance[0]["blanks"] == 5
    # and the digit cells before them are the ones drawn without blanks
    assert with_blanks.images is not None
    assert plain.images is not None
    np.testing.assert_array_equal(with_blanks.images[:20], plain.images)
    # and a blank holds no digit-sized ink: its ink hugs the sides or is faint texture
    centre = with_blanks.images[-5:, 6:14, 6:14].astype(np.float32)
    edges = with_blanks.images[:20, 6:14, 6:14].astype(np.float32)
    assert centre.std(axis=(1, 2)).mean() < edges.std(axis=(1, 2)).mean()


def test_train_pca_composes_with_the_feature_scaling() -> None:
    # given image features (not standardized by `fit`) far from zero, whose classes differ
    # in a few columns, and vector features (standardized first)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 300)
    x = rng.normal(50, 10, (300, 12)).astype(np.float32)
    x[:, :3] += (y[:, None] * 25).astype(np.float32)
    for spec in (FeatureSpec(kind="pixels", size=10), FeatureSpec(kind="vector", dim=12)):
        _check_pca(x, y, spec)


def _check_pca(x: np.ndarray, y: np.ndarray, spec: FeatureSpec) -> None:
    labels = tuple(str(v) for v in y)
    train_x, test_x = x[:200], x[200:]
    # when trained on 4 principal components of the scaled features
    model = fit(train_x, labels[:200], spec=spec, classifier="svm", params=Params(pca=4))
    # then the model projects to 4 components and reads the held-out rows as well as
    # one that keeps all twelve (the scaling and the PCA centre are composed right)
    assert model.projection is not None
    assert model.projection.shape == (12, 4)
    full = fit(train_x, labels[:200], spec=spec, classifier="svm")
    acc = np.mean(np.array(model.predict(test_x).chars) == np.array(labels[200:]))
    acc_full = np.mean(np.array(full.predict(test_x).chars) == np.array(labels[200:]))
    assert acc >= 0.85, (acc, acc_full)
    assert acc >= acc_full - 0.05, (acc, acc_full)
