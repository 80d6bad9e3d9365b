"""Per-sheet parsing: each data sheet's rows → the matching part of model.Department.

A mixin of the parser (parse.py), which supplies the structure (sheets, headers, columns),
``value()`` (one cell, typed, with a located issue when bad), ``labels()`` (fixed rows) and
``records()`` (record rows).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ..checks import codes as C
from ..checks.common import compare
from ..model import (
    KPI,
    AssetLine,
    BudgetLine,
    Department,
    FundsLine,
    ManualScore,
    PerfIndicator,
    Project,
    Src,
    ThreePublicItem,
    Undertaking,
)
from ..money import sum_present
from . import cells, schema

if TYPE_CHECKING:
    from .parse import _Grid

#: a row of a record sheet named like this is a typed total (checked, not trusted)
TOTAL_NAMES = ("合计", "总计", "小计")
TEXT_KINDS = (schema.TEXT, schema.LONGTEXT)


class SheetParsers:
    """parse_<sheet>(department, grid) for every data sheet."""

    def parse_info(self, d: Department, g: _Grid) -> None:
        rows = self.labels(g)
        # the unit first: it decides how every amount in the workbook is read
        for row, _text, spec in rows:
            if spec is not None and spec.field == "money_unit":
                u = self.value(g, row, "value", schema.UNIT, spec.label)
                if u:
                    self.unit = d.money_unit = u
                    if u == "元":
                        self.add(
                            C.AMOUNT_CONVERTED,
                            "金额单位为“元”：所有金额已除以 10000 换算为万元。",
                            self.cell_loc(g, row, "value", spec.label),
                        )
        for row, text, spec in rows:
            if spec is None:
                v = self.value(g, row, "value", schema.LONGTEXT)
                if text and v:
                    d.narratives[text] = v
                    self.add(
                        C.ROW_EXTRA,
                        f"基本信息中的“{text}”不是预置项目，已作为文字段落读取。",
                        self.cell_loc(g, row, "label", text),
                    )
                continue
            if spec.field == "money_unit":
                continue
            v = self.value(g, row, "value", spec.kind, spec.label)
            if v is None or v == "":
                continue
            if spec.kind == schema.LONGTEXT:
                d.narratives[spec.field] = v
            else:
                setattr(d, spec.field, v)

    def parse_staffing(self, d: Department, g: _Grid) -> None:
        st = d.staffing
        st.src = Src(g.raw.title, g.header_row + 1)
        for row, text, spec in self.labels(g):
            key = spec.label if spec else text
            if spec is None:
                if text.endswith(("编制", "员额")):
                    v = self.value(g, row, "count", key=text)
                    self.layout.label_rows["人员编制"][text] = row
                    if v is not None:
                        st.authorized[text] = v
                        self.add(
                            C.ROW_EXTRA,
                            f"“{text}”作为一类编制计入编制数。",
                            self.cell_loc(g, row, "label", text),
                        )
                else:
                    self._unknown_row(g, row, text)
                continue
            v = self.value(g, row, "count", key=key)
            if v is None:
                continue
            if spec.field in ("in_service", "other_employees", "retired"):
                setattr(st, spec.field, v)
            elif spec.field == "authorized_total":
                st.authorized_total_stated = v
            else:
                st.authorized[spec.field] = v

    def _unknown_row(self, g: _Grid, row: int, text: str) -> None:
        if text:
            self.add(
                C.ROW_UNKNOWN,
                f"“{text}”不是本表的预置项目，未读取。",
                self.cell_loc(g, row, "label", text),
                "请使用模板第一列的项目名称。",
            )
        else:
            self.add(
                C.ROW_UNKNOWN,
                "这一行有数据但第一列没有项目名称，未读取。",
                self.cell_loc(g, row, "label"),
                "请在第一列填写项目名称。",
            )

    def _budget_line(self, g: _Grid, row: int, name: str, key: str) -> BudgetLine:
        return BudgetLine(
            name=name,
            initial=self.value(g, row, "initial", key=key),
            adjustment=self.value(g, row, "adjustment", key=key),
            full_year=self.value(g, row, "full_year", key=key),
            actual=self.value(g, row, "actual", key=key),
            prior_actual=self.value(g, row, "prior_actual", key=key),
            src=Src(g.raw.title, row),
        )

    def parse_spending(self, d: Department, g: _Grid) -> None:
        sp = d.spending
        for row, text, spec in self.labels(g):
            if spec is None:
                if not text:
                    self._unknown_row(g, row, text)
                    continue
                line = self._budget_line(g, row, text, text)
                self.layout.label_rows["支出总表"][text] = row
                sp.basic_parts.append(line)
                self.add(
                    C.ROW_EXTRA,
                    f"“{text}”作为基本支出的一个经济分类读取。",
                    self.cell_loc(g, row, "label", text),
                    "如不是基本支出的分项，请删除该行。",
                )
                continue
            if spec.single:
                setattr(sp, spec.field, self.value(g, row, "actual", key=spec.label))
                for fld in ("initial", "adjustment", "full_year", "prior_actual"):
                    if not cells.is_blank(g.get(row, fld)):
                        self.add(
                            C.CELL_IGNORED,
                            f"“{spec.label}”只填“决算”列，此处的数字未读取。",
                            self.cell_loc(g, row, fld, spec.label),
                            "请把数字移到“决算”列。",
                        )
                continue
            if spec.field == "basic_part":
                line = self._budget_line(g, row, spec.label, spec.label)
                if any(
                    getattr(line, f) is not None
                    for f in ("initial", "adjustment", "full_year", "actual", "prior_actual")
                ):
                    sp.basic_parts.append(line)
                continue
            cur = getattr(sp, spec.field)
            setattr(sp, spec.field, self._budget_line(g, row, cur.name, spec.label))

    def parse_three_public(self, d: Department, g: _Grid) -> None:
        tp = d.three_public
        for row, text, spec in self.labels(g):
            if spec is None:
                self._unknown_row(g, row, text)
                continue
            item = ThreePublicItem(
                name=spec.label,
                prior_budget=self.value(g, row, "prior_budget", key=spec.label),
                prior_actual=self.value(g, row, "prior_actual", key=spec.label),
                budget=self.value(g, row, "budget", key=spec.label),
                actual=self.value(g, row, "actual", key=spec.label),
                reason=self.value(g, row, "reason", key=spec.label) or "",
                src=Src(g.raw.title, row),
            )
            if spec.field == "total":
                if any(
                    getattr(item, f) is not None for f in ("prior_budget", "prior_actual", "budget", "actual")
                ):
                    tp.total_stated = item
            elif spec.field.startswith("detail:"):
                if any(
                    getattr(item, f) is not None for f in ("prior_budget", "prior_actual", "budget", "actual")
                ):
                    item.parent = spec.field.split(":", 1)[1]
                    tp.details.append(item)
            else:
                tp.items.append(item)
        # a table giving only the 其中 rows (公务用车运行维护费 without 公务用车购置及运行费): the
        # parent is their sum, said at the first part — a 三公 line is never lost
        have = {i.name for i in tp.items}
        for parent in dict.fromkeys(d_.parent for d_ in tp.details):
            if parent in have:
                continue
            parts = [d_ for d_ in tp.details if d_.parent == parent]
            sums = {
                f: _sum_present(getattr(p, f) for p in parts)
                for f in ("prior_budget", "prior_actual", "budget", "actual")
            }
            tp.items.append(ThreePublicItem(name=parent, src=parts[0].src, **sums))
            names = "、".join(p.name for p in parts)
            self.add(
                C.PARENT_FROM_PARTS,
                f"“{parent}”一行未填写，按其中明细（{names}）之和计入“三公”经费。",
                self.cell_loc(g, parts[0].src.row, "label", parts[0].name),
                f"请填写“{parent}”一行（明细不全时合计会偏小）。",
            )

    def parse_public_funds(self, d: Department, g: _Grid) -> None:
        pf = d.public_funds
        for row, text, spec in self.labels(g):
            if spec is None:
                self._unknown_row(g, row, text)
                continue
            vals = {f: self.value(g, row, f, key=spec.label) for f in ("budget", "actual", "prior_actual")}
            if spec.field == "detail":
                if any(v is not None for v in vals.values()):
                    pf.lines.append(FundsLine(spec.label, src=Src(g.raw.title, row), **vals))
                    pf.complete = pf.complete or spec.label == schema.PUBLIC_FUNDS_REST
                continue
            pf.budget, pf.actual, pf.prior_actual = vals["budget"], vals["actual"], vals["prior_actual"]
            pf.src = Src(g.raw.title, row)
        if pf.lines and pf.budget is None and pf.actual is None:
            first = pf.lines[0]
            loc = self.cell_loc(g, first.src.row, "label", first.name)
            if pf.complete:  # the lines include 其他商品和服务支出: their sum is 公用经费
                for f in ("budget", "actual", "prior_actual"):
                    setattr(pf, f, _sum_present(getattr(ln, f) for ln in pf.lines))
                pf.src = first.src
                self.add(
                    C.PARENT_FROM_PARTS,
                    "“公用经费”一行未填写，按其中明细（已含其他商品和服务支出）之和计。",
                    loc,
                    "请填写“公用经费”一行。",
                )
            else:
                self.add(
                    C.PARENT_FROM_PARTS,
                    "“公用经费”一行未填写，其中明细不全（没有“其他商品和服务支出”行），"
                    "未推算公用经费，相关指标无法计算。",
                    loc,
                    "请填写“公用经费”一行。",
                )

    def parse_projects(self, d: Department, g: _Grid) -> None:
        kind = "department" if g.spec.name == "部门项目" else "public"
        target = d.dept_projects if kind == "department" else d.public_projects
        amount_fields = [c.field for c in g.spec.columns if c.kind in schema.MONEY_KINDS]
        text_fields = [c.field for c in g.spec.columns if c.kind in TEXT_KINDS and c.field != "name"]
        total_rows: list[tuple[int, dict]] = []
        title = g.raw.title
        for row, vals in self.records(g, "name"):
            name = vals.pop("name", "") or ""
            if ("计" in name) and schema.norm_text(name) in TOTAL_NAMES:
                total_rows.append((row, vals))
                continue
            for f in text_fields:
                if vals.get(f) is None:
                    vals[f] = ""
            if not name:
                self.add(
                    C.PROJECT_NO_NAME,
                    "这一行填了数据，但没有项目名称。",
                    self.cell_loc(g, row, "name"),
                    "请填写项目名称；不需要的行请整行删除。",
                )
                continue
            if vals.get("full_year") is None and vals.get("initial") is not None and "full_year" in g.cols:
                vals["full_year"] = vals["initial"] + (vals.get("adjustment") or 0)
                adj = vals.get("adjustment")
                how = (
                    f"年初预算 {vals['initial']:,} + 预算调整 {adj:,}"
                    if adj is not None
                    else f"年初预算 {vals['initial']:,}"
                )
                self.add(
                    C.FULL_YEAR_INFERRED,
                    f"“{name}”的全年预算未填写，按{how} = {vals['full_year']:,} 万元推算。",
                    self.cell_loc(g, row, "full_year", name),
                    "请填写全年预算（年初预算 + 预算调整）。",
                )
            target.append(Project(name=name, kind=kind, src=Src(title, row), **vals))
        # a 合计 row a person typed is checked against the rows, not trusted
        for row, vals in total_rows:
            for f in amount_fields:
                stated = vals.get(f)
                parts = [getattr(p, f) for p in target if getattr(p, f) is not None]
                if stated is None or not parts:
                    continue
                head = g.spec.column(f).name
                iss = compare(
                    stated,
                    sum(parts, Decimal(0)),
                    C.TOTAL_ROW,
                    f"{g.raw.title}“合计”行的{head}",
                    "各项目之和",
                    self.cell_loc(g, row, f, "合计"),
                    "合计行由工具计算，可以不填；填写时须等于各项目之和。",
                )
                if iss:
                    self.issues.append(iss)

    def parse_undertakings(self, d: Department, g: _Grid) -> None:
        for row in g.data_rows():
            project = cells.as_text(g.get(row, "project"))
            if schema.norm_text(project) in TOTAL_NAMES:
                self.add(
                    C.CELL_IGNORED,
                    f"“{project}”行不读取（合计由工具计算）。",
                    self.cell_loc(g, row, "project", project),
                    "可以删除该行。",
                )
                continue
            u = Undertaking(
                project=project,
                unit=self.value(g, row, "unit") or "",
                allocated=self.value(g, row, "allocated", key=project or None),
                spent=self.value(g, row, "spent", key=project or None),
                note=self.value(g, row, "note") or "",
                src=Src(g.raw.title, row),
            )
            if not project:
                self.add(
                    C.PROJECT_NO_NAME,
                    "这一行填了承担单位数据，但没有项目名称。",
                    self.cell_loc(g, row, "project"),
                )
                continue
            d.undertakings.append(u)

    def parse_perf(self, d: Department, g: _Grid) -> None:
        carry = {"project": "", "level1": "", "level2": ""}
        for row in g.data_rows():
            texts = {
                f: cells.as_text(g.get(row, f)) for f in ("project", "level1", "level2", "level3", "unit")
            }
            for f in carry:  # a blank 项目名称/一级/二级指标 means "same as the row above"
                if texts[f]:
                    carry[f] = texts[f]
                else:
                    texts[f] = carry[f]
            key = f"{texts['project']}·{texts['level3']}" if texts["level3"] else texts["project"]
            nature = self.value(g, row, "nature", key=key) or ""
            target, actual, unit, nature = self.measures(g, row, key, texts["unit"], nature)
            pi = PerfIndicator(
                project=texts["project"],
                level1=texts["level1"],
                level2=texts["level2"],
                level3=texts["level3"],
                nature=nature,
                target=target,
                unit=unit,
                actual=actual,
                weight=self.value(g, row, "weight", key=key),
                score=self.value(g, row, "score", key=key),
                deviation_reason=self.value(g, row, "deviation_reason") or "",
                src=Src(g.raw.title, row),
            )
            if not pi.project or not pi.level3:
                what = "项目名称" if not pi.project else "三级指标"
                self.add(
                    C.PROJECT_NO_NAME,
                    f"这一行绩效指标没有{what}。",
                    self.cell_loc(g, row, "project" if not pi.project else "level3"),
                    "请填写项目名称和三级指标。",
                )
                continue
            d.perf_indicators.append(pi)

    def parse_procurement(self, d: Department, g: _Grid) -> None:
        pr = d.procurement
        pr.src = Src(g.raw.title, g.header_row + 1)
        attrs = {
            "initial": ("initial_by_category", "initial_total"),
            "full_year": ("full_year_by_category", "full_year_total"),
            "actual": ("actual_by_category", "actual_total"),
        }
        for row, text, spec in self.labels(g):
            if spec is None:
                self._unknown_row(g, row, text)
                continue
            for f, (by_cat, tot) in attrs.items():
                v = self.value(g, row, f, key=spec.label)
                if v is None:
                    continue
                if spec.field == "total":
                    setattr(pr, tot, v)
                else:
                    getattr(pr, by_cat)[spec.label] = v
        for _f, (by_cat, tot) in attrs.items():  # an empty 合计 is computed from the categories
            cats = getattr(pr, by_cat)
            if getattr(pr, tot) is None and cats:
                setattr(pr, tot, sum(cats.values(), Decimal(0)))

    def parse_assets(self, d: Department, g: _Grid) -> None:
        for row, text, spec in self.labels(g):
            if spec is None and not text:
                self._unknown_row(g, row, text)
                continue
            name = spec.label if spec else text
            line = AssetLine(
                name=name,
                prior_end=self.value(g, row, "prior_end", key=name),
                added=self.value(g, row, "added", key=name),
                reduced=self.value(g, row, "reduced", key=name),
                end=self.value(g, row, "end", key=name),
                note=self.value(g, row, "note") or "",
                src=Src(g.raw.title, row),
            )
            if spec is None:
                self.layout.label_rows["资产"][text] = row
                self.add(
                    C.ROW_EXTRA,
                    f"“{text}”作为资产总额的一个组成项读取。",
                    self.cell_loc(g, row, "label", text),
                    "如不是资产总额的组成项，请删除该行。",
                )
            if any(getattr(line, f) is not None for f in ("prior_end", "added", "reduced", "end")):
                d.assets.lines.append(line)

    def measures(self, g: _Grid, row: int, key: str, unit: str, nature: str):
        """目标值/完成值 of one 履职目标 or 绩效指标 row as people type them ('26次', '≥95%',
        '2,200 篇'): the number is read when its unit fits the row's 单位 (or the 单位 is
        empty: the unit typed is then kept as the row's unit), with an info note; a unit that
        does not fit, or a comparison contradicting 指标性质, is a located error.

        Returns (target, actual, unit, nature)."""
        row_unit = cells.norm_unit(unit) if unit else ""
        out = {}
        for fld in ("target", "actual"):
            v = g.get(row, fld)
            if not cells.is_blank(v):
                v = (
                    self.value(g, row, fld, schema.TEXT, key=key)
                    if isinstance(v, str)
                    else self.value(g, row, fld, key=key)
                )
            val, u, op = cells.to_measure(v)
            if isinstance(val, Decimal) and (u or op):
                head = g.spec.column(fld).name
                loc = self.cell_loc(g, row, fld, key)
                if u and not row_unit:
                    row_unit, unit = u, u
                elif u and u != row_unit:
                    self.add(
                        C.UNIT_MISMATCH,
                        f"“{head}”：“{cells.as_text(v)}”的单位“{u}”与本行的单位“{unit}”不符，未读取。",
                        loc,
                        "请统一单位：数字列只填数字，单位写在“单位”列。",
                    )
                    val = None
                if val is not None and op:
                    if not nature:
                        nature = op
                    elif nature != op and nature != "定性":
                        self.add(
                            C.UNIT_MISMATCH,
                            f"“{head}”：“{cells.as_text(v)}”写的是“{op}”，与指标性质“{nature}”不符，未读取。",
                            loc,
                            "请核对指标性质，数字列只填数字。",
                        )
                        val = None
                if val is not None:
                    shown = (
                        format(val, "f")
                        + (f"（单位：{u}" if u else "（")
                        + (f"，指标性质 {op}" if op else "")
                        + "）"
                    )
                    shown = shown.replace("（，", "（").replace("（）", " ")
                    self.add(
                        C.NUMBER_WITH_UNIT,
                        f"“{head}”：“{cells.as_text(v)}”按 {shown}读取。",
                        loc,
                        "数字列只填数字即可，单位写在“单位”列。",
                    )
            out[fld] = val
        return out["target"], out["actual"], unit, nature

    def parse_kpis(self, d: Department, g: _Grid) -> None:
        for row in g.data_rows():
            name = cells.as_text(g.get(row, "name"))
            if not name:
                self.add(C.PROJECT_NO_NAME, "这一行履职目标没有指标名称。", self.cell_loc(g, row, "name"))
                continue
            nature = self.value(g, row, "nature", key=name) or ""
            target, actual, unit, nature = self.measures(
                g, row, name, self.value(g, row, "unit") or "", nature
            )
            extra = {}
            if "weight" in g.cols:
                extra["weight"] = self.value(g, row, "weight", key=name)
            d.kpis.append(
                KPI(
                    name=name,
                    target=target,
                    actual=actual,
                    unit=unit,
                    nature=nature or "≥",
                    note=self.value(g, row, "note") or "",
                    src=Src(g.raw.title, row),
                    **extra,
                )
            )

    def parse_satisfaction(self, d: Department, g: _Grid) -> None:
        s = d.satisfaction
        s.src = Src(g.raw.title, g.header_row + 1)
        for row, text, spec in self.labels(g):
            if spec is None:
                self._unknown_row(g, row, text)
                continue
            setattr(s, spec.field, self.value(g, row, "value", key=spec.label))

    def parse_manual(self, d: Department, g: _Grid) -> None:
        for row in g.data_rows():
            item = cells.as_text(g.get(row, "item"))
            if not item:
                self.add(C.PROJECT_NO_NAME, "这一行定性评分没有指标名称。", self.cell_loc(g, row, "item"))
                continue
            d.manual_scores.append(
                ManualScore(
                    item=item,
                    score=self.value(g, row, "score", key=item),
                    basis=self.value(g, row, "basis") or "",
                    src=Src(g.raw.title, row),
                    cell=self.cell_loc(g, row, "item").cell or "",
                )
            )


_LINE_COLS = ("initial", "adjustment", "full_year", "actual", "prior_actual")


def _sum_present(values) -> Decimal | None:
    return sum_present(values)


def fill_totals(d: Department) -> None:
    """合计 cells left empty are computed from their parts (a typed 合计 is kept, and checked).

    Per column of 支出总表: 基本支出 from its 经济分类 rows; 部门项目支出 / 公共项目支出 from the
    project sheets; 项目支出 = 部门 + 公共; 整体 = 基本 + 部门 + 公共 (or 基本 + 项目). 资产总额 from
    its parts. Only where every needed part is there; nothing is invented."""
    sp = d.spending
    for f in _LINE_COLS:
        if getattr(sp.basic, f) is None and sp.basic_parts:
            setattr(sp.basic, f, _sum_present(getattr(p, f) for p in sp.basic_parts))
        for line, projects in ((sp.dept_projects, d.dept_projects), (sp.public_projects, d.public_projects)):
            if getattr(line, f) is None and projects:
                setattr(line, f, _sum_present(getattr(p, f) for p in projects))
        # an empty 预算调整 is no adjustment (as in 年初 + 调整 = 全年); other columns need both parts
        optional = f == "adjustment"
        dp, pp = getattr(sp.dept_projects, f), getattr(sp.public_projects, f)
        if getattr(sp.projects, f) is None and (
            dp is not None and pp is not None or optional and (dp is not None or pp is not None)
        ):
            setattr(sp.projects, f, (dp or 0) + (pp or 0))
        if getattr(sp.total, f) is None:
            b, pr = getattr(sp.basic, f), getattr(sp.projects, f)
            if b is not None and pr is not None or optional and (b is not None or pr is not None):
                setattr(sp.total, f, (b or 0) + (pr or 0))
    total = d.assets.get("资产总额")
    parts = d.assets.parts()
    if parts:
        if total is None:
            total = AssetLine("资产总额")
            d.assets.lines.append(total)
        for f in ("prior_end", "end"):
            if getattr(total, f) is None:
                setattr(total, f, _sum_present(getattr(p, f) for p in parts))
