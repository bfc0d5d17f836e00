"""Every error a user can act on, in one place.

The library raises these; the CLI and UI catch them and show the message. Each message says
what went wrong and what to do about it.
"""


class AssistantError(Exception):
    """Base class: an error with a message meant for the person at the keyboard."""


class ConfigError(AssistantError):
    """A setting (environment variable) has a value that cannot be used."""


class DocumentError(AssistantError):
    """A corpus document cannot be read (empty, corrupt, encrypted, not text)."""


class IndexMissingError(AssistantError):
    """No index has been built yet."""


class IndexMismatchError(AssistantError):
    """The index was built with another embedding model or chunking than the settings ask for."""


class IndexOutdatedError(IndexMismatchError):
    """The index was built by an older version (chunking or fact table format): rebuild it."""


class IndexCorruptError(AssistantError):
    """The index on disk or in the Chroma server cannot be opened or is incomplete."""


class ModelError(AssistantError):
    """The embedding model cannot be loaded."""


class QuestionError(AssistantError):
    """The question cannot be answered as asked (empty, too long, ...)."""


class StoreUnavailableError(AssistantError):
    """The Chroma server does not answer."""


class QuestionFileError(AssistantError):
    """A benchmark question file cannot be used at all."""
