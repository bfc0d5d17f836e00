"""Dutch number notation: table-driven cases from the corpus plus property tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.text.numbers import (
    NUMBER_RE,
    canonical,
    format_dutch,
    normalise_numbers,
    parse_amount,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("125.300", 125300),  # Dutch thousands separator
        ("64,9", 64.9),  # Dutch decimal comma
        ("48.7", 48.7),  # an English decimal point ('€48.7 miljoen')
        ("11.4", 11.4),
        ("2.684.418,88", 2684418.88),
        ("1.200.000", 1200000),
        ("2.529.913", 2529913),
        ("€10.000,-", 10000),  # whole euros written with ',-'
        ("€650.000,-", 650000),
        ("€ 40", 40),
        ("64,9 %", 64.9),
        ("0,5%", 0.5),
        ("193,0", 193.0),
        ("1,200,000", 1200000),  # English thousands, two groups
        ("1,200,000.50", 1200000.5),
        ("125 300", 125300),  # a space as group separator
        ("125\u00a0300", 125300),
        ("8453", 8453),
        ("0", 0),
        ("-5", -5),
        ("  12,5  ", 12.5),
        ("1.200", 1200),  # one dot + three digits: thousands, never 1.2
        ("1,5", 1.5),
    ],
)
def test_parse_number(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    ["", " ", "abc", "€", "%", "-", "1.2.3", "12,5 miljoen", "2.5c", "VV4", "1 2", "1..2", "--5"],
)
def test_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("€ 40 miljoen", 40_000_000, "euro"),
        ("75 mln euro", 75_000_000, "euro"),
        ("€48.7 miljoen", 48_700_000, "euro"),
        ("€48,5 miljoen", 48_500_000, "euro"),
        ("€ 11.4 miljoen", 11_400_000, "euro"),
        ("€821.900", 821_900, "euro"),
        ("€10.000,-", 10_000, "euro"),
        ("€ 266 duizend", 266_000, "euro"),
        ("€ 0,9 mln euro", 900_000, "euro"),
        ("3,2 miljoen euro", 3_200_000, "euro"),
        ("€ 15,1 mln", 15_100_000, "euro"),
        ("€2.684.418,88", 2_684_418.88, "euro"),
        ("64,9 %", 64.9, "%"),
        ("63%", 63, "%"),
        ("12,5 duizend", 12_500, "aantal"),
        ("5 mln.", 5_000_000, "aantal"),
        ("125.300", 125_300, "aantal"),
    ],
)
def test_parse_amount(text: str, value: float, unit: str) -> None:
    amount = parse_amount(text)
    assert amount is not None
    assert amount[0] == pytest.approx(value)
    assert amount[1] == unit


@pytest.mark.parametrize("text", ["", "miljoen", "€", "€ 5 % ", "budget €40 miljoen", "ca 5"])
def test_parse_amount_rejects(text: str) -> None:
    assert parse_amount(text) is None


def test_scaled_amounts_have_no_float_noise() -> None:
    assert parse_amount("€48.7 miljoen") == (48_700_000.0, "euro")
    assert parse_amount("€ 11.4 miljoen") == (11_400_000.0, "euro")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("125.300", "125300"),
        ("125 300", "125300"),
        ("125300", "125300"),
        ("64,9", "64.9"),
        ("64.9", "64.9"),
        ("bevroren op 125.300 plekken", "bevroren op 125300 plekken"),
        ("€ 40 miljoen in 2025", "€ 40 miljoen in 2025"),
        ("€2.684.418,88", "€2684418.88"),
        ("€10.000,-", "€10000,-"),
        ("64,9 % en 50,0%", "64.9 % en 50%"),
        ("VV4 en Q3", "VV4 en Q3"),  # digits inside words are not numbers
        ("in 2022 300 subsidies", "in 2022 300 subsidies"),  # a year is not a thousands group
        ("", ""),
    ],
)
def test_normalise_numbers(text: str, expected: str) -> None:
    assert normalise_numbers(text) == expected


def test_normalise_numbers_makes_notations_comparable() -> None:
    variants = ["125.300", "125 300", "125300", "125\u00a0300"]
    assert {normalise_numbers(v) for v in variants} == {"125300"}


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (2684418.88, 2, "2.684.418,88"),
        (125300, 0, "125.300"),
        (64.9, 1, "64,9"),
        (0, 0, "0"),
        (-1500.5, 1, "-1.500,5"),
        (999, 0, "999"),
    ],
)
def test_format_dutch(value: float, decimals: int, expected: str) -> None:
    assert format_dutch(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(125300.0, "125300"), (64.9, "64.9"), (0.5, "0.5"), (1e16, "1" + "0" * 16)],
)
def test_canonical(value: float, expected: str) -> None:
    assert canonical(value) == expected


def test_number_re_finds_standalone_numbers_only() -> None:
    text = "VV4: 125.300 plekken, 64,9 % in 2022; monitor7 en 2.5c"
    assert [m.group(0) for m in NUMBER_RE.finditer(text)] == ["125.300", "64,9", "2022", "2.5"]


# --- properties -----------------------------------------------------------------------------


@given(st.text())
def test_parse_number_never_raises(text: str) -> None:
    result = parse_number(text)
    assert result is None or isinstance(result, float)


@given(st.text())
def test_parse_amount_and_normalise_never_raise(text: str) -> None:
    parse_amount(text)
    assert isinstance(normalise_numbers(text), str)


@given(st.integers(min_value=0, max_value=10**15))
def test_round_trip_integers(value: int) -> None:
    assert parse_number(format_dutch(value)) == value


@given(
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=1, max_value=4),
    st.data(),
)
def test_round_trip_decimals(whole: int, decimals: int, data: st.DataObject) -> None:
    fraction = data.draw(st.integers(min_value=0, max_value=10**decimals - 1))
    value = whole + fraction / 10**decimals
    written = format_dutch(value, decimals)
    assert parse_number(written) == pytest.approx(value, rel=1e-12, abs=10**-decimals / 2)
    assert parse_number(f"€ {written}") == parse_number(written)


@given(st.integers(min_value=0, max_value=10**12))
def test_normalise_agrees_with_parse(value: int) -> None:
    written = format_dutch(value)
    assert normalise_numbers(written) == canonical(parse_number(written) or 0.0)
