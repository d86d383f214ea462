"""Forge real, signed X.509 certificates from a small declarative :class:`CertSpec`.

Widgets, tests, notebooks and the sample data all need *real* certificates (the explorer does not
simulate: it signs, parses back and judges), including the odd ones that profiles must cope with
(semantics §1.6): an empty EKU, a Key Usage with no bits, nsCertType, v1 certificates, negative
serials, SHA-1 signatures, unknown critical extensions. ``cryptography``'s builder refuses some of
those, so this module:

* encodes the bit-level extensions (KU, nsCertType, basicConstraints, EKU, MS application
  policies) itself as raw DER through :class:`x509.UnrecognizedExtension`, so any combination of
  bits can be expressed (the bytes are what the typed classes would produce when those allow it);
* builds a normal v3 certificate and, when needed, rewrites the TBS (version, serial, signature
  algorithm) with a tiny DER helper and signs it again with the issuer's key
  (:func:`_patch_and_resign`).

Determinism: with ``seed`` every key, serial, date and signature is derived from the seed (ECDSA
uses RFC 6979 deterministic nonces, RSA PKCS#1 v1.5 and Ed25519 are deterministic), so the DER is
byte-stable across processes. RSA keys cannot be seeded in ``cryptography``, so seeded RSA primes
come from a SHAKE-256 stream and a pure-Python Miller-Rabin test (cached per process).
"""

from __future__ import annotations

import dataclasses
import hashlib
import ipaddress
import math
import os
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificateIssuerPrivateKeyTypes,
    PrivateKeyTypes,
)
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID, SignatureAlgorithmOID

from certlib.cert.der import (
    SEQUENCE,
    elements,
    encode_bit_string,
    encode_integer,
    encode_oid,
    encode_sequence,
    encode_tlv,
    unwrap,
)
from certlib.core.memo import Memo
from certlib.core.oids import EKU, EXT, KU_BITS, NS_CERT_TYPE_BITS, OTHER_NAME, KeyPurpose

__all__ = [
    "KEY_TYPES",
    "PRESETS",
    "PRESET_DESCRIPTIONS",
    "REFERENCE_TIME",
    "SIGNATURE_HASHES",
    "CertSpec",
    "Chain",
    "Forged",
    "forge",
    "forge_chain",
    "now",
]

#: Dates of seeded forges are derived from this instant, so seeded output never depends on "now".
REFERENCE_TIME = datetime(2026, 1, 1, tzinfo=UTC)

#: key_type -> (family, size or curve) accepted by :class:`CertSpec`.
KEY_TYPES: dict[str, tuple[str, int]] = {
    "ec": ("ec", 256),
    "ec384": ("ec", 384),
    "rsa": ("rsa", 2048),
    "rsa1024": ("rsa", 1024),
    "rsa3072": ("rsa", 3072),
    "ed25519": ("ed25519", 0),
}

SIGNATURE_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}

_KU_NAMES = {b.name: b.bit for b in KU_BITS}
_NS_NAMES = {b.name: b.bit for b in NS_CERT_TYPE_BITS}

#: RDN short names (OpenSSL spelling) -> attribute OID.
_RDN: dict[str, x509.ObjectIdentifier] = {
    "C": NameOID.COUNTRY_NAME,
    "ST": NameOID.STATE_OR_PROVINCE_NAME,
    "L": NameOID.LOCALITY_NAME,
    "O": NameOID.ORGANIZATION_NAME,
    "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
    "CN": NameOID.COMMON_NAME,
    "emailAddress": NameOID.EMAIL_ADDRESS,
    "DC": NameOID.DOMAIN_COMPONENT,
    "serialNumber": NameOID.SERIAL_NUMBER,
    "UID": NameOID.USER_ID,
    "GN": NameOID.GIVEN_NAME,
    "SN": NameOID.SURNAME,
    "title": NameOID.TITLE,
}


def now() -> datetime:
    """The current UTC time to the second (X.509 times carry no fractions)."""
    return datetime.now(UTC).replace(microsecond=0)


# --------------------------------------------------------------------------------------------
# Spec
# --------------------------------------------------------------------------------------------


def _dotted(oid: str | x509.ObjectIdentifier | KeyPurpose) -> str:
    if isinstance(oid, KeyPurpose):
        return oid.oid
    if isinstance(oid, x509.ObjectIdentifier):
        return oid.dotted_string
    return str(oid)


@dataclass(frozen=True)
class CertSpec:
    """What to put in a certificate; every odd case a purpose profile must judge is expressible.

    ``None`` means "extension absent"; an empty collection means "present but empty" (which is
    a different certificate, and judged differently, e.g. OpenSSL marks an empty KU invalid).
    Collections given as lists/sets and EKUs given as :class:`certlib.core.oids.KeyPurpose` or
    ``ObjectIdentifier`` are normalised, so widgets can pass what they have.
    """

    common_name: str = "example.com"
    subject: tuple[tuple[str, str], ...] = ()
    sans: tuple[str, ...] = ()
    key_type: str = "ec"
    eku: tuple[str, ...] | None = None
    eku_critical: bool = False
    key_usage: frozenset[str] | None = None
    ku_critical: bool = True
    ca: bool | None = None
    path_length: int | None = None
    bc_critical: bool = True
    ns_cert_type: frozenset[str] | None = None
    ms_application_policies: tuple[str, ...] | None = None
    extra_extensions: tuple[tuple[str, bool, bytes], ...] = ()
    version: int = 3
    not_before: datetime | None = None
    validity_days: int = 365
    serial_number: int | None = None
    signature_hash: str = "sha256"
    subject_key_identifier: bool = True
    authority_key_identifier: bool = True
    issuer: CertSpec | None = None
    #: Extra input to key derivation: two specs with the same subject share a key unless
    #: their labels differ (e.g. a re-keyed certificate, or root and leaf both "example.com").
    key_label: str = ""

    def __post_init__(self) -> None:
        norm = object.__setattr__
        norm(self, "subject", tuple((str(k), str(v)) for k, v in self.subject))
        if isinstance(self.sans, str):
            norm(self, "sans", (self.sans,))
        norm(self, "sans", tuple(self.sans))
        if self.eku is not None:
            norm(self, "eku", tuple(_dotted(o) for o in self.eku))
        if self.ms_application_policies is not None:
            norm(self, "ms_application_policies", tuple(map(_dotted, self.ms_application_policies)))
        if self.key_usage is not None:
            norm(self, "key_usage", frozenset(self.key_usage))
            unknown = set(self.key_usage) - _KU_NAMES.keys()
            if unknown:
                raise ValueError(f"unknown key usage bit(s) {sorted(unknown)}")
        if self.ns_cert_type is not None:
            norm(self, "ns_cert_type", frozenset(self.ns_cert_type))
            unknown = set(self.ns_cert_type) - _NS_NAMES.keys()
            if unknown:
                raise ValueError(f"unknown nsCertType bit(s) {sorted(unknown)}")
        norm(
            self,
            "extra_extensions",
            tuple((_dotted(o), bool(c), bytes(v)) for o, c, v in self.extra_extensions),
        )
        if self.key_type not in KEY_TYPES:
            raise ValueError(f"key_type must be one of {sorted(KEY_TYPES)}, not {self.key_type!r}")
        if self.signature_hash not in SIGNATURE_HASHES:
            raise ValueError(f"signature_hash must be one of {sorted(SIGNATURE_HASHES)}")
        if self.version not in (1, 3):
            # v2 (issuer/subject unique IDs) is expressible in DER, but cryptography refuses to
            # load a v2 certificate at all, so a Forged could not hold it.
            raise ValueError("version must be 1 or 3")
        for oid in (*(self.eku or ()), *(self.ms_application_policies or ())):
            encode_oid(oid)  # fail at spec time, not deep inside forge()
        for oid, _, _ in self.extra_extensions:
            encode_oid(oid)
        for short, _ in self.subject:
            if short not in _RDN:
                raise ValueError(f"unknown RDN attribute {short!r}; known: {sorted(_RDN)}")
        if self.version == 1 and self._has_extension_fields():
            raise ValueError(
                "v1 certificates carry no extensions: leave sans/eku/key_usage/ca/"
                "ns_cert_type/ms_application_policies/extra_extensions unset"
            )

    def _has_extension_fields(self) -> bool:
        return bool(self.sans or self.extra_extensions) or any(
            v is not None
            for v in (
                self.eku,
                self.key_usage,
                self.ca,
                self.ns_cert_type,
                self.ms_application_policies,
            )
        )

    def with_(self, **changes: Any) -> CertSpec:
        """A copy with some fields changed (``dataclasses.replace``)."""
        return dataclasses.replace(self, **changes)

    def name(self) -> x509.Name:
        """The subject Name: the extra RDNs in order, then CN (omitted when empty)."""
        attrs = [x509.NameAttribute(_RDN[k], v) for k, v in self.subject]
        if self.common_name:
            attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, self.common_name))
        return x509.Name(attrs)

    def canonical(self) -> str:
        """A process-independent text form (sets sorted), the input of seeded derivations."""
        parts = []
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if isinstance(v, frozenset):
                v = tuple(sorted(v))
            elif isinstance(v, CertSpec):
                v = v.canonical()
            parts.append(f"{f.name}={v!r}")
        return "CertSpec(" + ", ".join(parts) + ")"


# --------------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------------

_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_P384_ORDER = int(
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973",
    16,
)
_SIEVE_LIMIT = 1 << 15


def _small_primes(limit: int) -> list[int]:
    is_p = bytearray([1]) * limit
    is_p[:2] = b"\0\0"
    for i in range(2, int(limit**0.5) + 1):
        if is_p[i]:
            is_p[i * i :: i] = bytes(len(range(i * i, limit, i)))
    return [i for i in range(3, limit) if is_p[i]]


_SMALL_PRIMES = _small_primes(_SIEVE_LIMIT)
#: One gcd against the product of the odd primes < 2**15 replaces trial division (a candidate
#: survives with probability ~10%), so Miller-Rabin only runs on plausible candidates.
_PRIMORIAL = math.prod(_SMALL_PRIMES)


class _Stream:
    """A deterministic bit stream (SHAKE-256 of seed material + counter): stable everywhere."""

    def __init__(self, material: bytes) -> None:
        self._material = material
        self._counter = 0

    def randbits(self, bits: int) -> int:
        self._counter += 1
        raw = hashlib.shake_256(self._material + self._counter.to_bytes(8, "big"))
        return int.from_bytes(raw.digest((bits + 7) // 8), "big") >> (-bits % 8)


def _mr_rounds(bits: int) -> int:
    """Miller-Rabin rounds for a *random* candidate, error < 2**-100 (FIPS 186-4 Table C.2)."""
    return 7 if bits <= 512 else 5 if bits <= 1024 else 4


def _probable_prime(n: int, stream: _Stream) -> bool:
    if math.gcd(n, _PRIMORIAL) != 1:
        return n < _SIEVE_LIMIT and n in _SMALL_PRIMES
    rounds = _mr_rounds(n.bit_length())
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for r in range(rounds):
        a = 2 if r == 0 else 2 + stream.randbits(n.bit_length() - 2) % (n - 3)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _seeded_rsa(material: bytes, bits: int) -> rsa.RSAPrivateKey:
    """RSA from a seed: cryptography cannot seed generation, so find the primes in Python."""
    e = 65537
    stream = _Stream(material)
    half = bits // 2

    def prime() -> int:
        while True:
            c = stream.randbits(half) | (0b11 << (half - 2)) | 1  # top two bits: n has `bits` bits
            if (c - 1) % e and _probable_prime(c, stream):
                return c

    p = prime()
    q = prime()
    while abs(p - q) >> (half - 100) == 0:
        q = prime()
    p, q = max(p, q), min(p, q)
    d = pow(e, -1, math.lcm(p - 1, q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=rsa.rsa_crt_dmp1(d, p),
        dmq1=rsa.rsa_crt_dmq1(d, q),
        iqmp=rsa.rsa_crt_iqmp(p, q),
        public_numbers=rsa.RSAPublicNumbers(e, p * q),
    )
    return numbers.private_key()


#: Stands in for a seed when none is given: drawn once per process, so an unseeded key is still
#: random (unpredictable, and different in every process) but the same subject gets the same key
#: for the life of the process (a CA re-forged by itself still verifies what the first forge
#: signed) without any cache. A constant after import, like the tables above.
_PROCESS_SEED = b"unseeded:" + os.urandom(16)


def _key(key_type: str, label: str, seed: bytes | None, memo: Memo | None) -> PrivateKeyTypes:
    """The key for (seed, key_type, label): a function of them (and, unseeded, of the process).

    EC and Ed25519 keys are derived in well under a millisecond; a seeded RSA key costs up to a
    second of prime search, so whoever forges many RSA certificates (a test module, a notebook,
    a widget) passes one :class:`certlib.core.memo.Memo` to every call, which keeps the keys
    (table ``forge.key``).
    """
    if memo is None:
        return _derive_key(key_type, label, seed)
    return memo.get(
        "forge.key", (seed, key_type, label), lambda: _derive_key(key_type, label, seed)
    )


def _derive_key(key_type: str, label: str, seed: bytes | None) -> PrivateKeyTypes:
    family, size = KEY_TYPES[key_type]
    material = b"certlib.forge key\0" + (_PROCESS_SEED if seed is None else seed) + b"\0"
    material += key_type.encode() + b"\0" + label.encode()
    if family == "ec":
        order = _P256_ORDER if size == 256 else _P384_ORDER
        raw = int.from_bytes(hashlib.shake_256(material).digest(64), "big")
        curve: ec.EllipticCurve = ec.SECP256R1() if size == 256 else ec.SECP384R1()
        return ec.derive_private_key(raw % (order - 1) + 1, curve)
    if family == "rsa":
        return _seeded_rsa(material, size)
    return ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(material).digest())


# --------------------------------------------------------------------------------------------
# Extensions
# --------------------------------------------------------------------------------------------


def _general_name(san: str) -> x509.GeneralName:
    kind, sep, value = san.partition(":")
    if not sep:
        return x509.DNSName(san)
    k = kind.strip().upper()
    if k == "DNS":
        return x509.DNSName(value)
    if k == "IP":
        return x509.IPAddress(ipaddress.ip_address(value))
    if k == "EMAIL":
        return x509.RFC822Name(value)
    if k == "URI":
        return x509.UniformResourceIdentifier(value)
    if k == "UPN":
        return x509.OtherName(OTHER_NAME.UPN.object_identifier, encode_tlv(0x0C, value.encode()))
    if k == "RID":
        return x509.RegisteredID(x509.ObjectIdentifier(value))
    raise ValueError(f"unknown SAN kind {kind!r} in {san!r} (DNS, IP, email, URI, UPN, RID)")


def _raw(oid: str, value: bytes) -> x509.UnrecognizedExtension:
    return x509.UnrecognizedExtension(x509.ObjectIdentifier(oid), value)


def _extensions(
    spec: CertSpec, public_key: Any, issuer_cert: x509.Certificate | None
) -> list[tuple[x509.ExtensionType, bool]]:
    """The extensions in the usual OpenSSL order; bit-level ones as raw DER (any combination)."""
    out: list[tuple[x509.ExtensionType, bool]] = []
    if spec.ca is not None:
        body = b"\x01\x01\xff" if spec.ca else b""
        if spec.path_length is not None:
            body += encode_integer(spec.path_length)
        out.append((_raw(EXT.BASIC_CONSTRAINTS.oid, encode_sequence(body)), spec.bc_critical))
    if spec.key_usage is not None:
        bits = (_KU_NAMES[n] for n in spec.key_usage)
        out.append((_raw(EXT.KEY_USAGE.oid, encode_bit_string(bits)), spec.ku_critical))
    if spec.eku is not None:
        value = encode_sequence(*(encode_oid(o) for o in spec.eku))
        out.append((_raw(EXT.EXTENDED_KEY_USAGE.oid, value), spec.eku_critical))
    if spec.sans:
        names = [_general_name(s) for s in spec.sans]
        out.append((x509.SubjectAlternativeName(names), False))
    ski = x509.SubjectKeyIdentifier.from_public_key(public_key)
    if spec.subject_key_identifier:
        out.append((ski, False))
    if spec.authority_key_identifier:
        if issuer_cert is None:
            aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)
        else:
            try:
                issuer_ski = issuer_cert.extensions.get_extension_for_class(
                    x509.SubjectKeyIdentifier
                ).value
                aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer_ski)
            except (x509.ExtensionNotFound, ValueError):
                aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(
                    issuer_cert.public_key()  # type: ignore[arg-type]
                )
        out.append((aki, False))
    if spec.ns_cert_type is not None:
        bits = (_NS_NAMES[n] for n in spec.ns_cert_type)
        out.append((_raw(EXT.NETSCAPE_CERT_TYPE.oid, encode_bit_string(bits)), False))
    if spec.ms_application_policies is not None:
        value = encode_sequence(
            *(encode_sequence(encode_oid(o)) for o in spec.ms_application_policies)
        )
        out.append((_raw(EXT.MS_APPLICATION_POLICIES.oid, value), False))
    for oid, critical, value in spec.extra_extensions:
        out.append((_raw(oid, value), critical))
    return out


# --------------------------------------------------------------------------------------------
# Signing
# --------------------------------------------------------------------------------------------


def _sign_bytes(key: CertificateIssuerPrivateKeyTypes, data: bytes, hash_name: str) -> bytes:
    algorithm = SIGNATURE_HASHES[hash_name]()
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), algorithm)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(algorithm, deterministic_signing=True))
    raise ValueError(f"cannot re-sign with {type(key).__name__}")


def _sha1_algorithm_identifier(key: CertificateIssuerPrivateKeyTypes) -> bytes:
    if isinstance(key, rsa.RSAPrivateKey):
        return encode_sequence(
            encode_oid(SignatureAlgorithmOID.RSA_WITH_SHA1.dotted_string), b"\x05\x00"
        )
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return encode_sequence(encode_oid(SignatureAlgorithmOID.ECDSA_WITH_SHA1.dotted_string))
    raise ValueError("SHA-1 signatures need an RSA or EC issuer key")


def _patch_and_resign(
    cert: x509.Certificate,
    key: CertificateIssuerPrivateKeyTypes,
    *,
    version: int,
    serial: int | None,
    hash_name: str,
) -> x509.Certificate:
    """Rewrite TBS fields the builder refuses (v1, serial <= 0, SHA-1) and sign again.

    Ed25519 signs the whole message (no hash choice), so only RSA and EC issuers can do SHA-1;
    version and serial patches work with every key type.
    """
    der = cert.public_bytes(serialization.Encoding.DER)
    tbs_der, alg_der, _ = elements(unwrap(der, SEQUENCE))
    items = elements(unwrap(tbs_der, SEQUENCE))
    if items[0][0] != 0xA0:  # pragma: no cover - the builder always writes v3
        raise AssertionError("expected an explicit [0] version in the TBS")
    if version == 1:
        items.pop(0)  # DEFAULT v1 must be absent in DER
    else:
        items[0] = encode_tlv(0xA0, encode_integer(version - 1))
    serial_at = 0 if version == 1 else 1
    if serial is not None:
        items[serial_at] = encode_integer(serial)
    if hash_name == "sha1":
        alg_der = _sha1_algorithm_identifier(key)
        items[serial_at + 1] = alg_der
    new_tbs = encode_sequence(*items)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        signature = key.sign(new_tbs)
    else:
        signature = _sign_bytes(key, new_tbs, hash_name)
    out = encode_sequence(new_tbs, alg_der, encode_tlv(0x03, b"\x00" + signature))
    with warnings.catch_warnings():
        # A serial <= 0 is what was asked for; cryptography warns (and may refuse one day).
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return x509.load_der_x509_certificate(out)


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Forged:
    """A forged certificate with its private key and (if not self-signed) the issuer's Forged.

    ``repr``/``str`` show only subject and SHA-256: the key must never leak into logs, widgets
    or notebook output.
    """

    spec: CertSpec
    certificate: x509.Certificate
    private_key: PrivateKeyTypes = field(compare=False)
    issuer: Forged | None = None

    def __repr__(self) -> str:
        return (
            f"Forged(subject={self.certificate.subject.rfc4514_string()!r}, sha256={self.sha256!r})"
        )

    __str__ = __repr__

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def sha256(self) -> str:
        return self.certificate.fingerprint(hashes.SHA256()).hex()

    @property
    def path(self) -> tuple[Forged, ...]:
        """This certificate then its issuers up to the self-signed one (leaf first)."""
        out: list[Forged] = [self]
        while out[-1].issuer is not None:
            out.append(out[-1].issuer)  # type: ignore[arg-type]
        return tuple(out)

    def as_chain(self) -> Chain:
        """The :class:`Chain` ending in this certificate."""
        path = self.path
        return Chain(root=path[-1], intermediates=tuple(reversed(path[1:-1])), leaf=self)

    def key_pem(self, password: bytes | None = None) -> bytes:
        """PKCS#8 PEM of the private key (encrypted with the best available scheme if asked)."""
        enc: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(password)
            if password
            else serialization.NoEncryption()
        )
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc
        )

    def pkcs12(
        self,
        password: bytes | None,
        *,
        friendly_name: bytes | None = None,
        legacy: bool = False,
        chain: Iterable[x509.Certificate | Forged] = (),
    ) -> bytes:
        """A .pfx holding key, certificate and ``chain``.

        ``legacy=True`` uses what old Windows reads: PBES1 SHA1+3-key-3DES for key *and*
        certificates, HMAC-SHA1, 2048 rounds. ``cryptography`` cannot produce the RC2-40
        certificate encryption of ``openssl pkcs12 -export -legacy``; use the openssl binary
        for that. PKCS#12 salts are random, so the bytes differ on every call even when seeded.
        """
        cas = [c.certificate if isinstance(c, Forged) else c for c in chain]
        enc: serialization.KeySerializationEncryption
        if password is None:
            enc = serialization.NoEncryption()
        elif legacy:
            enc = (
                serialization.PrivateFormat.PKCS12.encryption_builder()
                .kdf_rounds(2048)
                .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
                .hmac_hash(hashes.SHA1())
                .build(password)
            )
        else:
            enc = serialization.BestAvailableEncryption(password)
        return pkcs12.serialize_key_and_certificates(
            friendly_name,
            self.private_key,  # type: ignore[arg-type]
            self.certificate,
            cas or None,
            enc,
        )


@dataclass(frozen=True)
class Chain:
    """root -> intermediates -> leaf, each signed by the one before."""

    root: Forged
    intermediates: tuple[Forged, ...]
    leaf: Forged

    @property
    def certificates(self) -> tuple[x509.Certificate, ...]:
        """Leaf first, then intermediates (nearest the leaf first), then the root."""
        if self.root is self.leaf:
            return (self.leaf.certificate,)
        return (self.leaf.certificate, *self.intermediate_certificates, self.root.certificate)

    @property
    def roots(self) -> tuple[x509.Certificate, ...]:
        return (self.root.certificate,)

    @property
    def intermediate_certificates(self) -> tuple[x509.Certificate, ...]:
        """Intermediates nearest the leaf first (the order TLS servers send them)."""
        return tuple(f.certificate for f in reversed(self.intermediates))


# --------------------------------------------------------------------------------------------
# forge
# --------------------------------------------------------------------------------------------


def _seed_bytes(seed: int | str | None) -> bytes | None:
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, int | str):
        raise TypeError("seed must be an int or a str")
    return f"{type(seed).__name__}:{seed}".encode()


def _key_label(spec: CertSpec) -> str:
    return spec.name().rfc4514_string() + "\0" + spec.key_label


def forge(
    spec: CertSpec,
    issuer: Forged | None = None,
    *,
    seed: int | str | None = None,
    memo: Memo | None = None,
) -> Forged:
    """Build and sign the certificate ``spec`` describes.

    Issued by ``issuer`` if given, else by a forged ``spec.issuer`` if set, else self-signed.
    With ``seed`` the result is byte-identical across runs and processes. ``memo``: the
    caller's :class:`certlib.core.memo.Memo`, where keys and seeded issuers are kept between
    calls (see :func:`_key`); without one every call makes its keys anew.
    """
    sb = _seed_bytes(seed)
    if issuer is None and spec.issuer is not None:
        parent = spec.issuer
        if sb is None or memo is None:
            issuer = forge(parent, seed=seed, memo=memo)
        else:
            issuer = memo.get(
                "forge.issuer", (parent, sb), lambda: forge(parent, seed=seed, memo=memo)
            )

    key = _key(spec.key_type, _key_label(spec), sb, memo)
    public_key = key.public_key()
    if issuer is None:
        signer: PrivateKeyTypes = key
        issuer_name = spec.name()
        issuer_cert = None
    else:
        signer = issuer.private_key
        issuer_name = issuer.certificate.subject
        issuer_cert = issuer.certificate
    if not isinstance(
        signer, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
    ):
        raise TypeError(f"cannot sign with {type(signer).__name__}")
    if isinstance(signer, ed25519.Ed25519PrivateKey) and spec.signature_hash != "sha256":
        raise ValueError("Ed25519 signatures have no hash choice; leave signature_hash='sha256'")

    if spec.not_before is not None:
        not_before = spec.not_before
        if not_before.tzinfo is None:
            not_before = not_before.replace(tzinfo=UTC)
    else:
        not_before = (REFERENCE_TIME if sb is not None else now()) - timedelta(days=1)
    not_after = not_before + timedelta(days=spec.validity_days)

    issuer_id = issuer.sha256 if issuer is not None else "self"
    if spec.serial_number is not None:
        serial = spec.serial_number
    elif sb is not None:
        digest = hashlib.sha256(
            b"certlib.forge serial\0" + sb + b"\0" + spec.canonical().encode() + issuer_id.encode()
        ).digest()
        serial = (int.from_bytes(digest[:16], "big") >> 1) or 1
    else:
        serial = x509.random_serial_number()

    builder = (
        x509.CertificateBuilder()
        .subject_name(spec.name())
        .issuer_name(issuer_name)
        .public_key(public_key)  # type: ignore[arg-type]
        .serial_number(serial if serial > 0 else 1)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )
    if spec.version == 3:
        for ext, critical in _extensions(spec, public_key, issuer_cert):
            builder = builder.add_extension(ext, critical)

    hash_name = spec.signature_hash
    algorithm = None
    if not isinstance(signer, ed25519.Ed25519PrivateKey):
        # SHA-1 is refused by the builder: sign with SHA-256 here, rewrite below.
        algorithm = SIGNATURE_HASHES["sha256" if hash_name == "sha1" else hash_name]()
    cert = builder.sign(
        signer,
        algorithm,  # type: ignore[arg-type]
        ecdsa_deterministic=True if isinstance(signer, ec.EllipticCurvePrivateKey) else None,
    )
    if spec.version != 3 or serial <= 0 or hash_name == "sha1":
        cert = _patch_and_resign(
            cert,
            signer,
            version=spec.version,
            serial=serial if serial <= 0 else None,
            hash_name=hash_name,
        )
    return Forged(spec=spec, certificate=cert, private_key=key, issuer=issuer)


def forge_chain(*specs: CertSpec, seed: int | str | None = None, memo: Memo | None = None) -> Chain:
    """Forge ``specs`` root first: the first self-signed, each next one issued by the previous
    (``memo``: as for :func:`forge`)."""
    if not specs:
        raise ValueError("forge_chain needs at least one spec")
    forged: list[Forged] = []
    for spec in specs:
        forged.append(forge(spec, forged[-1] if forged else None, seed=seed, memo=memo))
    return Chain(root=forged[0], intermediates=tuple(forged[1:-1]), leaf=forged[-1])


# --------------------------------------------------------------------------------------------
# Presets
# --------------------------------------------------------------------------------------------

_CONTOSO = (("C", "US"), ("O", "Contoso"))
_ROOT = CertSpec(
    common_name="Contoso Root CA",
    subject=_CONTOSO,
    ca=True,
    key_usage=frozenset({"key_cert_sign", "crl_sign", "digital_signature"}),
    validity_days=3650,
)
_ICA = CertSpec(
    common_name="Contoso Issuing CA 1",
    subject=_CONTOSO,
    ca=True,
    path_length=0,
    key_usage=frozenset({"key_cert_sign", "crl_sign", "digital_signature"}),
    validity_days=1825,
    issuer=_ROOT,
)
_DS = frozenset({"digital_signature"})
_DS_KE = frozenset({"digital_signature", "key_encipherment"})


def _leaf(cn: str, **kw: Any) -> CertSpec:
    kw.setdefault("ca", False)
    return CertSpec(common_name=cn, subject=_CONTOSO, issuer=_ICA, **kw)


PRESETS: dict[str, CertSpec] = {
    "iis_server": _leaf(
        "www.contoso.com",
        sans=("DNS:www.contoso.com", "DNS:contoso.com"),
        key_type="rsa",
        eku=(EKU.SERVER_AUTH.oid,),
        key_usage=_DS_KE,
    ),
    "iis_self_signed": _leaf(
        "www.contoso.com",
        sans=("DNS:www.contoso.com", "DNS:contoso.com"),
        key_type="rsa",
        eku=(EKU.SERVER_AUTH.oid,),
        key_usage=_DS_KE,
    ).with_(issuer=None),
    "web_server": _leaf(
        "shop.contoso.com",
        sans=("DNS:shop.contoso.com",),
        eku=(EKU.SERVER_AUTH.oid,),
        key_usage=_DS,
    ).with_(issuer=_ICA.with_(eku=(EKU.SERVER_AUTH.oid,))),
    "user_client": _leaf(
        "Alice Smith",
        sans=("email:alice@contoso.com", "UPN:alice@corp.contoso.com"),
        eku=(EKU.CLIENT_AUTH.oid,),
        key_usage=_DS,
    ),
    "dual_use": _leaf(
        "vpn.contoso.com",
        sans=("DNS:vpn.contoso.com",),
        eku=(EKU.SERVER_AUTH.oid, EKU.CLIENT_AUTH.oid),
        key_usage=_DS,
    ),
    "no_eku": _leaf("intranet.contoso.com", sans=("DNS:intranet.contoso.com",), key_usage=_DS),
    "any_eku_only": _leaf(
        "any.contoso.com", sans=("DNS:any.contoso.com",), eku=(EKU.ANY.oid,), key_usage=_DS
    ),
    "code_signing": _leaf(
        "Contoso Software Publisher",
        eku=(EKU.CODE_SIGNING.oid,),
        key_usage=_DS,
        ku_critical=True,
    ),
    "ca_as_leaf": _leaf(
        "legacy.contoso.com",
        sans=("DNS:legacy.contoso.com",),
        ca=True,
        key_usage=frozenset({"key_cert_sign", "crl_sign", "digital_signature"}),
    ),
    "root_ca": _ROOT,
    "intermediate_ca": _ICA,
    "smime": _leaf(
        "Bob Jones",
        sans=("email:bob@contoso.com",),
        key_type="rsa",
        eku=(EKU.EMAIL_PROTECTION.oid,),
        key_usage=_DS_KE,
    ),
    "time_stamping": _leaf(
        "Contoso Time Stamping Authority",
        eku=(EKU.TIME_STAMPING.oid,),
        eku_critical=True,
        key_usage=_DS,
    ),
    "ocsp_signing": _leaf(
        "Contoso OCSP Responder",
        eku=(EKU.OCSP_SIGNING.oid,),
        key_usage=_DS,
        extra_extensions=((EXT.OCSP_NO_CHECK.oid, False, b"\x05\x00"),),
    ),
}

PRESET_DESCRIPTIONS: dict[str, str] = {
    "iis_server": "IIS/TLS web server: RSA-2048, SAN DNS, EKU serverAuth, KU DS+KE, CA:FALSE.",
    "iis_self_signed": "IIS Manager's 'Create Self-Signed Certificate': the IIS server "
    "certificate, self-signed (a lab certificate, judged alone).",
    "web_server": "Web PKI-shaped TLS server: EKU serverAuth, KU DS, issued by a CA whose own "
    "EKU is serverAuth (as the CA/B Forum BRs want of a TLS sub-CA).",
    "user_client": "User client-auth cert: SAN e-mail + Windows UPN, EKU clientAuth, KU DS.",
    "dual_use": "One cert for both TLS ends: EKU serverAuth + clientAuth, KU DS.",
    "no_eku": "No EKU extension at all: unrestricted under RFC 5280 and Windows, KU DS.",
    "any_eku_only": "EKU anyExtendedKeyUsage only: a wildcard in RFC 5280, not in OpenSSL 3.0.",
    "code_signing": "Code signing: EKU codeSigning, KU DS critical, no SAN.",
    "ca_as_leaf": "A CA certificate (CA:TRUE, KU certSign+cRLSign+DS) used as a TLS leaf.",
    "root_ca": "Self-signed root CA: CA:TRUE critical, KU certSign+cRLSign+DS, 10 years.",
    "intermediate_ca": "Issuing CA under the root: CA:TRUE pathlen 0, KU certSign+cRLSign+DS.",
    "smime": "S/MIME e-mail cert: RSA, SAN e-mail, EKU emailProtection, KU DS+KE.",
    "time_stamping": "RFC 3161 TSA: EKU timeStamping critical (as OpenSSL demands), KU DS.",
    "ocsp_signing": "Delegated OCSP responder: EKU OCSPSigning, KU DS, id-pkix-ocsp-nocheck.",
}
