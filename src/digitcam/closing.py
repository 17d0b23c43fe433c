"""A context-manager mixin for the I/O objects (sources, sinks, displays, stats views)."""

from __future__ import annotations

from types import TracebackType
from typing import TypeVar

_T = TypeVar("_T", bound="Closing")


class Closing:
    """`with obj:` closes `obj` on the way out, also on errors, Ctrl-C and SIGTERM."""

    def close(self) -> None:
        """Release what the object holds (nothing, unless a subclass holds something)."""

    def __enter__(self: _T) -> _T:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
