"""The facade: `Assistant.from_settings(settings).ask(question, history)`.

Loads the embedding model, the index and the documents once; `ask` is then safe to call from
several threads (the UI's sessions) because nothing in it mutates shared state.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.answer.compose import compose
from assistant.answer.evidence import TermStats
from assistant.answer.intent import alternatives, answer_type
from assistant.config import Settings
from assistant.errors import QuestionError
from assistant.facts import store as fact_table
from assistant.index.build import LoadedIndex, open_index, read_document_texts
from assistant.index.embeddings import load_embed_model
from assistant.retrieve.searcher import Searcher, SearchFilters
from assistant.schema import Answer, DocumentText, Fact, ScoredChunk
from assistant.text.words import resolve_follow_up, years

# also at the end of a compound: 'het totaalbedrag', 'het subsidiebudget'
FIGURE_WORDS_RE = re.compile(
    r"(begroot|begroting|budget|bedrag|geld|miljoen|percentage|aandeel|totaal)\b"
    r"|\bwat staat er\b.{0,80}\b20\d\d\b",  # 'wat staat er in de tabel voor 2027 …'
    re.I,
)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def is_figure_question(question: str) -> bool:
    """Figure questions get facts from the fact table first ('hoeveel', 'welk bedrag', ...)."""
    return bool(
        fact_table.is_figure_question(question)
        or answer_type(question) == "number"
        or FIGURE_WORDS_RE.search(question)
    )


class Assistant:
    def __init__(
        self,
        settings: Settings,
        embed_model: BaseEmbedding,
        index: LoadedIndex,
        documents: dict[str, DocumentText],
        llm: Any = None,
    ) -> None:
        self.settings = settings
        self.index = index
        self.documents = documents
        self._searcher = Searcher(index, embed_model)
        self._stats = TermStats(index.bm25)
        self._llm = llm

    @classmethod
    def from_settings(
        cls, settings: Settings, *, embed_model: BaseEmbedding | None = None, client: Any = None
    ) -> Assistant:
        index = open_index(settings, client=client)
        model = embed_model or load_embed_model(settings.embed_model)
        llm = None
        if settings.llm_mode != "off":
            from assistant.answer.llm import make_llm

            llm = make_llm(settings)
        return cls(settings, model, index, read_document_texts(settings), llm)

    def ask(
        self,
        question: str,
        history: list[tuple[str, str]] | None = None,
        *,
        filters: SearchFilters | None = None,
    ) -> Answer:
        """Answer a Dutch question with cited passages (and facts for figure questions)."""
        started = time.perf_counter()
        question = self.clean_question(question)
        query = resolve_follow_up(question, history)
        t0 = time.perf_counter()
        passages = self._searcher.search(query, top_k=self.settings.top_k, filters=filters)
        t1 = time.perf_counter()
        found_facts = self.candidate_facts(query, filters)
        t2 = time.perf_counter()
        answer = compose(
            query,
            passages,
            found_facts,
            self._stats,
            self.documents,
            self.settings.abstain_threshold,
        )
        if self._llm is not None and not answer.abstained:
            from assistant.answer.llm import generate_answer

            answer = generate_answer(self._llm, query, answer)
        t3 = time.perf_counter()
        timings = {
            "retrieval": (t1 - t0) * 1000,
            "facts": (t2 - t1) * 1000,
            "answer": (t3 - t2) * 1000,
            "total": (t3 - started) * 1000,
        }
        return replace(answer, question=question, timings_ms=timings, search_query=query)

    def clean_question(self, question: str) -> str:
        """Normalise a question or raise QuestionError with a message for the user (Dutch)."""
        if not isinstance(question, str):
            raise QuestionError("Stel een vraag in tekst.")
        cleaned = " ".join(CONTROL_RE.sub(" ", question).split())
        if not cleaned:
            raise QuestionError("Stel eerst een vraag: het vraagveld is leeg.")
        if len(cleaned) > self.settings.max_question_chars:
            raise QuestionError(
                f"De vraag is te lang ({len(cleaned)} tekens). Houd het bij maximaal "
                f"{self.settings.max_question_chars} tekens."
            )
        return cleaned

    def search(
        self,
        query: str,
        *,
        mode: str = "hybrid",
        top_k: int = 5,
        filters: SearchFilters | None = None,
    ) -> list[ScoredChunk]:
        return self._searcher.search(
            self.clean_question(query), mode=mode, top_k=top_k, filters=filters
        )

    def find_facts(
        self,
        query: str,
        *,
        year: int | None = None,
        document: str | None = None,
        actielijn: int | None = None,
        unit: str | None = None,
        limit: int = 50,
    ) -> list[Fact]:
        """Figures from the fact table, best match first (the figure finder and `wozo facts`)."""
        return fact_table.lookup_facts(
            self.index.facts_path,
            query,
            year=year,
            document=document,
            actielijn=actielijn,
            unit=unit,
            limit=limit,
        )

    def candidate_facts(self, query: str, filters: SearchFilters | None = None) -> list[Fact]:
        """The facts `compose` chooses from: for figure questions only, a year filters them; a
        comparison gets the best five for each side."""
        if not is_figure_question(query):
            return []
        found_years = years(query)
        document = filters.documents[0] if filters and len(filters.documents) == 1 else None
        found: list[Fact] = []
        for part in alternatives(query):  # a comparison looks up each side ('A of B?')
            for fact in self.find_facts(
                part,
                year=int(found_years[0]) if found_years else None,
                document=document,
                actielijn=filters.actielijn if filters else None,
                limit=5,
            ):
                if fact not in found:
                    found.append(fact)
        return found

    def index_info(self) -> dict[str, Any]:
        m = self.index.manifest
        return {
            "embed_model": m.get("embed_model"),
            "corpus_fingerprint": m.get("corpus_fingerprint"),
            "build_id": m.get("build_id"),
            "built_at": m.get("built_at"),
            "chunks": m.get("chunks"),
            "facts": m.get("facts"),
            "chunk_chars": m.get("chunk_chars"),
            "stale": self.index.stale,
            "warnings": list(self.index.warnings),
        }

    def documents_overview(self) -> list[dict[str, Any]]:
        return [dict(d) for d in self.index.manifest.get("documents", [])]
