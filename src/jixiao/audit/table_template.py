"""Rules of the national 部门决算 / 部门预算 templates that a table's own layout does not spell
out: the "三公" table (合计 = 出国 + 公务用车 + 接待, 公务用车 = 购置 + 运行维护, whether the items
run across the columns or down the rows), 人员经费 / 公用经费 in a 经济分类 table (301 + 303 /
the other 类), and 总计 of the 收入 side = 总计 of the 支出 side.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .recompute import Claim, fmt, judge

# item keys of the "三公" table, found in a header or a row label
_THREE = ("total", "abroad", "vehicle", "purchase", "operation", "reception")


def three_public_item(text: str) -> str | None:
    t = re.sub(r"\s+", "", text)
    if "购置及运行" in t or "购置和运行" in t or re.search(r"公务用车.*小计|^小计$", t):
        return "vehicle"
    if "购置" in t:
        return "purchase"
    if "运行" in t:
        return "operation"
    if "出国" in t or "出境" in t:
        return "abroad"
    if "接待" in t:
        return "reception"
    if re.search(r"合计|总计|三公", t):
        return "total"
    return None


def is_three_public(g) -> bool:
    if g.codes:
        return False  # a 经济分类 table lists 公务接待费 etc. among its 科目
    head = "".join(g.headers)
    text = head + "".join(g.label(r) for r in range(g.header_rows, len(g.table.rows)))
    if not ("接待" in text and ("出国" in text or "出境" in text) and "公务用车" in text):
        return False
    return "三公" in text or ("接待" in head and "公务用车" in head) or len(g.table.rows) - g.header_rows <= 8


def _claim(g, kind, r, c, refs):
    from .table_claims import _claim as base

    return base(g, kind, r, c, refs)


def _add(g, r, c, parts: list[tuple[int, int]], names: list[str]) -> Claim | None:
    cell = g.cells[r][c]
    if cell is None or not parts or all(g.cells[pr][pc] is None for pr, pc in parts):
        return None  # no part printed at all: nothing to add up
    cl = _claim(g, "table_total", r, c, parts)
    exact = sum((g.val(pr, pc) for pr, pc in parts), Decimal(0))
    from .table_claims import judge_sum

    judge_sum(cl, exact, cell.decimals, len(parts))
    cl.formula = (
        " + ".join(f"{n} {fmt(g.val(pr, pc))}" for n, (pr, pc) in zip(names, parts, strict=True))
        + f" = {fmt(exact)}"
    )
    return cl


_NAMES = {
    "abroad": "因公出国（境）费",
    "vehicle": "公务用车购置及运行费",
    "purchase": "公务用车购置费",
    "operation": "公务用车运行维护费",
    "reception": "公务接待费",
}


def three_public_cells(g) -> list[dict]:
    """The "三公" table's figures as groups {item: (row, column)}: one group per data row and
    column role (预算数 / 决算数) when the items run across the columns, one per amount column
    when they run down the rows. An item found twice in one group makes the group unusable."""
    groups: list[dict] = []
    body = range(g.header_rows, len(g.table.rows))
    rows = g.table.rows
    amount = [
        c
        for c in range(len(rows[0]))
        if c not in g.pct_cols
        and all(g.cells[r][c] is not None or rows[r][c].strip() in ("", "-", "—", "－", "/") for r in body)
    ]
    col_items = {}
    for c in amount:
        cells = g.header_cells[c] if g.header_cells else [g.headers[c]]
        item = None
        for x in cells[::-1]:  # the lowest heading naming an item wins
            it = three_public_item(x) if x else None
            if it and it != "total":
                item = it
                break
            if it == "total" and item is None:
                item = "total"
        role = next((x for x in cells[::-1] if x and three_public_item(x) is None), "")
        if item:
            col_items[c] = (item, role)
    if len({it for it, _ in col_items.values()}) >= 3:
        roles = list(dict.fromkeys(role for _, role in col_items.values()))  # left to right
        for r in body:
            for role in roles:
                grp: dict = {}
                for c, (it, rl) in col_items.items():
                    if rl == role:
                        grp[it] = None if it in grp else (r, c)
                if None not in grp.values():
                    groups.append({"_role": role, **grp})
        return groups
    row_items = {}
    for r in body:
        it = three_public_item(g.label(r))
        if it:
            row_items.setdefault(it, []).append(r)
    if len(row_items) >= 3:
        for c in amount:
            grp = {it: (rs[0], c) for it, rs in row_items.items() if len(rs) == 1}
            groups.append({"_role": g.headers[c], **grp})
    return groups


def three_public_claims(g) -> list[Claim]:
    out: list[Claim] = []
    for grp in three_public_cells(g):
        if "total" in grp and all(k in grp for k in ("abroad", "vehicle", "reception")):
            r, c = grp["total"]
            keys = ("abroad", "vehicle", "reception")
            if any(g.cells[grp[k][0]][grp[k][1]] is not None for k in keys) or g.cells[r][c] is not None:
                cl = _add(g, r, c, [grp[k] for k in keys], [_NAMES[k] for k in keys])
                if cl:
                    out.append(cl)
        if "vehicle" in grp and "purchase" in grp and "operation" in grp:
            r, c = grp["vehicle"]
            keys = ("purchase", "operation")
            cl = _add(g, r, c, [grp[k] for k in keys], [_NAMES[k] for k in keys])
            if cl:
                out.append(cl)
    return out


def staff_public_claims(grids: list) -> list[Claim]:
    """人员经费合计 = 301 + 303 and 公用经费合计 = the other 类 of a 经济分类 table whose halves
    are side by side (each total sits in the half that holds its label)."""
    out: list[Claim] = []
    tops: dict[str, Decimal] = {}
    for _, g in grids:
        amount = [c for c in g.numeric_cols if c not in g.pct_cols]
        if not g.codes or len(amount) != 1:
            return []
        for r, code in g.codes.items():
            if len(code) == 3 and code.startswith("3"):
                tops[code] = tops.get(code, Decimal(0)) + g.val(r, amount[0])
    if not tops:
        return []
    for cols, g in grids:
        c = [c for c in g.numeric_cols if c not in g.pct_cols][0]
        for r in g.total_rows:
            label = re.sub(r"\s+", "", g.label(r))
            cell = g.cells[r][c]
            if cell is None:
                continue
            if label.startswith("人员经费"):
                keys = [k for k in sorted(tops) if k in ("301", "303")]
            elif label.startswith("公用经费"):
                keys = [k for k in sorted(tops) if k not in ("301", "303")]
            else:
                continue
            cl = _claim(g, "table_total", r, c, [])
            exact = sum((tops[k] for k in keys), Decimal(0))
            from .table_claims import judge_sum

            judge_sum(cl, exact, cell.decimals, len(keys))
            cl.formula = " + ".join(f"{k} {fmt(tops[k])}" for k in keys) + f" = {fmt(exact)}"
            out.append(remap(cl, cols))
    return out


def remap(cl: Claim, cols: list[int]) -> Claim:
    """A claim read on one block of a table, located in the whole table."""
    cl.location = {**cl.location, "column": cols[cl.location["column"]]}
    cl.refs = tuple((k, ti, r, cols[c]) for k, ti, r, c in cl.refs)
    return cl


def grand_total_claims(grids: list) -> list:
    """收入 总计 = 支出 总计 (the two sides of a 收入支出总表 on one row)."""
    out = []
    if len(grids) != 2:
        return out
    (ca, ga), (cb, gb) = grids
    for r in range(ga.header_rows, len(ga.table.rows)):
        la, lb = re.sub(r"\s+", "", ga.label(r)), re.sub(r"\s+", "", gb.label(r))
        if la != "总计" or lb != "总计":
            continue
        a = [c for c in ga.numeric_cols if c not in ga.pct_cols and ga.cells[r][c] is not None]
        b = [c for c in gb.numeric_cols if c not in gb.pct_cols and gb.cells[r][c] is not None]
        if not a or not b:
            continue
        cl = _claim(gb, "table_identity", r, b[0], [])
        judge(cl, ga.val(r, a[0]), gb.cells[r][b[0]].decimals)
        cl.formula = f"收入总计 {fmt(ga.val(r, a[0]))} = 支出总计"
        ti = ga.table.index
        cl.location = {**cl.location, "column": cb[b[0]]}
        cl.refs = (("t", ti, r, cb[b[0]]), ("t", ti, r, ca[a[0]]))
        out.append(cl)
    return out
