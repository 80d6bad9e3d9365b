"""Facts stated in sentences, and comparisons of facts (issue 10.3 and 10.5):

- ``text_items(doc)``: the figures the sentences state about a canonical subject (facts.SUBJECTS):
  支出决算为X万元 about “三公”经费, 机关运行经费支出Y万元 …, each with its role (actual / budget /
  previous year's) — the tagged statements of the ``tag`` stage, read for their subject;
- ``text_vs_table(doc)``: each such figure against the same subject and role in the document's
  own tables (``facts.table_facts``, where the table reader provides it): kind ``text_vs_table``,
  located at the sentence, the reason naming the table cell;
- ``cross_document(docs)``: the same figure in several documents of one unit and year (自评报告,
  决算公开, 预算公开): kind ``cross_document``, located in each file.

A figure agrees when the two are equal at the coarser of their printed precisions (65,000.00元 and
6.50万元 agree); within one unit of that precision it is a rounding difference. Pure functions.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .document import Document
from .facts import SUBJECTS, Fact
from .numbers import Num, sentence_of
from .recompute import MISMATCH, OK, ROUNDING, Claim, fmt
from .tag import statements

#: subjects by the words of a statement's head; first match wins (items before totals)
_SUBJECT_RULES: tuple[tuple[str, re.Pattern], ...] = tuple(
    (k, re.compile(p))
    for k, p in (
        ("three_public_vehicle", r"公务用车购置及运行"),
        ("three_public_vehicle_purchase", r"公务用车购置"),
        ("three_public_vehicle_operation", r"公务用车运行"),
        ("three_public_abroad", r"因公出国"),
        ("three_public_reception", r"公务接待"),
        ("three_public_total", r"三公"),
        ("operating_expense", r"机关运行经费"),
        ("procurement_total", r"^政府采购(支出|金额|合同金额|预算)?(总额|合计|总计)?$"),
        ("general_public_budget_expense", r"^一般公共预算财政拨款支出$"),
        ("expense_total", r"^(本年)?支出合计$"),
        ("income_total", r"^(本年)?收入合计$"),
        ("basic_expense", r"^基本支出$"),
        ("project_expense", r"^项目支出$"),
        ("fiscal_appropriation_income", r"^财政拨款收入$"),
        ("fiscal_grand_total", r"^财政拨款收入支出总计$"),
        ("grand_total", r"^收入支出总计$"),
    )
)
ROLE_NAMES = {
    "actual": "决算（实际）数",
    "budget": "预算数",
    "previous_actual": "上年决算数",
    "previous_budget": "上年预算数",
}
_ROLE_WORDS = re.compile(
    r"(年初|全年|调整后)?(预算|决算|实际|执行)?(支出|收入)?(数|额|金额|总额)?(为|是|达到?)?$"
)


@dataclass(frozen=True)
class TextItem:
    fact: Fact
    num: Num
    paragraph: int
    sentence: str


def subject_of(head: str) -> str:
    """The canonical subject a statement's head names, or '' when unclear."""
    s = re.sub(r"[“”\"‘’'「」]", "", head)
    s = re.sub(r"[（(][^）)]*[）)]", "", s)
    s = re.sub(r"^.*?(?:19|20)\d{2}\s*年度?", "", s)
    s = re.sub(r"^.*(?:其中|包括)[：:，,]?", "", s)
    s = re.sub(r"^\s*([\d一二三四五六七八九十]+[.、．])\s*", "", s)
    s = re.sub(r"^(本部门|本单位|我单位|我局|全年|本年度?)", "", s.strip(" ，,：:"))
    if re.search(r"较|比|与|同比|增加|减少|增长|下降|占", s):
        return ""
    forms = [s]  # the head with role words taken off its end one by one
    while True:
        nxt = _ROLE_WORDS.sub("", forms[-1])
        if nxt == forms[-1]:
            break
        forms.append(nxt)
    for key, pat in _SUBJECT_RULES:
        if any(pat.search(f) for f in forms):
            return key
    return ""


def _default_role(doc: Document) -> str:
    head = "".join(p.text for p in doc.paragraphs[:8]) + (doc.name or "")
    return "actual" if "决算" in head or "自评" in head else ("budget" if "预算" in head else "actual")


def _main_year(doc: Document) -> str:
    years = Counter(y for p in doc.paragraphs for y in re.findall(r"((?:19|20)\d{2})\s*年", p.text))
    return years.most_common(1)[0][0] if years else ""


def text_items(doc: Document) -> list[TextItem]:
    default, year = _default_role(doc), _main_year(doc)
    out: list[TextItem] = []
    for p in doc.paragraphs:
        for st in statements(p.text):
            first = (
                st.tags[0].label
                if st.tags and re.search(r"[\u4e00-\u9fff]{2}", st.tags[0].label)
                else st.head
            )
            subject = subject_of(first)
            if not subject:
                continue
            for t in st.tags:
                if t.num.kind != "amount" or t.role not in ("level", "budget", "previous"):
                    continue
                s, e = sentence_of(p.text, t.num.start)
                ys = re.findall(r"((?:19|20)\d{2})\s*年", p.text[s : t.num.start])
                if t.role != "previous" and ys and year and ys[-1] != year:
                    continue  # another year's figure (a text that mixes two years)
                words = t.label + t.clause
                if t.role == "previous":
                    role = "previous_budget" if "预算" in words else "previous_actual"
                elif t.role == "budget":
                    role = "budget"
                elif "决算" in words or "实际" in words:
                    role = "actual"
                elif re.search(r"决算|实际|执行", p.text[s : t.num.start]):
                    role = "actual"  # "…决算中，公务接待费0.53万元"
                elif "预算" in re.sub(
                    r"一般公共预算|政府性基金预算|国有资本经营预算", "", p.text[s : t.num.start]
                ):
                    role = "budget"  # "“三公”经费预算数为444.16万元，其中：因公出国（境）费1.7万元"
                else:
                    role = default
                fact = Fact(subject, role, t.num.wan, {"paragraph": p.index}, p.text[s:e].strip(), doc.name)
                out.append(TextItem(fact, t.num, p.index, p.text[s:e].strip()))
                break  # one figure per statement: the one its subject is stated with
    return out


def text_facts(doc: Document) -> list[Fact]:
    return [it.fact for it in text_items(doc)]


def _unit(x: Decimal) -> Decimal:
    """One unit of the last digit ``x`` was printed with (14.00 → 0.01; 65,000.00元 → 0.000001万元)."""
    e = x.as_tuple().exponent
    return Decimal(1).scaleb(min(e, 0)) if isinstance(e, int) else Decimal("0.01")


def agree(a: Decimal, b: Decimal, ua: Decimal | None = None, ub: Decimal | None = None) -> str:
    """'ok' when a and b are equal at the coarser printed precision, 'rounding' within one unit
    of it, 'mismatch' otherwise."""
    unit = max(ua if ua is not None else Decimal("0.01"), ub if ub is not None else Decimal("0.01"))
    qa, qb = a.quantize(unit), b.quantize(unit)
    if qa == qb:
        return OK
    return ROUNDING if abs(a - b) <= unit else MISMATCH


def _cell(loc: dict) -> str:
    page = f"第{loc['page']}页" if loc.get("page") else ""
    if "table" in loc:
        return f"{page}表{loc['table'] + 1}第{loc['row'] + 1}行第{loc['column'] + 1}列"
    return f"{page}第{loc['paragraph'] + 1}段"


def text_vs_table(doc: Document, tables: list[Fact] | None = None) -> list[Claim]:
    """Each figure a sentence states against the same subject and role in the document's tables."""
    if tables is None:
        from . import facts as F

        reader = getattr(F, "table_facts", None)
        tables = reader(doc) if reader is not None else []
    by_key: dict[tuple[str, str], list[Fact]] = {}
    for f in tables:
        by_key.setdefault((f.subject, f.role), []).append(f)
    out: list[Claim] = []
    for it in text_items(doc):
        f, n = it.fact, it.num
        cands = by_key.get((f.subject, f.role))
        if not cands:
            continue
        unit_text = Decimal(1).scaleb(-n.decimals) * (n.wan / n.value if n.value else 1)
        judged = [(agree(f.value, t.value, unit_text, Decimal("0.01")), t) for t in cands]
        best = (
            next((x for x in judged if x[0] == OK), None)
            or next((x for x in judged if x[0] == ROUNDING), None)
            or judged[0]
        )
        status, t = best
        c = Claim(
            kind="text_vs_table",
            text=it.sentence,
            location={"paragraph": it.paragraph},
            stated=n.value,
            unit=n.unit,
            refs=(
                ("p", it.paragraph, n.start, n.end),
                ("t", t.location.get("table"), t.location.get("row"), t.location.get("column")),
            ),
        )
        c.computed = (
            (t.value / (n.wan / n.value)).quantize(Decimal(1).scaleb(-n.decimals)) if n.value else t.value
        )
        c.status = status
        c.formula = f"{_cell(t.location)}：{fmt(t.value, 2, '万元')}"
        if status == MISMATCH:
            c.reason = (
                f"文字所述{SUBJECTS[f.subject]}{ROLE_NAMES[f.role]}为{fmt(n.value, n.decimals, n.unit)}，"
                f"与{_cell(t.location)}（{t.text or SUBJECTS[f.subject]}）的{fmt(t.value, 2, '万元')}不符"
            )
        out.append(c)
    return out


def cross_document(docs: list[tuple[str, list[Fact]]]) -> list[Claim]:
    """The same subject and role stated in two documents: each pair compared once, the table's
    figure first where a document has both (its sentences are checked against it already)."""
    out: list[Claim] = []
    for i in range(len(docs)):
        for j in range(i + 1, len(docs)):
            fa, fb = docs[i], docs[j]
            keys = sorted(
                {(f.subject, f.role) for f in fa[1]} & {(f.subject, f.role) for f in fb[1]},
                key=lambda k: (list(SUBJECTS).index(k[0]), k[1]),
            )
            for subject, role in keys:
                if role not in ("actual", "budget"):
                    continue  # last year's figures are restated from other documents
                va = [f for f in fa[1] if (f.subject, f.role) == (subject, role)]
                vb = [f for f in fb[1] if (f.subject, f.role) == (subject, role)]
                if role == "budget" and not _same_budget(va, vb):
                    continue
                pairs = [
                    (agree(a.value, b.value, _unit(a.value), _unit(b.value)), a, b) for a in va for b in vb
                ]
                best = (
                    next((p for p in pairs if p[0] == OK), None)
                    or next((p for p in pairs if p[0] == ROUNDING), None)
                    or (MISMATCH, _pick(va), _pick(vb))
                )
                status, a, b = best
                la, lb = {"file": fa[0], **a.location}, {"file": fb[0], **b.location}
                name = f"{SUBJECTS[subject]}（{ROLE_NAMES[role]}）"
                na, nb = Path(fa[0]).name, Path(fb[0]).name
                c = Claim(
                    kind="cross_document",
                    text=f"{name}：{na} {_cell(a.location)} {fmt(a.value, 2, '万元')}；"
                    f"{nb} {_cell(b.location)} {fmt(b.value, 2, '万元')}",
                    location={**la, "locations": [la, lb]},
                    stated=a.value,
                    computed=b.value,
                    status=status,
                    unit="万元",
                    formula=f"{fmt(a.value, 2, '万元')} vs {fmt(b.value, 2, '万元')}",
                )
                if status == MISMATCH:
                    c.reason = (
                        f"同一单位同一年度的{name}在两份文件中不一致：{na}（{_cell(a.location)}）为"
                        f"{fmt(a.value, 2, '万元')}，{nb}（{_cell(b.location)}）为{fmt(b.value, 2, '万元')}"
                    )
                out.append(c)
    return out


def _pick(facts: list[Fact]) -> Fact:
    return next((f for f in facts if "table" in f.location), facts[0])


def _same_budget(va: list[Fact], vb: list[Fact]) -> bool:
    """Budgets are compared only when both read as the same budget: a 决算 states 年初 and 全年
    (adjusted) budgets, a 预算公开 the 年初 one; a budget named 全年/调整后 is not compared."""

    def kinds(fs):
        return {
            "adjusted" if re.search(r"全年|调整", f.text) and "年初" not in f.text else "initial" for f in fs
        }

    return kinds(va) == kinds(vb) == {"initial"}
