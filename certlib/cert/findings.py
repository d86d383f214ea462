"""Short, stable finding codes an inventory attaches to each certificate.

A finding is a fact worth a second look, not a verdict: ``expired`` is true of a certificate
whatever it is used for, while ``tls_server``/``code_signing`` columns answer "may it be used
for X". Codes are stable strings so that ``certlib scan --fail-on`` and notebooks can key on
them; :data:`FINDINGS` is the one place their meaning is written down (docs/inventory.md copies
it).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa

from certlib.cert.facts import CertFacts
from certlib.cert.general_names import names_tls_host
from certlib.core.oids import EKU, extension

__all__ = ["FINDINGS", "cert_findings"]

#: code -> what it means (and why it matters). Order is the order findings are listed in.
FINDINGS: dict[str, str] = {
    "decode-error": "Part of the certificate could not be decoded; the row is partial "
    "(see decode_errors).",
    "expired": "notAfter is before the inventory's reference time ('at').",
    "expires-30d": "Still valid at 'at' but notAfter is less than 30 days later.",
    "not-yet-valid": "notBefore is after the inventory's reference time ('at').",
    "weak-key": "RSA or DSA key shorter than 2048 bits, or an EC key under 256 bits.",
    "md5-signature": "Signed with MD5: forgeable, refused by every current verifier.",
    "sha1-signature": "Signed with SHA-1: refused for TLS by browsers and OpenSSL security "
    "level 1+, chosen-prefix collisions are practical.",
    "negative-serial": "Serial number is zero or negative (RFC 5280 §4.1.2.2 requires a "
    "positive integer); Go >= 1.23 rejects it, cryptography warns.",
    "ber-encoding": "A container held it in BER, not DER (e.g. openssl crl2pkcs7); "
    "cryptography falls back with a warning that may become an error.",
    "unknown-critical-extension": "A critical extension certlib does not know: RFC 5280 §4.2 "
    "says a verifier that does not recognise it MUST reject the certificate.",
    "empty-eku": "Extended Key Usage present but empty: RFC 5280 §4.2.1.12 requires at least "
    "one purpose; profiles disagree on what it means.",
    "empty-ku": "Key Usage present with no bit set (RFC 5280 §4.2.1.3: at least one bit MUST "
    "be set when the extension is present).",
    "ku-eku-inconsistent": "End-entity certificate whose Key Usage allows none of the purposes "
    "its EKU names (RFC 5280 §4.2.1.12: 'no purpose consistent with both' → no use at all). "
    "Judged only when every EKU purpose is one of the six RFC purposes.",
    "any-eku": "EKU contains anyExtendedKeyUsage: a wildcard under RFC 5280, but not "
    "honoured by OpenSSL 3.0's purpose checks.",
    "tls-no-eku": "End-entity certificate with a DNS/IP subjectAltName (looks like a TLS "
    "certificate) but no EKU: unrestricted under RFC 5280, ambiguous to readers.",
    "clientauth-in-tls-leaf": "TLS server leaf (serverAuth EKU, DNS/IP SAN, not a CA) that "
    "also carries clientAuth. Chrome Root Program policy v1.8 §1.3.2 requires leaves issued "
    "on/after 2027-03-15 to be serverAuth-only, so publicly-trusted CAs stop issuing this "
    "shape; fine in a private PKI.",
    "issuer-unusable": "Another certificate here carries this certificate's issuer name but "
    "is damaged (cannot be loaded or its names read), so it was skipped when linking: no "
    "issuer_sha256, and the chain is incomplete unless an intact copy of the issuer is here too.",
    "ca-as-leaf": "cA=TRUE certificate with a subjectAltName that issued none of the "
    "certificates in this inventory: a CA used as a server/leaf certificate (e.g. made with "
    "OpenSSL 3 'req -x509', which adds CA:TRUE by default).",
    "self-signed-leaf": "Self-signed (signature verifies with its own key) and not a CA: "
    "trusted only where pinned or installed one by one.",
}

_TLS_EKU = {EKU.SERVER_AUTH.oid, EKU.CLIENT_AUTH.oid}
_RFC_EKU = {kp.oid: kp for kp in EKU.RFC5280}


def _key_is_weak(cert: x509.Certificate) -> bool:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey | dsa.DSAPublicKey):
        return key.key_size < 2048
    if isinstance(key, ec.EllipticCurvePublicKey):
        return key.curve.key_size < 256
    return False


def _signature_hash(cert: x509.Certificate) -> str | None:
    algorithm = cert.signature_hash_algorithm
    return algorithm.name if algorithm is not None else None


def _tls_names(cert: x509.Certificate) -> bool:
    """True when the SAN holds a dNSName or iPAddress (what TLS clients match)."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (x509.ExtensionNotFound, ValueError):
        return False
    return bool(san.get_values_for_type(x509.DNSName) or san.get_values_for_type(x509.IPAddress))


def _ku_eku_inconsistent(f: CertFacts) -> bool:
    if f.bc_ca or not f.eku or not f.key_usage:
        return False
    if any(oid not in _RFC_EKU for oid in f.eku):
        return False  # anyEKU or a purpose RFC 5280 gives no KU table for: cannot judge
    return not any(set(_RFC_EKU[oid].consistent_ku or ()) & f.key_usage for oid in f.eku)


def _guard(check, default: bool = False) -> bool:
    try:
        return bool(check())
    except Exception:  # a lazily failing accessor must not lose the other findings
        return default


def cert_findings(
    cert: x509.Certificate,
    f: CertFacts,
    *,
    at: _dt.datetime,
    self_signed: bool,
    decode_errors: Iterable[str] = (),
    source_warnings: Iterable[str] = (),
    unknown_critical: Iterable[str] | None = None,
    row: Mapping[str, Any] | None = None,
) -> list[str]:
    """The finding codes of one certificate except ``ca-as-leaf`` (which needs the inventory:
    whether it issued anything), in :data:`FINDINGS` order.

    ``row`` (what :func:`certlib.cert.decode.decode` made of ``cert``) saves re-reading the key, the
    signature algorithm and the SAN through cryptography; it is used only when it decoded
    cleanly, since only then do its columns say exactly what those accessors would.
    """
    inputs = _row_inputs(row) if row is not None else None
    if inputs is None:
        inputs = _cert_inputs(cert)
    not_before, not_after, weak_key, hash_name, tls_named = inputs
    found: set[str] = set()
    if list(decode_errors) or f.errors:
        found.add("decode-error")
    if not_after is not None and not_after < at:
        found.add("expired")
    elif not_after is not None and not_after - at < _dt.timedelta(days=30):
        # (not ``at + 30 days``: at 9999-12-31 that overflows, and a notAfter of
        # 99991231235959Z, "no well-defined expiration", is still valid then)
        found.add("expires-30d")
    if not_before is not None and not_before > at:
        found.add("not-yet-valid")
    if weak_key:
        found.add("weak-key")
    if hash_name == "md5":
        found.add("md5-signature")
    elif hash_name == "sha1":
        found.add("sha1-signature")
    if f.serial <= 0:
        found.add("negative-serial")
    if any("BER" in w for w in source_warnings):
        found.add("ber-encoding")
    if unknown_critical is None:
        unknown_critical = [
            e.oid for e in f.extensions if e.critical and not extension(e.oid).known
        ]
    if list(unknown_critical):
        found.add("unknown-critical-extension")
    if f.eku == ():
        found.add("empty-eku")
    if f.key_usage == frozenset():
        found.add("empty-ku")
    if _ku_eku_inconsistent(f):
        found.add("ku-eku-inconsistent")
    if f.eku and EKU.ANY.oid in f.eku:
        found.add("any-eku")
    if not f.bc_ca and f.eku is None and tls_named:
        found.add("tls-no-eku")
    if not f.bc_ca and f.eku and set(f.eku) >= _TLS_EKU and tls_named:
        found.add("clientauth-in-tls-leaf")
    if self_signed and not f.bc_ca:
        found.add("self-signed-leaf")
    return [code for code in FINDINGS if code in found]


#: (notBefore, notAfter, weak key, signature hash name, SAN names a TLS host) of a certificate.
_Inputs = tuple[_dt.datetime | None, _dt.datetime | None, bool, str | None, bool]


def _cert_inputs(cert: x509.Certificate) -> _Inputs:
    return (
        _guard_value(lambda: cert.not_valid_before_utc),
        _guard_value(lambda: cert.not_valid_after_utc),
        _guard(lambda: _key_is_weak(cert)),
        _guard_value(lambda: _signature_hash(cert)),
        _guard(lambda: _tls_names(cert)),
    )


#: Key algorithms (decode's ``public_key_algorithm``) whose ``public_key_size`` is what
#: :func:`_key_is_weak` compares: the RSA/DSA modulus or the EC curve size.
_SIZED_KEYS = {"RSA": 2048, "DSA": 2048, "EC": 256}
_UNSIZED_KEYS = frozenset({"Ed25519", "Ed448", "X25519", "X448"})


def _row_inputs(row: Mapping[str, Any]) -> _Inputs | None:
    """The same inputs from a cleanly decoded row; None when the row cannot stand in."""
    if row.get("decode_errors") or row.get("alternative_names") is None:
        return None
    algorithm, size = row.get("public_key_algorithm"), row.get("public_key_size")
    if algorithm in _SIZED_KEYS and isinstance(size, int):
        weak = size < _SIZED_KEYS[algorithm]
    elif algorithm in _UNSIZED_KEYS:
        weak = False
    else:
        return None  # RSASSA-PSS keys, DH, unknown algorithms: ask the key itself
    tls = names_tls_host(row["alternative_names"])
    return row.get("not_before"), row.get("not_after"), weak, row.get("signature_hash"), tls


def _guard_value(get):
    try:
        return get()
    except Exception:
        return None


def ca_leaf_candidate(f: CertFacts) -> bool:
    """cA=TRUE with a subjectAltName: ``ca-as-leaf`` once we know it issued nothing here."""
    return f.bc_ca and f.san_present


def describe(codes: Iterable[str], table: Mapping[str, str] = FINDINGS) -> list[str]:
    """Descriptions for ``codes`` (unknown codes say so rather than raising)."""
    return [table.get(c, "unknown finding code") for c in codes]
