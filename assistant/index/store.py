"""Opening the serving index: the pointer, Chroma's client and collection, BM25, the fact table.

Layout under `settings.index_dir` (written by `assistant.index.build`):
    current.json           pointer to the serving build (written last, with os.replace)
    chroma/                Chroma's persistent store (unless WOZO_CHROMA_URL points at a server)
    builds/<build_id>/     bm25/, facts.sqlite, manifest.json of that build
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import bm25s
import chromadb
from chromadb.config import Settings as ChromaSettings
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
from assistant.index.embeddings import canonical_model_name
from assistant.ingest.chunking import CHUNKER_VERSION
from assistant.ingest.corpus import corpus_fingerprint, list_documents, read_document
from assistant.schema import Chunk, DocumentText

log = logging.getLogger(__name__)

POINTER = "current.json"
COLLECTION_PREFIX = "wozo_"
COLLECTION_METADATA = {"hnsw:space": "cosine", "hnsw:num_threads": 1, "hnsw:search_ef": 256}


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


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(text, encoding="utf-8")
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


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
    collection = get_collection(client, pointer["collection"])
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


def collection_chunks(collection: Any) -> list[Chunk]:
    """Every chunk stored in a Chroma collection, by chunk id."""
    got = collection.get(include=["documents", "metadatas"])
    chunks = [
        Chunk.from_metadata(chunk_id, text, meta)
        for chunk_id, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
    ]
    return sorted(chunks, key=lambda c: c.chunk_id)


def all_chunks(index: LoadedIndex) -> list[Chunk]:
    """Every chunk of the index, as stored (the model reader embeds their sentences)."""
    return collection_chunks(index.collection)


def get_collection(client: Any, name: str) -> Any:
    try:
        return client.get_collection(name)
    except Exception as exc:  # chromadb: NotFoundError / ValueError depending on the client
        if "does not exist" in str(exc) or "not found" in str(exc).lower():
            return None
        raise StoreUnavailableError(f"The Chroma store does not answer ({exc}).") from exc
