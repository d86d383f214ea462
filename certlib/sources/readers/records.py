"""The public records every reader produces: :class:`Found`, :class:`Problem`, :class:`Provenance`.

They sit below all the readers (``certlib.sources`` re-exports them) so that a reader can build
them without importing the facade that imports it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Provenance:
    """Where one certificate was found."""

    path: str  # as given/found; inside zips "a.zip!dir/f.pem" (nested: a.zip!b.zip!c.pem)
    container: str  # a CONTAINERS key
    index: int  # position inside the file (0-based, order found)
    alias: str | None  # friendly name, keystore alias, CSV FriendlyName, k8s key ("tls.crt")
    # A key for this certificate came with it (True), the container could carry one and did not
    # (False: PKCS#12, JKS, SST, a PowerShell CSV's HasPrivateKey, a PEM file with other keys),
    # or the format cannot say (None: DER, PEM, PKCS#7). Never the key itself.
    has_private_key: bool | None = None


@dataclass(frozen=True)
class Found:
    """One certificate: its exact DER bytes and where they came from."""

    der: bytes
    provenance: Provenance
    warnings: tuple[str, ...] = ()  # "code: text", e.g. "ber-fallback: …"


@dataclass(frozen=True)
class Problem:
    """Something that is not, or could not be read as, a certificate."""

    path: str
    container: str | None
    index: int | None  # None when the problem is about the whole file
    kind: str  # a PROBLEM_KINDS value
    message: str  # human text; never holds a password or key bytes


Result = Found | Problem


def key_state(*says: bool | None) -> bool | None:
    """One has_private_key from several sayings: a key anywhere wins, then a "no", else unknown."""
    if True in says:
        return True
    return False if False in says else None
