"""What a certificate says about its own use, read once and robustly.

Every profile and the decoder need the same handful of facts (EKU OIDs, KU bits, basic
constraints, Netscape cert type, Microsoft application policies, key identifiers). They are read
here from the raw TBSCertificate (:mod:`certlib.cert.der`) rather than through cryptography's
extension classes, because the certificates that matter most for teaching — an empty EKU
SEQUENCE, a KU with no bits, a Netscape cert type — are exactly the ones cryptography refuses or
leaves opaque. A fact that cannot be read is recorded in ``errors`` and the rest still comes back.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from cryptography import x509

from certlib.cert import der
from certlib.core.oids import EXT, KU_BITS, NS_CERT_TYPE_BITS

__all__ = ["CertFacts", "facts"]


@dataclass(frozen=True)
class CertFacts:
    """The purpose-relevant content of one certificate. ``None`` means "extension absent"."""

    version: int
    serial: int
    subject_der: bytes
    issuer_der: bytes
    extensions: tuple[der.RawExtension, ...]
    # Extended Key Usage (RFC 5280 §4.2.1.12); () is an empty SEQUENCE, None is absent.
    eku: tuple[str, ...] | None
    eku_critical: bool
    # Key Usage (§4.2.1.3): bit names from oids.KU_BITS; frozenset() is a KU with no bits set.
    key_usage: frozenset[str] | None
    ku_critical: bool
    ku_openssl_mask: int  # OpenSSL's ex_kusage: first byte | second byte << 8
    # Basic constraints (§4.2.1.9); bc_ca is False when the extension is absent.
    bc_present: bool
    bc_critical: bool
    bc_ca: bool
    path_length: int | None
    # Netscape cert type (2.16.840.1.113730.1.1): bit names from oids.NS_CERT_TYPE_BITS.
    ns_cert_type: frozenset[str] | None
    ns_openssl_mask: int  # OpenSSL's ex_nscert: the first byte
    ms_application_policies: tuple[str, ...] | None
    san_present: bool
    subject_key_id: bytes | None
    authority_key_id: bytes | None
    errors: tuple[str, ...]
    # By-products of the TBS walk for certlib.cert.decode (not facts: left out of ==/repr).
    spki_der: bytes = field(default=b"", compare=False, repr=False)
    extension_ders: tuple[bytes, ...] = field(default=(), compare=False, repr=False)

    @property
    def self_issued(self) -> bool:
        """Subject and issuer are the same name (byte-for-byte DER comparison)."""
        return self.subject_der == self.issuer_der

    @property
    def extension_oids(self) -> tuple[str, ...]:
        return tuple(e.oid for e in self.extensions)

    def extension(self, oid: str) -> der.RawExtension | None:
        """The first extension with this OID, or None."""
        return next((e for e in self.extensions if e.oid == oid), None)

    def duplicated(self) -> tuple[str, ...]:
        """OIDs that appear more than once (RFC 5280 §4.2: MUST NOT)."""
        seen: set[str] = set()
        dup: list[str] = []
        for oid in self.extension_oids:
            if oid in seen and oid not in dup:
                dup.append(oid)
            seen.add(oid)
        return tuple(dup)


def _oid_sequence(value: bytes) -> tuple[str, ...]:
    out = []
    for tag, v in der.children(der.unwrap(value, der.SEQUENCE)):
        if tag != der.OID:
            raise der.DerError(f"a KeyPurposeId is not an OBJECT IDENTIFIER (tag 0x{tag:02x})")
        out.append(der.oid_text(v))
    return tuple(out)


def _bits(value: bytes, names: tuple[str, ...]) -> tuple[frozenset[str], bytes]:
    data, _unused = der.bit_string(der.unwrap(value, der.BIT_STRING))
    found = {
        name
        for i, name in enumerate(names)
        if i // 8 < len(data) and data[i // 8] & (0x80 >> (i % 8))
    }
    return frozenset(found), data


def _basic_constraints(value: bytes) -> tuple[bool, int | None]:
    ca = False
    path: int | None = None
    for tag, v in der.children(der.unwrap(value, der.SEQUENCE)):
        if tag == der.BOOLEAN:
            ca = der.parse_bool(v)
        elif tag == der.INTEGER:
            path = der.parse_int(v)
    return ca, path


def _app_policies(value: bytes) -> tuple[str, ...]:
    out = []
    for _t, info in der.children(der.unwrap(value, der.SEQUENCE)):
        parts = der.children(info)
        if parts and parts[0][0] == der.OID:
            out.append(der.oid_text(parts[0][1]))
    return tuple(out)


def _aki_key_id(value: bytes) -> bytes | None:
    for tag, v in der.children(der.unwrap(value, der.SEQUENCE)):
        if tag == 0x80:
            return v
    return None


_KU_NAMES = tuple(b.name for b in KU_BITS)
_NS_NAMES = tuple(b.name for b in NS_CERT_TYPE_BITS)


#: id(cert) -> (cert, facts) for the certificates being judged right now. A verdict asks for
#: the facts of the same few objects dozens of times; hashing a certificate (its whole DER) for
#: the lru_cache each time costs more than the lookup. Holding ``cert`` keeps its id unique.
_RECENT: dict[int, tuple[x509.Certificate, CertFacts]] = {}
_RECENT_MAX = 256


def facts(cert: x509.Certificate) -> CertFacts:
    """Read the purpose-relevant facts of ``cert``; never raises for malformed extensions."""
    hit = _RECENT.get(id(cert))
    if hit is not None and hit[0] is cert:
        return hit[1]
    f = _facts(cert)
    _remember(cert, f)
    return f


def _facts_from_tbs(cert: x509.Certificate, tbs: bytes) -> CertFacts:
    """:func:`facts` for a caller that already holds ``cert.tbs_certificate_bytes``.

    cryptography re-encodes the TBS on every access (~5 µs); certlib.cert.decode slices it out of
    the certificate's DER, which it needs anyway for the fingerprints.
    """
    hit = _RECENT.get(id(cert))
    if hit is not None and hit[0] is cert:
        return hit[1]
    f = _from_tbs(tbs)
    _remember(cert, f)
    return f


def _remember(cert: x509.Certificate, f: CertFacts) -> None:
    if len(_RECENT) >= _RECENT_MAX:
        _RECENT.clear()
    _RECENT[id(cert)] = (cert, f)


def _cache_clear() -> None:
    _RECENT.clear()
    _facts.cache_clear()
    _EXTENSION_FACTS.clear()
    _SHARED_VALUES.clear()


facts.cache_clear = _cache_clear  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=8192)
def _facts(cert: x509.Certificate) -> CertFacts:
    return _from_tbs(cert.tbs_certificate_bytes)


_DEFAULTS: dict[str, object] = {
    "eku": None,
    "eku_critical": False,
    "key_usage": None,
    "ku_critical": False,
    "ku_openssl_mask": 0,
    "bc_present": False,
    "bc_critical": False,
    "bc_ca": False,
    "path_length": None,
    "ns_cert_type": None,
    "ns_openssl_mask": 0,
    "ms_application_policies": None,
    "san_present": False,
    "subject_key_id": None,
    "authority_key_id": None,
}

if set(_DEFAULTS) | {
    "version",
    "serial",
    "subject_der",
    "issuer_der",
    "extensions",
    "errors",
    "spki_der",
    "extension_ders",
} != {f.name for f in fields(CertFacts)}:  # pragma: no cover - a guard for future edits
    raise RuntimeError("facts._DEFAULTS no longer covers every CertFacts field")

#: Extension DER -> (what it sets, its error or None). What an extension says is a function of
#: its bytes alone, and CA-issued certificates repeat the same EKU/KU/BC/AKI bytes.
_EXTENSION_FACTS: dict[bytes, tuple[tuple[tuple[str, object], ...], str | None]] = {}
_EXTENSION_FACTS_MAX = 4096


def _from_tbs(tbs_bytes: bytes) -> CertFacts:
    errors: list[str] = []
    try:
        tbs = der.tbs_fields(tbs_bytes)
    except der.DerError as exc:  # cryptography accepted it, so this is rare: keep going, say so
        errors.append(f"TBSCertificate: cannot walk ({exc})")
        tbs = der.TbsFields(3, b"\x00", b"", b"", ())
    values = _extension_values(tbs, errors)
    values["version"] = tbs.version
    values["serial"] = der.parse_int(tbs.serial)
    values["subject_der"] = tbs.subject
    values["issuer_der"] = tbs.issuer
    values["extensions"] = tbs.extensions
    values["errors"] = tuple(errors)
    values["spki_der"] = tbs.spki
    values["extension_ders"] = tbs.extension_ders
    # The frozen dataclass __init__ sets 23 fields through object.__setattr__ (~2.5 µs, a fifth
    # of this function); filling __dict__ gives the same object (the check under _DEFAULTS makes
    # sure every field is in ``values``).
    f = object.__new__(CertFacts)
    f.__dict__.update(values)
    return f


_SAN = EXT.SUBJECT_ALTERNATIVE_NAME.oid
_SKI = EXT.SUBJECT_KEY_IDENTIFIER.oid
#: The DERs of a certificate's extensions other than SAN and SKI (the ones a CA repeats) ->
#: (the values they set over _DEFAULTS, their errors in order).
_SHARED_VALUES: dict[tuple[bytes, ...], tuple[dict[str, object], tuple[str, ...]]] = {}


def _extension_values(tbs: der.TbsFields, errors: list[str]) -> dict[str, object]:
    """The extension fields: :func:`_each_extension`'s answer, memoised on the extensions a CA
    repeats (SAN and SKI differ per certificate, and are read here directly)."""
    shared: list[bytes] = []
    san = False
    ski: der.RawExtension | None = None
    for ext, ext_der in zip(tbs.extensions, tbs.extension_ders, strict=True):
        if ext.oid == _SAN:
            san = True
        elif ext.oid == _SKI:
            if ski is None:
                ski = ext
        else:
            shared.append(ext_der)
    ski_value = None
    if ski is not None:
        try:
            ski_value = der.unwrap(ski.value, der.OCTET_STRING)
        except der.DerError:
            return _each_extension(tbs, errors)  # its error goes where it stands
    key = tuple(shared)
    hit = _SHARED_VALUES.get(key)
    if hit is None:
        shared_errors: list[str] = []
        others = [
            (e, d)
            for e, d in zip(tbs.extensions, tbs.extension_ders, strict=True)
            if e.oid not in (_SAN, _SKI)
        ]
        hit = (_each_extension_of(others, shared_errors), tuple(shared_errors))
        if len(_SHARED_VALUES) >= _EXTENSION_FACTS_MAX:
            _SHARED_VALUES.clear()
        _SHARED_VALUES[key] = hit
    values = dict(hit[0])
    errors.extend(hit[1])
    values["san_present"] = san
    values["subject_key_id"] = ski_value
    return values


def _each_extension(tbs: der.TbsFields, errors: list[str]) -> dict[str, object]:
    return _each_extension_of(zip(tbs.extensions, tbs.extension_ders, strict=True), errors)


def _each_extension_of(
    extensions: Iterable[tuple[der.RawExtension, bytes]], errors: list[str]
) -> dict[str, object]:
    """Each extension in order, the first of an OID only; per-extension results memoised."""
    values = dict(_DEFAULTS)
    seen: set[str] = set()
    for ext, ext_der in extensions:
        if ext.oid in seen:
            continue  # the first occurrence counts; duplicates are reported by duplicated()
        seen.add(ext.oid)
        hit = _EXTENSION_FACTS.get(ext_der)
        if hit is None:
            hit = _extension_facts(ext)
            if len(_EXTENSION_FACTS) >= _EXTENSION_FACTS_MAX:
                _EXTENSION_FACTS.clear()
            _EXTENSION_FACTS[ext_der] = hit
        values.update(hit[0])
        if hit[1] is not None:
            errors.append(hit[1])
    return values


def _extension_facts(ext: der.RawExtension) -> tuple[tuple[tuple[str, object], ...], str | None]:
    """What one extension sets (even partly, before a decode error) and its error, if any."""
    delta: dict[str, object] = {}
    error = None
    try:
        _read_extension(ext, delta)
    except der.DerError as exc:
        error = f"{_name(ext.oid)}: cannot decode ({exc})"
    return tuple(delta.items()), error


def _name(oid: str) -> str:
    from certlib.core.oids import extension

    return extension(oid).name


def _read_extension(ext: der.RawExtension, v: dict[str, object]) -> None:
    if ext.oid == EXT.EXTENDED_KEY_USAGE.oid:
        v["eku_critical"] = ext.critical
        v["eku"] = _oid_sequence(ext.value)
    elif ext.oid == EXT.KEY_USAGE.oid:
        v["ku_critical"] = ext.critical
        bits, data = _bits(ext.value, _KU_NAMES)
        v["key_usage"] = bits
        v["ku_openssl_mask"] = (data[0] if data else 0) | ((data[1] << 8) if len(data) > 1 else 0)
    elif ext.oid == EXT.BASIC_CONSTRAINTS.oid:
        v["bc_present"] = True
        v["bc_critical"] = ext.critical
        v["bc_ca"], v["path_length"] = _basic_constraints(ext.value)
    elif ext.oid == EXT.NETSCAPE_CERT_TYPE.oid:
        bits, data = _bits(ext.value, _NS_NAMES)
        v["ns_cert_type"] = bits
        v["ns_openssl_mask"] = data[0] if data else 0
    elif ext.oid == EXT.MS_APPLICATION_POLICIES.oid:
        v["ms_application_policies"] = _app_policies(ext.value)
    elif ext.oid == EXT.SUBJECT_ALTERNATIVE_NAME.oid:
        v["san_present"] = True
    elif ext.oid == EXT.SUBJECT_KEY_IDENTIFIER.oid:
        v["subject_key_id"] = der.unwrap(ext.value, der.OCTET_STRING)
    elif ext.oid == EXT.AUTHORITY_KEY_IDENTIFIER.oid:
        v["authority_key_id"] = _aki_key_id(ext.value)
