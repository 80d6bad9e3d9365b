"""``jixiao review SUBMITTED``: review (复核) a department's submitted self-evaluation table."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import UsageError
from .common import handle_errors, print_json


def render_text(result) -> str:
    from ..review import STATUS_ZH, STATUSES

    s = result.summary
    lines = [f"复核：{result.file}（{result.tables} 张自评表）"]
    probs = len(result.problems)
    if not result.items:
        lines.append(
            "未找到带得分的自评表（表头应有“三级指标/指标名称”“分值”“得分”，见 jixiao review --template）。"
        )
    else:
        lines.append(
            f"共复核 {len(result.items)} 项："
            + "，".join(f"{STATUS_ZH[k]} {s[k]}" for k in STATUSES if s[k])
            + "。"
        )
    for status in STATUSES:
        items = [i for i in result.items if i.status == status]
        if not items or status == "ok":
            continue
        lines.append("")
        lines.append(f"【{STATUS_ZH[status]}】{len(items)} 项")
        for n, i in enumerate(items, 1):
            loc = i.location
            if "sheet" in loc:
                where = f"{loc['sheet']}!{loc['cell']}"
            elif "table" in loc:
                where = f"表{loc['table'] + 1}第{loc.get('row', 0) + 1}行第{loc.get('column', 0) + 1}列"
            else:
                where = f"第{loc.get('paragraph', 0) + 1}段"
            where += f"（第{loc['page']}页）" if loc.get("page") else ""
            claimed = "—" if i.claimed is None else format(i.claimed, "f")
            again = "" if i.recomputed is None else f"，复核 {format(i.recomputed, 'f')}"
            lines.append(f"{n}. ［{where}］{i.item}：自评 {claimed}{again}")
            lines.append(f"    {i.reason}")
    lines.append("")
    lines.append("结论：未发现高于规则的评分。" if not probs else f"结论：发现 {probs} 处需要核实或更正。")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    @app.command("review")
    @handle_errors
    def review(
        submitted: Path | None = typer.Argument(
            None, help="单位报送的自评表：.xlsx（见 --template），或含自评表附件的报告 .docx/.pdf/.txt。"
        ),
        workbook: Path | None = typer.Option(
            None, "--workbook", "-w", help="该单位的基础数据表（.xlsx），有则一并核对数据。"
        ),
        framework: str | None = typer.Option(
            None, "--framework", help="项目支出自评规则（默认 project：执行率10、产出50、效益30、满意度10）。"
        ),
        fmt: str = typer.Option("text", "--format", "-f", help="输出格式：text（默认）或 json。"),
        template: Path | None = typer.Option(
            None, "--template", help="写出 review 读取的自评表 .xlsx 格式（空表）到此路径，然后退出。"
        ),
    ):
        """复核单位报送的部门整体/项目支出绩效自评表：重算能重算的得分，列出高于规则的评分、
        未完成目标却得满分、得分率明显高于执行率、目标未量化、合计不符（均注明位置）。

        退出码：0 未发现问题；1 发现问题；2 用法错误；3 文件无法读取。"""
        if template is not None:
            from ..fsutil import write_bytes_atomic
            from ..review.template import build_review_template
            from ..workbook.template import workbook_bytes

            if template.suffix.lower() != ".xlsx":
                raise UsageError(f"--template 应给出 .xlsx 文件路径，收到“{template}”。")
            write_bytes_atomic(template, workbook_bytes(build_review_template()))
            typer.echo(f"已写出自评表格式：{template}")
            return
        if submitted is None:
            raise UsageError("请给出要复核的自评表文件（或用 --template 路径 写出空表格式）。")
        if fmt not in ("text", "json"):
            raise UsageError(f"不支持的输出格式：{fmt}（可选 text 或 json）。")
        natures = None
        if framework is not None:
            from ..frameworks import load_framework

            fw = load_framework(framework)
            if fw.kind != "project":
                raise UsageError(f"--framework 应为项目支出自评规则（kind: project），“{framework}”不是。")
            natures = dict(fw.natures)
        from ..review import review_file

        result = review_file(submitted, workbook=workbook, natures=natures)
        if fmt == "json":
            print_json(result.to_dict())
        else:
            typer.echo(render_text(result))
        raise typer.Exit(result.exit_code)
