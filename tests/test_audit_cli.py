"""``jixiao audit FILE``: text and JSON output, exit codes 0 / 1 / 2 / 3, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from audit_corpus.builders import bump, synthetic_report, write_docx
from typer.testing import CliRunner

from jixiao.audit.readers import parse_txt
from jixiao.cli import app

runner = CliRunner()


def _run(*args):
    r = runner.invoke(app, ["audit", *map(str, args)])
    assert "Traceback" not in (r.output or "")
    return r


def _clean(tmp_path):
    p = tmp_path / "干净 报告.txt"
    p.write_text(synthetic_report(5), encoding="utf-8")
    return p


def _slipped(tmp_path):
    """The synthetic report with the first 合计 of its 三公 table raised by 1.11."""
    lines = synthetic_report(5).split("\n")
    i = lines.index("\t合计") + 1
    lines[i] = "\t" + bump(lines[i][1:])
    p = tmp_path / "有误.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    return p


def test_clean_report_exits_0_with_a_conclusion(tmp_path):
    r = _run(_clean(tmp_path))
    assert r.exit_code == 0, r.output
    assert "不符 0" in r.output and "结论：未发现计算不符。" in r.output


def test_slip_exits_1_and_is_listed_first_with_the_right_figure(tmp_path):
    r = _run(_slipped(tmp_path))
    assert r.exit_code == 1, r.output
    out = r.output
    groups = [g for g in ("【不符】", "【尾差】", "【无法核实】") if g in out]
    assert groups[0] == "【不符】"
    block = out.split("【不符】", 1)[1]
    assert "表1 第5行 第3列" in block  # table 0, row 4 (合计), column 2 — shown 1-based
    assert "复核应为" in block and "原文：" in block


def test_json_shape(tmp_path):
    r = _run(_slipped(tmp_path), "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.output)
    assert set(doc) == {"file", "claims", "summary"}
    assert set(doc["summary"]) == {"ok", "rounding", "mismatch", "unverifiable"}
    assert doc["summary"]["mismatch"] >= 1
    for c in doc["claims"]:
        assert {"kind", "text", "location", "stated", "computed", "status"} <= set(c)
        assert isinstance(c["stated"], str) and (c["computed"] is None or isinstance(c["computed"], str))
        assert set(c["location"]) in ({"paragraph"}, {"table", "row", "column"})
        if c["status"] == "unverifiable":
            assert c["reason"]
    bad = [c for c in doc["claims"] if c["status"] == "mismatch"]
    assert {"table": 0, "row": 4, "column": 2} in [c["location"] for c in bad]


def test_docx_input(tmp_path):
    p = write_docx(parse_txt(synthetic_report(6)), tmp_path / "报告.docx")
    r = _run(p, "--format", "json")
    assert r.exit_code == 0
    assert len(json.loads(r.output)["claims"]) >= 50


def test_all_flag_lists_checked_claims(tmp_path):
    r = _run(_clean(tmp_path), "--all")
    assert "【无误】" in r.output


def test_unreadable_exits_3_with_a_chinese_message(tmp_path):
    p = tmp_path / "坏.docx"
    p.write_bytes(b"PK\x03\x04broken")
    r = _run(p)
    assert r.exit_code == 3 and "损坏" in r.output
    r = _run(tmp_path / "不存在.pdf")
    assert r.exit_code == 3 and "找不到" in r.output


def test_bad_format_is_a_usage_error(tmp_path):
    r = _run(_clean(tmp_path), "--format", "xml")
    assert r.exit_code == 2 and "不支持的输出格式" in r.output


def test_help_is_chinese():
    r = runner.invoke(app, ["audit", "--help"])
    assert r.exit_code == 0 and "审核报告" in r.output and "退出码" in r.output


GOLDEN_TEXT = Path(__file__).parent / "audit_corpus" / "golden_text_output.txt"


def test_text_output_golden(tmp_path, golden):
    """The whole text report for the slipped synthetic report, as a reviewer reads it
    (``pytest --update-goldens`` rewrites it; review the diff). A missing golden fails."""
    r = _run(_slipped(tmp_path), "--all")
    golden(GOLDEN_TEXT, r.output.replace(str(tmp_path), "<tmp>"))
