"""Pure builders of the reviewer's page contexts (pages.py): an audited report, a self-review, a
ranking, the history of a unit and the comparison of years. ``views`` re-exports them."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from markupsafe import Markup

from ..results import Evaluation
from . import charts
from .entries import GRADE_COLORS, GRADES, STATUS_ORDER, Audited, Ranked, RankedItem, SelfReviewed
from .filters import STATUS_ZH, grade_word, ind_value, loc_text, with_unit
from .pages import (
    AuditPage,
    AuditSummary,
    ChangeRow,
    Choice,
    ClaimRow,
    ComparePage,
    FailedRow,
    HistoryPage,
    RankingPage,
    RankRow,
    ReviewRow,
    SelfReviewPage,
    YearRanking,
    YearRow,
)


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
