"""``certlib report``: scan (or load a saved inventory) and write one self-contained HTML report.

The input options are ``certlib scan``'s own (:func:`certlib.cli.scan.add_input_arguments`), so
the two commands read the same piles the same way. The report goes to ``-o`` (``-`` for
stdout), the summary to stderr. Exit codes as ``certlib scan``: 0 the report was written (error
rows for unreadable files do not change this), 2 it could not be.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from certlib.cli.scan import OptionError, add_input_arguments, check_output, scan_options

EPILOG = """\
examples:
  certlib report data/sample-inventory --password certlib-demo -o report.html
  certlib report exports/ --password-file pfx.pw --profile windows -o report.html
  certlib report /etc/ssl/certs --at 2027-01-01T00:00:00Z -o - > report.html
  certlib scan exports/ --format parquet -o inv.parquet && \\
    certlib report --inventory inv.parquet -o report.html

The report is one HTML file with its CSS and figures inline (no scripts, no network): open it
offline or attach it to a ticket. The same inventory gives the same bytes.

exit status:
  0  the report was written (error rows for unreadable files do not change this)
  2  it could not be (bad arguments, unreadable password file or --inventory file,
     cannot write the output, -o names an input or an existing file without --force)

-o FILE is written to a temporary file beside FILE and renamed when complete: a failed
write leaves the previous FILE intact. An existing FILE is replaced only with --force, and
never when it is one of the inputs (a scanned file, a file in a scanned folder, --inventory).

--password PW puts the password in your shell history and process list; prefer
--password-file (only trailing CR/LF are stripped). Passwords are never printed, and the
report holds no key material and no password.
"""


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "report",
        help="write an HTML report (tables and plots) of an inventory",
        description=(
            "Scan PATH like 'certlib scan' (or read a saved inventory with --inventory) and "
            "write one self-contained HTML report: files accounted for, verdict counts, "
            "findings, expiry, IIS binding candidates, incomplete chains, every certificate."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_input_arguments(p, paths_nargs="*")
    p.add_argument(
        "--inventory",
        metavar="FILE",
        help="report on an inventory saved as Parquet (write_inventory, or certlib scan "
        "--format parquet) instead of scanning; it keeps its own profile and time",
    )
    p.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="report file, or - for stdout"
    )
    p.add_argument("--title", help="report title (default: Certificate inventory report)")
    p.add_argument("--force", action="store_true", help="replace an existing -o file")
    return p


def _fail(msg: str) -> int:
    print(f"certlib report: {msg}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from certlib.cli.scan import summary_text
    from certlib.core.terminal import printable
    from certlib.report.html import write_report

    if args.inventory and args.paths:
        return _fail("give PATHs to scan or --inventory FILE, not both")
    if not args.inventory and not args.paths:
        return _fail("give PATHs to scan, or --inventory FILE")
    if args.inventory and (args.at or args.password is not None or args.password_file):
        return _fail("--inventory reports the saved frame as judged: no --at or password")
    if args.inventory and (args.profile or args.workers is not None or args.no_recursive):
        return _fail(
            "--inventory reports the saved frame as judged (its own profile): no --profile, "
            "--workers or --no-recursive; scan the files again for another profile"
        )
    output = None if args.output == "-" else Path(args.output)
    try:
        check_output(args, output, args.inventory)
    except OptionError as exc:
        return _fail(str(exc))
    if args.inventory:
        from certlib.inventory import load_inventory

        try:
            df = load_inventory(args.inventory)
        except Exception as exc:  # a missing, truncated or non-Parquet file: say which
            return _fail(printable(f"cannot read the inventory: {type(exc).__name__}: {exc}"))
    else:
        from certlib.inventory import read_inventory

        try:
            scan = scan_options(args)
        except OptionError as exc:
            return _fail(str(exc))
        df = read_inventory(args.paths, **scan)
    try:
        if output is None:
            from certlib.report.html import report_html

            sys.stdout.write(report_html(df, title=args.title))
            sys.stdout.flush()
        else:
            write_report(df, output, title=args.title, overwrite=args.force)
    except BrokenPipeError:
        raise  # the dispatcher exits 0
    except OSError as exc:
        return _fail(printable(f"cannot write the report: {exc.strerror or exc}"))
    where = "stdout" if output is None else printable(str(output))
    print(f"{summary_text(df)}\nreport: {where}", file=sys.stderr)
    return 0
