"""What path validation reads of a leaf and its chain (``what_path_reads``), memoised in a run's
memo or not, and the policy extensions read in one walk (``policy_raws``).

The oracle is the reading without a memo and the definitions the outcome keys used before the
memo existed (``policy_info_of`` on the leaf and each chain certificate, a NAME_CONSTRAINTS
extension on a chain certificate); forged leaves and CAs each carry one of the extensions that
can change the answer, next to plain ones.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import product

from certlib.cert import der
from certlib.cert.facts import facts
from certlib.cert.forge import PRESETS, forge
from certlib.core.memo import Memo
from certlib.core.oids import EXT
from certlib.profiles.constraints import (
    POLICY_EXTENSIONS,
    policy_info_of,
    policy_raws,
    what_path_reads,
)

_CP = der.encode_sequence(der.encode_sequence(der.encode_oid("2.23.140.1.2.1")))
_CP_BROKEN = der.encode_sequence(der.encode_tlv(der.INTEGER, b"\x01"))
_REQUIRE_EXPLICIT = der.encode_sequence(der.encode_tlv(0x80, b"\x00"))
_PERMITTED = der.encode_sequence(
    der.encode_tlv(0xA0, der.encode_sequence(der.encode_tlv(0x82, b"bench.example")))
)


def _ext(oid: str, value: bytes) -> tuple[tuple[str, bool, bytes], ...]:
    return ((oid, False, value),)


def _corpus():
    keys = Memo()
    root = forge(PRESETS["root_ca"], seed="c", memo=keys)
    cas = {
        "plain": forge(PRESETS["intermediate_ca"], root, seed="c", memo=keys),
        "policy-constrained": forge(
            replace(
                PRESETS["intermediate_ca"],
                common_name="PC CA",
                extra_extensions=_ext(EXT.POLICY_CONSTRAINTS.oid, _REQUIRE_EXPLICIT),
            ),
            root,
            seed="c",
            memo=keys,
        ),
        "name-constrained": forge(
            replace(
                PRESETS["intermediate_ca"],
                common_name="NC CA",
                extra_extensions=_ext(EXT.NAME_CONSTRAINTS.oid, _PERMITTED),
            ),
            root,
            seed="c",
            memo=keys,
        ),
    }
    leaf_extras = {
        "plain": (),
        "policies": _ext(EXT.CERTIFICATE_POLICIES.oid, _CP),
        "broken-policies": _ext(EXT.CERTIFICATE_POLICIES.oid, _CP_BROKEN),
        "require-explicit": _ext(EXT.POLICY_CONSTRAINTS.oid, _REQUIRE_EXPLICIT),
    }
    leaves = {}
    for (ca_name, ca), (leaf_name, extra) in product(cas.items(), leaf_extras.items()):
        spec = replace(
            PRESETS["web_server"], common_name=f"{leaf_name}.{ca_name}", extra_extensions=extra
        )
        leaves[(ca_name, leaf_name)] = (
            forge(spec, ca, seed="c", memo=keys).certificate,
            ca.certificate,
        )
    return root.certificate, leaves


def _oracle(f, chain) -> tuple[bool, bool, bool]:
    info = policy_info_of(f)
    policed = (
        info is None
        or info.constrains
        or any((i := policy_info_of(c)) is None or i.constrains for c in chain)
    )
    constrained = any(c.extension(EXT.NAME_CONSTRAINTS.oid) is not None for c in chain)
    return info is None, policed, constrained


def test_memoised_reading_equals_the_fresh_one_and_the_old_definition() -> None:
    root, leaves = _corpus()
    memo = Memo()
    seen = {}
    for _round in range(2):  # the second round is answered from the memo
        for name, (leaf, ca) in leaves.items():
            f = facts(leaf, memo=memo)
            chain = (facts(ca, memo=memo), facts(root, memo=memo))
            got = what_path_reads(f, chain, memo)
            fresh = what_path_reads(facts(leaf), (facts(ca), facts(root)), None)
            assert got == fresh == _oracle(f, chain), name
            seen[name] = got
    assert len(seen) == 12
    assert memo.table("constraints.chain")  # the chains' part was kept
    assert seen[("plain", "plain")] == (False, False, False)
    assert seen[("plain", "policies")] == (False, False, False)
    assert seen[("plain", "broken-policies")] == (True, True, False)
    assert seen[("plain", "require-explicit")] == (False, True, False)
    assert seen[("policy-constrained", "plain")] == (False, True, False)
    assert seen[("name-constrained", "plain")] == (False, False, True)
    assert seen[("name-constrained", "broken-policies")] == (True, True, True)


def test_a_memo_entry_answers_only_its_own_chain() -> None:
    root, leaves = _corpus()
    memo = Memo()
    leaf, ca = leaves[("plain", "plain")]
    _leaf2, nc_ca = leaves[("name-constrained", "plain")]
    f = facts(leaf)
    assert what_path_reads(f, (facts(ca), facts(root)), memo)[2] is False
    # the same leaf under another chain (new facts objects each time): never the first answer
    assert what_path_reads(f, (facts(nc_ca), facts(root)), memo)[2] is True
    assert what_path_reads(f, (facts(ca), facts(root)), memo)[2] is False


def test_policy_raws_reads_the_first_of_each_policy_extension() -> None:
    _root, leaves = _corpus()
    leaf, ca = leaves[("policy-constrained", "policies")]
    raws = policy_raws(facts(leaf))
    assert len(raws) == len(POLICY_EXTENSIONS) == 4
    assert raws == ((False, _CP), None, None, None)
    assert policy_raws(facts(ca)) == (None, None, (False, _REQUIRE_EXPLICIT), None)
