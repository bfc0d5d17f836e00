"""The answer step: a parsed `Question`, the retrieved passages and candidate facts in, an
`Answer` out, by a `Reader` (heuristic or LLM) with its `Abstainer`.

A reader of its own (e.g. a trained model) implements `Reader.read`; it can start from the
heuristic's candidate windows (`score_windows`, with their features), re-rank them and build
the quotes and citations the same way (`choose_quotes`, `cited_answer`).
"""

from assistant.answer.abstain import NOT_FOUND, Abstainer
from assistant.answer.citations import cited_answer
from assistant.answer.config import ReaderConfig
from assistant.answer.evidence import TermStats, evidence_score, fact_coverage
from assistant.answer.factory import make_reader
from assistant.answer.question import Question, parse_question
from assistant.answer.quotes import choose_quotes
from assistant.answer.reader import HeuristicReader, Reader
from assistant.answer.windows import Window, score_windows

__all__ = [
    "NOT_FOUND", "Abstainer", "HeuristicReader", "Question", "Reader", "ReaderConfig",
    "TermStats", "Window", "choose_quotes", "cited_answer", "evidence_score", "fact_coverage",
    "make_reader", "parse_question", "score_windows",
]  # fmt: skip
