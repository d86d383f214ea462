"""DER: one or more certificates, PKCS#7 SignedData bundles, and what is not a certificate.

``_read_der`` cuts concatenated DER elements apart; each element is read as a certificate, a
PKCS#7 bundle, a PKCS#12 file, or recognised as a CRL, CSR or key (a Problem or a key to
match), else judged damaged or merely not a certificate. PKCS#7 is here and not in a module of
its own because the two recurse into each other: a bundle cryptography refuses is cut apart by
hand and each of its certificates read as a DER element again. (``certlib.cert.der`` is the ASN.1
parser this builds on.)
"""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from certlib.cert import der as asn1
from certlib.sources.readers.context import (
    _capture,
    _Ctx,
    _load_cert,
    _private_key_spki,
    _short_error,
    _Via,
)
from certlib.sources.readers.pkcs12 import _read_pkcs12
from certlib.sources.readers.sniffing import _der_kind, _Sniffed

_PADDING = b" \t\r\n\x00"
_CERT_LABELS = frozenset({"CERTIFICATE", "X509 CERTIFICATE", "X.509 CERTIFICATE"})


def _read_der_file(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    _read_der(data, ctx, via)


def _read_der(
    data: bytes,
    ctx: _Ctx,
    via: _Via,
    cert_name: str = "der",
    p7_name: str = "pkcs7-der",
    label: str | None = None,
) -> None:
    """Read one or more concatenated DER elements; trailing whitespace is only a warning."""
    elements: list[bytes] = []
    pos, failure = 0, None
    while pos < len(data):
        if pos and data[pos] in _PADDING and not data[pos:].strip(_PADDING):
            via = via.note(f"trailing-data: {len(data) - pos} byte(s) of padding after the DER")
            break
        try:
            tlv = asn1.read_ber_tlv(data, pos)
        except asn1.DerError as exc:
            failure = exc
            break
        elements.append(data[tlv.start : tlv.end])
        pos = tlv.end
    for element in elements:
        _read_der_element(element, ctx, via, cert_name, p7_name, label)
    if failure is not None:
        _der_failure(failure, bool(elements), ctx, via, cert_name)


def _der_failure(exc: Exception, after: bool, ctx: _Ctx, via: _Via, own: str) -> None:
    lead = "bytes after the last DER element" if after else "DER"
    if isinstance(exc, asn1.DerTruncated):
        ctx.problem("truncated", f"{lead} cut short: {exc}", via, own)
    else:
        ctx.problem("corrupt", f"{lead} is not well-formed: {exc}", via, own)


def _read_der_element(
    elem: bytes, ctx: _Ctx, via: _Via, cert_name: str, p7_name: str, label: str | None
) -> None:
    kind = _der_kind(elem)
    if kind == "pkcs7-der":
        if label in _CERT_LABELS:
            via = via.note(
                "pkcs7-in-certificate-label: a PKCS#7 bundle was labelled CERTIFICATE "
                "(ADCS certnew.p7b); read as PKCS#7"
            )
        _read_pkcs7(elem, ctx, via, p7_name)
        return
    if kind == "pkcs12" and not _cert_shaped(elem):
        _read_pkcs12(elem, ctx, via)
        return
    notes, error = _load_cert(elem)
    if error is None:
        ctx.cert(elem, via, cert_name, notes=notes)
        return
    if _read_non_cert(elem, ctx, via, cert_name):
        return
    if _cert_shaped(elem):
        note = (
            "not-der: shaped like a certificate but cryptography cannot parse it "
            f"({_short_error(error)}); kept so it is counted, fields may be missing"
        )
        ctx.cert(elem, via, cert_name, notes=[*notes, note])
        return
    if _well_formed(elem):
        msg = "a DER structure that is not a certificate (nor a CRL, CSR, key, PKCS#7 or PKCS#12)"
        ctx.problem("not-a-certificate", msg, via, cert_name)
    else:
        ctx.problem("corrupt", f"damaged DER ({_short_error(error)})", via, cert_name)


def _read_non_cert(elem: bytes, ctx: _Ctx, via: _Via, own: str) -> bool:
    """Recognise CRLs, CSRs, public and private keys; True when one was reported."""
    for loader, what in (
        (x509.load_der_x509_crl, "a CRL (certificate revocation list)"),
        (x509.load_der_x509_csr, "a certificate signing request (CSR)"),
        (serialization.load_der_public_key, "a public key"),
    ):
        _, _, error = _capture(lambda loader=loader: loader(elem))
        if error is None:
            ctx.problem("not-a-certificate", f"{what}, not a certificate", via, own)
            return True
    spki, encrypted = _private_key_spki(
        lambda pw: serialization.load_der_private_key(elem, pw), ctx.all_passwords(via), None
    )
    if spki is None and not encrypted:
        return False
    ctx.key(spki, via, own, "an encrypted private key" if encrypted else "a private key")
    return True


def _cert_shaped(elem: bytes) -> bool:
    """Certificate ::= SEQUENCE { tbs SEQUENCE { [0]? INTEGER SEQUENCE Name Validity … } … }."""
    try:
        outer = asn1.read_ber_tlv(elem)
        parts = asn1.ber_children(elem, outer, limit=4)
        if len(parts) != 3 or parts[0].tag != asn1.SEQUENCE or parts[2].tag != asn1.BIT_STRING:
            return False
        tbs = asn1.ber_children(elem, parts[0], limit=12)
        if tbs and tbs[0].tag == 0xA0:
            tbs = tbs[1:]
        if len(tbs) < 6 or tbs[0].tag != asn1.INTEGER:
            return False
        if not all(t.tag == asn1.SEQUENCE for t in tbs[1:4]):
            return False
        validity = asn1.ber_children(elem, tbs[3], limit=3)
        times = (asn1.UTC_TIME, asn1.GENERALIZED_TIME)
        return len(validity) == 2 and all(v.tag in times for v in validity)
    except asn1.DerError:
        return False


def _well_formed(elem: bytes, depth: int = 0) -> bool:
    """Every constructed element parses into children (bounded walk)."""
    try:
        tlv = asn1.read_ber_tlv(elem)
        stack, seen = [(tlv, depth)], 0
        while stack:
            node, level = stack.pop()
            seen += 1
            if seen > 10_000 or level > asn1.MAX_DEPTH:
                return True
            if node.constructed:
                stack.extend((c, level + 1) for c in asn1.ber_children(elem, node, limit=10_000))
        return True
    except asn1.DerError:
        return False


def _read_pkcs7_file(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    _read_der(data, ctx, via)


def _read_pkcs7(elem: bytes, ctx: _Ctx, via: _Via, own: str) -> None:
    certs, notes, error = _capture(lambda: pkcs7.load_der_pkcs7_certificates(elem))
    if error is None:
        for cert in certs:
            der = cert.public_bytes(serialization.Encoding.DER)
            own_notes, _ = _load_cert(der)
            ctx.cert(der, via, own, notes=[*notes, *own_notes])
        return
    if "no certificate" in str(error):
        ctx.problem("empty", "PKCS#7 bundle holds no certificates", via, own)
        return
    _pkcs7_by_hand(elem, ctx, via, own, error)


def _pkcs7_by_hand(elem: bytes, ctx: _Ctx, via: _Via, own: str, error: Exception) -> None:
    """cryptography refused the bundle: cut the certificates out of SignedData ourselves, so one
    odd certificate does not lose the others."""
    try:
        ci = asn1.read_ber_tlv(elem)
        content = asn1.ber_children(elem, ci, limit=2)[1]  # [0] EXPLICIT content
        signed = asn1.ber_children(elem, content, limit=1)[0]
        certs = next(c for c in asn1.ber_children(elem, signed, limit=8) if c.tag == 0xA0)
        parts = asn1.ber_children(elem, certs, limit=100_000)
    except (asn1.DerError, IndexError, StopIteration) as exc:
        kind = "truncated" if isinstance(exc, asn1.DerTruncated) else "corrupt"
        msg = f"PKCS#7 bundle cannot be read ({_short_error(error)})"
        ctx.problem(kind, msg, via, own)
        return
    note = (
        f"pkcs7-by-hand: cryptography could not load the PKCS#7 ({_short_error(error)}); "
        "certificates were cut out of SignedData one by one"
    )
    inner = via.note(note)
    for part in parts:
        if part.tag == asn1.SEQUENCE:
            _read_der_element(elem[part.start : part.end], ctx, inner, own, own, None)
    if not parts:
        ctx.problem("empty", "PKCS#7 bundle holds no certificates", via, own)
