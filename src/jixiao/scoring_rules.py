"""The scoring rules of an item — proportional, inverse, equal, bands, deduct — each returning the
raw score on the item's 分值 and the basis sentence that states how it was reached (what an
auditor recomputes), with the formatting they share (``pts``, ``grade_of``). Pure functions;
``jixiao.scoring`` applies them to a department or a project and re-exports them.
"""

from __future__ import annotations

import math
from decimal import Decimal

from .frameworks import Item
from .money import fmt_rate, q2

D = Decimal
ZERO = D(0)


def pts(x: Decimal) -> str:
    """A score as shown: 2 places, no separators."""
    return format(q2(x), "f")


def grade_of(total: Decimal | None, grades) -> str | None:
    """优/良/中/差 of a total, thresholds inclusive after rounding the total once (89.995 → 90.00 → 优)."""
    if total is None:
        return None
    t = q2(total)
    for name, minimum in grades:  # sorted high → low by the loader
        if t >= minimum:
            return name
    return grades[-1][0] if grades else None


def _clamp(x: Decimal, w: Decimal) -> Decimal:
    return max(ZERO, min(x, w))


# ---------------------------------------------------------------- rules (raw score on the item's 分值)


def rule_proportional(v: Decimal, it: Item, unit: str = "%") -> tuple[Decimal, str]:
    if it.target == 0:
        return it.weight, f"{_show(v, unit)}，目标值为0，得满分"
    raw = it.weight * v / it.target
    s = min(raw, it.weight) if it.cap else raw
    s = max(s, ZERO)
    formula = f"{_show(v, unit)}，{_show(v, unit)}/{_show(it.target, unit)}×{pts(it.weight)}分={pts(raw)}分"
    if it.cap and raw > it.weight:  # state the true product, then the cap (an audit recomputes it)
        return s, f"{formula}，超过分值，按{pts(it.weight)}分计（封顶）"
    if raw < 0:
        return s, f"{formula}，低于0分，按0分计"
    return s, formula


def rule_inverse(v: Decimal, it: Item, unit: str = "%") -> tuple[Decimal, str]:
    if v <= 0:
        return it.weight, f"{_show(v, unit)}，不高于0，优于目标值{_show(it.target, unit)}，得满分"
    raw = it.weight * it.target / v
    s = min(raw, it.weight) if it.cap else raw
    formula = f"{_show(v, unit)}，{_show(it.target, unit)}/{_show(v, unit)}×{pts(it.weight)}分={pts(raw)}分"
    if it.cap and raw > it.weight:
        return s, f"{formula}，超过分值，按{pts(it.weight)}分计（封顶）"
    return max(s, ZERO), formula


def rule_equal(v: Decimal, it: Item, unit: str = "%") -> tuple[Decimal, str]:
    t = it.target
    if v == t:
        return it.weight, f"{_show(v, unit)}，等于指标值，得满分"
    if v <= 0 or t <= 0:
        return ZERO, f"{_show(v, unit)}，与指标值{_show(t, unit)}不符，不得分"
    s = it.weight * min(v, t) / max(v, t)
    return s, (
        f"{_show(v, unit)}，与指标值{_show(t, unit)}不等，按较小值/较大值计："
        f"{_show(min(v, t), unit)}/{_show(max(v, t), unit)}×{pts(it.weight)}分={pts(s)}分"
    )


def rule_bands(v: Decimal, it: Item, unit: str = "%") -> tuple[Decimal, str]:
    for b in it.bands:
        if b.matches(v):
            s = b.points if b.points is not None else it.weight * b.pct / 100
            label = f"（{b.label}）" if b.label else ""
            cond = "其他情况" if b.op == "else" else b.describe_in(unit)
            return _clamp(s, it.weight), f"{_show(v, unit)}，落在“{cond}”档{label}，得{pts(s)}分"
    return ZERO, f"{_show(v, unit)}，不在任何评分档内，得0分"


def _amount_of(x: Decimal, unit: str) -> str:
    """A difference as words: 0.73 with unit '%' → '0.73个百分点'; 3 with '次' → '3次'."""
    if unit == "%":
        return f"{format(q2(x), 'f')}个百分点" if x != x.to_integral_value() else f"{int(x)}个百分点"
    return _show(x, unit)


def rule_deduct(v: Decimal, it: Item, unit: str = "%") -> tuple[Decimal, str]:
    """Full marks up to ``threshold``; beyond it ``points`` off per ``per`` (continuous: in
    proportion; each: every started step; floor: every full step, 每满N扣M), never below 0."""
    th = it.threshold
    excess = v - th if it.direction == "above" else th - v
    side = "超过" if it.direction == "above" else "低于"
    if excess <= 0:
        return it.weight, f"{_show(v, unit)}，未{side}{_show(th, unit)}，得满分"
    units = excess / it.per
    per = _amount_of(it.per, unit)
    if it.step == "each":
        units = D(math.ceil(units))
        how = f"每{per}（不足{per}按{per}计）扣{pts(it.points)}分，计{int(units)}个"
    elif it.step == "floor":
        units = D(math.floor(units))
        how = f"每满{per}扣{pts(it.points)}分，满{int(units)}个"
    else:
        how = f"每{per}扣{pts(it.points)}分"
    off = units * it.points
    s = _clamp(it.weight - off, it.weight)
    capped = "（扣完为止）" if off > it.weight else ""
    gap = "超出" if it.direction == "above" else "差"
    return s, (
        f"{_show(v, unit)}，{side}{_show(th, unit)}，{gap}{_amount_of(excess, unit)}，{how}，"
        f"扣{pts(min(off, it.weight))}分{capped}，得{pts(s)}分"
    )


RULES = {
    "proportional": rule_proportional,
    "inverse": rule_inverse,
    "equal": rule_equal,
    "bands": rule_bands,
    "deduct": rule_deduct,
}


def _show(v: Decimal, unit: str) -> str:
    if unit == "%":
        return fmt_rate(v)
    return format(v.normalize(), "f") + unit if v == v.to_integral_value() else format(v, "f") + unit
