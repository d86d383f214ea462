"""Certification paths from given certificates: which issuer signed what, and why no path exists.

Chain-aware verdicts need a *path* (RFC 5280 §3.2, §6.1): leaf first, a trust anchor last, each
certificate signed by the next. This module only builds candidate paths and proves each link
(issuer name == subject name, AKI/SKI when both are present, and the signature verifies with
``child.verify_directly_issued_by(parent)``, or, for the SHA-1 and MD5 signatures cryptography
refuses to check, with the parent's key directly) plus validity at the checking time
(§6.1.3(a)). Whether a weak digest is acceptable is a profile's policy, not a broken link.
What a *profile* demands of the certificates on a path (CA-ness, pathLen, EKU nesting) is the
profile's business: :func:`iter_paths` yields every candidate so a profile can pick the first
that satisfies its own rules, as real path builders do.

Pure: no I/O, no network (no AIA fetching), no module state. Given a run's ``memo``
(:class:`certlib.core.memo.Memo`), links, issuer keys and path searches are memoised there, so
the 30 verdicts of one certificate verify each signature once.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from certlib.cert import der
from certlib.cert.facts import CertFacts, facts
from certlib.core.instants import At, as_utc
from certlib.core.memo import Memo
from certlib.core.oids import SIGNATURE_ALGORITHMS
from certlib.core.verdicts import Reason

__all__ = [
    "MAX_DEPTH",
    "CandidateRule",
    "PathResult",
    "build_path",
    "describe",
    "find_issuer",
    "is_issuer_candidate",
    "is_issuer_candidate_of",
    "iter_paths",
    "link_error",
    "validity_error",
]

#: Longest path searched, in certificates (leaf and trust anchor included).
MAX_DEPTH = 8
#: At most this many candidate paths are enumerated (cross-signed meshes can explode).
MAX_PATHS = 32

_SRC_BUILD = "RFC 5280 §6.1.3"
_SRC_SIG = "RFC 5280 §6.1.3(a)(1)"
_SRC_TIME = "RFC 5280 §6.1.3(a)(2)"
_SRC_NAME = "RFC 5280 §6.1.3(a)(4)"


@dataclass(frozen=True)
class PathResult:
    """The first path found (leaf first, trust anchor last), or ``()`` with the reasons why not.

    ``reasons`` explain the search: on success one ``path.built`` reason naming the path; on
    failure one reason per dead end (``path.no_issuer``, ``path.signature``, ``path.expired``,
    ``path.not_yet_valid``, ``path.too_long``, ``path.no_roots``).
    """

    path: tuple[x509.Certificate, ...]
    reasons: tuple[Reason, ...]

    @property
    def found(self) -> bool:
        return bool(self.path)

    @property
    def leaf(self) -> x509.Certificate | None:
        return self.path[0] if self.path else None

    @property
    def root(self) -> x509.Certificate | None:
        """The trust anchor the path ends in."""
        return self.path[-1] if self.path else None

    @property
    def intermediates(self) -> tuple[x509.Certificate, ...]:
        """The certificates strictly between leaf and trust anchor, nearest the leaf first."""
        return self.path[1:-1]


def describe(cert: x509.Certificate, *, memo: Memo | None = None) -> str:
    """A short human name: the subject CN, else the whole subject, else ``(empty subject)``.

    With a run's ``memo`` kept per certificate object (reasons name the same few often)."""
    if memo is None:
        return _describe(cert)
    return _by_identity(memo, "chain.describe", cert, _describe)


def _by_identity(memo: Memo, name: str, cert: x509.Certificate, make: Callable) -> Any:
    """``make(cert)`` kept in ``memo``'s table ``name`` by the object's identity (the entry holds
    the certificate, so its id stays its own): hashing a certificate costs more than this."""
    table = memo.table(name)
    hit = table.get(id(cert))
    if hit is not None and hit[0] is cert:  # type: ignore[index]
        return hit[1]  # type: ignore[index]
    value = make(cert)
    memo.room(table)
    table[id(cert)] = (cert, value)
    return value


def _describe(cert: x509.Certificate) -> str:
    try:
        cns = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        if cns:
            return f"'{cns[0].value}'"
        text = cert.subject.rfc4514_string()
    except Exception:  # malformed names still deserve a label
        return "(unreadable subject)"
    return f"'{text}'" if text else "(empty subject)"


def validity_error(
    cert: x509.Certificate, at: _dt.datetime, *, memo: Memo | None = None
) -> Reason | None:
    """``None`` when ``at`` lies in the validity period (§4.1.2.5: both ends inclusive)."""
    if at < cert.not_valid_before_utc:
        return Reason(
            "path.not_yet_valid",
            f"{describe(cert, memo=memo)} is not yet valid at {at:%Y-%m-%d %H:%M:%SZ} "
            f"(notBefore {cert.not_valid_before_utc:%Y-%m-%d %H:%M:%SZ})",
            _SRC_TIME,
        )
    if at > cert.not_valid_after_utc:
        return Reason(
            "path.expired",
            f"{describe(cert, memo=memo)} expired before {at:%Y-%m-%d %H:%M:%SZ} "
            f"(notAfter {cert.not_valid_after_utc:%Y-%m-%d %H:%M:%SZ})",
            _SRC_TIME,
        )
    return None


def is_issuer_candidate(
    child: x509.Certificate, parent: x509.Certificate, *, memo: Memo | None = None
) -> bool:
    """Name chaining (§6.1.3(a)(4)) plus AKI/SKI: a mismatch only when both key ids are present."""
    return is_issuer_candidate_of(facts(child, memo=memo), facts(parent, memo=memo))


def is_issuer_candidate_of(child: CertFacts, parent: CertFacts) -> bool:
    """:func:`is_issuer_candidate` on the two certificates' facts, for a caller that holds
    them already (a leaf's checks against its chain: no memo lookup per pair)."""
    if child.issuer_der != parent.subject_der:
        return False
    aki, ski = child.authority_key_id, parent.subject_key_id
    return aki is None or ski is None or aki == ski


def link_error(
    child: x509.Certificate,
    parent: x509.Certificate,
    *,
    der: bytes | None = None,
    memo: Memo | None = None,
) -> str | None:
    """``None`` if ``parent``'s key verifies ``child``'s signature, else why not.

    The answer is ``child.verify_directly_issued_by(parent)``'s, except that ECDSA and RSA
    signatures with SHA-1 or MD5, which cryptography refuses to check at all, are checked with
    the issuer's key (:data:`_LEGACY_HASHES` says why). For the common algorithms
    (:data:`_FAST_ALGORITHMS`) the signature is checked with ``parent``'s public key object kept
    from an earlier link: loading an EC key validates its point, which costs about as much as
    the verification itself, and an inventory links thousands of leaves to one issuer. ``der``
    (the DER ``child`` was loaded from, if the caller has it) saves re-encoding the certificate.
    With a run's ``memo``, answers and issuer keys are kept there by object identity (the pair
    is held, so the ids stay theirs): every verdict of a certificate asks about the same
    objects, and hashing two certificates for a value-keyed table costs more than the lookup.
    """
    if memo is None:
        return _link_error(child, parent, der)
    table = memo.table("chain.link")
    key = (id(child), id(parent))
    hit = table.get(key)
    if hit is not None and hit[0] is child and hit[1] is parent:  # type: ignore[index]
        return hit[2]  # type: ignore[index]
    answer = _link_error(child, parent, der, memo)
    memo.room(table)
    table[key] = (child, parent, answer)
    return answer


def _link_error(
    child: x509.Certificate,
    parent: x509.Certificate,
    raw: bytes | None = None,
    memo: Memo | None = None,
) -> str | None:
    fast = _fast_link(child, parent, raw, memo=memo)
    if fast is not _SLOW:
        return fast  # type: ignore[return-value]
    try:
        child.verify_directly_issued_by(parent)
    except InvalidSignature as exc:
        return _error_text(exc)
    except Exception as exc:  # ValueError (names/algorithm), TypeError (key)
        legacy = _fast_link(child, parent, raw, _LEGACY_ALGORITHMS, memo)
        return _error_text(exc) if legacy is _SLOW else legacy  # type: ignore[return-value]
    return None


def _error_text(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


#: Digests the fast link path handles, by cryptography's HashAlgorithm.name.
_FAST_HASHES = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}

#: Digests ``verify_directly_issued_by`` refuses ("Unsupported signature algorithm") but a
#: signature can still be checked with: the link is a fact about keys; whether a weak digest is
#: acceptable is each profile's policy (RFC 5280 does not forbid SHA-1, ``openssl verify`` 3.0
#: accepts it at its default level, Go refuses it: "insecure algorithm").
_LEGACY_HASHES = {"sha1": hashes.SHA1(), "md5": hashes.MD5()}


def _algorithm_ids(digests: dict[str, object], eddsa: bool) -> dict[bytes, tuple[str, object]]:
    """Signature AlgorithmIdentifier DER -> (key family, digest), for the algorithms
    ``verify_directly_issued_by`` accepts in exactly this encoding (RFC 5758 §3.2: ECDSA
    without parameters; RFC 4055 §5: RSA PKCS#1 v1.5 with NULL parameters; RFC 8410 §3:
    Ed25519 without). With the legacy digests (which cryptography refuses) the same encodings
    of ECDSA and RSA with SHA-1 or MD5 (RFC 3279 §2.2.1, §2.2.3); RSASSA-PSS, DSA and
    everything else stay with cryptography."""
    out: dict[bytes, tuple[str, object]] = {}
    for alg in SIGNATURE_ALGORITHMS:
        if alg.key_algorithm == "Ed25519" and eddsa:
            digest = None
        elif alg.key_algorithm in ("EC", "RSA") and alg.hash in digests:
            digest = digests[alg.hash]
        else:
            continue
        params = b"\x05\x00" if alg.key_algorithm == "RSA" else b""
        out[der.encode_sequence(der.encode_oid(alg.oid), params)] = (alg.key_algorithm, digest)
    return out


_FAST_ALGORITHMS = _algorithm_ids(_FAST_HASHES, eddsa=True)
_LEGACY_ALGORITHMS = _algorithm_ids(_LEGACY_HASHES, eddsa=False)
_SLOW = object()


def _issuer_key(parent: x509.Certificate, memo: Memo | None = None) -> object | None:
    """``parent``'s public key object (None if cryptography cannot load it); with a run's
    ``memo`` kept by identity: loading an EC key validates its point, as costly as a check."""
    if memo is None:
        return _public_key(parent)
    return _by_identity(memo, "chain.issuer_key", parent, _public_key)


def _public_key(cert: x509.Certificate) -> object | None:
    try:
        return cert.public_key()
    except Exception:
        return None


def _signature_algorithms(
    child: x509.Certificate, raw: bytes | None = None
) -> tuple[bytes, bytes, bytes]:
    """(the TBS ``signature`` AlgorithmIdentifier, the outer ``signatureAlgorithm``, the TBS),
    all as DER, from one serialisation of the certificate (``der`` when it is the one the
    certificate was loaded from: cryptography only loads DER, which re-encodes to itself)."""
    if type(raw) is bytes and raw.endswith(child.signature):
        data = raw
    else:
        data = child.public_bytes(Encoding.DER)
    _t, start, _end = der.read_tlv(data)
    _t, tbs_start, tbs_end = der.read_tlv(data, start)
    _t, _s, outer_end = der.read_tlv(data, tbs_end)
    pos = tbs_start
    tag, _s, e = der.read_tlv(data, pos)
    if tag == 0xA0:  # explicit version
        pos = e
    _t, _s, pos = der.read_tlv(data, pos)  # serialNumber
    _t, _s, inner_end = der.read_tlv(data, pos)
    return data[pos:inner_end], data[tbs_end:outer_end], data[start:tbs_end]


def _fast_link(
    child: x509.Certificate,
    parent: x509.Certificate,
    raw: bytes | None = None,
    algorithms: dict[bytes, tuple[str, object]] = _FAST_ALGORITHMS,
    memo: Memo | None = None,
) -> object:
    """:func:`link_error`'s answer from a cached key, or ``_SLOW`` when anything is unusual
    (a signature algorithm outside ``algorithms``, names that differ, an unloadable key)."""
    try:
        if facts(child, memo=memo).issuer_der != facts(parent, memo=memo).subject_der:
            return _SLOW  # cryptography's own name comparison decides
        inner, outer, tbs = _signature_algorithms(child, raw)
        how = algorithms.get(outer)
        key = _issuer_key(parent, memo)
        if how is None or inner != outer or key is None:
            return _SLOW
        family, hash_algorithm = how
        signature = child.signature
        if family == "EC" and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, tbs, ec.ECDSA(hash_algorithm))  # type: ignore[arg-type]
        elif family == "RSA" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, tbs, padding.PKCS1v15(), hash_algorithm)  # type: ignore[arg-type]
        elif family == "Ed25519" and isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, tbs)
        else:
            return _SLOW
    except InvalidSignature as exc:
        return _error_text(exc)
    except Exception:
        return _SLOW
    return None


def _identity(cert: x509.Certificate, memo: Memo | None = None) -> tuple[bytes, bytes]:
    """Subject and public key: a cross-certificate of a CA already on the path is the same CA
    (Go's ``alreadyInChain`` rule), so it may not appear twice either."""
    if memo is not None:
        return _by_identity(memo, "chain.identity", cert, _identity_of)
    return _identity_of(cert)


def _identity_of(cert: x509.Certificate) -> tuple[bytes, bytes]:
    try:
        spki = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    except Exception:  # a key cryptography cannot load: fall back to the whole certificate
        spki = cert.fingerprint(hashes.SHA256())
    return facts(cert).subject_der, spki


#: ``(child, parent) -> may parent be tried as child's issuer?`` (before the signature check).
CandidateRule = Callable[[x509.Certificate, x509.Certificate], bool]


def _ordered_candidates(
    cert: x509.Certificate,
    pool: Sequence[x509.Certificate],
    candidate: CandidateRule = is_issuer_candidate,
    memo: Memo | None = None,
) -> list[x509.Certificate]:
    """Candidates with a matching AKI/SKI first (the usual path-building heuristic)."""
    if candidate is is_issuer_candidate and memo is not None:
        found = [p for p in pool if p != cert and is_issuer_candidate(cert, p, memo=memo)]
    else:
        found = [p for p in pool if p != cert and candidate(cert, p)]
    if len(found) < 2:
        return found  # nothing to order (a leaf of a pile has one candidate issuer)
    aki = facts(cert, memo=memo).authority_key_id
    if aki is not None:
        found.sort(key=lambda p: facts(p, memo=memo).subject_key_id != aki)
    return found


def _dedup(certs: Iterable[x509.Certificate]) -> tuple[x509.Certificate, ...]:
    if isinstance(certs, list | tuple) and len(certs) < 2:
        return tuple(certs)  # nothing to repeat (and no certificate to hash)
    seen: set[x509.Certificate] = set()
    out = []
    for c in certs:
        if c not in seen:
            seen.add(c)
            out.append(c)
    return tuple(out)


def _search(
    leaf: x509.Certificate,
    intermediates: tuple[x509.Certificate, ...],
    roots: tuple[x509.Certificate, ...],
    at: _dt.datetime,
    candidate: CandidateRule = is_issuer_candidate,
    memo: Memo | None = None,
) -> tuple[tuple[tuple[x509.Certificate, ...], ...], tuple[Reason, ...]]:
    """Depth-first search over every candidate path; returns (paths, dead-end reasons)."""
    dead_ends: list[Reason] = []
    paths: list[tuple[x509.Certificate, ...]] = []
    root_set = set(roots)

    def dead(reason: Reason) -> None:
        if reason not in dead_ends:
            dead_ends.append(reason)

    # ``again`` is extend itself, passed in rather than closed over: a function that refers to
    # itself through its closure cell leaves a reference cycle (15 objects per search) for the
    # garbage collector.
    def extend(path: tuple[x509.Certificate, ...], again: Callable[..., None]) -> None:
        if len(paths) >= MAX_PATHS:
            return
        cert = path[-1]
        if cert in root_set:
            paths.append(path)
            return
        if len(path) >= MAX_DEPTH:
            dead(
                Reason(
                    "path.too_long",
                    f"gave up above {describe(cert, memo=memo)}: paths are searched up to "
                    f"{MAX_DEPTH} certificates",
                    _SRC_BUILD,
                )
            )
            return
        candidates = _ordered_candidates(cert, roots, candidate, memo) + [
            c
            for c in _ordered_candidates(cert, intermediates, candidate, memo)
            if c not in root_set
        ]
        seen = {_identity(c, memo) for c in path}
        candidates = [c for c in candidates if _identity(c, memo) not in seen]  # no loops
        if not candidates:
            dead(
                Reason(
                    "path.no_issuer",
                    f"no issuer found for {describe(cert, memo=memo)}: none of the "
                    f"{len(roots)} root(s) and {len(intermediates)} intermediate(s) has a "
                    "subject equal to its issuer name (and a matching key identifier)",
                    _SRC_NAME,
                )
            )
            return
        for parent in candidates:
            error = link_error(cert, parent, memo=memo)
            if error is not None:
                dead(
                    Reason(
                        "path.signature",
                        f"the signature on {describe(cert, memo=memo)} does not verify with "
                        f"the key of {describe(parent, memo=memo)} ({error})",
                        _SRC_SIG,
                    )
                )
                continue
            bad_time = validity_error(parent, at, memo=memo)
            if bad_time is not None:
                dead(bad_time)
                continue
            again((*path, parent), again)

    if not roots:
        dead(Reason("path.no_roots", "no trust anchors were given", _SRC_BUILD))
    else:
        bad_time = validity_error(leaf, at, memo=memo)
        if bad_time is not None:
            dead(bad_time)
        else:
            extend((leaf,), extend)
    return tuple(paths), tuple(dead_ends)


def _normalise_at(at: At) -> _dt.datetime:
    return as_utc(at)


def iter_paths(
    leaf: x509.Certificate,
    intermediates: Iterable[x509.Certificate],
    roots: Iterable[x509.Certificate],
    *,
    at: _dt.datetime | None = None,
    candidate: CandidateRule = is_issuer_candidate,
    memo: Memo | None = None,
) -> tuple[tuple[tuple[x509.Certificate, ...], ...], tuple[Reason, ...]]:
    """Every signature- and time-valid path (leaf first, root last) and the dead ends met.

    Roots are tried before intermediates at each step, so shorter paths come first. A root is
    always a path end: nothing is searched above a trust anchor. ``candidate`` decides which
    certificates are tried as a certificate's issuer before its signature is checked (default
    :func:`is_issuer_candidate`; a profile passes its implementation's rule, e.g. Go's, which
    ignores a key identifier mismatch). It must be hashable: with a run's ``memo`` searches are
    memoised there on it (and on the certificates, by value).
    """
    key = (leaf, _dedup(intermediates), _dedup(roots), _normalise_at(at), candidate)
    if memo is None:
        return _search(*key)
    return memo.get("chain.paths", key, lambda: _search(*key, memo))


def build_path(
    leaf: x509.Certificate,
    intermediates: Iterable[x509.Certificate] = (),
    roots: Iterable[x509.Certificate] = (),
    *,
    at: _dt.datetime | None = None,
    memo: Memo | None = None,
) -> PathResult:
    """The first path from ``leaf`` to one of ``roots`` valid at ``at`` (default: now, UTC).

    A leaf that is itself one of the roots is a path of one. Without a path, ``reasons`` say
    why: no issuer found, a signature that fails, or a certificate expired / not yet valid.
    """
    paths, dead_ends = iter_paths(leaf, intermediates, roots, at=at, memo=memo)
    if not paths:
        return PathResult((), dead_ends)
    path = paths[0]
    text = " → ".join(describe(c, memo=memo) for c in path)
    built = Reason(
        "path.built",
        f"path built ({len(path)} certificate(s), leaf first): {text}; every signature verifies "
        "and every certificate is within its validity period",
        _SRC_BUILD,
    )
    return PathResult(path, (built,))


def find_issuer(
    cert: x509.Certificate,
    candidates: Iterable[x509.Certificate],
    *,
    der: bytes | None = None,
    memo: Memo | None = None,
) -> x509.Certificate | None:
    """The first candidate whose key verifies ``cert``'s signature (names and key ids chained).

    ``cert`` itself is never returned, so a self-signed root has no issuer here; validity dates
    are not considered (an inventory links expired certificates too). ``der``: see
    :func:`link_error`.
    """
    pool = [c for c in _dedup(candidates) if c != cert]
    for parent in _ordered_candidates(cert, pool, memo=memo):
        if link_error(cert, parent, der=der, memo=memo) is None:
            return parent
    return None
