"""Citations: the numbered sources of an answer, each with its exact lines, page and period."""

from __future__ import annotations

from assistant.answer.figures import documents_disagree, format_fact
from assistant.schema import Answer, Chunk, Citation, DocumentText, Fact, ScoredChunk
from assistant.text.sentences import Sentence


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


def sentence_citation(
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


def fact_citation(fact: Fact, number: int, documents: dict[str, DocumentText]) -> Citation:
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


DISAGREE_NOTE = (
    "Let op: de documenten noemen verschillende cijfers; kijk bij elk cijfer naar de bron "
    "en de periode."
)


def cited_answer(
    question: str,
    passages: list[ScoredChunk],
    facts: list[Fact],
    quotes: list[Sentence],
    documents: dict[str, DocumentText],
) -> Answer:
    """The answer text: the facts first, each with its citation, then the quotes.

    A quote on lines a fact already cites is left out; when documents give different figures
    for what reads as the same thing, a note says so.
    """
    citations: list[Citation] = []
    lines: list[str] = []
    for fact in facts:
        citation = fact_citation(fact, len(citations) + 1, documents)
        citations.append(citation)
        lines.append(f"{format_fact(fact, citation)} [{citation.number}]")
    if documents_disagree(facts):
        lines.append(DISAGREE_NOTE)
    for sentence in quotes:
        if any(
            c.doc_id == sentence.passage.chunk.doc_id
            and c.line_start <= sentence.line_end
            and sentence.line_start <= c.line_end
            for c in citations
        ):
            continue
        citation = sentence_citation(sentence, len(citations) + 1, documents)
        citations.append(citation)
        lines.append(f"{sentence.text} [{citation.number}]")
    return Answer(
        question=question,
        text="\n\n".join(lines),
        abstained=False,
        citations=tuple(citations),
        passages=tuple(passages),
        facts=tuple(facts),
    )
