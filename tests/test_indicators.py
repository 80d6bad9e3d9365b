"""Indicators: every DESIGN §5 value on the reference data, traces recomputed from their own text,
not-computable cases, options, and invariants."""

from __future__ import annotations

import random
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference_department import reference_department
from synthetic_department import synthetic_department

from jixiao.indicators import (
    REGISTRY,
    EvalOptions,
    catalogue,
    compute_all,
    exclusion_groups,
    project_indicators,
)
from jixiao.model import Department, Project
from jixiao.money import q2

D = Decimal

# figures stated in the reference report (DESIGN §5 and the reference README)
REFERENCE = {
    "staff_control_rate": "86.76",
    "three_public_budget_change_rate": "-21.84",
    "three_public_control_rate": "23.98",
    "three_public_saving": "43.97",
    "three_public_car_change_rate": "31.99",
    "three_public_reception_change_rate": "65.38",
    "public_funds_control_rate": "99.50",
    "public_funds_change_rate": "-1.25",  # (147.41 − 149.27)/149.27: "压减1.86万元"
    "budget_execution_rate": "92.33",
    "budget_execution_rate_plain": "69.77",
    "budget_adjustment_rate": "12.63",
    "budget_control_rate": "12.63",
    "procurement_execution_rate": "100.00",
    "dept_project_execution_rate": "78.59",
    "public_project_execution_rate": "68.77",
    "project_spending_change_rate": "-32.89",
    "basic_spending_change_rate": "3.20",
    "asset_growth_rate": "414.49",
    "fixed_asset_net_rate": "45.66",  # 112.79 / 247.00
    "satisfaction_rate": "100.00",
}


@pytest.fixture(scope="module")
def ref():
    return compute_all(reference_department())


@pytest.mark.parametrize("id, expected", sorted(REFERENCE.items()))
def test_reference_values(ref, id, expected):
    ind = ref[id]
    assert ind.computable, ind.reason
    assert ind.value == D(expected)
    assert str(ind.value) == expected  # exactly two places, as the report writes it


def test_every_design_id_is_registered():
    design = [
        "staff_control_rate",
        "three_public_budget_change_rate",
        "three_public_control_rate",
        "public_funds_control_rate",
        "budget_execution_rate",
        "budget_adjustment_rate",
        "procurement_execution_rate",
        "dept_project_execution_rate",
        "public_project_execution_rate",
        "project_spending_change_rate",
        "basic_spending_change_rate",
        "asset_growth_rate",
        "satisfaction_rate",
    ]
    assert set(design) <= set(REGISTRY)
    assert [c[0] for c in catalogue()] == list(REGISTRY)


def test_reference_traces_in_report_style(ref):
    assert ref["staff_control_rate"].formula == "（在职人员数59人/编制数68人）×100%=86.76%"
    assert ref["three_public_budget_change_rate"].formula == (
        "〔（本年度三公经费预算数57.84万元－上年度三公经费预算数74.00万元）/上年度三公经费预算数74.00万元〕×100%=-21.84%"
    )
    assert (
        ref["public_funds_control_rate"].formula
        == "（公用经费实际支出数147.41万元/公用经费预算数148.15万元）×100%=99.50%"
    )


def test_execution_rate_trace_names_exclusions_by_reason(ref):
    f = ref["budget_execution_rate"].formula
    assert "预算执行数52,878.93万元" in f and "全年预算数75,785.97万元" in f
    assert "未分配未支出10,435.00万元" in f and "财政统一收回8,080.00万元" in f and "=92.33%" in f
    detail = f.split("剔除明细", 1)[1]
    for name in (
        "专业科普场馆建设与运营补贴",
        "科技成果转化子基金2",
        "国家级科技奖励配套",
        "科技成果转化子基金1",
    ):
        assert name in detail
    assert "6个项目" in detail and "1个项目" in detail
    groups = exclusion_groups(reference_department())
    assert [(r, s, len(n)) for r, s, n in groups] == [
        ("未分配未支出", D("10435.00"), 6),
        ("财政统一收回", D("8080.00"), 1),
    ]


# ---------------------------------------------------------------- traces are machine-checkable

_NUM = re.compile(r"\d+(?:\.\d+)?")


def recompute(trace: str) -> tuple[Decimal, Decimal]:
    """Parse 'a/b×100%=c%'-style trace text back into arithmetic: (recomputed, stated)."""
    eq = trace.split("（剔除明细", 1)[0]
    lhs, rhs = eq.rsplit("=", 1)
    stated = D(rhs.replace(",", "").replace("%", "").replace("万元", ""))
    e = lhs
    for a, b in (
        ("〔", "("),
        ("〕", ")"),
        ("（", "("),
        ("）", ")"),
        ("－", "-"),
        ("＋", "+"),
        ("×", "*"),
        ("%", ""),
    ):
        e = e.replace(a, b)
    e = re.sub(r"(?<=\d),(?=\d{3})", "", e)
    e = re.sub(r"[^\d.+\-*/()]", "", e)  # labels and units carry no digits
    while "()" in e:  # a label's own brackets, e.g. 因公出国（境）费, leave an empty pair
        e = e.replace("()", "")
    e = _NUM.sub(lambda m: f"D('{m.group(0)}')", e)
    value = eval(e, {"D": D})  # our own trace: digits, operators and D(...) only
    return q2(value), stated


def _all_traces(dept: Department):
    return [*compute_all(dept).values(), *project_indicators(dept)]


@pytest.mark.parametrize("maker", [reference_department, synthetic_department])
def test_every_trace_recomputes_to_its_value(maker):
    checked = 0
    for ind in _all_traces(maker()):
        if not ind.computable:
            assert ind.value is None and ind.reason and "无法计算" in ind.formula
            continue
        got, stated = recompute(ind.formula)
        assert got == stated == ind.value, (ind.id, ind.subject, ind.formula)
        checked += 1
    assert checked >= 20


def test_trace_parser_catches_a_wrong_trace():
    got, stated = recompute("（在职人员数59人/编制数68人）×100%=86.77%")
    assert got != stated


# ---------------------------------------------------------------- per project / 承担单位 / KPI


def test_reference_project_and_undertaking_rates():
    by = {(i.id, i.subject): i for i in project_indicators(reference_department())}
    assert by[("project_execution_rate", "科技成果转化子基金1")].value == D("19.20")
    assert by[("project_execution_rate", "对外科技合作与交流")].value == D("31.40")
    assert by[("project_execution_rate", "科技重大专项")].value == D("68.34")
    u = by[("undertaking_execution_rate", "国家超级计算长沙中心升级建设项目（湖南大学）")]
    assert u.value == D("4.70") and u.formula == "（实际支出375.81万元/下达金额8,000.00万元）×100%=4.70%"
    # KPIs without a target: not computable, never 0
    kp = [i for i in by.values() if i.id == "kpi_actual_rate"]
    assert kp and all(not i.computable and i.value is None and "目标值" in i.reason for i in kp)


def test_three_public_item_with_zero_prior_is_not_computable(ref):
    ind = ref["three_public_abroad_change_rate"]
    assert not ind.computable and ind.value is None and "为0" in ind.reason


def test_kpi_rates_on_synthetic():
    inds = compute_all(synthetic_department())
    assert inds["kpi_completion_rate"].value == D("66.67")  # 2 of 3 met
    assert (
        inds["kpi_completion_rate"].formula == "（已完成目标个数2个/设有目标值的履职目标个数3个）×100%=66.67%"
    )
    rates = {
        i.subject: i.value for i in project_indicators(synthetic_department()) if i.id == "kpi_actual_rate"
    }
    assert rates == {"培训新型职业农民": D("120.00"), "新建高标准农田": D("80.00"), "农药使用量": D("80.00")}


def test_carry_over_family_on_synthetic():
    inds = compute_all(synthetic_department())
    assert inds["budget_completion_rate"].value == D("96.67")  # (50+1000+150−40)/(50+1000+150)
    assert inds["carryover_rate"].value == D("3.48")  # 40/1150
    assert inds["carryover_change_rate"].value == D("-33.33")  # (40−60)/60
    assert inds["fixed_asset_net_rate"].value == D("62.50")  # (320−120)/320, 净值 derived
    assert inds["budget_execution_rate"].value == inds["budget_execution_rate_plain"].value == D("90.00")


# ---------------------------------------------------------------- options and edge cases


def test_three_public_basis_actual(ref):
    d = reference_department()
    a = compute_all(d, EvalOptions(three_public_basis="actual"))["three_public_budget_change_rate"]
    # 决算 vs 上年决算: (13.87 − 6.75)/6.75
    assert a.value == D("105.48") and "决算数" in a.formula
    assert "预算数" in ref["three_public_budget_change_rate"].formula


def test_bad_basis_is_a_value_error_the_shells_map():
    from jixiao.errors import JixiaoError, OptionError

    with pytest.raises(ValueError, match="budget 或 actual") as e:
        EvalOptions(three_public_basis="both")
    assert isinstance(e.value, OptionError) and not isinstance(e.value, JixiaoError)


def test_empty_department_computes_nothing_and_never_crashes():
    inds = compute_all(Department())
    assert set(inds) == set(REGISTRY)
    for ind in inds.values():
        assert not ind.computable and ind.value is None and ind.reason, ind.id
    assert project_indicators(Department()) == []


@pytest.mark.parametrize(
    "id, mutate",
    [
        ("staff_control_rate", lambda d: setattr(d.staffing, "authorized", {"行政编制": 0})),
        ("public_funds_control_rate", lambda d: setattr(d.public_funds, "budget", D("0"))),
        ("budget_adjustment_rate", lambda d: setattr(d.spending.total, "initial", D("0.00"))),
        ("asset_growth_rate", lambda d: setattr(d.assets.lines[0], "prior_end", D("0"))),
        ("satisfaction_rate", lambda d: setattr(d.satisfaction, "surveyed", 0)),
        ("procurement_execution_rate", lambda d: setattr(d.procurement, "full_year_total", D("0"))),
    ],
)
def test_zero_denominator_is_not_computable_not_zero(id, mutate):
    d = reference_department()
    mutate(d)
    ind = compute_all(d)[id]
    assert ind.value is None and not ind.computable and "为0" in ind.reason


def test_exclusions_that_eat_the_budget_are_not_computable():
    d = reference_department()
    d.public_projects[0].excluded = D("100000")
    ind = compute_all(d)["budget_execution_rate"]
    assert not ind.computable and "不大于0" in ind.reason


def test_negative_adjustment_rate():
    d = synthetic_department()
    d.spending.total.adjustment = D("-150")
    assert compute_all(d)["budget_adjustment_rate"].value == D("-15.00")


def test_no_exclusions_execution_rate_equals_plain_rate():
    d = reference_department()
    for p in d.projects:
        p.excluded = None
    inds = compute_all(d)
    assert inds["budget_execution_rate"].value == D("69.77")
    assert inds["budget_execution_rate"].id == "budget_execution_rate"


def test_dept_project_totals_fall_back_to_rows():
    d = reference_department()
    d.spending.dept_projects.actual = None
    d.spending.dept_projects.full_year = None
    assert compute_all(d)["dept_project_execution_rate"].value == D(
        "78.59"
    )  # the rows add up to 298.41/379.72


def test_half_up_rounding_once():
    d = Department()
    d.public_funds.budget, d.public_funds.actual = D("8"), D("1")  # 12.5% exactly
    d.satisfaction.surveyed, d.satisfaction.satisfied = 200, 1  # 0.5%
    inds = compute_all(d)
    assert inds["public_funds_control_rate"].value == D("12.50")
    assert inds["satisfaction_rate"].value == D("0.50")
    d.satisfaction.surveyed, d.satisfaction.satisfied = 8, 7  # 87.5% → 87.50; 1/3 → 33.33
    assert compute_all(d)["satisfaction_rate"].value == D("87.50")
    d.procurement.full_year_total, d.procurement.actual_total = D("0.03"), D("0.00005")  # 0.1666..% → 0.17
    assert compute_all(d)["procurement_execution_rate"].value == D("0.17")


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_row_order_changes_nothing(rnd: random.Random):
    a = reference_department()
    b = reference_department()
    rnd.shuffle(b.public_projects)
    rnd.shuffle(b.dept_projects)
    rnd.shuffle(b.three_public.items)
    rnd.shuffle(b.assets.lines)
    va = {k: (v.value, v.computable) for k, v in compute_all(a).items()}
    vb = {k: (v.value, v.computable) for k, v in compute_all(b).items()}
    assert va == vb
    pa = sorted((i.id, i.subject, i.value) for i in project_indicators(a))
    pb = sorted((i.id, i.subject, i.value) for i in project_indicators(b))
    assert pa == pb


@settings(max_examples=60, deadline=None)
@given(
    num=st.decimals(min_value=0, max_value=10**8, places=2),
    den=st.decimals(min_value=0, max_value=10**8, places=2),
)
def test_ratio_indicator_traces_always_recompute(num, den):
    d = Department()
    d.public_funds.actual, d.public_funds.budget = num, den
    ind = compute_all(d)["public_funds_control_rate"]
    if den == 0:
        assert ind.value is None and not ind.computable
    else:
        got, stated = recompute(ind.formula)
        assert got == stated == ind.value


def test_project_without_budget_is_not_computable():
    ind = project_indicators(Department(public_projects=[Project("空项目", "public", actual=D("5"))]))[0]
    assert not ind.computable and ind.subject == "空项目" and "全年预算数" in ind.reason


def test_kpi_targets_written_as_text():
    from jixiao.model import KPI

    d = Department(
        kpis=[
            KPI("a", "≥30", "108"),
            KPI("b", "≤5%", "6%"),
            KPI("c", "按期", "按期"),
            KPI("d", "显著", "一般"),
        ]
    )
    inds = compute_all(d)
    # a met, b not met, c met (same text), d cannot be told
    assert (
        inds["kpi_completion_rate"].formula == "（已完成目标个数2个/设有目标值的履职目标个数3个）×100%=66.67%"
    )
    rates = {i.subject: i.value for i in project_indicators(d)}
    assert rates["a"] == D("360.00") and rates["b"] == D("120.00") and rates["c"] is None


def test_every_indicator_writes_its_id_once_and_the_registry_stamps_it():
    """The decorator gives the id: the module names each id once (in its ``@indicator``), and every
    computed indicator carries its registered id, name and unit."""
    import inspect

    import jixiao.indicators as mod

    src = inspect.getsource(mod)
    for id in REGISTRY:
        assert src.count(f'"{id}"') == 1, id
    for id, ind in compute_all(reference_department()).items():
        d = REGISTRY[id]
        assert (ind.id, ind.name, ind.unit) == (d.id, d.name, d.unit)
