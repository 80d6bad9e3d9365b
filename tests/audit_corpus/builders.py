"""Builders for the audit tests: write a Document as the reference's .txt layout or as a real
.docx (merged cells included), generate synthetic reports with figures computed here, and
mutate one stated figure at a time.

All sentences below are our own wording; the reference report is only ever read where it lies.
"""

from __future__ import annotations

import random
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from jixiao.audit.document import Document, DocumentBuilder, Paragraph, Table
from jixiao.audit.numbers import find_numbers
from jixiao.audit.table_claims import parse_cell

# --- writers -------------------------------------------------------------------------------


def to_txt(doc: Document) -> str:
    """Word's "save as text" layout: a tab-led line per cell, a blank line after each row; a row
    whose first cells repeat one label (a merged 合计) is written once, as Word does."""
    lines: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            lines.append(b.text)
        else:
            for row in b.rows:
                cells = list(row)
                while len(cells) > 1 and cells[0] == cells[1] and cells[0] and parse_cell(cells[0]) is None:
                    cells.pop(0)
                lines.extend("\t" + c for c in cells)
                lines.append("")
    return "\n".join(lines) + "\n"


def write_txt(doc: Document, path: Path, encoding: str = "utf-8") -> Path:
    path.write_bytes(to_txt(doc).encode(encoding))
    return path


def write_docx(doc: Document, path: Path) -> Path:
    """A real Word document: paragraphs and tables interleaved; a label repeated across the
    first cells of a row becomes one merged cell (gridSpan)."""
    import docx

    d = docx.Document()
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            d.add_paragraph(b.text)
            continue
        width = len(b.rows[0])
        t = d.add_table(rows=len(b.rows), cols=width)
        t.style = "Table Grid"  # ruled, as published reports are (a PDF keeps its lines)
        for row, dst in zip(b.rows, t.rows, strict=True):
            cells = dst.cells
            span = 1
            while span < width and row[span] == row[0] and row[0] and parse_cell(row[0]) is None:
                span += 1
            for c, text in enumerate(row):
                if c < span and c > 0:
                    continue
                if text:
                    cells[c].paragraphs[0].add_run(text)
            if span > 1:
                cells[0].merge(cells[span - 1])
    d.save(str(path))
    return path


# --- mutation --------------------------------------------------------------------------------


def bump(text: str) -> str:
    """Change a printed figure by one unit in every printed digit from the units down
    (86.76 → 87.87, 68 → 69, -16.48 → -15.37), keeping its style (grouping, decimals)."""
    t = text.replace("－", "-")
    neg = t.startswith("-")
    core = t.lstrip("-+")
    dec = len(core.split(".")[1]) if "." in core else 0
    v = Decimal(core.replace(",", "")) * (-1 if neg else 1)
    delta = sum((Decimal(1).scaleb(-i) for i in range(dec + 1)), Decimal(0))
    nv = (v + delta).quantize(Decimal(1).scaleb(-dec), rounding=ROUND_HALF_UP)
    body = f"{abs(nv):,.{dec}f}" if "," in core else f"{abs(nv):.{dec}f}"
    return ("-" if nv < 0 else "") + body


def bump_large(text: str) -> str:
    """Change an input figure by about a third (so that any result computed from it moves by
    more than its rounding), keeping its style."""
    t = text.replace("－", "-")
    neg = t.startswith("-")
    core = t.lstrip("-+")
    dec = len(core.split(".")[1]) if "." in core else 0
    v = Decimal(core.replace(",", "")) * (-1 if neg else 1)
    step = Decimal(1).scaleb(-dec)
    delta = max((abs(v) * Decimal("0.37")).quantize(step, rounding=ROUND_HALF_UP), Decimal(1))
    nv = v + delta
    body = f"{abs(nv):,.{dec}f}" if "," in core else f"{abs(nv):.{dec}f}"
    return ("-" if nv < 0 else "") + body


def figure_refs(doc: Document, refs) -> list[tuple]:
    """Normalise claim refs to (kind, block, ordinal-or-row, column) that survive edits of text
    length: a paragraph figure is named by its order among the paragraph's figures."""
    paras = {p.index: p.text for p in doc.paragraphs}
    tables = {t.index: t for t in doc.tables}
    out = []
    for ref in refs:
        if ref[0] == "p":
            nums = find_numbers(paras[ref[1]])
            ords = [i for i, n in enumerate(nums) if n.start == ref[2]]
            if ords:
                out.append(("p", ref[1], ords[0]))
        else:
            table = tables[ref[1]]
            if parse_cell(table.cell(ref[2], ref[3])) is not None:  # an empty cell is no figure
                out.append(ref)
    return out


def mutate(doc: Document, fig: tuple, change=bump) -> Document:
    """A copy of ``doc`` with the one figure ``fig`` (from :func:`figure_refs`) changed."""
    b = DocumentBuilder(doc.name)
    for blk in doc.blocks:
        if isinstance(blk, Paragraph):
            text = blk.text
            if fig[0] == "p" and fig[1] == blk.index:
                n = find_numbers(text)[fig[2]]
                text = text[: n.start] + change(n.text) + text[n.end :]
            b.paragraph(text)
        else:
            rows = [list(r) for r in blk.rows]
            if fig[0] == "t" and fig[1] == blk.index:
                cell = rows[fig[2]][fig[3]]
                m = re.search(r"[-－]?[\d,]+(\.\d+)?", cell)
                rows[fig[2]][fig[3]] = cell[: m.start()] + change(m.group(0)) + cell[m.end() :]
            b.table(rows)
    return b.doc


# --- synthetic reports ------------------------------------------------------------------------


def _amt(x: Decimal) -> str:
    return f"{x:,.2f}"


def _q(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _pct(num: Decimal, den: Decimal) -> str:
    return f"{_q(num * 100 / den):.2f}"


def synthetic_report(seed: int = 1, sections: int = 1, unit: str = "市示例局") -> str:
    """A self-evaluation report in the .txt layout, every figure computed here from random
    inputs (so every claim in it is right). ``sections`` repeats the body for long documents."""
    rnd = random.Random(seed)

    def money(lo: int, hi: int) -> Decimal:
        return Decimal(rnd.randint(lo * 100, hi * 100)) / 100

    out: list[str] = [f"2024年度{unit}部门整体支出绩效自评报告", ""]
    for k in range(sections):
        wages, goods, aid = money(800, 1500), money(60, 200), money(100, 400)
        basic = wages + goods + aid
        proj = money(100, 600)
        public = money(5000, 40000)
        total = basic + proj + public
        prior_basic = money(1500, 2500)
        staff_quota = rnd.randint(40, 90)
        admin = rnd.randint(20, staff_quota - 10)
        logistic = rnd.randint(1, 5)
        hired = staff_quota - admin - logistic
        staff_now = rnd.randint(30, staff_quota)
        car, trip, recep = money(3, 15), money(0, 40), money(1, 8)
        tp_budget = car + trip + recep
        car_a, trip_a, recep_a = (
            _q(car * Decimal("0.7")),
            _q(trip * Decimal("0.2")),
            _q(recep * Decimal("0.5")),
        )
        tp_actual = car_a + trip_a + recep_a
        prior_tp = money(40, 90)
        pf_budget, pf_actual = money(100, 200), Decimal(0)
        pf_actual = _q(pf_budget * Decimal("0.97"))
        initial = money(40000, 70000)
        adjust = money(1000, 9000)
        full = initial + adjust
        executed = _q(full * Decimal("0.83"))
        prior_proj = money(30000, 90000)
        cur_proj = proj + public
        assets_prior = money(150, 400)
        fixed_orig, depreciation = money(200, 300), money(80, 150)
        fixed_net = fixed_orig - depreciation
        intangible, receivable = money(10, 900), money(5, 90)
        assets = fixed_net + intangible + receivable
        prior_fixed = money(150, 350)
        out += [
            f"第{k + 1}部分 部门概况与支出情况",
            f"本年度本部门整体支出{_amt(total)}万元，其中：基本支出{_amt(basic)}万元，部门项目支出{_amt(proj)}万元，"
            f"公共项目支出{_amt(public)}万元。",
            f"基本支出{_amt(basic)}万元，其中：工资福利支出{_amt(wages)}万元，商品和服务支出{_amt(goods)}万元，"
            f"对个人和家庭的补助支出{_amt(aid)}万元。",
            f"基本支出与上年对比增加{_amt(basic - prior_basic)}万元。"
            if basic > prior_basic
            else f"基本支出比上年的{_amt(prior_basic)}万元减少{_amt(prior_basic - basic)}万元。",
            f"核定编制{staff_quota}名，其中：行政编制{admin}名，工勤编制{logistic}名，雇员员额{hired}名。",
            f"“三公”经费年度预算{_amt(tp_budget)}万元，其中：公务用车购置及运行费{_amt(car)}万元、因公出国（境）费"
            f"{_amt(trip)}万元、公务接待费{_amt(recep)}万元。当年实际支出“三公”经费{_amt(tp_actual)}万元，其中："
            f"公务用车购置及运行费{_amt(car_a)}万元、因公出国（境）费{_amt(trip_a)}万元、公务接待费{_amt(recep_a)}万元。"
            f"“三公”经费较预算节约{_amt(tp_budget - tp_actual)}万元。",
            "单位：万元",
        ]
        rows = [["序号", "费用项目", "本年预算数", "本年决算数", "节约额", "执行率"]]
        for i, (name, b_, a_) in enumerate(
            [
                ("公务用车购置及运行费", car, car_a),
                ("因公出国（境）费", trip, trip_a),
                ("公务接待费", recep, recep_a),
            ],
            1,
        ):
            rows.append([str(i), name, _amt(b_), _amt(a_), _amt(b_ - a_), (_pct(a_, b_) + "%") if b_ else ""])
        rows.append(
            [
                "合计",
                "合计",
                _amt(tp_budget),
                _amt(tp_actual),
                _amt(tp_budget - tp_actual),
                _pct(tp_actual, tp_budget) + "%",
            ]
        )
        out += _table(rows)
        out += [
            f"本年度“三公”经费变动率{_pct(tp_budget - prior_tp, prior_tp)}%，计算方法：〔（本年预算数{_amt(tp_budget)}万元－"
            f"上年预算数{_amt(prior_tp)}万元）/上年预算数{_amt(prior_tp)}万元〕×100%。",
            f"人员控制率的计算：（实有人数{staff_now}人/编制数{staff_quota}人）×100%={_pct(Decimal(staff_now), Decimal(staff_quota))}%。",
            f"公用经费实际支出{_amt(pf_actual)}万元，预算安排{_amt(pf_budget)}万元，控制率为"
            f"{_pct(pf_actual, pf_budget)}%（{_amt(pf_actual)}/{_amt(pf_budget)}×100%={_pct(pf_actual, pf_budget)}%）。",
            f"年初预算批复数{_amt(initial)}万元，年中追加{_amt(adjust)}万元，全年预算数{_amt(full)}万元。",
            f"全年预算数{_amt(full)}万元，预算执行数{_amt(executed)}万元，预算执行率为{_pct(executed, full)}%。",
            f"年初预算{_amt(initial)}万元，预算调整额{_amt(adjust)}万元，预算调整率为{_pct(adjust, initial)}%。",
            f"本年项目支出{_amt(cur_proj)}万元，较上年{_amt(prior_proj)}万元"
            + (
                f"增加{_amt(cur_proj - prior_proj)}万元，增长率为{_pct(cur_proj - prior_proj, prior_proj)}%。"
                if cur_proj >= prior_proj
                else f"减少{_amt(prior_proj - cur_proj)}万元，降幅为{_pct(prior_proj - cur_proj, prior_proj)}%。"
            ),
            f"年末资产总额{_amt(assets)}万元，较上年{_amt(assets_prior)}万元"
            + (
                f"增加{_amt(assets - assets_prior)}万元。"
                if assets >= assets_prior
                else f"减少{_amt(assets_prior - assets)}万元。"
            )
            + f"其中：固定资产净值{_amt(fixed_net)}万元；无形资产{_amt(intangible)}万元；其他应收款{_amt(receivable)}万元。",
            f"固定资产原值{_amt(fixed_orig)}万元，累计折旧{_amt(depreciation)}万元，净值{_amt(fixed_net)}万元，"
            f"较上年{_amt(prior_fixed)}万元"
            + (
                f"增加{_amt(fixed_net - prior_fixed)}万元。"
                if fixed_net >= prior_fixed
                else f"减少{_amt(prior_fixed - fixed_net)}万元。"
            ),
            "部门项目资金使用情况见下表（单位：万元）：",
        ]
        rows = [["项目名称", "年初预算", "预算调整", "全年预算", "决算数", "预决算差额", "执行率"]]
        tot = [Decimal(0)] * 5
        for j in range(rnd.randint(4, 8)):
            ini = money(10, 120)
            adj = Decimal(rnd.choice([0, 0, 1, -1])) * money(1, 9)
            ful = ini + adj
            act = _q(ful * Decimal(rnd.randint(40, 100)) / 100)
            vals = [ini, adj, ful, act, ful - act]
            tot = [a + b for a, b in zip(tot, vals, strict=True)]
            rows.append([f"示例项目{k + 1}-{j + 1}", *(_amt(x) for x in vals), _pct(act, ful) + "%"])
        rows.append(["合计", *(_amt(x) for x in tot), _pct(tot[3], tot[2]) + "%"])
        out += _table(rows)
        out += [
            f"其中示例项目{k + 1}-1下达资金{rows[1][3]}万元，实际支出{rows[1][4]}万元，执行率{rows[1][6]}。",
            "本部门无政府性基金预算支出。",
        ]
    return "\n".join(out) + "\n"


def _table(rows: list[list[str]]) -> list[str]:
    lines = []
    for r in rows:
        cells = list(r)
        while len(cells) > 1 and cells[0] == cells[1]:
            cells.pop(0)
        lines += ["\t" + c for c in cells]
        lines.append("")
    return lines


def synthetic_document(seed: int = 1, sections: int = 1) -> Document:
    from jixiao.audit.readers import parse_txt

    return parse_txt(synthetic_report(seed, sections), f"synthetic-{seed}.txt")


__all__ = [
    "Document",
    "Table",
    "bump",
    "figure_refs",
    "mutate",
    "synthetic_document",
    "synthetic_report",
    "to_txt",
    "write_docx",
    "write_txt",
]
