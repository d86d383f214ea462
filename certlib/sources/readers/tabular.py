"""CSV, above all PowerShell ``Export-Csv`` of ``Cert:`` items, with a column of certificates.

Each row's certificate cell (base64 DER or PEM) goes back to the dispatcher; ``FriendlyName`` and
``HasPrivateKey`` columns become alias and key flag. A default export, whose RawData is the text
``System.Byte[]``, holds no certificate at all: it is reported with the export that works.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from certlib.sources.readers.context import _Ctx, _join_alias, _short_error, _Via
from certlib.sources.readers.records import key_state
from certlib.sources.readers.sniffing import _b64decode, _Sniffed

#: The export that keeps the certificate bytes (docs/inputs.md explains each part).
RECOMMENDED_POWERSHELL_EXPORT = (
    "Get-ChildItem Cert:\\LocalMachine\\My | Select-Object "
    "@{n='RawDataB64';e={[Convert]::ToBase64String($_.RawData)}}, "
    "@{n='NotAfterUtc';e={$_.NotAfter.ToUniversalTime().ToString('o')}}, "
    "@{n='EKU';e={$_.EnhancedKeyUsageList.ObjectId -join ';'}}, "
    "@{n='DnsNames';e={$_.DnsNameList.Unicode -join ';'}}, "
    "HasPrivateKey, FriendlyName, Thumbprint, PSParentPath | "
    "Export-Csv certs.csv -NoTypeInformation -Encoding UTF8"
)


_CSV_PREFERRED = ("rawdatab64", "rawdata", "certificate", "cert", "pem", "der")
_METADATA_ONLY = "System.Byte[]"


def _read_csv(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    """PowerShell ``Export-Csv`` (or any CSV) with a column of base64/PEM certificates."""
    own = sniffed.kind
    lines = (sniffed.text or "").strip().lstrip("\ufeff").splitlines(keepends=True)
    if lines and lines[0].startswith("#TYPE"):
        lines = lines[1:]
    header = lines[0] if lines else ""
    delimiter = max(",;\t", key=header.count)
    try:
        stream = io.StringIO("".join(lines), newline="")
        rows = list(csv.DictReader(stream, delimiter=delimiter))
    except csv.Error as exc:
        ctx.problem("corrupt", f"CSV cannot be parsed ({_short_error(exc)})", via, own)
        return
    if not rows:
        ctx.problem("empty", "CSV has a header but no rows", via, own)
        return
    columns = _csv_columns(list(rows[0].keys()))
    metadata_only, empty = 0, []
    for number, row in enumerate(rows, start=1):
        found = _csv_row(row, columns, number, ctx, via, own)
        if found is None:
            if any((row.get(c) or "").strip() == _METADATA_ONLY for c in columns):
                metadata_only += 1
            else:
                empty.append(number)
    _csv_summary(metadata_only, empty, len(rows), ctx, via, own)


def _csv_columns(names: list[str | None]) -> list[str]:
    """Certificate columns first in the preferred order, then every other column."""
    real = [n for n in names if n]
    lower = {n.lower(): n for n in real}
    first = [lower[p] for p in _CSV_PREFERRED if p in lower]
    return first + [n for n in real if n not in first]


def _csv_cell_payload(cell: str) -> bytes | None:
    cell = cell.strip()
    if "-----BEGIN " in cell:
        return cell.encode("utf-8")
    if len(cell) < 64:
        return None
    payload = _b64decode(cell)
    if payload and payload[:1] == b"0":
        return payload
    return None


def _csv_row(
    row: dict[str | None, Any], columns: list[str], number: int, ctx: _Ctx, via: _Via, own: str
) -> bool | None:
    fields = {(k or "").lower(): (v if isinstance(v, str) else "") for k, v in row.items()}
    for column in columns:
        payload = _csv_cell_payload(row.get(column) or "")
        if payload is None:
            continue
        inner = via.inner(
            container=via.container or own,
            alias=_join_alias(via.alias, fields.get("friendlyname", "").strip() or None),
            has_key=key_state(via.has_key, _csv_bool(fields.get("hasprivatekey"))),
            where=f"CSV row {number} ({column})",
        )
        ctx.dispatch(payload, ctx, inner)
        return True
    return None


def _csv_summary(
    metadata_only: int, empty: list[int], total: int, ctx: _Ctx, via: _Via, own: str
) -> None:
    if metadata_only:
        msg = (
            f"{metadata_only} of {total} row(s) have RawData exported as the text "
            f"'{_METADATA_ONLY}' (default Export-Csv): the CSV holds metadata only, no "
            f"certificate bytes. Re-export with: {RECOMMENDED_POWERSHELL_EXPORT}"
        )
        ctx.problem("unsupported", msg, via, own, indexed=False)
    if empty:
        shown = ", ".join(str(n) for n in empty[:10]) + (" …" if len(empty) > 10 else "")
        msg = f"{len(empty)} of {total} CSV row(s) have no certificate column value (rows {shown})"
        ctx.problem("empty", msg, via, own, indexed=False)


def _csv_bool(cell: str | None) -> bool | None:
    """PowerShell's ``True``/``False``; anything else (no such column, empty) is unknown."""
    text = (cell or "").strip().lower()
    return True if text == "true" else False if text == "false" else None
