"""What the Dask tests share (``tests/scale/``, ``tests/cli/test_cluster.py``): a 2-process
LocalCluster, the corpora they compare on, and the one comparison every test makes (a computed
Dask frame against ``read_inventory``)."""

from __future__ import annotations

import base64
import datetime as dt
import os
import shutil
import socket
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import certifi
import pandas as pd
from builders import claims_huge, zip_bytes
from distributed.diagnostics.plugin import WorkerPlugin

from certlib.cert.forge import CertSpec, forge

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-inventory"
PASSWORD = "certlib-demo"
AT = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
SEED = "scale"
SERVER_AUTH = "1.3.6.1.5.5.7.3.1"

#: The forged corpus: leaves in LEAF_FILES files of LEAVES_PER_FILE, read FILES_PER_PART files
#: per partition; issuers in files after every leaf, in partitions of their own.
LEAF_FILES, LEAVES_PER_FILE, FILES_PER_PART = 200, 100, 25
N_ICAS = 40


@contextmanager
def two_workers() -> Iterator[object]:
    """A client on two worker processes of one thread each (the default scheduler while it
    lives)."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # a free port: never collides with another cluster
            memory_limit="2GiB",
        ) as lc,
        Client(lc) as client,
    ):
        yield client


def canonical(df: pd.DataFrame) -> pd.DataFrame:
    """Rows in one order whatever produced them: by SHA-256, then (error rows) by where and
    why."""
    key = (
        df["sha256"].fillna("~").astype(str)
        + "|"
        + df["source_path"].fillna("").astype(str)
        + "|"
        + df["sources"].map(repr)
        + "|"
        + df["error"].fillna("").astype(str)
    )
    return df.iloc[key.argsort(kind="stable").to_numpy()].reset_index(drop=True)


def assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Equal frames after sorting: every column, dtype (categories included) and ``attrs``."""
    assert len(got) == len(want)
    assert got.attrs == want.attrs
    pd.testing.assert_frame_equal(canonical(got), canonical(want))


def _ca(cn: str, **kw) -> CertSpec:
    return CertSpec(common_name=cn, ca=True, key_usage=frozenset({"key_cert_sign"}), **kw)


def _leaf(cn: str, **kw) -> CertSpec:
    return CertSpec(common_name=cn, sans=(f"DNS:{cn}",), eku=(SERVER_AUTH,), **kw)


def forged_corpus(d: Path) -> Path:
    """≥ 20,000 seeded leaves in the first partitions, their 40 intermediates (one of them a
    CA with a SAN that issues, and a CA with a SAN that issues nothing: ``ca-as-leaf``) and two
    roots in files after them; one partition of duplicates of earlier leaves between the
    intermediates and the roots."""
    roots = [forge(_ca(f"Scale Root {i}"), seed=SEED) for i in range(2)]
    icas = []
    for i in range(N_ICAS):
        sans = ("DNS:issuing-ca.scale.test",) if i == 0 else ()
        icas.append(forge(_ca(f"Scale ICA {i}", sans=sans), roots[i % 2], seed=SEED))
    lone = forge(_ca("lone.scale.test", sans=("DNS:lone.scale.test",)), roots[0], seed=SEED)
    leaves: list[bytes] = []
    for f in range(LEAF_FILES):
        pem = b""
        for j in range(LEAVES_PER_FILE):
            n = f * LEAVES_PER_FILE + j
            cert = forge(_leaf(f"h{n}.scale.test"), icas[n % N_ICAS], seed=SEED)
            pem += cert.pem
            if j == 0:
                leaves.append(cert.pem)
        (d / f"a-leaves-{f:04d}.pem").write_bytes(pem)
    (d / "b-icas.pem").write_bytes(b"".join(c.pem for c in [*icas, lone]))
    for k in range(FILES_PER_PART - 1):  # the rest of the intermediates' partition
        (d / f"c-dup-{k:04d}.pem").write_bytes(leaves[k * 7 % len(leaves)])
    (d / "d-roots.pem").write_bytes(b"".join(r.pem for r in roots))
    return d


def forged_pile(d: Path, files: int, per_file: int = LEAVES_PER_FILE) -> Path:
    """``files`` PEM files of ``per_file`` seeded leaves under four intermediates of one root,
    the CAs in a last file: a pile whose size alone changes with ``files``."""
    root = forge(_ca("Pile Root"), seed=SEED)
    icas = [forge(_ca(f"Pile ICA {i}"), root, seed=SEED) for i in range(4)]
    for f in range(files):
        pem = b"".join(
            forge(_leaf(f"p{f}-{j}.pile.test"), icas[j % 4], seed=SEED).pem for j in range(per_file)
        )
        (d / f"a-{f:05d}.pem").write_bytes(pem)
    (d / "z-cas.pem").write_bytes(b"".join(c.pem for c in [*icas, root]))
    return d


class PeakManaged(WorkerPlugin):
    """A Dask worker plugin: the peak of the worker's managed memory (the bytes of the task
    results it holds, ``worker.state.nbytes``), checked at every task transition."""

    name = "certlib-peak-managed"

    def setup(self, worker) -> None:
        self.worker = worker
        self.peak = 0
        self.judged = 0

    def transition(self, key, start: str, finish: str, **kw) -> None:
        self.peak = max(self.peak, self.worker.state.nbytes)
        if (start, finish) == ("executing", "memory") and "judged_" in str(key):
            self.judged += 1


def peaks(client, reset: bool = False) -> dict[str, tuple[int, int]]:
    """Each worker's (peak managed bytes, judged partitions) since the last reset."""

    def read(dask_worker) -> tuple[int, int]:
        plugin = dask_worker.plugins[PeakManaged.name]
        got = (plugin.peak, plugin.judged)
        if reset:
            plugin.peak, plugin.judged = dask_worker.state.nbytes, 0
        return got

    return client.run(read)


def _damage_version(der: bytes) -> bytes:
    i = der.index(b"\xa0\x03\x02\x01\x02")
    return der[: i + 4] + b"\x07" + der[i + 5 :]


@contextmanager
def hostile_corpus(top: Path) -> Iterator[Path]:
    """The sample, certifi's bundle (SHA-1 roots, roots with SANs), damaged CA copies (alone,
    beside an intact twin, between a root and its leaf), a SHA-1 chain, ``ca-as-leaf``
    candidates and the odd entries of a hostile export: a FIFO, a socket, a dangling link, a
    link loop, a non-UTF-8 name, zip bombs, an empty file, garbage, deep base64."""
    shutil.copytree(SAMPLE, top / "sample")
    cert_pem = (SAMPLE / "root-ca.pem").read_bytes()
    piles = top / "piles"
    piles.mkdir()
    shutil.copyfile(certifi.where(), piles / "cacert.pem")
    root = forge(_ca("Hostile Root"), seed=SEED)
    (piles / "root.pem").write_bytes(root.pem)
    for n, intact in (("alone", False), ("twin", True)):
        ca = forge(_ca(f"Damaged {n} CA"), seed=SEED)
        (piles / f"ca-{n}.der").write_bytes(_damage_version(ca.der))
        if intact:
            (piles / f"ca-{n}.pem").write_bytes(ca.pem)
        for i in range(3):
            leaf = forge(_leaf(f"{n}{i}.dmg.test"), ca, seed=SEED)
            (piles / f"{n}-{i}.pem").write_bytes(leaf.pem)
    ica = forge(_ca("Damaged Chain ICA"), root, seed=SEED)
    (piles / "chain-ica.der").write_bytes(_damage_version(ica.der))
    (piles / "chain-leaf.pem").write_bytes(forge(_leaf("under.dmg.test"), ica, seed=SEED).pem)
    sha1 = forge(_ca("Hostile SHA-1 Root", signature_hash="sha1"), seed=SEED)
    (piles / "sha1.pem").write_bytes(sha1.pem + forge(_leaf("sha1.test"), sha1, seed=SEED).pem)
    lone = forge(_ca("Lone Root", sans=("email:ca@hostile.test",)), seed=SEED)
    (piles / "lone.pem").write_bytes(lone.pem)
    (piles / "lone-copy.cer").write_bytes(lone.der)  # one row, two files
    caleaf = forge(_ca("caleaf.hostile.test", sans=("DNS:caleaf.hostile.test",)), root, seed=SEED)
    (piles / "caleaf.pem").write_bytes(caleaf.pem)
    odd = top / "odd"
    odd.mkdir()
    os.mkfifo(odd / "fifo")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(odd / "sock"))
    os.symlink(odd / "nowhere", odd / "dangling")
    os.symlink(odd / "loop-b", odd / "loop-a")
    os.symlink(odd / "loop-a", odd / "loop-b")
    with open(os.fsencode(odd) + b"/bad\xff.pem", "wb") as fh:
        fh.write(cert_pem)
    (odd / "ratio.zip").write_bytes(
        zip_bytes({"zeros.pem": b"\0" * (4 * 1024**2), "c.pem": cert_pem})
    )
    (odd / "total.zip").write_bytes(claims_huge(zip_bytes({"a.pem": cert_pem}, zipfile.ZIP_STORED)))
    (odd / "empty.pem").write_bytes(b"")
    (odd / "garbage.pem").write_bytes(
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    )
    b64 = cert_pem
    for _ in range(6):
        b64 = base64.b64encode(b64)
    (odd / "deep-base64.txt").write_bytes(b64)
    try:
        yield top
    finally:
        sock.close()
