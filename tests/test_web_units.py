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
from jixiao.web import charts, views
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
@given(st.lists(st.tuples(cell_text, st.one_of(st.none(), st.decimals(min_value=-10**6, max_value=10**6, places=2))),
                max_size=6))
def test_charts_are_well_formed_and_escaped(rows):
    svg = charts.hbars("标题<script>", [(label, [v, v]) for label, v in rows], ["全年预算", "决算"], unit="万元")
    if str(svg):
        root = etree.fromstring(str(svg).encode())
        assert root.tag.endswith("svg")
        assert "<script" not in str(svg)
    bars = charts.vbars("等级", [(g, n) for g, n in (("优", 3), ("良<b>", 0))])
    assert "良&lt;b&gt;" in str(bars) and etree.fromstring(str(bars).encode()) is not None


def test_chart_bars_are_proportional():
    svg = str(charts.hbars("t", [("甲", [D("50"), D("100")])], ["a", "b"]))
    bars = re.findall(r'<rect x="230" y="(\d+)" width="([\d.]+)" height="12"', svg)
    assert [D(w) for y, w in bars if int(y) > 50] == [D("190.0"), D("380.0")]  # legend swatches excluded


def test_cache_is_bounded_and_checks_tokens():
    c = ResultCache(3)
    toks = [c.put(i) for i in range(5)]
    assert len(c) == 3 and c.get(toks[0]) is None and c.get(toks[4]) == 4
    c.get(toks[2])          # touched: survives the next insert
    c.put(99)
    assert c.get(toks[2]) == 2 and c.get(toks[3]) is None
    assert c.get("../../x") is None and c.get("") is None


def test_claim_locations_and_order():
    assert views.loc_text({"paragraph": 0}) == "第1段"
    assert views.loc_text({"table": 0, "row": 2, "column": 3}) == "表1第3行第4列"
    claims = [{"status": s} for s in ("ok", "rounding", "mismatch", "unverifiable", "mismatch")]
    assert [c["status"] for c in views.order_claims(claims)] == [
        "mismatch", "mismatch", "unverifiable", "rounding", "ok"]
    assert views.claim_summary(claims) == {"mismatch": 2, "unverifiable": 1, "rounding": 1, "ok": 1, "total": 5}


def test_evidence_is_readable():
    assert views.evidence({"项目": {"甲": D("1500.0")}, "阈值": D("80")}) == "项目：甲：1500.0；阈值：80"
    assert views.evidence([D("1E+3"), "乙"]) == "1000、乙"


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


def test_serve_refuses_a_missing_database_file(tmp_path):
    r = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "没有.db")])
    assert r.exit_code == 2 and "数据库文件不存在" in r.output


def test_a_missing_module_is_a_feature_unavailable(monkeypatch):
    import sys

    from fastapi.testclient import TestClient

    from jixiao.web import Settings, create_app

    monkeypatch.setitem(sys.modules, "jixiao.audit", None)  # import now raises ModuleNotFoundError
    c = TestClient(create_app(Settings()))
    r = c.post("/audit", files={"report": ("r.txt", "一、部门概况".encode(), "text/plain")})
    assert r.status_code == 503
    assert "此功能尚未可用：报告审核。" in r.text and "缺少模块 jixiao.audit" in r.text
