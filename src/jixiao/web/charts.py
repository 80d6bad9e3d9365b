"""Inline SVG charts for the pages: pure functions of data, every label escaped.

Geometry is computed with Decimal too (no float), then written with one decimal place.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup, escape

from ..money import fmt_amount

COLORS = ("#3b6ea5", "#e0a33b", "#5a9e6f", "#b5534b")
_TENTH = Decimal("0.1")


def _px(x: Decimal | int) -> str:
    return str(Decimal(x).quantize(_TENTH, rounding=ROUND_HALF_UP))


def _clip(label: str, n: int = 16) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def hbars(title: str, rows: list[tuple[str, list[Decimal | None]]], series: list[str],
          unit: str = "", scale_max: Decimal | None = None) -> Markup:
    """Horizontal grouped bars: one group per row, one bar per series. Empty values draw nothing."""
    rows = [r for r in rows if any(v is not None for v in r[1])]
    if not rows:
        return Markup("")
    vals = [v for _, vs in rows for v in vs if v is not None]
    top = scale_max if scale_max is not None else max([abs(v) for v in vals] + [Decimal(0)])
    if top <= 0:
        top = Decimal(1)
    label_w, bar_w, value_w = 230, 380, 110
    bar_h, gap = 14, 10
    group_h = bar_h * len(series) + gap
    legend_h = 26
    height = 34 + legend_h + group_h * len(rows) + 6
    width = label_w + bar_w + value_w
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" aria-label="{escape(title)}">',
           f'<title>{escape(title)}</title>',
           f'<text x="{width // 2}" y="20" text-anchor="middle" class="chart-title">{escape(title)}</text>']
    x = label_w
    for i, name in enumerate(series):
        out.append(f'<rect x="{x}" y="32" width="12" height="12" fill="{COLORS[i % len(COLORS)]}"/>'
                   f'<text x="{x + 16}" y="42" class="chart-legend">{escape(name)}</text>')
        x += 40 + 14 * len(name)
    y0 = 34 + legend_h
    for gi, (label, vs) in enumerate(rows):
        gy = y0 + gi * group_h
        out.append(f'<text x="{label_w - 8}" y="{gy + group_h // 2 + 2}" text-anchor="end" class="chart-label">'
                   f'<title>{escape(label)}</title>{escape(_clip(label))}</text>')
        for si, v in enumerate(vs):
            if v is None:
                continue
            w = min(abs(v), top) / top * bar_w
            by = gy + si * bar_h
            out.append(f'<rect x="{label_w}" y="{by}" width="{_px(w)}" height="{bar_h - 2}" '
                       f'fill="{COLORS[si % len(COLORS)]}"><title>{escape(label)} {escape(series[si])}：'
                       f'{escape(fmt_amount(v))}{escape(unit)}</title></rect>')
            out.append(f'<text x="{_px(label_w + w + 4)}" y="{by + bar_h - 3}" class="chart-value">'
                       f'{escape(fmt_amount(v))}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def vbars(title: str, bars: list[tuple[str, int]]) -> Markup:
    """Vertical bars of counts (e.g. units per grade)."""
    if not bars:
        return Markup("")
    top = max([n for _, n in bars] + [1])
    col_w, plot_h = 70, 160
    width = col_w * len(bars) + 40
    height = plot_h + 70
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" aria-label="{escape(title)}">',
           f'<title>{escape(title)}</title>',
           f'<text x="{width // 2}" y="18" text-anchor="middle" class="chart-title">{escape(title)}</text>']
    for i, (label, n) in enumerate(bars):
        h = Decimal(n) / Decimal(top) * plot_h
        x = 20 + i * col_w
        y = Decimal(30 + plot_h) - h
        out.append(f'<rect x="{x + 12}" y="{_px(y)}" width="{col_w - 24}" height="{_px(h)}" '
                   f'fill="{COLORS[i % len(COLORS)]}"><title>{escape(label)}：{n}</title></rect>')
        out.append(f'<text x="{x + col_w // 2}" y="{_px(y - 4)}" text-anchor="middle" class="chart-value">{n}</text>')
        out.append(f'<text x="{x + col_w // 2}" y="{30 + plot_h + 20}" text-anchor="middle" '
                   f'class="chart-label">{escape(label)}</text>')
    out.append("</svg>")
    return Markup("".join(out))
