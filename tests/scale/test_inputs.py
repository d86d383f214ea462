"""What a Dask scan reads (:mod:`certlib.scale.inputs`): fsspec URLs, passwords that no task
graph shows, and ``import certlib`` without Dask."""

from __future__ import annotations

import subprocess
import sys

from scaled import AT, PASSWORD, SAMPLE

from certlib.inventory import read_inventory
from certlib.scale import read_inventory_dask
from certlib.scale.inputs import Secret


def test_memory_urls_are_read_as_files() -> None:
    """fsspec URLs, read with the threaded scheduler (``memory://`` is per process)."""
    import dask
    import fsspec

    fs = fsspec.filesystem("memory")
    names = sorted(p.name for p in SAMPLE.iterdir() if p.is_file())
    for name in names:
        fs.pipe(f"/scale-sample/{name}", (SAMPLE / name).read_bytes())
    with dask.config.set(scheduler="threads"):
        got = read_inventory_dask(
            "memory://scale-sample/*", passwords=[PASSWORD], at=AT, partition_size=4
        ).compute()
    want = read_inventory(SAMPLE, passwords=[PASSWORD], at=AT, workers=1)
    assert sorted(got["sha256"].dropna()) == sorted(want["sha256"].dropna())
    assert len(got) == len(want) and len(names) >= 10
    assert all(p.startswith("memory://scale-sample/") for p in got["source_path"])
    cols = ["sha256", "tls_server", "code_signing", "findings", "chain_sha256"]
    g = got.dropna(subset=["sha256"]).sort_values("sha256")[cols].reset_index(drop=True)
    w = want.dropna(subset=["sha256"]).sort_values("sha256")[cols].reset_index(drop=True)
    assert g.equals(w)


def test_passwords_are_in_no_graph_key_or_repr() -> None:
    import dask

    secret = "Sc4le-s3cret-pw"
    ddf = read_inventory_dask(SAMPLE, passwords=[secret, PASSWORD], at=AT, partition_size=4)
    graph = dict(ddf.__dask_graph__())
    text = repr(graph) + repr(list(graph)) + str(ddf.expr) + repr(ddf)
    assert len(graph) > 50
    for shown in (secret, secret.encode().hex(), PASSWORD, dask.base.tokenize(secret)):
        assert shown not in text
    s = Secret([secret.encode()])
    assert secret not in repr(s) + str(s) and dask.base.tokenize(s) != dask.base.tokenize(secret)
    assert Secret([b"x"]).__dask_tokenize__() != Secret([b"x"]).__dask_tokenize__()


def test_import_certlib_does_not_import_dask() -> None:
    code = "import sys, certlib; certlib.read_inventory; print('dask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
