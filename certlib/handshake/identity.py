"""What one end of a handshake presents: a certificate, its private key and the chain it sends.

:func:`as_identity` accepts a :class:`certlib.cert.forge.Forged` directly: its issuers up to
(not including) the self-signed root become the chain, as a server is normally configured.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from certlib.cert.forge import Forged


@dataclass(frozen=True, repr=False)
class Identity:
    """A leaf ``certificate``, its ``private_key`` and the ``chain`` sent after it, in order.

    The chain is sent exactly as given (no path building, no reordering, duplicates kept), so a
    test can hand a peer a wrong, missing or shuffled chain. ``repr`` never shows the key.
    """

    certificate: x509.Certificate
    private_key: PrivateKeyTypes = field(compare=False)
    chain: tuple[x509.Certificate, ...] = ()

    def __repr__(self) -> str:
        subject = self.certificate.subject.rfc4514_string()
        return f"Identity(subject={subject!r}, chain={len(self.chain)})"

    @property
    def ders(self) -> tuple[bytes, ...]:
        """DER of the leaf then the chain: what goes into the TLS Certificate message."""
        return tuple(_der(c) for c in (self.certificate, *self.chain))

    def chain_pem(self) -> bytes:
        """PEM of the leaf then the chain (the certfile OpenSSL and Go load)."""
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self.certs)

    @property
    def certs(self) -> tuple[x509.Certificate, ...]:
        return (self.certificate, *self.chain)

    def key_pem(self) -> bytes:
        """Unencrypted PKCS#8 PEM of the key; handed only to a peer on this machine."""
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def as_identity(
    value: Identity | Forged,
    chain: Iterable[x509.Certificate | Forged] | None = None,
) -> Identity:
    """An :class:`Identity` from an Identity or a Forged.

    For a Forged, ``chain`` defaults to its issuers without the self-signed root (nearest the
    leaf first); pass ``chain`` to send something else (``()`` sends the leaf alone).
    """
    if isinstance(value, Identity):
        if chain is None:
            return value
        return Identity(value.certificate, value.private_key, _certs(chain))
    if isinstance(value, Forged):
        if chain is None:
            path = value.path
            chain = path[1:-1] if len(path) > 1 else ()
        return Identity(value.certificate, value.private_key, _certs(chain))
    raise TypeError(f"an Identity or a Forged, not {type(value).__name__}")


def as_certificates(values: Iterable[x509.Certificate | Forged]) -> tuple[x509.Certificate, ...]:
    """Trust anchors given as certificates or Forged objects."""
    return _certs(values)


def _certs(values: Iterable[x509.Certificate | Forged]) -> tuple[x509.Certificate, ...]:
    out = []
    for v in values:
        if isinstance(v, Forged):
            out.append(v.certificate)
        elif isinstance(v, x509.Certificate):
            out.append(v)
        else:
            raise TypeError(f"a certificate or a Forged, not {type(v).__name__}")
    return tuple(out)


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def pem_bundle(certs: Iterable[x509.Certificate]) -> bytes:
    """PEM of ``certs`` concatenated (a trust store file)."""
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)
