"""What a question asks for, and whether a text holds that kind of answer.

A question asks for a type of answer (a number for 'hoeveel', a person for 'welke minister', a
person or a body for 'wie onderzoekt', a place for 'welke provincie', a date for 'wanneer'), may
pick one of a series by a year, a province or an ordinal ('in 2026', 'in Zeeland', 'de derde
ronde'), may name what a figure must count ('hoeveel zorgprofessionals'), may ask to define a
term ('Wat houdt LAT in?') and may be several questions in one ('Wie …, en wanneer …?').
Abstention (assistant.evidence) and quoting (assistant.answer) both read questions this way.
"""

from __future__ import annotations

import re

from assistant.lexicon import BM25_TOKEN_RE, STOPWORDS, YEAR_RE, stem, synonym_stems, tokens

MONEY_STEMS = {
    stem(w) for w in ("geld", "budget", "bedrag", "euro", "subsidie", "middelen", "miljoen")
}
PERCENT_STEMS = {stem(w) for w in ("procent", "percentage", "aandeel", "deel")}


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
    if re.search(
        r"\bwat (?:is|was|zijn|waren)\b.{0,30}\b(budget|bedrag|aantal|omvang|hoogte)\b", q
    ):
        return "number"
    if re.search(PERSON_Q, q) or re.match(rf"\s*wie (?:is|was|zijn|waren)\b|.*{ROLE_Q}", q):
        return "person"
    if re.match(r"\s*wie\b", q):  # 'wie onderzoekt …', 'wie heeft … gemaakt': a person or body
        return "actor"
    if re.search(r"\bwelke (?:provincie|provincies|gemeente|gemeenten|stad|steden|plaats)\b", q):
        return "place"
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
        r"stand van zaken|hoe staat het|wat is er gebeurd|\bloopt\b|\bnog (?:open|steeds)\b"
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

PROVINCES = (
    "Groningen|Friesland|Fryslân|Drenthe|Overijssel|Flevoland|Gelderland|Utrecht|Noord-Holland"
    "|Zuid-Holland|Zeeland|Noord-Brabant|Limburg"
)

PROVINCE_RE = re.compile(rf"\b(?:{PROVINCES})\b")

PLACE_RE = re.compile(rf"\b(?:{PROVINCES})\b|\b(?:gemeente|provincie|regio) [A-Z]\w+")

MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"

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
    r"verklaring|knelpunt|belemmer)",
    re.IGNORECASE,
)

DAY_MONTH_RE = re.compile(rf"\b\d{{1,2}}\s+(?:{MONTHS})\b", re.IGNORECASE)


def has_answer_type(text: str, kind: str, question: str) -> bool:
    if kind == "number":
        # a figure, not a year or a day of the month
        plain = DAY_MONTH_RE.sub(" ", text)
        numbers = [n for n in re.findall(r"\d+(?:[.,]\d+)*", plain) if not YEAR_RE.fullmatch(n)]
        return bool(numbers)
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


ORDINALS = {
    "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5,
    "zesde": 6, "zevende": 7, "achtste": 8, "negende": 9, "tiende": 10,
}  # fmt: skip


# After an ordinal, words that do not pick one of a series: 'de Tweede Kamer', 'de eerste twee
# rondes', 'de eerste uitkomsten' (the earliest results, not result number one).
NOT_A_SERIES = {"kamer", "twee", "drie", "vier", "vijf", "zes", "helft"}
NOT_A_SERIES_STEMS = ("uitkomst", "resulta", "stap", "ervaring", "effect", "bevinding", "signal")


def asked_details(question: str) -> list[re.Pattern[str]]:
    """What evidence must say to answer this question and not a neighbouring one.

    A year ('in 2026'), a province ('in Zeeland') and an ordinal ('de derde ronde', also written
    'ronde 3' or '3e') name which of several similar things is asked about; a passage about
    another year, region or round is the typical near miss.
    """
    out = [re.compile(rf"\b{year}\b") for year in dict.fromkeys(YEAR_RE.findall(question))]
    # a province picks one region of many, like a year picks one of many years
    out += [re.compile(rf"\b{p}\b") for p in dict.fromkeys(PROVINCE_RE.findall(question))]
    for word, noun in re.findall(r"\b([a-z]+)(?=\s+([a-z]{4,}))", question.lower()):
        if word not in ORDINALS or noun in NOT_A_SERIES or noun.startswith(NOT_A_SERIES_STEMS):
            continue
        n, root, tail = ORDINALS[word], noun[:5], noun.rstrip("s")[-5:]
        if root == "kwart":  # 'het eerste kwartaal' is also 'Q1'
            out.append(re.compile(rf"\b(?:{word}\s+kwart|Q{n}\b|{n}e\s+kwart)", re.I))
            continue
        # 'de derde ronde', 'de 3e ronde', 'ronde 3'; 'het eerste tijdvak' for 'aanvraagtijdvak'
        out.append(
            re.compile(
                rf"\b(?:{word}|{n}(?:e|de|ste))\s+(?:\w+\s+)?\w*(?:{root}|{tail})"
                rf"|\b\w*(?:{root}|{tail})\w*\s+{n}\b",
                re.I,
            )
        )
    return out


COUNTED_RE = re.compile(
    r"\bhoeveel\s+(?:(?:extra|nieuwe|meer|andere|verschillende)\s+)?([^\W\d_]{3,})", re.I
)
MONEY_RE = re.compile(r"€\s*\d|\d[\d.,]*\s*(?:mln|miljoen|miljard|euro)\b", re.I)
PERCENT_RE = re.compile(r"\d\s*%|\bprocent", re.I)
NUMBER_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*")
COUNTED_SPAN = 6  # words between a figure and what it counts
NOT_COUNTED = {"investeert", "investeerde", "bedroeg", "bedroegen", "bedraagt", "kost", "kostte",
               "kosten", "levert", "leverde", "gaat", "ging", "telt", "telde"}  # fmt: skip


def counted_noun(question: str) -> str:
    """The stem of what 'hoeveel' counts ('hoeveel extra wijkverpleegkundigen'), or ''."""
    match = COUNTED_RE.search(question)
    if not match:
        return ""
    word = match.group(1)
    if word[0].isupper() or word.lower() in STOPWORDS or word.lower() in NOT_COUNTED:
        return ""  # 'hoeveel Zorg van Nu-punten': a name; 'hoeveel investeert …': a verb
    return stem(word.lower())


def counts(noun: str, text: str) -> bool:
    """A figure in `text` counts `noun`: the noun (or a synonym, or a compound holding it) is
    within a few words of a number that is not a year; money and shares by their signs."""
    group = synonym_stems(noun)
    if any(g in MONEY_STEMS for g in group) and MONEY_RE.search(text):
        return True
    if any(g in PERCENT_STEMS for g in group) and PERCENT_RE.search(text):
        return True
    words = tokens(text)
    stems = [stem(w) for w in words]
    for i, word in enumerate(words):
        if not NUMBER_TOKEN_RE.fullmatch(word) or YEAR_RE.fullmatch(word):
            continue
        near = stems[max(0, i - COUNTED_SPAN) : i + COUNTED_SPAN + 1]
        if any(g == s or (len(g) >= 5 and g in s) for g in group for s in near):
            return True
    return False
