"""Tests for temporal fusion: votes, hysteresis, plausibility that never locks out."""

from __future__ import annotations

import re

import numpy as np
import pytest

from digitcam.fuse import FuseConfig, Fuser, Plausibility, parse_value, shape_of, vote
from digitcam.loop import run
from digitcam.types import Frame, Reading


def reading(text: str) -> Reading:
    return Reading(0, (text,) if text else (), ((),) if text else ())


def feed(fuser: Fuser, texts: list[str], dt: float = 1 / 30) -> list[str | None]:
    return [fuser.update(reading(t), i * dt) for i, t in enumerate(texts)]


def test_votes_are_per_position_and_weighted_by_confidence() -> None:
    assert vote([("123", (1, 1, 1)), ("128", (1, 1, 0.2)), ("123", (1, 1, 0.3))]) == "123"
    assert vote([("12.5", (1,) * 4), ("125", (1,) * 3), ("12.5", (1,) * 4)]) == "12.5"
    assert vote([("", ())]) is None
    assert shape_of("-12.50") == "-dd.dd"


def test_a_value_is_stable_only_after_holding_n_frames() -> None:
    f = Fuser(FuseConfig(min_frames=3))
    assert feed(f, ["42", "42", "42", "42"]) == [None, None, "42", "42"]


def test_one_misread_frame_never_flips_the_stable_value() -> None:
    f = Fuser(FuseConfig(min_frames=2))
    out = feed(f, ["100", "100", "108", "100", "100"])
    assert out[2:] == ["100", "100", "100"]


def test_hold_time_is_respected_too() -> None:
    f = Fuser(FuseConfig(min_frames=1, min_ms=100))
    out = [f.update(reading("7"), t) for t in (0.0, 0.05, 0.12)]
    assert out == [None, None, "7"]


def test_a_stable_value_is_never_a_blend_of_two_values() -> None:
    # given a counter changing 1299 -> 1300 with votes mixing both for a few frames
    f = Fuser(FuseConfig(window=5, min_frames=2))
    seq = ["1299"] * 4 + ["1300"] * 6
    shown = set(seq)
    out = feed(f, seq)
    # then every stable value is one the display showed
    assert {v for v in out if v is not None} <= shown
    assert out[-1] == "1300"


def test_an_implausible_value_is_held_back_then_accepted_after_k_frames() -> None:
    # given a rising meter profile
    plaus = Plausibility(re.compile(r"\d{1,5}\.\d"), 0, 1e5, monotonic=True, max_rate=10)
    f = Fuser(FuseConfig(min_frames=2, accept_after=6, plausibility=plaus))
    seq = ["500.0"] * 3 + ["400.0"] * 10
    out = []
    reasons = []
    for i, t in enumerate(seq):
        out.append(f.update(reading(t), i / 30))
        reasons.append(f.last_rejection)
    # then the drop is rejected at first (never a lock-out: accepted after K frames)
    assert out[2] == "500.0"
    assert out[7] == "500.0"
    assert "rising" in (reasons[7] or "")
    assert out[-1] == "400.0"


def test_plausibility_checks_format_range_monotonic_and_rate() -> None:
    p = Plausibility(re.compile(r"\d+\.\d"), 0, 100, monotonic=True, max_rate=1.0)
    assert p.check("12.5", None, 1.0) is None
    assert "format" in (p.check("125", None, 1.0) or "")
    assert "above" in (p.check("120.0", None, 1.0) or "")
    assert "rising" in (p.check("11.0", "12.0", 1.0) or "")
    assert "faster" in (p.check("19.0", "12.0", 1.0) or "")
    assert parse_value("-3.5") == -3.5
    assert parse_value("1\n2") is None


def test_the_stable_value_expires_when_nothing_reads_for_a_while() -> None:
    f = Fuser(FuseConfig(min_frames=1, expire_ms=500))
    assert f.update(reading("9"), 0.0) == "9"
    assert f.update(reading(""), 0.2) == "9"
    assert f.update(reading(""), 0.8) is None


def test_config_is_validated() -> None:
    with pytest.raises(ValueError, match="accept_after"):
        FuseConfig(min_frames=5, accept_after=2)


def test_the_fuser_plugs_into_the_loop_fuse_slot() -> None:
    class Src:
        name, fps, live = "s", 30.0, False

        def frames(self):
            for i in range(4):
                yield Frame(i, i / 30, np.zeros((4, 4, 3), np.uint8))

        def status(self):
            from digitcam.sources import SourceStatus

            return SourceStatus()

    class Sink:
        def __init__(self) -> None:
            self.stable: list[str | None] = []

        def write(self, r) -> None:
            self.stable.append(r.stable)

    sink = Sink()
    run(Src(), lambda fr: reading("55"), fuse=Fuser(FuseConfig(min_frames=2)), sinks=[sink])
    assert sink.stable == [None, "55", "55", "55"]


def test_a_reading_of_the_wrong_format_is_never_published_however_often() -> None:
    plaus = Plausibility(re.compile(r"\d{1,5}\.\d"))
    f = Fuser(FuseConfig(min_frames=2, accept_after=3, plausibility=plaus))
    out = feed(f, ["12.5"] * 3 + ["125"] * 20)
    assert set(out[2:]) == {"12.5"}


def sure_reading(text: str, conf: float) -> Reading:
    """A one-line reading whose every glyph has confidence `conf`."""
    from digitcam.types import Box, Glyph

    glyphs = tuple(Glyph(Box(10 * i, 0, 8, 20), c, conf, ((c, conf),)) for i, c in enumerate(text))
    return Reading(0, (text,), (glyphs,))


@pytest.mark.parametrize(
    ("plaus", "conf", "next_text", "at_once"),
    [
        (Plausibility(re.compile(r"\d{5}\.\d"), monotonic=True), 0.97, "00123.5", True),
        (Plausibility(re.compile(r"\d{5}\.\d"), max_rate=5.0), 0.97, "00123.5", True),
        (Plausibility(re.compile(r"\d{5}\.\d"), monotonic=True), 0.6, "00123.5", False),
        (Plausibility(re.compile(r"\d{5}\.\d"), monotonic=True), 0.97, "00123.3", False),
        (Plausibility(re.compile(r"\d{5}\.\d")), 0.97, "00123.5", False),
        (Plausibility(), 0.97, "00123.5", False),
    ],
)
def test_a_sure_plausible_tick_is_stable_on_the_frame_it_is_read(
    plaus, conf, next_text, at_once
) -> None:
    # given a meter whose value 00123.4 is stable (held 3 frames)
    f = Fuser(FuseConfig(min_frames=3, plausibility=plaus))
    for i in range(3):
        f.update(sure_reading("00123.4", 0.97), i / 30)
    assert f.stable == "00123.4"
    # when the next frame reads another value
    got = f.update(sure_reading(next_text, conf), 3 / 30)
    # then a sure reading that is a plausible successor under a profile that says how the
    # value moves (format and monotonic or rate) is stable at once; anything else waits
    assert (got == next_text) is at_once
    if not at_once:
        assert got == "00123.4"
