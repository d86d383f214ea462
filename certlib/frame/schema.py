"""The certificate frame's schema: every column's dtype and meaning, and the casts to it.

Why a schema: a frame of plain ``decode()`` rows would get whatever dtypes pandas guesses
(``object`` for a column that happens to be all None, floats for a path length with gaps), so
filters, Parquet files and plots would differ from run to run. :data:`SCHEMA` fixes every
column's dtype and meaning once; it drives :func:`apply_schema` and ``docs/columns.md``
(:func:`columns_markdown`), and a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from certlib.cert.decode import COLUMNS

__all__ = [
    "ABSENT",
    "BOOLEAN",
    "CATEGORY",
    "DATETIME",
    "EMPTY",
    "FLOAT",
    "INT",
    "LIST",
    "NONE",
    "SCHEMA",
    "STR",
    "UNKNOWN",
    "Column",
    "apply_schema",
    "columns_markdown",
    "flatten_lists",
    "is_missing",
    "require",
    "schema_columns",
]


#: Markers in the long tables, so "no EKU" is a row you can count, never a NaN that vanishes.
ABSENT = "(absent)"  # the extension is not in the certificate
EMPTY = "(empty)"  # the extension is there but lists nothing (e.g. an empty EKU SEQUENCE)
NONE = "(none)"  # no subjectAltName entries at all
UNKNOWN = "(unknown)"  # the value could not be decoded (see decode_errors), or the row is an error

#: The pandas dtypes used, by the name the schema gives them.
STR = "str"  # pandas 3 default string dtype: StringDtype(na_value=nan); missing is NaN
DATETIME = "datetime64[us, UTC]"
CATEGORY = "category"
BOOLEAN = "boolean"  # nullable: True / False / <NA>
INT = "Int64"  # nullable integer
FLOAT = "float64"
LIST = "object"  # each cell a Python list of str (or None where the schema says so)


@dataclass(frozen=True)
class Column:
    """One column of a certificate frame: its name, dtype and what it means."""

    name: str
    dtype: str
    meaning: str


def _c(name: str, dtype: str, meaning: str) -> tuple[str, Column]:
    return name, Column(name, dtype, meaning)


#: column -> Column(dtype, meaning), in :data:`certlib.cert.decode.COLUMNS` order.
SCHEMA: dict[str, Column] = dict(
    [
        _c("sha256", STR, "SHA-256 of the DER certificate, lowercase hex: the row key."),
        _c(
            "sha1",
            STR,
            "SHA-1 of the DER, lowercase hex: the Windows thumbprint (Windows shows it uppercase).",
        ),
        _c(
            "serial_number",
            STR,
            "Serial number, lowercase hex of the magnitude in whole bytes, sign kept "
            "(`-0a`, `00`); `openssl x509 -serial` prints the same digits in uppercase.",
        ),
        _c("version", INT, "X.509 version: 1, 2 or 3."),
        _c(
            "subject",
            STR,
            "Subject as an RFC 4514 string (most specific RDN first), with OpenSSL's short "
            "names for attributes RFC 4514 leaves unnamed (`emailAddress`, `serialNumber`, …).",
        ),
        _c("subject_cn", STR, "First commonName of the subject; missing if there is none."),
        _c("issuer", STR, "Issuer as an RFC 4514 string (same rules as `subject`)."),
        _c("issuer_cn", STR, "First commonName of the issuer; missing if there is none."),
        _c("self_issued", BOOLEAN, "Subject and issuer names are byte-for-byte equal."),
        _c(
            "self_signed",
            BOOLEAN,
            "Self-issued and the signature verifies with the certificate's own public key; "
            "missing when it cannot be checked (e.g. an unsupported signature algorithm).",
        ),
        _c("not_before", DATETIME, "Start of validity (UTC)."),
        _c("not_after", DATETIME, "End of validity (UTC); RFC 5280 counts this instant as valid."),
        _c("validity_days", FLOAT, "`not_after - not_before` in days (fractional)."),
        _c(
            "public_key_algorithm",
            CATEGORY,
            "`RSA`, `EC`, `Ed25519`, `Ed448`, `DSA`, `RSASSA-PSS`, `X25519`, `X448`, `DH`, "
            "or the dotted OID when unknown.",
        ),
        _c(
            "public_key_size",
            INT,
            "Key size in bits (RSA modulus, EC curve, DSA group); Ed25519 256 and Ed448 456 "
            "(raw key length; OpenSSL reports 253 for Ed25519).",
        ),
        _c("public_key_curve", CATEGORY, "EC curve name (`secp256r1`, …); missing otherwise."),
        _c(
            "spki_sha256",
            STR,
            "SHA-256 of the SubjectPublicKeyInfo as stored, lowercase hex (the key pin).",
        ),
        _c(
            "signature_algorithm",
            CATEGORY,
            "What `openssl x509 -text` prints as Signature Algorithm "
            "(`sha256WithRSAEncryption`, `ecdsa-with-SHA256`, `ED25519`, `rsassaPss`, …).",
        ),
        _c(
            "signature_hash",
            CATEGORY,
            "Digest of the signature (`sha256`, `sha1`, `md5`, …); missing for Ed25519/Ed448.",
        ),
        _c("san_present", BOOLEAN, "A subjectAltName extension is present."),
        _c(
            "alternative_names",
            LIST,
            "subjectAltName entries in order as `TYPE:value`: `DNS:`, `IP:` (IPv6 compressed), "
            "`email:`, `URI:`, `DirName:`, `RID:`, `othername:<UPN or OID>:<value>`; "
            "[] when absent.",
        ),
        _c("dns_names", LIST, "The `DNS:` entries of `alternative_names`, without the prefix."),
        _c("eku_present", BOOLEAN, "An Extended Key Usage extension is present."),
        _c("eku_critical", BOOLEAN, "The EKU extension is marked critical (False when absent)."),
        _c(
            "eku_oids",
            LIST,
            "EKU key purpose OIDs (dotted) in certificate order; [] when absent *or* empty "
            "(`eku_present` tells which). Read from the DER, so an empty EKU SEQUENCE that "
            "cryptography refuses still gives [].",
        ),
        _c(
            "eku_names",
            LIST,
            "RFC/ASN.1 short names of `eku_oids` (`serverAuth`, `clientAuth`, "
            "`msSmartcardLogin`, …) from `certlib.core.oids`; an unknown OID stands for itself. "
            "Display names: `certlib.core.oids.eku(oid).display_name`.",
        ),
        _c("ku_present", BOOLEAN, "A Key Usage extension is present."),
        _c(
            "ku_critical",
            BOOLEAN,
            "The Key Usage extension is marked critical (False when absent).",
        ),
        _c(
            "key_usage",
            LIST,
            "Key Usage bits set, in bit order, as `certlib.core.oids.KU_BITS` names "
            "(`digital_signature`, `key_cert_sign`, …); [] when absent or no bit set.",
        ),
        _c("bc_present", BOOLEAN, "A basicConstraints extension is present."),
        _c("bc_critical", BOOLEAN, "basicConstraints is marked critical (False when absent)."),
        _c("is_ca", BOOLEAN, "basicConstraints cA is TRUE (False when the extension is absent)."),
        _c("path_length", INT, "basicConstraints pathLenConstraint; missing when not set."),
        _c(
            "ns_cert_type",
            LIST,
            "Netscape cert type bits set, in bit order, as `certlib.core.oids.NS_CERT_TYPE_BITS` "
            "names (`ssl_server`, …); None when the extension is absent.",
        ),
        _c(
            "ms_application_policies",
            LIST,
            "Microsoft application policy OIDs (1.3.6.1.4.1.311.21.10); None when absent.",
        ),
        _c("extension_oids", LIST, "Every extension OID in certificate order (duplicates kept)."),
        _c(
            "unknown_critical_extensions",
            LIST,
            "Critical extensions outside `certlib.cert.decode.HANDLED_CRITICAL_EXTENSIONS` "
            "(what OpenSSL 3.0 processes, a superset of RFC 5280's must-recognise list): "
            "RFC 5280 says reject.",
        ),
        _c(
            "decode_errors",
            LIST,
            "`field: ExceptionType: message` for every field that could not be read; the rest "
            "of the row is still filled.",
        ),
        _c(
            "warnings",
            LIST,
            "`field: WarningType: message` for warnings raised while reading (e.g. a "
            "non-positive serial), and fields that could not be determined (`self_signed`).",
        ),
    ]
)

if tuple(SCHEMA) != COLUMNS:  # pragma: no cover - a programming error, caught at import
    raise RuntimeError("certlib.frame.SCHEMA and certlib.cert.decode.COLUMNS disagree")


def schema_columns(
    columns: Mapping[str, list[Any]], n: int, *, clean: bool = False
) -> dict[str, pd.Series]:
    """Typed schema columns (in schema order) straight from per-column lists of ``n`` cells.

    What :func:`to_frame` does for row dicts, minus the intermediate object frame and its copy:
    the inventory builds its chunks this way. A column missing from ``columns`` is all-missing.
    ``clean``: the lists are the caller's to give away and hold what
    :func:`certlib.cert.decode.decode` makes (a missing cell is None, never NaN or ``pd.NA``;
    every list cell is a list no other row holds), so cells are neither normalised nor copied
    one by one (a fifth of building an inventory chunk).
    """
    out: dict[str, pd.Series] = {}
    index = pd.RangeIndex(n)
    for name, col in SCHEMA.items():
        values = columns.get(name)
        if values is None:
            out[name] = _cast([None] * n, col.dtype, index)
        elif clean:
            out[name] = _cast_clean(values, col.dtype, index)
        else:
            out[name] = _cast(values, col.dtype, index)
    return out


def _cast_clean(values: list[Any], dtype: str, index: pd.Index) -> pd.Series:
    """:func:`_cast` of cells that need no normalising (see :func:`schema_columns`)."""
    if dtype == LIST:
        return pd.Series(values, index=index, dtype=object)
    if dtype == STR:
        return pd.Series(values, index=index, dtype=STR)
    if dtype == CATEGORY:
        return pd.Series(values, index=index, dtype=STR).astype(CATEGORY)
    if dtype == BOOLEAN:
        return pd.Series(pd.array(values, dtype=dtype), index=index)
    if dtype == DATETIME:
        # decode's instants are aware UTC datetimes: read in one go (4x cheaper than
        # to_datetime of an object column); anything else (all missing, another zone) goes
        # the general way
        try:
            stamps = pd.DatetimeIndex(values).as_unit("us")
        except (TypeError, ValueError):
            stamps = None
        if stamps is not None and stamps.dtype == DATETIME:
            return pd.Series(stamps, index=index)
    return _cast(values, dtype, index)  # numbers (and the rest): as the general cast does


def apply_schema(frame: pd.DataFrame, *, list_sep: str | None = None) -> pd.DataFrame:
    """Cast the schema columns of ``frame`` to their dtypes (missing ones are added, empty).

    Use it after ``pd.read_parquet`` (list cells come back as numpy arrays and are turned back
    into lists), after ``pd.read_csv`` of a :func:`flatten_lists` file with ``list_sep=";"``
    (text cells are split back into lists), or on frames assembled by hand. Other columns are
    left alone.
    """
    out = frame.copy()
    for name, col in SCHEMA.items():
        values = out[name] if name in out.columns else pd.Series([None] * len(out), index=out.index)
        if col.dtype == LIST and list_sep is not None:
            values = values.map(lambda v: _split(v, list_sep))
        out[name] = _cast(values, col.dtype)
    ordered = [*SCHEMA, *(c for c in out.columns if c not in SCHEMA)]
    return out[ordered]


def _cast(values: pd.Series | list[Any], dtype: str, index: pd.Index | None = None) -> pd.Series:
    """``values`` (a Series, or a plain list with ``index``) as a Series of schema ``dtype``."""
    if index is None:
        index = values.index  # type: ignore[union-attr]
    if dtype == LIST:
        # the common cell (a list) copied inline; everything else through _as_list
        cells = [list(v) if type(v) is list else _as_list(v) for v in values]
        return pd.Series(cells, index=index, dtype=object)
    if dtype == DATETIME:
        stamps = pd.to_datetime(pd.Series(_scalars(values), index=index, dtype=object), utc=True)
        return stamps.astype(DATETIME)
    if dtype == BOOLEAN:
        return pd.Series(pd.array(_scalars(values), dtype=dtype), index=index)
    if dtype == INT:
        # Int64 cannot hold e.g. a pathLenConstraint of 2**64 (x509-limbo has such certificates):
        # such a cell becomes missing rather than failing the whole frame; decode says why.
        cells = [
            v if v is None or _INT64_MIN <= v <= _INT64_MAX else None for v in _scalars(values)
        ]
        return pd.Series(pd.array(cells, dtype=dtype), index=index)
    if dtype == FLOAT:
        numbers = pd.Series(_scalars(values), index=index, dtype=object)
        return pd.to_numeric(numbers, errors="coerce").astype(FLOAT)
    if dtype == STR:
        return pd.Series(_scalars(values), index=index, dtype=STR)
    if dtype == CATEGORY:  # categories are `str` too, so empty and full frames agree
        return _cast(values, STR, index).astype(CATEGORY)
    raise ValueError(f"no cast for schema dtype {dtype!r}")


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _scalars(values: pd.Series | list[Any]) -> list[Any]:
    """``[None if is_missing(v) else v for v in values]``, inlined (one call per cell adds up)."""
    na = pd.NA
    return [
        None if v is None or v is na or (isinstance(v, float) and v != v) else v for v in values
    ]


def is_missing(value: Any) -> bool:
    """None, ``pd.NA`` or a float NaN: a cell the schema counts as missing."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def require(frame: pd.DataFrame, *columns: str) -> None:
    """Raise a clear ``KeyError`` if any of ``columns`` is missing from ``frame``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"df.certs needs column(s) {missing}; build the frame with to_frame()")


def _split(value: Any, sep: str) -> Any:
    if isinstance(value, str):
        return value.split(sep) if value else []
    return value


def _as_list(value: Any) -> list[Any] | None:
    """A list cell: lists stay, tuples/arrays (Parquet) become lists, missing becomes None."""
    if is_missing(value):
        return None
    if isinstance(value, np.ndarray):
        return [_as_list(v) if isinstance(v, np.ndarray) else v for v in value.tolist()]
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    raise TypeError(f"expected a list, got {type(value).__name__}: {value!r}")


def flatten_lists(frame: pd.DataFrame, sep: str = ";") -> pd.DataFrame:
    """A copy with list columns joined into ``sep``-separated ``str`` (for CSV and Excel).

    An empty list becomes "" and a missing list stays missing, so the two remain distinct.
    """
    out = frame.copy()
    for name, col in SCHEMA.items():
        if col.dtype == LIST and name in out.columns:
            joined = [None if v is None else sep.join(map(str, v)) for v in out[name]]
            out[name] = pd.Series(joined, index=out.index, dtype=STR)
    return out


def columns_markdown() -> str:
    """``docs/columns.md``, generated from :data:`SCHEMA` (a test checks the file matches)."""
    lines = [
        "# Certificate frame columns",
        "",
        "<!-- Generated from certlib.frame.SCHEMA by certlib.frame.columns_markdown();",
        "     do not edit by hand: tests/frame/test_frame.py checks this file against the "
        "schema. -->",
        "",
        "`certlib.cert.decode.decode(cert)` returns one row with these keys; "
        "`certlib.to_frame(certs)` turns rows into a DataFrame with these dtypes, "
        "in this order. Inventories add their own columns after these.",
        "",
        "| column | dtype | meaning |",
        "|---|---|---|",
    ]
    lines += [f"| `{c.name}` | `{c.dtype}` | {c.meaning} |" for c in SCHEMA.values()]
    lines += [
        "",
        "## Missing values",
        "",
        f"`{STR}` is pandas 3's default string dtype (`StringDtype(na_value=nan)`): missing is "
        f"`NaN`. `{BOOLEAN}` and `{INT}` are nullable: missing is `<NA>`, meaning *unknown* "
        "(could not be read, or the row is an inventory error row). A missing date is `NaT`.",
        "",
        "## List columns",
        "",
        f"List columns have dtype `{LIST}`; each cell is a Python `list` of `str`. For a "
        "decoded certificate they are never missing, except `ns_cert_type` and "
        "`ms_application_policies`, which are `None` when the extension is absent; an absent "
        "EKU, Key Usage or subjectAltName gives `[]`, and the `*_present` column tells absent "
        "from empty. `None` elsewhere means the field could not be read (see `decode_errors`). "
        "For one row per value use `df.certs.eku_table()` / `df.certs.san_table()`, which "
        f"show `{ABSENT}`, `{EMPTY}`, `{NONE}` and `{UNKNOWN}` as explicit rows.",
        "",
        "## Parquet and CSV",
        "",
        "Parquet (pyarrow) keeps every column and dtype, including `category` and the UTC "
        "timestamps, but list cells come back as `numpy.ndarray`: "
        "`certlib.frame.apply_schema(pd.read_parquet(path))` turns them back into lists. "
        "CSV keeps neither lists nor dtypes: write `certlib.frame.flatten_lists(df)` (lists "
        "joined with `;`, `[]` → empty string, missing stays missing; dates as "
        "`2026-01-01 00:00:00+00:00`) and read it back with "
        '`apply_schema(pd.read_csv(path), list_sep=";")`. `read_csv` turns empty strings '
        "into missing values, so after a CSV round trip `[]` and missing look alike.",
        "",
        "## The `df.certs` accessor",
        "",
        "`import certlib` registers it (`certlib.accessor.CertsAccessor`). `eku_table()` and "
        "`san_table()` give one row per certificate × value (index = the frame's index, so "
        "they join back); `expiring(within='30D', at=None)`, `expired(at=None)`, "
        "`not_yet_valid(at=None)` and `valid_at(at=None)` filter on the validity dates "
        "(inclusive, as RFC 5280; `at` defaults to now, naive times are UTC). Every method, "
        "with its signature, is listed in [accessor.md](accessor.md); the inventory's and "
        "report's methods are described in [inventory.md](inventory.md).",
        "",
    ]
    return "\n".join(lines)
