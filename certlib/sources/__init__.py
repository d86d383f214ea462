"""Find every certificate in the files people hand you, whatever shape they come in.

Inventories arrive as PEM bundles, Windows exports (DER ``.cer``, ``.p7b``, ``.pfx``, ``.sst``,
PowerShell CSV), Java keystores, Kubernetes secrets and zip files of all of these, often with
the wrong extension and a text encoding nobody chose (docs/inputs.md). This module
turns them into a flat stream of :class:`Found` (one certificate's DER plus where it came from)
and :class:`Problem` (something that is not, or cannot be read as, a certificate), so that the
inventory never stops at the first odd file and never silently drops anything.

Rules it keeps:

* the format is sniffed from the bytes (:func:`sniff`), never from the file name;
* nothing raises on bad input: every failure, even a bug in a parser, becomes a ``Problem``;
* oddities that do not stop reading (BER PKCS#7, a non-positive serial, UTF-16, CRLF …) are kept
  as ``warnings`` on the ``Found``, each ``"code: human text"``;
* private keys are looked at only to learn ``has_private_key``; no key material and no password
  is ever returned or written into a message.

``index`` counts every item found in one file (certificates and non-certificates alike) in the
order found, so a file holding a corrupt block between two certificates gives indexes 0, 1, 2.
A private key that is matched to a certificate in the same file uses an index but yields no row.

This module is the public face and the dispatcher: it sniffs each input, hands it to the reader
for its kind (``_READERS``) and walks files and directories. The format readers themselves live
in :mod:`certlib.sources.readers`, one module per format family (its docstring explains how they
reach the dispatcher back without importing this module).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence

from certlib.sources import walk
from certlib.sources.readers.archives import (
    MAX_ZIP_DEPTH,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_RATIO,
    MAX_ZIP_TOTAL_BYTES,
    MiB,
    _read_gzip,
    _read_zip,
)
from certlib.sources.readers.binary import _read_der_file, _read_pkcs7_file
from certlib.sources.readers.context import _Ctx, _password_candidates, _short_error, _Via
from certlib.sources.readers.documents import _read_json, _read_yaml
from certlib.sources.readers.pem import _read_pem_file
from certlib.sources.readers.pkcs12 import _read_pkcs12_file
from certlib.sources.readers.records import Found, Problem, Provenance, Result
from certlib.sources.readers.records import key_state as key_state
from certlib.sources.readers.sniffing import (
    _BINARY_KINDS,
    _MAX_NESTING,
    _read_base64,
    _read_empty,
    _read_unknown,
    _sniff,
    _Sniffed,
    sniff,
)
from certlib.sources.readers.stores import _read_jks, _read_sst
from certlib.sources.readers.tabular import RECOMMENDED_POWERSHELL_EXPORT, _read_csv
from certlib.sources.walk import read_fd as read_fd

__all__ = [
    "CONTAINERS",
    "MAX_INPUT_BYTES",
    "MAX_ZIP_DEPTH",
    "MAX_ZIP_MEMBERS",
    "MAX_ZIP_RATIO",
    "MAX_ZIP_TOTAL_BYTES",
    "PROBLEM_KINDS",
    "RECOMMENDED_POWERSHELL_EXPORT",
    "WARNING_CODES",
    "Found",
    "Problem",
    "Provenance",
    "read_bytes",
    "read_certificates",
    "read_path",
    "sniff",
]

#: Files larger than this are reported as "too-large" instead of being read.
MAX_INPUT_BYTES = 256 * MiB
# The zip limits (MAX_ZIP_*) are the zip reader's own: certlib.sources.readers.archives, imported
# above.

PROBLEM_KINDS = frozenset(
    {
        "not-a-certificate",
        "bad-password",
        "truncated",
        "corrupt",
        "unreadable",
        "unsupported",
        "empty",
        "too-large",
        "zip-limit",
        *walk.KINDS,  # fifo, socket, device, dangling-link, link-loop: found by the walk
    }
)

#: Every ``Provenance.container`` / ``sniff`` value, with what it means.
CONTAINERS: dict[str, str] = {
    "pem": "PEM text (RFC 7468), read block by block",
    "pkcs7-pem": "PKCS#7 / CMS SignedData in a PEM block (.p7b as text)",
    "json-escaped-pem": "PEM whose newlines are literal \\n escapes (testssl, REST APIs)",
    "der": "one or more DER certificates (.cer, .crt, .der)",
    "pkcs7-der": "PKCS#7 / CMS SignedData in DER (.p7b, .p7c)",
    "pkcs12": "PKCS#12 / PFX (.pfx, .p12)",
    "sst": "Windows serialized certificate store (.sst)",
    "jks": "Java KeyStore (magic FEEDFEED)",
    "jceks": "Java JCEKS keystore (magic CECECECE)",
    "base64-der": "base64 text of DER (Azure 'cer', many APIs); other base64-<kind> likewise",
    "base64-pem": "base64 text of PEM (Kubernetes data values, kubeconfig)",
    "powershell-csv": "PowerShell Export-Csv of Cert: items (needs a base64 RawData column)",
    "csv": "CSV with a column of base64 or PEM certificates",
    "k8s-secret-yaml": "Kubernetes Secret (or List of them) as YAML",
    "k8s-secret-json": "Kubernetes Secret (or List of them) as JSON",
    "yaml": "other YAML (kubeconfig, ConfigMap, webhook caBundle): PEM/base64 values",
    "json": "other JSON (AWS ACM, testssl, Azure): PEM/base64 string values",
    "zip": "zip archive, read member by member (paths as archive.zip!member)",
    "gzip": "gzip-compressed data (not read)",
    "text": "text that holds no recognisable certificate",
    "unknown": "binary data of no recognised format",
    "empty": "no bytes, or only whitespace",
}

#: Every ``Found.warnings`` code (the text before the first colon) and what it records.
WARNING_CODES: dict[str, str] = {
    "utf8-bom": "the text started with a UTF-8 byte-order mark (stripped)",
    "utf16": "the text was UTF-16 (PowerShell 5.1 Out-File / >), decoded",
    "crlf": "the PEM block had CRLF line endings (Windows export)",
    "json-escaped": "the PEM had literal \\n escapes (JSON), unescaped",
    "trailing-data": "padding bytes after the DER were ignored",
    "pem-label": "an unusual PEM label whose body was read as DER",
    "pkcs7-in-certificate-label": "a PKCS#7 bundle inside a CERTIFICATE label (ADCS)",
    "pkcs7-by-hand": "cryptography refused the PKCS#7; certificates were cut out one by one",
    "ber-fallback": "cryptography parsed BER, not DER (may become an error in future)",
    "nonpositive-serial": "negative or zero serial number",
    "not-der": "certificate-shaped but cryptography cannot parse it; kept to be counted",
    "cryptography": "another warning cryptography emitted while loading",
    "openssl-aux": "OpenSSL TRUSTED CERTIFICATE trust data followed the certificate",
    "openssl-trust": "OpenSSL trust settings: purposes it is trusted for",
    "openssl-reject": "OpenSSL trust settings: purposes it is rejected for",
    "sst-sha1-mismatch": "the SST SHA-1 property does not match the certificate",
    "store-eku-restriction": "the Windows store narrows the purposes (property 9)",
    "archived": "the Windows store marks the certificate archived",
    "keystore-unverified": "no password matched the keystore digest (read anyway)",
    "yaml-unparsed": "the YAML could not be parsed; PEM blocks were read from the raw text",
    "unmatched-key": "the file has a private key that could not be read to match",
}


# --------------------------------------------------------------------------- dispatch


def _dispatch(data: bytes, ctx: _Ctx, via: _Via) -> None:
    """Sniff ``data`` and hand it to the reader for its kind; bugs become Problems."""
    if via.depth > _MAX_NESTING:
        msg = f"more than {_MAX_NESTING} nested encodings; not unwrapped further"
        ctx.problem("unsupported", msg, via, "unknown")
        return
    sniffed = _sniff(data, via.depth)
    if sniffed.notes:
        via = via.note(*sniffed.notes)
    reader = _READERS[sniffed.kind]
    try:
        reader(data, sniffed, ctx, via)
    except Exception as exc:
        msg = f"the {sniffed.kind} reader failed on this input ({_short_error(exc)})"
        ctx.problem("corrupt", msg, via, sniffed.kind)


# --------------------------------------------------------------------------- reader table


_READERS: dict[str, Callable[[bytes, _Sniffed, _Ctx, _Via], None]] = {
    "empty": _read_empty,
    "text": _read_unknown,
    "unknown": _read_unknown,
    "gzip": _read_gzip,
    "der": _read_der_file,
    "pkcs7-der": _read_pkcs7_file,
    "pkcs12": _read_pkcs12_file,
    "sst": _read_sst,
    "jks": _read_jks,
    "jceks": _read_jks,
    "zip": _read_zip,
    "pem": _read_pem_file,
    "pkcs7-pem": _read_pem_file,
    "json-escaped-pem": _read_pem_file,
    "powershell-csv": _read_csv,
    "csv": _read_csv,
    "k8s-secret-yaml": _read_yaml,
    "yaml": _read_yaml,
    "k8s-secret-json": _read_json,
    "json": _read_json,
}
for _kind in ("pem", *_BINARY_KINDS):
    _READERS["base64-" + _kind] = _read_base64
    CONTAINERS.setdefault("base64-" + _kind, f"base64 text of {CONTAINERS[_kind]}")


# --------------------------------------------------------------------------- public readers


#: What nothing outside the bytes says (a ``_Via`` is frozen, so one serves every input).
_NO_VIA = _Via()


def _read_all(data: bytes, path: str, passwords: tuple[bytes, ...]) -> list[Result]:
    ctx = _Ctx(path, passwords, _dispatch)
    try:
        _dispatch(data, ctx, _NO_VIA)
        return ctx.finish()
    except Exception as exc:  # the last guard: a bug must still come out as a Problem
        msg = f"reading failed unexpectedly ({_short_error(exc)})"
        return [ctx._scrub(Problem(path, None, None, "corrupt", msg))]


def read_bytes(
    data: bytes, path: str = "<bytes>", *, passwords: Sequence[bytes | str] = ()
) -> tuple[list[Found], list[Problem]]:
    """Every certificate in ``data`` and every problem met, never raising for bad input."""
    try:
        candidates = _password_candidates(passwords)
        if isinstance(data, str):
            data = data.encode("utf-8")
        results = _read_all(bytes(data), str(path), candidates)
    except Exception as exc:
        results = [Problem(str(path), None, None, "unreadable", _short_error(exc))]
    found = [r for r in results if isinstance(r, Found)]
    problems = [r for r in results if isinstance(r, Problem)] if len(found) < len(results) else []
    return found, problems


def read_path(
    path: str | os.PathLike[str],
    *,
    passwords: Sequence[bytes | str] = (),
    recursive: bool = True,
) -> Iterator[Found | Problem]:
    """A file, or every file under a directory (in the order of their sorted full paths, so it
    is reproducible), walked by :func:`certlib.sources.walk.walk`: what is not a regular file (FIFO,
    socket, device, dangling link, link loop) is a Problem naming it, a linked folder is
    followed once. Names are kept as the OS gives them (non-UTF-8 bytes as surrogate escapes,
    ``os.fsencode`` gives them back); :func:`certlib.sources.walk.shown` is their display form."""
    try:
        name = os.fspath(path)
        candidates = _password_candidates(passwords)
    except Exception as exc:
        yield Problem(str(path), None, None, "unreadable", f"not a path ({_short_error(exc)})")
        return
    for file, problem in walk.walk([name], recursive=recursive):
        if problem is not None:
            yield problem
        else:
            yield from _read_file(file, candidates)


def _read_file(name: str, passwords: tuple[bytes, ...]) -> Iterator[Result]:
    """One walked regular file: opened without blocking, checked with ``fstat``, and read only
    up to :data:`MAX_INPUT_BYTES` (a larger file is one ``too-large`` Problem)."""
    try:
        data = walk.read_file(name, MAX_INPUT_BYTES)
    except OSError as exc:
        yield walk.problem(name, exc)
        return
    yield from _read_all(data, name, passwords)


def _read_up_to(name: str, size: int, limit: int) -> bytes:
    """The regular file's first ``limit`` bytes (all of it when shorter): what
    ``open(name, "rb").read(limit)`` gives, without the buffered file object, whose
    ``read(limit)`` allocates ``limit`` bytes first. ``size``: what a stat just said, only to
    size the reads (a file that grew or shrank since is read as it is now)."""
    fd, _size = walk.open_regular(name)
    try:
        return read_fd(fd, size, limit)
    finally:
        os.close(fd)


def read_certificates(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    passwords: Sequence[bytes | str] = (),
    recursive: bool = True,
) -> Iterator[Found | Problem]:
    """:func:`read_path` over many paths (a single path is accepted too)."""
    if isinstance(paths, str | bytes | os.PathLike):
        paths = [paths]  # type: ignore[list-item]
    try:
        items = list(paths)
    except Exception as exc:
        yield Problem(str(paths), None, None, "unreadable", f"not paths ({_short_error(exc)})")
        return
    for item in items:
        if isinstance(item, bytes):
            item = os.fsdecode(item)
        yield from read_path(item, passwords=passwords, recursive=recursive)
