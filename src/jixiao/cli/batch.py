"""``jixiao batch``, ``jixiao history`` and ``jixiao compare``: thin shells over batch/store/compare."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from ..errors import UsageError
from ..formats import DOCUMENTS, TABLES, Format
from ..money import fmt_amount
from .common import console, err_console, handle_errors

FORMATS_HELP = (
    "输出格式，逗号分隔：docx,html,xlsx,json（默认 docx,html,json）；none 表示只评价入库、不出报告。"
)


def db_url(value: str | None, *, default: Path | None = None, must_exist: bool = False) -> str:
    """--db: a SQLAlchemy URL, or a plain file path meaning an SQLite file."""
    value = value or os.environ.get("JIXIAO_DB")
    if not value:
        if default is None:
            raise UsageError(
                "未指定数据库。",
                "用 --db sqlite:///路径/jixiao.db（batch 默认写在输出目录下的 jixiao.db）"
                " 或 postgresql+psycopg://… 指定，也可设置环境变量 JIXIAO_DB。",
            )
        value = str(default)
    if "://" not in value:
        value = "sqlite:///" + str(Path(value).expanduser().resolve())
    if must_exist and value.startswith("sqlite:///"):
        p = Path(value[len("sqlite:///") :])
        if not p.is_file():
            raise UsageError(f"数据库文件不存在：{p}", "请先运行 jixiao batch，或用 --db 指定已有的数据库。")
    return value


def _open_store(url: str):
    from ..store import Store

    return Store.open(url)


def _wide():
    """Tables into a pipe or file are not squeezed to 80 columns (names must stay whole)."""
    if console.is_terminal:
        return console
    from .common import SafeConsole

    return SafeConsole(width=max(console.width, 200), highlight=False, soft_wrap=False)


def _d(v) -> str:
    return fmt_amount(v) if v is not None else "—"


def batch_cmd(
    src: Path = typer.Argument(..., help="存放各单位基础数据表（.xlsx）的目录，含子目录。"),
    out: Path = typer.Option(
        ..., "-o", "--out", help="输出目录：每个单位一个子目录，另有 汇总.xlsx、汇总.html。"
    ),
    jobs: int = typer.Option(0, "--jobs", "-j", help="并行进程数（默认：全部 CPU 核）。"),
    db: str = typer.Option(
        None,
        "--db",
        help="数据库：sqlite:///路径 或 postgresql+psycopg://…（默认：输出目录下的 jixiao.db）。",
    ),
    framework: str = typer.Option(
        None, "--framework", help="评分框架：内置名称（six-dimension、mof-2013）或 YAML 文件路径。"
    ),
    fmt: str = typer.Option("docx,html,json", "--format", help=FORMATS_HELP),
    force: bool = typer.Option(
        False, "--force", help="即使文件未变化也重新计算并重写输出（数据库不会重复记录）。"
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示进度条和逐个单位的结果表。"),
):
    """批量评价目录下所有单位的基础数据表：并行处理、写入数据库、生成各单位报告和汇总表。"""
    from ..batch import STATUS_ZH, build_rows, framework_fingerprint, run_batch, write_summary
    from ..batch.runner import find_inputs

    if jobs < 0:
        raise UsageError("--jobs 不能为负数。")
    formats = Format.parse_list(fmt, DOCUMENTS, none_ok=True)
    framework_fingerprint(framework)  # a bad framework or an empty folder: a usage error before any work
    find_inputs(src, out)
    url = db_url(db, default=Path(out) / "jixiao.db")
    store = _open_store(url)
    progress = Progress(
        TextColumn("[bold]评价中"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[last]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        disable=quiet,
        transient=False,
    )
    task = None

    def on_start(n: int):
        nonlocal task
        task = progress.add_task("batch", total=n, last="")
        progress.start()

    def on_item(it):
        if task is not None:
            progress.update(task, advance=1, last=f"{it.file[-30:]} {STATUS_ZH.get(it.status, it.status)}")

    try:
        result = run_batch(
            src,
            out,
            store=store,
            jobs=jobs or None,
            framework=framework,
            formats=formats,
            on_start=on_start,
            on_item=on_item,
            force=force,
        )
    finally:
        progress.stop()
    try:
        write_summary(result, store)
        rows, _ = build_rows(result.items, store)
    finally:
        store.close()
    c = result.counts()
    bad = [r for r in rows if not r.evaluated or r.status == "conflict"]
    if not quiet:
        t = Table(title="批量评价结果", show_lines=False)
        for h in ("排名", "单位名称", "年度", "总分", "等级", "待评", "问题数", "状态"):
            t.add_column(h, justify="right" if h in ("排名", "总分", "待评", "问题数") else "left")
        shown = [r for r in rows if r.evaluated][:50]
        for r in shown:
            t.add_row(
                str(r.rank or ""),
                r.unit,
                str(r.year or ""),
                _d(r.total),
                r.grade_label,
                str(r.pending),
                str(r.findings),
                STATUS_ZH.get(r.status, r.status),
            )
        _wide().print(t)
        if len(shown) < sum(r.evaluated for r in rows):
            console.print(f"（仅显示前 {len(shown)} 个，全部见 汇总.xlsx）")
    if bad:
        t = Table(title="未能评价或需要处理的文件")
        for h in ("文件", "单位", "状态", "原因"):
            t.add_column(h)
        for r in bad:
            t.add_row(r.file, r.unit, STATUS_ZH.get(r.status, r.status), r.reason)
        _wide().print(t)
    parts = "，".join(f"{STATUS_ZH.get(k, k)} {v} 个" for k, v in sorted(c.items()))
    console.print(
        f"共 {len(result.items)} 个文件（{parts}），用时 {result.seconds:.1f} 秒，{result.jobs} 个进程。"
    )
    console.print(f"汇总：{result.summary_files[0]}、{result.summary_files[1].name}；数据库：{result.db_url}")
    raise typer.Exit(result.exit_code)


def _out_format(fmt: str, output: Path | None) -> Format:
    """--format of history/compare; text with ``-o x.xlsx`` (…/.html/.json) means that format."""
    f = Format.parse(fmt, TABLES)
    if f == Format.TEXT and output is not None and output.suffix.lower() in (".xlsx", ".html", ".json"):
        f = Format(output.suffix.lower()[1:])
    if f in (Format.XLSX, Format.HTML) and output is None:
        raise UsageError(f"格式 {f} 需要用 -o 指定输出文件。")
    return f


def _emit_json(doc: dict, output: Path | None) -> None:
    from ..fsutil import write_text_atomic

    text = json.dumps(doc, ensure_ascii=False, indent=2)
    if output is not None:
        write_text_atomic(output, text + "\n")
        console.print(f"已写出：{output}")
    else:
        typer.echo(text)


def history_cmd(
    unit: str = typer.Option(None, "--unit", help="只看这个单位（单位名称）。"),
    db: str = typer.Option(
        None,
        "--db",
        help="数据库：sqlite:///路径、文件路径或 postgresql+psycopg://…（或环境变量 JIXIAO_DB）。",
    ),
    fmt: str = typer.Option("text", "--format", help="text、json、xlsx 或 html。"),
    output: Path = typer.Option(None, "-o", "--output", help="输出文件（xlsx、html 必填）。"),
    framework: str = typer.Option(None, "--framework", help="只看用这个评分框架（id）得出的结果。"),
):
    """查看一个单位（或全部单位）历年的总分、等级和主要指标。"""
    from ..batch import KEY_INDICATORS
    from ..compare import history, write_history

    fmt = _out_format(fmt, output)
    store = _open_store(db_url(db, must_exist=True))
    try:
        rows, names = history(store, unit=unit, framework_id=framework)
    finally:
        store.close()
    if fmt == "json":
        _emit_json(
            {
                "units": sorted({r.unit for r in rows}),
                "results": [r.to_dict() for r in rows],
                "indicator_names": names,
            },
            output,
        )
    elif fmt in ("xlsx", "html"):
        write_history(output, fmt, rows, names)
        console.print(f"已写出：{output}")
    else:
        if not rows:
            console.print("数据库中还没有评价结果。")
            return
        t = Table(title=f"{unit}历年评价结果" if unit else "各单位历年评价结果")
        for h in ("单位名称", "年度", "总分", "等级", "待评", *names.values(), "问题数"):
            t.add_column(h, justify="left" if h in ("单位名称", "等级") else "right", no_wrap=h == "单位名称")
        for r in rows:
            t.add_row(
                r.unit,
                str(r.year),
                _d(r.total),
                r.grade_label,
                str(r.pending),
                *[_d(r.indicators.get(k)) for k in KEY_INDICATORS],
                str(r.findings),
            )
        _wide().print(t)
        if unit:
            from ..compare import indicator_matrix

            mh, mt = indicator_matrix(rows)
            t = Table(title=f"{unit}指标历年值")
            for i, h in enumerate(mh):
                t.add_column(h, justify="right" if i >= 2 else "left")
            for line in mt:
                t.add_row(*[str(v) if i < 2 else _d(v) for i, v in enumerate(line)])
            _wide().print(t)


def compare_cmd(
    years: str = typer.Option(..., "--years", help="比较的两个年度，如 2022,2023。"),
    db: str = typer.Option(
        None,
        "--db",
        help="数据库：sqlite:///路径、文件路径或 postgresql+psycopg://…（或环境变量 JIXIAO_DB）。",
    ),
    fmt: str = typer.Option("text", "--format", help="text、json、xlsx 或 html。"),
    output: Path = typer.Option(None, "-o", "--output", help="输出文件（xlsx、html 必填）。"),
    framework: str = typer.Option(None, "--framework", help="只比较用这个评分框架（id）得出的结果。"),
    sort: str = typer.Option(
        "score", "--sort", help="排序依据：score（总分变动，默认）或指标 id，如 budget_execution_rate。"
    ),
):
    """比较各单位两个年度的结果：按总分变动幅度排序，并提示等级下降、执行率大幅下降等情况。"""
    from ..compare import compare, parse_years, write_compare

    ys = parse_years(years)
    fmt = _out_format(fmt, output)
    store = _open_store(db_url(db, must_exist=True))
    try:
        c = compare(store, ys, framework_id=framework, sort_by=sort)
    finally:
        store.close()
    if fmt == "json":
        _emit_json(c.to_dict(), output)
        return
    if fmt in ("xlsx", "html"):
        write_compare(output, fmt, c)
        console.print(f"已写出：{output}")
        return
    a, b = ys
    if not c.changes and not c.only_before and not c.only_after:
        console.print(f"数据库中没有 {a} 年或 {b} 年的评价结果。")
        return
    by = "总分" if sort == "score" else c.names.get(sort, sort)
    extra = [] if sort == "score" else [f"{by}变动（百分点）"]
    t = Table(title=f"{b}年较{a}年变动（按{by}变动幅度排序）")
    for h in ("单位名称", f"{a}年总分", f"{b}年总分", "变动", *extra, f"{a}年等级", f"{b}年等级", "提示"):
        t.add_column(h, justify="right" if "总分" in h or "变动" in h else "left")

    def signed(v):
        return ("+" if v is not None and v > 0 else "") + _d(v)

    for ch in c.changes:
        more = [] if sort == "score" else [signed(ch.indicator_deltas.get(sort))]
        t.add_row(
            ch.unit,
            _d(ch.before.total),
            _d(ch.after.total),
            signed(ch.delta),
            *more,
            ch.before.grade_label,
            ch.after.grade_label,
            "；".join(ch.flags),
        )
    _wide().print(t)
    for r in c.only_before:
        console.print(f"仅有{a}年结果：{r.unit}")
    for r in c.only_after:
        console.print(f"仅有{b}年结果：{r.unit}")


def register(app: typer.Typer) -> None:
    app.command("batch")(handle_errors(batch_cmd))
    app.command("history")(handle_errors(history_cmd))
    app.command("compare")(handle_errors(compare_cmd))
