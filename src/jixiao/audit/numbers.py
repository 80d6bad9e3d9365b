"""Figures in Chinese prose: find them, tell amounts from rates, counts, years and document
numbers, and read the label in front of each (实际支出 / 预算数 / 调整额 …)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

#: a number as printed: optional sign, grouped or plain integer part, optional decimals
_NUM = re.compile(r"(?<![\d.,A-Za-z])([-－]?)(\d{1,3}(?:,\d{3})+(?![\d])|\d+)(\.\d+)?")

AMOUNT_UNITS = {"万元": Decimal(1), "亿元": Decimal(10000), "千元": Decimal("0.1"), "元": Decimal("0.0001")}
COUNT_UNITS = (
    "批次",
    "名",
    "人",
    "个",
    "家",
    "份",
    "项",
    "次",
    "件",
    "所",
    "台",
    "辆",
    "张",
    "间",
    "篇",
    "场",
    "户",
    "条",
    "套",
    "支",
    "座",
    "处",
    "只",
    "位",
    "例",
    "宗",
)
NOT_FIGURE = (
    "年",
    "月",
    "日",
    "号",
    "时",
    "岁",
    "届",
    "期",
    "季度",
    "版",
    "级",
    "类",
    "大",
    "点",
    "周",
    "英寸",
    "号文",
    "万",
    "亿",
    "倍",
    "星",
    "强",
    "型",
    "代",
)


@dataclass(frozen=True)
class Num:
    """One figure in a text: value as printed (in its own unit), where it is, what it is."""

    value: Decimal
    text: str  # the number as printed, sign included, unit excluded
    start: int  # span of ``text`` in the paragraph
    end: int
    kind: str  # 'amount' | 'rate' | 'count' | 'score' | 'bare'
    unit: str  # '万元', '%', '名', '' …
    decimals: int
    unit_end: int  # end of the unit in the paragraph

    @property
    def wan(self) -> Decimal:
        """Amount in 万元 (amounts only; other kinds unchanged)."""
        return self.value * AMOUNT_UNITS.get(self.unit, Decimal(1))


def decimals_of(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _ranges(text: str, open_: str, close: str) -> list[tuple[int, int]]:
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == open_:
            if depth == 0:
                start = i
            depth += 1
        elif ch == close and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i))
    return out


@lru_cache(maxsize=4096)
def find_numbers(text: str) -> tuple[Num, ...]:
    """Every figure in ``text``, with years, dates, document numbers (〔2023〕16号), headings'
    ordinals and numbers inside titles (《…》) left out."""
    titles = _ranges(text, "《", "》") + [
        (a, b) for a, b in _ranges(text, "〔", "〕") + _ranges(text, "[", "]") if b - a <= 7
    ]  # 〔2023〕: a document number's year
    out = []
    for m in _NUM.finditer(text):
        sign, intpart, frac = m.group(1), m.group(2), m.group(3) or ""
        s, e = m.start(), m.end()
        if any(a < s < b for a, b in titles):
            continue
        before = text[s - 1] if s else ""
        if before == "第" or (s and text[s - 1] in "〔[") or text[e : e + 1] in ("〕", "]"):
            continue
        rest = text[e : e + 4].lstrip(" ")
        gap = len(text[e : e + 4]) - len(text[e : e + 4].lstrip(" "))
        if s == 0 and rest[:1] in (".", "、", "．") and not frac:  # heading ordinal "1."
            continue
        if before in "（(" and rest[:1] in ("）", ")") and not frac:  # "（1）"
            continue
        if (
            rest[:1] in ("-", "—", "~", "～", "至")
            and re.match(r"[-—~～至]\s*\d", rest)
            and not frac
            and len(intpart) == 4
        ):  # a span of years 2018-2020
            continue
        unit, kind = "", "bare"
        if rest.startswith("%"):
            unit, kind = "%", "rate"
        else:
            for u in ("万元", "亿元", "千元", "元"):
                if rest.startswith(u):
                    unit, kind = u, "amount"
                    break
            else:
                for u in COUNT_UNITS:
                    if rest.startswith(u):
                        unit, kind = u, "count"
                        break
                else:
                    if rest.startswith("分"):
                        if re.match(r"分(钟|之|别|配|项|析|类|解|布|批|期|档|值)", rest):
                            continue
                        unit, kind = "分", "score"  # a score: used only inside written-out formulas
                    elif any(rest.startswith(u) for u in NOT_FIGURE):
                        continue
        if (
            kind == "bare"
            and not frac
            and "," not in intpart
            and len(intpart) == 4
            and intpart[:2] in ("19", "20")
        ):
            continue  # a bare year
        if kind == "count" and frac:
            kind = "bare"
        printed = (sign and "-") + intpart + frac
        value = Decimal(printed.replace(",", ""))
        unit_end = e + gap + len(unit) if unit else e
        out.append(Num(value, text[s:e], s, e, kind, unit, decimals_of(frac and frac or ""), unit_end))
    return tuple(out)


# --- sentences and clauses -----------------------------------------------------------------

_SENT_END = "。！？!?\n"
_CLAUSE_END = "，,；;：:"


@lru_cache(maxsize=4096)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence, the end mark included."""
    return tuple(_sentences(text))


def _sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in _SENT_END:
            if text[start : i + 1].strip():
                out.append((start, i + 1))
            start = i + 1
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def sentence_of(text: str, pos: int) -> tuple[int, int]:
    for s, e in sentences(text):
        if s <= pos < e:
            return s, e
    return 0, len(text)


def clause_start(text: str, pos: int, floor: int = 0, marks: str = _CLAUSE_END + "。、") -> int:
    """Start of the clause that holds ``pos`` (after the last clause mark outside brackets)."""
    depth = 0
    i = pos - 1
    while i >= floor:
        ch = text[i]
        if ch in "）)":
            depth += 1
        elif ch in "（(" and depth:
            depth -= 1
        elif depth == 0 and ch in marks + "。！？" and not _thousands(text, i):
            return i + 1
        i -= 1
    return floor


def clause_end(text: str, pos: int, ceil: int | None = None, marks: str = _CLAUSE_END + "。") -> int:
    ceil = len(text) if ceil is None else ceil
    depth = 0
    for i in range(pos, ceil):
        ch = text[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
        elif depth == 0 and ch in marks + "！？" and not _thousands(text, i):
            return i
    return ceil


def _thousands(text: str, i: int) -> bool:
    """Is text[i] the ASCII comma of a grouped number (1,234.00)?"""
    return (
        text[i] == "," and 0 < i < len(text) - 3 and text[i - 1].isdigit() and text[i + 1 : i + 4].isdigit()
    )


def label_of(text: str, num: Num, nums: tuple[Num, ...] | None = None) -> str:
    """The words in front of a figure, back to the clause start or the previous figure's unit."""
    start = clause_start(text, num.start)
    for n in nums or ():
        if n.unit_end <= num.start and n.unit_end > start:
            start = n.unit_end
    return text[start : num.start]


# --- roles by the last keyword (Chinese puts the head noun last: 预算执行数 is an actual) ----

ROLE_WORDS = {
    "actual": (
        "实际",
        "执行数",
        "执行",
        "决算",
        "支出",
        "发生",
        "使用",
        "完成",
        "到位",
        "拨付",
        "分配",
        "开支",
        "花费",
        "实现",
        "列支",
    ),
    "budget": ("预算", "批复", "下达", "计划", "安排", "核定", "预算数", "预算金额", "预算资金"),
    "adjust": ("调整", "追加", "调增", "调减", "追减", "核减"),
    "initial": ("年初",),
    "total": ("共计", "合计", "总计", "总额", "累计"),
}


def role_of(label: str) -> str:
    """'actual' | 'budget' | 'adjust' | 'total' | 'initial' | '' by the keyword that ends last."""
    best, best_end, best_len = "", -1, 0
    for role, words in ROLE_WORDS.items():
        if role == "total":
            continue
        for w in words:
            i = label.rfind(w)
            if i < 0:
                continue
            end = i + len(w)
            if end > best_end or (end == best_end and len(w) > best_len):
                best, best_end, best_len = role, end, len(w)
    if not best and has_any(label, ROLE_WORDS["total"]):
        return "total"
    return best


def has_any(text: str, words) -> bool:
    return any(w in text for w in words)
