"""Charts for the report: a pure ``ChartSpec`` (data) and two renderers sharing one layout —
PNG for Word (drawn with Pillow in a detected CJK font, so labels are never boxes) and an
SVG for HTML from the shared :mod:`jixiao.svgcharts` (text stays text). Both are deterministic and cached within the
process by a hash of the spec. (matplotlib was the first choice; its import and layout cost
~1.5 s per CLI run for three bar charts, so the report draws its simple bars itself.)
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
import warnings
from dataclasses import dataclass
from decimal import Decimal

from .. import svgcharts
from ..money import fmt_amount, q2
from .fonts import find_cjk_font


@dataclass(frozen=True)
class ChartSpec:
    """A horizontal bar chart: one bar group per label, one bar per series (values in ``unit``)."""

    key: str  # stable id (file name in the .docx)
    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[Decimal | None, ...]], ...]
    unit: str = "万元"
    note: str = ""  # caption under the chart
    percent_of_total: bool = False  # label bars with their share of the total too

    def digest(self) -> str:
        doc = [
            self.key,
            self.title,
            list(self.labels),
            [[n, [None if v is None else str(v) for v in vals]] for n, vals in self.series],
            self.unit,
            self.percent_of_total,
        ]
        return hashlib.sha256(json.dumps(doc, ensure_ascii=False).encode()).hexdigest()


class NoCJKFont(RuntimeError):
    """No installed font can show Chinese: charts are skipped (with a warning), never boxes."""


_COLORS = ("#4472c4", "#ed7d31", "#a5a5a5", "#70ad47")


def _label(v: Decimal) -> str:
    return fmt_amount(v)


#: characters per line of a bar label (the label column holds 18 CJK characters at 11 pt) and the
#: line height: a long project name wraps onto more lines, it is never cut
LABEL_CHARS = 17
LINE_H = 11


def wrap_label(s: str, width: int = LABEL_CHARS) -> list[str]:
    """A label in lines of at most ``width`` characters (one more for a closing mark). CJK text
    breaks between characters; a run of digits or Latin letters ('2018-2020', 'AI') is never split;
    a line never starts with a closing bracket or punctuation, nor ends with an opening one."""
    tokens = re.findall(r"[0-9A-Za-z.%\-]+|.", s)
    lines: list[str] = []
    cur = ""
    for tok in tokens:
        if cur and len(cur) + len(tok) > width and tok not in "）)】」』，、。；：%":
            carry = ""
            while cur and cur[-1] in "（(【「『“":  # an opening bracket goes down with its text
                carry, cur = cur[-1] + carry, cur[:-1]
            if cur:
                lines.append(cur)
            cur = carry
        cur += tok
    lines.append(cur)
    return lines


@dataclass(frozen=True)
class _Layout:
    """Geometry shared by the SVG and PNG renderers (SVG user units; the PNG is drawn at 2×)."""

    spec: ChartSpec
    # drawn 1:1 on the page (440 units = the text width, 1 unit = 1 pt): labels print at 9 pt
    label_w: int = 170
    plot_w: int = 190
    right: int = 80
    bar_h: int = 11
    top: int = 12
    bottom: int = 40

    @functools.cached_property
    def longest_value(self) -> int:
        """Characters of the longest value label ('50,547.80（95.59%）')."""
        return max(
            (len(self.bar_text(v)) for _, vals in self.spec.series for v in vals if v is not None), default=1
        )

    @property
    def value_w(self) -> int:
        """Room right of the plot for the value labels (7.5 pt digits ≈ 4.6 units, CJK ≈ 7.5): never cut."""
        return max(self.right, int(self.longest_value * 5.2) + 10)

    @property
    def k(self) -> int:
        return max(1, len(self.spec.series))

    @property
    def group_h(self) -> int:
        lines = max((len(wrap_label(x)) for x in self.spec.labels), default=1)
        return max(self.bar_h * self.k + 6, lines * LINE_H + 4)

    @property
    def width(self) -> int:
        return self.label_w + self.plot_w + self.value_w

    @property
    def height(self) -> int:
        return self.top + self.group_h * len(self.spec.labels) + self.bottom

    @functools.cached_property
    def axis(self) -> tuple[Decimal, Decimal]:
        maxv = max([v for _, vals in self.spec.series for v in vals if v is not None] or [Decimal(0)])
        ticks = svgcharts.nice_ticks(0, maxv)
        return ticks[1] - ticks[0], ticks[-1]

    def x(self, v: Decimal) -> Decimal:
        return (v * self.plot_w / self.axis[1]).quantize(Decimal("0.1"))

    def bar_text(self, v: Decimal) -> str:
        text = _label(v)
        if self.spec.percent_of_total and self.spec.series:
            total = sum((x for x in self.spec.series[0][1] if x is not None), Decimal(0))
            if total:
                text += f"（{q2(v * 100 / total)}%）"
        return text


@functools.lru_cache(maxsize=64)
def _png_cached(digest: str, spec: ChartSpec) -> bytes:
    """The chart as PNG for Word, drawn with Pillow in the detected CJK font (deterministic)."""
    font = find_cjk_font()
    if font is None:
        raise NoCJKFont(
            "未找到可显示中文的字体（如 Noto Sans CJK、文泉驿、微软雅黑、黑体、宋体），已跳过图表。"
        )
    from PIL import Image, ImageDraw, ImageFont

    sc = 2
    lay = _Layout(spec)

    def f(size: float):
        return ImageFont.truetype(font[1], int(size * sc), index=font[2])

    f_label, f_small, f_bar = f(9), f(8), f(7.5)
    img = Image.new("RGB", (lay.width * sc, lay.height * sc), "white")
    d = ImageDraw.Draw(img)
    n = len(spec.labels)
    plot_bottom = lay.top + lay.group_h * n
    step, axis_max = lay.axis
    for t in range(int(axis_max / step) + 1):
        v = step * t
        x = (lay.label_w + lay.x(v)) * sc
        d.line(
            [(int(x), lay.top * sc), (int(x), plot_bottom * sc)],
            fill="black" if t == 0 else "#dddddd",
            width=1 if t else 2,
        )
        d.text(
            (int(x), (plot_bottom + 14) * sc),
            fmt_amount(v, places=0),
            font=f_small,
            fill="black",
            anchor="ms",
        )
    for i, label in enumerate(spec.labels):
        y0 = lay.top + lay.group_h * i + 4
        lines = wrap_label(label)
        for li, line in enumerate(lines):
            yc = y0 + lay.group_h / 2 - 2 + (li - (len(lines) - 1) / 2) * LINE_H
            d.text(((lay.label_w - 6) * sc, int(yc * sc)), line, font=f_label, fill="black", anchor="rm")
        for si, (_, vals) in enumerate(spec.series):
            v = vals[i]
            if v is None:
                continue
            y = y0 + si * lay.bar_h
            w = lay.x(v)
            x0 = lay.label_w * sc
            if w > 0:
                d.rectangle(
                    [x0, y * sc, int(x0 + w * sc), (y + lay.bar_h - 2) * sc], fill=_COLORS[si % len(_COLORS)]
                )
            d.text(
                (int(x0 + (w + 3) * sc), int((y + lay.bar_h / 2 - 1) * sc)),
                lay.bar_text(v),
                font=f_bar,
                fill="black",
                anchor="lm",
            )
    ly = lay.height - 12
    d.text(((lay.label_w - 6) * sc, ly * sc), f"单位：{spec.unit}", font=f_small, fill="black", anchor="rs")
    if lay.k > 1:
        lx = lay.label_w
        for si, (name, _) in enumerate(spec.series):
            d.rectangle(
                [(lx + si * 80) * sc, (ly - 9) * sc, (lx + si * 80 + 10) * sc, (ly + 1) * sc],
                fill=_COLORS[si % len(_COLORS)],
            )
            d.text(((lx + si * 80 + 14) * sc, ly * sc), name, font=f_small, fill="black", anchor="ls")
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False, dpi=(144, 144))
    return buf.getvalue()


@functools.lru_cache(maxsize=64)
def _svg_cached(digest: str, spec: ChartSpec) -> str:
    """The chart as inline SVG (text stays text, so it is searchable and crisp; ~1 ms), drawn by
    :mod:`jixiao.svgcharts` with the same labels and values as the PNG."""
    lay = _Layout(spec)
    # the label column grows with the longest name (13 px a character), so no name is cut
    longest = max((len(x) for x in spec.labels), default=1)
    label_w = max(lay.label_w, min(480, 13 * longest + 12))
    return svgcharts.hbars(
        spec.title,
        spec.labels,
        spec.series,
        unit=spec.unit,
        colors=_COLORS,
        value_text=lambda _si, _gi, v: lay.bar_text(v),
        label_w=label_w,
        plot_w=lay.plot_w,
        value_w=max(lay.value_w, lay.longest_value * 7 + 10),
        bar_h=lay.bar_h,
        gap=8,
        clip_at=max(16, longest),
    )


def stamp_png(text: str) -> bytes | None:
    """A short red line of text ('草稿：尚有7项指标待评') as a 300-dpi PNG for the Word page header, or
    None without a CJK font. Drawn, not typed: a running header of text would read, to a PDF text
    extractor, as a paragraph in the middle of every table that goes on over a page break."""
    font = find_cjk_font()
    return None if font is None else _stamp_cached(text, font)


@functools.lru_cache(maxsize=8)
def _stamp_cached(text: str, font: tuple[str, str, int]) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    f = ImageFont.truetype(font[1], 50, index=font[2])  # 12 pt at 300 dpi
    x0, y0, x1, y1 = f.getbbox(text)
    img = Image.new("RGB", (x1 - x0 + 8, y1 - y0 + 8), "white")
    ImageDraw.Draw(img).text(
        (4 - x0, 4 - y0), text, font=f, fill="#c00000", stroke_width=1, stroke_fill="#c00000"
    )
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False, dpi=(300, 300))
    return buf.getvalue()


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
