"""Turn one raw spreadsheet value into a typed value, or a Chinese reason why it cannot be.

Pure functions: no locations here (the parser adds them). Each returns ``(value, error)`` where
``error`` is ``None`` or ``(code, message, hint)``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from ..checks import codes as C
from ..money import (
    CENT,
    MAX_AMOUNT,
    TEN_THOUSAND,
    AmountError,
    normalize_number_text,
    parse_decimal,
    quantize,
    to_wan,
)
from ..safety import safe_text
from . import schema

_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA")

Err = tuple[str, str, str] | None


def is_blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def as_text(v: object) -> str:
    """Any cell value as the text a person sees (2023.0 → '2023')."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):  # float-ok: NaN/inf are shown, never converted
            return repr(v)
        if abs(v) < 1e15 and v == int(v):  # float-ok: display of a whole number typed in a text column
            return str(int(v))
        return repr(v)
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == time(0) else v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    return safe_text(str(v)).strip()


def _excel_error(v: object) -> Err:
    if isinstance(v, str) and v.strip().upper() in _ERRORS:
        return (C.CELL_ERROR, f"单元格是 Excel 错误值 {v.strip()}，不是数字", "请修正该单元格的公式或改填数值。")
    return None


def float_amount(v: float, unit: str) -> Decimal | None:
    """Fast path for the usual cell, a finite float: Decimal(repr(v)) in 万元 (2 places at
    least, as amounts are written). None for NaN/inf (the full path reports those)."""
    s = repr(v)
    if "n" in s or "e" in s or not -1e11 < v < 1e11:  # float-ok: NaN, inf, sizes the full path checks
        return None
    d = Decimal(s)
    if unit == "元":
        return to_wan(d, unit)
    dot = s.find(".")
    if "e" not in s and (dot < 0 or len(s) - dot - 1 < 2):
        d = d.quantize(CENT)
    return d


def to_amount(v: object, kind: str, unit: str) -> tuple[Decimal | None, Err]:
    """An amount in 万元 (converted once from 元 when the workbook says so)."""
    if is_blank(v):
        return None, None
    if isinstance(v, (datetime, date, time, timedelta)):
        return None, (C.CELL_NOT_NUMBER, f"填的是日期/时间（{as_text(v)}），不是金额",
                      "请把单元格格式改为“数值”并填写金额。")
    err = _excel_error(v)
    if err:
        return None, err
    try:
        d = parse_decimal(v)
    except AmountError as exc:
        return None, (C.CELL_NOT_NUMBER, f"“{as_text(v)}”不是金额（{exc.reason}）",
                      "金额只填数字，可带千分位逗号，如 19,550.00；不要写文字或单位。")
    if abs(d) >= MAX_AMOUNT * (TEN_THOUSAND if unit == "元" else 1):
        return None, (C.CELL_NOT_NUMBER, f"金额 {as_text(v)} 超出可处理的范围（绝对值应小于 1 万亿万元）",
                      "请检查是否多填了数字或填错了单元格。")
    if kind == schema.AMOUNT and d < 0:
        return None, (C.CELL_NEGATIVE, f"金额 {as_text(v)} 为负数，此列不应为负",
                      "只有“预算调整”列可以为负（调减）。")
    d = to_wan(d, unit)
    if d.as_tuple().exponent > -2:  # 6880.0 → 6880.00: same value, the way amounts are written
        d = quantize(d, CENT)
    return d, None


def _plain_number(v: object, what: str, hint: str) -> tuple[Decimal | None, Err]:
    """Blank → (None, None); an Excel error or text that is not a number → the located error."""
    if is_blank(v):
        return None, None
    err = _excel_error(v)
    if err:
        return None, err
    try:
        return parse_decimal(v, allow_percent=False), None
    except AmountError as exc:
        return None, (C.CELL_NOT_NUMBER, f"“{as_text(v)}”不是{what}（{exc.reason}）", hint)


def to_count(v: object) -> tuple[int | None, Err]:
    d, err = _plain_number(v, "人数/份数", "请填写整数，如 52。")
    if d is None:
        return None, err
    if d != d.to_integral_value():
        return None, (C.CELL_NOT_INTEGER, f"{as_text(v)} 不是整数", "人数、份数只能填整数。")
    if d < 0:
        return None, (C.CELL_NEGATIVE, f"{as_text(v)} 为负数", "人数、份数不能为负。")
    return int(d), None


def to_score(v: object) -> tuple[Decimal | None, Err]:
    d, err = _plain_number(v, "分数", "请填写数字，如 8 或 7.5。")
    if d is None:
        return None, err
    if d < 0:
        return None, (C.CELL_NEGATIVE, f"分数 {as_text(v)} 为负数", "分值、得分不能为负。")
    return d, None


def to_value(v: object) -> Decimal | str | None:
    """年度指标值 / 实际完成值: a number when it reads as one, else the text as typed."""
    if is_blank(v):
        return None
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        try:
            d = parse_decimal(v)
        except AmountError:   # NaN / infinity: kept as the text a person sees, never a number
            return as_text(v)
        return d.to_integral_value() if d == d.to_integral_value() else d
    t = as_text(v)
    try:
        return parse_decimal(t)
    except AmountError:
        return t


def to_date(v: object) -> tuple[date | None, Err]:
    if is_blank(v):
        return None, None
    if isinstance(v, datetime):
        return v.date(), None
    if isinstance(v, date):
        return v, None
    bad = (C.CELL_BAD_DATE, f"“{as_text(v)}”不是日期", "请按 2023-02-03 的格式填写日期。")
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if 20000 <= v <= 80000:  # an Excel serial day number shown without date format
            return _EXCEL_EPOCH + timedelta(days=int(v)), None
        return None, bad
    m = _DATE_RE.match(normalize_number_text(str(v)))
    if not m:
        return None, bad
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), None
    except ValueError:
        return None, bad


def to_year(v: object) -> tuple[int | None, Err]:
    if is_blank(v):
        return None, None
    t = normalize_number_text(as_text(v)).removesuffix("年度").removesuffix("年")
    if re.fullmatch(r"(19|20|21)\d\d", t):
        return int(t), None
    return None, (C.CELL_BAD_YEAR, f"“{as_text(v)}”不是年度", "请填写四位年份，如 2023。")


def to_unit(v: object) -> tuple[str | None, Err]:
    if is_blank(v):
        return None, None
    t = schema.norm_text(v)
    if t in schema.MONEY_UNITS:
        return t, None
    return None, (C.CELL_BAD_UNIT, f"金额单位“{as_text(v)}”无法识别", "请从下拉列表选择“万元”或“元”。")


_NATURE_MAP = {">=": "≥", "≥": "≥", "≧": "≥", "<=": "≤", "≤": "≤", "≦": "≤", "=": "=", "==": "=",
               "定性": "定性", ">": "≥", "<": "≤"}


def to_nature(v: object) -> tuple[str | None, Err]:
    if is_blank(v):
        return None, None
    t = schema.norm_text(v)
    if t in _NATURE_MAP:
        return _NATURE_MAP[t], None
    return None, (C.CELL_BAD_NATURE, f"指标性质“{as_text(v)}”不在可选列表中",
                  "请从下拉列表选择 ≥、≤、= 或 定性。")
