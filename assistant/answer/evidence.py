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

import bm25s
import numpy as np

from assistant.answer.intent import (
    asked_details,
    asked_unit,
    counted_noun,
    counts,
    excluded_terms,
    has_answer_type,
    ordinal_terms,
    required_answer_type,
)
from assistant.schema import Fact, ScoredChunk
from assistant.text.sentences import split_sentences
from assistant.text.words import (
    analyze,
    content_terms,
    name_terms,
    synonym_stems,
    with_abbreviations,
)

# Evidence that lacks what the question names counts less (calibrated with the threshold on the
# dev questions, evals/ABSTENTION.md): a year, province or ordinal the question asks about (see
# asked_details; less when the passage has it, but not next to the rest), and each name in it.
DETAIL_FACTOR = 0.3
NEAR_DETAIL_FACTOR = 0.5
NAME_FACTOR = 0.7
NEAR_NAME_FACTOR = 0.85  # the name is elsewhere in the passage, not in the window
COUNTED_FACTOR = 0.5  # 'hoeveel zorgprofessionals' and no figure counts zorgprofessionals
NEAR_COUNTED_FACTOR = 0.8  # such a figure is in the passage, not in the window
UNIT_FACTOR = 0.3  # 'welk percentage' or 'wat kost' and the window has no share or amount


class TermStats:
    """Inverse document frequencies from the BM25 index, for weighting question terms."""

    def __init__(self, bm25: bm25s.BM25) -> None:
        indptr = np.asarray(bm25.scores["indptr"])
        self._n = max(1, int(bm25.scores["num_docs"]))
        # bm25s keeps scores column-wise per token; its vocabulary may hold an extra "" token
        self._df = {
            tok: int(indptr[i + 1] - indptr[i])
            for tok, i in bm25.vocab_dict.items()
            if i + 1 < len(indptr)
        }
        self.max_idf = self.idf_for(0)

    def idf_for(self, df: int) -> float:
        return math.log(1 + (self._n - df + 0.5) / (df + 0.5))

    def idf(self, term: str) -> float:
        """A term the corpus never uses weighs most: it is what the documents cannot answer."""
        return self.idf_for(self._df.get(term, 0))

    def known(self, term: str) -> bool:
        return term in self._df


def coverage(terms: list[str], stats: TermStats, text: str) -> float:
    """IDF-weighted share of `terms` found in `text` (a term inside a compound word counts)."""
    return _share(terms, found_terms(terms, text), stats)


def _share(terms: list[str], found: set[str], stats: TermStats) -> float:
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


def document_words(doc_id: str, mentioned: dict[str, str] | None) -> str:
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
    question: str,
    passages: list[ScoredChunk],
    stats: TermStats,
    mentioned: dict[str, str] | None = None,
) -> float:
    """The abstention signal: how well one place in the top passages answers the question.

    A window of up to three consecutive sentences (with its section title) must hold the
    question's informative terms *and* an answer of the asked type (a number for 'hoeveel', a
    name for 'wie', a date for 'wanneer'); a window without one does not count. A year or round
    the question asks about (asked_details) must be in the window too, and so must its names,
    or the window counts less (DETAIL_FACTOR, NEAR_DETAIL_FACTOR, NAME_FACTOR). Retrieval scores
    alone do not separate answerable from unanswerable questions on this corpus: a passage on
    the right topic without the asked detail is exactly the unanswerable case. A word that names
    a document ('volgens het programmaplan', `mentioned`) is found in that document's passages.
    """
    terms = content_terms(question)
    kind = required_answer_type(question)
    asked = asked_details(question, (mentioned or {}).keys())
    names = name_terms(question, (mentioned or {}).keys())
    counted = counted_noun(question) if kind == "number" else ""
    unit = asked_unit(question) if kind == "number" else ""
    best = 0.0
    for rank, passage in enumerate(passages[:3], start=1):
        sentences = split_sentences(passage, rank)
        head = f"{passage.chunk.section} {passage.chunk.context} "
        head += document_words(passage.chunk.doc_id, mentioned)
        elsewhere = [d for d in asked if d.search(passage.chunk.text)]
        counted_here = bool(counted or unit) and counts(counted, passage.chunk.text, unit)
        named_here = found_terms(names, passage.chunk.text)
        for i in range(len(sentences)):
            for width in (1, 2, 3):
                window = " ".join(s.text for s in sentences[i : i + width])
                if not has_answer_type(window, kind, question):
                    continue
                text = f"{head} {window}"
                found = found_terms([*terms, *names], text)  # analyse the window once
                found |= ordinal_terms(question, text)
                score = _share(terms, found, stats)
                missing = [d for d in asked if not d.search(text)]
                if missing:  # in the passage, but not with the rest: counts a little more
                    near = all(d in elsewhere for d in missing)
                    score *= NEAR_DETAIL_FACTOR if near else DETAIL_FACTOR
                unnamed = set(names) - found
                score *= NAME_FACTOR ** len(unnamed - named_here)
                score *= NEAR_NAME_FACTOR ** len(unnamed & named_here)
                if unit and not counts("", text, unit):
                    score *= UNIT_FACTOR  # 'welk percentage' and no share at all
                elif (counted or unit) and not counts(counted, window, unit):
                    score *= NEAR_COUNTED_FACTOR if counted_here else COUNTED_FACTOR
                best = max(best, score)
    return best


def fact_coverage(
    question: str, fact: Fact, stats: TermStats, mentioned: dict[str, str] | None = None
) -> float:
    """How well a fact matches the question: its terms, and the names, details and unit the
    question asks for."""
    text = f"{fact.subject} {fact.row_label} {fact.measure} {fact.period} {fact.sentence}"
    text += f" {document_words(fact.doc_id, mentioned)}"
    names = name_terms(question, (mentioned or {}).keys())
    excluded = excluded_terms(question)
    terms = [t for t in content_terms(question) if t not in excluded]
    score = _share(terms, found_terms(terms, text) | ordinal_terms(question, text), stats)
    label = f"{fact.subject} {fact.row_label}"
    if excluded and found_terms(excluded, label) == set(excluded):
        score *= DETAIL_FACTOR  # 'zonder flankerend beleid' and the row 'incl flankerend beleid'
    # one fact answers one part of a question about several names ('DOS of Wlz')
    if names and not found_terms(names, text):
        score *= NAME_FACTOR
    # like a passage, a fact must be about the asked quarter, round or province ...
    if any(not d.search(text) for d in asked_details(question, (mentioned or {}).keys())):
        score *= DETAIL_FACTOR
    # ... and be money for 'hoeveel geld', a share for 'welk percentage'
    unit = asked_unit(question)
    if unit and not fact.unit.endswith(unit):
        score *= DETAIL_FACTOR
    return score
