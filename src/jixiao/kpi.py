"""履职目标 (KPIs) and 绩效指标 targets as numbers: parsing a target or an actual, its 指标性质
(≥ ≤ =) and whether it is met. Used by the indicators, the scoring and the findings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from .money import AmountError, parse_decimal


class Target(Protocol):
    """Anything with a target, an actual and a 指标性质 (a KPI, a 项目绩效指标 row)."""

    target: Any
    actual: Any
    nature: str


def quantity(x: object) -> Decimal | None:
    """A target/actual as a number: Decimal as is, '≥95%' → 95, '1,200' → 1200; other text → None."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, int) and not isinstance(x, bool):
        return Decimal(x)
    if isinstance(x, str):
        t = x.strip().lstrip("≥≤=<>＞＜＝ ")
        if not t:
            return None
        try:
            return parse_decimal(t)
        except AmountError:
            return None
    return None


def kpi_nature(kpi: Target) -> str:
    """'≥', '≤' or '=': the 指标性质 column, or the sign a target written as text starts with ('≤5%')."""
    n = (kpi.nature or "").strip()
    sign = kpi.target.strip()[:1] if isinstance(kpi.target, str) else ""
    if sign and sign in "≤<＜≥>＞=＝" and n in ("", "≥"):  # '≥' is the column's default
        n = sign
    if n in ("≤", "<=", "＜=", "<", "＜"):
        return "≤"
    if n in ("=", "＝"):
        return "="
    return "≥"


def kpi_met(kpi: Target) -> bool | None:
    """Whether a 履职目标 is met (None when it cannot be told: no numeric target or actual)."""
    t, a = quantity(kpi.target), quantity(kpi.actual)
    if t is None or a is None:
        if isinstance(kpi.target, str) and kpi.target.strip() and isinstance(kpi.actual, str):
            return kpi.actual.strip() == kpi.target.strip() or None
        return None
    nature = kpi_nature(kpi)
    if nature == "≤":
        return a <= t
    if nature == "=":
        return a == t
    return a >= t


__all__ = ["kpi_met", "kpi_nature", "quantity"]
