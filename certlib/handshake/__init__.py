"""Real TLS handshakes on loopback: OpenSSL (Python's ``ssl``) and Go (``crypto/tls``) ends.

A layer above ``profiles``/``cert`` and below the front ends: the widgets and notebooks show a
verdict beside what the libraries do with the same certificate in a live connection.
``handshake(...)`` runs one; :class:`Loopback` runs many with one Go helper process.
"""

from certlib.handshake.groups import RSA_KEY_TRANSPORT
from certlib.handshake.identity import Identity, as_identity
from certlib.handshake.result import HandshakeResult, SideResult
from certlib.handshake.run import Loopback, handshake

__all__ = [
    "RSA_KEY_TRANSPORT",
    "HandshakeResult",
    "Identity",
    "Loopback",
    "SideResult",
    "as_identity",
    "handshake",
]
