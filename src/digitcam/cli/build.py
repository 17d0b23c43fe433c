"""`digitcam build-model`: rebuild the shipped default model from seeded synthetic scenes."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from digitcam.cli.app import app


@app.command("build-model")
def build_model(
    out: Annotated[Path, typer.Option(help="Where to write the model.")] = Path(
        "models/digits-knn.npz"
    ),
    seed: Annotated[int, typer.Option(help="Seed of every scene and sample.")] = 0,
    scenes: Annotated[int, typer.Option(help="Synthetic camera scenes to segment.")] = 900,
    isolated: Annotated[int, typer.Option(help="Isolated glyphs per class to add.")] = 100,
    per_class: Annotated[int, typer.Option(help="Cap of samples per digit.")] = 1000,
    reject: Annotated[int, typer.Option(help="Cap of 'not a glyph' samples.")] = 6000,
    display: Annotated[
        int, typer.Option(help="Synthetic seven-segment display scenes to segment.")
    ] = 0,
    display_per_class: Annotated[
        int, typer.Option(help="Cap of display samples per digit.")
    ] = 1000,
    display_reject: Annotated[
        int, typer.Option(help="Cap of display 'not a glyph' samples.")
    ] = 3000,
    bins: Annotated[int, typer.Option(help="HOG orientation bins.")] = 8,
    classifier: Annotated[str, typer.Option(help="knn or svm.")] = "knn",
    pca: Annotated[int, typer.Option(help="Principal components kept (0: all).")] = 64,
    k: Annotated[int, typer.Option(help="KNN neighbours.")] = 3,
    prototypes: Annotated[
        int, typer.Option(help="KNN k-means prototypes per digit (0: every sample).")
    ] = 350,
) -> None:
    """Build the default model from seeded synthetic scenes (training font families only)."""
    from rich.console import Console

    from digitcam.build import DEFAULT_SPEC, build_default_model
    from digitcam.classify import save_model

    if classifier not in ("knn", "svm"):
        raise typer.BadParameter(f"--classifier must be knn or svm, got {classifier!r}")
    if bins < 2:
        raise typer.BadParameter(f"--bins must be at least 2, got {bins}")
    console = Console(stderr=True)
    model = build_default_model(
        seed=seed,
        n_scenes=scenes,
        n_isolated=isolated,
        per_class=per_class,
        reject=reject,
        n_display=display,
        display_per_class=display_per_class,
        display_reject=display_reject,
        classifier=classifier,
        spec=dataclasses.replace(DEFAULT_SPEC, bins=bins),
        pca=pca,
        k=k,
        prototypes=prototypes,
        progress=lambda m: console.print(m, highlight=False),
    )
    path = save_model(model, out)
    size = path.stat().st_size / 1e6
    console.print(f"wrote {path} ({size:.2f} MB, {model.provenance['n_samples']} samples)")


@app.command("extend-model")
def extend_model(
    model: Annotated[Path, typer.Argument(help="The KNN model to extend.")] = Path(
        "models/digits-knn.npz"
    ),
    out: Annotated[
        Path | None, typer.Option(help="Where to write it (default: over MODEL).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the scenes and the k-means.")] = 0,
    words: Annotated[
        int, typer.Option(help="Synthetic scenes of words to segment (0: none).")
    ] = 700,
    prototypes: Annotated[int, typer.Option(help="'Not a glyph' centres to add.")] = 300,
    hard: Annotated[
        int,
        typer.Option(
            help="Synthetic scenes of numbers whose digits the model misreads or refuses "
            "are added to their classes (0: none, as in the shipped model)."
        ),
    ] = 0,
) -> None:
    """Add the letters of seeded word scenes to a KNN model's 'not a glyph' class, and
    (`--hard`) the digits it misreads in seeded number scenes to their own classes."""
    from rich.console import Console

    from digitcam.build import add_hard_digits, add_word_rejects
    from digitcam.classify import load_model, save_model

    if words < 0 or hard < 0 or prototypes < 1:
        raise typer.BadParameter("--words and --hard must be at least 0, --prototypes at least 1")
    if not words and not hard:
        raise typer.BadParameter("nothing to add: --words and --hard are both 0")
    console = Console(stderr=True)

    def say(msg: str) -> None:
        console.print(msg, highlight=False)

    # a file that is no KNN model is a one-line ModelError (see `main`)
    extended = load_model(model)
    if words:
        extended = add_word_rejects(
            extended, seed=seed, n_words=words, prototypes=prototypes, progress=say
        )
    if hard:
        extended = add_hard_digits(extended, seed=seed, n_scenes=hard, progress=say)
    path = save_model(extended, out or model)
    n = len(extended.classifier.labels)  # type: ignore[union-attr]
    console.print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB, {n} samples)")
