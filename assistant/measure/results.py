"""The results of a benchmark run: per question, per group of questions, the whole run.

Plain frozen dataclasses: `assistant.measure.evaluate` makes them, `assistant.measure.reports`
writes and compares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.measure.questions import Question


@dataclass(frozen=True)
class Evidence:
    """A retrieved passage (rank = position in `answer.passages`) or a citation (rank = number)."""

    rank: int
    document: str
    lines: tuple[int, int]
    page: int | None
    gold: bool  # overlaps one of the question's sources
    score: float | None = None


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answer_text: str
    abstained: bool
    citations: tuple[Evidence, ...]
    retrieved: tuple[Evidence, ...]
    gold_rank: int | None  # rank of the first retrieved passage overlapping a source
    k: int
    correct: bool
    missing: tuple[str, ...]  # must_contain strings not found in the answer
    latency_ms: float
    error: str = ""  # the QuestionError message when the assistant refused the question

    @property
    def in_retrieval(self) -> bool:
        return self.question.answerable and bool(self.question.sources)

    @property
    def hit_at_1(self) -> bool | None:
        return self.gold_rank == 1 if self.in_retrieval else None

    @property
    def hit_at_k(self) -> bool | None:
        return (
            (self.gold_rank is not None and self.gold_rank <= self.k) if self.in_retrieval else None
        )

    @property
    def reciprocal_rank(self) -> float | None:
        if not self.in_retrieval:
            return None
        return 1.0 / self.gold_rank if self.gold_rank else 0.0

    @property
    def citation_precision(self) -> float | None:
        """Share of citations on gold lines; None when not judged (abstained, no citations …)."""
        if not self.in_retrieval or self.abstained or not self.citations:
            return None
        return sum(c.gold for c in self.citations) / len(self.citations)

    @property
    def abstention_correct(self) -> bool:
        return self.abstained == (not self.question.answerable)


@dataclass(frozen=True)
class Scores:
    """The metrics of one group of questions. A rate is None when nothing was there to count."""

    n: int
    n_answerable: int
    n_unanswerable: int
    n_retrieval: int
    n_abstained: int
    n_errors: int
    hit_at_1: float | None
    hit_at_k: float | None
    mrr: float | None
    accuracy: float | None
    abstention_precision: float | None
    abstention_recall: float | None
    citation_precision: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None


@dataclass(frozen=True)
class Metrics:
    k: int
    overall: Scores
    by_kind: dict[str, Scores]
    by_split: dict[str, Scores]  # empty when no question has a "split" field


@dataclass(frozen=True)
class EvalRun:
    results: tuple[QuestionResult, ...]
    metrics: Metrics
    k: int
    settings: dict[str, Any]  # Settings.public_dict(): no secrets
    index_info: dict[str, Any]
    version: str
    started_at: str  # ISO 8601, UTC
    duration_s: float
    questions_file: str = ""  # set by the caller (dataclasses.replace) for the report
    problems: tuple[str, ...] = ()  # load_questions' problems, for the report

    @property
    def embed_model(self) -> str:
        return str(self.index_info.get("embed_model") or self.settings.get("embed_model", ""))

    @property
    def corpus_fingerprint(self) -> str:
        return str(self.index_info.get("corpus_fingerprint", ""))


# --- question files -------------------------------------------------------------------------
