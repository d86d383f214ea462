"""The vocabulary: profiles and outcomes are StrEnums that equal their plain words, and every
verdict a profile returns carries an ``Outcome`` member."""

from __future__ import annotations

import enum

import pytest

from certlib import profiles
from certlib.cert.forge import PRESETS, forge
from certlib.core.verdicts import OUTCOMES, PROFILES, Outcome, Profile, Purpose, Verdict


def test_profile_and_outcome_are_str_enums_equal_to_their_words() -> None:
    assert issubclass(Profile, enum.StrEnum) and issubclass(Outcome, enum.StrEnum)
    assert PROFILES == ("rfc5280", "openssl", "windows", "go", "webpki") == tuple(Profile)
    assert OUTCOMES == ("allowed", "warning", "denied", "invalid", "n/a") == tuple(Outcome)
    assert all(type(p) is str for p in (*PROFILES, *OUTCOMES))  # plain strings for frames
    assert {Outcome.NA: 1}["n/a"] == 1 and f"{Outcome.DENIED}" == "denied"
    assert tuple(profiles.REGISTRY) == tuple(Profile)
    assert all(type(k) is Profile and p.name is k for k, p in profiles.REGISTRY.items())


def test_a_verdict_normalises_a_plain_word_and_refuses_others() -> None:
    v = Verdict(Purpose.TLS_SERVER, "go", "denied")
    assert v.outcome is Outcome.DENIED and not v.allowed
    with pytest.raises(ValueError, match="outcome must be one of"):
        Verdict(Purpose.TLS_SERVER, "go", "maybe")


def test_every_profile_returns_outcome_members() -> None:
    cert = forge(PRESETS["iis_server"]).certificate
    seen = profiles.verdict_list(cert)
    assert len(seen) == len(Profile) * len(Purpose)
    assert {v.profile for v in seen} == set(Profile)
    for v in seen:
        assert type(v.outcome) is Outcome, v
    assert {v.outcome for v in seen} >= {Outcome.ALLOWED, Outcome.DENIED}
    frame = profiles.verdicts(cert)  # frames keep plain words
    assert list(frame["outcome"].cat.categories) == list(OUTCOMES)
    assert all(type(c) is str for c in frame["outcome"].cat.categories)
