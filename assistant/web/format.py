"""Presentation for the web app: choices, table rows and short texts made from library results.

Pure functions only (no Gradio, no I/O), so every piece of what the UI shows can be tested
without a browser. Passages and citations as HTML (marked words, source cards) are made in
`assistant.web.passages`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from assistant.errors import AssistantError, QuestionError, QuestionFileError
from assistant.schema import Answer, DocumentInfo, DocumentText, Fact
from assistant.web.passages import html_text, lines_html, marked, where

ACTIELIJNEN: dict[int, str] = {
    1: "Samen vitaal ouder worden",
    2: "Sterke basiszorg voor ouderen",
    3: "Passende Wlz-zorg",
    4: "Wonen en zorg voor ouderen",
    5: "Arbeidsmarkt en innovatie",
}
CSS = """
.wozo-sources { max-height: 600px; overflow-y: auto; padding-right: 4px; }
.wozo-source { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 6px 10px; margin: 0 0 8px; background: var(--background-fill-secondary); }
.wozo-source summary { cursor: pointer; font-weight: 600; }
.wozo-meta { color: var(--body-text-color-subdued); font-size: 0.85em; margin: 4px 0; }
.wozo-passage { font-size: 0.92em; line-height: 1.5; }
.wozo-lines { font-family: var(--font-mono); font-size: 0.82em; line-height: 1.5; }
.wozo-line { display: flex; gap: 0.8em; }
.wozo-ln { flex: 0 0 3.2em; text-align: right; color: var(--body-text-color-subdued);
  user-select: none; }
.wozo-note, .wozo-empty { color: var(--body-text-color-subdued); margin: 4px 0 8px; }
mark { background: #fde68a; color: #1f2937; padding: 0 2px; border-radius: 3px; }
.wozo-table [role="gridcell"] span, .wozo-table th span { font-family: var(--font); }
"""


def document_choices(overview: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """Dropdown choices (label, doc id) from Assistant.documents_overview()."""
    return [(f"{d['title']} ({d['doc_id']})", d["doc_id"]) for d in overview]


def actielijn_choices() -> list[tuple[str, int]]:
    return [("Alle actielijnen", 0), *[(f"{n} · {t}", n) for n, t in ACTIELIJNEN.items()]]


# --- the chat -------------------------------------------------------------------------------


def answer_markdown(answer: Answer) -> str:
    """The answer as Markdown: the library writes Markdown (**figure**); document text inside
    it is escaped so a quoted `<sup>` shows as written instead of being interpreted."""
    return html_text(answer.text)


def growing(text: str, steps: int = 24) -> Iterator[str]:
    """Prefixes of `text` ending at word boundaries, about `steps` of them, the last being the
    whole text: the finished answer shown as if it were being typed."""
    ends = [m.end() for m in re.finditer(r"\S+", text)]
    if not ends:
        yield text
        return
    stride = max(1, -(-len(ends) // steps))
    for i in range(stride - 1, len(ends) - 1, stride):
        yield text[: ends[i]]
    yield text


def escape(text: str) -> str:
    """Text for a Markdown component: no HTML (library messages quote user files)."""
    return html.escape(text, quote=False)


def error_text(exc: AssistantError) -> str:
    """A message for the person at the keyboard, in Dutch; never a stack trace."""
    if isinstance(exc, QuestionError | QuestionFileError):
        return str(exc)
    return (
        "Er ging iets mis bij het beantwoorden van de vraag. Probeer het nog eens; lukt het "
        f"niet, meld dan deze melding aan de beheerder: {exc}"
    )


# --- figures --------------------------------------------------------------------------------

FACT_HEADERS = ["nr", "waarde (zoals geschreven)", "eenheid", "periode", "onderwerp", "bron"]


def found_note(n: int) -> str:
    return (
        "Geen cijfers gevonden." if not n else f"{n} {'cijfer' if n == 1 else 'cijfers'} gevonden."
    )


def fact_source(fact: Fact) -> str:
    return f"{fact.doc_id}, {_lines(fact.line_start, fact.line_end)}"


def _lines(start: int, end: int) -> str:
    return f"r. {start}" if start == end else f"r. {start}–{end}"


def fact_rows(facts: Sequence[Fact]) -> list[list[Any]]:
    """Table rows; `nr` (1-based) finds the fact again after the user sorted the table."""
    return [
        [i, f.raw, f.unit, f.period, f.subject or f.measure or f.row_label, fact_source(f)]
        for i, f in enumerate(facts, start=1)
    ]


def short_title(info: DocumentInfo) -> str:
    """'Investeringen WOZO (stand 1e suppletoire begroting 2023)' -> 'Investeringen WOZO 2023':
    the title without its parenthesis, plus the document's year when the title lacks one."""
    base = re.sub(r"\s*\([^)]*\)", "", info.title).strip() or info.title
    year = info.date[:4]
    has_year = re.search(r"\b(19|20)\d\d\b", base)
    return f"{base} {year}" if year.isdigit() and not has_year else base


def quote_line(fact: Fact, info: DocumentInfo | None) -> str:
    """A line to paste into a text: '€ 40 mln in 2025 (Investeringen WOZO 2023, rij 6)'.
    The figure is the raw text as written; only a currency sign or unit is put around it."""
    raw = " ".join(fact.raw.split())
    if fact.unit == "mln euro":
        figure = raw if "€" in raw else f"€ {raw}"
        figure += "" if re.search(r"mln|miljoen", raw) else " mln"
    elif fact.unit == "euro":
        figure = raw if "€" in raw or "euro" in raw.lower() else f"€ {raw}"
    elif fact.unit == "%":
        figure = raw if "%" in raw or "procent" in raw else f"{raw}%"
    else:
        figure = raw
    period = fact.period.strip()
    when = ""
    if period and period not in raw:
        when = f" in {period}" if re.fullmatch(r"\d{4}", period) else f" ({period})"
    title = short_title(info) if info else fact.doc_id
    if fact.row_label:
        place = f"rij {fact.row_label.split()[0]}"
    elif fact.page:
        place = f"p. {fact.page}"
    else:
        place = f"regel {fact.line_start}"
    subject = fact.subject or fact.measure
    lead = f"{subject}: " if subject else ""
    return f"{lead}{figure}{when} ({title}, {place})"


def fact_detail_html(fact: Fact, doc: DocumentText | None) -> str:
    """The selected figure's source: the document lines around it, the figure's lines marked."""
    title = doc.info.title if doc else fact.doc_id
    head = html.escape(where(title, fact.page, fact.line_start, fact.line_end, fact.section))
    if doc is None:
        body = f'<div class="wozo-passage">{marked(fact.sentence, [])}</div>'
    else:
        body = lines_html(doc, fact.line_start, fact.line_end)
    return f'<div class="wozo-meta">{head}</div>{body}'


# --- benchmark ------------------------------------------------------------------------------

SUMMARY_HEADERS = [
    "groep", "n", "goed", "hit@1", "hit@k", "MRR", "niet gevonden P", "niet gevonden R",
    "bronnen juist", "p50 ms", "p95 ms",
]  # fmt: skip
QUESTION_HEADERS = ["id", "soort", "vraag", "verwacht", "antwoord", "resultaat", "geciteerd"]


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def summary_rows(run: Any) -> list[list[Any]]:
    """Overall and per kind (`run` is an evaluate.EvalRun)."""
    groups = {"alle vragen": run.metrics.overall, **run.metrics.by_kind}
    return [
        [
            name, s.n, _pct(s.accuracy), _pct(s.hit_at_1), _pct(s.hit_at_k),
            "–" if s.mrr is None else f"{s.mrr:.2f}", _pct(s.abstention_precision),
            _pct(s.abstention_recall), _pct(s.citation_precision),
            "–" if s.latency_p50_ms is None else f"{s.latency_p50_ms:.0f}",
            "–" if s.latency_p95_ms is None else f"{s.latency_p95_ms:.0f}",
        ]
        for name, s in groups.items()
    ]  # fmt: skip


def question_rows(run: Any) -> list[list[Any]]:
    rows = []
    for r in run.results:
        q = r.question
        answer = r.error or " ".join(r.answer_text.replace("**", "").split())
        verdict = "✓ goed" if r.correct else "✗ fout"
        if r.abstained:
            verdict += " (niet gevonden)"
        cited = "; ".join(
            f"[{c.rank}] {c.document} {_lines(*c.lines)}" + (" ✓" if c.gold else "")
            for c in r.citations
        )
        rows.append([q.id, q.kind, q.question, q.answer, _clip(answer, 300), verdict, cited])
    return rows


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def run_message(n: int, source: str, seconds: float, problems: Sequence[str]) -> str:
    text = f"**{n} vragen** uit {source} gesteld in {seconds:.1f} s."
    if problems:
        text += f"\n\n{len(problems)} regel(s) overgeslagen:\n" + problem_list(problems)
    return text


def problem_list(problems: Sequence[str], limit: int = 20) -> str:
    shown = [f"- {escape(p)}" for p in problems[:limit]]
    if len(problems) > limit:
        shown.append(f"- … en nog {len(problems) - limit}")
    return "\n".join(shown)


SUMMARY_LEGEND = (
    "*goed*: het antwoord bevat het verwachte (of zegt terecht niets te vinden) · *hit@1/hit@k*: "
    "de juiste passage staat bovenaan / bij de eerste k · *MRR*: gemiddelde 1/rang van die "
    "passage · *niet gevonden P/R*: precisie en recall van 'niet gevonden' · *bronnen juist*: "
    "aandeel citaten op de juiste regels · *p50/p95*: antwoordtijd."
)


# --- documents ------------------------------------------------------------------------------

DOCUMENT_HEADERS = ["document", "titel", "soort", "periode", "passages", "cijfers"]


def _when(stamp: Any) -> str:
    """'2026-11-23T01:17:12+0000' -> '23-11-2026 01:17 (UTC)'; anything else as it is."""
    try:
        return datetime.strptime(str(stamp), "%Y-%m-%dT%H:%M:%S%z").strftime("%d-%m-%Y %H:%M (%Z)")
    except ValueError:
        return str(stamp or "?")


def document_rows(overview: Sequence[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            d.get("doc_id", ""),
            d.get("title", ""),
            d.get("kind", ""),
            d.get("period", ""),
            d.get("chunks", 0),
            d.get("facts", 0),
        ]
        for d in overview
    ]


def index_markdown(info: dict[str, Any]) -> str:
    """Assistant.index_info() as a short Markdown text, with the stale-index warning."""
    text = (
        f"**Index** `{info.get('build_id') or '?'}`, gebouwd op {_when(info.get('built_at'))}  \n"
        f"Embeddingmodel `{info.get('embed_model') or '?'}` · {info.get('chunks') or 0} passages "
        f"· {info.get('facts') or 0} cijfers · corpus `{info.get('corpus_fingerprint') or '?'}`"
    )
    if info.get("stale"):
        text += (
            "\n\n⚠️ **De documenten zijn gewijzigd sinds de index is gebouwd.** Antwoorden kunnen "
            "verouderd zijn: bouw de index opnieuw met `wozo index` en herstart de app."
        )
    for warning in info.get("warnings") or []:
        text += f"\n\n⚠️ {html.escape(str(warning))}"
    return text


def file_stamp(now: datetime) -> str:
    """The time in an export's file name: '20260101-120000-000000' (unique per request)."""
    return now.strftime("%Y%m%d-%H%M%S-%f")
