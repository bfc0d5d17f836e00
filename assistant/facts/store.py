"""The fact table: every figure of the corpus as a row in SQLite, and lookup by question.

Extraction (at index time, `facts.extract`) runs three extractors in turn: `facts.tables`,
`facts.charts` and `facts.prose`; a line a table or chart took is not read again as prose. All keep
`raw` verbatim: it is always a slice of the cited line(s) (a figure that wraps keeps its
newlines), so a number is never altered on its way to an answer. `value` is the normalised
number: money in prose is in whole euros (`€ 40 miljoen` -> 40000000, unit 'euro'); the
investments table keeps its own unit, millions of euros ('mln euro'), and its "Struc in" cells
are years (unit 'jaar'). Dates are facts too (unit 'datum', value yyyymmdd).

Lookup scores facts by the Dutch stems of the question found in the fact's subject/row label
(strongest) and in its sentence, measure and section, with the corpus's abbreviations expanded
both ways (DOS <-> domeinoverstijgende samenwerking) and a few synonyms for money and places. A
year in the question favours facts of that period; `year=` filters on it. The terms and the
score are `facts.rank`'s; this module stores every fact's terms and a postings list per term, so
that a lookup reads only facts that hold a term of the question, rarest term first, and stops
once no unread fact can reach the top (see `lookup_facts`): the ranking stays that of scoring
every row, at a cost that grows with the facts holding the question's terms, not with the table.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from assistant.errors import IndexCorruptError, IndexMissingError, IndexOutdatedError
from assistant.facts.extract import corpus_vocabulary, extract_facts
from assistant.facts.rank import Ranking, search_terms
from assistant.schema import DocumentText, Fact

FACTS_VERSION = (
    "3"  # 2: postings for lookup (fact_terms, term_counts, fact_years); 3: 0.3.0 synonyms
)
FACT_FIELDS = [f.name for f in fields(Fact)]


# --- the SQLite table -------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE facts (
    fact_id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, line_start INTEGER, line_end INTEGER,
    value REAL, unit TEXT, raw TEXT, sentence TEXT, subject TEXT, measure TEXT, period TEXT,
    page INTEGER, section TEXT, actielijn INTEGER, confidence REAL, row_label TEXT,
    column_name TEXT, years TEXT, subject_terms TEXT, context_terms TEXT
);
CREATE INDEX facts_doc ON facts(doc_id);
CREATE INDEX facts_filters ON facts(actielijn, unit, doc_id);
-- What lookup reads instead of every row: the facts holding each search term (in subject_terms
-- or context_terms), how many those are, and the facts of each year of their period.
CREATE TABLE fact_terms (
    term TEXT NOT NULL, fact_id INTEGER NOT NULL, PRIMARY KEY (term, fact_id)
) WITHOUT ROWID;
CREATE TABLE term_counts (term TEXT PRIMARY KEY, facts INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE fact_years (
    year INTEGER NOT NULL, fact_id INTEGER NOT NULL, PRIMARY KEY (year, fact_id)
) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
"""
COLUMNS = {"column": "column_name"}
MMAP_BYTES = 1 << 30  # address space, not memory: pages are read only when touched
# A row is left unread only when its bound is below the k-th best score by more than float
# rounding (the bound sums the same IDFs in another order).
BOUND_MARGIN = 1e-9
RANKED_COLUMNS = "f.subject_terms, f.context_terms, f.years, f.unit, f.confidence"  # Ranking.score


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
        max_confidence = 0.0
        for doc in docs:
            for fact in extract_facts(doc, vocabulary=vocabulary):
                count += 1
                _insert(con, fact, count)
                max_confidence = max(max_confidence, float(fact.confidence))
        con.execute("INSERT INTO term_counts SELECT term, COUNT(*) FROM fact_terms GROUP BY term")
        meta = {
            "facts_version": FACTS_VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "documents": ",".join(f"{d.info.doc_id}:{d.info.fingerprint[:12]}" for d in docs),
            "max_confidence": repr(max_confidence),
        }
        con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        con.commit()
    return count


def _insert(con: sqlite3.Connection, fact: Fact, fact_id: int) -> None:
    """Insert one fact with its postings (`fact_terms`, `fact_years`)."""
    row = {COLUMNS.get(k, k): v for k, v in fact.to_json().items()}
    row["fact_id"] = fact_id
    row["years"] = " ".join(str(y) for y in period_years(fact.period))
    row["subject_terms"] = " ".join(search_terms(f"{fact.subject} {fact.row_label}"))
    row["context_terms"] = " ".join(search_terms(f"{fact.sentence} {fact.measure} {fact.section}"))
    names = ", ".join(row)
    marks = ", ".join(f":{k}" for k in row)
    con.execute(f"INSERT INTO facts ({names}) VALUES ({marks})", row)
    terms = set(row["subject_terms"].split()) | set(row["context_terms"].split())
    con.executemany("INSERT INTO fact_terms VALUES (?, ?)", [(t, fact_id) for t in terms])
    years = {int(y) for y in row["years"].split()}
    con.executemany("INSERT INTO fact_years VALUES (?, ?)", [(y, fact_id) for y in years])


def check_fact_table(db_path: Path) -> None:
    """Raise an error users can act on when the table at `db_path` is not of FACTS_VERSION.

    A table built by an older version lacks what lookup reads (version 2 added the postings
    tables): `wozo index` rebuilds it.
    """
    with _reading(db_path) as con:
        _check_version(con, db_path)


def period_years(period: str) -> list[int]:
    """Years a period covers: '2022-2026' -> 2022…2026, 'mei 2025' -> 2025, 'tijdvak 1' -> []."""
    found = [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", period)]
    if len(found) == 2 and re.search(r"\d\s*-\s*(?:19|20)\d\d", period) and found[0] < found[1]:
        return list(range(found[0], found[1] + 1))
    return found


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
    with _reading(db_path) as con:
        return con.execute(sql, params or []).fetchall()


@contextmanager
def _reading(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection; a missing or broken table raises an error users can act on."""
    if not Path(db_path).is_file():
        raise IndexMissingError(f"No fact table at {db_path}: build the index first.")
    try:
        with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as con:
            con.row_factory = sqlite3.Row
            # Memory-mapped reads: a lookup's postings and rows come from the OS page cache
            # without a read call per page (each lookup opens a new connection).
            con.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            yield con
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

    The result is that of scoring every row that passes the filters (`Ranking`), but the rows
    are not all read: the IDF comes from counts (rows passing the filters; of those, the rows
    holding each query term), then the rows holding one term at a time, rarest term first, are
    scored, until no row left unread (it holds only terms not read yet) can score as high as
    the `limit`-th best so far. A question made only of very common terms still reads all the
    rows holding them.
    """
    terms = search_terms(query, expand=False)
    if not terms:
        return []
    where, params = _filter_sql(year=year, document=document, actielijn=actielijn, unit=unit)
    with _reading(db_path) as con:
        max_confidence = _check_version(con, db_path)
        candidates = _Candidates(con, terms, where, params)
        if not candidates.count:
            return []
        df = {t: candidates.count_holding(t) for t in terms}
        ranking = Ranking.for_query(query, terms, df, candidates.count, year=year)
        order = sorted(terms, key=lambda t: df[t])  # rarest first: the highest IDF
        scores: dict[int, float] = {}
        for i, term in enumerate(order):
            if 0 < limit <= len(scores):
                kth = heapq.nlargest(limit, scores.values())[-1]
                if ranking.bound(order[i:], max_confidence) < kth - BOUND_MARGIN:
                    break
            for fact_id, *columns in candidates.holding(term) if df[term] else []:
                if fact_id not in scores:
                    score = ranking.score(*columns)
                    if score is not None:
                        scores[fact_id] = score
        best = sorted(scores, key=lambda fact_id: (-scores[fact_id], fact_id))[:limit]
        rows = con.execute(
            "SELECT * FROM facts WHERE fact_id IN (SELECT value FROM json_each(?))",
            [json.dumps(best)],
        ).fetchall()
    by_id = {row["fact_id"]: row for row in rows}
    return [_row_fact(by_id[fact_id]) for fact_id in best]


def _filter_sql(
    *, year: int | None, document: str | None, actielijn: int | None, unit: str | None
) -> tuple[list[str], list[object]]:
    """SQL conditions on `facts` (and their parameters) for the lookup filters."""
    where: list[str] = []
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
        where.append("fact_id IN (SELECT fact_id FROM fact_years WHERE year = ?)")
        params.append(year)
    return where, params


class _Candidates:
    """The rows that pass the filters, counted and read by term through the postings.

    With filters, their ids go into the temporary table `passing` first; a join with a term's
    postings then starts from the smaller side (the term's postings or `passing`), so a very
    common term costs as many index probes as rows pass the filters, not as hold the term.
    """

    def __init__(
        self, con: sqlite3.Connection, terms: list[str], where: list[str], params: list[object]
    ) -> None:
        self.con = con
        sql = "SELECT term, facts FROM term_counts WHERE term IN (SELECT value FROM json_each(?))"
        self.stored: dict[str, int] = dict(con.execute(sql, [json.dumps(terms)]).fetchall())
        self.filtered = bool(where)
        if self.filtered:
            con.execute("CREATE TEMP TABLE passing (fact_id INTEGER PRIMARY KEY)")
            sql = f"INSERT INTO passing SELECT fact_id FROM facts WHERE {' AND '.join(where)}"
            self.count: int = con.execute(sql, params).rowcount
        else:
            self.count = con.execute("SELECT COUNT(*) FROM facts").fetchone()[0]

    def count_holding(self, term: str) -> int:
        if not self.filtered:
            return self.stored.get(term, 0)
        sql = f"SELECT COUNT(*) FROM {self._postings(term)} WHERE p.term = ?"
        return int(self.con.execute(sql, [term]).fetchone()[0])

    def holding(self, term: str) -> sqlite3.Cursor:
        """(fact_id, *RANKED_COLUMNS) of the rows holding `term`, in no particular order."""
        source = f"{self._postings(term)} JOIN facts f ON f.fact_id = p.fact_id"
        sql = f"SELECT f.fact_id, {RANKED_COLUMNS} FROM {source} WHERE p.term = ?"
        cursor = self.con.cursor()
        cursor.row_factory = None  # plain tuples: many rows, read once
        return cursor.execute(sql, [term])

    def _postings(self, term: str) -> str:
        """The FROM clause for the postings `p` of the rows that pass the filters."""
        if not self.filtered:
            return "fact_terms p"
        if self.stored.get(term, 0) <= self.count:
            return "fact_terms p CROSS JOIN passing s ON s.fact_id = p.fact_id"
        return "passing s CROSS JOIN fact_terms p ON p.fact_id = s.fact_id"


def _check_version(con: sqlite3.Connection, db_path: Path) -> float:
    """The table's largest confidence, once its version is checked (see `check_fact_table`)."""
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    if meta.get("facts_version") != FACTS_VERSION:
        raise IndexOutdatedError(
            f"The fact table {db_path} was built by another version of wozo-assistent (fact "
            f"table version {meta.get('facts_version') or 'unknown'}, this version needs "
            f"{FACTS_VERSION}). Rebuild the index with `wozo index`."
        )
    return float(meta.get("max_confidence", 1.0))  # confidences lie in 0..1


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
