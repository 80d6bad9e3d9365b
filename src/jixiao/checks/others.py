"""基本信息, 人员编制, 三公经费, 公用经费, 政府采购, 资产, 满意度."""

from __future__ import annotations

from decimal import Decimal

from ..issues import make
from ..model import Department
from ..money import AMOUNT_TOLERANCE
from . import codes as C
from .common import compare, fmt, total


def basic_info(dept: Department, lay):
    for attr, label in (("name", "单位名称"), ("year", "年度")):
        if not getattr(dept, attr):
            yield make(
                C.INFO_MISSING,
                f"基本信息中的“{label}”未填写。",
                lay.loc("基本信息", "value", label=label),
                f"请在“{label}”一行的“内容”列填写。",
            )


def staffing(dept: Department, lay):
    st = dept.staffing
    S = "人员编制"
    if st.authorized_total_stated is not None and st.authorized:
        s = sum(st.authorized.values())
        if s != st.authorized_total_stated:
            yield make(
                C.STAFF_TOTAL,
                f"编制数合计为 {st.authorized_total_stated} 人，各类编制之和为 {s} 人。",
                lay.loc(S, "count", label="编制数合计"),
                "编制数合计可以不填（由工具计算）；填写时须等于各类编制之和。",
            )
    n, a = st.staff_count, st.authorized_total
    if n is not None and a is not None and n > a:
        yield make(
            C.STAFF_OVER,
            f"在职人员数 {n} 人（实有在职 {st.in_service} + 其他雇员 {st.other_employees or 0}）"
            f"超过编制数 {a} 人。",
            lay.loc(S, "count", label="实有在职人数"),
            "请核对人数；超编须说明原因。",
        )


def three_public(dept: Department, lay):
    tp, S = dept.three_public, "三公经费"
    heads = {
        "prior_budget": "上年预算",
        "prior_actual": "上年决算",
        "budget": "本年预算",
        "actual": "本年决算",
    }
    if tp.total_stated is not None and tp.items:
        for f, head in heads.items():
            stated = getattr(tp.total_stated, f)
            computed = total((getattr(i, f) for i in tp.items), all_required=True)
            if stated is None or computed is None:
                continue
            iss = compare(
                stated,
                computed,
                C.TOTAL_ROW,
                f"“三公”经费合计的{head}",
                "三项之和",
                lay.loc(S, f, label="合计"),
                "合计可以不填（由工具计算）；填写时须等于三项之和。",
            )
            if iss:
                yield iss
    for i in tp.items:
        if i.actual is not None and i.budget is not None and i.actual > i.budget:
            yield make(
                C.OVER_BUDGET,
                f"“{i.name}”本年决算 {fmt(i.actual)} 万元大于本年预算 {fmt(i.budget)} 万元。",
                lay.loc(S, "actual", label=i.name),
                "“三公”经费不得超预算支出；如为录入错误请更正。",
            )


def _parts(parent_name: str, parent, parts, heads: dict[str, str], complete: bool, sheet: str, lay):
    """其中 rows against their parent, per column: the parts never exceed it; when the parts
    are complete they equal it (within the rounding tolerance)."""
    for f, head in heads.items():
        stated = getattr(parent, f) if parent is not None else None
        vals = [getattr(p, f) for p in parts]
        present = [v for v in vals if v is not None]
        if stated is None or not present:
            continue
        s = sum(present, Decimal(0))
        names = "、".join(p.name for p, v in zip(parts, vals, strict=True) if v is not None)
        loc = lay.loc(sheet, f, label=parent_name)
        if complete and len(present) == len(vals):
            iss = compare(
                stated,
                s,
                C.PARTS_TOTAL,
                f"“{parent_name}”的{head}",
                f"其中明细（{names}）之和",
                loc,
                "明细填全时，各明细之和须等于上级项目；请核对。",
            )
            if iss:
                yield iss
        elif s - stated > AMOUNT_TOLERANCE:
            yield make(
                C.PARTS_OVER,
                f"“{parent_name}”的{head}为 {fmt(stated)} 万元，其中明细（{names}）之和为 "
                f"{fmt(s)} 万元，超过上级项目 {fmt(s - stated)} 万元。",
                loc,
                "“其中”明细之和不能大于上级项目；请核对。",
            )


def three_public_details(dept: Department, lay):
    tp = dept.three_public
    heads = {
        "prior_budget": "上年预算",
        "prior_actual": "上年决算",
        "budget": "本年预算",
        "actual": "本年决算",
    }
    #: parents whose 其中 rows are complete when all of these are given
    complete_sets = {
        "公务用车购置及运行费": {"公务用车购置费", "公务用车运行维护费"},
        "公务接待费": {"国内公务接待费", "外事接待费"},
    }
    for parent in {d.parent for d in tp.details}:
        parts = [d for d in tp.details if d.parent == parent]
        item = next((i for i in tp.items if i.name == parent), None)
        complete = {p.name for p in parts} >= complete_sets.get(parent, set())
        yield from _parts(parent, item, parts, heads, complete, "三公经费", lay)


def public_funds(dept: Department, lay):
    pf = dept.public_funds
    if pf.lines:
        yield from _parts(
            "公用经费",
            pf,
            pf.lines,
            {"budget": "预算", "actual": "决算", "prior_actual": "上年决算"},
            pf.complete,
            "公用经费",
            lay,
        )
    if pf.actual is not None and pf.budget is not None and pf.actual > pf.budget:
        yield make(
            C.OVER_BUDGET,
            f"公用经费决算 {fmt(pf.actual)} 万元大于预算 {fmt(pf.budget)} 万元。",
            lay.loc("公用经费", "actual", label="公用经费"),
            "请核对公用经费预算与决算。",
        )


def procurement(dept: Department, lay):
    pr, S = dept.procurement, "政府采购"
    for f, by_cat, tot, head in (
        ("initial", pr.initial_by_category, pr.initial_total, "年初采购预算"),
        ("full_year", pr.full_year_by_category, pr.full_year_total, "全年采购预算"),
        ("actual", pr.actual_by_category, pr.actual_total, "实际采购"),
    ):
        if tot is None or not by_cat:
            continue
        iss = compare(
            tot,
            total(by_cat.values()),
            C.TOTAL_ROW,
            f"政府采购合计的{head}",
            "货物、服务、工程之和",
            lay.loc(S, f, label="合计"),
            "合计可以不填（由工具计算）；填写时须等于各类之和。",
        )
        if iss:
            yield iss
    if (
        pr.actual_total is not None
        and pr.full_year_total is not None
        and pr.actual_total > pr.full_year_total
    ):
        yield make(
            C.OVER_BUDGET,
            f"实际采购 {fmt(pr.actual_total)} 万元大于全年采购预算 {fmt(pr.full_year_total)} 万元。",
            lay.loc(S, "actual", label="合计"),
            "请核对政府采购数据。",
        )


def assets(dept: Department, lay):
    a, S = dept.assets, "资产"
    for line in a.lines:
        if line.prior_end is None or line.end is None or (line.added is None and line.reduced is None):
            continue
        computed = line.prior_end + (line.added or 0) - (line.reduced or 0)
        iss = compare(
            line.end,
            computed,
            C.ASSET_ROLL,
            f"“{line.name}”本年末",
            "上年末 + 本年新增 − 本年减少",
            lay.loc(S, "end", row=lay.row_of(S, line.name) or line.src.row, key=line.name),
            "请核对上年末、本年新增、本年减少和本年末四个数。",
        )
        if iss:
            yield iss
    gross, dep, net = a.get("固定资产原值"), a.get("累计折旧"), a.get("固定资产净值")
    if gross and dep and net:
        for f, head in (("prior_end", "上年末"), ("end", "本年末")):
            g, d, n = getattr(gross, f), getattr(dep, f), getattr(net, f)
            if g is None or d is None or n is None:
                continue
            iss = compare(
                n,
                g - d,
                C.ASSET_NET,
                f"固定资产净值（{head}）",
                "固定资产原值 − 累计折旧",
                lay.loc(S, f, label="固定资产净值"),
                "净值 = 原值 − 累计折旧。",
            )
            if iss:
                yield iss
    tot = a.get("资产总额")
    if tot:
        for f, head in (("prior_end", "上年末"), ("end", "本年末")):
            stated = getattr(tot, f)
            computed = total(getattr(p, f) for p in a.parts())
            if stated is None or computed is None:
                continue
            iss = compare(
                stated,
                computed,
                C.ASSET_TOTAL,
                f"资产总额（{head}）",
                "各项资产之和（固定资产按净值）",
                lay.loc(S, f, label="资产总额"),
                "资产总额 = 除原值、累计折旧外各行之和。",
            )
            if iss:
                yield iss


def satisfaction(dept: Department, lay):
    s = dept.satisfaction
    if s.surveyed is not None and s.satisfied is not None and s.satisfied > s.surveyed:
        yield make(
            C.SATISFACTION_OVER,
            f"满意数 {s.satisfied} 大于问卷数 {s.surveyed}。",
            lay.loc("满意度", "value", label="满意数"),
            "满意数不能超过收回的问卷数。",
        )


RULES = (
    basic_info,
    staffing,
    three_public,
    three_public_details,
    public_funds,
    procurement,
    assets,
    satisfaction,
)
