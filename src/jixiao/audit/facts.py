"""Facts: the figures a document states about a named subject, wherever it states them.

A fact is one figure with its subject (what it measures), its role (actual, budget, previous
year's …) and its location. Tables give facts (``table_facts``), sentences give facts
(``text_facts``); comparing facts of one subject finds a text that contradicts its own tables
(DESIGN §9, issue 10.3) and two documents of one unit that disagree (issue 10.5).

Subjects are canonical keys (``SUBJECTS``) so that "支出合计", "本年支出合计" and "支出总计" in
different documents meet under one key; a figure whose subject is unclear is not a fact.
"""

from __future__ import annotations

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
    subject: str            # a key of SUBJECTS
    role: str               # one of ROLES
    value: Decimal          # in 万元
    location: dict          # as a claim's location: {"table", "row", "column", "page"} or {"paragraph", "page"}
    text: str = ""          # the words it was read from (a row label, a clause)
    file: str = ""          # the document it comes from (set when several documents are compared)
