"""``jixiao evaluate WB`` (indicators, score, findings) and ``jixiao frameworks`` (shipped frameworks)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..formats import PRINTED, Format
from .common import console, err_console, handle_errors, print_issue_lines, print_json


def _issues_doc(res) -> dict:
    from ..issues import summarize

    d = res.department
    return {
        "department": d.name if d else "",
        "year": d.year if d else None,
        "indicators": {},
        "score": None,
        "findings": [],
        "issues": [i.to_dict() for i in res.issues],
        "summary": summarize(res.issues),
    }


def _print_issues(issues) -> None:
    from ..issues import SEVERITY_ZH

    for i in issues:
        where = i.location.describe()
        err_console.print(f"{SEVERITY_ZH[i.severity]} {i.code} {where}：{i.message}", markup=False)


def _fold(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` terminal cells (a CJK character is two), breaking anywhere — a
    formula has no spaces to break at — so nothing is ever cut."""
    from rich.cells import cell_len

    lines: list[str] = []
    cur: list[str] = []
    n = 0
    for ch in text:
        w = cell_len(ch)
        if cur and n + w > width:
            lines.append("".join(cur))
            cur, n = [], 0
        cur.append(ch)
        n += w
    lines.append("".join(cur))
    return lines


def _block(text: str, indent: int = 0, style: str | None = None) -> None:
    """One paragraph, folded at the terminal's width under its indent — never cut."""
    width = max(20, (console.width or 80) - indent)
    pad = " " * indent
    for line in _fold(text, width):
        console.print(pad + line, style=style, markup=False, highlight=False, soft_wrap=True)


def print_text(ev) -> None:
    """A readable summary for a terminal: indicators with their formulas, the score tree, project
    scores (left out when there are no projects), the findings. Long formulas and messages wrap
    at the terminal's width under their heading — nothing is cut."""
    from ..money import fmt_amount, fmt_rate

    d = ev.department
    _block(f"{d.name} {d.year or ''}年度部门整体支出绩效评价", style="bold")
    n = iter("一二三四五六七八九十")
    _block(f"{next(n)}、绩效指标", style="bold")
    for ind in ev.indicators.values():
        if ind.value is None:
            val = "—"
        elif ind.unit == "%":
            val = fmt_rate(ind.value)
        else:
            val = fmt_amount(ind.value) + ind.unit
        _block(f"{ind.name}：{val}", 2)
        _block(ind.formula if ind.computable else f"无法计算：{ind.reason}", 6)

    s = ev.score
    _block(f"{next(n)}、评分（{s.framework}）", style="bold")
    head = None
    for it in s.items:
        if (it.level1, it.level2) != head:
            head = (it.level1, it.level2)
            _block(" / ".join(x for x in head if x), 2)
        score = (
            "待评"
            if it.status == "pending"
            else ("不适用" if it.status == "not_applicable" else f"{it.score}分")
        )
        _block(f"{it.level3}（分值 {it.weight}）：{score}", 4)
        if it.basis:
            _block(it.basis, 8)
    total = "—" if s.total is None else str(s.total)
    if s.pending:
        _block(
            f"已评部分得分 {total} 分（满分 {s.max_total}），{len(s.pending)} 项待评：{'、'.join(s.pending)}；"
            f"等级待定（按已评部分折算为“{s.provisional_grade or '—'}”，仅供参考）。",
            2,
        )
    else:
        _block(f"总分 {total} 分（满分 {s.max_total}），等级：{s.grade or '—'}", 2)

    if ev.project_scores:
        _block(f"{next(n)}、项目支出绩效自评", style="bold")
        for p in ev.project_scores:
            ps = p.score
            kind = "公共项目" if p.kind == "public" else "部门项目"
            total = "—" if ps.total is None else f"{ps.total}分"
            pend = f"，{len(ps.pending)} 项待评" if ps.pending else ""
            _block(f"{p.project}（{kind}）：{total}，等级 {ps.grade or '待定'}{pend}", 2)

    _block(f"{next(n)}、存在的问题", style="bold")
    if not ev.findings:
        _block("未发现问题。", 2)
    cat = None
    for i, f in enumerate(ev.findings, 1):
        if f.category != cat:
            cat = f.category
            _block(f"（{cat}）", 2)
        _block(f"{i}. [{f.rule}] {f.message}", 4)
    if ev.issues:
        from ..issues import summarize

        sm = summarize(ev.issues)
        _block(f"基础数据表检查：{sm['warning']} 个警告，{sm['info']} 个提示（详见 jixiao check）。")


def register(app: typer.Typer) -> None:
    @app.command("evaluate")
    @handle_errors
    def evaluate_cmd(
        workbook: Path = typer.Argument(..., help="基础数据表（.xlsx）。"),
        framework: str | None = typer.Option(
            None,
            "--framework",
            "-f",
            help="评分框架：内置名称（six-dimension、mof-2013）或 YAML 文件路径；默认 six-dimension。",
        ),
        fmt: str = typer.Option("text", "--format", help="输出格式：text（表格）或 json。"),
        three_public_basis: str = typer.Option(
            "budget",
            "--three-public-basis",
            help="“三公”经费变动率口径：budget（预算对预算）或 actual（决算对决算）。",
        ),
        threshold: str = typer.Option(
            "80", "--execution-threshold", help="项目执行率低于此百分数时列为问题，默认 80。"
        ),
    ):
        """计算绩效指标（含计算过程）、按评分框架打分、列出存在的问题。"""
        from ..api import run
        from ..options import cli_options

        out_fmt = Format.parse(fmt, PRINTED)
        opts = cli_options(three_public_basis, threshold)
        outcome = run(workbook, framework, opts)  # a bad framework: exit 2 before reading data
        if outcome.evaluation is None:
            if out_fmt == Format.JSON:
                print_json(outcome.to_dict())
            else:
                print_issue_lines(outcome.errors)
            err_console.print(
                f"基础数据表有 {len(outcome.errors)} 个错误，未进行评价。请修正后重试（jixiao check 可查看全部问题）。",
                markup=False,
            )
            raise typer.Exit(outcome.exit_code)
        if out_fmt == Format.JSON:
            print_json(outcome.to_dict())
        else:
            print_text(outcome.evaluation)

    @app.command("frameworks")
    @handle_errors
    def frameworks_cmd(
        fmt: str = typer.Option("text", "--format", help="输出格式：text 或 json。"),
    ):
        """列出内置的评分框架（可复制后修改权重，用 --framework 文件路径 使用）。"""
        from ..frameworks import list_frameworks

        infos = list_frameworks()
        if fmt.strip().lower() == "json":
            print_json(
                {
                    "frameworks": [
                        {
                            "id": f.id,
                            "name": f.name,
                            "kind": f.kind,
                            "total": str(f.total),
                            "description": f.description,
                            "path": f.path,
                            "source": {"title": f.source_title, "url": f.source_url},
                        }
                        for f in infos
                    ]
                }
            )
            return
        for f in infos:
            kind = "部门整体" if f.kind == "department" else "项目支出"
            src = (
                f"\n\t来源：{f.source_title} {f.source_url}"
                if f.source_url
                else "\n\t来源：jixiao 默认权重（见文件说明）"
            )
            console.print(
                f"{f.id}\t{f.name}（{kind}，满分{f.total}）\n\t{f.description}{src}\n\t{f.path}", markup=False
            )
