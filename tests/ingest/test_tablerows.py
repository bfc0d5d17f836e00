"""Numbered table rows: labels, descriptions, and words the PDF extraction split."""

from __future__ import annotations

from collections import Counter

import pytest

from assistant.ingest.tablerows import describe_table_row, repair_spacing


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Pas sende zorg en inzicht in kwal i tei t", "Passende zorg en inzicht in kwaliteit"),
        ("Inves teringen in s ociaa l domein", "Investeringen in sociaal domein"),
        ("Respi jtzorg", "Respijtzorg"),
        ("Regiobudget scheiden wonen en zorg", "Regiobudget scheiden wonen en zorg"),
    ],
)
def test_repair_spacing(raw, expected):
    vocabulary = Counter(
        {
            "passende": 5,
            "pas": 1,
            "zorg": 50,
            "en": 90,
            "inzicht": 3,
            "in": 80,
            "kwaliteit": 9,
            "investeringen": 4,
            "sociaal": 7,
            "domein": 6,
            "respijtzorg": 3,
            "regiobudget": 2,
            "scheiden": 9,
            "wonen": 30,
            "zorgen": 2,
        }
    )
    assert repair_spacing(raw, vocabulary) == expected


def test_a_row_is_described_by_its_columns():
    header = "Actielijn 2023 2024 2025 2026 Struc Struc in"
    row = "6 Regiobudget scheiden wonen en zorg 40 40 40 40 0 0 2027"
    assert describe_table_row(row, header, Counter()) == (
        "rij 6 Regiobudget scheiden wonen en zorg: 2023 40; 2024 40; 2025 40; 2026 40; "
        "structureel 0; structureel vanaf 0 (bedragen in miljoenen euro)"
    )
    assert describe_table_row("geen rij", header, Counter()) == "geen rij"
