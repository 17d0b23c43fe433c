"""Errors the user sees as one line.

Every failure the user can cause (a missing file, a model of the wrong kind, a stream that
never opens) is raised as a `DigitcamError` subclass with a message that says what was
expected and what arrived; the CLI prints it on one line and exits non-zero.
"""

from __future__ import annotations


class DigitcamError(Exception):
    """Base class: a problem with the user's input or environment, not a bug."""

    exit_code: int = 2


class InputError(DigitcamError):
    """An image, video, stream or path that cannot be read."""


class ModelError(DigitcamError):
    """A model file that is missing, not a model, truncated, or of another spec/version."""


class DatasetError(DigitcamError):
    """A dataset file that is missing, malformed, empty, or of another version."""


class CalibrationError(DigitcamError):
    """A calibration profile that is malformed or does not fit the frame."""


class OpenCVMissingML(DigitcamError):
    """cv2 has no `ml` module (OpenCV 5's main wheel, or a headless build without it)."""
