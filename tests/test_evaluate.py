"""evaluate(): the orchestrator, the stable JSON (DESIGN §12), the example workbook end to end,
and the `jixiao evaluate` / `jixiao frameworks` commands run in-process."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from reference_department import reference_department
from synthetic_department import synthetic_department
from test_findings import UNSPENT
from test_indicators import REFERENCE, recompute
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.errors import FrameworkError
from jixiao.evaluate import EvalOptions, evaluate
from jixiao.frameworks import load_framework
from jixiao.model import Department

D = Decimal
FRAMEWORKS = Path(__file__).parent / "frameworks"
runner = CliRunner()


def test_reference_evaluation_json_shape():
    doc = evaluate(reference_department()).to_dict()
    json.dumps(doc, ensure_ascii=False)  # serialisable as is
    assert doc["department"] == "长沙市科学技术局" and doc["year"] == 2023
    for k, v in REFERENCE.items():
        ind = doc["indicators"][k]
        assert ind["value"] == v and ind["computable"] is True
        assert set(ind) >= {"name", "value", "unit", "formula", "computable"}
    sc = doc["score"]
    assert set(sc) >= {"total", "grade", "pending", "items"}
    assert (
        isinstance(sc["total"], str) and sc["grade"] is None and sc["pending"] == len(sc["pending_items"]) > 0
    )
    assert all(isinstance(i["weight"], str) for i in sc["items"])
    assert {f["rule"] for f in doc["findings"]} >= {
        "project_unspent",
        "project_low_execution",
        "undertaking_low_execution",
        "budget_adjustment_high",
    }
    assert len(doc["project_scores"]) == 30
    assert doc["issues"] == [] and doc["summary"]["total"] == 0


@pytest.mark.parametrize(
    "framework, total, grade",
    [
        (None, "78.78", "中"),  # six-dimension (default), worked out in test_scoring
        ("mof-2013", "86.49", "良"),
        (FRAMEWORKS / "ningxia-like.yaml", "71.29", "中"),
    ],
)
def test_synthetic_through_each_framework(framework, total, grade):
    ev = evaluate(synthetic_department(), load_framework(framework))
    assert ev.score.total == D(total) and ev.score.grade == grade and not ev.score.pending
    ps = {p.project: p.score for p in ev.project_scores}
    assert ps["农技推广"].total == D("90.42") and ps["农技推广"].grade == "优"  # the `project` rule set
    assert ps["农村改厕"].total == D("46.88") and ps["农村改厕"].grade is None


def test_options_reach_indicators_and_findings():
    ev = evaluate(
        reference_department(), options=EvalOptions(three_public_basis="actual", execution_threshold=D(20))
    )
    assert ev.indicators["three_public_budget_change_rate"].value == D("105.48")
    assert [f.subject for f in ev.findings if f.rule == "project_low_execution"] == ["科技成果转化子基金1"]


def test_issues_are_carried_and_empty_department_is_fine():
    from jixiao.issues import Issue

    ev = evaluate(Department(), issues=[Issue("W-X", "warning", "提示")])
    doc = ev.to_dict()
    assert doc["issues"][0]["code"] == "W-X" and doc["summary"]["warning"] == 1
    assert doc["score"]["total"] is None and doc["findings"] == []


def test_bad_framework_raises_framework_error():
    with pytest.raises(FrameworkError):
        evaluate(reference_department(), load_framework("nope"))


# ---------------------------------------------------------------- through the example workbook


@pytest.fixture(scope="module")
def example_eval():
    from conftest import EXAMPLE

    if not EXAMPLE.exists():
        pytest.fail("examples/changsha-kjj-2023.xlsx is missing")
    from jixiao.workbook import load

    res = load(EXAMPLE)
    assert res.valid, [i.message for i in res.issues if i.severity == "error"]
    return evaluate(res.department, issues=res.issues)


def test_example_workbook_gives_reference_figures(example_eval):
    ref = evaluate(reference_department())
    for k, v in REFERENCE.items():
        assert example_eval.indicators[k].value == D(v), k
        assert example_eval.indicators[k].formula == ref.indicators[k].formula, k
    for ind in example_eval.indicators.values():
        if ind.computable:
            got, stated = recompute(ind.formula)
            assert got == stated == ind.value, ind.formula
    subj = lambda ev: {(i.id, i.subject, i.value) for i in ev.project_indicators if i.id != "kpi_actual_rate"}  # noqa: E731
    assert subj(example_eval) == subj(ref)


def test_example_workbook_findings_match_reference(example_eval):
    ref = evaluate(reference_department())
    assert sorted((f.rule, f.subject) for f in example_eval.findings) == sorted(
        (f.rule, f.subject) for f in ref.findings
    )
    blob = json.dumps([f.to_dict() for f in example_eval.findings], ensure_ascii=False)
    for s in [*UNSPENT, "4.70", "12.63", "19.20"]:
        assert s in blob


def test_cli_json_on_example(example_path):
    r = runner.invoke(app, ["evaluate", str(example_path), "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["indicators"]["budget_execution_rate"]["value"] == "92.33"
    assert "10,435.00" in doc["indicators"]["budget_execution_rate"]["formula"]
    assert doc["score"]["framework_id"] == "six-dimension"


def test_cli_text_on_example(example_path):
    r = runner.invoke(app, ["evaluate", str(example_path)])
    assert r.exit_code == 0, r.output
    out = r.stdout
    for s in ("在职人员控制率", "86.76%", "评分", "待评", "存在的问题", "科技成果转化子基金1", "4.70%"):
        assert s in out, s


def test_cli_framework_options(example_path, tmp_path):
    r = runner.invoke(app, ["evaluate", str(example_path), "--framework", "mof-2013", "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["score"]["framework_id"] == "mof-2013"
    r = runner.invoke(
        app,
        [
            "evaluate",
            str(example_path),
            "--framework",
            str(FRAMEWORKS / "hunan-like.yaml"),
            "--format",
            "json",
        ],
    )
    assert r.exit_code == 0 and json.loads(r.stdout)["score"]["framework_id"] == "hunan-like"
    bad = tmp_path / "坏 框架.yaml"
    bad.write_text("id: x\nname: x\ntotal: 1\nlevels: []\n", encoding="utf-8")
    r = runner.invoke(app, ["evaluate", str(example_path), "--framework", str(bad)])
    assert r.exit_code == 2 and "第4行" in r.output and "levels" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["evaluate", str(example_path), "--framework", "project"])
    assert r.exit_code == 2 and "项目支出" in r.output
    r = runner.invoke(app, ["evaluate", str(example_path), "--format", "xml"])
    assert r.exit_code == 2
    r = runner.invoke(
        app, ["evaluate", str(example_path), "--three-public-basis", "actual", "--format", "json"]
    )
    assert (
        r.exit_code == 0
        and json.loads(r.stdout)["indicators"]["three_public_budget_change_rate"]["value"] == "105.48"
    )


def test_cli_missing_file_and_data_errors(example_path, tmp_path):
    r = runner.invoke(app, ["evaluate", str(tmp_path / "无此文件.xlsx")])
    assert r.exit_code == 3 and "找不到" in r.output
    bad = tmp_path / "有错 的表.xlsx"
    shutil.copy(example_path, bad)
    wb = openpyxl.load_workbook(bad)
    wb["公共项目"]["C3"].value = "abc"
    wb.save(bad)
    before = bad.read_bytes()
    r = runner.invoke(app, ["evaluate", str(bad), "--format", "json"])
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["indicators"] == {} and doc["score"] is None
    assert any(i["severity"] == "error" and i["location"]["cell"] == "C3" for i in doc["issues"])
    assert bad.read_bytes() == before  # the input is never touched
    r = runner.invoke(app, ["evaluate", str(bad)])
    assert r.exit_code == 1 and "C3" in r.output


def test_cli_frameworks_listing():
    r = runner.invoke(app, ["frameworks", "--format", "json"])
    assert r.exit_code == 0
    ids = [f["id"] for f in json.loads(r.stdout)["frameworks"]]
    assert {"six-dimension", "mof-2013", "project"} <= set(ids)
    r = runner.invoke(app, ["frameworks"])
    assert r.exit_code == 0 and "六维度" in r.stdout


# ---------------------------------------------------------------- fuzz: any department, no crash, invariants hold

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from strategies import departments  # noqa: E402


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(d=departments(messy=True), fw=st.sampled_from(["six-dimension", "mof-2013"]))
def test_any_department_evaluates_with_invariants(d, fw):
    ev = evaluate(d, load_framework(fw))
    json.dumps(ev.to_dict(), ensure_ascii=False)
    for ind in [*ev.indicators.values(), *ev.project_indicators]:
        if ind.computable:
            got, stated = recompute(ind.formula)
            assert got == stated == ind.value, ind.formula
        else:
            assert ind.value is None and ind.reason
    for sc in [ev.score, *(p.score for p in ev.project_scores)]:
        for it in sc.items:
            assert it.score is None or D(0) <= it.score <= it.weight, it
        scored = [i.score for i in sc.items if i.score is not None]
        assert sc.total == (sum(scored) if scored else None)
        assert sc.grade is None or not sc.pending
    for f in ev.findings:
        assert f.message and f.rule and f.category


GOLDEN = Path(__file__).parent / "goldens" / "evaluate_reference.json"


def test_golden_reference_json(golden):
    """The whole JSON of the reference department: any change in a figure, trace, basis or sentence
    shows up as a reviewed diff (pytest --update-goldens rewrites it)."""
    golden(
        GOLDEN, json.dumps(evaluate(reference_department()).to_dict(), ensure_ascii=False, indent=1) + "\n"
    )
