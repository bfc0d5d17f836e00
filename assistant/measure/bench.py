"""`wozo bench`: how fast and how big the assistant is, at the real corpus size and scaled up.

For each scale (×1, ×10, ×100 by default) the corpus is copied into a temp folder (copies get
ids like `resultaatmonitor-2025-copy07` and the original's manifest title) and measured in
fresh child processes, so that start-up time and peak memory are those of a process doing only
that: a *build* child (cold build, index size on disk, incremental build after changing one
document) and a *serve* child (start-up, warm per-question latency over the bundled questions,
and our hybrid retrieval against a plain llama-index `VectorStoreIndex` over the same chunks and
embeddings). Nothing touches the project's own `indexes/`.

Embedding 100 copies on a 2-core machine would take hours, so the ×1 cold build fills an
embedding cache that the scaled builds start from (the copies embed the same text, title
included); the report gives the measured per-chunk embedding cost and the extrapolated cold
embedding time instead.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant import __version__
from assistant.config import ROOT, Settings
from assistant.errors import AssistantError
from assistant.measure.benchcorpus import write_scaled_corpus
from assistant.measure.benchmeasure import run_in_child
from assistant.measure.benchreport import render_report
from assistant.measure.evaluate import Question, load_questions
from assistant.measure.system import Progress, disk_usage, machine_info, wait_for_quiet

QUESTION_FILES = (ROOT / "evals" / "dev.jsonl", ROOT / "evals" / "heldout.jsonl")


def bench_questions() -> list[Question]:
    questions: list[Question] = []
    for path in QUESTION_FILES:
        loaded, _problems = load_questions(path)
        questions.extend(loaded)
    return questions


def run_bench(
    settings: Settings,
    report: Path,
    scales: tuple[int, ...] = (1, 10, 100),
    progress: Progress = print,
    *,
    rounds: int = 3,
    command: str = "wozo bench",
) -> dict[str, Any]:
    """Measure every scale (see module doc), write the Markdown report, return the figures.

    The scales run smallest first; the first one must be 1 when any scale is larger, because its
    cold build fills the embedding cache the larger ones start from. The bench always uses the
    embedded Chroma store and the extractive mode (no LLM), whatever `settings` say.
    """
    scales = tuple(sorted(set(scales)))
    if not scales or scales[0] != 1:
        raise AssistantError("bench: the scales must include 1 (it seeds the embedding cache).")
    settings = settings.with_(chroma_url=None, llm_mode="off")
    questions = bench_questions()
    started = datetime.now().astimezone()
    t_run = time.perf_counter()
    result: dict[str, Any] = {
        "command": command,
        "date": started.isoformat(timespec="seconds"),
        "version": __version__,
        "machine": machine_info(),
        "settings": settings.public_dict(),
        "questions": len(questions),
        "rounds": rounds,
        "scales": [],
    }
    with tempfile.TemporaryDirectory(prefix="wozo-bench-") as tmp:
        root = Path(tmp)
        seed_cache: Path | None = None
        for factor in scales:
            corpus = root / f"corpus-x{factor}"
            index_dir = root / f"index-x{factor}"
            ids = write_scaled_corpus(settings.corpus_dir, corpus, factor)
            progress(f"×{factor}: {len(ids)} documents in {corpus}")
            index_dir.mkdir()
            if seed_cache is not None:
                shutil.copyfile(seed_cache, index_dir / "embed_cache.sqlite")
            scaled = settings.with_(corpus_dir=corpus, index_dir=index_dir)
            build = run_in_child("build", (scaled,), progress)
            busy_before = wait_for_quiet(progress)
            serve = run_in_child("serve", (scaled, questions, rounds), progress)
            serve["busy_before"] = busy_before
            result["scales"].append(
                {"factor": factor, "corpus_bytes": disk_usage(corpus), "build": build, **serve}
            )
            if seed_cache is None:
                seed_cache = root / "embed_cache.sqlite"
                shutil.copyfile(index_dir / "embed_cache.sqlite", seed_cache)
            shutil.rmtree(corpus, ignore_errors=True)
            shutil.rmtree(index_dir, ignore_errors=True)
    first = result["scales"][0]["build"]
    result["embed_ms_per_chunk"] = (
        first["cold_embed_s"] * 1000 / first["cold_embedded_chunks"]
        if first["cold_embedded_chunks"]
        else None
    )
    result["duration_s"] = time.perf_counter() - t_run
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(render_report(result), encoding="utf-8")
    progress(f"wrote {report} ({result['duration_s'] / 60:.1f} min)")
    return result


def main(argv: list[str] | None = None) -> int:
    """`python -m assistant.measure.bench [--report PATH] [--scales 1,10,100] [--rounds 3]`."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m assistant.measure.bench", description=__doc__)
    parser.add_argument("--report", type=Path, default=ROOT / "evals" / "PERFORMANCE.md")
    parser.add_argument("--scales", default="1,10,100", help="comma-separated, must include 1")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    scales = tuple(int(x) for x in args.scales.split(",") if x.strip())
    command = "python -m assistant.measure.bench " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    try:
        run_bench(
            Settings.from_env(), args.report, scales, rounds=args.rounds, command=command.strip()
        )
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
