"""``certlib explain`` end to end: real forged files, the real parser, one real subprocess.

``--openssl-purpose`` is checked against the ``openssl`` binary itself when the OpenSSL profile
module is present, and for its clear error when it is not.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from certlib import cli
from certlib.cert.forge import CertSpec, forge, forge_chain
from certlib.core.oids import EKU
from certlib.profiles import PROFILES, Purpose

ROOT_DIR = Path(__file__).resolve().parents[2]
CA_KU = frozenset({"key_cert_sign", "crl_sign"})
ROOT = CertSpec(common_name="Explain Root", ca=True, key_usage=CA_KU, validity_days=3650)
ICA = CertSpec(common_name="Explain ICA", ca=True, key_usage=CA_KU)
LEAF = CertSpec(
    common_name="www.explain.test",
    sans=("DNS:www.explain.test",),
    eku=(EKU.SERVER_AUTH.oid,),
    key_usage=frozenset({"digital_signature"}),
    ca=False,
)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("explain")
    chain = forge_chain(ROOT, ICA, LEAF)
    out = {
        "leaf_pem": d / "leaf.pem",
        "leaf_der": d / "leaf.der",
        "fullchain": d / "fullchain.pem",
        "root": d / "root.pem",
        "no_eku": d / "no-eku.pem",
        "garbage": d / "garbage.txt",
    }
    out["leaf_pem"].write_bytes(chain.leaf.pem)
    out["leaf_der"].write_bytes(chain.leaf.der)
    out["fullchain"].write_bytes(chain.leaf.pem + chain.intermediates[0].pem)
    out["root"].write_bytes(chain.root.pem)
    out["no_eku"].write_bytes(forge(LEAF.with_(eku=None, common_name="no-eku.test")).pem)
    out["garbage"].write_text("this is not a certificate\n")
    return out


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["explain", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_table_and_reasons(files: dict[str, Path], capsys) -> None:
    code, out, err = run([str(files["leaf_pem"])], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"== {files['leaf_pem']} [0]"
    assert lines[1] == "subject: CN=www.explain.test"
    header = next(line for line in lines if line.startswith("purpose "))
    assert header.split() == ["purpose", *PROFILES]
    rows = {
        line.split()[0]: line.split()[1:]
        for line in lines
        if not line.startswith(" ") and line.split()[:1] in [[p.value] for p in Purpose]
    }
    assert set(rows) == {p.value for p in Purpose}
    col = {name: i for i, name in enumerate(PROFILES)}
    assert rows["tls_server"][col["rfc5280"]] == "allowed"
    assert rows["tls_client"][col["rfc5280"]] == "denied"  # words, not colours
    assert "reasons (every cell that is not a plain 'allowed'):" in out
    assert "  tls_client / rfc5280: denied" in out
    assert "[eku.purpose_missing]" in out and "(RFC 5280 §4.2.1.12)" in out
    # Plain-allowed cells get no reason block.
    assert "  tls_server / rfc5280:" not in out


def test_profile_and_purpose_filters_der_input(files: dict[str, Path], capsys) -> None:
    code, out, _ = run(
        [
            str(files["leaf_der"]),
            "--profile",
            "go",
            "--profile",
            "windows",
            "--purpose",
            "tls_server",
            "--purpose",
            "code_signing",
        ],
        capsys,
    )
    assert code == 0
    table = [
        line.split() for line in out.splitlines() if line.startswith(("purpose", "tls_", "code_"))
    ]
    assert table == [
        ["purpose", "go", "windows"],
        ["tls_server", "allowed", "allowed"],
        ["code_signing", "denied", "denied"],
    ]


def test_json_output(files: dict[str, Path], capsys) -> None:
    code, out, _ = run([str(files["fullchain"]), str(files["no_eku"]), "--format", "json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert [e["subject"] for e in doc] == [
        "CN=www.explain.test",
        "CN=Explain ICA",
        "CN=no-eku.test",
    ]
    for entry in doc:
        assert set(entry) >= {"sha256", "subject", "verdicts"}
        assert len(entry["sha256"]) == 64
        assert len(entry["verdicts"]) == 30
        for verdict in entry["verdicts"]:
            assert set(verdict) == {"profile", "purpose", "outcome", "warning_code", "reasons"}
            for reason in verdict["reasons"]:
                assert set(reason) == {"rule", "text", "source"}
    no_eku = {(x["profile"], x["purpose"]): x for x in doc[2]["verdicts"]}
    assert no_eku[("windows", "code_signing")]["outcome"] == "allowed"
    assert "eku.absent" in [r["rule"] for r in no_eku[("windows", "code_signing")]["reasons"]]


def test_chain_aware_with_roots_and_hostname(files: dict[str, Path], capsys) -> None:
    argv = [
        str(files["fullchain"]),
        "--roots",
        str(files["root"]),
        "--format",
        "json",
        "--profile",
        "rfc5280",
        "--purpose",
        "tls_server",
    ]
    code, out, _ = run([*argv, "--hostname", "www.explain.test"], capsys)
    assert code == 0
    leaf_v = json.loads(out)[0]["verdicts"][0]
    assert leaf_v["outcome"] == "allowed"
    rules = [r["rule"] for r in leaf_v["reasons"]]
    assert "path.valid" in rules and "name.match" in rules  # the ICA came from the same file
    code, out, _ = run([*argv, "--hostname", "other.test"], capsys)
    leaf_v = json.loads(out)[0]["verdicts"][0]
    assert leaf_v["outcome"] == "denied" and leaf_v["reasons"][-1]["rule"] == "name.mismatch"
    code, out, _ = run([*argv, "--at", "1999-01-01T00:00:00Z"], capsys)
    leaf_v = json.loads(out)[0]["verdicts"][0]
    assert leaf_v["outcome"] == "denied" and leaf_v["reasons"][-1]["rule"] == "path.not_yet_valid"


def test_unreadable_files_exit_2_but_others_are_explained(files: dict[str, Path], capsys) -> None:
    missing = files["leaf_pem"].parent / "missing.pem"
    code, out, err = run([str(missing), str(files["garbage"]), str(files["leaf_pem"])], capsys)
    assert code == 2
    assert str(missing) in err and str(files["garbage"]) in err
    assert "subject: CN=www.explain.test" in out
    code, _, err = run([str(files["leaf_pem"]), "--roots", str(files["garbage"])], capsys)
    assert code == 2 and "--roots" in err


def test_bad_arguments(files: dict[str, Path], capsys) -> None:
    for argv in (["--at", "yesterday"], ["--profile", "nss"], ["--purpose", "server"]):
        with pytest.raises(SystemExit) as exc:
            cli.main(["explain", str(files["leaf_pem"]), *argv])
        assert exc.value.code == 2
    capsys.readouterr()


OPENSSL_MODULE = importlib.util.find_spec("certlib.profiles.openssl") is not None


def test_openssl_purpose(files: dict[str, Path], capsys, openssl_bin: str) -> None:
    code, out, err = run([str(files["leaf_pem"]), "--openssl-purpose"], capsys)
    if not OPENSSL_MODULE:
        assert code == 1 and "certlib.profiles.openssl" in err
        return
    assert code == 0, err
    real = subprocess.run(
        [openssl_bin, "x509", "-in", str(files["leaf_pem"]), "-purpose", "-noout"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out == real


def test_console_script_subprocess(files: dict[str, Path]) -> None:
    exe = Path(sys.executable).parent / "certlib"
    assert exe.exists(), exe
    # PYTHONPATH: the working tree wins even over a stale editable install.
    env = {**os.environ, "PYTHONPATH": str(ROOT_DIR)}
    proc = subprocess.run(
        [str(exe), "explain", str(files["no_eku"]), "--profile", "windows", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT_DIR,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert [v["outcome"] for v in doc[0]["verdicts"]] == ["allowed"] * 6
