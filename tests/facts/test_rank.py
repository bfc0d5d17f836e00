"""Search terms and the score of a fact row: the bound the lookup prunes with is never beaten."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.facts.rank import Ranking, search_terms

TERMS = ["regiobudget", "~geld", "zorg", "won", "dos", "stoz", "~aandeel"]
QUERIES = ["Hoeveel geld in 2025?", "Welk percentage?", "hoeveel", "budget 2024 en 2026"]
UNITS = ["euro", "mln euro", "%", "aantal", "datum", "jaar", ""]


@given(
    query=st.sampled_from(QUERIES),
    terms=st.lists(st.sampled_from(TERMS), min_size=1, max_size=5, unique=True),
    counts=st.lists(st.integers(0, 1000), min_size=5, max_size=5),
    extra_rows=st.integers(0, 1000),
    year=st.sampled_from([None, 2024, 2025]),
    subject=st.sets(st.sampled_from(TERMS)),
    context=st.sets(st.sampled_from(TERMS)),
    years=st.sampled_from(["", "2025", "2024 2025 2026", "2023"]),
    unit=st.sampled_from(UNITS),
    confidence=st.floats(0.0, 1.0),
)
def test_bound_caps_the_score_of_every_row_with_those_terms(
    query, terms, counts, extra_rows, year, subject, context, years, unit, confidence
) -> None:
    df = dict(zip(terms, counts, strict=False))
    ranking = Ranking.for_query(query, terms, df, max(counts) + extra_rows + 1, year=year)
    score = ranking.score(" ".join(subject), " ".join(context), years, unit, confidence)
    held = [t for t in terms if t in subject | context]
    if not held:
        assert score is None
        return
    assert score is not None
    assert score <= ranking.bound(held, confidence) + 1e-12
    assert ranking.bound(held, confidence) <= ranking.bound(terms, 1.0) + 1e-12


def test_rarer_terms_weigh_more() -> None:
    ranking = Ranking.for_query(
        "regiobudget geld", ["regiobudget", "~geld"], {"regiobudget": 3, "~geld": 300}, 1000
    )
    assert ranking.idf["regiobudget"] > ranking.idf["~geld"]
    rare = ranking.score("regiobudget", "", "", "aantal", 1.0)
    common = ranking.score("~geld", "", "", "aantal", 1.0)
    assert rare is not None and common is not None and rare > common


@pytest.mark.parametrize(
    ("text", "expand", "terms"),
    [
        ("Hoeveel budget is er begroot?", False, ["~geld"]),  # synonyms merge into one term
        ("plaatsen", False, ["~plek"]),
        ("DOS", False, ["dos"]),  # a question asks for the abbreviation once
        ("2025 en 40", False, []),  # no term starts with a digit (years are filtered apart)
    ],
)
def test_search_terms(text: str, expand: bool, terms: list[str]) -> None:
    assert search_terms(text, expand=expand) == terms


def test_abbreviations_are_added_both_ways() -> None:
    assert "dos" in search_terms("Domeinoverstijgende samenwerking", expand=False)
    assert set(search_terms("Domeinoverstijgende samenwerking")) <= set(search_terms("DOS"))
