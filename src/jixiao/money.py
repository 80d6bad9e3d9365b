"""Decimal arithmetic, parsing and formatting for amounts (万元), rates (%) and counts.

Rules (DESIGN §3): amounts are Decimal in 万元; rates are computed from unrounded inputs and
rounded once with ROUND_HALF_UP; never float arithmetic, never ``round()``.
"""

from __future__ import annotations

import collections.abc
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
TEN_THOUSAND = Decimal(10000)

#: |difference| at or below this (万元) is a rounding note, above it an error.
AMOUNT_TOLERANCE = Decimal("0.01")
#: a stated rate within this many percentage points of the recomputed one is rounding.
RATE_TOLERANCE = Decimal("0.01")


class AmountError(ValueError):
    """Text that is not an amount. ``reason`` is a Chinese explanation for the user."""

    def __init__(self, text: object, reason: str):
        super().__init__(f"{text!r}: {reason}")
        self.text = text
        self.reason = reason


#: the most digits a number typed as text may have (more is not a figure anyone means)
MAX_DIGITS = 40
#: an amount whose magnitude reaches this (万元, i.e. 10¹⁶ 元) is refused at the reader: not a budget
MAX_AMOUNT = Decimal("1E12")


def quantize(x: Decimal, exp: Decimal) -> Decimal:
    """``x`` rounded half up to the exponent of ``exp``, whatever its size: the precision is raised
    for this one operation when the default 28 digits would not hold the result (1E+26 to 2
    places needs 29) — never an InvalidOperation. Infinities and NaN are returned unchanged."""
    try:
        return x.quantize(exp, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        if not x.is_finite():
            return x
        with localcontext() as ctx:
            places = exp.as_tuple().exponent
            assert isinstance(places, int)  # a finite exponent (exp is a quantum such as 0.01)
            ctx.prec = max(ctx.prec, max(x.adjusted(), 0) - places + 3)
            return x.quantize(exp, rounding=ROUND_HALF_UP)


def q2(x: Decimal) -> Decimal:
    """Round to 2 places, half up (四舍五入). Apply once, at the end."""
    return quantize(x, CENT)


def ratio_pct(numerator: Decimal, denominator: Decimal) -> Decimal:
    """numerator / denominator × 100, unrounded. Caller guarantees denominator != 0."""
    return numerator * HUNDRED / denominator


def rate(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator / denominator × 100 rounded to 2 places, or None when denominator is 0."""
    if denominator == 0:
        return None
    return q2(ratio_pct(numerator, denominator))


def change_rate(current: Decimal, prior: Decimal) -> Decimal | None:
    """(current − prior) / prior × 100, rounded once; None when prior is 0."""
    if prior == 0:
        return None
    return q2(ratio_pct(current - prior, prior))


def sum_present(
    values: collections.abc.Iterable[Decimal | None], *, all_required: bool = False
) -> Decimal | None:
    """The one sum of optional amounts: the present values added (a blank adds nothing); None when
    no value is present — or, with ``all_required``, when any is missing (a total that would be
    understated is no total)."""
    total, present, blank = Decimal(0), False, False
    for v in values:
        if v is None:
            blank = True
        else:
            total += v
            present = True
    if not present or (all_required and blank):
        return None
    return total


_SPACES = re.compile(r"[\s\u00a0\u3000]+")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def normalize_number_text(text: str) -> str:
    """Full-width digits/signs to ASCII (NFKC), Unicode minus to '-', spaces removed."""
    t = unicodedata.normalize("NFKC", text)
    t = t.replace("\u2212", "-").replace("\u2012", "-").replace("\u2013", "-").replace("\u2014", "-")
    t = t.replace("\uff0c", ",")  # full-width comma survives NFKC as ',' already; keep explicit
    return _SPACES.sub("", t)


def parse_decimal(value: object, *, allow_percent: bool = True) -> Decimal:
    """Turn one spreadsheet value into Decimal, exactly once.

    Accepts int, float (via ``repr``, so 1547.34 stays 1547.34), Decimal, and text such as
    ``"19,550.00 "``, ``"１２３"``, ``"－1,620"``, ``"12.5%"`` (→ 12.5). Raises AmountError
    with a Chinese reason for anything else.
    """
    if isinstance(value, bool):
        raise AmountError(value, "是逻辑值，不是数字")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise AmountError(value, "不是有限数字")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):  # float-ok: NaN/inf test
            raise AmountError(value, "不是有限数字")
        return Decimal(repr(value))
    if not isinstance(value, str):
        raise AmountError(value, "不是数字")
    t = normalize_number_text(value)
    if not t:
        raise AmountError(value, "为空")
    if t.endswith("%"):  # '12.5%' is the number 12.5 (a rate in percent)
        if not allow_percent:
            raise AmountError(value, "此处不应填写百分数")
        t = t[:-1]
    if t.startswith("(") and t.endswith(")"):  # accounting negative: (1,620.00)
        t = "-" + t[1:-1]
    if "," in t:
        if not _GROUPED.match(t):
            raise AmountError(value, "千分位逗号位置不对")
        t = t.replace(",", "")
    if not _NUMBER.match(t):
        raise AmountError(value, "含有非数字字符")
    if len(t) > MAX_DIGITS:
        raise AmountError(value, f"数字位数过多（超过 {MAX_DIGITS} 位）")
    try:
        d = Decimal(t)
    except InvalidOperation as exc:  # pragma: no cover - regex guards this
        raise AmountError(value, "不是数字") from exc
    return d


def to_wan(amount: Decimal, unit: str) -> Decimal:
    """Convert an amount in ``unit`` ('万元' or '元') to 万元, exactly."""
    if unit == "元":
        return amount / TEN_THOUSAND
    return amount


def fmt_amount(x: Decimal | None, *, places: int = 2) -> str:
    """52878.93 → '52,878.93' (rounded half up to ``places``); None → ''."""
    if x is None:
        return ""
    if not x.is_finite():
        return "—"
    q = quantize(x, Decimal(1).scaleb(-places))
    if q == 0:
        q = abs(q)
    return f"{q:,.{places}f}"


def fmt_rate(x: Decimal | None) -> str:
    """86.7647… → '86.76%'; None → ''."""
    if x is None:
        return ""
    if not x.is_finite():
        return "—"
    return fmt_amount(q2(x)).replace(",", "") + "%"


def fmt_count(x: Decimal | int | None) -> str:
    """Counts as integers: 59 → '59'."""
    if x is None:
        return ""
    d = Decimal(x)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def dec_str(x: Decimal | None) -> str | None:
    """Decimal for JSON: always a string, never a float ('86.76')."""
    if x is None:
        return None
    return format(x, "f")
