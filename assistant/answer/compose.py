"""Composing the cited extractive answer, and deciding when to abstain.

The answer is made of sentences quoted from the retrieved passages, each with a numbered
citation to its exact lines; figure questions lead with matching facts from the fact table,
each with the sentence it stands in. When no fact matches well and the evidence score
(assistant.answer.evidence) is below the threshold, the assistant says it cannot find the answer and
shows the closest passages instead.
"""

from __future__ import annotations

import re

from assistant.answer.evidence import (
    TermStats,
    coverage,
    document_words,
    evidence_score,
    fact_coverage,
    found_terms,
)
from assistant.answer.intent import (
    REASON_RE,
    alternatives,
    answer_type,
    defined_term,
    defines,
    has_answer_type,
    listed_noun,
    question_parts,
    required_answer_type,
)
from assistant.ingest.corpus import is_page_start
from assistant.schema import Answer, Chunk, Citation, DocumentText, Fact, ScoredChunk
from assistant.text.sentences import MAX_SENTENCE_CHARS, Sentence, split_sentences
from assistant.text.words import (
    analyze,
    content_terms,
    mentioned_documents,
)

NOT_FOUND = (
    "Ik kan dit niet vinden in de documenten. Hieronder staan de passages die er het meest op "
    "lijken; die beantwoorden de vraag niet rechtstreeks."
)

EXTEND_CHARS = 1200  # the lead quote takes the rest of its paragraph along, up to this length

EXTEND_MORE_CHARS = 300  # and the other quotes up to this length

# A fact from the fact table is shown when it matches the question this well (fact_coverage; it
# must already match the asked year, round, region and unit). 0.4 on 483 dev questions: a
# table cell's row and column rarely repeat the question's wording ('verbleef' for 'aandeel
# verblijf'); 0.5 left out 5 right cells and kept 1 wrong answer out.
FACT_THRESHOLD = 0.4

LISTED_BONUS = 0.1

FACT_QUOTE_CHARS = 240  # a figure from running text is shown with its sentence, cut to this


def select_sentences(
    question: str,
    passages: list[ScoredChunk],
    stats: TermStats,
    limit: int = 3,
    mentioned: dict[str, str] | None = None,
) -> list[tuple[Sentence, float]]:
    """The best places to quote: windows of one to three sentences, then their paragraph.

    The sentence that repeats the question's words often only introduces the answer, which
    follows in the next sentence ("Daarnaast heb ik een onderzoek uitgezet naar Wmo-spoedzorg.
    Er is sprake van spoedzorg wanneer …"), so a window may take the next sentence along. A window
    holding an answer of the asked type (a number for 'hoeveel') is preferred.
    (Re-ranking sentences by embedding similarity was tried: no gain on the dev set, +400 ms.)
    """
    terms = content_terms(question)
    kind = answer_type(question)
    term = defined_term(question) if kind == "definition" else ""
    listed = listed_noun(question)
    scored: list[tuple[Sentence, float]] = []
    per_passage = [split_sentences(p, rank) for rank, p in enumerate(passages[:5], start=1)]
    for rank, (passage, sentences) in enumerate(zip(passages, per_passage, strict=False), 1):
        head = f"{passage.chunk.context} {document_words(passage.chunk.doc_id, mentioned)}"
        for i, first in enumerate(sentences):
            for width in (1, 2, 3):
                window = sentences[i : i + width]
                if len(window) < width:
                    continue
                text = " ".join(x.text for x in window)
                if len(text) > MAX_SENTENCE_CHARS * 1.5:
                    continue
                score = coverage(terms, stats, f"{head} {text}") + 0.08 / rank - 0.03 * (width - 1)
                if kind and has_answer_type(text, kind, question):
                    score += 0.15
                if listed and listed in found_terms([listed], text):
                    score += LISTED_BONUS
                if term and defines(term, text):
                    score += 0.2
                merged = Sentence(text, first.line_start, window[-1].line_end, passage, rank)
                scored.append((merged, score))
    scored.sort(key=lambda x: -x[1])
    if not scored:
        return []
    best = scored[0][1]
    chosen: list[tuple[Sentence, float]] = []
    covered: set[str] = set()
    while len(chosen) < limit:
        # after the first quote, windows that add question terms the others lack go first
        options = [
            (score + 0.2 * _gain(terms, covered, sentence.text, stats), sentence, score)
            for sentence, score in scored
            if score >= 0.65 * best
            and not any(
                _same_place(sentence, s) or _similar(sentence.text, s.text) for s, _ in chosen
            )
        ]
        if not options:
            break
        _, sentence, score = max(options, key=lambda o: o[0])
        covered |= found_terms(terms, sentence.text)
        chosen.append((sentence, score))
    chosen += _part_answers(question, scored, chosen, stats)
    return [
        (
            _extend(
                s,
                per_passage[s.rank - 1],
                EXTEND_CHARS if i == 0 else EXTEND_MORE_CHARS,
                reason=kind == "reason",
            ),
            score,
        )
        for i, (s, score) in enumerate(chosen)
    ]


def _part_answers(
    question: str,
    scored: list[tuple[Sentence, float]],
    chosen: list[tuple[Sentence, float]],
    stats: TermStats,
) -> list[tuple[Sentence, float]]:
    """For a question in parts ('Wie …, en wanneer …?'), a quote for each part the others miss.

    A part that asks for a date, a number, a name or a place is answered when a quote holds
    such an answer; else the window with one that best matches the part and the whole question
    (the part's 'ze' or 'die planning' is about what the first part names) is added.
    """
    parts = question_parts(question)
    if len(parts) < 2:
        return []
    terms = content_terms(question)
    added: list[tuple[Sentence, float]] = []
    for part in parts:
        part_terms, kind = content_terms(part), required_answer_type(part)
        if not kind:
            continue
        if any(
            has_answer_type(s.text, kind, part) and coverage(part_terms, stats, s.text) >= 0.5
            for s, _ in chosen + added
        ):
            continue
        options = [
            (0.5 * coverage(part_terms, stats, s.text) + 0.5 * coverage(terms, stats, s.text), s, v)
            for s, v in scored
            if has_answer_type(s.text, kind, part)
            and not any(_same_place(s, c) or _similar(s.text, c.text) for c, _ in chosen + added)
        ]
        if options:
            fit, sentence, score = max(options, key=lambda o: o[0])
            if fit >= 0.25:
                added.append((sentence, score))
    return added


def _gain(terms: list[str], covered: set[str], text: str, stats: TermStats) -> float:
    """IDF-weighted share of the question's terms that `text` adds to those already quoted."""
    total = sum(stats.idf(t) for t in terms)
    new = found_terms(terms, text) - covered
    return sum(stats.idf(t) for t in new) / total if covered and total else 0.0


def _extend(
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


def _similar(a: str, b: str) -> bool:
    ta, tb = set(analyze(a)), set(analyze(b))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) > 0.7


def select_facts(
    question: str,
    facts: list[Fact],
    stats: TermStats,
    threshold: float,
    limit: int = 3,
    mentioned: dict[str, str] | None = None,
) -> list[Fact]:
    """The facts that match the question well: above the threshold and close to the best.

    A figure that is part of another one in the same place ('35' in '19 van de 35') is left out.
    A comparison of two things ('meer naar A of naar B?') gets the best figure for each.
    """
    options = alternatives(question)
    if len(options) > 1:
        chosen = []
        for option in options:
            for fact in select_facts(option, facts, stats, threshold, 1, mentioned):
                if fact not in chosen:
                    chosen.append(fact)
        if len(chosen) == len(options):
            return chosen
    scored = [(fact_coverage(question, f, stats, mentioned), f) for f in facts]
    good = [(c, f) for c, f in scored if c >= threshold]
    if not good:
        return []
    best = max(c for c, _ in good)
    chosen: list[Fact] = []
    for c, fact in good:
        if c >= 0.85 * best and not any(_inside(fact, other) for other in chosen):
            chosen.append(fact)
    return chosen[:limit]


def _inside(fact: Fact, other: Fact) -> bool:
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


def compose(
    question: str,
    passages: list[ScoredChunk],
    facts: list[Fact],
    stats: TermStats,
    documents: dict[str, DocumentText],
    threshold: float,
) -> Answer:
    """The extractive answer: facts first (figure questions), then cited sentences."""
    mentioned = mentioned_documents(question, documents)
    cov = evidence_score(question, passages, stats, mentioned)
    fact_threshold = max(threshold, FACT_THRESHOLD)
    good_facts = select_facts(question, facts, stats, fact_threshold, mentioned=mentioned)
    if not good_facts and cov < threshold:
        return Answer(question=question, text=NOT_FOUND, abstained=True, passages=tuple(passages))
    citations: list[Citation] = []
    lines: list[str] = []
    for fact in good_facts:
        citation = _fact_citation(fact, len(citations) + 1, documents)
        citations.append(citation)
        lines.append(f"{format_fact(fact, citation)} [{citation.number}]")
    if documents_disagree(good_facts):
        lines.append(
            "Let op: de documenten noemen verschillende cijfers; kijk bij elk cijfer naar de bron "
            "en de periode."
        )
    for sentence, _ in select_sentences(question, passages, stats, mentioned=mentioned):
        if any(
            c.doc_id == sentence.passage.chunk.doc_id
            and c.line_start <= sentence.line_end
            and sentence.line_start <= c.line_end
            for c in citations
        ):
            continue
        citation = _sentence_citation(sentence, len(citations) + 1, documents)
        citations.append(citation)
        lines.append(f"{sentence.text} [{citation.number}]")
    text = "\n\n".join(lines)
    return Answer(
        question=question,
        text=text,
        abstained=False,
        citations=tuple(citations),
        passages=tuple(passages),
        facts=tuple(good_facts),
    )


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


def _around(sentence: str, raw: str, width: int = FACT_QUOTE_CHARS) -> str:
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


def _lines_text(documents: dict[str, DocumentText], doc_id: str, start: int, end: int) -> str:
    doc = documents.get(doc_id)
    if not doc:
        return ""
    return "\n".join(doc.lines[start - 1 : end]).strip()


def _page(documents: dict[str, DocumentText], doc_id: str, line: int) -> int | None:
    doc = documents.get(doc_id)
    if doc and 0 < line <= len(doc.pages):
        return doc.pages[line - 1]
    return None


def _sentence_citation(
    sentence: Sentence, number: int, documents: dict[str, DocumentText]
) -> Citation:
    chunk: Chunk = sentence.passage.chunk
    doc = documents.get(chunk.doc_id)
    return Citation(
        number=number,
        doc_id=chunk.doc_id,
        title=chunk.title,
        line_start=sentence.line_start,
        line_end=sentence.line_end,
        text=sentence.text,
        passage=chunk.text,
        page=_page(documents, chunk.doc_id, sentence.line_start) or chunk.page,
        section=chunk.section,
        period=doc.info.period if doc else "",
    )


def _fact_citation(fact: Fact, number: int, documents: dict[str, DocumentText]) -> Citation:
    doc = documents.get(fact.doc_id)
    text = _lines_text(documents, fact.doc_id, fact.line_start, fact.line_end) or fact.sentence
    return Citation(
        number=number,
        doc_id=fact.doc_id,
        title=doc.info.title if doc else fact.doc_id,
        line_start=fact.line_start,
        line_end=fact.line_end,
        text=" ".join(text.split()),
        passage=fact.sentence,
        page=fact.page or _page(documents, fact.doc_id, fact.line_start),
        section=fact.section,
        period=doc.info.period if doc else "",
    )
