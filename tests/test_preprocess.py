"""Pixel stages: grayscale conversion, noise estimate, both-polarity threshold."""

import numpy as np
import pytest

from digitcam.errors import InputError
from digitcam.preprocess import ink_masks, ink_offset, noise_sigma, odd, to_gray, warp_quad


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        (np.full((4, 5), 7, np.uint8), 7),
        (np.full((4, 5, 1), 9, np.uint8), 9),
        (np.full((4, 5, 3), 200, np.uint8), 200),
        (np.full((4, 5, 4), 100, np.uint8), 100),
        (np.full((4, 5), 0x8000, np.uint16), 0x80),
        (np.full((4, 5), 0.5, np.float32), 127),
        (np.full((4, 5), 30.0, np.float64), 30),
        (np.ones((4, 5), bool), 255),
    ],
)
def test_to_gray_converts_common_layouts(image, expected):
    # Given an image in some layout/dtype, When converted, Then it is HxW uint8 of that level.
    g = to_gray(image)
    assert g.shape == (4, 5)
    assert g.dtype == np.uint8
    assert int(g[0, 0]) == expected


@pytest.mark.parametrize(
    "bad", [np.zeros((0, 5), np.uint8), np.zeros(7, np.uint8), np.zeros((3, 3, 2), np.uint8)]
)
def test_to_gray_rejects_non_images_with_shape_in_message(bad):
    with pytest.raises(InputError, match="shape"):
        to_gray(bad)


def test_to_gray_does_not_alias_input():
    img = np.full((3, 3), 5, np.uint8)
    g = to_gray(img)
    g[0, 0] = 99
    assert img[0, 0] == 5


def test_float_nan_is_handled():
    img = np.full((4, 4), np.nan, np.float32)
    assert to_gray(img).max() == 0


def test_noise_sigma_tracks_added_noise():
    rng = np.random.default_rng(0)
    flat = np.full((200, 200), 128.0)
    low = noise_sigma(np.clip(flat + rng.normal(0, 2, flat.shape), 0, 255).astype(np.uint8))
    high = noise_sigma(np.clip(flat + rng.normal(0, 12, flat.shape), 0, 255).astype(np.uint8))
    assert low < 4
    assert 6 < high < 20
    assert ink_offset(np.full((50, 50), 128, np.uint8)) == pytest.approx(4.0)


def test_ink_masks_find_each_polarity():
    # Given a dark square and a light square on mid-gray paper
    img = np.full((60, 120), 128, np.uint8)
    img[20:40, 20:40] = 20
    img[20:40, 80:100] = 235
    dark, light = ink_masks(img, block=31, offset=10)
    # Then each mask holds its own square and not the other
    assert dark[30, 30] == 255
    assert light[30, 30] == 0
    assert light[30, 90] == 255
    assert dark[30, 90] == 0
    assert dark[5, 60] == 0
    assert light[5, 60] == 0


def test_odd_is_odd_and_floored():
    assert odd(10) == 11
    assert odd(11) == 11
    assert odd(1) == 3


def test_warp_quad_maps_corners_to_rectangle():
    img = np.zeros((100, 100), np.uint8)
    img[10:20, 10:20] = 255  # top-left corner region of the quad
    out = warp_quad(img, np.float32([[10, 10], [90, 10], [90, 90], [10, 90]]), size=(80, 80))
    assert out.shape == (80, 80)
    assert out[3, 3] == 255
    assert out[60, 60] == 0


@pytest.mark.parametrize("n", [1, 2, 3, 10, 1001, 76800])
def test_int_median_is_numpys_median(n):
    from digitcam.preprocess import _int_median

    values = np.random.default_rng(n).integers(0, 300, n).astype(np.int16)
    assert _int_median(values) == float(np.median(values))
