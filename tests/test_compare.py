"""history / compare: pure comparison rules on hand-built results, then the CLI over a real store
(SQLite and PostgreSQL) with text, JSON, xlsx and HTML outputs."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import openpyxl
import pytest

try:  # tests/ may or may not be a package
    from test_store import CLOCK, engine_factory, make_evaluation, pg_engine_factory, pg_ok
except ModuleNotFoundError:  # pragma: no cover
    from tests.test_store import CLOCK, engine_factory, make_evaluation, pg_engine_factory, pg_ok  # noqa: F401
from typer.testing import CliRunner

from jixiao.batch import KEY_INDICATORS
from jixiao.cli import app
from jixiao.compare import (
    CompareRules,
    YearResult,
    compare,
    compare_results,
    history,
    parse_years,
    write_compare,
    write_history,
)
from jixiao.errors import UsageError
from jixiao.store import RunRecord, Store

runner = CliRunner()
NAMES = {k: k for k in KEY_INDICATORS}


def yr(unit, year, total, grade="良", execution=None, adjustment=None, findings=0, pending=0):
    inds = dict.fromkeys(KEY_INDICATORS)
    inds["budget_execution_rate"] = None if execution is None else Decimal(execution)
    inds["budget_adjustment_rate"] = None if adjustment is None else Decimal(adjustment)
    return YearResult(
        unit,
        year,
        None if total is None else Decimal(total),
        Decimal(100),
        grade,
        None,
        pending,
        findings,
        inds,
    )


def test_parse_years():
    assert parse_years("2022,2023") == (2022, 2023)
    assert parse_years("2023，2022") == (2022, 2023)
    for bad in ("2023", "2023,2023", "a,b", "2021,2022,2023"):
        with pytest.raises(UsageError):
            parse_years(bad)


def test_largest_movement_first_and_flags():
    rows = [
        yr("甲局", 2022, "91.00", "优", execution="95.00"),
        yr("甲局", 2023, "88.50", "良", execution="84.99"),
        yr("乙局", 2022, "70.00", "中"),
        yr("乙局", 2023, "82.25", "良"),
        yr("丙局", 2022, "85.00", execution="90.00", adjustment="5.00"),
        yr("丙局", 2023, "84.00", execution="80.00", adjustment="15.00", findings=3),
        yr("丁局", 2022, "60.00"),
        yr("戊局", 2023, "75.00"),
        yr("己局", 2022, None, None, pending=2),
        yr("己局", 2023, "80.00"),
        yr("庚局", 2022, "50.00", None, pending=3),
        yr("庚局", 2023, "90.00", "优"),
    ]
    c = compare_results(rows, (2022, 2023), NAMES)
    # totals with 待评 items are not comparable: listed after the comparable ones, never "下降"
    assert [ch.unit for ch in c.changes] == ["乙局", "甲局", "丙局", "庚局", "己局"]
    assert [ch.delta for ch in c.changes] == [
        Decimal("12.25"),
        Decimal("-2.50"),
        Decimal("-1.00"),
        Decimal("40.00"),
        None,
    ]
    assert c.changes[3].flags == ["2022年有3项待评，总分不可直接比较"] and not c.changes[3].comparable
    jia = c.changes[1]
    # 95.00 → 84.99 is a fall of 10.01 points: above the 10-point threshold
    assert jia.flags == ["等级下降（优→良）", "budget_execution_rate下降10.01个百分点"]
    assert jia.indicator_deltas["budget_execution_rate"] == Decimal("-10.01")
    bing = c.changes[2]
    # exactly 10 points is not "more than 10"; the adjustment rate rose by exactly 10 too
    assert bing.flags == ["发现问题由0个增至3个"]
    assert c.changes[0].flags == []
    assert [r.unit for r in c.only_before] == ["丁局"] and [r.unit for r in c.only_after] == ["戊局"]
    stricter = compare_results(
        rows, (2022, 2023), NAMES, CompareRules(score_drop=Decimal(2), execution_drop=Decimal(5))
    )
    assert "总分下降2.50分" in stricter.changes[1].flags
    assert any("下降10.00个百分点" in f for f in stricter.changes[2].flags)


def test_row_order_does_not_change_the_comparison():
    rows = [yr(f"单位{i}", y, f"{60 + (i * 7 + y) % 40}.{i:02d}") for i in range(12) for y in (2022, 2023)]
    a = compare_results(rows, (2022, 2023), NAMES).to_dict()
    b = compare_results(list(reversed(rows)), (2022, 2023), NAMES).to_dict()
    assert a == b


@pytest.fixture
def filled(engine_factory):
    """A real store with two units over three years (one unit missing 2021)."""
    s = Store(engine_factory(), clock=lambda: CLOCK)
    data = [
        ("某某局", 2021, "80.00", "良", "90.00"),
        ("某某局", 2022, "92.00", "优", "96.00"),
        ("某某局", 2023, "85.50", "良", "81.00"),
        ("另一局", 2022, "70.00", "中", "75.00"),
        ("另一局", 2023, "78.25", "中", "88.00"),
    ]
    for unit, year, total, grade, ex in data:
        ev = make_evaluation(name=unit, year=year, total=total, grade=grade, exec_rate=ex, pending=())
        s.record(RunRecord(uuid.uuid4().hex * 2, "f" * 64, "0.1.0", "ok", evaluation=ev.to_dict()))
    yield s
    s.close()


def test_history_and_compare_from_the_store(filled):
    rows, names = history(filled, unit="某某局")
    assert [(r.year, r.total, r.grade) for r in rows] == [
        (2021, Decimal("80.00"), "良"),
        (2022, Decimal("92.00"), "优"),
        (2023, Decimal("85.50"), "良"),
    ]
    assert names["budget_execution_rate"] == "预算执行率"
    assert rows[2].indicators["budget_execution_rate"] == Decimal("81.00")
    with pytest.raises(UsageError, match="没有单位“某局”"):
        history(filled, unit="某局")
    c = compare(filled, (2022, 2023))
    assert [(ch.unit, ch.delta) for ch in c.changes] == [
        ("另一局", Decimal("8.25")),
        ("某某局", Decimal("-6.50")),
    ]
    assert c.changes[1].flags == ["等级下降（优→良）", "总分下降6.50分", "预算执行率下降15.00个百分点"]


def test_history_and_compare_files(filled, tmp_path):
    rows, names = history(filled)
    write_history(tmp_path / "h.xlsx", "xlsx", rows, names)
    ws = openpyxl.load_workbook(tmp_path / "h.xlsx").worksheets[0]
    got = [r for r in ws.iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[1], Decimal(str(r[2]))) for r in got] == [(r.unit, r.year, r.total) for r in rows]
    write_history(tmp_path / "h.html", "html", rows, names)
    html = (tmp_path / "h.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 1 and "总分趋势" in html and "92.00" in html
    write_history(tmp_path / "one.html", "html", [r for r in rows if r.unit == "某某局"], names)
    assert (tmp_path / "one.html").read_text(encoding="utf-8").count("<svg") == 2  # score + indicators
    c = compare(filled, (2022, 2023))
    write_compare(tmp_path / "c.xlsx", "xlsx", c)
    wb = openpyxl.load_workbook(tmp_path / "c.xlsx")
    first = [r for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], Decimal(str(r[3]))) for r in first] == [
        ("另一局", Decimal("8.25")),
        ("某某局", Decimal("-6.50")),
    ]
    write_compare(tmp_path / "c.html", "html", c)
    assert "<svg" in (tmp_path / "c.html").read_text(encoding="utf-8")


def _db_url(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def test_cli_history_and_compare_sqlite(tmp_path):
    db = tmp_path / "j.db"
    s = Store.open(f"sqlite:///{db}", clock=lambda: CLOCK)
    for unit, year, total, grade in (("<b>局</b>", 2022, "90.00", "优"), ("<b>局</b>", 2023, "79.00", "中")):
        ev = make_evaluation(name=unit, year=year, total=total, grade=grade, pending=())
        s.record(RunRecord(uuid.uuid4().hex * 2, "f" * 64, "0.1.0", "ok", evaluation=ev.to_dict()))
    s.close()
    res = runner.invoke(app, ["history", "--db", str(db)])
    assert res.exit_code == 0 and "<b>局</b>" in res.output and "79.00" in res.output
    res = runner.invoke(app, ["history", "--db", f"sqlite:///{db}", "--format", "json"])
    doc = json.loads(res.output)
    assert doc["units"] == ["<b>局</b>"] and [r["total"] for r in doc["results"]] == ["90.00", "79.00"]
    res = runner.invoke(app, ["compare", "--years", "2022,2023", "--db", str(db)])
    assert res.exit_code == 0 and "-11.00" in res.output and "等级下降（优→良）" not in res.output
    assert "等级下降（优→中）" in res.output
    res = runner.invoke(
        app, ["compare", "--years", "2022,2023", "--db", str(db), "-o", str(tmp_path / "c.html")]
    )
    html = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert res.exit_code == 0 and "&lt;b&gt;局&lt;/b&gt;" in html and "<b>局</b>" not in html
    res = runner.invoke(app, ["compare", "--years", "2022", "--db", str(db)])
    assert res.exit_code == 2 and "两个" in res.output
    res = runner.invoke(app, ["history", "--db", str(tmp_path / "无.db")])
    assert res.exit_code == 2 and "数据库文件不存在" in res.output
    assert not (tmp_path / "无.db").exists()
    res = runner.invoke(app, ["history", "--db", str(db), "--format", "xlsx"])
    assert res.exit_code == 2 and "-o" in res.output


def test_cli_history_postgres(pg_engine_factory):
    s = Store(pg_engine_factory(), clock=lambda: CLOCK)
    ev = make_evaluation(name="库中单位", year=2023)
    s.record(RunRecord("e" * 64, "f" * 64, "0.1.0", "ok", evaluation=ev.to_dict()))
    with s.engine.connect() as conn:
        schema = conn.exec_driver_sql("select current_schema()").scalar()
    url = _db_url(s)
    s.close()
    # the CLI takes a URL; point it at the test schema through libpq's options parameter
    sep = "&" if "?" in url else "?"
    res = runner.invoke(
        app, ["history", "--db", f"{url}{sep}options=-csearch_path%3D{schema}", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["units"] == ["库中单位"]


def test_sort_by_an_indicator_and_the_unit_indicator_matrix(filled, tmp_path):
    c = compare(filled, (2022, 2023), sort_by="budget_execution_rate")
    # 某某局 96.00 → 81.00 (−15.00) moves more than 另一局 75.00 → 88.00 (+13.00)
    assert [(ch.unit, ch.indicator_deltas["budget_execution_rate"]) for ch in c.changes] == [
        ("某某局", Decimal("-15.00")),
        ("另一局", Decimal("13.00")),
    ]
    with pytest.raises(UsageError, match="不能按"):
        compare(filled, (2022, 2023), sort_by="没有这个指标")
    from jixiao.compare import indicator_matrix

    rows, names = history(filled, unit="某某局")
    headers, table = indicator_matrix(rows)
    assert headers == ["指标", "单位", "2021年", "2022年", "2023年"]
    by_name = {r[0]: r[2:] for r in table}
    assert by_name["预算执行率"] == [Decimal("90.00"), Decimal("96.00"), Decimal("81.00")]
    assert by_name["资产增长率"] == [None, None, None]  # not computable in any year
    write_history(tmp_path / "u.xlsx", "xlsx", rows, names)
    wb = openpyxl.load_workbook(tmp_path / "u.xlsx")
    assert wb.sheetnames == ["历年结果", "指标历年值"]
