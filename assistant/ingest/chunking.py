"""Structure-aware splitting of a document into chunks with page/section/line metadata.

The documents are PDF slide extractions (pages recovered in corpus.py, page titles such as
"Actielijn 3: Scheiden Wonen en Zorg – Kwantitatieve duiding"), one Markdown report and one
table. A chunk is a run of whole lines: it does not cross a page or section boundary unless the
chunk so far is too small to stand alone, it keeps a table whole, and only a single line longer
than the target size (Markdown paragraphs) is cut, at sentence ends. Chunk text keeps the
document's lines as they are (blank lines too), so line `i` of a chunk is `line_start + i` and a
citation can point at exact lines inside it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any

from assistant.ingest.lines import TABLE_HEAD_RE, TABLE_ROW_RE, Line, annotate
from assistant.ingest.tablerows import describe_table_row, table_row_labels, word_counts
from assistant.schema import Chunk, DocumentText

CHUNKER_VERSION = "6"  # 6: a table row's context holds the start of its note
NOTE_CONTEXT_CHARS = 400  # of a row's note, in the row's context
CONTEXT_SEPARATOR = " | "  # between a chunk's own context and what `with_context` adds

# "Toelichting per regel: 5. De maatregel …": the note on row 5 of the document's table
NOTE_RE = re.compile(r"^\s*(\d{1,2})\.\s+\S")
SENTENCE_END_RE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9“\"‘'(•\-])")
BLOCK_CONTINUE_CHARS = 1000  # a wrapped sentence joins a block only this long


def chunk_document(
    doc: DocumentText, chunk_chars: int = 2000, vocabulary: Counter[str] | None = None
) -> list[Chunk]:
    """Split a document into chunks of about `chunk_chars` characters (see module doc).

    `vocabulary` (word counts of the whole corpus, see `word_counts`) helps repair table labels
    split by the PDF extraction; without it the document's own words are used.
    """
    lines = annotate(doc)
    min_chars = max(200, chunk_chars // 5)
    chunks: list[Chunk] = []
    current: list[Line] = []

    def size(ls: list[Line]) -> int:
        return sum(len(x.text) + 1 for x in ls)

    def flush() -> None:
        while current and not current[-1].text.strip():
            current.pop()
        while current and not current[0].text.strip():
            current.pop(0)
        if current:
            made = _make_chunks(doc, current, chunk_chars, len(chunks))
            chunks.extend(replace(c, context=note) if note else c for c in made)
        current.clear()

    header = ""
    vocabulary = vocabulary if vocabulary is not None else word_counts(list(doc.lines))
    rows = table_row_labels(lines, vocabulary)
    note = ""  # what `current` is a note on ('rij 5 Compensatie …'), or ''
    for block in _split_at_notes(_blocks(lines), rows):
        first = block[0]
        if first.is_table and sum(bool(TABLE_ROW_RE.match(x.text)) for x in block) >= 2:
            flush()
            note = ""
            for line in block:
                if TABLE_HEAD_RE.match(line.text):
                    header = line.text.lstrip("# ").strip()
                elif line.text.strip():
                    chunks.append(_table_row_chunk(doc, line, header, vocabulary))
            continue
        match = NOTE_RE.match(first.text) if rows else None
        if match and match.group(1) in rows:  # a note on a row starts a chunk of its own
            flush()
            note = f"Toelichting bij rij {match.group(1)} {rows[match.group(1)]}"
            current.extend(block)
            continue
        if note:
            goes_on = current and first.section == current[-1].section
            if goes_on and size(current) + size(block) <= chunk_chars:
                current.extend(block)  # the note goes on ('a. Reablement …')
                continue
            flush()
            note = ""
        if current:
            last = next((x for x in reversed(current) if x.text.strip()), current[-1])
            boundary = (
                first.page != last.page
                or first.section != last.section
                or first.is_table != last.is_table
            )
            too_big = size(current) + size(block) > chunk_chars
            if (boundary and size(current) >= min_chars) or too_big:
                flush()
        current.extend(block)
    flush()
    return with_context(chunks)


def with_context(chunks: list[Chunk]) -> list[Chunk]:
    """Table rows whose indexed context also holds the start of the row's note ('rij 8
    Passende zorg …: 2023 5; … | 8. Binnen het programma …'), so a row asked for by what its
    money pays for is found. The context is embedded and searched with the text; citations stay
    on the row's own line.
    """
    notes: dict[str, str] = {}
    for chunk in chunks:
        match = re.match(r"Toelichting bij rij (\d+) ", chunk.context)
        if match:
            notes.setdefault(match.group(1), " ".join(chunk.text.split())[:NOTE_CONTEXT_CHARS])
    out = []
    for chunk in chunks:
        parts = [chunk.context] if chunk.context else []
        row = re.match(r"rij (\d+) ", chunk.context)
        if row and row.group(1) in notes:
            parts.append(notes[row.group(1)])
        out.append(replace(chunk, context=CONTEXT_SEPARATOR.join(parts)))
    return out


def _table_row_chunk(doc: DocumentText, line: Line, header: str, vocabulary: Counter[str]) -> Chunk:
    """A table row as its own chunk; `context` names the cells for search (text stays verbatim)."""
    cells = describe_table_row(line.text, header, vocabulary)
    start = doc.line_offsets[line.number - 1]
    return Chunk(
        chunk_id=f"{doc.info.doc_id}:{line.number}-{line.number}",
        doc_id=doc.info.doc_id,
        title=doc.info.title,
        text=line.text,
        line_start=line.number,
        line_end=line.number,
        char_start=start,
        char_end=start + len(line.text),
        page=line.page,
        page_end=line.page,
        section=f"Tabel: {header}" if header else "Tabel",
        actielijn=line.actielijn,
        context=cells,
    )


def _blocks(lines: list[Line]) -> list[list[Line]]:
    """Runs of non-blank lines (with the blank lines after them); a table is one block."""
    blocks: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        blank = not line.text.strip()
        if current and not blank:
            prev_content = next((x for x in reversed(current) if x.text.strip()), current[-1])
            starts_new = (
                current[-1].text.strip() == ""
                and not (line.is_table and prev_content.is_table)
                and not _sentence_goes_on(current, prev_content, line)
            )
            if starts_new or line.section != prev_content.section:
                blocks.append(current)
                current = []
        current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _split_at_notes(blocks: list[list[Line]], rows: dict[str, str]) -> list[list[Line]]:
    """A note on a table row ('5. De maatregel …') starts a block, also right after another."""
    if not rows:
        return blocks
    out = []
    for block in blocks:
        current: list[Line] = []
        for line in block:
            match = NOTE_RE.match(line.text)
            if current and match and match.group(1) in rows:
                out.append(current)
                current = []
            current.append(line)
        out.append(current)
    return out


def _sentence_goes_on(block: list[Line], prev: Line, line: Line) -> bool:
    """A sentence wrapped over a blank line (PDF extractions double-space their lines) goes on.

    The line before ends without closing punctuation and this one starts in lower case or
    with a figure, on the same page; keeping them in one block keeps the sentence in one chunk.
    """
    return (
        prev.page == line.page
        and not prev.is_table
        and sum(len(x.text) + 1 for x in block) < BLOCK_CONTINUE_CHARS
        and not re.search(r"[.!?:;]\s*$", prev.text)
        and re.match(r"\s*[a-z0-9€(]", line.text) is not None
    )


def _make_chunks(doc: DocumentText, lines: list[Line], chunk_chars: int, n0: int) -> list[Chunk]:
    """One chunk for a run of lines, or several pieces when a single long line is too big."""
    info = doc.info
    first, last = lines[0], lines[-1]
    text = "\n".join(x.text for x in lines)
    char_start = doc.line_offsets[first.number - 1]
    # the section that most of the text belongs to (tiny pages glued on do not name it)
    weight: Counter[tuple[str, int]] = Counter()
    for x in lines:
        if x.section:
            weight[(x.section, x.actielijn)] += len(x.text)
    section, actielijn = weight.most_common(1)[0][0] if weight else ("", 0)
    pages = [x.page for x in lines if x.page is not None]
    base: dict[str, Any] = {
        "doc_id": info.doc_id,
        "title": info.title,
        "page": pages[0] if pages else None,
        "page_end": pages[-1] if pages else None,
        "section": section,
        "actielijn": actielijn,
    }
    if len(lines) > 1 or len(text) <= chunk_chars * 1.25:
        return [
            Chunk(
                chunk_id=f"{info.doc_id}:{first.number}-{last.number}",
                text=text,
                line_start=first.number,
                line_end=last.number,
                char_start=char_start,
                char_end=char_start + len(text),
                **base,
            )
        ]
    pieces = split_long_text(text, chunk_chars)
    out = []
    offset = 0
    for i, piece in enumerate(pieces):
        start = text.index(piece, offset)
        offset = start + len(piece)
        out.append(
            Chunk(
                chunk_id=f"{info.doc_id}:{first.number}-{last.number}.{i + 1}",
                text=piece,
                line_start=first.number,
                line_end=last.number,
                char_start=char_start + start,
                char_end=char_start + start + len(piece),
                **base,
            )
        )
    return out


def split_long_text(text: str, max_chars: int) -> list[str]:
    """Cut one long paragraph at sentence ends into pieces of at most ~max_chars."""
    sentences = SENTENCE_END_RE.split(text)
    pieces: list[str] = []
    current = ""
    for sentence in sentences:
        if current and len(current) + 1 + len(sentence) > max_chars:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        pieces.append(current)
    return pieces
