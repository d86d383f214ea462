"""The go profile's model of Go 1.27.3 ``Certificate.Verify``: one focused test per class of
disagreement a comparison with real Go found (tests/oracles/test_go_verify.py compares in bulk).
"""

from __future__ import annotations

from typing import Any

import pytest
from go_corpus import (
    AT,
    POLICY_A,
    POLICY_B,
    _gn_dirname,
    _gn_dns,
    _gn_email,
    _gn_ip,
    _gn_upn,
    _gn_uri,
    aki_ext,
    inhibit_any_ext,
    mappings_ext,
    nc_ext,
    policies_ext,
    policy_constraints_ext,
    san_ext,
    ski_of,
)

from certlib.cert import nameconstraints as nc
from certlib.cert.forge import CertSpec, Forged, forge
from certlib.core.oids import ANY_POLICY
from certlib.profiles import verdict
from certlib.profiles.go import GO_VERSION, S_VERIFY

CA_KU = frozenset({"key_cert_sign", "crl_sign"})


def chain(
    leaf_ext=(), int_ext=(), root_ext=(), leaf_kw: dict | None = None, seed: int = 7
) -> tuple[Forged, Forged, Forged]:
    root = forge(
        CertSpec(common_name="Go Test Root", ca=True, key_usage=CA_KU, extra_extensions=root_ext),
        seed=seed,
    )
    inter = forge(
        CertSpec(common_name="Go Test Int", ca=True, key_usage=CA_KU, extra_extensions=int_ext),
        root,
        seed=seed,
    )
    leaf = forge(
        CertSpec(common_name="leaf.example.com", extra_extensions=leaf_ext, **(leaf_kw or {})),
        inter,
        seed=seed,
    )
    return root, inter, leaf


def go(root: Forged, inter: Forged | None, leaf: Forged, purpose: str = "tls_server", **kw: Any):
    return verdict(
        leaf.certificate,
        purpose,
        "go",
        strict=True,
        roots=[root.certificate],
        intermediates=[inter.certificate] if inter else [],
        at=AT,
        **kw,
    )


def decisive(out) -> str:
    return out.reasons[-1].rule


def test_version_is_named_in_reasons() -> None:
    assert GO_VERSION == "1.27.3" and GO_VERSION in S_VERIFY
    out = go(*chain(leaf_ext=(san_ext([_gn_dns("www.example.com")]),)))
    assert out.allowed and all(GO_VERSION in r.source for r in out.reasons if "Go" in r.source)


# 1. name constraints -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("constraint", "names", "ok"),
    [
        (nc_ext([_gn_dns("example.com")], []), [_gn_dns("www.example.com")], True),
        (nc_ext([_gn_dns("example.com")], []), [_gn_dns("www.other.org")], False),
        (nc_ext([_gn_dns("example.com")], []), [_gn_dns("badexample.com")], False),
        (nc_ext([_gn_dns(".example.com")], []), [_gn_dns("example.com")], False),
        (nc_ext([_gn_dns(".example.com")], []), [_gn_dns("a.example.com")], True),
        (nc_ext([], [_gn_dns("a.example.com")]), [_gn_dns("*.example.com")], False),
        (nc_ext([_gn_email("example.com")], []), [_gn_email("me@a.example.com")], True),
        (nc_ext([_gn_email("me@example.com")], []), [_gn_email("you@example.com")], False),
        (
            nc_ext([_gn_ip(bytes([192, 0, 2, 0, 255, 255, 255, 0]))], []),
            [_gn_ip(bytes([192, 0, 2, 9]))],
            True,
        ),
        (
            nc_ext([_gn_ip(bytes([192, 0, 2, 0, 255, 255, 255, 0]))], []),
            [_gn_ip(bytes([198, 51, 100, 1]))],
            False,
        ),
        (nc_ext([_gn_uri(".example.com")], []), [_gn_uri("https://www.example.com/x")], True),
        (nc_ext([_gn_uri(".example.com")], []), [_gn_uri("https://other.org/")], False),
        # a DNS constraint says nothing about other forms; the CN is never a name
        (nc_ext([_gn_dns("example.com")], []), [_gn_email("x@other.org")], True),
        # a name Go cannot parse fails under any constraint
        (
            nc_ext([_gn_ip(bytes([192, 0, 2, 0, 255, 255, 255, 0]))], []),
            [_gn_dns("www.example.com.")],
            False,
        ),
    ],
)
def test_name_constraints_are_enforced_on_the_leaf_sans(
    constraint: tuple, names: list[bytes], ok: bool
) -> None:
    out = go(*chain(leaf_ext=(san_ext(names),), int_ext=(constraint,)))
    assert out.allowed is ok, out.reasons
    if not ok:
        assert decisive(out) == "go.name_constraints"
        assert "not authorized to sign for this name" in out.reasons[-1].text


def test_name_constraints_ignore_the_subject_and_leaves_without_a_san() -> None:
    root, inter, leaf = chain(int_ext=(nc_ext([_gn_dns("example.org")], []),))
    assert go(root, inter, leaf).allowed  # CN leaf.example.com is outside, but no SAN


def test_root_constraints_apply_to_intermediates_and_leaf() -> None:
    root, inter, leaf = chain(
        leaf_ext=(san_ext([_gn_dns("www.other.org")]),),
        root_ext=(nc_ext([_gn_dns("example.com")], []),),
    )
    assert decisive(go(root, inter, leaf)) == "go.name_constraints"


def test_nameconstraints_module_checks_a_chain() -> None:
    names = nc.parse_san(san_ext([_gn_dns("www.other.org"), _gn_email("a@b.example")])[2])
    cons = nc.parse_name_constraints(nc_ext([_gn_dns("example.com")], [])[2])
    assert nc.check([(names, None), (None, cons)]) == (
        0,
        1,
        "DNS name 'www.other.org' is not permitted by any constraint",
    )
    assert nc.check([(names, None), (None, None)]) is None
    with pytest.raises(nc.NameConstraintError, match="empty name constraints"):
        nc.parse_name_constraints(b"\x30\x00")


# 2. / 3. critical SAN / nameConstraints Go cannot use ------------------------------------


def test_critical_san_with_only_an_other_name_is_unhandled() -> None:
    out = go(*chain(leaf_ext=(san_ext([_gn_upn("u@example.com")], critical=True),)))
    assert out.outcome == "denied" and decisive(out) == "go.unhandled_critical"
    assert "2.5.29.17" in out.reasons[-1].text
    # with a dNSName beside it, Go handles the SAN
    ext = san_ext([_gn_upn("u@example.com"), _gn_dns("www.example.com")], critical=True)
    assert go(*chain(leaf_ext=(ext,))).allowed


def test_critical_directory_name_constraint_is_unhandled() -> None:
    root, inter, leaf = chain(int_ext=(nc_ext([_gn_dirname("Sub")], [], critical=True),))
    out = go(root, inter, leaf)
    assert out.outcome == "denied" and decisive(out) == "go.unhandled_critical"
    assert "2.5.29.30" in out.reasons[-1].text
    root, inter, leaf = chain(int_ext=(nc_ext([_gn_dirname("Sub")], [], critical=False),))
    assert go(root, inter, leaf).allowed  # not critical: Go ignores what it cannot check


# 4. AKI that does not match the issuer's SKI -----------------------------------------------


def test_mismatching_aki_still_finds_its_issuer() -> None:
    root, inter, _ = chain()
    leaf = forge(
        CertSpec(
            common_name="leaf.example.com",
            authority_key_identifier=False,
            extra_extensions=(aki_ext(bytes(20 * [7])),),
        ),
        inter,
        seed=7,
    )
    out = go(root, inter, leaf)
    assert out.allowed, out.reasons
    # windows keeps the key-identifier filter (its chaining engine's "key match"); rfc5280
    # tries the mismatching issuer too (tests/cert/test_nameconstraints.py)
    assert (
        verdict(
            leaf.certificate,
            "tls_server",
            "windows",
            roots=[root.certificate],
            intermediates=[inter.certificate],
            at=AT,
        ).outcome
        == "denied"
    )


# 5. host names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("san", "host", "ok"),
    [
        ("www.example.com", "www.example.com", True),
        ("www.example.com", "www.example.com.", True),
        ("www.example.com", "www.example.com..", False),
        ("www.example.com.", "www.example.com", False),
        ("www.example.com.", "www.example.com.", True),  # not a valid pattern: exact match
        ("*.com", "foo.com", True),
        ("*.example.com", "a.b.example.com", False),
        ("WWW.Example.com", "www.EXAMPLE.com", True),
        ("f*.example.com", "f*.example.com", True),  # invalid pattern: exact match only
        ("f*.example.com", "foo.example.com", False),
    ],
)
def test_verify_hostname(san: str, host: str, ok: bool) -> None:
    out = go(*chain(leaf_ext=(san_ext([_gn_dns(san)]),)), hostname=host)
    assert out.allowed is ok, out.reasons
    assert decisive(out) == ("path.valid" if ok else "name.mismatch") or ok


# 6. parse failures -------------------------------------------------------------------------


def test_critical_aki_is_a_parse_failure() -> None:
    root, inter, _ = chain()
    leaf = forge(
        CertSpec(
            common_name="leaf.example.com",
            authority_key_identifier=False,
            extra_extensions=(aki_ext(ski_of(inter.certificate), critical=True),),
        ),
        inter,
        seed=7,
    )
    out = go(root, inter, leaf)
    assert out.outcome == "invalid" and decisive(out) == "go.parse_error"
    assert "authority key identifier incorrectly marked critical" in out.reasons[-1].text


def test_negative_path_length_is_a_parse_failure() -> None:
    root = forge(CertSpec(common_name="Go Test Root", ca=True, key_usage=CA_KU), seed=7)
    inter = forge(
        CertSpec(common_name="Go Test Int", ca=True, key_usage=CA_KU, path_length=-1), root, seed=7
    )
    leaf = forge(CertSpec(common_name="leaf.example.com"), inter, seed=7)
    out = go(root, inter, leaf)
    assert out.outcome == "denied" and "go.path_length" not in {r.rule for r in out.reasons}
    assert decisive(out) == "go.parse_error" and "invalid basic constraints" in out.reasons[-1].text
    assert verdict(inter.certificate, "tls_server", "go").outcome == "invalid"


# 7. policies -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("int_ext", "leaf_policies", "ok"),
    [
        ((policy_constraints_ext(0, None),), None, False),  # explicit policy, none given
        ((policy_constraints_ext(0, None), policies_ext([POLICY_A])), [POLICY_A], True),
        ((policy_constraints_ext(0, None), policies_ext([POLICY_A])), [POLICY_B], False),
        ((policy_constraints_ext(0, None), policies_ext([ANY_POLICY])), [POLICY_B], True),
        (
            (policy_constraints_ext(0, None), inhibit_any_ext(0), policies_ext([ANY_POLICY])),
            [ANY_POLICY],
            False,
        ),
        ((mappings_ext([(ANY_POLICY, POLICY_A)]), policies_ext([ANY_POLICY])), [POLICY_A], False),
        (
            (
                policy_constraints_ext(0, None),
                mappings_ext([(POLICY_A, POLICY_B)]),
                policies_ext([POLICY_A]),
            ),
            [POLICY_B],
            True,
        ),
        ((policies_ext([POLICY_A]),), [POLICY_B], True),  # nothing requires a policy
    ],
)
def test_policies_are_validated(int_ext: tuple, leaf_policies: list[str] | None, ok: bool) -> None:
    leaf_ext = (policies_ext(leaf_policies),) if leaf_policies else ()
    root, inter, leaf = chain(
        leaf_ext=leaf_ext, int_ext=int_ext, root_ext=(policies_ext([ANY_POLICY]),)
    )
    out = go(root, inter, leaf)
    assert out.allowed is ok, out.reasons
    if not ok:
        assert decisive(out) == "go.policy"
