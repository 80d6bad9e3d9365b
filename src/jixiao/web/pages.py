"""What each page shows, as frozen dataclasses (one per page). A view builds one; the app serves it
as HTML (its ``template``) or as JSON (``to_json``), so the two never disagree.

Fields marked ``HTML_ONLY`` (inline SVG charts) are left out of the JSON.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from markupsafe import Markup

from ..issues import Issue
from ..results import Evaluation

HTML_ONLY = {"json": False}


def html_only(default: Any = Markup("")) -> Any:
    return field(default=default, metadata=HTML_ONLY, compare=False)


# ---- parts ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    selected: bool = False


@dataclass(frozen=True)
class Download:
    fmt: str
    label: str
    url: str


@dataclass(frozen=True)
class IssueSummary:
    error: int
    warning: int
    info: int

    @property
    def total(self) -> int:
        return self.error + self.warning + self.info


@dataclass(frozen=True)
class Preview:
    """A few cells around an offending cell, as Excel shows them."""

    sheet: str
    cell: str
    cols: tuple[str, ...]
    rows: tuple[tuple[int, tuple[tuple[str, bool], ...]], ...]


@dataclass(frozen=True)
class IndicatorRow:
    id: str
    name: str
    value: str  # as the report writes it: 86.76%, 52,878.93万元, 59人; — when not computable
    explanation: str  # the formula trace, or why it could not be computed
    computable: bool
    subject: str = ""


@dataclass(frozen=True)
class ScoreRow:
    level2: str
    level3: str
    weight: Decimal
    score: Decimal | None
    status: str  # scored | pending | not_applicable
    basis: str


@dataclass(frozen=True)
class ScoreGroup:
    name: str
    weight: Decimal
    score: Decimal | None  # sum of the scored items; None when every item is 待评
    pending: int
    items: tuple[ScoreRow, ...]


@dataclass(frozen=True)
class FindingRow:
    message: str
    subject: str
    evidence: tuple[tuple[str, str], ...]  # (figure, value with unit and separators)
    improvement: str
    severity: str


@dataclass(frozen=True)
class ProjectScoreRow:
    project: str
    kind: str
    total: Decimal | None
    grade: str
    items: tuple[ScoreRow, ...]


@dataclass(frozen=True)
class ClaimRow:
    status: str
    status_word: str
    where: str
    text: str
    stated: str
    computed: str
    kind: str
    explanation: str


@dataclass(frozen=True)
class AuditSummary:
    total: int
    mismatch: int
    rounding: int
    unverifiable: int
    ok: int


@dataclass(frozen=True)
class ReviewRow:
    item: str
    claimed: str
    recomputed: str
    status: str
    status_word: str
    reason: str
    where: str


@dataclass(frozen=True)
class RankRow:
    rank: int | None
    unit: str
    year: int | None
    total: Decimal | None
    max_total: Decimal | None
    grade: str
    pending: int
    indicators: tuple[str, ...]
    findings: int
    file: str
    result_url: str


@dataclass(frozen=True)
class FailedRow:
    file: str
    unit: str
    reason: str
    url: str = ""  # the issue list, when the workbook was read


@dataclass(frozen=True)
class YearRanking:
    year: int | None
    rows: tuple[RankRow, ...]
    grades: tuple[tuple[str, int], ...]
    chart: Markup = html_only()


@dataclass(frozen=True)
class YearRow:
    unit: str
    year: int
    total: Decimal | None
    max_total: Decimal | None
    grade: str
    pending: int
    indicators: tuple[str, ...]
    findings: int


@dataclass(frozen=True)
class ChangeRow:
    unit: str
    before: Decimal | None
    after: Decimal | None
    delta: Decimal | None
    grades: str
    comparable: bool
    flags: tuple[str, ...]
    indicator_deltas: tuple[str, ...]


@dataclass(frozen=True)
class FrameworkItem:
    level1: str
    level2: str
    level3: str
    weight: Decimal
    rule: str


@dataclass(frozen=True)
class FrameworkDoc:
    id: str
    name: str
    description: str
    default: bool
    total: Decimal
    grades: str
    items: tuple[FrameworkItem, ...]


# ---- pages ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Page:
    template: ClassVar[str] = "error.html"
    active: ClassVar[str] = "officer"

    @property
    def title(self) -> str:
        return "绩效自评"


@dataclass(frozen=True)
class HomePage(Page):
    template: ClassVar[str] = "home.html"
    frameworks: tuple[Choice, ...]
    max_upload_mb: int

    @property
    def title(self) -> str:
        return "上传基础数据表"


@dataclass(frozen=True)
class CheckPage(Page):
    template: ClassVar[str] = "check.html"
    id: str
    name: str
    unit: str
    summary: IssueSummary
    issues: tuple[Issue, ...]
    previews: tuple[Preview, ...]

    @property
    def title(self) -> str:
        return "校验结果：有错误"


@dataclass(frozen=True)
class ResultPage(Page):
    template: ClassVar[str] = "result.html"
    id: str
    name: str
    unit: str
    year: int | None
    framework: str
    total: Decimal | None
    max_total: Decimal
    grade: str  # 优/良/中/差, or 待评 while items are pending
    pending: tuple[str, ...]
    provisional_grade: str
    summary: IssueSummary
    issues: tuple[Issue, ...]
    indicators: tuple[IndicatorRow, ...]
    score_groups: tuple[ScoreGroup, ...]
    findings: tuple[FindingRow, ...]
    project_indicators: tuple[IndicatorRow, ...]
    project_scores: tuple[ProjectScoreRow, ...]
    downloads: tuple[Download, ...]
    todo: tuple[str, ...]
    recorded: bool
    evaluation: Evaluation = field(repr=False, compare=False, metadata=HTML_ONLY)
    charts: tuple[Markup, ...] = html_only(())

    @property
    def title(self) -> str:
        return f"评价结果：{self.unit or self.name}"


@dataclass(frozen=True)
class FrameworksPage(Page):
    template: ClassVar[str] = "frameworks.html"
    frameworks: tuple[FrameworkDoc, ...]

    @property
    def title(self) -> str:
        return "评分框架说明"


@dataclass(frozen=True)
class ReviewPage(Page):
    template: ClassVar[str] = "review.html"
    active: ClassVar[str] = "review"
    frameworks: tuple[Choice, ...]
    max_upload_mb: int
    max_batch_files: int
    can_review: bool
    store: str
    store_error: str
    units: tuple[str, ...]
    years: tuple[int, ...]

    @property
    def title(self) -> str:
        return "审核人员"


@dataclass(frozen=True)
class AuditPage(Page):
    template: ClassVar[str] = "audit.html"
    active: ClassVar[str] = "review"
    id: str
    name: str
    summary: AuditSummary
    verdict: str  # bad | warn | good: the banner's colour
    verdict_text: str
    claims: tuple[ClaimRow, ...]

    @property
    def title(self) -> str:
        return f"报告审核：{self.name}"


@dataclass(frozen=True)
class SelfReviewPage(Page):
    """The review of a submitted 自评表: each scored item recomputed, problems first."""

    template: ClassVar[str] = "selfreview.html"
    active: ClassVar[str] = "review"
    id: str
    name: str
    workbook: str
    tables: int
    counts: tuple[tuple[str, int], ...]  # (status word, number), worst first
    problems: int
    verdict: str
    verdict_text: str
    rows: tuple[ReviewRow, ...]

    @property
    def title(self) -> str:
        return f"自评表复核：{self.name}"


@dataclass(frozen=True)
class RankingPage(Page):
    template: ClassVar[str] = "ranking.html"
    active: ClassVar[str] = "review"
    id: str
    framework: str
    files: int
    indicator_names: tuple[str, ...]
    years: tuple[YearRanking, ...]
    failed: tuple[FailedRow, ...]
    recorded: bool
    download_url: str
    #: a ranking read from the store (no upload): the year and framework chosen, and what can be chosen
    from_store: bool = False
    year_choices: tuple[Choice, ...] = ()
    framework_choices: tuple[Choice, ...] = ()

    @property
    def title(self) -> str:
        return "历史数据库中的排名" if self.from_store else "批量评价排名"


@dataclass(frozen=True)
class HistoryPage(Page):
    template: ClassVar[str] = "history.html"
    active: ClassVar[str] = "review"
    store: str
    unit: str
    units: tuple[str, ...]
    indicator_names: tuple[str, ...]
    rows: tuple[YearRow, ...]
    message: str
    chart: Markup = html_only()

    @property
    def title(self) -> str:
        return f"{self.unit}历年评价结果" if self.unit else "各单位历年评价结果"


@dataclass(frozen=True)
class ComparePage(Page):
    template: ClassVar[str] = "compare.html"
    active: ClassVar[str] = "review"
    store: str
    years: tuple[int, int] | None
    all_years: tuple[int, ...]
    indicator_names: tuple[str, ...]
    changes: tuple[ChangeRow, ...]
    only: tuple[YearRow, ...]
    message: str
    chart: Markup = html_only()

    @property
    def title(self) -> str:
        return f"历年对比：{self.years[0]}年与{self.years[1]}年" if self.years else "历年对比"


@dataclass(frozen=True)
class ErrorPage(Page):
    template: ClassVar[str] = "error.html"
    heading: str
    message: str
    hint: str = ""
    status: int = 400
    back: str = "/"

    @property
    def title(self) -> str:
        return self.heading


# ---- JSON -------------------------------------------------------------------------------------
def jsonable(x: Any) -> Any:
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        if hasattr(x, "to_dict") and not isinstance(x, Page):
            return jsonable(x.to_dict())
        out = {
            f.name: jsonable(getattr(x, f.name))
            for f in dataclasses.fields(x)
            if f.metadata.get("json", True)
        }
        if isinstance(x, Page):
            out = {"page": type(x).__name__, "title": x.title} | out
        return out
    if isinstance(x, Decimal):
        return format(x, "f")
    if isinstance(x, (datetime, date)):
        return x.isoformat()
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    return x


def to_json(page: Page) -> bytes:
    return json.dumps(jsonable(page), ensure_ascii=False, indent=2).encode("utf-8")
