"""Verdict tables speak the grid's vocabulary: profile labels, symbol + word, the same colours."""

from __future__ import annotations

import certlib
from certlib.cert.forge import PRESETS, forge
from certlib.core.verdicts import OUTCOME_STYLE, OUTCOME_SYMBOL, PROFILE_LABELS, PROFILES, Purpose
from certlib.frame.verdict_tables import OPENSSL_PURPOSE_MEANINGS


def test_verdict_table_matches_the_engine_in_grid_vocabulary() -> None:
    cert = forge(PRESETS["dual_use"]).certificate
    table = certlib.verdict_table(cert)
    shown = table.data
    assert list(shown.columns) == [PROFILE_LABELS[p] for p in PROFILES]
    assert list(shown.index) == [p.label for p in Purpose]
    checked = 0
    for purpose in Purpose:
        for profile in PROFILES:
            outcome = certlib.verdict(cert, purpose, profile).outcome
            assert shown.loc[purpose.label, PROFILE_LABELS[profile]] == (
                f"{OUTCOME_SYMBOL[outcome]} {outcome}"
            )
            checked += 1
    assert checked == 30
    html = table.to_html()
    for outcome in ("warning", "allowed"):  # WebPKI warns on dual use
        colour = OUTCOME_STYLE[outcome].split(";")[0].split(":")[1]
        assert colour in html


def test_compare_table_rows_are_certificates() -> None:
    certs = {name: forge(PRESETS[name]).certificate for name in ("iis_server", "user_client")}
    shown = certlib.compare_table(certs, "tls_client").data
    assert shown.loc["iis_server", "Go"] == "✗ denied"
    assert shown.loc["user_client", "Go"] == "✓ allowed"
    assert shown.shape == (2, 5)


def test_openssl_purpose_table_keeps_every_line_and_explains_it() -> None:
    cert = forge(PRESETS["iis_server"]).certificate
    lines = [ln for ln in certlib.openssl_purpose_text(cert).splitlines() if " : " in ln]
    table = certlib.openssl_purpose_table(cert)
    assert len(lines) == 18 and len(table) == 9  # each purpose asked as leaf and as CA
    assert set(table.index) == set(OPENSSL_PURPOSE_MEANINGS)
    assert all(table["what it asks"])
    assert table.loc["SSL server", "as this certificate"] == "Yes"
    assert table.loc["SSL client", "as this certificate"] == "No"
    assert table.loc["Any Purpose", "as a CA certificate"] == "Yes"
    assert table.loc["Any Purpose", "as this certificate"] == "Yes"
    assert table.loc["OCSP helper", "as this certificate"] == "Yes"  # as 00 says: unchecked


def test_reasons_table_filters_by_rule_prefix() -> None:
    v = certlib.verdict(forge(PRESETS["iis_server"]).certificate, "tls_client", "openssl")
    full = certlib.reasons_table(v)
    assert len(full) == len(v.reasons) >= 1
    assert list(full.columns) == ["rule", "what it says", "source"]
    assert certlib.reasons_table(v, rules=("no-such-rule.",)).empty
