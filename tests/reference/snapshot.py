"""Behaviour snapshot: what the inventory and the profiles say today, stored to catch any change.

The safety net for moving code around (issue 14): a refactor must not change one cell. Three
things are built and compared with what ``tests/data/snapshot/`` holds:

* ``sample.parquet``: the inventory frame of ``data/sample-inventory`` (password
  ``certlib-demo``, fixed ``at``);
* ``forged.parquet``: the inventory frame of a seeded forged corpus (a few thousand
  certificates: chains with varied EKU/KU/BC/key types, self-signed ones, orphans whose issuer
  is missing, a same-name CA with another key, broken files), read by ``read_inventory`` with
  two workers so that the worker path (pickling by module path) is covered; its ``der`` column is
  stored as the SHA-256 of the bytes to keep the file small;
* ``grid.json.gz``: every forged certificate judged alone under the five profiles and six
  purposes: outcome and the rule codes of its reasons, in order.

``tests/project/test_snapshot.py`` rebuilds all three and compares. Regenerate with
``python tests/reference/snapshot.py --write`` only when a change of behaviour is intended, and say
so (and why) in the commit message; a refactor never regenerates.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import hashlib
import json
import os
import random
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "tests" / "data" / "snapshot"
SAMPLE = ROOT / "data" / "sample-inventory"
PASSWORD = "certlib-demo"
AT = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
#: Leaves of the forged corpus (plus its CAs, broken files and orphans).
LEAVES = 3000
SEED = "snapshot-14"

_EKUS = (
    "1.3.6.1.5.5.7.3.1",  # serverAuth
    "1.3.6.1.5.5.7.3.2",  # clientAuth
    "1.3.6.1.5.5.7.3.3",  # codeSigning
    "1.3.6.1.5.5.7.3.4",  # emailProtection
    "1.3.6.1.5.5.7.3.8",  # timeStamping
    "1.3.6.1.5.5.7.3.9",  # OCSPSigning
    "2.5.29.37.0",  # anyExtendedKeyUsage
    "1.3.6.1.4.1.311.10.3.3",  # MS SGC
    "1.3.6.1.5.5.7.3.17",  # ipsecIKE
)
_KU = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
)
_NS = ("ssl_client", "ssl_server", "smime", "object_signing", "ssl_ca")
#: RSA keys are slow to derive: RSA leaves share a handful of subject names (one key each).
_KEYS = ("ec", "ec", "ec", "ec384", "ed25519", "rsa", "rsa1024")


def _ca_specs() -> list[tuple[str, Any, str | None]]:
    """(label, spec, issuer label): roots, intermediates good and bad, a same-name twin."""
    from certlib.cert.forge import CertSpec

    cs = frozenset({"key_cert_sign", "crl_sign"})
    org = (("O", "Snapshot"),)
    root = CertSpec(
        common_name="Snap Root EC", subject=org, ca=True, key_usage=cs, validity_days=7300
    )
    root_rsa = replace(root, common_name="Snap Root RSA", key_type="rsa")
    root_ed = replace(root, common_name="Snap Root Ed", key_type="ed25519")
    ica = replace(root, common_name="Snap ICA", path_length=0, validity_days=3650)
    return [
        ("root", root, None),
        ("root_rsa", root_rsa, None),
        ("root_ed", root_ed, None),
        ("ica", ica, "root"),
        ("ica_rsa", replace(ica, common_name="Snap ICA RSA", key_type="rsa"), "root_rsa"),
        ("ica_ed", replace(ica, common_name="Snap ICA Ed"), "root_ed"),
        ("ica_srv", replace(ica, common_name="Snap ICA TLS", eku=(_EKUS[0],)), "root"),
        ("ica_email", replace(ica, common_name="Snap ICA Mail", eku=(_EKUS[3], _EKUS[1])), "root"),
        ("ica_noku", replace(ica, common_name="Snap ICA NoKU", key_usage=None), "root"),
        (
            "ica_nosign",
            replace(ica, common_name="Snap ICA NoSign", key_usage=frozenset({"crl_sign"})),
            "root",
        ),
        ("ica_notca", replace(ica, common_name="Snap ICA NotCA", ca=False), "root"),
        ("ica_nobc", replace(ica, common_name="Snap ICA NoBC", ca=None), "root"),
        ("ica_bcnc", replace(ica, common_name="Snap ICA BCnc", bc_critical=False), "root"),
        (
            "ica_expired",
            replace(
                ica,
                common_name="Snap ICA Old",
                not_before=dt.datetime(2015, 1, 1, tzinfo=dt.UTC),
                validity_days=1000,
            ),
            "root",
        ),
        ("ica_twin", replace(ica, common_name="Snap ICA", key_label="twin"), "root"),
        ("ica_deep", replace(ica, common_name="Snap ICA Deep", path_length=None), "ica"),
        (
            "ica_v1",
            replace(
                ica, common_name="Snap ICA v1", version=1, ca=None, path_length=None, key_usage=None
            ),
            "root",
        ),
        ("orphan_ca", replace(ica, common_name="Snap Missing CA"), "root"),
    ]


def _leaf_spec(rng: random.Random, i: int) -> Any:
    from certlib.cert.forge import CertSpec

    key = rng.choice(_KEYS)
    name = f"rsa{i % 6}.snap.example" if key.startswith("rsa") else f"h{i}.snap.example"
    r = rng.random()
    eku: tuple[str, ...] | None
    if r < 0.12:
        eku = None
    elif r < 0.15:
        eku = ()
    else:
        eku = tuple(rng.sample(_EKUS, rng.choice((1, 1, 1, 2, 2, 3))))
    r = rng.random()
    ku: frozenset[str] | None
    if r < 0.15:
        ku = None
    elif r < 0.18:
        ku = frozenset()
    else:
        ku = frozenset(rng.sample(_KU, rng.choice((1, 1, 2, 2, 3))))
    sans = rng.choice(
        (
            (f"DNS:{name}",),
            (),
            (f"DNS:{name}", f"DNS:*.{name}", "IP:192.0.2.7"),
            ("email:someone@snap.example",),
        )
    )
    spec = CertSpec(
        common_name=name,
        subject=(("O", "Snapshot"),) if rng.random() < 0.5 else (),
        sans=sans,
        key_type=key,
        eku=eku,
        eku_critical=rng.random() < 0.15,
        key_usage=ku,
        ku_critical=rng.random() < 0.8,
        ca=rng.choice((False, False, False, None, True)),
        path_length=rng.choice((None, None, 0)) if rng.random() < 0.2 else None,
        bc_critical=rng.random() < 0.7,
        ns_cert_type=frozenset(rng.sample(_NS, 2)) if rng.random() < 0.08 else None,
        not_before=dt.datetime(2022 + rng.randrange(5), 1 + rng.randrange(12), 1, tzinfo=dt.UTC),
        validity_days=rng.choice((30, 90, 398, 825, 3650)),
        signature_hash="sha1" if rng.random() < 0.05 else "sha256",
        serial_number=i + 1000,
    )
    if rng.random() < 0.02:  # v1: no extensions at all
        no_ext = dict(sans=(), eku=None, key_usage=None, ca=None, path_length=None)
        spec = replace(spec, version=1, ns_cert_type=None, **no_ext)
    return spec


def forge_corpus(folder: Path) -> list[bytes]:
    """Write the forged corpus under ``folder``; return the DER of every certificate forged
    (the grid's input, in a fixed order). Deterministic: same seed, same bytes."""
    from cryptography.hazmat.primitives.serialization import Encoding

    from certlib.cert.forge import forge
    from certlib.core.memo import Memo

    keys = Memo()  # seeded RSA keys cost up to a second each: kept for this corpus
    rng = random.Random(SEED)
    cas: dict[str, Any] = {}
    ders: list[bytes] = []
    folder.mkdir(parents=True, exist_ok=True)
    for label, spec, parent in _ca_specs():
        cas[label] = forge(spec, cas[parent] if parent else None, seed=SEED, memo=keys)
        ders.append(cas[label].certificate.public_bytes(Encoding.DER))
        if label != "orphan_ca":  # its leaves are orphans: their issuer is not in the pile
            (folder / f"ca-{label}.pem").write_bytes(cas[label].pem)
    issuers = [k for k in cas if k not in ("root_rsa", "root_ed")] + [None]
    bundle: list[bytes] = []
    for i in range(LEAVES):
        spec = _leaf_spec(rng, i)
        label = rng.choice(issuers)
        if label is None and spec.key_type == "ed25519":  # Ed25519 signs without a hash choice
            spec = replace(spec, signature_hash="sha256")
        leaf = forge(spec, cas[label] if label else None, seed=SEED, memo=keys)
        der = leaf.certificate.public_bytes(Encoding.DER)
        ders.append(der)
        kind = i % 5
        if kind == 0:
            (folder / f"leaf{i}.der").write_bytes(der)
        elif kind == 1:
            bundle.append(leaf.pem)
        else:
            (folder / f"leaf{i}.pem").write_bytes(leaf.pem)
        if i % 97 == 0:  # a duplicate in another container
            (folder / f"dup{i}.crt").write_bytes(leaf.pem)
        if i % 151 == 0:  # broken copies: truncated DER, PEM with a damaged body
            (folder / f"broken{i}.der").write_bytes(der[: len(der) // 2])
            pem = bytearray(leaf.pem)
            pem[40:60] = b"!" * 20
            (folder / f"broken{i}.pem").write_bytes(bytes(pem))
    (folder / "bundle.pem").write_bytes(b"".join(bundle))
    (folder / "empty.pem").write_bytes(b"")
    (folder / "notes.txt").write_bytes(b"not a certificate\n")
    return ders


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def sample_frame() -> pd.DataFrame:
    """The sample inventory's frame (paths relative to the repository root)."""
    from certlib.inventory import read_inventory

    with _cwd(ROOT):
        return read_inventory(
            "data/sample-inventory", passwords=[PASSWORD], at=AT, workers=1, progress=False
        )


def forged(tmp: Path) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The forged corpus's frame (``der`` as its SHA-256) and its verdict grid."""
    from cryptography import x509

    from certlib import profiles as purpose
    from certlib.core.verdicts import PROFILES, Purpose
    from certlib.inventory import read_inventory

    ders = forge_corpus(tmp / "corpus")
    with _cwd(tmp):
        df = read_inventory("corpus", at=AT, workers=2, progress=False)
    df["der"] = [hashlib.sha256(d).hexdigest() if d is not None else None for d in df["der"]]
    grid: dict[str, list[str]] = {}
    for der in ders:
        cert = x509.load_der_x509_certificate(der)
        cells = []
        for profile in PROFILES:
            for p in Purpose:
                v = purpose.verdict(cert, p, profile, at=AT)
                cells.append(" ".join((v.outcome, *(r.rule for r in v.reasons))))
        grid[hashlib.sha256(der).hexdigest()[:20]] = cells
    return df, grid


def canonical(df: pd.DataFrame) -> pd.DataFrame:
    """List cells as lists (Parquet hands numpy arrays back), for ``assert_frame_equal``."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = [
                v.tolist() if hasattr(v, "tolist") and not isinstance(v, str | bytes) else v
                for v in out[col]
            ]
    return out


def build(tmp: Path) -> dict[str, Any]:
    df, grid = forged(tmp)
    return {"sample": sample_frame(), "forged": df, "grid": grid}


def write(built: dict[str, Any], folder: Path = SNAPSHOT) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("sample", "forged"):
        built[name].to_parquet(folder / f"{name}.parquet", compression="zstd")
    raw = json.dumps(built["grid"], sort_keys=True, separators=(",", ":")).encode()
    (folder / "grid.json.gz").write_bytes(gzip.compress(raw, mtime=0))


def load(folder: Path = SNAPSHOT) -> dict[str, Any]:
    out: dict[str, Any] = {
        name: pd.read_parquet(folder / f"{name}.parquet") for name in ("sample", "forged")
    }
    out["grid"] = json.loads(gzip.decompress((folder / "grid.json.gz").read_bytes()))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite tests/data/snapshot/")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        built = build(Path(tmp))
    if args.write:
        write(built)
        size = sum(p.stat().st_size for p in SNAPSHOT.iterdir())
        print(f"wrote {SNAPSHOT} ({size / 1e6:.2f} MB)")
    else:
        print(
            f"built: sample {len(built['sample'])} rows, forged {len(built['forged'])} rows, "
            f"grid {len(built['grid'])} certificates"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
