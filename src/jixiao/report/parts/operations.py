"""三、项目组织实施情况; 四、资产管理情况; 五–七、政府性基金 / 国有资本经营 / 社会保险基金预算支出."""

from __future__ import annotations

from ...money import fmt_amount, fmt_rate, q2
from ..doc import Doc
from ..text import amt, change_phrase, exact_rate, rate_trace


def project_org(doc: Doc):
    d = doc.d
    doc.heading1("项目组织实施情况")
    doc.heading(2, "（一）项目组织情况分析")
    doc.paras(doc.narrative("project_org", "项目的组织分工、立项和实施方式", "项目组织"))
    doc.heading(2, "（二）项目管理情况分析")
    doc.paras(doc.narrative("project_mgmt", "项目管理制度建设和日常监督检查情况", "项目管理"))
    known = [u for u in d.undertakings if u.allocated is not None and u.spent is not None]
    if known:
        doc.para(f"项目承担单位资金使用情况：共{len(known)}个承担单位的下达和实际支出金额如下。")
        for u in known:
            who = f"{u.unit}承担的" if u.unit else ""
            s = f"{who}“{u.project}”，下达资金{amt(u.allocated)}，实际支出{amt(u.spent)}"
            if q2(u.allocated) != 0:
                s += f"，执行率{fmt_rate(exact_rate(u.spent, u.allocated))}（{rate_trace(u.spent, u.allocated)}）"
            s += "。" + (u.note.rstrip("。") + "。" if u.note else "")
            doc.para(s)


def assets(doc: Doc, ys: str):
    d = doc.d
    doc.heading1("资产管理情况")
    doc.heading(2, "（一）资产总体情况")
    a = d.assets
    wrote = False
    total = a.get("资产总额")
    if total is not None and total.end is not None:
        s = f"{ys}年末资产总额{amt(total.end)}"
        if total.prior_end is not None:
            s += "，" + change_phrase(total.end, total.prior_end, "上年末")
        doc.para(s + "。")
        wrote = True
    for line in a.lines:
        if line.name == "资产总额" or line.end is None:
            continue
        s = f"{line.name}年末{amt(line.end)}"
        if line.prior_end is not None:
            s += "，" + change_phrase(line.end, line.prior_end, "上年末")
        moves = []
        if line.added is not None:
            moves.append(f"本年新增{fmt_amount(line.added)}万元")
        if line.reduced is not None:
            moves.append(f"减少{fmt_amount(line.reduced)}万元")
        if moves:
            s += "；" + "，".join(moves)
        if line.note:
            s += f"（{line.note}）"
        doc.para(s + "。")
        wrote = True
    if not wrote:
        doc.para(doc.placeholder("资产总额及构成"))
        doc.note("data", "资产表未填写年末数，报告未写资产情况", "基础数据表“资产”")
    doc.heading(2, "（二）固定资产的配置、管理、处置等综合情况")
    doc.paras(doc.narrative("asset_mgmt", "资产配置、使用、处置的制度和执行情况", "资产管理"))


def other_budgets(doc: Doc, ys: str):
    d = doc.d
    unit = d.name or "本部门"
    for label, value in (
        ("政府性基金预算支出", d.spending.gov_fund),
        ("国有资本经营预算支出", d.spending.state_capital),
        ("社会保险基金预算支出", d.spending.social_insurance),
    ):
        doc.heading1(f"{label}情况")
        if value is None or q2(value) == 0:
            doc.para(f"{ys}年度{unit}无{label}。")
            if value is None:
                doc.note(
                    "check",
                    f"“{label}”未填写，报告按无此项支出表述；如有支出请填写金额",
                    "基础数据表“支出总表”",
                )
        else:
            doc.para(f"{ys}年度{unit}{label}{amt(value)}。" + doc.placeholder(label + "的主要用途和使用情况"))
