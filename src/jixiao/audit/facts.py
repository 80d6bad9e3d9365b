"""Facts: the figures a document states about a named subject, wherever it states them.

A fact is one figure with its subject (what it measures), its role (actual, budget, previous
year's …) and its location. Tables give facts (``table_facts``), sentences give facts
(``text_facts``); comparing facts of one subject finds a text that contradicts its own tables
(DESIGN §9, issue 10.3) and two documents of one unit that disagree (issue 10.5).

Subjects are canonical keys (``SUBJECTS``) so that "支出合计", "本年支出合计" and "支出总计" in
different documents meet under one key; a figure whose subject is unclear is not a fact.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

#: canonical subjects with their Chinese names (the names are what a message shows)
SUBJECTS: dict[str, str] = {
    "income_total": "收入合计",
    "expense_total": "支出合计",
    "basic_expense": "基本支出",
    "project_expense": "项目支出",
    "fiscal_appropriation_income": "财政拨款收入",
    "general_public_budget_expense": "一般公共预算财政拨款支出",
    "three_public_total": "“三公”经费合计",
    "three_public_abroad": "因公出国（境）费",
    "three_public_vehicle": "公务用车购置及运行费",
    "three_public_vehicle_purchase": "公务用车购置费",
    "three_public_vehicle_operation": "公务用车运行维护费",
    "three_public_reception": "公务接待费",
    "operating_expense": "机关运行经费",
    "procurement_total": "政府采购支出合计",
}

#: roles a figure can play about its subject
ROLES = ("actual", "budget", "previous_actual", "previous_budget")


def text_facts(doc) -> list[Fact]:
    """Figures the sentences state about the subjects of ``SUBJECTS`` (in 万元), by the tagged
    statements of the audit's tag stage (``compare.text_items``)."""
    from .compare import text_facts as facts_of_sentences

    return facts_of_sentences(doc)


@dataclass(frozen=True)
class Fact:
    subject: str  # a key of SUBJECTS
    role: str  # one of ROLES
    value: Decimal  # in 万元
    location: dict  # as a claim's location: {"table", "row", "column", "page"} or {"paragraph", "page"}
    text: str = ""  # the words it was read from (a row label, a clause)
    file: str = ""  # the document it comes from (set when several documents are compared)


# --- facts from the template tables ----------------------------------------------------------

_UNIT_FACTOR = {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal(1), "亿元": Decimal(10000)}
_THREE_SUBJECT = {
    "total": "three_public_total",
    "abroad": "three_public_abroad",
    "vehicle": "three_public_vehicle",
    "purchase": "three_public_vehicle_purchase",
    "operation": "three_public_vehicle_operation",
    "reception": "three_public_reception",
}


def _role_of(text: str, default: str, year: str = "") -> str:
    text = re.sub(r"一般公共预算|政府性基金预算|国有资本经营预算", "", text)  # fund names are no roles
    years = re.findall(r"((?:19|20)\d{2})\s*年", text)
    if "上年" in text or (year and years and years[-1] < year):
        budget = "预算" in text or (default == "budget" and "决算" not in text and "实际" not in text)
        return "previous_budget" if budget else "previous_actual"
    if "决算" in text or "实际" in text or "执行" in text:
        return "actual"
    if "预算" in text:
        return "budget"
    return default


def table_facts(doc) -> list[Fact]:
    """Figures the template tables state about the subjects of ``SUBJECTS`` (in 万元): 本年收入 /
    支出合计, 基本 / 项目支出 (支出决算表 / 支出总表), 一般公共预算财政拨款支出, 财政拨款收入, the "三公"
    total and items by 预算数 / 决算数, 机关运行经费 and 政府采购 totals. A table's title is the
    short paragraph right before it; the document's kind (决算 / 预算) gives the default role."""
    from . import table_template as tt
    from .document import Paragraph, Table
    from .table_claims import analyse

    blocks = doc.blocks
    head = "".join(b.text for b in blocks[:12] if isinstance(b, Paragraph)) + (doc.name or "")
    head = re.sub(r"一般公共预算|政府性基金预算|国有资本经营预算", "", head)
    default = "actual" if head.count("决算") + head.count("自评") >= head.count("预算") else "budget"
    years = Counter(
        y for b in blocks if isinstance(b, Paragraph) for y in re.findall(r"((?:19|20)\d{2})\s*年", b.text)
    )
    year = years.most_common(1)[0][0] if years else ""
    out: list[Fact] = []
    seen: set = set()

    def add(subject, role, value, t, r, c, text):
        if (subject, role) in seen or value is None:
            return
        seen.add((subject, role))
        factor = _UNIT_FACTOR.get(t.unit or "万元", Decimal(1))
        out.append(
            Fact(
                subject,
                role,
                value * factor,
                {"table": t.index, "row": r, "column": c, **({"page": t.page} if t.page else {})},
                text,
                doc.name,
            )
        )

    for i, b in enumerate(blocks):
        if not isinstance(b, Table):
            continue
        title = ""
        j = i - 1
        while j >= 0 and isinstance(blocks[j], Paragraph) and len(blocks[j].text) <= 80 and len(title) < 80:
            title = blocks[j].text + title
            j -= 1
        title = re.sub(r"\s+", "", title).split("。")[-1]  # a note ending the table before is no title
        g = analyse(b)
        if g is None:
            allt = "".join("".join(r) for r in b.rows)
            if "三公" in title and "接待" in allt:
                roles = [x for w, x in (("预算", "budget"), ("决算", "actual")) if w in allt] or [default]
                for role in roles:  # a blank "三公" table: nothing was spent
                    for k in _THREE_SUBJECT.values():
                        add(k, role, Decimal(0), b, 0, 0, "“三公”经费表未填数")
            continue
        role0 = _role_of(re.sub(r"实际|执行", "", title), default, year)
        if tt.is_three_public(g) and "三公" in title + "".join(g.headers):
            for grp in tt.three_public_cells(g):
                r0 = next(v for k, v in grp.items() if k != "_role" and v)[0]
                row_text = "".join(x for c, x in enumerate(b.rows[r0]) if g.cells[r0][c] is None)
                if re.search(r"增减|变化|变动|差额|比上年|较上年", row_text):
                    continue  # a row of changes states no level
                role = _role_of(row_text + str(grp.get("_role", "")), role0, year)
                for item, rc in grp.items():
                    if item in _THREE_SUBJECT and rc and g.cells[rc[0]][rc[1]] is not None:
                        r, c = rc  # a blank cell beside printed ones states nothing
                        add(_THREE_SUBJECT[item], role, g.val(r, c), b, r, c, b.rows[r][c])
            continue
        amount = [c for c in g.numeric_cols if c not in g.pct_cols]
        if not amount:
            continue
        tot = [r for r in g.total_rows if g.total_rows[r] == "合计"]
        col = {c: re.sub(r"\s+", "", g.headers[c]) for c in amount}
        if "机关运行经费" in title:
            r, c = (tot[0] if tot else g.header_rows), amount[0]
            add("operating_expense", role0, g.val(r, c), b, r, c, b.rows[r][c])
        if "政府采购" in title and tot:
            c = next((c for c in amount if re.search(r"合计|总计", col[c])), amount[0])
            add("procurement_total", role0, g.val(tot[0], c), b, tot[0], c, b.rows[tot[0]][c])
        if "总表" in title:  # 收入支出(决算)总表 / 财政拨款收入支出(决算)总表: 收入总计
            subj = "fiscal_grand_total" if "财政拨款" in title else "grand_total"
            for r in range(g.header_rows, len(b.rows)):
                if re.fullmatch(r"(收入)?总计", re.sub(r"\s+", "", g.label(r))) and g.cells[r][amount[0]]:
                    add(subj, role0, g.val(r, amount[0]), b, r, amount[0], b.rows[r][amount[0]])
                    break
        if not tot:
            continue
        r = tot[0]
        sumc = next((c for c in amount if re.search(r"合计|总计|小计", col[c])), None)
        basic = next((c for c in amount if col[c].endswith("基本支出")), None)
        project = next((c for c in amount if col[c].endswith("项目支出")), None)
        general = "一般公共预算" in title and "基本支出" not in title
        if "支出" in title and "收入" not in title and sumc is not None and basic is not None:
            subj = "general_public_budget_expense" if general else "expense_total"
            add(subj, role0, g.val(r, sumc), b, r, sumc, b.rows[r][sumc])
            if not general:
                add("basic_expense", role0, g.val(r, basic), b, r, basic, b.rows[r][basic])
                if project is not None:
                    add("project_expense", role0, g.val(r, project), b, r, project, b.rows[r][project])
        if "收入" in title and "支出" not in title and sumc is not None:
            add("income_total", role0, g.val(r, sumc), b, r, sumc, b.rows[r][sumc])
            fin = next((c for c in amount if col[c].startswith("财政拨款")), None)
            if fin is not None:
                add("fiscal_appropriation_income", role0, g.val(r, fin), b, r, fin, b.rows[r][fin])
    return out


# subjects the template's 总表 state (the text's 收入支出总计 / 财政拨款收入支出总计 meet them here)
SUBJECTS.setdefault("grand_total", "收入支出总计")
SUBJECTS.setdefault("fiscal_grand_total", "财政拨款收入支出总计")
