"""api.run / api.check: the one library call under the CLI, batch and the web page, on real
workbooks written in the test; and the Format enum every --format goes through."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from builders import make_workbook

from jixiao.api import Outcome, check, run
from jixiao.errors import EXIT_DATA, EXIT_OK, FrameworkError, InputError, OptionError
from jixiao.formats import DOCUMENTS, PRINTED, TABLES, Format
from jixiao.frameworks import load_framework
from jixiao.options import EvalOptions, cli_options

SRC = Path(__file__).resolve().parents[1] / "src" / "jixiao"


def test_a_clean_workbook_is_evaluated(tmp_path):
    out = run(make_workbook(tmp_path, base="example"), "mof-2013", name="上传的表.xlsx")
    assert out.valid and out.exit_code == EXIT_OK and out.errors == []
    ev = out.evaluation
    assert ev is not None and ev.score.framework_id == "mof-2013"
    assert ev.department.source_file == "上传的表.xlsx"
    assert ev.indicators["staff_control_rate"].value == Decimal("86.76")
    assert list(ev.issues) == list(out.issues)
    assert out.to_dict() == ev.to_dict()


def test_data_errors_stop_before_evaluation(tmp_path):
    p = make_workbook(tmp_path, base="example", cells={("公共项目", "D3"): 6800})
    out = run(p, load_framework("six-dimension"))
    assert not out.valid and out.evaluation is None and out.exit_code == EXIT_DATA
    assert [i.code for i in out.errors] and all(i.severity == "error" for i in out.errors)
    doc = json.loads(json.dumps(out.to_dict(), ensure_ascii=False))
    assert doc["score"] is None and doc["indicators"] == {} and doc["summary"]["error"] == len(out.errors)
    assert doc["department"] == out.department.name


def test_check_never_evaluates(tmp_path):
    out = check(make_workbook(tmp_path, base="example"))
    assert isinstance(out, Outcome) and out.valid and out.evaluation is None


def test_a_bad_framework_is_reported_before_the_data_is_read(tmp_path):
    with pytest.raises(FrameworkError):
        run(tmp_path / "不存在.xlsx", "没有这个框架")
    with pytest.raises(InputError, match="找不到基础数据表"):
        run(tmp_path / "不存在.xlsx")
    with pytest.raises(InputError, match="文件夹"):
        run(tmp_path)


def test_bad_options_are_value_errors_not_cli_errors():
    with pytest.raises(ValueError) as e:
        cli_options("both", "80")
    assert isinstance(e.value, OptionError)
    with pytest.raises(OptionError, match="--execution-threshold"):
        cli_options("budget", "八十")
    with pytest.raises(OptionError):
        cli_options("budget", "NaN")
    assert cli_options(" Actual ", "75%") == EvalOptions(
        three_public_basis="actual", execution_threshold=Decimal(75), undertaking_threshold=Decimal(75)
    )


def test_one_format_enum_for_every_format_option():
    assert Format.parse(" JSON ", PRINTED) is Format.JSON and Format.JSON == "json"
    assert Format.parse_list("docx，html,docx", DOCUMENTS) == (Format.DOCX, Format.HTML)
    assert Format.parse_list("none", DOCUMENTS, none_ok=True) == ()
    with pytest.raises(OptionError, match="不支持的输出格式（--format）：pdf"):
        Format.parse_list("docx,pdf", DOCUMENTS)
    with pytest.raises(OptionError):
        Format.parse_list("", DOCUMENTS)
    with pytest.raises(OptionError):
        Format.parse("xlsx", PRINTED)
    assert Format.parse("html", TABLES) is Format.HTML


def test_the_load_stop_evaluate_sequence_exists_once():
    """Only api.py reads a workbook for evaluation and calls evaluate(); the shells call api."""
    calls = re.compile(
        r"(?<!def )(?<![\w.])evaluate\(|\bworkbook import load\b|from \.\.?workbook import .*\bload\b"
    )
    offenders = []
    for p in SRC.rglob("*.py"):
        rel = str(p.relative_to(SRC))
        if rel in ("api.py", "evaluate.py") or rel.startswith("workbook/"):
            continue
        text = p.read_text(encoding="utf-8")
        offenders += [f"{rel}: {m.group(0)}" for m in calls.finditer(text)]
    assert not offenders, offenders


def test_exit_codes_are_named_not_bare_numbers():
    bare = re.compile(r"exit_code\s*==\s*\d|Exit\(\d|return \d if .* else \d")
    offenders = [
        str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if bare.search(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders
