"""Review of a submitted self-evaluation (复核): ``review_file(path, workbook=None)`` reads the
submitted 部门整体/项目支出绩效自评表 (an .xlsx in the documented layout, or the tables of a
report .docx/.pdf/.txt), recomputes what can be recomputed and returns a ReviewResult whose
``to_dict()`` is the JSON of ``jixiao review --format json`` (DESIGN §12.1)."""

from __future__ import annotations

from pathlib import Path

from .core import RATE_MARGIN, review_tables, rule_score
from .model import STATUS_ZH, STATUSES, ReviewItem, ReviewResult, SubmittedTable
from .read import parse_grid, read_submitted


def review_file(
    path: str | Path, *, workbook: str | Path | None = None, natures: dict[str, str] | None = None
) -> ReviewResult:
    """Read and review one submitted file (the workbook, when given, is loaded and evaluated for
    the comparison). Raises errors.InputError when a file cannot be read."""
    tables = read_submitted(path)
    dept = inds = None
    if workbook is not None:
        from ..api import check
        from ..indicators import DEFAULT_OPTIONS, compute_all

        res = check(workbook)
        if res.department is not None:
            dept = res.department
            inds = compute_all(dept, DEFAULT_OPTIONS)
    return review_tables(tables, Path(path).name, department=dept, indicators=inds, natures=natures)


__all__ = [
    "review_file",
    "review_tables",
    "read_submitted",
    "parse_grid",
    "rule_score",
    "ReviewResult",
    "ReviewItem",
    "SubmittedTable",
    "STATUSES",
    "STATUS_ZH",
    "RATE_MARGIN",
]
