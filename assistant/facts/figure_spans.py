"""Where the figures in running text are: amounts, percentages, counts with their noun, dates.

`FIGURE_RE` finds candidates in the document as one string; `classify` gives each its value,
unit and kind, or rejects it: years on their own, list and section numbers, enumerations
("ronde 4"), footnote markers, numbers in URLs, phone numbers, dates without a year. `mask`
blanks the spans whose numbers are never figures. What a figure says (sentence, subject,
measure, period) is decided in `assistant.facts.prose`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.numbers import NUMBER_PATTERN, parse_number, scaled
from assistant.text.vocabulary import MONTH_NUMBERS
from assistant.text.words import STOPWORDS

MONTH = "(?:" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\b"
WS = r"[ \t\u00a0]*(?:\n[ \t\u00a0]*){0,2}"  # blanks, at most one blank line in between
NUM = rf"(?<![\w.,/€’‘'\-]){NUMBER_PATTERN}(?![.,]?\d)"
SCALE = r"(?:miljoen|miljard|duizend|mln|mld)\b(?:\.(?=\s+(?-i:[a-z(])))?"
FIGURE_RE = re.compile(
    rf"(?P<money>€{WS}(?P<mnum>{NUMBER_PATTERN})(?![.,]?\d)(?:{WS}(?P<mscale>{SCALE}))?"
    rf"(?:{WS}euro\b)?(?:,-)?)"
    rf"|(?P<euro>(?P<enum>{NUM})(?:{WS}(?P<escale>{SCALE}))?{WS}euro\b)"
    rf"|(?P<date>(?<!\d)(?P<day>[0-3]?\d)\s+(?P<month>{MONTH})(?:\s+(?P<year>(?:19|20)\d\d))?)"
    rf"|(?P<dmy>(?<![\d-])[0-3]?\d-[01]?\d-(?:19|20)\d\d(?![\d-]))"
    rf"|(?P<pct>(?P<pnum>{NUM})\s?(?:%|procent\b))"
    rf"|(?P<scaled>(?P<snum>{NUM})\s(?P<sscale>{SCALE}))"
    rf"|(?P<plain>{NUM})(?![\w%/\-])",
    re.IGNORECASE,
)
# Spans whose numbers are not figures.
MASK_RE = re.compile(
    "|".join(
        [
            r"<?https?://\S+|www\.\S+",  # URLs
            r"<sup>.*?</sup>",  # footnote markers (Markdown)
            r"^#{1,6}\s.*$",  # Markdown headings: section numbers
            r"^\S.*\t\d+\s*$",  # table of contents: 'Actielijn 1: …<tab>4'
            r"\bQ[1-4]\b",  # quarters
            r"\(?x\s*€?\s*1(?:[.,]000|\s*(?:mln|miljoen))\)?",  # units: 'x € 1 mln', '(x1.000)'
            r"(?:artikel|art\.)\s+\S+",  # article numbers
            r"\b\d{4}\s?[A-Z]{2}\b",  # postcodes
            r"\b0\d{2,3}[\s-]?\d{6,7}\b|\b0\d{2,3}[\s-]\d{3}[\s-]?\d{2}[\s-]?\d{2}\b",  # phones
        ]
    ),
    re.MULTILINE | re.IGNORECASE,
)
ENUM_WORDS = {
    "ronde", "rondes", "tijdvak", "tranche", "versie", "actielijn", "actielijnen", "bijlage",
    "artikel", "fase", "editie", "stap", "hoofdstuk", "paragraaf", "pagina", "nr", "nummer",
    "lid", "week", "noot", "figuur", "tabel", "regel", "niveau", "monitor", "programmalijn",
    "vv", "wmo", "q", "covid", "kamerstuk", "kamerstukken", "postbus", "indicatie",
    "indicaties", "profiel", "zorgprofiel",
}  # fmt: skip
MONEY_WORDS = {
    "subsidie", "subsidies", "verleend", "aangevraagd", "beschikbaar", "budget", "bedrag",
    "euro", "toegekend", "besteed", "uitgegeven", "geïnvesteerd", "gereserveerd", "kosten",
    "omvang", "middelen", "investering", "investeringen", "bijdrage", "taakstelling",
}  # fmt: skip
# '… actielijnen 4 en 5', 'ronde 2, 3 en 4': the later numbers of an enumeration.
ENUM_LIST_RE = re.compile(
    r"\b(?:" + "|".join(sorted(ENUM_WORDS)) + r")\s+\d+(?:\s*(?:,|en|of|t/m|tot)\s*\d+)*"
    r"\s*(?:,|en|of|t/m|tot)\s*$",
    re.IGNORECASE,
)
PART_OF_RE = re.compile(r"[ \t]+van[ \t]+(?:de[ \t]+)?\d[\d.]*(?![\d,])")
WORD_RE = re.compile(r"[^\W\d_][\w’'\-/&]*|\d+[\w\-]*[^\W\d_]\w*", re.UNICODE)


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    value: float
    unit: str
    kind: str  # money | pct | count | date


def mask(text: str) -> bytearray:
    masked = bytearray(len(text) + 1)
    for match in MASK_RE.finditer(text):
        masked[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    return masked


def classify(text: str, m: re.Match[str]) -> Found | None:
    """Value, unit and kind of one match of FIGURE_RE; None when it is not a figure."""
    if m.group("money") is not None:
        number = parse_number(m.group("mnum"))
        if number is None:
            return None
        return Found(m.start(), m.end(), scaled(number, m.group("mscale") or ""), "euro", "money")
    if m.group("euro") is not None:
        number = parse_number(m.group("enum"))
        value = scaled(number, m.group("escale") or "") if number is not None else None
        return None if value is None else Found(m.start(), m.end(), value, "euro", "money")
    if m.group("date") is not None or m.group("dmy") is not None:
        return _date(m)
    if m.group("pct") is not None:
        number = parse_number(m.group("pnum"))
        return None if number is None else Found(m.start(), m.end(), number, "%", "pct")
    if m.group("scaled") is not None:
        number = parse_number(m.group("snum"))
        if number is None:
            return None
        unit = _scaled_unit(text, m.end())
        value = scaled(number, m.group("sscale"))
        return Found(m.start(), m.end(), value, unit, "money" if unit == "euro" else "count")
    if m.group("plain") is not None:
        return _count(text, m)
    return None


def _date(m: re.Match[str]) -> Found | None:
    if m.group("dmy"):
        day, month, year = (int(x) for x in m.group("dmy").split("-"))
    else:
        if not m.group("year"):
            return None
        day, month, year = (
            int(m.group("day")),
            MONTH_NUMBERS[m.group("month").lower()],
            int(m["year"]),
        )
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return Found(m.start(), m.end(), float(year * 10000 + month * 100 + day), "datum", "date")


def _next_words(text: str, pos: int, n: int = 4) -> list[str]:
    """Up to n words after pos, stopping at punctuation that ends a phrase."""
    tail = text[pos : pos + 120]
    tail = re.split(r"[.;:()!?,]|\n\s*\n\s*\n|\n\s*(?=[A-Z])", tail, maxsplit=1)[0]
    return WORD_RE.findall(tail)[:n]


def noun_phrase(text: str, pos: int, *, names: bool = False) -> list[str]:
    """The words right after a count up to the first stopword: '300 gehonoreerde aanvragen'.

    A capitalised word is a new sentence or a heading, not the noun of the count (except
    'STOZ-aanvragen', or a name after a scaled count: '4 miljoen Nederlanders'); a month name
    makes it a date.
    """
    out: list[str] = []
    for word in _next_words(text, pos, 4):
        low = word.lower()
        if low in STOPWORDS or low in MONTH_NUMBERS or low in {"x", "keer"}:
            break
        if not (out or names) and word[0].isupper() and not re.match(r"[A-Z]{2,}-\w", word):
            break
        out.append(word)
    return out


def _prev_word(text: str, pos: int) -> str:
    words = re.findall(r"[\w/]+", text[max(0, pos - 30) : pos])
    return words[-1].lower() if words else ""


def _scaled_unit(text: str, end: int) -> str:
    """'97 mln subsidie' is money, '5 mln. mantelzorgers' a count; else the sentence decides."""
    words = _next_words(text, end, 1)
    if words:
        word = words[0].lower()
        if word in MONEY_WORDS:
            return "euro"
        if word not in STOPWORDS and word not in MONTH_NUMBERS:
            return "aantal"
    window = text[max(0, end - 200) : end + 120].lower()
    if "€" in window or any(w in window for w in MONEY_WORDS):
        return "euro"
    return "aantal"


def _count(text: str, m: re.Match[str]) -> Found | None:
    raw = m.group(0)
    value = parse_number(raw)
    if value is None:
        return None
    grouped = bool(re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw))
    if re.fullmatch(r"(?:19|20)\d\d", raw) or (not grouped and not value.is_integer()):
        return None  # a year, or a decimal without unit (a version, '1,5 lijnszorg')
    enumeration = ENUM_LIST_RE.search(text, max(0, m.start() - 80), m.start())
    if _prev_word(text, m.start()) in ENUM_WORDS or enumeration:
        return None  # "ronde 4", "actielijnen 4 en 5"
    line_start = text.rfind("\n", 0, m.start()) + 1
    after = text[m.end() : m.end() + 2]
    if not text[line_start : m.start()].strip(" \t•-") and re.match(r"[.)]|\s[A-Z]", after):
        return None  # a list or item number: '2. Er worden …', '1 Scheiden van wonen'
    part = PART_OF_RE.match(text, m.end())
    if part and noun_phrase(text, part.end()):
        # "In 19 van de 35 regio's": the figure is 19 (of 35), raw "19 van de 35"
        return Found(m.start(), part.end(), value, "aantal", "count")
    noun = bool(noun_phrase(text, m.end()))
    if noun or value >= 1000 or grouped:
        return Found(m.start(), m.end(), value, "aantal", "count")
    return None
