"""A cast shadow's edge across the frame: found, and lifted out. All pure.

A hand or a phone between the light and a meter casts a shadow whose soft, straight edge
crosses the display. The shadow multiplies the light on one side of the edge by one factor
(every colour alike), so in the log of the image the edge is a step of one height all along
a straight line, whatever it crosses. Across the display that step splits a window's ground
in two: the window's outline is lost in the edge's, its polarity misjudged, one split level
takes the shaded digits' bars for ghosts. Divided out, the frame reads as if lit evenly.

`find_shadow_edge` looks for such a line: straight edges voted from the log image's
gradient (`_vote_lines`), each refined (`_refine`: where along its length the log gradient
across it peaks, the step it makes and its soft width), and taken only where the step holds
along most of the line, runs on to the frame's border on one side at least (an object's
outline, a grey bezel on a grey wall, ends inside the frame at both of its corners) and is
alike in every colour channel (`_neutral`: an object's edge, a device's body on a wall,
changes colour as well). `lift_shadow` divides the shaded side by the light the step says
fell there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

# the frame is searched at about this many pixels on its short side (cheap, and smooth
# enough that strokes do not outvote the edge); the edge is refined at twice that
SEARCH_SIDE = 120
# smallest frame searched (a crop of a digit or two has no room for a shadow's edge)
MIN_SIDE = 120
# log-gradient magnitude (per search pixel) a pixel needs to vote, and the most it gives
VOTE_MIN = 0.012
VOTE_CAP = 0.05
# straight edges tried, most votes first
MAX_CANDIDATES = 8
# a shadow's step in the log of the light: from 14 % to 55 % darker
MIN_STEP = 0.15
MAX_STEP = 0.8
# refining: pieces of the line whose own step is within this ratio of the whole line's
# count as holding it; this share of pieces must (of those that do not step more: there
# an edge of the content runs along the line, a card's or a bezel's, within the profile's
# reach, and says nothing either way), and this share of all of them
STEP_RATIO = (0.5, 1.6)
HOLD_SHARE = 0.6
MIN_HELD = 0.4
# what casts a shadow is outside the picture, so its edge runs on to the frame's border on
# at least one side; an object's outline (a meter's bezel on a wall) ends at its corners on
# both. The pieces held must reach to within this many of the line's end on one side.
END_PIECES = 1
# the colour channels' steps may spread by this fraction of their mean (a shadow dims all
# alike; the log of a dark channel's values still spreads them somewhat)
NEUTRAL_SPREAD = 0.6
LOG_OFFSET = 8.0  # added before the log: sensor noise in the dark is no step


@dataclass(frozen=True)
class ShadowEdge:
    """A straight shadow edge: x cos(theta) + y sin(theta) = rho in frame pixels.

    Attributes:
        rho, theta: the edge's line (theta in radians, the normal's direction).
        step: log of the light's ratio from the minus side to the plus side of the line
            (negative: the plus side is in shadow).
        width: the soft edge's width in pixels (the light ramps over it).
    """

    rho: float
    theta: float
    step: float
    width: float

    def light(self, shape: tuple[int, int]) -> NDArray[np.float32]:
        """The fraction of the light each pixel of an H x W frame got (1 in full light)."""
        hh, ww = shape
        yy, xx = np.mgrid[0:hh, 0:ww].astype(np.float32)
        sd = xx * math.cos(self.theta) + yy * math.sin(self.theta) - self.rho
        if self.step > 0:  # the minus side is in shadow
            sd = -sd
        dark = 1.0 - math.exp(-abs(self.step))
        ramp = np.clip(0.5 + sd / max(self.width, 1.0), 0.0, 1.0)
        return (1.0 - dark * ramp).astype(np.float32)

    def crosses(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """Whether the soft edge passes through the box [x0, x1] x [y0, y1]."""
        c, s = math.cos(self.theta), math.sin(self.theta)
        sds = [x * c + y * s - self.rho for x in (x0, x1) for y in (y0, y1)]
        return min(sds) <= self.width / 2 and max(sds) >= -self.width / 2


def find_shadow_edge(image: NDArray[Any]) -> ShadowEdge | None:
    """The straight edge of a shadow cast across the frame, or None.

    Args:
        image: HxWx3 BGR (or HxWx4 BGRA) or HxW gray, uint8. A gray frame is taken on the
            step's evidence alone (no colour to tell an object's edge by).

    Returns:
        The edge found, or None (no shadow edge, a frame too small, or another dtype).
    """
    if image.dtype != np.uint8 or image.ndim not in (2, 3) or min(image.shape[:2]) < MIN_SIDE:
        return None
    colour = image[..., :3] if image.ndim == 3 and image.shape[2] >= 3 else None
    gray = cv2.cvtColor(colour, cv2.COLOR_BGR2GRAY) if colour is not None else image
    if gray.ndim == 3:
        gray = gray[..., 0]
    hh, ww = gray.shape
    f = max(1, min(hh, ww) // SEARCH_SIDE)
    small = cv2.resize(gray, (ww // f, hh // f), interpolation=cv2.INTER_AREA) if f > 1 else gray
    lg = cv2.GaussianBlur(np.log(small.astype(np.float32) + LOG_OFFSET), (0, 0), 1.5)
    half = max(1, f // 2)
    fine = cv2.resize(gray, (ww // half, hh // half), interpolation=cv2.INTER_AREA)
    lg_fine = cv2.GaussianBlur(np.log(fine.astype(np.float32) + LOG_OFFSET), (0, 0), 1.0)
    for rho, theta in _vote_lines(lg, MAX_CANDIDATES):
        # (a search pixel's centre is at f * x + (f - 1) / 2 in the frame)
        edge: ShadowEdge | None = ShadowEdge(
            rho * f + (f - 1) / 2 * (math.cos(theta) + math.sin(theta)), theta, 0.0, 4.0 * f
        )
        for _ in range(2):  # the second pass starts where the first ended
            edge = _refine(lg_fine, half, edge) if edge is not None else None
        if edge is None or not MIN_STEP <= abs(edge.step) <= MAX_STEP:
            continue
        if colour is not None and not _neutral(colour, edge):
            continue
        return edge
    return None


def lift_shadow(image: NDArray[np.uint8], edge: ShadowEdge) -> NDArray[np.uint8]:
    """The frame with the shadow's light divided out (a new array, same shape).

    Args:
        image: HxW or HxWxC uint8 (an alpha channel is kept as it is).
        edge: the shadow's edge (`find_shadow_edge`).

    Returns:
        HxW(xC) uint8: the shaded side brightened by the light it lost, clipped at 255.
    """
    light = edge.light(image.shape[:2])
    out = image.copy()
    if image.ndim == 2:
        out[:] = np.clip(image / light, 0, 255)
    else:
        k = min(3, image.shape[2])
        out[..., :k] = np.clip(image[..., :k] / light[..., None], 0, 255)
    return out


def _vote_lines(lg: NDArray[np.float32], n: int) -> list[tuple[float, float]]:
    """Up to n straight edges (rho, theta) of a log image, most voted first.

    Each pixel with a clear gradient votes for the line through it across its gradient,
    weighted by the gradient (capped: a digit's stroke is sharper than a soft shadow, and
    many of them point every which way, while an edge's pixels all vote alike).
    """
    gx = cv2.Sobel(lg, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(lg, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    mag = np.hypot(gx, gy)
    sel = mag > VOTE_MIN
    if not sel.any():
        return []
    sh, sw = lg.shape
    yy, xx = np.nonzero(sel)
    th = np.arctan2(gy[sel], gx[sel]) % np.pi
    rho = xx * np.cos(th) + yy * np.sin(th)
    n_theta = 90  # 2-degree bins
    rmax = math.hypot(sh, sw)
    ti = np.round(th / np.pi * n_theta).astype(np.int64) % n_theta
    ri = np.round((rho + rmax) / 2).astype(np.int64)  # 2-pixel bins
    acc = np.zeros((n_theta, int(rmax) + 2), np.float32)
    np.add.at(acc, (ti, ri), np.minimum(mag[sel], VOTE_CAP))
    acc = cv2.GaussianBlur(acc, (3, 3), 0)
    out: list[tuple[float, float]] = []
    for _ in range(n):
        i, j = np.unravel_index(int(np.argmax(acc)), acc.shape)
        if acc[i, j] <= 0:
            break
        out.append((float(j * 2 - rmax), float(i * np.pi / n_theta)))
        for di in range(-3, 4):  # the peak's neighbourhood is the same line
            acc[(i + di) % n_theta, max(0, j - 4) : j + 5] = 0
    return out


def _refine(lg: NDArray[np.float32], scale: int, edge: ShadowEdge) -> ShadowEdge | None:
    """A candidate edge moved onto the step it is near, with the step's height and width;
    None where the step does not hold along most of the line, or ends inside the frame at
    both of its ends.

    The line is cut into pieces; in each, the median across the line's samples of the
    log gradient along its normal is the edge's own profile (content crosses the line
    at places of its own, and the median drops it). A piece whose profile adds up to
    about the whole line's step holds the edge, its centroid says where; a straight line
    through those places is the edge (`lg` is the log frame at 1/scale). A piece whose
    profile adds up to much more is where content's own edge runs along the line (a
    display's bezel beside the shadow's edge): it neither holds nor breaks the edge.
    """
    sh, sw = lg.shape
    n = np.array([math.cos(edge.theta), math.sin(edge.theta)])
    tang = np.array([-n[1], n[0]])
    shift = (scale - 1) / 2 * (n[0] + n[1])
    foot = n * ((edge.rho - shift) / scale)
    ks = np.arange(-2.0 * max(sh, sw), 2.0 * max(sh, sw), 2.0)
    pts = foot[None] + ks[:, None] * tang[None]
    inside = (pts[:, 0] >= 0) & (pts[:, 0] <= sw - 1) & (pts[:, 1] >= 0) & (pts[:, 1] <= sh - 1)
    pts, ks = pts[inside], ks[inside]
    if len(pts) < 24:
        return None
    ts = np.arange(-24, 24.5, 0.5)
    xs = (pts[:, None, 0] + ts[None, :] * n[0]).astype(np.float32)
    ys = (pts[:, None, 1] + ts[None, :] * n[1]).astype(np.float32)
    prof = cv2.remap(lg, xs, ys, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    grad = np.gradient(prof, 0.5, axis=1)
    step = float(np.median(grad, axis=0).sum() * 0.5)
    if abs(step) < 2 / 3 * MIN_STEP:
        return None
    sign = 1.0 if step > 0 else -1.0
    where, offsets, held = [], [], []
    over = 0
    pieces = np.array_split(np.arange(len(pts)), max(4, len(pts) // 10))
    for i, idx in enumerate(pieces):
        m = np.clip(np.median(grad[idx], axis=0) * sign, 0, None)
        total = float(m.sum() * 0.5)
        if STEP_RATIO[0] * abs(step) <= total <= STEP_RATIO[1] * abs(step):
            where.append(float(ks[idx].mean()))
            offsets.append(float((m * ts).sum() / max(float(m.sum()), 1e-6)))
            held.append(i)
        elif total > STEP_RATIO[1] * abs(step):
            over += 1
    if len(where) < max(3, HOLD_SHARE * (len(pieces) - over), MIN_HELD * len(pieces)):
        return None
    if min(held[0], len(pieces) - 1 - held[-1]) > END_PIECES:
        return None
    b, a = np.polyfit(where, offsets, 1)
    # the line through foot + k tang + (a + b k) n: its normal turns by -atan(b)
    theta = edge.theta - math.atan(b)
    n2 = np.array([math.cos(theta), math.sin(theta)])
    rho = float((foot + a * n) @ n2) * scale + (scale - 1) / 2 * (n2[0] + n2[1])
    # the pooled profile, each sample shifted onto the fitted line: its spread is the width
    aligned = np.array(
        [np.interp(ts, ts - (a + b * k), row) for k, row in zip(ks, grad, strict=True)]
    )
    m = np.clip(np.median(aligned, axis=0) * sign, 0, None)
    if m.sum() <= 0:
        return None
    cdf = np.cumsum(m) / m.sum()
    lo = ts[min(len(ts) - 1, int(np.searchsorted(cdf, 0.1)))]
    hi = ts[min(len(ts) - 1, int(np.searchsorted(cdf, 0.9)))]
    width = max(2.0, float(hi - lo) / 0.8 * scale)
    return ShadowEdge(rho, theta, float(m.sum() * 0.5) * sign, width)


def _neutral(colour: NDArray[np.uint8], edge: ShadowEdge) -> bool:
    """Whether every colour channel steps alike across the edge, as under a shadow.

    Each channel's step is the median, along the line, of the log difference between
    points facing each other across it just beyond its soft width, at a few distances.
    """
    hh, ww = colour.shape[:2]
    f = max(1, min(hh, ww) // (2 * SEARCH_SIDE))
    small = (
        cv2.resize(colour, (ww // f, hh // f), interpolation=cv2.INTER_AREA) if f > 1 else colour
    )
    lgc = np.log(small.astype(np.float32) + LOG_OFFSET)
    sh, sw = lgc.shape[:2]
    n = np.array([math.cos(edge.theta), math.sin(edge.theta)], np.float32)
    tang = np.array([-n[1], n[0]], np.float32)
    foot = n * ((edge.rho - (f - 1) / 2 * (n[0] + n[1])) / f)
    ks = np.arange(-2.0 * max(sh, sw), 2.0 * max(sh, sw), 1.0, dtype=np.float32)
    pts = foot[None] + ks[:, None] * tang[None]
    steps = []
    for t in np.arange(edge.width / 2 + 3, edge.width / 2 + 12, 2.0) / f:
        p, q = pts + t * n, pts - t * n
        ok = (
            (p[:, 0] >= 0) & (p[:, 0] <= sw - 1) & (p[:, 1] >= 0) & (p[:, 1] <= sh - 1)
            & (q[:, 0] >= 0) & (q[:, 0] <= sw - 1) & (q[:, 1] >= 0) & (q[:, 1] <= sh - 1)
        )  # fmt: skip
        if ok.sum() < 20:
            return False
        p, q = p[ok].astype(np.float32), q[ok].astype(np.float32)
        vp = cv2.remap(lgc, p[None, :, 0].copy(), p[None, :, 1].copy(), cv2.INTER_LINEAR)[0]
        vq = cv2.remap(lgc, q[None, :, 0].copy(), q[None, :, 1].copy(), cv2.INTER_LINEAR)[0]
        steps.append(np.median(vp - vq, axis=0))
    per_channel = np.median(np.array(steps), axis=0)
    mean = float(per_channel.mean())
    spread = float(per_channel.max() - per_channel.min())
    return (
        mean * edge.step > 0
        and abs(mean) >= 0.8 * MIN_STEP
        and spread <= NEUTRAL_SPREAD * abs(mean)
    )
