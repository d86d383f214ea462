"""How long purpose verdicts take: the widget and inventory hot path.

Measures, per certificate: all 30 leaf-only verdicts (every purpose × every profile), the same
chain-aware with a 3-certificate chain, and a forge + 30 verdicts round (what one widget toggle
costs before rendering). Fresh certificates are used for each sample, and each sample's 30
verdicts share one run :class:`~certlib.core.memo.Memo` (as one ``verdict_list`` call or a widget
toggle does) that starts empty, so nothing memoised for an earlier sample flatters the numbers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import machine, median_ms, median_table, timed, write_section

from certlib.cert.forge import CertSpec, forge, forge_chain
from certlib.core.memo import Memo
from certlib.core.oids import EKU
from certlib.core.verdicts import PROFILES, Purpose
from certlib.profiles import verdict

LEAF = CertSpec(
    common_name="bench.example",
    sans=("DNS:bench.example",),
    eku=(EKU.SERVER_AUTH.oid, EKU.CLIENT_AUTH.oid),
    key_usage=frozenset({"digital_signature"}),
    ca=False,
)
ROOT = CertSpec(
    common_name="Bench Root", ca=True, key_usage=frozenset({"key_cert_sign", "crl_sign"})
)
ICA = CertSpec(common_name="Bench ICA", ca=True, key_usage=frozenset({"key_cert_sign", "crl_sign"}))


def all_verdicts(cert, **chain) -> int:
    n = 0
    memo = Memo()  # this certificate's run
    for profile in PROFILES:
        for purpose in Purpose:
            verdict(cert, purpose, profile, memo=memo, **chain)
            n += 1
    return n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=200, help="samples per measurement")
    parser.add_argument("--write", action="store_true", help="rewrite docs/benchmarks.md")
    args = parser.parse_args()

    keys = Memo()  # the corpus build's: keys of the repeated root/ICA specs are made once
    leaves = [
        forge(LEAF.with_(common_name=f"l{i}.example"), memo=keys).certificate for i in range(args.n)
    ]
    it = iter(leaves)
    leaf_only = timed(lambda: all_verdicts(next(it)), args.n)

    chains = [
        forge_chain(ROOT.with_(common_name=f"R{i}"), ICA, LEAF, memo=keys)
        for i in range(max(args.n // 4, 20))
    ]
    itc = iter(chains)

    def chain_round() -> None:
        c = next(itc)
        all_verdicts(c.leaf.certificate, roots=c.roots, intermediates=c.intermediate_certificates)

    chained = timed(chain_round, len(chains))
    counter = iter(range(10**9))
    toggle = timed(
        lambda: all_verdicts(
            forge(LEAF.with_(common_name=f"t{next(counter)}.x"), memo=keys).certificate
        ),
        args.n,
    )
    rows = [
        ("30 verdicts, leaf only", median_ms(leaf_only), "≤ 2 ms"),
        ("30 verdicts, root → ICA → leaf", median_ms(chained), "—"),
        ("forge (EC) + 30 verdicts", median_ms(toggle), "≤ 50 ms"),
    ]
    table = median_table(rows)
    text = f"{table}\n\nMachine: {machine()}; {args.n} samples each."
    print(text)
    if args.write:
        write_section("verdicts", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
