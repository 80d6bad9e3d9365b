"""The attachments: 附件1 基础数据表, 附件2 部门整体支出绩效自评表, 附件3 项目支出绩效自评表
(one per project, the standard layout with merged header cells)."""

from __future__ import annotations

from decimal import Decimal

from ..model import Department, PerfIndicator, Project
from ..money import fmt_amount, q2
from ..results import Evaluation, ProjectScore, Score, ScoreItem
from .blocks import Attachment, Block, Cell, Heading, PageBreak, Para, Table
from .cells import adj_cell as _adj_cell
from .cells import amount_cell as _n
from .cells import full_sum as _sum
from .cells import full_year as _full_year
from .cells import initial as _initial
from .cells import rate_cell as _r
from .text import exact_rate, fmt_qty
from .todo import TodoItem


def build_attachments(ev: Evaluation) -> tuple[list[Attachment], list[TodoItem]]:
    """The three attachments and the to-do items they raise (forms left blank to fill by hand)."""
    d = ev.department
    ys = f"{d.year}年度" if d.year else ""
    todo: list[TodoItem] = []
    atts = [
        Attachment("basic_data", f"附件1 {ys}部门整体支出绩效评价基础数据表", _basic_data(d, ys)),
        Attachment("self_eval", f"附件2 {ys}部门整体支出绩效自评表", _self_eval(ev, ys)),
        Attachment("projects", f"附件3 {ys}项目支出绩效自评表", _project_tables(ev, ys, todo)),
    ]
    return atts, todo


def _h(*titles: str) -> tuple[Cell, ...]:
    return tuple(Cell(t, bold=True) for t in titles)


def _t(text: str, align: str = "left") -> Cell:
    return Cell(text, align=align)


def _cnt(x: int | None) -> Cell:
    return Cell("" if x is None else fmt_qty(x), align="right", value=x, number_format="#,##0")


# 附件1 -------------------------------------------------------------------------------


def _basic_data(d: Department, ys: str) -> list[Block]:
    out: list[Block] = [Heading(1, f"附件1 {ys}部门整体支出绩效评价基础数据表")]
    st = d.staffing
    rows = [_h("项目", "人数")]
    for k, v in st.authorized.items():
        rows.append((_t(k), _cnt(v)))
    # '合计' only above its parts: a 编制数 typed without the breakdown is not a total of this table
    rows.append((Cell("编制数合计" if st.authorized else "编制数", bold=True), _cnt(st.authorized_total)))
    out.append(
        Table(
            "basic_staffing",
            tuple(rows),
            (60, 40),
            caption="表1 人员编制情况",
            unit="单位：人",
            small=True,
            sheet="附1-1人员编制",
        )
    )
    rows = [_h("项目", "人数")]
    for label, v in (
        ("实有在职人数", st.in_service),
        ("其他雇员", st.other_employees),
        ("离退休人数", st.retired),
    ):
        rows.append((_t(label), _cnt(v)))
    out.append(
        Table(
            "basic_people",
            tuple(rows),
            (60, 40),
            caption="表2 在职和离退休人员",
            unit="单位：人",
            small=True,
            sheet="附1-2在职和离退休人员",
        )
    )

    sp = d.spending
    rows = [_h("项目", "年初预算", "预算调整", "全年预算", "决算", "上年决算")]
    lines = [*sp.basic_parts, sp.basic, sp.dept_projects, sp.public_projects, sp.projects, sp.total]
    for b in lines:
        indent = "  " if b in sp.basic_parts else ""
        rows.append(
            (
                _t(indent + b.name),
                _n(_initial(b)),
                _adj_cell(b),
                _n(_full_year(b)),
                _n(b.actual),
                _n(b.prior_actual),
            )
        )
    out.append(
        Table(
            "basic_spending",
            tuple(rows),
            (28, 14, 14, 15, 15, 14),
            caption="表3 支出情况",
            small=True,
            sheet="附1-3支出情况",
        )
    )
    rows = [_h("项目", "金额")]
    for label, v in (
        ("政府性基金预算支出", sp.gov_fund),
        ("国有资本经营预算支出", sp.state_capital),
        ("社会保险基金预算支出", sp.social_insurance),
        ("上年结转", sp.carry_over_begin),
        ("年末结转结余", sp.carry_over_end),
        ("上年末结转结余", sp.prior_carry_over_end),
    ):
        rows.append((_t(label), _n(v)))
    out.append(
        Table(
            "basic_other_funds",
            tuple(rows),
            (60, 40),
            caption="表4 其他预算支出和结转结余",
            small=True,
            sheet="附1-4其他预算支出和结转结余",
        )
    )

    tp = d.three_public
    rows = [_h("项目", "上年预算", "上年决算", "本年预算", "本年决算", "变动原因")]
    for it in tp.items:
        rows.append(
            (
                _t(it.name),
                _n(it.prior_budget),
                _n(it.prior_actual),
                _n(it.budget),
                _n(it.actual),
                _t(it.reason),
            )
        )
    rows.append(
        (
            Cell("合计", bold=True),
            *(_n(_column_total(tp, k)) for k in ("prior_budget", "prior_actual", "budget", "actual")),
            _t(""),
        )
    )
    pf = d.public_funds
    rows.append((_t("公用经费"), Cell(""), _n(pf.prior_actual), _n(pf.budget), _n(pf.actual), _t("")))
    out.append(
        Table(
            "basic_three_public",
            tuple(rows),
            (26, 13, 13, 13, 13, 22),
            caption="表5 “三公”经费和公用经费",
            small=True,
            sheet="附1-5三公经费和公用经费",
        )
    )

    pr = d.procurement
    cats = list(dict.fromkeys([*pr.initial_by_category, *pr.full_year_by_category, *pr.actual_by_category]))
    rows = [_h("类别", "年初采购预算", "全年采购预算", "实际采购")]
    for c in cats:
        rows.append(
            (
                _t(c),
                _n(pr.initial_by_category.get(c)),
                _n(pr.full_year_by_category.get(c)),
                _n(pr.actual_by_category.get(c)),
            )
        )
    rows.append((Cell("合计", bold=True), _n(pr.initial_total), _n(pr.full_year_total), _n(pr.actual_total)))
    out.append(
        Table(
            "basic_procurement",
            tuple(rows),
            (31, 23, 23, 23),
            caption="表6 政府采购情况",
            small=True,
            sheet="附1-6政府采购",
        )
    )

    rows = [_h("项目", "上年末", "本年新增", "本年减少", "本年末", "说明")]
    for a in d.assets.lines:
        rows.append((_t(a.name), _n(a.prior_end), _n(a.added), _n(a.reduced), _n(a.end), _t(a.note)))
    out.append(
        Table(
            "basic_assets",
            tuple(rows),
            (22, 13, 13, 13, 13, 26),
            caption="表7 资产情况",
            small=True,
            sheet="附1-7资产",
        )
    )

    if d.undertakings:
        rows = [_h("项目", "承担单位", "下达金额", "实际支出", "执行率")]
        for u in d.undertakings:
            rows.append(
                (
                    _t(u.project),
                    _t(u.unit),
                    _n(u.allocated),
                    _n(u.spent),
                    _r(exact_rate(u.spent, u.allocated) if u.allocated else None),
                )
            )
        out.append(
            Table(
                "basic_undertakings",
                tuple(rows),
                (30, 25, 15, 15, 15),
                caption="表8 项目承担单位资金使用情况",
                small=True,
                sheet="附1-8项目承担单位",
            )
        )

    rows = [_h("履职目标", "目标值", "完成值", "单位")]
    for k in d.kpis:
        rows.append((_t(k.name), _q(k.target), _q(k.actual), _t(k.unit, "center")))
    out.append(
        Table(
            "basic_kpis",
            tuple(rows),
            (52, 16, 16, 16),
            caption="表9 履职目标完成情况",
            unit="",
            small=True,
            sheet="附1-9履职目标",
        )
    )

    sa = d.satisfaction
    rows = [_h("问卷数", "满意数", "满意度")]
    sat = (
        exact_rate(Decimal(sa.satisfied), Decimal(sa.surveyed))
        if sa.surveyed and sa.satisfied is not None
        else None
    )
    rows.append((_cnt(sa.surveyed), _cnt(sa.satisfied), _r(sat)))
    out.append(
        Table(
            "basic_satisfaction",
            tuple(rows),
            (34, 33, 33),
            caption="表10 服务对象满意度",
            unit="",
            small=True,
            sheet="附1-10满意度",
        )
    )
    return out


def _column_total(tp, attr: str) -> Decimal | None:
    """合计 of a 三公 column: the sum when every item has the figure; the typed 合计 when no item has it
    (a report may give only last year's total budget); blank when only some items have it — a
    printed 合计 must equal its printed column."""
    vals = [getattr(i, attr) for i in tp.items]
    if vals and all(v is not None for v in vals):
        return _sum(vals)
    if all(v is None for v in vals) and tp.total_stated is not None:
        return getattr(tp.total_stated, attr)
    return None


def _q(x) -> Cell:
    """A 履职目标 value: a number stays a number (with thousands separators), text stays text."""
    if isinstance(x, Decimal):
        return Cell(fmt_qty(x), align="right", value=x, number_format="#,##0.##")
    return Cell(fmt_qty(x), align="right")


# 附件2 -------------------------------------------------------------------------------


def _merge_runs(values: list[str]) -> list[int]:
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


def _score_text(item: ScoreItem) -> str:
    if item.status == "not_applicable":
        return "不适用"
    if item.score is None:
        return "待评"
    return fmt_amount(item.score)


def _total_rows(score: Score, ncols_label: int, extra_cols: int) -> list[tuple[Cell, ...]]:
    total = fmt_amount(score.total) if score.total is not None else ""
    rows = [
        (
            Cell("合计", colspan=ncols_label, bold=True),
            Cell(fmt_amount(score.max_total), align="right", value=score.max_total, number_format="0.00"),
            Cell(total, align="right", value=score.total, number_format="0.00"),
            *[Cell("") for _ in range(extra_cols)],
        )
    ]
    if score.pending:
        grade = f"草稿：尚有{len(score.pending)}项指标待评，等级待全部评定后确定"
    else:
        grade = score.grade or ""
    rows.append(
        (Cell("自评等级", colspan=ncols_label, bold=True), Cell(grade, colspan=2 + extra_cols, align="left"))
    )
    return rows


def _self_eval(ev: Evaluation, ys: str) -> list[Block]:
    sc = ev.score
    out: list[Block] = [
        Heading(1, f"附件2 {ys}部门整体支出绩效自评表"),
        Para(f"评价体系：{sc.framework}", "center"),
    ]
    items = list(sc.items)
    head = _h("一级指标", "二级指标", "三级指标", "分值", "得分", "评分依据")
    rows = [head]
    s1 = _merge_runs([i.level1 for i in items])
    s2 = _merge_runs([f"{i.level1}\x00{i.level2}" for i in items])
    for k, it in enumerate(items):
        row = []
        if s1[k]:
            row.append(Cell(it.level1, rowspan=s1[k]))
        if s2[k]:
            row.append(Cell(it.level2, rowspan=s2[k]))
        row += [
            _t(it.level3),
            Cell(fmt_amount(it.weight), align="right", value=it.weight, number_format="0.00"),
            Cell(_score_text(it), align="right", value=it.score, number_format="0.00"),
            _t(it.basis if it.score is not None else ""),
        ]  # a pending item's note is for the preparer
        rows.append(tuple(row))
    rows += _total_rows(sc, 3, 1)
    out.append(
        Table(
            "self_eval",
            tuple(rows),
            (11, 13, 20, 8, 8, 40),
            caption="部门整体支出绩效自评表",
            unit="",
            small=True,
            sheet="附2部门整体支出自评表",
        )
    )
    return out


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


__all__ = ["build_attachments"]
