"""WOZO-assistent: cited answers over the WOZO monitor documents."""

__version__ = "0.4.0"
