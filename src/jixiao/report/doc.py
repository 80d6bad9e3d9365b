"""``Doc``: collects the public blocks and the preparer's to-do items while a section is written.

Every section builder writes through one Doc, so public text and to-do list come from the same
pass over the data and cannot drift apart.
"""

from __future__ import annotations

import re

from ..model import Department
from .blocks import Block, Heading, Para
from .text import cn_num, paragraphs, ph
from .todo import TodoItem

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

#: a line holding a calculation (a/b×100%=c …): laid out left-aligned so it never letter-spaces
_FORMULA = re.compile(r"[×÷]|\d/\d|=\s*-?\d")


def narrative(d: Department, key: str) -> list[str]:
    for k in NARRATIVE_KEYS[key]:
        text = d.narratives.get(k)
        if text and text.strip():
            return paragraphs(text)
    return []


def _where(row: str) -> str:
    """Where a narrative block is typed: its preset row of 基本信息, or a row to add there."""
    if not row:
        return "直接在报告中撰写"
    from ..workbook.schema import NARRATIVE_KEYS as PRESET

    if row in PRESET:
        return f"基础数据表“基本信息”中“{row}”一行，或直接在报告中撰写"
    return f"基础数据表“基本信息”末尾新增一行“{row}”（左列写名称，右列写内容），或直接在报告中撰写"


class Doc:
    """Blocks of the public text, numbering of 一、/（一）/1., and the to-do items."""

    def __init__(self, d: Department):
        self.d = d
        self.blocks: list[Block] = []
        self.todo: list[TodoItem] = []
        self.h1 = 0
        self.section = ""
        self.problem = ""  # the problem being written in 九 (names its to-do item)
        self.kpis_shown = False  # the 履职目标 table is printed once

    # public text ----------------------------------------------------------------------
    def heading1(self, text: str):
        self.h1 += 1
        self.section = f"{cn_num(self.h1)}、{text}"
        self.blocks.append(Heading(1, self.section))

    def heading(self, level: int, text: str):
        self.blocks.append(Heading(level, text))

    def para(self, text: str, kind: str = "body"):
        if kind == "body":
            # a calculation is laid out left-aligned; a line ending in '：' introduces the table or
            # chart below and keeps with it on the page
            formula, intro = bool(_FORMULA.search(text)), text.endswith("：")
            kind = ("formula_intro" if intro else "formula") if formula else ("intro" if intro else "body")
        self.blocks.append(Para(text, kind))

    def paras(self, texts: list[str]):
        for t in texts:
            self.para(t)

    def add(self, block: Block):
        self.blocks.append(block)

    # narrative: the department's own words, or a placeholder and a to-do item ---------------
    def narrative(self, key: str, what: str, row: str = "") -> list[str]:
        """The workbook's narrative block ``key``; else one placeholder paragraph naming ``what``
        (and a to-do item saying where it may be typed)."""
        got = narrative(self.d, key)
        if got:
            return got
        return [self.placeholder(what, row or NARRATIVE_KEYS[key][0])]

    def placeholder(
        self, what: str, row: str = "", kind: str = "narrative", task: str = "", where: str = ""
    ) -> str:
        """A highlighted 【待补充：what】 for the public text, and its to-do item."""
        where = where or _where(row)
        self.todo.append(TodoItem(kind, self.section, task or f"撰写：{what}", where))
        return ph(what)

    def note(self, kind: str, text: str, where: str = ""):
        """A to-do item only (nothing in the public text)."""
        item = TodoItem(kind, self.section, text, where)
        if item not in self.todo:
            self.todo.append(item)
