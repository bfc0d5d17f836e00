"""How well a passage or a fact answers a question: the evidence score behind abstention.

Evidence rests on *coverage*: the IDF-weighted share of the question's informative terms that
one place in the top passages holds, with an answer of the asked type (a number for 'hoeveel',
a name for 'wie', a place for 'welke provincie'). A question about something the documents
never mention ("jeugdzorg") leaves a heavy term uncovered, whatever the retrieval scores say;
a near miss (the right topic, another year, round or region) lacks an asked detail or a name
and counts less. The threshold and factors are calibrated on the dev questions
(evals/ABSTENTION.md).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import bm25s
import numpy as np

from assistant.answer.config import DEFAULT_EVIDENCE, EvidenceWeights
from assistant.answer.intent import has_answer_type
from assistant.answer.question import Question
from assistant.answer.units import counts
from assistant.schema import Fact, ScoredChunk
from assistant.text.sentences import split_sentences
from assistant.text.words import analyze, stem, synonym_stems, with_abbreviations


class TermStats:
    """Inverse document frequencies from the BM25 index, for weighting question terms."""

    def __init__(self, document_frequencies: dict[str, int], n_documents: int) -> None:
        self._df = dict(document_frequencies)
        self._n = max(1, n_documents)
        self.max_idf = self.idf_for(0)

    @classmethod
    def from_bm25(cls, bm25: bm25s.BM25) -> TermStats:
        indptr = np.asarray(bm25.scores["indptr"])
        # bm25s keeps scores column-wise per token; its vocabulary may hold an extra "" token
        df = {
            tok: int(indptr[i + 1] - indptr[i])
            for tok, i in bm25.vocab_dict.items()
            if i + 1 < len(indptr)
        }
        return cls(df, int(bm25.scores["num_docs"]))

    @classmethod
    def from_texts(cls, texts: list[str]) -> TermStats:
        """From passages' texts, counted as the BM25 index counts them (for tests and tools)."""
        df: dict[str, int] = {}
        for text in texts:
            for term in set(analyze(text)):
                df[term] = df.get(term, 0) + 1
        return cls(df, len(texts))

    def idf_for(self, df: int) -> float:
        return math.log(1 + (self._n - df + 0.5) / (df + 0.5))

    def idf(self, term: str) -> float:
        """A term the corpus never uses weighs most: it is what the documents cannot answer."""
        return self.idf_for(self._df.get(term, 0))

    def known(self, term: str) -> bool:
        return term in self._df


def coverage(terms: list[str], stats: TermStats, text: str) -> float:
    """IDF-weighted share of `terms` found in `text` (a term inside a compound word counts)."""
    return share(terms, found_terms(terms, text), stats)


def share(terms: list[str], found: set[str], stats: TermStats) -> float:
    """IDF-weighted share of `terms` that are in `found`."""
    total = sum(stats.idf(t) for t in terms)
    return sum(stats.idf(t) for t in terms if t in found) / total if total else 0.0


def _has_term(term: str, tokens: set[str], joined: str) -> bool:
    """The stem (or a synonym's) is a token of the text, or (5+ letters) part of a compound."""
    return any(t in tokens or (len(t) >= 5 and t in joined) for t in _forms(term))


def _forms(term: str) -> tuple[str, ...]:
    """A stem and its synonyms' stems; a plural in '-es' also without it: the stemmer keeps
    'aanvraagrondes' but makes 'aanvraagrond' of 'aanvraagronde'."""
    forms = synonym_stems(term)
    if len(term) >= 8 and term.endswith("es"):
        forms = (*forms, term[:-2])
    return forms


def document_words(doc_id: str, mentioned: Mapping[str, str] | None) -> str:
    """The question's words that name this document (see lexicon.mentioned_documents)."""
    return " ".join(word for word, doc in (mentioned or {}).items() if doc == doc_id)


def found_terms(terms: list[str], text: str) -> set[str]:
    """The stems of `terms` that `text` holds (with synonyms, abbreviations, compounds)."""
    tokens = with_abbreviations(set(analyze(text)))
    joined = " ".join(tokens)
    return {t for t in terms if _has_term(t, tokens, joined) or _has_parts(t, tokens)}


def _has_parts(term: str, tokens: set[str]) -> bool:
    """A compound of the question whose two parts are words of the text: 'verblijfsaandeel'
    in 'Percentage aandeel verblijf'."""
    if len(term) < 9:
        return False
    for i in range(4, len(term) - 3):
        head, tail = term[:i], term[i:]
        heads = (head, head[:-1]) if head.endswith("s") and len(head) > 5 else (head,)
        if any(h in tokens for h in heads) and tail in tokens:
            return True
    return False


def evidence_score(
    question: Question,
    passages: list[ScoredChunk],
    stats: TermStats,
    weights: EvidenceWeights = DEFAULT_EVIDENCE,
) -> float:
    """The abstention signal: how well one place in the top passages answers the question.

    A window of up to three consecutive sentences (with its section title) must hold the
    question's informative terms *and* an answer of the asked type (a number for 'hoeveel', a
    name for 'wie', a date for 'wanneer'); a window without one does not count. A year or round
    the question asks about (its details) must be in the window too, and so must its names, or
    the window counts less (`weights`). Retrieval scores alone do not separate answerable from
    unanswerable questions on this corpus: a passage on the right topic without the asked
    detail is exactly the unanswerable case. A word that names a document ('volgens het
    programmaplan', `question.mentioned`) is found in that document's passages.
    """
    terms = list(question.terms)
    kind = question.required_type
    asked = question.details
    names = list(question.names)
    counted = question.counted_noun if kind == "number" else ""
    unit = question.unit if kind == "number" else ""
    best = 0.0
    for rank, passage in enumerate(passages[: weights.passages], start=1):
        sentences = split_sentences(passage, rank)
        head = f"{passage.chunk.section} {passage.chunk.context} "
        head += document_words(passage.chunk.doc_id, question.mentioned)
        elsewhere = [d for d in asked if d.search(passage.chunk.text)]
        counted_here = bool(counted or unit) and counts(counted, passage.chunk.text, unit)
        named_here = found_terms(names, passage.chunk.text)
        for i in range(len(sentences)):
            for width in (1, 2, 3):
                window = " ".join(s.text for s in sentences[i : i + width])
                if not has_answer_type(window, kind, question.text):
                    continue
                text = f"{head} {window}"
                found = found_terms([*terms, *names], text)  # analyse the window once
                found |= ordinal_terms(question, text)
                score = share(terms, found, stats)
                missing = [d for d in asked if not d.search(text)]
                if missing:  # in the passage, but not with the rest: counts a little more
                    near = all(d in elsewhere for d in missing)
                    score *= weights.near_detail if near else weights.detail
                unnamed = set(names) - found
                score *= weights.name ** len(unnamed - named_here)
                score *= weights.near_name ** len(unnamed & named_here)
                if unit and not counts("", text, unit):
                    score *= weights.unit  # 'welk percentage' and no share at all
                elif (counted or unit) and not counts(counted, window, unit):
                    score *= weights.near_counted if counted_here else weights.counted
                best = max(best, score)
    return best


def ordinal_terms(question: Question, text: str) -> set[str]:
    """Stems of the question's ordinals that `text` says in another way ('tweede' when the
    text has 'tijdvak 2'): found, for coverage, like any other word."""
    return {stem(word) for word, pattern in question.ordinals if pattern.search(text)}


def fact_coverage(
    question: Question, fact: Fact, stats: TermStats, weights: EvidenceWeights = DEFAULT_EVIDENCE
) -> float:
    """How well a fact matches the question: its terms, and the names, details and unit the
    question asks for."""
    text = f"{fact.subject} {fact.row_label} {fact.measure} {fact.period} {fact.sentence}"
    text += f" {document_words(fact.doc_id, question.mentioned)}"
    names = list(question.names)
    excluded = list(question.excluded)
    terms = [t for t in question.terms if t not in excluded]
    score = share(terms, found_terms(terms, text) | ordinal_terms(question, text), stats)
    label = f"{fact.subject} {fact.row_label}"
    if excluded and found_terms(excluded, label) == set(excluded):
        score *= weights.detail  # 'zonder flankerend beleid' and the row 'incl flankerend beleid'
    # one fact answers one part of a question about several names ('DOS of Wlz')
    if names and not found_terms(names, text):
        score *= weights.name
    # like a passage, a fact must be about the asked quarter, round or province ...
    if any(not d.search(text) for d in question.details):
        score *= weights.detail
    # ... and be money for 'hoeveel geld', a share for 'welk percentage'
    if question.unit and not fact.unit.endswith(question.unit):
        score *= weights.detail
    return score
