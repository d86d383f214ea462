"""When each BR / root-program rule took effect, and how that dates a finding.

A rule that states CA/B Forum issuance compliance denies only a certificate issued while it was
in force; one issued earlier gets a warning naming the rule and its date (:func:`dated`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from certlib.core.verdicts import Outcome, Reason
from certlib.profiles.webpki.findings import PYCA, Finding, day

__all__ = [
    "BR_1_EFFECTIVE",
    "BR_PROFILES_EFFECTIVE",
    "BR_RSA_2048_EFFECTIVE",
    "CHROME_LEAF_SERVER_AUTH_ONLY",
    "CHROME_SUBCA_SERVER_AUTH_ONLY",
    "RULE_DATES",
    "RuleDate",
    "dated",
]

#: BR 2.0.0 (ballot SC062) certificate profiles took effect on this date.
BR_PROFILES_EFFECTIVE = _dt.datetime(2023, 9, 15, tzinfo=_dt.UTC)
#: BR 1.0 (CA/B Forum ballot 76) took effect: subscriber EKU, CA keyUsage bits and criticality.
BR_1_EFFECTIVE = _dt.datetime(2012, 7, 1, tzinfo=_dt.UTC)
#: BR 1.x §6.1.5 / Appendix A: RSA moduli of at least 2048 bits for certificates issued from here.
BR_RSA_2048_EFFECTIVE = _dt.datetime(2014, 1, 1, tzinfo=_dt.UTC)
#: Chrome Root Program v1.8 §1.3.2: leaves issued on/after this date must be serverAuth-only.
CHROME_LEAF_SERVER_AUTH_ONLY = _dt.datetime(2027, 3, 15, tzinfo=_dt.UTC)
#: Chrome Root Program v1.8 §1.3.2: sub-CAs disclosed on/after this date must be serverAuth-only.
CHROME_SUBCA_SERVER_AUTH_ONLY = _dt.datetime(2026, 6, 15, tzinfo=_dt.UTC)


@dataclass(frozen=True)
class RuleDate:
    """When a BR / root-program rule started to apply, and whether browsers enforce it.

    ``effective`` is compared with the judged certificate's notBefore (its issuance). A finding
    whose source names pyca's verifier is enforced whatever the issuance date (pyca, like Chrome,
    refuses the path); a rule that states CA/B Forum issuance compliance only denies a certificate
    issued while it was in force, and is a warning (naming the rule and its date) for one issued
    before: browsers accept such a certificate, it is just not compliant with today's rules.
    """

    effective: _dt.datetime
    rule: str


_BR2 = "BR 2.0.0 (ballot SC062) profile"
_BR1 = "BR 1.0 (ballot 76)"
#: Every BR rule whose outcome depends on the issuance date. Rules not listed are either enforced
#: by pyca's verifier or by browsers whatever the date (``cert.*``, ``eku.critical``, ``bc.ca``,
#: ``san.absent`` ...), come from RFC 5280 (``ku.empty``, malformed extensions), are dated by
#: their own code (the Chrome rules) or are warnings already.
RULE_DATES: dict[str, RuleDate] = {
    "key.size": RuleDate(
        BR_RSA_2048_EFFECTIVE,
        "BR §6.1.5 (RSA >= 2048 bits; Chrome's verifier flags shorter keys from this date)",
    ),
    "eku.absent": RuleDate(BR_1_EFFECTIVE, f"{_BR1} Appendix B (3)(F): EKU in every subscriber"),
    "eku.server_auth_missing": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.7.10"),
    "eku.forbidden": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.7.10"),
    "bc.path_length": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.7.8"),
    "bc.not_critical": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.7.6"),
    "ku.not_critical": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.7.6"),
    "ku.not_permitted": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.7.11"),
    "ku.digital_signature_missing": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.7.11"),
    "san.types": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.7.12"),
    "root.ku": RuleDate(BR_1_EFFECTIVE, f"{_BR1} Appendix B (1): root keyUsage"),
    "subca.ku": RuleDate(BR_1_EFFECTIVE, f"{_BR1} Appendix B (2): sub-CA keyUsage"),
    "root.ku_extra": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.10.7"),
    "subca.ku_extra": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.10.7"),
    "root.eku_present": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.1.2"),
    "subca.eku_absent": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.6.1"),
    "subca.server_auth_missing": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.10.6"),
    "subca.eku_forbidden": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.10.6"),
}


def dated(findings: list[Finding], issued: _dt.datetime) -> list[Finding]:
    """Apply :data:`RULE_DATES`: a compliance-only rule violated by a certificate issued before
    the rule took effect is a warning naming the rule and its date, not a denial."""
    out: list[Finding] = []
    for x in findings:
        date = RULE_DATES.get(x.reason.rule)
        if date is None or x.outcome != Outcome.DENIED:
            out.append(x)
        elif PYCA in x.reason.source or issued >= date.effective:
            text = f"{x.reason.text} (In force for certificates issued from {day(date.effective)}"
            text += f": {date.rule}; this one was issued {day(issued)}.)"
            out.append(Finding(x.outcome, Reason(x.reason.rule, text, x.reason.source), x.short))
        else:
            text = (
                f"{x.reason.text} Not compliant with today's rules, but this certificate was "
                f"issued {day(issued)}, before that rule took effect on {day(date.effective)} "
                f"({date.rule}), and browsers do not enforce it on certificates issued earlier: "
                "a warning, not a denial."
            )
            short = f"{x.short or x.reason.rule}, a rule from {day(date.effective)} (issued before)"
            out.append(
                Finding(Outcome.WARNING, Reason(x.reason.rule, text, x.reason.source), short)
            )
    return out
