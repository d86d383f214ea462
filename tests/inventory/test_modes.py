"""The same answers in memory and streamed, whatever the chunking.

One corpus (the sample inventory, a forged pile of chains with varied key types, damaged CA
copies, SHA-1 roots and the certifi bundle) goes through every way of taking an inventory:
``read_inventory`` (one worker with chunks of 1, 7 and the default size, and a pool of two),
``stream_inventory`` read back with ``load_inventory`` (same chunk sizes, row groups of 1, 7
and the default, and a pool of two), a Parquet round trip of the in-memory frame, and the
CLI with and without ``--stream`` (in bounded child processes). Every frame must equal the
reference one column by column, dtype by dtype (``pandas.testing.assert_frame_equal``).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import certifi
import pandas as pd
import pytest
from bounded import run_cli

from certlib import read_inventory
from certlib.cert.forge import CertSpec, forge
from certlib.inventory import load_inventory, write_inventory
from certlib.inventory import pool as inventory_pool
from certlib.inventory.stream import stream_inventory

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-inventory"
PASSWORD = "certlib-demo"
AT = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
SEED = "inventory-modes"
KEY_TYPES = ("ec", "ec384", "rsa", "rsa1024", "ed25519")


def _ca(cn: str, **kw) -> CertSpec:
    return CertSpec(common_name=cn, ca=True, key_usage=frozenset({"key_cert_sign"}), **kw)


def _leaf(cn: str, **kw) -> CertSpec:
    kw.setdefault("sans", (f"DNS:{cn}",))
    return CertSpec(common_name=cn, eku=("1.3.6.1.5.5.7.3.1",), **kw)


def _damage_version(der: bytes) -> bytes:
    i = der.index(b"\xa0\x03\x02\x01\x02")
    return der[: i + 4] + b"\x07" + der[i + 5 :]


def _forged(d: Path) -> None:
    """Chains with varied key types and signature hashes, CAs used as leaves, duplicates."""
    d.mkdir()
    root = forge(_ca("Modes Root", key_type="rsa"), seed=SEED)
    (d / "root.pem").write_bytes(root.pem)
    for kt in KEY_TYPES:
        ica = forge(_ca(f"Modes {kt} CA", key_type=kt), root, seed=SEED)
        (d / f"ica-{kt}.pem").write_bytes(ica.pem)
        for i, leaf_kt in enumerate(KEY_TYPES):
            h = "sha256" if kt == "ed25519" else ("sha384", "sha512", "sha256")[i % 3]
            spec = _leaf(f"{leaf_kt}.{kt}.modes.test", key_type=leaf_kt, signature_hash=h)
            (d / f"leaf-{kt}-{leaf_kt}.pem").write_bytes(forge(spec, ica, seed=SEED).pem)
    lone = forge(_ca("Modes Lone Root", sans=("email:ca@modes.test",)), seed=SEED)
    (d / "lone.pem").write_bytes(lone.pem)
    (d / "lone-copy.cer").write_bytes(lone.der)  # one row, two files
    caleaf = forge(_ca("caleaf.modes.test", sans=("DNS:caleaf.modes.test",)), root, seed=SEED)
    (d / "caleaf.pem").write_bytes(caleaf.pem)
    (d / "garbage.pem").write_bytes(
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    )


def _damaged(d: Path) -> None:
    """Damaged CA copies: one alone with its leaves, one next to an intact copy, one
    intermediate between an intact root and its leaf."""
    d.mkdir()
    for n, intact in (("alone", False), ("twin", True)):
        ca = forge(_ca(f"Damaged {n} CA"), seed=SEED)
        (d / f"ca-{n}.der").write_bytes(_damage_version(ca.der))
        if intact:
            (d / f"ca-{n}.pem").write_bytes(ca.pem)
        for i in range(3):
            (d / f"{n}-{i}.pem").write_bytes(forge(_leaf(f"{n}{i}.dmg.test"), ca, seed=SEED).pem)
    root = forge(_ca("Damaged Chain Root"), seed=SEED)
    ica = forge(_ca("Damaged Chain ICA"), root, seed=SEED)
    (d / "chain-root.pem").write_bytes(root.pem)
    (d / "chain-ica.der").write_bytes(_damage_version(ica.der))
    (d / "chain-leaf.pem").write_bytes(forge(_leaf("under.dmg.test"), ica, seed=SEED).pem)


def _sha1(d: Path) -> None:
    """The certifi bundle (SHA-1 roots, roots with e-mail/DirName SANs) and a forged SHA-1
    chain."""
    d.mkdir()
    shutil.copyfile(certifi.where(), d / "cacert.pem")
    for kt in ("rsa", "ec"):
        root = forge(_ca(f"Modes SHA-1 {kt}", key_type=kt, signature_hash="sha1"), seed=SEED)
        leaf = forge(_leaf(f"sha1.{kt}.modes.test"), root, seed=SEED)
        (d / f"sha1-{kt}.pem").write_bytes(root.pem + leaf.pem)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    top = tmp_path_factory.mktemp("modes")
    shutil.copytree(SAMPLE, top / "sample")
    _forged(top / "forged")
    _damaged(top / "damaged")
    _sha1(top / "sha1")
    return top


@pytest.fixture(scope="module")
def reference(corpus: Path) -> pd.DataFrame:
    df = read_inventory(corpus, passwords=[PASSWORD], at=AT, workers=1)
    return df


@contextmanager
def _chunks(size: int | None) -> Iterator[None]:
    """Chunks of ``size`` certificates (None: the default sizing)."""
    old = inventory_pool._CHUNK, inventory_pool._CHUNK_MAX
    if size is not None:
        inventory_pool._CHUNK = inventory_pool._CHUNK_MAX = size
    try:
        yield
    finally:
        inventory_pool._CHUNK, inventory_pool._CHUNK_MAX = old


def _memory(size: int | None, workers: int = 1) -> Callable[[Path, Path], pd.DataFrame]:
    def run(corpus: Path, _tmp: Path) -> pd.DataFrame:
        with _chunks(size):
            return read_inventory(corpus, passwords=[PASSWORD], at=AT, workers=workers)

    return run


def _streamed(
    size: int | None, group: int | None, workers: int = 1
) -> Callable[[Path, Path], pd.DataFrame]:
    def run(corpus: Path, tmp: Path) -> pd.DataFrame:
        out = tmp / "streamed.parquet"
        extra = {} if group is None else {"rows_per_group": group}
        with _chunks(size):
            stream_inventory(corpus, out, passwords=[PASSWORD], at=AT, workers=workers, **extra)
        return load_inventory(out)

    return run


def _round_trip(corpus: Path, tmp: Path) -> pd.DataFrame:
    df = read_inventory(corpus, passwords=[PASSWORD], at=AT, workers=1)
    return load_inventory(write_inventory(df, tmp / "memory.parquet"))


def _cli(*extra: str) -> Callable[[Path, Path], pd.DataFrame]:
    def run(corpus: Path, tmp: Path) -> pd.DataFrame:
        out = tmp / "cli.parquet"
        res = run_cli(
            "scan",
            str(corpus),
            "--password",
            PASSWORD,
            "--at",
            AT.isoformat(),
            "--format",
            "parquet",
            "-o",
            str(out),
            *extra,
            timeout=180,
        )
        assert not res.timed_out and res.returncode in (0, 1), res.stderr
        return load_inventory(out)

    return run


MODES: dict[str, Callable[[Path, Path], pd.DataFrame]] = {
    "memory-chunk-1": _memory(1),
    "memory-chunk-7": _memory(7),
    "memory-chunk-7-two-workers": _memory(7, workers=2),
    "parquet-round-trip": _round_trip,
    "stream-chunk-1-group-1": _streamed(1, 1),
    "stream-chunk-7-group-7": _streamed(7, 7),
    "stream-chunk-7-two-workers": _streamed(7, 100, workers=2),
    "stream-default": _streamed(None, None),
    "cli-parquet": _cli(),
    "cli-stream": _cli("--stream"),
}


def test_reference_covers_every_corpus(reference: pd.DataFrame) -> None:
    ok = reference[reference["status"] != "error"]
    assert len(ok) >= 117 + 30  # certifi's roots and the forged pile, at least
    assert (ok["signature_hash"] == "sha1").sum() >= 3
    assert ok["public_key_algorithm"].nunique() >= 3
    assert reference["findings"].map(lambda v: "issuer-unusable" in v).sum() == 4
    assert reference["findings"].map(lambda v: "ca-as-leaf" in v).sum() >= 4
    assert set(reference["error_kind"].dropna()) >= {"corrupt"}
    assert reference["chain_sha256"].map(len).max() >= 2


@pytest.mark.parametrize("mode", list(MODES))
def test_every_mode_gives_the_reference_frame(
    mode: str, corpus: Path, reference: pd.DataFrame, tmp_path: Path
) -> None:
    df = MODES[mode](corpus, tmp_path)
    assert len(df) == len(reference)
    pd.testing.assert_frame_equal(df, reference)
    assert df.attrs["profile"] == reference.attrs["profile"]
    assert pd.Timestamp(df.attrs["at"]) == pd.Timestamp(reference.attrs["at"])
