"""Relate stage: the relations among the tagged figures of a statement (``tag.statements``),
each recomputed and judged:

- now − before = change (against last year, a named year, or the budget);
- change ÷ before = rate (the base is the stated previous level, or now − change);
- actual ÷ budget = completion (完成预算的Y%);
- part ÷ whole = share (占…的X%; the whole looked up by its name, in this paragraph or the twelve
  before it).

A growth rate stated on a zero base (增加0.40万元，增长100% when last year's level is 0) is a
mismatch: there is no rate to state. A figure another extractor already judged is left alone;
one it left unverifiable may be settled here (``pipeline._settle``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from .context import ParaContext, measure, to_unit
from .numbers import Num, sentence_of
from .recompute import MISMATCH, OK, Claim, fmt, judge, unverifiable
from .tag import INLINE, Statement, Tag, budget_kind, statements

_LOOK_BACK = 12


def comparison_claims(ctx: ParaContext) -> list[Claim]:
    """The changes and rates whose inputs the statement holds (runs before the shape readers)."""
    return relation_claims(ctx, roles=("change", "rate"))


def relation_claims(ctx: ParaContext, roles=("change", "rate", "completion", "share")) -> list[Claim]:
    out: list[Claim] = []
    for st in statements(ctx.text):
        for t in st.tags:
            n = t.num
            if (n.start, n.end) in ctx.settled or t.role not in roles:
                continue
            c = None
            if t.role == "change":
                c = _change(ctx, st, t)
            elif t.role == "rate":
                c = _rate(ctx, st, t)
            elif t.role == "completion":
                c = _completion(ctx, st, t)
            elif t.role == "share":
                c = _share(ctx, st, t)
            if c is not None:
                ctx.mark(n)
                ctx.settled.add((n.start, n.end))
                out.append(c)
    return out


def _s(n: Num) -> str:
    return fmt(n.value, n.decimals, n.unit)


def _now(st: Statement, against: str) -> Tag | None:
    lvl = st.first("level")
    if lvl is None and against != "budget":
        return st.first("budget")  # a budget document compares this year's budget with last year's
    return lvl


def _now_named(ctx: ParaContext, st: Statement, t: Tag):
    """ "2022年度…“三公”经费支出决算数比上年减少313272.50元，下降82.82%": the level of the subject
    named before the comparison, stated earlier (this paragraph or the twelve before).
    Returns (Num, ref) or None."""
    if (
        st.first("level") is not None
        or st.first("budget") is not None
        or st.tags[0] is not t
        and st.tags[0].role not in ("change", "rate")
    ):
        return None
    m = re.search(r"(同口径)?(较|比|与|同比|对比)", st.head)
    name = st.head[: m.start()] if m else ""
    core = _core(name)
    if len(core) < 3 or core in _WHOLE_GENERIC:
        return None
    found = _search_whole(ctx, core, name, st.start, None)
    return found


def _base(st: Statement, against: str, named: str = "") -> Tag | None:
    if against == "prev":
        prev = [t for t in st.tags if t.role == "previous"]
        named = [t for t in prev if t.period in ("", "prev")]
        return (named or (prev if len(prev) == 1 else []) or [None])[0]
    if against == "budget":
        buds = [t for t in st.tags if t.role == "budget"]
        if len(buds) > 1 and named:
            buds = [t for t in buds if budget_kind(t.label) == budget_kind(named)] or buds
        return buds[-1] if buds else None
    return next((t for t in st.tags if t.role == "previous" and t.period == against), None)


def _change(ctx: ParaContext, st: Statement, t: Tag) -> Claim | None:
    if not t.against or t.direction == 0:
        return None
    now, base = _now(st, t.against), _base(st, t.against, t.label)
    if now is None or base is None or now.num.start > t.num.start and base.num.start > t.num.start:
        return None
    n = t.num
    c = ctx.claim("saving" if t.against == "budget" else "change", n)
    c.refs = c.refs + (ctx.ref(now.num), ctx.ref(base.num))
    exact = to_unit((now.num.wan - base.num.wan) * t.direction, n)
    judge(c, exact if n.value >= 0 else -exact, n.decimals, **measure(n))
    c.formula = (
        f"{_s(now.num)}−{_s(base.num)}={fmt(to_unit(now.num.wan - base.num.wan, n), n.decimals, n.unit)}"
    )
    return c


def _change_before(st: Statement, t: Tag) -> Tag | None:
    """The change this rate is the percentage of: the nearest change before it, same comparison."""
    best = None
    for x in st.tags:
        if x is t:
            break
        if x.role == "change" and x.against == t.against:
            best = x
        elif x.role == "rate" and x.against == t.against:
            best = None  # that change already has its rate
    return best


def _rate(ctx: ParaContext, st: Statement, t: Tag) -> Claim | None:
    if not t.against:
        return None
    n = t.num
    now, base, delta = _now(st, t.against), _base(st, t.against, t.label), _change_before(st, t)
    c = ctx.claim("saving" if t.against == "budget" else "change_rate", n)
    named = None
    if now is None and base is None and delta is not None and t.against != "budget":
        named = _now_named(ctx, st, delta)
        if named is not None:
            now = Tag(named[0], "level", "", "")
    if now is not None and base is not None:
        b, diff = base.num.wan, now.num.wan - base.num.wan
        c.refs = c.refs + (ctx.ref(now.num), ctx.ref(base.num))
        how = f"({_s(now.num)}−{_s(base.num)})/{_s(base.num)}"
        signed = True
    elif base is not None and delta is not None:
        b, diff = base.num.wan, abs(delta.num.wan) * delta.direction
        c.refs = c.refs + (ctx.ref(delta.num), ctx.ref(base.num))
        how = f"{_s(delta.num)}/{_s(base.num)}"
        signed = False
    elif now is not None and delta is not None and (named is not None or now.num.start < delta.num.start):
        d = abs(delta.num.wan) * delta.direction
        b, diff = now.num.wan - d, d
        c.refs = c.refs + (named[1] if named else ctx.ref(now.num), ctx.ref(delta.num))
        how = f"{_s(delta.num)}/({_s(now.num)}{'−' if d >= 0 else '+'}{_s(delta.num)})"
        signed = False
        if b < 0:
            return None  # not this statement's level: the figures do not belong together
    else:
        return None
    if b == 0:
        if n.value == 0 or diff == 0:
            return unverifiable(c, "基数为0，变动率无意义")
        c.computed, c.status = None, MISMATCH
        c.reason = "基数（上年数或预算数）为0，变动率无从计算，不应写作具体百分比"
        c.formula = f"{how}：分母为0"
        return c
    exact = diff * 100 / b
    shown = exact * t.direction if n.value >= 0 else exact
    judge(c, shown, n.decimals)
    c.formula = f"{how}×100%={fmt(exact, n.decimals, '%')}"
    if c.status == MISMATCH:
        _within_input_rounding(c, n, t.direction, b, diff, base, now, delta, signed)
    if (
        c.status == MISMATCH
        and exact != 0
        and (exact > 0) != (t.direction > 0)
        and abs(abs(exact) - abs(n.value)) <= Decimal(1).scaleb(-max(n.decimals, 0))
    ):
        c.reason = f"增减方向矛盾：按数据应为{'增长' if exact > 0 else '下降'}，文字写作{'增长' if t.direction > 0 else '下降'}"
    elif c.status == MISMATCH and not signed and delta is not None and delta.direction != t.direction:
        c.reason = "增减方向矛盾：金额与变动率的增减写法相反"
    return c


def _completion(ctx: ParaContext, st: Statement, t: Tag) -> Claim | None:
    act, bud = st.first("level"), st.first("budget")
    if act is None or bud is None or act.num.start > t.num.start or bud.num.start > t.num.start:
        return None
    n = t.num
    c = ctx.claim("rate", n)
    c.refs = c.refs + (ctx.ref(act.num), ctx.ref(bud.num))
    if bud.num.wan == 0:
        return unverifiable(c, "预算数为0，完成率无意义")
    exact = act.num.wan * 100 / bud.num.wan
    judge(c, exact, n.decimals)
    c.formula = f"{_s(act.num)}/{_s(bud.num)}×100%={fmt(exact, n.decimals, '%')}"
    return c


_WHOLE_GENERIC = (
    "",
    "总额",
    "总数",
    "比",
    "比重",
    "比例",
    "全部",
    "总量",
    "合计",
    "总计",
    "总支出",
    "总收入",
)


def _share_inline(ctx: ParaContext, t: Tag) -> Claim | None:
    """ "实际在职人员为136人，占编委核定的编制数143人的比率为95.10%": part before 占, whole inside."""
    text, n = ctx.text, t.num
    s, _ = sentence_of(text, n.start)
    at = text.rfind("占", s, n.start)
    nums = [x for x in ctx.nums if s <= x.start < n.start and x.kind in ("amount", "count")]
    whole = [x for x in nums if x.start > at]
    part = [x for x in nums if x.end <= at]
    if at < 0 or len(whole) != 1 or not part or part[-1].kind != whole[0].kind:
        return None
    p, w = part[-1], whole[0]
    c = ctx.claim("rate", n)
    c.refs = c.refs + (ctx.ref(p), ctx.ref(w))
    if w.wan == 0:
        return unverifiable(c, "总数为0，占比无意义")
    exact = p.wan * 100 / w.wan
    judge(c, exact, n.decimals)
    c.formula = f"{_s(p)}/{_s(w)}×100%={fmt(exact, n.decimals, '%')}"
    return c


def _share(ctx: ParaContext, st: Statement, t: Tag) -> Claim | None:
    if t.against == INLINE:
        return _share_inline(ctx, t)
    part = None
    for x in st.tags:
        if x is t:
            break
        if x.num.kind == "amount" and x.role in ("level", "budget", "previous"):
            part = x
    if part is None:
        return None
    name = t.against
    whole = None
    if name in _WHOLE_GENERIC or re.sub(r"(决算|预算)(数)?$", "", name) in _WHOLE_GENERIC:
        name = _lead_whole(ctx.text, st.start)
        if not name:
            whole = _list_head(ctx, st, part.num)
    if whole is None and name:
        whole = _find_whole(ctx, name, st.start, part.num)
    if whole is None:
        return None
    w, wref = whole
    n = t.num
    c = ctx.claim("rate", n)
    c.refs = c.refs + (ctx.ref(part.num), wref)
    if w.wan == 0:
        return unverifiable(c, "总数为0，占比无意义")
    exact = part.num.wan * 100 / w.wan
    judge(c, exact, n.decimals)
    c.formula = f"{_s(part.num)}/{_s(w)}×100%={fmt(exact, n.decimals, '%')}"
    return c


def _lead_whole(text: str, pos: int) -> str:
    """ "2023年度“三公”经费财政拨款支出决算中，A…占…": the whole the sentence opens with."""
    s, _ = sentence_of(text, pos)
    m = re.match(r"\s*([^，,；;。]{2,60}?)(?:中|里)[，,：:]", text[s:pos])
    return m.group(1) if m else ""


_LIST_OPENS = re.compile(r"(其中|包括|主要用于以下方面|主要用于|分别为|具体为|如下)[：:，,]?\s*$")


def _list_head(ctx: ParaContext, st: Statement, part: Num):
    """ "一般公共预算财政拨款支出1264.92万元，主要用于以下方面：社会保障和就业支出67.64万元，占5.35%":
    a share stated in a list, of the figure the list opens under (same sentence)."""
    text = ctx.text
    s, _ = sentence_of(text, st.start)
    heads = [x for x in statements(text) if s <= x.start < st.start]
    if s > 0 and re.match(r"\s*其中", text[s : (heads[0].start if heads else st.start)]):
        # "…支出决算为6,283.70元，完成年初预算的100%。其中：…元，占总支出决算的22.10%"
        p_s, _ = sentence_of(text, s - 1)
        heads = [x for x in statements(text) if p_s <= x.start < s]
        if heads and (heads[0].first("level") or heads[0].first("budget")) is not None:
            head = heads[0].first("level") or heads[0].first("budget")
            if head.num.kind == "amount" and head.num.wan >= part.wan:
                return head.num, ctx.ref(head.num)
        return None
    if not heads:
        return None
    head = heads[0].first("level") or heads[0].first("budget")
    if head is None or head.num.kind != "amount" or head.num.wan < part.wan:
        return None
    after = text[head.num.unit_end : st.start]
    first_list = re.split(r"[，,；;]", after)
    if not any(
        _LIST_OPENS.search(text[head.num.unit_end : head.num.unit_end + len(first_list[0]) + k])
        for k in (0, 1)
    ) and not re.match(r"^[，,]?\s*(其中|包括|主要用于)", after):
        return None
    return head.num, ctx.ref(head.num)


_CORE_TAIL = re.compile(
    r"(支出|收入)?(预算|决算|实际|执行|年初|全年|调整后|数|额|金额|总额|合计|总计|为|是|达到?|[:：])*$"
)


def _core(name: str) -> str:
    s = re.sub(r"[“”\"（）()]", "", name)
    s = re.sub(r"^.*(?:19|20)\d{2}\s*年度?", "", s)
    s = re.sub(r"^\s*([\d一二三四五六七八九十]+[.、．]|[（(][\d一二三四五六七八九十]+[）)])\s*", "", s)
    s = re.sub(r"^(全年|本年度?|本期|其中)", "", s.strip(" ，,；;：:"))
    s = s.strip(" ，,；;：:")
    s = re.sub(r"总计|总额", "合计", s)
    whole = s
    prev = None
    while prev != s:
        prev, s = s, _CORE_TAIL.sub("", s)
    if len(s) < 2:
        # "本年支出合计": the noun is the role word itself; keep 支出合计 / 收入合计
        m = re.search(r"(支出|收入)(合计)?", whole)
        s = (m.group(1) + "合计") if m else s
    return s


def _year(text: str) -> str:
    m = re.findall(r"((?:19|20)\d{2})\s*年", text)
    return m[-1] if m else ""


def _find_whole(ctx: ParaContext, name: str, before: int, part: Num):
    core = _core(name)
    if len(core) < 2 or core in ("支出", "收入", "经费", "资金"):
        return None
    return _search_whole(ctx, core, name, before, part)


def _search_whole(ctx: ParaContext, core: str, name: str, before: int, part: Num | None):
    want_budget = "预算" in name[-6:] and "决算" not in name
    year = _year(ctx.text[sentence_of(ctx.text, before)[0] : before])
    for back in range(0, _LOOK_BACK + 1):
        k = ctx.pos - back
        if k < 0:
            break
        p = ctx.paragraphs[k]
        for st in reversed(statements(p.text)):
            if back == 0 and st.start >= before:
                continue
            subj = _core(st.head)
            if not subj or not (
                subj == core or len(core) > 4 and subj.endswith(core) or len(subj) > 4 and core.endswith(subj)
            ):
                continue
            # a budget document's figures are budgets even where the words do not say 预算
            pick = (st.first("budget") or st.first("level")) if want_budget else st.first("level")
            if pick is None or pick.num is part or pick.num.kind != "amount":
                continue
            if part is not None and pick.num.wan < part.wan:
                continue  # a whole smaller than its part is some other figure
            their = _year(p.text[sentence_of(p.text, pick.num.start)[0] : pick.num.start])
            if year and their and year != their:
                continue  # another year's figure
            return pick.num, ("p", p.index, pick.num.start, pick.num.end)
    return None


def _half(n: Num) -> Decimal:
    """Half a unit of the last printed digit of ``n``, in 万元."""
    return Decimal(5).scaleb(-n.decimals - 1) * (n.wan / n.value if n.value else Decimal(1))


def _within_input_rounding(
    c: Claim,
    n: Num,
    direction: int,
    b: Decimal,
    diff: Decimal,
    base: Tag | None,
    now: Tag | None,
    delta: Tag | None,
    signed: bool,
) -> None:
    """A rate over a small base is sensitive to how its inputs were rounded (20.63 / 1.96 is
    1,052.6%, but 20.63 / 1.955 is 1,055.2%): when some values of the inputs within half a unit of
    their printed digits give the stated rate, it is a rounding difference, not a mismatch."""
    if signed and now is not None and base is not None:
        hn, hb = _half(now.num), _half(base.num)
        corners = [
            ((now.num.wan + a) - (base.num.wan + d)) * 100 / (base.num.wan + d)
            for a in (-hn, hn)
            for d in (-hb, hb)
            if base.num.wan + d > 0
        ]
    elif delta is not None:
        hd = _half(delta.num)
        other = base if base is not None else now
        ho = _half(other.num)
        corners = []
        for a in (-hd, hd):
            for o in (-ho, ho):
                d = diff + a * (1 if diff >= 0 else -1)
                bb = b + o if base is not None else b + o - a * (1 if diff >= 0 else -1)
                if bb > 0:
                    corners.append(d * 100 / bb)
    else:
        return
    if not corners:
        return
    stated = n.value if n.value < 0 else n.value * direction
    tol = Decimal(1).scaleb(-max(n.decimals, 0)) if n.decimals > 0 else Decimal("0.5")
    if min(corners) - tol <= stated <= max(corners) + tol:
        c.status = "rounding"
        c.reason = "按所列数据（已四舍五入）重算有尾差，在输入数据的精度范围内相符"


# --- 决算数大于/小于/等于预算数: the direction a sentence states, against the figures ----------------

_DIRECTION = re.compile(
    r"决算数?(?:比|较)?(?P<word>大于|小于|等于|高于|低于|超过|少于|超出)(?:年初|全年|调整后)?预算数?"
    r"|决算数?与(?:年初|全年|调整后)?预算数?(?P<flat>基本)?持平"
)
_SAYS = {"大于": 1, "高于": 1, "超过": 1, "超出": 1, "小于": -1, "低于": -1, "少于": -1, "等于": 0}


def direction_claims(ctx: ParaContext) -> list[Claim]:
    """ "年初预算为135.90万元，支出决算为135.25万元。决算数大于预算数的主要原因：…": the sentence
    says which is larger; the figures of the statement before it (same sentence, or up to two
    sentences back in the paragraph) say whether it is so. "基本持平" is not judged."""
    text = ctx.text
    out: list[Claim] = []
    for m in _DIRECTION.finditer(text):
        if m.group("flat"):
            continue
        says = _SAYS[m.group("word")] if m.group("word") else 0
        s, e = sentence_of(text, m.start())
        pair = None
        for st in reversed([x for x in statements(text) if x.start < m.start()]):
            if sentence_of(text, st.start)[0] < _sentences_back(text, s, 2):
                break
            act, bud = st.first("level"), st.first("budget")
            if act is not None and bud is not None and act.num.kind == bud.num.kind == "amount":
                pair = (act.num, bud.num)
                break
        if pair is None:
            continue
        act, bud = pair
        diff = act.wan - bud.wan
        real = (diff > 0) - (diff < 0)
        c = Claim(
            kind="direction",
            text=text[s:e].strip(),
            location={"paragraph": ctx.para.index},
            stated=None,
            unit="",
            refs=(),
        )
        words = {1: "大于", -1: "小于", 0: "等于"}
        c.formula = f"决算{_s(act)}，预算{_s(bud)}：决算数{words[real]}预算数"
        if real == says:
            c.status = OK
        else:
            c.status = MISMATCH
            c.reason = f"文字称决算数{m.group('word') or '与预算数持平'}预算数，但决算{_s(act)}{words[real]}预算{_s(bud)}"
        out.append(c)
    return out


def _sentences_back(text: str, s: int, k: int) -> int:
    """Start of the sentence ``k`` sentences before the one starting at ``s``."""
    for _ in range(k):
        if s <= 0:
            return 0
        s = sentence_of(text, s - 1)[0]
    return s
