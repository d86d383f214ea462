"""Where an inventory run's rows go: the :class:`Sink` protocol and the in-memory frame sink.

One pipeline (:func:`certlib.inventory.pipeline.run`) reads, links and judges; the sink decides
what becomes of the judged chunks. A sink has two halves because chunks are judged in worker
processes: ``shape`` runs in the worker on each judged chunk (a module-level function, so it
pickles, while the sink itself stays in the main process) and its result comes back to
``add``, in chunk order; ``close`` gets pass 1's error rows and gives the run's result. A
sink may also have ``attach`` (a module-level function of a shaped chunk and its job): then a
worker leaves the rows' DER out of what it sends back (the main process sent it and holds it;
:func:`certlib.inventory.frame._without_der`) and ``attach`` puts it back into the shaped chunk
in the main process (:class:`FrameSink` does). A sink without one gets the DER from the
worker.

* :class:`FrameSink` (``read_inventory``): chunks kept as they are, one DataFrame at the end;
* :class:`certlib.inventory.stream.ParquetSink` (``stream_inventory``): Arrow tables made in
  the workers, written as Parquet row groups, memory bounded (``spill``).

A further sink plugs in the same way: e.g. a Dask partition writer would ``shape`` chunks into
Arrow tables as the Parquet sink does, write each in ``add`` as a partition file and ``close``
with the partition list. Every sink must keep the frame's order: certificate rows in chunk
order, then pass 1's error rows, then the chunks' error rows.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import pandas as pd

from certlib.inventory.frame import _finish, _with_der
from certlib.inventory.records import ErrorRow, Job, Judged

__all__ = ["FrameSink", "Sink"]

R_co = TypeVar("R_co", covariant=True)


class Sink(Protocol[R_co]):
    """Receives one run's judged chunks in order and makes the run's result."""

    #: Whether the run must keep memory bounded: distinct DERs go to a temporary spill file
    #: (the main process keeps offsets) instead of staying in memory.
    spill: bool

    @property
    def shape(self) -> Callable[[Judged, Job], Any]:
        """What a worker makes of its judged chunk before sending it back (picklable: a
        module-level function); its result is what :meth:`add` receives."""
        ...

    def add(self, part: Any) -> None:
        """One chunk's shaped result, in chunk order (main process)."""
        ...

    def close(self, errors: list[ErrorRow]) -> R_co:
        """Pass 1's error rows (after every certificate row, before the chunks' error rows);
        the run's result."""
        ...


def _keep(judged: Judged, _job: Job) -> Judged:
    """The frame sink's shape: the judged chunk as it is."""
    return judged


def _keep_with_der(judged: Judged, job: Job) -> Judged:
    """The frame sink's ``attach``: the rows' DER back from the chunk the main process sent."""
    return _with_der(judged, job.items)


class FrameSink:
    """``read_inventory``'s sink: every chunk kept, one typed DataFrame at the end."""

    spill = False
    shape = staticmethod(_keep)
    attach = staticmethod(_keep_with_der)

    def __init__(self, profile: str, at: _dt.datetime) -> None:
        self._profile = profile
        self._at = at
        self._chunks: list[Judged] = []

    def add(self, part: Judged) -> None:
        self._chunks.append(part)

    def close(self, errors: list[ErrorRow]) -> pd.DataFrame:
        chunks, self._chunks = self._chunks, []
        return _finish(chunks, errors, self._profile, self._at)
