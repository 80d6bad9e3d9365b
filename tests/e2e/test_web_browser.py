"""End-to-end: a real `jixiao serve` process driven by Debian's Chromium through Playwright.

Uploads the bundled example and a broken workbook, checks what a person sees, clicks each
download and opens the files. Screenshots go to tmp_path (and to $JIXIAO_SCREENSHOTS if set).
Never runs `playwright install`: the browser is the system's Chromium.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import EXAMPLE, need

CHROMIUM = os.environ.get("JIXIAO_CHROMIUM", "/usr/bin/chromium")
pytestmark = pytest.mark.browser


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    log = open(log_path, "wb")  # a file, not a pipe nobody reads (a full pipe would block the server)
    p = subprocess.Popen([sys.executable, "-m", "jixiao", "serve", "--port", str(port)], env=env,
                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if p.poll() is not None:
                pytest.fail("jixiao serve exited: " + log_path.read_text("utf-8", "replace"))
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("jixiao serve did not answer within 30 s")
        yield base
        assert "Traceback" not in log_path.read_text("utf-8", "replace")  # no hidden crash either
    finally:
        os.killpg(p.pid, signal.SIGTERM)
        p.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser():
    need(os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM} (set JIXIAO_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM,
                               args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(accept_downloads=True, locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    yield pg
    ctx.close()


def shot(page, tmp_path: Path, name: str) -> Path:
    p = tmp_path / f"{name}.png"
    page.screenshot(path=str(p), full_page=True)
    keep = os.environ.get("JIXIAO_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(p, Path(keep) / p.name)
    assert p.stat().st_size > 10_000  # a rendered page, not a blank one
    return p


def broken_copy(tmp_path: Path) -> tuple[Path, str, str]:
    """The example with text typed into the first amount cell of 支出总表 (a finance officer's slip)."""
    wb = openpyxl.load_workbook(EXAMPLE)
    ws = next(w for w in wb.worksheets if "支出" in w.title)
    cell = next(c for row in ws.iter_rows(min_row=2) for c in row
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool))
    cell.value = "一千五百万"
    p = tmp_path / "有错误的基础数据表.xlsx"
    wb.save(p)
    return p, ws.title, cell.coordinate


def test_officer_uploads_the_example_and_downloads_everything(server, page, tmp_path):
    page.goto(server + "/")
    assert page.title().startswith("上传基础数据表")
    assert page.locator("h1").inner_text() == "部门整体支出绩效自评"
    shot(page, tmp_path, "01-home")

    # the blank template downloads and opens
    with page.expect_download() as dl:
        page.click("#download-template")
    tpl = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
    assert len(tpl.sheetnames) >= 5

    page.set_input_files("#workbook", str(EXAMPLE))
    t0 = time.perf_counter()
    page.click("#submit-workbook")
    page.wait_for_selector("#total-score")
    elapsed = time.perf_counter() - t0
    assert elapsed < 3, f"result page took {elapsed:.2f}s"
    assert "长沙市科学技术局" in page.locator("#unit-name").inner_text()
    staff = page.locator("#ind-staff_control_rate").inner_text()
    assert "86.76%" in staff and "59" in staff and "68" in staff
    assert "92.33%" in page.locator("#ind-budget_execution_rate").inner_text()
    assert "-21.84%" in page.locator("#ind-three_public_budget_change_rate").inner_text()
    assert page.locator("#score tbody tr").count() > 5
    assert page.locator("svg.chart").count() >= 2
    assert page.locator("#findings tbody tr").count() >= 1
    shot(page, tmp_path, "02-result")

    got = {}
    for fmt in ("docx", "html", "xlsx", "json"):
        with page.expect_download() as dl:
            page.click(f"#download-{fmt}")
        d = dl.value
        assert d.suggested_filename.endswith("." + fmt)
        got[fmt] = Path(d.path()).read_bytes()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(got["docx"])).paragraphs)
    assert "86.76%" in text and "长沙市科学技术局" in text
    assert "长沙市科学技术局" in got["html"].decode("utf-8")
    wb = openpyxl.load_workbook(io.BytesIO(got["xlsx"]))
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and v[:1] in "=+-@" and not v.lstrip("+-").replace(".", "").replace(
                    ",", "").replace("%", "").isdigit()), v
    doc = json.loads(got["json"])
    assert doc["indicators"]["staff_control_rate"]["value"] == "86.76"
    assert doc["indicators"]["budget_execution_rate"]["value"] == "92.33"


def test_officer_sees_the_broken_cell(server, page, tmp_path):
    path, sheet, coord = broken_copy(tmp_path)
    page.goto(server + "/")
    page.set_input_files("#workbook", str(path))
    page.click("#submit-workbook")
    page.wait_for_selector("#issues")
    assert "处错误" in page.locator("#check-summary").inner_text()
    rows = page.locator("#issues tbody tr.sev-error")
    assert rows.count() >= 1
    located = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert any(sheet in r and coord in r for r in located), located
    target = page.locator("td.target", has_text="一千五百万")
    assert target.count() >= 1 and target.first.is_visible()
    assert page.locator("a[href^='/download/']").count() == 0
    shot(page, tmp_path, "03-check-errors")


def test_garbage_and_escaping_in_the_browser(server, page, tmp_path):
    bad = tmp_path / "<img src=x onerror=alert(1)>.xlsx"
    bad.write_bytes(os.urandom(3000))
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/")
    page.set_input_files("#workbook", str(bad))
    page.click("#submit-workbook")
    page.wait_for_selector("#error-message")
    assert "无法识别上传文件的格式" in page.locator("#error-message").inner_text()
    assert "Traceback" not in page.content()
    assert dialogs == []
    shot(page, tmp_path, "04-error")


def test_reviewer_batch_ranking(server, page, tmp_path):
    path, _, _ = broken_copy(tmp_path)
    page.goto(server + "/review")
    assert page.locator("h1").inner_text() == "审核人员"
    page.set_input_files("#workbooks", [str(EXAMPLE), str(path)])
    page.click("#submit-batch")
    page.wait_for_selector("#ranking")
    first = page.locator("#ranking tbody tr").first.inner_text()
    assert "长沙市科学技术局" in first and first.startswith("1")
    assert "未评分" in page.locator("#ranking tbody tr.failed").inner_text()
    assert "评价 1 个，未能评价 1 个" in page.locator("#batch-summary").inner_text()
    shot(page, tmp_path, "05-batch")


def test_not_found_page(server, page, tmp_path):
    resp = page.goto(server + "/不存在")
    assert resp.status == 404
    assert "没有找到您要访问的页面" in page.locator("#error-message").inner_text()


def test_reviewer_audits_the_reference_report(server, page, tmp_path, reference_txt):
    page.goto(server + "/review")
    page.set_input_files("#report", str(reference_txt))
    page.click("#submit-report")
    page.wait_for_selector("#claims")
    summary = page.locator("#audit-summary").inner_text()
    assert "共核对" in summary
    rows = page.locator("#claims tbody tr")
    assert rows.count() > 50
    statuses = [c.split("\t")[0].strip() for c in rows.all_inner_texts()]
    order = {"不一致": 0, "无法核对": 1, "尾差": 2, "正确": 3}
    assert statuses == sorted(statuses, key=order.get)  # mismatches first
    if "不一致 0 处" not in summary:
        first = rows.first.locator("td")
        assert first.nth(0).inner_text() == "不一致"
        assert first.nth(1).inner_text().startswith(("第", "表"))   # located
        assert first.nth(3).inner_text() != first.nth(4).inner_text()  # stated vs correct figure
    shot(page, tmp_path, "06-audit")
