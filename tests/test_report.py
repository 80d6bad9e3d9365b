"""The report: Word/HTML/xlsx/JSON written from one ReportContext, checked on the real files."""

from __future__ import annotations

import io
import json
import re
import zipfile
from decimal import Decimal as D
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import need
from reference_department import reference_department

from jixiao.model import Project
from jixiao.report import (
    build_context,
    output_names,
    render,
    render_docx_bytes,
    render_html,
    render_xlsx_bytes,
)
from jixiao.results import Evaluation

GOLDENS = Path(__file__).parent / "goldens"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

#: figures the reference report states (its golden set); our report must state each one
REFERENCE_FIGURES = [
    "52,878.93",
    "2,032.72",
    "298.41",
    "50,547.80",
    "1,547.34",
    "147.41",
    "337.97",
    "50,846.21",
    "1,889.77",
    "1,969.68",
    "63.04",
    "57.84",
    "13.87",
    "43.97",
    "10.84",
    "42.00",
    "5.00",
    "7.88",
    "4.70",
    "1.29",
    "5.97",
    "0.78",
    "31.99%",
    "65.38%",
    "396.20",
    "379.72",
    "65,000.00",
    "8,500.00",
    "73,500.00",
    "75,761.69",
    "24,915.48",
    "32.89%",
    "10,435.00",
    "86.76%",
    "-21.84%",
    "74.00",
    "99.50%",
    "148.15",
    "75,785.97",
    "92.33%",
    "67,285.97",
    "12.63%",
    "412.31",
    "100.00%",
    "78.59%",
    "998.12",
    "194.00",
    "804.12",
    "414.49%",
    "247.00",
    "281.86",
    "112.79",
    "811.63",
    "72.63",
    "1.06",
    "11.63",
    "46.49",
    "134.21",
    "8,000.00",
    "375.81",
    "4.70%",
    "8,080.00",
    "21,120.00",
    "4,701.80",
    "81.31",
    "68.77%",
]


def evaluation_of(dept) -> Evaluation:
    """The real evaluate when it exists; indicators + scoring otherwise (same result types)."""
    try:
        from jixiao.evaluate import evaluate
    except ModuleNotFoundError:
        from jixiao import indicators, scoring

        inds = indicators.compute_all(dept)
        return Evaluation(
            dept,
            inds,
            indicators.project_indicators(dept),
            scoring.score(None, inds, dept),
            [scoring.score_project(p, dept) for p in dept.projects],
            [],
            [],
        )
    return evaluate(dept)


@pytest.fixture(scope="module")
def ref_eval() -> Evaluation:
    return evaluation_of(reference_department())


@pytest.fixture(scope="module")
def ref_docx(ref_eval) -> bytes:
    return render_docx_bytes(build_context(ref_eval))


# -- dumps used by the golden tests -------------------------------------------------------------


def _wtext(el) -> str:
    """Text of an element as Word shows it: <w:t> runs, and Word's non-breaking hyphen as '-'."""
    return "".join((t.text or "") if t.tag == f"{W}t" else "-" for t in el.iter(f"{W}t", f"{W}noBreakHyphen"))


def dump_docx(data: bytes) -> str:
    """Paragraphs and tables in document order; merged cells shown as ⟨span n⟩ / ⟨↑⟩."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    body = root.find(f"{W}body")
    out = []
    for el in body:
        if el.tag == f"{W}p":
            style = el.find(f"{W}pPr/{W}pStyle")
            text = _wtext(el)
            if el.find(f".//{W}drawing") is not None:
                text = "[图片]"
            if text:
                out.append(f"[{style.get(f'{W}val') if style is not None else ''}] {text}")
        elif el.tag == f"{W}tbl":
            out.append("<表>")
            for tr in el.findall(f"{W}tr"):
                cells = []
                for tc in tr.findall(f"{W}tc"):
                    span = tc.find(f"{W}tcPr/{W}gridSpan")
                    vm = tc.find(f"{W}tcPr/{W}vMerge")
                    text = _wtext(tc)
                    if vm is not None and vm.get(f"{W}val") != "restart":
                        text = "⟨↑⟩"
                    if span is not None:
                        text += f"⟨span {span.get(f'{W}val')}⟩"
                    cells.append(text)
                out.append("| " + " | ".join(cells) + " |")
            out.append("</表>")
    return "\n".join(out) + "\n"


class _HTMLText(HTMLParser):
    BLOCKS = {"h1", "h2", "h3", "h4", "p", "tr", "figcaption", "hr"}

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []
        self.cur: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("svg", "style", "title"):
            self.skip += 1
        if tag in ("td", "th"):
            self.cur.append("| ")
        if tag == "hr":
            self.lines.append("----")

    def handle_endtag(self, tag):
        if tag in ("svg", "style", "title"):
            self.skip -= 1
        if tag in ("td", "th"):
            self.cur.append(" ")
        if tag in self.BLOCKS and self.cur:
            line = "".join(self.cur).strip()
            if line:
                self.lines.append(f"{tag}: {line}")
            self.cur = []

    def handle_data(self, data):
        if not self.skip:
            self.cur.append(data)


def dump_html(text: str) -> str:
    p = _HTMLText()
    p.feed(text)
    return "\n".join(p.lines) + "\n"


def check_golden(name: str, text: str, update: bool):
    """The conftest ``golden`` fixture's comparison (kept for the callers that pass ``update``)."""
    from conftest import Golden

    Golden(update)(name, text)


# -- tests -------------------------------------------------------------------------------------


def test_outline_in_reference_order(ref_docx):
    import docx

    d = docx.Document(io.BytesIO(ref_docx))
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    expected = [
        "一、部门概况",
        "二、一般公共预算支出情况",
        "三、项目组织实施情况",
        "四、资产管理情况",
        "五、政府性基金预算支出情况",
        "六、国有资本经营预算支出情况",
        "七、社会保险基金预算支出情况",
        "八、部门整体支出绩效情况",
        "九、存在的问题及原因分析",
        "十、下一步改进措施",
        "十一、绩效自评结果拟应用和公开情况",
        "十二、其他需要说明的情况",
    ]
    assert h1[:12] == expected
    assert h1[12:] and all(t.startswith("附件") for t in h1[12:])
    text = "\n".join(p.text for p in d.paragraphs)
    assert "2023年度长沙市科学技术局无政府性基金预算支出。" in text
    # generated sentences state the reference's arithmetic exactly
    assert "较2022年决算1,969.68万元增加63.04万元，增长3.20%" in text
    assert "较预算节约43.97万元" in text
    assert "298.41/379.72×100%=78.59%" in text
    assert "375.81/8,000.00×100%=4.70%" in text
    assert "较2022年项目支出75,761.69万元减少24,915.48万元，下降32.89%" in text


def test_every_reference_figure_appears(ref_docx, ref_eval):
    import docx

    d = docx.Document(io.BytesIO(ref_docx))
    text = "\n".join(p.text for p in d.paragraphs)
    cells = "\n".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    missing = [f for f in REFERENCE_FIGURES if f not in text and f not in cells]
    assert not missing
    html = render_html(build_context(ref_eval))
    assert not [f for f in REFERENCE_FIGURES if f not in html]


def test_tables_charts_and_one_sheet_per_project(ref_docx, ref_eval):
    import docx

    d = docx.Document(io.BytesIO(ref_docx))
    n_projects = len(ref_eval.department.projects)
    assert n_projects == 30
    captions = [p.text for p in d.paragraphs if p.style.name == "Subtitle"]
    assert len([c for c in captions if c.startswith("项目支出绩效自评表")]) == n_projects
    project_tables = [t for t in d.tables if t.rows[0].cells[0].text == "项目名称"]
    assert len(project_tables) == n_projects
    assert [t.rows[0].cells[1].text for t in project_tables] == [p.name for p in ref_eval.department.projects]
    assert len(d.tables) >= 3 + 1 + n_projects
    with zipfile.ZipFile(io.BytesIO(ref_docx)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/chart")]
        assert "word/media/draft.png" in z.namelist()  # the drawn draft mark of the header
        assert len(media) == 4 and all(z.read(m)[:8] == b"\x89PNG\r\n\x1a\n" for m in media)


def test_three_public_table_computes_change_and_total(ref_docx):
    import docx

    d = docx.Document(io.BytesIO(ref_docx))
    t = next(t for t in d.tables if t.rows[0].cells[5].text == "与上年决算数相比变动比例")
    rows = [[c.text for c in r.cells] for r in t.rows]
    assert rows[1][1:6] == ["公务用车购置及运行费", "5.97", "10.84", "7.88", "31.99%"]
    assert rows[2][5] == ""  # 上年决算 0.00: not computable, left empty rather than invented
    assert rows[3][5] == "65.38%"
    # the 合计 row states totals only: its change (105.48%) is not the figure the department chose
    assert rows[4][:6] == ["合计", "合计", "6.75", "57.84", "13.87", ""]


def test_project_self_eval_table_layout(ref_docx):
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(ref_docx)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    tables = root.findall(f"{W}body/{W}tbl")
    proj = [
        t
        for t in tables
        if "".join(x.text or "" for x in t.find(f"{W}tr").iter(f"{W}t")).startswith("项目名称")
    ]
    t = proj[0]
    xml = etree.tostring(t, encoding="unicode")
    assert '<w:gridSpan w:val="8"/>' in xml  # 项目名称 spans the table
    assert '<w:vMerge w:val="restart"/>' in xml and "<w:vMerge/>" in xml
    texts = ["".join(x.text or "" for x in tc.iter(f"{W}t")) for tc in t.iter(f"{W}tc")]
    for label in (
        "项目资金（万元）",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
        "年度总体目标",
        "实际完成情况",
        "绩效指标",
        "一级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "偏差原因分析及改进措施",
        "总分",
    ):
        assert label in texts
    # 对外科技合作与交流: 18.84 / 60.00 = 31.40%
    assert "18.84" in texts and "60.00" in texts and "31.40%" in texts
    # every row of every table spans exactly the grid
    for tbl in tables:
        ncols = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
        for tr in tbl.findall(f"{W}tr"):
            spans = [
                int(tc.find(f"{W}tcPr/{W}gridSpan").get(f"{W}val"))
                if tc.find(f"{W}tcPr/{W}gridSpan") is not None
                else 1
                for tc in tr.findall(f"{W}tc")
            ]
            assert sum(spans) == ncols


def test_word_layout_fonts_page_numbers(ref_docx):
    with zipfile.ZipFile(io.BytesIO(ref_docx)) as z:
        styles = z.read("word/styles.xml").decode()
        doc = z.read("word/document.xml").decode()
        footer = z.read("word/footer1.xml").decode()
        core = z.read("docProps/core.xml").decode()
    assert 'w:eastAsia="仿宋_GB2312"' in styles and 'w:eastAsia="黑体"' in styles
    assert 'w:eastAsia="方正小标宋简体"' in styles
    for sid in ("Heading1", "Heading2", "Heading3"):
        assert f'w:styleId="{sid}"' in styles
    # A4, official-document margins 37/35/28/26 mm in twips
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in doc
    assert 'w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"' in doc
    assert "PAGE" in footer
    assert "2000-01-01T00:00:00Z" in core


def test_two_renders_are_byte_identical(ref_eval, tmp_path):
    a = render(ref_eval, tmp_path / "a")
    b = render(ref_eval, tmp_path / "b")
    assert [p.name for p in a] == [p.name for p in b]
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    with zipfile.ZipFile(a[0]) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_output_names_and_json(ref_eval, tmp_path):
    paths = render(ref_eval, tmp_path, formats=("json", "docx"))
    assert [p.name for p in paths] == [
        "长沙市科学技术局2023年度部门整体支出绩效自评评价结果.json",
        "长沙市科学技术局2023年度部门整体支出绩效自评报告.docx",
        "长沙市科学技术局2023年度部门整体支出绩效自评报告待办清单.md",
    ]
    doc = json.loads(paths[0].read_text(encoding="utf-8"))
    assert doc["indicators"]["staff_control_rate"]["value"] == "86.76"
    assert doc["department"] == "长沙市科学技术局"


def test_file_names_are_sanitised(ref_eval):
    d = reference_department()
    d.name = "../科技\\局:<x>\x07"
    ctx = build_context(evaluation_of(d))
    for name in output_names(ctx).values():
        assert not re.search(r"[/\\:<>\x00-\x1f]", name) and not name.startswith(".")


def test_hostile_names_are_escaped_everywhere(tmp_path):
    import docx
    import openpyxl

    d = reference_department()
    d.dept_projects.append(
        Project(
            name="<script>alert(1)</script>",
            kind="department",
            initial=D("1.00"),
            adjustment=D("0.00"),
            full_year=D("1.00"),
            actual=D("0.50"),
            variance_reason='=HYPERLINK("http://x")',
        )
    )
    ev = evaluation_of(d)
    ctx = build_context(ev)
    html = render_html(ctx)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    doc = docx.Document(io.BytesIO(render_docx_bytes(ctx)))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "<script>alert(1)</script>" in cells
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx_bytes(ctx)))
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    strings = [v for v in values if isinstance(v, str)]
    assert not [v for v in strings if v[:1] in ("=", "+", "-", "@")]
    assert '\'=HYPERLINK("http://x")' in strings
    assert any(isinstance(v, (int, float)) and v == 52878.93 for v in values) or D("50547.80") in [
        D(str(v)) for v in values if isinstance(v, (int, float))
    ]


def test_html_is_self_contained_and_printable(ref_eval):
    html = render_html(build_context(ref_eval))
    assert html.count("<svg") == 4
    assert not re.search(r'(src|href)\s*=\s*"?(https?:)?//', html)
    assert "@import" not in html and not re.search(r"url\((?!#)", html)
    assert "@media print" in html and "page-break-after: always" in html
    assert "86.76%" in html and "项目支出绩效自评表（30/30）" in html


def test_missing_data_gives_placeholders_not_inventions():
    from jixiao.model import Department

    d = Department(name="某某局", year=2024)
    ctx = build_context(evaluation_of(d))
    text = dump_docx(render_docx_bytes(ctx))
    assert "【待补充：部门主要职能职责】" in text
    assert "【待补充：编制数、实有在职人数和离退休人数】" in text
    assert "2024年度某某局无政府性基金预算支出。" in text
    assert "nan" not in text.lower() and "None" not in text


def test_narratives_from_the_workbook_are_used():
    d = reference_department()
    d.narratives = {"主要职能": "负责甲。\n负责乙。", "其他说明": "无。"}
    text = dump_docx(render_docx_bytes(build_context(evaluation_of(d))))
    assert "[a0Body] 负责甲。\n[a0Body] 负责乙。" in text
    assert "【待补充：部门主要职能职责】" not in text


def test_without_cjk_font_charts_are_skipped_with_a_warning(ref_eval, monkeypatch):
    from jixiao.report import charts, fonts

    monkeypatch.setattr(charts, "find_cjk_font", lambda: None)
    for f in (charts._png_cached, charts._svg_cached):
        f.cache_clear()
    ctx = build_context(ref_eval)
    data = render_docx_bytes(ctx)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not [n for n in z.namelist() if n.startswith("word/media/")]
    assert any("字体" in w for w in ctx.warnings)
    assert fonts.find_cjk_font() is not None or True  # the real detector is untouched


def test_cjk_font_is_found_and_has_glyphs():
    from jixiao.report.fonts import find_cjk_font

    found = find_cjk_font()
    need(found is not None, "no CJK font installed (fonts-noto-cjk)")
    from matplotlib.ft2font import FT2Font

    cmap = FT2Font(found[1]).get_charmap()
    assert all(ord(ch) in cmap for ch in "公共项目全年预算与实际分配")


def test_golden_reference_dump(ref_docx, ref_eval, update_goldens):
    check_golden("report_reference.docx.txt", dump_docx(ref_docx), update_goldens)
    check_golden("report_reference.html.txt", dump_html(render_html(build_context(ref_eval))), update_goldens)


def test_default_template_ships_and_is_reproducible():
    from jixiao.report.template import DEFAULT_TEMPLATE, make_default_template

    assert DEFAULT_TEMPLATE.read_bytes() == make_default_template()


def test_user_template_renders_the_same_content(ref_eval, tmp_path):
    import docx

    from jixiao.report.template import DEFAULT_TEMPLATE

    a = render(ref_eval, tmp_path / "a", formats=("docx",), template=DEFAULT_TEMPLATE)[0]
    b = render(ref_eval, tmp_path / "b", formats=("docx",), template=DEFAULT_TEMPLATE)[0]
    assert a.read_bytes() == b.read_bytes()
    d = docx.Document(str(a))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "一、部门概况" in text and "八、部门整体支出绩效情况" in text and "86.76%" in text
    assert len(d.tables) == len(build_context(ref_eval).tables)
    assert len(d.inline_shapes) == 4
    assert [p.style.name for p in d.paragraphs if p.text == "一、部门概况"] == ["Heading 1"]


def test_broken_template_is_a_usage_error(ref_eval, tmp_path):
    import zipfile as zf

    from jixiao.errors import UsageError
    from jixiao.report.docx import zip_parts
    from jixiao.report.template import DEFAULT_TEMPLATE

    with zf.ZipFile(DEFAULT_TEMPLATE) as z:
        parts = [(n, z.read(n)) for n in z.namelist()]
    parts = [
        (n, d.replace(b"{{ title }}", b"{{ title ")) if n == "word/document.xml" else (n, d) for n, d in parts
    ]
    bad = tmp_path / "坏模板.docx"
    bad.write_bytes(zip_parts(parts))
    with pytest.raises(UsageError, match="模板"):
        render(ref_eval, tmp_path / "o", formats=("docx",), template=bad)


#: the OOXML schema's element order (CT_PPrBase / CT_RPr / CT_TcPr, the parts we write);
#: Word refuses a document whose children are out of this order.
PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "widowControl",
    "snapToGrid",
    "spacing",
    "ind",
    "jc",
    "outlineLvl",
    "rPr",
]
RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "color",
    "spacing",
    "sz",
    "szCs",
    "highlight",
    "u",
    "lang",
]
TCPR_ORDER = ["tcW", "gridSpan", "vMerge", "tcBorders", "shd", "noWrap", "vAlign"]


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "word/footer1.xml"])
def test_word_elements_follow_the_schema_order(ref_docx, part):
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(ref_docx)) as z:
        root = etree.fromstring(z.read(part))
    for tag, order in (("pPr", PPR_ORDER), ("rPr", RPR_ORDER), ("tcPr", TCPR_ORDER)):
        for el in root.iter(f"{W}{tag}"):
            names = [etree.QName(c).localname for c in el]
            assert all(n in order for n in names), (tag, names)
            idx = [order.index(n) for n in names]
            assert idx == sorted(idx), (tag, names)


def test_staffing_note_adds_to_or_replaces_the_generated_sentence():
    d = reference_department()
    d.narratives = {"人员情况说明": "本年调入3人。"}
    text = dump_docx(render_docx_bytes(build_context(evaluation_of(d))))
    assert (
        "人员编制数为68名，其中：行政编制57名、工勤编制3名、雇员员额8名。" in text and "本年调入3人。" in text
    )
    d.narratives = {"人员情况说明": "编制68名，实有在职52人。"}
    text = dump_docx(render_docx_bytes(build_context(evaluation_of(d))))
    assert "人员编制数为68名" not in text and "编制68名，实有在职52人。" in text


def test_many_projects_keep_charts_on_the_page():
    from lxml import etree

    from jixiao.report.docx import MARGIN_BOTTOM, MARGIN_TOP, PAGE_H, TEXT_W

    d = reference_department()
    d.public_projects = [
        Project(
            name=f"专项{i}",
            kind="public",
            initial=D(i),
            adjustment=D("0.00"),
            full_year=D(i),
            actual=D(i) / 2,
        )
        for i in range(1, 121)
    ]
    ctx = build_context(evaluation_of(d))
    chart = next(c for c in ctx.charts if c.key == "public_projects")
    assert len(chart.labels) == 25 and chart.labels[0] == "专项96" and "最大的25个项目" in chart.title
    with zipfile.ZipFile(io.BytesIO(render_docx_bytes(ctx))) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    for ext in root.iter(f"{ns}extent"):
        assert int(ext.get("cx")) <= TEXT_W * 635
        assert int(ext.get("cy")) <= (PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) * 635
