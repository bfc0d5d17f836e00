"""The benchmark: question files, scoring one answer, metrics over a run.

A question file is JSON Lines, one question per line (see `evals/README.md`). Scoring is pure:
`score_question` looks only at the `Answer` the assistant returned, so every metric can be
tested on hand-made answers. The results are
`assistant.measure.results`; writing and comparing reports is `assistant.measure.reports`.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Protocol

from assistant import __version__
from assistant.config import Settings
from assistant.errors import AssistantError, QuestionError, QuestionFileError
from assistant.measure.questions import (
    Question,
    Source,
    load_questions,
)
from assistant.measure.results import EvalRun, Evidence, Metrics, QuestionResult, Scores
from assistant.measure.system import percentile
from assistant.schema import Answer
from assistant.text.numbers import normalise_numbers

__all__ = [
    "Asker", "EvalRun", "Evidence", "Metrics", "Question", "QuestionResult", "Scores", "Source",
    "aggregate", "contains_expected", "load_questions", "overlaps", "passage_matches",
    "run_eval", "score_question",
]  # fmt: skip


class Asker(Protocol):
    """What `run_eval` needs; the real one is `assistant.pipeline.Assistant`."""

    settings: Settings

    def ask(self, question: str, history: list[tuple[str, str]] | None = None) -> Answer: ...

    def index_info(self) -> dict[str, Any]: ...


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Inclusive ranges overlap; touching at one line counts ((1, 3) and (3, 5))."""
    return a[0] <= b[1] and b[0] <= a[1]


def passage_matches(
    source: Source,
    doc_id: str,
    line_start: int,
    line_end: int,
    page: int | None,
    page_end: int | None = None,
) -> bool:
    """Does a passage or citation cover the source? Lines win; a page-only source needs a page."""
    if doc_id != source.document:
        return False
    if source.lines is not None:
        return overlaps(source.lines, (line_start, line_end))
    if source.page is None or page is None:
        return False
    return page <= source.page <= max(page, page_end or page)


_CITATION_MARK = re.compile(r"\[\d+(?:\s*[,–-]\s*\d+)*\]")
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))


def contains_expected(answer_text: str, expected: str) -> bool:
    """Does the answer contain `expected`, comparing numbers by value and text loosely?

    Both sides are folded (case, accents), numbers are rewritten to one notation
    ("125.300" = "125 300" = "125300", "64,9" = "64.9") and citation marks like "[1]" are
    removed from the answer. A number in `expected` must match a whole number token: "40"
    is found in "€ 40 miljoen" but not in "140", "2040" or "40.5". Text may match inside a
    word ("specifiek" in "specifieke").
    """
    wanted = _canonical(expected)
    if not wanted:
        return True
    pattern = re.escape(wanted)
    if wanted[0].isdigit():
        pattern = r"(?<!\d)(?<!\d[.,])" + pattern
    if wanted[-1].isdigit():
        pattern += r"(?![.,]?\d)"
    return re.search(pattern, _canonical(_CITATION_MARK.sub(" ", answer_text))) is not None


def _canonical(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_DASHES)
    out = re.sub(r"\s+", " ", normalise_numbers(folded)).strip()
    return re.sub(r"(?<=\d) %", "%", re.sub(r"€ (?=\d)", "€", out))  # "€ 40 %" -> "€40%"


# --- scoring --------------------------------------------------------------------------------


def score_question(q: Question, answer: Answer, latency_ms: float, k: int) -> QuestionResult:
    """Judge one answer. Retrieval rank: first of `answer.passages` on a gold source; when the
    answer carries no passages, its citations in order stand in for the ranked list."""

    def gold(doc: str, lines: tuple[int, int], page: int | None, page_end: int | None) -> bool:
        return any(passage_matches(s, doc, *lines, page, page_end) for s in q.sources)

    retrieved, citations = [], []
    for rank, p in enumerate(answer.passages, start=1):
        c = p.chunk
        hit = gold(c.doc_id, (c.line_start, c.line_end), c.page, c.page_end)
        retrieved.append(Evidence(rank, c.doc_id, (c.line_start, c.line_end), c.page, hit, p.score))
    for cit in answer.citations:
        lines = (cit.line_start, cit.line_end)
        hit = gold(cit.doc_id, lines, cit.page, None)
        citations.append(Evidence(cit.number, cit.doc_id, lines, cit.page, hit))
    ranked = [e.gold for e in retrieved] or [c.gold for c in citations]
    gold_rank = next((i for i, hit in enumerate(ranked, start=1) if hit), None)
    missing = tuple(s for s in q.must_contain if not contains_expected(answer.text, s))
    # answerable: every must_contain string, not abstained; unanswerable: abstained
    correct = (not answer.abstained and not missing) if q.answerable else answer.abstained
    return QuestionResult(
        question=q,
        answer_text=answer.text,
        abstained=answer.abstained,
        citations=tuple(citations),
        retrieved=tuple(retrieved),
        gold_rank=gold_rank,
        k=k,
        correct=correct,
        missing=missing,
        latency_ms=latency_ms,
    )


def aggregate(results: list[QuestionResult]) -> Metrics:
    """Overall, per kind and per split (when questions carry a "split" field)."""
    by_kind: dict[str, list[QuestionResult]] = {}
    by_split: dict[str, list[QuestionResult]] = {}
    for r in results:
        by_kind.setdefault(r.question.kind, []).append(r)
        if r.question.split:
            by_split.setdefault(r.question.split, []).append(r)
    return Metrics(
        k=results[0].k if results else 0,
        overall=_scores(results),
        by_kind={kind: _scores(rs) for kind, rs in sorted(by_kind.items())},
        by_split={split: _scores(rs) for split, rs in sorted(by_split.items())},
    )


def _scores(results: list[QuestionResult]) -> Scores:
    retrieval = [r for r in results if r.in_retrieval]
    abstained = [r for r in results if r.abstained]
    unanswerable = [r for r in results if not r.question.answerable]
    rightly_abstained = sum(1 for r in abstained if not r.question.answerable)
    judged = [r for r in results if r.citation_precision is not None]
    latencies = [r.latency_ms for r in results]
    return Scores(
        n=len(results),
        n_answerable=len(results) - len(unanswerable),
        n_unanswerable=len(unanswerable),
        n_retrieval=len(retrieval),
        n_abstained=len(abstained),
        n_errors=sum(1 for r in results if r.error),
        hit_at_1=_mean(r.hit_at_1 for r in retrieval),
        hit_at_k=_mean(r.hit_at_k for r in retrieval),
        mrr=_mean(r.reciprocal_rank for r in retrieval),
        accuracy=_mean(r.correct for r in results),
        abstention_precision=_ratio(rightly_abstained, len(abstained)),
        abstention_recall=_ratio(rightly_abstained, len(unanswerable)),
        citation_precision=_ratio(
            sum(sum(c.gold for c in r.citations) for r in judged),
            sum(len(r.citations) for r in judged),
        ),
        latency_p50_ms=percentile(latencies, 0.50),
        latency_p95_ms=percentile(latencies, 0.95),
    )


def _mean(values: Iterable[float | bool | None]) -> float | None:
    items = [float(v or 0) for v in values]
    return sum(items) / len(items) if items else None


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def run_eval(
    asker: Asker,
    questions: list[Question],
    k: int = 5,
    progress: Callable[[int, int], None] | None = None,
) -> EvalRun:
    """Ask every question without history, timing each call; score and aggregate.

    A question the assistant refuses with QuestionError is recorded as a wrong answer with the
    message; any other error (index, store, model) stops the run because every later question
    would fail the same way.
    """
    if k < 1:
        raise AssistantError(f"k must be at least 1, not {k}.")
    ids = [q.id for q in questions]
    if len(set(ids)) < len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise QuestionFileError(f"Question ids must be unique across files: {', '.join(twice)}.")
    started = datetime.now(UTC)
    t_run = time.perf_counter()
    info = dict(asker.index_info())
    results: list[QuestionResult] = []
    for i, q in enumerate(questions, start=1):
        error = ""
        t0 = time.perf_counter()
        try:
            answer = asker.ask(q.question, None)
        except QuestionError as exc:
            answer, error = Answer(question=q.question, text="", abstained=False), str(exc)
        latency_ms = (time.perf_counter() - t0) * 1000.0
        result = score_question(q, answer, latency_ms, k)
        results.append(replace(result, error=error) if error else result)
        if progress is not None:
            progress(i, len(questions))
    return EvalRun(
        results=tuple(results),
        metrics=aggregate(results),
        k=k,
        settings=asker.settings.public_dict(),
        index_info=info,
        version=__version__,
        started_at=started.isoformat(timespec="seconds"),
        duration_s=time.perf_counter() - t_run,
    )
