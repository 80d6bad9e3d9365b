"""PDF reader: a published PDF's text layer → :class:`Document` (paragraphs and tables, with pages)."""

from __future__ import annotations

import io
import re

from ..errors import InputError
from .document import Document, DocumentBuilder


def read_pdf_bytes(data: bytes, name: str = "") -> Document:
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - a declared dependency
        raise InputError("读取 PDF 需要 pdfplumber。") from None
    b = DocumentBuilder(name)
    chars_total = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if not pdf.pages:
                raise InputError(f"{name} 没有页面。")
            pending: list[str] = []
            start = 1                       # the page the pending paragraph started on
            for pno, page in enumerate(pdf.pages, start=1):
                chars_total += len(page.chars)
                blocks = []
                try:
                    found = page.find_tables()
                except Exception:  # noqa: BLE001 - table detection is best effort
                    found = []
                boxes = [t.bbox for t in found]
                for t in found:
                    rows = [[c or "" for c in r] for r in (t.extract() or [])]
                    blocks.append((t.bbox[1], "table", rows))

                def outside(obj, boxes=boxes):
                    cx = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
                    cy = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
                    return not any(x0 <= cx <= x1 and t0 <= cy <= t1 for x0, t0, x1, t1 in boxes)

                text_page = page.filter(outside) if boxes else page
                lines = text_page.extract_text_lines() if hasattr(text_page, "extract_text_lines") else []
                lines = [ln for ln in lines if not _PAGE_NO.match(ln["text"])]
                right = max((ln["x1"] for ln in lines), default=0)
                widths = sorted((ln["x1"] - ln["x0"]) / len(ln["text"]) for ln in lines if len(ln["text"]) > 10)
                em = widths[len(widths) // 2] if widths else 10.0
                for k, ln in enumerate(lines):
                    # a line stopping short ends its paragraph; a wrapped line stops early when the
                    # next run of digits (50,846.21万元) did not fit, unless a sentence ended there
                    gap = right - ln["x1"]
                    ended = ln["text"].rstrip().endswith(("。", "：", ":", "！", "？", "；"))
                    nxt = lines[k + 1]["text"] if k + 1 < len(lines) else ""
                    m = re.match(r"[-\d,.%]+", nxt)
                    room = (len(m.group(0)) * 0.6 + 2.5) * em if m else 2.5 * em
                    full = gap < (0.8 * em if ended else room)
                    if k + 1 == len(lines) and not ended:
                        full = True           # the page ends mid-sentence: the paragraph goes on
                    blocks.append((ln["top"], "line", (ln["text"], full)))
                blocks.sort(key=lambda x: (x[0], 0 if x[1] == "table" else 1))
                for _, kind, payload in blocks:
                    if kind == "table":
                        if pending:
                            b.paragraph("".join(pending), start)
                            pending = []
                        _pdf_table(b, payload, pno)
                        continue
                    text, full = payload
                    if pending and _starts_heading(text):
                        b.paragraph("".join(pending), start)
                        pending = []
                    if not pending:
                        start = pno
                    pending.append(text.strip())
                    if not full:
                        b.paragraph("".join(pending), start)
                        pending = []
            if pending:
                b.paragraph("".join(pending), start)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on bad files
        raise InputError(f"{name} 已损坏或加密，无法作为 PDF 读取（{type(exc).__name__}）。") from None
    if chars_total == 0:
        raise InputError(f"{name} 没有文字层（可能是扫描件），无法审核。",
                         "请使用带文字层的 PDF，或原始的 .docx 文件。")
    return b.doc


def _pdf_table(b: DocumentBuilder, rows: list[list[str]], page: int | None = None) -> None:
    """A table that goes on over a page break comes back as two: join them (a repeated header
    row is dropped)."""
    from .document import Table

    last = b.doc.blocks[-1] if b.doc.blocks else None
    rows = [[(c or "").replace("\n", "") for c in r] for r in rows]
    if isinstance(last, Table) and rows and len(rows[0]) == len(last.rows[0]):
        head = tuple(c.strip() for c in rows[0])
        body = rows[1:] if head == last.rows[0] else rows
        b.doc.blocks.pop()
        b._nt -= 1
        b.table([list(r) for r in last.rows] + body, last.page)
        return
    b.table(rows, page)


_PAGE_NO = re.compile(r"^\s*([-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d{1,3})\s*$")
_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}[.、．](?!\d))")


def _starts_heading(line: str) -> bool:
    return bool(_HEADING.match(line))
