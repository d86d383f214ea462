"""``certlib explain``: the purposes × profiles verdicts of each certificate, and why.

Text output is a table of outcome *words* (readable without colour, in logs and screen
readers), then the reasons of every cell that is not a plain ``allowed``. ``--format json``
gives the same as data; ``--openssl-purpose`` prints exactly what ``openssl x509 -purpose
-noout`` prints. With ``--roots`` the verdicts are chain-aware, and the other certificates of
the same file serve as intermediates (a ``fullchain.pem`` explains itself).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib.util
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from certlib.core.instants import as_utc
from certlib.core.terminal import printable
from certlib.core.verdicts import Outcome
from certlib.sources.walk import shown

EPILOG = """\
examples:
  certlib explain server.pem
  certlib explain fullchain.pem --roots root.pem --hostname www.example.com
  certlib explain leaf.der --profile go --profile windows --purpose tls_server
  certlib explain cert.pem --openssl-purpose --openssl-version 3.2
  certlib explain *.pem --format json | jq '.[].verdicts[] | select(.outcome != "allowed")'

outcomes: allowed, warning (allowed with a caveat, e.g. OpenSSL "Yes (WARNING code=N)"),
denied, invalid (the certificate breaks a MUST of the profile), n/a (not in this profile).

exit status:
  0  every file was read
  2  a file (or --roots) could not be read, or held no certificate
"""

OPENSSL_VERSIONS = ("3.0", "3.2")


@dataclass(frozen=True)
class _Loaded:
    path: str
    index: int
    cert: x509.Certificate


def _iso(text: str) -> _dt.datetime:
    try:
        return as_utc(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date/time: {text!r}") from None


def add_arguments(p: argparse.ArgumentParser) -> None:
    from certlib.core.verdicts import PROFILES, Purpose

    p.add_argument("files", nargs="+", metavar="FILE", help="PEM bundle or DER certificate(s)")
    p.add_argument(
        "--profile",
        action="append",
        choices=PROFILES,
        metavar="P",
        help=f"profile to show (repeatable; default all: {', '.join(PROFILES)})",
    )
    p.add_argument(
        "--purpose",
        action="append",
        choices=[x.value for x in Purpose],
        metavar="P",
        help="purpose to show (repeatable; default all: "
        + ", ".join(x.value for x in Purpose)
        + ")",
    )
    p.add_argument("--format", default="text", choices=("text", "json"), help="default: text")
    p.add_argument(
        "--openssl-purpose",
        action="store_true",
        help="print what `openssl x509 -purpose -noout` prints, instead of the table",
    )
    p.add_argument(
        "--openssl-version",
        default="3.0",
        choices=OPENSSL_VERSIONS,
        help="OpenSSL whose -purpose output to reproduce (default 3.0)",
    )
    p.add_argument(
        "--roots",
        action="append",
        metavar="FILE",
        help="trust anchors (PEM/DER; repeatable): makes the verdicts chain-aware",
    )
    p.add_argument("--at", type=_iso, metavar="ISO", help="check time (default now, UTC)")
    p.add_argument("--hostname", metavar="H", help="TLS server name to match against the SAN")


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "explain",
        help="verdicts per purpose and profile, with the reasons",
        description=(
            "For each certificate in each FILE: the subject, a purposes x profiles table of "
            "outcomes, and the reasons behind every cell that is not a plain 'allowed'."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(p)
    return p


# --------------------------------------------------------------------------- reading


def _read(path: str) -> tuple[list[x509.Certificate], list[str]]:
    """Certificates in ``path`` and problems met (``certlib.sources`` when present). Read
    as a scan reads (:func:`certlib.sources.walk.read_file`): a regular file only, never blocking on
    a FIFO, at most ``MAX_INPUT_BYTES``; names shown escaped
    (:func:`certlib.sources.walk.shown`)."""
    from certlib.sources import MAX_INPUT_BYTES
    from certlib.sources.walk import read_file, shown, why

    try:
        data = read_file(path, MAX_INPUT_BYTES, look_first=True)
    except OSError as exc:
        return [], [shown(f"{path}: {why(path, exc)[1]}")]
    if importlib.util.find_spec("certlib.sources") is not None:
        from certlib import sources

        found, problems = sources.read_bytes(data, path)
        certs, notes = [], [shown(f"{p.path}: {p.message}") for p in problems]
        for item in found:
            try:
                certs.append(x509.load_der_x509_certificate(item.der))
            except ValueError as exc:
                msg = f"{path}: certificate #{item.provenance.index} unreadable ({exc})"
                notes.append(shown(msg))
        return certs, notes
    try:
        if b"-----BEGIN" in data:
            return list(x509.load_pem_x509_certificates(data)), []
        return [x509.load_der_x509_certificate(data)], []
    except ValueError as exc:
        return [], [f"{path}: not a PEM or DER certificate ({exc})"]


def _subject(cert: x509.Certificate) -> str:
    try:
        return cert.subject.rfc4514_string() or "(empty subject)"
    except Exception as exc:  # a name cryptography cannot render
        return f"(unreadable subject: {exc})"


# --------------------------------------------------------------------------- output


def _table(grid: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in grid) for i in range(len(grid[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in grid]
    return "\n".join(line.rstrip() for line in lines)


def _outcome_word(v: Any) -> str:
    return f"warning({v.warning_code})" if v.warning_code is not None else v.outcome


def _text_block(item: _Loaded, verdicts: list[Any], profiles: list[str], purposes: list) -> str:
    out = [
        f"== {printable(str(item.path))} [{item.index}]",
        f"subject: {printable(_subject(item.cert))}",
        f"sha256:  {item.cert.fingerprint(hashes.SHA256()).hex()}",
        "",
    ]
    by_key = {(v.profile, v.purpose): v for v in verdicts}
    grid = [["purpose", *profiles]]
    for p in purposes:
        grid.append([p.value, *(_outcome_word(by_key[(prof, p)]) for prof in profiles)])
    out.append(_table(grid))
    notable = [v for v in verdicts if v.outcome != Outcome.ALLOWED]
    if notable:
        out += ["", "reasons (every cell that is not a plain 'allowed'):"]
        for v in notable:
            out.append(f"  {v.purpose.value} / {v.profile}: {_outcome_word(v)}")
            # the deciding reason first (JSON keeps evaluation order, deciding last)
            out += [
                f"    {'* deciding:' if i == 0 else '-'} [{r.rule}] {r.text} ({r.source})"
                for i, r in enumerate(v.ordered_reasons)
            ]
    return "\n".join(out)


def _json_entry(item: _Loaded, verdicts: list[Any], openssl: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "file": shown(item.path),
        "index": item.index,
        "sha256": item.cert.fingerprint(hashes.SHA256()).hex(),
        "subject": _subject(item.cert),
        "verdicts": [
            {
                "profile": v.profile,
                "purpose": v.purpose.value,
                "outcome": v.outcome,
                "warning_code": v.warning_code,
                "reasons": [
                    {"rule": r.rule, "text": r.text, "source": r.source} for r in v.reasons
                ],
            }
            for v in verdicts
        ],
    }
    if openssl is not None:
        entry["openssl_purpose"] = openssl
    return entry


# --------------------------------------------------------------------------- run


def run(args: argparse.Namespace) -> int:
    from certlib import profiles as P
    from certlib.core.verdicts import PROFILES, Purpose

    profiles = list(dict.fromkeys(args.profile or PROFILES))
    purposes = [Purpose(p) for p in dict.fromkeys(args.purpose or [x.value for x in Purpose])]
    status = 0

    roots: list[x509.Certificate] = []
    for path in args.roots or ():
        certs, notes = _read(path)
        for note in notes:
            print(f"certlib explain: {printable(note)}", file=sys.stderr)
        if not certs:
            print(
                f"certlib explain: --roots {printable(path)}: no certificate read", file=sys.stderr
            )
            return 2
        roots += certs

    loaded: list[tuple[_Loaded, list[x509.Certificate]]] = []
    for path in args.files:
        certs, notes = _read(path)
        for note in notes:
            print(f"certlib explain: {printable(note)}", file=sys.stderr)
        if not certs:
            if not notes:
                print(f"certlib explain: {printable(path)}: no certificate found", file=sys.stderr)
            status = 2
        loaded += [(_Loaded(path, i, c), certs) for i, c in enumerate(certs)]

    blocks: list[str] = []
    entries: list[dict[str, Any]] = []
    for item, siblings in loaded:
        openssl = None
        if args.openssl_purpose:
            openssl = P.openssl_purpose_text(item.cert, version=args.openssl_version)
        if args.openssl_purpose and args.format == "text":
            blocks.append(openssl.rstrip("\n") if openssl else "")
            continue
        chain: dict[str, Any] = {"at": args.at, "hostname": args.hostname}
        if roots:
            chain["roots"] = roots
            chain["intermediates"] = [c for c in siblings if c != item.cert]
        verdicts = P.verdict_list(item.cert, profiles=profiles, purposes=purposes, **chain)
        if args.format == "json":
            entries.append(_json_entry(item, verdicts, openssl))
        else:
            blocks.append(_text_block(item, verdicts, profiles, purposes))

    if args.format == "json":
        print(json.dumps(entries, indent=2, ensure_ascii=False))
    elif blocks:
        print(("\n" if args.openssl_purpose else "\n\n").join(blocks))
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run without the ``certlib`` dispatcher (``python -m certlib.cli.explain``)."""
    parser = argparse.ArgumentParser(
        prog="certlib explain",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))
