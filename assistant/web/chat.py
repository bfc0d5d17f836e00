"""The Chat tab and the `/ask` endpoint: a question in, a cited answer out.

The chat streams the answer, shows one collapsed message per citation and keeps the session's
conversation in `gr.State`, so follow-up questions ("En in 2026?") use it; `/ask` answers one
question without history, as JSON, for scripts and the load test.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr

from assistant.errors import AssistantError
from assistant.pipeline import Assistant
from assistant.retrieve.searcher import SearchFilters
from assistant.schema import Answer
from assistant.web import format as fmt
from assistant.web import passages

EXAMPLES = [
    "Op hoeveel plekken is het aantal verpleeghuisplekken landelijk bevroren?",
    "Hoeveel is er in 2025 begroot voor het Regiobudget scheiden wonen en zorg?",
    "Waarom wordt de subsidieregeling intergenerationeel wonen na 2025 niet voortgezet?",
]
STREAM_DELAY_S = 0.02  # pause between the pieces of a streamed answer
THINKING = "_Zoeken in de documenten …_"


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
            answer = assistant.ask(question, None, filters=search_filters(document, actielijn))
        except AssistantError as exc:
            return {"error": fmt.error_text(exc)}
        return {"question": answer.question, **answer.to_json()}

    return ask_api


def chat_tab(assistant: Assistant) -> None:
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
            answer = assistant.ask(message, history, filters=search_filters(documents, actielijn))
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
        yield done, "", passages.sources_html(answer, docs), turns, done

    def _source_messages(answer: Answer) -> list[dict[str, Any]]:
        """One collapsed message per citation (the closest passages when nothing was found)."""
        if answer.abstained:
            return [
                _bot(passages.passage_body(p), title=passages.passage_title(rank, p))
                for rank, p in enumerate(answer.passages[:3], start=1)
            ]
        return [
            _bot(
                f'<div class="wozo-meta">{passages.citation_meta(c)}</div>'
                + passages.citation_body(c, docs, snippet=True),
                title=passages.citation_title(c),
            )
            for c in answer.citations
        ]

    def new_chat() -> tuple[Any, ...]:
        return [], "", passages.sources_html(None, docs), [], []

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
                passages.sources_html(None, docs), label="Bronnen", elem_id="wozo-sources",
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


def search_filters(documents: list[str] | str | None, actielijn: int | None) -> SearchFilters:
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
