"""The report on the bundled example workbook, end to end: goldens, CLI, LibreOffice rendering."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile

import pytest
from conftest import need
from test_report import REFERENCE_FIGURES, check_golden, dump_docx, dump_html
from typer.testing import CliRunner

from jixiao.report import build_context, render_docx_bytes, render_html


@pytest.fixture(scope="module")
def example_eval():
    from conftest import EXAMPLE

    from jixiao.evaluate import evaluate
    from jixiao.workbook import load

    res = load(EXAMPLE)
    assert res.valid, [i.message for i in res.issues if i.severity == "error"]
    return evaluate(res.department)


@pytest.fixture(scope="module")
def example_docx(example_eval) -> bytes:
    return render_docx_bytes(build_context(example_eval))


def test_golden_example_docx_and_html(example_docx, example_eval, update_goldens):
    check_golden("report_example.docx.txt", dump_docx(example_docx), update_goldens)
    check_golden(
        "report_example.html.txt", dump_html(render_html(build_context(example_eval))), update_goldens
    )


def test_example_states_every_reference_figure(example_docx):
    import docx

    d = docx.Document(io.BytesIO(example_docx))
    text = "\n".join(p.text for p in d.paragraphs)
    cells = "\n".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    assert not [f for f in REFERENCE_FIGURES if f not in text and f not in cells]
    assert len([t for t in d.tables if t.rows[0].cells[0].text == "项目名称"]) == 30
    assert len(d.tables) >= 33


def test_cli_report_writes_all_formats(example_path, tmp_path):
    from jixiao.cli import app

    out = tmp_path / "输出 目录"
    r = CliRunner().invoke(app, ["report", str(example_path), "-o", str(out)])
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [
            "长沙市科学技术局2023年度部门整体支出绩效自评报告.docx",
            "长沙市科学技术局2023年度部门整体支出绩效自评报告.html",
            "长沙市科学技术局2023年度部门整体支出绩效自评报告附件.xlsx",
            "长沙市科学技术局2023年度部门整体支出绩效自评评价结果.json",
            "长沙市科学技术局2023年度部门整体支出绩效自评报告待办清单.md",
        ]
    )
    assert "已生成" in r.output and "待办清单" in r.output
    r2 = CliRunner().invoke(
        app, ["report", str(example_path), "-o", str(tmp_path / "b"), "--format", "html,json"]
    )
    assert r2.exit_code == 0 and len(list((tmp_path / "b").iterdir())) == 3


def test_cli_report_usage_and_input_errors(example_path, tmp_path):
    from jixiao.cli import app

    r = CliRunner().invoke(app, ["report", str(example_path), "-o", str(tmp_path), "--format", "pdf"])
    assert r.exit_code == 2 and "--format" in r.output
    r = CliRunner().invoke(app, ["report", str(tmp_path / "无此文件.xlsx"), "-o", str(tmp_path)])
    assert r.exit_code == 3 and "找不到" in r.output
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    r = CliRunner().invoke(app, ["report", str(bad), "-o", str(tmp_path / "o")])
    assert r.exit_code == 3 and "Traceback" not in r.output
    assert not (tmp_path / "o").exists()


def test_libreoffice_renders_the_docx(example_docx, tmp_path):
    """The .docx opens in LibreOffice: convert to PDF and read its text back (Chinese, not boxes)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    # .ci/run installs libreoffice-writer-nogui and poppler-utils: missing there is a failure
    need(
        soffice is not None and shutil.which("pdftotext") is not None,
        "LibreOffice (soffice) and poppler-utils (pdftotext) are needed to render the .docx",
    )
    src = tmp_path / "报告.docx"
    src.write_bytes(example_docx)
    env = dict(os.environ, HOME=str(tmp_path))  # a private LibreOffice profile: safe in parallel
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
        check=True,
        capture_output=True,
        timeout=180,
        env=env,
    )
    pdf = tmp_path / "报告.pdf"
    assert pdf.exists()
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")
    pages = text.count("\f")
    assert pages >= 31  # the body plus one page per project table
    for s in ("一、部门概况", "八、部门整体支出绩效情况", "52,878.93", "项目支出绩效自评表（30/30）"):
        assert s in text.replace(" ", ""), s
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, timeout=60).stdout.decode()
    assert "CJK" in fonts or "Song" in fonts or "Hei" in fonts or "Ming" in fonts or "Fang" in fonts
    # the printed draft passes our own audit too: the draft mark in the page header is drawn, so the
    # PDF's text has no running line cutting the tables that go on over a page break
    from jixiao.audit import audit_file

    claims = audit_file(pdf).to_dict()["claims"]
    assert len(claims) > 100 and not [c for c in claims if c["status"] == "mismatch"]


def test_own_audit_finds_no_mismatch(example_docx, tmp_path):
    try:
        from jixiao.audit import audit_file
    except ImportError:
        audit_file = None
    need(audit_file is not None, "jixiao.audit is not built yet")
    p = tmp_path / "r.docx"
    p.write_bytes(example_docx)
    res = audit_file(p)
    doc = res.to_dict() if hasattr(res, "to_dict") else res
    claims = doc["claims"]
    bad = [c for c in claims if c["status"] == "mismatch"]
    assert not bad, bad[:5]
    assert len(claims) >= 20


def test_docx_parts_are_well_formed(example_docx):
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(example_docx)) as z:
        for n in z.namelist():
            if n.endswith(".xml") or n.endswith(".rels"):
                etree.fromstring(z.read(n))  # raises on malformed XML


def test_xlsx_attachments_workbook(example_eval):
    import openpyxl

    from jixiao.report import render_xlsx_bytes

    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx_bytes(build_context(example_eval))))
    # one sheet per table; 附件3 one sheet per project, numbered
    project_sheets = [n for n in wb.sheetnames if n.startswith("附3-")]
    assert (
        len(project_sheets) == 30
        and project_sheets[0].startswith("附3-1")
        and project_sheets[-1].startswith("附3-30")
    )
    assert all(len(n) <= 31 for n in wb.sheetnames)
    ws = wb[project_sheets[0]]
    assert sum(1 for row in ws.iter_rows(values_only=True) if row[0] == "项目名称") == 1
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    tp = wb["三公经费"]
    assert tp.freeze_panes == "A4" and tp.print_title_rows == "$1:$3"
    assert tp.row_dimensions[3].height == 30  # the wrapped header row is tall enough for its 2 lines
    # 公务用车 31.99% is the fraction 0.3199 shown as 0.00%; amounts are numbers
    row = next(r for r in tp.iter_rows(min_row=4) if r[1].value == "公务用车购置及运行费")
    assert row[5].value == 0.3199 and row[5].number_format == "0.00%"
    assert row[4].value == 7.88 and row[4].number_format == "#,##0.00"
    kpi = wb["附1-9履职目标"]
    values = [r[2].value for r in kpi.iter_rows(min_row=3)]
    assert 408 in values and all(not isinstance(v, str) for v in values if v is not None)
    assert wb.properties.creator == "jixiao"


def test_cli_warns_and_skips_charts_without_a_cjk_font(example_path, tmp_path, monkeypatch):
    from jixiao.cli import app
    from jixiao.report import charts

    monkeypatch.setattr(charts, "find_cjk_font", lambda: None)
    charts._png_cached.cache_clear()
    r = CliRunner().invoke(app, ["report", str(example_path), "-o", str(tmp_path), "--format", "docx"])
    charts._png_cached.cache_clear()
    assert r.exit_code == 0, r.output
    assert "警告" in r.output and "字体" in r.output
    docx_path = next(tmp_path.glob("*.docx"))
    with zipfile.ZipFile(docx_path) as z:
        assert not [n for n in z.namelist() if n.startswith("word/media/")]


def test_never_writes_over_the_input(example_path, tmp_path):
    """A workbook that happens to carry an output's name is refused, not overwritten (exit 2)."""
    from jixiao.cli import app

    wb = tmp_path / "长沙市科学技术局2023年度部门整体支出绩效自评报告附件.xlsx"
    wb.write_bytes(example_path.read_bytes())
    before = wb.read_bytes()
    r = CliRunner().invoke(app, ["report", str(wb), "-o", str(tmp_path), "--format", "xlsx"])
    assert r.exit_code == 2 and "输入" in r.output
    assert wb.read_bytes() == before
