"""The one catalogue of OIDs and names: EKU key purposes, Key Usage bits, extensions.

Everything else in certlib (decoding, verdicts, widgets, notebooks) looks names up here, so
that a dotted OID is spelled exactly once in the code base.

Sources, per entry in ``source``:

* RFC 5280 §4.2.1.12 — the six key purposes and their "key usage bits that may be consistent".
* OpenSSL 3.0.19 ``openssl x509 -text`` display names, confirmed on the binary
  (docs/semantics.md §0.1).
* Windows friendly names: the .NET ``OidLookup.cs`` table generated from Windows 10.
* Windows certificate-dialog "intended purpose" sentences: third-party reproductions only
  (docs/semantics.md §3.4), so every one is marked ``windows_purpose_verified=False``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from cryptography import x509

__all__ = [
    "ANY_POLICY",
    "EKU",
    "EXAMPLE_UNKNOWN_OID",
    "EXT",
    "KU_BITS",
    "NAME_ATTRIBUTE_SHORT_NAMES",
    "NS_CERT_TYPE_BITS",
    "OTHER_NAME",
    "PUBLIC_KEY_ALGORITHMS",
    "SIGNATURE_ALGORITHMS",
    "ExtensionInfo",
    "KeyPurpose",
    "KeyUsageBit",
    "NetscapeCertTypeBit",
    "OtherNameType",
    "PublicKeyAlgorithm",
    "SignatureAlgorithm",
    "eku",
    "eku_catalogue",
    "extension",
    "extension_catalogue",
    "ku_bit",
    "other_name",
    "public_key_algorithm",
    "signature_algorithm",
]

_RFC5280_EKU = "RFC 5280 §4.2.1.12"
_Entry = TypeVar("_Entry")


def _lookup(
    table: dict[str, _Entry], oid: str | x509.ObjectIdentifier, unknown: Callable[[str], _Entry]
) -> _Entry:
    """``table``'s entry for ``oid`` (dotted or an ObjectIdentifier), else ``unknown(dotted)``."""
    dotted = oid.dotted_string if isinstance(oid, x509.ObjectIdentifier) else str(oid)
    found = table.get(dotted)
    if found is not None:
        return found
    return unknown(dotted)


_DOTNET = ".NET OidLookup.cs (Windows 10 table)"


@dataclass(frozen=True)
class KeyPurpose:
    """One EKU key purpose (KeyPurposeId) and every name the field gives it."""

    oid: str
    short_name: str
    openssl_name: str | None
    windows_name: str | None
    windows_purpose: str | None = None
    windows_purpose_verified: bool = False
    consistent_ku: tuple[str, ...] | None = None
    source: str = ""
    known: bool = True

    @property
    def object_identifier(self) -> x509.ObjectIdentifier:
        return x509.ObjectIdentifier(self.oid)

    @property
    def display_name(self) -> str:
        """The best human name: Windows friendly name, else OpenSSL's, else the RFC name."""
        return self.windows_name or self.openssl_name or self.short_name

    @property
    def openssl_text(self) -> str:
        """What ``openssl x509 -text`` prints for this OID (the dotted OID when unnamed)."""
        return self.openssl_name or self.oid


def _kp(
    oid: str,
    short: str,
    ossl: str | None,
    win: str | None,
    *,
    purpose: str | None = None,
    ku: tuple[str, ...] | None = None,
    source: str = _DOTNET,
) -> KeyPurpose:
    return KeyPurpose(oid, short, ossl, win, purpose, False, ku, source)


class EKU:
    """Named EKU key purposes, in the spirit of ``cryptography``'s ``ExtendedKeyUsageOID``."""

    ANY = _kp(
        "2.5.29.37.0",
        "anyExtendedKeyUsage",
        "Any Extended Key Usage",
        "Any Purpose",
        purpose="All application policies",
        source=_RFC5280_EKU,
    )
    SERVER_AUTH = _kp(
        "1.3.6.1.5.5.7.3.1",
        "serverAuth",
        "TLS Web Server Authentication",
        "Server Authentication",
        purpose="Ensures the identity of a remote computer",
        ku=("digital_signature", "key_encipherment", "key_agreement"),
        source=_RFC5280_EKU,
    )
    CLIENT_AUTH = _kp(
        "1.3.6.1.5.5.7.3.2",
        "clientAuth",
        "TLS Web Client Authentication",
        "Client Authentication",
        purpose="Proves your identity to a remote computer",
        ku=("digital_signature", "key_agreement"),
        source=_RFC5280_EKU,
    )
    CODE_SIGNING = _kp(
        "1.3.6.1.5.5.7.3.3",
        "codeSigning",
        "Code Signing",
        "Code Signing",
        purpose=(
            "Ensures software came from software publisher; "
            "Protects software from alteration after publication"
        ),
        ku=("digital_signature",),
        source=_RFC5280_EKU,
    )
    EMAIL_PROTECTION = _kp(
        "1.3.6.1.5.5.7.3.4",
        "emailProtection",
        "E-mail Protection",
        "Secure Email",
        purpose="Protects e-mail messages",
        ku=("digital_signature", "content_commitment", "key_encipherment", "key_agreement"),
        source=_RFC5280_EKU,
    )
    IPSEC_END_SYSTEM = _kp(
        "1.3.6.1.5.5.7.3.5",
        "ipsecEndSystem",
        "IPSec End System",
        "IP security end system",
        purpose="Allows secure communication on the Internet",
    )
    IPSEC_TUNNEL = _kp(
        "1.3.6.1.5.5.7.3.6", "ipsecTunnel", "IPSec Tunnel", "IP security tunnel termination"
    )
    IPSEC_USER = _kp("1.3.6.1.5.5.7.3.7", "ipsecUser", "IPSec User", "IP security user")
    TIME_STAMPING = _kp(
        "1.3.6.1.5.5.7.3.8",
        "timeStamping",
        "Time Stamping",
        "Time Stamping",
        purpose="Allows data to be signed with the current time",
        ku=("digital_signature", "content_commitment"),
        source=_RFC5280_EKU,
    )
    OCSP_SIGNING = _kp(
        "1.3.6.1.5.5.7.3.9",
        "OCSPSigning",
        "OCSP Signing",
        "OCSP Signing",
        ku=("digital_signature", "content_commitment"),
        source=_RFC5280_EKU,
    )
    DVCS = _kp("1.3.6.1.5.5.7.3.10", "dvcs", "dvcs", None, source="RFC 3029")
    IPSEC_IKE = _kp(
        "1.3.6.1.5.5.7.3.17",
        "ipsecIKE",
        "ipsec Internet Key Exchange",
        None,
        source="RFC 4945",
    )
    DOCUMENT_SIGNING = _kp("1.3.6.1.5.5.7.3.36", "documentSigning", None, None, source="RFC 9336")
    IKE_INTERMEDIATE = _kp(
        "1.3.6.1.5.5.8.2.2", "iKEIntermediate", None, "IP security IKE intermediate"
    )
    MS_SGC = _kp(
        "1.3.6.1.4.1.311.10.3.3",
        "msSGC",
        "Microsoft Server Gated Crypto",
        None,
        source="Microsoft; OpenSSL XKU_SGC",
    )
    NS_SGC = _kp(
        "2.16.840.1.113730.4.1",
        "nsSGC",
        "Netscape Server Gated Crypto",
        None,
        source="Netscape; OpenSSL XKU_SGC",
    )
    MS_INDIVIDUAL_CODE_SIGNING = _kp(
        "1.3.6.1.4.1.311.2.1.21",
        "msCodeInd",
        "Microsoft Individual Code Signing",
        None,
        source="Microsoft Authenticode",
    )
    MS_COMMERCIAL_CODE_SIGNING = _kp(
        "1.3.6.1.4.1.311.2.1.22",
        "msCodeCom",
        "Microsoft Commercial Code Signing",
        None,
        source="Microsoft Authenticode",
    )
    MS_KERNEL_CODE_SIGNING = _kp(
        "1.3.6.1.4.1.311.61.1.1", "msKernelCodeSigning", None, "Kernel Mode Code Signing"
    )
    MS_TRUST_LIST_SIGNING = _kp(
        "1.3.6.1.4.1.311.10.3.1",
        "msCTLSign",
        "Microsoft Trust List Signing",
        "Microsoft Trust List Signing",
    )
    MS_TIME_STAMPING = _kp(
        "1.3.6.1.4.1.311.10.3.2", "msTimeStamping", None, "Microsoft Time Stamping"
    )
    MS_EFS = _kp(
        "1.3.6.1.4.1.311.10.3.4",
        "msEFS",
        "Microsoft Encrypted File System",
        "Encrypting File System",
        purpose="Allows data on disk to be encrypted",
    )
    MS_EFS_RECOVERY = _kp("1.3.6.1.4.1.311.10.3.4.1", "msEFSRecovery", None, "File Recovery")
    MS_DOCUMENT_SIGNING = _kp(
        "1.3.6.1.4.1.311.10.3.12", "msDocumentSigning", None, "Document Signing"
    )
    MS_SMART_CARD_LOGON = _kp(
        "1.3.6.1.4.1.311.20.2.2",
        "msSmartcardLogin",
        "Microsoft Smartcard Login",
        "Smart Card Logon",
    )
    MS_CERTIFICATE_REQUEST_AGENT = _kp(
        "1.3.6.1.4.1.311.20.2.1", "msEnrollmentAgent", None, "Certificate Request Agent"
    )
    MS_KEY_RECOVERY_AGENT = _kp(
        "1.3.6.1.4.1.311.21.6", "msKeyRecoveryAgent", None, "Key Recovery Agent"
    )
    MS_ALL_APPLICATION_POLICIES = _kp(
        "1.3.6.1.4.1.311.10.12.1", "msAllApplicationPolicies", None, "All application policies"
    )
    KDC_AUTHENTICATION = _kp(
        "1.3.6.1.5.2.3.5",
        "pkInitKDC",
        "Signing KDC Response",
        "KDC Authentication",
        source="RFC 4556",
    )
    PKINIT_CLIENT = _kp(
        "1.3.6.1.5.2.3.4",
        "pkInitClientAuth",
        "PKINIT Client Auth",
        None,
        source="RFC 4556",
    )
    CT_PRECERT_SIGNING = _kp(
        "1.3.6.1.4.1.11129.2.4.4",
        "ctPrecertSigning",
        "CT Precertificate Signer",
        None,
        source="RFC 6962 §3.1",
    )

    #: The six purposes RFC 5280 §4.2.1.12 defines, in the RFC's order.
    RFC5280 = (
        SERVER_AUTH,
        CLIENT_AUTH,
        CODE_SIGNING,
        EMAIL_PROTECTION,
        TIME_STAMPING,
        OCSP_SIGNING,
    )
    #: Both Server Gated Crypto OIDs: OpenSSL counts either as serverAuth (XKU_SGC).
    SGC = (MS_SGC, NS_SGC)


_EKU_BY_OID: dict[str, KeyPurpose] = {
    v.oid: v for v in vars(EKU).values() if isinstance(v, KeyPurpose)
}


def eku(oid: str | x509.ObjectIdentifier) -> KeyPurpose:
    """Catalogue entry for an EKU OID; unknown OIDs get a ``known=False`` entry, never an error."""
    return _lookup(
        _EKU_BY_OID,
        oid,
        lambda dotted: KeyPurpose(dotted, dotted, None, None, source="unknown OID", known=False),
    )


def eku_catalogue() -> tuple[KeyPurpose, ...]:
    """Every known EKU key purpose, in catalogue order."""
    return tuple(_EKU_BY_OID.values())


@dataclass(frozen=True)
class KeyUsageBit:
    """One of the nine Key Usage bits (RFC 5280 §4.2.1.3)."""

    name: str  # cryptography's attribute name, also the key used throughout certlib
    bit: int  # position in the BIT STRING
    rfc_name: str
    openssl_text: str
    openssl_mask: int
    windows_name: str
    alias: str | None = None


KU_BITS: tuple[KeyUsageBit, ...] = (
    KeyUsageBit(
        "digital_signature", 0, "digitalSignature", "Digital Signature", 0x0080, "Digital Signature"
    ),
    KeyUsageBit(
        "content_commitment",
        1,
        "contentCommitment",
        "Non Repudiation",
        0x0040,
        "Non-Repudiation",
        alias="nonRepudiation",
    ),
    KeyUsageBit(
        "key_encipherment", 2, "keyEncipherment", "Key Encipherment", 0x0020, "Key Encipherment"
    ),
    KeyUsageBit(
        "data_encipherment", 3, "dataEncipherment", "Data Encipherment", 0x0010, "Data Encipherment"
    ),
    KeyUsageBit("key_agreement", 4, "keyAgreement", "Key Agreement", 0x0008, "Key Agreement"),
    KeyUsageBit(
        "key_cert_sign", 5, "keyCertSign", "Certificate Sign", 0x0004, "Certificate Signing"
    ),
    KeyUsageBit("crl_sign", 6, "cRLSign", "CRL Sign", 0x0002, "Off-line CRL Signing, CRL Signing"),
    KeyUsageBit("encipher_only", 7, "encipherOnly", "Encipher Only", 0x0001, "Encipher Only"),
    KeyUsageBit("decipher_only", 8, "decipherOnly", "Decipher Only", 0x8000, "Decipher Only"),
)
_KU_BY_ANY_NAME = {
    n: b for b in KU_BITS for n in (b.name, b.rfc_name, b.openssl_text, b.alias) if n is not None
}


def ku_bit(name: str) -> KeyUsageBit:
    """Look a KU bit up by certlib name, RFC name (either bit-1 name) or OpenSSL text."""
    try:
        return _KU_BY_ANY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown key usage bit {name!r}") from None


@dataclass(frozen=True)
class NetscapeCertTypeBit:
    """A bit of Netscape cert type (2.16.840.1.113730.1.1); masks as in OpenSSL ``x509v3.h``."""

    name: str
    bit: int  # position in the BIT STRING (0 = most significant bit of the first byte)
    openssl_text: str
    openssl_mask: int


NS_CERT_TYPE_BITS: tuple[NetscapeCertTypeBit, ...] = (
    NetscapeCertTypeBit("ssl_client", 0, "SSL Client", 0x80),
    NetscapeCertTypeBit("ssl_server", 1, "SSL Server", 0x40),
    NetscapeCertTypeBit("smime", 2, "S/MIME", 0x20),
    NetscapeCertTypeBit("object_signing", 3, "Object Signing", 0x10),
    NetscapeCertTypeBit("reserved", 4, "Unused", 0x08),
    NetscapeCertTypeBit("ssl_ca", 5, "SSL CA", 0x04),
    NetscapeCertTypeBit("smime_ca", 6, "S/MIME CA", 0x02),
    NetscapeCertTypeBit("object_signing_ca", 7, "Object Signing CA", 0x01),
)


@dataclass(frozen=True)
class ExtensionInfo:
    """An extension OID with the names OpenSSL and Windows show for it."""

    oid: str
    name: str
    openssl_name: str | None
    windows_name: str | None
    source: str = ""
    known: bool = True

    @property
    def object_identifier(self) -> x509.ObjectIdentifier:
        return x509.ObjectIdentifier(self.oid)

    @property
    def display_name(self) -> str:
        return self.windows_name or self.openssl_name or self.name


class EXT:
    """Extension OIDs certlib names."""

    SUBJECT_KEY_IDENTIFIER = ExtensionInfo(
        "2.5.29.14",
        "subjectKeyIdentifier",
        "X509v3 Subject Key Identifier",
        "Subject Key Identifier",
        "RFC 5280 §4.2.1.2",
    )
    KEY_USAGE = ExtensionInfo(
        "2.5.29.15", "keyUsage", "X509v3 Key Usage", "Key Usage", "RFC 5280 §4.2.1.3"
    )
    SUBJECT_ALTERNATIVE_NAME = ExtensionInfo(
        "2.5.29.17",
        "subjectAltName",
        "X509v3 Subject Alternative Name",
        "Subject Alternative Name",
        "RFC 5280 §4.2.1.6",
    )
    ISSUER_ALTERNATIVE_NAME = ExtensionInfo(
        "2.5.29.18",
        "issuerAltName",
        "X509v3 Issuer Alternative Name",
        "Issuer Alternative Name",
        "RFC 5280 §4.2.1.7",
    )
    BASIC_CONSTRAINTS = ExtensionInfo(
        "2.5.29.19",
        "basicConstraints",
        "X509v3 Basic Constraints",
        "Basic Constraints",
        "RFC 5280 §4.2.1.9",
    )
    NAME_CONSTRAINTS = ExtensionInfo(
        "2.5.29.30",
        "nameConstraints",
        "X509v3 Name Constraints",
        "Name Constraints",
        "RFC 5280 §4.2.1.10",
    )
    CRL_DISTRIBUTION_POINTS = ExtensionInfo(
        "2.5.29.31",
        "cRLDistributionPoints",
        "X509v3 CRL Distribution Points",
        "CRL Distribution Points",
        "RFC 5280 §4.2.1.13",
    )
    CERTIFICATE_POLICIES = ExtensionInfo(
        "2.5.29.32",
        "certificatePolicies",
        "X509v3 Certificate Policies",
        "Certificate Policies",
        "RFC 5280 §4.2.1.4",
    )
    POLICY_MAPPINGS = ExtensionInfo(
        "2.5.29.33",
        "policyMappings",
        "X509v3 Policy Mappings",
        "Policy Mappings",
        "RFC 5280 §4.2.1.5",
    )
    AUTHORITY_KEY_IDENTIFIER = ExtensionInfo(
        "2.5.29.35",
        "authorityKeyIdentifier",
        "X509v3 Authority Key Identifier",
        "Authority Key Identifier",
        "RFC 5280 §4.2.1.1",
    )
    POLICY_CONSTRAINTS = ExtensionInfo(
        "2.5.29.36",
        "policyConstraints",
        "X509v3 Policy Constraints",
        "Policy Constraints",
        "RFC 5280 §4.2.1.11",
    )
    EXTENDED_KEY_USAGE = ExtensionInfo(
        "2.5.29.37",
        "extendedKeyUsage",
        "X509v3 Extended Key Usage",
        "Enhanced Key Usage",
        "RFC 5280 §4.2.1.12",
    )
    INHIBIT_ANY_POLICY = ExtensionInfo(
        "2.5.29.54",
        "inhibitAnyPolicy",
        "X509v3 Inhibit Any Policy",
        "Inhibit Any Policy",
        "RFC 5280 §4.2.1.14",
    )
    AUTHORITY_INFORMATION_ACCESS = ExtensionInfo(
        "1.3.6.1.5.5.7.1.1",
        "authorityInfoAccess",
        "Authority Information Access",
        "Authority Information Access",
        "RFC 5280 §4.2.2.1",
    )
    OCSP_NO_CHECK = ExtensionInfo(
        "1.3.6.1.5.5.7.48.1.5",
        "ocspNoCheck",
        "OCSP No Check",
        "OCSP No Revocation Checking",
        "RFC 6960 §4.2.2.2.1",
    )
    NETSCAPE_CERT_TYPE = ExtensionInfo(
        "2.16.840.1.113730.1.1",
        "nsCertType",
        "Netscape Cert Type",
        "Netscape Cert Type",
        "Netscape certificate extensions; OpenSSL x509v3.h NS_*",
    )
    NETSCAPE_COMMENT = ExtensionInfo(
        "2.16.840.1.113730.1.13", "nsComment", "Netscape Comment", "Netscape Comment"
    )
    MS_APPLICATION_POLICIES = ExtensionInfo(
        "1.3.6.1.4.1.311.21.10",
        "msApplicationPolicies",
        None,
        "Application Policies",
        "Microsoft, 'Using Application Policies' (TechNet cc776986)",
    )
    MS_APPLICATION_POLICY_MAPPINGS = ExtensionInfo(
        "1.3.6.1.4.1.311.21.11", "msApplicationPolicyMappings", None, "Application Policy Mappings"
    )
    MS_APPLICATION_POLICY_CONSTRAINTS = ExtensionInfo(
        "1.3.6.1.4.1.311.21.12",
        "msApplicationPolicyConstraints",
        None,
        "Application Policy Constraints",
    )
    MS_CERTIFICATE_TEMPLATE = ExtensionInfo(
        "1.3.6.1.4.1.311.21.7", "msCertificateTemplate", None, "Certificate Template Information"
    )
    MS_CERTIFICATE_TEMPLATE_NAME = ExtensionInfo(
        "1.3.6.1.4.1.311.20.2", "msCertificateTemplateName", None, "Certificate Template Name"
    )
    # Pre-RFC (X.509 v3 draft) arcs CryptoAPI still decodes (wincrypt.h szOID_* names); old
    # Microsoft-issued CAs carry them. The Windows names are what its dialog shows for the
    # modern OIDs [unverified for these].
    LEGACY_AUTHORITY_KEY_IDENTIFIER = ExtensionInfo(
        "2.5.29.1",
        "authorityKeyIdentifier (draft)",
        None,
        "Authority Key Identifier",
        "wincrypt.h szOID_AUTHORITY_KEY_IDENTIFIER",
    )
    LEGACY_KEY_ATTRIBUTES = ExtensionInfo(
        "2.5.29.2", "keyAttributes", None, "Key Attributes", "wincrypt.h szOID_KEY_ATTRIBUTES"
    )
    LEGACY_CERTIFICATE_POLICIES = ExtensionInfo(
        "2.5.29.3",
        "certificatePolicies (draft)",
        None,
        "Certificate Policies",
        "wincrypt.h szOID_CERT_POLICIES_95",
    )
    LEGACY_KEY_USAGE_RESTRICTION = ExtensionInfo(
        "2.5.29.4",
        "keyUsageRestriction",
        None,
        "Key Usage Restriction",
        "wincrypt.h szOID_KEY_USAGE_RESTRICTION",
    )
    LEGACY_SUBJECT_ALT_NAME = ExtensionInfo(
        "2.5.29.7",
        "subjectAltName (draft)",
        None,
        "Subject Alternative Name",
        "wincrypt.h szOID_SUBJECT_ALT_NAME",
    )
    LEGACY_ISSUER_ALT_NAME = ExtensionInfo(
        "2.5.29.8",
        "issuerAltName (draft)",
        None,
        "Issuer Alternative Name",
        "wincrypt.h szOID_ISSUER_ALT_NAME",
    )
    LEGACY_BASIC_CONSTRAINTS = ExtensionInfo(
        "2.5.29.10",
        "basicConstraints (draft)",
        None,
        "Basic Constraints",
        "wincrypt.h szOID_BASIC_CONSTRAINTS",
    )
    CT_PRECERT_POISON = ExtensionInfo(
        "1.3.6.1.4.1.11129.2.4.3",
        "ctPrecertPoison",
        "CT Precertificate Poison",
        None,
        "RFC 6962 §3.1",
    )
    CT_SCT_LIST = ExtensionInfo(
        "1.3.6.1.4.1.11129.2.4.2",
        "ctPrecertificateSCTs",
        "CT Precertificate SCTs",
        "SCT List",
        "RFC 6962 §3.3",
    )
    PROXY_CERT_INFO = ExtensionInfo(
        "1.3.6.1.5.5.7.1.14",
        "proxyCertInfo",
        "Proxy Certificate Information",
        None,
        "RFC 3820 §3.8",
    )
    IP_ADDR_BLOCKS = ExtensionInfo(
        "1.3.6.1.5.5.7.1.7", "sbgp-ipAddrBlock", "sbgp-ipAddrBlock", None, "RFC 3779 §2"
    )
    AS_IDENTIFIERS = ExtensionInfo(
        "1.3.6.1.5.5.7.1.8",
        "sbgp-autonomousSysNum",
        "sbgp-autonomousSysNum",
        None,
        "RFC 3779 §3",
    )

    SUBJECT_DIRECTORY_ATTRIBUTES = ExtensionInfo(
        "2.5.29.9",
        "subjectDirectoryAttributes",
        "X509v3 Subject Directory Attributes",
        "Subject Directory Attributes",
        "RFC 5280 §4.2.1.8",
    )
    FRESHEST_CRL = ExtensionInfo(
        "2.5.29.46", "freshestCRL", "X509v3 Freshest CRL", "Freshest CRL", "RFC 5280 §4.2.1.15"
    )
    SUBJECT_INFORMATION_ACCESS = ExtensionInfo(
        "1.3.6.1.5.5.7.1.11",
        "subjectInfoAccess",
        "Subject Information Access",
        "Subject Information Access",
        "RFC 5280 §4.2.2.2",
    )

    #: What OpenSSL 3.0 processes (``X509_supported_extension`` in ``crypto/x509/v3_purp.c``):
    #: a critical extension outside this set fails verification with
    #: X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION. It holds every extension RFC 5280 §4.2 says a
    #: conforming application MUST recognise (KU, certificate policies, SAN, basic constraints,
    #: name constraints, policy constraints, EKU, inhibit anyPolicy) plus policy mappings.
    OPENSSL_SUPPORTED = (
        NETSCAPE_CERT_TYPE,
        KEY_USAGE,
        SUBJECT_ALTERNATIVE_NAME,
        BASIC_CONSTRAINTS,
        CERTIFICATE_POLICIES,
        CRL_DISTRIBUTION_POINTS,
        EXTENDED_KEY_USAGE,
        IP_ADDR_BLOCKS,
        AS_IDENTIFIERS,
        OCSP_NO_CHECK,
        POLICY_CONSTRAINTS,
        PROXY_CERT_INFO,
        NAME_CONSTRAINTS,
        POLICY_MAPPINGS,
        INHIBIT_ANY_POLICY,
    )

    #: What the Windows profile takes CryptoAPI to process when critical: RFC 5280 §4.2's own
    #: extensions, Microsoft's, and the X.509 draft arcs wincrypt.h still names. A critical
    #: extension outside it sets CERT_TRUST_HAS_NOT_SUPPORTED_CRITICAL_EXT on the chain element
    #: (MS docs CERT_TRUST_STATUS) and the policy check returns CERT_E_CRITICAL, "a certificate
    #: contains an unknown extension that is marked critical" (MS docs "Certificate and Trust
    #: Return Values"). Microsoft does not publish the list itself: membership is [unverified].
    WINDOWS_SUPPORTED = (
        SUBJECT_KEY_IDENTIFIER,
        KEY_USAGE,
        SUBJECT_ALTERNATIVE_NAME,
        ISSUER_ALTERNATIVE_NAME,
        BASIC_CONSTRAINTS,
        NAME_CONSTRAINTS,
        CRL_DISTRIBUTION_POINTS,
        CERTIFICATE_POLICIES,
        POLICY_MAPPINGS,
        AUTHORITY_KEY_IDENTIFIER,
        POLICY_CONSTRAINTS,
        EXTENDED_KEY_USAGE,
        INHIBIT_ANY_POLICY,
        AUTHORITY_INFORMATION_ACCESS,
        SUBJECT_DIRECTORY_ATTRIBUTES,
        FRESHEST_CRL,
        SUBJECT_INFORMATION_ACCESS,
        MS_APPLICATION_POLICIES,
        MS_APPLICATION_POLICY_MAPPINGS,
        MS_APPLICATION_POLICY_CONSTRAINTS,
        MS_CERTIFICATE_TEMPLATE,
        MS_CERTIFICATE_TEMPLATE_NAME,
        LEGACY_AUTHORITY_KEY_IDENTIFIER,
        LEGACY_KEY_ATTRIBUTES,
        LEGACY_CERTIFICATE_POLICIES,
        LEGACY_KEY_USAGE_RESTRICTION,
        LEGACY_SUBJECT_ALT_NAME,
        LEGACY_ISSUER_ALT_NAME,
        LEGACY_BASIC_CONSTRAINTS,
    )


@dataclass(frozen=True)
class OtherNameType:
    """A subjectAltName ``otherName`` type-id (RFC 5280 §4.2.1.6) and the names it is shown by."""

    oid: str
    name: str
    openssl_name: str | None
    windows_name: str | None
    source: str = ""
    label: str = ""  # the tag OpenSSL 3 prints in "othername: <label>::<value>"

    @property
    def object_identifier(self) -> x509.ObjectIdentifier:
        return x509.ObjectIdentifier(self.oid)


#: anyPolicy (RFC 5280 §4.2.1.4): the certificatePolicies OID meaning "any policy".
ANY_POLICY = "2.5.29.32.0"


class OTHER_NAME:
    """SAN otherName types certlib builds or names."""

    UPN = OtherNameType(
        "1.3.6.1.4.1.311.20.2.3",
        "msUPN",
        "Microsoft User Principal Name",
        "Principal Name",
        "Microsoft; OpenSSL NID_ms_upn",
        label="UPN",
    )


_OTHER_NAME_BY_OID: dict[str, OtherNameType] = {
    v.oid: v for v in vars(OTHER_NAME).values() if isinstance(v, OtherNameType)
}


def other_name(oid: str | x509.ObjectIdentifier) -> OtherNameType:
    """Catalogue entry for a SAN otherName type-id; unknown ones are labelled by their OID."""
    return _lookup(
        _OTHER_NAME_BY_OID,
        oid,
        lambda dotted: OtherNameType(dotted, dotted, None, None, "unknown OID", label=dotted),
    )


#: An OID nobody has registered anything under, for "unknown EKU / unknown extension" fixtures:
#: the UUID arc 2.25 (ITU-T X.667) with the example UUID f81d4fae-7dec-11d0-a765-00a0c91e6bf6.
EXAMPLE_UNKNOWN_OID = "2.25.329800735698586629295641978511506172918"


_EXT_BY_OID: dict[str, ExtensionInfo] = {
    v.oid: v for v in vars(EXT).values() if isinstance(v, ExtensionInfo)
}


def extension(oid: str | x509.ObjectIdentifier) -> ExtensionInfo:
    """Catalogue entry for an extension OID; unknown OIDs get a ``known=False`` entry."""
    return _lookup(
        _EXT_BY_OID,
        oid,
        lambda dotted: ExtensionInfo(dotted, dotted, None, None, "unknown OID", known=False),
    )


def extension_catalogue() -> tuple[ExtensionInfo, ...]:
    return tuple(_EXT_BY_OID.values())


@dataclass(frozen=True)
class SignatureAlgorithm:
    """A certificate signature algorithm OID with OpenSSL's name and the digest it implies."""

    oid: str
    openssl_name: str  # the long name ``openssl x509 -text`` prints as "Signature Algorithm"
    hash: str | None  # cryptography's HashAlgorithm.name; None for EdDSA and for RSASSA-PSS
    key_algorithm: str  # PublicKeyAlgorithm.name of the signing key
    known: bool = True


def _sig(oid: str, ossl: str, hash_name: str | None, key: str) -> SignatureAlgorithm:
    return SignatureAlgorithm(oid, ossl, hash_name, key)


#: Signature algorithms, names as OpenSSL 3.0.19 prints them (checked with ``openssl asn1parse``).
#: RSASSA-PSS carries its digest in parameters, so its ``hash`` is None here.
SIGNATURE_ALGORITHMS: tuple[SignatureAlgorithm, ...] = (
    _sig("1.2.840.113549.1.1.2", "md2WithRSAEncryption", "md2", "RSA"),
    _sig("1.2.840.113549.1.1.3", "md4WithRSAEncryption", "md4", "RSA"),
    _sig("1.2.840.113549.1.1.4", "md5WithRSAEncryption", "md5", "RSA"),
    _sig("1.2.840.113549.1.1.5", "sha1WithRSAEncryption", "sha1", "RSA"),
    _sig("1.3.14.3.2.29", "sha1WithRSA", "sha1", "RSA"),
    _sig("1.2.840.113549.1.1.14", "sha224WithRSAEncryption", "sha224", "RSA"),
    _sig("1.2.840.113549.1.1.11", "sha256WithRSAEncryption", "sha256", "RSA"),
    _sig("1.2.840.113549.1.1.12", "sha384WithRSAEncryption", "sha384", "RSA"),
    _sig("1.2.840.113549.1.1.13", "sha512WithRSAEncryption", "sha512", "RSA"),
    _sig("1.2.840.113549.1.1.10", "rsassaPss", None, "RSA"),
    _sig("2.16.840.1.101.3.4.3.13", "RSA-SHA3-224", "sha3-224", "RSA"),
    _sig("2.16.840.1.101.3.4.3.14", "RSA-SHA3-256", "sha3-256", "RSA"),
    _sig("2.16.840.1.101.3.4.3.15", "RSA-SHA3-384", "sha3-384", "RSA"),
    _sig("2.16.840.1.101.3.4.3.16", "RSA-SHA3-512", "sha3-512", "RSA"),
    _sig("1.2.840.10045.4.1", "ecdsa-with-SHA1", "sha1", "EC"),
    _sig("1.2.840.10045.4.3.1", "ecdsa-with-SHA224", "sha224", "EC"),
    _sig("1.2.840.10045.4.3.2", "ecdsa-with-SHA256", "sha256", "EC"),
    _sig("1.2.840.10045.4.3.3", "ecdsa-with-SHA384", "sha384", "EC"),
    _sig("1.2.840.10045.4.3.4", "ecdsa-with-SHA512", "sha512", "EC"),
    _sig("2.16.840.1.101.3.4.3.9", "ecdsa_with_SHA3-224", "sha3-224", "EC"),
    _sig("2.16.840.1.101.3.4.3.10", "ecdsa_with_SHA3-256", "sha3-256", "EC"),
    _sig("2.16.840.1.101.3.4.3.11", "ecdsa_with_SHA3-384", "sha3-384", "EC"),
    _sig("2.16.840.1.101.3.4.3.12", "ecdsa_with_SHA3-512", "sha3-512", "EC"),
    _sig("1.2.840.10040.4.3", "dsaWithSHA1", "sha1", "DSA"),
    _sig("2.16.840.1.101.3.4.3.1", "dsa_with_SHA224", "sha224", "DSA"),
    _sig("2.16.840.1.101.3.4.3.2", "dsa_with_SHA256", "sha256", "DSA"),
    _sig("1.3.101.112", "ED25519", None, "Ed25519"),
    _sig("1.3.101.113", "ED448", None, "Ed448"),
    _sig("1.2.156.10197.1.501", "SM2-with-SM3", "sm3", "SM2"),
)
_SIG_BY_OID = {s.oid: s for s in SIGNATURE_ALGORITHMS}


def signature_algorithm(oid: str | x509.ObjectIdentifier) -> SignatureAlgorithm:
    """Catalogue entry for a signature algorithm OID; unknown OIDs get a ``known=False`` entry."""
    return _lookup(
        _SIG_BY_OID,
        oid,
        lambda dotted: SignatureAlgorithm(dotted, dotted, None, dotted, known=False),
    )


@dataclass(frozen=True)
class PublicKeyAlgorithm:
    """A SubjectPublicKeyInfo algorithm OID: certlib's short name and OpenSSL's."""

    oid: str
    name: str  # "RSA", "EC", "Ed25519", ... (the dotted OID when unknown)
    openssl_name: str  # what ``openssl x509 -text`` prints as "Public Key Algorithm"
    known: bool = True


PUBLIC_KEY_ALGORITHMS: tuple[PublicKeyAlgorithm, ...] = (
    PublicKeyAlgorithm("1.2.840.113549.1.1.1", "RSA", "rsaEncryption"),
    PublicKeyAlgorithm("1.2.840.113549.1.1.10", "RSASSA-PSS", "rsassaPss"),
    PublicKeyAlgorithm("1.2.840.10045.2.1", "EC", "id-ecPublicKey"),
    PublicKeyAlgorithm("1.3.101.112", "Ed25519", "ED25519"),
    PublicKeyAlgorithm("1.3.101.113", "Ed448", "ED448"),
    PublicKeyAlgorithm("1.3.101.110", "X25519", "X25519"),
    PublicKeyAlgorithm("1.3.101.111", "X448", "X448"),
    PublicKeyAlgorithm("1.2.840.10040.4.1", "DSA", "dsaEncryption"),
    PublicKeyAlgorithm("1.2.840.10046.2.1", "DH", "X9.42 DH"),
)
_PKA_BY_OID = {p.oid: p for p in PUBLIC_KEY_ALGORITHMS}


def public_key_algorithm(oid: str | x509.ObjectIdentifier) -> PublicKeyAlgorithm:
    """Catalogue entry for a public key algorithm OID; unknown OIDs get a ``known=False`` entry."""
    return _lookup(
        _PKA_BY_OID, oid, lambda dotted: PublicKeyAlgorithm(dotted, dotted, dotted, known=False)
    )


#: Attribute types RFC 4514 §3 (and cryptography's ``rfc4514_string``) print by a short name.
NAME_ATTRIBUTE_RFC4514_NAMES: dict[str, str] = {
    "2.5.4.3": "CN",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "2.5.4.6": "C",
    "2.5.4.9": "STREET",
    "0.9.2342.19200300.100.1.25": "DC",
    "0.9.2342.19200300.100.1.1": "UID",
}


#: Named elliptic curves (RFC 5480 §2.1.1.1) by the name cryptography gives them.
EC_CURVES: dict[str, str] = {
    "secp256r1": "1.2.840.10045.3.1.7",
    "secp384r1": "1.3.132.0.34",
    "secp521r1": "1.3.132.0.35",
}


#: Distinguished-name attribute types that ``Name.rfc4514_string()`` would print as a dotted OID,
#: mapped to the short name ``openssl x509 -nameopt RFC2253`` prints (OpenSSL ``obj_mac.h`` SN).
NAME_ATTRIBUTE_SHORT_NAMES: dict[str, str] = {
    "2.5.4.4": "SN",
    "2.5.4.5": "serialNumber",
    "2.5.4.12": "title",
    "2.5.4.13": "description",
    "2.5.4.15": "businessCategory",
    "2.5.4.17": "postalCode",
    "2.5.4.41": "name",
    "2.5.4.42": "GN",
    "2.5.4.43": "initials",
    "2.5.4.44": "generationQualifier",
    "2.5.4.46": "dnQualifier",
    "2.5.4.65": "pseudonym",
    "2.5.4.97": "organizationIdentifier",
    "1.2.840.113549.1.9.1": "emailAddress",
    "1.3.6.1.4.1.311.60.2.1.1": "jurisdictionL",
    "1.3.6.1.4.1.311.60.2.1.2": "jurisdictionST",
    "1.3.6.1.4.1.311.60.2.1.3": "jurisdictionC",
}


class CONTENT_TYPE:
    """CMS / PKCS#7 content types, recognised when sniffing certificate containers."""

    #: id-data (RFC 5652 §4): the encapsulated content type of a certs-only bundle.
    DATA = "1.2.840.113549.1.7.1"
    #: id-signedData (RFC 5652 §5.1): the ``.p7b`` / ``.p7c`` certificate bundle.
    SIGNED_DATA = "1.2.840.113549.1.7.2"
