"""The typer application object that every command module registers on."""

from __future__ import annotations

from enum import Enum

import typer

app = typer.Typer(
    name="digitcam",
    help="Read digits from cameras, videos, streams and images.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ReaderKind(str, Enum):
    """`--reader` of `read` and `run` (see `ReaderConfig.with_reader`)."""

    AUTO = "auto"
    PRINTED = "printed"
    SEVEN_SEGMENT = "seven-segment"
