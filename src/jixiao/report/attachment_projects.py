"""附件3 of the report: one 项目支出绩效自评表 per project (its budget lines, indicators and scores;
the standard indicator rows left blank where a project reported none) and the to-do items it
raises. attachments.py assembles it with 附件1 and 附件2."""

from __future__ import annotations

from decimal import Decimal

from ..model import Department, PerfIndicator, Project
from ..money import fmt_amount, q2
from ..results import Evaluation, ProjectScore, Score, ScoreItem
from .blocks import Block, Cell, Heading, PageBreak, Para, Table
from .cells import amount_cell as _n
from .cells import full_year as _full_year
from .cells import head_cells as _h
from .cells import initial as _initial
from .cells import merge_runs as _merge_runs
from .cells import rate_cell as _r
from .cells import score_text as _score_text
from .cells import text_cell as _t
from .text import exact_rate, fmt_qty
from .todo import TodoItem

# 附件3 -------------------------------------------------------------------------------


def _find_funds_item(score: Score) -> ScoreItem | None:
    for it in score.items:
        if (
            "执行率" in it.level3
            or "执行率" in it.level1
            or it.source in ("budget_execution", "execution_rate")
        ):
            return it
    return None


def _project_tables(ev: Evaluation, ys: str, todo: list[TodoItem]) -> list[Block]:
    d = ev.department
    out: list[Block] = [Heading(1, f"附件3 {ys}项目支出绩效自评表")]
    scores = {ps.project: ps for ps in ev.project_scores}
    projects = d.projects
    blank, no_unit = [], []
    for k, p in enumerate(projects, 1):
        if k > 1:
            out.append(PageBreak())
        out.append(Para(f"项目支出绩效自评表（{k}/{len(projects)}）", "subtitle"))
        if ys:
            out.append(Para(f"（{ys}）", "center"))
        table, has_inds, has_unit = _project_table(d, p, scores.get(p.name), k)
        out.append(table)
        if not has_inds:
            blank.append(p.name)
        if not has_unit:
            no_unit.append(p.name)
    sec = "附件3 项目支出绩效自评表"
    if blank:
        todo.append(
            TodoItem(
                "data",
                sec,
                f"{len(blank)}个项目未填报项目绩效指标，附件3为空白表（可手工填写，或在基础数据表"
                f"填报后重新生成）：{'、'.join(blank)}",
                "基础数据表“项目绩效指标”",
            )
        )
    if no_unit:
        todo.append(
            TodoItem(
                "data",
                sec,
                f"{len(no_unit)}个公共项目未填实施单位：{'、'.join(no_unit)}",
                "基础数据表“项目承担单位”",
            )
        )
    return out


#: the standard indicator rows of a blank 项目支出绩效自评表 (一级, 二级)
BLANK_ROWS = (
    ("产出指标", "数量指标"),
    ("产出指标", "质量指标"),
    ("产出指标", "时效指标"),
    ("产出指标", "成本指标"),
    ("效益指标", "经济效益指标"),
    ("效益指标", "社会效益指标"),
    ("效益指标", "生态效益指标"),
    ("效益指标", "可持续影响指标"),
    ("满意度指标", "服务对象满意度指标"),
)


def _project_table(d: Department, p: Project, ps: ProjectScore | None, k: int) -> tuple[Table, bool, bool]:
    units = list(dict.fromkeys(u.unit for u in d.undertakings if u.project == p.name and u.unit))
    if units:
        unit = "、".join(units)
    elif p.kind == "department":
        unit = d.name
    else:
        unit = ""
    full = _full_year(p)
    exec_rate = exact_rate(p.actual, full) if full else None
    funds = _find_funds_item(ps.score) if ps else None
    inds = [i for i in d.perf_indicators if i.project == p.name]
    rows: list[tuple[Cell, ...]] = [
        (Cell("项目名称", bold=True), Cell(p.name, colspan=8, align="left")),
        (
            Cell("主管部门", bold=True),
            Cell(d.supervisor or d.name, colspan=3, align="left"),
            Cell("实施单位", bold=True),
            Cell(unit, colspan=4, align="left"),
        ),
        (
            Cell("项目资金（万元）", rowspan=2, bold=True),
            Cell("", colspan=2),
            *_h("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
        ),
        (
            Cell("年度资金总额", colspan=2),
            _n(_initial(p)),
            _n(full),
            _n(p.actual),
            _wcell(funds.weight if funds and inds else None),
            _r(exec_rate),
            _scell(funds, None) if funds and inds else Cell("", align="right"),
        ),
        (
            Cell("年度总体目标", rowspan=2, bold=True),
            Cell("预期目标", colspan=4, bold=True),
            Cell("实际完成情况", colspan=4, bold=True),
        ),
        (Cell(p.goal, colspan=4, align="left"), Cell(p.outcome, colspan=4, align="left")),
    ]
    items = [it for it in (ps.score.items if ps else []) if it is not funds]
    lines = (
        _indicator_lines(inds, items)
        if inds
        else [(l1, l2, "", "", "", Cell(""), Cell(""), "") for l1, l2 in BLANK_ROWS]
    )
    head = (
        Cell("绩效指标", rowspan=len(lines) + 1, bold=True),
        *_h(
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ),
    )
    rows.append(head)
    s1 = _merge_runs([ln[0] for ln in lines])
    s2 = _merge_runs([ln[0] + "\x00" + ln[1] for ln in lines])
    for j, ln in enumerate(lines):
        row = []
        if s1[j]:
            row.append(Cell(ln[0], rowspan=s1[j]))
        if s2[j]:
            row.append(Cell(ln[1], rowspan=s2[j]))
        row += [_t(ln[2]), _t(ln[3], "center"), _t(ln[4], "center"), ln[5], ln[6], _t(ln[7])]
        rows.append(tuple(row))
    scored = bool(inds) and ps is not None
    total = ps.score.total if scored else None
    max_total = ps.score.max_total if scored else None
    rows.append(
        (
            Cell("总分", colspan=6, bold=True),
            Cell(
                fmt_amount(max_total) if max_total is not None else "",
                align="right",
                value=max_total,
                number_format="0.00",
            ),
            Cell(_project_total_text(ps) if scored else "", align="right", value=total, number_format="0.00"),
            Cell(_grade_text(ps) if scored else "", align="left"),
        )
    )
    short = p.name if len(p.name) <= 18 else p.name[:17] + "…"
    table = Table(
        f"project_{k}",
        tuple(rows),
        (10, 10, 10, 14, 12, 12, 9, 9, 14),
        header_rows=0,
        caption="",
        unit="单位：万元",
        small=True,
        sheet=f"附3-{k}{short}",
        row_height=0 if inds else 510,
    )  # a blank form: rows tall enough to write in by hand
    return table, bool(inds), bool(unit) or p.kind == "department"


def _project_total_text(ps: ProjectScore | None) -> str:
    if ps is None or ps.score.total is None:
        return "待评"
    return fmt_amount(ps.score.total)


def _grade_text(ps: ProjectScore | None) -> str:
    if ps is None:
        return ""
    if ps.score.pending:
        return f"尚有{len(ps.score.pending)}项待评"
    return f"等级：{ps.score.grade}" if ps.score.grade else ""


def _perf_value(v, unit: str, nature: str = "") -> str:
    if v is None or v == "":
        return ""
    text = fmt_qty(v)
    prefix = nature if nature in ("≥", "≤", "＞", "＜", ">", "<") else ""
    return f"{prefix}{text}{unit}"


def _indicator_lines(inds: list[PerfIndicator], items: list[ScoreItem]) -> list[tuple]:
    """Rows: (一级, 二级, 三级, 指标值, 完成值, 分值 cell, 得分 cell, 偏差原因), matched by 三级指标 name."""
    by_name: dict[str, ScoreItem] = {}
    for it in items:
        by_name.setdefault(it.level3, it)
    used: set[str] = set()
    lines = []
    for i in inds:
        it = by_name.get(i.level3)
        if it is not None:
            used.add(it.id)
        weight = it.weight if it is not None else i.weight
        lines.append(
            (
                i.level1,
                i.level2,
                i.level3,
                _perf_value(i.target, i.unit, i.nature),
                _perf_value(i.actual, i.unit),
                _wcell(weight),
                _scell(it, i.score),
                i.deviation_reason,
            )
        )
    for it in items:
        if it.id in used:
            continue
        lines.append((it.level1, it.level2, it.level3, "", "", _wcell(it.weight), _scell(it, None), it.basis))
    return lines


def _wcell(w: Decimal | None) -> Cell:
    return Cell("" if w is None else fmt_amount(w), align="right", value=w, number_format="0.00")


def _scell(it: ScoreItem | None, manual: Decimal | None) -> Cell:
    if it is not None:
        return Cell(_score_text(it), align="right", value=it.score, number_format="0.00")
    if manual is not None:
        return Cell(fmt_amount(manual), align="right", value=q2(manual), number_format="0.00")
    return Cell("待评", align="right")
