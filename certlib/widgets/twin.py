"""A lab twin of a certificate whose private key we do not have, so it can play a live handshake.

A pasted or uploaded certificate comes without its key (the readers never keep one), and a TLS
end must prove it holds the key. The twin keeps everything a verifier judges — subject, issuer
name, serial, validity, every extension with its criticality — and changes only what it cannot
keep: a fresh key of the same kind and a new signature (subject and authority key identifiers
follow the new keys). Its issuers are twinned the same way, so a chain stays a chain; an issuer
the bundle does not hold is played by a lab root of the same name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.x509.oid import ExtensionOID

from certlib.cert.forge import now

__all__ = ["Twin", "TwinError", "twin"]

_CURVES = (ec.SECP256R1, ec.SECP384R1, ec.SECP521R1)


class TwinError(ValueError):
    """The certificate cannot be re-issued (e.g. an extension the parser rejects)."""


@dataclass(frozen=True, repr=False)
class Twin:
    """The re-issued ``certificate`` with its ``private_key``, the twinned ``chain`` sent after
    it (nearest first), the twinned ``roots`` that anchor it, and ``notes`` saying what changed."""

    certificate: x509.Certificate
    private_key: CertificateIssuerPrivateKeyTypes
    chain: tuple[x509.Certificate, ...]
    roots: tuple[x509.Certificate, ...]
    notes: tuple[str, ...]

    def __repr__(self) -> str:
        return f"Twin(subject={self.certificate.subject.rfc4514_string()!r})"


def _fresh_key(cert: x509.Certificate) -> tuple[CertificateIssuerPrivateKeyTypes, str | None]:
    """A new key of the certificate's kind (and size or curve), or EC P-256 and why."""
    public = cert.public_key()
    if isinstance(public, rsa.RSAPublicKey):
        return rsa.generate_private_key(65537, min(max(public.key_size, 1024), 4096)), None
    if isinstance(public, ec.EllipticCurvePublicKey):
        curve = next((c for c in _CURVES if isinstance(public.curve, c)), None)
        if curve is not None:
            return ec.generate_private_key(curve()), None
        return ec.generate_private_key(ec.SECP256R1()), f"its curve {public.curve.name}"
    if isinstance(public, ed25519.Ed25519PublicKey):
        return ed25519.Ed25519PrivateKey.generate(), None
    if isinstance(public, ed448.Ed448PublicKey):
        return ed448.Ed448PrivateKey.generate(), None
    return ec.generate_private_key(ec.SECP256R1()), f"its {type(public).__name__} key"


def _reissue(
    cert: x509.Certificate,
    key: CertificateIssuerPrivateKeyTypes,
    issuer_key: CertificateIssuerPrivateKeyTypes,
    issuer_name: x509.Name,
) -> x509.Certificate:
    try:
        extensions = list(cert.extensions)
    except (ValueError, x509.DuplicateExtension, x509.UnsupportedGeneralNameType) as e:
        raise TwinError(f"its extensions cannot be parsed: {e}") from e
    not_after = cert.not_valid_after_utc
    not_before = cert.not_valid_before_utc
    if not_after <= not_before:  # a builder refuses it; keep "not valid now"
        not_after = not_before + timedelta(seconds=1)
    serial = cert.serial_number if cert.serial_number > 0 else 1
    builder = (
        x509.CertificateBuilder()
        .subject_name(cert.subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())  # type: ignore[arg-type]
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )
    for ext in extensions:
        value = ext.value
        if ext.oid == ExtensionOID.SUBJECT_KEY_IDENTIFIER:
            value = x509.SubjectKeyIdentifier.from_public_key(key.public_key())  # type: ignore[arg-type]
        elif ext.oid == ExtensionOID.AUTHORITY_KEY_IDENTIFIER:
            value = x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key())  # type: ignore[arg-type]
        builder = builder.add_extension(value, ext.critical)
    eddsa = isinstance(issuer_key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey)
    algorithm = None if eddsa else hashes.SHA256()
    try:
        return builder.sign(issuer_key, algorithm)
    except (ValueError, TypeError) as e:
        raise TwinError(f"it cannot be re-signed: {e}") from e


def _issuer_of(cert: x509.Certificate, pool: Sequence[x509.Certificate]) -> x509.Certificate | None:
    return next((c for c in pool if c.subject == cert.issuer and c != cert), None)


def twin(
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate] = (),
    roots: Sequence[x509.Certificate] = (),
) -> Twin:
    """Re-issue ``leaf`` and the issuers the bundle holds (found by name) with fresh keys.

    Raises :class:`TwinError` when a certificate cannot be re-issued.
    """
    pool = [*intermediates, *roots]
    path = [leaf]
    while path[-1].subject != path[-1].issuer and len(path) < 8:
        found = _issuer_of(path[-1], pool)
        if found is None or found in path:
            break
        path.append(found)
    notes = []
    top = path[-1]
    keys = [_fresh_key(c) for c in path]
    changed = [why for _, why in keys if why]
    if top.subject == top.issuer:
        signer_key, signer_name, lab_root = keys[-1][0], top.subject, None
    else:  # the bundle holds no issuer for the top: a lab root of the issuer's name plays it
        signer_key = ec.generate_private_key(ec.SECP256R1())
        signer_name = top.issuer
        lab_root = _lab_root(top.issuer, signer_key)
        notes.append(
            f"Its issuer “{top.issuer.rfc4514_string()}” was not in the bundle: a lab root of "
            "that name (CA:TRUE, keyCertSign) signs it and is the trust anchor."
        )
    twins: list[x509.Certificate] = []
    for i in range(len(path) - 1, -1, -1):  # the top first: each signs the one below
        cert, (key, _) = path[i], keys[i]
        twins.insert(0, _reissue(cert, key, signer_key, signer_name))
        signer_key, signer_name = key, twins[0].subject
    if changed:
        notes.append(f"A P-256 key replaces {', '.join(changed)} (no fresh key of that kind).")
    anchor = (lab_root,) if lab_root is not None else (twins[-1],)
    chain = tuple(twins[1:]) if lab_root is not None else tuple(twins[1:-1])
    return Twin(twins[0], keys[0][0], chain, anchor, tuple(notes))


def _lab_root(name: x509.Name, key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    start = now() - timedelta(days=1)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start.astimezone(UTC) + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
