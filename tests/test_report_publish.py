"""A report a department can publish: the public text apart from the preparer's to-do list, the
score as a department states it, problems that agree with the scores, the typography Word shows
(checked in the XML), the JSON against its shipped schema, and partial data never invented on."""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from decimal import Decimal as D
from pathlib import Path

import jsonschema
import pytest
from lxml import etree
from test_report import W, dump_docx

from jixiao.evaluate import evaluate
from jixiao.report import (
    build_context,
    evaluation_schema,
    render,
    render_docx_bytes,
    render_html,
    render_json,
)
from jixiao.report.docx import MARGIN_BOTTOM, MARGIN_TOP, PAGE_H, TEXT_W
from jixiao.workbook import load

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CHANGSHA = EXAMPLES / "changsha-kjj-2023.xlsx"
COMPLETE = EXAMPLES / "complete-example-2024.xlsx"

#: phrases addressed to the person preparing the report: never in the public text
PREPARER = (
    "基础数据表“",
    "补齐数据",
    "重新生成",
    "待评。",
    "定性评分表",
    "需说明原因",
    "请在",
    "未填报项目绩效指标",
    "没有时删除",
)


def _ev(path: Path):
    res = load(path)
    assert res.valid
    return evaluate(res.department)


@pytest.fixture(scope="module")
def changsha():
    ev = _ev(CHANGSHA)
    ctx = build_context(ev)
    return ev, ctx, render_docx_bytes(ctx, charts=True)


@pytest.fixture(scope="module")
def complete():
    ev = _ev(COMPLETE)
    ctx = build_context(ev)
    return ev, ctx, render_docx_bytes(ctx, charts=True)


def _audit(data: bytes) -> list:
    from jixiao.audit import audit_file

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "r.docx"
        p.write_bytes(data)
        claims = audit_file(p).to_dict()["claims"]
    return [c for c in claims if c["status"] == "mismatch"]


# --- the complete example: what a finished report looks like -------------------------------------


def test_complete_example_has_score_grade_and_nothing_pending(complete):
    ev, ctx, data = complete
    assert ev.score.pending == [] and ev.score.grade == "优"
    assert ev.score.total == D("94.83")  # 5+5+5+5 | 7.70+4.50+4+3.60+4+3.80 | … summed by hand below
    assert sum(i.score for i in ev.score.items) == ev.score.total
    text = dump_docx(data)
    assert "自评得分94.83分，部门整体支出绩效等级为“优”" in text
    assert "【待补充" not in text and "草稿" not in text
    assert not ctx.draft and ctx.todo == []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "word/header1.xml" not in z.namelist()
    # every project table is scored
    assert all(ps.score.pending == [] and ps.score.grade for ps in ev.project_scores)
    assert "总分" in text and "等级：优" in text
    assert not _audit(data)


def test_complete_example_to_do_list_is_empty(complete, tmp_path):
    ev, _, _ = complete
    paths = render(ev, tmp_path, formats=("docx",), charts=False)
    todo = next(p for p in paths if "待办清单" in p.name)
    assert todo.suffix == ".md" and "没有待办事项" in todo.read_text(encoding="utf-8")


# --- the 长沙 example: faithful to what was published, a draft while items are pending ----------


def test_public_text_never_addresses_the_preparer(changsha):
    _, ctx, data = changsha
    text = dump_docx(data) + render_html(ctx, charts=False)
    assert not [p for p in PREPARER if p in text]
    # placeholders only where narrative must be written: each has a to-do item
    n_placeholders = dump_docx(data).count("【待补充：")
    narrative = [t for t in ctx.todo if t.kind in ("narrative", "reason")]
    assert n_placeholders == len(narrative) > 0


def test_draft_states_score_against_points_scored(changsha, tmp_path):
    ev, ctx, data = changsha
    text = dump_docx(data)
    assert "已评68分中得61.76分，另有7项指标（共32分）待评" in text
    assert "满分100.00分" not in text and "（满分100" not in text
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "草稿：尚有7项指标待评" in z.read("word/header1.xml").decode()
    assert ctx.draft_mark == "草稿：尚有7项指标待评"
    todo = render(ev, tmp_path, formats=("json",))[-1].read_text(encoding="utf-8")
    assert todo.count("）待评分") == 7
    assert "“定性评分”中“资金资产管理”一行" in todo


def test_workbook_fields_are_used(changsha):
    _, _, data = changsha
    text = dump_docx(data)
    assert "（长财绩〔2024〕2号）" in text.split("\n")[1]
    assert (
        "于2023年2月3日公开了2023年度部门预算" in text
        and "于2023年6月19日公开了2022年度部门整体支出绩效自评报告" in text
    )
    assert "公开的时间和网站" not in text


def test_one_figure_once_and_non_chosen_indicators_in_the_to_do_list(changsha):
    _, ctx, data = changsha
    text = dump_docx(data)
    for not_chosen in ("69.77%", "105.48%", "预算控制率"):
        assert not_chosen not in text, not_chosen
        assert any(not_chosen in s for s in ctx.extra_indicators) or not_chosen == "105.48%"
    assert "预算调整率为12.63%" in text  # 预算调整率 once in 八 (预算控制率, the same figure, is not)
    assert "7,800家" in text and "21,120万元" in text  # 履职目标 with thousands separators


def test_problems_agree_with_scores_one_per_cause(changsha):
    ev, ctx, data = changsha
    text = dump_docx(data)
    section9 = text[text.index("九、存在的问题及原因分析") : text.index("十、下一步改进措施")]
    # 三公经费控制率 scored full marks: not a problem; its finding went to the to-do list to check
    assert "“三公”经费" not in section9
    assert any("该指标在评价中得满分" in t.text for t in ctx.todo)
    # 预算调整率 12.63% scores in its ≤20 band: no '高于10.00%的控制线'
    assert "控制线" not in section9
    # low execution: one problem with a table of its 9 projects
    assert section9.count("预算执行率偏低") == 1 and "执行率偏低的项目" in section9
    assert "低于80.00%" in section9 and section9.count("未形成支出") <= 3
    paras = [ln for ln in text[: text.index("附件1")].split("\n") if ln.startswith("[a0Body")]
    assert len(paras) == len(set(paras))  # no repeated paragraph, placeholders included
    assert "需说明原因" not in text and "加强新增资产的管理使用" not in section9


def test_attachment3_forms_are_blank_not_placeholders(changsha):
    _, _, data = changsha
    text = dump_docx(data)
    att3 = text[text.index("附件3") :]
    assert "【待补充" not in att3 and "待评" not in att3
    assert att3.count("| 数量指标 |") == 30 and att3.count("服务对象满意度指标") == 30  # blank standard rows
    assert "湖南大学" not in att3  # not a project of this table list
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # rows tall enough to write in by hand
        assert (
            z.read("word/document.xml").decode().count('<w:trHeight w:val="510" w:hRule="atLeast"/>')
            > 30 * 15
        )


# --- typography, as the XML shows it ---------------------------------------------------------


def _styles(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/styles.xml"))
    return {s.get(f"{W}styleId"): s for s in root.iter(f"{W}style")}


def test_headings_keep_with_next_and_are_not_justified(changsha):
    styles = _styles(changsha[2])
    for sid in ("Title", "Heading1", "Heading2", "Heading3", "a0TableCaption", "a0Unit"):
        ppr = styles[sid].find(f"{W}pPr")
        assert ppr.find(f"{W}keepNext") is not None, sid
        jc = ppr.find(f"{W}jc")
        assert jc is not None and jc.get(f"{W}val") != "both", sid
    # headings stay distinct without the GB fonts: bold, and the font table names substitutes
    for sid in ("Heading1", "Heading2", "Heading3"):
        assert styles[sid].find(f"{W}rPr/{W}b") is not None
    with zipfile.ZipFile(io.BytesIO(changsha[2])) as z:
        fonts = z.read("word/fontTable.xml").decode()
    assert 'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts and 'w:altName w:val="SimHei"' in fonts
    # formulas are laid out left-aligned, never letter-spaced
    assert styles["a0BodyLeft"].find(f"{W}pPr/{W}jc").get(f"{W}val") == "left"


def test_title_breaks_between_name_and_rest(changsha):
    with zipfile.ZipFile(io.BytesIO(changsha[2])) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    title = next(
        p
        for p in root.iter(f"{W}p")
        if p.find(f"{W}pPr/{W}pStyle") is not None and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Title"
    )
    runs = [el.tag.split("}")[1] + ":" + (el.text or "") for el in title.iter(f"{W}t", f"{W}br")]
    assert runs == ["t:长沙市科学技术局", "br:", "t:2023年度部门整体支出绩效自评报告"]


def test_sign_never_separates_from_its_figure(changsha):
    with zipfile.ZipFile(io.BytesIO(changsha[2])) as z:
        xml = z.read("word/document.xml").decode()
    assert '<w:noBreakHyphen/><w:t xml:space="preserve">21.84%' in xml
    assert not re.search(r">-\d", xml)  # no plain hyphen-minus before a figure anywhere


def test_figures_never_wrap_and_images_fit_the_page(changsha):
    with zipfile.ZipFile(io.BytesIO(changsha[2])) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    extents = [(int(e.get("cx")), int(e.get("cy"))) for e in root.iter(f"{wp}extent")]
    assert len(extents) == 4
    for cx, cy in extents:
        assert cx <= TEXT_W * 635 and cy <= (PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) * 635
    # a cell holding a figure (e.g. 执行率 100.00%) carries <w:noWrap/>
    for tc in root.iter(f"{W}tc"):
        text = "".join(t.text or "" for t in tc.iter(f"{W}t"))
        if re.fullmatch(r"\d[\d,]*\.\d\d%?", text):
            assert tc.find(f"{W}tcPr/{W}noWrap") is not None, text


def test_chart_labels_are_wrapped_never_cut():
    from jixiao.report.charts import LABEL_CHARS, wrap_label

    for name in (
        "长沙市技术创新平台后补助资金（含新一代人工智能开放创新平台）",
        "省级以上科技平台配套（2018-2020年）",
        "科技成果转化子基金1",
    ):
        lines = wrap_label(name)
        assert "".join(lines) == name and all(len(x) <= LABEL_CHARS + 1 for x in lines)
        assert not any(x[0] in "）)，、" for x in lines[1:]) and not any(x[-1] == "（" for x in lines)
    assert wrap_label("省级以上科技平台配套（2018-2020年）") == ["省级以上科技平台配套", "（2018-2020年）"]


def test_dimension_chart_never_draws_a_pending_dimension(changsha):
    _, ctx, _ = changsha
    chart = next(c for c in ctx.charts if c.key == "dimensions")
    scores = dict(zip(chart.labels, chart.series[1][1], strict=True))
    assert scores["管理效率（待评）"] is None and scores["运行成本"] == D("20.00")


# --- the evaluation JSON: documented, versioned, checked against the shipped schema ----------------


@pytest.mark.parametrize("which", ["changsha", "complete"])
def test_evaluation_json_matches_its_schema(which, request):
    _, ctx, _ = request.getfixturevalue(which)
    doc = json.loads(render_json(ctx))
    jsonschema.validate(doc, evaluation_schema())
    from jixiao import __version__

    assert doc["schema_version"] == "1.0" and doc["jixiao_version"] == __version__
    assert doc["draft"] is (which == "changsha")


def test_schema_ships_with_the_package():
    from importlib.resources import files

    assert (files("jixiao.report") / "evaluation.schema.json").is_file()
    toml = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert "report/*.schema.json" in toml


# --- partial data: a blank is never a 0.00, a total never the sum of what happens to be filled ----


def _partial(**kw):
    from jixiao.model import Department, Project

    d = Department(name="某某局", year=2024, **kw)
    return d, Project


def test_project_spending_only_is_not_called_the_whole():
    d, Project = _partial()
    d.dept_projects = [
        Project("甲项目", "department", initial=D("400.00"), full_year=D("400.00"), actual=D("389.16")),
        Project("乙项目", "department", initial=D("300.00"), full_year=D("300.00"), actual=D("300.00")),
    ]
    ctx = build_context(evaluate(d))
    text = dump_docx(render_docx_bytes(ctx, charts=False))
    assert "部门整体支出689.16万元" not in text and "预算调整0.00万元" not in text
    assert not _audit(render_docx_bytes(ctx, charts=False))
    jsonschema.validate(json.loads(render_json(ctx)), evaluation_schema())


def test_only_total_authorised_staff_passes_own_audit():
    d, _ = _partial()
    d.staffing.authorized_total_stated = 143
    d.staffing.in_service = 130
    d.staffing.other_employees = 6
    d.staffing.retired = 40
    data = render_docx_bytes(build_context(evaluate(d)), charts=False)
    assert not _audit(data)
    text = dump_docx(data)
    assert "编制数合计" not in text and "| 编制数 | 143 |" in text


def test_charts_use_the_packaged_cjk_font(monkeypatch):
    """Noto Sans CJK SC from the mplfonts package comes first: charts render the same everywhere,
    also on a machine without any CJK font installed."""
    from jixiao.report import fonts

    monkeypatch.setattr(fonts, "_font_dirs", lambda: [])  # a machine without system fonts
    fonts.find_cjk_font.cache_clear()
    try:
        got = fonts.find_cjk_font()
    finally:
        fonts.find_cjk_font.cache_clear()
    assert got is not None and got[0] == "Noto Sans CJK SC" and "mplfonts" in got[1]
    from PIL import ImageFont

    assert fonts._has_glyphs(ImageFont.truetype(got[1], 12, index=got[2]))


@pytest.mark.parametrize("which", ["changsha", "complete"])
def test_chart_images_cut_nothing_at_their_edges(which, request):
    """Every chart PNG leaves a white margin on all four sides: no label or bar runs off the image."""
    from PIL import Image

    from jixiao.report.charts import render_png

    _, ctx, _ = request.getfixturevalue(which)
    for spec in ctx.charts:
        img = Image.open(io.BytesIO(render_png(spec))).convert("L")
        w, h = img.size
        edges = [
            img.crop((0, 0, w, 2)),
            img.crop((0, h - 2, w, h)),
            img.crop((0, 0, 2, h)),
            img.crop((w - 2, 0, w, h)),
        ]
        assert all(e.getextrema()[0] >= 250 for e in edges), spec.key


def test_complete_example_is_what_its_builder_writes_and_passes_check(tmp_path):
    """The bundled workbook is its builder's output (rebuild with the script after a template
    change), and `check` finds neither error nor warning in it."""
    import dataclasses
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_complete", EXAMPLES / "build_complete_example_2024.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    fresh = load(mod.build(tmp_path / "complete.xlsx"))
    shipped = load(COMPLETE)
    assert not [i for i in shipped.issues if i.severity in ("error", "warning")]
    a, b = (dataclasses.replace(r.department, source_file="") for r in (fresh, shipped))
    assert a == b
    assert a.name.startswith("示例市")  # 示例市 (example city): plainly not a real department


def test_sub_rows_of_three_public_and_public_funds_are_shown_and_audit_clean(tmp_path):
    """The workbook's 其中 rows (issue 12: 公务用车运行维护费 under 公务用车购置及运行费; 公用经费's
    办公费, 差旅费) appear under their parent in the body's 三公 table and in 附件1 表5, never in a
    合计, and the report still passes its own audit (a partial split is no claim of a total)."""
    from reference_department import reference_department

    from jixiao.audit import audit_file, read_document
    from jixiao.model import FundsLine, ThreePublicItem

    d = reference_department()
    car = d.three_public.items[0]
    d.three_public.details = [
        ThreePublicItem(
            "公务用车运行维护费", prior_actual=D("3.00"), budget=D("5.00"), actual=D("4.00"), parent=car.name
        )
    ]
    d.public_funds.lines = [
        FundsLine("办公费", budget=D("50.00"), actual=D("40.00"), prior_actual=D("45.00")),
        FundsLine("差旅费", budget=D("20.00"), actual=D("10.00"), prior_actual=D("12.00")),
    ]
    ctx = build_context(evaluate(d))
    p = tmp_path / "r.docx"
    p.write_bytes(render_docx_bytes(ctx, charts=False))
    doc = read_document(p)
    rows = [r for t in doc.tables for r in t.rows]
    # body table: 序号 blank, the 其中 label, 上年决算 / 本年预算 / 本年决算, change (4.00−3.00)/3.00 = 33.33%
    assert ("", "其中：公务用车运行维护费", "3.00", "5.00", "4.00", "33.33%", "") in rows
    assert ("其中：办公费", "", "45.00", "50.00", "40.00", "") in rows
    assert ("其中：差旅费", "", "12.00", "20.00", "10.00", "") in rows
    # the 合计 rows still sum the three items only: 5.97 + 0.00 + 0.78 = 6.75 (上年决算)
    assert any(r[0] == "合计" and "6.75" in r for r in rows)
    assert not audit_file(p).mismatches
