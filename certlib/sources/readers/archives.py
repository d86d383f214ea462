"""Zip archives, member by member within bomb-proof limits; gzip is reported, not unpacked.

Each member is read in its own context (its path is ``archive.zip!member``) and handed back to
the dispatcher; the limits (depth, member count, total size, compression ratio) are shared by
every archive inside one top-level input through ``_Budget``.
"""

from __future__ import annotations

import io
import zipfile

from certlib.sources.readers.context import _Budget, _Ctx, _short_error, _Via
from certlib.sources.readers.records import Problem
from certlib.sources.readers.sniffing import _Sniffed

MiB = 1024 * 1024
#: The zip limits (``certlib.sources`` re-exports them); the readers read them from here.
MAX_ZIP_DEPTH = 3
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_TOTAL_BYTES = 512 * MiB
#: Uncompressed/compressed ratio above which a member (larger than 1 MiB) is taken for a bomb.
MAX_ZIP_RATIO = 100
_ZIP_RATIO_MIN_BYTES = 1 * MiB


def _read_gzip(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    msg = "gzip-compressed data is not unpacked; decompress it (or zip it) first"
    ctx.problem("unsupported", msg, via, "gzip")


def _read_zip(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    depth = ctx.zip_depth + 1
    if depth > MAX_ZIP_DEPTH:
        msg = f"zip nested {depth} deep; the limit is {MAX_ZIP_DEPTH}: not opened"
        ctx.problem("zip-limit", msg, via, "zip", indexed=False)
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except Exception as exc:  # BadZipFile, LargeZipFile, NotImplementedError, struct errors …
        kind = "truncated" if b"PK\x05\x06" not in data[-65_557:] else "corrupt"
        ctx.problem(kind, f"zip archive cannot be opened ({_short_error(exc)})", via, "zip")
        return
    if not infos:
        ctx.problem("empty", "zip archive holds no files", via, "zip", indexed=False)
        return
    for info in infos:
        try:
            if not _zip_member(archive, info, ctx, depth):
                break
        except Exception as exc:  # one odd member must not lose the rest of the archive
            msg = f"zip member cannot be read ({_short_error(exc)})"
            ctx.items.append(Problem(f"{ctx.path}!{info.filename}", "zip", None, "corrupt", msg))


def _zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, ctx: _Ctx, depth: int) -> bool:
    """Read one member into its own context; False stops the archive (a limit was hit)."""
    path = f"{ctx.path}!{info.filename}"
    budget = ctx.budget
    budget.members += 1
    limit = _zip_limit(info, budget)
    if limit:
        ctx.items.append(Problem(path, "zip", None, "zip-limit", limit))
        return "member count" not in limit and "total" not in limit
    content = _zip_content(archive, info, path, ctx)
    if content is None:
        return True
    budget.total += len(content)
    child = _Ctx(path, ctx.passwords, ctx.dispatch, budget, depth, secrets=set(ctx.secrets))
    child.dispatch(content, child, _Via())
    ctx.items.extend(child.finish())
    return True


def _zip_limit(info: zipfile.ZipInfo, budget: _Budget) -> str | None:
    if budget.members > MAX_ZIP_MEMBERS:
        return f"more than {MAX_ZIP_MEMBERS} member count in zip archives: the rest is skipped"
    if budget.total + info.file_size > MAX_ZIP_TOTAL_BYTES:
        return (
            f"member would take the total uncompressed size past {MAX_ZIP_TOTAL_BYTES // MiB} "
            "MiB: the rest is skipped"
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > _ZIP_RATIO_MIN_BYTES and ratio > MAX_ZIP_RATIO:
        return (
            f"compression ratio {ratio:.0f}:1 exceeds {MAX_ZIP_RATIO}:1 "
            "(zip bomb guard): member not extracted"
        )
    return None


def _zip_content(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, ctx: _Ctx
) -> bytes | None:
    encrypted = bool(info.flag_bits & 0x1)
    attempts: list[bytes | None] = list(ctx.passwords) if encrypted else [None]
    error: Exception | None = None
    for password in attempts:
        try:
            with archive.open(info, pwd=password) as fh:
                return fh.read(info.file_size + 1)
        except (RuntimeError, zipfile.BadZipFile) as exc:
            error = exc
        except NotImplementedError as exc:
            msg = f"zip member uses an unsupported method ({_short_error(exc)})"
            ctx.items.append(Problem(path, "zip", None, "unsupported", msg))
            return None
        except Exception as exc:  # zlib/bz2/lzma errors on damaged data, OSError, EOFError
            error = exc
    if encrypted:
        msg = (
            "encrypted zip member: wrong password or unsupported encryption "
            f"(tried {len(attempts)} supplied password(s))"
        )
        ctx.items.append(Problem(path, "zip", None, "bad-password", msg))
    else:
        kind = "truncated" if isinstance(error, EOFError) else "corrupt"
        msg = f"zip member cannot be extracted ({_short_error(error or ValueError())})"
        ctx.items.append(Problem(path, "zip", None, kind, msg))
    return None
