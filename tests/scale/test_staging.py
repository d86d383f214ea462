"""The staging store (:mod:`certlib.scale.staging`): atomic files a rerun rewrites, buckets read
one at a time, a folder removed with the collection that owns it, and never a password or a
private key in it."""

from __future__ import annotations

import gc
import pickle
import tempfile
from pathlib import Path

import dask
import pandas as pd
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.serialization import pkcs12
from scaled import AT, PASSWORD, SAMPLE, assert_same

from certlib.inventory import read_inventory
from certlib.scale import dask_staging, read_inventory_dask
from certlib.scale.inputs import list_inputs, partitions
from certlib.scale.staging import PREFIX, Store, remove


def _stores(where: Path) -> list[Path]:
    return sorted(where.glob(f"{PREFIX}*"))


def test_files_are_atomic_and_a_rerun_rewrites_them(tmp_path: Path) -> None:
    store = Store.create(tmp_path)
    (folder,) = _stores(tmp_path)
    frame = pd.DataFrame({"a": [1, 2], "b": [b"x", None]})
    for _ in range(2):  # a task Dask reruns writes the same file again
        store.put("distinct/000003", frame)
    pd.testing.assert_frame_equal(store.get("distinct/000003"), frame)
    assert [p.name for p in (folder / "distinct").iterdir()] == ["000003"]  # no temp left
    store.put_buckets("read/000000", {0: "zero", 5: frame, 2: [b"two"]})
    assert store.get_bucket("read/000000", 5).equals(frame)
    assert store.get_bucket("read/000000", 2) == [b"two"]
    assert store.get_bucket("read/000000", 1) is None
    copy = pickle.loads(pickle.dumps(store))  # what a worker gets: the URL, not the folder
    assert copy.url == store.url and copy.get_bucket("read/000000", 0) == "zero"
    del copy
    gc.collect()
    assert folder.is_dir()  # a copy never removes it
    store.cleanup()
    assert not folder.exists() and tmp_path.is_dir()  # the caller's folder stays
    remove(str(folder))  # gone already: nothing raised


def test_a_scan_stages_in_its_own_folder_removed_with_the_collection(tmp_path: Path) -> None:
    """A staging folder the caller names gets a subfolder of the run; a derived collection
    keeps it; it goes when no collection holds it. ``staging=None``: a temporary folder."""
    want = read_inventory(SAMPLE, passwords=[PASSWORD], at=AT, workers=1)
    mine = tmp_path / "stage"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine")
    with dask.config.set(scheduler="threads"):
        ddf = read_inventory_dask(
            SAMPLE, passwords=[PASSWORD], at=AT, partition_size=6, staging=mine
        )
        (run,) = _stores(mine)
        derived = ddf[ddf["status"] != "error"]
        del ddf
        gc.collect()
        assert run.is_dir()
        got = derived.compute()
        staged = sorted(p.relative_to(run).parts[0] for p in run.rglob("*") if p.is_file())
        assert set(staged) == {"read", "errors", "distinct", "packs", "judged", "typed-errors"}
        reads = len(partitions(list_inputs([SAMPLE]), 6))
        assert reads == 5 and staged.count("read") == reads  # one file per read partition
        assert staged.count("distinct") == staged.count("judged") == reads
        del derived
        gc.collect()
    assert not run.exists() and (mine / "keep.txt").read_text() == "mine"
    assert_same(got, want[want["status"] != "error"])
    before = set(Path(tempfile.gettempdir()).glob(f"{PREFIX}*"))
    with dask.config.set(scheduler="threads"):
        ddf = read_inventory_dask(SAMPLE, at=AT, partition_size=6, exact_categories=False)
        (tmp,) = set(Path(tempfile.gettempdir()).glob(f"{PREFIX}*")) - before
        assert len(ddf.compute()) == len(read_inventory(SAMPLE, at=AT, workers=1))
    del ddf
    gc.collect()
    assert not tmp.exists()


def test_a_store_the_caller_owns_goes_when_its_block_ends(tmp_path: Path) -> None:
    """``with dask_staging(...)``: the scan stages in that store, and the folder goes when the
    block ends although the collection (and its graph) is still alive."""
    before = set(Path(tempfile.gettempdir()).glob(f"{PREFIX}*"))
    with dask.config.set(scheduler="threads"):
        with dask_staging(tmp_path) as store:
            (run,) = _stores(tmp_path)
            assert store.url == str(run)
            ddf = read_inventory_dask(SAMPLE, at=AT, partition_size=6, staging=store)
            got = ddf.compute()
            assert len(list(run.rglob("*"))) > 5  # the partitions waited in this store
        assert not run.exists() and tmp_path.is_dir()
    assert ddf.npartitions > 1  # still alive: the block, not the collector, removed the folder
    assert set(Path(tempfile.gettempdir()).glob(f"{PREFIX}*")) == before  # no other store
    assert len(got) == len(read_inventory(SAMPLE, at=AT, workers=1)) > 10


def test_a_store_on_an_fsspec_url_stages_there_and_is_removed(tmp_path: Path) -> None:
    """A URL store (what a cluster uses: ``s3://…``; here ``memory://`` with the threaded
    scheduler, and ``file://``) goes through fsspec for every file and for its removal."""
    import fsspec

    want = read_inventory(SAMPLE, passwords=[PASSWORD], at=AT, workers=1)
    mem = fsspec.filesystem("memory")
    for base, fs, root in (
        ("memory://certlib-stage", mem, "/certlib-stage"),
        (tmp_path.as_uri(), fsspec.filesystem("file"), str(tmp_path)),
    ):
        with dask.config.set(scheduler="threads"), dask_staging(base) as store:
            (run,) = [p for p in fs.ls(root, detail=False) if PREFIX in p]
            assert store.url.startswith(base) and store.url.endswith(run.rsplit("/", 1)[1])
            got = read_inventory_dask(
                SAMPLE, passwords=[PASSWORD], at=AT, partition_size=6, staging=store
            ).compute()
            staged = [p for p in fs.find(run) if "/judged/" in p]
            assert len(staged) == 5  # one judged partition per read partition
        assert not fs.exists(run)
        assert_same(got, want)


def test_staging_holds_no_password_and_no_private_key(tmp_path: Path) -> None:
    """A PKCS#12 scanned with its password: neither the password nor the private key (in any
    DER form) is in any staged file; the certificate is."""
    pfx = (SAMPLE / "iis-www.pfx").read_bytes()
    key, cert, _extra = pkcs12.load_key_and_certificates(pfx, PASSWORD.encode())
    assert key is not None and cert is not None
    secrets = [PASSWORD.encode(), PASSWORD.encode("utf-16-le")]
    for fmt in (ser.PrivateFormat.PKCS8, ser.PrivateFormat.TraditionalOpenSSL):
        secrets.append(key.private_bytes(ser.Encoding.DER, fmt, ser.NoEncryption()))
    pile = tmp_path / "pile"
    pile.mkdir()
    (pile / "iis-www.pfx").write_bytes(pfx)
    stage = tmp_path / "stage"
    stage.mkdir()
    with dask.config.set(scheduler="threads"):
        ddf = read_inventory_dask(pile, passwords=[PASSWORD], at=AT, staging=stage)
        got = ddf.compute()
    assert len(got) == 3 and got["has_private_key"].sum() == 1  # the key was seen, with its leaf
    files = [p for p in stage.rglob("*") if p.is_file()]
    assert len(files) == 6  # read, errors, distinct, packs, judged, typed-errors: one each
    blob = b"".join(p.read_bytes() for p in files)
    assert cert.public_bytes(ser.Encoding.DER) in blob  # what staging is for
    assert [s for s in secrets if s in blob] == []
    del ddf
