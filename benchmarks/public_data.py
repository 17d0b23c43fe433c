"""Full-size figures on the public data sets (issue 4's "Done when"), seeded.

Run:  PYTHONPATH=src python benchmarks/public_data.py [--data ../shared/data] [--json]

1. OpenCV digits.png, 5-fold stratified CV (seed 0), default features (mhog), KNN and SVM.
2. UCI letters: rows 0-9999 train, 10000-19999 test, with --search (feature weights by
   leave-one-out 1-NN, then k / C / gamma by inner 3-fold CV on the training rows only).
3. haverland meter digits: split BY METER (a seeded quarter of the meters held out, 3 splits),
   reject.jsonl wheels as the "_" class; accuracy, and reject rates at several thresholds.
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
from digitcam.dataset import group_keys, import_dataset
from digitcam.label import assign_text, glyph_items, items_dataset
from digitcam.pipeline import read_frame
from digitcam.train import Params, dataset_matrix, evaluate, fit, train_dataset
from digitcam.types import NOT_GLYPH


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


def meters(data: Path, splits: int = 3) -> dict[str, object]:
    folder = data / "real" / "haverland_meterdigits"
    ds = import_dataset(folder, "labels-jsonl")
    meter_of = group_keys(folder, "meter")
    meter = np.array([meter_of[s.split("#")[0]] for s in ds.sources])
    names = sorted(set(meter))
    rng = np.random.default_rng(0)
    x, spec = dataset_matrix(ds, None)
    lab = np.array(ds.labels, dtype=object)
    rows: dict[str, list[float]] = {}
    for _ in range(splits):
        test_m = set(rng.permutation(names)[: len(names) // 4])
        te = np.isin(meter, list(test_m))
        for clf in ("svm", "knn"):
            m = fit(x[~te], list(lab[~te]), spec=spec, classifier=clf, params=Params(k=3))
            for thr in (0.0, 0.5, 0.7, 0.8):
                ev = evaluate(m, x[te], list(lab[te]), threshold=thr)
                good = lab[te] != NOT_GLYPH
                acc_good = float(
                    np.mean(np.array(ev.predicted, dtype=object)[good] == lab[te][good])
                )
                key = f"{clf}@{thr}"
                rows.setdefault(key, [0.0, 0.0, 0.0, 0.0])
                vals = [
                    acc_good,
                    ev.accepted_accuracy,
                    ev.reject_rate_reject or 0.0,
                    ev.reject_rate_good,
                ]
                rows[key] = [a + b / splits for a, b in zip(rows[key], vals, strict=True)]
    return {
        "meters_by_meter": {k: [round(v, 4) for v in vs] for k, vs in rows.items()},
        "meters_columns": [
            "accuracy (good digits, no reject)",
            "accuracy of accepted",
            "in-between wheels rejected",
            "good digits rejected",
        ],
    }


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
    a = ap.parse_args()
    fns = {"digits": digits, "letters": letters, "meters": meters, "pi": pi_page}
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
