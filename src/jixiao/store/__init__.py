"""History store (SQLAlchemy Core): an SQLite file by default, PostgreSQL by URL. DESIGN §10."""

from .db import RunRecord, Store, sqlite_url, utcnow
from .engine import make_engine, write_conn
from .migrate import MIGRATIONS, current_version, latest_version, upgrade

__all__ = [
    "MIGRATIONS",
    "RunRecord",
    "Store",
    "current_version",
    "latest_version",
    "make_engine",
    "sqlite_url",
    "upgrade",
    "utcnow",
    "write_conn",
]
