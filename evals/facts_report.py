"""Measure the fact table against the hand-made gold list and write evals/FACTS.md.

Builds the fact table of the corpus in a temporary folder and reports:
- recall on `evals/facts_gold.jsonl`: a gold figure is found when a fact of the same document
  has a line range covering the gold line (±1 line, figures may wrap) and the same value in a
  comparable unit (a 'mln euro' table value is compared in euros);
- precision, estimated twice (the gold list does not name every figure): on a stratified random
  sample judged by hand (`AUDIT` below), and by a rule: of the facts whose line range covers a
  gold line, the share whose value and unit match a gold figure on that line (±1) -- a lower
  bound, since those lines hold figures the gold list leaves out;
- how many facts have a subject and a period, and the best fact for a few example questions.
Run:

    python evals/facts_report.py [--corpus corpus] [--gold evals/facts_gold.jsonl] \
        [--report evals/FACTS.md]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import __version__  # noqa: E402
from assistant.facts.store import FACTS_VERSION, build_fact_table, lookup_facts, read_facts  # noqa: E402
from assistant.ingest.corpus import list_documents, read_document  # noqa: E402
from assistant.schema import Fact  # noqa: E402
from assistant.text.numbers import canonical  # noqa: E402

COMMAND = "python evals/facts_report.py"
SEED = 20250601
# A stratified random sample of the facts (seed SEED): 50 from running text, 20 table/chart
# cells, judged by hand by the extractor's author: True = a real figure of the document with the
# right value and unit. Not an independent judgement; the criterion is lenient (dates and small
# counts such as '5 actielijnen' are real figures). Facts drawn that are not listed here (after
# the extractor changed) are reported as not audited.
AUDIT: dict[tuple[str, int, str], bool] = {
    # drawn after the 0.2.0 extractor changes; judged by hand on 2026-12-01
    ('voortgangsrapportage-2024', 295, '80.000'): True,
    ('resultaatmonitor-2025', 1701, '6'): True,
    ('voortgangsrapportage-2024', 243, '1 juli 2024'): True,
    ('resultaatmonitor-2025', 79, '€54 miljoen'): True,
    ('voortgangsrapportage-2024', 257, '200'): True,
    ('resultaatmonitor-2025', 2044, '€ 15 miljoen'): True,
    ('planningsmonitor-2024', 479, '01-01-2026'): True,
    ('programmaplan-2022', 435, '5'): True,
    ('resultaatmonitor-2025', 2096, '11'): True,
    ('voortgangsrapportage-2024', 405, '€650.000,-'): True,
    ('resultaatmonitor-2025', 2100, '21%'): True,
    ('planningsmonitor-2024', 676, '800'): True,
    ('planningsmonitor-2024', 707, '54 miljoen'): True,
    ('resultaatmonitor-2025', 2124, '20'): True,
    ('resultaatmonitor-2025', 2669, '8 van 20'): True,
    ('resultaatmonitor-2025', 788, '4%'): True,
    ('resultaatmonitor-2025', 632, '27'): True,
    ('resultaatmonitor-2025', 2104, '€ 11 miljoen'): True,
    ('resultaatmonitor-2025', 2342, '72%'): True,
    ('programmaplan-2022', 2237, '€ 40 mln.'): True,
    ('voortgangsrapportage-2024', 423, '34%'): True,
    ('planningsmonitor-2024', 700, '113'): True,
    ('voortgangsrapportage-2024', 54, '€ 1 mln'): True,
    ('voortgangsrapportage-2024', 263, '30'): True,
    ('resultaatmonitor-2025', 3469, '€10.000'): True,
    ('voortgangsrapportage-2024', 247, '€ 8,7 mln'): True,
    ('voortgangsrapportage-2024', 419, '120.000'): True,
    ('resultaatmonitor-2025', 1667, '35'): True,
    ('resultaatmonitor-2025', 547, '12'): True,
    ('planningsmonitor-2024', 598, '30 mln euro'): True,
    ('resultaatmonitor-2025', 2816, '€3,5 miljoen'): True,
    ('resultaatmonitor-2025', 2394, '€ 11,4 miljoen'): True,
    ('voortgangsrapportage-2024', 309, '1.700'): True,
    ('resultaatmonitor-2025', 1045, '8453'): True,
    ('resultaatmonitor-2025', 1027, '12'): True,
    ('resultaatmonitor-2025', 2028, '300'): True,
    ('planningsmonitor-2024', 628, '€ 150 miljoen'): True,
    ("planningsmonitor-2024", 205, '1 januari 2024'): True,
    ("planningsmonitor-2024", 404, '37'): True,
    ("planningsmonitor-2024", 448, '31 oktober 2024'): True,
    ("planningsmonitor-2024", 503, '7 maart 2024'): True,
    ("planningsmonitor-2024", 626, '17 maart 2023'): True,
    ("planningsmonitor-2024", 645, '90'): True,
    ("planningsmonitor-2024", 677, '4400'): True,
    ("planningsmonitor-2024", 701, '12,5 mln euro'): True,
    ("planningsmonitor-2024", 709, '294'): True,
    ("programmaplan-2022", 1112, '4 juli 2022'): True,
    ("programmaplan-2022", 2358, '170.000'): True,
    ("resultaatmonitor-2025", 81, '€13 miljoen'): True,
    ("resultaatmonitor-2025", 83, '€27 miljoen'): True,
    ("resultaatmonitor-2025", 557, '12'): True,
    ("resultaatmonitor-2025", 736, '€175'): True,
    ("resultaatmonitor-2025", 736, '€200'): True,
    ("resultaatmonitor-2025", 823, '25%'): True,
    ("resultaatmonitor-2025", 823, '5%'): True,
    ("resultaatmonitor-2025", 1027, '1062'): True,
    ("resultaatmonitor-2025", 1216, '50'): True,
    ("resultaatmonitor-2025", 1675, '38'): True,
    ("resultaatmonitor-2025", 1699, '10'): True,
    ("resultaatmonitor-2025", 1763, '3'): True,
    ("resultaatmonitor-2025", 2028, '234'): True,
    ("resultaatmonitor-2025", 2044, '€ 12,5 miljoen'): True,
    ("resultaatmonitor-2025", 2059, '63%'): True,
    ("resultaatmonitor-2025", 2098, '€54 miljoen'): True,
    ("resultaatmonitor-2025", 2102, '€27 miljoen'): True,
    ("resultaatmonitor-2025", 2104, '€ 266 duizend'): True,
    ("resultaatmonitor-2025", 2281, '€252 miljoen'): True,
    ("resultaatmonitor-2025", 2390, '5 miljoen'): True,
    ("resultaatmonitor-2025", 2467, '9.624'): True,
    ("resultaatmonitor-2025", 2675, '12'): True,
    ("resultaatmonitor-2025", 2680, '12'): True,
    ("resultaatmonitor-2025", 2690, '4'): True,
    ("resultaatmonitor-2025", 3397, '01-08-2022'): False,  # a date inside a file name
    ("voortgangsrapportage-2024", 52, '17 juli 2023'): True,
    ("voortgangsrapportage-2024", 54, '€ 137.000'): True,
    ("voortgangsrapportage-2024", 247, '22'): True,
    ("voortgangsrapportage-2024", 247, '14'): True,
    ("voortgangsrapportage-2024", 253, '€ 40 mln'): True,
    ("voortgangsrapportage-2024", 261, '700.000'): True,
    ("voortgangsrapportage-2024", 261, '8.200'): True,
    ("voortgangsrapportage-2024", 261, '172.000'): True,
    ("voortgangsrapportage-2024", 289, '290.000'): True,
    ("voortgangsrapportage-2024", 305, '5'): True,
    ("voortgangsrapportage-2024", 313, '50'): True,
    ("voortgangsrapportage-2024", 411, '4 miljoen'): True,
    ("voortgangsrapportage-2024", 421, '850'): True,
    ("voortgangsrapportage-2024", 427, '165'): True,
    ("resultaatmonitor-2025", 2984, '47,8%'): True,
    ("resultaatmonitor-2025", 2986, '62,4%'): True,
    ("resultaatmonitor-2025", 2990, '53,6%'): True,
    ("resultaatmonitor-2025", 3000, '70,3%'): True,
    ("resultaatmonitor-2025", 3022, '34,1%'): True,
    ("resultaatmonitor-2025", 3034, '54,3%'): True,
    ("resultaatmonitor-2025", 3034, '46,8%'): True,
    ("resultaatmonitor-2025", 3120, '73,2%'): True,
    ("resultaatmonitor-2025", 3140, '70,2%'): True,
    ("resultaatmonitor-2025", 3144, '66,1%'): True,
    ("resultaatmonitor-2025", 3148, '70,1%'): True,
    ("resultaatmonitor-2025", 3166, '69,3%'): True,
    ("resultaatmonitor-2025", 3228, '85,5%'): True,
    ("resultaatmonitor-2025", 3230, '83,1%'): True,
    ("resultaatmonitor-2025", 3234, '70,9%'): True,
    ("resultaatmonitor-2025", 3238, '89,5%'): True,
    ("resultaatmonitor-2025", 3244, '82,3%'): True,
    ("resultaatmonitor-2025", 3274, '83,5%'): True,
    ("resultaatmonitor-2025", 3288, '77,8%'): True,
    ("resultaatmonitor-2025", 3299, '82,1%'): True,
}  # fmt: skip
EXAMPLES = [
    "Hoeveel is er in 2025 begroot voor het Regiobudget scheiden wonen en zorg?",
    "Hoeveel geld gaat er in 2026 naar de Nationale dementiestrategie?",
    "Op hoeveel plekken is het aantal verpleeghuisplekken landelijk bevroren?",
    "Hoe groot was het totale budget van de STOZ-regeling in 2024?",
    "Hoeveel DOS-initiatieven zijn in 2024 gefinancierd?",
]
UNIT_CLASS = {"euro": "euro", "mln euro": "euro", "%": "%", "aantal": "aantal"}


def load_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def comparable(fact: Fact) -> tuple[str, float] | None:
    """(unit class, value) of a fact, with table millions converted to euros."""
    unit = UNIT_CLASS.get(fact.unit)
    if unit is None:
        return None
    value = fact.value * 1_000_000 if fact.unit == "mln euro" else fact.value
    return unit, value


def same_value(a: float, b: float) -> bool:
    return abs(a - b) <= max(1e-6, 1e-9 * max(abs(a), abs(b)))


def matches(fact: Fact, gold: dict, tolerance: int = 1) -> bool:
    if fact.doc_id != gold["document"]:
        return False
    if not fact.line_start - tolerance <= gold["line"] <= fact.line_end + tolerance:
        return False
    comp = comparable(fact)
    return comp is not None and comp[0] == gold["unit"] and same_value(comp[1], gold["value"])


def evaluate(facts: list[Fact], gold: list[dict]) -> dict:
    gold_docs = {g["document"] for g in gold}
    scope = [f for f in facts if f.doc_id in gold_docs]
    found, missed = [], []
    for g in gold:
        (found if any(matches(f, g) for f in scope) else missed).append(g)
    on_gold_lines = [
        f
        for f in scope
        if any(g["document"] == f.doc_id and f.line_start <= g["line"] <= f.line_end for g in gold)
    ]
    correct = [f for f in on_gold_lines if any(matches(f, g) for g in gold)]
    return {
        "scope": scope,
        "found": found,
        "missed": missed,
        "on_gold_lines": on_gold_lines,
        "correct": correct,
        "recall": len(found) / len(gold) if gold else 0.0,
        "precision": len(correct) / len(on_gold_lines) if on_gold_lines else 0.0,
        "with_subject": sum(1 for f in scope if f.subject.strip()),
        "with_period": sum(1 for f in scope if f.period.strip()),
    }


def audit_sample(scope: list[Fact]) -> dict[str, list[tuple[Fact, bool | None]]]:
    """The audit sample per stratum with its verdict (None: drawn but not audited)."""
    strata = {
        "running text": ([f for f in scope if not f.row_label], 50),
        "table/chart cells": ([f for f in scope if f.row_label], 20),
    }
    out = {}
    for name, (pool, n) in strata.items():
        drawn = random.Random(SEED).sample(pool, min(n, len(pool)))
        out[name] = [
            (f, AUDIT.get((f.doc_id, f.line_start, " ".join(f.raw.split())))) for f in drawn
        ]
    return out


def pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.1f}%)" if d else "0/0"


def audited_precision(scope: list[Fact]) -> tuple[list[str], float | None]:
    """Table rows per stratum and the estimate weighted by stratum size."""
    rows, weighted, weight = [], 0.0, 0
    for name, judged in audit_sample(scope).items():
        pool = sum(1 for f in scope if bool(f.row_label) == (name != "running text"))
        done = [ok for _, ok in judged if ok is not None]
        rows.append(
            f"| {name} | {pool} | {len(done)} | {pct(sum(done), len(done))} "
            f"| {len(judged) - len(done)} |"
        )
        if done:
            weighted += pool * sum(done) / len(done)
            weight += pool
    return rows, (weighted / weight if weight else None)


def lookup_examples(db: Path) -> list[str]:
    """The best fact for the example questions of the issue, as a smoke test of lookup."""
    rows = []
    for question in EXAMPLES:
        best = lookup_facts(db, question, limit=1)
        found = _fact_row(best[0]) if best else "| – | – | – | – | – | – |"
        rows.append(f"| {question} {found}")
    return rows


def report(result: dict, gold: list[dict], counts: dict[str, int], examples: list[str]) -> str:
    scope = result["scope"]
    by_kind = Counter(g["kind"] for g in gold)
    found_kind = Counter(g["kind"] for g in result["found"])
    units = Counter(f.unit for f in scope)
    low = sum(1 for f in scope if f.confidence < 0.5)
    audit_rows, audited = audited_precision(scope)
    fact_head = ["| document | lines | raw | value | unit | subject |", "|---|---|---|---|---|---|"]
    lines = [
        "# Fact table: recall and precision",
        "",
        f"Made by `{COMMAND}` on {date.today().isoformat()} (wozo-assistent {__version__}, "
        f"fact extractor version {FACTS_VERSION}, corpus `corpus/`). Gold list: "
        f"`evals/facts_gold.jsonl` ({len(gold)} figures from the four documents other than the "
        "investments table; that table is checked cell by cell in `tests/test_facts.py`).",
        "",
        "## Summary",
        "",
        "| measure | value |",
        "|---|---|",
        f"| recall on the gold list | {pct(len(result['found']), len(gold))} |",
        "| precision, hand-audited stratified sample (weighted) | "
        + (f"{audited:.3f} |" if audited is not None else "not audited |"),
        f"| precision on gold lines (rule, lower bound) | "
        f"{pct(len(result['correct']), len(result['on_gold_lines']))} |",
        f"| facts from the four documents | {len(scope)} |",
        f"| … with a subject | {pct(result['with_subject'], len(scope))} |",
        f"| … with a period | {pct(result['with_period'], len(scope))} |",
        f"| … with confidence < 0.5 (lone chart labels, unpaired legends) "
        f"| {pct(low, len(scope))} |",
        "",
        "## How to read these numbers",
        "",
        "- Recall: a gold figure is found when a fact of the same document covers the gold line "
        "(±1 line, figures wrap) and has the same value in a comparable unit (table values in "
        "mln euro are compared in euros). The gold list was read while the extractor was "
        "written, so this is not a held-out figure; the rules are general (no gold line or "
        "value is named in the code), but expect lower recall on new documents.",
        "- Precision has no complete reference: the gold list does not name every figure. Two "
        "estimates: (1) a stratified random sample judged by hand by the extractor's author "
        "(not independent, lenient: dates and small counts such as '5 actielijnen' count as "
        "figures); (2) a rule: of the facts covering a gold line, the share matching a gold "
        "figure on that line. Those lines often hold figures the gold list leaves out (e.g. "
        "'(21%)' next to '€ 11.4 miljoen'; see the list below: they are real figures), so (2) "
        "is a loose lower bound.",
        "- Subject and period are counted when not empty; their quality is not measured. Subjects "
        "of running-text figures are the content words around the figure in its clause, not a "
        "summary; the audited sample below shows them.",
        "",
        "## Lookup examples",
        "",
        "| question | document | lines | raw | value | unit | subject |",
        "|---|---|---|---|---|---|---|",
        *examples,
        "",
        "## Recall per kind",
        "",
        "| kind | found |",
        "|---|---|",
        *[f"| {k} | {pct(found_kind[k], n)} |" for k, n in sorted(by_kind.items())],
        "",
        "## Missed gold figures",
        "",
    ]
    if result["missed"]:
        lines += ["| document | line | raw | value | unit |", "|---|---|---|---|---|"]
        lines += [
            f"| {g['document']} | {g['line']} | `{g['raw']}` | {g['value']} | {g['unit']} |"
            for g in result["missed"]
        ]
    else:
        lines.append("None.")
    lines += [
        "",
        "## Precision on the hand-audited sample",
        "",
        f"Seed {SEED}; 50 facts from running text and 20 table/chart cells, each stratum "
        "weighted by its share of the facts.",
        "",
        "| stratum | facts | audited | correct | not audited |",
        "|---|---|---|---|---|",
        *audit_rows,
        "",
        "## Facts per document (whole corpus) and per unit (four documents)",
        "",
        "| document | facts |",
        "|---|---|",
        *[f"| {doc} | {n} |" for doc, n in sorted(counts.items())],
        "",
        "| unit | facts |",
        "|---|---|",
        *[f"| {u} | {n} |" for u, n in units.most_common()],
        "",
        "## Facts on gold lines that match no gold figure",
        "",
        *fact_head,
        *[_fact_row(f) for f in result["on_gold_lines"] if f not in result["correct"]],
        "",
        "## The audited sample",
        "",
        "| ok " + fact_head[0],
        "|---" + fact_head[1],
    ]
    for judged in audit_sample(scope).values():
        for f, ok in sorted(judged, key=lambda p: (p[0].doc_id, p[0].line_start)):
            lines.append(f"| {dict([(True, 'yes'), (False, 'no')]).get(ok, '?')} {_fact_row(f)}")
    return "\n".join(lines) + "\n"


def _fact_row(f: Fact) -> str:
    raw = " ".join(f.raw.split()).replace("|", "\\|")
    subject = f.subject.replace("|", "\\|")[:70]
    return (
        f"| {f.doc_id} | {f.line_start}-{f.line_end} | `{raw}` | {canonical(f.value)} | {f.unit} | "
        f"{subject} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--gold", type=Path, default=ROOT / "evals" / "facts_gold.jsonl")
    parser.add_argument("--report", type=Path, default=ROOT / "evals" / "FACTS.md")
    args = parser.parse_args(argv)
    docs = [read_document(info) for info in list_documents(args.corpus)]
    gold = load_gold(args.gold)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "facts.sqlite"
        build_fact_table(db, docs)
        facts = read_facts(db)
        examples = lookup_examples(db)
    counts = dict(Counter(f.doc_id for f in facts))
    result = evaluate(facts, gold)
    args.report.write_text(report(result, gold, counts, examples), encoding="utf-8")
    print(
        f"recall {len(result['found'])}/{len(gold)} = {result['recall']:.3f}; "
        f"precision (gold lines) {result['precision']:.3f}; facts {len(result['scope'])}, "
        f"subject {result['with_subject']}, period {result['with_period']}; "
        f"report: {args.report}"
    )
    for g in result["missed"]:
        print(f"  missed {g['document']}:{g['line']} {g['raw']!r} {g['value']} {g['unit']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
