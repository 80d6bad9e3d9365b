"""Inline SVG charts shared by the HTML report, the web pages and the batch/compare pages:
horizontal grouped bars (negative values grow left of a zero line), vertical bars and trend lines.

Pure functions of data returning an ``<svg>`` string: geometry in Decimal (written with at most one
decimal place), every text escaped, text kept as text in a CJK font stack (the viewer's Chinese
font draws it), byte-identical output for the same input. (matplotlib was tried first; its import
and CJK font loading cost 1.5–2 s per run for a few bars.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from html import escape

from .money import fmt_amount

FONT_STACK = (
    "'Microsoft YaHei', 'PingFang SC', 'Hiragino Sans GB', 'Noto Sans CJK SC', "
    "'Source Han Sans SC', 'WenQuanYi Micro Hei', SimHei, sans-serif"
)
PALETTE = (
    "#4472c4",
    "#ed7d31",
    "#70ad47",
    "#ffc000",
    "#5b9bd5",
    "#a5a5a5",
    "#264478",
    "#9e480e",
    "#43682b",
    "#997300",
    "#636363",
    "#255e91",
)
_TENTH = Decimal("0.1")
_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))

Number = Decimal | int


def esc(s: object) -> str:
    """Text or attribute value for SVG/HTML: & < > " ' escaped."""
    return escape(str(s), quote=True)


def clip(s: str, n: int) -> str:
    """At most ``n`` characters, an ellipsis marking a cut."""
    return s if len(s) <= n else s[: n - 1] + "…"


def num(v: Number) -> str:
    """A coordinate: rounded to 0.1, written without a trailing '.0' ('230', '190.5')."""
    d = Decimal(v).quantize(_TENTH, rounding=ROUND_HALF_UP)
    return str(d.to_integral_value()) if d == d.to_integral_value() else str(d)


def value_label(v: object) -> str:
    """A bar's value as shown: Decimals with 2 places and thousands separators, counts as they are."""
    return fmt_amount(v) if isinstance(v, Decimal) else str(v)


def tick_label(t: Decimal) -> str:
    """An axis tick: '0', '2.5', '1,000'."""
    if t == t.to_integral_value():
        return f"{int(t):,}"
    return format(t.normalize(), "f")


def nice_ticks(lo: Number, hi: Number, n: int = 5) -> list[Decimal]:
    """Round tick values (step 1, 2, 2.5 or 5 × 10^k, about ``n`` steps) covering lo..hi."""
    lo, hi = Decimal(lo), Decimal(hi)
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = Decimal(10) ** raw.adjusted()
    step = next(m * mag for m in _STEPS if m * mag >= raw)
    first = (lo / step).to_integral_value(rounding=ROUND_FLOOR)
    last = (hi / step).to_integral_value(rounding=ROUND_CEILING)
    return [step * k for k in range(int(first), int(last) + 1)]


def _open(w: Number, h: Number, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {num(w)} {num(h)}" '
        f'width="{num(w)}" height="{num(h)}" aria-label="{esc(title)}" font-family="{FONT_STACK}" '
        f'font-size="12"><title>{esc(title)}</title>',
        f'<text x="{num(Decimal(w) / 2)}" y="20" text-anchor="middle" font-size="15" '
        f'class="chart-title">{esc(title)}</text>',
    ]


def _legend(names: Sequence[str], colors: Sequence[str], x: int, y: int) -> list[str]:
    out = []
    for i, name in enumerate(names):
        out.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colors[i % len(colors)]}"/>'
            f'<text x="{x + 16}" y="{y + 10}" font-size="12" class="chart-legend">{esc(name)}</text>'
        )
        x += 40 + 14 * len(name)
    return out


def _y_unit(unit: str, mid: Decimal) -> list[str]:
    """The unit written up the left edge, centred on the plot."""
    if not unit:
        return []
    y = num(mid)
    return [f'<text x="14" y="{y}" transform="rotate(-90 14 {y})" text-anchor="middle">{esc(unit)}</text>']


def hbars(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number | None]]],
    *,
    unit: str = "",
    colors: Sequence[str] | None = None,
    bar_colors: Sequence[str] | None = None,
    value_text: Callable[[int, int, Number], str] | None = None,
    scale_max: Number | None = None,
    axis: bool = True,
    legend: bool | None = None,
    label_w: int = 230,
    plot_w: int = 380,
    value_w: int = 110,
    bar_h: int = 14,
    gap: int = 10,
    clip_at: int = 16,
) -> str:
    """Horizontal grouped bars: one group per label, one bar per series (``None`` draws nothing).

    Negative values grow left of the zero line. ``scale_max`` fixes the largest magnitude (longer
    bars are cut at it); ``axis`` adds round ticks; ``bar_colors`` colours each group (one series);
    ``value_text(series_index, label_index, value)`` replaces the printed value.
    """
    if not labels or not series:
        return ""
    colors = list(colors or PALETTE)
    vals = [Decimal(v) for _, vs in series for v in vs if v is not None]
    lo, hi = min(vals + [Decimal(0)]), max(vals + [Decimal(0)])
    if scale_max is not None:
        lo, hi = max(lo, -Decimal(scale_max)), Decimal(scale_max)
    ticks = nice_ticks(lo, hi) if axis else []
    if ticks:
        lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    if hi <= lo:
        hi = lo + 1
    span = hi - lo
    show_legend = len(series) > 1 if legend is None else legend
    group_h = bar_h * len(series) + gap
    y0 = 34 + (26 if show_legend else 0)
    base = y0 + group_h * len(labels)
    left_pad = value_w if lo < 0 else 0  # room for the values printed left of negative bars
    x_left = label_w + left_pad
    width = x_left + plot_w + value_w
    height = base + (22 if ticks else 0) + (20 if unit else 0) + 6

    label_size = num(min(Decimal(13), Decimal(label_w - 12) / clip_at))  # clip_at CJK characters fit

    def px(v: Decimal) -> Decimal:
        return x_left + plot_w * (min(max(v, lo), hi) - lo) / span

    out = _open(width, height, title)
    if show_legend:
        out += _legend([name for name, _ in series], colors, x_left, 32)
    for t in ticks:
        x = num(px(t))
        out.append(
            f'<line x1="{x}" x2="{x}" y1="{y0}" y2="{base}" stroke="#e0e0e0"/>'
            f'<text x="{x}" y="{base + 16}" text-anchor="middle" font-size="11">{tick_label(t)}</text>'
        )
    zero = px(Decimal(0))
    for gi, label in enumerate(labels):
        gy = y0 + gi * group_h
        out.append(
            f'<text x="{label_w - 8}" y="{gy + group_h // 2 + 2}" text-anchor="end" font-size="{label_size}" '
            f'class="chart-label"><title>{esc(label)}</title>{esc(clip(label, clip_at))}</text>'
        )
        for si, (name, vs) in enumerate(series):
            v = vs[gi] if gi < len(vs) else None
            if v is None:
                continue
            end = px(Decimal(v))
            x0, x1 = min(zero, end), max(zero, end)
            by = gy + si * bar_h
            fill = bar_colors[gi % len(bar_colors)] if bar_colors else colors[si % len(colors)]
            shown = value_text(si, gi, v) if value_text else value_label(v)
            tip = f"{label} {name}：" if name else f"{label}："
            out.append(
                f'<rect x="{num(x0)}" y="{by}" width="{num(x1 - x0)}" height="{bar_h - 2}" fill="{fill}">'
                f"<title>{esc(tip + value_label(v) + unit)}</title></rect>"
            )
            neg = Decimal(v) < 0
            out.append(
                f'<text x="{num(x0 - 4 if neg else x1 + 4)}" y="{by + bar_h - 3}" font-size="12" '
                f'text-anchor="{"end" if neg else "start"}" class="chart-value">{esc(shown)}</text>'
            )
    if lo < 0:
        out.append(f'<line x1="{num(zero)}" x2="{num(zero)}" y1="{y0}" y2="{base}" stroke="#666"/>')
    if unit:
        out.append(
            f'<text x="{num(x_left + Decimal(plot_w) / 2)}" y="{height - 10}" text-anchor="middle" '
            f'font-size="12">单位：{esc(unit)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def vbars(
    title: str,
    labels: Sequence[str],
    values: Sequence[Number],
    *,
    unit: str = "",
    colors: Sequence[str] | None = None,
    width: int = 640,
    height: int = 300,
    clip_at: int = 10,
) -> str:
    """Vertical bars of non-negative values (e.g. units per grade), one colour per bar."""
    if not labels:
        return ""
    colors = list(colors or [PALETTE[0]])
    left, right, top, bottom = 56, 16, 40, 44
    ticks = nice_ticks(0, max([Decimal(v) for v in values] + [Decimal(1)]))
    top_v = ticks[-1]
    pw, ph = width - left - right, height - top - bottom
    out = _open(width, height, title)
    for t in ticks:
        y = num(top + ph - ph * t / top_v)
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y}" y2="{y}" stroke="#e0e0e0"/>'
            f'<text x="{left - 6}" y="{num(top + ph - ph * t / top_v + 4)}" text-anchor="end" '
            f'font-size="11">{tick_label(t)}</text>'
        )
    slot = Decimal(pw) / len(labels)
    for i, (lab, v) in enumerate(zip(labels, values, strict=True)):
        bh = ph * max(Decimal(v), Decimal(0)) / top_v
        x = left + slot * i + slot / 5
        y = top + ph - bh
        mid = num(x + slot * 3 / 10)
        out.append(
            f'<rect x="{num(x)}" y="{num(y)}" width="{num(slot * 3 / 5)}" height="{num(bh)}" '
            f'fill="{colors[i % len(colors)]}"><title>{esc(lab)}：{esc(value_label(v))}</title></rect>'
            f'<text x="{mid}" y="{num(y - 4)}" text-anchor="middle" class="chart-value">{esc(value_label(v))}</text>'
            f'<text x="{mid}" y="{top + ph + 18}" text-anchor="middle" class="chart-label">'
            f"{esc(clip(lab, clip_at))}</text>"
        )
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{top + ph}" y2="{top + ph}" stroke="#888"/>')
    out += _y_unit(unit, top + Decimal(ph) / 2)
    out.append("</svg>")
    return "".join(out)


def lines(
    title: str,
    xs: Sequence[object],
    series: Sequence[tuple[str, Sequence[Number | None]]],
    *,
    unit: str = "",
    colors: Sequence[str] | None = None,
) -> str:
    """Trend lines over ``xs`` (e.g. years), one per series, a gap where a value is missing; a
    legend beside the plot for up to 12 series."""
    vals = [Decimal(v) for _, vs in series for v in vs if v is not None]
    if not vals or not xs:
        return ""
    colors = list(colors or PALETTE)
    legend = len(series) <= 12
    w, h, left, right, top, bottom = 720, 320, 56, (190 if legend else 20), 40, 40
    ticks = nice_ticks(min(vals), max(vals))
    lo, hi = ticks[0], ticks[-1]
    pw, ph = w - left - right, h - top - bottom

    def px(i: int) -> Decimal:
        inner = Decimal(pw - 60)
        return left + 30 + (inner * i / (len(xs) - 1) if len(xs) > 1 else inner / 2)

    def py(v: Decimal) -> Decimal:
        return top + ph - ph * (v - lo) / ((hi - lo) or 1)

    out = _open(w, h, title)
    for t in ticks:
        out.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{num(py(t))}" y2="{num(py(t))}" stroke="#e0e0e0"/>'
            f'<text x="{left - 6}" y="{num(py(t) + 4)}" text-anchor="end" font-size="11">{tick_label(t)}</text>'
        )
    for i, x in enumerate(xs):
        out.append(
            f'<text x="{num(px(i))}" y="{top + ph + 18}" text-anchor="middle" class="chart-label">{esc(x)}</text>'
        )
    for k, (name, vs) in enumerate(series):
        color = colors[k % len(colors)]
        pts = [(num(px(i)), num(py(Decimal(v))), v) for i, v in enumerate(vs) if v is not None]
        if len(pts) > 1:
            d = " ".join(f"{'M' if j == 0 else 'L'}{x},{y}" for j, (x, y, _) in enumerate(pts))
            out.append(f'<path d="{d}" fill="none" stroke="{color}" stroke-width="2"/>')
        for x, y, v in pts:
            out.append(
                f'<circle cx="{x}" cy="{y}" r="3.5" fill="{color}">'
                f"<title>{esc(name)}：{esc(value_label(v))}</title></circle>"
            )
        if legend:
            ly = top + 16 * k
            out.append(
                f'<rect x="{left + pw + 14}" y="{ly}" width="12" height="3" fill="{color}"/>'
                f'<text x="{left + pw + 30}" y="{ly + 5}" font-size="11" class="chart-legend">'
                f"{esc(clip(name, 14))}</text>"
            )
    out += _y_unit(unit, top + Decimal(ph) / 2)
    out.append("</svg>")
    return "".join(out)
