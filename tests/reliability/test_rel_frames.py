"""Fuzzed and hand-picked frames: `read_frame` returns a Reading (maybe empty) or a one-line
InputError, within a bounded time, and never changes its input.

Bounds are generous (the CI machine is shared): the point is "no seconds-long stall on
640x480 noise, no minute on 8000x8000", not a benchmark.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_helpers import assert_no_traceback, run_digitcam

from digitcam.errors import InputError
from digitcam.pipeline import read_frame
from digitcam.types import Reading

#: Seconds one VGA-sized frame may take, whatever is in it (typical: < 0.5 s).
VGA_BOUND_S = 5.0
#: Seconds an 8000x8000 frame may take (typical: 4-5 s; time grows with the pixel count).
HUGE_BOUND_S = 60.0


@pytest.fixture(scope="module")
def model(tiny_model_path: Path):
    from digitcam.classify import load_model

    return load_model(tiny_model_path)


def _read(image: np.ndarray, model) -> tuple[Reading | InputError, float]:
    t0 = time.perf_counter()
    try:
        out: Reading | InputError = read_frame(image, model)
    except InputError as exc:
        out = exc
    return out, time.perf_counter() - t0


def _valid(out: Reading | InputError) -> None:
    if isinstance(out, InputError):
        assert str(out)
        assert "\n" not in str(out)
        return
    assert isinstance(out, Reading)
    json.dumps(out.to_json())  # one JSON line, whatever was read
    assert len(out.lines) == len(out.glyphs)


_DTYPES = [np.uint8, np.uint16, np.int8, np.int32, np.int64, np.float16, np.float32,
           np.float64, np.bool_]  # fmt: skip


@st.composite
def frames(draw: st.DrawFn) -> np.ndarray:
    h = draw(st.integers(1, 320))
    w = draw(st.integers(1, 320))
    channels = draw(st.sampled_from([None, 1, 2, 3, 4, 5]))
    dtype = np.dtype(draw(st.sampled_from(_DTYPES)))
    shape = (h, w) if channels is None else (h, w, channels)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    fill = draw(st.sampled_from(["noise", "constant", "blocks", "extremes"]))
    if fill == "noise":
        base = rng.integers(0, 256, shape)
    elif fill == "constant":
        base = np.full(shape, draw(st.integers(0, 255)))
    elif fill == "blocks":
        base = np.full(shape, 230)
        for _ in range(draw(st.integers(1, 40))):
            y, x = rng.integers(0, h), rng.integers(0, w)
            base[y : y + rng.integers(1, 40), x : x + rng.integers(1, 25)] = 20
    else:
        base = rng.choice([0, 255], shape)
    if dtype == np.bool_:
        a = base > 127
    elif np.issubdtype(dtype, np.floating):
        a = (base / 255.0).astype(dtype)
        if draw(st.booleans()):
            a.flat[rng.integers(0, a.size, max(1, a.size // 50))] = rng.choice(
                [np.nan, np.inf, -np.inf]
            )
    elif dtype == np.uint16:
        a = (base * 257).astype(dtype)
    elif dtype == np.int8:
        a = (base - 128).astype(dtype)
    else:
        a = (base * draw(st.sampled_from([1, 1000, -1]))).astype(dtype)
    layout = draw(st.sampled_from(["c", "fortran", "strided", "readonly"]))
    if layout == "fortran":
        a = np.asfortranarray(a)
    elif layout == "strided":
        a = np.repeat(np.repeat(a, 2, axis=0), 2, axis=1)[::2, ::-2]
    elif layout == "readonly":
        a.setflags(write=False)
    return a


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(image=frames())
def test_any_array_gives_a_reading_or_a_one_line_error_quickly(model, image: np.ndarray) -> None:
    # given any array of up to 320x320 of any common dtype, channel count and memory layout
    before = image.copy()
    # when read
    out, took = _read(image, model)
    # then a Reading or a one-line InputError (5 channels, 2 channels), quickly, input intact
    _valid(out)
    if image.ndim == 3 and image.shape[2] in (2, 5):
        assert isinstance(out, InputError)
    assert took < VGA_BOUND_S
    np.testing.assert_array_equal(image, before)


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.uint16, np.float32, np.float64])
@pytest.mark.parametrize("channels", [1, 3])
def test_a_display_window_in_a_frame_of_any_dtype_is_read_without_error(
    model, dtype, channels
) -> None:
    # given a frame of another dtype (one channel or three) holding a rectangular outline,
    # which the seven-segment reader takes for a display window and reads on its own
    img = np.full((120, 200, channels), 10, np.uint8)
    cv2.rectangle(img, (30, 30), (170, 90), (120, 120, 120), 3)
    image = img.astype(dtype)
    # when read / then a Reading, not an error (an OpenCV one escaped here once)
    out, _took = _read(image, model)
    _valid(out)
    assert isinstance(out, Reading)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (np.zeros((0, 0, 3), np.uint8), "shape"),
        (np.zeros((10,), np.uint8), "shape"),
        (np.zeros((2, 10, 10, 3), np.uint8), "shape"),
        (np.zeros((10, 10, 7), np.uint8), "channels"),
        (np.array([["a", "b"], ["c", "d"]]), "dtype"),
        (np.zeros((20, 20), np.complex64), "dtype"),
        (np.empty((20, 20), object), "dtype"),
    ],
    ids=["empty", "1-d", "4-d", "7-channels", "strings", "complex", "object"],
)
def test_non_images_are_one_line_input_errors(model, value: np.ndarray, message: str) -> None:
    # given an array that is not an image / when read / then InputError naming the problem
    with pytest.raises(InputError, match=message) as info:
        read_frame(value, model)
    assert "\n" not in str(info.value)


def _tiny_blobs(h: int = 480, w: int = 640) -> np.ndarray:
    img = np.full((h, w), 235, np.uint8)
    img[1::4, 1::4] = 10  # 19,200 one-pixel specks
    return img


def _circles(n: int = 6000, size: int = 1200) -> np.ndarray:
    rng = np.random.default_rng(7)
    img = np.full((size, size), 240, np.uint8)
    for x, y, r in zip(
        rng.integers(0, size, n), rng.integers(0, size, n), rng.integers(2, 8, n), strict=True
    ):
        cv2.circle(img, (int(x), int(y)), int(r), 15, -1)
    return img


def _page_of_digits(rows: int = 25, per_row: int = 20) -> tuple[np.ndarray, int]:
    rng = np.random.default_rng(3)
    img = np.full((rows * 54 + 60, per_row * 34 + 60), 250, np.uint8)
    for r in range(rows):
        text = "".join(str(d) for d in rng.integers(0, 10, per_row))
        cv2.putText(img, text, (20, 50 + r * 54), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 3)
    return img, rows * per_row


HAND_PICKED = {
    "1x1": lambda: np.zeros((1, 1, 3), np.uint8),
    "1x8000": lambda: np.full((1, 8000), 200, np.uint8),
    "all-black": lambda: np.zeros((480, 640, 3), np.uint8),
    "all-white": lambda: np.full((480, 640, 3), 255, np.uint8),
    "noise-vga": lambda: np.random.default_rng(0).integers(0, 256, (480, 640, 3), np.uint8),
    "noise-1080p": lambda: np.random.default_rng(1).integers(0, 256, (1080, 1920), np.uint8),
    "bgra-noise": lambda: np.random.default_rng(2).integers(0, 256, (480, 640, 4), np.uint8),
    "uint16-ramp": lambda: np.tile(np.arange(640, dtype=np.uint16) * 100, (480, 1)),
    "float-nan": lambda: np.full((480, 640), np.nan, np.float32),
    "float-huge": lambda: np.full((480, 640), 1e30, np.float64),
    "19200-specks": _tiny_blobs,
    "6000-disks": _circles,
    "checkerboard": lambda: (
        np.kron(np.indices((60, 80)).sum(axis=0) % 2, np.ones((8, 8))).astype(np.uint8) * 255
    ),
}


@pytest.mark.parametrize("name", list(HAND_PICKED))
def test_hand_picked_frames_read_within_bounds(model, name: str) -> None:
    # given a hand-picked awkward frame
    image = HAND_PICKED[name]()
    # when read
    out, took = _read(image, model)
    # then a Reading (empty, or with notes saying a cap was hit) in bounded time
    assert isinstance(out, Reading), out
    _valid(out)
    assert took < VGA_BOUND_S * max(1.0, image.shape[0] * image.shape[1] / (640 * 480)) ** 0.5
    if name in ("noise-vga", "noise-1080p", "19200-specks", "6000-disks"):
        assert any("cap" in n or "kept" in n or "refined the" in n for n in out.notes), out.notes
    if name in ("all-black", "all-white", "1x1", "float-nan", "float-huge"):
        assert out.text == ""


def test_a_page_of_500_digits_reads_most_of_them_in_bounded_time(model) -> None:
    # given 25 lines of 20 printed digits
    image, n = _page_of_digits()
    # when read
    out, took = _read(image, model)
    # then many lines come back (the line cap may keep the 24 longest), quickly
    assert isinstance(out, Reading)
    digits = sum(ch.isdigit() for ch in out.text)
    assert digits >= 0.8 * min(n, 24 * 20), (digits, out.notes)
    assert took < 3 * VGA_BOUND_S


def test_an_8000x8000_frame_is_read_within_a_minute(model) -> None:
    # given an 8000x8000 BGR frame with a few digits on it
    image = np.full((8000, 8000, 3), 230, np.uint8)
    cv2.putText(image, "4711", (500, 4000), cv2.FONT_HERSHEY_SIMPLEX, 30, (0, 0, 0), 60)
    # when read
    out, took = _read(image, model)
    # then it reads, within the bound (the time grows with pixels; nothing caps it lower)
    assert isinstance(out, Reading)
    assert took < HUGE_BOUND_S


def test_read_command_on_odd_image_files(tmp_path: Path) -> None:
    # given image files of odd sizes, depths and channel counts (and one undecodable)
    files = {
        "one-pixel.png": np.zeros((1, 1, 3), np.uint8),
        "gray16.png": (np.random.default_rng(0).integers(0, 65535, (120, 160))).astype(np.uint16),
        "bgra.png": np.dstack(
            [np.full((120, 160, 3), 200, np.uint8), np.zeros((120, 160), np.uint8)]
        ),
        "noise.jpg": np.random.default_rng(1).integers(0, 256, (480, 640, 3), np.uint8),
        "long-strip.png": np.full((4, 4000, 3), 128, np.uint8),
    }
    paths = []
    for name, img in files.items():
        assert cv2.imwrite(str(tmp_path / name), img)
        paths.append(tmp_path / name)
    (tmp_path / "fake.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    paths.append(tmp_path / "fake.png")
    # when `digitcam read --json` reads them all
    proc = run_digitcam("read", "--json", *paths, timeout=120)
    # then one JSON line per readable file, one error line for the fake, exit 1, no traceback
    assert_no_traceback(proc.stderr)
    assert proc.returncode == 1, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [Path(r["source"]).name for r in records] == list(files)
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 1, proc.stderr
    assert "fake.png" in errors[0]
