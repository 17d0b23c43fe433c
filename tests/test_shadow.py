"""Cast shadows: their straight edge found and lifted (`digitcam.shadow`), and the reader's
second look at a frame a shadow's edge crosses (`pipeline.read_frame`)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from digitcam.classify import Model, load_model
from digitcam.config import ReaderConfig
from digitcam.pipeline import read_frame
from digitcam.shadow import ShadowEdge, find_shadow_edge, lift_shadow
from digitcam.synth7 import CounterScene, make_display_scene
from digitcam.types import Box, Glyph, Reading


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model()


def _shade(image: np.ndarray, rho: float, theta: float, dark: float, width: float) -> np.ndarray:
    """A shadow cast over the plus side of the line x cos(theta) + y sin(theta) = rho,
    `dark` of the light taken, ramping over `width` px (as a hand's shadow falls)."""
    hh, ww = image.shape[:2]
    yy, xx = np.mgrid[0:hh, 0:ww].astype(np.float32)
    sd = xx * math.cos(theta) + yy * math.sin(theta) - rho
    light = 1.0 - dark * np.clip(0.5 + sd / width, 0, 1)
    return np.clip(image * light[..., None], 0, 255).astype(np.uint8)


def _through_display(seed: int, theta: float) -> tuple[np.ndarray, float, str]:
    """A seeded display scene, the rho of a line through its display's centre at theta,
    and its truth."""
    scene = make_display_scene(seed)
    cx, cy = scene.corners.mean(axis=0)
    return scene.image, float(cx * math.cos(theta) + cy * math.sin(theta)), "\n".join(scene.lines)


def _same_line(edge: ShadowEdge, rho: float, theta: float) -> tuple[float, float]:
    """(angle difference in degrees, rho difference in px) of an edge and a line, the
    line's normal taken either way round."""
    d = (edge.theta - theta) % (2 * math.pi)
    if d > math.pi:
        d -= 2 * math.pi
    r = rho
    if abs(d) > math.pi / 2:  # the normal points the other way: the same line
        d = d - math.copysign(math.pi, d)
        r = -rho
    return abs(math.degrees(d)), abs(edge.rho - r)


@pytest.mark.parametrize(
    ("seed", "theta", "dark", "width"),
    [(6012, 2.115, 0.3, 36.0), (6021, 0.4, 0.43, 11.0), (6045, 2.85, 0.43, 6.0),
     (6047, 1.461, 0.26, 33.0), (6064, 1.744, 0.45, 29.0)],
)  # fmt: skip
def test_a_cast_shadow_edge_is_found_where_it_lies(
    seed: int, theta: float, dark: float, width: float
) -> None:
    image, rho, _truth = _through_display(seed, theta)
    edge = find_shadow_edge(_shade(image, rho, theta, dark, width))
    assert edge is not None
    angle, offset = _same_line(edge, rho, theta)
    assert angle < 3.0
    assert offset < 8.0
    assert abs((1 - math.exp(-abs(edge.step))) - dark) < 0.08
    assert 0.5 * width < edge.width < 2.0 * width


@pytest.mark.parametrize("seed", [6003, 6020, 6030, 6042, 6100, 6101, 6102])
def test_a_frame_without_a_shadow_has_no_edge(seed: int) -> None:
    assert find_shadow_edge(make_display_scene(seed).image) is None


def test_an_edge_between_two_colours_is_no_shadow() -> None:
    # a red body against a green wall: a straight step across the frame, but each colour
    # channel steps its own way
    image = np.zeros((480, 640, 3), np.uint8)
    image[:, :320] = (40, 60, 200)
    image[:, 320:] = (40, 170, 60)
    noise = np.random.default_rng(0).normal(0, 3, image.shape)
    image = np.clip(image + noise, 0, 255).astype(np.uint8)
    assert find_shadow_edge(image) is None


def _grey_panel(x0: int, x1: int) -> np.ndarray:
    """A light grey panel over columns x0:x1, rows 150-399, on a darker grey wall (noisy)."""
    image = np.full((480, 640, 3), 70, np.uint8)
    image[150:400, x0:x1] = 125
    noise = np.random.default_rng(1).normal(0, 3, image.shape)
    return np.clip(image + noise, 0, 255).astype(np.uint8)


def test_an_object_outline_ending_inside_the_frame_is_no_shadow() -> None:
    # a grey panel on a grey wall (a meter's bezel): its top edge is a colourless straight
    # step along three quarters of the frame's width that ends at the panel's corners on
    # both sides
    assert find_shadow_edge(_grey_panel(80, 560)) is None
    # the same step running on to the frame's border on one side is taken as a shadow's
    # (what casts a shadow is outside the picture)
    edge = find_shadow_edge(_grey_panel(0, 560))
    assert edge is not None
    (angle, top), (_, bottom) = (_same_line(edge, y, math.pi / 2) for y in (150.0, 400.0))
    assert angle < 3.0
    assert min(top, bottom) < 8.0


def test_a_shadow_edge_along_a_cards_edge_is_found() -> None:
    # a light card over half the frame's width, a shadow's edge 20 px under its lower edge
    # and along it: where the card is, the edge's profile holds the card's step besides
    # the shadow's, more than the shadow's alone (those pieces say nothing either way)
    rng = np.random.default_rng(5)
    img = np.full((480, 640, 3), (90, 110, 120), np.float32) + rng.normal(0, 4, (480, 640, 3))
    img[150:250, 60:350] = (225, 230, 235)
    edge = find_shadow_edge(_shade(img, 270.0, math.pi / 2, 0.4, 12.0))
    assert edge is not None
    angle, offset = _same_line(edge, 270.0, math.pi / 2)
    assert angle < 3.0
    assert offset < 8.0
    assert abs((1 - math.exp(-abs(edge.step))) - 0.4) < 0.08
    # while the card alone casts none
    assert find_shadow_edge(np.clip(img, 0, 255).astype(np.uint8)) is None


def test_the_demo_meter_bezel_is_no_shadow() -> None:
    # the live demo's grey bezel on its wall (it was taken for a shadow's edge, and every
    # demo frame was read twice)
    scene = CounterScene(0)
    assert all(find_shadow_edge(scene.frame(i)[0]) is None for i in range(0, 60, 15))


def test_small_frames_and_other_dtypes_are_not_searched() -> None:
    image, rho, _ = _through_display(6003, 0.9)
    shaded = _shade(image, rho, 0.9, 0.45, 12.0)
    assert find_shadow_edge(shaded[:100, :100]) is None
    assert find_shadow_edge(shaded.astype(np.float32)) is None


def test_lifting_restores_the_light_away_from_the_edge() -> None:
    image, rho, _ = _through_display(6003, 0.9)
    shaded = _shade(image, rho, 0.9, 0.45, 12.0)
    edge = find_shadow_edge(shaded)
    assert edge is not None
    lifted = lift_shadow(shaded, edge)
    assert lifted.shape == shaded.shape
    assert lifted.dtype == np.uint8
    hh, ww = image.shape[:2]
    yy, xx = np.mgrid[0:hh, 0:ww]
    far = np.abs(xx * math.cos(0.9) + yy * math.sin(0.9) - rho) > 40
    # unclipped pixels of the shaded side, before and after
    shade_side = far & (xx * math.cos(0.9) + yy * math.sin(0.9) > rho) & (image.max(axis=2) < 230)
    err_before = np.abs(shaded.astype(int) - image.astype(int))[shade_side].mean()
    err_after = np.abs(lifted.astype(int) - image.astype(int))[shade_side].mean()
    assert err_after < 0.25 * err_before
    # the lit side is left as it was
    lit_side = far & ~(xx * math.cos(0.9) + yy * math.sin(0.9) > rho)
    assert np.abs(lifted.astype(int) - shaded.astype(int))[lit_side].mean() < 1.0


def test_lifting_keeps_an_alpha_channel_and_gray_frames() -> None:
    edge = ShadowEdge(rho=100.0, theta=0.0, step=-0.5, width=10.0)
    bgra = np.full((200, 200, 4), 100, np.uint8)
    out = lift_shadow(bgra, edge)
    assert (out[..., 3] == 100).all()
    assert out[:, 150, 0].min() > 150  # shaded side (x > 100) brightened by e^0.5
    assert (out[:, 50, :3] == 100).all()
    gray = np.full((200, 200), 100, np.uint8)
    assert lift_shadow(gray, edge)[:, 150].min() > 150


@pytest.mark.parametrize(("seed", "theta"), [(6003, 0.898), (6030, 2.223), (6050, 0.27)])
def test_a_display_a_shadow_misreads_is_read_with_the_shadow_lifted(
    seed: int, theta: float, model: Model
) -> None:
    image, rho, truth = _through_display(seed, theta)
    shaded = _shade(image, rho, theta, 0.45, 12.0)
    without = read_frame(shaded, model, ReaderConfig(lift_shadows=False))
    reading = read_frame(shaded, model)
    assert without.text != truth  # the shadow's edge across the display misleads it
    assert reading.text == truth
    assert reading.timings.shadow > 0
    assert reading.timings.total >= reading.timings.shadow


def test_a_frame_with_no_shadow_reads_as_without_the_second_look(model: Model) -> None:
    scene = make_display_scene(6100)
    on = read_frame(scene.image, model)
    off = read_frame(scene.image, model, ReaderConfig(lift_shadows=False))
    assert on.text == off.text == "\n".join(scene.lines)
    assert off.timings.shadow == 0


def _reading(*lines: str, conf: float = 1.0) -> Reading:
    glyphs = tuple(
        tuple(Glyph(Box(20 * i, 40 * k, 18, 30), ch, conf) for i, ch in enumerate(text))
        for k, text in enumerate(lines)
    )
    return Reading(0, lines, glyphs)


def test_a_reading_with_the_shadow_lifted_is_kept_only_about_as_sure() -> None:
    from digitcam.pipeline import SHADOW_SURE_MARGIN, _keeps_lifted

    # a frame that read nothing keeps whatever the lifted frame reads
    assert _keeps_lifted(_reading(), _reading("8.3", conf=0.4))
    # one that read something keeps a lifted reading about as sure, or surer
    assert _keeps_lifted(_reading("53", conf=0.9), _reading("63", conf=0.95))
    assert _keeps_lifted(_reading("53", conf=0.9), _reading("63", conf=0.9 - SHADOW_SURE_MARGIN))
    # but not one read less surely (an edge placed a few pixels off leaves a faint bar
    # along it: a sure "0" read "10"), nor one that reads nothing
    assert not _keeps_lifted(_reading("0"), _reading("10", conf=0.7))
    assert not _keeps_lifted(_reading("0"), _reading())
    # nor one that lost a line the first read surely, however sure itself ("566-35" over
    # "57-2" lost), while a line read unsurely (clutter the shadow's edge made) may go
    assert not _keeps_lifted(_reading("566-35", "57-2", conf=0.9), _reading("57-2"))
    assert _keeps_lifted(_reading("57-2", conf=0.9), _reading("566-35", "57-2"))
    sure, clutter = _reading("75", "008").glyphs
    first = Reading(0, ("75", "008"), (sure, tuple(replace(g, confidence=0.8) for g in clutter)))
    assert _keeps_lifted(first, _reading("75"))
    # and so may two lines read as one (the edge had cut the line in two)
    assert _keeps_lifted(_reading("6190", "005", conf=0.9), _reading("61900005"))


def test_a_lifted_reading_that_leaves_out_sure_digits_is_not_kept() -> None:
    from digitcam.pipeline import LOST_DIGIT_CONFIDENCE, _keeps_lifted

    first = _reading("2.2", "795507", "08628754.5")
    # a lifted reading as sure, but without a digit read surely first (the bar an edge
    # placed a little off leaves across a "6"), keeps the first reading
    assert not _keeps_lifted(first, _reading("2.2", "795507", "0828754.5"))
    assert not _keeps_lifted(first, _reading("2.2", "79507", "0828754.5"))
    # while one that reads a digit differently, or a point less, may replace it (a line
    # less may not: `test_a_reading_with_the_shadow_lifted_is_kept_only_about_as_sure`)
    assert _keeps_lifted(first, _reading("2.2", "795507", "08528754.5"))
    assert _keeps_lifted(first, _reading("2.2", "795507", "086287545"))
    # and a digit the first reading read unsure may go, and so may a 1 (a shadow's edge
    # across a display line's end is read as a sure 1: "16608124")
    unsure = _reading("60", conf=1.0)
    unsure = Reading(0, unsure.lines, ((replace(unsure.glyphs[0][0], confidence=0.6),
                                        unsure.glyphs[0][1]),))  # fmt: skip
    assert LOST_DIGIT_CONFIDENCE > 0.6
    assert _keeps_lifted(unsure, _reading("0"))
    assert _keeps_lifted(_reading("16608124"), _reading("6608124"))
