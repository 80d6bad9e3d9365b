"""ReportContext: the one typed object every renderer (Word, HTML, xlsx, JSON) reads.

``build_context(evaluation)`` is pure: it turns an Evaluation into a document tree of blocks
(headings, paragraphs, tables with merged cells, charts, page breaks) plus attachments. The
renderers only lay these blocks out, so the outputs never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..money import fmt_amount, fmt_rate
from ..results import Evaluation
from ..safety import safe_filename
from .attachments import build_attachments
from .blocks import _CELL_POOL, Attachment, Block, Cell, Figure, Heading, PageBreak, Para, Table
from .charts import ChartSpec
from .parts import build_body
from .parts.performance import chosen_indicator_ids
from .todo import TodoItem


@dataclass
class ReportContext:
    title: str
    department: str
    year: int | None
    file_stem: str  # '<单位名称><年度>年度部门整体支出绩效自评报告' (sanitised)
    base_stem: str  # '<单位名称><年度>年度部门整体支出绩效自评' for 附件/评价结果
    blocks: list[Block]
    attachments: list[Attachment]
    evaluation: dict  # Evaluation.to_dict()
    warnings: list[str] = field(default_factory=list)
    #: the preparer's to-do list (never printed in the public report); the web page shows it too
    todo: list[TodoItem] = field(default_factory=list)
    #: items still 待评: while > 0 the report is a draft and says so in its header
    pending: int = 0
    #: computed indicators the framework does not use (the to-do list's reference part)
    extra_indicators: list[str] = field(default_factory=list)

    @property
    def draft(self) -> bool:
        return self.pending > 0

    @property
    def draft_mark(self) -> str:
        """The header line of a draft: '草稿：尚有7项指标待评'; '' when every item is scored."""
        return f"草稿：尚有{self.pending}项指标待评" if self.pending else ""

    def todo_dicts(self) -> list[dict]:
        return [t.to_dict() for t in self.todo]

    def all_blocks(self) -> list[Block]:
        out = list(self.blocks)
        for a in self.attachments:
            out.append(PageBreak())
            out.extend(a.blocks)
        return out

    @property
    def charts(self) -> list[ChartSpec]:
        return [b.chart for b in self.all_blocks() if isinstance(b, Figure)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.all_blocks() if isinstance(b, Table)]


def safe_name(text: str, fallback: str = "未命名单位") -> str:
    """A file-name part: no path separators, control or reserved characters, not empty, ≤ 80 chars."""
    return safe_filename(text, fallback, 80)


def build_context(evaluation: Evaluation) -> ReportContext:
    """Pure: the whole report (body, attachments and the preparer's to-do list) from one Evaluation."""
    d = evaluation.department
    name = d.name or "未命名单位"
    year = d.year
    ytxt = str(year) if year else ""
    title = f"{name}{ytxt}年度部门整体支出绩效自评报告"
    base = f"{safe_name(d.name)}{year if year else ''}年度部门整体支出绩效自评"
    _CELL_POOL["cells"] = {}
    try:
        blocks, todo = build_body(evaluation)
        attachments, att_todo = build_attachments(evaluation)
    finally:
        _CELL_POOL.pop("cells", None)
    chosen = chosen_indicator_ids(evaluation)
    extra = []
    for k, ind in evaluation.indicators.items():
        if k in chosen:
            continue
        if ind.computable and ind.value is not None:
            value = fmt_rate(ind.value) if ind.unit == "%" else f"{fmt_amount(ind.value)}{ind.unit}"
            extra.append(f"{ind.name}：{value}（{ind.formula}）" if ind.formula else f"{ind.name}：{value}")
        else:
            extra.append(f"{ind.name}：未计算（{(ind.reason or '缺少数据').rstrip('。')}）")
    return ReportContext(
        title=title,
        department=d.name,
        year=year,
        file_stem=base + "报告",
        base_stem=base,
        blocks=blocks,
        attachments=attachments,
        evaluation=evaluation.to_dict(),
        todo=todo + att_todo,
        pending=len(evaluation.score.pending),
        extra_indicators=extra,
    )


__all__ = [
    "Attachment",
    "Block",
    "Cell",
    "ChartSpec",
    "Figure",
    "Heading",
    "PageBreak",
    "Para",
    "ReportContext",
    "Table",
    "build_context",
    "safe_name",
]
