"""The history store: one object over an SQLAlchemy engine (SQLite file or PostgreSQL URL).

Batch workers write concurrently; every run is written in one transaction and identified
by (input hash, framework hash, tool version), so recording the same run twice adds no rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from ..errors import InputError
from . import migrate
from . import schema as S
from .engine import make_engine, write_conn


def utcnow() -> datetime:
    return datetime.now(UTC)


def sqlite_url(path: str | Path) -> str:
    return "sqlite:///" + str(Path(path).resolve())


@dataclass
class RunRecord:
    """What one batch item produced, ready to store. ``evaluation`` is ``Evaluation.to_dict()``."""

    input_hash: str
    framework_hash: str
    tool_version: str
    status: str  # ok | data_error | unreadable | failed
    input_name: str = ""
    framework_id: str = ""
    framework_name: str = ""
    reason: str = ""
    unit: str = ""  # unit name when known (data_error runs have one too)
    year: int | None = None
    supervisor: str = ""
    evaluation: dict | None = None
    issues: list[dict] = field(default_factory=list)  # used when evaluation is None


class Store:
    def __init__(
        self, engine: sa.Engine, *, clock: Callable[[], datetime] = utcnow, migrate_now: bool = True
    ):
        self.engine = engine
        self.clock = clock
        if migrate_now:
            try:
                migrate.upgrade(engine, clock)
            except OperationalError as exc:
                raise InputError(
                    f"无法打开数据库 {engine.url.render_as_string(hide_password=True)}："
                    f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}",
                    "请检查数据库地址、用户名和密码，以及数据库服务是否已启动；"
                    "SQLite 文件请检查所在目录是否可写。",
                ) from exc

    @classmethod
    def open(cls, url: str, *, clock: Callable[[], datetime] = utcnow) -> Store:
        return cls(make_engine(url), clock=clock)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- reading -------------------------------------------------------------------------------
    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return migrate.current_version(conn)

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in (S.schema_version, *S.DATA_TABLES)
            }

    def find_run(self, input_hash: str, framework_hash: str, tool_version: str) -> dict | None:
        with self.engine.connect() as conn:
            return self._find(conn, input_hash, framework_hash, tool_version)

    def find_runs(
        self, input_hashes: Iterable[str], framework_hash: str, tool_version: str
    ) -> dict[str, dict]:
        """``find_run`` for many inputs in a few queries: input hash → stored run."""
        out: dict[str, dict] = {}
        with self.engine.connect() as conn:
            for part in _chunks(list(input_hashes)):
                q = (
                    self._runs_query()
                    .where(
                        S.runs.c.input_hash.in_(part),
                        S.runs.c.framework_hash == framework_hash,
                        S.runs.c.tool_version == tool_version,
                    )
                    .order_by(S.runs.c.id)
                )
                for row in conn.execute(q).mappings():
                    out.setdefault(row["input_hash"], dict(row))
        return out

    def _find(self, conn, input_hash, framework_hash, tool_version) -> dict | None:
        q = self._runs_query().where(
            S.runs.c.input_hash == input_hash,
            S.runs.c.framework_hash == framework_hash,
            S.runs.c.tool_version == tool_version,
        )
        row = conn.execute(q).mappings().first()
        return dict(row) if row else None

    @staticmethod
    def _runs_query():
        return sa.select(S.runs, S.units.c.name.label("unit"), S.units.c.supervisor).select_from(
            S.runs.outerjoin(S.units, S.runs.c.unit_id == S.units.c.id)
        )

    def runs(self, ids: Iterable[int] | None = None, *, status: str | None = None) -> list[dict]:
        q = self._runs_query().order_by(S.runs.c.id)
        if status is not None:
            q = q.where(S.runs.c.status == status)
        with self.engine.connect() as conn:
            if ids is None:
                return [dict(r) for r in conn.execute(q).mappings()]
            out = []
            for part in _chunks(list(ids)):
                out += [dict(r) for r in conn.execute(q.where(S.runs.c.id.in_(part))).mappings()]
            return sorted(out, key=lambda r: r["id"])

    def latest_runs(
        self, *, unit: str | None = None, years: Iterable[int] | None = None, framework_id: str | None = None
    ) -> list[dict]:
        """The newest successful run per (unit, year), ordered by unit name then year."""
        r = S.runs
        newest = sa.select(sa.func.max(r.c.id).label("id")).where(
            r.c.status == "ok", r.c.unit_id.is_not(None), r.c.year.is_not(None)
        )
        if framework_id:
            newest = newest.where(r.c.framework_id == framework_id)
        newest = newest.group_by(r.c.unit_id, r.c.year).subquery()
        q = self._runs_query().where(r.c.id.in_(sa.select(newest.c.id)))
        if unit:
            q = q.where(S.units.c.name == unit)
        if years is not None:
            q = q.where(r.c.year.in_(list(years)))
        q = q.order_by(S.units.c.name, r.c.year)
        with self.engine.connect() as conn:
            return [dict(x) for x in conn.execute(q).mappings()]

    def unit_names(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(S.units.c.name).order_by(S.units.c.name)).scalars())

    def indicators(
        self, run_ids: Iterable[int], *, department_only: bool = True, only: Iterable[str] | None = None
    ) -> dict[int, dict[str, dict]]:
        """run id → indicator id → row (value as Decimal or None). With ``department_only=False``
        per-project rows are included, keyed 'indicator_id:subject'; ``only`` limits the indicator ids."""
        wanted = list(only) if only is not None else None
        ids = list(run_ids)
        out: dict[int, dict[str, dict]] = {i: {} for i in ids}
        if not ids:
            return out
        t = S.indicators
        with self.engine.connect() as conn:
            for part in _chunks(ids):
                q = sa.select(t).where(t.c.run_id.in_(part)).order_by(t.c.id)
                if department_only:
                    q = q.where(t.c.subject == "")
                if wanted is not None:
                    q = q.where(t.c.indicator_id.in_(wanted))
                for row in conn.execute(q).mappings():
                    key = row["indicator_id"] + (f":{row['subject']}" if row["subject"] else "")
                    out[row["run_id"]][key] = dict(row)
        return out

    def findings(self, run_id: int) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(S.findings).where(S.findings.c.run_id == run_id).order_by(S.findings.c.id)
            ).mappings()
            return [dict(r) | {"evidence": json.loads(r["evidence"])} for r in rows]

    def issues(self, run_id: int) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(S.issues).where(S.issues.c.run_id == run_id).order_by(S.issues.c.id)
            ).mappings()
            return [dict(r) for r in rows]

    def score_items(self, run_id: int, scope: str = "department") -> list[dict]:
        s, i = S.scores, S.score_items
        q = (
            sa.select(i, s.c.subject)
            .select_from(i.join(s, i.c.score_id == s.c.id))
            .where(s.c.run_id == run_id, s.c.scope == scope)
            .order_by(i.c.id)
        )
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    # -- writing -------------------------------------------------------------------------------
    def record(self, rec: RunRecord) -> tuple[int, bool]:
        """Store one run; returns (run id, created). An identical run already stored is reused."""
        for attempt in range(3):
            try:
                with write_conn(self.engine) as conn:
                    found = self._find(conn, rec.input_hash, rec.framework_hash, rec.tool_version)
                    if found:
                        return found["id"], False
                    return self._insert(conn, rec), True
            except IntegrityError:
                # another writer stored the same run (or the same unit) a moment ago: look again
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _unit_id(self, conn, name: str, supervisor: str) -> int | None:
        if not name:
            return None
        uid = conn.execute(sa.select(S.units.c.id).where(S.units.c.name == name)).scalar()
        if uid is not None:
            if supervisor:
                conn.execute(
                    S.units.update()
                    .where(S.units.c.id == uid, S.units.c.supervisor == "")
                    .values(supervisor=supervisor)
                )
            return uid
        return conn.execute(
            S.units.insert().values(name=name, supervisor=supervisor or "", created_at=self.clock())
        ).inserted_primary_key[0]

    def _insert(self, conn, rec: RunRecord) -> int:
        ev = rec.evaluation or {}
        score = ev.get("score") or {}
        unit = ev.get("department") or rec.unit
        year = ev.get("year", rec.year)
        issues = ev.get("issues", rec.issues) or []
        sev = [i.get("severity") for i in issues]
        run_id = conn.execute(
            S.runs.insert().values(
                unit_id=self._unit_id(conn, unit or "", rec.supervisor),
                year=int(year) if year is not None else None,
                input_hash=rec.input_hash,
                input_name=rec.input_name,
                framework_id=score.get("framework_id") or rec.framework_id,
                framework_name=score.get("framework") or rec.framework_name,
                framework_hash=rec.framework_hash,
                tool_version=rec.tool_version,
                status=rec.status,
                reason=rec.reason,
                total=score.get("total"),
                max_total=score.get("max"),
                grade=score.get("grade"),
                provisional_grade=score.get("provisional_grade"),
                pending=int(score.get("pending") or 0),
                findings_count=len(ev.get("findings") or []),
                errors=sev.count("error"),
                warnings=sev.count("warning"),
                created_at=self.clock(),
            )
        ).inserted_primary_key[0]

        ind_rows = [_indicator_row(run_id, k, v, "") for k, v in (ev.get("indicators") or {}).items()]
        ind_rows += [
            _indicator_row(run_id, v.get("id", ""), v, v.get("subject") or v.get("name", ""))
            for v in ev.get("project_indicators") or []
        ]
        if ind_rows:
            conn.execute(S.indicators.insert(), ind_rows)
        scored = ([("department", "", "", score)] if score else []) + [
            ("project", ps.get("project", ""), ps.get("kind", ""), ps)
            for ps in ev.get("project_scores") or []
        ]
        if scored:
            self._insert_scores(conn, run_id, scored)
        fr = [
            {
                "run_id": run_id,
                "rule": f.get("rule", ""),
                "severity": f.get("severity", ""),
                "subject": f.get("subject", ""),
                "category": f.get("category", ""),
                "message": f.get("message", ""),
                "improvement": f.get("improvement", ""),
                "evidence": json.dumps(
                    f.get("evidence") or {}, ensure_ascii=False, sort_keys=True, default=str
                ),
            }
            for f in ev.get("findings") or []
        ]
        if fr:
            conn.execute(S.findings.insert(), fr)
        ir = []
        for i in issues:
            loc = i.get("location") or {}
            ir.append(
                {
                    "run_id": run_id,
                    "code": i.get("code", ""),
                    "severity": i.get("severity", ""),
                    "message": i.get("message", ""),
                    "file": loc.get("file"),
                    "sheet": loc.get("sheet"),
                    "cell": loc.get("cell"),
                    "row": loc.get("row"),
                    "key": loc.get("key"),
                    "hint": i.get("hint", ""),
                }
            )
        if ir:
            conn.execute(S.issues.insert(), ir)
        return run_id

    def _insert_scores(self, conn, run_id: int, scored: list[tuple[str, str, str, dict]]) -> None:
        """Every score of a run in one statement, then every item in one statement."""
        rows = [
            {
                "run_id": run_id,
                "scope": scope,
                "subject": subject,
                "kind": kind,
                "framework_id": sc.get("framework_id") or "",
                "total": sc.get("total"),
                "max_total": sc.get("max"),
                "grade": sc.get("grade"),
                "provisional_grade": sc.get("provisional_grade"),
                "pending": int(sc.get("pending") or 0),
            }
            for scope, subject, kind, sc in scored
        ]
        if len(rows) == 1:
            ids = [conn.execute(S.scores.insert(), rows[0]).inserted_primary_key[0]]
        else:
            q = S.scores.insert().returning(S.scores.c.id, sort_by_parameter_order=True)
            ids = list(conn.execute(q, rows).scalars())
        items = [
            {
                "score_id": sid,
                "item_id": it.get("id", ""),
                "level1": it.get("level1", ""),
                "level2": it.get("level2", ""),
                "level3": it.get("level3", ""),
                "weight": it.get("weight"),
                "score": it.get("score"),
                "rule": it.get("rule", ""),
                "source": it.get("source", ""),
                "status": it.get("status", ""),
                "basis": it.get("basis", ""),
            }
            for sid, (_, _, _, sc) in zip(ids, scored, strict=True)
            for it in sc.get("items") or []
        ]
        if items:
            conn.execute(S.score_items.insert(), items)


def _chunks(ids: list, size: int = 500):
    """IN lists in slices (SQLite limits the number of bound parameters)."""
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _indicator_row(run_id: int, ind_id: str, d: dict, subject: str) -> dict:
    return {
        "run_id": run_id,
        "indicator_id": ind_id,
        "subject": subject or "",
        "name": d.get("name", ""),
        "value": d.get("value"),
        "unit": d.get("unit", ""),
        "computable": bool(d.get("computable", True)),
        "reason": d.get("reason", "") or "",
        "formula": d.get("formula", "") or "",
    }
