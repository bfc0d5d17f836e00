"""Evidence: term coverage, the evidence score of passages and how well a fact matches.

No index is built: term weights come from the `stats` fixture (the real corpus's chunks)."""

from __future__ import annotations

from dataclasses import replace

from assistant.answer import parse_question
from assistant.answer.evidence import coverage, evidence_score, fact_coverage, found_terms
from assistant.schema import Fact
from assistant.text.words import content_terms


def evidence(question, passages, stats, mentioned=None):
    return evidence_score(parse_question(question, mentioned=mentioned), passages, stats)


def fact_match(question, fact, stats):
    return fact_coverage(parse_question(question), fact, stats)


def test_coverage_weights_rare_terms(stats):
    terms = content_terms("budget jeugdzorg")
    assert coverage(terms, stats, "het budget van de regeling") < 0.5
    assert (
        coverage(
            content_terms("verpleeghuisplekken bevroren"), stats, "verpleeghuisplekken bevroren"
        )
        == 1.0
    )


def test_a_synonym_counts_as_the_question_word(stats):
    terms = content_terms("bedrag respijtzorg")
    assert coverage(terms, stats, "het budget voor respijtzorg") == 1.0
    assert coverage(terms, stats, "de respijtzorg") < 1.0


def test_a_named_document_is_found_in_its_own_passages(stats, passage):
    question = "Welk budget noemt het programmaplan voor respijtzorg?"
    passage = passage("Voor respijtzorg is een budget van € 10 mln beschikbaar.")
    named = evidence(question, [passage], stats, {"programmaplan": "d"})
    other = evidence(question, [passage], stats, {"programmaplan": "x"})
    assert named > other


def test_evidence_without_the_asked_year_or_name_counts_less(stats, passage):
    passage = passage("Het budget van de STOZ-regeling was in 2024 € 35 miljoen.")
    asked = "Hoeveel budget had de STOZ-regeling in 2024?"
    full = evidence(asked, [passage], stats)
    assert evidence("Hoeveel budget had de STOZ-regeling in 2026?", [passage], stats) < (0.5 * full)
    assert evidence("Hoeveel budget had de SET-regeling in 2024?", [passage], stats) < full


def test_a_compound_is_found_in_its_parts():
    assert found_terms(["verblijfsaandel"], "Percentage aandeel verblijf per regio")
    assert not found_terms(["verblijfsaandel"], "Aandeel van de cliënten per regio")


def test_a_plural_in_es_is_found_in_its_singular():
    assert found_terms(["aanvraagrondes"], "Voorafgaand aan de aanvraagronde waren er webinars.")
    assert not found_terms(["aanvraagrondes"], "Voorafgaand aan de aanvraag waren er webinars.")


def test_a_window_without_the_asked_unit_counts_much_less(stats, passage):
    question = "Welk percentage van de 65-plussers gebruikt vijf of meer geneesmiddelen?"
    text = "Er zijn 3,6 miljoen 65-plussers die vijf of meer geneesmiddelen gebruiken."
    share = text.replace("3,6 miljoen", "40% van de")
    without, with_share = (evidence(question, [passage(t)], stats) for t in (text, share))
    assert with_share > 0.5
    assert without < 0.24 < with_share  # below the abstention threshold


def test_a_table_header_gives_the_unit_of_its_cells(stats, passage):
    question = "Met welk bedrag wordt intergenerationeel wonen in 2025 gestimuleerd?"
    row = "2 Stimuleren intergenerationeel wonen 6 9 13 17 19 38 2028"
    bare = passage(row)
    headed = passage(row, context="rij 2 (bedragen in miljoenen euro)")
    assert evidence(question, [headed], stats) > 2 * evidence(question, [bare], stats)


def test_evidence_counts_less_when_no_figure_counts_the_asked_thing(stats, passage):
    passage = passage("Ca. 100 zorgaanbieders volgen de leergang langdurige zorg thuis.")
    counted = "Hoeveel zorgprofessionals volgen de leergang langdurige zorg thuis?"
    plain = "Hoeveel zorgaanbieders volgen de leergang langdurige zorg thuis?"
    assert evidence(counted, [passage], stats) < 0.6 * evidence(plain, [passage], stats)


def test_a_figure_for_what_the_question_leaves_out_counts_less(stats):
    question = "Hoeveel komt er in 2024 uit de WOZO-actielijnen, dus zonder flankerend beleid?"
    with_it = Fact("investeringen-2023", 57, 57, 381.0, "mln euro", "381", "…",
                   subject="WOZO incl flankerend beleid", row_label="18 WOZO incl flankerend "
                   "beleid", period="2024")  # fmt: skip
    without = replace(with_it, raw="345", value=345.0, subject="Uit de WOZO-actielijnen",
                      row_label="1 Uit de WOZO-actielijnen")  # fmt: skip
    assert fact_match(question, without, stats) > 2 * fact_match(question, with_it, stats)


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
