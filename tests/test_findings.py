"""Findings: the problems the reference report names are found from its data, with evidence;
each rule's threshold is configurable and its boundary exact; an empty department finds nothing."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference_department import reference_department
from synthetic_department import synthetic_department

from jixiao.findings import CATEGORIES, RULES, find
from jixiao.indicators import DEFAULT_OPTIONS, compute_all
from jixiao.model import Department, Project, Undertaking

D = Decimal
UNSPENT = [
    "技术创新平台后补助",
    "专业科普场馆",
    "国家级科技奖励配套",
    "知识价值信用贷款",
    "科技成果转化子基金2",
    "省级以上科技平台配套",
]


def _find(d: Department, opts=DEFAULT_OPTIONS):
    return find(d, compute_all(d, opts), opts)


@pytest.fixture(scope="module")
def ref():
    return _find(reference_department())


def by_rule(fs, rule):
    return [f for f in fs if f.rule == rule]


def test_reference_unspent_projects(ref):
    [f] = by_rule(ref, "project_unspent")
    assert f.subject == "公共项目" and f.severity == "high" and f.category == "预算和预算绩效管理"
    assert f.evidence["项目数"] == 6 and f.evidence["全年预算合计"] == D("10435.00")
    for name in UNSPENT:
        assert name in f.message
    assert "10,435.00万元" in f.message and f.improvement


def test_reference_low_execution_projects(ref):
    low = {f.subject: f.evidence["执行率"] for f in by_rule(ref, "project_low_execution")}
    assert low["科技成果转化子基金1"] == D("19.20")
    assert low["对外科技合作与交流"] == D("31.40")
    assert low["科技重大专项"] == D("68.34")
    assert set(low) == {
        "科技成果转化子基金1",
        "对外科技合作与交流",
        "科技重大专项",
        "技术市场",
        "市校合作",
        "制造业信息化",
        "科技创业平台支持",
        "成果转化服务体系建设",
        "科技创新创业领军人才项目",
    }
    # unspent projects are reported once, by project_unspent, not again here
    assert not any(n in s for s in low for n in UNSPENT)


def test_reference_undertaking(ref):
    [f] = by_rule(ref, "undertaking_low_execution")
    assert f.evidence["执行率"] == D("4.70") and "国家超级计算长沙中心升级建设项目" in f.message
    assert "8,000.00万元" in f.message and "375.81万元" in f.message and f.category == "资金分配、使用和管理"


def test_reference_adjustment_and_moves(ref):
    [f] = by_rule(ref, "budget_adjustment_high")
    assert f.evidence["预算调整率"] == D("12.63") and "12.63%" in f.message
    moved = {f.subject: f for f in by_rule(ref, "budget_moved_between_projects")}
    pub = moved["公共项目"]
    assert pub.evidence["调增项目"]["高新技术企业认定奖励"] == D("1570.00")
    assert pub.evidence["调减项目"] == {"科技重大专项": D("-1620.00")}
    assert (
        "高新技术企业认定奖励调增1,570.00万元" in pub.message
        and "科技重大专项调减1,620.00万元" in pub.message
    )
    assert "部门项目" in moved  # 技术市场 −3.16 … while 安全生产和消防工作考核奖励 +3.00


def test_reference_basic_over_budget_states_both_bases(ref):
    [f] = by_rule(ref, "basic_over_budget")
    assert f.evidence["基本支出决算数"] == D("2032.72")
    assert f.evidence["超年初预算"] == D("142.95") and f.evidence["超全年预算"] == D("126.47")
    assert "年初预算1,889.77万元" in f.message and "全年预算1,906.25万元" in f.message


def test_reference_three_public_far_below_budget(ref):
    [f] = by_rule(ref, "three_public_low_execution")
    assert f.evidence["三公经费控制率"] == D("23.98") and "23.98%" in f.message


def test_reference_nothing_spurious(ref):
    rules = {f.rule for f in ref}
    assert not rules & {
        "staff_over_limit",
        "kpi_not_met",
        "project_over_budget",
        "budget_execution_low",
        "satisfaction_low",
        "three_public_over_budget",
    }


def test_findings_json_carries_acceptance_figures(ref):
    blob = json.dumps([f.to_dict() for f in ref], ensure_ascii=False)
    for s in [*UNSPENT, "4.70", "12.63", "19.20"]:
        assert s in blob
    assert '"12.63"' in blob  # evidence Decimals are JSON strings


def test_order_is_by_category_then_rule(ref):
    cats = [CATEGORIES.index(f.category) for f in ref]
    assert cats == sorted(cats)
    assert all(f.rule in RULES and f.severity in ("high", "medium", "low") and f.message for f in ref)


def test_synthetic_findings():
    fs = _find(synthetic_department())
    rules = {(f.rule, f.subject) for f in fs}
    assert ("staff_over_limit", "人员编制") in rules  # 21 in service for 20 posts
    assert ("kpi_not_met", "新建高标准农田") in rules  # 8 of 10 万亩
    assert ("kpi_not_met", "农药使用量") not in rules  # ≤ 5, used 4: met
    assert ("project_unspent", "公共项目") in rules  # 种业振兴
    assert ("project_low_execution", "农村改厕") in rules  # 75%
    assert ("budget_adjustment_high", "预算调整") in rules  # 15%
    assert ("basic_over_budget", "基本支出") not in rules  # 625 < 650
    [kpi] = [f for f in fs if f.rule == "kpi_not_met"]
    assert kpi.category == "部门履职效能" and "10万亩" in kpi.message


# ---------------------------------------------------------------- thresholds and boundaries


def test_thresholds_are_configurable():
    d = reference_department()
    opts = replace(
        DEFAULT_OPTIONS,
        execution_threshold=D("20"),
        adjustment_threshold=D("12.63"),
        undertaking_threshold=D("4.70"),
        three_public_control_threshold=D("23.98"),
        asset_growth_threshold=None,
    )
    fs = _find(d, opts)
    assert [f.subject for f in by_rule(fs, "project_low_execution")] == ["科技成果转化子基金1"]
    assert not by_rule(fs, "budget_adjustment_high")  # 12.63 is not above 12.63
    assert not by_rule(fs, "undertaking_low_execution")  # 4.70 is not below 4.70
    assert not by_rule(fs, "three_public_low_execution")
    assert not by_rule(fs, "asset_growth_high")


def test_execution_boundary_exact():
    d = Department(
        dept_projects=[
            Project("a", "department", full_year=D("100"), actual=D("80")),
            Project("b", "department", full_year=D("100"), actual=D("79.99")),
        ]
    )
    assert [f.subject for f in by_rule(_find(d), "project_low_execution")] == ["b"]


def test_over_budget_project_and_negative_adjustments_only():
    d = Department(
        public_projects=[
            Project("超支", "public", D(10), D(-2), D(8), D("8.01")),
            Project("调减", "public", D(10), D(-5), D(5), D(5)),
        ]
    )
    fs = _find(d)
    [f] = by_rule(fs, "project_over_budget")
    assert f.subject == "超支" and f.evidence["超支数"] == D("0.01")
    assert not by_rule(fs, "budget_moved_between_projects")  # only decreases: nothing moved


def test_undertaking_with_zero_allocation_is_skipped():
    d = Department(undertakings=[Undertaking("p", "u", D(0), D(0)), Undertaking("q", "", D(10), D(1))])
    [f] = by_rule(_find(d), "undertaking_low_execution")
    assert f.subject == "q" and f.evidence["执行率"] == D("10.00")


def test_empty_department_finds_nothing():
    assert _find(Department()) == []


@settings(max_examples=20, deadline=None)
@given(st.randoms(use_true_random=False))
def test_row_order_changes_no_finding_set(rnd: random.Random):
    a, b = reference_department(), reference_department()
    rnd.shuffle(b.public_projects)
    rnd.shuffle(b.dept_projects)

    def key(fs):
        return sorted(
            (f.rule, f.subject, json.dumps(f.to_dict()["evidence"], sort_keys=True, ensure_ascii=False))
            for f in fs
        )

    ka, kb = key(_find(a)), key(_find(b))
    # evidence dicts listing several projects keep data order; compare their sets
    assert [(r, s) for r, s, _ in ka] == [(r, s) for r, s, _ in kb]
