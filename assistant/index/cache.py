"""A content-addressed cache of passage embeddings (SQLite), so that text embedded once is never
embedded again: a renamed or copied document, a rebuild with `--full`, or a re-index after a
failed build reuses the vectors. Keyed by model name and the SHA-256 of the exact text embedded.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np


class EmbeddingCache:
    def __init__(self, path: Path, model_name: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)"
        )
        self._model = model_name

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self._model}\n{text}".encode()).hexdigest()

    def embed(
        self, texts: list[str], embed: Callable[[list[str]], list[list[float]]]
    ) -> tuple[list[list[float]], int]:
        """Vectors for `texts`, computing only the missing ones; returns (vectors, n_computed)."""
        keys = [self._key(t) for t in texts]
        found: dict[str, list[float]] = {}
        for i in range(0, len(keys), 500):
            batch = keys[i : i + 500]
            marks = ",".join("?" * len(batch))
            for key, blob in self._db.execute(
                f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch
            ):
                found[key] = np.frombuffer(blob, dtype=np.float32).tolist()
        missing = [i for i, k in enumerate(keys) if k not in found]
        if missing:
            computed = embed([texts[i] for i in missing])
            rows = []
            for i, vector in zip(missing, computed, strict=True):
                found[keys[i]] = list(vector)
                rows.append((keys[i], np.asarray(vector, dtype=np.float32).tobytes()))
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
        return [found[k] for k in keys], len(missing)

    def close(self) -> None:
        self._db.close()
