"""Pass 2 of an inventory: link the certificates that issue others among themselves.

Few certificates in a pile issue others (those whose subject another certificate names as
issuer). :func:`_link_cas` loads only those, in the main process, checks which signs which
and gives each its path up (nearest issuer first, and whether it ends at a self-signed root),
so that a worker judging a chunk of leaves needs only the CA material of that chunk, and
which of them issued anything here (``ca-as-leaf``, the same for a streamed scan). Also the
issuer choice judging shares (:func:`_pick_issuer`). Loading and "self-signed" are the cert
layer's (:func:`certlib.cert.load.load_certificate`, :func:`certlib.cert.keys.self_signed`).
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptography import x509

from certlib.cert import chain as _chain
from certlib.cert.facts import facts
from certlib.cert.findings import ca_leaf_candidate
from certlib.cert.keys import self_signed as is_self_signed
from certlib.cert.load import load_certificate
from certlib.core.memo import Memo
from certlib.inventory.records import Links, PathUp
from certlib.inventory.store import _MEMORY, Entry, _DerStore


def _usable(cert: x509.Certificate, memo: Memo | None) -> bool:
    """Whether a loaded candidate issuer can take part in linking at all (its names and key
    identifiers read); one that cannot is skipped, not allowed to spoil the others."""
    try:
        facts(cert, memo=memo)
        return True
    except Exception:
        return False


def issuer_of(
    cert: x509.Certificate,
    candidates: Sequence[x509.Certificate],
    der: bytes | None = None,
    memo: Memo | None = None,
    checked: bool = False,
):
    """The candidate whose key verifies ``cert`` (None if none does); an unusable candidate
    (see :func:`_usable`) is skipped rather than ending the search (``checked``: the caller
    kept only usable ones already)."""
    usable = list(candidates) if checked else [c for c in candidates if _usable(c, memo)]
    if not usable:
        return None
    try:
        return _chain.find_issuer(cert, usable, der=der, memo=memo)
    except Exception:
        return None


def _pick_issuer(
    cert: x509.Certificate,
    cands: dict[str, x509.Certificate | None],
    der: bytes | None = None,
    memo: Memo | None = None,
) -> tuple[str | None, bool]:
    """(sha of the candidate that issued ``cert`` or None, whether some candidate was skipped
    as unusable: not loadable, or its names unreadable). The second is what the
    ``issuer-unusable`` finding reports when no usable candidate verifies."""
    usable = {s: c for s, c in cands.items() if c is not None and _usable(c, memo)}
    skipped = len(usable) < len(cands)
    found = issuer_of(cert, list(usable.values()), der, memo, checked=True)
    if found is None:
        return None, skipped
    return next(s for s, c in usable.items() if c is found), skipped


def signed_by(child: x509.Certificate, parent: x509.Certificate, memo: Memo) -> bool:
    try:
        return _chain.is_issuer_candidate(child, parent, memo=memo) and (
            _chain.link_error(child, parent, memo=memo) is None
        )
    except Exception:
        return False


def _issuers(
    entries: dict[str, Entry], certs: dict[str, x509.Certificate], store: _DerStore, memo: Memo
) -> set[str]:
    """Of the loaded CA candidates that could be ``ca-as-leaf`` (cA=TRUE with a SAN), those
    whose key verifies some *other* certificate of the pile naming them as issuer.

    Decided here, before any certificate is judged, so ``read_inventory`` and the streamed
    scan (which writes early row groups before later ones are judged) give the same answer.
    Only these few candidates are asked, and each search stops at its first child.
    """
    leafish: dict[bytes, list[str]] = {}
    for sha, cert in certs.items():
        try:
            wanted = ca_leaf_candidate(facts(cert, memo=memo))
        except Exception:
            wanted = False
        subject = entries[sha].subject
        if wanted and subject is not None:
            leafish.setdefault(subject, []).append(sha)
    if not leafish:
        return set()
    named: dict[bytes, list[str]] = {}
    for sha, e in entries.items():
        if e.issuer in leafish:
            named.setdefault(e.issuer, []).append(sha)  # type: ignore[arg-type]
    issued: set[str] = set()
    for subject, cas in leafish.items():
        for child_sha in named.get(subject, ()):
            child = certs.get(child_sha) or load_certificate(store.get(entries[child_sha].der))[0]
            if child is None:
                continue
            for ca in cas:
                if ca != child_sha and ca not in issued and signed_by(child, certs[ca], memo):
                    issued.add(ca)
            if all(ca in issued for ca in cas):
                break
    return issued


def _link_cas(
    entries: dict[str, Entry], store: _DerStore = _MEMORY, memo: Memo | None = None
) -> Links:
    """Pass 2 (:class:`~certlib.inventory.records.Links`). CA candidates (subject named as
    issuer by another cert): their DER, their path up (issuer shas, nearest first; and whether
    it ends at a self-signed root), the index issuer-name -> candidate shas, and the candidates
    that issued another certificate here (:func:`_issuers`, for ``ca-as-leaf``). A candidate
    that cannot be loaded is indexed but has no DER here: a worker skips it
    (``issuer-unusable``), it never loses the leaf. ``memo``: the run's (main process)."""
    memo = memo if memo is not None else Memo()
    issuer_names = {e.issuer for e in entries.values() if e.issuer is not None}
    by_subject: dict[bytes, list[str]] = {}
    for sha, e in entries.items():
        if e.subject is not None and e.subject in issuer_names:
            by_subject.setdefault(e.subject, []).append(sha)
    ca_shas = [s for shas in by_subject.values() for s in shas]
    certs: dict[str, x509.Certificate] = {}
    for sha in ca_shas:
        cert, _ = load_certificate(store.get(entries[sha].der))
        if cert is not None:
            certs[sha] = cert
    sha_of = {id(c): s for s, c in certs.items()}
    parent: dict[str, str | None] = {}
    self_signed: set[str] = set()
    for sha, cert in certs.items():
        e = entries[sha]
        if e.subject == e.issuer and is_self_signed(cert, memo=memo):
            self_signed.add(sha)
            parent[sha] = None
            continue
        cands = [certs[s] for s in by_subject.get(e.issuer, ()) if s != sha and s in certs]
        found = issuer_of(cert, cands, memo=memo)
        parent[sha] = sha_of.get(id(found)) if found is not None else None
    paths: dict[str, PathUp] = {}
    for sha in certs:
        up: list[str] = []
        cur = parent.get(sha)
        while cur is not None and cur not in up and cur != sha and len(up) < 16:
            up.append(cur)
            cur = parent.get(cur)
        top = up[-1] if up else sha
        paths[sha] = PathUp(tuple(up), top in self_signed)
    ders = {s: store.get(entries[s].der) for s in certs}
    return Links(ders, paths, by_subject, frozenset(_issuers(entries, certs, store, memo)))
