"""Dutch words: tokens, stems, stopwords, abbreviations and synonyms found, follow-up questions.

The functions over the vocabulary (`assistant.text.vocabulary`) that retrieval, fact lookup,
answer composition and abstention share.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH

from assistant.text.vocabulary import (
    ABBREVIATIONS,
    EQUIVALENTS,
    FACT_SEARCH_ONLY,
    FRAMING_WORDS,
    PAST_TENSES,
    QUESTION_WORDS,
    SYNONYMS,
)

TOKEN_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
BM25_TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")  # what bm25s indexes
YEAR_RE = re.compile(r"\b(20[1-4]\d)\b")
STOPWORDS = set(STOPWORDS_DUTCH) | QUESTION_WORDS


FOLLOW_UP_RE = re.compile(
    r"^\s*(en|maar|ook|of)\b|\b(daarvan|daarin|daarbij|daarvoor|hetzelfde|dezelfde)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("dutch")


def fold(text: str) -> str:
    """Lowercase without accents: 'Cliënten' -> 'clienten'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(fold(text))


def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def analyze(text: str) -> list[str]:
    """Tokens as the BM25 index sees them: lowercased, Dutch-stemmed (so IDF lookups match)."""
    words = [EQUIVALENTS.get(w, w) for w in BM25_TOKEN_RE.findall(text.lower())]
    return _stemmer().stemWords([PAST_TENSES.get(w, w) for w in words])


@lru_cache(maxsize=1)
def _synonym_stems() -> dict[str, tuple[str, ...]]:
    groups = [tuple(dict.fromkeys(stem(w) for w in words)) for words in SYNONYMS.values()]
    return {s: group for group in groups for s in group}


def synonym_stems(term: str) -> tuple[str, ...]:
    """The stems that stand for the same thing as the stem `term` (itself included)."""
    return _synonym_stems().get(term, (term,))


@lru_cache(maxsize=1)
def _abbreviation_stems() -> tuple[tuple[str, frozenset[str]], ...]:
    out = []
    for short, forms in ABBREVIATIONS.items():
        if short in FACT_SEARCH_ONLY:
            continue
        words = [w for form in forms for w in BM25_TOKEN_RE.findall(form) if w not in STOPWORDS]
        out.append((short, frozenset(stem(w) for w in words)))
    return tuple(out)


def with_abbreviations(stems: set[str]) -> set[str]:
    """`stems` (of a text) with each abbreviation's expansion added, and the other way round.

    'grz' in a passage answers a question about 'geriatrische revalidatiezorg', and a passage
    that writes 'domeinoverstijgende samenwerking' out answers a question about 'DOS'.
    """
    out = set(stems)
    for short, long in _abbreviation_stems():
        if short in stems:
            out |= long
        elif long and long <= stems:
            out.add(short)
    return out


def content_terms(text: str) -> list[str]:
    """The informative stems of a question: no stopwords or question words, numbers kept."""
    out = []
    for tok in BM25_TOKEN_RE.findall(text.lower()):
        if tok in STOPWORDS or fold(tok) in STOPWORDS or tok in FRAMING_WORDS:
            continue
        term = stem(PAST_TENSES.get(tok, tok))
        if term not in out:
            out.append(term)
    return out


def mentioned_documents(question: str, doc_ids: Iterable[str]) -> dict[str, str]:
    """Words of the question that name a document, each with its document id.

    A document id is '<name>-<year>' ('programmaplan-2022'); a word names the document when it
    is the name or a compound that starts with the name's stem ('de investeringstabel' names
    'investeringen-2023', 'de voortgangsrapportage' names 'voortgangsrapportage-2024').
    """
    names = {}  # name -> (its stem, doc id)
    for doc_id in doc_ids:
        name = re.sub(r"-\d{4}$", "", doc_id)
        if len(name) >= 6 and "-" not in name:
            names[fold(name)] = (stem(fold(name)), doc_id)
    found: dict[str, str] = {}
    for token in tokens(question):
        for part in token.split("-"):
            for name, (root, doc_id) in names.items():
                compound = len(root) >= 6 and part.startswith(root) and len(part) > len(name)
                if part == name or compound:
                    found[part] = doc_id
    return found


# A word written with a capital that does not start a sentence.
CAPITALISED_RE = re.compile(r"(?<![.?!:]\s)(?<!^)\b[A-Z][\w-]*", re.UNICODE)


def name_terms(question: str, document_words: Collection[str] = ()) -> list[str]:
    """Stems of the names in a question: words written with a capital, not the first word.

    'Groningen', 'Erasmus', 'STOZ', 'DOS': what the question is about by name. A name the
    answer does not mention is a strong sign that the passage is about something else.
    Words that name a document (`document_words`, the keys of `mentioned_documents`: 'het
    Programmaplan') are left out.
    """
    named = set(document_words)
    out = []
    for match in CAPITALISED_RE.finditer(question.strip()):
        capitals = [p for p in match.group(0).split("-") if p[:1].isupper()]  # 'STOZ-regeling'
        for word in BM25_TOKEN_RE.findall(" ".join(capitals).lower()):
            if word in STOPWORDS or word in named or fold(word) in STOPWORDS:
                continue
            term = stem(word)
            if term not in out:
                out.append(term)
    return out


def years(text: str) -> list[str]:
    return YEAR_RE.findall(text)


def resolve_follow_up(question: str, history: list[tuple[str, str]] | None) -> str:
    """Turn a follow-up like 'en in 2026?' into a full question using the previous one.

    A short question or one that points back ('dat', 'daarvan') is joined to the previous
    question; a year in the follow-up replaces the previous question's year.
    """
    if not history:
        return question
    previous = history[-1][0]
    terms = content_terms(question)
    if len(terms) > 1 and not FOLLOW_UP_RE.search(question):
        return question
    new_years = years(question)
    if new_years and years(previous):
        rewritten = YEAR_RE.sub(new_years[0], previous, count=1)
        rest = [t for t in terms if t not in new_years]
        return rewritten if not rest else f"{rewritten} {question}"
    return f"{previous} {question}"
