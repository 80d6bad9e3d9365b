"""Every resource limit of jixiao, in one place — the same for the CLI, batch and the web page (the
values and the issue cap live in ``limit_values``; they are re-exported here).

A workbook or document that exceeds a limit is refused with a located Chinese message
(``LimitExceeded``, exit 3) *while it is being streamed*, before memory grows: the zip's member
sizes are checked first, then each sheet's XML is read through a bounded, chunked scanner that
counts bytes, rows and cells; only then does python-calamine (which loads a whole sheet) see it.
Issues are collected up to a cap per code; beyond it one summary issue per code gives the count
and the first locations. docs/limits.md lists the values and the memory they buy.

Public API (the web layer and the readers use these)::

    check_xlsx(path)          # raise LimitExceeded before parsing a workbook (no-op when within)
    check_docx(path)          # the same for a .docx about to be audited
    check_upload_size(n)      # an upload of n bytes
    IssueCollector()          # a list of issues capped per code; .finish() → list with summaries
    cap_issues(issues)        # the same cap applied to a finished list
"""

from __future__ import annotations

import re
import zipfile
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path

from .limit_values import (  # noqa: F401 - the values are re-exported: import limits from here
    ALL,
    CHUNK,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_DATE_SERIAL,
    MAX_DOCX_XML_BYTES,
    MAX_GRID_CELLS,
    MAX_ISSUES_PER_CODE,
    MAX_OTHER_PART_BYTES,
    MAX_ROWS,
    MAX_SHARED_STRINGS_BYTES,
    MAX_SHEET_XML_BYTES,
    MAX_TEXT_BYTES,
    MAX_TOTAL_ROWS,
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_ZIP_ENTRIES,
    PEAK_MEMORY_BUDGET_BYTES,
    SUMMARY_LOCATIONS,
    IssueCollector,
    LimitExceeded,
    MiB,
    _mb,
    cap_issues,
)


# -- zip members ---------------------------------------------------------------------------------
def _member_limit(name: str) -> int:
    if name.startswith("xl/worksheets/") and name.endswith(".xml"):
        return MAX_SHEET_XML_BYTES
    if name == "xl/sharedStrings.xml":
        return MAX_SHARED_STRINGS_BYTES
    if name.startswith("word/") and name.endswith(".xml"):
        return MAX_DOCX_XML_BYTES
    if name.startswith(("xl/media/", "word/media/")):
        return MAX_UNPACKED_BYTES  # pictures are never read; only the total counts
    return MAX_OTHER_PART_BYTES


def _part(name: str, titles: dict[str, str] | None) -> str:
    t = (titles or {}).get(name)
    if t:
        return f"工作表“{t}”（{name}）"
    return "Word 正文（word/document.xml）" if name == "word/document.xml" else f"部件 {name} "


def check_members(zf: zipfile.ZipFile, label: str, titles: dict[str, str] | None = None) -> None:
    """Refuse a zip whose declared part sizes exceed the limits (read from the directory: no
    decompression). The streaming readers below also count real bytes, as a header may lie.
    ``titles`` names the sheet of a part (part name → sheet title) in the message."""
    total = 0
    for info in zf.infolist():
        total += info.file_size
        lim = _member_limit(info.filename)
        if info.file_size > lim:
            raise LimitExceeded(
                f"文件 {label} 中的{_part(info.filename, titles)}解压后有 {_mb(info.file_size)}，"
                f"超过上限 {_mb(lim)}，已拒绝读取。",
                _HINT_SIZE,
            )
    if total > MAX_UNPACKED_BYTES:
        raise LimitExceeded(
            f"文件 {label} 解压后共有 {_mb(total)}，超过上限 {_mb(MAX_UNPACKED_BYTES)}，已拒绝读取。",
            _HINT_SIZE,
        )


_HINT_SIZE = (
    "基础数据表通常只有几百 KB；请删除多余的行、列和工作表（或在 Excel/WPS 中“另存为”新文件）后再试。"
    "各项上限见 docs/limits.md。"
)


def zip_entries(data: bytes | str | Path) -> int | None:
    """The number of entries a zip's end record declares (read from its last 64 KB, before any
    zip reader builds its directory); None when there is no end record (not a zip)."""
    if isinstance(data, bytes | bytearray):
        tail, size = bytes(data[-(65536 + 22) :]), len(data)
    else:
        with open(data, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 65536 - 22))
            tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    n = int.from_bytes(tail[at + 10 : at + 12], "little")
    if n == 0xFFFF and at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":  # zip64: its own end record
        off = int.from_bytes(tail[at - 12 : at - 4], "little") - (size - len(tail))
        if 0 <= off and tail[off : off + 4] == b"PK\x06\x06":
            n = int.from_bytes(tail[off + 32 : off + 40], "little")
    return n


def check_zip_entries(data: bytes | str | Path, label: str) -> None:
    """Refuse a zip declaring more than MAX_ZIP_ENTRIES entries (before its directory is read)."""
    n = zip_entries(data)
    if n is not None and n > MAX_ZIP_ENTRIES:
        raise LimitExceeded(
            f"文件 {label} 中有 {n:,} 个部件，超过上限 {MAX_ZIP_ENTRIES:,} 个，已拒绝读取。", _HINT_SIZE
        )


def iter_member(
    zf: zipfile.ZipFile, name: str, label: str, limit: int | None = None, title: str | None = None
) -> Iterator[bytes]:
    """A zip member in chunks of CHUNK bytes, refusing it once more than ``limit`` bytes came
    out (whatever its header declared)."""
    limit = _member_limit(name) if limit is None else limit
    seen = 0
    with zf.open(name) as f:
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                return
            seen += len(chunk)
            if seen > limit:
                raise LimitExceeded(
                    f"文件 {label} 中的{_part(name, {name: title} if title else None)}解压后"
                    f"超过上限 {_mb(limit)}，已拒绝读取。",
                    _HINT_SIZE,
                )
            yield chunk


# -- sheet scanning ------------------------------------------------------------------------------
#: a row start tag, or a cell element (attributes, then the body; no body when self-closing). The
#: body is matched without backtracking past the next cell tag, so a broken cell costs little.
_ROW_OR_CELL = re.compile(
    rb"<(?:\w+:)?row\b(?P<row>[^>]*?)/?>"
    rb"|<(?:\w+:)?c\b(?P<attrs>[^>]*?)(?:/>|>(?P<body>[^<]*(?:<(?!/?(?:\w+:)?c[\s>/])[^<]*)*)</(?:\w+:)?c>)"
)
_ANY_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_ANY_CELL_R = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="[A-Z]')
_VALUE_CELL_R = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})(\d{1,7})"[^>]*(?<!/)>')
_SHARED_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\bt="s"[^>]*>\s*<(?:\w+:)?v>(\d{1,9})</')
_SI = re.compile(rb"<(?:\w+:)?si\b.*?</(?:\w+:)?si>", re.S)
_SI_START = re.compile(rb"<(?:\w+:)?si[\s>]")
_START = re.compile(rb"<(?:\w+:)?(?:c|row)[\s>/]")
_R_ATTR = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_RN_ATTR = re.compile(rb'\br="(\d{1,7})"')
_HAS_VALUE = re.compile(rb"<(?:\w+:)?(?:v|t)\b")
#: carried between chunks at most (one cell or row start split by a chunk boundary)
_MAX_CARRY = 4 * MiB


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _col_letter(col: int) -> str:
    s = ""
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


def _date_cell_re(styles: frozenset[int]) -> re.Pattern | None:
    """Cells of the given style indexes holding a <v> value: (attributes, value)."""
    if not styles:
        return None
    alt = "|".join(str(s) for s in sorted(styles))
    return re.compile(
        rb'<(?:\w+:)?c\s([^>]*?\bs="(?:' + alt.encode() + rb')"[^>]*)>\s*(?:<(?:\w+:)?f\b[^>]*'
        rb"(?:/>|>[^<]*</(?:\w+:)?f>)\s*)?<(?:\w+:)?v>([^<]*)</"
    )


#: built-in number formats that are dates, times or durations (ECMA-376 18.8.30, and the CJK ones)
_DATE_FMT_IDS = frozenset({*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)})
_QUOTED = re.compile(r'"[^"]*"|\\.|\[(?![hms]+\])[^\]]*\]', re.I)


def _is_date_format(code: str) -> bool:
    """A custom number format shows a date or time when, outside quotes, escapes and [colour]
    sections, it has y, m, d, h or s (or an elapsed [h]/[m]/[s])."""
    bare = _QUOTED.sub("", code).lower()
    return any(ch in bare for ch in "ymdhs") and "general" not in bare


def date_styles(zf: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell styles (cellXfs) whose number format is a date, time or duration."""
    if "xl/styles.xml" not in zf.namelist():
        return frozenset()
    xml = b"".join(iter_member(zf, "xl/styles.xml", "styles"))
    custom = {
        int(i): _xml_text(c)
        for i, c in re.findall(rb'<(?:\w+:)?numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"', xml)
    }
    m = re.search(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", xml, re.S)
    out = set()
    for n, xf in enumerate(re.findall(rb"<(?:\w+:)?xf\b([^>]*)", m.group(0) if m else b"")):
        f = re.search(rb'numFmtId="(\d+)"', xf)
        fid = int(f.group(1)) if f else 0
        if fid in _DATE_FMT_IDS or (fid in custom and _is_date_format(custom[fid])):
            out.add(n)
    return frozenset(out)


def _xml_text(b: bytes) -> str:
    return (
        b.decode("utf-8", "replace")
        .replace("&quot;", '"')
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _last_start(buf: bytes) -> int | None:
    """Offset of the last row/cell start tag in ``buf``: everything before it is complete."""
    i = len(buf)
    while True:
        i = buf.rfind(b"<", 0, i)
        if i < 0:
            return None
        if _START.match(buf, i):
            return i


class SheetScan:
    """What the streaming scanner learnt about one sheet: its extent and the cells holding a value.

    ``on_cell(attrs, body, row, col)`` (optional) sees every cell with a formula (``<f``) or an
    error value (``t="e"``), e.g. to find formulas without a cached value."""

    def __init__(
        self,
        title: str,
        label: str,
        cells_before: int = 0,
        on_cell=None,
        shared: array | None = None,
        text_before: int = 0,
        grid_before: int = 0,
        date_styles: frozenset[int] = frozenset(),
        rows_before: int = 0,
    ):
        self.rows_before = rows_before  # last rows of the sheets scanned before this one, summed
        #: cells of these styles (date/time formats) holding a number: checked against MAX_DATE_SERIAL
        self.date_cell = _date_cell_re(date_styles)
        self.grid_before = grid_before  # grid cells of the sheets scanned before this one
        self.shared = shared  # byte size of each shared string (by index)
        self.text = 0  # bytes of shared text this sheet's cells show
        self.text_before = text_before
        self.title = title
        self.label = label
        self.max_row = 0
        self.max_col = 0
        self.cells = 0  # cells holding a value
        self.cells_before = cells_before
        self.on_cell = on_cell
        self._row = 0  # current row (a row without r= follows the previous one)
        self._col = 0

    def _where(self, row: int, col: int) -> str:
        return f"工作表“{self.title}”的 {_col_letter(col)}{row} 单元格"

    def scan(self, chunks: Iterable[bytes]) -> SheetScan:
        buf = b""
        for chunk in chunks:
            buf = buf + chunk if buf else chunk
            cut = _last_start(buf)
            if not cut:  # None, or the only start tag is at 0: wait for more
                if len(buf) > _MAX_CARRY:
                    if cut is None:
                        buf = buf[-64:]  # whitespace or content between cells: nothing to keep
                    else:
                        raise LimitExceeded(
                            f"文件 {self.label} 的工作表“{self.title}”中有一个单元格或行超过 {_mb(_MAX_CARRY)}，"
                            "已拒绝读取。",
                            _HINT_SIZE,
                        )
                continue
            self._consume(buf[:cut])
            buf = buf[cut:]
        self._consume(buf)
        return self

    def _consume(self, data: bytes) -> None:
        """Count the cells of complete elements in ``data``: all in C (regex findall) when every
        cell has its r= reference and none has a formula or an error value; cell by cell else."""
        if self.date_cell is not None and b"<v>" in data:
            for attrs, v in self.date_cell.findall(data):
                if b" t=" in attrs and b't="n"' not in attrs:
                    continue
                try:
                    x = float(v)  # float-ok: a date serial's range check, never an amount
                except ValueError:
                    continue
                if not -MAX_DATE_SERIAL <= x <= MAX_DATE_SERIAL + 1:  # NaN fails both
                    ref = _R_ATTR.search(attrs)
                    where = (
                        f"{self._where(int(ref.group(2)), _col_index(ref.group(1)))}"
                        if ref
                        else f"工作表“{self.title}”中的一个单元格"
                    )
                    raise LimitExceeded(
                        f"{where}设置为日期/时间格式，但其中的数值 {v.decode('ascii', 'replace')} 超出日期范围"
                        "（1900-01-01 至 9999-12-31），无法读取。",
                        "请把该单元格的格式改为“常规”或“数值”，或填写正确的日期。",
                    )
        if self.shared and b't="s"' in data:
            sizes, n = self.shared, len(self.shared)
            self.text += sum(sizes[i] for i in map(int, _SHARED_REF.findall(data)) if i < n)
            if self.text + self.text_before > MAX_TEXT_BYTES:
                raise LimitExceeded(
                    f"文件 {self.label} 的工作表“{self.title}”中的单元格共显示超过 {_mb(MAX_TEXT_BYTES)} 的文字"
                    "（同一段长文字被大量单元格引用），已拒绝读取。",
                    "请删除重复填写的长文字，再试。各项上限见 docs/limits.md。",
                )
        if b"<f" in data or b't="e"' in data:
            return self._consume_slow(data)
        if len(_ANY_CELL.findall(data)) != len(_ANY_CELL_R.findall(data)):
            return self._consume_slow(data)
        refs = _VALUE_CELL_R.findall(data)
        if not refs:
            return None
        rows = [int(r) for _, r in refs]
        top = max(rows)
        letters = max({c for c, _ in refs}, key=lambda c: (len(c), c))
        right = _col_index(letters)
        if (
            top > self.max_row
            or right > self.max_col
            or self.cells + len(refs) + self.cells_before > MAX_CELLS
        ):
            if (
                top > MAX_ROWS
                or top + self.rows_before > MAX_TOTAL_ROWS
                or right > MAX_COLUMNS
                or max(top, self.max_row) * max(right, self.max_col) + self.grid_before > MAX_GRID_CELLS
                or self.cells + len(refs) + self.cells_before > MAX_CELLS
            ):
                return self._consume_slow(data)  # find the first offending cell, and say where
            self.max_row, self.max_col = max(top, self.max_row), max(right, self.max_col)
        self.cells += len(refs)
        last = data.rfind(b"<row")
        if last >= 0:
            r = _RN_ATTR.search(data, last, data.find(b">", last) + 1 or len(data))
            if r:
                self._row = int(r.group(1))
        return None

    def _consume_slow(self, data: bytes) -> None:
        for m in _ROW_OR_CELL.finditer(data):
            row_attrs = m.group("row")
            if row_attrs is not None:
                r = _RN_ATTR.search(row_attrs)
                self._row = int(r.group(1)) if r else self._row + 1
                self._col = 0
                continue
            attrs, body = m.group("attrs"), m.group("body")
            ref = _R_ATTR.search(attrs)
            if ref:
                col, row = _col_index(ref.group(1)), int(ref.group(2))
            else:
                col, row = self._col + 1, max(self._row, 1)
            self._col = col
            if body:
                if _HAS_VALUE.search(body):
                    self._count(row, col)
                if self.on_cell is not None and (b"<f" in body or b't="e"' in attrs):
                    self.on_cell(attrs, body, row, col)

    def _count(self, row: int, col: int) -> None:
        self.cells += 1
        if row > self.max_row:
            self.max_row = row
            if row > MAX_ROWS:
                raise LimitExceeded(
                    f"{self._where(row, col)}有内容，超出可读取的行数上限（{MAX_ROWS:,} 行）。",
                    "请删除表格下方多余的行（含看不见的内容），再试。各项上限见 docs/limits.md。",
                )
            if row + self.rows_before > MAX_TOTAL_ROWS:
                raise LimitExceeded(
                    f"{self._where(row, col)}有内容：各工作表的行数合计超过上限（{MAX_TOTAL_ROWS:,} 行）。",
                    "请删除各表下方多余的行（含看不见的内容），或把数据分成几个工作簿。"
                    "各项上限见 docs/limits.md。",
                )
        if col > self.max_col:
            self.max_col = col
            if col > MAX_COLUMNS:
                raise LimitExceeded(
                    f"{self._where(row, col)}有内容，超出可读取的列数上限（{MAX_COLUMNS} 列）。",
                    "请删除表格右侧多余的列（含看不见的内容），再试。各项上限见 docs/limits.md。",
                )
        if self.max_row * self.max_col + self.grid_before > MAX_GRID_CELLS:
            raise LimitExceeded(
                f"工作表“{self.title}”的数据区域（A1:{_col_letter(self.max_col)}{self.max_row}）"
                f"{'连同前面各表的数据区域' if self.grid_before else ''}超过 "
                f"{MAX_GRID_CELLS:,} 个单元格的上限，读到{self._where(row, col)}时已拒绝。",
                "请删除表格下方和右侧多余的行、列（含看不见的内容），再试。各项上限见 docs/limits.md。",
            )
        if self.cells + self.cells_before > MAX_CELLS:
            raise LimitExceeded(
                f"文件 {self.label} 中有内容的单元格超过 {MAX_CELLS:,} 个的上限，"
                f"读到{self._where(row, col)}时已拒绝。",
                "基础数据表通常只有几千个单元格；请删除多余的内容后再试。各项上限见 docs/limits.md。",
            )


def scan_sheet(
    zf: zipfile.ZipFile,
    part: str,
    title: str,
    label: str,
    *,
    cells_before: int = 0,
    on_cell=None,
    shared: array | None = None,
    text_before: int = 0,
    grid_before: int = 0,
    date_styles: frozenset[int] = frozenset(),
    rows_before: int = 0,
) -> SheetScan:
    """Stream one sheet's XML, refusing it (LimitExceeded) past a byte, row, column, grid, cell
    or text limit; returns its extent."""
    return SheetScan(
        title, label, cells_before, on_cell, shared, text_before, grid_before, date_styles, rows_before
    ).scan(iter_member(zf, part, label, title=title))


def shared_string_sizes(zf: zipfile.ZipFile, label: str) -> array:
    """The byte size of every shared string (streamed, within MAX_SHARED_STRINGS_BYTES): what a
    cell showing it costs the reader."""
    sizes = array("I")
    name = "xl/sharedStrings.xml"
    if name not in zf.namelist():
        return sizes
    buf = b""
    for chunk in iter_member(zf, name, label):
        buf = buf + chunk if buf else chunk
        end = buf.rfind(b"<")
        while end > 0 and not _SI_START.match(buf, end):
            end = buf.rfind(b"<", 0, end)
        if end <= 0:
            continue
        sizes.extend(len(m.group()) for m in _SI.finditer(buf, 0, end))
        buf = buf[end:]
    sizes.extend(len(m.group()) for m in _SI.finditer(buf))
    return sizes


def check_xlsx(path: str | Path, sheets: Iterable[tuple[str, str]] | None = None) -> int:
    """Check a workbook against the limits before parsing it: the zip directory, then every
    sheet's XML streamed (or only ``sheets``: (title, part name) pairs). Returns the cells holding
    a value; raises LimitExceeded (exit 3, located) or lets zipfile errors through."""
    p = Path(path)
    check_zip_entries(p, p.name)
    with zipfile.ZipFile(p) as zf:
        if sheets is not None:
            sheets = list(sheets)
        check_members(zf, p.name, {part: title for title, part in sheets or ()})
        if sheets is None:
            sheets = [(n, n) for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        shared, dates = shared_string_sizes(zf, p.name), date_styles(zf)
        total = text = grid = rows = 0
        for title, part in sheets:
            scan = scan_sheet(
                zf,
                part,
                title,
                p.name,
                cells_before=total,
                shared=shared,
                text_before=text,
                grid_before=grid,
                date_styles=dates,
                rows_before=rows,
            )
            total, text, grid = total + scan.cells, text + scan.text, grid + scan.max_row * scan.max_col
            rows += scan.max_row
    return total


def check_docx(path: str | Path) -> None:
    """Refuse a .docx whose parts are too large to read (before any XML is parsed)."""
    p = Path(path)
    check_zip_entries(p, p.name)
    with zipfile.ZipFile(p) as zf:
        check_members(zf, p.name)


def check_upload_size(n: int) -> None:
    if n > MAX_UPLOAD_BYTES:
        raise LimitExceeded(
            f"上传的文件有 {_mb(n)}，超过上限 {_mb(MAX_UPLOAD_BYTES)}。",
            "基础数据表通常只有几百 KB；请确认选择的是正确的文件。",
        )
