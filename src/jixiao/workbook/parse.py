"""Raw cells → model.Department, with a located issue for every structural or cell problem.

Sheets are found by name, header rows by header text (within the first rows), columns by header
text, fixed rows by their label. Every value is converted exactly once (cells.py); amounts in a
元 workbook are divided by 10,000 here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..checks import codes as C
from ..issues import Issue, Location, make
from ..limits import IssueCollector
from ..model import Department
from . import cells, schema
from .layout import Layout
from .read import RawSheet, RawWorkbook, cell_ref
from .sheets import TEXT_KINDS, SheetParsers, fill_totals


@dataclass
class ParseResult:
    department: Department | None
    issues: list[Issue]
    layout: Layout


@dataclass
class _Grid:
    """One recognised sheet: its raw cells, header row and column map."""

    spec: schema.Sheet
    raw: RawSheet
    header_row: int
    cols: dict[str, int]
    filled: dict[tuple[int, int], object] = field(default_factory=dict)  # merged text fill
    kinds: dict[str, str] = field(default_factory=dict)
    special: bool = True  # merged, formula or error cells present: every cell takes the full path
    units: dict[str, str] = field(default_factory=dict)  # money field → 元 where its header says （元）

    def __post_init__(self):
        self.kinds = {c.field: c.kind for c in self.spec.columns}

    def get(self, row: int, fld: str) -> object:
        c = self.cols.get(fld)
        if c is None:
            return None
        v = self.raw.value(row, c)
        if v is None and (row, c) in self.filled:
            return self.filled[(row, c)]
        return v

    def data_rows(self):
        """Excel row numbers below the header that hold anything in a recognised column."""
        cols = [c - 1 for c in self.cols.values()]
        for i in range(self.header_row, self.raw.max_row):
            r = self.raw.rows[i]
            n = len(r)
            if any(c < n and r[c] != "" and r[c] is not None for c in cols):
                yield i + 1
            elif any((i + 1, c + 1) in self.filled for c in cols):
                yield i + 1


class _Parser(SheetParsers):
    def __init__(self, raw: RawWorkbook):
        self.raw = raw
        self.file = raw.path
        self.issues: list[Issue] = IssueCollector()  # capped per code (jixiao.limits)
        self.layout = Layout(file=raw.path)
        self.unit = "万元"
        self.grids: dict[str, _Grid] = {}

    # -- issues -----------------------------------------------------------------------------
    def add(self, code: str, message: str, loc: Location, hint: str = "") -> None:
        self.issues.append(make(code, message, loc, hint))

    def sheet_loc(
        self, title: str, row: int | None = None, col: int | None = None, key: str | None = None
    ) -> Location:
        cell = cell_ref(row, col) if (row and col) else None
        return Location(file=self.file, sheet=title, cell=cell, row=row, key=key)

    def cell_loc(self, g: _Grid, row: int, fld: str, key: str | None = None) -> Location:
        return self.sheet_loc(g.raw.title, row, g.cols.get(fld), key)

    # -- structure --------------------------------------------------------------------------
    def find_sheets(self) -> None:
        wanted = {schema.sheet_name_key(s.name): s for s in schema.SHEETS}
        seen: dict[str, str] = {}
        for rs in self.raw.sheets:
            k = schema.sheet_name_key(rs.title)
            if k == schema.INSTRUCTIONS:
                continue
            spec = wanted.get(k)
            if spec is None:
                self.add(
                    C.SHEET_UNKNOWN,
                    f"工作表“{rs.title}”不是基础数据表的组成部分，未读取。",
                    self.sheet_loc(rs.title),
                    "如需使用，请把数据移到对应的工作表中。",
                )
                continue
            if spec.name in seen:
                self.add(
                    C.SHEET_DUPLICATE,
                    f"工作表“{rs.title}”与“{seen[spec.name]}”重名（忽略空格后），只读取第一个。",
                    self.sheet_loc(rs.title),
                    "请删除或合并重复的工作表。",
                )
                continue
            seen[spec.name] = rs.title
            if rs.hidden:
                self.add(
                    C.SHEET_HIDDEN,
                    f"工作表“{rs.title}”被隐藏，但其中的数据仍会读取。",
                    self.sheet_loc(rs.title),
                    "请确认隐藏表中的数据是需要的。",
                )
            g = self.find_header(spec, rs)
            if g is not None:
                self.grids[spec.name] = g
                self.layout.titles[spec.name] = rs.title
                self.layout.columns[spec.name] = dict(g.cols)
        for spec in schema.SHEETS:
            if spec.name in seen:
                continue
            if spec.required:
                self.add(
                    C.SHEET_MISSING,
                    f"缺少工作表“{spec.name}”。",
                    Location(file=self.file, sheet=spec.name),
                    "请用 jixiao template 生成的模板，保留全部工作表（无数据的表可以留空）。",
                )
            else:
                self.add(
                    C.SHEET_ABSENT,
                    f"没有工作表“{spec.name}”，相关指标将无法计算。",
                    Location(file=self.file, sheet=spec.name),
                    "如有相关数据，请从模板中复制该工作表补充。",
                )

    def find_header(self, spec: schema.Sheet, rs: RawSheet) -> _Grid | None:
        lookup: dict[str, str] = {}
        for c in spec.columns:
            for n in c.names():
                lookup.setdefault(schema.norm_header(n), c.field)
        key_field = spec.columns[0].field
        best = None
        for r in range(1, min(schema.HEADER_SEARCH_ROWS, rs.max_row) + 1):
            found: dict[str, int] = {}
            for ci, v in enumerate(rs.rows[r - 1], start=1):
                f = lookup.get(schema.norm_header(v)) if isinstance(v, str) and len(v) < 60 else None
                if f and f not in found:
                    found[f] = ci
            if key_field in found and len(found) >= min(2, len(spec.columns)):
                if best is None or len(found) > len(best[1]):
                    best = (r, found)
        if best is None:
            names = "、".join(c.header for c in spec.columns[:4])
            self.add(
                C.HEADER_MISSING,
                f"工作表“{rs.title}”前 {schema.HEADER_SEARCH_ROWS} 行中找不到表头（应有 {names} 等列）。",
                self.sheet_loc(rs.title),
                "请保留模板的表头行，列标题文字不要改动（可以调整顺序、在括号中注明单位）。",
            )
            return None
        hr, cols = best
        g = _Grid(spec, rs, hr, cols)
        # duplicates, unknown and unit-mismatched headers in the header row
        seen_f: set[str] = set()
        for ci, v in enumerate(rs.rows[hr - 1], start=1):
            if cells.is_blank(v):
                continue
            f = lookup.get(schema.norm_header(v)) if isinstance(v, str) else None
            loc = self.sheet_loc(rs.title, hr, ci)
            if f is None:
                self.add(C.COLUMN_UNKNOWN, f"列“{cells.as_text(v)}”不是本表的列，未读取。", loc)
            elif f in seen_f:
                self.add(
                    C.COLUMN_DUPLICATE,
                    f"列“{cells.as_text(v)}”出现了不止一次，只读取第一列（{cell_ref(hr, cols[f])}）。",
                    loc,
                    "请删除重复的列。",
                )
            seen_f.add(f) if f else None
        for c in spec.columns:
            if c.required and c.field not in cols:
                self.add(
                    C.COLUMN_MISSING,
                    f"工作表“{rs.title}”缺少“{c.header}”列。",
                    self.sheet_loc(rs.title, hr),
                    "请从模板中复制该列（列标题须与模板一致）。",
                )
        # merged cells below the header: text columns take the merged value
        text_cols = {
            g.cols[c.field]
            for c in spec.columns
            if c.field in g.cols and c.kind in (schema.TEXT, schema.LONGTEXT)
        }
        merged_n = 0
        for r1, c1, r2, c2 in rs.merged:
            if r2 <= hr:
                continue
            merged_n += 1
            top = rs.value(r1, c1)
            for r in range(max(r1, hr + 1), r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1) and c in text_cols:
                        g.filled[(r, c)] = top
        g.special = bool(g.filled or rs.formulas_without_value or rs.errors)
        self.unread_columns(g)
        if merged_n:
            self.add(
                C.MERGED_CELLS,
                f"工作表“{rs.title}”有 {merged_n} 处合并单元格：文字按合并区域首格填充，数字只读取首格。",
                self.sheet_loc(rs.title),
                "如金额被合并，请拆分单元格后分别填写。",
            )
        return g

    def unread_columns(self, g: _Grid) -> None:
        """A column the parser does not read (unknown or blank header, or a duplicate) that has
        something filled below the header: one warning per column, at its first filled cell."""
        used = set(g.cols.values())
        rs = g.raw
        width = max((len(r) for r in rs.rows[g.header_row :]), default=0)
        unused = [c for c in range(width) if c + 1 not in used]  # 0-based; usually none
        first: dict[int, tuple[int, int]] = {}  # col (1-based) → (first row, count)
        for i in range(g.header_row, rs.max_row) if unused else ():
            r = rs.rows[i]
            n = len(r)
            for c in unused:
                v = r[c] if c < n else None
                if v is None or v == "" or (isinstance(v, str) and not v.strip()):
                    continue
                row0, k = first.get(c + 1, (i + 1, 0))
                first[c + 1] = (row0, k + 1)
        for ci, (row0, n) in sorted(first.items()):
            head = cells.as_text(rs.value(g.header_row, ci))
            what = (
                f"列“{head}”"
                if head
                else f"{cell_ref(g.header_row, ci)[: -len(str(g.header_row))]} 列（无列标题）"
            )
            self.add(
                C.COLUMN_IGNORED,
                f"{what}不是本表的列，其中 {n} 个有内容的单元格未读取。",
                self.sheet_loc(rs.title, row0, ci),
                "如需使用，请把内容移到模板中对应的列；仅作备注可忽略本警告。",
            )

    # -- cell conversion --------------------------------------------------------------------
    def value(self, g: _Grid, row: int, fld: str, kind: str | None = None, key: str | None = None):
        """The typed value of one cell (None/'' when empty); a located issue when it is bad."""
        col = g.cols.get(fld)
        if col is None:
            return None
        raw = g.raw
        r = raw.rows[row - 1] if row <= len(raw.rows) else ()
        v = r[col - 1] if col <= len(r) else None
        kind = kind or g.kinds[fld]
        if not g.special:  # the common cases, fast: no merged/formula/error cell in this sheet
            if v is None or v == "":
                return "" if kind in TEXT_KINDS else None
            t = type(v)
            if t is float and kind in schema.MONEY_KINDS:
                out = cells.float_amount(v, g.units.get(fld, self.unit))
                if out is not None and (out >= 0 or kind == schema.SIGNED):
                    return out
            elif t is str and kind in TEXT_KINDS:
                return v.strip()
        if v == "":
            v = None
        if v is None and g.filled:
            v = g.filled.get((row, col))
        if raw.formulas_without_value and (row, col) in raw.formulas_without_value:
            self.add(
                C.CELL_FORMULA,
                "单元格是公式，但文件中没有保存计算结果，无法读取数值。",
                self.cell_loc(g, row, fld, key),
                "请用 Excel/WPS 打开该文件、保存后再校验（或改填数值）。",
            )
            return None
        if raw.errors and (row, col) in raw.errors:
            v = raw.errors[(row, col)]
        if kind in schema.MONEY_KINDS:
            out, err = cells.to_amount(v, kind, g.units.get(fld, self.unit))
        elif kind == schema.COUNT:
            spec_col = next((c for c in g.spec.columns if c.field == fld), None)
            out, err = cells.to_count(v, spec_col.unit if spec_col and spec_col.unit else "人")
        elif kind == schema.SCORE:
            out, err = cells.to_score(v)
        elif kind == schema.DATE:
            out, err = cells.to_date(v)
        elif kind == schema.YEAR:
            out, err = cells.to_year(v)
        elif kind == schema.UNIT:
            out, err = cells.to_unit(v)
        elif kind == schema.NATURE:
            out, err = cells.to_nature(v)
        elif kind == schema.VALUE:
            return cells.to_value(v)
        else:
            return cells.as_text(v)
        if err:
            code, msg, hint = err
            head = g.spec.column(fld).name if fld in {c.field for c in g.spec.columns} else fld
            self.add(code, f"“{head}”：{msg}。", self.cell_loc(g, row, fld, key), hint)
            if not cells.keeps_value(err):
                return None
        return out

    def labels(self, g: _Grid):
        """(row, raw label, Row spec or None) for each data row of a LABELED/KV sheet; records
        the rows of known labels in the layout and reports duplicates and missing rows."""
        lookup: dict[str, schema.Row] = {}
        for r in g.spec.rows:
            for n in r.names():
                lookup.setdefault(schema.norm_label(n), r)
        rows_map = self.layout.label_rows.setdefault(g.spec.name, {})
        seen: dict[str, int] = {}
        out = []
        for row in g.data_rows():
            text = cells.as_text(g.get(row, "label"))
            spec = lookup.get(schema.norm_label(text)) if text else None
            if spec is not None:
                if spec.label in seen:
                    self.add(
                        C.ROW_DUPLICATE,
                        f"“{spec.label}”填写了两行（另见第 {seen[spec.label]} 行），只读取第一行。",
                        self.cell_loc(g, row, "label", spec.label),
                        "请删除重复的行。",
                    )
                    continue
                seen[spec.label] = row
                rows_map[spec.label] = row
            out.append((row, text, spec))
        for r in g.spec.rows:
            if r.required and r.label not in seen:
                self.add(
                    C.ROW_MISSING,
                    f"工作表“{g.raw.title}”缺少“{r.label}”行。",
                    self.sheet_loc(g.raw.title),
                    "请从模板中复制该行（第一列文字须与模板一致）。",
                )
        return out

    # -- sheets -----------------------------------------------------------------------------
    def parse(self) -> ParseResult:
        self.find_sheets()
        d = Department(source_file=self.file)
        if "基本信息" in self.grids:
            self.parse_info(d, self.grids["基本信息"])
        self.check_header_units()
        for name, fn in (
            ("人员编制", self.parse_staffing),
            ("支出总表", self.parse_spending),
            ("三公经费", self.parse_three_public),
            ("公用经费", self.parse_public_funds),
            ("部门项目", self.parse_projects),
            ("公共项目", self.parse_projects),
            ("项目承担单位", self.parse_undertakings),
            ("项目绩效指标", self.parse_perf),
            ("政府采购", self.parse_procurement),
            ("资产", self.parse_assets),
            ("履职目标", self.parse_kpis),
            ("满意度", self.parse_satisfaction),
            ("定性评分", self.parse_manual),
        ):
            if name in self.grids:
                fn(d, self.grids[name])
        fill_totals(d)
        return ParseResult(d, self.issues, self.layout)

    def check_header_units(self) -> None:
        """Money columns whose header says （元） in a 万元 workbook are read in 元 and converted
        (元 is never taken as 万元); a header saying （万元） in a 元 workbook (the template's own
        header, 金额单位 changed) is read in 元. One warning per sheet, at the first such header."""
        for g in self.grids.values():
            bad = []
            for c in g.spec.columns:
                if c.kind not in schema.MONEY_KINDS or c.field not in g.cols:
                    continue
                head = g.raw.value(g.header_row, g.cols[c.field])
                u = schema.header_unit(head)
                if u in schema.MONEY_UNITS and u != self.unit:
                    bad.append((g.cols[c.field], cells.as_text(head), u))
                    if u == "元":
                        g.units[c.field] = "元"
            if bad:
                col, head, u = bad[0]
                more = f"等 {len(bad)} 列" if len(bad) > 1 else ""
                how = "这些列按元读取，已除以 10000 换算为万元" if u == "元" else f"本表按{self.unit}读取"
                self.add(
                    C.COLUMN_UNIT,
                    f"列标题“{head}”{more}写的是{u}，但基本信息中的金额单位是{self.unit}；{how}。",
                    self.sheet_loc(g.raw.title, g.header_row, col),
                    "请统一金额单位：修改基本信息中的“金额单位”，或改正列标题。",
                )

    def records(self, g: _Grid, key_field: str):
        """(row, {field: typed value}) for each non-empty data row of a record sheet.

        The hot loop of large sheets: plain numbers and text are converted inline; anything
        else (text in an amount cell, formulas, merged cells …) takes ``value()``, which reports
        it at its cell."""
        specs = []
        for c in g.spec.columns:
            if c.field in g.cols:
                flag = (
                    1
                    if c.kind == schema.AMOUNT
                    else 2
                    if c.kind == schema.SIGNED
                    else 3
                    if c.kind in TEXT_KINDS
                    else 0
                )
                specs.append((c.field, g.cols[c.field] - 1, flag, g.units.get(c.field, self.unit)))
        kc = g.cols[key_field] - 1
        rows, special = g.raw.rows, g.special
        as_text, float_amount = cells.as_text, cells.float_amount
        for i in range(g.header_row, len(rows)):
            r = rows[i]
            n = len(r)
            row = i + 1
            if not any(r):  # C-speed test for the many blank rows ('' and 0.0 are falsy)
                if not special:
                    continue
            kv = r[kc] if kc < n else None
            key = as_text(kv if kv != "" else (g.filled.get((row, kc + 1)) if special else None)) or None
            out = {}
            for f, ci, flag, unit in specs:
                if not special:
                    v = r[ci] if ci < n else None
                    if v is None or v == "":
                        out[f] = "" if flag == 3 else None
                        continue
                    t = type(v)
                    if t is float and flag in (1, 2):
                        x = float_amount(v, unit)
                        if x is not None and (flag == 2 or x >= 0):
                            out[f] = x
                            continue
                    elif t is str and flag == 3:
                        out[f] = v.strip()
                        continue
                out[f] = self.value(g, row, f, key=key)
            if not any(out.values()):  # nothing but blanks (or zeros) in the recognised columns
                continue
            yield row, out


def parse_workbook(raw: RawWorkbook) -> ParseResult:
    """Build a Department from raw cells. ``department`` is None only when no data sheet at all
    was recognised (the file is some other workbook)."""
    p = _Parser(raw)
    res = p.parse()
    if not p.grids:
        res.department = None
    return res
