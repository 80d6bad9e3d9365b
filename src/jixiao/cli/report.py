"""``jixiao report WB -o DIR``: the complete self-evaluation report and its attachments."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import EXIT_DATA, InputError, UsageError
from .common import console, err_console, handle_errors


def _formats(text: str) -> tuple[str, ...]:
    from ..report import FORMATS

    fmts = tuple(dict.fromkeys(f.strip().lower() for f in text.replace("，", ",").split(",") if f.strip()))
    bad = [f for f in fmts if f not in FORMATS]
    if not fmts or bad:
        raise UsageError(f"--format 的取值无效：{'、'.join(bad) or '（空）'}。", f"可选：{','.join(FORMATS)}，用逗号分隔。")
    return fmts


def register(app: typer.Typer) -> None:
    @app.command("report")
    @handle_errors
    def report(
        workbook: Path = typer.Argument(..., help="基础数据表（.xlsx）。"),
        output: Path = typer.Option(..., "-o", "--output", help="输出文件夹（不存在时自动创建）。"),
        fmt: str = typer.Option("docx,html,xlsx,json", "--format", help="输出格式，逗号分隔：docx,html,xlsx,json。"),
        framework: str | None = typer.Option(None, "--framework", help="评分体系：内置名称或 YAML 文件路径。"),
        template: Path | None = typer.Option(None, "--template", help="自定义 Word 模板（docxtpl 格式的 .docx）。"),
        no_charts: bool = typer.Option(False, "--no-charts", help="不生成图表。"),
    ):
        """生成部门整体支出绩效自评报告（Word、网页）及附件（Excel）和评价结果（JSON）。"""
        formats = _formats(fmt)
        if not workbook.exists():
            raise InputError(f"找不到基础数据表：{workbook}", "请检查文件路径。")
        if template is not None and not template.is_file():
            raise UsageError(f"找不到 Word 模板：{template}", "请检查 --template 的路径。")
        from ..evaluate import evaluate
        from ..issues import SEVERITY_ZH
        from ..report import render
        from ..workbook import load

        res = load(workbook)
        if not res.valid:
            errors = [i for i in res.issues if i.severity == "error"]
            for i in errors:
                where = i.location.describe()
                err_console.print(f"{SEVERITY_ZH[i.severity]} {i.code} {where}：{i.message}", markup=False)
            err_console.print(f"基础数据表有 {len(errors)} 个错误，未生成报告。请先用 jixiao check 查看并修正。",
                              markup=False)
            raise typer.Exit(EXIT_DATA)
        ev = evaluate(res.department, framework=framework)
        if not ev.issues and res.issues:
            ev.issues = list(res.issues)
        import warnings

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            paths = render(ev, output, formats=formats, template=template, charts=not no_charts,
                           protect=(str(workbook),))
        for w in caught:
            err_console.print(f"警告：{w.message}", markup=False)
        for p in paths:
            console.print(f"已生成：{p}", markup=False)
        warned = [i for i in res.issues if i.severity == "warning"]
        if warned:
            err_console.print(f"提示：基础数据表有 {len(warned)} 条警告，可用 jixiao check 查看。", markup=False)
