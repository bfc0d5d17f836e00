"""Sentences of a passage with their exact lines (hand-made passages)."""

from __future__ import annotations

from assistant.schema import Chunk, ScoredChunk
from assistant.text.sentences import split_sentences


def test_sentences_carry_exact_line_ranges():
    text = "Eerste zin over zorg.\n\nTweede zin die doorloopt\nover twee regels. Derde zin hier."
    chunk = Chunk("d:10-14", "d", "Doc", text, 10, 14, 0, len(text))
    sentences = split_sentences(ScoredChunk(chunk, 1.0), 1)
    assert [(s.text, s.line_start, s.line_end) for s in sentences] == [
        ("Eerste zin over zorg.", 10, 10),
        ("Tweede zin die doorloopt over twee regels.", 12, 13),
        ("Derde zin hier.", 13, 13),
    ]


def test_a_lead_in_with_a_colon_goes_with_the_next_sentence(passage):
    text = "In 2019:\n\n• ca 5 mln. mantelzorgers\n\n• waarvan 830.000 langdurig en intensief"
    sentences = split_sentences(passage(text), 1)
    assert [(s.text, s.line_start, s.line_end) for s in sentences] == [
        ("In 2019: ca 5 mln. mantelzorgers", 10, 12),
        ("waarvan 830.000 langdurig en intensief", 14, 14),
    ]
