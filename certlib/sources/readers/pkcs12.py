"""PKCS#12 / PFX: the password ladder, and each certificate bag with whether a key came with it.

Every supplied password is tried, then the empty one, then none (an export "without a
password" may use either); a wrong password is a ``bad-password`` Problem, never an
exception, and the key itself is dropped. A file the password opens but whose certificate
cannot be parsed is ``corrupt``, not ``bad-password``: no other password would help.
"""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from certlib.cert import der as asn1
from certlib.sources.readers.context import _capture, _Ctx, _load_cert, _Via
from certlib.sources.readers.sniffing import _Sniffed


def _read_pkcs12_file(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    try:
        tlv = asn1.read_ber_tlv(data)
        elem = data[: tlv.end]
    except asn1.DerTruncated as exc:
        ctx.problem("truncated", f"PKCS#12 cut short: {exc}", via, "pkcs12")
        return
    except asn1.DerError:
        elem = data
    _read_pkcs12(elem, ctx, via)


def _read_pkcs12(data: bytes, ctx: _Ctx, via: _Via) -> None:
    """Password ladder: every supplied password, then empty, then none."""
    supplied = ctx.all_passwords(via)
    loaded, notes, last_error = None, [], None
    for password in [*supplied, b"", None]:
        loaded, notes, last_error = _capture(
            lambda password=password: pkcs12.load_pkcs12(data, password)
        )
        if last_error is None:
            break
        if "Could not deserialize" in str(last_error):
            _pkcs12_broken(data, ctx, via)
            return
        if not _wrong_password(last_error):
            # the password opened it (MAC and decryption passed) and then something inside
            # could not be parsed: a damaged content, not a password to look for
            msg = (
                "PKCS#12 opens with a password but its content cannot be parsed "
                f"({type(last_error).__name__}: {last_error})"
            )
            ctx.problem("corrupt", msg, via, "pkcs12")
            return
    if loaded is None:
        tried = len({p.rstrip(b"\r\n") for p in supplied})
        msg = (
            "wrong password or unsupported legacy encryption "
            f"(tried {tried} supplied password(s), empty and none)"
        )
        ctx.problem("bad-password", msg, via, "pkcs12")
        return
    _emit_pkcs12(loaded, notes, ctx, via)


def _wrong_password(error: BaseException) -> bool:
    """What cryptography says for a password that does not open the file (a MAC that fails or
    a decryption that gives garbage) or an encryption it cannot undo, as opposed to a content
    that fails to parse once opened."""
    if isinstance(error, UnsupportedAlgorithm):
        return True
    return "Invalid password or PKCS12 data" in str(error)


def _pkcs12_broken(data: bytes, ctx: _Ctx, via: _Via) -> None:
    try:
        asn1.read_ber_tlv(data)
    except asn1.DerTruncated:
        ctx.problem("truncated", "PKCS#12 cut short", via, "pkcs12")
        return
    except asn1.DerError:
        pass
    ctx.problem("corrupt", "PKCS#12 structure cannot be decoded", via, "pkcs12")


def _emit_pkcs12(loaded: Any, notes: list[str], ctx: _Ctx, via: _Via) -> None:
    has_key = loaded.key is not None
    bags = ([(loaded.cert, has_key)] if loaded.cert is not None else []) + [
        (c, False) for c in loaded.additional_certs
    ]
    for bag, keyed in bags:
        der = bag.certificate.public_bytes(serialization.Encoding.DER)
        name = bag.friendly_name.decode("utf-8", errors="replace") if bag.friendly_name else None
        own_notes, _ = _load_cert(der)
        ctx.cert(der, via, "pkcs12", alias=name, has_key=keyed, notes=[*notes, *own_notes])
    if not bags:
        extra = " (it holds only a private key)" if has_key else ""
        ctx.problem("empty", f"PKCS#12 holds no certificate{extra}", via, "pkcs12")
