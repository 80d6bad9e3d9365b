"""Text output of ``jixiao evaluate`` for a terminal (issue 12): at COLUMNS=80 every formula,
basis and finding is printed whole (wrapped, never cut with '…'), and a unit without projects
gets no empty project section."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from builders import make_workbook

from jixiao.evaluate import evaluate
from jixiao.frameworks import load_framework
from jixiao.workbook import load

SRC = Path(__file__).resolve().parents[1] / "src"


def _run(path: Path, *args: str) -> str:
    env = {**os.environ, "COLUMNS": "80", "PYTHONPATH": str(SRC)}
    r = subprocess.run(
        [sys.executable, "-m", "jixiao", "evaluate", str(path), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    return r.stdout


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_formulas_and_messages_wrap_never_cut(example_path):
    out = _run(example_path, "--framework", "mof-2013")
    from jixiao.cli.common import console  # noqa: F401 - the same console prints in the subprocess

    assert max(len(line) for line in out.splitlines()) <= 80
    assert "…" not in out
    res = load(example_path)
    ev = evaluate(res.department, framework=load_framework("mof-2013"), issues=res.issues)
    flat = _flat(out)
    for ind in ev.indicators.values():
        assert _flat(ind.formula if ind.computable else ind.reason) in flat, ind.id
    for it in ev.score.items:
        assert _flat(it.basis) in flat, it.id
    for f in ev.findings:
        assert _flat(f.message) in flat, f.rule
    # the long 预算执行率 trace the issue saw cut at '（预算调整数767.86万元/年初预算数1…'
    assert _flat(ev.indicators["budget_execution_rate"].formula) in flat


def test_unit_without_projects_has_no_project_section(tmp_path):
    p = make_workbook(
        tmp_path,
        {"部门项目": [], "公共项目": [], "项目绩效指标": [], "项目承担单位": []},
        base="example",
        edit=lambda wb: _no_projects(wb),
    )
    out = _run(p)
    assert "项目支出绩效自评" not in out
    assert "三、存在的问题" in out


def _no_projects(wb):
    for name in ("部门项目", "公共项目", "项目绩效指标", "项目承担单位"):
        ws = wb[name]
        if ws.max_row > 1:
            ws.delete_rows(2, ws.max_row)
    ws = wb["支出总表"]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value in ("部门项目支出", "公共项目支出", "项目支出合计"):
            for c in range(2, 7):
                ws.cell(r, c).value = 0
        if ws.cell(r, 1).value == "整体支出合计":  # computed from the parts
            for c in range(2, 7):
                ws.cell(r, c).value = None
