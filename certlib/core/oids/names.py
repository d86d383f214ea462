"""Distinguished-name attribute types by the short names printed for them, and the CMS content
types recognised when sniffing certificate containers."""

from __future__ import annotations

__all__ = ["CONTENT_TYPE", "NAME_ATTRIBUTE_RFC4514_NAMES", "NAME_ATTRIBUTE_SHORT_NAMES"]

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
