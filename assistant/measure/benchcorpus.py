"""Scaled corpora for `wozo bench`: the corpus copied `factor` times under new document ids.

Copies get ids like `resultaatmonitor-2025-copy07` and the original's manifest title, so their
chunks embed the same text as the original's and the embedding cache serves them.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from assistant.ingest.corpus import IGNORED_NAMES, MANIFEST, SUPPORTED, load_manifest

COPY_RE = re.compile(r"-copy\d+$")


def copy_id(doc_id: str, copy: int, factor: int) -> str:
    """The id of copy `copy` (1-based) of a document in a corpus scaled `factor` times."""
    width = max(2, len(str(factor - 1)))
    return f"{doc_id}-copy{copy:0{width}d}"


def original_id(doc_id: str) -> str:
    """The document a scaled copy was made from ('x-copy07' -> 'x'); other ids unchanged."""
    return COPY_RE.sub("", doc_id)


def write_scaled_corpus(source: Path, target: Path, factor: int) -> list[str]:
    """Write the documents of `source` and `factor - 1` byte-identical copies of each to `target`.

    Copies get altered ids (`copy_id`) and, in `target/manifest.json`, the original's entry, so
    they carry the same title and their chunks embed the same text as the original's (which is
    what lets the embedding cache serve them). Returns the document ids written, sorted.
    """
    if factor < 1:
        raise ValueError("factor must be at least 1")
    target.mkdir(parents=True, exist_ok=True)
    manifest = load_manifest(source)
    out_manifest: dict[str, dict[str, str]] = {}
    ids = []
    for path in sorted(source.iterdir()):
        if path.suffix.lower() not in SUPPORTED or path.name.lower() in IGNORED_NAMES:
            continue
        if not path.is_file() or path.name.startswith("."):
            continue
        for copy in range(factor):
            doc_id = path.stem if copy == 0 else copy_id(path.stem, copy, factor)
            shutil.copyfile(path, target / f"{doc_id}{path.suffix}")
            if path.stem in manifest:
                out_manifest[doc_id] = dict(manifest[path.stem])
            ids.append(doc_id)
    (target / MANIFEST).write_text(
        json.dumps(out_manifest, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return sorted(ids)
