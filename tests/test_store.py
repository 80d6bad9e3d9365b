"""store: the same tables on SQLite and a real PostgreSQL; exact decimals; idempotent runs;
migrations as an ordered registry. No mocks: every test talks to a real database."""

from __future__ import annotations

import os
import sqlite3
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

try:  # tests/ may or may not be a package
    from conftest import need
except ModuleNotFoundError:  # pragma: no cover
    from tests.conftest import need
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.errors import UsageError
from jixiao.issues import Issue, Location
from jixiao.model import Department
from jixiao.results import Evaluation, Finding, Indicator, ProjectScore, Score, ScoreItem
from jixiao.store import RunRecord, Store, latest_version, make_engine, upgrade
from jixiao.store import schema as S

PG_URL = os.environ.get("JIXIAO_TEST_PG_URL", "postgresql+psycopg://jixiao:jixiao@127.0.0.1:5432/jixiao_test")
CLOCK = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def _pg_available() -> bool:
    try:
        eng = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with eng.connect() as c:
            c.execute(sa.text("select 1"))
        eng.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "no server here"
        return False


@pytest.fixture(scope="session")
def pg_ok() -> bool:
    return _pg_available()


@pytest.fixture
def pg_engine_factory(pg_ok):
    """Engines bound to a fresh PostgreSQL schema, dropped afterwards (isolation under xdist)."""
    need(pg_ok, f"PostgreSQL not reachable at {PG_URL}")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(PG_URL)
    with admin.begin() as c:
        c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    made = []

    def factory():
        eng = make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
        made.append(eng)
        return eng

    yield factory
    for e in made:
        e.dispose()
    with admin.begin() as c:
        c.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_factory(request, tmp_path):
    if request.param == "sqlite":
        made = []

        def factory():
            eng = make_engine(f"sqlite:///{tmp_path / 'j.db'}")
            made.append(eng)
            return eng

        yield factory
        for e in made:
            e.dispose()
    else:
        yield request.getfixturevalue("pg_engine_factory")


@pytest.fixture
def store(engine_factory):
    s = Store(engine_factory(), clock=lambda: CLOCK)
    yield s
    s.close()


def make_evaluation(
    name="某某局",
    year=2023,
    total="86.50",
    grade="良",
    exec_rate="92.33",
    weight="8.3333",
    pending=("重点工作完成情况",),
) -> Evaluation:
    """A hand-built Evaluation (the store must not depend on the evaluator)."""
    inds = {
        "budget_execution_rate": Indicator(
            "budget_execution_rate", "预算执行率", Decimal(exec_rate), "%", "（决算/全年预算）×100%"
        ),
        "staff_control_rate": Indicator(
            "staff_control_rate",
            "在职人员控制率",
            Decimal("86.76"),
            "%",
            "（在职人员数59人/编制数68人）×100%=86.76%",
        ),
        "asset_growth_rate": Indicator(
            "asset_growth_rate", "资产增长率", None, "%", "", computable=False, reason="上年末资产总额为0"
        ),
    }
    items = [
        ScoreItem(
            "I1",
            "运行成本",
            "预算执行",
            "预算执行率",
            Decimal(weight),
            Decimal("7.50"),
            rule="proportional",
            source="budget_execution_rate",
        ),
        ScoreItem(
            "I2",
            "履职效能",
            "重点工作",
            "重点工作完成情况",
            Decimal("10"),
            None,
            rule="qualitative",
            source="manual",
            status="pending",
        ),
    ]
    score = Score("六维度框架", "six", items, Decimal(total), Decimal("100"), grade, pending=list(pending))
    pscore = Score(
        "项目支出绩效自评表",
        "project",
        [ScoreItem("P1", "预算执行率", "", "预算执行率", Decimal("10"), Decimal("6.88"))],
        Decimal("6.88"),
        Decimal("10"),
        "差",
    )
    return Evaluation(
        department=Department(name=name, year=year, supervisor="市政府"),
        indicators=inds,
        project_indicators=[
            Indicator(
                "project_execution_rate", "项目执行率", Decimal("68.77"), "%", "", subject="科技重大专项"
            )
        ],
        score=score,
        project_scores=[ProjectScore("科技重大专项", "public", pscore)],
        findings=[
            Finding(
                "low_execution",
                "high",
                "科技重大专项",
                "执行率偏低。",
                {"执行率": Decimal("68.77"), "全年预算": Decimal("19550.00")},
            )
        ],
        issues=[Issue("W-TEST", "warning", "某单元格为空", Location(sheet="基本信息", cell="B3"))],
    )


def record(store, ev: Evaluation | None, h="a" * 64, **kw) -> tuple[int, bool]:
    rec = RunRecord(
        input_hash=h,
        framework_hash="f" * 64,
        tool_version="0.1.0",
        status=kw.pop("status", "ok"),
        input_name=kw.pop("input_name", "x.xlsx"),
        evaluation=ev.to_dict() if ev is not None else None,
        **kw,
    )
    return store.record(rec)


def test_migrations_create_all_tables_and_version(store):
    assert store.schema_version() == latest_version() >= 2
    names = set(sa.inspect(store.engine).get_table_names())
    assert {
        "schema_version",
        "units",
        "runs",
        "indicators",
        "scores",
        "score_items",
        "findings",
        "issues",
    } <= names
    with store.engine.connect() as c:
        rows = c.execute(sa.select(S.schema_version).order_by(S.schema_version.c.version)).all()
    assert [r.version for r in rows] == list(range(1, latest_version() + 1))
    ix = {i["name"] for i in sa.inspect(store.engine).get_indexes("runs")}
    assert "ix_runs_unit_year" in ix


def test_record_roundtrip_exact_decimals(store):
    run_id, created = record(store, make_evaluation(), supervisor="市政府")
    assert created
    [run] = store.runs([run_id])
    assert run["unit"] == "某某局" and run["year"] == 2023 and run["supervisor"] == "市政府"
    assert run["total"] == Decimal("86.50") and isinstance(run["total"], Decimal)
    assert str(run["total"]) == "86.50" and run["grade"] == "良" and run["pending"] == 1
    assert run["findings_count"] == 1 and run["warnings"] == 1 and run["errors"] == 0
    assert run["framework_id"] == "six" and run["created_at"].replace(tzinfo=UTC) == CLOCK
    inds = store.indicators([run_id])[run_id]
    assert inds["budget_execution_rate"]["value"] == Decimal("92.33")
    assert inds["asset_growth_rate"]["value"] is None and not inds["asset_growth_rate"]["computable"]
    assert inds["asset_growth_rate"]["reason"] == "上年末资产总额为0"
    allinds = store.indicators([run_id], department_only=False)[run_id]
    assert allinds["project_execution_rate:科技重大专项"]["value"] == Decimal("68.77")
    assert "project_execution_rate" not in inds
    items = store.score_items(run_id)
    assert [i["item_id"] for i in items] == ["I1", "I2"]
    assert items[0]["weight"] == Decimal("8.3333") and items[1]["score"] is None
    assert items[1]["status"] == "pending"
    assert [i["item_id"] for i in store.score_items(run_id, "project")] == ["P1"]
    [f] = store.findings(run_id)
    assert f["evidence"] == {"执行率": "68.77", "全年预算": "19550.00"}
    [i] = store.issues(run_id)
    assert (i["code"], i["sheet"], i["cell"]) == ("W-TEST", "基本信息", "B3")


def test_same_run_twice_adds_no_rows(store):
    ev = make_evaluation()
    first, c1 = record(store, ev)
    before = store.counts()
    second, c2 = record(store, ev)
    assert c1 and not c2 and second == first
    assert store.counts() == before
    # another input for the same unit is a new run of the same unit (one units row)
    third, c3 = record(store, make_evaluation(year=2024), h="b" * 64)
    assert c3 and third != first
    assert store.counts()["units"] == 1 and store.counts()["runs"] == 2


def test_failed_input_is_recorded_without_unit(store):
    rid, _ = record(
        store,
        None,
        h="c" * 64,
        status="unreadable",
        input_name="坏文件.xlsx",
        reason="不是有效的 xlsx 文件",
        issues=[
            {
                "code": "E-READ",
                "severity": "error",
                "message": "无法读取",
                "location": {"file": "坏文件.xlsx"},
            }
        ],
    )
    [run] = store.runs([rid])
    assert run["status"] == "unreadable" and run["unit"] is None and run["errors"] == 1
    assert store.issues(rid)[0]["file"] == "坏文件.xlsx"
    assert store.latest_runs() == []


def test_latest_runs_newest_per_unit_year(store):
    r1, _ = record(store, make_evaluation(total="70.00", grade="中"), h="1" * 64)
    r2, _ = record(store, make_evaluation(total="80.00", grade="良"), h="2" * 64)  # corrected workbook
    r3, _ = record(store, make_evaluation(year=2022, total="75.00", grade="中"), h="3" * 64)
    r4, _ = record(store, make_evaluation(name="另一局", total="91.00", grade="优"), h="4" * 64)
    rows = store.latest_runs()
    assert [(r["unit"], r["year"], r["id"]) for r in rows] == [
        ("另一局", 2023, r4),
        ("某某局", 2022, r3),
        ("某某局", 2023, r2),
    ]
    assert [r["id"] for r in store.latest_runs(unit="某某局", years=[2023])] == [r2]
    assert r1 not in {r["id"] for r in rows}
    assert store.unit_names() == sorted(["另一局", "某某局"])


def test_float_is_refused(store):
    ev = make_evaluation().to_dict()
    ev["score"]["total"] = 86.5  # a float sneaking in must not be stored
    with pytest.raises(sa.exc.StatementError):
        store.record(RunRecord("d" * 64, "f" * 64, "0.1.0", "ok", evaluation=ev))
    assert store.counts()["runs"] == 0  # the transaction rolled back


def test_reopen_is_idempotent(engine_factory):
    s1 = Store(engine_factory(), clock=lambda: CLOCK)
    record(s1, make_evaluation())
    counts = s1.counts()
    s1.close()
    s2 = Store(engine_factory(), clock=lambda: CLOCK)
    assert s2.counts() == counts and s2.schema_version() == latest_version()
    s2.close()


def test_upgrade_from_version_1(engine_factory):
    eng = engine_factory()
    assert upgrade(eng, lambda: CLOCK, target=1) == [1]
    assert "ix_runs_unit_year" not in {i["name"] for i in sa.inspect(eng).get_indexes("runs")}
    assert upgrade(eng, lambda: CLOCK) == list(range(2, latest_version() + 1))
    assert "ix_runs_unit_year" in {i["name"] for i in sa.inspect(eng).get_indexes("runs")}
    assert upgrade(eng, lambda: CLOCK) == []


def test_newer_database_is_refused(engine_factory):
    eng = engine_factory()
    upgrade(eng, lambda: CLOCK)
    with eng.begin() as c:
        c.execute(
            S.schema_version.insert().values(version=latest_version() + 1, name="future", applied_at=CLOCK)
        )
    with pytest.raises(UsageError, match="高于本程序支持"):
        Store(eng)


def test_sqlite_stores_integers_not_floats(tmp_path):
    db = tmp_path / "j.db"
    s = Store.open(f"sqlite:///{db}", clock=lambda: CLOCK)
    record(s, make_evaluation())
    s.close()
    con = sqlite3.connect(db)
    kinds = {r[0] for r in con.execute("select typeof(value) from indicators")}
    assert kinds <= {"integer", "null"} and "integer" in kinds
    assert con.execute("select value from indicators where indicator_id='staff_control_rate'").fetchone() == (
        867600,
    )
    assert con.execute("pragma journal_mode").fetchone()[0] == "wal"
    con.close()


def test_postgres_columns_are_numeric(pg_engine_factory):
    s = Store(pg_engine_factory(), clock=lambda: CLOCK)
    cols = {c["name"]: c["type"] for c in sa.inspect(s.engine).get_columns("runs")}
    assert isinstance(cols["total"], sa.Numeric) and not isinstance(cols["total"], sa.Float)
    record(s, make_evaluation())
    with s.engine.connect() as c:
        raw = c.execute(
            sa.text("select value from indicators where indicator_id='staff_control_rate'")
        ).scalar()
    assert raw == Decimal("86.7600")
    s.close()


def test_bad_url_is_a_usage_error():
    with pytest.raises(UsageError, match="无法识别的数据库地址"):
        make_engine("not a url")
    with pytest.raises(UsageError, match="不支持的数据库类型"):
        make_engine("mysql://x@y/z")


_decimals = st.decimals(
    min_value=Decimal("-99999999.9999"),
    max_value=Decimal("99999999.9999"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(vals=st.lists(_decimals, min_size=1, max_size=5))
def test_decimals_survive_the_store(store, vals):
    """Any value with ≤ 4 places comes back equal (and as Decimal), on both databases."""
    ev = make_evaluation().to_dict()
    ev["indicators"] = {f"k{i}": {"name": f"k{i}", "value": str(v), "unit": "%"} for i, v in enumerate(vals)}
    h = uuid.uuid4().hex + uuid.uuid4().hex
    rid, _ = store.record(RunRecord(h, "f" * 64, "0.1.0", "ok", evaluation=ev))
    got = store.indicators([rid])[rid]
    assert [got[f"k{i}"]["value"] for i in range(len(vals))] == vals


def _writer(url: str, hashes: list[str], results) -> None:
    """A separate process recording runs (and opening/migrating the database) at the same time."""
    try:
        s = Store.open(url)
        for h in hashes:
            ev = make_evaluation(name=f"并发单位{int(h, 16) % 5}", year=2023).to_dict()
            s.record(RunRecord(h, "f" * 64, "0.1.0", "ok", evaluation=ev))
        s.close()
        results.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.put(repr(exc))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_writers_on_a_fresh_database(backend, tmp_path, request):
    """Two processes open the same new database (both migrate) and record overlapping runs at
    once: no error, every run exactly once, every unit exactly once."""
    import multiprocessing as mp

    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'shared.db'}"
    else:
        eng = request.getfixturevalue("pg_engine_factory")()
        with eng.connect() as conn:
            schema = conn.exec_driver_sql("select current_schema()").scalar()
        url = eng.url.render_as_string(hide_password=False) + f"?options=-csearch_path%3D{schema}"
    hashes = [f"{i:064x}" for i in range(30)]
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(url, part, results)) for part in (hashes[:20], hashes[10:])]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert outcomes == ["ok", "ok"]
    s = Store.open(url)
    c = s.counts()
    s.close()
    assert c["runs"] == 30 and c["units"] == 5 and c["schema_version"] == latest_version()


def test_unreachable_server_is_a_clear_input_error():
    from jixiao.errors import InputError

    with pytest.raises(InputError, match="无法打开数据库") as ei:
        Store.open("postgresql+psycopg://jixiao:secret@127.0.0.1:1/nothing?connect_timeout=2")
    assert "secret" not in ei.value.message and "请检查数据库地址" in ei.value.hint
