"""Line annotation on the real corpus: sections from headings and slide titles, table lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.corpus import list_documents, read_document
from assistant.ingest.lines import annotate

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def lines():
    return {d.doc_id: annotate(read_document(d)) for d in list_documents(ROOT / "corpus")}


def test_every_line_is_annotated_in_order(lines):
    for annotated in lines.values():
        assert [x.number for x in annotated] == list(range(1, len(annotated) + 1))


def test_markdown_sections_are_heading_paths(lines):
    line = lines["voortgangsrapportage-2024"][295 - 1]
    assert line.section.startswith("Actielijn 4: Wonen en zorg voor ouderen")
    assert "4.1 Versnellen Woningbouw" in line.section
    assert line.actielijn == 4


def test_planning_monitor_sections_name_the_action_line(lines):
    line = lines["planningsmonitor-2024"][310 - 1]
    assert line.section.startswith("Actielijn 3. Passende Wlz zorg")
    assert line.actielijn == 3


def test_table_rows_are_flagged(lines):
    row = lines["investeringen-2023"][33 - 1]
    assert row.is_table and row.text.startswith("6 Regiobudget")
