"""Figures from tables, cell by cell, with their row and column; the shared document view.

Two table shapes occur in the corpus (chart-like lists and legends are in `factcharts`):
- numbered budget tables ("# Onderdeel 2023 … 2027 Struc Struc in", rows "6 Regiobudget … 40 40
  40 40 0 0 2027"), values in millions of euros; row labels carry stray PDF spaces that are
  repaired with a word list built from the rest of the corpus (`repair_label`);
- tables with year (or "2023 Q3") columns and one row per label ("Haaglanden 68,2% 66,1% …"), an
  optional "(x1.000)" factor in the header.

Every fact's `raw` is the cell text exactly as written in its line.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.schema import DocumentText, Fact
from assistant.text.numbers import NUMBER_PATTERN, parse_amount, parse_number

WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
YEAR_TOKEN = r"(?:19|20)[0-9]{2}"
PERIOD_COL_RE = re.compile(rf"{YEAR_TOKEN}(?:\s*Q[1-4])?\*?")
CELL_RE = re.compile(rf"(?:€\s*)?-?{NUMBER_PATTERN}(?:\s*(?:miljoen|mln\.?|duizend))?\s?%?")
# Short words that are real words even though they are short; other 1-2 letter pieces of a
# label are PDF fragments.
SHORT_WORDS = {"en", "in", "op", "of", "de", "te", "om", "na", "nu", "al", "er", "ze", "bv", "so"}
FACTOR_RE = re.compile(r"\(x\s*1[.,]?000\)", re.I)  # "(x1.000)": the cells count thousands
# "(x € 1 mln)", "bedragen in mln euro" above or in a header: the cells are millions of euros.
MILLIONS_RE = re.compile(r"x\s*€\s*1\s*(?:mln|miljoen)|(?:mln|miljoen)\s*euro|€\s*mln", re.I)
# Labels of enumerations, not of figures: "Actielijn 1", "Ronde 2", "Bijlage 3".
ENUM_LABELS = {
    "actielijn", "ronde", "tijdvak", "tranche", "bijlage", "fase", "stap", "versie", "editie",
    "week", "kwartaal", "pagina", "hoofdstuk", "regel", "vv",
}  # fmt: skip


@dataclass
class DocView:
    """A document with what the extractors share: per-line section/action line, word list."""

    doc: DocumentText
    sections: list[str]
    actielijnen: list[int]
    vocabulary: Counter[str] = field(default_factory=Counter)
    claimed: set[int] = field(default_factory=set)  # lines whose figures a table already took

    def line(self, number: int) -> str:
        return self.doc.lines[number - 1]

    def page(self, number: int) -> int | None:
        return self.doc.pages[number - 1]

    def fact(self, line_start: int, line_end: int, **values: object) -> Fact:
        """A Fact with document, page, section and action line filled in from the location."""
        values.setdefault("section", self.sections[line_start - 1])
        values.setdefault("actielijn", self.actielijnen[line_start - 1])
        values.setdefault("page", self.page(line_start))
        return Fact(
            doc_id=self.doc.info.doc_id,
            line_start=line_start,
            line_end=line_end,
            **values,  # type: ignore[arg-type]
        )


def build_vocabulary(texts: Iterable[str]) -> Counter[str]:
    """Frequencies (lowercase) of the words and word pairs ('zorg en') of running text, used
    to repair broken table labels."""
    counts: Counter[str] = Counter()
    for text in texts:
        words = [w.lower() for w in WORD_RE.findall(text)]
        counts.update(words)
        counts.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    return counts


def _is_word(token: str, vocab: Counter[str]) -> bool:
    word = "".join(WORD_RE.findall(token)).lower()
    if not word:
        return False
    if len(word) <= 2:
        return word in SHORT_WORDS
    return vocab[word] >= 1


def repair_label(label: str, vocab: Counter[str]) -> str:
    """Join PDF fragments of a label back into words: 'Pas sende zorg' -> 'Passende zorg'.

    Tokens are joined only when the joined form is a word of the corpus and at least one piece
    is not a word by itself, or the corpus writes the compound more often than the pieces side
    by side ('huis artsen' -> 'huisartsen', but 'zorg en' stays: the corpus has 'zorg en' far
    more often than 'zorgen'). Punctuation pieces ('incl .') are attached.
    """
    tokens = label.split()
    n = len(tokens)
    # best[i] = (cost, groups) for tokens[:i]; cost counts unrepaired fragments, then joins.
    best: list[tuple[float, list[str]] | None] = [None] * (n + 1)
    best[0] = (0.0, [])
    for i in range(n):
        if best[i] is None:
            continue
        cost_i, groups_i = best[i]  # type: ignore[misc]
        for j in range(i + 1, min(n, i + 5) + 1):
            parts = tokens[i:j]
            joined = "".join(parts)
            if j - i == 1:
                cost = 0.0 if _is_word(joined, vocab) or not WORD_RE.search(joined) else 1.0
            else:
                join = _join_cost(parts, vocab)
                if join is None:
                    continue
                cost = join
            candidate = (cost_i + cost, [*groups_i, joined])
            if best[j] is None or candidate[0] < best[j][0]:  # type: ignore[index]
                best[j] = candidate
    result = best[n][1] if best[n] else tokens  # type: ignore[index]
    return re.sub(r"\s+([.,;:)’'])", r"\1", " ".join(result))


def _join_cost(parts: list[str], vocab: Counter[str]) -> float | None:
    """Cost of writing `parts` as one word (None: not allowed); negative when it beats the
    pieces standing alone, which cost nothing when they are words."""
    joined = "".join(parts)
    if not WORD_RE.search(joined):
        return None
    if all(not WORD_RE.search(p) for p in parts[1:]):
        return -0.1  # trailing punctuation: 'incl' + '.'
    if not _is_word(joined, vocab):
        return None
    if any(not _is_word(p, vocab) for p in parts):
        return 0.01 * (len(parts) - 1)  # fragments: cheaper than leaving them (1 each)
    word = "".join(WORD_RE.findall(joined)).lower()
    pieces = " ".join("".join(WORD_RE.findall(p)).lower() for p in parts)
    return -0.1 if vocab[word] > vocab[pieces] else None


def extract_tables(view: DocView) -> list[Fact]:
    """Budget and period tables cell by cell; marks their lines in `view.claimed`."""
    return _budget_tables(view) + _period_tables(view)


# --- numbered budget tables -------------------------------------------------------------------

BUDGET_HEAD_RE = re.compile(
    rf"^#?\s*(?P<label>[^\d\s][^\d]*?)\s+(?P<years>(?:{YEAR_TOKEN}\s+){{2,}}{YEAR_TOKEN})"
    r"(?P<rest>(?:\s+[A-Za-z][\w.]*)+)\s*$"
)
BUDGET_ROW_RE = re.compile(
    r"^\s*(?P<num>\d{1,2})\s+(?P<label>\S.*?\D)\s+(?P<values>-?\d+(?:[.,]\d+)?(?:\s+-?\d+(?:[.,]\d+)?)+)\s*$"
)


def _column_names(rest: str) -> list[str]:
    """'Struc Struc in' -> ['Struc', 'Struc in']: a lowercase word belongs to the column before."""
    columns: list[str] = []
    for token in rest.split():
        if columns and token[:1].islower():
            columns[-1] = f"{columns[-1]} {token}"
        else:
            columns.append(token)
    return columns


def _budget_tables(view: DocView) -> list[Fact]:
    facts: list[Fact] = []
    lines = view.doc.lines
    for index, text in enumerate(lines):
        head = BUDGET_HEAD_RE.match(text)
        if not head or not re.search(r"\bStruc", head.group("rest")):
            continue
        years = head.group("years").split()
        columns = years + _column_names(head.group("rest"))
        view.claimed.add(index + 1)
        misses = 0
        for number in range(index + 2, len(lines) + 1):
            row = BUDGET_ROW_RE.match(lines[number - 1])
            if not row:
                misses += 1 if lines[number - 1].strip() else 0
                if misses > 1:
                    break
                continue
            values = row.group("values").split()
            if not len(years) <= len(values) <= len(columns):
                break
            misses = 0
            facts += _budget_row(view, number, row, columns)
    return facts


def _budget_row(view: DocView, number: int, row: re.Match[str], columns: list[str]) -> list[Fact]:
    view.claimed.add(number)
    line = view.line(number)
    label = repair_label(" ".join(row.group("label").split()), view.vocabulary)
    row_label = f"{row.group('num')} {label}"
    start = row.start("values")
    facts = []
    for column, token in zip(columns, row.group("values").split(), strict=False):
        pos = line.index(token, start)
        start = pos + len(token)
        raw = line[pos:start]
        value = parse_number(raw)
        if value is None:
            continue
        year_column = re.fullmatch(YEAR_TOKEN, column) is not None
        is_year_value = not year_column and column.lower().endswith(" in")
        if year_column:
            unit, period, measure = "mln euro", column, "budget (begroting)"
        elif is_year_value:
            unit, period, measure = "jaar", "structureel", "structureel vanaf jaar"
        else:
            unit, period, measure = "mln euro", "structureel", "structureel budget"
        facts.append(
            view.fact(
                number,
                number,
                value=value,
                unit=unit,
                raw=raw,
                sentence=" ".join(line.split()),
                subject=label,
                measure=measure,
                period=period,
                row_label=row_label,
                column=column,
                confidence=1.0,
            )
        )
    return facts


# --- tables with period columns -----------------------------------------------------------------


def _period_header(text: str) -> tuple[str, list[str]] | None:
    """(label, columns) of a header line such as '(x1.000)\t2020 Q1\t2021 Q1' or '2018 … 2022'."""
    cols = list(PERIOD_COL_RE.finditer(text))
    if len(cols) < 3:
        return None
    label = text[: cols[0].start()].strip(" #\t")
    between = PERIOD_COL_RE.sub("", text[cols[0].start() :])
    if between.strip(" \t") or re.search(r"\d", label.replace("1.000", "")):
        return None
    return label, [" ".join(c.group(0).rstrip("*").split()) for c in cols]


def _cells(text: str) -> tuple[str, list[re.Match[str]]] | None:
    """A row 'Label v1 v2 …' (or '6 Label v1 v2 …'): the label and the value matches, or None."""
    number = re.match(r"\s*\d{1,2}\s+(?=[^\W\d])", text)
    matches = list(CELL_RE.finditer(text, number.end() if number else 0))
    if not matches:
        return None
    label = text[: matches[0].start()].strip(" \t;:")
    tail = text[matches[0].start() :]
    if CELL_RE.sub("", tail).strip(" \t") or not WORD_RE.search(label):
        return None
    return label, matches


def _period_tables(view: DocView) -> list[Fact]:
    facts: list[Fact] = []
    lines = view.doc.lines
    for index, text in enumerate(lines):
        head = _period_header(text)
        if not head or (index + 1) in view.claimed:
            continue
        label, columns = head
        factor = 1000.0 if FACTOR_RE.search(label) else 1.0
        millions = bool(MILLIONS_RE.search(" ".join(lines[max(0, index - 3) : index + 1])))
        caption = caption_near(view, index + 1, index + 1) if not label or factor != 1.0 else label
        section = view.sections[index]
        topic = section.rsplit("–", 1)[-1].strip() if "–" in section else ""
        notes: list[str] = []
        misses = 0
        rows = 0
        for number in range(index + 2, min(len(lines), index + 200) + 1):
            if view.page(number) != view.page(index + 1):
                break
            row = _cells(lines[number - 1])
            if row is None or len(row[1]) != len(columns):
                if lines[number - 1].strip():
                    misses += 1
                    if rows == 0 and len(notes) < 6:
                        notes.append(" ".join(lines[number - 1].split()))
                if misses > (12 if rows == 0 else 3):
                    break
                continue
            misses = 0
            rows += 1
            measure = "; ".join(x for x in (" ".join(dict.fromkeys(notes)) or caption, topic) if x)
            facts += _period_row(view, number, row, columns, factor, caption, measure, millions)
    return facts


def _period_row(
    view: DocView,
    number: int,
    row: tuple[str, list[re.Match[str]]],
    columns: list[str],
    factor: float,
    caption: str,
    measure: str,
    millions: bool,
) -> list[Fact]:
    view.claimed.add(number)
    label, matches = row
    line = view.line(number)
    facts = []
    for column, match in zip(columns, matches, strict=True):
        raw = match.group(0).strip()
        amount = parse_amount(raw)
        if amount is None:
            continue
        value, unit = amount
        if unit != "%" and factor != 1.0:
            value = round(value * factor, 6)
        elif unit == "aantal" and millions:
            unit = "mln euro"
        subject = f"{label} ({measure})" if measure else label
        facts.append(
            view.fact(
                number,
                number,
                value=value,
                unit=unit,
                raw=raw,
                sentence=" ".join(line.split()),
                subject=subject,
                measure=measure or caption,
                period=column,
                row_label=label,
                column=column,
                confidence=0.9,
            )
        )
    return facts


# --- captions ----------------------------------------------------------------------------------

CAPTION_START_RE = re.compile(r"^(?:Percentage|Aandeel|Aantal|Verdeling|Overzicht|Tabel)\b[^.]*$")
CAPTION_PER_RE = re.compile(r"[^.]*\bper\s+\w+[^.]*$")


def caption_near(view: DocView, first: int, last: int, reach: int = 16) -> str:
    """The caption of lines first..last: a phrase such as 'Percentage aandeel verblijf per
    concessiehouder … in 2022' on the same page, just below (up to 6 lines) or above them."""
    page = view.page(first)
    below = [n for n in range(last + 1, min(len(view.doc.lines), last + 6) + 1)]
    above = list(range(first - 1, max(0, first - reach), -1))
    for pattern in (CAPTION_START_RE, CAPTION_PER_RE):
        for number in below + above:
            if view.page(number) != page:
                continue
            text = " ".join(view.line(number).split())
            for sentence in reversed(re.split(r"(?<=\.)\s+", text)):
                found = pattern.search(sentence)
                if found and len(found.group(0)) > 12 and not re.search(r"\d%", found.group(0)):
                    return _with_year(view, number, found.group(0).strip(" ."))
    return ""


def _with_year(view: DocView, number: int, caption: str) -> str:
    """Add a year standing alone in brackets on the next line ('(2025)') to a caption."""
    if re.search(rf"\b{YEAR_TOKEN}\b", caption):
        return caption
    for nxt in range(number + 1, min(len(view.doc.lines), number + 3) + 1):
        year = re.fullmatch(rf"\s*\(({YEAR_TOKEN})\)\s*", view.line(nxt))
        if year:
            return f"{caption} ({year.group(1)})"
    return caption
