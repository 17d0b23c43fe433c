"""Image file reading/writing with one-line errors."""

import numpy as np
import pytest

from digitcam.errors import InputError
from digitcam.images import read_image, write_image


def test_round_trip_with_non_ascii_path(tmp_path):
    img = np.zeros((10, 12, 3), np.uint8)
    img[2:5, 3:7] = (10, 200, 30)
    p = write_image(tmp_path / "dir ü" / "frame é.png", img)
    back = read_image(p)
    assert back.shape == (10, 12, 3)
    assert np.array_equal(back, img)


def test_gray_png_is_expanded_to_bgr(tmp_path):
    p = write_image(tmp_path / "g.png", np.full((4, 4), 77, np.uint8))
    assert read_image(p).shape == (4, 4, 3)


@pytest.mark.parametrize(
    ("setup", "match"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "directory"),
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20), "truncated PNG"),
        (lambda p: p.write_bytes(b"GIF89a" + b"\0" * 20), "not a readable image"),
    ],
)
def test_bad_files(tmp_path, setup, match):
    p = tmp_path / "x.png"
    setup(p)
    with pytest.raises(InputError, match=match):
        read_image(p)


def test_unwritable_destination_is_an_input_error(tmp_path):
    # A regular file where the folder should be: fails even for root.
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot write"):
        write_image(blocker / "a.png", np.zeros((2, 2), np.uint8))


@pytest.mark.parametrize("ext", [".png", ".jpg"])
def test_truncated_files_are_reported_as_truncated(tmp_path, ext):
    img = np.random.default_rng(0).integers(0, 255, (64, 64, 3), dtype=np.uint8)
    p = write_image(tmp_path / f"a{ext}", img)
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    with pytest.raises(InputError, match="truncated"):
        read_image(p)
