"""``certlib sample-data DIR``: write the sample inventory (see certlib.sample_data)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EPILOG = """\
examples:
  certlib sample-data data/sample-inventory --seed 2026   # what the repository ships
  certlib sample-data /tmp/pile && certlib scan /tmp/pile --at 2027-01-01

Byte-stable for a fixed seed except the two .pfx files (random PKCS#12 salts); see
data/README.md for every file, the .pfx password and the reference dates.
"""


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "sample-data",
        help="generate the sample certificate inventory",
        description="Forge the demo PKI and export it in every shape certlib scan reads.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("dir", type=Path, metavar="DIR", help="output folder (created if needed)")
    p.add_argument("--seed", type=int, default=2026, help="forge seed (default: 2026)")
    return p


def run(args: argparse.Namespace) -> int:
    from certlib.sample_data import generate

    try:
        names = generate(args.dir, seed=args.seed)
    except OSError as exc:
        print(f"certlib sample-data: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(names)} files to {args.dir}", file=sys.stderr)
    return 0
