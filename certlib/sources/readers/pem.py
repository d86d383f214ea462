"""PEM text (RFC 7468), block by block, so that one bad block does not hide the others.

Besides CERTIFICATE blocks it reads PKCS#7 blocks, private keys (only to learn their public half),
OpenSSL ``TRUSTED CERTIFICATE`` trust data, Bag Attributes / keytool aliases and PEM whose
newlines are JSON ``\\n`` escapes. ``_read_pem_run`` is the fast path for long runs of clean
CERTIFICATE blocks; it records exactly what the general code records (``context._FAST_PATHS``).
"""

from __future__ import annotations

import base64
import binascii
import re
import warnings
from dataclasses import replace
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from certlib.cert import der as asn1
from certlib.core.oids import eku
from certlib.sources.readers import context
from certlib.sources.readers.binary import _CERT_LABELS, _der_failure, _read_der
from certlib.sources.readers.context import (
    _Ctx,
    _join_alias,
    _private_key_spki,
    _short_error,
    _Via,
    _warning_note,
)
from certlib.sources.readers.sniffing import (
    _PEM_BEGIN,
    _PKCS7_LABELS,
    _has_escaped_pem,
    _read_unknown,
    _Sniffed,
)

_KEY_ASIDE_LABELS = frozenset({"EC PARAMETERS", "DH PARAMETERS", "DSA PARAMETERS"})
_NOT_CERT_LABELS = {
    "X509 CRL": "a CRL (certificate revocation list)",
    "CERTIFICATE REQUEST": "a certificate signing request (CSR)",
    "NEW CERTIFICATE REQUEST": "a certificate signing request (CSR)",
    "PUBLIC KEY": "a public key",
    "RSA PUBLIC KEY": "a public key",
    "SSH2 PUBLIC KEY": "a public key",
    "PKCS7 SIGNATURE": "a detached signature",
    "CMS SIGNATURE": "a detached signature",
}
_PROC_TYPE_ENCRYPTED = re.compile(r"^\s*Proc-Type:\s*4\s*,\s*ENCRYPTED", re.MULTILINE)
_FRIENDLY = re.compile(r"^\s*(?:friendlyName|Alias name)\s*:\s*(.+?)\s*$", re.MULTILINE)
_JSON_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|r\\n|[rn/\\\"])")


def _unescape_json(text: str) -> str:
    def sub(m: re.Match[str]) -> str:
        token = m.group(1)
        if token.startswith("u"):
            return chr(int(token[1:], 16))
        return {"r\\n": "\n", "r": "\n", "n": "\n", "/": "/", "\\": "\\", '"': '"'}[token]

    return _JSON_ESCAPE.sub(sub, text)


def _read_pem_file(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    _read_pem(sniffed.text or "", ctx, via)


def _read_pem(text: str, ctx: _Ctx, via: _Via) -> None:
    """Split on BEGIN/END ourselves: one bad block must not hide the others (cryptography's
    plural loader fails the whole file on one)."""
    own = "pem"
    if _has_escaped_pem(text):
        text, own = _unescape_json(text), "json-escaped-pem"
        via = via.note("json-escaped: literal \\n escapes in the PEM were turned into newlines")
    pos, number, line, counted = 0, 0, 1, 0
    while True:
        if context._FAST_PATHS:
            # clean CERTIFICATE blocks from pos on; it stops before the first block that needs
            # the general code below. Line numbers are counted lazily (only problems use them).
            pos, number = _read_pem_run(text, pos, number, ctx, via, own)
        begin = _PEM_BEGIN.search(text, pos)
        if begin is None:
            break
        number += 1
        label = begin.group(1)
        line += text.count("\n", counted, begin.start())  # incremental: big bundles stay linear
        counted = begin.start()
        where = f"PEM block {number} ({label}, line {line})"
        end_marker = f"-----END {label}-----"
        end = text.find(end_marker, begin.end())
        following = _PEM_BEGIN.search(text, begin.end())
        if end < 0 or (following is not None and following.start() < end):
            msg = f"no matching -----END {label}----- line: the block is cut short"
            ctx.problem("truncated", msg, replace(via, where=where), own)
            pos = begin.end()
            continue
        alias = _preamble_alias(text[pos : begin.start()])
        block = text[begin.start() : end + len(end_marker)]
        block_via = replace(via, where=where, alias=_join_alias(via.alias, alias))
        _read_pem_block(label, text[begin.end() : end], block, ctx, block_via, own)
        pos = end + len(end_marker)
    if number == 0:
        _read_unknown(b"", _Sniffed("text"), ctx, via)


_CERT_BEGIN = "-----BEGIN CERTIFICATE-----"
_CERT_END = "-----END CERTIFICATE-----"


def _read_pem_run(
    text: str, pos: int, number: int, ctx: _Ctx, via: _Via, own: str
) -> tuple[int, int]:
    """The fast path of ``_read_pem``: read the CERTIFICATE blocks from ``pos`` on as long as
    each is plain base64 holding one DER SEQUENCE that cryptography loads, recording exactly the
    ``_Draft`` the general code records. Return (pos, number) after the last block read.

    A block is left to the general code (without recording anything for it) when its BEGIN line
    is not the next one, it has no END line, its body holds anything but base64 and line breaks
    (headers, spaces, '-', another BEGIN), the strict base64 decoding fails, the DER is not a
    single definite-length SEQUENCE whose contents start with a SEQUENCE (so not PKCS#7, not
    PKCS#12, no trailing bytes) or cryptography refuses it.

    Warnings are captured as ``_capture`` does, but with one ``catch_warnings`` around the whole
    run instead of one per certificate (entering it costs as much as loading a certificate);
    ``caught`` is emptied after each certificate, so each gets only its own load's warnings."""
    begin_len, end_len = len(_CERT_BEGIN), len(_CERT_END)
    container = via.name(own)
    base = via.warnings
    crlf_base = (*base, "crlf: PEM block has CRLF line endings")
    outer_alias, has_key = via.alias, via.has_key
    items, load = ctx.items, x509.load_der_x509_certificate
    a2b, from_bytes = binascii.a2b_base64, int.from_bytes
    catcher: Any = None
    caught: list[warnings.WarningMessage] = []
    try:
        while True:
            start = text.find("-----BEGIN ", pos)
            if start < 0 or not text.startswith(_CERT_BEGIN, start):
                break
            body_start = start + begin_len
            end = text.find("-", body_start)  # a clean body has no "-": this is its END line
            if end < 0 or not text.startswith(_CERT_END, end):
                break
            compact = text[body_start:end].replace("\n", "")
            crlf = "\r" in compact
            if crlf:
                compact = compact.replace("\r", "")
            try:
                der = a2b(compact, strict_mode=True)  # = base64.b64decode(validate=True)
            except (binascii.Error, ValueError):
                break
            size = len(der)
            if size < 4 or der[0] != 0x30:
                break
            first = der[1]
            if first < 0x80:
                head, length = 2, first
            elif 0x81 <= first <= 0x84:
                head = 2 + (first & 0x7F)
                length = from_bytes(der[2:head], "big")
            else:
                break
            if head + length != size or head >= size or der[head] != 0x30:
                break
            if catcher is None:
                catcher = warnings.catch_warnings(record=True)
                caught = catcher.__enter__()
                warnings.simplefilter("always")
            try:
                load(der)
            except Exception:
                break  # the general code reloads it (and records its warnings itself)
            marks = crlf_base if crlf else base
            if caught:  # emptied after each certificate: these are this load's warnings
                new = [w for w in caught if issubclass(w.category, UserWarning)]
                marks = (*marks, *dict.fromkeys(_warning_note(w) for w in new))
                del caught[:]
            alias = outer_alias
            if text.find(":", pos, start) >= 0:
                alias = _join_alias(alias, _preamble_alias(text[pos:start]))
            items.append((der, container, alias or None, has_key, marks, ctx.next_index()))
            number += 1
            pos = end + end_len
    finally:
        if catcher is not None:
            catcher.__exit__(None, None, None)
    return pos, number


def _preamble_alias(preamble: str) -> str | None:
    """``friendlyName:`` from OpenSSL "Bag Attributes", ``Alias name:`` from keytool -rfc."""
    names = _FRIENDLY.findall(preamble)
    return names[-1] if names else None


def _pem_body(body: str) -> bytes:
    """Base64 body of a block, RFC 1421 headers (Proc-Type, DEK-Info) dropped."""
    lines = [ln.strip() for ln in body.strip().splitlines()]
    if lines and ":" in lines[0]:
        while lines and lines[0]:
            lines.pop(0)
    compact = "".join("".join(lines).split())
    return base64.b64decode(compact, validate=True)


def _read_pem_block(label: str, body: str, block: str, ctx: _Ctx, via: _Via, own: str) -> None:
    if "\r" in body:
        via = via.note("crlf: PEM block has CRLF line endings")
    if "PRIVATE KEY" in label:
        _read_pem_key(label, block, ctx, via, own)
        return
    if label in _KEY_ASIDE_LABELS:
        ctx.aside(via, own, f"{label.lower()} (key parameters)")
        return
    if label in _NOT_CERT_LABELS:
        ctx.problem("not-a-certificate", f"{_NOT_CERT_LABELS[label]}, not a certificate", via, own)
        return
    try:
        der = _pem_body(body)
    except (binascii.Error, ValueError) as exc:
        ctx.problem("corrupt", f"base64 body is damaged ({_short_error(exc)})", via, own)
        return
    if not der:
        ctx.problem("empty", "PEM block has an empty body", via, own)
        return
    if label == "TRUSTED CERTIFICATE":
        _read_trusted(der, ctx, via, own)
        return
    if label not in _CERT_LABELS and label not in _PKCS7_LABELS:
        via = via.note(f"pem-label: unusual PEM label {label!r}, body read as DER")
    _read_der(der, ctx, via, cert_name=own, p7_name="pkcs7-pem", label=label)


def _read_pem_key(label: str, block: str, ctx: _Ctx, via: _Via, own: str) -> None:
    """Learn the key's public half (to set has_private_key); the key itself is dropped."""
    raw = block.encode("ascii", errors="replace")
    if label == "OPENSSH PRIVATE KEY":

        def load(pw: bytes | None) -> Any:
            return serialization.load_ssh_private_key(raw, pw)
    else:

        def load(pw: bytes | None) -> Any:
            return serialization.load_pem_private_key(raw, pw)

    encrypted = label == "ENCRYPTED PRIVATE KEY" or bool(_PROC_TYPE_ENCRYPTED.search(block))
    spki, encrypted = _private_key_spki(load, ctx.all_passwords(via), encrypted or None)
    what = "an encrypted private key" if encrypted else "a private key"
    ctx.key(spki, via, own, f"{what} ({label})")


def _read_trusted(der: bytes, ctx: _Ctx, via: _Via, own: str) -> None:
    """OpenSSL ``TRUSTED CERTIFICATE``: a certificate followed by X509_CERT_AUX trust data."""
    try:
        first = asn1.read_ber_tlv(der)
    except asn1.DerError as exc:
        _der_failure(exc, False, ctx, via, own)
        return
    cert, aux = der[: first.end], der[first.end :]
    alias, notes = _trust_aux(aux)
    notes.insert(0, f"openssl-aux: {len(aux)} byte(s) of OpenSSL trust data after the certificate")
    _read_der(cert, ctx, replace(via, alias=_join_alias(via.alias, alias)).note(*notes), own)


def _trust_aux(aux: bytes) -> tuple[str | None, list[str]]:
    """X509_CERT_AUX ::= SEQUENCE { trust SEQUENCE OF OID OPTIONAL, reject [0] …, alias
    UTF8String OPTIONAL, … }: the trust settings say which purposes OpenSSL trusts it for."""
    alias, notes = None, []
    try:
        seq = asn1.read_ber_tlv(aux)
        for part in asn1.ber_children(aux, seq, limit=8):
            value = aux[part.value_start : part.value_end]
            if part.tag in (asn1.SEQUENCE, 0xA0):
                oids = _oid_list(aux, part)
                names = ", ".join(eku(o).short_name for o in oids) or "nothing"
                key = "openssl-trust" if part.tag == asn1.SEQUENCE else "openssl-reject"
                verb = "trusted for" if part.tag == asn1.SEQUENCE else "rejected for"
                notes.append(f"{key}: OpenSSL trust settings mark it {verb} {names}")
            elif part.tag == asn1.UTF8_STRING:
                alias = value.decode("utf-8", errors="replace") or None
    except (asn1.DerError, IndexError):
        notes.append("openssl-aux: trust data after the certificate could not be decoded")
    return alias, notes


def _oid_list(data: bytes, tlv: asn1.Tlv) -> list[str]:
    return [
        asn1.oid_text(data[c.value_start : c.value_end])
        for c in asn1.ber_children(data, tlv, limit=64)
        if c.tag == asn1.OID
    ]
