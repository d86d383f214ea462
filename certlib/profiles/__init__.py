"""Purpose verdicts: one entry point over the five profiles, and tables of them.

The profiles register by import (:data:`REGISTRY`, in :data:`PROFILES` order); each judges a
certificate once for every asked purpose (:class:`certlib.core.verdicts.ProfileJudge`).
``verdicts()`` never raises for a bad certificate: a profile that fails becomes an ``invalid``
verdict whose reason names the exception (``strict=True`` re-raises, for tests). Caller mistakes
(an unknown profile or purpose) always raise ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from cryptography import x509

from certlib.core.instants import At, as_utc
from certlib.core.memo import Memo
from certlib.core.verdicts import (
    OUTCOMES,
    PROFILES,
    Context,
    Outcome,
    Profile,
    ProfileJudge,
    Purpose,
    Reason,
    Verdict,
)
from certlib.profiles import go, openssl, rfc5280, webpki, windows

if TYPE_CHECKING:  # pandas is imported only when a table is asked for
    import pandas as pd

    from certlib.cert.facts import CertFacts

__all__ = [
    "OUTCOMES",
    "PROFILES",
    "REGISTRY",
    "Context",
    "Profile",
    "ProfileJudge",
    "Purpose",
    "Reason",
    "Verdict",
    "context",
    "iis_binding_candidate",
    "iis_key",
    "intended_purposes",
    "judge",
    "openssl_purpose_text",
    "outcome_key",
    "verdict",
    "verdict_grid",
    "verdict_list",
    "verdicts",
]

#: profile name -> the registered profile, in :data:`PROFILES` order.
REGISTRY: dict[Profile, ProfileJudge] = {
    p.name: p
    for p in (rfc5280.PROFILE, openssl.PROFILE, windows.PROFILE, go.PROFILE, webpki.PROFILE)
}
assert tuple(REGISTRY) == PROFILES, "the registry and PROFILES must list the same profiles"


def _check_profile(profile: str) -> None:
    if profile not in REGISTRY:
        raise ValueError(f"unknown profile {profile!r}; valid profiles: {', '.join(PROFILES)}")


def _purpose(purpose: Purpose | str) -> Purpose:
    if isinstance(purpose, Purpose):
        return purpose
    try:
        return Purpose(purpose)
    except ValueError:
        valid = ", ".join(p.value for p in Purpose)
        raise ValueError(f"unknown purpose {purpose!r}; valid purposes: {valid}") from None


def context(
    intermediates: Iterable[x509.Certificate],
    roots: Iterable[x509.Certificate],
    at: At,
    hostname: str | None,
    options: dict[str, Any],
    *,
    memo: Memo | None = None,
) -> Context:
    """The context one ``verdict``/``verdicts`` call (or one inventory leaf) judges in. It
    carries ``memo``, the run's :class:`~certlib.core.memo.Memo` (a widget model or inventory
    run hands down the one it owns, so parsed facts, issuer keys and signature checks are
    shared across its calls), or owns a fresh one."""
    roots = tuple(roots)
    if at is not None or roots:
        # Without ``at``: one instant (to the second, like X.509 times) for every verdict of
        # a table, so chain searches are shared between them.
        at = as_utc(at, now_to_the_second=True)
    if memo is None:
        return Context(tuple(intermediates), roots, at, hostname, options)
    return Context(tuple(intermediates), roots, at, hostname, options, memo=memo)


def outcome_key(
    profile: str,
    f: CertFacts,
    *,
    cert: x509.Certificate | None = None,
    at: At = None,
    chain: Sequence[x509.Certificate] = (),
    memo: Memo | None = None,
) -> tuple | None:
    """What ``profile`` reads of a certificate itself to decide outcomes, or None when the
    profile declares no such key (then nothing may be memoised for it).

    Every profile's ``outcome_key(f, *, cert, at, chain, memo)`` gets the facts, the
    certificate, the reference time, the chain (leaf's issuer first) and the run's ``memo``
    (through which it reads the chain's facts and links), and uses what it needs.
    """
    fn = REGISTRY[profile].outcome_key
    if fn is None:
        return None
    return (profile, fn(f, cert=cert, at=at, chain=tuple(chain), memo=memo))


def _failed(profile: str, purpose: Purpose, exc: Exception) -> Verdict:
    reason = Reason(
        "profile.error",
        f"the {profile} profile could not judge this certificate: {type(exc).__name__}: {exc}",
        REGISTRY[profile].source,
    )
    return Verdict(purpose, profile, Outcome.INVALID, (reason,))


def judge(
    cert: x509.Certificate, profile: str, purposes: Sequence[Purpose], ctx: Context
) -> dict[Purpose, Verdict]:
    """Every purpose of ``purposes`` judged by ``profile`` in one pass over ``cert``.

    A profile that raises is asked again purpose by purpose, so one failing purpose turns only
    its own verdict ``invalid`` (``ctx.options["strict"]`` re-raises instead).
    """
    _check_profile(profile)
    run = REGISTRY[profile].judge
    ps = tuple(purposes)
    if ctx.options.get("strict"):
        return run(cert, ctx, ps)
    try:
        return run(cert, ctx, ps)
    except Exception:
        pass
    out: dict[Purpose, Verdict] = {}
    for p in ps:
        try:
            out[p] = run(cert, ctx, (p,))[p]
        except Exception as exc:
            out[p] = _failed(profile, p, exc)
    return out


def verdict(
    cert: x509.Certificate,
    purpose: Purpose | str,
    profile: str = "rfc5280",
    *,
    intermediates: Iterable[x509.Certificate] = (),
    roots: Iterable[x509.Certificate] = (),
    at: At = None,
    hostname: str | None = None,
    memo: Memo | None = None,
    **options: Any,
) -> Verdict:
    """May ``cert`` be used for ``purpose`` according to ``profile``?

    With ``roots`` the verdict is chain-aware (a path is built from ``intermediates``);
    ``at`` defaults to now (UTC); ``hostname`` is matched for the TLS server purpose.
    ``options`` reach the profile as ``ctx.options`` (e.g. ``rfc5280_any_eku=False``,
    ``strict=True`` to let profile exceptions propagate). ``memo``: the caller's run memo
    (see :func:`context`); without it the call owns a fresh one.
    """
    _check_profile(profile)
    p = _purpose(purpose)
    return judge(
        cert, profile, (p,), context(intermediates, roots, at, hostname, options, memo=memo)
    )[p]


def _all(
    cert: x509.Certificate,
    profiles: Sequence[str],
    purposes: Sequence[Purpose | str],
    ctx: Context,
) -> list[Verdict]:
    for profile in profiles:
        _check_profile(profile)
    ps = tuple(_purpose(p) for p in purposes)
    out: list[Verdict] = []
    for profile in profiles:
        got = judge(cert, profile, ps, ctx)
        out.extend(got[p] for p in ps)
    return out


def verdict_list(
    cert: x509.Certificate,
    *,
    profiles: Sequence[str] = PROFILES,
    purposes: Sequence[Purpose | str] = tuple(Purpose),
    intermediates: Iterable[x509.Certificate] = (),
    roots: Iterable[x509.Certificate] = (),
    at: At = None,
    hostname: str | None = None,
    memo: Memo | None = None,
    **options: Any,
) -> list[Verdict]:
    """Every profile × purpose verdict (profile-major) from one context: each profile reads
    the certificate once, and a chain-aware table is judged at one instant (``memo``: as for
    :func:`verdict`)."""
    return _all(
        cert, profiles, purposes, context(intermediates, roots, at, hostname, options, memo=memo)
    )


def verdicts(
    cert: x509.Certificate,
    *,
    profiles: Sequence[str] = PROFILES,
    purposes: Sequence[Purpose | str] = tuple(Purpose),
    intermediates: Iterable[x509.Certificate] = (),
    roots: Iterable[x509.Certificate] = (),
    at: At = None,
    hostname: str | None = None,
    memo: Memo | None = None,
    **options: Any,
) -> pd.DataFrame:
    """One row per profile × purpose (profile-major): the long table inventories store.

    Columns: ``profile``, ``purpose``, ``outcome`` (categoricals in PROFILES / Purpose /
    OUTCOMES order), ``allowed`` (bool), ``warning_code`` (Int64), and ``reasons``, ``rules``,
    ``sources`` (lists of str, one entry per reason, in order).
    """
    import pandas as pd

    ctx = context(intermediates, roots, at, hostname, options, memo=memo)
    rows = _all(cert, profiles, purposes, ctx)
    return pd.DataFrame(
        {
            "profile": pd.Categorical([v.profile for v in rows], categories=PROFILES),
            "purpose": pd.Categorical(
                [v.purpose.value for v in rows], categories=[p.value for p in Purpose]
            ),
            "outcome": pd.Categorical([v.outcome for v in rows], categories=OUTCOMES),
            "allowed": pd.array([v.allowed for v in rows], dtype=bool),
            "warning_code": pd.array([v.warning_code for v in rows], dtype="Int64"),
            "reasons": [[r.text for r in v.reasons] for v in rows],
            "rules": [[r.rule for r in v.reasons] for v in rows],
            "sources": [[r.source for r in v.reasons] for v in rows],
        }
    )


def verdict_grid(
    cert: x509.Certificate,
    *,
    profiles: Sequence[str] = PROFILES,
    purposes: Sequence[Purpose | str] = tuple(Purpose),
    intermediates: Iterable[x509.Certificate] = (),
    roots: Iterable[x509.Certificate] = (),
    at: At = None,
    hostname: str | None = None,
    memo: Memo | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Outcome words as a purposes × profiles grid (index ``purpose``, columns ``profile``)."""
    import pandas as pd

    ctx = context(intermediates, roots, at, hostname, options, memo=memo)
    rows = _all(cert, profiles, purposes, ctx)
    ps = [_purpose(p).value for p in purposes]
    grid = {profile: [v.outcome for v in rows if v.profile == profile] for profile in profiles}
    frame = pd.DataFrame(grid, index=pd.Index(ps, name="purpose"))
    frame.columns.name = "profile"
    return frame


def openssl_purpose_text(
    cert: x509.Certificate, *, version: str = "3.0", memo: Memo | None = None
) -> str:
    """Exactly what ``openssl x509 -purpose -noout`` prints (OpenSSL ``version`` 3.0 or 3.2)."""
    return openssl.purpose_text(cert, version=version, memo=memo)


def iis_binding_candidate(cert: x509.Certificate, *, has_private_key: bool) -> Verdict:
    """Would IIS Manager offer ``cert`` for an HTTPS binding? A heuristic (semantics §3.3)."""
    return windows.iis_binding_candidate(cert, has_private_key=has_private_key)


def iis_key(f: CertFacts, *, has_private_key: bool) -> tuple:
    """All :func:`iis_binding_candidate` reads of a certificate: equal keys, equal answers (so
    a run may reuse the answer)."""
    return windows.iis_key(f, has_private_key=has_private_key)


def intended_purposes(cert: x509.Certificate) -> list[str]:
    """The Windows certificate dialog's "intended purposes" lines (third-party strings)."""
    return windows.intended_purposes(cert)
