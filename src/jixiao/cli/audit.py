"""``jixiao audit FILE``: re-check every arithmetic claim of a published report."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import UsageError
from .common import handle_errors, print_json


def register(app: typer.Typer) -> None:
    @app.command("audit")
    @handle_errors
    def audit(
        files: list[Path] = typer.Argument(
            ..., help="要审核的报告（可多个）：.docx、.pdf（含文字层）或 .txt。"
        ),
        fmt: str = typer.Option("text", "--format", "-f", help="输出格式：text（默认）或 json。"),
        show_all: bool = typer.Option(False, "--all", help="文本输出时也逐条列出核对无误的陈述。"),
        same_unit: bool = typer.Option(
            False,
            "--same-unit",
            help="多个文件视为同一单位同一年度的文件（自评报告、决算公开、预算公开），核对各文件所述同一数字是否一致。",
        ),
    ):
        """审核报告中的每一处计算：公式、较上年增减、总数与分项、比率、表格勾稽与合计行列，
        以及文字所述数字与本文件表格是否一致；加 --same-unit 时再核对多个文件之间是否一致。

        退出码：0 无不符；1 发现不符；2 用法错误；3 文件无法读取。"""
        from ..audit import audit_file, audit_files

        if fmt not in ("text", "json"):
            raise UsageError(f"不支持的输出格式：{fmt}（可选 text 或 json）。")
        if same_unit and len(files) < 2:
            raise UsageError("--same-unit 需要至少两个文件。")
        if len(files) == 1:
            result = audit_file(files[0])
            if fmt == "json":
                print_json(result.to_dict())
            else:
                typer.echo(render_text(result, show_all=show_all))
            raise typer.Exit(result.exit_code)
        multi = audit_files(files, same_unit=same_unit)
        if fmt == "json":
            print_json(multi.to_dict())
        else:
            typer.echo(render_multi(multi, show_all=show_all))
        raise typer.Exit(multi.exit_code)


def render_multi(multi, *, show_all: bool = False) -> str:
    """Each file's report, then (with --same-unit) the figures compared across the files."""
    from ..audit import AuditResult

    parts = [render_text(r, show_all=show_all) for r in multi.results]
    if multi.same_unit:
        cross = AuditResult(file="", claims=multi.cross)
        body = render_text(cross, show_all=show_all).split("\n")[2:]
        s = cross.summary
        head = [
            f"跨文件核对（同一单位同一年度，{len(multi.results)} 个文件）：共比对 {len(multi.cross)} 处同一数字："
            f"不符 {s['mismatch']}，尾差 {s['rounding']}，一致 {s['ok']}。"
        ]
        if not multi.cross:
            head.append(
                "各文件未陈述可比对的同一数字（支出合计、基本/项目支出、“三公”经费、机关运行经费、政府采购）。"
            )
            body = []
        parts.append("\n".join(head + [x for x in body if x != "未发现可复核的计算陈述。"]))
    s = multi.summary
    parts.append(
        f"合计：{len(multi.results)} 个文件，不符 {s['mismatch']}，尾差 {s['rounding']}，"
        f"无误 {s['ok']}，无法核实 {s['unverifiable']}。"
    )
    return "\n\n".join(parts)


def render_text(result, *, show_all: bool = False) -> str:
    from ..audit.recompute import KIND_NAMES, fmt

    s = result.summary
    lines = [
        f"审核：{result.file}",
        f"共核对 {len(result.claims)} 处计算陈述：不符 {s['mismatch']}，尾差 {s['rounding']}，"
        f"无误 {s['ok']}，无法核实 {s['unverifiable']}。",
    ]

    def show(c, head):
        unit = c.unit
        dec = _decimals(c.stated)
        lines.append(f"{head}［{c.where}］{KIND_NAMES.get(c.kind, c.kind)}")
        lines.append(f"    原文：{c.text}")
        if c.computed is not None:
            verb = {"cross_document": "另一文件为", "text_vs_table": "表格为"}.get(c.kind) or (
                "复核一致" if c.status == "ok" else "复核应为"
            )
            lines.append(
                f"    陈述 {fmt(c.stated, dec, unit)}，{verb} {fmt(c.computed, dec, unit)}"
                + (f"（{c.formula}）" if c.formula else "")
            )
        if c.reason:
            lines.append(f"    说明：{c.reason}")

    groups = [("mismatch", "不符"), ("rounding", "尾差"), ("unverifiable", "无法核实")]
    if show_all:
        groups.append(("ok", "无误"))
    for status, name in groups:
        items = [c for c in result.claims if c.status == status]
        if not items:
            continue
        lines.append("")
        lines.append(f"【{name}】{len(items)} 处")
        for i, c in enumerate(items, 1):
            show(c, f"{i}. ")
    if not result.claims:
        lines.append("未发现可复核的计算陈述。")
    elif not s["mismatch"]:
        lines.append("")
        lines.append("结论：未发现计算不符。")
    return "\n".join(lines)


def _decimals(x) -> int:
    if x is None:
        return 2
    e = x.as_tuple().exponent
    return -e if isinstance(e, int) and e < 0 else 0
