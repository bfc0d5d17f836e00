"""The facade: `Assistant.from_settings(settings).ask(question, history)`.

An `Assistant` is handed its parts: a searcher (retrieval), a fact finder (the fact table), a
reader (the answer step, which holds the abstainer) and the documents. `from_settings` builds
them from the settings once (embedding model, index, documents); `ask` is then safe to call
from several threads (the UI's sessions) because nothing in it mutates shared state.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.answer.evidence import TermStats
from assistant.answer.factory import make_reader
from assistant.answer.question import Question, parse_question
from assistant.answer.reader import Reader
from assistant.config import Settings
from assistant.errors import QuestionError
from assistant.facts.finder import FactFinder
from assistant.index.embeddings import load_embed_model
from assistant.index.store import LoadedIndex, open_index, read_document_texts
from assistant.retrieve.searcher import Searcher, SearchFilters
from assistant.schema import Answer, DocumentText, Fact, ScoredChunk
from assistant.text.words import resolve_follow_up

CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


class Assistant:
    def __init__(
        self,
        settings: Settings,
        searcher: Searcher,
        fact_finder: FactFinder,
        reader: Reader,
        documents: dict[str, DocumentText],
        index: LoadedIndex,
        term_stats: TermStats,
    ) -> None:
        self.settings = settings
        self.searcher = searcher
        self.fact_finder = fact_finder
        self.reader = reader
        self.documents = documents
        self.index = index
        self.term_stats = term_stats  # IDF of the indexed passages, what readers weigh terms by

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        embed_model: BaseEmbedding | None = None,
        client: Any = None,
        llm: Any = None,
    ) -> Assistant:
        """Open the index and build every part as the settings say (WOZO_READER picks the
        reader); `embed_model`, `client` (Chroma) and `llm` replace the ones it would load."""
        index = open_index(settings, client=client)
        model = embed_model or load_embed_model(settings.embed_model)
        documents = read_document_texts(settings)
        stats = TermStats.from_bm25(index.bm25)
        searcher = Searcher(index, model, weights=(settings.dense_weight, settings.lexical_weight))
        reader = make_reader(
            settings, stats, documents, llm=llm, index=index, warnings=index.warnings
        )
        return cls(
            settings, searcher, FactFinder(index.facts_path), reader, documents, index, stats
        )

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
        parsed = self.parse(query)
        t0 = time.perf_counter()
        passages = self.searcher.search(query, top_k=self.settings.top_k, filters=filters)
        t1 = time.perf_counter()
        found_facts = self.candidate_facts(parsed, filters)
        t2 = time.perf_counter()
        answer = self.reader.read(parsed, passages, found_facts)
        t3 = time.perf_counter()
        timings = {
            "retrieval": (t1 - t0) * 1000,
            "facts": (t2 - t1) * 1000,
            "answer": (t3 - t2) * 1000,
            "total": (t3 - started) * 1000,
        }
        return replace(answer, question=question, timings_ms=timings, search_query=query)

    def parse(self, query: str) -> Question:
        """The question as the answer step reads it (words naming a document included)."""
        return parse_question(query, self.documents)

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
        return self.searcher.search(
            self.clean_question(query), mode=mode, top_k=top_k, filters=filters
        )

    def candidate_facts(
        self, question: Question, filters: SearchFilters | None = None
    ) -> list[Fact]:
        """The facts the reader chooses from (see FactFinder.candidates); one document in the
        filters narrows them to that document."""
        document = filters.documents[0] if filters and len(filters.documents) == 1 else None
        return self.fact_finder.candidates(
            question, document=document, actielijn=filters.actielijn if filters else None
        )

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
