"""Find every certificate in the files people hand you, whatever shape they come in.

Inventories arrive as PEM bundles, Windows exports (DER ``.cer``, ``.p7b``, ``.pfx``, ``.sst``,
PowerShell CSV), Java keystores, Kubernetes secrets and zip files of all of these, often with
the wrong extension and a text encoding nobody chose (``../shared/docs/INPUTS.md``). This module
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
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
import os
import re
import stat
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

from certlib import der as asn1
from certlib.jks import JCEKS_MAGIC, JKS_MAGIC, parse_jks
from certlib.oids import CONTENT_TYPE, eku
from certlib.sst import CONTEXT_NAMES, parse_sst
from certlib.sst import MAGIC as SST_MAGIC

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

MiB = 1024 * 1024
#: Files larger than this are reported as "too-large" instead of being read.
MAX_INPUT_BYTES = 256 * MiB
MAX_ZIP_DEPTH = 3
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_TOTAL_BYTES = 512 * MiB
#: Uncompressed/compressed ratio above which a member (larger than 1 MiB) is taken for a bomb.
MAX_ZIP_RATIO = 100
_ZIP_RATIO_MIN_BYTES = 1 * MiB
#: Fast paths for big inputs (clean PEM CERTIFICATE blocks, whole-text sniffing scans); each
#: gives exactly what the general code gives. Tests set it to False to compare the two.
_FAST_PATHS = True
#: How many encodings may wrap each other (base64 in YAML in base64 …) before giving up.
_MAX_NESTING = 8
_MAX_WALK_NODES = 200_000

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

#: The export that keeps the certificate bytes (docs/inputs.md explains each part).
RECOMMENDED_POWERSHELL_EXPORT = (
    "Get-ChildItem Cert:\\LocalMachine\\My | Select-Object "
    "@{n='RawDataB64';e={[Convert]::ToBase64String($_.RawData)}}, "
    "@{n='NotAfterUtc';e={$_.NotAfter.ToUniversalTime().ToString('o')}}, "
    "@{n='EKU';e={$_.EnhancedKeyUsageList.ObjectId -join ';'}}, "
    "@{n='DnsNames';e={$_.DnsNameList.Unicode -join ';'}}, "
    "HasPrivateKey, FriendlyName, Thumbprint, PSParentPath | "
    "Export-Csv certs.csv -NoTypeInformation -Encoding UTF8"
)


# --------------------------------------------------------------------------- public records


@dataclass(frozen=True)
class Provenance:
    """Where one certificate was found."""

    path: str  # as given/found; inside zips "a.zip!dir/f.pem" (nested: a.zip!b.zip!c.pem)
    container: str  # a CONTAINERS key
    index: int  # position inside the file (0-based, order found)
    alias: str | None  # friendly name, keystore alias, CSV FriendlyName, k8s key ("tls.crt")
    # A key for this certificate came with it (True), the container could carry one and did not
    # (False: PKCS#12, JKS, SST, a PowerShell CSV's HasPrivateKey, a PEM file with other keys),
    # or the format cannot say (None: DER, PEM, PKCS#7). Never the key itself.
    has_private_key: bool | None = None


@dataclass(frozen=True)
class Found:
    """One certificate: its exact DER bytes and where they came from."""

    der: bytes
    provenance: Provenance
    warnings: tuple[str, ...] = ()  # "code: text", e.g. "ber-fallback: …"


@dataclass(frozen=True)
class Problem:
    """Something that is not, or could not be read as, a certificate."""

    path: str
    container: str | None
    index: int | None  # None when the problem is about the whole file
    kind: str  # a PROBLEM_KINDS value
    message: str  # human text; never holds a password or key bytes


Result = Found | Problem


# --------------------------------------------------------------------------- internal state


@dataclass(frozen=True)
class _Via:
    """What the layers around the bytes being read say about them."""

    container: str | None = None  # an outer container that names everything inside (k8s, CSV)
    prefix: str = ""  # "base64-" when the bytes were base64 text
    alias: str | None = None
    has_key: bool | None = None  # what an outer layer says (a CSV's HasPrivateKey column)
    warnings: tuple[str, ...] = ()
    where: str = ""  # for messages: "PEM block 2 (CERTIFICATE, line 31)"
    depth: int = 0
    passwords: tuple[bytes, ...] = ()  # extra candidates (a Secret's sibling password key)

    def name(self, own: str) -> str:
        return self.container or self.prefix + own

    def inner(self, **changes: Any) -> _Via:
        return replace(self, depth=self.depth + 1, **changes)

    def note(self, *extra: str) -> _Via:
        return replace(self, warnings=self.warnings + tuple(extra))


#: A certificate found, until ``finish``: (der, container, alias, has_key, warnings, index).
#: A plain tuple (the only tuples in ``_Ctx.items``): a big bundle makes one per certificate, and
#: the garbage collector stops tracking a tuple of bytes/str/bool/int, so it costs no collections.
_Draft = tuple[bytes, str, str | None, bool | None, tuple[str, ...], int]


def key_state(*says: bool | None) -> bool | None:
    """One has_private_key from several sayings: a key anywhere wins, then a "no", else unknown."""
    if True in says:
        return True
    return False if False in says else None


@dataclass
class _Key:
    """A private key seen in the file: only its public half is kept, to match certificates."""

    spki: bytes | None  # None when it could not be read (encrypted, no working password)
    container: str
    index: int
    what: str
    where: str
    matched: bool = False


@dataclass
class _Aside:
    """A block that accompanies keys (EC PARAMETERS): a problem only in a file of nothing else."""

    container: str
    index: int
    what: str


@dataclass
class _Budget:
    """Zip limits, shared by every archive inside one top-level input."""

    members: int = 0
    total: int = 0


@dataclass
class _Ctx:
    """One file (or zip member): collects what its readers find, in order."""

    path: str
    passwords: tuple[bytes, ...]
    budget: _Budget = field(default_factory=_Budget)
    zip_depth: int = 0
    items: list[Any] = field(default_factory=list)
    secrets: set[str] = field(default_factory=set)
    _next: int = 0

    def next_index(self) -> int:
        self._next += 1
        return self._next - 1

    def all_passwords(self, via: _Via) -> tuple[bytes, ...]:
        return _unique(self.passwords + via.passwords)

    def cert(
        self,
        der: bytes,
        via: _Via,
        own: str,
        *,
        alias: str | None = None,
        has_key: bool | None = None,
        notes: Sequence[str] = (),
    ) -> None:
        draft: _Draft = (
            bytes(der),
            via.name(own),
            _join_alias(via.alias, alias),
            key_state(via.has_key, has_key),
            (*via.warnings, *notes),
            self.next_index(),
        )
        self.items.append(draft)

    def problem(
        self, kind: str, message: str, via: _Via, own: str, *, indexed: bool = True
    ) -> None:
        where = f"{via.where}: " if via.where else ""
        self.items.append(
            Problem(
                path=self.path,
                container=via.name(own),
                index=self.next_index() if indexed else None,
                kind=kind,
                message=where + message,
            )
        )

    def key(self, spki: bytes | None, via: _Via, own: str, what: str) -> None:
        self.items.append(_Key(spki, via.name(own), self.next_index(), what, via.where))

    def aside(self, via: _Via, own: str, what: str) -> None:
        self.items.append(_Aside(via.name(own), self.next_index(), what))

    def finish(self) -> list[Result]:
        """Match keys to certificates, then turn drafts into records."""
        drafts: list[_Draft] = [i for i in self.items if type(i) is tuple]
        keys = [i for i in self.items if isinstance(i, _Key)]
        keyed = _match_keys(drafts, keys) if any(k.spki for k in keys) else set()
        unread = [k for k in keys if k.spki is None]
        extra: tuple[str, ...] = ()
        if unread and drafts:
            extra = (
                f"unmatched-key: the file also holds {len(unread)} private key(s) that could "
                "not be read (encrypted, no working password), so has_private_key is unknown",
            )
        lonely = not drafts and not any(isinstance(i, (Problem, Found, _Key)) for i in self.items)
        # a file that carries readable keys says "no key" of the certificates none of them fits
        unmatched: bool | None = False if keys and not unread else None
        out: list[Result] = []
        path, has_certs = self.path, bool(drafts)
        for item in self.items:
            if type(item) is tuple:  # a _Draft
                der, container, alias, has_key, notes, index = item
                if extra:
                    notes = (*notes, *extra)
                said = True if index in keyed else unmatched
                prov = Provenance(path, container, index, alias, key_state(has_key, said))
                out.append(Found(der, prov, tuple(dict.fromkeys(notes)) if notes else ()))
            else:
                out.extend(self._finish_item(item, has_certs, lonely))
        if not out:
            out.append(
                Problem(self.path, None, None, "empty", "no certificate or other item found")
            )
        secrets = self._secrets()
        return [self._scrub(r, secrets) if secrets or isinstance(r, Problem) else r for r in out]

    def _finish_item(self, item: Any, has_certs: bool, lonely: bool) -> list[Result]:
        if isinstance(item, _Key):
            return self._key_problem(item, has_certs)
        if isinstance(item, _Aside):
            if not lonely:
                return []
            msg = f"{item.what}, not a certificate"
            return [Problem(self.path, item.container, item.index, "not-a-certificate", msg)]
        return [item]

    def _key_problem(self, key: _Key, has_certs: bool) -> list[Result]:
        if key.matched or (key.spki is None and has_certs):
            return []
        where = f"{key.where}: " if key.where else ""
        if has_certs:
            msg = f"{key.what} that matches none of the certificates in this file"
        else:
            msg = f"{key.what} with no certificate beside it: not a certificate"
        return [Problem(self.path, key.container, key.index, "not-a-certificate", where + msg)]

    def _secrets(self) -> set[str]:
        secrets = self.secrets | {_text(p) for p in self.passwords}
        return {s for s in secrets if len(s) >= 3}

    def _scrub(self, result: Result, secrets: set[str] | None = None) -> Result:
        """Belt and braces: no password and no long base64/hex run may leave in a message."""
        if secrets is None:
            secrets = self._secrets()
        if isinstance(result, Problem):
            msg = _LONG_RUN.sub("[…]", result.message)
            for secret in secrets:
                msg = msg.replace(secret, "***")
            return replace(result, message=msg)
        if secrets and any(s in w for w in result.warnings for s in secrets):
            clean = []
            for w in result.warnings:
                for secret in secrets:
                    w = w.replace(secret, "***")
                clean.append(w)
            return replace(result, warnings=tuple(clean))
        return result


_LONG_RUN = re.compile(r"[A-Za-z0-9+/=]{40,}")


def _match_keys(drafts: list[_Draft], keys: list[_Key]) -> set[int]:
    """Mark the keys that match a certificate; return the indexes of those certificates."""
    spkis = [(d[5], _cert_spki(d[0])) for d in drafts]
    keyed: set[int] = set()
    for key in keys:
        if key.spki is None:
            continue
        for index, spki in spkis:
            if spki == key.spki:
                keyed.add(index)
                key.matched = True
    return keyed


def _cert_spki(der: bytes) -> bytes | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            public = x509.load_der_x509_certificate(der).public_key()
        return public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    except Exception:
        return None


def _join_alias(outer: str | None, inner: str | None) -> str | None:
    if outer and inner and outer != inner:
        return f"{outer}/{inner}"
    return inner or outer or None


def _unique(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(items))


def _text(value: bytes) -> str:
    return value.decode("utf-8", errors="replace")


def _as_bytes(password: bytes | str | Any) -> bytes:
    if isinstance(password, bytes | bytearray | memoryview):
        return bytes(password)
    return str(password).encode("utf-8")


def _password_candidates(passwords: Iterable[bytes | str]) -> tuple[bytes, ...]:
    """Each password as given, then without trailing CR/LF (INPUTS §3 row 15: never spaces)."""
    out: list[bytes] = []
    for p in passwords:
        raw = _as_bytes(p)
        out.extend([raw, raw.rstrip(b"\r\n")])
    return _unique(out)


# --------------------------------------------------------------------------- warnings capture


def _capture(fn: Callable[[], Any]) -> tuple[Any, list[str], Exception | None]:
    """Run a cryptography loader; return (result, warning notes, exception)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result, error = fn(), None
        except Exception as exc:
            result, error = None, exc
    notes = [_warning_note(w) for w in caught if issubclass(w.category, UserWarning)]
    return result, list(dict.fromkeys(notes)), error


_BER_KIND = re.compile(r"kind: (\w+)")


def _warning_note(w: warnings.WarningMessage) -> str:
    text = str(w.message)
    if "falling back to parsing as BER" in text:
        kind = _BER_KIND.search(text)
        detail = f" ({kind.group(1)})" if kind else ""
        return (
            "ber-fallback: not valid DER, cryptography fell back to BER parsing"
            f"{detail}; a future cryptography may refuse it"
        )
    if "serial number which wasn't positive" in text:
        return (
            "nonpositive-serial: negative or zero serial number (RFC 5280 forbids it; Go ≥1.23 "
            "rejects it, cryptography warns)"
        )
    return f"cryptography: {' '.join(text.split())[:300]}"


def _load_cert(der: bytes) -> tuple[list[str], Exception | None]:
    _, notes, error = _capture(lambda: x509.load_der_x509_certificate(der))
    return notes, error


def _short_error(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


# --------------------------------------------------------------------------- sniffing


@dataclass(frozen=True)
class _Sniffed:
    kind: str
    text: str | None = None
    notes: tuple[str, ...] = ()
    doc: Any = None  # parsed JSON when kind is json-ish


_PEM_BEGIN = re.compile(r"-----BEGIN ([A-Z0-9][A-Z0-9 #/_.-]{0,63}?)-----")
_ESCAPED_PEM = re.compile(r"-----BEGIN [A-Z0-9 #/_.-]{1,64}-----\\[rn]")
_K8S_LINE = re.compile(r"^(apiVersion|kind)\s*:", re.MULTILINE)
_K8S_SECRET_YAML = re.compile(r"^kind:\s*[\"']?(Secret|List|SecretList)\b", re.MULTILINE)
_YAML_DATA = re.compile(r"^(data|stringData)\s*:\s*$", re.MULTILINE)
_YAML_AFTER_NEWLINE = re.compile(
    "\n(?:" + _K8S_LINE.pattern[1:] + "|" + _YAML_DATA.pattern[1:] + ")", re.MULTILINE
)
_B64_CHARS = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_CSV_FIELD = re.compile(r"[A-Za-z_][\w .\-]{0,63}")
_PS_COLUMNS = {"rawdata", "rawdatab64", "thumbprint", "pspath", "psparentpath", "friendlyname"}
_PRINTABLE = frozenset(range(0x20, 0x7F)) | {0x09, 0x0A, 0x0D}
_BINARY_KINDS = ("der", "pkcs7-der", "pkcs12", "sst", "jks", "jceks", "zip")
_TEXT_PEM_KINDS = ("pem", "pkcs7-pem", "json-escaped-pem")


def sniff(data: bytes) -> str:
    """Guess the container from the bytes alone (INPUTS §0 rule 1); a ``CONTAINERS`` key."""
    try:
        return _sniff(bytes(data)).kind
    except Exception:
        return "unknown"


def _sniff(data: bytes, depth: int = 0) -> _Sniffed:
    if not data.lstrip(b" \t\r\n\x00"):  # not strip(): that copies a big file ending in "\n"
        return _Sniffed("empty")
    for magic, kind in (
        (SST_MAGIC, "sst"),
        (JKS_MAGIC, "jks"),
        (JCEKS_MAGIC, "jceks"),
        (b"PK\x03\x04", "zip"),
        (b"PK\x05\x06", "zip"),
        (b"\x1f\x8b", "gzip"),
    ):
        if data.startswith(magic):
            return _Sniffed(kind)
    if data[0] == asn1.SEQUENCE and not _looks_printable(data[:64]) and not _utf16_order(data):
        return _Sniffed(_der_kind(data))
    text, notes = _decode_text(data)
    if text is None:
        return _Sniffed("unknown")
    sniffed = _sniff_text(text, depth)
    return _Sniffed(sniffed.kind, text, notes, sniffed.doc)  # = replace(), without its cost


def _looks_printable(chunk: bytes) -> bool:
    return all(b in _PRINTABLE for b in chunk)


_SIGNED_DATA_OID = asn1.encode_oid(CONTENT_TYPE.SIGNED_DATA)


def _der_kind(data: bytes) -> str:
    """PKCS#12, PKCS#7 or other DER, from what follows the outer SEQUENCE header."""
    try:
        pos = asn1.content_start(data)
    except asn1.DerError:
        return "der"
    rest = data[pos : pos + 16]
    if rest.startswith(_SIGNED_DATA_OID):
        return "pkcs7-der"
    if rest.startswith(b"\x02\x01\x03"):
        return "pkcs12"
    return "der"


def _utf16_order(data: bytes) -> str | None:
    """'le'/'be' when the bytes look like UTF-16 text without a BOM (ASCII with NULs)."""
    sample = data[:64]
    if len(sample) < 4 or 0 not in sample:  # both orders need a NUL in every pair
        return None
    pairs = [sample[i : i + 2] for i in range(0, len(sample) - 1, 2)]
    if all(p[1] == 0 and p[0] in _PRINTABLE for p in pairs):
        return "le"
    if all(p[0] == 0 and p[1] in _PRINTABLE for p in pairs):
        return "be"
    return None


def _decode_text(data: bytes) -> tuple[str | None, tuple[str, ...]]:
    """Text and how it was decoded: UTF-8 (BOM stripped), UTF-16 with or without BOM."""
    if data.startswith(b"\xef\xbb\xbf"):
        note = "utf8-bom: UTF-8 byte-order mark stripped"
        return data[3:].decode("utf-8", errors="replace"), (note,)
    for bom, codec, name in ((b"\xff\xfe", "utf-16-le", "LE"), (b"\xfe\xff", "utf-16-be", "BE")):
        if data.startswith(bom):
            note = f"utf16: decoded from UTF-16{name} text (with BOM)"
            return data[2:].decode(codec, errors="replace"), (note,)
    order = _utf16_order(data)
    if order:
        note = f"utf16: decoded from UTF-16{order.upper()} text (no BOM)"
        return data.decode(f"utf-16-{order}", errors="replace"), (note,)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, ()
    if "\x00" in text:
        return None, ()
    return text, ()


def _sniff_text(text: str, depth: int) -> _Sniffed:
    stripped = text.strip().lstrip("\ufeff")
    if not stripped:
        return _Sniffed("empty")
    csv_kind = _csv_kind(stripped)
    if csv_kind:
        return _Sniffed(csv_kind)
    if stripped[0] in "{[":
        doc = _json_or_none(stripped)
        if doc is not None:
            return _Sniffed(_json_kind(doc), doc=doc)
    if _yaml_like(stripped):
        return _Sniffed("k8s-secret-yaml" if _K8S_SECRET_YAML.search(stripped) else "yaml")
    if "-----BEGIN " in stripped:
        if _has_escaped_pem(stripped):
            return _Sniffed("json-escaped-pem")
        first = _PEM_BEGIN.search(stripped)
        if first and first.group(1) in _PKCS7_LABELS:
            return _Sniffed("pkcs7-pem")
        return _Sniffed("pem")
    payload = _b64decode(stripped)
    if payload is not None and depth < _MAX_NESTING:
        inner = _sniff(payload, depth + 1).kind
        if inner in _TEXT_PEM_KINDS:
            return _Sniffed("base64-pem")
        if inner in _BINARY_KINDS:
            return _Sniffed("base64-" + inner)
    return _Sniffed("text")


def _yaml_like(text: str) -> bool:
    """``_K8S_LINE`` or ``_YAML_DATA`` matches somewhere in ``text``."""
    if not _FAST_PATHS:
        return bool(_K8S_LINE.search(text) or _YAML_DATA.search(text))
    # ``^`` (MULTILINE) matches at 0 or after a "\n": test 0 with the patterns themselves and
    # every later line with one search that starts on the "\n" (6x faster than a ``^`` search).
    # Both need a ":" (a big PEM bundle without Bag Attributes has none at all).
    if ":" not in text:
        return False
    if _K8S_LINE.match(text) or _YAML_DATA.match(text):
        return True
    return _YAML_AFTER_NEWLINE.search(text) is not None


def _has_escaped_pem(text: str) -> bool:
    """``_ESCAPED_PEM`` matches somewhere in ``text`` (it needs a backslash)."""
    if _FAST_PATHS and "\\" not in text:
        return False
    return _ESCAPED_PEM.search(text) is not None


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _json_kind(doc: Any) -> str:
    if isinstance(doc, dict) and doc.get("kind") in ("Secret", "List", "SecretList"):
        return "k8s-secret-json"
    return "json"


def _csv_kind(text: str) -> str | None:
    lines = _head_lines(text) if _FAST_PATHS else text.splitlines()
    if lines[0].startswith("#TYPE"):
        return "powershell-csv"
    fields = _csv_header(lines[0])
    if not fields or len(lines) < 2:
        return None
    return "powershell-csv" if {f.lower() for f in fields} & _PS_COLUMNS else "csv"


def _head_lines(text: str) -> list[str]:
    """``text.splitlines()`` as far as ``_csv_kind`` looks: the same first line, and two or
    more items exactly when the whole text has two or more lines; without splitting it all."""
    size = 4096
    while True:
        lines = text[:size].splitlines()
        if len(lines) >= 2 or size >= len(text):
            return lines
        size *= 8


def _csv_header(line: str) -> list[str] | None:
    delimiter = max(",;\t", key=line.count)
    if line.count(delimiter) == 0:
        return None
    try:
        fields = next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return None
    fields = [f.strip() for f in fields]
    if len(fields) < 2 or not all(_CSV_FIELD.fullmatch(f) for f in fields):
        return None
    return fields


def _b64decode(text: str, min_len: int = 16) -> bytes | None:
    """Decode text that is nothing but standard base64 (whitespace allowed), else None."""
    compact = "".join(text.split())
    if len(compact) < min_len or not _B64_CHARS.fullmatch(compact):
        return None
    if len(compact) % 4 == 1:
        return None
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


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


def _read_empty(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    what = "no bytes" if not data else "only whitespace"
    ctx.problem("empty", f"{what}: nothing to read", via, "empty")


def _read_unknown(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    if sniffed.kind == "text":
        msg = (
            "text with no PEM BEGIN line, no base64 certificate and no known CSV/JSON/YAML "
            "layout: not a certificate"
        )
    else:
        msg = f"unrecognised binary data (starts {data[:4].hex(' ')}): not a certificate"
    ctx.problem("not-a-certificate", msg, via, sniffed.kind)


def _read_gzip(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    msg = "gzip-compressed data is not unpacked; decompress it (or zip it) first"
    ctx.problem("unsupported", msg, via, "gzip")


# --------------------------------------------------------------------------- DER


_PADDING = b" \t\r\n\x00"
_CERT_LABELS = frozenset({"CERTIFICATE", "X509 CERTIFICATE", "X.509 CERTIFICATE"})
_PKCS7_LABELS = frozenset({"PKCS7", "PKCS #7 SIGNED DATA", "CMS", "CERTIFICATE CHAIN"})


def _read_der_file(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    _read_der(data, ctx, via)


def _read_der(
    data: bytes,
    ctx: _Ctx,
    via: _Via,
    cert_name: str = "der",
    p7_name: str = "pkcs7-der",
    label: str | None = None,
) -> None:
    """Read one or more concatenated DER elements; trailing whitespace is only a warning."""
    elements: list[bytes] = []
    pos, failure = 0, None
    while pos < len(data):
        if pos and data[pos] in _PADDING and not data[pos:].strip(_PADDING):
            via = via.note(f"trailing-data: {len(data) - pos} byte(s) of padding after the DER")
            break
        try:
            tlv = asn1.read_ber_tlv(data, pos)
        except asn1.DerError as exc:
            failure = exc
            break
        elements.append(data[tlv.start : tlv.end])
        pos = tlv.end
    for element in elements:
        _read_der_element(element, ctx, via, cert_name, p7_name, label)
    if failure is not None:
        _der_failure(failure, bool(elements), ctx, via, cert_name)


def _der_failure(exc: Exception, after: bool, ctx: _Ctx, via: _Via, own: str) -> None:
    lead = "bytes after the last DER element" if after else "DER"
    if isinstance(exc, asn1.DerTruncated):
        ctx.problem("truncated", f"{lead} cut short: {exc}", via, own)
    else:
        ctx.problem("corrupt", f"{lead} is not well-formed: {exc}", via, own)


def _read_der_element(
    elem: bytes, ctx: _Ctx, via: _Via, cert_name: str, p7_name: str, label: str | None
) -> None:
    kind = _der_kind(elem)
    if kind == "pkcs7-der":
        if label in _CERT_LABELS:
            via = via.note(
                "pkcs7-in-certificate-label: a PKCS#7 bundle was labelled CERTIFICATE "
                "(ADCS certnew.p7b); read as PKCS#7"
            )
        _read_pkcs7(elem, ctx, via, p7_name)
        return
    if kind == "pkcs12" and not _cert_shaped(elem):
        _read_pkcs12(elem, ctx, via)
        return
    notes, error = _load_cert(elem)
    if error is None:
        ctx.cert(elem, via, cert_name, notes=notes)
        return
    if _read_non_cert(elem, ctx, via, cert_name):
        return
    if _cert_shaped(elem):
        note = (
            "not-der: shaped like a certificate but cryptography cannot parse it "
            f"({_short_error(error)}); kept so it is counted, fields may be missing"
        )
        ctx.cert(elem, via, cert_name, notes=[*notes, note])
        return
    if _well_formed(elem):
        msg = "a DER structure that is not a certificate (nor a CRL, CSR, key, PKCS#7 or PKCS#12)"
        ctx.problem("not-a-certificate", msg, via, cert_name)
    else:
        ctx.problem("corrupt", f"damaged DER ({_short_error(error)})", via, cert_name)


def _read_non_cert(elem: bytes, ctx: _Ctx, via: _Via, own: str) -> bool:
    """Recognise CRLs, CSRs, public and private keys; True when one was reported."""
    for loader, what in (
        (x509.load_der_x509_crl, "a CRL (certificate revocation list)"),
        (x509.load_der_x509_csr, "a certificate signing request (CSR)"),
        (serialization.load_der_public_key, "a public key"),
    ):
        _, _, error = _capture(lambda loader=loader: loader(elem))
        if error is None:
            ctx.problem("not-a-certificate", f"{what}, not a certificate", via, own)
            return True
    spki, encrypted = _private_key_spki(
        lambda pw: serialization.load_der_private_key(elem, pw), ctx.all_passwords(via), None
    )
    if spki is None and not encrypted:
        return False
    ctx.key(spki, via, own, "an encrypted private key" if encrypted else "a private key")
    return True


def _private_key_spki(
    load: Callable[[bytes | None], Any], passwords: Sequence[bytes], encrypted: bool | None
) -> tuple[bytes | None, bool]:
    """(SPKI of the key or None, whether it is encrypted). The key object is dropped at once."""
    attempts: list[bytes | None] = [None] if not encrypted else []
    attempts += list(passwords)
    is_encrypted = bool(encrypted)
    for password in attempts:
        key, _, error = _capture(lambda password=password: load(password))
        if error is None and key is not None:
            try:
                public = key.public_key()
            except Exception:
                return None, is_encrypted
            return (
                public.public_bytes(
                    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
                ),
                is_encrypted,
            )
        if isinstance(error, TypeError) and password is None:
            is_encrypted = True  # "Password was not given but private key is encrypted"
        elif password is None:
            return None, False  # not a key at all
    return None, is_encrypted


def _cert_shaped(elem: bytes) -> bool:
    """Certificate ::= SEQUENCE { tbs SEQUENCE { [0]? INTEGER SEQUENCE Name Validity … } … }."""
    try:
        outer = asn1.read_ber_tlv(elem)
        parts = asn1.ber_children(elem, outer, limit=4)
        if len(parts) != 3 or parts[0].tag != asn1.SEQUENCE or parts[2].tag != asn1.BIT_STRING:
            return False
        tbs = asn1.ber_children(elem, parts[0], limit=12)
        if tbs and tbs[0].tag == 0xA0:
            tbs = tbs[1:]
        if len(tbs) < 6 or tbs[0].tag != asn1.INTEGER:
            return False
        if not all(t.tag == asn1.SEQUENCE for t in tbs[1:4]):
            return False
        validity = asn1.ber_children(elem, tbs[3], limit=3)
        times = (asn1.UTC_TIME, asn1.GENERALIZED_TIME)
        return len(validity) == 2 and all(v.tag in times for v in validity)
    except asn1.DerError:
        return False


def _well_formed(elem: bytes, depth: int = 0) -> bool:
    """Every constructed element parses into children (bounded walk)."""
    try:
        tlv = asn1.read_ber_tlv(elem)
        stack, seen = [(tlv, depth)], 0
        while stack:
            node, level = stack.pop()
            seen += 1
            if seen > 10_000 or level > asn1.MAX_DEPTH:
                return True
            if node.constructed:
                stack.extend((c, level + 1) for c in asn1.ber_children(elem, node, limit=10_000))
        return True
    except asn1.DerError:
        return False


# --------------------------------------------------------------------------- PKCS#7


def _read_pkcs7_file(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    _read_der(data, ctx, via)


def _read_pkcs7(elem: bytes, ctx: _Ctx, via: _Via, own: str) -> None:
    certs, notes, error = _capture(lambda: pkcs7.load_der_pkcs7_certificates(elem))
    if error is None:
        for cert in certs:
            der = cert.public_bytes(serialization.Encoding.DER)
            own_notes, _ = _load_cert(der)
            ctx.cert(der, via, own, notes=[*notes, *own_notes])
        return
    if "no certificate" in str(error):
        ctx.problem("empty", "PKCS#7 bundle holds no certificates", via, own)
        return
    _pkcs7_by_hand(elem, ctx, via, own, error)


def _pkcs7_by_hand(elem: bytes, ctx: _Ctx, via: _Via, own: str, error: Exception) -> None:
    """cryptography refused the bundle: cut the certificates out of SignedData ourselves, so one
    odd certificate does not lose the others."""
    try:
        ci = asn1.read_ber_tlv(elem)
        content = asn1.ber_children(elem, ci, limit=2)[1]  # [0] EXPLICIT content
        signed = asn1.ber_children(elem, content, limit=1)[0]
        certs = next(c for c in asn1.ber_children(elem, signed, limit=8) if c.tag == 0xA0)
        parts = asn1.ber_children(elem, certs, limit=100_000)
    except (asn1.DerError, IndexError, StopIteration) as exc:
        kind = "truncated" if isinstance(exc, asn1.DerTruncated) else "corrupt"
        msg = f"PKCS#7 bundle cannot be read ({_short_error(error)})"
        ctx.problem(kind, msg, via, own)
        return
    note = (
        f"pkcs7-by-hand: cryptography could not load the PKCS#7 ({_short_error(error)}); "
        "certificates were cut out of SignedData one by one"
    )
    inner = via.note(note)
    for part in parts:
        if part.tag == asn1.SEQUENCE:
            _read_der_element(elem[part.start : part.end], ctx, inner, own, own, None)
    if not parts:
        ctx.problem("empty", "PKCS#7 bundle holds no certificates", via, own)


# --------------------------------------------------------------------------- PKCS#12


def _read_pkcs12_file(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    try:
        tlv = asn1.read_ber_tlv(data)
        elem = data[: tlv.end]
    except asn1.DerTruncated as exc:
        ctx.problem("truncated", f"PKCS#12 cut short: {exc}", via, "pkcs12")
        return
    except asn1.DerError:
        elem = data
    _read_pkcs12(elem, ctx, via)


def _read_pkcs12(data: bytes, ctx: _Ctx, via: _Via) -> None:
    """Password ladder: every supplied password, then empty, then none (INPUTS §0 rule 6)."""
    supplied = ctx.all_passwords(via)
    loaded, notes, last_error = None, [], None
    for password in [*supplied, b"", None]:
        loaded, notes, last_error = _capture(
            lambda password=password: pkcs12.load_pkcs12(data, password)
        )
        if last_error is None:
            break
        if "Could not deserialize" in str(last_error):
            _pkcs12_broken(data, ctx, via)
            return
    if loaded is None:
        tried = len({p.rstrip(b"\r\n") for p in supplied})
        msg = (
            "wrong password or unsupported legacy encryption "
            f"(tried {tried} supplied password(s), empty and none)"
        )
        ctx.problem("bad-password", msg, via, "pkcs12")
        return
    _emit_pkcs12(loaded, notes, ctx, via)


def _pkcs12_broken(data: bytes, ctx: _Ctx, via: _Via) -> None:
    try:
        asn1.read_ber_tlv(data)
    except asn1.DerTruncated:
        ctx.problem("truncated", "PKCS#12 cut short", via, "pkcs12")
        return
    except asn1.DerError:
        pass
    ctx.problem("corrupt", "PKCS#12 structure cannot be decoded", via, "pkcs12")


def _csv_bool(cell: str | None) -> bool | None:
    """PowerShell's ``True``/``False``; anything else (no such column, empty) is unknown."""
    text = (cell or "").strip().lower()
    return True if text == "true" else False if text == "false" else None


def _emit_pkcs12(loaded: Any, notes: list[str], ctx: _Ctx, via: _Via) -> None:
    has_key = loaded.key is not None
    bags = ([(loaded.cert, has_key)] if loaded.cert is not None else []) + [
        (c, False) for c in loaded.additional_certs
    ]
    for bag, keyed in bags:
        der = bag.certificate.public_bytes(serialization.Encoding.DER)
        name = bag.friendly_name.decode("utf-8", errors="replace") if bag.friendly_name else None
        own_notes, _ = _load_cert(der)
        ctx.cert(der, via, "pkcs12", alias=name, has_key=keyed, notes=[*notes, *own_notes])
    if not bags:
        extra = " (it holds only a private key)" if has_key else ""
        ctx.problem("empty", f"PKCS#12 holds no certificate{extra}", via, "pkcs12")


# --------------------------------------------------------------------------- PEM


_KEY_ASIDE_LABELS = frozenset({"EC PARAMETERS", "DH PARAMETERS", "DSA PARAMETERS"})
_NOT_CERT_LABELS = {
    "X509 CRL": "a CRL (certificate revocation list)",
    "CERTIFICATE REQUEST": "a certificate signing request (CSR)",
    "NEW CERTIFICATE REQUEST": "a certificate signing request (CSR)",
    "PUBLIC KEY": "a public key",
    "RSA PUBLIC KEY": "a public key",
    "SSH2 PUBLIC KEY": "a public key",
    "PKCS7 SIGNATURE": "a detached signature",
    "CMS SIGNATURE": "a detached signature",
}
_PROC_TYPE_ENCRYPTED = re.compile(r"^\s*Proc-Type:\s*4\s*,\s*ENCRYPTED", re.MULTILINE)
_FRIENDLY = re.compile(r"^\s*(?:friendlyName|Alias name)\s*:\s*(.+?)\s*$", re.MULTILINE)
_JSON_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|r\\n|[rn/\\\"])")


def _unescape_json(text: str) -> str:
    def sub(m: re.Match[str]) -> str:
        token = m.group(1)
        if token.startswith("u"):
            return chr(int(token[1:], 16))
        return {"r\\n": "\n", "r": "\n", "n": "\n", "/": "/", "\\": "\\", '"': '"'}[token]

    return _JSON_ESCAPE.sub(sub, text)


def _read_pem_file(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    _read_pem(sniffed.text or "", ctx, via)


def _read_pem(text: str, ctx: _Ctx, via: _Via) -> None:
    """Split on BEGIN/END ourselves: one bad block must not hide the others (INPUTS §0.2)."""
    own = "pem"
    if _has_escaped_pem(text):
        text, own = _unescape_json(text), "json-escaped-pem"
        via = via.note("json-escaped: literal \\n escapes in the PEM were turned into newlines")
    pos, number, line, counted = 0, 0, 1, 0
    while True:
        if _FAST_PATHS:
            # clean CERTIFICATE blocks from pos on; it stops before the first block that needs
            # the general code below. Line numbers are counted lazily (only problems use them).
            pos, number = _read_pem_run(text, pos, number, ctx, via, own)
        begin = _PEM_BEGIN.search(text, pos)
        if begin is None:
            break
        number += 1
        label = begin.group(1)
        line += text.count("\n", counted, begin.start())  # incremental: big bundles stay linear
        counted = begin.start()
        where = f"PEM block {number} ({label}, line {line})"
        end_marker = f"-----END {label}-----"
        end = text.find(end_marker, begin.end())
        following = _PEM_BEGIN.search(text, begin.end())
        if end < 0 or (following is not None and following.start() < end):
            msg = f"no matching -----END {label}----- line: the block is cut short"
            ctx.problem("truncated", msg, replace(via, where=where), own)
            pos = begin.end()
            continue
        alias = _preamble_alias(text[pos : begin.start()])
        block = text[begin.start() : end + len(end_marker)]
        block_via = replace(via, where=where, alias=_join_alias(via.alias, alias))
        _read_pem_block(label, text[begin.end() : end], block, ctx, block_via, own)
        pos = end + len(end_marker)
    if number == 0:
        _read_unknown(b"", _Sniffed("text"), ctx, via)


_CERT_BEGIN = "-----BEGIN CERTIFICATE-----"
_CERT_END = "-----END CERTIFICATE-----"


def _read_pem_run(
    text: str, pos: int, number: int, ctx: _Ctx, via: _Via, own: str
) -> tuple[int, int]:
    """The fast path of ``_read_pem``: read the CERTIFICATE blocks from ``pos`` on as long as
    each is plain base64 holding one DER SEQUENCE that cryptography loads, recording exactly the
    ``_Draft`` the general code records. Return (pos, number) after the last block read.

    A block is left to the general code (without recording anything for it) when its BEGIN line
    is not the next one, it has no END line, its body holds anything but base64 and line breaks
    (headers, spaces, '-', another BEGIN), the strict base64 decoding fails, the DER is not a
    single definite-length SEQUENCE whose contents start with a SEQUENCE (so not PKCS#7, not
    PKCS#12, no trailing bytes) or cryptography refuses it.

    Warnings are captured as ``_capture`` does, but with one ``catch_warnings`` around the whole
    run instead of one per certificate (entering it costs as much as loading a certificate);
    ``caught`` is emptied after each certificate, so each gets only its own load's warnings."""
    begin_len, end_len = len(_CERT_BEGIN), len(_CERT_END)
    container = via.name(own)
    base = via.warnings
    crlf_base = (*base, "crlf: PEM block has CRLF line endings")
    outer_alias, has_key = via.alias, via.has_key
    items, load = ctx.items, x509.load_der_x509_certificate
    a2b, from_bytes = binascii.a2b_base64, int.from_bytes
    catcher: Any = None
    caught: list[warnings.WarningMessage] = []
    try:
        while True:
            start = text.find("-----BEGIN ", pos)
            if start < 0 or not text.startswith(_CERT_BEGIN, start):
                break
            body_start = start + begin_len
            end = text.find("-", body_start)  # a clean body has no "-": this is its END line
            if end < 0 or not text.startswith(_CERT_END, end):
                break
            compact = text[body_start:end].replace("\n", "")
            crlf = "\r" in compact
            if crlf:
                compact = compact.replace("\r", "")
            try:
                der = a2b(compact, strict_mode=True)  # = base64.b64decode(validate=True)
            except (binascii.Error, ValueError):
                break
            size = len(der)
            if size < 4 or der[0] != 0x30:
                break
            first = der[1]
            if first < 0x80:
                head, length = 2, first
            elif 0x81 <= first <= 0x84:
                head = 2 + (first & 0x7F)
                length = from_bytes(der[2:head], "big")
            else:
                break
            if head + length != size or head >= size or der[head] != 0x30:
                break
            if catcher is None:
                catcher = warnings.catch_warnings(record=True)
                caught = catcher.__enter__()
                warnings.simplefilter("always")
            try:
                load(der)
            except Exception:
                break  # the general code reloads it (and records its warnings itself)
            marks = crlf_base if crlf else base
            if caught:  # emptied after each certificate: these are this load's warnings
                new = [w for w in caught if issubclass(w.category, UserWarning)]
                marks = (*marks, *dict.fromkeys(_warning_note(w) for w in new))
                del caught[:]
            alias = outer_alias
            if text.find(":", pos, start) >= 0:
                alias = _join_alias(alias, _preamble_alias(text[pos:start]))
            items.append((der, container, alias or None, has_key, marks, ctx.next_index()))
            number += 1
            pos = end + end_len
    finally:
        if catcher is not None:
            catcher.__exit__(None, None, None)
    return pos, number


def _preamble_alias(preamble: str) -> str | None:
    """``friendlyName:`` from OpenSSL "Bag Attributes", ``Alias name:`` from keytool -rfc."""
    names = _FRIENDLY.findall(preamble)
    return names[-1] if names else None


def _pem_body(body: str) -> bytes:
    """Base64 body of a block, RFC 1421 headers (Proc-Type, DEK-Info) dropped."""
    lines = [ln.strip() for ln in body.strip().splitlines()]
    if lines and ":" in lines[0]:
        while lines and lines[0]:
            lines.pop(0)
    compact = "".join("".join(lines).split())
    return base64.b64decode(compact, validate=True)


def _read_pem_block(label: str, body: str, block: str, ctx: _Ctx, via: _Via, own: str) -> None:
    if "\r" in body:
        via = via.note("crlf: PEM block has CRLF line endings")
    if "PRIVATE KEY" in label:
        _read_pem_key(label, block, ctx, via, own)
        return
    if label in _KEY_ASIDE_LABELS:
        ctx.aside(via, own, f"{label.lower()} (key parameters)")
        return
    if label in _NOT_CERT_LABELS:
        ctx.problem("not-a-certificate", f"{_NOT_CERT_LABELS[label]}, not a certificate", via, own)
        return
    try:
        der = _pem_body(body)
    except (binascii.Error, ValueError) as exc:
        ctx.problem("corrupt", f"base64 body is damaged ({_short_error(exc)})", via, own)
        return
    if not der:
        ctx.problem("empty", "PEM block has an empty body", via, own)
        return
    if label == "TRUSTED CERTIFICATE":
        _read_trusted(der, ctx, via, own)
        return
    if label not in _CERT_LABELS and label not in _PKCS7_LABELS:
        via = via.note(f"pem-label: unusual PEM label {label!r}, body read as DER")
    _read_der(der, ctx, via, cert_name=own, p7_name="pkcs7-pem", label=label)


def _read_pem_key(label: str, block: str, ctx: _Ctx, via: _Via, own: str) -> None:
    """Learn the key's public half (to set has_private_key); the key itself is dropped."""
    raw = block.encode("ascii", errors="replace")
    if label == "OPENSSH PRIVATE KEY":

        def load(pw: bytes | None) -> Any:
            return serialization.load_ssh_private_key(raw, pw)
    else:

        def load(pw: bytes | None) -> Any:
            return serialization.load_pem_private_key(raw, pw)

    encrypted = label == "ENCRYPTED PRIVATE KEY" or bool(_PROC_TYPE_ENCRYPTED.search(block))
    spki, encrypted = _private_key_spki(load, ctx.all_passwords(via), encrypted or None)
    what = "an encrypted private key" if encrypted else "a private key"
    ctx.key(spki, via, own, f"{what} ({label})")


def _read_trusted(der: bytes, ctx: _Ctx, via: _Via, own: str) -> None:
    """OpenSSL ``TRUSTED CERTIFICATE``: a certificate followed by X509_CERT_AUX trust data."""
    try:
        first = asn1.read_ber_tlv(der)
    except asn1.DerError as exc:
        _der_failure(exc, False, ctx, via, own)
        return
    cert, aux = der[: first.end], der[first.end :]
    alias, notes = _trust_aux(aux)
    notes.insert(0, f"openssl-aux: {len(aux)} byte(s) of OpenSSL trust data after the certificate")
    _read_der(cert, ctx, replace(via, alias=_join_alias(via.alias, alias)).note(*notes), own)


def _trust_aux(aux: bytes) -> tuple[str | None, list[str]]:
    """X509_CERT_AUX ::= SEQUENCE { trust SEQUENCE OF OID OPTIONAL, reject [0] …, alias
    UTF8String OPTIONAL, … }: the trust settings say which purposes OpenSSL trusts it for."""
    alias, notes = None, []
    try:
        seq = asn1.read_ber_tlv(aux)
        for part in asn1.ber_children(aux, seq, limit=8):
            value = aux[part.value_start : part.value_end]
            if part.tag in (asn1.SEQUENCE, 0xA0):
                oids = _oid_list(aux, part)
                names = ", ".join(eku(o).short_name for o in oids) or "nothing"
                key = "openssl-trust" if part.tag == asn1.SEQUENCE else "openssl-reject"
                verb = "trusted for" if part.tag == asn1.SEQUENCE else "rejected for"
                notes.append(f"{key}: OpenSSL trust settings mark it {verb} {names}")
            elif part.tag == asn1.UTF8_STRING:
                alias = value.decode("utf-8", errors="replace") or None
    except (asn1.DerError, IndexError):
        notes.append("openssl-aux: trust data after the certificate could not be decoded")
    return alias, notes


def _oid_list(data: bytes, tlv: asn1.Tlv) -> list[str]:
    return [
        asn1.oid_text(data[c.value_start : c.value_end])
        for c in asn1.ber_children(data, tlv, limit=64)
        if c.tag == asn1.OID
    ]


# --------------------------------------------------------------------------- base64 text


def _read_base64(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    payload = _b64decode(sniffed.text or "")
    if payload is None:  # cannot happen after sniffing; keep the promise of a Problem anyway
        ctx.problem("corrupt", "base64 text could not be decoded", via, sniffed.kind)
        return
    _dispatch(payload, ctx, via.inner(prefix=via.prefix + "base64-"))


# --------------------------------------------------------------------------- SST


def _read_sst(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    store = parse_sst(data)
    for cert in store.certs:
        notes: list[str] = []
        if cert.sha1_mismatch:
            notes.append(
                "sst-sha1-mismatch: the store's SHA-1 property does not match the certificate "
                "bytes (edited or damaged store)"
            )
        if cert.eku_restriction is not None:
            names = ", ".join(eku(o).short_name for o in cert.eku_restriction) or "no purpose"
            notes.append(f"store-eku-restriction: the store enables only: {names}")
        if cert.archived:
            notes.append("archived: the store marks this certificate archived")
        inner = replace(
            via,
            alias=_join_alias(via.alias, cert.friendly_name),
            has_key=key_state(via.has_key, cert.has_private_key),
            where=f"store element {cert.element_index}",
        ).note(*notes)
        _read_der(cert.der, ctx, inner, cert_name="sst", p7_name="sst")
    for other in store.others:
        what = CONTEXT_NAMES.get(other.prop_id, f"element {other.prop_id}")
        msg = f"a {what} stored in the serialized store, not a certificate"
        ctx.problem("not-a-certificate", msg, replace(via, where=""), "sst")
    if store.error:
        kind = "truncated" if store.truncated else "corrupt"
        ctx.problem(kind, store.error, via, "sst")


# --------------------------------------------------------------------------- JKS / JCEKS


def _read_jks(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    candidates = [_text(p) for p in ctx.all_passwords(via)] + ["changeit", ""]
    store = parse_jks(data, list(dict.fromkeys(candidates)))
    own = store.kind
    notes: list[str] = []
    if store.integrity is False:
        notes.append(
            "keystore-unverified: the keystore digest matched none of the passwords tried; "
            "certificates are stored in clear and were read anyway"
        )
    for cert in store.certs:
        inner = replace(
            via,
            alias=_join_alias(via.alias, cert.alias),
            has_key=key_state(via.has_key, cert.has_private_key),
            where=f"keystore entry {cert.entry_index} ({cert.alias})",
        ).note(*notes)
        if cert.cert_type != "X.509":
            ctx.problem("unsupported", f"{cert.cert_type} certificate entry", inner, own)
            continue
        _read_der(cert.der, ctx, inner, cert_name=own, p7_name=own)
    if store.unsupported:
        ctx.problem("unsupported", store.unsupported, via, own)
    if store.error:
        ctx.problem("truncated" if store.truncated else "corrupt", store.error, via, own)
    if not store.certs and not store.error and not store.unsupported:
        ctx.problem("empty", f"the {own.upper()} keystore has no certificate entry", via, own)


# --------------------------------------------------------------------------- CSV


_CSV_PREFERRED = ("rawdatab64", "rawdata", "certificate", "cert", "pem", "der")
_METADATA_ONLY = "System.Byte[]"


def _read_csv(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    """PowerShell ``Export-Csv`` (or any CSV) with a column of base64/PEM certificates."""
    own = sniffed.kind
    lines = (sniffed.text or "").strip().lstrip("\ufeff").splitlines(keepends=True)
    if lines and lines[0].startswith("#TYPE"):
        lines = lines[1:]
    header = lines[0] if lines else ""
    delimiter = max(",;\t", key=header.count)
    try:
        stream = io.StringIO("".join(lines), newline="")
        rows = list(csv.DictReader(stream, delimiter=delimiter))
    except csv.Error as exc:
        ctx.problem("corrupt", f"CSV cannot be parsed ({_short_error(exc)})", via, own)
        return
    if not rows:
        ctx.problem("empty", "CSV has a header but no rows", via, own)
        return
    columns = _csv_columns(list(rows[0].keys()))
    metadata_only, empty = 0, []
    for number, row in enumerate(rows, start=1):
        found = _csv_row(row, columns, number, ctx, via, own)
        if found is None:
            if any((row.get(c) or "").strip() == _METADATA_ONLY for c in columns):
                metadata_only += 1
            else:
                empty.append(number)
    _csv_summary(metadata_only, empty, len(rows), ctx, via, own)


def _csv_columns(names: list[str | None]) -> list[str]:
    """Certificate columns first in the preferred order, then every other column."""
    real = [n for n in names if n]
    lower = {n.lower(): n for n in real}
    first = [lower[p] for p in _CSV_PREFERRED if p in lower]
    return first + [n for n in real if n not in first]


def _csv_cell_payload(cell: str) -> bytes | None:
    cell = cell.strip()
    if "-----BEGIN " in cell:
        return cell.encode("utf-8")
    if len(cell) < 64:
        return None
    payload = _b64decode(cell)
    if payload and payload[:1] == b"0":
        return payload
    return None


def _csv_row(
    row: dict[str | None, Any], columns: list[str], number: int, ctx: _Ctx, via: _Via, own: str
) -> bool | None:
    fields = {(k or "").lower(): (v if isinstance(v, str) else "") for k, v in row.items()}
    for column in columns:
        payload = _csv_cell_payload(row.get(column) or "")
        if payload is None:
            continue
        inner = via.inner(
            container=via.container or own,
            alias=_join_alias(via.alias, fields.get("friendlyname", "").strip() or None),
            has_key=key_state(via.has_key, _csv_bool(fields.get("hasprivatekey"))),
            where=f"CSV row {number} ({column})",
        )
        _dispatch(payload, ctx, inner)
        return True
    return None


def _csv_summary(
    metadata_only: int, empty: list[int], total: int, ctx: _Ctx, via: _Via, own: str
) -> None:
    if metadata_only:
        msg = (
            f"{metadata_only} of {total} row(s) have RawData exported as the text "
            f"'{_METADATA_ONLY}' (default Export-Csv): the CSV holds metadata only, no "
            f"certificate bytes. Re-export with: {RECOMMENDED_POWERSHELL_EXPORT}"
        )
        ctx.problem("unsupported", msg, via, own, indexed=False)
    if empty:
        shown = ", ".join(str(n) for n in empty[:10]) + (" …" if len(empty) > 10 else "")
        msg = f"{len(empty)} of {total} CSV row(s) have no certificate column value (rows {shown})"
        ctx.problem("empty", msg, via, own, indexed=False)


# --------------------------------------------------------------------------- YAML / JSON


def _read_yaml(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    try:
        docs = [d for d in yaml.safe_load_all(sniffed.text or "") if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        if "-----BEGIN " in (sniffed.text or ""):
            note = f"yaml-unparsed: YAML cannot be parsed{at}; PEM blocks read from the raw text"
            _read_pem(sniffed.text or "", ctx, via.note(note))
            return
        ctx.problem("corrupt", f"YAML cannot be parsed{at}", via, sniffed.kind)
        return
    _read_documents(docs, sniffed.kind, "k8s-secret-yaml", ctx, via)


def _read_json(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    _read_documents([sniffed.doc], sniffed.kind, "k8s-secret-json", ctx, via)


def _read_documents(docs: list[Any], kind: str, secret_name: str, ctx: _Ctx, via: _Via) -> None:
    """Kubernetes Secrets (single, List, multi-document) or any document holding PEM/base64."""
    before = len(ctx.items)
    objects = _k8s_objects(docs)
    qualify = len(objects) > 1 or any(isinstance(d, dict) and "items" in d for d in docs)
    generic = "json" if kind.endswith("json") else "yaml"
    for obj in objects:
        if _is_secret(obj):
            _read_secret(obj, ctx, via.inner(container=via.container or secret_name), qualify)
        else:
            _walk(obj, ctx, via.inner(container=via.container or generic), [0])
    if len(ctx.items) == before:
        msg = f"{generic.upper()} document with no certificate in any value"
        ctx.problem("not-a-certificate", msg, via, kind)


def _k8s_objects(docs: list[Any]) -> list[Any]:
    out: list[Any] = []
    for doc in docs:
        items = doc.get("items") if isinstance(doc, dict) else None
        if isinstance(items, list) and str(doc.get("kind", "")).endswith("List"):
            out.extend(items)
        else:
            out.append(doc)
    return out


def _is_secret(obj: Any) -> bool:
    if not isinstance(obj, dict):
        return False
    return obj.get("kind") == "Secret" or (
        "kind" not in obj and isinstance(obj.get("data") or obj.get("stringData"), dict)
    )


def _read_secret(obj: dict[str, Any], ctx: _Ctx, via: _Via, qualify: bool) -> None:
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    prefix = "/".join(str(p) for p in (meta.get("namespace"), meta.get("name")) if p)
    values = _secret_values(obj)
    siblings = tuple(
        value.rstrip(b"\r\n") for key, value in values if "pass" in key.lower() and value
    )
    ctx.secrets.update(_text(s) for s in siblings)
    inner = replace(via, passwords=via.passwords + siblings)
    for key, value in values:
        if "pass" in key.lower():
            continue
        alias = f"{prefix}/{key}" if qualify and prefix else key
        sniffed = _sniff(value, via.depth + 1).kind
        if sniffed in ("text", "unknown", "empty"):
            continue  # tokens, passwords, config: not ours to report
        _dispatch(value, ctx, inner.inner(alias=_join_alias(via.alias, alias), where=alias))


def _secret_values(obj: dict[str, Any]) -> list[tuple[str, bytes]]:
    values: list[tuple[str, bytes]] = []
    data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
    for key, value in data.items():
        decoded = _b64decode(str(value), min_len=1) if value is not None else None
        if decoded is not None:
            values.append((str(key), decoded))
    string_data = obj.get("stringData") if isinstance(obj.get("stringData"), dict) else {}
    for key, value in string_data.items():
        if value is not None:
            values.append((str(key), str(value).encode("utf-8")))
    return values


def _walk(node: Any, ctx: _Ctx, via: _Via, budget: list[int], key: str | None = None) -> None:
    """Every string value that holds PEM or a base64 certificate container, depth first."""
    stack: list[tuple[Any, str | None]] = [(node, key)]
    seen: set[int] = set()
    while stack and budget[0] < _MAX_WALK_NODES:
        item, name = stack.pop()
        budget[0] += 1
        if isinstance(item, dict | list):
            if id(item) in seen:
                continue
            seen.add(id(item))
            stack.extend(reversed(list(_children(item, name))))
        elif isinstance(item, str):
            _walk_string(item, name, ctx, via)


def _children(item: dict[Any, Any] | list[Any], name: str | None) -> Iterator[tuple[Any, Any]]:
    if isinstance(item, list):
        for value in item:
            yield value, name
        return
    label = item.get("id") if isinstance(item.get("id"), str) else None  # testssl findings
    for k, v in item.items():
        yield v, label or str(k)


def _walk_string(value: str, name: str | None, ctx: _Ctx, via: _Via) -> None:
    if "-----BEGIN " in value:
        payload = value.encode("utf-8")
    else:
        payload = _b64decode(value, min_len=64) if len(value) >= 64 else None
        if payload is None or _sniff(payload, via.depth + 1).kind not in _BINARY_KINDS + (
            _TEXT_PEM_KINDS
        ):
            return
    _dispatch(payload, ctx, via.inner(alias=_join_alias(via.alias, name), where=name or ""))


# --------------------------------------------------------------------------- zip


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
    child = _Ctx(path, ctx.passwords, budget, depth, secrets=set(ctx.secrets))
    _dispatch(content, child, _Via())
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


def _read_all(data: bytes, path: str, passwords: tuple[bytes, ...]) -> list[Result]:
    ctx = _Ctx(path, passwords)
    try:
        _dispatch(data, ctx, _Via())
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
    """A file, or every file under a directory (sorted, so the order is reproducible)."""
    try:
        name = os.fspath(path)
        candidates = _password_candidates(passwords)
    except Exception as exc:
        yield Problem(str(path), None, None, "unreadable", f"not a path ({_short_error(exc)})")
        return
    if os.path.isdir(name):
        yield from _read_tree(name, candidates, recursive)
    else:
        yield from _read_file(name, candidates)


def _read_tree(root: str, passwords: tuple[bytes, ...], recursive: bool) -> Iterator[Result]:
    errors: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=errors.append):
        while errors:
            err = errors.pop(0)
            yield Problem(str(err.filename or folder), None, None, "unreadable", _os_error(err))
        dirs.sort()
        if not recursive:
            dirs.clear()
        for file in sorted(files):
            yield from _read_file(os.path.join(folder, file), passwords)
    for err in errors:
        yield Problem(str(err.filename or root), None, None, "unreadable", _os_error(err))


def _os_error(err: OSError) -> str:
    return f"cannot read: {err.strerror or type(err).__name__}"


def _read_file(name: str, passwords: tuple[bytes, ...]) -> Iterator[Result]:
    try:
        info = os.stat(name)
        if not stat.S_ISREG(info.st_mode):
            yield Problem(name, None, None, "unreadable", "not a regular file")
            return
        if info.st_size > MAX_INPUT_BYTES:
            msg = f"{info.st_size} bytes, over the {MAX_INPUT_BYTES // MiB} MiB limit: not read"
            yield Problem(name, None, None, "too-large", msg)
            return
        with open(name, "rb") as fh:
            data = fh.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        yield Problem(name, None, None, "unreadable", _os_error(exc))
        return
    if len(data) > MAX_INPUT_BYTES:
        yield Problem(name, None, None, "too-large", "file grew past the size limit: not read")
        return
    yield from _read_all(data, name, passwords)


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
