"""Claims made by tables: row identities read from the header (年初 + 调整 = 全年,
全年 − 决算 = 差额, 变动比例, 执行率, 占比) and 合计 rows and columns.

Rows and columns are numbered from 0 as the table is extracted (the header row is row 0).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from . import table_structure as ts
from . import table_template as tt
from .document import Table
from .recompute import Claim, fmt, judge, unverifiable

TABLE_EXTRACTORS: list[tuple[str, Callable]] = []


def extractor(name: str):
    def deco(fn):
        TABLE_EXTRACTORS.append((name, fn))
        return fn

    return deco


@dataclass(frozen=True)
class Cell:
    value: Decimal
    decimals: int
    pct: bool
    text: str


_CELL = re.compile(r"^[-－+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$")


@lru_cache(maxsize=65536)
def parse_cell(text: str) -> Cell | None:
    t = text.strip().replace(" ", "").replace("－", "-")
    m = re.fullmatch(r"[(（]([\d,]*\d\.\d+)[)）]", t)
    if m:
        t = "-" + m.group(1)  # accountants' (12.00) is −12.00
    if not t or not _CELL.match(t):
        return None
    pct = t.endswith("%")
    core = t.rstrip("%").replace(",", "")
    try:
        v = Decimal(core)
    except InvalidOperation:
        return None
    dec = len(core.split(".", 1)[1]) if "." in core else 0
    return Cell(v, dec, pct, text.strip())


def _is_year(c: Cell) -> bool:
    """A bare year in a header row (2022 / 2023 columns) is a heading, not a figure."""
    return not c.pct and c.decimals == 0 and "," not in c.text and 1900 <= c.value <= 2100


_TOTAL_ROW = re.compile(r"合\s*计|总\s*计|小\s*计|共\s*计")
_SEQ = ("序号", "编号", "行次", "项次", "编码", "代码", "科目代码", "栏次")
_PCT_HEAD = ("率", "比例", "占比", "比重", "%", "百分比")
_YEAR = re.compile(r"(19|20)\d{2}")


@dataclass
class Grid:
    table: Table
    header_rows: int
    headers: list[str]
    cells: list[list[Cell | None]]
    numeric_cols: list[int]
    pct_cols: list[int]
    total_rows: dict  # row → '合计' | '小计'
    roles: dict  # column → role
    header_cells: list = None  # column → its header cells top-down
    codes: dict = None  # row → 科目编码 (digits), where the rows carry codes

    def label(self, r: int) -> str:
        row = self.table.rows[r]
        for c, t in enumerate(row):
            if c in self.numeric_cols or not t.strip():
                continue
            if any(k in self.headers[c] for k in _SEQ) or t.strip().isdigit():
                continue
            return t.strip()
        return f"第{r + 1}行"

    def codes_cols(self) -> list[int]:
        """Columns that hold 科目编码 or sequence numbers (never summed)."""
        return [
            c
            for c, h in enumerate(self.headers)
            if any(k in h for k in _SEQ)
            or (self.header_cells and any(x in ("类", "款", "项") for x in self.header_cells[c]))
        ]

    def val(self, r: int, c: int) -> Decimal:
        cell = self.cells[r][c]
        return cell.value if cell else Decimal(0)


def _column_numbers(row, cells) -> bool:
    """A row numbering the columns (栏次 1 2 3 …, or ** 1 2 3): part of the header."""
    if any(re.sub(r"\s+", "", x) in ("栏次", "行次", "**", "*") for x in row):
        return True
    nums = [x for x in cells if x is not None]
    return (
        len(nums) >= 3
        and all(x.decimals == 0 and not x.pct and "," not in x.text for x in nums)
        and [int(x.value) for x in nums] == list(range(int(nums[0].value), int(nums[0].value) + len(nums)))
        and nums[0].value in (0, 1)
    )


def analyse(t: Table) -> Grid | None:
    rows = t.rows
    cells = [[parse_cell(x) for x in row] for row in rows]
    h = 0
    while h < len(rows) and (
        not any(x is not None and not _is_year(x) for x in cells[h]) or _column_numbers(rows[h], cells[h])
    ):
        h += 1
    if h >= len(rows):
        return None
    width = len(rows[0])
    headers = []
    for c in range(width):
        parts = []
        for r in range(h):
            x = rows[r][c].strip()
            if x and x not in parts:
                parts.append(x)
        headers.append("".join(parts))
    numeric, pct = [], []
    body = range(h, len(rows))
    for c in range(width):
        if any(k in headers[c] for k in _SEQ) or any(
            rows[r][c].strip() in ("类", "款", "项") for r in range(h)
        ):
            continue
        filled = [rows[r][c].strip() for r in body if rows[r][c].strip() not in ("", "-", "—", "/", "－")]
        nums = [cells[r][c] for r in body if cells[r][c] is not None]
        if not nums or len(nums) < 0.6 * len(filled):
            continue
        if c == 0 and all(n.decimals == 0 and not n.pct for n in nums) and not headers[c]:
            continue  # an unnamed ordinal column
        numeric.append(c)
        if sum(n.pct for n in nums) > len(nums) / 2 or (
            any(k in headers[c] for k in _PCT_HEAD) and all(not n.pct for n in nums)
        ):
            pct.append(c)
        elif any(n.pct for n in nums) and any(k in headers[c] for k in _PCT_HEAD):
            pct.append(c)  # a mixed column: only its cells printed with % are rates
    totals = {}
    for r in body:
        for c, x in enumerate(rows[r]):
            if c not in numeric and _TOTAL_ROW.search(x or "") and len(x.strip()) <= 12:
                totals[r] = "小计" if "小" in x else "合计"
                break
    roles = {c: _role(headers[c], c in pct) for c in numeric}
    g = Grid(
        t,
        h,
        headers,
        cells,
        numeric,
        pct,
        totals,
        roles,
        [[rows[r][c].strip() for r in range(h)] for c in range(width)],
        {},
    )
    ccols = ts.code_columns(headers, rows, body, numeric)
    g.codes = ts.row_codes(rows, body, ccols, g.label)
    for r in list(totals):
        if r in g.codes:
            del totals[r]  # a coded row named …合计 is a 科目, not the table's total
    return g


_AMOUNT_ROLES = {
    "diff": ("差额", "差异", "结余", "节约", "节约额", "增减额", "变动额", "增减"),
    "adjust": ("调整", "追加", "调增", "调减"),
    "full": ("全年预算", "调整后预算", "调整后", "全年预算数"),
    "initial": ("年初", "年初预算"),
    "actual": (
        "决算",
        "实际",
        "执行数",
        "执行金额",
        "支出数",
        "分配",
        "使用",
        "完成",
        "到位",
        "拨付",
        "执行",
    ),
    "budget": ("预算", "批复", "计划", "下达"),
}


def _role(head: str, is_pct: bool) -> str:
    """A column's role from its header; the keyword that ends last wins (全年执行数 is an
    actual, 全年预算数 a full-year budget, 预算调整金额 an adjustment)."""
    if is_pct:
        if re.search(r"变动|增减|增长|下降|比上年|较上年|同比|上年", head):
            return "change_pct"
        if re.search(r"占比|比重|构成|占", head):
            return "share_pct"
        if re.search(r"执行|使用|完成|到位|支出率|控制|拨付|分配", head):
            return "exec_pct"
        return "pct"
    if re.search(r"^(合计|总计|小计)", head):
        return "sum"
    best, best_end, best_len = "", -1, 0
    for role, words in _AMOUNT_ROLES.items():
        for w in words:
            i = head.rfind(w)
            if i < 0:
                continue
            end = i + len(w)
            if end > best_end or (end == best_end and len(w) > best_len):
                best, best_end, best_len = role, end, len(w)
    return best


def _one(g: Grid, role: str) -> int | None:
    cols = [c for c, r in g.roles.items() if r == role]
    return cols[0] if len(cols) == 1 else None


def _claim(g: Grid, kind: str, r: int, c: int, refs: list[tuple[int, int]]) -> Claim:
    t = g.table
    cell = g.cells[r][c]
    text = f"{g.label(r)}｜{g.headers[c] or f'第{c + 1}列'}：{t.rows[r][c].strip()}"
    return Claim(
        kind=kind,
        text=text,
        location={"table": t.index, "row": r, "column": c},
        stated=cell.value if cell else None,
        unit="%" if cell and cell.pct else "",
        refs=(("t", t.index, r, c), *(("t", t.index, rr, cc) for rr, cc in refs)),
    )


def _body_rows(g: Grid):
    return range(g.header_rows, len(g.table.rows))


# --- identities per row --------------------------------------------------------------------


@extractor("row_identity")
def row_identities(g: Grid) -> list[Claim]:
    out: list[Claim] = []
    ini, adj, full = _one(g, "initial"), _one(g, "adjust"), _one(g, "full")
    act, diff, bud = _one(g, "actual"), _one(g, "diff"), _one(g, "budget")
    year_pair = None
    if diff is not None and re.search(r"增减|变动|增长|比上年|较上年", g.headers[diff]):
        pair = _dated_pair(g, None)
        year_pair = pair[:2] if pair else None
    for r in _body_rows(g):
        cells = g.cells[r]
        if (
            ini is not None
            and adj is not None
            and full is not None
            and cells[full] is not None
            and (cells[ini] is not None or cells[adj] is not None)
        ):
            c = _claim(g, "table_identity", r, full, [(r, ini), (r, adj)])
            exact = g.val(r, ini) + g.val(r, adj)
            judge(c, exact, cells[full].decimals)
            c.formula = f"{g.headers[ini]} {fmt(g.val(r, ini))} + {g.headers[adj]} {fmt(g.val(r, adj))} = {fmt(exact)}"
            out.append(c)
        base = full if full is not None else bud
        if (
            diff is not None
            and cells[diff] is not None
            and year_pair is not None
            and (act is None or base is None)
        ):
            # 本年数 | 上年数 | 增减额: the difference of the two years
            cur, pri = year_pair
            c = _claim(g, "table_identity", r, diff, [(r, cur), (r, pri)])
            exact = g.val(r, cur) - g.val(r, pri)
            judge(c, exact, cells[diff].decimals)
            c.formula = f"{g.headers[cur]} {fmt(g.val(r, cur))} − {g.headers[pri]} {fmt(g.val(r, pri))} = {fmt(exact)}"
            out.append(c)
        elif (
            diff is not None
            and base is not None
            and act is not None
            and cells[diff] is not None
            and cells[base] is not None
        ):
            c = _claim(g, "table_identity", r, diff, [(r, base), (r, act)])
            exact = g.val(r, base) - g.val(r, act)
            judge(c, exact, cells[diff].decimals)
            c.formula = f"{g.headers[base]} {fmt(g.val(r, base))} − {g.headers[act]} {fmt(g.val(r, act))} = {fmt(exact)}"
            out.append(c)
    return out


@extractor("pct_columns")
def pct_columns(g: Grid) -> list[Claim]:
    out: list[Claim] = []
    for pc in g.pct_cols:
        role = g.roles[pc]
        pair = None
        if role == "change_pct":
            pair = _change_pair(g, pc)
        elif role == "exec_pct":
            act = _one(g, "actual")
            den = _one(g, "full") if _one(g, "full") is not None else _one(g, "budget")
            if act is not None and den is not None:
                pair = (act, den, False)
        elif "满意" in g.headers[pc]:
            num_c = [c for c in g.numeric_cols if c not in g.pct_cols and "满意" in g.headers[c]]
            den_c = [
                c
                for c in g.numeric_cols
                if c not in g.pct_cols
                and re.search(r"问卷|样本|调查|发放|回收|总数|人数", g.headers[c])
                and c not in num_c
            ]
            if num_c and den_c:
                pair = (num_c[0], den_c[0], False)
        elif role == "share_pct":
            left = [c for c in g.numeric_cols if c < pc and c not in g.pct_cols]
            if left:
                pair = (left[-1], None, False)
        mixed = any(g.cells[r][pc] is not None and g.cells[r][pc].pct for r in _body_rows(g)) and any(
            g.cells[r][pc] is not None and not g.cells[r][pc].pct for r in _body_rows(g)
        )
        for r in _body_rows(g):
            cell = g.cells[r][pc]
            if (
                cell is None
                or (mixed and not cell.pct)
                or r in g.total_rows
                and role == "share_pct"
                and cell.value == 100
            ):
                continue
            kind = "table_change_rate" if role == "change_pct" else "table_rate"
            if pair is None:
                c = _claim(g, kind, r, pc, [])
                out.append(unverifiable(c, "表中未找到该比率的计算列"))
                continue
            a, b, change = pair
            if role == "share_pct":
                base = _column_total(g, a)
                c = _claim(g, kind, r, pc, [(r, a)])
                if base is None or base == 0:
                    out.append(unverifiable(c, "未找到合计数或合计为0"))
                    continue
                exact = g.val(r, a) * 100 / base
                c.formula = f"{fmt(g.val(r, a))}/{fmt(base)}×100%"
            else:
                c = _claim(g, kind, r, pc, [(r, a), (r, b)])
                den = g.val(r, b)
                if g.cells[r][a] is None and g.cells[r][b] is None:
                    out.append(unverifiable(c, "本行缺少计算所需的数"))
                    continue
                if den == 0:
                    out.append(unverifiable(c, "基数为0，比率无意义"))
                    continue
                numr = g.val(r, a) - den if change else g.val(r, a)
                exact = numr * 100 / den
                c.formula = (
                    f"({fmt(g.val(r, a))}−{fmt(den)})/{fmt(den)}×100%"
                    if change
                    else f"{fmt(g.val(r, a))}/{fmt(den)}×100%"
                )
            judge(c, exact, cell.decimals)
            c.formula += f"={fmt(exact, cell.decimals, '%')}"
            out.append(c)
    return out


def _change_pair(g: Grid, pc: int):
    head = g.headers[pc]
    kind = (
        "actual"
        if "决算" in head or "实际" in head or "支出" in head
        else ("budget" if "预算" in head else None)
    )
    return _dated_pair(g, kind)


def _dated_pair(g: Grid, kind: str | None):
    """(current column, prior column, True) among amount columns of ``kind`` told apart by the
    year in their headers (2023 / 2022, 本年 / 上年)."""
    cands = [
        c
        for c in g.numeric_cols
        if c not in g.pct_cols
        and g.roles[c] not in ("diff", "sum")
        and (kind is None or g.roles[c] in ((kind, "full") if kind == "budget" else (kind,)))
    ]

    def year(c):
        h = g.headers[c]
        m = _YEAR.search(h)
        if m:
            return int(m.group(0))
        if "上年" in h or "上一年" in h:
            return 0
        if "本年" in h or "当年" in h:
            return 9999
        return None

    dated = [(year(c), c) for c in cands if year(c) is not None]
    if len(dated) < 2:
        return None
    dated.sort()
    if dated[0][0] == dated[-1][0]:
        return None
    return (dated[-1][1], dated[0][1], True)


def _column_total(g: Grid, c: int) -> Decimal | None:
    tot = [r for r, k in g.total_rows.items() if k == "合计"]
    if tot and g.cells[tot[0]][c] is not None:
        return g.cells[tot[0]][c].value
    return None


# --- 合计 rows and columns -----------------------------------------------------------------


def _record_rows(t: Table, g: Grid | None) -> list[Claim]:
    """Form-like tables (a 项目支出绩效自评表): a row of figures under a row of its own headings
    is read as a small table of its own; locations point into the real table."""
    out: list[Claim] = []
    cols = set(g.numeric_cols) if g else set()
    for r in range(1, len(t.rows)):
        row = [parse_cell(x) for x in t.rows[r]]
        prev = [parse_cell(x) for x in t.rows[r - 1]]
        filled = [
            c for c, x in enumerate(row) if x is not None and not (g and any(k in g.headers[c] for k in _SEQ))
        ]
        if len(filled) < 2 or any(prev) or all(c in cols for c in filled):
            continue
        mini = Table(t.index, (t.rows[r - 1], t.rows[r]))
        mg = analyse(mini)
        if mg is None or not mg.numeric_cols:
            continue
        for _, fn in TABLE_EXTRACTORS:
            for c in fn(mg):
                c.location = {**c.location, "row": c.location["row"] + r - 1}
                c.refs = tuple((k, ti, rr + r - 1, cc) for k, ti, rr, cc in c.refs)
                out.append(c)
    return out


def _grid_claims(g: Grid) -> list[Claim]:
    if tt.is_three_public(g):
        return [
            c for name, fn in TABLE_EXTRACTORS if name not in ("total_rows", "total_columns") for c in fn(g)
        ] + tt.three_public_claims(g)
    return [c for _, fn in TABLE_EXTRACTORS for c in fn(g)]


def _texty(t: Table, g: Grid) -> list[int]:
    """Columns holding labels or codes (text in the body, not figures)."""
    out = []
    for c in range(len(t.rows[0])):
        if c in g.numeric_cols:
            continue
        vals = [t.rows[r][c].strip() for r in range(g.header_rows, len(t.rows))]
        if (
            any(v and parse_cell(v) is None and v not in ("-", "—", "－", "/") for v in vals)
            or ts._CODE_HEAD.search(g.headers[c])
            or (g.header_cells and any(x in ("类", "款", "项") for x in g.header_cells[c]))
        ):
            out.append(c)
    return out


def table_claims(tables: list[Table]) -> list[Claim]:
    out: list[Claim] = []
    for t in tables:
        g = analyse(t)
        if g is not None and g.numeric_cols:
            blocks = ts.column_blocks(len(t.rows[0]), g.numeric_cols, _texty(t, g))
            if len(blocks) == 1:
                out.extend(_grid_claims(g))
            else:
                grids = []
                for cols in blocks:
                    sub = Table(t.index, tuple(tuple(row[c] for c in cols) for row in t.rows), t.page, t.unit)
                    sg = analyse(sub)
                    if sg is None or not sg.numeric_cols:
                        continue
                    grids.append((cols, sg))
                    out.extend(tt.remap(c, cols) for c in _grid_claims(sg))
                out.extend(tt.staff_public_claims(grids))
                out.extend(tt.grand_total_claims(grids))
        out.extend(_record_rows(t, g))
    # a cell read both ways (whole table, and as a form row) keeps its checked reading
    checked = {(c.kind, tuple(c.location.items())) for c in out if c.status != "unverifiable"}
    seen: set = set()
    kept = []
    for c in out:
        key = (c.kind, tuple(c.location.items()), tuple(sorted(c.refs)))
        if key in seen or (c.status == "unverifiable" and key[:2] in checked):
            continue
        seen.add(key)
        kept.append(c)
    return kept


# the 合计 extractors live in their own module; importing it registers them (after the two above)
from .table_totals import judge_sum, total_columns, total_rows  # noqa: E402,F401
