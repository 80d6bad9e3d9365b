"""The attachments as a workbook (openpyxl): one sheet per attachment, tables stacked with
their captions, merged cells kept, numbers as numbers. A text cell never starts a formula."""

from __future__ import annotations

import io
import re
from copy import copy
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


class _Styles:
    """Cell styles built once and copied by their style array: openpyxl's per-assignment style
    interning (and merge_cells' border formatting) would otherwise cost ~0.5 s for this workbook."""

    def __init__(self, ws):
        from openpyxl.styles import Alignment, Border, Font, Side

        side = Side(style="thin", color="000000")
        self.border = Border(left=side, right=side, top=side, bottom=side)
        self.align = {a: Alignment(horizontal=a, vertical="center", wrap_text=True) for a in ("left", "center", "right")}
        self.bold = Font(bold=True)
        self.caption = Font(bold=True, size=12)
        self._scratch = ws
        self._cache: dict = {}

    def array(self, align: str, bold: bool, number_format: str = ""):
        key = (align, bold, number_format)
        arr = self._cache.get(key)
        if arr is None:
            c = self._scratch.cell(row=1, column=200)
            c.border = self.border
            c.alignment = self.align.get(align, self.align["center"])
            if bold:
                c.font = self.bold
            if number_format:
                c.number_format = number_format
            arr = copy(c._style)
            self._cache[key] = arr
            del self._scratch._cells[(1, 200)]
        return arr


def _write_table(ws, t: Table, row0: int, st: _Styles) -> int:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    r = row0
    if t.caption:
        ws.cell(row=r, column=1, value=safe_text(t.caption)).font = st.caption
        r += 1
    if t.unit:
        ws.cell(row=r, column=t.ncols, value=safe_text(t.unit)).alignment = st.align["right"]
        r += 1
    grid = t.grid()
    plain = st.array("center", False)
    for gr, grow in enumerate(grid):
        for gc, slot in enumerate(grow):
            cell = ws.cell(row=r + gr, column=gc + 1)
            if slot is None or slot[1] != "origin":
                cell._style = copy(plain)
                continue
            src: Cell = slot[0]
            fmt = ""
            if src.value is not None and src.text != "" and isinstance(src.value, (Decimal, int)):
                cell.value = src.value
                fmt = src.number_format
            else:
                cell.value = safe_text(src.text) if src.text else None
            cell._style = copy(st.array(src.align, src.bold, fmt))
            if src.colspan > 1 or src.rowspan > 1:
                ws.merged_cells.add(CellRange(min_col=gc + 1, min_row=r + gr, max_col=gc + src.colspan,
                                              max_row=r + gr + src.rowspan - 1))
    for i, w in enumerate(t.widths, 1):
        letter = get_column_letter(i)
        width = max(ws.column_dimensions[letter].width or 0, min(60, w * 0.9 + 4))
        ws.column_dimensions[letter].width = width
    return r + len(grid) + 1


def render_xlsx_bytes(ctx: ReportContext) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    body_tables = [b for b in ctx.blocks if isinstance(b, Table)]
    groups = [("报告表格", body_tables)] + [(re.sub(r"\d{4}年度", "", a.title).replace(" ", ""), [b for b in a.blocks if isinstance(b, Table)])
                                           for a in ctx.attachments]
    for title, tables in groups:
        ws = wb.create_sheet(_sheet_title(title, used))
        styles = _Styles(ws)
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
