"""The value of every resource limit of jixiao, in one place — the same for the CLI, batch and the
web page — with the error raised past one (``LimitExceeded``) and the per-code issue cap.

The streaming guard that enforces the input limits is ``jixiao.limits``, which re-exports all of
this (import the limits from there). docs/limits.md lists the values and the memory they buy.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .errors import InputError

MiB = 1024 * 1024

# -- input files ---------------------------------------------------------------------------------
#: an uploaded file (web); the CLI and batch read files of any size but apply the limits below
MAX_UPLOAD_BYTES = 20 * MiB
#: the sum of the uncompressed sizes of all parts of an .xlsx/.docx (zip bomb)
MAX_UNPACKED_BYTES = 256 * MiB
#: entries (parts) of an .xlsx/.docx; a real one has tens (every entry costs the zip reader memory)
MAX_ZIP_ENTRIES = 10_000
#: one worksheet's XML, uncompressed (a 50,000-project workbook is ~12 MB)
MAX_SHEET_XML_BYTES = 64 * MiB
#: the shared-strings part (every distinct text of the workbook), uncompressed
MAX_SHARED_STRINGS_BYTES = 64 * MiB
#: any other part of a workbook (styles, workbook.xml, drawings …), uncompressed
MAX_OTHER_PART_BYTES = 32 * MiB
#: rows of one sheet holding a value (the last such row's number)
MAX_ROWS = 200_000
#: rows holding a value, summed over the sheets read (their last rows): what keeps check, evaluate
#: and report within PEAK_MEMORY_BUDGET_BYTES (a report costs ~18 KB per project row; a department
#: with 50,000 projects fits)
MAX_TOTAL_ROWS = 52_000
#: columns of one sheet holding a value (the last such column's number; Excel's own max is 16,384)
MAX_COLUMNS = 256
#: cells of the rectangles A1 … (last row, last column) of the sheets read, summed: what the reader
#: allocates (it holds every sheet it reads at once)
MAX_GRID_CELLS = 4_000_000
#: cells holding a value, summed over the sheets read
MAX_CELLS = 2_000_000
#: text of all cells read, a shared string counted once for every cell showing it (a 100 KB string
#: shown in a million cells is 100 GB to a reader that copies it per cell, as calamine does)
MAX_TEXT_BYTES = 256 * MiB
#: a number in a cell formatted as a date or time must lie within Excel's dates (1900-01-01 …
#: 9999-12-31 is serial 1 … 2,958,465); beyond, readers overflow (and calamine panics)
MAX_DATE_SERIAL = 2_958_465
#: a .docx's word/document.xml (or any one part), uncompressed, for the audit
MAX_DOCX_XML_BYTES = 64 * MiB

# -- collected issues ----------------------------------------------------------------------------
#: issues kept per code; the rest are counted in one summary issue of that code
MAX_ISSUES_PER_CODE = 200
#: locations named in a summary issue
SUMMARY_LOCATIONS = 5

# -- memory ---------------------------------------------------------------------------------------
#: stated peak memory (RSS) of check / evaluate / report for any input within the limits above;
#: benchmarks/bench_memory.py measures it (figures in docs/limits.md)
PEAK_MEMORY_BUDGET_BYTES = 1024 * MiB

#: bytes read from a zip member per step of the streaming scanner
CHUNK = 1 * MiB


class LimitExceeded(InputError):
    """An input beyond a resource limit: refused (exit 3) with where and which limit."""


def _mb(n: int) -> str:
    return f"{n / MiB:,.0f} MB" if n >= MiB else f"{n:,} 字节"


# -- issues ----------------------------------------------------------------------------------------
class IssueCollector(list):
    """A list of issues that keeps at most MAX_ISSUES_PER_CODE of each code. The rest are counted;
    ``finish()`` returns the kept issues plus one summary issue per capped code (its count and
    first locations). Memory stays bounded however many issues a workbook produces."""

    def __init__(self, items: Iterable[Any] = (), cap: int = MAX_ISSUES_PER_CODE):
        super().__init__()
        self.cap = cap
        self.kept: dict[str, int] = {}
        self.dropped: dict[str, int] = {}
        self.first: dict[str, list[Any]] = {}  # code → first kept issues (their locations)
        self.extend(items)

    def append(self, issue: Any) -> None:
        code = issue.code
        n = self.kept.get(code, 0)
        if n >= self.cap:
            self.dropped[code] = self.dropped.get(code, 0) + 1
            return
        self.kept[code] = n + 1
        if n < SUMMARY_LOCATIONS:
            self.first.setdefault(code, []).append(issue)
        super().append(issue)

    def extend(self, issues: Iterable[Any]) -> None:
        for i in issues:
            self.append(i)

    def __iadd__(self, issues):  # type: ignore[misc]  # list's += with the cap applied
        self.extend(issues)
        return self

    def finish(self) -> list:
        from .issues import Issue, Location

        out = list(self)
        for code, extra in self.dropped.items():
            first = self.first[code]
            total = self.kept[code] + extra
            where = "、".join(i.location.describe() for i in first if i.location.describe())
            loc = first[0].location
            out.append(
                Issue(
                    code,
                    first[0].severity,
                    f"同类问题共 {total:,} 个，只列出前 {self.kept[code]} 个；另有 {extra:,} 个未逐一列出"
                    f"（首先出现在：{where or '—'}）。",
                    Location(file=loc.file, sheet=loc.sheet),
                    "请先修正已列出的问题，再重新校验；同一类问题往往有同一个原因（例如整列填错）。",
                )
            )
        return out


def cap_issues(issues: Iterable[Any], cap: int = MAX_ISSUES_PER_CODE) -> list:
    """``issues`` with at most ``cap`` per code plus one summary issue per capped code."""
    if isinstance(issues, IssueCollector):
        return issues.finish()
    return IssueCollector(issues, cap).finish()


#: every limit by name (docs/limits.md lists them; a test keeps the two in step)
ALL = {
    name: value
    for name, value in dict(globals()).items()
    if name.isupper() and name.startswith(("MAX_", "SUMMARY_", "PEAK_")) and isinstance(value, int)
}
