"""部门项目 / 公共项目 rows, 项目承担单位, 项目绩效指标."""

from __future__ import annotations

from ..issues import make
from ..model import Department
from . import codes as C
from .common import fmt
from .spending import budget_identity, over_budget


def project_rows(dept: Department, lay):
    for sheet, projects, actual_name in (
        ("部门项目", dept.dept_projects, "决算"),
        ("公共项目", dept.public_projects, "实际分配"),
    ):
        seen: dict[str, int | None] = {}
        for p in projects:
            row = p.src.row
            for iss in (
                budget_identity(p, p.name, sheet, lay, key=p.name, row=row),
                over_budget(p, p.name, sheet, lay, key=p.name, row=row, actual_name=actual_name),
            ):
                if iss:
                    yield iss
            if p.name in seen:
                yield make(
                    C.PROJECT_DUPLICATE,
                    f"项目“{p.name}”出现了两次（另见第 {seen[p.name]} 行）。",
                    lay.loc(sheet, "name", row=row, key=p.name),
                    "同一项目请合并为一行，或在名称中加以区分。",
                )
            else:
                seen[p.name] = row
            if p.excluded is not None:
                if p.full_year is not None and p.excluded > p.full_year:
                    yield make(
                        C.EXCLUDED_OVER,
                        f"“{p.name}”的执行率剔除金额 {fmt(p.excluded)} 万元大于全年预算 "
                        f"{fmt(p.full_year)} 万元。",
                        lay.loc(sheet, "excluded", row=row, key=p.name),
                        "剔除金额不能超过该项目的全年预算。",
                    )
                if p.excluded != 0 and not p.exclusion_reason:
                    yield make(
                        C.EXCLUSION_REASON,
                        f"“{p.name}”填写了执行率剔除金额 {fmt(p.excluded)} 万元，但没有剔除原因。",
                        lay.loc(sheet, "exclusion_reason", row=row, key=p.name),
                        "请说明剔除原因（如：财政统一收回、未分配）。",
                    )


def undertakings(dept: Department, lay):
    for u in dept.undertakings:
        if u.allocated is not None and u.spent is not None and u.spent > u.allocated:
            yield make(
                C.UNDERTAKING_OVER,
                f"“{u.project}”（{u.unit}）实际支出 {fmt(u.spent)} 万元大于下达金额 "
                f"{fmt(u.allocated)} 万元。",
                lay.loc("项目承担单位", "spent", row=u.src.row, key=u.project),
                "请核对承担单位的实际支出。",
            )


def perf_indicators(dept: Department, lay):
    names = {p.name for p in dept.projects} | {u.project for u in dept.undertakings}
    reported: set[str] = set()
    for pi in dept.perf_indicators:
        key = f"{pi.project}·{pi.level3}"
        if names and pi.project not in names and pi.project not in reported:
            reported.add(pi.project)
            yield make(
                C.PERF_UNKNOWN_PROJECT,
                f"绩效指标所属项目“{pi.project}”不在部门项目、公共项目或承担单位表中。",
                lay.loc("项目绩效指标", "project", row=pi.src.row, key=pi.project),
                "项目名称须与项目表中的写法完全一致。",
            )
        if pi.nature in ("≥", "≤", "="):
            for fld, head, v in (("target", "年度指标值", pi.target), ("actual", "实际完成值", pi.actual)):
                if isinstance(v, str):
                    yield make(
                        C.PERF_VALUE,
                        f"定量指标“{pi.level3}”的{head}“{v}”不是数字，无法计算完成率。",
                        lay.loc("项目绩效指标", fld, row=pi.src.row, key=key),
                        "定量指标只填数字（单位写在“单位”列）；文字指标请把指标性质改为“定性”。",
                    )
        if pi.weight is not None and pi.score is not None and pi.score > pi.weight:
            yield make(
                C.SCORE_OVER,
                f"指标“{pi.level3}”得分 {pi.score} 超过分值 {pi.weight}。",
                lay.loc("项目绩效指标", "score", row=pi.src.row, key=key),
                "得分不能超过分值。",
            )


def kpis(dept: Department, lay):
    """A 履职目标 row whose 目标值 and 完成值 are filled but cannot be compared is left out of
    the completion rate and the score: say so at the cell (never a silent 无法计算)."""
    from ..indicators import kpi_met

    for k in dept.kpis:
        if k.target is None or k.actual is None or kpi_met(k) is not None:
            continue
        fld = "target" if isinstance(k.target, str) else "actual"
        yield make(
            C.VALUE_NOT_NUMBER,
            f"履职目标“{k.name}”的目标值“{k.target}”与完成值“{k.actual}”无法比较，该行不参与完成率和评分。",
            lay.loc("履职目标", fld, row=k.src.row, key=k.name),
            "目标值、完成值请只填数字（如 26，单位写在“单位”列；写成“26次”也可以识别）。",
        )


RULES = (project_rows, undertakings, perf_indicators, kpis)
