"""Bad input never crashes and never loses data: unreadable files exit 3 with a Chinese message,
odd-but-readable files give located issues, inputs are never modified."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import zipfile

import pytest
from builders import make_workbook
from conftest import need
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.errors import InputError
from jixiao.issues import flatten
from jixiao.workbook import load

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def sha(p) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _ole(extra: bytes = b"", *, far: bool = False) -> bytes:
    """A compound-file header (512-byte sectors) whose directory sector holds ``extra`` (a
    stream name in UTF-16); with ``far`` the directory lies after 3 MB of other sectors, as in
    a large encrypted workbook."""
    first_dir = 3 * 2048 if far else 0
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x1E:0x20] = (9).to_bytes(2, "little")  # sector size 2^9
    header[0x30:0x34] = first_dir.to_bytes(4, "little")  # first directory sector
    body = bytearray(512 * first_dir)
    return bytes(header) + bytes(body) + extra.ljust(512, b"\x00") + b"\x00" * 1024


def _zip(members: dict) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for k, v in members.items():
            zf.writestr(k, v)
    return buf.getvalue()


@pytest.mark.parametrize(
    "name,make,needle",
    [
        ("garbage.xlsx", lambda ex: os.urandom(5000), "不是 .xlsx"),
        ("empty.xlsx", lambda ex: b"", "空文件"),
        ("truncated.xlsx", lambda ex: ex.read_bytes()[:3000], "损坏"),
        ("encrypted.xlsx", lambda ex: _ole("EncryptionInfo".encode("utf-16-le")), "密码"),
        ("big-encrypted.xlsx", lambda ex: _ole("EncryptedPackage".encode("utf-16-le"), far=True), "密码"),
        ("old.xls", lambda ex: _ole("Workbook".encode("utf-16-le")), ".xls"),
        ("text.xlsx", lambda ex: "单位名称,年度\n长沙,2023\n".encode(), "不是 .xlsx"),
        ("zip.xlsx", lambda ex: _zip({"a.txt": "hello"}), "不是 Excel 工作簿"),
        (
            "word.xlsx",
            lambda ex: _zip({"word/document.xml": "<w/>", "[Content_Types].xml": "<x/>"}),
            "Word 文档",
        ),
        (
            "calc.xlsx",
            lambda ex: _zip(
                {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}
            ),
            ".ods",
        ),
    ],
)
def test_unreadable_inputs_exit_3_with_chinese_message(tmp_path, example_path, name, make, needle):
    p = tmp_path / name
    p.write_bytes(make(example_path))
    res = run("check", str(p))
    assert res.exit_code == 3, res.output
    assert needle in res.output
    assert "Traceback" not in res.output
    with pytest.raises(InputError):
        load(p)


def test_missing_file_and_directory_exit_3(tmp_path):
    res = run("check", str(tmp_path / "没有 这个.xlsx"))
    assert res.exit_code == 3 and "找不到文件" in res.output
    res = run("check", str(tmp_path))
    assert res.exit_code == 3 and "文件夹" in res.output


def test_real_xls_from_libreoffice_is_refused(tmp_path, example_path):
    soffice = shutil.which("soffice")
    need(soffice is not None, "LibreOffice Calc is needed to write a real .xls (.ci/run installs it)")
    src = tmp_path / "ex.xlsx"
    shutil.copy(example_path, src)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "xls",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        capture_output=True,
        timeout=120,
    )
    xls = tmp_path / "ex.xls"
    assert xls.exists(), "LibreOffice could not convert the example to .xls"
    res = run("check", str(xls))
    assert res.exit_code == 3 and "97-2003" in res.output


def test_formula_without_cached_value_is_located(tmp_path):
    p = make_workbook(tmp_path, base="example", cells={("支出总表", "E2"): "=1000+547.34"})
    r = load(p)
    assert ("E-CELL-FORMULA-NO-VALUE", "支出总表", "E2") in flatten(r.issues)
    # the missing value is not echoed as a second, misleading sum error in that column
    assert not [i for i in r.issues if i.code == "E-BASIC-PARTS"]


def test_hidden_sheet_is_read_and_noted(tmp_path):
    def hide(wb):
        wb["资产"].sheet_state = "hidden"

    r = load(make_workbook(tmp_path, base="example", edit=hide))
    assert ("I-SHEET-HIDDEN", "资产", None) in flatten(r.issues)
    assert str(r.department.assets.get("资产总额").end) == "998.12"


def test_merged_cells_fill_text_and_are_noted(tmp_path):
    rows = [
        {
            "项目名称": "科技重大专项",
            "一级指标": "产出指标",
            "二级指标": "数量指标",
            "三级指标": "立项数",
            "指标性质": "≥",
            "年度指标值": 30,
            "实际完成值": 32,
        },
        {"三级指标": "验收数", "指标性质": "≥", "年度指标值": 10, "实际完成值": 9},
    ]

    def merge(wb):
        wb["项目绩效指标"].merge_cells("A2:A3")

    r = load(make_workbook(tmp_path, {"项目绩效指标": rows}, base="example", edit=merge))
    assert ("I-MERGED-CELLS", "项目绩效指标", None) in flatten(r.issues)
    assert [pi.project for pi in r.department.perf_indicators] == ["科技重大专项", "科技重大专项"]


def _inject_blank_rows(path, sheet_part: str, start: int, count: int) -> None:
    """Append ``count`` formatted-but-empty rows to a sheet (as Excel writes them after a user
    formats whole columns), editing the XML directly: fast, and exactly what a reader meets."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == sheet_part:
                rows = "".join(
                    f'<row r="{r}" s="1" customFormat="1"><c r="A{r}" s="1"/><c r="B{r}" s="1"/></row>'
                    for r in range(start, start + count)
                )
                data = data.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
                data = data.replace(
                    b'<dimension ref="A1:K51"/>', f'<dimension ref="A1:K{start + count}"/>'.encode()
                )
            zout.writestr(item, data)
    tmp.replace(path)


def _sheet_part(path, title: str) -> str:
    from jixiao.workbook.read import _sheet_parts

    with zipfile.ZipFile(path) as zf:
        return _sheet_parts(zf)[title]


def test_100k_blank_formatted_rows_are_ignored(tmp_path):
    p = make_workbook(tmp_path, base="example")
    _inject_blank_rows(p, _sheet_part(p, "公共项目"), 60, 100_000)
    r = load(p)
    assert len(r.department.public_projects) == 20
    assert not [i for i in r.issues if i.severity == "error"]


def test_50mb_file_is_read(tmp_path, example_path):
    p = tmp_path / "大文件 50MB.xlsx"
    shutil.copy(example_path, p)
    with zipfile.ZipFile(p, "a", zipfile.ZIP_STORED) as zf:  # e.g. a large embedded picture
        zf.writestr("xl/media/image1.bin", os.urandom(50 * 1024 * 1024))
    assert p.stat().st_size > 50 * 1024 * 1024
    res = run("check", str(p), "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["valid"] is True


def test_large_unrelated_sheet_is_not_loaded(tmp_path):
    def big(wb):
        ws = wb.create_sheet("草稿")
        for r in range(1, 3001):
            ws.cell(row=r, column=1, value=f"备注{r}")

    r = load(make_workbook(tmp_path, base="example", edit=big))
    assert ("I-SHEET-UNKNOWN", "草稿", None) in flatten(r.issues)


def test_check_never_modifies_input(tmp_path, example_path):
    p = make_workbook(tmp_path, base="example", cells={("公共项目", "D3"): 6800})
    before_ex, before = sha(example_path), sha(p)
    mtime = p.stat().st_mtime_ns
    assert run("check", str(p)).exit_code == 1
    assert run("check", str(example_path), "--format", "json").exit_code == 0
    assert sha(p) == before and sha(example_path) == before_ex and p.stat().st_mtime_ns == mtime


def test_debug_shows_traceback_only_on_request(tmp_path):
    from jixiao.cli.common import state

    p = tmp_path / "x.xlsx"
    p.write_bytes(b"")
    assert "Traceback" not in run("check", str(p)).output
    try:
        res = run("--debug", "check", str(p))
        assert res.exit_code == 3 and "Traceback" in res.output and "空文件" in res.output
    finally:
        state["debug"] = False  # the flag is process-wide; other in-process tests expect it off


def test_formula_with_cached_value_and_cached_error(tmp_path):
    """A formula Excel has calculated is read by its value; an error result is located."""
    p = make_workbook(tmp_path, base="example")
    part = _sheet_part(p, "支出总表")
    tmp = p.with_suffix(".tmp")
    with zipfile.ZipFile(p) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                import re

                # E2 (工资福利支出 决算) becomes =1000+547.34 with its cached value; E3 a cached #DIV/0!
                data = re.sub(
                    rb'<c r="E2"([^>]*)><v>[^<]*</v></c>',
                    rb'<c r="E2"\1><f>1000+547.34</f><v>1547.34</v></c>',
                    data,
                )
                data = re.sub(
                    rb'<c r="E3"([^>]*?)( t="n")?><v>[^<]*</v></c>',
                    rb'<c r="E3"\1 t="e"><f>1/0</f><v>#DIV/0!</v></c>',
                    data,
                )
            zout.writestr(item, data)
    tmp.replace(p)
    with zipfile.ZipFile(p) as zf:
        xml = zf.read(part)
    assert b"<f>1000+547.34</f><v>1547.34</v>" in xml and b"<v>#DIV/0!</v>" in xml
    r = load(p)
    assert str(r.department.spending.basic_parts[0].actual) == "1547.34"
    f = flatten(r.issues)
    assert ("E-CELL-EXCEL-ERROR", "支出总表", "E3") in f
    assert not [x for x in f if x[0] == "E-CELL-FORMULA-NO-VALUE"]


def test_example_is_reproducible_from_its_script(tmp_path, example_path):
    """The committed example is exactly what examples/build_changsha_kjj_2023.py writes."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_ex", example_path.parent / "build_changsha_kjj_2023.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = mod.build(tmp_path / "rebuilt.xlsx")
    # same cells (bytes may differ with another openpyxl version, so values are compared)
    from openpyxl import load_workbook

    a, b = load_workbook(example_path), load_workbook(out)
    assert a.sheetnames == b.sheetnames
    for name in a.sheetnames:
        assert [[c.value for c in r] for r in a[name].iter_rows()] == [
            [c.value for c in r] for r in b[name].iter_rows()
        ], f"{name}: run python examples/build_changsha_kjj_2023.py"
    assert sha(mod.build(tmp_path / "again.xlsx")) == sha(out)  # and the build is reproducible
