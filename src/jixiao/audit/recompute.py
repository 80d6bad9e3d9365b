"""Claims, their recomputation and the status rules (DESIGN §3, §9).

Statuses:
- ``ok``: the stated figure is what the inputs give, rounded (half up) as printed;
- ``rounding``: off by no more than one unit of the last printed digit (0.01 万元 for amounts
  with 2 decimals, 0.01 pp for rates with 2 decimals; ±0.5 for figures printed without decimals);
- ``mismatch``: off by more;
- ``unverifiable``: an input is missing or a denominator is zero (``reason`` says which).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ..errors import EXIT_DATA, EXIT_OK
from ..money import AMOUNT_TOLERANCE, dec_str, fmt_amount

OK, ROUNDING, MISMATCH, UNVERIFIABLE = "ok", "rounding", "mismatch", "unverifiable"
STATUSES = (MISMATCH, ROUNDING, OK, UNVERIFIABLE)

#: Chinese names of claim kinds (text output, docs)
KIND_NAMES = {
    "formula": "计算式",
    "change": "较上年增减",
    "change_rate": "较上年变动率",
    "saving": "节约/结余",
    "parts": "总数与分项",
    "count_parts": "人数/个数与分项",
    "rate": "比率",
    "budget_identity": "年初+调整=全年",
    "net_value": "原值−累计折旧=净值",
    "table_identity": "表格行勾稽",
    "table_total": "表格合计",
    "table_change_rate": "表格变动比例",
    "table_rate": "表格比率",
    "text_vs_table": "文字与表格",
    "direction": "决算与预算孰大",
    "cross_document": "跨文件一致",
}


@dataclass
class Claim:
    kind: str
    text: str
    location: dict
    stated: Decimal | None
    computed: Decimal | None = None
    status: str = UNVERIFIABLE
    reason: str = ""
    formula: str = ""
    unit: str = ""
    #: figures the claim rests on: ('p', paragraph, start, end) or ('t', table, row, column);
    #: the stated figure first. Not part of the JSON; the mutation tests use it.
    refs: tuple = field(default_factory=tuple)

    def to_dict(self) -> dict:
        d = {
            "kind": self.kind,
            "text": self.text,
            "location": dict(self.location),
            "stated": dec_str(self.stated),
            "computed": dec_str(self.computed),
            "status": self.status,
            "unit": self.unit,
            "formula": self.formula,
        }
        if self.reason:
            d["reason"] = self.reason
        return d

    @property
    def where(self) -> str:
        loc = self.location
        if "locations" in loc:  # a claim across documents: where it is in each file
            return "；".join(f"{Path(x['file']).name} {_where(x)}" for x in loc["locations"])
        return _where(loc)


def _where(loc: dict) -> str:
    """A location for people: 第N页 第N段, or 第N页 表N 第N行 第N列 (numbered from 1)."""
    page = f"第{loc['page']}页 " if loc.get("page") else ""
    if "paragraph" in loc:
        return f"{page}第{loc['paragraph'] + 1}段"
    return f"{page}表{loc['table'] + 1} 第{loc['row'] + 1}行 第{loc['column'] + 1}列"


def tolerance(decimals: int) -> Decimal:
    """One unit of the last printed digit; ±0.5 when printed without decimals."""
    if decimals <= 0:
        return Decimal("0.5")
    return Decimal(1).scaleb(-decimals)


def quantize(x: Decimal, decimals: int) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-max(decimals, 0)), rounding=ROUND_HALF_UP)


def judge(
    claim: Claim, exact: Decimal | None, decimals: int, *, exact_only: bool = False, why_none: str = ""
) -> Claim:
    """Fill ``computed`` (rounded as printed) and ``status`` from the unrounded result."""
    if claim.stated is None:
        claim.status, claim.reason = UNVERIFIABLE, claim.reason or "未找到陈述的数值"
        return claim
    if exact is None:
        claim.computed = None
        claim.status = UNVERIFIABLE
        claim.reason = why_none or claim.reason or "缺少计算所需的数据"
        return claim
    shown = quantize(exact, decimals)
    claim.computed = shown
    tol = tolerance(decimals)
    if claim.unit != "%" and decimals > 2:
        tol = max(tol, AMOUNT_TOLERANCE)  # amounts: 0.01 (万元) however many decimals are printed
    if shown == claim.stated:
        claim.status = OK
    elif not exact_only and abs(claim.stated - exact) <= tol:
        claim.status = ROUNDING
    elif not exact_only and abs(claim.stated - shown) <= tol and decimals > 0:
        claim.status = ROUNDING
    else:
        claim.status = MISMATCH
    return claim


def unverifiable(claim: Claim, why: str) -> Claim:
    claim.status, claim.reason, claim.computed = UNVERIFIABLE, why, None
    return claim


def fmt(x: Decimal | None, decimals: int = 2, unit: str = "") -> str:
    if x is None:
        return "—"
    if unit == "%":
        return f"{quantize(x, decimals)}%"
    if unit in ("万元", "元", "亿元", "千元", ""):
        return fmt_amount(x, places=max(decimals, 0)) + unit
    return f"{quantize(x, decimals)}{unit}"


@dataclass
class AuditResult:
    file: str
    claims: list[Claim]
    paragraphs: int = 0
    tables: int = 0

    @property
    def summary(self) -> dict:
        out = {s: 0 for s in (OK, ROUNDING, MISMATCH, UNVERIFIABLE)}
        for c in self.claims:
            out[c.status] = out.get(c.status, 0) + 1
        return out

    @property
    def mismatches(self) -> list[Claim]:
        return [c for c in self.claims if c.status == MISMATCH]

    @property
    def exit_code(self) -> int:
        return EXIT_DATA if self.mismatches else EXIT_OK

    def to_dict(self) -> dict:
        return {"file": self.file, "claims": [c.to_dict() for c in self.claims], "summary": self.summary}
