"""Each claim extractor on sentences and tables written here (our own wording), with the
expected figures worked out by hand in the comments."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.audit import audit_document, audit_text
from jixiao.audit.document import DocumentBuilder
from jixiao.audit.numbers import find_numbers
from jixiao.audit.pipeline import PARAGRAPH_EXTRACTORS
from jixiao.audit.table_claims import TABLE_EXTRACTORS


def claims_of(*paragraphs: str, tables=()):
    b = DocumentBuilder("t")
    for p in paragraphs:
        b.paragraph(p)
    for t in tables:
        b.table(t)
    return audit_document(b.doc).claims


def one(claims, kind=None):
    cs = [c for c in claims if kind is None or c.kind == kind]
    assert len(cs) == 1, [(c.kind, c.stated, c.status) for c in claims]
    return cs[0]


def test_extractors_are_one_ordered_list():
    names = [n for n, _ in PARAGRAPH_EXTRACTORS]
    # formulas claim their figures first; the tagged relations next; relate again last, to
    # settle what the shape readers left unverifiable
    assert names[:3] == ["formula", "compare", "change"] and names[-2:] == ["relate", "direction"]
    assert {"parts", "budget_identity", "net_value", "rate"} <= set(names)
    assert {"row_identity", "pct_columns", "total_rows", "total_columns"} <= {n for n, _ in TABLE_EXTRACTORS}


# --- figures: what is and is not a number to check --------------------------------------------


def test_years_dates_document_numbers_and_titles_are_not_figures():
    text = "依据某财预〔2024〕12号文件，于2024年3月5日印发《2023-2025年科技发展规划》，第3批共5项。"
    kinds = [(n.text, n.kind) for n in find_numbers(text)]
    assert kinds == [("5", "count")]
    assert claims_of(text) == []


def test_amounts_rates_counts_and_units():
    nums = find_numbers("支出1,234.50万元，执行率-3.5%，在职45人，另计3.2亿元、800元。")
    assert [(n.value, n.kind, n.unit) for n in nums] == [
        (D("1234.50"), "amount", "万元"),
        (D("-3.5"), "rate", "%"),
        (D("45"), "count", "人"),
        (D("3.2"), "amount", "亿元"),
        (D("800"), "amount", "元"),
    ]
    assert nums[3].wan == D("32000")


# --- formulas -------------------------------------------------------------------------------


def test_formula_with_labels_inside():
    # 47 / 52 = 90.3846… → 90.38
    c = one(claims_of("人员控制率的计算：（实有人数47人/核定编制52人）×100%=90.38%。"))
    assert (c.kind, c.stated, c.computed, c.status) == ("formula", D("90.38"), D("90.38"), "ok")
    assert c.location == {"paragraph": 0}


def test_formula_result_stated_before_and_wrong():
    # (60.00 − 80.00) / 80.00 = −25.00%, the text says −20.00%
    c = one(
        claims_of(
            "本年经费变动率-20.00%，计算方法：〔（本年预算60.00万元－上年预算80.00万元）/上年预算80.00万元〕×100%。"
        )
    )
    assert (c.stated, c.computed, c.status) == (D("-20.00"), D("-25.00"), "mismatch")


def test_formula_plain_and_sum_equality():
    cs = claims_of("控制率为98.00%（49.00/50.00×100%=98.00%）。", "经费合计：12.30+4.56+0.14=17.00万元。")
    rate = [c for c in cs if c.unit == "%"]
    assert {c.status for c in rate} == {"ok"} and len(rate) == 2  # before the bracket and after '='
    s = one([c for c in cs if c.unit == "万元"])
    assert (s.computed, s.status) == (D("17.00"), "ok")


def test_formula_zero_divisor_is_unverifiable():
    c = one(claims_of("变动率计算：（5.00/0.00）×100%=0.00%。"))
    assert c.status == "unverifiable" and "0" in c.reason


def test_formula_score_product():
    # 92.33% / 100% × 8 分 = 7.3864 → 7.39 分
    c = one(claims_of("评分：执行率92.33%/100.00%×8.00分=7.39分。"))
    assert (c.computed, c.status) == (D("7.39"), "ok")


# --- change sentences -----------------------------------------------------------------------


def test_change_amount_and_rate_in_one_sentence():
    # 520.00 − 400.00 = 120.00; 120 / 400 = 30.00%
    cs = claims_of("本年支出总额520.00万元，较上年400.00万元增加120.00万元，增长率为30.00%。")
    amt, rate = one(cs, "change"), one(cs, "change_rate")
    assert (amt.computed, amt.status) == (D("120.00"), "ok")
    assert (rate.computed, rate.status) == (D("30.00"), "ok")


def test_change_decrease_magnitudes_and_a_wrong_rate():
    # 300 − 500 = −200 (减少200.00 ✓); −200/500 = −40.00% stated as 下降45.00%
    cs = claims_of("项目支出300.00万元，比上年500.00万元减少200.00万元，下降幅度为45.00%。")
    assert one(cs, "change").status == "ok"
    r = one(cs, "change_rate")
    assert (r.stated, r.computed, r.status) == (D("45.00"), D("40.00"), "mismatch")


def test_change_current_value_from_an_earlier_sentence():
    # current 2,100.00 is the actual (not the 1,900.00 budget): 2,100 − 2,000 = 100.00
    cs = claims_of(
        "本年基本支出预算安排1,900.00万元，实际支出2,100.00万元。基本支出较上年决算（2,000.00万元）增加100.00万元。"
    )
    c = one(cs, "change")
    assert (c.computed, c.status) == (D("100.00"), "ok")


def test_saving_against_budget_from_previous_sentences():
    cs = claims_of(
        "公务经费预算金额为30.00万元。全年实际发生公务经费12.50万元。公务经费较预算节约17.50万元。"
    )
    c = one(cs, "saving")
    assert (c.computed, c.status) == (D("17.50"), "ok")


def test_change_without_prior_is_unverifiable_never_a_mismatch():
    cs = claims_of("研发投入5.20亿元，较上年增长12.00%。", "办公经费较上年压减3.00万元。")
    assert [c.status for c in cs] == ["unverifiable", "unverifiable"]


def test_change_to_a_level_is_not_a_claim():
    assert claims_of("奖励资金由上年的268.00万元减少至本年的2.00万元。") == []


def test_change_rate_over_zero_prior_is_a_mismatch():
    # issue 10.4: a growth rate stated on a zero base is wrong, whether the base is stated
    # or follows from the level and the change (0.40 − 0.40 = 0)
    c = one(claims_of("无形资产50.00万元，较上年0.00万元增加50.00万元，增长率100.00%。"), "change_rate")
    assert (c.status, c.computed) == ("mismatch", None) and "为0" in c.reason
    c = one(claims_of("公务接待费0.40万元，比上年增加0.40万元，增长100%。"), "change_rate")
    assert (c.status, c.computed) == ("mismatch", None) and "为0" in c.reason
    assert (
        one(claims_of("公务接待费0.00万元，比上年增加0.00万元，增长0%。"), "change_rate").status
        == "unverifiable"
    )


# --- parts and totals -----------------------------------------------------------------------


def test_parts_list_ok_and_mismatch():
    ok = one(claims_of("基本支出900.00万元，其中：人员经费700.00万元，公用经费150.00万元，其他50.00万元。"))
    assert (ok.kind, ok.computed, ok.status) == ("parts", D("900.00"), "ok")
    bad = one(claims_of("基本支出900.00万元，其中：人员经费700.00万元、公用经费150.00万元、其他40.00万元。"))
    assert (bad.computed, bad.status) == (D("890.00"), "mismatch")


def test_parts_rounding_within_one_cent():
    c = one(claims_of("资产合计为100.01万元，其中：设备60.00万元，家具40.00万元。"))
    assert c.status == "rounding"


def test_count_parts_are_exact():
    c = one(claims_of("核定编制30名，其中：行政编制20名，工勤编制3名，雇员8名。"))
    assert (c.kind, c.computed, c.status) == ("count_parts", D("31"), "mismatch")


def test_nested_list_and_continuation_in_next_sentence():
    cs = claims_of(
        "项目支出1,000.00万元，其中：部门项目100.00万元，包括会议费60.00万元，培训费40.00万元。"
        "公共项目900.00万元，用于专项补助。"
    )
    outer = [c for c in cs if c.stated == D("1000.00")][0]
    inner = [c for c in cs if c.stated == D("100.00")][0]
    assert (outer.status, inner.status) == ("ok", "ok")


def test_list_ends_at_a_narrative_clause():
    # the list is 6.00 + 4.00; the later 25.00 and 25.00 are not parts
    c = one(
        claims_of(
            "采购预算10.00万元，其中货物6.00万元，服务4.00万元，年中另行调整了采购计划，全年采购预算25.00万元，"
            "实际采购25.00万元。"
        ),
        "parts",
    )
    assert (c.computed, c.status) == (D("10.00"), "ok")


def test_net_value_is_preferred_over_original_value():
    c = one(
        claims_of(
            "资产总额为150.00万元，较上年增长了。其中：固定资产原值200.00万元，净值100.00万元；"
            "无形资产30.00万元；预付账款20.00万元。"
        ),
        "parts",
    )
    assert (c.computed, c.status) == (D("150.00"), "ok")


def test_partial_list_ending_with_deng_is_unverifiable():
    c = one(claims_of("专项支出500.00万元，其中：设备100.00万元、软件200.00万元等。"))
    assert c.status == "unverifiable"


def test_yishang_gongji():
    c = one(claims_of("购置电脑等计3.40万元；购置桌椅计1.60万元，以上新增资产共计5.00万元。"))
    assert (c.computed, c.status) == (D("5.00"), "ok")


# --- identities in prose ----------------------------------------------------------------------


def test_budget_identity_up_and_down():
    up = one(claims_of("年初预算批复数100.00万元，年中追加20.00万元，全年预算数120.00万元。"))
    down = one(claims_of("年初预算批复数100.00万元，预算调减20.00万元，全年预算数80.00万元。"))
    assert (up.status, down.status) == ("ok", "ok")


def test_budget_identity_missing_minus_sign_is_a_mismatch_with_a_hint():
    c = one(claims_of("年初预算批复数100.00万元，预算调整20.00万元，全年预算数80.00万元。"))
    assert (c.computed, c.status) == (D("120.00"), "mismatch")
    assert "调减" in c.reason


def test_net_value_identity():
    c = one(claims_of("年末固定资产原值80.00万元，累计折旧30.00万元，净值50.00万元。"), "net_value")
    assert c.status == "ok"


# --- rates beside their inputs ----------------------------------------------------------------


def test_execution_rate_with_exclusions():
    # 450 / (600 − 50 − 50) = 90.00%
    c = one(
        claims_of(
            "全年预算数600.00万元，预算执行数450.00万元，剔除未下达资金50.00万元以及收回资金50.00万元，"
            "预算执行率为90.00%。"
        )
    )
    assert (c.kind, c.computed, c.status) == ("rate", D("90.00"), "ok")


def test_adjustment_rate_and_a_zero_base():
    c = one(claims_of("年初预算批复数400.00万元，预算调整额50.00万元，预算调整率为12.50%。"))
    assert (c.computed, c.status) == (D("12.50"), "ok")
    z = one(claims_of("下达资金0.00万元，实际支出5.00万元，执行率100.00%。"))
    assert z.status == "unverifiable"


def test_rate_printed_without_decimals_gets_half_a_point():
    # 105 / 200 = 52.5% → "52%" and "53%" both within ±0.5; "51%" is not
    ok = one(claims_of("下达资金200.00万元，实际支出105.00万元，执行率53%。"))
    bad = one(claims_of("下达资金200.00万元，实际支出105.00万元，执行率51%。"))
    assert ok.status in ("ok", "rounding") and bad.status == "mismatch"


def test_targets_and_thresholds_are_not_claims():
    assert claims_of("年度目标：资金执行率不低于90%，满意度达到95%以上。") == []


def test_rate_without_inputs_is_unverifiable():
    c = one(claims_of("全年资金到位率100%。"))
    assert c.status == "unverifiable"


# --- tables ---------------------------------------------------------------------------------


def test_table_identities_totals_and_rates():
    rows = [
        ["序号", "项目", "年初预算", "预算调整", "全年预算", "决算数", "差额", "执行率"],
        ["1", "甲", "100.00", "-10.00", "90.00", "45.00", "45.00", "50.00%"],
        ["2", "乙", "50.00", "", "50.00", "50.00", "0.00", "100.00%"],
        ["合计", "合计", "150.00", "-10.00", "140.00", "95.00", "45.00", "67.86%"],
    ]
    cs = claims_of(tables=[rows])
    assert cs and all(c.status == "ok" for c in cs), [
        (c.text, c.status, c.computed) for c in cs if c.status != "ok"
    ]
    kinds = {c.kind for c in cs}
    assert kinds == {"table_identity", "table_total", "table_rate"}
    # the 序号 column is never summed; the 合计 row is checked for all five amount columns
    totals = [c for c in cs if c.kind == "table_total"]
    assert sorted(c.location["column"] for c in totals) == [2, 3, 4, 5, 6]
    assert all(c.location["row"] == 3 and c.location["table"] == 0 for c in totals)


def test_table_total_mismatch_located():
    rows = [["项目", "金额"], ["甲", "1.00"], ["乙", "2.00"], ["合计", "4.00"]]
    c = one(claims_of(tables=[rows]))
    assert (c.location, c.computed, c.status) == ({"table": 0, "row": 3, "column": 1}, D("3.00"), "mismatch")


def test_table_total_first_and_total_column():
    rows = [
        ["项目", "合计", "基本支出", "项目支出"],
        ["合计", "30.00", "12.00", "18.00"],
        ["甲", "10.00", "4.00", "6.00"],
        ["乙", "20.00", "8.00", "12.00"],
    ]
    cs = claims_of(tables=[rows])
    assert len(cs) == 6 and all(c.status == "ok" for c in cs)  # 3 row totals + 3 column totals


def test_table_change_rate_from_year_columns_and_zero_base():
    rows = [
        ["项目", "2022年决算数", "2023年预算数", "2023年决算数", "与上年决算相比变动比例"],
        ["车辆", "4.00", "9.00", "5.00", "25.00%"],
        ["出国", "0.00", "3.00", "1.00", "100.00%"],
    ]
    cs = claims_of(tables=[rows])
    assert [(c.stated, c.status) for c in cs] == [(D("25.00"), "ok"), (D("100.00"), "unverifiable")]


def test_table_share_and_satisfaction_columns():
    share = [
        ["项目", "金额", "占比"],
        ["甲", "30.00", "30.00%"],
        ["乙", "70.00", "70.00%"],
        ["合计", "100.00", "100.00%"],
    ]
    sat = [["问卷数", "满意数", "满意度"], ["80", "76", "95.00%"]]
    cs = claims_of(tables=[share, sat])
    assert all(c.status == "ok" for c in cs) and len(cs) == 4


def test_document_numbers_column_is_not_numeric():
    rows = [
        ["项目", "金额", "指标文号"],
        ["甲", "1.00", "某财指〔2023〕16号"],
        ["乙", "2.00", "某财指〔2023〕9号"],
        ["合计", "3.00", ""],
    ]
    cs = claims_of(tables=[rows])
    assert [(c.location["column"], c.status) for c in cs] == [(1, "ok")]


def test_form_row_under_its_own_headings():
    rows = [
        ["项目名称", "示例", "示例", "示例"],
        ["年初预算数", "全年预算数", "全年执行数", "执行率"],
        ["100.00", "200.00", "150.00", "75.00%"],
        ["指标", "目标", "完成", "得分"],
    ]
    c = one(claims_of(tables=[rows]))
    assert (c.location, c.status) == ({"table": 0, "row": 2, "column": 3}, "ok")


# --- locations, traditional characters, full-width digits --------------------------------------


def test_paragraph_and_table_numbering_are_separate():
    b = DocumentBuilder("t")
    b.paragraph("标题")
    b.table([["项目", "金额"], ["甲", "1.00"], ["乙", "2.00"], ["合计", "3.00"]])
    b.paragraph("基本支出3.00万元，其中：甲1.00万元，乙2.00万元。")
    b.table([["项目", "金额"], ["甲", "1.00"], ["乙", "1.00"], ["合计", "3.00"]])
    cs = audit_document(b.doc).claims
    assert [c.location for c in cs] == [
        {"table": 0, "row": 3, "column": 1},
        {"paragraph": 1},
        {"table": 1, "row": 3, "column": 1},
    ]
    assert [c.status for c in cs] == ["ok", "ok", "mismatch"]


def test_traditional_and_fullwidth_text_reads_as_simplified():
    r = audit_text(
        "資產總額為３００．００萬元，較上年２００．００萬元增長１００．００萬元，增長率５０．００％。\n"
    )
    assert [(c.kind, c.status) for c in r.claims] == [("change", "ok"), ("change_rate", "ok")]


# --- invariants -----------------------------------------------------------------------------

cents = st.integers(min_value=1, max_value=10_000_000).map(lambda n: D(n) / 100)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(cents, min_size=2, max_size=8),
    st.integers(min_value=0, max_value=7),
    st.integers(min_value=2, max_value=500),
)
def test_parts_sum_ok_and_any_slip_over_a_cent_is_a_mismatch(parts, which, slip):
    total = sum(parts, D(0))
    names = "甲乙丙丁戊己庚辛"

    def text(tot):
        items = "，".join(
            f"{'其他' if i == len(parts) - 1 else names[i] + '项'}{p:,.2f}万元" for i, p in enumerate(parts)
        )
        return f"支出合计{tot:,.2f}万元，其中：{items}。"  # ends with 其他: reads complete

    assert one(claims_of(text(total))).status == "ok"
    bad = total + D(slip) / 100 * (1 if which % 2 else -1)
    c = one(claims_of(text(bad)))
    assert c.status == "mismatch" and c.computed == total
    # without "共N项" a list short of its total may omit a part: unverifiable; one that exceeds
    # its total is a mismatch whatever the header
    c = one(claims_of(text(bad).replace("其他", names[len(parts) - 1] + "项")))
    if bad > total:
        assert c.status == "unverifiable" and c.reason == "分项之和小于总数，可能未列全"
    else:
        assert c.status == "mismatch" and c.computed == total


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(cents, cents), min_size=2, max_size=6))
def test_table_rows_in_any_order_give_the_same_statuses(pairs):
    head = ["项目", "全年预算", "决算数", "差额"]
    body = [[f"项{i}", f"{a + b:.2f}", f"{a:.2f}", f"{b:.2f}"] for i, (a, b) in enumerate(pairs)]
    tot = ["合计", *(f"{sum((D(r[k]) for r in body), D(0)):.2f}" for k in (1, 2, 3))]
    fwd = claims_of(tables=[[head, *body, tot]])
    rev = claims_of(tables=[[head, *reversed(body), tot]])
    assert all(c.status == "ok" for c in fwd)
    assert sorted(c.status for c in fwd) == sorted(c.status for c in rev)
    assert len(fwd) == len(body) + 1 + 3


def test_share_of_a_named_whole_stated_before():
    # 80.00 / 88.00 = 90.909… → 90.91%
    cs = claims_of(
        "本年采购支出总额88.00万元。授予小微企业合同金额80.00万元，占采购支出总额的90.91%。"
        "另有投入5.00亿元，占全社会投入的10.79%。"
    )
    rates = [c for c in cs if c.kind == "rate"]
    assert [(c.stated, c.status) for c in rates] == [(D("90.91"), "ok"), (D("10.79"), "unverifiable")]


def test_accumulated_depreciation_is_not_a_total_of_what_precedes():
    assert claims_of("固定资产原值300.00万元，净值200.00万元，累计折旧100.00万元。") == []


def test_rate_over_budget_with_additions_and_carry_over():
    # 125 / (10 + 100 + 20) = 96.15%; 110 / (100 + 20) = 91.67%; a wrong 93.67% stays a mismatch
    cs = claims_of(
        "上年结转10.00万元，年初预算100.00万元，本年追加20.00万元，年末结余5.00万元，实际支出125.00万元，"
        "预算完成率96.15%。",
        "年初预算100.00万元，年中追加20.00万元，实际支出110.00万元，执行率91.67%。",
        "年初预算100.00万元，年中追加20.00万元，实际支出110.00万元，执行率93.67%。",
    )
    assert [c.status for c in cs] == ["ok", "ok", "mismatch"]


def test_hierarchical_tables_add_up_their_top_level_rows():
    codes = [
        ["科目编码", "科目名称", "2022", "2023"],
        ["201", "一般公共服务", "10.00", "12.00"],
        ["20101", "人大事务", "6.00", "7.00"],
        ["20102", "政协事务", "4.00", "5.00"],
        ["208", "社会保障", "3.00", "4.00"],
        ["合计", "合计", "13.00", "16.00"],
    ]
    sub = [
        ["项目", "金额"],
        ["基本支出", "10.00"],
        ["其中：人员经费", "6.00"],
        ["项目支出", "5.00"],
        ["合计", "15.00"],
    ]
    cs = claims_of(tables=[codes, sub])
    # the 类 201 is checked against its 款 (6 + 4, 7 + 5), the 合计 against the 类 only
    assert [(c.location["table"], c.location["row"], c.status) for c in cs] == [
        (0, 1, "ok"),
        (0, 1, "ok"),
        (0, 5, "ok"),
        (0, 5, "ok"),
        (1, 4, "ok"),
    ]


def test_change_sentence_opening_with_the_comparison():
    # (123,456.78 − 126,456.78) = −3,000.00 元; −3,000 / 126,456.78 = −2.37%
    cs = claims_of(
        "经费支出决算为123,456.78元，其中：接待费23,456.78元，运行维护费100,000.00元。"
        "较上年的126,456.78元减少3,000.00元，下降2.37%。"
    )
    assert [(c.kind, c.status) for c in cs] == [("parts", "ok"), ("change", "ok"), ("change_rate", "ok")]


def test_shares_of_the_parts_of_a_list():
    # 800 / 1,000 = 80.00% ✓; 200 / 1,000 = 20.00%, stated 25.00%
    cs = claims_of(
        "本年支出1,000.00万元，其中：基本支出800.00万元（占80.00%），项目支出200.00万元（占25.00%）。"
    )
    assert [(c.kind, c.stated, c.status) for c in cs] == [
        ("parts", D("1000.00"), "ok"),
        ("rate", D("80.00"), "ok"),
        ("rate", D("25.00"), "mismatch"),
    ]


def test_table_year_columns_with_difference_and_rate():
    rows = [
        ["项目", "本年数", "上年数", "增减额", "增减率"],
        ["基本支出", "110.00", "100.00", "10.00", "10.00%"],
        ["项目支出", "45.00", "50.00", "-5.00", "-10.00%"],
        ["合计", "155.00", "150.00", "5.00", "3.33%"],
    ]
    cs = claims_of(tables=[rows])
    assert len(cs) == 9 and all(c.status == "ok" for c in cs)
    assert {c.kind for c in cs} == {"table_identity", "table_change_rate", "table_total"}


_TOKENS = [
    "1",
    "23",
    "4.56",
    "7,890.12",
    "0",
    "0.00",
    "-3.5",
    "2023年",
    "万元",
    "元",
    "亿元",
    "%",
    "名",
    "人",
    "其中：",
    "包括",
    "以上",
    "共计",
    "合计",
    "较上年",
    "比上年",
    "与上年对比",
    "较预算",
    "增加",
    "减少",
    "增长",
    "下降",
    "节约",
    "至",
    "率",
    "执行率",
    "调整率",
    "占",
    "的",
    "年初",
    "调整",
    "全年",
    "预算",
    "实际支出",
    "原值",
    "累计折旧",
    "净值",
    "剔除",
    "具体计算：",
    "（",
    "）",
    "〔",
    "〕",
    "/",
    "×",
    "×100%",
    "=",
    "－",
    "+",
    "，",
    "。",
    "；",
    "、",
    "《",
    "》",
    "\t",
    "\n",
    "\n\n",
    "等",
    "满意度",
    "问卷",
    "甲",
    "乙",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=80))
def test_any_text_is_audited_without_crashing(tokens):
    r = audit_text("".join(tokens))
    for c in r.claims:
        assert c.status in ("ok", "rounding", "mismatch", "unverifiable")
        assert ("paragraph" in c.location) != ("table" in c.location)
        d = c.to_dict()
        assert d["stated"] is None or isinstance(d["stated"], str)


_CELLS = [
    "",
    "1",
    "2",
    "3.00",
    "-1.50",
    "0.00",
    "12.5%",
    "0%",
    "合计",
    "小计",
    "序号",
    "项目",
    "年初预算",
    "调整",
    "全年预算",
    "决算数",
    "差额",
    "执行率",
    "占比",
    "2022年决算",
    "2023年决算",
    "变动比例",
    "满意度",
    "问卷数",
    "满意数",
    "科目编码",
    "201",
    "20101",
    "其中：甲",
    "指标文号",
    "某财〔2023〕1号",
]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda w: st.lists(st.lists(st.sampled_from(_CELLS), min_size=w, max_size=w), min_size=1, max_size=8)
    )
)
def test_any_table_is_audited_without_crashing(rows):
    b = DocumentBuilder("t")
    b.table(rows)
    for c in audit_document(b.doc).claims:
        assert c.location["table"] == 0 and 0 <= c.location["row"] < len(rows)
        assert 0 <= c.location["column"] < len(rows[0])


def test_amount_tolerance_is_a_cent_even_with_more_decimals():
    # 1.2345 + 2.0000 = 3.2345; stated 3.2400 is within 0.01 万元 → rounding; 3.2500 is not
    assert one(claims_of("合计3.2400万元，其中：甲1.2345万元，乙2.0000万元。")).status == "rounding"
    assert one(claims_of("合计3.2500万元，其中：甲1.2345万元，其他2.0000万元。")).status == "mismatch"


def test_change_with_last_years_figure_before_the_comparison():
    cs = claims_of("本年支出500.00万元，上年同期为400.00万元，同比增长25.00%。")
    assert [(c.kind, c.computed, c.status) for c in cs] == [("change_rate", D("25.00"), "ok")]


def test_a_generic_subject_is_not_looked_up_elsewhere():
    # "支出" alone could be any 支出 of the report: unverifiable rather than a guess
    c = one(claims_of("本年收入500.00万元，实际支出480.00万元。支出较上年400.00万元增加90.00万元。"))
    assert c.status == "unverifiable"


def test_no_import_cycle_among_the_stages():
    # each stage module imports only earlier stages: context/tag never import an extractor
    import ast
    from pathlib import Path

    import jixiao.audit as A

    base = Path(A.__file__).parent
    imports = {}
    for name in ("context", "tag", "relate", "text_claims", "parts", "rates", "numbers", "recompute"):
        tree = ast.parse((base / f"{name}.py").read_text(encoding="utf-8"))
        imports[name] = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 1}
    extractors = {"relate", "text_claims", "parts", "rates"}
    for name in extractors:
        assert not (imports[name] & (extractors - {name})), (name, imports[name])
    assert not (imports["context"] | imports["tag"]) & extractors


def test_the_direction_a_sentence_states_against_its_figures():
    # 135.25 < 135.90: "小于" is right, "大于" / "等于" are not; "基本持平" is not judged
    base = "信息化建设年初预算为135.90万元，支出决算为135.25万元。决算数{}预算数的主要原因：项目结余。"
    got = [
        [(c.kind, c.status) for c in claims_of(base.format(w)) if c.kind == "direction"]
        for w in ("小于", "大于", "等于")
    ]
    assert got == [[("direction", "ok")], [("direction", "mismatch")], [("direction", "mismatch")]]
    bad = one([c for c in claims_of(base.format("大于")) if c.kind == "direction"])
    assert "135.25" in bad.reason and "135.90" in bad.reason
    assert [
        c
        for c in claims_of("年初预算为135.90万元，支出决算为135.25万元。决算数与预算数基本持平。")
        if c.kind == "direction"
    ] == []


def test_inserted_pinyin_is_read_past():
    from jixiao.audit.document import normalize_text

    assert normalize_text("“三公”經(jīng)費預(yù)算為100萬元") == "“三公”经费预算为100万元"
    assert (
        normalize_text("（一）政府采购(PPP)项目(de)") == "（一）政府采购(PPP)项目(de)"
    )  # no tone mark: kept


def test_a_comparison_names_its_subject_stated_sentences_before():
    # 同口径比2018年: the level of 公务接待费 is in the list two sentences before: 38 / (478 + 38) = 7.36%
    cs = claims_of(
        "2019年“三公”经费预算为3,328万元。其中，因公出国（境）费50万元，公务接待费478万元，"
        "公务用车购置及运行费2,800万元。公务接待费同口径比2018年减少38万元，下降7.4%。"
    )
    assert one(cs, "change_rate").status == "ok"
    # the sentence after a list, without a subject of its own, is not read against the list's last item
    cs = claims_of(
        "其中，因公出国（境）费50万元，公务用车购置及运行费2,800万元。同口径比2018年减少830万元，下降20%。"
    )
    assert one(cs, "change_rate").status == "unverifiable"


def test_a_list_opening_a_paragraph_hangs_under_the_paragraph_before():
    # 1,088 + 3,559 = 4,647, stated as 4.647万元 (a unit slip); the claim is at the total
    cs = claims_of(
        "2.公务用车购置及运行维护支出4.647万元，比上年增长58.65%。",
        "其中：公务用车购置支出1,088万元，比上年增长97.1%；公务用车运行维护支出3,559万元，比上年增长49.73%。",
    )
    c = one(cs, "parts")
    assert (c.status, c.location["paragraph"], c.computed) == ("mismatch", 0, D("4647.000"))
    ok = claims_of(
        "2.公务用车购置及运行维护支出4,647万元。",
        "其中：公务用车购置支出1,088万元；公务用车运行维护支出3,559万元。",
    )
    assert one(ok, "parts").status == "ok"


@pytest.mark.parametrize(
    "text",
    [
        # 本年…预算X，上年…预算Y；对比减少Z；减少率R — semicolons, 对比 with no marker of its own
        "本年一般公共预算财政拨款“三公”经费预算12.50万元，上年一般公共预算财政拨款“三公”经费预算15.00万元；"
        "对比减少2.50万元；减少率16.67%。",
        # commas, 与…预算相比, 下降幅度, figures and units apart as a PDF's text gives them
        "2024年“三公”经费预算数为 12.50 万元，2023 年预算为 15.00 万元，与 2023 年预算相比减少 2.50 万元，下降幅度 16.67%。",
        # 同比 and 降幅, full-width digits
        "公务用车运行维护费本年预算１２．５０万元，上年预算１５．００万元，同比减少２．５０万元，降幅１６．６７％。",
    ],
)
def test_real_comparison_shapes_with_every_input_in_the_sentence(text):
    # 12.50 − 15.00 = −2.50; 2.50 / 15.00 = 16.67%
    got = {(c.kind, str(c.stated)): c.status for c in claims_of(text)}
    assert got == {("change", "2.50"): "ok", ("change_rate", "16.67"): "ok"}
    slipped = {
        (c.kind, str(c.stated)): c.status
        for c in claims_of(text.replace("16.67", "17.67").replace("１６．６７", "１７．６７"))
    }
    assert slipped[("change_rate", "17.67")] == "mismatch"


def test_completion_with_the_budget_inside_the_phrase():
    # 完成全年预算84.82万元的73.2%: 62.07 / 84.82 = 73.18%; 比上年增加38.97万元，增长168.7%: 38.97 / 23.10
    got = {
        (c.kind, str(c.stated)): c.status
        for c in claims_of(
            "“三公”经费财政拨款支出决算为62.07万元，完成全年预算84.82万元的73.2%，比上年决算数增加38.97万元，增长168.7%。"
        )
    }
    assert got[("rate", "73.2")] == "ok" and got[("change_rate", "168.7")] == "ok"


def test_a_share_whose_whole_is_inside_the_phrase():
    # 136 / 143 = 95.10%; 80.00 / 88.00 = 90.91%
    assert one(claims_of("年末实际在职人员为136人，占编委核定的编制数143人的比率为95.10%。")).status == "ok"
    assert (
        one(claims_of("年末实际在职人员为136人，占编委核定的编制数143人的比率为96.10%。")).status
        == "mismatch"
    )
    assert one(claims_of("合同金额80.00万元，占政府采购支出总额88.00万元的90.91%。")).status == "ok"


def test_a_ratio_written_without_times_100_gives_per_cent():
    # (63.46 − 32) ÷ 32 = 0.9831 = 98.31%
    assert one(claims_of("三公经费变动率=(63.46-32)÷32=98.31%。")).status == "ok"
    assert one(claims_of("三公经费变动率=(63.46-32)÷32=97.31%。")).status == "mismatch"


def test_a_project_name_opening_with_digits_is_no_subject_code():
    """'000p0' and '00000p1' are project names, not a 类 and its 款 (a code never starts with 0 or
    runs on into a Latin letter): neither row is a total of the other (found by hypothesis)."""
    b = DocumentBuilder("t")
    b.table(
        [
            ["序号", "预算项目", "年初预算数", "预算追加及调整数", "全年预算数"],
            ["1", "000p0", "0.00", "0.02", "0.02"],
            ["2", "00000p1", "0.00", "0.00", "0.00"],
            ["合计", "合计", "0.00", "0.02", "0.02"],
        ]
    )
    res = audit_document(b.doc)
    assert not res.mismatches
    totals = [c for c in res.claims if c.kind == "table_total" and c.status == "ok"]
    assert {c.location["row"] for c in totals} == {3}  # only the 合计 row sums the projects
