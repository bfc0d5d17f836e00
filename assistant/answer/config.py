"""The heuristic reader's weights, named, in one frozen object.

The values are those the abstention threshold was calibrated with (evals/ABSTENTION.md) and the
benchmark measured (evals/BENCHMARK.md); change one and run `wozo eval --compare`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EvidenceWeights:
    """How much evidence that lacks what the question names still counts (factors on coverage).

    A year, province or ordinal the question asks about (`asked_details`; less when the passage
    has it, but not next to the rest), each name in it, what 'hoeveel' counts and the asked unit.
    """

    detail: float = 0.3
    near_detail: float = 0.5  # the detail is elsewhere in the passage, not in the window
    name: float = 0.7
    near_name: float = 0.85  # the name is elsewhere in the passage, not in the window
    counted: float = 0.5  # 'hoeveel zorgprofessionals' and no figure counts zorgprofessionals
    near_counted: float = 0.8  # such a figure is in the passage, not in the window
    unit: float = 0.3  # 'welk percentage' or 'wat kost' and the window has no share or amount
    passages: int = 3  # evidence is looked for in the top passages only


@dataclass(frozen=True)
class QuoteWeights:
    """How a window of one to three sentences scores as a quote, and how quotes are chosen."""

    passages: int = 5  # windows come from the top passages
    max_width: int = 3  # sentences in a window
    max_chars_factor: float = 1.5  # a window is at most this times MAX_SENTENCE_CHARS
    rank_bonus: float = 0.08  # divided by the passage's rank
    width_penalty: float = 0.03  # per sentence after the first
    answer_type_bonus: float = 0.15  # the window holds an answer of the asked type
    listed_bonus: float = 0.1  # it names what 'welke X' asks to list
    defines_bonus: float = 0.2  # it defines the term a definition question asks about
    limit: int = 3  # quotes before the parts of a question get theirs
    keep_ratio: float = 0.65  # a quote scores at least this share of the best window
    gain_weight: float = 0.2  # after the first quote, new question terms count this much
    similar: float = 0.7  # two windows whose stems overlap more than this say the same
    part_answered: float = 0.5  # a quote answers a part when it holds this share of its terms
    part_fit: float = 0.25  # a part's quote must fit the part and the question this well
    extend_chars: int = 1200  # the lead quote takes the rest of its paragraph, up to this
    extend_more_chars: int = 300  # and the other quotes up to this


@dataclass(frozen=True)
class FactWeights:
    """Which facts from the fact table lead the answer (how well they must match at least is
    the abstainer's `fact_threshold`)."""

    keep_ratio: float = 0.85  # shown facts score at least this share of the best
    limit: int = 3
    quote_chars: int = 240  # a figure from running text is shown with its sentence, cut to this


@dataclass(frozen=True)
class ReaderConfig:
    evidence: EvidenceWeights = EvidenceWeights()
    quotes: QuoteWeights = QuoteWeights()
    facts: FactWeights = FactWeights()


DEFAULT_CONFIG = ReaderConfig()
DEFAULT_EVIDENCE = DEFAULT_CONFIG.evidence
DEFAULT_QUOTES = DEFAULT_CONFIG.quotes
DEFAULT_FACTS = DEFAULT_CONFIG.facts
