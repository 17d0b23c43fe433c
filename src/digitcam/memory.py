"""Giving freed heap memory back to the system during long runs.

A live run allocates a frame-sized buffer or two per frame in the capture thread and frees
them in the main thread. glibc's allocator keeps freed memory in per-thread arenas and returns
it to the system only when the top of an arena happens to be free, so a run's resident memory
drifts between plateaus several MB apart even though nothing leaks — on a small device that
runs for days that drift is what the user sees. `MemoryTrimmer` asks glibc to return what is
free (`malloc_trim(0)`) every few seconds: it costs about a millisecond, never frees live
memory (a real leak still shows), and does nothing on a C library without `malloc_trim`.
"""

from __future__ import annotations

import ctypes
import time
from collections.abc import Callable

from digitcam.closing import Closing


def find_malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None where the C library has none (musl, macOS, Windows)."""
    # The process's own symbol table (dlopen(NULL)) already holds the C library Python is
    # linked against. `ctypes.util.find_library("c")` would find it too, but by running
    # `ldconfig -p` in a child process — a live run starts no processes.
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


class MemoryTrimmer(Closing):
    """A sink that returns free heap memory to the system every `every_s` seconds.

    Args:
        every_s: seconds between trims (on the injected clock).
        trim: the trim function (`find_malloc_trim()` by default; None disables it).
        clock: monotonic seconds.
    """

    def __init__(
        self,
        every_s: float = 5.0,
        *,
        trim: Callable[[int], int] | str | None = "auto",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if every_s <= 0:
            raise ValueError(f"every_s must be > 0, got {every_s}")
        self._trim = find_malloc_trim() if trim == "auto" else trim
        self._every = every_s
        self._clock = clock
        self._next = clock() + every_s
        self.trims = 0

    @property
    def active(self) -> bool:
        """True when there is a trim function to call."""
        return self._trim is not None

    def write(self, result: object) -> None:
        """Called once per frame; trims when the interval has passed."""
        if self._trim is None:
            return
        now = self._clock()
        if now >= self._next:
            self._trim(0)
            self.trims += 1
            self._next = now + self._every
