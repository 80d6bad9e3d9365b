"""Result types shared by evaluate, report, batch and web: indicators, scores, findings.

These are plain data. ``Evaluation.to_dict()`` is the stable JSON of DESIGN §12 (Decimals as
strings, never floats).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .issues import Issue, summarize
from .model import Department
from .money import dec_str


def _jsonable(v: Any) -> Any:
    if isinstance(v, Decimal):
        return dec_str(v)
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return v


@dataclass(frozen=True)
class Indicator:
    """One computed indicator. ``value`` is rounded once (2 places); None when not computable."""

    id: str
    name: str
    value: Decimal | None
    unit: str  # '%', '万元', '人' …
    formula: str  # trace in the report's style, e.g. （在职人员数59人/编制数68人）×100%=86.76%
    computable: bool = True
    reason: str = ""  # why not computable (Chinese)
    inputs: dict = field(default_factory=dict)  # name → Decimal | int | str
    subject: str = ""  # per-project / per-承担单位 indicators: what it is about

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "value": dec_str(self.value),
            "unit": self.unit,
            "formula": self.formula,
            "computable": self.computable,
            "reason": self.reason,
            "inputs": _jsonable(self.inputs),
            "subject": self.subject,
        }


@dataclass(frozen=True)
class ScoreItem:
    """One scored framework item. ``score`` None means 待评 (pending) — never made up."""

    id: str
    level1: str
    level2: str
    level3: str
    weight: Decimal  # 分值 (after any rescaling)
    score: Decimal | None  # 得分 (2 places) or None
    basis: str = ""  # 依据 / 评分说明 (Chinese)
    rule: str = ""  # proportional | inverse | bands | deduct | qualitative | manual | not_applicable
    source: str = ""  # indicator id, 'manual', 'kpi:…'
    status: str = "scored"  # scored | pending | not_applicable

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "level1": self.level1,
            "level2": self.level2,
            "level3": self.level3,
            "weight": dec_str(self.weight),
            "score": dec_str(self.score),
            "basis": self.basis,
            "rule": self.rule,
            "source": self.source,
            "status": self.status,
        }


@dataclass(frozen=True)
class Score:
    framework: str  # framework display name
    framework_id: str
    items: list[ScoreItem]
    total: Decimal | None  # sum of scored items (2 places); None if nothing scored
    max_total: Decimal  # sum of applicable weights
    grade: str | None  # 优/良/中/差; None while items are pending
    pending: list[str] = field(default_factory=list)  # names of 待评 items
    provisional_grade: str | None = None  # grade of the scored part alone, for information

    def to_dict(self) -> dict:
        return {
            "framework": self.framework,
            "framework_id": self.framework_id,
            "total": dec_str(self.total),
            "max": dec_str(self.max_total),
            "grade": self.grade,
            "provisional_grade": self.provisional_grade,
            "pending": len(self.pending),
            "pending_items": list(self.pending),
            "items": [i.to_dict() for i in self.items],
        }


@dataclass(frozen=True)
class ProjectScore:
    """项目支出绩效自评表 for one project."""

    project: str
    kind: str  # department | public
    score: Score

    def to_dict(self) -> dict:
        return {"project": self.project, "kind": self.kind, **self.score.to_dict()}


@dataclass(frozen=True)
class Finding:
    """A problem the data shows (存在的问题), with evidence and draft sentences."""

    rule: str  # stable rule id, e.g. 'project_unspent'
    severity: str  # high | medium | low
    subject: str  # what it is about (project name, 部门, 三公经费 …)
    message: str  # draft sentence for 九、存在的问题 (Chinese)
    evidence: dict = field(default_factory=dict)  # figure name → Decimal | str
    improvement: str = ""  # draft sentence for 十、下一步改进措施
    category: str = ""  # 九's sub-heading: 预算和预算绩效管理 / 部门履职效能 / 资金分配、使用和管理

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "subject": self.subject,
            "message": self.message,
            "evidence": _jsonable(self.evidence),
            "improvement": self.improvement,
            "category": self.category,
        }


@dataclass(frozen=True)
class Evaluation:
    """Everything ``evaluate`` produces for one department."""

    department: Department
    indicators: dict[str, Indicator]  # id → Indicator (department level)
    project_indicators: list[Indicator]  # per-project and per-承担单位 执行率
    score: Score
    project_scores: list[ProjectScore]
    findings: list[Finding]
    issues: list[Issue]

    def to_dict(self) -> dict:
        d = self.department
        return {
            "department": d.name,
            "year": d.year,
            "indicators": {k: v.to_dict() for k, v in self.indicators.items()},
            "project_indicators": [i.to_dict() | {"id": i.id} for i in self.project_indicators],
            "score": self.score.to_dict(),
            "project_scores": [p.to_dict() for p in self.project_scores],
            "findings": [f.to_dict() for f in self.findings],
            "issues": [i.to_dict() for i in self.issues],
            "summary": summarize(self.issues),
        }
