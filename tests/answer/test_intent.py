"""Answer types and whether a text holds one; parts, comparisons, definitions."""

from __future__ import annotations

import pytest

from assistant.answer.intent import (
    alternatives,
    answer_type,
    defined_term,
    has_answer_type,
    question_parts,
)
from assistant.answer.units import counts


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Welke minister heeft het akkoord ondertekend?", "person"),
        ("Wie is de voorzitter van de regiegroep?", "person"),
        ("Wie is aangesteld als kwartiermaker?", "person"),
        ("Wie onderzoekt de effecten van de DOS-projecten?", "actor"),
        ("Waarom wil het ministerie jongeren laten meewonen?", "reason"),  # not 'minister'
        ("Wat verstaat het programmaplan onder samenredzaamheid?", "definition"),
        ("In welke provincie lopen de meeste experimenten?", "place"),
        ("Welke tien gemeenten doen mee aan het experiment?", "place"),
        ("Wat kost een plek in een verpleeghuis?", "number"),
        ("Hoeveel regio's hebben een woondeal?", "number"),
        ("Wanneer spreek je van Wmo-spoedzorg?", "definition"),
        ("Waarom is het onderzoek stilgelegd?", "reason"),
        ("Wat is de stand van zaken van de Wet DOS?", "status"),
        ("Wanneer verwacht de minister de resultaten?", "date"),  # a role, but not 'wie'
    ],
)
def test_answer_type(question, kind):
    assert answer_type(question) == kind


def test_a_place_question_needs_a_place_in_the_evidence():
    assert has_answer_type("De meeste experimenten lopen in Gelderland.", "place", "")
    assert not has_answer_type("De meeste experimenten lopen in de regio.", "place", "")


def test_a_glossary_line_is_a_definition():
    question = "Wat betekent een VV5-indicatie?"
    assert has_answer_type(
        "o VV5-indicatie: beschermd wonen met dementiezorg.", "definition", question
    )
    assert has_answer_type(
        "… een verantwoordelijkheid (=samenredzaamheid).", "definition", "Wat is samenredzaamheid?"
    )
    assert not has_answer_type("Het aantal VV5-indicaties steeg.", "definition", question)


def test_a_body_answers_a_who_question_that_asks_for_an_actor():
    question = "Wie heeft de levensreizen gemaakt?"
    assert has_answer_type("Pluut & Partners heeft drie levensreizen opgesteld.", "actor", question)
    assert has_answer_type("Het onderzoek gebeurt door de Vrije Universiteit.", "actor", question)
    assert not has_answer_type("Er zijn drie levensreizen opgesteld.", "actor", question)


def test_a_number_written_as_a_word_is_a_figure():
    question = "In hoeveel regio's wordt de zorg doorontwikkeld?"
    assert has_answer_type("De zorg wordt in drie regio's doorontwikkeld.", "number", question)
    assert counts("regio", "De zorg wordt in drie regio's doorontwikkeld.")
    assert not has_answer_type("De zorg wordt in de regio's doorontwikkeld.", "number", question)


def test_a_share_may_be_a_fraction_word():
    text = "Uit de evaluatie blijkt dat driekwart van de projecten ook zonder regeling doorging."
    assert has_answer_type(text, "number", "Welk deel van de projecten ging door?")
    assert counts("", text, "%")
    assert not counts("", "Een deel van de projecten ging door.", "%")


def test_a_comparison_asks_about_two_things():
    assert alternatives("Ging er in 2024 meer geld naar A-woningen of naar B-plannen?") == [
        "Ging er in 2024 meer geld naar A-woningen",
        "Ging er in 2024 meer naar B-plannen?",
    ]
    assert alternatives("Hoeveel geld ging er naar A-woningen?") == [
        "Hoeveel geld ging er naar A-woningen?"
    ]


def test_a_comparison_after_a_colon_keeps_the_question_for_each_side():
    question = "Welke regio had in 2022 een hoger aandeel: Groningen of Friesland?"
    assert alternatives(question) == [
        "Welke regio had in 2022 een hoger aandeel: Groningen",
        "Welke regio had in 2022 een hoger aandeel: Friesland?",
    ]


def test_a_question_in_two_parts():
    question = "Wie heeft de levensreizen gemaakt, en wanneer kreeg de Tweede Kamer ze?"
    assert question_parts(question) == [
        "Wie heeft de levensreizen gemaakt",
        "wanneer kreeg de Tweede Kamer ze?",
    ]
    assert question_parts("Hoeveel is er voor wonen en zorg begroot?") == [
        "Hoeveel is er voor wonen en zorg begroot?"
    ]


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("Wat is KIK-V?", "KIK-V"),
        ("Wat houdt Langer Actief Thuis (LAT) in?", "Langer Actief Thuis (LAT)"),
        ("Wat verstaat het programmaplan WOZO onder samenredzaamheid?", "samenredzaamheid"),
        ("Wat wordt er in de tabel bedoeld met 'flankerend beleid'?", "flankerend beleid"),
        ("Waarom is het onderzoek stilgelegd?", ""),
    ],
)
def test_defined_term(question, term):
    assert defined_term(question) == term
