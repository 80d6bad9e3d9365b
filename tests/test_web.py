"""In-process tests of every route of the web page (FastAPI TestClient), over a hand-built backend.

What a person sees is asserted on the HTML; downloads are opened with python-docx / openpyxl /
json. The real library end to end is covered in test_web_real.py and the browser in tests/e2e.
"""

from __future__ import annotations

import io
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import docx
import openpyxl
import pytest
from fastapi.testclient import TestClient
from test_web_support import SHEET, FakeBackend, make_workbook, xlsx_bytes

from jixiao.web import Settings, create_app
from jixiao.web.backend import FeatureUnavailable
from jixiao.web.safe_xlsx import DANGEROUS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def backend():
    return FakeBackend()


@pytest.fixture
def client(backend):
    return TestClient(create_app(Settings(max_upload_mb=1), backend=backend))


class Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []
        self.cur = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.cur = {"action": a.get("action"), "enctype": a.get("enctype", ""), "files": [], "selects": []}
            self.forms.append(self.cur)
        elif tag == "input" and a.get("type") == "file" and self.cur is not None:
            self.cur["files"].append((a.get("name"), "multiple" in a))
        elif tag == "select" and self.cur is not None:
            self.cur["selects"].append(a.get("name"))


def forms(html: str):
    f = Forms()
    f.feed(html)
    return f.forms


def text_of(html: str) -> str:
    """What a person reads: tags removed, entities kept as written."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def upload(client, data: bytes, name: str = "基础数据表.xlsx", framework: str = ""):
    return client.post("/check", files={"workbook": (name, data, XLSX)}, data={"framework": framework})


def xlsx_cells(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    yield ws.title, c.coordinate, c.value


# ---- officer ----------------------------------------------------------------------------------
def test_home_has_chinese_upload_form_and_frameworks(client):
    r = client.get("/")
    assert r.status_code == 200
    assert "部门整体支出绩效自评" in r.text
    up = [f for f in forms(r.text) if f["files"]]
    assert up[0]["action"] == "/check" and up[0]["enctype"] == "multipart/form-data"
    assert up[0]["files"] == [("workbook", False), ("framework_file", False)] and up[0]["selects"] == ["framework"]
    assert '<option value="mof2013">财政部2013框架</option>' in r.text
    assert 'href="/template"' in r.text and 'href="/static/style.css"' in r.text


def test_static_css_is_local_and_has_no_external_urls(client):
    r = client.get("/static/style.css")
    assert r.status_code == 200 and "text/css" in r.headers["content-type"]
    assert "http" not in r.text and "@import" not in r.text and "url(" not in r.text


def test_template_download_opens_and_formulas_are_neutralised(client):
    r = client.get("/template")
    assert r.status_code == 200
    assert r.headers["content-type"] == XLSX
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["填表说明"]
    assert wb["填表说明"]["A1"].value == "填表说明：金额单位为万元"
    assert wb["填表说明"]["A2"].value == "'=1+1"


def test_clean_upload_shows_indicators_score_findings_charts(client, backend):
    r = upload(client, xlsx_bytes(), framework="six")
    assert r.status_code == 200
    t = text_of(r.text)
    assert "示例科技局 2023年度" in t
    assert "86.76%" in t and "（在职人员数59人/编制数68人）×100%=86.76%" in t
    assert "无法计算：缺少上年末资产总额" in t
    # score by framework item, pending item shown as 待评, never a made-up number
    assert "22.75" in t and "/ 38.00" in t and "尚有 1 项待评：社会效益" in t
    assert re.search(r"社会效益 10\.00 待评", t)
    assert "科技重大专项执行率为68.34%，低于80%。" in t
    assert r.text.count("<svg") >= 2 and "各一级指标得分" in r.text and "项目预算与执行（万元）" in r.text
    assert "上年自评报告公开日期未填写。" in t  # the warning stays visible
    for fmt in ("docx", "html", "xlsx", "json"):
        assert re.search(rf'href="/download/[A-Za-z0-9_-]+/{fmt}"', r.text)


def test_framework_choice_is_passed_and_unknown_one_refused(client):
    r = upload(client, xlsx_bytes(), framework="mof2013")
    assert "评分框架：财政部2013框架" in r.text
    r = upload(client, xlsx_bytes(), framework="../../etc/passwd")
    assert r.status_code == 400 and "选择的评分框架不存在" in r.text


def test_downloads_open_as_real_files(client):
    r = upload(client, xlsx_bytes())
    token = re.search(r"/download/([A-Za-z0-9_-]+)/docx", r.text).group(1)
    d = client.get(f"/download/{token}/docx")
    assert d.status_code == 200 and d.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert quote_name("示例科技局2023年度绩效自评报告.docx") in d.headers["content-disposition"]
    doc = docx.Document(io.BytesIO(d.content))
    assert "在职人员控制率为86.76%。" in [p.text for p in doc.paragraphs]
    j = client.get(f"/download/{token}/json")
    doc = json.loads(j.content)
    assert doc["indicators"]["staff_control_rate"]["value"] == "86.76"
    assert doc["score"]["pending"] == 1 and doc["department"] == "示例科技局"
    h = client.get(f"/download/{token}/html")
    assert h.status_code == 200 and "示例科技局" in h.text
    x = client.get(f"/download/{token}/xlsx")
    cells = {(s, c): v for s, c, v in xlsx_cells(x.content)}
    assert cells[("附件1", "B1")] == "示例科技局"
    assert cells[("附件1", "B4")] == "-21.84" and cells[("附件1", "B5")] == -21.84  # numbers stay numbers
    for (_s, _c), v in cells.items():
        if isinstance(v, str) and v.startswith(DANGEROUS):
            assert re.fullmatch(r"[+-]?\d+(\.\d+)?%?", v), v
    assert cells[("附件1", "B2")].startswith("'=HYPERLINK") and cells[("附件1", "A3")] == "'@命令"
    # the result page can be shown again by its token (no re-upload)
    again = client.get(f"/result/{token}")
    assert again.status_code == 200 and "86.76%" in again.text


def quote_name(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def test_broken_workbook_shows_located_issues_and_the_cell(client, tmp_path):
    p = make_workbook(tmp_path / "坏表.xlsx", staff="五十九人")
    r = upload(client, p.read_bytes(), name="坏表.xlsx")
    assert r.status_code == 200
    t = text_of(r.text)
    assert "基础数据表中有 1 处错误" in t
    row = re.search(r'<tr class="sev-error">(.*?)</tr>', r.text, re.S).group(1)
    cells = [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[:3] == ["错误", SHEET, "B4"]
    assert "应为数字" in cells[3] and cells[4] == "请填写数字，不要带文字或单位。"
    # the offending cell shown as it is in the workbook, with its neighbours and the header row
    assert f"{SHEET}!B4" in t
    assert '<td class="target">五十九人</td>' in r.text
    assert "实有在职人数" in t and "<th>1</th>" in r.text
    assert "/download/" not in r.text  # no evaluation while errors remain


def test_script_in_names_is_shown_as_text(client):
    evil = "<script>alert(1)</script>"
    r = upload(client, xlsx_bytes(name=evil, project=evil + "项目"), name=evil + ".xlsx")
    assert r.status_code == 200
    assert "<script>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    bad = upload(client, xlsx_bytes(name=evil, staff="<img src=x onerror=alert(1)>"), name="a.xlsx")
    assert "<img" not in bad.text and "&lt;img src=x" in bad.text


def test_file_name_is_never_a_path_and_the_folder_is_removed(client, backend):
    r = upload(client, xlsx_bytes(), name="../../../../tmp/evil.xlsx")
    assert r.status_code == 200
    p = backend.paths[-1]
    assert p.name == "upload-1.xlsx" and p.parent.name.startswith("jixiao-web-")
    assert not p.parent.exists()
    assert not Path("/tmp/evil.xlsx").exists()
    assert "文件：evil.xlsx" in r.text


@pytest.mark.parametrize("data,needle", [
    (os.urandom(4000), "无法识别上传文件的格式"),
    (b"", "上传的文件是空的"),
    (b"%PDF-1.7\n%%EOF", "上传的是PDF 文件，这里需要Excel 工作簿（.xlsx）"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Office 文件"),
    (b"PK\x03\x04garbage-not-a-zip", "已损坏或不完整"),
])
def test_bad_uploads_get_a_chinese_page_not_a_traceback(client, data, needle):
    r = upload(client, data, name="x.xlsx")
    assert 400 <= r.status_code < 500
    assert needle in r.text and "Traceback" not in r.text
    assert "<h1>无法处理上传的内容" in r.text or "<h1>请求有误" in r.text


def test_a_docx_is_not_taken_for_a_workbook(client):
    buf = io.BytesIO()
    docx.Document().save(buf)
    r = upload(client, buf.getvalue(), name="报告.xlsx")
    assert r.status_code == 422 and "上传的是Word 文档（.docx），这里需要Excel 工作簿（.xlsx）" in r.text


def test_missing_file_and_bad_form(client):
    r = client.post("/check", data={"framework": ""})
    assert r.status_code == 400 and "没有收到文件" in r.text
    r = client.post("/check", content=b"not multipart", headers={"content-type": "multipart/form-data; boundary=x"})
    assert r.status_code in (400, 422) and "Traceback" not in r.text


def test_too_large_by_content_length_is_413(client, backend):
    big = b"0" * (3 * 1024 * 1024)  # limit in this fixture is 1 MB
    r = upload(client, big, name="big.xlsx")
    assert r.status_code == 413
    assert "上传的文件太大：单次上传不能超过 1 MB" in r.text
    assert backend.paths == []


def test_too_large_while_streaming_is_413(client, backend):
    """No Content-Length (chunked): bytes are counted as they arrive."""
    boundary = "jxb"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"workbook\"; filename=\"a.xlsx\"\r\n"
            f"Content-Type: {XLSX}\r\n\r\n").encode()

    def body():
        yield head
        for _ in range(40):
            yield b"0" * (64 * 1024)
        yield f"\r\n--{boundary}--\r\n".encode()

    r = client.post("/check", content=body(), headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 413 and "上传的文件太大" in r.text
    assert backend.paths == []


def test_default_limit_is_20_mb_and_60_mb_is_refused():
    app = create_app(Settings(), backend=FakeBackend())
    assert app.state.settings.max_upload_mb == 20 and app.state.settings.host == "127.0.0.1"
    c = TestClient(app)
    r = c.post("/check", files={"workbook": ("big.xlsx", b"0" * (60 * 1024 * 1024), XLSX)})
    assert r.status_code == 413 and "不能超过 20 MB" in r.text


def test_download_unknown_token_or_format(client):
    r = client.get("/download/" + "A" * 24 + "/docx")
    assert r.status_code == 404 and "已过期" in r.text
    r = client.get("/download/../../etc/passwd")
    assert r.status_code == 404 and "页面不存在" in r.text
    r = upload(client, xlsx_bytes())
    token = re.search(r"/download/([A-Za-z0-9_-]+)/docx", r.text).group(1)
    r = client.get(f"/download/{token}/exe")
    assert r.status_code == 404 and "不支持这种下载格式" in r.text
    r = client.get("/result/nonexistent-token-xxxxxxxx")
    assert r.status_code == 404 and "请重新上传" in r.text


def test_cache_is_a_small_lru(backend):
    c = TestClient(create_app(Settings(cache_size=2), backend=backend))
    tokens = []
    for i in range(3):
        r = c.post("/check", files={"workbook": ("a.xlsx", xlsx_bytes(name=f"单位{i}"), XLSX)})
        tokens.append(re.search(r"/download/([A-Za-z0-9_-]+)/json", r.text).group(1))
    assert len(set(tokens)) == 3
    assert c.get(f"/download/{tokens[0]}/json").status_code == 404
    assert json.loads(c.get(f"/download/{tokens[2]}/json").content)["department"] == "单位2"
    assert json.loads(c.get(f"/download/{tokens[1]}/json").content)["department"] == "单位1"


# ---- error pages ------------------------------------------------------------------------------
def test_404_and_405_are_chinese_pages(client):
    r = client.get("/没有这个页面")
    assert r.status_code == 404 and "没有找到您要访问的页面" in r.text
    r = client.get("/check")
    assert r.status_code == 405 and "该地址不支持这种请求方式" in r.text


def test_internal_error_is_a_chinese_500_page_without_traceback(backend):
    class Boom(FakeBackend):
        def evaluate(self, department, framework, issues=()):
            raise RuntimeError("secret internal detail")

    c = TestClient(create_app(Settings(), backend=Boom()), raise_server_exceptions=False)
    r = c.post("/check", files={"workbook": ("a.xlsx", xlsx_bytes(), XLSX)})
    assert r.status_code == 500
    assert "服务器内部出错" in r.text
    assert "Traceback" not in r.text and "secret internal detail" not in r.text


def test_missing_feature_degrades_to_a_chinese_page():
    class Missing(FakeBackend):
        def audit(self, path):
            raise FeatureUnavailable("报告审核")

    c = TestClient(create_app(Settings(), backend=Missing()))
    r = c.post("/audit", files={"report": ("r.txt", "报告正文".encode(), "text/plain")})
    assert r.status_code == 503 and "此功能尚未可用：报告审核" in r.text


def test_input_error_from_the_reader_is_a_located_page():
    from jixiao.errors import InputError

    class Unreadable(FakeBackend):
        def load(self, path):
            raise InputError("工作簿缺少“基本信息”工作表。", "请使用 jixiao 的模板。")

    c = TestClient(create_app(Settings(), backend=Unreadable()))
    r = c.post("/check", files={"workbook": ("a.xlsx", xlsx_bytes(), XLSX)})
    assert r.status_code == 422 and "工作簿缺少“基本信息”工作表。" in r.text and "请使用 jixiao 的模板。" in r.text


# ---- reviewer ---------------------------------------------------------------------------------
def test_review_page_has_audit_and_batch_forms(client):
    r = client.get("/review")
    assert r.status_code == 200
    fs = {f["action"]: f for f in forms(r.text)}
    assert fs["/audit"]["files"] == [("report", False)]
    assert fs["/batch"]["files"] == [("workbooks", True)]
    assert "未配置历史数据库" in r.text


def test_audit_lists_mismatches_first_with_locations(client, backend):
    r = client.post("/audit", files={"report": ("自评报告.txt", "报告正文：在职人员控制率86.76%".encode(), "text/plain")})
    assert r.status_code == 200
    rows = re.findall(r'<tr class="cs-(\w+)">(.*?)</tr>', r.text, re.S)
    assert [s for s, _ in rows] == ["mismatch", "rounding", "ok"]
    first = [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", rows[0][1], re.S)]
    assert first[:5] == ["不一致", "第18段", "预算调整率为8,500.00/67,285.97=12.36%", "12.36", "12.63"]
    second = [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", rows[1][1], re.S)]
    assert second[1] == "表3第6行第2列"
    assert "&lt;b&gt;固定资产&lt;/b&gt;" in r.text  # quoted text is escaped
    assert "共核对 3 处计算：不一致 1 处，尾差 1 处，无法核对 0 处，正确 1 处。" in text_of(r.text)
    assert backend.paths[-1].name == "upload-1.txt" and not backend.paths[-1].parent.exists()


@pytest.mark.parametrize("name,data,kind", [
    ("r.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF", "pdf"),
    ("r.txt", "一、部门概况\n".encode("gb18030"), "txt"),
])
def test_audit_accepts_pdf_and_text_by_content(client, backend, name, data, kind):
    r = client.post("/audit", files={"report": (name, data, "application/octet-stream")})
    assert r.status_code == 200 and backend.paths[-1].suffix == "." + kind


def test_audit_refuses_a_workbook(client):
    r = client.post("/audit", files={"report": ("r.docx", xlsx_bytes(), "application/octet-stream")})
    assert r.status_code == 422 and "这里需要Word 文档（.docx）、PDF 文件、文本文件（.txt）" in r.text


def test_batch_ranks_units_and_draws_the_grade_chart(client, tmp_path):
    files = [
        ("workbooks", ("甲.xlsx", xlsx_bytes(name="甲局", staff="60", authorized="68"), XLSX)),
        ("workbooks", ("乙.xlsx", xlsx_bytes(name="乙局", staff="59", authorized="68"), XLSX)),
        ("workbooks", ("坏.xlsx", xlsx_bytes(name="丙局", staff="很多"), XLSX)),
        ("workbooks", ("乱码.xlsx", os.urandom(2000), XLSX)),
    ]
    r = client.post("/batch", files=files)
    assert r.status_code == 200
    rows = re.findall(r"<tr( class=\"failed\")?>(.*?)</tr>", r.text.split("<tbody>")[1], re.S)
    assert len(rows) == 4
    first = [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", rows[0][1], re.S)]
    assert first[:5] == ["1", "甲局", "2023", "23.00", "待定"] and "88.24%" in first
    failed = [text_of(r_[1]) for r_ in rows if r_[0]]
    assert any("丙局" in f and "基础数据表有 1 处错误，未评分" in f for f in failed)
    assert any("无法识别上传文件的格式" in f for f in failed)
    assert "共 4 个文件：评价 2 个，未能评价 2 个；等级分布：待评 2 个，未评价 2 个。" in text_of(r.text)
    assert r.text.count("<svg") == 1


def test_batch_without_files(client):
    r = client.post("/batch", data={"framework": ""})
    assert r.status_code == 400 and "没有收到文件" in r.text


def test_compare_and_history_need_a_database(client):
    r = client.get("/compare?years=2022,2023")
    assert r.status_code == 503 and "没有配置历史数据库" in r.text
    r = client.get("/history")
    assert r.status_code == 503 and "没有配置历史数据库" in r.text


def test_compare_reads_the_store(tmp_path, backend):
    from jixiao.store import RunRecord, Store, sqlite_url

    url = sqlite_url(tmp_path / "历史.db")
    with Store.open(url) as st:
        for year, staff in ((2022, 60), (2023, 59)):
            dept, _ = backend.load(make_workbook(tmp_path / f"{year}.xlsx", year=year, staff=str(staff)))
            ev = backend.evaluate(dept, None)
            st.record(RunRecord(input_hash=f"h{year}", framework_hash="f", tool_version="t", status="ok",
                                unit=dept.name, year=year, evaluation=ev.to_dict(),
                                framework_id="six", framework_name="六维度框架"))
    c = TestClient(create_app(Settings(db=url), backend=backend))
    review = c.get("/review").text
    assert "/compare" in review and "/history" in review
    assert "数据库中有 1 个单位的评价记录，年度：2022、2023。" in text_of(review)
    h = c.get("/history")
    assert h.status_code == 200
    rows = re.findall(r"<tr>(.*?)</tr>", h.text.split("<tbody>")[1], re.S)
    cells = [[text_of(x).strip() for x in re.findall(r"<td[^>]*>(.*?)</td>", r_, re.S)] for r_ in rows]
    assert [r_[:3] for r_ in cells] == [["示例科技局", "2022", "23.00"], ["示例科技局", "2023", "22.75"]]
    assert "<svg" in h.text
    h = c.get("/history", params={"unit": "不存在的局"})
    assert h.status_code == 422 and "数据库中没有单位“不存在的局”的评价记录" in h.text
    r = c.get("/compare", params={"years": "2022，2023"})
    assert r.status_code == 200
    t = text_of(r.text)
    assert "历年对比：2022年与2023年" in t
    row = [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r.text.split("<tbody>")[1], re.S)]
    assert row[:4] == ["示例科技局", "23.00", "22.75", "-0.25"]
    assert "<svg" in r.text
    r = c.get("/compare", params={"years": "2030,2031"})
    assert r.status_code == 200 and "没有这些年度的评价记录" in r.text
    r = c.get("/compare", params={"years": "abc"})
    assert r.status_code == 400 and "请填写要对比的两个不同年度" in r.text


def test_uploaded_form_files_are_closed_even_on_rejection(client, monkeypatch):
    from starlette.datastructures import UploadFile

    closed = []
    original = UploadFile.close

    async def close(self):
        closed.append(self.filename)
        await original(self)

    monkeypatch.setattr(UploadFile, "close", close)
    upload(client, xlsx_bytes(), name="好.xlsx")
    upload(client, os.urandom(100), name="坏.xlsx")
    client.post("/audit", files={"report": ("r.txt", "正文".encode(), "text/plain")})
    assert closed == ["好.xlsx", "坏.xlsx", "r.txt"]


def test_security_headers_on_pages_downloads_and_refusals(client):
    for r in (client.get("/"), client.get("/nope"), upload(client, b"0" * (3 * 1024 * 1024))):
        csp = r.headers["content-security-policy"]
        assert "script-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
    r = upload(client, xlsx_bytes())
    token = re.search(r"/download/([A-Za-z0-9_-]+)/html", r.text).group(1)
    d = client.get(f"/download/{token}/html")
    assert d.headers["content-disposition"].startswith("attachment;")  # never rendered at our origin
    assert "script-src 'none'" in d.headers["content-security-policy"]
