"""What a scan keeps per distinct certificate, and how it keeps that cheap.

Pass 1 (:mod:`certlib.inventory.read`) makes one :class:`Entry` per distinct DER (names for
indexing, provenance, key state, warnings); every later pass reads them. The DER itself lives
in a :class:`_DerStore`: in memory for ``read_inventory``, appended to a spill file for
``stream_inventory``, so a million-certificate scan holds offsets rather than bytes.
:func:`_gc_paused` is here too because it is the other half of keeping a big scan cheap: every
pass switches the cyclic collector off around the steps that allocate many long-lived objects.
This module imports nothing from the other inventory modules; they all import it.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside one bounded step (a file, a chunk, the assembly).

    These steps allocate many long-lived objects and (almost) no reference cycles, so the
    collector's full passes over a growing heap were pure cost (about a fifth of a 20,000
    certificate run). It is switched back on after each step, so whatever cycles a step does
    leave are collected as usual.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def _gc_kept(active: bool = True) -> Iterator[Callable[[], None]]:
    """``keep()``: leave every object alive now out of the collector's later passes.

    A serial in-memory run keeps what it built to its end (the pile's index, each chunk's
    frame in the sink), and every young and full collection walked all of it again: about
    half the collector's time on 20,000 certificates, which found nothing (no cycles). ``keep()``
    moves them to the permanent generation (``gc.freeze``); on leaving they go back
    (``gc.unfreeze``), so nothing is kept from the collector past the run. Reference counting
    still frees them meanwhile; only cyclic garbage of the run waits for its end, which is why
    streamed runs (bounded memory) do not use it. Inactive when something else froze objects.
    """
    if not active or gc.get_freeze_count():
        yield lambda: None
        return
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


class _DerStore:
    """Where distinct DERs live: in memory (``read_inventory``) or appended to a spill file
    (``stream_inventory``), so a million-certificate scan holds offsets, not bytes."""

    def __init__(self, spill: Any = None) -> None:
        self._spill = spill
        self._end = 0

    def put(self, der: bytes) -> bytes | tuple[int, int]:
        if self._spill is None:
            return der
        self._spill.write(der)
        ref = (self._end, len(der))
        self._end += len(der)
        return ref

    def get(self, ref: bytes | tuple[int, int]) -> bytes:
        if isinstance(ref, bytes):
            return ref
        self._spill.flush()
        return os.pread(self._spill.fileno(), ref[1], ref[0])

    def get_many(self, refs: list[bytes | tuple[int, int]]) -> list[bytes]:
        """Like :meth:`get` for each ref, with one read when the refs are one contiguous run
        (a chunk of a streamed scan is: DERs are spilled in the order entries are made)."""
        if self._spill is None or not refs or any(isinstance(r, bytes) for r in refs):
            return [self.get(r) for r in refs]
        start = refs[0][0]  # type: ignore[index]
        pos = start
        for off, size in refs:  # type: ignore[misc]
            if off != pos:
                return [self.get(r) for r in refs]
            pos += size
        self._spill.flush()
        blob = os.pread(self._spill.fileno(), pos - start, start)
        return [blob[off - start : off - start + size] for off, size in refs]  # type: ignore[misc]


_MEMORY = _DerStore()


@dataclass(slots=True)
class Entry:
    der: bytes | tuple[int, int]
    subject: bytes | None
    issuer: bytes | None
    sources: list[str] = field(default_factory=list)
    source_files: list[str] = field(default_factory=list)
    containers: list[str] = field(default_factory=list)
    friendly_names: list[str] = field(default_factory=list)
    has_private_key: bool | None = None  # True / False / unknown (sources.key_state)
    warnings: list[str] = field(default_factory=list)

    def __reduce__(self) -> tuple[type[Entry], tuple[Any, ...]]:
        # every job a worker receives carries its entries: the fields as one tuple pickle and
        # load several times faster than the slots protocol's name-by-name state
        return (Entry, (self.der, self.subject, self.issuer, *self.provenance()))

    def provenance(
        self,
    ) -> tuple[list[str], list[str], list[str], list[str], bool | None, list[str]]:
        """Where it was seen, in :data:`PROVENANCE` order (how provenance travels as columns)."""
        return (
            self.sources,
            self.source_files,
            self.containers,
            self.friendly_names,
            self.has_private_key,
            self.warnings,
        )


#: The provenance fields of an :class:`Entry`, in the order :meth:`Entry.provenance` gives them.
PROVENANCE = (
    "sources",
    "source_files",
    "containers",
    "friendly_names",
    "has_private_key",
    "warnings",
)
