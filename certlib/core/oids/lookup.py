"""Catalogue look-up shared by every table of :mod:`certlib.core.oids`: unknown OIDs get an
entry of their own (``known=False``) instead of an error, so bad input stays data."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from cryptography import x509

__all__ = ["lookup"]

_Entry = TypeVar("_Entry")


def lookup(
    table: dict[str, _Entry], oid: str | x509.ObjectIdentifier, unknown: Callable[[str], _Entry]
) -> _Entry:
    """``table``'s entry for ``oid`` (dotted or an ObjectIdentifier), else ``unknown(dotted)``."""
    dotted = oid.dotted_string if isinstance(oid, x509.ObjectIdentifier) else str(oid)
    found = table.get(dotted)
    if found is not None:
        return found
    return unknown(dotted)
