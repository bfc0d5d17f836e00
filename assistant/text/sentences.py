"""Sentences of a passage with their exact line ranges: what an answer quotes and cites.

The documents are PDF extractions (wrapped lines, slide titles without full stops, bullets) and
one Markdown report; a sentence keeps the lines it spans so that a citation points at them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.schema import ScoredChunk

ABBREVIATIONS_RE = (
    r"(?<!\bca\.)(?<!\bjl\.)(?<!\bnr\.)(?<!\bo\.a\.)(?<!\bincl\.)(?<!\bbijv\.)(?<!\bmln\.)"
)

# A sentence ends at . ! ? before a capital, at a bullet, and at a line break that is followed
# by a capital, a bullet or a heading while the line before has no closing punctuation (PDF
# slide titles and Markdown headings). Wrapped PDF lines go on in lower case and are joined.
SENTENCE_RE = re.compile(
    ABBREVIATIONS_RE + r"(?<=[.!?:])\s+(?=[A-Z0-9“\"‘'(•€#])"
    r"|\s*•\s*"
    r"|(?<=[^\s.,;:!?(])[ \t]*\n(?:[ \t]*\n)*(?=\s?(?:[A-Z“‘#•]|\d+\s+[A-Z]))"
    r"|\n\s*\n\s*\n+"
)

MAX_SENTENCE_CHARS = 450


def is_page_start(line: str) -> bool:
    """A line that starts a new page or slide in the text files: one leading space, then text."""
    return len(line) > 1 and line[0] == " " and line[1] not in " \t"


@dataclass(frozen=True)
class Sentence:
    text: str
    line_start: int
    line_end: int
    passage: ScoredChunk
    rank: int  # rank of its passage, 1-based


def split_sentences(passage: ScoredChunk, rank: int) -> list[Sentence]:
    """Sentences of a chunk with their exact line ranges (wrapped PDF lines are joined).

    A short lead-in that ends in a colon ('In 2019:') goes with the sentence after it: it
    holds what the list below it is about.
    """
    chunk = passage.chunk
    text = chunk.text
    out = []
    pos = 0
    lead_in: tuple[str, int] | None = None
    pieces = SENTENCE_RE.split(text)
    for piece in pieces:
        if piece is None:
            continue
        start = text.find(piece, pos)
        if start < 0:
            continue
        pos = start + len(piece)
        for part, offset in _cap(piece, start):
            clean = " ".join(part.split())
            begin = offset + len(part) - len(part.lstrip())
            first = chunk.line_start + text.count("\n", 0, begin)
            if len(clean) < 15 or not re.search(r"[^\W\d_]{3}", clean):
                if clean:
                    lead_in = (clean, first) if clean.endswith(":") and len(clean) > 3 else None
                continue
            if lead_in:
                clean, first = f"{lead_in[0]} {clean}", lead_in[1]
                lead_in = None
            end = offset + len(part.rstrip())
            last = chunk.line_start + text.count("\n", 0, end)
            out.append(Sentence(clean, first, min(last, chunk.line_end), passage, rank))
    return out


def _cap(piece: str, start: int) -> list[tuple[str, int]]:
    """Split an over-long 'sentence' (a table or list without full stops) at line breaks."""
    if len(piece) <= MAX_SENTENCE_CHARS:
        return [(piece, start)]
    out, current, cur_start, offset = [], "", start, start
    for line in piece.split("\n"):
        if current and len(current) + len(line) > MAX_SENTENCE_CHARS:
            out.append((current, cur_start))
            current, cur_start = "", offset
        current = f"{current}\n{line}" if current else line
        offset += len(line) + 1
    if current:
        out.append((current, cur_start))
    return out
