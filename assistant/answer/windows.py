"""Candidate quotes: windows of one to three sentences of the top passages, with their features.

`score_windows` is the heuristic's evidence for each place it could quote, feature by feature,
so that another reader (a learned ranker) can re-rank the same windows with the same features
and hand the winners to `assistant.answer.quotes.choose_quotes`, which builds the quotes the
heuristic would build around them.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer.config import DEFAULT_QUOTES, QuoteWeights
from assistant.answer.evidence import TermStats, coverage, document_words, found_terms
from assistant.answer.intent import defines, has_answer_type
from assistant.answer.question import Question
from assistant.schema import ScoredChunk
from assistant.text.sentences import MAX_SENTENCE_CHARS, Sentence, split_sentences


@dataclass(frozen=True)
class Window:
    """A place to quote: `sentence` spans the window's sentences (text and exact lines).

    The features are what the heuristic score adds up: `coverage` (IDF-weighted share of the
    question's terms, with the passage's context and the words naming its document), the
    passage's `rank`, the window's `width` in sentences, and whether it holds an answer of the
    asked type, names what 'welke X' lists, or defines the asked term. `score` is the
    heuristic's sum; a re-ranker may replace it (`dataclasses.replace`).
    """

    sentence: Sentence
    width: int
    coverage: float
    has_answer_type: bool
    names_listed: bool
    defines_term: bool
    score: float

    @property
    def rank(self) -> int:
        return self.sentence.rank

    @property
    def doc_id(self) -> str:
        return self.sentence.passage.chunk.doc_id

    @property
    def line_start(self) -> int:
        return self.sentence.line_start

    @property
    def line_end(self) -> int:
        return self.sentence.line_end


def passage_sentences(
    passages: list[ScoredChunk], weights: QuoteWeights = DEFAULT_QUOTES
) -> list[list[Sentence]]:
    """The sentences of the passages quotes come from (the top `weights.passages`)."""
    return [split_sentences(p, rank) for rank, p in enumerate(passages[: weights.passages], 1)]


def score_windows(
    question: Question,
    passages: list[ScoredChunk],
    stats: TermStats,
    weights: QuoteWeights = DEFAULT_QUOTES,
) -> list[Window]:
    """Every window of the top passages with its features and heuristic score, in passage and
    sentence order (not sorted).

    The sentence that repeats the question's words often only introduces the answer, which
    follows in the next sentence ("Daarnaast heb ik een onderzoek uitgezet naar Wmo-spoedzorg.
    Er is sprake van spoedzorg wanneer …"), so a window may take the next sentence along. A
    window holding an answer of the asked type (a number for 'hoeveel') is preferred.
    (Re-ranking sentences by embedding similarity was tried: no gain on the dev set, +400 ms.)
    """
    terms = list(question.terms)
    kind = question.answer_type
    term = question.defined_term
    listed = question.listed_noun
    out: list[Window] = []
    per_passage = passage_sentences(passages, weights)
    for rank, (passage, sentences) in enumerate(zip(passages, per_passage, strict=False), 1):
        head = f"{passage.chunk.context} {document_words(passage.chunk.doc_id, question.mentioned)}"
        for i, first in enumerate(sentences):
            for width in range(1, weights.max_width + 1):
                window = sentences[i : i + width]
                if len(window) < width:
                    continue
                text = " ".join(x.text for x in window)
                if len(text) > MAX_SENTENCE_CHARS * weights.max_chars_factor:
                    continue
                cov = coverage(terms, stats, f"{head} {text}")
                score = cov + weights.rank_bonus / rank - weights.width_penalty * (width - 1)
                typed = bool(kind) and has_answer_type(text, kind, question.text)
                if typed:
                    score += weights.answer_type_bonus
                names_listed = bool(listed) and listed in found_terms([listed], text)
                if names_listed:
                    score += weights.listed_bonus
                defines_term = bool(term) and defines(term, text)
                if defines_term:
                    score += weights.defines_bonus
                merged = Sentence(text, first.line_start, window[-1].line_end, passage, rank)
                out.append(Window(merged, width, cov, typed, names_listed, defines_term, score))
    return out
