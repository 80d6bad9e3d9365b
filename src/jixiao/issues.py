"""Issues are data: a stable code, a severity, a Chinese message, a location and a hint.

Every check *returns* issues instead of raising, so one run reports everything at once.
Codes are a registry (``CODES``): each has a severity, a title and, where converted, a message
template and a hint template; ``make(code, location=…, **fields)`` builds the message from the
template. ``docs/issues.md`` documents each code and a test keeps the two in step.

``Location`` is the one typed location of jixiao: a workbook cell (file, sheet, cell, row, key)
or a place in a document (page, paragraph, table, row, column) for audit claims.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal, NamedTuple

Severity = Literal["error", "warning", "info"]

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}

#: the statuses of an audited claim (DESIGN §9), worst first, and the one Chinese word for each —
#: the CLI, the web page and the docs all use these words
CLAIM_STATUSES = ("mismatch", "rounding", "unverifiable", "ok")
CLAIM_STATUS_ZH = {"mismatch": "不符", "rounding": "尾差", "unverifiable": "无法核实", "ok": "无误"}

_SHEET_KEYS = ("file", "sheet", "cell", "row", "key")
_DOCUMENT_KEYS = ("paragraph", "table", "row", "column", "page")


@dataclass(frozen=True)
class Location:
    """Where an issue or a claim is.

    In a workbook: file, sheet, cell ('D7'), Excel row number (from 1) and a row key (project
    name). In a document (audit): page (from 1), paragraph or table, and within a table the row
    and column (from 0, as DESIGN §12 numbers them). ``to_dict`` gives the JSON of each kind; a
    Location also reads like that dict (``loc["row"]``, ``"paragraph" in loc``, ``{**loc}``), so
    code written against the old plain dicts keeps working.
    """

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    key: str | None = None
    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    column: int | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Location:
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})

    @property
    def in_document(self) -> bool:
        return self.paragraph is not None or self.table is not None

    def describe(self) -> str:
        """'公共项目!F7（科技重大专项）' or '第3页 表2 第4行 第5列' — as a reader says it."""
        if self.in_document:
            page = f"第{self.page}页 " if self.page else ""
            if self.paragraph is not None:
                return f"{page}第{self.paragraph + 1}段"
            return f"{page}表{(self.table or 0) + 1} 第{(self.row or 0) + 1}行 第{(self.column or 0) + 1}列"
        parts = []
        if self.sheet:
            parts.append(
                self.sheet + (f"!{self.cell}" if self.cell else (f" 第{self.row}行" if self.row else ""))
            )
        if self.key:
            parts.append(f"（{self.key}）")
        return "".join(parts) or (self.file or "")

    def to_dict(self) -> dict[str, Any]:
        """A workbook location: always its five keys. A document location: only the keys it has
        ({"paragraph", "page"} or {"table", "row", "column", "page"}, plus "file" when set)."""
        if self.in_document:
            d = {k: getattr(self, k) for k in _DOCUMENT_KEYS if getattr(self, k) is not None}
            return d | ({"file": self.file} if self.file else {})
        return {k: getattr(self, k) for k in _SHEET_KEYS} | ({"page": self.page} if self.page else {})

    def with_(self, **changes: Any) -> Location:
        return replace(self, **changes)

    # read like the dict it replaces
    def __getitem__(self, k: str) -> Any:
        d = self.to_dict()
        return d[k]

    def get(self, k: str, default: Any = None) -> Any:
        return self.to_dict().get(k, default)

    def keys(self) -> Iterable[str]:
        return self.to_dict().keys()

    def items(self) -> Iterable[tuple[str, Any]]:
        return self.to_dict().items()

    def __contains__(self, k: object) -> bool:
        return k in self.to_dict()

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_dict())


@dataclass(frozen=True)
class Issue:
    code: str
    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    hint: str = ""

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "location": self.location.to_dict(),
            "hint": self.hint,
        }


class CodeSpec(NamedTuple):
    """A registered code: severity and title (documented in docs/issues.md); the message and hint
    templates (``str.format`` fields) ``make`` fills; a group name (e.g. 'reconciliation')."""

    severity: Severity
    title: str
    template: str = ""
    hint: str = ""
    group: str = ""


#: code → CodeSpec. Codes are stable: scripts and tests rely on them. E-… error, W-… warning,
#: I-… info. Modules register their codes in one place (checks/codes.py), documented in
#: docs/issues.md.
CODES: dict[str, CodeSpec] = {}


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def register(
    code: str, severity: Severity, title: str, *, template: str = "", hint: str = "", group: str = ""
) -> str:
    """Register a code (idempotent for the same meaning). Returns the code, for a module constant."""
    old = CODES.get(code)
    if old is not None and (old.severity, old.title) != (severity, title):
        raise ValueError(f"issue code {code} registered twice with different meaning")
    if not _fields(hint) <= _fields(template) and template:
        raise ValueError(f"issue code {code}: the hint uses fields the message does not have")
    CODES[code] = CodeSpec(
        severity,
        title,
        template or (old.template if old else ""),
        hint or (old.hint if old else ""),
        group or (old.group if old else ""),
    )
    return code


def template(code: str, message: str, hint: str = "") -> str:
    """Give a registered code its message (and hint) template."""
    spec = CODES[code]
    return register(code, spec.severity, spec.title, template=message, hint=hint, group=spec.group)


def group(name: str, *codes: str) -> frozenset[str]:
    """Put codes in a named group; returns the group (e.g. the reconciliation codes)."""
    for c in codes:
        CODES[c] = CODES[c]._replace(group=name)
    return codes_in(name)


def codes_in(name: str) -> frozenset[str]:
    return frozenset(c for c, s in CODES.items() if s.group == name)


def make(
    code: str,
    message: str | None = None,
    location: Location | None = None,
    hint: str | None = None,
    severity: Severity | None = None,
    **fields: Any,
) -> Issue:
    """Build an Issue of a registered code: ``make(C.BUDGET_ROW, location=loc, what=…, …)`` fills
    the code's message and hint templates from ``fields``. Severity comes from the registry
    unless overridden. (A ready ``message`` is still accepted, for checks not yet converted.)"""
    spec = CODES.get(code)
    if spec is None:
        raise KeyError(f"unregistered issue code {code}")
    from_template = message is None
    if message is None:
        if not spec.template:
            raise ValueError(f"issue code {code} has no message template: pass message=")
        message = spec.template.format(**fields)
    if hint is None:
        hint = spec.hint.format(**fields) if from_template and spec.hint else ""
    return Issue(code, severity or spec.severity, message, location or Location(), hint)


def summarize(issues: Iterable[Issue]) -> dict:
    c = Counter(i.severity for i in issues)
    total = sum(c.values())
    return {
        "error": c.get("error", 0),
        "warning": c.get("warning", 0),
        "info": c.get("info", 0),
        "total": total,
    }


def has_errors(issues: Iterable[Issue]) -> bool:
    return any(i.severity == "error" for i in issues)


def flatten(issues: Iterable[Issue], keys: tuple[str, ...] = ("code", "sheet", "cell")) -> list[tuple]:
    """One tuple per issue with the chosen fields: makes test assertions one line."""
    out = []
    for i in issues:
        d = {
            "code": i.code,
            "severity": i.severity,
            "message": i.message,
            "hint": i.hint,
            **{k: getattr(i.location, k) for k in Location.__dataclass_fields__},
        }
        out.append(tuple(d[k] for k in keys))
    return out


def sort_key(i: Issue) -> tuple:
    order = {"error": 0, "warning": 1, "info": 2}
    return (order[i.severity], i.location.sheet or "", i.location.row or 0, i.location.cell or "", i.code)
