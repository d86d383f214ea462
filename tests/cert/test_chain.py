"""certlib.cert.chain: path building over real forged certificates (no mocks).

Every link is a real signature; impostors are real certificates with the right names and the
wrong keys, so a test passes only if signatures are actually verified.
"""

from __future__ import annotations

import datetime as dt

from certlib.cert.chain import (
    MAX_DEPTH,
    build_path,
    find_issuer,
    is_issuer_candidate,
    is_issuer_candidate_of,
    iter_paths,
)
from certlib.cert.facts import facts
from certlib.cert.forge import CertSpec, forge, forge_chain

CA_KU = frozenset({"key_cert_sign", "crl_sign"})
ROOT = CertSpec(common_name="Chain Test Root", ca=True, key_usage=CA_KU, validity_days=3650)
ICA = CertSpec(common_name="Chain Test ICA", ca=True, key_usage=CA_KU, validity_days=1000)
LEAF = CertSpec(common_name="leaf.chain.test", sans=("DNS:leaf.chain.test",), ca=False)


def _rules(result) -> list[str]:
    return [r.rule for r in result.reasons]


def test_builds_leaf_to_root_from_shuffled_pool() -> None:
    chain = forge_chain(ROOT, ICA, LEAF)
    unrelated = forge(CertSpec(common_name="Unrelated CA", ca=True, key_usage=CA_KU)).certificate
    result = build_path(
        chain.leaf.certificate,
        [unrelated, *chain.intermediate_certificates],
        [unrelated, *chain.roots],
    )
    assert result.found
    assert result.path == (
        chain.leaf.certificate,
        chain.intermediates[0].certificate,
        chain.root.certificate,
    )
    assert result.root == chain.root.certificate
    assert result.intermediates == (chain.intermediates[0].certificate,)
    assert _rules(result) == ["path.built"]
    assert "Chain Test ICA" in result.reasons[0].text
    assert result.reasons[0].source == "RFC 5280 §6.1.3"


def test_leaf_that_is_a_root_is_a_path_of_one() -> None:
    root = forge(ROOT).certificate
    result = build_path(root, [], [root])
    assert result.path == (root,)


def test_no_roots_given() -> None:
    chain = forge_chain(ROOT, LEAF)
    result = build_path(chain.leaf.certificate, [], [])
    assert not result.found and _rules(result) == ["path.no_roots"]


def test_missing_intermediate_is_no_issuer() -> None:
    chain = forge_chain(ROOT, ICA, LEAF)
    result = build_path(chain.leaf.certificate, [], chain.roots)
    assert not result.found
    assert _rules(result) == ["path.no_issuer"]
    assert "'leaf.chain.test'" in result.reasons[0].text
    assert result.reasons[0].source.startswith("RFC 5280 §6.1.3")


def test_impostor_with_right_name_fails_on_signature() -> None:
    chain = forge_chain(ROOT, LEAF)
    # Same subject, another key, no SKI (so AKI/SKI cannot rule it out before the signature).
    impostor = forge(ROOT.with_(key_label="impostor", subject_key_identifier=False)).certificate
    result = build_path(chain.leaf.certificate, [], [impostor])
    assert not result.found
    assert _rules(result) == ["path.signature"]
    assert "does not verify" in result.reasons[0].text


def test_all_candidates_are_tried() -> None:
    chain = forge_chain(ROOT, LEAF)
    impostor = forge(ROOT.with_(key_label="impostor", subject_key_identifier=False)).certificate
    result = build_path(chain.leaf.certificate, [], [impostor, chain.root.certificate])
    assert result.path == (chain.leaf.certificate, chain.root.certificate)


def test_aki_ski_mismatch_is_not_a_candidate() -> None:
    chain = forge_chain(ROOT, LEAF)
    other_key = forge(ROOT.with_(key_label="rekeyed")).certificate  # same name, other SKI
    result = build_path(chain.leaf.certificate, [], [other_key])
    assert _rules(result) == ["path.no_issuer"]


def test_expired_and_not_yet_valid() -> None:
    chain = forge_chain(ROOT, ICA, LEAF)
    leaf = chain.leaf.certificate
    later = leaf.not_valid_after_utc + dt.timedelta(days=1)
    result = build_path(leaf, chain.intermediate_certificates, chain.roots, at=later)
    assert _rules(result) == ["path.expired"]
    earlier = leaf.not_valid_before_utc - dt.timedelta(days=1)
    result = build_path(leaf, chain.intermediate_certificates, chain.roots, at=earlier)
    assert _rules(result) == ["path.not_yet_valid"]


def test_expired_intermediate() -> None:
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=100)
    chain = forge_chain(ROOT, ICA.with_(not_before=old, validity_days=10), LEAF)
    result = build_path(chain.leaf.certificate, chain.intermediate_certificates, chain.roots)
    assert _rules(result) == ["path.expired"]
    assert "'Chain Test ICA'" in result.reasons[0].text


def test_naive_at_is_utc() -> None:
    chain = forge_chain(ROOT, LEAF)
    at = (chain.leaf.certificate.not_valid_before_utc + dt.timedelta(hours=1)).replace(tzinfo=None)
    assert build_path(chain.leaf.certificate, [], chain.roots, at=at).found


def test_cross_signed_loop_terminates() -> None:
    # A and B certify each other (same names and keys as their self-signed versions).
    a_spec = CertSpec(common_name="Loop A", ca=True, key_usage=CA_KU)
    b_spec = CertSpec(common_name="Loop B", ca=True, key_usage=CA_KU)
    a, b = forge(a_spec), forge(b_spec)
    a_by_b = forge(a_spec, issuer=b)
    b_by_a = forge(b_spec, issuer=a)
    leaf = forge(LEAF, issuer=a).certificate
    pool = [a.certificate, b.certificate, a_by_b.certificate, b_by_a.certificate]
    unrelated = forge(CertSpec(common_name="Elsewhere", ca=True)).certificate
    paths, dead_ends = iter_paths(leaf, pool, [unrelated])
    assert paths == ()
    assert {r.rule for r in dead_ends} <= {"path.no_issuer", "path.signature"}
    # With B as the root the loop resolves: leaf -> A(by B) -> B.
    result = build_path(leaf, pool, [b.certificate])
    assert result.path[-1] == b.certificate and len(result.path) == 3


def test_depth_limit() -> None:
    specs = [ROOT] + [
        CertSpec(common_name=f"Deep ICA {i}", ca=True, key_usage=CA_KU) for i in range(MAX_DEPTH)
    ]
    chain = forge_chain(*specs, LEAF)
    result = build_path(chain.leaf.certificate, chain.intermediate_certificates, chain.roots)
    assert not result.found
    assert "path.too_long" in _rules(result)
    shorter = forge_chain(*specs[: MAX_DEPTH - 1], LEAF)  # exactly MAX_DEPTH certificates
    assert (
        len(
            build_path(
                shorter.leaf.certificate, shorter.intermediate_certificates, shorter.roots
            ).path
        )
        == MAX_DEPTH
    )


def test_find_issuer() -> None:
    chain = forge_chain(ROOT, ICA, LEAF)
    root, ica, leaf = (
        chain.root.certificate,
        chain.intermediates[0].certificate,
        chain.leaf.certificate,
    )
    impostor = forge(ICA.with_(key_label="impostor", subject_key_identifier=False)).certificate
    pool = [leaf, impostor, ica, root]
    assert find_issuer(leaf, pool) == ica
    assert find_issuer(ica, pool) == root
    assert find_issuer(root, pool) is None  # never itself
    assert find_issuer(leaf, [impostor, root]) is None
    # Dates play no part: an inventory links expired certificates too.
    old = dt.datetime(2001, 1, 1, tzinfo=dt.UTC)
    expired = forge(LEAF.with_(not_before=old, validity_days=1), issuer=chain.intermediates[0])
    assert find_issuer(expired.certificate, pool) == ica


def test_candidate_rule_on_facts_is_the_rule_on_certificates() -> None:
    """``is_issuer_candidate_of`` (for callers holding the facts) answers as
    ``is_issuer_candidate`` for every pair: names, matching, missing and mismatched key ids."""
    chain = forge_chain(ROOT, ICA, LEAF)
    rekeyed = forge(ROOT.with_(key_label="rekeyed")).certificate  # same name, other SKI
    no_ski = forge(ROOT.with_(key_label="impostor", subject_key_identifier=False)).certificate
    certs = [*chain.certificates, rekeyed, no_ski]
    answers = []
    for child in certs:
        for parent in certs:
            want = is_issuer_candidate(child, parent)
            assert is_issuer_candidate_of(facts(child), facts(parent)) is want
            answers.append(want)
    assert len(answers) == 25
    assert 3 <= sum(answers) < 25  # some pairs chain (e.g. the ICA under both root keys' names)
