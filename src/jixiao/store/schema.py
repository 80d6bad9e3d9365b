"""The store's tables (SQLAlchemy Core) and the exact-decimal column type.

Amounts, rates and scores are never floats: PostgreSQL keeps them as NUMERIC(28,4); SQLite,
which has no decimal type, keeps them as integers in units of 0.0001 (exact, sortable). Both
come back as ``Decimal``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

#: decimal places kept by :class:`Exact` columns (every figure jixiao shows has 2)
SCALE = 4
_QUANT = Decimal(1).scaleb(-SCALE)
_CENT = Decimal("0.01")


class Exact(TypeDecorator):
    """Decimal column: NUMERIC(28,4) on PostgreSQL, integer ×10⁴ elsewhere. Floats are refused."""

    impl = sa.BigInteger
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(sa.Numeric(28, SCALE, asdecimal=True))
        return dialect.type_descriptor(sa.BigInteger())

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, float | bool):
            raise TypeError(f"store: refusing a {type(value).__name__} for a decimal column: {value!r}")
        try:
            d = value if isinstance(value, Decimal) else Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError(f"store: not a decimal: {value!r}") from exc
        if not d.is_finite():
            raise ValueError(f"store: not a finite decimal: {value!r}")
        q = d.quantize(_QUANT, rounding=ROUND_HALF_UP)
        if dialect.name == "postgresql":
            return q
        return int(q.scaleb(SCALE))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        d = Decimal(value) if dialect.name == "postgresql" else Decimal(int(value)).scaleb(-SCALE)
        return tidy(d)


def tidy(d: Decimal) -> Decimal:
    """86.7600 → 86.76, 8.3333 → 8.3333: at least 2 places, no trailing zeros beyond."""
    c = d.quantize(_CENT)
    if c == d:
        return c
    return d.normalize()


metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)

units = sa.Table(
    "units",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("supervisor", sa.Text, nullable=False, default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=True),
    sa.Column("year", sa.Integer, nullable=True),
    sa.Column("input_hash", sa.String(64), nullable=False),
    sa.Column("input_name", sa.Text, nullable=False, default=""),
    sa.Column("framework_id", sa.Text, nullable=False, default=""),
    sa.Column("framework_name", sa.Text, nullable=False, default=""),
    sa.Column("framework_hash", sa.String(64), nullable=False),
    sa.Column("tool_version", sa.String(40), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # ok | data_error | unreadable | failed
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("total", Exact, nullable=True),
    sa.Column("max_total", Exact, nullable=True),
    sa.Column("grade", sa.Text, nullable=True),
    sa.Column("provisional_grade", sa.Text, nullable=True),
    sa.Column("pending", sa.Integer, nullable=False, default=0),
    sa.Column("findings_count", sa.Integer, nullable=False, default=0),
    sa.Column("errors", sa.Integer, nullable=False, default=0),
    sa.Column("warnings", sa.Integer, nullable=False, default=0),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("input_hash", "framework_hash", "tool_version", name="uq_runs_key"),
)

indicators = sa.Table(
    "indicators",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("indicator_id", sa.Text, nullable=False),
    sa.Column("subject", sa.Text, nullable=False, default=""),  # '' for department indicators
    sa.Column("name", sa.Text, nullable=False, default=""),
    sa.Column("value", Exact, nullable=True),
    sa.Column("unit", sa.Text, nullable=False, default=""),
    sa.Column("computable", sa.Boolean, nullable=False, default=True),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("formula", sa.Text, nullable=False, default=""),
)

scores = sa.Table(
    "scores",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("scope", sa.String(20), nullable=False),  # department | project
    sa.Column("subject", sa.Text, nullable=False, default=""),
    sa.Column("kind", sa.Text, nullable=False, default=""),
    sa.Column("framework_id", sa.Text, nullable=False, default=""),
    sa.Column("total", Exact, nullable=True),
    sa.Column("max_total", Exact, nullable=True),
    sa.Column("grade", sa.Text, nullable=True),
    sa.Column("provisional_grade", sa.Text, nullable=True),
    sa.Column("pending", sa.Integer, nullable=False, default=0),
)

score_items = sa.Table(
    "score_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("score_id", sa.Integer, sa.ForeignKey("scores.id", ondelete="CASCADE"), nullable=False),
    sa.Column("item_id", sa.Text, nullable=False),
    sa.Column("level1", sa.Text, nullable=False, default=""),
    sa.Column("level2", sa.Text, nullable=False, default=""),
    sa.Column("level3", sa.Text, nullable=False, default=""),
    sa.Column("weight", Exact, nullable=True),
    sa.Column("score", Exact, nullable=True),
    sa.Column("rule", sa.Text, nullable=False, default=""),
    sa.Column("source", sa.Text, nullable=False, default=""),
    sa.Column("status", sa.Text, nullable=False, default=""),
    sa.Column("basis", sa.Text, nullable=False, default=""),
)

findings = sa.Table(
    "findings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("severity", sa.Text, nullable=False, default=""),
    sa.Column("subject", sa.Text, nullable=False, default=""),
    sa.Column("category", sa.Text, nullable=False, default=""),
    sa.Column("message", sa.Text, nullable=False, default=""),
    sa.Column("improvement", sa.Text, nullable=False, default=""),
    sa.Column("evidence", sa.Text, nullable=False, default="{}"),  # JSON, decimals as strings
)

issues = sa.Table(
    "issues",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("severity", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False, default=""),
    sa.Column("file", sa.Text, nullable=True),
    sa.Column("sheet", sa.Text, nullable=True),
    sa.Column("cell", sa.Text, nullable=True),
    sa.Column("row", sa.Integer, nullable=True),
    sa.Column("key", sa.Text, nullable=True),
    sa.Column("hint", sa.Text, nullable=False, default=""),
)

#: data tables in dependency order (parents first)
DATA_TABLES = (units, runs, indicators, scores, score_items, findings, issues)
