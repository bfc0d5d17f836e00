"""Numbered table rows: their labels, a searchable description, and words the PDF split.

The investments table of the corpus is a PDF extraction whose labels come out with spaces
inside words ("Pas sende zorg"); `repair_spacing` joins them using the corpus's word counts.
"""

from __future__ import annotations

import re
from collections import Counter

from bm25s.stopwords import STOPWORDS_DUTCH

from assistant.ingest.lines import TABLE_ROW_RE, Line

STOPWORDS_DUTCH_SET = set(STOPWORDS_DUTCH)


def table_row_labels(lines: list[Line], vocabulary: Counter[str]) -> dict[str, str]:
    """The labels of a numbered table's rows: {'5': 'Compensatie aanbieders bouwplannen …'}."""
    rows = {}
    for line in lines:
        parts = _row_parts(line.text, vocabulary) if TABLE_ROW_RE.match(line.text) else None
        if parts:
            rows[parts[0]] = parts[1]
    return rows


def _row_parts(row: str, vocabulary: Counter[str]) -> tuple[str, str, list[str]] | None:
    """'6 Regiobudget … 40 40 0 2027' -> ('6', 'Regiobudget …', ['40', '40', '0', '2027'])."""
    match = re.match(r"^\s*(\d{1,2})\s+(.*?)((?:\s+\d+(?:[.,]\d+)?)+)\s*$", row)
    if not match:
        return None
    return match.group(1), repair_spacing(match.group(2), vocabulary), match.group(3).split()


def describe_table_row(row: str, header: str, vocabulary: Counter[str]) -> str:
    """'6 Regiobudget … 40 40 40 40 0 0 2027' -> 'Regiobudget …: 2023 40; 2024 40; …'."""
    parts = _row_parts(row, vocabulary)
    if not parts:
        return row
    number, label, values = parts
    columns = re.findall(r"20\d\d|Struc in|Struc", header) or [str(i) for i in range(len(values))]
    named = {"Struc": "structureel", "Struc in": "structureel vanaf"}
    cells = "; ".join(
        f"{named.get(col, col)} {value}" for col, value in zip(columns, values, strict=False)
    )
    return f"rij {number} {label}: {cells} (bedragen in miljoenen euro)"


def repair_spacing(text: str, vocabulary: Counter[str]) -> str:
    """Join PDF-split words ('Pas sende zorg en inzicht in kwal i tei t') using word counts.

    Pieces are joined when the joined word occurs in the corpus and is at least as common as
    the rarest piece ('pas'+'sende' -> 'passende'), not when both pieces are common words that
    happen to form a rarer one ('zorg'+'en').
    """
    words = text.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        best = 1
        for j in range(min(len(words), i + 5), i + 1, -1):
            pieces = [w.lower().strip("‘’'()") for w in words[i:j]]
            joined = "".join(pieces)
            rarest = min(
                0 if p not in vocabulary and p not in STOPWORDS_DUTCH_SET else vocabulary[p] or 999
                for p in pieces
            )
            if vocabulary[joined] and vocabulary[joined] >= rarest:
                best = j - i
                break
        out.append("".join(words[i : i + best]))
        i += best
    return " ".join(out)


def word_counts(texts: list[str]) -> Counter[str]:
    """Word frequencies used to repair words split by the PDF extraction."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(re.findall(r"[^\W\d_]{2,}", text.lower()))
    return counts
