"""Word writer: the ReportContext as WordprocessingML written directly (string building with
escaping), zipped with fixed timestamps — fast (~tens of ms) and byte-identical between runs.

Official-document layout: A4, margins 37/35/28/26 mm, 仿宋_GB2312 三号 body, 黑体/楷体 headings
(Heading 1–3 styles, so the navigation pane works), 方正小标宋简体 title, page numbers in the
footer, real tables with merged cells (gridSpan / vMerge) and repeated header rows.
"""

from __future__ import annotations

import functools
import io
import re
import struct
import zipfile
from collections.abc import Iterable, Iterator

from ..safety import safe_text
from .charts import NoCJKFont, render_png
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

FIXED_DATE = "2000-01-01T00:00:00Z"
#: a zip part built from chunks is held whole up to this size, then streamed (bounded memory)
STREAM_ABOVE = 8 * 1024 * 1024
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

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


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _style(
    sid: str, name: str, ppr: str, rpr: str, based: str = "Normal", kind: str = "paragraph", extra: str = ""
) -> str:
    b = f'<w:basedOn w:val="{based}"/>' if based else ""
    default = ' w:default="1"' if sid == "Normal" else ""
    return (
        f'<w:style w:type="{kind}"{default} w:styleId="{sid}"><w:name w:val="{name}"/>{b}{extra}'
        f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


def styles_xml() -> str:
    line = '<w:spacing w:before="0" w:after="0" w:line="560" w:lineRule="exact"/>'
    s = [
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        + _fonts(BODY_FONT)
        + '<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>'
        "<w:pPrDefault><w:pPr>" + line + "</w:pPr></w:pPrDefault></w:docDefaults>",
        _style(
            "Normal",
            "Normal",
            line + '<w:jc w:val="both"/>',
            _fonts(BODY_FONT) + '<w:sz w:val="32"/>',
            based="",
            extra="<w:qFormat/>",
        ),
        _style(
            "Title",
            "Title",
            '<w:keepNext/><w:keepLines/><w:spacing w:before="0" w:after="300" w:line="700" '
            'w:lineRule="exact"/><w:ind w:firstLine="0"/><w:jc w:val="center"/><w:outlineLvl w:val="9"/>',
            _fonts(TITLE_FONT) + '<w:sz w:val="44"/><w:szCs w:val="44"/>',
            extra="<w:qFormat/>",
        ),
        _style(
            "Subtitle",
            "Subtitle",
            '<w:keepNext/><w:spacing w:before="120" w:after="120" w:line="440" '
            'w:lineRule="exact"/><w:ind w:firstLine="0"/><w:jc w:val="center"/>',
            _fonts(HEI) + '<w:sz w:val="28"/><w:szCs w:val="28"/>',
            extra="<w:qFormat/>",
        ),
        # headings keep with the next paragraph, are left-aligned (never justified) and stay distinct
        # where the GB fonts are missing: 一、 in 黑体 bold, （一） in 楷体 bold, 1. in 仿宋 bold
        _style(
            "Heading1",
            "heading 1",
            '<w:keepNext/><w:keepLines/><w:ind w:firstLineChars="200" w:firstLine="640"/>'
            '<w:jc w:val="left"/><w:outlineLvl w:val="0"/>',
            _fonts(HEI) + '<w:b/><w:bCs/><w:sz w:val="32"/><w:szCs w:val="32"/>',
            extra='<w:next w:val="a0Body"/><w:qFormat/>',
        ),
        _style(
            "Heading2",
            "heading 2",
            '<w:keepNext/><w:keepLines/><w:ind w:firstLineChars="200" w:firstLine="640"/>'
            '<w:jc w:val="left"/><w:outlineLvl w:val="1"/>',
            _fonts(KAI) + '<w:b/><w:bCs/><w:sz w:val="32"/><w:szCs w:val="32"/>',
            extra='<w:next w:val="a0Body"/><w:qFormat/>',
        ),
        _style(
            "Heading3",
            "heading 3",
            '<w:keepNext/><w:keepLines/><w:ind w:firstLineChars="200" w:firstLine="640"/>'
            '<w:jc w:val="left"/><w:outlineLvl w:val="2"/>',
            _fonts(BODY_FONT) + '<w:b/><w:bCs/><w:sz w:val="32"/><w:szCs w:val="32"/>',
            extra='<w:next w:val="a0Body"/><w:qFormat/>',
        ),
        _style(
            "a0Body",
            "正文缩进",
            '<w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/>',
            "",
            extra="<w:qFormat/>",
        ),
        _style(
            "a0BodyLeft",
            "正文算式",
            '<w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="left"/>',
            "",
        ),
        _style(
            "a0BodyNext",
            "正文引表",
            '<w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/>',
            "",
        ),
        _style(
            "a0BodyLeftNext",
            "正文算式引表",
            '<w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="left"/>',
            "",
        ),
        _style(
            "a0Unit",
            "表格单位",
            '<w:keepNext/><w:spacing w:before="0" w:after="0" w:line="360" '
            'w:lineRule="exact"/><w:jc w:val="right"/>',
            "",
        ),
        _style("a0Note", "附件说明", '<w:keepNext/><w:keepLines/><w:ind w:left="1600"/>', ""),
        _style(
            "a0Right",
            "右对齐",
            '<w:spacing w:before="0" w:after="0" w:line="360" w:lineRule="exact"/><w:jc w:val="right"/>',
            "",
        ),
        _style(
            "a0Center",
            "居中",
            '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>',
            "",
        ),
        _style(
            "a0Caption",
            "图题",
            '<w:keepLines/><w:spacing w:before="0" w:after="120" w:line="360" w:lineRule="exact"/>'
            '<w:jc w:val="center"/>',
            _fonts(BODY_FONT) + '<w:sz w:val="24"/><w:szCs w:val="24"/>',
        ),
        _style(
            "a0TableCaption",
            "表题",
            '<w:keepNext/><w:spacing w:before="120" w:after="0" w:line="440" '
            'w:lineRule="exact"/><w:jc w:val="center"/>',
            _fonts(HEI) + '<w:sz w:val="24"/><w:szCs w:val="24"/>',
        ),
        _style(
            "a0TableText",
            "表格文字",
            '<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" '
            'w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>',
            _fonts(BODY_FONT) + '<w:sz w:val="21"/><w:szCs w:val="21"/>',
        ),
        _style(
            "Footer",
            "footer",
            '<w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>',
            _fonts("宋体") + '<w:sz w:val="28"/><w:szCs w:val="28"/>',
        ),
        (
            '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
            '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
            '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
            "</w:tblCellMar></w:tblPr></w:style>"
        ),
        (
            '<w:style w:type="table" w:styleId="a0Grid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>'
            "<w:tblPr><w:tblBorders>"
            + "".join(
                f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                for s in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
            + '</w:tblBorders><w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
            "</w:tblCellMar></w:tblPr></w:style>"
        ),
    ]
    return (
        _XML
        + '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        + "".join(s)
        + "</w:styles>"
    )


FOOTER = (
    _XML + '<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
    '<w:r><w:t xml:space="preserve">— </w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    '<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>'
)


def _header(mark: str, stamp: bytes | None) -> str:
    """The draft mark, right-aligned in the page header: a drawn stamp (its text in the picture's
    description) when a CJK font is at hand, else red text."""
    head = (
        _XML + '<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="right"/></w:pPr>'
    )
    if stamp is None:
        return (
            head + '<w:r><w:rPr><w:b/><w:color w:val="C00000"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr>'
            f'<w:t xml:space="preserve">{esc(mark)}</w:t></w:r></w:p></w:hdr>'
        )
    w, h = _png_size(stamp)
    cx, cy = w * 914400 // 300, h * 914400 // 300
    pic = (
        f'<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:nvPicPr><pic:cNvPr id="900" name="draft.png" descr="{esc(mark)}"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="rIdDraft"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
    )
    return (
        head + f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="900" name="草稿标记" descr="{esc(mark)}"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">{pic}'
        f"</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p></w:hdr>"
    )


_HEADER_RELS = (
    _XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rIdDraft" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/image" Target="media/draft.png"/></Relationships>'
)


#: the fonts the styles name, with the names Windows/WPS/LibreOffice know them by (altName) and
#: their PANOSE class, so a machine without the GB fonts substitutes 仿宋/楷体/黑体 (or a serif /
#: sans face) instead of one default face for everything
FONT_TABLE = (
    _XML
    + '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    + "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        for name, alt, panose, family in (
            (BODY_FONT, "仿宋", "02010609030101010101", "modern"),
            (KAI, "楷体", "02010609030101010101", "modern"),
            (HEI, "SimHei", "02010609060101010101", "modern"),
            (TITLE_FONT, "宋体", "02000000000000000000", "auto"),
            ("宋体", "SimSun", "02010600030101010101", "auto"),
            (LATIN, "Times", "02020603050405020304", "roman"),
        )
    )
    + "</w:fonts>"
)

SETTINGS = (
    _XML + '<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
    '<w:characterSpacingControl w:val="compressPunctuation"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/></w:compat></w:settings>'
)

CONTENT_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.header+xml"/>'
    '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
    'package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.extended-properties+xml"/></Types>'
)

ROOT_RELS = (
    _XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'extended-properties" Target="docProps/app.xml"/></Relationships>'
)

APP = (
    _XML + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>jixiao</Application></Properties>"
)


def _core(title: str) -> str:
    return (
        _XML + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{esc(title)}</dc:title><dc:creator>jixiao</dc:creator>"
        f"<cp:lastModifiedBy>jixiao</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:modified></cp:coreProperties>'
    )


def _doc_rels(images: _Images, header: bool = False) -> str:
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    out = [
        f'<Relationship Id="rIdStyles" Type="{rel}styles" Target="styles.xml"/>',
        f'<Relationship Id="rIdSettings" Type="{rel}settings" Target="settings.xml"/>',
        f'<Relationship Id="rIdFonts" Type="{rel}fontTable" Target="fontTable.xml"/>',
        f'<Relationship Id="rIdFooter1" Type="{rel}footer" Target="footer1.xml"/>',
    ]
    if header:
        out.append(f'<Relationship Id="rIdHeader1" Type="{rel}header" Target="header1.xml"/>')
    out += [
        f'<Relationship Id="{rid}" Type="{rel}image" Target="media/{name}"/>' for rid, name, _ in images.items
    ]
    return (
        _XML
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(out)
        + "</Relationships>"
    )


def zip_parts(parts: Iterable[tuple[str, bytes | Iterable[str | bytes]]]) -> bytes:
    """A deterministic zip: given order, fixed timestamps and permissions. A part's data is bytes,
    or an iterable of str/bytes chunks compressed as they come (a large part is never held whole);
    ``parts`` itself may be a generator, so a part can depend on what an earlier one produced."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED if name.endswith(".png") else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            level = 6 if info.compress_type == zipfile.ZIP_DEFLATED else None
            if isinstance(data, bytes | bytearray):
                z.writestr(info, data, compresslevel=level)
                continue
            chunks = iter(data)
            head, size = [], 0
            for chunk in chunks:  # a part up to STREAM_ABOVE is written as before (same bytes)
                head.append(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
                size += len(head[-1])
                if size > STREAM_ABOVE:
                    break
            else:
                z.writestr(info, b"".join(head), compresslevel=level)
                continue
            info._compresslevel = level
            with z.open(info, "w", force_zip64=True) as f:  # larger: streamed, zip64 sizes
                f.write(b"".join(head))
                del head
                pending: list[bytes] = []
                size = 0
                for chunk in chunks:
                    pending.append(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
                    size += len(pending[-1])
                    if size >= 1 << 20:  # ~1 MB pieces: fewer, larger deflate calls
                        f.write(b"".join(pending))
                        pending, size = [], 0
                f.write(b"".join(pending))
    return buf.getvalue()


def normalize_zip(data: bytes, fix=None) -> bytes:
    """Rewrite any zip (e.g. from openpyxl or docxtpl) with fixed timestamps, so bytes are stable.
    ``fix(name, data) -> data`` may rewrite a part (e.g. pin dates in docProps/core.xml)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    if fix is not None:
        parts = [(n, fix(n, d)) for n, d in parts]
    return zip_parts(parts)


_NO_HEADER = re.compile(r'<Override PartName="/word/header1.xml"[^>]*/>')


def render_docx_bytes(ctx: ReportContext, charts: bool = True) -> bytes:
    if charts:
        try:
            return zip_parts(_docx_parts(ctx, True))
        except NoCJKFont as exc:
            ctx.warnings.append(str(exc))
    return zip_parts(_docx_parts(ctx, False))


def _docx_parts(ctx: ReportContext, charts: bool) -> Iterator[tuple[str, bytes | Iterable[str]]]:
    """The parts in zip order; the body is streamed, the relationships and pictures follow it."""
    images = _Images()
    yield from [
        ("[Content_Types].xml", (CONTENT_TYPES if ctx.draft else _NO_HEADER.sub("", CONTENT_TYPES)).encode()),
        ("_rels/.rels", ROOT_RELS.encode()),
        ("docProps/core.xml", _core(ctx.title).encode()),
        ("docProps/app.xml", APP.encode()),
        ("word/document.xml", document_chunks(ctx, images, charts)),
        ("word/styles.xml", styles_xml().encode()),
        ("word/settings.xml", SETTINGS.encode()),
        ("word/fontTable.xml", FONT_TABLE.encode()),
        ("word/footer1.xml", FOOTER.encode()),
    ]
    if ctx.draft:
        from .charts import stamp_png

        stamp = stamp_png(ctx.draft_mark)
        yield ("word/header1.xml", _header(ctx.draft_mark, stamp).encode())
        if stamp is not None:
            yield ("word/_rels/header1.xml.rels", _HEADER_RELS.encode())
            yield ("word/media/draft.png", stamp)
    yield (
        "word/_rels/document.xml.rels",
        _doc_rels(images, ctx.draft).encode(),
    )  # after the body: its images
    yield from ((f"word/media/{name}", data) for _, name, data in images.items)
