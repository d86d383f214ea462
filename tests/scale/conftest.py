"""The scale tests' shared pieces: one 2-process LocalCluster per module, the corpora, and the
one comparison every test makes (a computed Dask frame against ``read_inventory``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

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


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """Two worker processes of one thread each, for the module (the client is the default
    scheduler while it lives)."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
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


def _leaf(cn: str) -> CertSpec:
    return CertSpec(common_name=cn, sans=(f"DNS:{cn}",), eku=(SERVER_AUTH,))


@pytest.fixture(scope="session")
def forged_corpus(tmp_path_factory) -> Path:
    """≥ 20,000 seeded leaves in the first partitions, their 40 intermediates (one of them a
    CA with a SAN that issues, another one that issues nothing: ``ca-as-leaf``) and two roots
    in files after them; one partition of duplicates of earlier leaves between the
    intermediates and the roots. Forged once per session."""
    d = tmp_path_factory.mktemp("scale-forged")
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
