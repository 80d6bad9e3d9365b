"""Invariants of the checks (hypothesis): consistent data gives no reconciliation issue; one
changed figure is reported at exactly its cell, whatever the data and wherever the row."""

from __future__ import annotations

from decimal import Decimal

import strategies
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.checks import check_department
from jixiao.issues import flatten


def departments():
    """Consistent, within every limit, with at least one 公共项目: check finds nothing at all."""
    return strategies.departments(within_limits=True, min_public=1)


@settings(max_examples=60, deadline=None)
@given(departments())
def test_consistent_data_has_no_issue(d):
    assert check_department(d) == []


@settings(max_examples=60, deadline=None)
@given(departments(), st.data())
def test_one_changed_full_year_is_named_at_its_cell(d, data):
    i = data.draw(st.integers(min_value=0, max_value=len(d.public_projects) - 1))
    delta = data.draw(st.sampled_from([Decimal("0.02"), Decimal("-0.05"), Decimal("1"), Decimal("1000.00")]))
    p = d.public_projects[i]
    p.full_year += delta
    p.actual = min(p.actual, p.full_year) if p.full_year >= 0 else p.actual
    f = flatten(check_department(d), ("code", "sheet", "cell", "key"))
    assert ("E-BUDGET-ROW", "公共项目", f"D{i + 2}", p.name) in f
    assert ("E-SHEET-VS-SUMMARY", "支出总表", "D8", "公共项目支出") in f
    assert [x for x in f if x[0] == "E-BUDGET-ROW"] == [("E-BUDGET-ROW", "公共项目", f"D{i + 2}", p.name)]


@settings(max_examples=40, deadline=None)
@given(departments(), st.sampled_from([Decimal("0.01"), Decimal("-0.01")]))
def test_a_cent_is_rounding_not_error(d, delta):
    d.spending.total.full_year += delta
    issues = check_department(d)
    # both identities of that cell are off by a cent: 年初 + 调整 = 全年, and 整体 = 基本 + 部门 + 公共
    got = [(i.code, i.severity, i.location.cell) for i in issues]
    over = d.spending.total.actual is not None and d.spending.total.actual > d.spending.total.full_year
    # lowering 全年 by a cent below an equal 决算 is also (rightly) a spending-over-budget warning
    assert [x for x in got if x[0] != "W-OVER-BUDGET"] == [("I-ROUNDING", "info", "D10")] * 2
    assert len(got) - 2 == (1 if over else 0)


@settings(max_examples=30, deadline=None)
@given(departments(), st.randoms(use_true_random=False))
def test_project_order_changes_no_issue(d, rnd):
    d.public_projects[0].full_year += Decimal("3")
    before = sorted(flatten(check_department(d), ("code", "message")))
    rnd.shuffle(d.public_projects)
    assert sorted(flatten(check_department(d), ("code", "message"))) == before
