"""The details a question picks (year, province, round …) and what it leaves out."""

from __future__ import annotations

import pytest

from assistant.answer.details import asked_details, excluded_terms


@pytest.mark.parametrize(
    ("question", "text", "found"),
    [
        ("Hoeveel aanvragen kwamen er in de derde ronde?", "In ronde 3 kwamen 12 aanvragen.", True),
        ("Hoeveel aanvragen kwamen er in de derde ronde?", "In de 3e ronde: 12 aanvragen.", True),
        ("Hoeveel aanvragen kwamen er in de derde ronde?", "In de tweede ronde: 12.", False),
        ("Wanneer opende het eerste aanvraagtijdvak?", "Het eerste tijdvak liep tot mei.", True),
        ("Hoeveel in het eerste kwartaal van 2025?", "In Q1 2025 waren er 12.", True),
        ("Hoeveel deelnemers had de vijfde editie?", "De derde editie had 5 deelnemers.", False),
        ("Wat was het budget in 2026?", "Het budget in 2025 was € 3 mln.", False),
        ("Wat was het budget in 2026?", "Vanaf 2026 is het budget € 3 mln.", True),
        ("Hoeveel is in Zeeland besteed?", "In de regio's is € 3 mln besteed.", False),
        ("Hoeveel is in Zeeland besteed?", "In Zeeland is € 3 mln besteed.", True),
        ("Hoeveel experimenten lopen er in de ggz?", "Er lopen 34 experimenten.", False),
        # a year in a name is not a year asked about
        ("Hoeveel leden heeft Ouder Worden 2040?", "Het netwerk groeide met 50 leden.", True),
        # the earliest ones, not number one of a series
        ("Wie heeft de eerste initiatieven geëvalueerd?", "Het RIVM evalueerde ze.", True),
        ("Hoeveel experimenten lopen er in de ggz?", "In de geestelijke gezondheidszorg 4.", True),
        # not a pick from a series: these ask nothing the evidence must repeat
        ("Wanneer kreeg de Tweede Kamer de levensreizen?", "In mei 2024.", True),
        ("Is ronde 3 even goed benut als de eerste twee rondes?", "Ronde 3: 72%.", True),
        ("Wanneer zijn de eerste uitkomsten bekend?", "Halverwege 2025.", True),
    ],
)
def test_asked_details_must_be_in_the_evidence(question, text, found):
    assert all(d.search(text) for d in asked_details(question)) is found


def test_a_year_that_goes_with_a_document_name_is_not_asked_about():
    question = "Noemen de voortgangsrapportage 2024 en de resultaatmonitor 2025 hetzelfde aantal?"
    assert len(asked_details(question)) == 2
    assert asked_details(question, ["voortgangsrapportage", "resultaatmonitor"]) == []


def test_what_a_question_leaves_out():
    question = "Hoeveel komt er in 2024 uit de actielijnen zelf, dus zonder flankerend beleid?"
    assert excluded_terms(question) == ["flanker", "beleid"]
    assert excluded_terms("Hoeveel is er in 2024 begroot?") == []
