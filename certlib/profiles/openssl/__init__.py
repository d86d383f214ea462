"""OpenSSL 3.0's ``X509_check_purpose`` and ``openssl verify``, reproduced as pure functions.

Why a re-implementation and not a subprocess: notebooks and widgets need the *reasons* (which
extension, which predicate, which C function), and ``openssl x509 -purpose`` only says Yes/No.
It follows OpenSSL 3.0's source (and 3.2's, which adds ``codesign``) and is checked byte for
byte against the binary (``tests/oracles/test_openssl_purpose.py``,
``tests/oracles/test_openssl_verify.py``). One module per seam of OpenSSL itself:

* :mod:`.asn1` — the BER template decoder (``tasn_dec.c``) and ``X509_NAME_cmp``;
* :mod:`.extensions` — :func:`cache_extensions`, what ``ossl_x509v3_cache_extensions`` leaves
  in an ``X509``;
* :mod:`.purposes` — the purpose table and :func:`check_purpose` (``v3_purp.c``);
* :mod:`.text` — :func:`purpose_text`, what ``openssl x509 -purpose`` prints;
* :mod:`.verify` — :func:`verify_chain`, chain building and checking (``x509_vfy.c``), with
  :mod:`.host` (``check_id``) and :mod:`.nameconstraints`;
* here — the profile: :func:`judge` (every asked purpose from one reading of a certificate)
  and :func:`outcome_key`.

Not modelled: auxiliary trust of ``TRUSTED CERTIFICATE`` files, ``-x509_strict``,
``-partial_chain``, policy checks (off by default in ``openssl verify``: a reason notes a
path's policy controls, docs/semantics.md §12.3), SmtpUTF8Mailbox names under rfc822Name
constraints and explicit EC curve parameters (chain verification only), and a public key
OpenSSL cannot decode (the self-signed heuristic compares the signature and key algorithm OIDs,
which matters only for v1 certificates). The 3.2 model is 3.0 plus ``check_purpose_code_sign``
from the 3.2.0 source; only 3.0.19 was run.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from cryptography import x509
from cryptography.hazmat.primitives.hashes import SHA256 as _SHA256Hash

from certlib.cert.chain import describe, link_error
from certlib.cert.facts import CertFacts
from certlib.core.decision import Decision
from certlib.core.memo import Memo
from certlib.core.verdicts import Context, Outcome, Profile, ProfileJudge, Purpose, Reason, Verdict
from certlib.profiles.openssl.asn1 import names_equal
from certlib.profiles.openssl.extensions import (
    PURP,
    OpenSSLView,
    cache_extensions,
    tbs_algorithms,
)
from certlib.profiles.openssl.purposes import (
    BY_SNAME,
    PURPOSES,
    VERSIONS,
    OpenSSLPurpose,
    check_ca,
    check_purpose,
    check_version,
    ocsp_delegated,
    purpose_results,
    purposes,
    verdict_word,
)
from certlib.profiles.openssl.text import purpose_text
from certlib.profiles.openssl.verify import (
    VERIFY_ERRORS,
    BuiltChain,
    ChainResult,
    build_chain,
    check_chain,
    check_name_constraints,
    likely_issued,
    openssl_names,
    policy_not_checked,
    verify_chain,
)

NAME = Profile.OPENSSL

__all__ = [
    "PROFILE",
    "PURPOSES",
    "VERIFY_ERRORS",
    "VERSIONS",
    "ChainResult",
    "OpenSSLPurpose",
    "OpenSSLView",
    "cache_extensions",
    "check_ca",
    "check_name_constraints",
    "check_purpose",
    "evaluate",
    "judge",
    "names_equal",
    "openssl_names",
    "outcome_key",
    "purpose_results",
    "purpose_text",
    "purposes",
    "verify_chain",
]

_PROFILE_PURPOSE = {
    Purpose.TLS_SERVER: "sslserver",
    Purpose.TLS_CLIENT: "sslclient",
    Purpose.EMAIL_PROTECTION: "smimesign",
    Purpose.TIME_STAMPING: "timestampsign",
    Purpose.CODE_SIGNING: "codesign",
    Purpose.OCSP_SIGNING: "ocsphelper",
}


def _outcome(code: int) -> tuple[str, int | None]:
    if code == 1:
        return Outcome.ALLOWED, None
    if code == 0:
        return Outcome.DENIED, None
    if code == -1:
        return Outcome.INVALID, None
    return Outcome.WARNING, code


def judge(
    cert: x509.Certificate, ctx: Context, purposes: tuple[Purpose, ...]
) -> dict[Purpose, Verdict]:
    """The OpenSSL profile: for each purpose ``X509_check_purpose`` of the mapped OpenSSL
    purpose, or (with ``ctx.roots``) ``openssl verify -purpose`` over the path built from the
    given certificates (with ``-verify_hostname ctx.hostname``, or ``-verify_ip``, for the TLS
    server purpose). OCSP signing adds ``ocsp_check_delegated`` unless the certificate is its
    own trust anchor.

    The purpose-independent work is done once: the certificate's cached extensions and the
    path (built once, at one instant), kept with its signature, validity and name-constraint
    checks in ``ctx.memo``. ``ctx.options["openssl_version"]``: ``"3.0"`` (default) or
    ``"3.2"`` (adds codesign).
    """
    version = str(ctx.options.get("openssl_version", "3.0"))
    check_version(version)
    memo, at = ctx.memo, ctx.when
    built: BuiltChain | None = None
    out: dict[Purpose, Verdict] = {}
    for purpose in purposes:
        p = BY_SNAME[_PROFILE_PURPOSE[purpose]]
        if p.since > version:
            r = Reason(
                "openssl.purpose.unavailable",
                f"OpenSSL {version} has no code-signing purpose (codesign arrived in 3.2; "
                "X509_PURPOSE_MAX is 9 in 3.0), so it cannot be asked",
                f"{PURP} xstandard[]",
            )
            out[purpose] = Verdict(purpose, NAME, Outcome.NA, (r,))
            continue
        if ctx.chain_aware and built is None:
            built = build_chain(cert, ctx.intermediates, ctx.roots, at=at, memo=memo)
        out[purpose] = _decide(cert, purpose, p, ctx, version, built, at)
    return out


def _decide(
    cert: x509.Certificate,
    purpose: Purpose,
    p: OpenSSLPurpose,
    ctx: Context,
    version: str,
    built: BuiltChain | None,
    at: _dt.datetime,
) -> Verdict:
    """One purpose's verdict from the certificate's view and (when chain-aware) its path."""
    memo = ctx.memo
    sname = p.sname
    head = Reason(
        "openssl.purpose.map",
        f"{purpose.label} is OpenSSL purpose {sname} ('{p.name}', {p.function})",
        f"{PURP} xstandard[]",
    )
    extra: list[Reason] = []
    if purpose is Purpose.EMAIL_PROTECTION:
        enc, enc_steps = check_purpose(cert, "smimeencrypt", False, version=version, memo=memo)
        why = enc_steps[-2].text if len(enc_steps) > 1 else enc_steps[-1].text
        extra.append(
            Reason(
                "openssl.smimeencrypt",
                f"S/MIME encryption would say {verdict_word(enc)} because {why}",
                f"{PURP} check_purpose_smime_encrypt",
            )
        )
    path_len = 0
    if built is not None:
        host = ctx.hostname if purpose is Purpose.TLS_SERVER and ctx.hostname else None
        res = check_chain(built, sname, at=at, version=version, hostname=host, memo=memo)
        path_len = len(res.path)
        invalid = [c for c in res.path if cache_extensions(c, memo).invalid]
        if res.ok:
            outcome, warning = (
                (Outcome.WARNING, res.warnings[0][1]) if res.warnings else (Outcome.ALLOWED, None)
            )
        else:
            outcome, warning = (Outcome.INVALID if invalid else Outcome.DENIED), None
        steps = [*res.reasons[:-1], *extra]
        if invalid:
            steps.extend(cache_extensions(invalid[0], memo).invalid)
        steps.extend(
            memo.get("openssl.policy", res.path, lambda: policy_not_checked(res.path, memo=memo))
        )
        last = res.reasons[-1]
    else:
        code, steps = check_purpose(cert, sname, False, version=version, memo=memo)
        outcome, warning = _outcome(code)
        last = steps[-1]
        steps = [*steps[:-1], *extra]
    if purpose is Purpose.OCSP_SIGNING and built is not None and path_len == 1:
        # ocsp_check_issuer: a one-certificate chain is the CA answering for itself
        steps.append(
            Reason(
                "openssl.ocsp.own_ca",
                f"{describe(cert, memo=memo)} is itself the trust anchor: OCSP_basic_verify's "
                "chain is one certificate long, so ocsp_check_issuer matches the signer as the "
                "request's CA and runs ocsp_check_delegated (the OCSPSigning EKU test) only for "
                "longer chains",
                "OpenSSL ocsp_vfy.c ocsp_check_issuer",
            )
        )
    elif purpose is Purpose.OCSP_SIGNING:
        # OCSP_basic_verify runs the ocsphelper chain check, then ocsp_check_delegated.
        ok, delegated = ocsp_delegated(cache_extensions(cert, memo))
        if outcome in (Outcome.ALLOWED, Outcome.WARNING):
            steps.append(last)
            last = delegated
            if not ok:
                outcome, warning = Outcome.DENIED, None
        else:
            steps.append(delegated)
    # every step explains; the last one carries the outcome the return code decided
    d = Decision(purpose, NAME)
    for r in (head, *steps):
        d.add(Outcome.ALLOWED, r)
    d.add(outcome, last)
    return d.verdict(warning_code=warning)


def evaluate(cert: x509.Certificate, purpose: Purpose, ctx: Context) -> Verdict:
    """One purpose's verdict: :func:`judge` asked about ``purpose`` alone."""
    return judge(cert, ctx, (purpose,))[purpose]


_KEY_PURPOSES = ("sslclient", "sslserver", "smimesign", "timestampsign", "ocsphelper")


def outcome_key(
    f: CertFacts,
    *,
    cert: x509.Certificate,
    at: _dt.datetime | None = None,
    chain: Sequence[x509.Certificate] = (),
    memo: Memo | None = None,
) -> tuple:
    """What :func:`judge` reads of the leaf, reduced to what can change an outcome, for
    ``certlib.inventory``'s memo (equal keys and equal ``_chain_key`` ⇒ equal six outcomes
    under the inventory's context: ``options={}``, so OpenSSL 3.0; the pool is ``chain``).

    * ``at`` itself: constant within a scan, and it covers the chain certificates' own
      validity (``_time_error`` of issuers), which ``_chain_key`` does not.
    * What judge derives from the leaf's :class:`OpenSSLView` (``ossl_x509v3_cache_
      extensions``: every extension, the twelve cached ones through the lenient BER decoder so
      that a duplicated or undecodable SAN, SKI, ... makes it invalid; critical unsupported
      ones; first EKU/KU criticality; the version; the self-issued / self-signed heuristic:
      folded subject vs issuer, AKI key id vs SKI, AKI serial vs serial, AKI directory name,
      TBS signature algorithm vs key type). The leaf is never on its own chain (the inventory
      does not memoise then; ``c == cert`` below says so too), so only what depth 0 reads
      counts: ``X509_check_purpose(leaf, p, non_leaf=0)`` for the five purposes the profile
      maps under 3.0 and ``codesign`` under 3.2 (the code: allowed, denied, -1 invalid or the
      warning's number), the invalid flag (the verdict says invalid, no issuer is linked),
      ``valid and self_signed`` (no issuer search: error 18), whether there is an unhandled
      critical extension (error 34; which one is only text), ``proxy`` (error 40) and
      ``ocsp_check_delegated``. The check functions read nothing but the view, and the rest of
      the view (SKI, AKI key id, check_ca, pathlen, self_issued) is read of a leaf only through
      the issuer test below or for depth > 0.
    * The TBS (inner) signature algorithm OID (read by the self-signed heuristic and by
      ``ossl_x509_likely_issued`` against each candidate issuer's key type; both are reduced
      above and below as well, so this only widens the key).
    * ``ossl_x509_check_cert_time`` of the leaf: ``notBefore > at`` is error 9 and
      ``notAfter <= at`` error 10 — both strict and non-strict comparisons of both dates, since
      ``_chain_key`` has only ``at < notBefore`` and ``at > notAfter``.
    * For every chain certificate, in order (``find_issuer`` tries the roots, then the
      intermediates, preferring a linking, currently valid one): whether it is the leaf itself,
      whether :func:`~.verify.likely_issued` makes it a candidate issuer (OpenSSL's case- and
      space-folded ``X509_NAME_cmp`` of its subject and the leaf's issuer, neither invalid, the
      leaf's AKI key id vs its SKI, the leaf's signature algorithm vs its key type) and, for
      candidates, whether its key verifies the leaf's signature (``link_error``; also
      ``internal_verify``'s error 7). Which issuer the path takes follows from these, and the
      rest of the path reads nothing of the leaf.
    * When a chain certificate has nameConstraints: :func:`openssl_names` of the leaf (the
      canonical subject, its emailAddress and CN values, the SAN), which
      ``check_name_constraints`` reads. The host name is not read (the inventory has none).

    Whatever cannot be computed (a certificate the model chokes on) gets a key unique to the
    certificate's bytes, so it is only ever shared with itself.

    ``memo``: the run's memo, so the chain certificates' views are computed once per run, not
    once per leaf (without it, this call's own).
    """
    if at is None:
        at = _dt.datetime.now(_dt.UTC)  # as Context.when: then the key is this instant's only
    memo = Memo() if memo is None else memo
    try:
        v = cache_extensions(cert, memo)
        sig, _key = tbs_algorithms(cert)
        nb, na = cert.not_valid_before_utc, cert.not_valid_after_utc
        dates = (nb > at, nb >= at, na < at, na <= at)
        issuers = tuple(
            (c == cert, likely, likely and link_error(cert, c, memo=memo) is None)
            for c in chain
            for likely in (likely_issued(c, cert, memo),)
        )
        ocsp_ok, _why = ocsp_delegated(v)
        view = (
            bool(v.invalid),
            v.valid and v.self_signed,
            bool(v.unhandled_critical),
            v.proxy,
            ocsp_ok,
            tuple(check_purpose(cert, p, False, memo=memo)[0] for p in _KEY_PURPOSES),
            check_purpose(cert, "codesign", False, version="3.2", memo=memo)[0],
        )
        names = (
            repr(openssl_names(cert, memo))
            if any(cache_extensions(c, memo).name_constraints for c in chain)
            else None
        )
        return (at, view, sig, dates, issuers, names)
    except Exception:  # judged afresh under a key only this certificate's bytes have
        return ("unkeyed", cert.fingerprint(_SHA256Hash()))


#: This profile in the registry (:mod:`certlib.profiles`).
PROFILE = ProfileJudge(NAME, judge, outcome_key, "certlib.profiles.openssl")
