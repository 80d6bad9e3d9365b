"""The ranking as a workbook: one sheet per year, scores as numbers, text never a formula."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .pages import RankingPage
from .safe_xlsx import neutralise_formulas


def ranking_xlsx(page: RankingPage) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    head = [
        "排名",
        "单位名称",
        "年度",
        "总分",
        "满分",
        "等级",
        "待评项",
        *page.indicator_names,
        "问题数",
        "文件",
    ]
    for yr in page.years or ():
        ws = wb.create_sheet(f"{yr.year}年排名" if yr.year else "未填年度")
        ws.append(head)
        for r in yr.rows:
            ws.append(
                [
                    r.rank,
                    r.unit,
                    r.year,
                    r.total,
                    r.max_total,
                    r.grade,
                    r.pending,
                    *r.indicators,
                    r.findings,
                    r.file,
                ]
            )
        for col in (4, 5):
            for row in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                row[0].number_format = "0.00"
        _widths(ws, head)
    if page.failed:
        ws = wb.create_sheet("未能评价")
        ws.append(["文件", "单位名称", "原因"])
        for f in page.failed:
            ws.append([f.file, f.unit, f.reason])
        _widths(ws, ["文件", "单位名称", "原因"])
    if not wb.sheetnames:
        wb.create_sheet("排名").append(head)
    buf = io.BytesIO()
    wb.save(buf)
    return neutralise_formulas(buf.getvalue())


def _widths(ws, head: list[str]) -> None:
    ws.freeze_panes = "A2"
    for i, h in enumerate(head, 1):
        ws.column_dimensions[get_column_letter(i)].width = max(8, min(40, len(h) * 2 + 2))
