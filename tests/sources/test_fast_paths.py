"""certlib.sources fast paths: they must give exactly what the general code gives.

``certlib.sources.readers.context._FAST_PATHS = False`` turns off every fast path (the
clean-CERTIFICATE PEM reader and the whole-text sniffing shortcuts), so each test reads the same
bytes both ways and compares the full results: every ``Found`` (DER, path, container, index, alias,
has_private_key, warnings) and every ``Problem`` (kind, index, message), in order.
"""

from __future__ import annotations

import base64
import contextlib
import json
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import builders as b
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certlib import sources
from certlib.cert.forge import CertSpec, forge
from certlib.sources import Found, Problem, read_bytes
from certlib.sources.readers import context, sniffing
from certlib.sources.readers import pem as pem_reader

PASSWORD = "Tr0ub4dor&3-pw"


@contextlib.contextmanager
def general_path() -> Iterator[None]:
    before = context._FAST_PATHS
    context._FAST_PATHS = False
    try:
        yield
    finally:
        context._FAST_PATHS = before


Results = tuple[list[Found], list[Problem]]


def both(data: bytes, path: str = "bundle.pem", passwords: Sequence[str] = ()) -> Results:
    """Read ``data`` with and without the fast paths; assert the results are identical."""
    with warnings.catch_warnings(record=True) as leaked_fast:
        warnings.simplefilter("always")
        fast = read_bytes(data, path, passwords=passwords)
    with general_path(), warnings.catch_warnings(record=True) as leaked_slow:
        warnings.simplefilter("always")
        slow = read_bytes(data, path, passwords=passwords)
    assert fast == slow
    # field by field too, so a failure says which one differs
    for f, s in zip(fast[0], slow[0], strict=True):
        assert (f.der, f.provenance, f.warnings) == (s.der, s.provenance, s.warnings)
    assert [str(w.message) for w in leaked_fast] == [str(w.message) for w in leaked_slow]
    return fast


@pytest.fixture
def body_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Bodies that went through the general ``_pem_body`` (the fast path does not call it)."""
    calls: list[str] = []
    real = pem_reader._pem_body

    def spy(body: str) -> bytes:
        calls.append(body)
        return real(body)

    monkeypatch.setattr(pem_reader, "_pem_body", spy)
    return calls


# --------------------------------------------------------------------------- material


def _spec(i: int, **kw: object) -> CertSpec:
    kw.setdefault("sans", (f"DNS:host{i}.example",))
    return CertSpec(common_name=f"host{i}.example", **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def certs() -> list[bytes]:
    """Ordinary DER certificates: EC and RSA, short and long (1-, 2- and 3-octet lengths)."""
    out = [forge(_spec(i), seed=i).der for i in range(12)]
    out.append(forge(_spec(100, key_type="rsa"), seed=100).der)
    out.append(forge(_spec(101, sans=tuple(f"DNS:h{n}.x" for n in range(30))), seed=101).der)
    out.append(b.der(b.big_cert()))
    return out


@pytest.fixture(scope="module")
def negative_serial() -> bytes:
    """Loads, but cryptography warns (nonpositive-serial must be recorded on the fast path)."""
    return forge(CertSpec(common_name="neg.example", serial_number=-1234), seed=7).der


def pem_block(der: bytes, label: str = "CERTIFICATE", *, width: int = 64) -> str:
    text = base64.b64encode(der).decode()
    lines = [text[i : i + width] for i in range(0, len(text), width)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def bundle(ders: Sequence[bytes]) -> str:
    return "".join(pem_block(d) for d in ders)


def _broken_time(der: bytes) -> bytes:
    """Certificate-shaped, but cryptography refuses it (an impossible UTCTime)."""
    at = der.index(b"\x17\x0d") + 2
    return der[:at] + b"99999999ZZZZ" + der[at + 12 :]


def _non_minimal(der: bytes) -> bytes:
    body = der[4:] if der[1] == 0x82 else der[3:]
    return b"\x30\x83" + len(body).to_bytes(3, "big") + body


def _indefinite(der: bytes) -> bytes:
    body = der[4:] if der[1] == 0x82 else der[3:]
    return b"\x30\x80" + body + b"\x00\x00"


@pytest.fixture(scope="module")
def mixed(certs: list[bytes], negative_serial: bytes) -> str:
    """Everything a real bundle may hold, between clean certificates."""
    leaf, ca, leaf_key = b.chain()
    key = b.key_pem(leaf_key).decode()
    enc_key = b.key_pem(b.ec_key(3), b"secret").decode()
    p7 = b.pkcs7_der(leaf, ca)
    corrupt = pem_block(certs[1]).replace("M", "*", 2)
    truncated = pem_block(certs[2]).split("\n")
    parts = [
        bundle(certs[:3]),
        "Bag Attributes\n    friendlyName: web server\n    localKeyID: 01 02 03\n",
        "subject=/CN=host3.example\nissuer=/CN=host3.example\n",
        pem_block(certs[3]),
        "Alias name: mykey\nCreation date: Jan 1, 2026\nEntry type: trustedCertEntry\n\n",
        pem_block(certs[4]),
        corrupt,
        pem_block(negative_serial),
        pem_block(b.der(leaf)),
        key,
        enc_key,
        pem_block(b.der(ca), "TRUSTED CERTIFICATE"),
        pem_block(p7, "PKCS7"),
        pem_block(p7),  # PKCS#7 labelled CERTIFICATE (ADCS)
        pem_block(_broken_time(certs[5])),
        pem_block(_non_minimal(certs[6])),
        pem_block(_indefinite(certs[7])),
        pem_block(certs[8] + b"\x00\x00\n"),  # padding after the DER
        pem_block(certs[8] + certs[9]),  # two DER certificates in one block
        pem_block(certs[9][:-5]),  # DER cut short
        pem_block(b"\x05\x00"),  # well-formed, not a certificate
        pem_block(b"\x30\x00"),  # empty SEQUENCE
        pem_block(certs[10], "X509 CERTIFICATE"),
        pem_block(certs[10], "CERTIFICATE REQUEST"),
        pem_block(b.der(leaf), "WEIRD LABEL"),
        "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n",
        "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",  # empty body
        pem_block(certs[11]),
        "\n".join(truncated[: len(truncated) // 2]),  # the last block has no END line
    ]
    return "".join(parts)


# --------------------------------------------------------------------------- clean bundles


def test_clean_bundle_takes_the_fast_path(certs: list[bytes], body_calls: list[str]) -> None:
    data = bundle(certs * 3).encode()
    found, problems = both(data)
    assert len(found) == 3 * len(certs) and problems == []
    assert [f.der for f in found] == certs * 3
    assert [f.provenance.index for f in found] == list(range(3 * len(certs)))
    assert {(f.provenance.container, f.provenance.alias, f.warnings) for f in found} == {
        ("pem", None, ())
    }
    # both() read it twice: the general path decoded every block, the fast path none
    assert len(body_calls) == 3 * len(certs)


def test_crlf_bundle_is_fast_and_flagged(certs: list[bytes], body_calls: list[str]) -> None:
    found, problems = both(b.crlf(bundle(certs).encode()))
    assert len(found) == len(certs) and problems == []
    assert all(f.warnings == ("crlf: PEM block has CRLF line endings",) for f in found)
    assert len(body_calls) == len(certs)


def test_friendly_names_in_preambles(certs: list[bytes], body_calls: list[str]) -> None:
    text = (
        "Bag Attributes\n    friendlyName: first\n    localKeyID: 01\nsubject=/CN=x\n"
        + pem_block(certs[0])
        + "Bag Attributes\n    friendlyName: second\n"
        + "    friendlyName:   third  \n"
        + pem_block(certs[1])
        + "subject=/O=Foo-Bar Ltd/CN=no alias here\n----- not a BEGIN line -----\n"
        + pem_block(certs[2])
        + "Alias name: keytool-alias\n"
        + pem_block(certs[3])
        + pem_block(certs[4])
    )
    found, problems = both(text.encode())
    assert problems == []
    assert [f.provenance.alias for f in found] == [
        "first",
        "third",
        None,
        "keytool-alias",
        None,
    ]
    assert len(body_calls) == 5  # all from the general path


def test_negative_serial_warning_recorded_on_the_fast_path(
    certs: list[bytes], negative_serial: bytes
) -> None:
    found, problems = both(bundle([certs[0], negative_serial, negative_serial, certs[1]]).encode())
    assert problems == [] and len(found) == 4
    assert [len(f.warnings) for f in found] == [0, 1, 1, 0]
    assert found[1].warnings[0].startswith("nonpositive-serial:")


def test_via_layers_reach_the_fast_path(certs: list[bytes]) -> None:
    """Outer containers give the PEM reader a container, alias, prefix and warnings."""
    pem = bundle(certs[:4]).encode()
    found, problems = both(b.utf16(pem))
    assert len(found) == 4 and problems == [] and all(f.warnings for f in found)
    found, problems = both(b"\xef\xbb\xbf" + pem)
    assert len(found) == 4 and all(f.warnings[0].startswith("utf8-bom") for f in found)
    found, problems = both(base64.b64encode(pem))
    assert {f.provenance.container for f in found} == {"base64-pem"} and len(found) == 4
    found, problems = both(json.dumps({"cert": pem.decode()}).encode(), "acm.json")
    assert len(found) == 4 and {f.provenance.container for f in found} == {"json"}
    escaped = json.dumps(pem.decode())[1:-1].encode()  # literal \n escapes
    found, problems = both(escaped)
    assert len(found) == 4 and {f.provenance.container for f in found} == {"json-escaped-pem"}
    secret = b.k8s_secret("web", {"tls.crt": pem, "ca.crt": pem[: len(pem) // 2]})
    found, problems = both(b.yaml_bytes(secret), "secret.yaml")
    assert len(found) >= 4 and {f.provenance.alias for f in found} >= {"tls.crt"}
    found, problems = both(b.zip_bytes({"a.pem": pem, "b/c.pem": b.crlf(pem)}), "x.zip")
    assert len(found) == 8 and problems == []
    assert {f.provenance.path for f in found} == {"x.zip!a.pem", "x.zip!b/c.pem"}
    broken_yaml = b"kind: Secret\ndata: [unclosed\n" + pem
    found, problems = both(broken_yaml, "broken.yaml")
    assert len(found) == 4 and all(f.warnings[0].startswith("yaml-unparsed") for f in found)


# --------------------------------------------------------------------------- mixed bundles


def test_mixed_bundle_is_identical(mixed: str) -> None:
    found, problems = both(mixed.encode(), passwords=[PASSWORD, "secret"])
    assert len(found) == 21
    assert [(p.kind, p.index) for p in problems] == [
        ("corrupt", 5),  # the damaged base64
        ("not-a-certificate", 9),  # the encrypted key, read with "secret", matches nothing
        ("truncated", 21),  # DER cut short
        ("not-a-certificate", 22),  # NULL
        ("not-a-certificate", 23),  # empty SEQUENCE
        ("not-a-certificate", 25),  # CSR label
        ("empty", 28),
        ("truncated", 30),  # no END line
    ]
    # the leaf (PEM, twice in the PKCS#7s, WEIRD LABEL) matches the unencrypted key
    assert sum(f.provenance.has_private_key for f in found) == 4
    assert [f.provenance.index for f in found if "nonpositive-serial" in str(f.warnings)] == [6]
    aliases = [f.provenance.alias for f in found]
    assert "web server" in aliases and "mykey" in aliases


@pytest.mark.parametrize(
    "transform",
    [
        lambda t: t.replace("\n", "\r\n"),
        lambda t: t.replace("\n", "\r\n", 40),  # CRLF in part of the file only
        lambda t: t.replace("\n", "\r"),  # old Mac line ends
        lambda t: t.replace("-----\n", "-----"),  # BEGIN line glued to the body
        lambda t: t.replace("\n", " \n"),  # trailing spaces
        lambda t: t.replace("\n", "\n\t", 30),  # indented lines
        lambda t: t.replace("\n", "\n\n", 25),  # blank lines in the bodies
        lambda t: t.replace("\n", "\x0b\n", 25),  # vertical tab
        lambda t: t.replace("\n", "\u2028", 25),  # a Unicode line separator
        lambda t: t.replace("A", "\u00c4", 3),  # non-ASCII in a body
        lambda t: t.replace("+", "-").replace("/", "_"),  # URL-safe alphabet
        lambda t: t.replace("==\n", "\n"),  # padding dropped
        lambda t: t.replace("=\n", "=AAAA\n", 3),  # data after the padding
        lambda t: t.replace("MII", "MI=I", 3),  # padding in the middle
        lambda t: t.replace("-----END CERTIFICATE-----\n", "-----END CERTIFICATE-----", 5),
        lambda t: t.replace("-----END CERTIFICATE-----", "-----END CERTIFICATE----", 2),
        lambda t: t.replace(
            "-----BEGIN CERTIFICATE-----\n",
            "-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n",
            3,
        ),
        lambda t: t.replace(
            "-----BEGIN CERTIFICATE-----\n", "-----BEGIN CERTIFICATE-----\nComment: a header\n\n", 3
        ),
        lambda t: t.replace("-----BEGIN CERTIFICATE-----", "-----BEGIN CERTIFICATE------", 2),
        lambda t: t.replace("-----BEGIN CERTIFICATE-----", "------BEGIN CERTIFICATE-----", 2),
        lambda t: t.replace("-----BEGIN CERTIFICATE-----", "-----BEGIN certificate-----", 2),
        lambda t: "garbage before\n" + t + "trailing garbage: not PEM\n\x00\x01",
        lambda t: t + "-----BEGIN CERTIFICATE-----\nMIIB",
        lambda t: t.replace("\n", "\n-----BEGIN X-----\n", 1),
        lambda t: t.replace("\n", "\\n"),  # JSON-escaped newlines
        lambda t: "kind: Secret\n" + t,  # no longer PEM: YAML
        lambda t: "apiVersion : v1\n" + t,
        lambda t: t + "\ndata:\n",
        lambda t: t + "\nstringData:   \n",
        lambda t: "a,b\n" + t,  # CSV-like first line
    ],
)
def test_mixed_bundle_variants_are_identical(mixed: str, transform: object) -> None:
    text = transform(mixed)  # type: ignore[operator]
    found, problems = both(text.encode("utf-8"), passwords=[PASSWORD, "secret"])
    assert found or problems


def test_mixed_bundle_utf16(mixed: str) -> None:
    found, problems = both(mixed.encode("utf-16"))
    assert len(found) == 21 and len(problems) == 7  # the encrypted key: an unmatched-key note
    assert all(f.warnings[-1].startswith("unmatched-key:") for f in found)


def test_corrupt_block_in_the_middle(certs: list[bytes]) -> None:
    bad = pem_block(certs[1]).replace("\nM", "\n!", 1)
    found, problems = both((pem_block(certs[0]) + bad + pem_block(certs[2])).encode())
    assert [f.der for f in found] == [certs[0], certs[2]]
    assert [f.provenance.index for f in found] == [0, 2]
    assert [(p.kind, p.index) for p in problems] == [("corrupt", 1)]
    assert "PEM block 2 (CERTIFICATE, line " in problems[0].message


def test_line_numbers_in_messages_after_fast_blocks(certs: list[bytes]) -> None:
    """Line numbers are counted lazily on the fast path: they must still be right."""
    clean = bundle(certs[:5])
    lines_before = clean.count("\n")
    text = (
        clean + pem_block(certs[5]).replace("M", "*", 1) + clean + "-----BEGIN CERTIFICATE-----\n"
    )
    found, problems = both(text.encode())
    assert len(found) == 10
    assert f"line {lines_before + 1})" in problems[0].message
    second = lines_before * 2 + pem_block(certs[5]).count("\n") + 1
    assert f"line {second})" in problems[1].message
    assert [p.kind for p in problems] == ["corrupt", "truncated"]


def test_truncated_last_block(certs: list[bytes]) -> None:
    text = bundle(certs[:3])
    cut = pem_block(certs[3])[:-40]
    found, problems = both((text + cut).encode())
    assert len(found) == 3 and [p.kind for p in problems] == ["truncated"]


def test_private_key_matches_a_fast_certificate() -> None:
    leaf, ca, leaf_key = b.chain()
    text = pem_block(b.der(ca)) + pem_block(b.der(leaf)) + b.key_pem(leaf_key).decode()
    found, problems = both(text.encode())
    assert problems == []
    assert [f.provenance.has_private_key for f in found] == [False, True]
    text = pem_block(b.der(leaf)) + b.key_pem(leaf_key, b"pw").decode()
    found, problems = both(text.encode())
    assert len(found) == 1 and found[0].warnings[0].startswith("unmatched-key:")


def test_passwords_scrubbed_the_same_way(certs: list[bytes]) -> None:
    text = f"Bag Attributes\n    friendlyName: {PASSWORD}\n" + bundle(certs[:2])
    text += pem_block(certs[2]).replace("M", "*", 1)
    found, problems = both(text.encode(), passwords=[PASSWORD])
    assert len(found) == 2 and len(problems) == 1


# --------------------------------------------------------------------------- fuzzing


_TOKENS = [
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "=",
    "==",
    ":",
    "-",
    "-----",
    "-----BEGIN CERTIFICATE-----\n",
    "-----END CERTIFICATE-----\n",
    "-----BEGIN PKCS7-----\n",
    "friendlyName: x\n",
    "Proc-Type: 4,ENCRYPTED\n",
    "\\n",
    "\u00e9",
    "kind:",
    "\ndata:\n",
    "AAAA",
    "MII",
    "\x00",
]

_FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_FUZZ
@given(data=st.data())
def test_mutated_bundles_are_identical(mixed: str, certs: list[bytes], data: st.DataObject) -> None:
    base = data.draw(
        st.sampled_from([mixed, bundle(certs[:6]), b.crlf(bundle(certs[:4]).encode()).decode()])
    )
    text = base
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["insert", "delete", "flip", "cut"]))
        if action == "insert":
            text = text[:at] + data.draw(st.sampled_from(_TOKENS)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + data.draw(st.integers(1, 8)) :]
        elif action == "flip" and at < len(text):
            text = (
                text[:at]
                + chr(ord(text[at]) ^ (1 << data.draw(st.integers(0, 6))))
                + text[at + 1 :]
            )
        elif action == "cut":
            text = text[:at]
    both(text.encode("utf-8", errors="surrogatepass"), passwords=["secret"])


@_FUZZ
@given(
    st.lists(
        st.sampled_from([*_TOKENS, "a", "b", "x", "y", "{", "[", ",", ";", "#TYPE", "\u2028"]),
        max_size=40,
    )
)
def test_sniffing_shortcuts_are_identical(parts: list[str]) -> None:
    data = "".join(parts).encode("utf-8", errors="surrogatepass")
    fast = sources.sniff(data)
    with general_path():
        slow = sources.sniff(data)
    assert fast == slow


@pytest.mark.parametrize(
    "text",
    [
        "kind: Secret\n",
        "x\nkind: Secret\n",
        "x\r\nkind : Secret\n",
        "x\rkind: Secret\n",
        "apiVersion:v1",
        "  kind: x\n",
        "data:\n",
        "data:   \n  a: b\n",
        "x\ndata: value\n",
        "x\nstringData:\n",
        "x\nstringData:\r\n",
        "x\ndata\n:",
        "notkind: x\n",
        "a,b\nc,d\n",
        "#TYPE x\n",
        "a;b\n",
        "a,b",
        "a\u2028b,c\nd",
        "x" * 5000 + "\n" + "y,z",
        "h1,h2" + "\r" + "x" * 5000 + "\n",
        "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n",
        "-----BEGIN CERTIFICATE-----\nMIIB\\n\n-----END CERTIFICATE-----\n",
        # text starting with "-" is neither CSV nor JSON (the fast path does not ask)
        "-a,b\nc,d\n",
        "-,b\nc,d\n",
        " \n-x;y\tz\nc;d\n",
        '-"a,b",c\nd,e\n',
        "-----BEGIN CERTIFICATE-----,RawData\nx,y\n",
        "-----BEGIN CERTIFICATE-----\tThumbprint\nA\tB\n",
        "-#TYPE x\n",
        "-[1, 2]",
        "-{}",
        "- kind: Secret\n",
        "-\nkind: Secret\n",
        "-\u2028a,b\nc,d\n",
        "\ufeff-a,b\nc,d\n",
    ],
)
def test_sniffing_edge_cases(text: str) -> None:
    data = text.encode()
    fast = sources.sniff(data)
    with general_path():
        slow = sources.sniff(data)
    assert fast == slow
    both(data)


def test_yaml_and_csv_shortcuts_agree_with_the_regexes() -> None:
    samples = [
        "kind: Secret",
        "a\nkind:",
        "a\n kind:",
        "a\r\napiVersion  :",
        "data:\n",
        "a\ndata:  x",
        "a\ndata:  \n",
        "b\nstringData:",
        "no colon at all\nkind",
        "",
        "x\n" * 3000 + "kind:",
    ]
    for text in samples:
        expected = bool(sniffing._K8S_LINE.search(text) or sniffing._YAML_DATA.search(text))
        assert sniffing._yaml_like(text) is expected, text
        for size in (0, 1, 4095, 4096, 4097, 40000):
            long = "h" * size + text
            assert sniffing._head_lines(long)[:1] == long.splitlines()[:1]
            assert (len(sniffing._head_lines(long)) >= 2) == (len(long.splitlines()) >= 2)


def _utf16_order_before(data: bytes) -> str | None:
    """sniffing._utf16_order as it was before its NUL shortcut."""
    sample = data[:64]
    if len(sample) < 4:
        return None
    pairs = [sample[i : i + 2] for i in range(0, len(sample) - 1, 2)]
    if all(p[1] == 0 and p[0] in sniffing._PRINTABLE for p in pairs):
        return "le"
    if all(p[0] == 0 and p[1] in sniffing._PRINTABLE for p in pairs):
        return "be"
    return None


@_FUZZ
@given(
    st.binary(max_size=70)
    | st.lists(st.sampled_from([b"\x00", b"a", b"\n", b"\xff"])).map(b"".join)
)
def test_utf16_shortcut_is_identical(data: bytes) -> None:
    assert sniffing._utf16_order(data) == _utf16_order_before(data)


def test_utf16_shortcut_examples(certs: list[bytes]) -> None:
    pem = bundle(certs[:1])
    for data in [
        pem.encode("utf-16-le"),
        pem.encode("utf-16-be"),
        pem.encode(),
        b"a\x00b\x00c",
        b"\x00a\x00b",
        b"a\x00bc",
        b"\x00\x00\x00\x00",
    ]:
        assert sniffing._utf16_order(data) == _utf16_order_before(data)
    assert sniffing._utf16_order(pem.encode("utf-16-le")) == "le"


# --------------------------------------------------------------------------- whole files


def test_files_of_certificates_only_are_identical(certs: list[bytes], negative_serial) -> None:
    """``_Ctx.finish`` for a read that found nothing but certificates (its fast path)."""
    for data in [
        pem_block(certs[0]).encode(),
        bundle(certs[:5]).encode(),
        b.crlf(pem_block(certs[1]).encode()),
        pem_block(negative_serial).encode(),
        certs[2],
        b"Bag Attributes\n    friendlyName: web\n" + pem_block(certs[3]).encode(),
        b"\xef\xbb\xbf" + pem_block(certs[4]).encode(),
        pem_block(certs[4]).encode("utf-16"),
        pem_block(certs[5]).encode() + pem_block(certs[5]).encode(),
    ]:
        for passwords in [(), (PASSWORD,), ("CRLF line",), ("web",)]:
            both(data, passwords=passwords)
    # a password inside a warning is scrubbed from it the same way
    found, _ = both(b.crlf(pem_block(certs[1]).encode()), passwords=["CRLF line"])
    assert found[0].warnings == ("crlf: PEM block has *** endings",)


def _files(tmp_path: Path, certs: list[bytes]) -> list[tuple[str, bytes]]:
    """Files of many sizes around the read sizes (0, 1, 64 KiB ± 1, bigger)."""
    pem = bundle(certs).encode()
    out = []
    for name, data in {
        "empty": b"",
        "one": b"-",
        "cert.pem": pem_block(certs[0]).encode(),
        "k64-1": (pem * 100)[:65535],
        "k64": (pem * 100)[:65536],
        "k64+1": (pem * 100)[:65537],
        "big.pem": pem * 40,
        "bin": bytes(range(256)) * 600,
    }.items():
        (tmp_path / name).write_bytes(data)
        out.append((str(tmp_path / name), data))
    return out


def test_reading_files_gives_what_open_read_gives(
    tmp_path: Path, certs: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``sources._read_up_to`` = ``open(name, "rb").read(limit)``, whatever size it is told."""
    files = _files(tmp_path, certs)
    for name, data in files:
        for limit in [1, 2, 100, 65536, 65537, len(data), len(data) + 1, 10**9]:
            with open(name, "rb") as fh:
                expected = fh.read(limit)
            for hint in {0, 1, 7, max(0, len(data) - 1), len(data), len(data) + 1, 70000}:
                assert sources._read_up_to(name, hint, limit) == expected, (name, limit, hint)
    with pytest.raises(OSError) as new:
        sources._read_up_to(str(tmp_path / "missing"), 0, 10)
    with pytest.raises(OSError) as old:
        open(tmp_path / "missing", "rb")  # noqa: SIM115
    assert new.value.strerror == old.value.strerror
    # read_path on the folder, with the size limit at and around the sizes of the files
    for limit in [0, 1, 65535, 65536, 65537]:
        monkeypatch.setattr(sources, "MAX_INPUT_BYTES", limit)
        results = list(sources.read_path(tmp_path))
        for name, data in files:
            mine = [r for r in results if _where(r) == name]
            if len(data) > limit:
                assert [r.kind for r in mine] == ["too-large"], (name, limit)  # type: ignore[union-attr]
            else:
                found, problems = read_bytes(data, name)
                assert sorted(map(repr, mine)) == sorted(map(repr, [*found, *problems]))


def _where(r: Found | Problem) -> str:
    return r.provenance.path if isinstance(r, Found) else r.path


def test_inventory_reads_files_as_pathlib_does(
    tmp_path: Path, certs: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``inventory_read._read_whole`` = ``Path.read_bytes``; ``_whole_or_pieces`` = ``_pieces``
    (which it leaves a file of ``BIG_PEM`` bytes or more to)."""
    from certlib.inventory import pieces as inventory_pieces
    from certlib.inventory import read as inventory_read

    files = _files(tmp_path, certs)
    for big_pem in [inventory_pieces.BIG_PEM, 65536, 1000]:
        monkeypatch.setattr(inventory_pieces, "BIG_PEM", big_pem)
        monkeypatch.setattr(inventory_pieces, "_PIECE", 700)
        for name, data in files:
            assert inventory_read._read_whole(name) == Path(name).read_bytes() == data
            pieces = list(inventory_pieces._pieces(name))
            assert list(inventory_read._whole_or_pieces(name)) == pieces
            assert inventory_read._read_whole(name, big_pem) == (
                data if len(data) < big_pem else None
            )
    for path in [str(tmp_path / "missing"), str(tmp_path)]:
        with pytest.raises(OSError) as new:
            inventory_read._read_whole(path)
        with pytest.raises(OSError) as old:
            Path(path).read_bytes()
        assert new.value.strerror == old.value.strerror
