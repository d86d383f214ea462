"""A certificate's key: its algorithm, size and curve, and whether it signed the certificate.

:func:`self_signed` is the one answer to "self-signed?" in certlib: self-issued (subject and
issuer DER equal) and the signature verifies with the certificate's own public key. It checks
with the key's own ``verify``, not ``verify_directly_issued_by``, which refuses SHA-1: several
trusted roots are SHA-1 self-signed and still self-signed.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
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

from certlib.cert import der
from certlib.cert.facts import facts
from certlib.core.memo import Memo
from certlib.core.oids import (
    EC_CURVES,
    PUBLIC_KEY_ALGORITHMS,
    SIGNATURE_ALGORITHMS,
    signature_algorithm,
)

__all__ = [
    "CannotVerify",
    "curve",
    "curve_id",
    "ec_key_fields",
    "key_size",
    "self_signed",
    "signature_hash",
    "signed_by_own_key",
]


class CannotVerify(ValueError):
    """The signature cannot be checked at all (an unsupported algorithm or key)."""


def signed_by_own_key(cert: x509.Certificate) -> bool:
    """Whether the signature verifies with the certificate's own public key (names are not
    compared); :class:`CannotVerify` when it cannot be checked."""
    try:
        _verify_with_own_key(cert)
    except InvalidSignature:
        return False
    except (UnsupportedAlgorithm, TypeError, ValueError) as exc:
        raise CannotVerify(f"cannot check the signature ({type(exc).__name__}: {exc})") from exc
    return True


def self_signed(cert: x509.Certificate, *, memo: Memo | None = None) -> bool:
    """Self-issued and :func:`signed_by_own_key`; False when either cannot be read or checked
    (``memo``: the run's, for the facts)."""
    try:
        f = facts(cert, memo=memo)
        if any(e.startswith("TBSCertificate:") for e in f.errors):
            return False  # its names could not be read: self-issued is unknown
        return f.self_issued and signed_by_own_key(cert)
    except Exception:  # an unreadable name or key: not provably self-signed
        return False


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


_RAW_KEY_BITS: dict[type, int] = {
    ed25519.Ed25519PublicKey: 256,
    ed448.Ed448PublicKey: 456,
    x25519.X25519PublicKey: 256,
    x448.X448PublicKey: 448,
}


def key_size(key: object) -> int | None:
    """Bits: modulus/curve/group size; raw public-key length for Edwards/Montgomery curves."""
    size = getattr(key, "key_size", None)
    if isinstance(size, int):
        return size
    for cls, bits in _RAW_KEY_BITS.items():
        if isinstance(key, cls):
            return bits
    return None


def curve(key: object) -> str | None:
    """The named curve of an EC key; None for every other key."""
    curve = getattr(key, "curve", None)
    return None if curve is None else str(curve.name)


_PSS = next(a.oid for a in SIGNATURE_ALGORITHMS if a.openssl_name == "rsassaPss")


def signature_hash(cert: x509.Certificate) -> str | None:
    """The digest named by the signature algorithm; RSASSA-PSS and unknown OIDs ask cryptography."""
    entry = signature_algorithm(cert.signature_algorithm_oid)
    if entry.known and entry.oid != _PSS:
        return entry.hash
    algorithm = cert.signature_hash_algorithm
    return None if algorithm is None else algorithm.name


def curve_id(curve: str) -> bytes:
    """The SubjectPublicKeyInfo AlgorithmIdentifier of an EC key on a named ``curve``."""
    ec_oid = next(p.oid for p in PUBLIC_KEY_ALGORITHMS if p.name == "EC")
    return der.encode_sequence(der.encode_oid(ec_oid), der.encode_oid(EC_CURVES[curve]))


#: The named-curve AlgorithmIdentifier DER of the NIST curves -> (bits, name, p, b): a = -3.
_EC_CURVES: dict[bytes, tuple[int, str, int, int]] = {
    curve_id("secp256r1"): (
        256,
        "secp256r1",
        2**256 - 2**224 + 2**192 + 2**96 - 1,
        0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
    ),
    curve_id("secp384r1"): (
        384,
        "secp384r1",
        2**384 - 2**128 - 2**96 + 2**32 - 1,
        int(
            "B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875A"
            "C656398D8A2ED19D2A85C8EDD3EC2AEF",
            16,
        ),
    ),
    curve_id("secp521r1"): (
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


_EC_ALGORITHM = "EC"  # the prefixes' id-ecPublicKey (curve_id), by its oids name
#: Length of the SPKI DER -> (its fixed prefix, key size, curve name, p, b) per NIST curve.
_EC_SPKI: dict[int, tuple[bytes, int, str, int, int]] = {
    len(prefix) + 2 * ((bits + 7) // 8): (prefix, bits, name, p, b)
    for alg, (bits, name, p, b) in _EC_CURVES.items()
    for prefix in [_spki_prefix(alg, (bits + 7) // 8)]
}


def ec_key_fields(spki: bytes) -> tuple[int, str, str] | None:
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
