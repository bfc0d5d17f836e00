"""Build, load and refresh the index: Chroma (dense) + BM25 (lexical) + the fact table.

Layout under `settings.index_dir`:
    current.json           pointer to the serving build (written last, with os.replace)
    chroma/                Chroma's persistent store (unless WOZO_CHROMA_URL points at a server)
    builds/<build_id>/     bm25/, facts.sqlite, manifest.json of that build

A build writes a new Chroma collection `wozo_<build_id>` and a new build folder, and only then
swaps `current.json`. A build that fails or is killed midway leaves the pointer, and so the
serving index, untouched; the next build removes its leftovers. Builds are incremental: chunks
and embeddings of documents whose bytes, the embedding model and the chunker did not change are
copied from the previous collection instead of being embedded again.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import Stemmer
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import (
    BaseNode,
    MetadataMode,
    NodeRelationship,
    RelatedNodeInfo,
    TextNode,
)
from llama_index.retrievers.bm25 import BM25Retriever
from llama_index.vector_stores.chroma import ChromaVectorStore

from assistant.config import Settings
from assistant.errors import (
    DocumentError,
    IndexCorruptError,
)
from assistant.facts import store as facts
from assistant.index.cache import EmbeddingCache
from assistant.index.embeddings import canonical_model_name
from assistant.index.store import (
    COLLECTION_METADATA,
    COLLECTION_PREFIX,
    POINTER,
    collection_chunks,
    get_collection,
    make_client,
    read_pointer,
    write_atomic,
)
from assistant.ingest.chunking import CHUNKER_VERSION, chunk_document
from assistant.ingest.corpus import corpus_fingerprint, list_documents, read_document
from assistant.ingest.tablerows import word_counts
from assistant.schema import Chunk, DocumentText

log = logging.getLogger(__name__)

EMBED_METADATA_KEYS = (
    "document",
    "section",
    "context",
)  # what the embedding and BM25 see besides text


# Chroma builds its HNSW graph from the write log when a small collection is opened; with
# several threads the graph, and so the dense top 20, differed between processes (1 in 6 runs
# of the same query). One thread makes it the same in every process; a search_ef above the
# size of a collection like this one makes the search as good as exhaustive.
@dataclass(frozen=True)
class BuildReport:
    build_id: str
    embedded: tuple[str, ...]  # documents chunked and embedded in this build
    reused: tuple[str, ...]  # documents copied from the previous build
    removed: tuple[str, ...]  # documents that left the index
    skipped: tuple[tuple[str, str], ...]  # (file, reason) not indexed
    kept_previous: tuple[str, ...]  # unreadable now, previous version kept
    chunks: int
    embedded_chunks: int  # chunks whose embedding was computed (not copied, not cached)
    facts: int
    seconds: float


def chunk_to_node(chunk: Chunk) -> TextNode:
    """The llama-index node for a chunk: title and section are part of what gets embedded.

    The source relationship makes llama-index's own `doc_id`/`ref_doc_id` keys the document id.
    """
    meta = chunk.metadata()
    return TextNode(
        id_=chunk.chunk_id,
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=chunk.doc_id)},
        text=chunk.text,
        metadata=meta,
        excluded_embed_metadata_keys=[k for k in meta if k not in EMBED_METADATA_KEYS],
        excluded_llm_metadata_keys=[k for k in meta if k not in EMBED_METADATA_KEYS],
    )


def build_index(
    settings: Settings,
    embed_model: BaseEmbedding,
    *,
    full: bool = False,
    client: Any = None,
    progress: Callable[[str], None] | None = None,
    fail_after_documents: int | None = None,
) -> BuildReport:
    """Build a new index and make it the serving one (see module doc).

    `fail_after_documents` makes the build raise after that many documents: the fault-injection
    hook the atomicity tests use.
    """
    started = time.perf_counter()
    say = progress or (lambda msg: log.info(msg))
    index_dir = settings.index_dir
    index_dir.mkdir(parents=True, exist_ok=True)
    client = client or make_client(settings)
    model_name = canonical_model_name(settings.embed_model)
    chunker = f"{CHUNKER_VERSION}:{settings.chunk_chars}"
    try:
        previous = read_pointer(index_dir)
    except IndexCorruptError as exc:
        log.warning("%s Building from scratch.", exc)
        previous = None
    old_collection = None
    if previous and not full:
        same = previous.get("embed_model") == model_name and previous.get("chunker") == chunker
        if same:
            old_collection = get_collection(client, previous["collection"])
    old_docs = {d["doc_id"]: d for d in (previous or {}).get("documents", [])}

    docs = list_documents(settings.corpus_dir)
    build_id = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
    collection_name = COLLECTION_PREFIX + build_id.replace("-", "_")
    build_dir = index_dir / "builds" / build_id
    build_dir.mkdir(parents=True)
    collection = client.create_collection(collection_name, metadata=COLLECTION_METADATA)
    store = ChromaVectorStore(chroma_collection=collection)
    embedded, reused, skipped, kept, texts = [], [], [], [], []
    manifest_docs = []
    cache = EmbeddingCache(index_dir / "embed_cache.sqlite", model_name)
    embedded_chunks = 0
    readable: dict[str, DocumentText | DocumentError] = {}
    for doc in docs:
        try:
            readable[doc.doc_id] = read_document(doc)
        except DocumentError as exc:
            readable[doc.doc_id] = exc
    vocabulary = word_counts(
        [line for t in readable.values() if isinstance(t, DocumentText) for line in t.lines]
    )
    try:
        for n, doc in enumerate(docs, start=1):
            if fail_after_documents is not None and n > fail_after_documents:
                raise RuntimeError("injected failure (fail_after_documents)")
            old = old_docs.get(doc.doc_id)
            text = readable[doc.doc_id]
            if isinstance(text, DocumentError):
                problem = text
                if old and old_collection is not None:
                    _copy_document(old_collection, collection, doc.doc_id)
                    kept.append(doc.doc_id)
                    manifest_docs.append(old)
                    say(f"WARNING: {problem} Keeping the previously indexed version.")
                else:
                    skipped.append((doc.path.name, str(problem)))
                    say(f"WARNING: skipped {problem}")
                continue
            texts.append(text)
            if old and old_collection is not None and old["fingerprint"] == doc.fingerprint:
                count = _copy_document(old_collection, collection, doc.doc_id)
                reused.append(doc.doc_id)
                say(f"{doc.doc_id}: unchanged, {count} chunks reused")
            else:
                chunks = chunk_document(text, settings.chunk_chars, vocabulary)
                nodes: list[BaseNode] = [chunk_to_node(c) for c in chunks]
                say(f"{doc.doc_id}: embedding {len(nodes)} chunks ...")
                vectors, computed = cache.embed(
                    [node.get_content(metadata_mode=MetadataMode.EMBED) for node in nodes],
                    embed_model.get_text_embedding_batch,
                )
                embedded_chunks += computed
                for node, vector in zip(nodes, vectors, strict=True):
                    node.embedding = vector
                if nodes:
                    store.add(nodes)
                count = len(nodes)
                embedded.append(doc.doc_id)
            manifest_docs.append(
                {
                    "doc_id": doc.doc_id,
                    "title": doc.title,
                    "period": doc.period,
                    "kind": doc.kind,
                    "file": doc.path.name,
                    "fingerprint": doc.fingerprint,
                    "chunks": count,
                }
            )
        total = collection.count()
        if total == 0:
            raise DocumentError(
                f"No document in {settings.corpus_dir} could be indexed; the previous index "
                "(if any) stays in use."
            )
        all_nodes = _nodes_from_collection(collection)
        bm25 = BM25Retriever(
            nodes=all_nodes, stemmer=Stemmer.Stemmer("dutch"), language="nl", similarity_top_k=20
        )
        bm25.persist(str(build_dir / "bm25"), show_progress=False)
        n_facts = facts.build_fact_table(build_dir / "facts.sqlite", texts)
        fact_counts = facts.count_facts(build_dir / "facts.sqlite")
        for entry in manifest_docs:
            entry["facts"] = fact_counts.get(entry["doc_id"], 0)
        manifest = {
            "build_id": build_id,
            "collection": collection_name,
            "embed_model": model_name,
            "chunker": chunker,
            "chunk_chars": settings.chunk_chars,
            "corpus_fingerprint": corpus_fingerprint(docs),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "chunks": total,
            "facts": n_facts,
            "documents": manifest_docs,
            "skipped": [{"file": f, "reason": r} for f, r in skipped],
            "chroma_url": settings.chroma_url or "",
        }
        write_atomic(build_dir / "manifest.json", json.dumps(manifest, indent=2))
    except BaseException:
        _drop_collection(client, collection_name)
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    finally:
        cache.close()
    write_atomic(index_dir / POINTER, json.dumps(manifest, indent=2))
    keep = {build_id, (previous or {}).get("build_id", "")}
    _cleanup(client, index_dir, keep)
    removed = tuple(sorted(set(old_docs) - {d["doc_id"] for d in manifest_docs}))
    return BuildReport(
        build_id=build_id,
        embedded=tuple(embedded),
        reused=tuple(reused),
        removed=removed,
        skipped=tuple(skipped),
        kept_previous=tuple(kept),
        chunks=total,
        embedded_chunks=embedded_chunks,
        facts=n_facts,
        seconds=time.perf_counter() - started,
    )


def _copy_document(source: Any, target: Any, doc_id: str) -> int:
    got = source.get(where={"doc_id": doc_id}, include=["embeddings", "documents", "metadatas"])
    if got["ids"]:
        target.add(
            ids=got["ids"],
            embeddings=got["embeddings"],
            documents=got["documents"],
            metadatas=got["metadatas"],
        )
    return len(got["ids"])


def _nodes_from_collection(collection: Any) -> list[BaseNode]:
    return [chunk_to_node(chunk) for chunk in collection_chunks(collection)]


def _drop_collection(client: Any, name: str) -> None:
    try:
        client.delete_collection(name)
    except Exception as exc:  # noqa: BLE001 - best effort: the next build cleans up
        log.warning("Could not remove collection %s: %s", name, exc)


def _cleanup(client: Any, index_dir: Path, keep: set[str]) -> None:
    keep_collections = {COLLECTION_PREFIX + b.replace("-", "_") for b in keep if b}
    try:
        names = [c if isinstance(c, str) else c.name for c in client.list_collections()]
    except Exception as exc:  # noqa: BLE001 - clean-up is best effort
        log.warning("Could not list collections for clean-up: %s", exc)
        names = []
    for name in names:
        if name.startswith(COLLECTION_PREFIX) and name not in keep_collections:
            _drop_collection(client, name)
    builds = index_dir / "builds"
    for path in builds.iterdir() if builds.exists() else []:
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
