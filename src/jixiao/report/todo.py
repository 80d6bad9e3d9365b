"""The preparer's to-do list (待办清单): everything the public report must not say to its reader.

The report builders collect ``TodoItem``s while they write the public text; ``render_todo_md``
writes them as a Markdown list grouped by kind, beside the report. The web result page reads the
same items from ``ReportContext.todo``.
"""

from __future__ import annotations

from dataclasses import dataclass

#: kinds in the order the list shows them, with their Chinese heading
KINDS = {
    "narrative": "需要撰写的文字（报告中以【待补充：…】标出）",
    "score": "待评分的指标（填写后重新生成报告）",
    "reason": "需要说明原因的问题",
    "data": "未计算的指标（补齐数据后重新生成）",
    "check": "请核对的事项",
}


@dataclass(frozen=True)
class TodoItem:
    kind: str  # one of KINDS
    section: str  # where in the report: '九、存在的问题及原因分析' …
    text: str  # what to do (Chinese, addressed to the preparer)
    where: str = ""  # where to fill it: sheet and row of the workbook, when known

    def to_dict(self) -> dict:
        return {"kind": self.kind, "section": self.section, "text": self.text, "where": self.where}


def counts(items: list[TodoItem]) -> dict[str, int]:
    out = {k: 0 for k in KINDS}
    for i in items:
        out[i.kind] = out.get(i.kind, 0) + 1
    return out


def render_todo_md(ctx) -> str:
    """The to-do list as Markdown: a heading per kind, one numbered line per item."""
    items: list[TodoItem] = ctx.todo
    lines = [f"# {ctx.title}：待办清单", ""]
    lines.append("本清单写给填报和编写报告的同志，不属于报告正文，不对外公开。")
    if ctx.draft:
        lines.append(f"报告目前为草稿：尚有{ctx.pending}项指标待评，得分和等级待全部评定后确定。")
    lines.append("")
    if not items:
        lines += ["没有待办事项。", ""]
    for kind, heading in KINDS.items():
        group = [i for i in items if i.kind == kind]
        if not group:
            continue
        lines += [f"## {heading}（{len(group)}项）", ""]
        for n, i in enumerate(group, 1):
            where = f"（填写位置：{i.where}）" if i.where else ""
            lines.append(f"{n}. 【{i.section}】{i.text}{where}")
        lines.append("")
    if ctx.extra_indicators:
        lines += [
            "## 参考：已计算但未写入报告正文的指标（无需处理）",
            "",
            "下列指标不在所选评价体系中，报告正文不列示；如需引用，可摘入报告。",
            "",
        ]
        for ind in ctx.extra_indicators:
            lines.append(f"- {ind}")
        lines.append("")
    return "\n".join(lines)
