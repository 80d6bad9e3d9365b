"""Write the blank workbook (``jixiao template``) and fill workbooks from plain data.

``build_template()`` returns an openpyxl Workbook: 填表说明 first, every sheet of the schema with
Chinese headers (units in brackets), fixed row labels pre-filled, frozen header rows, widths that
show the headers, and data validation that blocks bad entries. ``fill_workbook(wb, data)``
writes values into it by sheet name / row label / column name — the example builder and the
tests' ``make_workbook`` use it, so they always match the template.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import UsageError
from ..fsutil import write_bytes_atomic
from . import schema

#: table sheets get validation and number formats down to this row
TABLE_ROWS = 1000
MAX_AMOUNT = 1_000_000_000_000  # validation bound, far above any budget

_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
_NA_FILL = PatternFill("solid", fgColor="D9D9D9")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_AMOUNT_FMT = "#,##0.00"


def _width(text: str, minimum: int) -> int:
    # CJK characters take two columns
    w = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) + 2
    return max(minimum, w)


def _validation(kind: str, sheet_title: str, header: str, note: str = "") -> DataValidation | None:
    err_title = "输入无效"
    if kind == schema.AMOUNT:
        dv = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2=str(MAX_AMOUNT),
            error=f"“{header}”只能填写不小于 0 的数字。",
            errorTitle=err_title,
        )
    elif kind == schema.SIGNED:
        dv = DataValidation(
            type="decimal",
            operator="between",
            formula1=str(-MAX_AMOUNT),
            formula2=str(MAX_AMOUNT),
            error=f"“{header}”只能填写数字（调减填负数）。",
            errorTitle=err_title,
        )
    elif kind == schema.COUNT:
        dv = DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2="10000000",
            error=f"“{header}”只能填写整数。",
            errorTitle=err_title,
        )
    elif kind == schema.SCORE:
        dv = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2="1000",
            error=f"“{header}”只能填写 0 以上的数字。",
            errorTitle=err_title,
        )
    elif kind == schema.NATURE:
        dv = DataValidation(
            type="list",
            formula1='"' + ",".join(schema.NATURES) + '"',
            error="请从下拉列表中选择 ≥、≤、= 或 定性。",
            errorTitle=err_title,
        )
    else:
        return None
    dv.showErrorMessage = True
    dv.errorStyle = "stop"
    if note:  # shown when the cell is selected
        dv.promptTitle = header[:32]
        dv.prompt = note[:255]
        dv.showInputMessage = True
    return dv


def _header_row(ws, spec: schema.Sheet) -> None:
    for ci, col in enumerate(spec.columns, start=1):
        c = ws.cell(row=1, column=ci, value=col.header)
        c.font = Font(bold=True)
        c.fill = _HEAD_FILL
        c.border = _BORDER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(ci)].width = _width(col.header, col.width)
    ws.freeze_panes = "B2" if spec.kind in (schema.LABELED, schema.KV) else "A2"
    ws.row_dimensions[1].height = 22


def _kv_sheet(ws, spec: schema.Sheet) -> None:
    for ri, row in enumerate(spec.rows, start=2):
        lab = ws.cell(row=ri, column=1, value=row.label)
        lab.fill = _LABEL_FILL
        lab.border = _BORDER
        v = ws.cell(row=ri, column=2)
        v.border = _BORDER
        v.alignment = Alignment(wrap_text=True, vertical="top")
        dv = None
        if row.kind == schema.UNIT:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(schema.MONEY_UNITS) + '"',
                error="金额单位只能选择“万元”或“元”。",
                errorTitle="输入无效",
            )
        elif row.kind == schema.YEAR:
            dv = DataValidation(
                type="whole",
                operator="between",
                formula1="1990",
                formula2="2100",
                error="年度请填写四位年份，如 2023。",
                errorTitle="输入无效",
            )
        elif row.kind == schema.DATE:
            dv = DataValidation(
                type="date",
                operator="between",
                formula1="32874",
                formula2="73051",
                error="请填写日期，如 2023-02-03。",
                errorTitle="输入无效",
            )
            v.number_format = "yyyy-mm-dd"
        if dv is not None:
            dv.showErrorMessage = True
            dv.errorStyle = "stop"
            ws.add_data_validation(dv)
            dv.add(v.coordinate)
        if row.kind == schema.UNIT:
            v.value = "万元"  # the default unit, as the headers say


def _labeled_sheet(ws, spec: schema.Sheet) -> None:
    last = len(spec.rows) + 1
    for ri, row in enumerate(spec.rows, start=2):
        lab = ws.cell(row=ri, column=1, value=row.label)
        lab.fill = _LABEL_FILL
        lab.border = _BORDER
        for ci, col in enumerate(spec.columns[1:], start=2):
            c = ws.cell(row=ri, column=ci)
            c.border = _BORDER
            if col.kind in schema.MONEY_KINDS:
                c.number_format = _AMOUNT_FMT
                if row.single and col.field != "actual":
                    c.fill = _NA_FILL
    for ci, col in enumerate(spec.columns[1:], start=2):
        dv = _validation(col.kind, ws.title, col.header, col.note)
        if dv is not None:
            ws.add_data_validation(dv)
            letter = get_column_letter(ci)
            dv.add(f"{letter}2:{letter}{last + 20}")  # room for rows a user inserts
    if spec.name == schema.THREE_PUBLIC.name:
        dv = DataValidation(
            type="list",
            formula1='"' + ",".join(r.label for r in spec.rows) + '"',
            error="请从下拉列表中选择“三公”经费项目。",
            errorTitle="输入无效",
        )
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        dv.add(f"A2:A{last}")


def _table_sheet(ws, spec: schema.Sheet) -> None:
    for ci, col in enumerate(spec.columns, start=1):
        letter = get_column_letter(ci)
        dv = _validation(col.kind, ws.title, col.header, col.note)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{TABLE_ROWS}")
        if col.kind in schema.MONEY_KINDS:
            for r in range(2, 52):  # a format on the first rows; more rows inherit when inserted
                ws.cell(row=r, column=ci).number_format = _AMOUNT_FMT


def _instructions(ws) -> None:
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 100
    lines: list[tuple[str, str]] = [
        ("部门整体支出绩效评价基础数据表", ""),
        ("", ""),
        (
            "总体要求",
            "按工作表逐项填写；工作表名称、列标题和第一列的预置项目名称不要改动"
            "（可以调整列的顺序、增加说明列，或在表头上方加标题行）。",
        ),
        (
            "金额",
            "金额单位见“基本信息”中的“金额单位”（默认万元，保留两位小数）。只填数字，不要带单位或文字；"
            "“预算调整”追加为正、调减为负。",
        ),
        ("合计行", "合计行可以不填，由工具计算；填写了的合计会被校验是否等于各项之和。"),
        ("空白", "没有的数据请留空，不要填 0 或“无”；确实为零的才填 0。"),
        ("校验", "填好后运行：jixiao check 本文件.xlsx —— 会一次列出所有问题及所在单元格。"),
        ("", ""),
    ]
    for s in schema.SHEETS:
        cols = "、".join(c.header for c in s.columns)
        text = f"列：{cols}。"
        if s.rows and s.kind != schema.KV:
            text += "预置行：" + "、".join(r.label for r in s.rows) + "。"
        if s.note:
            text += s.note
        if not s.required:
            text += "（可选表：没有相关数据可留空。）"
        lines.append((s.name, text))
    for ri, (a, b) in enumerate(lines, start=1):
        ca = ws.cell(row=ri, column=1, value=a or None)
        cb = ws.cell(row=ri, column=2, value=b or None)
        ca.font = Font(bold=True, size=14 if ri == 1 else 11)
        ca.alignment = Alignment(vertical="top")
        cb.alignment = Alignment(wrap_text=True, vertical="top")


def build_template() -> Workbook:
    """The blank workbook (no figures), as an openpyxl Workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = schema.INSTRUCTIONS
    _instructions(ws)
    for spec in schema.SHEETS:
        ws = wb.create_sheet(spec.name)
        _header_row(ws, spec)
        if spec.kind == schema.KV:
            _kv_sheet(ws, spec)
        elif spec.kind == schema.LABELED:
            _labeled_sheet(ws, spec)
        else:
            _table_sheet(ws, spec)
    _fix_props(wb)
    return wb


def _fix_props(wb: Workbook) -> None:
    """Fixed document properties: the same input gives the same file."""
    from datetime import datetime

    fixed = datetime(2024, 1, 1)
    wb.properties.creator = "jixiao"
    wb.properties.created = fixed
    wb.properties.modified = fixed


def _cell_value(v):
    return v  # openpyxl writes Decimal as a number, digits as given


def _column_index(spec: schema.Sheet, name: str) -> int:
    key = schema.norm_header(name)
    for ci, c in enumerate(spec.columns, start=1):
        if key in {schema.norm_header(n) for n in c.names()} or name == c.field:
            return ci
    raise KeyError(f"{spec.name} has no column {name!r}")


def fill_workbook(wb: Workbook, data: Mapping[str, object]) -> None:
    """Write ``data`` into a workbook built by ``build_template()``.

    ``data`` maps a sheet name to: for 基本信息, ``{row label: value}``; for sheets with fixed
    rows, ``{row label: {column name: value}}`` (a label not in the template is appended as a new
    row); for record sheets, a list of ``{column name: value}`` rows. Column names are the
    headers without unit ('年初预算') or schema field names. Values are written as given
    (Decimal as a number).
    """
    for sheet_name, content in data.items():
        spec = schema.BY_NAME[sheet_name]
        ws = wb[sheet_name]
        if spec.kind == schema.KV:
            rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
            for label, v in content.items():
                r = rows.get(label)
                if r is None:
                    r = ws.max_row + 1
                    ws.cell(row=r, column=1, value=label)
                ws.cell(row=r, column=2, value=_cell_value(v))
        elif spec.kind == schema.LABELED:
            rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
            for label, vals in content.items():
                r = rows.get(label)
                if r is None:
                    r = ws.max_row + 1
                    ws.cell(row=r, column=1, value=label)
                    rows[label] = r
                for col, v in vals.items():
                    ci = _column_index(spec, col)
                    c = ws.cell(row=r, column=ci, value=_cell_value(v))
                    if (
                        isinstance(v, (Decimal, int, float))
                        and spec.columns[ci - 1].kind in schema.MONEY_KINDS
                    ):
                        c.number_format = _AMOUNT_FMT
        else:
            for i, rec in enumerate(content, start=2):
                for col, v in rec.items():
                    c = ws.cell(row=i, column=_column_index(spec, col), value=_cell_value(v))
                    if isinstance(v, date):
                        c.number_format = "yyyy-mm-dd"


_FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified\b[^>]*>)[^<]*(</dcterms:modified>)")


def workbook_bytes(wb: Workbook) -> bytes:
    """The .xlsx bytes, reproducible: fixed zip timestamps and document dates, so the same data
    always gives the same file (the committed example does not change when rebuilt)."""
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>2024-01-01T00:00:00Z\g<2>", data)
            info = zipfile.ZipInfo(item.filename, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            zout.writestr(info, data)
    return out.getvalue()


def write_template(path: str | Path, *, force: bool = False) -> Path:
    """Write the blank workbook to ``path`` (atomically). Refuses to overwrite unless ``force``."""
    p = Path(path)
    if p.suffix.lower() != ".xlsx":
        raise UsageError(f"模板文件名须以 .xlsx 结尾：{p}", "例如：jixiao template 基础数据表.xlsx")
    if p.exists() and not force:
        raise UsageError(f"文件已存在：{p}，未覆盖。", "如确需覆盖，请加 --force；或换一个文件名。")
    if p.exists() and p.is_dir():
        raise UsageError(f"{p} 是文件夹。")
    return write_bytes_atomic(p, workbook_bytes(build_template()))
