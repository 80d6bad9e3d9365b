"""Facts stated in sentences (text_facts), the text against its own tables (text_vs_table), and
several documents of one unit (`jixiao audit A B --same-unit`, cross_document). Figures below
are made up for the tests; the arithmetic is in the comments."""

from __future__ import annotations

import json
from decimal import Decimal as D

from audit_corpus.builders import write_docx
from typer.testing import CliRunner

from jixiao.audit import audit_documents
from jixiao.audit.compare import agree, subject_of, text_vs_table
from jixiao.audit.facts import Fact, text_facts
from jixiao.audit.readers import parse_txt
from jixiao.cli import app

runner = CliRunner()

JUESUAN = """某局2023年度部门决算公开
2023年本年支出合计1,000.00万元，其中：基本支出700.00万元，项目支出300.00万元。
2023年度“三公”经费财政拨款支出决算为240000.00元，完成预算的80.00%，比预算节约60000.00元。其中：因公出国（境）费0.00元，公务用车购置及运行维护费140000.00元，公务接待费100000.00元。
2023年度机关运行经费支出88.00万元，比上年增加8.00万元，增长10.00%。
"""
ZIPING = """某局2023年度部门整体支出绩效自评报告
2023年度“三公”经费支出24.00万元，其中：公务接待费11.00万元，公务用车购置及运行维护费13.00万元。
机关运行经费支出88.00万元。
"""


def facts(text):
    return {(f.subject, f.role): f.value for f in text_facts(parse_txt(text, "x.txt"))}


def test_text_facts_name_subject_role_and_value_in_wan():
    got = facts(JUESUAN)
    assert got[("expense_total", "actual")] == D("1000.00")
    assert got[("basic_expense", "actual")] == D("700.00")
    assert got[("project_expense", "actual")] == D("300.00")
    assert got[("three_public_total", "actual")] == D("24")  # 240,000.00元 = 24.00万元
    assert got[("three_public_vehicle", "actual")] == D("14")
    assert got[("three_public_reception", "actual")] == D("10")
    assert got[("operating_expense", "actual")] == D("88.00")
    # a budget document's figures are budgets; a change or a rate is never a fact
    b = facts("2024年“三公”经费预算数为12.50万元，比上年减少2.50万元，下降16.67%。")
    assert b == {("three_public_total", "budget"): D("12.50")}


def test_subjects_by_the_words_before_the_figure():
    assert subject_of("其中：公务用车运行维护费") == "three_public_vehicle_operation"
    assert subject_of("公务用车购置及运行维护费") == "three_public_vehicle"
    assert subject_of("2023年度“三公”经费财政拨款支出决算为") == "three_public_total"
    assert subject_of("2023年本年支出合计") == "expense_total"
    assert subject_of("一般公共预算财政拨款基本支出") == ""  # another scope than 基本支出
    assert subject_of("比上年增加") == ""


def test_agreement_at_the_coarser_printed_precision():
    assert agree(D("24.000000"), D("24.00"), D("0.000001"), D("0.01")) == "ok"  # 240,000.00元 vs 24.00万元
    assert agree(D("24.004"), D("24.00"), D("0.001"), D("0.01")) == "ok"
    assert agree(D("24.01"), D("24.00")) == "rounding"
    assert agree(D("24.10"), D("24.00")) == "mismatch"


def _table_fact(subject, value, row=4, col=2):
    return Fact(subject, "actual", D(value), {"table": 0, "row": row, "column": col}, value, "x.txt")


def test_text_against_its_own_tables():
    doc = parse_txt(JUESUAN, "x.txt")
    ok = text_vs_table(
        doc, [_table_fact("three_public_total", "24.00"), _table_fact("operating_expense", "88.00")]
    )
    assert [(c.kind, c.status) for c in ok] == [("text_vs_table", "ok")] * 2
    assert ok[0].location == {"paragraph": 2} and ok[0].refs[1] == ("t", 0, 4, 2)
    bad = text_vs_table(doc, [_table_fact("three_public_total", "25.00")])
    c = bad[0]
    assert (c.status, c.stated, c.unit, c.computed) == ("mismatch", D("240000.00"), "元", D("250000.00"))
    assert "表1第5行第3列" in c.reason and "24" not in c.reason.split("与")[1][:3]
    # no table fact for a subject: nothing compared
    assert text_vs_table(doc, [_table_fact("procurement_total", "1.00")]) == []


def test_same_unit_documents_agree_or_disagree_figure_by_figure():
    m = audit_documents(
        [("决算.txt", parse_txt(JUESUAN, "决算.txt")), ("自评.txt", parse_txt(ZIPING, "自评.txt"))],
        same_unit=True,
    )
    got = {c.text.split("：")[0]: c.status for c in m.cross}
    assert got == {
        "“三公”经费合计（决算（实际）数）": "ok",  # 24.00 = 24.00
        "公务用车购置及运行费（决算（实际）数）": "mismatch",  # 14.00 vs 13.00
        "公务接待费（决算（实际）数）": "mismatch",  # 10.00 vs 11.00
        "机关运行经费（决算（实际）数）": "ok",
    }  # 88.00 = 88.00
    bad = next(c for c in m.cross if c.status == "mismatch")
    assert bad.kind == "cross_document"
    assert [x["file"] for x in bad.location["locations"]] == ["决算.txt", "自评.txt"]
    assert [x["paragraph"] for x in bad.location["locations"]] == [2, 1]
    assert "决算.txt" in bad.reason and "自评.txt" in bad.reason
    assert m.exit_code == 1
    # not the same unit: each document on its own, nothing compared
    alone = audit_documents(
        [("决算.txt", parse_txt(JUESUAN, "决算.txt")), ("自评.txt", parse_txt(ZIPING, "自评.txt"))]
    )
    assert alone.cross == [] and alone.exit_code == 0


def test_an_adjusted_budget_is_not_compared_with_an_initial_one():
    a = parse_txt("2023年度“三公”经费全年预算数为30.00万元，支出决算为24.00万元。", "a.txt")
    b = parse_txt("某局2023年部门预算\n2023年“三公”经费年初预算数为28.00万元。", "b.txt")
    m = audit_documents([("a.txt", a), ("b.txt", b)], same_unit=True)
    assert [c for c in m.cross if "预算数" in c.text] == []


def test_cli_several_files_same_unit(tmp_path):
    a = tmp_path / "决算公开.txt"
    a.write_text(JUESUAN, encoding="utf-8")
    b = write_docx(parse_txt(ZIPING, "自评报告.docx"), tmp_path / "自评报告.docx")
    r = runner.invoke(app, ["audit", str(a), str(b), "--same-unit", "--format", "json"])
    assert r.exit_code == 1, r.output
    d = json.loads(r.output)
    assert [f["file"] for f in d["files"]] == [str(a), str(b)]
    assert d["same_unit"] is True and d["summary"]["mismatch"] == 2
    kinds = {(c["kind"], c["status"]) for c in d["cross_document"]}
    assert kinds == {("cross_document", "ok"), ("cross_document", "mismatch")}
    files = [[x["file"] for x in c["location"]["locations"]] for c in d["cross_document"]]
    assert all(f == [str(a), str(b)] for f in files)
    r = runner.invoke(app, ["audit", str(a), str(b), "--same-unit"])
    assert r.exit_code == 1
    assert "跨文件核对" in r.output and "决算公开.txt 第3段；自评报告.docx 第2段" in r.output
    # several files without the option: each audited on its own, exit 0 (no slip in either)
    r = runner.invoke(app, ["audit", str(a), str(b)])
    assert r.exit_code == 0 and "跨文件核对" not in r.output
    # usage and unreadable input keep their exit codes
    assert runner.invoke(app, ["audit", str(a), "--same-unit"]).exit_code == 2
    assert runner.invoke(app, ["audit", str(a), str(tmp_path / "无此文件.pdf"), "--same-unit"]).exit_code == 3


def test_a_gap_to_the_budget_is_not_a_budget():
    # "支出超出预算0.02万元" states how far the budget was exceeded: no fact about the budget itself
    assert facts("某局2023年度决算\n“三公”经费支出超出预算0.02万元。") == {}
    assert facts(
        "某局2023年度决算\n“三公”经费较预算节约额为43.97万元，计算过程：三公经费预算数57.84万元"
        "－三公经费实际支出数13.87万元=43.97万元。"
    ) == {("three_public_total", "budget"): D("57.84")}
