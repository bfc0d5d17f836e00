"""Retrieval on the real corpus with the real model; fusion as a pure function."""

from __future__ import annotations

import pytest

from assistant.retrieve.fusion import reciprocal_rank_fusion
from assistant.retrieve.searcher import SearchFilters

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("rankings", "weights", "expected"),
    [
        ([["a", "b"], ["a", "b"]], None, ["a", "b"]),
        ([["a", "b"], ["b", "a"]], None, ["a", "b"]),  # tie: first seen wins
        ([["a", "b"], ["b", "c"]], None, ["b", "a", "c"]),  # in both lists beats one
        ([["a"], ["b"]], [1.0, 2.0], ["b", "a"]),  # weights count
        ([[], ["x"]], None, ["x"]),
    ],
)
def test_reciprocal_rank_fusion(rankings, weights, expected):
    assert [item for item, _ in reciprocal_rank_fusion(rankings, weights)] == expected


def test_rrf_scores():
    fused = dict(reciprocal_rank_fusion([["a"], ["a"]], k=60))
    assert fused["a"] == pytest.approx(2 / 61)


def overlaps(chunk, doc_id, line):
    return chunk.doc_id == doc_id and chunk.line_start <= line <= chunk.line_end


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_each_mode_finds_the_frozen_nursing_home_places(assistant, mode):
    results = assistant.search(
        "Op hoeveel plekken is het aantal verpleeghuisplekken landelijk bevroren?", mode=mode
    )
    assert len(results) == 5
    assert any(overlaps(r.chunk, "resultaatmonitor-2025", 1285) for r in results)


def test_hybrid_records_both_ranks(assistant):
    results = assistant.search("STOZ-regeling budget aangevraagd")
    assert all(r.dense_rank or r.lexical_rank for r in results)
    assert any(r.dense_rank and r.lexical_rank for r in results)
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_table_row_is_found_by_its_repaired_label(assistant):
    results = assistant.search(
        "Hoeveel geld is er begroot voor passende zorg en inzicht in kwaliteit?"
    )
    assert any(overlaps(r.chunk, "investeringen-2023", 37) for r in results)


def test_document_filter(assistant):
    results = assistant.search(
        "scheiden wonen en zorg", filters=SearchFilters(documents=("voortgangsrapportage-2024",))
    )
    assert results and {r.chunk.doc_id for r in results} == {"voortgangsrapportage-2024"}


def test_actielijn_filter(assistant):
    results = assistant.search("subsidieregeling", filters=SearchFilters(actielijn=5))
    assert results and {r.chunk.actielijn for r in results} == {5}


def test_filter_that_matches_nothing_returns_nothing(assistant):
    assert assistant.search("zorg", filters=SearchFilters(documents=("bestaat-niet",))) == []
