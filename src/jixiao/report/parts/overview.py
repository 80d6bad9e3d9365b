"""一、部门概况: functions, structure, staffing, priorities; the spending's size and composition."""

from __future__ import annotations

import re

from ...model import Department
from ...money import fmt_count
from ..blocks import Figure
from ..cells import project_actuals
from ..doc import Doc, narrative
from ..text import amt, composition
from .figures import structure_chart


def overview(doc: Doc, ys: str):
    d = doc.d
    doc.heading1("部门概况")
    doc.heading(2, "（一）部门基本情况")
    doc.heading(3, "1.主要职能职责")
    doc.paras(doc.narrative("functions", "部门主要职能职责"))
    doc.heading(3, "2.机构设置情况")
    doc.paras(doc.narrative("structure", "内设机构和所属单位"))
    doc.heading(3, "3.人员编制情况")
    note = narrative(d, "staffing")
    total = d.staffing.authorized_total
    # a note that states the 编制数 itself is a full description; otherwise it adds to the figures
    if not (note and total is not None and re.search(rf"(?<!\d){total}(?!\d)", "".join(note))):
        s = staffing_sentence(d, ys)
        if s:
            doc.para(s)
        elif not note:
            doc.para(doc.placeholder("编制数、实有在职人数和离退休人数", "人员情况说明"))
            doc.note("data", "人员编制表未填写编制数和在职人数", "基础数据表“人员编制”")
    doc.paras(note)
    doc.heading(3, f"4.{ys}年重点工作")
    doc.paras(doc.narrative("priorities", "年度重点工作"))
    doc.heading(2, "（二）部门整体支出规模、使用方向和主要内容、涉及范围")
    sp = d.spending
    doc.heading(3, "1.整体支出规模")
    dept_actual, pub_actual = project_actuals(d)
    total = sp.total.actual
    if total is not None:
        doc.para(
            f"{ys}年度部门整体支出"
            + composition(
                total,
                [("基本支出", sp.basic.actual), ("部门项目支出", dept_actual), ("公共项目支出", pub_actual)],
            )
            + "。"
        )
    else:
        doc.para(doc.placeholder("部门整体支出规模"))
        doc.note("data", "支出总表“整体支出”决算未填写，报告未写整体支出规模", "基础数据表“支出总表”")
    chart = structure_chart(d)
    if chart:
        doc.add(Figure(chart))
    doc.heading(3, "2.使用方向和主要内容、涉及范围")
    doc.paras(_usage(doc, d))


def _usage(doc: Doc, d: Department) -> list[str]:
    out = list(narrative(d, "usage"))
    sp = d.spending
    dept_actual, pub_actual = project_actuals(d)
    text = ""
    parts = [(b.name, b.actual) for b in sp.basic_parts]
    if sp.basic.actual is not None:
        text += "基本支出" + (composition(sp.basic.actual, parts) if parts else amt(sp.basic.actual)) + "。"
    if sp.projects.actual is not None:
        text += (
            "项目支出"
            + composition(sp.projects.actual, [("部门项目支出", dept_actual), ("公共项目支出", pub_actual)])
            + "。"
        )
    if text:
        out.append(text)
    if d.dept_projects and dept_actual is not None:
        out.append(
            "部门项目支出" + composition(dept_actual, [(p.name, p.actual) for p in d.dept_projects]) + "。"
        )
    if d.public_projects:
        n = len(d.public_projects)
        s = f"公共项目支出{amt(pub_actual)}，" if pub_actual is not None else ""
        out.append(f"{s}涉及{n}个公共项目，各项目的预算和实际分配情况见本报告二（二）。")
    if not out:
        out.append(doc.placeholder("支出的使用方向和主要内容", "使用方向"))
    return out


def staffing_sentence(d: Department, ys: str) -> str:
    st = d.staffing
    total = st.authorized_total
    if total is None and st.in_service is None:
        return ""
    parts = []
    if total is not None:
        s = f"人员编制数为{total}名"
        if st.authorized:
            s += "，其中：" + "、".join(f"{k}{v}名" for k, v in st.authorized.items())
        parts.append(s)
    if st.in_service is not None:
        tail = f"截至{ys}年12月31日，实有在职人数{fmt_count(st.in_service)}人"
        if st.other_employees:
            tail += f"，其他雇员{st.other_employees}人"
        if st.retired is not None:
            tail += f"；年末离退休人员{st.retired}名"
        parts.append(tail)
    elif st.retired is not None:
        parts.append(f"年末离退休人员{st.retired}名")
    return "。".join(parts) + "。"
