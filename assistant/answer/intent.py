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
from collections.abc import Iterable
from functools import lru_cache

from assistant.text.words import BM25_TOKEN_RE, STOPWORDS, YEAR_RE, stem, synonym_stems, tokens

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

PROVINCES = (
    "Groningen|Friesland|Fryslân|Drenthe|Overijssel|Flevoland|Gelderland|Utrecht|Noord-Holland"
    "|Zuid-Holland|Zeeland|Noord-Brabant|Limburg"
)

# Care sectors other than the elderly care these documents are about, and how the documents
# also write them.
SECTORS = {
    "ggz": r"\bggz\b|geestelijke gezondheidszorg",
    "jeugd-ggz": r"\bjeugd-ggz\b",
    "jeugdzorg": r"\bjeugdzorg\b",
    "gehandicaptenzorg": r"\bgehandicaptenzorg\b",
    "kraamzorg": r"\bkraamzorg\b",
    "ziekenhuiszorg": r"\bziekenhuiszorg\b|\bziekenhuizen\b",
    "huisartsenzorg": r"\bhuisartsenzorg\b|\bhuisartsen\b",
}
SECTOR_RE = re.compile(rf"\b(?:{'|'.join(map(re.escape, SECTORS))})\b", re.IGNORECASE)

PROVINCE_RE = re.compile(rf"\b(?:{PROVINCES})\b")

PLACE_RE = re.compile(rf"\b(?:{PROVINCES})\b|\b(?:gemeente|provincie|regio) [A-Z]\w+")

# Numbers the documents write as words ('in drie regio's', 'dertig Prettig Thuis Teams').
NUMBER_WORDS = (
    "twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|vijftien|twintig|dertig|veertig"
    "|vijftig|zestig|zeventig|tachtig|negentig|honderd|duizend|honderden|duizenden"
)
NUMBER_WORD_RE = re.compile(rf"\b(?:{NUMBER_WORDS})\b", re.IGNORECASE)

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
    r"verklaring|knelpunt|belemmer|aangezien|waardoor|zodat|(?:leidt|leiden)\b.{0,40}\btot)",
    re.IGNORECASE,
)

DAY_MONTH_RE = re.compile(rf"\b\d{{1,2}}\s+(?:{MONTHS})\b", re.IGNORECASE)


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


ORDINALS = {
    "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5,
    "zesde": 6, "zevende": 7, "achtste": 8, "negende": 9, "tiende": 10,
}  # fmt: skip


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
    return [pattern for _, pattern in _details(question, tuple(document_words))]


def ordinal_terms(question: str, text: str) -> set[str]:
    """Stems of the question's ordinals that `text` says in another way ('tweede' when the
    text has 'tijdvak 2'): found, for coverage, like any other word."""
    return {stem(word) for word, pattern in _details(question, ()) if word and pattern.search(text)}


@lru_cache(maxsize=1024)
def _details(
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


COUNTED_RE = re.compile(
    r"\bhoeveel\s+(?:(?:extra|nieuwe|meer|andere|verschillende)\s+)?([^\W\d_]{3,}[\w-]*)", re.I
)
MONEY_RE = re.compile(
    r"€\s*\d|\d[\d.,]*\s*(?:mln|miljoen|miljard|euro)\b|\bin (?:miljoenen|miljarden) euro\b", re.I
)
FRACTION_RE = re.compile(r"\b(?:de helft|(?:drie)?kwart|twee derde|een derde|meerderheid)\b", re.I)
PERCENT_RE = re.compile(rf"\d\s*%|\bprocent|{FRACTION_RE.pattern}", re.I)
# a number on its own: not the 4 of 'VV4-indicatie' or the 2 of 'Q2'
STANDALONE_NUMBER_RE = re.compile(
    rf"(?<![\w-])\d+(?:[.,]\d+)*(?![\w-])|\b(?:{NUMBER_WORDS})\b", re.IGNORECASE
)
COUNTED_SPAN = 6  # words between a figure and what it counts
NOT_COUNTED = {"investeert", "investeerde", "bedroeg", "bedroegen", "bedraagt", "kost", "kostte",
               "kosten", "levert", "leverde", "gaat", "ging", "telt", "telde"}  # fmt: skip
MONEY_Q_RE = re.compile(
    r"\b(?:welk|hoeveel|wat is het|wat was het)\s+(?:\w*bedrag|geld|budget|subsidie|euro)"
    r"|\bin euro|\bhoeveel (?:miljoen )?euro"
    r"|\bhoeveel .{0,30}\b(?:begroot|uitgetrokken|uitgegeven)"
    r"|\bwat (?:kost|kosten|kostte|kostten)\b|\b\w*tarief\b|\bwat (?:heeft|hebben|heb) .{0,60}"
    r"\b(?:betaald|gekost|uitgegeven)\b",
    re.IGNORECASE,
)
PERCENT_Q_RE = re.compile(
    r"\b(?:welk percentage|hoeveel procent|welk aandeel|welk (?:deel|gedeelte) van)\b", re.I
)


LISTED_RE = re.compile(
    rf"\b(?:welke|wat (?:zijn|waren) de)\s+(?:(?:{NUMBER_WORDS}|\d+|belangrijkste)\s+)?"
    r"([^\W\d_]{3,}[\w'’-]*)",
    re.I,
)


def listed_noun(question: str) -> str:
    """The stem of what 'welke X' or 'wat zijn de X' asks to name ('Wat zijn de thema's van de
    campagne?': 'thema'; 'Welke vier projecten …': 'project'), or ''."""
    match = LISTED_RE.search(question)
    if not match:
        return ""
    word = re.sub(r"['’]s$", "", match.group(1).lower())  # 'thema's'
    word = word.rsplit("-", 1)[-1]  # 'koploper-projecten': what is named is the last part
    return "" if word in STOPWORDS else stem(word)


def counted_noun(question: str) -> str:
    """The stem of what 'hoeveel' counts ('hoeveel extra wijkverpleegkundigen', 'hoeveel
    DOS-experimenten': 'experiment'), or ''."""
    match = COUNTED_RE.search(question)
    if not match:
        return ""
    word = match.group(1)
    if "-" in word:  # 'STOZ-aanvragen': what is counted is the last part
        word = word.rsplit("-", 1)[1]
    if not word or word[0].isupper() or word.lower() in STOPWORDS or word.lower() in NOT_COUNTED:
        return ""  # 'hoeveel Zorg van Nu-punten': a name; 'hoeveel investeert …': a verb
    return stem(word.lower())


def asked_unit(question: str) -> str:
    """'euro' for a question about money ('hoeveel geld', 'welk huurbedrag'), '%' for one about
    a share ('welk percentage'), else '' (a count, or anything)."""
    noun = counted_noun(question)
    if PERCENT_Q_RE.search(question) or any(g in PERCENT_STEMS for g in synonym_stems(noun)):
        return "%"
    if MONEY_Q_RE.search(question) or any(g in MONEY_STEMS for g in synonym_stems(noun)):
        return "euro"
    return ""


def counts(noun: str, text: str, unit: str = "") -> bool:
    """A figure in `text` is of the asked kind: money for `unit` 'euro', a share for '%'; and
    for a `noun` other than 'geld' or 'procent', a number (not a year or an age) within a few
    words of the noun (or a synonym, or a compound holding it)."""
    if unit == "euro" and not MONEY_RE.search(text):
        return False
    if unit == "%" and not PERCENT_RE.search(text):
        return False
    group = synonym_stems(noun)
    if not noun or any(g in MONEY_STEMS or g in PERCENT_STEMS for g in group):
        return True  # 'hoeveel geld': any amount; 'hoeveel mediabudget': one that says media
    for match in STANDALONE_NUMBER_RE.finditer(text):
        if YEAR_RE.fullmatch(match.group(0)):
            continue
        after = tokens(text[match.end() : match.end() + 200])
        if after[:1] == ["jaar"] and noun != "jar":
            continue  # '55 jaar of ouder': an age, not a count
        before = tokens(text[max(0, match.start() - 200) : match.start()])
        near = [stem(w) for w in before[-COUNTED_SPAN:] + after[:COUNTED_SPAN]]
        if any(g == s or (len(g) >= 5 and g in s) for g in group for s in near):
            return True
    return False
