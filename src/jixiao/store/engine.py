"""Engines for the store: URL checking, SQLite settings and write transactions.

SQLite: WAL (readers never wait for the writer), a 30 s busy timeout, foreign keys on, and real
transactions — the driver's own transaction handling is switched off so that DDL is transactional
and a write transaction starts with ``BEGIN IMMEDIATE`` (it takes the write lock first, so two
processes writing at once wait for each other instead of failing on a lock upgrade).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import ArgumentError

from ..errors import UsageError

_IMMEDIATE = "jixiao_write"


def _on_sqlite_connect(dbapi_conn, _record):
    dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _on_sqlite_begin)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _on_sqlite_begin(conn):
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_IMMEDIATE) else "BEGIN")


def make_engine(url: str, **kw) -> sa.Engine:
    """An engine for ``url`` (SQLite or PostgreSQL), with the SQLite settings above."""
    try:
        u = sa.make_url(url)
    except ArgumentError as exc:
        raise UsageError(
            f"无法识别的数据库地址：{url}",
            "示例：sqlite:///路径/jixiao.db 或 postgresql+psycopg://用户:密码@主机:5432/库名",
        ) from exc
    if u.get_backend_name() not in ("sqlite", "postgresql"):
        raise UsageError(f"不支持的数据库类型：{u.get_backend_name()}（仅支持 SQLite 和 PostgreSQL）。")
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        Path(u.database).parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = sa.create_engine(u, **kw)
    except ModuleNotFoundError as exc:
        raise UsageError(
            f"缺少数据库驱动：{exc.name}", "PostgreSQL 请使用 postgresql+psycopg:// 地址。"
        ) from exc
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _on_sqlite_connect)
        sa.event.listen(engine, "begin", _on_sqlite_begin)
    return engine


@contextmanager
def write_conn(engine: sa.Engine):
    """A connection in a write transaction (committed on success, rolled back on error)."""
    with engine.connect() as conn:
        conn.execution_options(**{_IMMEDIATE: True})
        with conn.begin():
            yield conn
