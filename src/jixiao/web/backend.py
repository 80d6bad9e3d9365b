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
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == module or module.startswith(exc.name + ".") or exc.name.startswith("jixiao")):
            raise FeatureUnavailable(feature, f"缺少模块 {module}") from None
        raise
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
            return _as_pairs(fn())
        except FeatureUnavailable:
            return []

    def template_bytes(self) -> bytes:
        write_template = _attr("jixiao.workbook.template", "write_template", "下载空白基础数据表")
        with tempfile.TemporaryDirectory(prefix="jixiao-web-") as d:
            p = Path(d) / "template.xlsx"
            write_template(p)
            return p.read_bytes()

    def load(self, path: Path):
        """→ (Department, list[Issue]); raises errors.InputError for unreadable files."""
        load = _attr("jixiao.workbook", "load", "读取基础数据表")
        res = load(path)
        return res.department, list(res.issues)

    def evaluate(self, department, framework: str | None):
        evaluate = _attr("jixiao.evaluate", "evaluate", "绩效评价")
        return evaluate(department, framework=framework or None)

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

    def compare(self, db: str, years: list[int]) -> dict[str, Any]:
        """Year-over-year comparison from the store: the newest run per unit and year."""
        store_cls = _attr("jixiao.store", "Store", "历年对比（数据库）")
        from .views import compare_rows

        st = store_cls.open(db)
        try:
            runs = st.latest_runs(years=years)
            inds = st.indicators([r["id"] for r in runs])
        finally:
            st.close()
        return compare_rows(runs, inds, years)
