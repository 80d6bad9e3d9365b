"""合计 / 总计 / 小计 rows and columns of a table, each added up only from what the table's layout
proves it holds (``table_structure``): 科目编码 levels, numbered rows, a 合计 column over a flat
header or the columns under one spanning heading, and 年末结转 = 年初 + 收入 − 支出.
"""

from __future__ import annotations

import re
from decimal import Decimal

from . import table_structure as ts
from .recompute import Claim, fmt, judge, unverifiable
from .table_claims import Grid, _body_rows, _claim, extractor


@extractor("total_rows")
def total_rows(g: Grid) -> list[Claim]:
    """合计 / 总计 / 小计 rows and coded parents, each added up only from the rows the table's
    structure shows it holds (``table_structure``)."""
    if g.codes and len(g.codes) >= 2:
        return _coded_totals(g)
    out: list[Claim] = []
    body = list(_body_rows(g))
    totals = sorted(g.total_rows)
    for tr in totals:
        kind = g.total_rows[tr]
        label = re.sub(r"\s+", "", g.label(tr))
        if tr == body[0] and kind == "合计":  # 合计 first, details below it
            nxt = [r for r in totals if r > tr]
            hi = min(nxt) if nxt else len(g.table.rows)
            seg = [r for r in body if tr < r < hi]
        else:
            prev = [r for r in totals if r < tr and (kind == "小计" or g.total_rows[r] != "小计")]
            lo = max(prev) if prev else g.header_rows - 1
            seg = [r for r in body if lo < r < tr]
        prior = [r for r in totals if r < tr and g.total_rows[r] == "合计"]
        if (
            "总计" in label
            and prior
            and kind == "合计"
            and not any("总计" in re.sub(r"\s+", "", g.label(r)) for r in prior)
        ):
            # 总计 = 本年合计 + the unnumbered rows below it (年初结转和结余 …); numbered rows
            # there are parts of the unnumbered row above them
            base = max(prior)
            seg = [r for r in body if base < r < tr]
            blv = ts.numbering(g.label(base))
            if blv is not None:  # 一、本年支出合计 … 二、年终结转结余 … 支出总计
                parts = [base] + [r for r in seg if ts.numbering(g.label(r)) == blv]
            else:
                parts = [base] + [
                    r for r in seg if ts.numbering(g.label(r)) is None and not ts.is_sub(g.label(r))
                ]
                out += _parents_of_numbered(g, seg, 0)
            out += _sum_claims(g, tr, parts, None)
            continue
        parts, why = _segment_parts(g, seg)
        lvls = [ts.numbering(g.label(r)) for r in seg]
        out += _parents_of_numbered(g, seg, min((x for x in lvls if x is not None), default=0))
        if len(parts) < 2 and why is None:
            continue
        out += _sum_claims(
            g, tr, parts, why, flat=why is None and all(ts.numbering(g.label(r)) is None for r in parts)
        )
    return out


def _segment_parts(g: Grid, seg: list[int]) -> tuple[list[int], str | None]:
    """The rows of a segment a total adds up, or a reason why they cannot be told."""
    rows = [r for r in seg if not ts.is_sub(g.label(r))]
    levels = {r: ts.numbering(g.label(r)) for r in rows}
    numbered = [lv for lv in levels.values() if lv is not None]
    if not numbered:
        return rows, None
    top = min(numbered)
    parts = [r for r in rows if levels[r] == top]
    first = min(r for r in rows if levels[r] == top)
    loose = [
        r
        for r in rows
        if r < first
        and levels[r] is None
        and g.label(r)
        and not g.label(r).startswith("第")
        and any(g.cells[r][c] is not None and g.cells[r][c].value for c in g.numeric_cols)
    ]
    if loose:
        return parts, "表中既有编号行又有未编号的行，无法确定合计包含哪些行"
    return parts, None


def _parents_of_numbered(g: Grid, seg: list[int], top: int) -> list[Claim]:
    """An unnumbered row followed by numbered rows (年初结转和结余 / 一、… 二、…) is their sum;
    so is a numbered row followed by rows numbered one level deeper."""
    out: list[Claim] = []
    for i, r in enumerate(seg):
        lv = ts.numbering(g.label(r))
        kids: list[int] = []
        kid_lv = None
        for k in seg[i + 1 :]:
            klv = ts.numbering(g.label(k))
            if ts.is_sub(g.label(k)):
                continue
            if klv is None or (lv is not None and klv <= lv):
                break
            if kid_lv is None:
                kid_lv = klv
            if klv == kid_lv:
                kids.append(k)
        if lv is None and kid_lv is not None and kid_lv <= top:
            continue  # unnumbered rows sit below the list's top level
        if len(kids) >= 1 and (lv is not None or kid_lv is not None):
            out += _sum_claims(g, r, kids, None, need_two=False)
    return out


def _hidden_parent(g: Grid, rows: list[int], c: int, stated: Decimal, tol: Decimal) -> bool:
    """Whether unmarked levels explain the difference: the sum is two to four times the total
    (each level adds up to it again), two or more rows each equal the sum of two or more rows
    right after them, or leaving such rows out leaves the total."""
    vals = [g.val(r, c) for r in rows]
    total = sum(vals, Decimal(0))
    if stated and any(abs(total - k * stated) <= max(tol * k, abs(stated) * k / 200) for k in (2, 3, 4)):
        return True  # within 0.5 %: a slip inside a level does not hide the levels
    sums_of_following = 0
    for i in range(len(vals) - 2):
        acc, n = Decimal(0), 0
        for v in vals[i + 1 :]:
            acc += v
            n += 1 if v else 0
            if acc >= vals[i]:
                break
        if vals[i] and acc == vals[i] and n >= 2:
            sums_of_following += 1
    if sums_of_following >= 2:
        return True  # several rows each the sum of the rows after them
    parents = Decimal(0)
    i = 0
    while i < len(vals) - 1:
        acc, j, n = Decimal(0), i + 1, 0
        while j < len(vals) and acc < vals[i]:
            acc += vals[j]
            n += 1 if vals[j] else 0
            j += 1
        if vals[i] and acc == vals[i] and n >= 2:
            parents += vals[i]
            i = j
        else:
            i += 1
    return bool(parents) and abs(total - parents - stated) <= tol


def _sum_claims(
    g: Grid, tr: int, parts: list[int], why: str | None, *, flat: bool = False, need_two: bool = True
) -> list[Claim]:
    out: list[Claim] = []
    for c in g.numeric_cols:
        if c in g.pct_cols:
            continue
        cell = g.cells[tr][c]
        if cell is None:
            continue
        have = [r for r in parts if g.cells[r][c] is not None]
        if not have or (need_two and len(parts) < 2):
            continue
        cl = _claim(g, "table_total", tr, c, [(r, c) for r in have])
        if why:
            out.append(unverifiable(cl, why))
            continue
        exact = sum((g.val(r, c) for r in parts), Decimal(0))
        judge_sum(cl, exact, cell.decimals, len(have))
        cl.formula = "+".join(fmt(g.val(r, c)) for r in have) + f"={fmt(exact)}"
        if (
            flat
            and cl.status == "mismatch"
            and _hidden_parent(g, parts, c, cell.value, Decimal(1).scaleb(-cell.decimals) * len(have))
        ):
            unverifiable(
                cl,
                "合计与各行之和不符，但表中有的行等于其下几行之和（可能是未标明的分级），无法确定合计的组成",
            )
        out.append(cl)
    return out


def judge_sum(cl: Claim, exact: Decimal, decimals: int, n: int) -> Claim:
    """Judge a total of ``n`` printed parts: each part was rounded to the printed digits before it
    was printed, so the total of the printed parts may stray from the printed total by up to
    (n + 1) / 2 units of the last digit without any slip (尾差)."""
    judge(cl, exact, decimals)
    if cl.status == "mismatch" and decimals > 0 and cl.stated is not None:
        unit = Decimal(1).scaleb(-decimals)
        if abs(cl.stated - exact) <= unit * (n + 1) / 2:
            cl.status = "rounding"
            cl.reason = f"{n}个分项各自四舍五入，合计允许{fmt(unit * (n + 1) / 2, decimals + 1)}以内的尾差"
    return cl


def _coded_totals(g: Grid) -> list[Claim]:
    """A coded table: each 类 is the sum of its 款, each 款 of its 项, 合计 of the 类 only."""
    out: list[Claim] = []
    last = len(g.table.rows) - 1
    totals = sorted(g.total_rows)
    first_coded = min(g.codes)
    top_first = bool(totals) and totals[0] < first_coded
    segs: dict[int, dict] = {}  # total row (or -1) → the coded rows it adds up
    for r, code in g.codes.items():
        if top_first:
            owner = max((t for t in totals if t < r), default=-1)
        else:
            owner = min((t for t in totals if t > r), default=-1)
        segs.setdefault(owner, {})[r] = code
    families = {}
    for seg in segs.values():
        families.update(ts.code_children(seg))
    for parent, kids in families.items():
        cut = None
        code = g.codes[parent]
        if g.codes.get(last, "").startswith(code) and not g.total_rows:
            cut = "该科目的下级科目排到表格末尾，可能在下一页续表，无法确认子项完整"
        out += _sum_claims(g, parent, kids, cut, need_two=False)
    for tr, kind in g.total_rows.items():
        top = ts.top_codes(segs.get(tr, {}))
        label = re.sub(r"\s+", "", g.label(tr))
        if label.startswith(("人员经费", "公用经费")):
            continue  # added up across the table's blocks (table_template)
        if kind == "小计":
            c0 = _sum_claims(g, tr, [], "小计行的组成无法从科目编码确定", need_two=False)
            out += c0
            continue
        out += _sum_claims(g, tr, top, None, need_two=False)
    return out


@extractor("total_columns")
def total_columns(g: Grid) -> list[Claim]:
    """A 合计 column adds up the block's other amount columns where the header is flat (each
    column has a heading of its own); anything else is left to the template rules."""
    out: list[Claim] = []
    amount_cols = [c for c in g.numeric_cols if c not in g.pct_cols]
    sums = [
        c
        for c in amount_cols
        if g.roles[c] == "sum" or re.fullmatch(r"(本年|全年|本期)?[^\d]{0,6}?(合计|总计)", g.headers[c] or "")
    ]
    if not g.header_cells:
        return out
    out += _group_totals(g) + _carry_over(g)
    if len(sums) != 1:
        return out
    if out:
        return out  # the header has groups: the flat rule does not hold
    sc = sums[0]
    others = [c for c in amount_cols if c != sc]
    if (
        len(others) < 2
        or not ts.flat_header(g.header_cells, amount_cols)
        or not (sc == amount_cols[0] or sc == amount_cols[-1])
        or any(re.search(r"上年|增减|变动|比|率|结转|结余", g.headers[c]) for c in others)
    ):
        return out
    parts = others
    for r in _body_rows(g):
        cell = g.cells[r][sc]
        if cell is None or all(g.cells[r][c] is None for c in parts):
            continue
        cl = _claim(g, "table_total", r, sc, [(r, c) for c in parts])
        exact = sum((g.val(r, c) for c in parts), Decimal(0))
        judge(cl, exact, cell.decimals)
        cl.formula = "+".join(fmt(g.val(r, c)) for c in parts) + f"={fmt(exact)}"
        out.append(cl)
    return out


_TOTAL_WORD = re.compile(r"(本年|全年|本期)?[^\d]{0,6}?(合计|小计|总计)")


def _path(g: Grid, c: int) -> list[str]:
    """A column's header cells top-down, repeats (a merged cell) and blanks left out."""
    out: list[str] = []
    for x in g.header_cells[c]:
        x = re.sub(r"\s+", "", x)
        if x and (not out or out[-1] != x):
            out.append(x)
    return out


def _money_cols(g: Grid) -> list[int]:
    """Columns whose body holds figures or nothing (a blank column of a template is zeros)."""
    rows = g.table.rows
    body = range(g.header_rows, len(rows))
    return [
        c
        for c in range(len(rows[0]))
        if c not in g.pct_cols
        and any(g.cells[r][c] for r in body) is not None
        and all(g.cells[r][c] is not None or rows[r][c].strip() in ("", "-", "—", "－", "/") for r in body)
        and c not in g.codes_cols()
    ]


def _group_totals(g: Grid) -> list[Claim]:
    """A 小计 / 合计 column under a heading spanning several columns (本年支出: 小计 | 基本支出 |
    项目支出) adds up the other columns under that heading."""
    out: list[Claim] = []
    money = _money_cols(g)
    paths = {c: _path(g, c) for c in money}
    for sc in money:
        p = paths[sc]
        if (
            len(p) < 2
            or not _TOTAL_WORD.fullmatch(p[-1])
            or g.cells
            and all(g.cells[r][sc] is None for r in _body_rows(g))
        ):
            continue
        parts = [
            c
            for c in money
            if c != sc
            and len(paths[c]) == len(p)
            and paths[c][:-1] == p[:-1]
            and not _TOTAL_WORD.fullmatch(paths[c][-1])
        ]
        if len(parts) < 2:
            continue
        for r in _body_rows(g):
            cell = g.cells[r][sc]
            if cell is None or all(g.cells[r][c] is None for c in parts):
                continue
            cl = _claim(g, "table_total", r, sc, [(r, c) for c in parts])
            exact = sum((g.val(r, c) for c in parts), Decimal(0))
            judge_sum(cl, exact, cell.decimals, len(parts))
            cl.formula = " + ".join(f"{paths[c][-1]} {fmt(g.val(r, c))}" for c in parts) + f" = {fmt(exact)}"
            if cl.status == "mismatch" and any(
                ts.is_sub(paths[c][-1]) or ts.is_sub(paths[c][0]) for c in parts
            ):
                unverifiable(cl, "“其中”各列可能只列出一部分（或互相包含），不一定合成小计")
            out.append(cl)
    return out


def _carry_over(g: Grid) -> list[Claim]:
    """年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出, where the columns are named so."""
    money = _money_cols(g)
    names = {c: "".join(_path(g, c)) for c in money}

    def one(rx, extra=None):
        cs = [c for c in money if re.search(rx, names[c]) and (extra is None or extra(c))]
        return cs[0] if len(cs) == 1 else None

    start = one(r"年初.*结转")
    end = one(r"年末.*结转")
    inc = one(r"本年收入")
    exp = one(r"本年支出", lambda c: len(_path(g, c)) == 1 or bool(_TOTAL_WORD.fullmatch(_path(g, c)[-1])))
    if None in (start, end, inc, exp):
        return []
    out = []
    for r in _body_rows(g):
        cell = g.cells[r][end]
        if cell is None or all(g.cells[r][c] is None for c in (start, inc, exp)):
            continue
        cl = _claim(g, "table_identity", r, end, [(r, start), (r, inc), (r, exp)])
        exact = g.val(r, start) + g.val(r, inc) - g.val(r, exp)
        judge(cl, exact, cell.decimals)
        cl.formula = (
            f"年初结转和结余 {fmt(g.val(r, start))} + 本年收入 {fmt(g.val(r, inc))} − 本年支出 "
            f"{fmt(g.val(r, exp))} = {fmt(exact)}"
        )
        out.append(cl)
    return out
