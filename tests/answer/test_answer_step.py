"""The answer step on hand-made passages: question parsing, evidence, quotes, figures.

No index is built: term weights come from the `stats` fixture (the real corpus's chunks)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answer import parse_question
from assistant.answer.config import DEFAULT_QUOTES
from assistant.answer.details import asked_details, excluded_terms
from assistant.answer.evidence import coverage, evidence_score, fact_coverage, found_terms
from assistant.answer.figures import format_fact, inside
from assistant.answer.intent import (
    alternatives,
    answer_type,
    defined_term,
    has_answer_type,
    question_parts,
)
from assistant.answer.quotes import extend_quote, select_sentences
from assistant.answer.units import asked_unit, counted_noun, counts, listed_noun
from assistant.schema import Chunk, Citation, Fact, ScoredChunk
from assistant.text.sentences import split_sentences
from assistant.text.words import content_terms, resolve_follow_up

EXTEND_CHARS = DEFAULT_QUOTES.extend_chars


def evidence(question, passages, stats, mentioned=None):
    return evidence_score(parse_question(question, mentioned=mentioned), passages, stats)


def fact_match(question, fact, stats):
    return fact_coverage(parse_question(question), fact, stats)


def quotes(question, passages, stats):
    return select_sentences(parse_question(question), passages, stats)


@pytest.mark.parametrize(
    ("question", "history", "expected"),
    [
        (
            "en in 2026?",
            [("Hoeveel is er in 2025 begroot voor X?", "")],
            "Hoeveel is er in 2026 begroot voor X?",
        ),
        (
            "Wat is het budget van de STOZ-regeling?",
            [("iets anders", "")],
            "Wat is het budget van de STOZ-regeling?",
        ),
        (
            "en daarvan?",
            [("Hoeveel aanvragen kwamen binnen?", "")],
            "Hoeveel aanvragen kwamen binnen? en daarvan?",
        ),
        ("en in 2026?", None, "en in 2026?"),
    ],
)
def test_resolve_follow_up(question, history, expected):
    assert resolve_follow_up(question, history) == expected


def test_sentences_carry_exact_line_ranges():
    text = "Eerste zin over zorg.\n\nTweede zin die doorloopt\nover twee regels. Derde zin hier."
    chunk = Chunk("d:10-14", "d", "Doc", text, 10, 14, 0, len(text))
    sentences = split_sentences(ScoredChunk(chunk, 1.0), 1)
    assert [(s.text, s.line_start, s.line_end) for s in sentences] == [
        ("Eerste zin over zorg.", 10, 10),
        ("Tweede zin die doorloopt over twee regels.", 12, 13),
        ("Derde zin hier.", 13, 13),
    ]


def test_coverage_weights_rare_terms(stats):
    terms = content_terms("budget jeugdzorg")
    assert coverage(terms, stats, "het budget van de regeling") < 0.5
    assert (
        coverage(
            content_terms("verpleeghuisplekken bevroren"), stats, "verpleeghuisplekken bevroren"
        )
        == 1.0
    )


def _passage(text: str, line_start: int = 10, context: str = "") -> ScoredChunk:
    line_end = line_start + text.count("\n")
    chunk = Chunk(
        f"d:{line_start}", "d", "Doc", text, line_start, line_end, 0, len(text), context=context
    )
    return ScoredChunk(chunk, 1.0)


def test_lead_quote_takes_the_sentence_with_the_detail_along(stats):
    """The sentence that repeats the question only introduces the answer; the date follows."""
    text = (
        "De SWZ ondersteunt sinds april 2019 de financiering van geclusterde woonvormen.\n\n"
        "Per 3 april 2024 is de stimuleringsregeling gesloten.\n\n"
        "# Volgende paragraaf\n\nIets heel anders over de woonvormen."
    )
    chosen = quotes(
        "Kunnen initiatiefnemers van geclusterde woonvormen nog een SWZ-aanvraag indienen?",
        [_passage(text)],
        stats,
    )
    lead = chosen[0][0]
    assert "3 april 2024" in lead.text
    assert (lead.line_start, lead.line_end) == (10, 12)  # the cited lines hold both sentences
    assert "Iets heel anders" not in lead.text  # a heading ends the quote


def test_lead_quote_takes_the_rest_of_its_paragraph(stats):
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
        [_passage(text)],
        stats,
    )
    lead = chosen[0][0].text
    assert 700 < len(lead) <= EXTEND_CHARS
    assert "55 aanvragen" in lead and "Een ander onderwerp" not in lead


def test_a_synonym_counts_as_the_question_word(stats):
    terms = content_terms("bedrag respijtzorg")
    assert coverage(terms, stats, "het budget voor respijtzorg") == 1.0
    assert coverage(terms, stats, "de respijtzorg") < 1.0


def test_a_named_document_is_found_in_its_own_passages(stats):
    question = "Welk budget noemt het programmaplan voor respijtzorg?"
    passage = _passage("Voor respijtzorg is een budget van € 10 mln beschikbaar.")
    named = evidence(question, [passage], stats, {"programmaplan": "d"})
    other = evidence(question, [passage], stats, {"programmaplan": "x"})
    assert named > other


def test_evidence_without_the_asked_year_or_name_counts_less(stats):
    passage = _passage("Het budget van de STOZ-regeling was in 2024 € 35 miljoen.")
    asked = "Hoeveel budget had de STOZ-regeling in 2024?"
    full = evidence(asked, [passage], stats)
    assert evidence("Hoeveel budget had de STOZ-regeling in 2026?", [passage], stats) < (0.5 * full)
    assert evidence("Hoeveel budget had de SET-regeling in 2024?", [passage], stats) < full


def test_a_lead_in_with_a_colon_goes_with_the_next_sentence():
    text = "In 2019:\n\n• ca 5 mln. mantelzorgers\n\n• waarvan 830.000 langdurig en intensief"
    sentences = split_sentences(_passage(text), 1)
    assert [(s.text, s.line_start, s.line_end) for s in sentences] == [
        ("In 2019: ca 5 mln. mantelzorgers", 10, 12),
        ("waarvan 830.000 langdurig en intensief", 14, 14),
    ]


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


def _fact(raw: str, sentence: str, line: int = 5) -> Fact:
    return Fact("d", line, line, 0.0, "aantal", raw, sentence, subject="regio's")


def test_a_prose_figure_is_shown_with_the_sentence_it_stands_in():
    sentence = "In 19 van de 35 regio's zijn regionale woondeals afgesloten."
    citation = Citation(1, "d", "Planningsmonitor", 5, 5, sentence, sentence)
    line = format_fact(_fact("19 van de 35", sentence), citation)
    assert line.startswith("**19 van de 35** — regio's (Planningsmonitor)")
    assert sentence in line


def test_a_figure_inside_another_figure_of_the_same_place_is_left_out():
    sentence = "In 19 van de 35 regio's zijn regionale woondeals afgesloten."
    both = [_fact("19 van de 35", sentence), _fact("35", sentence)]
    assert not inside(both[0], both[1])
    assert inside(both[1], both[0])
    assert not inside(_fact("35", sentence, line=9), both[0])  # another place


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


def test_a_year_that_goes_with_a_document_name_is_not_asked_about():
    question = "Noemen de voortgangsrapportage 2024 en de resultaatmonitor 2025 hetzelfde aantal?"
    assert len(asked_details(question)) == 2
    assert asked_details(question, ["voortgangsrapportage", "resultaatmonitor"]) == []


def test_what_a_question_leaves_out():
    question = "Hoeveel komt er in 2024 uit de actielijnen zelf, dus zonder flankerend beleid?"
    assert excluded_terms(question) == ["flanker", "beleid"]
    assert excluded_terms("Hoeveel is er in 2024 begroot?") == []


def test_a_figure_for_what_the_question_leaves_out_counts_less(stats):
    question = "Hoeveel komt er in 2024 uit de WOZO-actielijnen, dus zonder flankerend beleid?"
    with_it = Fact("investeringen-2023", 57, 57, 381.0, "mln euro", "381", "…",
                   subject="WOZO incl flankerend beleid", row_label="18 WOZO incl flankerend "
                   "beleid", period="2024")  # fmt: skip
    without = replace(with_it, raw="345", value=345.0, subject="Uit de WOZO-actielijnen",
                      row_label="1 Uit de WOZO-actielijnen")  # fmt: skip
    assert fact_match(question, without, stats) > 2 * fact_match(question, with_it, stats)


def test_a_compound_is_found_in_its_parts():
    assert found_terms(["verblijfsaandel"], "Percentage aandeel verblijf per regio")
    assert not found_terms(["verblijfsaandel"], "Aandeel van de cliënten per regio")


def test_a_number_written_as_a_word_is_a_figure():
    question = "In hoeveel regio's wordt de zorg doorontwikkeld?"
    assert has_answer_type("De zorg wordt in drie regio's doorontwikkeld.", "number", question)
    assert counts("regio", "De zorg wordt in drie regio's doorontwikkeld.")
    assert not has_answer_type("De zorg wordt in de regio's doorontwikkeld.", "number", question)


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


def test_a_share_may_be_a_fraction_word():
    text = "Uit de evaluatie blijkt dat driekwart van de projecten ook zonder regeling doorging."
    assert has_answer_type(text, "number", "Welk deel van de projecten ging door?")
    assert counts("", text, "%")
    assert not counts("", "Een deel van de projecten ging door.", "%")


def test_a_window_without_the_asked_unit_counts_much_less(stats):
    question = "Welk percentage van de 65-plussers gebruikt vijf of meer geneesmiddelen?"
    text = "Er zijn 3,6 miljoen 65-plussers die vijf of meer geneesmiddelen gebruiken."
    share = text.replace("3,6 miljoen", "40% van de")
    without, with_share = (evidence(question, [_passage(t)], stats) for t in (text, share))
    assert with_share > 0.5
    assert without < 0.24 < with_share  # below the abstention threshold


def test_a_table_header_gives_the_unit_of_its_cells(stats):
    question = "Met welk bedrag wordt intergenerationeel wonen in 2025 gestimuleerd?"
    row = "2 Stimuleren intergenerationeel wonen 6 9 13 17 19 38 2028"
    bare = _passage(row)
    headed = _passage(row, context="rij 2 (bedragen in miljoenen euro)")
    assert evidence(question, [headed], stats) > 2 * evidence(question, [bare], stats)


def test_a_plural_in_es_is_found_in_its_singular():
    assert found_terms(["aanvraagrondes"], "Voorafgaand aan de aanvraagronde waren er webinars.")
    assert not found_terms(["aanvraagrondes"], "Voorafgaand aan de aanvraag waren er webinars.")


def test_a_fact_must_have_the_asked_unit_and_details(stats):
    share = Fact("d", 1, 1, 5.0, "%", "5%", "In het tweede tijdvak is 5% gebruikt.",
                 subject="tweede tijdvak gebruikt", period="tijdvak 2")  # fmt: skip
    money = replace(share, unit="mln euro", raw="€ 7,8 mln", value=7.8,
                    sentence="Voor het tweede tijdvak was € 7,8 mln beschikbaar.")  # fmt: skip
    question = "Hoeveel geld was er beschikbaar voor het tweede tijdvak?"
    assert fact_match(question, money, stats) > 2 * fact_match(question, share, stats)
    q1 = replace(money, period="2023 Q1", sentence="Tabel 1", subject="VV Verblijf")
    q3 = replace(q1, period="2023 Q3")
    question = "Hoeveel cliënten verbleven in het derde kwartaal van 2023?"
    assert fact_match(question, q3, stats) > 2 * fact_match(question, q1, stats)


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


def test_evidence_counts_less_when_no_figure_counts_the_asked_thing(stats):
    passage = _passage("Ca. 100 zorgaanbieders volgen de leergang langdurige zorg thuis.")
    counted = "Hoeveel zorgprofessionals volgen de leergang langdurige zorg thuis?"
    plain = "Hoeveel zorgaanbieders volgen de leergang langdurige zorg thuis?"
    assert evidence(counted, [passage], stats) < 0.6 * evidence(plain, [passage], stats)


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


def test_a_quote_that_points_back_takes_the_sentence_before_along(stats):
    text = (
        "Op dit moment worden de effecten geëvalueerd door de Vrije Universiteit.\n"
        "Dat onderzoek richt zich op de kwaliteit van leven."
    )
    sentences = split_sentences(_passage(text), 1)

    quoted = extend_quote(sentences[1], sentences, 300)
    assert quoted.text.startswith("Op dit moment")
    assert (quoted.line_start, quoted.line_end) == (10, 11)


def test_a_reason_before_the_measure_is_quoted_with_it():
    text = (
        "Suboptimale mondzorg leidt bij kwetsbare ouderen tot secundaire gezondheidsproblemen.\n"
        "We maken een plan van aanpak voor verbeteringen in mondzorg."
    )
    sentences = split_sentences(_passage(text), 1)

    assert extend_quote(sentences[1], sentences, 600, reason=True).text.startswith("Suboptimale")
    assert extend_quote(sentences[1], sentences, 600).text.startswith("We maken")


def test_a_quote_goes_on_with_what_follows_it_not_with_what_precedes_it_on_its_line():
    """One Markdown line holds a paragraph of sentences; the quote starts at the second."""
    first, second, third = (
        "Eerst komt deze zin over iets.",
        "Daarna komt de zin die we citeren.",
        "Tot slot een zin over de module.",
    )
    sentences = split_sentences(_passage(f"{first} {second} {third}"), 1)

    assert [s.text for s in sentences] == [first, second, third]
    assert extend_quote(sentences[1], sentences, 600).text == f"{second} {third}"


def test_framing_words_are_not_what_a_question_is_about():
    assert content_terms(
        "Het programmaplan noemt proeven met een zorgarrangeur. Waar gebeurt dat?"
    ) == [
        "programmaplan",
        "proev",
        "zorgarrangeur",
    ]
