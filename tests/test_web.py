"""The web page over the real library, in process (FastAPI TestClient), on workbooks built here.

Each page is also served as JSON (its typed context), so the tests assert on the context rather
than on HTML; the HTML is checked for what only HTML can get wrong (escaping, links, headers).
A ``Library`` subclass appears only to inject failures (a crash, a slow run).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import time
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from builders import make_workbook
from fastapi.testclient import TestClient

from jixiao.frameworks import list_frameworks
from jixiao.store import Store
from jixiao.web import Settings, create_app
from jixiao.web.service import Library

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BASE = "http://127.0.0.1:8000"


def make_client(tmp_path: Path, library: Library | None = None, **kw) -> TestClient:
    s = Settings(db="sqlite:///" + str(tmp_path / "store.db"), **kw)
    return TestClient(create_app(s, library), base_url=BASE)


@pytest.fixture
def client(tmp_path):
    return make_client(tmp_path)


def unit_workbook(tmp_path: Path, unit: str, year: int, **kw) -> bytes:
    """The bundled example's data under another unit name and year."""
    return make_workbook(
        tmp_path,
        {"基本信息": {"单位名称": unit, "年度": year}},
        base="example",
        name=hashlib.sha256(f"{unit}{year}".encode()).hexdigest()[:12] + ".xlsx",
        **kw,
    ).read_bytes()


def upload(client, data: bytes, name: str = "基础数据表.xlsx", follow: bool = False, **form):
    return client.post("/check", files={"workbook": (name, data, XLSX)}, data=form, follow_redirects=follow)


def refused(client, r, status: int):
    """A refused POST: redirected (303) to its own page, which carries the status."""
    assert r.status_code == 303 and r.headers["location"].startswith("/problem/"), (
        r.status_code,
        r.text[:200],
    )
    page = client.get(r.headers["location"])
    assert page.status_code == status
    again = client.get(r.headers["location"])  # Reload: the same page, nothing sent again
    assert again.status_code == status and again.text == page.text
    return page


def page_json(client, url: str) -> dict:
    path, _, query = url.partition("?")
    r = client.get(path + ".json" + ("?" + query if query else ""))
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def runs_in(tmp_path: Path) -> int:
    with Store.open("sqlite:///" + str(tmp_path / "store.db")) as st:
        return st.counts()["runs"]


# ---- officer ----------------------------------------------------------------------------------------
def test_home_names_the_default_framework_and_links_its_docs(client):
    home = page_json(client, "/index")
    labels = [c["label"] for c in home["frameworks"]]
    assert labels[0] == "部门整体支出绩效评价指标体系（六维度）（默认）" and home["frameworks"][0]["selected"]
    assert not any(label == "默认框架" for label in labels)
    assert len(labels) == sum(
        1 for f in list_frameworks() if f.kind == "department"
    )  # not the project rule set
    html = client.get("/").text
    assert 'href="/frameworks"' in html and "docs/frameworks.md" not in html
    fw = page_json(client, "/frameworks")
    six = next(f for f in fw["frameworks"] if f["id"] == "six-dimension")
    assert six["default"] and six["total"] == "100" and len(six["items"]) > 10
    y = client.get("/frameworks/six-dimension.yaml")
    assert y.status_code == 200 and "attachment" in y.headers["content-disposition"] and b"total" in y.content


def test_upload_redirects_to_its_own_result_and_reload_sends_nothing(client, tmp_path):
    r = upload(client, unit_workbook(tmp_path, "甲局", 2023))
    assert r.status_code == 303
    url = r.headers["location"]
    assert re.fullmatch(r"/result/[A-Za-z0-9_-]{16,64}", url)
    assert runs_in(tmp_path) == 1
    first = client.get(url)
    again = client.get(url)  # Reload: a GET of the same address, nothing uploaded or recorded again
    assert first.status_code == again.status_code == 200 and runs_in(tmp_path) == 1
    ctx = page_json(client, url)
    assert ctx["page"] == "ResultPage" and ctx["unit"] == "甲局" and ctx["year"] == 2023
    assert ctx["recorded"] is True


def test_result_context_has_the_reference_figures(client, tmp_path):
    ctx = page_json(
        client, upload(client, unit_workbook(tmp_path, "长沙市科学技术局", 2023)).headers["location"]
    )
    values = {i["id"]: i["value"] for i in ctx["indicators"]}
    assert values["staff_control_rate"] == "86.76%" and values["budget_execution_rate"] == "92.33%"
    assert values["public_project_execution_rate"] == "68.77%"
    trace = next(i["explanation"] for i in ctx["indicators"] if i["id"] == "staff_control_rate")
    assert trace == "（在职人员数59人/编制数68人）×100%=86.76%"
    # the example leaves manual items unscored: one word for that everywhere, never a zero
    assert ctx["grade"] == "待评" and ctx["pending"] and ctx["provisional_grade"]
    for g in ctx["score_groups"]:
        scored = [Decimal(it["score"]) for it in g["items"] if it["score"] is not None]
        assert (None if g["score"] is None else Decimal(g["score"])) == (sum(scored) if scored else None)
        for it in g["items"]:
            assert (it["score"] is None) == (it["status"] != "scored")
    # evidence with units and thousands separators
    figures = [v for f in ctx["findings"] for _, v in f["evidence"]]
    assert figures and all(
        re.search(r"(万元|%|人|个|—)$", v) or "：" in v or not re.search(r"\d", v) for v in figures
    ), figures
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+\.\d\d万元", v) for v in figures)


def test_result_page_draws_pending_as_no_bar_and_splits_the_projects(client, tmp_path):
    url = upload(client, unit_workbook(tmp_path, "乙局", 2023)).headers["location"]
    html = client.get(url).text
    unscored = [g["name"] for g in page_json(client, url)["score_groups"] if g["score"] is None]
    assert unscored  # the example leaves a whole 一级指标 to manual scoring
    titles = re.findall(r'aria-label="([^"]+)"', html)
    assert "部门项目预算与执行（万元）" in titles and "公共项目预算与执行（万元）" in titles
    score_chart = html[html.index('aria-label="各一级指标得分') :]
    score_chart = score_chart[: score_chart.index("</svg>")]
    for name in unscored:  # its 分值 is drawn, its 得分 is no bar at all (not a bar of 0.00)
        assert f"{name} 分值：" in score_chart and f"{name} 得分：" not in score_chart
    assert "待定" not in text_of(html) and "待评（暂定" not in text_of(html)
    assert "download>" not in html and " download " not in html  # an expired link shows the server's page


def test_downloads_open_as_real_files(client, tmp_path):
    url = upload(client, unit_workbook(tmp_path, "长沙市科学技术局", 2023)).headers["location"]
    rid = url.rsplit("/", 1)[1]
    d = client.get(f"/download/{rid}/docx")
    assert d.status_code == 200 and "attachment" in d.headers["content-disposition"]
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(d.content)).paragraphs)
    assert "86.76%" in body
    j = json.loads(client.get(f"/download/{rid}/json").content)
    assert j["indicators"]["budget_execution_rate"]["value"] == "92.33"
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/download/{rid}/xlsx").content))
    assert len(wb.sheetnames) >= 2
    assert "86.76%" in client.get(f"/download/{rid}/html").text


def test_expired_result_and_download_show_a_page(client):
    for url in (
        "/result/AAAAAAAAAAAAAAAAAAAAAAAA",
        "/download/AAAAAAAAAAAAAAAAAAAAAAAA/docx",
        "/check/AAAAAAAAAAAAAAAAAAAAAAAA",
        "/audit/AAAAAAAAAAAAAAAAAAAAAAAA",
        "/ranking/AAAAAAAAAAAAAAAAAAAAAAAA",
        "/problem/AAAAAAAAAAAAAAAAAAAAAAAA",
    ):
        r = client.get(url)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html"), url
        assert "content-disposition" not in r.headers
        h1 = re.search(r"<h1>(.*?)</h1>", r.text).group(1)
        assert h1.endswith("已过期") and "404" not in h1
        assert "服务器只保留最近的" in text_of(r.text) and "重新" in text_of(r.text)


def test_cache_eviction_expires_the_oldest_result(tmp_path):
    c = make_client(tmp_path, cache_size=1)
    first = upload(c, unit_workbook(tmp_path, "甲局", 2023)).headers["location"]
    upload(c, unit_workbook(tmp_path, "乙局", 2023))
    assert c.get(first).status_code == 404
    assert c.get(first.replace("/result/", "/download/") + "/docx").status_code == 404


def test_broken_workbook_gets_its_own_issue_page_with_the_cell(client, tmp_path):
    data = make_workbook(tmp_path, base="example", cells={("公共项目", "D3"): "约八万元"}).read_bytes()
    r = upload(client, data, "坏表.xlsx")
    assert r.status_code == 303 and r.headers["location"].startswith("/check/")
    ctx = page_json(client, r.headers["location"])
    assert ctx["summary"]["error"] >= 1
    err = next(i for i in ctx["issues"] if i["severity"] == "error")
    assert err["location"]["sheet"] == "公共项目" and err["location"]["cell"] == "D3"
    prev = next(p for p in ctx["previews"] if (p["sheet"], p["cell"]) == ("公共项目", "D3"))
    assert ["约八万元", True] in [c for _, cells in prev["rows"] for c in cells]
    assert "/download/" not in client.get(r.headers["location"]).text


def test_framework_choice_yaml_and_conflicts(client, tmp_path):
    data = unit_workbook(tmp_path, "甲局", 2023)
    ctx = page_json(client, upload(client, data, framework="mof-2013").headers["location"])
    assert "财政部2013" in ctx["framework"]
    six = Path(next(f for f in list_frameworks() if f.id == "six-dimension").path).read_text(encoding="utf-8")
    mine = re.sub(r"(?m)^name: .*$", "name: 某省部门整体支出评价指标（自定义）", six, count=1)
    files = {
        "workbook": ("a.xlsx", data, XLSX),
        "framework_file": ("../我的框架.yaml", mine.encode(), "text/yaml"),
    }
    r = refused(
        client,
        client.post("/check", files=files, data={"framework": "mof-2013"}, follow_redirects=False),
        422,
    )
    assert "评分框架选了两种" in r.text and "我的框架.yaml" in r.text and "财政部2013" in r.text
    r = client.post("/check", files=files, data={"framework": "__file__"}, follow_redirects=False)
    assert r.status_code == 303
    assert (
        page_json(client, r.headers["location"])["framework"]
        == "某省部门整体支出评价指标（自定义）（我的框架.yaml）"
    )
    r = refused(client, upload(client, data, framework="__file__"), 422)
    assert "没有选择框架文件" in r.text
    files["framework_file"] = ("坏框架.yaml", six.replace("total: 100", "total: 98", 1).encode(), "text/yaml")
    r = refused(
        client,
        client.post("/check", files=files, data={"framework": "__file__"}, follow_redirects=False),
        422,
    )
    assert "坏框架.yaml" in r.text and "jixiao-web-" not in r.text
    refused(client, upload(client, data, framework="nope"), 400)


def test_script_and_formula_in_names_stay_text(client, tmp_path):
    evil = "@SUM(1)<script>alert(1)</script>"
    r = upload(client, unit_workbook(tmp_path, evil, 2023), "<b>evil</b>.xlsx")
    html = client.get(r.headers["location"]).text
    assert "<script>alert(1)" not in html and "<b>evil" not in html
    assert (
        "@SUM(1)&lt;script&gt;alert(1)&lt;/script&gt;" in html and "文件：b&gt;.xlsx" in html
    )  # the name is shown, never a path


# ---- limits and errors -------------------------------------------------------------------------------
def test_limits_are_named_in_chinese(tmp_path):
    c = make_client(tmp_path, max_upload_mb=1, max_batch_files=3)
    r = c.post(
        "/batch", files=[("workbooks", (f"{i}.xlsx", b"x", XLSX)) for i in range(4)], follow_redirects=False
    )
    assert "一次最多上传 3 个文件" in text_of(refused(c, r, 413).text)
    r = c.post(
        "/check", files={"workbook": ("big.xlsx", b"0" * (2 * 1024 * 1024), XLSX)}, follow_redirects=False
    )
    r = refused(c, r, 413)
    assert "不能超过 1 MB" in text_of(r.text)
    h1 = re.search(r"<h1>(.*?)</h1>", r.text).group(1)
    assert h1 == "文件太大"
    review = page_json(c, "/review")
    assert review["max_batch_files"] == 3
    assert 'data-max-files="3"' in c.get("/review").text


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "上传的文件是空的"),
        (b"PK\x03\x04broken", "已损坏或不完整"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "旧版 Office 文件"),
        (bytes(range(256)) * 8, "无法识别上传文件的格式"),
    ],
    ids=["empty", "broken-zip", "ole", "binary"],
)
def test_bad_uploads_get_a_chinese_page(client, data, needle):
    r = upload(client, data, follow=True)
    assert r.status_code in (400, 422) and needle in r.text and "Traceback" not in r.text


class Crashing(Library):
    def run(self, path, framework):
        raise RuntimeError("boom")


class Slow(Library):
    def run(self, path, framework):
        time.sleep(3)
        return super().run(path, framework)


def test_internal_error_is_a_chinese_page_without_traceback(tmp_path):
    c = TestClient(
        create_app(Settings(db="sqlite:///" + str(tmp_path / "s.db")), Crashing()),
        base_url=BASE,
        raise_server_exceptions=False,
    )
    r = upload(c, unit_workbook(tmp_path, "甲局", 2023))
    assert (
        r.status_code == 500
        and "服务器内部出错" in r.text
        and "boom" not in r.text
        and "Traceback" not in r.text
    )


def test_work_has_a_time_budget(tmp_path):
    c = make_client(tmp_path, Slow(), time_budget_s=1)
    r = refused(c, upload(c, unit_workbook(tmp_path, "甲局", 2023)), 504)
    assert r.status_code == 504 and "处理超时" in text_of(r.text) and "1 秒" in text_of(r.text)


def test_a_store_that_cannot_be_opened_costs_no_result(tmp_path):
    folder = tmp_path / "不是文件"
    folder.mkdir()
    c = TestClient(create_app(Settings(db="sqlite:///" + str(folder))), base_url=BASE)
    review = page_json(c, "/review")
    assert review["store_error"] and review["units"] == []
    r = upload(c, unit_workbook(tmp_path, "甲局", 2023))
    ctx = page_json(c, r.headers["location"])
    assert ctx["recorded"] is False and ctx["total"] == "61.76"
    assert "未能记入历史数据库" in c.get(r.headers["location"]).text
    h = c.get("/history")
    assert h.status_code == 503 and "无法打开" in text_of(h.text) and "Traceback" not in h.text
    blocked = tmp_path / "只读"
    blocked.write_text("一个文件，不是文件夹")
    c = TestClient(create_app(Settings(db="sqlite:///" + str(blocked / "子目录" / "s.db"))), base_url=BASE)
    h = c.get("/history")
    assert h.status_code == 503 and "无法打开历史数据库" in text_of(h.text)
    assert page_json(c, "/review")["store_error"].startswith("无法打开历史数据库")


def test_error_headings_carry_no_status_code(client):
    for url in ("/nope", "/result/x.json"):
        r = client.get(url)
        assert r.status_code == 404
    h1 = re.search(r"<h1>(.*?)</h1>", client.get("/nope").text).group(1)
    assert h1 == "页面不存在"
    assert client.get("/nope.json").json()["page"] == "ErrorPage"


def test_security_headers_script_and_favicon(client):
    for url in ("/", "/review", "/nope", "/static/app.js"):
        h = client.get(url).headers
        assert "script-src 'self'" in h["content-security-policy"] and h["x-frame-options"] == "DENY"
    assert client.get("/static/favicon.svg").status_code == 200
    assert client.get("/favicon.ico").status_code == 200
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/").text


@pytest.mark.parametrize(
    ("host", "status"),
    [("evil.example:8000", 400), ("localhost:8000", 200), ("[::1]:8000", 200), ("127.0.0.1:8000", 200)],
)
def test_host_header_is_checked(client, host, status):
    r = client.get("/review", headers={"host": host})
    assert r.status_code == status
    if status == 400:
        assert "不接受通过" in text_of(r.text)


def test_the_given_host_is_allowed(tmp_path):
    c = TestClient(
        create_app(Settings(host="192.168.1.9", db="sqlite:///" + str(tmp_path / "s.db"))),
        base_url="http://192.168.1.9:8000",
    )
    assert c.get("/").status_code == 200


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"origin": "http://evil.example"}, 403),
        ({"origin": "null"}, 403),
        ({"sec-fetch-site": "cross-site"}, 403),
        ({"origin": BASE, "sec-fetch-site": "same-origin"}, 303),
    ],
)
def test_cross_site_posts_are_refused(client, tmp_path, headers, status):
    r = client.post(
        "/check",
        files={"workbook": ("a.xlsx", unit_workbook(tmp_path, "甲局", 2023), XLSX)},
        headers=headers,
        follow_redirects=False,
    )
    assert r.status_code == status
    if status == 403:
        assert "拒绝了来自其他网站的提交" in text_of(r.text) and runs_in(tmp_path) == 0


def test_no_page_tells_a_browser_user_to_run_a_command(client, tmp_path):
    pages = ["/", "/review", "/history", "/compare", "/frameworks", "/compare?years=abc"]
    pages.append(upload(client, unit_workbook(tmp_path, "甲局", 2023)).headers["location"])
    for url in pages:
        t = text_of(client.get(url).text)
        assert not re.search(r"jixiao (check|template|batch|serve|history|compare|evaluate)", t), url
        assert "--db" not in t, url


# ---- reviewer ---------------------------------------------------------------------------------------
@pytest.fixture
def ranked(client, tmp_path):
    files = [
        ("workbooks", (f"{u}{y}.xlsx", unit_workbook(tmp_path, u, y), XLSX))
        for u, y in (("甲局", 2023), ("乙局", 2023), ("甲局", 2022), ("丙局", 2022))
    ]
    broken = make_workbook(
        tmp_path,
        {"基本信息": {"单位名称": "丁局", "年度": 2023}},
        base="example",
        cells={("公共项目", "D3"): "很多"},
        name="丁局.xlsx",
    ).read_bytes()
    files += [
        ("workbooks", ("丁局.xlsx", broken, XLSX)),
        ("workbooks", ("乱码.xlsx", b"\x00\x01" * 300, XLSX)),
    ]
    r = client.post("/batch", files=files, data={"framework": "six-dimension"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/ranking/")
    return r.headers["location"]


def test_ranking_is_per_year_with_links_and_download(client, tmp_path, ranked):
    ctx = page_json(client, ranked)
    assert [y["year"] for y in ctx["years"]] == [2023, 2022]
    assert ctx["framework"] == "部门整体支出绩效评价指标体系（六维度）" and ctx["files"] == 6
    for y in ctx["years"]:
        assert {r["year"] for r in y["rows"]} == {y["year"]}
        assert [r["rank"] for r in y["rows"]] == [1, 1]  # same data, same score: tied
        assert all(r["grade"] == "待评" for r in y["rows"])
        for r in y["rows"]:
            unit = page_json(client, r["result_url"])
            assert (unit["unit"], unit["year"]) == (r["unit"], r["year"])
    failed = {f["file"]: f for f in ctx["failed"]}
    assert set(failed) == {"丁局.xlsx", "乱码.xlsx"}
    assert failed["丁局.xlsx"]["url"].startswith("/check/") and failed["丁局.xlsx"]["unit"] == "丁局"
    x = client.get(ctx["download_url"])
    assert x.status_code == 200 and "attachment" in x.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(x.content))
    assert wb.sheetnames == ["2023年排名", "2022年排名", "未能评价"]
    ws = wb["2023年排名"]
    assert ws["A1"].value == "排名" and ws["B1"].value == "单位名称"
    assert sorted(ws.cell(r, 2).value for r in (2, 3)) == ["乙局", "甲局"]
    assert ws["D2"].data_type == "n"
    assert Decimal(str(ws["D2"].value)).quantize(Decimal("0.01")) == Decimal(
        ctx["years"][0]["rows"][0]["total"]
    )
    assert runs_in(tmp_path) == 5  # four evaluated, 丁局 with its data errors; the text file has no unit


def test_ranking_download_is_formula_safe(client, tmp_path):
    evil = "@SUM(1)局"
    r = client.post(
        "/batch",
        files=[("workbooks", ("e.xlsx", unit_workbook(tmp_path, evil, 2023), XLSX))],
        follow_redirects=False,
    )
    x = client.get(r.headers["location"] + ".xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(x.content)).active
    assert ws.title == "2023年排名" and ws["B2"].value == "'@SUM(1)局" and ws["B2"].data_type == "s"


def test_history_and_compare_from_the_page(client, ranked):
    review = page_json(client, "/review")
    assert set(review["units"]) == {"甲局", "乙局", "丙局"}  # 丁局 has only a run with data errors
    assert review["years"] == [2022, 2023] and review["store"].endswith("store.db")
    html = client.get("/review").text
    assert '<select id="unit" name="unit">' in html and '<option value="甲局">' in html
    assert '<select id="year-a" name="a"' in html
    h = page_json(client, "/history?unit=甲局")
    assert [(r["unit"], r["year"]) for r in h["rows"]] == [("甲局", 2022), ("甲局", 2023)]
    assert h["unit"] == "甲局" and not h["message"]
    partial = page_json(client, "/history?unit=甲")
    assert partial["rows"] == [] and "没有单位“甲”" in partial["message"] and "甲局" in partial["message"]
    assert client.get("/history?unit=甲").status_code == 200
    for query in ("years=2022、2023", "years=2022 2023", "years=2023,2022", "a=2022&b=2023"):
        c = page_json(client, "/compare?" + query)
        assert c["years"] == [2022, 2023], query
        assert [ch["unit"] for ch in c["changes"]] == ["甲局"]
        assert {r["unit"] for r in c["only"]} == {"乙局", "丙局"}
    bad = page_json(client, "/compare?years=2022")
    assert bad["years"] is None and "两个不同的年度" in bad["message"]
    missing = page_json(client, "/compare?years=2019、2023")
    assert "没有 2019 年" in missing["message"]


def test_ranking_from_the_store_per_year_and_framework(client, ranked):
    page = page_json(client, "/ranking?year=2023&framework=six-dimension")
    assert page["from_store"] and page["framework"] == "部门整体支出绩效评价指标体系（六维度）"
    (year,) = page["years"]
    assert year["year"] == 2023 and [(r["rank"], r["unit"]) for r in year["rows"]] == [
        (1, "乙局"),
        (1, "甲局"),
    ]
    assert year["rows"][0]["result_url"] == "/history?unit=%E4%B9%99%E5%B1%80"
    assert [c["value"] for c in page["year_choices"]] == ["2022", "2023"]
    assert page_json(client, "/ranking")["years"][0]["year"] == 2023  # newest year, default framework
    other = page_json(
        client, "/ranking?year=2023&framework=mof-2013"
    )  # never scored with it: nothing to rank
    assert other["years"] == [] and other["download_url"] == ""
    assert "没有这个年度按这个框架评价的记录" in client.get("/ranking?year=2023&framework=mof-2013").text
    x = client.get(page["download_url"])
    wb = openpyxl.load_workbook(io.BytesIO(x.content))
    assert wb.sheetnames == ["2023年排名"] and wb.active["B2"].value == "乙局"
    assert '<form action="/ranking" method="get" id="stored-ranking-form">' in client.get("/review").text


def test_audit_redirects_and_its_banner(client):
    r = client.post(
        "/audit",
        files={"report": ("r.txt", "一、部门概况\n本单位负责科技工作。".encode(), "text/plain")},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/audit/")
    ctx = page_json(client, r.headers["location"])
    assert ctx["summary"]["total"] == 0 and ctx["verdict"] == "warn"
    text = "年初预算1000万元，全年预算1200万元，决算支出1100万元，预算执行率为95.00%。"
    r = client.post("/audit", files={"report": ("r.txt", text.encode(), "text/plain")})
    ctx = page_json(client, r.url.path)
    assert ctx["summary"]["mismatch"] >= 1 and ctx["verdict"] == "bad"
    assert ctx["claims"][0]["status_word"] == "不符"


def submitted_table(tmp_path: Path) -> bytes:
    """A 部门整体支出绩效自评表 as units submit it: one row scored full although the target was missed
    (12 of 26 trainings, weight 5: by the table's own rule 12/26 × 5 = 2.31)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "部门整体支出绩效自评表"
    ws.append(["部门整体支出绩效自评表"])
    ws.append(["部门(单位)名称", "融媒体中心"])
    ws.append(["资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    ws.append(["年度资金总额", 100, 100, 76, 10, "76%", "7.6"])
    ws.append([])
    ws.append(
        ["一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "实际完成值", "单位", "分值", "得分"]
    )
    ws.append(["产出指标", "数量指标", "党性教育培训次数", "≥", "26次", "12次", "次", 5, 5])
    ws.append(["产出指标", "数量指标", "播发稿件数量", "≥", "2200篇", "2859篇", "篇", 10, 10])
    ws.append(["总分", None, None, None, None, None, None, None, "22.6"])
    p = tmp_path / "自评表.xlsx"
    wb.save(p)
    return p.read_bytes()


def test_reviewer_reviews_a_submitted_table(client, tmp_path):
    pytest.importorskip(
        "jixiao.review", reason="the 自评表 review (jixiao review) is merged from another branch"
    )
    assert page_json(client, "/review")["can_review"] is True
    r = client.post(
        "/selfreview",
        files={"table": ("融媒体中心自评表.xlsx", submitted_table(tmp_path), XLSX)},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/selfreview/")
    ctx = page_json(client, r.headers["location"])
    assert ctx["verdict"] == "bad" and ctx["problems"] >= 1
    first = ctx["rows"][0]
    assert first["item"] == "融媒体中心/党性教育培训次数" and first["status_word"] == "未完成目标却得满分"
    assert (first["claimed"], first["recomputed"]) == ("5.00", "2.31")
    assert first["where"] == "部门整体支出绩效自评表!I7"
    assert client.get(r.headers["location"]).status_code == 200


def test_audit_refuses_a_workbook(client, tmp_path):
    r = client.post(
        "/audit",
        files={"report": ("r.docx", unit_workbook(tmp_path, "甲局", 2023), XLSX)},
        follow_redirects=False,
    )
    r = refused(client, r, 422)
    assert r.status_code == 422 and "上传的是Excel 工作簿" in r.text
