"""Name constraints, policies, issuer candidates and host names of the rfc5280 and windows
profiles (``nameconstraints.RFC5280`` / ``WINDOWS``, ``purpose._constraints``).

Chains are forged (root → constrained intermediate → leaf) with
:mod:`certlib.cert.extra_extensions`; each case names the rule it is about. A differential part
checks the rfc5280 profile against ``openssl verify`` on seeded forged chains for the cases
the two read the same way (dNSName / IP / email subtrees on SAN names).
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509

from certlib.cert import nameconstraints as nc
from certlib.cert.extra_extensions import (
    certificate_policies,
    general_name,
    inhibit_any_policy,
    name_constraints,
    policy_constraints,
)
from certlib.cert.extra_extensions import policy_mappings as mappings
from certlib.cert.forge import CertSpec, forge
from certlib.core.oids import EKU
from certlib.profiles import verdict
from certlib.profiles.rfc5280 import match_hostname_rfc
from certlib.profiles.windows import match_hostname_windows

AT = "2026-06-01T00:00:00Z"
ROOT = CertSpec(common_name="NC Root", ca=True, key_usage=frozenset({"key_cert_sign"}))
P1, P2 = "1.3.6.1.4.1.55555.1.1", "1.3.6.1.4.1.55555.1.2"


def _chain(ica_ext=(), leaf_ext=(), sans=("DNS:www.example.com",), subject=(), cn="leaf", seed=1):
    root = forge(ROOT, seed="nc-root")
    ica = forge(
        CertSpec(
            common_name="NC Intermediate",
            ca=True,
            key_usage=frozenset({"key_cert_sign"}),
            extra_extensions=tuple(ica_ext),
        ),
        root,
        seed=f"nc-ica-{seed}",
    )
    leaf = forge(
        CertSpec(
            common_name=cn,
            subject=tuple(subject),
            sans=tuple(sans),
            eku=(EKU.SERVER_AUTH.oid, EKU.EMAIL_PROTECTION.oid),
            extra_extensions=tuple(leaf_ext),
        ),
        ica,
        seed=f"nc-leaf-{seed}",
    )
    return root, ica, leaf


def _v(chain, profile: str, purpose: str = "tls_server", **kw):
    root, ica, leaf = chain
    return verdict(
        leaf.certificate,
        purpose,
        profile,
        roots=[root.certificate],
        intermediates=[ica.certificate],
        at=AT,
        strict=True,
        **kw,
    )


def _rules(v) -> list[str]:
    return [r.rule for r in v.reasons]


# name constraints: (intermediate constraint, leaf SANs, leaf subject, rfc5280 allowed?)
NC_CASES = [
    # dNSName: adding labels on the left
    (name_constraints(["DNS:example.com"]), ["DNS:www.example.com"], (), True),
    (name_constraints(["DNS:example.com"]), ["DNS:example.com"], (), True),
    (name_constraints(["DNS:example.com"]), ["DNS:www.other.org"], (), False),
    (name_constraints(["DNS:example.com"]), ["DNS:badexample.com"], (), False),
    (name_constraints(["DNS:.example.com"]), ["DNS:example.com"], (), False),
    (name_constraints([], ["DNS:bad.example.com"]), ["DNS:x.bad.example.com"], (), False),
    # wildcard SANs are strings to the RFC: excluding a sibling does not exclude *.
    (name_constraints([], ["DNS:foo.example.com"]), ["DNS:*.example.com"], (), True),
    # iPAddress with mask
    (name_constraints(["IP:10.0.0.0/8"]), ["IP:10.1.2.3"], (), True),
    (name_constraints(["IP:10.0.0.0/8"]), ["IP:192.0.2.1"], (), False),
    # a form the constraint does not name is unrestricted
    (name_constraints(["IP:10.0.0.0/8"]), ["DNS:anything.org"], (), True),
    # rfc822Name: mailbox, host, .domain
    (name_constraints(["email:example.com"]), ["email:a@example.com"], (), True),
    (name_constraints(["email:example.com"]), ["email:a@sub.example.com"], (), False),
    (name_constraints(["email:.example.com"]), ["email:a@sub.example.com"], (), True),
    (name_constraints(["email:.example.com"]), ["email:a@example.com"], (), False),
    (name_constraints(["email:a@example.com"]), ["email:b@example.com"], (), False),
    # the subject's emailAddress is an rfc822Name (§4.2.1.10)
    (name_constraints(["email:example.com"]), [], (("emailAddress", "x@other.org"),), False),
    (name_constraints(["email:example.com"]), [], (("emailAddress", "x@example.com"),), True),
    # URI host: exact, or .domain for hosts below
    (name_constraints(["URI:host.example.com"]), ["URI:https://host.example.com/x"], (), True),
    (name_constraints(["URI:host.example.com"]), ["URI:https://a.host.example.com/"], (), False),
    (name_constraints(["URI:.example.com"]), ["URI:https://a.example.com/"], (), True),
    # the subject CN is not a DNS name to the RFC
    (name_constraints(["DNS:example.com"]), [], (), True),
]


@pytest.mark.parametrize(("ext", "sans", "subject", "ok"), NC_CASES)
def test_rfc5280_name_constraints(ext, sans, subject, ok) -> None:
    chain = _chain([ext], sans=sans, subject=subject, cn="www.other.org")
    out = _v(
        chain, "rfc5280", "email_protection" if "email" in str([*sans, subject]) else "tls_server"
    )
    assert out.allowed is ok, out.reasons
    hit = [r for r in _rules(out) if r.startswith("ca.name_constraints")]
    assert bool(hit) is (not ok)
    if ok and sans:
        assert "path.name_constraints" in _rules(out)


def test_nc_case_count() -> None:
    assert len(NC_CASES) == 21
    assert sum(1 for c in NC_CASES if c[3]) == 11


def test_rfc5280_directory_name_subtree() -> None:
    permitted = x509.Name([x509.NameAttribute(x509.NameOID.ORGANIZATION_NAME, "Example Org")])
    ext = name_constraints([f"DirName:{permitted.public_bytes().hex()}"])
    inside = _chain([ext], subject=(("O", "EXAMPLE  org"),), cn="a")
    assert _v(inside, "rfc5280").allowed  # §7.1: case and inner spaces do not matter
    outside = _chain([ext], subject=(("O", "Other Org"),), cn="a", seed=2)
    out = _v(outside, "rfc5280")
    assert out.outcome == "denied"
    assert "directoryName" in out.reasons[-1].text
    # Go cannot check directoryName constraints: its rules leave them aside
    assert nc.DIRECTORY not in nc.GO.handled_forms


def test_rfc5280_unhandled_form_rejects_only_a_name_of_that_form() -> None:
    rid = b"\x88\x03\x2a\x03\x04"  # registeredID 1.2.3.4
    value = nc.der.encode_sequence(nc.der.encode_tlv(0xA0, nc.der.encode_sequence(rid)))
    ext = ("2.5.29.30", True, value)
    assert _v(_chain([ext]), "rfc5280").allowed
    out = _v(_chain([ext], sans=("DNS:www.example.com", "RID:1.2.3.5"), seed=3), "rfc5280")
    assert out.outcome == "denied" and "MUST either process" in out.reasons[-1].text
    # windows: registeredID subtrees are CERT_TRUST_HAS_NOT_SUPPORTED_NAME_CONSTRAINT
    out = _v(_chain([ext]), "windows")
    assert out.outcome == "denied"
    assert "ca.name_constraints_unsupported" in _rules(out)


def test_self_issued_intermediate_subject_is_not_checked() -> None:
    """§6.1.3(b): a self-issued intermediate's names are skipped (a key rollover)."""
    root = forge(ROOT, seed="nc-root")
    ica_spec = CertSpec(
        common_name="NC Intermediate",
        ca=True,
        key_usage=frozenset({"key_cert_sign"}),
        sans=("DNS:ca.elsewhere.org",),
    )
    top = forge(
        ica_spec.with_(extra_extensions=(name_constraints(["DNS:example.com"]),)), root, seed="t"
    )
    rolled = forge(ica_spec.with_(key_label="new"), top, seed="r")  # self-issued
    leaf = forge(CertSpec(common_name="l", sans=("DNS:www.example.com",)), rolled, seed="l")
    kw = {"roots": [root.certificate], "intermediates": [top.certificate, rolled.certificate]}
    assert verdict(leaf.certificate, "tls_server", "rfc5280", at=AT, **kw).allowed
    # under Go every certificate's SAN is checked: the rolled-over CA's name is outside
    assert not verdict(leaf.certificate, "tls_server", "go", at=AT, **kw).allowed


def test_windows_name_constraint_flags() -> None:
    out = _v(
        _chain([name_constraints(["DNS:example.com"])], sans=("DNS:www.other.org",)), "windows"
    )
    assert out.outcome == "denied"
    assert "CERT_TRUST_HAS_NOT_PERMITTED_NAME_CONSTRAINT" in out.reasons[-1].text
    chain = _chain([name_constraints([], ["DNS:bad.example.com"])], sans=("DNS:x.bad.example.com",))
    out = _v(chain, "windows")
    assert "CERT_TRUST_HAS_EXCLUDED_NAME_CONSTRAINT" in out.reasons[-1].text
    garbage = ("2.5.29.30", True, b"\x30\x03\x02\x01\x00")
    out = _v(_chain([garbage]), "windows")
    assert out.outcome == "denied" and "CERT_TRUST_INVALID_NAME_CONSTRAINTS" in out.reasons[-1].text
    assert _v(_chain([name_constraints(["DNS:example.com"])]), "windows").allowed


def test_subtree_bounds_detected() -> None:
    tree = nc.der.encode_sequence(general_name("DNS:example.com"), nc.der.encode_tlv(0x81, b"\x01"))
    value = nc.der.encode_sequence(nc.der.encode_tlv(0xA0, tree))
    assert nc.has_subtree_bounds(value)
    assert not nc.has_subtree_bounds(name_constraints(["DNS:example.com"])[2])
    assert not nc.has_subtree_bounds(b"\x05\x00")


def test_go_rules_unchanged_by_the_new_fields() -> None:
    assert (nc.GO.uri_host_exact, nc.GO.unparsable_only_if_constrained) == (False, False)
    assert nc.GO.unhandled_named_rejects is False
    # Go matches a URI constraint like a dNSName: subdomains too; the RFC does not
    names = nc.Names(uri=("https://a.host.example.com/",))
    cons = nc.parse_name_constraints(name_constraints(["URI:host.example.com"])[2], nc.GO)
    assert nc.check([(names, None), (None, cons)], nc.GO) is None
    assert nc.check([(names, None), (None, cons)], nc.RFC5280) is not None


# policies -----------------------------------------------------------------------------------


def test_require_explicit_policy_above_a_leaf_without_policies() -> None:
    ica = [policy_constraints(require_explicit=0), certificate_policies(P1)]
    bare = _chain(ica)
    for profile in ("rfc5280", "windows"):
        out = _v(bare, profile)
        assert out.outcome == "denied", profile
        assert "ca.policy" in _rules(out) and "requireExplicitPolicy" in out.reasons[-1].text
    good = _chain(ica, leaf_ext=[certificate_policies(P1)], seed=2)
    for profile in ("rfc5280", "windows"):
        out = _v(good, profile)
        assert out.allowed, (profile, out.reasons)
        assert "path.policy" in _rules(out)
    assert "[unverified]" in next(
        r.text for r in _v(good, "windows").reasons if r.rule == "path.policy"
    )
    other = _chain(ica, leaf_ext=[certificate_policies(P2)], seed=3)
    assert _v(other, "rfc5280").outcome == "denied"


def test_policy_mapping_and_inhibit_any() -> None:
    ica = [policy_constraints(require_explicit=0), certificate_policies(P1), mappings([(P1, P2)])]
    mapped = _chain(ica, leaf_ext=[certificate_policies(P2)])
    assert _v(mapped, "rfc5280").allowed
    # inhibitPolicyMapping 0 in the mapping CA itself counts from the next certificate on
    # (§6.1.4(b) runs before (i)): its own mapping still applies
    inhibited = [policy_constraints(require_explicit=0, inhibit_mapping=0), *ica[1:]]
    out = _v(_chain(inhibited, leaf_ext=[certificate_policies(P2)], seed=2), "rfc5280")
    assert out.allowed, out.reasons
    unmapped = _v(_chain(ica, leaf_ext=[certificate_policies(P1)], seed=5), "rfc5280")
    assert unmapped.outcome == "denied"  # P1 became P2 below the CA
    anyp = [
        policy_constraints(require_explicit=0),
        certificate_policies("2.5.29.32.0"),
        inhibit_any_policy(0),
    ]
    out = _v(_chain(anyp, leaf_ext=[certificate_policies("2.5.29.32.0")], seed=3), "rfc5280")
    assert out.outcome == "denied"
    ok = _v(_chain(anyp[:2], leaf_ext=[certificate_policies("2.5.29.32.0")], seed=4), "rfc5280")
    assert ok.allowed


# issuer candidates --------------------------------------------------------------------------


def test_rfc5280_tries_an_issuer_whose_ski_does_not_match() -> None:
    root, ica, _ = _chain()
    aki = nc.der.encode_sequence(nc.der.encode_tlv(0x80, bytes(20 * [7])))
    leaf = forge(
        CertSpec(
            common_name="l",
            sans=("DNS:www.example.com",),
            authority_key_identifier=False,
            extra_extensions=(("2.5.29.35", False, aki),),
        ),
        ica,
        seed=9,
    )
    kw = {"roots": [root.certificate], "intermediates": [ica.certificate], "at": AT}
    assert verdict(leaf.certificate, "tls_server", "rfc5280", **kw).allowed
    assert verdict(leaf.certificate, "tls_server", "windows", **kw).outcome == "denied"


# host names ---------------------------------------------------------------------------------

HOSTS = [
    # (SANs, CN, host, rfc5280, windows)
    (("DNS:*.example.com",), "x", "a.example.com", True, True),
    (("DNS:*.example.com",), "x", "example.com", False, False),
    (("DNS:*.com",), "x", "example.com", True, False),
    (("DNS:w*.example.com",), "x", "www.example.com", False, False),
    (("DNS:www.example.com.",), "x", "WWW.EXAMPLE.COM", True, True),
    ((), "www.example.com", "www.example.com", False, True),
    (("email:a@example.com",), "www.example.com", "www.example.com", False, True),
    (("DNS:other.example.com",), "www.example.com", "www.example.com", False, False),
    (("IP:192.0.2.1",), "192.0.2.1", "192.0.2.1", True, True),
    ((), "192.0.2.1", "192.0.2.1", False, False),
]


@pytest.mark.parametrize(("sans", "cn", "host", "rfc", "win"), HOSTS)
def test_host_matchers(sans, cn, host, rfc, win) -> None:
    cert = forge(CertSpec(common_name=cn, sans=sans), seed=f"h-{sans}-{cn}").certificate
    assert match_hostname_rfc(cert, host)[0] is rfc
    assert match_hostname_windows(cert, host)[0] is win
    for profile, want in (("rfc5280", rfc), ("windows", win)):
        out = verdict(cert, "tls_server", profile, hostname=host)
        assert ("name.match" in _rules(out)) is want


def test_host_case_count() -> None:
    assert len(HOSTS) == 10
    assert sum(r != w for *_x, r, w in HOSTS) == 3


# differential: openssl verify ---------------------------------------------------------------

OPENSSL = shutil.which("openssl")  # the environment provides it (OpenSSL 3.0)


def _random_case(rng: random.Random) -> tuple[list[str], list[str], list[str]]:
    dns = ["example.com", "other.org", "a.example.com", "b.other.org", "example.net"]
    ips = ["10.0.0.0/8", "192.0.2.0/24"]
    form = rng.choice(["DNS", "IP"])
    if form == "DNS":
        permitted = [f"DNS:{rng.choice(dns)}"] if rng.random() < 0.7 else []
        excluded = [f"DNS:{rng.choice(dns)}"] if rng.random() < 0.4 or not permitted else []
        sans = [f"DNS:{rng.choice(['www.', 'x.a.', ''])}{rng.choice(dns)}"]
    else:
        permitted = [f"IP:{rng.choice(ips)}"] if rng.random() < 0.7 else []
        excluded = [f"IP:{rng.choice(ips)}"] if rng.random() < 0.4 or not permitted else []
        sans = [f"IP:{rng.choice(['10.1.2.3', '192.0.2.9', '198.51.100.1'])}", "DNS:host.test"]
    return permitted, excluded, sans


def test_rfc5280_name_constraints_agree_with_openssl_verify(tmp_path: Path) -> None:
    rng = random.Random(5280)
    agree = allowed = 0
    n = 24
    for i in range(n):
        permitted, excluded, sans = _random_case(rng)
        chain = _chain([name_constraints(permitted, excluded)], sans=sans, cn="nc leaf", seed=i)
        root, ica, leaf = chain
        ours = _v(chain, "rfc5280").allowed
        for name, f in (("root", root), ("ica", ica), ("leaf", leaf)):
            (tmp_path / f"{name}.pem").write_bytes(f.pem)
        run = subprocess.run(
            [
                OPENSSL or "openssl",
                "verify",
                "-attime",
                "1780272000",
                "-CAfile",
                str(tmp_path / "root.pem"),
                "-untrusted",
                str(tmp_path / "ica.pem"),
                str(tmp_path / "leaf.pem"),
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        theirs = run.returncode == 0
        assert ours is theirs, (permitted, excluded, sans, run.stdout + run.stderr)
        agree += 1
        allowed += ours
    assert agree == n
    assert 4 <= allowed <= n - 4, allowed  # both outcomes are exercised
