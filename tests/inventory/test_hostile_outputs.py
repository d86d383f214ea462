"""Outputs that cannot hurt: ``-o`` never replaces an input or (without ``--force``) an existing
file, a failed write leaves the previous file byte-identical with no temporary file behind,
CSV cells cannot become spreadsheet formulas, and terminal output shows control characters
from hostile names instead of obeying them."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from bounded import run_cli
from builders import make_cert, pem, zip_bytes

from certlib.cli import main
from certlib.core.outputs import OutputError, atomic_output
from certlib.core.terminal import printable
from certlib.inventory import load_inventory, read_inventory, write_inventory
from certlib.report.html import write_report

AT = "2027-01-01T00:00:00Z"
ENOSPC = OSError(errno.ENOSPC, "No space left on device")


def _pile(d: Path) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    (d / "leaf.pem").write_bytes(pem(make_cert("www.example.com")))
    (d / "sub").mkdir(exist_ok=True)
    (d / "sub" / "other.pem").write_bytes(pem(make_cert("other.example.com", serial=7)))
    return d


def _snapshot(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def _leftovers(d: Path) -> list[str]:
    return sorted(p.name for p in d.rglob("*.tmp"))


# --------------------------------------------------------------------------- -o is no input


def test_output_equal_to_the_input_file_is_refused(tmp_path: Path) -> None:
    pile = _pile(tmp_path / "in")
    before = _snapshot(pile)
    target = str(pile / "leaf.pem")
    cases = [
        ["scan", target, "-o", target, "--format", "csv"],
        ["scan", target, "-o", target, "--format", "csv", "--force"],
        ["scan", target, "-o", target, "--format", "parquet", "--force", "--stream"],
        ["scan", str(pile), "-o", str(pile / "sub" / "other.pem"), "--format", "json", "--force"],
        ["report", target, "-o", target, "--force"],
        ["report", str(pile), "-o", str(pile / "sub" / "other.pem"), "--force"],
    ]
    for argv in cases:
        out = run_cli(*argv, "--no-progress")
        assert out.returncode == 2, (argv, out.stderr)
        assert "is one of the inputs" in out.stderr, argv
        assert out.stdout == ""
    assert _snapshot(pile) == before
    assert len(cases) == 6


def test_other_spellings_links_zips_and_password_files_are_inputs(tmp_path: Path) -> None:
    pile = _pile(tmp_path / "in")
    (pile / "bundle.zip").write_bytes(zip_bytes({"a.pem": pem(make_cert("zipped.example"))}))
    os.link(pile / "leaf.pem", tmp_path / "hard.pem")
    (tmp_path / "soft.pem").symlink_to(pile / "leaf.pem")
    (tmp_path / "pw").write_text("secret\n")
    before = _snapshot(pile)
    cases = [
        ([str(pile / "leaf.pem")], str(tmp_path / "hard.pem")),
        ([str(pile / "leaf.pem")], str(tmp_path / "soft.pem")),
        ([str(pile / "leaf.pem")], str(pile / "sub" / ".." / "leaf.pem")),
        ([str(pile / "bundle.zip")], str(pile / "bundle.zip")),
        ([str(tmp_path / "soft.pem")], str(pile / "leaf.pem")),
        (["--password-file", str(tmp_path / "pw"), str(pile)], str(tmp_path / "pw")),
    ]
    for paths, target in cases:
        out = run_cli("scan", *paths, "-o", target, "--format", "csv", "--force", "--no-progress")
        assert out.returncode == 2, (paths, target, out.stderr)
        assert "is one of the inputs" in out.stderr
    assert _snapshot(pile) == before
    assert (tmp_path / "pw").read_text() == "secret\n"
    assert len(cases) == 6


def test_a_file_in_a_folder_that_is_not_scanned_is_no_input(tmp_path: Path) -> None:
    pile = _pile(tmp_path / "in")
    target = pile / "sub" / "other.pem"
    out = run_cli("scan", str(pile), "--no-recursive", "-o", str(target), "--format", "csv")
    assert out.returncode == 2 and "--force" in out.stderr  # exists: still needs --force
    out = run_cli(
        "scan", str(pile), "--no-recursive", "-o", str(target), "--format", "csv", "--force"
    )
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert [r["subject_cn"] for r in rows] == ["www.example.com"]


def test_report_refuses_its_inventory_file(tmp_path: Path) -> None:
    df = read_inventory(_pile(tmp_path / "in"), at=AT)
    inv = write_inventory(df, tmp_path / "inv.parquet")
    before = inv.read_bytes()
    out = run_cli("report", "--inventory", str(inv), "-o", str(inv), "--force")
    assert out.returncode == 2 and "is one of the inputs" in out.stderr
    assert inv.read_bytes() == before


# --------------------------------------------------------------------------- --force


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "jsonl", "parquet", "stream"])
def test_existing_output_needs_force(tmp_path: Path, fmt: str) -> None:
    pile = _pile(tmp_path / "in")
    suffix = "parquet" if fmt == "stream" else fmt
    target = tmp_path / f"out.{suffix}"
    target.write_bytes(b"precious")
    argv = ["scan", str(pile), "-o", str(target), "--format", suffix, "--no-progress"]
    argv += ["--stream"] if fmt == "stream" else []
    out = run_cli(*argv)
    assert out.returncode == 2, out.stderr
    assert "exists" in out.stderr and "--force" in out.stderr
    assert target.read_bytes() == b"precious"
    out = run_cli(*argv, "--force")
    assert out.returncode == 0, out.stderr
    if suffix == "parquet":
        assert len(load_inventory(target)) == 2
    else:
        assert "other.example.com" in target.read_text()
    assert set(os.listdir(tmp_path)) == {"in", target.name}  # no temporary file left


def test_report_and_sample_data_need_force(tmp_path: Path) -> None:
    pile = _pile(tmp_path / "in")
    target = tmp_path / "r.html"
    target.write_text("old report")
    out = run_cli("report", str(pile), "-o", str(target), "--at", AT, "--no-progress")
    assert out.returncode == 2 and "--force" in out.stderr
    assert target.read_text() == "old report"
    out = run_cli("report", str(pile), "-o", str(target), "--at", AT, "--no-progress", "--force")
    assert out.returncode == 0, out.stderr
    assert target.read_text().startswith("<!DOCTYPE html>")

    data = tmp_path / "sample"
    data.mkdir()
    (data / "root-ca.pem").write_bytes(b"mine")
    out = run_cli("sample-data", str(data))
    assert out.returncode == 2 and "root-ca.pem" in out.stderr and "--force" in out.stderr
    assert os.listdir(data) == ["root-ca.pem"] and (data / "root-ca.pem").read_bytes() == b"mine"
    out = run_cli("sample-data", str(data), "--force")
    assert out.returncode == 0, out.stderr
    assert (data / "root-ca.pem").read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    assert _leftovers(data) == []


def test_stdout_always_works(tmp_path: Path) -> None:
    pile = _pile(tmp_path / "in")
    (tmp_path / "-").write_text("not touched")
    out = run_cli("scan", str(pile), "-o", "-", "--format", "csv", "--no-progress", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.splitlines()) == 3
    assert (tmp_path / "-").read_text() == "not touched"


def test_api_overwrites_only_when_asked(tmp_path: Path) -> None:
    df = read_inventory(_pile(tmp_path / "in"), at=AT)
    calls = [
        lambda p, **kw: write_inventory(df, p, **kw),
        lambda p, **kw: write_report(df, p, **kw),
    ]
    for i, call in enumerate(calls):
        target = tmp_path / f"out{i}.csv"
        target.write_bytes(b"old")
        with pytest.raises(FileExistsError):
            call(target)
        assert target.read_bytes() == b"old"
        call(target, overwrite=True)
        assert target.read_bytes() != b"old"
    assert _leftovers(tmp_path) == []
    assert len(calls) == 2


# --------------------------------------------------------------------------- disk full


@pytest.fixture
def frame(tmp_path: Path) -> pd.DataFrame:
    return read_inventory(_pile(tmp_path / "in"), at=AT)


def _half_then_enospc(real):
    def dump(df, fh, fmt):
        buf = io.StringIO()
        real(df, buf, fmt)
        fh.write(buf.getvalue()[: len(buf.getvalue()) // 2])
        fh.flush()
        raise ENOSPC

    return dump


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "parquet"])
def test_disk_full_keeps_the_previous_file(
    tmp_path: Path, frame: pd.DataFrame, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from certlib.inventory import write as iw

    out = tmp_path / "out"
    out.mkdir()
    target = out / f"inv.{fmt}"
    write_inventory(frame.head(1), target)
    before = target.read_bytes()
    if fmt == "parquet":

        def to_parquet(self, path, **kw):
            Path(path).write_bytes(b"PAR1" + b"\0" * 100)
            raise ENOSPC

        monkeypatch.setattr(pd.DataFrame, "to_parquet", to_parquet)
    else:
        monkeypatch.setattr(iw, "dump", _half_then_enospc(iw.dump))
    with pytest.raises(OSError, match="No space left"):
        write_inventory(frame, target, overwrite=True)
    assert target.read_bytes() == before
    assert os.listdir(out) == [target.name]
    # the CLI says so with exit status 2, still without leftovers
    code = main(["scan", str(tmp_path / "in"), "-o", str(target), "--force", "--no-progress"])
    assert code == 2
    assert target.read_bytes() == before and os.listdir(out) == [target.name]


def test_disk_full_at_fsync_report_table_and_stream(
    tmp_path: Path, frame: pd.DataFrame, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import certlib.core.outputs as outputs

    out = tmp_path / "out"
    out.mkdir()
    targets = {n: out / n for n in ("r.html", "t.table", "s.parquet")}
    for t in targets.values():
        t.write_bytes(b"previous " + t.name.encode())

    def fsync(fd):
        raise ENOSPC

    monkeypatch.setattr(outputs.os, "fsync", fsync)
    with pytest.raises(OSError, match="No space left"):
        write_report(frame, targets["r.html"], overwrite=True)
    pile = str(tmp_path / "in")
    argv = [pile, "--no-progress", "--force", "--at", AT]
    assert main(["report", *argv, "-o", str(targets["r.html"])]) == 2
    assert main(["scan", *argv, "-o", str(targets["t.table"]), "--format", "table"]) == 2
    assert main(["scan", *argv, "-o", str(targets["s.parquet"]), "--stream"]) == 2
    err = capsys.readouterr().err
    assert err.count("No space left on device") == 3
    for t in targets.values():
        assert t.read_bytes() == b"previous " + t.name.encode()
    assert sorted(os.listdir(out)) == sorted(targets)


def test_stream_fails_half_way_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.parquet as pq

    from certlib.inventory import stream_inventory

    pile = _pile(tmp_path / "in")
    target = tmp_path / "s.parquet"
    stream_inventory(pile, target, at=AT, workers=1)
    before = target.read_bytes()
    real = pq.ParquetWriter
    written = []

    class Failing(real):
        def write_table(self, table, *a, **kw):
            super().write_table(table, *a, **kw)
            written.append(table.num_rows)
            raise ENOSPC

    monkeypatch.setattr(pq, "ParquetWriter", Failing)
    with pytest.raises(OSError, match="No space left"):
        stream_inventory(pile, target, at=AT, workers=1, overwrite=True, rows_per_group=1)
    assert len(written) == 1  # the first row group was written, then the disk was full
    assert target.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["in", "s.parquet"]


def test_atomic_output_interrupted_and_folder(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_output(target, overwrite=True) as tmp:
        tmp.write_text("half")
        raise KeyboardInterrupt
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["x.txt"]
    with pytest.raises(OutputError), atomic_output(tmp_path, overwrite=True):
        pass
    target.chmod(0o640)
    with atomic_output(target, overwrite=True) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "new" and (target.stat().st_mode & 0o777) == 0o640


# --------------------------------------------------------------------------- CSV formulas


def test_csv_cells_cannot_be_formulas(tmp_path: Path) -> None:
    names = ["=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain"]
    pile = tmp_path / "in"
    pile.mkdir()
    for i, cn in enumerate(names):
        (pile / f"c{i}.pem").write_bytes(pem(make_cert(cn, serial=100 + i)))
    (tmp_path / "=cmd.pem").write_bytes(b"not a certificate")
    out = run_cli("scan", "in", "=cmd.pem", "--format", "csv", "--no-progress", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout, newline="")))
    assert len(rows) == len(names) + 1
    cns = sorted(r["subject_cn"] for r in rows if r["status"] != "error")
    assert cns == sorted(n if n == "plain" else "'" + n for n in names)
    error = next(r for r in rows if r["status"] == "error")
    assert error["source_path"] == "'=cmd.pem"  # file names are cells too
    # JSON keeps the values as they are: only CSV goes to spreadsheets
    out = run_cli("scan", "in", "--format", "jsonl", "--no-progress", cwd=tmp_path)
    cns = sorted(json.loads(line)["subject_cn"] or "" for line in out.stdout.splitlines())
    assert [c for c in cns if c] == sorted(names)


def test_csv_numbers_stay_numbers(tmp_path: Path) -> None:
    from certlib.inventory.write import csv_safe

    df = pd.DataFrame(
        {
            "n": pd.array([-3, 5, None], dtype="Int64"),
            "f": [-1.5, 2.0, float("nan")],
            "s": pd.array(["-3", "=1", None], dtype="str"),
            "lst": [["=a", "b"], [], ["-x"]],
        }
    )
    text = write_inventory(df, tmp_path / "x.csv").read_text()
    assert text.splitlines() == ["n,f,s,lst", "-3,-1.5,'-3,'=a;b", "5,2.0,'=1,", ",,,'-x"]
    assert csv_safe("a=b") == "a=b" and csv_safe("") == ""


# --------------------------------------------------------------------------- terminal


def test_printable_escapes_controls() -> None:
    cases = {
        "a\x1b[31mb": "a\\x1b[31mb",
        "x\ny\tz\r": "x\\x0ay\\x09z\\x0d",
        "\x00\x7f\x85\x9b": "\\x00\\x7f\\x85\\x9b",
        "evil\u202etxt.exe": "evil\\u202etxt.exe",
        "caf\u00e9 \u2603": "caf\u00e9 \u2603",
        os.fsdecode(b"bad\xff.pem"): "bad\\xff.pem",
    }
    for raw, shown in cases.items():
        assert printable(raw) == shown
    assert len(cases) == 6


def test_table_and_report_show_controls_escaped(tmp_path: Path) -> None:
    pile = tmp_path / "in"
    pile.mkdir()
    (pile / "esc\x1b]0;pwned\x07.pem").write_bytes(
        pem(make_cert("evil\x1b[2J\x1b[1;1Hfake\nrow", serial=9))
    )
    (pile / "junk\x9b2J.pem").write_bytes(b"junk")  # C1 CSI
    out = run_cli("scan", str(pile), "--no-progress", "--at", AT)
    assert out.returncode == 0, out.stderr
    assert "\x1b" not in out.stdout + out.stderr and "\x07" not in out.stdout
    assert "evil\\x1b[2J\\x1b[1;1Hfake\\x0arow" in out.stdout
    assert "esc\\x1b]0;pwned\\x07.pem" in out.stdout
    assert "junk\\x9b2J.pem" in out.stdout and "\x9b" not in out.stdout
    assert len(out.stdout.splitlines()) == 3  # header + 2 rows: no fake row
    target = tmp_path / "r\x1b[2J.html"
    out = run_cli("report", str(pile), "-o", str(target), "--no-progress", "--at", AT)
    assert out.returncode == 0, out.stderr
    assert "\x1b" not in out.stderr and "r\\x1b[2J.html" in out.stderr


def test_explain_text_escapes_path_and_subject(tmp_path: Path) -> None:
    target = tmp_path / "x\x1b[8m.pem"
    target.write_bytes(pem(make_cert("a\x1b]2;title\x07b", serial=11)))
    out = run_cli("explain", str(target), "--profile", "rfc5280")
    assert out.returncode == 0, out.stderr
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout
    assert "x\\x1b[8m.pem [0]" in out.stdout
    assert "subject: CN=a\\x1b]2\\;title\\x07b" in out.stdout  # RFC 4514 escapes the ;
