"""One parsed question: everything the answer step reads from the raw text, read once.

Fact lookup, evidence, abstention and quoting all ask the same things of a question (what kind
of answer, which year or province, which round, what is counted, is it about money); they read
them from one `Question` made by `parse_question`, so they cannot disagree. The raw text stays
in `text` for the few checks that read words of the question itself (a glossary line).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from assistant.answer.details import asked_details, excluded_terms, question_details
from assistant.answer.intent import (
    PROVINCE_RE,
    alternatives,
    answer_type,
    defined_term,
    question_parts,
    required_answer_type,
)
from assistant.answer.units import asked_unit, counted_noun, listed_noun
from assistant.text.words import content_terms, fold, mentioned_documents, name_terms, years

# A question that asks for a figure (amount, count, percentage, date of a figure) ...
FIGURE_QUESTION_RE = re.compile(
    r"\bhoeveel\b|\bhoe\s+(?:groot|hoog|veel|duur)\b"
    r"|\bwelke?\s+(?:bedrag|percentage|aandeel|budget|aantal|deel|omvang|som)\b"
    r"|\bwat\s+(?:is|was|zijn|waren|wordt|werd)\s+(?:het|de|er)\s+(?:\w+\s+){0,2}"
    r"(?:budget|bedrag|aantal|percentage|aandeel|omvang|hoogte|plafond|subsidieplafond|kosten"
    r"|begroot|beschikbaar|uitgegeven|besteed|aangevraagd|toegekend)\b"
    r"|\bwat\s+kost|\bom\s+hoeveel\b|\bin\s+welk\s+jaar\b",
    re.IGNORECASE,
)
# ... or names one; also at the end of a compound: 'het totaalbedrag', 'het subsidiebudget'
FIGURE_WORDS_RE = re.compile(
    r"(begroot|begroting|budget|bedrag|geld|miljoen|percentage|aandeel|totaal)\b"
    r"|\bwat staat er\b.{0,80}\b20\d\d\b",  # 'wat staat er in de tabel voor 2027 …'
    re.I,
)


@dataclass(frozen=True)
class Question:
    """A question as the answer step reads it. Make one with `parse_question`.

    `answer_type` is what it asks for (number, person, actor, place, definition, date, reason,
    status or ''); `required_type` the type evidence must hold ('' for reasons, definitions and
    status questions). `details` are the year, province, sector and ordinal patterns a passage
    must match (`ordinals` are the ordinal words among them, with their patterns); `names` the
    capitalised names; `mentioned` maps words that name a document to its id. `parts` are the
    questions in one ('Wie …, en wanneer …?'), `options` the sides of a comparison ('A of B?'),
    both empty when there is only one.
    """

    text: str
    answer_type: str
    required_type: str
    terms: tuple[str, ...]
    names: tuple[str, ...]
    mentioned: Mapping[str, str] = field(default_factory=dict)
    years: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    details: tuple[re.Pattern[str], ...] = ()
    ordinals: tuple[tuple[str, re.Pattern[str]], ...] = ()
    defined_term: str = ""
    listed_noun: str = ""
    counted_noun: str = ""
    unit: str = ""  # 'euro' (money), '%' (a share) or ''
    excluded: tuple[str, ...] = ()
    is_figure: bool = False
    parts: tuple[Question, ...] = ()
    options: tuple[Question, ...] = ()

    @property
    def is_money(self) -> bool:
        return self.unit == "euro"

    @property
    def is_share(self) -> bool:
        return self.unit == "%"


def parse_question(
    text: str, doc_ids: Iterable[str] = (), *, mentioned: Mapping[str, str] | None = None
) -> Question:
    """Read a question once; `doc_ids` let a word name a document ('volgens het programmaplan').

    The parts and options of a question are questions too; they keep the words of the whole
    question that name a document (`mentioned`).
    """
    if mentioned is None:
        mentioned = mentioned_documents(text, doc_ids)
    kind = answer_type(text)
    parts = question_parts(text)
    options = alternatives(text)
    return Question(
        text=text,
        answer_type=kind,
        required_type=required_answer_type(text),
        terms=tuple(content_terms(text)),
        names=tuple(name_terms(text, mentioned.keys())),
        mentioned=mentioned,
        years=tuple(years(text)),
        places=tuple(dict.fromkeys(PROVINCE_RE.findall(text))),
        details=tuple(asked_details(text, mentioned.keys())),
        ordinals=tuple((w, p) for w, p in question_details(text, ()) if w),
        defined_term=defined_term(text) if kind == "definition" else "",
        listed_noun=listed_noun(text),
        counted_noun=counted_noun(text),
        unit=asked_unit(text),
        excluded=tuple(excluded_terms(text)),
        is_figure=is_figure_question(text),
        parts=tuple(parse_question(p, mentioned=mentioned) for p in parts)
        if len(parts) > 1
        else (),
        options=tuple(parse_question(o, mentioned=mentioned) for o in options)
        if len(options) > 1
        else (),
    )


def is_figure_question(text: str) -> bool:
    """Figure questions get facts from the fact table first ('hoeveel', 'welk bedrag', ...)."""
    return bool(
        FIGURE_QUESTION_RE.search(fold(text))
        or answer_type(text) == "number"
        or FIGURE_WORDS_RE.search(text)
    )
