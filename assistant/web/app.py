"""The web app (Gradio): layout and callbacks only; the work happens in the library.

`launch(settings)` loads the assistant once and serves four tabs: Chat, Cijfers, Benchmark and
Documenten, plus the JSON endpoint `/ask` for scripts. The assistant is shared by all sessions
(it is read-only after loading); each session's conversation lives in `gr.State`. Each tab is a
module of its own (`chat`, `figures`, `benchmark`; Documenten is here); what the tabs show
(HTML, table rows, messages) is made in `assistant.web.format` and `assistant.web.passages`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.config import Settings
from assistant.pipeline import Assistant
from assistant.web import format as fmt
from assistant.web.benchmark import benchmark_tab
from assistant.web.chat import chat_tab, make_ask_api
from assistant.web.figures import figures_tab


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
                chat_tab(assistant)
            with gr.Tab("Cijfers", id="cijfers"):
                figures_tab(assistant, exports)
            with gr.Tab("Benchmark", id="benchmark"):
                benchmark_tab(assistant, settings, exports)
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


def _documents_tab(assistant: Assistant) -> None:
    gr.Markdown(fmt.index_markdown(assistant.index_info()), elem_id="wozo-index")
    gr.Dataframe(
        fmt.document_rows(assistant.documents_overview()), headers=fmt.DOCUMENT_HEADERS,
        interactive=False, wrap=True, label="Documenten in de index", elem_classes="wozo-table",
        elem_id="wozo-documents",
        column_widths=["19%", "33%", "15%", "19%", "7%", "7%"],
    )  # fmt: skip
