"""MemoryTrimmer: returns free heap memory to the system every few seconds of a run."""

from __future__ import annotations

import sys

import pytest

from digitcam.memory import MemoryTrimmer, find_malloc_trim


class FakeClock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_trims_once_per_interval_not_per_frame() -> None:
    # given a trimmer every 5 s with a counting trim function on a fake clock
    calls: list[int] = []
    clock = FakeClock()
    trimmer = MemoryTrimmer(5.0, trim=lambda pad: calls.append(pad) or 1, clock=clock)
    # when 100 frames arrive over 12 s
    for i in range(100):
        clock.t = 100.0 + i * 0.12
        trimmer.write(object())
    # then it trimmed at about 5 s and 10 s, asking to keep no padding
    assert calls == [0, 0]
    assert trimmer.trims == 2


def test_without_malloc_trim_it_does_nothing() -> None:
    # given no trim function (a C library without malloc_trim)
    trimmer = MemoryTrimmer(0.001, trim=None)
    # when frames arrive, then nothing happens and it says it is inactive
    for _ in range(3):
        trimmer.write(object())
    assert not trimmer.active
    assert trimmer.trims == 0


def test_rejects_a_nonsense_interval() -> None:
    with pytest.raises(ValueError, match="every_s"):
        MemoryTrimmer(0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc is Linux")
def test_finds_glibc_malloc_trim_and_calls_it() -> None:
    # given this Linux/glibc machine, the real malloc_trim is found and can be called
    trim = find_malloc_trim()
    assert trim is not None
    assert trim(0) in (0, 1)


def test_finding_malloc_trim_starts_no_process() -> None:
    # given an audit hook that records every process this interpreter starts (hooks cannot be
    # removed, so it records only while `watching` holds)
    started: list[object] = []
    watching = [True]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if watching[0] and event in ("subprocess.Popen", "os.posix_spawn", "os.fork"):
            started.append(args[0])

    sys.addaudithook(hook)
    try:
        # when the trim function is looked up (ctypes.util.find_library runs `ldconfig -p`)
        find_malloc_trim()
    finally:
        watching[0] = False
    # then no child process was started: a live run is one process
    assert started == []
