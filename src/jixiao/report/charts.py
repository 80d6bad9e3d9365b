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
    height = max(2.2, 0.25 * n * (1 + 0.3 * (k - 1)) + 1.0)
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


_SVG_FONT = ("'Microsoft YaHei', 'PingFang SC', 'Hiragino Sans GB', 'Noto Sans CJK SC', "
             "'Source Han Sans SC', 'WenQuanYi Micro Hei', SimHei, sans-serif")


def _x(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _nice_step(maxv: Decimal) -> Decimal:
    """A round axis step giving about 5 ticks (1, 2, 5 × 10^k)."""
    if maxv <= 0:
        return Decimal(1)
    raw = maxv / 5
    exp = raw.adjusted()
    base = Decimal(10) ** exp
    for m in (1, 2, 5, 10):
        if raw <= base * m:
            return base * m
    return base * 10


@functools.lru_cache(maxsize=64)
def _svg_cached(digest: str, spec: ChartSpec) -> str:
    """A hand-written SVG (text stays text, so it is searchable and crisp; ~1 ms, no matplotlib).
    The viewer's Chinese font draws the labels (every desktop with Chinese has one)."""
    n = len(spec.labels)
    k = max(1, len(spec.series))
    label_w, plot_w, right = 230, 400, 110
    bar_h = 12
    group_h = bar_h * k + 8
    top, bottom = 34, 46
    width = label_w + plot_w + right
    height = top + group_h * n + bottom
    maxv = max([v for _, vals in spec.series for v in vals if v is not None] or [Decimal(0)])
    step = _nice_step(maxv)
    axis_max = step * ((maxv / step).to_integral_value(rounding="ROUND_CEILING") if maxv > 0 else 1)
    axis_max = axis_max or Decimal(1)

    def px(v: Decimal) -> str:
        return format((v * plot_w / axis_max).quantize(Decimal("0.1")), "f")

    total = None
    if spec.percent_of_total and spec.series:
        total = sum((v for v in spec.series[0][1] if v is not None), Decimal(0))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-label="{_x(spec.title)}" font-family="{_SVG_FONT}" font-size="11">',
           f'<text x="{width // 2}" y="20" text-anchor="middle" font-size="14">{_x(spec.title)}</text>']
    ticks = int(axis_max / step)
    for t in range(ticks + 1):
        v = step * t
        x = px(v)
        out.append(f'<line x1="{label_w}" x2="{label_w}" y1="{top}" y2="{top + group_h * n}" stroke="#000"/>'
                   if t == 0 else
                   f'<line x1="{label_w + Decimal(x)}" x2="{label_w + Decimal(x)}" y1="{top}" '
                   f'y2="{top + group_h * n}" stroke="#ddd"/>')
        out.append(f'<text x="{label_w + Decimal(x)}" y="{top + group_h * n + 14}" text-anchor="middle" '
                   f'font-size="10">{fmt_amount(v, places=0)}</text>')
    for i, label in enumerate(spec.labels):
        y0 = top + group_h * i + 4
        out.append(f'<text x="{label_w - 6}" y="{y0 + group_h / 2:.1f}" text-anchor="end" '
                   f'dominant-baseline="middle">{_x(_short(label, 20))}<title>{_x(label)}</title></text>')
        for si, (_, vals) in enumerate(spec.series):
            v = vals[i]
            y = y0 + si * bar_h
            if v is None:
                continue
            w = px(v)
            out.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h - 2}" '
                       f'fill="{_COLORS[si % len(_COLORS)]}"/>')
            text = _label(v)
            if total:
                text += f"（{(v * 100 / total).quantize(Decimal('0.01'))}%）"
            out.append(f'<text x="{label_w + Decimal(w) + 3}" y="{y + bar_h / 2:.1f}" dominant-baseline="middle" '
                       f'font-size="9.5">{_x(text)}</text>')
    ly = height - 14
    out.append(f'<text x="{label_w + plot_w // 2}" y="{ly}" text-anchor="middle" font-size="10">'
               f'单位：{_x(spec.unit)}</text>')
    if k > 1:
        lx = label_w + plot_w - 40
        for si, (name, _) in enumerate(spec.series):
            out.append(f'<rect x="{lx + si * 80}" y="{ly - 9}" width="10" height="10" '
                       f'fill="{_COLORS[si % len(_COLORS)]}"/>'
                       f'<text x="{lx + si * 80 + 14}" y="{ly}" font-size="10">{_x(name)}</text>')
    out.append("</svg>")
    return "".join(out)


def render_png(spec: ChartSpec) -> bytes:
    return _png_cached(spec.digest(), spec)


def render_svg(spec: ChartSpec) -> str:
    """SVG for the HTML page. Needs no font file: the browser draws the Chinese labels."""
    return _svg_cached(spec.digest(), spec)


def charts_available() -> bool:
    """True when a CJK font exists; otherwise warn once and let the renderers skip charts."""
    if find_cjk_font() is None:
        warnings.warn("未找到可显示中文的字体，报告中的图表已跳过（避免出现方框乱码）。", stacklevel=2)
        return False
    return True
