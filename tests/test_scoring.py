"""Scoring: each rule kind with its boundaries, pending (待评) handling, grades, rescaling,
项目支出绩效自评, and hand-computed totals of the synthetic department through each framework."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference_department import reference_department
from synthetic_department import synthetic_department

from jixiao.errors import FrameworkError
from jixiao.frameworks import Band, Item, load_framework
from jixiao.indicators import compute_all
from jixiao.model import KPI, Department, ManualScore, PerfIndicator, Project
from jixiao.results import Indicator
from jixiao.scoring import (
    grade_of,
    rule_bands,
    rule_deduct,
    rule_equal,
    rule_inverse,
    rule_proportional,
    score,
    score_project,
)

D = Decimal
GRADES = load_framework().grades


def item(**kw) -> Item:
    base = dict(id="x", level1="一", level2="二", level3="三", weight=D(10), rule="proportional", source="s")
    return Item(**{**base, **kw})


# ---------------------------------------------------------------- rule kinds


@pytest.mark.parametrize(
    "v, expected", [("0", "0"), ("50", "5"), ("92.33", "9.233"), ("100", "10"), ("150", "10"), ("-5", "0")]
)
def test_proportional_capped(v, expected):
    assert rule_proportional(D(v), item())[0] == D(expected)


def test_capped_basis_states_true_arithmetic_then_the_cap(tmp_path):
    """A capped score's 依据 must survive an audit: the printed product is the real one."""
    from jixiao.audit import audit_file

    score, basis = rule_proportional(D("126.78"), item(weight=D(8), target=D(100)))
    assert score == D(8)
    assert "126.78%/100.00%×8.00分=10.14分" in basis and "按8.00分计（封顶）" in basis
    score, basis = rule_inverse(D("80"), item(weight=D(10), target=D(100), rule="inverse"))
    assert score == D(10) and "=12.50分" in basis and "封顶" in basis
    p = tmp_path / "依据.txt"
    p.write_text("评分依据：" + basis + "\n", encoding="utf-8")
    claims = audit_file(p).to_dict()["claims"]
    assert claims and all(c["status"] != "mismatch" for c in claims), claims


def test_proportional_uncapped_and_zero_target():
    assert rule_proportional(D(150), item(cap=False))[0] == D(15)
    assert rule_proportional(D(3), item(target=D(0)))[0] == D(10)


@pytest.mark.parametrize(
    "v, expected", [("100", "10"), ("80", "10"), ("125", "8"), ("0", "10"), ("-1", "10"), ("200", "5")]
)
def test_inverse(v, expected):
    assert rule_inverse(D(v), item(target=D(100)))[0] == D(expected)


def test_equal():
    assert rule_equal(D(5), item(target=D(5)))[0] == D(10)
    assert rule_equal(D(4), item(target=D(5)))[0] == D(8)
    assert rule_equal(D(0), item(target=D(5)))[0] == D(0)


ADJ_BANDS = (
    Band("<=", D(0), None, D(100)),
    Band("<=", D(10), None, D(75)),
    Band("<=", D(20), None, D(50)),
    Band("<=", D(30), None, D(25)),
    Band("else", None, None, D(0)),
)


@pytest.mark.parametrize(
    "v, expected",
    [
        ("-3", "8"),
        ("0", "8"),
        ("0.01", "6"),
        ("10", "6"),
        ("10.01", "4"),
        ("20", "4"),
        ("30", "2"),
        ("30.01", "0"),
    ],
)
def test_bands_design_example_boundaries_inclusive(v, expected):
    s, basis = rule_bands(D(v), item(weight=D(8), rule="bands", bands=ADJ_BANDS))
    assert s == D(expected) and "档" in basis


def test_bands_points_and_no_match():
    it = item(rule="bands", bands=(Band(">=", D(90), D(10), None), Band(">", D(80), D(7), None)))
    assert rule_bands(D(90), it)[0] == D(10)
    assert rule_bands(D(80.5), it)[0] == D(7)
    s, basis = rule_bands(D(80), it)
    assert s == 0 and "不在任何评分档" in basis


@pytest.mark.parametrize(
    "v, step, expected",
    [
        ("100", "continuous", "8"),
        ("86.76", "continuous", "8"),
        ("101", "continuous", "7.5"),
        ("104.5", "continuous", "5.75"),
        ("104.5", "each", "5.5"),
        ("120", "continuous", "0"),
        ("1000", "each", "0"),
    ],
)
def test_deduct(v, step, expected):
    it = item(weight=D(8), rule="deduct", threshold=D(100), points=D("0.5"), step=step)
    assert rule_deduct(D(v), it)[0] == D(expected)


def test_deduct_below_direction_per_five_points():
    it = item(weight=D(10), rule="deduct", threshold=D(90), direction="below", per=D(5), points=D(1))
    assert rule_deduct(D(95), it)[0] == D(10)
    assert rule_deduct(D(80), it)[0] == D(8)


# ---------------------------------------------------------------- grades


@pytest.mark.parametrize(
    "total, grade",
    [
        ("89.995", "优"),
        ("89.994", "良"),
        ("90", "优"),
        ("80.00", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.995", "中"),
        ("59.99", "差"),
        ("0", "差"),
        ("100", "优"),
    ],
)
def test_grade_boundaries_after_rounding_once(total, grade):
    assert grade_of(D(total), GRADES) == grade


def test_grade_of_none():
    assert grade_of(None, GRADES) is None


# ---------------------------------------------------------------- whole frameworks, hand-computed


def _score(fw: str, d: Department):
    return score(load_framework(fw), compute_all(d), d)


def test_synthetic_six_dimension_by_hand():
    sc = _score("six-dimension", synthetic_department())
    by = {i.id: i.score for i in sc.items}
    assert by == {
        "staff_control": D("2.50"),  # 21/20=105% → 5 − 5×0.5
        "three_public_change": D("5.00"),  # (13.5−15)/15 = −10% ≤ 0
        "three_public_control": D("5.00"),  # 12/13.5 = 88.89% ≤ 100
        "public_funds_control": D("3.00"),  # 52/50 = 104% → 5 − 4×0.5
        "budget_execution": D("7.20"),  # 1035/1150 = 90% × 8
        "budget_adjustment": D("3.00"),  # 15% → ≤20 band, 50% of 6
        "procurement_execution": D("3.00"),  # 60/80 = 75% × 4
        "asset_fund_management": D("3.5"),
        "disclosure": D("3"),
        "management_rules": D("3"),
        "dept_project_execution": D("4.25"),  # 170/200 = 85% × 5
        "public_project_execution": D("4.00"),  # 240/300 = 80% × 5
        "kpi_completion": D("9.33"),  # (1 + 0.8 + 1)/3 × 10
        "social_benefit": D("4"),
        "economic_benefit": D("3.5"),
        "long_term_mechanism": D("4"),
        "capacity_building": D("3.5"),
        "satisfaction": D("8.00"),  # 170/200 = 85% → ≥80 band, 80% of 10
    }
    assert sc.total == D("78.78") and sc.grade == "中" and sc.pending == [] and sc.max_total == D(100)


def test_synthetic_mof_2013_by_hand():
    sc = _score("mof-2013", synthetic_department())
    by = {i.id: i.score for i in sc.items}
    assert by["staff_control"] == D("1.50")  # 4 − 5 × 0.5
    # 预算完成率 (carry-over): (50 + 1000 + 150 − 40)/(50 + 1000 + 150) = 96.67% × 4
    assert by["budget_completion"] == D("3.87")
    assert by["carryover"] == D("3.00")  # 40/1150 = 3.48% ≤ 5
    assert by["carryover_change"] == D("2.00")  # −33.33% ≤ 0
    assert by["public_funds_control"] == D("1.00")  # 3 − 4 × 0.5
    assert by["procurement_execution"] == D("2.25")
    assert by["kpi_completion"] == D("7.47")  # 0.9333 × 8
    assert by["satisfaction"] == D("6.40")  # 80% of 8
    # 投入 16.00 + 过程 34.62 + 产出 18.97 + 效果 16.90
    assert sc.total == D("86.49") and sc.grade == "良"


def test_manual_items_left_empty_are_pending_never_made_up():
    d = synthetic_department(manual=False)
    sc = _score("six-dimension", d)
    assert len(sc.pending) == 7 and "资金资产管理" in sc.pending
    assert sc.grade is None
    assert sc.total == D("78.78") - D("3.5") - 3 - 3 - 4 - D("3.5") - 4 - D("3.5")  # the scored part only
    assert sc.provisional_grade == "中"  # 54.28 of the 68 scored points → 79.82 on 100
    pend = [i for i in sc.items if i.status == "pending"]
    assert all(i.score is None and "待评" in i.basis for i in pend)


def test_manual_matched_by_name_and_out_of_range():
    d = synthetic_department(manual=False)
    d.manual_scores = [
        ManualScore("资金资产管理", D("3")),
        ManualScore("disclosure", D("9")),
        ManualScore("management_rules", None),
    ]
    by = {i.id: i for i in _score("six-dimension", d).items}
    assert by["asset_fund_management"].score == D("3") and "“中”" in by["asset_fund_management"].basis  # 75%
    assert by["disclosure"].score is None and "超出" in by["disclosure"].basis
    assert by["management_rules"].status == "pending"


def test_reference_scores_are_pending_without_manual_sheet():
    d = reference_department()
    sc = _score("six-dimension", d)
    by = {i.id: i.score for i in sc.items}
    assert by["budget_execution"] == D("7.39") and by["dept_project_execution"] == D("3.93")
    assert (
        sc.grade is None and sc.pending and sc.total == sum(i.score for i in sc.items if i.score is not None)
    )


def test_not_computable_indicator_policies():
    d = synthetic_department()
    d.dept_projects, d.spending.dept_projects = [], Department().spending.dept_projects
    sc = _score("six-dimension", d)
    by = {i.id: i for i in sc.items}
    assert by["dept_project_execution"].status == "not_applicable"  # if_not_computable: not_applicable
    assert sum(i.weight for i in sc.items) == D("100.00")  # 95 applicable points rescaled to 100
    assert by["public_project_execution"].weight in (D("5.26"), D("5.27"))  # cents allocated to add up
    mof = _score("mof-2013", Department())
    assert {i.status for i in mof.items} == {"pending"} and mof.total is None and mof.grade is None


def test_project_framework_is_refused_for_department_scoring():
    with pytest.raises(FrameworkError):
        _score("project", synthetic_department())
    with pytest.raises(FrameworkError):
        score_project(Project("p", "public"), Department(), load_framework("six-dimension"))


# ---------------------------------------------------------------- 项目支出绩效自评


def _proj(d, name):
    return next(p for p in d.projects if p.name == name)


def test_project_score_by_hand():
    d = synthetic_department()
    ps = score_project(_proj(d, "农技推广"), d)
    by = {i.level3: (i.weight, i.score) for i in ps.score.items}
    assert by["预算执行率"] == (D("10.00"), D("9.17"))  # 110/120 = 91.67% × 10
    assert by["培训农民人次"] == (D("12.50"), D("11.25"))  # 50 split over 4 rows; 900/1000 × 12.5
    assert by["培训合格率"] == (D("12.50"), D("12.50"))  # 98/95 capped
    assert by["完成时间"] == (D("12.50"), D("12.50"))  # "=" text equal
    assert by["人均培训成本"] == (D("12.50"), D("10.00"))  # ≤: 1000/1250 × 12.5
    assert by["带动农民增收"] == (D("30.00"), D("25"))  # 定性 from the 得分 column
    assert by["受训农民满意度"] == (D("10.00"), D("10.00"))
    assert ps.score.total == D("90.42") and ps.score.grade == "优" and ps.kind == "department"


def test_project_not_applicable_row_rescales_and_pending_groups():
    d = synthetic_department()
    ps = score_project(_proj(d, "农村改厕"), d).score
    by = {i.level3: i for i in ps.items}
    assert by["完工时间"].status == "not_applicable"
    # 80 applicable points scaled to 100: factor 1.25
    assert by["预算执行率"].weight == D("12.50") and by["预算执行率"].score == D("9.38")  # 75% × 10 × 1.25
    assert by["改厕户数"].weight == D("37.50") and by["改厕户数"].score == D("37.50")
    assert by["人居环境改善"].status == "pending"
    assert "满意度指标（未设置满意度指标）" in ps.pending
    assert ps.total == D("46.88") and ps.grade is None


def test_project_without_rows_scores_execution_rest_pending():
    d = reference_department()
    ps = score_project(_proj(d, "科技成果转化子基金1"), d).score
    assert ps.items[0].score == D("1.92")  # 19.20% × 10
    assert len(ps.pending) == 3 and ps.grade is None and ps.total == D("1.92")


def test_project_rows_with_text_targets_and_unknown_nature():
    d = Department(
        public_projects=[Project("p", "public", full_year=D(10), actual=D(10))],
        perf_indicators=[
            PerfIndicator("p", "产出指标", "质量指标", "合格率", "≥", "≥95%", "%", "96%"),
            PerfIndicator("p", "产出指标", "数量指标", "个数", "约等于", D(5), "个", D(5)),
            PerfIndicator("p", "效益指标", "社会效益", "影响", "≥", "显著", "", "显著"),
            PerfIndicator(
                "p", "满意度指标", "满意度", "满意度", "定性", None, "", None, weight=D(10), score=D(8)
            ),
            PerfIndicator("p", "效益指标", "成本", "单位成本", "", "≤5", "元", D(10)),
        ],
    )
    ps = score_project(d.public_projects[0], d).score
    by = {i.level3: i for i in ps.items}
    assert by["合格率"].score == D("25.00")
    assert by["个数"].status == "pending" and "无法识别" in by["个数"].basis
    assert by["影响"].status == "pending" and "不是数值" in by["影响"].basis
    assert by["满意度"].score == D("8") and "好" in by["满意度"].basis
    assert by["单位成本"].rule == "inverse" and by["单位成本"].score == D("7.50")  # 5/10 × 15


# ---------------------------------------------------------------- invariants


FW_SIX = load_framework("six-dimension")
SOURCES = sorted({i.source for i in FW_SIX.items if i.rule not in ("manual", "qualitative", "kpi")})


@settings(max_examples=80, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.none(), st.decimals(min_value=-500, max_value=5000, places=2)),
        min_size=len(SOURCES),
        max_size=len(SOURCES),
    ),
    manual=st.lists(
        st.one_of(st.none(), st.decimals(min_value=-2, max_value=12, places=2)), min_size=7, max_size=7
    ),
    kpis=st.lists(
        st.tuples(
            st.decimals(min_value=0, max_value=1000, places=1),
            st.decimals(min_value=0, max_value=1000, places=1),
            st.sampled_from(["≥", "≤", "="]),
        ),
        max_size=4,
    ),
)
def test_scores_within_weight_and_total_is_sum(values, manual, kpis):
    inds = {
        s: Indicator(s, s, v, "%", "", computable=v is not None) for s, v in zip(SOURCES, values, strict=True)
    }
    ids = [i.id for i in FW_SIX.items if i.rule == "qualitative"]
    d = Department(
        manual_scores=[ManualScore(i, m) for i, m in zip(ids, manual, strict=True)],
        kpis=[KPI(f"k{n}", t, a, nature=nat) for n, (t, a, nat) in enumerate(kpis)],
    )
    sc = score(FW_SIX, inds, d)
    for it in sc.items:
        if it.score is not None:
            assert D(0) <= it.score <= it.weight, it
    scored = [i.score for i in sc.items if i.score is not None]
    assert sc.total == (sum(scored) if scored else None)
    assert (sc.grade is None) == bool(sc.pending) or sc.total is None
    assert len(sc.pending) == sum(1 for i in sc.items if i.status == "pending")


@settings(max_examples=20, deadline=None)
@given(st.randoms(use_true_random=False))
def test_row_order_changes_no_score(rnd: random.Random):
    a, b = synthetic_department(), synthetic_department()
    for lst in (b.perf_indicators, b.kpis, b.manual_scores, b.dept_projects, b.public_projects):
        rnd.shuffle(lst)
    for fw in ("six-dimension", "mof-2013"):
        sa, sb = _score(fw, a), _score(fw, b)
        assert sa.total == sb.total and sorted(sa.pending) == sorted(sb.pending)
    pa = {p.name: score_project(p, a).score.total for p in a.projects}
    pb = {p.name: score_project(p, b).score.total for p in b.projects}
    assert pa == pb


def test_project_row_with_unknown_level1_is_shown_not_scored():
    d = Department(
        public_projects=[Project("p", "public", full_year=D(10), actual=D(10))],
        perf_indicators=[
            PerfIndicator("p", "产出指标", "数量指标", "个数", "≥", D(5), "个", D(5)),
            PerfIndicator("p", "成本指标", "经济成本", "单价", "≤", D(5), "元", D(4), weight=D(20)),
        ],
    )
    ps = score_project(d.public_projects[0], d).score
    by = {i.level3: i for i in ps.items}
    assert by["单价"].status == "not_applicable" and "不在评分规则中" in by["单价"].basis
    assert by["个数"].weight == D("50.00")  # unknown rows do not rescale the others
    assert sum(i.weight for i in ps.items) == D("100.00")


PROJ = load_framework("project")
ROW = st.tuples(
    st.sampled_from(["产出指标", "效益指标", "满意度指标"]),
    st.sampled_from(["≥", "≤", "=", "定性", "不适用"]),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=1000, places=1)),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=1000, places=1)),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=20, places=1)),
)


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(ROW, max_size=8),
    full=st.decimals(min_value=0, max_value=100, places=2),
    actual=st.decimals(min_value=0, max_value=120, places=2),
)
def test_project_scores_within_weight(rows, full, actual):
    perf = [
        PerfIndicator("p", l1, "二级", f"指标{n}", nat, t, "", a, score=sc if nat == "定性" else None)
        for n, (l1, nat, t, a, sc) in enumerate(rows)
    ]
    d = Department(
        public_projects=[Project("p", "public", full_year=full, actual=actual)], perf_indicators=perf
    )
    ps = score_project(d.public_projects[0], d, PROJ).score
    for it in ps.items:
        if it.score is not None:
            assert D(0) <= it.score <= it.weight, it
    scored = [i.score for i in ps.items if i.score is not None]
    assert ps.total == (sum(scored) if scored else None)
    assert sum(i.weight for i in ps.items) == D("100.00") or all(
        i.status == "not_applicable" for i in ps.items[1:]
    )
