"""Rendering helpers shared by the batch summary and history/compare: formula-safe xlsx tables,
escaped HTML pages and matplotlib charts as inline SVG with a real CJK font."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from jinja2 import Environment

from ..money import fmt_amount

#: text starting with one of these is a formula to Excel/WPS (CSV/formula injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(v):
    """A value for a spreadsheet cell: numbers stay numbers; text never starts a formula."""
    if v is None or isinstance(v, bool):
        return "" if v is None else ("是" if v else "否")
    if isinstance(v, int | Decimal):
        return v
    s = str(v)
    if s.startswith(_FORMULA_START):
        s = "'" + s
    return s


def fmt(v) -> str:
    """A cell as text: Decimals with 2 places, None empty."""
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
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if isinstance(c.value, Decimal):
                c.number_format = "#,##0.00"
    for i, _ in enumerate(headers, 1):
        ws.column_dimensions[get_column_letter(i)].width = widths[i - 1] if i <= len(widths) else 14
    ws.freeze_panes = "A2"


def cjk_font() -> str | None:
    """Family name of an installed font with Chinese glyphs (the report's detector when present)."""
    try:
        from ..report.fonts import find_cjk_font
    except ImportError:  # pragma: no cover - report package absent
        find_cjk_font = _find_cjk_font
    found = find_cjk_font()
    return found[0] if found else None


def _find_cjk_font():  # pragma: no cover - fallback only
    from matplotlib import font_manager

    for f in font_manager.fontManager.ttflist:
        if any(k in f.name for k in ("CJK", "Hei", "Song", "YaHei", "WenQuanYi")):
            return f.name, f.fname
    return None


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    font = cjk_font()
    if font is None:
        return None
    fig = Figure(figsize=(width, height), dpi=100)
    return fig, font


def _svg(fig) -> str:
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "jixiao", "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.index("<svg"):]


def bar_svg(title: str, labels: Sequence[str], values: Sequence[Decimal | int], *, unit: str = "",
            colors: Sequence[str] | None = None, horizontal: bool = False) -> str:
    """A bar chart as an inline <svg> string ('' when no Chinese font is installed)."""
    made = _figure(7.5, max(2.6, 0.35 * len(labels) + 1) if horizontal else 3.4)
    if made is None:
        return ""
    fig, font = made
    ax = fig.add_subplot()
    xs = list(range(len(labels)))
    nums = [float(v) for v in values]  # float-ok: chart geometry only, never a figure shown as text
    kw = {"color": list(colors)} if colors else {}
    bars = ax.barh(xs, nums, **kw) if horizontal else ax.bar(xs, nums, **kw)
    for b, v in zip(bars, values, strict=True):
        text = fmt_amount(v) if isinstance(v, Decimal) else str(v)
        if horizontal:
            ax.annotate(text, (b.get_width(), b.get_y() + b.get_height() / 2), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=8, family=font)
        else:
            ax.annotate(text, (b.get_x() + b.get_width() / 2, b.get_height()), xytext=(0, 3),
                        textcoords="offset points", ha="center", fontsize=9, family=font)
    if horizontal:
        ax.set_yticks(xs, labels, family=font, fontsize=8)
        ax.invert_yaxis()
        ax.axvline(0, color="#888", linewidth=0.8)
    else:
        ax.set_xticks(xs, labels, family=font)
    ax.set_title(title, family=font)
    if unit:
        (ax.set_xlabel if horizontal else ax.set_ylabel)(unit, family=font)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def line_svg(title: str, xs: Sequence[int], series: Sequence[tuple[str, Sequence[Decimal | None]]],
             *, unit: str = "分") -> str:
    """Trend lines (one per series) over years as an inline <svg> string."""
    made = _figure(7.5, 3.6)
    if made is None:
        return ""
    fig, font = made
    ax = fig.add_subplot()
    for name, vals in series:
        pts = [(x, float(v)) for x, v in zip(xs, vals, strict=True) if v is not None]  # float-ok: geometry
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=name)
    ax.set_xticks(list(xs), [str(x) for x in xs])
    ax.set_title(title, family=font)
    ax.set_ylabel(unit, family=font)
    if 0 < len(series) <= 12:
        ax.legend(prop={"family": font, "size": 8}, loc="best")
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


_env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_env.filters["fmt"] = fmt

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
{% for v in r %}<td{% if v is number %} class="num"{% elif loop.index0 in (sec.nowrap or ()) %} class="name"{% endif %}>{{ v | fmt }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
{% endif %}
{% endfor %}
</body></html>
""")


def html_page(title: str, sections: list[dict], intro: Sequence[str] = ()) -> str:
    """A self-contained page. ``sections``: dicts with title, headers, rows, optional svg, bad (rows to
    highlight) and nowrap (column indexes kept on one line)."""
    return PAGE.render(title=title, sections=sections, intro=list(intro))
