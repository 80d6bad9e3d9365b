"""``--template my.docx``: render the ReportContext through a user's docxtpl (Jinja-in-Word)
template, so a bureau can keep its own layout. The default template ships in the package
(templates/default.docx, rebuilt by ``make_default_template``).

Template variables (all text already formatted the way the report prints it):

* ``title``, ``department`` (单位名称), ``year`` (年度)
* ``blocks``: the whole report in order — ``{type: heading|para|table|figure|pagebreak, level, text,
  caption, unit, rows (list of rows of cell texts), image}``
* ``indicators``: ``{id: {name, value, unit, formula, computable, reason}}``, e.g.
  ``{{ indicators.staff_control_rate.value }}``
* ``score``: ``{framework, total, max, grade, pending}``
* ``tables``: ``{key: {caption, unit, rows}}`` (keys: three_public, public_projects, dept_projects,
  self_eval, project_1 …)
* ``findings``: ``[{category, message, improvement}]``
"""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import InputError, UsageError
from ..money import fmt_amount, fmt_rate
from .charts import NoCJKFont, render_png
from .context import Figure, Heading, PageBreak, Para, ReportContext, Table
from .docx import (
    _NO_HEADER,
    CONTENT_TYPES,
    FONT_TABLE,
    FOOTER,
    ROOT_RELS,
    SETTINGS,
    _core,
    _doc_rels,
    _Images,
    _para,
    normalize_zip,
    styles_xml,
    zip_parts,
)

DEFAULT_TEMPLATE = Path(__file__).parent / "templates" / "default.docx"


def _rows(t: Table) -> list[list[str]]:
    out = []
    for row in t.grid():
        out.append([slot[0].text if slot and slot[1] == "origin" else "" for slot in row])
    return out


def template_context(ctx: ReportContext, tpl=None) -> dict:
    """The variables a template sees (images need the DocxTemplate ``tpl``)."""
    blocks = []
    tables = {}
    for b in ctx.all_blocks():
        if isinstance(b, Heading):
            blocks.append({"type": "heading", "level": b.level, "text": b.text})
        elif isinstance(b, Para):
            blocks.append({"type": "para", "kind": b.kind, "text": b.text})
        elif isinstance(b, Table):
            d = {"type": "table", "key": b.key, "caption": b.caption, "unit": b.unit, "rows": _rows(b)}
            blocks.append(d)
            tables[b.key] = d
        elif isinstance(b, Figure):
            image = None
            if tpl is not None:
                from docx.shared import Mm
                from docxtpl import InlineImage

                try:
                    image = InlineImage(tpl, io.BytesIO(render_png(b.chart)), width=Mm(150))
                except NoCJKFont as exc:
                    ctx.warnings.append(str(exc))
            blocks.append({"type": "figure", "title": b.chart.title, "image": image})
        elif isinstance(b, PageBreak):
            blocks.append({"type": "pagebreak"})
    ev = ctx.evaluation
    indicators = {}
    for k, v in ev.get("indicators", {}).items():
        value = v.get("value")
        shown = ""
        if value is not None:
            from decimal import Decimal

            shown = fmt_rate(Decimal(value)) if v.get("unit") == "%" else fmt_amount(Decimal(value))
        indicators[k] = {**v, "value": shown}
    sc = ev.get("score", {})
    return {
        "title": ctx.title,
        "department": ctx.department,
        "year": ctx.year or "",
        "单位名称": ctx.department,
        "年度": ctx.year or "",
        "blocks": blocks,
        "tables": tables,
        "indicators": indicators,
        "score": {
            "framework": sc.get("framework", ""),
            "total": sc.get("total") or "",
            "max": sc.get("max") or "",
            "grade": sc.get("grade") or "",
            "pending": sc.get("pending", 0),
        },
        "findings": [
            {
                "category": f.get("category", ""),
                "message": f.get("message", ""),
                "improvement": f.get("improvement", ""),
            }
            for f in ev.get("findings", [])
        ],
    }


def render_template_bytes(ctx: ReportContext, template: Path) -> bytes:
    """Render ``template`` (docxtpl) with the report's variables; deterministic bytes."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    try:
        tpl = DocxTemplate(str(template))
        tpl.render(template_context(ctx, tpl), autoescape=True)
        buf = io.BytesIO()
        tpl.save(buf)
    except TemplateError as exc:
        line = f"（第{exc.lineno}行）" if getattr(exc, "lineno", None) else ""
        raise UsageError(
            f"Word 模板 {template.name} 的模板语法有误{line}：{exc}",
            "模板使用 docxtpl（Jinja2）语法，例如 {{ title }}、{%p for b in blocks %}。",
        ) from None
    except (KeyError, ValueError, OSError) as exc:
        raise InputError(
            f"无法读取 Word 模板 {template.name}：{exc}", "请确认它是 .docx 文件（不是 .doc）。"
        ) from None
    return normalize_zip(buf.getvalue(), fix=_pin_core)


def _pin_core(name: str, data: bytes) -> bytes:
    if name == "docProps/core.xml":
        import re

        return re.sub(
            rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>2000-01-01T00:00:00Z\g<3>", data
        )
    return data


def _tag(text: str, style: str = "a0Body") -> str:
    return _para(text, style)


def _loop_table() -> str:
    """A table whose rows and cells are docxtpl loops ({%tr %} / {%tc %})."""
    from .docx import TEXT_W

    w = TEXT_W // 3

    def cell(text: str) -> str:
        return f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{_para(text, "a0TableText")}</w:tc>'

    def row(*cells: str) -> str:
        return "<w:tr>" + "".join(cell(c) for c in cells) + "</w:tr>"

    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="a0Grid"/>'
        f'<w:tblW w:w="{TEXT_W}" w:type="dxa"/><w:jc w:val="center"/></w:tblPr><w:tblGrid>'
        + "".join(f'<w:gridCol w:w="{w}"/>' for _ in range(3))
        + "</w:tblGrid>"
        + row("{%tr for row in b.rows %}", "", "")
        + row("{%tc for c in row %}", "{{ c }}", "{%tc endfor %}")
        + row("{%tr endfor %}", "", "")
        + "</w:tbl>"
    )


def make_default_template() -> bytes:
    """The default docxtpl template (same styles, page setup and footer as the built-in writer)."""
    body = [
        _tag("{{ title }}", "Title"),
        _tag("{%p for b in blocks %}"),
        _tag("{%p if b.type == 'heading' and b.level == 1 %}"),
        _tag("{{ b.text }}", "Heading1"),
        _tag("{%p elif b.type == 'heading' and b.level == 2 %}"),
        _tag("{{ b.text }}", "Heading2"),
        _tag("{%p elif b.type == 'heading' %}"),
        _tag("{{ b.text }}", "Heading3"),
        _tag("{%p elif b.type == 'para' and b.kind == 'title' %}"),
        _tag("{%p elif b.type == 'para' and b.kind in ('subtitle', 'center') %}"),
        _tag("{{ b.text }}", "a0Center"),
        _tag("{%p elif b.type == 'para' %}"),
        _tag("{{ b.text }}", "a0Body"),
        _tag("{%p elif b.type == 'table' %}"),
        _tag("{{ b.caption }}", "a0TableCaption"),
        _tag("{{ b.unit }}", "a0Right"),
        _loop_table(),
        _tag("{%p elif b.type == 'figure' and b.image %}"),
        _tag("{{ b.image }}", "a0Center"),
        _tag("{{ b.title }}", "a0Caption"),
        _tag("{%p elif b.type == 'pagebreak' %}"),
        '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
        _tag("{%p endif %}"),
        _tag("{%p endfor %}"),
    ]
    from .docx import _XML, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, PAGE_H, PAGE_W

    sect = (
        f'<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter1"/>'
        f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
        f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
        f'w:left="{MARGIN_LEFT}" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>'
    )
    doc = (
        _XML + '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        f"<w:body>{''.join(body)}{sect}</w:body></w:document>"
    )
    parts = [
        ("[Content_Types].xml", _NO_HEADER.sub("", CONTENT_TYPES).encode()),
        ("_rels/.rels", ROOT_RELS.encode()),
        ("docProps/core.xml", _core("部门整体支出绩效自评报告模板").encode()),
        (
            "docProps/app.xml",
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
            b'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            b"<Application>jixiao</Application></Properties>",
        ),
        ("word/document.xml", doc.encode()),
        ("word/styles.xml", styles_xml().encode()),
        ("word/settings.xml", SETTINGS.encode()),
        ("word/fontTable.xml", FONT_TABLE.encode()),
        ("word/footer1.xml", FOOTER.encode()),
        ("word/_rels/document.xml.rels", _doc_rels(_Images()).encode()),
    ]
    return zip_parts(parts)


if __name__ == "__main__":  # rebuild the shipped default: python -m jixiao.report.template
    DEFAULT_TEMPLATE.write_bytes(make_default_template())
    print(DEFAULT_TEMPLATE)
