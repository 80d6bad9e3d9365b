"""The attachments: 附件1 基础数据表, 附件2 部门整体支出绩效自评表, 附件3 项目支出绩效自评表
(one per project, the standard layout with merged header cells)."""

from __future__ import annotations

from decimal import Decimal

from ..model import Department
from ..money import fmt_amount
from ..results import Evaluation, Score
from .attachment_projects import _project_tables
from .blocks import Attachment, Block, Cell, Heading, Para, Table
from .cells import adj_cell as _adj_cell
from .cells import amount_cell as _n
from .cells import count_cell as _cnt
from .cells import full_sum as _sum
from .cells import full_year as _full_year
from .cells import head_cells as _h
from .cells import initial as _initial
from .cells import merge_runs as _merge_runs
from .cells import rate_cell as _r
from .cells import score_text as _score_text
from .cells import text_cell as _t
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
        for dt in (x for x in tp.details if x.parent == it.name):  # 其中 rows, parts of their item only
            rows.append(
                (
                    _t(f"其中：{dt.name}"),
                    _n(dt.prior_budget),
                    _n(dt.prior_actual),
                    _n(dt.budget),
                    _n(dt.actual),
                    _t(dt.reason),
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
    for ln in pf.lines:  # 其中 lines of 公用经费 (办公费, 水电费 …) as the workbook gives them
        rows.append(
            (_t(f"其中：{ln.name}"), Cell(""), _n(ln.prior_actual), _n(ln.budget), _n(ln.actual), _t(""))
        )
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


__all__ = ["build_attachments"]
