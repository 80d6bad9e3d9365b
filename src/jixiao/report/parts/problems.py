"""九、存在的问题及原因分析; 十、下一步改进措施.

Findings are grouped by cause (one problem per rule: all low-execution projects form one problem
with a table), stated neutrally in the department's voice with the reason the data gives or a
【待补充：原因】 to write. A finding that contradicts the score (its indicator scored full marks) is
not printed; it goes to the to-do list to check. Each measure answers one problem, once.
"""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from ...findings import CATEGORIES
from ...money import fmt_amount, fmt_rate
from ...results import Evaluation, Finding
from ..doc import Doc, narrative
from ..text import cn_num
from .figures import low_execution_table

#: a finding about an indicator: the framework item scoring that indicator decides whether it is a
#: problem (full marks → it is not one)
INDICATOR_OF = {
    "budget_adjustment_high": "budget_adjustment_rate",
    "three_public_low_execution": "three_public_control_rate",
    "three_public_over_budget": "three_public_control_rate",
    "public_funds_low_execution": "public_funds_control_rate",
    "staff_over_limit": "staff_control_rate",
    "satisfaction_low": "satisfaction_rate",
    "budget_execution_low": "budget_execution_rate",
}

#: the problem's title (one per cause) and the measure answering it
TITLES = {
    "budget_adjustment_high": ("年中预算调整较多", "进一步提高年初预算编制的精准度"),
    "budget_moved_between_projects": ("项目之间存在资金调剂", "进一步细化项目预算测算"),
    "project_unspent": ("部分项目预算全年未形成支出", "进一步加强项目前期论证和资金统筹"),
    "basic_over_budget": ("基本支出超出预算", "进一步做实基本支出预算"),
    "three_public_low_execution": ("“三公”经费预算执行率偏低", "进一步合理核定“三公”经费预算"),
    "public_funds_low_execution": ("公用经费预算执行率偏低", "进一步合理核定公用经费预算"),
    "three_public_over_budget": ("“三公”经费超出预算", "进一步严格“三公”经费管理"),
    "kpi_not_met": ("部分履职目标未完成", "进一步强化履职目标管理"),
    "staff_over_limit": ("在职人员超出编制", "进一步加强编制管理"),
    "satisfaction_low": ("服务对象满意度有待提高", "进一步提升服务质量"),
    "budget_execution_low": ("预算执行率偏低", "进一步加快预算执行"),
    "project_low_execution": ("部分项目预算执行率偏低", "进一步提高项目资金使用效率"),
    "undertaking_low_execution": ("个别项目承担单位资金使用率偏低", "进一步加强对项目承担单位的督导"),
    "project_over_budget": ("部分项目支出超出预算", "进一步严格按预算执行"),
    "asset_growth_high": ("资产规模变动较大", "进一步加强新增资产管理"),
}


def public_findings(doc: Doc, ev: Evaluation) -> OrderedDict[str, list[Finding]]:
    """Findings by rule, in 九's order, without those the score contradicts."""
    items = {i.source: i for i in ev.score.items if i.status == "scored" and i.score is not None}
    groups: OrderedDict[str, list[Finding]] = OrderedDict()
    for f in ev.findings:
        it = items.get(INDICATOR_OF.get(f.rule, ""))
        if it is not None and it.score >= it.weight:
            doc.note(
                "check",
                f"数据提示：{f.message.rstrip('。')}。该指标在评价中得满分，报告未列为问题；"
                "如确属问题请在报告中说明",
            )
            continue
        groups.setdefault(f.rule, []).append(f)
    return groups


def problems(doc: Doc, ev: Evaluation, ys: str) -> OrderedDict[str, list[Finding]]:
    doc.heading1("存在的问题及原因分析")
    groups = public_findings(doc, ev)
    own = narrative(ev.department, "problems")
    if own:  # the department's own summary opens the section and leads into the details
        doc.paras(_lead_in(own, "具体情况如下：") if groups else own)
    by_cat: OrderedDict[str, list[str]] = OrderedDict((c, []) for c in CATEGORIES)
    for rule, fs in groups.items():
        by_cat.setdefault(fs[0].category or "其他", []).append(rule)
    k = 0
    for cat, rules in by_cat.items():
        if not rules:
            continue
        k += 1
        doc.heading(2, f"（{cn_num(k)}）{cat}{'' if cat.endswith('方面') else '方面'}")
        for n, rule in enumerate(rules, 1):
            title = TITLES.get(rule, (groups[rule][0].subject, ""))[0]
            doc.heading(3, f"{n}.{title}")
            doc.problem = title
            _problem(doc, ev, rule, groups[rule], ys)
    if not groups and not own:
        doc.para(f"经自评，{ys}年度部门整体支出未发现需要列示的问题。")
        doc.note("check", "数据未显示问题：请核对是否有其他问题需要写入本节")
    return groups


def _reason(doc: Doc, known: list[str]) -> str:
    known = [r.strip().rstrip("。") for r in known if r and r.strip()]
    if known:
        return "主要原因：" + "；".join(dict.fromkeys(known)) + "。"
    # the placeholder names its problem: no two paragraphs of the report read the same
    return (
        "主要原因："
        + doc.placeholder(f"{doc.problem}的原因", kind="reason", task=f"写明问题“{doc.problem}”的原因")
        + "。"
    )


def _reasons_by_project(doc: Doc, pairs: list[tuple[str, str]]) -> str:
    """'主要原因：年度内未分配（甲、乙）；…' — projects grouped by the reason the workbook gives;
    projects without one get a single 【待补充：…】 naming them."""
    by_reason: OrderedDict[str, list[str]] = OrderedDict()
    missing = []
    for name, why in pairs:
        why = (why or "").strip().rstrip("。")
        if why:
            by_reason.setdefault(why, []).append(name)
        else:
            missing.append(name)
    if not by_reason:
        return _reason(doc, [])
    parts = [f"{why}（{'、'.join(names)}）" if len(pairs) > 1 else why for why, names in by_reason.items()]
    text = "主要原因：" + "；".join(parts)
    if missing:
        text += "；" + doc.placeholder(
            f"其余{len(missing)}个项目的原因",
            kind="reason",
            task=f"写明问题“{doc.problem}”中{len(missing)}个项目的原因：" + "、".join(missing),
        )
    return text + "。"


def _problem(doc: Doc, ev: Evaluation, rule: str, fs: list[Finding], ys: str):
    d = ev.department
    ev0 = fs[0].evidence
    if rule == "project_low_execution":
        byname = {p.name: p for p in d.projects}
        projs = [byname[f.subject] for f in fs if f.subject in byname]
        th = ev0.get("阈值")
        doc.para(
            f"{ys}年度有{len(projs)}个项目预算执行率低于{fmt_rate(th)}，详见下表："
            if th is not None
            else f"{ys}年度有{len(projs)}个项目预算执行率偏低，详见下表："
        )
        doc.add(low_execution_table(projs))
        doc.para(_reasons_by_project(doc, [(p.name, p.variance_reason) for p in projs]))
        return
    if rule == "project_unspent":
        names = [n for f in fs for n in f.evidence.get("项目", {})]
        total = sum((Decimal(f.evidence.get("全年预算合计") or 0) for f in fs), Decimal(0))
        kinds = "、".join(dict.fromkeys(f.subject for f in fs))
        doc.para(
            f"{ys}年度有{len(names)}个{kinds}全年未形成支出，涉及全年预算{fmt_amount(total)}万元："
            f"{'、'.join(names)}。"
        )
        byname = {p.name: p for p in d.projects}
        doc.para(
            _reasons_by_project(
                doc,
                [
                    (n, byname[n].variance_reason or byname[n].exclusion_reason if n in byname else "")
                    for n in names
                ],
            )
        )
        return
    if rule == "budget_moved_between_projects":
        for f in fs:
            ups = "、".join(f"{n}调增{fmt_amount(v)}万元" for n, v in f.evidence.get("调增项目", {}).items())
            downs = "、".join(
                f"{n}调减{fmt_amount(-v)}万元" for n, v in f.evidence.get("调减项目", {}).items()
            )
            doc.para(f"{f.subject}中，{ups}；同期{downs}。")
        doc.para(_reason(doc, []))
        return
    if rule == "budget_adjustment_high":
        doc.para(
            f"{ys}年年初预算{fmt_amount(ev0.get('年初预算数'))}万元，年中追加及调整"
            f"{fmt_amount(ev0.get('预算调整数'))}万元，预算调整率为{fmt_rate(ev0.get('预算调整率'))}。"
        )
        doc.para(_reason(doc, []))
        return
    if rule == "undertaking_low_execution":
        for f in fs:
            doc.para(_strip_lead(f.message))
        notes = [u.note for u in d.undertakings if u.note and any(u.project in f.subject for f in fs)]
        doc.para(_reason(doc, notes if len(notes) >= len(fs) else []))
        return
    if rule == "asset_growth_high":
        doc.para(_strip_advice(f"{ys}年末" + fs[0].message))
        main = max(
            (a for a in d.assets.parts() if a.end is not None and a.prior_end is not None),
            key=lambda a: a.end - a.prior_end,
            default=None,
        )
        doc.para(_reason(doc, [main.note] if main is not None and main.note else []))
        return
    if rule == "kpi_not_met":
        doc.para("；".join(_strip_lead(f.message).rstrip("。") for f in fs) + "。")
        doc.para(
            _reason(
                doc,
                [k.note for k in d.kpis if k.note and any(k.name == f.subject for f in fs)]
                if len(fs) == 1
                else [],
            )
        )
        return
    for f in fs:
        doc.para(_strip_advice(f.message))
    doc.para(_reason(doc, []))


def _strip_lead(text: str) -> str:
    """'项目承担单位资金使用率偏低：湖南大学…' → '湖南大学…' (the title already says it)."""
    head, sep, rest = text.partition("：")
    return rest if sep and len(head) <= 16 else text


def _strip_advice(text: str) -> str:
    """Drop a finding's self-instruction ('需说明原因并加强…') and judging tails: facts only."""
    for cut in ("，变动幅度较大", "，需说明", "，预算数明显", "，预算明显", "，基本支出预算编制"):
        i = text.find(cut)
        if i > 0:
            return text[:i] + "。"
    return text


def _lead_in(paras: list[str], tail: str) -> list[str]:
    """The last paragraph of a summary, ending in '具体情况如下：' (unless it already leads in)."""
    last = paras[-1].rstrip()
    if last.endswith(("：", ":")):
        return paras
    if not last.endswith(("。", "！", "；")):
        last += "。"
    return [*paras[:-1], last + tail]


def measures(doc: Doc, ev: Evaluation, groups: OrderedDict[str, list[Finding]]):
    doc.heading1("下一步改进措施")
    own = narrative(ev.department, "measures")
    if own:
        doc.paras(
            _lead_in(own, "具体措施如下：") if any(fs[0].improvement for fs in groups.values()) else own
        )
    n = 0
    for rule, fs in groups.items():
        text = fs[0].improvement
        if not text:
            continue
        n += 1
        doc.heading(3, f"{n}.{TITLES.get(rule, ('', '进一步加强管理'))[1]}")
        doc.para(text)
    if not n and not own:
        doc.para(doc.placeholder("下一步改进措施", "改进措施"))
