"""The vocabulary every profile speaks: ``Purpose``, ``Reason``, ``Verdict``, ``Context``.

A verdict is never a bare boolean: it carries an ``outcome`` (OpenSSL's "Yes (WARNING code=N)"
is neither yes nor no) and the ordered reasons that led to it, each naming the rule and the
text it comes from, so a learner can follow the decision without reading source code.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cryptography import x509

from certlib.core.instants import as_utc
from certlib.core.memo import Memo
from certlib.core.oids import EKU, KeyPurpose

__all__ = [
    "OUTCOMES",
    "OUTCOME_STYLE",
    "OUTCOME_SYMBOL",
    "PROFILES",
    "PROFILE_LABELS",
    "Context",
    "Judge",
    "Outcome",
    "Profile",
    "ProfileJudge",
    "Purpose",
    "Reason",
    "Verdict",
]


class Profile(enum.StrEnum):
    """The five profiles, in the order tables show them. A member equals its name as a plain
    string, so ``profile="go"`` and ``Profile.GO`` are the same argument everywhere."""

    RFC5280 = "rfc5280"
    OPENSSL = "openssl"
    WINDOWS = "windows"
    GO = "go"
    WEBPKI = "webpki"


class Outcome(enum.StrEnum):
    """Every value ``Verdict.outcome`` can take (equal to its word as a plain string)."""

    ALLOWED = "allowed"
    WARNING = "warning"  # allowed with a caveat (OpenSSL's "Yes (WARNING code=N)")
    DENIED = "denied"
    INVALID = "invalid"  # the certificate or chain itself is broken
    NA = "n/a"  # the question does not apply


#: The profile names as plain strings (frame columns, categories), in table order.
PROFILES: tuple[str, ...] = tuple(p.value for p in Profile)

#: The outcome words as plain strings (frame categories), in :class:`Outcome` order.
OUTCOMES: tuple[str, ...] = tuple(o.value for o in Outcome)

#: Symbol shown beside each outcome word (colour is only a second cue).
OUTCOME_SYMBOL: dict[Outcome, str] = {
    Outcome.ALLOWED: "✓",
    Outcome.WARNING: "⚠",
    Outcome.DENIED: "✗",
    Outcome.INVALID: "⊘",
    Outcome.NA: "–",
}
#: Background/foreground per outcome (dark text on light colours: readable, printable).
OUTCOME_STYLE: dict[Outcome, str] = {
    Outcome.ALLOWED: "background:#d7f2d0;color:#123d0c",
    Outcome.WARNING: "background:#fff0b0;color:#4d3b00",
    Outcome.DENIED: "background:#f7d0d0;color:#5c0b0b",
    Outcome.INVALID: "background:#e6d3f2;color:#3b1052",
    Outcome.NA: "background:#eeeeee;color:#333333",
}
#: The one name of each profile that people read (grids, tables, plots, reports).
PROFILE_LABELS: dict[Profile, str] = {
    Profile.RFC5280: "RFC 5280",
    Profile.OPENSSL: "OpenSSL 3.0",
    Profile.WINDOWS: "Windows",
    Profile.GO: "Go",
    Profile.WEBPKI: "WebPKI (pyca)",
}


class Purpose(enum.StrEnum):
    """What a certificate may be asked to do; each maps to one RFC 5280 key purpose."""

    TLS_SERVER = "tls_server"
    TLS_CLIENT = "tls_client"
    CODE_SIGNING = "code_signing"
    EMAIL_PROTECTION = "email_protection"
    TIME_STAMPING = "time_stamping"
    OCSP_SIGNING = "ocsp_signing"

    @property
    def eku(self) -> KeyPurpose:
        """The RFC 5280 KeyPurposeId that names this purpose."""
        return _PURPOSE_EKU[self]

    @property
    def label(self) -> str:
        return _PURPOSE_LABEL[self]


_PURPOSE_EKU = {
    Purpose.TLS_SERVER: EKU.SERVER_AUTH,
    Purpose.TLS_CLIENT: EKU.CLIENT_AUTH,
    Purpose.CODE_SIGNING: EKU.CODE_SIGNING,
    Purpose.EMAIL_PROTECTION: EKU.EMAIL_PROTECTION,
    Purpose.TIME_STAMPING: EKU.TIME_STAMPING,
    Purpose.OCSP_SIGNING: EKU.OCSP_SIGNING,
}
_PURPOSE_LABEL = {
    Purpose.TLS_SERVER: "TLS server",
    Purpose.TLS_CLIENT: "TLS client",
    Purpose.CODE_SIGNING: "Code signing",
    Purpose.EMAIL_PROTECTION: "E-mail protection",
    Purpose.TIME_STAMPING: "Time stamping",
    Purpose.OCSP_SIGNING: "OCSP signing",
}


@dataclass(frozen=True)
class Reason:
    """One step of a decision: which rule, in words a learner can follow, and where it comes from.

    ``rule`` is a short stable code (e.g. ``"eku.purpose_missing"``) that tests and tables can key
    on; ``text`` names the extension and what it did; ``source`` cites the RFC section or the
    implementation function (e.g. ``"OpenSSL v3_purp.c check_purpose_ssl_server"``).
    """

    rule: str
    text: str
    source: str


@dataclass(frozen=True)
class Verdict:
    """The answer of one profile about one purpose, with its reasons in order."""

    purpose: Purpose
    profile: str
    outcome: Outcome
    reasons: tuple[Reason, ...] = ()
    warning_code: int | None = None  # OpenSSL's "Yes (WARNING code=N)"

    def __post_init__(self) -> None:
        if self.outcome.__class__ is not Outcome:  # a plain word becomes its member
            try:
                object.__setattr__(self, "outcome", Outcome(self.outcome))
            except ValueError:
                raise ValueError(
                    f"outcome must be one of {OUTCOMES}, not {self.outcome!r}"
                ) from None

    @property
    def allowed(self) -> bool:
        """True for ``allowed`` and ``warning`` (allowed with a caveat)."""
        return self.outcome in (Outcome.ALLOWED, Outcome.WARNING)

    @property
    def summary(self) -> str:
        """The last reason's text: the one that decided."""
        return self.reasons[-1].text if self.reasons else ""

    @property
    def deciding_reason(self) -> Reason | None:
        """The reason that decided the outcome, or None without reasons.

        Reasons carry no outcome of their own; every profile instead keeps the deciding one
        last (the first rule that produced the final outcome is moved there, or a closing
        result/summary reason is appended), in every outcome kind.
        """
        return self.reasons[-1] if self.reasons else None

    @property
    def ordered_reasons(self) -> tuple[Reason, ...]:
        """The reasons for display: the deciding one first, then the rest in evaluation order.

        ``reasons`` keeps evaluation order (stored frames and JSON rely on it); a learner
        reads the first line, so displays show this order.
        """
        return (self.reasons[-1], *self.reasons[:-1]) if self.reasons else ()


@dataclass(frozen=True)
class Context:
    """What a chain-aware verdict may use. With no ``roots`` the verdict is about the
    certificate alone; ``at`` defaults to now (UTC) and ``hostname`` is matched only if given."""

    intermediates: Sequence[x509.Certificate] = ()
    roots: Sequence[x509.Certificate] = ()
    at: _dt.datetime | None = None
    hostname: str | None = None
    options: dict = field(default_factory=dict)
    #: What this run memoises across certificates (owned by whoever made the context).
    memo: Memo = field(default_factory=Memo, compare=False, repr=False)

    @property
    def chain_aware(self) -> bool:
        return bool(self.roots)

    @property
    def when(self) -> _dt.datetime:
        return as_utc(self.at)


#: A profile's one pass over a certificate: every asked purpose's verdict from one reading.
Judge = Callable[[x509.Certificate, Context, tuple[Purpose, ...]], dict[Purpose, Verdict]]


@dataclass(frozen=True)
class ProfileJudge:
    """A profile as the registry (:mod:`certlib.profiles`) knows it.

    ``judge`` decides every asked purpose in one pass. ``outcome_key(facts, *, cert, at, chain,
    memo)``, when given, returns everything the profile reads of a certificate to reach its
    *outcomes*, so an inventory run may reuse outcomes between certificates with equal keys;
    ``None`` means nothing may be reused. ``source`` names the module, for reasons about the
    profile itself.
    """

    name: Profile
    judge: Judge
    outcome_key: Callable[..., tuple] | None = None
    source: str = ""
