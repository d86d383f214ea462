"""The reference reader of a decoded row: one field at a time, each behind one guard.

Real certificates break ``cryptography``'s lazy decoders in surprising places (``.extensions``,
``.subject``, one extension, the signature hash, a negative serial's warning). So each field is
read on its own behind :class:`_Guard`: a bad field costs that field, never the row. What failed
is named in ``decode_errors``; warnings raised while reading are kept in ``warnings``.
:mod:`certlib.cert.fast_row` builds the same row straight from the DER for the common case and
hands anything unusual to this reader.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from certlib.cert import der, general_names, keys
from certlib.cert.columns import COLUMNS, HANDLED_CRITICAL_EXTENSIONS, Unknown, serial_hex
from certlib.cert.facts import CertFacts, facts
from certlib.cert.rfc4514 import common_name, name_text
from certlib.core.memo import Memo
from certlib.core.oids import (
    EXT,
    KU_BITS,
    NS_CERT_TYPE_BITS,
    eku,
    public_key_algorithm,
    signature_algorithm,
)

__all__ = ["decode_guarded"]

_T = TypeVar("_T")


class _Guard:
    """Read one field at a time: an exception becomes a named decode error and a default.

    Warnings are recorded by one ``catch_warnings`` around the whole :func:`decode_guarded`
    (cheaper than one per field); the guard attributes the new ones to the field being read.
    """

    def __init__(self, caught: list[warnings.WarningMessage]) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self._caught = caught

    def __call__(self, field: str, read: Callable[[], _T], default: _T | None = None) -> _T | None:
        seen = len(self._caught)
        try:
            value: _T | None = read()
        except Unknown as exc:
            if str(exc):
                self.warnings.append(f"{field}: {exc}")
            value = default
        except Exception as exc:
            self.errors.append(f"{field}: {type(exc).__name__}: {exc}")
            value = default
        for w in self._caught[seen:]:
            text = f"{field}: {w.category.__name__}: {w.message}"
            if text not in self.warnings:
                self.warnings.append(text)
        return value


def decode_guarded(cert: x509.Certificate, *, memo: Memo | None = None) -> dict[str, Any]:
    """The row of :func:`certlib.cert.decode.decode`, one field at a time behind a guard: the
    reference behaviour (``memo``: the run's)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        g = _Guard(caught)
        row = _read(cert, g, memo)
    row["decode_errors"] = g.errors
    row["warnings"] = g.warnings
    return {c: row.get(c) for c in COLUMNS}


def _read(cert: x509.Certificate, g: _Guard, memo: Memo | None) -> dict[str, Any]:
    r: dict[str, Any] = {}
    f = g("facts", lambda: facts(cert, memo=memo))
    if f is not None:
        g.errors.extend(f.errors)
    r["sha256"] = g("sha256", lambda: cert.fingerprint(hashes.SHA256()).hex())
    r["sha1"] = g("sha1", lambda: cert.fingerprint(hashes.SHA1()).hex())
    r["serial_number"] = g("serial_number", lambda: serial_hex(cert.serial_number))
    r["version"] = g("version", lambda: _facts(f).version)
    r["subject"] = g("subject", lambda: name_text(cert.subject))
    r["subject_cn"] = g("subject_cn", lambda: common_name(cert.subject))
    _issuer_fields(r, cert, f, g, memo)
    r["self_issued"] = g("self_issued", lambda: _facts(f).self_issued)
    r["self_signed"] = g("self_signed", lambda: _self_signed(cert, r["self_issued"]))

    r["not_before"] = g("not_before", lambda: cert.not_valid_before_utc)
    r["not_after"] = g("not_after", lambda: cert.not_valid_after_utc)
    r["validity_days"] = g("validity_days", lambda: _days(r["not_before"], r["not_after"]))

    key = g("public_key", cert.public_key)
    r["public_key_algorithm"] = g(
        "public_key_algorithm", lambda: public_key_algorithm(cert.public_key_algorithm_oid).name
    )
    r["public_key_size"] = g("public_key_size", lambda: keys.key_size(_known(key)))
    r["public_key_curve"] = g("public_key_curve", lambda: keys.curve(_known(key)))
    r["spki_sha256"] = g("spki_sha256", lambda: _spki_sha256(cert))
    r["signature_algorithm"] = g(
        "signature_algorithm",
        lambda: signature_algorithm(cert.signature_algorithm_oid).openssl_name,
    )
    r["signature_hash"] = g("signature_hash", lambda: keys.signature_hash(cert))

    exts = g("extensions", lambda: cert.extensions)  # names cryptography's refusal, if any
    r["san_present"] = g("san_present", lambda: _present(f, EXT.SUBJECT_ALTERNATIVE_NAME.oid))
    r["alternative_names"] = g(
        "alternative_names", lambda: general_names.alternative_names(exts, _facts(f))
    )
    r["dns_names"] = g("dns_names", lambda: _dns_names(r["alternative_names"]))

    r["eku_present"] = g("eku_present", lambda: _present(f, EXT.EXTENDED_KEY_USAGE.oid))
    r["eku_critical"] = g("eku_critical", lambda: _facts(f).eku_critical)
    r["eku_oids"] = g("eku_oids", lambda: _eku_oids(_facts(f)))
    r["eku_names"] = g("eku_names", lambda: _eku_names(r["eku_oids"]))
    r["ku_present"] = g("ku_present", lambda: _present(f, EXT.KEY_USAGE.oid))
    r["ku_critical"] = g("ku_critical", lambda: _facts(f).ku_critical)
    r["key_usage"] = g("key_usage", lambda: _key_usage(_facts(f)))
    r["bc_present"] = g("bc_present", lambda: _present(f, EXT.BASIC_CONSTRAINTS.oid))
    r["bc_critical"] = g("bc_critical", lambda: _facts(f).bc_critical)
    r["is_ca"] = g("is_ca", lambda: _is_ca(_facts(f)))
    r["path_length"] = g("path_length", lambda: _path_length(_facts(f)))
    r["ns_cert_type"] = g("ns_cert_type", lambda: _ns_cert_type(_facts(f)))
    r["ms_application_policies"] = g("ms_application_policies", lambda: _app_policies(_facts(f)))
    r["extension_oids"] = g("extension_oids", lambda: list(_facts(f).extension_oids))
    r["unknown_critical_extensions"] = g(
        "unknown_critical_extensions", lambda: _unknown_critical(_facts(f))
    )
    return r


def _issuer_fields(
    r: dict[str, Any], cert: x509.Certificate, f: CertFacts | None, g: _Guard, memo: Memo | None
) -> None:
    """issuer and issuer_cn. With a run's ``memo`` kept per issuer Name DER (table
    ``guarded_row.issuer``): a pile of certificates has few issuers, and their text is a pure
    function of the Name's DER. Only clean reads (no error, no warning) are kept."""
    key = f.issuer_der if memo is not None and f is not None and not f.errors else None
    table = memo.table("guarded_row.issuer") if memo is not None else {}
    hit = table.get(key) if key else None
    if hit is not None:
        r["issuer"], r["issuer_cn"] = hit
        return
    before = (len(g.errors), len(g.warnings), len(g._caught))
    r["issuer"] = g("issuer", lambda: name_text(cert.issuer))
    r["issuer_cn"] = g("issuer_cn", lambda: common_name(cert.issuer))
    if key and before == (len(g.errors), len(g.warnings), len(g._caught)):
        memo.room(table)  # type: ignore[union-attr]
        table[key] = (r["issuer"], r["issuer_cn"])


# ---------------------------------------------------------------------------------------------
# Field readers. Each may raise: the guard turns that into a named decode error.
# ---------------------------------------------------------------------------------------------


def _facts(f: CertFacts | None) -> CertFacts:
    """The facts, or "unknown" (silently: the cause is already a decode error)."""
    if f is None or any(e.startswith("TBSCertificate:") for e in f.errors):
        raise Unknown()  # facts could not walk the TBS: its defaults would be guesses
    return f


def _known(key: object) -> object:
    """The public key, or "unknown" (silently: its failure is already a decode error)."""
    if key is None:
        raise Unknown()
    return key


def _self_signed(cert: x509.Certificate, self_issued: bool | None) -> bool:
    """:func:`certlib.cert.keys.signed_by_own_key` when self-issued; "unknown" (with a warning)
    when the signature cannot be checked."""
    if self_issued is None:
        raise Unknown()
    if not self_issued:
        return False
    try:
        return keys.signed_by_own_key(cert)
    except keys.CannotVerify as exc:
        raise Unknown(str(exc)) from exc


def _days(not_before: _dt.datetime | None, not_after: _dt.datetime | None) -> float:
    if not_before is None or not_after is None:
        raise Unknown()
    return (not_after - not_before).total_seconds() / 86400


def _spki_sha256(cert: x509.Certificate) -> str:
    """SHA-256 of the SubjectPublicKeyInfo exactly as stored (what key pinning hashes)."""
    tbs = cert.tbs_certificate_bytes
    _tag, start, end = der.read_tlv(tbs)
    fields: list[tuple[int, int, int]] = []
    offset = start
    while offset < end and len(fields) < 7:
        tag, _s, e = der.read_tlv(tbs, offset)
        fields.append((tag, offset, e))
        offset = e
    first = 1 if fields and fields[0][0] == 0xA0 else 0  # explicit [0] version
    tag, s, e = fields[first + 5]
    if tag != der.SEQUENCE:
        raise der.DerError("SubjectPublicKeyInfo is not a SEQUENCE")
    return hashlib.sha256(tbs[s:e]).hexdigest()


def _present(f: CertFacts | None, oid: str) -> bool:
    return oid in _facts(f).extension_oids


def _failed(f: CertFacts, info_name: str) -> bool:
    """facts could not decode this extension (its errors start with the extension's name)."""
    return any(e.startswith(f"{info_name}:") for e in f.errors)


def _dns_names(alternative_names: list[str] | None) -> list[str]:
    if alternative_names is None:
        raise Unknown()
    return [a[4:] for a in alternative_names if a.startswith("DNS:")]


# --- purpose extensions, from certlib.cert.facts
# ------------------------------------------------------


def _eku_oids(f: CertFacts) -> list[str] | None:
    if f.eku is None and _failed(f, EXT.EXTENDED_KEY_USAGE.name):
        raise Unknown()
    return list(f.eku or ())


def _eku_names(oids: list[str] | None) -> list[str]:
    """RFC/ASN.1 short names (``serverAuth``); an unknown OID stands for itself."""
    if oids is None:
        raise Unknown()
    return [eku(o).short_name for o in oids]


def _key_usage(f: CertFacts) -> list[str]:
    if f.key_usage is None and _failed(f, EXT.KEY_USAGE.name):
        raise Unknown()
    bits = f.key_usage or frozenset()
    return [b.name for b in KU_BITS if b.name in bits]


def _is_ca(f: CertFacts) -> bool:
    if _failed(f, EXT.BASIC_CONSTRAINTS.name):
        raise Unknown()
    return f.bc_ca


def _path_length(f: CertFacts) -> int | None:
    if _failed(f, EXT.BASIC_CONSTRAINTS.name):
        raise Unknown()
    return f.path_length


def _ns_cert_type(f: CertFacts) -> list[str] | None:
    if f.ns_cert_type is None:
        if _failed(f, EXT.NETSCAPE_CERT_TYPE.name):
            raise Unknown()
        return None
    return [b.name for b in NS_CERT_TYPE_BITS if b.name in f.ns_cert_type]


def _app_policies(f: CertFacts) -> list[str] | None:
    if f.ms_application_policies is None:
        if _failed(f, EXT.MS_APPLICATION_POLICIES.name):
            raise Unknown()
        return None
    return list(f.ms_application_policies)


def _unknown_critical(f: CertFacts) -> list[str]:
    out: list[str] = []
    for e in f.extensions:
        if e.critical and e.oid not in HANDLED_CRITICAL_EXTENSIONS and e.oid not in out:
            out.append(e.oid)
    return out
