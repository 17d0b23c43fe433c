"""`digitcam read IMAGE...`: print what each image reads."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from digitcam.cli.app import ReaderKind, ReaderOption, app
from digitcam.errors import DigitcamError, InputError


@app.command()
def read(
    images: Annotated[list[Path], typer.Argument(help="Image files to read.", show_default=False)],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per image per line.")
    ] = False,
    model: Annotated[
        Path | None, typer.Option(help="Model file (default: the shipped model).")
    ] = None,
    classifier: Annotated[
        str, typer.Option(help="Shipped model to use when --model is not given: knn or svm.")
    ] = "knn",
    annotate: Annotated[
        Path | None,
        typer.Option(help="Write each image with boxes, characters and confidences here."),
    ] = None,
    calibration: Annotated[
        str | None,
        typer.Option(
            help="Calibration profile (a path, or a NAME in calibration/): the display's "
            "corners are warped upright and its settings applied before reading.",
            show_default=False,
        ),
    ] = None,
    reader: ReaderOption = ReaderKind.AUTO,
    cell_model: Annotated[
        Path | None,
        typer.Option(
            help="Model that reads a crop of one display digit whole where the segment "
            "decoder finds none (default: the shipped cells model).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Read the digits in each image and print them (lines joined by newlines)."""
    from digitcam.classify import load_cell_model, load_model, require_image_model
    from digitcam.config import ReaderConfig
    from digitcam.images import read_image, write_image
    from digitcam.pipeline import read_frame

    if classifier not in ("knn", "svm"):
        raise typer.BadParameter(f"--classifier must be knn or svm, got {classifier!r}")
    profile = None
    if calibration is not None:
        from digitcam.calibration import load_profile

        profile = load_profile(calibration)
    mdl = require_image_model(load_model(model, classifier=classifier))
    # the shipped cell model is loaded at the first crop of one digit (most images have
    # none); one given by path is checked now, before any image
    cells = functools.cache(load_cell_model) if cell_model is None else load_cell_model(cell_model)
    base = ReaderConfig() if profile is None else profile.reader_config()
    config = base.with_reader(reader.value)  # "auto" keeps the profile's (or default) kind
    overlay = None
    if annotate is not None:
        from digitcam.overlay import Overlay
        from digitcam.sinks import check_writable

        # A folder that cannot take the annotated images is said once, before any reading.
        try:
            annotate.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                f"cannot write annotated images to {annotate}: {exc.strerror}"
            ) from None
        check_writable(annotate / "annotated.png", "annotated images", reserve=64 << 10)
        overlay = Overlay(show_confidence=True, show_lines=False)
    failures = 0
    for path in images:
        try:
            img = read_image(path)
            if profile is None:
                reading = read_frame(img, mdl, config, cell_model=cells)
            else:  # read the warped display; boxes are mapped back to the image
                from digitcam.calibration import map_reading

                warped, m = profile.warp(img)
                reading = map_reading(read_frame(warped, mdl, config, cell_model=cells), m)
            if overlay is not None and annotate is not None:
                write_image(
                    annotate / (path.stem + ".annotated.png"), overlay.annotate(img, reading)
                )
        except DigitcamError as exc:
            failures += 1
            print(f"digitcam: error: {exc}", file=sys.stderr)
            continue
        if as_json:
            print(json.dumps({"source": str(path), **reading.to_json()}), flush=True)
        else:
            print(reading.text, flush=True)
    if failures:
        raise typer.Exit(1)
