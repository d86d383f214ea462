"""``X509_check_purpose``: OpenSSL's purpose table (``v3_purp.c xstandard[]``) and the check
function of every purpose, step by step, over a certificate's cached :class:`OpenSSLView`.

Each check records the predicates it ran (``xku_reject``, ``ku_reject``, ``ns_reject``,
``check_ca``) as reasons naming the C function, so a learner sees why OpenSSL said Yes, No or
"Yes (WARNING code=N)". The check functions read nothing but the view.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509

from certlib.core.decision import Decision
from certlib.core.memo import Memo
from certlib.core.oids import KU_BITS, NS_CERT_TYPE_BITS, eku
from certlib.core.verdicts import Reason
from certlib.profiles.openssl.extensions import (
    KU_CERT_SIGN,
    KU_CRL_SIGN,
    KU_DS,
    KU_KA,
    KU_KE,
    KU_NR,
    KU_TLS,
    NS_ANY_CA,
    NS_SMIME,
    NS_SMIME_CA,
    NS_SSL_CA,
    NS_SSL_CLIENT,
    NS_SSL_SERVER,
    PURP,
    XKU_ANYEKU,
    XKU_CODE_SIGN,
    XKU_NAMES,
    XKU_OCSP_SIGN,
    XKU_SGC,
    XKU_SMIME,
    XKU_SSL_CLIENT,
    XKU_SSL_SERVER,
    XKU_TIMESTAMP,
    OpenSSLView,
    cache_extensions,
)

__all__ = [
    "BY_SNAME",
    "PURPOSES",
    "VERSIONS",
    "OpenSSLPurpose",
    "ca_code",
    "check_ca",
    "check_purpose",
    "check_version",
    "label",
    "ocsp_delegated",
    "purpose_results",
    "purposes",
    "verdict_word",
]

#: The OpenSSL versions modelled: 3.0.x, and 3.2+ (3.0 plus the ``codesign`` purpose).
VERSIONS: tuple[str, ...] = ("3.0", "3.2")


@dataclass(frozen=True)
class OpenSSLPurpose:
    """One row of OpenSSL's ``xstandard[]`` purpose table."""

    id: int
    sname: str  # the -purpose short name
    name: str  # what `openssl x509 -purpose` prints
    trust: str
    function: str  # the v3_purp.c check function
    since: str  # first modelled version that has it


PURPOSES: tuple[OpenSSLPurpose, ...] = (
    OpenSSLPurpose(
        1, "sslclient", "SSL client", "X509_TRUST_SSL_CLIENT", "check_purpose_ssl_client", "3.0"
    ),
    OpenSSLPurpose(
        2, "sslserver", "SSL server", "X509_TRUST_SSL_SERVER", "check_purpose_ssl_server", "3.0"
    ),
    OpenSSLPurpose(
        3,
        "nssslserver",
        "Netscape SSL server",
        "X509_TRUST_SSL_SERVER",
        "check_purpose_ns_ssl_server",
        "3.0",
    ),
    OpenSSLPurpose(
        4, "smimesign", "S/MIME signing", "X509_TRUST_EMAIL", "check_purpose_smime_sign", "3.0"
    ),
    OpenSSLPurpose(
        5,
        "smimeencrypt",
        "S/MIME encryption",
        "X509_TRUST_EMAIL",
        "check_purpose_smime_encrypt",
        "3.0",
    ),
    OpenSSLPurpose(
        6, "crlsign", "CRL signing", "X509_TRUST_COMPAT", "check_purpose_crl_sign", "3.0"
    ),
    OpenSSLPurpose(7, "any", "Any Purpose", "X509_TRUST_DEFAULT", "no_check_purpose", "3.0"),
    OpenSSLPurpose(
        8, "ocsphelper", "OCSP helper", "X509_TRUST_COMPAT", "check_purpose_ocsp_helper", "3.0"
    ),
    OpenSSLPurpose(
        9,
        "timestampsign",
        "Time Stamp signing",
        "X509_TRUST_TSA",
        "check_purpose_timestamp_sign",
        "3.0",
    ),
    OpenSSLPurpose(
        10,
        "codesign",
        "Code signing",
        "X509_TRUST_OBJECT_SIGN",
        "check_purpose_code_sign",
        "3.2",
    ),
)
BY_SNAME = {p.sname: p for p in PURPOSES}


def check_version(version: str) -> None:
    if version not in VERSIONS:
        raise ValueError(
            f"OpenSSL version must be one of {VERSIONS} (3.1 is not modelled), not {version!r}"
        )


def purposes(version: str = "3.0") -> tuple[OpenSSLPurpose, ...]:
    """The purpose table of ``version`` in table order (9 rows in 3.0, 10 from 3.2)."""
    check_version(version)
    return tuple(p for p in PURPOSES if p.since <= version)


def _xku_text(mask: int) -> str:
    names = [name for bit, name in XKU_NAMES.items() if mask & bit]
    return ", ".join(names) if names else "no purpose OpenSSL knows"


def _ku_text(mask: int) -> str:
    names = [b.rfc_name for b in KU_BITS if mask & b.openssl_mask]
    return ", ".join(names) if names else "no bits"


def _ns_text(mask: int) -> str:
    names = [b.openssl_text for b in NS_CERT_TYPE_BITS if mask & b.openssl_mask]
    return ", ".join(names) if names else "no bits"


class _Steps(Decision):
    """The steps of one check function, each naming the predicate and the C function (the
    outcome is the function's return code, so every step is a note)."""

    __slots__ = ("function",)

    def __init__(self, function: str) -> None:
        super().__init__()
        self.function = function

    def step(self, rule: str, text: str, predicate: str) -> None:
        self.note(rule, text, f"{PURP} {self.function} ({predicate})")

    def xku_reject(self, v: OpenSSLView, usage: int) -> bool:
        """EKU present and none of ``usage`` (anyExtendedKeyUsage is *not* a wildcard)."""
        want = _xku_text(usage)
        if not v.xkusage:
            self.step(
                "openssl.eku.absent", f"EKU absent: no restriction (needs {want})", "xku_reject"
            )
            return False
        listed = ", ".join(eku(o).short_name for o in v.eku_oids) or "an empty SEQUENCE"
        if v.ex_xkusage & usage:
            self.step("openssl.eku.allows", f"EKU lists {listed}: includes {want}", "xku_reject")
            return False
        extra = ""
        if v.ex_xkusage & XKU_ANYEKU:
            extra = " (anyExtendedKeyUsage is not a wildcard in OpenSSL 3.0)"
        self.step("openssl.eku.rejects", f"EKU lists {listed}: none of {want}{extra}", "xku_reject")
        return True

    def ku_reject(self, v: OpenSSLView, usage: int) -> bool:
        """KU present and none of ``usage``."""
        want = _ku_text(usage)
        if not v.kusage:
            self.step(
                "openssl.ku.absent", f"keyUsage absent: no restriction (needs {want})", "ku_reject"
            )
            return False
        have = _ku_text(v.ex_kusage)
        if v.ex_kusage & usage:
            self.step("openssl.ku.allows", f"keyUsage {have}: includes one of {want}", "ku_reject")
            return False
        self.step("openssl.ku.rejects", f"keyUsage {have}: none of {want}", "ku_reject")
        return True

    def ns_reject(self, v: OpenSSLView, usage: int) -> bool:
        """nsCertType present and none of ``usage``."""
        want = _ns_text(usage)
        if not v.nscert:
            self.step(
                "openssl.ns.absent",
                f"nsCertType absent: no restriction (needs {want})",
                "ns_reject",
            )
            return False
        have = _ns_text(v.ex_nscert)
        if v.ex_nscert & usage:
            self.step("openssl.ns.allows", f"nsCertType {have}: includes {want}", "ns_reject")
            return False
        self.step("openssl.ns.rejects", f"nsCertType {have}: lacks {want}", "ns_reject")
        return True

    def check_ca(self, v: OpenSSLView) -> int:
        code, text = _check_ca_text(v)
        self.step(f"openssl.check_ca.{code}", text, "check_ca")
        return code


def _check_ca_text(v: OpenSSLView) -> tuple[int, str]:
    """check_ca: 0 not a CA, 1 a CA, 3 v1 self-signed, 4 KU certSign without BC, 5 nsCertType CA."""
    if v.kusage and not v.ex_kusage & KU_CERT_SIGN:
        return 0, f"check_ca = 0: keyUsage ({_ku_text(v.ex_kusage)}) lacks keyCertSign"
    if v.bcons:
        if v.ca:
            return 1, "check_ca = 1: basicConstraints cA TRUE"
        return 0, "check_ca = 0: basicConstraints present with cA FALSE"
    if v.v1_root:
        return 3, f"check_ca = 3: no basicConstraints, but a v1 certificate that is {v.ss_reason}"
    if v.kusage:
        return 4, "check_ca = 4: no basicConstraints, keyUsage present with keyCertSign"
    if v.nscert and v.ex_nscert & NS_ANY_CA:
        return (
            5,
            f"check_ca = 5: no basicConstraints, nsCertType has a CA bit ({_ns_text(v.ex_nscert)})",
        )
    why = "" if not v.v1 else f" (v1, but {v.ss_reason})"
    return 0, f"check_ca = 0: no basicConstraints, keyUsage or nsCertType CA bit{why}"


def ca_code(v: OpenSSLView) -> int:
    """``X509_check_ca`` of a view: ``check_ca`` of the cached flags, 0 when invalid."""
    return 0 if v.invalid else _check_ca_text(v)[0]


def check_ca(cert: x509.Certificate, memo: Memo | None = None) -> int:
    """``X509_check_ca``: ``check_ca`` of the cached flags, 0 for an invalid certificate."""
    return ca_code(cache_extensions(cert, memo))


def _ssl_ca(s: _Steps, v: OpenSSLView) -> int:
    """check_ssl_ca: check_ca != 0, and for code 5 nsCertType must have SSL CA; 0/1 only."""
    code = s.check_ca(v)
    if code == 0:
        return 0
    if code == 5 and not v.ex_nscert & NS_SSL_CA:
        s.step("openssl.ns.rejects", "nsCertType has no SSL CA bit", "check_ssl_ca")
        return 0
    return 1


def _ssl_client(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    if s.xku_reject(v, XKU_SSL_CLIENT):
        return 0
    if ca:
        return _ssl_ca(s, v)
    if s.ku_reject(v, KU_DS | KU_KA):
        return 0
    if s.ns_reject(v, NS_SSL_CLIENT):
        return 0
    return 1


def _ssl_server(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    if s.xku_reject(v, XKU_SSL_SERVER | XKU_SGC):
        return 0
    if ca:
        return _ssl_ca(s, v)
    if s.ns_reject(v, NS_SSL_SERVER):
        return 0
    if s.ku_reject(v, KU_TLS):
        return 0
    return 1


def _leaf_ku(s: _Steps, v: OpenSSLView, ca: bool, ret: int, need: int) -> int:
    """``if (!ret || non_leaf) return ret; if (ku_reject(x, need)) return 0; return ret;``

    The tail check_purpose_ns_ssl_server, check_purpose_smime_sign and _smime_encrypt share.
    """
    if not ret or ca:
        return ret
    return 0 if s.ku_reject(v, need) else ret


def _check_ca_only(s: _Steps, v: OpenSSLView, what: str) -> int:
    """``if (non_leaf) return check_ca(x);`` of the OCSP helper, time-stamp and code-sign checks."""
    s.step("openssl.eku.ignored", f"EKU is not consulted for {what} CA", "check_ca")
    return s.check_ca(v)


def _ns_ssl_server(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    # KU_KE: "We need to encipher or Netscape complains"
    return _leaf_ku(s, v, ca, _ssl_server(s, v, ca, version), KU_KE)


def _smime(s: _Steps, v: OpenSSLView, ca: bool) -> int:
    """purpose_smime: the common S/MIME part (nsCertType S/MIME, SSL-client workaround = 2)."""
    if s.xku_reject(v, XKU_SMIME):
        return 0
    if ca:
        code = s.check_ca(v)
        if code == 0:
            return 0
        if code == 5 and not v.ex_nscert & NS_SMIME_CA:
            s.step("openssl.ns.rejects", "nsCertType has no S/MIME CA bit", "purpose_smime")
            return 0
        return code
    if v.nscert:
        if v.ex_nscert & NS_SMIME:
            s.step("openssl.ns.allows", "nsCertType has the S/MIME bit", "purpose_smime")
            return 1
        if v.ex_nscert & NS_SSL_CLIENT:
            s.step(
                "openssl.ns.workaround",
                "nsCertType has SSL Client but not S/MIME: accepted with code 2 "
                "(OpenSSL's workaround for buggy certificates)",
                "purpose_smime",
            )
            return 2
        s.step(
            "openssl.ns.rejects",
            f"nsCertType ({_ns_text(v.ex_nscert)}) has neither S/MIME nor SSL Client",
            "purpose_smime",
        )
        return 0
    s.step("openssl.ns.absent", "nsCertType absent: no restriction", "purpose_smime")
    return 1


def _smime_sign(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    return _leaf_ku(s, v, ca, _smime(s, v, ca), KU_DS | KU_NR)


def _smime_encrypt(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    return _leaf_ku(s, v, ca, _smime(s, v, ca), KU_KE)  # keyAgreement alone is not enough


def _crl_sign(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    s.step("openssl.eku.ignored", "EKU is not consulted for CRL signing", "check_purpose_crl_sign")
    if ca:
        code = s.check_ca(v)
        return 0 if code == 2 else code
    return 0 if s.ku_reject(v, KU_CRL_SIGN) else 1


def _any(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    s.step("openssl.any", "'Any Purpose' checks nothing: always 1", "no_check_purpose")
    return 1


def _ocsp_helper(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    if ca:
        return _check_ca_only(s, v, "an OCSP helper")
    s.step(
        "openssl.ocsp.leaf",
        "the OCSP helper leaf check always passes; the responder's EKU is checked later by "
        "OCSP_basic_verify (ocsp_check_delegated)",
        "leaf",
    )
    return 1


def _timestamp(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    if ca:
        return _check_ca_only(s, v, "a time-stamping")
    allowed = KU_DS | KU_NR
    if v.kusage:
        if v.ex_kusage & ~allowed or not v.ex_kusage & allowed:
            s.step(
                "openssl.ku.rejects",
                f"keyUsage {_ku_text(v.ex_kusage)}: must be digitalSignature and/or "
                "nonRepudiation only",
                "ku subset of DS|NR",
            )
            return 0
        s.step("openssl.ku.allows", f"keyUsage {_ku_text(v.ex_kusage)} ⊆ {{DS, NR}}", "ku subset")
    else:
        s.step("openssl.ku.absent", "keyUsage absent: no restriction", "ku subset of DS|NR")
    if not v.xkusage:
        s.step("openssl.eku.required", "EKU is absent: timeStamping is required", "XKU_TIMESTAMP")
        return 0
    if v.ex_xkusage != XKU_TIMESTAMP:
        s.step(
            "openssl.eku.rejects",
            f"EKU's known purposes are {_xku_text(v.ex_xkusage)}: must be exactly timeStamping "
            "(unknown OIDs are ignored)",
            "ex_xkusage == XKU_TIMESTAMP",
        )
        return 0
    if not v.eku_critical:
        s.step("openssl.eku.not_critical", "EKU timeStamping must be critical", "EKU critical")
        return 0
    s.step(
        "openssl.eku.allows", "EKU is critical with timeStamping as its only known purpose", "EKU"
    )
    return 1


def _code_sign(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    if ca:
        return _check_ca_only(s, v, "a code-signing")
    if not v.kusage:
        s.step("openssl.ku.required", "keyUsage is absent: digitalSignature is required", "KU")
        return 0
    if not v.ex_kusage & KU_DS:
        s.step(
            "openssl.ku.rejects", f"keyUsage {_ku_text(v.ex_kusage)} lacks digitalSignature", "KU"
        )
        return 0
    if v.ex_kusage & (KU_CERT_SIGN | KU_CRL_SIGN):
        s.step("openssl.ku.rejects", "keyUsage must not have keyCertSign or cRLSign", "KU")
        return 0
    if not v.ku_critical:
        s.step("openssl.ku.not_critical", "keyUsage must be critical", "KU critical")
        return 0
    if not v.xkusage:
        s.step("openssl.eku.required", "EKU is absent: codeSigning is required", "EKU")
        return 0
    if not v.ex_xkusage & XKU_CODE_SIGN:
        s.step("openssl.eku.rejects", f"EKU ({_xku_text(v.ex_xkusage)}) lacks codeSigning", "EKU")
        return 0
    if v.ex_xkusage & (XKU_ANYEKU | XKU_SSL_SERVER):
        s.step("openssl.eku.rejects", "EKU must not have anyExtendedKeyUsage or serverAuth", "EKU")
        return 0
    s.step("openssl.eku.allows", "KU critical with DS, EKU codeSigning (CABF CS BR 7.1.2.3)", "EKU")
    return 1


_CHECKS = {
    "sslclient": _ssl_client,
    "sslserver": _ssl_server,
    "nssslserver": _ns_ssl_server,
    "smimesign": _smime_sign,
    "smimeencrypt": _smime_encrypt,
    "crlsign": _crl_sign,
    "any": _any,
    "ocsphelper": _ocsp_helper,
    "timestampsign": _timestamp,
    "codesign": _code_sign,
}


def label(p: OpenSSLPurpose, non_leaf: bool) -> str:
    return f"{p.name}{' CA' if non_leaf else ''}"


def verdict_word(code: int) -> str:
    return "Yes" if code == 1 else "No" if code == 0 else f"Yes (WARNING code={code})"


def check_purpose(
    cert: x509.Certificate,
    purpose_id: str,
    non_leaf: bool,
    *,
    version: str = "3.0",
    memo: Memo | None = None,
) -> tuple[int, tuple[Reason, ...]]:
    """``X509_check_purpose(cert, purpose, non_leaf)``: 1, 0, 2–5 (accepted with a warning) or -1.

    -1 means the certificate is invalid (``EXFLAG_INVALID``, every purpose) or the purpose does
    not exist in ``version`` (``codesign`` before 3.2). The last reason states the result.
    ``memo``: the run's memo, where the certificate's view is kept.
    """
    check_version(version)
    p = BY_SNAME.get(purpose_id)
    if p is None:
        raise ValueError(f"unknown OpenSSL purpose {purpose_id!r}; known: {', '.join(BY_SNAME)}")
    v = cache_extensions(cert, memo)
    what = label(p, non_leaf)
    if v.invalid:
        final = Reason(
            "openssl.invalid",
            f"{what} : Yes (WARNING code=-1) — the certificate is invalid, so "
            "X509_check_purpose returns -1 for every purpose",
            f"{PURP} X509_check_purpose (ossl_x509v3_cache_extensions failed)",
        )
        return -1, (*v.invalid, final)
    if p.since > version:
        return -1, (
            Reason(
                "openssl.purpose.unknown",
                f"OpenSSL {version} has no '{p.name}' purpose (X509_PURPOSE_get_by_id returns -1)",
                f"{PURP} X509_check_purpose (X509_PURPOSE_get_by_id)",
            ),
        )
    s = _Steps(p.function)
    code = _CHECKS[p.sname](s, v, non_leaf, version)
    s.note(
        f"openssl.result.{code}",
        f"{what} : {verdict_word(code)}",
        f"{PURP} {p.function} (returns {code})",
    )
    return code, tuple(s.reasons)


def purpose_results(cert: x509.Certificate, *, version: str = "3.0") -> dict[tuple[str, bool], int]:
    """``{(sname, non_leaf): code}`` for every purpose of ``version``, leaf and CA."""
    memo = Memo()  # this call's own: the certificate's view is computed once
    return {
        (p.sname, ca): check_purpose(cert, p.sname, ca, version=version, memo=memo)[0]
        for p in purposes(version)
        for ca in (False, True)
    }


def ocsp_delegated(v: OpenSSLView) -> tuple[bool, Reason]:
    """ocsp_vfy.c ocsp_check_delegated: a delegated responder needs EKU with OCSPSigning."""
    src = "OpenSSL ocsp_vfy.c ocsp_check_delegated (EXFLAG_XKUSAGE && XKU_OCSP_SIGN)"
    ok = v.valid and v.xkusage and bool(v.ex_xkusage & XKU_OCSP_SIGN)
    if ok:
        text = "EKU contains OCSPSigning, as a delegated OCSP responder needs"
    elif not v.xkusage:
        text = (
            "EKU is absent: a delegated OCSP responder needs EKU OCSPSigning *present* "
            "(OCSP_R_MISSING_OCSPSIGNING_USAGE); only a CA signing its own responses needs none"
        )
    else:
        text = "EKU lacks OCSPSigning (OCSP_R_MISSING_OCSPSIGNING_USAGE)"
    return ok, Reason("openssl.ocsp.delegated", text, src)
