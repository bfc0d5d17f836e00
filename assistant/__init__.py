"""WOZO-assistent: cited answers over the WOZO monitor documents.

The public names: `Assistant` (the pipeline), `Settings` (configuration) and `Answer` (what
`Assistant.ask` returns). They are imported when first used, so that `import assistant.text`
or the CLI's `--help` does not load the retrieval stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.4.0"
__all__ = ["Answer", "Assistant", "Settings", "__version__"]

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.pipeline import Assistant
    from assistant.schema import Answer

_PUBLIC = {
    "Assistant": "assistant.pipeline",
    "Settings": "assistant.config",
    "Answer": "assistant.schema",
}


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
