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
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import bm25s
import chromadb
import Stemmer
from chromadb.config import Settings as ChromaSettings
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
    IndexMismatchError,
    IndexMissingError,
    IndexOutdatedError,
    StoreUnavailableError,
)
from assistant.facts import store as facts
from assistant.index.cache import EmbeddingCache
from assistant.index.embeddings import canonical_model_name
from assistant.ingest.chunking import CHUNKER_VERSION, chunk_document, word_counts
from assistant.ingest.corpus import corpus_fingerprint, list_documents, read_document
from assistant.schema import Chunk, DocumentText

log = logging.getLogger(__name__)

POINTER = "current.json"
COLLECTION_PREFIX = "wozo_"
EMBED_METADATA_KEYS = (
    "document",
    "section",
    "context",
)  # what the embedding and BM25 see besides text

# Chroma builds its HNSW graph from the write log when a small collection is opened; with
# several threads the graph, and so the dense top 20, differed between processes (1 in 6 runs
# of the same query). One thread makes it the same in every process; a search_ef above the
# size of a collection like this one makes the search as good as exhaustive.
COLLECTION_METADATA = {"hnsw:space": "cosine", "hnsw:num_threads": 1, "hnsw:search_ef": 256}


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


@dataclass
class LoadedIndex:
    """An opened index: what retrieval and the fact lookup need."""

    manifest: dict[str, Any]
    collection: Any  # chromadb Collection
    vector_store: ChromaVectorStore
    bm25: bm25s.BM25  # the lexical index; retrieve.py wraps it in a BM25Retriever per query
    facts_path: Path
    stale: bool = False
    warnings: list[str] = field(default_factory=list)


def make_client(settings: Settings) -> Any:
    """Chroma's own client: embedded persistent store, or a server when WOZO_CHROMA_URL is set."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if not url.hostname:
            raise StoreUnavailableError(f"WOZO_CHROMA_URL={settings.chroma_url!r} is not a URL.")
        try:
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:  # chromadb raises plain exceptions for connection failures
            raise StoreUnavailableError(
                f"The Chroma server at {settings.chroma_url} does not answer ({exc}). "
                "Start it with `chroma run --path indexes/server` or unset WOZO_CHROMA_URL."
            ) from exc
    path = settings.index_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def read_pointer(index_dir: Path) -> dict[str, Any] | None:
    path = index_dir / POINTER
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "build_id" not in data:
            raise ValueError("no build_id")
        return data
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(
            f"The index pointer {path} is damaged ({exc}). Rebuild with `wozo index --full`."
        ) from exc


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(text, encoding="utf-8")
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


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
            old_collection = _get_collection(client, previous["collection"])
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
        _write_atomic(build_dir / "manifest.json", json.dumps(manifest, indent=2))
    except BaseException:
        _drop_collection(client, collection_name)
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    finally:
        cache.close()
    _write_atomic(index_dir / POINTER, json.dumps(manifest, indent=2))
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


def open_index(settings: Settings, *, client: Any = None) -> LoadedIndex:
    """Open the serving index; explains what to do when it is missing, damaged or mismatched."""
    pointer = read_pointer(settings.index_dir)
    if pointer is None:
        raise IndexMissingError(
            f"No index in {settings.index_dir} yet. Build it with `wozo index`."
        )
    wanted = canonical_model_name(settings.embed_model)
    if pointer.get("embed_model") != wanted:
        raise IndexMismatchError(
            f"The index was built with embedding model {pointer.get('embed_model')!r}, but "
            f"WOZO_EMBED_MODEL asks for {wanted!r}. Rebuild with `wozo index`, or set "
            f"WOZO_EMBED_MODEL={pointer.get('embed_model')}."
        )
    built_with = str(pointer.get("chunker", "")).split(":")[0]
    if built_with != CHUNKER_VERSION:
        raise IndexOutdatedError(
            f"The index was built by an older version of wozo-assistent (chunker {built_with}, "
            f"this version chunks as {CHUNKER_VERSION}). Rebuild it with `wozo index`."
        )
    if (pointer.get("chroma_url") or "") != (settings.chroma_url or ""):
        raise IndexMismatchError(
            "The index was built for another Chroma store "
            f"({pointer.get('chroma_url') or 'embedded'}); rebuild with `wozo index`."
        )
    client = client or make_client(settings)
    collection = _get_collection(client, pointer["collection"])
    if collection is None:
        raise IndexCorruptError(
            f"The index's Chroma collection {pointer['collection']} is missing. "
            "Rebuild with `wozo index --full`."
        )
    try:
        count = collection.count()
        metadata = collection.metadata or {}
    except Exception as exc:
        raise StoreUnavailableError(f"The Chroma store does not answer ({exc}).") from exc
    if any(metadata.get(key) != value for key, value in COLLECTION_METADATA.items()):
        raise IndexOutdatedError(
            "The index was built by an older version of wozo-assistent, whose dense search could "
            "give other passages in another process. Rebuild it with `wozo index`."
        )
    if count != pointer.get("chunks"):
        raise IndexCorruptError(
            f"The index holds {count} chunks but its manifest says {pointer.get('chunks')}. "
            "Rebuild with `wozo index --full`."
        )
    build_dir = settings.index_dir / "builds" / pointer["build_id"]
    try:
        bm25 = bm25s.BM25.load(str(build_dir / "bm25"), load_corpus=True, show_progress=False)
    except (OSError, ValueError, KeyError) as exc:
        raise IndexCorruptError(
            f"The lexical index in {build_dir} cannot be read ({exc}). "
            "Rebuild with `wozo index --full`."
        ) from exc
    facts_path = build_dir / "facts.sqlite"
    if not facts_path.exists():
        raise IndexCorruptError(f"{facts_path} is missing. Rebuild with `wozo index --full`.")
    facts.check_fact_table(facts_path)  # an index built by an older version: rebuild
    stale = False
    warnings = []
    try:
        current = corpus_fingerprint(list_documents(settings.corpus_dir))
        stale = current != pointer.get("corpus_fingerprint")
    except DocumentError as exc:
        warnings.append(str(exc))
    if stale:
        warnings.append("The corpus changed since the index was built: run `wozo index`.")
    return LoadedIndex(
        manifest=pointer,
        collection=collection,
        vector_store=ChromaVectorStore(chroma_collection=collection),
        bm25=bm25,
        facts_path=facts_path,
        stale=stale,
        warnings=warnings,
    )


def read_document_texts(settings: Settings) -> dict[str, DocumentText]:
    """The readable documents' texts by id (for showing passages in context)."""
    out = {}
    for info in list_documents(settings.corpus_dir):
        try:
            out[info.doc_id] = read_document(info)
        except DocumentError as exc:
            log.warning("%s", exc)
    return out


def _get_collection(client: Any, name: str) -> Any:
    try:
        return client.get_collection(name)
    except Exception as exc:  # chromadb: NotFoundError / ValueError depending on the client
        if "does not exist" in str(exc) or "not found" in str(exc).lower():
            return None
        raise StoreUnavailableError(f"The Chroma store does not answer ({exc}).") from exc


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
    got = collection.get(include=["documents", "metadatas"])
    nodes: list[BaseNode] = []
    for chunk_id, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
        nodes.append(chunk_to_node(Chunk.from_metadata(chunk_id, text, meta)))
    nodes.sort(key=lambda n: n.node_id)
    return nodes


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
