"""The ``certlib`` command. Each subcommand lives in its own module of this package exposing
``add_parser(subparsers)`` and ``run(args) -> int``, so they can grow independently; the table
below names them statically, so that the import graph (and import-linter) sees every one."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from certlib.cli import explain, report, sample_data, scan

#: Subcommand name -> its module, in the order ``--help`` lists them.
COMMANDS: dict[str, ModuleType] = {
    "scan": scan,
    "report": report,
    "explain": explain,
    "sample-data": sample_data,
}
SUBCOMMANDS: tuple[str, ...] = tuple(COMMANDS)


def _module(name: str) -> ModuleType:
    return COMMANDS[name]


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
