"""The Cijfers tab: search the fact table, show a figure's source lines, quote it, export CSV."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.facts.store import export_csv
from assistant.pipeline import Assistant
from assistant.schema import Fact
from assistant.web import format as fmt

UNITS = ["euro", "mln euro", "%", "aantal", "datum", "jaar"]
YEARS = range(2022, 2031)  # offered in the figure finder; any other year can be typed


def figures_tab(assistant: Assistant, exports: Path) -> None:
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
        path = exports / f"wozo-cijfers-{fmt.file_stamp(datetime.now())}.csv"
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
