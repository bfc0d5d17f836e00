"""`make_reader`: the one place that turns WOZO_READER into a reader.

A new reader (e.g. a trained model) gets a value here and nowhere else.
"""

from __future__ import annotations

from typing import Any

from assistant.answer.abstain import Abstainer
from assistant.answer.evidence import TermStats
from assistant.answer.llm import LLMReader, make_llm
from assistant.answer.reader import HeuristicReader, Reader
from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.schema import DocumentText

READERS = ("heuristic", "llm")


def make_reader(
    settings: Settings,
    stats: TermStats,
    documents: dict[str, DocumentText],
    *,
    llm: Any = None,
) -> Reader:
    """The reader WOZO_READER names: 'heuristic', or 'llm' (the default when WOZO_LLM_MODE is
    set; `llm` is a ready llama-index LLM, made from the settings when not given)."""
    heuristic = HeuristicReader(stats, documents, Abstainer(settings.abstain_threshold))
    kind = settings.reader_kind
    if kind == "heuristic":
        return heuristic
    if kind == "llm":
        return LLMReader(llm if llm is not None else make_llm(settings), heuristic)
    raise ConfigError(f"WOZO_READER={kind!r}: choose one of {', '.join(READERS)}.")
