"""The constant tables of the BRs and pyca: forbidden key purposes, key usage per key type,
and the extensions pyca's policies process."""

from __future__ import annotations

from certlib.core.oids import EKU, EXT

__all__ = ["CLIENT", "FORBIDDEN_EKU", "KU_CA", "KU_ECC", "KU_RSA", "PYCA_KNOWN", "SERVER"]

SERVER = EKU.SERVER_AUTH.oid
CLIENT = EKU.CLIENT_AUTH.oid
#: BR §7.1.2.7.10 and §7.1.2.10.6: key purposes that MUST NOT appear in TLS certificates.
FORBIDDEN_EKU = (
    EKU.CODE_SIGNING.oid,
    EKU.EMAIL_PROTECTION.oid,
    EKU.TIME_STAMPING.oid,
    EKU.OCSP_SIGNING.oid,
    EKU.ANY.oid,
    EKU.CT_PRECERT_SIGNING.oid,
)
#: The eight extensions pyca's policies know; any other critical extension is rejected
#: ("certificate contains unaccounted-for critical extensions", policy/extension.rs).
PYCA_KNOWN = frozenset(
    e.oid
    for e in (
        EXT.AUTHORITY_INFORMATION_ACCESS,
        EXT.AUTHORITY_KEY_IDENTIFIER,
        EXT.SUBJECT_KEY_IDENTIFIER,
        EXT.KEY_USAGE,
        EXT.SUBJECT_ALTERNATIVE_NAME,
        EXT.BASIC_CONSTRAINTS,
        EXT.NAME_CONSTRAINTS,
        EXT.EXTENDED_KEY_USAGE,
    )
)
#: BR §7.1.2.7.11 key usage per key type: bit -> "MUST" | "SHOULD" | "MAY" | "NOT RECOMMENDED".
KU_RSA = {
    "digital_signature": "SHOULD",
    "key_encipherment": "MAY",
    "data_encipherment": "NOT RECOMMENDED",
}
KU_ECC = {"digital_signature": "MUST", "key_agreement": "NOT RECOMMENDED"}
#: BR §7.1.2.10.7 CA key usage.
KU_CA = {"key_cert_sign": "MUST", "crl_sign": "MUST", "digital_signature": "MAY"}
