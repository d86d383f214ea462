"""Safe output files: every file certlib writes goes through :func:`atomic_output`.

Why: a plain ``open(path, "w")`` truncates the previous file first, so a write that fails
part-way (disk full, Ctrl+C, a bug) leaves neither the old output nor a new one, and ``-o`` can
silently replace one of the very files being scanned. Here the data goes to a temporary file in
the target's folder (same file system), is flushed and fsynced, and only then renamed over the
target with :func:`os.replace`, which is atomic; on any failure the temporary file is removed
and the previous output is untouched. Without ``overwrite`` an existing target is refused, also
when it appears during the write (the final step is then a no-clobber hard link).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = [
    "OutputError",
    "OutputExistsError",
    "atomic_output",
    "check_not_input",
    "refuse_existing",
]


class OutputError(OSError):
    """An output path that must not be written (an input, an existing file, a folder)."""


class OutputExistsError(OutputError, FileExistsError):
    """The output exists and overwriting was not asked for."""


def refuse_existing(target: Path, hint: str) -> None:
    """Raise :class:`OutputError` (``hint`` says how to allow it) when ``target`` exists."""
    if os.path.lexists(target):
        raise OutputExistsError(errno.EEXIST, f"{target} exists; {hint} to replace it")


def _is_input(out: os.stat_result, out_real: str, raw: str | os.PathLike[str], recursive: bool):
    try:
        st = os.stat(raw)
    except OSError:
        return False
    if (st.st_dev, st.st_ino) == (out.st_dev, out.st_ino):
        return True
    if not stat.S_ISDIR(st.st_mode):
        return False
    folder = os.path.realpath(raw)
    if recursive:
        return os.path.commonpath([folder, out_real]) == folder
    return os.path.dirname(out_real) == folder


def check_not_input(
    target: Path, inputs: Iterable[str | os.PathLike[str]], *, recursive: bool = True
) -> None:
    """Raise :class:`OutputError` when ``target`` is one of ``inputs``: the same file (same
    device and inode, so links and other spellings count) or an existing file inside an input
    folder the scan reads (any depth when ``recursive``, else direct children). A target that
    does not exist yet is no input."""
    try:
        out = os.stat(target)
    except OSError:
        return
    out_real = os.path.realpath(target)
    for raw in inputs:
        if _is_input(out, out_real, raw, recursive):
            raise OutputError(
                errno.EINVAL, f"{target} is one of the inputs ({os.fspath(raw)}); not writing it"
            )


def _temp_beside(target: Path) -> Path:
    """An unused, unguessable name next to ``target``. The file is not created here: the
    writer creates it when it first writes (with its usual mode), so a scan that walks the
    target's folder before writing (``--stream``) does not see an empty stranger."""
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
        if not os.path.lexists(tmp):
            return tmp
    raise OutputError(errno.EEXIST, f"cannot find a free temporary name beside {target}")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename itself is still atomic
    finally:
        os.close(fd)


def _publish(tmp: Path, target: Path, overwrite: bool) -> None:
    if overwrite:
        with suppress(OSError):  # keep the replaced file's mode (none yet: the writer's)
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)  # fails if target appeared meanwhile: never clobbers
    except FileExistsError:
        raise OutputExistsError(errno.EEXIST, f"{target} exists; not replacing it") from None
    except OSError:  # no hard links here (e.g. FAT, some network file systems)
        refuse_existing(target, "allow overwriting")
        os.replace(tmp, target)
        return
    os.unlink(tmp)


@contextmanager
def atomic_output(target: str | os.PathLike[str], *, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``target`` to write; on success it becomes ``target``.

    The caller creates, writes and closes the temporary file inside the ``with`` block; then it is
    fsynced and renamed onto ``target``. Any exception removes it and leaves ``target`` as it
    was. Without ``overwrite`` an existing ``target`` raises :class:`OutputError` (errno
    ``EEXIST``) before anything is written.
    """
    target = Path(target)
    if not overwrite:
        refuse_existing(target, "pass overwrite=True (--force on the command line)")
    if os.path.isdir(target):
        raise OutputError(errno.EISDIR, f"{target} is a folder")
    tmp = _temp_beside(target)
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        _publish(tmp, target, overwrite)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)
