"""Full-size figures on the public data sets (issue 4's "Done when"), seeded.

Run:  PYTHONPATH=src python benchmarks/public_data.py [--data ../shared/data] [--json]

1. OpenCV digits.png, 5-fold stratified CV (seed 0), default features (mhog), KNN and SVM.
2. UCI letters: rows 0-9999 train, 10000-19999 test, with --search (feature weights by
   leave-one-out 1-NN, then k / C / gamma by inner 3-fold CV on the training rows only).
3. haverland meter digits, imported as gray whole cells (--crop cell) with their meter
   (--group-key meter): 5 seeded splits BY METER (whole meters, a quarter of the samples
   held out); "meter2" features (unsigned HOG of the locally standardized cell over tall
   grids), 2 copies of each training crop with other contrast/brightness/blur, and 3,000
   drawn digit cells (`synth-cells --per-class 300 --min-height 0.4`, installed fonts, no
   meter of the data) on every training side; C/gamma or k by inner CV grouped by meter,
   the reject.jsonl wheels as the "_" class and the reject threshold chosen on grouped
   out-of-fold predictions of the training meters (<= 1 % of their digits rejected).
   Accuracy = real digits read right (no rejection); reject rates at that one threshold;
   per split and the mean. `--meter-synth 0 --meter-max-false-reject 0.02` gives the
   earlier recipe (no drawn cells); `--meter-features meter --meter-augment 4
   --meter-augment-kind jitter` the one before (unsigned multi-scale HOG, 4
   shifted/scaled/re-lit copies).
4. The pi page: `label --text` -> 225 samples; a model trained on it reads the page; and a
   model trained on lines 1-5 reads lines 6-9.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from digitcam.config import ReaderConfig
from digitcam.dataset import import_dataset, synthetic_cells
from digitcam.label import assign_text, glyph_items, items_dataset
from digitcam.pipeline import read_frame
from digitcam.train import FEATURE_PRESETS, Params, dataset_matrix, fit, group_split, train_dataset


def digits(data: Path) -> dict[str, float]:
    ds = import_dataset(data / "digits.png", "opencv-digits")
    out = {}
    for clf in ("knn", "svm"):
        _, rep = train_dataset(ds, classifier=clf, cv=5, seed=0)
        out[f"digits_{clf}_cv5"] = rep.cv_accuracy
        out[f"digits_{clf}_params"] = rep.params
    return out


def letters(data: Path) -> dict[str, float]:
    f = data / "letter-recognition.data"
    tr = import_dataset(f, "uci-letters", rows=slice(0, 10000))
    te = import_dataset(f, "uci-letters", rows=slice(10000, 20000))
    out = {}
    for clf in ("knn", "svm"):
        _, plain = train_dataset(tr, classifier=clf, test=te, params=Params(k=1))
        _, rep = train_dataset(tr, classifier=clf, test=te, search=True, seed=0)
        out[f"letters_{clf}_plain_scaled"] = plain.test_accuracy
        out[f"letters_{clf}_search"] = rep.test_accuracy
        out[f"letters_{clf}_params"] = {k: v for k, v in rep.params.items() if k != "weights"}
    return out


def meters(
    data: Path,
    splits: int = 5,
    *,
    features: str = "meter2",
    augment: int = 2,
    augment_kind: str = "photometric",
    synth: int = 300,
    synth_min_height: float = 0.4,
    max_false_reject: float = 0.01,
    classifiers: tuple[str, ...] = ("svm", "knn"),
) -> dict[str, object]:
    """Split BY METER (seeds 0..splits-1, a quarter of the samples held out as whole
    meters). Everything is chosen on the training meters only: C/gamma or k by grouped
    inner CV, the reject threshold on grouped out-of-fold predictions (at most
    `max_false_reject` of the training digits rejected); the held-out meters are only
    measured. The drawn cells (`synth` per digit) join every training side, never a test."""
    folder = data / "real" / "haverland_meterdigits"
    ds = import_dataset(folder, "labels-jsonl", crop="cell", group_key="meter")
    assert ds.groups is not None
    # Synthetic cells (installed fonts, no meter of the data) join every training side.
    extra = synthetic_cells(synth, seed=0, min_height=synth_min_height) if synth > 0 else None
    out: dict[str, object] = {
        "meters_groups": len(set(ds.groups)),
        "meters_features": features,
        "meters_augment": augment,
        "meters_augment_kind": augment_kind,
        "meters_synthetic_cells": 0 if extra is None else len(extra),
        "meters_synthetic_min_height": synth_min_height,
        "meters_max_false_reject": max_false_reject,
    }
    for clf in classifiers:
        per: list[dict[str, float]] = []
        for seed in range(splits):
            te = group_split(ds.groups, test_fraction=0.25, seed=seed)
            _, rep = train_dataset(
                ds.subset(~te),
                classifier=clf,
                spec=FEATURE_PRESETS[features],
                test=ds.subset(te),
                search=True,
                seed=seed,
                group_by="meter",
                augment=augment,
                augment_kind=augment_kind,
                extra=extra,
                max_false_reject=max_false_reject,
            )
            per.append(
                {
                    "seed": seed,
                    "n_test": int(te.sum()),
                    "test_meters": len({g for g, t in zip(ds.groups, te, strict=True) if t}),
                    "accuracy": rep.test_glyph_accuracy,
                    "wheels_rejected": rep.test_correct_reject,
                    "digits_rejected": rep.test_false_reject,
                    "threshold": round(rep.reject_threshold or 0.0, 4),
                    "params": {k: v for k, v in rep.params.items() if k != "novelty_scale"},
                }
            )
        out[f"meters_{clf}_splits"] = per
        out[f"meters_{clf}_mean"] = {
            k: round(float(np.mean([p[k] for p in per])), 4)
            for k in ("accuracy", "wheels_rejected", "digits_rejected")
        }
    return out


def pi_page(data: Path) -> dict[str, object]:
    import cv2

    folder = data / "real" / "simpleocr_pi_digits"
    text = json.loads((folder / "labels.jsonl").read_text().splitlines()[0])["text"]
    page = cv2.imread(str(folder / "digits2.png"))
    items = glyph_items(page, source="digits2.png")
    labels = assign_text(items, text)
    ds = items_dataset(items, labels)
    x, spec = dataset_matrix(ds, None)
    first = np.array([it.line < 5 for it in items])
    held = fit(
        x[first],
        [lb for lb, f in zip(labels, first, strict=True) if f],
        spec=spec,
        classifier="knn",
        params=Params(k=1),
    )
    pred = np.array(held.predict(x[~first]).chars)
    truth = np.array([lb for lb, f in zip(labels, first, strict=True) if not f])
    model = fit(x, labels, spec=spec, classifier="knn", params=Params(k=1))
    reading = read_frame(page, model, ReaderConfig())
    return {
        "pi_samples": len(ds),
        "pi_lines_6_9_accuracy_trained_on_1_5": float(np.mean(pred == truth)),
        "pi_page_read_back": [ln.replace(".", "") for ln in reading.lines] == text.splitlines(),
        "pi_first_line": reading.lines[0] if reading.lines else "",
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--only", nargs="*", default=["digits", "letters", "meters", "pi"])
    ap.add_argument("--meter-features", default="meter2", choices=sorted(FEATURE_PRESETS))
    ap.add_argument("--meter-augment", type=int, default=2)
    ap.add_argument("--meter-augment-kind", default="photometric")
    ap.add_argument("--meter-synth", type=int, default=300, help="drawn cells per digit")
    ap.add_argument("--meter-synth-min-height", type=float, default=0.4)
    ap.add_argument("--meter-max-false-reject", type=float, default=0.01)
    ap.add_argument("--meter-classifiers", nargs="*", default=["svm", "knn"])
    a = ap.parse_args()
    fns = {
        "digits": digits,
        "letters": letters,
        "meters": lambda d: meters(
            d,
            features=a.meter_features,
            augment=a.meter_augment,
            augment_kind=a.meter_augment_kind,
            synth=a.meter_synth,
            synth_min_height=a.meter_synth_min_height,
            max_false_reject=a.meter_max_false_reject,
            classifiers=tuple(a.meter_classifiers),
        ),
        "pi": pi_page,
    }
    res: dict[str, object] = {}
    for name in a.only:
        t = time.perf_counter()
        res.update(fns[name](a.data))
        res[f"{name}_seconds"] = round(time.perf_counter() - t, 1)
        if not a.json:
            print(f"{name} done in {res[f'{name}_seconds']} s", file=sys.stderr)
    print(json.dumps(res, indent=None if a.json else 1, default=str))


if __name__ == "__main__":
    main()
