"""Answer windows: the places an answer can quote, embedded once at index time.

A window is one to three consecutive sentences of a chunk (the same windows the heuristic
reader scores), with its exact line range. The encoder reads each *sentence* once, with the
chunk's section before it (and, for a table row or a note, the row's named cells: the page
title often says what a sentence is about); a window's vector is the normalised mean of its
sentences' vectors. That keeps the index-time cost at one pass over the text, and training
uses the same mean, so what the model learns is what it serves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from assistant.ingest.chunking import CONTEXT_SEPARATOR
from assistant.schema import Chunk, ScoredChunk
from assistant.text.sentences import MAX_SENTENCE_CHARS, split_sentences

MAX_WINDOW_CHARS = int(MAX_SENTENCE_CHARS * 1.5)
MAX_WIDTH = 3
HEAD_CHARS = 80


def headed(head: str, text: str) -> str:
    """A text as the encoder reads it: the words before it (section, row cells) on a line of
    their own, then the text."""
    return f"{head}\n{text}" if head else text


@dataclass(frozen=True)
class Unit:
    """A sentence as embedded: its text, lines and chunk, and the words before it."""

    doc_id: str
    line_start: int
    line_end: int
    text: str
    chunk_id: str
    head: str

    @property
    def encoder_text(self) -> str:
        return headed(self.head, self.text)


@dataclass(frozen=True)
class Window:
    first: int  # index of its first sentence (Unit)
    width: int
    doc_id: str
    line_start: int
    line_end: int
    text: str
    chunk_id: str
    head: str

    @property
    def encoder_text(self) -> str:
        """The window as the readers read it: the words before it, then its sentences."""
        return headed(self.head, self.text)

    @property
    def units(self) -> range:
        return range(self.first, self.first + self.width)


def corpus_units(chunks: Iterable[Chunk]) -> list[Unit]:
    """Every sentence of the corpus once, in document and line order."""
    out: list[Unit] = []
    seen: set[tuple[str, int, int, str]] = set()
    for chunk in sorted(chunks, key=lambda c: (c.doc_id, c.line_start, c.chunk_id)):
        # the chunk's own context (a row's cells), not what `with_context` added for search
        own = chunk.context.split(CONTEXT_SEPARATOR)[0]
        head = " ".join(x for x in (chunk.section, own) if x)[:HEAD_CHARS]
        for s in split_sentences(ScoredChunk(chunk, 0.0), 1):
            key = (chunk.doc_id, s.line_start, s.line_end, s.text)
            if key not in seen:
                seen.add(key)
                out.append(
                    Unit(chunk.doc_id, s.line_start, s.line_end, s.text, chunk.chunk_id, head)
                )
    return out


def make_windows(units: list[Unit]) -> list[Window]:
    """Windows of one to three consecutive sentences of the same chunk."""
    out = []
    for i, u in enumerate(units):
        for width in range(1, MAX_WIDTH + 1):
            part = units[i : i + width]
            if len(part) < width or part[-1].chunk_id != u.chunk_id:
                break
            text = " ".join(p.text for p in part)
            if width > 1 and len(text) > MAX_WINDOW_CHARS:
                break
            out.append(
                Window(
                    i, width, u.doc_id, u.line_start, part[-1].line_end, text, u.chunk_id, u.head
                )
            )
    return out


def window_vectors(windows: list[Window], unit_vectors: np.ndarray) -> np.ndarray:
    """Each window's vector: the normalised mean of its sentences' vectors."""
    out = np.zeros((len(windows), unit_vectors.shape[1]), dtype=np.float32)
    for i, w in enumerate(windows):
        out[i] = unit_vectors[w.first : w.first + w.width].mean(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)
