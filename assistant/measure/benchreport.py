"""The `wozo bench` report: the measurements of `assistant.measure.bench` as Markdown.

Pure functions of the result dict that `bench.run_bench` collects: the targets and whether
they are met, the findings in words, and the tables. Nothing here measures anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

COMPONENTS = ("retrieval", "facts", "answer", "total")
# What the report is held against; reported, never asserted.
TARGET_P95_MS = {1: 1000.0, 100: 2000.0}
BUSY_CORES = 0.25  # other processes' average CPU use above which the report warns


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f} s" if value < 600 else f"{value / 60:,.0f} min"


def _mb(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} MiB"


def _bytes(value: float | None) -> str:
    return "–" if value is None else f"{value / 1024**2:,.1f} MiB"


def format_cores(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} CPUs"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def _row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(head: Sequence[str], rows: Iterable[Iterable[object]]) -> list[str]:
    return [_row(head), _row("---" for _ in head), *(_row(r) for r in rows)]


def _pp(stats: dict[str, Any]) -> str:
    return f"{_ms(stats.get('p50'))} / {_ms(stats.get('p95'))}"


def extrapolated_cold_s(build: dict[str, Any], ms_per_chunk: float | None) -> float | None:
    """The cold build time had no embedding been cached: measured time + the chunks it reused."""
    if ms_per_chunk is None:
        return None
    return build["cold_s"] + (build["chunks"] - build["cold_embedded_chunks"]) * ms_per_chunk / 1e3


def target_rows(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(target, measured, met) for the targets the report is held against."""
    by_factor = {s["factor"]: s for s in result["scales"]}
    rows = []
    for factor, limit in TARGET_P95_MS.items():
        scale = by_factor.get(factor)
        if scale is None:
            continue
        p95 = scale["latency"]["total"]["p95"]
        p95_all = scale.get("latency_all", scale["latency"])["total"]["p95"]
        met = "yes" if p95 is not None and p95 < limit else "no"
        rows.append(
            (
                f"warm question latency p95 < {limit / 1000:g} s at ×{factor}",
                f"{_ms(p95)} (quietest round; all rounds {_ms(p95_all)})",
                met,
            )
        )
    if 1 in by_factor:
        c = by_factor[1]["compare"]
        ours, base = c["ours"]["hit_at_k"], c["baseline"]["hit_at_k"]
        met = "yes" if ours is not None and base is not None and ours > base else "no"
        rows.append(
            ("hybrid ahead of the baseline on hit@5 (×1)", f"{_pct(ours)} vs {_pct(base)}", met)
        )
    return rows


def findings(result: dict[str, Any]) -> list[str]:
    """Plain observations computed from the figures (the report is regenerated, not edited)."""
    scales = result["scales"]
    nproc = result["machine"].get("nproc") or 1
    out = []
    for s in scales:
        lat = s["latency"]
        parts = {c: lat[c]["p95"] or 0.0 for c in COMPONENTS if c != "total"}
        worst = max(parts, key=lambda c: parts[c])
        total = lat["total"]["p95"] or 0.0
        out.append(
            f"×{s['factor']}: total p95 {_ms(total)}; the largest component p95 is `{worst}` "
            f"({_ms(parts[worst])}); p95 / p50 of the total is "
            f"{total / (lat['total']['p50'] or total or 1):.1f}."
        )
    busy = [s for s in scales if (s.get("others_cores") or 0.0) >= BUSY_CORES]
    if busy:
        loads = ", ".join(f"×{s['factor']} {s['others_cores']:.1f}" for s in busy)
        out.append(
            f"Other processes kept CPUs busy while questions were timed ({loads} of {nproc} "
            "CPUs on average): those latencies include waiting for a CPU and are noisier."
        )
    for phase, key in (
        ("cold builds", lambda s: s["build"].get("cold_others_cores")),
        ("retrieval comparisons", lambda s: s["compare"].get("others_cores")),
    ):
        busy = [(s["factor"], key(s)) for s in scales if (key(s) or 0.0) >= BUSY_CORES]
        if busy:
            loads = ", ".join(f"×{factor} {cores:.1f}" for factor, cores in busy)
            what = (
                "build times and the embedding cost per chunk (so the extrapolated cold builds) "
                "are overstated"
                if phase == "cold builds"
                else "the latencies of both sides are noisier"
            )
            out.append(
                f"Other processes kept CPUs busy during the {phase} ({loads} of {nproc} CPUs on "
                f"average): {what}."
            )
    last = scales[-1]
    b = last["build"]
    if len(scales) > 1 and b["cold_s"]:
        finish = b.get("incremental_finish_s")
        out.append(
            f"At ×{last['factor']} the incremental build takes "
            f"{b['incremental_s'] / b['cold_s']:.0%} of the (cached) cold build"
            + (
                f"; {_s(finish)} of it after the last document (BM25 + fact table)"
                if finish
                else ""
            )
            + "."
        )
        out.append(
            f"At ×{last['factor']} the serving process grows from {_mb(last['startup']['rss_mb'])} "
            f"after start to a peak of {_mb(last['peak_rss_mb'])} while answering."
        )
    return out


def render_report(result: dict[str, Any]) -> str:
    """The Markdown report for a `run_bench` result (pure: the same dict gives the same text)."""
    m, st = result["machine"], result["settings"]
    scales = result["scales"]
    per_chunk = result.get("embed_ms_per_chunk")
    load = m.get("load_avg")
    out = [
        "# Performance",
        "",
        f"Generated by `{result['command']}` on {result['date']} "
        f"(wozo-assistent {result['version']}, {_s(result.get('duration_s'))} in all).",
        "",
        f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib'] or 0:.1f} GiB RAM, "
        f"Python {m['python']}"
        + (f", load average {load[0]:.2f} at the start" if load else "")
        + "; "
        + ", ".join(f"{k}={v or 'unset'}" for k, v in m.get("openmp", {}).items())
        + ".",
        f"- Settings: embedding model `{st['embed_model']}`, chunk_chars {st['chunk_chars']}, "
        f"top_k {st['top_k']}, weights dense {st['dense_weight']} / lexical "
        f"{st['lexical_weight']}, abstain_threshold {st['abstain_threshold']}; embedded Chroma "
        "store, extractive mode (no LLM).",
        f"- Questions: the {result['questions']} bundled questions (`evals/dev.jsonl` + "
        f"`evals/heldout.jsonl`), {result['rounds']} rounds in a warm process (after 5 warm-up "
        "questions); retrieval quality on the held-out answerable questions.",
        "- Scales: ×N is the corpus with N − 1 byte-identical copies of every document "
        "(`resultaatmonitor-2025-copy07.txt`, same manifest title), in temp folders. Each scale "
        "is measured in fresh processes: one builds, one serves.",
        "",
        "## Targets",
        "",
        *_table(("target", "measured", "met"), target_rows(result)),
        "",
        "## Findings",
        "",
        *[f"- {line}" for line in findings(result)],
        "",
        "## Index build",
        "",
        "Cold: a fresh index folder. Incremental: the same index rebuilt after appending a line "
        "to one document (the other documents' chunks and vectors are copied; the fact table and "
        "BM25 index are rebuilt in full: *of which BM25 + facts* is the time after the last "
        "document). Size on disk is measured after the cold build (Chroma / BM25 / fact table / "
        "embedding cache).",
        "",
        *_table(
            (
                "scale", "documents", "chunks", "facts", "corpus", "cold build",
                "embedded", "incremental build", "of which BM25 + facts", "re-embedded",
                "index on disk",
                "Chroma / BM25 / facts / cache", "build peak RSS",
            ),
            (
                (
                    f"×{s['factor']}", b["documents"], f"{b['chunks']:,}", f"{b['facts']:,}",
                    _bytes(s["corpus_bytes"]), _s(b["cold_s"]),
                    b["cold_embedded_chunks"], _s(b["incremental_s"]),
                    _s(b.get("incremental_finish_s")), b["incremental_embedded_chunks"],
                    _bytes(b["size"]["total"]),
                    " / ".join(
                        _bytes(b["size"][k]) for k in ("chroma", "bm25", "facts", "embed_cache")
                    ),
                    _mb(b["peak_rss_mb"]),
                )
                for s in scales
                for b in [s["build"]]
            ),
        ),
        "",
    ]  # fmt: skip
    if per_chunk is not None:
        out += [
            f"Embedding costs {per_chunk:,.0f} ms per chunk on this machine (measured in the ×1 "
            "cold build, model time only). The scaled builds start from the ×1 build's embedding "
            "cache, so they embed (almost) nothing: the copies embed the same text. Had they "
            "started empty, the cold builds would take about:",
            "",
            *_table(
                ("scale", "chunks", "cold embedding (extrapolated)", "cold build (extrapolated)"),
                (
                    (
                        f"×{s['factor']}",
                        f"{s['build']['chunks']:,}",
                        _s(s["build"]["chunks"] * per_chunk / 1e3),
                        _s(extrapolated_cold_s(s["build"], per_chunk)),
                    )
                    for s in scales
                ),
            ),
            "",
        ]
    out += [
        "## Start-up",
        "",
        "`Assistant.from_settings` in a fresh process: importing the package, loading the "
        "embedding model, opening the index and reading the documents.",
        "",
        *_table(
            ("scale", "imports", "model", "index + documents", "total", "RSS after start"),
            (
                (
                    f"×{s['factor']}", _s(u["import_s"]), _s(u["model_s"]), _s(u["open_s"]),
                    _s(u["total_s"]), _mb(u["rss_mb"]),
                )
                for s in scales
                for u in [s["startup"]]
            ),
        ),
        "",
        "## Question latency",
        "",
        "`Answer.timings_ms` per question (p50 / p95), warm process, no conversation history, "
        "in the *quietest round* (the round during which other processes used the least CPU; "
        "the machine is shared); *all rounds* gives the total over every round. "
        "Serving peak RSS is the process's high-water mark after all rounds (before the baseline "
        "is built). Other processes' CPU: the CPUs the rest of the machine kept busy on average "
        "while the questions were timed (/proc/stat minus this process); the bench waits up to "
        "2 min for a quiet machine before each serving phase, but the machine may be shared.",
        "",
        *_table(
            (
                "scale", "asks", "retrieval", "facts", "answer", "total", "total vs ×1 (p50)",
                "all rounds: total", "other processes' CPU (each round)", "serving peak RSS",
            ),
            (
                (
                    f"×{s['factor']}", s["asks"], _pp(s["latency"]["retrieval"]),
                    _pp(s["latency"]["facts"]), _pp(s["latency"]["answer"]),
                    _pp(s["latency"]["total"]),
                    _x(ratio(s["latency"]["total"]["p50"], scales[0]["latency"]["total"]["p50"])),
                    _pp(s.get("latency_all", s["latency"])["total"]),
                    " / ".join(format_cores(d["others_cores"]) for d in s.get("rounds_detail", [])),
                    _mb(s["peak_rss_mb"]),
                )
                for s in scales
            ),
        ),
        "",
        "## Retrieval: ours against a plain llama-index `VectorStoreIndex`",
        "",
        "Ours: `Assistant.search` (hybrid: Chroma dense + BM25, reciprocal rank fusion), top 5. "
        "Baseline: `VectorStoreIndex(nodes, embed_model=…)` in memory over the same chunks with "
        "their stored embeddings, `as_retriever(similarity_top_k=5)`. A hit is a retrieved chunk "
        "of the gold document whose lines overlap a gold line range; a scaled copy counts as "
        "its original (it is the same passage). At ×10 and ×100 identical copies crowd the top "
        "5 (hit@5 tends towards hit@1) and split the hybrid's agreement signal (a chunk found by "
        "both retrievers) over copies with different ids, so the scaled quality rows are a "
        "stress case, not a forecast: compare quality at ×1. Ratios are ours / baseline; latency "
        "is the median "
        f"over {result['rounds']} rounds.",
        "",
        *_table(
            (
                "scale", "questions", "hit@5 ours", "hit@5 baseline", "ratio", "MRR ours",
                "MRR baseline", "ratio", "p50 ours", "p50 baseline", "ratio",
                "baseline build", "baseline extra RSS",
            ),
            (
                (
                    f"×{s['factor']}", c["questions"], _pct(o["hit_at_k"]), _pct(b["hit_at_k"]),
                    _x(ratio(o["hit_at_k"], b["hit_at_k"])), f"{o['mrr']:.3f}",
                    f"{b['mrr']:.3f}", _x(ratio(o["mrr"], b["mrr"])), _ms(o["p50_ms"]),
                    _ms(b["p50_ms"]), _x(ratio(o["p50_ms"], b["p50_ms"])),
                    _s(c["baseline_build_s"]), _mb(c["baseline_rss_mb"]),
                )
                for s in scales
                for c in [s["compare"]]
                for o, b in [(c["ours"], c["baseline"])]
            ),
        ),
        "",
    ]  # fmt: skip
    return "\n".join(out)
