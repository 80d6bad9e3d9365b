"""Builders and a hand-built backend for the web tests (no test functions here).

The fake backend reads the real .xlsx it is given (a tiny one-sheet workbook written by
``make_workbook``) and returns hand-built results.py objects, so the web app's own behaviour —
upload safety, escaping, issue tables, downloads — is tested independently of the other modules.
"""

from __future__ import annotations

import io
from decimal import Decimal as D
from pathlib import Path

import openpyxl

from jixiao.issues import Issue, Location
from jixiao.model import Department, Project
from jixiao.money import AmountError, parse_decimal
from jixiao.results import Evaluation, Finding, Indicator, ProjectScore, Score, ScoreItem
from jixiao.web.backend import Backend

SHEET = "基本信息"


def make_workbook(path: Path, *, name: str = "示例科技局", year: int = 2023, staff="59",
                  authorized="68", project: str = "科技重大专项") -> Path:
    """A tiny real workbook: 基本信息 with 单位名称/年度/在职人数/编制数/项目名称 in column B."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["项目", "内容"])
    for label, value in (("单位名称", name), ("年度", year), ("实有在职人数", staff), ("编制数", authorized),
                         ("项目名称", project)):
        ws.append([label, value])
    wb.save(path)
    return path


def xlsx_bytes(**kw) -> bytes:
    """The same workbook as bytes (for uploads)."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        return make_workbook(Path(d) / "w.xlsx", **kw).read_bytes()


def _int(v, cell: str, issues: list) -> int | None:
    try:
        return int(parse_decimal(v if not isinstance(v, int) else str(v)))
    except AmountError as exc:
        issues.append(Issue("E-CELL-NUMBER", "error", f"{SHEET}!{cell} 应为数字，实际为“{v}”（{exc.reason}）。",
                            Location(file=None, sheet=SHEET, cell=cell, row=int(cell[1:])),
                            "请填写数字，不要带文字或单位。"))
        return None


def build_evaluation(dept: Department, staff: int, authorized: int, framework: str | None = None) -> Evaluation:
    v = (D(staff) * 100 / D(authorized)).quantize(D("0.01"))
    ind = Indicator("staff_control_rate", "在职人员控制率", v, "%",
                    f"（在职人员数{staff}人/编制数{authorized}人）×100%={v}%",
                    inputs={"在职人员数": staff, "编制数": authorized})
    na = Indicator("asset_growth_rate", "资产增长率", None, "%", "", computable=False,
                   reason="缺少上年末资产总额")
    kpi = (D(staff) / 4).quantize(D("0.01"))  # varies with the data, so rankings can be tested
    items = [
        ScoreItem("cost.staff", "运行成本", "人员控制", "在职人员控制率", D("8"), D("8.00"),
                  basis=f"在职人员控制率{v}%≤100%，得满分", rule="deduct", source="staff_control_rate"),
        ScoreItem("effect.kpi", "履职效能", "目标完成", "履职目标完成情况", D("20"), kpi,
                  basis="部分目标未完成", rule="proportional", source="kpi"),
        ScoreItem("social.manual", "社会效应", "社会影响", "社会效益", D("10"), None, basis="", rule="qualitative",
                  source="manual", status="pending"),
    ]
    score = Score("六维度框架" if framework != "mof2013" else "财政部2013框架", framework or "six", items,
                  D("8.00") + kpi, D("38"), None, pending=["社会效益"], provisional_grade="中")
    proj = dept.dept_projects[0]
    pind = Indicator("project_execution_rate", "项目执行率", D("68.34"), "%",
                     "（4,701.80/6,880.00）×100%=68.34%", subject=proj.name)
    pscore = ProjectScore(proj.name, "department", Score("项目支出绩效自评表", "project", [
        ScoreItem("exec", "预算执行率", "", "预算执行率", D("10"), D("6.83"), rule="proportional")],
        D("6.83"), D("10"), "差"))
    finding = Finding("project_low_execution", "high", proj.name,
                      f"{proj.name}执行率为68.34%，低于80%。", {"执行率": D("68.34"), "阈值": D("80")},
                      improvement="加快项目实施进度。", category="资金分配、使用和管理")
    warn = Issue("W-TEST", "warning", "上年自评报告公开日期未填写。", Location(sheet=SHEET, cell="B9"), "如已公开请填写日期。")
    return Evaluation(dept, {ind.id: ind, na.id: na}, [pind], score, [pscore], [finding], [warn])


class FakeBackend(Backend):
    """Hand-built results over tiny real workbooks; records the paths it was given."""

    def __init__(self):
        self.paths: list[Path] = []
        self.frameworks_called = 0

    def key_indicators(self):
        return ("staff_control_rate", "asset_growth_rate")

    def frameworks(self):
        self.frameworks_called += 1
        return [("six", "六维度框架（参考报告）"), ("mof2013", "财政部2013框架")]

    def template_bytes(self) -> bytes:
        wb = openpyxl.Workbook()
        wb.active.title = "填表说明"
        wb.active["A1"] = "填表说明：金额单位为万元"
        wb.active["A2"] = "=1+1"          # must be neutralised on the way out
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    def load(self, path: Path):
        self.paths.append(path)
        assert path.exists()
        wb = openpyxl.load_workbook(path, read_only=True)
        ws = wb[SHEET]
        vals = {row[0]: row[1] for row in ws.iter_rows(min_row=2, values_only=True)}
        wb.close()
        issues: list[Issue] = []
        staff = _int(vals.get("实有在职人数"), "B4", issues)
        authorized = _int(vals.get("编制数"), "B5", issues)
        dept = Department(name=str(vals.get("单位名称") or ""), year=int(vals.get("年度") or 0) or None)
        dept.dept_projects = [Project(str(vals.get("项目名称") or "项目"), "department", full_year=D("6880.00"),
                                      actual=D("4701.80"))]
        dept._staff = (staff, authorized)  # type: ignore[attr-defined]
        return dept, issues

    def evaluate(self, department, framework, issues=()):
        staff, authorized = department._staff
        return build_evaluation(department, staff, authorized, framework)

    def render(self, evaluation, fmt: str) -> bytes:
        name = evaluation.department.name
        if fmt == "docx":
            import docx

            d = docx.Document()
            d.add_heading(f"{name}部门整体支出绩效自评报告", 1)
            d.add_paragraph(f"在职人员控制率为{evaluation.indicators['staff_control_rate'].value}%。")
            buf = io.BytesIO()
            d.save(buf)
            return buf.getvalue()
        if fmt == "html":
            return f"<html><body><h1>{name}</h1></body></html>".encode()
        if fmt == "xlsx":
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = "附件1"
            ws.append(["项目", name])
            ws.append(["危险公式", "=HYPERLINK(\"http://x\",\"点我\")"])
            ws.append(["@命令", "+cmd|' /C calc'!A0"])
            ws.append(["负数文本", "-21.84"])
            ws.append(["数字", -21.84])
            buf = io.BytesIO()
            wb.save(buf)
            return buf.getvalue()
        raise ValueError(fmt)

    def audit(self, path: Path) -> dict:
        self.paths.append(path)
        return {"file": str(path), "claims": [
            {"kind": "ratio", "text": "在职人员控制率为59/68×100%=86.76%", "location": {"paragraph": 3},
             "stated": "86.76", "computed": "86.76", "status": "ok"},
            {"kind": "sum", "text": "资产总额998.12万元，其中：<b>固定资产</b>112.79万元",
             "location": {"table": 2, "row": 5, "column": 1}, "stated": "998.12", "computed": "998.11",
             "status": "rounding"},
            {"kind": "change", "text": "预算调整率为8,500.00/67,285.97=12.36%", "location": {"paragraph": 17},
             "stated": "12.36", "computed": "12.63", "status": "mismatch"},
        ], "summary": {"ok": 1, "rounding": 1, "mismatch": 1}}
