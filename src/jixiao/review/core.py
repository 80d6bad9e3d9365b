"""Review a submitted self-evaluation (the finance bureau's 复核): pure functions.

For each table: the 预算执行率 row is recomputed (全年执行数 / 全年预算数 × 分值, capped); each
indicator row with a numeric target and actual is recomputed by its 指标性质 (≥: 完成值/指标值 ×
分值, ≤: 指标值/完成值 × 分值, =: equal or smaller/larger, all capped), and compared with the
score the department gave (equal after rounding to the precision it wrote, e.g. 8.62 → 9, is
no finding). Found, each located: scores above the rule; full marks although the actual is
below the target; 产出/效益 scored at a rate more than 5 points above the execution rate;
targets that are not quantified; totals that do not add up; with a workbook, figures that
differ from it.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from ..money import AmountError, parse_decimal, q2
from ..workbook.cells import norm_unit, to_measure
from .model import ReviewItem, ReviewResult, ScoredRow, SubmittedTable, Value

D = Decimal
ZERO = D(0)
HUNDRED = D(100)
#: 产出/效益 score rate may exceed the execution rate by this many points before it is a finding
RATE_MARGIN = D(5)
_LESS_IS_BETTER = (
    "控制率",
    "调整率",
    "结余率",
    "变动率",
    "成本",
    "投诉",
    "事故",
    "超支",
    "差错",
    "时间",
    "天数",
    "周期",
)
_NATURES = {
    ">=": "≥",
    "≥": "≥",
    ">": "≥",
    "<=": "≤",
    "≤": "≤",
    "<": "≤",
    "=": "=",
    "==": "=",
    "﹦": "=",
    "＝": "=",
}


def _num(v: Value | None) -> Decimal | None:
    """A score, weight or amount as submitted ('10', '10.00', '9分', '86%') → Decimal."""
    if v is None or v.blank:
        return None
    t = v.text.strip().removesuffix("分")
    try:
        return parse_decimal(t)
    except AmountError:
        m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*(分|万元|元|%)?\s*", t)
        return D(m.group(1)) if m else None


def _places(x: Decimal) -> int:
    e = x.as_tuple().exponent
    return -e if isinstance(e, int) and e < 0 else 0


def _at_precision(x: Decimal, like: Decimal) -> Decimal:
    """``x`` rounded (half up) to the places ``like`` was written with: 8.62 like 9 → 9."""
    return x.quantize(D(1).scaleb(-_places(like)), rounding=ROUND_HALF_UP)


def _show(x: Decimal | None, unit: str = "") -> str:
    if x is None:
        return "—"
    t = format(x.normalize(), "f") if x == x.to_integral_value() else format(x, "f")
    return t + unit


_RULE_NATURE = {
    "proportional": "≥",
    "inverse": "≤",
    "equal": "=",
    "manual": "定性",
    "qualitative": "定性",
    "not_applicable": "定性",
}


def _nature(row: ScoredRow, target_op: str, natures: dict[str, str] | None = None) -> tuple[str, str]:
    """(指标性质, how it was known). ``natures``: a rule set's 指标性质 → rule map."""
    if row.nature is not None:
        t = re.sub(r"\s", "", row.nature.text)
        if natures and t in natures:
            return _RULE_NATURE.get(natures[t], "定性"), ""
        if "定性" in t:
            return "定性", ""
        for k, v in _NATURES.items():
            if t.startswith(k):
                return v, ""
        if "定量" in t or "正向" in t:
            return (
                ("≤", "按指标名称推定为“≤”") if any(w in row.level3 for w in _LESS_IS_BETTER) else ("≥", "")
            )
        if "反向" in t:
            return "≤", ""
    if target_op:
        return target_op, ""
    if any(w in row.level3 for w in _LESS_IS_BETTER):
        return "≤", "指标性质未填，按指标名称推定为“≤”"
    return "≥", "指标性质未填，按“≥”计"


def rule_score(
    nature: str, target: Decimal, actual: Decimal, weight: Decimal, unit: str = ""
) -> tuple[Decimal, str]:
    """The score the national rule gives, unrounded, and how (Chinese)."""
    u = unit
    if nature == "≤":
        if actual <= target:
            return weight, f"完成值{_show(actual, u)}不高于指标值{_show(target, u)}，应得满分"
        if actual <= 0:
            return weight, "完成值不高于0，应得满分"
        s = weight * target / actual
        return s, f"指标值{_show(target, u)}/完成值{_show(actual, u)}×{_show(weight)}分={_show(q2(s))}分"
    if nature == "=":
        if actual == target:
            return weight, "完成值等于指标值，应得满分"
        if actual <= 0 or target <= 0:
            return ZERO, "完成值与指标值不符，应得0分"
        s = weight * min(actual, target) / max(actual, target)
        return s, f"较小值/较大值×{_show(weight)}分={_show(q2(s))}分"
    if target <= 0:
        return weight, "指标值不大于0，应得满分"
    s = weight * min(actual / target, D(1))
    return (
        s,
        f"完成值{_show(actual, u)}/指标值{_show(target, u)}×{_show(weight)}分={_show(q2(s))}分（不超过分值）",
    )


def _name(table: SubmittedTable, what: str) -> str:
    return f"{table.title}/{what}" if table.title else what


def _execution(table: SubmittedTable, out: list[ReviewItem]) -> Decimal | None:
    """The execution rate in % (None when the table gives no budget), with its own items."""
    f = table.funds
    if f is None:
        return None
    # a form with only 年初预算数(A) and 全年执行数(B) (得分 = B/A × 分值) takes A as the budget
    full = _num(f.full_year) if f.full_year is not None else _num(f.initial)
    actual, w, claimed = _num(f.actual), _num(f.weight), _num(f.score)
    loc = (f.score or f.full_year or Value("", f.location)).location
    item = _name(table, "预算执行率")
    if full is None or actual is None or full == 0:
        if claimed is not None:
            out.append(
                ReviewItem(
                    item,
                    claimed,
                    None,
                    "unverifiable",
                    "全年预算数或全年执行数缺失（或为0），无法复核执行率得分。",
                    loc,
                )
            )
        return None
    rate = actual * HUNDRED / full
    stated = _num(f.rate)
    if stated is not None and f.rate is not None:
        if abs(_at_precision(rate, stated) - stated) > 0:
            out.append(
                ReviewItem(
                    _name(table, "执行率"),
                    stated,
                    q2(rate),
                    "total_mismatch",
                    f"执行率应为 全年执行数{_show(actual)}/预算数{_show(full)}×100%={_show(q2(rate))}%，"
                    f"表中填{f.rate.text}。",
                    f.rate.location,
                )
            )
    if w is None or claimed is None:
        return rate
    s = w * min(rate, HUNDRED) / HUNDRED
    how = f"执行率{_show(q2(rate))}%×{_show(w)}分={_show(q2(s))}分（不超过分值）"
    _compare(
        out,
        item,
        claimed,
        s,
        w,
        how,
        loc,
        short=rate < HUNDRED,
        shortfall=f"执行率{_show(q2(rate))}%未达100%",
    )
    return rate


def _compare(out, item, claimed, recomputed, weight, how, loc, *, short: bool, shortfall: str) -> None:
    if claimed > weight:
        out.append(
            ReviewItem(
                item,
                claimed,
                q2(recomputed),
                "over_scored",
                f"得分{_show(claimed)}分超过分值{_show(weight)}分；{how}。",
                loc,
            )
        )
    elif claimed > _at_precision(recomputed, claimed) or (
        short and claimed == weight and recomputed < weight
    ):
        # full marks for a target missed is a finding even where rounding to whole points reaches them
        status = "full_despite_shortfall" if short and claimed == weight else "over_scored"
        lead = f"{shortfall}却得满分；" if status == "full_despite_shortfall" else ""
        out.append(
            ReviewItem(
                item,
                claimed,
                q2(recomputed),
                status,
                f"{lead}按规则{how}，自评{_show(claimed)}分，高出{_show(q2(claimed - recomputed))}分。",
                loc,
            )
        )
    else:
        out.append(ReviewItem(item, claimed, q2(recomputed), "ok", f"按规则{how}。", loc))


def _row(table: SubmittedTable, r: ScoredRow, out: list[ReviewItem], natures=None) -> None:
    item = _name(table, r.level3)
    claimed, w = _num(r.score), _num(r.weight)
    loc = (r.score or r.weight or Value("", r.location)).location
    t_val, t_unit, t_op = to_measure(r.target.text) if r.target else (None, "", "")
    a_val, a_unit, _ = to_measure(r.actual.text) if r.actual else (None, "", "")
    nature, inferred = _nature(r, t_op, natures)
    quantified = isinstance(t_val, Decimal)
    if claimed is None:
        return
    if w is not None and claimed > w:
        out.append(
            ReviewItem(item, claimed, w, "over_scored", f"得分{_show(claimed)}分超过分值{_show(w)}分。", loc)
        )
        return
    if r.target is not None and not quantified and nature != "定性" and _should_quantify(r):
        out.append(
            ReviewItem(
                item,
                claimed,
                None,
                "not_quantified",
                f"{r.level2 or r.level1}指标的指标值“{r.target.text}”未量化，完成情况无法按规则复核。",
                r.target.location,
            )
        )
        return
    if not (quantified and isinstance(a_val, Decimal)) or w is None:
        why = (
            "表中未列指标值和完成值"
            if r.target is None and r.actual is None
            else "定性指标，得分由评价人判断"
            if nature == "定性" or not quantified
            else "完成值不是数字"
            if r.actual is not None
            else "未填完成值"
        )
        out.append(ReviewItem(item, claimed, None, "unverifiable", f"{why}，无法按规则复核。", loc))
        return
    unit = norm_unit(r.unit) if r.unit else ""
    if t_unit and a_unit and t_unit != a_unit:
        out.append(
            ReviewItem(
                item,
                claimed,
                None,
                "unverifiable",
                f"指标值单位“{t_unit}”与完成值单位“{a_unit}”不同，无法比较。",
                loc,
            )
        )
        return
    unit = t_unit or a_unit or unit
    s, how = rule_score(nature, t_val, a_val, w, unit)
    if inferred:
        how = f"{how}（{inferred}）"
    short = (a_val < t_val) if nature == "≥" else (a_val > t_val) if nature == "≤" else (a_val != t_val)
    shortfall = (
        f"实际完成{_show(a_val, unit)}，{'低于' if nature == '≥' else '高于' if nature == '≤' else '不等于'}"
        f"目标{_show(t_val, unit)}"
    )
    _compare(out, item, claimed, s, w, how, loc, short=short, shortfall=shortfall)
    coef = _num(r.coefficient)
    if coef is not None and w:
        rc = s * HUNDRED / w
        if coef > _at_precision(rc, coef):
            out.append(
                ReviewItem(
                    _name(table, f"{r.level3}（得分系数）"),
                    coef,
                    q2(rc),
                    "full_despite_shortfall" if short and coef >= HUNDRED else "over_scored",
                    f"得分系数应为{_show(q2(rc))}%（{shortfall}），表中填{r.coefficient.text}。",
                    r.coefficient.location,
                )
            )


def _should_quantify(r: ScoredRow) -> bool:
    """产出 rows (数量/质量/时效/成本) and rows marked ≥/≤/= must have a number as target."""
    if r.nature is not None and any(k in r.nature.text for k in ("≥", "≤", "=", ">", "<", "﹦", "定量")):
        return True
    return "产出" in r.level1 or any(k in r.level2 for k in ("数量", "质量", "时效", "成本"))


def _groups(table: SubmittedTable, rate: Decimal | None, out: list[ReviewItem]) -> None:
    """产出/效益 score rate (得分/分值) more than 5 points above the execution rate."""
    if rate is None:
        return
    for key in ("产出", "效益"):
        rows = [r for r in table.rows if key in r.level1 and _num(r.weight) and _num(r.score) is not None]
        if not rows:
            continue
        w = sum((_num(r.weight) for r in rows), ZERO)
        s = sum((_num(r.score) for r in rows), ZERO)
        got = s * HUNDRED / w
        capped = min(rate, HUNDRED)
        if got > capped + RATE_MARGIN:
            out.append(
                ReviewItem(
                    _name(table, f"{key}指标得分率"),
                    q2(got),
                    q2(capped),
                    "rate_inconsistent",
                    f"{key}指标得分{_show(s)}分/分值{_show(w)}分，得分率{_show(q2(got))}%，比预算执行率"
                    f"{_show(q2(rate))}%高出{_show(q2(got - capped))}个百分点（超过{RATE_MARGIN}个百分点），"
                    "请说明资金未执行完而产出、效益基本达成的原因。",
                    rows[0].location,
                )
            )


def _subtotals(table: SubmittedTable, out: list[ReviewItem]) -> None:
    for level1, v in table.subtotals:
        claimed = _num(v)
        parts = [_num(r.score) for r in table.rows if r.level1 == level1 and _num(r.score) is not None]
        if claimed is None or not parts:
            continue
        s = sum(parts, ZERO)
        ok = abs(s - claimed) <= D("0.01") or _at_precision(s, claimed) == claimed
        out.append(
            ReviewItem(
                _name(table, f"{level1 or '指标'}小计"),
                claimed,
                s,
                "ok" if ok else "total_mismatch",
                f"{level1}各项得分之和为{_show(s)}分" + ("。" if ok else f"，小计写{_show(claimed)}分。"),
                v.location,
            )
        )


def _total(table: SubmittedTable, out: list[ReviewItem]) -> None:
    _subtotals(table, out)
    if table.total is None:
        return
    claimed = _num(table.total)
    parts = [_num(r.score) for r in table.rows]
    if table.funds is not None and _num(table.funds.score) is not None:
        parts.append(_num(table.funds.score))
    parts = [p for p in parts if p is not None]
    if claimed is None or not parts:
        return
    s = sum(parts, ZERO)
    if abs(s - claimed) > D("0.01") and _at_precision(s, claimed) != claimed:
        out.append(
            ReviewItem(
                _name(table, "总分"),
                claimed,
                s,
                "total_mismatch",
                f"各项得分之和为{_show(s)}分，表中总分为{_show(claimed)}分，相差{_show(claimed - s)}分。",
                table.total.location,
            )
        )
    else:
        out.append(
            ReviewItem(
                _name(table, "总分"), claimed, s, "ok", f"各项得分之和为{_show(s)}分。", table.total.location
            )
        )


def _against_workbook(table: SubmittedTable, dept, indicators, out: list[ReviewItem]) -> None:
    """With the department's workbook: the table's budget figures and indicator actuals against it."""
    from ..money import fmt_rate

    f = table.funds
    if f is not None and table.kind == "project" and table.title:
        p = next((p for p in dept.projects if p.name.strip() == table.title.strip()), None)
        if p is not None:
            for v, mine, head in (
                (f.full_year, p.full_year, "全年预算数"),
                (f.actual, p.actual, "全年执行数"),
            ):
                x = _num(v)
                if x is not None and mine is not None and abs(x - mine) > D("0.01"):
                    out.append(
                        ReviewItem(
                            _name(table, head),
                            x,
                            mine,
                            "data_mismatch",
                            f"自评表填{_show(x)}万元，基础数据表为{_show(mine)}万元。",
                            v.location,
                        )
                    )
    if indicators and table.kind == "department":
        names = {re.sub(r"[“”\"]", "", ind.name): ind for ind in indicators.values() if ind.computable}
        for r in table.rows:
            ind = names.get(re.sub(r"[“”\"]", "", r.level3))
            if ind is None or r.actual is None or ind.unit != "%":
                continue
            a, _u, _op = to_measure(r.actual.text)
            if isinstance(a, Decimal) and abs(a - ind.value) > D("0.01") and _at_precision(ind.value, a) != a:
                out.append(
                    ReviewItem(
                        _name(table, r.level3),
                        a,
                        ind.value,
                        "data_mismatch",
                        f"自评表完成值{r.actual.text}，基础数据表计算为{fmt_rate(ind.value)}（{ind.formula}）。",
                        r.actual.location,
                    )
                )


def review_tables(
    tables: list[SubmittedTable],
    file: str = "",
    *,
    department=None,
    indicators=None,
    natures: dict[str, str] | None = None,
) -> ReviewResult:
    """Review submitted tables (pure). ``department`` (and its computed ``indicators``) when the
    department's workbook is given: figures are also compared with it."""
    res = ReviewResult(file=file, tables=len(tables))
    for t in tables:
        out: list[ReviewItem] = []
        rate = _execution(t, out)
        for r in t.rows:
            _row(t, r, out, natures)
        _groups(t, rate, out)
        _total(t, out)
        if department is not None:
            _against_workbook(t, department, indicators, out)
        res.items.extend(out)
    return res


__all__ = ["review_tables", "rule_score", "RATE_MARGIN"]
