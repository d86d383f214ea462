"""What a certificate says about its own use, read once and robustly.

Every profile and the decoder need the same handful of facts (EKU OIDs, KU bits, basic
constraints, Netscape cert type, Microsoft application policies, key identifiers). They are read
here from the raw TBSCertificate (:mod:`certlib.cert.der`) rather than through cryptography's
extension classes, because the certificates that matter most for teaching — an empty EKU
SEQUENCE, a KU with no bits, a Netscape cert type — are exactly the ones cryptography refuses or
leaves opaque. A fact that cannot be read is recorded in ``errors`` and the rest still comes back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from cryptography import x509

from certlib.cert import der
from certlib.core.memo import Memo
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


def _oid_sequence(value: bytes, memo: Memo | None) -> tuple[str, ...]:
    out = []
    for tag, v in der.children(der.unwrap(value, der.SEQUENCE)):
        if tag != der.OID:
            raise der.DerError(f"a KeyPurposeId is not an OBJECT IDENTIFIER (tag 0x{tag:02x})")
        out.append(der.oid_text(v, memo=memo))
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


def _app_policies(value: bytes, memo: Memo | None) -> tuple[str, ...]:
    out = []
    for _t, info in der.children(der.unwrap(value, der.SEQUENCE)):
        parts = der.children(info)
        if parts and parts[0][0] == der.OID:
            out.append(der.oid_text(parts[0][1], memo=memo))
    return tuple(out)


def _aki_key_id(value: bytes) -> bytes | None:
    for tag, v in der.children(der.unwrap(value, der.SEQUENCE)):
        if tag == 0x80:
            return v
    return None


_KU_NAMES = tuple(b.name for b in KU_BITS)
_NS_NAMES = tuple(b.name for b in NS_CERT_TYPE_BITS)


def facts(
    cert: x509.Certificate, *, tbs: bytes | None = None, memo: Memo | None = None
) -> CertFacts:
    """Read the purpose-relevant facts of ``cert``; never raises for malformed extensions.

    ``tbs``: ``cert.tbs_certificate_bytes`` when the caller already holds them (cryptography
    re-encodes the TBS on every access, ~5 µs; :mod:`certlib.cert.decode` slices it out of the
    DER it hashes anyway). ``memo`` (the run's): a verdict asks for the facts of the same few
    certificates dozens of times, and a CA's certificates repeat the same extension bytes, so
    both are kept there. The facts of one object are kept by identity (the entry holds the
    certificate, so its id stays its own): hashing a certificate (its whole DER) for a
    value-keyed table costs more than the lookup.
    """
    if memo is None:
        return _from_tbs(cert.tbs_certificate_bytes if tbs is None else tbs, None)
    table = memo.table("facts")
    hit = table.get(id(cert))
    if hit is not None and hit[0] is cert:  # type: ignore[index]
        return hit[1]  # type: ignore[index]
    f = _from_tbs(cert.tbs_certificate_bytes if tbs is None else tbs, memo)
    memo.room(table)
    table[id(cert)] = (cert, f)
    return f


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


def _from_tbs(tbs_bytes: bytes, memo: Memo | None) -> CertFacts:
    errors: list[str] = []
    try:
        tbs = der.tbs_fields(tbs_bytes, memo=memo)
    except der.DerError as exc:  # cryptography accepted it, so this is rare: keep going, say so
        errors.append(f"TBSCertificate: cannot walk ({exc})")
        tbs = der.TbsFields(3, b"\x00", b"", b"", ())
    values = _extension_values(tbs, errors, memo)
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


def _extension_values(
    tbs: der.TbsFields, errors: list[str], memo: Memo | None
) -> dict[str, object]:
    """The extension fields: :func:`_each_extension`'s answer. With a run's ``memo``, memoised
    (table ``facts.shared``) on the DERs of the extensions a CA repeats -> (the values they set
    over _DEFAULTS, their errors in order); SAN and SKI differ per certificate, and are read
    here directly."""
    if memo is None:
        return _each_extension(tbs, errors, None)
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
            return _each_extension(tbs, errors, memo)  # its error goes where it stands
    key = tuple(shared)
    table = memo.table("facts.shared")
    hit = table.get(key)  # type: ignore[assignment]
    if hit is None:
        shared_errors: list[str] = []
        others = [
            (e, d)
            for e, d in zip(tbs.extensions, tbs.extension_ders, strict=True)
            if e.oid not in (_SAN, _SKI)
        ]
        hit = (_each_extension_of(others, shared_errors, memo), tuple(shared_errors))
        memo.room(table)
        table[key] = hit
    values = dict(hit[0])
    errors.extend(hit[1])
    values["san_present"] = san
    values["subject_key_id"] = ski_value
    return values


def _each_extension(tbs: der.TbsFields, errors: list[str], memo: Memo | None) -> dict[str, object]:
    return _each_extension_of(zip(tbs.extensions, tbs.extension_ders, strict=True), errors, memo)


def _each_extension_of(
    extensions: Iterable[tuple[der.RawExtension, bytes]], errors: list[str], memo: Memo | None
) -> dict[str, object]:
    """Each extension in order, the first of an OID only. With a run's ``memo`` what each
    extension says is memoised (table ``facts.extension``: extension DER -> (what it sets, its
    error or None)): it is a function of its bytes alone, and CA-issued certificates repeat
    the same EKU/KU/BC/AKI bytes."""
    values = dict(_DEFAULTS)
    seen: set[str] = set()
    known: dict = memo.table("facts.extension") if memo is not None else {}
    for ext, ext_der in extensions:
        if ext.oid in seen:
            continue  # the first occurrence counts; duplicates are reported by duplicated()
        seen.add(ext.oid)
        hit = known.get(ext_der)
        if hit is None:
            hit = _extension_facts(ext, memo)
            if memo is not None:
                memo.room(known)
                known[ext_der] = hit
        values.update(hit[0])
        if hit[1] is not None:
            errors.append(hit[1])
    return values


def _extension_facts(
    ext: der.RawExtension, memo: Memo | None
) -> tuple[tuple[tuple[str, object], ...], str | None]:
    """What one extension sets (even partly, before a decode error) and its error, if any."""
    delta: dict[str, object] = {}
    error = None
    try:
        _read_extension(ext, delta, memo)
    except der.DerError as exc:
        error = f"{_name(ext.oid)}: cannot decode ({exc})"
    return tuple(delta.items()), error


def _name(oid: str) -> str:
    from certlib.core.oids import extension

    return extension(oid).name


def _read_extension(ext: der.RawExtension, v: dict[str, object], memo: Memo | None) -> None:
    if ext.oid == EXT.EXTENDED_KEY_USAGE.oid:
        v["eku_critical"] = ext.critical
        v["eku"] = _oid_sequence(ext.value, memo)
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
        v["ms_application_policies"] = _app_policies(ext.value, memo)
    elif ext.oid == EXT.SUBJECT_ALTERNATIVE_NAME.oid:
        v["san_present"] = True
    elif ext.oid == EXT.SUBJECT_KEY_IDENTIFIER.oid:
        v["subject_key_id"] = der.unwrap(ext.value, der.OCTET_STRING)
    elif ext.oid == EXT.AUTHORITY_KEY_IDENTIFIER.oid:
        v["authority_key_id"] = _aki_key_id(ext.value)
