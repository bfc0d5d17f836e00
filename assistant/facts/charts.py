"""Figures from chart-like passages: label/value lists and chart legend rows.

- label/value lists ("CZ 64,9 %", "Arrangeur; 10", labels may wrap over lines) under a caption
  such as "Percentage aandeel verblijf per concessiehouder … in 2022";
- chart legend rows ("Budget €800.000 €250.000 €1.200.000") whose columns are named on a
  separate line ("Ronde 1 Ronde 2 Ronde 3"). They are only paired when exactly one such line
  with the same number of columns is on the page; otherwise the values keep a low confidence
  and no period: the text does not say which value belongs to which column.

Every fact's `raw` is the value exactly as written in its line.
"""

from __future__ import annotations

import re

from assistant.facts.tables import (
    CELL_RE,
    ENUM_LABELS,
    WORD_RE,
    YEAR_TOKEN,
    DocView,
    caption_near,
)
from assistant.schema import Fact
from assistant.text.numbers import NUMBER_PATTERN, parse_amount, parse_number


def extract_charts(view: DocView) -> list[Fact]:
    """Label/value lists and legend rows; marks their lines in `view.claimed`."""
    return _label_value_lists(view) + _legend_rows(view)


# --- label/value lists ------------------------------------------------------------------------

LABEL_VALUE_RE = re.compile(
    rf"^\s*(?P<label>[^\W\d][^\d€%]{{0,60}}?)\s*[;:]?\s+(?P<raw>(?:€\s*)?{NUMBER_PATTERN}\s?%?)\s*$"
)
# A wrapped label: a short line without digits right above a label/value line.
LABEL_PART_RE = re.compile(r"^\s*[^\W\d][^\d€%;:]{0,40}$")


def _label_value_lists(view: DocView) -> list[Fact]:
    facts: list[Fact] = []
    run: list[tuple[int, str, re.Match[str]]] = []
    parts: list[str] = []
    lines = view.doc.lines

    def flush() -> None:
        if len(run) >= 3:
            facts.extend(_label_value_run(view, run))
        run.clear()
        parts.clear()

    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        match = LABEL_VALUE_RE.match(text)
        if match and number not in view.claimed and len(WORD_RE.findall(match["label"])) <= 6:
            if run and view.page(run[-1][0]) != view.page(number):
                flush()
            label = " ".join([*parts, match["label"]]).split()
            run.append((number, re.sub(r"\s*-\s*", "-", " ".join(label)), match))
            parts.clear()
        elif run and LABEL_PART_RE.match(text) and len(parts) < 3:
            parts.append(text)
        else:
            flush()
    flush()
    return facts


def _label_value_run(view: DocView, run: list[tuple[int, str, re.Match[str]]]) -> list[Fact]:
    labels = [WORD_RE.findall(label.lower())[-1] for _, label, _ in run]
    values = [parse_number(m["raw"]) for _, _, m in run]
    dated = [v for v in values if v is not None and v.is_integer() and 1900 <= v <= 2099]
    if (
        any(w in ENUM_LABELS for w in labels)
        or values == [float(i) for i in range(1, len(run) + 1)]
        or len(dated) * 2 >= len(values)
    ):
        return []  # an enumeration ('Actielijn 1 …') or a list of dated items, not figures
    caption = caption_near(view, run[0][0], run[-1][0])
    years = re.findall(rf"\b{YEAR_TOKEN}\b", caption)
    out = []
    for number, label, match in run:
        amount = parse_amount(match["raw"])
        if amount is None:
            continue
        view.claimed.add(number)
        out.append(
            view.fact(
                number,
                number,
                value=amount[0],
                unit=amount[1],
                raw=match["raw"].strip(),
                sentence=" ".join(view.line(number).split()),
                subject=f"{caption}: {label}" if caption else label,
                measure=caption,
                period=years[-1] if years else "",
                row_label=label,
                confidence=0.8 if caption else 0.5,
            )
        )
    return out


# --- chart legend rows ------------------------------------------------------------------------

SERIES_HEAD_RE = re.compile(r"^\s*(?:(?:Ronde|Tijdvak|Tranche|Q)\s*\d+\*?\s*){2,}$", re.I)
LEGEND_RE = re.compile(
    rf"^\s*(?P<label>[^\W\d][^\d€%]{{0,40}}?)\s+(?P<cells>(?:(?:€\s*{NUMBER_PATTERN}"
    rf"(?:\s*(?:miljoen|mln\.?|duizend))?|{NUMBER_PATTERN}\s?%)\s*){{2,}})$"
)


def _legend_rows(view: DocView) -> list[Fact]:
    facts: list[Fact] = []
    lines = view.doc.lines
    for number, text in enumerate(lines, start=1):
        match = LEGEND_RE.match(text)
        if not match or number in view.claimed:
            continue
        cells = list(CELL_RE.finditer(text, match.start("cells")))
        heads = [
            n
            for n in range(1, len(lines) + 1)
            if view.page(n) == view.page(number)
            and SERIES_HEAD_RE.match(lines[n - 1])
            and len(re.findall(r"\d+", lines[n - 1])) == len(cells)
        ]
        names = re.findall(r"[A-Za-z]+\s*\d+", lines[heads[0] - 1]) if len(heads) == 1 else []
        view.claimed.add(number)
        label = " ".join(match["label"].split())
        for i, cell in enumerate(cells):
            amount = parse_amount(cell.group(0))
            if amount is None:
                continue
            period = " ".join(names[i].lower().split()) if names else ""
            facts.append(
                view.fact(
                    number,
                    number,
                    value=amount[0],
                    unit=amount[1],
                    raw=cell.group(0).strip(),
                    sentence=" ".join(text.split()),
                    subject=f"{label} {period}".strip(),
                    measure=label.lower(),
                    period=period,
                    row_label=label,
                    column=names[i] if names else "",
                    confidence=0.7 if names else 0.4,
                )
            )
    return facts
