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
from conftest import EXAMPLE, REFERENCE_TXT, need

CHROMIUM = os.environ.get("JIXIAO_CHROMIUM", "/usr/bin/chromium")
ROOT_REFERENCE = REFERENCE_TXT
pytestmark = pytest.mark.browser


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """A real `jixiao serve` process on a fixed port and store, which a test may restart."""

    def __init__(self, folder: Path):
        self.port = _free_port()
        self.db = folder / "store.db"
        self.log_path = folder / "serve.log"
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.log = open(
            self.log_path, "ab"
        )  # a file, not a pipe nobody reads (a full pipe would block the server)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jixiao", "serve", "--port", str(self.port), "--db", str(self.db)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(120):
            if self.proc.poll() is not None:
                pytest.fail("jixiao serve exited: " + self.log_path.read_text("utf-8", "replace"))
            try:
                urllib.request.urlopen(self.base + "/", timeout=2).read()
                return
            except OSError:
                time.sleep(0.25)
        pytest.fail("jixiao serve did not answer within 30 s")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=10)
        self.log.close()

    def runs(self) -> int:
        from jixiao.store import Store

        with Store.open("sqlite:///" + str(self.db)) as st:
            return st.counts()["runs"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("serve"))
    srv.start()
    try:
        yield srv
        assert "Traceback" not in srv.log_path.read_text("utf-8", "replace")  # no hidden crash either
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def browser():
    need(os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM} (set JIXIAO_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
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
    cell = next(
        c
        for row in ws.iter_rows(min_row=2)
        for c in row
        if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
    )
    cell.value = "一千五百万"
    p = tmp_path / "有错误的基础数据表.xlsx"
    wb.save(p)
    return p, ws.title, cell.coordinate


def unit_copy(tmp_path: Path, unit: str, year: int) -> Path:
    from builders import make_workbook

    return make_workbook(
        tmp_path,
        {"基本信息": {"单位名称": unit, "年度": year}},
        base="example",
        name=f"{unit}{year}年基础数据表.xlsx",
    )


def no_sideways_scroll(page) -> tuple[int, int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


def test_officer_uploads_the_example_and_downloads_everything(server, page, tmp_path):
    page.goto(server.base + "/")
    assert page.title().startswith("上传基础数据表")
    assert page.locator("h1").inner_text() == "部门整体支出绩效自评"
    assert page.locator("#framework option").first.inner_text().endswith("（默认）")
    shot(page, tmp_path, "01-home-1280")

    # the blank template downloads and opens
    with page.expect_download() as dl:
        page.click("#download-template")
    tpl = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
    assert len(tpl.sheetnames) >= 5

    before = server.runs()
    page.set_input_files("#workbook", str(EXAMPLE))
    # the submit handler runs at once: the button is disabled and says 处理中 while the server works
    state = page.evaluate("""() => { const f = document.querySelector('#upload-form'); f.requestSubmit();
        const b = document.querySelector('#submit-workbook'); return [b.disabled, b.textContent,
        f.querySelector('.busy').textContent]; }""")
    assert state[0] is True and state[1] == "处理中…" and "处理中" in state[2]
    t0 = time.perf_counter()
    page.wait_for_selector("#total-score")
    elapsed = time.perf_counter() - t0
    assert elapsed < 3, f"result page took {elapsed:.2f}s"
    assert "/result/" in page.url
    assert "长沙市科学技术局" in page.locator("#unit-name").inner_text()
    staff = page.locator("#ind-staff_control_rate").inner_text()
    assert "86.76%" in staff and "59" in staff and "68" in staff
    assert "92.33%" in page.locator("#ind-budget_execution_rate").inner_text()
    assert "-21.84%" in page.locator("#ind-three_public_budget_change_rate").inner_text()
    assert page.locator("#score tbody tr").count() > 5
    assert page.locator("svg.chart").count() >= 3
    assert page.locator("#findings li").count() >= 1
    assert page.locator("#grade").inner_text() == "待评"
    shot(page, tmp_path, "02-result-1280")

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
                assert not (
                    isinstance(v, str)
                    and v[:1] in "=+-@"
                    and not v.lstrip("+-").replace(".", "").replace(",", "").replace("%", "").isdigit()
                ), v
    doc = json.loads(got["json"])
    assert doc["indicators"]["staff_control_rate"]["value"] == "86.76"

    # Reload and Back never send the file again
    result_url = page.url
    assert server.runs() == before + 1
    resp = page.reload()
    assert resp.status == 200 and page.url == result_url
    page.go_back()
    assert page.url == server.base + "/" and page.locator("#upload-form").count() == 1
    assert not page.locator("#submit-workbook").is_disabled()  # usable again after Back
    page.go_forward()
    assert page.url == result_url and "长沙市科学技术局" in page.locator("#unit-name").inner_text()
    assert server.runs() == before + 1


def test_officer_sees_the_broken_cell(server, page, tmp_path):
    path, sheet, coord = broken_copy(tmp_path)
    page.goto(server.base + "/")
    page.set_input_files("#workbook", str(path))
    page.click("#submit-workbook")
    page.wait_for_selector("#issues")
    assert "/check/" in page.url
    assert "处错误" in page.locator("#check-summary").inner_text()
    rows = page.locator("#issues tbody tr.sev-error")
    assert rows.count() >= 1
    located = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert any(sheet in r and coord in r for r in located), located
    target = page.locator("td.target", has_text="一千五百万")
    assert target.count() >= 1 and target.first.is_visible()
    assert page.locator("a[href^='/download/']").count() == 0
    shot(page, tmp_path, "03-check-errors-1280")


def test_garbage_and_escaping_in_the_browser(server, page, tmp_path):
    bad = tmp_path / "<img src=x onerror=alert(1)>.xlsx"
    bad.write_bytes(bytes(range(256)) * 12)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server.base + "/")
    page.set_input_files("#workbook", str(bad))
    page.click("#submit-workbook")
    page.wait_for_selector("#error-message")
    assert "无法识别上传文件的格式" in page.locator("#error-message").inner_text()
    assert "Traceback" not in page.content() and "422" not in page.locator("h1").inner_text()
    assert "/problem/" in page.url  # a refusal has its own address too: Reload sends nothing again
    assert (
        page.reload().status == 422
        and "无法识别上传文件的格式" in page.locator("#error-message").inner_text()
    )
    assert dialogs == []


def test_reviewer_ranks_by_year_then_history_and_compare_from_the_page(server, page, tmp_path):
    files = [unit_copy(tmp_path, u, y) for u, y in (("甲局", 2022), ("甲局", 2023), ("乙局", 2023))]
    path, _, _ = broken_copy(tmp_path)
    page.goto(server.base + "/review")
    assert page.locator("h1").inner_text() == "审核人员"
    page.set_input_files("#workbooks", [*map(str, files), str(path)])
    page.select_option("#batch-framework", "six-dimension")
    page.click("#submit-batch")
    page.wait_for_selector("#year-2023")
    assert "/ranking/" in page.url
    ranking_url = page.url
    assert page.locator("section.year h2").all_inner_texts()[0].startswith("2023年度")
    rows_2023 = page.locator("#year-2023 table.ranking tbody tr")
    assert rows_2023.count() == 2 and page.locator("#year-2022 table.ranking tbody tr").count() == 1
    assert "未评分" in page.locator("#failed").inner_text()
    shot(page, tmp_path, "05-ranking-1280")
    with page.expect_download() as dl:
        page.click("#download-ranking")
    wb = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
    assert wb.sheetnames[:2] == ["2023年排名", "2022年排名"]
    # each ranked unit links to its result
    page.locator("#year-2022 table.ranking a", has_text="甲局").click()
    page.wait_for_selector("#total-score")
    assert "甲局 2022年度" in page.locator("#unit-name").inner_text()
    page.go_back()
    assert page.url == ranking_url

    # history and comparison, chosen from what the store holds
    page.goto(server.base + "/review")
    assert "甲局" in page.locator("#unit").inner_text()
    page.select_option("#unit", "甲局")
    page.click("#history-form button")
    page.wait_for_selector("#history")
    years = [r.split("\t")[1] for r in page.locator("#history tbody tr").all_inner_texts()]
    assert years == ["2022", "2023"]
    shot(page, tmp_path, "07-history-1280")
    page.goto(server.base + "/review")
    page.select_option("#year-a", "2022")
    page.select_option("#year-b", "2023")
    page.click("#compare-form button")
    page.wait_for_selector("#compare")
    assert page.locator("h1").inner_text() == "历年对比：2022年与2023年"
    assert "甲局" in page.locator("#compare").inner_text()
    # a typed list with 、 works as well
    page.fill("#years", "2022、2023")
    page.click("#compare-form button")
    page.wait_for_selector("#compare")
    shot(page, tmp_path, "08-compare-1280")


def test_not_found_page(server, page, tmp_path):
    resp = page.goto(server.base + "/不存在")
    assert resp.status == 404
    assert "没有找到您要访问的页面" in page.locator("#error-message").inner_text()
    assert page.locator("h1").inner_text() == "页面不存在"


def test_reviewer_audits_the_reference_report(server, page, tmp_path, reference_txt):
    page.goto(server.base + "/review")
    page.set_input_files("#report", str(reference_txt))
    page.click("#submit-report")
    page.wait_for_selector("#claims")
    assert "/audit/" in page.url
    summary = page.locator("#audit-summary").inner_text()
    assert "共找到" in summary
    rows = page.locator("#claims tbody tr")
    assert rows.count() > 50
    statuses = [c.split("\t")[0].strip() for c in rows.all_inner_texts()]
    order = {"不符": 0, "无法核实": 1, "尾差": 2, "无误": 3}
    assert statuses == sorted(statuses, key=order.get)  # mismatches first
    if "不符 0 处" not in summary:
        first = rows.first.locator("td")
        assert first.nth(0).inner_text() == "不符"
        assert "段" in first.nth(1).inner_text() or "表" in first.nth(1).inner_text()  # located
        assert first.nth(3).inner_text() != first.nth(4).inner_text()  # stated vs correct figure
    shot(page, tmp_path, "06-audit-1280")


def test_a_download_after_a_restart_shows_a_page(tmp_path_factory, browser, tmp_path):
    srv = Server(tmp_path_factory.mktemp("restart"))
    srv.start()
    ctx = browser.new_context(accept_downloads=True, locale="zh-CN", viewport={"width": 390, "height": 844})
    pg = ctx.new_page()
    try:
        pg.goto(srv.base + "/")
        pg.set_input_files("#workbook", str(EXAMPLE))
        pg.click("#submit-workbook")
        pg.wait_for_selector("#total-score")
        srv.stop()
        srv.start()  # the results lived in memory: the links have expired
        pg.click("#download-docx")
        pg.wait_for_selector("#error-message")
        assert pg.locator("h1").inner_text() == "评价结果已过期"
        assert "重新启动后全部清空" in pg.locator("#error-message").inner_text()
        shot(pg, tmp_path, "09-expired-download-390")
        pg.reload()
        assert pg.locator("h1").inner_text() == "评价结果已过期"
    finally:
        ctx.close()
        srv.stop()


@pytest.mark.parametrize("width", [360, 390])
def test_no_page_scrolls_sideways_on_a_phone(server, browser, tmp_path, width):
    """Every page from 360 px up: wide tables and charts scroll inside their own box, never the page."""
    ctx = browser.new_context(
        accept_downloads=True,
        locale="zh-CN",
        viewport={"width": width, "height": 800},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    pg = ctx.new_page()
    try:
        seen = {}

        def check(name: str) -> None:
            pg.wait_for_load_state("load")  # measured with the stylesheet applied, as a person sees it
            sw, vw = no_sideways_scroll(pg)
            # a mobile browser widens its layout viewport to fit wide content: compare with the screen itself
            seen[name] = (sw, min(vw, width))
            culprits = pg.evaluate(f"""() => [...document.querySelectorAll('body *')].filter(e => {{
                const r = e.getBoundingClientRect(); const boxed = '.table-wrap, .chart-box, figure.preview';
                return r.right > {width} + 1 && !e.closest(boxed); }}).slice(0, 5).map(e =>
                e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
            if culprits:
                seen[name] = (*seen[name], culprits)
            if width == 390:
                shot(pg, tmp_path, f"phone-{name}-390")
            small = pg.evaluate("""() => { let least = 99; for (const t of document.querySelectorAll('svg.chart text')) {
                const r = t.getBoundingClientRect(); if (r.height > 0 && t.textContent.trim())
                least = Math.min(least, parseFloat(getComputedStyle(t).fontSize) *
                    t.closest('svg').getBoundingClientRect().width / t.closest('svg').viewBox.baseVal.width); }
                return least; }""")
            assert small >= 8, f"{name}: chart text drawn at {small:.1f}px"

        for name, url in (
            ("home", "/"),
            ("review", "/review"),
            ("frameworks", "/frameworks"),
            ("history", "/history"),
            ("compare", "/compare?years=2022、2023"),
            ("not-found", "/不存在"),
            ("expired", "/result/AAAAAAAAAAAAAAAAAAAAAAAA"),
        ):
            pg.goto(server.base + url)
            check(name)
        pg.goto(server.base + "/")
        pg.set_input_files("#workbook", str(EXAMPLE))
        pg.click("#submit-workbook")
        pg.wait_for_selector("#total-score")
        check("result")
        path, _, _ = broken_copy(tmp_path)
        pg.goto(server.base + "/")
        pg.set_input_files("#workbook", str(path))
        pg.click("#submit-workbook")
        pg.wait_for_selector("#issues")
        check("check")
        pg.goto(server.base + "/review")
        pg.set_input_files("#workbooks", [str(unit_copy(tmp_path, "丙局", 2022)), str(EXAMPLE), str(path)])
        pg.click("#submit-batch")
        pg.wait_for_selector("section.year")
        check("ranking")
        pg.goto(server.base + "/review")
        pg.set_input_files("#report", str(ROOT_REFERENCE) if ROOT_REFERENCE.exists() else str(EXAMPLE))
        pg.click("#submit-report")
        pg.wait_for_selector("#audit-summary, #error-message")
        check("audit")
        pg.goto(server.base + "/history")
        check("history-filled")
        pg.goto(server.base + "/ranking")
        check("stored-ranking")
        pg.goto(server.base + "/compare?years=2022、2023")
        check("compare-filled")
        wide = {k: v for k, v in seen.items() if v[0] > v[1] or len(v) > 2}
        assert not wide, f"pages wider than the {width}-px screen: {wide}"
    finally:
        ctx.close()
