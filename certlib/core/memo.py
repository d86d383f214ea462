"""Results memoised for one run, owned by that run and passed down.

Judging an inventory repeats work across certificates (the same issuer key, the same CA's parsed
extensions, the same outcome for certificates that differ only in serial and names). That reuse
belongs to the run that asked for it: a ``verdict()`` call, an inventory run or a widget model
creates one :class:`Memo` and hands it down in ``Context.memo``. The pure layers keep no
module-level caches, so two runs never see each other's entries and nothing outlives its run.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

__all__ = ["Memo"]

T = TypeVar("T")


class Memo:
    """Named tables of memoised values, each bounded to ``limit`` entries.

    A table that reaches its limit is emptied (simpler and as fast as an LRU for the access
    patterns here: a run revisits recent issuers and outcomes, not old ones), so memory stays
    bounded however long the run.
    """

    __slots__ = ("_limit", "_tables")

    def __init__(self, limit: int = 8192) -> None:
        self._limit = limit
        self._tables: dict[str, dict[Hashable, object]] = {}

    def table(self, name: str) -> dict[Hashable, object]:
        """The table ``name`` (created empty), for callers that test and fill it themselves;
        callers that fill it directly must call :meth:`room` before adding."""
        table = self._tables.get(name)
        if table is None:
            table = self._tables[name] = {}
        return table

    def room(self, table: dict[Hashable, object]) -> None:
        """Make room for one more entry in ``table`` (empties it at the limit)."""
        if len(table) >= self._limit:
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
