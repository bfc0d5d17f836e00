"""The details a question picks one of a series by: a year, a province, a sector, an ordinal.

Evidence must hold them ('in 2026', 'in Zeeland', 'de derde ronde'); a passage about another
year, region or round is the typical near miss. Also what a question leaves out ('zonder …').
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from assistant.answer.intent import PROVINCE_RE, SECTOR_RE
from assistant.text.vocabulary import ORDINALS, SECTORS
from assistant.text.words import STOPWORDS, YEAR_RE, stem

EXCLUDED_RE = re.compile(
    r"\b(?:zonder|exclusief|excl\.?|niet meegerekend|buiten)\s+(?:de |het |een )?"
    r"((?:[^\W\d_][\w-]*\s?){1,3})",
    re.IGNORECASE,
)


def excluded_terms(question: str) -> list[str]:
    """Stems of what the question leaves out: 'dus zonder flankerend beleid' -> the words of
    'flankerend beleid'. A figure *for* that ('WOZO incl. flankerend beleid') is not the one
    asked for."""
    out: list[str] = []
    for match in EXCLUDED_RE.finditer(question):
        for word in re.findall(r"[^\W\d_]{3,}", match.group(1).lower()):
            if word not in STOPWORDS and stem(word) not in out:
                out.append(stem(word))
    return out


# After an ordinal, words that do not pick one of a series: 'de Tweede Kamer', 'de eerste twee
# rondes', 'de eerste uitkomsten' (the earliest results, not result number one).
NOT_A_SERIES = {"kamer", "twee", "drie", "vier", "vijf", "zes", "helft"}
NOT_A_SERIES_STEMS = ("uitkomst", "resulta", "stap", "ervaring", "effect", "bevinding", "signal")


def asked_details(question: str, document_words: Iterable[str] = ()) -> list[re.Pattern[str]]:
    """What evidence must say to answer this question and not a neighbouring one.

    A year ('in 2026'), a province ('in Zeeland'), a care sector ('in de ggz') and an ordinal
    ('de derde ronde', also written 'ronde 3' or '3e') name which of several similar things is
    asked about; a passage about another year, region, sector or round is the typical near
    miss. A year that goes with a word naming a document ('de voortgangsrapportage 2024',
    `document_words`) names the document, not the year asked about.
    """
    return [pattern for _, pattern in question_details(question, tuple(document_words))]


def ordinal_terms(question: str, text: str) -> set[str]:
    """Stems of the question's ordinals that `text` says in another way ('tweede' when the
    text has 'tijdvak 2'): found, for coverage, like any other word."""
    return {
        stem(word)
        for word, pattern in question_details(question, ())
        if word and pattern.search(text)
    }


@lru_cache(maxsize=1024)
def question_details(
    question: str, document_words: tuple[str, ...]
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The asked details of `question`, each with its ordinal word ('' for years and places).

    Cached: evidence asks for them for every window of the top passages."""
    named = "|".join(re.escape(w) for w in document_words)
    # a year right after a capitalised word is part of a name ('Ouder Worden 2040')
    years = dict.fromkeys(
        m.group(1)
        for m in YEAR_RE.finditer(question)
        if not re.search(r"\b[A-Z][\w-]*\s+$", question[: m.start()])
        and not (named and re.search(rf"\b(?:{named})\s+$", question[: m.start()], re.I))
    )
    out = [("", re.compile(rf"\b{year}\b")) for year in years]
    # a province picks one region of many, like a year picks one of many years; a sector
    # ('in de ggz', 'uit de jeugdzorg') one care sector of many
    out += [("", re.compile(rf"\b{p}\b")) for p in dict.fromkeys(PROVINCE_RE.findall(question))]
    for sector in dict.fromkeys(m.lower() for m in SECTOR_RE.findall(question)):
        out.append(("", re.compile(SECTORS[sector], re.I)))
    for word, noun in re.findall(r"\b([a-z]+)(?=\s+([a-z]{4,}))", question.lower()):
        if word not in ORDINALS or noun in NOT_A_SERIES or noun.startswith(NOT_A_SERIES_STEMS):
            continue
        if noun.endswith(("en", "s")) and not noun.endswith(("ronde", "tranche")):
            continue  # 'de eerste initiatieven': the earliest ones, not number one of a series
        n, root, tail = ORDINALS[word], noun[:5], noun.rstrip("s")[-5:]
        if root == "kwart":  # 'het eerste kwartaal' is also 'Q1'
            out.append((word, re.compile(rf"\b(?:{word}\s+kwart|Q{n}\b|{n}e\s+kwart)", re.I)))
            continue
        # 'de derde ronde', 'de 3e ronde', 'ronde 3'; 'het eerste tijdvak' for 'aanvraagtijdvak'
        pattern = re.compile(
            rf"\b(?:{word}|{n}(?:e|de|ste))\s+(?:\w+\s+)?\w*(?:{root}|{tail})"
            rf"|\b\w*(?:{root}|{tail})\w*\s+{n}\b",
            re.I,
        )
        out.append((word, pattern))
    return tuple(out)
