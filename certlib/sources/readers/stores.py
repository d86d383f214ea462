"""Windows serialized stores (SST) and Java keystores (JKS, JCEKS) as certificates.

``certlib.sources.sst`` and ``certlib.sources.jks`` parse the containers; this turns their entries
into certificates (read as DER), with the store's friendly name / alias, key flag and store-level
oddities as warnings, and non-certificate entries as Problems.
"""

from __future__ import annotations

from dataclasses import replace

from certlib.core.oids import eku
from certlib.sources.jks import parse_jks
from certlib.sources.readers.binary import _read_der
from certlib.sources.readers.context import _Ctx, _join_alias, _text, _Via
from certlib.sources.readers.records import key_state
from certlib.sources.readers.sniffing import _Sniffed
from certlib.sources.sst import CONTEXT_NAMES, parse_sst


def _read_sst(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    store = parse_sst(data)
    for cert in store.certs:
        notes: list[str] = []
        if cert.sha1_mismatch:
            notes.append(
                "sst-sha1-mismatch: the store's SHA-1 property does not match the certificate "
                "bytes (edited or damaged store)"
            )
        if cert.eku_restriction is not None:
            names = ", ".join(eku(o).short_name for o in cert.eku_restriction) or "no purpose"
            notes.append(f"store-eku-restriction: the store enables only: {names}")
        if cert.archived:
            notes.append("archived: the store marks this certificate archived")
        inner = replace(
            via,
            alias=_join_alias(via.alias, cert.friendly_name),
            has_key=key_state(via.has_key, cert.has_private_key),
            where=f"store element {cert.element_index}",
        ).note(*notes)
        _read_der(cert.der, ctx, inner, cert_name="sst", p7_name="sst")
    for other in store.others:
        what = CONTEXT_NAMES.get(other.prop_id, f"element {other.prop_id}")
        msg = f"a {what} stored in the serialized store, not a certificate"
        ctx.problem("not-a-certificate", msg, replace(via, where=""), "sst")
    if store.error:
        kind = "truncated" if store.truncated else "corrupt"
        ctx.problem(kind, store.error, via, "sst")


def _read_jks(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    candidates = [_text(p) for p in ctx.all_passwords(via)] + ["changeit", ""]
    store = parse_jks(data, list(dict.fromkeys(candidates)))
    own = store.kind
    notes: list[str] = []
    if store.integrity is False:
        notes.append(
            "keystore-unverified: the keystore digest matched none of the passwords tried; "
            "certificates are stored in clear and were read anyway"
        )
    for cert in store.certs:
        inner = replace(
            via,
            alias=_join_alias(via.alias, cert.alias),
            has_key=key_state(via.has_key, cert.has_private_key),
            where=f"keystore entry {cert.entry_index} ({cert.alias})",
        ).note(*notes)
        if cert.cert_type != "X.509":
            ctx.problem("unsupported", f"{cert.cert_type} certificate entry", inner, own)
            continue
        _read_der(cert.der, ctx, inner, cert_name=own, p7_name=own)
    if store.unsupported:
        ctx.problem("unsupported", store.unsupported, via, own)
    if store.error:
        ctx.problem("truncated" if store.truncated else "corrupt", store.error, via, own)
    if not store.certs and not store.error and not store.unsupported:
        ctx.problem("empty", f"the {own.upper()} keystore has no certificate entry", via, own)
