"""The rfc5280, go and windows profiles judge a certificate once for every purpose.

``judge`` does the purpose-independent work (leaf checks, candidate paths, CA, name-constraint
and policy checks) once and then decides each purpose; what it shares between purposes must not
leak from one purpose into another, so asking for all six at once gives exactly what asking for
each alone gives. The profiles keep nothing between calls (no module caches), and
:class:`~certlib.profiles.Decision` recordings replay to the same verdict as the steps
taken directly.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import types
from dataclasses import replace

import pytest

from certlib import profiles as P
from certlib.cert.extra_extensions import name_constraints, policy_constraints
from certlib.cert.forge import PRESETS, CertSpec, forge
from certlib.core import decision
from certlib.core.decision import Decision
from certlib.core.oids import EKU
from certlib.core.verdicts import Purpose, Reason
from certlib.profiles import common, constraints, go, rfc5280, windows

AT = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
PROFILES = ("rfc5280", "go", "windows")
MODULES = (decision, common, constraints, go, rfc5280, windows)
CA_KU = frozenset({"key_cert_sign", "crl_sign"})
HOSTS = (None, "www.example.com", "x.example.com", "192.0.2.7", "other.org")


def _cases() -> list[tuple[str, object, P.Context]]:
    """(name, leaf, context): leaves of several shapes, alone and under chains that pass and
    fail in different ways (EKU-restricted CA, name constraints, policy constraints, not a CA)."""
    root = forge(CertSpec(common_name="J Root", ca=True, key_usage=CA_KU), seed="judge-once")
    icas = {
        "plain": CertSpec(common_name="J ICA", ca=True, key_usage=CA_KU),
        "tls-only": CertSpec(
            common_name="J ICA TLS", ca=True, key_usage=CA_KU, eku=(EKU.SERVER_AUTH.oid,)
        ),
        "nc": CertSpec(
            common_name="J ICA NC",
            ca=True,
            key_usage=CA_KU,
            extra_extensions=(name_constraints(["DNS:example.com"]),),
        ),
        "policy": CertSpec(
            common_name="J ICA Pol",
            ca=True,
            key_usage=CA_KU,
            extra_extensions=(policy_constraints(require_explicit=0),),
        ),
        "not-ca": CertSpec(common_name="J ICA NotCA", ca=False),
    }
    out: list[tuple[str, object, P.Context]] = []
    for label, spec in icas.items():
        ica = forge(spec, root, seed="judge-once")
        for shape in ("iis_server", "dual_use", "user_client", "no_eku", "code_signing", "smime"):
            leaf_spec = replace(
                PRESETS[shape],
                common_name="www.example.com",
                sans=("DNS:www.example.com", "DNS:*.example.com", "IP:192.0.2.7"),
            )
            leaf = forge(leaf_spec, ica, seed=f"judge-once-{label}").certificate
            host = HOSTS[len(out) % len(HOSTS)]
            out.append((f"{label}/{shape}/alone", leaf, P.context((), (), None, host, {})))
            out.append(
                (
                    f"{label}/{shape}/chain",
                    leaf,
                    P.context([ica.certificate], [root.certificate], AT, host, {}),
                )
            )
    return out


CASES = _cases()


def test_case_count() -> None:
    assert len(CASES) == 60
    assert sum(1 for name, _leaf, _ctx in CASES if name.endswith("/chain")) == 30


@pytest.mark.parametrize("profile", PROFILES)
def test_all_purposes_at_once_equal_each_alone(profile: str) -> None:
    judge = P.REGISTRY[profile].judge
    outcomes: set[str] = set()
    compared = 0
    for name, leaf, ctx in CASES:
        together = judge(leaf, ctx, tuple(Purpose))
        assert list(together) == list(Purpose), name
        for purpose in Purpose:
            alone = judge(leaf, ctx, (purpose,))
            assert together[purpose] == alone[purpose], (name, purpose)
            outcomes.add(alone[purpose].outcome)
            compared += 1
    assert compared == len(CASES) * len(Purpose)
    # the corpus reaches both sides of a decision, so sharing could show
    assert {"allowed", "denied"} <= outcomes


def test_no_module_state() -> None:
    """No cached function of their own, and no module-level container that judging fills
    (the cert layer's caches, e.g. ``describe``, are not these modules' to remove)."""
    cached = [
        f"{m.__name__}.{name}"
        for m in MODULES
        for name, value in vars(m).items()
        if isinstance(value, functools._lru_cache_wrapper) and value.__module__ == m.__name__
    ]
    assert cached == []

    def containers() -> dict[str, int]:
        return {
            f"{m.__name__}.{name}": len(value)
            for m in MODULES
            for name, value in vars(m).items()
            if isinstance(value, dict | list | set) and not isinstance(value, types.ModuleType)
        }

    before = containers()
    assert len(before) >= 5  # the constant tables (GO_KEY_USAGE, SEVERITY, ...) are seen
    for _name, leaf, ctx in CASES[:20]:
        for profile in PROFILES:
            P.judge(leaf, profile, tuple(Purpose), ctx)
    assert containers() == before


def test_decision_replay_and_fork_equal_direct_steps() -> None:
    rng = random.Random(14)
    outcomes = ("allowed", "warning", "n/a", "denied", "invalid")
    checked = 0
    for _ in range(200):
        steps = [
            (rng.choice(outcomes), Reason(f"r{i}", f"text {i}", "src"))
            for i in range(rng.randrange(0, 8))
        ]
        cut = rng.randrange(0, len(steps) + 1)
        direct = Decision(Purpose.TLS_SERVER, "x")
        for outcome, reason in steps:
            direct.add(outcome, reason)
        shared = Decision(None, "x")
        for outcome, reason in steps[:cut]:
            shared.add(outcome, reason)
        tail = Decision(None, "x")
        for outcome, reason in steps[cut:]:
            tail.add(outcome, reason)
        forked = shared.fork(Purpose.TLS_SERVER)
        forked.replay(tail)
        assert forked.verdict() == direct.verdict()
        # a fork does not write back into the shared steps
        assert len(shared.reasons) == cut
        checked += 1
    assert checked == 200


def test_a_recording_has_no_verdict() -> None:
    with pytest.raises(AssertionError):
        Decision(None, "x").verdict()
