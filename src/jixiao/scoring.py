"""Scoring: framework × indicators × 定性评分 × 履职目标 → Score (items, total, grade).

Pure functions. Every rule scores on the item's own 分值; items that do not apply are dropped
and, when the framework says ``rescale``, the remaining 分值 are scaled up to the framework total.
Each item score is rounded once (2 places) and the total is the exact sum of the shown item
scores, so a 自评表 always adds up. A manual item with no score is 待评 (None): the total then
covers the scored part only, ``pending`` names what is missing and the grade stays None.
"""

from __future__ import annotations

from decimal import Decimal

from .frameworks import Framework, Item, load_framework
from .indicators import kpi_met, kpi_nature, project_execution, quantity
from .model import Department, PerfIndicator, Project
from .money import fmt_rate, q2
from .results import Indicator, ProjectScore, Score, ScoreItem
from .scoring_rules import (  # noqa: F401 - re-exported
    RULES,
    ZERO,
    D,
    _clamp,
    _show,
    grade_of,
    pts,
    rule_bands,
    rule_deduct,
    rule_equal,
    rule_inverse,
    rule_proportional,
)

# ---------------------------------------------------------------- items


class _Raw:
    """An item before rescaling: raw score on the original 分值, or pending / not applicable."""

    __slots__ = ("item", "score", "basis", "status")

    def __init__(self, item: Item, score: Decimal | None, basis: str, status: str = "scored"):
        self.item, self.score, self.basis, self.status = item, score, basis, status


def _manual_rows(it: Item, dept: Department):
    """The 定性评分 rows naming an item by its id or its 三级指标 name, in sheet order (the
    first is used; manual_score_issues warns about the others)."""
    return [m for m in dept.manual_scores if m.item.strip() in (it.id, it.level3)]


def manual_score_issues(
    framework: Framework, dept: Department, project_rules: Framework | None = None
) -> list:
    """Warnings for 定性评分 rows that the scoring does not use — never ignored silently: a row
    naming no item of the framework (nor a project's 三级指标), a row naming an item scored
    from data, and a second row for the same item. Each at the row's 指标 cell."""
    from .checks import codes as C
    from .issues import Location, make

    used: set[int] = set()
    manual_items = [it for it in framework.items if it.rule in ("manual", "qualitative")]
    for it in manual_items:
        rows = _manual_rows(it, dept)
        if rows:
            used.add(id(rows[0]))
    project_keys: dict[str, int] = {}
    perf_names = {f"{r.project.strip()}/{r.level3}" for r in dept.perf_indicators}
    if project_rules is not None:
        perf_names |= {
            f"{g.level1}/{r.level3}"
            for r in dept.perf_indicators
            for g in project_rules.groups
            if g.matches(r.level1)
        }
    computed = {
        k: it
        for it in framework.items
        if it.rule not in ("manual", "qualitative")
        for k in (it.id, it.level3)
    }
    known = {k: it for it in manual_items for k in (it.id, it.level3)}
    out = []
    for m in dept.manual_scores:
        key = m.item.strip()
        loc = Location(
            file=dept.source_file or None,
            sheet=m.src.sheet or "定性评分",
            cell=m.cell or None,
            row=m.src.row,
            key=key,
        )
        if id(m) in used:
            continue
        if key in known:
            out.append(
                make(
                    C.MANUAL_DUPLICATE,
                    f"定性评分中“{key}”不止一行，本行未使用（使用的是第一行）。",
                    loc,
                    "同一指标只填一行；请删除多余的行。",
                )
            )
        elif key in perf_names:
            if key in project_keys:
                out.append(
                    make(
                        C.MANUAL_DUPLICATE,
                        f"定性评分中“{key}”不止一行（另见第 {project_keys[key]} 行），本行未使用。",
                        loc,
                        "同一指标只填一行；请删除多余的行。",
                    )
                )
            else:
                project_keys[key] = m.src.row
        elif key in computed:
            it = computed[key]
            out.append(
                make(
                    C.MANUAL_COMPUTED,
                    f"“{key}”在评分框架“{framework.name}”中由数据计算（{it.rule}），定性评分中的得分未使用。",
                    loc,
                    "定性评分只填框架中的定性/手工指标；如要改变该项评分，请修改评分框架。",
                )
            )
        else:
            out.append(
                make(
                    C.MANUAL_UNKNOWN,
                    f"定性评分中的“{key}”不是评分框架“{framework.name}”中的指标，未使用。",
                    loc,
                    "“指标”列填框架中的指标编号或三级指标名称（jixiao evaluate 的评分表中可以查到）。",
                )
            )
    return out


def _manual(it: Item, dept: Department) -> tuple[Decimal | None, str]:
    """The 定性评分 row for an item: the first naming its id or its 三级指标 name."""
    rows = _manual_rows(it, dept)
    if not rows:
        return None, "定性评分表未填写，待评"
    m = rows[0]
    if m.score is None:
        return None, "定性评分表中得分为空，待评"
    return m.score, m.basis


def _qualitative_basis(score: Decimal, weight: Decimal, levels) -> str:
    pct = score * 100 / weight if weight else ZERO
    upper = D(100)
    for name, low in levels:
        if pct >= low:
            return f"评价档次“{name}”（分值的{format(low, 'f')}%–{format(upper, 'f')}%）"
        upper = low
    return ""


def _score_item(it: Item, indicators: dict[str, Indicator], dept: Department) -> _Raw:
    if it.rule == "not_applicable":
        return _Raw(it, None, "本项不适用", "not_applicable")
    if it.rule in ("manual", "qualitative"):
        s, basis = _manual(it, dept)
        if s is None:
            return _Raw(it, None, basis, "pending")
        if not (0 <= s <= it.weight):
            return _Raw(it, None, f"定性评分{pts(s)}分超出0–{pts(it.weight)}分，请改正；待评", "pending")
        if it.rule == "qualitative":
            band = _qualitative_basis(s, it.weight, it.levels)
            basis = "；".join(x for x in (band, basis) if x)
        return _Raw(it, s, basis or "定性评分")
    if it.rule == "kpi":
        return _score_kpi(it, dept)
    ind = indicators.get(it.source)
    if ind is None or not ind.computable or ind.value is None:
        why = ind.reason if ind is not None else f"没有指标 {it.source}"
        if it.if_not_computable == "not_applicable":
            return _Raw(it, None, f"指标无法计算（{why}），本项不适用", "not_applicable")
        if it.if_not_computable == "zero":
            return _Raw(it, ZERO, f"指标无法计算（{why}），按规则得0分")
        if it.if_not_computable == "full":
            return _Raw(it, it.weight, f"指标无法计算（{why}），按规则（无该项支出的得满分）得满分")
        return _Raw(it, None, f"指标无法计算（{why}），待评", "pending")
    s, basis = RULES[it.rule](ind.value, it, ind.unit)
    return _Raw(it, s, f"{ind.name}{basis}")


def _kpi_ratio(k, mode: str) -> tuple[Decimal, bool] | None:
    """(degree of completion 0..1, met) of one 履职目标, or None when it cannot be judged."""
    t, a = quantity(k.target), quantity(k.actual)
    met = kpi_met(k)
    if met is None:
        return None
    if mode == "count" or t is None or a is None:
        ratio = D(1) if met else ZERO
    else:
        nature = kpi_nature(k)
        if nature == "≤":
            ratio = D(1) if a <= t else (t / a if a > 0 else ZERO)
        elif nature == "=":
            ratio = D(1) if a == t else (min(a, t) / max(a, t) if a > 0 and t > 0 else ZERO)
        else:
            ratio = D(1) if t <= 0 else min(a / t, D(1))
    return max(ratio, ZERO), met


def _score_kpi(it: Item, dept: Department) -> _Raw:
    """履职目标: the average degree of completion × 分值 (weighted by the rows' 权重 when every
    row has one), or the share of rows met (mode: count). ``kpis`` names the rows to use."""
    rows = list(dept.kpis)
    if it.kpis:
        by_name = {k.name.strip(): k for k in dept.kpis}
        missing = [n for n in it.kpis if n not in by_name]
        if missing:
            return _Raw(it, None, f"履职目标表中没有“{'、'.join(missing)}”，待评", "pending")
        rows = [by_name[n] for n in it.kpis]
    judged = [(k, *r) for k in rows if (r := _kpi_ratio(k, it.mode)) is not None]
    if not judged:
        if it.kpis:
            why = f"履职目标“{'、'.join(it.kpis)}”没有可比较的目标值和完成值"
        else:
            why = "没有填写履职目标" if not dept.kpis else "履职目标没有可比较的目标值和完成值"
        return _Raw(it, None, f"{why}，待评", "pending")
    n = len(judged)
    met = sum(1 for _, _, m in judged if m)
    if len(judged) == 1 and it.kpis:
        k, ratio, m = judged[0]
        s = it.weight * ratio
        return _Raw(
            it,
            s,
            f"{k.name}：目标值{_kpi_show(k.target, k.unit)}，完成值{_kpi_show(k.actual, k.unit)}，"
            f"得分系数{format(q2(ratio), 'f')}，×{pts(it.weight)}分={pts(s)}分",
        )
    if it.mode == "count":
        s = it.weight * met / n
        return _Raw(it, s, f"{n}项履职目标完成{met}项，{met}/{n}×{pts(it.weight)}分={pts(s)}分")
    if it.mode == "weighted_sum":
        return _kpi_weighted_sum(it, rows, judged)
    weights = [k.weight for k, _, _ in judged]
    if all(w is not None for w in weights) and sum(weights, ZERO) > 0:
        wsum = sum(weights, ZERO)
        avg = sum((w * r for w, (_, r, _) in zip(weights, judged, strict=True)), ZERO) / wsum
        s = it.weight * avg
        return _Raw(
            it,
            s,
            f"{n}项履职目标按权重加权的完成程度{fmt_rate(avg * 100)}（完成{met}项），"
            f"×{pts(it.weight)}分={pts(s)}分",
        )
    avg = sum((r for _, r, _ in judged), ZERO) / n
    s = it.weight * avg
    note = "（部分行未填权重，按等权计算）" if any(w is not None for w in weights) else ""
    return _Raw(
        it,
        s,
        f"{n}项履职目标平均完成程度{fmt_rate(avg * 100)}（完成{met}项）{note}，"
        f"×{pts(it.weight)}分={pts(s)}分",
    )


def _kpi_weighted_sum(it: Item, rows, judged) -> _Raw:
    """Σ 得分系数 × 权重 over the rows (Chongqing's 部门整体自评表): each row's 权重 is its points;
    every row must have a 权重 and be comparable, else the item is 待评 (a row is never dropped)."""
    missing = [k.name for k in rows if k.weight is None]
    if missing:
        return _Raw(it, None, f"履职目标“{'、'.join(missing)}”未填权重，待评", "pending")
    judged_names = {id(k) for k, _, _ in judged}
    unjudged = [k.name for k in rows if id(k) not in judged_names]
    if unjudged:
        return _Raw(it, None, f"履职目标“{'、'.join(unjudged)}”没有可比较的目标值和完成值，待评", "pending")
    total_w = sum((k.weight for k in rows), ZERO)
    s = sum((k.weight * r for k, r, _ in judged), ZERO)
    met = sum(1 for _, _, m in judged if m)
    capped = "，超过分值按分值计" if s > it.weight else ""
    return _Raw(
        it,
        min(s, it.weight),
        f"{len(judged)}项履职目标（权重合计{pts(total_w)}分，完成{met}项）"
        f"按 得分系数×权重 合计{pts(s)}分{capped}",
    )


def _kpi_show(x, unit: str) -> str:
    if isinstance(x, Decimal):
        return _show(x, unit or "")
    return str(x)


def _allocate(weights: list[Decimal], factor: Decimal) -> list[Decimal]:
    """Scale 分值 by ``factor`` to cents so that they still add up exactly (largest remainder).

    Also used unscaled: 50 分 shared by 3 rows gives 16.67 + 16.67 + 16.66, never 50.01."""
    if factor == 1 and all(w == q2(w) for w in weights):
        return [q2(w) for w in weights]
    exact = [w * factor for w in weights]
    target = q2(sum(exact, ZERO))
    floors = [e.quantize(D("0.01"), rounding="ROUND_FLOOR") for e in exact]
    left = int((target - sum(floors, ZERO)) / D("0.01"))
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[: max(left, 0)]:
        floors[i] += D("0.01")
    return floors


def _finish(fw: Framework, raws: list[_Raw], *, framework_name: str | None = None) -> Score:
    applicable = [r for r in raws if r.status != "not_applicable"]
    app_weight = sum((r.item.weight for r in applicable), ZERO)
    all_weight = sum((r.item.weight for r in raws), ZERO)
    factor = D(1)
    if fw.rescale and app_weight and app_weight != all_weight:
        factor = all_weight / app_weight
    weights = _allocate([r.item.weight for r in applicable], factor)
    items: list[ScoreItem] = []
    for r in raws:
        it = r.item
        if r.status == "not_applicable":
            items.append(
                ScoreItem(
                    it.id,
                    it.level1,
                    it.level2,
                    it.level3,
                    ZERO.quantize(D("0.01")),
                    None,
                    r.basis,
                    "not_applicable",
                    it.source,
                    "not_applicable",
                )
            )
            continue
        w = weights.pop(0)
        s = (
            None
            if r.score is None
            else (q2(_clamp(r.score, it.weight) * w / it.weight) if it.weight else ZERO)
        )
        basis = r.basis
        if factor != 1:
            basis += f"（不适用项剔除后分值按比例折算为{pts(w)}分）"
        items.append(
            ScoreItem(it.id, it.level1, it.level2, it.level3, w, s, basis, it.rule, it.source, r.status)
        )
    scored = [i for i in items if i.status == "scored"]
    pending = [i.level3 for i in items if i.status == "pending"]
    total = sum((i.score for i in scored), ZERO) if scored else None
    max_total = sum((i.weight for i in items if i.status != "not_applicable"), ZERO)
    grade = grade_of(total, fw.grades) if not pending and total is not None else None
    provisional = None
    if pending and total is not None:
        scored_max = sum((i.weight for i in scored), ZERO)
        if scored_max:
            provisional = grade_of(total * max_total / scored_max, fw.grades)
    return Score(
        framework=framework_name or fw.name,
        framework_id=fw.id,
        items=items,
        total=total,
        max_total=max_total,
        grade=grade,
        pending=pending,
        provisional_grade=provisional,
    )


def score(framework: Framework | str | None, indicators: dict[str, Indicator], dept: Department) -> Score:
    """Score a department against a department-kind framework."""
    fw = load_framework(framework) if not isinstance(framework, Framework) else framework
    if fw.kind != "department":
        from .errors import FrameworkError

        raise FrameworkError(
            f"评分框架“{fw.name}”是项目支出自评规则，不能用于部门整体评分。",
            "部门整体评分请用 six-dimension、mof-2013 或自己的部门框架。",
        )
    return _finish(fw, [_score_item(it, indicators, dept) for it in fw.items])


# ---------------------------------------------------------------- 项目支出绩效自评


def _is_na(r: PerfIndicator) -> bool:
    return any(
        isinstance(x, str) and x.strip() in ("不适用", "N/A", "n/a", "—")
        for x in (r.nature, r.target, r.actual)
    )


def _row_item(r: PerfIndicator, level1: str, weight: Decimal, rule: str, target: Decimal, idx: int) -> Item:
    return Item(
        id=f"{level1}/{r.level3}",
        level1=level1,
        level2=r.level2,
        level3=r.level3,
        weight=weight,
        rule=rule,
        source="perf_indicator",
        target=target,
        cap=True,
    )


def _score_row(r: PerfIndicator, it: Item, rules: Framework, dept: Department, project: Project) -> _Raw:
    rule = it.rule
    if rule == "not_applicable":
        return _Raw(it, None, "本指标不适用", "not_applicable")
    if rule in ("manual", "qualitative"):
        s = r.score
        basis = "自评表“得分”列"
        if s is None:
            key_ids = (f"{project.name}/{r.level3}", it.id)
            rows = [m for m in dept.manual_scores if m.item.strip() in key_ids]
            if rows and rows[0].score is not None:
                s, basis = rows[0].score, rows[0].basis or "定性评分表"
        if s is None:
            return _Raw(it, None, "定性指标未评分，待评", "pending")
        if not (0 <= s <= it.weight):
            return _Raw(it, None, f"得分{pts(s)}分超出0–{pts(it.weight)}分，待评", "pending")
        band = _qualitative_basis(s, it.weight, rules.qualitative_levels)
        return _Raw(it, s, "；".join(x for x in (band, basis) if x))
    t, a = quantity(r.target), quantity(r.actual)
    if t is None or a is None:
        miss = "指标值" if t is None else "实际完成值"
        if rule == "equal" and isinstance(r.target, str) and isinstance(r.actual, str) and r.target.strip():
            ok = r.target.strip() == r.actual.strip()
            return _Raw(
                it,
                it.weight if ok else ZERO,
                "完成值与指标值一致，得满分" if ok else "完成值与指标值不一致，不得分",
            )
        return _Raw(it, None, f"{miss}不是数值，待评", "pending")
    it2 = Item(**{**it.__dict__, "target": t})
    s, basis = RULES[rule](a, it2, r.unit or "")
    return _Raw(it, s, f"完成值{basis}")


def score_project(project: Project, dept: Department, rules: Framework | str | None = None) -> ProjectScore:
    """项目支出绩效自评 of one project from its 项目绩效指标 rows (matched by project name)."""
    fw = load_framework(rules or "project") if not isinstance(rules, Framework) else rules
    if fw.kind != "project":
        from .errors import FrameworkError

        raise FrameworkError(f"评分框架“{fw.name}”不是项目支出自评规则（kind: project）。")
    raws: list[_Raw] = []
    ex = fw.execution
    ind = project_execution(project)
    if ind.computable:
        s, basis = RULES[ex.rule](ind.value, ex, "%")
        raws.append(_Raw(ex, s, f"{ind.formula}；执行率{basis}"))
    else:
        raws.append(_Raw(ex, None, f"预算执行率无法计算（{ind.reason}），待评", "pending"))
    rows = [r for r in dept.perf_indicators if r.project.strip() == project.name.strip()]
    # each row belongs to the first group whose keywords its 一级指标 contains
    home = {id(r): next((g for g in fw.groups if g.matches(r.level1)), None) for r in rows}
    for g in fw.groups:
        grows = [r for r in rows if home[id(r)] is g]
        if not grows:
            why = "未填报项目绩效指标" if not rows else f"未设置{g.level1}"
            status = "pending" if (not rows or fw.missing_group == "pending") else "not_applicable"
            placeholder = Item(
                id=g.level1,
                level1=g.level1,
                level2="",
                level3=f"{g.level1}（{why}）",
                weight=g.weight,
                rule="manual",
                source="perf_indicator",
            )
            raws.append(
                _Raw(placeholder, None, f"{why}，{'待评' if status == 'pending' else '不适用'}", status)
            )
            continue
        given = sum((r.weight for r in grows if r.weight is not None), ZERO)
        free = [r for r in grows if r.weight is None]
        share = (g.weight - given) / len(free) if free else ZERO
        for i, r in enumerate(grows):
            w = r.weight if r.weight is not None else max(share, ZERO)
            rule = "not_applicable" if _is_na(r) else fw.nature_rule(r.nature)
            if rule is None and not (r.nature or "").strip() and isinstance(r.target, str):
                rule = fw.nature_rule(r.target.strip()[:1])  # nature left empty, target written '≤5%'
            if rule is None:
                rule = "manual" if "定性" in (r.nature or "") else None
            it = _row_item(r, g.level1, w, rule or "manual", ZERO, i)
            if rule is None:
                raws.append(_Raw(it, None, f"指标性质“{r.nature}”无法识别，待评", "pending"))
                continue
            raws.append(_score_row(r, it, fw, dept, project))
    for r in rows:
        if home[id(r)] is None:  # a 一级指标 the rule set does not know: shown, not scored
            it = Item(
                id=f"{r.level1}/{r.level3}",
                level1=r.level1,
                level2=r.level2,
                level3=r.level3,
                weight=ZERO,
                rule="not_applicable",
                source="perf_indicator",
            )
            raws.append(_Raw(it, None, f"一级指标“{r.level1}”不在评分规则中，未计分", "not_applicable"))
    sc = _finish(fw, raws, framework_name=f"{fw.name}：{project.name}")
    return ProjectScore(project=project.name, kind=project.kind, score=sc)


__all__ = ["score", "score_project", "grade_of", "manual_score_issues", "RULES"]
