"""What `wozo bench` measures, each in a fresh child process: a build and a serving assistant.

A *build* child makes a cold build, measures the index size on disk and an incremental build
after changing one document; a *serve* child measures start-up, warm per-question latency and
our hybrid retrieval against a plain llama-index `VectorStoreIndex` over the same chunks and
embeddings. `run_in_child` runs either in a spawned process, so start-up time and peak memory
are those of a process doing only that.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.ingest.corpus import SUPPORTED
from assistant.measure.benchcorpus import COPY_RE, original_id
from assistant.measure.benchreport import COMPONENTS, format_cores
from assistant.measure.evaluate import Question, Source, passage_matches
from assistant.measure.system import (
    OtherLoad,
    Progress,
    cpu_jiffies,
    disk_usage,
    other_cores,
    own_cpu_s,
    percentile,
    rss_mb,
)

TOUCH_LINE = "\nGewijzigd voor de benchmark (incrementele build).\n"


# --- retrieval quality (pure) ----------------------------------------------------------------


def gold_rank(retrieved: Sequence[Any], sources: Sequence[Source]) -> int | None:
    """Rank (1-based) of the first retrieved chunk on a gold source, or None.

    `retrieved` holds `Chunk`s (anything with doc_id, line_start, line_end, page, page_end); a
    scaled copy counts as its original, since it is the same passage.
    """
    for rank, c in enumerate(retrieved, start=1):
        doc = original_id(c.doc_id)
        lines = (c.line_start, c.line_end)
        if any(passage_matches(s, doc, *lines, c.page, c.page_end) for s in sources):
            return rank
    return None


def quality(ranks: Sequence[int | None], k: int = 5) -> dict[str, float | None]:
    """hit@k and MRR from gold ranks (None: not retrieved)."""
    if not ranks:
        return {"hit_at_k": None, "mrr": None}
    return {
        "hit_at_k": sum(1 for r in ranks if r is not None and r <= k) / len(ranks),
        "mrr": sum(1.0 / r for r in ranks if r) / len(ranks),
    }


def summarize(values: Sequence[float]) -> dict[str, float | None]:
    return {"p50": percentile(values, 0.5), "p95": percentile(values, 0.95), "n": len(values)}


# --- measuring (child processes) -------------------------------------------------------------


def _timed_embedding(inner: Any) -> Any:
    """`inner` wrapped so that the time spent computing passage embeddings is counted."""
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from llama_index.core.bridge.pydantic import PrivateAttr

    class Timed(BaseEmbedding):
        _inner: Any = PrivateAttr()
        seconds: float = 0.0

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            t0 = time.perf_counter()
            out = self._inner._get_text_embeddings(texts)
            self.seconds += time.perf_counter() - t0
            return out

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._get_text_embeddings([text])[0]

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._inner._get_query_embedding(query)

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

    timed = Timed(model_name=inner.model_name, embed_batch_size=inner.embed_batch_size)
    timed._inner = inner
    return timed


def measure_build(settings: Settings, say: Progress) -> dict[str, Any]:
    """Cold build, size on disk, then an incremental build after changing one document."""
    from assistant.index.build import build_index
    from assistant.index.embeddings import load_embed_model

    model = _timed_embedding(load_embed_model(settings.embed_model))
    cache = settings.index_dir / "embed_cache.sqlite"
    seeded = cache.exists()
    say(f"cold build ({'embedding cache seeded' if seeded else 'empty embedding cache'}) ...")
    load = OtherLoad()
    cold = build_index(settings, model)
    cold_others = load.cores()
    index_dir = settings.index_dir
    build_dir = index_dir / "builds" / cold.build_id
    size = {
        "chroma": disk_usage(index_dir / "chroma"),
        "bm25": disk_usage(build_dir / "bm25"),
        "facts": disk_usage(build_dir / "facts.sqlite"),
        "embed_cache": disk_usage(cache),
    }
    size["total"] = disk_usage(index_dir)
    embed_s = model.seconds
    touched = min(
        p
        for p in settings.corpus_dir.iterdir()
        if p.suffix.lower() in SUPPORTED and not COPY_RE.search(p.stem)
    )  # the first original document, alphabetically
    with touched.open("a", encoding="utf-8") as fh:
        fh.write(TOUCH_LINE)
    say(f"cold build {cold.seconds:.1f} s; incremental build after changing {touched.name} ...")
    model.seconds = 0.0
    stamps: list[float] = []  # build_index reports once per document
    incremental = build_index(settings, model, progress=lambda _msg: stamps.append(time.time()))
    finish_s = time.time() - stamps[-1] if stamps else None
    return {
        "documents": len(cold.embedded) + len(cold.reused),
        "chunks": cold.chunks,
        "facts": cold.facts,
        "cache_seeded": seeded,
        "cold_s": cold.seconds,
        "cold_others_cores": cold_others,  # other processes' CPU use during the cold build
        "cold_embedded_chunks": cold.embedded_chunks,
        "cold_embed_s": embed_s,
        "incremental_s": incremental.seconds,
        # after the last document: BM25 index, fact table and manifest, rebuilt in full
        "incremental_finish_s": finish_s,
        "incremental_embedded_chunks": incremental.embedded_chunks,
        "incremental_reused_docs": len(incremental.reused),
        "touched": touched.stem,
        "size": size,
        "peak_rss_mb": rss_mb(),
    }


def measure_serve(
    settings: Settings, questions: list[Question], rounds: int, say: Progress
) -> dict[str, Any]:
    """Start-up, warm question latency, then our retrieval against the llama-index baseline."""
    t0 = time.perf_counter()
    from assistant.index.embeddings import load_embed_model
    from assistant.pipeline import Assistant

    t1 = time.perf_counter()
    model = load_embed_model(settings.embed_model)
    t2 = time.perf_counter()
    assistant = Assistant.from_settings(settings, embed_model=model)
    t3 = time.perf_counter()
    startup = {
        "import_s": t1 - t0,
        "model_s": t2 - t1,
        "open_s": t3 - t2,
        "total_s": t3 - t0,
        "rss_mb": rss_mb("VmRSS"),
    }
    say(f"started in {startup['total_s']:.1f} s; warm-up ...")
    for q in questions[:5]:
        assistant.ask(q.question)
    per_round: list[dict[str, Any]] = []
    for r in range(1, rounds + 1):
        timings: dict[str, list[float]] = {c: [] for c in COMPONENTS}
        stat0, own0, wall0 = cpu_jiffies(), own_cpu_s(), time.perf_counter()
        for q in questions:
            answer = assistant.ask(q.question)
            for c in COMPONENTS:
                timings[c].append(answer.timings_ms.get(c, 0.0))
        stat1, own1, wall1 = cpu_jiffies(), own_cpu_s(), time.perf_counter()
        others = other_cores(stat0, stat1, own1 - own0, wall1 - wall0) if stat0 and stat1 else None
        per_round.append({"timings": timings, "others_cores": others})
        say(
            f"round {r}/{rounds}: total p50 {percentile(timings['total'], 0.5):.0f} ms, "
            f"p95 {percentile(timings['total'], 0.95):.0f} ms; other processes "
            f"{format_cores(others)}"
        )
    quiet = min(per_round, key=lambda x: x["others_cores"] or 0.0)
    latency = {c: summarize([t for x in per_round for t in x["timings"][c]]) for c in COMPONENTS}
    rounds_detail = [
        {
            "others_cores": x["others_cores"],
            "p50": percentile(x["timings"]["total"], 0.5),
            "p95": percentile(x["timings"]["total"], 0.95),
        }
        for x in per_round
    ]
    serve_peak = rss_mb()
    retrievable = [q for q in questions if q.split == "heldout" and q.answerable and q.sources]
    load = OtherLoad()
    ours = _compare_side(
        retrievable, rounds, lambda text: [s.chunk for s in assistant.search(text, top_k=5)]
    )
    say(f"ours: hit@5 {ours['hit_at_k']:.2f}; building the llama-index baseline ...")
    baseline = _baseline(assistant, model, retrievable, rounds)
    compare_others = load.cores()
    return {
        "startup": startup,
        # the round in which other processes used the least CPU, and all rounds together
        "latency": {c: summarize(quiet["timings"][c]) for c in COMPONENTS},
        "latency_all": latency,
        "others_cores": quiet["others_cores"],
        "rounds_detail": rounds_detail,
        "asks": sum(len(x["timings"]["total"]) for x in per_round),
        "peak_rss_mb": serve_peak,
        "compare": {
            "questions": len(retrievable),
            "ours": ours,
            **baseline,
            "others_cores": compare_others,
        },
    }


def _compare_side(
    questions: list[Question], rounds: int, search: Callable[[str], list[Any]]
) -> dict[str, Any]:
    ranks: list[int | None] = []
    times: list[float] = []
    for r in range(rounds):
        for q in questions:
            s = time.perf_counter()
            chunks = search(q.question)
            times.append((time.perf_counter() - s) * 1000)
            if r == 0:
                ranks.append(gold_rank(chunks, q.sources))
    return {**quality(ranks), "p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95)}


def _baseline(assistant: Any, model: Any, questions: list[Question], rounds: int) -> dict:
    """A plain in-memory `VectorStoreIndex` over our chunks with their stored embeddings."""
    from llama_index.core import VectorStoreIndex

    from assistant.index.build import chunk_to_node
    from assistant.retrieve.searcher import to_scored_chunk
    from assistant.schema import Chunk

    rss0 = rss_mb("VmRSS")
    t0 = time.perf_counter()
    got = assistant.index.collection.get(include=["embeddings", "documents", "metadatas"])
    nodes = []
    for chunk_id, text, meta, vector in zip(
        got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True
    ):
        node = chunk_to_node(Chunk.from_metadata(chunk_id, text, meta))
        node.embedding = [float(x) for x in vector]
        nodes.append(node)
    index = VectorStoreIndex(nodes, embed_model=model)
    retriever = index.as_retriever(similarity_top_k=5)
    build_s = time.perf_counter() - t0
    side = _compare_side(
        questions, rounds, lambda text: [to_scored_chunk(n).chunk for n in retriever.retrieve(text)]
    )
    rss1 = rss_mb("VmRSS")
    return {
        "baseline": side,
        "baseline_build_s": build_s,
        "baseline_rss_mb": (rss1 - rss0) if rss0 is not None and rss1 is not None else None,
    }


def _child_main(task: str, args: tuple[Any, ...], conn: Any) -> None:
    """Entry point of a measuring child: runs `task`, sends progress and the result back."""
    try:
        tasks: dict[str, Callable[..., dict[str, Any]]] = {
            "build": measure_build,
            "serve": measure_serve,
        }

        def say(msg: str) -> None:
            conn.send(("progress", msg))

        conn.send(("result", tasks[task](*args, say)))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def run_in_child(task: str, args: tuple[Any, ...], progress: Progress) -> dict[str, Any]:
    """Run a measuring task in a fresh (spawned) process; its progress goes to `progress`."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_main, args=(task, args, child), daemon=True)
    proc.start()
    child.close()
    try:
        while True:
            try:
                kind, payload = parent.recv()
            except EOFError:
                proc.join()
                raise AssistantError(
                    f"bench: the {task} process died (exit code {proc.exitcode})."
                ) from None
            if kind == "progress":
                progress(f"  {payload}")
            elif kind == "result":
                return payload
            else:
                raise AssistantError(f"bench: the {task} process failed:\n{payload}")
    finally:
        proc.join(timeout=30)
        if proc.is_alive():
            proc.kill()
