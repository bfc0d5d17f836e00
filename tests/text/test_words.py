"""Dutch words: document names in questions, synonyms, follow-ups (pure functions)."""

from __future__ import annotations

import pytest

from assistant.text.words import (
    analyze,
    content_terms,
    mentioned_documents,
    name_terms,
    resolve_follow_up,
    stem,
    synonym_stems,
    with_abbreviations,
)

DOC_IDS = [
    "programmaplan-2022",
    "investeringen-2023",
    "resultaatmonitor-2025",
    "voortgangsrapportage-2024",
    "planningsmonitor-2024",
]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Wat staat er in de investeringstabel?", {"investeringstabel": "investeringen-2023"}),
        ("Volgens het programmaplan 2022 …", {"programmaplan": "programmaplan-2022"}),
        ("de WOZO-resultaatmonitor", {"resultaatmonitor": "resultaatmonitor-2025"}),
        (
            "in de voortgangsrapportage en de planningsmonitor",
            {
                "voortgangsrapportage": "voortgangsrapportage-2024",
                "planningsmonitor": "planningsmonitor-2024",
            },
        ),
        ("Hoeveel investeert het kabinet?", {}),  # a verb, not the document
        ("Wat zegt de monitor?", {}),  # too vague to name one document
    ],
)
def test_mentioned_documents(question, expected):
    assert mentioned_documents(question, DOC_IDS) == expected


def test_synonyms_share_a_group_and_other_words_stand_alone():
    assert stem("budget") in synonym_stems(stem("bedrag"))
    assert stem("plaatsen") in synonym_stems(stem("plekken"))
    assert synonym_stems("zorg") == ("zorg",)


def test_follow_up_takes_the_new_year():
    history = [("Hoeveel is er in 2025 begroot voor het regiobudget?", "…")]
    assert resolve_follow_up("en in 2026?", history) == (
        "Hoeveel is er in 2026 begroot voor het regiobudget?"
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Hoeveel Zorg van Nu-punten zijn er in de provincie Groningen geopend?",
            ["zorg", "groning"],
        ),
        ("Hoeveel budget is er in 2026 beschikbaar voor de STOZ-regeling?", ["stoz"]),
        ("Wat zegt het Programmaplan over DOS?", ["dos"]),  # a document's name is not asked for
        ("Hoeveel geld is er begroot?", []),  # the first word is capitalised anyway
    ],
)
def test_name_terms(question, expected):
    assert name_terms(question, mentioned_documents(question, DOC_IDS)) == expected


def test_abbreviations_stand_for_their_expansion_both_ways():
    assert {"geriatrisch", "revalidatiezorg"} <= with_abbreviations(set(analyze("ambulante grz")))
    assert "dos" in with_abbreviations(set(analyze("domeinoverstijgende samenwerking")))
    assert "dos" not in with_abbreviations(set(analyze("samenwerking in de regio")))


def test_a_past_tense_is_the_word_of_its_present():
    """'verbleef' and 'verblijf' stem apart; a question in the past finds the table's word."""
    assert stem("verblijf") in content_terms("Welk deel verbleef er in een verpleeghuis?")
    assert stem("trek") in content_terms("Hoeveel deelnemers trokken de bijeenkomsten?")
    assert stem("verblijf") in analyze("Zij verbleven thuis.")
    assert stem("woon") in content_terms("Hoeveel ouderen woonden er zelfstandig?")


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


def test_framing_words_are_not_what_a_question_is_about():
    assert content_terms(
        "Het programmaplan noemt proeven met een zorgarrangeur. Waar gebeurt dat?"
    ) == [
        "programmaplan",
        "proev",
        "zorgarrangeur",
    ]
