"""Rendering helpers shared by the batch summary and history/compare: formula-safe xlsx tables,
escaped HTML pages and small hand-written inline SVG charts (bars, diverging bars, trend lines).
(matplotlib was the first choice; its import and CJK font loading cost ~2 s per summary.)"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from html import escape as html_escape
from typing import NamedTuple
from urllib.parse import quote

from jinja2 import Environment

from ..money import fmt_amount
from ..safety import safe_sheet_text


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
    for r in rows:
        ws.append([safe_cell(v) for v in r])
        for c, v in zip(ws[ws.max_row], r, strict=False):
            if isinstance(v, Link):
                c.hyperlink = v.href
                c.style = "Hyperlink"
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if isinstance(c.value, Decimal):
                c.number_format = "#,##0.00"
    for i, _ in enumerate(headers, 1):
        ws.column_dimensions[get_column_letter(i)].width = widths[i - 1] if i <= len(widths) else 14
    ws.freeze_panes = "A2"


# -- charts: hand-written SVG (text stays text; no matplotlib import, ~1 ms per chart) -------------
_FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','SimHei',sans-serif"
PALETTE = ("#4472c4", "#ed7d31", "#70ad47", "#ffc000", "#5b9bd5", "#a5a5a5", "#264478", "#9e480e",
           "#43682b", "#997300", "#636363", "#255e91")


def _x(s: object) -> str:
    return html_escape(str(s), quote=True)


def _f(v) -> float:
    return float(v)  # float-ok: chart geometry only; every figure shown is formatted from the Decimal


def _label(v) -> str:
    return fmt_amount(v) if isinstance(v, Decimal) else str(v)


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _nice(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round tick values covering lo..hi."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks, t = [], start
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 10))
        t += step
    if ticks[-1] < hi:
        ticks.append(round(t, 10))
    return ticks


def _tick(t: float) -> str:
    return str(int(t)) if t == int(t) else f"{t:g}"


def _svg_open(w: int, h: int, title: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            f'role="img" aria-label="{_x(title)}" font-family="{_FONT}">',
            f'<text x="{w / 2:.0f}" y="20" text-anchor="middle" font-size="15">{_x(title)}</text>']


def bar_svg(title: str, labels: Sequence[str], values: Sequence[Decimal | int], *, unit: str = "",
            colors: Sequence[str] | None = None, horizontal: bool = False) -> str:
    """A bar chart as an inline <svg> string; horizontal bars may be negative (changes)."""
    if not labels:
        return ""
    colors = list(colors or [PALETTE[0]] * len(labels))
    nums = [_f(v) for v in values]
    if horizontal:
        return _hbars(title, labels, values, nums, unit, colors)
    w, h, left, right, top, bottom = 640, 300, 56, 16, 40, 44
    ticks = _nice(0, max(nums + [1]))
    top_v = ticks[-1]
    pw, ph = w - left - right, h - top - bottom
    out = _svg_open(w, h, title)
    for t in ticks:
        y = top + ph - ph * t / top_v
        out.append(f'<line x1="{left}" x2="{w - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e0e0e0"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{_tick(t)}</text>')
    slot = pw / len(labels)
    for i, (lab, v, n) in enumerate(zip(labels, values, nums, strict=True)):
        bh = ph * n / top_v
        x = left + slot * i + slot * 0.2
        y = top + ph - bh
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.6:.1f}" height="{bh:.1f}" fill="{colors[i]}">'
                   f'<title>{_x(lab)}：{_x(_label(v))}</title></rect>'
                   f'<text x="{x + slot * 0.3:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="12">{_x(_label(v))}</text>'
                   f'<text x="{x + slot * 0.3:.1f}" y="{top + ph + 18}" text-anchor="middle" font-size="12">'
                   f'{_x(_clip(lab, 10))}</text>')
    out.append(f'<line x1="{left}" x2="{w - right}" y1="{top + ph}" y2="{top + ph}" stroke="#888"/>')
    if unit:
        out.append(f'<text x="14" y="{top + ph / 2:.0f}" font-size="12" transform="rotate(-90 14 {top + ph / 2:.0f})" '
                   f'text-anchor="middle">{_x(unit)}</text>')
    out.append("</svg>")
    return "".join(out)


def _hbars(title, labels, values, nums, unit, colors) -> str:
    row, left, right, top = 24, 190, 70, 36
    w = 760
    h = top + row * len(labels) + 40
    lo, hi = min(nums + [0.0]), max(nums + [0.0])
    ticks = _nice(lo, hi) if lo < 0 else _nice(0, hi)
    lo, hi = min(ticks[0], lo), max(ticks[-1], hi)
    pw = w - left - right
    span = (hi - lo) or 1

    def px(v: float) -> float:
        return left + pw * (v - lo) / span

    out = _svg_open(w, h, title)
    base = top + row * len(labels)
    for t in ticks:
        out.append(f'<line x1="{px(t):.1f}" x2="{px(t):.1f}" y1="{top}" y2="{base}" stroke="#eee"/>'
                   f'<text x="{px(t):.1f}" y="{base + 16}" text-anchor="middle" font-size="11">{_tick(t)}</text>')
    for i, (lab, v, n) in enumerate(zip(labels, values, nums, strict=True)):
        y = top + row * i + 4
        x0, x1 = sorted((px(0), px(n)))
        out.append(f'<text x="{left - 6}" y="{y + 12}" text-anchor="end" font-size="12">{_x(_clip(lab, 14))}</text>'
                   f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 0.5):.1f}" height="{row - 8}" fill="{colors[i]}">'
                   f'<title>{_x(lab)}：{_x(_label(v))}</title></rect>'
                   f'<text x="{(x1 + 4) if n >= 0 else (x0 - 4):.1f}" y="{y + 12}" font-size="11" '
                   f'text-anchor="{"start" if n >= 0 else "end"}">{_x(_label(v))}</text>')
    out.append(f'<line x1="{px(0):.1f}" x2="{px(0):.1f}" y1="{top}" y2="{base}" stroke="#666"/>')
    if unit:
        out.append(f'<text x="{left + pw / 2:.0f}" y="{base + 34}" text-anchor="middle" font-size="12">{_x(unit)}</text>')
    out.append("</svg>")
    return "".join(out)


def line_svg(title: str, xs: Sequence[int], series: Sequence[tuple[str, Sequence[Decimal | None]]],
             *, unit: str = "分") -> str:
    """Trend lines over years (one per series; gaps where a value is missing) as inline <svg>."""
    vals = [_f(v) for _, vs in series for v in vs if v is not None]
    if not vals or not xs:
        return ""
    legend = 0 < len(series) <= 12
    w, h, left, right, top, bottom = 720, 320, 56, (190 if legend else 20), 40, 40
    ticks = _nice(min(vals), max(vals))
    lo, hi = ticks[0], ticks[-1]
    pw, ph = w - left - right, h - top - bottom

    def px(i: int) -> float:
        return left + 30 + ((pw - 60) * i / (len(xs) - 1) if len(xs) > 1 else (pw - 60) / 2)

    def py(v: float) -> float:
        return top + ph - ph * (v - lo) / ((hi - lo) or 1)

    out = _svg_open(w, h, title)
    for t in ticks:
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{py(t):.1f}" y2="{py(t):.1f}" stroke="#e0e0e0"/>'
                   f'<text x="{left - 6}" y="{py(t) + 4:.1f}" text-anchor="end" font-size="11">{_tick(t)}</text>')
    for i, x in enumerate(xs):
        out.append(f'<text x="{px(i):.1f}" y="{top + ph + 18}" text-anchor="middle" font-size="12">{_x(x)}</text>')
    for k, (name, vs) in enumerate(series):
        color = PALETTE[k % len(PALETTE)]
        pts = [(px(i), py(_f(v)), v) for i, v in enumerate(vs) if v is not None]
        if len(pts) > 1:
            d = " ".join(f"{'M' if j == 0 else 'L'}{x:.1f},{y:.1f}" for j, (x, y, _) in enumerate(pts))
            out.append(f'<path d="{d}" fill="none" stroke="{color}" stroke-width="2"/>')
        for x, y, v in pts:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}">'
                       f'<title>{_x(name)}：{_x(_label(v))}</title></circle>')
        if legend:
            ly = top + 16 * k
            out.append(f'<rect x="{left + pw + 14}" y="{ly}" width="12" height="3" fill="{color}"/>'
                       f'<text x="{left + pw + 30}" y="{ly + 5}" font-size="11">{_x(_clip(name, 14))}</text>')
    out.append(f'<text x="14" y="{top + ph / 2:.0f}" font-size="12" transform="rotate(-90 14 {top + ph / 2:.0f})" '
               f'text-anchor="middle">{_x(unit)}</text></svg>')
    return "".join(out)


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
    return PAGE.render(title=title, sections=sections, intro=list(intro))
