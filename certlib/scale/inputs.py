"""Pass 1 on a cluster: which inputs there are (listed on the client) and how a worker reads
one partition of them into distinct certificates and error rows.

The client only *lists*: local paths and globs through the same walk as ``read_inventory``
(:func:`certlib.inventory.iter_input_files`, so missing files, FIFOs and link loops become the
same error rows), fsspec URLs through their filesystem. The bytes are read by the workers: a
partition is a run of consecutive files (file order kept), read by the inventory's own reader
(:func:`certlib.inventory.read.collect_files`, no pool) for local files, or by
:func:`certlib.sources.read_bytes` on what fsspec returns for a URL. Passwords travel inside a
:class:`Secret`, whose repr and Dask token never show them.
"""

from __future__ import annotations

import glob
import os
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from certlib import sources
from certlib.inventory import iter_input_files
from certlib.inventory.read import Reading, collect_files, error_row, merge_found
from certlib.inventory.store import PROVENANCE, Entry

#: Order keys: (partition << 32) | position, so a key sorts as "first seen" across partitions.
_SHIFT = 32

#: The columns of a read partition (certificate rows and error rows) and of the deduplicated
#: pile; ``subject``/``issuer`` are Name DERs as lowercase hex (join keys that every shuffle
#: method carries as plain strings).
PILE_COLUMNS: tuple[str, ...] = (
    "kind",
    "sha256",
    "order",
    "der",
    "subject",
    "issuer",
    *PROVENANCE,
    "error",
)


def pile_meta() -> pd.DataFrame:
    """The empty read partition: everything ``object`` but the order key."""
    df = pd.DataFrame({c: pd.Series([], dtype=object) for c in PILE_COLUMNS})
    df["order"] = df["order"].astype("int64")
    return df


class Secret:
    """Passwords that a task graph may carry but never show: the repr is fixed and the Dask
    token is a random nonce (a hash of the passwords in a task key could be attacked
    offline)."""

    __slots__ = ("_nonce", "values")

    def __init__(self, values: Sequence[bytes]) -> None:
        self.values = tuple(values)
        self._nonce = uuid.uuid4().hex

    def __repr__(self) -> str:
        return f"Secret(<{len(self.values)} redacted>)"

    __str__ = __repr__

    def __dask_tokenize__(self) -> str:
        return self._nonce


def _is_url(name: str) -> bool:
    return "://" in name


def list_inputs(
    paths_or_urls: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    recursive: bool = True,
) -> list[tuple[str, Any]]:
    """Every input as ``("path", path, problem)`` or ``("url", url, None)``, in the order the
    inputs are given (each local argument's files sorted as the walk sorts them). Globs are
    expanded here; ``file://`` URLs become local paths (same rows as ``read_inventory``)."""
    if isinstance(paths_or_urls, str | os.PathLike):
        paths_or_urls = [paths_or_urls]
    out: list[tuple[str, Any]] = []
    for raw in paths_or_urls:
        name = os.fsdecode(raw)
        if name.startswith("file://"):
            name = name[len("file://") :]
        if _is_url(name):
            out.extend(("url", u, None) for u in _expand_url(name))
            continue
        names = sorted(glob.glob(name)) if glob.has_magic(name) else [name]
        for p, problem in iter_input_files(names or [name], recursive=recursive):
            out.append(("path", p, problem))
    return out


def _expand_url(url: str) -> list[str]:
    """The files a URL names (a glob, a folder or one object), with the protocol kept."""
    import fsspec

    fs, _token, found = fsspec.get_fs_token_paths(url)
    proto = url.split("://", 1)[0]
    names: list[str] = []
    for p in found or [url.split("://", 1)[1]]:
        if fs.isdir(p):
            names.extend(sorted(fs.find(p)))
        else:
            names.append(p)
    return [n if "://" in n else f"{proto}://{n.lstrip('/')}" for n in names] if names else [url]


def partitions(listed: list[tuple[str, Any]], size: int) -> list[tuple[int, tuple]]:
    """Consecutive runs of ``size`` inputs, numbered: partition order is file order."""
    size = max(1, int(size))
    return [(i // size, tuple(listed[i : i + size])) for i in range(0, len(listed), size)]


class ReadPart:
    """The task that reads one partition (``dd.from_map`` calls it on ``(number, inputs)``)."""

    def __init__(self, passwords: Secret) -> None:
        self.passwords = passwords

    def __repr__(self) -> str:
        return f"ReadPart({self.passwords!r})"

    def __dask_tokenize__(self) -> tuple[str, str]:
        return ("certlib-read", self.passwords.__dask_tokenize__())

    def __call__(self, part: tuple[int, tuple]) -> pd.DataFrame:
        number, inputs = part
        pw = self.passwords.values
        secrets = [p.decode("utf-8", "replace") for p in pw]
        entries: dict[str, Entry] = {}
        errors: list[dict[str, Any]] = []
        local: list[tuple[str, Any]] = []

        def flush() -> None:
            if local:
                pile = collect_files(local, pw, _NoBar())
                for sha, e in pile.entries.items():
                    _fold(entries, sha, e)
                errors.extend(pile.errors)
                local.clear()

        for kind, name, problem in inputs:
            if kind == "path":
                local.append((name, problem))
                continue
            flush()
            _read_url(name, pw, secrets, entries, errors)
        flush()
        return _frame(number, entries, errors)


class _NoBar:
    def update(self, _n: int) -> None:
        pass


def _fold(entries: dict[str, Entry], sha: str, e: Entry) -> None:
    """``e`` (read later) into ``entries`` as :func:`certlib.inventory.read._add` would have
    merged its provenance one by one."""
    have = entries.get(sha)
    if have is None:
        entries[sha] = e
        return
    merge_into(have, *e.provenance())


def merge_into(have: Entry, srcs, files, containers, names, has_key, warns) -> None:
    """One later sighting's provenance appended to ``have`` in the inventory's rules: sources
    and containers in order, files/names/warnings once each, a key anywhere wins."""
    have.sources.extend(srcs)
    have.source_files.extend(f for f in files if f not in have.source_files)
    have.containers.extend(containers)
    have.friendly_names.extend(n for n in names if n not in have.friendly_names)
    have.has_private_key = sources.key_state(have.has_private_key, has_key)
    have.warnings.extend(w for w in warns if w not in have.warnings)


def _read_url(url, pw, secrets, entries, errors) -> None:
    """One fsspec object, read whole by this worker (as a small local file is)."""
    import fsspec

    try:
        with fsspec.open(url, "rb") as fh:
            data = fh.read(sources.MAX_INPUT_BYTES + 1)
    except Exception as exc:  # gone, no permission, no such bucket …
        errors.append(error_row(url, "unreadable", f"{type(exc).__name__}: {exc}"))
        return
    if len(data) > sources.MAX_INPUT_BYTES:
        errors.append(error_row(url, "too-large", "larger than the input limit"))
        return
    try:
        found, problems = sources.read_bytes(data, url, passwords=pw)
    except Exception as exc:  # sources promises not to raise; keep it here too
        errors.append(error_row(url, "internal", f"{type(exc).__name__}: {exc}"))
        return
    ctx = Reading(pw, secrets=secrets, entries=entries, errors=errors)
    merge_found(url, found, problems, ctx, single=len(found) == 1)
    if not (found or problems):
        errors.append(error_row(url, "not-a-certificate", "no certificate found"))


def _frame(number: int, entries: dict[str, Entry], errors: list[dict[str, Any]]) -> pd.DataFrame:
    base = number << _SHIFT
    rows: list[tuple] = []
    for i, (sha, e) in enumerate(entries.items()):
        rows.append(
            (
                "cert",
                sha,
                base + i,
                e.der,
                None if e.subject is None else e.subject.hex(),
                None if e.issuer is None else e.issuer.hex(),
                *e.provenance(),
                None,
            )
        )
    start = base + len(entries)
    for j, err in enumerate(errors):
        rows.append(("error", None, start + j, *[None] * 9, err))
    df = pd.DataFrame(rows, columns=list(PILE_COLUMNS), dtype=object)
    df["order"] = df["order"].astype("int64")
    return df
