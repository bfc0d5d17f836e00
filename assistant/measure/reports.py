"""Benchmark reports: the Markdown report, the console summary, and the comparison of two runs.

All are rendered from the JSON form of a run (`assistant.measure.runjson`, whose `load_run`
and `write_json` are importable from here too), so a saved `--json` file holds everything a
report shows and old runs can be compared later.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.measure.runjson import load_run, run_to_json, write_json, write_text

if TYPE_CHECKING:
    from assistant.measure.results import EvalRun

__all__ = [
    "compare_runs",
    "load_run",
    "render_markdown",
    "run_to_json",
    "summary_text",
    "write_json",
    "write_markdown",
]
ANSWER_CHARS = 300  # answers are truncated to this in the Markdown report

# (key in Scores, label, how to show it)
METRICS: tuple[tuple[str, str, str], ...] = (
    ("hit_at_1", "hit@1", "pct"),
    ("hit_at_k", "hit@k", "pct"),
    ("mrr", "MRR", "num"),
    ("accuracy", "accuracy", "pct"),
    ("abstention_precision", "abstention precision", "pct"),
    ("abstention_recall", "abstention recall", "pct"),
    ("citation_precision", "citation precision", "pct"),
    ("latency_p50_ms", "latency p50", "ms"),
    ("latency_p95_ms", "latency p95", "ms"),
)


# --- Markdown -------------------------------------------------------------------------------


def write_markdown(run: EvalRun, path: Path, command: str) -> None:
    """Write the human-readable report; `command` is the command line that made the run."""
    write_text(Path(path), render_markdown(run_to_json(run), command))


def render_markdown(data: dict[str, Any], command: str) -> str:
    """The report for a run in its JSON form (see `run_to_json`)."""
    k = data.get("k", 0)
    index = data.get("index") or {}
    questions = data.get("questions", [])
    problems = data.get("problems", [])
    source = data.get("questions_file") or "(questions passed in)"
    skipped = f", {len(problems)} line(s) skipped" if problems else ""
    settings = ", ".join(f"`{key}={value}`" for key, value in data.get("settings", {}).items())
    out = [
        "# WOZO benchmark report",
        "",
        f"- Command: `{command}`",
        f"- Date: {data.get('started_at', '')} (took {data.get('duration_s', 0)} s)",
        f"- Version: {data.get('version', '')}",
        f"- Settings: {settings}",
        f"- Embedding model: {data.get('embed_model', '')}",
        f"- Corpus fingerprint: `{data.get('corpus_fingerprint', '')}`",
        f"- Index build: {index.get('build_id', '')} ({index.get('built_at', '')})",
        f"- Questions: {source}: {len(questions)} question(s){skipped}; retrieval at k={k}",
        "",
        "## Overall",
        "",
        *_table("", {"all": data["metrics"]["overall"]}, k),
        "",
        "## Per kind",
        "",
        *_table("kind", data["metrics"].get("by_kind", {}), k),
    ]
    if data["metrics"].get("by_split"):
        out += ["", "## Per split", "", *_table("split", data["metrics"]["by_split"], k)]
    out += ["", _READING_NOTE]
    if problems:
        out += ["", "## Skipped lines", "", *(f"- {_cell(p)}" for p in problems)]
    failed = [q for q in questions if not q.get("pass", {}).get("answer")]
    out += ["", f"## Failed questions ({len(failed)} of {len(questions)})", ""]
    for q in failed:
        out += [*_failure(q), ""]
    if not failed:
        out.append("None.")
    return "\n".join(out).rstrip() + "\n"


_READING_NOTE = (
    "Rates are shares of the questions they apply to; `–` means none applied. Retrieval "
    "metrics leave out questions without sources; citation precision counts answered, "
    "answerable questions only. See `evals/README.md`."
)


def _table(first: str, groups: dict[str, dict[str, Any]], k: int) -> list[str]:
    labels = [label.replace("@k", f"@{k}") for _, label, _ in METRICS]
    rows = [
        f"| {first} | n | " + " | ".join(labels) + " |",
        "|---|---:|" + "---:|" * len(METRICS),
    ]
    for name, scores in groups.items():
        values = [_show(scores.get(key), how) for key, _, how in METRICS]
        rows.append(f"| {_cell(name)} | {scores.get('n', 0)} | " + " | ".join(values) + " |")
    return rows


def _failure(q: dict[str, Any]) -> list[str]:
    answerable = q.get("kind") != "unanswerable"
    if answerable:
        wanted = ", ".join(f'"{s}"' for s in q.get("must_contain", [])) or "(nothing)"
        expected = f"{_cell(q.get('expected', ''))} (must contain {wanted})"
    else:
        expected = "abstention (not in the documents)"
    if q.get("error"):
        verdict = f"error: {_cell(q['error'])}"
    elif not answerable:
        verdict = "answered instead of abstaining"
    elif q.get("abstained"):
        verdict = "abstained"
    else:
        verdict = "missing " + ", ".join(f'"{s}"' for s in q.get("missing", []))
    cited = [f"{_place(c)} {'✓' if c.get('gold') else '✗'}" for c in q.get("citations", [])] or [
        "none"
    ]
    gold = [_place(s) for s in q.get("sources", [])]
    rank = q.get("gold_rank")
    lines = [
        f"### {_cell(q['id'])} · {_cell(q.get('kind', ''))} · line {q.get('line', '?')}",
        "",
        f"- Question: {_cell(q.get('question', ''))}",
        f"- Expected: {expected}",
        f"- Answer: {_cell(_truncate(q.get('answer', ''))) or '(empty)'} — {verdict}",
        f"- Cited: {', '.join(cited)}",
    ]
    if gold:
        found = f"first at rank {rank}" if rank else "not retrieved"
        lines.append(f"- Gold sources: {', '.join(gold)} ({found})")
    return lines


def _place(item: dict[str, Any]) -> str:
    lines = item.get("lines")
    where = f"{lines[0]}-{lines[1]}" if lines else f"p. {item.get('page')}"
    return f"{item.get('document', '?')}:{where}"


def _truncate(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= ANSWER_CHARS else text[: ANSWER_CHARS - 1].rstrip() + "…"


def _cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _show(value: Any, how: str) -> str:
    if value is None:
        return "–"
    if how == "pct":
        return f"{value * 100:.1f}%"
    if how == "ms":
        return f"{value:,.0f} ms"
    return f"{value:.3f}"


def _delta(old: Any, new: Any, how: str) -> str:
    """The change as shown ("+5.0 pp"); empty when there is none at the shown precision."""
    if old is None or new is None:
        return ""
    if how == "pct":
        text = f"{(new - old) * 100:+.1f} pp"
    elif how == "ms":
        text = f"{new - old:+,.0f} ms"
    else:
        text = f"{new - old:+.3f}"
    return "" if float(text.split()[0].replace(",", "")) == 0 else text


def summary_text(run: EvalRun) -> str:
    """A few lines for the console after a run: overall, per kind, per split, failed ids."""
    data = run_to_json(run)
    k, metrics = data["k"], data["metrics"]
    overall = metrics["overall"]
    out = [
        f"{overall['n']} questions ({overall['n_answerable']} answerable, "
        f"{overall['n_unanswerable']} unanswerable), k={k}, model {data['embed_model']}",
        "",
    ]
    groups = {"all": overall, **metrics["by_kind"], **metrics["by_split"]}
    short = ("hit@1", f"hit@{k}", "MRR", "acc", "abst P", "abst R", "cit P", "p50", "p95")
    width = max(len(name) for name in groups) + 1
    out.append(f"{'':<{width}} {'n':>4} " + " ".join(f"{label:>8}" for label in short))
    for i, (name, scores) in enumerate(groups.items()):
        if i in (1, 1 + len(metrics["by_kind"])):
            out.append("")  # a blank line between overall, kinds and splits
        values = " ".join(f"{_show(scores.get(key), how):>8}" for key, _, how in METRICS)
        out.append(f"{name:<{width}} {scores.get('n', 0):>4} {values}")
    failed = [q["id"] for q in data["questions"] if not q["pass"]["answer"]]
    out += ["", f"failed ({len(failed)}): {', '.join(failed) or 'none'}"]
    return "\n".join(out) + "\n"


# --- comparing runs -------------------------------------------------------------------------


def compare_runs(old: dict[str, Any], new: dict[str, Any]) -> str:
    """What changed between two runs (as read by `load_run`): scores and flipped questions."""
    out = ["Comparing benchmark runs", f"  old: {_label(old)}", f"  new: {_label(new)}"]
    for key, what in (
        ("corpus_fingerprint", "corpus"),
        ("embed_model", "embedding model"),
        ("k", "k"),
    ):
        if old.get(key) != new.get(key):
            out.append(f"  note: the {what} differs ({old.get(key)} -> {new.get(key)})")
    old_settings, new_settings = old.get("settings", {}), new.get("settings", {})
    changed = [
        f"{key}: {old_settings.get(key)} -> {new_settings.get(key)}"
        for key in dict.fromkeys([*old_settings, *new_settings])
        if old_settings.get(key) != new_settings.get(key)
    ]
    out += ["", "Settings changed:" if changed else "Settings: unchanged"]
    out += [f"  {line}" for line in changed]

    k = new.get("k", 0)
    out += ["", "Overall", f"  {'metric':<22} {'old':>9} {'new':>9}  change"]
    old_all, new_all = old["metrics"]["overall"], new["metrics"]["overall"]
    out.append(f"  {'questions':<22} {old_all.get('n', 0):>9} {new_all.get('n', 0):>9}")
    for key, label, how in METRICS:
        a, b = old_all.get(key), new_all.get(key)
        label = label.replace("@k", f"@{k}")
        row = f"  {label:<22} {_show(a, how):>9} {_show(b, how):>9}  {_delta(a, b, how)}"
        out.append(row.rstrip())
    for group, title in (("by_kind", "Per kind"), ("by_split", "Per split")):
        groups = old["metrics"].get(group, {}), new["metrics"].get(group, {})
        out += _group_changes(*groups, title, k)
    out += _flips(old.get("questions", []), new.get("questions", []))
    return "\n".join(out) + "\n"


def _label(run: dict[str, Any]) -> str:
    fingerprint = str(run.get("corpus_fingerprint", ""))[:12]
    return (
        f"{run.get('started_at', '?')}  version {run.get('version', '?')}, "
        f"model {run.get('embed_model', '?')}, corpus {fingerprint}, k={run.get('k', '?')}"
    )


def _group_changes(old: dict[str, Any], new: dict[str, Any], title: str, k: int) -> list[str]:
    lines = []
    for name in dict.fromkeys([*old, *new]):
        a, b = old.get(name), new.get(name)
        if a is None or b is None:
            lines.append(f"  {name}: only in the {'new' if a is None else 'old'} run")
            continue
        diffs = [
            f"{label.replace('@k', f'@{k}')} {_show(a.get(key), how)} -> {_show(b.get(key), how)} "
            f"({_delta(a.get(key), b.get(key), how) or 'n/a'})"
            for key, label, how in METRICS
            if how != "ms" and _show(a.get(key), how) != _show(b.get(key), how)
        ]
        if diffs:
            lines.append(f"  {name} (n={b.get('n', 0)}): " + "; ".join(diffs))
    return (
        ["", f"{title} (changed scores only)", *(lines or ["  no changes"])] if old or new else []
    )


def _flips(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    before = {q["id"]: q for q in old}
    after = {q["id"]: q for q in new}
    common = [qid for qid in after if qid in before]
    sections = (
        ("answer", True, "Answers now correct"),
        ("answer", False, "Answers now wrong"),
        ("hit@k", True, "Gold passage now in the top k"),
        ("hit@k", False, "Gold passage no longer in the top k"),
    )
    out = []
    for check, now, title in sections:
        ids = [
            qid
            for qid in common
            if before[qid].get("pass", {}).get(check) is (not now)
            and after[qid].get("pass", {}).get(check) is now
        ]
        out += ["", f"{title} ({len(ids)})"]
        out += [f"  {'+' if now else '-'} {_brief(after[qid])}" for qid in ids]
    gone = [qid for qid in before if qid not in after]
    added = [qid for qid in after if qid not in before]
    if gone or added:
        out += ["", f"Only in the old run: {', '.join(gone) or 'none'}"]
        out.append(f"Only in the new run: {', '.join(added) or 'none'}")
    return out


def _brief(q: dict[str, Any]) -> str:
    text = " ".join(str(q.get("question", "")).split())
    text = text if len(text) <= 80 else text[:79] + "…"
    return f"{q['id']} [{q.get('kind', '')}] {text}"
