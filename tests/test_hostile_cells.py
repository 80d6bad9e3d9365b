"""No cell value makes jixiao fail (issue 14.2): arbitrary numbers, texts and special values written
into any cell of the example — through openpyxl and as raw sheet XML — give exit 0, 1 or 3 with a
message, never 4 (internal error) and never a traceback, for check, evaluate and report.

Hypothesis is derandomized (the same examples every run) and kept small; each example runs the
real CLI in-process on a real .xlsx.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.workbook.read import _sheet_parts

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "changsha-kjj-2023.xlsx"
runner = CliRunner()
SETTINGS = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@cache
def _cells() -> tuple[tuple[str, str], ...]:
    """Every cell of the example's data sheets that holds something, and the first empty row's cells."""
    wb = load_workbook(EXAMPLE)
    out = []
    for ws in wb.worksheets[1:]:
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row + 1, max_col=ws.max_column):
            out.extend(
                (ws.title, c.coordinate) for c in row if c.value is not None or c.row == ws.max_row + 1
            )
    return tuple(out)


SPECIAL_NUMBERS = st.sampled_from(
    [
        1e26,
        -1e26,
        1e308,
        -1e308,
        5e-324,
        1e-12,
        float("inf"),
        float("-inf"),
        float("nan"),
        0.0,
        -0.0,
        2**63,
        -(2**63),
        10**30,
        1e15 + 0.3,
    ]
)
TEXTS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "=1+1",
            "+SUM(A1)",
            "-",
            "@x",
            "1E+26",
            "1e400",
            "nan",
            "inf",
            "-inf",
            "#DIV/0!",
            "#N/A",
            "１２３",
            "(1,620.00)",
            "12.5%",
            "_x000B_名称_x001B_[31m",
            "\u202e名称",
            "\x1b[2J",
            "9" * 60,
            "2023年",
            "2023-02-30",
            "≥",
            "万元",
            "元",
            " ",
            "",
        ]
    ),
)
VALUES = st.one_of(
    SPECIAL_NUMBERS,
    st.floats(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.decimals(allow_nan=False, places=4, min_value=-(10**20), max_value=10**20),
    TEXTS,
    st.booleans(),
    st.datetimes(),
    st.dates(),
)

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _openpyxl_safe(v):
    """openpyxl refuses control characters in text; Excel stores them as _xHHHH_ (as here)."""
    if isinstance(v, str):
        return _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", v)
    if isinstance(v, Decimal):
        return float(v) if v.is_finite() else str(v)  # float-ok: what a spreadsheet stores
    return v


def _run_all(path: Path, out: Path) -> None:
    for args in (
        ["check", str(path)],
        ["evaluate", str(path)],
        ["evaluate", str(path), "--format", "json"],
        ["report", str(path), "-o", str(out), "--format", "html,xlsx,json"],
    ):
        r = runner.invoke(app, args)
        text = r.output
        assert r.exit_code in (0, 1, 3), (args, r.exit_code, text[-2000:], repr(r.exception))
        assert "Traceback" not in text and "内部错误" not in text, text[-2000:]
        if r.exit_code == 3:
            assert "错误：" in r.stderr
        if r.exit_code == 1 and args[0] != "evaluate":
            assert r.stdout or r.stderr


@SETTINGS
@given(edits=st.lists(st.tuples(st.sampled_from(range(4000)), VALUES), min_size=1, max_size=4))
def test_any_value_in_any_cell_through_openpyxl(tmp_path_factory, edits):
    cells = _cells()
    wb = load_workbook(EXAMPLE)
    for i, v in edits:
        sheet, coord = cells[i % len(cells)]
        wb[sheet][coord].value = _openpyxl_safe(v)
    d = tmp_path_factory.mktemp("wb")
    p = d / "基础数据表.xlsx"
    buf = io.BytesIO()
    wb.save(buf)
    p.write_bytes(buf.getvalue())
    _run_all(p, d / "out")


RAW = st.one_of(
    st.sampled_from(
        [
            b"<v>1E+400</v>",
            b"<v>-1E+400</v>",
            b"<v>NaN</v>",
            b"<v>INF</v>",
            b"<v>-inf</v>",
            b"<v>1E+26</v>",
            b"<v>1e-400</v>",
            b"<v></v>",
            b"<v>abc</v>",
            b"<v>0x10</v>",
            b"<v>99999999999999999999999999999999999999</v>",
        ]
    ),
    st.floats().map(lambda f: b"<v>" + repr(f).encode() + b"</v>"),
)
RAW_TYPED = st.sampled_from(
    [
        b' t="b"><v>2</v>',
        b' t="e"><v>#WHAT?</v>',
        b' t="str"><v>&#27;[31m</v>',
        b' t="inlineStr"><is><t>_x0000_&#8238;</t></is>',
        b' t="s"><v>999999</v>',
        b' t="d"><v>9999-99-99</v>',
        b' t="n"><v>1E+26</v>',
    ]
)


@SETTINGS
@given(
    edits=st.lists(st.tuples(st.sampled_from(range(4000)), st.one_of(RAW, RAW_TYPED)), min_size=1, max_size=3)
)
def test_any_value_in_any_cell_as_raw_xml(tmp_path_factory, edits):
    cells = _cells()
    with zipfile.ZipFile(EXAMPLE) as z:
        parts = {n: z.read(n) for n in z.namelist()}
        where = _sheet_parts(z)
    for i, raw in edits:
        sheet, coord = cells[i % len(cells)]
        part = where[sheet]
        xml = parts[part].decode("utf-8")
        cell = re.compile(rf'<c r="{coord}"([^>]*?)(?:/>|>.*?</c>)', re.S)
        attrs = re.sub(r'\s*t="[^"]*"', "", cell.search(xml).group(1)) if cell.search(xml) else ""
        body = raw.decode("utf-8")
        new = (
            f'<c r="{coord}"{attrs}{body}</c>'
            if body.startswith(" t=")
            else f'<c r="{coord}"{attrs}>{body}</c>'
        )
        if cell.search(xml):
            xml = cell.sub(lambda _m, new=new: new, xml, count=1)
        else:
            continue  # a cell the XML does not hold (the empty row): only openpyxl edits reach it
        parts[part] = xml.encode("utf-8")
    d = tmp_path_factory.mktemp("raw")
    p = d / "基础数据表.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    _run_all(p, d / "out")


@pytest.mark.parametrize(
    "value",
    [1e26, 1e308, -1e308, float("inf"), float("nan"), 10**30],
    ids=["1e26", "1e308", "-1e308", "inf", "nan", "10^30"],
)
def test_special_numbers_in_every_amount_column_of_a_project(tmp_path, value):
    """The issue's cases, in every numeric cell of a row of the project, indicator and KPI sheets
    at once (an infinite 年度指标值 once gave exit 4: found by the raw-XML test with more examples)."""
    wb = load_workbook(EXAMPLE)
    for sheet in ("公共项目", "项目绩效指标", "履职目标"):
        for c in wb[sheet][3]:
            if isinstance(c.value, (int, float)):
                c.value = value
    p = tmp_path / "wb.xlsx"
    wb.save(p)
    _run_all(p, tmp_path / "out")


@pytest.mark.parametrize(
    "value, fmt",
    [(-1e15, "yyyy-mm-dd hh:mm"), (1e308, "[h]:mm:ss"), (3e6, "yyyy-mm-dd")],
    ids=["negative-datetime", "huge-duration", "after-9999"],
)
def test_a_number_beyond_the_dates_in_a_date_cell_is_a_located_refusal(tmp_path, value, fmt):
    """Found by the hypothesis test above: calamine panics (or overflows) on such a cell."""
    wb = load_workbook(EXAMPLE)
    ws = wb["部门项目"]
    ws["H3"] = value
    ws["H3"].number_format = fmt
    p = tmp_path / "wb.xlsx"
    wb.save(p)
    r = runner.invoke(app, ["check", str(p)])
    assert r.exit_code == 3, r.output
    assert "工作表“部门项目”的 H3 单元格设置为日期/时间格式" in r.stderr and "panicked" not in r.output


@pytest.mark.parametrize("raw", [b"1E+400", b"-1E+400", b"NaN"])
def test_raw_infinite_numbers_in_indicator_and_kpi_rows(tmp_path, raw):
    """A cell whose XML says 1E+400 reads as infinity (openpyxl cannot write one): every numeric
    cell of the third row of the indicator and KPI sheets."""
    with zipfile.ZipFile(EXAMPLE) as z:
        parts = {n: z.read(n) for n in z.namelist()}
        where = _sheet_parts(z)
    for sheet in ("项目绩效指标", "履职目标", "公共项目"):
        part = where[sheet]
        parts[part] = re.sub(
            rb'(<c r="[A-Z]+3"(?: s="\d+")?(?: t="n")?>)<v>[^<]*</v>', rb"\1<v>" + raw + rb"</v>", parts[part]
        )
    p = tmp_path / "wb.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    _run_all(p, tmp_path / "out")
