"""Framework rules of issue 12: step floor (每满N扣M), if_not_computable full/zero/pending,
KPI rows by name and weight, mof-2013 consistency, and every basis sentence grammatical: each
rule kind rendered with edge values and parsed back to the figures it states."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.frameworks import load_framework, parse_framework
from jixiao.frameworks.loader import Band, Item
from jixiao.model import KPI, Department
from jixiao.scoring import RULES, rule_deduct, score

D = Decimal


def item(**kw) -> Item:
    base = dict(
        id="x",
        level1="a",
        level2="b",
        level3="c",
        weight=D(10),
        rule="deduct",
        source="s",
        threshold=D(100),
        points=D("0.5"),
        per=D(1),
    )
    base.update(kw)
    return Item(**base)


NUM = r"-?\d+(?:\.\d+)?"
#: a figure directly followed by another figure ('0.00%98.31%') is the garbling the issue shows
GARBLED = re.compile(r"(%|分|个百分点)-?\d")


def _d(x: str) -> Decimal:
    return D(x)


DEDUCT = re.compile(
    rf"^(?P<v>{NUM})(?P<u>%|[^\d，]*)，(?:未(?:超过|低于)(?P<th0>{NUM})\S*，得满分"
    rf"|(?P<side>超过|低于)(?P<th>{NUM})(?:%|[^\d，]*?)，(?:超出|差)(?P<ex>{NUM})(?:个百分点|[^\d，]*)，"
    rf"每(?P<floor>满)?(?P<per>{NUM})(?:个百分点|[^\d，（]*)(?:（[^）]*）)?扣(?P<pts>{NUM})分，"
    rf"(?:(?:满|计)(?P<n>\d+)个，)?扣(?P<off>{NUM})分(?:（扣完为止）)?，得(?P<s>{NUM})分)$"
)


values = st.decimals(min_value=D("-50"), max_value=D("300"), places=2, allow_nan=False, allow_infinity=False)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(
    v=values,
    th=st.sampled_from([D(0), D(100), D("95.5")]),
    per=st.sampled_from([D(1), D(5), D("0.5")]),
    points=st.sampled_from([D("0.5"), D(1), D(2)]),
    step=st.sampled_from(["continuous", "each", "floor"]),
    direction=st.sampled_from(["above", "below"]),
    unit=st.sampled_from(["%", "次"]),
)
def test_deduct_basis_parses_back(v, th, per, points, step, direction, unit):
    it = item(threshold=th, per=per, points=points, step=step, direction=direction)
    s, basis = rule_deduct(v, it, unit)
    assert not GARBLED.search(basis), basis
    m = DEDUCT.match(basis)
    assert m, basis
    assert _d(m["v"]) == v
    if m["th0"] is not None:
        assert s == it.weight
        return
    excess = v - th if direction == "above" else th - v
    assert (
        _d(m["th"]) == th
        and _d(m["ex"]) == excess.quantize(D("0.01"), rounding=ROUND_HALF_UP)
        and _d(m["per"]) == per
    )
    import math

    units = excess / per
    units = {"continuous": units, "each": D(math.ceil(units)), "floor": D(math.floor(units))}[step]
    if step != "continuous":
        assert int(m["n"]) == units
    assert (m["floor"] == "满") == (step == "floor")
    expect = max(D(0), it.weight - units * points)
    assert s == expect and _d(m["s"]) == expect.quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert _d(m["off"]) == min(units * points, it.weight).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def test_floor_step_counts_whole_steps_only():
    # 每满1个百分点扣0.5分: 2.99 points over → 2 steps → 1 point off
    s, basis = rule_deduct(D("102.99"), item(step="floor"))
    assert s == D(9) and "每满1个百分点扣0.50分，满2个，扣1.00分，得9.00分" in basis
    s, _ = rule_deduct(D("102.99"), item(step="each"))
    assert s == D("8.5")
    s, _ = rule_deduct(D("102.99"), item())
    assert s == D("8.505")


def test_issue_sentence_is_no_longer_garbled():
    """'三公经费变动率98.31%超过0.00%98.31%，每1.00%扣0.80分' from the issue."""
    s, basis = rule_deduct(D("98.31"), item(threshold=D(0), points=D("0.8"), weight=D(10)))
    assert (
        basis == "98.31%，超过0.00%，超出98.31个百分点，每1个百分点扣0.80分，扣10.00分（扣完为止），得0.00分"
    )
    s, basis = rule_deduct(D("99.27"), item(threshold=D(100), direction="below", points=D(1)))
    assert basis == "99.27%，低于100.00%，差0.73个百分点，每1个百分点扣1.00分，扣0.73分，得9.27分"


PROP = re.compile(
    rf"^(?P<v>{NUM})(?:%|[^\d，]*)，(?P<a>{NUM})(?:%|[^\d/]*)/(?P<b>{NUM})(?:%|[^\d×]*)×(?P<w>{NUM})分="
    rf"(?P<r>{NUM})分(?:，超过分值，按(?P<cap>{NUM})分计（封顶）|，低于0分，按0分计)?$"
)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(
    v=st.decimals(min_value=D("0.01"), max_value=D("300"), places=2),
    rule=st.sampled_from(["proportional", "inverse"]),
    unit=st.sampled_from(["%", "篇"]),
)
def test_ratio_bases_parse_back(v, rule, unit):
    it = item(rule=rule, target=D(100))
    s, basis = RULES[rule](v, it, unit)
    assert not GARBLED.search(basis), basis
    m = PROP.match(basis)
    assert m, basis
    a, b, w = _d(m["a"]), _d(m["b"]), _d(m["w"])
    assert (a * w / b).quantize(D("0.01"), rounding=ROUND_HALF_UP) == _d(m["r"])
    assert s == min(
        it.weight, max(D(0), it.weight * (v / it.target if rule == "proportional" else it.target / v))
    )


@pytest.mark.parametrize("v", ["-5", "0", "10", "10.01", "30", "1000"])
def test_bands_basis(v):
    bands = (Band("<=", D(0), None, D(100)), Band("<=", D(10), None, D(75)), Band("else", None, None, D(0)))
    s, basis = RULES["bands"](D(v), item(rule="bands", bands=bands), "%")
    assert not GARBLED.search(basis), basis
    m = re.match(rf"^(?P<v>{NUM})%，落在“(?:(?P<op>≤)(?P<b>{NUM})%|其他情况)”档，得(?P<s>{NUM})分$", basis)
    assert m, basis
    assert _d(m["s"]) == s.quantize(D("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize("v, t", [("5", "5"), ("4", "5"), ("0", "5"), ("6", "5")])
def test_equal_basis(v, t):
    s, basis = RULES["equal"](D(v), item(rule="equal", target=D(t)), "次")
    assert not GARBLED.search(basis), basis
    assert basis.startswith(f"{v}次，")


FW = """
id: t
name: 测试
total: 30
levels:
  - name: 产出
    children:
      - name: 履职
        items:
          - {id: k1, name: 开展培训, weight: 10, rule: kpi, kpis: [开展培训]}
          - {id: k2, name: 其他目标, weight: 10, rule: kpi, kpis: [发表论文, 服务企业]}
          - id: car
            name: 公务用车
            weight: 10
            rule: deduct
            source: three_public_control_rate
            threshold: 100
            points: 1
            if_not_computable: full
"""


def test_kpi_rows_by_name_and_weight_and_full_when_not_computable():
    fw = parse_framework(FW)
    d = Department(
        name="甲",
        year=2023,
        kpis=[
            KPI("开展培训", target=D(26), actual=D(12), unit="次"),
            KPI("发表论文", target=D(100), actual=D(50), unit="篇", weight=D(3)),
            KPI("服务企业", target=D(10), actual=D(10), unit="家", weight=D(1)),
        ],
    )
    from jixiao.indicators import DEFAULT_OPTIONS, compute_all

    sc = score(fw, compute_all(d, DEFAULT_OPTIONS), d)
    by = {i.id: i for i in sc.items}
    assert by["k1"].score == D("4.62")  # 12/26 = 0.4615… × 10
    assert "得分系数0.46" in by["k1"].basis and "12次" in by["k1"].basis
    assert by["k2"].score == D("6.25")  # (3×0.5 + 1×1)/4 × 10
    assert by["car"].score == D("10.00") and "无该项支出的得满分" in by["car"].basis


def test_kpi_named_row_missing_is_pending():
    fw = parse_framework(FW)
    d = Department(name="甲", year=2023, kpis=[KPI("发表论文", target=D(1), actual=D(1))])
    from jixiao.indicators import DEFAULT_OPTIONS, compute_all

    by = {i.id: i for i in score(fw, compute_all(d, DEFAULT_OPTIONS), d).items}
    assert by["k1"].status == "pending" and "开展培训" in by["k1"].basis


def test_mof_2013_budget_completion_row_scores_from_budget_completion_rate(example_path):
    from jixiao.evaluate import evaluate
    from jixiao.workbook import load

    fw = load_framework("mof-2013")
    it = next(i for i in fw.items if i.level3 == "预算完成率")
    assert it.source == "budget_completion_rate"
    res = load(example_path)
    ev = evaluate(res.department, framework=fw, issues=res.issues)
    row = next(i for i in ev.score.items if i.level3 == "预算完成率")
    ind = ev.indicators["budget_completion_rate"]
    if ind.computable:
        assert row.basis.startswith(f"预算完成率{ind.value}%")
    else:
        assert row.status == "pending" and ind.reason in row.basis


# ---------------------------------------------------------------- kpi and qualitative sentences, parsed back


def _kpi_fw(mode: str, kpis: str = "") -> object:
    extra = f", kpis: [{kpis}]" if kpis else ""
    return parse_framework(
        f"id: k\nname: k\ntotal: 10\nlevels:\n  - name: a\n    children:\n      - name: b\n"
        f"        items:\n          - {{id: k, name: 履职, weight: 10, rule: kpi, mode: {mode}{extra}}}\n"
    )


kpi_rows = st.lists(
    st.tuples(st.integers(1, 500), st.integers(0, 800), st.integers(1, 9)), min_size=1, max_size=5
)


@settings(derandomize=True, max_examples=120, deadline=None)
@given(rows=kpi_rows, mode=st.sampled_from(["average", "count", "weighted_sum"]))
def test_kpi_basis_parses_back(rows, mode):
    from jixiao.indicators import DEFAULT_OPTIONS, compute_all

    d = Department(
        name="x",
        year=2023,
        kpis=[
            KPI(f"目标{i}", target=D(t), actual=D(a), unit="次", weight=D(w))
            for i, (t, a, w) in enumerate(rows)
        ],
    )
    it = score(_kpi_fw(mode), compute_all(d, DEFAULT_OPTIONS), d).items[0]
    assert not GARBLED.search(it.basis), it.basis
    n, met = len(rows), sum(1 for t, a, _ in rows if a >= t)
    ratios = [min(D(a) / D(t), D(1)) for t, a, _ in rows]
    if mode == "count":
        m = re.fullmatch(rf"(\d+)项履职目标完成(\d+)项，(\d+)/(\d+)×10\.00分=({NUM})分", it.basis)
        assert m and int(m[1]) == n and int(m[2]) == met
        assert it.score == (D(10) * met / n).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    elif mode == "average":
        m = re.fullmatch(
            rf"(\d+)项履职目标按权重加权的完成程度({NUM})%（完成(\d+)项），×10\.00分=({NUM})分", it.basis
        )
        assert m and int(m[1]) == n and int(m[3]) == met
        wsum = sum(D(w) for _, _, w in rows)
        avg = sum(D(w) * r for (_, _, w), r in zip(rows, ratios, strict=True)) / wsum
        assert D(m[2]) == (avg * 100).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        assert it.score == (D(10) * avg).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    else:
        m = re.fullmatch(
            rf"(\d+)项履职目标（权重合计({NUM})分，完成(\d+)项）按 得分系数×权重 合计({NUM})分(，超过分值按分值计)?",
            it.basis,
        )
        assert m and int(m[1]) == n
        s = sum(D(w) * r for (_, _, w), r in zip(rows, ratios, strict=True))
        assert D(m[4]) == s.quantize(D("0.01"), rounding=ROUND_HALF_UP)
        assert it.score == min(s, D(10)).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        assert (m[5] is not None) == (s > 10)


@pytest.mark.parametrize("t, a", [("26", "12"), ("26", "26"), ("26", "40"), ("1", "0")])
def test_single_named_kpi_sentence(t, a):
    from jixiao.indicators import DEFAULT_OPTIONS, compute_all

    d = Department(name="x", year=2023, kpis=[KPI("开展培训", target=D(t), actual=D(a), unit="次")])
    it = score(_kpi_fw("average", "开展培训"), compute_all(d, DEFAULT_OPTIONS), d).items[0]
    m = re.fullmatch(
        rf"开展培训：目标值({NUM})次，完成值({NUM})次，得分系数({NUM})，×10\.00分=({NUM})分", it.basis
    )
    assert m, it.basis
    coef = min(D(a) / D(t), D(1))
    assert D(m[3]) == coef.quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert it.score == (coef * 10).quantize(D("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize("s, band", [("10", "好"), ("8", "好"), ("7.99", "中"), ("6", "中"), ("0", "差")])
def test_qualitative_sentence(s, band):
    from jixiao.indicators import DEFAULT_OPTIONS, compute_all
    from jixiao.model import ManualScore

    fw = parse_framework(
        "id: q\nname: q\ntotal: 10\nlevels:\n  - name: a\n    children:\n      - name: b\n"
        "        items:\n          - {id: q1, name: 社会效益, weight: 10, rule: qualitative}\n"
    )
    d = Department(name="x", year=2023, manual_scores=[ManualScore("社会效益", D(s), "群众反映良好")])
    it = score(fw, compute_all(d, DEFAULT_OPTIONS), d).items[0]
    m = re.fullmatch(r"评价档次“(.)”（分值的(\d+)%–(\d+)%）；群众反映良好", it.basis)
    assert m and m[1] == band and D(m[2]) * 10 / 100 <= D(s) <= D(m[3]) * 10 / 100
