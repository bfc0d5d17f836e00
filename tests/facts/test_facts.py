"""The fact table: extraction on small texts, the investments table cell by cell, lookup on the
real corpus, filters, synonyms, the postings lookup against a full scan, and CSV export."""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.answer.question import is_figure_question
from assistant.errors import IndexCorruptError, IndexMismatchError, IndexMissingError
from assistant.facts.extract import extract_facts
from assistant.facts.rank import MONEY_Q_RE, SHARE_Q_RE, search_terms
from assistant.facts.store import (
    FACT_FIELDS,
    build_fact_table,
    check_fact_table,
    count_facts,
    export_csv,
    lookup_facts,
    period_years,
    read_facts,
)
from assistant.facts.tables import build_vocabulary, repair_label
from assistant.ingest.corpus import list_documents, read_document
from assistant.schema import DocumentInfo, DocumentText, Fact
from assistant.text import words as lexicon

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

# The investments table (corpus/investeringen-2023.txt, lines 23-57), typed in by hand from the
# document: row, repaired label, 2023…2027, Struc, Struc in (None: the row has no such cell).
INVESTMENTS = [
    (1, "Uit de WOZO-actielijnen", [216, 345, 423, 385, 94], 38, None),
    (2, "Stimuleren intergenerationeel wonen", [6, 9, 13, 17, 19], 38, 2028),
    (3, "Stimuleren langer thuis wonen", [35, 47, 48, 18, 7], 0, 2029),
    (
        4,
        "Stimuleren geclusterde woningen (incl. ontmoetingsruimten en intergenerationeel wonen)",
        [12, 70, 106, 86, 68],
        0,
        2028,
    ),
    (5, "Compensatie aanbieders bouwplannen verpleeghuizen", [18, 36, 54, 72, 0], 0, 2027),
    (6, "Regiobudget scheiden wonen en zorg", [40, 40, 40, 40, 0], 0, 2027),
    (7, "Stimuleringsbudget Wlz", [31, 31, 31, 31, 0], 0, 2027),
    (8, "Passende zorg en inzicht in kwaliteit", [5, 7, 8, 8, 0], 0, 2027),
    (9, "Waardigheid en trots op locatie", [10, 25, 30, 20, 0], 0, 2027),
    (10, "Zorgtechnologie en nieuwe concepten verpleegzorg", [7, 7, 7, 2, 0], 0, 2027),
    (
        11,
        "Duurzame medische zorg in regio (‘Ondersteuning SO’s en huisartsen’)",
        [6, 6, 6, 0, 0],
        0,
        2026,
    ),
    (12, "Domeinoverstijgende samenwerking (DOS)", [10, 27, 37, 47, 0], 0, 2027),
    (13, "Investeringen in sociaal domein", [36, 41, 43, 45, 0], 0, 2027),
    (14, "Flankerend beleid", [36, 36, 34, 10, 10], 10, None),
    (15, "Nationale dementiestrategie", [10, 10, 10, 0, 0], 0, 2026),
    (16, "Respijtzorg", [13, 13, 13, 10, 10], 10, 2026),
    (17, "Een tegen Eenzaamheid", [13, 13, 11, 0, 0], 0, 2026),
    (18, "WOZO incl flankerend beleid", [252, 381, 457, 395, 104], 48, None),
]
YEARS = ["2023", "2024", "2025", "2026", "2027"]


def make_doc(text: str, doc_id: str = "test", file_type: str = "txt") -> DocumentText:
    lines = tuple(text.split("\n"))
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    info = DocumentInfo(doc_id=doc_id, path=Path(f"{doc_id}.{file_type}"), title=doc_id)
    return DocumentText(info, lines, (None,) * len(lines), tuple(offsets))


def verbatim(doc: DocumentText, fact: Fact) -> bool:
    return fact.raw in "\n".join(doc.lines[fact.line_start - 1 : fact.line_end])


@pytest.fixture(scope="module")
def corpus_docs() -> list[DocumentText]:
    return [read_document(info) for info in list_documents(CORPUS)]


@pytest.fixture(scope="module")
def fact_db(tmp_path_factory, corpus_docs) -> Path:
    """The fact table of the real corpus, built once for this module; treat as read-only."""
    db = tmp_path_factory.mktemp("facts") / "facts.sqlite"
    build_fact_table(db, corpus_docs)
    return db


@pytest.fixture(scope="module")
def tripled_db(tmp_path_factory, corpus_docs) -> Path:
    """The fact table of the corpus with two copies of every document (ids '…-copy1', '…-copy2'):
    identical facts tie on score, so lookup must break ties as the full scan does."""
    docs = [
        dataclasses.replace(d, info=dataclasses.replace(d.info, doc_id=f"{d.info.doc_id}{tag}"))
        for d in corpus_docs
        for tag in ("", "-copy1", "-copy2")
    ]
    db = tmp_path_factory.mktemp("facts-x3") / "facts.sqlite"
    build_fact_table(db, docs)
    return db


@pytest.fixture(scope="module")
def investments(fact_db) -> list[Fact]:
    return read_facts(fact_db, "investeringen-2023")


# --- the investments table, cell by cell ------------------------------------------------------


def test_every_investments_cell_is_in_the_fact_table(investments, corpus_docs) -> None:
    doc = next(d for d in corpus_docs if d.info.doc_id == "investeringen-2023")
    cells = {(f.row_label, f.column): f for f in investments if f.row_label}
    expected_cells = 0
    for row, label, per_year, struc, struc_in in INVESTMENTS:
        row_label = f"{row} {label}"
        line = 23 + 2 * (row - 1)  # rows stand on every other line from line 23
        assert doc.lines[line - 1].lstrip().startswith(f"{row} "), line
        for year, value in zip(YEARS, per_year, strict=True):
            fact = cells.pop((row_label, year))
            assert (fact.value, fact.unit, fact.period) == (value, "mln euro", year), row_label
            assert fact.subject == label
            assert (fact.line_start, fact.line_end) == (line, line)
            assert verbatim(doc, fact)
        fact = cells.pop((row_label, "Struc"))
        assert (fact.value, fact.unit) == (struc, "mln euro")
        expected_cells += 6
        if struc_in is not None:
            fact = cells.pop((row_label, "Struc in"))
            assert (fact.value, fact.unit) == (struc_in, "jaar")
            expected_cells += 1
    assert cells == {}, f"cells that are not in the document: {sorted(cells)}"
    assert expected_cells == 18 * 6 + 15


def test_investments_totals_add_up(investments) -> None:
    """Row 18 is row 1 + row 14 in every year: a check that no cell was shifted."""
    cell = {(f.row_label.split()[0], f.column): f.value for f in investments if f.row_label}
    for year in YEARS:
        assert cell[("18", year)] == cell[("1", year)] + cell[("14", year)]


def test_repair_label_joins_fragments_only() -> None:
    vocab = build_vocabulary(
        ["Passende zorg en kwaliteit. Investeringen in het sociaal domein. Respijtzorg. "
         "Zorgen voor huisartsen, huisartsen en huis. Domeinoverstijgende samenwerking."]
    )  # fmt: skip
    cases = {
        "Pas sende zorg en inzicht in kwal i tei t": "Passende zorg en inzicht in kwaliteit",
        "Inves teringen in s ociaa l  domein": "Investeringen in sociaal domein",
        "Respi jtzorg": "Respijtzorg",
        "Domeinoversti jgende s amenwerking (DOS)": "Domeinoverstijgende samenwerking (DOS)",
        "zorg en huis artsen": "zorg en huisartsen",  # 'zorg en' is not 'zorgen'
        "Stimuleren (incl . ruimten)": "Stimuleren (incl. ruimten)",
    }
    for broken, repaired in cases.items():
        assert repair_label(broken, vocab) == repaired


# --- extraction on small texts ----------------------------------------------------------------


def facts_of(text: str, file_type: str = "txt") -> list[Fact]:
    doc = make_doc(text, file_type=file_type)
    facts = extract_facts(doc)
    assert all(verbatim(doc, f) for f in facts)
    return facts


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit"),
    [
        ("Het landelijk budget van € 40 miljoen is benut.", "€ 40 miljoen", 40e6, "euro"),
        ("Er was 75 mln euro beschikbaar.", "75 mln euro", 75e6, "euro"),
        ("Samen €48.7 miljoen (90% van het budget).", "€48.7 miljoen", 48.7e6, "euro"),
        ("Samen €48.7 miljoen (90% van het budget).", "90%", 90, "%"),
        ("De mediabesteding bedroeg €821.900. Verder", "€821.900", 821900, "euro"),
        ("Per aanvraag kan maximaal €10.000,- worden aangevraagd.", "€10.000,-", 10000, "euro"),
        ("In totaal €2.684.418,88 uitgegeven.", "€2.684.418,88", 2684418.88, "euro"),
        ("Het aandeel is 64,9 % in 2022.", "64,9 %", 64.9, "%"),
        ("Er zijn 300 gehonoreerde aanvragen.", "300", 300, "aantal"),
        ("Bevroren op 125.300 is het aantal plekken.", "125.300", 125300, "aantal"),
        ("Jaarlijks worden ruim 12,5 duizend ouderen bereikt.", "12,5 duizend", 12500, "aantal"),
        ("• ca 5 mln. mantelzorgers", "5 mln.", 5e6, "aantal"),
        ("Er is voor 97 mln subsidie aangevraagd.", "97 mln", 97e6, "euro"),
        ("De regeling is op 18 april 2024 gepubliceerd.", "18 april 2024", 20240418, "datum"),
        ("In 19 van de 35 regio's zijn woondeals gesloten.", "19 van de 35", 19, "aantal"),
        ("In 19 van de 35 regio's zijn woondeals gesloten.", "35", 35, "aantal"),
    ],
)
def test_prose_figures(text: str, raw: str, value: float, unit: str) -> None:
    found = [(f.raw, f.unit) for f in facts_of(text)]
    match = [f for f in facts_of(text) if f.raw == raw]
    assert match, found
    assert match[0].value == pytest.approx(value)
    assert match[0].unit == unit


def test_figure_wrapping_over_lines_keeps_raw_verbatim() -> None:
    text = "Er is voor €48,5 miljoen aangevraagd op een budget van €54\n\nmiljoen. De regeling"
    fact = next(f for f in facts_of(text) if f.value == 54e6)
    assert (fact.line_start, fact.line_end) == (1, 3)
    assert fact.raw == "€54\n\nmiljoen"


@pytest.mark.parametrize(
    "text",
    [
        "In 2024 is de regeling gestart.",  # a year on its own
        "Zie https://www.rivm.nl/rapport/2023-0469.pdf voor details.",  # a URL
        "Telefoon 070 340 79 11",  # a phone number
        "Postbus 20350 | 2500 EJ Den Haag",  # an address
        "## 3.1 Voortgang scheiden wonen en zorg",  # a section number
        "2. Er worden woningen gebouwd.",  # a list number
        "zoals bedoeld in WOZO.<sup>13</sup> Daarna",  # a footnote marker
        "gekoppeld aan jongeren. 8\n Eerste geluiden",  # a page number
        "De regeling loopt tot 15 april.",  # a date without a year
        "Zie artikel 2.5c van het Besluit zorgverzekering en ronde 4 en versie 2.",
    ],
)
def test_not_figures(text: str) -> None:
    assert [f.raw for f in facts_of(text, "md" if text.startswith("#") else "txt")] == []


def test_chart_axis_ticks_are_skipped_and_lone_labels_get_low_confidence() -> None:
    text = "Budget per tijdvak\n\n26%\n\n€ -\n\n€ 200.000\n\n€ 400.000\n\n€ 600.000\n\nTijdvak 1"
    facts = facts_of(text)
    assert [f.raw for f in facts] == ["26%"]
    assert facts[0].confidence < 0.5 and facts[0].subject == "" and facts[0].period == ""


def test_legend_row_is_paired_with_its_column_names() -> None:
    text = "0%\n\n50%\n\n100%\n\nRonde 1 Ronde 2 Ronde 3\n\nFinanciële waarde\n\n" + (
        "Budget €800.000 €250.000 €1.200.000"
    )
    facts = facts_of(text)
    assert [(f.raw, f.period) for f in facts] == [
        ("€800.000", "ronde 1"),
        ("€250.000", "ronde 2"),
        ("€1.200.000", "ronde 3"),
    ]


def test_legend_row_without_a_unique_header_is_not_paired() -> None:
    text = "Tijdvak 1 Tijdvak 2\n\nBudget €800.000 €250.000\n\nTijdvak 1 Tijdvak 2"
    facts = facts_of(text)
    assert [f.period for f in facts] == ["", ""]
    assert all(f.confidence < 0.5 for f in facts)


def test_label_value_list_takes_its_caption() -> None:
    text = (
        "De tabel geeft het aandeel weer. Percentage aandeel verblijf per concessiehouder in 2022\n"
        "CZ 64,9 %\nDSW 66,9 %\nMenzis 66,5 %\n"
    )
    facts = facts_of(text)
    assert [(f.row_label, f.value, f.period) for f in facts] == [
        ("CZ", 64.9, "2022"),
        ("DSW", 66.9, "2022"),
        ("Menzis", 66.5, "2022"),
    ]
    assert facts[0].subject.startswith("Percentage aandeel verblijf per concessiehouder")


def test_period_table_with_factor() -> None:
    text = (
        "Tabel 1 Aantal Wlz-cliënten\n\n(x1.000)\t2020 Q1\t2021 Q1\t2023 Q3\n"
        "VV Indicaties\t170,9\t170,0\t193,0\nPercentage verblijf\t73%\t70%\t66%\n"
    )
    cells = {(f.row_label, f.column): (f.value, f.unit) for f in facts_of(text, "md")}
    assert cells[("VV Indicaties", "2023 Q3")] == (193000, "aantal")
    assert cells[("Percentage verblijf", "2020 Q1")] == (73, "%")
    assert len(cells) == 6


def test_numbered_budget_table_without_struc_columns() -> None:
    """A later budget table without 'Struc' columns is read as a period table."""
    text = (
        "Bedragen x € 1 mln\n\n# Onderdeel 2024 2025 2026\n\n"
        "1 Regiobudget scheiden wonen en zorg 40 40 0\n\n2 Respijtzorg 13 10 10\n"
    )
    cells = {(f.row_label, f.column): (f.value, f.unit) for f in facts_of(text)}
    assert cells[("1 Regiobudget scheiden wonen en zorg", "2025")] == (40, "mln euro")
    assert cells[("2 Respijtzorg", "2026")] == (10, "mln euro")
    assert len(cells) == 6


def test_subject_and_period_come_from_the_sentence() -> None:
    text = "De subsidieplafonds waren: in 2019 € 28 miljoen, in 2020 € 15 miljoen."
    facts = facts_of(text)
    assert [(f.value, f.period) for f in facts] == [(28e6, "2019"), (15e6, "2020")]
    assert "subsidieplafonds" in facts[0].subject
    count = facts_of("In mei 2025 zijn er 300 gehonoreerde aanvragen.")[0]
    assert (count.subject, count.period) == ("gehonoreerde aanvragen", "mei 2025")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=" 0123456789.,%€abc\nmiljoen", max_size=40), max_size=8))
def test_extraction_never_alters_a_number(lines: list[str]) -> None:
    doc = make_doc("\n".join(lines) or " x")
    for fact in extract_facts(doc):
        assert verbatim(doc, fact)


def test_raw_is_verbatim_in_the_whole_corpus(corpus_docs) -> None:
    vocabulary = build_vocabulary(line for d in corpus_docs for line in d.lines)
    for doc in corpus_docs:
        facts = extract_facts(doc, vocabulary=vocabulary)
        assert facts, doc.info.doc_id
        bad = [f for f in facts if not verbatim(doc, f)]
        assert bad == []


# --- the table: counts, lookup, filters, synonyms, export -------------------------------------


def test_count_facts(fact_db) -> None:
    counts = count_facts(fact_db)
    assert set(counts) == {d.doc_id for d in list_documents(CORPUS)}
    assert counts["investeringen-2023"] >= 18 * 6 + 15
    assert sum(counts.values()) == len(read_facts(fact_db))


def test_build_replaces_an_existing_file(tmp_path, corpus_docs) -> None:
    db = tmp_path / "facts.sqlite"
    db.write_text("old")
    small = [d for d in corpus_docs if d.info.doc_id == "investeringen-2023"]
    n = build_fact_table(db, small)
    assert count_facts(db) == {"investeringen-2023": n}


def test_lookup_regiobudget_2025(fact_db) -> None:
    q = "Hoeveel is er in 2025 begroot voor het Regiobudget scheiden wonen en zorg?"
    best = lookup_facts(fact_db, q)[0]
    assert (best.doc_id, best.line_start, best.value, best.unit) == (
        "investeringen-2023",
        33,
        40,
        "mln euro",
    )
    assert (best.period, best.column, best.row_label) == (
        "2025",
        "2025",
        "6 Regiobudget scheiden wonen en zorg",
    )


def test_lookup_dementiestrategie_2026(fact_db) -> None:
    q = "Hoeveel geld gaat er in 2026 naar de Nationale dementiestrategie?"
    best = lookup_facts(fact_db, q)[0]
    assert (best.doc_id, best.line_start, best.value, best.period) == (
        "investeringen-2023",
        51,
        0,
        "2026",
    )
    assert best.row_label.startswith("15 ")


def test_lookup_bevroren_verpleeghuisplekken(fact_db) -> None:
    q = "Op hoeveel plekken is het aantal verpleeghuisplekken landelijk bevroren?"
    best = lookup_facts(fact_db, q)[0]
    assert (best.doc_id, best.raw, best.value) == ("resultaatmonitor-2025", "125.300", 125300)
    assert best.line_start <= 1284 <= best.line_end


def test_year_filter(fact_db) -> None:
    facts = lookup_facts(fact_db, "Regiobudget scheiden wonen en zorg", year=2024)
    assert facts
    assert all(2024 in period_years(f.period) for f in facts)
    assert facts[0].row_label.startswith("6 ") and facts[0].column == "2024"


def test_document_and_actielijn_filters(fact_db) -> None:
    facts = lookup_facts(fact_db, "budget STOZ-regeling", document="voortgangsrapportage-2024")
    assert facts and {f.doc_id for f in facts} == {"voortgangsrapportage-2024"}
    facts = lookup_facts(fact_db, "budget", actielijn=5, limit=50)
    assert facts and {f.actielijn for f in facts} == {5}


def test_unit_filter_euro_includes_millions(fact_db) -> None:
    facts = lookup_facts(fact_db, "Domeinoverstijgende samenwerking", unit="euro", limit=50)
    assert {f.unit for f in facts} == {"euro", "mln euro"}
    assert {f.unit for f in lookup_facts(fact_db, "aandeel verblijf", unit="%")} == {"%"}


def test_abbreviation_finds_its_expansion(fact_db) -> None:
    """'DOS' in a question finds facts that only say 'domeinoverstijgende …', and back."""
    by_abbreviation = lookup_facts(fact_db, "Hoeveel geld gaat naar DOS?", limit=50)
    assert any(
        "DOS" not in f"{f.sentence} {f.subject}"
        and "domeinoverstijgende" in f"{f.sentence} {f.subject}".lower()
        for f in by_abbreviation
    )
    by_expansion = lookup_facts(fact_db, "stimuleringsregeling e-health thuis", limit=50)
    assert any("SET" in f.sentence and "e-health" not in f.sentence.lower() for f in by_expansion)


def test_synonym_begroot_finds_budget_facts(fact_db) -> None:
    facts = lookup_facts(fact_db, "Wat is er begroot voor respijtzorg in 2024?")
    assert facts[0].row_label == "16 Respijtzorg" and facts[0].column == "2024"


def test_lookup_without_terms_or_table(fact_db, tmp_path) -> None:
    assert lookup_facts(fact_db, "hoeveel?") == []
    with pytest.raises(IndexMissingError):
        lookup_facts(tmp_path / "missing.sqlite", "budget")
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"not a database" * 100)
    with pytest.raises(IndexCorruptError):
        count_facts(broken)


# --- lookup through the postings gives the full scan's ranking ------------------------------


def full_scan_lookup(
    db_path: Path,
    query: str,
    *,
    year: int | None = None,
    document: str | None = None,
    actielijn: int | None = None,
    unit: str | None = None,
    limit: int = 20,
) -> list[Fact]:
    """The lookup as it was before the postings (version 1): filter in SQL, score every row.

    Kept here, independent of facts.py's ranking code, as the reference the lookup must match.
    """
    where, params = ["1=1"], []
    if document:
        where.append("doc_id = ?")
        params.append(document)
    if actielijn:
        where.append("actielijn = ?")
        params.append(actielijn)
    if unit:
        where.append("(unit = ? OR (? = 'euro' AND unit = 'mln euro'))")
        params += [unit, unit]
    if year:
        where.append("(' ' || years || ' ') LIKE ?")
        params.append(f"% {year} %")
    with sqlite3.connect(db_path) as con:
        con.row_factory = sqlite3.Row
        rows = con.execute(f"SELECT * FROM facts WHERE {' AND '.join(where)}", params).fetchall()
    q_terms = search_terms(query, expand=False)
    if not q_terms or not rows:
        return []
    q_years = {int(y) for y in lexicon.years(query)} | ({year} if year else set())
    subj = [set(r["subject_terms"].split()) for r in rows]
    ctx = [set(r["context_terms"].split()) for r in rows]
    df = Counter(t for s, c in zip(subj, ctx, strict=True) for t in (s | c) if t in q_terms)
    idf = {t: math.log(1 + len(rows) / (1 + df[t])) for t in q_terms}
    total = sum(idf.values())
    want = "money" if MONEY_Q_RE.search(query) else "share" if SHARE_Q_RE.search(query) else ""
    scored = []
    for row, s_terms, c_terms in zip(rows, subj, ctx, strict=True):
        in_subject = sum(idf[t] for t in q_terms if t in s_terms) / total
        in_context = sum(idf[t] for t in q_terms if t in c_terms | s_terms) / total
        if in_context == 0:
            continue
        score = 0.5 * in_subject + 0.5 * in_context
        fact_years = {int(y) for y in row["years"].split()}
        if q_years and fact_years:
            if fact_years & q_years:
                score += 0.25 if len(fact_years) == 1 else 0.15
            else:
                score -= 0.1
        if want == "money":
            score += 0.1 if row["unit"] in {"euro", "mln euro"} else -0.05
        elif want == "share":
            score += 0.1 if row["unit"] == "%" else -0.05
        if row["unit"] in {"datum", "jaar"}:
            score -= 0.1
        score *= 0.6 + 0.4 * float(row["confidence"])
        scored.append((score, row))
    scored.sort(key=lambda pair: (-pair[0], pair[1]["fact_id"]))
    names = {"column": "column_name"}
    return [Fact(**{k: row[names.get(k, k)] for k in FACT_FIELDS}) for _, row in scored[:limit]]


LOOKUPS = [
    ("Hoeveel is er in 2025 begroot voor het Regiobudget scheiden wonen en zorg?", {"year": 2025}),
    ("Hoeveel is er in 2025 begroot voor het Regiobudget scheiden wonen en zorg?", {"limit": 5}),
    ("Op hoeveel plekken is het aantal verpleeghuisplekken landelijk bevroren?", {}),
    ("Hoeveel geld gaat naar DOS?", {"limit": 50}),
    ("Wat is er begroot voor respijtzorg in 2024?", {"year": 2024, "limit": 5}),
    ("Welk percentage van de cliënten met een VV4-indicatie woont in een verpleeghuis?", {}),
    ("budget", {"limit": 100}),  # one very common term: every row holding it is read
    ("zorg wonen", {"limit": 7}),
    ("budget STOZ-regeling", {"document": "voortgangsrapportage-2024"}),
    ("budget", {"actielijn": 5, "limit": 50}),
    ("Domeinoverstijgende samenwerking", {"unit": "euro", "limit": 50}),
    ("aandeel verblijf", {"unit": "%"}),
    ("Hoeveel budget is er in 2026 beschikbaar voor de STOZ-regeling?", {"year": 2026}),
    ("regiobudget", {"year": 2025, "document": "investeringen-2023", "unit": "euro"}),
    ("zorg", {"year": 2024, "actielijn": 3, "unit": "%", "limit": 3}),
    ("stimuleringsregeling e-health thuis", {"limit": 1}),
    ("Regiobudget scheiden wonen en zorg", {"year": 1999}),  # no row passes the filter
    ("Hoeveel kost een xylofoonquasar?", {}),  # only a term no fact holds, and ~geld
    ("xylofoonquasar", {}),  # no known term at all
    ("hoeveel?", {}),  # no search term
    ("Regiobudget scheiden wonen en zorg", {"limit": 0}),
]


@pytest.mark.parametrize(("query", "filters"), LOOKUPS)
def test_lookup_gives_the_full_scan_ranking(fact_db, tripled_db, query, filters) -> None:
    for db in (fact_db, tripled_db):
        assert lookup_facts(db, query, **filters) == full_scan_lookup(db, query, **filters)


def test_full_scan_comparison_covers_misses_and_ties(fact_db, tripled_db) -> None:
    """The comparison above is not vacuous: it sees empty results, filters and exact ties."""
    assert lookup_facts(fact_db, "xylofoonquasar") == []
    assert lookup_facts(fact_db, "Hoeveel kost een xylofoonquasar?")  # ~geld still matches
    tied = lookup_facts(tripled_db, "Regiobudget scheiden wonen en zorg", year=2025, limit=3)
    assert [f.doc_id for f in tied] == [
        "investeringen-2023",
        "investeringen-2023-copy1",
        "investeringen-2023-copy2",
    ]
    assert len({(f.raw, f.line_start) for f in tied}) == 1


def test_postings_hold_the_stored_terms_and_years(fact_db) -> None:
    with sqlite3.connect(fact_db) as con:
        rows = con.execute("SELECT fact_id, subject_terms, context_terms, years FROM facts")
        rows = rows.fetchall()
        terms = {(t, i) for i, s, c, _ in rows for t in set(s.split()) | set(c.split())}
        years = {(int(y), i) for i, _, _, ys in rows for y in ys.split()}
        assert set(con.execute("SELECT term, fact_id FROM fact_terms")) == terms
        assert set(con.execute("SELECT year, fact_id FROM fact_years")) == years
        counts = Counter(t for t, _ in terms)
        assert dict(con.execute("SELECT term, facts FROM term_counts")) == counts
        meta = dict(con.execute("SELECT key, value FROM meta"))
    assert float(meta["max_confidence"]) == max(f.confidence for f in read_facts(fact_db))


def test_a_table_of_an_older_version_asks_for_a_rebuild(tmp_path, corpus_docs) -> None:
    """A version-1 table (no postings) is refused with what to do, not a SQLite error."""
    db = tmp_path / "facts.sqlite"
    build_fact_table(db, [d for d in corpus_docs if d.info.doc_id == "investeringen-2023"])
    with sqlite3.connect(db) as con:
        con.executescript(
            "DROP TABLE fact_terms; DROP TABLE term_counts; DROP TABLE fact_years;"
            "UPDATE meta SET value = '1' WHERE key = 'facts_version';"
            "DELETE FROM meta WHERE key = 'max_confidence';"
        )
    with pytest.raises(IndexMismatchError, match="wozo index"):
        check_fact_table(db)
    with pytest.raises(IndexMismatchError, match="version 1"):
        lookup_facts(db, "Regiobudget scheiden wonen en zorg")
    assert count_facts(db) == {"investeringen-2023": len(read_facts(db))}  # still readable


def test_export_csv_to_path_and_file(fact_db, tmp_path) -> None:
    facts = lookup_facts(fact_db, "Regiobudget scheiden wonen en zorg", limit=7)
    path = tmp_path / "facts.csv"
    export_csv(facts, path)
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert len(rows) == len(facts) == 7
    assert rows[0]["raw"] == facts[0].raw and float(rows[0]["value"]) == facts[0].value
    buffer = io.StringIO()
    export_csv(facts, buffer)
    assert buffer.getvalue() == path.read_bytes().decode("utf-8")


def test_stored_table_is_plain_sqlite(fact_db) -> None:
    with sqlite3.connect(fact_db) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"facts", "meta"} <= tables


def test_most_corpus_facts_have_subject_and_period(fact_db) -> None:
    facts = read_facts(fact_db)
    kinds = Counter(f.unit for f in facts)
    assert {"euro", "mln euro", "%", "aantal"} <= set(kinds)
    assert sum(1 for f in facts if f.subject) / len(facts) > 0.9
    assert sum(1 for f in facts if f.period) / len(facts) > 0.6


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hoeveel is er in 2025 begroot voor het Regiobudget?", True),
        ("Welk bedrag is er beschikbaar voor de STOZ?", True),
        ("Welk percentage van de cliënten woont in een verpleeghuis?", True),
        ("Hoe groot was het totale budget van de STOZ-regeling in 2024?", True),
        ("Wat is het budget voor DOS?", True),
        ("Wat was het totale budget in 2024?", True),
        ("Hoe hoog is het subsidieplafond?", True),
        ("Wat is reablement?", False),
        ("Waarom wordt de regeling niet voortgezet?", False),
        ("Wie voert de regeling uit?", False),
    ],
)
def test_is_figure_question(question: str, expected: bool) -> None:
    assert is_figure_question(question) is expected


@pytest.mark.parametrize(
    ("period", "years"),
    [
        ("2025", [2025]),
        ("2022-2026", [2022, 2023, 2024, 2025, 2026]),
        ("mei 2025", [2025]),
        ("2023 Q3", [2023]),
        ("t/m 2030", [2030]),
        ("tijdvak 1", []),
        ("structureel", []),
    ],
)
def test_period_years(period: str, years: list[int]) -> None:
    assert period_years(period) == years
