"""Pure checks on a Department: cell-independent rules and reconciliation (勾稽).

``check_department(dept, layout)`` returns every issue at once (checks never raise). The
layout says where each figure sits so an issue names its cell; without one, the template's
layout is assumed.
"""

from __future__ import annotations

from ..issues import Issue, sort_key
from ..model import Department
from . import codes  # noqa: F401 - registers the issue codes


def check_department(dept: Department, layout=None) -> list[Issue]:
    from ..workbook.layout import default_layout
    from . import others, projects, spending

    lay = layout or default_layout(dept.source_file or None)
    out: list[Issue] = []
    for rule in (*others.RULES, *spending.RULES, *projects.RULES):
        out.extend(rule(dept, lay))
    return sorted(out, key=sort_key)
