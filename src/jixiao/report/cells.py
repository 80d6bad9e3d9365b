"""Figures as table cells and the budget-line helpers every part of the report shares.

A cell carries its printed text and, for the attachments workbook, the number itself: amounts
as 万元 with ``#,##0.00``, rates as fractions with ``0.00%`` (31.99% is stored as 0.3199).
"""

from __future__ import annotations

from decimal import Decimal

from ..money import change_rate, fmt_amount, q2
from ..results import ScoreItem
from .blocks import Cell
from .text import fmt_qty, num, pct

AMOUNT_FORMAT = "#,##0.00"
RATE_FORMAT = "0.00%"
SCORE_FORMAT = "0.00"


def p_sum(vals) -> Decimal | None:
    """Sum of the printed (2-place) figures; None when every value is blank."""
    vals = [v for v in vals if v is not None]
    return sum((q2(v) for v in vals), Decimal(0)) if vals else None


def full_sum(vals) -> Decimal | None:
    """A 合计 that is printed only when every row has its figure (a total is never the sum of what
    happens to be filled)."""
    vals = list(vals)
    if not vals or any(v is None for v in vals):
        return None
    return p_sum(vals)


def col(projects, attr: str) -> Decimal | None:
    return full_sum(getattr(p, attr) for p in projects)


def triple(p) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(年初, 调整, 全年) with a blank completed from the other two, so 年初 + 调整 = 全年 holds on the
    page; a blank 调整 counts as 0 only when 全年 is blank too (nothing was adjusted)."""
    ini = None if p.initial is None else q2(p.initial)
    adj = None if p.adjustment is None else q2(p.adjustment)
    full = None if p.full_year is None else q2(p.full_year)
    if full is None and ini is not None:
        adj = adj if adj is not None else Decimal(0)  # no 全年 typed: nothing was adjusted
        full = ini + adj
    elif adj is None and ini is not None and full is not None:
        adj = full - ini
    elif ini is None and full is not None and adj is not None:
        ini = full - adj
    return ini, adj, full


def initial(p) -> Decimal | None:
    return triple(p)[0]


def adjustment(p) -> Decimal | None:
    return triple(p)[1]


def full_year(p) -> Decimal | None:
    return triple(p)[2]


def amount_cell(x: Decimal | None, bold: bool = False) -> Cell:
    return Cell(
        num(x), align="right", bold=bold, value=None if x is None else q2(x), number_format=AMOUNT_FORMAT
    )


def rate_cell(x: Decimal | None) -> Cell:
    """A rate printed as '31.99%', stored as the fraction 0.3199."""
    return Cell(pct(x), align="right", value=None if x is None else x / 100, number_format=RATE_FORMAT)


def score_cell(x: Decimal | None, text: str | None = None) -> Cell:
    return Cell(
        fmt_amount(x) if text is None and x is not None else (text or ""),
        align="right",
        value=x,
        number_format=SCORE_FORMAT,
    )


def adj_cell(p) -> Cell:
    """The 调整 cell: blank when nothing was typed and nothing changed (as published reports do)."""
    adj = adjustment(p)
    if p.adjustment is None and adj is not None and adj == 0:
        return Cell("", align="right")
    return amount_cell(adj)


def change(cur, prior) -> Decimal | None:
    if cur is None or prior is None or q2(prior) == 0:
        return None
    return change_rate(q2(cur), q2(prior))


def project_actuals(d) -> tuple[Decimal | None, Decimal | None]:
    """(部门项目, 公共项目) 决算: from the project rows when there are any, else the 支出总表 line."""
    dept = col(d.dept_projects, "actual") if d.dept_projects else d.spending.dept_projects.actual
    pub = col(d.public_projects, "actual") if d.public_projects else d.spending.public_projects.actual
    return dept, pub


# table cells of the attachments ---------------------------------------------------------
def head_cells(*titles: str) -> tuple[Cell, ...]:
    return tuple(Cell(t, bold=True) for t in titles)


def text_cell(text: str, align: str = "left") -> Cell:
    return Cell(text, align=align)


def count_cell(x: int | None) -> Cell:
    return Cell("" if x is None else fmt_qty(x), align="right", value=x, number_format="#,##0")


def merge_runs(values: list[str]) -> list[int]:
    """Row spans for consecutive equal values: [3,0,0,1] means the first cell spans 3 rows."""
    spans = [0] * len(values)
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        spans[i] = j - i + 1
        i = j + 1
    return spans


def score_text(item: ScoreItem) -> str:
    if item.status == "not_applicable":
        return "不适用"
    if item.score is None:
        return "待评"
    return fmt_amount(item.score)
