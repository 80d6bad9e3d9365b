"""The body's tables (三公经费, 公共项目, 部门项目) and charts, built from the project rows."""

from __future__ import annotations

from ...model import Department, Project
from ...money import q2
from ..blocks import Cell, Table
from ..cells import (
    adj_cell,
    adjustment,
    amount_cell,
    change,
    col,
    full_sum,
    full_year,
    initial,
    project_actuals,
    rate_cell,
)
from ..charts import ChartSpec
from ..text import exact_rate


def three_public_table(d: Department, ys: str, prior: str) -> Table:
    tp = d.three_public
    head = (
        Cell("序号", bold=True),
        Cell("项目", bold=True),
        Cell(f"{prior}决算数", bold=True),
        Cell(f"{ys}年预算数", bold=True),
        Cell(f"{ys}年决算数", bold=True),
        Cell("与上年决算数相比变动比例", bold=True),
        Cell("变动原因", bold=True),
    )
    rows = [head]
    for i, it in enumerate(tp.items, 1):
        rows.append(
            (
                Cell(str(i), value=i, number_format="0"),
                Cell(it.name, align="left"),
                amount_cell(it.prior_actual),
                amount_cell(it.budget),
                amount_cell(it.actual),
                rate_cell(change(it.actual, it.prior_actual)),
                Cell(it.reason, align="left"),
            )
        )
        for dt in (
            x for x in tp.details if x.parent == it.name
        ):  # 其中 rows: parts of this item, not of 合计
            rows.append(
                (
                    Cell(""),
                    Cell(f"其中：{dt.name}", align="left"),
                    amount_cell(dt.prior_actual),
                    amount_cell(dt.budget),
                    amount_cell(dt.actual),
                    rate_cell(change(dt.actual, dt.prior_actual)),
                    Cell(dt.reason, align="left"),
                )
            )
    pa, b, a = (full_sum(getattr(i, k) for i in tp.items) for k in ("prior_actual", "budget", "actual"))
    # the 合计 row states the totals only: its change rate is not a figure the department chose
    # (the 三公 indicator compares budgets), and printing it beside them reads as a second verdict
    rows.append(
        (
            Cell("合计", colspan=2, bold=True),
            amount_cell(pa),
            amount_cell(b),
            amount_cell(a),
            Cell(""),
            Cell(""),
        )
    )
    return Table(
        "three_public",
        tuple(rows),
        (7, 22, 12, 12, 12, 14, 28),
        caption="“三公”经费支出情况表",
        sheet="三公经费",
    )


def public_table(pp: list[Project]) -> Table:
    head = tuple(
        Cell(t, bold=True)
        for t in (
            "序号",
            "预算项目",
            "年初预算数",
            "预算追加及调整数",
            "全年预算数",
            "实际分配资金",
            "指标文号",
        )
    )
    rows = [head]
    for i, p in enumerate(pp, 1):
        rows.append(
            (
                Cell(str(i), value=i, number_format="0"),
                Cell(p.name, align="left"),
                amount_cell(initial(p)),
                adj_cell(p),
                amount_cell(full_year(p)),
                amount_cell(p.actual),
                Cell(p.doc_no, align="left"),
            )
        )
    rows.append(
        (
            Cell("合计", colspan=2, bold=True),
            amount_cell(full_sum(initial(p) for p in pp)),
            amount_cell(_adj_total(pp)),
            amount_cell(full_sum(full_year(p) for p in pp)),
            amount_cell(col(pp, "actual")),
            Cell(""),
        )
    )
    return Table(
        "public_projects",
        tuple(rows),
        (6, 24, 11, 11, 11, 11, 26),
        caption="公共项目资金安排及投入情况表",
        small=True,
        sheet="公共项目",
    )


def _adj_total(pp: list[Project]):
    """调整 合计: blank cells that mean 'nothing adjusted' count as 0 when 年初 and 全年 agree; with
    no adjustment typed anywhere and none to derive, the 合计 stays blank like its column."""
    total = full_sum(adjustment(p) for p in pp)
    if total == 0 and all(p.adjustment is None for p in pp):
        return None
    return total


def dept_table(dp: list[Project]) -> Table:
    head = tuple(
        Cell(t, bold=True)
        for t in (
            "序号",
            "预算名称",
            "年初预算金额",
            "预算调整金额",
            "全年预算金额",
            "决算金额",
            "预、决算差额",
            "差异原因",
        )
    )
    rows = [head]
    for i, p in enumerate(dp, 1):
        full = full_year(p)
        diff = None if full is None or p.actual is None else q2(full) - q2(p.actual)
        rows.append(
            (
                Cell(str(i), value=i, number_format="0"),
                Cell(p.name, align="left"),
                amount_cell(initial(p)),
                adj_cell(p),
                amount_cell(full),
                amount_cell(p.actual),
                amount_cell(diff),
                Cell(p.variance_reason, align="left"),
            )
        )
    full = full_sum(full_year(p) for p in dp)
    act = col(dp, "actual")
    rows.append(
        (
            Cell("合计", colspan=2, bold=True),
            amount_cell(full_sum(initial(p) for p in dp)),
            amount_cell(_adj_total(dp)),
            amount_cell(full),
            amount_cell(act),
            amount_cell(None if full is None or act is None else full - act),
            Cell(""),
        )
    )
    return Table(
        "dept_projects",
        tuple(rows),
        (6, 22, 11, 11, 11, 11, 11, 17),
        caption="部门项目资金使用情况表",
        small=True,
        sheet="部门项目",
    )


def low_execution_table(projects: list[Project]) -> Table:
    """Projects below the execution threshold: 全年预算, 实际支出, 执行率, 未支出, 原因."""
    head = tuple(
        Cell(t, bold=True)
        for t in ("序号", "项目名称", "类别", "全年预算", "实际支出", "执行率", "未支出金额")
    )
    rows = [head]
    for i, p in enumerate(projects, 1):
        full = full_year(p)
        rows.append(
            (
                Cell(str(i), value=i, number_format="0"),
                Cell(p.name, align="left"),
                Cell("公共项目" if p.kind == "public" else "部门项目"),
                amount_cell(full),
                amount_cell(p.actual),
                rate_cell(exact_rate(p.actual, full)),
                amount_cell(None if full is None or p.actual is None else q2(full) - q2(p.actual)),
            )
        )
    return Table(
        "low_execution",
        tuple(rows),
        (6, 34, 12, 12, 12, 10, 14),
        caption="执行率偏低的项目",
        small=True,
        sheet="执行率偏低项目",
    )


#: more bars than this do not fit a page: the chart shows the largest projects by 全年预算
CHART_MAX_BARS = 25


def budget_chart(key: str, title: str, projects: list[Project], actual_label: str) -> ChartSpec | None:
    if not projects or all(full_year(p) is None and p.actual is None for p in projects):
        return None
    if len(projects) > CHART_MAX_BARS:
        ranked = sorted(range(len(projects)), key=lambda i: (-(full_year(projects[i]) or 0), i))
        keep = sorted(ranked[:CHART_MAX_BARS])
        projects = [projects[i] for i in keep]
        title += f"（全年预算最大的{CHART_MAX_BARS}个项目）"
    return ChartSpec(
        key=key,
        title=title,
        labels=tuple(p.name for p in projects),
        series=(
            ("全年预算", tuple(None if full_year(p) is None else q2(full_year(p)) for p in projects)),
            (actual_label, tuple(None if p.actual is None else q2(p.actual) for p in projects)),
        ),
    )


def structure_chart(d: Department) -> ChartSpec | None:
    sp = d.spending
    dept, pub = project_actuals(d)
    items = [(b.name, b.actual) for b in sp.basic_parts]
    if not items or any(v is None for _, v in items):
        items = [("基本支出", sp.basic.actual)]
    items += [("部门项目支出", dept), ("公共项目支出", pub)]
    # shares of a total are only drawn when every part is known
    if any(v is None for _, v in items):
        return None
    items = [(n, q2(v)) for n, v in items]
    if len(items) < 2:
        return None
    return ChartSpec(
        key="structure",
        title="部门整体支出结构（决算）",
        labels=tuple(n for n, _ in items),
        series=(("决算", tuple(v for _, v in items)),),
        percent_of_total=True,
    )
