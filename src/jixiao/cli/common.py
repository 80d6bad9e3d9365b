"""Shared CLI plumbing: error handling (no tracebacks), exit codes, JSON output, console."""

from __future__ import annotations

import functools
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import typer
from rich.console import Console

from ..errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, JixiaoError, OptionError
from ..issues import SEVERITY_ZH, Issue

__all__ = [
    "EXIT_INTERNAL",
    "console",
    "err_console",
    "handle_errors",
    "print_issue_lines",
    "print_json",
    "state",
]

state = {"debug": bool(os.environ.get("JIXIAO_DEBUG"))}


class SafeConsole(Console):
    """A rich Console that passes every piece of text it prints through ``safety.safe_text``
    (escape sequences, control and bidi characters removed) just before styling: a cell, a file
    name or a message can never drive the terminal. rich's own styles and cursor controls stay."""

    def _render_buffer(self, buffer):
        from rich.segment import Segment

        from ..safety import safe_text

        return super()._render_buffer(
            s if s.control or s.text.isprintable() else Segment(safe_text(s.text), s.style, s.control)
            for s in buffer
        )


console = SafeConsole(highlight=False, soft_wrap=True)
err_console = SafeConsole(stderr=True, highlight=False, soft_wrap=True)


def _fail(message: str, hint: str, code: int) -> typer.Exit:
    if state["debug"]:
        traceback.print_exc()
    err_console.print(f"[bold red]错误：[/]{message}", markup=True)
    if hint:
        err_console.print(f"提示：{hint}", markup=False)
    return typer.Exit(code)


F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(fn: F) -> F:
    """Wrap a command: JixiaoError → Chinese message + its exit code; a bad option value
    (OptionError, raised by the library) → usage error, exit 2; anything else → short Chinese
    message, exit 4; a traceback only with --debug."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except JixiaoError as exc:
            raise _fail(exc.message, exc.hint, exc.exit_code) from None
        except OptionError as exc:
            raise _fail(exc.message, exc.hint, EXIT_USAGE) from None
        except KeyboardInterrupt:
            err_console.print("已中断。")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except MemoryError:
            err_console.print("[bold red]错误：[/]内存不足，文件可能过大。", markup=True)
            raise typer.Exit(EXIT_INPUT) from None
        except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback
            if state["debug"]:
                traceback.print_exc()
            err_console.print(f"[bold red]内部错误：[/]{type(exc).__name__}: {exc}", markup=True)
            err_console.print("提示：这是 jixiao 的缺陷，请加 --debug 重新运行并把输出反馈给开发者。")
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def print_issue_lines(issues: Iterable[Issue]) -> None:
    """One line per issue on stderr: '错误 E-… 公共项目!F7（项目）：message'."""
    for i in issues:
        err_console.print(
            f"{SEVERITY_ZH[i.severity]} {i.code} {i.location.describe()}：{i.message}", markup=False
        )


def print_json(doc: dict) -> None:
    """One JSON document on stdout (UTF-8, Chinese kept readable)."""
    write = sys.stdout.write
    for chunk in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(doc):  # streamed: bounded
        write(chunk)
    write("\n")
    sys.stdout.flush()
