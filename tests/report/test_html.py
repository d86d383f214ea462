"""The HTML report: every section, every error row and finding, deterministic bytes, offline
(no script, no external reference), hostile names escaped, no password or key material; and
the ``certlib report`` command (in-process and one real subprocess)."""

from __future__ import annotations

import base64
import dataclasses
import html
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from builders import sample_secret_needles

from certlib.cert.forge import PRESETS, forge
from certlib.cli import SUBCOMMANDS, main
from certlib.inventory import load_inventory, read_inventory, write_inventory
from certlib.report.html import SECTIONS, report_html, write_report
from certlib.sources.sample_data import EXPIRING_AT, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-inventory"
AT = "2027-01-01T00:00:00Z"
HOSTILE_CN = "<img src=x onerror=alert(1)>"
HOSTILE_FILE = "<b onmouseover=alert(2)>.pem"


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return read_inventory(SAMPLE, passwords=[PASSWORD], at=EXPIRING_AT, workers=1, progress=False)


@pytest.fixture(scope="module")
def page(sample: pd.DataFrame) -> str:
    return report_html(sample)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("hostile")
    evil = dataclasses.replace(PRESETS["iis_server"], common_name=HOSTILE_CN, key_label="evil")
    (d / HOSTILE_FILE).write_bytes(forge(evil, seed="report").pem)
    (d / "<i>broken.cer").write_bytes(b"\x30\x82\x05\x00")  # an error row with a hostile path
    return d


def _key_needles() -> list[bytes]:
    return sample_secret_needles(SAMPLE)


def _offline(text: str) -> None:
    assert "<script" not in text.lower()
    assert "http://" not in text and "https://" not in text
    tags = "".join(re.findall(r"<[^>]*>", text))  # attributes live in tags (text is escaped)
    refs = re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]*)""", tags, re.I)
    assert refs  # the SVG glyph references are found, so the check can see a bad one
    for ref in refs:
        assert ref.startswith("#"), ref  # only references inside the page
    assert "@import" not in text
    for ref in re.findall(r"url\(\s*['\"]?([^'\")]*)", text):
        assert ref.startswith("#"), ref  # SVG clip paths


# --- content ---------------------------------------------------------------------------------


def test_report_has_every_section(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    for key, heading in SECTIONS.items():
        assert f'<section id="{key}"><h2>{heading}</h2>' in page
    assert len(SECTIONS) == 8
    assert page.count("<svg") == 4  # verdicts, findings, expiry, key types


def test_report_ids_are_unique_and_every_reference_resolves(page: str) -> None:
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)) > 4 + len(SECTIONS)
    refs = re.findall(r'(?:href="#|url\(#)([^")]+)', page)
    assert refs and set(refs) <= set(ids)


def test_report_header_numbers(page: str) -> None:
    header = page[page.index("<header>") : page.index("</header>")]
    for label, value in [
        ("profile", "RFC 5280 (rfc5280)"),
        ("reference time", "2027-01-01T00:00:00+00:00"),
        ("input files", "29"),
        ("error rows", "4"),
        ("expired / expiring within 30 days", "1 / 1"),
    ]:
        assert f"<dt>{html.escape(label)}</dt><dd>{value}</dd>" in header
    assert "<dd>14 (0 partial; 3 CA, 11 end-entity)</dd>" in header


def test_report_names_every_error_row_and_finding(sample: pd.DataFrame, page: str) -> None:
    errors = sample[sample["status"] == "error"]
    assert len(errors) == 4
    accounting = page[page.index('<section id="accounting">') : page.index('<section id="verd')]
    for path, kind, message in zip(
        errors["source_path"], errors["error_kind"], errors["error"], strict=True
    ):
        assert f"<td>{html.escape(path)}</td><td>{kind}</td><td>{html.escape(message)}</td>" in (
            accounting
        )
    codes = {c for cs in sample["findings"] for c in cs}
    findings = page[page.index('<section id="findings">') : page.index('<section id="expiry">')]
    for code in codes:
        assert f"<td>{code}</td>" in findings
    assert len(codes) == 9


def test_report_lists_expiring_incomplete_chains_iis_and_every_certificate(
    sample: pd.DataFrame, page: str
) -> None:
    def section(key: str) -> str:
        start = page.index(f'<section id="{key}">')
        return page[start : page.index("</section>", start)]

    expiry = section("expiry")
    assert "<td>old.contoso.com</td>" in expiry and "<td>soon.contoso.com</td>" in expiry
    assert "<td>www.contoso.com</td>" not in expiry
    chains = section("chains")
    ee = certs_ee(sample)
    assert ee.loc[~ee["chain_complete"].astype(bool)].empty  # legacy-app's SHA-1 link counts
    assert "<tr>" not in chains and "<p>0 end-entity certificate(s)" in chains
    iis = section("iis")
    assert iis.count("<tr>") == 1 + 1 and "<td>www.contoso.com</td>" in iis
    table = section("certificates")
    certs = sample[sample["status"] != "error"]
    assert table.count("<tr>") == 1 + len(certs) == 15
    for cn in certs["subject_cn"]:
        assert f"<td>{html.escape(cn)}</td>" in table
    verdicts = section("verdicts")
    assert '<th>tls_server</th><td class="n">7</td>' in verdicts


def certs_ee(frame: pd.DataFrame) -> pd.DataFrame:
    certs = frame[frame["status"] != "error"]
    return certs[~certs["is_ca"].astype(bool)]


def test_report_lists_incomplete_chains() -> None:
    """Leaves scanned without their CAs: each is listed, the linked sample's leaves are not."""
    files = [SAMPLE / "vpn-dual-use.pem", SAMPLE / "user-alice.der", SAMPLE / "root-ca.pem"]
    frame = read_inventory(files, at=EXPIRING_AT, workers=1, progress=False)
    page = report_html(frame)
    start = page.index('<section id="chains">')
    chains = page[start : page.index("</section>", start)]
    ee = certs_ee(frame)
    missing = ee.loc[~ee["chain_complete"].astype(bool), "subject_cn"].tolist()
    assert sorted(missing) == ["Alice Smith", "vpn.contoso.com"]
    assert chains.count("<tr>") == 1 + len(missing)
    for cn in missing:
        assert f"<td>{cn}</td>" in chains
    assert "<td>Contoso Root CA</td>" not in chains


def test_report_is_deterministic_and_offline(sample: pd.DataFrame, page: str) -> None:
    again = report_html(sample)
    assert again == page
    assert report_html(sample.copy()) == page
    _offline(page)


def test_report_has_no_secrets_and_no_der(sample: pd.DataFrame, page: str) -> None:
    blob = page.encode()
    for needle in _key_needles():
        assert needle not in blob
    for der in sample["der"].dropna():
        assert base64.b64encode(der)[:64] not in blob
        assert der.hex()[:64].encode() not in blob


def test_hostile_names_are_escaped(hostile: Path) -> None:
    df = read_inventory(hostile, at=EXPIRING_AT, progress=False)
    assert HOSTILE_CN in set(df["subject_cn"].dropna())
    text = report_html(df, title="<script>alert(3)</script>")
    assert HOSTILE_CN not in text and "<b onmouseover" not in text and "<i>" not in text
    assert html.escape(HOSTILE_CN) in text
    assert html.escape(HOSTILE_FILE) in text
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in text
    assert "onerror=alert(1)>" not in text
    _offline(text)


def test_write_report_and_frames_without_certificates(tmp_path: Path) -> None:
    empty = read_inventory([], at=EXPIRING_AT, progress=False)
    bad = read_inventory([tmp_path / "missing.pem"], at=EXPIRING_AT, progress=False)
    for df in (empty, bad):
        text = report_html(df)
        for key in SECTIONS:
            assert f'<section id="{key}">' in text
        assert "No certificates." in text and "<svg" in text  # the "no certificates" figures
        _offline(text)
    assert html.escape(str(tmp_path / "missing.pem")) in report_html(bad)
    out = write_report(bad, tmp_path / "r.html")
    assert out.read_text(encoding="utf-8") == report_html(bad)


def test_report_of_a_loaded_inventory_is_the_same(sample: pd.DataFrame, tmp_path: Path) -> None:
    write_inventory(sample, tmp_path / "inv.parquet")
    assert report_html(load_inventory(tmp_path / "inv.parquet")) == report_html(sample)


# --- CLI -------------------------------------------------------------------------------------


def _report(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["report", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_report_is_a_subcommand() -> None:
    assert "report" in SUBCOMMANDS


def test_cli_writes_the_report(capsys, tmp_path: Path, page: str) -> None:
    target = tmp_path / "x.html"
    argv = [str(SAMPLE), "-o", str(target), "--password", PASSWORD, "--at", AT, "--no-progress"]
    code, out, err = _report(capsys, *argv, "--workers", "1")
    assert code == 0
    assert out == ""
    assert "14 certificate(s)" in err and "4 error row(s)" in err and str(target) in err
    assert PASSWORD not in out + err
    assert target.read_text(encoding="utf-8") == page  # the same frame, the same bytes


def test_cli_password_file_and_stdout(capsys, tmp_path: Path) -> None:
    pw = tmp_path / "pw"
    pw.write_text(PASSWORD + "\r\n")
    code, out, err = _report(
        capsys, str(SAMPLE), "--password-file", str(pw), "--at", AT, "--no-progress", "-o", "-"
    )
    assert code == 0
    assert out.startswith("<!DOCTYPE html>") and "<td>www.contoso.com</td>" in out
    assert "<html" not in err and "report: stdout" in err
    for needle in _key_needles():
        assert needle not in out.encode() + err.encode()
    assert "iis-www.pfx" in out and "bad-password" not in out  # the password was used


def test_cli_inventory_round_trip(capsys, sample: pd.DataFrame, tmp_path: Path) -> None:
    inv = tmp_path / "inv.parquet"
    write_inventory(sample, inv)
    target = tmp_path / "r.html"
    code, out, err = _report(capsys, "--inventory", str(inv), "-o", str(target))
    assert code == 0 and out == ""
    assert "14 certificate(s)" in err
    assert target.read_text(encoding="utf-8") == report_html(sample)


@pytest.mark.parametrize(
    "extra", [["--profile", "windows"], ["--profile", "rfc5280"], ["--workers", "2"]]
)
def test_cli_inventory_refuses_scan_options(capsys, sample, tmp_path: Path, extra) -> None:
    """A saved frame keeps its verdicts: --profile used to be ignored silently."""
    inv = tmp_path / "inv.parquet"
    write_inventory(sample, inv)
    target = tmp_path / "r.html"
    code, out, err = _report(capsys, "--inventory", str(inv), *extra, "-o", str(target))
    assert code == 2 and out == "" and not target.exists()
    assert "its own profile" in err


def test_cli_scan_parquet_then_report(capsys, tmp_path: Path) -> None:
    inv = tmp_path / "scan.parquet"
    assert main(["scan", str(SAMPLE), "--at", AT, "--no-progress", "-o", str(inv)]) == 0
    capsys.readouterr()
    code, _out, _err = _report(capsys, "--inventory", str(inv), "-o", str(tmp_path / "r.html"))
    assert code == 0
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<dd>RFC 5280 (rfc5280)</dd>" in text and "2027-01-01T00:00:00+00:00" in text


def test_cli_missing_path_is_an_error_row(capsys, tmp_path: Path) -> None:
    missing = tmp_path / "nope.pem"
    code, _out, err = _report(capsys, str(missing), "-o", str(tmp_path / "r.html"))
    assert code == 0  # as `certlib scan`: an unreadable input is data, not a failure
    assert "1 error row(s)" in err
    assert html.escape(str(missing)) in (tmp_path / "r.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "argv",
    [
        [],  # nothing to report on
        ["--inventory", "{tmp}/missing.parquet"],
        ["--inventory", "{tmp}/not.parquet"],
        ["{sample}", "--inventory", "{tmp}/x.parquet"],
        ["{sample}", "--at", "not-a-date"],
        ["{sample}", "--password-file", "{tmp}/no-such-file"],
        ["{sample}", "--workers", "0"],
    ],
)
def test_cli_bad_input_exits_2(capsys, tmp_path: Path, argv: list[str]) -> None:
    (tmp_path / "not.parquet").write_text("not parquet")
    target = tmp_path / "r.html"
    args = [a.format(tmp=tmp_path, sample=SAMPLE) for a in argv]
    code, out, err = _report(capsys, *args, "--no-progress", "-o", str(target))
    assert code == 2
    assert out == "" and err.startswith("certlib report: ")
    assert not target.exists()


def test_cli_unwritable_output_exits_2(capsys, tmp_path: Path) -> None:
    code, _out, err = _report(capsys, str(tmp_path), "-o", str(tmp_path / "no" / "dir.html"))
    assert code == 2 and "cannot write the report" in err


def test_cli_output_is_required(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["report", str(SAMPLE)])
    assert exc.value.code == 2
    assert "-o" in capsys.readouterr().err


def test_cli_help_has_examples_and_exit_codes(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    assert "certlib report data/sample-inventory --password certlib-demo -o report.html" in out
    assert "--inventory" in out and "exit status:" in out and "--password-file" in out


def test_subprocess_streams_are_separate(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "certlib", "report", str(SAMPLE), "--at", AT, "-o", "-"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("<!DOCTYPE html>") and proc.stdout.rstrip().endswith("</html>")
    assert "certificate(s)" in proc.stderr and "<" not in proc.stderr
    _offline(proc.stdout)
