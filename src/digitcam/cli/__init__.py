"""Command-line interface: a thin typer layer over the library.

Each command lives in its own module and registers itself on `app`; `main` turns every
`DigitcamError` into one line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import sys

from digitcam.cli import build as _build  # noqa: F401  (registers `build-model`)
from digitcam.cli import calibrate as _calibrate  # noqa: F401  (registers `calibrate`)
from digitcam.cli import data as _data  # noqa: F401  (dataset, train, eval, label)
from digitcam.cli import read as _read  # noqa: F401  (registers `read`)
from digitcam.cli import run as _run  # noqa: F401  (registers `run`)
from digitcam.cli.app import app
from digitcam.errors import DigitcamError


def _quiet_opencv() -> None:
    """OpenCV's own warnings (libpng, FFmpeg) would add lines to our one-line errors."""
    import os

    import cv2

    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")


def main() -> None:
    """Console-script entry point.

    Typer/click handle usage errors themselves (message and exit code 2); a `DigitcamError`
    from any command becomes one line on stderr and its exit code.
    """
    _quiet_opencv()
    try:
        app()
    except DigitcamError as exc:
        print(f"digitcam: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("digitcam: interrupted", file=sys.stderr)
        sys.exit(130)
