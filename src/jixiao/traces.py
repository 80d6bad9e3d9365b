"""Formula traces: build an ``Indicator`` and its trace from the very same unrounded inputs.

A trace reads like the reference reports: ``（在职人员数59人/编制数68人）×100%=86.76%``. Labels
in the arithmetic part carry no digits, so a trace can be parsed back and recomputed (tests do
this). A missing or zero denominator gives ``computable=False`` with a Chinese reason and value
None — never 0. The registry (``indicators.indicator``) stamps id, name and unit on what these
helpers return, so a department-level indicator never writes its id itself; per-subject
indicators (projects, 承担单位, KPIs) pass ``id=``/``name=``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from .money import fmt_amount, fmt_count, fmt_rate, q2, ratio_pct, sum_present
from .results import Indicator

D = Decimal


def amt(x: Decimal) -> str:
    """An amount as a trace shows it: thousands separators, 2 places (more if the input has more)."""
    exp = x.normalize().as_tuple().exponent
    places = max(2, -exp) if x != 0 and isinstance(exp, int) else 2
    return fmt_amount(x, places=min(places, 6)) + "万元"


def cnt(x: Decimal | int | None, unit: str = "人") -> str:
    return fmt_count(x) + unit


def num(x: Decimal, unit: str) -> str:
    """A KPI-like quantity: plain number (no separators) + its unit."""
    return fmt_count(x) + unit


def not_computable(
    formula: str,
    reason: str,
    inputs: Mapping[str, Any] | None = None,
    *,
    id: str = "",
    name: str = "",
    unit: str = "%",
    subject: str = "",
) -> Indicator:
    return Indicator(
        id=id,
        name=name,
        value=None,
        unit=unit,
        formula=f"{formula}（无法计算：{reason}）",
        computable=False,
        reason=reason,
        inputs=dict(inputs or {}),
        subject=subject,
    )


def missing(labels: Mapping[str, object]) -> list[str]:
    return [k for k, v in labels.items() if v is None]


def ratio(
    num_label: str,
    num_v: Any,
    num_s: str,
    den_label: str,
    den_v: Any,
    den_s: str,
    *,
    id: str = "",
    name: str = "",
    subject: str = "",
    words: str | None = None,
) -> Indicator:
    """(num / den) × 100%, with the trace （num_label num/den_label den）×100%=v%."""
    words = words or f"{num_label}/{den_label}×100%"
    inputs = {num_label: num_v, den_label: den_v}
    miss = missing(inputs)
    if miss:
        return not_computable(words, "缺少" + "、".join(miss), inputs, id=id, name=name, subject=subject)
    if den_v == 0:
        return not_computable(words, f"{den_label}为0", inputs, id=id, name=name, subject=subject)
    v = q2(ratio_pct(D(num_v), D(den_v)))
    return Indicator(
        id=id,
        name=name,
        value=v,
        unit="%",
        formula=f"（{num_label}{num_s}/{den_label}{den_s}）×100%={fmt_rate(v)}",
        inputs=inputs,
        subject=subject,
    )


def amount_ratio(
    num_label: str,
    num_v: Decimal | None,
    den_label: str,
    den_v: Decimal | None,
    *,
    id: str = "",
    name: str = "",
    subject: str = "",
) -> Indicator:
    return ratio(
        num_label,
        num_v,
        amt(num_v) if num_v is not None else "",
        den_label,
        den_v,
        amt(den_v) if den_v is not None else "",
        id=id,
        name=name,
        subject=subject,
    )


def change(
    cur_label: str,
    cur: Decimal | None,
    prior_label: str,
    prior: Decimal | None,
    *,
    fmt: Callable[[Decimal], str] = amt,
    id: str = "",
    name: str = "",
    subject: str = "",
) -> Indicator:
    """(cur − prior) / prior × 100%, traced as 〔（A－B）/B〕×100%=v%."""
    words = f"（{cur_label}－{prior_label}）/{prior_label}×100%"
    inputs = {cur_label: cur, prior_label: prior}
    miss = missing(inputs)
    if cur is None or prior is None:
        return not_computable(words, "缺少" + "、".join(miss), inputs, id=id, name=name, subject=subject)
    if prior == 0:
        return not_computable(words, f"{prior_label}为0", inputs, id=id, name=name, subject=subject)
    v = q2(ratio_pct(cur - prior, prior))
    return Indicator(
        id=id,
        name=name,
        value=v,
        unit="%",
        inputs=inputs,
        subject=subject,
        formula=f"〔（{cur_label}{fmt(cur)}－{prior_label}{fmt(prior)}）/{prior_label}{fmt(prior)}〕"
        f"×100%={fmt_rate(v)}",
    )


def all_or_none(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum when every value is there (and there is at least one); else None."""
    return sum_present(values, all_required=True)


__all__ = ["all_or_none", "amount_ratio", "amt", "change", "cnt", "missing", "not_computable", "num", "ratio"]
