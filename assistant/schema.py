"""The plain data that flows between modules. No logic beyond trivial conveniences."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class DocumentInfo:
    """A document in the corpus folder. `doc_id` is the file name without extension."""

    doc_id: str
    path: Path
    title: str
    kind: str = ""
    period: str = ""
    date: str = ""
    language: str = "nl"
    file_type: str = "txt"  # txt | md | pdf
    fingerprint: str = ""  # sha256 of the file's bytes


@dataclass(frozen=True)
class DocumentText:
    """A document's text as lines; `pages[i]` is the page of line i+1 (None when unknown).

    For .txt/.md, lines are the file's own lines, so line numbers match `cat -n`. For PDFs the
    lines are those of the extracted text, pages are the PDF's real page numbers.
    """

    info: DocumentInfo
    lines: tuple[str, ...]
    pages: tuple[int | None, ...]
    line_offsets: tuple[int, ...]  # character offset of each line's start in the text


@dataclass(frozen=True)
class Chunk:
    """A passage as indexed and cited. Line numbers are 1-based and inclusive."""

    chunk_id: str
    doc_id: str
    title: str
    text: str
    line_start: int
    line_end: int
    char_start: int
    char_end: int
    page: int | None = None
    page_end: int | None = None
    section: str = ""
    actielijn: int = 0  # 1..5, 0 when unknown
    context: str = ""  # extra words for search (e.g. a table row's cells), never shown as a quote

    def metadata(self) -> dict[str, Any]:
        """Flat metadata as stored in Chroma (no None values: Chroma rejects them)."""
        return {
            "doc_id": self.doc_id,
            "document": self.title,
            "section": self.section,
            "page": self.page or 0,
            "page_end": self.page_end or 0,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "actielijn": self.actielijn,
            "context": self.context,
        }

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
        return cls(
            chunk_id=chunk_id,
            doc_id=str(meta["doc_id"]),
            title=str(meta.get("document", meta["doc_id"])),
            text=text,
            line_start=int(meta["line_start"]),
            line_end=int(meta["line_end"]),
            char_start=int(meta.get("char_start", 0)),
            char_end=int(meta.get("char_end", 0)),
            page=int(meta.get("page") or 0) or None,
            page_end=int(meta.get("page_end") or 0) or None,
            section=str(meta.get("section", "")),
            actielijn=int(meta.get("actielijn", 0) or 0),
            context=str(meta.get("context", "")),
        )


@dataclass(frozen=True)
class ScoredChunk:
    """A retrieved chunk with its fused score and its rank in each retriever (None: absent)."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None


@dataclass(frozen=True)
class Citation:
    """One numbered source behind an answer: the exact lines inside a chunk."""

    number: int
    doc_id: str
    title: str
    line_start: int
    line_end: int
    text: str  # the cited lines/sentence
    passage: str  # the whole chunk, for context
    page: int | None = None
    section: str = ""
    period: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "document": self.doc_id,
            "title": self.title,
            "page": self.page,
            "lines": [self.line_start, self.line_end],
            "section": self.section,
            "text": self.text,
        }


@dataclass(frozen=True)
class Fact:
    """One figure from the documents, as stored in the fact table."""

    doc_id: str
    line_start: int
    line_end: int
    value: float
    unit: str  # euro | mln euro | % | aantal | datum
    raw: str  # exactly as written in the document
    sentence: str
    subject: str = ""
    measure: str = ""
    period: str = ""
    page: int | None = None
    section: str = ""
    actielijn: int = 0
    confidence: float = 1.0
    row_label: str = ""
    column: str = ""
    fact_id: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """What `Assistant.ask` returns."""

    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    passages: tuple[ScoredChunk, ...] = ()
    facts: tuple[Fact, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    mode: str = "extractive"
    search_query: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [c.to_json() for c in self.citations],
            "facts": [
                {k: v for k, v in f.to_json().items() if k not in {"fact_id"}} for f in self.facts
            ],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }
