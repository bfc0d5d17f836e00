"""Readers: the answer step behind one protocol, `read(question, passages, facts) -> Answer`.

`HeuristicReader` is the extractive composer: it measures the evidence, lets its `Abstainer`
decide, leads with the facts that match and quotes the best windows of the passages, each with
a citation to its exact lines. `assistant.answer.llm.LLMReader` lets a language model phrase
the answer from the same citations. `assistant.answer.factory.make_reader` picks one by
WOZO_READER.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from assistant.answer.abstain import Abstainer
from assistant.answer.citations import cited_answer
from assistant.answer.config import DEFAULT_CONFIG, ReaderConfig
from assistant.answer.evidence import TermStats, evidence_score
from assistant.answer.figures import select_facts
from assistant.answer.question import Question
from assistant.answer.quotes import choose_quotes
from assistant.answer.windows import score_windows
from assistant.schema import Answer, DocumentText, Fact, ScoredChunk


class Reader(Protocol):
    """Turns a parsed question, the retrieved passages and the candidate facts into an answer
    (which may be an abstention). Readers are built once and safe to share between threads."""

    def read(
        self, question: Question, passages: list[ScoredChunk], facts: list[Fact]
    ) -> Answer: ...


@dataclass(frozen=True)
class HeuristicReader:
    """The extractive answer: facts first (figure questions), then cited sentences.

    `stats` weighs the question's terms (IDF from the index), `documents` give citations their
    page and period.
    """

    stats: TermStats
    documents: dict[str, DocumentText]
    abstainer: Abstainer = field(default_factory=Abstainer)
    config: ReaderConfig = DEFAULT_CONFIG

    def read(self, question: Question, passages: list[ScoredChunk], facts: list[Fact]) -> Answer:
        evidence = evidence_score(question, passages, self.stats, self.config.evidence)
        chosen = self.choose_facts(question, facts)
        if self.abstainer.abstains(evidence, chosen):
            return self.abstainer.answer(question.text, passages)
        windows = score_windows(question, passages, self.stats, self.config.quotes)
        quotes = choose_quotes(question, windows, passages, self.stats, self.config.quotes)
        return cited_answer(question.text, passages, chosen, [q for q, _ in quotes], self.documents)

    def choose_facts(self, question: Question, facts: list[Fact]) -> list[Fact]:
        """The facts that lead the answer: above the abstainer's fact threshold, near the best."""
        return select_facts(
            question,
            facts,
            self.stats,
            self.abstainer.fact_threshold,
            self.config.facts.limit,
            self.config.facts,
            self.config.evidence,
        )
