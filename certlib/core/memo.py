"""Results memoised for one run, owned by that run and passed down.

Judging an inventory repeats work across certificates (the same issuer key, the same CA's parsed
extensions, the same outcome for certificates that differ only in serial and names). That reuse
belongs to the run that asked for it: a ``verdict()`` call, an inventory run or a widget model
creates one :class:`Memo` and hands it down in ``Context.memo``. The pure layers keep no
module-level caches, so two runs never see each other's entries and nothing outlives its run.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TypeVar

__all__ = ["Memo"]

T = TypeVar("T")


class _Table(dict):
    """One table of a memo, carrying its own bound."""

    __slots__ = ("limit",)

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit


class Memo:
    """Named tables of memoised values, each bounded to ``limit`` entries (``limits`` names
    tables with a bound of their own).

    A table that reaches its limit is emptied (simpler and as fast as an LRU for the access
    patterns here: a run revisits recent issuers and outcomes, not old ones), so memory stays
    bounded however long the run. Tables keyed per certificate hold the certificate; a small
    bound keeps a long run from holding thousands of leaves it will never see again.
    """

    __slots__ = ("_limit", "_limits", "_tables")

    def __init__(self, limit: int = 8192, limits: Mapping[str, int] | None = None) -> None:
        self._limit = limit
        self._limits = dict(limits or {})
        self._tables: dict[str, _Table] = {}

    def table(self, name: str) -> dict[Hashable, object]:
        """The table ``name`` (created empty), for callers that test and fill it themselves;
        callers that fill it directly must call :meth:`room` before adding."""
        table = self._tables.get(name)
        if table is None:
            table = self._tables[name] = _Table(self._limits.get(name, self._limit))
        return table

    def room(self, table: dict[Hashable, object]) -> None:
        """Make room for one more entry in ``table`` (one of :meth:`table`'s; emptied at its
        bound)."""
        if len(table) >= getattr(table, "limit", self._limit):
            table.clear()

    def get(self, name: str, key: Hashable, make: Callable[[], T]) -> T:
        """The value of ``key`` in table ``name``, made by ``make()`` the first time."""
        table = self.table(name)
        try:
            return table[key]  # type: ignore[return-value]
        except KeyError:
            pass
        value = make()
        self.room(table)
        table[key] = value
        return value

    def __len__(self) -> int:
        return sum(len(t) for t in self._tables.values())
