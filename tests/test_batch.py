"""batch: real workbooks (the synthetic generator writes the real template), real processes,
a real SQLite store; every summary figure is checked against evaluate() run directly."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sqlite3
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

try:  # tests/ may or may not be a package
    from test_store import pg_engine_factory, pg_ok
except ModuleNotFoundError:  # pragma: no cover
    from tests.test_store import pg_engine_factory, pg_ok  # noqa: F401
from typer.testing import CliRunner

from jixiao.batch import discover, file_hash, folder_name
from jixiao.batch import runner as runner_mod
from jixiao.cli import app
from jixiao.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "make_departments", ROOT / "benchmarks" / "make_departments.py"
)
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    tables = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
    out = {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
    con.close()
    return out


def summary_rows(out: Path) -> list[dict]:
    ws = openpyxl.load_workbook(out / "汇总.xlsx").worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def expected_total(path: Path) -> tuple[str, int, Decimal | None, str | None]:
    """What evaluate() says about one workbook, computed here without the batch machinery."""
    from jixiao.evaluate import evaluate
    from jixiao.workbook import load

    lr = load(path)
    ev = evaluate(lr.department, issues=lr.issues)
    return lr.department.name, lr.department.year, ev.score.total, ev.score.grade


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    """6 good workbooks, 1 with a total that does not add up, 1 truncated, 1 random bytes,
    an Office lock file and a non-xlsx file (both ignored)."""
    d = tmp_path_factory.mktemp("inbox")
    for i in range(6):
        gen.write_one(d / ("sub" if i % 2 else "") / f"u{i}.xlsx", gen.department(i, 2023, seed=7))
    gen.write_one(d / "坏合计.xlsx", gen.department(20, 2023, seed=7), "total_mismatch")
    gen.write_one(d / "截断.xlsx", gen.department(21, 2023, seed=7), "truncated")
    (d / "坏文件.xlsx").write_bytes(bytes(range(256)) * 12)
    (d / "~$u0.xlsx").write_bytes(b"lock")
    (d / "说明.txt").write_text("不是工作簿", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def first_run(inbox, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "输出"
    res = run("batch", inbox, "-o", out, "--jobs", "2", "--format", "json")
    return out, res


def test_discover_skips_lock_files_hidden_and_out(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / ".hidden").mkdir()
    for p in ("x.xlsx", "a/y.XLSX", "~$x.xlsx", ".hidden/z.xlsx", "a/n.xls", "out/old.xlsx"):
        (tmp_path / p).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / p).write_bytes(b"PK")
    (tmp_path / "a" / "某局-2023").mkdir()
    (tmp_path / "a" / "某局-2023" / "附表.xlsx").write_bytes(b"PK")  # an earlier batch's output
    (tmp_path / "a" / "某局-2023" / ".jixiao-run.json").write_text("{}", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path, tmp_path / "out")]
    assert found == ["a/y.XLSX", "x.xlsx"]
    for bad_out in (tmp_path, tmp_path.parent):
        with pytest.raises(UsageError, match="不能是输入目录本身或它的上级目录"):
            discover(tmp_path, bad_out)


def test_batch_reports_every_file_and_isolates_failures(inbox, first_run):
    out, res = first_run
    assert res.exit_code == 1, res.output  # some inputs failed
    rows = summary_rows(out)
    by_file = {Path(r["文件"]).name: r for r in rows}
    assert set(by_file) == {
        "u0.xlsx",
        "u1.xlsx",
        "u2.xlsx",
        "u3.xlsx",
        "u4.xlsx",
        "u5.xlsx",
        "坏合计.xlsx",
        "截断.xlsx",
        "坏文件.xlsx",
    }
    assert by_file["坏文件.xlsx"]["状态"] == "无法读取" and by_file["坏文件.xlsx"]["说明"]
    assert by_file["截断.xlsx"]["状态"] == "无法读取"
    bad = by_file["坏合计.xlsx"]
    assert bad["状态"] == "数据有错误" and "整体支出合计" in bad["说明"] and bad["总分"] is None
    assert bad["单位名称"] == gen.unit_name(20)
    # every good workbook: the figures evaluate() gives, ranked by total
    good = [r for r in rows if r["状态"] == "完成"]
    assert len(good) == 6
    for r in good:
        name, year, total, grade = expected_total(inbox / r["文件"])
        assert (r["单位名称"], r["年度"]) == (name, year)
        assert Decimal(str(r["总分"])) == total
        assert r["等级"] == (grade or r["等级"]) and r["等级"]
        assert r["输出目录"] == folder_name(name, year)
        assert (
            sorted(p.name for p in (out / r["输出目录"]).iterdir() if not p.name.startswith("."))
            == [f"{name}{year}年度部门整体支出绩效自评评价结果.json"]
            or len(list((out / r["输出目录"]).glob("*.json"))) == 1
        )
    ranked = [r for r in good if r["排名"] is not None]
    assert ranked == [r for r in good if r["待评项"] == 0] and ranked == good[: len(ranked)]  # ranked first
    totals = sorted((Decimal(str(r["总分"])) for r in ranked), reverse=True)
    assert [Decimal(str(r["总分"])) for r in ranked] == totals  # best first
    for i, r in enumerate(ranked):
        assert r["排名"] == 1 + sum(1 for o in ranked if Decimal(str(o["总分"])) > Decimal(str(r["总分"])))
        assert i == 0 or r["排名"] >= ranked[i - 1]["排名"]
    assert "~$u0.xlsx" not in by_file and "说明.txt" not in by_file
    # the html lists every unit, escaped, with the grade chart inline
    html = (out / "汇总.html").read_text(encoding="utf-8")
    assert "<svg" in html and all(r["单位名称"] in html for r in good) and "坏文件.xlsx" in html
    # the average complete total per year, computed here from the rows
    full = [Decimal(str(r["总分"])) for r in good if r["待评项"] == 0]
    if full:
        from jixiao.money import fmt_amount, q2

        assert f"平均总分 {fmt_amount(q2(sum(full) / len(full)))} 分（{len(full)} 个评分完整的单位）" in html
    # each evaluated unit links to its own output, and the link resolves to a file in OUT
    import re
    from urllib.parse import unquote

    hrefs = re.findall(r'<a href="([^"]+)">', html)
    assert len(hrefs) == 6 and all((out / unquote(h)).is_file() for h in hrefs)


def test_store_has_every_run_and_rerun_adds_nothing(inbox, first_run):
    out, _ = first_run
    db = out / "jixiao.db"
    before = counts(db)
    assert before["runs"] == 9 and before["units"] == 7 and before["schema_version"] >= 2
    assert before["indicators"] > 6 * 10 and before["score_items"] > 0 and before["issues"] >= 3
    summary_before = summary_rows(out)
    res = run("batch", inbox, "-o", out, "--jobs", "2", "--format", "json")
    assert res.exit_code == 1
    assert counts(db) == before
    again = summary_rows(out)
    assert [(r["文件"], r["总分"], r["排名"]) for r in again] == [
        (r["文件"], r["总分"], r["排名"]) for r in summary_before
    ]
    assert {r["状态"] for r in again if r["总分"] is not None} == {"未变化（已跳过）"}
    res = run("batch", inbox, "-o", out, "--jobs", "1", "--format", "json", "--force")
    assert counts(db) == before


def test_history_lists_units_from_the_batch_store(first_run):
    out, _ = first_run
    res = run("history", "--db", f"sqlite:///{out / 'jixiao.db'}")
    assert res.exit_code == 0
    for i in range(6):
        assert gen.unit_name(i) in res.output
    assert gen.unit_name(20) not in res.output  # its workbook had errors: no result to show


def test_same_unit_and_year_twice_is_a_reported_conflict(tmp_path):
    src = tmp_path / "in"
    a = gen.department(3, 2023, seed=1)
    b = gen.department(3, 2023, seed=2)  # different figures, same unit name and year
    gen.write_one(src / "a.xlsx", a)
    gen.write_one(src / "b.xlsx", b)
    shutil.copy(src / "a.xlsx", src / "a-副本.xlsx")  # identical bytes: processed once
    out = tmp_path / "out"
    res = run("batch", src, "-o", out, "--jobs", "1", "--format", "json", "-q")
    assert res.exit_code == 1
    rows = {r["文件"]: r for r in summary_rows(out)}
    # files are taken in name order: 'a-副本.xlsx' sorts before 'a.xlsx', so 'a.xlsx' is the duplicate
    assert rows["a.xlsx"]["状态"] == "重复文件" and "a-副本.xlsx" in rows["a.xlsx"]["说明"]
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    base = folder_name(gen.unit_name(3), 2023)
    assert folders == [base, f"{base}（2）"]
    assert {rows["a-副本.xlsx"]["状态"], rows["b.xlsx"]["状态"]} == {"完成", "单位名称和年度重复"}
    markers = {
        json.loads((out / f / ".jixiao-run.json").read_text(encoding="utf-8"))["input"] for f in folders
    }
    assert markers == {"a-副本.xlsx", "b.xlsx"}
    assert counts(out / "jixiao.db")["runs"] == 2


def test_corrected_workbook_replaces_its_folder_and_adds_a_run(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    gen.write_one(src / "a.xlsx", gen.department(4, 2023, seed=1))
    assert run("batch", src, "-o", out, "--jobs", "1", "--format", "json", "-q").exit_code == 0
    first = file_hash(src / "a.xlsx")
    gen.write_one(src / "a.xlsx", gen.department(4, 2023, seed=9))  # the unit sends a corrected file
    assert run("batch", src, "-o", out, "--jobs", "1", "--format", "json", "-q").exit_code == 0
    folders = [p for p in out.iterdir() if p.is_dir()]
    assert len(folders) == 1
    marker = json.loads((folders[0] / ".jixiao-run.json").read_text(encoding="utf-8"))
    assert marker["input_hash"] == file_hash(src / "a.xlsx") != first
    c = counts(out / "jixiao.db")
    assert c["runs"] == 2 and c["units"] == 1


def test_hostile_unit_names_stay_inside_out_and_never_start_a_formula(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    # (a name typed as '=…' is a formula to Excel and is refused by the reader; '@', '+', '-' are text)
    names = [
        "../../逃逸单位",
        "@SUM(1+1)局",
        "<script>alert(1)</script>局",
        "CON",
        "-HYPERLINK(1)局",
        "+国资局",
    ]
    for i, n in enumerate(names):
        d = gen.department(i, 2023, seed=3)
        d["基本信息"]["单位名称"] = n
        gen.write_one(src / f"{i}.xlsx", d)
    res = run("batch", src, "-o", out, "--jobs", "2", "--format", "json", "-q")
    assert res.exit_code == 0, res.output
    dirs = [p for p in out.iterdir() if p.is_dir()]
    assert len(dirs) == len(names) and all(p.parent == out for p in dirs)
    assert not (tmp_path / "逃逸单位-2023").exists()
    ws = openpyxl.load_workbook(out / "汇总.xlsx").worksheets[0]
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if isinstance(c.value, str):
                assert not c.value.startswith(("=", "+", "-", "@")), c.value
            assert c.data_type != "f"
    html = (out / "汇总.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;局" in html


@given(st.text(max_size=120), st.one_of(st.none(), st.integers(1990, 2100)))
def test_folder_name_is_one_safe_component(name, year):
    f = folder_name(name, year)
    assert f and "/" not in f and "\\" not in f and f not in (".", "..") and not f.startswith(".")
    assert not any(ch in f for ch in '<>:"|?*') and all(ord(ch) >= 32 for ch in f)
    assert f.endswith(f"-{year}" if year is not None else "-年度不详")
    assert len(f) <= 90


def test_bad_framework_and_format_are_usage_errors(inbox, tmp_path):
    res = run("batch", inbox, "-o", tmp_path / "o", "--framework", "没有这个框架")
    assert res.exit_code == 2 and "找不到评分框架" in res.output
    res = run("batch", inbox, "-o", tmp_path / "o", "--format", "pdf")
    assert res.exit_code == 2 and "不支持的输出格式" in res.output
    assert not (tmp_path / "o").exists()  # nothing written on a usage error
    res = run("batch", tmp_path / "不存在", "-o", tmp_path / "o")
    assert res.exit_code == 2 and "输入目录不存在" in res.output
    (tmp_path / "空目录").mkdir()
    (tmp_path / "空目录" / "旧格式.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    res = run("batch", tmp_path / "空目录", "-o", tmp_path / "o2")
    assert res.exit_code == 2 and "没有找到基础数据表" in res.output and not (tmp_path / "o2").exists()


_real_process_one = runner_mod.process_one


def _dies_on_boom(job):
    """Fault injection: the worker process dies outright (as on out-of-memory) on one file."""
    if "boom" in job.path:
        os._exit(9)
    return _real_process_one(job)


@pytest.mark.skipif(sys.platform != "linux", reason="fault injection relies on fork")
def test_a_worker_that_dies_costs_only_its_own_file(tmp_path, monkeypatch):
    src, out = tmp_path / "in", tmp_path / "out"
    for i in range(5):
        gen.write_one(src / f"u{i}.xlsx", gen.department(40 + i, 2023, seed=4))
    gen.write_one(src / "boom.xlsx", gen.department(50, 2023, seed=4))
    monkeypatch.setattr(runner_mod, "process_one", _dies_on_boom)
    res = run("batch", src, "-o", out, "--jobs", "2", "--format", "json", "-q")
    assert res.exit_code == 1
    rows = {r["文件"]: r for r in summary_rows(out)}
    assert rows["boom.xlsx"]["状态"] == "处理失败" and "进程异常退出" in rows["boom.xlsx"]["说明"]
    assert all(rows[f"u{i}.xlsx"]["状态"] == "完成" for i in range(5))


def test_batch_into_postgres_is_idempotent_too(inbox, tmp_path, pg_engine_factory):
    """The same batch into a real PostgreSQL server (a fresh schema): same rows, re-run adds none."""
    from jixiao.store import Store

    eng = pg_engine_factory()
    with eng.connect() as conn:
        schema = conn.exec_driver_sql("select current_schema()").scalar()
    url = eng.url.render_as_string(hide_password=False) + f"?options=-csearch_path%3D{schema}"
    out = tmp_path / "out"
    res = run("batch", inbox, "-o", out, "--jobs", "2", "--format", "json", "--db", url, "-q")
    assert res.exit_code == 1
    assert not (out / "jixiao.db").exists()
    s = Store(eng)
    before = s.counts()
    assert before["runs"] == 9 and before["units"] == 7
    assert {r["unit"] for r in s.latest_runs()} == {gen.unit_name(i) for i in range(6)}
    res = run("batch", inbox, "-o", out, "--jobs", "2", "--format", "json", "--db", url, "-q")
    assert s.counts() == before
    res = run("history", "--db", url, "--format", "json")
    assert sorted(json.loads(res.output)["units"]) == sorted(gen.unit_name(i) for i in range(6))


def test_example_through_batch_matches_the_reference_report(example_path, tmp_path):
    """The bundled example in a batch: the summary's key indicators are the published figures
    (长沙市科学技术局 2023: 预算执行率 92.33% … as the reference report states them)."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(example_path, src / "example.xlsx")
    out = tmp_path / "out"
    res = run("batch", src, "-o", out, "--jobs", "1", "--format", "json", "-q")
    assert res.exit_code == 0, res.output
    [row] = summary_rows(out)
    published = {
        "预算执行率（%）": "92.33",
        "预算调整率（%）": "12.63",
        "部门项目资金使用率（%）": "78.59",
        "公共项目资金执行率（%）": "68.77",
        "“三公”经费控制率（%）": "23.98",
        "公用经费控制率（%）": "99.50",
    }
    assert {k: Decimal(str(row[k])) for k in published} == {k: Decimal(v) for k, v in published.items()}
    assert row["单位名称"] == "长沙市科学技术局" and row["年度"] == 2023
    from jixiao.store import Store

    with Store.open(f"sqlite:///{out / 'jixiao.db'}") as s:
        [run_row] = s.latest_runs()
        inds = s.indicators([run_row["id"]])[run_row["id"]]
    assert inds["staff_control_rate"]["value"] == Decimal("86.76")
    assert inds["three_public_budget_change_rate"]["value"] == Decimal("-21.84")
    assert inds["asset_growth_rate"]["value"] == Decimal("414.49")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["90.00", "85.50", "85.50", "70.00", None]),
            st.sampled_from([0, 0, 3]),
            st.sampled_from([2022, 2023]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_ranks_are_competition_ranks_within_a_year(specs):
    from jixiao.batch.summary import SummaryRow, _rank

    rows = [
        SummaryRow(
            file=f"{i}.xlsx",
            status="ok",
            unit=f"单位{i}",
            year=y,
            pending=p,
            total=None if t is None else Decimal(t),
        )
        for i, (t, p, y) in enumerate(specs)
    ]
    _rank(rows)
    for r in rows:
        if r.total is None or r.pending:
            assert r.rank is None
        else:  # 1 + the number of complete totals of the same year strictly higher
            assert r.rank == 1 + sum(
                1
                for o in rows
                if o.year == r.year and o.total is not None and not o.pending and o.total > r.total
            )


def test_one_or_two_processes_give_the_same_summary(inbox, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    run("batch", inbox, "-o", a, "--jobs", "1", "--format", "json", "-q")
    run("batch", inbox, "-o", b, "--jobs", "2", "--format", "json", "-q")
    assert summary_rows(a) == summary_rows(b)
    ja = sorted(a.glob("*/*.json"))
    assert [p.relative_to(a) for p in ja] == [p.relative_to(b) for p in sorted(b.glob("*/*.json"))]
    assert all(p.read_bytes() == (b / p.relative_to(a)).read_bytes() for p in ja)


def test_generated_workbooks_are_valid_unless_broken_on_purpose(tmp_path):
    """The benchmark's synthetic workbooks are real: they load clean, and each deliberate error
    is the error the checks report."""
    from jixiao.errors import InputError
    from jixiao.issues import flatten
    from jixiao.workbook import load

    for i in range(8):
        p = gen.write_one(tmp_path / f"ok{i}.xlsx", gen.department(100 + i, 2022 + i % 2, seed=i))
        lr = load(p)
        assert lr.valid, flatten([x for x in lr.issues if x.severity == "error"], ("code", "sheet", "cell"))
    expected = {
        "total_mismatch": "E-SPENDING-TOTAL",
        "missing_name": "E-INFO-MISSING",
        "text_amount": "E-CELL-NOT-NUMBER",
    }
    for kind, code in expected.items():
        lr = load(gen.write_one(tmp_path / f"{kind}.xlsx", gen.department(1, 2023, seed=1), kind))
        assert code in {x.code for x in lr.issues if x.severity == "error"}, kind
    with pytest.raises(InputError):
        load(gen.write_one(tmp_path / "t.xlsx", gen.department(1, 2023, seed=1), "truncated"))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_workers_placing_outputs_never_share_a_folder(tmp_path, jobs):
    """Workers choose output folders themselves: three workbooks of one unit and year, processed
    by two workers at once, still get three folders, and the one in the plain folder is 'first'.
    A claim left by an interrupted batch does not push anyone aside."""
    src, out = tmp_path / "in", tmp_path / "out"
    for i in range(3):
        gen.write_one(src / f"c{i}.xlsx", gen.department(7, 2023, seed=i + 1))
    for i in range(3):
        gen.write_one(src / f"u{i}.xlsx", gen.department(60 + i, 2023, seed=4))
    base = folder_name(gen.unit_name(7), 2023)
    stale = out / runner_mod.WORK_DIR / "claims"
    stale.mkdir(parents=True)
    (stale / base).write_text("")
    res = run("batch", src, "-o", out, "--jobs", jobs, "--format", "json", "-q")
    assert res.exit_code == 1
    rows = {r["文件"]: r for r in summary_rows(out)}
    folders = sorted(p.name for p in out.iterdir() if p.is_dir() and p.name.startswith(base))
    assert folders == [base, f"{base}（2）", f"{base}（3）"]
    owners = {
        json.loads((out / f / ".jixiao-run.json").read_text(encoding="utf-8"))["input"]: f for f in folders
    }
    assert sorted(owners) == ["c0.xlsx", "c1.xlsx", "c2.xlsx"]
    first = {f: k for k, f in owners.items()}[base]
    assert rows[first]["状态"] == "完成"
    assert sorted(rows[f"c{i}.xlsx"]["状态"] for i in range(3)) == ["单位名称和年度重复"] * 2 + ["完成"]
    assert all(rows[f"u{i}.xlsx"]["状态"] == "完成" for i in range(3))
    assert not (out / runner_mod.WORK_DIR).exists()
    assert counts(out / "jixiao.db")["runs"] == 6
    # a re-run adds no rows and keeps every folder
    before = counts(out / "jixiao.db")
    assert run("batch", src, "-o", out, "--jobs", jobs, "--format", "json", "-q").exit_code == 1
    assert counts(out / "jixiao.db") == before
    assert sorted(p.name for p in out.iterdir() if p.is_dir() and p.name.startswith(base)) == folders
