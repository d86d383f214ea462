"""Certificate -> one flat row of plain Python values, with ECS-style ``snake_case`` names.

Every table, inventory, widget and notebook wants the same per-certificate view, and real
certificates break ``cryptography``'s lazy decoders in surprising places (``.extensions``,
``.subject``, one extension, the signature hash, a negative serial's warning). So each field is
read on its own behind one guard (:class:`_Guard`): a bad field costs that field, never the row.
What failed is named in ``decode_errors``; warnings raised while reading are kept in ``warnings``.
That guarded reader is the reference; most certificates take a fast path that builds the same
row straight from the DER in one go (~4x cheaper) and hands anything unusual back to it.

Purpose-relevant extensions (EKU, KU, basic constraints, Netscape cert type, Microsoft
application policies) come from :func:`certlib.cert.facts.facts`, which reads the raw DER and so
also sees what ``cryptography`` refuses (an empty EKU SEQUENCE). Column meanings and dtypes are in
:data:`certlib.frame.SCHEMA` and ``docs/columns.md``. A certificate holds no private key, and
nothing here ever looks for one.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import ipaddress
import re
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import (
    dsa,
    ec,
    ed448,
    ed25519,
    padding,
    rsa,
    x448,
    x25519,
)
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from certlib.cert import der
from certlib.cert.facts import CertFacts, _facts_from_tbs, facts
from certlib.core.oids import (
    EC_CURVES,
    EXT,
    KU_BITS,
    NAME_ATTRIBUTE_RFC4514_NAMES,
    NAME_ATTRIBUTE_SHORT_NAMES,
    NS_CERT_TYPE_BITS,
    PUBLIC_KEY_ALGORITHMS,
    SIGNATURE_ALGORITHMS,
    eku,
    other_name,
    public_key_algorithm,
    signature_algorithm,
)

__all__ = ["COLUMNS", "HANDLED_CRITICAL_EXTENSIONS", "decode", "name_text", "serial_hex"]

#: Every column :func:`decode` returns, in order (the frame, the inventory and the docs use it).
COLUMNS: tuple[str, ...] = (
    "sha256",
    "sha1",
    "serial_number",
    "version",
    "subject",
    "subject_cn",
    "issuer",
    "issuer_cn",
    "self_issued",
    "self_signed",
    "not_before",
    "not_after",
    "validity_days",
    "public_key_algorithm",
    "public_key_size",
    "public_key_curve",
    "spki_sha256",
    "signature_algorithm",
    "signature_hash",
    "san_present",
    "alternative_names",
    "dns_names",
    "eku_present",
    "eku_critical",
    "eku_oids",
    "eku_names",
    "ku_present",
    "ku_critical",
    "key_usage",
    "bc_present",
    "bc_critical",
    "is_ca",
    "path_length",
    "ns_cert_type",
    "ms_application_policies",
    "extension_oids",
    "unknown_critical_extensions",
    "decode_errors",
    "warnings",
)

#: Extensions a validator is expected to process when critical: OpenSSL 3.0's
#: ``X509_supported_extension`` list (:data:`certlib.core.oids.EXT.OPENSSL_SUPPORTED`), which covers
#: every extension RFC 5280 §4.2 says an application MUST recognise. A critical extension outside
#: it lands in ``unknown_critical_extensions``: RFC 5280 says such a certificate MUST be rejected,
#: and OpenSSL does (X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION). Note that a critical AKI, SKI, AIA
#: or CT poison counts as unknown here, because OpenSSL rejects those too.
HANDLED_CRITICAL_EXTENSIONS: frozenset[str] = frozenset(e.oid for e in EXT.OPENSSL_SUPPORTED)

#: ``Name.rfc4514_string`` overrides, so names read like ``openssl -nameopt RFC2253``.
_ATTRIBUTE_NAMES = {x509.ObjectIdentifier(k): v for k, v in NAME_ATTRIBUTE_SHORT_NAMES.items()}

_T = TypeVar("_T")


class _Unknown(Exception):
    """A field reader's "cannot tell" (not a decode error): the field gets its default.

    With a message it is recorded in ``warnings``; without one it is silent, for fields that
    depend on one whose failure is already recorded.
    """


class _Guard:
    """Read one field at a time: an exception becomes a named decode error and a default.

    Warnings are recorded by one ``catch_warnings`` around the whole :func:`decode` (cheaper than
    one per field); the guard attributes the new ones to the field being read.
    """

    def __init__(self, caught: list[warnings.WarningMessage]) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self._caught = caught

    def __call__(self, field: str, read: Callable[[], _T], default: _T | None = None) -> _T | None:
        seen = len(self._caught)
        try:
            value: _T | None = read()
        except _Unknown as exc:
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


def decode(cert: x509.Certificate, *, der: bytes | None = None) -> dict[str, Any]:
    """One row (keys = :data:`COLUMNS`) for ``cert``; never raises for a loaded certificate.

    ``der``, when given, must be the DER ``cert`` was loaded from (the inventory holds it): the
    fingerprints are then hashed from it instead of asking cryptography to re-encode.

    Warnings are caught with ``warnings.catch_warnings``, which is process-global: decode in
    processes (as the inventory does), not in threads, or warnings may land in the wrong row.
    """
    if _FAST:
        row = _decode_fast(cert, der)
        if row is not None:
            return row
    return _decode_guarded(cert)


#: False sends every certificate through the guarded reader (the tests compare both paths).
_FAST = True


def _decode_guarded(cert: x509.Certificate) -> dict[str, Any]:
    """:func:`decode` one field at a time behind :class:`_Guard`: the reference behaviour."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        g = _Guard(caught)
        row = _read(cert, g)
    row["decode_errors"] = g.errors
    row["warnings"] = g.warnings
    return {c: row.get(c) for c in COLUMNS}


def _read(cert: x509.Certificate, g: _Guard) -> dict[str, Any]:
    r: dict[str, Any] = {}
    f = g("facts", lambda: facts(cert))
    if f is not None:
        g.errors.extend(f.errors)
    r["sha256"] = g("sha256", lambda: cert.fingerprint(hashes.SHA256()).hex())
    r["sha1"] = g("sha1", lambda: cert.fingerprint(hashes.SHA1()).hex())
    r["serial_number"] = g("serial_number", lambda: serial_hex(cert.serial_number))
    r["version"] = g("version", lambda: _facts(f).version)
    r["subject"] = g("subject", lambda: name_text(cert.subject))
    r["subject_cn"] = g("subject_cn", lambda: _common_name(cert.subject))
    _issuer_fields(r, cert, f, g)
    r["self_issued"] = g("self_issued", lambda: _facts(f).self_issued)
    r["self_signed"] = g("self_signed", lambda: _self_signed(cert, r["self_issued"]))

    r["not_before"] = g("not_before", lambda: cert.not_valid_before_utc)
    r["not_after"] = g("not_after", lambda: cert.not_valid_after_utc)
    r["validity_days"] = g("validity_days", lambda: _days(r["not_before"], r["not_after"]))

    key = g("public_key", cert.public_key)
    r["public_key_algorithm"] = g(
        "public_key_algorithm", lambda: public_key_algorithm(cert.public_key_algorithm_oid).name
    )
    r["public_key_size"] = g("public_key_size", lambda: _key_size(key))
    r["public_key_curve"] = g("public_key_curve", lambda: _curve(key))
    r["spki_sha256"] = g("spki_sha256", lambda: _spki_sha256(cert))
    r["signature_algorithm"] = g(
        "signature_algorithm",
        lambda: signature_algorithm(cert.signature_algorithm_oid).openssl_name,
    )
    r["signature_hash"] = g("signature_hash", lambda: _signature_hash(cert))

    exts = g("extensions", lambda: cert.extensions)  # names cryptography's refusal, if any
    r["san_present"] = g("san_present", lambda: _present(f, EXT.SUBJECT_ALTERNATIVE_NAME.oid))
    r["alternative_names"] = g("alternative_names", lambda: _alternative_names(exts, _facts(f)))
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


#: issuer Name DER -> (issuer, issuer_cn): a pile of certificates has few issuers, and their
#: text is a pure function of the Name's DER. Only clean reads (no error, no warning) are kept.
_ISSUER_TEXT: dict[bytes, tuple[str | None, str | None]] = {}
_ISSUER_TEXT_MAX = 4096


def _issuer_fields(r: dict[str, Any], cert: x509.Certificate, f: CertFacts | None, g: _Guard):
    key = f.issuer_der if f is not None and not f.errors else None
    hit = _ISSUER_TEXT.get(key) if key else None
    if hit is not None:
        r["issuer"], r["issuer_cn"] = hit
        return
    before = (len(g.errors), len(g.warnings), len(g._caught))
    r["issuer"] = g("issuer", lambda: name_text(cert.issuer))
    r["issuer_cn"] = g("issuer_cn", lambda: _common_name(cert.issuer))
    if key and before == (len(g.errors), len(g.warnings), len(g._caught)):
        if len(_ISSUER_TEXT) >= _ISSUER_TEXT_MAX:
            _ISSUER_TEXT.clear()
        _ISSUER_TEXT[key] = (r["issuer"], r["issuer_cn"])


# ---------------------------------------------------------------------------------------------
# Field readers. Each may raise: the guard turns that into a named decode error.
# ---------------------------------------------------------------------------------------------


def _facts(f: CertFacts | None) -> CertFacts:
    """The facts, or "unknown" (silently: the cause is already a decode error)."""
    if f is None or any(e.startswith("TBSCertificate:") for e in f.errors):
        raise _Unknown()  # facts could not walk the TBS: its defaults would be guesses
    return f


def serial_hex(serial: int) -> str:
    """Lowercase hex of the serial's magnitude in whole bytes, sign kept: ``-0a``, ``00``, ``7f``.

    The digits are what ``openssl x509 -serial`` prints, lowercased (identifier normalisation).
    """
    digits = f"{abs(serial):x}"
    if len(digits) % 2:
        digits = "0" + digits
    return ("-" if serial < 0 else "") + digits


def name_text(name: x509.Name) -> str:
    """RFC 4514 text, with OpenSSL's short names for attributes RFC 4514 leaves unnamed."""
    return name.rfc4514_string(_ATTRIBUTE_NAMES)


def _common_name(name: x509.Name) -> str | None:
    """The first commonName in DER order (as OpenSSL's ``X509_NAME_get_text_by_NID``)."""
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not values:
        return None
    value = values[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def _self_signed(cert: x509.Certificate, self_issued: bool | None) -> bool:
    """Self-issued and the signature verifies with the certificate's own public key.

    Verified with the key's own ``verify`` rather than ``verify_directly_issued_by``, which
    refuses SHA-1: several trusted roots are SHA-1 self-signed and still self-signed.
    """
    if self_issued is None:
        raise _Unknown()
    if not self_issued:
        return False
    try:
        _verify_with_own_key(cert)
    except InvalidSignature:
        return False
    except (UnsupportedAlgorithm, TypeError, ValueError) as exc:
        raise _Unknown(f"cannot check the signature ({type(exc).__name__}: {exc})") from exc
    return True


def _verify_with_own_key(cert: x509.Certificate) -> None:
    key = cert.public_key()
    signature, data = cert.signature, cert.tbs_certificate_bytes
    if isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        key.verify(signature, data)
        return
    algorithm = cert.signature_hash_algorithm
    if algorithm is None:
        raise TypeError(f"{type(key).__name__} with a hash-less signature algorithm")
    if isinstance(key, rsa.RSAPublicKey):
        pad = cert.signature_algorithm_parameters
        if pad is None and signature_algorithm(cert.signature_algorithm_oid).key_algorithm == "RSA":
            pad = padding.PKCS1v15()  # cryptography gives no parameters for md5WithRSA
        if not isinstance(pad, padding.PKCS1v15 | padding.PSS):
            raise TypeError("an RSA key with a non-RSA signature algorithm")
        key.verify(signature, data, pad, algorithm)
    elif isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(signature, data, ec.ECDSA(algorithm))
    elif isinstance(key, dsa.DSAPublicKey):
        key.verify(signature, data, algorithm)
    else:
        raise TypeError(f"cannot verify with a {type(key).__name__}")


def _days(not_before: _dt.datetime | None, not_after: _dt.datetime | None) -> float:
    if not_before is None or not_after is None:
        raise _Unknown()
    return (not_after - not_before).total_seconds() / 86400


_RAW_KEY_BITS: dict[type, int] = {
    ed25519.Ed25519PublicKey: 256,
    ed448.Ed448PublicKey: 456,
    x25519.X25519PublicKey: 256,
    x448.X448PublicKey: 448,
}


def _key_size(key: object) -> int | None:
    """Bits: modulus/curve/group size; raw public-key length for Edwards/Montgomery curves."""
    if key is None:
        raise _Unknown()
    size = getattr(key, "key_size", None)
    if isinstance(size, int):
        return size
    for cls, bits in _RAW_KEY_BITS.items():
        if isinstance(key, cls):
            return bits
    return None


def _curve(key: object) -> str | None:
    if key is None:
        raise _Unknown()
    curve = getattr(key, "curve", None)
    return None if curve is None else str(curve.name)


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


_PSS = next(a.oid for a in SIGNATURE_ALGORITHMS if a.openssl_name == "rsassaPss")


def _signature_hash(cert: x509.Certificate) -> str | None:
    """The digest named by the signature algorithm; RSASSA-PSS and unknown OIDs ask cryptography."""
    entry = signature_algorithm(cert.signature_algorithm_oid)
    if entry.known and entry.oid != _PSS:
        return entry.hash
    algorithm = cert.signature_hash_algorithm
    return None if algorithm is None else algorithm.name


def _present(f: CertFacts | None, oid: str) -> bool:
    return oid in _facts(f).extension_oids


def _failed(f: CertFacts, info_name: str) -> bool:
    """facts could not decode this extension (its errors start with the extension's name)."""
    return any(e.startswith(f"{info_name}:") for e in f.errors)


# --- subjectAltName ----------------------------------------------------------------------------


def _alternative_names(exts: x509.Extensions | None, f: CertFacts) -> list[str]:
    """``TYPE:value`` strings in certificate order; from our DER reader if cryptography refused."""
    raw = f.extension(EXT.SUBJECT_ALTERNATIVE_NAME.oid)
    if raw is None:
        return []
    if exts is not None:
        san = exts.get_extension_for_oid(EXT.SUBJECT_ALTERNATIVE_NAME.object_identifier).value
        return [_general_name(n) for n in san]  # type: ignore[attr-defined]
    return [_raw_general_name(tag, value) for tag, value in der.children(_unwrap_seq(raw.value))]


def _unwrap_seq(value: bytes) -> bytes:
    return der.unwrap(value, der.SEQUENCE)


def _general_name(n: x509.GeneralName) -> str:
    if isinstance(n, x509.DNSName):
        return f"DNS:{n.value}"
    if isinstance(n, x509.IPAddress):
        return f"IP:{n.value}"
    if isinstance(n, x509.RFC822Name):
        return f"email:{n.value}"
    if isinstance(n, x509.UniformResourceIdentifier):
        return f"URI:{n.value}"
    if isinstance(n, x509.DirectoryName):
        return f"DirName:{name_text(n.value)}"
    if isinstance(n, x509.RegisteredID):
        return f"RID:{n.value.dotted_string}"
    if isinstance(n, x509.OtherName):
        return f"othername:{other_name(n.type_id).label}:{_other_value(n.value)}"
    return f"{type(n).__name__}:{n.value!r}"


#: DER string types an otherName value may hold, and how to read their bytes.
_STRING_TAGS = {0x0C: "utf-8", 0x16: "ascii", 0x13: "ascii", 0x1E: "utf-16-be"}


def _other_value(value: bytes) -> str:
    """An otherName value as text when it is a string type, else ``#`` + hex of its DER."""
    tag, start, end = der.read_tlv(value)
    if tag in _STRING_TAGS and end == len(value):
        return value[start:end].decode(_STRING_TAGS[tag], "replace")
    return "#" + value.hex()


def _raw_general_name(tag: int, value: bytes) -> str:
    """GeneralName (RFC 5280 §4.2.1.6) from DER, for SANs cryptography cannot decode."""
    if tag in (0x81, 0x82, 0x86):
        prefix = {0x81: "email", 0x82: "DNS", 0x86: "URI"}[tag]
        return f"{prefix}:{value.decode('ascii', 'replace')}"
    if tag == 0x87:
        return f"IP:{ipaddress.ip_address(value)}"
    if tag == 0x88:
        return f"RID:{der.oid_text(value)}"
    if tag == 0xA0:
        parts = der.children(value)
        type_id = der.oid_text(parts[0][1])
        inner = parts[1][1] if len(parts) > 1 and parts[1][0] == 0xA0 else b""
        return f"othername:{other_name(type_id).label}:{_other_value(inner) if inner else ''}"
    if tag == 0xA4:
        return f"DirName:#{value.hex()}"
    return f"[{tag & 0x1F}]:#{value.hex()}"


def _dns_names(alternative_names: list[str] | None) -> list[str]:
    if alternative_names is None:
        raise _Unknown()
    return [a[4:] for a in alternative_names if a.startswith("DNS:")]


# --- purpose extensions, from certlib.cert.facts
# ------------------------------------------------------


def _eku_oids(f: CertFacts) -> list[str] | None:
    if f.eku is None and _failed(f, EXT.EXTENDED_KEY_USAGE.name):
        raise _Unknown()
    return list(f.eku or ())


def _eku_names(oids: list[str] | None) -> list[str]:
    """RFC/ASN.1 short names (``serverAuth``); an unknown OID stands for itself."""
    if oids is None:
        raise _Unknown()
    return [eku(o).short_name for o in oids]


def _key_usage(f: CertFacts) -> list[str]:
    if f.key_usage is None and _failed(f, EXT.KEY_USAGE.name):
        raise _Unknown()
    bits = f.key_usage or frozenset()
    return [b.name for b in KU_BITS if b.name in bits]


def _is_ca(f: CertFacts) -> bool:
    if _failed(f, EXT.BASIC_CONSTRAINTS.name):
        raise _Unknown()
    return f.bc_ca


def _path_length(f: CertFacts) -> int | None:
    if _failed(f, EXT.BASIC_CONSTRAINTS.name):
        raise _Unknown()
    return f.path_length


def _ns_cert_type(f: CertFacts) -> list[str] | None:
    if f.ns_cert_type is None:
        if _failed(f, EXT.NETSCAPE_CERT_TYPE.name):
            raise _Unknown()
        return None
    return [b.name for b in NS_CERT_TYPE_BITS if b.name in f.ns_cert_type]


def _app_policies(f: CertFacts) -> list[str] | None:
    if f.ms_application_policies is None:
        if _failed(f, EXT.MS_APPLICATION_POLICIES.name):
            raise _Unknown()
        return None
    return list(f.ms_application_policies)


def _unknown_critical(f: CertFacts) -> list[str]:
    out: list[str] = []
    for e in f.extensions:
        if e.critical and e.oid not in HANDLED_CRITICAL_EXTENSIONS and e.oid not in out:
            out.append(e.oid)
    return out


# ---------------------------------------------------------------------------------------------
# The fast path: every field in one go, from the DER facts already walks.
#
# Reading each field behind its own guard and lambda, parsing Names and the SAN into
# cryptography objects, re-encoding the certificate for each fingerprint and the TBS for the
# facts made decode cost ~150 µs for a plain leaf. Here the row is built straight from the raw
# DER for the common case, and anything unusual (any exception, any warning, a facts error, a
# duplicate extension, a Name or SAN this reader does not handle, a negative serial) gives up:
# the guarded path then reads the certificate from scratch, so rows with errors or warnings are
# unchanged. tests/test_decode_fast.py checks both paths give the same row on every corpus.
# cryptography accessors that warn once per object and then cache (the Names) are never touched
# here, and ``.extensions`` is asked of a throwaway copy, so the guarded path still sees them.
# ---------------------------------------------------------------------------------------------


class _GiveUp(Exception):
    """The fast path does not handle this certificate: use the guarded path."""


def _decode_fast(cert: x509.Certificate, der_bytes: bytes | None) -> dict[str, Any] | None:
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            row = _read_fast(cert, der_bytes)
    except Exception:  # _GiveUp, or anything the guarded path will name field by field
        return None
    return None if caught else row


def _read_fast(cert: x509.Certificate, der_bytes: bytes | None) -> dict[str, Any]:
    if der_bytes is None:
        der_bytes = cert.public_bytes(Encoding.DER)
    elif type(der_bytes) is not bytes or not der_bytes.endswith(cert.signature):
        raise _GiveUp  # not (as bytes) this certificate's DER: its facts must not be cached
    if der_bytes[:2] == b"\x30\x82" and der_bytes[4:6] == b"\x30\x82":  # 256 B to 64 kB
        start, end = 4, 4 + (der_bytes[2] << 8 | der_bytes[3])
        tbs_end = 8 + (der_bytes[6] << 8 | der_bytes[7])
    else:
        tag, start, end = der.read_tlv(der_bytes)
        tbs_tag, _s, tbs_end = der.read_tlv(der_bytes, start)
        if tag != der.SEQUENCE or tbs_tag != der.SEQUENCE:
            raise _GiveUp
    if end != len(der_bytes) or tbs_end > end:
        raise _GiveUp  # not one certificate's DER: cryptography's fingerprints will say
    f = _facts_from_tbs(cert, der_bytes[start:tbs_end])
    if f.errors or not f.spki_der.startswith(b"\x30"):
        raise _GiveUp  # _failed() and _facts() may say "unknown": the guarded path knows how
    serial = f.serial
    if serial <= 0 or serial.bit_length() > 159:  # cryptography may warn about these
        raise _GiveUp
    ext_oids, unknown_critical, alternative_names = _extension_fields(der_bytes, f)
    subject, subject_cn = _name_fields(f.subject_der, memo=False)  # unique: RDN memo only
    issuer, issuer_cn = _name_fields(f.issuer_der)
    self_issued = f.subject_der == f.issuer_der
    not_before = cert.not_valid_before_utc
    not_after = cert.not_valid_after_utc
    key_fields = _ec_key_fields(f.spki_der)
    if key_fields is None:
        key = cert.public_key()
        pk_oid = cert.public_key_algorithm_oid
        pk_algorithm = _PK_ALGORITHM.get(pk_oid)
        if pk_algorithm is None:
            pk_algorithm = _memo(_PK_ALGORITHM, pk_oid, public_key_algorithm(pk_oid).name)
        key_fields = (_key_size(key), _curve(key), pk_algorithm)
    sig_name, sig_hash = _signature_fields(cert)
    eku_oids = list(f.eku or ())
    key_usage = f.key_usage
    ns = f.ns_cert_type
    policies = f.ms_application_policies
    return {
        "sha256": hashlib.sha256(der_bytes).hexdigest(),
        "sha1": hashlib.sha1(der_bytes).hexdigest(),
        "serial_number": serial_hex(serial),
        "version": f.version,
        "subject": subject,
        "subject_cn": subject_cn,
        "issuer": issuer,
        "issuer_cn": issuer_cn,
        "self_issued": self_issued,
        "self_signed": _self_signed(cert, True) if self_issued else False,
        "not_before": not_before,
        "not_after": not_after,
        "validity_days": (not_after - not_before).total_seconds() / 86400,
        "public_key_algorithm": key_fields[2],
        "public_key_size": key_fields[0],
        "public_key_curve": key_fields[1],
        "spki_sha256": hashlib.sha256(f.spki_der).hexdigest(),
        "signature_algorithm": sig_name,
        "signature_hash": sig_hash if sig_hash is not _ASK else _signature_hash(cert),
        "san_present": _SAN in ext_oids,
        "alternative_names": alternative_names,
        "dns_names": [a[4:] for a in alternative_names if a.startswith("DNS:")],
        "eku_present": _EKU in ext_oids,
        "eku_critical": f.eku_critical,
        "eku_oids": eku_oids,
        "eku_names": [_eku_short_name(o) for o in eku_oids],
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


_EKU = EXT.EXTENDED_KEY_USAGE.oid
_KU = EXT.KEY_USAGE.oid
_BC = EXT.BASIC_CONSTRAINTS.oid
_KU_NAMES = tuple(b.name for b in KU_BITS)
_NS_NAMES = tuple(b.name for b in NS_CERT_TYPE_BITS)
_BIT_NAMES: dict[tuple[frozenset[str], tuple[str, ...]], tuple[str, ...]] = {}


def _bit_names(bits: frozenset[str], names: tuple[str, ...]) -> list[str]:
    """``[n for n in names if n in bits]`` (what _key_usage and _ns_cert_type list), memoised."""
    hit = _BIT_NAMES.get((bits, names))
    if hit is None:
        hit = _memo(_BIT_NAMES, (bits, names), tuple(n for n in names if n in bits))
    return list(hit)


def _memo(table: dict[Any, _T], key: Any, value: _T) -> _T:
    """``table[key] = value`` unless the table is full (hostile input: many distinct OIDs)."""
    if len(table) < _MEMO_MAX:
        table[key] = value
    return value


_MEMO_MAX = 1024


_PK_ALGORITHM: dict[x509.ObjectIdentifier, str] = {}
_ASK = object()  # "ask cryptography for this certificate's signature hash"
_SIGNATURE: dict[x509.ObjectIdentifier, tuple[str | None, object]] = {}


def _signature_fields(cert: x509.Certificate) -> tuple[str | None, object]:
    """(openssl name, hash or _ASK) of the signature algorithm, memoised on its OID."""
    oid = cert.signature_algorithm_oid
    hit = _SIGNATURE.get(oid)
    if hit is None:
        entry = signature_algorithm(oid)
        hit = (entry.openssl_name, entry.hash if entry.known and entry.oid != _PSS else _ASK)
        _memo(_SIGNATURE, oid, hit)
    return hit


def _curve_id(curve: str) -> bytes:
    """The SubjectPublicKeyInfo AlgorithmIdentifier of an EC key on a named ``curve``."""
    ec_oid = next(p.oid for p in PUBLIC_KEY_ALGORITHMS if p.name == "EC")
    return der.encode_sequence(der.encode_oid(ec_oid), der.encode_oid(EC_CURVES[curve]))


#: The named-curve AlgorithmIdentifier DER of the NIST curves -> (bits, name, p, b): a = -3.
_EC_CURVES: dict[bytes, tuple[int, str, int, int]] = {
    _curve_id("secp256r1"): (
        256,
        "secp256r1",
        2**256 - 2**224 + 2**192 + 2**96 - 1,
        0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
    ),
    _curve_id("secp384r1"): (
        384,
        "secp384r1",
        2**384 - 2**128 - 2**96 + 2**32 - 1,
        int(
            "B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875A"
            "C656398D8A2ED19D2A85C8EDD3EC2AEF",
            16,
        ),
    ),
    _curve_id("secp521r1"): (
        521,
        "secp521r1",
        2**521 - 1,
        int(
            "0051953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF1"
            "09E156193951EC7E937B1652C0BD3BB1BF073573DF883D2C34F1EF451FD46B503F00",
            16,
        ),
    ),
}


def _spki_prefix(alg: bytes, size: int) -> bytes:
    """The SPKI DER up to X for a named-curve key as an uncompressed point of ``size``-byte
    coordinates: SEQUENCE { alg, BIT STRING { 0 unused bits, 0x04, X, Y } }."""
    bit_string = der.encode_tlv(der.BIT_STRING, b"\x00\x04" + bytes(2 * size))
    whole = der.encode_sequence(alg, bit_string)
    return whole[: len(whole) - 2 * size]


_EC_ALGORITHM = "EC"  # the prefixes' id-ecPublicKey (_curve_id), by its oids name
#: Length of the SPKI DER -> (its fixed prefix, key size, curve name, p, b) per NIST curve.
_EC_SPKI: dict[int, tuple[bytes, int, str, int, int]] = {
    len(prefix) + 2 * ((bits + 7) // 8): (prefix, bits, name, p, b)
    for alg, (bits, name, p, b) in _EC_CURVES.items()
    for prefix in [_spki_prefix(alg, (bits + 7) // 8)]
}


def _ec_key_fields(spki: bytes) -> tuple[int, str, str] | None:
    """(key size, curve, algorithm name) of a P-256/384/521 key given as an uncompressed point
    on its curve: exactly the keys cryptography's ``public_key()`` loads (OpenSSL checks the
    point is on the curve; these curves have cofactor 1), without building the key (~5 µs).
    None for any other key, which is then left to cryptography."""
    entry = _EC_SPKI.get(len(spki))
    if entry is None:
        return None
    prefix, bits, name, p, b = entry
    start = len(prefix)
    if not spki.startswith(prefix):
        return None
    size = (len(spki) - start) // 2
    x = int.from_bytes(spki[start : start + size], "big")
    y = int.from_bytes(spki[start + size :], "big")
    if x >= p or y >= p or (y * y - x * x * x + 3 * x - b) % p:
        return None
    return bits, name, _EC_ALGORITHM


_EKU_SHORT: dict[str, str] = {}


def _eku_short_name(oid: str) -> str:
    name = _EKU_SHORT.get(oid)
    if name is None:
        name = _memo(_EKU_SHORT, oid, eku(oid).short_name)
    return name


# --- Names: RFC 4514 text straight from the DER ------------------------------------------------

#: Attribute type OID -> the name cryptography's ``rfc4514_string`` prints with our overrides.
_ATTRIBUTE_TEXT: dict[str, str] = {**NAME_ATTRIBUTE_RFC4514_NAMES, **NAME_ATTRIBUTE_SHORT_NAMES}
_OID_BY_TEXT = {text: oid for oid, text in _ATTRIBUTE_TEXT.items()}
#: cryptography warns (and we then want the guarded path) when these UTF-8 lengths are off.
_LENGTH_LIMITS: dict[str, tuple[int, int]] = {
    _OID_BY_TEXT["C"]: (2, 2),
    _OID_BY_TEXT["jurisdictionC"]: (2, 2),
    _OID_BY_TEXT["CN"]: (1, 64),
}
_PRINTABLE = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?"
)
_CN = _OID_BY_TEXT["CN"]
#: Name DER -> (RFC 4514 text, first CN): a pile of certificates has few issuers.
_NAME_TEXT: dict[bytes, tuple[str, str | None]] = {}
#: RDN DER -> (its RFC 4514 text, its CN value or None): subjects differ, but mostly only in
#: their CN; their C, O, OU, L and ST RDNs repeat.
_RDN_TEXT: dict[bytes, tuple[str, str | None]] = {}
_NAME_TEXT_MAX = 4096


def _name_fields(name_der: bytes, memo: bool = True) -> tuple[str, str | None]:
    """``(name_text(name), _common_name(name))`` without building cryptography's Name."""
    hit = _NAME_TEXT.get(name_der) if memo else None
    if hit is None:
        hit = _name_fields_from_der(name_der)
        if memo:
            if len(_NAME_TEXT) >= _NAME_TEXT_MAX:
                _NAME_TEXT.clear()
            _NAME_TEXT[name_der] = hit
    return hit


def _name_fields_from_der(name_der: bytes) -> tuple[str, str | None]:
    """The common Name only: single-valued RDNs of UTF8String, PrintableString or ASCII
    IA5String values under an attribute type with a short name; else :class:`_GiveUp`."""
    outer = _strict_spans(name_der, 0, len(name_der))
    if len(outer) != 1 or outer[0][0] != der.SEQUENCE:
        raise _GiveUp
    parts: list[str] = []
    cn: str | None = None
    for rdn_tag, rdn_start, _vs, rdn_end in _strict_spans(name_der, outer[0][2], outer[0][3]):
        if rdn_tag != der.SET:
            raise _GiveUp
        rdn = name_der[rdn_start:rdn_end]
        hit = _RDN_TEXT.get(rdn)
        if hit is None:
            hit = _rdn_fields(rdn)
            if hit[1] is None:  # a CN is most often the one thing that differs: not kept
                if len(_RDN_TEXT) >= _NAME_TEXT_MAX:
                    _RDN_TEXT.clear()
                _RDN_TEXT[rdn] = hit
        parts.append(hit[0])
        if cn is None:
            cn = hit[1]
    return ",".join(reversed(parts)), cn


def _rdn_fields(rdn: bytes) -> tuple[str, str | None]:
    """One single-valued RDN (its whole SET) -> (``attr=escaped value``, the value if a CN)."""
    n = len(rdn)
    oid_len = rdn[5] if n > 7 else 0
    if (  # SET { SEQUENCE { OID, value } }, every length in short form: no walk needed
        8 <= n < 0x82
        and rdn[0] == der.SET
        and rdn[1] == n - 2
        and rdn[2] == der.SEQUENCE
        and rdn[3] == n - 4
        and rdn[4] == der.OID
        and 8 + oid_len <= n
        and rdn[7 + oid_len] == n - 8 - oid_len
    ):
        oid_der = rdn[6 : 6 + oid_len]
        value_tag = rdn[6 + oid_len]
        raw = rdn[8 + oid_len :]
    else:
        (_set, _o, set_start, set_end), *_more = _strict_spans(rdn, 0, n)
        atvs = _strict_spans(rdn, set_start, set_end)
        if len(atvs) != 1 or atvs[0][0] != der.SEQUENCE:
            raise _GiveUp  # multi-valued (or empty) RDN
        kids = _strict_spans(rdn, atvs[0][2], atvs[0][3])
        if len(kids) != 2 or kids[0][0] != der.OID:
            raise _GiveUp
        oid_der = rdn[kids[0][2] : kids[0][3]]
        value_tag = kids[1][0]
        raw = rdn[kids[1][2] : kids[1][3]]
    oid = der.oid_text(oid_der)
    attr = _ATTRIBUTE_TEXT.get(oid)
    if attr is None:
        raise _GiveUp
    if value_tag == 0x0C:  # UTF8String
        value = raw.decode("utf-8")
    elif _ascii_string(value_tag, raw):
        value = raw.decode("ascii")
    else:
        raise _GiveUp
    limits = _LENGTH_LIMITS.get(oid)
    if limits is not None and not limits[0] <= len(raw) <= limits[1]:
        raise _GiveUp  # cryptography warns about the length
    return f"{attr}={_escape(value)}", value if oid == _CN else None


def _ascii_string(tag: int, raw: bytes) -> bool:
    """A PrintableString in its character set, or an IA5String of ASCII (which cryptography
    reads as UTF-8: the same text)."""
    return (tag == 0x13 and _PRINTABLE.issuperset(raw)) or (tag == 0x16 and raw.isascii())


_NEEDS_ESCAPE = re.compile(r'[\\"+,;<>\x00]|\A[# ]|[ ]\Z')


def _escape(value: str) -> str:
    """cryptography's RFC 4514 value escaping (``x509.name._escape_dn_value``), verbatim."""
    if not value:
        return ""
    if _NEEDS_ESCAPE.search(value) is None:
        return value  # nothing below would change it
    value = value.replace("\\", "\\\\")
    value = value.replace('"', '\\"')
    value = value.replace("+", "\\+")
    value = value.replace(",", "\\,")
    value = value.replace(";", "\\;")
    value = value.replace("<", "\\<")
    value = value.replace(">", "\\>")
    value = value.replace("\0", "\\00")
    if value[0] == "#" or (value[0] == " " and len(value) > 1):
        value = "\\" + value
    if value[-1] == " ":
        value = value[:-1] + "\\ "
    return value


def _strict_unwrap(data: bytes, expected_tag: int) -> bytes:
    kids = _strict_spans(data, 0, len(data))
    if len(kids) != 1 or kids[0][0] != expected_tag:
        raise _GiveUp
    return data[kids[0][2] : kids[0][3]]


def _strict_children(data: bytes) -> list[tuple[int, bytes]]:
    return [(tag, data[s:e]) for tag, _o, s, e in _strict_spans(data, 0, len(data))]


def _strict_spans(data: bytes, offset: int, end: int) -> list[tuple[int, int, int, int]]:
    """``(tag, offset, value_start, value_end)`` of the elements from ``offset`` to ``end``, as
    cryptography's strict DER reader would accept them: a non-minimal length, a multi-byte tag
    or an element running past ``end`` gives up (our lenient reader would take them)."""
    out: list[tuple[int, int, int, int]] = []
    while offset < end:
        if offset + 2 > end:
            raise _GiveUp
        tag = data[offset]
        length = data[offset + 1]
        start = offset + 2
        if tag & 0x1F == 0x1F:
            raise _GiveUp
        if length >= 0x80:
            if length == 0x81 and start < end and data[start] >= 0x80:
                length = data[start]
                start += 1
            elif length == 0x82 and start + 1 < end and data[start]:
                length = data[start] << 8 | data[start + 1]
                start += 2
            else:
                raise _GiveUp
        stop = start + length
        if stop > end:
            raise _GiveUp
        out.append((tag, offset, start, stop))
        offset = stop
    return out


# --- subjectAltName: straight from the DER when cryptography would accept it -------------------

#: Extension DERs cryptography has parsed without complaint: acceptance is a function of the
#: extension's bytes alone, so a certificate whose extensions are all here (or are a SAN or SKI
#: this module checks as strictly) needs no ``cert.extensions`` to know it would not raise.
_ACCEPTED: set[bytes] = set()
_ACCEPTED_MAX = 4096
_SAN = EXT.SUBJECT_ALTERNATIVE_NAME.oid
_SKI = EXT.SUBJECT_KEY_IDENTIFIER.oid
_SCT_LIST = EXT.CT_SCT_LIST.oid  # precertificate SCTs: every public TLS leaf has its own
_SAN_PREFIX = {0x81: "email:", 0x82: "DNS:", 0x86: "URI:"}
_PER_CERTIFICATE = frozenset({_SAN, _SKI, _SCT_LIST})


def _extension_fields(der_bytes: bytes, f: CertFacts) -> tuple[list[str], list[str], list[str]]:
    """``extension_oids``, ``unknown_critical_extensions`` and ``alternative_names`` in one pass,
    proving on the way that ``cert.extensions`` would neither raise nor warn (else asking)."""
    oids: list[str] = []
    unknown_critical: list[str] = []
    names: list[str] | None = []
    checked = f.version == 3 and bool(f.extension_ders)
    for ext, ext_der in zip(f.extensions, f.extension_ders, strict=True):
        oid = ext.oid
        if oid in oids:
            raise _GiveUp  # cryptography refuses duplicates: the guarded path names that
        oids.append(oid)
        if ext.critical and oid not in HANDLED_CRITICAL_EXTENSIONS:
            unknown_critical.append(oid)
        if oid == _SAN:
            names = _san_from_der(ext.value)
            if names is not None:
                continue  # what cryptography accepts, read as it would
        if ext_der in _ACCEPTED:
            continue
        if oid == _SKI and _is_octet_string(ext.value):
            continue
        if oid == _SCT_LIST and _is_sct_list(ext.value):
            continue
        checked = False
    if checked and names is not None:
        return oids, unknown_critical, names
    exts = _probe_extensions(der_bytes)
    if len(_ACCEPTED) >= _ACCEPTED_MAX:
        _ACCEPTED.clear()
    _ACCEPTED.update(  # what a CA repeats; per-certificate extensions would only churn the set
        d
        for e, d in zip(f.extensions, f.extension_ders, strict=True)
        if e.oid not in _PER_CERTIFICATE
    )
    return oids, unknown_critical, names if names is not None else _alternative_names(exts, f)


def _probe_extensions(der_bytes: bytes) -> x509.Extensions:
    """``.extensions`` of a throwaway copy of the certificate; :class:`_GiveUp` if it warns.

    Not of ``cert`` itself: cryptography parses the extensions once per object and warns only
    then (a UTF-8 VisibleString in a policy's explicit text), so asking ``cert`` here would hide
    that warning from the guarded path if this one gives up.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exts = x509.load_der_x509_certificate(der_bytes).extensions  # raises: guarded path says
    if caught:
        raise _GiveUp
    return exts


def _san_from_der(value: bytes) -> list[str] | None:
    """dNSName, rfc822Name, URI and IPv4/IPv6 iPAddress entries, or None for anything else."""
    try:
        entries = _strict_children(_strict_unwrap(value, der.SEQUENCE))
    except _GiveUp:
        return None
    if not entries:
        return None
    out: list[str] = []
    for tag, raw in entries:
        prefix = _SAN_PREFIX.get(tag)
        if prefix is not None and raw and raw.isascii():
            out.append(prefix + raw.decode("ascii"))
        elif tag == 0x87 and len(raw) in (4, 16):
            out.append(f"IP:{ipaddress.ip_address(raw)}")
        else:
            return None
    return out


def _is_sct_list(value: bytes) -> bool:
    """A SignedCertificateTimestampList (RFC 6962 §3.3) in an OCTET STRING that cryptography's
    parser accepts: v1 SCTs with known hash and signature algorithms. Stricter than it (no byte
    may be left over anywhere, the list may not be empty), so anything odd is left to it."""
    if not _is_octet_string(value):
        return False
    data = _strict_unwrap(value, der.OCTET_STRING)
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


def _is_octet_string(value: bytes) -> bool:
    if len(value) >= 2 and value[0] == der.OCTET_STRING and value[1] == len(value) - 2 < 0x80:
        return True  # the usual short SKI, checked without a walk
    try:
        _strict_unwrap(value, der.OCTET_STRING)
    except _GiveUp:
        return False
    return True
