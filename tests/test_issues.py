"""The issue registry: codes with message templates, one typed Location, one status vocabulary."""

from __future__ import annotations

import string

import pytest

import jixiao.checks.codes as C
from jixiao.issues import CLAIM_STATUS_ZH, CODES, Issue, Location, codes_in, flatten, make, register


def test_make_fills_the_codes_template_and_hint():
    loc = Location(file="a.xlsx", sheet="公共项目", cell="D3", row=3, key="甲")
    i = make(
        C.BUDGET_ROW,
        location=loc,
        what="“甲”的全年预算",
        how="年初预算 + 预算调整",
        stated="6,800.00",
        computed="6,700.00",
        diff="100.00",
        hint="请核对。",
    )
    assert i == Issue(
        "E-BUDGET-ROW",
        "error",
        "“甲”的全年预算为 6,800.00 万元，但年初预算 + 预算调整为 6,700.00 万元，相差 100.00 万元。",
        loc,
        "请核对。",
    )
    r = make(C.ROUNDING, what="合计", how="各项之和", stated="1.01", computed="1.00", diff="0.01")
    assert r.severity == "info" and r.message.endswith("（尾差）。") and r.hint.startswith("属四舍五入尾差")


def test_a_missing_field_or_an_unregistered_code_is_a_programming_error():
    with pytest.raises(KeyError):
        make(C.BUDGET_ROW, what="x")
    with pytest.raises(KeyError):
        make("E-NOT-A-CODE", "消息")
    with pytest.raises(ValueError):
        register("E-TEST-HINT", "error", "测试", template="{a}", hint="{b}")
    with pytest.raises(ValueError):
        register(C.BUDGET_ROW, "warning", "另一个意思")


def test_every_template_formats_with_its_own_fields():
    for code, spec in CODES.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(spec.template + spec.hint) if f}
        assert all(f.isidentifier() for f in fields), code
        if spec.template:
            msg = make(code, location=Location(), **{f: "X" for f in fields}).message
            assert "{" not in msg and msg, code


def test_reconciliation_codes_are_a_registered_group():
    assert codes_in("reconciliation") == {
        C.ROUNDING,
        C.BUDGET_ROW,
        C.TOTAL_ROW,
        C.BASIC_PARTS,
        C.PROJECTS_TOTAL,
        C.SPENDING_TOTAL,
        C.SHEET_VS_SUMMARY,
        C.ASSET_ROLL,
        C.ASSET_NET,
        C.ASSET_TOTAL,
        C.PARTS_TOTAL,
    }


def test_batch_codes_are_registered_with_the_others():
    assert CODES[C.BATCH_UNREADABLE].severity == "error"
    assert make(C.BATCH_FAILED, reason="内部错误").message == "内部错误"


def test_a_workbook_location_keeps_its_json_and_wording():
    loc = Location(file="a.xlsx", sheet="公共项目", cell="F7", row=7, key="科技重大专项")
    assert loc.to_dict() == {
        "file": "a.xlsx",
        "sheet": "公共项目",
        "cell": "F7",
        "row": 7,
        "key": "科技重大专项",
    }
    assert loc.describe() == "公共项目!F7（科技重大专项）"
    assert Location(sheet="支出总表", row=4).describe() == "支出总表 第4行"
    assert flatten([make(C.INFO_MISSING, "未填写", loc)], ("code", "sheet", "cell", "row")) == [
        ("E-INFO-MISSING", "公共项目", "F7", 7)
    ]


def test_a_document_location_is_the_audit_json_and_reads_like_it():
    t = Location(table=1, row=2, column=3, page=4)
    assert t.to_dict() == {"table": 1, "row": 2, "column": 3, "page": 4}
    assert t.describe() == "第4页 表2 第3行 第4列"
    p = Location(paragraph=0)
    assert p.to_dict() == {"paragraph": 0} and p.describe() == "第1段"
    assert "paragraph" in p and "table" not in p and p["paragraph"] == 0 and p.get("page") is None
    assert {**t, "page": 5} == {"table": 1, "row": 2, "column": 3, "page": 5}
    assert Location.from_dict({"table": 1, "row": 2, "column": 3}) == Location(table=1, row=2, column=3)
    assert t.with_(page=9).page == 9


def test_one_word_for_each_audit_status():
    from jixiao.audit.recompute import STATUSES

    assert set(CLAIM_STATUS_ZH) == set(STATUSES)
    assert CLAIM_STATUS_ZH == {
        "mismatch": "不符",
        "rounding": "尾差",
        "unverifiable": "无法核实",
        "ok": "无误",
    }
