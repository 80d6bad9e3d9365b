"""``jixiao report WB -o DIR``: the complete self-evaluation report and its attachments."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import UsageError
from ..formats import DOCUMENTS, Format
from .common import console, err_console, handle_errors, print_issue_lines


def register(app: typer.Typer) -> None:
    @app.command("report")
    @handle_errors
    def report(
        workbook: Path = typer.Argument(..., help="基础数据表（.xlsx）。"),
        output: Path = typer.Option(..., "-o", "--output", help="输出文件夹（不存在时自动创建）。"),
        fmt: str = typer.Option(
            "docx,html,xlsx,json", "--format", help="输出格式，逗号分隔：docx,html,xlsx,json。"
        ),
        framework: str | None = typer.Option(
            None, "--framework", help="评分体系：内置名称或 YAML 文件路径。"
        ),
        template: Path | None = typer.Option(
            None, "--template", help="自定义 Word 模板（docxtpl 格式的 .docx）。"
        ),
        no_charts: bool = typer.Option(False, "--no-charts", help="不生成图表。"),
    ):
        """生成部门整体支出绩效自评报告（Word、网页）及附件（Excel）和评价结果（JSON）。"""
        from ..api import require_workbook, run

        formats = Format.parse_list(fmt, DOCUMENTS)
        require_workbook(workbook)
        if template is not None and not template.is_file():
            raise UsageError(f"找不到 Word 模板：{template}", "请检查 --template 的路径。")
        from ..report import render

        outcome = run(workbook, framework)
        ev = outcome.evaluation
        if ev is None:
            print_issue_lines(outcome.errors)
            err_console.print(
                f"基础数据表有 {len(outcome.errors)} 个错误，未生成报告。请先用 jixiao check 查看并修正。",
                markup=False,
            )
            raise typer.Exit(outcome.exit_code)
        import warnings

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            paths = render(
                ev, output, formats=formats, template=template, charts=not no_charts, protect=(str(workbook),)
            )
        for w in caught:
            err_console.print(f"警告：{w.message}", markup=False)
        for p in paths:
            console.print(f"已生成：{p}", markup=False)
        warned = outcome.warnings
        if warned:
            err_console.print(
                f"提示：基础数据表有 {len(warned)} 条警告，可用 jixiao check 查看。", markup=False
            )
