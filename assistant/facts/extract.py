"""Extracting the figures of a document: table cells, chart values and figures in running text.

Three extractors run in turn: `facts.tables` (table cells), `facts.charts` (label/value lists,
chart legends) and `facts.prose` (amounts, percentages, counts and dates in running text); a
line a table or chart took is not read again as prose. Each line's section and action line
come from the chunker.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from assistant.facts.charts import extract_charts
from assistant.facts.prose import extract_prose
from assistant.facts.tables import DocView, build_vocabulary, extract_tables
from assistant.ingest.chunking import chunk_document
from assistant.schema import DocumentText, Fact

ACTIELIJN_HEAD_RE = re.compile(r"^\s?#*\s*Actielijn\s+(\d)\b")


def extract_facts(doc: DocumentText, *, vocabulary: Counter[str] | None = None) -> list[Fact]:
    """All figures of one document, in document order.

    `vocabulary` (word counts of the corpus, see `corpus_vocabulary`) repairs broken table
    labels; without it the document's own running text is the word list. `build_fact_table`
    passes the whole corpus's.
    """
    if vocabulary is None:
        vocabulary = corpus_vocabulary([doc])
    sections, actielijnen = _line_sections(doc)
    view = DocView(doc, sections, actielijnen, vocabulary)
    facts = extract_tables(view) + extract_charts(view) + extract_prose(view)
    return sorted(facts, key=lambda f: (f.line_start, f.line_end))  # stable: order in line


def corpus_vocabulary(docs: Iterable[DocumentText]) -> Counter[str]:
    """Word counts of the running text of `docs` (table rows left out: they hold fragments)."""
    return build_vocabulary(
        line for doc in docs for line in doc.lines if len(re.findall(r"\d+", line)) < 4
    )


def _line_sections(doc: DocumentText) -> tuple[list[str], list[int]]:
    """Section title and action line (0 = unknown) of every line, from the chunker."""
    n = len(doc.lines)
    sections: list[str | None] = [None] * n
    actielijnen = [0] * n
    for chunk in chunk_document(doc):
        for i in range(chunk.line_start - 1, min(chunk.line_end, n)):
            sections[i] = chunk.section
            actielijnen[i] = chunk.actielijn
    current, heading = "", 0
    for i in range(n):
        head = ACTIELIJN_HEAD_RE.match(doc.lines[i])
        if head:
            heading = int(head.group(1))
        found = sections[i]
        if found is not None:
            current = found
        sections[i] = current
        if not actielijnen[i]:
            actielijnen[i] = heading
    return [s or "" for s in sections], actielijnen
