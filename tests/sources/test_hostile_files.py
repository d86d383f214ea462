"""Hostile file systems and hostile files: nothing lost, nothing hangs, nothing grows unbounded.

Every case runs in a child process bounded in time and memory (``tests/support/bounded.py``), so a
hang or a runaway read fails that case with a clear message instead of freezing the run. The
child prints one JSON line (what it saw); the test asserts on it. Covered: non-UTF-8 file
names, FIFOs (also one swapped in after the walk), sockets, devices, dangling links, link
loops, linked folders, huge sparse files, zip bombs, deep nesting and a seeded fuzz over the
sample inventory, through the API and the CLI (``scan``, ``scan --stream``, ``report``,
``explain``, ``--password-file``).
"""

from __future__ import annotations

import base64
import json
import os
import socket
import zipfile
from pathlib import Path

import pytest
from bounded import Outcome, run_cli, run_python
from builders import claims_huge, zip_bytes

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-inventory"
CERT_PEM = (SAMPLE / "root-ca.pem").read_bytes()
LEAF_PEM = (SAMPLE / "expired.pem").read_bytes()
#: Per case: a few seconds of work (an interpreter with pandas starts in about one).
TIMEOUT = 20.0
MEMORY = 1024**3
BAD = b"bad\xff.pem"  # a file name that is not UTF-8


def _ok(out: Outcome) -> Outcome:
    assert not out.timed_out, f"timed out (a hang?)\n{out.stderr[-2000:]}"
    return out


def _child(code: str, timeout: float = TIMEOUT) -> object:
    """Run ``code`` (which sets ``out``) in a bounded child; ``out`` as JSON."""
    wrapped = f"import json, os, sys\n{code}\nprint(json.dumps(out))\n"
    res = _ok(run_python(wrapped, timeout=timeout, memory=MEMORY, cwd=ROOT))
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout.strip().splitlines()[-1])


def _cli(*args: str, timeout: float = TIMEOUT) -> Outcome:
    return _ok(run_cli(*args, timeout=timeout, memory=MEMORY, cwd=ROOT))


_ROWS = """
from certlib.inventory import read_inventory
df = read_inventory({paths!r}, workers={workers}, progress=False)
out = [[r.status, r.error_kind if isinstance(r.error_kind, str) else None,
        r.source_path, list(r.source_files)] for r in df.itertuples()]
"""


def _rows(paths: list[str], workers: int = 1) -> list[list]:
    return _child(_ROWS.format(paths=paths, workers=workers))  # type: ignore[return-value]


_READ_PATH = """
from certlib.sources import read_path, Found
out = [["found", os.fsencode(r.provenance.path).hex()] if isinstance(r, Found)
       else [r.kind, os.fsencode(r.path).hex(), r.message] for r in read_path({path!r})]
"""


def _read_path(path: str) -> list[list]:
    return _child(_READ_PATH.format(path=path))  # type: ignore[return-value]


def _kinds(rows: list[list]) -> list[str]:
    return sorted(r[1] or r[0] for r in rows)


# --------------------------------------------------------------------------- 2: non-UTF-8 names


@pytest.fixture
def badname(tmp_path: Path) -> Path:
    """A folder with a certificate under a non-UTF-8 name and one under a plain name."""
    folder = tmp_path / "pile"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/" + BAD, "wb") as fh:
        fh.write(CERT_PEM)
    (folder / "good.pem").write_bytes(LEAF_PEM)
    return folder


def test_a_non_utf8_name_is_kept_and_shown_escaped_by_the_api(badname: Path) -> None:
    rows = _rows([str(badname)])
    assert [r[0] for r in rows] == ["ok", "ok"]
    paths = sorted(r[2] for r in rows)
    assert paths == [f"{badname}/bad\\xff.pem", f"{badname}/good.pem"]
    # read_path keeps the name losslessly: os.fsencode gives the bytes back
    found = _read_path(str(badname))
    assert [r[0] for r in found] == ["found", "found"]
    assert bytes.fromhex(found[0][1]) == os.fsencode(badname) + b"/" + BAD


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "table", "parquet"])
def test_a_non_utf8_name_does_not_stop_scan(badname: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    res = _cli("scan", str(badname), "--format", fmt, "-o", str(target), "--no-progress")
    assert res.returncode == 0, res.stderr[-2000:]
    assert "2 certificate(s)" in res.stderr
    if fmt == "parquet":
        import pandas as pd

        shown = set(pd.read_parquet(target)["source_path"])
        assert shown == {f"{badname}/bad\\xff.pem", f"{badname}/good.pem"}
    else:
        text = target.read_text(encoding="utf-8")
        assert "bad\\xff.pem" in text or "bad\\\\xff.pem" in text  # JSON escapes the backslash


def test_a_non_utf8_name_through_stream_report_and_explain(badname: Path, tmp_path: Path) -> None:
    import pandas as pd

    res = _cli("scan", str(badname), "--stream", "-o", str(tmp_path / "x.parquet"))
    assert res.returncode == 0, res.stderr[-2000:]
    assert len(pd.read_parquet(tmp_path / "x.parquet")) == 2
    assert f"{badname}/bad\\xff.pem" in set(pd.read_parquet(tmp_path / "x.parquet")["source_path"])
    res = _cli("report", str(badname), "-o", str(tmp_path / "r.html"))
    assert res.returncode == 0, res.stderr[-2000:]
    assert "bad\\xff.pem" in (tmp_path / "r.html").read_text(encoding="utf-8")
    bad = os.fsdecode(os.fsencode(badname) + b"/" + BAD)
    res = _cli("explain", bad)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "bad\\xff.pem" in res.stdout


# --------------------------------------------------------------------------- 3, 4: FIFOs, devices


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.pem"
    os.mkfifo(path)
    return path


def test_a_fifo_given_as_a_path_is_a_row_not_a_hang(fifo: Path) -> None:
    rows = _rows([str(fifo)])
    assert [(r[0], r[1], r[2]) for r in rows] == [("error", "fifo", str(fifo))]
    assert [r[0] for r in _read_path(str(fifo))] == ["fifo"]


def test_a_fifo_swapped_in_after_the_walk_is_a_row_not_a_hang(fifo: Path) -> None:
    """The walk saw a regular file; a FIFO is there when it is read (serial and in workers)."""
    code = f"""
import certlib.inventory.pipeline as inv
from certlib import sources
inv.iter_input_files = lambda paths, recursive=True: iter([({str(fifo)!r}, None)])
out = []
for workers in (1, 2):
    df = inv.read_inventory("x", workers=workers, progress=False)
    out.append([[r.status, r.error_kind, r.error] for r in df.itertuples()])
out.append([[p.kind, p.message] for p in sources._read_file({str(fifo)!r}, ())])
"""
    serial, parallel, direct = _child(code)  # type: ignore[misc]
    assert serial == parallel
    assert [r[:2] for r in serial] == [["error", "fifo"]]
    assert "FIFO" in serial[0][2]
    assert [p[0] for p in direct] == ["fifo"]


@pytest.mark.parametrize("target", ["fifo", "/dev/zero"])
def test_cli_on_a_fifo_or_a_device_gives_a_row(fifo: Path, tmp_path: Path, target: str) -> None:
    path = str(fifo) if target == "fifo" else target
    kind = "fifo" if target == "fifo" else "device"
    res = _cli("scan", path, "--format", "csv")
    assert res.returncode == 0, res.stderr[-2000:]
    assert f",{kind}," in res.stdout and "1 error row(s)" in res.stderr
    res = _cli("scan", path, "--stream", "-o", str(tmp_path / "x.parquet"))
    assert res.returncode == 0 and "1 error row(s)" in res.stderr, res.stderr[-2000:]
    res = _cli("report", path, "-o", str(tmp_path / "r.html"))
    assert res.returncode == 0 and "1 error row(s)" in res.stderr, res.stderr[-2000:]
    res = _cli("explain", path)
    assert res.returncode == 2
    assert "not a regular file" in res.stderr


def test_dev_zero_through_the_api_is_a_device_row() -> None:
    rows = _rows(["/dev/zero"])
    assert [(r[0], r[1]) for r in rows] == [("error", "device")]
    assert [r[0] for r in _read_path("/dev/zero")] == ["device"]


@pytest.mark.parametrize("what", ["/dev/zero", "fifo", "big", "missing"])
def test_a_bad_password_file_is_a_clear_cli_error(fifo: Path, tmp_path: Path, what: str) -> None:
    pw = {"/dev/zero": "/dev/zero", "fifo": str(fifo), "missing": str(tmp_path / "nope")}
    if what == "big":
        (tmp_path / "big").write_bytes(b"x" * (65 * 1024))
        pw["big"] = str(tmp_path / "big")
    for command in ("scan", "report"):
        extra = ["-o", str(tmp_path / "r.html")] if command == "report" else []
        res = _cli(command, str(SAMPLE / "root-ca.pem"), "--password-file", pw[what], *extra)
        assert res.returncode == 2, (command, res.stderr[-2000:])
        assert "password file" in res.stderr


# --------------------------------------------------------------------------- 5: size limit


def test_a_huge_sparse_file_is_one_too_large_row_fast(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    with open(big, "wb") as fh:
        fh.write(b"\x30\x82")  # looks like the start of DER
    os.truncate(big, 2 * 1024**3)
    rows = _rows([str(big)])
    assert [(r[0], r[1]) for r in rows] == [("error", "too-large")]
    assert [r[0] for r in _read_path(str(big))] == ["too-large"]
    res = _cli("scan", str(big), "--format", "csv")
    assert res.returncode == 0 and ",too-large," in res.stdout, res.stderr[-2000:]


def test_a_huge_sparse_file_starting_like_pem_is_read_fast(tmp_path: Path) -> None:
    """A PEM file over the limit is read in pieces (bundles stream); a stretch of more than
    64 MiB with no END line ends the read with a too-large row."""
    big = tmp_path / "big.pem"
    with open(big, "wb") as fh:
        fh.write(CERT_PEM + b"-----BEGIN CERTIFICATE-----\n")
    os.truncate(big, 2 * 1024**3)
    rows = _rows([str(big)])
    assert sorted((r[0], r[1]) for r in rows) == [("error", "too-large"), ("ok", None)]
    rows = _rows([str(big)], workers=2)
    assert sorted((r[0], r[1]) for r in rows) == [("error", "too-large"), ("ok", None)]


# --------------------------------------------------------------------------- 6: odd entries


@pytest.fixture
def odd_folder(tmp_path: Path):
    """A folder holding one of each thing that is not a regular file, and a linked folder."""
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.pem").write_bytes(LEAF_PEM)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "linked.pem").write_bytes(CERT_PEM)
    os.mkfifo(root / "fifo")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(root / "sock"))
    os.symlink(root / "nowhere", root / "dangling")
    os.symlink(root / "loop-b", root / "loop-a")
    os.symlink(root / "loop-a", root / "loop-b")
    os.symlink(outside, root / "linked-folder")
    os.symlink(root, root / "sub" / "up")  # leads back to the root: a loop
    yield root
    sock.close()


_ODD_KINDS = [
    "dangling-link",
    "fifo",
    "link-loop",
    "link-loop",
    "link-loop",
    "ok",
    "ok",
    "socket",
]


def test_odd_entries_in_a_folder_each_get_a_row(odd_folder: Path) -> None:
    rows = _rows([str(odd_folder)])
    assert _kinds(rows) == _ODD_KINDS
    linked = [r for r in rows if r[2].endswith("linked.pem")]
    assert [r[0] for r in linked] == ["ok"]  # a certificate in a linked folder has its row
    assert _kinds(_rows([str(odd_folder)], workers=2)) == _ODD_KINDS
    api = _read_path(str(odd_folder))
    assert sorted(r[0] for r in api) == sorted(k if k != "ok" else "found" for k in _ODD_KINDS)


def test_odd_entries_through_the_cli(odd_folder: Path, tmp_path: Path) -> None:
    res = _cli("scan", str(odd_folder), "--format", "csv")
    assert res.returncode == 0, res.stderr[-2000:]
    assert "2 certificate(s) (0 partial), 6 error row(s)" in res.stderr
    for kind in ("fifo", "socket", "dangling-link", "link-loop"):
        assert f",{kind}," in res.stdout, kind
    res = _cli("scan", str(odd_folder), "--stream", "-o", str(tmp_path / "x.parquet"))
    assert "2 certificate(s) (0 partial), 6 error row(s)" in res.stderr, res.stderr[-2000:]


def test_a_link_loop_given_as_a_path_is_a_link_loop(odd_folder: Path) -> None:
    rows = _rows([str(odd_folder / "loop-a"), str(odd_folder / "dangling")])
    assert [(r[0], r[1]) for r in rows] == [("error", "link-loop"), ("error", "dangling-link")]
    assert [r[0] for r in _read_path(str(odd_folder / "loop-a"))] == ["link-loop"]


def test_deeply_nested_folders_are_walked(tmp_path: Path) -> None:
    deep = tmp_path
    for _ in range(400):
        deep = deep / "d"
    deep.mkdir(parents=True)
    (deep / "c.pem").write_bytes(CERT_PEM)
    rows = _rows([str(tmp_path)])
    assert [(r[0], r[2].count("/d")) for r in rows] == [("ok", 400)]


# --------------------------------------------------------------------------- zip bombs, nesting


def test_zip_bombs_and_deep_nesting_each_give_a_row(tmp_path: Path) -> None:
    inner = zip_bytes({"c.pem": CERT_PEM})
    for _ in range(5):
        inner = zip_bytes({"inner.zip": inner})
    b64 = CERT_PEM
    for _ in range(12):
        b64 = base64.b64encode(b64)
    in_pem = b"-----BEGIN CERTIFICATE-----\n" + b64[:4000] + b"\n-----END CERTIFICATE-----\n"
    cases = {
        "ratio.zip": zip_bytes({"zeros.pem": b"\0" * (4 * 1024**2), "c.pem": CERT_PEM}),
        "count.zip": zip_bytes({f"m{i}.txt": b"x" for i in range(10_002)}, zipfile.ZIP_STORED),
        "total.zip": claims_huge(zip_bytes({"a.pem": CERT_PEM}, zipfile.ZIP_STORED)),
        "deep.zip": inner,
        "deep-base64.txt": b64,
        "base64-in-pem.pem": in_pem,
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    code = f"""
from certlib.inventory import read_inventory
df = read_inventory({str(tmp_path)!r}, workers=1, progress=False)
out = {{}}
for r in df.itertuples():
    name = os.path.basename(r.source_path)
    out.setdefault(name, []).append(r.error_kind if r.status == "error" else "ok")
"""
    got = _child(code)
    assert isinstance(got, dict) and sorted(got) == sorted(cases)
    assert "zip-limit" in got["ratio.zip"] and "ok" in got["ratio.zip"]
    assert got["count.zip"].count("zip-limit") == 1
    assert "zip-limit" in got["total.zip"]
    assert got["deep.zip"] == ["zip-limit"]
    assert got["deep-base64.txt"] == ["not-a-certificate"]  # not unwrapped: one row
    assert got["base64-in-pem.pem"] and "ok" not in got["base64-in-pem.pem"]


# --------------------------------------------------------------------------- seeded fuzz


def test_fuzzed_sample_files_never_raise_and_every_file_has_a_row(tmp_path: Path) -> None:
    """Mutated sample files (flipped bytes, cuts, splices, repeats): ``read_bytes`` never
    raises, and ``read_inventory`` names every file in some row."""
    code = f"""
import random
from pathlib import Path
from certlib.inventory import read_inventory
from certlib.sources import read_bytes
rng = random.Random(11)
samples = sorted(p for p in Path({str(SAMPLE)!r}).iterdir() if p.is_file())
folder = Path({str(tmp_path)!r})
n = 0
for round in range(3):
    for p in samples:
        data = bytearray(p.read_bytes())
        how = rng.choice(["flip", "cut", "splice", "repeat", "zero"])
        if how == "flip" and data:
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif how == "cut":
            data = data[: rng.randrange(len(data) + 1)]
        elif how == "splice":
            other = rng.choice(samples).read_bytes()
            at = rng.randrange(len(data) + 1)
            data = data[:at] + other[rng.randrange(len(other) + 1):]
        elif how == "repeat":
            data = data * rng.randint(2, 4)
        else:
            at = rng.randrange(len(data) + 1)
            data[at:at + 64] = bytes(64)
        found, problems = read_bytes(bytes(data), p.name, passwords=["certlib-demo"])
        assert found or problems, (p.name, how)
        (folder / f"{{round}}-{{how}}-{{p.name}}").write_bytes(bytes(data))
        n += 1
df = read_inventory(folder, passwords=["certlib-demo"], workers=1, progress=False)
named = {{f for files in df["source_files"] for f in files}}
out = [n, len(list(folder.iterdir())), len(named), sorted(set(map(str, folder.iterdir())) - named)]
"""
    n, listed, named, missing = _child(code, timeout=120)  # type: ignore[misc]
    assert n == listed == named >= 80
    assert missing == []
