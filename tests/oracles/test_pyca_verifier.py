"""pyca/cryptography's verifier as the oracle for the ``webpki`` profile.

A seeded random corpus of forged chains (root → 0-2 intermediates → leaf, varying EKU, KU,
basicConstraints, pathLen, key types, validity, unknown critical extensions, name constraints
including directoryName, SANs and host names) is run twice: directly through
``cryptography.x509.verification`` and through ``certlib.verdict(..., "webpki")``.

What "pyca decides" means here, and what must agree:

1. pyca returns a chain  ⇔  the profile carries ``pyca.verified``, with a path of the same length,
   and no ``pyca.*`` rejection reason.
2. pyca raises ``VerificationError``  ⇔  the profile carries exactly one ``pyca.*`` rejection
   reason, its outcome is ``denied`` or ``invalid``, and that reason is the one
   :data:`EXPECTED_RULE` (written here from the verifier's source texts, independently of the
   profile's own table) gives for pyca's message. ``pyca.rejected``, the generic fall-through,
   must never appear.
3. Every leaf rule by which the profile *claims* pyca would refuse the leaf
   (:data:`CLAIMS_PYCA_REFUSES`) appears only when pyca did raise.

Outcomes decided by BR / Chrome rules on a path pyca accepted are the profile's own and are not
compared. The seed comes from ``CERTLIB_ORACLE_SEED`` (default below) and is printed on failure.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import random
import re
from collections import Counter
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from certlib.cert.forge import CertSpec, Forged, forge
from certlib.core.oids import EKU
from certlib.core.verdicts import Purpose, Verdict
from certlib.profiles import verdict
from certlib.profiles.webpki.rejections import translate

SEED = int(os.environ.get("CERTLIB_ORACLE_SEED", "20261206"))
N_CHAINS = 1100
AT = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
SA, CA_, ANY, CS = (
    EKU.SERVER_AUTH.oid,
    EKU.CLIENT_AUTH.oid,
    EKU.ANY.oid,
    EKU.CODE_SIGNING.oid,
)
CA_KU = frozenset({"key_cert_sign", "crl_sign"})
UNKNOWN_OID = "1.3.6.1.4.1.55555.1"

#: pyca's message (the whole text, after "validation failed: " and without the
#: "(encountered processing ...)" tail) -> the rule the profile must give. Written from the
#: ValidationError texts of cryptography-x509-verification (lib.rs, policy/mod.rs,
#: policy/extension.rs, certificate.rs), 46-50; anchored regexes on the text without its
#: wrappers (:data:`_PREFIXES`), first match wins.
EXPECTED_RULE: tuple[tuple[str, str], ...] = (
    (r"all candidates exhausted with no interior errors", "pyca.no_path"),
    (
        r"required EKU not found",
        "pyca.eku_missing",
    ),
    (
        r"Neither EKU nor anyEKU could be found",
        "pyca.ca_eku_missing",
    ),
    (
        r"basicConstraints\.cA must not be asserted in an EE certificate",
        "pyca.ee_is_ca",
    ),
    (
        r"EE keyUsage must not assert keyCertSign",
        "pyca.ee_key_cert_sign",
    ),
    (
        r"keyUsage\.keyCertSign must be asserted in a CA certificate",
        "pyca.ca_key_cert_sign",
    ),
    (
        r"basicConstraints\.cA must be asserted in a CA certificate",
        "pyca.ca_not_ca",
    ),
    (
        r"missing required extension: CA certificate has no basicConstraints",
        "pyca.ca_no_bc",
    ),
    (
        r"path length constraint violated",
        "pyca.path_length",
    ),
    (r"leaf certificate has no matching subjectAltName", "pyca.name_mismatch"),
    (
        r"missing required extension: leaf server certificate has no subjectAltName",
        "pyca.san_absent",
    ),
    (
        r"EE subjectAltName MUST (NOT )?be critical when subject is (non)?empty",
        "pyca.san_criticality",
    ),
    (r"cert is not valid at validation time", "pyca.validity"),
    (
        r"validity dates between 1950 and 2049 must be UtcTime",
        "pyca.validity_encoding",
    ),
    (r"signature does not match", "pyca.signature"),
    (
        r"mismatch between signatureAlgorithm and SPKI algorithm",
        "pyca.signature_key_mismatch",
    ),
    (r"issuer has malformed public key", "pyca.issuer_key"),
    (
        r"certificate contains unaccounted-for critical extensions",
        "pyca.unknown_critical",
    ),
    (
        r"duplicate extension",
        "pyca.duplicate_extension",
    ),
    (
        r"Certificate extension has incorrect criticality",
        "pyca.criticality",
    ),
    (
        r"Certificate is missing required extension",
        "pyca.extension_missing",
    ),
    (
        r"Certificate contains prohibited extension",
        "pyca.extension_prohibited",
    ),
    (
        r"authorityKeyIdentifier must contain keyIdentifier",
        "pyca.aki",
    ),
    (r"certificate must be an X509v3 certificate", "pyca.version"),
    (
        r"certificate (must have a serial between 1 and 20 octets"
        r"|serial number cannot be negative)",
        "pyca.serial",
    ),
    (r"certificate must have a non-empty Issuer", "pyca.issuer_empty"),
    (r"ASN\.1 parsing error: .*", "pyca.parse_error"),
    (r"Forbidden public key algorithm: .*", "pyca.key_algorithm"),
    (r"RSA key is too weak", "pyca.key_algorithm"),
    (r"Forbidden signature algorithm: .*", "pyca.signature_algorithm"),
    (r"chain construction exceeds max depth", "pyca.depth"),
    (r"current depth calculation overflowed", "pyca.depth"),
    (
        r"Exceeded maximum (signature|name constraint) check limit",
        "pyca.budget",
    ),
    (
        r"critical nameConstraints extension contains an unsupported directoryName constraint",
        "pyca.nc_unsupported",
    ),
    (
        r"directoryName matching is not implemented.*",
        "pyca.nc_unsupported",
    ),
    (r"unsupported name constraint", "pyca.nc_unsupported"),
    (
        r"nameConstraints must have non-empty permittedSubtrees or excludedSubtrees",
        "pyca.nc_empty",
    ),
    (
        r"unsatisfiable (DNS|IP|RFC822) name constraint: malformed SAN .*",
        "pyca.nc_malformed_san",
    ),
    (
        r"malformed (DNS|IP|RFC822) name constraints?: .*",
        "pyca.nc_malformed",
    ),
    (r"excluded name constraint matched SAN", "pyca.nc_excluded"),
    (
        r"no permitted name constraints matched SAN",
        "pyca.nc_not_permitted",
    ),
    (
        r"Python (extension )?validator .*",
        "pyca.custom_validator",
    ),
)

#: Every ValidationError text pyca 50.0.2 can produce (read from the verifier's source; the
#: argument of a formatted message filled with an example), each must translate to its rule.
KNOWN_MESSAGES: tuple[str, ...] = (
    "candidates exhausted: all candidates exhausted with no interior errors",
    "invalid extension: 2.5.29.37: required EKU not found",
    "candidates exhausted: invalid extension: 2.5.29.37: Neither EKU nor anyEKU could be found",
    "invalid extension: 2.5.29.19: basicConstraints.cA must not be asserted in an EE certificate",
    "invalid extension: 2.5.29.15: EE keyUsage must not assert keyCertSign",
    "candidates exhausted: invalid extension: 2.5.29.15: keyUsage.keyCertSign must be asserted "
    "in a CA certificate",
    "candidates exhausted: invalid extension: 2.5.29.19: basicConstraints.cA must be asserted in "
    "a CA certificate",
    "candidates exhausted: missing required extension: CA certificate has no basicConstraints",
    "candidates exhausted: invalid extension: 2.5.29.19: path length constraint violated",
    "leaf certificate has no matching subjectAltName",
    "missing required extension: leaf server certificate has no subjectAltName",
    "invalid extension: 2.5.29.17: EE subjectAltName MUST be critical when subject is empty",
    "invalid extension: 2.5.29.17: EE subjectAltName MUST NOT be critical when subject is nonempty",
    "cert is not valid at validation time",
    "validity dates between 1950 and 2049 must be UtcTime",
    "candidates exhausted: signature does not match",
    "candidates exhausted: mismatch between signatureAlgorithm and SPKI algorithm",
    "candidates exhausted: issuer has malformed public key",
    "certificate contains unaccounted-for critical extensions",
    "invalid extension: 2.5.29.17: duplicate extension",
    "invalid extension: 2.5.29.37: Certificate extension has incorrect criticality",
    "invalid extension: 2.5.29.35: Certificate is missing required extension",
    "invalid extension: 2.5.29.30: Certificate contains prohibited extension",
    "invalid extension: 2.5.29.35: authorityKeyIdentifier must contain keyIdentifier",
    "certificate must be an X509v3 certificate",
    "certificate must have a serial between 1 and 20 octets",
    "certificate serial number cannot be negative",
    "certificate must have a non-empty Issuer",
    "ASN.1 parsing error: invalid length",
    "candidates exhausted: Forbidden public key algorithm: Ed25519",
    "candidates exhausted: RSA key is too weak",
    "Forbidden signature algorithm: OID 1.2.840.113549.1.1.5",
    "candidates exhausted: chain construction exceeds max depth",
    "current depth calculation overflowed",
    "fatal error: Exceeded maximum signature check limit",
    "fatal error: Exceeded maximum name constraint check limit",
    "fatal error: critical nameConstraints extension contains an unsupported directoryName "
    "constraint",
    "directoryName matching is not implemented, so a SAN cannot satisfy a permitted "
    "directoryName name constraint",
    "candidates exhausted: unsupported name constraint",
    "candidates exhausted: invalid extension: 2.5.29.30: nameConstraints must have non-empty "
    "permittedSubtrees or excludedSubtrees",
    "unsatisfiable DNS name constraint: malformed SAN *.*.example.com",
    "unsatisfiable IP name constraint: malformed SAN [1, 2]",
    'unsatisfiable RFC822 name constraint: malformed SAN "a@@b"',
    "malformed DNS name constraint: ..example",
    "malformed IP name constraints: [10, 0, 0]",
    'malformed RFC822 name constraints: "@@"',
    "candidates exhausted: excluded name constraint matched SAN",
    "candidates exhausted: no permitted name constraints matched SAN",
    "invalid extension: 2.5.29.17: Python extension validator failed: ValueError('x')",
    "invalid extension: 2.5.29.17: Python validator must return None.",
)

#: Leaf rules by which the profile says "pyca's policy refuses this leaf".
CLAIMS_PYCA_REFUSES = frozenset(
    {
        "eku.critical",
        "eku.purpose_missing",
        "bc.ca",
        "ku.key_cert_sign",
        "san.absent",
        "san.criticality",
        "aki.absent",
        "aki.malformed",
        "nc.present",
        "ext.unknown_critical",
        "cert.signature_hash",
        "cert.version",
        "cert.serial",
    }
)
#: Wrappers around the texts below: CandidatesExhausted, FatalError, ExtensionError (the OID).
_PREFIXES = re.compile(r"^(candidates exhausted: )?(fatal error: )?(invalid extension: [0-9.]+: )?")
_ENCOUNTERED = re.compile(r"\s*\(encountered processing <Certificate\(.*?\)>\)")


def _expected_rule(message: str) -> str | None:
    raw = _ENCOUNTERED.sub("", message.removeprefix("validation failed: "))
    raw = _PREFIXES.sub("", raw)
    for pattern, rule in EXPECTED_RULE:
        if re.fullmatch(pattern, raw, flags=re.DOTALL):
            return rule
    return None


def test_every_known_pyca_message_maps_to_its_specific_rule() -> None:
    """The profile's table and ours agree on every message pyca can produce; none is generic."""
    assert len(KNOWN_MESSAGES) == 50
    wrong = []
    for message in KNOWN_MESSAGES:
        expected = _expected_rule(message)
        got = translate(message, "ServerVerifier", "serverAuth").reason.rule
        if expected is None or got != expected or got == "pyca.rejected":
            wrong.append((message, expected, got))
    assert not wrong, "\n".join(f"{m!r}: expected {e}, profile says {g}" for m, e, g in wrong)


def test_the_critical_directory_name_constraint_is_no_longer_generic() -> None:
    """Reproduces the bug: pyca 50's directoryName message fell through to pyca.rejected."""
    message = (
        "validation failed: fatal error: critical nameConstraints extension contains an "
        "unsupported directoryName constraint (encountered processing <Certificate(subject=<Name("
        "CN=ICA)>, ...)>)"
    )
    finding = translate(message, "ServerVerifier", "serverAuth")
    assert finding.reason.rule == "pyca.nc_unsupported"
    assert "directoryName" in finding.reason.text and "CN=ICA" in finding.reason.text


# --------------------------------------------------------------------------------------------
# the random corpus
# --------------------------------------------------------------------------------------------


@dataclass
class _Case:
    root: Forged
    intermediates: list[Forged]
    leaf: Forged
    purpose: Purpose
    hostname: str
    features: list[str] = field(default_factory=list)


def _nc(rng: random.Random, features: list[str]) -> tuple[str, bool, bytes] | None:
    kind = rng.choice(["none"] * 6 + ["dns_permit", "dns_exclude", "ip", "dirname", "empty"])
    if kind == "none":
        return None
    features.append(f"nc:{kind}")
    if kind == "empty":
        # SEQUENCE {} : neither subtree, which RFC 5280 forbids.
        return ("2.5.29.30", True, b"\x30\x00")
    permitted: list[x509.GeneralName] | None = None
    excluded: list[x509.GeneralName] | None = None
    if kind == "dns_permit":
        permitted = [x509.DNSName(rng.choice(["example.com", "example.org"]))]
    elif kind == "dns_exclude":
        excluded = [x509.DNSName(rng.choice(["bad.example.com", "example.com"]))]
    elif kind == "ip":
        permitted = [x509.IPAddress(ipaddress.ip_network("192.0.2.0/24"))]
    else:
        permitted = [
            x509.DirectoryName(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ex")]))
        ]
    value = x509.NameConstraints(
        permitted_subtrees=permitted, excluded_subtrees=excluded
    ).public_bytes()
    return ("2.5.29.30", rng.random() < 0.85, value)


def _ca_spec(rng: random.Random, name: str, depth_left: int, features: list[str]) -> CertSpec:
    extra: list[tuple[str, bool, bytes]] = []
    ca: bool | None = True
    bc_critical = True
    r = rng.random()
    if r < 0.04:
        ca, _ = None, features.append("ca:no_bc")
    elif r < 0.07:
        ca, _ = False, features.append("ca:ca_false")
    elif r < 0.10:
        bc_critical, _ = False, features.append("ca:bc_not_critical")
    path_length = rng.choice([None, None, 0, 1, 2]) if ca else None
    if path_length is not None:
        features.append(f"ca:pathlen{min(path_length, depth_left + 1)}")
    ku: frozenset[str] | None = CA_KU
    r = rng.random()
    if r < 0.04:
        ku, _ = None, features.append("ca:no_ku")
    elif r < 0.08:
        ku, _ = frozenset({"crl_sign"}), features.append("ca:no_keycertsign")
    eku = rng.choice([None] * 5 + [(SA,), (SA,), (SA, CA_), (CA_,), (ANY,), (CS,)])
    features.append(f"ca:eku={'none' if eku is None else '+'.join(sorted(eku))}")
    eku_critical = eku is not None and rng.random() < 0.05
    if eku_critical:
        features.append("ca:eku_critical")
    nc = _nc(rng, features)
    if nc:
        extra.append(nc)
    if rng.random() < 0.03:
        extra.append((UNKNOWN_OID, True, b"\x05\x00"))
        features.append("ca:unknown_critical")
    key_type = rng.choice(["ec"] * 8 + ["rsa", "ec384"] + ["rsa1024", "ed25519"])
    features.append(f"key:{key_type}")
    nb = AT - dt.timedelta(days=rng.choice([400, 400, 400, 30]))
    days = rng.choice([3650] * 12 + [100])
    if days == 100 and nb + dt.timedelta(days=days) < AT:
        features.append("ca:expired")
    return CertSpec(
        common_name=name,
        subject=(("O", "Oracle"),),
        ca=ca,
        path_length=path_length,
        bc_critical=bc_critical,
        key_usage=ku,
        eku=eku,
        eku_critical=eku_critical,
        extra_extensions=tuple(extra),
        key_type=key_type,
        not_before=nb,
        validity_days=days,
        signature_hash="sha1" if rng.random() < 0.02 else "sha256",
    )


def _leaf_spec(rng: random.Random, features: list[str]) -> tuple[CertSpec, str]:
    sans_choice = rng.choice(["host"] * 6 + ["wildcard", "other", "ip", "email", "none", "dn_only"])
    features.append(f"leaf:san={sans_choice}")
    sans: tuple[str, ...] = {
        "host": ("DNS:www.example.com",),
        "wildcard": ("DNS:*.example.com",),
        "other": ("DNS:www.example.net",),
        "ip": ("IP:192.0.2.10",),
        "email": ("DNS:www.example.com", "email:a@example.com"),
        "none": (),
        "dn_only": ("URI:https://www.example.com/",),
    }[sans_choice]
    hostname = rng.choice(["www.example.com"] * 6 + ["other.example.com", "192.0.2.10"])
    features.append(f"host:{hostname}")
    eku = rng.choice(
        [(SA,)] * 6 + [(SA, CA_), (SA, CA_), None, (CA_,), (ANY,), (SA, ANY), (SA, CS)]
    )
    features.append(f"leaf:eku={'none' if eku is None else '+'.join(sorted(eku))}")
    eku_critical = eku is not None and rng.random() < 0.05
    if eku_critical:
        features.append("leaf:eku_critical")
    ku = rng.choice(
        [frozenset({"digital_signature"})] * 5
        + [
            None,
            frozenset({"digital_signature", "key_encipherment"}),
            frozenset({"key_encipherment"}),
            frozenset({"digital_signature", "key_cert_sign"}),
            frozenset(),
        ]
    )
    features.append(f"leaf:ku={'none' if ku is None else '+'.join(sorted(ku)) or 'empty'}")
    ca = rng.choice([None, False, False, False, True])
    features.append(f"leaf:bc={ca}")
    path_length = 0 if ca is not None and rng.random() < 0.05 else None
    extra: list[tuple[str, bool, bytes]] = []
    if rng.random() < 0.04:
        extra.append((UNKNOWN_OID, True, b"\x05\x00"))
        features.append("leaf:unknown_critical")
    if rng.random() < 0.03:
        extra.append(
            (
                "2.5.29.30",
                True,
                x509.NameConstraints(
                    permitted_subtrees=[x509.DNSName("example.com")], excluded_subtrees=None
                ).public_bytes(),
            )
        )
        features.append("leaf:nc")
    r = rng.random()
    if r < 0.05:
        nb, days = AT - dt.timedelta(days=100), 30
        features.append("leaf:expired")
    elif r < 0.09:
        nb, days = AT + dt.timedelta(days=5), 90
        features.append("leaf:not_yet_valid")
    else:
        nb, days = AT - dt.timedelta(days=rng.randint(1, 60)), 90
    key_type = rng.choice(["ec"] * 6 + ["rsa", "ec384", "rsa1024", "ed25519"])
    features.append(f"key:{key_type}")
    aki = rng.random() > 0.04
    if not aki:
        features.append("leaf:no_aki")
    serial = -5 if rng.random() < 0.02 else None
    if serial:
        features.append("leaf:negative_serial")
    sig = "sha1" if rng.random() < 0.03 else "sha256"
    if sig == "sha1":
        features.append("leaf:sha1")
    cn = rng.choice(["www.example.com", "www.example.com", ""])
    if not cn:
        features.append("leaf:empty_subject")
    spec = CertSpec(
        common_name=cn,
        sans=sans,
        eku=eku,
        eku_critical=eku_critical,
        key_usage=ku,
        ca=ca,
        path_length=path_length,
        extra_extensions=tuple(extra),
        not_before=nb,
        validity_days=days,
        key_type=key_type,
        authority_key_identifier=aki,
        serial_number=serial,
        signature_hash=sig,
    )
    if rng.random() < 0.01:
        spec = CertSpec(common_name="www.example.com", version=1, not_before=nb, validity_days=90)
        features.append("leaf:v1")
    return spec, hostname


def _signable(spec: CertSpec, signer_key_type: str) -> CertSpec:
    """Ed25519 signatures have no hash choice: a SHA-1 draw under an Ed25519 issuer is dropped."""
    if signer_key_type == "ed25519" and spec.signature_hash != "sha256":
        return spec.with_(signature_hash="sha256")
    return spec


def _clean_ca(rng: random.Random, spec: CertSpec) -> CertSpec:
    """A CA as a public hierarchy has it (the key type and EKU choice still vary)."""
    nc = ()
    if rng.random() < 0.2:
        value = x509.NameConstraints(
            permitted_subtrees=[x509.DNSName("example.com")], excluded_subtrees=None
        ).public_bytes()
        nc = (("2.5.29.30", True, value),)
    return spec.with_(
        ca=True,
        bc_critical=True,
        key_usage=CA_KU,
        eku=rng.choice([None, (SA,), (SA, CA_)]),
        eku_critical=False,
        extra_extensions=nc,
        key_type=rng.choice(["ec", "ec", "rsa", "ec384"]),
        not_before=AT - dt.timedelta(days=400),
        validity_days=3650,
        signature_hash="sha256",
    )


def _clean_leaf(rng: random.Random, spec: CertSpec) -> CertSpec:
    return CertSpec(
        common_name="www.example.com",
        sans=rng.choice([("DNS:www.example.com",), ("DNS:*.example.com",)]),
        eku=rng.choice([(SA,), (SA, CA_)]),
        key_usage=frozenset({"digital_signature"}),
        ca=rng.choice([None, False]),
        key_type=rng.choice(["ec", "ec", "rsa", "ec384"]),
        not_before=AT - dt.timedelta(days=10),
        validity_days=90,
    )


def _case(rng: random.Random, index: int) -> _Case:
    """A random chain; about a third are "good" chains (few defects), so pyca accepts enough."""
    good = rng.random() < 0.35
    features: list[str] = []
    drawn: list[str] = []  # features of a good chain's discarded draws
    n_ica = rng.choice([0, 1, 1, 1, 2])
    features.append(f"intermediates:{n_ica}")
    root_spec = _ca_spec(rng, "Oracle Root", n_ica, drawn if good else features)
    if good:
        root_spec = _clean_ca(rng, root_spec).with_(path_length=None)
    if rng.random() < 0.5:
        root_spec = root_spec.with_(extra_extensions=(), eku=None)  # roots mostly plain
    root_spec = _signable(root_spec, root_spec.key_type)
    root = forge(root_spec, seed=SEED)
    issuer = root
    icas: list[Forged] = []
    for level in range(n_ica):
        spec = _ca_spec(
            rng, f"Oracle ICA {level + 1}", n_ica - level - 1, drawn if good else features
        )
        if good:
            spec = _clean_ca(rng, spec).with_(path_length=None)
        issuer = forge(_signable(spec, issuer.spec.key_type), issuer, seed=SEED)
        icas.append(issuer)
    leaf_spec, hostname = _leaf_spec(rng, drawn if good else features)
    if good:
        leaf_spec, hostname = _clean_leaf(rng, leaf_spec), "www.example.com"
        features.append("good")
    leaf = forge(_signable(leaf_spec, issuer.spec.key_type), issuer, seed=SEED)
    purpose = Purpose.TLS_CLIENT if rng.random() < 0.2 else Purpose.TLS_SERVER
    features.append(f"purpose:{purpose.value}")
    if not good and icas and rng.random() < 0.04:
        icas = icas[1:]  # the one nearest the root goes missing
        features.append("missing_intermediate")
    return _Case(root, icas, leaf, purpose, hostname, features)


def _pyca(case: _Case) -> tuple[list[x509.Certificate] | None, str | None]:
    builder = PolicyBuilder().store(Store([case.root.certificate])).time(AT)
    intermediates = [f.certificate for f in case.intermediates]
    try:
        if case.purpose is Purpose.TLS_SERVER:
            name: x509.GeneralName
            host = case.hostname
            assert host is not None
            try:
                name = x509.IPAddress(ipaddress.ip_address(host))
            except ValueError:
                name = x509.DNSName(host)
            chain = builder.build_server_verifier(name).verify(case.leaf.certificate, intermediates)
        else:
            chain = (
                builder.build_client_verifier().verify(case.leaf.certificate, intermediates).chain
            )
    except VerificationError as exc:
        return None, str(exc)
    return list(chain), None


def _profile(case: _Case) -> Verdict:
    return verdict(
        case.leaf.certificate,
        case.purpose,
        "webpki",
        intermediates=[f.certificate for f in case.intermediates],
        roots=[case.root.certificate],
        at=AT,
        hostname=case.hostname,
    )


def _explain(v: Verdict) -> str:
    return f"{v.outcome}:\n" + "\n".join(f"  [{r.rule}] {r.text}" for r in v.reasons)


def _compare(case: _Case, index: int) -> tuple[str, str | None, list[str]]:
    """('accepted' | 'rejected', the pyca rule, disagreements)."""
    chain, message = _pyca(case)
    v = _profile(case)
    rules = [r.rule for r in v.reasons]
    pyca_rules = [r for r in rules if r.startswith("pyca.")]
    problems: list[str] = []
    where = f"chain #{index} (CERTLIB_ORACLE_SEED={SEED}) {case.features}"
    if chain is not None:
        if pyca_rules != ["pyca.verified"]:
            problems.append(f"{where}: pyca accepted, profile has {pyca_rules}\n{_explain(v)}")
        else:
            text = next(r.text for r in v.reasons if r.rule == "pyca.verified")
            if f"a path of {len(chain)} certificate(s)" not in text:
                problems.append(f"{where}: pyca built {len(chain)} certs; profile: {text}")
        claims = sorted(CLAIMS_PYCA_REFUSES & set(rules))
        if claims:
            problems.append(f"{where}: pyca accepted, but profile claims it refuses: {claims}")
        return "accepted", "pyca.verified", problems
    assert message is not None
    expected = _expected_rule(message)
    if expected is None:
        problems.append(f"{where}: pyca message not in EXPECTED_RULE: {message!r}")
    if "pyca.rejected" in pyca_rules:
        problems.append(f"{where}: generic pyca.rejected for {message!r}")
    if pyca_rules != [expected]:
        problems.append(f"{where}: pyca said {message!r} -> {expected}; profile {pyca_rules}")
    if v.outcome not in ("denied", "invalid"):
        problems.append(f"{where}: pyca raised {message!r} but profile outcome {v.outcome}")
    return "rejected", expected, problems


#: The pyca rules the corpus must produce, and the features it must contain (≥ 3 times each).
NEEDED_RULES = (
    "pyca.no_path",
    "pyca.eku_missing",
    "pyca.ca_eku_missing",
    "pyca.ee_is_ca",
    "pyca.ee_key_cert_sign",
    "pyca.name_mismatch",
    "pyca.validity",
    "pyca.unknown_critical",
    "pyca.criticality",
    "pyca.extension_missing",
    "pyca.path_length",
    "pyca.nc_unsupported",
    "pyca.nc_not_permitted",
    "pyca.nc_excluded",
    "pyca.signature_algorithm",
    "pyca.key_algorithm",
)
NEEDED_FEATURES = (
    "intermediates:0",
    "intermediates:1",
    "intermediates:2",
    "nc:dirname",
    "nc:dns_permit",
    "nc:dns_exclude",
    "nc:ip",
    "nc:empty",
    "key:rsa",
    "key:ec384",
    "key:ed25519",
    "key:rsa1024",
    "leaf:san=ip",
    "leaf:san=wildcard",
    "leaf:expired",
    "leaf:not_yet_valid",
    "purpose:tls_client",
    "missing_intermediate",
    "ca:pathlen0",
)
#: On a seed whose first N_CHAINS draws miss a rare rule or feature, more chains are drawn
#: (and compared) until each has appeared, at most this many: fresh seeds stay as strict.
MAX_EXTRA_CHAINS = 3000


def test_webpki_agrees_with_pyca_on_a_random_corpus() -> None:
    rng = random.Random(SEED)
    outcomes: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    features: Counter[str] = Counter()
    problems: list[str] = []

    def run(index: int) -> None:
        case = _case(rng, index)
        outcome, rule, found = _compare(case, index)
        outcomes[outcome] += 1
        if rule:
            rules[rule] += 1
        features.update(case.features)
        problems.extend(found)

    def missing() -> bool:
        return any(rules[r] < 1 for r in NEEDED_RULES) or any(
            features[f] < 3 for f in NEEDED_FEATURES
        )

    for index in range(N_CHAINS):
        run(index)
    extra = 0
    while missing() and extra < MAX_EXTRA_CHAINS:
        run(N_CHAINS + extra)
        extra += 1
    summary = f"seed {SEED} (+{extra} chains): {dict(outcomes)}; rules {dict(rules)}"
    assert not problems, summary + "\n" + "\n\n".join(problems[:20])
    compared = outcomes["accepted"] + outcomes["rejected"]
    assert compared >= 1000, summary
    assert outcomes["accepted"] >= 250 and outcomes["rejected"] >= 500, summary
    assert features["good"] >= 300, summary
    # Coverage: the corpus exercises the rules pyca decides, the directoryName case included.
    for needed in NEEDED_RULES:
        assert rules[needed] >= 1, f"{needed} never produced; {summary}"
    for feature in NEEDED_FEATURES:
        assert features[feature] >= 3, f"feature {feature} too rare; {summary}"
