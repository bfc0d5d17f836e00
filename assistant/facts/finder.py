"""The facts an answer chooses from: the fact table's best matches for a figure question."""

from __future__ import annotations

from pathlib import Path

from assistant.answer.question import Question
from assistant.facts.store import lookup_facts
from assistant.schema import Fact


class FactFinder:
    """Looks facts up in the fact table at `facts_path` (read-only; safe to share)."""

    def __init__(self, facts_path: Path) -> None:
        self.facts_path = facts_path

    def find(
        self,
        query: str,
        *,
        year: int | None = None,
        document: str | None = None,
        actielijn: int | None = None,
        unit: str | None = None,
        limit: int = 50,
    ) -> list[Fact]:
        """Figures from the fact table, best match first (the figure finder and `wozo facts`)."""
        return lookup_facts(
            self.facts_path,
            query,
            year=year,
            document=document,
            actielijn=actielijn,
            unit=unit,
            limit=limit,
        )

    def candidates(
        self,
        question: Question,
        *,
        document: str | None = None,
        actielijn: int | None = None,
        per_option: int = 5,
    ) -> list[Fact]:
        """The facts a reader chooses from: for figure questions only; the question's first
        year filters them; a comparison gets the best `per_option` for each side."""
        if not question.is_figure:
            return []
        year = int(question.years[0]) if question.years else None
        found: list[Fact] = []
        for option in question.options or (question,):  # a comparison: each side ('A of B?')
            for fact in self.find(
                option.text, year=year, document=document, actielijn=actielijn, limit=per_option
            ):
                if fact not in found:
                    found.append(fact)
        return found
