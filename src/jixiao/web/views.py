"""Pure helpers that turn results into what the templates show (filters, groups, previews, ranks)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from markupsafe import Markup

from ..issues import Issue
from ..money import fmt_amount, fmt_count, fmt_rate
from ..safety import safe_filename
from . import charts

COUNT_UNITS = ("人", "个", "家", "项", "次", "份", "辆", "台", "件", "户")
STATUS_ORDER = {"mismatch": 0, "unverifiable": 1, "rounding": 2, "ok": 3}
STATUS_ZH = {"mismatch": "不一致", "unverifiable": "无法核对", "rounding": "尾差", "ok": "正确"}
GRADES = ("优", "良", "中", "差")


# ---- filters ------------------------------------------------------------------------------
def amount(x) -> str:
    if x is None or x == "":
        return ""
    if isinstance(x, Decimal):
        return fmt_amount(x)
    try:
        return fmt_amount(Decimal(str(x)))
    except Exception:  # noqa: BLE001 - show text as is
        return str(x)


def rate(x) -> str:
    if x is None or x == "":
        return ""
    return fmt_rate(x if isinstance(x, Decimal) else Decimal(str(x)))


def ind_value(ind) -> str:
    """An indicator's value as the report writes it: 86.76%, 52,878.93万元, 59人."""
    if ind is None or not getattr(ind, "computable", True) or ind.value is None:
        return "—"
    u = ind.unit or ""
    if u == "%":
        return fmt_rate(ind.value)
    if u in COUNT_UNITS:
        return fmt_count(ind.value) + u
    return fmt_amount(ind.value) + u


def score(x) -> str:
    return "待评" if x is None else fmt_amount(x)


def loc_text(loc) -> str:
    """A claim location from the audit JSON: {"paragraph": n} or {"table","row","column"}."""
    if not loc:
        return ""
    if isinstance(loc, str):
        return loc
    if "table" in loc and loc.get("table") is not None:
        parts = [f"表{int(loc['table']) + 1}"]
        if loc.get("row") is not None:
            parts.append(f"第{int(loc['row']) + 1}行")
        if loc.get("column") is not None:
            parts.append(f"第{int(loc['column']) + 1}列")
        return "".join(parts)
    if loc.get("paragraph") is not None:
        return f"第{int(loc['paragraph']) + 1}段"
    return "，".join(f"{k}={v}" for k, v in loc.items() if v is not None)


def claim_status(s: str) -> str:
    return STATUS_ZH.get(s, s or "")


def cell_value(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):  # as Excel shows it: 19550.0 → 19550, 4701.8 → 4701.8
        return format(Decimal(repr(v)).normalize(), "f") if v == v and abs(v) != float("inf") else repr(v)  # float-ok: NaN/inf display check
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M") if v.time() != time(0) else v.strftime("%Y-%m-%d")
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def cell(v) -> str:
    """A table cell from the library's tables: Decimal with 2 places, None empty, rest as text."""
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return fmt_amount(v)
    return str(v)


def evidence(v) -> str:
    """A finding's evidence value, readable: numbers as written (no Decimal('…')), lists and maps joined."""
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, dict):
        return "；".join(f"{k}：{evidence(x)}" for k, x in v.items())
    if isinstance(v, (list, tuple, set)):
        return "、".join(evidence(x) for x in v)
    return str(v)


FILTERS = {"evidence": evidence, "cell": cell, "amount": amount, "rate": rate, "ind_value": ind_value, "score": score, "loc_text": loc_text,
           "claim_status": claim_status, "cell_value": cell_value}


# ---- officer ------------------------------------------------------------------------------
def summarize(issues: list[Issue]) -> dict:
    c = Counter(i.severity for i in issues)
    return {"error": c.get("error", 0), "warning": c.get("warning", 0), "info": c.get("info", 0),
            "total": len(issues)}


_CELL = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def col_letters(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_previews(path: Path, issues: list[Issue], limit: int = 60, around: int = 2) -> dict:
    """(sheet, cell) → a small grid around each offending cell, as the workbook holds it.

    {"cols": ["B","C",…], "rows": [(row number, [(text, is_target), …]), …]} — what a person
    would see in Excel, so they can find and fix the cell.
    """
    wanted = []
    for i in issues:
        loc = i.location
        if loc.sheet and loc.cell and _CELL.match(loc.cell.upper()) and (loc.sheet, loc.cell) not in wanted:
            wanted.append((loc.sheet, loc.cell.upper()))
        if len(wanted) >= limit:
            break
    if not wanted:
        return {}
    try:
        import python_calamine

        wb = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception:  # noqa: BLE001 - the preview is a convenience; the issue table stands alone
        return {}
    try:
        return _previews(wb, wanted, around)
    finally:
        wb.close()  # release the file at once (Windows cannot delete an open file)


def _previews(wb, wanted: list[tuple[str, str]], around: int) -> dict:
    sheets: dict[str, list | None] = {}
    need_rows: dict[str, int] = {}
    for sheet, cell in wanted:  # read each sheet once, only down to the last row shown
        need_rows[sheet] = max(need_rows.get(sheet, 0), int(_CELL.match(cell).group(2)) + 1)
    out = {}
    for sheet, cell in wanted:
        if sheet not in sheets:
            try:
                sheets[sheet] = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False,
                                                                       nrows=need_rows[sheet])
            except Exception:  # noqa: BLE001
                sheets[sheet] = None
        data = sheets[sheet]
        if data is None:
            continue
        m = _CELL.match(cell)
        c0, r0 = col_index(m.group(1)), int(m.group(2)) - 1
        cols = sorted({0, *range(max(0, c0 - around), c0 + around + 1)})  # column A names the row
        rows = []
        for r in sorted({0, *range(max(0, r0 - 1), r0 + 2)}):  # the first row usually holds headers
            vals = data[r] if r < len(data) else []
            rows.append((r + 1, [(cell_value(vals[c]) if c < len(vals) else "", r == r0 and c == c0)
                                 for c in cols]))
        out[(sheet, cell)] = {"cols": [col_letters(c) for c in cols], "rows": rows}
    return out


def score_groups(score) -> list[dict]:
    """Score items grouped by 一级指标 with subtotals (分值 and 得分 of the scored part)."""
    groups: dict[str, dict] = {}
    for it in score.items:
        g = groups.setdefault(it.level1 or "（未分类）", {"name": it.level1 or "（未分类）", "items": [],
                                                        "weight": Decimal(0), "score": Decimal(0),
                                                        "pending": 0})
        g["items"].append(it)
        if it.status != "not_applicable":
            g["weight"] += it.weight
        if it.score is not None:
            g["score"] += it.score
        elif it.status == "pending":
            g["pending"] += 1
    return list(groups.values())


def result_charts(ev) -> list[Markup]:
    out = []
    groups = score_groups(ev.score)
    if groups:
        out.append(charts.hbars("各一级指标得分", [(g["name"], [g["weight"], g["score"]]) for g in groups],
                                ["分值", "得分"], unit="分"))
    d = ev.department
    projects = [p for p in getattr(d, "projects", []) if p.full_year is not None or p.actual is not None]
    if projects:
        out.append(charts.hbars("项目预算与执行（万元）", [(p.name, [p.full_year, p.actual]) for p in projects],
                                ["全年预算", "决算/实际分配"], unit="万元"))
    sp = getattr(d, "spending", None)
    if sp is not None:
        parts = [(b.name, [b.actual]) for b in (sp.basic, sp.dept_projects, sp.public_projects)
                 if b.actual is not None]
        if parts:
            out.append(charts.hbars("支出结构（决算，万元）", parts, ["决算"], unit="万元"))
    return [c for c in out if c]


def safe_filename_part(text: str) -> str:
    """Unit name for a download name: no path separators or characters Windows refuses."""
    return safe_filename(text, "", 60)


# ---- reviewer -----------------------------------------------------------------------------
def order_claims(claims: list[dict]) -> list[dict]:
    """Mismatches first, then unverifiable, rounding, ok; document order within each."""
    return sorted(claims, key=lambda c: STATUS_ORDER.get(c.get("status"), 1))


def claim_summary(claims: list[dict]) -> dict:
    c = Counter(x.get("status") for x in claims)
    return {k: c.get(k, 0) for k in STATUS_ORDER} | {"total": len(claims)}


def rank(rows: list[dict]) -> list[dict]:
    """Evaluated units by total score, high first (competition ranking 1, 2, 2, 4); units without a
    total next; files that could not be evaluated last."""
    def key(r):
        ev = r.get("ev")
        if ev is None:
            return (2, Decimal(0), r["file"])
        total = ev.score.total
        return (0 if total is not None else 1, -(total or Decimal(0)), ev.department.name or r["file"])

    out = sorted(rows, key=key)
    prev = None
    for i, r in enumerate(out):
        ev = r.get("ev")
        total = ev.score.total if ev is not None else None
        if total is None:
            r["rank"] = None
            continue
        r["rank"] = prev["rank"] if prev is not None and prev["ev"].score.total == total else i + 1
        prev = r
    return out


GRADE_COLORS = {"优": "#2e7d32", "良": "#1565c0", "中": "#ef6c00", "差": "#c62828", "待评": "#9e9e9e",
                "未评价": "#616161"}


def grade_counts(rows: list[dict]) -> list[tuple[str, int]]:
    """优/良/中/差 always, then 待评 and 未评价 when present (as the batch summary shows them)."""
    c = Counter()
    for r in rows:
        ev = r.get("ev")
        c["未评价" if ev is None else (ev.score.grade or "待评")] += 1
    return [(g, c[g]) for g in (*GRADES, "待评", "未评价") if c.get(g) or g in GRADES]


def indicator_columns(rows: list[dict], ids: tuple[str, ...]) -> list[tuple[str, str]]:
    """(id, name) of the key indicators, named as the evaluations name them."""
    names = {}
    for r in rows:
        ev = r.get("ev")
        for k in ids:
            if ev is not None and k in ev.indicators:
                names.setdefault(k, ev.indicators[k].name)
    return [(k, names[k]) for k in ids if k in names]
