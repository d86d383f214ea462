"""Focused cases of the openssl profile's chain verdicts that disagreed with OpenSSL 3.0.19:
build_chain's trusted-issuer rule, name constraints, host names and the OCSP responder that is
its own trust anchor. Each chain case is also run through the real ``openssl verify``."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from go_corpus import _gn_dirname, _gn_dns, _gn_email, _gn_ip, _gn_upn, _gn_uri, nc_ext, san_ext

from certlib.cert.facts import facts
from certlib.cert.forge import REFERENCE_TIME, CertSpec, Forged, forge
from certlib.profiles import Purpose, verdict
from certlib.profiles.openssl import outcome_key, verify_chain
from certlib.profiles.openssl.host import check_host
from certlib.profiles.openssl.nameconstraints import cn2dnsid

AT = REFERENCE_TIME + timedelta(days=10)
CA = dict(ca=True, key_usage=frozenset({"key_cert_sign", "crl_sign"}))


def _ca(name: str, issuer: Forged | None = None, **kw) -> Forged:
    return forge(CertSpec(common_name=name, **{**CA, **kw}), issuer, seed="ossl-chain")


def _leaf(issuer: Forged, cn: str = "Leaf", sans: list[bytes] | None = None, **kw) -> Forged:
    ext = (san_ext(sans),) if sans else ()
    spec = CertSpec(common_name=cn, extra_extensions=ext, key_label=f"{cn}{sans}", **kw)
    return forge(spec, issuer, seed="ossl-chain")


def _openssl(
    tmp: Path,
    leaf: Forged,
    ints: list[Forged],
    roots: list[Forged],
    purpose: str = "sslserver",
    host: str | None = None,
) -> str:
    """``OK`` or ``N@D`` of the first error `openssl verify` prints."""
    (tmp / "roots.pem").write_bytes(b"".join(c.pem for c in roots))
    (tmp / "ints.pem").write_bytes(b"".join(c.pem for c in ints))
    (tmp / "leaf.pem").write_bytes(leaf.pem)
    argv = ["openssl", "verify", "-no-CApath", "-no-CAstore", "-purpose", purpose]
    argv += ["-attime", str(int(AT.timestamp())), "-CAfile", str(tmp / "roots.pem")]
    if ints:
        argv += ["-untrusted", str(tmp / "ints.pem")]
    if host:
        argv += ["-verify_ip" if host[0].isdigit() else "-verify_hostname", host]
    proc = subprocess.run([*argv, str(tmp / "leaf.pem")], capture_output=True, text=True)
    for line in proc.stderr.splitlines():
        if line.startswith("error ") and " at " in line:
            parts = line.split()
            return f"{parts[1]}@{parts[3]}"
    assert proc.stdout.strip().endswith(": OK"), (proc.stdout, proc.stderr)
    return "OK"


def _ours(leaf, ints, roots, purpose: Purpose = Purpose.TLS_SERVER, host=None):
    out = verdict(
        leaf.certificate,
        purpose,
        "openssl",
        strict=True,
        intermediates=[c.certificate for c in ints],
        roots=[c.certificate for c in roots],
        at=AT,
        hostname=host,
    )
    res = verify_chain(
        leaf.certificate,
        [c.certificate for c in ints],
        [c.certificate for c in roots],
        "sslserver",
        at=AT,
        hostname=host,
    )
    return out, res.short


def _agree(tmp: Path, leaf, ints, roots, expected: str, host: str | None = None) -> None:
    real = _openssl(tmp, leaf, ints, roots, host=host)
    out, short = _ours(leaf, ints, roots, host=host)
    assert real == expected, f"openssl itself says {real}"
    assert short == expected
    if expected == "OK":
        assert out.outcome == "allowed", out.reasons[-1]
    else:
        assert out.outcome == "denied"
        assert out.reasons[-1].rule == f"openssl.verify.error.{expected.split('@')[0]}"


# ---- build_chain: a trusted certificate that is also an intermediate ----------------------


@pytest.fixture(scope="module")
def four() -> tuple[Forged, Forged, Forged, Forged]:
    root = _ca("Chain Root")
    int1 = _ca("Chain Int1", root)
    int2 = _ca("Chain Int2", int1)
    return root, int1, int2, _leaf(int2, "leaf.example.com")


def test_a_trusted_intermediate_stops_the_untrusted_search(four, tmp_path: Path) -> None:
    """root → int1 → int2 → leaf with -CAfile root+int2: OpenSSL takes int2 from the store
    and then looks for int2's issuer among trusted certificates only: error 2 at depth 1."""
    root, int1, int2, leaf = four
    _agree(tmp_path, leaf, [int1, int2], [root, int2], "2@1")
    _agree(tmp_path, leaf, [int1], [root, int2], "2@1")
    out, _ = _ours(leaf, [int1], [root, int2])
    assert "trusted ones only" in out.reasons[-1].text


def test_a_trusted_intermediate_with_its_trusted_issuer_verifies(four, tmp_path: Path) -> None:
    root, int1, int2, leaf = four
    _agree(tmp_path, leaf, [int2], [root, int1], "OK")
    _agree(tmp_path, leaf, [int1, int2], [root], "OK")


def test_a_leaf_in_the_trust_store_is_no_trusted_issuer(four, tmp_path: Path) -> None:
    """A non-self-signed leaf listed in -CAfile (no -partial_chain): error 20, not 2."""
    _root, _int1, _int2, leaf = four
    _agree(tmp_path, leaf, [], [leaf], "20@0")


# ---- name constraints (v3_ncons.c) ---------------------------------------------------------


def _constrained(permitted: list[bytes], excluded: list[bytes], tag: str) -> Forged:
    digest = hashlib.sha256(tag.encode()).hexdigest()[:12]
    root = _ca(f"NC Root {digest}", extra_extensions=(nc_ext(permitted, excluded),))
    return root


@pytest.mark.parametrize(
    ("permitted", "excluded", "cn", "sans", "expected"),
    [
        ([_gn_dns("example.com")], [], "Leaf", [_gn_dns("www.example.com")], "OK"),
        ([_gn_dns("example.com")], [], "Leaf", [_gn_dns("badexample.com")], "47@0"),
        ([_gn_dns(".example.com")], [], "Leaf", [_gn_dns("example.com")], "47@0"),
        ([], [_gn_dns("www.example.com")], "Leaf", [_gn_dns("WWW.example.COM")], "48@0"),
        # the CN is a DNS name only without a DNS SAN, and only if it looks like a host name
        ([_gn_dns("example.com")], [], "leaf.other.org", None, "47@0"),
        ([_gn_dns("example.com")], [], "leaf.other.org", [_gn_dns("a.example.com")], "OK"),
        ([_gn_dns("example.com")], [], "leaf.other.org", [_gn_email("me@other.org")], "47@0"),
        ([_gn_dns("example.com")], [], "*.other.org", None, "OK"),
        ([_gn_dns("example.com")], [], "localhost", None, "OK"),
        ([_gn_email("example.com")], [], "Leaf", [_gn_email("x@a.example.com")], "47@0"),
        ([_gn_email(".example.com")], [], "Leaf", [_gn_email("x@a.example.com")], "OK"),
        ([_gn_uri("www.example.com")], [], "Leaf", [_gn_uri("https://www.example.com:8/")], "OK"),
        ([_gn_uri("example.com")], [], "Leaf", [_gn_uri("https://www.example.com/")], "47@0"),
        (
            [_gn_ip(bytes([192, 0, 2, 0, 255, 255, 255, 0]))],
            [],
            "Leaf",
            [_gn_ip(bytes([192, 0, 2, 9]))],
            "OK",
        ),
        (
            [],
            [_gn_ip(bytes([192, 0, 2, 0, 255, 255, 255, 0]))],
            "Leaf",
            [_gn_ip(bytes([192, 0, 2, 9]))],
            "48@0",
        ),
        # the subject DN is a directoryName: "CN=Leaf" is outside "CN=Elsewhere"
        ([_gn_dirname("Elsewhere")], [], "Leaf", None, "47@0"),
        # an otherName meets only otherName subtrees; OpenSSL cannot match them: 51
        ([_gn_upn("example.com")], [], "Leaf", [_gn_upn("u@example.com")], "51@0"),
        ([_gn_upn("example.com")], [], "Leaf", [_gn_dns("www.example.com")], "OK"),
    ],
)
def test_name_constraints_match_openssl(
    permitted, excluded, cn, sans, expected, tmp_path: Path
) -> None:
    root = _constrained(permitted, excluded, f"{permitted}{excluded}")
    _agree(tmp_path, _leaf(root, cn, sans), [], [root], expected)


def test_constraints_bind_intermediates_by_their_subject_dn(tmp_path: Path) -> None:
    """A directoryName subtree on the root names the intermediate's subject too, and the
    intermediates are checked first (from the top down): depth 1, not the leaf."""
    root = _ca("NC DN Root", extra_extensions=(nc_ext([_gn_dirname("Elsewhere")], []),))
    inter = _ca("NC DN Int", root)
    _agree(tmp_path, _leaf(inter, "Leaf"), [inter], [root], "47@1")


def test_cn2dnsid_takes_only_host_like_common_names() -> None:
    assert cn2dnsid(b"www.example.com") == (b"www.example.com", False)
    assert cn2dnsid(b"under_score.example") == (b"under_score.example", False)
    for not_host in (b"localhost", b"*.example.com", b"a..b", b"-a.b", b"a.-b", b"Oracle Leaf"):
        assert cn2dnsid(not_host) == (b"", False), not_host
    assert cn2dnsid(b"a\0b.com") == (b"", True)


# ---- host names (v3_utl.c X509_check_host, -verify_hostname) -------------------------------


@pytest.mark.parametrize(
    ("cn", "sans", "host", "expected"),
    [
        ("Leaf", [_gn_dns("www.example.com")], "WWW.EXAMPLE.COM", "OK"),
        ("Leaf", [_gn_dns("www.example.com")], "www.other.org", "62@0"),
        ("Leaf", [_gn_dns("*.example.com")], "a.example.com", "OK"),
        ("Leaf", [_gn_dns("*.example.com")], "a.b.example.com", "62@0"),
        ("Leaf", [_gn_dns("*.example.com")], "example.com", "62@0"),
        ("Leaf", [_gn_dns("w*.example.com")], "www.example.com", "OK"),  # partial wildcard
        ("Leaf", [_gn_dns("*.com")], "foo.com", "62@0"),  # two dots after the star needed
        ("Leaf", [_gn_dns("a.example.com")], ".example.com", "OK"),  # leading-dot host
        # a DNS SAN shuts the CN out; without one, the CN is matched
        ("www.example.com", [_gn_dns("other.example.com")], "www.example.com", "62@0"),
        ("www.example.com", [_gn_email("me@example.com")], "www.example.com", "OK"),
        ("*.example.com", None, "a.example.com", "OK"),
        # -verify_ip: only an iPAddress SAN, never the CN
        ("192.0.2.7", [_gn_ip(bytes([192, 0, 2, 7]))], "192.0.2.7", "OK"),
        ("192.0.2.7", [_gn_dns("192.0.2.7")], "192.0.2.7", "64@0"),
    ],
)
def test_host_names_match_openssl(cn, sans, host, expected, tmp_path: Path) -> None:
    root = _ca("Host Root")
    _agree(tmp_path, _leaf(root, cn, sans), [], [root], expected, host=host)


def test_a_host_mismatch_is_reported_before_validity(tmp_path: Path) -> None:
    """check_id runs before internal_verify: a not-yet-valid leaf with the wrong name is 62."""
    root = _ca("Host Order Root")
    leaf = forge(
        CertSpec(
            common_name="Leaf",
            extra_extensions=(san_ext([_gn_dns("a.example.com")]),),
            not_before=REFERENCE_TIME + timedelta(days=30),
        ),
        root,
        seed="ossl-chain",
    )
    _agree(tmp_path, leaf, [], [root], "62@0", host="b.example.com")


def test_the_host_is_matched_for_the_tls_server_purpose_only() -> None:
    root = _ca("Host Purpose Root")
    leaf = _leaf(root, "Leaf", [_gn_dns("a.example.com")])
    client, _ = _ours(leaf, [], [root], Purpose.TLS_CLIENT, host="b.example.com")
    server, _ = _ours(leaf, [], [root], Purpose.TLS_SERVER, host="b.example.com")
    assert client.outcome == "allowed"
    assert server.outcome == "denied" and server.reasons[-1].rule == "openssl.verify.error.62"


def test_check_host_says_which_name_decided() -> None:
    ok, why = check_host([("dNSName", (22, b"*.example.com"))], [b"x"], "a.example.com")
    assert ok and "*.example.com" in why
    ok, why = check_host([("dNSName", (22, b"b.example.com"))], [b"a.example.com"], "a.example.com")
    assert not ok and "CN is not consulted" in why


# ---- the memo key sees what name constraints read ----------------------------------------


def test_outcome_key_includes_the_names_under_name_constraints() -> None:
    root = _ca("Key Root", extra_extensions=(nc_ext([_gn_dns("example.com")], []),))
    inside = _leaf(root, "Leaf", [_gn_dns("a.example.com")])
    outside = _leaf(root, "Leaf", [_gn_dns("a.other.org")])
    keys = [
        outcome_key(facts(c.certificate), cert=c.certificate, at=AT, chain=(root.certificate,))
        for c in (inside, outside)
    ]
    assert keys[0] != keys[1]
    verdicts = [_ours(c, [], [root])[0].outcome for c in (inside, outside)]
    assert verdicts == ["allowed", "denied"]


# ---- OCSP signing: the responder that is the trust anchor itself ---------------------------


def _ocsp_round_trip(tmp: Path, signer: Forged, ca: Forged, subject: Forged) -> bool:
    """``openssl ocsp``: a request about ``subject`` (issued by ``ca``), a response from the
    index signed by ``signer``, verified with -CAfile ca: did it say "Response verify OK"?"""
    serial = format(subject.certificate.serial_number, "X")
    serial = serial.rjust(len(serial) + len(serial) % 2, "0")
    expiry = subject.certificate.not_valid_after_utc.strftime("%y%m%d%H%M%SZ")
    (tmp / "index.txt").write_text(f"V\t{expiry}\t\t{serial}\tunknown\t/CN=x\n")
    for name, cert in (("ca", ca), ("signer", signer), ("subject", subject)):
        (tmp / f"{name}.pem").write_bytes(cert.pem)
    (tmp / "signer.key").write_bytes(signer.key_pem())
    run = ["openssl", "ocsp", "-no_nonce", "-issuer", "ca.pem", "-cert", "subject.pem"]
    subprocess.run([*run, "-reqout", "req.der"], cwd=tmp, check=True, capture_output=True)
    respond = ["openssl", "ocsp", "-index", "index.txt", "-CA", "ca.pem", "-rsigner"]
    respond += ["signer.pem", "-rkey", "signer.key", "-reqin", "req.der", "-respout", "resp.der"]
    subprocess.run(
        [*respond, "-ndays", "1"],
        cwd=tmp,
        check=True,
        capture_output=True,
    )
    proc = subprocess.run(
        [*run, "-respin", "resp.der", "-CAfile", "ca.pem", "-no-CApath", "-no-CAstore"],
        cwd=tmp,
        capture_output=True,
        text=True,
    )
    return "Response verify OK" in proc.stderr


def test_a_ca_answering_for_itself_needs_no_ocsp_signing_eku(tmp_path: Path) -> None:
    """OCSP_basic_verify: with a one-certificate chain the signer is matched as the request's
    CA (ocsp_check_issuer) and ocsp_check_delegated, the EKU test, never runs."""
    root = _ca("OCSP Own Root", key_usage=frozenset({"key_cert_sign", "crl_sign"}))
    leaf = _leaf(root, "ocsp-subject.example.com")
    assert _ocsp_round_trip(tmp_path, root, root, leaf)
    out = verdict(root.certificate, Purpose.OCSP_SIGNING, "openssl", roots=[root.certificate])
    assert out.outcome == "allowed", out.reasons[-1]
    assert any(r.rule == "openssl.ocsp.own_ca" for r in out.reasons)


def test_a_delegated_responder_still_needs_the_eku(tmp_path: Path) -> None:
    root = _ca("OCSP Delegating Root")
    responder = _leaf(root, "responder.example.com")  # no EKU
    assert not _ocsp_round_trip(tmp_path, responder, root, _leaf(root, "s.example.com"))
    out = verdict(
        responder.certificate, Purpose.OCSP_SIGNING, "openssl", roots=[root.certificate], at=AT
    )
    assert out.outcome == "denied" and out.reasons[-1].rule == "openssl.ocsp.delegated"


def test_policy_controls_are_noted_not_enforced_by_default(tmp_path: Path) -> None:
    """`openssl verify` checks policies only with -policy_check; the profile allows, as the
    binary does, and says why, and the flag would have given error 43 (so the note is true)."""
    from certlib.cert.extra_extensions import policy_constraints

    root = _ca("Policy Root")
    ica = _ca("Policy ICA", root, extra_extensions=(policy_constraints(require_explicit=0),))
    leaf = _leaf(ica, sans=[_gn_dns("www.example.com")])
    assert _openssl(tmp_path, leaf, [ica], [root]) == "OK"
    argv = ["openssl", "verify", "-no-CApath", "-no-CAstore", "-policy_check"]
    argv += ["-attime", str(int(AT.timestamp())), "-CAfile", str(tmp_path / "roots.pem")]
    argv += ["-untrusted", str(tmp_path / "ints.pem"), str(tmp_path / "leaf.pem")]
    flagged = subprocess.run(argv, capture_output=True, text=True)
    assert "error 43 at 0 depth" in flagged.stderr, flagged.stderr
    v = verdict(
        leaf.certificate,
        Purpose.TLS_SERVER,
        "openssl",
        intermediates=[ica.certificate],
        roots=[root.certificate],
        at=AT,
    )
    assert v.allowed
    notes = [r for r in v.reasons if r.rule == "openssl.policy.not_checked"]
    assert len(notes) == 1 and "Policy ICA" in notes[0].text
    plain = verdict(
        _leaf(root, cn="Plain").certificate,
        Purpose.TLS_SERVER,
        "openssl",
        roots=[root.certificate],
        at=AT,
    )
    assert not any(r.rule == "openssl.policy.not_checked" for r in plain.reasons)
