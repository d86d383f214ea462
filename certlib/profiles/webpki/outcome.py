"""How a Web PKI verdict opens and closes: the preamble saying what is judged and how, the
worst finding deciding the outcome with a closing summary, and the n/a verdict for non-TLS
purposes."""

from __future__ import annotations

from cryptography import x509

from certlib.core.decision import Decision
from certlib.core.verdicts import Context, Outcome, Profile, Purpose, Reason, Verdict
from certlib.profiles.webpki.dates import BR_PROFILES_EFFECTIVE
from certlib.profiles.webpki.findings import BR, CHROME, PYCA, Finding, day, finding

__all__ = ["NAME", "TLS", "preamble", "scope", "verdict"]

NAME = Profile.WEBPKI
#: The purposes this profile judges; every other one is ``n/a`` (:func:`scope`).
TLS = frozenset({Purpose.TLS_SERVER, Purpose.TLS_CLIENT})


def verdict(purpose: Purpose, findings: list[Finding], what: str) -> Verdict:
    """The worst finding decides; a closing summary names the deciding findings (``what`` says
    what was judged)."""
    d = Decision(purpose, NAME)
    for x in findings:
        d.add(x.outcome, x.reason)
    outcome = d.outcome
    label = purpose.label
    if outcome == Outcome.ALLOWED:
        text = f"Allowed for {label} under the Web PKI: every rule checked here holds for {what}."
    else:
        shorts = [x.short or x.reason.rule for x in findings if x.outcome == outcome]
        kind = {
            Outcome.WARNING: "Allowed with warnings",
            Outcome.DENIED: "Denied",
            Outcome.INVALID: "Invalid certificate, not usable",
        }[outcome]
        text = f"{kind} for {label} under the Web PKI: " + "; ".join(dict.fromkeys(shorts)) + "."
    return d.verdict(closing=Reason(f"webpki.{outcome}", text, f"{BR}7.1.2; {CHROME}; {PYCA}"))


def scope(purpose: Purpose) -> Verdict:
    """The ``n/a`` verdict of a purpose outside the Web PKI (anything but TLS)."""
    return Verdict(
        purpose,
        NAME,
        Outcome.NA,
        (
            Reason(
                "webpki.scope",
                f"The Web PKI profile judges TLS certificates only; {purpose.label} is outside "
                "it (see the rfc5280 or windows profile).",
                BR + "1.1; " + CHROME,
            ),
        ),
    )


def preamble(cert: x509.Certificate, purpose: Purpose, ctx: Context) -> Finding:
    """The opening reason of a leaf verdict: which rules, as of when, leaf-only or chained."""
    nb = cert.not_valid_before_utc
    old = (
        f" This certificate was issued {day(nb)}, before those profiles took effect "
        f"({day(BR_PROFILES_EFFECTIVE)}); earlier BR versions applied at issuance."
        if nb < BR_PROFILES_EFFECTIVE
        else ""
    )
    mode = (
        "chain-aware: pyca/cryptography builds and verifies the path to the given roots"
        if ctx.chain_aware
        else "leaf-only: no roots given, so no chain and no signature is checked"
    )
    return finding(
        Outcome.ALLOWED,
        "webpki.profile",
        f"Judged as a {purpose.label} leaf against the BR 2.2.6 subscriber profile and Chrome "
        f"Root Program v1.8 as of {day(ctx.when)} ({mode}).{old}",
        f"{BR}7.1.2.7; {CHROME}",
    )
