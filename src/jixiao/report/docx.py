"""Word writer: the ReportContext as a .docx — the body (docx_body.py: document.xml) wrapped in the
package written here (styles, header/footer, font table, settings, content types, rels, core
properties), zipped with fixed timestamps — fast (~tens of ms) and byte-identical between runs.

Official-document layout: A4, margins 37/35/28/26 mm, 仿宋_GB2312 三号 body, 黑体/楷体 headings
(Heading 1–3 styles, so the navigation pane works), 方正小标宋简体 title, page numbers in the
footer, real tables with merged cells (gridSpan / vMerge) and repeated header rows.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator

from .charts import NoCJKFont
from .context import ReportContext
from .docx_body import (  # noqa: F401 - re-exported: the geometry, _para, esc and _XML are imported from here
    _XML,
    BODY_FONT,
    HEI,
    KAI,
    LATIN,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_H,
    PAGE_W,
    TEXT_W,
    TITLE_FONT,
    _fonts,
    _Images,
    _para,
    _png_size,
    document_chunks,
    document_xml,
    esc,
)

FIXED_DATE = "2000-01-01T00:00:00Z"
#: a zip part built from chunks is held whole up to this size, then streamed (bounded memory)
STREAM_ABOVE = 8 * 1024 * 1024
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


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
