"""The report body, section by section (一、部门概况 … 十二、其他需要说明的情况).

Narrative blocks come from the workbook (Department.narratives) where given; sentences are
generated from the data otherwise; where neither exists a visible 【待补充：…】 placeholder is
written for the person to fill. Figures are never invented.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from decimal import Decimal

from ..model import Department, Project
from ..money import fmt_amount, fmt_count, fmt_rate, q2
from ..results import Evaluation, Indicator
from .charts import ChartSpec
from .context import Block, Cell, Figure, Heading, Para, Table
from .text import (
    amt,
    change_phrase,
    cn_num,
    composition,
    exact_rate,
    num,
    paragraphs,
    pct,
    ph,
    rate_trace,
)

#: narrative keys a workbook may use for each block (first found wins)
NARRATIVE_KEYS: dict[str, tuple[str, ...]] = {
    "preamble": ("前言", "开展情况", "自评工作开展情况"),
    "functions": ("主要职能", "主要职能职责", "职能职责"),
    "structure": ("机构设置", "机构设置情况"),
    "priorities": ("重点工作", "年度重点工作"),
    "staffing": ("人员情况说明", "人员编制说明"),
    "usage": ("使用方向", "使用方向和主要内容", "支出使用方向"),
    "basic_reason": ("基本支出变动原因", "基本支出较上年变动原因"),
    "fund_mgmt": ("资金管理", "资金管理情况"),
    "project_change_reason": ("项目支出变动原因", "项目支出较上年变动原因"),
    "project_fund_mgmt": ("项目资金管理", "项目资金管理情况"),
    "project_org": ("项目组织", "项目组织情况", "项目组织实施"),
    "project_mgmt": ("项目管理", "项目管理情况"),
    "asset_mgmt": ("资产管理", "资产管理情况", "固定资产管理"),
    "performance": ("绩效情况", "部门整体支出绩效情况", "主要绩效"),
    "problems": ("存在问题", "存在的问题"),
    "measures": ("改进措施", "下一步改进措施"),
    "application": ("结果应用", "自评结果应用"),
    "disclosure": ("结果公开", "公开情况", "自评结果公开"),
    "other": ("其他说明", "其他需要说明的情况"),
}


def narrative(d: Department, key: str) -> list[str]:
    for k in NARRATIVE_KEYS[key]:
        text = d.narratives.get(k)
        if text and text.strip():
            return paragraphs(text)
    return []


class _Doc:
    """Collects blocks; numbering helpers for 一、/（一）/1."""

    def __init__(self):
        self.blocks: list[Block] = []
        self.h1 = 0

    def heading1(self, text: str):
        self.h1 += 1
        self.blocks.append(Heading(1, f"{cn_num(self.h1)}、{text}"))

    def heading(self, level: int, text: str):
        self.blocks.append(Heading(level, text))

    def para(self, text: str, kind: str = "body"):
        self.blocks.append(Para(text, kind))

    def paras(self, texts: list[str]):
        for t in texts:
            self.para(t)

    def add(self, block: Block):
        self.blocks.append(block)


def _sum(vals) -> Decimal | None:
    vals = [v for v in vals if v is not None]
    return sum((q2(v) for v in vals), Decimal(0)) if vals else None


def _col(projects: list[Project], attr: str) -> Decimal | None:
    return _sum(getattr(p, attr) for p in projects)


def _triple(p) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(年初, 调整, 全年) with a blank completed from the other two, so 年初 + 调整 = 全年 holds on the
    page (the identity every budget table states); a blank 调整 with no 全年 counts as 0."""
    ini = None if p.initial is None else q2(p.initial)
    adj = None if p.adjustment is None else q2(p.adjustment)
    full = None if p.full_year is None else q2(p.full_year)
    if full is None and ini is not None:
        full = ini + (adj or 0)
    elif adj is None and ini is not None and full is not None:
        adj = full - ini
    elif ini is None and full is not None:
        ini = full - (adj or 0)
    return ini, adj, full


def _initial(p) -> Decimal | None:
    return _triple(p)[0]


def _adjustment(p) -> Decimal | None:
    return _triple(p)[1]


def _full_year(p) -> Decimal | None:
    return _triple(p)[2]


def _adj_cell(p) -> Cell:
    """The 调整 cell: blank when nothing was typed and nothing changed (as published reports do)."""
    adj = _adjustment(p)
    if p.adjustment is None and adj is not None and adj == 0:
        return Cell("", align="right")
    return _n(adj)


def build_body(ev: Evaluation) -> list[Block]:
    d = ev.department
    doc = _Doc()
    y = d.year
    ys = str(y) if y else ph("年度")
    unit = d.name or ph("单位名称")
    doc.para(f"{ys}年度{unit}部门整体支出绩效自评报告", "title")
    pre = narrative(d, "preamble")
    if pre:
        doc.paras(pre)
    else:
        doc.para(f"为加强预算绩效管理、提高财政资金使用效益，按照财政部门关于开展部门整体支出绩效自评工作的要求，"
                 f"{unit}对{ys}年度部门整体支出开展了绩效自评，对照部门职责和年度工作目标，梳理了预算安排与执行、"
                 f"项目实施、资产管理和履职效果等情况。现将自评情况报告如下：")
    _overview(doc, d, ys)
    _general_budget(doc, ev, ys)
    _project_org(doc, ev)
    _assets(doc, d, ys)
    for label, value in (("政府性基金预算支出", d.spending.gov_fund),
                         ("国有资本经营预算支出", d.spending.state_capital),
                         ("社会保险基金预算支出", d.spending.social_insurance)):
        doc.heading1(f"{label}情况")
        if value is None or q2(value) == 0:
            doc.para(f"{ys}年度{unit}无{label}。")
        else:
            doc.para(f"{ys}年度{unit}{label}{amt(value)}。{ph(label + '的主要用途和使用情况')}")
    _performance(doc, ev, ys)
    _problems(doc, ev)
    _measures(doc, ev)
    doc.heading1("绩效自评结果拟应用和公开情况")
    doc.heading(2, "（一）绩效自评结果拟应用情况")
    doc.paras(narrative(d, "application") or [ph("自评结果的应用安排，如问题整改、与下年度预算安排挂钩、纳入内部考核等")])
    doc.heading(2, "（二）绩效自评结果公开情况")
    pub = narrative(d, "disclosure")
    if pub:
        doc.paras(pub)
    else:
        doc.para(f"本报告将按照财政部门的统一要求向社会公开。{ph('公开的时间和网站')}")
    doc.heading1("其他需要说明的情况")
    doc.paras(narrative(d, "other") or [ph("其他需要说明的情况；没有时填写“无”")])
    n = len(d.projects)
    doc.para("附件：1.基础数据表", "note")
    doc.para("2.部门整体支出绩效自评表", "note")
    doc.para(f"3.项目支出绩效自评表（每个项目一张，共{n}张）", "note")
    return doc.blocks


# 一、部门概况 ---------------------------------------------------------------------------

def _overview(doc: _Doc, d: Department, ys: str):
    doc.heading1("部门概况")
    doc.heading(2, "（一）部门基本情况")
    doc.heading(3, "1.主要职能职责")
    doc.paras(narrative(d, "functions") or [ph("部门主要职能职责")])
    doc.heading(3, "2.机构设置情况")
    doc.paras(narrative(d, "structure") or [ph("内设机构和所属单位")])
    doc.heading(3, "3.人员编制情况")
    note = narrative(d, "staffing")
    total = d.staffing.authorized_total
    # a note that states the 编制数 itself is a full description; otherwise it adds to the figures
    if not (note and total is not None and re.search(rf"(?<!\d){total}(?!\d)", "".join(note))):
        doc.para(_staffing_sentence(d, ys))
    doc.paras(note)
    doc.heading(3, f"4.{ys}年重点工作")
    doc.paras(narrative(d, "priorities") or [ph("年度重点工作")])
    doc.heading(2, "（二）部门整体支出规模、使用方向和主要内容、涉及范围")
    sp = d.spending
    doc.heading(3, "1.整体支出规模")
    dept_actual = _col(d.dept_projects, "actual") if d.dept_projects else sp.dept_projects.actual
    pub_actual = _col(d.public_projects, "actual") if d.public_projects else sp.public_projects.actual
    total = sp.total.actual
    doc.para(f"{ys}年度部门整体支出" + composition(total, [
        ("基本支出", sp.basic.actual), ("部门项目支出", dept_actual), ("公共项目支出", pub_actual)]) + "。")
    doc.heading(3, "2.使用方向和主要内容、涉及范围")
    usage = narrative(d, "usage")
    if usage:
        doc.paras(usage)
    parts = [(b.name, b.actual) for b in sp.basic_parts]
    text = "基本支出" + (composition(sp.basic.actual, parts) if parts else amt(sp.basic.actual, "基本支出")) + "。"
    proj_total = sp.projects.actual
    text += "项目支出" + composition(proj_total, [("部门项目支出", dept_actual), ("公共项目支出", pub_actual)]) + "。"
    doc.para(text)
    if d.dept_projects:
        doc.para("部门项目支出" + composition(dept_actual, [(p.name, p.actual) for p in d.dept_projects]) + "。")
    if d.public_projects:
        n = len(d.public_projects)
        doc.para(f"公共项目支出{amt(pub_actual)}，涉及{n}个公共项目，各项目的预算和实际分配情况见本报告二（二）。")


def _staffing_sentence(d: Department, ys: str) -> str:
    st = d.staffing
    total = st.authorized_total
    if total is None and st.in_service is None:
        return ph("编制数、实有在职人数、离退休人数")
    parts = []
    if total is not None:
        s = f"人员编制数为{total}名"
        if st.authorized:
            s += "，其中：" + "、".join(f"{k}{v}名" for k, v in st.authorized.items())
        parts.append(s)
    else:
        parts.append(ph("编制数"))
    tail = f"截至{ys}年12月31日，实有在职人数{fmt_count(st.in_service) if st.in_service is not None else ph('在职人数')}人"
    if st.other_employees:
        tail += f"，其他雇员{st.other_employees}人"
    if st.retired is not None:
        tail += f"；年末离退休人员{st.retired}名"
    parts.append(tail)
    return "。".join(parts) + "。"


# 二、一般公共预算支出情况 ----------------------------------------------------------------

def _general_budget(doc: _Doc, ev: Evaluation, ys: str):
    d = ev.department
    sp = d.spending
    prior = f"{int(ys) - 1}年" if ys.isdigit() else "上年"
    doc.heading1("一般公共预算支出情况")
    doc.heading(2, "（一）基本支出")
    doc.heading(3, "1.基本支出的主要用途、范围")
    text = ("基本支出是为保障机构正常运转、完成日常工作任务而安排的支出，分为人员经费和公用经费两部分。"
            f"{ys}年基本支出年初预算{amt(sp.basic.initial, '基本支出年初预算')}，全年实际支出")
    parts = [(b.name, b.actual) for b in sp.basic_parts]
    text += (composition(sp.basic.actual, parts) if parts else amt(sp.basic.actual, "基本支出决算")) + "。"
    text += "基本支出" + change_phrase(sp.basic.actual, sp.basic.prior_actual, f"{prior}决算") + "。"
    reason = narrative(d, "basic_reason")
    text += ("变动的主要原因：" + "".join(reason)) if reason else ph("基本支出变动的主要原因")
    doc.para(text)
    doc.heading(3, "2.资金管理情况")
    doc.paras(narrative(d, "fund_mgmt"))
    tp = d.three_public
    budget, actual = tp.total("budget"), tp.total("actual")
    s = f"{ys}年“三公”经费预算" + composition(budget, [(i.name, i.budget) for i in tp.items])
    s += "；全年实际支出" + composition(actual, [(i.name, i.actual) for i in tp.items]) + "。"
    if budget is not None and actual is not None:
        diff = q2(budget) - q2(actual)
        if diff >= 0:
            s += f"“三公”经费支出控制在预算以内，较预算节约{fmt_amount(diff)}万元。"
        else:
            s += f"“三公”经费支出超出预算{fmt_amount(-diff)}万元。"
    pf = d.public_funds
    if pf.actual is not None:
        s += f"公用经费全年支出{amt(pf.actual)}"
        if pf.prior_actual is not None:
            s += "，" + change_phrase(pf.actual, pf.prior_actual, f"{prior}决算")
        s += "。"
    s += "“三公”经费明细见下表："
    doc.para(s)
    doc.add(_three_public_table(d, ys, prior))
    doc.heading(2, "（二）项目支出")
    doc.para("项目支出是为完成特定行政工作任务或事业发展目标，在基本支出之外安排的支出。")
    doc.heading(3, "1.项目资金安排落实、总投入等情况分析")
    dp, pp = d.dept_projects, d.public_projects
    if dp:
        ini, act = _sum(_initial(p) for p in dp), _col(dp, "actual")
        adj = _sum(_adjustment(p) for p in dp)
        full = _sum(_full_year(p) for p in dp)
        doc.para(f"部门项目：{ys}年度部门项目年初预算{amt(ini)}，预算调整{num(adj or Decimal(0))}万元，"
                 f"全年预算{amt(full)}，全年支出{amt(act)}，共{len(dp)}个项目。")
    else:
        doc.para(f"部门项目：{ph('部门项目的预算和支出')}")
    if pp:
        ini, act = _sum(_initial(p) for p in pp), _col(pp, "actual")
        adj = _sum(_adjustment(p) for p in pp)
        full = _sum(_full_year(p) for p in pp)
        s = (f"公共项目：{ys}年度公共项目年初预算{amt(ini)}，年中追加及调整{num(adj or Decimal(0))}万元，"
             f"全年预算{amt(full)}，实际分配{amt(act)}")
        if full:
            s += f"，执行率{fmt_rate(exact_rate(act, full))}（{rate_trace(act or Decimal(0), full)}）"
        s += f"，共{len(pp)}个项目。资金安排及投入情况见下表："
        doc.para(s)
        doc.add(_public_table(pp))
        chart = _budget_chart("public_projects", "公共项目全年预算与实际分配", pp, "实际分配")
        if chart:
            doc.add(Figure(chart))
    doc.heading(3, "2.项目资金实际使用情况分析")
    if dp:
        full = _sum(_full_year(p) for p in dp)
        act = _col(dp, "actual")
        s = f"截至{ys}年12月31日，部门项目支出{amt(act)}"
        if full:
            s += f"，资金使用率{fmt_rate(exact_rate(act, full))}（{rate_trace(act or Decimal(0), full)}）"
        doc.para(s + "。部门项目资金使用情况见下表：")
        doc.add(_dept_table(dp))
        chart = _budget_chart("dept_projects", "部门项目全年预算与决算", dp, "决算")
        if chart:
            doc.add(Figure(chart))
    unallocated = [p for p in pp if p.actual is not None and q2(p.actual) == 0 and (_full_year(p) or 0) > 0]
    if unallocated:
        s = (f"公共项目中有{len(unallocated)}个项目全年未分配资金，全年预算"
             + composition(_sum(_full_year(p) for p in unallocated), [(p.name, _full_year(p)) for p in unallocated])
             + "。")
        doc.para(s)
    structure = _structure_chart(d)
    if structure:
        doc.add(Figure(structure))
    doc.heading(3, "3.项目总支出较上年比较及原因分析")
    proj = sp.projects
    s = f"{ys}年项目支出（含部门项目和公共项目）{amt(proj.actual, '项目支出决算')}，"
    s += change_phrase(proj.actual, proj.prior_actual, f"{prior}项目支出") + "。"
    reason = narrative(d, "project_change_reason")
    s += ("主要原因：" + "".join(reason)) if reason else ph("项目支出变动的主要原因")
    doc.para(s)
    doc.heading(3, "4.项目资金管理情况分析")
    doc.paras(narrative(d, "project_fund_mgmt") or [ph("项目资金管理制度的制定和执行情况")])


def _three_public_table(d: Department, ys: str, prior: str) -> Table:
    tp = d.three_public
    head = (Cell("序号", bold=True), Cell("项目", bold=True), Cell(f"{prior}决算数", bold=True),
            Cell(f"{ys}年预算数", bold=True), Cell(f"{ys}年决算数", bold=True),
            Cell("与上年决算数相比变动比例", bold=True), Cell("变动原因", bold=True))
    rows = [head]
    for i, it in enumerate(tp.items, 1):
        rows.append((Cell(str(i)), Cell(it.name, align="left"), _n(it.prior_actual), _n(it.budget), _n(it.actual),
                     _r(_change(it.actual, it.prior_actual)), Cell(it.reason, align="left")))
    pa, b, a = (_sum(getattr(i, k) for i in tp.items) for k in ("prior_actual", "budget", "actual"))
    rows.append((Cell("合计", colspan=2, bold=True), _n(pa), _n(b), _n(a), _r(_change(a, pa)), Cell("")))
    return Table("three_public", tuple(rows), (7, 22, 12, 12, 12, 14, 28), caption="“三公”经费支出情况表")


def _change(cur, prior) -> Decimal | None:
    if cur is None or prior is None or q2(prior) == 0:
        return None
    from ..money import change_rate

    return change_rate(q2(cur), q2(prior))


def _n(x: Decimal | None) -> Cell:
    return Cell(num(x), align="right", value=None if x is None else q2(x), number_format="#,##0.00")


def _r(x: Decimal | None) -> Cell:
    return Cell(pct(x), align="right", value=x, number_format='0.00"%"')


def _public_table(pp: list[Project]) -> Table:
    head = tuple(Cell(t, bold=True) for t in ("序号", "预算项目", "年初预算数", "预算追加及调整数", "全年预算数",
                                                "实际分配资金", "指标文号"))
    rows = [head]
    for i, p in enumerate(pp, 1):
        rows.append((Cell(str(i)), Cell(p.name, align="left"), _n(_initial(p)), _adj_cell(p),
                     _n(_full_year(p)), _n(p.actual), Cell(p.doc_no, align="left")))
    rows.append((Cell("合计", colspan=2, bold=True), _n(_sum(_initial(p) for p in pp)), _n(_sum(_adjustment(p) for p in pp)),
                 _n(_sum(_full_year(p) for p in pp)), _n(_col(pp, "actual")), Cell("")))
    return Table("public_projects", tuple(rows), (6, 21, 10, 10, 10, 10, 33), caption="公共项目资金安排及投入情况表",
                 small=True)


def _dept_table(dp: list[Project]) -> Table:
    head = tuple(Cell(t, bold=True) for t in ("预算名称", "年初预算金额", "预算调整金额", "全年预算金额", "决算金额",
                                                "预、决算差额", "差异原因"))
    rows = [head]
    for p in dp:
        full = _full_year(p)
        diff = None if full is None or p.actual is None else q2(full) - q2(p.actual)
        rows.append((Cell(p.name, align="left"), _n(_initial(p)), _n(_adjustment(p)),
                     _n(full), _n(p.actual), _n(diff), Cell(p.variance_reason, align="left")))
    full = _sum(_full_year(p) for p in dp)
    act = _col(dp, "actual")
    # a row without its 差额 would make the 合计 差额 disagree with the column: leave it blank then
    incomplete = any(_full_year(p) is None or p.actual is None for p in dp)
    rows.append((Cell("合计", bold=True), _n(_sum(_initial(p) for p in dp)), _n(_sum(_adjustment(p) for p in dp)),
                 _n(full),
                 _n(act), _n(None if full is None or act is None or incomplete else full - act), Cell("")))
    return Table("dept_projects", tuple(rows), (24, 11, 11, 11, 11, 11, 21), caption="部门项目资金使用情况表")


#: more bars than this do not fit a page: the chart shows the largest projects by 全年预算
CHART_MAX_BARS = 25


def _budget_chart(key: str, title: str, projects: list[Project], actual_label: str) -> ChartSpec | None:
    if not projects:
        return None
    if len(projects) > CHART_MAX_BARS:
        ranked = sorted(range(len(projects)), key=lambda i: (-(_full_year(projects[i]) or 0), i))
        keep = sorted(ranked[:CHART_MAX_BARS])
        projects = [projects[i] for i in keep]
        title += f"（全年预算最大的{CHART_MAX_BARS}个项目）"
    return ChartSpec(key=key, title=title, labels=tuple(p.name for p in projects),
                     series=(("全年预算", tuple(None if _full_year(p) is None else q2(_full_year(p)) for p in projects)),
                             (actual_label, tuple(None if p.actual is None else q2(p.actual) for p in projects))))


def _structure_chart(d: Department) -> ChartSpec | None:
    sp = d.spending
    dept = _col(d.dept_projects, "actual") if d.dept_projects else sp.dept_projects.actual
    pub = _col(d.public_projects, "actual") if d.public_projects else sp.public_projects.actual
    items = [(b.name, b.actual) for b in sp.basic_parts if b.actual is not None]
    if not items and sp.basic.actual is not None:
        items = [("基本支出", sp.basic.actual)]
    items += [("部门项目支出", dept), ("公共项目支出", pub)]
    items = [(n, q2(v)) for n, v in items if v is not None]
    if len(items) < 2:
        return None
    return ChartSpec(key="structure", title="部门整体支出结构（决算）", labels=tuple(n for n, _ in items),
                     series=(("决算", tuple(v for _, v in items)),), percent_of_total=True)


# 三、项目组织实施情况 ------------------------------------------------------------------

def _project_org(doc: _Doc, ev: Evaluation):
    d = ev.department
    doc.heading1("项目组织实施情况")
    doc.heading(2, "（一）项目组织情况分析")
    doc.paras(narrative(d, "project_org") or [ph("项目的组织分工、立项和实施方式")])
    doc.heading(2, "（二）项目管理情况分析")
    doc.paras(narrative(d, "project_mgmt") or [ph("项目管理制度建设和日常监督检查情况")])
    if d.undertakings:
        doc.para(f"项目承担单位资金使用情况：共{len(d.undertakings)}个承担单位填报了下达和实际支出金额。")
        for u in d.undertakings:
            s = f"{u.unit}承担的“{u.project}”，下达资金{amt(u.allocated, '下达金额')}，实际支出{amt(u.spent, '实际支出')}"
            if u.allocated and u.spent is not None and q2(u.allocated) != 0:
                s += f"，执行率{fmt_rate(exact_rate(u.spent, u.allocated))}（{rate_trace(u.spent, u.allocated)}）"
            s += "。" + (u.note.rstrip("。") + "。" if u.note else "")
            doc.para(s)


# 四、资产管理情况 ---------------------------------------------------------------------

def _assets(doc: _Doc, d: Department, ys: str):
    doc.heading1("资产管理情况")
    doc.heading(2, "（一）资产总体情况")
    a = d.assets
    if not a.lines:
        doc.para(ph("资产总额及构成"))
    else:
        total = a.get("资产总额")
        if total is not None:
            doc.para(f"{ys}年末资产总额{amt(total.end, '年末资产总额')}，" +
                     change_phrase(total.end, total.prior_end, "上年末") + "。")
        for line in a.lines:
            if line.name == "资产总额":
                continue
            s = f"{line.name}年末{amt(line.end, line.name + '年末数')}"
            if line.prior_end is not None and line.end is not None:
                s += "，" + change_phrase(line.end, line.prior_end, "上年末")
            if line.added is not None or line.reduced is not None:
                s += f"；本年新增{num(line.added) or '0.00'}万元，减少{num(line.reduced) or '0.00'}万元"
            if line.note:
                s += f"（{line.note}）"
            doc.para(s + "。")
    doc.heading(2, "（二）固定资产的配置、管理、处置等综合情况")
    doc.paras(narrative(d, "asset_mgmt") or [ph("资产配置、使用、处置的制度和执行情况")])


# 八、部门整体支出绩效情况 -----------------------------------------------------------

def _performance(doc: _Doc, ev: Evaluation, ys: str):
    d = ev.department
    sc = ev.score
    doc.heading1("部门整体支出绩效情况")
    doc.paras(narrative(d, "performance"))
    dims = list(OrderedDict.fromkeys(i.level1 for i in sc.items if i.status != "not_applicable"))
    s = f"对照{sc.framework}，从{'、'.join(dims)}等方面对{ys}年度部门整体支出绩效进行了自评，"
    if sc.grade and not sc.pending:
        s += f"自评得分{fmt_amount(sc.total)}分（满分{fmt_amount(sc.max_total)}分），绩效等级为“{sc.grade}”。"
    else:
        scored = fmt_amount(sc.total) if sc.total is not None else "0.00"
        s += (f"尚有{len(sc.pending)}项指标待评（{'、'.join(sc.pending)}），已评部分得分{scored}分"
              f"（满分{fmt_amount(sc.max_total)}分），待全部评分后确定绩效等级。")
    doc.para(s + "各项指标情况如下：")
    used: set[str] = set()
    for k, dim in enumerate(dims, 1):
        doc.heading(2, f"（{cn_num(k)}）{dim}")
        n = 0
        for item in sc.items:
            if item.level1 != dim or item.status == "not_applicable":
                continue
            n += 1
            ind = ev.indicators.get(item.source)
            if ind is not None:
                used.add(ind.id)
            doc.heading(3, f"{n}.{item.level3}")
            doc.para(_item_sentence(item, ind))
    rest = [i for k, i in ev.indicators.items() if k not in used]
    computed = [i for i in rest if i.computable and i.value is not None]
    missing = [i for i in rest if not (i.computable and i.value is not None)]
    if computed or missing or d.kpis:
        k = len(dims) + 1
        doc.heading(2, f"（{cn_num(k)}）其他指标和履职目标完成情况")
        n = 0
        for ind in computed:
            n += 1
            doc.heading(3, f"{n}.{ind.name}")
            doc.para(_indicator_sentence(ind))
        if missing:
            n += 1
            doc.heading(3, f"{n}.因数据不全未计算的指标")
            doc.para("以下指标因基础数据表缺少相关数据未计算，补齐数据后可重新生成：" + "；".join(
                f"{i.name}（{(i.reason or '原因不详').rstrip('。')}）" for i in missing) + "。")
        if d.kpis:
            n += 1
            doc.heading(3, f"{n}.履职目标完成情况")
            free = [kp for kp in d.kpis if _val(kp.target) == ""]
            for kp in d.kpis:
                if kp in free:
                    continue
                act = _val(kp.actual)
                note = kp.note.rstrip("。")
                doc.para(f"{kp.name}：目标值{_val(kp.target)}{kp.unit}，实际完成"
                         f"{act + kp.unit if act else ph('完成值')}" + (f"（{note}）" if note else "") + "。")
            if free:
                doc.para("未设定目标值的履职成果：" + "；".join(
                    f"{kp.name}{_val(kp.actual) + kp.unit if _val(kp.actual) else ph('完成值')}" for kp in free) +
                    "。" + ph("如有年度目标值，请在基础数据表“履职目标”中补充"))


def _val(v) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, Decimal):
        return fmt_count(v)
    return str(v)


def _indicator_sentence(ind: Indicator) -> str:
    if not ind.computable or ind.value is None:
        return f"{ind.name}无法计算：{ind.reason or ph('原因')}。"
    value = fmt_rate(ind.value) if ind.unit == "%" else f"{fmt_amount(ind.value)}{ind.unit}"
    s = f"{ind.name}为{value}"
    if ind.formula:
        s += f"，计算过程：{ind.formula}"
    return s + "。"


def _item_sentence(item, ind: Indicator | None) -> str:
    parts = []
    if ind is not None:
        parts.append(_indicator_sentence(ind))
    if item.status == "pending" or item.score is None:
        parts.append(f"本项分值{fmt_amount(item.weight)}分，待评。")
    else:
        parts.append(f"本项分值{fmt_amount(item.weight)}分，得分{fmt_amount(item.score)}分。")
    if item.basis:
        parts.append(f"评分依据：{item.basis.rstrip('。')}。")
    return "".join(parts)


# 九、存在的问题；十、改进措施 ----------------------------------------------------------

def _problems(doc: _Doc, ev: Evaluation):
    doc.heading1("存在的问题及原因分析")
    groups: OrderedDict[str, list] = OrderedDict()
    for f in ev.findings:
        groups.setdefault(f.category or "其他", []).append(f)
    for k, (cat, items) in enumerate(groups.items(), 1):
        doc.heading(2, f"（{cn_num(k)}）{cat}{'' if cat.endswith('方面') else '方面'}")
        for n, f in enumerate(items, 1):
            doc.para(f"{n}.{f.message}")
    extra = narrative(ev.department, "problems")
    if extra:
        doc.paras(extra)
    if not groups and not extra:
        doc.para("根据填报数据，未发现需要列示的问题。" + ph("其他需要说明的问题及原因；没有时删除本句"))


def _measures(doc: _Doc, ev: Evaluation):
    doc.heading1("下一步改进措施")
    seen: list[str] = []
    for f in ev.findings:
        if f.improvement and f.improvement not in seen:
            seen.append(f.improvement)
    for n, text in enumerate(seen, 1):
        doc.para(f"{n}.{text}")
    extra = narrative(ev.department, "measures")
    if extra:
        doc.paras(extra)
    if not seen and not extra:
        doc.para(ph("下一步改进措施"))
