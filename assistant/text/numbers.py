"""Dutch number and amount notation: the one place that turns written figures into values.

The documents mix notations: `125.300` (Dutch thousands separator), `64,9` (Dutch decimal
comma), `€48.7 miljoen` (an English decimal point), `2.684.418,88`, `€10.000,-` and scale words
(`12,5 duizend`, `75 mln euro`). The rule that settles the ambiguity of a lone dot: a dot followed
by exactly three digits groups thousands (`1.200` is 1200), any other dot is a decimal point
(`48.7`). A single comma is always a decimal comma; commas only group thousands when there are at
least two groups (`1,200,000`).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# One number token as written. Alternatives in order: Dutch thousands (125.300, 2.684.418,88),
# English thousands with two or more groups (1,200,000.5), plain with an optional decimal part.
NUMBER_PATTERN = (
    r"(?:[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?"
    r"|[0-9]{1,3}(?:,[0-9]{3}){2,}(?:\.[0-9]+)?"
    r"|[0-9]+(?:[.,][0-9]+)?)"
)
# A number standing on its own: not glued to other digits, a decimal part or a word in front.
NUMBER_RE = re.compile(rf"(?<![\w.,]){NUMBER_PATTERN}(?![.,]?[0-9])")
# For comparing answers: also "125 300" (space, no-break space or thin space as group separator).
_SPACED = r"[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+(?:,[0-9]+)?(?![.,]?[0-9])"
_NORMALISE_RE = re.compile(rf"(?<![\w.,])(?:{_SPACED}|{NUMBER_PATTERN}(?![.,]?[0-9]))")

# Scale words and their factors; "mln." and "mld." are written with or without the dot.
SCALES: dict[str, int] = {
    "duizend": 1_000,
    "mln": 1_000_000,
    "miljoen": 1_000_000,
    "mld": 1_000_000_000,
    "miljard": 1_000_000_000,
}
SCALE_PATTERN = r"(?:miljoen|miljard|duizend|mln\.?|mld\.?)"

_STRIP = " \t\n\u00a0\u202f€~+≈"


def _to_decimal(token: str) -> Decimal | None:
    """The value of one bare number token, or None when it is not one."""
    token = token.replace("\u00a0", " ").replace("\u202f", " ")
    if re.fullmatch(r"[0-9]{1,3}(?: [0-9]{3})+(?:,[0-9]+)?", token):
        token = token.replace(" ", "")
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?", token):
        text = token.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3}){2,}(?:\.[0-9]+)?", token):
        text = token.replace(",", "")
    elif re.fullmatch(r"[0-9]+(?:[.,][0-9]+)?", token):
        text = token.replace(",", ".")
    else:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the patterns above only let digits through
        return None


def parse_number(text: str) -> float | None:
    """The value of a number written in Dutch (or English-decimal) notation, else None.

    The whole text must be one number; surrounding blanks, a euro sign, a percent sign, a
    leading minus and a trailing `,-` (as in `€10.000,-`) are allowed. Scale words are not
    applied here (see `parse_amount`). Never raises.
    """
    if not isinstance(text, str):
        return None
    s = text.strip(_STRIP)
    if s.endswith(",-"):
        s = s[:-2]
    s = s.rstrip("% ").strip(_STRIP)
    sign = 1
    if s[:1] in {"-", "−", "–"}:
        sign, s = -1, s[1:].strip(_STRIP)
    value = _to_decimal(s)
    return None if value is None else sign * float(value)


def scale_factor(word: str) -> int:
    """The factor of a scale word ('mln.' -> 1e6); 1 for anything else."""
    return SCALES.get(word.lower().rstrip("."), 1)


def scaled(number: float, word: str) -> float:
    """`number` times the factor of `word`, without float noise (48.7 mln -> 48700000.0)."""
    factor = scale_factor(word)
    if factor == 1:
        return number
    return float(Decimal(repr(number)) * factor)


_AMOUNT_RE = re.compile(
    rf"^\s*(?P<eur>€)?\s*(?P<num>-?\s*{NUMBER_PATTERN})(?:,-)?\s*(?P<pct>%|procent)?"
    rf"\s*(?P<scale>{SCALE_PATTERN})?\s*(?P<euro>euro)?(?:,-)?\s*$",
    re.IGNORECASE,
)


def parse_amount(text: str) -> tuple[float, str] | None:
    """Value and unit of one written amount: '€ 40 miljoen' -> (40000000.0, 'euro').

    Units: 'euro' (money, scaled to whole euros), '%' and 'aantal' (a plain or scaled count,
    '12,5 duizend' -> 12500). None when the text is not a single amount.
    """
    match = _AMOUNT_RE.match(" ".join(text.split()))
    if not match:
        return None
    number = parse_number(match.group("num").replace(" ", ""))
    if number is None:
        return None
    if match.group("pct"):
        if match.group("eur") or match.group("scale") or match.group("euro"):
            return None
        return number, "%"
    value = scaled(number, match.group("scale") or "")
    unit = "euro" if match.group("eur") or match.group("euro") else "aantal"
    return value, unit


def canonical(value: float) -> str:
    """Shortest plain form of a value: 125300.0 -> '125300', 64.9 -> '64.9'."""
    dec = Decimal(repr(float(value)))
    text = format(dec, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def normalise_numbers(text: str) -> str:
    """Rewrite every number in `text` to its canonical form, for comparing answers.

    '125.300', '125 300' and '125300' all become '125300'; '64,9' and '64.9' become '64.9'.
    Words, signs and units are left as they are.
    """

    def repl(match: re.Match[str]) -> str:
        value = _to_decimal(match.group(0))
        return match.group(0) if value is None else canonical(float(value))

    return _NORMALISE_RE.sub(repl, text)


def format_dutch(value: float, decimals: int = 0) -> str:
    """Dutch notation with thousands dots and a decimal comma: 2684418.88 -> '2.684.418,88'."""
    text = f"{abs(value):,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"-{text}" if value < 0 else text
