"""``jixiao template`` and ``jixiao check``: write the blank workbook, check a filled one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..formats import PRINTED, Format
from ..issues import SEVERITY_ZH, Issue, has_errors, summarize
from .common import console, err_console, handle_errors, print_json


def check_document(file: str, issues: Sequence[Issue], department_ok: bool = True) -> dict:
    """The stable JSON of ``check`` (DESIGN §12)."""
    return {
        "file": file,
        "valid": department_ok and not has_errors(issues),
        "issues": [i.to_dict() for i in issues],
        "summary": summarize(issues),
    }


def _print_text(file: str, issues: Sequence[Issue]) -> None:
    """A table per severity: where (sheet!cell and row key, then the code) | what and what to do."""
    s = summarize(issues)
    if not issues:
        console.print(f"[bold green]✓[/] {escape(file)}：未发现问题。", markup=True)
        return
    console.print(f"校验 {escape(file)}", markup=True)
    for sev, style in (("error", "red"), ("warning", "yellow"), ("info", "cyan")):
        group = [i for i in issues if i.severity == sev]
        if not group:
            continue
        t = Table(
            title=f"{SEVERITY_ZH[sev]}（{len(group)}）",
            title_style=f"bold {style}",
            title_justify="left",
            show_lines=True,
            expand=False,
        )
        t.add_column("位置", no_wrap=True)
        t.add_column("说明", overflow="fold")
        for i in group:
            where = Text(i.location.describe() or "—")
            where.append("\n" + i.code, style="dim")
            what = Text(i.message)
            if i.hint:
                what.append("\n" + i.hint, style="dim")
            t.add_row(where, what)
        console.print(t)
    verdict = "[bold red]未通过[/]" if s["error"] else "[bold green]通过[/]"
    console.print(
        f"{escape(file)}：{verdict}——错误 {s['error']} 个，警告 {s['warning']} 个，提示 {s['info']} 个。",
        markup=True,
    )


def register(app: typer.Typer) -> None:
    @app.command("template", help="生成空白的基础数据表（.xlsx），含填表说明、下拉选项和数据校验。")
    @handle_errors
    def template_cmd(
        path: Path = typer.Argument(..., help="要生成的模板文件路径，如 基础数据表.xlsx"),
        force: bool = typer.Option(False, "--force", "-f", help="文件已存在时覆盖。"),
    ):
        from ..workbook.template import write_template

        out = write_template(path, force=force)
        err_console.print(f"已生成空白基础数据表：{out}")

    @app.command("check", help="校验基础数据表：结构、单元格取值和勾稽关系，一次列出全部问题及所在单元格。")
    @handle_errors
    def check_cmd(
        workbook: Path = typer.Argument(..., help="要校验的基础数据表（.xlsx）"),
        fmt: str = typer.Option("text", "--format", help="输出格式：text（表格）或 json。"),
    ):
        from ..api import check

        out_fmt = Format.parse(fmt, PRINTED)
        outcome = check(workbook)
        if out_fmt == Format.JSON:
            print_json(check_document(outcome.file, outcome.issues, outcome.department is not None))
        else:
            _print_text(outcome.file, outcome.issues)
        raise typer.Exit(outcome.exit_code)
