"""The batch summary (汇总): one row per input file — score, grade, rank, key indicators, findings,
failures with their reason — as data (pure), then as 汇总.xlsx and 汇总.html."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..fsutil import write_bytes_atomic, write_text_atomic
from ..money import fmt_amount, q2
from ..store import Store
from .render import Link, bar_svg, html_page, workbook_bytes, write_sheet
from .runner import STATUS_ZH, BatchResult, Item

#: indicators shown in the summary, by id (names come from the stored results)
KEY_INDICATORS = (
    "budget_execution_rate",
    "budget_adjustment_rate",
    "dept_project_execution_rate",
    "public_project_execution_rate",
    "three_public_control_rate",
    "public_funds_control_rate",
)
GRADES = ("优", "良", "中", "差")
GRADE_COLORS = {
    "优": "#2e7d32",
    "良": "#1565c0",
    "中": "#ef6c00",
    "差": "#c62828",
    "待评": "#9e9e9e",
    "未评价": "#616161",
}


@dataclass
class SummaryRow:
    file: str
    status: str
    unit: str = ""
    year: int | None = None
    total: Decimal | None = None
    max_total: Decimal | None = None
    grade: str | None = None
    provisional_grade: str | None = None
    pending: int = 0
    findings: int = 0
    errors: int = 0
    warnings: int = 0
    indicators: dict[str, Decimal | None] | None = None
    rank: int | None = None
    folder: str = ""
    report: str = ""  # the unit's report page (relative to OUT), for a link
    reason: str = ""

    @property
    def evaluated(self) -> bool:
        return self.status in ("ok", "skipped", "conflict")

    @property
    def grade_label(self) -> str:
        if not self.evaluated:
            return "未评价"
        if self.grade:
            return self.grade
        if self.pending:
            return "待评" + (f"（暂定{self.provisional_grade}）" if self.provisional_grade else "")
        return ""


def build_rows(items: list[Item], store: Store) -> tuple[list[SummaryRow], dict[str, str]]:
    """Summary rows (ranked within each year, failures last) and indicator id → name."""
    runs = {r["id"]: r for r in store.runs([i.run_id for i in items if i.run_id is not None])}
    inds = store.indicators([rid for rid, r in runs.items() if r["status"] == "ok"], only=KEY_INDICATORS)
    names: dict[str, str] = {}
    rows = []
    for it in items:
        run = runs.get(it.run_id) if it.run_id is not None else None
        page = next((f for f in it.files if f.endswith(".html")), "") or next(iter(sorted(it.files)), "")
        row = SummaryRow(
            file=it.file,
            status=it.status,
            unit=it.unit,
            year=it.year,
            folder=it.folder,
            report=f"{it.folder}/{page}" if it.folder and page else "",
            reason="；".join(x.rstrip("。") for x in (it.reason, it.note) if x),
        )
        if run is not None:
            row.unit = run["unit"] or it.unit
            row.year = run["year"] if run["year"] is not None else it.year
            row.errors, row.warnings = run["errors"], run["warnings"]
            if run["status"] == "ok":
                row.total, row.max_total = run["total"], run["max_total"]
                row.grade, row.provisional_grade = run["grade"], run["provisional_grade"]
                row.pending, row.findings = run["pending"], run["findings_count"]
                got = inds.get(run["id"], {})
                row.indicators = {k: got[k]["value"] if k in got else None for k in KEY_INDICATORS}
                for k in KEY_INDICATORS:
                    if k in got and got[k]["name"]:
                        names.setdefault(k, got[k]["name"])
        rows.append(row)
    _rank(rows)
    rows.sort(
        key=lambda r: (
            not r.evaluated,
            r.year or 0,
            r.rank is None,
            r.rank or 0,
            -(r.total if r.total is not None else Decimal(-1)),
            r.unit,
            r.file,
        )
    )
    return rows, {k: names.get(k, k) for k in KEY_INDICATORS}


def _rank(rows: list[SummaryRow]) -> None:
    """Competition ranking (1, 2, 2, 4) by total score within each year, of complete scores only:
    a total with 待评 items left out is not comparable, so it gets no rank."""
    by_year: dict[int | None, list[SummaryRow]] = {}
    for r in rows:
        if r.evaluated and r.total is not None and not r.pending:
            by_year.setdefault(r.year, []).append(r)
    for group in by_year.values():
        group.sort(key=lambda r: r.total, reverse=True)
        for i, r in enumerate(group):
            r.rank = group[i - 1].rank if i and group[i - 1].total == r.total else i + 1


def grade_distribution(rows: list[SummaryRow]) -> dict[str, int]:
    dist = {g: 0 for g in (*GRADES, "待评", "未评价")}
    for r in rows:
        label = r.grade_label
        key = label if label in GRADES else ("未评价" if not r.evaluated else "待评")
        dist[key] += 1
    return dist


def year_lines(rows: list[SummaryRow]) -> list[str]:
    """Per year: how many units, the average complete total (units with 待评 items left out)."""
    out = []
    for year in sorted({r.year for r in rows if r.evaluated and r.year is not None}):
        got = [r for r in rows if r.evaluated and r.year == year]
        full = [r.total for r in got if r.total is not None and not r.pending]
        avg = (
            f"平均总分 {fmt_amount(q2(sum(full, Decimal(0)) / len(full)))} 分（{len(full)} 个评分完整的单位）"
            if full
            else "尚无评分完整的单位"
        )
        out.append(f"{year}年：评价 {len(got)} 个单位，{avg}。")
    return out


def _headers(names: dict[str, str]) -> list[str]:
    return [
        "排名",
        "单位名称",
        "年度",
        "总分",
        "满分",
        "等级",
        "待评项",
        *[f"{n}（%）" for n in names.values()],
        "问题数",
        "数据错误",
        "数据警告",
        "状态",
        "文件",
        "输出目录",
        "说明",
    ]


def _cells(r: SummaryRow) -> list:
    ind = [(r.indicators or {}).get(k) for k in KEY_INDICATORS]
    return [
        r.rank,
        r.unit,
        r.year,
        r.total,
        r.max_total,
        r.grade_label,
        r.pending if r.evaluated else None,
        *ind,
        r.findings if r.evaluated else None,
        r.errors,
        r.warnings,
        STATUS_ZH.get(r.status, r.status),
        r.file,
        Link(r.folder, r.report) if r.report else r.folder,
        r.reason,
    ]


def write_summary(result: BatchResult, store: Store) -> list[Path]:
    """OUT/汇总.xlsx and OUT/汇总.html; returns their paths."""
    rows, names = build_rows(result.items, store)
    headers = _headers(names)
    table = [_cells(r) for r in rows]
    dist = grade_distribution(rows)
    n_ok = sum(r.evaluated for r in rows)
    intro = [
        f"共 {len(rows)} 个文件：评价 {n_ok} 个，未能评价 {len(rows) - n_ok} 个；"
        f"等级分布：" + "，".join(f"{g} {n} 个" for g, n in dist.items() if n),
        *year_lines(rows),
        "排名按同一年度总分从高到低，只比较评分完整的单位；“待评”表示仍有定性评分项未填写，"
        "总分和等级暂不确定，不参加排名。",
    ]
    paths = [
        _xlsx(result.out / "汇总.xlsx", headers, table, dist, intro),
        _html(result.out / "汇总.html", headers, table, rows, dist, intro),
    ]
    result.summary_files = paths
    return paths


def _xlsx(path: Path, headers, table, dist: dict[str, int], intro) -> Path:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    wb = Workbook()
    widths = [6, 28, 7, 9, 7, 14, 7, *[12] * len(KEY_INDICATORS), 8, 8, 8, 14, 30, 30, 50]
    write_sheet(wb.active, "汇总", headers, table, widths)
    ws = wb.create_sheet("等级分布")
    write_sheet(ws, "等级分布", ["等级", "单位数"], [[g, n] for g, n in dist.items()], [12, 10])
    ws.append([])
    for line in intro:
        ws.append([line])
    chart = BarChart()
    chart.title = "等级分布"
    chart.y_axis.title = "单位数"
    chart.legend = None
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=len(dist) + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(dist) + 1))
    ws.add_chart(chart, "D2")
    return write_bytes_atomic(path, workbook_bytes(wb))


def _html(path: Path, headers, table, rows: list[SummaryRow], dist: dict[str, int], intro) -> Path:
    labels = [g for g, n in dist.items() if n or g in GRADES]
    svg = bar_svg(
        "等级分布", labels, [dist[g] for g in labels], unit="单位数", colors=[GRADE_COLORS[g] for g in labels]
    )
    sections = [
        {
            "title": "等级分布",
            "svg": svg,
            "headers": ["等级", "单位数"],
            "rows": [[g, dist[g]] for g in labels],
        },
        {
            "title": "各单位评价结果",
            "headers": headers,
            "rows": table,
            "bad": [not r.evaluated for r in rows],
            "nowrap": [1],
        },
    ]
    return write_text_atomic(path, html_page("部门整体支出绩效自评汇总", sections, intro))
