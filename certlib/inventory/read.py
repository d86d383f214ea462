"""Pass 1 of an inventory: files → distinct DERs with their provenance, and error rows.

:func:`collect_files` reads every listed file with :func:`certlib.sources.read_bytes`, deduplicates
on SHA-256 (:func:`_add`), keeps where each certificate was found and turns every problem into
an error row (passwords redacted). With a worker pool, small files are read by the workers in
batches (:func:`_read_files`) and big certificate bundles in pieces (:func:`_read_piece`, cut
by :mod:`certlib.inventory.pieces`); the main process merges what they found in file order, so
the rows are exactly those of one reader. Kept apart from judging because it is the only pass
that touches files and the only one that must run (mostly) in the main process. What it calls
per file (``_small``, ``_collect_pieces``, ``_merge_batch``) is looked up in this module, so a
test replaces it here.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from certlib import sources
from certlib.cert import der as _der
from certlib.inventory import pieces as inventory_pieces
from certlib.inventory.pieces import (
    _bundle_pieces,
    _huge_pem,
    _piece_note,
    _pieces,
    _shift_where,
    _small,
)
from certlib.inventory.records import ErrorRow, FoundCert, Known, Pile
from certlib.inventory.store import _MEMORY, Entry, _DerStore, _gc_paused
from certlib.sources import Problem, key_state
from certlib.sources.walk import open_regular, read_opened, shown, why


def _names(der: bytes) -> tuple[bytes | None, bytes | None]:
    """(subject, issuer) Name DER straight from the TBS, for indexing without a full parse."""
    try:
        _t, start, _e = _der.read_tlv(der)
        _t, pos, end = _der.read_tlv(der, start)
        parts: list[bytes] = []
        while pos < end and len(parts) < 5:
            tag, _s, next_pos = _der.read_tlv(der, pos)
            if not (tag == 0xA0 and not parts):  # skip the optional [0] version
                parts.append(der[pos:next_pos])
            pos = next_pos
        # serial, signature, issuer, validity, subject
        return parts[4], parts[2]
    except (_der.DerError, IndexError):
        return None, None


def _redact(text: str, secrets: Sequence[str]) -> str:
    for s in secrets:
        if s:
            text = text.replace(s, "***")
    return text


def error_row(path: str, kind: str, message: str, container: str | None = None, index=None):
    """One error row; the path and message in their display form
    (:func:`certlib.sources.walk.shown`: the one place a non-UTF-8 file name is escaped for the
    frame)."""
    path, message = shown(path), shown(message)
    label = path if index is None else f"{path}#{index}"
    return {
        "status": "error",
        "source_path": path,
        "source_files": [path],
        "sources": [label],
        "container": container,
        "error_kind": kind,
        "error": message,
    }


@dataclass(frozen=True)
class Reading:
    """What one pass 1 reads with and fills: the passwords (and their text, to redact), the
    distinct certificates, the error rows, interned issuer names and where DERs are kept."""

    passwords: Sequence[bytes]
    store: _DerStore = _MEMORY
    secrets: list[str] = field(default_factory=list)
    entries: dict[str, Entry] = field(default_factory=dict)
    errors: list[ErrorRow] = field(default_factory=list)
    interned: dict[bytes, bytes] = field(default_factory=dict)


class _Batch(NamedTuple):
    """Small files a worker reads whole."""

    future: Future
    paths: list[str]


class _File(NamedTuple):
    """A file read here (big bundles still go to the workers in pieces)."""

    path: str


class _Listed(NamedTuple):
    """A path the walk did not read, and why."""

    path: str
    problem: str | Problem


def collect_files(
    files: Iterable[tuple[str, str | Problem | None]],
    passwords: Sequence[bytes],
    bar: Any,
    store: _DerStore = _MEMORY,
    pool: ProcessPoolExecutor | None = None,
) -> Pile:
    """Pass 1. With ``pool``, small files are read by the workers in batches and big bundles
    in pieces; the main process merges what they found, in file order (same rows)."""
    secrets = [p.decode("utf-8", "replace") for p in passwords]
    ctx = Reading(passwords, store, secrets)
    n_files = 0
    queue: list[_Batch | _File | _Listed] = []
    batch: list[str] = []

    def flush() -> None:
        if batch:
            assert pool is not None
            queue.append(_Batch(pool.submit(_read_files, list(batch), passwords), list(batch)))
            batch.clear()

    def drain(limit: int) -> None:
        while len(queue) > limit:
            step = queue.pop(0)
            if isinstance(step, _File):
                _collect_one(step.path, pool, ctx)
            elif isinstance(step, _Listed):
                ctx.errors.append(_listed_error(step.path, step.problem))
            else:
                _merge_batch(step.future, step.paths, ctx)

    for path, problem in files:
        n_files += 1
        bar.update(1)
        if problem is not None:
            flush()
            queue.append(_Listed(path, problem))
            continue
        if pool is not None and _small(path):
            batch.append(path)
            if len(batch) >= _FILE_BATCH:
                flush()
        else:
            flush()
            queue.append(_File(path))
        drain(4 * getattr(pool, "_max_workers", 1) if pool is not None else 0)
    flush()
    drain(0)
    return Pile(ctx.entries, ctx.errors, n_files)


def _listed_error(path: str, problem: str | Problem) -> dict[str, Any]:
    """The row of a path the walk did not read (:func:`certlib.sources.walk.walk` gives a Problem
    naming what it is; a plain string is an ``unreadable`` reason)."""
    if isinstance(problem, Problem):
        return error_row(path, problem.kind, problem.message)
    return error_row(path, "unreadable", str(problem))


#: Files per worker task when workers read many small files.
_FILE_BATCH = 128


def _collect_one(path: str, pool: ProcessPoolExecutor | None, ctx: Reading) -> None:
    """One file read here (big bundles still handed to the workers in pieces)."""
    errors = ctx.errors
    seen_any = False
    try:
        with _gc_paused():
            pieces = _bundle_pieces(path, pool)
            if pieces is not None:
                seen_any = _collect_pieces(path, pieces, ctx, pool)
            elif pool is not None and _huge_pem(path):
                huge = ((d, b, 0) for d, b, _whole in _pieces(path))
                seen_any = _collect_pieces(path, huge, ctx, pool, False)
            else:
                seen_any = _collect_file(path, ctx)
    except OSError as exc:  # gone, swapped for a FIFO, too large …: the walk's words for it
        errors.append(error_row(path, *why(path, exc)))
        return
    if not seen_any:
        errors.append(error_row(path, "not-a-certificate", "no certificate found"))


class _Piece(NamedTuple):
    """What a worker read of a file or a piece of one: the certificates, the problems and
    what it computed of each certificate (:func:`_read_piece`)."""

    found: list[FoundCert]
    problems: list[Problem]
    known: list[Known]


class _FileRead(NamedTuple):
    """One file of a worker's batch: ``ok`` (``piece``), or an ``error`` / ``internal``
    failure with its kind and text."""

    outcome: Literal["ok", "error", "internal"]
    piece: _Piece | None = None
    kind: str = ""
    message: str = ""


def _read_files(paths: list[str], passwords: Sequence[bytes]) -> list[_FileRead]:
    """In a worker: whole small files, as :func:`_collect_file` reads them in the main
    process."""
    out: list[_FileRead] = []
    for path in paths:
        try:
            data = _read_whole(path)
        except OSError as exc:
            kind, message = why(path, exc)
            out.append(_FileRead("error", kind=kind, message=message))
            continue
        try:
            out.append(_FileRead("ok", _read_piece(data, path, passwords)))
        except Exception as exc:  # sources promises not to raise; keep it here too
            out.append(
                _FileRead("internal", kind="internal", message=f"{type(exc).__name__}: {exc}")
            )
    return out


def _merge_batch(fut: Future, paths: list[str], ctx: Reading) -> None:
    errors = ctx.errors
    try:
        results = fut.result()
    except Exception as exc:  # a dead worker: its files are read here instead
        del exc
        for path in paths:
            _collect_one(path, None, ctx)
        return
    with _gc_paused():
        for path, res in zip(paths, results, strict=True):
            if res.piece is None:
                errors.append(error_row(path, res.kind, res.message))
                continue
            found, problems, known = res.piece.found, res.piece.problems, res.piece.known
            merge_found(path, found, problems, ctx, single=len(found) == 1, known=known)
            if not (found or problems):
                errors.append(error_row(path, "not-a-certificate", "no certificate found"))


def _collect_file(path: str, ctx: Reading) -> bool:
    """One file's certificates into the entries and its problems into the error rows, read
    here; anything found?"""
    passwords, errors = ctx.passwords, ctx.errors
    seen_any = False
    for data, offset, whole in _whole_or_pieces(path):
        if isinstance(data, Problem):  # too large, or a PEM stretch with no END line
            errors.append(error_row(path, data.kind, data.message))
            seen_any = True
            continue
        try:
            found, problems = sources.read_bytes(data, path, passwords=passwords)
        except Exception as exc:  # sources promises not to raise; keep it here too
            errors.append(error_row(path, "internal", f"{type(exc).__name__}: {exc}"))
            seen_any = True
            break
        del data
        seen_any = seen_any or bool(found or problems)
        reword = None if whole else _piece_note(offset)
        single = whole and len(found) == 1
        merge_found(path, found, problems, ctx, offset=offset, single=single, reword=reword)
    return seen_any


def _whole_or_pieces(path: str) -> Iterable[tuple[bytes, int, bool]]:
    """What :func:`_pieces` yields for ``path``, cheaper for a file below ``BIG_PEM`` (nearly
    every file): ``[(its bytes, 0, True)]``, read by :func:`_read_whole`. A bigger one is left
    to ``_pieces`` (looked up here at call time, as the limit is in its module)."""
    data = _read_whole(path, inventory_pieces.BIG_PEM)
    return _pieces(path) if data is None else [(data, 0, True)]


def _read_whole(path: str, limit: int | None = None) -> bytes | None:
    """The regular file's bytes, as ``Path(path).read_bytes()`` gives them (the same
    ``OSError`` when it cannot), with one open and one fstat and no ``pathlib``; None, and
    nothing read, when it is ``limit`` bytes or more. Opened by
    :func:`certlib.sources.walk.open_regular` (a FIFO raises, never blocks) and never more than
    ``sources.MAX_INPUT_BYTES`` read (:class:`certlib.sources.walk.NotReadable` ``too-large``)."""
    fd, size = open_regular(path)
    try:
        if limit is not None and size >= limit:
            return None
        return read_opened(fd, size, sources.MAX_INPUT_BYTES)
    finally:
        os.close(fd)


def merge_found(
    path: str,
    found: Sequence[Any],
    problems: Sequence[Problem],
    ctx: Reading,
    *,
    offset: int = 0,
    single: bool = False,
    known: Sequence[Known] | None = None,
    reword: Any = None,
) -> None:
    """One read's certificates into the entries and its problems into the error rows.

    ``found``: :class:`certlib.sources.Found` or :class:`FoundCert` records; ``offset``: blocks
    before the piece that was read; ``known``: what a worker computed for each certificate
    (:func:`_read_piece`); ``reword``: how a problem's text says where it is.
    """
    for pr in problems:
        index = None if pr.index is None else pr.index + offset
        message = _redact(str(pr.message), ctx.secrets)
        if reword is not None:
            message = reword(message)
        ctx.errors.append(error_row(path, pr.kind, message, pr.container, index))
    for i, item in enumerate(found):
        _add(ctx, path, item, offset, single, None if known is None else known[i])


def _add(
    ctx: Reading, path: str, item: Any, offset: int, single: bool, known: Known | None = None
) -> None:
    """Merge one found certificate into ``ctx.entries`` (dedupe on SHA-256, keep provenance).
    ``item`` is a :class:`certlib.sources.Found` or its :class:`FoundCert` record; ``known``: its
    SHA-256 and names when a worker already computed them."""
    if type(item) is not FoundCert:
        item = _flat(item)
    der = item.der
    sha = hashlib.sha256(der).hexdigest() if known is None else known.sha256
    entry = ctx.entries.get(sha)
    if entry is None:
        subject, issuer = _names(der) if known is None else (known.subject, known.issuer)
        if issuer is not None:
            issuer = ctx.interned.setdefault(issuer, issuer)  # few distinct issuers
        entry = ctx.entries[sha] = Entry(ctx.store.put(bytes(der)), subject, issuer)
    path = shown(path)
    where = shown(str(item.path)) if item.path else path
    if not where.startswith(path):
        where = f"{path}:{where}"
    index = None if item.index is None else item.index + offset
    if index is not None and not (single and index == 0):
        where = f"{where}#{index}"
    entry.sources.append(where)
    if path not in entry.source_files:
        entry.source_files.append(path)
    entry.containers.append(str(item.container))
    if item.alias and item.alias not in entry.friendly_names:
        entry.friendly_names.append(str(item.alias))
    entry.has_private_key = key_state(entry.has_private_key, item.has_private_key)
    for w in item.warnings:
        w = _redact(str(w), ctx.secrets)
        if w not in entry.warnings:
            entry.warnings.append(w)


def _flat(item: Any) -> FoundCert:
    """A :class:`certlib.sources.Found` as a :class:`FoundCert` record (cheap to send from a
    worker, cheap to unpickle)."""
    prov = item.provenance
    return FoundCert(
        item.der,
        prov.path,
        prov.container,
        prov.index,
        prov.alias,
        prov.has_private_key,
        item.warnings,
    )


def _read_piece(data: bytes, path: str, passwords: Sequence[bytes]) -> _Piece:
    """In a worker: a file or a piece of a bundle, with SHA-256 and names of what it found
    (for :func:`merge_found`)."""
    found, problems = sources.read_bytes(data, path, passwords=passwords)
    known = [Known(hashlib.sha256(f.der).hexdigest(), *_names(f.der)) for f in found]
    return _Piece([_flat(f) for f in found], problems, known)


def _collect_pieces(path, pieces, ctx, pool, exact=True) -> bool:
    """:func:`_collect_file` for a bundle the workers read in ``pieces`` ``(data, blocks before,
    lines before)``, a few at a time; the same rows (``exact``: block and line numbers shifted
    to the file's; else, as for any huge file, problems say which piece they come from)."""
    passwords, errors = ctx.passwords, ctx.errors
    window: list[tuple[Future, int, int]] = []
    seen_any = False

    def drain(fut: Future, blocks: int, lines: int) -> None:
        nonlocal seen_any
        try:
            piece: _Piece = fut.result()
        except Exception as exc:  # a dead worker: say so, keep going with the other pieces
            errors.append(error_row(path, "internal", f"reading in a worker failed: {exc}"))
            seen_any = True
            return
        found, problems, known = piece.found, piece.problems, piece.known
        seen_any = seen_any or bool(found or problems)
        if exact:
            reword = functools.partial(_shift_where, blocks=blocks, lines=lines)
        else:
            reword = _piece_note(blocks)
        merge_found(path, found, problems, ctx, offset=blocks, known=known, reword=reword)

    for data, blocks, lines in pieces:
        if isinstance(data, Problem):  # the rows before it first, as the serial reader does
            for item in window:
                drain(*item)
            window.clear()
            errors.append(error_row(path, data.kind, data.message))
            seen_any = True
            continue
        window.append((pool.submit(_read_piece, data, path, passwords), blocks, lines))
        if len(window) > 2 * getattr(pool, "_max_workers", 2):
            drain(*window.pop(0))
    for item in window:
        drain(*item)
    return seen_any
