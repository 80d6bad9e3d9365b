"""PDF reader: a published PDF's text layer → :class:`Document` (paragraphs and tables, with pages)."""

from __future__ import annotations

import io
import re

from ..errors import InputError
from .document import Document, DocumentBuilder


def read_pdf_bytes(data: bytes, name: str = "") -> Document:
    """Read with pypdfium2 (text runs and ruling lines → paragraphs and ruled tables); where it
    is not installed, with pdfplumber."""
    try:
        pages = _pages_pdfium(data, name)
    except ImportError:  # pragma: no cover - pypdfium2 is a declared dependency
        pages = _pages_plumber(data, name)
    if not pages:
        raise InputError(f"{name} 没有页面。")
    if sum(p[3] for p in pages) == 0:
        raise InputError(
            f"{name} 没有文字层（可能是扫描件），无法审核。", "请使用带文字层的 PDF，或原始的 .docx 文件。"
        )
    return _build(pages, name)


def _pages_pdfium(data: bytes, name: str) -> list:
    """Per page: (height, text lines outside tables, [(top, rows)] tables, characters)."""
    import pypdfium2 as pdfium

    from .pdf_layout import page_layout

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as exc:  # noqa: BLE001 - pdfium raises PdfiumError on bad files
        raise InputError(f"{name} 已损坏或加密，无法作为 PDF 读取（{type(exc).__name__}）。") from None
    out = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                lines, tables, nchars = page_layout(page)
                out.append((page.get_height(), lines, tables, nchars))
            finally:
                page.close()
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken page stream
        raise InputError(f"{name} 已损坏，无法作为 PDF 读取（{type(exc).__name__}）。") from None
    finally:
        pdf.close()
    return out


def _pages_plumber(data: bytes, name: str) -> list:
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - a declared dependency
        raise InputError("读取 PDF 需要 pypdfium2 或 pdfplumber。") from None
    out = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                try:
                    found = page.find_tables()
                except Exception:  # noqa: BLE001 - table detection is best effort
                    found = []
                boxes = [t.bbox for t in found]
                tables = [(t.bbox[1], _filled_rows(t)) for t in found]

                def outside(obj, boxes=boxes):
                    cx = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
                    cy = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
                    return not any(x0 <= cx <= x1 and t0 <= cy <= t1 for x0, t0, x1, t1 in boxes)

                text_page = page.filter(outside) if boxes else page
                lines = text_page.extract_text_lines() if hasattr(text_page, "extract_text_lines") else []
                out.append((page.height, lines, tables, len(page.chars)))
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on bad files
        raise InputError(f"{name} 已损坏或加密，无法作为 PDF 读取（{type(exc).__name__}）。") from None
    return out


def _build(pages: list, name: str) -> Document:
    """Paragraphs and tables in reading order, with their pages: lines joined into paragraphs
    (across pages too), running headers/footers and page numbers dropped, unit banners given to
    the table below them, tables continued over a page break joined."""
    b = DocumentBuilder(name)
    running = _running_lines(pages)
    pending: list[str] = []
    last_piece = None  # the page the last table piece was on
    start = 1  # the page the pending paragraph started on
    for pno, (height, lines, tables, _n) in enumerate(pages, start=1):
        blocks = [(top, "table", rows) for top, rows in tables]
        lines = [ln for ln in lines if not _PAGE_NO.match(ln["text"])]
        lines = _drop_running(lines, height, running)
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
                full = True  # the page ends mid-sentence: the paragraph goes on
            blocks.append((ln["top"], "line", (ln["text"], full)))
        blocks.sort(key=lambda x: (x[0], 0 if x[1] == "table" else 1))
        unit = None  # the last unit banner (单位：万元) seen above a table on this page
        for _, kind, payload in blocks:
            if kind == "table":
                if pending:
                    b.paragraph("".join(pending), start)
                    pending = []
                _pdf_table(b, payload, pno, unit, last_piece)
                last_piece, unit = pno, None
                continue
            text, full = payload
            m = _UNIT.search(text)
            if m:
                unit = m.group(1)
                if len(_UNIT.sub("", text).strip()) <= 30:
                    continue  # a banner line (or a table title with its banner) is no prose
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
    return b.doc


def _filled_rows(t) -> list[list[str]]:
    """A pdfplumber table's rows with every merged cell's text repeated across its span (the
    document model's logical cells), so that a column's header reads top-down in every column."""
    rows = [[c or "" for c in r] for r in (t.extract() or [])]
    try:
        xs = [(col.bbox[0], col.bbox[2]) for col in t.columns]
        ys = [(row.bbox[1], row.bbox[3]) for row in t.rows]
        origin = {}
        for r, row in enumerate(t.rows):
            for c, box in enumerate(row.cells):
                if box is not None:
                    origin[tuple(box)] = (r, c)
        boxes = list(origin)
    except (AttributeError, TypeError, IndexError):
        return rows
    if len(ys) != len(rows) or any(len(r) != len(xs) for r in rows):
        return rows
    for r, row in enumerate(t.rows):
        for c, box in enumerate(row.cells):
            if box is not None:
                continue
            cx, cy = (xs[c][0] + xs[c][1]) / 2, (ys[r][0] + ys[r][1]) / 2
            inside = [bx for bx in boxes if bx[0] <= cx <= bx[2] and bx[1] <= cy <= bx[3]]
            if inside:
                r0, c0 = origin[min(inside, key=lambda bx: (bx[2] - bx[0]) * (bx[3] - bx[1]))]
                rows[r][c] = rows[r0][c0]
    return rows


def _pdf_table(
    b: DocumentBuilder, rows: list[list[str]], page: int, unit: str | None, last_piece: int | None
) -> None:
    """A table that goes on over a page break comes back as two: join them (a repeated header
    is dropped). A table continues its predecessor when nothing came between them, the previous
    piece ended on the page before, it has as many columns and no unit banner of its own."""
    from .document import Paragraph, Table

    rows = [[(c or "").replace("\n", "") for c in r] for r in rows]
    # a title repeated over the continued table (表3 / 支出总表) is no paragraph of its own
    k = len(b.doc.blocks)
    while (
        k
        and isinstance(b.doc.blocks[k - 1], Paragraph)
        and len(b.doc.blocks[k - 1].text) <= 40
        and b.doc.blocks[k - 1].page == page
    ):
        k -= 1
    last = b.doc.blocks[k - 1] if k else None
    between = [x.text for x in b.doc.blocks[k:]]
    if (
        k < len(b.doc.blocks)
        and isinstance(last, Table)
        and rows
        and len(rows[0]) == len(last.rows[0])
        and last_piece is not None
        and page == last_piece + 1
        and tuple(c.strip() for c in rows[0]) == last.rows[0]
        and set(between) <= _titles_before(b.doc.blocks, k - 1)
    ):
        del b.doc.blocks[k:]
        b._np = sum(isinstance(x, Paragraph) for x in b.doc.blocks)
    last = b.doc.blocks[-1] if b.doc.blocks else None
    if unit is None and rows:
        for cell in rows[0][:3]:
            m = _UNIT.search(cell or "")
            if m:
                unit = m.group(1)
    if (
        isinstance(last, Table)
        and rows
        and len(rows[0]) == len(last.rows[0])
        and unit in (None, last.unit)
        and last_piece is not None
        and page == last_piece + 1
    ):
        k = 0
        while k < len(rows) and k < len(last.rows) and tuple(c.strip() for c in rows[k]) == last.rows[k]:
            k += 1
        b.doc.blocks.pop()
        b._nt -= 1
        b.table([list(r) for r in last.rows] + rows[k:], last.page, last.unit)
        return
    b.table(rows, page, unit)


def _titles_before(blocks: list, i: int) -> set:
    """The short paragraphs right before the table that ends at block ``i`` (its title)."""
    out = set()
    from .document import Paragraph, Table

    j = i
    while j > 0 and isinstance(blocks[j], Table):
        j -= 1
    while j >= 0 and isinstance(blocks[j], Paragraph) and len(blocks[j].text) <= 40 and len(out) < 4:
        out.add(blocks[j].text)
        j -= 1
    return out


_UNIT = re.compile(r"(?:金额)?单位[:：]\s*(万元|千元|亿元|元)")


def _norm_running(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _running_lines(pages: list) -> set:
    """Lines printed at the same place on most pages (running headers and footers), as their
    text with digits masked: a page number inside them does not make them differ."""
    if len(pages) < 4:
        return set()
    seen: dict = {}
    for height, lines, _t, _n in pages:
        keys = set()
        for ln in lines:
            if ln["top"] < 0.08 * height or ln["bottom"] > 0.92 * height:
                keys.add(_running_key(ln))
        for key in keys:
            seen[key] = seen.get(key, 0) + 1
    return {k for k, n in seen.items() if n >= max(3, len(pages) // 2)}


def _running_key(ln: dict) -> tuple:
    """A header/footer line's key: its height on the page in 8-pt bands, and its text."""
    return int(ln["top"]) // 8, _norm_running(ln["text"])


def _drop_running(lines: list, height: float, running: set) -> list:
    if not running:
        return lines
    out = []
    for ln in lines:
        edge = ln["top"] < 0.08 * height or ln["bottom"] > 0.92 * height
        if edge and _running_key(ln) in running:
            continue
        out.append(ln)
    return out


_PAGE_NO = re.compile(r"^\s*([-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d{1,3})\s*$")
_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}[.、．](?!\d))")


def _starts_heading(line: str) -> bool:
    return bool(_HEADING.match(line))
