"""End to end through real files and the real CLI, on departments other than the example.

Synthetic departments (benchmarks/make_departments.py, seeded) go template → check → evaluate →
report → audit: each step's output is the next step's input, as a finance officer runs them. The
report jixiao writes must pass jixiao's own audit with no mismatch (DESIGN §8).
"""

from __future__ import annotations

import importlib.util
import json

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from jixiao.cli import app

runner = CliRunner()


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_departments", ROOT / "benchmarks" / "make_departments.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("i", [0, 3, 7, 11])
def test_synthetic_department_end_to_end(tmp_path, i):
    gen = _generator()
    data = gen.department(i, 2023, seed=20261128)
    wb = gen.write_one(tmp_path / f"单位 {i}.xlsx", data)
    before = wb.read_bytes()

    r = runner.invoke(app, ["check", str(wb), "--format", "json"])
    rep = json.loads(r.stdout)
    assert r.exit_code == 0 and rep["valid"], [
        x["message"] for x in rep["issues"] if x["severity"] == "error"
    ]

    r = runner.invoke(app, ["evaluate", str(wb), "--format", "json"])
    assert r.exit_code == 0, r.output
    ev = json.loads(r.stdout)
    assert ev["department"] == data["基本信息"]["单位名称"]
    assert ev["indicators"]["budget_execution_rate"]["computable"]
    total = sum(1 for _ in ev["score"]["items"])
    assert total > 0

    out = tmp_path / "输出 目录"
    r = runner.invoke(app, ["report", str(wb), "-o", str(out)])
    assert r.exit_code == 0, r.output
    docx = sorted(out.glob("*.docx"))
    assert len(docx) == 1

    r = runner.invoke(app, ["audit", str(docx[0]), "--format", "json"])
    audit = json.loads(r.stdout)
    mism = [
        (c["location"], c["text"][:80], c["stated"], c["computed"])
        for c in audit["claims"]
        if c["status"] == "mismatch"
    ]
    assert not mism, mism
    assert r.exit_code == 0
    assert len(audit["claims"]) >= 20
    assert wb.read_bytes() == before, "the input workbook was modified"
