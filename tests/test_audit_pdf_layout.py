"""The PDF reader on PDFs written here: unit banners, tables continued over a page break under a
repeated title, running headers and page numbers, accountants' negatives, merged header cells,
and the facts read from a "三公" table in 元 (converted to 万元)."""

from __future__ import annotations

from decimal import Decimal as D

from audit_corpus.pdf import make_pdf

from jixiao.audit import audit_file, read_document
from jixiao.audit.facts import table_facts
from jixiao.audit.table_claims import parse_cell

HEADER = ("text", 200, 815, "某某局2024年度部门决算公开", 9)  # a running header on every page


def _page(n: int, *items) -> list:
    return [HEADER, *items, ("text", 290, 30, str(n), 9)]


def test_continued_table_unit_banner_running_header_and_page_numbers(tmp_path):
    head = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    first = [
        head,
        ["合计", "", "30.00", "18.00", "12.00"],
        ["201", "一般公共服务支出", "20.00", "10.00", "10.00"],
        ["20101", "人大事务", "12.00", "6.00", "6.00"],
    ]
    rest = [
        head,
        ["20102", "政协事务", "8.00", "4.00", "4.00"],
        ["208", "社会保障和就业支出", "10.00", "8.00", "2.00"],
        ["20805", "行政事业单位养老支出", "10.00", "8.00", "2.00"],
    ]
    widths = [60, 150, 70, 70, 70]
    pages = [
        _page(
            1,
            ("text", 50, 760, "支出决算表", 12),
            ("text", 450, 740, "单位：万元", 9),
            ("table", 50, 720, widths, 20, first),
        ),
        _page(
            2,
            ("text", 50, 760, "支出决算表", 12),
            ("text", 450, 740, "单位：万元", 9),
            ("table", 50, 720, widths, 20, rest),
            ("text", 50, 600, "本年支出合计30.00万元，其中：基本支出18.00万元，项目支出12.00万元。", 10),
        ),
        _page(3, ("text", 50, 760, "说明", 12)),
        _page(4, ("text", 50, 760, "名词解释", 12)),
    ]
    p = tmp_path / "决算.pdf"
    p.write_bytes(make_pdf(pages))
    doc = read_document(p)
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert (t.page, t.unit, len(t.rows)) == (1, "万元", 7)  # the repeated header is dropped
    texts = [x.text for x in doc.paragraphs]
    assert "某某局2024年度部门决算公开" not in texts and not any(x.strip().isdigit() for x in texts)
    assert texts.count("支出决算表") == 1  # the repeated title is gone too
    r = audit_file(p)
    assert r.summary["mismatch"] == 0
    by_cell: dict = {}
    for c in (c for c in r.claims if "table" in c.location):
        by_cell.setdefault((c.location["row"], c.location["column"]), []).append((c.formula, c.status))
    # 合计 = 201 + 208 (not every row); the 类 201 = 20101 + 20102 over the page break; the
    # 合计 column = 基本支出 + 项目支出
    assert ("20.00+10.00=30.00", "ok") in by_cell[(1, 2)] and ("18.00+12.00=30.00", "ok") in by_cell[(1, 2)]
    assert ("12.00+8.00=20.00", "ok") in by_cell[(2, 2)]
    assert all(c.location["page"] in (1, 2) for c in r.claims)


def test_three_public_table_in_yuan_gives_facts_in_wan_yuan(tmp_path):
    rows = [
        [
            "合计",
            "因公出国（境）费",
            "公务用车购置及运行费",
            "公务用车购置及运行费",
            "公务用车购置及运行费",
            "公务接待费",
        ],
        ["合计", "因公出国（境）费", "小计", "公务用车购置费", "公务用车运行费", "公务接待费"],
        ["123,400.00", "20,000.00", "93,400.00", "60,000.00", "33,400.00", "10,000.00"],
    ]
    pages = [
        [
            ("text", 50, 780, "2024年“三公”经费财政拨款预算表", 12),
            ("text", 450, 760, "单位：元", 9),
            ("table", 40, 740, [85] * 6, 20, rows),
        ]
    ]
    p = tmp_path / "三公.pdf"
    p.write_bytes(make_pdf(pages))
    doc = read_document(p)
    assert doc.tables[0].unit == "元"
    r = audit_file(p)
    got = sorted((c.location["column"], c.status, c.formula) for c in r.claims)
    # 合计 = 出国 + 公务用车(小计) + 接待; 小计 = 购置 + 运行 — the 其中 columns never add into 合计
    assert got == [
        (
            0,
            "ok",
            "因公出国（境）费 20,000.00 + 公务用车购置及运行费 93,400.00 + 公务接待费 10,000.00 = 123,400.00",
        ),
        (2, "ok", "公务用车购置费 60,000.00 + 公务用车运行维护费 33,400.00 = 93,400.00"),
    ]
    facts = {(f.subject, f.role): f.value for f in table_facts(doc)}
    assert facts[("three_public_total", "budget")] == D("12.34")
    assert facts[("three_public_vehicle_operation", "budget")] == D("3.34")


def test_accountants_negatives_and_dashes():
    assert parse_cell("(12.00)").value == D("-12.00")
    assert parse_cell("（1,234.50）").value == D("-1234.50")
    assert parse_cell("-") is None and parse_cell("—") is None
    assert parse_cell("（1）") is None  # a list number, not a figure


def _claims(rows):
    from jixiao.audit import audit_document
    from jixiao.audit.document import DocumentBuilder

    b = DocumentBuilder("t")
    b.table(rows)
    return audit_document(b.doc).claims


def test_subtotal_under_a_spanning_heading_and_carry_over():
    # 政府性基金 table of the template: 本年支出 spans 小计 | 基本支出 | 项目支出 (merged cell repeated)
    head1 = [
        "科目编码",
        "科目名称",
        "年初结转和结余",
        "本年收入",
        "本年支出",
        "本年支出",
        "本年支出",
        "年末结转和结余",
    ]
    head2 = [
        "科目编码",
        "科目名称",
        "年初结转和结余",
        "本年收入",
        "小计",
        "基本支出",
        "项目支出",
        "年末结转和结余",
    ]
    rows = [
        head1,
        head2,
        ["212", "城乡社区支出", "10.00", "50.00", "45.00", "5.00", "40.00", "15.00"],
        ["229", "其他支出", "0.00", "20.00", "20.00", "", "20.00", "1.00"],
    ]  # 0 + 20 − 20 ≠ 1
    got = {(c.location["row"], c.location["column"], c.kind): c.status for c in _claims(rows)}
    assert got[(2, 4, "table_total")] == "ok" and got[(3, 4, "table_total")] == "ok"
    assert got[(2, 7, "table_identity")] == "ok" and got[(3, 7, "table_identity")] == "mismatch"


def test_subset_columns_under_qizhong_are_not_a_sum():
    # 政府采购 小计 with "其中：预留给中小企业 / 其中：小微企业" — subsets, not parts
    head1 = ["项目", "政府采购", "政府采购", "政府采购"]
    head2 = ["项目", "小计", "其中：预留中小企业", "其中：预留小微企业"]
    cs = _claims([head1, head2, ["甲", "100.00", "60.00", "20.00"]])
    assert [(c.location["column"], c.status) for c in cs] == [(1, "unverifiable")]


def test_codes_split_over_columns_written_in_full():
    # 类 | 款 | 项 columns each holding the full code (201 | 20106 | 2010601), a 款 slip of 1.00
    rows = [
        ["类", "款", "项", "科目名称", "金额"],
        ["合计", "", "", "", "30.00"],
        ["201", "", "", "一般公共服务支出", "30.00"],
        ["201", "20106", "", "财政事务", "31.00"],
        ["201", "20106", "2010601", "行政运行", "10.00"],
        ["201", "20106", "2010602", "一般行政管理事务", "20.00"],
    ]
    got = [(c.location["row"], c.status, c.formula) for c in _claims(rows)]
    assert got == [
        (1, "ok", "30.00=30.00"),
        (2, "mismatch", "31.00=31.00"),
        (3, "mismatch", "10.00+20.00=30.00"),
    ]


def test_landscape_page_written_with_rotate_reads_as_shown(tmp_path):
    # an upright A4 page with /Rotate 90 and its content turned: read in the order it is shown
    rows = [["a", "1.00"], ["b", "2.00"], ["c", "3.00"]]
    page = [
        ("table", 50, 520, [80, 80], 20, rows),
        ("text", 50, 400, "支出合计3.00万元，其中：甲1.00万元，乙2.00万元。", 10),
    ]
    p = tmp_path / "横向.pdf"
    p.write_bytes(make_pdf([page], rotate=90))
    doc = read_document(p)
    assert [r[1] for r in doc.tables[0].rows] == ["1.00", "2.00", "3.00"]
    assert doc.paragraphs[0].text == "支出合计3.00万元，其中：甲1.00万元，乙2.00万元。"
