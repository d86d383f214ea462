"""Pass 3 of an inventory, in the workers: judge each certificate of a chunk.

:func:`judge_chunk` is what a worker runs on a :class:`~certlib.inventory.records.Job`: per
certificate decode, link to its issuer among the chunk's CA candidates (signature-checked),
the six verdicts under one profile (one call to the profile registry,
:func:`certlib.profiles.judge`), the IIS flag and findings, then the chunk's typed frame
(:func:`certlib.inventory.frame._chunk`). What is reused across certificates (outcomes keyed
by :func:`_memo_key`, the IIS flag, each chain's subject index) lives in the run's
:class:`~certlib.core.memo.Memo`, which also reaches the profiles as ``Context.memo``: this
module keeps no state. :data:`MEMOISE` is a switch a run reads once (off only in the test that
compares memoised with fresh outcomes). Also what a caller may pass as ``profile`` and ``at``
(:data:`At`, re-exported by :mod:`certlib.inventory`).
"""

from __future__ import annotations

import datetime as _dt
import warnings
from collections.abc import Callable

from cryptography import x509

from certlib import profiles as purpose
from certlib.cert import chain as _chain
from certlib.cert.decode import decode
from certlib.cert.facts import facts
from certlib.cert.findings import FINDINGS, ca_leaf_candidate, cert_findings
from certlib.cert.keys import self_signed as is_self_signed
from certlib.cert.load import load_certificate
from certlib.core.instants import At, as_utc
from certlib.core.memo import Memo
from certlib.core.verdicts import Context, Purpose
from certlib.inventory.frame import VERDICT_COLUMNS, _chunk
from certlib.inventory.link import _pick_issuer
from certlib.inventory.records import NO_PATH, Failure, Item, Job, Judged, Judgement
from certlib.inventory.store import _gc_paused


def check_profile(profile: str) -> None:
    """A wrong profile name is a caller's mistake, not a bad input file: fail before reading."""
    from certlib.core.verdicts import PROFILES

    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}, not {profile!r}")


def run_instant(at: At) -> _dt.datetime:
    """``at`` as an aware UTC datetime, "now" to the second
    (:func:`certlib.core.instants.as_utc`)."""
    return as_utc(at, now_to_the_second=True)


#: Memoise verdict outcomes across certificates: read once per run into ``Job.memoise`` (off
#: only in the test that compares memoised with fresh outcomes). A switch, not state.
MEMOISE = True
#: How many entries each table of a run's memo holds before it is emptied.
MEMO_LIMIT = 65536
#: The run memo's tables: (profile key, chain key) -> six outcomes; (has_key, EKU) -> IIS
#: flag; chain (shas) -> subject Name DER -> positions on the chain.
_OUTCOMES, _IIS, _CHAIN_SUBJECTS = "inventory.outcomes", "inventory.iis", "inventory.chain"


#: Bound of every other table of a run's memo: those keyed per certificate (facts, decode
#: pieces, links) hold the certificate, and only CAs are met again, often.
CERT_MEMO_LIMIT = 4096


def run_memo() -> Memo:
    """A fresh memo for one inventory run (or one worker process of it)."""
    own = {name: MEMO_LIMIT for name in (_OUTCOMES, _IIS, _CHAIN_SUBJECTS)}
    return Memo(CERT_MEMO_LIMIT, own)


def judge_chunk(job: Job, memo: Memo) -> Judged:
    """Judge a chunk and build its typed frame here, in the worker: the main process then only
    concatenates (it would otherwise be the serial bottleneck of a parallel scan). ``memo``:
    the run's (this worker process's) memo."""
    cache: dict[str, x509.Certificate | None] = {}

    def ca(sha: str) -> x509.Certificate | None:
        """A CA candidate of the chunk; None when it could not be loaded (pass 2 shipped no
        DER for it): the leaf is then judged without it, never lost."""
        if sha not in cache:
            der = job.ca_ders.get(sha)
            cache[sha] = load_certificate(der)[0] if der is not None else None
        return cache[sha]

    with _gc_paused():
        with warnings.catch_warnings(record=True) as log:
            # One recorder for the chunk: what loading a certificate warns (negative serials,
            # …) is kept per row (load_certificate with ``log``); whatever accessors repeat is
            # dropped.
            warnings.simplefilter("always")
            out = [_judge_guarded(item, job, ca, log, memo) for item in job.items]
        judged = _chunk(job.items, out, job.children)
        # The collector runs on the first allocation after the pause: by then only the frame
        # is left of the chunk, not every row dict and list it was built from.
        del out, log
        cache.clear()
    return judged


#: A chunk's CA candidates by SHA-256, loaded once per chunk (None: could not be loaded).
_CaOf = Callable[[str], x509.Certificate | None]


def _judge_guarded(item: Item, job: Job, ca: _CaOf, log: list, memo: Memo) -> Judgement | Failure:
    try:
        return _judge_one(item, job, ca, log, memo)
    except Exception as exc:  # never lose a certificate to a bug: say which and why
        return Failure("internal", f"{type(exc).__name__}: {exc}")


def _chain_key(
    cert: x509.Certificate,
    f,
    chain: tuple[str, ...],
    rooted: bool,
    chain_certs,
    at: _dt.datetime,
    memo: Memo,
):
    """What path building reads of the leaf itself (:func:`certlib.cert.chain.iter_paths`): its
    validity at ``at``, issuer name and AKI (which candidates, in which order) and whether
    each candidate's key verifies it. None when the leaf's own name is on the chain too
    (then the no-loops rule could matter) — such certificates are judged afresh."""

    if not rooted:
        return None  # no trust anchor: the profiles do no path validation at all
    known = memo.table(_CHAIN_SUBJECTS)
    subjects = known.get(chain)
    if subjects is None:
        subjects = _subjects(chain_certs, memo)
        memo.room(known)
        known[chain] = subjects
    if f.subject_der in subjects:
        return ()
    named = subjects.get(f.issuer_der, ())
    cands = tuple(
        i for i in named if _chain.is_issuer_candidate_of(f, facts(chain_certs[i], memo=memo))
    )
    links = tuple(_chain.link_error(cert, chain_certs[i], memo=memo) is None for i in cands)
    nb, na = cert.not_valid_before_utc, cert.not_valid_after_utc
    # ``at`` itself: the chain's own certificates are checked at it too (and a memo handed to
    # two scans at different times must not reuse one's outcomes for the other)
    return at, chain, f.issuer_der, f.authority_key_id, cands, links, at < nb, at > na


def _subjects(chain_certs, memo: Memo) -> dict[bytes, list[int]]:
    """Subject Name DER -> positions on the chain."""
    subjects: dict[bytes, list[int]] = {}
    for i, c in enumerate(chain_certs):
        subjects.setdefault(facts(c, memo=memo).subject_der, []).append(i)
    return subjects


def _memo_key(
    profile: str, cert, f, chain, rooted: bool, chain_certs, at: _dt.datetime, memo: Memo
) -> tuple | None:
    """The outcome memo's key for a leaf that is not self-signed and whose chain loaded, or
    None when it must be judged afresh (the profile declares no key, or its name is on the
    chain)."""
    leaf_key = purpose.outcome_key(profile, f, cert=cert, at=at, chain=chain_certs, memo=memo)
    path_key = _chain_key(cert, f, chain, rooted, chain_certs, at, memo)
    if leaf_key is None or path_key == ():
        return None
    return leaf_key, path_key


def _outcomes(
    cert, job: Job, make_ctx: Callable[[], Context], key: tuple | None, memo: Memo
) -> tuple[dict[str, str | None], list[str]]:
    """The six outcomes under ``job.profile``: from the memo when ``key`` was seen before, else
    judged in ``make_ctx()`` (made only then: most leaves of a pile are memo hits)."""
    table = memo.table(_OUTCOMES)
    hit = table.get(key) if key is not None else None
    if hit is not None:
        return dict(zip(VERDICT_COLUMNS, hit, strict=True)), []
    ctx = make_ctx()
    outcomes: dict[str, str | None] = {}
    notes: list[str] = []
    try:
        got = purpose.judge(cert, job.profile, tuple(Purpose), ctx)
    except Exception as exc:  # only a caller error can reach here: judge() contains profiles'
        got = {}
        notes.append(f"verdicts failed: {type(exc).__name__}: {exc}")
    for p in Purpose:
        v = got.get(p)
        outcomes[p.value] = None if v is None else v.outcome
    if key is not None and not notes:
        memo.room(table)
        table[key] = tuple(outcomes[c] for c in VERDICT_COLUMNS)
    return outcomes, notes


def _iis(cert, f, has_key: bool | None, memo: Memo | None) -> bool | None:
    """The IIS flag; unknown (None) when only the unknown key could decide it: IIS lists a
    certificate with a private key and a fitting EKU, and a .cer export cannot say the first.
    ``memo``: the run's (None: decided afresh)."""
    if has_key is None:
        return None if _iis(cert, f, True, memo) else False
    if memo is None:
        return _iis_now(cert, has_key)
    table = memo.table(_IIS)
    key = purpose.iis_key(f, has_private_key=has_key)
    hit = table.get(key)
    if hit is None:
        hit = _iis_now(cert, has_key)
        memo.room(table)
        table[key] = hit
    return bool(hit)


def _iis_now(cert: x509.Certificate, has_key: bool) -> bool:
    return bool(purpose.iis_binding_candidate(cert, has_private_key=has_key).allowed)


def _judge_one(item: Item, job: Job, ca: _CaOf, log: list, memo: Memo) -> Judgement | Failure:
    sha, der, entry = item.sha, item.der, item.entry
    has_key, src_warnings = entry.has_private_key, tuple(entry.warnings)
    subject, issuer = entry.subject, entry.issuer
    cert, load_warnings = load_certificate(der, log=log)
    if cert is None:
        return Failure("corrupt", "; ".join(load_warnings))
    notes: list[str] = []
    try:
        row = decode(cert, der=der, memo=memo, sha256=sha)
    except Exception as exc:
        row = {"sha256": sha, "decode_errors": [f"decode failed: {type(exc).__name__}: {exc}"]}
    f = facts(cert, memo=memo)
    self_signed = subject is not None and subject == issuer and is_self_signed(cert, memo=memo)
    issuer_sha: str | None = None
    chain: tuple[str, ...] = ()
    rooted = False
    unusable = False
    if not self_signed and issuer is not None:
        cands = {s: ca(s) for s in job.by_subject.get(issuer, ()) if s != sha}
        issuer_sha, unusable = _pick_issuer(cert, cands, der, memo)
        if issuer_sha is not None:
            up, rooted = job.ca_paths.get(issuer_sha, NO_PATH)
            chain = (issuer_sha, *up)
    chain_certs = [c for c in (ca(s) for s in chain) if c is not None]
    roots = chain_certs[-1:] if rooted else []
    inters = chain_certs[:-1] if rooted else chain_certs
    if self_signed:
        roots = [cert]  # a self-signed certificate is judged as its own anchor
    key = None
    if job.memoise and not self_signed and len(chain_certs) == len(chain):
        key = _memo_key(job.profile, cert, f, chain, rooted, chain_certs, job.at, memo)
    # what purpose.verdict() does per call, with the one context the six verdicts share
    outcomes, failed = _outcomes(
        cert,
        job,
        lambda: purpose.context(inters, roots, job.at, None, {}, memo=memo),
        key,
        memo,
    )
    notes.extend(failed)
    try:
        iis: bool | None = _iis(cert, f, has_key, memo if job.memoise else None)
    except Exception as exc:
        iis = None
        notes.append(f"iis_binding_candidate failed: {type(exc).__name__}: {exc}")
    warn_all = [*src_warnings, *(w for w in load_warnings if w not in src_warnings)]
    codes = cert_findings(
        cert,
        f,
        at=job.at,
        self_signed=self_signed,
        decode_errors=row.get("decode_errors") or (),
        source_warnings=warn_all,
        unknown_critical=row.get("unknown_critical_extensions"),
        row=row,
    )
    if issuer_sha is None and unusable:
        codes = [c for c in FINDINGS if c in {*codes, "issuer-unusable"}]
    return Judgement(
        decoded=row,
        ca_leaf=bool(ca_leaf_candidate(f)),
        issuer_sha256=issuer_sha,
        chain_sha256=chain,
        chain_complete=bool(self_signed or rooted),
        outcomes=outcomes,
        iis_binding_candidate=iis,
        findings=codes,
        load_warnings=load_warnings,
        notes=notes,
    )
