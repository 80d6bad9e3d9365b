"""二、一般公共预算支出情况: 基本支出 (uses, 三公经费 and 公用经费), 项目支出 (arrangement, use,
change on last year, management), with the three tables and the project charts."""

from __future__ import annotations

from ...money import fmt_amount, fmt_rate, q2
from ..blocks import Figure
from ..cells import adjustment, col, full_sum, full_year, initial
from ..doc import Doc, narrative
from ..text import amt, change_phrase, composition, exact_rate, rate_trace
from .figures import budget_chart, dept_table, public_table, three_public_table


def general_budget(doc: Doc, ys: str):
    d = doc.d
    sp = d.spending
    prior = f"{int(ys) - 1}年" if ys.isdigit() else "上年"
    doc.heading1("一般公共预算支出情况")
    doc.heading(2, "（一）基本支出")
    doc.heading(3, "1.基本支出的主要用途、范围")
    text = "基本支出是为保障机构正常运转、完成日常工作任务而安排的支出，分为人员经费和公用经费两部分。"
    facts = []
    if sp.basic.initial is not None:
        facts.append(f"{ys}年基本支出年初预算{amt(sp.basic.initial)}")
    if sp.basic.actual is not None:
        parts = [(b.name, b.actual) for b in sp.basic_parts]
        facts.append(
            "全年实际支出" + (composition(sp.basic.actual, parts) if parts else amt(sp.basic.actual))
        )
    if facts:
        text += "，".join(facts) + "。"
    if sp.basic.actual is not None and sp.basic.prior_actual is not None:
        text += "基本支出" + change_phrase(sp.basic.actual, sp.basic.prior_actual, f"{prior}决算") + "。"
        reason = narrative(d, "basic_reason")
        text += (
            ("变动的主要原因：" + "".join(reason))
            if reason
            else doc.placeholder("基本支出变动的主要原因", "基本支出变动原因")
        )
    doc.para(text)
    doc.heading(3, "2.资金管理情况")
    doc.paras(narrative(d, "fund_mgmt"))
    _three_public(doc, ys, prior)
    doc.heading(2, "（二）项目支出")
    doc.para("项目支出是为完成特定行政工作任务或事业发展目标，在基本支出之外安排的支出。")
    doc.heading(3, "1.项目资金安排落实、总投入等情况分析")
    _arrangement(doc, ys)
    doc.heading(3, "2.项目资金实际使用情况分析")
    _use(doc, ys)
    doc.heading(3, "3.项目总支出较上年比较及原因分析")
    proj = sp.projects
    if proj.actual is not None and proj.prior_actual is not None:
        s = (
            f"{ys}年项目支出（含部门项目和公共项目）{amt(proj.actual)}，"
            + change_phrase(proj.actual, proj.prior_actual, f"{prior}项目支出")
            + "。"
        )
        reason = narrative(d, "project_change_reason")
        s += (
            ("主要原因：" + "".join(reason))
            if reason
            else doc.placeholder("项目支出变动的主要原因", "项目支出变动原因")
        )
        doc.para(s)
    elif proj.actual is not None:
        doc.para(f"{ys}年项目支出（含部门项目和公共项目）{amt(proj.actual)}。")
        doc.note(
            "data", "未填上年项目支出决算，报告未写项目支出较上年的变化", "基础数据表“支出总表”“项目支出”行"
        )
    else:
        doc.para(doc.placeholder("项目支出总额及较上年的变化"))
    doc.heading(3, "4.项目资金管理情况分析")
    doc.paras(doc.narrative("project_fund_mgmt", "项目资金管理制度的制定和执行情况", "项目资金管理"))


def _three_public(doc: Doc, ys: str, prior: str):
    d = doc.d
    tp = d.three_public
    budget, actual = tp.total("budget"), tp.total("actual")
    s = ""
    if budget is not None:
        s += f"{ys}年“三公”经费预算" + composition(budget, [(i.name, i.budget) for i in tp.items])
    if actual is not None:
        s += (
            ("；" if s else f"{ys}年“三公”经费")
            + "全年实际支出"
            + composition(actual, [(i.name, i.actual) for i in tp.items])
        )
    if s:
        s += "。"
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
    if tp.items:
        s += "“三公”经费明细见下表："
    if s:
        doc.para(s)
    if tp.items:
        doc.add(three_public_table(d, ys, prior))


def _arrangement(doc: Doc, ys: str):
    d = doc.d
    dp, pp = d.dept_projects, d.public_projects
    if dp:
        doc.para(_budget_sentence("部门项目", ys, dp, "全年支出", "预算调整") + f"，共{len(dp)}个项目。")
    if pp:
        s = _budget_sentence("公共项目", ys, pp, "实际分配", "年中追加及调整")
        full, act = full_sum(full_year(p) for p in pp), col(pp, "actual")
        if full and act is not None:
            s += f"，执行率{fmt_rate(exact_rate(act, full))}（{rate_trace(act, full)}）"
        doc.para(s + f"，共{len(pp)}个项目。资金安排及投入情况见下表：")
        doc.add(public_table(pp))
        chart = budget_chart("public_projects", "公共项目全年预算与实际分配", pp, "实际分配")
        if chart:
            doc.add(Figure(chart))
    if not dp and not pp:
        doc.para(doc.placeholder("项目资金的安排和投入情况"))
        doc.note("data", "未填写部门项目和公共项目", "基础数据表“部门项目”“公共项目”")


def _budget_sentence(label: str, ys: str, projects, actual_word: str, adj_word: str) -> str:
    """'部门项目：2023年度部门项目年初预算…，预算调整…，全年预算…，全年支出…' — each figure only when
    every project has it (a total is never the sum of what happens to be filled)."""
    ini = full_sum(initial(p) for p in projects)
    adj = full_sum(adjustment(p) for p in projects)
    full = full_sum(full_year(p) for p in projects)
    act = col(projects, "actual")
    facts = []
    if ini is not None:
        facts.append(f"年初预算{amt(ini)}")
    # an adjustment is stated when one was typed or 年初 and 全年 differ: blank cells are not 0.00
    typed = any(p.adjustment is not None for p in projects)
    if adj is not None and ini is not None and full is not None and (typed or adj != 0):
        facts.append(f"{adj_word}{fmt_amount(adj)}万元")
    if full is not None:
        facts.append(f"全年预算{amt(full)}")
    if act is not None:
        facts.append(f"{actual_word}{amt(act)}")
    return f"{label}：{ys}年度{label}" + "，".join(facts) if facts else f"{label}：{ys}年度安排{label}"


def _use(doc: Doc, ys: str):
    d = doc.d
    dp, pp = d.dept_projects, d.public_projects
    if dp:
        full = full_sum(full_year(p) for p in dp)
        act = col(dp, "actual")
        s = (
            f"截至{ys}年12月31日，部门项目支出{amt(act)}"
            if act is not None
            else f"截至{ys}年12月31日，部门项目"
        )
        if full and act is not None:
            s += f"，资金使用率{fmt_rate(exact_rate(act, full))}（{rate_trace(act, full)}）"
        doc.para(s + "。部门项目资金使用情况见下表：")
        doc.add(dept_table(dp))
        chart = budget_chart("dept_projects", "部门项目全年预算与决算", dp, "决算")
        if chart:
            doc.add(Figure(chart))
    unallocated = [p for p in pp if p.actual is not None and q2(p.actual) == 0 and (full_year(p) or 0) > 0]
    if unallocated:
        s = (
            f"公共项目中有{len(unallocated)}个项目全年未分配资金，全年预算"
            + composition(
                full_sum(full_year(p) for p in unallocated), [(p.name, full_year(p)) for p in unallocated]
            )
            + "。"
        )
        doc.para(s)
