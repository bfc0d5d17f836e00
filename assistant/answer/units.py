"""What a figure must be: the asked unit (money, share), the counted noun, the listed noun.

'hoeveel zorgprofessionals' asks for a number that counts zorgprofessionals, 'welk percentage'
for a share, 'hoeveel geld' for an amount; `counts` says whether a text holds such a figure.
"""

from __future__ import annotations

import re

from assistant.text.vocabulary import MONEY_WORDS, NUMBER_WORDS, PERCENT_WORDS
from assistant.text.words import STOPWORDS, YEAR_RE, stem, synonym_stems, tokens

MONEY_STEMS = {stem(w) for w in MONEY_WORDS}
PERCENT_STEMS = {stem(w) for w in PERCENT_WORDS}

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
