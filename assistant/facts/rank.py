"""How a question matches facts: search terms, and the score of a fact row for a question.

Pure functions and data, no SQL: `facts.py` stores every fact's terms (`search_terms` of its
subject/row label, and of its sentence, measure and section) and asks a `Ranking` to score the
rows it reads. A row scores by the share of the question's IDF found in its subject (strongest)
and in its subject and context together; a year, the kind of figure asked for (money, share)
and the extractor's confidence adjust it. `Ranking.bound` caps what a row can score from the
terms it may hold, which lets the lookup leave rows unread without changing the ranking.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.text import words as lexicon
from assistant.text.vocabulary import ABBREVIATIONS, SYNONYMS

MONEY_Q_RE = re.compile(r"geld|bedrag|budget|begroot|euro|kost|subsidie|middelen|uitgegeven", re.I)
SHARE_Q_RE = re.compile(r"percentage|procent|aandeel|welk deel", re.I)
YEAR_BONUS, MONEY_OR_SHARE_BONUS = 0.25, 0.1  # the largest bonuses a row can get


def search_terms(text: str, *, expand: bool = True) -> list[str]:
    """Stems of the informative words with synonyms merged and abbreviations added.

    An abbreviation is added where its expansion is written ('domeinoverstijgende
    samenwerking' -> 'dos'); with `expand` (for facts, not for questions) the expansion is also
    added where the abbreviation is written. A question then asks for the abbreviation once
    instead of for every word of its expansion. No term starts with a digit.
    """
    folded = lexicon.fold(text)
    extra = []
    for short, forms in ABBREVIATIONS.items():
        if re.search(rf"\b{short}\b", folded):
            extra += list(forms[:1]) if expand else []
        elif any(form in folded for form in forms):
            extra.append(short)
    terms = []
    for token in lexicon.tokens(f"{folded} {' '.join(extra)}"):
        # 'stoz-regeling' is searched as itself and as 'stoz' and 'regeling'.
        parts = [token, *token.split("-")] if "-" in token else [token]
        for tok in parts:
            if tok in lexicon.STOPWORDS or not tok or tok[0].isdigit() or len(tok) < 2:
                continue
            terms.append(_canonical_term(tok))
    return list(dict.fromkeys(terms))


def _canonical_term(token: str) -> str:
    for name, words in SYNONYMS.items():
        if token in words:
            return name
    token = re.sub(r"plaats(en)?$", "plek", token)
    return lexicon.stem(token)


@dataclass(frozen=True)
class Ranking:
    """How one question scores fact rows: its terms with their IDF over the candidate rows."""

    terms: tuple[str, ...]  # search_terms(question, expand=False), in their order
    idf: dict[str, float]
    total: float  # sum of the IDFs: a row holding every term in its subject scores 1 from terms
    years: frozenset[int]  # years of the question and the year filter
    want: str  # 'money', 'share' or ''

    @classmethod
    def for_query(
        cls,
        query: str,
        terms: list[str],
        df: dict[str, int],
        n_rows: int,
        *,
        year: int | None = None,
    ) -> Ranking:
        """`n_rows`: the rows that pass the filters; `df`: of those, how many hold each term."""
        idf = {t: math.log(1 + n_rows / (1 + df[t])) for t in terms}
        q_years = {int(y) for y in lexicon.years(query)} | ({year} if year else set())
        want = "money" if MONEY_Q_RE.search(query) else "share" if SHARE_Q_RE.search(query) else ""
        return cls(tuple(terms), idf, sum(idf.values()), frozenset(q_years), want)

    def score(
        self, subject_terms: str, context_terms: str, years: str, unit: str, confidence: float
    ) -> float | None:
        """The score of one row (its stored columns); None when it holds no query term."""
        s_terms = set(subject_terms.split())
        c_terms = set(context_terms.split())
        in_subject = sum(self.idf[t] for t in self.terms if t in s_terms) / self.total
        in_context = sum(self.idf[t] for t in self.terms if t in c_terms | s_terms) / self.total
        if in_context == 0:
            return None
        score = 0.5 * in_subject + 0.5 * in_context
        fact_years = {int(y) for y in years.split()}
        if self.years and fact_years:
            if fact_years & self.years:
                score += YEAR_BONUS if len(fact_years) == 1 else 0.15  # a range covers it less
            else:
                score -= 0.1
        if self.want == "money":
            score += MONEY_OR_SHARE_BONUS if unit in {"euro", "mln euro"} else -0.05
        elif self.want == "share":
            score += MONEY_OR_SHARE_BONUS if unit == "%" else -0.05
        if unit in {"datum", "jaar"}:
            score -= 0.1
        return score * (0.6 + 0.4 * float(confidence))

    def bound(self, terms: Iterable[str], max_confidence: float) -> float:
        """The highest score a row can reach whose query terms are all among `terms`.

        Its subject and its context hold at most all of `terms`, it gets every bonus, and its
        confidence (0..1) is at most `max_confidence`.
        """
        share = sum(self.idf[t] for t in terms) / self.total
        best = share + (YEAR_BONUS if self.years else 0.0)
        best += MONEY_OR_SHARE_BONUS if self.want else 0.0
        return max(best, 0.0) * (0.6 + 0.4 * max_confidence)
