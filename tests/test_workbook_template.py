"""`jixiao template`: the blank workbook a finance officer fills."""

from __future__ import annotations

import hashlib

from openpyxl import load_workbook
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.issues import flatten
from jixiao.workbook import load, schema
from jixiao.workbook.template import build_template, workbook_bytes

runner = CliRunner()


def test_template_sheets_headers_and_layout(tmp_path):
    p = tmp_path / "模板 空白 2023.xlsx"
    res = runner.invoke(app, ["template", str(p)])
    assert res.exit_code == 0, res.output
    wb = load_workbook(p)
    assert wb.sheetnames == [schema.INSTRUCTIONS, *(s.name for s in schema.SHEETS)]
    for spec in schema.SHEETS:
        ws = wb[spec.name]
        headers = [ws.cell(row=1, column=i).value for i in range(1, len(spec.columns) + 1)]
        assert headers == [c.header for c in spec.columns]
        assert ws.freeze_panes in ("A2", "B2")
        for i, c in enumerate(spec.columns, start=1):
            width = ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width
            assert width >= sum(2 if ord(ch) > 0x2E80 else 1 for ch in c.header), (spec.name, c.header)
        if spec.rows:
            labels = [ws.cell(row=r, column=1).value for r in range(2, len(spec.rows) + 2)]
            assert labels == [r.label for r in spec.rows]
    assert "年初预算（万元）" in [c.value for c in wb["支出总表"][1]]


def test_template_has_no_figures(tmp_path):
    wb = build_template()
    for spec in schema.SHEETS:
        ws = wb[spec.name]
        for row in ws.iter_rows(min_row=2, min_col=2):
            for c in row:
                assert c.value in (None, "万元"), (spec.name, c.coordinate, c.value)


def _validations(ws):
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            out[rng.split(":")[0].rstrip("0123456789")] = dv
    return out


def test_template_validation_blocks_bad_entries(tmp_path):
    p = tmp_path / "t.xlsx"
    p.write_bytes(workbook_bytes(build_template()))
    wb = load_workbook(p)
    v = _validations(wb["公共项目"])
    assert v["B"].type == "decimal" and v["B"].formula1 == "0" and v["B"].errorStyle == "stop"
    assert v["C"].type == "decimal" and float(v["C"].formula1) < 0  # 预算调整 may be negative
    assert v["G"].type == "decimal"  # 执行率剔除金额
    assert all(dv.showErrorMessage for dv in wb["公共项目"].data_validations.dataValidation)
    assert _validations(wb["人员编制"])["B"].type == "whole"
    nature = _validations(wb["项目绩效指标"])["E"]
    assert nature.type == "list" and all(n in nature.formula1 for n in schema.NATURES)
    assert _validations(wb["履职目标"])["B"].type == "list"
    info = _validations(wb["基本信息"])
    assert info["B"].type in ("list", "whole", "date")
    unit = [dv for dv in wb["基本信息"].data_validations.dataValidation if dv.type == "list"][0]
    assert "万元" in unit.formula1 and "元" in unit.formula1
    tp = [dv for dv in wb["三公经费"].data_validations.dataValidation if dv.type == "list"][0]
    assert "公务接待费" in tp.formula1


def test_template_refuses_to_overwrite(tmp_path):
    p = tmp_path / "已有 文件.xlsx"
    assert runner.invoke(app, ["template", str(p)]).exit_code == 0
    before = hashlib.sha256(p.read_bytes()).hexdigest()
    res = runner.invoke(app, ["template", str(p)])
    assert res.exit_code == 2 and "已存在" in res.output and "Traceback" not in res.output
    assert hashlib.sha256(p.read_bytes()).hexdigest() == before
    assert runner.invoke(app, ["template", str(p), "--force"]).exit_code == 0
    bad = runner.invoke(app, ["template", str(tmp_path / "x.csv")])
    assert bad.exit_code == 2 and ".xlsx" in bad.output


def test_template_is_deterministic(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    runner.invoke(app, ["template", str(a)])
    runner.invoke(app, ["template", str(b)])
    wa, wb_ = load_workbook(a), load_workbook(b)
    for s in wa.sheetnames:
        assert [[c.value for c in r] for r in wa[s].iter_rows()] == [
            [c.value for c in r] for r in wb_[s].iter_rows()
        ]


def test_blank_template_checks_only_for_name_and_year(tmp_path):
    p = tmp_path / "空白.xlsx"
    runner.invoke(app, ["template", str(p)])
    r = load(p)
    errors = [x for x in flatten(r.issues, ("code", "severity", "sheet", "cell")) if x[1] == "error"]
    assert errors == [
        ("E-INFO-MISSING", "error", "基本信息", "B2"),
        ("E-INFO-MISSING", "error", "基本信息", "B3"),
    ]
    res = runner.invoke(app, ["check", str(p)])
    assert res.exit_code == 1
