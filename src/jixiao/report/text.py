"""Small pure helpers for report wording: amounts, placeholders, numbering, exact sentences.

Every sentence that states arithmetic is built from the *printed* (2-place) figures, so a reader
(or ``jixiao audit``) recomputing it from the page gets exactly the printed result.
"""

from __future__ import annotations

from decimal import Decimal

from ..money import change_rate, fmt_amount, fmt_rate, q2, rate

CN_DIGITS = "零一二三四五六七八九"


def cn_num(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (for headings up to 99)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


def ph(what: str) -> str:
    """A visible placeholder for the person to fill — never an invented fact."""
    return f"【待补充：{what}】"


def p2(x: Decimal | None) -> Decimal | None:
    return None if x is None else q2(x)


def amt(x: Decimal | None, what: str = "金额") -> str:
    """'52,878.93万元', or a placeholder naming what is missing."""
    if x is None:
        return ph(what)
    return fmt_amount(x) + "万元"


def num(x: Decimal | None) -> str:
    """Table figure: '52,878.93' or '' when missing."""
    return fmt_amount(x) if x is not None else ""


def pct(x: Decimal | None) -> str:
    return fmt_rate(x) if x is not None else ""


def exact_rate(numer: Decimal | None, denom: Decimal | None) -> Decimal | None:
    """numer / denom × 100 from the printed (2-place) figures, rounded once; None if not computable."""
    if numer is None or denom is None:
        return None
    return rate(q2(numer), q2(denom))


def rate_trace(numer: Decimal, denom: Decimal) -> str:
    """'298.41/379.72×100%=78.59%' from printed figures (caller checks denom != 0)."""
    r = rate(q2(numer), q2(denom))
    return f"{fmt_amount(numer)}/{fmt_amount(denom)}×100%={fmt_rate(r)}"


def change_phrase(cur: Decimal | None, prior: Decimal | None, prior_label: str) -> str:
    """'较上年决算1,969.68万元增加63.04万元，增长3.20%' — exact on the printed figures."""
    if cur is None or prior is None:
        return f"与{prior_label}的比较{ph(prior_label + '数据')}"
    c, p = q2(cur), q2(prior)
    diff = c - p
    if diff == 0:
        return f"与{prior_label}{amt(p)}持平"
    verb, trend = ("增加", "增长") if diff > 0 else ("减少", "下降")
    text = f"较{prior_label}{amt(p)}{verb}{fmt_amount(abs(diff))}万元"
    r = change_rate(c, p)
    if r is not None:
        text += f"，{trend}{fmt_rate(abs(r))}"
    return text


def _item(name: str, v: Decimal) -> str:
    """'科技顾问14.87万元'; a name ending in a digit is quoted so it cannot merge with the amount
    (科技成果转化子基金2 5,000.00 must not read as 25,000.00)."""
    if name[-1:].isdigit() or name[-1:] in ".%":
        name = f"“{name}”"
    return f"{name}{fmt_amount(v)}万元"


def composition(total: Decimal | None, parts: list[tuple[str, Decimal | None]], joiner: str = "、") -> str:
    """'52,878.93万元，其中：基本支出2,032.72万元、…' when every part is known and the printed parts add
    up exactly to the printed total; otherwise the total alone (an incomplete or disagreeing 其中 list
    is not printed — `check` reports the disagreement to the preparer). Without a total, the parts
    make it only when every one is known (a total is never the sum of what happens to be filled)."""
    known = [(n, q2(v)) for n, v in parts if v is not None]
    complete = bool(parts) and len(known) == len(parts)
    listed = joiner.join(_item(n, v) for n, v in known)
    s = sum((v for _, v in known), Decimal(0))
    if total is None:
        if complete:
            return f"{fmt_amount(s)}万元，其中：{listed}"
        return listed or ph("金额")
    t = q2(total)
    if complete and s == t:
        return f"{fmt_amount(t)}万元，其中：{listed}"
    return amt(t)


def paragraphs(text: str) -> list[str]:
    """Narrative text as typed → paragraphs (one per non-empty line)."""
    return [ln.strip() for ln in (text or "").replace("\r\n", "\n").split("\n") if ln.strip()]


def fmt_qty(v) -> str:
    """A quantity as a department writes it: 21120 → '21,120', 57.51 → '57.51', text as typed."""
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, Decimal)):
        d = Decimal(v)
        if d == d.to_integral_value():
            return f"{int(d):,}"
        whole, _, frac = format(d.normalize(), "f").partition(".")
        return (
            f"{int(whole):,}" + ("." + frac if frac else "") if not whole.startswith("-") else format(d, "f")
        )
    return str(v)


def fmt_date(d) -> str:
    """2023-02-03 → '2023年2月3日'."""
    return f"{d.year}年{d.month}月{d.day}日"
