"""The report: ``build_context`` (pure) and renderers for Word, HTML, xlsx and JSON.

Public API (used by the CLI, batch and the web app)::

    ctx = build_context(evaluation)          # pure
    render_docx_bytes(ctx) / render_html(ctx) / render_xlsx_bytes(ctx)   # in memory: the public report
    ctx.todo / render_todo_md(ctx)           # the preparer's to-do list (never in the public text)
    render(evaluation, outdir, formats=("docx", "html", "xlsx", "json"))  # files, atomically, with
                                                                         # …待办清单.md beside the report
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from ..errors import UsageError
from ..fsutil import refuse_inputs, write_bytes_atomic, write_chunks_atomic, write_text_atomic
from ..results import Evaluation
from .context import ReportContext, build_context, safe_name
from .docx import render_docx_bytes
from .html import render_html, render_html_chunks
from .todo import TodoItem, render_todo_md
from .xlsx import render_xlsx_bytes

FORMATS = ("docx", "html", "xlsx", "json")

__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "ReportContext",
    "TodoItem",
    "evaluation_document",
    "evaluation_schema",
    "render_todo_md",
    "ReportWarning",
    "build_context",
    "output_names",
    "render",
    "render_docx_bytes",
    "render_html",
    "render_json",
    "render_xlsx_bytes",
    "safe_name",
]


#: version of the evaluation JSON's layout (``schema_version``); the JSON Schema ships as
#: ``jixiao/report/evaluation.schema.json`` and is documented in docs/report.md
SCHEMA_VERSION = "1.0"


SCHEMA_PATH = Path(__file__).with_name("evaluation.schema.json")


def evaluation_schema() -> dict:
    """The JSON Schema of the evaluation JSON (shipped as package data)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def evaluation_document(ctx: ReportContext) -> dict:
    """The evaluation JSON: schema and jixiao versions first, then Evaluation.to_dict() and the to-do list."""
    from .. import __version__

    return {
        "schema_version": SCHEMA_VERSION,
        "jixiao_version": __version__,
        **ctx.evaluation,
        "draft": ctx.draft,
        "todo": ctx.todo_dicts(),
    }


def render_json(ctx: ReportContext) -> str:
    return "".join(render_json_chunks(ctx))


def render_json_chunks(ctx: ReportContext):
    """The evaluation JSON in pieces (streamed to its file: never one large string)."""
    yield from json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(evaluation_document(ctx))
    yield "\n"


def output_names(ctx: ReportContext) -> dict[str, str]:
    return {
        "docx": ctx.file_stem + ".docx",
        "html": ctx.file_stem + ".html",
        "xlsx": ctx.base_stem + "报告附件.xlsx",
        "json": ctx.base_stem + "评价结果.json",
        "todo": ctx.file_stem + "待办清单.md",
    }


def render(
    evaluation: Evaluation,
    outdir: Path,
    formats=FORMATS,
    template: Path | None = None,
    charts: bool = True,
    protect: tuple = (),
) -> list[Path]:
    """Write the chosen formats into ``outdir`` (atomically); returns the written paths in order.

    ``protect`` lists input files that must never be overwritten (the workbook)."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise UsageError(f"不支持的输出格式：{'、'.join(bad)}", f"可选：{','.join(FORMATS)}")
    ctx = build_context(evaluation)
    names = output_names(ctx)
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise UsageError(f"输出位置 {outdir} 不是文件夹。", "请用 -o 指定一个文件夹。")
    src = evaluation.department.source_file
    protect = tuple(protect) + ((src,) if src else ())
    refuse_inputs([outdir / names[f] for f in formats], protect)  # nothing written when one is refused
    written = []
    for f in formats:
        path = outdir / names[f]
        if f == "docx":
            if template is not None:
                from .template import render_template_bytes

                data = render_template_bytes(ctx, Path(template))
            else:
                data = render_docx_bytes(ctx, charts=charts)
            written.append(write_bytes_atomic(path, data, protect=protect))
        elif f == "html":
            written.append(write_chunks_atomic(path, render_html_chunks(ctx, charts=charts), protect=protect))
        elif f == "xlsx":
            written.append(write_bytes_atomic(path, render_xlsx_bytes(ctx), protect=protect))
        elif f == "json":
            written.append(write_chunks_atomic(path, render_json_chunks(ctx), protect=protect))
    if "docx" in formats or "html" in formats:  # the preparer's to-do list goes beside every report
        # (with the JSON alone it is the JSON's "todo" list)
        written.append(write_text_atomic(outdir / names["todo"], render_todo_md(ctx), protect=protect))
    for w in dict.fromkeys(ctx.warnings):  # e.g. no CJK font: charts skipped
        warnings.warn(w, ReportWarning, stacklevel=2)
    return written


class ReportWarning(UserWarning):
    """Something the reader of the report should know (charts skipped …); Chinese message."""
