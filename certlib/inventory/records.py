"""The typed records an inventory run hands from one pass to the next.

read → link → judge → sink: pass 1 hands link a :class:`Pile` (distinct certificates and the
error rows of what could not be read), pass 2 hands judge the :class:`Links` among the CA
candidates, the run cuts the pile into :class:`Job` chunks of :class:`Item` s, a worker judges
each certificate into a :class:`Judgement` (or a :class:`Failure`) and hands the sink a
:class:`Judged` chunk. Named fields instead of positional tuples and hidden dict keys, so a
pass cannot read another's data by position; NamedTuples where millions are made or pickled
(cheap as tuples), frozen dataclasses elsewhere.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from certlib.inventory.store import Entry

if TYPE_CHECKING:
    import pandas as pd

#: One row of the frame for what could not be read or judged (frame column names only).
ErrorRow = dict[str, Any]


class FoundCert(NamedTuple):
    """A certificate as a reader found it (a :class:`certlib.sources.Found` flattened, so a
    worker sends it back cheaply)."""

    der: bytes
    path: str | None
    container: str | None
    index: int | None
    alias: str | None
    has_private_key: bool | None
    warnings: tuple[str, ...] | list[str]


class Known(NamedTuple):
    """What a worker already computed of a :class:`FoundCert`: its SHA-256 and Name DERs."""

    sha256: str
    subject: bytes | None
    issuer: bytes | None


@dataclass(frozen=True)
class Pile:
    """Pass 1's result: every distinct certificate (SHA-256 → provenance) and the error rows
    of what was not a certificate, in file order; ``files``: how many paths were listed."""

    entries: dict[str, Entry]
    errors: list[ErrorRow]
    files: int


class PathUp(NamedTuple):
    """A CA candidate's issuers here, nearest first, and whether they end at a self-signed
    root."""

    up: tuple[str, ...]
    rooted: bool


#: A candidate with no path (not loadable, or not a CA candidate at all).
NO_PATH = PathUp((), False)


@dataclass(frozen=True)
class Links:
    """Pass 2's result: the CA candidates' DER, their paths up, the index issuer name → the
    candidates with that subject, and the candidates that issued another certificate of the
    pile (what ``ca-as-leaf`` asks)."""

    ca_ders: dict[str, bytes]
    ca_paths: dict[str, PathUp]
    by_subject: dict[bytes, list[str]]
    issued: frozenset[str]


class Item(NamedTuple):
    """One certificate of a chunk: its SHA-256, DER and provenance."""

    sha: str
    der: bytes
    entry: Entry


@dataclass(frozen=True)
class Job:
    """A chunk of certificates with only the CA material it can need, sent to a worker."""

    items: list[Item]
    ca_ders: dict[str, bytes]
    ca_paths: dict[str, PathUp]
    by_subject: dict[bytes, list[str]]
    profile: str
    at: _dt.datetime
    #: The chunk's certificates that issued another certificate of the pile (``ca-as-leaf``
    #: is settled in the worker with these).
    children: frozenset[str] = frozenset()
    #: Whether outcomes may be reused between certificates of the run (off only in the test
    #: that compares memoised with fresh outcomes).
    memoise: bool = True


class Judgement(NamedTuple):
    """One certificate judged: its decoded row (:func:`certlib.cert.decode.decode`) and what
    the inventory adds to it (one per certificate: a NamedTuple, cheap to make)."""

    decoded: dict[str, Any]
    #: Could be ``ca-as-leaf`` if it issued nothing here (settled once the whole pile is known).
    ca_leaf: bool
    issuer_sha256: str | None
    chain_sha256: tuple[str, ...]
    chain_complete: bool
    #: purpose value → outcome under the run's profile (None: not judged).
    outcomes: dict[str, str | None]
    iis_binding_candidate: bool | None
    findings: list[str]
    load_warnings: list[str]
    notes: list[str]


class Failure(NamedTuple):
    """A certificate that could not be loaded (``corrupt``) or judged (``internal``): it
    becomes an error row that still names where it was found."""

    kind: Literal["corrupt", "internal"]
    message: str


class Judged(NamedTuple):
    """A judged chunk as a worker hands it to the sink: the typed frame of its certificate
    rows (``ca-as-leaf`` settled) and the error rows of those that failed."""

    frame: pd.DataFrame
    errors: list[ErrorRow]
