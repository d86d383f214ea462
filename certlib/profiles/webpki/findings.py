"""A finding: one reason of a Web PKI verdict, the outcome it pushes towards and a short label.

Every rule module of this profile returns findings; :mod:`.outcome` turns them into a verdict
(the worst decides, the short labels of the deciding ones make the closing summary). The source
texts and the small formatting helpers live here so that every reason cites its sources alike.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography import x509

from certlib.cert.facts import CertFacts
from certlib.core.oids import eku, ku_bit
from certlib.core.verdicts import Reason

__all__ = [
    "BR",
    "CHROME",
    "PYCA",
    "PYCA_CA",
    "PYCA_EE",
    "RFC_EKU",
    "Finding",
    "criticality",
    "day",
    "eku_names",
    "finding",
    "ku_bits",
    "subject_text",
]

BR = "CA/B Forum TLS Baseline Requirements 2.2.6 §"
CHROME = "Chrome Root Program policy v1.8 §1.3.2"
PYCA = "pyca/cryptography x509.verification"
PYCA_EE = f"{PYCA} (webpki_defaults_ee)"
PYCA_CA = f"{PYCA} (webpki_defaults_ca)"
RFC_EKU = "RFC 5280 §4.2.1.12"


@dataclass(frozen=True)
class Finding:
    """A reason plus the outcome it pushes towards and a short label for the closing summary."""

    outcome: str
    reason: Reason
    short: str = ""


def finding(outcome: str, rule: str, text: str, source: str, short: str = "") -> Finding:
    """A :class:`Finding` from its outcome and its reason's three parts."""
    return Finding(outcome, Reason(rule, text, source), short)


def eku_names(oids: Iterable[str]) -> str:
    """Key purposes by their short names, for reason texts."""
    return ", ".join(eku(o).short_name for o in oids) or "(none)"


def ku_bits(names: Iterable[str]) -> str:
    """keyUsage bits by their RFC 5280 names, in bit order."""
    return ", ".join(ku_bit(n).rfc_name for n in sorted(names, key=lambda n: ku_bit(n).bit))


def day(t: _dt.datetime) -> str:
    """An instant as the day reasons cite (rules take effect on days)."""
    return t.date().isoformat()


def subject_text(cert: x509.Certificate) -> str:
    """The subject for a reason; an empty or undecodable one says so instead of failing."""
    try:
        return cert.subject.rfc4514_string() or "(empty subject)"
    except ValueError:
        return "(undecodable subject)"


def criticality(f: CertFacts, oid: str) -> bool | None:
    """Whether extension ``oid`` is critical, or None when it is absent."""
    ext = f.extension(oid)
    return None if ext is None else ext.critical
