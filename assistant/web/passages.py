"""Passages and citations as HTML: cited words marked, numbered lines, the sources panel.

Pure functions (no Gradio, no I/O). Everything taken from a document is HTML-escaped here; the
only markup is the one these functions add (`<mark>` around cited words, the source cards).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from assistant.schema import Answer, Citation, DocumentText, ScoredChunk

CONTEXT_LINES = 3  # document lines shown above and below a cited figure
SNIPPET_CHARS = 350  # context kept on each side of the cited words in the chat
WORD_RE = re.compile(r"\w+")
FOOTNOTE_RE = re.compile(r"&lt;sup&gt;(\d{1,3})&lt;/sup&gt;")


def find_words(haystack: str, needle: str) -> tuple[int, int] | None:
    """Where `needle`'s words occur in `haystack`, whatever lies between them (spaces, line
    breaks, bullets, Markdown). The cited sentence is a cleaned copy of the passage text, so an
    exact substring search misses wrapped lines and list items."""
    words = WORD_RE.findall(needle)
    if not words:
        return None
    found = re.search(r"\W+".join(re.escape(w) for w in words), haystack)
    return (found.start(), found.end()) if found else None


def marked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` as escaped HTML with `<mark>` around the spans (overlapping spans are merged)."""
    out, pos = [], 0
    for start, end in _merge(spans):
        out += [html_text(text[pos:start]), f"<mark>{html_text(text[start:end])}</mark>"]
        pos = end
    out.append(html_text(text[pos:]))
    return "".join(out)


def html_text(text: str) -> str:
    """Escaped text; only footnote numbers written as `<sup>12</sup>` (Markdown documents) stay
    superscript."""
    return FOOTNOTE_RE.sub(r"<sup>\1</sup>", html.escape(text, quote=False))


def _merge(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def lines_html(doc: DocumentText, start: int, end: int, around: int = CONTEXT_LINES) -> str:
    """Document lines `start..end` (1-based), numbered and marked, with up to `around`
    non-empty lines of context on each side (PDF extractions have a blank line between lines)."""
    before = [n for n in range(start - 1, 0, -1) if doc.lines[n - 1].strip()][:around]
    after = [n for n in range(end + 1, len(doc.lines) + 1) if doc.lines[n - 1].strip()][:around]
    rows = []
    for n in [*reversed(before), *range(start, min(end, len(doc.lines)) + 1), *after]:
        text = html_text(doc.lines[n - 1])
        if start <= n <= end:
            if not text.strip():
                continue
            text = f"<mark>{text}</mark>"
        rows.append(
            f'<div class="wozo-line"><span class="wozo-ln">{n}</span><span>{text}</span></div>'
        )
    return '<div class="wozo-lines">' + "".join(rows) + "</div>"


def citation_body(
    citation: Citation, documents: dict[str, DocumentText], snippet: bool = False
) -> str:
    """The cited passage with the cited words marked. With `snippet`, only the neighbourhood of
    the mark is kept (for the chat); the sources panel shows the whole passage."""
    passage, cited = citation.passage, citation.text
    span = find_words(passage, cited)
    doc = documents.get(citation.doc_id)
    whole = span is not None and len(WORD_RE.findall(passage)) <= len(WORD_RE.findall(cited))
    if doc is not None and (span is None or whole):
        # a figure's citation: the passage is only its sentence or table row, so the lines
        # around it in the document say more
        return lines_html(doc, citation.line_start, citation.line_end)
    if span is None:
        passage, span = cited, (0, len(cited))
    start, end = span
    prefix = suffix = ""
    if snippet:
        lo, hi = max(0, start - SNIPPET_CHARS), min(len(passage), end + SNIPPET_CHARS)
        prefix, suffix = ("… " if lo else ""), (" …" if hi < len(passage) else "")
        passage, start, end = passage[lo:hi], start - lo, end - lo
    body = marked(passage, [(start, end)])
    return f'<div class="wozo-passage">{prefix}{_breaks(body)}{suffix}</div>'


def _breaks(escaped: str) -> str:
    """Line breaks as <br>, so the block stays one HTML block inside Markdown (no blank line
    ends it and turns the rest of a passage into Markdown)."""
    return re.sub(r"\n\s*", "<br>", escaped.strip())


def where(title: str, page: int | None, line_start: int, line_end: int, section: str = "") -> str:
    """'WOZO-resultaatmonitor 2025 · p. 18 · regels 1284–1286 · Actielijn 3: …' (plain text)."""
    lines = f"regel {line_start}" if line_start == line_end else f"regels {line_start}–{line_end}"
    parts = [title, f"p. {page}" if page else "", lines, section]
    return " · ".join(p for p in parts if p)


def citation_title(c: Citation) -> str:
    page = f", p. {c.page}" if c.page else ""
    return f"[{c.number}] {c.title}{page}"


def citation_meta(c: Citation) -> str:
    return html.escape(where(c.doc_id, None, c.line_start, c.line_end, c.section))


def passage_title(rank: int, p: ScoredChunk) -> str:
    page = f", p. {p.chunk.page}" if p.chunk.page else ""
    return f"Passage {rank}: {p.chunk.title}{page}"


def passage_body(p: ScoredChunk, cited: Sequence[str] = ()) -> str:
    text = p.chunk.text
    spans = [s for s in (find_words(text, c) for c in cited) if s]
    c = p.chunk
    meta = html.escape(where(c.doc_id, None, c.line_start, c.line_end, c.section))
    return (
        f'<div class="wozo-meta">{meta}</div>'
        f'<div class="wozo-passage">{_breaks(marked(text, spans))}</div>'
    )


def sources_html(answer: Answer | None, documents: dict[str, DocumentText]) -> str:
    """The sources panel: every citation with its marked passage, then all retrieved passages."""
    if answer is None:
        return (
            '<div class="wozo-empty">Stel een vraag: hier verschijnen de passages uit de '
            "documenten waarop het antwoord steunt.</div>"
        )
    parts: list[str] = []
    if answer.abstained:
        parts.append(
            '<p class="wozo-note">Geen antwoord gevonden. Dit zijn de passages die het meest op '
            "de vraag lijken:</p>"
        )
    for c in answer.citations:
        parts.append(
            f'<details class="wozo-source" id="bron-{c.number}"{" open" if c.number == 1 else ""}>'
            f"<summary>{html.escape(citation_title(c))}</summary>"
            f'<div class="wozo-meta">{citation_meta(c)}</div>{citation_body(c, documents)}'
            "</details>"
        )
    cited = [c.text for c in answer.citations]
    if answer.passages:
        if answer.citations:
            parts.append(
                f'<p class="wozo-note">Alle gevonden passages ({len(answer.passages)})</p>'
            )
        for rank, p in enumerate(answer.passages, start=1):
            is_open = " open" if answer.abstained and rank == 1 else ""
            parts.append(
                f'<details class="wozo-source"{is_open}>'
                f"<summary>{html.escape(passage_title(rank, p))}</summary>"
                f"{passage_body(p, cited)}</details>"
            )
    return '<div class="wozo-sources">' + "".join(parts) + "</div>"
