"""Pure builders of the page contexts (pages.py) from what the library returned and the cache holds:
the officer's pages here, the reviewer's in review_views, the cache entries in entries (both
re-exported)."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

from markupsafe import Markup

from ..results import Evaluation, Score
from ..safety import safe_filename
from . import charts
from .entries import (  # noqa: F401 - re-exported: the routes use them as views.X
    GRADE_COLORS,
    GRADES,
    STATUS_ORDER,
    Audited,
    Checked,
    Evaluated,
    Ranked,
    RankedItem,
    SelfReviewed,
)
from .filters import evidence, grade_word, ind_value, with_unit
from .pages import (
    CheckPage,
    Choice,
    Download,
    FindingRow,
    FrameworkDoc,
    FrameworkItem,
    IndicatorRow,
    IssueSummary,
    Preview,
    ProjectScoreRow,
    ResultPage,
    ScoreGroup,
    ScoreRow,
)
from .review_views import (  # noqa: F401 - re-exported: the routes use them as views.X
    YEAR_SPLIT,
    audit_page,
    compare_page,
    competition_rank,
    grade_counts,
    history_page,
    indicator_names,
    parse_years,
    ranking_page,
    self_review_page,
    stored_ranking_page,
    year_row,
)

DOWNLOAD_LABELS = {
    "docx": "Word 报告（.docx）",
    "html": "网页版报告（.html）",
    "xlsx": "Excel 附表（.xlsx）",
    "json": "评价数据（.json）",
}
RULE_ZH = {
    "proportional": "按比例",
    "inverse": "反向比例",
    "bands": "分档",
    "deduct": "扣分",
    "qualitative": "定性评价",
    "manual": "人工评分",
    "kpi": "绩效目标完成情况",
    "not_applicable": "不适用",
    "equal": "等分",
}


# ---- officer ------------------------------------------------------------------------------------
def summarize(issues) -> IssueSummary:
    c = Counter(i.severity for i in issues)
    return IssueSummary(c.get("error", 0), c.get("warning", 0), c.get("info", 0))


def framework_choices(frameworks, selected: str = "") -> tuple[Choice, ...]:
    """The default framework first and named as such (六维度 is the default, not a second choice)."""
    fws = sorted(frameworks, key=lambda f: not f.default)
    return tuple(
        Choice(
            f.id, f.name + ("（默认）" if f.default else ""), f.id == selected or (not selected and f.default)
        )
        for f in fws
    )


def check_page(rid: str, c: Checked) -> CheckPage:
    return CheckPage(rid, c.name, c.unit, summarize(c.issues), c.issues, c.previews)


def _indicator_row(ind) -> IndicatorRow:
    return IndicatorRow(
        getattr(ind, "id", ""),
        ind.name,
        ind_value(ind),
        ind.formula if ind.computable else f"无法计算：{ind.reason}",
        bool(ind.computable),
        getattr(ind, "subject", "") or "",
    )


def _score_rows(items) -> tuple[ScoreRow, ...]:
    return tuple(ScoreRow(it.level2, it.level3, it.weight, it.score, it.status, it.basis) for it in items)


def score_groups(score: Score) -> tuple[ScoreGroup, ...]:
    """Items grouped by 一级指标, with 分值 and the scored part's 得分 (None when all are 待评)."""
    order: dict[str, list] = {}
    for it in score.items:
        order.setdefault(it.level1 or "（未分类）", []).append(it)
    out = []
    for name, items in order.items():
        scored = [it.score for it in items if it.score is not None]
        out.append(
            ScoreGroup(
                name,
                sum((it.weight for it in items if it.status != "not_applicable"), Decimal(0)),
                sum(scored, Decimal(0)) if scored else None,
                sum(1 for it in items if it.status == "pending"),
                _score_rows(items),
            )
        )
    return tuple(out)


def finding_row(f) -> FindingRow:
    ev = dict(f.evidence)
    return FindingRow(
        f.message,
        f.subject,
        tuple((k, evidence(k, v, ev)) for k, v in ev.items() if k != "单位"),
        f.improvement,
        f.severity,
    )


def result_page(rid: str, e: Evaluated) -> ResultPage:
    ev = e.evaluation
    sc = ev.score
    d = ev.department
    downloads = tuple(
        Download(fmt, label, f"/download/{rid}/{fmt}") for fmt, label in DOWNLOAD_LABELS.items()
    )
    return ResultPage(
        id=rid,
        name=e.name,
        unit=d.name or "",
        year=d.year,
        framework=e.framework_label or sc.framework,
        total=sc.total,
        max_total=sc.max_total,
        grade=grade_word(sc.grade),
        pending=tuple(sc.pending),
        provisional_grade=sc.provisional_grade or "",
        summary=summarize(ev.issues),
        issues=tuple(ev.issues),
        indicators=tuple(_indicator_row(ind) for ind in ev.indicators.values()),
        score_groups=score_groups(sc),
        findings=tuple(finding_row(f) for f in ev.findings),
        project_indicators=tuple(_indicator_row(ind) for ind in ev.project_indicators),
        project_scores=tuple(
            ProjectScoreRow(
                ps.project, ps.kind, ps.score.total, grade_word(ps.score.grade), _score_rows(ps.score.items)
            )
            for ps in ev.project_scores
        ),
        downloads=downloads,
        todo=e.todo,
        recorded=e.recorded,
        evaluation=ev,
        charts=result_charts(ev),
    )


def result_charts(ev: Evaluation) -> tuple[Markup, ...]:
    """Scores by 一级指标 (待评 drawn as no bar, never as zero), then 部门项目 and 公共项目 each on its
    own scale (as the Word report splits them), then the spending structure."""
    out = []
    groups = score_groups(ev.score)
    if groups:
        out.append(
            charts.hbars(
                "各一级指标得分（待评的不画柱）",
                [(g.name, [g.weight, g.score]) for g in groups],
                ["分值", "得分"],
                unit="分",
            )
        )
    d = ev.department
    for kind, label, spent in (("department", "部门项目", "决算支出"), ("public", "公共项目", "实际分配")):
        ps = [p for p in d.projects if p.kind == kind and (p.full_year is not None or p.actual is not None)]
        if ps:
            out.append(
                charts.hbars(
                    f"{label}预算与执行（万元）",
                    [(p.name, [p.full_year, p.actual]) for p in ps],
                    ["全年预算", spent],
                    unit="万元",
                )
            )
    sp = getattr(d, "spending", None)
    if sp is not None:
        parts = [
            (b.name, [b.actual])
            for b in (sp.basic, sp.dept_projects, sp.public_projects)
            if b.actual is not None
        ]
        if parts:
            out.append(charts.hbars("支出结构（决算，万元）", parts, ["决算"], unit="万元"))
    return tuple(c for c in out if c)


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


def _cell_at(ref: str) -> tuple[int, int]:
    """'E6' → (4, 5): zero-based column and row of a reference already matched by _CELL."""
    m = _CELL.match(ref)
    if m is None:
        raise ValueError(ref)
    return col_index(m.group(1)), int(m.group(2)) - 1


def cell_previews(path: Path, issues, limit: int = 60, around: int = 2) -> tuple[Preview, ...]:
    """A small grid around each offending cell, as the workbook holds it (first row: headers)."""
    from .filters import cell_value

    wanted: list[tuple[str, str]] = []
    for i in issues:
        loc = i.location
        if (
            loc.sheet
            and loc.cell
            and _CELL.match(loc.cell.upper())
            and (loc.sheet, loc.cell.upper()) not in wanted
        ):
            wanted.append((loc.sheet, loc.cell.upper()))
        if len(wanted) >= limit:
            break
    if not wanted:
        return ()
    try:
        import python_calamine

        wb = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception:  # noqa: BLE001 - the preview is a convenience; the issue table stands alone
        return ()
    try:
        need: dict[str, int] = {}
        for sheet, cell in wanted:  # read each sheet once, only down to the last row shown
            need[sheet] = max(need.get(sheet, 0), _cell_at(cell)[1] + 2)
        sheets: dict[str, list | None] = {}
        out = []
        for sheet, cell in wanted:
            if sheet not in sheets:
                try:
                    sheets[sheet] = wb.get_sheet_by_name(sheet).to_python(
                        skip_empty_area=False, nrows=need[sheet]
                    )
                except Exception:  # noqa: BLE001
                    sheets[sheet] = None
            data = sheets[sheet]
            if data is None:
                continue
            c0, r0 = _cell_at(cell)
            cols = sorted({0, *range(max(0, c0 - around), c0 + around + 1)})  # column A names the row
            rows = []
            for r in sorted({0, *range(max(0, r0 - 1), r0 + 2)}):
                vals = data[r] if r < len(data) else []
                rows.append(
                    (
                        r + 1,
                        tuple(
                            (cell_value(vals[c]) if c < len(vals) else "", r == r0 and c == c0) for c in cols
                        ),
                    )
                )
            out.append(Preview(sheet, cell, tuple(col_letters(c) for c in cols), tuple(rows)))
        return tuple(out)
    finally:
        wb.close()  # release the file at once (Windows cannot delete an open file)


def safe_filename_part(text: str) -> str:
    return safe_filename(text, "", 60)


def frameworks_page_items(fw) -> tuple[FrameworkItem, ...]:
    return tuple(
        FrameworkItem(it.level1, it.level2, it.level3, it.weight, RULE_ZH.get(it.rule, it.rule))
        for it in fw.items
    )


def framework_doc(info, fw) -> FrameworkDoc:
    grades = "、".join(f"{g} ≥ {with_unit(b, '')}" if b else f"{g} 其余" for g, b in fw.grades)
    return FrameworkDoc(
        info.id, info.name, info.description, info.default, fw.total, grades, frameworks_page_items(fw)
    )
