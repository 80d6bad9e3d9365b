"""Shared helpers for the checks: comparing a stated figure with a computed one."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..issues import Issue, Location, make
from ..money import AMOUNT_TOLERANCE, fmt_amount, sum_present


def fmt(x: Decimal) -> str:
    """An amount as the user typed it in 万元, keeping more places only when they matter."""
    s = fmt_amount(x)
    if Decimal(s.replace(",", "")) != x:
        s = f"{x.normalize():,f}"
    return s


def compare(
    stated: Decimal, computed: Decimal, code: str, what: str, how: str, loc: Location, hint: str = ""
) -> Issue | None:
    """None when equal; an I-ROUNDING note when |difference| ≤ 0.01 万元; else ``code``.

    ``what`` names the stated figure ('公共项目“合计”行的全年预算'), ``how`` the computation
    ('各项目之和').
    """
    diff = stated - computed
    if diff == 0:
        return None
    if abs(diff) <= AMOUNT_TOLERANCE:
        return make(
            "I-ROUNDING",
            location=loc,
            what=what,
            how=how,
            stated=fmt(stated),
            computed=fmt(computed),
            diff=fmt(diff),
        )
    return make(
        code,
        location=loc,
        hint=hint,
        what=what,
        how=how,
        stated=fmt(stated),
        computed=fmt(computed),
        diff=fmt(diff),
    )


def total(values: Iterable[Decimal | None], *, all_required: bool = False) -> Decimal | None:
    """Sum of the present values (None counts as 0); None when none is present, or when
    ``all_required`` and any is missing."""
    return sum_present(values, all_required=all_required)
