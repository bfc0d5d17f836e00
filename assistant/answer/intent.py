"""What a question asks for, and whether a text holds that kind of answer.

A question asks for a type of answer (a number for 'hoeveel', a person for 'welke minister', a
person or a body for 'wie onderzoekt', a place for 'welke provincie', a date for 'wanneer'), may
pick one of a series by a year, a province or an ordinal ('in 2026', 'in Zeeland', 'de derde
ronde'), may name what a figure must count ('hoeveel zorgprofessionals'), may ask to define a
term ('Wat houdt LAT in?') and may be several questions in one ('Wie …, en wanneer …?').
Abstention (assistant.answer.evidence) and quoting (assistant.answer.compose) both read
questions this way.
"""

from __future__ import annotations

import re

from assistant.answer.units import FRACTION_RE, asked_unit
from assistant.text.vocabulary import (
    MONTHS,
    NUMBER_WORDS,
    PROVINCES,
    SECTORS,
)
from assistant.text.words import BM25_TOKEN_RE, STOPWORDS, YEAR_RE

PART_RE = re.compile(
    r"(?:,\s*|\s+)(?:en|maar)\s+(?=(?:wanneer|hoeveel|wie|wat|waar|waarom|waarvoor|hoe|welke|welk"
    r"|in welke|is|zijn|wordt|worden)\b)|(?<=\?)\s+(?=\S)",
    re.IGNORECASE,
)


def question_parts(question: str) -> list[str]:
    """The questions in one: 'Wie heeft X gemaakt, en wanneer kreeg de Kamer ze?' is two.

    Each part asks for its own answer (a name, then a date), often found in another passage or
    another document.
    """
    parts = [p.strip() for p in PART_RE.split(question) if len(p.strip()) > 10]
    return parts if len(parts) > 1 else [question]


COMPARATIVE_RE = re.compile(
    r"\b(?:meer|minder|hoger|lager|groter|kleiner|meeste|minste|grootste|kleinste|hoogste"
    r"|laagste|verst)\b",
    re.IGNORECASE,
)


def alternatives(question: str) -> list[str]:
    """The two things a comparison asks about, each as a question of its own.

    'Ging er in 2024 meer geld naar A of naar B?' -> ['Ging er in 2024 meer geld naar A',
    'Ging er in 2024 meer naar B?']: the right side gets the left's words up to the comparative,
    or up to a colon ('… een hoger aandeel: A of B?'). A question that compares nothing is itself.
    """
    match = COMPARATIVE_RE.search(question)
    if not match or " of " not in question[match.end() :]:
        return [question]
    left, right = question.rsplit(" of ", 1)
    if ":" in left[match.end() :]:  # 'Welke regio had een hoger aandeel: Groningen of Friesland?'
        return [left, f"{left[: left.rindex(':') + 1]} {right}"]
    if len(right.split()) < 2 or match.end() >= len(left):
        return [question]
    prefix = left[: match.end()]
    # 'naar A of naar B', 'voor A of voor B': the right part repeats the preposition
    return [left, f"{prefix} {right}"]


DEFINED_RE = re.compile(
    r"^\s*wat (?:is|zijn|betekent|betekenen) (?:een |de |het )?['‘’\"]?(.+?)['‘’\"]?"
    r"(?: (?:precies|eigenlijk|in het .*|in de .*))?\?*$"
    r"|^\s*wat (?:houdt|houden) (?:een |de |het )?(.+?) in\b"
    r"|\b(?:verstaan|verstaat .{0,40}?) onder (?:een |de |het )?['‘’\"]?([^'‘’\"?]+)"
    r"|\bbedoeld met (?:een |de |het )?['‘’\"]?([^'‘’\"?]+)",
    re.IGNORECASE,
)


def defined_term(question: str) -> str:
    """The term a definition question asks about ('Wat houdt Langer Actief Thuis (LAT) in?' ->
    'Langer Actief Thuis (LAT)'), or ''."""
    match = DEFINED_RE.search(question.strip())
    if not match:
        return ""
    term = next(g for g in match.groups() if g)
    quoted = re.search(r"['‘’\"]([^'‘’\"]{3,})['‘’\"]", term)
    if quoted:  # "'meerjarig contracteren' in de Wlz"
        term = quoted.group(1)
    # 'passende zorg in de Wlz', 'KIK-V volgens het programmaplan': the term is what comes before
    term = re.split(r"\s+(?:in|volgens|bij|binnen|voor|van) (?:de|het|een)\b", term)[0]
    return term.strip(" '‘’\"?") if len(term.split()) <= 6 else ""


def defines(term: str, text: str) -> bool:
    """`text` defines `term`: the term (or its abbreviation in brackets) followed by 'is',
    'zijn', 'betekent', 'houdt in', 'waarbij', a colon or '(= …)'."""
    names = [term, *re.findall(r"\(([^)]+)\)", term)]
    base = re.sub(r"\s*\([^)]*\)", "", term).strip()
    alternatives = "|".join(re.escape(n) for n in dict.fromkeys([base, *names]) if n)
    return bool(
        re.search(
            rf"(?:{alternatives})[\w-]*\W{{0,3}}(?:\([^)]{{1,20}}\)\W*)?"
            r"(?:is|zijn|betekent|houdt|waarbij|wordt verstaan|:|\(=)",
            text,
            re.IGNORECASE,
        )
    )


def answer_type(question: str) -> str:
    """What the question asks for: number, person, actor (a person or a body), place,
    definition, date, reason, status or '' (anything)."""
    q = question.lower()
    if re.search(r"\b(hoeveel|hoe groot|hoe hoog|welk bedrag|welk percentage|procent)\b", q):
        return "number"
    if asked_unit(question):  # 'onder welk huurbedrag', 'welk aandeel'
        return "number"
    if re.search(
        r"\bwat (?:is|was|zijn|waren)\b.{0,30}\b(budget|bedrag|aantal|omvang|hoogte)\b", q
    ):
        return "number"
    if re.search(PERSON_Q, q) or re.match(rf"\s*wie\b(?: (?:is|was|zijn|waren)\b|.*{ROLE_Q})", q):
        return "person"
    if re.match(r"\s*wie\b", q):  # 'wie onderzoekt …', 'wie heeft … gemaakt': a person or body
        return "actor"
    if re.search(  # 'welke provincie', 'welke tien gemeenten'
        rf"\bwelke (?:(?:{NUMBER_WORDS}|\d+) )?(?:provincies?|gemeenten?|stad|steden|plaats)\b", q
    ):
        return "place"
    if re.search(r"\bstand van zaken\b|\bhoe staat het\b", q):
        return "status"
    if re.search(r"wanneer (?:spreek|spreekt|is er sprake|heet|noem)", q) or re.search(
        r"^\s*wat (?:is|zijn|betekent|betekenen|houdt|houden)\b|\bwat wordt .{0,40}bedoeld"
        r"|\bverstaa?t? .{0,40}\bonder\b|\bverstaan onder\b",
        q,
    ):
        return "definition"
    if re.search(r"\b(wanneer|welke datum|in welk jaar|per wanneer)\b", q):
        return "date"
    if re.search(r"\b(waarom|verklaring|oorzaak|reden|hoe komt het)\b", q):
        return "reason"
    if re.search(
        r"wat is er gebeurd|\bloopt\b|\bnog (?:open|steeds)\b"
        r"|\binmiddels\b|^\s*(?:is|zijn|kunnen|kan|wordt|worden) ",
        q,
    ):
        return "status"
    return ""


PERSON_Q = (
    r"\bwelke (?:minister|staatssecretaris|directeur|voorzitter|wethouder|kwartiermaker|persoon)"
    r"|\bdoor wie\b|\bnaam van de\b"
)

# A role that a person holds: 'wie is aangesteld als kwartiermaker', 'wie zit de regiegroep voor'.
ROLE_Q = (
    r"\b(?:minister|staatssecretaris|directeur|programmadirecteur|voorzitter|wethouder"
    r"|kwartiermaker|aangesteld|benoemd)\b|\bzit\b.*\bvoor\b"
)

# A body: a run of capitalised words ('Pluut & Partners', 'Vrije Universiteit Amsterdam',
# 'Zorginstituut Nederland') or a word that names one ('het Zorginstituut', 'de universiteit').
ORGANISATION_RE = re.compile(
    r"(?<![.?!:]\s)(?<!^)\b[A-Z][\w-]+(?:\s+(?:&\s+)?[A-Z][\w-]+)+"
    r"|\b\w*(?:[Uu]niversiteit|[Ii]nstituut|[Pp]artners|[Ss]tichting|[Pp]latform|[Bb]ureau"
    r"|[Aa]utoriteit|[Hh]ogeschool|[Vv]ereniging|[Kk]enniscentrum)\b"
)


SECTOR_RE = re.compile(rf"\b(?:{'|'.join(map(re.escape, SECTORS))})\b", re.IGNORECASE)

PROVINCE_RE = re.compile(rf"\b(?:{PROVINCES})\b")

PLACE_RE = re.compile(rf"\b(?:{PROVINCES})\b|\b(?:gemeente|provincie|regio) [A-Z]\w+")

NUMBER_WORD_RE = re.compile(rf"\b(?:{NUMBER_WORDS})\b", re.IGNORECASE)


DATE_RE = re.compile(rf"\b(20\d\d|{MONTHS}|kwartaal|q[1-4])\b", re.IGNORECASE)

# A person: initials and a surname, or a title or role followed by a name.
NAME_RE = re.compile(
    r"\b(?:[A-Z]\.\s?)+(?:(?:van|de|der|den|ter)\s+)*[A-Z][a-zé]+"
    r"|\b(?:de heer|mevrouw|dhr\.|mw\.|minister|staatssecretaris)\s+(?:(?:van|de|der)\s+)*"
    r"[A-Z][a-zé]+"
)

DEFINITION_RE = re.compile(
    r"\b(is een|zijn|er is sprake van|sprake van|wordt verstaan|betekent|houdt in|bedoeld|"
    r"gaat om|definitie|omvat)\b",
    re.IGNORECASE,
)

REASON_RE = re.compile(
    r"\b(omdat|doordat|vanwege|oorzaak|reden|mogelijk|daardoor|want|komt door|als gevolg|"
    r"verklaring|knelpunt|belemmer|aangezien|waardoor|zodat|(?:leidt|leiden)\b.{0,40}\btot)",
    re.IGNORECASE,
)

DAY_MONTH_RE = re.compile(rf"\b\d{{1,2}}\s+(?:{MONTHS})\b", re.IGNORECASE)


def required_answer_type(question: str) -> str:
    """The answer type evidence must hold: a number, person, actor, place or date; '' for
    reasons, definitions and status questions, which are worded in too many ways to require."""
    kind = answer_type(question)
    return "" if kind in {"reason", "definition", "status"} else kind


def has_answer_type(text: str, kind: str, question: str) -> bool:
    if kind == "number":
        # a figure, not a year or a day of the month
        plain = DAY_MONTH_RE.sub(" ", text)
        numbers = [n for n in re.findall(r"\d+(?:[.,]\d+)*", plain) if not YEAR_RE.fullmatch(n)]
        return bool(numbers or NUMBER_WORD_RE.search(text) or FRACTION_RE.search(text))
    if kind == "date":
        return bool(DATE_RE.search(text))
    if kind == "person":
        return bool(NAME_RE.search(text))
    if kind == "place":
        return bool(PLACE_RE.search(text))
    if kind == "actor":
        return bool(NAME_RE.search(text) or ORGANISATION_RE.search(text))
    if kind == "reason":
        return bool(REASON_RE.search(text))
    if kind == "definition":  # '… is een …', or the term with a colon: 'VV5-indicatie: …'
        words = [w for w in BM25_TOKEN_RE.findall(question.lower()) if w not in STOPWORDS]
        terms = "|".join(re.escape(w) for w in words if len(w) >= 3)
        glossary = terms and re.search(rf"(?:{terms})[\w-]*\s*:|\(=\s*(?:{terms})", text, re.I)
        return bool(DEFINITION_RE.search(text) or glossary)
    if kind == "status":  # a status says when: a date, a quarter, a year
        return bool(DATE_RE.search(text))
    return True
