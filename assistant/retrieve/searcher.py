"""Dense, lexical and fused retrieval as llama-index retrievers.

Dense: llama-index's vector retriever over the Chroma collection. Lexical: llama-index's
BM25Retriever over the bm25s index with the Dutch Snowball stemmer. Hybrid: weighted
reciprocal rank fusion of the two (`HybridRetriever`), which is robust to their scores living on
different scales. Filters by document and action line apply to both sides.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import Stemmer
from chromadb.errors import ChromaError
from llama_index.core import VectorStoreIndex
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.core.vector_stores.types import (
    FilterCondition,
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
)
from llama_index.retrievers.bm25 import BM25Retriever

from assistant.errors import StoreUnavailableError
from assistant.index.store import LoadedIndex
from assistant.retrieve.fusion import HybridRetriever
from assistant.schema import Chunk, ScoredChunk

MODES = ("hybrid", "dense", "lexical")


@dataclass(frozen=True)
class SearchFilters:
    documents: tuple[str, ...] = ()
    actielijn: int | None = None

    def to_metadata_filters(self) -> MetadataFilters | None:
        items: list[MetadataFilter | MetadataFilters] = []
        if self.documents:
            items.append(
                MetadataFilter(key="doc_id", value=list(self.documents), operator=FilterOperator.IN)
            )
        if self.actielijn:
            items.append(MetadataFilter(key="actielijn", value=int(self.actielijn)))
        if not items:
            return None
        return MetadataFilters(filters=items, condition=FilterCondition.AND)


class Searcher:
    """Builds the retrievers over an opened index; one per Assistant, safe to share."""

    def __init__(
        self,
        index: LoadedIndex,
        embed_model: BaseEmbedding,
        *,
        weights: tuple[float, float] = (1.0, 1.0),
    ) -> None:
        """`weights`: of the dense and the lexical ranking in the fusion (WOZO_DENSE_WEIGHT,
        WOZO_LEXICAL_WEIGHT)."""
        self._index = index
        self.weights = weights
        self._vector_index = VectorStoreIndex.from_vector_store(
            index.vector_store, embed_model=embed_model
        )
        self._stemmer = Stemmer.Stemmer("dutch")

    def retriever(
        self, mode: str = "hybrid", top_k: int = 5, filters: SearchFilters | None = None
    ) -> BaseRetriever:
        metadata_filters = (filters or SearchFilters()).to_metadata_filters()
        candidates = max(20, top_k * 4)
        dense = self._vector_index.as_retriever(
            similarity_top_k=top_k if mode == "dense" else candidates, filters=metadata_filters
        )
        lexical: BaseRetriever = _SafeBM25(
            existing_bm25=self._index.bm25,
            stemmer=self._stemmer,
            similarity_top_k=top_k if mode == "lexical" else candidates,
            filters=metadata_filters,
        )
        if mode == "dense":
            return dense
        if mode == "lexical":
            return lexical
        return HybridRetriever(dense, lexical, weights=self.weights, top_k=top_k)

    def search(
        self,
        query: str,
        *,
        mode: str = "hybrid",
        top_k: int = 5,
        filters: SearchFilters | None = None,
    ) -> list[ScoredChunk]:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        try:
            results = self.retriever(mode, top_k, filters).retrieve(query)
        except (httpx.HTTPError, ConnectionError, TimeoutError, ChromaError) as exc:
            raise StoreUnavailableError(
                f"The Chroma store does not answer ({type(exc).__name__}: {exc}). "
                "Check that the Chroma server runs; the assistant retries on the next question."
            ) from exc
        return [to_scored_chunk(n) for n in results]


class _SafeBM25(BM25Retriever):
    """BM25Retriever that returns nothing (instead of raising) when filters exclude all."""

    def __init__(self, **kwargs: object) -> None:
        try:
            super().__init__(**kwargs)  # type: ignore[arg-type]
            self._empty = False
        except ValueError:
            kwargs.pop("filters", None)
            super().__init__(**kwargs)  # type: ignore[arg-type]
            self._empty = True

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        if self._empty:
            return []
        results = super()._retrieve(query_bundle)
        return [r for r in results if (r.score or 0) > 0]


def to_scored_chunk(result: NodeWithScore) -> ScoredChunk:
    meta = result.node.metadata
    chunk = Chunk.from_metadata(result.node.node_id, result.node.get_content(), meta)
    return ScoredChunk(
        chunk=chunk,
        score=float(result.score or 0.0),
        dense_rank=meta.get("dense_rank") or None,
        lexical_rank=meta.get("lexical_rank") or None,
    )
