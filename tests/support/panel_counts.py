"""Verdict counts for the sample inventory, computed independently of the inventory panel: a
verdict per certificate with :func:`certlib.verdict` (chain-aware along the chain the inventory
linked, a self-signed certificate as its own anchor), counted with plain Python."""

from __future__ import annotations

from collections import Counter

import pandas as pd
from conftest import ROOT
from cryptography import x509

import certlib
from certlib.core.verdicts import OUTCOMES, Purpose

SAMPLE = ROOT / "data" / "sample-inventory"
AT = "2027-01-01"


def expected(profile: str) -> dict[tuple[str, str], int]:
    """Counts from certlib.verdict, one certificate at a time."""
    df = certlib.read_inventory(SAMPLE, passwords=["certlib-demo"], at=AT, profile=profile)
    ok = df[df["status"] != "error"].set_index("sha256")
    certs = {h: x509.load_der_x509_certificate(d) for h, d in ok["der"].items()}
    at = pd.Timestamp(df.attrs["at"]).to_pydatetime()
    counts: Counter[tuple[str, str]] = Counter()
    for h, row in ok.iterrows():
        chain = [certs[c] for c in row["chain_sha256"]]
        rooted = bool(row["chain_complete"]) and not row["self_signed"]
        roots = chain[-1:] if rooted else ([certs[h]] if row["self_signed"] else [])
        inters = chain[:-1] if rooted else chain
        for purpose in Purpose:
            v = certlib.verdict(
                certs[h], purpose, profile, at=at, intermediates=inters, roots=roots
            )
            counts[(str(purpose), v.outcome)] += 1
    return {(str(p), o): counts[(str(p), o)] for p in Purpose for o in OUTCOMES}
