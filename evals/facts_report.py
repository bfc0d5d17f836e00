"""Measure the fact table against the hand-made gold list and write evals/FACTS.md.

Builds the fact table of the corpus in a temporary folder and reports:
- recall on `evals/facts_gold.jsonl`: a gold figure is found when a fact of the same document
  has a line range covering the gold line (±1 line, figures may wrap) and the same value in a
  comparable unit (a 'mln euro' table value is compared in euros);
- precision, estimated by a rule (the gold list does not name every figure): of the facts whose
  line range covers a gold line, the share whose value and unit match a gold figure on that
  line (±1). Lines with gold figures often hold figures the gold list leaves out, so this is a
  lower bound on the true precision; the report also shows a fixed random sample of facts to
  judge by eye;
- how many facts have a subject and a period. Run:

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
from assistant.corpus import list_documents, read_document  # noqa: E402
from assistant.facts import FACTS_VERSION, build_fact_table, lookup_facts, read_facts  # noqa: E402
from assistant.types import Fact  # noqa: E402

COMMAND = "python evals/facts_report.py"
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


def pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.1f}%)" if d else "0/0"


def report(result: dict, facts: list[Fact], gold: list[dict], counts: dict[str, int]) -> str:
    scope = result["scope"]
    by_kind = Counter(g["kind"] for g in gold)
    found_kind = Counter(g["kind"] for g in result["found"])
    units = Counter(f.unit for f in scope)
    low = sum(1 for f in scope if f.confidence < 0.5)
    lines = [
        "# Fact table: recall and precision",
        "",
        f"Made by `{COMMAND}` on {date.today().isoformat()} (wozo-assistent {__version__}, "
        f"fact extractor version {FACTS_VERSION}). Gold list: `evals/facts_gold.jsonl` "
        f"({len(gold)} figures from the four documents other than the investments table; the "
        "table itself is checked cell by cell in `tests/test_facts.py`).",
        "",
        "## Summary",
        "",
        "| measure | value |",
        "|---|---|",
        f"| recall on the gold list | {pct(len(result['found']), len(gold))} |",
        f"| precision on gold lines (lower bound, see below) | "
        f"{pct(len(result['correct']), len(result['on_gold_lines']))} |",
        f"| facts from the four documents | {len(scope)} |",
        f"| … with a subject | {pct(result['with_subject'], len(scope))} |",
        f"| … with a period | {pct(result['with_period'], len(scope))} |",
        f"| … with confidence < 0.5 (lone chart labels, unpaired legends) "
        f"| {pct(low, len(scope))} |",
        "",
        "Recall: a gold figure counts as found when a fact of the same document covers the gold "
        "line (±1 line, figures wrap) and has the same value in a comparable unit (table values "
        "in mln euro are compared in euros).",
        "",
        "Precision is estimated by a rule, not measured: the gold list does not name every "
        "figure in the documents, so only facts that cover a gold line are judged, and such a "
        "fact counts as correct when its value and unit match a gold figure on that line (±1). "
        "Long Markdown paragraphs and chart lines hold more real figures than the gold list "
        "names (e.g. '(21%)' next to '€ 11.4 miljoen'), which this rule counts as wrong: the "
        "figure is a lower bound. A fixed random sample of facts is listed at the end to judge "
        "by eye.",
        "",
        "## Recall per kind",
        "",
        "| kind | found |",
        "|---|---|",
        *[f"| {k} | {pct(found_kind[k], n)} |" for k, n in sorted(by_kind.items())],
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
    lines += ["", "## Facts on gold lines that match no gold figure", ""]
    wrong = [f for f in result["on_gold_lines"] if f not in result["correct"]]
    lines += ["| document | lines | raw | value | unit | subject |", "|---|---|---|---|---|---|"]
    lines += [_fact_row(f) for f in wrong]
    sample = random.Random(20250601).sample(scope, min(25, len(scope)))
    lines += ["", "## Random sample of facts (seed 20250601)", ""]
    lines += ["| document | lines | raw | value | unit | subject |", "|---|---|---|---|---|---|"]
    lines += [_fact_row(f) for f in sorted(sample, key=lambda f: (f.doc_id, f.line_start))]
    return "\n".join(lines) + "\n"


def _fact_row(f: Fact) -> str:
    raw = " ".join(f.raw.split()).replace("|", "\\|")
    subject = f.subject.replace("|", "\\|")[:70]
    return (
        f"| {f.doc_id} | {f.line_start}-{f.line_end} | `{raw}` | {f.value:g} | {f.unit} | "
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
        lookup_facts(db, "budget")  # the table is queryable
    counts = dict(Counter(f.doc_id for f in facts))
    result = evaluate(facts, gold)
    args.report.write_text(report(result, facts, gold, counts), encoding="utf-8")
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
