"""History and year-over-year comparison from the store: queries (pure over store rows) and their
renderings (rich text, JSON, xlsx, HTML with trend charts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .batch.render import bar_svg, html_page, line_svg, workbook_bytes, write_sheet
from .batch.summary import KEY_INDICATORS
from .errors import UsageError
from .fsutil import write_bytes_atomic, write_text_atomic
from .money import dec_str, fmt_amount
from .store import Store

GRADE_ORDER = {"优": 4, "良": 3, "中": 2, "差": 1}


@dataclass
class YearResult:
    """One unit in one year (the newest successful run)."""

    unit: str
    year: int
    total: Decimal | None
    max_total: Decimal | None
    grade: str | None
    provisional_grade: str | None
    pending: int
    findings: int
    indicators: dict[str, Decimal | None]
    input_name: str = ""
    run_id: int = 0
    #: every department indicator of that year: id → (name, value, unit)
    all_indicators: dict[str, tuple[str, Decimal | None, str]] = field(default_factory=dict)

    @property
    def grade_label(self) -> str:
        if self.grade:
            return self.grade
        return (
            ("待评" + (f"（暂定{self.provisional_grade}）" if self.provisional_grade else ""))
            if self.pending
            else ""
        )

    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "year": self.year,
            "total": dec_str(self.total),
            "max": dec_str(self.max_total),
            "grade": self.grade,
            "provisional_grade": self.provisional_grade,
            "pending": self.pending,
            "findings": self.findings,
            "input": self.input_name,
            "indicators": {k: dec_str(v) for k, v in self.indicators.items()}
            | {k: dec_str(v) for k, (_, v, _) in self.all_indicators.items()},
        }


def _indicator_names(store: Store, run_ids: list[int]) -> dict[str, str]:
    names: dict[str, str] = {}
    for got in store.indicators(run_ids).values():
        for k in KEY_INDICATORS:
            if k in got and got[k]["name"]:
                names.setdefault(k, got[k]["name"])
    return {k: names.get(k, k) for k in KEY_INDICATORS}


def history(
    store: Store, unit: str | None = None, framework_id: str | None = None
) -> tuple[list[YearResult], dict[str, str]]:
    """Every unit's (or one unit's) results by year, ordered by unit then year."""
    runs = store.latest_runs(unit=unit, framework_id=framework_id)
    if unit and not runs:
        known = store.unit_names()
        near = [n for n in known if unit in n or n in unit][:5]
        raise UsageError(
            f"数据库中没有单位“{unit}”的评价记录。",
            ("相近的单位：" + "、".join(near)) if near else "用 jixiao history 查看所有单位。",
        )
    inds = store.indicators([r["id"] for r in runs])
    rows = [
        YearResult(
            unit=r["unit"],
            year=r["year"],
            total=r["total"],
            max_total=r["max_total"],
            grade=r["grade"],
            provisional_grade=r["provisional_grade"],
            pending=r["pending"],
            findings=r["findings_count"],
            input_name=r["input_name"],
            run_id=r["id"],
            indicators={k: inds[r["id"]][k]["value"] if k in inds[r["id"]] else None for k in KEY_INDICATORS},
            all_indicators={k: (v["name"] or k, v["value"], v["unit"]) for k, v in inds[r["id"]].items()},
        )
        for r in runs
    ]
    return rows, _indicator_names(store, [r.run_id for r in rows])


@dataclass(frozen=True)
class CompareRules:
    """Thresholds for the flags (configurable, in points / percentage points)."""

    score_drop: Decimal = Decimal(5)  # 总分下降超过
    execution_drop: Decimal = Decimal(10)  # 预算执行率下降超过（个百分点）
    adjustment_rise: Decimal = Decimal(10)  # 预算调整率上升超过（个百分点）
    execution_id: str = "budget_execution_rate"
    adjustment_id: str = "budget_adjustment_rate"


@dataclass
class Change:
    unit: str
    before: YearResult
    after: YearResult
    delta: Decimal | None
    indicator_deltas: dict[str, Decimal | None]
    flags: list[str] = field(default_factory=list)

    @property
    def comparable(self) -> bool:
        """Both totals complete: a total with 待评 items left out is not comparable."""
        return self.delta is not None and not self.before.pending and not self.after.pending

    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "delta": dec_str(self.delta),
            "comparable": self.comparable,
            "flags": list(self.flags),
            "indicator_deltas": {k: dec_str(v) for k, v in self.indicator_deltas.items()},
        }


@dataclass
class Comparison:
    years: tuple[int, int]
    changes: list[Change]  # largest movement first
    only_before: list[YearResult]  # units with a result in the first year only
    only_after: list[YearResult]
    names: dict[str, str]

    def to_dict(self) -> dict:
        return {
            "years": list(self.years),
            "changes": [c.to_dict() for c in self.changes],
            "only_before": [r.to_dict() for r in self.only_before],
            "only_after": [r.to_dict() for r in self.only_after],
            "indicator_names": self.names,
        }


def parse_years(text: str) -> tuple[int, int]:
    parts = [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]
    try:
        years = [int(p) for p in parts]
    except ValueError:
        raise UsageError(f"--years 应为两个年度，如 2022,2023；收到“{text}”。") from None
    if len(years) != 2 or years[0] == years[1]:
        raise UsageError(f"--years 应为两个不同的年度，如 2022,2023；收到“{text}”。")
    return min(years), max(years)


def _sub(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else b - a


def compare_results(
    rows: list[YearResult],
    years: tuple[int, int],
    names: dict[str, str],
    rules: CompareRules = CompareRules(),
    sort_by: str = "score",
) -> Comparison:
    """Pure: year-A and year-B results → changes with flags, largest |score change| first
    (or, with ``sort_by`` an indicator id, the largest change of that indicator first)."""
    a, b = years
    by = {(r.unit, r.year): r for r in rows}
    units = sorted({r.unit for r in rows})
    changes, only_a, only_b = [], [], []
    for u in units:
        ra, rb = by.get((u, a)), by.get((u, b))
        if ra and rb:
            d = {k: _sub(ra.indicators.get(k), rb.indicators.get(k)) for k in KEY_INDICATORS}
            ch = Change(u, ra, rb, _sub(ra.total, rb.total), d)
            ch.flags = _flags(ch, rules, names)
            changes.append(ch)
        elif ra:
            only_a.append(ra)
        elif rb:
            only_b.append(rb)
    if sort_by == "score":
        # comparable totals (nothing pending in either year) first, largest movement first
        changes.sort(
            key=lambda c: (
                not c.comparable,
                c.delta is None,
                -abs(c.delta) if c.delta is not None else 0,
                c.unit,
            )
        )
    else:
        if sort_by not in KEY_INDICATORS:
            raise UsageError(f"不能按“{sort_by}”排序。", "可选：score 或 " + "、".join(KEY_INDICATORS))
        changes.sort(
            key=lambda c: (
                c.indicator_deltas.get(sort_by) is None,
                -abs(c.indicator_deltas.get(sort_by) or 0),
                c.unit,
            )
        )
    return Comparison(years, changes, only_a, only_b, names)


def _flags(ch: Change, rules: CompareRules, names: dict[str, str]) -> list[str]:
    flags = []
    ga, gb = GRADE_ORDER.get(ch.before.grade or ""), GRADE_ORDER.get(ch.after.grade or "")
    if ga and gb and gb < ga:
        flags.append(f"等级下降（{ch.before.grade}→{ch.after.grade}）")
    if ch.comparable and -ch.delta > rules.score_drop:
        flags.append(f"总分下降{fmt_amount(-ch.delta)}分")
    ex = ch.indicator_deltas.get(rules.execution_id)
    if ex is not None and -ex > rules.execution_drop:
        flags.append(f"{names.get(rules.execution_id, rules.execution_id)}下降{fmt_amount(-ex)}个百分点")
    adj = ch.indicator_deltas.get(rules.adjustment_id)
    if adj is not None and adj > rules.adjustment_rise:
        flags.append(f"{names.get(rules.adjustment_id, rules.adjustment_id)}上升{fmt_amount(adj)}个百分点")
    if ch.after.findings > ch.before.findings:
        flags.append(f"发现问题由{ch.before.findings}个增至{ch.after.findings}个")
    pend = [f"{r.year}年有{r.pending}项待评" for r in (ch.before, ch.after) if r.pending]
    if pend:
        flags.append("、".join(pend) + "，总分不可直接比较")
    return flags


def compare(
    store: Store,
    years: tuple[int, int],
    rules: CompareRules = CompareRules(),
    framework_id: str | None = None,
    sort_by: str = "score",
) -> Comparison:
    runs_rows, names = history(store, framework_id=framework_id)
    return compare_results([r for r in runs_rows if r.year in years], years, names, rules, sort_by)


def indicator_matrix(rows: list[YearResult]) -> tuple[list[str], list[list]]:
    """One unit's every indicator (rows) by year (columns), for history --unit."""
    years = [r.year for r in rows]
    order: dict[str, tuple[str, str]] = {}
    for r in rows:
        for k, (name, _, unit) in r.all_indicators.items():
            order.setdefault(k, (name, unit))
    table = [
        [name, unit, *[r.all_indicators.get(k, ("", None, ""))[1] for r in rows]]
        for k, (name, unit) in order.items()
    ]
    return ["指标", "单位", *[f"{y}年" for y in years]], table


# -- renderings ----------------------------------------------------------------------------------
def history_table(rows: list[YearResult], names: dict[str, str]) -> tuple[list[str], list[list]]:
    headers = [
        "单位名称",
        "年度",
        "总分",
        "满分",
        "等级",
        "待评项",
        *[f"{n}（%）" for n in names.values()],
        "问题数",
        "来源文件",
    ]
    table = [
        [
            r.unit,
            r.year,
            r.total,
            r.max_total,
            r.grade_label,
            r.pending,
            *[r.indicators.get(k) for k in KEY_INDICATORS],
            r.findings,
            r.input_name,
        ]
        for r in rows
    ]
    return headers, table


def compare_table(c: Comparison) -> tuple[list[str], list[list]]:
    a, b = c.years
    headers = [
        "单位名称",
        f"{a}年总分",
        f"{b}年总分",
        "变动（分）",
        f"{a}年等级",
        f"{b}年等级",
        *[f"{n}变动（百分点）" for n in c.names.values()],
        "提示",
    ]
    table = [
        [
            ch.unit,
            ch.before.total,
            ch.after.total,
            ch.delta,
            ch.before.grade_label,
            ch.after.grade_label,
            *[ch.indicator_deltas.get(k) for k in KEY_INDICATORS],
            "；".join(ch.flags),
        ]
        for ch in c.changes
    ]
    return headers, table


def _only_rows(c: Comparison) -> list[list]:
    a, b = c.years
    return [
        [r.unit, r.year, r.total, r.grade_label, f"仅有{a}年结果（{b}年未评价）"] for r in c.only_before
    ] + [[r.unit, r.year, r.total, r.grade_label, f"仅有{b}年结果（{a}年未评价）"] for r in c.only_after]


def _xlsx(path: Path, sheets: list[tuple[str, list[str], list[list]]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    for i, (title, headers, rows) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        write_sheet(ws, title, headers, rows, [28])
    return write_bytes_atomic(path, workbook_bytes(wb))


def write_history(path: Path, fmt: str, rows: list[YearResult], names: dict[str, str]) -> Path:
    headers, table = history_table(rows, names)
    single = len({r.unit for r in rows}) == 1
    if fmt == "xlsx":
        return _xlsx(
            path,
            [("历年结果", headers, table)] + ([("指标历年值", *indicator_matrix(rows))] if single else []),
        )
    years = sorted({r.year for r in rows})
    units = sorted({r.unit for r in rows})
    by = {(r.unit, r.year): r for r in rows}
    sections = []
    if len(units) <= 20 and len(years) > 1:
        svg = line_svg(
            "总分趋势",
            years,
            [(u, [by[(u, y)].total if (u, y) in by else None for y in years]) for u in units],
        )
        sections.append({"title": "总分趋势", "svg": svg})
    if len(units) == 1 and len(years) > 1:
        series = [
            (names[k], [by[(units[0], y)].indicators.get(k) if (units[0], y) in by else None for y in years])
            for k in KEY_INDICATORS
        ]
        sections.append({"title": "主要指标趋势", "svg": line_svg("主要指标趋势", years, series, unit="%")})
    sections.append({"title": "历年评价结果", "headers": headers, "rows": table, "nowrap": [0]})
    if single:
        mh, mt = indicator_matrix(rows)
        sections.append({"title": "指标历年值", "headers": mh, "rows": mt, "nowrap": [0]})
    title = f"{units[0]}历年绩效自评结果" if len(units) == 1 else "各单位历年绩效自评结果"
    return write_text_atomic(
        path, html_page(title, sections, [f"共 {len(units)} 个单位、{len(rows)} 条年度结果。"])
    )


def write_compare(path: Path, fmt: str, c: Comparison) -> Path:
    headers, table = compare_table(c)
    only_h = ["单位名称", "年度", "总分", "等级", "说明"]
    if fmt == "xlsx":
        return _xlsx(path, [("年度对比", headers, table), ("仅一年有结果", only_h, _only_rows(c))])
    a, b = c.years
    moved = [ch for ch in c.changes if ch.delta is not None][:30]
    svg = (
        bar_svg(
            f"总分变动（{b}年较{a}年，变动最大的{len(moved)}个单位）",
            [ch.unit for ch in moved],
            [ch.delta for ch in moved],
            unit="分",
            horizontal=True,
            colors=["#2e7d32" if ch.delta >= 0 else "#c62828" for ch in moved],
        )
        if moved
        else ""
    )
    flagged = sum(1 for ch in c.changes if ch.flags)
    sections = [
        {"title": "总分变动", "svg": svg},
        {
            "title": "各单位变动（按变动幅度排序）",
            "headers": headers,
            "rows": table,
            "bad": [bool(ch.flags) for ch in c.changes],
            "nowrap": [0],
        },
    ]
    if c.only_before or c.only_after:
        sections.append({"title": "仅一年有结果的单位", "headers": only_h, "rows": _only_rows(c)})
    intro = [
        f"两年均有结果的单位 {len(c.changes)} 个，其中需关注 {flagged} 个；"
        f"仅{a}年有结果 {len(c.only_before)} 个，仅{b}年有结果 {len(c.only_after)} 个。"
    ]
    return write_text_atomic(path, html_page(f"{a}—{b}年度绩效自评结果对比", sections, intro))
