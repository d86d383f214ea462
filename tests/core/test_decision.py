"""The one reason collector: worst outcome wins, the deciding reason is last or a closing one
follows, and no other module keeps a severity order of its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from certlib.core.decision import SEVERITY, Decision
from certlib.core.verdicts import OUTCOMES, Purpose, Reason

ROOT = Path(__file__).resolve().parents[2]


def _r(i: int) -> Reason:
    return Reason(f"rule.{i}", f"text {i}", "src")


def test_severity_orders_every_outcome() -> None:
    assert set(SEVERITY) == set(OUTCOMES)
    assert sorted(SEVERITY, key=SEVERITY.__getitem__) == [
        "allowed",
        "warning",
        "n/a",
        "denied",
        "invalid",
    ]


def test_deciding_reason_moves_last() -> None:
    d = Decision(Purpose.TLS_SERVER, "x")
    d.add("allowed", _r(0))
    d.add("denied", _r(1))
    d.add("warning", _r(2))
    d.add("denied", _r(3))
    v = d.verdict()
    assert v.outcome == "denied"
    assert [r.rule for r in v.reasons] == ["rule.0", "rule.2", "rule.3", "rule.1"]
    assert v.deciding_reason == _r(1)


def test_closing_reason_keeps_evaluation_order() -> None:
    d = Decision(Purpose.TLS_CLIENT, "x")
    for i, outcome in enumerate(["allowed", "invalid", "warning"]):
        d.add(outcome, _r(i))
    v = d.verdict(closing=_r(9), warning_code=None)
    assert v.outcome == "invalid"
    assert [r.rule for r in v.reasons] == ["rule.0", "rule.1", "rule.2", "rule.9"]


def test_warning_code_reaches_the_verdict() -> None:
    d = Decision(Purpose.OCSP_SIGNING, "openssl")
    d.add("allowed", _r(0))
    d.add("warning", _r(1))
    v = d.verdict(warning_code=2)
    assert (v.outcome, v.warning_code) == ("warning", 2)


def test_a_recording_has_no_verdict() -> None:
    with pytest.raises(AssertionError):
        Decision(None, "x").verdict()


def test_one_severity_table_and_one_collector_in_the_package() -> None:
    """An outcome → rank table spelled anywhere else, or a class collecting ``reasons`` of its
    own, would be a second way to decide."""
    ranks, collectors = [], []
    for path in sorted((ROOT / "certlib").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT).as_posix()
        ranks += [rel for _ in re.finditer(r'("allowed"|Outcome\.ALLOWED):\s*\d', text)]
        for m in re.finditer(r"^class (\w+)(\([^)]*\))?:", text, re.M):
            body = text[m.end() : m.end() + 2000].split("\nclass ", 1)[0]
            if re.search(r"self\.reasons\s*(:[^=]*)?=\s*\[\]", body):
                collectors.append(f"{rel}:{m.group(1)}")
    assert ranks == ["certlib/core/decision.py"]
    assert collectors == ["certlib/core/decision.py:Decision"]
