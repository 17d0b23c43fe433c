"""Labelled glyph datasets: the file format, importers, merge, export, mosaic.

Dataset file (`.npz`, loaded with `allow_pickle=False`, so never a pickle), version 1:
    meta      0-d unicode array holding JSON: {"format": "digitcam-dataset", "version": 1,
              "n": N, "feature_spec": {...} or null, "provenance": [...]}.
    labels    N unicode strings, one class name per sample ("7", "A", "_" = not a glyph).
    sources   N unicode strings: where each sample came from, `PATH#x,y,w,h` for a glyph cut
              from an image, `PATH:LINE` for a CSV row, `PATH#rR,cC` for a grid cell.
    images    optional N x 20 x 20 uint8: the normalized glyph (`features.normalize_glyph`),
              ink bright, 0..255.
    features  optional N x D float32: precomputed feature vectors (UCI letters); the
              `feature_spec` in meta says what they are.
    groups    optional N unicode strings: which group (camera, meter) each sample came
              from, for splits and cross-validation that keep a group on one side; meta's
              "group_key" says which record key they came from. (Added within version 1:
              files without it load as before.)

At least one of `images` and `features` is present. Functions here are pure except the
few named `load_*`, `save_*`, `import_*` and `save_uncertain_crop`, which do the file I/O.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from digitcam.errors import DatasetError
from digitcam.features import NORM_SIZE, FeatureSpec, normalize_glyph
from digitcam.types import NOT_GLYPH, Box

DATASET_FORMAT = "digitcam-dataset"
DATASET_VERSION = 1
IMPORT_FORMATS = ("opencv-digits", "uci-letters", "labels-jsonl", "folders")
EXPORT_FORMATS = ("uci-letters",)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp")
#: Name of the index file `save_uncertain_crop` appends to (and `label DIR` reads).
UNCERTAIN_INDEX = "uncertain.jsonl"


@dataclass(frozen=True, eq=False)
class Dataset:
    """N labelled samples: normalized glyph images and/or feature vectors.

    Attributes:
        labels: N class names.
        sources: N source references (see the module docstring).
        images: N x 20 x 20 uint8 (ink bright) or None.
        features: N x D float32 or None.
        spec: what `features` are (a "vector" spec for precomputed statistics), or None.
        provenance: how the dataset was made (importer, file, rows), oldest first.
        groups: N group names (the meter or camera of each sample), or None.
    """

    labels: tuple[str, ...]
    sources: tuple[str, ...]
    images: NDArray[np.uint8] | None = None
    features: NDArray[np.float32] | None = None
    spec: FeatureSpec | None = None
    provenance: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    groups: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        n = len(self.labels)
        if len(self.sources) != n:
            raise DatasetError(f"dataset has {n} labels but {len(self.sources)} sources")
        if self.images is None and self.features is None:
            raise DatasetError("a dataset needs glyph images, feature vectors, or both")
        if self.images is not None and (
            self.images.dtype != np.uint8 or self.images.shape != (n, NORM_SIZE, NORM_SIZE)
        ):
            raise DatasetError(
                f"dataset images must be uint8 {n}x{NORM_SIZE}x{NORM_SIZE}, got "
                f"{self.images.dtype} {self.images.shape}"
            )
        if self.features is not None and (self.features.ndim != 2 or len(self.features) != n):
            raise DatasetError(f"dataset features must be {n} x D, got shape {self.features.shape}")
        if self.features is not None and self.spec is None:
            raise DatasetError("dataset features need a feature spec saying what they are")
        if self.groups is not None and len(self.groups) != n:
            raise DatasetError(f"dataset has {n} labels but {len(self.groups)} groups")

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def classes(self) -> tuple[str, ...]:
        """Distinct labels, sorted."""
        return tuple(sorted(set(self.labels)))

    def counts(self) -> dict[str, int]:
        """Samples per class, classes sorted."""
        c = Counter(self.labels)
        return {k: c[k] for k in sorted(c)}

    def subset(self, index: Sequence[int] | NDArray[Any]) -> Dataset:
        """The samples at `index` (ints or a boolean mask), in that order."""
        ix = np.asarray(index)
        idx = np.arange(len(self))[ix if ix.dtype == bool else ix.astype(np.intp)]
        return Dataset(
            labels=tuple(self.labels[i] for i in idx),
            sources=tuple(self.sources[i] for i in idx),
            images=None if self.images is None else self.images[idx],
            features=None if self.features is None else self.features[idx],
            spec=self.spec,
            provenance=self.provenance,
            groups=None if self.groups is None else tuple(self.groups[i] for i in idx),
        )


def empty_dataset() -> Dataset:
    """A dataset with no samples (images kind), the start of a labelling session."""
    return Dataset((), (), images=np.zeros((0, NORM_SIZE, NORM_SIZE), np.uint8))


# --------------------------------------------------------------------------- file format


def save_dataset(ds: Dataset, path: str | os.PathLike[str]) -> Path:
    """Write a dataset file atomically (temp file in the same folder, then rename).

    A crash or Ctrl-C during the write leaves the previous file intact.
    """
    path = Path(path)
    meta = {
        "format": DATASET_FORMAT,
        "version": DATASET_VERSION,
        "n": len(ds),
        "feature_spec": None if ds.spec is None else json.loads(ds.spec.to_json()),
        "provenance": list(ds.provenance),
    }
    arrays: dict[str, Any] = {
        "meta": np.array(json.dumps(meta, sort_keys=True)),
        "labels": np.array(ds.labels, dtype=str) if len(ds) else np.zeros(0, "<U1"),
        "sources": np.array(ds.sources, dtype=str) if len(ds) else np.zeros(0, "<U1"),
    }
    if ds.images is not None:
        arrays["images"] = ds.images
    if ds.features is not None:
        arrays["features"] = ds.features.astype(np.float32)
    if ds.groups is not None:
        arrays["groups"] = np.array(ds.groups, dtype=str) if len(ds) else np.zeros(0, "<U1")
    return _write_atomic(
        path, "wb", lambda fh: np.savez_compressed(fh, **arrays), what="the dataset to "
    )


def _write_atomic(path: Path, mode: str, write: Callable[[Any], object], *, what: str = "") -> Path:
    """Write a file atomically: a temp file in the same folder, fsync, then rename.

    A crash, Ctrl-C or full disk leaves the previous file as it was (and no temp file);
    an OS error becomes a one-line `DatasetError`.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise DatasetError(f"cannot write {what}{path}: {_os_why(exc)}") from None
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise DatasetError(f"cannot write {what}{path}: {_os_why(exc)}") from None
        raise
    return path


def _os_why(exc: OSError) -> str:
    """One line on why a write failed (the previous file, if any, is untouched)."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full (the previous file, if any, is untouched)"
    return f"{exc.strerror or exc} (the previous file, if any, is untouched)"


def load_dataset(path: str | os.PathLike[str]) -> Dataset:
    """Read a dataset file.

    Raises:
        DatasetError: missing, not a dataset, damaged, or another format version.
    """
    p = Path(path)
    if not p.is_file():
        raise DatasetError(f"dataset file not found: {p}")
    try:
        with np.load(p, allow_pickle=False) as z:
            if "meta" not in z.files:
                raise DatasetError(f"{p} is not a digitcam dataset (no 'meta' entry)")
            meta = json.loads(str(z["meta"]))
            data = {k: z[k] for k in z.files if k != "meta"}
    except DatasetError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, json.JSONDecodeError) as exc:
        raise DatasetError(f"{p} is not a readable digitcam dataset ({_short(exc)})") from None
    if not isinstance(meta, dict) or meta.get("format") != DATASET_FORMAT:
        fmt = meta.get("format") if isinstance(meta, dict) else None
        raise DatasetError(f"{p} is not a digitcam dataset (format {fmt!r})")
    if meta.get("version") != DATASET_VERSION:
        raise DatasetError(
            f"{p} is dataset format version {meta.get('version')}; this digitcam reads "
            f"version {DATASET_VERSION}"
        )
    try:
        spec_d = meta.get("feature_spec")
        return Dataset(
            labels=tuple(str(s) for s in data["labels"]),
            sources=tuple(str(s) for s in data["sources"]),
            images=data.get("images"),
            features=None if "features" not in data else data["features"].astype(np.float32),
            spec=None if spec_d is None else FeatureSpec.from_dict(spec_d),
            provenance=tuple(meta.get("provenance", ())),
            groups=tuple(str(g) for g in data["groups"]) if "groups" in data else None,
        )
    except DatasetError as exc:
        raise DatasetError(f"{p}: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise DatasetError(f"{p} is a damaged digitcam dataset ({_short(exc)})") from None


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


def merge_datasets(parts: Sequence[Dataset]) -> Dataset:
    """Concatenate datasets. Images are kept if every part has them; features if every part
    has them with the same spec; at least one of the two must survive.

    Raises:
        DatasetError: nothing to merge, or parts that share neither images nor features.
    """
    if not parts:
        raise DatasetError("nothing to merge: no datasets given")
    if len(parts) == 1:
        return parts[0]
    images = None
    if all(p.images is not None for p in parts):
        images = np.concatenate([p.images for p in parts])  # type: ignore[misc]
    features, spec = None, None
    specs = {p.spec for p in parts}
    if all(p.features is not None for p in parts) and len(specs) == 1:
        spec = parts[0].spec
        features = np.concatenate([p.features for p in parts])  # type: ignore[misc]
    if images is None and features is None:
        raise DatasetError(
            "cannot merge: the datasets share neither glyph images nor features of one spec "
            f"(specs: {sorted(s.to_json() if s else 'images' for s in specs)})"
        )
    groups = None
    if any(p.groups is not None for p in parts):
        # A part without groups gets one group of its own (its samples stay together).
        groups = tuple(
            g
            for i, p in enumerate(parts)
            for g in (p.groups if p.groups is not None else (f"part{i}",) * len(p))
        )
    return Dataset(
        labels=tuple(lab for p in parts for lab in p.labels),
        sources=tuple(s for p in parts for s in p.sources),
        images=images,
        features=features,
        spec=spec,
        provenance=tuple(x for p in parts for x in p.provenance),
        groups=groups,
    )


def replace_sources(ds: Dataset, new: Dataset) -> Dataset:
    """`ds` with every sample whose source is in `new` replaced, and `new`'s others added.

    This is how labelling the same image again updates rather than duplicates.
    """
    drop = set(new.sources)
    keep = [i for i, s in enumerate(ds.sources) if s not in drop]
    base = ds.subset(keep)
    if len(base) == 0:
        return Dataset(
            new.labels,
            new.sources,
            new.images,
            new.features,
            new.spec,
            ds.provenance + new.provenance,
            new.groups,
        )
    return merge_datasets([base, new])


# --------------------------------------------------------------------------- normalization


def to_uint8(norm: NDArray[np.float32]) -> NDArray[np.uint8]:
    """A 0..1 float glyph (or batch) as 0..255 uint8."""
    return np.clip(np.rint(np.asarray(norm) * 255.0), 0, 255).astype(np.uint8)


def images_as_float(images: NDArray[np.uint8]) -> NDArray[np.float32]:
    """N x 20 x 20 uint8 dataset images as the 0..1 float32 `glyph_features` expects."""
    return images.astype(np.float32) / 255.0


def normalize_crop(crop: NDArray[Any]) -> NDArray[np.uint8]:
    """Normalize a whole-glyph crop (a meter digit cell, a folder image) to 20×20.

    Gray; polarity decided by comparing the centre's extremes with the border (the border
    is mostly background, so ink is what the centre has and the border lacks); contrast
    stretched so the background is 0; padded to a square with its aspect kept.

    Args:
        crop: HxW gray or HxWx3 BGR, any dtype.

    Returns:
        20x20 uint8, ink bright.
    """
    g = np.asarray(crop)
    if g.ndim == 3:
        g = cv2.cvtColor(g[:, :, :3].astype(np.uint8), cv2.COLOR_BGR2GRAY)
    if g.ndim != 2 or g.size == 0:
        raise DatasetError(f"a glyph crop must be a non-empty image, got shape {g.shape}")
    g = g.astype(np.float32)
    h, w = g.shape
    b = max(1, min(h, w) // 8)
    border = np.concatenate([g[:b].ravel(), g[-b:].ravel(), g[:, :b].ravel(), g[:, -b:].ravel()])
    centre = g[h // 4 : max(h // 4 + 1, 3 * h // 4), w // 4 : max(w // 4 + 1, 3 * w // 4)]
    bg = float(np.median(border))
    if float(np.percentile(centre, 90)) - bg < bg - float(np.percentile(centre, 10)):
        g = g.max() - g
    lo, hi = np.percentile(g, [30, 99.5])
    g = np.clip((g - lo) / max(float(hi - lo), 1e-6), 0, 1)
    return to_uint8(normalize_glyph(g, fill=NORM_SIZE))


#: How a whole crop becomes a 20x20 sample: "glyph" (`normalize_crop`: the ink, aspect kept)
#: or "cell" (`normalize_cell`: the whole cell stretched, for meter wheels and LCD digits).
CROP_MODES = ("glyph", "cell")


def normalize_cell(crop: NDArray[Any], *, trim: float = 0.08) -> NDArray[np.uint8]:
    """Normalize a digit *cell* (one wheel window or LCD position) to 20×20, gray.

    Meter crops are cut by a fixed layout, not around the ink: the digit fills most of the
    cell, neighbouring wheels and the window's frame show at the edges, and the polarity
    varies from meter to meter. So the cell is used whole: `trim` of each side is cut off
    (the frame edges), the rest is stretched to 20×20 (every cell has about the same
    aspect, so stretching loses nothing and keeps the most pixels), and the contrast is
    stretched between the 2nd and 98th percentile. The gray levels are kept (no threshold);
    the polarity is turned ink-bright when the cell is mostly bright (for mosaics and the
    signed features), but the "uhog" features do not depend on it.

    Args:
        crop: HxW gray or HxWx3 BGR, any dtype.
        trim: fraction of the width and height cut from each side (0 <= trim < 0.5).

    Returns:
        20x20 uint8.
    """
    g = np.asarray(crop)
    if g.ndim == 3:
        g = cv2.cvtColor(g[:, :, :3].astype(np.uint8), cv2.COLOR_BGR2GRAY)
    if g.ndim != 2 or g.size == 0:
        raise DatasetError(f"a digit cell must be a non-empty image, got shape {g.shape}")
    if not 0 <= trim < 0.5:
        raise DatasetError(f"cell trim must be in [0, 0.5), got {trim}")
    g = g.astype(np.float32)
    h, w = g.shape
    dy, dx = round(h * trim), round(w * trim)
    if h - 2 * dy >= 2 and w - 2 * dx >= 2:
        g = g[dy : h - dy, dx : w - dx]
    r = cv2.resize(g, (NORM_SIZE, NORM_SIZE), interpolation=cv2.INTER_AREA)
    lo, hi = np.percentile(r, [2, 98])
    r = np.clip((r - lo) / max(float(hi - lo), 1e-3), 0, 1)
    if float(np.median(r)) > 0.5:
        r = 1.0 - r
    return to_uint8(r)


def group_name(value: str) -> str:
    """The group (meter, camera) a record's key names, with date and hour folders removed.

    Public collections file one meter's images under `METER/20220517/04/...`, or rename a
    meter's folder with a date (`ISKRA.T3F-01S1_20250630`); a split that treats those as
    different meters would put one meter on both sides. The group is the last path segment
    that is not a date (8 digits), an hour (2 digits) or a `labeled_*` batch, with a date
    suffix removed, lowercased, and punctuation made spaces; a segment shorter than 3
    characters ("1") keeps its parent ("betar 1"). Different folders that end in the same
    name are merged: that can only make a split stricter.

    >>> group_name("powermeter/ISKRA.T3F-01S1_20250630/20230604")
    'iskra t3f 01s1'
    """
    segs = [
        t
        for t in str(value).replace("\\", "/").split("/")
        if t.strip() and not re.fullmatch(r"\d{2}|\d{8}|labeled_.*", t.strip())
    ]
    if not segs:
        return str(value).strip().lower()
    last = re.sub(r"[_ ]\d{8}$", "", segs[-1].strip())
    if len(last) < 3 and len(segs) > 1:
        last = f"{segs[-2]} {last}"
    return re.sub(r"[^a-z0-9]+", " ", last.lower()).strip() or last


# --------------------------------------------------------------------------- importers


def parse_rows(text: str | None) -> slice | None:
    """`A:B` (either side optional) as a slice of 0-based rows, or None for all rows."""
    if text is None or text == "":
        return None
    m = re.fullmatch(r"\s*(\d*)\s*:\s*(\d*)\s*", text)
    if not m:
        raise DatasetError(f"--rows must look like A:B (0-based, B excluded), got {text!r}")
    a = int(m.group(1)) if m.group(1) else None
    b = int(m.group(2)) if m.group(2) else None
    if a is not None and b is not None and b <= a:
        raise DatasetError(f"--rows {text}: the end must be after the start")
    return slice(a, b)


def import_dataset(
    src: str | os.PathLike[str],
    fmt: str,
    *,
    rows: slice | None = None,
    crop: str = "glyph",
    group_key: str | None = None,
) -> Dataset:
    """Import `src` in one of `IMPORT_FORMATS` (rows: a slice of the samples to keep).

    `crop` ("glyph" or "cell", see `CROP_MODES`) and `group_key` (a record key such as
    "meter", stored as the samples' groups via `group_name`) apply to labels-jsonl; `crop`
    also to folders.
    """
    if fmt not in IMPORT_FORMATS:
        raise DatasetError(f"import format must be one of {IMPORT_FORMATS}, got {fmt!r}")
    if crop not in CROP_MODES:
        raise DatasetError(f"crop mode must be one of {CROP_MODES}, got {crop!r}")
    if group_key is not None and fmt != "labels-jsonl":
        raise DatasetError(f"--group-key needs --format labels-jsonl, not {fmt}")
    if fmt == "labels-jsonl":
        ds = import_labels_jsonl(Path(src), rows=rows, crop=crop, group_key=group_key)
    elif fmt == "folders":
        ds = import_folders(Path(src), rows=rows, crop=crop)
    else:
        fn = {"opencv-digits": import_opencv_digits, "uci-letters": import_uci_letters}[fmt]
        ds = fn(Path(src), rows=rows)
    if len(ds) == 0:
        raise DatasetError(f"{src}: no samples imported (format {fmt}, rows {rows})")
    return ds


def _prov(fmt: str, src: Path, rows: slice | None) -> tuple[dict[str, Any], ...]:
    r = None if rows is None else f"{rows.start or ''}:{rows.stop or ''}"
    return ({"import": fmt, "source": str(src), "rows": r},)


def import_opencv_digits(path: Path, *, rows: slice | None = None) -> Dataset:
    """OpenCV's digits.png: 50 x 100 cells of 20x20, white on black, class = cell row // 5.

    Samples are numbered row-major (cell row, then column), so sample i has label i // 500.
    The cells are stored as they are (they are already centred 20x20 glyphs).
    """
    img = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if img is None:
        raise DatasetError(f"cannot read {path} as an image")
    if img.shape[0] % NORM_SIZE or img.shape[1] % NORM_SIZE:
        raise DatasetError(
            f"{path}: an opencv-digits sheet is a grid of {NORM_SIZE}x{NORM_SIZE} cells, "
            f"got a {img.shape[1]}x{img.shape[0]} image"
        )
    nr, nc = img.shape[0] // NORM_SIZE, img.shape[1] // NORM_SIZE
    per_class = nr // 10
    if per_class == 0:
        raise DatasetError(f"{path}: needs at least 10 cell rows (one block per digit)")
    cells = img.reshape(nr, NORM_SIZE, nc, NORM_SIZE).swapaxes(1, 2).reshape(-1, 20, 20)
    idx = np.arange(len(cells))[rows] if rows is not None else np.arange(len(cells))
    labels = tuple(str(min(9, (i // nc) // per_class)) for i in idx)
    sources = tuple(f"{path}#r{i // nc},c{i % nc}" for i in idx)
    return Dataset(
        labels,
        sources,
        images=np.ascontiguousarray(cells[idx]),
        provenance=_prov("opencv-digits", path, rows),
    )


def import_uci_letters(path: Path, *, rows: slice | None = None) -> Dataset:
    """UCI letter-recognition rows: `LABEL,f1,...,fD` (no header).

    Raises:
        DatasetError: unreadable file, or a bad row (says which line and why).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"cannot read {path} ({_short(exc)})") from None
    lines = [(i + 1, ln) for i, ln in enumerate(text.splitlines()) if ln.strip()]
    if rows is not None:
        lines = lines[rows]
    labels: list[str] = []
    feats: list[list[float]] = []
    sources: list[str] = []
    dim = None
    for lineno, ln in lines:
        parts = [p.strip() for p in ln.split(",")]
        if len(parts) < 2 or not parts[0]:
            raise DatasetError(f"{path}:{lineno}: expected LABEL,f1,...,fD, got {ln[:60]!r}")
        if dim is None:
            dim = len(parts) - 1
        if len(parts) - 1 != dim:
            raise DatasetError(
                f"{path}:{lineno}: expected {dim} features after the label, got {len(parts) - 1}"
            )
        try:
            feats.append([float(v) for v in parts[1:]])
        except ValueError:
            bad = next(v for v in parts[1:] if not _is_float(v))
            raise DatasetError(f"{path}:{lineno}: feature {bad!r} is not a number") from None
        labels.append(parts[0])
        sources.append(f"{path}:{lineno}")
    x = np.array(feats, np.float32).reshape(len(feats), dim or 0)
    return Dataset(
        tuple(labels),
        tuple(sources),
        features=x,
        spec=FeatureSpec(kind="vector", dim=dim or 0),
        provenance=_prov("uci-letters", path, rows),
    )


def _is_float(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    out = []
    for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not ln.strip():
            continue
        try:
            rec = json.loads(ln)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}:{i}: not JSON ({exc.msg})") from None
        if not isinstance(rec, dict) or "file" not in rec:
            raise DatasetError(f"{path}:{i}: expected an object with a 'file' key")
        rec["_line"] = i
        out.append(rec)
    return out


def _read_gray(path: Path) -> NDArray[np.uint8]:
    img = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if img is None:
        raise DatasetError(f"cannot read {path} as an image")
    return img


def import_labels_jsonl(
    folder: Path, *, rows: slice | None = None, crop: str = "glyph", group_key: str | None = None
) -> Dataset:
    """A folder with `labels.jsonl` (and optional `reject.jsonl`) as in shared/data/real.

    `digit-crop` records give one sample each (`normalize_crop`); records with `boxes`
    ([char, x, y, w, h], e.g. the pi page) give one sample per box, cut from the image.
    Reject records (`reject.jsonl`, empty text) are labelled `_` (not a glyph). Each
    sample's source is `FILE#x,y,w,h`. With `group_key` (e.g. "meter"), each record's value
    for that key becomes the sample's group (`group_name`; records without it: "").
    `crop="cell"` normalizes whole crops with `normalize_cell` instead of `normalize_crop`.
    """
    norm = normalize_cell if crop == "cell" else normalize_crop
    labels_path = folder / "labels.jsonl"
    if not labels_path.is_file():
        raise DatasetError(f"{folder}: no labels.jsonl (format labels-jsonl)")
    recs = [(r, False) for r in _read_jsonl(labels_path)]
    if (folder / "reject.jsonl").is_file():
        recs += [(r, True) for r in _read_jsonl(folder / "reject.jsonl")]
    if rows is not None:
        recs = recs[rows]
    labels: list[str] = []
    sources: list[str] = []
    images: list[NDArray[np.uint8]] = []
    groups: list[str] = []
    for rec, is_reject in recs:
        f = folder / rec["file"]
        gray = _read_gray(f)
        group = group_name(str(rec.get(group_key, ""))) if group_key else ""
        boxes = rec.get("boxes")
        if boxes:
            for ch, x, y, w, h in boxes:
                images.append(normalize_crop(gray[y : y + h, x : x + w]))
                labels.append(str(ch))
                sources.append(f"{f}#{x},{y},{w},{h}")
                groups.append(group)
            continue
        text = str(rec.get("text", ""))
        if is_reject or text == "":
            lab = NOT_GLYPH
        elif len(text) == 1:
            lab = text
        else:
            raise DatasetError(
                f"{labels_path}:{rec['_line']}: a crop needs a one-character text, got {text!r}"
            )
        images.append(norm(gray))
        labels.append(lab)
        sources.append(f"{f}#0,0,{gray.shape[1]},{gray.shape[0]}")
        groups.append(group)
    arr = np.stack(images) if images else np.zeros((0, NORM_SIZE, NORM_SIZE), np.uint8)
    prov = _prov("labels-jsonl", folder, rows)
    if crop != "glyph" or group_key:
        prov = ({**prov[0], "crop": crop, "group_key": group_key},)
    return Dataset(
        tuple(labels),
        tuple(sources),
        images=arr,
        provenance=prov,
        groups=tuple(groups) if group_key else None,
    )


def group_keys(folder: Path, key: str) -> dict[str, str]:
    """Map each image path of a labels-jsonl folder to its record's `key` (e.g. "meter")."""
    out = {}
    for name in ("labels.jsonl", "reject.jsonl"):
        p = folder / name
        if p.is_file():
            for rec in _read_jsonl(p):
                out[str(folder / rec["file"])] = str(rec.get(key, ""))
    return out


def import_folders(folder: Path, *, rows: slice | None = None, crop: str = "glyph") -> Dataset:
    """One sub-folder per class (`7/`, `A/`; `_/` or `reject/` = not a glyph) of crops."""
    norm = normalize_cell if crop == "cell" else normalize_crop
    if not folder.is_dir():
        raise DatasetError(f"{folder} is not a folder (format folders)")
    items = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        lab = NOT_GLYPH if sub.name in ("_", "reject", "not-a-glyph") else sub.name
        for f in sorted(sub.iterdir()):
            if f.suffix.lower() in IMAGE_SUFFIXES:
                items.append((lab, f))
    if rows is not None:
        items = items[rows]
    images = [norm(_read_gray(f)) for _, f in items]
    arr = np.stack(images) if images else np.zeros((0, NORM_SIZE, NORM_SIZE), np.uint8)
    return Dataset(
        tuple(lab for lab, _ in items),
        tuple(str(f) for _, f in items),
        images=arr,
        provenance=_prov("folders", folder, rows),
    )


# --------------------------------------------------------------------------- augmentation


def augment_images(
    images: NDArray[np.uint8],
    copies: int,
    *,
    seed: int = 0,
    shift: tuple[float, float] = (0.08, 0.10),
    scale: float = 0.08,
    contrast: float = 0.3,
    brightness: float = 0.15,
    blur: float = 0.3,
) -> NDArray[np.uint8]:
    """Randomly jittered copies of 20×20 samples (for training only), seeded.

    Each copy is shifted (up to `shift` = (x, y) of the side; the vertical shift mimics a
    wheel that has rolled a little), scaled by up to ±`scale`, its contrast and brightness
    changed by up to ±`contrast` and ±`brightness`, and blurred with probability `blur`.
    Borders are replicated, so a shifted cell does not get a black edge a real one lacks.

    Args:
        images: N x 20 x 20 uint8.
        copies: jittered copies per sample (0: none).

    Returns:
        (copies·N) x 20 x 20 uint8, copy-major: sample i's j-th copy is at j·N + i.
    """
    imgs = np.asarray(images)
    n = len(imgs)
    if copies <= 0 or n == 0:
        return np.zeros((0, NORM_SIZE, NORM_SIZE), np.uint8)
    rng = np.random.default_rng(seed)
    s = float(NORM_SIZE)
    out = np.empty((copies * n, NORM_SIZE, NORM_SIZE), np.uint8)
    src = imgs.astype(np.float32) / 255.0
    for j in range(copies):
        sc = 1.0 + rng.uniform(-scale, scale, n)
        tx = rng.uniform(-shift[0], shift[0], n) * s
        ty = rng.uniform(-shift[1], shift[1], n) * s
        cf = 1.0 + rng.uniform(-contrast, contrast, n)
        bf = rng.uniform(-brightness, brightness, n)
        bl = rng.random(n) < blur
        for i in range(n):
            m = np.float32(
                [[sc[i], 0, (1 - sc[i]) * s / 2 + tx[i]], [0, sc[i], (1 - sc[i]) * s / 2 + ty[i]]]
            )
            a = cv2.warpAffine(src[i], m, (NORM_SIZE, NORM_SIZE), borderMode=cv2.BORDER_REPLICATE)
            a = (a - 0.5) * cf[i] + 0.5 + bf[i]
            if bl[i]:
                a = cv2.GaussianBlur(a, (3, 3), 0.8)
            out[j * n + i] = to_uint8(np.clip(a, 0, 1))
    return out


# --------------------------------------------------------------------------- synthetic cells


def _font_digit(path: str, ch: str, px: int) -> NDArray[np.uint8] | None:
    """One character rendered with a TrueType/OpenType font, cut to its ink box (ink 255)."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (2 * px, 2 * px), 0)
    ImageDraw.Draw(img).text((px // 2, px // 4), ch, fill=255, font=ImageFont.truetype(path, px))
    a = np.asarray(img)
    ys, xs = np.nonzero(a > 60)
    if len(ys) == 0:
        return None
    return a[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


#: `synthetic_cells`' default smallest digit height (share of the cell's); the shipped
#: models' earlier recipes were drawn with it.
CELL_MIN_HEIGHT = 0.55


def synthetic_cells(
    per_class: int,
    *,
    seed: int = 0,
    rejects: bool = False,
    blanks: int = 0,
    min_height: float = CELL_MIN_HEIGHT,
    font_roots: Sequence[str] = ("/usr/share/fonts",),
) -> Dataset:
    """Seeded synthetic meter cells (`normalize_cell` samples) drawn with installed fonts.

    Real meter collections have few meters, so a model sees few digit designs; cells drawn
    in many fonts (upright TrueType faces and seven-segment faces, see `digitcam.synth`)
    teach it the digit shapes apart from any one meter's font. Each cell is a wheel window
    of random aspect (0.5..0.75) with the digit filling `min_height`..85 % of its height
    (55 % by default), shifted up
    or down by up to 8 % (a wheel that has rolled a little), half the time with the wheel's
    neighbouring digits peeking in above and below; with `rejects`, "not a glyph" cells
    are wheels half-way (35..65 %) between two digits. Then random background/ink gray
    levels, a lighting gradient, either polarity, blur and noise. The faces depend on the
    fonts installed, so the samples differ between machines with other fonts.

    Args:
        per_class: cells per digit 0-9 (and for "not a glyph" with `rejects`).
        seed: the random generator's seed.
        rejects: also draw in-between wheels. Off by default: on held-out meters they
            made the reject threshold throw away more real digits (docs/public-data.md).
        blanks: also draw this many blank cells as "not a glyph": an unlit display
            position — plain ground, half of them with the display's edge or corner along
            a side, some with a neighbour's bar at one edge. A reader that classifies whole
            crops must not find a digit in those.
        min_height: the smallest digit height, as a share of the cell's (0.2..0.85). Real
            wheel windows often show a small digit in a tall window with the frame around
            it: 0.4 read held-out meters better than 0.55 (docs/public-data.md); 0.55 is
            the default the shipped cell model was drawn with.
        font_roots: folders searched for font files.

    Returns:
        A dataset of 10·per_class (11·per_class with `rejects`) + `blanks` 20×20 cells,
        sources "synthetic-cell:FACE" ("synthetic-cell:blank"), no groups.

    Raises:
        DatasetError: per_class < 1, min_height out of range, or no usable font installed.
    """
    from digitcam.synth import seven_segment_faces, truetype_faces

    if per_class < 1:
        raise DatasetError(f"synthetic cells: --per-class must be >= 1, got {per_class}")
    if not 0.2 <= min_height <= 0.85:
        raise DatasetError(f"synthetic cells: --min-height must be in 0.2..0.85, got {min_height}")
    faces = [f for f in truetype_faces(font_roots) if not f.italic]
    faces += seven_segment_faces(font_roots)
    if not faces:
        raise DatasetError(f"synthetic cells: no TrueType/OpenType fonts under {font_roots}")
    rng = np.random.default_rng(seed)
    glyphs: dict[tuple[int, str], NDArray[np.uint8] | None] = {}
    h = 48  # drawn at about the size of a real crop, then normalized like one

    def paste(cell: NDArray[np.float32], face: int, ch: str, ch_h: int, dy: int) -> None:
        key = (face, ch)
        if key not in glyphs:
            glyphs[key] = _font_digit(str(faces[face].source), ch, 64)
        g = glyphs[key]
        if g is None:
            return
        w = cell.shape[1]
        gw = max(1, min(w - 2, round(g.shape[1] * ch_h / g.shape[0])))
        r = cv2.resize(g, (gw, ch_h), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
        y0 = (h - ch_h) // 2 + dy
        x0 = int(np.clip((w - gw) // 2 + int(rng.integers(-2, 3)), 0, w - gw))
        top, bottom = max(0, y0), min(h, y0 + ch_h)
        if bottom > top:
            part = r[top - y0 : bottom - y0]
            cell[top:bottom, x0 : x0 + gw] = np.maximum(cell[top:bottom, x0 : x0 + gw], part)

    images, labels, sources = [], [], []
    for lab in [*"0123456789", NOT_GLYPH] if rejects else "0123456789":
        for _ in range(per_class):
            face = int(rng.integers(len(faces)))
            ch_h = int(h * rng.uniform(min_height, 0.85))
            w = int(h * rng.uniform(0.5, 0.75))
            cell = np.zeros((h, w), np.float32)
            pitch = int(ch_h * rng.uniform(1.15, 1.45))  # digit spacing on the wheel
            if lab == NOT_GLYPH:
                d, f = int(rng.integers(10)), rng.uniform(0.35, 0.65)
                paste(cell, face, str(d), ch_h, -int(f * pitch))
                paste(cell, face, str((d + 1) % 10), ch_h, pitch - int(f * pitch))
            else:
                dy = int(h * rng.uniform(-0.08, 0.08))
                paste(cell, face, lab, ch_h, dy)
                if rng.random() < 0.5:
                    paste(cell, face, str((int(lab) + 1) % 10), ch_h, dy + pitch)
                    paste(cell, face, str((int(lab) - 1) % 10), ch_h, dy - pitch)
            images.append(_finish_cell(_light(cell, rng), rng))
            labels.append(lab)
            sources.append(f"synthetic-cell:{faces[face].name}")
    for _ in range(blanks):
        images.append(_finish_cell(_blank_cell(h, rng), rng))
        labels.append(NOT_GLYPH)
        sources.append("synthetic-cell:blank")
    prov = {
        "import": "synthetic-cells",
        "per_class": per_class,
        "seed": seed,
        "rejects": rejects,
        "faces": len(faces),
    }
    if blanks:
        prov["blanks"] = blanks
    if min_height != CELL_MIN_HEIGHT:  # recorded only when set: older recipes stay as they were
        prov["min_height"] = min_height
    return Dataset(tuple(labels), tuple(sources), images=np.stack(images), provenance=(prov,))


def _light(cell: NDArray[np.float32], rng: np.random.Generator) -> NDArray[np.float32]:
    """An HxW 0..1 ink map as a lit cell: random ground and ink levels, a gradient."""
    h, w = cell.shape
    bg, fg = rng.uniform(0.0, 0.5), rng.uniform(0.6, 1.0)
    img = bg + (fg - bg) * cell
    img += np.linspace(-1, 1, w)[None, :] * rng.uniform(-0.2, 0.2)
    img += np.linspace(-1, 1, h)[:, None] * rng.uniform(-0.2, 0.2)
    return img


def _finish_cell(img: NDArray[np.float32], rng: np.random.Generator) -> NDArray[np.uint8]:
    """Either polarity, blur and noise, then `normalize_cell`."""
    if rng.random() < 0.5:
        img = 1.0 - img
    img = cv2.GaussianBlur(img.astype(np.float32), (0, 0), rng.uniform(0.3, 1.5))
    img = img + rng.normal(0, rng.uniform(0.0, 0.05), img.shape)
    return normalize_cell(np.clip(img * 255, 0, 255).astype(np.uint8))


def _blank_cell(h: int, rng: np.random.Generator) -> NDArray[np.float32]:
    """An HxW unlit display position (see `synthetic_cells`' `blanks`), lit like a cell."""
    w = int(h * rng.uniform(0.5, 1.0))
    cell = np.zeros((h, w), np.float32)
    if rng.random() < 0.5:  # the display's edge along one side, or a corner (two sides)
        sides = rng.choice(4, size=int(rng.integers(1, 3)), replace=False)
        for side in sides:
            t = int(rng.integers(2, max(3, h // 4)))
            if side == 0:
                cell[:t, :] = 1
            elif side == 1:
                cell[-t:, :] = 1
            elif side == 2:
                cell[:, :t] = 1
            else:
                cell[:, -t:] = 1
    if rng.random() < 0.3:  # a neighbour's bar at the left or right edge
        y0, y1 = sorted(int(v) for v in rng.integers(0, h, 2))
        t = int(rng.integers(1, max(2, w // 8)))
        cols = slice(0, t) if rng.random() < 0.5 else slice(w - t, w)
        cell[y0 : max(y1, y0 + h // 4), cols] = 1
    # a faint texture (the display's glass, sensor noise after the contrast stretch)
    cell += rng.normal(0, rng.uniform(0.0, 0.1), cell.shape).astype(np.float32)
    return _light(np.clip(cell, 0, 1) * rng.uniform(0.2, 1.0), rng)


# --------------------------------------------------------------------------- export


def uci_rows(labels: Sequence[str], x: NDArray[np.float32]) -> list[str]:
    """`label,f1,...,fD` text rows (integers written without a decimal point)."""
    out = []
    for lab, row in zip(labels, np.asarray(x, np.float32), strict=True):
        if "," in lab or "\n" in lab:
            raise DatasetError(f"label {lab!r} cannot be written as a CSV field")
        vals = ",".join(str(int(v)) if float(v).is_integer() else f"{float(v):.6g}" for v in row)
        out.append(f"{lab},{vals}")
    return out


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write a text file atomically (temp file in the same folder, then rename)."""
    return _write_atomic(Path(path), "w", lambda fh: fh.write(text))


# --------------------------------------------------------------------------- mosaic


def mosaic(
    images: NDArray[np.uint8],
    captions: Sequence[str],
    *,
    columns: int = 16,
    scale: int = 2,
) -> NDArray[np.uint8]:
    """Tile 20x20 glyphs with a caption under each (drawn with OpenCV's Hershey font).

    Args:
        images: N x 20 x 20 uint8, ink bright.
        captions: N short strings ("7", "3>8").
        columns: tiles per row.
        scale: pixel zoom of each glyph.

    Returns:
        HxWx3 uint8 BGR; a single blank tile when N == 0.
    """
    n = len(images)
    cell = NORM_SIZE * scale
    cap_h = 14
    cols = max(1, min(columns, n))
    rows_n = max(1, -(-n // cols))
    tile_w = max(cell, 8 * max((len(c) for c in captions), default=1) + 4)
    out = np.full((rows_n * (cell + cap_h + 4), cols * (tile_w + 4), 3), 40, np.uint8)
    for i in range(n):
        r, c = divmod(i, cols)
        y0, x0 = r * (cell + cap_h + 4) + 2, c * (tile_w + 4) + 2
        g = cv2.resize(images[i], (cell, cell), interpolation=cv2.INTER_NEAREST)
        xo = x0 + (tile_w - cell) // 2
        out[y0 : y0 + cell, xo : xo + cell] = g[:, :, None]
        cv2.putText(
            out,
            captions[i],
            (x0 + 1, y0 + cell + cap_h - 3),
            cv2.FONT_HERSHEY_PLAIN,
            0.9,
            (80, 220, 255),
            1,
            cv2.LINE_AA,
        )
    return out


def class_mosaic(ds: Dataset, *, per_class: int = 12, seed: int = 0) -> NDArray[np.uint8]:
    """A mosaic with up to `per_class` random samples of each class, one class per row.

    Raises:
        DatasetError: the dataset has no images (feature vectors only).
    """
    if ds.images is None:
        raise DatasetError("this dataset holds feature vectors only; there is nothing to draw")
    rng = np.random.default_rng(seed)
    labels = np.array(ds.labels, dtype=object)
    pick: list[int] = []
    caps: list[str] = []
    for c in ds.classes:
        idx = np.flatnonzero(labels == c)
        chosen = rng.choice(idx, size=min(per_class, len(idx)), replace=False)
        chosen = np.concatenate([chosen, -np.ones(per_class - len(chosen), int)])
        pick.extend(int(i) for i in chosen)
        caps.extend(c if i >= 0 else "" for i in chosen)
    blank = np.zeros((1, NORM_SIZE, NORM_SIZE), np.uint8)
    imgs = np.concatenate([ds.images, blank])[np.array(pick)]
    return mosaic(imgs, caps, columns=per_class)


# --------------------------------------------------------------------------- closing the loop


def save_uncertain_crop(
    folder: str | os.PathLike[str],
    patch: NDArray[Any],
    *,
    frame_ref: str,
    box: Box,
    guess: str = "",
    confidence: float = 0.0,
    name: str | None = None,
) -> Path:
    """Save one low-confidence glyph for later labelling with `digitcam label FOLDER`.

    Writes `FOLDER/<name>.png` (the glyph patch, ink bright, 0..255 gray; e.g. a
    `segment.Unit.patch`) and appends one JSON line to `FOLDER/uncertain.jsonl`:
    `{"file", "frame", "box": [x, y, w, h], "guess", "confidence", "kind": "glyph-patch"}`.

    Args:
        folder: where to save (created if missing).
        patch: HxW glyph pixels, ink bright (any dtype; scaled so its max is 255).
        frame_ref: where the glyph was seen, e.g. "cam0#frame1234" or a video path + index.
        box: the glyph's box in that frame.
        guess: what the reader thought it was.
        confidence: the reader's confidence in `guess`.
        name: file stem; defaults to a name built from the frame ref, box and a counter.

    Returns:
        Path of the written PNG.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatasetError(f"cannot write uncertain crops to {folder}: {_os_why(exc)}") from None
    p = np.asarray(patch, np.float32)
    if p.ndim != 2 or p.size == 0:
        raise DatasetError(f"an uncertain crop must be a non-empty HxW patch, got {p.shape}")
    top = float(p.max())
    img = to_uint8(p / top) if top > 0 else np.zeros(p.shape, np.uint8)
    stem = name or re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{frame_ref}_{box.x}_{box.y}")[-80:]
    target = folder / f"{stem}.png"
    k = 1
    while target.exists():
        target = folder / f"{stem}-{k}.png"
        k += 1
    ok, buf = cv2.imencode(".png", img)
    if not ok:
        raise DatasetError(f"could not encode the crop for {target}")
    tmp = target.with_name(target.name + ".tmp")
    try:
        tmp.write_bytes(buf.tobytes())
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise DatasetError(f"cannot write the crop {target}: {_os_why(exc)}") from None
    rec = {
        "file": target.name,
        "frame": frame_ref,
        "box": box.as_list(),
        "guess": guess,
        "confidence": round(float(confidence), 4),
        "kind": "glyph-patch",
    }
    line = (json.dumps(rec) + "\n").encode("utf-8")
    index = folder / UNCERTAIN_INDEX
    try:
        # One unbuffered write; on failure the index is cut back to its last whole line.
        with open(index, "ab", buffering=0) as fh:
            good = fh.seek(0, os.SEEK_END)
            try:
                fh.write(line)
            except OSError:
                fh.truncate(good)
                raise
    except OSError as exc:
        with contextlib.suppress(OSError):
            target.unlink(missing_ok=True)
        raise DatasetError(f"cannot add to {index}: {_os_why(exc)}") from None
    return target


def read_uncertain(folder: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The records of `FOLDER/uncertain.jsonl` whose PNG exists (each with `path` added)."""
    folder = Path(folder)
    index = folder / UNCERTAIN_INDEX
    if not index.is_file():
        raise DatasetError(f"{folder}: no {UNCERTAIN_INDEX} (not a --save-uncertain folder)")
    out = []
    for rec in _read_jsonl(index):
        p = folder / rec["file"]
        if p.is_file():
            rec["path"] = str(p)
            out.append(rec)
    return out
