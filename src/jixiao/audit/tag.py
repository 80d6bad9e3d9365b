"""Tag stage: each figure of a sentence with its role, its subject and its period.

Roles (``Tag.role``):

- ``level`` — what a subject amounts to in the period reported (支出决算为62.07万元);
- ``budget`` — the budget for it (预算为3万元, 完成全年预算84.82万元的…);
- ``previous`` — the level of an earlier period (上年…预算Y万元, 较上年1,969.68万元…);
- ``change`` — a difference against ``against`` (比上年增加Z万元, 对比减少Z万元, 比预算节约…);
- ``rate`` — a change as a percentage of its base (增长W%, 减少率R%, 降幅…);
- ``completion`` — actual ÷ budget (完成预算的Y%, 执行率);
- ``share`` — a part ÷ a whole (占…的X%);
- ``''`` — anything else (counts, figures whose role the words do not tell).

A sentence is cut into *statements*: the figures about one subject (a level, its budget, its
previous level, its changes and their rates, its completion and its share). A statement ends
at "；" unless what follows only goes on comparing (；对比减少…；减少率…), at "其中", and where a
second level begins. Pure functions of the text; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .numbers import Num, clause_start, find_numbers, role_of, sentences

#: a comparison marker and what it compares against
_MARK = re.compile(
    r"(?:较|比|与|同)\s*(?P<prev>上年度?|上一年度?|去年|同期|前一年|上期)"
    r"|(?:较|比|与)\s*(?P<year>(?:19|20)\d{2})\s*年"
    r"|(?:较|比|与)\s*(?P<bud>(?:本年|年初|全年|调整后)?预算)"
    r"|(?P<yoy>同比)|(?P<contrast>对比|相比)"
)
_VERB = re.compile(
    r"(增加|增长|减少|下降|压减|降低|上升|提高|节约|节省|缩减|超支|超出|多支出|少支出|增收|减收|增支|减支|增|减)了?"
    r"(支出|金额|额|数)?(为|达|共计|计)?\s*$"
)
_DOWN = ("减少", "下降", "压减", "降低", "节约", "节省", "缩减", "少支出", "减收", "减支", "减")
_RATE_UP = re.compile(r"(增长|增幅|上升|提高|上涨|增加)(率|幅度|比例)?(为|达|了)?\s*$")
_RATE_DOWN = re.compile(r"(下降|降幅|降低|减少|减幅|压减|缩减|节约)(率|幅度|比例)?(为|达|了)?\s*$")
_PREV_WORD = re.compile(r"上年|去年|上一年|同期|前一年|上年度")
_SHARE = re.compile(r"占(?P<whole>[^，,；;。%\d]{0,24}?)的?(比重|比例|比)?(为|是)?\s*$")
_COMPLETION = re.compile(
    r"(完成|为|达到?|占)(了)?(本年|年初|全年|调整后|调整)?(预算|预算数|年初预算数)"
    r"(\s*[-\d,.]+\s*[万千亿]?元)?(的)?(比例)?(为)?\s*$"
    r"|(执行率|完成率|预算完成率|执行进度|支出进度)(为|达|达到)?\s*$"
)
_OVER_BUDGET = re.compile(
    r"(超出|超过|超支|高于|多于|低于|少于|节约|结余|节省)了?(年初|全年|调整后)?预算(数)?(的)?\s*$"
)
#: a share whose whole is stated inside "占…的": the tag's ``against``
INLINE = "#inline"
_SHARE_INLINE = re.compile(
    r"占[^，,；;。%]{0,30}?\d[\d,.]*\s*(万元|亿元|千元|元|人|名|个|辆|家|项|所)[^，,；;。%\d]{0,8}?"
    r"(的)?(比率|比例|比重)?(为|是)?\s*$"
)
_BUDGET_ITSELF = re.compile(r"^(本年|年初|全年|调整后?|当年|本年度)?(预算|预算数|预算金额)$")
_STATEMENT_GOES_ON = re.compile(
    r"^\s*(对比|相比|较|比|与|同比|增加|减少|增长|下降|降低|上升|增幅|降幅|减幅|减少率|下降率|增长率|变动率|下降幅度|增长幅度)"
)


@dataclass
class Tag:
    num: Num
    role: str
    label: str  # the words from the previous figure (or the clause start) to this one
    clause: str  # the clause up to this figure
    against: str = ""  # change/rate: 'prev' | 'budget' | a year ('2019') ; share: the whole's name
    direction: int = 0  # change/rate: +1 up, −1 down, 0 not said
    period: str = ""  # the year the figure is of, where its words name one ('2023')


@dataclass
class Statement:
    start: int
    tags: list[Tag] = field(default_factory=list)
    alone: bool = True  # the only statement of its sentence
    subject: str = ""  # what the statement is about (role words trimmed)
    head: str = ""  # the words before its first figure, as written

    def first(self, role: str) -> Tag | None:
        return next((t for t in self.tags if t.role == role), None)


def budget_kind(label: str) -> str:
    """Which budget a label names: 年初, 调整 (调整后 / 调整), 全年, or '' (just 预算)."""
    m = re.findall(r"年初|调整|全年", label)
    return m[-1] if m else ""


def _years(text: str, first: bool = False) -> str:
    ys = re.findall(r"((?:19|20)\d{2})\s*年", text)
    return (ys[0] if first else ys[-1]) if ys else ""


def _marker(text: str) -> str:
    """What the last comparison marker in ``text`` compares against ('' when none)."""
    last = None
    for m in _MARK.finditer(text):
        if m.group("contrast") and last is not None and m.start() - last.end() <= 12:
            continue  # "与2023年预算相比": 相比 closes the marker before it
        last = m
    if last is None:
        return ""
    if last.group("prev") or last.group("yoy") or last.group("contrast"):
        return "prev"
    if last.group("year"):
        return last.group("year")
    return "budget"


def _clause_start(text: str, pos: int, floor: int) -> int:
    return clause_start(text, pos, floor, marks="，,；;：:")


#: fund names that hold the word 预算 but name no budget figure
_FUNDS = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算")


def tag_figure(text: str, n: Num, prev_end: int, s_start: int) -> Tag:
    cs = _clause_start(text, n.start, s_start)
    label = text[max(cs, prev_end) : n.start]
    clause = text[cs : n.start]
    t = _tag(text, n, label, clause, cs, s_start)
    t.label, t.clause = label, clause
    return t


def _tag(text: str, n: Num, label: str, clause: str, cs: int, s_start: int) -> Tag:
    raw = label
    label, clause = _FUNDS.sub("基金", label), _FUNDS.sub("基金", clause)
    sent_before = text[s_start : n.start]
    if n.kind == "rate":
        if _SHARE_INLINE.search(clause):
            # "在职人员为136人，占编委核定的编制数143人的比率为95.10%": the whole is in the phrase
            return Tag(n, "share", label, clause, against=INLINE)
        m = _SHARE.search(raw)
        if m and "完成" not in raw and not _BUDGET_ITSELF.match(m.group("whole").strip()):
            # "占基本支出预算81.45%" is a share; "占调整预算100.93%" is a completion
            return Tag(n, "share", label, clause, against=m.group("whole").strip(' “”"'))
        if _COMPLETION.search(label) or _COMPLETION.search(clause):
            return Tag(n, "completion", label, clause)
        lab = re.sub(r"增减|升降|增降|涨跌", "", label)
        if re.search(r"占比|比重|比例|百分点|执行率|完成率", lab):
            return Tag(n, "", label, clause)  # a share that moved, in percentage points
        if _RATE_DOWN.search(lab):
            return Tag(n, "rate", label, clause, against=_marker(sent_before), direction=-1)
        if _RATE_UP.search(lab):
            return Tag(n, "rate", label, clause, against=_marker(sent_before), direction=1)
        return Tag(n, "", label, clause)
    if n.kind != "amount":
        return Tag(n, "", label, clause)
    if re.search(r"[=＝×÷/+＋]|[－−-]\s*\S", label):
        return Tag(n, "", label, clause)  # a term or the result of a written-out calculation
    over = _OVER_BUDGET.search(label)
    if over:
        # "支出超出预算0.02万元", "比预算节约了5.00万元": the gap to the budget, not a budget
        return Tag(
            n,
            "change",
            label,
            clause,
            against="budget",
            direction=-1 if over.group(1) in ("低于", "少于", "节约", "结余", "节省") else 1,
        )
    v = _VERB.search(label)
    if v and text[n.unit_end : n.unit_end + 1] not in ("至", "到"):
        against = _marker(label) or _marker(sent_before)
        down = v.group(1) in _DOWN
        return Tag(n, "change", label, clause, against=against, direction=-1 if down else 1)
    if re.search(r"(减少|下降|增加|增长|降低)(至|到)\s*$", label):
        return Tag(n, "level", label, clause)
    if re.search(r"增收|减收|增支|减支", label):
        return Tag(n, "", label, clause)
    mk = _marker(label)
    if mk and mk != "budget":
        # "较2022年决算1,969.68万元增加…", "比上年的2190万元减少…": the figure compared with
        return Tag(n, "previous", label, clause, period=mk)
    own_year, first_year = _years(clause), _years(text[s_start:cs])
    if own_year and first_year and own_year < first_year and not role_of(label) == "actual":
        # "2024年预算为12.50万元，2023年预算为15.00万元": an earlier year's level
        return Tag(n, "previous", label, clause, period=own_year)
    if _PREV_WORD.search(label) or (_PREV_WORD.search(clause) and not role_of(label)):
        return Tag(n, "previous", label, clause)
    r = role_of(label) or role_of(clause)
    if r == "budget" or (r == "total" and "预算" in label):
        return Tag(n, "budget", label, clause)
    if r in ("adjust", "initial"):
        return Tag(n, "", label, clause)
    return Tag(n, "level", label, clause)


def statements(text: str) -> list[Statement]:
    """The statements of a paragraph, sentence by sentence."""
    nums = find_numbers(text)
    out: list[Statement] = []
    brackets = _bracket_spans(text)
    for s, e in sentences(text):
        cur: Statement | None = None
        prev_end = s
        for n in nums:
            if not (s <= n.start < e):
                continue
            t = tag_figure(text, n, prev_end, s)
            prev_end = n.unit_end
            box = next(((a, b) for a, b in brackets if a < n.start < b), None)
            inside = box is not None
            if inside and t.role in ("level", "budget", "previous"):
                t.role = ""  # "200.00万元（其中专项50.00万元）": a detail, not the subject's level
            elif inside and t.role in ("change", "rate") and not _marker(text[box[0] : n.start]):
                t.role = ""  # "增加主要来自无形资产（增加811.63万元）": another subject's change
            gap_from = cur.tags[-1].num.unit_end if cur and cur.tags else s
            gap = _unbracketed(text, gap_from, n.start, brackets)
            new = cur is None
            if inside and cur is not None:
                cur.tags.append(t)
                continue
            if not new and re.search(r"其中", gap):
                new = True
            if not new and re.search(r"[；;]", gap):
                after = re.split(r"[；;]", gap)[-1]
                new = not _STATEMENT_GOES_ON.match(after)
            if (
                not new
                and t.role in ("level", "previous")
                and (
                    cur.first(t.role) is not None
                    or any(x.role in ("change", "rate", "share") for x in cur.tags)
                )
            ):
                new = True
            if (
                not new
                and t.role == "budget"
                and (
                    any(x.role == "budget" and budget_kind(x.label) == budget_kind(t.label) for x in cur.tags)
                    or any(x.role in ("change", "rate", "share") for x in cur.tags)
                )
            ):
                new = True  # 年初预算 and 调整后预算 of one subject stay together
            if not new and t.role == "level" and any(x.role == "completion" for x in cur.tags):
                new = True
            if (
                new
                and cur is None
                and out
                and t.role in ("change", "rate")
                and _goes_on(text[s : n.start], out[-1])
            ):
                cur = out[-1]  # "…支出1264.92万元。与2019年相比，…增加27.44万元": the same subject
            elif new:
                if cur is not None:
                    cur.alone = False
                    first_of_sentence = next((x for x in out if x.start >= s), None)
                    if first_of_sentence is not None:
                        first_of_sentence.alone = False
                cur = Statement(n.start, alone=cur is None)
                cur.head = text[_clause_start(text, n.start, s) : n.start]
                cur.subject = _subject(cur.head)
                out.append(cur)
            cur.tags.append(t)
    return out


_OPENS_COMPARISON = re.compile(
    r"^\s*(与|较|比|同)[^，,；;。]{0,12}?(相比|同期|上年|去年|预算|(?:19|20)\d{2}\s*年度?)"
    r"[，,]?\s*(?P<subj>[^，,；;。\d]*?)"
    r"(增加|减少|增长|下降|降低|上升|节约|持平)"
)


def _goes_on(head: str, last: Statement) -> bool:
    """Does a sentence that opens with a comparison (与2019年相比，一般公共预算财政拨款增加…)
    continue the last statement of the sentence before: it names no subject, or the same one?"""
    m = _OPENS_COMPARISON.match(head)
    if m is None or last.first("level") is None and last.first("budget") is None or not last.alone:
        return False  # after a list ("其中，A…，B…。同比减少…") the subject is not clear
    subj = _subject(m.group("subj"))
    return not subj or (len(subj) >= 2 and (subj in last.subject or last.subject.endswith(subj)))


def _bracket_spans(text: str) -> list[tuple[int, int]]:
    out, stack = [], []
    for i, ch in enumerate(text):
        if ch in "（(":
            stack.append(i)
        elif ch in "）)" and stack:
            a = stack.pop()
            if not stack:
                out.append((a, i))
    return out


def _unbracketed(text: str, a: int, b: int, brackets) -> str:
    """text[a:b] with bracketed passages left out."""
    keep = []
    i = a
    for x, y in brackets:
        if y < a or x >= b:
            continue
        keep.append(text[i : max(i, x)])
        i = max(i, y + 1)
    keep.append(text[i:b])
    return "".join(keep)


_SUBJ_TRIM = re.compile(
    r"^(\d{4}年度?|全年|本年度?|本期|其中|另外|同时|此外|[\d一二三四五六七八九十]+[.、．])+"
)
_ROLE_TAIL = re.compile(r"(预算|决算|实际|支出|执行|使用|安排|数|额|金额|为|是|共计|合计|总计|达到?|[:：])+$")


def _subject(label: str) -> str:
    s = re.sub(r"[（(][^）)]*[）)]", "", label)
    s = _SUBJ_TRIM.sub("", s.strip(" ，,；;：:"))
    s = _ROLE_TAIL.sub("", s)
    return s.strip(' “”"的')
