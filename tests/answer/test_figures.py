"""Figures in answers: which facts lead and how a fact reads; figure questions end to end (slow)."""

from __future__ import annotations

import pytest

from assistant.answer.figures import documents_disagree, format_fact, inside
from assistant.schema import Citation, Fact


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "raw", "doc_id", "line"),
    [
        # table cells (investments table rows)
        (
            "Hoeveel geld gaat er in 2026 naar de Nationale dementiestrategie?",
            "0",
            "investeringen-2023",
            51,
        ),
        (
            "Hoeveel is er in 2025 begroot voor het Regiobudget scheiden wonen en zorg?",
            "40",
            "investeringen-2023",
            33,
        ),
        (
            "Hoeveel miljoen euro is er in 2024 begroot voor het stimuleringsbudget Wlz?",
            "31",
            "investeringen-2023",
            35,
        ),
        ("Wat is het budget voor respijtzorg in 2023?", "13", "investeringen-2023", 53),
        # prose figures
        (
            "Op hoeveel plekken is het aantal verpleeghuisplekken landelijk bevroren?",
            "125.300",
            "resultaatmonitor-2025",
            1284,
        ),
    ],
)
def test_figure_questions_lead_with_the_fact(assistant, question, raw, doc_id, line):
    answer = assistant.ask(question)
    assert not answer.abstained
    first = answer.text.split("\n")[0]
    assert f"**{raw}**" in first, answer.text
    c = answer.citations[0]
    assert (c.doc_id, c.line_start <= line <= c.line_end) == (doc_id, True)
    fact = answer.facts[0]
    doc = assistant.documents[doc_id]
    assert fact.raw in "\n".join(doc.lines[fact.line_start - 1 : fact.line_end])  # never altered


@pytest.mark.slow
def test_table_cell_answer_names_row_and_year(assistant):
    answer = assistant.ask(
        "Hoeveel is er in 2025 begroot voor het Regiobudget scheiden wonen en zorg?"
    )
    first = answer.text.split("\n")[0]
    assert "rij 6" in first and "2025" in first and "mln euro" in first


def _fact(doc_id, value, subject):
    return Fact(doc_id, 1, 1, value, "euro", str(value), "", subject=subject)


@pytest.mark.slow
def test_disagreeing_documents_are_flagged_only_for_the_same_thing():
    a = _fact("investeringen-2023", 40, "Regiobudget scheiden wonen en zorg")
    b = _fact("resultaatmonitor-2025", 38, "regiobudget scheiden wonen en zorg benut")
    c = _fact("resultaatmonitor-2025", 5, "IOC-regeling coaching")
    assert documents_disagree([a, b])
    assert not documents_disagree([a, c])
    assert not documents_disagree([a, _fact("investeringen-2023", 31, "Regiobudget scheiden")])


def _prose_fact(raw: str, sentence: str, line: int = 5) -> Fact:
    return Fact("d", line, line, 0.0, "aantal", raw, sentence, subject="regio's")


def test_a_prose_figure_is_shown_with_the_sentence_it_stands_in():
    sentence = "In 19 van de 35 regio's zijn regionale woondeals afgesloten."
    citation = Citation(1, "d", "Planningsmonitor", 5, 5, sentence, sentence)
    line = format_fact(_prose_fact("19 van de 35", sentence), citation)
    assert line.startswith("**19 van de 35** — regio's (Planningsmonitor)")
    assert sentence in line


def test_a_figure_inside_another_figure_of_the_same_place_is_left_out():
    sentence = "In 19 van de 35 regio's zijn regionale woondeals afgesloten."
    both = [_prose_fact("19 van de 35", sentence), _prose_fact("35", sentence)]
    assert not inside(both[0], both[1])
    assert inside(both[1], both[0])
    assert not inside(_prose_fact("35", sentence, line=9), both[0])  # another place
