"""The asked unit, the counted noun and the listed noun of a question."""

from __future__ import annotations

import pytest

from assistant.answer.units import asked_unit, counted_noun, counts, listed_noun


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("Hoeveel extra wijkverpleegkundigen zijn er gediplomeerd?", "wijkverpleegkund"),
        ("Hoeveel aanvragen kwamen er binnen?", "aanvrag"),
        ("Hoeveel is er in 2025 begroot?", ""),  # nothing named: any figure
        ("Hoeveel investeert het kabinet in 2025?", ""),  # a verb
        ("Hoeveel Zorg van Nu-punten zijn er?", ""),  # a name
    ],
)
def test_counted_noun(question, noun):
    assert counted_noun(question) == noun


def test_a_figure_must_count_what_the_question_counts():
    assert counts("aanvrag", "Dit heeft geleid tot 22 aanvragen in de eerste ronde.")
    assert counts("wijkverpleegkund", "Er zijn 300 nieuwe wijkverpleegkundigen opgeleid.")
    assert not counts("zorgprofessional", "Ca. 100 zorgaanbieders volgen de leergang VPT.")
    assert not counts("aanvrag", "In 2024 kwamen er aanvragen binnen.")  # a year counts nothing
    assert counts("geld", "Hiervoor is € 1,2 mln beschikbaar.", "euro")  # money by its sign
    assert not counts("geld", "Hiervoor zijn 12 coaches beschikbaar.", "euro")
    assert not counts("client", "Cliënten met een VV4-indicatie worden niet meer opgenomen.")
    assert not counts("ouder", "De woonvorm is voor personen van 55 jaar of ouder.")  # an age
    assert not counts("mediabudget", "De totale mediabesteding bedroeg €821.900.", "euro")


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("Hoeveel geld was er beschikbaar voor de derde ronde?", "euro"),
        ("Onder welk huurbedrag in euro's moeten de woningen blijven?", "euro"),
        ("Hoeveel is er in 2025 begroot voor het regiobudget?", "euro"),
        ("Welk percentage van het budget is benut?", "%"),
        ("Welk deel van het budget voor 2024 was toegekend?", "%"),
        ("Wat kost een plek in een verpleeghuis per maand?", "euro"),
        ("Hoe hoog is het pgb-uurtarief?", "euro"),
        ("Wat heeft VWS betaald voor de levensreizen?", "euro"),
        ("Hoeveel aanvragen zijn er ingediend?", ""),
    ],
)
def test_asked_unit(question, unit):
    assert asked_unit(question) == unit


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("Wat zijn de thema's van de campagne?", "thema"),
        ("Welke vier koploper-projecten kregen subsidie?", "project"),
        ("Welke publicatie van Vilans staat in de lijst?", "publicatie"),
        ("Hoeveel projecten zijn er?", ""),
    ],
)
def test_listed_noun(question, noun):
    assert listed_noun(question) == noun
