"""Claims made in paragraphs. Each extractor is registered and tested on its own.

An extractor gets a :class:`ParaContext` and returns claims; the stated figures it claims are
marked as used so a later extractor (the generic rate reader) does not claim them again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from . import formulas as F
from .document import Paragraph
from .numbers import (
    AMOUNT_UNITS,
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
from .recompute import Claim, fmt, judge, unverifiable

PARAGRAPH_EXTRACTORS: list[tuple[str, Callable]] = []


def extractor(name: str):
    def deco(fn):
        PARAGRAPH_EXTRACTORS.append((name, fn))
        return fn
    return deco


@dataclass
class ParaContext:
    paragraphs: list[Paragraph]
    pos: int                      # position of this paragraph in ``paragraphs``
    used: set = field(default_factory=set)   # spans (start, end) already stated by a claim
    formula_spans: list = field(default_factory=list)   # written-out expressions (their inputs are not claims)

    @property
    def para(self) -> Paragraph:
        return self.paragraphs[self.pos]

    @property
    def text(self) -> str:
        return self.para.text

    @property
    def nums(self) -> tuple[Num, ...]:
        return find_numbers(self.text)

    def ref(self, n: Num) -> tuple:
        return ("p", self.para.index, n.start, n.end)

    def claim(self, kind: str, stated: Num, *, unit: str | None = None) -> Claim:
        s, e = sentence_of(self.text, stated.start)
        sent = self.text[s:e].strip()
        if len(sent) > 150:
            a = max(s, clause_start(self.text, stated.start, s, marks="；;。") if stated.start - s > 70 else s)
            a = max(a, stated.start - 70)
            b = min(e, stated.end + 60)
            sent = ("…" if a > s else "") + self.text[a:b].strip() + ("…" if b < e else "")
        return Claim(kind=kind, text=sent, location={"paragraph": self.para.index},
                     stated=stated.value, unit=stated.unit if unit is None else unit,
                     refs=(self.ref(stated),))

    def mark(self, n: Num) -> None:
        self.used.add((n.start, n.end))

    def is_used(self, n: Num) -> bool:
        return (n.start, n.end) in self.used


def to_unit(x_wan: Decimal, n: Num) -> Decimal:
    """A value in 万元 expressed in the unit ``n`` is printed in."""
    if n.kind == "amount":
        return x_wan / AMOUNT_UNITS.get(n.unit, Decimal(1))
    return x_wan


def _measure(stated: Num) -> dict:
    return {"exact_only": stated.kind == "count"}


# --- 1. explicit formulas ------------------------------------------------------------------

_CALC_WORD = re.compile(r"(具体)?(计算(公式|方法|过程|如下)?|算式|公式)[为是]?[:：]?\s*$")


@extractor("formula")
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
            judge(c, value, st.decimals, why_none="算式中除数为0", **_measure(st))
            c.formula = f"{expr}={fmt(c.computed, st.decimals, st.unit)}"
            ctx.mark(st)
            out.append(c)

    # a) "expression = figure"
    for m in re.finditer(r"[=]", text):
        q = m.start()
        j = q + 1
        while j < len(text) and text[j] == " ":
            j += 1
        stated = by_start.get(j) or (by_start.get(j + 1) if text[j:j + 1] in "-－" else None)
        if stated is None:
            continue
        s = F.expression_start(text, q)
        before = _stated_before(text, nums, s, stated.kind)
        build(s, q, stated, before)
    # b) "rate W%，具体计算：expression×100%" (no "=")
    for m in F.TIMES100.finditer(text):
        after = text[m.end():m.end() + 3].lstrip()
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
    return n.text == "100" and bool(re.search(r"[×xX*]\s*$", text[max(0, n.start - 3):n.start]))


def _stated_before(text: str, nums, expr_start: int, kind: str) -> list[Num]:
    """The result stated just before '具体计算：' (or '（…）') that introduces the expression."""
    head = text[max(0, expr_start - 40):expr_start]
    prev = [n for n in nums if n.kind == kind and n.end <= expr_start]
    if prev and re.fullmatch(r"%?\s*[（(]?\s*", text[prev[-1].end:expr_start]) and expr_start > prev[-1].end:
        return prev[-1:]            # "控制率为99.50%（147.41/148.15×100%=99.50%）"
    if not _CALC_WORD.search(head.rstrip("（(〔[ ")):
        return []
    cands = [n for n in nums if n.kind == kind and expr_start - 40 <= n.end <= expr_start]
    return cands[-1:] if cands else []


# --- 2. change sentences (较上年 / 比上年 / 与上年对比 / 同比, 较预算节约) ------------------------

_CMP = re.compile(r"(较|比|与)(?=\s*(上年|上一年|去年|同期|前一年|上年度|\d{4}年|预算|年初|本年预算))|同比")
_VERB = re.compile(r"增加|增长|减少|下降|压减|降低|上升|提高|节约|节省|缩减|减|增")
_DOWN = ("减少", "下降", "压减", "降低", "节约", "节省", "缩减", "减")
_RATE_LABEL = ("率", "幅", "增长", "下降", "减少", "比例", "百分", "上升", "降低")
_SUBJECT_TRIM = re.compile(r"^(\d{4}年度?|全年|本年度?|本期|我局|我单位|本单位|本部门|其中|另外|同时|此外)+")


@extractor("change")
def change_claims(ctx: ParaContext) -> list[Claim]:
    text, nums = ctx.text, ctx.nums
    out: list[Claim] = []
    prev_end = 0
    for m in _CMP.finditer(text):
        s_s, s_e = sentence_of(text, m.start())
        lo = max(prev_end, s_s)
        v = _VERB.search(text, m.end(), clause_end(text, m.end(), s_e, marks="；;。") + 1)
        if v is None or v.start() > s_e:
            continue
        if text[v.end():v.end() + 1] in ("至", "到"):   # "减少至 2.47" states a level, not a change
            continue
        target = text[m.end():v.start()]
        vs_budget = "预算" in target[:4] and "上年" not in target
        prior_c = [n for n in nums if m.end() <= n.start < v.start() and n.kind in ("amount", "count")]
        prior = prior_c[0] if prior_c else None
        ce = clause_end(text, v.end(), s_e)
        after = [n for n in nums if v.end() <= n.start < ce]
        if not after:
            continue
        first = after[0]
        if text[v.end():first.start].strip(" ：:为了的共计总额达到") and len(text[v.end():first.start]) > 6:
            continue
        stated_amt = first if first.kind in ("amount", "count") else None
        stated_rate = first if first.kind == "rate" else None
        if stated_amt is not None:
            nxt = _CMP.search(text, stated_amt.end, s_e)
            lim = nxt.start() if nxt else s_e
            for n in nums:
                if stated_amt.end <= n.start < lim and n.kind == "rate":
                    lab = text[stated_amt.unit_end:n.start]
                    if has_any(lab, _RATE_LABEL) and "；" not in lab:
                        stated_rate = n
                    break
        prev_end = (stated_rate or stated_amt).end
        # the current value: just before the marker, after the previous claim
        cur_c = [n for n in nums if lo <= n.start and n.end <= m.start() and n.kind in ("amount", "count")]
        current = cur_c[-1] if cur_c else None
        subject = _subject(text, m.start(), lo)
        if vs_budget:
            if current is not None and role_of(label_of(text, current, nums)) == "budget":
                current = None
            current = current or _find_by_subject(ctx, subject, m.start(), want="actual")
            prior = prior or _find_by_subject(ctx, subject, m.start(), want="budget")
        elif current is None:
            current = _find_by_subject(ctx, subject, m.start(), want="actual")
        if vs_budget and (current is None or prior is None):
            # "较预算节约X万元，计算过程：预算数A－实际支出数B…" or the totals of the sentences before
            tail = [n for n in nums if (stated_rate or stated_amt).end <= n.start < s_e and n.kind == "amount"]
            for n in tail:
                r = role_of(label_of(text, n, nums))
                if prior is None and r == "budget":
                    prior = n
                elif current is None and r == "actual":
                    current = n
            if current is None or prior is None:
                b_, a_ = _budget_actual_before(ctx, s_s)
                prior, current = prior or b_, current or a_
        sign = -1 if v.group(0) in _DOWN else 1
        for st in (stated_amt, stated_rate):
            if st is None or ctx.is_used(st):
                continue
            kind = "saving" if vs_budget else ("change_rate" if st.kind == "rate" else "change")
            c = ctx.claim(kind, st)
            ctx.mark(st)
            cur, pri = current[0] if isinstance(current, tuple) else current, \
                prior[0] if isinstance(prior, tuple) else prior
            c.refs = c.refs + tuple(_ref(ctx, x) for x in (current, prior) if x is not None)
            if cur is None or pri is None:
                what = "本期数" if cur is None else ("预算数" if vs_budget else "上年数")
                out.append(unverifiable(c, f"句中及上下文未找到{what}，无法复核"))
                continue
            if st.kind == "rate" and pri.wan == 0:
                out.append(unverifiable(c, "上年数为0，变动率无意义"))
                continue
            diff = cur.wan - pri.wan
            if st.kind == "rate":
                exact = diff * 100 / pri.wan
                shown_exact = exact * (1 if st.value < 0 else sign)
                judge(c, shown_exact, st.decimals)
                verb = v.group(0)
                c.formula = (f"({fmt(cur.value, cur.decimals, cur.unit)}−{fmt(pri.value, pri.decimals, pri.unit)})"
                             f"/{fmt(pri.value, pri.decimals, pri.unit)}×100%={fmt(exact, st.decimals, '%')}"
                             f"（{verb}{fmt(c.computed, st.decimals, '%')}）")
            else:
                exact = to_unit(diff, st)
                judge(c, exact * (1 if st.value < 0 else sign), st.decimals, **_measure(st))
                c.formula = (f"{fmt(cur.value, cur.decimals, cur.unit)}−{fmt(pri.value, pri.decimals, pri.unit)}"
                             f"={fmt(exact, st.decimals, st.unit)}")
            out.append(c)
    return out


def _ref(ctx: ParaContext, x):
    if isinstance(x, tuple):            # (Num, paragraph index) found in another paragraph
        n, pidx = x
        return ("p", pidx, n.start, n.end)
    return ctx.ref(x)


def _subject(text: str, marker: int, lo: int) -> str:
    s = clause_start(text, marker, lo)
    subj = text[s:marker].strip(" “”\"")
    subj = re.sub(r"（[^）]*）", "", subj)
    subj = _SUBJECT_TRIM.sub("", subj)
    return subj.strip(" “”\"的")


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
            inside = [(mm.end(), clause_end(text, mm.end(), e, marks="；;。"))
                      for mm in re.finditer(r"其中|包括", text[:e]) if mm.start() >= s]
            for n in nums:
                if not (s <= n.start < e) or n.kind != "amount" or any(a <= n.start < b for a, b in inside):
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


_ROLE_TAIL = re.compile(r"(资金|经费)?(实际)?(支出|使用|执行|决算|发生|完成|到位|分配|拨付)(数|额|金额)?$")


def _subject_of_label(label: str) -> str:
    s = _SUBJECT_TRIM.sub("", re.sub(r"^截至[^，]*", "", label.strip(" ，,：:为")))
    prev = None
    while prev != s:
        prev, s = s, _ROLE_TAIL.sub("", s)
    return s.strip(" “”")


def _find_by_subject(ctx: ParaContext, subject: str, before: int, want: str, prefer: str = ""):
    """A level figure for ``subject`` in earlier sentences of this paragraph, then up to three
    paragraphs back: the first one after the subject whose label reads ``want`` (actual/budget);
    for 'actual', a figure with a neutral label is accepted too. Returns Num (this paragraph)
    or (Num, paragraph index)."""
    if len(subject) < 2:
        return None
    key = subject.replace("“", "").replace("”", "").replace('"', "")
    for back in range(0, 6):
        k = ctx.pos - back
        if k < 0:
            break
        text = ctx.paragraphs[k].text
        nums = find_numbers(text)
        limit = before if back == 0 else len(text)
        sents = [(s, e) for s, e in sentences(text) if s < limit]
        for s, e in reversed(sents):
            e = min(e, limit)
            plain = text[s:e].replace("“", "").replace("”", "").replace('"', "")
            i = plain.find(key)
            if i < 0:
                continue
            # position of the subject in the real text (quotes removed shift it; search loosely)
            start = s + i
            stop = e
            mm = re.search(r"其中|包括", text[start:e])
            if mm:
                stop = start + mm.start()
            hits = []
            for n in nums:
                if not (start <= n.start < stop) or n.kind != "amount":
                    continue
                lab = label_of(text, n, nums)
                r = role_of(lab)
                if want == "any" or r == want or (want == "actual" and r in ("", "total") and "预算" not in lab):
                    hits.append((n, lab))
            if hits:
                best = [h for h in hits if prefer and prefer in h[1]] or hits
                n = best[0][0]
                return n if back == 0 else (n, ctx.paragraphs[k].index)
    return None


# --- 3. parts and totals (其中 / 包括 / 以上…共计) ----------------------------------------------

_TRIGGER = re.compile(r"(其中|包括|包含)[：:]?")
_CLAUSE_SPLIT = re.compile(r"，|,(?!\d{3})")
_STOP_ITEM = re.compile(r"^(全年|合计|共计|总计|以上|另|此外|同时|年中)")
_NET = ("净值", "账面价值", "余额", "净额")


@extractor("parts")
def parts_claims(ctx: ParaContext) -> list[Claim]:
    text, nums = ctx.text, ctx.nums
    out: list[Claim] = []
    for m in _TRIGGER.finditer(text):
        before = [n for n in nums if n.unit_end <= m.start()]
        if not before:
            continue
        total = before[-1]
        gap = text[total.unit_end:m.start()]
        s_s, s_e = sentence_of(text, m.start())
        if not text[s_s:m.start()].strip() and s_s > 0:
            # "X为A万元，较上年…。其中：…": the total is the level figure that opens the sentence before
            p_s, p_e = sentence_of(text, s_s - 1)
            lead = [n for n in nums if p_s <= n.start < p_e and n.kind in ("amount", "count")]
            if not lead:
                continue
            total, gap = lead[0], ""
        if gap.strip(" ，,：:") or total.kind not in ("amount", "count") or ctx.is_used(total):
            continue
        parts, ambiguous, nested = _list_items(text, nums, m.end(), s_e, total)
        if nested and len(parts) < 2:
            parts += _lead_amounts_after(ctx, s_e, total, sum((p.wan for p in parts), Decimal(0)))
        if len(parts) < 2 and not ambiguous:
            continue
        out.append(_parts_claim(ctx, total, parts, ambiguous,
                                partial=text[s_s:s_e].rstrip("。；; ").endswith("等")))
    # 以上…共计 / 合计 X at the end of a list
    for m in re.finditer(r"(以上[^，。；]{0,24}?(共计|合计|总计|累计|计)|(?<=[，,；;])(共计|合计|总计))\s*", text):
        after = [n for n in nums if n.start >= m.end() and n.start <= m.end() + 1]
        if not after:
            continue
        total = after[0]
        if total.kind not in ("amount", "count") or ctx.is_used(total):
            continue
        s_s, _ = sentence_of(text, m.start())
        parts = [n for n in nums if s_s <= n.start and n.end <= m.start() and n.kind == total.kind
                 and not _in_comparison(text, n, s_s)]
        if len(parts) < 2:
            continue
        out.append(_parts_claim(ctx, total, parts, False, partial=False))
    return out


def _in_comparison(text: str, n: Num, floor: int) -> bool:
    cs = clause_start(text, n.start, floor, marks="，,；;")
    return bool(_CMP.search(text, cs, n.start)) or bool(re.search(r"较|比上年|同比", text[cs:n.start]))


def _list_items(text: str, nums, a: int, b: int, total: Num):
    """The parts listed in text[a:b]. Returns (parts, ambiguous, nested)."""
    region = text[a:b]
    same = [n for n in nums if a <= n.start < b and n.kind == total.kind]
    parts: list[Num] = []
    ambiguous = False
    nested = False
    semi = re.search(r"[；;]", region)
    if semi:
        first = [n for n in same if a <= n.start < a + semi.start() and not _in_comparison(text, n, a)]
        if len(first) >= 2 and not any(has_any(label_of(text, n, nums), _NET) for n in first):
            region = region[:semi.start()]          # "其中：A、B、C；全年实际…": the list ends at '；'
            b = a + semi.start()
            same = [n for n in same if n.start < b]
            semi = None
    if semi:
        cursor = a
        for chunk in re.split(r"[；;]", region):
            c0, c1 = cursor, cursor + len(chunk)
            cursor = c1 + 1
            level = [n for n in same if c0 <= n.start < c1 and not _in_comparison(text, n, c0)]
            if not level:
                break
            if len(level) > 1:
                net = [n for n in level if has_any(label_of(text, n, nums), _NET)]
                if len(net) == 1:
                    level = net
                else:
                    ambiguous = True
                    break
            parts.append(level[0])
        return parts, ambiguous, nested
    cursor = a
    chunks = _CLAUSE_SPLIT.split(region)
    for idx, chunk in enumerate(chunks):
        c0, c1 = cursor, cursor + len(chunk)
        cursor = c1 + 1
        body = chunk.strip()
        if _STOP_ITEM.match(body):
            break
        if re.search(r"较|比上年|同比", chunk):
            continue
        level = [n for n in same if c0 <= n.start < c1]
        if not level:
            if idx == 0 and re.match(r"^[（(]", body):
                continue
            break
        if re.search(r"包括|其中", chunk[: level[0].start - c0]):
            break
        parts.extend(level)
        if re.search(r"包括|其中", chunk[level[-1].end - c0:]) or \
                (idx + 1 < len(chunks) and re.match(r"^\s*(包括|其中)", chunks[idx + 1])):
            nested = True
            break
    return parts, ambiguous, nested


def _lead_amounts_after(ctx: ParaContext, s_e: int, total: Num, so_far: Decimal) -> list[Num]:
    """After a nested list ends a sentence, the parent list may go on in the next sentences:
    each starting with a label and a figure of the same kind."""
    text, nums = ctx.text, ctx.nums
    extra: list[Num] = []
    acc = so_far
    for s, e in sentences(text):
        if s < s_e:
            continue
        first = clause_end(text, s, e)
        lead = [n for n in nums if s <= n.start < first and n.kind == total.kind]
        if len(lead) != 1 or _CMP.search(text, s, first):
            break
        extra.append(lead[0])
        acc += lead[0].wan
        if acc >= total.wan:
            break
    return extra


def _parts_claim(ctx: ParaContext, total: Num, parts: list[Num], ambiguous: bool, partial: bool) -> Claim:
    kind = "count_parts" if total.kind == "count" else "parts"
    c = ctx.claim(kind, total)
    ctx.mark(total)
    c.refs = c.refs + tuple(ctx.ref(p) for p in parts)
    if ambiguous:
        return unverifiable(c, "分项中有多个金额（如原值与净值），无法确定应加总哪一个")
    exact = sum((p.wan for p in parts), Decimal(0))
    judge(c, to_unit(exact, total), total.decimals, **_measure(total))
    if c.status == "mismatch" and partial and exact < total.wan:
        unverifiable(c, "分项以“等”结尾，可能未列全")
    c.formula = "+".join(fmt(p.value, p.decimals, p.unit) for p in parts) + \
        f"={fmt(to_unit(exact, total), total.decimals, total.unit)}"
    return c


# --- 4. 年初 + 调整 = 全年 in prose; 原值 − 累计折旧 = 净值 --------------------------------------

@extractor("budget_identity")
def budget_identity_claims(ctx: ParaContext) -> list[Claim]:
    text, nums = ctx.text, ctx.nums
    out: list[Claim] = []
    for s, e in sentences(text):
        amts = [n for n in nums if s <= n.start < e and n.kind == "amount"]
        a = b = c = None
        for n in amts:
            lab = label_of(text, n, nums)
            if "率" in lab:
                continue
            if a is None and (has_any(lab, ("年初",)) or (role_of(lab) == "budget" and "批复" in lab)) \
                    and not has_any(lab, ("全年", "调整", "追加")):
                a = n
            elif a is not None and b is None and has_any(lab, ("调整", "追加", "调增", "调减", "核减")) \
                    and not has_any(lab, ("全年",)):
                b = n
            elif a is not None and b is not None and c is None and has_any(lab, ("全年", "共计", "合计", "调整后")):
                c = n
        if a is None or b is None or c is None or ctx.is_used(c):
            continue
        blab = label_of(text, b, nums)
        down = has_any(blab, ("调减", "减少", "核减", "追减", "压减")) or b.value < 0
        bval = -abs(b.wan) if down else b.wan
        cl = ctx.claim("budget_identity", c)
        ctx.mark(c)
        cl.refs = cl.refs + (ctx.ref(a), ctx.ref(b))
        exact = to_unit(a.wan + bval, c)
        judge(cl, exact, c.decimals)
        op = "−" if down else "+"
        cl.formula = f"{fmt(a.value, a.decimals, a.unit)}{op}{fmt(abs(b.value), b.decimals, b.unit)}" \
                     f"={fmt(exact, c.decimals, c.unit)}"
        if cl.status == "mismatch" and not down and a.wan - b.wan - c.wan == 0:
            cl.reason = (f"按“{fmt(a.value, a.decimals, a.unit)}{op}{fmt(b.value, b.decimals, b.unit)}”应为"
                         f"{fmt(exact, c.decimals, c.unit)}；若调整为调减（−{fmt(b.value, b.decimals, '')}），"
                         "则与全年数相符——文字疑漏写负号或“调减”")
        out.append(cl)
    return out


@extractor("net_value")
def net_value_claims(ctx: ParaContext) -> list[Claim]:
    text, nums = ctx.text, ctx.nums
    out: list[Claim] = []
    for s, e in sentences(text):
        amts = [n for n in nums if s <= n.start < e and n.kind == "amount"]
        for i in range(len(amts) - 2):
            a, b, c = amts[i:i + 3]
            la, lb, lc = (label_of(text, x, nums) for x in (a, b, c))
            if "原值" in la and "折旧" in lb and has_any(lc, ("净值", "净额")) and not ctx.is_used(c):
                cl = ctx.claim("net_value", c)
                ctx.mark(c)
                cl.refs = cl.refs + (ctx.ref(a), ctx.ref(b))
                exact = to_unit(a.wan - b.wan, c)
                judge(cl, exact, c.decimals)
                cl.formula = f"{fmt(a.value, a.decimals, a.unit)}−{fmt(b.value, b.decimals, b.unit)}" \
                             f"={fmt(exact, c.decimals, c.unit)}"
                out.append(cl)
    return out


# --- 5. rates stated beside their inputs ---------------------------------------------------

_TARGET = re.compile(r"目标|不低于|不高于|不超过|不少于|达到\d|≥|≤|>=|<=|以上|以内|控制在|力争|预计|标准|要求")
_EXEC = ("执行率", "使用率", "完成率", "支出率", "控制率", "到位率", "支付率", "拨付率", "兑现率", "执行进度",
         "执行比例", "结余率", "分配率")
_EXCLUDE = re.compile(r"剔除|扣除|不含|除去")


@extractor("rate")
def rate_claims(ctx: ParaContext) -> list[Claim]:
    text, nums = ctx.text, ctx.nums
    out: list[Claim] = []
    for r in nums:
        if r.kind != "rate" or ctx.is_used(r) or any(a <= r.start < b for a, b in ctx.formula_spans):
            continue
        lab = label_of(text, r, nums)
        s_s, s_e = sentence_of(text, r.start)
        if "率" not in lab and not has_any(lab, ("满意度", "占比", "比重", "比例", "进度")) \
                and not re.search(r"占.{2,24}?的?$", lab):
            continue
        if _TARGET.search(lab) or _TARGET.search(text[r.end:r.end + 4]):
            continue
        c = ctx.claim("rate", r)
        ctx.mark(r)
        before = [n for n in nums if s_s <= n.start and n.end <= r.start and n.kind == "amount"]
        if has_any(lab, ("调整率", "调整比例", "追加率")):
            adj = [n for n in before if role_of(label_of(text, n, nums)) == "adjust"]
            base = [n for n in before if has_any(label_of(text, n, nums), ("年初",))
                    or (role_of(label_of(text, n, nums)) == "budget" and n not in adj
                        and "全年" not in label_of(text, n, nums))]
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
            c.formula = f"{fmt(num_.value, num_.decimals, num_.unit)}/{fmt(den.value, den.decimals, den.unit)}" \
                        f"×100%={fmt(exact, r.decimals, '%')}"
            out.append(c)
            continue
        if has_any(lab, _EXEC):
            ex = _EXCLUDE.search(text, s_s, r.start)
            head_end = ex.start() if ex else r.start
            acts = [n for n in before if n.end <= head_end and role_of(label_of(text, n, nums)) == "actual"]
            buds = [n for n in before if n.end <= head_end and (role_of(label_of(text, n, nums)) == "budget"
                    or (role_of(label_of(text, n, nums)) == "total" and "预算" in label_of(text, n, nums)))]
            excl = [n for n in before if ex and n.start > ex.start()]
            if acts and not buds and not excl:
                # "资金使用298.41万元，资金使用率78.59%": the budget was given a few sentences before
                subj = _subject_of_label(label_of(text, acts[-1], nums))
                found = _find_by_subject(ctx, subj, s_s, want="budget", prefer="全年")
                if found is not None:
                    buds = [found]
            if not acts or not buds:
                out.append(unverifiable(c, "句中未同时给出实际数和预算数"))
                continue
            num_, den = acts[-1], buds[-1]
            if isinstance(den, tuple):
                den_ref, den = _ref(ctx, den), den[0]
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
            den_s = f"({fmt(den.value, den.decimals, den.unit)}{ded})" if excl else fmt(den.value, den.decimals, den.unit)
            c.formula = f"{fmt(num_.value, num_.decimals, num_.unit)}/{den_s}×100%={fmt(exact, r.decimals, '%')}"
            if c.status == "mismatch" and not excl and not isinstance(den, tuple):
                _carry_over_rate(ctx, c, r, before, den)
            out.append(c)
            continue
        share = re.search(r"占(.{2,24}?)的?(比重|比例)?为?$", lab)
        if share:
            # "合同金额80.00万元，占政府采购支出总额的90.91%": the whole is named and stated before
            part = [n for n in before if n.kind == "amount"]
            whole = _find_by_subject(ctx, share.group(1).strip(" “”"), part[-1].start, want="any") if part else None
            if part and whole is not None:
                w = whole[0] if isinstance(whole, tuple) else whole
                c.refs = c.refs + (ctx.ref(part[-1]), _ref(ctx, whole))
                if w.wan == 0:
                    out.append(unverifiable(c, "总数为0，占比无意义"))
                    continue
                exact = part[-1].wan * 100 / w.wan
                judge(c, exact, r.decimals)
                c.formula = f"{fmt(part[-1].value, part[-1].decimals, part[-1].unit)}/{fmt(w.value, w.decimals, w.unit)}" \
                            f"×100%={fmt(exact, r.decimals, '%')}"
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
    signed = sum((-abs(n.wan) if has_any(labs[n], ("调减", "核减", "减少")) else n.wan for n in adds), Decimal(0))
    base = sum((n.wan for n in carry), Decimal(0)) + den.wan + signed
    options = []
    if acts and base:
        options.append((acts[-1].wan * 100 / base, acts[-1:], "实际数/（上年结转+年初预算+调整）"))
    if left and base:
        options.append(((base - sum((n.wan for n in left), Decimal(0))) * 100 / base, left, "（可用数−年末结余）/可用数"))
    for exact, used, how in options:
        trial = Claim(c.kind, c.text, c.location, c.stated)
        judge(trial, exact, r.decimals)
        if trial.status in ("ok", "rounding"):
            c.computed, c.status = trial.computed, trial.status
            c.refs = (c.refs[0], *(ctx.ref(n) for n in (*carry, den, *adds, *used)))
            c.formula = f"{how}={fmt(exact, r.decimals, '%')}"
            return


def paragraph_claims(paragraphs: list[Paragraph]) -> list[Claim]:
    out: list[Claim] = []
    for pos, p in enumerate(paragraphs):
        if not find_numbers(p.text):
            continue
        ctx = ParaContext(paragraphs, pos)
        for _, fn in PARAGRAPH_EXTRACTORS:
            out.extend(fn(ctx))
    return out
