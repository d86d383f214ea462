"""What ``ossl_x509v3_cache_extensions`` leaves in an ``X509``: :func:`cache_extensions`.

OpenSSL decides every purpose and every chain step from these cached flags and masks
(``ex_flags``, ``ex_kusage``, ``ex_xkusage``, ``ex_nscert``, the self-signed heuristic), never
from the extensions again, so the profile computes the :class:`OpenSSLView` of a certificate
once (memoised in the run's :class:`~certlib.core.memo.Memo`) and reads only it afterwards.
The twelve extensions OpenSSL decodes go through the BER model of :mod:`.asn1`; a duplicated or
undecodable one marks the certificate invalid (``EXFLAG_INVALID``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography import x509
from cryptography.x509.oid import PublicKeyAlgorithmOID as KeyOID
from cryptography.x509.oid import SignatureAlgorithmOID as SigOID

from certlib.cert import der
from certlib.cert.facts import CertFacts, facts
from certlib.core.memo import Memo
from certlib.core.oids import EKU, EXT, KU_BITS, NS_CERT_TYPE_BITS
from certlib.core.verdicts import Reason
from certlib.profiles.openssl.asn1 import (
    EXTENSION_ITEMS,
    LONG_MAX,
    D2IError,
    canon_der,
    d2i,
    names_equal,
)

__all__ = [
    "KU_CERT_SIGN",
    "KU_CRL_SIGN",
    "KU_DS",
    "KU_KA",
    "KU_KE",
    "KU_NR",
    "KU_TLS",
    "NS_ANY_CA",
    "NS_SMIME",
    "NS_SMIME_CA",
    "NS_SSL_CA",
    "NS_SSL_CLIENT",
    "NS_SSL_SERVER",
    "PURP",
    "XKU_ANYEKU",
    "XKU_CODE_SIGN",
    "XKU_DVCS",
    "XKU_NAMES",
    "XKU_OCSP_SIGN",
    "XKU_SGC",
    "XKU_SMIME",
    "XKU_SSL_CLIENT",
    "XKU_SSL_SERVER",
    "XKU_TIMESTAMP",
    "OpenSSLView",
    "cache_extensions",
    "sig_fits_key",
    "tbs_algorithms",
]

#: The source every v3_purp.c reason cites.
PURP = "OpenSSL v3_purp.c"

XKU_SSL_SERVER, XKU_SSL_CLIENT, XKU_SMIME, XKU_CODE_SIGN = 0x1, 0x2, 0x4, 0x8
XKU_SGC, XKU_OCSP_SIGN, XKU_TIMESTAMP, XKU_DVCS, XKU_ANYEKU = 0x10, 0x20, 0x40, 0x80, 0x100
_XKU_BY_OID: dict[str, int] = {
    EKU.SERVER_AUTH.oid: XKU_SSL_SERVER,
    EKU.CLIENT_AUTH.oid: XKU_SSL_CLIENT,
    EKU.EMAIL_PROTECTION.oid: XKU_SMIME,
    EKU.CODE_SIGNING.oid: XKU_CODE_SIGN,
    EKU.MS_SGC.oid: XKU_SGC,
    EKU.NS_SGC.oid: XKU_SGC,
    EKU.OCSP_SIGNING.oid: XKU_OCSP_SIGN,
    EKU.TIME_STAMPING.oid: XKU_TIMESTAMP,
    EKU.DVCS.oid: XKU_DVCS,
    EKU.ANY.oid: XKU_ANYEKU,
}
XKU_NAMES = {
    XKU_SSL_SERVER: "serverAuth",
    XKU_SSL_CLIENT: "clientAuth",
    XKU_SMIME: "emailProtection",
    XKU_CODE_SIGN: "codeSigning",
    XKU_SGC: "SGC (msSGC/nsSGC)",
    XKU_OCSP_SIGN: "OCSPSigning",
    XKU_TIMESTAMP: "timeStamping",
    XKU_DVCS: "dvcs",
    XKU_ANYEKU: "anyExtendedKeyUsage",
}
_KU = {b.name: b.openssl_mask for b in KU_BITS}
KU_DS, KU_NR, KU_KE = _KU["digital_signature"], _KU["content_commitment"], _KU["key_encipherment"]
KU_KA, KU_CERT_SIGN, KU_CRL_SIGN = _KU["key_agreement"], _KU["key_cert_sign"], _KU["crl_sign"]
KU_TLS = KU_DS | KU_KE | KU_KA
_NS = {b.name: b.openssl_mask for b in NS_CERT_TYPE_BITS}
NS_SSL_CLIENT, NS_SSL_SERVER, NS_SMIME = _NS["ssl_client"], _NS["ssl_server"], _NS["smime"]
NS_SSL_CA, NS_SMIME_CA = _NS["ssl_ca"], _NS["smime_ca"]
NS_ANY_CA = NS_SSL_CA | NS_SMIME_CA | _NS["object_signing_ca"]

# OBJ_find_sigid_algs: signature algorithm -> the key type it needs (the algorithms in use).
_SIG_KEY: dict[str, str] = {
    **{
        o.dotted_string: "rsa"
        for o in (
            SigOID.RSA_WITH_MD5,
            SigOID.RSA_WITH_SHA1,
            SigOID._RSA_WITH_SHA1,
            SigOID.RSA_WITH_SHA224,
            SigOID.RSA_WITH_SHA256,
            SigOID.RSA_WITH_SHA384,
            SigOID.RSA_WITH_SHA512,
            SigOID.RSA_WITH_SHA3_224,
            SigOID.RSA_WITH_SHA3_256,
            SigOID.RSA_WITH_SHA3_384,
            SigOID.RSA_WITH_SHA3_512,
        )
    },
    SigOID.RSASSA_PSS.dotted_string: "rsa-pss",
    **{
        o.dotted_string: "ec"
        for o in (
            SigOID.ECDSA_WITH_SHA1,
            SigOID.ECDSA_WITH_SHA224,
            SigOID.ECDSA_WITH_SHA256,
            SigOID.ECDSA_WITH_SHA384,
            SigOID.ECDSA_WITH_SHA512,
            SigOID.ECDSA_WITH_SHA3_224,
            SigOID.ECDSA_WITH_SHA3_256,
            SigOID.ECDSA_WITH_SHA3_384,
            SigOID.ECDSA_WITH_SHA3_512,
        )
    },
    **{
        o.dotted_string: "dsa"
        for o in (
            SigOID.DSA_WITH_SHA1,
            SigOID.DSA_WITH_SHA224,
            SigOID.DSA_WITH_SHA256,
            SigOID.DSA_WITH_SHA384,
            SigOID.DSA_WITH_SHA512,
        )
    },
    SigOID.ED25519.dotted_string: "ed25519",
    SigOID.ED448.dotted_string: "ed448",
}
_SPKI_KEY: dict[str, str] = {
    KeyOID.RSAES_PKCS1_v1_5.dotted_string: "rsa",
    KeyOID.RSASSA_PSS.dotted_string: "rsa-pss",
    KeyOID.EC_PUBLIC_KEY.dotted_string: "ec",
    KeyOID.DSA.dotted_string: "dsa",
    KeyOID.ED25519.dotted_string: "ed25519",
    KeyOID.ED448.dotted_string: "ed448",
}
_SUPPORTED_CRITICAL = frozenset(  # X509_supported_extension
    {
        EXT.NETSCAPE_CERT_TYPE.oid,
        EXT.KEY_USAGE.oid,
        EXT.SUBJECT_ALTERNATIVE_NAME.oid,
        EXT.BASIC_CONSTRAINTS.oid,
        EXT.CERTIFICATE_POLICIES.oid,
        EXT.CRL_DISTRIBUTION_POINTS.oid,
        EXT.EXTENDED_KEY_USAGE.oid,
        EXT.IP_ADDR_BLOCKS.oid,
        EXT.AS_IDENTIFIERS.oid,
        EXT.OCSP_NO_CHECK.oid,
        EXT.POLICY_CONSTRAINTS.oid,
        EXT.PROXY_CERT_INFO.oid,
        EXT.NAME_CONSTRAINTS.oid,
        EXT.POLICY_MAPPINGS.oid,
        EXT.INHIBIT_ANY_POLICY.oid,
    }
)


@dataclass(frozen=True)
class OpenSSLView:
    """What ``ossl_x509v3_cache_extensions`` leaves in an ``X509``: flags and masks.

    ``invalid`` holds one reason per cause of ``EXFLAG_INVALID``; when it is non-empty
    ``X509_check_purpose`` returns -1 for every purpose and ``X509_check_ca`` returns 0.
    """

    v1: bool  # EXFLAG_V1: version field absent/0
    invalid: tuple[Reason, ...]
    bcons: bool  # EXFLAG_BCONS
    ca: bool  # EXFLAG_CA (basicConstraints cA TRUE; any non-zero BOOLEAN octet)
    pathlen: int  # ex_pathlen, -1 = none
    kusage: bool  # EXFLAG_KUSAGE
    ex_kusage: int
    xkusage: bool  # EXFLAG_XKUSAGE
    ex_xkusage: int
    eku_oids: tuple[str, ...]
    nscert: bool  # EXFLAG_NSCERT
    ex_nscert: int
    proxy: bool  # EXFLAG_PROXY
    self_issued: bool  # EXFLAG_SI: X509_NAME_cmp(subject, issuer) == 0
    self_signed: bool  # EXFLAG_SS: the heuristic, not a signature check
    ss_reason: str
    unhandled_critical: tuple[str, ...]  # EXFLAG_CRITICAL: critical extensions OpenSSL lacks
    eku_critical: bool  # of the first EKU (X509_get_ext_by_NID(x, NID_ext_key_usage, -1))
    ku_critical: bool  # of the first KU
    skid: bytes | None
    akid_keyid: bytes | None
    #: ``x->altname``: the decoded SAN's GeneralNames ((form, value), in order), None without.
    altname: tuple | None = None
    #: ``x->nc``: the decoded nameConstraints (permittedSubtrees / excludedSubtrees), or None.
    name_constraints: dict | None = field(default=None, hash=False, compare=False)

    @property
    def valid(self) -> bool:
        return not self.invalid

    @property
    def v1_root(self) -> bool:
        """V1_ROOT = EXFLAG_V1 | EXFLAG_SS."""
        return self.v1 and self.self_signed


def _first_critical(f: CertFacts, oid: str) -> bool:
    ext = f.extension(oid)
    return ext is not None and ext.critical


def tbs_algorithms(cert: x509.Certificate) -> tuple[str | None, str | None]:
    """(TBS signature algorithm OID, SubjectPublicKeyInfo algorithm OID) read from the TBS."""
    try:
        items = der.children(der.unwrap(cert.tbs_certificate_bytes, der.SEQUENCE))
        idx = 1 if items and items[0][0] == 0xA0 else 0
        sig = der.oid_text(der.children(items[idx + 1][1])[0][1])
        spki_alg = der.children(items[idx + 5][1])[0][1]
        key = der.oid_text(der.children(spki_alg)[0][1])
    except (der.DerError, IndexError):
        return None, None
    return sig, key


def sig_fits_key(sig: str | None, key: str | None) -> bool:
    """OBJ_find_sigid_algs: does a certificate signed with ``sig`` (OID) fit an issuer key of
    type ``key`` (SubjectPublicKeyInfo algorithm OID)? An RSA key also fits RSASSA-PSS."""
    need = _SIG_KEY.get(sig or "")
    have = _SPKI_KEY.get(key or "")
    return (
        need is not None
        and have is not None
        and (need == have or (have, need) == ("rsa", "rsa-pss"))
    )


def _self_signed(
    cert: x509.Certificate, f: CertFacts, akid: dict | None, skid: bytes | None, memo: Memo
) -> tuple[bool, bool, str]:
    """EXFLAG_SI and EXFLAG_SS: names equal (X509_NAME_cmp), X509_check_akid, sig alg vs key."""
    if not names_equal(f.subject_der, f.issuer_der, memo):
        return False, False, "subject and issuer differ (X509_NAME_cmp), so not self-issued"
    if akid is not None:
        keyid = akid.get("keyid")
        if keyid is not None and skid is not None and keyid[1] != skid:
            return True, False, "self-issued, but its AKI keyIdentifier is not its own SKI"
        if "serial" in akid and akid["serial"] != f.serial:
            return True, False, "self-issued, but its AKI serial is not its own serial"
        dirnames = [v for k, v in akid.get("issuer", ()) if k == "directoryName"]
        issuer = canon_der(f.issuer_der, memo)
        if dirnames and issuer is not None and dirnames[0] != issuer:
            return True, False, "self-issued, but its AKI issuer name is not its issuer"
    sig, key = tbs_algorithms(cert)
    if not sig_fits_key(sig, key):
        return (
            True,
            False,
            (f"self-issued, but the signature algorithm {sig} does not match its key type {key}"),
        )
    return True, True, "self-signed by OpenSSL's heuristic (names, AKI, key type; no signature)"


def cache_extensions(cert: x509.Certificate, memo: Memo | None = None) -> OpenSSLView:
    """``ossl_x509v3_cache_extensions``: decode, flag, and mark invalid exactly as OpenSSL 3.0.

    Through ``memo`` when given, keyed by the certificate (its DER: certificates compare and
    hash by their encoding), since a run asks about the same certificate many times (every
    purpose, every depth of every path it is on).
    """
    if memo is None:
        return _cache_extensions(cert, Memo())
    return memo.get("openssl.view", cert, lambda: _cache_extensions(cert, memo))


def _cache_extensions(cert: x509.Certificate, memo: Memo) -> OpenSSLView:
    f = facts(cert, memo=memo)
    src = f"{PURP} ossl_x509v3_cache_extensions"
    invalid: list[Reason] = []
    decoded: dict[str, object] = {}
    counts: dict[str, int] = {}
    for ext in f.extensions:
        counts[ext.oid] = counts.get(ext.oid, 0) + 1
    for oid, (name, item) in EXTENSION_ITEMS.items():
        n = counts.get(oid, 0)
        if n == 0:
            continue
        if n > 1:  # X509_get_ext_d2i finds more than one: NULL with *crit == -2
            invalid.append(
                Reason(
                    "openssl.invalid.duplicate",
                    f"{name} appears {n} times: X509_get_ext_d2i returns NULL with crit=-2, "
                    "which marks the certificate invalid (EXFLAG_INVALID)",
                    f"{src} (X509_get_ext_d2i)",
                )
            )
            continue
        raw = f.extension(oid)
        assert raw is not None
        try:
            decoded[oid] = d2i(raw.value, item)
        except (D2IError, der.DerError) as exc:
            invalid.append(
                Reason(
                    "openssl.invalid.undecodable",
                    f"{name} cannot be decoded by OpenSSL ({exc}), which marks the certificate "
                    "invalid (EXFLAG_INVALID)",
                    f"{src} (X509_get_ext_d2i)",
                )
            )

    bc = decoded.get(EXT.BASIC_CONSTRAINTS.oid)
    ca, pathlen = False, -1
    if isinstance(bc, dict):
        ca = bool(bc.get("ca", 0))
        pl = bc.get("pathlen")
        if isinstance(pl, int):
            if pl < 0:
                invalid.append(
                    Reason(
                        "openssl.invalid.negative_pathlen",
                        f"basicConstraints pathLenConstraint is negative ({pl})",
                        f"{src} (X509V3_R_NEGATIVE_PATHLEN)",
                    )
                )
            else:
                pathlen = pl if pl <= LONG_MAX else -1
    if EXT.PROXY_CERT_INFO.oid in decoded and (
        ca
        or counts.get(EXT.SUBJECT_ALTERNATIVE_NAME.oid)
        or counts.get(EXT.ISSUER_ALTERNATIVE_NAME.oid)
    ):
        invalid.append(
            Reason(
                "openssl.invalid.proxy",
                "a proxyCertInfo certificate must not be a CA nor carry a subject or "
                "issuer alternative name",
                f"{src} (proxyCertInfo)",
            )
        )
    ku = decoded.get(EXT.KEY_USAGE.oid)
    ex_kusage = 0
    if isinstance(ku, bytes):
        ex_kusage = (ku[0] if ku else 0) | ((ku[1] << 8) if len(ku) > 1 else 0)
        if ex_kusage == 0:
            invalid.append(
                Reason(
                    "openssl.invalid.empty_ku",
                    "keyUsage is present with no bit set (RFC 5280 §4.2.1.3: at least one)",
                    f"{src} (X509V3_R_EMPTY_KEY_USAGE)",
                )
            )
    eku_list = decoded.get(EXT.EXTENDED_KEY_USAGE.oid)
    eku_oids = tuple(eku_list) if isinstance(eku_list, list) else ()
    ex_xkusage = 0
    for o in eku_oids:
        ex_xkusage |= _XKU_BY_OID.get(o, 0)
    ns = decoded.get(EXT.NETSCAPE_CERT_TYPE.oid)
    ex_nscert = ns[0] if isinstance(ns, bytes) and ns else 0
    if EXT.CRL_DISTRIBUTION_POINTS.oid in decoded:
        for dp in decoded[EXT.CRL_DISTRIBUTION_POINTS.oid]:  # type: ignore[union-attr]
            if "distpoint" not in dp and not dp.get("CRLissuer"):
                invalid.append(
                    Reason(
                        "openssl.invalid.crldp",
                        "a cRLDistributionPoints entry has neither a distributionPoint nor a "
                        "cRLIssuer",
                        f"{src} (setup_dp, X509_R_INVALID_DISTPOINT)",
                    )
                )
                break
    skid_v = decoded.get(EXT.SUBJECT_KEY_IDENTIFIER.oid)
    skid = skid_v[1] if isinstance(skid_v, tuple) else None
    akid = decoded.get(EXT.AUTHORITY_KEY_IDENTIFIER.oid)
    akid = akid if isinstance(akid, dict) else None
    si, ss, ss_reason = _self_signed(cert, f, akid, skid, memo)
    unhandled: list[str] = []
    for ext in f.extensions:
        if ext.critical and ext.oid not in _SUPPORTED_CRITICAL:
            unhandled.append(ext.oid)
            break  # the loop in ossl_x509v3_cache_extensions stops at the first one
    keyid = akid.get("keyid") if akid else None
    return OpenSSLView(
        v1=f.version == 1,
        invalid=tuple(invalid),
        bcons=isinstance(bc, dict),
        ca=ca,
        pathlen=pathlen,
        kusage=isinstance(ku, bytes),
        ex_kusage=ex_kusage,
        xkusage=isinstance(eku_list, list),
        ex_xkusage=ex_xkusage,
        eku_oids=eku_oids,
        nscert=isinstance(ns, bytes),
        ex_nscert=ex_nscert,
        proxy=EXT.PROXY_CERT_INFO.oid in decoded,
        self_issued=si,
        self_signed=ss,
        ss_reason=ss_reason,
        unhandled_critical=tuple(unhandled),
        eku_critical=_first_critical(f, EXT.EXTENDED_KEY_USAGE.oid),
        ku_critical=_first_critical(f, EXT.KEY_USAGE.oid),
        skid=skid,
        akid_keyid=keyid[1] if isinstance(keyid, tuple) else None,
        altname=_hashable_names(decoded.get(EXT.SUBJECT_ALTERNATIVE_NAME.oid)),
        name_constraints=_nc_or_none(decoded.get(EXT.NAME_CONSTRAINTS.oid)),
    )


def _hashable_names(gens: object) -> tuple | None:
    """The decoded GeneralNames as a tuple (an otherName's dict kept as its items)."""
    if not isinstance(gens, list):
        return None
    return tuple((form, tuple(sorted(v.items())) if isinstance(v, dict) else v) for form, v in gens)


def _nc_or_none(nc: object) -> dict | None:
    if not isinstance(nc, dict):
        return None
    return {
        k: [dict(sub, base=_hashable_names([sub["base"]])[0]) for sub in nc.get(k) or ()]
        for k in ("permittedSubtrees", "excludedSubtrees")
    }
