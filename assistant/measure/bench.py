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

import json
import multiprocessing
import os
import platform
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant import __version__
from assistant.config import ROOT, Settings
from assistant.errors import AssistantError
from assistant.ingest.corpus import IGNORED_NAMES, MANIFEST, SUPPORTED, load_manifest
from assistant.measure.benchreport import COMPONENTS, format_cores, render_report
from assistant.measure.evaluate import Question, Source, load_questions, passage_matches
from assistant.measure.system import (
    OtherLoad,
    Progress,
    cpu_jiffies,
    disk_usage,
    other_cores,
    own_cpu_s,
    percentile,
    rss_mb,
    wait_for_quiet,
)

COPY_RE = re.compile(r"-copy\d+$")
QUESTION_FILES = (ROOT / "evals" / "dev.jsonl", ROOT / "evals" / "heldout.jsonl")
TOUCH_LINE = "\nGewijzigd voor de benchmark (incrementele build).\n"


# --- pure helpers ---------------------------------------------------------------------------


def copy_id(doc_id: str, copy: int, factor: int) -> str:
    """The id of copy `copy` (1-based) of a document in a corpus scaled `factor` times."""
    width = max(2, len(str(factor - 1)))
    return f"{doc_id}-copy{copy:0{width}d}"


def original_id(doc_id: str) -> str:
    """The document a scaled copy was made from ('x-copy07' -> 'x'); other ids unchanged."""
    return COPY_RE.sub("", doc_id)


def write_scaled_corpus(source: Path, target: Path, factor: int) -> list[str]:
    """Write the documents of `source` and `factor - 1` byte-identical copies of each to `target`.

    Copies get altered ids (`copy_id`) and, in `target/manifest.json`, the original's entry, so
    they carry the same title and their chunks embed the same text as the original's (which is
    what lets the embedding cache serve them). Returns the document ids written, sorted.
    """
    if factor < 1:
        raise ValueError("factor must be at least 1")
    target.mkdir(parents=True, exist_ok=True)
    manifest = load_manifest(source)
    out_manifest: dict[str, dict[str, str]] = {}
    ids = []
    for path in sorted(source.iterdir()):
        if path.suffix.lower() not in SUPPORTED or path.name.lower() in IGNORED_NAMES:
            continue
        if not path.is_file() or path.name.startswith("."):
            continue
        for copy in range(factor):
            doc_id = path.stem if copy == 0 else copy_id(path.stem, copy, factor)
            shutil.copyfile(path, target / f"{doc_id}{path.suffix}")
            if path.stem in manifest:
                out_manifest[doc_id] = dict(manifest[path.stem])
            ids.append(doc_id)
    (target / MANIFEST).write_text(
        json.dumps(out_manifest, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return sorted(ids)


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


# --- the run --------------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    ram = None
    cpu = platform.processor() or platform.machine()
    try:
        meminfo = Path("/proc/meminfo").read_text()
        ram = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1)) / 1024**2  # type: ignore[union-attr]
        cpuinfo = Path("/proc/cpuinfo").read_text()
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo)
        cpu = found.group(1).strip() if found else cpu
    except (OSError, AttributeError):
        pass
    return {
        "nproc": os.cpu_count(),
        "ram_gib": ram,
        "cpu": cpu,
        "python": platform.python_version(),
        "load_avg": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "openmp": {k: os.environ.get(k, "") for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")},
    }


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
