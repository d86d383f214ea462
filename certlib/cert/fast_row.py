"""A decoded row straight from the DER, in one go, for the common certificate.

Reading each field behind its own guard and lambda (:mod:`certlib.cert.guarded_row`), parsing
Names and the SAN into cryptography objects, re-encoding the certificate for each fingerprint
and the TBS for the facts made decode cost ~150 µs for a plain leaf. Here the row is built
straight from the raw DER for the common case, and anything unusual (any exception, any warning,
a facts error, a duplicate extension, a Name or SAN this reader does not handle, a negative
serial) gives up: the guarded reader then reads the certificate from scratch, so rows with
errors or warnings are unchanged. tests/cert/test_decode_rows.py checks both give the same row on
every corpus. cryptography accessors that warn once per object and then cache (the Names) are
never touched here, and ``.extensions`` is asked of a throwaway copy, so the guarded reader
still sees them.
"""

from __future__ import annotations

import hashlib
import warnings
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from certlib.cert import der, general_names, keys
from certlib.cert.columns import HANDLED_CRITICAL_EXTENSIONS, serial_hex
from certlib.cert.facts import CertFacts, facts
from certlib.cert.rfc4514 import Unhandled, name_fields
from certlib.core.memo import Memo
from certlib.core.oids import (
    EXT,
    KU_BITS,
    NS_CERT_TYPE_BITS,
    SIGNATURE_ALGORITHMS,
    eku,
    public_key_algorithm,
    signature_algorithm,
)

__all__ = ["decode_fast", "is_octet_string", "is_sct_list"]


def decode_fast(
    cert: x509.Certificate,
    der_bytes: bytes | None = None,
    *,
    memo: Memo | None = None,
    sha256: str | None = None,
) -> dict[str, Any] | None:
    """The row of :func:`certlib.cert.decode.decode`, or None when this reader gives up (the
    guarded reader then decides). ``der_bytes``: the DER ``cert`` was loaded from, if known;
    ``memo``: the run's (facts, Name text and the extensions cryptography accepted);
    ``sha256``: the hex SHA-256 of ``der_bytes`` if the caller has it (used only with them)."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            row = _read_fast(cert, der_bytes, memo, sha256)
    except Exception:  # Unhandled, or anything the guarded reader will name field by field
        return None
    return None if caught else row


def _read_fast(
    cert: x509.Certificate, der_bytes: bytes | None, memo: Memo | None, sha256: str | None
) -> dict[str, Any]:
    if der_bytes is None:
        der_bytes, sha256 = cert.public_bytes(Encoding.DER), None
    elif type(der_bytes) is not bytes or not der_bytes.endswith(cert.signature):
        raise Unhandled  # not (as bytes) this certificate's DER: its facts must not be cached
    if der_bytes[:2] == b"\x30\x82" and der_bytes[4:6] == b"\x30\x82":  # 256 B to 64 kB
        start, end = 4, 4 + (der_bytes[2] << 8 | der_bytes[3])
        tbs_end = 8 + (der_bytes[6] << 8 | der_bytes[7])
    else:
        tag, start, end = der.read_tlv(der_bytes)
        tbs_tag, _s, tbs_end = der.read_tlv(der_bytes, start)
        if tag != der.SEQUENCE or tbs_tag != der.SEQUENCE:
            raise Unhandled
    if end != len(der_bytes) or tbs_end > end:
        raise Unhandled  # not one certificate's DER: cryptography's fingerprints will say
    f = facts(cert, tbs=der_bytes[start:tbs_end], memo=memo)
    if f.errors or not f.spki_der.startswith(b"\x30"):
        raise Unhandled  # _failed() and _facts() may say "unknown": the guarded path knows how
    serial = f.serial
    if serial <= 0 or serial.bit_length() > 159:  # cryptography may warn about these
        raise Unhandled
    ext_oids, unknown_critical, alternative_names = _extension_fields(der_bytes, f, memo)
    subject, subject_cn = name_fields(f.subject_der, memo=memo, repeats=False)  # RDNs only
    issuer, issuer_cn = name_fields(f.issuer_der, memo=memo)
    self_issued = f.subject_der == f.issuer_der
    not_before = cert.not_valid_before_utc
    not_after = cert.not_valid_after_utc
    key_fields = keys.ec_key_fields(f.spki_der)
    if key_fields is None:
        key = cert.public_key()
        pk_algorithm = public_key_algorithm(cert.public_key_algorithm_oid).name
        key_fields = (keys.key_size(key), keys.curve(key), pk_algorithm)
    sig_name, sig_hash = _signature_fields(cert)
    eku_oids = list(f.eku or ())
    key_usage = f.key_usage
    ns = f.ns_cert_type
    policies = f.ms_application_policies
    return {
        "sha256": sha256 if sha256 is not None else hashlib.sha256(der_bytes).hexdigest(),
        "sha1": hashlib.sha1(der_bytes).hexdigest(),
        "serial_number": serial_hex(serial),
        "version": f.version,
        "subject": subject,
        "subject_cn": subject_cn,
        "issuer": issuer,
        "issuer_cn": issuer_cn,
        "self_issued": self_issued,
        "self_signed": keys.signed_by_own_key(cert) if self_issued else False,
        "not_before": not_before,
        "not_after": not_after,
        "validity_days": (not_after - not_before).total_seconds() / 86400,
        "public_key_algorithm": key_fields[2],
        "public_key_size": key_fields[0],
        "public_key_curve": key_fields[1],
        "spki_sha256": hashlib.sha256(f.spki_der).hexdigest(),
        "signature_algorithm": sig_name,
        "signature_hash": sig_hash if sig_hash is not _ASK else keys.signature_hash(cert),
        "san_present": _SAN in ext_oids,
        "alternative_names": alternative_names,
        "dns_names": [a[4:] for a in alternative_names if a.startswith("DNS:")],
        "eku_present": _EKU in ext_oids,
        "eku_critical": f.eku_critical,
        "eku_oids": eku_oids,
        "eku_names": [eku(o).short_name for o in eku_oids],
        "ku_present": _KU in ext_oids,
        "ku_critical": f.ku_critical,
        "key_usage": [] if key_usage is None else _bit_names(key_usage, _KU_NAMES),
        "bc_present": _BC in ext_oids,
        "bc_critical": f.bc_critical,
        "is_ca": f.bc_ca,
        "path_length": f.path_length,
        "ns_cert_type": None if ns is None else _bit_names(ns, _NS_NAMES),
        "ms_application_policies": None if policies is None else list(policies),
        "extension_oids": ext_oids,
        "unknown_critical_extensions": unknown_critical,
        "decode_errors": [],
        "warnings": [],
    }


_SAN = EXT.SUBJECT_ALTERNATIVE_NAME.oid
_SKI = EXT.SUBJECT_KEY_IDENTIFIER.oid
_SCT_LIST = EXT.CT_SCT_LIST.oid  # precertificate SCTs: every public TLS leaf has its own
#: Extensions unique per certificate: never kept in the run's ``fast_row.accepted`` table.
_PER_CERTIFICATE = frozenset({_SAN, _SKI, _SCT_LIST})
_EKU = EXT.EXTENDED_KEY_USAGE.oid
_KU = EXT.KEY_USAGE.oid
_BC = EXT.BASIC_CONSTRAINTS.oid
_KU_NAMES = tuple(b.name for b in KU_BITS)
_NS_NAMES = tuple(b.name for b in NS_CERT_TYPE_BITS)
_PSS = next(a.oid for a in SIGNATURE_ALGORITHMS if a.openssl_name == "rsassaPss")
_ASK = object()  # "ask cryptography for this certificate's signature hash"


def _bit_names(bits: frozenset[str], names: tuple[str, ...]) -> list[str]:
    """``[n for n in names if n in bits]`` (what the guarded row lists for KU and ns type)."""
    return [n for n in names if n in bits]


def _signature_fields(cert: x509.Certificate) -> tuple[str | None, object]:
    """(openssl name, hash or _ASK) of the signature algorithm."""
    entry = signature_algorithm(cert.signature_algorithm_oid)
    return entry.openssl_name, entry.hash if entry.known and entry.oid != _PSS else _ASK


def _extension_fields(
    der_bytes: bytes, f: CertFacts, memo: Memo | None
) -> tuple[list[str], list[str], list[str]]:
    """``extension_oids``, ``unknown_critical_extensions`` and ``alternative_names`` in one pass,
    proving on the way that ``cert.extensions`` would neither raise nor warn (else asking)."""
    oids: list[str] = []
    unknown_critical: list[str] = []
    names: list[str] | None = []
    checked = f.version == 3 and bool(f.extension_ders)
    accepted: dict = memo.table("fast_row.accepted") if memo is not None else {}
    for ext, ext_der in zip(f.extensions, f.extension_ders, strict=True):
        oid = ext.oid
        if oid in oids:
            raise Unhandled  # cryptography refuses duplicates: the guarded path names that
        oids.append(oid)
        if ext.critical and oid not in HANDLED_CRITICAL_EXTENSIONS:
            unknown_critical.append(oid)
        if oid == _SAN:
            names = general_names.simple_texts(ext.value)
            if names is not None:
                continue  # what cryptography accepts, read as it would
        if ext_der in accepted:
            continue
        if oid == _SKI and is_octet_string(ext.value):
            continue
        if oid == _SCT_LIST and is_sct_list(ext.value):
            continue
        checked = False
    if checked and names is not None:
        return oids, unknown_critical, names
    exts = _probe_extensions(der_bytes)
    if memo is not None:  # what a CA repeats; per-certificate extensions would only churn it
        for e, d in zip(f.extensions, f.extension_ders, strict=True):
            if e.oid not in _PER_CERTIFICATE:
                memo.room(accepted)
                accepted[d] = True
    if names is None:
        names = general_names.alternative_names(exts, f)
    return oids, unknown_critical, names


def _probe_extensions(der_bytes: bytes) -> x509.Extensions:
    """``.extensions`` of a throwaway copy of the certificate; :class:`Unhandled` if it warns.

    Not of ``cert`` itself: cryptography parses the extensions once per object and warns only
    then (a UTF-8 VisibleString in a policy's explicit text), so asking ``cert`` here would hide
    that warning from the guarded path if this one gives up.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exts = x509.load_der_x509_certificate(der_bytes).extensions  # raises: guarded path says
    if caught:
        raise Unhandled
    return exts


def is_sct_list(value: bytes) -> bool:
    """A SignedCertificateTimestampList (RFC 6962 §3.3) in an OCTET STRING that cryptography's
    parser accepts: v1 SCTs with known hash and signature algorithms. Stricter than it (no byte
    may be left over anywhere, the list may not be empty), so anything odd is left to it."""
    if not is_octet_string(value):
        return False
    data = der.strict_unwrap(value, der.OCTET_STRING)
    end = len(data)
    if end < 4 or data[0] << 8 | data[1] != end - 2:
        return False
    pos = 2
    while pos < end:
        if pos + 2 > end:
            return False
        sct_end = pos + 2 + (data[pos] << 8 | data[pos + 1])
        pos += 2
        # version (v1 = 0), log id (32), timestamp (8), extensions (2 + n)
        if sct_end > end or pos + 43 > sct_end or data[pos] != 0:
            return False
        p = pos + 41
        p += 2 + (data[p] << 8 | data[p + 1])
        # hash algorithm (md5 .. sha512), signature algorithm (rsa, dsa, ecdsa), signature
        if p + 4 > sct_end or not 1 <= data[p] <= 6 or not 1 <= data[p + 1] <= 3:
            return False
        p += 4 + (data[p + 2] << 8 | data[p + 3])
        if p != sct_end:
            return False
        pos = sct_end
    return True


def is_octet_string(value: bytes) -> bool:
    if len(value) >= 2 and value[0] == der.OCTET_STRING and value[1] == len(value) - 2 < 0x80:
        return True  # the usual short SKI, checked without a walk
    try:
        der.strict_unwrap(value, der.OCTET_STRING)
    except der.NotStrictDer:
        return False
    return True
