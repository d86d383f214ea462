"""How long ``certlib.sources.read_bytes`` takes per certificate on a big PEM bundle.

Reads ``--path`` (default: the 20k inventory bundle that bench_inventory.py writes; when it is
missing, a bundle of ``--count`` forged certificates is built in memory) with the fast paths on
and, with ``--general``, off (``certlib.sources.readers.context._FAST_PATHS = False``). Best of
``-n`` wall-clock runs (time.perf_counter), each in the same process; ``--check`` also asserts both
give identical results. Prints, does not write docs.

    .venv/bin/python benchmarks/bench_sources.py --general --check
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from certlib import sources
from certlib.cert.forge import CertSpec, forge
from certlib.core.memo import Memo
from certlib.sources.readers import context

DEFAULT = Path(__file__).resolve().parent / "out" / "inventory-20000" / "bundle.pem"


def _bundle(count: int) -> bytes:
    keys = Memo()  # the corpus build's
    root = forge(CertSpec(common_name="Bench Root", ca=True), seed="bench-root", memo=keys)
    leaves = [
        forge(
            CertSpec(common_name=f"host{i}.example", sans=(f"DNS:host{i}.example",)),
            root,
            memo=keys,
        )
        for i in range(min(count, 200))
    ]
    return b"".join(leaves[i % len(leaves)].pem for i in range(count))


def _best(data: bytes, runs: int) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(runs):
        start = time.perf_counter()
        found, _problems = sources.read_bytes(data, "bundle.pem")
        best = min(best, time.perf_counter() - start)
        count = len(found)
    return best, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--path", type=Path, default=DEFAULT)
    parser.add_argument("--count", type=int, default=20_000, help="certificates if no --path")
    parser.add_argument("-n", type=int, default=5, help="runs; the best is reported")
    parser.add_argument("--general", action="store_true", help="also time the general path")
    parser.add_argument("--check", action="store_true", help="assert fast == general results")
    args = parser.parse_args()

    if args.path.is_file():
        data, what = args.path.read_bytes(), str(args.path)
    else:
        data, what = _bundle(args.count), f"{args.count} forged certificates (in memory)"
    print(f"{what}: {len(data) / 1e6:.1f} MB")
    modes = [True, False] if args.general else [True]
    for fast in modes:
        context._FAST_PATHS = fast
        seconds, count = _best(data, args.n)
        name = "fast paths" if fast else "general path"
        each = seconds / max(count, 1) * 1e6
        print(f"{name:>13}: {count} certificates, {seconds:.3f} s, {each:.2f} µs each")
    context._FAST_PATHS = True
    if args.check:
        fast_result = sources.read_bytes(data, "bundle.pem")
        context._FAST_PATHS = False
        general_result = sources.read_bytes(data, "bundle.pem")
        context._FAST_PATHS = True
        assert fast_result == general_result, "fast and general paths differ"
        print("check: identical results")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
