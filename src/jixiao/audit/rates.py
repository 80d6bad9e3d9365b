"""Rates stated beside their inputs: 执行率 (with 剔除 and carry-over readings), 调整率,
占…的比重; a rate whose inputs are not in the text is unverifiable."""

from __future__ import annotations

import re
from decimal import Decimal

from .context import ParaContext, find_by_subject, ref_of, subject_of_label
from .numbers import (
    Num,
    has_any,
    label_of,
    role_of,
    sentence_of,
)
from .recompute import Claim, fmt, judge, unverifiable

# --- 5. rates stated beside their inputs ---------------------------------------------------

_TARGET = re.compile(
    r"目标|不低于|不高于|不超过|不少于|达到\d|≥|≤|>=|<=|以上|以内|控制在|力争|预计|标准|要求"
)
_EXEC = (
    "执行率",
    "使用率",
    "完成率",
    "支出率",
    "控制率",
    "到位率",
    "支付率",
    "拨付率",
    "兑现率",
    "执行进度",
    "执行比例",
    "结余率",
    "分配率",
)
_EXCLUDE = re.compile(r"剔除|扣除|不含|除去")
#: "完成年初预算的90.00%": an execution rate written as a share of the budget
_OF_BUDGET = re.compile(r"(完成(了)?|为|达到?)(年初|全年|调整后)?预算(数|金额)?的(比例)?为?$")
#: "比预算节约5.00万元" / "较年初预算减少…": the gap between budget and actual, stated in the sentence
_VS_BUDGET = re.compile(
    r"(比|较)(年初|全年|调整后)?预算(数)?[^，,；;。\d]{0,3}?"
    r"(?P<verb>减少|节约|节省|结余|少支出|少|下降|压减|增加|超支|超出|多支出|多)了?$"
)


def rate_claims(ctx: ParaContext) -> list[Claim]:
    text, nums = ctx.text, ctx.nums
    out: list[Claim] = []
    for r in nums:
        if r.kind != "rate" or ctx.is_used(r) or any(a <= r.start < b for a, b in ctx.formula_spans):
            continue
        lab = label_of(text, r, nums)
        s_s, s_e = sentence_of(text, r.start)
        if (
            "率" not in lab
            and not has_any(lab, ("满意度", "占比", "比重", "比例", "进度"))
            and not re.search(r"占.{2,24}?的?$", lab)
            and not _OF_BUDGET.search(lab)
        ):
            continue
        if _TARGET.search(lab) or _TARGET.search(text[r.end : r.end + 4]):
            continue
        c = ctx.claim("rate", r)
        ctx.mark(r)
        before = [n for n in nums if s_s <= n.start and n.end <= r.start and n.kind == "amount"]
        if has_any(lab, ("调整率", "调整比例", "追加率")):
            adj = [n for n in before if role_of(label_of(text, n, nums)) == "adjust"]
            base = [
                n
                for n in before
                if has_any(label_of(text, n, nums), ("年初",))
                or (
                    role_of(label_of(text, n, nums)) == "budget"
                    and n not in adj
                    and "全年" not in label_of(text, n, nums)
                )
            ]
            if not adj or not base:
                out.append(unverifiable(c, "句中未找到调整数或年初预算数"))
                continue
            num_, den = adj[-1], base[-1]
            c.refs = c.refs + (ctx.ref(num_), ctx.ref(den))
            if den.wan == 0:
                out.append(unverifiable(c, "年初预算为0，调整率无意义"))
                continue
            exact = num_.wan * 100 / den.wan
            judge(c, exact, r.decimals)
            c.formula = (
                f"{fmt(num_.value, num_.decimals, num_.unit)}/{fmt(den.value, den.decimals, den.unit)}"
                f"×100%={fmt(exact, r.decimals, '%')}"
            )
            out.append(c)
            continue
        if has_any(lab, _EXEC) or _OF_BUDGET.search(lab):
            ex = _EXCLUDE.search(text, s_s, r.start)
            head_end = ex.start() if ex else r.start
            acts = [n for n in before if n.end <= head_end and role_of(label_of(text, n, nums)) == "actual"]
            buds = [
                n
                for n in before
                if n.end <= head_end
                and (
                    role_of(label_of(text, n, nums)) == "budget"
                    or (role_of(label_of(text, n, nums)) == "total" and "预算" in label_of(text, n, nums))
                )
            ]
            excl = [n for n in before if ex and n.start > ex.start()]
            if acts and not buds and not excl:
                # "资金使用298.41万元，资金使用率78.59%": the budget was given a few sentences before
                subj = subject_of_label(label_of(text, acts[-1], nums))
                found = find_by_subject(ctx, subj, s_s, want="budget", prefer="全年")
                if found is not None:
                    buds = [found]
            if acts and not buds and not excl:
                derived = _budget_from_gap(text, nums, s_s, s_e, acts[-1])
                if derived is not None:
                    gap, budget = derived
                    act = acts[-1]
                    c.refs = c.refs + (ctx.ref(act), ctx.ref(gap))
                    if budget <= 0:
                        out.append(unverifiable(c, "由实际数与节约额推得的预算数不为正，比率无意义"))
                        continue
                    exact = act.wan * 100 / budget
                    judge(c, exact, r.decimals)
                    c.formula = (
                        f"{fmt(act.value, act.decimals, act.unit)}/({fmt(act.value, act.decimals, act.unit)}"
                        f"{'+' if budget >= act.wan else '−'}{fmt(abs(gap.value), gap.decimals, gap.unit)})"
                        f"×100%={fmt(exact, r.decimals, '%')}"
                    )
                    out.append(c)
                    continue
            if not acts or not buds:
                out.append(unverifiable(c, "句中未同时给出实际数和预算数"))
                continue
            num_, den = acts[-1], buds[-1]
            if isinstance(den, tuple):
                den_ref, den = ref_of(ctx, den), den[0]
            else:
                den_ref = ctx.ref(den)
            c.refs = c.refs + (ctx.ref(num_), den_ref) + tuple(ctx.ref(x) for x in excl)
            base = den.wan - sum((x.wan for x in excl), Decimal(0))
            if base == 0:
                out.append(unverifiable(c, "分母（预算数）为0，比率无意义"))
                continue
            exact = num_.wan * 100 / base
            judge(c, exact, r.decimals)
            ded = "".join(f"−{fmt(x.value, x.decimals, x.unit)}" for x in excl)
            den_s = (
                f"({fmt(den.value, den.decimals, den.unit)}{ded})"
                if excl
                else fmt(den.value, den.decimals, den.unit)
            )
            c.formula = (
                f"{fmt(num_.value, num_.decimals, num_.unit)}/{den_s}×100%={fmt(exact, r.decimals, '%')}"
            )
            if c.status == "mismatch" and not excl and not isinstance(den, tuple):
                _carry_over_rate(ctx, c, r, before, den)
            out.append(c)
            continue
        share = re.search(r"占(.{2,24}?)的?(比重|比例)?为?$", lab)
        if share and "预算" in share.group(1) and not re.search(r"预算(支出|收入)", share.group(1)):
            share = None  # "占调整预算100.93%": a completion rate whose budget is not given
        if share:
            # "合同金额80.00万元，占政府采购支出总额的90.91%": the whole is named and stated before
            part = [n for n in before if n.kind == "amount"]
            whole = (
                find_by_subject(ctx, share.group(1).strip(" “”"), part[-1].start, want="any")
                if part
                else None
            )
            if part and whole is not None:
                w = whole[0] if isinstance(whole, tuple) else whole
                c.refs = c.refs + (ctx.ref(part[-1]), ref_of(ctx, whole))
                if w.wan == 0:
                    out.append(unverifiable(c, "总数为0，占比无意义"))
                    continue
                exact = part[-1].wan * 100 / w.wan
                judge(c, exact, r.decimals)
                c.formula = (
                    f"{fmt(part[-1].value, part[-1].decimals, part[-1].unit)}/{fmt(w.value, w.decimals, w.unit)}"
                    f"×100%={fmt(exact, r.decimals, '%')}"
                )
                out.append(c)
                continue
        out.append(unverifiable(c, "句中未给出计算该比率所需的数据"))
    return out


def _carry_over_rate(ctx: ParaContext, c: Claim, r: Num, before: list[Num], den: Num) -> None:
    """Budgets are also stated with in-year additions and carry-over (DESIGN §6):
    执行率 over 年初 + 追加, and 预算完成率 = (上年结转 + 年初 + 追加 − 年末结余) / (上年结转 + 年初 + 追加).
    When the plain ratio does not hold and those figures are in the sentence, read it that way."""
    text, nums = ctx.text, ctx.nums
    labs = {n: label_of(text, n, nums) for n in before}
    adds = [n for n in before if n.start > den.start and role_of(labs[n]) == "adjust"]
    carry = [n for n in before if "结转" in labs[n] and "年末" not in labs[n]]
    left = [n for n in before if "结余" in labs[n] or ("年末" in labs[n] and "结转" in labs[n])]
    acts = [n for n in before if role_of(labs[n]) == "actual"]
    if not adds and not carry:
        return
    signed = sum(
        (-abs(n.wan) if has_any(labs[n], ("调减", "核减", "减少")) else n.wan for n in adds), Decimal(0)
    )
    base = sum((n.wan for n in carry), Decimal(0)) + den.wan + signed
    options = []
    if acts and base:
        options.append((acts[-1].wan * 100 / base, acts[-1:], "实际数/（上年结转+年初预算+调整）"))
    if left and base:
        options.append(
            ((base - sum((n.wan for n in left), Decimal(0))) * 100 / base, left, "（可用数−年末结余）/可用数")
        )
    for exact, used, how in options:
        trial = Claim(c.kind, c.text, c.location, c.stated)
        judge(trial, exact, r.decimals)
        if trial.status in ("ok", "rounding"):
            c.computed, c.status = trial.computed, trial.status
            c.refs = (c.refs[0], *(ctx.ref(n) for n in (*carry, den, *adds, *used)))
            c.formula = f"{how}={fmt(exact, r.decimals, '%')}"
            return


def _budget_from_gap(text: str, nums, s_s: int, s_e: int, act: Num):
    """ "决算20.00万元，完成预算的80.00%，比预算节约5.00万元": budget = actual + saving (or
    actual − overrun). Returns (the gap figure, budget in 万元) or None."""
    for n in nums:
        if not (s_s <= n.start < s_e) or n.kind != "amount" or n is act:
            continue
        m = _VS_BUDGET.search(text[max(s_s, n.start - 16) : n.start])
        if m:
            down = m.group("verb") not in ("增加", "超支", "超出", "多支出", "多")
            gap = abs(n.wan) if down else -abs(n.wan)
            return n, act.wan + gap
    return None
