"""Training examples from question files: which windows answer a question.

A positive window holds every `must_contain` string of the question (compared as the benchmark
compares them) and touches its gold lines. Windows that only share the topic are not positives:
the answer step must learn the sentence that answers, not the one that names the subject.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from assistant.measure.evaluate import contains_expected
from assistant.measure.questions import Question
from assistant.models.windows import Window


@dataclass(frozen=True)
class Example:
    question: Question
    positives: tuple[int, ...]  # indices into the window list; empty for unanswerable ones

    @property
    def answerable(self) -> bool:
        return self.question.answerable


def positive_windows(
    question: Question, windows: list[Window], by_doc: dict[str, list[int]]
) -> tuple[int, ...]:
    found = []
    for src in question.sources:
        if src.lines is None:
            continue
        a, b = src.lines
        for i in by_doc.get(src.document, []):
            w = windows[i]
            if w.line_start <= b + 1 and a - 1 <= w.line_end:
                found.append(i)
    strict = [
        i
        for i in found
        if all(contains_expected(windows[i].text, s) for s in question.must_contain)
    ]
    return tuple(dict.fromkeys(strict))


def make_examples(questions: list[Question], windows: list[Window]) -> list[Example]:
    by_doc: dict[str, list[int]] = {}
    for i, w in enumerate(windows):
        by_doc.setdefault(w.doc_id, []).append(i)
    return [
        Example(q, positive_windows(q, windows, by_doc) if q.answerable else ()) for q in questions
    ]


def split_of(question_id: str, ranker_share: float) -> str:
    """'encoder' or 'ranker': a fixed split by id hash, so the ranker learns on questions the
    encoder never saw (its similarities on those are the ones it will see on new questions)."""
    h = int(hashlib.sha256(question_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "ranker" if h < ranker_share else "encoder"
