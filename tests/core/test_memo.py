"""The run-owned Memo reaches every layer that can use it: a caller's memo is the one the
profiles read through, it never changes a verdict or an outcome key, and a widget model keeps one
for its lifetime (an RSA toggle reuses its key instead of deriving it again)."""

from __future__ import annotations

import datetime as dt

import certlib
from certlib import profiles
from certlib.cert.facts import facts
from certlib.cert.forge import PRESETS, forge_chain
from certlib.core.memo import Memo
from certlib.core.verdicts import PROFILES, Purpose
from certlib.widgets.explorer import ExplorerModel

AT = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def _chain():
    return forge_chain(
        PRESETS["root_ca"], PRESETS["intermediate_ca"], PRESETS["web_server"], seed="wiring"
    )


def test_a_callers_memo_is_the_one_the_profiles_read_through() -> None:
    ch = _chain()
    kw = dict(roots=ch.roots, intermediates=ch.intermediate_certificates, at=AT)
    fresh = profiles.verdict_list(ch.leaf.certificate, **kw)
    run = Memo()
    shared = profiles.verdict_list(ch.leaf.certificate, memo=run, **kw)
    assert len(shared) == len(PROFILES) * len(Purpose) == 30
    assert shared == fresh
    # the leaf's and the chain's facts, the links and the Go/RFC 5280 candidate rules are there
    assert len(run.table("facts")) >= 3
    assert len(run.table("chain.link")) >= 2
    assert len(run.table("profiles.candidate_rule")) == 2  # go's and rfc5280's, bound once
    size = len(run)
    again = profiles.verdict_list(ch.leaf.certificate, memo=run, **kw)
    assert again == fresh and len(run) == size  # a second table adds nothing new
    # verdict, verdicts and verdict_grid take the memo too, with the same answers
    v = profiles.verdict(ch.leaf.certificate, "tls_server", "go", memo=run, **kw)
    assert v == next(x for x in fresh if x.profile == "go" and x.purpose is Purpose.TLS_SERVER)
    table = profiles.verdicts(ch.leaf.certificate, memo=run, **kw)
    assert list(table["outcome"]) == [x.outcome for x in fresh]
    grid = profiles.verdict_grid(ch.leaf.certificate, memo=run, **kw)
    assert grid.shape == (len(Purpose), len(PROFILES))
    assert len(run) == size


def test_outcome_keys_are_the_same_with_the_runs_memo() -> None:
    ch = _chain()
    leaf = ch.leaf.certificate
    chain = (*ch.intermediate_certificates, *ch.roots)
    f = facts(leaf)
    run = Memo()
    keyed = 0
    for name in PROFILES:
        plain = profiles.outcome_key(name, f, cert=leaf, at=AT, chain=chain)
        memoised = profiles.outcome_key(name, f, cert=leaf, at=AT, chain=chain, memo=run)
        assert plain == memoised
        keyed += plain is not None
    assert keyed == 4  # every profile but webpki declares a key
    assert len(run.table("facts")) >= 2  # the chain's facts were read through the memo


def test_the_explorer_model_keeps_one_memo_across_toggles() -> None:
    model = ExplorerModel(seed="wiring")
    model.apply_preset("iis_server")
    model.update(key_type="rsa", issuer="ca")
    first = model.result
    keys = dict(model.memo.table("forge.key"))
    assert any(k[1].startswith("rsa") for k in keys)  # the RSA keys are in the model's memo
    toggled = model.set_ku("key_agreement", "key_agreement" not in model.state.key_usage)
    assert toggled.leaf.certificate != first.leaf.certificate
    # the toggle re-forged the leaf with the key it already had: nothing derived again
    assert model.memo.table("forge.key") == keys
    assert toggled.leaf.certificate.public_key() == first.leaf.certificate.public_key()
    assert len(toggled.verdicts) == 30


def test_the_memo_is_public_for_notebooks() -> None:
    assert certlib.Memo is Memo and "Memo" in certlib.__all__
    memo = certlib.Memo()
    a = certlib.forge(PRESETS["iis_server"], memo=memo)
    b = certlib.forge(PRESETS["iis_server"].with_(common_name="other.example"), memo=memo)
    # one key per (key type, label): the issuers' keys were derived once for both leaves
    assert a.issuer is not None and b.issuer is not None
    assert a.issuer.certificate.public_key() == b.issuer.certificate.public_key()
