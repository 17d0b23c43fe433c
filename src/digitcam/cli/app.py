"""The typer application object that every command module registers on."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

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


#: The `--reader` option, shared by `read` and `run`.
ReaderOption = Annotated[
    ReaderKind,
    typer.Option(
        help="Digits to expect: auto (printed and seven-segment), printed (faster), "
        "seven-segment (segment readings trusted). Overrides the profile's 'display'."
    ),
]
