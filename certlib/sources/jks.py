"""Reader for Java ``JKS`` / ``JCEKS`` keystores, certificates only, no password needed.

A JKS keeps certificates in clear; only private keys are encrypted and the trailing SHA-1 is
keyed with the store password (layout from pyjks and the enix exporter). So an
inventory can list trusted certificates and key-entry chains without the password, and check
the integrity digest only when a candidate password is at hand. Keys are never decrypted.

JCEKS secret-key entries (tag 3) are Java-serialized objects that cannot be skipped without a
Java deserializer, so reading stops there and says so.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["JCEKS_MAGIC", "JKS_MAGIC", "JksCert", "JksStore", "parse_jks"]

JKS_MAGIC = b"\xfe\xed\xfe\xed"
JCEKS_MAGIC = b"\xce\xce\xce\xce"
_WHITENER = b"Mighty Aphrodite"  # the fixed salt of the keystore integrity digest
_MAX_ENTRIES = 100_000

TAG_PRIVATE_KEY = 1
TAG_TRUSTED_CERT = 2
TAG_SECRET_KEY = 3


@dataclass(frozen=True)
class JksCert:
    der: bytes
    alias: str
    entry_index: int
    chain_position: int  # 0 for a trusted cert or the leaf of a key entry
    key_entry: bool  # part of a PrivateKeyEntry chain
    cert_type: str

    @property
    def has_private_key(self) -> bool:
        return self.key_entry and self.chain_position == 0


@dataclass
class JksStore:
    kind: str  # "jks" or "jceks"
    version: int = 0
    certs: list[JksCert] = field(default_factory=list)
    error: str | None = None
    truncated: bool = False
    unsupported: str | None = None  # why reading stopped at an entry it cannot skip
    integrity: bool | None = None  # True/False when checked, None when no password was tried


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise EOFError(
                f"needs {n} bytes at offset {self.pos}, {len(self.data) - self.pos} remain"
            )
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def u16(self) -> int:
        return struct.unpack(">H", self.take(2))[0]

    def u32(self) -> int:
        return struct.unpack(">I", self.take(4))[0]

    def utf(self) -> str:
        """Java ``DataInput.readUTF``: modified UTF-8 with a 16-bit length."""
        return self.take(self.u16()).decode("utf-8", errors="replace")


def _integrity(data: bytes, passwords: Sequence[str]) -> bool | None:
    """True when a candidate password's keyed SHA-1 matches the trailer."""
    if len(data) < 20 or not passwords:
        return None
    body, digest = data[:-20], data[-20:]
    for password in passwords:
        mac = hashlib.sha1(password.encode("utf-16-be") + _WHITENER + body).digest()
        if mac == digest:
            return True
    return False


def _read_cert(cur: _Cursor, version: int) -> tuple[str, bytes]:
    cert_type = cur.utf() if version == 2 else "X.509"
    return cert_type, cur.take(cur.u32())


def _read_entries(cur: _Cursor, store: JksStore, count: int) -> None:
    for index in range(min(count, _MAX_ENTRIES)):
        tag = cur.u32()
        alias = cur.utf()
        cur.take(8)  # creation time, ms since the epoch
        if tag == TAG_TRUSTED_CERT:
            ctype, der = _read_cert(cur, store.version)
            store.certs.append(JksCert(der, alias, index, 0, False, ctype))
        elif tag == TAG_PRIVATE_KEY:
            cur.take(cur.u32())  # the encrypted key: skipped, never decoded
            for position in range(cur.u32()):
                ctype, der = _read_cert(cur, store.version)
                store.certs.append(JksCert(der, alias, index, position, True, ctype))
        elif tag == TAG_SECRET_KEY:
            store.unsupported = (
                f"entry {index} ({alias!r}) is a JCEKS secret key, a Java-serialized object "
                "that cannot be skipped; later entries were not read"
            )
            return
        else:
            store.error = f"entry {index} has unknown tag {tag}; later entries were not read"
            return


def parse_jks(data: bytes, passwords: Sequence[str] = ()) -> JksStore:
    """Read every certificate; never raises for bad input, reports it on the result."""
    kind = "jceks" if data.startswith(JCEKS_MAGIC) else "jks"
    store = JksStore(kind)
    cur = _Cursor(data)
    try:
        if cur.take(4) not in (JKS_MAGIC, JCEKS_MAGIC):
            store.error = "missing the keystore magic FEEDFEED / CECECECE"
            return store
        store.version = cur.u32()
        if store.version not in (1, 2):
            store.error = f"unknown keystore version {store.version}"
            return store
        _read_entries(cur, store, cur.u32())
        if store.unsupported is None and store.error is None:
            cur.take(20)  # the keyed SHA-1 trailer must be there
    except EOFError as exc:
        store.truncated = True
        store.error = f"keystore ends early: {exc}"
        return store
    if store.unsupported is None and store.error is None:
        store.integrity = _integrity(data, passwords)
    return store
