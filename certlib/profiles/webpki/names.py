"""The leaf's names: the SAN's contents and criticality (BR §7.1.2.7.12), the name pyca's
ServerVerifier is given, and host name matching without a chain (as pyca does it, RFC 9525)."""

from __future__ import annotations

import ipaddress

from cryptography import x509

from certlib.cert import der, general_names
from certlib.cert.facts import CertFacts
from certlib.core.memo import Memo
from certlib.core.oids import EXT
from certlib.core.verdicts import Outcome, Purpose
from certlib.profiles.common import match_hostname
from certlib.profiles.webpki.findings import BR, PYCA, PYCA_EE, Finding, finding

__all__ = ["leaf_only_name", "san_rules", "server_name"]

#: GeneralName tags in a SAN (RFC 5280 §4.2.1.6); BR §7.1.2.7.12 permits dNSName and iPAddress.
_SAN_TAGS = {
    0xA0: "otherName",
    0x81: "rfc822Name",
    0x82: "dNSName",
    0xA3: "x400Address",
    0xA4: "directoryName",
    0xA5: "ediPartyName",
    0x86: "uniformResourceIdentifier",
    0x87: "iPAddress",
    0x88: "registeredID",
}


def san_rules(cert: x509.Certificate, f: CertFacts, critical: bool) -> list[Finding]:
    """BR §7.1.2.7.12: SAN criticality follows the subject; only dNSName / iPAddress entries."""
    ext = f.extension(EXT.SUBJECT_ALTERNATIVE_NAME.oid)
    assert ext is not None
    try:
        tags = [t for t, _v in general_names.entries(ext.value)]
    except der.DerError as exc:
        return [
            finding(
                Outcome.INVALID,
                "san.malformed",
                f"The subjectAltName cannot be decoded ({exc}); pyca fails to parse it.",
                "RFC 5280 §4.2.1.6; " + PYCA,
                "undecodable subjectAltName",
            )
        ]
    out: list[Finding] = []
    try:
        empty_subject = len(cert.subject) == 0
    except ValueError:
        empty_subject = False
    src = BR + "7.1.2.7.12"
    if empty_subject != critical:
        out.append(
            finding(
                Outcome.DENIED,
                "san.criticality",
                "subjectAltName must be critical exactly when the subject is empty; here the "
                f"subject is {'empty' if empty_subject else 'not empty'} and the SAN is "
                f"{'critical' if critical else 'not critical'}.",
                src + "; RFC 5280 §4.2.1.6; " + PYCA_EE,
                "subjectAltName criticality",
            )
        )
    other = sorted({_SAN_TAGS.get(t, f"tag 0x{t:02x}") for t in tags} - {"dNSName", "iPAddress"})
    if not tags or other:
        what = f"also holds {', '.join(other)}" if tags else "is empty"
        out.append(
            finding(
                Outcome.DENIED,
                "san.types",
                f"The subjectAltName {what}: a TLS subscriber certificate's SAN holds at least "
                "one entry, each a dNSName or an iPAddress.",
                src,
                "SAN entries other than DNS/IP (BR 7.1.2.7.12)" if tags else "empty SAN",
            )
        )
    if not out:
        out.append(
            finding(
                Outcome.ALLOWED,
                "san.present",
                f"subjectAltName is present with {len(tags)} DNS/IP name(s).",
                src + "; " + PYCA_EE,
            )
        )
    return out


def server_name(
    cert: x509.Certificate, hostname: str | None
) -> tuple[x509.DNSName | x509.IPAddress, Finding]:
    """The name pyca's ServerVerifier must match, and a reason saying where it came from."""
    if hostname:
        try:
            return x509.IPAddress(ipaddress.ip_address(hostname)), finding(
                Outcome.ALLOWED,
                "name.requested",
                f"Name matching requested for IP {hostname}.",
                PYCA,
            )
        except ValueError:
            return x509.DNSName(hostname), finding(
                Outcome.ALLOWED, "name.requested", f"Name matching requested for {hostname}.", PYCA
            )
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns = san.get_values_for_type(x509.DNSName)
        ips = san.get_values_for_type(x509.IPAddress)
    except (x509.ExtensionNotFound, ValueError):
        dns, ips = [], []
    note = (
        "No hostname was requested, so name matching is not part of this verdict; pyca's "
        "ServerVerifier needs a name, so it was given the leaf's own first {kind} SAN '{name}'"
        "{extra}."
    )
    if dns:
        name = dns[0]
        extra = ""
        if name.startswith("*."):
            name = "www" + name[1:]
            extra = f" (wildcard {dns[0]} instantiated as {name})"
        return x509.DNSName(name), finding(
            Outcome.ALLOWED,
            "name.not_requested",
            note.format(kind="DNS", name=name, extra=extra),
            PYCA,
        )
    if ips:
        return x509.IPAddress(ips[0]), finding(
            Outcome.ALLOWED,
            "name.not_requested",
            note.format(kind="IP", name=ips[0], extra=""),
            PYCA,
        )
    return x509.DNSName(Outcome.INVALID), finding(
        Outcome.ALLOWED,
        "name.not_requested",
        "No hostname was requested and the leaf has no DNS or IP SAN; pyca's ServerVerifier "
        "was given the placeholder name 'invalid', which cannot match: a TLS server "
        "certificate needs a DNS or IP SAN (BR §7.1.2.7.12).",
        PYCA,
    )


def leaf_only_name(
    cert: x509.Certificate, purpose: Purpose, hostname: str, *, memo: Memo | None = None
) -> Finding:
    """Without a chain pyca cannot run; match the name the way it does (SAN only, RFC 9525)."""
    src = "RFC 9525 §6.3; certlib.profiles.common.match_hostname"
    if purpose is Purpose.TLS_CLIENT:
        return finding(
            Outcome.ALLOWED,
            "name.ignored",
            f"A hostname ({hostname}) was given, but client certificates are not name-matched "
            "(pyca's ClientVerifier only requires a SAN).",
            PYCA,
        )
    matched, why = match_hostname(cert, hostname, memo=memo)
    if matched:
        return finding(Outcome.ALLOWED, "name.match", why[0].upper() + why[1:] + ".", src)
    return finding(
        Outcome.DENIED,
        "name.mismatch",
        why[0].upper() + why[1:] + "; a browser would refuse the connection.",
        src,
        f"name {hostname} not in the SAN",
    )
