"""八、部门整体支出绩效情况: the score and grade as a department states them, then the framework's
dimensions in the department's voice — each chosen indicator once with its calculation, the
qualitative items from the evaluator's 依据, 预决算信息公开 from the disclosure dates, and the
achievements from 履职目标 as a table. Indicators the framework does not use go to the to-do
list's reference part; indicators that could not be computed go to the to-do list."""

from __future__ import annotations

import re
from collections import OrderedDict
from decimal import Decimal

from ...indicators import kpi_met
from ...money import fmt_amount, fmt_rate
from ...results import Evaluation, Indicator, ScoreItem
from ..blocks import Cell, Figure, Table
from ..charts import ChartSpec
from ..doc import Doc, narrative
from ..text import cn_num, fmt_date, fmt_qty


def points(x: Decimal | None) -> str:
    """A score or weight as a department writes it: 68 → '68', 61.76 → '61.76'."""
    if x is None:
        return ""
    return str(int(x)) if x == x.to_integral_value() else fmt_amount(x)


def score_statement(ev: Evaluation) -> str:
    """'自评得分95.32分，绩效等级为“优”' — or, while items are pending, the score against the points
    already scored ('已评68分中得61.76分'), never against 100."""
    sc = ev.score
    if not sc.pending and sc.total is not None and sc.grade:
        return f"自评得分{fmt_amount(sc.total)}分，部门整体支出绩效等级为“{sc.grade}”"
    scored = sum((i.weight for i in sc.items if i.status == "scored" and i.score is not None), Decimal(0))
    pending_w = sum(
        (
            i.weight
            for i in sc.items
            if i.status == "pending" or (i.status != "not_applicable" and i.score is None)
        ),
        Decimal(0),
    )
    got = sc.total if sc.total is not None else Decimal(0)
    if scored == 0:
        return f"各项指标尚待评分（共{points(pending_w)}分）"
    return (
        f"已评{points(scored)}分中得{fmt_amount(got)}分，另有{len(sc.pending)}项指标（共{points(pending_w)}分）"
        f"待评，得分和绩效等级待全部评定后确定"
    )


def chosen_indicator_ids(ev: Evaluation) -> set[str]:
    return {i.source for i in ev.score.items if i.source in ev.indicators and i.status != "not_applicable"}


def performance(doc: Doc, ev: Evaluation, ys: str):
    d = ev.department
    sc = ev.score
    doc.heading1("部门整体支出绩效情况")
    doc.paras(narrative(d, "performance"))
    dims = list(OrderedDict.fromkeys(i.level1 for i in sc.items if i.status != "not_applicable"))
    who = d.name or "本部门"
    doc.para(
        f"{who}从{'、'.join(dims)}等方面对{ys}年度部门整体支出绩效进行了自评，{score_statement(ev)}。"
        "主要绩效如下："
    )
    chart = dimension_chart(ev)
    if chart:
        doc.add(Figure(chart))
    for k, dim in enumerate(dims, 1):
        doc.heading(2, f"（{cn_num(k)}）{dim}{'' if dim.endswith('方面') else '方面'}")
        n = 0
        for item in sc.items:
            if item.level1 != dim or item.status == "not_applicable":
                continue
            n += 1
            doc.heading(3, f"{n}.{item.level3}")
            _item(doc, ev, item, ys)


def _item(doc: Doc, ev: Evaluation, item: ScoreItem, ys: str):
    d = ev.department
    where_score = f"基础数据表“定性评分”中“{item.level3}”一行"
    if item.status == "pending" or item.score is None:
        doc.note("score", f"“{item.level1}—{item.level3}”（分值{points(item.weight)}分）待评分", where_score)
    ind = ev.indicators.get(item.source)
    if item.rule == "kpi" or item.source.startswith("kpi"):
        if doc.kpis_shown:  # one table, once: a second kpi item refers to it
            doc.para("履职目标完成情况见上表。")
        else:
            kpi_block(doc, ev)
            doc.kpis_shown = True
        return
    if ind is not None:
        if ind.computable and ind.value is not None:
            doc.para(indicator_sentence(ind, ys))
        else:
            doc.note(
                "data",
                f"{ind.name}未计算：{(ind.reason or '缺少数据').rstrip('。')}",
                "基础数据表（见原因所列数据）",
            )
            doc.para(doc.placeholder(f"{item.level3}情况"))
        return
    if "公开" in item.level3:
        s = disclosure_sentence(d, ys)
        if s:  # the dates say it; the evaluator's note would repeat them
            doc.para(s)
            return
    if item.basis and item.status == "scored":
        doc.para(_basis(item.basis))
    else:  # the evaluator's 依据 becomes this paragraph once the item is scored
        doc.para(
            doc.placeholder(
                f"{item.level3}情况",
                where=f"基础数据表“定性评分”中“{item.level3}”一行的“依据”"
                "（评分后自动写入此处），或直接在报告中撰写",
            )
        )


#: the scorer's band label ('评价档次“好”（分值的80%–100%）；') that prefixes a qualitative basis
_BAND = re.compile(r"^评价档次“[^”]*”（[^）]*）[；;，,]?")


def _basis(text: str) -> str:
    """The evaluator's 依据 as the department's sentence (without the scorer's band label)."""
    t = _BAND.sub("", text.strip()).strip()
    return t if t.endswith(("。", "！", "；")) else t + "。"


def indicator_sentence(ind: Indicator, ys: str = "") -> str:
    value = fmt_rate(ind.value) if ind.unit == "%" else f"{fmt_amount(ind.value)}{ind.unit}"
    s = f"{ys}年{ind.name}为{value}" if ys else f"{ind.name}为{value}"
    if ind.formula:
        s += f"，具体计算：{ind.formula}"
    return s + "。"


def disclosure_sentence(d, ys: str) -> str:
    """预决算信息公开 from the 基本信息 dates: what was published, and when."""
    y = int(ys) if ys.isdigit() else None
    parts = []
    if d.budget_disclosed:
        parts.append(f"于{fmt_date(d.budget_disclosed)}公开了{ys}年度部门预算")
    if d.final_disclosed:
        parts.append(f"于{fmt_date(d.final_disclosed)}公开了{y - 1 if y else '上'}年度部门决算")
    if d.prior_report_disclosed:
        parts.append(
            f"于{fmt_date(d.prior_report_disclosed)}公开了{y - 1 if y else '上'}年度部门整体支出绩效自评报告"
        )
    if not parts:
        return ""
    return "按照财政部门的统一部署，" + "，".join(parts) + "。"


def kpi_block(doc: Doc, ev: Evaluation):
    """The achievements (履职目标): a sentence with the counts, then a table grouped into targets
    set for the year and other achievements; values with thousands separators."""
    d = ev.department
    kpis = list(d.kpis)
    if not kpis:
        doc.para(doc.placeholder("年度履职目标及完成情况"))
        doc.note("data", "未填写履职目标", "基础数据表“履职目标”")
        return
    judged = [(k, kpi_met(k)) for k in kpis]
    targeted = [(k, m) for k, m in judged if m is not None]
    others = [k for k, m in judged if m is None]
    met = sum(1 for _, m in targeted if m)
    # counts in separate clauses (never '其中'): they are not parts of one total
    parts = []
    if targeted:
        parts.append(
            f"设定年度目标值的履职目标{len(targeted)}项，"
            + ("已全部完成" if met == len(targeted) else f"已完成{met}项、未完成{len(targeted) - met}项")
        )
    if others:
        parts.append(f"未设年度目标值的履职成果{len(others)}项")
    s = f"{ev.department.year or '本'}年度" + "；".join(parts)
    doc.para(s + "。主要完成情况见下表：")
    rows = [tuple(Cell(t, bold=True) for t in ("序号", "履职目标", "年度目标值", "实际完成值", "完成情况"))]
    n = 0
    for title, group in (("设定年度目标值的履职目标", [k for k, _ in targeted]), ("其他履职成果", others)):
        if not group:
            continue
        if targeted and others:
            rows.append((Cell(title, colspan=5, align="left", bold=True),))
        for k in group:
            n += 1
            m = kpi_met(k)
            state = "已完成" if m else ("未完成" if m is False else "—")
            rows.append(
                (
                    Cell(str(n), value=n, number_format="0"),
                    Cell(k.name, align="left"),
                    _qty_cell(k.target, k.unit),
                    _qty_cell(k.actual, k.unit),
                    Cell(state),
                )
            )
    no_target = [k.name for k in others if k.target is None or k.target == ""]
    if no_target:
        doc.note(
            "check",
            f"{len(no_target)}项履职目标没有年度目标值，表中列为其他履职成果；有目标值的请补填："
            + "、".join(no_target),
            "基础数据表“履职目标”“目标值”列",
        )
    doc.add(
        Table(
            "kpis",
            tuple(rows),
            (7, 45, 16, 16, 16),
            caption="履职目标完成情况表",
            unit="",
            small=True,
            sheet="履职目标",
        )
    )


def _qty_cell(v, unit: str) -> Cell:
    text = fmt_qty(v)
    if not text:
        return Cell("", align="right")
    num = v if isinstance(v, Decimal) else None
    return Cell(
        text + (unit or ""), align="right", value=num, number_format="#,##0.##" if num is not None else ""
    )


def dimension_chart(ev: Evaluation) -> ChartSpec | None:
    """分值 and 得分 by dimension; a dimension with an item still pending has no 得分 bar (never 0)."""
    sc = ev.score
    dims: OrderedDict[str, list[ScoreItem]] = OrderedDict()
    for i in sc.items:
        if i.status != "not_applicable":
            dims.setdefault(i.level1, []).append(i)
    if len(dims) < 2:
        return None
    labels, weights, scores = [], [], []
    for name, items in dims.items():
        pending = any(i.score is None for i in items)
        labels.append(name + ("（待评）" if pending else ""))
        weights.append(sum((i.weight for i in items), Decimal(0)))
        scores.append(None if pending else sum((i.score for i in items), Decimal(0)))
    if all(s is None for s in scores):
        return None
    return ChartSpec(
        key="dimensions",
        title="各评价维度分值与得分",
        labels=tuple(labels),
        series=(("分值", tuple(weights)), ("得分", tuple(scores))),
        unit="分",
    )
