"""Readers: .txt (Word's text layout, encodings), .docx (merged cells, nested text, order),
.pdf (text layer, ruled tables, scanned pages) and unreadable files (exit 3 messages)."""

from __future__ import annotations

import zipfile

import docx
import pytest
from audit_corpus.pdf import make_pdf
from docx.oxml import OxmlElement
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.audit import audit_file
from jixiao.audit.document import Paragraph, Table
from jixiao.audit.readers import parse_txt, read_document
from jixiao.errors import InputError

LAYOUT = (
    "示例单位2024年度绩效自评报告\n"
    "单位：万元\n"
    "\t序号\n\t项目\n\t本年\n决算数\n\t上年\n决算数\n\n"
    "\t1\n\t办公\n\t10.00\n\t8.00\n\n"
    "\t2\n\t培训\n\t\n\t2.00\n\n"
    "\t合计\n\t10.00\n\t10.00\n\n"
    "表后的段落12.00万元。\n"
)


def test_txt_layout_cells_rows_continuations_and_merged_total():
    doc = parse_txt(LAYOUT, "t.txt")
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Paragraph", "Table", "Paragraph"]
    t = doc.tables[0]
    assert t.rows[0] == ("序号", "项目", "本年决算数", "上年决算数")  # a cell's second line continues it
    assert t.rows[2] == ("2", "培训", "", "2.00")  # an empty cell stays a cell
    assert t.rows[3] == ("合计", "合计", "10.00", "10.00")  # a short row: its label spans
    assert doc.paragraphs[-1] == Paragraph(2, "表后的段落12.00万元。")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_txt_encodings(tmp_path, encoding):
    p = tmp_path / "报告 副本.txt"
    p.write_bytes(LAYOUT.encode(encoding))
    doc = read_document(p)
    assert doc.tables[0].rows[1][1] == "办公"
    assert doc.paragraphs[0].text.startswith("示例单位")


def test_tab_separated_lines_are_one_table():
    doc = parse_txt("项目\t金额\t备注\n甲\t1.00\t\n乙\t2.00\t\n合计\t3.00\t\n")
    assert len(doc.tables) == 1 and doc.tables[0].rows[3][:2] == ("合计", "3.00")


def _merged_docx(path):
    d = docx.Document()
    d.add_paragraph("第一段：支出合计3.00万元，其中：甲1.00万元，乙2.00万元。")
    t = d.add_table(rows=5, cols=4)
    head = ["序号", "项目", "金额", "备注"]
    for c, h in enumerate(head):
        t.cell(0, c).text = h
    for r, (a, b) in enumerate([("1", "甲"), ("2", "乙")], start=1):
        t.cell(r, 0).text, t.cell(r, 1).text = a, b
    t.cell(1, 2).text, t.cell(2, 2).text = "1.00", "2.00"
    t.cell(1, 3).text = "同一说明"
    t.cell(1, 3).merge(t.cell(2, 3))  # vertical merge (vMerge) of a note
    t.cell(3, 0).text = "合计"
    t.cell(3, 0).merge(t.cell(3, 1))  # horizontal merge (gridSpan) of the label
    t.cell(3, 2).text = "3.00"
    inner = t.cell(4, 3).add_table(rows=1, cols=1)  # nested table: its text belongs to the cell
    inner.cell(0, 0).text = "嵌套"
    d.add_paragraph("第二段")
    # a paragraph inside a content control (w:sdt) is read in its place
    sdt = OxmlElement("w:sdt")
    content = OxmlElement("w:sdtContent")
    p = OxmlElement("w:p")
    r = OxmlElement("w:r")
    tx = OxmlElement("w:t")
    tx.text = "控件中的段落"
    r.append(tx)
    p.append(r)
    content.append(p)
    sdt.append(content)
    d.element.body.insert(len(d.element.body) - 1, sdt)
    d.save(str(path))
    return path


def test_docx_order_merged_cells_nested_text(tmp_path):
    doc = read_document(_merged_docx(tmp_path / "合并.docx"))
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table", "Paragraph", "Paragraph"]
    assert [p.text for p in doc.paragraphs][1:] == ["第二段", "控件中的段落"]
    t = doc.tables[0]
    assert t.rows[3][:3] == ("合计", "合计", "3.00")  # one logical cell, label over both columns
    assert t.rows[2][3] == "同一说明"  # vertical merge repeats a text
    assert "嵌套" in t.rows[4][3]
    statuses = {(c.kind, c.status) for c in audit_file(tmp_path / "合并.docx").claims}
    assert statuses == {("parts", "ok"), ("table_total", "ok")}


def test_docx_vertically_merged_number_is_counted_once(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=4, cols=2)
    for r, (a, b) in enumerate([("项目", "金额"), ("甲", "5.00"), ("乙", ""), ("合计", "5.00")]):
        t.cell(r, 0).text, t.cell(r, 1).text = a, b
    t.cell(1, 1).merge(t.cell(2, 1))
    d.save(str(tmp_path / "v.docx"))
    doc = read_document(tmp_path / "v.docx")
    assert doc.tables[0].rows[2][1] == ""
    assert [c.status for c in audit_file(tmp_path / "v.docx").claims] == ["ok"]


PDF_PAGE = [
    ("text", 50, 800, "基本支出300.00万元，其中：人员经费200.00万元，公用经费100.00万元。", 10),
    (
        "table",
        50,
        760,
        [80, 80, 80],
        20,
        [
            ["项目", "金额", "占比"],
            ["甲", "30.00", "30.00%"],
            ["乙", "70.00", "70.00%"],
            ["合计", "100.00", "100.00%"],
        ],
    ),
    ("text", 50, 660, "资产总额為998.12萬元，較上年194.00萬元增長804.12萬元。", 10),
]


def test_pdf_text_layer_and_ruled_table(tmp_path):
    p = tmp_path / "报告.pdf"
    p.write_bytes(make_pdf([PDF_PAGE]))
    doc = read_document(p)
    assert isinstance(doc.blocks[1], Table) and doc.tables[0].rows[3] == ("合计", "100.00", "100.00%")
    assert doc.paragraphs[1].text == "资产总额为998.12万元，较上年194.00万元增长804.12万元。"
    r = audit_file(p)
    assert r.summary["ok"] == 5 and r.summary["mismatch"] == 0


def test_scanned_pdf_without_text_is_refused(tmp_path):
    p = tmp_path / "扫描件.pdf"
    p.write_bytes(make_pdf([[("rect", 50, 50, 400, 600)]], with_text=False))
    with pytest.raises(InputError) as e:
        read_document(p)
    assert "文字层" in e.value.message and "扫描件" in e.value.message


@pytest.mark.parametrize(
    "name,data,words",
    [
        ("空.txt", b"", "空文件"),
        ("坏.docx", b"PK\x03\x04" + b"\x00" * 40, "损坏"),
        ("假.docx", b"not a zip at all", "损坏"),
        ("旧.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "另存为 .docx"),
        ("坏.pdf", b"%PDF-1.4\n garbage", "PDF"),
        ("乱码.txt", bytes(range(128, 256)) * 4, "编码"),
        ("表.xlsx", b"whatever", "不支持"),
    ],
)
def test_unreadable_inputs_have_clear_messages(tmp_path, name, data, words):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(InputError) as e:
        read_document(p)
    assert words in e.value.message + e.value.hint


def test_zip_that_is_not_word(tmp_path):
    p = tmp_path / "x.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="不是 Word"):
        read_document(p)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="找不到"):
        read_document(tmp_path / "无.docx")
    with pytest.raises(InputError, match="文件夹"):
        read_document(tmp_path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from([b"", b"PK\x03\x04", b"%PDF-1.4\n", b"\xef\xbb\xbf"]),
    st.binary(max_size=400),
    st.sampled_from([".txt", ".docx", ".pdf"]),
)
def test_random_bytes_are_read_or_refused_never_crash(tmp_path, prefix, body, ext):
    p = tmp_path / f"随机{ext}"
    p.write_bytes(prefix + body)
    try:
        read_document(p)
    except InputError as e:
        assert e.message


def test_truncated_docx_is_refused(tmp_path):
    full = _merged_docx(tmp_path / "完整.docx").read_bytes()
    p = tmp_path / "截断.docx"
    p.write_bytes(full[: len(full) // 2])
    with pytest.raises(InputError, match="损坏"):
        read_document(p)
