"""A benchmark run as JSON: the format `wozo eval --json` writes and `--compare` reads back.

Everything a report shows is in this form, so a saved run can be rendered or compared later.
It reads the results of `assistant.measure.results` (for type checking only).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import AssistantError

if TYPE_CHECKING:
    from assistant.measure.results import EvalRun, Evidence, QuestionResult, Scores

FORMAT = "wozo-eval/1"


def run_to_json(run: EvalRun) -> dict[str, Any]:
    """The run as plain JSON data: what `write_json` writes and `load_run` reads back."""
    m = run.metrics
    return {
        "format": FORMAT,
        "version": run.version,
        "started_at": run.started_at,
        "duration_s": round(run.duration_s, 2),
        "questions_file": run.questions_file,
        "k": run.k,
        "embed_model": run.embed_model,
        "corpus_fingerprint": run.corpus_fingerprint,
        "index": run.index_info,
        "settings": run.settings,
        "problems": list(run.problems),
        "metrics": {
            "overall": _scores_json(m.overall),
            "by_kind": {kind: _scores_json(s) for kind, s in m.by_kind.items()},
            "by_split": {split: _scores_json(s) for split, s in m.by_split.items()},
        },
        "questions": [_result_json(r) for r in run.results],
    }


def _scores_json(scores: Scores) -> dict[str, Any]:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(scores).items()}


def _evidence_json(e: Evidence, rank_key: str) -> dict[str, Any]:
    out = {rank_key: e.rank, "document": e.document, "page": e.page, "lines": list(e.lines)}
    if e.score is not None:
        out["score"] = round(e.score, 4)
    out["gold"] = e.gold
    return out


def _result_json(r: QuestionResult) -> dict[str, Any]:
    q = r.question
    rr = r.reciprocal_rank
    cp = r.citation_precision
    return {
        "id": q.id,
        "kind": q.kind,
        "split": q.split or None,
        "line": q.line_no,
        "question": q.question,
        "expected": q.answer,
        "must_contain": list(q.must_contain),
        "sources": [
            {"document": s.document, "lines": list(s.lines) if s.lines else None, "page": s.page}
            for s in q.sources
        ],
        "answer": r.answer_text,
        "abstained": r.abstained,
        "error": r.error or None,
        "citations": [_evidence_json(c, "number") for c in r.citations],
        "retrieved": [_evidence_json(p, "rank") for p in r.retrieved],
        "gold_rank": r.gold_rank,
        "pass": {
            "answer": r.correct,
            "hit@1": r.hit_at_1,
            "hit@k": r.hit_at_k,
            "reciprocal_rank": None if rr is None else round(rr, 4),
            "abstention": r.abstention_correct,
            "citation_precision": None if cp is None else round(cp, 4),
        },
        "missing": list(r.missing),
        "latency_ms": round(r.latency_ms, 1),
    }


def write_json(run: EvalRun, path: Path) -> None:
    """Write the run as JSON (atomically: a crash never leaves half a file)."""
    text = json.dumps(run_to_json(run), ensure_ascii=False, indent=2, default=str)
    write_text(Path(path), text + "\n")


def load_run(path: Path) -> dict[str, Any]:
    """Read a file written by `write_json`; AssistantError when it is not one."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise AssistantError(f"Run file {path} does not exist.") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AssistantError(f"{path} is not readable JSON ({exc}).") from exc
    if not isinstance(data, dict) or not {"metrics", "questions"} <= data.keys():
        raise AssistantError(f"{path} is not a benchmark run: write one with `wozo eval --json`.")
    if data.get("format") != FORMAT:
        raise AssistantError(
            f"{path} has format {data.get('format')!r}; this version reads {FORMAT!r}. "
            "Re-run the benchmark to compare."
        )
    return data


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
