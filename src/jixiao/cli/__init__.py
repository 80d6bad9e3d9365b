"""The ``jixiao`` command: a thin typer shell over the library.

Each command group lives in its own module and registers itself on ``app``.
"""

from __future__ import annotations

import os
import sys

import typer

from .. import __version__
from .common import state

app = typer.Typer(
    name="jixiao",
    help="jixiao（绩效）：部门整体支出绩效自评——填表、校验、评价、出报告、审核、汇总比较、本地网页。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool):
    if value:
        typer.echo(f"jixiao {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="出错时显示完整的调试信息（traceback）。"),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本号。"),
):
    """jixiao（绩效）：部门整体支出绩效自评工具。"""
    state["debug"] = debug or bool(os.environ.get("JIXIAO_DEBUG"))


def _register_all() -> None:
    import importlib

    for name in ("workbook", "evaluate", "report", "audit", "review", "batch", "web"):
        try:
            mod = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # a command group not built yet
            if exc.name == f"{__name__}.{name}":
                continue
            raise
        mod.register(app)


_register_all()


def main() -> None:
    if sys.platform == "win32":  # Chinese output on a Windows console
        for s in (sys.stdout, sys.stderr):
            try:
                s.reconfigure(encoding="utf-8")
            except (AttributeError, ValueError):
                pass
    app()
