"""The shared SVG chart writer: well-formed, escaped, proportional, deterministic; and the report,
web and batch charts all come from it."""

from __future__ import annotations

import re
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from jixiao import svgcharts
from jixiao.svgcharts import hbars, lines, nice_ticks, num, tick_label, vbars

SVG = "{http://www.w3.org/2000/svg}"
hostile = st.text(alphabet=st.sampled_from("<>&\"'局单位=+ sScript/"), max_size=12)
amount = st.decimals(min_value=-(10**6), max_value=10**6, places=2)


def parse(svg: str):
    root = etree.fromstring(svg.encode())
    assert root.tag == SVG + "svg"
    return root


def texts(root) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(SVG + "text")]


def test_script_in_any_text_is_escaped():
    evil = "<script>alert(1)</script>"
    for svg in (
        hbars(evil, [evil], [(evil, [D(1)])], unit=evil),
        vbars(evil, [evil], [3], unit=evil),
        lines(evil, [evil], [(evil, [D(1)])], unit=evil),
    ):
        assert "<script" not in svg and "&lt;script&gt;" in svg
        root = parse(svg)
        assert root.find(f"{SVG}title").text == evil
        assert not list(root.iter("script")) and not list(root.iter(SVG + "script"))


def test_bars_are_proportional_and_values_printed():
    svg = hbars(
        "预算与决算",
        ["甲", "乙"],
        [("预算", [D(50), D(100)]), ("决算", [D("25.5"), None])],
        unit="万元",
        axis=False,
    )
    root = parse(svg)
    bars = [r for r in root.iter(SVG + "rect") if r.find(SVG + "title") is not None]
    assert [D(r.get("width")) for r in bars] == [D(190), D("96.9"), D(380)]  # 380 px for 100
    shown = texts(root)
    assert {"50.00", "25.50", "100.00", "预算", "决算", "单位：万元", "预算与决算"} <= set(shown)
    assert any("甲" in t for t in shown) and any("乙" in t for t in shown)


def test_negative_bars_grow_left_of_zero():
    root = parse(hbars("变动", ["升", "降"], [("", [D(5), D(-5)])], axis=False))
    up, down = [r for r in root.iter(SVG + "rect")]
    assert D(up.get("width")) == D(down.get("width")) > 0
    assert D(down.get("x")) + D(down.get("width")) == D(up.get("x"))  # they meet at the zero line
    assert "-5.00" in texts(root) and "5.00" in texts(root)


def test_vertical_bars_and_lines():
    root = parse(vbars("等级分布", ["优", "良", "差"], [3, 6, 0], unit="单位数"))
    heights = [D(r.get("height")) for r in root.iter(SVG + "rect")]
    assert heights[1] == 2 * heights[0] and heights[2] == 0
    root = parse(
        lines("总分趋势", [2022, 2023], [("甲局", [D("88.5"), D(92)]), ("乙局", [None, D(80)])], unit="分")
    )
    assert len(list(root.iter(SVG + "path"))) == 1 and len(list(root.iter(SVG + "circle"))) == 3
    assert {"2022", "2023", "甲局", "乙局", "分"} <= set(texts(root))


def test_empty_input_draws_nothing():
    assert (
        hbars("t", [], [("a", [])]) == ""
        and vbars("t", [], []) == ""
        and lines("t", [2023], [("a", [None])]) == ""
    )


def test_ticks_are_round_and_cover_the_range():
    assert nice_ticks(0, 21120) == [D(0), D(5000), D(10000), D(15000), D(20000), D(25000)]
    assert nice_ticks(D("-7.25"), D("3.5")) == [D("-7.5"), D(-5), D("-2.5"), D(0), D("2.5"), D(5)]
    assert [tick_label(t) for t in nice_ticks(0, 21120)][-1] == "25,000" and tick_label(D("2.50")) == "2.5"
    assert num(230) == "230" and num(D("190.04")) == "190" and num(D("96.85")) == "96.9"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(hostile, amount | st.none(), amount | st.none()), min_size=1, max_size=6), hostile)
def test_hbars_are_well_formed_deterministic_and_in_bounds(rows, title):
    labels = [r[0] for r in rows]
    series = [("预算", [r[1] for r in rows]), ("决算<b>", [r[2] for r in rows])]
    svg = hbars(title, labels, series, unit="万元")
    assert svg == hbars(title, labels, series, unit="万元")
    root = parse(svg)
    width = D(root.get("width"))
    for r in root.iter(SVG + "rect"):
        assert D(r.get("width")) >= 0 and D(0) <= D(r.get("x")) <= width
    assert "<b>" not in svg and "<script" not in svg.lower().replace("&lt;script", "")
    assert len([r for r in root.iter(SVG + "rect") if r.find(SVG + "title") is not None]) == sum(
        v is not None for r in rows for v in r[1:]
    )


def test_every_caller_draws_with_the_shared_writer(monkeypatch):
    from jixiao.batch import render
    from jixiao.report import charts as report_charts
    from jixiao.web import charts as web_charts

    calls = []
    for name in ("hbars", "vbars", "lines"):
        real = getattr(svgcharts, name)
        monkeypatch.setattr(
            svgcharts, name, lambda *a, _n=name, _r=real, **k: calls.append(_n) or _r(*a, **k)
        )
    spec = report_charts.ChartSpec("k", "标题", ("甲",), (("决算", (D(1),)),))
    report_charts._svg_cached.cache_clear()
    assert report_charts.render_svg(spec).startswith("<svg")
    web_charts.hbars("t", [("甲", [D(1)])], ["a"])
    web_charts.vbars("t", [("优", 1)])
    render.bar_svg("t", ["甲"], [1])
    render.bar_svg("t", ["甲"], [D(-1)], horizontal=True)
    render.line_svg("t", [2023], [("甲", [D(1)])])
    assert calls == ["hbars", "hbars", "vbars", "vbars", "hbars", "lines"]
    report_charts._svg_cached.cache_clear()


def test_cjk_font_stack_and_no_float_artifacts():
    svg = hbars("标题", ["甲"], [("a", [D("0.1")])])
    assert "Noto Sans CJK SC" in svg and "Microsoft YaHei" in svg
    assert not re.search(r"\d\.\d{2,}\"", svg)  # coordinates carry at most one decimal place
