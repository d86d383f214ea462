"""``certlib sample-data DIR``: write the sample inventory (see certlib.sources.sample_data)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EPILOG = """\
examples:
  certlib sample-data data/sample-inventory --seed 2026 --force  # what the repository ships
  certlib sample-data /tmp/pile && certlib scan /tmp/pile --at 2027-01-01

Byte-stable for a fixed seed except the two .pfx files (random PKCS#12 salts); see
data/README.md for every file, the .pfx password and the reference dates.

Existing files are replaced only with --force (otherwise nothing is written, exit status 2);
each file is written to a temporary file and renamed, so a failed run leaves the old ones.
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
    p.add_argument("--force", action="store_true", help="replace files that exist in DIR")
    return p


def run(args: argparse.Namespace) -> int:
    from certlib.core.outputs import OutputError
    from certlib.core.terminal import printable
    from certlib.sources.sample_data import generate

    try:
        names = generate(args.dir, seed=args.seed, overwrite=args.force)
    except OSError as exc:
        why = exc.strerror if isinstance(exc, OutputError) else str(exc)
        print(printable(f"certlib sample-data: {why}"), file=sys.stderr)
        return 2
    print(f"wrote {len(names)} files to {args.dir}", file=sys.stderr)
    return 0
