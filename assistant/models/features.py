"""What the learned ranker and abstainer see: the heuristics' evidence signals plus the model's.

The encoder finds windows that *mean* what the question asks; the heuristics know things a
small encoder does not (is there a number for 'hoeveel', the asked year, the asked province,
the defined term). The ranker weighs both per window; the abstainer sees the best windows'
scores and the heuristic evidence score of the whole question.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from assistant.answer.evidence import TermStats, coverage, found_terms
from assistant.answer.intent import defines, has_answer_type
from assistant.answer.question import Question

KINDS = ("number", "person", "actor", "place", "definition", "date", "reason", "status", "")
NUMBER_RE = re.compile(r"\d")

WINDOW_FEATURES = (
    "sim",
    "sim_gap",
    "sim_rank_log",
    "sim_z",
    "coverage",
    "coverage_text",
    "coverage_gap",
    "answer_type",
    "required_type",
    "defines",
    "listed",
    "details_missing",
    "year_in_window",
    "passage_rank",
    "width",
    "chars",
    "has_number",
    *(f"kind_{k or 'other'}" for k in KINDS),
    "parts",
)


@dataclass(frozen=True)
class Candidate:
    """A window as the ranker sees it: where it is, and its scores."""

    text: str
    head: str
    width: int
    sim: float
    sim_rank: int  # 0-based rank by similarity among all windows
    passage_rank: int  # rank of its chunk among the retrieved passages; 0 when not retrieved


def window_features(q: Question, stats: TermStats, cands: list[Candidate]) -> list[list[float]]:
    """One feature row per candidate (WINDOW_FEATURES order)."""
    if not cands:
        return []
    terms = list(q.terms)
    sims = [c.sim for c in cands]
    top = max(sims)
    mean = sum(sims) / len(sims)
    sd = math.sqrt(sum((s - mean) ** 2 for s in sims) / len(sims)) or 1.0
    covs = [coverage(terms, stats, f"{c.head} {c.text}") for c in cands]
    best_cov = max(covs)
    kind_onehot = [float(q.answer_type == k) for k in KINDS]
    rows = []
    for c, cov in zip(cands, covs, strict=True):
        full = f"{c.head} {c.text}"
        missing = sum(1 for d in q.details if not d.search(full))
        rows.append(
            [
                c.sim,
                top - c.sim,
                math.log1p(c.sim_rank),
                (c.sim - mean) / sd,
                cov,
                coverage(terms, stats, c.text),
                best_cov - cov,
                float(bool(q.answer_type) and has_answer_type(c.text, q.answer_type, q.text)),
                float(bool(q.required_type) and has_answer_type(c.text, q.required_type, q.text)),
                float(bool(q.defined_term) and defines(q.defined_term, c.text)),
                float(
                    bool(q.listed_noun) and q.listed_noun in found_terms([q.listed_noun], c.text)
                ),
                missing / len(q.details) if q.details else 0.0,
                float(any(y in c.text for y in q.years)) if q.years else -1.0,
                float(c.passage_rank or 9),
                float(c.width),
                len(c.text) / 100,
                float(bool(NUMBER_RE.search(c.text))),
                *kind_onehot,
                float(max(1, len(q.parts))),
            ]
        )
    return rows


QUESTION_FEATURES = (
    "top_prob",
    "second_prob",
    "top_sim",
    "top_coverage",
    "evidence",
    "fact_coverage",
    "details",
    "terms",
    "max_idf_missing",
    "years_found_any",
    "years_found_top",
    "places_found_any",
    "details_missing_top",
    *(f"kind_{k or 'other'}" for k in KINDS),
)


def found_share(asked: tuple[str, ...], texts: list[str]) -> float:
    """The share of `asked` (years, provinces) written in some text; -1 when none is asked."""
    if not asked:
        return -1.0
    return sum(1 for a in asked if any(a.lower() in t.lower() for t in texts)) / len(asked)


def question_features(
    q: Question,
    stats: TermStats,
    probs: list[float],
    rows: list[list[float]],
    texts: list[str],
    evidence: float,
    fact_cov: float,
) -> list[float]:
    """The abstainer's row: how sure the ranker is, the heuristics' evidence, and whether the
    asked year, province and details are anywhere among the candidates (`texts`: each
    candidate's head and text, in candidate order) — a near miss names the topic in another
    year or region."""
    order = sorted(range(len(probs)), key=lambda i: -probs[i])
    top = order[0] if order else None
    top_text = texts[top] if top is not None else ""
    missing = set(q.terms) - found_terms(list(q.terms), top_text) if top_text else set(q.terms)
    return [
        probs[order[0]] if order else 0.0,
        probs[order[1]] if len(order) > 1 else 0.0,
        rows[top][0] if top is not None else 0.0,
        rows[top][4] if top is not None else 0.0,
        evidence,
        fact_cov,
        float(len(q.details)),
        float(len(q.terms)),
        max((stats.idf(t) for t in missing), default=0.0),
        found_share(q.years, texts),
        found_share(q.years, [top_text]),
        found_share(q.places, texts),
        rows[top][WINDOW_FEATURES.index("details_missing")] if top is not None else 0.0,
        *[float(q.answer_type == k) for k in KINDS],
    ]
