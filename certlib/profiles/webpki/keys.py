"""The leaf's key: RSA of at least 2048 bits or ECDSA on P-256/P-384/P-521 (BR §6.1.5)."""

from __future__ import annotations

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from certlib.core.verdicts import Outcome
from certlib.profiles.webpki.findings import BR, Finding, finding

__all__ = ["key_kind", "key_rules"]

_WEBPKI_CURVES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}


def key_kind(cert: x509.Certificate) -> tuple[str, str]:
    """("rsa" | "ec" | "other", a description) of the subject public key."""
    try:
        key = cert.public_key()
    except (ValueError, UnsupportedAlgorithm) as exc:
        return "other", f"an unsupported public key ({exc})"
    if isinstance(key, rsa.RSAPublicKey):
        return "rsa", f"RSA-{key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ec", f"ECDSA {_WEBPKI_CURVES.get(key.curve.name, key.curve.name)}"
    return "other", type(key).__name__.removesuffix("PublicKey").lstrip("_") or "unknown"


def key_rules(cert: x509.Certificate) -> tuple[str, list[Finding]]:
    """The key kind (for the keyUsage table) and the BR §6.1.5 finding on the key."""
    kind, desc = key_kind(cert)
    src = BR + "6.1.5, §7.1.3.1"
    if kind == "rsa":
        size = int(desc.split("-")[1])
        if size < 2048 or size % 8:
            return kind, [
                finding(
                    Outcome.DENIED,
                    "key.size",
                    f"The key is {desc}: the BRs require an RSA modulus of at least 2048 bits, "
                    "divisible by 8 (pyca checks issuer keys only, so it would not object).",
                    src,
                    f"{desc} key (BR 6.1.5)",
                )
            ]
        return kind, [
            finding(Outcome.ALLOWED, "key.type", f"The key is {desc}, a Web PKI key type.", src)
        ]
    if kind == "ec" and desc.split()[-1] in _WEBPKI_CURVES.values():
        return kind, [
            finding(Outcome.ALLOWED, "key.type", f"The key is {desc}, a Web PKI key type.", src)
        ]
    return kind, [
        finding(
            Outcome.DENIED,
            "key.type",
            f"The key is {desc}: publicly-trusted TLS certificates carry RSA (>= 2048 bits) or "
            "ECDSA P-256/P-384/P-521 keys only (pyca checks issuer keys only, so it would not "
            "object to this leaf).",
            src,
            f"{desc} key not permitted (BR 6.1.5)",
        )
    ]
