"""Purpose verdicts: one entry point over the five profiles, and tables of them.

``verdict(cert, purpose, profile)`` dispatches to ``certlib.profiles.<profile>.evaluate``. The
profile modules are imported on first use, so this module works while one of them is missing
(its verdicts are then ``n/a`` with a reason naming the module). ``verdicts()`` never raises
for a bad certificate: a profile that fails becomes an ``invalid`` verdict whose reason names
the exception (``strict=True`` re-raises, for tests). Caller mistakes (an unknown profile or
purpose) always raise ``ValueError``.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from cryptography import x509

from certlib.core.instants import At, as_utc
from certlib.core.verdicts import OUTCOMES, PROFILES, Context, Purpose, Reason, Verdict

if TYPE_CHECKING:  # pandas is imported only when a table is asked for
    import pandas as pd

    from certlib.cert.facts import CertFacts

__all__ = [
    "DISPATCH",
    "OUTCOMES",
    "PROFILES",
    "Context",
    "ProfileUnavailableError",
    "Purpose",
    "Reason",
    "Verdict",
    "evaluator",
    "iis_binding_candidate",
    "intended_purposes",
    "openssl_purpose_text",
    "verdict",
    "verdict_grid",
    "verdicts",
]

Evaluate = Callable[[x509.Certificate, Purpose, Context], Verdict]

#: profile -> the module whose ``evaluate(cert, purpose, ctx)`` answers for it.
DISPATCH: dict[str, str] = {
    "rfc5280": "certlib.profiles.rfc5280",
    "openssl": "certlib.profiles.openssl",
    "windows": "certlib.profiles.windows",
    "go": "certlib.profiles.go",
    "webpki": "certlib.profiles.webpki",
}
_EVALUATORS: dict[str, Evaluate] = {}


class ProfileUnavailableError(ImportError):
    """The module implementing a profile is not installed (yet)."""


def _module(profile: str):
    name = DISPATCH[profile]
    if importlib.util.find_spec(name) is None:
        raise ProfileUnavailableError(
            f"profile {profile!r} is not available: module {name} does not exist"
        )
    return importlib.import_module(name)


def evaluator(profile: str) -> Evaluate:
    """The ``evaluate`` function of ``profile`` (imported on first use, then cached)."""
    fn = _EVALUATORS.get(profile)
    if fn is None:
        _check_profile(profile)
        fn = _EVALUATORS[profile] = _module(profile).evaluate
    return fn


def _check_profile(profile: str) -> None:
    if profile not in DISPATCH:
        raise ValueError(f"unknown profile {profile!r}; valid profiles: {', '.join(PROFILES)}")


def _purpose(purpose: Purpose | str) -> Purpose:
    if isinstance(purpose, Purpose):
        return purpose
    try:
        return Purpose(purpose)
    except ValueError:
        valid = ", ".join(p.value for p in Purpose)
        raise ValueError(f"unknown purpose {purpose!r}; valid purposes: {valid}") from None


def _context(
    intermediates: Iterable[x509.Certificate],
    roots: Iterable[x509.Certificate],
    at: At,
    hostname: str | None,
    options: dict[str, Any],
) -> Context:
    roots = tuple(roots)
    if at is not None or roots:
        # Without ``at``: one instant (to the second, like X.509 times) for every verdict of
        # a table, so chain searches are shared between them.
        at = as_utc(at, now_to_the_second=True)
    return Context(tuple(intermediates), roots, at, hostname, options)


def outcome_key(
    profile: str,
    f: CertFacts,
    *,
    cert: x509.Certificate | None = None,
    at: At = None,
    chain: Sequence[x509.Certificate] = (),
) -> tuple | None:
    """What ``profile`` reads of a certificate itself to decide outcomes, or None when the
    profile declares no such key (then nothing may be memoised for it).

    A profile's ``outcome_key(f)`` sees only the facts; one that also reads the certificate
    object, the reference time or how the leaf relates to its chain (beyond what the inventory's
    chain key covers) declares ``outcome_key(f, *, cert, at, chain)`` and gets them.
    """
    found = _outcome_key_fn(profile)
    if found is None:
        return None
    fn, wants_context = found
    if wants_context:
        return (profile, fn(f, cert=cert, at=at, chain=tuple(chain)))
    return (profile, fn(f))


@functools.cache
def _outcome_key_fn(profile: str) -> tuple[Callable[..., tuple], bool] | None:
    import inspect

    try:
        fn = getattr(_module(profile), "outcome_key", None)
    except ProfileUnavailableError:
        return None
    if fn is None:
        return None
    return fn, "chain" in inspect.signature(fn).parameters


def _run(cert: x509.Certificate, purpose: Purpose, profile: str, ctx: Context) -> Verdict:
    strict = bool(ctx.options.get("strict"))
    try:
        fn = evaluator(profile)
    except ProfileUnavailableError as exc:
        if strict:
            raise
        reason = Reason("profile.unavailable", str(exc), "certlib.profiles.DISPATCH")
        return Verdict(purpose, profile, "n/a", (reason,))
    try:
        return fn(cert, purpose, ctx)
    except Exception as exc:
        if strict:
            raise
        reason = Reason(
            "profile.error",
            f"the {profile} profile could not judge this certificate: {type(exc).__name__}: {exc}",
            DISPATCH[profile],
        )
        return Verdict(purpose, profile, "invalid", (reason,))


def verdict(
    cert: x509.Certificate,
    purpose: Purpose | str,
    profile: str = "rfc5280",
    *,
    intermediates: Iterable[x509.Certificate] = (),
    roots: Iterable[x509.Certificate] = (),
    at: At = None,
    hostname: str | None = None,
    **options: Any,
) -> Verdict:
    """May ``cert`` be used for ``purpose`` according to ``profile``?

    With ``roots`` the verdict is chain-aware (a path is built from ``intermediates``);
    ``at`` defaults to now (UTC); ``hostname`` is matched for the TLS server purpose.
    ``options`` reach the profile as ``ctx.options`` (e.g. ``rfc5280_any_eku=False``,
    ``strict=True`` to let profile exceptions propagate).
    """
    _check_profile(profile)
    p = _purpose(purpose)
    return _run(cert, p, profile, _context(intermediates, roots, at, hostname, options))


def _all(
    cert: x509.Certificate,
    profiles: Sequence[str],
    purposes: Sequence[Purpose | str],
    ctx: Context,
) -> list[Verdict]:
    for profile in profiles:
        _check_profile(profile)
    ps = [_purpose(p) for p in purposes]
    return [_run(cert, p, profile, ctx) for profile in profiles for p in ps]


def verdicts(
    cert: x509.Certificate,
    *,
    profiles: Sequence[str] = PROFILES,
    purposes: Sequence[Purpose | str] = tuple(Purpose),
    intermediates: Iterable[x509.Certificate] = (),
    roots: Iterable[x509.Certificate] = (),
    at: At = None,
    hostname: str | None = None,
    **options: Any,
) -> pd.DataFrame:
    """One row per profile × purpose (profile-major): the long table inventories store.

    Columns: ``profile``, ``purpose``, ``outcome`` (categoricals in PROFILES / Purpose /
    OUTCOMES order), ``allowed`` (bool), ``warning_code`` (Int64), and ``reasons``, ``rules``,
    ``sources`` (lists of str, one entry per reason, in order).
    """
    import pandas as pd

    ctx = _context(intermediates, roots, at, hostname, options)
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
    **options: Any,
) -> pd.DataFrame:
    """Outcome words as a purposes × profiles grid (index ``purpose``, columns ``profile``)."""
    import pandas as pd

    ctx = _context(intermediates, roots, at, hostname, options)
    rows = _all(cert, profiles, purposes, ctx)
    ps = [_purpose(p).value for p in purposes]
    grid = {profile: [v.outcome for v in rows if v.profile == profile] for profile in profiles}
    frame = pd.DataFrame(grid, index=pd.Index(ps, name="purpose"))
    frame.columns.name = "profile"
    return frame


def openssl_purpose_text(cert: x509.Certificate, *, version: str = "3.0") -> str:
    """Exactly what ``openssl x509 -purpose -noout`` prints (OpenSSL ``version`` 3.0 or 3.2)."""
    return _module("openssl").purpose_text(cert, version=version)


def iis_binding_candidate(cert: x509.Certificate, *, has_private_key: bool) -> Verdict:
    """Would IIS Manager offer ``cert`` for an HTTPS binding? A heuristic (semantics §3.3)."""
    from certlib.profiles import windows

    return windows.iis_binding_candidate(cert, has_private_key=has_private_key)


def intended_purposes(cert: x509.Certificate) -> list[str]:
    """The Windows certificate dialog's "intended purposes" lines (third-party strings)."""
    from certlib.profiles import windows

    return windows.intended_purposes(cert)
