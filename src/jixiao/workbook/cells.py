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
        return (
            C.CELL_ERROR,
            f"单元格是 Excel 错误值 {v.strip()}，不是数字",
            "请修正该单元格的公式或改填数值。",
        )
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


#: a number followed by a unit as people type it: '26次', '1,234.50万元', '≥95%', '12 人'
#: (on text already normalised: NFKC, spaces removed)
_NUM_UNIT = re.compile(
    r"^(?P<op>[<>=≤≥]{0,2})(?P<num>[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+))(?P<unit>[^\d\s,.+-][^\d]{0,7})?$"
)
#: 万元 per unit of each money unit written in a cell
MONEY_FACTORS = {
    "万元": Decimal(1),
    "万": Decimal(1),
    "元": Decimal("0.0001"),
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
    "千元": Decimal("0.1"),
}
#: units accepted after a count, by the column's own unit
COUNT_UNITS = {"人": ("人", "名", "位"), "份": ("份", "个", "张", "人", "人次")}
_OPS = {"<=": "≤", "≤": "≤", ">=": "≥", "≥": "≥", "=": "=", "==": "=", "<": "≤", ">": "≥"}


def split_unit(v: object) -> tuple[str, Decimal, str] | None:
    """('≥', 26, '次') for '≥26次'; None when the text is not a number with an optional unit."""
    if not isinstance(v, str):
        return None
    t = normalize_number_text(v).replace("％", "%")
    m = _NUM_UNIT.match(t)
    if not m:
        return None
    try:
        d = parse_decimal(m.group("num"), allow_percent=False)
    except AmountError:
        return None
    op, u = m.group("op"), m.group("unit") or ""
    if (op and op not in _OPS) or ("%" in u and u != "%"):  # '100%完成' is text, not a number
        return None
    return _OPS.get(op, ""), d, u


#: what published tables print for "none" in a number cell
_DASHES = frozenset({"-", "--", "—", "——", "－", "－－", "/", "／", "—/—", "无"})


def _dash(v: object) -> Err:
    """A dash typed for "none": read as an empty cell, with a note (never silently)."""
    if isinstance(v, str) and normalize_number_text(v) in _DASHES:
        return (C.CELL_DASH, f"“{as_text(v)}”按未填写处理", "没有数据的单元格可以留空；数值为零请填 0。")
    return None


def _unit_note(v: object, shown: str) -> Err:
    return (
        C.NUMBER_WITH_UNIT,
        f"“{as_text(v)}”按 {shown} 读取",
        "数字列只填数字即可（单位写在列标题或“单位”列）。",
    )


def to_amount(v: object, kind: str, unit: str) -> tuple[Decimal | None, Err]:
    """An amount in 万元 (converted once from 元 when the workbook says so, or when the cell
    itself says 元/亿元: '12,345元' in a 万元 workbook is 1.2345 万元, never 12,345 万元).

    A unit written in the cell that fits (万元, 元 …) gives the value and an info note (the
    error slot carries it: its code is an info code); any other unit is a located error."""
    if is_blank(v):
        return None, None
    if isinstance(v, (datetime, date, time, timedelta)):
        return None, (
            C.CELL_NOT_NUMBER,
            f"填的是日期/时间（{as_text(v)}），不是金额",
            "请把单元格格式改为“数值”并填写金额。",
        )
    err = _excel_error(v) or _dash(v)
    if err:
        return None, err
    note: Err = None
    try:
        d = parse_decimal(v, allow_percent=False)
    except AmountError as exc:
        parts = split_unit(v)
        if parts is None or parts[0] or not parts[2]:
            return None, (
                C.CELL_NOT_NUMBER,
                f"“{as_text(v)}”不是金额（{exc.reason}）",
                "金额只填数字，可带千分位逗号，如 19,550.00；不要写文字。",
            )
        _op, num, u = parts
        if u not in MONEY_FACTORS:
            return None, (
                C.UNIT_MISMATCH,
                f"“{as_text(v)}”的单位“{u}”不是金额单位，此列是金额（{unit}）",
                "金额列只填金额数字，如 19,550.00。",
            )
        d = num * MONEY_FACTORS[u]  # in 万元, whatever the workbook's unit
        if abs(d) >= MAX_AMOUNT:
            return None, (
                C.CELL_NOT_NUMBER,
                f"金额 {as_text(v)} 超出可处理的范围（绝对值应小于 1 万亿万元）",
                "请检查是否多填了数字或填错了单元格。",
            )
        if u != "万元" and d == d.to_integral_value():
            d = d.quantize(CENT)
        elif u != "万元":  # 15,473,400元 → 1547.34, not 1547.3400: the same figure, written as amounts are
            d = d.normalize()
        if kind == schema.AMOUNT and d < 0:
            return None, (
                C.CELL_NEGATIVE,
                f"金额 {as_text(v)} 为负数，此列不应为负",
                "只有“预算调整”列可以为负（调减）。",
            )
        if d.as_tuple().exponent > -2:
            d = quantize(d, CENT)
        shown = f"{format(d, 'f')} 万元" + ("" if u == "万元" else f"（由{u}换算）")
        return d, _unit_note(v, shown)
    if abs(d) >= MAX_AMOUNT * (TEN_THOUSAND if unit == "元" else 1):
        return None, (
            C.CELL_NOT_NUMBER,
            f"金额 {as_text(v)} 超出可处理的范围（绝对值应小于 1 万亿万元）",
            "请检查是否多填了数字或填错了单元格。",
        )
    if kind == schema.AMOUNT and d < 0:
        return None, (
            C.CELL_NEGATIVE,
            f"金额 {as_text(v)} 为负数，此列不应为负",
            "只有“预算调整”列可以为负（调减）。",
        )
    d = to_wan(d, unit)
    if d.as_tuple().exponent > -2:  # 6880.0 → 6880.00: same value, the way amounts are written
        d = quantize(d, CENT)
    return d, note


def _plain_number(v: object, what: str, hint: str, units: tuple[str, ...] = ()) -> tuple[Decimal | None, Err]:
    """Blank → (None, None); an Excel error or text that is not a number → the located error.
    A number followed by one of ``units`` ('12 人') is read, with an info note."""
    if is_blank(v):
        return None, None
    err = _excel_error(v) or _dash(v)
    if err:
        return None, err
    try:
        return parse_decimal(v, allow_percent=False), None
    except AmountError as exc:
        parts = split_unit(v)
        if parts is not None and not parts[0] and parts[2]:
            if parts[2] in units:
                return parts[1], _unit_note(v, f"{format(parts[1], 'f')}{parts[2]}")
            if units:
                return None, (
                    C.UNIT_MISMATCH,
                    f"“{as_text(v)}”的单位“{parts[2]}”与本列（{units[0]}）不符",
                    hint,
                )
        return None, (C.CELL_NOT_NUMBER, f"“{as_text(v)}”不是{what}（{exc.reason}）", hint)


def keeps_value(err: Err) -> bool:
    """An 'error' slot that only carries an info note (the value is good)."""
    return err is not None and err[0] in (C.NUMBER_WITH_UNIT, C.CELL_DASH)


def to_count(v: object, unit: str = "人") -> tuple[int | None, Err]:
    d, err = _plain_number(v, "人数/份数", "请填写整数，如 52。", COUNT_UNITS.get(unit, (unit,)))
    if d is None:
        return None, err
    if d != d.to_integral_value():
        return None, (C.CELL_NOT_INTEGER, f"{as_text(v)} 不是整数", "人数、份数只能填整数。")
    if d < 0:
        return None, (C.CELL_NEGATIVE, f"{as_text(v)} 为负数", "人数、份数不能为负。")
    return int(d), err


def to_score(v: object) -> tuple[Decimal | None, Err]:
    d, err = _plain_number(v, "分数", "请填写数字，如 8 或 7.5。", ("分",))
    if d is None:
        return None, err
    if d < 0:
        return None, (C.CELL_NEGATIVE, f"分数 {as_text(v)} 为负数", "分值、得分不能为负。")
    return d, err


def to_value(v: object) -> Decimal | str | None:
    """年度指标值 / 实际完成值: a number when it reads as one, else the text as typed."""
    if is_blank(v):
        return None
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        try:
            d = parse_decimal(v)
        except AmountError:  # NaN / infinity: kept as the text a person sees, never a number
            return as_text(v)
        return d.to_integral_value() if d == d.to_integral_value() else d
    t = as_text(v)
    try:
        return parse_decimal(t)
    except AmountError:
        return t


#: words for a comparison written around a target: '不低于95%', '30项以上', '5天以内'
_OP_WORDS = (
    (("不低于", "不少于", "大于等于", "不小于"), "≥"),
    (("不高于", "不超过", "小于等于", "不大于", "控制在"), "≤"),
    (("以上",), "≥"),
    (("以内", "以下"), "≤"),
)

#: spellings of the same unit ('%' and '百分比'; '个' is the unit of '项' counts too)
_UNIT_SAME = {"％": "%", "百分比": "%", "百分点": "%", "个百分点": "%", "万元": "万元"}


def norm_unit(u: str) -> str:
    t = normalize_number_text(u or "").strip("()（）")
    return _UNIT_SAME.get(t, t)


def to_measure(v: object) -> tuple[Decimal | str | None, str, str]:
    """A 目标值/完成值 as typed: (value, unit written in the cell, comparison written before it).

    '26次' → (26, '次', ''); '≥95%' → (95, '%', '≥'); '95' → (95, '', ''); '良好' → ('良好', '', '').
    Numbers are Decimal, exactly as typed; text that is not a number with a unit stays text."""
    if is_blank(v):
        return None, "", ""
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        return to_value(v), "", ""
    t = as_text(v)
    try:
        d = parse_decimal(t, allow_percent=False)
        return d, "", ""
    except AmountError:
        pass
    words_op = ""
    n = normalize_number_text(t)
    for words, o in _OP_WORDS:  # a word before the number ('不低于95%') and/or after it ('30项以上')
        for w in words:
            if n.startswith(w) and len(n) > len(w):
                n, words_op = n[len(w) :], o
            elif n.endswith(w) and len(n) > len(w):
                if words_op and words_op != o:
                    return t, "", ""
                n, words_op = n[: -len(w)], o
    parts = split_unit(n if words_op else t)
    if parts is None:
        return t, "", ""
    op, d, u = parts
    if words_op and u.endswith(("以上", "以内", "以下")):
        return t, "", ""
    return d, norm_unit(u), op or words_op


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


_NATURE_MAP = {
    ">=": "≥",
    "≥": "≥",
    "≧": "≥",
    "<=": "≤",
    "≤": "≤",
    "≦": "≤",
    "=": "=",
    "==": "=",
    "定性": "定性",
    ">": "≥",
    "<": "≤",
}


def to_nature(v: object) -> tuple[str | None, Err]:
    if is_blank(v):
        return None, None
    t = schema.norm_text(v)
    if t in _NATURE_MAP:
        return _NATURE_MAP[t], None
    return None, (
        C.CELL_BAD_NATURE,
        f"指标性质“{as_text(v)}”不在可选列表中",
        "请从下拉列表选择 ≥、≤、= 或 定性。",
    )
