"""`digitcam dataset import|merge|info|export`, `train`, `eval`, `label`: thin typer layer."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from digitcam.cli.app import app
from digitcam.dataset import CELL_MIN_HEIGHT
from digitcam.errors import DatasetError

dataset_app = typer.Typer(
    help="Import, merge, inspect and export labelled glyph datasets.", no_args_is_help=True
)
app.add_typer(dataset_app, name="dataset")

VIDEO_SUFFIXES = (".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v")


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


@dataset_app.command("import")
def dataset_import(
    src: Annotated[Path, typer.Argument(help="File or folder to import.", exists=True)],
    fmt: Annotated[
        str, typer.Option("--format", help="opencv-digits, uci-letters, labels-jsonl or folders.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Dataset file to write (.npz).")],
    rows: Annotated[
        str | None, typer.Option(help="Keep samples A:B (0-based, B excluded).")
    ] = None,
    crop: Annotated[
        str,
        typer.Option(
            help="glyph: the ink, aspect kept (default); cell: the whole crop, gray, "
            "stretched (meter wheels, LCD digits; train with --features meter2)."
        ),
    ] = "glyph",
    group_key: Annotated[
        str | None,
        typer.Option(
            help="labels-jsonl: record key naming each sample's group (e.g. meter), for "
            "`dataset split --by` and `train --group-by`."
        ),
    ] = None,
) -> None:
    """Import public or folder data as a dataset file."""
    from digitcam.dataset import import_dataset, parse_rows, save_dataset

    ds = import_dataset(src, fmt, rows=parse_rows(rows), crop=crop, group_key=group_key)
    save_dataset(ds, out)
    extra = f", {len(set(ds.groups))} groups ({group_key})" if ds.groups is not None else ""
    print(f"{out}: {len(ds)} samples, {len(ds.classes)} classes{extra}")


@dataset_app.command("split")
def dataset_split(
    path: Annotated[Path, typer.Argument(help="Dataset file (with groups).", exists=True)],
    train_out: Annotated[Path, typer.Option("--train-out", help="Training part (.npz).")],
    test_out: Annotated[Path, typer.Option("--test-out", help="Test part (.npz).")],
    by: Annotated[
        str, typer.Option("--by", help="Group key the dataset was imported with (--group-key).")
    ],
    test_fraction: Annotated[
        float, typer.Option(help="Share of samples (whole groups) held out.")
    ] = 0.25,
    seed: Annotated[int, typer.Option(help="Seed of the group order.")] = 0,
) -> None:
    """Split a dataset by group (meter, camera): no group on both sides; seeded."""
    from digitcam.dataset import load_dataset, save_dataset
    from digitcam.train import dataset_groups, group_split

    ds = load_dataset(path)
    groups = dataset_groups(ds, by)
    te = group_split(groups, test_fraction=test_fraction, seed=seed)
    save_dataset(ds.subset(~te), train_out)
    save_dataset(ds.subset(te), test_out)
    n_te = len({g for g, t in zip(groups, te, strict=True) if t})
    n_tr = len({g for g, t in zip(groups, te, strict=True) if not t})
    print(
        f"{train_out}: {int((~te).sum())} samples from {n_tr} groups; "
        f"{test_out}: {int(te.sum())} samples from {n_te} groups (by {by}, seed {seed})"
    )


@dataset_app.command("synth-cells")
def dataset_synth_cells(
    out: Annotated[Path, typer.Option("--out", help="Dataset file to write (.npz).")],
    per_class: Annotated[int, typer.Option(help="Cells per digit.")] = 60,
    seed: Annotated[int, typer.Option(help="Seed of the drawing.")] = 0,
    rejects: Annotated[
        bool, typer.Option(help="Also draw in-between wheels as not-a-glyph samples.")
    ] = False,
    blanks: Annotated[
        int,
        typer.Option(
            help="Also draw this many blank cells (an unlit display position) as "
            "not-a-glyph samples."
        ),
    ] = 0,
    min_height: Annotated[
        float,
        typer.Option(help="Smallest digit height as a share of the cell's (0.2..0.85)."),
    ] = CELL_MIN_HEIGHT,
) -> None:
    """Draw synthetic meter cells (like `import --crop cell`) in the installed fonts, for
    `train --extra`."""
    from digitcam.dataset import save_dataset, synthetic_cells

    ds = synthetic_cells(
        per_class, seed=seed, rejects=rejects, blanks=blanks, min_height=min_height
    )
    save_dataset(ds, out)
    faces = ds.provenance[0]["faces"]
    print(f"{out}: {len(ds)} samples, {len(ds.classes)} classes, {faces} font faces")


@dataset_app.command("merge")
def dataset_merge(
    inputs: Annotated[list[Path], typer.Argument(help="Datasets to merge.", exists=True)],
    out: Annotated[Path, typer.Option("--out", help="Merged dataset file.")],
) -> None:
    """Concatenate datasets (same source twice: the later label wins)."""
    from digitcam.dataset import load_dataset, replace_sources, save_dataset

    ds = load_dataset(inputs[0])
    for p in inputs[1:]:
        ds = replace_sources(ds, load_dataset(p))
    save_dataset(ds, out)
    print(f"{out}: {len(ds)} samples, {len(ds.classes)} classes")


@dataset_app.command("info")
def dataset_info(
    path: Annotated[Path, typer.Argument(help="Dataset file.", exists=True)],
    mosaic: Annotated[Path | None, typer.Option(help="Write a PNG mosaic of samples here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Counts per class (and a mosaic of samples)."""
    from rich.table import Table

    from digitcam.dataset import class_mosaic, load_dataset
    from digitcam.images import write_image

    ds = load_dataset(path)
    counts = ds.counts()
    kind = ("images" if ds.images is not None else "") + (
        ("+" if ds.images is not None else "") + f"features[{ds.features.shape[1]}]"
        if ds.features is not None
        else ""
    )
    if mosaic is not None:
        write_image(mosaic, class_mosaic(ds))
    n_groups = None if ds.groups is None else len(set(ds.groups))
    if as_json:
        d = {"n": len(ds), "kind": kind, "counts": counts}
        if n_groups is not None:
            d["groups"] = n_groups
        print(json.dumps(d))
        return
    gtext = "" if n_groups is None else f", {n_groups} groups"
    table = Table(title=f"{path.name}: {len(ds)} samples ({kind}{gtext})")
    table.add_column("class")
    table.add_column("samples", justify="right")
    for c, n in counts.items():
        table.add_row(repr(c) if c.strip() != c or not c else c, str(n))
    _console().print(table)


@dataset_app.command("export")
def dataset_export(
    path: Annotated[Path, typer.Argument(help="Dataset file.", exists=True)],
    out: Annotated[Path, typer.Option("--out", help="Text file to write.")],
    fmt: Annotated[str, typer.Option("--format", help="uci-letters")] = "uci-letters",
    features: Annotated[
        str, typer.Option(help="Features for image datasets (see train).")
    ] = "vector",
) -> None:
    """Write samples as `label,feature...` rows (the letter-recognition.data layout)."""
    from digitcam.dataset import EXPORT_FORMATS, load_dataset, uci_rows, write_text_atomic
    from digitcam.train import dataset_matrix, parse_features

    if fmt not in EXPORT_FORMATS:
        raise DatasetError(f"export format must be one of {EXPORT_FORMATS}, got {fmt!r}")
    ds = load_dataset(path)
    if len(ds) == 0:
        raise DatasetError(f"{path}: the dataset is empty")
    spec = parse_features(features)
    if spec is None and ds.features is None:
        spec = parse_features("pixels10")
    x, used = dataset_matrix(ds, spec)
    write_text_atomic(out, "\n".join(uci_rows(ds.labels, x)) + "\n")
    print(f"{out}: {len(ds)} rows of 1 label + {x.shape[1]} features ({used.kind})")


def _load_all(paths: list[Path]) -> Any:
    from digitcam.dataset import load_dataset, merge_datasets

    return merge_datasets([load_dataset(p) for p in paths])


class _Bar:
    """A rich progress bar driven by `train.Progress` callbacks (one task per stage)."""

    def __init__(self, enabled: bool) -> None:
        from rich.progress import Progress

        self.progress = Progress(console=_console(stderr=True), transient=True, disable=not enabled)
        self.tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total)
        self.progress.update(self.tasks[stage], completed=done, total=total)

    def __enter__(self) -> _Bar:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(None, None, None)


@app.command()
def train(
    datasets: Annotated[list[Path], typer.Argument(help="Training datasets.", exists=True)],
    classifier: Annotated[str, typer.Option(help="knn or svm.")] = "knn",
    features: Annotated[
        str | None,
        typer.Option(
            help="mhog (default for images), hog, hog-deskew, pixels10, pixels20, meter or "
            "meter2 (gray cells, --crop cell), vector, or kind:key=value,... e.g. "
            "hog:cells=5,bins=12,deskew=1."
        ),
    ] = None,
    k: Annotated[int, typer.Option("--k", help="KNN neighbours.")] = 5,
    c: Annotated[float, typer.Option("--c", help="SVM C.")] = 10.0,
    gamma: Annotated[float | None, typer.Option(help="SVM RBF gamma (default: auto).")] = None,
    test: Annotated[list[Path] | None, typer.Option(help="Dataset to measure accuracy on.")] = None,
    cv: Annotated[int | None, typer.Option(help="Stratified K-fold cross-validation.")] = None,
    search: Annotated[bool, typer.Option(help="Search k / C / gamma by inner CV.")] = False,
    reject_threshold: Annotated[
        float, typer.Option(help="Confidence below which the reader outputs '?'.")
    ] = 0.5,
    seed: Annotated[int, typer.Option(help="Seed for folds and sub-samples.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    out: Annotated[Path | None, typer.Option(help="Write the model here.")] = None,
    group_by: Annotated[
        str | None,
        typer.Option(
            help="Keep each group (e.g. meter; import with --group-key) on one side of every "
            "CV / search fold, so the figures are for unseen groups."
        ),
    ] = None,
    augment: Annotated[
        int, typer.Option(help="Jittered copies of each training image (see --augment-kind).")
    ] = 0,
    augment_kind: Annotated[
        str,
        typer.Option(
            help="jitter (shift, scale, contrast, blur) or photometric (contrast, "
            "brightness, blur only; best with --features meter2)."
        ),
    ] = "jitter",
    extra: Annotated[
        list[Path] | None,
        typer.Option(
            help="Training-only datasets (e.g. from `dataset synth-cells`): added to every "
            "training side, never held out or measured on.",
            exists=True,
        ),
    ] = None,
    max_false_reject: Annotated[
        float | None,
        typer.Option(
            help="Choose the reject threshold on out-of-fold predictions: the highest that "
            "rejects at most this share of real glyphs (e.g. 0.02)."
        ),
    ] = None,
    pca: Annotated[
        int,
        typer.Option(
            help="Keep this many principal components of the features (0: all); an SVM "
            "file shrinks with them."
        ),
    ] = 0,
) -> None:
    """Train a KNN or SVM model on datasets; measure it by CV and/or a test set."""
    from digitcam.classify import save_model
    from digitcam.train import Params, parse_features, train_dataset

    ds = _load_all(datasets)
    spec = parse_features(features) if features else None
    test_ds = _load_all(test) if test else None
    extra_ds = _load_all(extra) if extra else None
    if pca < 0:
        raise typer.BadParameter(f"--pca must be 0 or more, got {pca}")
    params = Params(k=k, c=c, gamma=gamma, reject_threshold=reject_threshold, pca=pca)
    with _Bar(enabled=not as_json and sys.stderr.isatty()) as bar:
        model, report = train_dataset(
            ds,
            classifier=classifier,
            spec=spec,
            params=params,
            test=test_ds,
            cv=cv,
            search=search,
            seed=seed,
            group_by=group_by,
            augment=augment,
            augment_kind=augment_kind,
            extra=extra_ds,
            max_false_reject=max_false_reject,
            progress=bar,
        )
    if out is not None:
        save_model(model, out)
    if as_json:
        print(json.dumps(report.to_json()))
        return
    con = _console()
    con.print(
        f"{report.classifier} on {report.n_train} samples, features {report.features}, "
        f"params {report.params}"
    )
    con.print(f"train accuracy {report.train_accuracy:.2%}")
    by = f" by {report.group_by}" if report.group_by else ""
    if report.cv_accuracy is not None:
        folds = ", ".join(f"{a:.2%}" for a in report.cv_folds)
        con.print(f"{len(report.cv_folds)}-fold CV{by} accuracy {report.cv_accuracy:.2%} ({folds})")
    if report.reject_threshold is not None:
        cr = report.cv_correct_reject
        con.print(
            f"reject threshold {report.reject_threshold:.3f} (out-of-fold{by}: "
            f"{report.cv_false_reject:.2%} of glyphs rejected"
            + ("" if cr is None else f", {cr:.2%} of not-a-glyph samples rejected")
            + ")"
        )
    if report.test_accuracy is not None:
        con.print(f"test accuracy {report.test_accuracy:.2%}")
    if report.test_glyph_accuracy is not None:
        con.print(
            f"test accuracy on glyphs {report.test_glyph_accuracy:.2%}; rejected: "
            f"{report.test_false_reject:.2%} of glyphs, {report.test_correct_reject:.2%} of "
            "not-a-glyph samples"
        )
    if out is not None:
        con.print(f"model written to {out}")


@app.command("eval")
def eval_cmd(
    model: Annotated[Path, typer.Argument(help="Model file.", exists=True)],
    datasets: Annotated[list[Path], typer.Argument(help="Labelled datasets.", exists=True)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    report: Annotated[
        Path | None, typer.Option(help="Write confusion.png and misread.png here.")
    ] = None,
    threshold: Annotated[
        float | None, typer.Option(help="Reject threshold (default: the model's).")
    ] = None,
) -> None:
    """Accuracy, per-class precision/recall, confusion matrix, reject rates."""
    from digitcam.classify import load_model
    from digitcam.train import evaluate_dataset

    mdl = load_model(model)
    ds = _load_all(datasets)
    ev = evaluate_dataset(mdl, ds, threshold=threshold)
    if report is not None:
        _write_report(report, ds, ev)
    if as_json:
        print(json.dumps(ev.to_json()))
        return
    con = _console()
    for t in eval_tables(ev):
        con.print(t)
    if report is not None:
        con.print(f"report written to {report}")


@app.command()
def label(
    paths: Annotated[
        list[Path], typer.Argument(help="Images, videos, or --save-uncertain folders.", exists=True)
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Dataset to add the labels to (created or "
            "updated; the same glyph labelled again is replaced).",
        ),
    ],
    text: Annotated[
        str | None,
        typer.Option(
            help="Known text, in reading order ('\\n' between lines); else a sidecar IMAGE.txt."
        ),
    ] = None,
    ui: Annotated[str, typer.Option(help="auto, window or terminal.")] = "auto",
    every: Annotated[int, typer.Option(help="Label every Nth frame of a video.")] = 30,
) -> None:
    """Label glyphs: by known text, key presses in a window, or typing in a terminal."""
    from digitcam.dataset import empty_dataset, load_dataset, replace_sources, save_dataset
    from digitcam.images import read_image
    from digitcam.label import (
        CvKeyWindow,
        assign_text,
        glyph_items,
        items_dataset,
        label_in_terminal,
        label_in_window,
        uncertain_items,
    )

    if ui not in ("auto", "window", "terminal"):
        raise typer.BadParameter(f"--ui must be auto, window or terminal, got {ui!r}")
    base = load_dataset(out) if out.exists() else empty_dataset()
    items: list[Any] = []
    frames: list[Any] = []
    known: list[str] = []
    for p in paths:
        if p.is_dir():
            its, frs = uncertain_items(p)
            its = [_shift(it, len(frames)) for it in its]
            frames.extend(frs)
            items.extend(its)
            continue
        if p.suffix.lower() in VIDEO_SUFFIXES:
            pics = _video_frames(p, every)
        else:
            pics = [(str(p), read_image(p))]
        for ref, img in pics:
            its = glyph_items(img, source=ref, frame=len(frames))
            frames.append(img)
            sidecar = p.with_suffix(".txt")
            t = (
                text.replace("\\n", "\n")
                if text is not None
                else (sidecar.read_text(encoding="utf-8") if sidecar.is_file() else None)
            )
            if t is not None:
                known.extend(assign_text(its, t, where=ref))
            elif known:
                raise DatasetError(
                    f"{ref}: no --text and no {sidecar.name}, but other inputs "
                    "had known text; label them in separate runs"
                )
            items.extend(its)
    if not items:
        raise DatasetError("no glyphs found to label in " + ", ".join(map(str, paths)))

    def save(its: Any, labs: list[str | None]) -> None:
        save_dataset(replace_sources(base, items_dataset(its, labs)), out)

    if known:
        labels: list[str | None] = list(known)
        save(items, labels)
    else:
        from digitcam.display import display_available

        use = ui if ui != "auto" else ("window" if display_available() else "terminal")
        if use == "window":
            with CvKeyWindow() as win:
                labels = label_in_window(items, frames, win, on_change=save)
        else:
            labels = label_in_terminal(
                items, frames, console=_console(), read_line=_stdin_line, on_change=save
            )
        save(items, labels)
    n = sum(lab is not None for lab in labels)
    total = len(load_dataset(out))
    print(f"{out}: labelled {n} of {len(items)} glyphs; the dataset now has {total} samples")


def _pct(v: float | None) -> str:
    return "-" if v is None or v != v else f"{v:.1%}"


def eval_tables(ev: Any) -> list[Any]:
    """Rich tables of an `train.Evaluation`: summary, per class, confusion matrix."""
    from rich.table import Table

    summary = Table(title="evaluation", show_header=False)
    summary.add_row("samples", str(len(ev.predicted)))
    summary.add_row("accuracy", _pct(ev.accuracy))
    if ev.reject_rate_reject is not None:
        summary.add_row(
            "accuracy on glyphs (not-a-glyph samples left out)", _pct(ev.glyph_accuracy)
        )
    summary.add_row("reject threshold", f"{ev.threshold:g}")
    summary.add_row("good glyphs rejected (false rejections)", _pct(ev.reject_rate_good))
    if ev.reject_rate_reject is not None:
        summary.add_row(
            "not-a-glyph samples rejected (correct rejections)", _pct(ev.reject_rate_reject)
        )
    summary.add_row("accuracy of accepted glyphs", _pct(ev.accepted_accuracy))
    per = Table(title="per class")
    for col in ("class", "precision", "recall", "samples"):
        per.add_column(col, justify="right")
    rows = ev.confusion.sum(axis=1)
    for i, c in enumerate(ev.classes):
        if c in ev.recall:
            per.add_row(c, _pct(ev.precision.get(c)), _pct(ev.recall.get(c)), str(rows[i]))
    conf = Table(title="confusion (rows: true, columns: predicted)")
    conf.add_column("", justify="right", style="bold")
    for c in ev.classes:
        conf.add_column(c, justify="right")
    for i, c in enumerate(ev.classes):
        if rows[i] == 0:
            continue
        cells = []
        for j, v in enumerate(ev.confusion[i]):
            s = str(v) if v else "."
            cells.append(f"[green]{s}[/]" if i == j else (f"[red]{s}[/]" if v else s))
        conf.add_row(c, *cells)
    return [summary, per, conf]


def _write_report(folder: Path, ds: Any, ev: Any) -> None:
    import numpy as np

    from digitcam.dataset import mosaic
    from digitcam.images import write_image
    from digitcam.train import confusion_image

    write_image(folder / "confusion.png", confusion_image(ev))
    if ds.images is not None:
        pairs = zip(ds.labels, ev.predicted, strict=True)
        wrong = [i for i, (t, p) in enumerate(pairs) if t != p][:400]
        caps = [f"{ds.labels[i]}>{ev.predicted[i]}" for i in wrong]
        imgs = ds.images[np.array(wrong, int)] if wrong else ds.images[:0]
        write_image(folder / "misread.png", mosaic(imgs, caps, columns=20))


def _shift(item: Any, offset: int) -> Any:
    import dataclasses

    return dataclasses.replace(item, frame=item.frame + offset)


def _stdin_line() -> str | None:
    line = sys.stdin.readline()
    return None if line == "" else line


def _video_frames(path: Path, every: int) -> list[tuple[str, Any]]:
    import cv2

    from digitcam.errors import InputError

    cap = cv2.VideoCapture(str(path))
    if not cap.isOpened():
        raise InputError(f"cannot open video {path}")
    out = []
    i = 0
    try:
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            if i % max(1, every) == 0:
                out.append((f"{path}@{i}", frame))
            i += 1
    finally:
        cap.release()
    if not out:
        raise InputError(f"{path}: no frames could be read")
    return out
