"""Temporal fusion of per-frame readings into a *stable* reading.

Per frame, the recent readings of the same shape (digits, '.' and '-' in the same places) vote
per position, each glyph weighted by its confidence; the winner is the frame's *fused* text.
A fused text becomes *stable* when it has held for `min_frames` frames and `min_ms`
milliseconds (hysteresis: one odd frame never flips the stable value), when at least one
frame read it exactly as a whole (so per-position votes across a change never publish a value
the display did not show), and when it is plausible under the profile (format, range,
monotonic, maximum rate of change). An implausible *value* is not locked out: once it has been
read consistently for `accept_after` frames it is accepted (a real jump, a meter replaced,
a misread stable value that must be corrected). A reading that does not match the format
(a lost digit or decimal point) is never published.

Where the profile says how the value may change (a format, and a monotonic meter or a
maximum rate), a frame read with every glyph at `sure_confidence` or above whose value is a
plausible successor of the stable one is published at once: a meter's tick shows in the
stable value on the frame it is read, instead of `min_frames` later. Everything else waits.

`Fuser` keeps the run's state; build one per run. It is a `loop.Fuse`:
`fuser(frame, reading) -> str | None`.
"""

from __future__ import annotations

import math
import re
from collections import deque
from dataclasses import dataclass, field

from digitcam.types import Frame, Reading

#: How a format mismatch is reported (it is never accepted, see `Fuser.update`).
FORMAT_MISMATCH = "does not match the format"


@dataclass(frozen=True)
class Plausibility:
    """What values a display may show, and how they may change.

    Attributes:
        pattern: a compiled regex the whole text must match (None: anything).
        min_value, max_value: the value range (None: open).
        monotonic: the value may only rise (a meter).
        max_rate: the largest change per second (absolute), or None.
    """

    pattern: re.Pattern[str] | None = None
    min_value: float | None = None
    max_value: float | None = None
    monotonic: bool = False
    max_rate: float | None = None

    def check(self, text: str, previous: str | None, dt: float) -> str | None:
        """Why `text` is implausible after `previous` (shown `dt` s ago), or None when fine."""
        if self.pattern is not None and not self.pattern.fullmatch(text):
            return f"{text!r} {FORMAT_MISMATCH}"
        value = parse_value(text)
        if value is None:
            return None
        if self.min_value is not None and value < self.min_value:
            return f"{value} is below {self.min_value}"
        if self.max_value is not None and value > self.max_value:
            return f"{value} is above {self.max_value}"
        prev = parse_value(previous) if previous is not None else None
        if prev is None:
            return None
        if self.monotonic and value < prev:
            return f"{value} is below the previous {prev} on a rising meter"
        if self.max_rate is not None and abs(value - prev) > self.max_rate * max(dt, 1e-3):
            return f"{value} changed from {prev} faster than {self.max_rate}/s"
        return None


def parse_value(text: str | None) -> float | None:
    """The number a one-line reading shows, or None ('12.5' -> 12.5, '-3' -> -3.0)."""
    if not text or "\n" in text:
        return None
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


@dataclass(frozen=True)
class FuseConfig:
    """Options of `Fuser`.

    Attributes:
        window: frames that vote (the most recent ones).
        min_frames: N — frames the fused text must hold before it is stable.
        min_ms: T — milliseconds it must hold as well.
        accept_after: K — consistent frames after which an implausible value is accepted.
        expire_ms: with no reading at all for this long, the stable value is dropped.
        plausibility: the profile's checks.
        sure_confidence: a plausible successor read with every glyph at least this sure is
            published at once (only with a format and a monotonic or rate rule; None: never).
    """

    window: int = 5
    min_frames: int = 2
    min_ms: float = 0.0
    accept_after: int = 8
    expire_ms: float = 3000.0
    plausibility: Plausibility = field(default_factory=Plausibility)
    sure_confidence: float | None = 0.9

    def __post_init__(self) -> None:
        if self.window < 1 or self.min_frames < 1 or self.accept_after < 1:
            raise ValueError(
                f"window, min_frames and accept_after must be >= 1, got {self.window}, "
                f"{self.min_frames}, {self.accept_after}"
            )
        if self.accept_after < self.min_frames:
            raise ValueError(
                f"accept_after ({self.accept_after}) must be >= min_frames ({self.min_frames})"
            )


def shape_of(text: str) -> str:
    """The text with every digit replaced by 'd' (readings vote only within one shape)."""
    return "".join("d" if c.isdigit() else c for c in text)


def vote(readings: list[tuple[str, tuple[float, ...]]]) -> str | None:
    """Per-position, confidence-weighted vote among readings.

    Args:
        readings: (text, per-character confidence) pairs; empty texts do not vote.

    Returns:
        The fused text of the heaviest shape, or None when nothing voted.
    """
    by_shape: dict[str, list[tuple[str, tuple[float, ...]]]] = {}
    for text, conf in readings:
        if text:
            by_shape.setdefault(shape_of(text), []).append((text, conf))
    if not by_shape:
        return None

    def weight(items: list[tuple[str, tuple[float, ...]]]) -> float:
        return sum(sum(c) / max(len(c), 1) for _t, c in items)

    shape = max(by_shape, key=lambda s: (weight(by_shape[s]), len(by_shape[s])))
    items = by_shape[shape]
    out = []
    for i in range(len(shape)):
        tally: dict[str, float] = {}
        for text, conf in items:
            tally[text[i]] = tally.get(text[i], 0.0) + (conf[i] if i < len(conf) else 0.5)
        out.append(max(tally, key=lambda ch: (tally[ch], ch)))
    return "".join(out)


def _char_confidences(reading: Reading) -> tuple[float, ...]:
    """One confidence per character of `reading.text` ('\n' between lines gets 1)."""
    out: list[float] = []
    for i, line in enumerate(reading.glyphs):
        if i:
            out.append(1.0)
        out.extend(float(g.confidence) for g in line)
    text = reading.text
    if len(out) != len(text):  # glyph-less readings (tests, stand-ins): equal weights
        return (1.0,) * len(text)
    return tuple(out)


class Fuser:
    """Turns a stream of readings into a stable reading (see the module docstring).

    Args:
        config: the fusion options.
    """

    def __init__(self, config: FuseConfig | None = None) -> None:
        self.config = config or FuseConfig()
        self._recent: deque[tuple[str, tuple[float, ...]]] = deque(maxlen=self.config.window)
        self._candidate: str | None = None
        self._cand_frames = 0
        self._cand_t0 = 0.0
        self._stable: str | None = None
        self._stable_t = 0.0
        self._last_seen = -math.inf
        #: Why the last candidate was held back (for logs and tests), or None.
        self.last_rejection: str | None = None

    @property
    def stable(self) -> str | None:
        """The current stable text (None before the first one)."""
        return self._stable

    def _sure_successor(self, reading: Reading, t: float) -> bool:
        """Whether a reading may replace the stable value at once (see the module doc)."""
        cfg = self.config
        plaus = cfg.plausibility
        if cfg.sure_confidence is None or self._stable is None or plaus.pattern is None:
            return False
        if not (plaus.monotonic or plaus.max_rate is not None):
            return False
        if min(_char_confidences(reading), default=0.0) < cfg.sure_confidence:
            return False
        return plaus.check(reading.text, self._stable, t - self._stable_t) is None

    def __call__(self, frame: Frame, reading: Reading) -> str | None:
        return self.update(reading, frame.t_capture)

    def update(self, reading: Reading, t: float) -> str | None:
        """Adds one frame's reading (captured at monotonic time `t`, seconds); returns the
        stable text after it."""
        cfg = self.config
        text = reading.text
        if text:
            self._last_seen = t
            self._recent.append((text, _char_confidences(reading)))
        elif (t - self._last_seen) * 1000.0 >= cfg.expire_ms:
            self._recent.clear()
            self._candidate, self._cand_frames = None, 0
            self._stable = None
            return None
        if text and text != self._stable and self._sure_successor(reading, t):
            self._candidate, self._cand_frames, self._cand_t0 = text, 1, t
            self.last_rejection = None
            self._stable, self._stable_t = text, t
            return self._stable
        fused = vote(list(self._recent)) if text else None
        # a change read the same way `min_frames` times in a row needs no majority of the
        # window: it is followed at once (the window vote smooths single misreads only)
        last = [r for r, _c in list(self._recent)[-cfg.min_frames :]]
        if text and len(last) == cfg.min_frames and all(r == text for r in last):
            fused = text
        if fused is None:
            return self._stable
        if fused == self._candidate:
            self._cand_frames += 1
        else:
            self._candidate, self._cand_frames, self._cand_t0 = fused, 1, t
        if fused == self._stable:
            self.last_rejection = None
            return self._stable
        held = self._cand_frames >= cfg.min_frames and (t - self._cand_t0) * 1000.0 >= cfg.min_ms
        # never publish a blend of two values: some frame must have read it whole
        seen = any(r == fused for r, _c in self._recent)
        if not (held and seen):
            return self._stable
        why = cfg.plausibility.check(fused, self._stable, t - self._stable_t)
        if why is not None and why.endswith(FORMAT_MISMATCH):
            # a reading of the wrong shape is a misread however often it repeats (a lost
            # digit or point); only values that parse may overrule the checks after K frames
            self.last_rejection = why
            return self._stable
        if why is not None and self._cand_frames < cfg.accept_after:
            self.last_rejection = why
            return self._stable
        self.last_rejection = None
        self._stable, self._stable_t = fused, t
        return self._stable
