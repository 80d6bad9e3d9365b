"""The one library call under every face: read a workbook, stop on data errors, evaluate.

``run(path, framework, options) -> Outcome`` is what ``jixiao evaluate``/``report``, ``batch`` and
the web page call; ``check(path)`` is its first half (``jixiao check``). The sequence
"load → stop on errors → evaluate" is written here and nowhere else. The shells (CLI, batch,
web) only open files, call this, and map errors to their own messages and exit codes::

    from jixiao.api import run
    out = run("基础数据表.xlsx", "six-dimension")
    if out.valid:
        print(out.evaluation.score.total)
    else:
        for issue in out.errors: print(issue.location.describe(), issue.message)

Raises ``errors.InputError`` (exit 3) when the file cannot be read at all,
``errors.FrameworkError`` (exit 2) for a bad framework, ``errors.OptionError`` (a ValueError)
for bad options; data errors are not exceptions but ``Outcome.issues``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import EXIT_DATA, EXIT_OK, ExitCode, InputError
from .formats import Format
from .frameworks import Framework, load_framework
from .issues import Issue, summarize
from .model import Department
from .options import DEFAULT_OPTIONS, EvalOptions
from .results import Evaluation


@dataclass(frozen=True)
class Outcome:
    """What ``check``/``run`` give for one workbook.

    ``valid``: the workbook was read and has no error-level issue. ``evaluation`` is None when
    the workbook is not valid (nothing is evaluated from data with errors) or only checked."""

    file: str
    department: Department | None
    issues: tuple[Issue, ...] = ()  # every issue, sorted (errors first, then by sheet and cell)
    evaluation: Evaluation | None = None
    #: where each figure sits in the workbook (sheet titles, columns, fixed rows): to point at a cell
    layout: Any = None

    @property
    def valid(self) -> bool:
        return self.department is not None and not self.errors

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def exit_code(self) -> ExitCode:
        """0 valid (warnings and notes allowed), 1 data errors (DESIGN §11)."""
        return EXIT_OK if self.valid else EXIT_DATA

    def to_dict(self) -> dict:
        """The JSON of ``evaluate`` (DESIGN §12); without an evaluation, the same keys with the
        issues only (no indicators, no score)."""
        if self.evaluation is not None:
            return self.evaluation.to_dict()
        d = self.department
        return {
            "department": d.name if d else "",
            "year": d.year if d else None,
            "indicators": {},
            "score": None,
            "findings": [],
            "issues": [i.to_dict() for i in self.issues],
            "summary": summarize(self.issues),
        }


def resolve_framework(framework: Framework | str | Path | None) -> Framework:
    """A loaded framework: as given, a shipped one by id, or a YAML file (FrameworkError if bad)."""
    return framework if isinstance(framework, Framework) else load_framework(framework)


def require_workbook(path: str | Path) -> Path:
    """The path of an existing file, or InputError (exit 3) saying what is wrong."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"找不到基础数据表：{p}", "请检查文件路径。")
    if p.is_dir():
        raise InputError(f"{p} 是文件夹，请给出基础数据表（.xlsx）。")
    return p


def check(path: str | Path) -> Outcome:
    """Read, parse and check a workbook (never modifies it). InputError when unreadable."""
    from .workbook import load

    res = load(path)
    return Outcome(file=str(path), department=res.department, issues=tuple(res.issues), layout=res.layout)


def run(
    path: str | Path,
    framework: Framework | str | Path | None = None,
    options: EvalOptions | None = None,
    *,
    name: str = "",
) -> Outcome:
    """Check a workbook and, when it has no data error, evaluate it.

    ``framework``: a loaded Framework, a shipped id, a YAML path, or None (the default); it is
    loaded first, so a bad framework is reported before any data is read. ``name`` is the
    workbook's name as the user knows it (an upload's original file name), kept in the result."""
    fw = resolve_framework(framework)
    opts = options or DEFAULT_OPTIONS
    project_fw = resolve_framework(opts.project_framework)
    outcome = check(require_workbook(path))
    if outcome.department is not None and name:
        outcome.department.source_file = name
    dept = outcome.department
    if dept is None or not outcome.valid:
        return outcome
    from .evaluate import evaluate

    ev = evaluate(dept, fw, issues=outcome.issues, options=opts, project_framework=project_fw)
    return replace(outcome, evaluation=ev)


__all__ = ["EvalOptions", "Format", "Outcome", "check", "require_workbook", "resolve_framework", "run"]
