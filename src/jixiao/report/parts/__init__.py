"""The report body, one module per part of the report's outline:

- ``overview``     一、部门概况
- ``budget``       二、一般公共预算支出情况 (tables and charts in ``figures``)
- ``operations``   三、项目组织实施 · 四、资产管理 · 五–七、其他预算支出
- ``performance``  八、部门整体支出绩效情况
- ``problems``     九、存在的问题及原因分析 · 十、下一步改进措施
- this module      the title and opening, 十一、结果应用和公开, 十二、其他

``build_body(ev) -> (blocks, todo)``: the public text and the preparer's to-do items, from one
pass over the data.
"""

from __future__ import annotations

from ...results import Evaluation
from ..blocks import Block
from ..doc import Doc, narrative
from ..todo import TodoItem
from .budget import general_budget
from .operations import assets, other_budgets, project_org
from .overview import overview
from .performance import performance
from .problems import measures, problems


def title_lines(ev: Evaluation) -> tuple[str, str]:
    """The title in two lines broken between the unit's name and the rest, never inside a word."""
    d = ev.department
    ys = str(d.year) if d.year else ""
    return d.name or "", f"{ys}年度部门整体支出绩效自评报告"


def build_body(ev: Evaluation) -> tuple[list[Block], list[TodoItem]]:
    d = ev.department
    doc = Doc(d)
    y = d.year
    ys = str(y) if y else "本"
    unit = d.name or "本部门"
    name, rest = title_lines(ev)
    doc.para(f"{name}\n{rest}" if name else rest, "title")
    doc.section = "开头"
    if not d.name:
        doc.note("data", "未填写单位名称", "基础数据表“基本信息”“单位名称”")
    pre = narrative(d, "preamble")
    if pre:
        doc.paras(pre)
    else:
        notice = d.notice_no
        basis = (
            f"按照财政部门关于开展部门整体支出绩效自评工作的通知（{notice}）要求"
            if notice
            else "按照财政部门关于开展部门整体支出绩效自评工作的要求"
        )
        if not notice:
            doc.note("check", "未填写评价通知文号，开头未引用通知", "基础数据表“基本信息”“评价通知文号”")
        doc.para(
            f"为加强预算绩效管理、提高财政资金使用效益，{basis}，{unit}对{ys}年度部门整体支出开展了绩效自评，"
            f"对照部门职责和年度工作目标，梳理了预算安排与执行、项目实施、资产管理和履职效果等情况。"
            f"现将自评情况报告如下："
        )
    overview(doc, ys)
    general_budget(doc, ys)
    project_org(doc)
    assets(doc, ys)
    other_budgets(doc, ys)
    performance(doc, ev, ys)
    groups = problems(doc, ev, ys)
    measures(doc, ev, groups)
    doc.heading1("绩效自评结果拟应用和公开情况")
    doc.heading(2, "（一）绩效自评结果拟应用情况")
    doc.paras(
        doc.narrative(
            "application", "自评结果的应用安排，如问题整改、与下年度预算安排挂钩、纳入内部考核等", "结果应用"
        )
    )
    doc.heading(2, "（二）绩效自评结果公开情况")
    doc.paras(narrative(d, "disclosure") or ["本报告按照财政部门的统一要求向社会公开，接受社会监督。"])
    doc.heading1("其他需要说明的情况")
    doc.paras(doc.narrative("other", "其他需要说明的情况（没有时写“无”）", "其他说明"))
    n = len(d.projects)
    doc.para("附件：1.基础数据表", "note")
    doc.para("2.部门整体支出绩效自评表", "note")
    doc.para(f"3.项目支出绩效自评表（{n}张）" if n else "3.项目支出绩效自评表", "note")
    return doc.blocks, doc.todo
