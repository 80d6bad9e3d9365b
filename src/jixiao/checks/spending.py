"""支出总表: row identities, 基本支出 = parts, 项目支出 = 部门 + 公共, 整体 = 基本 + 项目,
and the project sheets' sums against the summary lines."""

from __future__ import annotations

from ..issues import make
from ..model import BudgetLine, Department
from . import codes as C
from .common import compare, fmt, total

S = "支出总表"
COLS = {
    "initial": "年初预算",
    "adjustment": "预算调整",
    "full_year": "全年预算",
    "actual": "决算",
    "prior_actual": "上年决算",
}
#: schema row label of each Spending attribute
LABELS = {
    "basic": "基本支出合计",
    "dept_projects": "部门项目支出",
    "public_projects": "公共项目支出",
    "projects": "项目支出合计",
    "total": "整体支出合计",
}


def _lines(sp) -> list[tuple[BudgetLine, str]]:
    return [*((p, p.name) for p in sp.basic_parts), *((getattr(sp, a), lab) for a, lab in LABELS.items())]


def budget_identity(line, label: str, sheet: str, lay, key: str | None = None, row: int | None = None):
    """年初 + 调整 = 全年 (调整 empty counts as 0), located at the 全年预算 cell."""
    if line.initial is None or line.full_year is None:
        return None
    computed = line.initial + (line.adjustment or 0)
    if computed == line.full_year:
        return None
    loc = lay.loc(sheet, "full_year", row=row, label=None if row else label, key=key or label)
    return compare(
        line.full_year,
        computed,
        C.BUDGET_ROW,
        f"“{key or label}”的全年预算",
        "年初预算 + 预算调整",
        loc,
        "请核对年初预算、预算调整和全年预算三个数。",
    )


def over_budget(
    line,
    label: str,
    sheet: str,
    lay,
    key: str | None = None,
    row: int | None = None,
    actual_name: str = "决算",
):
    if line.actual is None or line.full_year is None or line.actual <= line.full_year:
        return None
    return make(
        C.OVER_BUDGET,
        f"“{key or label}”的{actual_name} {fmt(line.actual)} 万元大于全年预算 "
        f"{fmt(line.full_year)} 万元（超出 {fmt(line.actual - line.full_year)} 万元）。",
        lay.loc(sheet, "actual", row=row, label=None if row else label, key=key or label),
        "超预算支出须有调整依据；如为录入错误请更正。",
    )


def rows(dept: Department, lay):
    for line, label in _lines(dept.spending):
        row = lay.row_of(S, label) or line.src.row
        for iss in (budget_identity(line, label, S, lay, row=row), over_budget(line, label, S, lay, row=row)):
            if iss:
                yield iss


def _check_sum(stated_line, label, parts, code, how, lay, *, all_required=False):
    for f, head in COLS.items():
        stated = getattr(stated_line, f)
        if stated is None:
            continue
        computed = total((getattr(p, f) for p in parts), all_required=all_required)
        if computed is None:
            continue
        iss = compare(
            stated,
            computed,
            code,
            f"“{label}”的{head}",
            how,
            lay.loc(S, f, label=label),
            "合计行可以不填（由工具计算）；填写时须与各分项之和一致。",
        )
        if iss:
            yield iss


def basic_parts(dept: Department, lay):
    sp = dept.spending
    if sp.basic_parts:
        yield from _check_sum(sp.basic, "基本支出合计", sp.basic_parts, C.BASIC_PARTS, "各经济分类之和", lay)


def projects_total(dept: Department, lay):
    sp = dept.spending
    yield from _check_sum(
        sp.projects,
        "项目支出合计",
        [sp.dept_projects, sp.public_projects],
        C.PROJECTS_TOTAL,
        "部门项目支出 + 公共项目支出",
        lay,
        all_required=True,
    )


def spending_total(dept: Department, lay):
    sp = dept.spending
    for f, head in COLS.items():
        stated = getattr(sp.total, f)
        if stated is None:
            continue
        computed = total(
            (getattr(sp.basic, f), getattr(sp.dept_projects, f), getattr(sp.public_projects, f)),
            all_required=True,
        )
        how = "基本支出 + 部门项目支出 + 公共项目支出"
        if computed is None:
            computed = total((getattr(sp.basic, f), getattr(sp.projects, f)), all_required=True)
            how = "基本支出 + 项目支出"
        if computed is None:
            continue
        iss = compare(
            stated,
            computed,
            C.SPENDING_TOTAL,
            f"“整体支出合计”的{head}",
            how,
            lay.loc(S, f, label="整体支出合计"),
            "请核对整体支出合计与各部分。",
        )
        if iss:
            yield iss


def sheets_vs_summary(dept: Department, lay):
    sp = dept.spending
    for projects, attr, sheet_name, actual_head in (
        (dept.dept_projects, "dept_projects", "部门项目", "决算"),
        (dept.public_projects, "public_projects", "公共项目", "实际分配"),
    ):
        if not projects:
            continue
        line = getattr(sp, attr)
        label = LABELS[attr]
        for f, head in COLS.items():
            stated = getattr(line, f)
            computed = total(getattr(p, f) for p in projects)
            if stated is None or computed is None:
                continue
            h = actual_head if f == "actual" else head
            iss = compare(
                stated,
                computed,
                C.SHEET_VS_SUMMARY,
                f"支出总表“{label}”的{head}",
                f"“{lay.title(sheet_name)}”表各项目{h}之和",
                lay.loc(S, f, label=label),
                f"请核对“{lay.title(sheet_name)}”表的明细与支出总表是否一致。",
            )
            if iss:
                yield iss


RULES = (rows, basic_parts, projects_total, spending_total, sheets_vs_summary)
