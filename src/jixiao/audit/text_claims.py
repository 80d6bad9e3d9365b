"""Relate stage, part 1: written-out formulas and change sentences (较上年 / 比上年 / 同比,
较预算节约). Each extractor gets a :class:`ParaContext` and returns claims; the stated figures it
claims are marked as used so a later extractor does not claim them again. The order in which
extractors run is ``pipeline.PARAGRAPH_EXTRACTORS``.
"""

from __future__ import annotations

import re

from . import formulas as F
from .context import (
    CMP,
    SUBJECT_TRIM,
    ParaContext,
    find_by_subject,
    is_change_label,
    measure,
    ref_of,
    to_unit,
)
from .numbers import (
    Num,
    clause_end,
    clause_start,
    find_numbers,
    has_any,
    label_of,
    role_of,
    sentence_of,
    sentences,
)
from .recompute import MISMATCH, Claim, fmt, judge, unverifiable

# --- 1. explicit formulas ------------------------------------------------------------------

_CALC_WORD = re.compile(r"(具体)?(计算(公式|方法|过程|如下)?|算式|公式)[为是]?[:：]?\s*$")


def formula_claims(ctx: ParaContext) -> list[Claim]:
    text, nums = ctx.text, ctx.nums
    out: list[Claim] = []
    by_start = {n.start: n for n in nums}
    done_exprs: set[tuple[int, int]] = set()

    def build(expr_s: int, expr_e: int, stated: Num, also: list[Num]):
        toks = F.strip_label_brackets(F.tokenize(text, expr_s, expr_e, nums))
        if sum(1 for k, _ in toks if k == "num") < 2 or not any(k == "op" for k, _ in toks):
            return
        try:
            value, used = F.evaluate(toks)
        except ValueError:
            return
        done_exprs.add((expr_s, expr_e))
        ctx.formula_spans.append((expr_s, expr_e))
        for st in [stated, *also]:
            if ctx.is_used(st):
                continue
            c = ctx.claim("formula", st)
            c.refs = (ctx.ref(st), *(ctx.ref(u) for u in used if not _is_times100(text, u)))
            expr = F.render(toks)
            if (
                st.kind == "rate"
                and value is not None
                and "%" not in expr
                and "/" in expr
                and abs(value) < 100
                and abs(value * 100 - st.value) < abs(value - st.value)
            ):
                # "(63.46-32)÷32=98.31%": a ratio written without ×100%, its result in per cent
                value = value * 100
                expr = f"({expr})×100%"
            judge(c, value, st.decimals, why_none="算式中除数为0", **measure(st))
            c.formula = f"{expr}={fmt(c.computed, st.decimals, st.unit)}"
            ctx.mark(st)
            out.append(c)

    # a) "expression = figure"
    for m in re.finditer(r"[=]", text):
        q = m.start()
        j = q + 1
        while j < len(text) and text[j] == " ":
            j += 1
        stated = by_start.get(j) or (by_start.get(j + 1) if text[j : j + 1] in "-－" else None)
        if stated is None:
            continue
        s = F.expression_start(text, q)
        before = _stated_before(text, nums, s, stated.kind)
        build(s, q, stated, before)
    # b) "rate W%，具体计算：expression×100%" (no "=")
    for m in F.TIMES100.finditer(text):
        after = text[m.end() : m.end() + 3].lstrip()
        if after[:1] == "=":
            continue
        e = m.end()
        s = F.expression_start(text, m.start())
        if any(a <= s and e <= b for a, b in done_exprs):
            continue
        before = _stated_before(text, nums, s, "rate")
        if before:
            build(s, e, before[0], before[1:])
    return out


def _is_times100(text: str, n: Num) -> bool:
    """The constant of '×100%' is not a figure of the report."""
    return n.text == "100" and bool(re.search(r"[×xX*]\s*$", text[max(0, n.start - 3) : n.start]))


def _stated_before(text: str, nums, expr_start: int, kind: str) -> list[Num]:
    """The result stated just before '具体计算：' (or '（…）') that introduces the expression."""
    head = text[max(0, expr_start - 40) : expr_start]
    prev = [n for n in nums if n.kind == kind and n.end <= expr_start]
    if (
        prev
        and re.fullmatch(r"%?\s*[（(]?\s*", text[prev[-1].end : expr_start])
        and expr_start > prev[-1].end
    ):
        return prev[-1:]  # "控制率为99.50%（147.41/148.15×100%=99.50%）"
    if not _CALC_WORD.search(head.rstrip("（(〔[ ")):
        return []
    cands = [n for n in nums if n.kind == kind and expr_start - 40 <= n.end <= expr_start]
    return cands[-1:] if cands else []


# --- 2. change sentences (较上年 / 比上年 / 与上年对比 / 同比, 较预算节约) ------------------------

_VERB = re.compile(r"增加|增长|减少|下降|压减|降低|上升|提高|节约|节省|缩减|增收|减收|增支|减支|减|增")
_DOWN = ("减少", "下降", "压减", "降低", "节约", "节省", "缩减", "减收", "减支", "减")
_RATE_LABEL = ("率", "幅", "增长", "下降", "减少", "比例", "百分", "上升", "降低")


def change_claims(ctx: ParaContext) -> list[Claim]:
    text, nums = ctx.text, ctx.nums
    out: list[Claim] = []
    prev_end = 0
    for m in CMP.finditer(text):
        s_s, s_e = sentence_of(text, m.start())
        lo = max(prev_end, s_s)
        v = _VERB.search(text, m.end(), clause_end(text, m.end(), s_e, marks="；;。") + 1)
        if v is None or v.start() > s_e:
            continue
        if text[v.end() : v.end() + 1] in ("至", "到"):  # "减少至 2.47" states a level, not a change
            continue
        target = text[m.end() : v.start()]
        vs_budget = "预算" in target[:4] and "上年" not in target
        prior_c = [n for n in nums if m.end() <= n.start < v.start() and n.kind in ("amount", "count")]
        prior = prior_c[0] if prior_c else None
        ce = clause_end(text, v.end(), s_e)
        after = [n for n in nums if v.end() <= n.start < ce]
        if not after:
            continue
        first = after[0]
        if (
            text[v.end() : first.start].strip(" ：:为了的共计总额达到")
            and len(text[v.end() : first.start]) > 6
        ):
            continue
        stated_amt = first if first.kind in ("amount", "count") else None
        stated_rate = first if first.kind == "rate" else None
        if stated_amt is None and stated_rate is None:
            continue
        if stated_amt is not None:
            nxt = CMP.search(text, stated_amt.end, s_e)
            lim = nxt.start() if nxt else s_e
            for n in nums:
                if stated_amt.end <= n.start < lim and n.kind == "rate":
                    lab = text[stated_amt.unit_end : n.start]
                    if has_any(lab, _RATE_LABEL) and "；" not in lab:
                        stated_rate = n
                    break
        prev_end = (stated_rate or stated_amt).end
        # the current value: just before the marker, after the previous claim
        cur_c = [
            n
            for n in nums
            if lo <= n.start
            and n.end <= m.start()
            and n.kind in ("amount", "count")
            and not _bracketed(text, n, m.start())
        ]
        current = cur_c[-1] if cur_c else None
        if (
            prior is None
            and current is not None
            and len(cur_c) >= 2
            and re.search(r"上年|去年|上一年|同期", label_of(text, current, nums))
        ):
            # "本年支出500万元，上年同期为400万元，同比增长25%": last year's figure came first
            prior, current = current, cur_c[-2]
        subject = _subject(text, m.start(), lo)
        if vs_budget:
            if current is not None and role_of(label_of(text, current, nums)) == "budget":
                current = None
            current = current or find_by_subject(ctx, subject, m.start(), want="actual")
            prior = prior or find_by_subject(ctx, subject, m.start(), want="budget")
        elif current is None:
            current = find_by_subject(ctx, subject, m.start(), want="actual")
            if current is None and not text[s_s : m.start()].strip(" ，,") and s_s > 0:
                # "…支出决算为A元，其中…。较上年B元减少C元": the figure that opens the sentence before
                p_s, p_e = sentence_of(text, s_s - 1)
                lead = [n for n in nums if p_s <= n.start < p_e and n.kind in ("amount", "count")]
                current = lead[0] if lead else None
        if vs_budget and (current is None or prior is None):
            # "较预算节约X万元，计算过程：预算数A－实际支出数B…" or the totals of the sentences before
            tail = [
                n for n in nums if (stated_rate or stated_amt).end <= n.start < s_e and n.kind == "amount"
            ]
            for n in tail:
                if is_change_label(label_of(text, n, nums)):
                    continue
                r = role_of(label_of(text, n, nums))
                if prior is None and r == "budget":
                    prior = n
                elif current is None and r == "actual":
                    current = n
            if current is None or prior is None:
                b_, a_ = _budget_actual_before(ctx, s_s)
                prior, current = prior or b_, current or a_
        sign = -1 if v.group(0) in _DOWN else 1
        rate_sign = sign
        if stated_rate is not None and stated_amt is not None:
            rate_sign = _direction(text[stated_amt.unit_end : stated_rate.start]) or sign
        if vs_budget and prior is None and current is not None:
            # "…预算25.00万元，决算20.00万元，比预算节约5.00万元": the budget stated before the marker
            buds = [n for n in cur_c if role_of(label_of(text, n, nums)) == "budget" and n is not current]
            named = [
                n
                for n in buds
                if any(w in target and w in label_of(text, n, nums) for w in ("年初", "调整后", "全年"))
            ]
            prior = (named or buds)[-1] if buds else None
        derived = None
        if (
            prior is None
            and current is not None
            and stated_amt is not None
            and stated_rate is not None
            and not isinstance(current, tuple)
            and _level_before(text, current, m.start(), nums)
            and current.kind == stated_amt.kind
            and not re.search(r"占|比重|比例|执行|完成|百分点", text[stated_amt.unit_end : stated_rate.start])
        ):
            # "公务接待费5.00万元，较上年减少1.00万元，下降16.67%": prior = current − change
            d = stated_amt.wan if stated_amt.value < 0 else stated_amt.wan * sign
            derived = (current.wan - d, d)
        for st in (stated_amt, stated_rate):
            if st is None or ctx.is_used(st):
                continue
            kind = "saving" if vs_budget else ("change_rate" if st.kind == "rate" else "change")
            c = ctx.claim(kind, st)
            ctx.mark(st)
            cur, pri = (
                current[0] if isinstance(current, tuple) else current,
                prior[0] if isinstance(prior, tuple) else prior,
            )
            c.refs = c.refs + tuple(ref_of(ctx, x) for x in (current, prior) if x is not None)
            if derived is not None and pri is None:
                base, d = derived
                if st.kind != "rate":
                    out.append(
                        unverifiable(
                            c,
                            f"{'预算数' if vs_budget else '上年数'}未给出，增减额无法复核"
                            "（变动率已按本期数与增减额复核）",
                        )
                    )
                    continue
                c.refs = c.refs + (ctx.ref(stated_amt),)
                if base == 0 and st.value != 0:
                    c.status, c.computed = MISMATCH, None
                    c.reason = (
                        f"本期数减增减额得上年数为0，变动率无从计算，不应写作具体百分比"
                        f"（{fmt(cur.value, cur.decimals, cur.unit)}−{fmt(abs(stated_amt.value), stated_amt.decimals, stated_amt.unit)}=0）"
                    )
                    out.append(c)
                    continue
                if base <= 0:
                    out.append(unverifiable(c, "由本期数与增减额推得的基数不为正，变动率无意义"))
                    continue
                exact = d * 100 / base
                judge(c, exact * (1 if st.value < 0 else rate_sign), st.decimals)
                amt_s = fmt(abs(stated_amt.value), stated_amt.decimals, stated_amt.unit)
                base_s = fmt(to_unit(base, stated_amt), stated_amt.decimals, stated_amt.unit)
                c.formula = (
                    f"{'+' if d >= 0 else '−'}{amt_s}/({fmt(cur.value, cur.decimals, cur.unit)}"
                    f"{'−' if d >= 0 else '+'}{amt_s}={base_s})×100%={fmt(exact, st.decimals, '%')}"
                )
                _contradiction(c, sign, rate_sign, v.group(0))
                out.append(c)
                continue
            if cur is None or pri is None:
                what = "本期数" if cur is None else ("预算数" if vs_budget else "上年数")
                out.append(unverifiable(c, f"句中及上下文未找到{what}，无法复核"))
                continue
            if st.kind == "rate" and pri.wan == 0:
                if st.value == 0 or cur.wan == 0:
                    out.append(unverifiable(c, "上年数为0，变动率无意义"))
                else:
                    c.status, c.computed = MISMATCH, None
                    c.reason = "基数（上年数）为0，变动率无从计算，不应写作具体百分比"
                    out.append(c)
                continue
            diff = cur.wan - pri.wan
            if st.kind == "rate":
                exact = diff * 100 / pri.wan
                shown_exact = exact * (1 if st.value < 0 else rate_sign)
                judge(c, shown_exact, st.decimals)
                verb = v.group(0) if rate_sign == sign else ("下降" if rate_sign < 0 else "增长")
                c.formula = (
                    f"({fmt(cur.value, cur.decimals, cur.unit)}−{fmt(pri.value, pri.decimals, pri.unit)})"
                    f"/{fmt(pri.value, pri.decimals, pri.unit)}×100%={fmt(exact, st.decimals, '%')}"
                    f"（{verb}{fmt(c.computed, st.decimals, '%')}）"
                )
                _contradiction(c, sign, rate_sign, verb)
            else:
                exact = to_unit(diff, st)
                judge(c, exact * (1 if st.value < 0 else sign), st.decimals, **measure(st))
                c.formula = (
                    f"{fmt(cur.value, cur.decimals, cur.unit)}−{fmt(pri.value, pri.decimals, pri.unit)}"
                    f"={fmt(exact, st.decimals, st.unit)}"
                )
            out.append(c)
    return out


_UP_WORDS = ("增长", "增加", "上升", "提高", "增幅", "上涨", "增")
_DOWN_WORDS = ("下降", "减少", "降低", "降幅", "减幅", "压减", "缩减", "节约", "节省", "减")


def _direction(label: str) -> int:
    """+1 / −1 by the last direction word in a rate's label ("增长" / "降幅" …), 0 when none."""
    label = re.sub(r"增减|升降|增降|涨跌", "", label)
    label = re.split(r"[，,；;：:]", label)[-1]  # the rate's own clause
    best, at = 0, -1
    for words, sgn in ((_UP_WORDS, 1), (_DOWN_WORDS, -1)):
        for w in words:
            i = label.rfind(w)
            if i >= 0 and i + len(w) > at:
                best, at = sgn, i + len(w)
    return best


def _contradiction(c: Claim, amt_sign: int, rate_sign: int, verb: str) -> None:
    if rate_sign != amt_sign and c.status == "mismatch":
        c.reason = f"增减方向矛盾：金额写作“{verb}”，变动率却写作“{'下降' if rate_sign < 0 else '增长'}”"


def _bracketed(text: str, n: Num, until: int) -> bool:
    """Is ``n`` inside brackets that close before ``until`` (a detail: "7,634.75万元（其中：购置费
    2,337.35万元…），比年初预算增加…")?"""
    depth = 0
    for ch in text[n.end : until]:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            if depth == 0:
                return True
            depth -= 1
    return False


def _level_before(text: str, current: Num, marker: int, nums) -> bool:
    """Is ``current`` the level figure the comparison is about: right before the marker (only
    punctuation between), not inside brackets, and not itself a change?"""
    # a clause holding only a percentage (a share, 完成预算的90%) may stand between
    gap = re.sub(r"[，,][^，,；;。%\d]{0,30}?-?[\d.]+%", "", text[current.unit_end : marker])
    if gap.strip(" ，,：:") or "）" in gap or ")" in gap:
        return False
    lab = label_of(text, current, nums)
    return not _VERB.search(lab) and not re.search(r"上年|去年|上一年|同期", lab) and role_of(lab) != "budget"


def _subject(text: str, marker: int, lo: int) -> str:
    s = clause_start(text, marker, lo)
    subj = text[s:marker].strip(' “”"')
    subj = re.sub(r"（[^）]*）", "", subj)
    subj = SUBJECT_TRIM.sub("", subj)
    return subj.strip(' “”"的')


def _budget_actual_before(ctx: ParaContext, before: int):
    """The budget and actual totals stated in the sentences just before (figures inside a
    其中/包括 list are parts, not totals)."""
    budget = actual = None
    for back in range(0, 2):
        k = ctx.pos - back
        if k < 0:
            break
        text = ctx.paragraphs[k].text
        nums = find_numbers(text)
        limit = before if back == 0 else len(text)
        for s, e in reversed([x for x in sentences(text) if x[0] < limit]):
            e = min(e, limit)
            inside = [
                (mm.end(), clause_end(text, mm.end(), e, marks="；;。"))
                for mm in re.finditer(r"其中|包括", text[:e])
                if mm.start() >= s
            ]
            for n in nums:
                if not (s <= n.start < e) or n.kind != "amount" or any(a <= n.start < b for a, b in inside):
                    continue
                if is_change_label(label_of(text, n, nums)):
                    continue
                r = role_of(label_of(text, n, nums))
                ref = n if back == 0 else (n, ctx.paragraphs[k].index)
                if r == "budget" and budget is None:
                    budget = ref
                elif r == "actual" and actual is None:
                    actual = ref
            if budget is not None and actual is not None:
                return budget, actual
            if budget is not None or actual is not None:
                break
    return None, None
