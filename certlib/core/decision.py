"""The one reason collector every profile decides with, and the one severity order.

Profiles differ in how they reach an outcome (rules that fail, C return codes, Web PKI findings),
not in how a verdict is assembled from its steps: each step is a :class:`Reason` with the outcome
it pushes towards, the worst outcome wins, and the reason that decided is the one a learner
reads. Keeping that in one place keeps ``Verdict.deciding_reason`` true for every profile.
"""

from __future__ import annotations

from certlib.core.verdicts import Outcome, Purpose, Reason, Verdict

__all__ = ["SEVERITY", "Decision"]

#: How bad an outcome is; a verdict takes the worst outcome any step produced.
SEVERITY: dict[Outcome, int] = {
    Outcome.ALLOWED: 0,
    Outcome.WARNING: 1,
    Outcome.NA: 2,
    Outcome.DENIED: 3,
    Outcome.INVALID: 4,
}


class Decision:
    """Reasons collected in evaluation order; the outcome is the worst one any step produced.

    The reason that first produced the final outcome is moved last, so ``Verdict.summary``
    (the last reason) names the rule that decided — unless the profile closes with a reason of
    its own (:meth:`verdict`'s ``closing``). Each reason keeps the outcome it was added with, so
    the steps a profile takes once for every purpose can be recorded in a Decision without a
    purpose and then :meth:`replay` into (or :meth:`fork` for) each purpose's Decision: the
    result is the same as adding them there one by one.
    """

    __slots__ = ("_decisive", "_outcomes", "outcome", "profile", "purpose", "reasons")

    def __init__(self, purpose: Purpose | None = None, profile: str = "") -> None:
        self.purpose = purpose
        self.profile = profile
        self.reasons: list[Reason] = []
        self._outcomes: list[str] = []
        self.outcome = Outcome.ALLOWED
        self._decisive: int | None = None

    def note(self, rule: str, text: str, source: str) -> None:
        """A step that allows (or merely explains)."""
        self.reasons.append(Reason(rule, text, source))
        self._outcomes.append(Outcome.ALLOWED)

    def fail(self, outcome: str, rule: str, text: str, source: str) -> None:
        """A step that denies or invalidates."""
        self.add(outcome, Reason(rule, text, source))

    def add(self, outcome: str, reason: Reason) -> None:
        self.reasons.append(reason)
        self._outcomes.append(outcome)
        if outcome != Outcome.ALLOWED and SEVERITY[outcome] > SEVERITY[self.outcome]:
            self.outcome = outcome
            self._decisive = len(self.reasons) - 1

    def replay(self, steps: Decision) -> None:
        """Add every step of ``steps`` (a recording), in order, as if taken here."""
        for outcome, reason in zip(steps._outcomes, steps.reasons, strict=True):
            self.add(outcome, reason)

    def fork(self, purpose: Purpose) -> Decision:
        """A copy deciding ``purpose`` from here on (the steps so far are shared)."""
        d = Decision(purpose, self.profile)
        d.reasons = [*self.reasons]
        d._outcomes = [*self._outcomes]
        d.outcome = self.outcome
        d._decisive = self._decisive
        return d

    @property
    def failed(self) -> bool:
        return self.outcome != Outcome.ALLOWED

    def verdict(self, *, closing: Reason | None = None, warning_code: int | None = None) -> Verdict:
        """The verdict: reasons in evaluation order with the deciding one last, or, with
        ``closing`` (a summary that names the decision itself), every reason in order and the
        closing one after them. ``warning_code``: OpenSSL's ``Yes (WARNING code=N)``."""
        assert self.purpose is not None, "a recording without a purpose has no verdict"
        reasons = self.reasons
        if closing is not None:
            reasons = [*reasons, closing]
        elif self._decisive is not None and self._decisive != len(reasons) - 1:
            reasons = [*reasons]
            reasons.append(reasons.pop(self._decisive))
        return Verdict(self.purpose, self.profile, self.outcome, tuple(reasons), warning_code)
