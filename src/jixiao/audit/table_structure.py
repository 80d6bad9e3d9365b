"""What a table's layout proves about its figures: column blocks, 科目编码 hierarchies,
numbered rows and flat headers.

The claims built on a table (``table_claims``) only add up what this module shows belongs
together: a 类 is the sum of its 款, a 款 of its 项, a 合计 of the 类 (never of every row); a
numbered list (一、二、…) adds up its top level; "其中" rows are parts of the row above them and
never of a total. Functions here read a grid (``table_claims.Grid``) and return row or column
numbers; they compute no sums.
"""

from __future__ import annotations

import re

# --- column blocks ---------------------------------------------------------------------------


def column_blocks(width: int, numeric: list[int], texty: list[int]) -> list[list[int]]:
    """Split a table's columns into side-by-side blocks: a block starts at a text (label or
    code) column that follows a numeric column (收入 | 支出 in 收入支出决算总表, the two halves of a
    经济分类 table). A table without such a layout is one block."""
    blocks: list[list[int]] = []
    cur: list[int] = []
    seen_num = False
    for c in range(width):
        if c in texty and seen_num:
            blocks.append(cur)
            cur, seen_num = [], False
        cur.append(c)
        if c in numeric:
            seen_num = True
    blocks.append(cur)
    blocks = [b for b in blocks if any(c in numeric for c in b)]
    return blocks if len(blocks) > 1 else [list(range(width))]


# --- 科目编码 ----------------------------------------------------------------------------------

_CODE_HEAD = re.compile(r"编码|代码|^类$|^款$|^项$|科目编号")
_CODE_PART = re.compile(r"^\d{2,3}$")
#: a 科目编码 written before a row's name: never starts with 0, never runs on into a Latin letter ("000p0")
_LABEL_CODE = re.compile(r"^\s*[\[【(（]?\s*([1-9]\d{2}(?:\d{2}){0,2})\s*[\]】)）]?\s*(?=[^\d\s.,%A-Za-z])")


def code_columns(headers: list[str], rows, body: range, numeric: list[int]) -> list[int]:
    """Columns holding 科目编码 (one joined code, or 类 / 款 / 项 split over columns)."""
    out = []
    for c, h in enumerate(headers):
        if c in numeric:
            continue
        vals = [rows[r][c].strip() for r in body if rows[r][c].strip()]
        digits = [v for v in vals if v.isdigit()]
        if not digits or len(digits) < 0.5 * len(vals):
            continue
        if (
            _CODE_HEAD.search(h)
            or any(k in h for k in ("类", "款", "项"))
            or all(len(v) in (2, 3, 5, 7) for v in digits)
        ):
            out.append(c)
    return out


def row_codes(rows, body: range, code_cols: list[int], label_of) -> dict[int, str]:
    """Row → its 科目编码 as one digit string (201 / 20106 / 2010601; 301 / 30101)."""
    out: dict[int, str] = {}
    for r in body:
        code = ""
        if code_cols:
            parts = [rows[r][c].strip() for c in code_cols]
            if parts and all(p.isdigit() or not p for p in parts):
                joined = [p for p in parts if p]
                if (
                    joined
                    and all(b.startswith(a) for a, b in zip(joined, joined[1:], strict=False))
                    and len(joined) > 1
                    and len(joined[-1]) > len(joined[0])
                ):
                    code = joined[-1]  # 201 | 20106 | 2010601: each column the full code
                elif joined and (len(joined) == 1 or all(_CODE_PART.match(p) for p in joined)):
                    code = "".join(joined)
        if not code:
            m = _LABEL_CODE.match(label_of(r))
            if m:
                code = m.group(1)
        if code and len(code) in (3, 5, 7):
            out[r] = code
    return out


def code_children(codes: dict[int, str]) -> dict[int, list[int]]:
    """Each coded row with the rows one level below it (a 类's 款, a 款's 项); rows without
    any child are not parents. A code seen twice makes its family unprovable: left out."""
    seen: dict[str, int] = {}
    dup = set()
    for r, code in codes.items():
        if code in seen:
            dup.add(code)
        seen[code] = r
    out: dict[int, list[int]] = {}
    for r, code in codes.items():
        if code in dup:
            continue
        kids = [k for k, cc in codes.items() if len(cc) == len(code) + 2 and cc.startswith(code)]
        if kids and not any(codes[k] in dup for k in kids):
            out[r] = kids
    return out


def top_codes(codes: dict[int, str]) -> list[int]:
    """The rows a 合计 of a coded table adds up: the shortest codes (the 类)."""
    if not codes:
        return []
    top = min(len(c) for c in codes.values())
    return [r for r, c in codes.items() if len(c) == top]


# --- numbered rows -------------------------------------------------------------------------

_CN = "一二三四五六七八九十"
_LEVELS = (
    (1, re.compile(rf"^\s*[{_CN}]+\s*[、.．]")),
    (2, re.compile(rf"^\s*[（(]\s*[{_CN}]+\s*[）)]")),
    (3, re.compile(r"^\s*\d{1,2}\s*[、.．](?!\d)")),
    (4, re.compile(r"^\s*[（(]\s*\d{1,2}\s*[）)]")),
)
_SUB = re.compile(r"^\s*(其中|含|包括|内：|其中:)")


def numbering(label: str) -> int | None:
    """The level of a row's numbering: 一、 (1), （一） (2), 1、 (3), （1） (4); None if unnumbered."""
    for lvl, rx in _LEVELS:
        if rx.match(label):
            return lvl
    return None


def is_sub(label: str) -> bool:
    """A "其中：…" row: a part of the row above, never of a total."""
    return bool(_SUB.match(label))


# --- headers ---------------------------------------------------------------------------------


def flat_header(header_cells: list[list[str]], cols: list[int]) -> bool:
    """Whether the block's amount columns each carry one heading of their own (a heading shared
    by all of them — 支出 over the whole block — aside): then a 合计 column adds up the others."""
    common = None
    for c in cols:
        cells = {x for x in header_cells[c] if x}
        common = cells if common is None else common & cells
    common = common or set()
    for c in cols:
        own = {x for x in header_cells[c] if x} - common
        if len(own) > 1:
            return False
    owns = [frozenset({x for x in header_cells[c] if x} - common) for c in cols]
    return len(set(owns)) == len(owns)
