"""The chain-aware half: pyca/cryptography's ``x509.verification`` builds and verifies the path
from the leaf to one of ``ctx.roots`` with its Web PKI policies, once per purpose (the server and
client verifiers differ), from one policy made per certificate."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from certlib.core.verdicts import Context, Outcome, Purpose
from certlib.profiles.webpki.findings import (
    PYCA,
    PYCA_CA,
    PYCA_EE,
    Finding,
    day,
    finding,
    subject_text,
)
from certlib.profiles.webpki.names import server_name
from certlib.profiles.webpki.rejections import translate

__all__ = ["PathPolicy", "path_policy", "verify"]


@dataclass(frozen=True)
class PathPolicy:
    """What pyca verifies every purpose's path with: the policy builder (roots, time, depth)
    and the intermediates, made once per judged certificate."""

    builder: PolicyBuilder
    intermediates: list[x509.Certificate]


def path_policy(ctx: Context) -> PathPolicy:
    """The pyca policy of ``ctx`` (its roots as the store, ``ctx.when``, ``max_chain_depth``)."""
    builder = PolicyBuilder().store(Store(list(ctx.roots))).time(ctx.when)
    depth = ctx.options.get("max_chain_depth")
    if depth is not None:
        builder = builder.max_chain_depth(int(depth))
    return PathPolicy(builder, list(ctx.intermediates))


def verify(
    cert: x509.Certificate, purpose: Purpose, ctx: Context, path: PathPolicy
) -> tuple[list[Finding], list[x509.Certificate] | None]:
    """Run pyca's verifier; return its findings and the verified chain (leaf first) or None."""
    builder, intermediates = path.builder, path.intermediates
    policy_eku = "serverAuth" if purpose is Purpose.TLS_SERVER else "clientAuth"
    out: list[Finding] = []
    try:
        if purpose is Purpose.TLS_SERVER:
            subject, name_finding = server_name(cert, ctx.hostname)
            out.append(name_finding)
            verifier_name = "ServerVerifier"
            chain = builder.build_server_verifier(subject).verify(cert, intermediates)
        else:
            verifier_name = "ClientVerifier"
            if ctx.hostname:
                out.append(
                    finding(
                        Outcome.ALLOWED,
                        "name.ignored",
                        f"A hostname ({ctx.hostname}) was given, but pyca's ClientVerifier does "
                        "no name matching for client certificates: it only requires a SAN.",
                        PYCA,
                    )
                )
            chain = builder.build_client_verifier().verify(cert, intermediates).chain
    except VerificationError as exc:
        out.append(translate(str(exc), verifier_name, policy_eku))
        return out, None
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        out.append(
            finding(
                Outcome.DENIED,
                "pyca.error",
                f"pyca could not run the verification: {exc}.",
                PYCA,
                "pyca could not verify",
            )
        )
        return out, None
    names = " <- ".join(subject_text(c) for c in chain)
    out.append(
        finding(
            Outcome.ALLOWED,
            "pyca.verified",
            f"pyca's {verifier_name} built and verified a path of {len(chain)} certificate(s) "
            f"to a given root on {day(ctx.when)}: {names}. Its Web PKI policies accepted every "
            f"certificate, with {policy_eku} as the policy EKU.",
            f"{PYCA_EE}; {PYCA_CA}",
        )
    )
    return out, list(chain)
