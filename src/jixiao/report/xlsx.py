"""The attachments as a workbook (openpyxl): one sheet per attachment, tables stacked with
their captions, merged cells kept, numbers as numbers. A text cell never starts a formula."""

from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal

from .context import Cell, ReportContext, Table
from .docx import normalize_zip

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """Text that a spreadsheet will never evaluate: a leading = + - @ gets a ' in front."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _sheet_title(title: str, used: set[str]) -> str:
    t = "".join(ch for ch in title if ch not in '[]:*?/\\').strip("'") or "表"
    t = t[:31]
    base, n = t, 2
    while t in used:
        suffix = f"({n})"
        t = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(t)
    return t


def _write_table(ws, t: Table, row0: int, styles) -> int:
    from openpyxl.utils import get_column_letter

    bold, center, left, right, border, cap_font = styles
    r = row0
    if t.caption:
        c = ws.cell(row=r, column=1, value=safe_text(t.caption))
        c.font = cap_font
        r += 1
    if t.unit:
        ws.cell(row=r, column=t.ncols, value=safe_text(t.unit)).alignment = right
        r += 1
    grid = t.grid()
    for gr, grow in enumerate(grid):
        for gc, slot in enumerate(grow):
            cell = ws.cell(row=r + gr, column=gc + 1)
            cell.border = border
            if slot is None or slot[1] != "origin":
                continue
            src: Cell = slot[0]
            if src.value is not None and src.text != "" and isinstance(src.value, (Decimal, int)):
                cell.value = src.value
                if src.number_format:
                    cell.number_format = src.number_format
            else:
                cell.value = safe_text(src.text) if src.text else None
            cell.alignment = {"left": left, "right": right}.get(src.align, center)
            if src.bold:
                cell.font = bold
            if src.colspan > 1 or src.rowspan > 1:
                ws.merge_cells(start_row=r + gr, start_column=gc + 1,
                               end_row=r + gr + src.rowspan - 1, end_column=gc + src.colspan)
    for i, w in enumerate(t.widths, 1):
        letter = get_column_letter(i)
        width = max(ws.column_dimensions[letter].width or 0, min(60, w * 0.9 + 4))
        ws.column_dimensions[letter].width = width
    return r + len(grid) + 1


def render_xlsx_bytes(ctx: ReportContext) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    side = Side(style="thin", color="000000")
    styles = (Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True),
              Alignment(horizontal="left", vertical="center", wrap_text=True),
              Alignment(horizontal="right", vertical="center", wrap_text=True),
              Border(left=side, right=side, top=side, bottom=side), Font(bold=True, size=12))
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    body_tables = [b for b in ctx.blocks if isinstance(b, Table)]
    groups = [("报告表格", body_tables)] + [(a.title.replace(" ", ""), [b for b in a.blocks if isinstance(b, Table)])
                                           for a in ctx.attachments]
    for title, tables in groups:
        ws = wb.create_sheet(_sheet_title(title, used))
        ws.cell(row=1, column=1, value=safe_text(title)).font = Font(bold=True, size=14)
        r = 3
        for t in tables:
            r = _write_table(ws, t, r, styles)
    fixed = datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "jixiao"
    wb.properties.lastModifiedBy = "jixiao"
    wb.properties.title = ctx.title
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_zip(buf.getvalue(), fix=_fix_core)


_W3CDTF = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)")


def _fix_core(name: str, data: bytes) -> bytes:
    """openpyxl stamps the save time into docProps/core.xml: pin it so bytes are stable."""
    if name == "docProps/core.xml":
        return _W3CDTF.sub(rb"\g<1>2000-01-01T00:00:00Z\g<3>", data)
    return data
