"""Issues are data: a stable code, a severity, a Chinese message, a location and a hint.

Every check *returns* issues instead of raising, so one run reports everything at once.
The registry of codes lives in ``CODES``; ``docs/issues.md`` documents each code and a test
keeps the two in step.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Location:
    """Where an issue is: file, sheet, cell ('D7'), Excel row number and a row key (project name)."""

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    key: str | None = None

    def describe(self) -> str:
        """'公共项目!F7（科技重大专项）' — the way a finance officer reads a location."""
        parts = []
        if self.sheet:
            parts.append(self.sheet + (f"!{self.cell}" if self.cell else (f" 第{self.row}行" if self.row else "")))
        if self.key:
            parts.append(f"（{self.key}）")
        return "".join(parts) or (self.file or "")

    def to_dict(self) -> dict:
        return asdict(self)


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


#: code → (severity, title). Codes are stable: scripts and tests rely on them.
#: E-… error, W-… warning, I-… info. Modules register their codes here (one place, documented
#: in docs/issues.md).
CODES: dict[str, tuple[Severity, str]] = {}


def register(code: str, severity: Severity, title: str) -> str:
    if code in CODES and CODES[code] != (severity, title):
        raise ValueError(f"issue code {code} registered twice with different meaning")
    CODES[code] = (severity, title)
    return code


def make(code: str, message: str, location: Location | None = None, hint: str = "",
         severity: Severity | None = None) -> Issue:
    """Build an Issue of a registered code (severity from the registry unless overridden)."""
    if code not in CODES:
        raise KeyError(f"unregistered issue code {code}")
    return Issue(code, severity or CODES[code][0], message, location or Location(), hint)


def summarize(issues: list[Issue]) -> dict:
    c = Counter(i.severity for i in issues)
    return {"error": c.get("error", 0), "warning": c.get("warning", 0), "info": c.get("info", 0),
            "total": len(issues)}


def has_errors(issues: list[Issue]) -> bool:
    return any(i.severity == "error" for i in issues)


def flatten(issues: list[Issue], keys: tuple[str, ...] = ("code", "sheet", "cell")) -> list[tuple]:
    """One tuple per issue with the chosen fields: makes test assertions one line."""
    out = []
    for i in issues:
        d = {"code": i.code, "severity": i.severity, "message": i.message, "hint": i.hint,
             **i.location.to_dict()}
        out.append(tuple(d[k] for k in keys))
    return out


def sort_key(i: Issue) -> tuple:
    order = {"error": 0, "warning": 1, "info": 2}
    return (order[i.severity], i.location.sheet or "", i.location.row or 0, i.location.cell or "", i.code)
