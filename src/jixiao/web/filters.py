"""How the pages write numbers, grades and cells (Jinja filters; pure)."""

from __future__ import annotations

import math
from datetime import date, datetime, time
from decimal import Decimal

from ..issues import CLAIM_STATUS_ZH
from ..money import fmt_amount, fmt_count, fmt_rate

COUNT_UNITS = ("人", "个", "家", "项", "次", "份", "辆", "台", "件", "户")
#: one word per audit status, as the CLI and docs/audit.md write them
STATUS_ZH = CLAIM_STATUS_ZH  # one status vocabulary for CLI, web and docs
PENDING = "待评"


def grade_word(grade: str | None) -> str:
    """The grade as every page writes it: 优/良/中/差, or 待评 while scored items are missing."""
    return grade or PENDING


def amount(x) -> str:
    if x is None or x == "":
        return ""
    if isinstance(x, Decimal):
        return fmt_amount(x)
    try:
        return fmt_amount(Decimal(str(x)))
    except Exception:  # noqa: BLE001 - show text as is
        return str(x)


def score(x) -> str:
    """A score: 2 places, or 待评 — never drawn or written as zero."""
    return PENDING if x is None else fmt_amount(x)


def with_unit(value, unit: str) -> str:
    """A figure as the report writes it: 86.76%, 52,878.93万元, 59人."""
    if value is None:
        return "—"
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value))
        except Exception:  # noqa: BLE001 - text stays text
            return str(value)
    if unit == "%":
        return fmt_rate(value)
    if unit in COUNT_UNITS:
        return fmt_count(value) + unit
    return fmt_amount(value) + (unit or "")


def ind_value(ind) -> str:
    if ind is None or not getattr(ind, "computable", True) or ind.value is None:
        return "—"
    return with_unit(ind.value, ind.unit or "")


def evidence_unit(key: str, evidence: dict) -> str:
    """The unit of a finding's evidence figure, from its name (the findings module names them so)."""
    if key in ("目标值", "完成值"):
        return str(evidence.get("单位") or "")
    if "率" in key or key in ("阈值", "满意度"):
        return "%"
    if key.endswith(("人员数", "编制数", "人数")):
        return "人"
    if key.endswith("项目数") or key == "项目数":
        return "个"
    return "万元"


def evidence(key: str, v, ev: dict) -> str:
    """A finding's evidence value, readable, with its unit: 67,285.97万元, 10.00%, 3个."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (Decimal, int)):
        return with_unit(Decimal(v), evidence_unit(key, ev))
    if isinstance(v, dict):  # e.g. 调增项目: {name: amount}
        return "；".join(f"{k}：{evidence(key, x, ev)}" for k, x in v.items())
    if isinstance(v, (list, tuple, set)):
        return "、".join(evidence(key, x, ev) for x in v)
    return str(v)


def cell_value(v) -> str:
    """A workbook cell as Excel shows it (for the cell previews)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):  # as Excel shows it: 19550.0 → 19550, 4701.8 → 4701.8
        # the value goes through Decimal(repr(v)) once; NaN and infinities are shown as Python writes them
        return format(Decimal(repr(v)).normalize(), "f") if math.isfinite(v) else repr(v)
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M") if v.time() != time(0) else v.strftime("%Y-%m-%d")
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def loc_text(loc) -> str:
    """A claim location from the audit: page, paragraph, or table/row/column (1-based for people)."""
    if not loc:
        return ""
    if isinstance(loc, str):
        return loc
    page = f"第{loc['page']}页 " if loc.get("page") else ""
    if loc.get("table") is not None:
        parts = [f"表{int(loc['table']) + 1}"]
        if loc.get("row") is not None:
            parts.append(f"第{int(loc['row']) + 1}行")
        if loc.get("column") is not None:
            parts.append(f"第{int(loc['column']) + 1}列")
        return page + "".join(parts)
    if loc.get("paragraph") is not None:
        return f"{page}第{int(loc['paragraph']) + 1}段"
    return page.strip()


def signed(x) -> str:
    """A change: +3.25 / -1.00."""
    return "—" if x is None else f"{x:+,.2f}"


FILTERS = {
    "amount": amount,
    "score": score,
    "grade_word": grade_word,
    "cell_value": cell_value,
    "signed": signed,
}
