"""``certlib scan``: an inventory of every certificate under some paths, as a table or a file.

Data goes to stdout (or ``-o``), the summary and progress bar to stderr, so
``certlib scan dir --format jsonl | jq`` works. Exit codes are part of the interface (scripts
and CI gate on them): 0 scan done, 1 a ``--fail-on`` code was found, 2 the scan could not run.
``-o`` is checked before the scan starts: never one of the inputs, an existing file only with
``--force``, and written atomically (see :mod:`certlib.core.outputs`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from certlib.core.instants import as_utc

FORMATS = ("table", "csv", "json", "jsonl", "parquet")

EPILOG = """\
examples:
  certlib scan data/sample-inventory
  certlib scan exports/ --password-file pfx.pw --format csv -o inventory.csv
  certlib scan certs.p7b server.pfx --password-file pw.txt --format jsonl | jq .subject_cn
  certlib scan /etc/ssl/certs --profile openssl --fail-on expired,weak-key
  certlib scan store.sst --at 2027-01-01T00:00:00Z --format parquet -o inv.parquet
  certlib scan /mnt/huge-export --stream -o inv.parquet      # millions, memory bounded
  certlib scan /mnt/exports --dask local -o inventory/       # a Parquet folder, all CPUs
  certlib scan 's3://bucket/exports/**' --dask tcp://scheduler:8786 -o /shared/inventory/

exit status:
  0  the scan ran (error rows for unreadable files do not change this)
  1  a --fail-on code was found (a finding code, or 'error' for error rows)
  2  the scan could not run (bad arguments, unreadable password file, unknown profile,
     cannot write the output, -o names an input or an existing file without --force)

-o FILE is written to a temporary file beside FILE and renamed when complete, so a failed
write leaves the previous FILE intact. An existing FILE is replaced only with --force, and
never when it is one of the inputs (or a file inside a scanned folder). -o - is stdout.
CSV text cells starting with = + - @ TAB or CR get a leading ' (spreadsheet formula
injection); the table escapes control characters in names (\x1b).

--password PW puts the password in your shell history and process list; prefer
--password-file (only trailing CR/LF are stripped). Passwords are never printed.
Finding codes: see docs/inventory.md or `python -c "import certlib.cert.findings as f;
print(*f.FINDINGS, sep=chr(10))"`.
"""

_TABLE_COLUMNS = (
    "status",
    "subject_cn",
    "not_after",
    "tls_server",
    "tls_client",
    "code_signing",
    "email_protection",
    "iis_binding_candidate",
    "findings",
    "source_count",
    "source_path",
    "error_kind",
)


def add_input_arguments(p: argparse.ArgumentParser, *, paths_nargs: str = "+") -> None:
    """The options that say what to scan and how (shared with ``certlib report``)."""
    from certlib.core.verdicts import PROFILES

    p.add_argument("paths", nargs=paths_nargs, metavar="PATH", help="files or folders to scan")
    pw = p.add_mutually_exclusive_group()
    pw.add_argument("--password", metavar="PW", help="password for PKCS#12/JKS files")
    pw.add_argument(
        "--password-file", metavar="F", type=Path, help="file holding the password (one line)"
    )
    p.add_argument(
        "--profile", default=None, choices=PROFILES, help="verdict profile (default: rfc5280)"
    )
    p.add_argument("--workers", type=int, default=None, help="processes (default: auto)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.add_argument("--no-recursive", action="store_true", help="do not descend into folders")
    p.add_argument("--at", metavar="ISO", help="reference time (default: now, UTC)")


class OptionError(ValueError):
    """An input option that cannot be used; the command exits with status 2."""


def scan_options(args: argparse.Namespace) -> dict[str, Any]:
    """``read_inventory`` keyword arguments from :func:`add_input_arguments`' options.

    Raises :class:`OptionError` (message without any password) when one cannot be used.
    """
    at = None
    if args.at:
        try:
            at = as_utc(args.at)
        except ValueError:
            raise OptionError(f"--at is not an ISO-8601 date/time: {args.at!r}") from None
    passwords: list[bytes] = []
    if args.password is not None:
        passwords.append(args.password.encode())
    elif args.password_file is not None:
        try:
            passwords.append(_read_password_file(args.password_file))
        except OSError as exc:
            from certlib.sources.walk import shown, why

            reason = why(str(args.password_file), exc)[1]
            raise OptionError(f"cannot read the password file: {shown(reason)}") from None
    if args.workers is not None and args.workers < 1:
        raise OptionError("--workers must be at least 1")
    return {
        "passwords": passwords,
        "recursive": not args.no_recursive,
        "workers": args.workers,
        "progress": False if args.no_progress else None,
        "profile": args.profile or "rfc5280",
        "at": at,
    }


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "scan",
        help="inventory certificates in files and folders",
        description=(
            "Find every certificate under PATH (PEM, DER, PKCS#7, PKCS#12, SST, JKS, "
            "PowerShell CSV, Kubernetes YAML, zip ...), one row per distinct certificate "
            "with verdicts and findings; unreadable inputs become error rows."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_input_arguments(p)
    p.add_argument("--format", default=None, choices=FORMATS, help="default: table, or -o suffix")
    p.add_argument("-o", "--output", type=Path, help="write here instead of stdout (- = stdout)")
    p.add_argument("--force", action="store_true", help="replace an existing -o file")
    p.add_argument(
        "--fail-on",
        metavar="CODES",
        default="",
        help="comma list of finding codes (or 'error') that make the exit status 1",
    )
    p.add_argument(
        "--stream",
        action="store_true",
        help="write Parquet row groups as certificates are judged (needs -o FILE.parquet): "
        "memory stays bounded for millions of certificates; same rows as without it, "
        "see docs/inventory.md",
    )
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' for a "
        "LocalCluster of this machine's CPUs; -o names a folder of Parquet parts (needs the "
        "scale extra; see docs/scale.md)",
    )
    return p


def _fail(msg: str) -> int:
    print(f"certlib scan: {msg}", file=sys.stderr)
    return 2


#: A password file longer than this is not a password file (``/dev/zero``, a wrong path).
MAX_PASSWORD_FILE = 64 * 1024


def _read_password_file(path: Path) -> bytes:
    """The password (trailing CR/LF stripped): read only from a regular file (a FIFO or a
    device raises, never blocks) and only up to :data:`MAX_PASSWORD_FILE` bytes."""
    from certlib.sources.walk import read_file

    data = read_file(str(path), MAX_PASSWORD_FILE, look_first=True)
    return data.rstrip(b"\r\n")


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    if args.output is not None and args.output.suffix.lstrip(".") in FORMATS:
        return args.output.suffix.lstrip(".")
    return "table"


def summary_text(df: pd.DataFrame) -> str:
    """The one- or two-line summary printed on stderr (shared with ``certlib report``)."""
    status = df["status"].value_counts()
    certs = int(status.get("ok", 0) + status.get("partial", 0))
    findings = pd.Series([c for codes in df["findings"] for c in codes], dtype="str")
    lines = [
        f"{certs} certificate(s) ({int(status.get('partial', 0))} partial), "
        f"{int(status.get('error', 0))} error row(s), "
        f"{len({f for fs in df['source_files'] for f in fs})} file(s)"
    ]
    if len(findings):
        counts = findings.value_counts()
        lines.append("findings: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    return "\n".join(lines)


def _table(df: pd.DataFrame) -> str:
    from certlib.core.terminal import printable

    cols = [c for c in _TABLE_COLUMNS if c in df.columns]
    view = df[cols].copy()
    for c in ("findings",):
        view[c] = view[c].map(lambda v: ",".join(v))
    if "not_after" in view.columns:
        view["not_after"] = view["not_after"].map(
            lambda t: "" if pd.isna(t) else t.strftime("%Y-%m-%d")
        )
    for c in view.columns:  # names and subjects are attacker-chosen: no raw ESC to a terminal
        view[c] = view[c].map(lambda v: printable(v) if isinstance(v, str) else v)
    with pd.option_context("display.max_rows", None, "display.width", 250):
        return view.to_string(index=False, na_rep="")


def check_output(args: argparse.Namespace, output: Path | None, *inputs: object) -> None:
    """Raise :class:`OptionError` when ``output`` may not be written: it is one of the scanned
    paths (or a file inside a scanned folder), the password file or another of ``inputs``,
    or it exists and ``--force`` was not given (shared with ``certlib report``)."""
    from certlib.core.outputs import OutputError, check_not_input, refuse_existing
    from certlib.core.terminal import printable

    if output is None:
        return
    named = [*args.paths, *(i for i in inputs if i)]
    if getattr(args, "password_file", None):
        named.append(args.password_file)
    try:
        check_not_input(output, named, recursive=not getattr(args, "no_recursive", False))
        if not args.force:
            refuse_existing(output, "use --force")
    except OutputError as exc:
        raise OptionError(printable(exc.strerror or str(exc))) from None


def _output(args: argparse.Namespace) -> Path | None:
    """``-o``, or None for stdout (no ``-o``, or ``-o -``)."""
    return None if args.output is None or str(args.output) == "-" else args.output


def run(args: argparse.Namespace) -> int:
    from certlib.cert.findings import FINDINGS
    from certlib.core.outputs import atomic_output
    from certlib.core.terminal import printable
    from certlib.inventory import read_inventory
    from certlib.inventory.write import dump, write

    args.output = _output(args)
    fmt = _format(args)
    if fmt == "parquet" and args.output is None:
        return _fail("--format parquet needs -o FILE (binary data is not written to a terminal)")
    fail_on = {c.strip() for c in args.fail_on.split(",") if c.strip()}
    unknown = fail_on - set(FINDINGS) - {"error"}
    if unknown:
        return _fail(f"unknown --fail-on code(s): {', '.join(sorted(unknown))}")
    try:
        scan = scan_options(args)
        check_output(args, args.output)
    except OptionError as exc:
        return _fail(str(exc))
    if args.dask:
        if args.output is None or args.stream or fmt not in ("parquet", "table"):
            return _fail("--dask writes a Parquet folder: give -o FOLDER (no --stream, --format)")
        from certlib.cli.cluster import run_dask

        return run_dask(args, scan, fail_on)
    if args.stream:
        if fmt != "parquet" or args.output is None:
            return _fail("--stream writes Parquet: give -o FILE.parquet (or --format parquet)")
        return _stream(args, scan, fail_on)
    df = read_inventory(args.paths, **scan)
    try:
        if args.output is not None and fmt != "table":
            write(df, args.output, fmt, overwrite=args.force)
        elif fmt == "table":
            text = _table(df) + "\n"
            if args.output is not None:
                with atomic_output(args.output, overwrite=args.force) as tmp:
                    tmp.write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
        else:
            dump(df, sys.stdout, fmt)
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # `certlib scan ... | head`: the dispatcher exits 0
    except OSError as exc:
        return _fail(printable(f"cannot write output: {exc.strerror or exc}"))
    print(summary_text(df), file=sys.stderr)
    return _fail_on(df, fail_on)


def _fail_on(df: pd.DataFrame, fail_on: set[str]) -> int:
    """Exit status 1 when a ``--fail-on`` code (or ``error``) is in ``df``, else 0."""
    if fail_on:
        hits = {c for codes in df["findings"] for c in codes} & fail_on
        if "error" in fail_on and (df["status"] == "error").any():
            hits.add("error")
        if hits:
            print(f"fail-on: found {', '.join(sorted(hits))}", file=sys.stderr)
            return 1
    return 0


def _stream(args: argparse.Namespace, scan: dict, fail_on: set[str]) -> int:
    """``--stream``: rows go to Parquet as they are judged; the summary and ``--fail-on`` read
    back only the few columns they need."""
    import pyarrow.parquet as pq

    from certlib.core.terminal import printable
    from certlib.inventory import stream_inventory

    try:
        stream_inventory(args.paths, args.output, overwrite=args.force, **scan)
        cols = pq.read_table(args.output, columns=["status", "findings", "source_files"])
    except OSError as exc:
        return _fail(printable(f"cannot write output: {exc.strerror or exc}"))
    df = cols.to_pandas()
    for col in ("findings", "source_files"):
        df[col] = [list(v) if v is not None else [] for v in df[col]]
    print(summary_text(df), file=sys.stderr)
    return _fail_on(df, fail_on)


def main(argv: list[str] | None = None) -> int:
    """``certlib scan`` on its own (tests, ``python -m certlib.cli.scan``)."""
    parser = argparse.ArgumentParser(prog="certlib")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["scan", *(sys.argv[1:] if argv is None else argv)])
    try:
        return run(args)
    except BrokenPipeError:
        return 0
