"""The audit on real published PDFs in ../shared/corpus (never copied here): a clean 部门决算,
its 测试问题版本 with problems seeded on purpose, and 部门预算公开 PDFs from several cities.

Every figure asserted below was checked by hand against the PDF (page and table named).
Sources: juesuan/ from github.com/zxj6827111-blip/GovBudgetChecker (samples/, commit 91faac5);
budgets/ from github.com/calinchow-del/renwu (预算数据/, commit 8af6eb4).
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from conftest import ROOT, need

from jixiao.audit import audit_file, read_document
from jixiao.audit.facts import SUBJECTS, table_facts

CORPUS = ROOT.parent / "shared" / "corpus"
CLEAN = CORPUS / "juesuan" / "上海市普陀区财政局2024年度部门决算.pdf"
SEEDED = CORPUS / "juesuan" / "24年普陀区财政局（测试问题版本）.pdf"
TEMPLATE = CORPUS / "juesuan" / "附件2：部门决算模板.pdf"
BUDGETS = CORPUS / "budgets"


def _need(p: Path) -> Path:
    need(p.exists(), f"{p} is absent (../shared/corpus)")
    return p


@pytest.fixture(scope="module")
def clean():
    return audit_file(_need(CLEAN))


@pytest.fixture(scope="module")
def seeded():
    return audit_file(_need(SEEDED))


def _at(result, table, row, column, kind="table_total"):
    cs = [
        c
        for c in result.claims
        if c.kind == kind
        and c.location.get("table") == table
        and c.location["row"] == row
        and c.location["column"] == column
    ]
    assert cs, f"no {kind} claim at 表{table + 1} 第{row + 1}行 第{column + 1}列"
    return cs[0]


# --- the clean 2024 部门决算 of 上海市普陀区财政局 (25 pages) ------------------------------------


def test_clean_juesuan_has_no_mismatch_and_is_verified_from_its_tables(clean):
    # the tables give none; the sentences give the document's two real slips, both on p.21 (hand-checked):
    # - the share of 一般公共服务支出: 2,106.66 / 2,940.05 = 71.65%, printed 71.73% (the four shares it
    #   lists add to 100.07%);
    # - 财政拨款收入支出总计 printed as 0.3万元, while its 财政拨款收入支出决算总表 (p.12) totals 2,961.68
    #   (and the next sentence says the total is unchanged from 2023).
    assert [c.where for c in clean.mismatches if "table" in c.location] == []
    got = sorted((c.location.get("page"), c.kind, c.stated) for c in clean.mismatches)
    assert got == [(21, "rate", D("71.73")), (21, "text_vs_table", D("0.3"))], [
        (c.where, c.text, c.formula) for c in clean.mismatches
    ]
    verified = [c for c in clean.claims if c.status in ("ok", "rounding")]
    assert len(verified) >= 60
    assert sum(1 for c in verified if "table" in c.location) >= 0.8 * len(verified)
    assert all(c.location.get("page") for c in clean.claims)


def test_clean_juesuan_tables_read_with_units_and_pages():
    doc = read_document(_need(CLEAN))
    money = [t for t in doc.tables if t.unit]
    assert {t.unit for t in money} == {"万元"}
    # 收入支出决算总表 p.6–7 is one table (continued over the page break): 32 rows, two blocks
    total = doc.tables[1]
    assert (total.page, len(total.rows), total.rows[-1]) == (6, 32, ("总计", "2,995.39", "总计", "2,995.39"))
    # the 经济分类 table runs over pages 16–17 and is joined
    econ = doc.tables[6]
    assert econ.page == 16 and econ.rows[-1][0] == "人员经费合计"


@pytest.mark.parametrize(
    "table,row,column,formula",
    [
        # 收入支出决算总表 (p.6): each side's 合计 and 总计, and 总计 收入 = 总计 支出 (hand-checked)
        (1, 28, 1, "2,940.05+6.20=2,946.25"),
        (1, 28, 3, "2,106.66+326.71+60.99+445.69=2,940.05"),
        (1, 31, 1, "2,946.25+49.14=2,995.39"),
        (1, 31, 3, "2,940.05+55.34=2,995.39"),
        # 财政拨款收入支出决算总表 (p.12–13): 总计 = 本年合计 + 年初结转和结余
        (4, 33, 1, "2,940.05+21.63=2,961.68"),
        # 支出决算表 (p.10): the 类 201 is its 款 20106; the 款 20106 its four 项
        (3, 4, 4, "2,106.66=2,106.66"),
        (3, 5, 4, "1,511.89+10.00+135.25+449.52=2,106.66"),
        # 基本支出决算表 (p.16–17): 人员经费 = 301 + 303, 公用经费 = 302 + 310
        (6, 41, 3, "301 2,082.85 + 303 69.41 = 2,152.26"),
        (6, 41, 7, "302 171.07 + 310 13.58 = 184.65"),
    ],
)
def test_clean_juesuan_totals_follow_the_template(clean, table, row, column, formula):
    c = _at(clean, table, row, column)
    assert (c.status, c.formula) == ("ok", formula)


def test_clean_juesuan_coded_totals_add_only_the_lei(clean):
    # 收入决算表 p.8: 合计 2,946.25 = 201 2,112.86 + 208 326.72 + 210 60.99 + 221 445.69 = 2,946.26,
    # one cent of 尾差 — not the 8,838.78 of every 类, 款 and 项 added together
    c = _at(clean, 2, 3, 4)
    assert (c.status, c.computed) == ("rounding", D("2946.26"))
    # 经济分类 302 商品和服务支出 171.07 against its twelve 款 (171.09): 尾差 of twelve rounded parts
    c = _at(clean, 6, 3, 7)
    assert (c.status, c.computed) == ("rounding", D("171.09"))


def test_clean_juesuan_three_public_table(clean):
    # "三公" table p.18: 合计 预算数 0.95 = 出国 0 + 公务用车 0 + 接待 0.95 (其中 rows never added in)
    c = _at(clean, 7, 5, 0)
    assert c.status == "ok" and c.formula.endswith("公务接待费 0.95 = 0.95")


def test_clean_juesuan_table_facts():
    facts = {(f.subject, f.role): f for f in table_facts(read_document(_need(CLEAN)))}
    assert {k for k, _ in facts} <= set(SUBJECTS)
    want = {
        ("income_total", "actual"): "2946.25",
        ("expense_total", "actual"): "2940.05",
        ("basic_expense", "actual"): "2336.91",
        ("project_expense", "actual"): "603.14",
        ("fiscal_appropriation_income", "actual"): "2940.05",
        ("general_public_budget_expense", "actual"): "2940.05",
        ("three_public_total", "budget"): "0.95",
        ("three_public_reception", "budget"): "0.95",
        # 收入支出决算总表 p.7 总计; 财政拨款收入支出决算总表 p.13 总计 (the text's "0.3万元" is a slip)
        ("grand_total", "actual"): "2995.39",
        ("fiscal_grand_total", "actual"): "2961.68",
    }
    for key, value in want.items():
        assert facts[key].value == D(value), key
    # its 决算数 cells are blank beside printed 预算数 ones: they state nothing
    assert ("three_public_total", "actual") not in facts
    assert facts[("expense_total", "actual")].location == {"table": 3, "row": 3, "column": 4, "page": 10}


# --- the 测试问题版本 (26 pages): the problems seeded, found by comparing it with the clean one ---
# Found by extracting both texts (pypdfium2) and diffing them, by hand:
#   p.18  一、收入支出总计 "0 万元" (clean and tables: 2,995.39), with "减少56.95万元，下降1.87%"
#         that 0 cannot give                                      → sentences / text vs table
#   p.18  heading "2023年度部门决算情况说明" (2024 elsewhere); 二、 moved before 一、  → not arithmetic
#   p.19  1、行政运行 "决算数大于预算数" though 1,511.89 < 1,560.05        → sentence comparison
#   p.20  7、职业年金 "决算数大于预算数" though 80.38 < 80.81              → sentence comparison
#   p.21  9、行政单位医疗 "决算数等于预算数" though 60.99 ≠ 62.29          → sentence comparison
#   p.10 of the clean one: 支出决算表 (表3) left out altogether
#   p.15  "三公" table left blank, while p.22 says 年初预算为 0.95 万元   → table vs text (facts)
#   p.24  "截至 2023年12月31日" (2024 elsewhere)                        → not arithmetic
# Every table figure that is printed is the clean one's: the tables hold no seeded slip, so the
# tables must give no 不符 — the sentence and text-vs-table checks are the sentence audit's.
# (The clean one's p.21 "财政拨款收入支出总计0.3万元 … 持平" is a real slip of the published
# document — its table says 2,961.68; the 测试问题版本 prints 2,961.68 with 减少63.14、下降2.09%.)


def test_seeded_version_tables_have_no_mismatch_and_pages(seeded):
    table_mism = [c for c in seeded.mismatches if "table" in c.location]
    assert table_mism == []
    assert all(c.location.get("page") for c in seeded.claims)
    ok_tables = [c for c in seeded.claims if "table" in c.location and c.status in ("ok", "rounding")]
    assert len(ok_tables) >= 60


def test_seeded_version_facts_show_the_missing_table_and_the_blank_three_public_table():
    seeded = {(f.subject, f.role): f for f in table_facts(read_document(_need(SEEDED)))}
    # 支出决算表 is gone: no 支出合计 / 基本支出 from it
    assert ("expense_total", "actual") not in seeded and ("basic_expense", "actual") not in seeded
    # the blank "三公" table (p.15) states 0 where the text states a budget of 0.95
    f = seeded[("three_public_total", "budget")]
    assert f.value == 0 and f.location["page"] == 15


def test_template_is_read_and_gives_no_claim_to_fail():
    r = audit_file(_need(TEMPLATE))
    assert r.tables >= 9 and r.summary["mismatch"] == 0


# --- 部门预算公开 PDFs (2026): hand-checked totals must verify; tables give no 不符 --------------


@pytest.mark.parametrize(
    "name,table,row,column,formula",
    [
        # 苏州市审计局 p.11 支出总表: 合计 4,651.67 = 基本支出 4,312.17 + 项目支出 339.50
        ("05_苏州_审计局_2026年部门预算.pdf", 2, 1, 2, "4,312.17+339.50=4,651.67"),
        # 深圳市卫生健康委员会 p.20 收支总表: 收入总计 151,194.32 = 本年收入合计 151,082.36 + 上年结余、结转 111.96
        ("01_深圳_2026年深圳市卫生健康委员会部门预算.pdf", 1, 38, 1, "151,082.36+111.96=151,194.32"),
        ("01_深圳_2026年深圳市卫生健康委员会部门预算.pdf", 1, 38, 3, "151,194.32+0.00=151,194.32"),
    ],
)
def test_budget_totals_verify(name, table, row, column, formula):
    r = audit_file(_need(BUDGETS / name))
    cs = [
        c
        for c in r.claims
        if c.location.get("table") == table
        and c.location["row"] == row
        and c.location["column"] == column
        and c.formula == formula
    ]
    assert cs and cs[0].status == "ok"


# the tables of all 11 budgets: no 不符 (before this work they gave 1,206, all false — a total
# added to itself, 类 + 款 + 项 all added, 其中 columns added in); the least each verifies
BUDGET_TABLES = {
    "01_深圳_2026年深圳市卫生健康委员会部门预算.pdf": 300,
    "02_深圳_2026年深圳市信访局部门预算.pdf": 200,
    "03_广州_交通运输局_2026年部门预算.pdf": 600,
    "04_广州_2026年广州市卫生健康委员会部门预算.pdf": 1000,
    "05_苏州_审计局_2026年部门预算.pdf": 200,
    "06_苏州_2026年苏州市交通运输局部门预算.pdf": 250,
    "07_杭州_交通运输局_2026年部门预算.pdf": 5,
    "08_无锡_水务局_2026年部门预算.pdf": 250,
    "09_无锡_发展和改革局_2026年部门预算.pdf": 250,
    "10_泉州_公安局_2026年部门预算.pdf": 50,
    "11_珠海_2026年珠海市商务局部门预算.pdf": 300,
}


@pytest.mark.parametrize("name", sorted(BUDGET_TABLES))
def test_budget_tables_give_no_mismatch(name):
    r = audit_file(_need(BUDGETS / name))
    assert [c.where for c in r.mismatches if "table" in c.location] == []
    verified = sum(1 for c in r.claims if "table" in c.location and c.status in ("ok", "rounding"))
    assert verified >= BUDGET_TABLES[name]
    assert all(c.location.get("page") for c in r.claims)


def test_budget_with_unmarked_levels_stays_unverifiable():
    # 杭州交通 p.22 收支总表: 类, 款 and 项 names without codes or numbers. Checked by hand: the
    # list is not consistent inside — 一般公共服务支出 6,651.38 over 1.98 + 6,700.00 = 6,701.98 — but
    # no total of it is provable from the layout, so 本年支出合计 is 无法核实, never 不符
    r = audit_file(_need(BUDGETS / "07_杭州_交通运输局_2026年部门预算.pdf"))
    c = [
        c
        for c in r.claims
        if c.location.get("table") == 0 and c.location["row"] == 47 and c.location["column"] == 3
    ]
    assert c and c[0].status == "unverifiable" and "分级" in c[0].reason


def test_seeded_version_mismatches_exactly_at_the_seeded_places(seeded):
    """With the sentence audit of issue 10 (``jixiao.audit.compare``, branch h/text) in place, the
    测试问题版本 gives 不符 at each seeded arithmetic problem and nowhere else: p.18 下降1.87% of a
    total stated as 0; p.19 and p.20 "决算数大于预算数" (1,511.89 < 1,560.05; 80.38 < 80.81); p.21
    "决算数等于预算数" (60.99 ≠ 62.29); p.22 三公 预算 0.95 against the blank table of p.15 — and at
    the one real slip it shares with the clean document, p.19 "占71.73%" (2,106.66 / 2,940.05 =
    71.65%) — and the 0 万元 total of p.18 against its table too (收入支出总计 2,995.39 in 表2, p.7).
    Until that module is merged this integration check cannot run."""
    pytest.importorskip("jixiao.audit.compare", reason="the sentence audit of issue 10 is not merged yet")
    got = sorted((c.location.get("page"), "table" in c.location) for c in seeded.mismatches)
    assert got == [
        (18, False),
        (18, False),
        (19, False),
        (19, False),
        (20, False),
        (21, False),
        (22, False),
    ], [(c.where, c.kind, c.text[:40]) for c in seeded.mismatches]
