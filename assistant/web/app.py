"""The web app (Gradio): layout and callbacks only; the work happens in the library.

`launch(settings)` loads the assistant once and serves four tabs: Chat, Cijfers, Benchmark and
Documenten, plus the JSON endpoint `/ask` for scripts. The assistant is shared by all sessions
(it is read-only after loading); each session's conversation lives in `gr.State`. What the tabs
show (HTML, table rows, messages) is made in `assistant.web.format`.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.config import ROOT, Settings
from assistant.errors import AssistantError, QuestionFileError
from assistant.facts.store import export_csv
from assistant.measure import evaluate, reports
from assistant.pipeline import Assistant
from assistant.retrieve.searcher import SearchFilters
from assistant.schema import Answer, Fact
from assistant.web import format as fmt

EXAMPLES = [
    "Op hoeveel plekken is het aantal verpleeghuisplekken landelijk bevroren?",
    "Hoeveel is er in 2025 begroot voor het Regiobudget scheiden wonen en zorg?",
    "Waarom wordt de subsidieregeling intergenerationeel wonen na 2025 niet voortgezet?",
]
QUESTION_SETS = {"dev": "evals/dev.jsonl", "heldout": "evals/heldout.jsonl"}
UNITS = ["euro", "mln euro", "%", "aantal", "datum", "jaar"]
YEARS = range(2022, 2031)  # offered in the figure finder; any other year can be typed
STREAM_DELAY_S = 0.02  # pause between the pieces of a streamed answer
THINKING = "_Zoeken in de documenten …_"


def build_app(
    assistant: Assistant, settings: Settings, export_dir: Path | None = None
) -> gr.Blocks:
    """The four tabs over one loaded assistant. Exports (CSV, reports) are written to
    `export_dir` (a fresh temp dir by default) and served from Gradio's cache."""
    exports = Path(export_dir or tempfile.mkdtemp(prefix="wozo-export-"))
    with gr.Blocks(title="WOZO-assistent", analytics_enabled=False) as demo:
        gr.Markdown(
            "# WOZO-assistent\nAntwoorden met bronvermelding uit de monitordocumenten van het "
            "programma *Wonen, Ondersteuning en Zorg voor Ouderen*."
        )
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                _chat_tab(assistant)
            with gr.Tab("Cijfers", id="cijfers"):
                _figures_tab(assistant, exports)
            with gr.Tab("Benchmark", id="benchmark"):
                _benchmark_tab(assistant, settings, exports)
            with gr.Tab("Documenten", id="documenten"):
                _documents_tab(assistant)
        gr.api(make_ask_api(assistant), api_name="ask")
    return demo


def launch_kwargs(settings: Settings) -> dict[str, Any]:
    """What `launch` passes to `Blocks.launch` (tests use it too, with their own port)."""
    auth = None
    if settings.auth_user and settings.auth_password:
        auth = (settings.auth_user, settings.auth_password)
    return {
        "server_name": settings.host,
        "server_port": settings.port,
        "auth": auth,
        "share": False,
        "ssr_mode": False,
        "theme": gr.themes.Soft(primary_hue="blue", neutral_hue="slate"),
        "css": fmt.CSS,
        "footer_links": ["api", "settings"],
        "max_file_size": 10 * settings.max_upload_bytes,  # load_questions applies the real limit
    }


def launch(settings: Settings) -> None:
    """Load the assistant once, build the app and serve it until interrupted."""
    assistant = Assistant.from_settings(settings)
    demo = build_app(assistant, settings)
    demo.queue(default_concurrency_limit=settings.concurrency)
    demo.launch(**launch_kwargs(settings))


def make_ask_api(assistant: Assistant) -> Callable[..., dict[str, Any]]:
    """The `/ask` endpoint: one question, no history, JSON out (scripts and load tests)."""

    def ask_api(
        question: str, document: list[str] | None = None, actielijn: int | None = None
    ) -> dict[str, Any]:
        """Answer.to_json() plus "question"; {"error": message} when it cannot be answered.
        `document`: only these document ids; `actielijn`: only this action line (1-5)."""
        if actielijn is not None and actielijn not in fmt.ACTIELIJNEN:
            return {"error": f"Actielijn moet 1 tot en met 5 zijn, niet {actielijn}."}
        try:
            answer = assistant.ask(question, None, filters=_filters(document, actielijn))
        except AssistantError as exc:
            return {"error": fmt.error_text(exc)}
        return {"question": answer.question, **answer.to_json()}

    return ask_api


# --- chat -----------------------------------------------------------------------------------


def _chat_tab(assistant: Assistant) -> None:
    docs = assistant.documents

    def chat(
        message: str,
        documents: list[str] | None,
        actielijn: int | None,
        history: list[tuple[str, str]],
        messages: list[dict[str, Any]],
    ) -> Iterator[tuple[Any, ...]]:
        """Answer one question (follow-ups use the session's history), streaming the answer."""
        question = (message or "").strip()
        shown = (
            [*messages, {"role": "user", "content": fmt.escape(question)}]
            if question
            else [*messages]
        )
        yield [*shown, _bot(THINKING)], "", gr.skip(), history, messages
        try:
            answer = assistant.ask(message, history, filters=_filters(documents, actielijn))
        except AssistantError as exc:
            done = [*shown, _bot(f"⚠️ {fmt.error_text(exc)}")]
            yield done, "", gr.skip(), history, done
            return
        text = fmt.answer_markdown(answer)
        for piece in fmt.growing(text):
            yield [*shown, _bot(piece)], "", gr.skip(), history, messages
            time.sleep(STREAM_DELAY_S)
        done = [*shown, _bot(text), *_source_messages(answer)]
        turns = [*history, (answer.question, answer.text)]
        yield done, "", fmt.sources_html(answer, docs), turns, done

    def _source_messages(answer: Answer) -> list[dict[str, Any]]:
        """One collapsed message per citation (the closest passages when nothing was found)."""
        if answer.abstained:
            return [
                _bot(fmt.passage_body(p), title=fmt.passage_title(rank, p))
                for rank, p in enumerate(answer.passages[:3], start=1)
            ]
        return [
            _bot(
                f'<div class="wozo-meta">{fmt.citation_meta(c)}</div>'
                + fmt.citation_body(c, docs, snippet=True),
                title=fmt.citation_title(c),
            )
            for c in answer.citations
        ]

    def new_chat() -> tuple[Any, ...]:
        return [], "", fmt.sources_html(None, docs), [], []

    history = gr.State([])
    messages = gr.State([])
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            with gr.Row():
                doc_filter = gr.Dropdown(
                    fmt.document_choices(assistant.documents_overview()),
                    value=[],
                    multiselect=True,
                    label="Documenten",
                    info="Leeg: alle documenten",
                    scale=3,
                )
                lijn_filter = gr.Dropdown(
                    fmt.actielijn_choices(), value=0, label="Actielijn", info=" ", scale=2
                )
            chatbot = gr.Chatbot(
                label="Gesprek",
                show_label=False,
                height=480,
                latex_delimiters=[],
                feedback_options=None,
                buttons=["copy"],
                elem_id="wozo-chat",
                placeholder="**Stel een vraag over WOZO**, of kies een voorbeeldvraag.",
                examples=[{"text": q} for q in EXAMPLES],
            )
            with gr.Row():
                question = gr.Textbox(
                    label="Vraag",
                    show_label=False,
                    placeholder="Stel een vraag over WOZO …",
                    scale=1,
                    elem_id="wozo-question",
                    autofocus=True,
                )
                send = gr.Button("Vraag", variant="primary", scale=0, min_width=100)
                clear = gr.Button("Nieuw gesprek", scale=0, min_width=170)
        with gr.Column(scale=2):
            gr.Markdown("### Bronnen bij het laatste antwoord")
            sources = gr.HTML(
                fmt.sources_html(None, docs), label="Bronnen", elem_id="wozo-sources",
                js_on_load=None,
            )  # fmt: skip
    io: dict[str, Any] = {
        "inputs": [question, doc_filter, lijn_filter, history, messages],
        "outputs": [chatbot, question, sources, history, messages],
    }
    question.submit(chat, api_name="chat", **io)
    send.click(chat, api_visibility="private", **io)
    chatbot.example_select(_example_text, None, question, api_visibility="private").then(
        chat, api_visibility="private", **io
    )
    clear.click(new_chat, None, io["outputs"], api_visibility="private")


# --- figures --------------------------------------------------------------------------------


def _figures_tab(assistant: Assistant, exports: Path) -> None:
    docs = assistant.documents

    def find(
        query: str,
        actielijn: int | None,
        document: str | None,
        year: str | int | None,
        unit: str | None,
    ) -> tuple[Any, ...]:
        year = str(year or "").strip()
        if not (query or "").strip() or (year and not year.isdigit()):
            ask = "een jaartal, bijvoorbeeld 2025" if (query or "").strip() else "een zoekterm"
            return [], [], f"Vul {ask} in (zoek bijvoorbeeld op *regiobudget*).", "", None, ""
        found = assistant.fact_finder.find(
            query,
            year=int(year) if year else None,
            document=document or None,
            actielijn=actielijn or None,
            unit=unit or None,
            limit=100,
        )
        note = fmt.found_note(len(found))
        detail = fmt.fact_detail_html(found[0], docs.get(found[0].doc_id)) if found else ""
        return fmt.fact_rows(found), found, note, detail, 0 if found else None, ""

    def select(facts: list[Fact], evt: gr.SelectData) -> tuple[Any, ...]:
        row = evt.row_value or []  # the row as shown (also after sorting): `nr` comes first
        index = int(row[0]) - 1 if row and str(row[0]).isdigit() else -1
        if not 0 <= index < len(facts):
            return gr.skip(), gr.skip(), gr.skip()
        return fmt.fact_detail_html(facts[index], docs.get(facts[index].doc_id)), index, ""

    def quote(facts: list[Fact], index: int | None) -> str:
        if not facts or index is None:
            return "Zoek eerst een cijfer en kies een rij in de tabel."
        doc = docs.get(facts[index].doc_id)
        return fmt.quote_line(facts[index], doc.info if doc else None)

    def export(facts: list[Fact]) -> Any:
        if not facts:
            gr.Warning("Er is nog niets om te exporteren: zoek eerst cijfers.")
            return gr.File(value=None, visible=False)
        path = exports / f"wozo-cijfers-{_stamp()}.csv"
        export_csv(facts, path)
        return gr.File(value=str(path), visible=True)

    facts_state = gr.State([])
    selected = gr.State(None)
    with gr.Row():
        query = gr.Textbox(
            label="Zoek een cijfer", placeholder="bijv. regiobudget, STOZ, verpleeghuisplekken",
            scale=3,
        )  # fmt: skip
        f_lijn = gr.Dropdown(fmt.actielijn_choices(), value=0, label="Actielijn", scale=2)
        f_doc = gr.Dropdown(
            [("Alle documenten", ""), *fmt.document_choices(assistant.documents_overview())],
            value="", label="Document", scale=3,
        )  # fmt: skip
        f_year = gr.Dropdown(
            [("Alle jaren", ""), *[(str(y), str(y)) for y in YEARS]], value="", label="Jaar",
            allow_custom_value=True, min_width=140,
        )  # fmt: skip
        f_unit = gr.Dropdown(
            [("Alle eenheden", ""), *[(u, u) for u in UNITS]], value="", label="Eenheid",
            min_width=190,
        )  # fmt: skip
    with gr.Row():
        search = gr.Button("Zoeken", variant="primary", scale=0, min_width=160)
        note = gr.Markdown()
    table = gr.Dataframe(
        headers=fmt.FACT_HEADERS, datatype=["number", "str", "str", "str", "str", "str"],
        interactive=False, wrap=True, max_height=360, elem_id="wozo-facts",
        elem_classes="wozo-table", column_widths=["6%", "14%", "10%", "14%", "36%", "20%"],
    )  # fmt: skip
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            gr.Markdown("**Bron van het gekozen cijfer** (klik op een rij in de tabel)")
            detail = gr.HTML(elem_id="wozo-fact-source", js_on_load=None)
        with gr.Column(scale=2):
            quote_btn = gr.Button("Maak citeerregel")
            quote_box = gr.Textbox(label="Citeerregel", buttons=["copy"], elem_id="wozo-quote")
            export_btn = gr.Button("Exporteer de resultaten als CSV")
            csv_file = gr.File(
                label="CSV-bestand", interactive=False, visible=False, elem_id="wozo-csv"
            )
    io: dict[str, Any] = {
        "inputs": [query, f_lijn, f_doc, f_year, f_unit],
        "outputs": [table, facts_state, note, detail, selected, quote_box],
    }
    search.click(find, api_name="facts", **io)
    query.submit(find, api_visibility="private", **io)
    table.select(select, facts_state, [detail, selected, quote_box], api_visibility="private")
    quote_btn.click(quote, [facts_state, selected], quote_box, api_name="quote")
    export_btn.click(export, facts_state, csv_file, api_name="export_facts")


# --- benchmark ------------------------------------------------------------------------------


def _benchmark_tab(assistant: Assistant, settings: Settings, exports: Path) -> None:
    def run(
        choice: str,
        upload: str | None,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 (how Gradio injects a tracker)
    ) -> tuple[Any, ...]:
        nothing: tuple[Any, ...] = ([], [], gr.File(value=None, visible=False))
        if choice == "upload" and not upload:
            return "Kies eerst een vragenbestand (JSON Lines).", *nothing
        if choice == "upload" and upload:
            paths = [Path(upload)]
        else:
            paths = [ROOT / QUESTION_SETS[k] for k in QUESTION_SETS if choice in (k, "both")]

        def step(done: int, total: int) -> None:
            progress((done, total), desc="Vragen stellen", unit="vragen")

        questions: list[evaluate.Question] = []
        problems: list[str] = []
        try:
            for path in paths:
                loaded, skipped = evaluate.load_questions(path, max_bytes=settings.max_upload_bytes)
                questions += loaded
                problems += [f"{path.name}: {p}" for p in skipped]
            step(0, len(questions))
            result = evaluate.run_eval(assistant, questions, k=settings.top_k, progress=step)
        except QuestionFileError as exc:
            shown = str(exc).replace(str(paths[0]), paths[0].name)  # not the server's temp path
            text = f"⚠️ **Dit vragenbestand kan niet worden gebruikt.**\n\n{fmt.escape(shown)}"
            if problems:
                text += "\n\n" + fmt.problem_list(problems)
            return text, *nothing
        except AssistantError as exc:
            return f"⚠️ {fmt.escape(fmt.error_text(exc))}", *nothing
        names = ", ".join(p.name for p in paths)
        result = replace(result, questions_file=names, problems=tuple(problems))
        report = exports / f"wozo-benchmark-{_stamp()}.md"
        reports.write_markdown(result, report, f"WOZO-assistent web app, tab Benchmark ({names})")
        return (
            fmt.run_message(len(questions), names, result.duration_s, problems),
            fmt.summary_rows(result),
            fmt.question_rows(result),
            gr.File(value=str(report), visible=True),
        )

    gr.Markdown(
        "Stel alle vragen van een vragenset en vergelijk de antwoorden met de verwachte "
        "antwoorden. Een eigen bestand is JSON Lines: één vraag per regel met `id`, `question`, "
        "`kind`, `answer`, `must_contain` en `sources` (zie `evals/README.md`)."
    )
    with gr.Row(equal_height=False):
        choice = gr.Radio(
            [("evals/dev.jsonl", "dev"), ("evals/heldout.jsonl", "heldout"), ("beide", "both"),
             ("eigen bestand", "upload")],
            value="dev", label="Vragenset", scale=2,
        )  # fmt: skip
        upload = gr.File(
            label="Eigen vragenbestand (.jsonl)", file_types=[".jsonl", ".json", ".txt"],
            type="filepath", height=120, scale=2, elem_id="wozo-upload",
        )  # fmt: skip
        with gr.Column(scale=1, min_width=180):
            start = gr.Button("Start benchmark", variant="primary")
            report = gr.File(label="Rapport (Markdown)", interactive=False, visible=False)
    note = gr.Markdown(elem_id="wozo-bench-note")
    summary = gr.Dataframe(
        headers=fmt.SUMMARY_HEADERS, interactive=False, label="Scores", elem_id="wozo-scores",
        elem_classes="wozo-table",
    )  # fmt: skip
    gr.Markdown(fmt.SUMMARY_LEGEND, elem_classes="wozo-note")
    per_question = gr.Dataframe(
        headers=fmt.QUESTION_HEADERS, interactive=False, wrap=True, max_height=420,
        label="Per vraag", elem_classes="wozo-table",
        column_widths=["5%", "8%", "19%", "16%", "27%", "8%", "17%"],
    )  # fmt: skip
    upload.upload(lambda: "upload", None, choice, api_visibility="private")
    start.click(
        run, [choice, upload], [note, summary, per_question, report], api_name="benchmark",
        concurrency_limit=1, concurrency_id="benchmark",
    )  # fmt: skip


# --- documents ------------------------------------------------------------------------------


def _documents_tab(assistant: Assistant) -> None:
    gr.Markdown(fmt.index_markdown(assistant.index_info()), elem_id="wozo-index")
    gr.Dataframe(
        fmt.document_rows(assistant.documents_overview()), headers=fmt.DOCUMENT_HEADERS,
        interactive=False, wrap=True, label="Documenten in de index", elem_classes="wozo-table",
        elem_id="wozo-documents",
        column_widths=["19%", "33%", "15%", "19%", "7%", "7%"],
    )  # fmt: skip


# --- small helpers --------------------------------------------------------------------------


def _filters(documents: list[str] | str | None, actielijn: int | None) -> SearchFilters:
    chosen = [documents] if isinstance(documents, str) else documents or []
    return SearchFilters(documents=tuple(d for d in chosen if d), actielijn=actielijn or None)


def _bot(content: str, title: str = "") -> dict[str, Any]:
    """An assistant message; with a title it is a collapsed box (a Gradio 'thought')."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if title:
        message["metadata"] = {"title": title, "status": "done"}
    return message


def _example_text(evt: gr.SelectData) -> str:
    return str(evt.value.get("text", "")) if isinstance(evt.value, dict) else ""


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")
