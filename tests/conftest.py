"""Shared fixtures. Add fixtures here; keep each one small and seeded."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import settings

# Property tests draw a fixed sample by default, so a run of the suite (CI) gives the same
# verdict every time; HYPOTHESIS_PROFILE=explore draws fresh examples to hunt for new cases.
settings.register_profile("fixed", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))

_HERSHEY = (
    cv2.FONT_HERSHEY_SIMPLEX,
    cv2.FONT_HERSHEY_DUPLEX,
    cv2.FONT_HERSHEY_TRIPLEX,
    cv2.FONT_HERSHEY_PLAIN,
)


def counter_image(value: int, *, size: tuple[int, int] = (320, 240), digits: int = 3) -> np.ndarray:
    """A HxWx3 BGR uint8 frame showing `value` as dark digits on a light background."""
    w, h = size
    img = np.full((h, w, 3), 225, np.uint8)
    scale = h / 80.0
    cv2.putText(
        img,
        f"{value:0{digits}d}",
        (w // 8, int(h * 0.65)),
        cv2.FONT_HERSHEY_SIMPLEX,
        scale,
        (20, 20, 20),
        max(2, int(scale * 2)),
        cv2.LINE_AA,
    )
    return img


@pytest.fixture(scope="session")
def make_counter_video() -> Callable[..., Path]:
    """Writes an mp4 (mp4v) of a counter 0, 1, 2, ... with cv2.VideoWriter; returns its path."""

    def make(
        path: Path, frames: int, *, fps: float = 30.0, size: tuple[int, int] = (320, 240)
    ) -> Path:
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
        assert writer.isOpened(), f"cv2.VideoWriter cannot write {path}"
        for i in range(frames):
            writer.write(counter_image(i, size=size))
        writer.release()
        return path

    return make


@pytest.fixture(scope="session")
def tiny_model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small KNN model trained in a few ms on Hershey-font digits.

    For tests of the loop, sinks and CLI mechanics: it reads clean rendered counters, and it
    does not depend on the shipped model being built.
    """
    from digitcam.classify import save_model, train_model
    from digitcam.features import FeatureSpec, glyph_features, normalize_glyph

    norms, labels = [], []
    for digit in "0123456789":
        for font in _HERSHEY:
            for thickness in (2, 4, 6):
                img = np.zeros((80, 70), np.uint8)
                scale = 4.0 if font == cv2.FONT_HERSHEY_PLAIN else 2.0
                cv2.putText(img, digit, (10, 65), font, scale, 255, thickness)
                ys, xs = np.nonzero(img)
                norms.append(normalize_glyph(img[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]))
                labels.append(digit)
    spec = FeatureSpec()
    model = train_model(glyph_features(np.stack(norms), spec), labels, spec=spec, k=1)
    return save_model(model, tmp_path_factory.mktemp("model") / "tiny-knn.npz")
