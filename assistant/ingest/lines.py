"""Line annotation: every line of a document with its page, section, action line and table flag.

Sections come from Markdown headings (a `# Actielijn 1:` heading reads as one with the title
below it) or, in PDF slide extractions, from the page title plus "Actielijn N – …"
sub-headings. Chunking (`assistant.ingest.chunking`) groups these lines; it never re-reads
the structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.schema import DocumentText

# Slide page titles: "Actielijn 3: Scheiden Wonen en Zorg – Kwantitatieve duiding" (monitor),
# "Actielijn 1. Samen vitaal ouder worden" (planning table).
TITLE_RE = re.compile(r"^\s?Actielijn\s+(\d)\s*(?::\s*\S.*[–-]\s*\S|\.\s+[A-Z])")
LEGEND_TAIL_RE = re.compile(r"\s+Conform planning.*$")
SUBHEAD_RE = re.compile(r"^\s?Actielijn\s+(\d)\s*[-–:.]\s*\S.{0,90}$")
ACTIELIJN_RE = re.compile(r"Actielijn\s+(\d)\b", re.IGNORECASE)
MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")
TABLE_ROW_RE = re.compile(r"^\s*\d{1,2}\s+\D.*?(?:\s+\d+(?:[.,]\d+)?){4,}\s*$")
TABLE_HEAD_RE = re.compile(r"^#?\s*\w+(?:\s+20\d\d){3,}")
NOISE_LINES = {"volgende", "vorige", "inhoud", "legenda"}


@dataclass
class Line:
    number: int  # 1-based
    text: str
    page: int | None
    section: str
    actielijn: int
    is_table: bool


def annotate(doc: DocumentText) -> list[Line]:
    """The lines of `doc` with their structure (Markdown headings or slide page titles)."""
    if doc.info.file_type == "md":
        return _annotate_markdown(doc)
    return _annotate_slides(doc)


def _annotate_markdown(doc: DocumentText) -> list[Line]:
    stack: list[tuple[int, str]] = []
    out = []
    for i, text in enumerate(doc.lines):
        match = MD_HEADING_RE.match(text)
        if match:
            level = len(match.group(1))
            title = match.group(2).strip("*_ ").strip()
            stack = [(lvl, t) for lvl, t in stack if lvl < level] + [(level, title)]
        section = " > ".join(_join_actielijn(stack))
        out.append(Line(i + 1, text, doc.pages[i], section, _actielijn(section), _is_table(text)))
    return out


def _join_actielijn(stack: list[tuple[int, str]]) -> list[str]:
    """'# Actielijn 1:' followed by '## Samen vitaal ouder worden' reads as one heading."""
    titles = [t for _, t in stack]
    if (
        len(titles) >= 2
        and titles[0].lower().startswith("actielijn")
        and titles[0].endswith(":")
        and not re.match(r"\d", titles[1])
    ):
        return [f"{titles[0]} {titles[1]}", *titles[2:]]
    return titles


def _annotate_slides(doc: DocumentText) -> list[Line]:
    """Sections for PDF extractions: the page title, plus 'Actielijn N – …' sub-headings."""
    titles = _page_titles(doc)
    out = []
    sub = ""
    prev_page: int | None = -1
    for i, text in enumerate(doc.lines):
        page = doc.pages[i]
        if page != prev_page:
            sub = ""
            prev_page = page
        title = titles.get(page, "")
        stripped = LEGEND_TAIL_RE.sub("", text.strip())
        if SUBHEAD_RE.match(text) and stripped != title and len(stripped) > len("Actielijn 1 x"):
            sub = stripped
        section = f"{title} > {sub}" if sub and title else (sub or title)
        out.append(Line(i + 1, text, page, section, _actielijn(section), _is_table(text)))
    return out


def _page_titles(doc: DocumentText) -> dict[int | None, str]:
    by_page: dict[int | None, list[str]] = {}
    for text, page in zip(doc.lines, doc.pages, strict=True):
        by_page.setdefault(page, []).append(text)
    titles: dict[int | None, str] = {}
    for page, lines in by_page.items():
        if page is None:
            titles[page] = ""
            continue
        slide_title = next((t.strip() for t in lines if TITLE_RE.match(t)), "")
        slide_title = LEGEND_TAIL_RE.sub("", slide_title)
        first = next((t.strip() for t in lines if _meaningful(t)), "")
        titles[page] = (slide_title or first)[:120]
    return titles


def _meaningful(text: str) -> bool:
    stripped = text.strip()
    return (
        len(stripped) >= 3
        and stripped.lower() not in NOISE_LINES
        and not stripped.startswith("http")
        and not stripped.isdigit()
    )


def _actielijn(section: str) -> int:
    found = ACTIELIJN_RE.findall(section)
    return int(found[-1]) if found else 0


def _is_table(text: str) -> bool:
    return bool(TABLE_ROW_RE.match(text) or TABLE_HEAD_RE.match(text))
