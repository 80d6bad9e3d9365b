"""What every paragraph extractor shares: the paragraph in its context (:class:`ParaContext`),
the figures already claimed, and look-ups of a subject's figure in earlier sentences.

This module imports no extractor: the extractors (``text_claims``, ``parts``, ``rates``,
``relate``) import it, and ``pipeline`` lists them in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .document import Paragraph
from .numbers import (
    AMOUNT_UNITS,
    Num,
    clause_end,
    clause_start,
    find_numbers,
    label_of,
    role_of,
    sentence_of,
    sentences,
)
from .recompute import Claim

#: a comparison marker: 较/比/与 上年 (去年, 同期, 2022年, 预算, 年初 …) or 同比
CMP = re.compile(r"(较|比|与)(?=\s*(上年|上一年|去年|同期|前一年|上年度|\d{4}年|预算|年初|本年预算))|同比")
SUBJECT_TRIM = re.compile(r"^(\d{4}年度?|全年|本年度?|本期|我局|我单位|本单位|本部门|其中|另外|同时|此外)+")


_CHANGE_TAIL = re.compile(
    r"(增加|增长|减少|下降|压减|降低|上升|提高|节约|节省|缩减|超支|结余|增收|减收|增支|减支|增|减)了?(支出|金额|额)?(为|达)?\s*$"
)


def is_change_label(label: str) -> bool:
    """Does the figure after ``label`` state a change (…比预算数减少 X) rather than a level?"""
    return bool(_CHANGE_TAIL.search(label))


@dataclass
class ParaContext:
    paragraphs: list[Paragraph]
    pos: int  # position of this paragraph in ``paragraphs``
    used: set = field(default_factory=set)  # spans (start, end) already stated by a claim
    formula_spans: list = field(default_factory=list)  # written-out expressions (their inputs are not claims)
    settled: set = field(default_factory=set)  # spans stated by a claim that was judged (not unverifiable)

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
            a = max(
                s, clause_start(self.text, stated.start, s, marks="；;。") if stated.start - s > 70 else s
            )
            a = max(a, stated.start - 70)
            b = min(e, stated.end + 60)
            sent = ("…" if a > s else "") + self.text[a:b].strip() + ("…" if b < e else "")
        return Claim(
            kind=kind,
            text=sent,
            location={"paragraph": self.para.index},
            stated=stated.value,
            unit=stated.unit if unit is None else unit,
            refs=(self.ref(stated),),
        )

    def mark(self, n: Num) -> None:
        self.used.add((n.start, n.end))

    def is_used(self, n: Num) -> bool:
        return (n.start, n.end) in self.used


def to_unit(x_wan: Decimal, n: Num) -> Decimal:
    """A value in 万元 expressed in the unit ``n`` is printed in."""
    if n.kind == "amount":
        return x_wan / AMOUNT_UNITS.get(n.unit, Decimal(1))
    return x_wan


def measure(stated: Num) -> dict:
    return {"exact_only": stated.kind == "count"}


def ref_of(ctx: ParaContext, x):
    if isinstance(x, tuple):  # (Num, paragraph index) found in another paragraph
        n, pidx = x
        return ("p", pidx, n.start, n.end)
    return ctx.ref(x)


_GENERIC = {
    "支出",
    "收入",
    "经费",
    "资金",
    "金额",
    "总额",
    "合计",
    "预算",
    "决算",
    "项目",
    "费用",
    "资产",
    "人员",
    "其中",
    "本年",
    "全年",
    "上年",
}

_ROLE_TAIL = re.compile(r"(资金|经费)?(实际)?(支出|使用|执行|决算|发生|完成|到位|分配|拨付)(数|额|金额)?$")


def subject_of_label(label: str) -> str:
    s = SUBJECT_TRIM.sub("", re.sub(r"^截至[^，]*", "", label.strip(" ，,：:为")))
    prev = None
    while prev != s:
        prev, s = s, _ROLE_TAIL.sub("", s)
    return s.strip(" “”")


def find_by_subject(ctx: ParaContext, subject: str, before: int, want: str, prefer: str = ""):
    """A level figure for ``subject`` in earlier sentences of this paragraph, then up to three
    paragraphs back: the first one after the subject whose label reads ``want`` (actual/budget);
    for 'actual', a figure with a neutral label is accepted too. Returns Num (this paragraph)
    or (Num, paragraph index)."""
    key = subject.replace("“", "").replace("”", "").replace('"', "")
    if len(key) < 3 and not (len(key) == 2 and key not in _GENERIC):
        return None  # "支出较上年…": too generic a subject to look up elsewhere
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
                if is_change_label(lab):
                    continue  # "比预算数减少67.62万元": a change, not the subject's level
                r = role_of(lab)
                if want == "any" and n.start > clause_end(text, start, stop):
                    continue  # "any" figure: only the one stated with the subject, in its clause
                if (
                    want == "any"
                    or r == want
                    or (want == "actual" and r in ("", "total") and "预算" not in lab)
                ):
                    hits.append((n, lab))
            if hits:
                best = [h for h in hits if prefer and prefer in h[1]] or hits
                n = best[0][0]
                return n if back == 0 else (n, ctx.paragraphs[k].index)
    return None
