"""Indicators: a registry of pure functions Department → Indicator (value + formula trace).

Each function computes its value from unrounded Decimal inputs, rounds once (money.q2) and
writes the formula trace from the very same inputs (``traces``), in the reference reports'
style: ``（在职人员数59人/编制数68人）×100%=86.76%``. The ``@indicator(id, name)`` decorator gives
each indicator its id, name and unit: the function body never writes them. Options live in
``options.py``, KPI parsing in ``kpi.py``.

Adding an indicator = one decorated function (+ one row in docs/frameworks.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from .kpi import kpi_met, kpi_nature, quantity
from .model import BudgetLine, Department, Project, ThreePublicItem
from .money import HUNDRED, fmt_rate, q2, ratio_pct
from .options import DEFAULT_OPTIONS, EvalOptions
from .results import Indicator
from .traces import all_or_none, amount_ratio, amt, change, cnt, missing, not_computable, num, ratio

D = Decimal

IndicatorFn = Callable[[Department, EvalOptions], Indicator]


@dataclass(frozen=True)
class IndicatorDef:
    id: str
    name: str
    unit: str
    fn: IndicatorFn
    doc: str


#: id → definition, in registration order (= the order of the report's section 八)
REGISTRY: dict[str, IndicatorDef] = {}


def indicator(id: str, name: str, unit: str = "%") -> Callable[[IndicatorFn], IndicatorFn]:
    """Register a department-level indicator ``fn(dept, options) -> Indicator``; the Indicator it
    returns is given this id, name and unit (the function's own trace helpers leave them out)."""

    def deco(fn: IndicatorFn) -> IndicatorFn:
        if id in REGISTRY:
            raise ValueError(f"indicator {id} registered twice")

        def stamped(dept: Department, opts: EvalOptions) -> Indicator:
            return replace(fn(dept, opts), id=id, name=name, unit=unit)

        stamped.__name__, stamped.__doc__ = fn.__name__, fn.__doc__
        REGISTRY[id] = IndicatorDef(id, name, unit, stamped, (fn.__doc__ or "").strip())
        return stamped

    return deco


def line_value(line: BudgetLine, projects: list[Project], attr: str) -> Decimal | None:
    """A 支出总表 figure, or when the sheet leaves it empty, the sum of the project rows."""
    v = getattr(line, attr)
    if v is not None:
        return v
    if projects:
        return all_or_none(getattr(p, attr) for p in projects)
    return None


# ---------------------------------------------------------------- 运行成本


@indicator("staff_control_rate", "在职人员控制率")
def staff_control_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """在职人员数（实有在职 + 其他雇员）/ 编制数 × 100%."""
    s = dept.staffing
    n, a = s.staff_count, s.authorized_total
    return ratio(
        "在职人员数", n, cnt(n) if n is not None else "", "编制数", a, cnt(a) if a is not None else ""
    )


def _three_public_basis(opts: EvalOptions) -> tuple[str, str, str, str]:
    if opts.three_public_basis == "actual":
        return "actual", "prior_actual", "本年度三公经费决算数", "上年度三公经费决算数"
    return "budget", "prior_budget", "本年度三公经费预算数", "上年度三公经费预算数"


@indicator("three_public_budget_change_rate", "“三公”经费变动率")
def three_public_budget_change_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """(本年三公预算 − 上年三公预算) / 上年三公预算 (口径可选：预算对预算，或决算对决算)."""
    cur_a, prior_a, cur_l, prior_l = _three_public_basis(opts)
    tp = dept.three_public
    return change(cur_l, tp.total(cur_a), prior_l, tp.total(prior_a))


@indicator("three_public_control_rate", "“三公”经费控制率")
def three_public_control_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """三公经费决算数 / 三公经费预算数 × 100%."""
    tp = dept.three_public
    return amount_ratio("三公经费实际支出数", tp.total("actual"), "三公经费预算数", tp.total("budget"))


@indicator("three_public_saving", "“三公”经费较预算节约额", unit="万元")
def three_public_saving(dept: Department, opts: EvalOptions) -> Indicator:
    """三公经费预算数 − 三公经费决算数（负数为超支）."""
    tp = dept.three_public
    b, a = tp.total("budget"), tp.total("actual")
    words = "三公经费预算数－三公经费实际支出数"
    if b is None or a is None:
        return not_computable(
            words, "缺少三公经费预算数或实际支出数", {"三公经费预算数": b, "三公经费实际支出数": a}
        )
    v = q2(b - a)
    return Indicator(
        "",
        "",
        v,
        "万元",
        f"三公经费预算数{amt(b)}－三公经费实际支出数{amt(a)}={amt(v)}",
        inputs={"三公经费预算数": b, "三公经费实际支出数": a},
    )


#: the three standard "三公" lines, recognised by a keyword of their (standard) names
THREE_PUBLIC_KINDS = (
    ("three_public_car_change_rate", "公务用车购置及运行费变动率", ("车",)),
    ("three_public_abroad_change_rate", "因公出国（境）费变动率", ("出国", "出境")),
    ("three_public_reception_change_rate", "公务接待费变动率", ("接待",)),
)


def _three_public_item(dept: Department, keys: tuple[str, ...]) -> ThreePublicItem | None:
    for it in dept.three_public.items:
        if any(k in it.name for k in keys):
            return it
    return None


def _make_three_public_item_rate(name: str, keys: tuple[str, ...]) -> IndicatorFn:
    def fn(dept: Department, opts: EvalOptions) -> Indicator:
        it = _three_public_item(dept, keys)
        label = name.removesuffix("变动率")
        if it is None:
            return not_computable(
                f"（本年{label}决算数－上年{label}决算数）/上年{label}决算数×100%",
                f"三公经费表中没有{label}一行",
            )
        return change(f"本年{label}决算数", it.actual, f"上年{label}决算数", it.prior_actual)

    fn.__doc__ = f"{name}：决算对上年决算。"
    return fn


for _id, _name, _keys in THREE_PUBLIC_KINDS:
    indicator(_id, _name)(_make_three_public_item_rate(_name, _keys))


@indicator("public_funds_control_rate", "公用经费控制率")
def public_funds_control_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """公用经费决算数 / 公用经费预算数 × 100%."""
    pf = dept.public_funds
    return amount_ratio("公用经费实际支出数", pf.actual, "公用经费预算数", pf.budget)


@indicator("public_funds_change_rate", "公用经费变动率")
def public_funds_change_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """(本年公用经费决算 − 上年决算) / 上年决算 × 100%."""
    pf = dept.public_funds
    return change("本年公用经费支出数", pf.actual, "上年公用经费支出数", pf.prior_actual)


# ---------------------------------------------------------------- 管理效率


def exclusion_groups(dept: Department) -> list[tuple[str, Decimal, list[str]]]:
    """(剔除原因, 合计, [项目]) in order of first appearance; reasons left empty group as 其他剔除."""
    groups: dict[str, tuple[Decimal, list[str]]] = {}
    for p in dept.projects:
        if p.excluded is None or p.excluded == 0:
            continue
        reason = (p.exclusion_reason or "").strip() or "其他剔除"
        total, names = groups.get(reason, (D(0), []))
        groups[reason] = (total + p.excluded, [*names, p.name])
    return [(r, t, n) for r, (t, n) in groups.items()]


@indicator("budget_execution_rate", "预算执行率")
def budget_execution_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """决算数 / (全年预算数 − 剔除数) × 100%; 剔除数 by 剔除原因 from the project rows."""
    t = dept.spending.total
    groups = exclusion_groups(dept)
    if not groups:
        return budget_execution_rate_plain(dept, opts)
    a, f = t.actual, t.full_year
    excl = sum((g[1] for g in groups), D(0))
    words = "预算执行数/（全年预算数－剔除数）×100%"
    inputs = {"预算执行数": a, "全年预算数": f, "剔除数": excl, **{f"剔除：{r}": s for r, s, _ in groups}}
    if a is None or f is None:
        return not_computable(words, "缺少" + "、".join(missing({"预算执行数": a, "全年预算数": f})), inputs)
    den = f - excl
    if den <= 0:
        return not_computable(words, "全年预算数扣除剔除数后不大于0", inputs)
    v = q2(ratio_pct(a, den))
    minus = "".join(f"－{r}{amt(s)}" for r, s, _ in groups)
    detail = "；".join(f"{r}{len(n)}个项目：" + "、".join(n) for r, _, n in groups)
    formula = f"预算执行数{amt(a)}/（全年预算数{amt(f)}{minus}）×100%={fmt_rate(v)}（剔除明细——{detail}）"
    return Indicator("", "", v, "%", formula, inputs=inputs)


@indicator("budget_execution_rate_plain", "预算执行率（未剔除）")
def budget_execution_rate_plain(dept: Department, opts: EvalOptions) -> Indicator:
    """决算数 / 全年预算数 × 100% (no exclusions)."""
    t = dept.spending.total
    return amount_ratio("预算执行数", t.actual, "全年预算数", t.full_year)


@indicator("budget_adjustment_rate", "预算调整率")
def budget_adjustment_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """预算调整数 / 年初预算数 × 100%."""
    t = dept.spending.total
    return amount_ratio("预算调整数", t.adjustment, "年初预算数", t.initial)


@indicator("budget_control_rate", "预算控制率")
def budget_control_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """本年追加（调整）/ 年初预算 × 100% (the carry-over provinces' name for it)."""
    t = dept.spending.total
    return amount_ratio("本年追加数", t.adjustment, "年初预算数", t.initial)


@indicator("budget_completion_rate", "预算完成率")
def budget_completion_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """(上年结转 + 年初预算 + 本年追加 − 年末结余) / (上年结转 + 年初预算 + 本年追加) × 100%."""
    s, t = dept.spending, dept.spending.total
    ins = {
        "上年结转数": s.carry_over_begin,
        "年初预算数": t.initial,
        "本年追加数": t.adjustment,
        "年末结转结余数": s.carry_over_end,
    }
    words = (
        "（上年结转数＋年初预算数＋本年追加数－年末结转结余数）/（上年结转数＋年初预算数＋本年追加数）×100%"
    )
    if s.carry_over_begin is None or t.initial is None or t.adjustment is None or s.carry_over_end is None:
        return not_computable(words, "缺少" + "、".join(missing(ins)), ins)
    den = s.carry_over_begin + t.initial + t.adjustment
    if den == 0:
        return not_computable(words, "分母为0", ins)
    v = q2(ratio_pct(den - s.carry_over_end, den))
    b = f"上年结转数{amt(s.carry_over_begin)}＋年初预算数{amt(t.initial)}＋本年追加数{amt(t.adjustment)}"
    return Indicator(
        "",
        "",
        v,
        "%",
        f"〔（{b}－年末结转结余数{amt(s.carry_over_end)}）/（{b}）〕×100%={fmt_rate(v)}",
        inputs=ins,
    )


@indicator("carryover_rate", "结转结余率")
def carryover_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """年末结转结余数 / 全年预算数 × 100%."""
    s = dept.spending
    return amount_ratio("年末结转结余数", s.carry_over_end, "全年预算数", s.total.full_year)


@indicator("carryover_change_rate", "结转结余变动率")
def carryover_change_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """(本年末结转结余 − 上年末结转结余) / 上年末结转结余 × 100%."""
    s = dept.spending
    return change("本年末结转结余数", s.carry_over_end, "上年末结转结余数", s.prior_carry_over_end)


@indicator("procurement_execution_rate", "政府采购执行率")
def procurement_execution_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """实际采购金额 / 全年政府采购预算数 × 100% (年初预算 where 全年 is empty)."""
    p = dept.procurement
    budget = p.full_year_total if p.full_year_total is not None else p.initial_total
    label = "全年政府采购预算数" if p.full_year_total is not None else "政府采购预算数"
    return amount_ratio("实际采购金额", p.actual_total, label, budget)


# ---------------------------------------------------------------- 履职效能


@indicator("dept_project_execution_rate", "部门项目资金使用率")
def dept_project_execution_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """部门项目决算数 / 部门项目全年预算数 × 100%."""
    line = dept.spending.dept_projects
    return amount_ratio(
        "部门项目支出决算数",
        line_value(line, dept.dept_projects, "actual"),
        "部门项目全年预算数",
        line_value(line, dept.dept_projects, "full_year"),
    )


@indicator("public_project_execution_rate", "公共项目资金执行率")
def public_project_execution_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """公共项目实际分配资金 / 公共项目全年预算数 × 100%."""
    line = dept.spending.public_projects
    return amount_ratio(
        "公共项目实际分配资金",
        line_value(line, dept.public_projects, "actual"),
        "公共项目全年预算数",
        line_value(line, dept.public_projects, "full_year"),
    )


@indicator("project_spending_change_rate", "项目支出较上年变动率")
def project_spending_change_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """(本年项目支出 − 上年项目支出) / 上年项目支出 × 100%."""
    line = dept.spending.projects
    cur = line.actual
    if cur is None:
        cur = all_or_none([dept.spending.dept_projects.actual, dept.spending.public_projects.actual])
    return change("本年项目支出数", cur, "上年项目支出数", line.prior_actual)


@indicator("basic_spending_change_rate", "基本支出较上年变动率")
def basic_spending_change_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """(本年基本支出 − 上年基本支出) / 上年基本支出 × 100%."""
    b = dept.spending.basic
    return change("本年基本支出数", b.actual, "上年基本支出数", b.prior_actual)


@indicator("kpi_completion_rate", "履职目标完成率")
def kpi_completion_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """已完成的履职目标个数 / 设有数值目标的履职目标个数 × 100%."""
    judged = [(k, kpi_met(k)) for k in dept.kpis]
    judged = [(k, m) for k, m in judged if m is not None]
    met = sum(1 for _, m in judged if m)
    if not judged:
        why = "没有填写履职目标" if not dept.kpis else "履职目标都没有可比较的目标值和完成值"
        return not_computable("已完成目标个数/设有目标值的履职目标个数×100%", why)
    return ratio(
        "已完成目标个数", met, cnt(met, "个"), "设有目标值的履职目标个数", len(judged), cnt(len(judged), "个")
    )


# ---------------------------------------------------------------- 可持续发展 / 资产


def _asset_total(dept: Department, attr: str) -> Decimal | None:
    line = dept.assets.get("资产总额")
    if line is not None and getattr(line, attr) is not None:
        return getattr(line, attr)
    parts = dept.assets.parts()
    return all_or_none(getattr(p, attr) for p in parts) if parts else None


@indicator("asset_growth_rate", "资产增长率")
def asset_growth_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """(本年末资产总额 − 上年末资产总额) / 上年末资产总额 × 100%."""
    return change(
        "本年末资产总额", _asset_total(dept, "end"), "上年末资产总额", _asset_total(dept, "prior_end")
    )


@indicator("fixed_asset_net_rate", "固定资产净值率")
def fixed_asset_net_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """固定资产净值 / 固定资产原值 × 100% (净值 = 原值 − 累计折旧 where not given)."""
    gross = dept.assets.get("固定资产原值")
    net = dept.assets.get("固定资产净值")
    dep = dept.assets.get("累计折旧")
    g = gross.end if gross else None
    n = net.end if net else None
    if n is None and g is not None and dep is not None and dep.end is not None:
        n = g - dep.end
    return amount_ratio("固定资产净值", n, "固定资产原值", g)


# ---------------------------------------------------------------- 满意度


@indicator("satisfaction_rate", "服务对象满意度")
def satisfaction_rate(dept: Department, opts: EvalOptions) -> Indicator:
    """满意（含基本满意）问卷数 / 收回问卷数 × 100%."""
    s = dept.satisfaction
    return ratio(
        "满意问卷数",
        s.satisfied,
        cnt(s.satisfied, "份") if s.satisfied is not None else "",
        "收回问卷数",
        s.surveyed,
        cnt(s.surveyed, "份") if s.surveyed is not None else "",
    )


# ---------------------------------------------------------------- public API


def compute_all(dept: Department, options: EvalOptions | None = None) -> dict[str, Indicator]:
    """Every registered department-level indicator, in registry order."""
    opts = options or DEFAULT_OPTIONS
    return {id: d.fn(dept, opts) for id, d in REGISTRY.items()}


def project_execution(p: Project) -> Indicator:
    label = "实际分配资金" if p.kind == "public" else "决算数"
    return amount_ratio(
        label,
        p.actual,
        "全年预算数",
        p.full_year,
        id="project_execution_rate",
        name="项目资金执行率",
        subject=p.name,
    )


def project_indicators(dept: Department, options: EvalOptions | None = None) -> list[Indicator]:
    """Per subject: each project's 执行率, each 承担单位's 执行率, each 履职目标's 实际完成率."""
    out = [project_execution(p) for p in dept.projects]
    for u in dept.undertakings:
        subject = f"{u.project}（{u.unit}）" if u.unit else u.project
        out.append(
            amount_ratio(
                "实际支出",
                u.spent,
                "下达金额",
                u.allocated,
                id="undertaking_execution_rate",
                name="项目承担单位资金执行率",
                subject=subject,
            )
        )
    for k in dept.kpis:
        t, a = quantity(k.target), quantity(k.actual)
        out.append(
            ratio(
                "完成值",
                a,
                num(a, k.unit) if a is not None else "",
                "目标值",
                t,
                num(t, k.unit) if t is not None else "",
                id="kpi_actual_rate",
                name="实际完成率",
                subject=k.name,
            )
        )
    return out


def catalogue() -> list[tuple[str, str, str, str]]:
    """(id, 名称, 单位, 说明) of every registered indicator — for docs and `jixiao frameworks`."""
    return [(d.id, d.name, d.unit, d.doc) for d in REGISTRY.values()]


__all__ = [
    "DEFAULT_OPTIONS",
    "HUNDRED",
    "REGISTRY",
    "EvalOptions",
    "catalogue",
    "compute_all",
    "exclusion_groups",
    "indicator",
    "kpi_met",
    "kpi_nature",
    "project_execution",
    "project_indicators",
    "quantity",
]
