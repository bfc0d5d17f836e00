"""Composing the cited extractive answer, and deciding when to abstain.

The answer is made of sentences quoted from the retrieved passages, each with a numbered
citation to its exact lines; figure questions lead with matching facts from the fact table.
Abstention rests on *coverage*: the IDF-weighted share of the question's informative terms that
the best passage contains. A question about something the documents never mention ("jeugdzorg",
"2030") leaves a heavy term uncovered, whatever the retrieval scores say. The threshold is
calibrated on the dev questions (see evals/BENCHMARK.md).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import bm25s
import numpy as np

from assistant.corpus import is_page_start
from assistant.lexicon import (
    YEAR_RE,
    analyze,
    content_terms,
    mentioned_documents,
    name_terms,
    synonym_stems,
    with_abbreviations,
)
from assistant.types import Answer, Chunk, Citation, DocumentText, Fact, ScoredChunk

NOT_FOUND = (
    "Ik kan dit niet vinden in de documenten. Hieronder staan de passages die er het meest op "
    "lijken; die beantwoorden de vraag niet rechtstreeks."
)
ABBREVIATIONS_RE = (
    r"(?<!\bca\.)(?<!\bjl\.)(?<!\bnr\.)(?<!\bo\.a\.)(?<!\bincl\.)(?<!\bbijv\.)(?<!\bmln\.)"
)
# A sentence ends at . ! ? before a capital, at a bullet, and at a line break that is followed
# by a capital, a bullet or a heading while the line before has no closing punctuation (PDF
# slide titles and Markdown headings). Wrapped PDF lines go on in lower case and are joined.
SENTENCE_RE = re.compile(
    ABBREVIATIONS_RE + r"(?<=[.!?:])\s+(?=[A-Z0-9“\"‘'(•€#])"
    r"|\s*•\s*"
    r"|(?<=[^\s.,;:!?(])[ \t]*\n(?:[ \t]*\n)*(?=\s?(?:[A-Z“‘#•]|\d+\s+[A-Z]))"
    r"|\n\s*\n\s*\n+"
)
MAX_SENTENCE_CHARS = 450
EXTEND_CHARS = 600  # the lead quote takes following sentences along up to this length
EXTEND_MORE_CHARS = 300
FACT_QUOTE_CHARS = 240  # a figure from running text is shown with its sentence, cut to this
# Evidence that lacks what the question names counts less (calibrated with the threshold on the
# dev questions, evals/ABSTENTION.md): a year or ordinal the question asks about (see
# asked_details; less when the passage has it, but not next to the rest), and each name in it.
DETAIL_FACTOR = 0.3
NEAR_DETAIL_FACTOR = 0.5
NAME_FACTOR = 0.7  # and the other quotes up to this length
UNIT_LABELS = {"mln euro": "mln euro", "euro": "euro", "%": "%", "aantal": ""}


@dataclass(frozen=True)
class Sentence:
    text: str
    line_start: int
    line_end: int
    passage: ScoredChunk
    rank: int  # rank of its passage, 1-based


class TermStats:
    """Inverse document frequencies from the BM25 index, for weighting question terms."""

    def __init__(self, bm25: bm25s.BM25) -> None:
        indptr = np.asarray(bm25.scores["indptr"])
        self._n = max(1, int(bm25.scores["num_docs"]))
        # bm25s keeps scores column-wise per token; its vocabulary may hold an extra "" token
        self._df = {
            tok: int(indptr[i + 1] - indptr[i])
            for tok, i in bm25.vocab_dict.items()
            if i + 1 < len(indptr)
        }
        self.max_idf = self.idf_for(0)

    def idf_for(self, df: int) -> float:
        return math.log(1 + (self._n - df + 0.5) / (df + 0.5))

    def idf(self, term: str) -> float:
        """A term the corpus never uses weighs most: it is what the documents cannot answer."""
        return self.idf_for(self._df.get(term, 0))

    def known(self, term: str) -> bool:
        return term in self._df


def coverage(terms: list[str], stats: TermStats, text: str) -> float:
    """IDF-weighted share of `terms` found in `text` (a term inside a compound word counts)."""
    if not terms:
        return 0.0
    tokens = with_abbreviations(set(analyze(text)))
    joined = " ".join(tokens)
    total = found = 0.0
    for term in terms:
        weight = stats.idf(term)
        total += weight
        if _has_term(term, tokens, joined):
            found += weight
    return found / total if total else 0.0


def _has_term(term: str, tokens: set[str], joined: str) -> bool:
    """The stem (or a synonym's) is a token of the text, or (5+ letters) part of a compound."""
    return any(t in tokens or (len(t) >= 5 and t in joined) for t in synonym_stems(term))


def split_sentences(passage: ScoredChunk, rank: int) -> list[Sentence]:
    """Sentences of a chunk with their exact line ranges (wrapped PDF lines are joined).

    A short lead-in that ends in a colon ('In 2019:') goes with the sentence after it: it
    holds what the list below it is about.
    """
    chunk = passage.chunk
    text = chunk.text
    out = []
    pos = 0
    lead_in: tuple[str, int] | None = None
    pieces = SENTENCE_RE.split(text)
    for piece in pieces:
        if piece is None:
            continue
        start = text.find(piece, pos)
        if start < 0:
            continue
        pos = start + len(piece)
        for part, offset in _cap(piece, start):
            clean = " ".join(part.split())
            begin = offset + len(part) - len(part.lstrip())
            first = chunk.line_start + text.count("\n", 0, begin)
            if len(clean) < 15 or not re.search(r"[^\W\d_]{3}", clean):
                if clean:
                    lead_in = (clean, first) if clean.endswith(":") and len(clean) > 3 else None
                continue
            if lead_in:
                clean, first = f"{lead_in[0]} {clean}", lead_in[1]
                lead_in = None
            end = offset + len(part.rstrip())
            last = chunk.line_start + text.count("\n", 0, end)
            out.append(Sentence(clean, first, min(last, chunk.line_end), passage, rank))
    return out


def _cap(piece: str, start: int) -> list[tuple[str, int]]:
    """Split an over-long 'sentence' (a table or list without full stops) at line breaks."""
    if len(piece) <= MAX_SENTENCE_CHARS:
        return [(piece, start)]
    out, current, cur_start, offset = [], "", start, start
    for line in piece.split("\n"):
        if current and len(current) + len(line) > MAX_SENTENCE_CHARS:
            out.append((current, cur_start))
            current, cur_start = "", offset
        current = f"{current}\n{line}" if current else line
        offset += len(line) + 1
    if current:
        out.append((current, cur_start))
    return out


def select_sentences(
    question: str,
    passages: list[ScoredChunk],
    stats: TermStats,
    limit: int = 3,
    mentioned: dict[str, str] | None = None,
) -> list[tuple[Sentence, float]]:
    """The best places to quote: one sentence or two consecutive ones.

    The sentence that repeats the question's words often only introduces the answer, which
    follows in the next sentence ("Daarnaast heb ik een onderzoek uitgezet naar Wmo-spoedzorg.
    Er is sprake van spoedzorg wanneer …"), so a window may take the next sentence along. A window
    holding an answer of the asked type (a number for 'hoeveel') is preferred.
    (Re-ranking sentences by embedding similarity was tried: no gain on the dev set, +400 ms.)
    """
    terms = content_terms(question)
    kind = answer_type(question)
    scored: list[tuple[Sentence, float]] = []
    per_passage = [split_sentences(p, rank) for rank, p in enumerate(passages[:5], start=1)]
    for rank, (passage, sentences) in enumerate(zip(passages, per_passage, strict=False), 1):
        for i, first in enumerate(sentences):
            for width in (1, 2, 3):
                window = sentences[i : i + width]
                if len(window) < width:
                    continue
                text = " ".join(x.text for x in window)
                if len(text) > MAX_SENTENCE_CHARS * 1.5:
                    continue
                head = f"{passage.chunk.context} {_names(passage.chunk.doc_id, mentioned)}"
                score = coverage(terms, stats, f"{head} {text}") + 0.08 / rank - 0.03 * (width - 1)
                if kind and has_answer_type(text, kind, question):
                    score += 0.15
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
        covered |= _found_terms(terms, sentence.text)
        chosen.append((sentence, score))
    return [
        (_extend(s, per_passage[s.rank - 1], EXTEND_CHARS if i == 0 else EXTEND_MORE_CHARS), score)
        for i, (s, score) in enumerate(chosen)
    ]


def _names(doc_id: str, mentioned: dict[str, str] | None) -> str:
    """The question's words that name this document (see lexicon.mentioned_documents)."""
    return " ".join(word for word, doc in (mentioned or {}).items() if doc == doc_id)


def _found_terms(terms: list[str], text: str) -> set[str]:
    tokens = with_abbreviations(set(analyze(text)))
    return {t for t in terms if _has_term(t, tokens, " ".join(tokens))}


def _gain(terms: list[str], covered: set[str], text: str, stats: TermStats) -> float:
    """IDF-weighted share of the question's terms that `text` adds to those already quoted."""
    total = sum(stats.idf(t) for t in terms)
    new = _found_terms(terms, text) - covered
    return sum(stats.idf(t) for t in new) / total if covered and total else 0.0


def _extend(lead: Sentence, sentences: list[Sentence], budget: int) -> Sentence:
    """Take the sentences that follow a quote along, up to `budget` characters.

    In these documents the sentence that repeats the question's words often only introduces
    the answer; the detail asked for (a date, a reason, a figure) follows ("De SWZ ziet sinds
    april 2019 toe op ... Per 3 april 2024 is de stimuleringsregeling gesloten."). A heading
    that matches the question is followed by what it heads. Only the same paragraph is taken:
    the next sentence must follow with nothing but blank lines in between, on the same page.
    """
    chunk = lead.passage.chunk
    lines, first = chunk.text.split("\n"), chunk.line_start
    text, end = lead.text, lead.line_end
    for nxt in sentences:
        if nxt.line_start < lead.line_end or nxt.text in text:
            continue
        gap = lines[end - first + 1 : nxt.line_start - first]
        if any(line.strip() for line in gap) or len(text) + len(nxt.text) > budget:
            break
        if nxt.text.lstrip().startswith("#") or is_page_start(lines[nxt.line_start - first]):
            break  # a heading or a new slide starts something else
        text, end = f"{text} {nxt.text}", nxt.line_end
    return Sentence(text, lead.line_start, end, lead.passage, lead.rank)


def _same_place(a: Sentence, b: Sentence) -> bool:
    return (
        a.passage.chunk.doc_id == b.passage.chunk.doc_id
        and a.line_start <= b.line_end
        and b.line_start <= a.line_end
    )


def _similar(a: str, b: str) -> bool:
    ta, tb = set(analyze(a)), set(analyze(b))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) > 0.7


def best_coverage(question: str, passages: list[ScoredChunk], stats: TermStats) -> float:
    """How much of the question the best of the top passages covers."""
    terms = content_terms(question)
    texts = [f"{p.chunk.section}\n{p.chunk.context}\n{p.chunk.text}" for p in passages[:3]]
    return max((coverage(terms, stats, t) for t in texts), default=0.0)


def answer_type(question: str) -> str:
    """What the question asks for: number, person, place, definition, date, reason, status or
    '' (anything)."""
    q = question.lower()
    if re.search(r"\b(hoeveel|hoe groot|hoe hoog|welk bedrag|welk percentage|procent)\b", q):
        return "number"
    if re.search(
        r"\bwat (?:is|was|zijn|waren)\b.{0,30}\b(budget|bedrag|aantal|omvang|hoogte)\b", q
    ):
        return "number"
    if re.match(r"\s*wie\b", q) or re.search(PERSON_Q, q):
        return "person"
    if re.search(r"\bwelke (?:provincie|provincies|gemeente|gemeenten|stad|steden|plaats)\b", q):
        return "place"
    if re.search(r"wanneer (?:spreek|spreekt|is er sprake|heet|noem)", q) or re.search(
        r"^\s*wat (?:is|zijn|betekent|betekenen|houdt|houden)\b|\bwat wordt .{0,40}bedoeld", q
    ):
        return "definition"
    if re.search(r"\b(wanneer|welke datum|in welk jaar|per wanneer)\b", q):
        return "date"
    if re.search(r"\b(waarom|verklaring|oorzaak|reden|hoe komt het)\b", q):
        return "reason"
    if re.search(
        r"stand van zaken|hoe staat het|wat is er gebeurd|\bloopt\b|\bnog (?:open|steeds)\b"
        r"|\binmiddels\b|^\s*(?:is|zijn|kunnen|kan|wordt|worden) ",
        q,
    ):
        return "status"
    return ""


PERSON_Q = (
    r"\bwelke (?:minister|staatssecretaris|directeur|voorzitter|wethouder|kwartiermaker|persoon)"
    r"|\bdoor wie\b|\bnaam van de\b"
)
PROVINCES = (
    "Groningen|Friesland|Fryslân|Drenthe|Overijssel|Flevoland|Gelderland|Utrecht|Noord-Holland"
    "|Zuid-Holland|Zeeland|Noord-Brabant|Limburg"
)
PLACE_RE = re.compile(rf"\b(?:{PROVINCES})\b|\b(?:gemeente|provincie|regio) [A-Z]\w+")
MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
DATE_RE = re.compile(rf"\b(20\d\d|{MONTHS}|kwartaal|q[1-4])\b", re.IGNORECASE)
# A person: initials and a surname, or a title or role followed by a name.
NAME_RE = re.compile(
    r"\b(?:[A-Z]\.\s?)+(?:(?:van|de|der|den|ter)\s+)*[A-Z][a-zé]+"
    r"|\b(?:de heer|mevrouw|dhr\.|mw\.|minister|staatssecretaris)\s+(?:(?:van|de|der)\s+)*"
    r"[A-Z][a-zé]+"
)
DEFINITION_RE = re.compile(
    r"\b(is een|zijn|er is sprake van|sprake van|wordt verstaan|betekent|houdt in|bedoeld|"
    r"gaat om|definitie|omvat)\b",
    re.IGNORECASE,
)
REASON_RE = re.compile(
    r"\b(omdat|doordat|vanwege|oorzaak|reden|mogelijk|daardoor|want|komt door|als gevolg|"
    r"verklaring|knelpunt|belemmer)",
    re.IGNORECASE,
)
DAY_MONTH_RE = re.compile(rf"\b\d{{1,2}}\s+(?:{MONTHS})\b", re.IGNORECASE)


def has_answer_type(text: str, kind: str, question: str) -> bool:
    if kind == "number":
        # a figure, not a year or a day of the month
        plain = DAY_MONTH_RE.sub(" ", text)
        numbers = [n for n in re.findall(r"\d+(?:[.,]\d+)*", plain) if not YEAR_RE.fullmatch(n)]
        return bool(numbers)
    if kind == "date":
        return bool(DATE_RE.search(text))
    if kind == "person":
        return bool(NAME_RE.search(text))
    if kind == "place":
        return bool(PLACE_RE.search(text))
    if kind == "reason":
        return bool(REASON_RE.search(text))
    if kind == "definition":
        return bool(DEFINITION_RE.search(text))
    if kind == "status":  # a status says when: a date, a quarter, a year
        return bool(DATE_RE.search(text))
    return True


ORDINALS = {
    "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5,
    "zesde": 6, "zevende": 7, "achtste": 8, "negende": 9, "tiende": 10,
}  # fmt: skip


def asked_details(question: str) -> list[re.Pattern[str]]:
    """What evidence must say to answer this question and not a neighbouring one.

    A year ('in 2026') and an ordinal ('de derde ronde', also written 'ronde 3' or '3e') name
    which of several similar things is asked about; a passage about another year or round is the
    typical near miss.
    """
    out = [re.compile(rf"\b{year}\b") for year in dict.fromkeys(YEAR_RE.findall(question))]
    for word, noun in re.findall(r"\b([a-z]+)(?=\s+([a-z]{4,}))", question.lower()):
        if word not in ORDINALS:
            continue
        n, root, tail = ORDINALS[word], noun[:5], noun.rstrip("s")[-5:]
        if root == "kwart":  # 'het eerste kwartaal' is also 'Q1'
            out.append(re.compile(rf"\b(?:{word}\s+kwart|Q{n}\b|{n}e\s+kwart)", re.I))
            continue
        # 'de derde ronde', 'de 3e ronde', 'ronde 3'; 'het eerste tijdvak' for 'aanvraagtijdvak'
        out.append(
            re.compile(
                rf"\b(?:{word}|{n}(?:e|de|ste))\s+(?:\w+\s+)?\w*(?:{root}|{tail})"
                rf"|\b\w*(?:{root}|{tail})\w*\s+{n}\b",
                re.I,
            )
        )
    return out


def evidence_score(
    question: str,
    passages: list[ScoredChunk],
    stats: TermStats,
    mentioned: dict[str, str] | None = None,
) -> float:
    """The abstention signal: how well one place in the top passages answers the question.

    A window of up to three consecutive sentences (with its section title) must hold the
    question's informative terms *and* an answer of the asked type (a number for 'hoeveel', a
    name for 'wie', a date for 'wanneer'); a window without one does not count. A year the
    question asks about must be in the window too, or the window counts half. Retrieval scores
    alone do not separate answerable from unanswerable questions on this corpus: a passage on
    the right topic without the asked detail is exactly the unanswerable case. A word that names
    a document ('volgens het programmaplan', `mentioned`) is found in that document's passages.
    """
    terms = content_terms(question)
    kind = answer_type(question)
    if kind in {"reason", "definition", "status"}:
        kind = ""  # reasons and definitions are worded in many ways: not required as evidence
    asked = asked_details(question)
    names = name_terms(question, mentioned or {})
    best = 0.0
    for rank, passage in enumerate(passages[:3], start=1):
        sentences = split_sentences(passage, rank)
        head = f"{passage.chunk.section} {passage.chunk.context} "
        head += _names(passage.chunk.doc_id, mentioned)
        elsewhere = [d for d in asked if d.search(passage.chunk.text)]
        for i in range(len(sentences)):
            for width in (1, 2, 3):
                window = " ".join(s.text for s in sentences[i : i + width])
                if not has_answer_type(window, kind, question):
                    continue
                text = f"{head} {window}"
                score = coverage(terms, stats, text)
                missing = [d for d in asked if not d.search(text)]
                if missing:  # in the passage, but not with the rest: counts a little more
                    near = all(d in elsewhere for d in missing)
                    score *= NEAR_DETAIL_FACTOR if near else DETAIL_FACTOR
                unnamed = set(names) - _found_terms(names, text)
                score *= NAME_FACTOR ** len(unnamed)
                best = max(best, score)
    return best


def fact_coverage(
    question: str, fact: Fact, stats: TermStats, mentioned: dict[str, str] | None = None
) -> float:
    """How well a fact matches the question; like a passage, it must carry the asked names."""
    text = f"{fact.subject} {fact.row_label} {fact.measure} {fact.period} {fact.sentence}"
    text += f" {_names(fact.doc_id, mentioned)}"
    names = name_terms(question, mentioned or {})
    score = coverage(content_terms(question), stats, text)
    # one fact answers one part of a question about several names ('DOS of Wlz')
    return score * NAME_FACTOR if names and not _found_terms(names, text) else score


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
    """
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
    fact_threshold = max(threshold, 0.5)
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
