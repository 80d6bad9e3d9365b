"""money.py: parsing spreadsheet values exactly once, rounding once, formatting as reports do."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.money import (
    AmountError,
    change_rate,
    fmt_amount,
    fmt_count,
    fmt_rate,
    parse_decimal,
    q2,
    rate,
    to_wan,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("19,550.00 ", "19550.00"),
        (" 19550 ", "19550"),
        ("１２３", "123"),
        ("－1,620", "-1620"),
        ("−1,620.00", "-1620.00"),
        ("12.5%", "12.5"),
        ("(1,620.00)", "-1620.00"),
        ("1 547.34", "1547.34"),
        ("\u30001547.34\u3000", "1547.34"),
        (1547.34, "1547.34"),
        (0.1, "0.1"),
        (3, "3"),
        (Decimal("8.5"), "8.5"),
    ],
)
def test_parse_accepts(text, expected):
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["一千五百", "", "  ", "12,34.5", "1.2.3", "abc", "1,5", "12万", True, None, [1]]
)
def test_parse_rejects_with_chinese_reason(text):
    with pytest.raises(AmountError) as e:
        parse_decimal(text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in e.value.reason)


def test_parse_float_exactly_once():
    # a spreadsheet float becomes the decimal a person typed, not its binary expansion
    assert parse_decimal(0.1 + 0.2) == Decimal("0.30000000000000004")
    assert parse_decimal(147.41) == Decimal("147.41")


def test_percent_can_be_refused():
    with pytest.raises(AmountError):
        parse_decimal("12.5%", allow_percent=False)


def test_rates_match_the_reference():
    assert rate(Decimal(59), Decimal(68)) == Decimal("86.76")
    assert change_rate(Decimal("57.84"), Decimal("74.00")) == Decimal("-21.84")
    assert rate(
        Decimal("52878.93"), Decimal("75785.97") - Decimal("10435.00") - Decimal("8080.00")
    ) == Decimal("92.33")
    assert change_rate(Decimal("998.12"), Decimal("194.00")) == Decimal("414.49")
    assert rate(Decimal(1), Decimal(0)) is None
    assert change_rate(Decimal(1), Decimal(0)) is None


def test_round_half_up_once():
    assert q2(Decimal("89.995")) == Decimal("90.00")
    assert q2(Decimal("-0.005")) == Decimal("-0.01")
    assert q2(Decimal("2.675")) == Decimal("2.68")  # float round() would give 2.67


def test_formatting():
    assert fmt_amount(Decimal("52878.93")) == "52,878.93"
    assert fmt_amount(Decimal("-16.48")) == "-16.48"
    assert fmt_amount(Decimal("-0.001")) == "0.00"
    assert fmt_amount(None) == ""
    assert fmt_rate(Decimal("86.7647")) == "86.76%"
    assert fmt_rate(Decimal("-21.8378")) == "-21.84%"
    assert fmt_rate(Decimal("414.4948")) == "414.49%"
    assert fmt_count(Decimal("59")) == "59"
    assert to_wan(Decimal("15473400"), "元") == Decimal("1547.34")


amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False)


@given(amounts)
def test_formatted_amount_round_trips(x):
    assert parse_decimal(fmt_amount(x)) == x


@given(amounts, st.booleans(), st.booleans())
def test_full_width_and_spacing_round_trip(x, full_width, padded):
    t = fmt_amount(x)
    if full_width:
        t = t.translate(str.maketrans("0123456789-.", "０１２３４５６７８９－．"))
    if padded:
        t = f"  {t}\u3000"
    assert parse_decimal(t) == x


@given(amounts, amounts.filter(lambda d: d != 0))
def test_rate_is_rounded_once(a, b):
    r = rate(a, b)
    assert r == q2(a * 100 / b)
    assert r.as_tuple().exponent == -2


def test_formatting_never_fails_on_huge_or_special_values():
    """Issue 14.2: 1E+26 needs 29 digits at 2 places (the default context holds 28)."""
    from decimal import Decimal

    from jixiao.money import fmt_amount, fmt_rate, q2

    assert fmt_amount(Decimal("1E+26")) == "100,000,000,000,000,000,000,000,000.00"
    assert q2(Decimal("123456789012345678901234567.895")) == Decimal("123456789012345678901234567.90")
    assert fmt_rate(Decimal("1E+30")) == "1000000000000000000000000000000.00%"
    for special in ("Infinity", "-Infinity", "NaN"):
        assert fmt_amount(Decimal(special)) == "—" and fmt_rate(Decimal(special)) == "—"
