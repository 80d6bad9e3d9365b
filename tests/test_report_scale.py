"""Report at scale (issue 14.5): the Word body, the xlsx sheets, the page and the JSON are streamed
into their files. Here the streaming path is forced on the example (a small threshold) and its
files must hold exactly what the in-memory path writes; benchmarks/bench_memory.py measures the
50,000-project peak."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import openpyxl

from jixiao.evaluate import evaluate
from jixiao.report import (
    build_context,
    render,
    render_docx_bytes,
    render_html,
    render_json,
    render_xlsx_bytes,
)
from jixiao.report import docx as docx_mod
from jixiao.report.context import Table
from jixiao.workbook import load

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "changsha-kjj-2023.xlsx"


def _parts(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_streamed_parts_hold_the_same_document(monkeypatch):
    ctx = build_context(evaluate(load(EXAMPLE).department))
    whole_docx, whole_xlsx = render_docx_bytes(ctx, charts=False), render_xlsx_bytes(ctx)
    monkeypatch.setattr(docx_mod, "STREAM_ABOVE", 1000)  # every part made of chunks is streamed now
    streamed_docx, streamed_xlsx = render_docx_bytes(ctx, charts=False), render_xlsx_bytes(ctx)
    assert streamed_docx != whole_docx  # really the other path (zip64 entries)
    assert _parts(streamed_docx) == _parts(whole_docx) and _parts(streamed_xlsx) == _parts(whole_xlsx)
    d = docx.Document(io.BytesIO(streamed_docx))
    assert len(d.tables) == len(ctx.tables) and ctx.department in d.paragraphs[0].text
    wb = openpyxl.load_workbook(io.BytesIO(streamed_xlsx))
    assert len(wb.worksheets) == len(ctx.tables)  # one sheet per table (DESIGN §8, issue 11)


def test_files_written_in_pieces_equal_the_strings(tmp_path):
    ev = evaluate(load(EXAMPLE).department)
    ctx = build_context(ev)
    paths = render(ev, tmp_path, formats=("html", "json"), charts=False)
    html, js = (p.read_text(encoding="utf-8") for p in paths if "待办清单" not in p.name)
    assert html == render_html(ctx, charts=False)
    assert js == render_json(ctx) and json.loads(js)["department"] == ev.department.name


def test_equal_cells_are_one_object_in_the_context():
    ctx = build_context(evaluate(load(EXAMPLE).department))
    cells = [c for t in ctx.tables for r in t.rows for c in r]
    assert len({id(c) for c in cells}) == len(set(cells)) < len(cells)
    assert isinstance(ctx.tables[0], Table)
