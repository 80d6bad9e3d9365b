"""Word body writer: the ReportContext as WordprocessingML (word/document.xml) written directly —
string building with escaping — in chunks: paragraphs and runs, headings, figures (PNG charts)
and real tables with merged cells (gridSpan / vMerge) and repeated header rows. docx.py wraps it
in the package (styles, header/footer, zip) and re-exports what other modules use.

Page geometry and the fonts of the official-document layout are defined here (docx.py re-exports
them for template.py and the tests).
"""

from __future__ import annotations

import functools
import re
import struct
from collections.abc import Iterator

from ..safety import safe_text
from .charts import render_png
from .context import Figure, Heading, PageBreak, Para, ReportContext, Table

# page geometry (twips: 1 mm = 56.6929 twips)
PAGE_W, PAGE_H = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1587, 1474
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
EMU_PER_TWIP = 635

BODY_FONT = "仿宋_GB2312"
HEI = "黑体"
KAI = "楷体_GB2312"
TITLE_FONT = "方正小标宋简体"
LATIN = "Times New Roman"

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


_BAD_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def esc(text: str) -> str:
    text = _BAD_XML.sub("", safe_text(text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _fonts(east: str, latin: str = LATIN) -> str:
    return (
        f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east}" w:cs="{latin}" '
        f'w:hint="eastAsia"/>'
    )


#: a minus sign before a figure: written as Word's non-breaking hyphen so '-21.84%' never splits
_SIGN = re.compile(r"-(?=\d)")
_NB_HYPHEN = '</w:t><w:noBreakHyphen/><w:t xml:space="preserve">'


def _run(text: str, rpr: str = "") -> str:
    lines = esc(text).split("\n")
    inner = "<w:br/>".join(
        f'<w:t xml:space="preserve">{_SIGN.sub(_NB_HYPHEN, ln) if "-" in ln else ln}</w:t>' for ln in lines
    )
    return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{inner}</w:r>"


def _rpr(bold: bool = False, size: int | None = None, mark: bool = False) -> str:
    """Run properties in the order the OOXML schema requires (b, color, sz, szCs, highlight) —
    Word rejects a file whose elements are out of order."""
    out = "<w:b/><w:bCs/>" if bold else ""
    if mark:
        out += '<w:color w:val="C00000"/>'
    if size:
        out += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    if mark:
        out += '<w:highlight w:val="yellow"/>'
    return out


def _placeholder_runs(text: str, bold: bool = False, size: int | None = None) -> str:
    """Runs for a paragraph; 【待补充：…】 placeholders are highlighted so a person sees them."""
    if "【待补充" not in text:
        return _run(text, _rpr(bold, size)) if text else ""
    out = []
    pos = 0
    for m in re.finditer(r"【待补充：[^】]*】", text):
        if m.start() > pos:
            out.append(_run(text[pos : m.start()], _rpr(bold, size)))
        out.append(_run(m.group(0), _rpr(bold, size, mark=True)))
        pos = m.end()
    if pos < len(text):
        out.append(_run(text[pos:], _rpr(bold, size)))
    return "".join(out)


@functools.lru_cache(maxsize=8192)  # table cells repeat ('', 0.00, labels of 30 blank forms)
def _para(text: str, style: str = "", jc: str = "", bold: bool = False, size: int | None = None) -> str:
    st = f'<w:pStyle w:val="{style}"/>' if style else ""
    ppr = f'<w:jc w:val="{jc}"/>' if jc else ""
    return f"<w:p><w:pPr>{st}{ppr}</w:pPr>{_placeholder_runs(text, bold, size)}</w:p>"


_PARA_STYLE = {
    "body": "a0Body",
    "formula": "a0BodyLeft",
    "intro": "a0BodyNext",
    "formula_intro": "a0BodyLeftNext",
    "title": "Title",
    "subtitle": "Subtitle",
    "note": "a0Note",
    "right": "a0Right",
    "center": "a0Center",
}


class _Images:
    def __init__(self):
        self.items: list[tuple[str, str, bytes]] = []  # (rId, name, data)

    def add(self, name: str, data: bytes) -> str:
        rid = f"rIdImg{len(self.items) + 1}"
        self.items.append((rid, name, data))
        return rid


def _png_size(data: bytes) -> tuple[int, int]:
    w, h = struct.unpack(">II", data[16:24])
    return w, h


def _figure(fig: Figure, images: _Images, n: int) -> str:
    data = render_png(fig.chart)
    rid = images.add(f"chart{n}_{fig.chart.key}.png", data)
    w, h = _png_size(data)
    max_w = TEXT_W * EMU_PER_TWIP
    max_h = (PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) * EMU_PER_TWIP * 8 // 10  # leave room for the caption
    cx = min(max_w, w * 914400 // 144)  # 144 px an inch: the chart prints 1:1 (labels at 9 pt)
    cy = h * cx // w
    if cy > max_h:
        cx, cy = cx * max_h // cy, max_h
    pic = (
        f'<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:nvPicPr><pic:cNvPr id="{n}" name="chart{n}.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
    )
    drawing = (
        f'<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{n}" name="图表{n}" descr="{esc(fig.chart.title)}"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f"{pic}</a:graphicData></a:graphic></wp:inline></w:drawing>"
    )
    out = f'<w:p><w:pPr><w:pStyle w:val="a0Center"/><w:keepNext/></w:pPr><w:r>{drawing}</w:r></w:p>'
    out += _para(f"图{n} {fig.chart.title}", "a0Caption")
    return out


_JC = {"left": "left", "right": "right"}


@functools.lru_cache(maxsize=16384)
def _tc(
    w: int, span: int, merged: bool, origin: bool, nowrap: bool, text: str, jc: str, bold: bool, sz: int
) -> str:
    """One table cell (memoised: the 30 blank forms and the '' / 0.00 cells repeat)."""
    tcpr = f'<w:tcW w:w="{w}" w:type="dxa"/>'
    if span > 1:
        tcpr += f'<w:gridSpan w:val="{span}"/>'
    if merged:
        tcpr += '<w:vMerge w:val="restart"/>' if origin else "<w:vMerge/>"
    if nowrap:
        tcpr += "<w:noWrap/>"  # a figure never wraps inside its cell
    tcpr += '<w:vAlign w:val="center"/>'
    body = (
        _para(text, "a0TableText", jc, bold, sz)
        if origin
        else '<w:p><w:pPr><w:pStyle w:val="a0TableText"/></w:pPr></w:p>'
    )
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{body}</w:tc>"


def _table(t: Table) -> str:
    total = sum(t.widths)
    widths = [TEXT_W * w // total for w in t.widths]
    widths[-1] += TEXT_W - sum(widths)
    sz = 18 if t.small else 21
    out = []
    if t.caption:
        out.append(_para(t.caption, "a0TableCaption"))
    if t.unit:
        out.append(_para(t.unit, "a0Unit", size=sz))
    out.append(
        '<w:tbl><w:tblPr><w:tblStyle w:val="a0Grid"/>'
        f'<w:tblW w:w="{TEXT_W}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>'
    )
    out.extend(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out.append("</w:tblGrid>")
    grid = t.grid()
    ncols = t.ncols
    edges = [0]
    for w in widths:
        edges.append(edges[-1] + w)
    for r in range(len(grid)):
        trpr = (
            "<w:cantSplit/>"
            + (f'<w:trHeight w:val="{t.row_height}" w:hRule="atLeast"/>' if t.row_height else "")
            + ("<w:tblHeader/>" if r < t.header_rows else "")
        )
        out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>")
        c = 0
        while c < ncols:
            slot = grid[r][c]
            if slot is None:  # a short row: fill with an empty cell
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[c]}" w:type="dxa"/></w:tcPr><w:p/></w:tc>')
                c += 1
                continue
            cell, role = slot
            span = cell.colspan
            if role == "origin":
                out.append(
                    _tc(
                        edges[c + span] - edges[c],
                        span,
                        cell.rowspan > 1,
                        True,
                        cell.value is not None,
                        cell.text,
                        _JC.get(cell.align, "center"),
                        cell.bold,
                        sz,
                    )
                )
            else:
                out.append(
                    _tc(edges[c + span] - edges[c], span, cell.rowspan > 1, False, False, "", "", False, sz)
                )
            c += span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    out.append('<w:p><w:pPr><w:pStyle w:val="a0TableText"/></w:pPr></w:p>')
    return "".join(out)


def document_xml(ctx: ReportContext, images: _Images, charts: bool = True) -> str:
    return "".join(document_chunks(ctx, images, charts))


def document_chunks(ctx: ReportContext, images: _Images, charts: bool = True) -> Iterator[str]:
    """word/document.xml block by block: written into the zip as it is made, so a report with
    50,000 project rows never holds its whole body (or the body twice) in memory."""
    yield (
        _XML + '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><w:body>'
    )
    nfig = 0
    for b in ctx.all_blocks():
        if isinstance(b, Heading):
            yield _para(b.text, f"Heading{min(b.level, 3)}")
        elif isinstance(b, Para):
            yield _para(b.text, _PARA_STYLE.get(b.kind, "a0Body"))
        elif isinstance(b, Table):
            yield _table(b)
        elif isinstance(b, Figure):
            if charts:
                nfig += 1
                yield _figure(b, images, nfig)
        elif isinstance(b, PageBreak):
            yield '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    head = '<w:headerReference w:type="default" r:id="rIdHeader1"/>' if ctx.draft else ""
    sect = (
        f'<w:sectPr>{head}<w:footerReference w:type="default" r:id="rIdFooter1"/>'
        f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
        f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
        f'w:left="{MARGIN_LEFT}" w:header="851" w:footer="992" w:gutter="0"/>'
        '<w:pgNumType w:fmt="decimal"/><w:cols w:space="425"/>'
        '<w:docGrid w:type="lines" w:linePitch="579"/></w:sectPr>'
    )
    yield f"{sect}</w:body></w:document>"
