"""Resource limits (issue 14.1): hostile workbooks are refused while streaming, with a located
Chinese message and exit 3, before memory grows; a flood of bad cells gives a capped issue list.

The large files are generated here (benchmarks/make_hostile.py), never committed. Sizes are
smaller than the issue's (200 MB, 1.2 GB) but beyond the same limit, so the same refusal is
exercised in a second or two; benchmarks/bench_memory.py runs the full sizes and records peak
memory.
"""

from __future__ import annotations

import importlib.util
import struct
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao import limits
from jixiao.cli import app
from jixiao.errors import InputError
from jixiao.issues import Issue, Location
from jixiao.limits import IssueCollector, LimitExceeded
from jixiao.workbook import load
from jixiao.workbook.read import read_workbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "changsha-kjj-2023.xlsx"
runner = CliRunner()


def _hostile():
    spec = importlib.util.spec_from_file_location("make_hostile", ROOT / "benchmarks" / "make_hostile.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


H = _hostile()


def _rows_xml(tmp_path: Path, rows: bytes, name: str = "wb.xlsx") -> Path:
    """The example with ``rows`` (raw <row> elements) appended to the 部门项目 sheet."""
    return H.replace_sheet(
        EXAMPLE,
        tmp_path / name,
        H.SHEET,
        lambda xml: [xml[: xml.index(b"</sheetData>")], rows, xml[xml.index(b"</sheetData>") :]],
    )


def _check(path: Path):
    return runner.invoke(app, ["check", str(path), "--format", "json"])


def test_sheet_xml_over_the_limit_is_refused_from_the_zip_directory(tmp_path):
    # 14.1 first case: one stray value per row; the sheet's XML is larger than MAX_SHEET_XML_BYTES
    p = H.stray_bomb(tmp_path / "stray.xlsx", xml_mb=limits.MAX_SHEET_XML_BYTES // limits.MiB + 6)
    assert p.stat().st_size < 20 * limits.MiB
    r = _check(p)
    assert r.exit_code == 3, r.output
    assert "工作表“部门项目”" in r.stderr and "超过上限 64 MB" in r.stderr
    assert "Traceback" not in r.output


def test_whitespace_bomb_is_refused(tmp_path):
    # 14.1 third case: a ~1 MB file whose sheet XML is whitespace far beyond the limit
    p = H.whitespace_bomb(tmp_path / "ws.xlsx", xml_mb=128)
    assert p.stat().st_size < 1 * limits.MiB
    with pytest.raises(LimitExceeded, match="部门项目.*128 MB.*64 MB"):
        read_workbook(p)


def _lie_about_sizes(path: Path, part: str, size: int) -> None:
    """Rewrite the uncompressed size of ``part`` in its local header and its central directory
    entry (a zip whose directory lies, as a hand-made bomb may)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(part)
        start = zf.start_dir
    struct.pack_into("<I", data, info.header_offset + 22, size)
    pos = start
    while data[pos : pos + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack_from("<HHH", data, pos + 28)
        if data[pos + 46 : pos + 46 + n].decode() == part:
            struct.pack_into("<I", data, pos + 24, size)
        pos += 46 + n + m + k
    path.write_bytes(bytes(data))


def test_a_lying_zip_directory_does_not_get_past_the_streaming_reader(tmp_path):
    p = tmp_path / "liar.xlsx"
    with zipfile.ZipFile(EXAMPLE) as zin, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zout:
        part = H._sheet_part(zin, H.SHEET)
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                end = data.index(b"</sheetData>")
                data = data[:end] + b" " * (70 * limits.MiB) + data[end:]
            zout.writestr(info.filename, data)
    _lie_about_sizes(p, part, 4096)
    with pytest.raises(InputError) as exc:  # truncated at the declared size: the CRC check fails
        read_workbook(p)
    assert "liar.xlsx" in exc.value.message


def test_a_value_far_to_the_right_is_refused_with_its_cell(tmp_path):
    p = _rows_xml(tmp_path, b'<row r="60"><c r="XFD60"><v>1</v></c></row>')
    with pytest.raises(LimitExceeded) as exc:
        load(p)
    assert "工作表“部门项目”的 XFD60 单元格" in exc.value.message
    assert f"{limits.MAX_COLUMNS} 列" in exc.value.message


def test_a_value_far_below_is_refused_with_its_cell(tmp_path):
    p = _rows_xml(tmp_path, b'<row r="1048576"><c r="B1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    r = _check(p)
    assert r.exit_code == 3
    assert "部门项目”的 B1048576 单元格有内容，超出可读取的行数上限（200,000 行）" in r.stderr


def test_the_grid_limit_counts_rows_times_columns(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_GRID_CELLS", 100 * 30)
    p = _rows_xml(tmp_path, b'<row r="101"><c r="AD101"><v>1</v></c></row>')  # 101 rows × 30 columns
    with (
        zipfile.ZipFile(p) as z,
        pytest.raises(LimitExceeded, match=r"数据区域（A1:AD101）超过 3,000 个单元格"),
    ):
        limits.scan_sheet(z, H._sheet_part(z, H.SHEET), H.SHEET, p.name)


def test_the_cell_limit_counts_cells_over_all_sheets(tmp_path, monkeypatch):
    n = limits.check_xlsx(EXAMPLE)
    assert n > 500  # every cell holding a value of the example, all sheets
    monkeypatch.setattr(limits, "MAX_CELLS", n - 1)
    with pytest.raises(LimitExceeded, match="有内容的单元格超过"):
        limits.check_xlsx(EXAMPLE)


def test_empty_styled_cells_and_the_dimension_do_not_count(tmp_path):
    # Excel writes formatted empty cells and may claim a huge <dimension>: neither holds a value
    rows = b"".join(
        b'<row r="%d"><c r="XFD%d" s="1"/><c r="Z%d" s="1"></c></row>' % (r, r, r) for r in range(60, 70)
    )
    p = _rows_xml(tmp_path, rows)
    raw = read_workbook(p)
    assert max(len(r) for s in raw.sheets if s.title == H.SHEET for r in s.rows) < 30


def test_cells_without_row_references_are_still_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_COLUMNS", 20)
    cells = b"".join(b"<c><v>1</v></c>" for _ in range(21))
    p = _rows_xml(tmp_path, b'<row r="60">' + cells + b"</row>")
    with pytest.raises(LimitExceeded, match="U60 单元格有内容，超出可读取的列数上限"):
        read_workbook(p)


def test_formulas_and_errors_are_still_found_while_streaming(tmp_path):
    rows = (
        b'<row r="60"><c r="A60" t="inlineStr"><is><t>p</t></is></c><c r="B60"><f>1+1</f></c>'
        b'<c r="D60" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'
    )
    raw = read_workbook(_rows_xml(tmp_path, rows))
    sheet = next(s for s in raw.sheets if s.title == H.SHEET)
    assert (60, 2) in sheet.formulas_without_value
    assert sheet.errors[(60, 4)] == "#DIV/0!"


def test_an_issue_flood_is_capped_per_code_with_a_located_summary(tmp_path):
    # 14.1 second case, smaller: 10,000 rows × 3 text amounts = 30,000 E-CELL-NOT-NUMBER issues
    p = H.issue_flood(tmp_path / "flood.xlsx", rows=10_000)
    res = load(p)
    bad = [i for i in res.issues if i.code == "E-CELL-NOT-NUMBER"]
    assert len(bad) == limits.MAX_ISSUES_PER_CODE + 1
    summary = [i for i in bad if "同类问题共" in i.message]
    assert len(summary) == 1
    assert "同类问题共 30,000 个，只列出前 200 个；另有 29,800 个未逐一列出" in summary[0].message
    assert "部门项目!B52（项目52）" in summary[0].message  # the first locations are named
    assert summary[0].location.sheet == "部门项目"
    r = _check(p)
    assert r.exit_code == 1 and "Traceback" not in r.output


def _issue(code: str, row: int) -> Issue:
    return Issue(code, "error", "m", Location(file="f", sheet="表", cell=f"A{row}", row=row))


def test_issue_collector_keeps_the_first_of_each_code():
    c = IssueCollector(cap=3)
    for r in range(10):
        c.append(_issue("E-A", r + 1))
    c.extend([_issue("E-B", 1)])
    out = c.finish()
    assert [(i.code, i.location.cell) for i in out[:4]] == [
        ("E-A", "A1"),
        ("E-A", "A2"),
        ("E-A", "A3"),
        ("E-B", "A1"),
    ]
    assert len(out) == 5
    assert out[4].message.startswith(
        "同类问题共 10 个，只列出前 3 个；另有 7 个未逐一列出（首先出现在：表!A1、表!A2、表!A3）"
    )
    assert limits.cap_issues([_issue("E-B", 1)]) == [_issue("E-B", 1)]


def test_every_limit_is_documented_with_its_value():
    doc = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    for name, value in limits.ALL.items():
        assert f"`{name}`" in doc, name
        shown = (
            f"{value // limits.MiB} MB" if value >= limits.MiB and value % limits.MiB == 0 else f"{value:,}"
        )
        assert shown in doc, (name, shown)


@pytest.mark.parametrize("how", ["missing", "merged"])
@pytest.mark.parametrize("sheet", ["部门项目", "支出总表"])
def test_a_missing_or_merged_adjustment_header_is_one_column_error(tmp_path, how, sheet):
    """14.6: not an E-BUDGET-ROW on every adjusted row, but one missing-column error on the header."""
    from openpyxl import load_workbook

    wb = load_workbook(EXAMPLE)
    ws = wb[sheet]
    assert ws["C1"].value == "预算调整（万元）"
    if how == "missing":
        ws["C1"] = None
    else:
        ws.merge_cells("B1:C1")  # the header of 年初预算 spans both columns (C1's text is lost)
    p = tmp_path / "wb.xlsx"
    wb.save(p)
    res = load(p)
    missing = [i for i in res.issues if i.code == "E-COLUMN-MISSING"]
    assert [i.location.sheet for i in missing] == [sheet]
    assert "缺少“预算调整”列" in missing[0].message and "行的全年预算不等于年初预算" in missing[0].message
    assert not [i for i in res.issues if i.code == "E-BUDGET-ROW" and i.location.sheet == sheet]
    r = runner.invoke(app, ["check", str(p)])
    assert r.exit_code == 1 and "缺少“预算调整" in r.output


def test_a_docx_with_a_huge_document_xml_is_refused_before_parsing(tmp_path):
    # 14.6: a .docx whose document.xml is whitespace far beyond the limit (the issue's is 1.2 GB)
    p = H.docx_whitespace_bomb(tmp_path / "报告.docx", xml_mb=96)
    assert p.stat().st_size < 1 * limits.MiB
    r = runner.invoke(app, ["audit", str(p)])
    assert r.exit_code == 3, r.output
    assert "word/document.xml" in r.stderr and "超过上限 64 MB" in r.stderr and "XML 已损坏" not in r.output


def test_one_long_shared_string_shown_in_many_cells_is_refused(tmp_path):
    """A reader copies a shared string into every cell that shows it: a 300 KB string in 1,000
    cells would be 300 MB — refused from the counts, before anything is copied."""
    sst = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main" count="1" uniqueCount="1"><si><t>{"长" * 100_000}</t></si></sst>'
    ).encode()
    src = tmp_path / "src.xlsx"
    with zipfile.ZipFile(EXAMPLE) as zin, zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Type="http://schemas.'
                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml"/></Relationships>',
                )
            elif info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
                    b'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"'
                    b"/></Types>",
                )
            zout.writestr(info.filename, data)
        zout.writestr("xl/sharedStrings.xml", sst)
    rows = b"".join(b'<row r="%d"><c r="H%d" t="s"><v>0</v></c></row>' % (r, r) for r in range(60, 1060))
    p = H.replace_sheet(
        src,
        tmp_path / "wb.xlsx",
        H.SHEET,
        lambda xml: [xml[: xml.index(b"</sheetData>")], rows, xml[xml.index(b"</sheetData>") :]],
    )
    assert limits.shared_string_sizes(zipfile.ZipFile(p), "wb")[0] > 300_000
    with pytest.raises(LimitExceeded, match="共显示超过 256 MB 的文字"):
        read_workbook(p)
    few = H.replace_sheet(
        src,
        tmp_path / "few.xlsx",
        H.SHEET,
        lambda xml: [
            xml[: xml.index(b"</sheetData>")],
            rows[: rows.index(b'<row r="70">')],
            xml[xml.index(b"</sheetData>") :],
        ],
    )
    sheet = next(s for s in read_workbook(few).sheets if s.title == H.SHEET)  # ten cells showing it: fine
    assert sheet.value(69, 8) == "长" * 100_000


def test_the_grid_limit_adds_up_over_the_sheets_read(tmp_path, monkeypatch):
    n = limits.check_xlsx(EXAMPLE)
    assert n
    with zipfile.ZipFile(EXAMPLE) as z:
        from jixiao.workbook.read import _sheet_parts

        parts = list(_sheet_parts(z).items())
        grids = [
            limits.scan_sheet(z, part, t, "x").max_row * limits.scan_sheet(z, part, t, "x").max_col
            for t, part in parts
        ]
    monkeypatch.setattr(limits, "MAX_GRID_CELLS", sum(grids) - 1)  # each sheet alone is far below
    assert max(grids) < sum(grids) - 1
    with pytest.raises(LimitExceeded, match="连同前面各表的数据区域"):
        limits.check_xlsx(EXAMPLE, parts)


def test_a_zip_with_too_many_entries_is_refused_before_its_directory_is_read(tmp_path):
    p = tmp_path / "many.xlsx"
    with zipfile.ZipFile(EXAMPLE) as zin, zipfile.ZipFile(p, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        for i in range(limits.MAX_ZIP_ENTRIES):
            zout.writestr(f"x/{i}", b"")
    assert limits.zip_entries(p) == limits.MAX_ZIP_ENTRIES + 23 == limits.zip_entries(p.read_bytes())
    r = _check(p)
    assert r.exit_code == 3 and "超过上限 10,000 个" in r.stderr
    assert limits.zip_entries(EXAMPLE) == 23 and limits.zip_entries(b"not a zip") is None


def test_rows_add_up_over_the_sheets_read(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TOTAL_ROWS", 150)
    p = _rows_xml(tmp_path, b'<row r="140"><c r="A140" t="inlineStr"><is><t>x</t></is></c></row>')
    with pytest.raises(LimitExceeded, match="A140 单元格有内容：各工作表的行数合计超过上限（150 行）"):
        load(p)
