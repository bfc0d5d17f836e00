"""Choosing the quotes of an answer from scored windows, and growing each into its context.

Given windows (`assistant.answer.windows`), best first: quotes that add question terms the
others lack, a quote for each part of a question in parts, then each quote takes the rest of
its paragraph along, and the sentence before when it points back at it.
"""

from __future__ import annotations

import re

from assistant.answer.config import DEFAULT_QUOTES, QuoteWeights
from assistant.answer.evidence import TermStats, coverage, found_terms
from assistant.answer.intent import REASON_RE, has_answer_type
from assistant.answer.question import Question
from assistant.answer.windows import Window, passage_sentences, score_windows
from assistant.schema import ScoredChunk
from assistant.text.sentences import MAX_SENTENCE_CHARS, Sentence, is_page_start
from assistant.text.words import analyze


def select_sentences(
    question: Question,
    passages: list[ScoredChunk],
    stats: TermStats,
    weights: QuoteWeights = DEFAULT_QUOTES,
) -> list[tuple[Sentence, float]]:
    """The heuristic's quotes: its own window scores, then `choose_quotes`."""
    windows = score_windows(question, passages, stats, weights)
    return choose_quotes(question, windows, passages, stats, weights)


def choose_quotes(
    question: Question,
    windows: list[Window],
    passages: list[ScoredChunk],
    stats: TermStats,
    weights: QuoteWeights = DEFAULT_QUOTES,
) -> list[tuple[Sentence, float]]:
    """The best places to quote, by the windows' `score`, each grown into its paragraph.

    Windows of equal score keep their order in `windows`. A window scoring below
    `weights.keep_ratio` of the best, or overlapping or repeating a chosen one, is not quoted.
    """
    terms = list(question.terms)
    scored = sorted(((w.sentence, w.score) for w in windows), key=lambda x: -x[1])
    if not scored:
        return []
    best = scored[0][1]
    chosen: list[tuple[Sentence, float]] = []
    covered: set[str] = set()
    while len(chosen) < weights.limit:
        # after the first quote, windows that add question terms the others lack go first
        options = [
            (score + weights.gain_weight * _gain(terms, covered, s.text, stats), s, score)
            for s, score in scored
            if score >= weights.keep_ratio * best
            and not any(_same_place(s, c) or _similar(s.text, c.text, weights) for c, _ in chosen)
        ]
        if not options:
            break
        _, sentence, score = max(options, key=lambda o: o[0])
        covered |= found_terms(terms, sentence.text)
        chosen.append((sentence, score))
    chosen += _part_answers(question, scored, chosen, stats, weights)
    per_passage = passage_sentences(passages, weights)
    return [
        (
            extend_quote(
                s,
                per_passage[s.rank - 1],
                weights.extend_chars if i == 0 else weights.extend_more_chars,
                reason=question.answer_type == "reason",
            ),
            score,
        )
        for i, (s, score) in enumerate(chosen)
    ]


def _part_answers(
    question: Question,
    scored: list[tuple[Sentence, float]],
    chosen: list[tuple[Sentence, float]],
    stats: TermStats,
    weights: QuoteWeights,
) -> list[tuple[Sentence, float]]:
    """For a question in parts ('Wie …, en wanneer …?'), a quote for each part the others miss.

    A part that asks for a date, a number, a name or a place is answered when a quote holds
    such an answer; else the window with one that best matches the part and the whole question
    (the part's 'ze' or 'die planning' is about what the first part names) is added.
    """
    if len(question.parts) < 2:
        return []
    terms = list(question.terms)
    added: list[tuple[Sentence, float]] = []
    for part in question.parts:
        part_terms, kind = list(part.terms), part.required_type
        if not kind:
            continue
        if any(
            has_answer_type(s.text, kind, part.text)
            and coverage(part_terms, stats, s.text) >= weights.part_answered
            for s, _ in chosen + added
        ):
            continue
        options = [
            (0.5 * coverage(part_terms, stats, s.text) + 0.5 * coverage(terms, stats, s.text), s, v)
            for s, v in scored
            if has_answer_type(s.text, kind, part.text)
            and not any(
                _same_place(s, c) or _similar(s.text, c.text, weights) for c, _ in chosen + added
            )
        ]
        if options:
            fit, sentence, score = max(options, key=lambda o: o[0])
            if fit >= weights.part_fit:
                added.append((sentence, score))
    return added


def _gain(terms: list[str], covered: set[str], text: str, stats: TermStats) -> float:
    """IDF-weighted share of the question's terms that `text` adds to those already quoted."""
    total = sum(stats.idf(t) for t in terms)
    new = found_terms(terms, text) - covered
    return sum(stats.idf(t) for t in new) / total if covered and total else 0.0


def extend_quote(
    lead: Sentence, sentences: list[Sentence], budget: int, *, reason: bool = False
) -> Sentence:
    """Take the sentences that follow a quote along, up to `budget` characters.

    In these documents the sentence that repeats the question's words often only introduces
    the answer; the detail asked for (a date, a reason, a figure) follows ("De SWZ ziet sinds
    april 2019 toe op ... Per 3 april 2024 is de stimuleringsregeling gesloten."). A heading
    that matches the question is followed by what it heads. Only the same paragraph is taken:
    the next sentence must follow with nothing but blank lines in between, on the same page.
    """
    chunk = lead.passage.chunk
    lines, first = chunk.text.split("\n"), chunk.line_start
    at = _position(lead, sentences)
    lead = _with_antecedent(lead, sentences[:at], lines, first, reason=reason)
    text, end = lead.text, lead.line_end
    for nxt in sentences[at:]:
        if nxt.text in text:
            continue
        gap = lines[end - first + 1 : nxt.line_start - first]
        if any(line.strip() for line in gap) or len(text) + len(nxt.text) > budget:
            break
        if nxt.text.lstrip().startswith("#") or is_page_start(lines[nxt.line_start - first]):
            break  # a heading or a new slide starts something else
        text, end = f"{text} {nxt.text}", nxt.line_end
    return Sentence(text, lead.line_start, end, lead.passage, lead.rank)


ANAPHOR_RE = re.compile(
    r"^(?:Dit|Dat|Deze|Die|Hiervan|Hiervoor|Hiermee|Hierin|Hierbij|Daarvan|Daarvoor|Daarmee"
    r"|Daarin|Daarbij|Zij|Ze|Hij|Daarom|Hierdoor|Daardoor|(?:Mede )?[Oo]m deze reden)\b"
)


def _position(lead: Sentence, sentences: list[Sentence]) -> int:
    """Index in `sentences` of the first sentence of `lead` (a window of one to three)."""
    for i, sentence in enumerate(sentences):
        if sentence.line_start == lead.line_start and lead.text.startswith(sentence.text):
            return i
    return next((i for i, s in enumerate(sentences) if s.line_start >= lead.line_start), 0)


def _with_antecedent(
    lead: Sentence, before: list[Sentence], lines: list[str], first: int, *, reason: bool
) -> Sentence:
    """The sentence before a quote (`before[-1]`), from the same paragraph, when it is needed.

    A quote that starts by pointing back ('Dat onderzoek richt zich op …', 'Mede om deze reden
    …') takes it along: that is what it points at. For a 'waarom' question, so does a quote
    whose previous sentence gives a reason ('Suboptimale mondzorg leidt tot …'): in these
    documents the motive comes before the measure.
    """
    if not before:
        return lead
    prev = before[-1]
    points_back = ANAPHOR_RE.match(lead.text) is not None
    if not points_back and not (reason and REASON_RE.search(prev.text)):
        return lead
    gap = lines[prev.line_end - first + 1 : lead.line_start - first]
    if any(line.strip() for line in gap) or is_page_start(lines[lead.line_start - first]):
        return lead
    if prev.text.lstrip().startswith("#") or len(prev.text) > MAX_SENTENCE_CHARS:
        return lead
    return Sentence(
        f"{prev.text} {lead.text}", prev.line_start, lead.line_end, lead.passage, lead.rank
    )


def _same_place(a: Sentence, b: Sentence) -> bool:
    return (
        a.passage.chunk.doc_id == b.passage.chunk.doc_id
        and a.line_start <= b.line_end
        and b.line_start <= a.line_end
    )


def _similar(a: str, b: str, weights: QuoteWeights) -> bool:
    ta, tb = set(analyze(a)), set(analyze(b))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) > weights.similar
