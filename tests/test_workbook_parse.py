"""The reader/parser: the example loads to the reference figures; sheets, headers, columns and
rows are found by text; every amount text the reader accepts becomes the right Decimal once."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from builders import example_data, make_workbook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_department import reference_department

from jixiao.issues import flatten
from jixiao.model import Department
from jixiao.money import fmt_amount
from jixiao.workbook import load
from jixiao.workbook.cells import to_amount
from jixiao.workbook.schema import AMOUNT, SIGNED


def _subset_equal(expected, actual, path="dept"):
    """Every field the hand-built reference sets (not None/empty) equals the loaded one."""
    if dataclasses.is_dataclass(expected):
        for f in dataclasses.fields(expected):
            if f.name in ("src", "source_file", "narratives", "supervisor"):
                continue
            _subset_equal(getattr(expected, f.name), getattr(actual, f.name), f"{path}.{f.name}")
    elif isinstance(expected, list):
        for e in expected:
            name = getattr(e, "name", None)
            if name is not None:
                match = [a for a in actual if getattr(a, "name", None) == name]
                assert match, f"{path}: {name} missing"
                _subset_equal(e, match[0], f"{path}[{name}]")
            else:
                assert len(actual) >= len(expected), path
                for i, x in enumerate(expected):
                    _subset_equal(x, actual[i], f"{path}[{i}]")
    elif isinstance(expected, dict):
        for k, v in expected.items():
            assert k in actual, f"{path}: key {k} missing"
            _subset_equal(v, actual[k], f"{path}[{k}]")
    elif expected not in (None, ""):
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def test_example_loads_to_the_reference_figures(example_path):
    r = load(example_path)
    assert r.department is not None and r.valid
    _subset_equal(reference_department(), r.department)
    d = r.department
    assert d.name == "长沙市科学技术局" and d.year == 2023
    assert d.staffing.staff_count == 59 and d.staffing.authorized_total == 68
    assert d.prior_report_disclosed == date(2023, 6, 19)
    assert sum(p.excluded or 0 for p in d.public_projects) == Decimal("18515.00")  # 10,435.00 + 8,080.00
    assert sum(p.full_year for p in d.public_projects) == Decimal("73500")
    assert d.assets.get("累计折旧").prior_end == Decimal("149.14")
    assert {"主要职能", "存在问题", "改进措施"} <= set(d.narratives)


def test_example_has_only_the_reports_real_notes(example_path):
    r = load(example_path)
    assert sorted(flatten(r.issues, ("code", "sheet", "cell"))) == [
        ("I-ROUNDING", "资产", "E13"),  # parts 998.11 vs stated 998.12
        ("W-OVER-BUDGET", "支出总表", "E6"),  # 基本支出 决算 2,032.72 > 全年 1,906.25
    ]


def test_title_row_reordered_and_extra_columns(tmp_path, example_path):
    def shuffle(wb):
        ws = wb["公共项目"]
        ws.insert_rows(1)
        ws["A1"] = "2023年度公共项目资金安排表"
        ws.move_range("B2:B30", cols=20)  # 年初预算 moved to the far right
        ws["L2"] = "备注"  # an extra column
        ws["D2"] = " 全年预算 (万元) "  # spaces, ASCII brackets
        ws["E2"] = "实际分配（万元）"

    p = make_workbook(tmp_path, base="example", edit=shuffle)
    r = load(p)
    base = load(example_path).department
    assert [(x.name, x.initial, x.full_year, x.actual, x.src.row) for x in r.department.public_projects] == [
        (x.name, x.initial, x.full_year, x.actual, x.src.row + 1) for x in base.public_projects
    ]
    assert ("I-COLUMN-UNKNOWN", "公共项目", "L2") in flatten(r.issues)

    # locations follow the moved column
    def shuffle_and_change(wb):
        shuffle(wb)
        wb["公共项目"]["V4"] = 8400  # 科技重大专项 年初预算, now in column V, one row lower

    p2 = make_workbook(tmp_path, base="example", name="b.xlsx", edit=shuffle_and_change)
    assert ("E-BUDGET-ROW", "公共项目", "D4") in flatten(load(p2).issues)


def test_sheet_names_with_spaces_and_order(tmp_path, example_path):
    def rename(wb):
        wb["公共项目"].title = " 公共项目 "
        wb.move_sheet(" 公共项目 ", offset=-5)

    r = load(make_workbook(tmp_path, base="example", edit=rename))
    assert len(r.department.public_projects) == 20
    assert not [i for i in r.issues if i.severity == "error"]


def test_yuan_workbook_is_converted_once(tmp_path):
    data = {
        "基本信息": {"单位名称": "某局", "年度": 2023, "金额单位": "元"},
        "公用经费": {"公用经费": {"预算": 1481500, "决算": 1474100}},
        "部门项目": [{"项目名称": "甲", "年初预算": 123456, "预算调整": -6, "全年预算": 123450, "决算": 1}],
    }
    r = load(make_workbook(tmp_path, data))
    d = r.department
    assert d.money_unit == "元"
    assert d.public_funds.budget == Decimal("148.15") and d.public_funds.actual == Decimal("147.41")
    p = d.dept_projects[0]
    assert (p.initial, p.adjustment, p.full_year, p.actual) == (
        Decimal("12.3456"),
        Decimal("-0.0006"),
        Decimal("12.345"),
        Decimal("0.0001"),
    )
    assert "I-AMOUNT-CONVERTED" in [i.code for i in r.issues]
    # the template's headers say 万元: one warning per sheet, not one per column
    unit_warnings = [i for i in r.issues if i.code == "W-COLUMN-UNIT"]
    assert len(unit_warnings) == len({i.location.sheet for i in unit_warnings})
    assert ("W-COLUMN-UNIT", "部门项目", "B1") in flatten(r.issues)
    assert "E-BUDGET-ROW" not in [i.code for i in r.issues]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("19,550.00", "19550.00"),
        (" 19550 ", "19550"),
        ("１２３", "123"),
        ("－1,620", "-1620"),
        ("1,234.50万元", "1234.50"),
        ("12,345,000元", "1234.50"),
        ("(1,620.00)", "-1620.00"),
        (1547.34, "1547.34"),
        (6880, "6880"),
    ],
)
def test_amount_texts_accepted(tmp_path, text, expected):
    p = make_workbook(tmp_path, {"部门项目": [{"项目名称": "甲", "年初预算": 0, "预算调整": text}]})
    assert load(p).department.dept_projects[0].adjustment == Decimal(expected)


@pytest.mark.parametrize(
    "sheet,data,code,cell",
    [
        ("部门项目", {"部门项目": [{"项目名称": "甲", "年初预算": "一千五百"}]}, "E-CELL-NOT-NUMBER", "B2"),
        ("部门项目", {"部门项目": [{"项目名称": "甲", "年初预算": "1,55,0"}]}, "E-CELL-NOT-NUMBER", "B2"),
        ("部门项目", {"部门项目": [{"项目名称": "甲", "决算": -3}]}, "E-CELL-NEGATIVE", "E2"),
        ("部门项目", {"部门项目": [{"项目名称": "甲", "决算": "#DIV/0!"}]}, "E-CELL-EXCEL-ERROR", "E2"),
        ("人员编制", {"人员编制": {"行政编制": {"人数": 5.5}}}, "E-CELL-NOT-INTEGER", "B2"),
        ("人员编制", {"人员编制": {"离退休人数": {"人数": -1}}}, "E-CELL-NEGATIVE", "B9"),
        ("基本信息", {"基本信息": {"预算公开日期": "二月三日"}}, "E-CELL-BAD-DATE", "B6"),
        ("基本信息", {"基本信息": {"年度": "今年"}}, "E-CELL-BAD-YEAR", "B3"),
        ("基本信息", {"基本信息": {"金额单位": "千元"}}, "E-CELL-BAD-UNIT", "B4"),
        ("履职目标", {"履职目标": [{"指标": "甲", "指标性质": "大于"}]}, "E-CELL-BAD-NATURE", "B2"),
        (
            "项目绩效指标",
            {"项目绩效指标": [{"项目名称": "甲", "一级指标": "产出指标", "三级指标": "乙", "指标性质": "≈"}]},
            "E-CELL-BAD-NATURE",
            "E2",
        ),
    ],
)
def test_bad_cells_are_located(tmp_path, sheet, data, code, cell):
    r = load(make_workbook(tmp_path, data))
    assert (code, sheet, cell) in flatten(r.issues), flatten(r.issues)
    assert not r.valid


def test_dates_in_text_forms(tmp_path):
    data = {
        "基本信息": {
            "单位名称": "某局",
            "年度": "2023年",
            "预算公开日期": "2023年2月3日",
            "决算公开日期": "2023/10/30",
            "上年绩效自评报告公开日期": "2023.6.19",
        }
    }
    d = load(make_workbook(tmp_path, data)).department
    assert d.year == 2023
    assert (d.budget_disclosed, d.final_disclosed, d.prior_report_disclosed) == (
        date(2023, 2, 3),
        date(2023, 10, 30),
        date(2023, 6, 19),
    )


def test_structure_issues(tmp_path):
    def damage(wb):
        del wb["三公经费"]
        wb["部门项目"]["D1"] = "全年数"  # required column renamed away
        ws = wb.create_sheet("备注")
        ws["A1"] = "x"
        wb["公用经费"].delete_rows(1)  # header row gone

    r = load(make_workbook(tmp_path, base="example", edit=damage))
    f = flatten(r.issues)
    assert ("E-SHEET-MISSING", "三公经费", None) in f
    assert ("I-SHEET-UNKNOWN", "备注", None) in f
    assert ("E-HEADER-MISSING", "公用经费", None) in f
    assert any(c == "E-COLUMN-MISSING" and s == "部门项目" for c, s, _ in f)
    assert ("I-COLUMN-UNKNOWN", "部门项目", "D1") in f
    assert r.department is not None and not r.valid


def test_optional_sheet_absent_is_only_a_note(tmp_path):
    r = load(make_workbook(tmp_path, base="example", drop=("定性评分", "项目绩效指标")))
    assert ("I-SHEET-ABSENT", "定性评分", None) in flatten(r.issues)
    assert r.valid


def test_other_workbook_gives_no_department(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.active["A1"] = "hello"
    p = tmp_path / "other.xlsx"
    wb.save(p)
    r = load(p)
    assert r.department is None and not r.valid
    assert "E-SHEET-MISSING" in [i.code for i in r.issues]


def test_extra_rows_in_fixed_sheets(tmp_path):
    data = {
        "支出总表": {
            "其他基本支出": {"决算": 10},
            "工资福利支出": {"决算": 90},
            "基本支出合计": {"决算": 100},
        },
        "人员编制": {"参公编制": {"人数": 4}, "行政编制": {"人数": 6}},
        "资产": {"长期投资": {"本年末": 5}, "资产总额": {"本年末": 5}},
    }
    r = load(make_workbook(tmp_path, data))
    d = r.department
    assert [p.name for p in d.spending.basic_parts] == ["工资福利支出", "其他基本支出"]
    assert d.staffing.authorized == {"行政编制": 6, "参公编制": 4}
    assert not [i for i in r.issues if i.code in ("E-BASIC-PARTS", "E-ASSET-TOTAL")]
    assert [i.code for i in r.issues].count("I-ROW-EXTRA") == 3


def test_kpis_and_perf_values(tmp_path):
    data = {
        "履职目标": [
            {"指标": "新增平台", "目标值": 300, "完成值": 408, "单位": "家"},
            {"指标": "服务质量", "指标性质": "定性", "目标值": "良好", "完成值": "优"},
        ],
        "定性评分": [{"指标": "预算编制科学性", "得分": 4.5, "依据": "抽查"}],
    }
    d = load(make_workbook(tmp_path, data)).department
    assert [(k.name, k.nature, k.target, k.actual) for k in d.kpis] == [
        ("新增平台", "≥", Decimal("300"), Decimal("408")),
        ("服务质量", "定性", "良好", "优"),
    ]
    assert d.manual_scores[0].score == Decimal("4.5")


# -- hypothesis ----------------------------------------------------------------------------

amounts = st.decimals(
    min_value=Decimal("-99999999.99"),
    max_value=Decimal("99999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(amounts, st.sampled_from(["plain", "grouped", "fullwidth", "spaced", "minus"]))
def test_accepted_amount_text_round_trips(x, style):
    text = fmt_amount(x) if style == "grouped" else format(x, "f")
    if style == "fullwidth":
        text = text.translate(str.maketrans("0123456789.,-", "０１２３４５６７８９．，－"))
    elif style == "spaced":
        text = f"  {text}\u3000"
    elif style == "minus":
        text = text.replace("-", "\u2212")
    value, err = to_amount(text, SIGNED, "万元")
    assert err is None and value == x
    if x >= 0:
        assert to_amount(text, AMOUNT, "万元") == (x, None)


@given(amounts)
def test_yuan_conversion_is_exact(x):
    value, err = to_amount(format(x, "f"), SIGNED, "元")
    assert err is None and value * 10000 == x


def _summary(d: Department):
    return (
        sorted((p.name, p.initial, p.adjustment, p.full_year, p.actual, p.excluded) for p in d.projects),
        d.spending,
        d.three_public.items,
        d.assets.lines,
    )


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.randoms(use_true_random=False))
def test_row_order_changes_no_result(tmp_path_factory, rnd):
    data = example_data()
    public = data["公共项目"][:-1]
    rnd.shuffle(public)
    dept = data["部门项目"][:-1]
    rnd.shuffle(dept)
    tmp = tmp_path_factory.mktemp("order")
    r = load(
        make_workbook(tmp, {"公共项目": public + data["公共项目"][-1:], "部门项目": dept}, base="example")
    )
    base = load(make_workbook(tmp, base="example", name="base.xlsx"))
    strip = lambda d: _summary(d)[0]  # noqa: E731
    assert strip(r.department) == strip(base.department)
    assert sorted(flatten(r.issues, ("code", "severity", "message"))) == sorted(
        flatten(base.issues, ("code", "severity", "message"))
    )


def test_header_unit_disagreeing_with_declared_unit(tmp_path):
    """A column headed （元） in a 万元 workbook holds 元: converted, never taken as 万元."""
    p = make_workbook(
        tmp_path,
        {
            "基本信息": {"单位名称": "某局", "年度": 2023},
            "部门项目": [{"项目名称": "甲", "年初预算": 123400, "全年预算": 12.34, "决算": 1}],
        },
        cells={("部门项目", "B1"): "年初预算（元）"},
    )
    r = load(p)
    assert ("W-COLUMN-UNIT", "部门项目", "B1") in flatten(r.issues)
    assert r.department.dept_projects[0].initial == Decimal("12.34")  # 123,400 元
    assert r.department.dept_projects[0].full_year == Decimal("12.34")  # the 万元 column as declared
    assert "E-BUDGET-ROW" not in [i.code for i in r.issues]


def test_empty_totals_are_computed_from_parts(tmp_path):
    data = {
        "基本信息": {"单位名称": "某局", "年度": 2023},
        "支出总表": {"工资福利支出": {"决算": 80}, "商品和服务支出": {"决算": 20}},
        "部门项目": [{"项目名称": "甲", "年初预算": 10, "全年预算": 10, "决算": 8}],
        "公共项目": [{"项目名称": "乙", "年初预算": 100, "预算调整": 5, "全年预算": 105, "实际分配": 50}],
        "资产": {
            "固定资产原值": {"本年末": 30},
            "累计折旧": {"本年末": 10},
            "固定资产净值": {"本年末": 20},
            "无形资产": {"本年末": 5},
        },
    }
    r = load(make_workbook(tmp_path, data))
    sp = r.department.spending
    assert sp.basic.actual == 100 and sp.basic.initial is None
    assert (sp.dept_projects.full_year, sp.public_projects.full_year, sp.projects.full_year) == (10, 105, 115)
    assert sp.total.actual == 100 + 8 + 50 and sp.total.full_year is None  # 基本 全年 unknown
    assert r.department.assets.get("资产总额").end == 25
    assert r.valid, flatten(r.issues)


def _dup_sheet(wb):
    ws = wb.copy_worksheet(wb["公共项目"])
    ws.title = "公共项目 "


def _dup_row(wb):
    wb["三公经费"]["A10"] = "公务接待费"
    wb["三公经费"]["E10"] = 9


@pytest.mark.parametrize(
    "edit,expected",
    [
        (lambda wb: wb["支出总表"].delete_rows(10), ("W-ROW-MISSING", "支出总表", None)),  # 整体支出合计
        (_dup_row, ("E-ROW-DUPLICATE", "三公经费", "A10")),
        (_dup_sheet, ("E-SHEET-DUPLICATE", "公共项目 ", None)),
        (
            lambda wb: wb["支出总表"].__setitem__("B11", 5),
            ("W-CELL-IGNORED", "支出总表", "B11"),
        ),  # 政府性基金 年初
        (lambda wb: wb["部门项目"].__setitem__("J1", "决算"), ("W-COLUMN-DUPLICATE", "部门项目", "J1")),
        (lambda wb: wb["三公经费"].__setitem__("A7", "会议费"), ("W-ROW-UNKNOWN", "三公经费", "A7")),
    ],
)
def test_structure_notes(tmp_path, edit, expected):
    f = flatten(load(make_workbook(tmp_path, base="example", edit=edit)).issues)
    assert expected in f, f


def test_builder_rows_edit_and_drop(tmp_path):
    # drop 指令性计划 (1,200.00) from 公共项目: its sum no longer matches 支出总表 nor the typed 合计
    def drop_last_project(rows):
        return [r for r in rows if r["项目名称"] != "指令性计划"]

    p = make_workbook(tmp_path, base="example", rows_edit={"公共项目": drop_last_project})
    f = flatten(load(p).issues)
    assert ("E-SHEET-VS-SUMMARY", "支出总表", "D8") in f
    assert ("E-TOTAL-ROW", "公共项目", "D21") in f
