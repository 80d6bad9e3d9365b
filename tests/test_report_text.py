"""Invariants of the report's wording helpers: every stated sum and change is exact on the page."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.money import change_rate, q2
from jixiao.report.context import Cell, Table, safe_name
from jixiao.report.text import change_phrase, cn_num, composition

amounts = st.decimals(
    min_value=Decimal("-99999.99"),
    max_value=Decimal("999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
positive = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("999999.99"), places=2, allow_nan=False, allow_infinity=False
)
names = st.text(alphabet="科技项目经费专项甲乙丙12", min_size=1, max_size=8)


def _figures(text: str) -> list[Decimal]:
    """Amounts as printed: '1,234.56万元' → Decimal; a quoted name's digits are not amounts."""
    text = re.sub(r"“[^”]*”", "", text)
    return [Decimal(m.replace(",", "")) for m in re.findall(r"(-?[\d,]+\.\d{2})万元", text)]


@given(st.lists(st.tuples(names, amounts), min_size=1, max_size=6))
def test_composition_parts_add_up_to_the_printed_total(parts):
    total = sum((v for _, v in parts), Decimal(0))
    text = composition(total, parts)
    assert "其中：" in text
    figs = _figures(text)
    assert figs[0] == q2(total) and sum(figs[1:], Decimal(0)) == figs[0]


@given(amounts, st.lists(st.tuples(names, amounts), min_size=1, max_size=6))
def test_composition_never_claims_a_wrong_sum(total, parts):
    text = composition(total, parts)
    figs = _figures(text)
    if "其中：" in text:
        assert sum(figs[1:], Decimal(0)) == figs[0]
    else:  # the parts disagree: the total alone, never a note addressed to the preparer
        assert figs == [q2(total)] and "相差" not in text and "未填列" not in text


@given(positive, positive)
def test_change_phrase_is_exact_on_printed_figures(cur, prior):
    text = change_phrase(cur, prior, "上年")
    if cur == prior:
        assert "持平" in text
        return
    diff = Decimal(re.search(r"(增加|减少)([\d,]+\.\d{2})万元", text).group(2).replace(",", ""))
    assert diff == abs(cur - prior)
    pct = Decimal(re.search(r"(增长|下降)([\d.]+)%", text).group(2))
    assert pct == abs(change_rate(cur, prior))
    assert ("增加" in text) == (cur > prior)


def test_change_phrase_missing_prior_is_a_placeholder():
    assert "【待补充" in change_phrase(Decimal("1"), None, "上年决算")


@given(st.integers(min_value=1, max_value=99))
def test_chinese_numerals(n):
    text = cn_num(n)
    digits = "一二三四五六七八九"
    value = 0
    if "十" in text:
        head, _, tail = text.partition("十")
        value = (digits.index(head) + 1 if head else 1) * 10 + (digits.index(tail) + 1 if tail else 0)
    else:
        value = digits.index(text) + 1
    assert value == n


@given(st.text(max_size=60))
def test_safe_name_is_a_plain_file_name(text):
    name = safe_name(text)
    assert name and len(name) <= 80
    assert not re.search(r'[\x00-\x1f\x7f/\\:*?"<>|]', name)
    assert not name.startswith((".", " "))


@given(
    st.lists(
        st.lists(st.tuples(st.integers(1, 3), st.integers(1, 2)), min_size=1, max_size=4),
        min_size=1,
        max_size=5,
    )
)
def test_table_grid_covers_each_position_once(spec):
    """Rows built greedily from random spans: the grid covers every slot exactly once."""
    ncols = 6
    rows = []
    occupied: set[tuple[int, int]] = set()
    nrows = len(spec)
    for r, cells in enumerate(spec):
        row = []
        c = 0
        for cs, rs in cells:
            while (r, c) in occupied:
                c += 1
            cs = min(cs, ncols - c)
            rs = min(rs, nrows - r)
            if cs <= 0 or any((r + dr, c + dc) in occupied for dr in range(rs) for dc in range(cs)):
                break
            for dr in range(rs):
                for dc in range(cs):
                    occupied.add((r + dr, c + dc))
            row.append(Cell("x", colspan=cs, rowspan=rs))
            c += cs
        rows.append(tuple(row))
    t = Table("t", tuple(rows), (1,) * ncols)
    grid = t.grid()
    covered = {(r, c) for r, row in enumerate(grid) for c, slot in enumerate(row) if slot is not None}
    assert covered == occupied
    origins = sum(1 for row in grid for slot in row if slot and slot[1] == "origin")
    assert origins == sum(len(r) for r in rows)
