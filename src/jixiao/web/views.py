"""Pure builders of the page contexts (pages.py) from what the library returned and the cache holds."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from markupsafe import Markup

from ..issues import Issue
from ..results import Evaluation, Score
from ..safety import safe_filename
from . import charts
from .filters import STATUS_ZH, evidence, grade_word, ind_value, loc_text, with_unit
from .pages import (
    AuditPage,
    AuditSummary,
    ChangeRow,
    CheckPage,
    Choice,
    ClaimRow,
    ComparePage,
    Download,
    FailedRow,
    FindingRow,
    FrameworkDoc,
    FrameworkItem,
    HistoryPage,
    IndicatorRow,
    IssueSummary,
    Preview,
    ProjectScoreRow,
    RankingPage,
    RankRow,
    ResultPage,
    ReviewRow,
    ScoreGroup,
    ScoreRow,
    SelfReviewPage,
    YearRanking,
    YearRow,
)

STATUS_ORDER = {"mismatch": 0, "unverifiable": 1, "rounding": 2, "ok": 3}
GRADES = ("优", "良", "中", "差")
GRADE_COLORS = {"优": "#2e7d32", "良": "#1565c0", "中": "#ef6c00", "差": "#c62828", "待评": "#9e9e9e"}
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


# ---- what the cache holds ----------------------------------------------------------------------
@dataclass(frozen=True)
class Checked:
    """A workbook with errors: its issues and the cells around them."""

    name: str
    unit: str
    issues: tuple[Issue, ...]
    previews: tuple[Preview, ...]


@dataclass
class Evaluated:
    name: str
    evaluation: Evaluation
    framework_label: str
    recorded: bool
    todo: tuple[str, ...] = ()
    files: dict[str, bytes] = field(default_factory=dict)  # rendered downloads, kept with the result


@dataclass(frozen=True)
class Audited:
    name: str
    claims: tuple[dict, ...]
    kind_names: dict[str, str]


@dataclass(frozen=True)
class SelfReviewed:
    name: str
    workbook: str
    tables: int
    items: tuple[dict, ...]  # ReviewItem.to_dict()
    words: tuple[tuple[str, str], ...]  # (status, Chinese word), worst first


@dataclass(frozen=True)
class RankedItem:
    file: str
    unit: str = ""
    year: int | None = None
    result_id: str = ""  # the unit's result page
    evaluation: Evaluation | None = None
    reason: str = ""  # why it was not evaluated
    check_id: str = ""  # its issue list


@dataclass(frozen=True)
class Ranked:
    framework: str
    items: tuple[RankedItem, ...]
    indicator_ids: tuple[str, ...]
    recorded: bool


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


# ---- reviewer -------------------------------------------------------------------------------------
def _text(d: dict, key: str) -> str:
    v = d.get(key)
    return "" if v is None else str(v)


def audit_page(rid: str, a: Audited) -> AuditPage:
    claims = sorted(a.claims, key=lambda c: STATUS_ORDER.get(_text(c, "status"), 1))
    c = Counter(_text(x, "status") for x in claims)
    s = AuditSummary(len(claims), c["mismatch"], c["rounding"], c["unverifiable"], c["ok"])
    if s.mismatch:
        verdict, text = "bad", f"发现 {s.mismatch} 处计算不符，请逐条核对下表中排在最前的各行。"
    elif s.total == 0:
        verdict, text = "warn", "没有找到可以复核的计算（比率、增减额、合计等），本次审核没有核实任何数字。"
    elif s.ok + s.rounding == 0:
        verdict, text = "warn", "找到的计算都无法核实（缺少参与计算的数字），没有核实任何数字。"
    elif s.unverifiable:
        verdict, text = "warn", "核实的计算均无误，但有部分计算无法核实，请人工核对。"
    else:
        verdict, text = "good", "核实的计算均无误。"
    rows = tuple(
        ClaimRow(
            _text(x, "status"),
            STATUS_ZH.get(_text(x, "status"), _text(x, "status")),
            loc_text(x.get("location")),
            _text(x, "text"),
            _stated(x.get("stated"), x.get("unit")),
            _stated(x.get("computed"), x.get("unit")),
            a.kind_names.get(_text(x, "kind"), _text(x, "kind")),
            "；".join(p for p in (_text(x, "formula"), _text(x, "reason")) if p),
        )
        for x in claims
    )
    return AuditPage(rid, a.name, s, verdict, text, rows)


def self_review_page(rid: str, r: SelfReviewed) -> SelfReviewPage:
    order = {s: i for i, (s, _) in enumerate(r.words)}
    words = dict(r.words)
    items = sorted(r.items, key=lambda x: order.get(_text(x, "status"), len(order)))
    c = Counter(_text(x, "status") for x in items)
    problems = sum(n for s, n in c.items() if s not in ("ok", "unverifiable"))
    checked = c.get("ok", 0) + problems
    if problems:
        verdict, text = "bad", f"发现 {problems} 处问题，排在下表最前。"
    elif not checked:
        verdict, text = "warn", "没有复核任何一项（未找到自评表，或各项都无法复核）。"
    elif c.get("unverifiable"):
        verdict, text = "warn", "复核的各项均无误，但有部分无法复核，请人工核对。"
    else:
        verdict, text = "good", "复核的各项均无误。"
    rows = tuple(
        ReviewRow(
            _text(x, "item"),
            _plain(x.get("claimed")),
            _plain(x.get("recomputed")),
            _text(x, "status"),
            words.get(_text(x, "status"), _text(x, "status")),
            _text(x, "reason"),
            _where(x.get("location") or {}),
        )
        for x in items
    )
    return SelfReviewPage(
        rid,
        r.name,
        r.workbook,
        r.tables,
        tuple((w, c[s]) for s, w in r.words if c.get(s)),
        problems,
        verdict,
        text,
        rows,
    )


def _plain(v) -> str:
    return "" if v is None or v == "" else with_unit(Decimal(str(v)), "")


def _where(loc: dict) -> str:
    if loc.get("sheet"):
        return f"{loc['sheet']}!{loc['cell']}" if loc.get("cell") else str(loc["sheet"])
    return loc_text(loc)


def _stated(v, unit) -> str:
    if v is None or v == "":
        return ""
    return (
        with_unit(Decimal(str(v)), unit or "") if unit in ("%", "万元", "元", "亿元") else f"{v}{unit or ''}"
    )


def competition_rank(totals: list[Decimal | None]) -> list[int | None]:
    """1, 2, 2, 4 for totals already sorted high first; None stays unranked."""
    out: list[int | None] = []
    prev: Decimal | None = None
    for i, t in enumerate(totals):
        if t is None:
            out.append(None)
            continue
        out.append(out[-1] if prev is not None and t == prev and out and out[-1] is not None else i + 1)
        prev = t
    return out


def grade_counts(grades: list[str]) -> tuple[tuple[str, int], ...]:
    c = Counter(grades)
    return tuple((g, c[g]) for g in (*GRADES, "待评") if c.get(g) or g in GRADES)


def ranking_page(rid: str, r: Ranked, names: dict[str, str]) -> RankingPage:
    """One ranking per year (a 2022 unit is never ranked against 2023 ones), high score first."""
    by_year: dict[int | None, list[tuple[RankedItem, Evaluation]]] = {}
    for it in r.items:
        if it.evaluation is not None:
            by_year.setdefault(it.year, []).append((it, it.evaluation))
    years = []
    for year in sorted(by_year, key=lambda y: (y is None, -(y or 0))):
        items = sorted(
            by_year[year], key=lambda p: (p[1].score.total is None, -(p[1].score.total or 0), p[0].unit)
        )
        ranks = competition_rank([ev.score.total for _, ev in items])
        rows = tuple(
            RankRow(
                rank,
                it.unit,
                it.year,
                ev.score.total,
                ev.score.max_total,
                grade_word(ev.score.grade),
                len(ev.score.pending),
                tuple(ind_value(ev.indicators.get(k)) for k in r.indicator_ids),
                len(ev.findings),
                it.file,
                f"/result/{it.result_id}" if it.result_id else "",
            )
            for rank, (it, ev) in zip(ranks, items, strict=True)
        )
        dist = grade_counts([row.grade for row in rows])
        chart = charts.vbars(
            f"{year or '未填年度'}年等级分布（单位数）", list(dist), colors=[GRADE_COLORS[g] for g, _ in dist]
        )
        years.append(YearRanking(year, rows, dist, chart))
    failed = tuple(
        FailedRow(it.file, it.unit, it.reason, f"/check/{it.check_id}" if it.check_id else "")
        for it in r.items
        if it.evaluation is None
    )
    return RankingPage(
        rid,
        r.framework,
        len(r.items),
        tuple(names.get(k, k) for k in r.indicator_ids),
        tuple(years),
        failed,
        r.recorded,
        f"/ranking/{rid}.xlsx",
    )


def stored_ranking_page(
    year: int | None, framework: str, framework_label: str, years, frameworks, rows, names: dict[str, str]
) -> RankingPage:
    """A ranking of what the store holds for one year and one framework (units ranked only against
    units of the same year scored by the same rules)."""
    from urllib.parse import urlencode

    ids = tuple(names)
    rows = sorted(rows, key=lambda r: (r.total is None, -(r.total or 0), r.unit))
    ranks = competition_rank([r.total for r in rows])
    out = tuple(
        RankRow(
            rank,
            r.unit,
            r.year,
            r.total,
            r.max_total,
            grade_word(r.grade),
            r.pending,
            tuple(with_unit(r.indicators.get(k), "%") for k in ids),
            r.findings,
            r.input_name,
            "/history?" + urlencode({"unit": r.unit}),
        )
        for rank, r in zip(ranks, rows, strict=True)
    )
    yrs: tuple[YearRanking, ...] = ()
    if out:
        dist = grade_counts([r.grade for r in out])
        yrs = (
            YearRanking(
                year,
                out,
                dist,
                charts.vbars(
                    f"{year}年等级分布（单位数）", list(dist), colors=[GRADE_COLORS[g] for g, _ in dist]
                ),
            ),
        )
    query = urlencode({"year": year or "", "framework": framework})
    fw_choices = tuple(Choice(fid, label, fid == framework) for fid, label in frameworks)
    return RankingPage(
        "",
        framework_label,
        len(out),
        tuple(names.values()),
        yrs,
        (),
        True,
        f"/ranking.xlsx?{query}" if out else "",
        True,
        tuple(Choice(str(y), f"{y}年", y == year) for y in years),
        fw_choices,
    )


def indicator_names(evaluations, ids: tuple[str, ...]) -> dict[str, str]:
    names: dict[str, str] = {}
    for ev in evaluations:
        for k in ids:
            if k in ev.indicators:
                names.setdefault(k, ev.indicators[k].name)
    return names


def year_row(r, ids: tuple[str, ...]) -> YearRow:
    return YearRow(
        r.unit,
        r.year,
        r.total,
        r.max_total,
        grade_word(r.grade),
        r.pending,
        tuple(with_unit(r.indicators.get(k), "%") for k in ids),
        r.findings,
    )


def history_page(store: str, unit: str, units, rows, names: dict[str, str], message: str = "") -> HistoryPage:
    from ..batch.render import line_svg

    ids = tuple(names)
    years = sorted({r.year for r in rows})
    shown = sorted({r.unit for r in rows})
    chart = Markup("")
    if rows and len(shown) <= 12 and len(years) > 1:
        by = {(r.unit, r.year): r.total for r in rows}
        chart = charts.readable(
            line_svg(
                "总分趋势（待评的年度不画点）", years, [(u, [by.get((u, y)) for y in years]) for u in shown]
            )
        )
    return HistoryPage(
        store,
        unit,
        tuple(units),
        tuple(names.values()),
        tuple(year_row(r, ids) for r in rows),
        message,
        chart,
    )


def compare_page(store: str, years, all_years, c, message: str = "") -> ComparePage:
    from ..batch.render import bar_svg

    if c is None:
        return ComparePage(store, years, tuple(all_years), (), (), (), message)
    ids = tuple(c.names)
    changes = tuple(
        ChangeRow(
            ch.unit,
            ch.before.total,
            ch.after.total,
            ch.delta,
            f"{grade_word(ch.before.grade)} → {grade_word(ch.after.grade)}",
            ch.comparable,
            tuple(ch.flags),
            tuple(
                "—" if ch.indicator_deltas.get(k) is None else f"{ch.indicator_deltas[k]:+.2f} 个百分点"
                for k in ids
            ),
        )
        for ch in c.changes
    )
    moved = [ch for ch in c.changes if ch.delta is not None][:30]
    chart = Markup("")
    if moved:
        a, b = c.years
        chart = charts.readable(
            bar_svg(
                f"总分变动（{b}年较{a}年，变动最大的{len(moved)}个单位）",
                [ch.unit for ch in moved],
                [ch.delta for ch in moved],
                unit="分",
                horizontal=True,
                colors=["#2e7d32" if ch.delta >= 0 else "#c62828" for ch in moved],
            )
        )
    only = tuple(year_row(r, ids) for r in (*c.only_before, *c.only_after))
    return ComparePage(
        store, tuple(c.years), tuple(all_years), tuple(c.names.values()), changes, only, message, chart
    )


YEAR_SPLIT = re.compile(r"[\s,，、;；/]+")


def parse_years(text: str) -> list[int]:
    """'2022、2023', '2022 2023', '2022,2023', '2022，2023' → [2022, 2023]; raises ValueError."""
    parts = [p for p in YEAR_SPLIT.split(text.strip()) if p]
    years = []
    for p in parts:
        if not re.fullmatch(r"(19|20)\d\d", p):
            raise ValueError(p)
        years.append(int(p))
    return years
