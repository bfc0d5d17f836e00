from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.chunking import chunk_document, split_long_text
from assistant.ingest.corpus import list_documents, read_document
from assistant.ingest.tablerows import word_counts

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def docs():
    return {d.doc_id: read_document(d) for d in list_documents(ROOT / "corpus")}


@pytest.fixture(scope="module")
def chunks(docs):
    vocabulary = word_counts([line for d in docs.values() for line in d.lines])
    return {doc_id: chunk_document(d, 2000, vocabulary) for doc_id, d in docs.items()}


def containing(chunks, doc_id, line):
    return next(c for c in chunks[doc_id] if c.line_start <= line <= c.line_end)


def test_chunk_text_is_the_documents_lines_verbatim(docs, chunks):
    for doc_id, doc_chunks in chunks.items():
        for c in doc_chunks:
            lines = "\n".join(docs[doc_id].lines[c.line_start - 1 : c.line_end])
            assert c.text in lines, c.chunk_id
            if "." not in c.chunk_id.rsplit("-", 1)[-1]:  # not a piece of one long line
                assert c.text == lines, c.chunk_id


def test_every_content_line_is_in_some_chunk(docs, chunks):
    for doc_id, doc in docs.items():
        covered = set()
        for c in chunks[doc_id]:
            covered.update(range(c.line_start, c.line_end + 1))
        missing = [
            i + 1 for i, line in enumerate(doc.lines) if line.strip() and i + 1 not in covered
        ]
        # only header lines of a table (kept as search context) may stand outside a chunk
        assert all(docs[doc_id].lines[n - 1].lstrip("# ").startswith("Onderdeel") for n in missing)


def test_slide_pages_and_section_titles(chunks):
    c = containing(chunks, "resultaatmonitor-2025", 1285)
    assert c.section.startswith("Actielijn 3: Scheiden Wonen en Zorg")
    assert c.actielijn == 3
    assert c.page is not None and c.page_end >= c.page
    stoz = containing(chunks, "resultaatmonitor-2025", 2080)
    assert "STOZ" in stoz.section and stoz.actielijn == 5


def test_chunks_do_not_glue_pages_without_need(docs, chunks):
    """A chunk crosses into a new page only while what it holds so far is too small to stand
    alone (under a fifth of the target size)."""
    glued = 0
    for doc_id in ("resultaatmonitor-2025", "programmaplan-2022", "planningsmonitor-2024"):
        doc = docs[doc_id]
        for c in chunks[doc_id]:
            pages = doc.pages[c.line_start - 1 : c.line_end]
            last_start = max(
                i for i, p in enumerate(pages) if p == pages[-1] and (i == 0 or pages[i - 1] != p)
            )
            before = "\n".join(doc.lines[c.line_start - 1 : c.line_start - 1 + last_start])
            assert len(before) < 2000 // 5, c.chunk_id
            glued += pages[0] != pages[-1]
    assert glued < 30


def test_markdown_sections_are_heading_paths(chunks):
    c = containing(chunks, "voortgangsrapportage-2024", 295)
    assert c.section.startswith("Actielijn 4: Wonen en zorg voor ouderen")
    assert "4.1 Versnellen Woningbouw" in c.section
    assert c.actielijn == 4


def test_planning_monitor_sections_name_the_action_line(chunks):
    c = containing(chunks, "planningsmonitor-2024", 310)
    assert c.section.startswith("Actielijn 3. Passende Wlz zorg")
    assert c.actielijn == 3


def test_investment_table_rows_are_whole_chunks_with_named_cells(chunks):
    row = containing(chunks, "investeringen-2023", 33)
    assert row.line_start == row.line_end == 33
    assert row.text.startswith("6 Regiobudget scheiden wonen en zorg 40 40 40 40")
    assert "2025 40" in row.context and "structureel vanaf 2027" in row.context
    row8 = containing(chunks, "investeringen-2023", 37)
    assert "Passende zorg en inzicht in kwaliteit" in row8.context


def test_a_table_row_carries_its_note_for_search_but_cites_its_own_line(chunks):
    """Row 8 asked for by what it pays for ('kwaliteit zichtbaar maken') needs its note's words."""
    row8 = containing(chunks, "investeringen-2023", 37)
    own, note = row8.context.split(" | ")
    assert own.startswith("rij 8 Passende zorg en inzicht in kwaliteit: 2023 5")
    assert note.startswith("8. Binnen het programma Passende zorg in de Wlz")
    assert "transparantie over kwaliteit" in note
    assert (row8.line_start, row8.line_end) == (37, 37) and row8.text.startswith("8 Pas sende")
    # a note is not glued onto another row, and prose chunks keep their context as it was
    row9 = containing(chunks, "investeringen-2023", 39)
    assert "9. Waardigheid en Trots" in row9.context and "8. Binnen" not in row9.context
    assert all(" | " not in c.context for c in chunks["programmaplan-2022"])


def test_each_note_on_a_table_row_is_a_chunk_named_after_its_row(docs, chunks):
    """'5. De maatregel scheiden wonen en zorg …' explains row 5 without naming it."""
    note5 = containing(chunks, "investeringen-2023", 64)
    assert (note5.line_start, note5.line_end) == (64, 67)
    assert note5.text.startswith("5. De maatregel scheiden wonen en zorg")
    assert (
        note5.context == "Toelichting bij rij 5 Compensatie aanbieders bouwplannen verpleeghuizen"
    )
    # notes on consecutive lines, and a note's own sub-items ('a. Reablement …')
    assert containing(chunks, "investeringen-2023", 10).line_end == 10
    note3 = containing(chunks, "investeringen-2023", 14)
    assert "a. Reablement" in note3.text and note3.context.endswith("Stimuleren langer thuis wonen")
    note15 = containing(chunks, "investeringen-2023", 101)
    assert note15.line_start == 101 and "Nationale dementiestrategie" in note15.context
    # documents without a numbered table keep their numbered lists as running text
    assert not any(c.context.startswith("Toelichting") for c in chunks["programmaplan-2022"])


def test_a_question_about_a_row_finds_its_note(assistant):
    answer = assistant.ask(
        "Waarvoor is de post 'compensatie aanbieders bouwplannen verpleeghuizen' in de "
        "investeringstabel bedoeld?"
    )
    assert "tijdelijke compensatie" in answer.text
    assert any(c.line_start <= 67 and c.line_end >= 64 for c in answer.citations)


def test_long_markdown_paragraph_is_cut_at_sentence_ends():
    text = " ".join(f"Zin nummer {i} gaat over zorg." for i in range(200))
    pieces = split_long_text(text, 500)
    assert all(len(p) <= 500 for p in pieces)
    assert " ".join(pieces) == text
    assert all(p.endswith(".") for p in pieces)


def test_a_sentence_wrapped_over_blank_lines_stays_in_one_chunk(docs, chunks):
    """The PDF extraction double-spaces lines; a sentence that goes on is not cut between chunks.

    resultaatmonitor-2025 lines 2042-2044: "… waren als volgt: in" / "2019 € 28 miljoen, …".
    """
    doc = docs["resultaatmonitor-2025"]
    assert doc.lines[2041].rstrip().endswith("als volgt: in")
    assert doc.lines[2043].startswith("2019 € 28 miljoen")
    assert containing(chunks, "resultaatmonitor-2025", 2042) is containing(
        chunks, "resultaatmonitor-2025", 2044
    )
