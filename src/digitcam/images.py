"""Reading and writing single image files, with one-line errors.

Decoding goes through `cv2.imdecode` on the file's bytes rather than `cv2.imread`, so paths
with non-ASCII characters work everywhere and a failure can say *why* (missing, empty,
not an image) instead of returning None.
"""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from digitcam.errors import InputError

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm")


def read_image(path: str | os.PathLike[str]) -> NDArray[np.uint8]:
    """Decode an image file to BGR.

    Args:
        path: the file.

    Returns:
        HxWx3 uint8 BGR (gray files are expanded to 3 channels; alpha is dropped).

    Raises:
        InputError: the file is missing, a directory, empty, or not a decodable image.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a directory, not an image")
    try:
        data = np.fromfile(p, dtype=np.uint8)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if data.size == 0:
        raise InputError(f"{path}: empty file (0 bytes)")
    truncated = _truncated(data)
    if truncated:
        raise InputError(f"{path}: truncated {truncated} file (the end of the image is missing)")
    img = cv2.imdecode(data, cv2.IMREAD_COLOR)
    if img is None or img.size == 0:
        raise InputError(f"{path}: not a readable image (corrupt, truncated, or another format)")
    return img


def _truncated(data: NDArray[np.uint8]) -> str:
    """'PNG' or 'JPEG' when a file of that format stops before its end marker, else ''.

    OpenCV decodes the top part of a truncated JPEG and fills the rest with gray, which
    would silently read as a half-empty frame; saying so is better.
    """
    head = data[:8].tobytes()
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "" if b"IEND" in data[-32:].tobytes() else "PNG"
    if head.startswith(b"\xff\xd8"):
        # Cameras sometimes pad after the end-of-image marker; look near the end.
        return "" if b"\xff\xd9" in data[-1024:].tobytes() else "JPEG"
    return ""


def write_image(path: str | os.PathLike[str], image: NDArray[np.uint8]) -> Path:
    """Encode and write an image atomically (format from the extension).

    Raises:
        InputError: the folder is not writable or the extension is not an image format.
    """
    p = Path(path)
    ext = p.suffix.lower() or ".png"
    ok, buf = cv2.imencode(ext, image)
    if not ok:
        raise InputError(f"{path}: cannot encode an image as {ext}")
    tmp = p.with_name(f".{p.name}.tmp")
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        buf.tofile(tmp)
        os.replace(tmp, p)
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return p
