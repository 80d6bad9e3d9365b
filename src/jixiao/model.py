"""The Department: everything a self-evaluation needs, typed, amounts as Decimal in 万元.

Built by ``jixiao.workbook.parse`` from a workbook (or directly in tests). Every field that a
workbook may leave empty is ``None`` (amounts, counts) or ``""`` (text) — never a made-up 0.
``Src`` records where a value came from so findings and issues can point at the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

Amount = Decimal | None


@dataclass(frozen=True)
class Src:
    """Origin of a row: sheet name and Excel row number (1-based, as Excel shows it)."""

    sheet: str = ""
    row: int | None = None


@dataclass
class BudgetLine:
    """One budget row: 年初预算 + 预算调整 = 全年预算; 决算; 上年决算 (all 万元, any may be None)."""

    name: str
    initial: Amount = None  # 年初预算
    adjustment: Amount = None  # 预算调整（追加为正，调减为负）
    full_year: Amount = None  # 全年预算
    actual: Amount = None  # 决算 / 实际支出
    prior_actual: Amount = None  # 上年决算
    src: Src = field(default_factory=Src)


@dataclass
class Spending:
    """支出总表. ``basic_parts`` are 基本支出 by 经济分类 (工资福利支出, 商品和服务支出, …)."""

    basic_parts: list[BudgetLine] = field(default_factory=list)
    basic: BudgetLine = field(default_factory=lambda: BudgetLine("基本支出"))
    dept_projects: BudgetLine = field(default_factory=lambda: BudgetLine("部门项目支出"))
    public_projects: BudgetLine = field(default_factory=lambda: BudgetLine("公共项目支出"))
    projects: BudgetLine = field(default_factory=lambda: BudgetLine("项目支出"))
    total: BudgetLine = field(default_factory=lambda: BudgetLine("整体支出"))
    gov_fund: Amount = None  # 政府性基金预算支出（决算）
    state_capital: Amount = None  # 国有资本经营预算支出
    social_insurance: Amount = None  # 社会保险基金预算支出
    carry_over_begin: Amount = None  # 上年结转
    carry_over_end: Amount = None  # 年末结转结余
    prior_carry_over_end: Amount = None  # 上年末结转结余


@dataclass
class Staffing:
    """人员编制. ``authorized`` maps 编制类型 (行政编制, 事业编制, 工勤编制, 雇员员额 …) to a count."""

    authorized: dict[str, int] = field(default_factory=dict)
    authorized_total_stated: int | None = None  # 编制数合计 as typed (checked, not trusted)
    in_service: int | None = None  # 实有在职人数
    other_employees: int | None = None  # 其他雇员（占雇员员额）
    retired: int | None = None  # 离退休人数
    src: Src = field(default_factory=Src)

    @property
    def authorized_total(self) -> int | None:
        if self.authorized:
            return sum(self.authorized.values())
        return self.authorized_total_stated

    @property
    def staff_count(self) -> int | None:
        """在职人员数 for 在职人员控制率: 实有在职人数 + 其他雇员."""
        if self.in_service is None:
            return None
        return self.in_service + (self.other_employees or 0)


@dataclass
class ThreePublicItem:
    """One "三公"经费 line (公务用车购置及运行费, 因公出国（境）费, 公务接待费)."""

    name: str
    prior_budget: Amount = None
    prior_actual: Amount = None
    budget: Amount = None
    actual: Amount = None
    reason: str = ""
    src: Src = field(default_factory=Src)
    parent: str = ""  # a 其中 row: the item it details ('公务用车购置及运行费'); '' for the three items


@dataclass
class ThreePublic:
    items: list[ThreePublicItem] = field(default_factory=list)
    #: 其中 rows (公务用车购置费, 公务用车运行维护费 under 公务用车购置及运行费 …), each with its
    #: ``parent``; not part of the totals (their parent is).
    details: list[ThreePublicItem] = field(default_factory=list)
    #: the 合计 row as typed; its figures are used where the items leave a column empty
    #: (e.g. a report that gives only last year's total budget).
    total_stated: ThreePublicItem | None = None

    def total(self, attr: str) -> Amount:
        """Sum of the items' ``attr`` if every item has it, else the stated 合计, else None."""
        vals = [getattr(i, attr) for i in self.items]
        if vals and all(v is not None for v in vals):
            return sum(vals, Decimal(0))
        if self.total_stated is not None:
            return getattr(self.total_stated, attr)
        return None


@dataclass
class FundsLine:
    """One 其中 line of 公用经费 (办公费, 水电费, 差旅费, 会议费, 培训费 …)."""

    name: str
    budget: Amount = None
    actual: Amount = None
    prior_actual: Amount = None
    src: Src = field(default_factory=Src)


@dataclass
class PublicFunds:
    """公用经费, with its 其中 lines when the workbook gives them (``complete``: the lines include
    其他商品和服务支出, so they must add up to 公用经费)."""

    budget: Amount = None
    actual: Amount = None
    prior_actual: Amount = None
    src: Src = field(default_factory=Src)
    lines: list[FundsLine] = field(default_factory=list)
    complete: bool = False


@dataclass
class Project:
    """A 部门项目 (kind='department') or 公共项目 (kind='public') row."""

    name: str
    kind: str  # 'department' | 'public'
    initial: Amount = None
    adjustment: Amount = None
    full_year: Amount = None
    actual: Amount = None  # 决算 (部门项目) / 实际分配 (公共项目)
    prior_actual: Amount = None
    doc_no: str = ""  # 指标文号
    excluded: Amount = None  # 执行率剔除金额
    exclusion_reason: str = ""  # 剔除原因 (short category, e.g. 财政统一收回)
    variance_reason: str = ""  # 差异原因 / 未执行原因
    goal: str = ""  # 年度总体目标
    outcome: str = ""  # 实际完成情况
    src: Src = field(default_factory=Src)


@dataclass
class Undertaking:
    """项目承担单位: money passed to an implementing unit and what it actually spent."""

    project: str
    unit: str
    allocated: Amount = None  # 下达金额
    spent: Amount = None  # 实际支出
    note: str = ""
    src: Src = field(default_factory=Src)


@dataclass
class PerfIndicator:
    """项目绩效指标 row. ``nature``: '≥', '≤', '=', '定性'. Targets/actuals are Decimal or text."""

    project: str
    level1: str  # 一级指标 (产出指标 / 效益指标 / 满意度指标 …)
    level2: str  # 二级指标 (数量指标 / 质量指标 / 时效指标 / 成本指标 …)
    level3: str  # 三级指标
    nature: str
    target: Decimal | str | None = None
    unit: str = ""
    actual: Decimal | str | None = None
    weight: Amount = None  # 分值 (optional; the rule set distributes if absent)
    score: Amount = None  # 得分 given by the evaluator for 定性 rows (optional)
    deviation_reason: str = ""
    src: Src = field(default_factory=Src)


@dataclass
class Procurement:
    """政府采购: by category (货物/服务/工程) and totals."""

    initial_by_category: dict[str, Decimal] = field(default_factory=dict)
    full_year_by_category: dict[str, Decimal] = field(default_factory=dict)
    actual_by_category: dict[str, Decimal] = field(default_factory=dict)
    initial_total: Amount = None
    full_year_total: Amount = None
    actual_total: Amount = None
    src: Src = field(default_factory=Src)


#: asset rows that are not parts of 资产总额 themselves (原值 and 累计折旧 give 净值).
ASSET_NON_PARTS = ("固定资产原值", "累计折旧", "资产总额")


@dataclass
class AssetLine:
    name: str
    prior_end: Amount = None  # 上年末
    added: Amount = None  # 本年新增
    reduced: Amount = None  # 本年减少
    end: Amount = None  # 本年末
    note: str = ""
    src: Src = field(default_factory=Src)


@dataclass
class Assets:
    lines: list[AssetLine] = field(default_factory=list)

    def get(self, name: str) -> AssetLine | None:
        for a in self.lines:
            if a.name == name:
                return a
        return None

    def parts(self) -> list[AssetLine]:
        """Lines that add up to 资产总额 (固定资产净值, 无形资产, 其他应收款 …)."""
        return [a for a in self.lines if a.name not in ASSET_NON_PARTS]


@dataclass
class KPI:
    """履职目标: a department target and what was achieved."""

    name: str
    target: Decimal | str | None = None
    actual: Decimal | str | None = None
    unit: str = ""
    nature: str = "≥"
    note: str = ""
    src: Src = field(default_factory=Src)
    weight: Amount = None  # 权重/分值 of this row (optional; a framework's kpi item may use it)


@dataclass
class Satisfaction:
    surveyed: int | None = None  # 问卷数
    satisfied: int | None = None  # 满意数（含基本满意）
    src: Src = field(default_factory=Src)


@dataclass
class ManualScore:
    """定性评分: the evaluator's score for one framework item (by id or by 三级指标 name)."""

    item: str
    score: Amount = None
    basis: str = ""  # 依据
    src: Src = field(default_factory=Src)
    cell: str = ""  # the 指标 cell ('A5'), for warnings about the row


@dataclass
class Department:
    name: str = ""
    year: int | None = None
    money_unit: str = "万元"  # as declared by the workbook; amounts here are always 万元
    supervisor: str = ""  # 主管部门
    budget_disclosed: date | None = None  # 预算公开日期
    final_disclosed: date | None = None  # 决算公开日期
    prior_report_disclosed: date | None = None  # 上年自评报告公开日期
    notice_no: str = ""  # 评价通知文号 (the finance bureau's notice)
    #: narrative blocks by key: 主要职能, 机构设置, 重点工作, 绩效情况, 存在问题, 改进措施,
    #: 结果应用, 其他说明 … (each optional, text as typed)
    narratives: dict[str, str] = field(default_factory=dict)
    staffing: Staffing = field(default_factory=Staffing)
    spending: Spending = field(default_factory=Spending)
    three_public: ThreePublic = field(default_factory=ThreePublic)
    public_funds: PublicFunds = field(default_factory=PublicFunds)
    dept_projects: list[Project] = field(default_factory=list)
    public_projects: list[Project] = field(default_factory=list)
    undertakings: list[Undertaking] = field(default_factory=list)
    perf_indicators: list[PerfIndicator] = field(default_factory=list)
    procurement: Procurement = field(default_factory=Procurement)
    assets: Assets = field(default_factory=Assets)
    kpis: list[KPI] = field(default_factory=list)
    satisfaction: Satisfaction = field(default_factory=Satisfaction)
    manual_scores: list[ManualScore] = field(default_factory=list)
    source_file: str = ""

    @property
    def projects(self) -> list[Project]:
        return [*self.dept_projects, *self.public_projects]
