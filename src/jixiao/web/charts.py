"""Inline SVG charts for the pages, drawn by :mod:`jixiao.svgcharts` (pure functions of data,
every label escaped, Decimal geometry) and marked safe for the templates."""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup

from .. import svgcharts

COLORS = ("#3b6ea5", "#e0a33b", "#5a9e6f", "#b5534b")


def hbars(title: str, rows: list[tuple[str, list[Decimal | None]]], series: list[str],
          unit: str = "", scale_max: Decimal | None = None) -> Markup:
    """Horizontal grouped bars: one group per row, one bar per series. Empty values draw nothing."""
    rows = [r for r in rows if any(v is not None for v in r[1])]
    if not rows:
        return Markup("")
    cols = [(name, [vs[i] if i < len(vs) else None for _, vs in rows]) for i, name in enumerate(series)]
    return Markup(svgcharts.hbars(title, [label for label, _ in rows], cols, unit=unit, colors=COLORS,
                                  scale_max=scale_max, axis=False, legend=True))


def vbars(title: str, bars: list[tuple[str, int]]) -> Markup:
    """Vertical bars of counts (e.g. units per grade)."""
    return Markup(svgcharts.vbars(title, [label for label, _ in bars], [n for _, n in bars], colors=COLORS,
                                  width=max(240, 70 * len(bars) + 80), height=230))
