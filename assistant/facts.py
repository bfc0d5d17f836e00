"""The fact table: every figure of the corpus as a row in SQLite, and lookup by question.

Extraction (at index time) runs three extractors in turn: `facttables` (table cells),
`factcharts` (label/value lists, chart legends) and `factprose` (amounts, percentages, counts and
dates in running text); a line a table or chart took is not read again as prose. All keep
`raw` verbatim: it is always a slice of the cited line(s) (a figure that wraps keeps its
newlines), so a number is never altered on its way to an answer. `value` is the normalised
number: money in prose is in whole euros (`€ 40 miljoen` -> 40000000, unit 'euro'); the
investments table keeps its own unit, millions of euros ('mln euro'), and its "Struc in" cells
are years (unit 'jaar'). Dates are facts too (unit 'datum', value yyyymmdd).

Lookup scores facts by the Dutch stems of the question found in the fact's subject/row label
(strongest) and in its sentence, measure and section, with the corpus's abbreviations expanded
both ways (DOS <-> domeinoverstijgende samenwerking) and a few synonyms for money and places. A
year in the question favours facts of that period; `year=` filters on it.
"""

from __future__ import annotations

import csv
import io
import math
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from contextlib import closing
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from assistant import lexicon
from assistant.chunking import chunk_document
from assistant.errors import IndexCorruptError, IndexMissingError
from assistant.factcharts import extract_charts
from assistant.factprose import extract_prose
from assistant.facttables import DocView, build_vocabulary, extract_tables
from assistant.types import DocumentText, Fact

FACTS_VERSION = "1"
FACT_FIELDS = [f.name for f in fields(Fact)]
ACTIELIJN_HEAD_RE = re.compile(r"^\s?#*\s*Actielijn\s+(\d)\b")
# Abbreviations with the ways the corpus writes them out: lexicon.ABBREVIATIONS plus a few more
# found in the documents (and SWZ, which stands for two names).
ABBREVIATION_FORMS: dict[str, tuple[str, ...]] = {
    **{short: (long,) for short, long in lexicon.ABBREVIATIONS.items()},
    "swz": ("scheiden wonen en zorg", "scheiden wonen zorg", "stimuleringsregeling wonen en zorg"),
    "sze": ("slimme zorg estafette",),
    "iow": ("investeringsakkoord opleiden wijkverpleging",),
    "soo": ("stimuleringsregeling ontmoetingsruimten in ouderenhuisvesting",),
    "spuk": ("specifieke uitkering",),
    "rvo": ("rijksdienst voor ondernemend nederland",),
    "ioc": ("implementatie- en opschalingscoaching", "implementatie en opschalingscoach"),
}
# Words for the same thing in questions and documents; each group maps to one search term.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "~geld": ("geld", "bedrag", "bedragen", "budget", "budgetten", "begroot", "begroting",
              "middelen", "euro", "investering", "investeringen", "kost", "kosten"),
    "~aandeel": ("aandeel", "percentage", "procent", "deel"),
    "~plek": ("plek", "plekken", "plaats", "plaatsen"),
}  # fmt: skip
FIGURE_QUESTION_RE = re.compile(
    r"\bhoeveel\b|\bhoe\s+(?:groot|hoog|veel|duur)\b"
    r"|\bwelke?\s+(?:bedrag|percentage|aandeel|budget|aantal|deel|omvang|som)\b"
    r"|\bwat\s+(?:is|was|zijn|waren|wordt|werd)\s+(?:het|de|er)\s+(?:\w+\s+){0,2}"
    r"(?:budget|bedrag|aantal|percentage|aandeel|omvang|hoogte|plafond|subsidieplafond|kosten"
    r"|begroot|beschikbaar|uitgegeven|besteed|aangevraagd|toegekend)\b"
    r"|\bwat\s+kost|\bom\s+hoeveel\b|\bin\s+welk\s+jaar\b",
    re.IGNORECASE,
)
MONEY_Q_RE = re.compile(r"geld|bedrag|budget|begroot|euro|kost|subsidie|middelen|uitgegeven", re.I)
SHARE_Q_RE = re.compile(r"percentage|procent|aandeel|welk deel", re.I)


# --- extraction -------------------------------------------------------------------------------


def extract_facts(doc: DocumentText, *, vocabulary: Counter[str] | None = None) -> list[Fact]:
    """All figures of one document, in document order.

    `vocabulary` (word counts of the corpus, see `corpus_vocabulary`) repairs broken table
    labels; without it the document's own running text is the word list. `build_fact_table`
    passes the whole corpus's.
    """
    if vocabulary is None:
        vocabulary = corpus_vocabulary([doc])
    sections, actielijnen = _line_sections(doc)
    view = DocView(doc, sections, actielijnen, vocabulary)
    facts = extract_tables(view) + extract_charts(view) + extract_prose(view)
    return sorted(facts, key=lambda f: (f.line_start, f.line_end))  # stable: order in line


def corpus_vocabulary(docs: Iterable[DocumentText]) -> Counter[str]:
    """Word counts of the running text of `docs` (table rows left out: they hold fragments)."""
    return build_vocabulary(
        line for doc in docs for line in doc.lines if len(re.findall(r"\d+", line)) < 4
    )


def _line_sections(doc: DocumentText) -> tuple[list[str], list[int]]:
    """Section title and action line (0 = unknown) of every line, from the chunker."""
    n = len(doc.lines)
    sections: list[str | None] = [None] * n
    actielijnen = [0] * n
    for chunk in chunk_document(doc):
        for i in range(chunk.line_start - 1, min(chunk.line_end, n)):
            sections[i] = chunk.section
            actielijnen[i] = chunk.actielijn
    current, heading = "", 0
    for i in range(n):
        head = ACTIELIJN_HEAD_RE.match(doc.lines[i])
        if head:
            heading = int(head.group(1))
        found = sections[i]
        if found is not None:
            current = found
        sections[i] = current
        if not actielijnen[i]:
            actielijnen[i] = heading
    return [s or "" for s in sections], actielijnen


# --- the SQLite table -------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE facts (
    fact_id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, line_start INTEGER, line_end INTEGER,
    value REAL, unit TEXT, raw TEXT, sentence TEXT, subject TEXT, measure TEXT, period TEXT,
    page INTEGER, section TEXT, actielijn INTEGER, confidence REAL, row_label TEXT,
    column_name TEXT, years TEXT, subject_terms TEXT, context_terms TEXT
);
CREATE INDEX facts_doc ON facts(doc_id);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
"""
COLUMNS = {"column": "column_name"}


def build_fact_table(db_path: Path, docs: list[DocumentText]) -> int:
    """Write a new SQLite fact table for `docs` at `db_path`; returns the number of facts.

    An existing file at `db_path` is replaced: the caller writes to a temporary path and swaps.
    """
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path.unlink(missing_ok=True)
    vocabulary = corpus_vocabulary(docs)
    with closing(sqlite3.connect(db_path)) as con:
        con.executescript(SCHEMA)
        count = 0
        for doc in docs:
            for fact in extract_facts(doc, vocabulary=vocabulary):
                count += 1
                _insert(con, fact, count)
        meta = {
            "facts_version": FACTS_VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "documents": ",".join(f"{d.info.doc_id}:{d.info.fingerprint[:12]}" for d in docs),
        }
        con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        con.commit()
    return count


def _insert(con: sqlite3.Connection, fact: Fact, fact_id: int) -> None:
    row = {COLUMNS.get(k, k): v for k, v in fact.to_json().items()}
    row["fact_id"] = fact_id
    row["years"] = " ".join(str(y) for y in period_years(fact.period))
    row["subject_terms"] = " ".join(search_terms(f"{fact.subject} {fact.row_label}"))
    row["context_terms"] = " ".join(search_terms(f"{fact.sentence} {fact.measure} {fact.section}"))
    names = ", ".join(row)
    marks = ", ".join(f":{k}" for k in row)
    con.execute(f"INSERT INTO facts ({names}) VALUES ({marks})", row)


def period_years(period: str) -> list[int]:
    """Years a period covers: '2022-2026' -> 2022…2026, 'mei 2025' -> 2025, 'tijdvak 1' -> []."""
    found = [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", period)]
    if len(found) == 2 and re.search(r"\d\s*-\s*(?:19|20)\d\d", period) and found[0] < found[1]:
        return list(range(found[0], found[1] + 1))
    return found


def search_terms(text: str, *, expand: bool = True) -> list[str]:
    """Stems of the informative words with synonyms merged and abbreviations added.

    An abbreviation is added where its expansion is written ('domeinoverstijgende
    samenwerking' -> 'dos'); with `expand` (for facts, not for questions) the expansion is also
    added where the abbreviation is written. A question then asks for the abbreviation once
    instead of for every word of its expansion.
    """
    folded = lexicon.fold(text)
    extra = []
    for short, forms in ABBREVIATION_FORMS.items():
        if re.search(rf"\b{short}\b", folded):
            extra += list(forms[:1]) if expand else []
        elif any(form in folded for form in forms):
            extra.append(short)
    terms = []
    for token in lexicon.tokens(f"{folded} {' '.join(extra)}"):
        # 'stoz-regeling' is searched as itself and as 'stoz' and 'regeling'.
        parts = [token, *token.split("-")] if "-" in token else [token]
        for tok in parts:
            if tok in lexicon.STOPWORDS or not tok or tok[0].isdigit() or len(tok) < 2:
                continue
            terms.append(_canonical_term(tok))
    return list(dict.fromkeys(terms))


def _canonical_term(token: str) -> str:
    for name, words in SYNONYMS.items():
        if token in words:
            return name
    token = re.sub(r"plaats(en)?$", "plek", token)
    return lexicon.stem(token)


def count_facts(db_path: Path) -> dict[str, int]:
    """Number of facts per document id."""
    rows = _query(db_path, "SELECT doc_id, COUNT(*) FROM facts GROUP BY doc_id ORDER BY doc_id")
    return {doc_id: n for doc_id, n in rows}


def read_facts(db_path: Path, document: str | None = None) -> list[Fact]:
    """Every fact in the table (of one document), in table order; for export and reports."""
    sql = "SELECT * FROM facts" + (" WHERE doc_id = ?" if document else "") + " ORDER BY fact_id"
    return [_row_fact(row) for row in _query(db_path, sql, [document] if document else [])]


def _query(db_path: Path, sql: str, params: list[object] | None = None) -> list[sqlite3.Row]:
    """Rows of a read-only query; a missing or broken table raises an error users can act on."""
    if not Path(db_path).is_file():
        raise IndexMissingError(f"No fact table at {db_path}: build the index first.")
    try:
        with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as con:
            con.row_factory = sqlite3.Row
            return con.execute(sql, params or []).fetchall()
    except sqlite3.DatabaseError as exc:
        raise IndexCorruptError(
            f"The fact table {db_path} cannot be read ({exc}); rebuild the index."
        ) from exc


def _row_fact(row: sqlite3.Row) -> Fact:
    values = {name: row[COLUMNS.get(name, name)] for name in FACT_FIELDS}
    return Fact(**values)


# --- lookup -----------------------------------------------------------------------------------


def lookup_facts(
    db_path: Path,
    query: str,
    *,
    year: int | None = None,
    document: str | None = None,
    actielijn: int | None = None,
    unit: str | None = None,
    limit: int = 20,
) -> list[Fact]:
    """Facts that answer `query`, best first. Filters narrow the candidates before ranking.

    A year in the query that is not given as `year` raises facts of that period; `unit='euro'`
    also matches the table's 'mln euro'.
    """
    where: list[str] = ["1=1"]
    params: list[object] = []
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
    rows = _query(db_path, f"SELECT * FROM facts WHERE {' AND '.join(where)}", params)
    ranked = _rank(query, rows, year=year)
    return [_row_fact(row) for _, row in ranked[:limit]]


def _rank(
    query: str, rows: list[sqlite3.Row], *, year: int | None = None
) -> list[tuple[float, sqlite3.Row]]:
    """Score rows for a query (see module doc); rows without any query term are dropped."""
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
                score += 0.25 if len(fact_years) == 1 else 0.15  # a range covers it less exactly
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
    return scored


def is_figure_question(question: str) -> bool:
    """Whether a question asks for a figure (amount, count, percentage, date of a figure)."""
    return bool(FIGURE_QUESTION_RE.search(lexicon.fold(question)))


# --- export -----------------------------------------------------------------------------------


def export_csv(facts: list[Fact], path_or_file: Path | str | IO[str]) -> None:
    """Write facts as CSV (UTF-8, one column per Fact field) to a path or an open text file."""
    if isinstance(path_or_file, str | Path):
        with Path(path_or_file).open("w", encoding="utf-8", newline="") as fh:
            _write_csv(facts, fh)
    else:
        _write_csv(facts, path_or_file)


def _write_csv(facts: list[Fact], fh: IO[str] | io.StringIO) -> None:
    writer = csv.DictWriter(fh, fieldnames=FACT_FIELDS)
    writer.writeheader()
    for fact in facts:
        writer.writerow(fact.to_json())
