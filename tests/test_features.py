"""Glyph normalization and features."""

import numpy as np
import pytest

from digitcam.features import (
    NORM_SIZE,
    FeatureSpec,
    deskew,
    glyph_features,
    local_standardize,
    normalize_glyph,
)


def test_normalize_keeps_aspect_of_a_one():
    # Given a thin vertical bar (a sans-serif "1"), When normalized
    bar = np.zeros((40, 6), np.uint8)
    bar[:, :] = 255
    out = normalize_glyph(bar)
    cols = np.flatnonzero(out.max(axis=0) > 0.5)
    rows = np.flatnonzero(out.max(axis=1) > 0.5)
    # Then it stays a thin bar, centred, not stretched to a square
    assert out.shape == (NORM_SIZE, NORM_SIZE)
    assert len(cols) <= 4
    assert len(rows) >= 14
    assert abs((cols.min() + cols.max()) / 2 - (NORM_SIZE - 1) / 2) <= 1.0


def test_normalize_rejects_empty():
    with pytest.raises(ValueError, match="non-empty"):
        normalize_glyph(np.zeros((0, 3)))


def test_deskew_straightens_a_slanted_bar():
    img = np.zeros((20, 20), np.float32)
    for r in range(3, 17):
        c = 6 + (17 - r) * 0.4  # leaning right going up
        img[r, int(c) : int(c) + 3] = 1
    straight = deskew(img)
    cols_top = np.flatnonzero(straight[4] > 0.3).mean()
    cols_bot = np.flatnonzero(straight[15] > 0.3).mean()
    assert abs(cols_top - cols_bot) < abs(
        np.flatnonzero(img[4] > 0.3).mean() - np.flatnonzero(img[15] > 0.3).mean()
    )


@pytest.mark.parametrize(
    "spec",
    [
        FeatureSpec("pixels", size=10),
        FeatureSpec("pixels", size=20),
        FeatureSpec("hog", cells=4, bins=8),
        FeatureSpec("hog", cells=2, bins=16, deskew=True),
        FeatureSpec("uhog", bins=8),
        FeatureSpec("lhog", bins=8),
    ],
)
def test_feature_lengths_match_spec(spec):
    rng = np.random.default_rng(1)
    batch = rng.random((5, NORM_SIZE, NORM_SIZE)).astype(np.float32)
    f = glyph_features(batch, spec)
    assert f.shape == (5, spec.length)
    assert f.dtype == np.float32
    assert np.isfinite(f).all()


def test_hog_distinguishes_bar_orientations():
    h = np.zeros((NORM_SIZE, NORM_SIZE), np.float32)
    h[9:11, 3:17] = 1
    v = h.T.copy()
    f = glyph_features(np.stack([h, v, h]), FeatureSpec("hog"))
    assert np.allclose(f[0], f[2])
    assert np.linalg.norm(f[0] - f[1]) > 0.5


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"kind": "sift"}, "kind"),
        ({"kind": "pixels", "size": 7}, "size"),
        ({"kind": "hog", "cells": 3}, "cells"),
    ],
)
def test_bad_specs_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        FeatureSpec(**kwargs)


def test_local_standardize_lifts_a_faint_stroke_next_to_a_strong_one():
    # given a strong bar on a dark left half and a faint one (a fifth of the contrast) on
    # a brighter right half, as on an unevenly lit meter cell
    img = np.zeros((NORM_SIZE, NORM_SIZE), np.float32)
    img[:, 10:] = 0.5
    img[4:16, 4:6] = 1.0
    img[4:16, 14:16] = 0.7
    # when locally standardized
    out = local_standardize(img[None])[0]
    # then the faint bar stands out against its surroundings more than the input's 1 : 5
    rows = out[6:14]
    strong = rows[:, :9].max() - np.median(rows[:, :9])
    faint = rows[:, 11:].max() - np.median(rows[:, 11:])
    assert out.shape == (NORM_SIZE, NORM_SIZE)
    assert faint > 0.3 * strong > 0
    assert out.min() >= 0.0
    assert out.max() <= 1.0


def test_lhog_is_polarity_free_and_tells_a_bar_from_a_ring():
    bar = np.zeros((NORM_SIZE, NORM_SIZE), np.float32)
    bar[3:17, 9:12] = 1.0
    ring = np.zeros((NORM_SIZE, NORM_SIZE), np.float32)
    ring[3:17, 5:15] = 1.0
    ring[6:14, 8:12] = 0.0
    spec = FeatureSpec("lhog", bins=8)
    f = glyph_features(np.stack([bar, 1.0 - bar, ring]), spec)
    np.testing.assert_allclose(f[0], f[1], atol=1e-5)
    assert np.linalg.norm(f[0] - f[2]) > 0.3
