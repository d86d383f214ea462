"""A corpus that varies everything a verdict can depend on, for memo-vs-fresh inventory tests.

``tests/inventory/test_run_memo.py`` (and the per-profile memo tests) scan it twice, with the
inventory's outcome memo on and off, and demand identical frames. It mixes: certgen's odd
extensions (empty EKU, KU without bits, duplicates, malformed values, v1, negative serials),
the sample inventory's chains, forged chains whose leaves differ in validity, key type and size,
signature hash, SAN shape and lifetime, two CAs sharing a name with different keys, and every
x509-limbo case's certificates thrown into one pile (many share names across cases).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import warnings
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import certgen
import pytest
from conftest import LIMBO, ROOT
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from certlib import inventory
from certlib import profiles as purpose
from certlib.cert.forge import PRESETS, CertSpec, Forged, forge
from certlib.core.memo import Memo
from certlib.inventory import judge as inventory_judge

AT = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)

_SHAPES = ("iis_server", "dual_use", "user_client", "no_eku", "code_signing", "smime")
_KEYS = ("ec", "ec", "rsa", "rsa1024", "ec384")
_SANS = (
    lambda n: (f"DNS:{n}",),
    lambda n: (),
    lambda n: (f"DNS:{n}", f"DNS:*.{n}", "IP:192.0.2.7"),
    lambda n: ("email:someone@example.org",),
)


def _forged(folder: Path) -> int:
    keys = Memo()  # one for this corpus: each seeded key is derived once
    root = forge(PRESETS["root_ca"], seed="memo", memo=keys)
    ica = forge(PRESETS["intermediate_ca"], root, seed="memo", memo=keys)
    # same name, other key
    twin = forge(PRESETS["intermediate_ca"], root, seed="memo-twin", memo=keys)
    n = 0
    for i in range(90):
        name = f"m{i}.memo.example"
        key = _KEYS[i % len(_KEYS)]
        spec = replace(
            PRESETS[_SHAPES[i % len(_SHAPES)]],
            common_name=name,
            sans=_SANS[i % len(_SANS)](name),
            key_type=key,
            signature_hash="sha1" if i % 11 == 0 else "sha256",
            not_before=dt.datetime(2020 + i % 9, 1, 1, tzinfo=dt.UTC),
            validity_days=(30, 398, 400, 825, 4000)[i % 5],
        )
        leaf = forge(spec, (ica, twin)[i % 7 == 0], seed="memo", memo=keys)
        (folder / f"leaf{i}.pem").write_bytes(leaf.pem)
        n += 1
    for f in (root, ica, twin):
        (folder / f"ca-{f.sha256[:8]}.pem").write_bytes(f.pem)
    return n + 3


def _limbo(folder: Path) -> int:
    data = json.loads((LIMBO / "x509-limbo-eku-ku.json").read_text())
    n = 0
    for case in data["testcases"]:
        pems = [*case["trusted_certs"], *case["untrusted_intermediates"], case["peer_certificate"]]
        for i, pem in enumerate(pems):
            (folder / f"{case['id'].replace(':', '_')}-{i}.pem").write_text(pem)
            n += 1
    return n


def build(folder: Path) -> int:
    """Write the corpus under ``folder``; returns how many certificate files were written
    (the sample inventory's files not counted)."""
    shutil.copytree(ROOT / "data" / "sample-inventory", folder / "sample")
    for sub in ("certgen", "forged", "limbo"):
        (folder / sub).mkdir()
    gens = certgen.generate(300)
    for g in gens:
        der = g.certificate.public_bytes(Encoding.DER)
        (folder / "certgen" / f"{g.index:04d}.der").write_bytes(der)
    for name, root in certgen.roots().items():
        (folder / "certgen" / f"root-{name}.pem").write_bytes(root.pem)
    return len(gens) + 2 + _forged(folder / "forged") + _limbo(folder / "limbo")


def scan(
    folder: Path,
    memo: bool,
    monkeypatch: pytest.MonkeyPatch,
    profile: str,
    memos: list[Memo] | None = None,
):
    """(frame, how many verdicts were computed) for one scan with the memo on or off; the run
    memos the scan made are appended to ``memos``."""
    monkeypatch.setattr(inventory_judge, "MEMOISE", memo)
    real_memo = inventory_judge.run_memo

    def made() -> Memo:
        m = real_memo()
        if memos is not None:
            memos.append(m)
        return m

    monkeypatch.setattr(inventory_judge, "run_memo", made)
    calls = {"n": 0}
    real = purpose.judge

    def counting(cert, profile, purposes, ctx):
        calls["n"] += len(purposes)  # verdicts computed, one per purpose
        return real(cert, profile, purposes, ctx)

    monkeypatch.setattr(purpose, "judge", counting)
    try:
        df = inventory.read_inventory(folder, workers=1, progress=False, at=AT, profile=profile)
    finally:
        monkeypatch.setattr(purpose, "judge", real)
        monkeypatch.setattr(inventory_judge, "run_memo", real_memo)
    return df, calls["n"]


def memo_keys(fresh, profile: str, at=AT):
    """(memo key, six outcomes, source path) of every row of a fresh (memo off) scan that the
    inventory would memoise, keyed as ``inventory_judge._memo_key`` keys it."""
    import warnings

    from cryptography import x509

    from certlib.cert.facts import facts
    from certlib.core.verdicts import Purpose

    ok = fresh[fresh["status"] != "error"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # negative serials and the like
        certs = {
            s: x509.load_der_x509_certificate(bytes(d))
            for s, d in zip(ok["sha256"], ok["der"], strict=True)
        }
    cols = [p.value for p in Purpose]
    for _i, row in ok.iterrows():
        chain = tuple(row["chain_sha256"])
        rooted = bool(row["chain_complete"])
        if row["self_signed"] or (rooted and not chain):
            continue  # judged as its own anchor: never memoised
        cert = certs[row["sha256"]]
        chain_certs = [certs[s] for s in chain]
        key = inventory_judge._memo_key(
            profile, cert, facts(cert), chain, rooted, chain_certs, at, Memo()
        )
        if key is not None:
            yield key, tuple(row[c] for c in cols), row["source_path"]


def write_twins(
    folder: Path,
    variants: dict[str, tuple[dict, Callable[[list[bytes]], list[bytes]] | None]],
    *,
    plain: CertSpec,
    ica: Forged,
    tag: str,
    copies: int,
) -> int:
    """Each variant's leaves next to plain twins that differ from them in that one respect.

    ``variants``: name -> (changes to the plain spec, a ``certgen.rewrite`` transform applied
    to the signed variant or None). Files are ``<name>-<i>-a-plain.der`` and
    ``<name>-<i>-b-variant.der`` (:func:`read_twins` groups them again), issued by ``ica``
    with the seed ``memo-<tag>``; returns how many were written.
    """
    folder.mkdir()
    n = 0
    keys = Memo()  # one for this corpus: each seeded key is derived once
    for name, (changes, transform) in variants.items():
        for i in range(copies):
            for twin in ("a-plain", "b-variant"):
                cn = f"{name}-{i}-{twin}.{tag}.example"
                spec = replace(plain, common_name=cn, sans=(f"DNS:{cn}",))
                if twin == "b-variant":
                    spec = replace(spec, **changes)
                cert = forge(spec, ica, seed=f"memo-{tag}", memo=keys).certificate
                if twin == "b-variant" and transform is not None:
                    cert = certgen.rewrite(cert, ica.private_key, transform)
                (folder / f"{name}-{i}-{twin}.der").write_bytes(cert.public_bytes(Encoding.DER))
                n += 1
    return n


def read_twins(folder: Path) -> dict[tuple[str, str], list[x509.Certificate]]:
    """(variant, "a-plain" | "b-variant") -> the certificates :func:`write_twins` wrote."""
    out: dict[tuple[str, str], list[x509.Certificate]] = defaultdict(list)
    for path in sorted(folder.iterdir()):
        m = re.fullmatch(r"(.+)-(\d+)-(a-plain|b-variant)", path.stem)
        assert m is not None, path
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a negative serial
            cert = x509.load_der_x509_certificate(path.read_bytes())
        out[(m[1], m[3])].append(cert)
    return out
