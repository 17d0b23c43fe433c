"""Pixel-level stages: grayscale, denoise, threshold, perspective warp. All pure.

Deciding a threshold is kept apart from applying it: `ink_offset` estimates how far from the
local mean a pixel must be to count as ink, `ink_masks` applies it to both polarities at once.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from digitcam.errors import InputError


def to_gray(image: NDArray[Any]) -> NDArray[np.uint8]:
    """Convert any common image array to 8-bit grayscale.

    Args:
        image: HxW, HxWx1, HxWx3 (BGR) or HxWx4 (BGRA); uint8, uint16, bool, or float
            (0..1 when its maximum is <= 1, else 0..255).

    Returns:
        HxW uint8, a new array.

    Raises:
        InputError: empty arrays or shapes that are not an image.
    """
    a = np.asarray(image)
    if a.size == 0 or a.ndim not in (2, 3) or min(a.shape[:2]) == 0:
        raise InputError(f"expected an HxW or HxWxC image, got an array of shape {a.shape}")
    if a.ndim == 3 and a.shape[2] not in (1, 3, 4):
        raise InputError(f"expected 1, 3 or 4 channels, got {a.shape[2]} (shape {a.shape})")
    if a.dtype != np.bool_ and not (
        np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)
    ):
        raise InputError(f"expected an integer, float or bool image, got dtype {a.dtype}")
    if a.dtype == np.bool_:
        a = a.astype(np.uint8) * 255
    elif a.dtype == np.uint16:
        a = (a >> 8).astype(np.uint8)
    elif np.issubdtype(a.dtype, np.floating):
        finite = np.nan_to_num(a.astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0)
        top = float(finite.max()) if finite.size else 0.0
        scale = 255.0 if top <= 1.0 else 1.0
        a = np.clip(finite * scale, 0, 255).astype(np.uint8)
    elif a.dtype != np.uint8:
        a = np.clip(a, 0, 255).astype(np.uint8)
    if a.ndim == 3:
        if a.shape[2] == 1:
            a = a[:, :, 0]
        elif a.shape[2] == 3:
            a = cv2.cvtColor(a, cv2.COLOR_BGR2GRAY)
        else:
            a = cv2.cvtColor(a, cv2.COLOR_BGRA2GRAY)
    return np.ascontiguousarray(a).copy() if a is image else np.ascontiguousarray(a)


def denoise(gray: NDArray[np.uint8], *, ksize: int = 3) -> NDArray[np.uint8]:
    """Light Gaussian blur that removes sensor noise and JPEG ringing before thresholding.

    Args:
        gray: HxW uint8.
        ksize: odd kernel side; 1 returns a copy.

    Returns:
        HxW uint8.
    """
    if ksize <= 1:
        return gray.copy()
    return cv2.GaussianBlur(gray, (ksize, ksize), 0)


def odd(n: float, *, minimum: int = 3) -> int:
    """The nearest odd integer >= minimum (OpenCV block sizes must be odd)."""
    v = max(minimum, round(n))
    return v if v % 2 else v + 1


def noise_sigma(gray: NDArray[np.uint8]) -> float:
    """Robust estimate of the noise standard deviation (median absolute Laplacian).

    Args:
        gray: HxW uint8.

    Returns:
        Estimated sigma in gray levels.
    """
    small = gray[::2, ::2] if min(gray.shape) > 64 else gray
    lap = cv2.Laplacian(small, cv2.CV_16S, ksize=1)
    # For Gaussian noise the 4-neighbour Laplacian has sigma*sqrt(20); MAD -> sigma * 0.6745.
    return _int_median(np.abs(lap).ravel()) / (0.6745 * np.sqrt(20.0))


def _int_median(values: NDArray[np.int16]) -> float:
    """Exact median of non-negative integers by counting (what `np.median` gives, at a
    fraction of its cost on a whole frame, since counting needs no partial sort)."""
    n = len(values)
    counts = np.cumsum(np.bincount(values))
    lo = int(np.searchsorted(counts, (n - 1) // 2, side="right"))
    hi = int(np.searchsorted(counts, n // 2, side="right"))
    return (lo + hi) / 2.0


def ink_offset(
    gray: NDArray[np.uint8] | None = None,
    *,
    sigma: float | None = None,
    floor: float = 4.0,
    ceiling: float = 14.0,
) -> float:
    """How far from the local mean a pixel must be to count as ink.

    Proportional to the noise (`sigma`, estimated from `gray` when not given) so grainy
    low-light frames do not dissolve into specks, and capped so low-contrast print is
    still found.
    """
    if sigma is None:
        if gray is None:
            raise ValueError("ink_offset needs a gray image or a noise sigma")
        sigma = noise_sigma(gray)
    return float(np.clip(3.0 * sigma, floor, ceiling))


def ink_masks(
    gray: NDArray[np.uint8], *, block: int, offset: float, rel: float = 0.3
) -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
    """Adaptive (local mean) threshold for both polarities in one pass.

    A pixel is ink when it differs from its local mean by more than `offset` *and* by more
    than `rel` local standard deviations. The second term scales with the local contrast,
    so blurred, high-contrast text is cut near its true stroke width instead of swelling
    into one blob per word.

    Args:
        gray: HxW uint8 (denoised).
        block: odd side of the local window in pixels.
        offset: minimum difference from the local mean (noise floor), gray levels.
        rel: minimum difference in local standard deviations.

    Returns:
        (dark_ink, light_ink): HxW uint8 masks with 255 where dark (resp. light) ink is.
    """
    g = gray.astype(np.float32)
    h, w = g.shape
    # The local mean and spread are smooth at this window size: compute them at half
    # resolution and interpolate back, which costs a quarter and changes nothing visible.
    half = block >= 15 and min(h, w) >= 64
    src = cv2.resize(g, (w // 2, h // 2), interpolation=cv2.INTER_AREA) if half else g
    kk = odd(block / 2) if half else block
    k = (kk, kk)
    mean = cv2.blur(src, k, borderType=cv2.BORDER_REPLICATE)
    if rel > 0:
        sq = cv2.blur(src * src, k, borderType=cv2.BORDER_REPLICATE)
        t = np.maximum(np.sqrt(np.maximum(sq - mean * mean, 0)) * rel, offset)
    else:
        t = np.full_like(mean, offset)
    lo, hi = mean - t, mean + t
    if half:
        lo = cv2.resize(lo, (w, h), interpolation=cv2.INTER_LINEAR)
        hi = cv2.resize(hi, (w, h), interpolation=cv2.INTER_LINEAR)
    dark = cv2.compare(g, lo, cv2.CMP_LT)
    light = cv2.compare(g, hi, cv2.CMP_GT)
    return dark, light


def warp_quad(image: NDArray[Any], corners: NDArray[Any], *, size: tuple[int, int]) -> NDArray[Any]:
    """Warp the quadrilateral `corners` of `image` to an upright `size` rectangle.

    Args:
        image: HxW or HxWxC array.
        corners: 4x2 float (x, y): top-left, top-right, bottom-right, bottom-left.
        size: (width, height) of the output.

    Returns:
        size[1] x size[0] (x C) array of the image's dtype.
    """
    src = np.asarray(corners, np.float32).reshape(4, 2)
    w, h = size
    dst = np.float32([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]])
    m = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(
        image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
