"""Hostile and very large workbooks, generated (never committed), for tests/test_limits.py and
benchmarks/bench_memory.py. Every file is written while streaming: generating a 1.2 GB sheet
costs a few MB of memory.

    python benchmarks/make_hostile.py OUT_DIR        # writes every case below into OUT_DIR

Cases (issue 14.1 and 14.5):
  * ``stray_bomb``      ~20 MB .xlsx whose 部门项目 sheet XML is 200 MB: one stray value per row
  * ``issue_flood``     ~2 MB .xlsx with ~20 MB of sheet XML and 420,000 bad amount cells
  * ``whitespace_bomb`` ~1.2 MB .xlsx whose sheet XML is 1.2 GB of whitespace
  * ``docx_whitespace_bomb`` a .docx whose word/document.xml is 1.2 GB (for ``audit``)
  * ``many_projects``   a valid workbook with N 部门项目 rows (5,000 / 50,000), all figures reconciling
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import random
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "changsha-kjj-2023.xlsx"
SHEET = "部门项目"


def _sheet_part(zf: zipfile.ZipFile, title: str) -> str:
    from jixiao.workbook.read import _sheet_parts

    return _sheet_parts(zf)[title]


def replace_sheet(src: Path, dst: Path, title: str, make_xml: callable, *, level: int = 6) -> Path:
    """Copy ``src`` to ``dst`` with sheet ``title``'s XML replaced by the chunks of
    ``make_xml(original_xml_bytes)``, streamed into the zip (zip64 when large)."""
    with (
        zipfile.ZipFile(src) as zin,
        zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zout,
    ):
        part = _sheet_part(zin, title)
        for info in zin.infolist():
            if info.filename == part:
                zi = zipfile.ZipInfo(part, date_time=info.date_time)
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi._compresslevel = level
                with zout.open(zi, "w", force_zip64=True) as f:
                    for chunk in make_xml(zin.read(part)):
                        f.write(chunk)
            else:
                zout.writestr(info, zin.read(info.filename))
    return dst


def _split(xml: bytes) -> tuple[bytes, bytes, int]:
    """(everything up to the last row, the tail from </sheetData>, last row number)."""
    end = xml.index(b"</sheetData>")
    rows = [int(m.group(1)) for m in re.finditer(rb'<row[^>]*\br="(\d+)"', xml)]
    return xml[:end], xml[end:], max(rows or [0])


def _rows(xml: bytes, make_row: callable, n: int, batch: int = 2000) -> Iterator[bytes]:
    head, tail, last = _split(xml)
    yield head
    buf = []
    for i in range(n):
        buf.append(make_row(last + 1 + i))
        if len(buf) >= batch:
            yield b"".join(buf)
            buf = []
    yield b"".join(buf)
    yield tail


def stray_bomb(dst: Path, xml_mb: int = 200, src: Path = EXAMPLE, seed: int = 1) -> Path:
    """One stray number per row (a different column each time, far to the right), until the sheet
    XML holds ``xml_mb`` MB; random values keep it from compressing much (~10:1)."""
    rng = random.Random(seed)
    row_bytes = len(b'<row r="1000000"><c r="ZZ1000000"><v>1234</v></c></row>')
    n = xml_mb * 1024 * 1024 // row_bytes

    def row(r: int) -> bytes:
        col = "Z" + chr(65 + rng.randrange(26))
        return f'<row r="{r}"><c r="{col}{r}"><v>{rng.randrange(10_000)}</v></c></row>'.encode()

    return replace_sheet(src, dst, SHEET, lambda xml: _rows(xml, row, n), level=1)


def issue_flood(dst: Path, rows: int = 140_000, src: Path = EXAMPLE, columns: str = "BDE") -> Path:
    """``rows`` project rows, each with text in the amount ``columns`` (B 年初预算, C 预算调整,
    D 全年预算, E 决算, F 上年决算): len(columns) × rows E-CELL-NOT-NUMBER issues (420,000 for
    140,000 rows and three columns, in ~30 MB of XML)."""

    def row(r: int) -> bytes:
        bad = "".join(f'<c r="{c}{r}" t="inlineStr"><is><t>x</t></is></c>' for c in columns)
        return f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>项目{r}</t></is></c>{bad}</row>'.encode()

    return replace_sheet(src, dst, SHEET, lambda xml: _rows(xml, row, rows))


def whitespace_bomb(dst: Path, xml_mb: int = 1200, src: Path = EXAMPLE) -> Path:
    """The sheet XML padded with ``xml_mb`` MB of spaces inside <sheetData> (deflate ~1000:1)."""
    block = b" " * (8 * 1024 * 1024)

    def gen(xml: bytes) -> Iterable[bytes]:
        head, tail, _ = _split(xml)
        yield head
        for _ in range(xml_mb // 8):
            yield block
        yield tail

    return replace_sheet(src, dst, SHEET, gen, level=9)


def docx_whitespace_bomb(dst: Path, xml_mb: int = 1200) -> Path:
    """The example's report as .docx with ``xml_mb`` MB of whitespace in word/document.xml
    (issue 14.6: a 1.2 GB document.xml given to ``audit``)."""
    from jixiao.evaluate import evaluate
    from jixiao.report import build_context, render_docx_bytes
    from jixiao.workbook import load

    src = dst.with_suffix(".src.docx")
    src.write_bytes(render_docx_bytes(build_context(evaluate(load(EXAMPLE).department)), charts=False))
    block = b" " * (8 * 1024 * 1024)
    with (
        zipfile.ZipFile(src) as zin,
        zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename != "word/document.xml":
                zout.writestr(info, data)
                continue
            zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi._compresslevel = 9
            cut = data.index(b"<w:body>") + len(b"<w:body>")
            with zout.open(zi, "w", force_zip64=True) as f:
                f.write(data[:cut])
                for _ in range(xml_mb // 8):
                    f.write(block)
                f.write(data[cut:])
    src.unlink()
    return dst


def _example_data() -> dict:
    spec = importlib.util.spec_from_file_location(
        "build_example", ROOT / "examples" / "build_changsha_kjj_2023.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return copy.deepcopy(mod.data())


def _spread(total: Decimal, n: int) -> list[Decimal]:
    """``total`` (2 places, ≥ 0) in n parts of whole cents that add up to it exactly."""
    q, r = divmod(int(total * 100), n)
    return [Decimal(q + (1 if i < r else 0)).scaleb(-2) for i in range(n)]


def many_projects(dst: Path, n: int = 50_000) -> Path:
    """The example with one 部门项目 (the largest without a budget adjustment) split into ``n``
    rows whose amounts add up to it: every total, indicator and check stays as in the example,
    while every renderer has n project rows to lay out."""
    from jixiao.workbook.template import build_template, fill_workbook, workbook_bytes

    data = _example_data()
    rows = data[SHEET]
    pick = max((r for r in rows if not r.get("预算调整")), key=lambda r: r["年初预算"])
    at = rows.index(pick)
    parts = {k: _spread(pick[k], n) for k in ("年初预算", "全年预算", "决算") if pick.get(k) is not None}
    pieces = []
    for i in range(n):
        row = {"项目名称": f"{pick['项目名称']}（分项{i + 1:05d}）", "预算调整": Decimal("0.00")}
        row |= {k: v[i] for k, v in parts.items()}
        pieces.append(row)
    data[SHEET] = rows[:at] + pieces + rows[at + 1 :]
    wb = build_template()
    fill_workbook(wb, data)
    dst.write_bytes(workbook_bytes(wb))
    return dst


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="生成超大/恶意构造的基础数据表（用于资源上限测试）")
    ap.add_argument("out", type=Path)
    ap.add_argument("--projects", default="5000,50000")
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    for name, fn in (
        ("stray-bomb.xlsx", stray_bomb),
        ("issue-flood.xlsx", issue_flood),
        ("whitespace-bomb.xlsx", whitespace_bomb),
        ("whitespace-bomb.docx", docx_whitespace_bomb),
    ):
        p = fn(a.out / name)
        print(f"{p}\t{p.stat().st_size:,} bytes", file=sys.stderr)
    for n in (int(x) for x in a.projects.split(",")):
        p = many_projects(a.out / f"projects-{n}.xlsx", n)
        print(f"{p}\t{p.stat().st_size:,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
