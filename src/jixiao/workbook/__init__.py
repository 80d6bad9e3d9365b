"""The workbook (基础数据表): schema, template, reader and parser.

``load(path)`` is the one entry point the rest of jixiao uses: read the .xlsx (calamine), parse
it into a ``model.Department`` and run every check. It raises ``errors.InputError`` (exit 3)
only when the file cannot be read at all; everything else comes back as located issues.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..issues import Issue, has_errors, sort_key
from ..limits import IssueCollector
from ..model import Department
from .schema import SHEETS, sheet_name_key

_DATA_SHEET_KEYS = {sheet_name_key(s.name) for s in SHEETS}


@dataclass
class LoadResult:
    department: Department | None
    issues: list[Issue] = field(default_factory=list)
    file: str = ""
    #: where each figure sits (sheet titles, columns, fixed rows) — to point at a cell
    layout: object = None

    @property
    def valid(self) -> bool:
        """No error-level issue (warnings and notes allowed)."""
        return self.department is not None and not has_errors(self.issues)


def load(path: str | Path) -> LoadResult:
    """Read, parse and check a workbook. Never modifies the file."""
    from ..checks import check_department
    from .parse import parse_workbook
    from .read import read_workbook

    raw = read_workbook(path, wanted=is_data_sheet)
    res = parse_workbook(raw)
    collected = res.issues if isinstance(res.issues, IssueCollector) else IssueCollector(res.issues)
    if res.department is not None:
        collected.extend(check_department(res.department, res.layout))
    issues = _without_echoes(collected.finish())  # at most limits.MAX_ISSUES_PER_CODE per code
    issues = _adjustment_column(issues, res.layout, str(path))
    issues.sort(key=sort_key)
    return LoadResult(res.department, issues, str(path), res.layout)


def is_data_sheet(title: str) -> bool:
    """A sheet whose cells the parser reads (by normalised name)."""
    from . import schema

    return schema.sheet_name_key(title) in _DATA_SHEET_KEYS


def _column(cell: str | None) -> str:
    return (cell or "").rstrip("0123456789")


def _without_echoes(issues: list[Issue]) -> list[Issue]:
    """Drop reconciliation issues that only echo an unreadable cell.

    When a cell cannot be read (text in an amount cell, a formula without a value) it is
    reported at that cell; a sum over the same column of the same sheet would then differ
    merely because that value is missing, so that second report is left out.
    """
    bad = {
        (i.location.sheet, _column(i.location.cell))
        for i in issues
        if i.severity == "error" and i.code.startswith("E-CELL-") and i.location.cell
    }
    if not bad:
        return issues
    return [
        i
        for i in issues
        if i.code not in _reconciliation() or (i.location.sheet, _column(i.location.cell)) not in bad
    ]


def _reconciliation() -> frozenset[str]:
    """The reconciliation (勾稽) codes, as checks/codes.py groups them."""
    from ..checks.codes import RECONCILIATION

    return RECONCILIATION


def _adjustment_column(issues: list[Issue], layout, file: str) -> list[Issue]:
    """A sheet whose 预算调整 column is missing (or its header merged into another) fails
    年初预算 + 预算调整 = 全年预算 on every adjusted row: one located missing-column error replaces
    those misleading row errors. A sheet that balances without the column is left alone."""
    if layout is None:
        return issues
    from ..checks import codes as C
    from ..issues import Location, make

    lacking = {
        layout.titles.get(name, name): name
        for name, cols in layout.columns.items()
        if "adjustment" not in cols and {"initial", "full_year"} <= set(cols)
    }
    rows: dict[str, list[Issue]] = {}
    for i in issues:
        if i.code == "E-BUDGET-ROW" and i.location.sheet in lacking:
            rows.setdefault(i.location.sheet, []).append(i)
    if not rows:
        return issues
    out = [i for i in issues if not (i.code == "E-BUDGET-ROW" and i.location.sheet in rows)]
    for title, errs in rows.items():
        where = "、".join(e.location.describe() for e in errs[:3])
        out.append(
            make(
                C.COLUMN_MISSING,
                f"工作表“{title}”缺少“预算调整”列（或该列标题被合并、改动），{len(errs)} 行的全年预算"
                f"不等于年初预算（如 {where}），无法核对“年初预算 + 预算调整 = 全年预算”。",
                Location(file=file, sheet=title),
                "请从模板中复制“预算调整”列，列标题单独占一个单元格、与模板一致；没有调整的行填 0。",
            )
        )
    out.sort(key=sort_key)
    return out


__all__ = ["LoadResult", "load"]
