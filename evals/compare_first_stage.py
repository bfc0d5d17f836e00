"""First-stage retrieval compared: today's rankings and the trained model's window search.

For each answerable question: the rank of the first chunk that overlaps a gold line range in
(a) dense-only Chroma search (what a plain llama-index VectorStoreIndex does), (b) BM25, (c)
today's hybrid fusion, (d) chunks ordered by their best window under the trained encoder
(`assistant.models`), and (e) the passages the model reader returns (its best windows' chunks
first, then the hybrid ones). Prints and writes hit@1, hit@5, recall@30 and recall@50 per set
into the report between its markers. Run:

    python evals/compare_first_stage.py --questions evals/dev.jsonl --report evals/RETRIEVAL.md
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402
from assistant.measure import evaluate  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402

START, END = "<!-- first-stage:start -->", "<!-- first-stage:end -->"
DEPTH = 50


def first_gold(question, chunks) -> int | None:
    """Rank of the first chunk that covers a source, as the benchmark judges it."""
    for rank, c in enumerate(chunks, start=1):
        if any(
            evaluate.passage_matches(src, c.doc_id, c.line_start, c.line_end, c.page, c.page_end)
            for src in question.sources
        ):
            return rank
    return None


def window_chunks(reader, question: str) -> list:
    """Chunks by their best window's similarity under the trained encoder."""
    qvec = np.asarray(reader.engine.query(question), dtype=np.float32)
    sims = reader.windows.vectors @ qvec
    seen, out = set(), []
    for i in np.argsort(-sims):
        cid = reader.windows.windows[int(i)].chunk_id
        if cid not in seen:
            seen.add(cid)
            out.append(reader.windows.chunks[cid])
        if len(out) >= DEPTH:
            break
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=Path, action="append", required=True)
    ap.add_argument("--report", type=Path, default=ROOT / "evals" / "RETRIEVAL.md")
    args = ap.parse_args()
    settings = Settings.from_env()
    model = Assistant.from_settings(settings.with_(reader="model"))
    table = [
        START,
        "",
        "## First stage and the model reader's passages",
        "",
        f"Made by `python evals/compare_first_stage.py "
        f"{' '.join('--questions ' + str(q) for q in args.questions)}`. "
        "Answerable questions only; a hit is a chunk overlapping a gold line range. *dense* is "
        "Chroma search alone (a plain llama-index `VectorStoreIndex`), *window model* orders "
        "chunks by their best sentence window under the trained encoder, *model reader* is what "
        "the model reader returns (top 5).",
        "",
        "| set | ranking | questions | hit@1 | hit@5 | recall@30 | recall@50 |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for path in args.questions:
        questions = [q for q in evaluate.load_questions(path)[0] if q.answerable and q.sources]
        ranks: dict[str, list[int | None]] = {
            k: [] for k in ("dense", "lexical", "hybrid", "window model", "model reader")
        }
        for q in questions:
            for mode in ("dense", "lexical", "hybrid"):
                found = model.search(q.question, mode=mode, top_k=DEPTH)
                ranks[mode].append(first_gold(q, [s.chunk for s in found]))
            ranks["window model"].append(first_gold(q, window_chunks(model.reader, q.question)))
            answer = model.ask(q.question)
            ranks["model reader"].append(first_gold(q, [p.chunk for p in answer.passages]))
        n = len(questions)
        for name, rs in ranks.items():

            def at(k: int, rs: list[int | None] = rs, n: int = n) -> str:
                return f"{sum(1 for r in rs if r is not None and r <= k) / n:.2f}"

            deep = name != "model reader"
            table.append(
                f"| {path.name} | {name} | {n} | {at(1)} | {at(5)} | "
                f"{at(30) if deep else '–'} | {at(50) if deep else '–'} |"
            )
            print(table[-1], flush=True)
    table += ["", END]
    block = "\n".join(table)
    old = args.report.read_text(encoding="utf-8") if args.report.is_file() else ""
    if START in old and END in old:
        text = old[: old.index(START)] + block + old[old.index(END) + len(END) :]
    else:
        text = old.rstrip() + "\n\n" + block + "\n"
    args.report.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
