"""Pass 1 of an inventory: files → distinct DERs with their provenance, and error rows.

:func:`_collect` reads every listed file with :func:`certlib.sources.read_bytes`, deduplicates
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
from typing import Any

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
from certlib.inventory.store import _MEMORY, _DerStore, _Entry, _gc_paused
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


def _error_row(path: str, kind: str, message: str, container: str | None = None, index=None):
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


def _collect(
    files: Iterable[tuple[str, str | None]],
    passwords: Sequence[bytes],
    bar: Any,
    store: _DerStore = _MEMORY,
    pool: ProcessPoolExecutor | None = None,
) -> tuple[dict[str, _Entry], list[dict[str, Any]], int]:
    """Pass 1. With ``pool``, small files are read by the workers in batches and big bundles
    in pieces; the main process merges what they found, in file order (same rows)."""
    secrets = [p.decode("utf-8", "replace") for p in passwords]
    entries: dict[str, _Entry] = {}
    errors: list[dict[str, Any]] = []
    interned: dict[bytes, bytes] = {}
    n_files = 0
    queue: list[tuple[Any, ...]] = []  # ("batch", future, paths), ("file", path), ("error", …)
    batch: list[str] = []
    ctx = (passwords, secrets, entries, errors, interned, store)

    def flush() -> None:
        if batch:
            queue.append(("batch", pool.submit(_read_files, list(batch), passwords), list(batch)))
            batch.clear()

    def drain(limit: int) -> None:
        while len(queue) > limit:
            kind, *rest = queue.pop(0)
            if kind == "file":
                _collect_one(rest[0], pool, ctx)
            elif kind == "error":
                errors.append(_listed_error(rest[0], rest[1]))
            else:
                _merge_batch(rest[0], rest[1], ctx)

    for path, problem in files:
        n_files += 1
        bar.update(1)
        if problem is not None:
            flush()
            queue.append(("error", path, problem))
            continue
        if pool is not None and _small(path):
            batch.append(path)
            if len(batch) >= _FILE_BATCH:
                flush()
        else:
            flush()
            queue.append(("file", path))
        drain(4 * getattr(pool, "_max_workers", 1) if pool is not None else 0)
    flush()
    drain(0)
    return entries, errors, n_files


def _listed_error(path: str, problem: str | Problem) -> dict[str, Any]:
    """The row of a path the walk did not read (:func:`certlib.sources.walk.walk` gives a Problem
    naming what it is; a plain string is an ``unreadable`` reason)."""
    if isinstance(problem, Problem):
        return _error_row(path, problem.kind, problem.message)
    return _error_row(path, "unreadable", str(problem))


#: Files per worker task when workers read many small files.
_FILE_BATCH = 128


def _collect_one(path: str, pool, ctx) -> None:
    """One file read here (big bundles still handed to the workers in pieces)."""
    errors = ctx[3]
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
        errors.append(_error_row(path, *why(path, exc)))
        return
    if not seen_any:
        errors.append(_error_row(path, "not-a-certificate", "no certificate found"))


def _read_files(paths: list[str], passwords: Sequence[bytes]) -> list[tuple[str, Any]]:
    """In a worker: whole small files, as :func:`_collect_file` reads them in the main
    process; per file ``("ok", (found, problems, known))``, ``("error", (kind, why))`` or
    ``("internal", why)``."""
    out: list[tuple[str, Any]] = []
    for path in paths:
        try:
            data = _read_whole(path)
        except OSError as exc:
            out.append(("error", why(path, exc)))
            continue
        try:
            out.append(("ok", _read_piece(data, path, passwords)))
        except Exception as exc:  # sources promises not to raise; keep it here too
            out.append(("internal", f"{type(exc).__name__}: {exc}"))
    return out


def _merge_batch(fut: Future, paths: list[str], ctx) -> None:
    errors = ctx[3]
    try:
        results = fut.result()
    except Exception as exc:  # a dead worker: its files are read here instead
        del exc
        for path in paths:
            _collect_one(path, None, ctx)
        return
    with _gc_paused():
        for path, (kind, payload) in zip(paths, results, strict=True):
            if kind == "error":
                errors.append(_error_row(path, *payload))
                continue
            if kind == "internal":
                errors.append(_error_row(path, "internal", payload))
                continue
            found, problems, known = payload
            _merge(path, found, problems, ctx, single=len(found) == 1, known=known)
            if not (found or problems):
                errors.append(_error_row(path, "not-a-certificate", "no certificate found"))


def _collect_file(path, ctx) -> bool:
    """One file's certificates into the entries and its problems into the error rows, read
    here; anything found?"""
    passwords, errors = ctx[0], ctx[3]
    seen_any = False
    for data, offset, whole in _whole_or_pieces(path):
        if isinstance(data, Problem):  # too large, or a PEM stretch with no END line
            errors.append(_error_row(path, data.kind, data.message))
            seen_any = True
            continue
        try:
            found, problems = sources.read_bytes(data, path, passwords=passwords)
        except Exception as exc:  # sources promises not to raise; keep it here too
            errors.append(_error_row(path, "internal", f"{type(exc).__name__}: {exc}"))
            seen_any = True
            break
        del data
        seen_any = seen_any or bool(found or problems)
        reword = None if whole else _piece_note(offset)
        single = whole and len(found) == 1
        _merge(path, found, problems, ctx, offset=offset, single=single, reword=reword)
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


def _merge(path, found, problems, ctx, *, offset=0, single=False, known=None, reword=None):
    """One read's certificates into the entries and its problems into the error rows.

    ``offset``: blocks before the piece that was read; ``known``: what a worker computed for
    each certificate (:func:`_read_piece`); ``reword``: how a problem's text says where it is.
    """
    _passwords, secrets, entries, errors, interned, store = ctx
    for pr in problems:
        index = None if pr.index is None else pr.index + offset
        message = _redact(str(pr.message), secrets)
        if reword is not None:
            message = reword(message)
        errors.append(_error_row(path, pr.kind, message, pr.container, index))
    for i, item in enumerate(found):
        k = None if known is None else known[i]
        _add(entries, interned, store, path, item, offset, single, secrets, k)


def _add(
    entries, interned, store, path, item, offset: int, single: bool, secrets, known=None
) -> None:
    """Merge one found certificate into ``entries`` (dedupe on SHA-256, keep provenance).
    ``item`` is a :class:`certlib.sources.Found` or its :func:`_flat` tuple; ``known``: its
    (sha256 hex, subject, issuer) when a worker already computed them."""
    if type(item) is not tuple:
        item = _flat(item)
    der, prov_path, container, prov_index, alias, has_key, found_warnings = item
    sha = hashlib.sha256(der).hexdigest() if known is None else known[0]
    entry = entries.get(sha)
    if entry is None:
        subject, issuer = _names(der) if known is None else known[1:]
        if issuer is not None:
            issuer = interned.setdefault(issuer, issuer)  # few distinct issuers
        entry = entries[sha] = _Entry(store.put(bytes(der)), subject, issuer)
    path = shown(path)
    where = shown(str(prov_path)) if prov_path else path
    if not where.startswith(path):
        where = f"{path}:{where}"
    index = None if prov_index is None else prov_index + offset
    if index is not None and not (single and index == 0):
        where = f"{where}#{index}"
    entry.sources.append(where)
    if path not in entry.source_files:
        entry.source_files.append(path)
    entry.containers.append(str(container))
    if alias and alias not in entry.friendly_names:
        entry.friendly_names.append(str(alias))
    entry.has_private_key = key_state(entry.has_private_key, has_key)
    for w in found_warnings:
        w = _redact(str(w), secrets)
        if w not in entry.warnings:
            entry.warnings.append(w)


def _flat(item) -> tuple:
    """A Found as a plain tuple (cheap to send from a worker, cheap to unpickle)."""
    prov = item.provenance
    return (
        item.der,
        prov.path,
        prov.container,
        prov.index,
        prov.alias,
        prov.has_private_key,
        item.warnings,
    )


def _read_piece(data: bytes, path: str, passwords: Sequence[bytes]):
    """In a worker: a file or a piece of a bundle, with SHA-256 and names of what it found
    (``(found as _flat tuples, problems, known)`` for :func:`_merge`)."""
    found, problems = sources.read_bytes(data, path, passwords=passwords)
    known = [(hashlib.sha256(f.der).hexdigest(), *_names(f.der)) for f in found]
    return [_flat(f) for f in found], problems, known


def _collect_pieces(path, pieces, ctx, pool, exact=True) -> bool:
    """:func:`_collect_file` for a bundle the workers read in ``pieces`` ``(data, blocks before,
    lines before)``, a few at a time; the same rows (``exact``: block and line numbers shifted
    to the file's; else, as for any huge file, problems say which piece they come from)."""
    passwords, errors = ctx[0], ctx[3]
    window: list[tuple[Future, int, int]] = []
    seen_any = False

    def drain(fut: Future, blocks: int, lines: int) -> None:
        nonlocal seen_any
        try:
            found, problems, known = fut.result()
        except Exception as exc:  # a dead worker: say so, keep going with the other pieces
            errors.append(_error_row(path, "internal", f"reading in a worker failed: {exc}"))
            seen_any = True
            return
        seen_any = seen_any or bool(found or problems)
        if exact:
            reword = functools.partial(_shift_where, blocks=blocks, lines=lines)
        else:
            reword = _piece_note(blocks)
        _merge(path, found, problems, ctx, offset=blocks, known=known, reword=reword)

    for data, blocks, lines in pieces:
        if isinstance(data, Problem):  # the rows before it first, as the serial reader does
            for item in window:
                drain(*item)
            window.clear()
            errors.append(_error_row(path, data.kind, data.message))
            seen_any = True
            continue
        window.append((pool.submit(_read_piece, data, path, passwords), blocks, lines))
        if len(window) > 2 * getattr(pool, "_max_workers", 2):
            drain(*window.pop(0))
    for item in window:
        drain(*item)
    return seen_any
