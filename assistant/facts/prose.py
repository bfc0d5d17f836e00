"""Figures in running text and on slides: amounts, percentages, counts with their noun, dates.

The text is searched as one string (the document's lines joined by newlines), so a figure that
wraps ("€54" at the end of a line, "miljoen" two lines further) is still one figure, and `raw`
is always the exact slice of the document between its first and last character. What is not a
figure is skipped: years on their own, list and section numbers, footnote markers, page numbers,
numbers in URLs, phone numbers, dates without a year, chart axis ticks. A figure alone on a line
(a chart data label) keeps a low confidence and no subject: its pairing with a chart label is
not in the text.

Which numbers are figures, and their values, is decided in `assistant.facts.figure_spans`;
this module turns each into a `Fact` with its sentence, subject, measure and period.
"""

from __future__ import annotations

import bisect
import itertools
import re

from assistant.facts.figure_spans import (
    FIGURE_RE,
    MONTH,
    WORD_RE,
    Found,
    classify,
    mask,
    noun_phrase,
)
from assistant.facts.tables import DocView
from assistant.schema import Fact
from assistant.text.words import STOPWORDS

NOISE_RE = re.compile(r"<?https?://\S+|www\.\S+|<sup>.*?</sup>|[*_]{1,2}(?=\w)|(?<=\w)[*_]{1,2}")
MEASURES = [
    ("budget", ("budget", "beschikbaar", "plafond", "subsidieplafond", "begroot", "middelen")),
    ("aangevraagd", ("aangevraagd", "ingediend", "aanvraag", "aanvragen")),
    ("toegekend", ("toegekend", "verleend", "gehonoreerd", "vastgesteld")),
    ("besteed", ("besteed", "uitgegeven", "benut", "gebruikt", "ingezet", "mediabesteding")),
    ("taakstelling", ("taakstelling",)),
    ("aandeel", ("aandeel", "percentage", "procent")),
]
PERIOD_RE = re.compile(
    r"(?P<range>(?:19|20)\d\d\s*(?:[-–/]|t/m|tot en met|tot)\s*(?:19|20)\d\d)"
    r"|(?P<open>(?:t/m|tot en met|tot|vanaf|sinds)\s+(?:19|20)\d\d)"
    rf"|(?P<month>{MONTH}\s+(?:19|20)\d\d)"
    r"|(?P<quarter>Q[1-4]\s+(?:van\s+)?(?:19|20)\d\d)"
    r"|(?P<round>(?:tijdvak|ronde|tranche)\s+\d)"
    r"|(?P<nth>(?:eerste|tweede|derde|vierde|1e|2e|3e|4e)\s+(?:sub(?:sidie)?)?(?:tijdvak|ronde|tranche))"
    r"|(?P<year>(?<![\d.,])(?:19|20)\d\d(?![\d.,]\d))",
    re.IGNORECASE,
)
ORDINALS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "1e": 1, "2e": 2, "3e": 3, "4e": 4}
BOUNDARY_RE = re.compile(r"[.!?;](?=\s+[A-Z“\"‘(•\d€])|•|\n\s*o\s|\n\s*\d+\.\s")
PAGE_BREAK_RE = re.compile(r"\n(?= \S)|\n(?=#)")
LINE_BREAK_RE = re.compile(r"\n[ \t]*(?:\n[ \t]*)*(?=[A-Z“‘\"•])")
CLAUSE_SPLIT_RE = re.compile(
    r"[,;:()]|(?<!\btot)\s(?:en|maar|waarvan|terwijl|dus|want|vs\.?|versus)\s(?!met\b)"
)
# Another figure in the sentence: the subject of this one stops there.
OTHER_FIGURE_RE = re.compile(
    r"(?:€\s*)?\d[\d.,]*(?![^\W\d_])(?:\s*(?:%|miljoen|miljard|mln\.?|duizend|euro|,-))*",
    re.IGNORECASE,
)


def extract_prose(view: DocView) -> list[Fact]:
    text = "\n".join(view.doc.lines)
    masked = mask(text)
    # The same text with URLs and footnote markers blanked (same length): for sentences.
    clean = NOISE_RE.sub(lambda m: " " * len(m.group(0)), text)
    found: list[Found] = []
    for match in FIGURE_RE.finditer(text):
        if any(masked[i] for i in (match.start(), match.end() - 1)):
            continue
        item = classify(text, match)
        if item is not None:
            found.append(item)
    found = [f for f in found if _line_of(view, f.start) not in view.claimed]
    lone = _lone_figures(view, text, found)
    axis = _axis_ticks(lone)
    facts = []
    for item in found:
        if id(item) in axis:
            continue
        raw = text[item.start : item.end]
        facts.append(_to_fact(view, clean, item, raw=raw, alone=id(item) in lone))
    return facts


def _line_of(view: DocView, pos: int) -> int:
    """1-based number of the line holding character `pos`."""
    return bisect.bisect_right(view.doc.line_offsets, pos)


def _lone_figures(view: DocView, text: str, found: list[Found]) -> dict[int, Found]:
    """Figures that are the whole content of their line (chart data labels and axis ticks)."""
    lone = {}
    for item in found:
        line = view.line(_line_of(view, item.start))
        if line.strip() and line.strip() == text[item.start : item.end].strip():
            lone[id(item)] = item
    return lone


def _axis_ticks(lone: dict[int, Found]) -> set[int]:
    """Runs of three or more lone figures with evenly spaced values: a chart axis, not data."""
    items = sorted(lone.values(), key=lambda f: f.start)
    axis: set[int] = set()
    run: list[Found] = []

    def close() -> None:
        steps = {round(b.value - a.value, 6) for a, b in itertools.pairwise(run)}
        if len(run) >= 3 and len(steps) == 1 and steps != {0.0}:
            axis.update(id(f) for f in run)
        run.clear()

    for item in items:
        if run and (item.unit != run[-1].unit or item.start - run[-1].end > 40):
            close()
        run.append(item)
    close()
    return axis


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Character span of the sentence around [start, end), within ~300 characters each way.

    Besides punctuation, a page start and a Markdown heading, a line break before a capital
    ends a sentence (slide headings, chart captions, table cells such as 'Toelichting') unless
    the line before ends in a function word or a comma ('… van de' + 'Zorg van Nu').
    """
    lo, hi = max(0, start - 300), min(len(text), end + 300)
    cuts = [m.end() for m in BOUNDARY_RE.finditer(text, lo, start)]
    cuts += [m.start() + 1 for m in PAGE_BREAK_RE.finditer(text, lo, start)]
    s = max([lo, *cuts, *_line_breaks(text, lo, start)])
    stops = [m.start() + 1 for m in BOUNDARY_RE.finditer(text, end, hi)]
    stops += [m.start() + 1 for m in PAGE_BREAK_RE.finditer(text, end, hi)]
    e = min([hi, *stops, *_line_breaks(text, end, hi)])
    return s, e


def _line_breaks(text: str, lo: int, hi: int) -> list[int]:
    out = []
    for m in LINE_BREAK_RE.finditer(text, lo, hi):
        before = text[text.rfind("\n", 0, m.start()) + 1 : m.start()].strip()
        after_end = text.find("\n", m.end())
        after = text[m.end() : after_end if after_end >= 0 else len(text)].strip()
        last = (re.findall(r"\w+", before.lower()) or [""])[-1]
        if before and after and last not in STOPWORDS and not before.endswith((",", ":")):
            out.append(m.end())
    return out


NOT_SUBJECT = {"miljoen", "miljard", "mln", "duizend", "euro", "vs", "ca", "circa", "ruim"}


def _content(words: list[str]) -> list[str]:
    return [
        w
        for w in words
        if w.lower() not in STOPWORDS and w.lower() not in NOT_SUBJECT and not w[0].isdigit()
    ]


def _to_fact(view: DocView, text: str, item: Found, *, raw: str, alone: bool) -> Fact:
    """A Fact for a figure; `text` is the document with URLs and footnote marks blanked."""
    first, last = _line_of(view, item.start), _line_of(view, item.end - 1)
    s, e = _sentence(text, item.start, item.end)
    sentence = " ".join(text[s:e].split())
    whole_left = OTHER_FIGURE_RE.split(text[s : item.start])[-1]
    left = CLAUSE_SPLIT_RE.split(whole_left)[-1]
    right = CLAUSE_SPLIT_RE.split(OTHER_FIGURE_RE.split(text[item.end : e])[0])[0]
    if alone and item.kind != "date":
        subject, confidence = "", 0.3
    elif item.kind == "count":
        noun = noun_phrase(text, item.end, names=not raw.strip()[-1].isdigit())
        before = _content(WORD_RE.findall(left))[-4:] or _content(WORD_RE.findall(whole_left))[-4:]
        subject = " ".join(noun[:3]) or " ".join(before)
        confidence = 0.8 if noun else 0.6
    else:
        before = _content(WORD_RE.findall(left))[-6:]
        if len(before) < 2:
            sentence_left = _content(WORD_RE.findall(text[s : item.start]))
            before = (sentence_left[: -len(before)] if before else sentence_left)[-4:] + before
        after = _content(WORD_RE.findall(right))[:4]
        subject = " ".join([*before, *after])
        confidence = 0.9
    return view.fact(
        first,
        last,
        value=item.value,
        unit=item.unit,
        raw=raw,
        sentence=sentence,
        subject=subject,
        measure=_measure(item, left, right),
        period="" if alone else _period(text, (s, e), _clause(text, s, e, item), item),
        confidence=confidence,
    )


def _clause(text: str, s: int, e: int, item: Found) -> tuple[int, int]:
    left = CLAUSE_SPLIT_RE.split(text[s : item.start])[-1]
    right = CLAUSE_SPLIT_RE.split(text[item.end : e])[0]
    return item.start - len(left), item.end + len(right)


def _measure(item: Found, left: str, right: str) -> str:
    """What the figure measures, from the keyword nearest to it in its clause."""
    if item.kind == "date":
        return "datum"
    left, right = left.lower(), right.lower()
    best: tuple[int, str] | None = None
    for name, words in MEASURES:
        if name == "aandeel" and item.kind != "pct":
            continue
        for word in words:
            distances = [len(left) - m.end() for m in re.finditer(word, left)]
            distances += [m.start() for m in re.finditer(word, right)]
            if distances and (best is None or min(distances) < best[0]):
                best = (min(distances), name)
    if best:
        return best[1]
    return {"pct": "aandeel", "count": "aantal", "money": "bedrag"}.get(item.kind, "")


def _period(text: str, sentence: tuple[int, int], clause: tuple[int, int], item: Found) -> str:
    """The period expression nearest before the figure in its clause, else nearest after it in
    the clause; failing that the same in the whole sentence ('in 2019 € 28 miljoen, in 2020 …')."""
    if item.kind == "date":
        return ""
    for s, e in (clause, sentence):
        before: list[str] = []
        after: list[str] = []
        for m in PERIOD_RE.finditer(text, s, e):
            if m.end() <= item.start:
                before.append(_period_name(m))
            elif m.start() >= item.end:
                after.append(_period_name(m))
        if before or after:
            return before[-1] if before else after[0]
    return ""


def _period_name(m: re.Match[str]) -> str:
    value = " ".join(m.group(0).split())
    if m.group("range"):
        years = re.findall(r"(?:19|20)\d\d", value)
        return f"{years[0]}-{years[1]}"
    if m.group("nth"):
        first, *rest = value.lower().split()
        noun = re.sub(r"^sub(?:sidie)?", "", rest[-1])
        return f"{noun} {ORDINALS[first]}"
    return value.lower() if not m.group("quarter") else value.upper().replace(" VAN ", " ")
