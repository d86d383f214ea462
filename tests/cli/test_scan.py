"""``certlib scan``: formats, exit codes, --fail-on, stdout/stderr separation, help, secrets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from builders import sample_secret_needles

from certlib.cert.forge import PRESETS, forge
from certlib.cli import main
from certlib.inventory import load_inventory
from certlib.sources.sample_data import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-inventory"
AT = "2027-01-01T00:00:00Z"


def _scan(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["scan", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("small")
    root = forge(PRESETS["root_ca"], seed="cli")
    ica = forge(PRESETS["intermediate_ca"], root, seed="cli")
    (d / "chain.pem").write_bytes(forge(PRESETS["dual_use"], ica, seed="cli").pem + ica.pem)
    (d / "root.cer").write_bytes(root.der)
    (d / "junk.txt").write_bytes(b"nothing here")
    return d


def test_table_to_stdout_summary_to_stderr(capsys, small: Path) -> None:
    code, out, err = _scan(capsys, str(small), "--no-progress", "--at", AT)
    assert code == 0
    assert "vpn.contoso.com" in out and "status" in out
    assert "certificate(s)" in err and "vpn.contoso.com" not in err
    assert "certificate(s)" not in out


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_text_formats_on_stdout(capsys, small: Path, fmt: str) -> None:
    code, out, _err = _scan(capsys, str(small), "--format", fmt, "--no-progress", "--at", AT)
    assert code == 0
    if fmt == "csv":
        lines = out.splitlines()
        assert lines[0].startswith("status,sha256,")
        assert len(lines) == 1 + 4  # 3 certificates + 1 error row
    elif fmt == "json":
        records = json.loads(out)
        assert {r["status"] for r in records} == {"ok", "error"}
    else:
        records = [json.loads(line) for line in out.splitlines()]
        assert len(records) == 4
        assert any("clientauth-in-tls-leaf" in r["findings"] for r in records)


def test_parquet_needs_output_file(capsys, small: Path, tmp_path: Path) -> None:
    code, out, err = _scan(capsys, str(small), "--format", "parquet")
    assert code == 2 and out == "" and "-o" in err
    target = tmp_path / "inv.parquet"
    code, out, _err = _scan(capsys, str(small), "-o", str(target), "--no-progress", "--at", AT)
    assert code == 0 and out == ""
    df = load_inventory(target)
    assert len(df) == 4 and df.attrs["at"].startswith("2027-01-01")


def test_output_suffix_picks_the_format(capsys, small: Path, tmp_path: Path) -> None:
    target = tmp_path / "inv.csv"
    code, out, _ = _scan(capsys, str(small), "-o", str(target), "--no-progress")
    assert code == 0 and out == ""
    assert target.read_text().startswith("status,")


def test_fail_on_codes_and_errors(capsys, small: Path) -> None:
    base = [str(small), "--no-progress", "--format", "csv", "--at", AT]
    assert _scan(capsys, *base, "--fail-on", "clientauth-in-tls-leaf")[0] == 1
    assert _scan(capsys, *base, "--fail-on", "weak-key,sha1-signature")[0] == 0
    code, _out, err = _scan(capsys, *base, "--fail-on", "error")
    assert code == 1 and "fail-on: found error" in err
    code, _out, err = _scan(capsys, *base, "--fail-on", "no-such-code")
    assert code == 2 and "unknown --fail-on" in err


def test_bad_arguments_exit_2(capsys, small: Path, tmp_path: Path) -> None:
    assert _scan(capsys, str(small), "--at", "yesterday")[0] == 2
    assert _scan(capsys, str(small), "--password-file", str(tmp_path / "missing"))[0] == 2
    assert _scan(capsys, str(small), "--workers", "0")[0] == 2
    with pytest.raises(SystemExit) as exc:
        main(["scan", str(small), "--profile", "nope"])
    assert exc.value.code == 2


def test_missing_path_is_an_error_row_not_a_failure(capsys, tmp_path: Path) -> None:
    code, out, _err = _scan(capsys, str(tmp_path / "nope"), "--format", "jsonl")
    assert code == 0
    assert json.loads(out)["error_kind"] == "unreadable"


def test_help_has_examples_and_exit_codes(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["scan", "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and "certlib scan data/sample-inventory" in out
    assert "exit status:" in out and "--fail-on" in out


def test_password_file_strips_only_crlf(capsys, tmp_path: Path) -> None:
    leaf = forge(PRESETS["iis_server"], seed="cli")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.pfx").write_bytes(leaf.pkcs12(b" pw with spaces "))
    pw = tmp_path / "pw.txt"
    pw.write_bytes(b" pw with spaces \r\n")
    code, out, _ = _scan(
        capsys, str(tmp_path / "in"), "--password-file", str(pw), "--format", "json"
    )
    assert code == 0
    assert [r["status"] for r in json.loads(out)] == ["ok"]


def test_sample_inventory_password_and_key_never_echoed(capsys, tmp_path: Path) -> None:
    needles = sample_secret_needles(SAMPLE)
    for fmt in ("table", "csv", "json", "jsonl"):
        code, out, err = _scan(
            capsys, str(SAMPLE), "--password", PASSWORD, "--format", fmt, "--at", AT
        )
        assert code == 0
        for blob in (out.encode(), err.encode()):
            for needle in needles:
                assert needle not in blob
    pwfile = tmp_path / "pw"
    pwfile.write_text(PASSWORD + "\n")
    code, out, err = _scan(capsys, str(SAMPLE), "--password-file", str(pwfile), "--fail-on", "x")
    assert code == 2 and PASSWORD not in out + err


def test_subprocess_streams_are_separate(small: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "certlib", "scan", str(small), "--format", "jsonl"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    for line in proc.stdout.splitlines():
        json.loads(line)  # stdout is pure data
    assert "certificate(s)" in proc.stderr
    assert "\x1b" not in proc.stdout


def test_frame_from_cli_matches_library(capsys, small: Path, tmp_path: Path) -> None:
    from certlib.inventory import read_inventory

    target = tmp_path / "inv.parquet"
    _scan(capsys, str(small), "-o", str(target), "--at", AT, "--no-progress")
    lib = read_inventory(small, at=pd.Timestamp(AT).to_pydatetime())
    pd.testing.assert_frame_equal(load_inventory(target), lib)


def test_stream_writes_the_same_rows_with_bounded_memory(capsys, tmp_path: Path) -> None:
    """``--stream``: Parquet written as certificates are judged; the same rows as without it
    (the sample inventory has no CA used as a leaf that would be decided differently), the same
    summary, the same ``--fail-on`` answer."""
    plain, streamed = tmp_path / "plain.parquet", tmp_path / "streamed.parquet"
    args = (str(SAMPLE), "--password", PASSWORD, "--at", AT, "--no-progress")
    code, out, err = _scan(capsys, *args, "-o", str(plain), "--fail-on", "expired")
    s_code, s_out, s_err = _scan(
        capsys, *args, "-o", str(streamed), "--stream", "--fail-on", "expired"
    )
    assert (code, s_code) == (1, 1) and out == s_out == ""
    assert err == s_err and "certificate(s)" in err and "fail-on: found expired" in err
    a, b = load_inventory(plain), load_inventory(streamed)
    assert len(a) == len(b) >= 15
    pd.testing.assert_frame_equal(
        a.sort_values("sha256", ignore_index=True), b.sort_values("sha256", ignore_index=True)
    )


def test_stream_needs_a_parquet_file(capsys, small: Path, tmp_path: Path) -> None:
    code, out, err = _scan(capsys, str(small), "--stream")
    assert code == 2 and out == "" and "--stream writes Parquet" in err
    code, _out, err = _scan(capsys, str(small), "--stream", "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "--stream writes Parquet" in err
