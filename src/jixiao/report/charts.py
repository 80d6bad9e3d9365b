"""Charts for the report: a pure ``ChartSpec`` (data) and matplotlib renderers (PNG for Word,
SVG for HTML) with a real CJK font. Rendered images are cached within the process by a hash of
the spec, so re-rendering the same data costs nothing.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import warnings
from dataclasses import dataclass, field
from decimal import Decimal

from ..money import fmt_amount
from .fonts import find_cjk_font


@dataclass(frozen=True)
class ChartSpec:
    """A horizontal bar chart: one bar group per label, one bar per series (values in ``unit``)."""

    key: str                                  # stable id (file name in the .docx)
    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[Decimal | None, ...]], ...]
    unit: str = "万元"
    note: str = ""                            # caption under the chart
    percent_of_total: bool = False            # label bars with their share of the total too
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def digest(self) -> str:
        doc = [self.key, self.title, list(self.labels),
               [[n, [None if v is None else str(v) for v in vals]] for n, vals in self.series],
               self.unit, self.percent_of_total]
        return hashlib.sha256(json.dumps(doc, ensure_ascii=False).encode()).hexdigest()


class NoCJKFont(RuntimeError):
    """No installed font can show Chinese: charts are skipped (with a warning), never boxes."""


_COLORS = ("#4472c4", "#ed7d31", "#a5a5a5", "#70ad47")


def _label(v: Decimal) -> str:
    return fmt_amount(v)


def _figure(spec: ChartSpec):
    font = find_cjk_font()
    if font is None:
        raise NoCJKFont("未找到可显示中文的字体（如 Noto Sans CJK、文泉驿、黑体、宋体），已跳过图表。")
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    fp = font_manager.FontProperties(fname=font[1])
    n = len(spec.labels)
    k = max(1, len(spec.series))
    height = max(2.2, 0.32 * n * (1 + 0.35 * (k - 1)) + 1.1)
    fig = Figure(figsize=(6.3, height), dpi=150)
    ax = fig.add_subplot(111)
    bar_h = 0.8 / k
    maxv = Decimal(0)
    for _, vals in spec.series:
        for v in vals:
            if v is not None and v > maxv:
                maxv = v
    total = None
    if spec.percent_of_total and spec.series:
        total = sum((v for v in spec.series[0][1] if v is not None), Decimal(0))
    for si, (name, vals) in enumerate(spec.series):
        ys = [i + (si - (k - 1) / 2) * bar_h for i in range(n)]
        xs = [float(v) if v is not None else 0.0 for v in vals]  # float-ok: drawing only
        ax.barh(ys, xs, height=bar_h * 0.92, color=_COLORS[si % len(_COLORS)], label=name)
        for y, v in zip(ys, vals, strict=True):
            if v is None:
                continue
            text = _label(v)
            if total:
                share = (v * 100 / total).quantize(Decimal("0.01"))
                text += f"（{share}%）"
            ax.text(float(v), y, " " + text, va="center", ha="left", fontproperties=fp, fontsize=6.5)  # float-ok
    ax.set_yticks(range(n))
    ax.set_yticklabels([_short(s) for s in spec.labels], fontproperties=fp, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, float(maxv) * 1.28 if maxv > 0 else 1)  # float-ok: axis range only
    ax.tick_params(axis="x", labelsize=7)
    ax.set_xlabel(f"单位：{spec.unit}", fontproperties=fp, fontsize=7)
    ax.set_title(spec.title, fontproperties=fp, fontsize=9.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if k > 1:
        ax.legend(prop=font_manager.FontProperties(fname=font[1], size=7), loc="lower right", frameon=False)
    fig.tight_layout()
    return fig


def _short(s: str, width: int = 18) -> str:
    return s if len(s) <= width else s[: width - 1] + "…"


@functools.lru_cache(maxsize=64)
def _png_cached(digest: str, spec: ChartSpec) -> bytes:
    fig = _figure(spec)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


@functools.lru_cache(maxsize=64)
def _svg_cached(digest: str, spec: ChartSpec) -> str:
    import matplotlib

    fig = _figure(spec)
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "jixiao", "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    start = text.find("<svg")  # drop the XML prolog and DOCTYPE: the SVG is inlined in HTML
    return text[start:] if start >= 0 else text


def render_png(spec: ChartSpec) -> bytes:
    return _png_cached(spec.digest(), spec)


def render_svg(spec: ChartSpec) -> str:
    return _svg_cached(spec.digest(), spec)


def charts_available() -> bool:
    """True when a CJK font exists; otherwise warn once and let the renderers skip charts."""
    if find_cjk_font() is None:
        warnings.warn("未找到可显示中文的字体，报告中的图表已跳过（避免出现方框乱码）。", stacklevel=2)
        return False
    return True
