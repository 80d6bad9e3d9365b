"""Reconciliation (勾稽) rules: each wrong figure is reported at the cell that holds it, with the
stated and computed amounts; differences up to 0.01 万元 are rounding notes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from builders import make_workbook
from reference_department import reference_department

from jixiao.checks import check_department
from jixiao.issues import CODES, flatten
from jixiao.workbook import load


def codes_at(path):
    return flatten(load(path).issues, ("code", "severity", "sheet", "cell"))


def test_changed_full_year_cell_is_named(tmp_path):
    # 科技重大专项 全年预算 6,880.00 → 6,800.00 (公共项目!D3)
    f = codes_at(make_workbook(tmp_path, base="example", cells={("公共项目", "D3"): 6800}))
    assert ("E-BUDGET-ROW", "error", "公共项目", "D3") in f  # 8,500.00 − 1,620.00 ≠ 6,800.00
    assert ("E-TOTAL-ROW", "error", "公共项目", "D22") in f  # typed 合计 73,500.00 ≠ 73,420.00
    assert ("E-SHEET-VS-SUMMARY", "error", "支出总表", "D8") in f  # 支出总表 公共项目支出 全年
    msg = [
        i.message
        for i in load(
            make_workbook(tmp_path, base="example", name="b.xlsx", cells={("公共项目", "D3"): 6800})
        ).issues
        if i.code == "E-BUDGET-ROW"
    ][0]
    assert "6,800.00" in msg and "6,880.00" in msg and "科技重大专项" in msg


def test_text_in_amount_cell_is_named_without_echo(tmp_path):
    f = codes_at(make_workbook(tmp_path, base="example", cells={("支出总表", "E2"): "一千五百"}))
    assert ("E-CELL-NOT-NUMBER", "error", "支出总表", "E2") in f
    assert [c for c in f if c[1] == "error"] == [("E-CELL-NOT-NUMBER", "error", "支出总表", "E2")]


def test_check_via_cli_json(tmp_path):
    import json

    from typer.testing import CliRunner

    from jixiao.cli import app

    p = make_workbook(tmp_path, base="example", cells={("公共项目", "D3"): 6800})
    res = CliRunner().invoke(app, ["check", str(p), "--format", "json"])
    assert res.exit_code == 1
    doc = json.loads(res.output)
    assert set(doc) == {"file", "valid", "issues", "summary"} and doc["valid"] is False
    first = doc["issues"][0]
    assert set(first) == {"code", "severity", "message", "location", "hint"}
    assert set(first["location"]) == {"file", "sheet", "cell", "row", "key"}
    assert doc["summary"]["error"] == 3
    hit = [i for i in doc["issues"] if i["code"] == "E-BUDGET-ROW"][0]
    assert hit["location"] == {
        "file": str(p),
        "sheet": "公共项目",
        "cell": "D3",
        "row": 3,
        "key": "科技重大专项",
    }


def test_check_text_output_names_cells(tmp_path):
    from typer.testing import CliRunner

    from jixiao.cli import app

    p = make_workbook(tmp_path, base="example", cells={("公共项目", "D3"): 6800})
    res = CliRunner().invoke(app, ["check", str(p)], terminal_width=200)
    assert res.exit_code == 1
    assert "公共项目!D3" in res.output and "错误" in res.output and "未通过" in res.output


@pytest.mark.parametrize(
    "cells,expected",
    [
        ({("支出总表", "E3"): 150}, ("E-BASIC-PARTS", "支出总表", "E6")),  # 商品和服务 147.41 → 150
        ({("支出总表", "B10"): 67000}, ("E-SPENDING-TOTAL", "支出总表", "B10")),  # 整体 年初
        ({("支出总表", "F9"): 75000}, ("E-SPENDING-TOTAL", "支出总表", "F10")),  # 整体 上年 = 基本 + 项目
        ({("支出总表", "F6"): 1900}, ("E-SPENDING-TOTAL", "支出总表", "F10")),
        ({("支出总表", "E9"): 50000}, ("E-PROJECTS-TOTAL", "支出总表", "E9")),  # 项目支出合计 决算
        ({("支出总表", "D7"): 380}, ("E-BUDGET-ROW", "支出总表", "D7")),  # 部门项目支出 全年
        ({("部门项目", "E3"): 38.5}, ("W-OVER-BUDGET", "部门项目", "E3")),  # 决算 > 全年
        ({("部门项目", "E3"): 38.5}, ("E-TOTAL-ROW", "部门项目", "E12")),
        ({("部门项目", "A3"): "对外科技合作与交流"}, ("E-PROJECT-DUPLICATE", "部门项目", "A3")),
        ({("三公经费", "E6"): 2.0}, ("E-TOTAL-ROW", "三公经费", "E9")),  # 公务接待 决算 → 合计
        ({("三公经费", "E5"): 50}, ("W-OVER-BUDGET", "三公经费", "E5")),  # 因公出国（境）费
        ({("公用经费", "C2"): 150}, ("W-OVER-BUDGET", "公用经费", "C2")),
        ({("公共项目", "G18"): 10001}, ("E-EXCLUDED-OVER", "公共项目", "G18")),  # 子基金1 剔除 > 全年
        ({("公共项目", "H18"): None}, ("W-EXCLUSION-REASON", "公共项目", "H18")),
        ({("资产", "E7"): 250}, ("E-ASSET-ROLLFORWARD", "资产", "E7")),  # 原值 本年末
        ({("资产", "E7"): 250}, ("E-ASSET-NET", "资产", "E9")),
        ({("资产", "B9"): 130}, ("E-ASSET-NET", "资产", "B9")),
        ({("资产", "B9"): 130}, ("E-ASSET-TOTAL", "资产", "B13")),
        ({("政府采购", "B2"): 18}, ("E-TOTAL-ROW", "政府采购", "B5")),
        ({("人员编制", "B6"): 70}, ("E-STAFF-TOTAL", "人员编制", "B6")),
        ({("人员编制", "B7"): 62}, ("W-STAFF-OVER", "人员编制", "B7")),  # 62 + 7 > 68
        ({("满意度", "B3"): 81}, ("E-SATISFACTION-OVER", "满意度", "B3")),
        ({("项目承担单位", "D2"): 8000.5}, ("W-UNDERTAKING-OVER", "项目承担单位", "D2")),
        ({("基本信息", "B2"): None}, ("E-INFO-MISSING", "基本信息", "B2")),
        ({("基本信息", "B3"): None}, ("E-INFO-MISSING", "基本信息", "B3")),
    ],
)
def test_rule_is_located(tmp_path, cells, expected):
    f = load(make_workbook(tmp_path, base="example", cells=cells)).issues
    got = flatten(f, ("code", "sheet", "cell"))
    if expected is None:
        assert not [i for i in f if i.severity == "error"], got
        return
    assert expected in got, got
    code = expected[0]
    assert all(i.severity == CODES[i.code][0] for i in f)
    assert code in CODES


@pytest.mark.parametrize(
    "value,code,severity",
    [
        ("6880.01", "I-ROUNDING", "info"),
        ("6879.99", "I-ROUNDING", "info"),
        ("6880.02", "E-BUDGET-ROW", "error"),
        ("6870", "E-BUDGET-ROW", "error"),
    ],
)
def test_rounding_tolerance(tmp_path, value, code, severity):
    f = load(make_workbook(tmp_path, base="example", cells={("公共项目", "D3"): Decimal(value)})).issues
    hit = [i for i in f if i.location.sheet == "公共项目" and i.location.cell == "D3"]
    assert [(i.code, i.severity) for i in hit] == [(code, severity)]


def test_all_issues_in_one_run(tmp_path):
    cells = {
        ("公共项目", "D3"): 6800,
        ("支出总表", "E2"): "一千五百",
        ("资产", "E7"): 250,
        ("满意度", "B3"): 81,
        ("部门项目", "B5"): -1,
    }
    f = flatten(load(make_workbook(tmp_path, base="example", cells=cells)).issues, ("code", "sheet", "cell"))
    for want in [
        ("E-BUDGET-ROW", "公共项目", "D3"),
        ("E-CELL-NOT-NUMBER", "支出总表", "E2"),
        ("E-ASSET-ROLLFORWARD", "资产", "E7"),
        ("E-SATISFACTION-OVER", "满意度", "B3"),
        ("E-CELL-NEGATIVE", "部门项目", "B5"),
    ]:
        assert want in f


def test_check_department_is_pure_and_uses_the_template_layout():
    d = reference_department()
    before = repr(d)
    issues = check_department(d)
    assert repr(d) == before
    f = flatten(issues, ("code", "sheet", "cell"))
    assert ("W-OVER-BUDGET", "支出总表", "E6") in f and ("I-ROUNDING", "资产", "E13") in f
    assert not [i for i in issues if i.severity == "error"]
    d.public_projects[1].full_year = Decimal("6800.00")
    d.public_projects[1].src = d.public_projects[1].src.__class__("公共项目", 3)
    f = flatten(check_department(d), ("code", "sheet", "cell"))
    assert ("E-BUDGET-ROW", "公共项目", "D3") in f
    assert ("E-SHEET-VS-SUMMARY", "支出总表", "D8") in f


def test_three_public_total_only_where_all_parts_present():
    d = reference_department()
    d.three_public.total_stated.prior_budget = Decimal("80.00")  # parts unknown: used as stated
    assert not [i for i in check_department(d) if i.code == "E-TOTAL-ROW"]
    d.three_public.total_stated.budget = Decimal("60.00")  # parts known: 57.84
    hits = [i for i in check_department(d) if i.code == "E-TOTAL-ROW"]
    assert len(hits) == 1 and hits[0].location.cell == "D9" and "57.84" in hits[0].message


def test_perf_indicator_rules(tmp_path):
    rows = [
        {
            "项目名称": "科技重大专项",
            "一级指标": "产出指标",
            "三级指标": "立项数",
            "指标性质": "≥",
            "年度指标值": 30,
            "实际完成值": "约三十",
            "分值": 10,
            "得分": 12,
        },
        {
            "项目名称": "不存在的项目",
            "一级指标": "效益指标",
            "三级指标": "带动",
            "指标性质": "定性",
            "年度指标值": "明显",
            "实际完成值": "明显",
        },
    ]
    f = flatten(
        load(make_workbook(tmp_path, {"项目绩效指标": rows}, base="example")).issues,
        ("code", "sheet", "cell"),
    )
    assert ("W-PERF-VALUE", "项目绩效指标", "H2") in f
    assert ("E-SCORE-OVER", "项目绩效指标", "J2") in f
    assert ("W-PERF-PROJECT", "项目绩效指标", "A3") in f


def test_missing_name_row(tmp_path):
    rows = [{"项目名称": "甲", "年初预算": 1, "全年预算": 1}, {"年初预算": 5}]
    f = flatten(load(make_workbook(tmp_path, {"部门项目": rows})).issues, ("code", "sheet", "cell"))
    assert ("E-PROJECT-NO-NAME", "部门项目", "A3") in f
