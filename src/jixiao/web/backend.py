"""The web page's door to the library. Every feature module is imported lazily, inside the call,
so the page starts (and says "此功能尚未可用") even when a module is missing.

Tests may pass their own ``Backend`` to ``create_app`` (hand-built results, no files).
"""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path
from typing import Any


class FeatureUnavailable(Exception):
    """A feature whose module is not installed / not built yet. ``feature`` is Chinese."""

    def __init__(self, feature: str, detail: str = ""):
        super().__init__(feature)
        self.feature = feature
        self.detail = detail


def _attr(module: str, name: str, feature: str):
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:  # the feature's module, or a package it needs, is not installed
        raise FeatureUnavailable(feature, f"缺少模块 {exc.name or module}") from None
    fn = getattr(mod, name, None)
    if fn is None:
        raise FeatureUnavailable(feature, f"{module} 中没有 {name}")
    return fn


def _as_pairs(items) -> list[tuple[str, str]]:
    """Normalise what list_frameworks() returns into (id, display name) pairs."""
    out = []
    for f in items or []:
        if isinstance(f, str):
            out.append((f, f))
        elif isinstance(f, (tuple, list)) and f:
            out.append((str(f[0]), str(f[1] if len(f) > 1 else f[0])))
        elif isinstance(f, dict):
            fid = f.get("id") or f.get("name")
            out.append((str(fid), str(f.get("name") or fid)))
        else:
            fid = getattr(f, "id", None) or getattr(f, "name", None)
            if fid:
                out.append((str(fid), str(getattr(f, "name", None) or fid)))
    return out


class Backend:
    """Calls into jixiao's library. Methods are blocking; the app runs them in a thread pool."""

    def frameworks(self) -> list[tuple[str, str]]:
        try:
            fn = _attr("jixiao.frameworks", "list_frameworks", "评分框架列表")
            # the 项目支出 rule set scores projects, not a whole department
            return _as_pairs([f for f in fn() if getattr(f, "kind", "department") != "project"])
        except FeatureUnavailable:
            return []

    def template_bytes(self) -> bytes:
        write_template = _attr("jixiao.workbook.template", "write_template", "下载空白基础数据表")
        with tempfile.TemporaryDirectory(prefix="jixiao-web-") as d:
            p = Path(d) / "template.xlsx"
            write_template(p)
            return p.read_bytes()

    def load(self, path: Path):
        """→ (Department or None, list[Issue]); raises errors.InputError for unreadable files."""
        load = _attr("jixiao.workbook", "load", "读取基础数据表")
        res = load(path)
        return res.department, list(res.issues)

    def evaluate(self, department, framework: str | None, issues=()):
        evaluate = _attr("jixiao.evaluate", "evaluate", "绩效评价")
        load_framework = _attr("jixiao.frameworks", "load_framework", "评分框架")
        return evaluate(department, load_framework(framework or None), issues=list(issues))

    def render(self, evaluation, fmt: str) -> bytes:
        """Report bytes for fmt in docx | html | xlsx (json is done by the app from to_dict())."""
        build_context = _attr("jixiao.report", "build_context", "生成报告")
        ctx = build_context(evaluation)
        if fmt == "docx":
            return _attr("jixiao.report", "render_docx_bytes", "生成 Word 报告")(ctx)
        if fmt == "html":
            html = _attr("jixiao.report", "render_html", "生成网页版报告")(ctx)
            return html.encode("utf-8") if isinstance(html, str) else html
        if fmt == "xlsx":
            return _attr("jixiao.report", "render_xlsx_bytes", "生成 Excel 附表")(ctx)
        raise ValueError(fmt)

    def audit(self, path: Path) -> dict:
        audit_file = _attr("jixiao.audit", "audit_file", "报告审核")
        res = audit_file(path)
        return res.to_dict() if hasattr(res, "to_dict") else dict(res)

    def kind_names(self) -> dict[str, str]:
        try:
            return dict(_attr("jixiao.audit", "KIND_NAMES", "报告审核"))
        except FeatureUnavailable:
            return {}

    def compare(self, db: str, years: tuple[int, int]) -> dict[str, Any]:
        """Year-over-year comparison from the store, as ``jixiao compare`` shows it."""
        store_cls = _attr("jixiao.store", "Store", "历年对比（数据库）")
        compare = _attr("jixiao.compare", "compare", "历年对比")
        compare_table = _attr("jixiao.compare", "compare_table", "历年对比")
        st = store_cls.open(db)
        try:
            c = compare(st, years)
        finally:
            st.close()
        headers, table = compare_table(c)
        a, b = c.years
        moved = [ch for ch in c.changes if ch.delta is not None][:30]
        svg = ""
        if moved:
            svg = self.bar_svg(f"总分变动（{b}年较{a}年，变动最大的{len(moved)}个单位）", [ch.unit for ch in moved],
                               [ch.delta for ch in moved], unit="分", horizontal=True,
                               colors=["#2e7d32" if ch.delta >= 0 else "#c62828" for ch in moved])
        only = ([[r.unit, r.year, r.total, r.grade_label, f"仅有{a}年结果（{b}年未评价）"] for r in c.only_before]
                + [[r.unit, r.year, r.total, r.grade_label, f"仅有{b}年结果（{a}年未评价）"] for r in c.only_after])
        return {"years": (a, b), "headers": headers, "rows": table, "flagged": [bool(ch.flags) for ch in c.changes],
                "only": only, "svg": svg}

    def store_overview(self, db: str) -> dict[str, Any]:
        """How many units and which years the store holds (for the reviewer page)."""
        store_cls = _attr("jixiao.store", "Store", "历史数据库")
        st = store_cls.open(db)
        try:
            runs = st.latest_runs()
        finally:
            st.close()
        return {"units": len({r["unit"] for r in runs}), "years": sorted({r["year"] for r in runs}),
                "runs": len(runs)}

    def history(self, db: str, unit: str | None) -> dict[str, Any]:
        """Every unit's (or one unit's) results by year, as ``jixiao history`` shows them."""
        store_cls = _attr("jixiao.store", "Store", "历年结果（数据库）")
        history = _attr("jixiao.compare", "history", "历年结果")
        history_table = _attr("jixiao.compare", "history_table", "历年结果")
        st = store_cls.open(db)
        try:
            rows, names = history(st, unit=unit or None)
        finally:
            st.close()
        headers, table = history_table(rows, names)
        years = sorted({r.year for r in rows})
        units = sorted({r.unit for r in rows})
        svg = ""
        if rows and len(units) <= 20 and len(years) > 1:
            try:
                line_svg = _attr("jixiao.batch.render", "line_svg", "图表")
                by = {(r.unit, r.year): r for r in rows}
                svg = line_svg("总分趋势", years, [(u, [by[(u, y)].total if (u, y) in by else None for y in years])
                                               for u in units])
            except FeatureUnavailable:
                svg = ""
        return {"headers": headers, "rows": table, "svg": svg, "units": units, "years": years}

    def bar_svg(self, title: str, labels, values, **kw) -> str:
        """The batch summary's bar chart: inline SVG from jixiao.svgcharts, text kept as text; '' if unavailable."""
        try:
            fn = _attr("jixiao.batch.render", "bar_svg", "图表")
        except FeatureUnavailable:
            return ""
        return fn(title, labels, values, **kw)

    def key_indicators(self) -> tuple[str, ...]:
        try:
            return tuple(_attr("jixiao.batch.summary", "KEY_INDICATORS", "汇总指标"))
        except FeatureUnavailable:
            return ("budget_execution_rate", "budget_adjustment_rate", "staff_control_rate")
