"""Cutting big PEM files into pieces that can be read one at a time or by several workers.

Two reasons to read a file in pieces, both decided by size alone: a PEM file of at least
:data:`BIG_PEM` bytes comes in ~8 MiB pieces so memory stays bounded (:func:`_pieces`), and with
worker processes running a bundle of at least :data:`PARALLEL_READ` bytes made only of
``CERTIFICATE`` blocks is cut into one piece per worker task (:func:`_bundle_pieces`). Also
here: which files are small enough to go to the workers in batches (:func:`_small`) and how a
problem's text is made to say where in the file it is (:func:`_shift_where`,
:func:`_piece_note`). Only bytes and sizes: what a piece holds is read by
:mod:`certlib.inventory.read`. The size limits are read at call time from this module, so a
test can lower them here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import BinaryIO

from certlib import sources
from certlib.sources.readers.records import Problem
from certlib.sources.walk import open_regular, read_fd, too_large

#: With worker processes running, a PEM bundle of at least this size is read by them in pieces.
PARALLEL_READ = 4 * 1024 * 1024
_READ_PIECE_MIN = 1024 * 1024
_PEM_LINE = re.compile(rb"-----BEGIN ([^-\r\n]*)-----")
_CERT_BEGIN = b"-----BEGIN CERTIFICATE-----"
_BLOCK_WHERE = re.compile(r"^PEM block (\d+) \((.*?), line (\d+)\)")
#: PEM files larger than this are handed to sources in pieces cut between blocks.
BIG_PEM = 64 * 1024 * 1024
_PIECE = 8 * 1024 * 1024
#: In a PEM file read in pieces, more than this with no ``-----END`` line ends the read with a
#: ``too-large`` problem (no PEM block is this big; zeros after a header are not a bundle).
MAX_PEM_STRETCH = 64 * 1024 * 1024


def _open(path: str) -> tuple[BinaryIO, int]:
    """The regular file ``path`` opened as :func:`certlib.sources.walk.open_regular` opens it (a
    FIFO swapped in raises instead of blocking), and its size."""
    fd, size = open_regular(path)
    return os.fdopen(fd, "rb"), size


def _small(path: str) -> bool:
    """Small enough to go to the workers whole, in a batch (below both piece thresholds)."""
    try:
        return os.path.getsize(path) < min(PARALLEL_READ, BIG_PEM)
    except OSError:
        return False  # the main process reads it and reports why it cannot


def _bundle_pieces(
    path: str, pool: ProcessPoolExecutor | None
) -> list[tuple[bytes, int, int]] | None:
    """A big bundle of nothing but CERTIFICATE blocks, cut after ``-----END`` lines into one
    piece per worker task: ``(piece, blocks before it, lines before it)``; else None.

    Only such bundles: each block then yields exactly one result, so indexes, block numbers
    and line numbers can be shifted to what reading the whole file gives (a private key and
    its certificate in different pieces could not be matched; a PKCS#7 block yields several).
    """
    if pool is None or not (PARALLEL_READ <= os.path.getsize(path) < BIG_PEM):
        return None
    fh, _size = _open(path)
    with fh:  # a big zip, PFX or DER is not read twice just to say no
        if fh.read(len(_CERT_BEGIN)) != _CERT_BEGIN:
            return None
        fh.seek(0)
        data = fh.read(BIG_PEM)
    labels = _PEM_LINE.findall(data)
    if any(label != b"CERTIFICATE" for label in labels) or b"\\n" in data:
        return None
    workers = getattr(pool, "_max_workers", 2)
    target = max(_READ_PIECE_MIN, len(data) // (workers * 4) + 1)
    pieces: list[tuple[bytes, int, int]] = []
    start = blocks = lines = 0
    while start < len(data):
        cut = len(data)
        if start + target < len(data):
            end = data.find(b"-----END CERTIFICATE-----", start + target)
            if end >= 0:
                nl = data.find(b"\n", end)
                cut = len(data) if nl < 0 else nl + 1
        if len(data) - cut < target // 4:  # no small tail (and no trailing text) on its own
            cut = len(data)
        piece = data[start:cut]
        pieces.append((piece, blocks, lines))
        blocks += piece.count(b"-----BEGIN ")
        lines += piece.count(b"\n")
        start = cut
    return pieces if len(pieces) > 1 else None


def _huge_pem(path: str) -> bool:
    """A file :func:`_pieces` would cut (PEM, at least :data:`BIG_PEM` bytes)."""
    if os.path.getsize(path) < BIG_PEM:
        return False
    fh, _size = _open(path)
    with fh:
        return fh.read(64).lstrip().startswith(b"-----BEGIN ")


def _shift_where(message: str, blocks: int, lines: int) -> str:
    """ "PEM block 3 (CERTIFICATE, line 40)" in a piece -> its number and line in the file."""
    m = _BLOCK_WHERE.match(message)
    if m is None:
        return message
    where = f"PEM block {int(m[1]) + blocks} ({m[2]}, line {int(m[3]) + lines})"
    return where + message[m.end() :]


def _piece_note(offset: int) -> Callable[[str], str]:
    """What a problem in a piece of a huge file adds to its text."""
    return lambda message: f"{message} [file read in pieces; this piece starts at block {offset}]"


def _pieces(path: str) -> Iterator[tuple[bytes | Problem, int, bool]]:
    """``(data, block_offset, whole_file)``: the file in one piece, except a huge PEM file,
    which comes in ~8 MiB pieces cut after an ``-----END …-----`` line so memory stays
    bounded (a million-certificate bundle is not read, decoded and listed all at once).

    The size limit (``sources.MAX_INPUT_BYTES``) holds for every file read whole: a bigger
    one is one ``too-large`` :class:`Problem` in place of its data, decided by its size before
    anything is read. A PEM file of at least :data:`BIG_PEM` bytes is read in pieces whatever
    its size, and ends in a ``too-large`` Problem where more than :data:`MAX_PEM_STRETCH`
    bytes come with no END line (the rest of the file is not read)."""
    fh, size = _open(path)
    with fh:
        head = fh.read(64) if size >= BIG_PEM else b""
        if not head.lstrip().startswith(b"-----BEGIN "):
            yield _whole(fh, path, size, len(head)), 0, True
            return
        fh.seek(0)
        offset, carry = 0, b""
        while chunk := fh.read(_PIECE):
            buf = carry + chunk
            end = buf.rfind(b"-----END ")
            close = buf.find(b"-----", end + 9) if end >= 0 else -1
            if close < 0:
                if len(buf) > MAX_PEM_STRETCH:
                    yield _stretch(path, offset), offset, False
                    return
                carry = buf
                continue
            cut = close + 5
            piece, carry = buf[:cut], buf[cut:]
            yield piece, offset, False
            offset += piece.count(b"-----BEGIN ")
        if carry.strip():
            yield carry, offset, False


def _whole(fh: BinaryIO, path: str, size: int, already: int) -> bytes | Problem:
    """The whole file (``already`` bytes of it read from ``fh``), or why not: too large."""
    limit = sources.MAX_INPUT_BYTES
    if size > limit:
        return Problem(path, None, None, "too-large", str(too_large(size, limit).strerror))
    fh.seek(0)
    data = read_fd(fh.fileno(), size, limit + 1)
    if len(data) > limit:
        msg = "the file grew past the size limit while read: not read"
        return Problem(path, None, None, "too-large", msg)
    return data


def _stretch(path: str, offset: int) -> Problem:
    mib = MAX_PEM_STRETCH // (1024 * 1024)
    msg = (
        f"more than {mib} MiB with no PEM END line after block {offset}: "
        "the rest of the file is not read"
    )
    return Problem(path, None, None, "too-large", msg)
