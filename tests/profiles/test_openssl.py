"""The OpenSSL profile against the empirical tables of docs/semantics.md §1.6 and x509-limbo.

* §1.6.1 single-certificate matrix (C01–C13, L01–L33, X): expected letters transcribed from the
  table, checked against :func:`check_purpose` and, when the binary is 3.0, against it too.
* §1.6.2 chain matrix, ``openssl verify`` without purpose / ``-purpose sslserver`` /
  ``-purpose sslclient``: :func:`verify_chain` and :func:`evaluate` with roots/intermediates.
* x509-limbo peer certificates: the recorded ``openssl x509 -purpose`` block.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from certlib.cert.forge import CertSpec, forge, forge_chain
from certlib.core.memo import Memo
from certlib.core.oids import EKU
from certlib.core.verdicts import Context, Purpose
from certlib.profiles.openssl import (
    PURPOSES,
    check_purpose,
    evaluate,
    purpose_results,
    purpose_text,
    purposes,
    verify_chain,
)

SEED = "openssl-profile"
AT = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
DS = frozenset({"digital_signature"})
CA_KU = frozenset({"digital_signature", "key_cert_sign", "crl_sign"})
SA, CA_, EM = EKU.SERVER_AUTH.oid, EKU.CLIENT_AUTH.oid, EKU.EMAIL_PROTECTION.oid
TS, ANY = EKU.TIME_STAMPING.oid, EKU.ANY.oid

# ---------------------------------------------------------------------------------------------
# §1.6.1 single-certificate matrix
# ---------------------------------------------------------------------------------------------

COLUMNS = [(p.sname, ca) for p in purposes("3.0") for ca in (False, True)]
_SELF = CertSpec(common_name="Matrix self-signed")
_LEAF = CertSpec(common_name="matrix.example", ca=False, sans=("DNS:matrix.example",))

#: id -> (spec, self-signed?, expected letters: Y, -, Wn), columns as in the table.
MATRIX: dict[str, tuple[CertSpec, bool, str]] = {
    "C01": (_SELF.with_(ca=True, key_usage=CA_KU), True, "Y Y Y Y - Y Y Y - Y Y Y Y Y Y Y - Y"),
    "C02": (_SELF.with_(ca=True, key_usage=DS), True, "Y - Y - - - Y - - - - - Y Y Y - - -"),
    "C03": (
        _SELF.with_(key_usage=frozenset({"key_cert_sign"})),
        True,
        "- Y - Y - Y - W4 - W4 - W4 Y Y Y W4 - W4",
    ),
    "C04": (_SELF.with_(version=1), True, "Y Y Y Y Y Y Y W3 Y W3 Y W3 Y Y Y W3 - W3"),
    "C05": (
        _SELF.with_(ns_cert_type=frozenset({"ssl_ca"})),
        True,
        "- Y - Y - Y - - - - Y W5 Y Y Y W5 - W5",
    ),
    "C06": (
        _SELF.with_(ca=True, key_usage=CA_KU, eku=(SA,)),
        True,
        "- - Y Y - Y - - - - Y Y Y Y Y Y - Y",
    ),
    "C07": (
        _SELF.with_(ca=True, key_usage=CA_KU, eku=(CA_,)),
        True,
        "Y Y - - - - - - - - Y Y Y Y Y Y - Y",
    ),
    "C08": (
        _SELF.with_(ca=True, key_usage=CA_KU, eku=(ANY,)),
        True,
        "- - - - - - - - - - Y Y Y Y Y Y - Y",
    ),
    "C09": (
        _SELF.with_(ca=False, key_usage=frozenset({"key_cert_sign"})),
        True,
        "- - - - - - - - - - - - Y Y Y - - -",
    ),
    "C10": (_SELF, True, "Y - Y - Y - Y - Y - Y - Y Y Y - - -"),
    "C11": (_SELF.with_(ca=True), True, "Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y - Y"),
    "C12": (
        _SELF.with_(ns_cert_type=frozenset({"smime_ca"})),
        True,
        "- - - - - - - W5 - W5 Y W5 Y Y Y W5 - W5",
    ),
    "C13": (
        _SELF.with_(ca=True, key_usage=CA_KU, eku=(EM,)),
        True,
        "- - - - - - Y Y - Y Y Y Y Y Y Y - Y",
    ),
    "L01": (_LEAF, False, "Y - Y - Y - Y - Y - Y - Y Y Y - - -"),
    "L03": (_LEAF.with_(eku=(SA,)), False, "- - Y - Y - - - - - Y - Y Y Y - - -"),
    "L04": (_LEAF.with_(eku=(CA_,)), False, "Y - - - - - - - - - Y - Y Y Y - - -"),
    "L05": (_LEAF.with_(eku=(SA, CA_)), False, "Y - Y - Y - - - - - Y - Y Y Y - - -"),
    "L06": (_LEAF.with_(eku=(ANY,)), False, "- - - - - - - - - - Y - Y Y Y - - -"),
    "L07": (_LEAF.with_(eku=(SA, ANY)), False, "- - Y - Y - - - - - Y - Y Y Y - - -"),
    "L08": (
        _LEAF.with_(eku=(SA,), eku_critical=True),
        False,
        "- - Y - Y - - - - - Y - Y Y Y - - -",
    ),
    "L09": (_LEAF.with_(key_usage=DS), False, "Y - Y - - - Y - - - - - Y Y Y - - -"),
    "L10": (
        _LEAF.with_(key_usage=frozenset({"key_encipherment"})),
        False,
        "- - Y - Y - - - Y - - - Y Y Y - - -",
    ),
    "L11": (
        _LEAF.with_(key_usage=frozenset({"key_agreement"})),
        False,
        "Y - Y - - - - - - - - - Y Y Y - - -",
    ),
    "L12": (
        _LEAF.with_(key_usage=frozenset({"data_encipherment"})),
        False,
        "- - - - - - - - - - - - Y Y Y - - -",
    ),
    "L13": (
        _LEAF.with_(key_usage=frozenset({"content_commitment"})),
        False,
        "- - - - - - Y - - - - - Y Y Y - - -",
    ),
    "L14": (
        _LEAF.with_(key_usage=frozenset({"key_cert_sign"})),
        False,
        "- - - - - - - - - - - - Y Y Y - - -",
    ),
    "L15": (
        _LEAF.with_(eku=(EKU.CODE_SIGNING.oid,)),
        False,
        "- - - - - - - - - - Y - Y Y Y - - -",
    ),
    "L16": (_LEAF.with_(eku=(EM,)), False, "- - - - - - Y - Y - Y - Y Y Y - - -"),
    "L17": (
        _LEAF.with_(eku=(TS,), eku_critical=True, key_usage=DS),
        False,
        "- - - - - - - - - - - - Y Y Y - Y -",
    ),
    "L18": (_LEAF.with_(eku=(TS,)), False, "- - - - - - - - - - Y - Y Y Y - - -"),
    "L19": (
        _LEAF.with_(eku=(TS, SA), eku_critical=True),
        False,
        "- - Y - Y - - - - - Y - Y Y Y - - -",
    ),
    "L20": (
        _LEAF.with_(eku=(EKU.OCSP_SIGNING.oid,)),
        False,
        "- - - - - - - - - - Y - Y Y Y - - -",
    ),
    "L21": (
        _LEAF.with_(ns_cert_type=frozenset({"ssl_server"})),
        False,
        "- - Y - Y - - - - - Y - Y Y Y - - -",
    ),
    "L22": (
        _LEAF.with_(ns_cert_type=frozenset({"ssl_client"})),
        False,
        "Y - - - - - W2 - W2 - Y - Y Y Y - - -",
    ),
    "L23": (
        _LEAF.with_(ns_cert_type=frozenset({"smime"})),
        False,
        "- - - - - - Y - Y - Y - Y Y Y - - -",
    ),
    "L24": (_LEAF.with_(eku=(EKU.MS_SGC.oid,)), False, "- - Y - Y - - - - - Y - Y Y Y - - -"),
    "L25": (_LEAF.with_(eku=(EKU.NS_SGC.oid,)), False, "- - Y - Y - - - - - Y - Y Y Y - - -"),
    "L26": (
        _LEAF.with_(eku=("1.3.6.1.4.1.55555.1.2",)),
        False,
        "- - - - - - - - - - Y - Y Y Y - - -",
    ),
    "L27": (_LEAF.with_(eku=()), False, "- - - - - - - - - - Y - Y Y Y - - -"),
    "L28": (
        _LEAF.with_(key_usage=DS, eku=(CA_,)),
        False,
        "Y - - - - - - - - - - - Y Y Y - - -",
    ),
    "L29": (
        _LEAF.with_(key_usage=frozenset({"key_encipherment"}), eku=(CA_,)),
        False,
        "- - - - - - - - - - - - Y Y Y - - -",
    ),
    "L30": (
        _LEAF.with_(key_usage=DS, ku_critical=True, eku=(EKU.CODE_SIGNING.oid,)),
        False,
        "- - - - - - - - - - - - Y Y Y - - -",
    ),
    "L31": (
        _LEAF.with_(ns_cert_type=frozenset({"ssl_client"}), eku=(EM,)),
        False,
        "- - - - - - W2 - W2 - Y - Y Y Y - - -",
    ),
    "L32": (
        _LEAF.with_(key_usage=frozenset({"crl_sign"})),
        False,
        "- - - - - - - - - - Y - Y Y Y - - -",
    ),
    "L33": (
        CertSpec(common_name="v1.matrix.example", version=1),
        False,
        "Y - Y - Y - Y - Y - Y - Y Y Y - - -",
    ),
    "X": (_LEAF.with_(key_usage=frozenset()), False, " ".join(["W-1"] * 18)),
}


def _letter(code: int) -> str:
    return "Y" if code == 1 else "-" if code == 0 else f"W{code}"


def _code(letter: str) -> int:
    return 1 if letter == "Y" else 0 if letter == "-" else int(letter[1:])


_MATRIX_ROOT = CertSpec(common_name="Matrix Root", ca=True, key_usage=CA_KU)


def matrix_cert(cid: str) -> x509.Certificate:
    spec, self_signed, _ = MATRIX[cid]
    spec = spec.with_(key_label=cid)
    if self_signed:
        return forge(spec, seed=SEED).certificate
    return forge(spec, forge(_MATRIX_ROOT, seed=SEED), seed=SEED).certificate


def test_matrix_has_every_row_of_the_table() -> None:
    assert len(MATRIX) == 13 + 32 + 1
    assert all(len(row.split()) == 18 for _s, _ss, row in MATRIX.values())


@pytest.mark.parametrize("cid", list(MATRIX))
def test_single_certificate_matrix(cid: str) -> None:
    cert = matrix_cert(cid)
    got = purpose_results(cert)
    expected = [_code(x) for x in MATRIX[cid][2].split()]
    assert [got[col] for col in COLUMNS] == expected, (
        f"{cid}: got {' '.join(_letter(got[c]) for c in COLUMNS)}"
    )


def test_single_certificate_matrix_against_the_binary(openssl_bin: str) -> None:
    from openssl_version import model_version

    version = model_version(openssl_bin)
    for cid in MATRIX:
        cert = matrix_cert(cid)
        pem = cert.public_bytes(serialization.Encoding.PEM)
        real = subprocess.run(
            [openssl_bin, "x509", "-purpose", "-noout"], input=pem, capture_output=True
        ).stdout.decode()
        assert purpose_text(cert, version=version) == real, cid


def test_purpose_text_format() -> None:
    text = purpose_text(matrix_cert("C01"))
    assert text.startswith("Certificate purposes:\nSSL client : Yes\nSSL client CA : Yes\n")
    assert text.endswith("Time Stamp signing : No\nTime Stamp signing CA : Yes\n")
    assert len(text.splitlines()) == 19
    text32 = purpose_text(matrix_cert("C01"), version="3.2")
    assert len(text32.splitlines()) == 21
    assert text32.startswith(text[:-1]) and text32.endswith(
        "Code signing : No\nCode signing CA : Yes\n"
    )
    x = purpose_text(matrix_cert("X"))
    assert x.count("Yes (WARNING code=-1)") == 18


def test_codesign_exists_only_from_3_2() -> None:
    l30, l15 = matrix_cert("L30"), matrix_cert("L15")
    assert check_purpose(l30, "codesign", False, version="3.0")[0] == -1
    assert check_purpose(l30, "codesign", False, version="3.2")[0] == 1
    assert check_purpose(l15, "codesign", False, version="3.2")[0] == 0  # KU absent
    spec = MATRIX["L30"][0].with_(ku_critical=False, key_label="L30nc")
    non_critical = forge(spec, forge(_MATRIX_ROOT, seed=SEED), seed=SEED).certificate
    code, reasons = check_purpose(non_critical, "codesign", False, version="3.2")
    assert code == 0 and reasons[-2].rule == "openssl.ku.not_critical"
    assert [p.sname for p in PURPOSES][-1] == "codesign" and len(purposes("3.2")) == 10
    with pytest.raises(ValueError, match=r"3\.1"):
        purposes("3.1")


def test_reasons_name_a_rule_and_a_source() -> None:
    for cid in MATRIX:
        cert = matrix_cert(cid)
        for p in purposes("3.2"):
            for ca in (False, True):
                reasons = check_purpose(cert, p.sname, ca, version="3.2")[1]
                assert reasons
                for r in reasons:
                    assert r.rule and r.text and r.source, (cid, p.sname, r)
                    assert r.source.startswith("OpenSSL "), r


# ---------------------------------------------------------------------------------------------
# §1.6.2 chain matrix
# ---------------------------------------------------------------------------------------------

_ROOT = CertSpec(common_name="Chain Root", ca=True, key_usage=CA_KU, validity_days=3650)
_ICA = CertSpec(common_name="Chain ICA", ca=True, key_usage=CA_KU, validity_days=3650)
_CLEAF = CertSpec(common_name="example.com", ca=False, key_usage=DS, sans=("DNS:example.com",))
SC = (SA, CA_)

#: id -> (root, ica, leaf, expected: (no purpose, sslserver, sslclient))
CHAIN_MATRIX: dict[str, tuple[CertSpec, CertSpec, CertSpec, tuple[str, str, str]]] = {
    "S01": (_ROOT, _ICA, _CLEAF, ("OK", "OK", "OK")),
    "S02": (_ROOT, _ICA, _CLEAF.with_(eku=(SA,)), ("OK", "OK", "26@0")),
    "S03": (_ROOT, _ICA, _CLEAF.with_(eku=(CA_,)), ("OK", "26@0", "OK")),
    "S04": (_ROOT, _ICA, _CLEAF.with_(eku=(ANY,)), ("OK", "26@0", "26@0")),
    "S05": (_ROOT, _ICA, _CLEAF.with_(eku=(SA, ANY)), ("OK", "OK", "26@0")),
    "S06": (_ROOT, _ICA, _CLEAF.with_(eku=(SA,), eku_critical=True), ("OK", "OK", "26@0")),
    "S07": (_ROOT, _ICA.with_(eku=(SA,)), _CLEAF.with_(eku=SC), ("OK", "OK", "26@1")),
    "S08": (_ROOT, _ICA.with_(eku=(CA_,)), _CLEAF.with_(eku=SC), ("OK", "26@1", "OK")),
    "S09": (_ROOT, _ICA.with_(eku=(ANY,)), _CLEAF.with_(eku=SC), ("OK", "26@1", "26@1")),
    "S10": (_ROOT.with_(eku=(CA_,)), _ICA, _CLEAF.with_(eku=(SA,)), ("OK", "26@2", "26@0")),
    "S11": (
        _ROOT,
        _ICA.with_(eku=(SA,), eku_critical=True),
        _CLEAF.with_(eku=(SA,)),
        ("OK", "OK", "26@0"),
    ),
    "S12": (_ROOT, _ICA.with_(key_usage=DS), _CLEAF, ("79@1", "79@1", "79@1")),
    "S13": (_ROOT, _ICA.with_(key_usage=None), _CLEAF, ("OK", "OK", "OK")),
    "S14": (
        _ROOT,
        _ICA.with_(ca=None, key_usage=frozenset({"key_cert_sign"})),
        _CLEAF,
        ("79@1", "79@1", "79@1"),
    ),
    "S15": (
        _ROOT,
        _ICA,
        _CLEAF.with_(key_usage=frozenset({"key_encipherment"})),
        ("OK", "OK", "26@0"),
    ),
    "S16": (
        _ROOT,
        _ICA,
        _CLEAF.with_(key_usage=frozenset({"data_encipherment"})),
        ("OK", "26@0", "26@0"),
    ),
    "S17": (
        _ROOT,
        _ICA,
        _CLEAF.with_(key_usage=frozenset({"digital_signature", "key_cert_sign"})),
        ("OK", "OK", "OK"),
    ),
    "S18": (_ROOT, _ICA, _CLEAF.with_(ca=True, key_usage=CA_KU), ("OK", "OK", "OK")),
    "S19": (_ROOT.with_(key_usage=None), _ICA, _CLEAF, ("OK", "OK", "OK")),
    "S20": (_ROOT, _ICA.with_(bc_critical=False), _CLEAF, ("OK", "OK", "OK")),
    "S21": (_ROOT, _ICA, _CLEAF.with_(eku=()), ("OK", "26@0", "26@0")),
    "S22": (_ROOT, _ICA, _CLEAF.with_(key_usage=None, ca=None), ("OK", "OK", "OK")),
    "S23": (_ROOT, _ICA.with_(eku=(EM,)), _CLEAF.with_(eku=(SA,)), ("OK", "26@1", "26@0")),
}


def chain_for(sid: str):
    root, ica, leaf, _ = CHAIN_MATRIX[sid]
    return forge_chain(root, ica, leaf, seed=f"{SEED}:{sid}")


@pytest.mark.parametrize("sid", list(CHAIN_MATRIX))
def test_chain_matrix(sid: str) -> None:
    ch = chain_for(sid)
    expected = CHAIN_MATRIX[sid][3]
    got = tuple(
        verify_chain(ch.leaf.certificate, ch.intermediate_certificates, ch.roots, p, at=AT).short
        for p in (None, "sslserver", "sslclient")
    )
    assert got == expected
    for purpose, want in zip((Purpose.TLS_SERVER, Purpose.TLS_CLIENT), expected[1:], strict=True):
        ctx = Context(intermediates=ch.intermediate_certificates, roots=ch.roots, at=AT)
        v = evaluate(ch.leaf.certificate, purpose, ctx)
        assert v.profile == "openssl" and v.purpose is purpose
        if want == "OK":
            assert v.outcome == "allowed", v.reasons
            assert v.summary.startswith("openssl verify -purpose")
        else:
            code, depth = want.split("@")
            assert v.outcome == "denied", v.reasons
            assert f"error {code} at depth {depth}" in v.summary
        assert all(r.rule and r.text and r.source for r in v.reasons)


def _openssl_verify(
    openssl_bin: str, tmp: Path, root: bytes, icas: bytes, leaf: bytes, purpose: str | None, at
) -> str:
    (tmp / "root.pem").write_bytes(root)
    (tmp / "leaf.pem").write_bytes(leaf)
    cmd = [openssl_bin, "verify", "-attime", str(int(at.timestamp())), "-CAfile", "root.pem"]
    if icas:
        (tmp / "ica.pem").write_bytes(icas)
        cmd += ["-untrusted", "ica.pem"]
    if purpose:
        cmd += ["-purpose", purpose]
    out = subprocess.run([*cmd, "leaf.pem"], capture_output=True, text=True, cwd=tmp)
    text = out.stdout + out.stderr
    m = re.search(r"error (\d+) at (\d+) depth", text)
    if m:
        return f"{m.group(1)}@{m.group(2)}"
    assert "leaf.pem: OK" in text, text
    return "OK"


def test_chain_matrix_against_the_binary(openssl_bin: str, tmp_path: Path) -> None:
    for sid in CHAIN_MATRIX:
        ch = chain_for(sid)
        icas = b"".join(f.pem for f in ch.intermediates)
        for purpose in (None, "sslserver", "sslclient"):
            real = _openssl_verify(
                openssl_bin, tmp_path, ch.root.pem, icas, ch.leaf.pem, purpose, AT
            )
            ours = verify_chain(
                ch.leaf.certificate, ch.intermediate_certificates, ch.roots, purpose, at=AT
            ).short
            assert ours == real, (sid, purpose)


_EMPTY = frozenset()
_CRIT_UNKNOWN = (("1.3.6.1.4.1.55555.9.9", True, b"\x05\x00"),)
#: More chains, judged by the binary only (nothing transcribed): invalid certificates, pathLen,
#: legacy CAs, unhandled critical extensions, expiry, nsCertType, S/MIME and time stamping.
EXTRA_CHAINS: dict[str, tuple[tuple[CertSpec, ...], tuple[str, ...], dt.datetime]] = {
    "leaf empty KU": ((_ROOT, _ICA, _CLEAF.with_(key_usage=_EMPTY)), ("sslserver",), AT),
    "ica empty KU": ((_ROOT, _ICA.with_(key_usage=_EMPTY), _CLEAF), ("sslserver",), AT),
    "root empty KU": ((_ROOT.with_(key_usage=_EMPTY), _ICA, _CLEAF), ("sslclient",), AT),
    "root not a CA": ((_ROOT.with_(ca=None, key_usage=None), _ICA, _CLEAF), ("sslserver",), AT),
    "v1 root": (
        (_ROOT.with_(ca=None, key_usage=None, version=1), _ICA, _CLEAF),
        ("sslserver", "smimesign", "crlsign"),
        AT,
    ),
    "legacy KU-only root": (
        (_ROOT.with_(ca=None, key_usage=frozenset({"key_cert_sign"})), _ICA, _CLEAF),
        ("sslserver", "smimesign", "ocsphelper"),
        AT,
    ),
    "ns SSL-CA intermediate": (
        (_ROOT, _ICA.with_(ca=None, key_usage=None, ns_cert_type=frozenset({"ssl_ca"})), _CLEAF),
        ("sslserver",),
        AT,
    ),
    "ns S/MIME-CA root": (
        (_ROOT.with_(ca=None, key_usage=None, ns_cert_type=frozenset({"smime_ca"})), _ICA, _CLEAF),
        ("sslserver", "smimesign", "smimeencrypt"),
        AT,
    ),
    "pathlen 0 then another CA": (
        (_ROOT, _ICA.with_(path_length=0), _ICA.with_(common_name="ICA 2"), _CLEAF),
        ("sslserver",),
        AT,
    ),
    "unknown critical in ICA": (
        (_ROOT, _ICA.with_(extra_extensions=_CRIT_UNKNOWN), _CLEAF),
        ("sslserver",),
        AT,
    ),
    "expired leaf with wrong EKU": (
        (_ROOT, _ICA, _CLEAF.with_(eku=(CA_,), validity_days=30)),
        ("sslserver", "sslclient"),
        AT,
    ),
    "not yet valid": (
        (_ROOT, _ICA, _CLEAF),
        ("sslserver",),
        dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    ),
    "leaf nsCertType SSL client for S/MIME": (
        (_ROOT, _ICA, _CLEAF.with_(ns_cert_type=frozenset({"ssl_client"}))),
        ("smimesign", "smimeencrypt", "sslclient"),
        AT,
    ),
    "TSA": (
        (_ROOT, _ICA, _CLEAF.with_(eku=(TS,), eku_critical=True)),
        ("timestampsign", "sslserver"),
        AT,
    ),
    "two-certificate chain": ((_ROOT, _CLEAF), ("sslserver", "any"), AT),
    "critical SKI in the leaf (not a supported extension)": (
        (
            _ROOT,
            _ICA,
            _CLEAF.with_(
                subject_key_identifier=False,
                extra_extensions=(("2.5.29.14", True, bytes.fromhex("04020102")),),
            ),
        ),
        ("sslserver",),
        AT,
    ),
    "critical empty AKI in the ICA": (
        (
            _ROOT,
            _ICA.with_(
                authority_key_identifier=False,
                extra_extensions=(("2.5.29.35", True, bytes.fromhex("3000")),),
            ),
            _CLEAF,
        ),
        ("sslserver",),
        AT,
    ),
    "self-signed leaf as its own root": ((_CLEAF.with_(ca=None),), ("sslserver",), AT),
}


@pytest.mark.parametrize("name", list(EXTRA_CHAINS))
def test_more_chains_against_the_binary(name: str, openssl_bin: str, tmp_path: Path) -> None:
    specs, purposes_, at = EXTRA_CHAINS[name]
    ch = forge_chain(*specs, seed=f"{SEED}:{name}")
    icas = b"".join(f.pem for f in ch.intermediates)
    for purpose in (None, *purposes_):
        real = _openssl_verify(openssl_bin, tmp_path, ch.root.pem, icas, ch.leaf.pem, purpose, at)
        res = verify_chain(
            ch.leaf.certificate, ch.intermediate_certificates, ch.roots, purpose, at=at
        )
        assert res.short == real, (name, purpose, res.reasons)


# ---------------------------------------------------------------------------------------------
# evaluate: purpose mapping and outcomes
# ---------------------------------------------------------------------------------------------


def _leaf(**kw) -> x509.Certificate:
    spec = _CLEAF.with_(key_label=repr(sorted(kw.items())), **kw)
    return forge(spec, forge(_ROOT, seed=SEED), seed=SEED).certificate


def test_evaluate_outcomes_and_mapping() -> None:
    ctx = Context()
    v = evaluate(_leaf(eku=(SA,)), Purpose.TLS_SERVER, ctx)
    assert v.outcome == "allowed" and v.reasons[0].rule == "openssl.purpose.map"
    assert evaluate(_leaf(eku=(SA,)), Purpose.TLS_CLIENT, ctx).outcome == "denied"
    assert evaluate(_leaf(key_usage=_EMPTY), Purpose.TLS_SERVER, ctx).outcome == "invalid"
    w = evaluate(_leaf(ns_cert_type=frozenset({"ssl_client"})), Purpose.EMAIL_PROTECTION, ctx)
    assert (w.outcome, w.warning_code) == ("warning", 2)
    # code signing: no such purpose in 3.0, codesign in 3.2
    cs = _leaf(key_usage=DS, ku_critical=True, eku=(EKU.CODE_SIGNING.oid,))
    na = evaluate(cs, Purpose.CODE_SIGNING, ctx)
    assert na.outcome == "n/a" and "3.2" in na.summary
    ctx32 = Context(options={"openssl_version": "3.2"})
    assert evaluate(cs, Purpose.CODE_SIGNING, ctx32).outcome == "allowed"
    ts = _leaf(eku=(TS,), eku_critical=True)
    assert evaluate(ts, Purpose.TIME_STAMPING, ctx).outcome == "allowed"
    assert evaluate(_leaf(eku=(TS,)), Purpose.TIME_STAMPING, ctx).outcome == "denied"


def test_email_protection_mentions_smime_encryption() -> None:
    v = evaluate(_leaf(key_usage=DS, eku=(EM,)), Purpose.EMAIL_PROTECTION, Context())
    assert v.outcome == "allowed"
    enc = [r for r in v.reasons if r.rule == "openssl.smimeencrypt"]
    assert enc and enc[0].text.startswith("S/MIME encryption would say No because")
    assert "keyEncipherment" in enc[0].text
    assert v.reasons[-1].rule == "openssl.result.1"


def test_ocsp_signing_needs_the_ocspsigning_eku() -> None:
    ctx = Context()
    no_eku = evaluate(_leaf(), Purpose.OCSP_SIGNING, ctx)
    assert no_eku.outcome == "denied" and no_eku.reasons[-1].rule == "openssl.ocsp.delegated"
    assert any(r.rule == "openssl.ocsp.leaf" for r in no_eku.reasons)
    ok = evaluate(_leaf(eku=(EKU.OCSP_SIGNING.oid,)), Purpose.OCSP_SIGNING, ctx)
    assert ok.outcome == "allowed" and ok.reasons[-1].rule == "openssl.ocsp.delegated"
    invalid = evaluate(_leaf(key_usage=_EMPTY), Purpose.OCSP_SIGNING, ctx)
    assert invalid.outcome == "invalid" and invalid.reasons[-1].rule == "openssl.invalid"
    ch = forge_chain(_ROOT, _ICA, _CLEAF.with_(eku=(EKU.OCSP_SIGNING.oid,)), seed=SEED)
    chained = evaluate(
        ch.leaf.certificate,
        Purpose.OCSP_SIGNING,
        Context(intermediates=ch.intermediate_certificates, roots=ch.roots, at=AT),
    )
    assert chained.outcome == "allowed"


def test_chain_aware_warning_and_invalid() -> None:
    ch = forge_chain(
        _ROOT.with_(ca=None, key_usage=frozenset({"key_cert_sign"})),
        _ICA,
        _CLEAF,
        seed=SEED,
    )
    ctx = Context(intermediates=ch.intermediate_certificates, roots=ch.roots, at=AT)
    v = evaluate(ch.leaf.certificate, Purpose.EMAIL_PROTECTION, ctx)
    assert (v.outcome, v.warning_code) == ("warning", 4)  # the root's check_ca is 4
    ch = forge_chain(_ROOT, _ICA, _CLEAF.with_(key_usage=_EMPTY), seed=SEED)
    ctx = Context(intermediates=ch.intermediate_certificates, roots=ch.roots, at=AT)
    v = evaluate(ch.leaf.certificate, Purpose.TLS_SERVER, ctx)
    assert v.outcome == "invalid" and "error 20 at depth 0" in v.reasons[-1].text


def test_names_compare_like_x509_name_cmp() -> None:
    """Case, inner/outer white space and the string type do not matter; non-ASCII case does."""
    from certgen import NAME_VARIANTS, _name

    from certlib.profiles.openssl import names_equal

    equal = {"same", "case", "spaces", "string type", "t61 vs bmp", "ia5", "non-ascii case"}
    for label, scn, stype, icn, itype in NAME_VARIANTS:
        a = _name(scn, stype).public_bytes()
        b = _name(icn, itype).public_bytes()
        assert names_equal(a, b) is (label in equal), label


def test_verdict_reasons_name_a_rule_and_a_source() -> None:
    import certgen

    for g in certgen.generate(150):
        for purpose in Purpose:
            for version in ("3.0", "3.2"):
                v = evaluate(g.certificate, purpose, Context(options={"openssl_version": version}))
                assert v.reasons, (g.index, purpose)
                for r in v.reasons:
                    assert r.rule and r.text and r.source, (g.index, purpose, r)


def test_dispatcher_uses_this_profile() -> None:
    import certlib.profiles as dispatch

    cert = _leaf(eku=(SA,))
    v = dispatch.verdict(cert, Purpose.TLS_SERVER, "openssl")
    assert v.outcome == "allowed" and v.profile == "openssl"


# ---------------------------------------------------------------------------------------------
# judge: one pass over a certificate for every purpose, memoised in the run's Memo only
# ---------------------------------------------------------------------------------------------


def _contexts(ch) -> list[Context]:
    """Leaf-only, chain-aware, chain-aware with a host name the leaf does not carry, and 3.2."""
    pool = {"intermediates": ch.intermediate_certificates, "roots": ch.roots, "at": AT}
    return [
        Context(at=AT),
        Context(**pool),
        Context(**pool, hostname="other.example"),
        Context(**pool, options={"openssl_version": "3.2"}),
    ]


def test_judge_equals_asking_one_purpose_at_a_time() -> None:
    """The one-pass judge (one path, one memo for six purposes) says exactly what a fresh
    context asked about each purpose alone says, over the whole chain matrix."""
    from certlib.profiles.openssl import judge

    every = tuple(Purpose)
    compared = 0
    for sid in CHAIN_MATRIX:
        ch = chain_for(sid)
        leaf = ch.leaf.certificate
        for ctx in _contexts(ch):
            together = judge(leaf, ctx, every)
            assert list(together) == list(every)
            for p in every:
                alone = replace(ctx, memo=Memo())
                assert together[p] == judge(leaf, alone, (p,))[p], (sid, ctx, p)
                compared += 1
    assert compared == len(CHAIN_MATRIX) * 4 * 6


def test_judge_builds_the_path_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import certlib.profiles.openssl as ossl

    calls: list[x509.Certificate] = []
    real = ossl.build_chain

    def counting(leaf, *args, **kwargs):
        calls.append(leaf)
        return real(leaf, *args, **kwargs)

    monkeypatch.setattr(ossl, "build_chain", counting)
    ch = chain_for("S01")
    leaf_only, chained, _host, v32 = _contexts(ch)
    got = ossl.judge(ch.leaf.certificate, v32, tuple(Purpose))
    assert len(calls) == 1 and len(got) == 6
    assert {v.outcome for v in got.values()} == {"allowed", "denied"}
    ossl.judge(ch.leaf.certificate, leaf_only, tuple(Purpose))
    assert len(calls) == 1  # no roots: no path
    ossl.judge(ch.leaf.certificate, chained, (Purpose.CODE_SIGNING,))
    assert len(calls) == 1  # only n/a asked (no codesign in 3.0): nothing to build


def test_views_are_memoised_in_the_run_memo_only() -> None:
    """``cache_extensions`` keeps nothing between calls without a memo; a run's memo keeps one
    view per certificate (the leaf and each certificate of its path) and nothing else shares it."""
    from certlib.profiles.openssl import cache_extensions, judge

    ch = chain_for("S01")
    leaf = ch.leaf.certificate
    assert cache_extensions(leaf) == cache_extensions(leaf)
    assert cache_extensions(leaf) is not cache_extensions(leaf)
    ctx = _contexts(ch)[1]
    judge(leaf, ctx, tuple(Purpose))
    views = ctx.memo.table("openssl.view")
    assert len(views) == 3 and set(views) == {leaf, *ch.intermediate_certificates, *ch.roots}
    assert cache_extensions(leaf, ctx.memo) is views[leaf]
    other = Memo()
    assert cache_extensions(leaf, other) is not views[leaf]
    assert set(other.table("openssl.view")) == {leaf}  # (besides the leaf's facts and names)


def test_no_module_keeps_a_cache() -> None:
    """No function the package defines is wrapped in a functools cache (results live in a
    run's Memo); every module of the package is inspected (the cert layer's are not ours)."""
    import importlib
    import inspect
    import pkgutil

    import certlib.profiles.openssl as ossl

    modules = [ossl] + [
        importlib.import_module(f"{ossl.__name__}.{m.name}")
        for m in pkgutil.iter_modules(ossl.__path__)
    ]
    assert len(modules) == 8
    cached = [
        f"{mod.__name__}.{name}"
        for mod in modules
        for name, fn in inspect.getmembers(mod, callable)
        if getattr(fn, "__module__", None) == mod.__name__
        and (hasattr(fn, "cache_info") or hasattr(fn, "cache_clear"))
    ]
    assert cached == []
    ours = [
        fn
        for mod in modules
        for _, fn in inspect.getmembers(mod, inspect.isfunction)
        if fn.__module__ == mod.__name__
    ]
    assert len(ours) > 60  # the inspection saw the package's functions


# ---------------------------------------------------------------------------------------------
# x509-limbo peer certificates
# ---------------------------------------------------------------------------------------------


def _limbo(limbo_dir: Path):
    cases = json.loads((limbo_dir / "x509-limbo-eku-ku.json").read_text())
    results = json.loads((limbo_dir / "x509-limbo-results-eku-ku.json").read_text())
    return cases, results["peer_certificate_openssl_x509_purpose"]["results"]


def test_limbo_peer_certificates_match_the_recorded_openssl_output(limbo_dir: Path) -> None:
    cases, recorded = _limbo(limbo_dir)
    by_name = {p.name: p.sname for p in purposes("3.0")}
    compared = 0
    for case in cases["testcases"]:
        cert = x509.load_pem_x509_certificate(case["peer_certificate"].encode())
        expected = recorded[case["id"]]
        assert set(expected) == set(by_name)
        for name, answers in expected.items():
            for key, ca in (("leaf", False), ("ca", True)):
                code, _ = check_purpose(cert, by_name[name], ca)
                word = "Yes" if code == 1 else "No" if code == 0 else f"Yes (WARNING code={code})"
                assert word == answers[key], (case["id"], name, key)
                compared += 1
    assert len(cases["testcases"]) == 33 and compared == 33 * 18


def test_limbo_chains_against_the_binary(limbo_dir: Path, openssl_bin: str, tmp_path: Path) -> None:
    """Every limbo case (regenerated and the byte-exact 2023 copies) through verify_chain with
    sslserver and sslclient, compared with `openssl verify` at the case's validation time."""
    cases, _ = _limbo(limbo_dir)
    all_cases = cases["testcases"] + cases["upstream_committed_2023_12_testcases"]
    compared = 0
    for case in all_cases:
        load = x509.load_pem_x509_certificate
        roots = [load(p.encode()) for p in case["trusted_certs"]]
        icas = [load(p.encode()) for p in case["untrusted_intermediates"] or []]
        leaf = load(case["peer_certificate"].encode())
        at = (
            dt.datetime.fromisoformat(case["validation_time"])
            if case.get("validation_time")
            else AT
        )
        for purpose in ("sslserver", "sslclient"):
            real = _openssl_verify(
                openssl_bin,
                tmp_path,
                "".join(case["trusted_certs"]).encode(),
                "".join(case["untrusted_intermediates"] or []).encode(),
                case["peer_certificate"].encode(),
                purpose,
                at,
            )
            ours = verify_chain(leaf, icas, roots, purpose, at=at).short
            assert ours == real, (case["id"], purpose)
            compared += 1
    assert compared == 2 * (33 + 26)
