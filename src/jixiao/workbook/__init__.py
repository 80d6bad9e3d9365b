"""The workbook (基础数据表): schema, template, reader and parser.

``load(path)`` is the one entry point the rest of jixiao uses: read the .xlsx (calamine), parse
it into a ``model.Department`` and run every check. It raises ``errors.InputError`` (exit 3)
only when the file cannot be read at all; everything else comes back as located issues.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..issues import Issue, has_errors, sort_key
from ..model import Department


@dataclass
class LoadResult:
    department: Department | None
    issues: list[Issue] = field(default_factory=list)
    file: str = ""

    @property
    def valid(self) -> bool:
        """No error-level issue (warnings and notes allowed)."""
        return self.department is not None and not has_errors(self.issues)


def load(path: str | Path) -> LoadResult:
    """Read, parse and check a workbook. Never modifies the file."""
    from ..checks import check_department
    from .parse import parse_workbook
    from .read import read_workbook

    raw = read_workbook(path)
    res = parse_workbook(raw)
    issues = list(res.issues)
    if res.department is not None:
        issues.extend(check_department(res.department, res.layout))
    issues.sort(key=sort_key)
    return LoadResult(res.department, issues, str(path))


__all__ = ["LoadResult", "load"]
