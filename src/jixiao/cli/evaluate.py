"""``jixiao evaluate WB`` (indicators, score, findings) and ``jixiao frameworks`` (shipped frameworks)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..formats import PRINTED, Format
from .common import console, err_console, handle_errors, print_issue_lines, print_json


def _issues_doc(res) -> dict:
    from ..issues import summarize

    d = res.department
    return {"department": d.name if d else "", "year": d.year if d else None, "indicators": {}, "score": None,
            "findings": [], "issues": [i.to_dict() for i in res.issues], "summary": summarize(res.issues)}


def _print_issues(issues) -> None:
    from ..issues import SEVERITY_ZH

    for i in issues:
        where = i.location.describe()
        err_console.print(f"{SEVERITY_ZH[i.severity]} {i.code} {where}：{i.message}", markup=False)


def print_text(ev) -> None:
    """A readable summary: indicators with formulas, the score tree, the findings."""
    from rich.table import Table

    from ..money import fmt_amount, fmt_rate

    d = ev.department
    console.print(f"[bold]{d.name} {d.year or ''}年度部门整体支出绩效评价[/]", markup=True)
    t = Table(title="一、绩效指标", show_lines=False, title_justify="left")
    t.add_column("指标")
    t.add_column("值", justify="right")
    t.add_column("计算过程")
    for ind in ev.indicators.values():
        if ind.value is None:
            val = "—"
        elif ind.unit == "%":
            val = fmt_rate(ind.value)
        else:
            val = fmt_amount(ind.value) + ind.unit
        t.add_row(ind.name, val, ind.formula if ind.computable else f"无法计算：{ind.reason}")
    console.print(t)

    s = ev.score
    st = Table(title=f"二、评分（{s.framework}）", title_justify="left")
    for c in ("一级指标", "二级指标", "三级指标", "分值", "得分", "评分依据"):
        st.add_column(c, justify="right" if c in ("分值", "得分") else "left")
    for it in s.items:
        score = "待评" if it.status == "pending" else ("不适用" if it.status == "not_applicable" else str(it.score))
        st.add_row(it.level1, it.level2, it.level3, str(it.weight), score, it.basis)
    console.print(st)
    total = "—" if s.total is None else str(s.total)
    if s.pending:
        console.print(f"已评部分得分 {total} 分（满分 {s.max_total}），{len(s.pending)} 项待评："
                      f"{'、'.join(s.pending)}；等级待定（按已评部分折算为“{s.provisional_grade or '—'}”，仅供参考）。",
                      markup=False)
    else:
        console.print(f"总分 {total} 分（满分 {s.max_total}），等级：{s.grade or '—'}", markup=False)

    pt = Table(title="三、项目支出绩效自评", title_justify="left")
    for c in ("项目", "类别", "得分", "待评项", "等级"):
        pt.add_column(c)
    for p in ev.project_scores:
        ps = p.score
        pt.add_row(p.project, "公共项目" if p.kind == "public" else "部门项目", "—" if ps.total is None else str(ps.total),
                   str(len(ps.pending)), ps.grade or "待定")
    console.print(pt)

    console.print("[bold]四、存在的问题[/]", markup=True)
    if not ev.findings:
        console.print("未发现问题。")
    cat = None
    for n, f in enumerate(ev.findings, 1):
        if f.category != cat:
            cat = f.category
            console.print(f"（{cat}）", markup=False)
        console.print(f"{n}. [{f.rule}] {f.message}", markup=False)
    if ev.issues:
        from ..issues import summarize

        sm = summarize(ev.issues)
        console.print(f"基础数据表检查：{sm['warning']} 个警告，{sm['info']} 个提示（详见 jixiao check）。", markup=False)


def register(app: typer.Typer) -> None:
    @app.command("evaluate")
    @handle_errors
    def evaluate_cmd(
        workbook: Path = typer.Argument(..., help="基础数据表（.xlsx）。"),
        framework: str | None = typer.Option(None, "--framework", "-f",
                                             help="评分框架：内置名称（six-dimension、mof-2013）或 YAML 文件路径；默认 six-dimension。"),
        fmt: str = typer.Option("text", "--format", help="输出格式：text（表格）或 json。"),
        three_public_basis: str = typer.Option("budget", "--three-public-basis",
                                               help="“三公”经费变动率口径：budget（预算对预算）或 actual（决算对决算）。"),
        threshold: str = typer.Option("80", "--execution-threshold", help="项目执行率低于此百分数时列为问题，默认 80。"),
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
            err_console.print(f"基础数据表有 {len(outcome.errors)} 个错误，未进行评价。请修正后重试（jixiao check 可查看全部问题）。",
                              markup=False)
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
            print_json({"frameworks": [{"id": f.id, "name": f.name, "kind": f.kind, "total": str(f.total),
                                        "description": f.description, "path": f.path} for f in infos]})
            return
        for f in infos:
            kind = "部门整体" if f.kind == "department" else "项目支出"
            console.print(f"{f.id}\t{f.name}（{kind}，满分{f.total}）\n\t{f.description}\n\t{f.path}", markup=False)
