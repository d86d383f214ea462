"""The committed sample inventory is what ``certlib sample-data --seed 2026`` writes."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.serialization import pkcs12

from certlib.sources.sample_data import NOT_BYTE_STABLE, PASSWORD, generate

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample-inventory"


def test_regeneration_is_byte_identical(tmp_path: Path) -> None:
    names = generate(tmp_path, seed=2026)
    committed = sorted(p.name for p in SAMPLE.iterdir())
    assert names == committed
    for name in names:
        if name in NOT_BYTE_STABLE:
            continue
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def test_pfx_contents_are_stable(tmp_path: Path) -> None:
    generate(tmp_path, seed=2026)
    for name in NOT_BYTE_STABLE:
        new = pkcs12.load_pkcs12((tmp_path / name).read_bytes(), PASSWORD.encode())
        old = pkcs12.load_pkcs12((SAMPLE / name).read_bytes(), PASSWORD.encode())
        assert new.cert is not None and old.cert is not None
        assert new.cert.certificate == old.cert.certificate
        assert [c.certificate for c in new.additional_certs] == [
            c.certificate for c in old.additional_certs
        ]


def test_other_seed_other_bytes(tmp_path: Path) -> None:
    generate(tmp_path, seed=7)
    assert (tmp_path / "root-ca.pem").read_bytes() != (SAMPLE / "root-ca.pem").read_bytes()


def test_readme_describes_every_file() -> None:
    readme = (SAMPLE.parent / "README.md").read_text()
    for p in SAMPLE.iterdir():
        assert f"`{p.name}`" in readme, p.name
    assert PASSWORD in readme
