"""The state of one read: what a reader found so far, and the helpers every reader shares.

:class:`_Ctx` (one file or zip member) collects certificates, problems and private keys in the
order found, then :meth:`_Ctx.finish` matches keys to certificates and turns the drafts into
:class:`~certlib.sources.readers.records.Found` / ``Problem`` records, scrubbing passwords out of
messages. :class:`_Via` is what the layers around the bytes say about them. Also here: password
candidates, cryptography warning capture (``_capture``) and short error texts, because every
reader needs them and none of them reads a format.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from certlib.sources.readers.records import Found, Problem, Provenance, Result, key_state

#: Fast paths for big inputs (clean PEM CERTIFICATE blocks, whole-text sniffing scans); each
#: gives exactly what the general code gives. Tests set it to False to compare the two.
_FAST_PATHS = True


@dataclass(frozen=True)
class _Via:
    """What the layers around the bytes being read say about them."""

    container: str | None = None  # an outer container that names everything inside (k8s, CSV)
    prefix: str = ""  # "base64-" when the bytes were base64 text
    alias: str | None = None
    has_key: bool | None = None  # what an outer layer says (a CSV's HasPrivateKey column)
    warnings: tuple[str, ...] = ()
    where: str = ""  # for messages: "PEM block 2 (CERTIFICATE, line 31)"
    depth: int = 0
    passwords: tuple[bytes, ...] = ()  # extra candidates (a Secret's sibling password key)

    def name(self, own: str) -> str:
        return self.container or self.prefix + own

    def inner(self, **changes: Any) -> _Via:
        return replace(self, depth=self.depth + 1, **changes)

    def note(self, *extra: str) -> _Via:
        return replace(self, warnings=self.warnings + tuple(extra))


#: A certificate found, until ``finish``: (der, container, alias, has_key, warnings, index).
#: A plain tuple (the only tuples in ``_Ctx.items``): a big bundle makes one per certificate, and
#: the garbage collector stops tracking a tuple of bytes/str/bool/int, so it costs no collections.
_Draft = tuple[bytes, str, str | None, bool | None, tuple[str, ...], int]


@dataclass
class _Key:
    """A private key seen in the file: only its public half is kept, to match certificates."""

    spki: bytes | None  # None when it could not be read (encrypted, no working password)
    container: str
    index: int
    what: str
    where: str
    matched: bool = False


@dataclass
class _Aside:
    """A block that accompanies keys (EC PARAMETERS): a problem only in a file of nothing else."""

    container: str
    index: int
    what: str


@dataclass
class _Budget:
    """Zip limits, shared by every archive inside one top-level input."""

    members: int = 0
    total: int = 0


@dataclass
class _Ctx:
    """One file (or zip member): collects what its readers find, in order.

    ``dispatch`` is ``certlib.sources._dispatch``: readers that find bytes inside bytes (base64,
    CSV cells, document values, zip members) hand them on with ``ctx.dispatch(data, ctx, via)``
    instead of importing the module that imports them (``certlib/sources/readers/__init__.py``)."""

    path: str
    passwords: tuple[bytes, ...]
    dispatch: Callable[[bytes, _Ctx, _Via], None] = field(repr=False)
    budget: _Budget = field(default_factory=_Budget)
    zip_depth: int = 0
    items: list[Any] = field(default_factory=list)
    secrets: set[str] = field(default_factory=set)
    _next: int = 0

    def next_index(self) -> int:
        self._next += 1
        return self._next - 1

    def all_passwords(self, via: _Via) -> tuple[bytes, ...]:
        return _unique(self.passwords + via.passwords)

    def cert(
        self,
        der: bytes,
        via: _Via,
        own: str,
        *,
        alias: str | None = None,
        has_key: bool | None = None,
        notes: Sequence[str] = (),
    ) -> None:
        draft: _Draft = (
            bytes(der),
            via.name(own),
            _join_alias(via.alias, alias),
            key_state(via.has_key, has_key),
            (*via.warnings, *notes),
            self.next_index(),
        )
        self.items.append(draft)

    def problem(
        self, kind: str, message: str, via: _Via, own: str, *, indexed: bool = True
    ) -> None:
        where = f"{via.where}: " if via.where else ""
        self.items.append(
            Problem(
                path=self.path,
                container=via.name(own),
                index=self.next_index() if indexed else None,
                kind=kind,
                message=where + message,
            )
        )

    def key(self, spki: bytes | None, via: _Via, own: str, what: str) -> None:
        self.items.append(_Key(spki, via.name(own), self.next_index(), what, via.where))

    def aside(self, via: _Via, own: str, what: str) -> None:
        self.items.append(_Aside(via.name(own), self.next_index(), what))

    def finish(self) -> list[Result]:
        """Match keys to certificates, then turn drafts into records."""
        items = self.items
        if _FAST_PATHS and items and all(type(i) is tuple for i in items):
            return self._finish_certs()
        drafts: list[_Draft] = [i for i in self.items if type(i) is tuple]
        keys = [i for i in self.items if isinstance(i, _Key)]
        keyed = _match_keys(drafts, keys) if any(k.spki for k in keys) else set()
        unread = [k for k in keys if k.spki is None]
        extra: tuple[str, ...] = ()
        if unread and drafts:
            extra = (
                f"unmatched-key: the file also holds {len(unread)} private key(s) that could "
                "not be read (encrypted, no working password), so has_private_key is unknown",
            )
        lonely = not drafts and not any(isinstance(i, (Problem, Found, _Key)) for i in self.items)
        # a file that carries readable keys says "no key" of the certificates none of them fits
        unmatched: bool | None = False if keys and not unread else None
        out: list[Result] = []
        path, has_certs = self.path, bool(drafts)
        for item in self.items:
            if type(item) is tuple:  # a _Draft
                der, container, alias, has_key, notes, index = item
                if extra:
                    notes = (*notes, *extra)
                said = True if index in keyed else unmatched
                prov = Provenance(path, container, index, alias, key_state(has_key, said))
                out.append(Found(der, prov, tuple(dict.fromkeys(notes)) if notes else ()))
            else:
                out.extend(self._finish_item(item, has_certs, lonely))
        if not out:
            out.append(
                Problem(self.path, None, None, "empty", "no certificate or other item found")
            )
        secrets = self._secrets()
        return [self._scrub(r, secrets) if secrets or isinstance(r, Problem) else r for r in out]

    def _finish_certs(self) -> list[Result]:
        """``finish`` when every item is a certificate (one-certificate files, bundles): no
        keys to match, no "unmatched-key" note, nothing said about keys; the same records."""
        path = self.path
        out: list[Result] = [
            Found(
                der,
                Provenance(path, container, index, alias, key_state(has_key, None)),
                tuple(dict.fromkeys(notes)) if notes else (),
            )
            for der, container, alias, has_key, notes, index in self.items
        ]
        secrets = self._secrets()
        return [self._scrub(r, secrets) for r in out] if secrets else out

    def _finish_item(self, item: Any, has_certs: bool, lonely: bool) -> list[Result]:
        if isinstance(item, _Key):
            return self._key_problem(item, has_certs)
        if isinstance(item, _Aside):
            if not lonely:
                return []
            msg = f"{item.what}, not a certificate"
            return [Problem(self.path, item.container, item.index, "not-a-certificate", msg)]
        return [item]

    def _key_problem(self, key: _Key, has_certs: bool) -> list[Result]:
        if key.matched or (key.spki is None and has_certs):
            return []
        where = f"{key.where}: " if key.where else ""
        if has_certs:
            msg = f"{key.what} that matches none of the certificates in this file"
        else:
            msg = f"{key.what} with no certificate beside it: not a certificate"
        return [Problem(self.path, key.container, key.index, "not-a-certificate", where + msg)]

    def _secrets(self) -> set[str]:
        secrets = self.secrets | {_text(p) for p in self.passwords}
        return {s for s in secrets if len(s) >= 3}

    def _scrub(self, result: Result, secrets: set[str] | None = None) -> Result:
        """Belt and braces: no password and no long base64/hex run may leave in a message."""
        if secrets is None:
            secrets = self._secrets()
        if isinstance(result, Problem):
            msg = _LONG_RUN.sub("[…]", result.message)
            for secret in secrets:
                msg = msg.replace(secret, "***")
            return replace(result, message=msg)
        if secrets and any(s in w for w in result.warnings for s in secrets):
            clean = []
            for w in result.warnings:
                for secret in secrets:
                    w = w.replace(secret, "***")
                clean.append(w)
            return replace(result, warnings=tuple(clean))
        return result


_LONG_RUN = re.compile(r"[A-Za-z0-9+/=]{40,}")


def _match_keys(drafts: list[_Draft], keys: list[_Key]) -> set[int]:
    """Mark the keys that match a certificate; return the indexes of those certificates."""
    spkis = [(d[5], _cert_spki(d[0])) for d in drafts]
    keyed: set[int] = set()
    for key in keys:
        if key.spki is None:
            continue
        for index, spki in spkis:
            if spki == key.spki:
                keyed.add(index)
                key.matched = True
    return keyed


def _cert_spki(der: bytes) -> bytes | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            public = x509.load_der_x509_certificate(der).public_key()
        return public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    except Exception:
        return None


def _join_alias(outer: str | None, inner: str | None) -> str | None:
    if outer and inner and outer != inner:
        return f"{outer}/{inner}"
    return inner or outer or None


def _unique(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(items))


def _text(value: bytes) -> str:
    return value.decode("utf-8", errors="replace")


def _as_bytes(password: bytes | str | Any) -> bytes:
    if isinstance(password, bytes | bytearray | memoryview):
        return bytes(password)
    return str(password).encode("utf-8")


def _password_candidates(passwords: Iterable[bytes | str]) -> tuple[bytes, ...]:
    """Each password as given, then without trailing CR/LF: a password file saved by an editor
    ends in a newline, but spaces may be part of the password, so they are never stripped."""
    out: list[bytes] = []
    for p in passwords:
        raw = _as_bytes(p)
        out.extend([raw, raw.rstrip(b"\r\n")])
    return _unique(out)


def _capture(fn: Callable[[], Any]) -> tuple[Any, list[str], Exception | None]:
    """Run a cryptography loader; return (result, warning notes, exception)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result, error = fn(), None
        except Exception as exc:
            result, error = None, exc
    notes = [_warning_note(w) for w in caught if issubclass(w.category, UserWarning)]
    return result, list(dict.fromkeys(notes)), error


_BER_KIND = re.compile(r"kind: (\w+)")


def _warning_note(w: warnings.WarningMessage) -> str:
    text = str(w.message)
    if "falling back to parsing as BER" in text:
        kind = _BER_KIND.search(text)
        detail = f" ({kind.group(1)})" if kind else ""
        return (
            "ber-fallback: not valid DER, cryptography fell back to BER parsing"
            f"{detail}; a future cryptography may refuse it"
        )
    if "serial number which wasn't positive" in text:
        return (
            "nonpositive-serial: negative or zero serial number (RFC 5280 forbids it; Go ≥1.23 "
            "rejects it, cryptography warns)"
        )
    return f"cryptography: {' '.join(text.split())[:300]}"


def _load_cert(der: bytes) -> tuple[list[str], Exception | None]:
    _, notes, error = _capture(lambda: x509.load_der_x509_certificate(der))
    return notes, error


def _short_error(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


def _private_key_spki(
    load: Callable[[bytes | None], Any], passwords: Sequence[bytes], encrypted: bool | None
) -> tuple[bytes | None, bool]:
    """(SPKI of the key or None, whether it is encrypted). The key object is dropped at once."""
    attempts: list[bytes | None] = [None] if not encrypted else []
    attempts += list(passwords)
    is_encrypted = bool(encrypted)
    for password in attempts:
        key, _, error = _capture(lambda password=password: load(password))
        if error is None and key is not None:
            try:
                public = key.public_key()
            except Exception:
                return None, is_encrypted
            return (
                public.public_bytes(
                    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
                ),
                is_encrypted,
            )
        if isinstance(error, TypeError) and password is None:
            is_encrypted = True  # "Password was not given but private key is encrypted"
        elif password is None:
            return None, False  # not a key at all
    return None, is_encrypted
