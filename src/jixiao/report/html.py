"""HTML writer: one self-contained, printable file (inline CSS and SVG charts, no network),
rendered from the same ReportContext as the Word file; every value escaped by Jinja2."""

from __future__ import annotations

import functools
import re

from markupsafe import Markup, escape

from .charts import NoCJKFont, render_svg
from .context import Figure, Heading, PageBreak, Para, ReportContext, Table

_PLACEHOLDER = re.compile(r"【待补充：[^】]*】")


@functools.lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("jixiao.report", "templates"),
                       autoescape=select_autoescape(["html", "j2"], default=True),
                       trim_blocks=True, lstrip_blocks=True)


def _text(t: str) -> Markup:
    """Escape, then mark 【待补充：…】 placeholders so a person sees them."""
    out = []
    pos = 0
    for m in _PLACEHOLDER.finditer(t):
        out.append(escape(t[pos:m.start()]))
        out.append(Markup('<mark class="todo">') + escape(m.group(0)) + Markup("</mark>"))
        pos = m.end()
    out.append(escape(t[pos:]))
    return Markup("").join(out)


def _view(ctx: ReportContext, charts: bool) -> list[dict]:
    items = []
    nfig = 0
    for b in ctx.all_blocks():
        if isinstance(b, Heading):
            items.append({"type": "heading", "level": min(b.level, 3) + 1, "text": _text(b.text)})
        elif isinstance(b, Para):
            items.append({"type": "para", "kind": b.kind, "text": _text(b.text)})
        elif isinstance(b, Table):
            rows = []
            for r, row in enumerate(b.rows):
                rows.append({"header": r < b.header_rows,
                             "cells": [{"text": _text(c.text), "colspan": c.colspan, "rowspan": c.rowspan,
                                        "align": c.align, "bold": c.bold} for c in row]})
            total = sum(b.widths)
            widths = [f"{w * 100 / total:.2f}%" for w in b.widths]
            items.append({"type": "table", "caption": b.caption, "unit": b.unit, "rows": rows,
                          "widths": widths, "small": b.small, "key": b.key})
        elif isinstance(b, Figure):
            if charts:
                nfig += 1
                items.append({"type": "figure", "n": nfig, "title": b.chart.title,
                              "svg": Markup(render_svg(b.chart))})
        elif isinstance(b, PageBreak):
            items.append({"type": "pagebreak"})
    return items


def render_html(ctx: ReportContext, charts: bool = True) -> str:
    try:
        items = _view(ctx, charts)
    except NoCJKFont as exc:
        ctx.warnings.append(str(exc))
        items = _view(ctx, False)
    return _env().get_template("report.html.j2").render(ctx=ctx, items=items)
