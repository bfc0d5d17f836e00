"""The Benchmark tab: run a question set (bundled or uploaded) and download the report."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.config import ROOT, Settings
from assistant.errors import AssistantError, QuestionFileError
from assistant.measure import evaluate, reports
from assistant.pipeline import Assistant
from assistant.web import format as fmt

QUESTION_SETS = {"dev": "evals/dev.jsonl", "heldout": "evals/heldout.jsonl"}


def benchmark_tab(assistant: Assistant, settings: Settings, exports: Path) -> None:
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
        report = exports / f"wozo-benchmark-{fmt.file_stamp(datetime.now())}.md"
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
