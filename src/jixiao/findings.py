"""Findings (存在的问题): rules over the data and the indicators, each with evidence figures and
draft sentences for the report's 九、存在的问题 and 十、下一步改进措施 (DESIGN §7).

Rule ids are stable (tests, batch summaries and the report rely on them). Thresholds come from
EvalOptions. Pure: ``find(dept, indicators, options) -> list[Finding]``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from .indicators import DEFAULT_OPTIONS, EvalOptions, kpi_met, project_execution
from .model import Department, Project
from .money import fmt_amount, fmt_count, fmt_rate, q2, ratio_pct
from .results import Finding, Indicator

D = Decimal

CAT_BUDGET = "预算和预算绩效管理"
CAT_DUTY = "部门履职效能"
CAT_FUNDS = "资金分配、使用和管理"
#: 九's sub-headings in the report's order
CATEGORIES = (CAT_BUDGET, CAT_DUTY, CAT_FUNDS)

Rule = Callable[[Department, dict[str, Indicator], EvalOptions], list[Finding]]
RULES: dict[str, Rule] = {}


def rule(id: str):
    def deco(fn: Rule) -> Rule:
        RULES[id] = fn
        return fn

    return deco


def wan(x: Decimal) -> str:
    return fmt_amount(x) + "万元"


def _kind_zh(kind: str) -> str:
    return "公共项目" if kind == "public" else "部门项目"


def _names(ps: list[Project]) -> str:
    return "、".join(p.name for p in ps)


# ---------------------------------------------------------------- 预算和预算绩效管理


@rule("budget_adjustment_high")
def budget_adjustment_high(dept, inds, opts) -> list[Finding]:
    ind = inds.get("budget_adjustment_rate")
    if ind is None or ind.value is None or ind.value <= opts.adjustment_threshold:
        return []
    t = dept.spending.total
    return [
        Finding(
            "budget_adjustment_high",
            "medium",
            "预算调整",
            f"年度预算调整幅度偏大：年初预算{wan(t.initial)}，年中调整{wan(t.adjustment)}，预算调整率为"
            f"{fmt_rate(ind.value)}，高于{fmt_rate(opts.adjustment_threshold)}的控制线，年初预算对全年资金需求的预见性不足。",
            {
                "预算调整率": ind.value,
                "预算调整数": t.adjustment,
                "年初预算数": t.initial,
                "阈值": opts.adjustment_threshold,
            },
            "在编制年初预算时充分测算全年资金需求，把可预见的支出编入年初预算，减少年中追加和调整，维护预算的严肃性。",
            CAT_BUDGET,
        )
    ]


@rule("budget_moved_between_projects")
def budget_moved_between_projects(dept, inds, opts) -> list[Finding]:
    out = []
    for kind, projects in (("public", dept.public_projects), ("department", dept.dept_projects)):
        up = [p for p in projects if p.adjustment is not None and p.adjustment > 0]
        down = [p for p in projects if p.adjustment is not None and p.adjustment < 0]
        if not up or not down:
            continue
        ups = "、".join(f"{p.name}调增{wan(p.adjustment)}" for p in up)
        downs = "、".join(f"{p.name}调减{wan(-p.adjustment)}" for p in down)
        out.append(
            Finding(
                "budget_moved_between_projects",
                "medium",
                _kind_zh(kind),
                f"年度执行中{_kind_zh(kind)}之间存在资金调剂：{ups}；同期{downs}。项目间相互调剂说明部分项目年初预算"
                f"与实际需求偏差较大。",
                {
                    "调增项目": {p.name: p.adjustment for p in up},
                    "调减项目": {p.name: p.adjustment for p in down},
                    "调增合计": sum((p.adjustment for p in up), D(0)),
                    "调减合计": sum((p.adjustment for p in down), D(0)),
                },
                "细化项目预算的测算依据，按项目实施进度安排资金，确需调剂的履行调整程序并说明理由。",
                CAT_BUDGET,
            )
        )
    return out


@rule("project_unspent")
def project_unspent(dept, inds, opts) -> list[Finding]:
    out = []
    for kind, projects in (("public", dept.public_projects), ("department", dept.dept_projects)):
        idle = [
            p
            for p in projects
            if p.full_year is not None and p.full_year > 0 and p.actual is not None and p.actual == 0
        ]
        if not idle:
            continue
        total = sum((p.full_year for p in idle), D(0))
        out.append(
            Finding(
                "project_unspent",
                "high",
                _kind_zh(kind),
                f"有{len(idle)}个{_kind_zh(kind)}全年未形成支出：{_names(idle)}，涉及全年预算{wan(total)}，"
                f"预算安排与实际执行脱节，相关年度目标任务未能完成。",
                {"项目数": len(idle), "全年预算合计": total, "项目": {p.name: p.full_year for p in idle}},
                "对长期未支出的项目逐一分析原因：政策已调整或需求消失的及时收回或调整用途，"
                "计划跨年实施的按进度编列预算，避免资金闲置。",
                CAT_BUDGET,
            )
        )
    return out


def _over(actual, budget) -> bool:
    return actual is not None and budget is not None and actual > budget


@rule("basic_over_budget")
def basic_over_budget(dept, inds, opts) -> list[Finding]:
    b = dept.spending.basic
    bases = [
        (label, v) for label, v in (("年初预算", b.initial), ("全年预算", b.full_year)) if _over(b.actual, v)
    ]
    if not bases:
        return []
    parts = "，".join(f"比{label}{wan(v)}多{wan(b.actual - v)}" for label, v in bases)
    ev = {
        "基本支出决算数": b.actual,
        **{f"基本支出{label}数": v for label, v in bases},
        **{f"超{label}": b.actual - v for label, v in bases},
    }
    return [
        Finding(
            "basic_over_budget",
            "medium",
            "基本支出",
            f"基本支出决算{wan(b.actual)}，{parts}，基本支出预算编制不够充分。",
            ev,
            "按在职和离退休人员变动情况据实编制基本支出预算，人员经费等刚性支出足额编列，减少执行中的超支。",
            CAT_BUDGET,
        )
    ]


@rule("three_public_low_execution")
def three_public_low_execution(dept, inds, opts) -> list[Finding]:
    ind = inds.get("three_public_control_rate")
    if ind is None or ind.value is None or ind.value >= opts.three_public_control_threshold:
        return []
    tp = dept.three_public
    return [
        Finding(
            "three_public_low_execution",
            "low",
            "“三公”经费",
            f"“三公”经费预算{wan(tp.total('budget'))}，实际支出{wan(tp.total('actual'))}，仅执行预算的{fmt_rate(ind.value)}，"
            f"预算数明显高于实际需要。",
            {
                "三公经费控制率": ind.value,
                "三公经费预算数": tp.total("budget"),
                "三公经费实际支出数": tp.total("actual"),
                "阈值": opts.three_public_control_threshold,
            },
            "参照近年实际支出和年度工作计划核定“三公”经费预算，使预算规模与实际需要相匹配。",
            CAT_BUDGET,
        )
    ]


@rule("public_funds_low_execution")
def public_funds_low_execution(dept, inds, opts) -> list[Finding]:
    ind = inds.get("public_funds_control_rate")
    if ind is None or ind.value is None or ind.value >= opts.public_funds_control_threshold:
        return []
    pf = dept.public_funds
    return [
        Finding(
            "public_funds_low_execution",
            "low",
            "公用经费",
            f"公用经费预算{wan(pf.budget)}，实际支出{wan(pf.actual)}，执行率仅{fmt_rate(ind.value)}，预算明显高于实际需要。",
            {"公用经费控制率": ind.value, "公用经费预算数": pf.budget, "公用经费实际支出数": pf.actual},
            "按定额标准和实际需要核定公用经费预算。",
            CAT_BUDGET,
        )
    ]


@rule("three_public_over_budget")
def three_public_over_budget(dept, inds, opts) -> list[Finding]:
    ind = inds.get("three_public_control_rate")
    if ind is None or ind.value is None or ind.value <= 100:
        return []
    tp = dept.three_public
    return [
        Finding(
            "three_public_over_budget",
            "high",
            "“三公”经费",
            f"“三公”经费实际支出{wan(tp.total('actual'))}，超过预算{wan(tp.total('budget'))}，控制率{fmt_rate(ind.value)}。",
            {"三公经费控制率": ind.value},
            "严格执行“三公”经费预算，超预算事项一律先履行审批程序。",
            CAT_BUDGET,
        )
    ]


# ---------------------------------------------------------------- 部门履职效能


def _q(x) -> str:
    """A KPI quantity as written: 408.0 → 408, 12.50 → 12.5, text as is."""
    return fmt_count(x) if isinstance(x, (Decimal, int)) else str(x)


@rule("kpi_not_met")
def kpi_not_met(dept, inds, opts) -> list[Finding]:
    out = []
    for k in dept.kpis:
        if kpi_met(k) is not False:
            continue
        out.append(
            Finding(
                "kpi_not_met",
                "medium",
                k.name,
                f"履职目标“{k.name}”未完成：目标值{_q(k.target)}{k.unit}，实际完成{_q(k.actual)}{k.unit}。",
                {"目标值": k.target, "完成值": k.actual, "单位": k.unit},
                "分析目标未完成的原因：目标设定偏高的据实调整，执行不力的完善工作机制，确保下一年度完成。",
                CAT_DUTY,
            )
        )
    return out


@rule("staff_over_limit")
def staff_over_limit(dept, inds, opts) -> list[Finding]:
    ind = inds.get("staff_control_rate")
    if ind is None or ind.value is None or ind.value <= opts.staff_limit:
        return []
    s = dept.staffing
    return [
        Finding(
            "staff_over_limit",
            "high",
            "人员编制",
            f"在职人员{s.staff_count}人，超过编制数{s.authorized_total}人，在职人员控制率为{fmt_rate(ind.value)}。",
            {"在职人员控制率": ind.value, "在职人员数": s.staff_count, "编制数": s.authorized_total},
            "严格按编制配备人员，逐步消化超编人员。",
            CAT_DUTY,
        )
    ]


@rule("satisfaction_low")
def satisfaction_low(dept, inds, opts) -> list[Finding]:
    ind = inds.get("satisfaction_rate")
    if ind is None or ind.value is None or ind.value >= opts.satisfaction_threshold:
        return []
    return [
        Finding(
            "satisfaction_low",
            "medium",
            "服务对象满意度",
            f"服务对象满意度为{fmt_rate(ind.value)}，低于{fmt_rate(opts.satisfaction_threshold)}。",
            {"满意度": ind.value},
            "梳理问卷中反映的意见，逐条改进服务。",
            CAT_DUTY,
        )
    ]


# ---------------------------------------------------------------- 资金分配、使用和管理


@rule("budget_execution_low")
def budget_execution_low(dept, inds, opts) -> list[Finding]:
    ind = inds.get("budget_execution_rate")
    if ind is None or ind.value is None or ind.value >= opts.budget_execution_threshold:
        return []
    return [
        Finding(
            "budget_execution_low",
            "medium",
            "预算执行",
            f"全年预算执行率为{fmt_rate(ind.value)}，低于{fmt_rate(opts.budget_execution_threshold)}，预算执行进度偏慢。",
            {"预算执行率": ind.value, "阈值": opts.budget_execution_threshold},
            "建立预算执行进度通报机制，对执行慢的项目及时督办。",
            CAT_FUNDS,
        )
    ]


@rule("project_low_execution")
def project_low_execution(dept, inds, opts) -> list[Finding]:
    out = []
    for p in dept.projects:
        ind = project_execution(p)
        if ind.value is None or ind.value == 0 or ind.value >= opts.execution_threshold:
            continue  # zero spending is project_unspent's finding
        idle = p.full_year - p.actual
        reason = f"（{p.variance_reason}）" if p.variance_reason else ""
        sev = "high" if ind.value < 50 else "medium"
        out.append(
            Finding(
                "project_low_execution",
                sev,
                p.name,
                f"{_kind_zh(p.kind)}“{p.name}”全年预算{wan(p.full_year)}，实际支出{wan(p.actual)}，执行率{fmt_rate(ind.value)}，"
                f"低于{fmt_rate(opts.execution_threshold)}，{wan(idle)}未形成支出{reason}。",
                {
                    "执行率": ind.value,
                    "全年预算数": p.full_year,
                    "实际支出数": p.actual,
                    "未支出数": idle,
                    "阈值": opts.execution_threshold,
                },
                "对执行率偏低的项目加强跟踪督办，按实施进度拨付资金，年中无法支出的及时调整。",
                CAT_FUNDS,
            )
        )
    return out


@rule("undertaking_low_execution")
def undertaking_low_execution(dept, inds, opts) -> list[Finding]:
    out = []
    for u in dept.undertakings:
        if u.allocated is None or u.spent is None or u.allocated == 0:
            continue
        r = q2(ratio_pct(u.spent, u.allocated))
        if r >= opts.undertaking_threshold:
            continue
        who = f"{u.unit}承担的" if u.unit else ""
        note = f"（{u.note}）" if u.note else ""
        out.append(
            Finding(
                "undertaking_low_execution",
                "high" if r < 50 else "medium",
                f"{u.project}（{u.unit}）" if u.unit else u.project,
                f"项目承担单位资金使用率偏低：{who}“{u.project}”获下达资金{wan(u.allocated)}，年末实际支出{wan(u.spent)}，"
                f"执行率仅{fmt_rate(r)}{note}。",
                {
                    "执行率": r,
                    "下达金额": u.allocated,
                    "实际支出": u.spent,
                    "阈值": opts.undertaking_threshold,
                },
                "对预算执行率低的项目承担单位开展约谈和跟踪检查，督促按任务书进度使用资金。",
                CAT_FUNDS,
            )
        )
    return out


@rule("project_over_budget")
def project_over_budget(dept, inds, opts) -> list[Finding]:
    out = []
    for p in dept.projects:
        if not _over(p.actual, p.full_year):
            continue
        out.append(
            Finding(
                "project_over_budget",
                "high",
                p.name,
                f"{_kind_zh(p.kind)}“{p.name}”支出{wan(p.actual)}，超过全年预算{wan(p.full_year)}，超支{wan(p.actual - p.full_year)}。",
                {"全年预算数": p.full_year, "实际支出数": p.actual, "超支数": p.actual - p.full_year},
                "严格按预算支出，确需增加的先办理预算调整。",
                CAT_FUNDS,
            )
        )
    return out


@rule("asset_growth_high")
def asset_growth_high(dept, inds, opts) -> list[Finding]:
    ind = inds.get("asset_growth_rate")
    th = opts.asset_growth_threshold
    if th is None or ind is None or ind.value is None or ind.value <= th:
        return []
    added = [
        a
        for a in dept.assets.parts()
        if a.end is not None and a.prior_end is not None and a.end > a.prior_end
    ]
    main = max(added, key=lambda a: a.end - a.prior_end, default=None)
    extra = f"，增加主要来自{main.name}（增加{wan(main.end - main.prior_end)}）" if main else ""
    end, prior = ind.inputs.get("本年末资产总额"), ind.inputs.get("上年末资产总额")
    return [
        Finding(
            "asset_growth_high",
            "low",
            "资产",
            f"资产总额{wan(end)}，较上年{wan(prior)}增加{wan(end - prior)}，增长{fmt_rate(ind.value)}{extra}，"
            f"变动幅度较大，需说明原因并加强新增资产的管理使用。",
            {"资产增长率": ind.value, "本年末资产总额": end, "上年末资产总额": prior, "阈值": th},
            "新增资产及时登记入账，明确使用责任，提高资产使用效益。",
            CAT_FUNDS,
        )
    ]


# ---------------------------------------------------------------- public API


def find(
    dept: Department, indicators: dict[str, Indicator], options: EvalOptions | None = None
) -> list[Finding]:
    """Every finding, grouped by category (九's order), then by rule, then in data order."""
    opts = options or DEFAULT_OPTIONS
    out: list[Finding] = []
    for fn in RULES.values():
        out.extend(fn(dept, indicators, opts))
    order = {c: i for i, c in enumerate(CATEGORIES)}
    rule_order = {r: i for i, r in enumerate(RULES)}
    return sorted(out, key=lambda f: (order.get(f.category, 99), rule_order[f.rule]))


__all__ = ["find", "RULES", "CATEGORIES"]
