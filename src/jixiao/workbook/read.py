"""Read an .xlsx into raw cells with python-calamine (I/O edge of the workbook layer).

``read_workbook(path)`` returns a :class:`RawWorkbook`: every sheet's cells as Python values
(str, float, int, bool, date/datetime, or None), addressed by Excel row/column numbers exactly
as Excel shows them. A file that cannot be read at all raises ``errors.InputError`` (exit 3)
with a Chinese message; everything else (bad cells, missing sheets) is left to the parser,
which reports located issues.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import python_calamine as pc

from .. import limits
from ..errors import InputError
from ..safety import safe_text

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HAS_FORMULA = re.compile(rb"<f[ >/]")
#: a cell whose body starts with a formula: groups = the cell's attributes, its cached value
_FORMULA_CELL_RE = re.compile(rb"<c\b([^>]*)>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v>([^<]*)</v>|<v\s*/>)?")
_ERROR_CELL_RE = re.compile(rb'<c\b([^>]*\bt="e"[^>]*)>(.*?)</c>', re.S)
_REF_RE = re.compile(rb'\br="([A-Z]+)(\d+)"')
_V_RE = re.compile(rb"<v>([^<]*)</v>")


@dataclass
class RawSheet:
    title: str  # as in the workbook (spaces kept)
    rows: list[list[object]]  # rows[r-1][c-1] = value of Excel cell (row r, column c)
    hidden: bool = False
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r1, c1, r2, c2), 1-based
    formulas_without_value: set[tuple[int, int]] = field(default_factory=set)  # (row, col), 1-based
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → '#DIV/0!'
    loaded: bool = True  # False: cells not read (a sheet the caller did not want)

    def value(self, row: int, col: int) -> object:
        """Value at Excel row/col (1-based); None when outside the data or empty."""
        if row < 1 or col < 1 or row > len(self.rows):
            return None
        r = self.rows[row - 1]
        if col > len(r):
            return None
        v = r[col - 1]
        return None if v == "" else v

    @property
    def max_row(self) -> int:
        return len(self.rows)


@dataclass
class RawWorkbook:
    path: str
    sheets: list[RawSheet]


def col_letter(col: int) -> str:
    """1 → 'A', 27 → 'AA'."""
    s = ""
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def cell_ref(row: int, col: int) -> str:
    return f"{col_letter(col)}{row}"


def _ole_directory(f) -> bytes:
    """The start of a compound file plus its first directory sectors, where stream names such
    as EncryptionInfo (an encrypted .xlsx) or Workbook (an .xls) are stored in UTF-16."""
    f.seek(0)
    header = f.read(512)
    out = header
    try:
        sector = 1 << int.from_bytes(header[0x1E:0x20], "little")
        first_dir = int.from_bytes(header[0x30:0x34], "little")
        if 7 <= sector.bit_length() <= 17 and first_dir < 0xFFFFFFFA:
            f.seek((first_dir + 1) * sector)
            out += f.read(sector * 4)
    except (OSError, ValueError, OverflowError):
        pass
    f.seek(0)
    return out + f.read(1024 * 1024)


def _sniff(path: Path) -> None:
    """Reject what is not an .xlsx before calamine sees it, with a message a user understands."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(8)
            if head == _OLE_MAGIC:
                blob = _ole_directory(f)
    except FileNotFoundError:
        raise InputError(f"找不到文件：{path}", "请检查路径是否正确。") from None
    except IsADirectoryError:
        raise InputError(f"{path} 是文件夹，不是 .xlsx 文件。") from None
    except PermissionError:
        raise InputError(f"没有权限读取文件：{path}") from None
    except OSError as exc:
        raise InputError(f"无法读取文件 {path}：{exc.strerror or exc}") from None
    if size == 0:
        raise InputError(
            f"文件 {path.name} 是空文件（0 字节），不是有效的 .xlsx 工作簿。", "请重新保存或重新下载该文件。"
        )
    if head == _OLE_MAGIC:
        if "EncryptionInfo".encode("utf-16-le") in blob or "EncryptedPackage".encode("utf-16-le") in blob:
            raise InputError(
                f"文件 {path.name} 设置了打开密码（已加密），无法读取。",
                "请在 Excel/WPS 中取消密码（文件 → 信息 → 保护工作簿）后另存为 .xlsx。",
            )
        raise InputError(
            f"文件 {path.name} 是旧版 Excel 97-2003 格式（.xls），不支持。",
            "请在 Excel/WPS 中“另存为” Excel 工作簿（.xlsx）后再试。",
        )
    if head[:4] != _ZIP_MAGIC:
        raise InputError(
            f"文件 {path.name} 不是 .xlsx 工作簿（文件内容无法识别）。",
            "请确认文件是用 Excel/WPS 保存的 .xlsx 格式。",
        )
    if not zipfile.is_zipfile(path):
        raise InputError(
            f"文件 {path.name} 已损坏或不完整（可能下载或复制时被截断）。", "请重新保存或重新下载该文件。"
        )
    limits.check_zip_entries(path, path.name)
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(f"文件 {path.name} 已损坏或不完整。", "请重新保存或重新下载该文件。") from None
    if "xl/workbook.xml" not in names:
        what = (
            "Word 文档"
            if "word/document.xml" in names
            else "OpenDocument 表格（.ods）"
            if "content.xml" in names
            else "其他压缩文件"
        )
        raise InputError(
            f"文件 {path.name} 不是 Excel 工作簿（看起来是{what}）。",
            "请选择用 Excel/WPS 保存的基础数据表（.xlsx）。",
        )


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → part name inside the zip (xl/worksheets/sheetN.xml)."""
    out: dict[str, str] = {}
    try:
        wb = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return out
    targets = {}
    for m in re.finditer(rb"<Relationship\b([^>]*)/?>", rels):
        attrs = m.group(1)
        rid = re.search(rb'\bId="([^"]+)"', attrs)
        tgt = re.search(rb'\bTarget="([^"]+)"', attrs)
        if rid and tgt:
            targets[rid.group(1)] = tgt.group(1).decode("utf-8")
    for m in re.finditer(rb"<(?:\w+:)?sheet\b([^>]*)/?>", wb):
        attrs = m.group(1)
        name = re.search(rb'\bname="([^"]*)"', attrs)
        rid = re.search(rb'\br:id="([^"]+)"|\b\w+:id="([^"]+)"', attrs)
        if not name or not rid:
            continue
        t = targets.get(rid.group(1) or rid.group(2))
        if not t:
            continue
        part = t.lstrip("/") if t.startswith("/") else str(PurePosixPath("xl") / t)
        title = _xml_unescape(name.group(1).decode("utf-8"))
        out[title] = part
    return out


def _xml_unescape(s: str) -> str:
    return (
        s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _special_cells(
    zf: zipfile.ZipFile, part: str, title: str, label: str, totals: dict[str, object]
) -> tuple[set[tuple[int, int]], dict[tuple[int, int], str]]:
    """Cells calamine shows as empty although they are not: formulas without a cached value (a
    file written by a program and never opened in Excel) and Excel error values (#DIV/0! …).

    The sheet XML is streamed through the bounded scanner of :mod:`jixiao.limits`, which refuses
    the sheet (LimitExceeded, exit 3, located) past its byte, row, column, cell or text limits —
    before calamine, which loads whole sheets, sees it. Returns the special cells; ``totals``
    carries the cells and shared text counted so far over the sheets."""
    formulas: set[tuple[int, int]] = set()
    errors: dict[tuple[int, int], str] = {}

    def on_cell(attrs: bytes, body: bytes, row: int, col: int) -> None:
        if b't="e"' in attrs:
            v = _V_RE.search(body)
            errors[(row, col)] = _xml_unescape(v.group(1).decode("utf-8", "replace")) if v else "#VALUE!"
        elif _HAS_FORMULA.search(body):
            v = _V_RE.search(body)
            if not (v and v.group(1).strip()):
                formulas.add((row, col))

    try:
        scan = limits.scan_sheet(
            zf,
            part,
            title,
            label,
            cells_before=totals["cells"],
            on_cell=on_cell,
            shared=totals["shared"],
            text_before=totals["text"],
            grid_before=totals["grid"],
            date_styles=totals["dates"],
            rows_before=totals["rows"],
        )
    except KeyError:
        return set(), {}
    totals["cells"] += scan.cells
    totals["text"] += scan.text
    totals["grid"] += scan.max_row * scan.max_col
    totals["rows"] += scan.max_row
    return formulas, errors


def _clean_text(rows: list[list[object]]) -> None:
    """Every text cell through ``safety.safe_text`` (escape sequences, control and bidi characters
    removed — Excel's _x000B_ arrives here as a real control character): whatever the parser
    takes from a cell is safe to print, write or use in a file name."""
    for r in rows:
        for i, v in enumerate(r):
            if type(v) is str and v and not v.isprintable():
                r[i] = safe_text(v)


def _prescan(p: Path, wanted: Callable[[str], bool] | None) -> dict[str, tuple[set, dict]]:
    """Check the workbook against the resource limits while streaming it (zip directory, shared
    strings, then each wanted sheet's XML) and collect each sheet's special cells on the way.
    Raises LimitExceeded or InputError; nothing is held but the special cells."""
    out: dict[str, tuple[set, dict]] = {}
    try:
        with zipfile.ZipFile(p) as zf:
            parts = _sheet_parts(zf)
            limits.check_members(zf, p.name, {part: title for title, part in parts.items()})
            names = set(zf.namelist())
            totals = {
                "cells": 0,
                "text": 0,
                "grid": 0,
                "rows": 0,
                "shared": limits.shared_string_sizes(zf, p.name),
                "dates": limits.date_styles(zf),
            }
            mapped = set(parts.values())
            # a sheet part the directory does not name is scanned too: calamine may still load it
            todo = [(t, part) for t, part in parts.items() if wanted is None or wanted(t)]
            todo += [
                (n.rsplit("/", 1)[-1], n)
                for n in sorted(names)
                if n.startswith("xl/worksheets/") and n.endswith(".xml") and n not in mapped
            ]
            for title, part in todo:
                if part not in names:
                    continue
                out[title] = _special_cells(zf, part, title, p.name, totals)
    except InputError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        OSError,
        EOFError,
        KeyError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        raise InputError(
            f"文件 {p.name} 已损坏，无法读取（{type(exc).__name__}）。",
            "请在 Excel/WPS 中打开并另存为 .xlsx 后再试。",
        ) from None
    return out


def read_workbook(path: str | Path, wanted: Callable[[str], bool] | None = None) -> RawWorkbook:
    """Read the sheets of an .xlsx. Raises InputError when the file cannot be read at all.

    ``wanted(title)`` chooses the sheets whose cells are loaded (the others are listed with no
    rows, so a large unrelated sheet costs nothing)."""
    p = Path(path)
    _sniff(p)
    special = _prescan(p, wanted)
    try:
        wb = pc.CalamineWorkbook.from_path(str(p))
    except pc.PasswordError:
        raise InputError(f"文件 {p.name} 设置了密码，无法读取。", "请取消密码后另存为 .xlsx。") from None
    except (pc.ZipError, pc.XmlError, pc.CalamineError, ValueError, OSError) as exc:
        raise InputError(
            f"文件 {p.name} 已损坏，无法读取（{type(exc).__name__}）。",
            "请在 Excel/WPS 中打开并另存为 .xlsx 后再试。",
        ) from None
    sheets: list[RawSheet] = []
    try:
        for meta in wb.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            hidden = meta.visible != pc.SheetVisibleEnum.Visible
            if wanted is not None and not wanted(meta.name):
                sheets.append(RawSheet(title=safe_text(meta.name), rows=[], hidden=hidden, loaded=False))
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            try:
                rows = sheet.to_python(skip_empty_area=False)
            except BaseException as exc:
                if isinstance(exc, KeyboardInterrupt | SystemExit | MemoryError):
                    raise
                raise InputError(
                    f"文件 {p.name} 的工作表“{safe_text(meta.name)}”中有无法读取的单元格"
                    f"（{type(exc).__name__}，多为超出范围的日期/时间值）。",
                    "请检查设置为日期/时间格式的单元格，或在 Excel/WPS 中另存为 .xlsx 后再试。",
                ) from None
            _clean_text(rows)
            merged = [
                (r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])
            ]
            fwv, errs = special.get(meta.name, (set(), {}))
            sheets.append(
                RawSheet(
                    title=safe_text(meta.name),
                    rows=rows,
                    hidden=hidden,
                    merged=merged,
                    formulas_without_value=fwv,
                    errors=errs,
                )
            )
    except InputError:
        raise
    except (
        pc.ZipError,
        pc.XmlError,
        pc.CalamineError,
        zipfile.BadZipFile,
        ValueError,
        OSError,
        EOFError,
        KeyError,
    ) as exc:
        raise InputError(
            f"文件 {p.name} 已损坏，无法读取（{type(exc).__name__}）。",
            "请在 Excel/WPS 中打开并另存为 .xlsx 后再试。",
        ) from None
    finally:
        try:
            wb.close()
        except Exception:  # noqa: BLE001 - closing never matters for the result
            pass
    if not sheets:
        raise InputError(f"文件 {p.name} 中没有任何工作表。")
    return RawWorkbook(path=str(p), sheets=sheets)
