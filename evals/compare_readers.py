"""Compare the readers (heuristic vs the trained model) on the same questions in one run.

Each question file is scored by every reader on the same index, in the same process; the
tables go into the report between its results markers (the rest of the report is kept), and
each run's answers into `--json-dir` for `wozo eval --compare`. Run:

    python evals/compare_readers.py --questions evals/dev.jsonl \
        --questions evals/blind/batch-1.jsonl --report evals/READER.md
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import __version__  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.measure import evaluate, reports  # noqa: E402
from assistant.measure.results import EvalRun  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402

START, END = "<!-- results:start -->", "<!-- results:end -->"
# the readers by name: the settings each one changes
READERS = {
    "heuristic": {"reader": "heuristic"},
    "model": {"reader": "model", "reader_cross": False},
    # the model reader with its cross-reader (WOZO_READER_CROSS=1)
    "model-cross": {"reader": "model", "reader_cross": True},
}


def cited_gold(run: EvalRun) -> float | None:
    """Share of answerable questions whose answer cites at least one gold line."""
    rows = [r for r in run.results if r.in_retrieval]
    if not rows:
        return None
    return sum(1 for r in rows if not r.abstained and any(c.gold for c in r.citations)) / len(rows)


def pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def row(name: str, reader: str, run: EvalRun) -> str:
    s = run.metrics.overall
    return (
        f"| {name} | {reader} | {s.n} ({s.n_unanswerable}) | **{pct(s.accuracy)}** | "
        f"{pct(s.abstention_precision)} | {pct(s.abstention_recall)} | {pct(cited_gold(run))} | "
        f"{pct(s.hit_at_1)} | {pct(s.hit_at_k)} | {s.latency_p50_ms:.0f} / "
        f"{s.latency_p95_ms:.0f} ms |"
    )


def head_to_head(runs: dict[str, EvalRun]) -> str:
    """Questions the model reader gets right and each other reader wrong, and the reverse."""
    if "model" not in runs:
        return ""
    m = {r.question.id: r.correct for r in runs["model"].results}
    parts = []
    for name, run in runs.items():
        if name == "model":
            continue
        o = {r.question.id: r.correct for r in run.results}
        won = sum(1 for i in m if m[i] and not o[i])
        lost = sum(1 for i in m if o[i] and not m[i])
        parts.append(f"model right where {name} is wrong: {won}; the reverse: {lost}")
    return "; ".join(parts)


def commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "assistant"], capture_output=True, text=True, cwd=ROOT
        )
        return out.stdout.strip() + (" (+ uncommitted changes)" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=Path, action="append", required=True)
    ap.add_argument("--readers", nargs="+", default=["heuristic", "model"], choices=READERS)
    ap.add_argument("--report", type=Path, default=ROOT / "evals" / "READER.md")
    ap.add_argument("--json-dir", type=Path, help="write each run's answers here")
    args = ap.parse_args()
    settings = Settings.from_env()
    assistants = {r: Assistant.from_settings(settings.with_(**READERS[r])) for r in args.readers}
    for name, a in assistants.items():
        warnings = a.index_info().get("warnings") or []
        if warnings:
            print(f"{name}: {warnings}", file=sys.stderr)
    lines = [
        START,
        "",
        f"Made by `python evals/compare_readers.py "
        f"{' '.join('--questions ' + str(q) for q in args.questions)}` "
        f"on commit {commit()} (wozo {__version__}); top_k {settings.top_k}, hit@k at k=5.",
        "",
    ]
    card_path = settings.reader_model / "card.json"
    if card_path.is_file():
        card = json.loads(card_path.read_text(encoding="utf-8"))
        lines += [
            f"Model: {card.get('model')} trained on {card.get('training_data')}, seed "
            f"{card.get('seed')}, at commit {card.get('commit')}; base {card.get('base')}.",
            "",
        ]
    lines += [
        "| question set | reader | questions (unanswerable) | accuracy | abstention P | "
        "abstention R | cites gold | hit@1 | hit@5 | latency p50 / p95 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    notes = []
    for path in args.questions:
        questions, problems = evaluate.load_questions(path)
        for p in problems:
            print(f"{path.name}: {p}", file=sys.stderr)
        runs = {}
        for name, a in assistants.items():
            print(f"{path.name}: {name} …", file=sys.stderr, flush=True)
            run = replace(evaluate.run_eval(a, questions, k=5), questions_file=str(path.name))
            runs[name] = run
            lines.append(row(path.name, name, run))
            if args.json_dir:
                args.json_dir.mkdir(parents=True, exist_ok=True)
                reports.write_json(run, args.json_dir / f"{path.stem}.{name}.json")
        h2h = head_to_head(runs)
        if h2h:
            notes.append(f"- {path.name}: {h2h}")
    lines += ["", *notes, "", END]
    block = "\n".join(lines)
    old = args.report.read_text(encoding="utf-8") if args.report.is_file() else ""
    if START in old and END in old:
        text = old[: old.index(START)] + block + old[old.index(END) + len(END) :]
    else:
        text = (old.rstrip() + "\n\n" if old else "# Readers compared\n\n") + block + "\n"
    args.report.write_text(text, encoding="utf-8")
    print(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
