"""Rendering helpers shared by the batch summary and history/compare: formula-safe xlsx tables,
escaped HTML pages and inline SVG charts (bars, diverging bars, trend lines) drawn by
:mod:`jixiao.svgcharts`."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple
from urllib.parse import quote

from jinja2 import Environment

from .. import svgcharts
from ..money import fmt_amount
from ..safety import safe_sheet_text, safe_text


class Link(NamedTuple):
    """A cell that links to a file beside the page/workbook (``href`` relative, '/'-separated)."""

    text: str
    href: str

    def url(self) -> str:
        return "/".join(quote(part) for part in self.href.split("/"))


def safe_cell(v):
    """A value for a spreadsheet cell: numbers stay numbers; text never starts a formula."""
    if isinstance(v, Link):
        v = v.text
    if v is None or isinstance(v, bool):
        return "" if v is None else ("是" if v else "否")
    if isinstance(v, int | Decimal):
        return v
    return safe_sheet_text(str(v))


def fmt(v) -> str:
    """A cell as text: Decimals with 2 places, None empty."""
    if isinstance(v, Link):
        return v.text
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return fmt_amount(v)
    return str(v)


def workbook_bytes(wb) -> bytes:
    """An openpyxl workbook as .xlsx bytes identical between runs: the document dates openpyxl
    stamps (docProps/core.xml created/modified) and the zip entry times are fixed."""
    import io
    import re
    from datetime import datetime

    from ..report.docx import FIXED_DATE, normalize_zip
    from .placement import OUTPUT_KEYWORD

    wb.properties.created = datetime(2000, 1, 1)
    wb.properties.creator = "jixiao"
    wb.properties.keywords = OUTPUT_KEYWORD.decode()  # a later batch never reads it as a workbook
    buf = io.BytesIO()
    wb.save(buf)
    dates = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")

    def pin(name: str, data: bytes) -> bytes:
        return (
            dates.sub(rb"\g<1>" + FIXED_DATE.encode() + rb"\g<2>", data)
            if name == "docProps/core.xml"
            else data
        )

    return normalize_zip(buf.getvalue(), fix=pin)


def write_sheet(ws, title: str, headers: Sequence[str], rows: Sequence[Sequence], widths: Sequence[int] = ()):
    """Fill an openpyxl worksheet: bold header row, frozen, numbers as numbers with 2 places."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.title = title[:31]
    ws.append([safe_cell(h) for h in headers])
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    n = ws.max_row  # counted here: ws.max_row / ws[n] scan every cell, quadratic inside the loop
    for r in rows:
        cells = [safe_cell(v) for v in r]
        ws.append(cells)
        n += 1
        for j, (v, cv) in enumerate(zip(r, cells, strict=False), 1):
            if isinstance(v, Link):
                c = ws.cell(row=n, column=j)
                c.hyperlink = v.href
                c.style = "Hyperlink"
            elif isinstance(cv, Decimal):
                ws.cell(row=n, column=j).number_format = "#,##0.00"
    for i, _ in enumerate(headers, 1):
        ws.column_dimensions[get_column_letter(i)].width = widths[i - 1] if i <= len(widths) else 14
    ws.freeze_panes = "A2"


# -- charts: hand-written SVG (text stays text; no matplotlib import, ~1 ms per chart) -------------
def bar_svg(
    title: str,
    labels: Sequence[str],
    values: Sequence[Decimal | int],
    *,
    unit: str = "",
    colors: Sequence[str] | None = None,
    horizontal: bool = False,
) -> str:
    """A bar chart as an inline <svg> string; horizontal bars may be negative (changes)."""
    if horizontal:
        return svgcharts.hbars(
            title,
            labels,
            [("", values)],
            unit=unit,
            bar_colors=colors,
            label_w=190,
            plot_w=430,
            value_w=70,
            bar_h=20,
            gap=4,
            clip_at=14,
        )
    return svgcharts.vbars(title, labels, values, unit=unit, colors=colors)


def line_svg(
    title: str, xs: Sequence[int], series: Sequence[tuple[str, Sequence[Decimal | None]]], *, unit: str = "分"
) -> str:
    """Trend lines over years (one per series; gaps where a value is missing) as inline <svg>."""
    return svgcharts.lines(title, xs, series, unit=unit)


_env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_env.filters["fmt"] = fmt
_env.tests["link"] = lambda v: isinstance(v, Link)

PAGE = _env.from_string("""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:14px}
th,td{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#ddebf7} td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.bad td{background:#fdecea} td.name{white-space:nowrap} .note{color:#666;font-size:13px} figure{margin:1em 0}
</style></head><body>
<h1>{{ title }}</h1>
{% for line in intro %}<p class="note">{{ line }}</p>
{% endfor %}
{% for sec in sections %}
<h2>{{ sec.title }}</h2>
{% if sec.svg %}<figure>{{ sec.svg | safe }}</figure>{% endif %}
{% if sec.headers %}
<table><thead><tr>{% for h in sec.headers %}<th>{{ h }}</th>{% endfor %}</tr></thead><tbody>
{% for r in sec.rows %}<tr{% if sec.bad and sec.bad[loop.index0] %} class="bad"{% endif %}>
{% for v in r %}<td{% if v is number %} class="num"{% elif loop.index0 in (sec.nowrap or ()) %} class="name"{% endif %}>
{%- if v is link %}<a href="{{ v.url() }}">{{ v.text }}</a>{% else %}{{ v | fmt }}{% endif %}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
{% endif %}
{% endfor %}
</body></html>
""")


def html_page(title: str, sections: list[dict], intro: Sequence[str] = ()) -> str:
    """A self-contained page. ``sections``: dicts with title, headers, rows, optional svg, bad (rows to
    highlight) and nowrap (column indexes kept on one line)."""
    return safe_text(PAGE.render(title=title, sections=sections, intro=list(intro)))  # no NUL/C0/bidi
