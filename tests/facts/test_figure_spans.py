"""Which numbers in running text are figures, and their value, unit and kind (no document)."""

from __future__ import annotations

import pytest

from assistant.facts.figure_spans import FIGURE_RE, classify, mask


def figures(text: str) -> list[tuple[str, float, str, str]]:
    masked = mask(text)
    out = []
    for match in FIGURE_RE.finditer(text):
        if any(masked[i] for i in (match.start(), match.end() - 1)):
            continue
        found = classify(text, match)
        if found is not None:
            out.append((text[found.start : found.end], found.value, found.unit, found.kind))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Er is € 54 miljoen beschikbaar.", [("€ 54 miljoen", 54_000_000.0, "euro", "money")]),
        ("Dat is 64,9% van alle regio's.", [("64,9%", 64.9, "%", "pct")]),
        ("Er zijn 299 aanvragen gehonoreerd.", [("299", 299.0, "aantal", "count")]),
        ("Op 1 juli 2024 startte de regeling.", [("1 juli 2024", 20240701.0, "datum", "date")]),
        ("In 2024 was dat anders.", []),  # a year alone
        ("Zie ronde 4 van de regeling.", []),  # an enumeration
        ("Kijk op https://www.example.nl/2024/55 voor meer.", []),  # a URL
    ],
)
def test_figures_in_text(text, expected):
    assert figures(text) == expected
