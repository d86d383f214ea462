"""Signature and public-key algorithms and named curves, as OpenSSL 3.0 names them."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509

from certlib.core.oids.lookup import lookup

__all__ = [
    "EC_CURVES",
    "PUBLIC_KEY_ALGORITHMS",
    "SIGNATURE_ALGORITHMS",
    "PublicKeyAlgorithm",
    "SignatureAlgorithm",
    "public_key_algorithm",
    "signature_algorithm",
]


@dataclass(frozen=True)
class SignatureAlgorithm:
    """A certificate signature algorithm OID with OpenSSL's name and the digest it implies."""

    oid: str
    openssl_name: str  # the long name ``openssl x509 -text`` prints as "Signature Algorithm"
    hash: str | None  # cryptography's HashAlgorithm.name; None for EdDSA and for RSASSA-PSS
    key_algorithm: str  # PublicKeyAlgorithm.name of the signing key
    known: bool = True


def _sig(oid: str, ossl: str, hash_name: str | None, key: str) -> SignatureAlgorithm:
    return SignatureAlgorithm(oid, ossl, hash_name, key)


#: Signature algorithms, names as OpenSSL 3.0.19 prints them (checked with ``openssl asn1parse``).
#: RSASSA-PSS carries its digest in parameters, so its ``hash`` is None here.
SIGNATURE_ALGORITHMS: tuple[SignatureAlgorithm, ...] = (
    _sig("1.2.840.113549.1.1.2", "md2WithRSAEncryption", "md2", "RSA"),
    _sig("1.2.840.113549.1.1.3", "md4WithRSAEncryption", "md4", "RSA"),
    _sig("1.2.840.113549.1.1.4", "md5WithRSAEncryption", "md5", "RSA"),
    _sig("1.2.840.113549.1.1.5", "sha1WithRSAEncryption", "sha1", "RSA"),
    _sig("1.3.14.3.2.29", "sha1WithRSA", "sha1", "RSA"),
    _sig("1.2.840.113549.1.1.14", "sha224WithRSAEncryption", "sha224", "RSA"),
    _sig("1.2.840.113549.1.1.11", "sha256WithRSAEncryption", "sha256", "RSA"),
    _sig("1.2.840.113549.1.1.12", "sha384WithRSAEncryption", "sha384", "RSA"),
    _sig("1.2.840.113549.1.1.13", "sha512WithRSAEncryption", "sha512", "RSA"),
    _sig("1.2.840.113549.1.1.10", "rsassaPss", None, "RSA"),
    _sig("2.16.840.1.101.3.4.3.13", "RSA-SHA3-224", "sha3-224", "RSA"),
    _sig("2.16.840.1.101.3.4.3.14", "RSA-SHA3-256", "sha3-256", "RSA"),
    _sig("2.16.840.1.101.3.4.3.15", "RSA-SHA3-384", "sha3-384", "RSA"),
    _sig("2.16.840.1.101.3.4.3.16", "RSA-SHA3-512", "sha3-512", "RSA"),
    _sig("1.2.840.10045.4.1", "ecdsa-with-SHA1", "sha1", "EC"),
    _sig("1.2.840.10045.4.3.1", "ecdsa-with-SHA224", "sha224", "EC"),
    _sig("1.2.840.10045.4.3.2", "ecdsa-with-SHA256", "sha256", "EC"),
    _sig("1.2.840.10045.4.3.3", "ecdsa-with-SHA384", "sha384", "EC"),
    _sig("1.2.840.10045.4.3.4", "ecdsa-with-SHA512", "sha512", "EC"),
    _sig("2.16.840.1.101.3.4.3.9", "ecdsa_with_SHA3-224", "sha3-224", "EC"),
    _sig("2.16.840.1.101.3.4.3.10", "ecdsa_with_SHA3-256", "sha3-256", "EC"),
    _sig("2.16.840.1.101.3.4.3.11", "ecdsa_with_SHA3-384", "sha3-384", "EC"),
    _sig("2.16.840.1.101.3.4.3.12", "ecdsa_with_SHA3-512", "sha3-512", "EC"),
    _sig("1.2.840.10040.4.3", "dsaWithSHA1", "sha1", "DSA"),
    _sig("2.16.840.1.101.3.4.3.1", "dsa_with_SHA224", "sha224", "DSA"),
    _sig("2.16.840.1.101.3.4.3.2", "dsa_with_SHA256", "sha256", "DSA"),
    _sig("1.3.101.112", "ED25519", None, "Ed25519"),
    _sig("1.3.101.113", "ED448", None, "Ed448"),
    _sig("1.2.156.10197.1.501", "SM2-with-SM3", "sm3", "SM2"),
)
_SIG_BY_OID = {s.oid: s for s in SIGNATURE_ALGORITHMS}


def signature_algorithm(oid: str | x509.ObjectIdentifier) -> SignatureAlgorithm:
    """Catalogue entry for a signature algorithm OID; unknown OIDs get a ``known=False`` entry."""
    return lookup(
        _SIG_BY_OID,
        oid,
        lambda dotted: SignatureAlgorithm(dotted, dotted, None, dotted, known=False),
    )


@dataclass(frozen=True)
class PublicKeyAlgorithm:
    """A SubjectPublicKeyInfo algorithm OID: certlib's short name and OpenSSL's."""

    oid: str
    name: str  # "RSA", "EC", "Ed25519", ... (the dotted OID when unknown)
    openssl_name: str  # what ``openssl x509 -text`` prints as "Public Key Algorithm"
    known: bool = True


PUBLIC_KEY_ALGORITHMS: tuple[PublicKeyAlgorithm, ...] = (
    PublicKeyAlgorithm("1.2.840.113549.1.1.1", "RSA", "rsaEncryption"),
    PublicKeyAlgorithm("1.2.840.113549.1.1.10", "RSASSA-PSS", "rsassaPss"),
    PublicKeyAlgorithm("1.2.840.10045.2.1", "EC", "id-ecPublicKey"),
    PublicKeyAlgorithm("1.3.101.112", "Ed25519", "ED25519"),
    PublicKeyAlgorithm("1.3.101.113", "Ed448", "ED448"),
    PublicKeyAlgorithm("1.3.101.110", "X25519", "X25519"),
    PublicKeyAlgorithm("1.3.101.111", "X448", "X448"),
    PublicKeyAlgorithm("1.2.840.10040.4.1", "DSA", "dsaEncryption"),
    PublicKeyAlgorithm("1.2.840.10046.2.1", "DH", "X9.42 DH"),
)
_PKA_BY_OID = {p.oid: p for p in PUBLIC_KEY_ALGORITHMS}


def public_key_algorithm(oid: str | x509.ObjectIdentifier) -> PublicKeyAlgorithm:
    """Catalogue entry for a public key algorithm OID; unknown OIDs get a ``known=False`` entry."""
    return lookup(
        _PKA_BY_OID, oid, lambda dotted: PublicKeyAlgorithm(dotted, dotted, dotted, known=False)
    )


#: Named elliptic curves (RFC 5480 §2.1.1.1) by the name cryptography gives them.
EC_CURVES: dict[str, str] = {
    "secp256r1": "1.2.840.10045.3.1.7",
    "secp384r1": "1.3.132.0.34",
    "secp521r1": "1.3.132.0.35",
}
