"""What a certificate may be used for: EKU key purposes, Key Usage bits, Netscape cert type bits.

Sources are named per entry (``source``); see :mod:`certlib.core.oids`.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509

from certlib.core.oids.lookup import lookup

__all__ = [
    "EKU",
    "KU_BITS",
    "NS_CERT_TYPE_BITS",
    "KeyPurpose",
    "KeyUsageBit",
    "NetscapeCertTypeBit",
    "eku",
    "eku_catalogue",
    "ku_bit",
]

_RFC5280_EKU = "RFC 5280 §4.2.1.12"

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
    return lookup(
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
