"""The web page over the real library: the bundled example and the published reference report.

Figures compared are the reference report's (../shared/reference/README.md), computed by hand.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from fastapi.testclient import TestClient

from jixiao.web import Settings, create_app

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("store") / "store.db"
    return TestClient(create_app(Settings(db="sqlite:///" + str(db))), base_url="http://127.0.0.1:8000")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def row_text(html: str, row_id: str) -> str:
    m = re.search(rf'<tr id="{row_id}"[^>]*>(.*?)</tr>', html, re.S)
    assert m, row_id
    return text_of(m.group(1))


@pytest.fixture(scope="module")
def result(client):
    from conftest import EXAMPLE

    r = client.post("/check", files={"workbook": ("长沙市科技局 2023.xlsx", EXAMPLE.read_bytes(), XLSX)})
    assert r.status_code == 200, text_of(r.text)[:500]
    return r


def test_home_lists_the_department_frameworks(client):
    r = client.get("/")
    opts = dict(re.findall(r'<option value="([^"]*)"(?: selected)?>([^<]*)</option>', r.text))
    assert "six-dimension" in opts and "mof-2013" in opts
    assert "project" not in opts  # the 项目支出 rule set does not score a whole department


def test_example_shows_the_reference_figures(result):
    html = result.text
    assert "长沙市科学技术局 2023年度" in text_of(html)
    expected = {
        "staff_control_rate": "86.76%",
        "three_public_budget_change_rate": "-21.84%",
        "three_public_control_rate": "23.98%",
        "public_funds_control_rate": "99.50%",
        "budget_execution_rate": "92.33%",
        "budget_adjustment_rate": "12.63%",
        "procurement_execution_rate": "100.00%",
        "dept_project_execution_rate": "78.59%",
        "public_project_execution_rate": "68.77%",
        "project_spending_change_rate": "-32.89%",
        "basic_spending_change_rate": "3.20%",
        "asset_growth_rate": "414.49%",
        "satisfaction_rate": "100.00%",
    }
    for ind, value in expected.items():
        assert value in row_text(html, f"ind-{ind}"), ind
    assert "（在职人员数59人/编制数68人）×100%=86.76%" in row_text(html, "ind-staff_control_rate")
    assert "<svg" in html and 'id="score"' in html and 'id="findings"' in html


def test_example_downloads(client, result):
    token = re.search(r"/download/([A-Za-z0-9_-]+)/docx", result.text).group(1)
    d = client.get(f"/download/{token}/docx")
    assert d.status_code == 200
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(d.content)).paragraphs)
    assert "86.76%" in body and "92.33%" in body
    j = json.loads(client.get(f"/download/{token}/json").content)
    assert j["indicators"]["budget_execution_rate"]["value"] == "92.33"
    assert j["department"] == "长沙市科学技术局" and j["year"] == 2023
    x = client.get(f"/download/{token}/xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(x.content))
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                seen += v is not None
                if isinstance(v, str) and v[:1] in "=+-@":
                    assert re.fullmatch(r"[+-]?[\d,]+(\.\d+)?%?", v), v
    assert seen > 50
    h = client.get(f"/download/{token}/html")
    assert "86.76%" in h.text


def test_framework_choice_changes_the_score(client):
    from conftest import EXAMPLE

    r = client.post(
        "/check", files={"workbook": ("a.xlsx", EXAMPLE.read_bytes(), XLSX)}, data={"framework": "mof-2013"}
    )
    assert r.status_code == 200
    assert "财政部2013" in text_of(r.text).split("评分框架：")[1][:60]


def test_template_download_is_the_real_workbook(client):
    r = client.get("/template")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[0] == "填表说明" and "基本信息" in wb.sheetnames and "公共项目" in wb.sheetnames


def test_broken_example_points_at_the_cell(client, tmp_path):
    from conftest import EXAMPLE

    wb = openpyxl.load_workbook(EXAMPLE)
    ws = wb["三公经费"]
    cell = next(
        c
        for row in ws.iter_rows(min_row=2)
        for c in row
        if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
    )
    cell.value = "约八万元"
    p = tmp_path / "bad.xlsx"
    wb.save(p)
    r = client.post("/check", files={"workbook": ("bad.xlsx", p.read_bytes(), XLSX)})
    assert r.status_code == 200
    rows = re.findall(r'<tr class="sev-error">(.*?)</tr>', r.text, re.S)
    assert any("三公经费" in text_of(x) and cell.coordinate in text_of(x) for x in rows)
    assert '<td class="target">约八万元</td>' in r.text
    assert "/download/" not in r.text


def test_audit_of_the_reference_report(client, reference_txt):
    r = client.post("/audit", files={"report": ("参考报告.txt", reference_txt.read_bytes(), "text/plain")})
    assert r.status_code == 200
    statuses = re.findall(r'<tr class="cs-(\w+)">', r.text)
    assert len(statuses) > 50
    order = {"mismatch": 0, "unverifiable": 1, "rounding": 2, "ok": 3}
    assert statuses == sorted(statuses, key=order.get)  # mismatches first
    summary = text_of(re.search(r'id="audit-summary">(.*?)</div>', r.text, re.S).group(1))
    assert f"共找到 {len(statuses)} 处计算" in summary
    assert f"不符 {statuses.count('mismatch')} 处" in summary


def test_a_report_jixiao_wrote_passes_its_audit(client, result):
    token = re.search(r"/download/([A-Za-z0-9_-]+)/docx", result.text).group(1)
    d = client.get(f"/download/{token}/docx")
    r = client.post("/audit", files={"report": ("报告.docx", d.content, "application/octet-stream")})
    assert r.status_code == 200
    assert "cs-mismatch" not in r.text
    assert "不符 0 处" in text_of(r.text)


def test_own_framework_file(client):
    from conftest import EXAMPLE

    from jixiao.frameworks import list_frameworks

    six = next(f for f in list_frameworks() if f.id == "six-dimension")
    text = Path(six.path).read_text(encoding="utf-8")
    mine = re.sub(r"(?m)^name: .*$", "name: 某省部门整体支出评价指标（自定义）", text, count=1)
    files = {
        "workbook": ("a.xlsx", EXAMPLE.read_bytes(), XLSX),
        "framework_file": ("../我的框架.yaml", mine.encode("utf-8"), "text/yaml"),
    }
    r = client.post("/check", files=files, data={"framework": "__file__"})
    assert r.status_code == 200
    assert "评分框架：某省部门整体支出评价指标（自定义）" in text_of(r.text)
    broken = text.replace("total: 100", "total: 98", 1)
    files["framework_file"] = ("坏框架.yaml", broken.encode("utf-8"), "text/yaml")
    r = client.post("/check", files=files, data={"framework": "__file__"})
    assert r.status_code == 422
    assert "坏框架.yaml" in r.text and "98" in r.text and "jixiao-web-" not in r.text
    files["framework_file"] = ("x.yaml", b"\x00\x01\x02binary", "text/yaml")
    r = client.post("/check", files=files, data={"framework": "__file__"})
    assert r.status_code == 422 and "自定义评分框架“x.yaml”不是 YAML 文本文件" in r.text


def test_hostile_names_in_a_real_workbook(client, tmp_path):
    """A project named like markup and like a formula: shown as text, exported as text."""
    from conftest import EXAMPLE

    evil = "@SUM(1)<script>alert(1)</script>"
    wb = openpyxl.load_workbook(EXAMPLE)
    wb["部门项目"]["A2"] = evil
    p = tmp_path / "evil.xlsx"
    wb.save(p)
    r = client.post("/check", files={"workbook": ("<b>evil</b>.xlsx", p.read_bytes(), XLSX)})
    assert r.status_code == 200
    assert "<script>alert(1)" not in r.text and "<b>evil" not in r.text
    assert "@SUM(1)&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    token = re.search(r"/download/([A-Za-z0-9_-]+)/xlsx", r.text).group(1)
    x = openpyxl.load_workbook(io.BytesIO(client.get(f"/download/{token}/xlsx").content))
    found = [
        v
        for ws in x.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if isinstance(v, str) and "SUM(1)<script>" in v
    ]
    assert found and all(v.startswith("'@") or not v.startswith("@") for v in found)
