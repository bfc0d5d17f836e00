"""The abstainer's question features: whether the asked year and province are anywhere."""

from __future__ import annotations

from assistant.answer.evidence import TermStats
from assistant.answer.question import parse_question
from assistant.models.features import QUESTION_FEATURES, found_share, question_features


def test_found_share_is_minus_one_when_nothing_is_asked() -> None:
    assert found_share((), ["2024"]) == -1.0
    assert found_share(("2022", "2024"), ["in 2024 was het 5", "niets"]) == 0.5
    assert found_share(("Drenthe",), ["in drenthe"]) == 1.0


def test_a_near_miss_year_shows_in_the_abstainers_row() -> None:
    """The topic is found, but only for other years: the row says the year is nowhere."""
    stats = TermStats.from_texts(["Regiobudget 2023 40 2024 40", "iets anders"])
    asked = parse_question("Hoeveel regiobudget was er in 2022?")
    texts = ["Tabel: Regiobudget 2023 40; 2024 40", "Regiobudget scheiden wonen en zorg"]
    rows = [[0.0] * 40, [0.0] * 40]
    row = question_features(asked, stats, [0.9, 0.1], rows, texts, 0.5, 0.0)
    assert len(row) == len(QUESTION_FEATURES)
    named = dict(zip(QUESTION_FEATURES, row, strict=True))
    assert named["years_found_any"] == 0.0 and named["years_found_top"] == 0.0
    assert named["places_found_any"] == -1.0
    same = parse_question("Hoeveel regiobudget was er in 2024?")
    named = dict(
        zip(
            QUESTION_FEATURES,
            question_features(same, stats, [0.9, 0.1], rows, texts, 0.5, 0.0),
            strict=True,
        )
    )
    assert named["years_found_any"] == 1.0 and named["years_found_top"] == 1.0
