"""Pass 2 of an inventory: link the certificates that issue others among themselves.

Few certificates in a pile issue others (those whose subject another certificate names as
issuer). :func:`_link_cas` loads only those, in the main process, checks which signs which
and gives each its path up (nearest issuer first, and whether it ends at a self-signed root),
so that a worker judging a chunk of leaves needs only the CA material of that chunk. Also the
small certificate helpers judging shares (:func:`_load`, :func:`_self_signed`,
:func:`_issuer_of`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from cryptography import x509

from certlib import chain as _chain
from certlib.inventory_store import _MEMORY, _DerStore, _Entry


def _load(der: bytes) -> tuple[x509.Certificate | None, list[str]]:
    caught: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as ws:
            warnings.simplefilter("always")
            cert = x509.load_der_x509_certificate(der)
        caught = [str(w.message).splitlines()[0] for w in ws]
        return cert, caught
    except Exception as exc:
        return None, [f"cannot load: {exc}"]


def _self_signed(cert: x509.Certificate) -> bool:
    """Signature verifies with its own key (names were compared by the caller)."""
    try:
        cert.verify_directly_issued_by(cert)
        return True
    except Exception:
        return False


def _issuer_of(
    cert: x509.Certificate, candidates: Sequence[x509.Certificate], der: bytes | None = None
):
    if not candidates:
        return None
    try:
        return _chain.find_issuer(cert, candidates, der=der)
    except Exception:
        return None


def _link_cas(
    entries: dict[str, _Entry],
    store: _DerStore = _MEMORY,
) -> tuple[dict[str, bytes], dict[str, tuple[tuple[str, ...], bool]], dict[bytes, list[str]]]:
    """CA candidates (subject named as issuer by another cert): their DER, their path up
    (issuer shas, nearest first; and whether it ends at a self-signed root), and the index
    issuer-name -> candidate shas."""
    issuer_names = {e.issuer for e in entries.values() if e.issuer is not None}
    by_subject: dict[bytes, list[str]] = {}
    for sha, e in entries.items():
        if e.subject is not None and e.subject in issuer_names:
            by_subject.setdefault(e.subject, []).append(sha)
    ca_shas = [s for shas in by_subject.values() for s in shas]
    certs: dict[str, x509.Certificate] = {}
    for sha in ca_shas:
        cert, _ = _load(store.get(entries[sha].der))
        if cert is not None:
            certs[sha] = cert
    sha_of = {id(c): s for s, c in certs.items()}
    parent: dict[str, str | None] = {}
    self_signed: set[str] = set()
    for sha, cert in certs.items():
        e = entries[sha]
        if e.subject == e.issuer and _self_signed(cert):
            self_signed.add(sha)
            parent[sha] = None
            continue
        cands = [certs[s] for s in by_subject.get(e.issuer, ()) if s != sha and s in certs]
        found = _issuer_of(cert, cands)
        parent[sha] = sha_of.get(id(found)) if found is not None else None
    paths: dict[str, tuple[tuple[str, ...], bool]] = {}
    for sha in certs:
        up: list[str] = []
        cur = parent.get(sha)
        while cur is not None and cur not in up and cur != sha and len(up) < 16:
            up.append(cur)
            cur = parent.get(cur)
        top = up[-1] if up else sha
        paths[sha] = (tuple(up), top in self_signed)
    ders = {s: store.get(entries[s].der) for s in certs}
    return ders, paths, by_subject
