"""The one hypothesis strategy for departments (used by the checks, evaluate and report tests).

``departments()`` draws a *consistent* department: every 合计 equals its parts (支出总表 rows,
项目 sheets, 基本支出 by 经济分类), 年初 + 调整 = 全年 on every row. ``within_limits=True`` also keeps
every 决算 within its budget and the staff within 编制, so ``check`` reports nothing at all.
``departments(messy=True)`` draws anything a workbook can hold — blanks, zeros, negatives,
contradictions — for "never crashes, invariants hold" tests.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from jixiao.model import (
    KPI,
    AssetLine,
    Assets,
    BudgetLine,
    Department,
    ManualScore,
    PerfIndicator,
    Procurement,
    Project,
    PublicFunds,
    Satisfaction,
    Spending,
    Src,
    Staffing,
    ThreePublic,
    ThreePublicItem,
    Undertaking,
)

D = Decimal
THREE_PUBLIC = ("公务用车购置及运行费", "因公出国（境）费", "公务接待费")
SHEET = {"department": "部门项目", "public": "公共项目"}

money = st.decimals(min_value=D(0), max_value=D(50000), places=2, allow_nan=False, allow_infinity=False)
names = st.text(alphabet="科技项目经费专项平台建设奖励甲乙丙丁（）0123456789", min_size=2, max_size=14)
#: an amount as a messy workbook may hold it
AMT = st.one_of(st.none(), st.just(D(0)), st.decimals(min_value=-1000, max_value=100000, places=2))
CNT = st.one_of(st.none(), st.integers(min_value=0, max_value=500))


def _dec(lo: Decimal, hi: Decimal) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=lo, max_value=hi, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def projects(draw, kind: str, *, min_size: int = 0, max_size: int = 6) -> list[Project]:
    """Rows of one project sheet: 年初 + 调整 = 全年, 0 ≤ 决算 ≤ 全年, each at its own Excel row."""
    out = []
    for i, name in enumerate(draw(st.lists(names, min_size=min_size, max_size=max_size, unique=True))):
        initial = draw(money)
        adj = draw(_dec(-initial, D(5000)))
        full = initial + adj
        actual = draw(_dec(D(0), full))
        prior = draw(st.one_of(st.none(), money))
        out.append(
            Project(
                name=f"{name}{kind[0]}{i}",
                kind=kind,
                initial=initial,
                adjustment=adj,
                full_year=full,
                actual=actual,
                prior_actual=prior,
                src=Src(SHEET[kind], i + 2),
            )
        )
    return out


def _sum(ps: list[Project], attr: str) -> Decimal:
    return sum((getattr(p, attr) for p in ps), D(0))


@st.composite
def departments(draw, *, messy: bool = False, within_limits: bool = False, min_public: int = 0) -> Department:
    if messy:
        return draw(_messy())
    dp = draw(projects("department"))
    pp = draw(projects("public", min_size=min_public))
    parts = [
        BudgetLine(n, actual=draw(money)) for n in ("工资福利支出", "商品和服务支出", "对个人和家庭的补助")
    ]
    basic_actual = sum((p.actual for p in parts), D(0))
    basic_initial = basic_actual + draw(money) if within_limits else draw(money)
    basic = BudgetLine("基本支出", basic_initial, D(0), basic_initial, basic_actual, draw(money))
    dline = BudgetLine(
        "部门项目支出", *(_sum(dp, a) for a in ("initial", "adjustment", "full_year", "actual"))
    )
    pline = BudgetLine(
        "公共项目支出", *(_sum(pp, a) for a in ("initial", "adjustment", "full_year", "actual"))
    )
    proj = BudgetLine(
        "项目支出",
        dline.initial + pline.initial,
        dline.adjustment + pline.adjustment,
        dline.full_year + pline.full_year,
        dline.actual + pline.actual,
        draw(money),
    )
    tot = BudgetLine(
        "整体支出",
        basic.initial + proj.initial,
        basic.adjustment + proj.adjustment,
        basic.full_year + proj.full_year,
        basic.actual + proj.actual,
    )
    items = []
    for n in THREE_PUBLIC:
        budget = draw(money)
        actual = draw(_dec(D(0), budget)) if within_limits else draw(money)
        items.append(ThreePublicItem(n, prior_actual=draw(money), budget=budget, actual=actual))
    authorized = {"行政编制": draw(st.integers(1, 200)), "工勤编制": draw(st.integers(0, 20))}
    staff_max = sum(authorized.values()) if within_limits else 220
    in_service = draw(st.integers(0, staff_max))
    other = draw(st.integers(0, min(10, staff_max - in_service)))
    pf_budget = draw(money)
    pf_actual = draw(_dec(D(0), pf_budget)) if within_limits else draw(money)
    return Department(
        name=draw(names) + "局",
        year=draw(st.integers(2015, 2030)),
        staffing=Staffing(
            authorized=authorized,
            in_service=in_service,
            other_employees=other,
            retired=draw(st.integers(0, 50)),
        ),
        spending=Spending(
            basic_parts=parts,
            basic=basic,
            dept_projects=dline,
            public_projects=pline,
            projects=proj,
            total=tot,
            gov_fund=draw(st.sampled_from([None, D("0"), D("12.50")])),
        ),
        three_public=ThreePublic(items=items),
        public_funds=PublicFunds(budget=pf_budget, actual=pf_actual, prior_actual=draw(money)),
        dept_projects=dp,
        public_projects=pp,
        satisfaction=Satisfaction(surveyed=80, satisfied=draw(st.integers(0, 80))),
    )


@st.composite
def _messy(draw) -> Department:
    def line(name: str) -> BudgetLine:
        return BudgetLine(name, *(draw(AMT) for _ in range(5)))

    projects = [
        Project(
            f"项目{chr(65 + i)}",
            draw(st.sampled_from(["public", "department"])),
            *(draw(AMT) for _ in range(5)),
            excluded=draw(AMT),
            exclusion_reason=draw(st.sampled_from(["", "收回", "未分配"])),
        )
        for i in range(draw(st.integers(0, 5)))
    ]
    pnames = [p.name for p in projects] or ["项目A"]
    return Department(
        name="测试单位",
        year=2024,
        staffing=Staffing(
            authorized={"行政编制": draw(st.integers(0, 100))},
            in_service=draw(CNT),
            other_employees=draw(CNT),
        ),
        spending=Spending(
            basic=line("基本支出"),
            dept_projects=line("部门项目支出"),
            public_projects=line("公共项目支出"),
            projects=line("项目支出"),
            total=line("整体支出"),
            carry_over_begin=draw(AMT),
            carry_over_end=draw(AMT),
            prior_carry_over_end=draw(AMT),
        ),
        three_public=ThreePublic(
            items=[ThreePublicItem(n, *(draw(AMT) for _ in range(4))) for n in THREE_PUBLIC]
        ),
        public_funds=PublicFunds(draw(AMT), draw(AMT), draw(AMT)),
        dept_projects=[p for p in projects if p.kind == "department"],
        public_projects=[p for p in projects if p.kind == "public"],
        undertakings=[
            Undertaking(draw(st.sampled_from(pnames)), "单位", draw(AMT), draw(AMT))
            for _ in range(draw(st.integers(0, 2)))
        ],
        perf_indicators=[
            PerfIndicator(
                draw(st.sampled_from(pnames)),
                draw(st.sampled_from(["产出指标", "效益指标", "满意度指标"])),
                "二级",
                f"指标{i}",
                draw(st.sampled_from(["≥", "≤", "=", "定性", "不适用"])),
                draw(AMT),
                "个",
                draw(AMT),
                weight=draw(st.one_of(st.none(), st.decimals(0, 30, places=1))),
                score=draw(AMT),
            )
            for i in range(draw(st.integers(0, 6)))
        ],
        procurement=Procurement(full_year_total=draw(AMT), actual_total=draw(AMT)),
        assets=Assets(lines=[AssetLine("资产总额", prior_end=draw(AMT), end=draw(AMT))]),
        kpis=[
            KPI(f"目标{i}", draw(AMT), draw(AMT), "个", nature=draw(st.sampled_from(["≥", "≤", "="])))
            for i in range(draw(st.integers(0, 3)))
        ],
        satisfaction=Satisfaction(draw(CNT), draw(CNT)),
        manual_scores=[ManualScore(i, draw(AMT)) for i in ("disclosure", "社会效益")],
    )
