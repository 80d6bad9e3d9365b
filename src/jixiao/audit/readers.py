"""Readers: .docx / .pdf / .txt → :class:`Document` (the only file I/O of the audit).

Anything unreadable raises :class:`jixiao.errors.InputError` with a Chinese message (exit 3).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from .. import limits
from ..errors import InputError
from .document import Document, DocumentBuilder
from .pdf import read_pdf_bytes
from .segment import join_wrapped

MAX_BYTES = 200 * 1024 * 1024


def read_document(path: str | Path) -> Document:
    """Read a report by its content (the extension only breaks ties)."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"找不到文件：{p}")
    if p.is_dir():
        raise InputError(f"{p} 是文件夹，不是报告文件。")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件 {p}：{exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"文件 {p.name} 超过 200MB，无法审核。")
    if not data.strip():
        raise InputError(f"文件 {p.name} 是空文件。")
    ext = p.suffix.lower()
    if data[:4] == b"PK\x03\x04":
        if ext in (".xlsx", ".xlsm", ".pptx"):
            raise InputError(f"{p.name} 不是报告文档（.xlsx/.pptx）；audit 只读取 .docx、.pdf、.txt。")
        return read_docx_bytes(data, p.name)
    if data[:5] == b"%PDF-":
        return read_pdf_bytes(data, p.name)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError(
            f"{p.name} 是旧版 Office 格式（.doc/.xls），无法读取。",
            "请在 Word 或 WPS 中另存为 .docx 后再审核。",
        )
    if ext in (".docx", ".pdf"):
        raise InputError(f"{p.name} 已损坏或不是有效的 {ext[1:]} 文件。")
    if ext not in (".txt", ".text", ""):
        raise InputError(f"不支持的文件类型：{p.name}；audit 只读取 .docx、.pdf、.txt。")
    return read_txt_bytes(data, p.name)


# --- .txt ----------------------------------------------------------------------------------


def decode_text(data: bytes, name: str = "") -> str:
    """UTF-8 (with or without BOM), then GB18030 (a superset of GBK/GB2312)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise InputError(
        f"{name or '文件'} 不是可识别的文本（既不是 UTF-8 也不是 GBK/GB18030 编码），也不是 .docx/.pdf。"
    )


def read_txt_bytes(data: bytes, name: str = "") -> Document:
    return parse_txt(decode_text(data, name), name)


def parse_txt(text: str, name: str = "") -> Document:
    """Plain text, including Word's "save as text" layout: each table cell is a line starting
    with a tab, a row ends with a blank line, a cell's further lines continue without a tab."""
    b = DocumentBuilder(name)
    lines = join_wrapped(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    table: list[list[str]] = []
    row: list[str] = []
    in_table = False
    last_was_cell = False
    for line in lines:
        if line.startswith("\t"):
            in_table = True
            row.append(line[1:])
            last_was_cell = True
            continue
        if in_table:
            if not line.strip():
                if row:
                    table.append(row)
                    row = []
                last_was_cell = False
                continue
            if last_was_cell and row:  # a cell's second line
                row[-1] = row[-1] + line
                continue
            # a non-tab line after a blank line: the table has ended
            if row:
                table.append(row)
            b.table(_align_rows(table))
            table, row, in_table = [], [], False
        last_was_cell = False
        if "\t" in line.strip("\t ") and len(line.split("\t")) >= 3:  # tab-separated row on one line
            b.table([line.split("\t")])
            continue
        b.paragraph(line)
    if in_table:
        if row:
            table.append(row)
        b.table(_align_rows(table))
    return _merge_tsv_tables(b.doc)


def _align_rows(rows: list[list[str]]) -> list[list[str]]:
    """Word's text export drops the cells a merged cell covers: a short row's first cell spans
    the missing columns (a 合计 label over 序号 and 项目)."""
    width = max((len(r) for r in rows), default=0)
    out = []
    for r in rows:
        k = width - len(r)
        if k > 0 and r and not _looks_numeric(r[0]):
            r = [r[0]] * (k + 1) + r[1:]
        out.append(r)
    return out


def _merge_tsv_tables(doc: Document) -> Document:
    """Consecutive one-row tables from tab-separated lines become one table."""
    from .document import Paragraph, Table

    out: list = []
    for blk in doc.blocks:
        if isinstance(blk, Table) and len(blk.rows) == 1 and out and isinstance(out[-1], list):
            out[-1].append(blk.rows[0])
            continue
        if isinstance(blk, Table) and len(blk.rows) == 1:
            out.append([blk.rows[0]])
            continue
        out.append(blk)
    b = DocumentBuilder(doc.name)
    for blk in out:
        if isinstance(blk, list):
            b.table([list(r) for r in blk])
        elif isinstance(blk, Table):
            b.table([list(r) for r in blk.rows])
        elif isinstance(blk, Paragraph):
            b.paragraph(blk.text)
    return b.doc


# --- .docx ---------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx_bytes(data: bytes, name: str = "") -> Document:
    limits.check_zip_entries(data, name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if "word/document.xml" not in z.namelist():
                raise InputError(f"{name} 不是 Word 文档（缺少 word/document.xml）。")
            limits.check_members(z, name)  # declared sizes first, then real bytes while reading
            xml = b"".join(limits.iter_member(z, "word/document.xml", name, limits.MAX_DOCX_XML_BYTES))
    except zipfile.BadZipFile:
        raise InputError(f"{name} 已损坏，无法作为 .docx 打开。") from None
    except (OSError, RuntimeError, zipfile.LargeZipFile) as exc:  # encrypted members, truncated …
        raise InputError(f"{name} 无法读取：{exc}") from None
    from lxml import etree

    try:
        root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, huge_tree=True))
    except etree.XMLSyntaxError:
        raise InputError(f"{name} 的正文 XML 已损坏。") from None
    body = root.find(f"{W}body")
    if body is None:
        raise InputError(f"{name} 没有正文。")
    b = DocumentBuilder(name)
    _walk_body(body, b)
    return b.doc


def _walk_body(el, b: DocumentBuilder) -> None:
    for child in el:
        tag = child.tag
        if tag == f"{W}p":
            b.paragraph(_para_text(child))
        elif tag == f"{W}tbl":
            b.table(_table_rows(child))
        elif tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent", f"{W}ins", f"{W}smartTag"):
            inner = child.find(f"{W}sdtContent")
            _walk_body(inner if inner is not None else child, b)


def _para_text(p) -> str:
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen"):
        tag = node.tag
        if tag == f"{W}t":
            parts.append(node.text or "")
        elif tag == f"{W}noBreakHyphen":
            parts.append("-")
        else:
            parts.append(" ")
    return "".join(parts)


def _cell_text(tc) -> str:
    """All text of a cell (its paragraphs and any nested table), paragraphs joined without a
    separator so a header wrapped onto two lines reads as one phrase."""
    return "".join(_para_text(p) for p in tc.iter(f"{W}p"))


def _table_rows(tbl) -> list[list[str]]:
    """Logical grid. A merged cell is one logical cell: its text (a header, a label) is repeated
    across the columns it spans (gridSpan) and the rows it spans (vMerge), so every column has
    its header; a merged *number* is kept once, in its first cell, so sums never count it twice."""
    grid: list[list[str]] = []
    merged_from_above: list[list[bool]] = []
    for tr in tbl.iter(f"{W}tr"):
        if tr.getparent() is not tbl and _ancestor_tbl(tr) is not tbl:
            continue  # a nested table's row
        row: list[str] = []
        flags: list[bool] = []
        for tc in tr.findall(f"{W}tc"):
            pr = tc.find(f"{W}tcPr")
            span, vcont = 1, False
            if pr is not None:
                gs = pr.find(f"{W}gridSpan")
                if gs is not None:
                    try:
                        span = max(1, int(gs.get(f"{W}val", "1")))
                    except ValueError:
                        span = 1
                vm = pr.find(f"{W}vMerge")
                if vm is not None and vm.get(f"{W}val", "continue") != "restart":
                    vcont = True
            text = _cell_text(tc)
            col = len(row)
            if vcont and grid and col < len(grid[-1]):
                text = grid[-1][col]
            for k in range(span):
                row.append(text if k == 0 or not _looks_numeric(text) else "")
                flags.append(vcont)
        grid.append(row)
        merged_from_above.append(flags)
    # a vertically merged number is not repeated: its continuation cells read as empty
    for r in range(1, len(grid)):
        for c, cont in enumerate(merged_from_above[r]):
            if cont and _looks_numeric(grid[r][c]):
                grid[r][c] = ""
    return grid


def _ancestor_tbl(el):
    p = el.getparent()
    while p is not None and p.tag != f"{W}tbl":
        p = p.getparent()
    return p


_NUMERIC = re.compile(r"^\s*[-+]?[\d,]+(\.\d+)?\s*%?\s*$")


def _looks_numeric(s: str) -> bool:
    return bool(_NUMERIC.match(s or ""))
