"""What a submitted self-evaluation table holds, and what its review finds.

A submitted table (部门整体支出绩效自评表 or 项目支出绩效自评表, with the scores the department
gave itself) is read — from an .xlsx in the documented layout or from the tables of a report
.docx/.pdf/.txt — into :class:`SubmittedTable`; ``review_tables`` turns those into a
:class:`ReviewResult` (pure). Every figure keeps the text as submitted and its location.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import ExitCode
from ..money import dec_str

#: statuses of a reviewed item, worst first (the text output groups by them)
STATUSES = (
    "over_scored",
    "full_despite_shortfall",
    "rate_inconsistent",
    "total_mismatch",
    "data_mismatch",
    "not_quantified",
    "unverifiable",
    "ok",
)
STATUS_ZH = {
    "over_scored": "高于评分规则",
    "full_despite_shortfall": "未完成目标却得满分",
    "rate_inconsistent": "得分率明显高于预算执行率",
    "total_mismatch": "合计不符",
    "data_mismatch": "与基础数据表不符",
    "not_quantified": "目标未量化",
    "unverifiable": "无法复核",
    "ok": "无误",
}
#: statuses that are problems (exit code 1)
PROBLEMS = frozenset(STATUSES) - {"ok", "unverifiable"}


@dataclass(frozen=True)
class Value:
    """One submitted cell: the text as shown and where it is."""

    text: str
    location: dict

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class ScoredRow:
    """An indicator row: 一级/二级/三级指标, 指标性质, 指标值, 完成值, 单位, 分值, 得分 (得分系数)."""

    level1: str
    level2: str
    level3: str
    nature: Value | None = None
    target: Value | None = None
    actual: Value | None = None
    unit: str = ""
    weight: Value | None = None
    score: Value | None = None
    coefficient: Value | None = None  # 得分系数 (%), where the table has that column
    location: dict = field(default_factory=dict)


@dataclass
class Funds:
    """The 预算执行 block: 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分."""

    initial: Value | None = None
    full_year: Value | None = None
    actual: Value | None = None
    weight: Value | None = None
    rate: Value | None = None
    score: Value | None = None
    location: dict = field(default_factory=dict)


@dataclass
class SubmittedTable:
    kind: str  # department | project
    title: str  # project name / unit name ('' when the table does not say)
    funds: Funds | None = None
    rows: list[ScoredRow] = field(default_factory=list)
    total: Value | None = None  # 自评总分 / 合计 as submitted
    location: dict = field(default_factory=dict)
    #: 小计 rows: (一级指标 they close, the 得分 written)
    subtotals: list[tuple[str, Value]] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewItem:
    item: str
    claimed: Decimal | None
    recomputed: Decimal | None
    status: str
    reason: str
    location: dict

    def to_dict(self) -> dict:
        return {
            "item": self.item,
            "claimed": dec_str(self.claimed),
            "recomputed": dec_str(self.recomputed),
            "status": self.status,
            "reason": self.reason,
            "location": dict(self.location),
        }


@dataclass
class ReviewResult:
    file: str
    items: list[ReviewItem] = field(default_factory=list)
    tables: int = 0

    @property
    def summary(self) -> dict:
        out = {s: 0 for s in STATUSES}
        for i in self.items:
            out[i.status] += 1
        return out

    @property
    def problems(self) -> list[ReviewItem]:
        return [i for i in self.items if i.status in PROBLEMS]

    @property
    def exit_code(self) -> int:
        return ExitCode.DATA if self.problems else ExitCode.OK

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "tables": self.tables,
            "items": [i.to_dict() for i in self.items],
            "summary": self.summary,
        }
