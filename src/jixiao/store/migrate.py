"""Schema migrations: a small ordered registry and a ``schema_version`` table.

Each migration is a function of an open connection (inside a transaction). ``upgrade`` applies,
in order, every migration whose version is above the one recorded, and records it. A database
written by a newer jixiao (a version we do not know) is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..errors import UsageError
from . import schema as S
from .engine import write_conn


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sa.Connection], None]


MIGRATIONS: list[Migration] = []


def migration(version: int, name: str):
    def deco(fn):
        if MIGRATIONS and version != MIGRATIONS[-1].version + 1:
            raise ValueError(f"migration {version} out of order")
        MIGRATIONS.append(Migration(version, name, fn))
        return fn

    return deco


@migration(1, "core tables: units, runs, indicators, scores, score_items, findings, issues")
def _m1(conn: sa.Connection) -> None:
    for t in S.DATA_TABLES:
        t.create(conn)


#: secondary indexes for the history / compare queries (created by migration 2). Plain DDL, so
#: the tables' metadata stays as migration 1 created them.
INDEXES = (
    ("ix_runs_unit_year", "runs", "unit_id, year"),
    ("ix_indicators_run", "indicators", "run_id"),
    ("ix_scores_run", "scores", "run_id"),
    ("ix_score_items_score", "score_items", "score_id"),
    ("ix_findings_run", "findings", "run_id"),
    ("ix_issues_run", "issues", "run_id"),
)


@migration(2, "indexes for history and compare")
def _m2(conn: sa.Connection) -> None:
    for name, table, cols in INDEXES:
        conn.execute(sa.text(f"CREATE INDEX {name} ON {table} ({cols})"))


def latest_version() -> int:
    return MIGRATIONS[-1].version


def current_version(conn: sa.Connection) -> int:
    """The version recorded in the database; 0 for an empty database."""
    if not sa.inspect(conn).has_table(S.schema_version.name):
        return 0
    v = conn.execute(sa.select(sa.func.max(S.schema_version.c.version))).scalar()
    return int(v or 0)


def upgrade(engine: sa.Engine, clock: Callable[[], datetime], target: int | None = None) -> list[int]:
    """Bring the database to ``target`` (default: latest). Returns the versions applied."""
    target = latest_version() if target is None else target
    applied: list[int] = []
    with write_conn(engine) as conn:
        if engine.dialect.name == "postgresql":
            # one migrating process at a time on a shared server (released at commit)
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(74871201)"))
        have = current_version(conn)
        if have > latest_version():
            raise UsageError(
                f"数据库结构版本为 {have}，高于本程序支持的 {latest_version()}：它由更新版本的 jixiao 写入。",
                "请升级 jixiao 后再使用这个数据库。",
            )
        if have == 0:
            S.schema_version.create(conn, checkfirst=True)
        for m in MIGRATIONS:
            if have < m.version <= target:
                m.apply(conn)
                conn.execute(
                    S.schema_version.insert().values(version=m.version, name=m.name, applied_at=clock())
                )
                applied.append(m.version)
    return applied
