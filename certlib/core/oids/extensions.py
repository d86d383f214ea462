"""Extensions and SAN otherName types, with the names OpenSSL and Windows show for them."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509

from certlib.core.oids.lookup import lookup

__all__ = [
    "ANY_POLICY",
    "EXAMPLE_UNKNOWN_OID",
    "EXT",
    "OTHER_NAME",
    "ExtensionInfo",
    "OtherNameType",
    "extension",
    "extension_catalogue",
    "other_name",
]


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
    return lookup(
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
    return lookup(
        _EXT_BY_OID,
        oid,
        lambda dotted: ExtensionInfo(dotted, dotted, None, None, "unknown OID", known=False),
    )


def extension_catalogue() -> tuple[ExtensionInfo, ...]:
    return tuple(_EXT_BY_OID.values())
