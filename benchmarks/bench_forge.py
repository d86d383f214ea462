"""How long forging takes: widget toggles re-forge on every click, sample data forges hundreds.

Median of N wall-clock samples (time.perf_counter) per row. Every call passes one run-owned
:class:`certlib.core.memo.Memo` (as a widget model does): "warm" = the key for that subject is
already in it (the widget case); "cold" = a new subject, so the key is generated or (seeded)
derived first. Seeded RSA keys come from pure-Python prime search, so
they are timed on fewer samples.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import machine, median_ms, timed, write_section

from certlib.cert.forge import PRESETS, CertSpec, forge
from certlib.core.memo import Memo
from certlib.core.oids import EKU

LEAF = CertSpec(
    common_name="bench.example",
    sans=("DNS:bench.example",),
    eku=(EKU.SERVER_AUTH.oid,),
    key_usage=frozenset({"digital_signature"}),
    ca=False,
)
ODD = LEAF.with_(
    version=1,
    sans=(),
    eku=None,
    key_usage=None,
    ca=None,
    serial_number=-1,
    signature_hash="sha1",
)


def ms(fn: Callable[[], object], n: int) -> float:
    """Median of ``n`` timed calls of ``fn``, in milliseconds."""
    return median_ms(timed(fn, n))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=200, help="samples per fast row")
    parser.add_argument("--slow-n", type=int, default=5, help="samples per seeded-RSA row")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()

    fresh = itertools.count()
    keys = Memo()  # the run's: keys and seeded issuers, as a widget model keeps them
    root = forge(PRESETS["root_ca"], seed=1, memo=keys)
    rsa_root = forge(PRESETS["root_ca"].with_(key_type="rsa", common_name="RSA Root"), memo=keys)
    forge(LEAF, root, memo=keys)  # warm the EC key for LEAF's subject
    forge(LEAF.with_(key_type="rsa"), rsa_root, memo=keys)
    forge(LEAF, root, seed=1, memo=keys)
    forge(PRESETS["iis_server"], seed=1, memo=keys)

    rows = [
        (
            "EC P-256 leaf, warm key (widget toggle)",
            ms(lambda: forge(LEAF, root, memo=keys), args.n),
        ),
        (
            "EC P-256 leaf, new subject (key generated)",
            ms(lambda: forge(LEAF.with_(common_name=f"c{next(fresh)}"), root, memo=keys), args.n),
        ),
        (
            "EC P-256 leaf, seeded, warm key",
            ms(lambda: forge(LEAF, root, seed=1, memo=keys), args.n),
        ),
        (
            "EC P-256 leaf, seeded, new subject (key derived)",
            ms(
                lambda: forge(LEAF.with_(common_name=f"s{next(fresh)}"), root, seed=1, memo=keys),
                args.n,
            ),
        ),
        (
            "v1 + serial -1 + SHA-1 (TBS rewrite + re-sign), warm key",
            ms(lambda: forge(ODD, root, memo=keys), args.n),
        ),
        (
            "RSA-2048 leaf signed by RSA-2048 root, warm key",
            ms(lambda: forge(LEAF.with_(key_type="rsa"), rsa_root, memo=keys), args.n),
        ),
        (
            "preset iis_server, seeded, warm (root + ICA from the run's memo)",
            ms(lambda: forge(PRESETS["iis_server"], seed=1, memo=keys), args.n),
        ),
        (
            "preset iis_server, unseeded, warm keys (signs root + ICA + leaf)",
            ms(lambda: forge(PRESETS["iis_server"], memo=keys), args.n),
        ),
        (
            "RSA-2048 key, unseeded, new subject (OpenSSL keygen)",
            ms(
                lambda: forge(
                    LEAF.with_(key_type="rsa", common_name=f"r{next(fresh)}"), root, memo=keys
                ),
                args.slow_n * 4,
            ),
        ),
        (
            "RSA-2048 key, seeded, new subject (pure-Python primes)",
            ms(
                lambda: forge(LEAF.with_(key_type="rsa"), root, seed=f"r{next(fresh)}", memo=keys),
                args.slow_n,
            ),
        ),
        (
            "RSA-3072 key, seeded, new subject (pure-Python primes)",
            ms(
                lambda: forge(
                    LEAF.with_(key_type="rsa3072"), root, seed=f"q{next(fresh)}", memo=keys
                ),
                args.slow_n,
            ),
        ),
    ]
    table = "| forge | median |\n|---|---|\n" + "\n".join(
        f"| {name} | {ms:.2f} ms |" for name, ms in rows
    )
    text = (
        f"{table}\n\nMachine: {machine()}; {args.n} samples per fast row, "
        f"{args.slow_n} per seeded-RSA row ({args.slow_n * 4} for unseeded RSA keygen)."
    )
    print(text)
    if args.write:
        write_section("forge", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
