"""The web package's pure parts: formula neutralising, content sniffing, names, charts, cache, CLI."""

from __future__ import annotations

import io
import re
import socket
from decimal import Decimal as D

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

from jixiao.cli import app as cli_app
from jixiao.web import charts, filters, views
from jixiao.web.cache import ResultCache
from jixiao.web.safe_xlsx import DANGEROUS, needs_quote, neutralise_formulas
from jixiao.web.uploads import UploadRejected, display_name, sniff

# text openpyxl can store (no control characters, no surrogates)
cell_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)


def _roundtrip(values: list) -> list:
    wb = openpyxl.Workbook()
    ws = wb.active
    for v in values:
        ws.append([v])
    ws2 = wb.create_sheet("第二页")
    ws2["B2"] = "=SUM(1,2)"
    buf = io.BytesIO()
    wb.save(buf)
    out = openpyxl.load_workbook(io.BytesIO(neutralise_formulas(buf.getvalue())))
    return [r[0] for r in out.active.iter_rows(values_only=True)] + [out["第二页"]["B2"].value]


@settings(max_examples=60, deadline=None)
@given(st.lists(cell_text, min_size=1, max_size=8))
def test_no_exported_text_starts_a_formula(texts):
    got = _roundtrip(texts)
    for before, after in zip(texts, got, strict=False):
        assert isinstance(after, str)
        if needs_quote(before):
            assert after == "'" + before
        else:
            assert after == before  # harmless text is untouched
        assert not (after.startswith(DANGEROUS) and needs_quote(after))
    assert got[-1] == "'=SUM(1,2)"


def test_numbers_and_number_text_stay_as_they_are():
    got = _roundtrip([-21.84, "-21.84", "+3.20%", "-1,620.00", "@user", "-", "=1+1", 86.76])
    assert got[:8] == [-21.84, "-21.84", "+3.20%", "-1,620.00", "'@user", "'-", "'=1+1", 86.76]


def test_non_xlsx_bytes_pass_through():
    assert neutralise_formulas(b"not a zip") == b"not a zip"


def test_sniff_by_content_not_name():
    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    assert sniff(buf.getvalue(), ("xlsx",)).kind == "xlsx"
    assert sniff("一、部门概况\n".encode("utf-8-sig"), ("txt",)).kind == "txt"
    assert sniff("一、部门概况\n".encode("gbk"), ("txt",)).kind == "txt"
    assert sniff("一、部门概况\n".encode("utf-16"), ("txt",)).kind == "txt"
    assert sniff(b"%PDF-1.5\n", ("pdf", "txt")).kind == "pdf"
    with pytest.raises(UploadRejected, match="不是有效的"):
        sniff(bytes(range(256)) * 4, ("xlsx", "txt"))
    with pytest.raises(UploadRejected, match="这里需要") as e:
        sniff(buf.getvalue(), ("docx", "pdf", "txt"))
    assert e.value.status == 422


def test_zip_that_is_neither_workbook_nor_document():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hi")
    with pytest.raises(UploadRejected, match="不是 Excel 工作簿或 Word 文档"):
        sniff(buf.getvalue(), ("xlsx",))


@given(st.text(max_size=300))
def test_display_name_is_never_a_path(name):
    shown = display_name(name)
    assert "/" not in shown and "\\" not in shown
    assert all(ord(ch) >= 32 and ch != "\x7f" for ch in shown)
    assert 0 < len(shown) <= 120


def test_display_name_examples():
    assert display_name("C:\\Users\\财务\\桌面\\2023 基础数据表.xlsx") == "2023 基础数据表.xlsx"
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("") == "未命名文件"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            cell_text, st.one_of(st.none(), st.decimals(min_value=-(10**6), max_value=10**6, places=2))
        ),
        max_size=6,
    )
)
def test_charts_are_well_formed_and_escaped(rows):
    svg = charts.hbars(
        "标题<script>", [(label, [v, v]) for label, v in rows], ["全年预算", "决算"], unit="万元"
    )
    if str(svg):
        root = etree.fromstring(str(svg).encode())
        assert root.tag.endswith("svg")
        assert "<script" not in str(svg)
    bars = charts.vbars("等级", [(g, n) for g, n in (("优", 3), ("良<b>", 0))])
    assert "良&lt;b&gt;" in str(bars) and etree.fromstring(str(bars).encode()) is not None


def test_chart_bars_are_proportional():
    svg = str(charts.hbars("t", [("甲", [D("50"), D("100")])], ["a", "b"]))
    bars = re.findall(r'<rect x="150" y="(\d+)" width="([\d.]+)" height="12"', svg)
    assert [D(w) for y, w in bars if int(y) > 50] == [D("130.0"), D("260.0")]  # legend swatches excluded


def test_charts_never_shrink_below_three_quarters():
    """On a phone a chart scrolls in its box rather than drawing 13-px labels at 6 px."""
    svg = str(charts.hbars("t", [("甲", [D("1"), None])], ["a", "b"]))
    width = D(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    least, most = map(D, re.search(r'style="min-width:(\d+)px;max-width:(\d+)px"', svg).groups())
    assert width * D("0.75") <= least <= width <= most <= width * D("1.5")
    assert svg.count("<rect") == 2 + 1  # two legend swatches, one bar: the missing value draws nothing


def test_cache_is_bounded_and_checks_tokens():
    c = ResultCache(3)
    toks = [c.put(i) for i in range(5)]
    assert len(c) == 3 and c.get(toks[0]) is None and c.get(toks[4]) == 4
    c.get(toks[2])  # touched: survives the next insert
    c.put(99)
    assert c.get(toks[2]) == 2 and c.get(toks[3]) is None
    assert c.get("../../x") is None and c.get("") is None


def test_claim_locations_and_order():
    assert filters.loc_text({"paragraph": 0}) == "第1段"
    assert filters.loc_text({"paragraph": 4, "page": 2}) == "第2页 第5段"
    assert filters.loc_text({"table": 0, "row": 2, "column": 3}) == "表1第3行第4列"
    claims = tuple(
        {"status": s, "text": s} for s in ("ok", "rounding", "mismatch", "unverifiable", "mismatch")
    )
    page = views.audit_page("x" * 20, views.Audited("r.txt", claims, {}))
    assert [c.status for c in page.claims] == ["mismatch", "mismatch", "unverifiable", "rounding", "ok"]
    assert [c.status_word for c in page.claims] == ["不符", "不符", "无法核实", "尾差", "无误"]
    assert (page.summary.total, page.summary.mismatch, page.summary.ok) == (5, 2, 1) and page.verdict == "bad"


@pytest.mark.parametrize(
    ("statuses", "verdict"),
    [
        ((), "warn"),
        (("unverifiable",), "warn"),
        (("ok", "unverifiable"), "warn"),
        (("ok", "rounding"), "good"),
        (("ok", "mismatch"), "bad"),
    ],
)
def test_audit_banner_is_green_only_when_something_was_verified(statuses, verdict):
    page = views.audit_page("x" * 20, views.Audited("r.txt", tuple({"status": s} for s in statuses), {}))
    assert page.verdict == verdict


def test_evidence_has_units_and_separators():
    ev = {
        "预算执行率": D("86.5"),
        "全年预算合计": D("67285.97"),
        "阈值": D("10"),
        "项目数": 3,
        "在职人员数": 59,
        "调增项目": {"甲": D("1500.0")},
    }
    shown = {k: filters.evidence(k, v, ev) for k, v in ev.items()}
    assert shown == {
        "预算执行率": "86.50%",
        "全年预算合计": "67,285.97万元",
        "阈值": "10.00%",
        "项目数": "3个",
        "在职人员数": "59人",
        "调增项目": "甲：1,500.00万元",
    }
    kpi = {"目标值": D("95"), "完成值": D("90"), "单位": "%"}
    assert filters.evidence("完成值", D("90"), kpi) == "90.00%"


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2022、2023", [2022, 2023]),
        ("2022 2023", [2022, 2023]),
        ("2022,2023", [2022, 2023]),
        ("2022，2023", [2022, 2023]),
        (" 2023 ", [2023]),
        ("", []),
    ],
)
def test_year_lists_accept_chinese_separators(text, years):
    assert views.parse_years(text) == years


@pytest.mark.parametrize("text", ["2022-2023", "二〇二二", "22,23", "2022、abc"])
def test_year_lists_refuse_other_text(text):
    with pytest.raises(ValueError):
        views.parse_years(text)


def test_competition_ranking():
    assert views.competition_rank([D(90), D(85), D(85), D(70), None]) == [1, 2, 2, 4, None]


@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("127.0.0.1:8000", True),
        ("localhost:8000", True),
        ("[::1]:8000", True),
        ("LOCALHOST", True),
        ("evil.example:8000", False),
        ("127.0.0.1.evil.example", False),
        ("192.168.1.5:8000", False),
    ],
)
def test_host_check_on_a_local_bind(host, ok):
    from jixiao.web.guard import HostOriginGuard

    assert HostOriginGuard(None, bind="127.0.0.1", refuse=None).host_ok(host) is ok


def test_host_check_on_every_address_takes_ip_literals_but_not_names():
    from jixiao.web.guard import HostOriginGuard

    g = HostOriginGuard(None, bind="0.0.0.0", refuse=None)
    assert g.host_ok("192.168.1.5:8000") and g.host_ok("[fe80::1]:8000") and g.host_ok("localhost")
    assert not g.host_ok("rebind.evil.example:8000")
    assert HostOriginGuard(None, bind="192.168.1.5", refuse=None).host_ok("192.168.1.5:8000")


def test_serve_help_is_chinese():
    r = CliRunner().invoke(cli_app, ["serve", "--help"])
    assert r.exit_code == 0
    assert "启动本地网页" in r.output and "--max-upload-mb" in r.output and "127.0.0.1" in r.output


def test_serve_refuses_a_bad_or_busy_port():
    r = CliRunner().invoke(cli_app, ["serve", "--port", "70000"])
    assert r.exit_code == 2 and "端口号 70000 无效" in r.output
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    try:
        r = CliRunner().invoke(cli_app, ["serve", "--port", str(s.getsockname()[1])])
        assert r.exit_code == 2 and "端口可能已被占用" in r.output
    finally:
        s.close()


def test_the_default_store_is_in_the_user_data_folder(monkeypatch, tmp_path):
    from jixiao.web import Settings
    from jixiao.web.service import default_store_path

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    p = default_store_path()
    assert p.name == "jixiao.db" and p.parent.name == "jixiao" and str(tmp_path) in str(p)
    assert Settings().store_url() == "sqlite:///" + str(p)
    assert Settings(db="sqlite:///x.db").store_url() == "sqlite:///x.db"
