"""Abstention: when the assistant says it cannot find the answer, as a component of its own.

The heuristic reader asks its `Abstainer` after measuring the evidence (the score of the best
window, `assistant.answer.evidence.evidence_score`) and choosing facts: with no fact that
matches well and evidence below the threshold, the answer is `NOT_FOUND` with the closest
passages. The threshold is calibrated in evals/ABSTENTION.md (WOZO_ABSTAIN_THRESHOLD); another
reader can be handed an abstainer with a threshold on its own scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.schema import Answer, Fact, ScoredChunk

NOT_FOUND = (
    "Ik kan dit niet vinden in de documenten. Hieronder staan de passages die er het meest op "
    "lijken; die beantwoorden de vraag niet rechtstreeks."
)


@dataclass(frozen=True)
class Abstainer:
    """Abstain when no fact was chosen and the evidence is below `threshold`.

    Facts are chosen with at least `min_fact_threshold` (or the abstention threshold, when that
    is higher; fact_coverage, and a fact must already match the asked year, round, region and
    unit). 0.4 on 483 dev questions: a table cell's row and column rarely repeat the question's
    wording ('verbleef' for 'aandeel verblijf'); 0.5 left out 5 right cells and kept 1 wrong
    answer out.
    """

    threshold: float = 0.24
    min_fact_threshold: float = 0.4

    @property
    def fact_threshold(self) -> float:
        return max(self.threshold, self.min_fact_threshold)

    def abstains(self, evidence: float, facts: Sequence[Fact]) -> bool:
        return not facts and evidence < self.threshold

    def answer(self, question: str, passages: Sequence[ScoredChunk]) -> Answer:
        """The abstention: the message, and the closest passages to show instead."""
        return Answer(question=question, text=NOT_FOUND, abstained=True, passages=tuple(passages))
