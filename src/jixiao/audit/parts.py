"""Claims of totals and their parts in prose: 其中/包括 lists, 以上…共计, 年初 + 调整 = 全年,
原值 − 累计折旧 = 净值."""

from __future__ import annotations

import re
from decimal import Decimal

from .context import CMP, ParaContext, is_change_label, measure, to_unit
from .numbers import (
    Num,
    clause_end,
    clause_start,
    has_any,
    label_of,
    role_of,
    sentence_of,
    sentences,
)
from .recompute import Claim, fmt, judge, unverifiable

# --- 3. parts and totals (其中 / 包括 / 以上…共计) ----------------------------------------------

_TRIGGER = re.compile(r"(其中|包括|包含)[：:]?")
_CLAUSE_SPLIT = re.compile(r"，|,(?!\d{3})")
_STOP_ITEM = re.compile(r"^(全年|合计|共计|总计|以上|另|此外|同时|年中)")
_NET = ("净值", "账面价值", "余额", "净额")


def parts_claims(ctx: ParaContext) -> list[Claim]:
    text, nums = ctx.text, ctx.nums
    out: list[Claim] = []
    for m in _TRIGGER.finditer(text):
        before = [n for n in nums if n.unit_end <= m.start()]
        if not before and ctx.pos > 0 and not text[: m.start()].strip(" ：:"):
            out.extend(_list_under_paragraph_before(ctx, m))
            continue
        if not before:
            continue
        total = before[-1]
        gap = text[total.unit_end : m.start()]
        s_s, s_e = sentence_of(text, m.start())
        if not text[s_s : m.start()].strip() and s_s > 0:
            # "X为A万元，较上年…。其中：…": the total is the level figure that opens the sentence before
            p_s, p_e = sentence_of(text, s_s - 1)
            lead = [n for n in nums if p_s <= n.start < p_e and n.kind in ("amount", "count")]
            if not lead:
                continue
            total, gap = lead[0], ""
            first_item = next((n.start for n in nums if n.start >= m.end()), m.end())
            if role_of(label_of(text, total, nums)) == "budget" and "预算" not in text[m.end() : first_item]:
                # "预算为44.52万元，实际支出…决算为22.62万元。其中…": the list breaks down what was spent
                acts = [
                    n
                    for n in lead
                    if role_of(label_of(text, n, nums)) == "actual"
                    and not is_change_label(label_of(text, n, nums))
                ]
                total = acts[0] if acts else total
        if total.kind == "rate" or (total.kind in ("amount", "count") and _in_comparison(text, total, s_s)):
            # "年末实有人数60人，比上年减少2人（，下降3.23%），其中：…": the list hangs under the level
            # figure before the comparison, not under the change
            lvl = [
                n
                for n in before
                if n.start >= s_s and n.kind in ("amount", "count") and not _in_comparison(text, n, s_s)
            ]
            between = [n for n in nums if lvl and lvl[-1].end <= n.start < m.start()]
            if (
                lvl
                and between
                and all(n.kind == "rate" or _in_comparison(text, n, s_s) for n in between)
                and CMP.search(text, lvl[-1].unit_end, m.start())
                and not re.search(r"[；;]", text[lvl[-1].unit_end : m.start()])
            ):
                total, gap = lvl[-1], ""
        if gap.strip(" ，,：:") or total.kind not in ("amount", "count") or ctx.is_used(total):
            continue
        parts, ambiguous, nested = _list_items(text, nums, m.end(), s_e, total)
        if nested and len(parts) < 2:
            parts += _lead_amounts_after(ctx, s_e, total, sum((p.wan for p in parts), Decimal(0)))
        if len(parts) < 2 and not ambiguous:
            continue
        if _subset_statement(text, nums, parts):
            continue  # "授予中小企业…，授予小微企业…": a subset, not parts that add up
        out.append(
            _parts_claim(
                ctx,
                total,
                parts,
                ambiguous,
                partial=text[s_s:s_e].rstrip("。；; ").endswith("等"),
                complete=_reads_complete(text, nums, total, parts, m.start()),
            )
        )
        if not ambiguous:
            out.extend(_part_shares(ctx, total, parts))
    # 以上…共计 / 合计 X at the end of a list
    for m in re.finditer(
        r"(以上[^，。；]{0,24}?(共计|合计|总计|累计|计)|(?<=[，,；;])(共计|合计|总计))\s*", text
    ):
        after = [n for n in nums if n.start >= m.end() and n.start <= m.end() + 1]
        if not after:
            continue
        total = after[0]
        if total.kind not in ("amount", "count") or ctx.is_used(total):
            continue
        s_s, _ = sentence_of(text, m.start())
        parts = [
            n
            for n in nums
            if s_s <= n.start
            and n.end <= m.start()
            and n.kind == total.kind
            and not _in_comparison(text, n, s_s)
        ]
        if len(parts) < 2:
            continue
        out.append(_parts_claim(ctx, total, parts, False, partial=False, complete=True))
    return out


def _in_comparison(text: str, n: Num, floor: int) -> bool:
    cs = clause_start(text, n.start, floor, marks="，,；;")
    return bool(CMP.search(text, cs, n.start)) or bool(re.search(r"较|比上年|同比", text[cs : n.start]))


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
            region = region[: semi.start()]  # "其中：A、B、C；全年实际…": the list ends at '；'
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
        if re.search(r"包括|其中", chunk[level[-1].end - c0 :]) or (
            idx + 1 < len(chunks) and re.match(r"^\s*(包括|其中)", chunks[idx + 1])
        ):
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
        if len(lead) != 1 or CMP.search(text, s, first):
            break
        extra.append(lead[0])
        acc += lead[0].wan
        if acc >= total.wan:
            break
    return extra


#: standard complete partitions of a total: a list naming every member reads as complete
_PARTITIONS = (
    ("基本支出", "项目支出"),
    ("人员经费", "公用经费"),
    ("在职", "离休", "退休"),
    ("货物", "工程", "服务"),
    ("出国", "公务用车", "公务接待"),
    ("一般公共预算", "政府性基金", "国有资本经营"),
    ("本年收入", "结余", "年初结转"),
    ("本年支出", "结余分配", "年末结转"),
    ("流动资产", "固定资产"),
)
_SUBSET_PAIRS = (("中小企业", "小微企业"),)
_CN_NUM = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _reads_complete(text: str, nums, total: Num, parts: list[Num], trigger: int) -> bool:
    """Does the list read as the whole of the total? (a standard partition named in full, a last
    item "其他…", or a header "分别为" / "共N项" with N items). A list that falls short of its total
    without reading complete may simply omit a part (离休人员 0 …)."""
    labels = [label_of(text, p, nums) for p in parts]
    joined = "|".join(labels)
    if any(all(w in joined for w in group) for group in _PARTITIONS):
        return True
    if labels and re.match(r"^[，,、；;：:\s]*其他", labels[-1]):
        return True
    head = text[clause_start(text, total.start, marks="。；;") : trigger + 4]
    if "分别为" in head or "分别是" in head:
        return True
    m = re.search(r"(?:共|有|计)(?:有)?(\d+|[两二三四五六七八九十])个?(项目|项|类|部分|方面|个|家|所)", head)
    if m:
        k = m.group(1)
        return (int(k) if k.isdigit() else _CN_NUM[k]) == len(parts)
    return False


def _subset_statement(text: str, nums, parts: list[Num]) -> bool:
    labels = [label_of(text, p, nums) for p in parts]
    return any(any(a in lab for lab in labels) and any(b in lab for lab in labels) for a, b in _SUBSET_PAIRS)


def _list_under_paragraph_before(ctx: ParaContext, m) -> list[Claim]:
    """ "2.公务用车购置及运行维护支出4.647万元，比上年增长58.65%。" then a paragraph "其中：公务用车购置
    支出1,088万元…；公务用车运行维护支出3,559万元…": the list hangs under the level figure that opens
    the last sentence of the paragraph before. The claim is located at that figure."""
    prev = ParaContext(ctx.paragraphs, ctx.pos - 1)
    ptext, pnums = prev.text, prev.nums
    sents = sentences(ptext)
    if not sents:
        return []
    p_s, p_e = sents[-1]
    lead = [
        n
        for n in pnums
        if p_s <= n.start < p_e
        and n.kind in ("amount", "count")
        and not _in_comparison(ptext, n, p_s)
        and not _in_brackets(ptext, n)
    ]
    if not lead:
        return []
    total = lead[0]
    text, nums = ctx.text, ctx.nums
    _, s_e = sentence_of(text, m.start())
    parts, ambiguous, _nested = _list_items(text, nums, m.end(), s_e, total)
    if len(parts) < 2 or ambiguous or _subset_statement(text, nums, parts):
        return []
    labels = "|".join(label_of(text, p, nums) for p in parts)
    complete = any(all(w in labels for w in group) for group in _PARTITIONS)
    return [
        _parts_claim(
            ctx,
            total,
            parts,
            False,
            partial=text[:s_e].rstrip("。；; ").endswith("等"),
            complete=complete,
            at=prev,
        )
    ]


def _in_brackets(text: str, n: Num) -> bool:
    depth = 0
    for ch in text[: n.start]:
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
    return depth > 0


def _parts_claim(
    ctx: ParaContext,
    total: Num,
    parts: list[Num],
    ambiguous: bool,
    partial: bool,
    complete: bool = True,
    at: ParaContext | None = None,
) -> Claim:
    """The claim that ``total`` is the sum of ``parts`` (in ``ctx``); ``at`` is the paragraph that
    states the total when it is not ``ctx``'s own."""
    kind = "count_parts" if total.kind == "count" else "parts"
    at = at or ctx
    c = at.claim(kind, total)
    at.mark(total)
    c.refs = c.refs + tuple(ctx.ref(p) for p in parts)
    if ambiguous:
        return unverifiable(c, "分项中有多个金额（如原值与净值），无法确定应加总哪一个")
    exact = sum((p.wan for p in parts), Decimal(0))
    judge(c, to_unit(exact, total), total.decimals, **measure(total))
    run = Decimal(0)
    for k, p in enumerate(parts[:-1]):
        run += p.wan
        if (
            c.status == "mismatch"
            and kind == "count_parts"
            and k >= 2
            and k == len(parts) - 2
            and run == total.wan
            and _retired_after_serving(ctx, total, parts[-1])
        ):
            # "实际正式教职工62人，其中副高级4人…中级工1人，退休职工28人": the breakdown adds up, the
            # last item is retired staff, another group
            c.formula = (
                "+".join(fmt(q.value, q.decimals, q.unit) for q in parts[: k + 1])
                + f"={fmt(to_unit(run, total), total.decimals, total.unit)}"
            )
            return unverifiable(c, f"分项之和超过总数，但前{k + 1}项之和恰等于总数，最后一项可能不属于该总数")
    if c.status == "mismatch" and partial and exact < total.wan:
        unverifiable(c, "分项以“等”结尾，可能未列全")
    elif c.status == "mismatch" and not complete and exact < total.wan:
        unverifiable(c, "分项之和小于总数，可能未列全")
    c.formula = (
        "+".join(fmt(p.value, p.decimals, p.unit) for p in parts)
        + f"={fmt(to_unit(exact, total), total.decimals, total.unit)}"
    )
    return c


def _retired_after_serving(ctx: ParaContext, total: Num, last: Num) -> bool:
    """ "实际正式教职工62人，其中…，退休职工28人": retired staff listed after a count of serving staff
    are another group, not a part of it."""
    text, nums = ctx.text, ctx.nums
    return bool(re.search(r"退休|离休", label_of(text, last, nums))) and not re.search(
        r"退休|离休", label_of(text, total, nums)
    )


_SHARE_AFTER = re.compile(
    r"[，,（(]?\s*所?占(?P<whole>[^，,；;。%\d（(]{0,20}?)的?(比重|比例|比)?(为|是)?\s*(?=-?\d)"
)
_WHOLE_GENERIC = ("", "总额", "总数", "比", "比重", "比例", "全部", "总量", "合计", "总计")
_WHOLE_NOISE = re.compile(r"本年度?|全年|年度|总计|合计|总额|总数|总|全部|的|数")


def _names_total(whole: str, total_label: str) -> bool:
    """Does the whole named in "占…的" mean the total the list hangs under? "总收入" and
    "本年收入合计" both reduce to "收入"."""
    whole = whole.strip(' “”"')
    if whole in _WHOLE_GENERIC:
        return True
    w = _WHOLE_NOISE.sub("", whole)
    t = _WHOLE_NOISE.sub("", re.sub(r"^.*?(其中|包括)", "", total_label).strip(" ，,：:为是"))
    return bool(w) and (w == t or (len(w) >= 2 and t.endswith(w)))


def _part_shares(ctx: ParaContext, total: Num, parts: list[Num]) -> list[Claim]:
    """ "其中：财政拨款900.00万元，占90.00%": each part's share of the total it is listed under."""
    text, nums = ctx.text, ctx.nums
    by_start = {n.start: n for n in nums}
    out = []
    for p in parts:
        m = _SHARE_AFTER.match(text, p.unit_end)
        r = by_start.get(m.end()) if m and m.end() > p.unit_end else None
        if r is None or r.kind != "rate" or ctx.is_used(r):
            continue
        if not _names_total(m.group("whole"), label_of(text, total, nums)):
            continue  # "占一般公共预算的…": a share of some other whole (the rate reader looks it up)
        c = ctx.claim("rate", r)
        ctx.mark(r)
        c.refs = c.refs + (ctx.ref(p), ctx.ref(total))
        if total.wan == 0:
            out.append(unverifiable(c, "总数为0，占比无意义"))
            continue
        exact = p.wan * 100 / total.wan
        judge(c, exact, r.decimals)
        c.formula = (
            f"{fmt(p.value, p.decimals, p.unit)}/{fmt(total.value, total.decimals, total.unit)}"
            f"×100%={fmt(exact, r.decimals, '%')}"
        )
        out.append(c)
    return out


# --- 4. 年初 + 调整 = 全年 in prose; 原值 − 累计折旧 = 净值 --------------------------------------


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
            if (
                a is None
                and (has_any(lab, ("年初",)) or (role_of(lab) == "budget" and "批复" in lab))
                and not has_any(lab, ("全年", "调整", "追加"))
            ):
                a = n
            elif (
                a is not None
                and b is None
                and has_any(lab, ("调整", "追加", "调增", "调减", "核减"))
                and not has_any(lab, ("全年",))
            ):
                b = n
            elif (
                a is not None
                and b is not None
                and c is None
                and has_any(lab, ("全年", "共计", "合计", "调整后"))
            ):
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
        cl.formula = (
            f"{fmt(a.value, a.decimals, a.unit)}{op}{fmt(abs(b.value), b.decimals, b.unit)}"
            f"={fmt(exact, c.decimals, c.unit)}"
        )
        if cl.status == "mismatch" and not down and a.wan - b.wan - c.wan == 0:
            cl.reason = (
                f"按“{fmt(a.value, a.decimals, a.unit)}{op}{fmt(b.value, b.decimals, b.unit)}”应为"
                f"{fmt(exact, c.decimals, c.unit)}；若调整为调减（−{fmt(b.value, b.decimals, '')}），"
                "则与全年数相符——文字疑漏写负号或“调减”"
            )
        out.append(cl)
    return out


def net_value_claims(ctx: ParaContext) -> list[Claim]:
    text, nums = ctx.text, ctx.nums
    out: list[Claim] = []
    for s, e in sentences(text):
        amts = [n for n in nums if s <= n.start < e and n.kind == "amount"]
        for i in range(len(amts) - 2):
            a, b, c = amts[i : i + 3]
            la, lb, lc = (label_of(text, x, nums) for x in (a, b, c))
            if "原值" in la and "折旧" in lb and has_any(lc, ("净值", "净额")) and not ctx.is_used(c):
                cl = ctx.claim("net_value", c)
                ctx.mark(c)
                cl.refs = cl.refs + (ctx.ref(a), ctx.ref(b))
                exact = to_unit(a.wan - b.wan, c)
                judge(cl, exact, c.decimals)
                cl.formula = (
                    f"{fmt(a.value, a.decimals, a.unit)}−{fmt(b.value, b.decimals, b.unit)}"
                    f"={fmt(exact, c.decimals, c.unit)}"
                )
                out.append(cl)
    return out
