"""Inline SVG charts for the pages, drawn by :mod:`jixiao.svgcharts` (pure functions of data,
every label escaped, Decimal geometry) and marked safe for the templates.

Charts are drawn narrow (about 520 px) so that a phone shows them at three-quarter size or more
(labels stay 10 px or larger); the page lets a chart scroll inside its own box below that.
"""

from __future__ import annotations

import re
from decimal import Decimal

from markupsafe import Markup

from .. import svgcharts

COLORS = ("#3b6ea5", "#e0a33b", "#5a9e6f", "#b5534b")
#: a chart is never shown smaller than this share of its drawn size (13-px labels stay ≥ 10 px)
MIN_SCALE = Decimal("0.78")
#: … nor larger than this (a wide laptop window draws it bigger, not its text huge)
MAX_SCALE = Decimal("1.4")
_WIDTH = re.compile(r'^<svg ([^>]*?)width="([0-9.]+)"')


def readable(svg: str) -> Markup:
    """The chart with a display width between 78% and 140% of its drawn size: narrower boxes scroll it
    rather than shrink its text."""
    m = _WIDTH.match(svg or "")
    if not m:
        return Markup(svg or "")
    width = Decimal(m.group(2))
    least, most = int(width * MIN_SCALE), int(width * MAX_SCALE)
    return Markup(svg.replace("<svg ", f'<svg style="min-width:{least}px;max-width:{most}px" ', 1))


def hbars(
    title: str,
    rows: list[tuple[str, list[Decimal | None]]],
    series: list[str],
    unit: str = "",
    scale_max: Decimal | None = None,
) -> Markup:
    """Horizontal grouped bars: one group per row, one bar per series. ``None`` draws no bar."""
    rows = [r for r in rows if any(v is not None for v in r[1])]
    if not rows:
        return Markup("")
    cols = [(name, [vs[i] if i < len(vs) else None for _, vs in rows]) for i, name in enumerate(series)]
    return readable(
        svgcharts.hbars(
            title,
            [label for label, _ in rows],
            cols,
            unit=unit,
            colors=COLORS,
            scale_max=scale_max,
            axis=False,
            legend=len(series) > 1,
            label_w=150,
            plot_w=260,
            value_w=110,
            clip_at=11,
        )
    )


def vbars(title: str, bars: list[tuple[str, int]], colors: list[str] | None = None) -> Markup:
    """Vertical bars of counts (e.g. units per grade)."""
    if not bars:
        return Markup("")
    return readable(
        svgcharts.vbars(
            title,
            [label for label, _ in bars],
            [n for _, n in bars],
            colors=colors or COLORS,
            width=max(300, 60 * len(bars) + 80),
            height=230,
        )
    )
