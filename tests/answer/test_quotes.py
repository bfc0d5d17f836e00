"""Quotes: choosing sentences from passages and growing them into their paragraph."""

from __future__ import annotations

from assistant.answer import parse_question
from assistant.answer.config import DEFAULT_QUOTES
from assistant.answer.quotes import extend_quote, select_sentences
from assistant.text.sentences import split_sentences

EXTEND_CHARS = DEFAULT_QUOTES.extend_chars


def quotes(question, passages, stats):
    return select_sentences(parse_question(question), passages, stats)


def test_lead_quote_takes_the_sentence_with_the_detail_along(stats, passage):
    """The sentence that repeats the question only introduces the answer; the date follows."""
    text = (
        "De SWZ ondersteunt sinds april 2019 de financiering van geclusterde woonvormen.\n\n"
        "Per 3 april 2024 is de stimuleringsregeling gesloten.\n\n"
        "# Volgende paragraaf\n\nIets heel anders over de woonvormen."
    )
    chosen = quotes(
        "Kunnen initiatiefnemers van geclusterde woonvormen nog een SWZ-aanvraag indienen?",
        [passage(text)],
        stats,
    )
    lead = chosen[0][0]
    assert "3 april 2024" in lead.text
    assert (lead.line_start, lead.line_end) == (10, 12)  # the cited lines hold both sentences
    assert "Iets heel anders" not in lead.text  # a heading ends the quote


def test_lead_quote_takes_the_rest_of_its_paragraph(stats, passage):
    """The asked figure often stands a few sentences after the one that matches best; a
    heading still ends the quote."""
    filler = " ".join(
        f"Zin {i} gaat over de aanvragen voor de regeling in algemene termen." for i in range(10)
    )
    text = (
        "De SWZ sloot in april 2024 voor aanvragen om de haalbaarheid te onderzoeken. "
        f"{filler} In 2024 kwamen er nog 55 aanvragen binnen.\n\n# Verder\n\nEen ander onderwerp."
    )
    chosen = quotes(
        "Hoeveel aanvragen om de haalbaarheid te onderzoeken kwamen er bij de SWZ binnen?",
        [passage(text)],
        stats,
    )
    lead = chosen[0][0].text
    assert 700 < len(lead) <= EXTEND_CHARS
    assert "55 aanvragen" in lead and "Een ander onderwerp" not in lead


def test_a_quote_that_points_back_takes_the_sentence_before_along(stats, passage):
    text = (
        "Op dit moment worden de effecten geëvalueerd door de Vrije Universiteit.\n"
        "Dat onderzoek richt zich op de kwaliteit van leven."
    )
    sentences = split_sentences(passage(text), 1)

    quoted = extend_quote(sentences[1], sentences, 300)
    assert quoted.text.startswith("Op dit moment")
    assert (quoted.line_start, quoted.line_end) == (10, 11)


def test_a_reason_before_the_measure_is_quoted_with_it(passage):
    text = (
        "Suboptimale mondzorg leidt bij kwetsbare ouderen tot secundaire gezondheidsproblemen.\n"
        "We maken een plan van aanpak voor verbeteringen in mondzorg."
    )
    sentences = split_sentences(passage(text), 1)

    assert extend_quote(sentences[1], sentences, 600, reason=True).text.startswith("Suboptimale")
    assert extend_quote(sentences[1], sentences, 600).text.startswith("We maken")


def test_a_quote_goes_on_with_what_follows_it_not_with_what_precedes_it_on_its_line(passage):
    """One Markdown line holds a paragraph of sentences; the quote starts at the second."""
    first, second, third = (
        "Eerst komt deze zin over iets.",
        "Daarna komt de zin die we citeren.",
        "Tot slot een zin over de module.",
    )
    sentences = split_sentences(passage(f"{first} {second} {third}"), 1)

    assert [s.text for s in sentences] == [first, second, third]
    assert extend_quote(sentences[1], sentences, 600).text == f"{second} {third}"
