"""One walk over the files and folders people hand in, and one bounded way to read a file.

Every scan reads its inputs through here (``sources.read_path``, ``inventory.iter_input_files``
and so ``read_inventory``/``stream_inventory``/``certlib scan``/``certlib report``, ``certlib
explain``, ``--password-file``), because a pile of exported files is not always a pile of
regular files: FIFOs, sockets, devices, dangling links, link loops, linked folders and names
that are not UTF-8 all turn up, and each used to hang, crash or vanish somewhere.

Rules it keeps:

* only regular files are opened, ``O_RDONLY | O_NONBLOCK`` (a FIFO swapped in after the walk
  cannot block the open), and ``fstat`` after opening confirms it (:func:`open_regular`);
* reading is bounded by a limit whatever size ``fstat`` says (:func:`read_file`);
* everything that is not read becomes a :class:`~certlib.sources.readers.records.Problem` naming
what   it is (:data:`KINDS`), never a silent skip;
* linked folders are followed once, with loop detection on ``(st_dev, st_ino)``;
* names are kept as Python gives them (non-UTF-8 bytes as surrogate escapes, so the file can
  still be opened); :func:`shown` is the one place their display form is made.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator

from certlib.sources.readers.records import Problem

#: The problem kinds only the walker gives, with what each means.
KINDS: dict[str, str] = {
    "fifo": "a FIFO (named pipe): not a regular file, not opened",
    "socket": "a socket: not a regular file, not opened",
    "device": "a character or block device: not a regular file, not opened",
    "dangling-link": "a symbolic link whose target does not exist",
    "link-loop": "a symbolic link loop, or a linked folder already being read (followed once)",
}

_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


class NotReadable(OSError):
    """Why a path is not read, as a problem kind and an analyst's message (``strerror``)."""

    def __init__(self, kind: str, message: str, filename: str | None = None) -> None:
        super().__init__(errno.EINVAL, message, filename)
        self.kind = kind


def shown(text: str) -> str:
    """``text`` as outputs show it: a byte that is not UTF-8 in a file name (kept internally
    as a surrogate escape) becomes ``\\xff``, so every frame, file and terminal can hold it.
    A literal backslash is left as it is (so the display is not meant to be parsed back)."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file name gives: show its code point
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def what(mode: int) -> NotReadable | None:
    """None for a regular file, else why it is not read."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return NotReadable("fifo", "not a regular file: FIFO (named pipe), not opened")
    if stat.S_ISSOCK(mode):
        return NotReadable("socket", "not a regular file: socket, not opened")
    if stat.S_ISCHR(mode):
        return NotReadable("device", "not a regular file: character device, not opened")
    if stat.S_ISBLK(mode):
        return NotReadable("device", "not a regular file: block device, not opened")
    if stat.S_ISDIR(mode):
        return NotReadable("unreadable", "a folder where a file was expected")
    return NotReadable("unreadable", "not a regular file")


def why(name: str, exc: OSError) -> tuple[str, str]:
    """``(kind, message)`` for an error met looking at or reading ``name``."""
    if isinstance(exc, NotReadable):
        return exc.kind, str(exc.strerror)
    if exc.errno == errno.ELOOP:
        return "link-loop", "symbolic link loop: the links lead back to themselves, not followed"
    if exc.errno == errno.ENOENT and os.path.islink(name):
        try:
            target = os.readlink(name)
        except OSError:
            target = "?"
        return "dangling-link", f"dangling symbolic link: its target {target} does not exist"
    return "unreadable", f"cannot read: {exc.strerror or type(exc).__name__}"


def problem(name: str, exc: OSError) -> Problem:
    kind, message = why(name, exc)
    return Problem(name, None, None, kind, message)


def look(name: str) -> os.stat_result:
    """``os.stat`` (links followed) raising :class:`NotReadable` for what is not a regular
    file or folder, so a named path is classified before anything opens it."""
    info = os.stat(name)
    odd = what(info.st_mode)
    if odd is not None and not stat.S_ISDIR(info.st_mode):
        odd.filename = name
        raise odd
    return info


def open_regular(name: str) -> tuple[int, int]:
    """``(fd, size)`` of the regular file ``name``, opened without blocking; raises
    :class:`NotReadable` (fd closed) when what was opened is not a regular file (swapped for
    a FIFO since the walk) and ``IsADirectoryError`` for a folder, as ``open`` does."""
    fd = os.open(name, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), name)
            odd = what(info.st_mode)
            assert odd is not None
            odd.filename = name
            raise odd
    except BaseException:
        os.close(fd)
        raise
    return fd, info.st_size


def too_large(size: int, limit: int) -> NotReadable:
    mib = 1024 * 1024
    shown_limit = f"{limit // mib} MiB" if limit >= mib else f"{limit} bytes"
    return NotReadable("too-large", f"{size} bytes, over the {shown_limit} limit: not read")


def read_fd(fd: int, size: int, limit: int) -> bytes:
    """Up to ``limit`` bytes from an open file descriptor, in reads sized by ``size`` (its
    expected length: the first read asks one byte more, so a file of that size meets end of
    file at once)."""
    parts: list[bytes] = []
    total = 0
    while total < limit:
        want = size + 1 - total if total <= size else 65536
        chunk = os.read(fd, min(want, limit - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def read_file(name: str, limit: int, *, look_first: bool = False) -> bytes:
    """The bytes of the regular file ``name``, at most ``limit`` of them: a file said (by
    ``fstat``) or found (while reading: it grew) to be longer raises :class:`NotReadable`
    ``too-large`` without keeping more than ``limit + 1`` bytes. ``look_first``: ``stat``
    before opening, for a path nobody has walked (a device is then never opened)."""
    if look_first:
        look(name)
    fd, size = open_regular(name)
    try:
        return read_opened(fd, size, limit)
    finally:
        os.close(fd)


def read_opened(fd: int, size: int, limit: int) -> bytes:
    """The whole of an open regular file of ``fstat`` size ``size``, refused (``too-large``)
    when it claims, or turns out while read, to be longer than ``limit``; the caller closes."""
    if size > limit:
        raise too_large(size, limit)
    data = read_fd(fd, size, limit + 1)
    if len(data) > limit:
        raise NotReadable("too-large", "the file grew past the size limit while read: not read")
    return data


# --------------------------------------------------------------------------- the walk


def walk(
    paths: Iterable[str | bytes | os.PathLike], *, recursive: bool = True
) -> Iterator[tuple[str, Problem | None]]:
    """``(name, None)`` for every regular file under ``paths`` (each folder in sorted order,
    as sorting the full paths would give) and ``(name, Problem)`` for everything that is not
    read: missing, FIFO, socket, device, dangling link, link loop, unlistable folder.
    With ``recursive=False`` only the files directly in a named folder are listed."""
    for raw in paths:
        try:
            name = os.fsdecode(raw)
        except Exception as exc:
            yield str(raw), Problem(str(raw), None, None, "unreadable", f"not a path ({exc})")
            continue
        try:
            info = look(name)
        except OSError as exc:
            yield name, problem(name, exc)
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _tree(name, info, recursive)
        else:
            yield name, None


def _tree(root: str, info: os.stat_result, recursive: bool) -> Iterator[tuple[str, Problem | None]]:
    seen = {(info.st_dev, info.st_ino): root}
    stack = [[("dir", root, info)]]
    while stack:
        todo = stack[-1]
        if not todo:
            stack.pop()
            continue
        item = todo.pop()
        if item[0] != "dir":
            yield item[1], item[2]
            continue
        _tag, folder, st = item
        if folder is not root:
            key = (st.st_dev, st.st_ino)
            first = seen.get(key)
            if first is not None:
                yield folder, Problem(folder, None, None, "link-loop", _again(folder, first))
                continue
            seen[key] = folder
        listing = _list(folder, recursive)
        if isinstance(listing, Problem):
            yield folder, listing
            continue
        listing.sort(key=lambda x: x[0], reverse=True)
        stack.append([x[1] for x in listing])


def _again(folder: str, first: str) -> str:
    if (folder + os.sep).startswith(first.rstrip(os.sep) + os.sep):
        return f"link loop: this linked folder is {first}, which holds it; not followed again"
    return f"linked folder already read as {first}: followed once, not read again"


def _list(folder: str, recursive: bool) -> list[tuple[str, tuple]] | Problem:
    """The entries of one folder as ``(sort key, item)``; a folder's key ends in ``/`` so its
    files sort where a sort of full paths puts them."""
    out: list[tuple[str, tuple]] = []
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError as exc:
        kind, message = why(folder, exc)
        if kind == "unreadable":
            message = f"cannot list the folder: {exc.strerror or type(exc).__name__}"
        return Problem(folder, None, None, kind, message)
    for entry in entries:
        path = entry.path
        try:
            if entry.is_file(follow_symlinks=False):
                out.append((entry.name, ("file", path, None)))
            elif entry.is_dir(follow_symlinks=False):
                if recursive:
                    out.append((entry.name + "/", ("dir", path, entry.stat(follow_symlinks=False))))
            elif entry.is_symlink():
                out.extend(_link(entry.name, path, recursive))
            else:
                odd = what(entry.stat(follow_symlinks=False).st_mode)
                out.append((entry.name, ("file", path, problem(path, odd or OSError()))))
        except OSError as exc:
            out.append((entry.name, ("file", path, problem(path, exc))))
    return out


def _link(name: str, path: str, recursive: bool) -> list[tuple[str, tuple]]:
    try:
        info = look(path)
    except OSError as exc:
        return [(name, ("file", path, problem(path, exc)))]
    if stat.S_ISDIR(info.st_mode):
        return [(name + "/", ("dir", path, info))] if recursive else []
    return [(name, ("file", path, None))]
