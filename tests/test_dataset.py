"""Dataset file format, importers, merge/replace, export, mosaic, uncertain crops."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from digitcam.dataset import (
    DATASET_VERSION,
    Dataset,
    class_mosaic,
    import_dataset,
    load_dataset,
    merge_datasets,
    normalize_crop,
    parse_rows,
    read_uncertain,
    replace_sources,
    save_dataset,
    save_uncertain_crop,
    uci_rows,
)
from digitcam.errors import DatasetError
from digitcam.features import FeatureSpec
from digitcam.types import NOT_GLYPH, Box

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
if not DATA.is_dir():
    DATA = Path("/work/shared/data")
DIGITS = DATA / "digits.png"
LETTERS = DATA / "letter-recognition.data"
PI = DATA / "real" / "simpleocr_pi_digits"
needs_data = pytest.mark.skipif(not DIGITS.is_file(), reason=f"shared data not found at {DATA}")


def _images_ds(n: int = 6, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    return Dataset(
        labels=tuple(str(i % 3) for i in range(n)),
        sources=tuple(f"img{seed}.png#{i},0,5,9" for i in range(n)),
        images=rng.integers(0, 256, (n, 20, 20), dtype=np.uint8),
    )


def test_save_then_load_round_trips_images_labels_sources(tmp_path: Path) -> None:
    # given a dataset of images
    ds = _images_ds()
    # when saved and loaded
    path = save_dataset(ds, tmp_path / "d.npz")
    back = load_dataset(path)
    # then everything comes back, and no temp file is left behind
    assert back.labels == ds.labels
    assert back.sources == ds.sources
    np.testing.assert_array_equal(back.images, ds.images)
    assert [p.name for p in tmp_path.iterdir()] == ["d.npz"]


def test_save_then_load_round_trips_feature_vectors(tmp_path: Path) -> None:
    ds = Dataset(
        ("A", "B"),
        ("x:1", "x:2"),
        features=np.arange(32, dtype=np.float32).reshape(2, 16),
        spec=FeatureSpec(kind="vector", dim=16),
    )
    back = load_dataset(save_dataset(ds, tmp_path / "f.npz"))
    assert back.images is None
    assert back.spec == ds.spec
    np.testing.assert_array_equal(back.features, ds.features)


def test_file_is_loadable_without_pickle_and_states_format_and_version(tmp_path: Path) -> None:
    save_dataset(_images_ds(), tmp_path / "d.npz")
    with np.load(tmp_path / "d.npz", allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
    assert meta["format"] == "digitcam-dataset"
    assert meta["version"] == DATASET_VERSION


def test_dataset_of_another_version_is_a_one_line_error(tmp_path: Path) -> None:
    p = tmp_path / "old.npz"
    meta = {"format": "digitcam-dataset", "version": 99}
    np.savez(
        p,
        meta=np.array(json.dumps(meta)),
        labels=np.array(["1"]),
        sources=np.array(["s"]),
        images=np.zeros((1, 20, 20), np.uint8),
    )
    with pytest.raises(DatasetError, match="version 99") as exc:
        load_dataset(p)
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize(
    ("content", "match"),
    [(b"not a zip", "not a readable"), (None, "not found")],
)
def test_bad_dataset_files_are_dataset_errors(
    tmp_path: Path, content: bytes | None, match: str
) -> None:
    p = tmp_path / "bad.npz"
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(DatasetError, match=match):
        load_dataset(p)


def test_model_file_is_not_taken_for_a_dataset(tmp_path: Path) -> None:
    p = tmp_path / "m.npz"
    np.savez(p, meta=np.array(json.dumps({"format": "digitcam-model", "version": 1})))
    with pytest.raises(DatasetError, match="not a digitcam dataset"):
        load_dataset(p)


def test_replace_sources_updates_instead_of_duplicating() -> None:
    # given a dataset, and the same glyphs labelled again differently
    old = _images_ds()
    new = Dataset(tuple("9" for _ in old.labels[:2]), old.sources[:2], images=old.images[:2])
    # when the new labels are merged in
    out = replace_sources(old, new)
    # then the count is unchanged and the two glyphs carry the new label
    assert len(out) == len(old)
    got = dict(zip(out.sources, out.labels, strict=True))
    assert got[old.sources[0]] == "9"
    assert got[old.sources[1]] == "9"
    assert got[old.sources[2]] == old.labels[2]


def test_merge_needs_a_common_representation() -> None:
    vec = Dataset(
        ("A",),
        ("x:1",),
        features=np.zeros((1, 16), np.float32),
        spec=FeatureSpec(kind="vector", dim=16),
    )
    assert len(merge_datasets([_images_ds(3), _images_ds(4, seed=1)])) == 7
    with pytest.raises(DatasetError, match="neither"):
        merge_datasets([_images_ds(), vec])
    with pytest.raises(DatasetError, match="nothing to merge"):
        merge_datasets([])


def test_parse_rows() -> None:
    assert parse_rows("10:20") == slice(10, 20)
    assert parse_rows(":5") == slice(None, 5)
    assert parse_rows(None) is None
    with pytest.raises(DatasetError, match="A:B"):
        parse_rows("ten")
    with pytest.raises(DatasetError, match="after the start"):
        parse_rows("5:5")


@needs_data
def test_import_opencv_digits_labels_by_row_block() -> None:
    ds = import_dataset(DIGITS, "opencv-digits", rows=slice(495, 505))
    assert ds.labels == ("0",) * 5 + ("1",) * 5
    assert ds.images is not None
    assert ds.images.shape == (10, 20, 20)
    assert ds.sources[0].endswith("#r4,c95")


def test_import_uci_letters_reports_the_bad_line(tmp_path: Path) -> None:
    p = tmp_path / "l.data"
    p.write_text("A,1,2,3\nB,4,x,6\n")
    with pytest.raises(DatasetError, match=r"l\.data:2: feature 'x' is not a number"):
        import_dataset(p, "uci-letters")
    p.write_text("A,1,2,3\nB,4,5\n")
    with pytest.raises(DatasetError, match=r":2: expected 3 features"):
        import_dataset(p, "uci-letters")


def test_import_of_nothing_is_an_empty_dataset_error(tmp_path: Path) -> None:
    p = tmp_path / "l.data"
    p.write_text("A,1,2,3\n")
    with pytest.raises(DatasetError, match="no samples"):
        import_dataset(p, "uci-letters", rows=slice(5, 9))


@needs_data
def test_uci_export_then_import_round_trips(tmp_path: Path) -> None:
    ds = import_dataset(LETTERS, "uci-letters", rows=slice(0, 50))
    out = tmp_path / "mine.data"
    out.write_text("\n".join(uci_rows(ds.labels, ds.features)) + "\n")
    back = import_dataset(out, "uci-letters")
    assert back.labels == ds.labels
    np.testing.assert_array_equal(back.features, ds.features)
    assert out.read_text().splitlines()[0] == LETTERS.read_text().splitlines()[0]


@needs_data
def test_import_labels_jsonl_with_boxes_gives_one_sample_per_box() -> None:
    ds = import_dataset(PI, "labels-jsonl")
    assert len(ds) == 225
    assert ds.labels[:5] == ("3", "1", "4", "1", "5")


def test_import_folders_one_class_per_subfolder(tmp_path: Path) -> None:
    for cls in ("1", "7", "_"):
        (tmp_path / cls).mkdir()
        img = np.full((40, 24), 230, np.uint8)
        cv2.putText(img, cls if cls != "_" else "x", (3, 32), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 20, 2)
        cv2.imwrite(str(tmp_path / cls / "a.png"), img)
    ds = import_dataset(tmp_path, "folders")
    assert ds.labels == ("1", "7", NOT_GLYPH)


def test_normalize_crop_makes_ink_bright_whatever_the_polarity() -> None:
    dark_on_light = np.full((40, 24), 220, np.uint8)
    cv2.line(dark_on_light, (12, 5), (12, 35), 20, 3)
    a = normalize_crop(dark_on_light)
    b = normalize_crop(255 - dark_on_light)
    assert a.shape == (20, 20)
    assert a.dtype == np.uint8
    # the stroke (centre column) is bright in both, the corners dark
    for g in (a, b):
        assert g[10, 10] > 150
        assert g[1, 1] < 60


def test_class_mosaic_has_one_row_per_class() -> None:
    img = class_mosaic(_images_ds(9), per_class=4)
    assert img.ndim == 3
    assert img.shape[2] == 3
    assert img.shape[0] == 3 * (40 + 14 + 4)


def test_saved_uncertain_crops_are_listed_for_labelling(tmp_path: Path) -> None:
    patch = np.zeros((30, 18), np.float32)
    patch[5:25, 8:11] = 0.7
    p1 = save_uncertain_crop(
        tmp_path, patch, frame_ref="cam0#12", box=Box(3, 4, 18, 30), guess="1", confidence=0.41
    )
    p2 = save_uncertain_crop(tmp_path, patch, frame_ref="cam0#12", box=Box(3, 4, 18, 30))
    recs = read_uncertain(tmp_path)
    assert p1 != p2
    assert [r["file"] for r in recs] == [p1.name, p2.name]
    assert recs[0]["box"] == [3, 4, 18, 30]
    assert recs[0]["guess"] == "1"
    assert cv2.imread(str(p1), cv2.IMREAD_GRAYSCALE).max() == 255
