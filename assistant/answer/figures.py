"""Figures in an answer: which facts from the fact table lead it, and how a fact reads.

A figure is shown as written in the document (`Fact.raw`), never recalculated.
"""

from __future__ import annotations

import re

from assistant.answer.config import DEFAULT_EVIDENCE, DEFAULT_FACTS, EvidenceWeights, FactWeights
from assistant.answer.evidence import TermStats, fact_coverage
from assistant.answer.question import Question
from assistant.schema import Citation, Fact
from assistant.text.words import analyze


def select_facts(
    question: Question,
    facts: list[Fact],
    stats: TermStats,
    threshold: float,
    limit: int = 3,
    weights: FactWeights = DEFAULT_FACTS,
    evidence: EvidenceWeights = DEFAULT_EVIDENCE,
) -> list[Fact]:
    """The facts that match the question well: above the threshold and close to the best.

    A figure that is part of another one in the same place ('35' in '19 van de 35') is left out.
    A comparison of two things ('meer naar A of naar B?') gets the best figure for each.
    """
    options = question.options
    if len(options) > 1:
        chosen = []
        for option in options:
            for fact in select_facts(option, facts, stats, threshold, 1, weights, evidence):
                if fact not in chosen:
                    chosen.append(fact)
        if len(chosen) == len(options):
            return chosen
    scored = [(fact_coverage(question, f, stats, evidence), f) for f in facts]
    good = [(c, f) for c, f in scored if c >= threshold]
    if not good:
        return []
    best = max(c for c, _ in good)
    chosen: list[Fact] = []
    for c, fact in good:
        if c >= weights.keep_ratio * best and not any(inside(fact, other) for other in chosen):
            chosen.append(fact)
    return chosen[:limit]


def inside(fact: Fact, other: Fact) -> bool:
    return (
        fact.doc_id == other.doc_id
        and fact.line_start == other.line_start
        and fact.raw != other.raw
        and re.search(rf"(?<![\d.,]){re.escape(fact.raw)}(?![\d,])", other.raw) is not None
    )


def documents_disagree(facts: list[Fact]) -> bool:
    """Two documents give different values, in the same unit, for what reads as the same thing."""
    for i, a in enumerate(facts):
        for b in facts[i + 1 :]:
            if a.doc_id == b.doc_id or a.unit != b.unit or a.value == b.value:
                continue
            ta, tb = set(analyze(a.subject)), set(analyze(b.subject))
            if ta and tb and len(ta & tb) / len(ta | tb) >= 0.5:
                return True
    return False


def format_fact(fact: Fact, citation: Citation) -> str:
    """'**40** mln euro — Regiobudget scheiden wonen en zorg, 2025 (Investeringen WOZO, rij 6)'.

    The figure is the raw text as written in the document; nothing is recalculated. A figure
    from running text comes with the sentence it stands in, which says what it counts.
    """
    unit = "" if fact.unit in fact.raw or fact.unit in {"aantal", "euro", "%"} else fact.unit
    figure = f"**{fact.raw}**" + (f" {unit}" if unit else "")
    about = fact.subject or fact.measure
    period = f", {fact.period}" if fact.period and fact.period not in about else ""
    if fact.row_label:  # a table cell: the row says it all
        return f"{figure} — {about}{period} ({citation.title}, rij {fact.row_label.split()[0]})"
    return f"{figure} — {about}{period} ({citation.title}): “{_around(fact.sentence, fact.raw)}”"


def _around(sentence: str, raw: str, width: int = DEFAULT_FACTS.quote_chars) -> str:
    """The sentence a figure stands in, cut to about `width` characters around the figure."""
    text = " ".join(sentence.split())
    if len(text) <= width:
        return text
    at = max(0, text.find(" ".join(raw.split())))
    start = max(0, min(at - width // 2, len(text) - width))
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = text.find(" ", start + width)
    piece = text[start : end if end > 0 else len(text)]
    return ("…" if start else "") + piece + ("…" if end > 0 else "")
