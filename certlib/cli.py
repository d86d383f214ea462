"""The ``certlib`` command. Each subcommand lives in its own module ``certlib.cli_<name>``
exposing ``add_parser(subparsers)`` and ``run(args) -> int``, so they can grow independently."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

SUBCOMMANDS: tuple[str, ...] = ("scan", "report", "explain", "sample-data")


def _module(name: str):
    return importlib.import_module("certlib.cli_" + name.replace("-", "_"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="certlib",
        description="Decode, judge and explain what X.509 certificates may be used for.",
        epilog="Run 'certlib COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMANDS:
        _module(name).add_parser(sub)
    return parser


def _version() -> str:
    from certlib import __version__

    return f"certlib {__version__}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(_module(args.command).run(args) or 0)
    except BrokenPipeError:  # `certlib scan ... | head`
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
