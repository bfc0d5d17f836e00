"""Readers behind one protocol, the abstainer, the factory, and the facade handed its parts.

Hand-made passages and the `stats` fixture: no index, no embedding model."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answer import (
    NOT_FOUND,
    Abstainer,
    HeuristicReader,
    Question,
    choose_quotes,
    cited_answer,
    make_reader,
    parse_question,
    score_windows,
)
from assistant.answer.llm import LLMReader
from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.pipeline import Assistant
from assistant.schema import Answer, Chunk, Fact, ScoredChunk

TEXT = (
    "De SWZ ondersteunt sinds april 2019 de financiering van geclusterde woonvormen.\n\n"
    "In 2024 kwamen er 55 aanvragen binnen voor de stimuleringsregeling.\n\n"
    "# Verder\n\nIets heel anders over de woonvormen."
)
QUESTION = "Hoeveel aanvragen kwamen er in 2024 binnen voor de SWZ?"


def _passage(text: str = TEXT, doc_id: str = "d") -> ScoredChunk:
    chunk = Chunk(f"{doc_id}#1", doc_id, "Document", text, 10, 10 + text.count("\n"), 0, 0)
    return ScoredChunk(chunk, 1.0)


def test_the_heuristic_reader_quotes_and_cites_the_exact_lines(stats):
    answer = HeuristicReader(stats, {}).read(parse_question(QUESTION), [_passage()], [])
    assert not answer.abstained
    assert "55 aanvragen" in answer.text and "[1]" in answer.text
    lead = answer.citations[0]
    assert lead.line_start <= 12 <= lead.line_end and "Iets heel anders" not in lead.text


def test_the_abstainer_decides_on_evidence_and_facts(stats):
    question = parse_question("Hoeveel budget gaat er naar jeugdzorg in Zeeland in 2031?")
    strict = HeuristicReader(stats, {}, Abstainer(threshold=0.99))
    answer = strict.read(question, [_passage()], [])
    assert answer.abstained and answer.text == NOT_FOUND and answer.passages
    assert Abstainer(0.24).abstains(0.1, []) and not Abstainer(0.24).abstains(0.3, [])
    fact = Fact("d", 12, 12, 55.0, "aantal", "55", "In 2024 kwamen er 55 aanvragen binnen.")
    assert not Abstainer(0.24).abstains(0.0, [fact])
    assert Abstainer(0.1).fact_threshold == 0.4 and Abstainer(0.5).fact_threshold == 0.5


def test_windows_expose_their_features_and_a_re_ranker_can_reuse_the_quotes(stats):
    question = parse_question(QUESTION)
    passages = [_passage()]
    windows = score_windows(question, passages, stats)
    assert {w.width for w in windows} == {1, 2, 3}
    best = max(windows, key=lambda w: w.score)
    assert best.has_answer_type and best.coverage > 0 and best.doc_id == "d"
    # a re-ranker that prefers the last sentence: the quote follows its choice
    last = [replace(w, score=w.score + (5 if "anders" in w.sentence.text else 0)) for w in windows]
    quotes = choose_quotes(question, last, passages, stats)
    assert "Iets heel anders" in quotes[0][0].text
    answer = cited_answer(question.text, passages, [], [q for q, _ in quotes], {})
    assert answer.citations[0].line_end == 16


def test_a_question_is_parsed_once_into_what_the_answer_step_reads():
    q = parse_question("Hoeveel geld ging er in 2024 naar de derde ronde in Zeeland?")
    assert q.answer_type == "number" and q.is_figure and q.is_money and not q.is_share
    assert q.years == ("2024",) and q.places == ("Zeeland",)
    assert [word for word, _ in q.ordinals] == ["derde"]
    assert len(q.details) == 3
    two = parse_question("Wie onderzoekt de DOS-projecten, en wanneer zijn de uitkomsten bekend?")
    assert [p.required_type for p in two.parts] == ["actor", "date"]
    share = parse_question("Welk percentage van de cliënten woont thuis?")
    assert share.is_share and share.unit == "%"
    named = parse_question("Welk budget noemt het programmaplan?", ["programmaplan-2022"])
    assert named.mentioned == {"programmaplan": "programmaplan-2022"}


class _Echo:
    """A reader of its own: what a trained model plugs in as."""

    def read(self, question: Question, passages: list[ScoredChunk], facts: list[Fact]) -> Answer:
        return Answer(question=question.text, text=f"{len(passages)}:{question.answer_type}",
                      abstained=False, passages=tuple(passages))  # fmt: skip


class _Searcher:
    def search(self, query, *, top_k=5, filters=None, mode="hybrid"):
        return [_passage()]


class _Facts:
    def candidates(self, question, *, document=None, actielijn=None):
        return []


def test_the_assistant_is_handed_its_parts_and_any_reader_fits(stats):
    assistant = Assistant(Settings(), _Searcher(), _Facts(), _Echo(), {}, None, stats)  # type: ignore[arg-type]
    answer = assistant.ask("  Hoeveel   aanvragen? ")
    assert answer.text == "1:number" and answer.question == "Hoeveel aanvragen?"
    assert set(answer.timings_ms) == {"retrieval", "facts", "answer", "total"}


def test_wozo_reader_picks_the_reader(stats):
    assert isinstance(make_reader(Settings(reader="heuristic"), stats, {}), HeuristicReader)
    assert Settings().reader_kind == "model"  # the default: it won on the blind batch
    with pytest.raises(ConfigError, match="needs an opened index"):
        make_reader(Settings(), stats, {})
    llm_reader = make_reader(Settings(reader="llm"), stats, {}, llm=object())
    assert isinstance(llm_reader, LLMReader) and isinstance(llm_reader.base, HeuristicReader)
    assert Settings(llm_mode="openai").reader_kind == "llm"
    assert Settings.from_env({"WOZO_READER": "heuristic"}).reader_kind == "heuristic"
    with pytest.raises(ConfigError, match="WOZO_READER"):
        make_reader(Settings(reader="nonsense"), stats, {})


def test_the_cross_reader_switch_reads_yes_and_no_and_refuses_the_rest() -> None:
    assert Settings.from_env({}).reader_cross is False
    assert Settings.from_env({"WOZO_READER_CROSS": "1"}).reader_cross is True
    assert Settings.from_env({"WOZO_READER_CROSS": "Off"}).reader_cross is False
    with pytest.raises(ConfigError, match="WOZO_READER_CROSS"):
        Settings.from_env({"WOZO_READER_CROSS": "misschien"})


def test_the_llm_reader_keeps_the_citation_checks(stats):
    class Model:
        def __init__(self, text):
            self.text = text

        def chat(self, messages):
            from types import SimpleNamespace

            return SimpleNamespace(message=SimpleNamespace(content=self.text))

    question = parse_question(QUESTION)
    good = LLMReader(Model("Er kwamen 55 aanvragen binnen [1]."), HeuristicReader(stats, {}))
    answer = good.read(question, [_passage()], [])
    assert answer.mode == "generative" and answer.text.endswith("[1].")
    uncited = LLMReader(Model("Er kwamen 99 aanvragen binnen [1]."), HeuristicReader(stats, {}))
    assert uncited.read(question, [_passage()], []).mode.startswith("extractive (LLM-antwoord")
