"""The sentence shapes most common in published 绩效自评 reports and 部门决算/三公 disclosures,
written here in our own wording with our own figures (each worked out by hand in a comment),
once with the right figures and once with a slip: the right ones come out ok, the slipped ones
mismatch at the slipped figure, and nothing that only restates a figure becomes a mismatch."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao.audit import audit_document
from jixiao.audit.document import DocumentBuilder


def audit(*paragraphs: str):
    b = DocumentBuilder("t")
    for p in paragraphs:
        b.paragraph(p)
    return audit_document(b.doc).claims


def verdicts(*paragraphs: str):
    return [(c.kind, c.stated, c.status) for c in audit(*paragraphs)]


# --- 1. change with the current value and the change amount: the rate is derived ------------


@pytest.mark.parametrize(
    "text, rate",
    [
        # prior = 8.40 + 2.10 = 10.50; 2.10 / 10.50 = 20.00%
        ("公务接待费8.40万元，较上年减少2.10万元，下降20.00%。", "20.00"),
        # prior = 240.00 − 40.00 = 200.00; 40 / 200 = 20.00%
        ("机关运行经费支出240.00万元，比上年增加40.00万元，增长20.00%。", "20.00"),
        # prior = 63.00 + 7.00 = 70.00; 7 / 70 = 10.00%
        ("印刷费63.00万元，与上年相比，减少7.00万元，降幅10.00%。", "10.00"),
        # prior = 33.00 − 3.00 = 30.00; 3 / 30 = 10.0%
        ("差旅费支出33.00万元，同比上升3.00万元，增幅10.0%。", "10.0"),
        # prior = 17.50 + 7.50 = 25.00; 7.5 / 25 = 30.00%
        ("会议费17.50万元，较2023年降低7.50万元，减少30.00%。", "30.00"),
        # prior = 128.00 − 28.00 = 100.00; 28%
        ("维修费支出128.00万元，较上年决算增加28.00万元，增长28.00%。", "28.00"),
        # counts: prior = 36 + 4 = 40; 4 / 40 = 10.00%
        ("在职人员36人，较上年减少4人，下降10.00%。", "10.00"),
    ],
)
def test_rate_from_current_and_change(text, rate):
    cs = audit(text)
    assert [(c.kind, c.status) for c in cs] == [("change", "unverifiable"), ("change_rate", "ok")]
    assert cs[0].reason.startswith("上年数未给出")  # the amount only restates
    assert cs[1].computed == D(rate)
    # a slip in the rate is a mismatch at the rate
    slipped = text.replace(rate + "%", str(D(rate) + D("1.11")) + "%")
    c = audit(slipped)[1]
    assert c.status == "mismatch" and c.computed == D(rate)


def test_rate_from_current_and_change_rounding_and_slipped_amount():
    # 1.00 / 6.00 = 16.666…% → 16.67 ok; 16.66 is within the last digit → rounding
    assert audit("公务接待费5.00万元，较上年减少1.00万元，下降16.67%。")[1].status == "ok"
    assert audit("公务接待费5.00万元，较上年减少1.00万元，下降16.66%。")[1].status == "rounding"
    # the change amount slipped (1.50 for 1.00): 1.5 / 6.5 = 23.08% ≠ 16.67 → the rate disagrees
    c = audit("公务接待费5.00万元，较上年减少1.50万元，下降16.67%。")[1]
    assert c.status == "mismatch" and c.computed == D("23.08")


def test_change_inside_a_list_of_an_earlier_total():
    # 300 = 270 + 30 → 11.11%; 200 = 250 − 50 → 20.00%; the list 300 + 200 = 500
    cs = audit(
        "本年支出合计500.00万元，其中：基本支出300.00万元，与上年相比增加30.00万元，增长11.11%；"
        "项目支出200.00万元，同比减少50.00万元，降幅20.00%。"
    )
    assert [(c.kind, c.stated, c.status) for c in cs if c.status != "unverifiable"] == [
        ("parts", D("500.00"), "ok"),
        ("change_rate", D("11.11"), "ok"),
        ("change_rate", D("20.00"), "ok"),
    ]


def test_increase_with_a_rate_written_as_a_fall_is_a_contradiction():
    c = audit("机关运行经费支出240.00万元，比上年增加40.00万元，下降20.00%。")[1]
    assert c.status == "mismatch" and c.computed == D("-20.00")
    assert "增减方向矛盾" in c.reason
    # the same when last year's figure is stated
    c = audit("办公费110.00万元，比上年100.00万元增加10.00万元，下降10.00%。")[1]
    assert c.status == "mismatch" and "增减方向矛盾" in c.reason


def test_derivation_needs_the_level_figure_right_before_the_comparison():
    # a figure in brackets is a detail, not the base: the level before the brackets is
    # (20 / (200 − 20) = 11.11%; 50 − 20 = 30 would give 66.67%)
    cs = audit("项目支出200.00万元（其中专项50.00万元），较上年增加20.00万元，增长11.11%。")
    assert [(c.kind, c.status) for c in cs if c.kind == "change_rate"] == [("change_rate", "ok")]
    cs = audit("项目支出200.00万元（其中专项50.00万元），较上年增加20.00万元，增长66.67%。")
    assert [(c.kind, c.status) for c in cs if c.kind == "change_rate"] == [("change_rate", "mismatch")]
    # a share or a rate of something else is not taken as the base
    assert all(
        c.status == "unverifiable" for c in audit("项目支出200.00万元，较上年增加20.00万元，占比上升2.00%。")
    )
    # a share between the level and the comparison is fine: 720 = 800 − 80 → 11.11%
    cs = audit("财政拨款支出800.00万元，占本年支出合计的80.00%，与上年相比增加80.00万元，增长11.11%。")
    assert [(c.kind, c.status) for c in cs][-1] == ("change_rate", "ok")


# --- 2. shares of a total stated before ------------------------------------------------------


def test_shares_of_the_total_a_list_hangs_under():
    # 900 / 1000 = 90%; 100 / 1000 = 10%
    ok = "本年收入合计1,000.00万元，其中：财政拨款收入900.00万元，占总收入的90.00%；其他收入100.00万元，占比10.00%。"
    assert verdicts(ok) == [
        ("parts", D("1000.00"), "ok"),
        ("rate", D("90.00"), "ok"),
        ("rate", D("10.00"), "ok"),
    ]
    bad = ok.replace("90.00%", "91.00%")
    assert [c.status for c in audit(bad)] == ["ok", "mismatch", "ok"]
    # 600 / 1000 = 60%, 400 / 1000 = 40%
    ok2 = (
        "本年支出合计1,000.00万元，其中：基本支出600.00万元，占本年支出合计的60.00%；"
        "项目支出400.00万元，所占比重40.00%。"
    )
    assert [c.status for c in audit(ok2)] == ["ok", "ok", "ok"]
    assert [c.status for c in audit(ok2.replace("40.00%", "45.00%"))] == ["ok", "ok", "mismatch"]


def test_share_of_a_total_stated_in_the_previous_sentence():
    # 800 / 1,000 = 80%
    cs = audit("本年支出合计1,000.00万元。其中财政拨款支出800.00万元，占本年支出合计的80.00%。")
    assert [(c.kind, c.status, c.computed) for c in cs] == [("rate", "ok", D("80.00"))]
    assert (
        audit("本年支出合计1,000.00万元。其中财政拨款支出800.00万元，占本年支出合计的82.00%。")[0].status
        == "mismatch"
    )


def test_share_of_another_whole_is_not_taken_from_the_list():
    # "占一般公共预算支出的" names another whole: never computed over the list's total
    cs = audit(
        "本年支出合计1,000.00万元，其中：基本支出600.00万元，占一般公共预算支出的75.00%；项目支出400.00万元。"
    )
    assert [c.status for c in cs] == ["ok", "unverifiable"]


# --- 3. 部门决算公开 shapes -------------------------------------------------------------------


def test_totals_with_carry_over():
    # 1,000 + 50 + 150 = 1,200; 1,000 + 20 + 180 = 1,200
    assert verdicts(
        "收入总计1,200.00万元，其中：本年收入合计1,000.00万元，使用非财政拨款结余50.00万元，"
        "年初结转和结余150.00万元。"
    ) == [("parts", D("1200.00"), "ok")]
    assert verdicts(
        "支出总计1,200.00万元，其中：本年支出合计1,000.00万元，结余分配20.00万元，年末结转和结余180.00万元。"
    ) == [("parts", D("1200.00"), "ok")]
    # the standard partition named in full: short of the total is a mismatch
    assert verdicts(
        "支出总计1,250.00万元，其中：本年支出合计1,000.00万元，结余分配20.00万元，年末结转和结余180.00万元。"
    ) == [("parts", D("1250.00"), "mismatch")]


def test_completion_of_the_budget():
    # 45 / 50 = 90%
    assert verdicts("年初预算为50.00万元，支出决算为45.00万元，完成年初预算的90.00%。") == [
        ("rate", D("90.00"), "ok")
    ]
    assert verdicts("年初预算为50.00万元，支出决算为45.00万元，完成年初预算的92.00%。") == [
        ("rate", D("92.00"), "mismatch")
    ]
    # the budget from actual + saving: 20 / (20 + 5) = 80%; the saving itself only restates
    assert verdicts("“三公”经费财政拨款支出决算为20.00万元，完成预算的80.00%，比预算减少5.00万元。") == [
        ("rate", D("80.00"), "ok"),
        ("saving", D("5.00"), "unverifiable"),
    ]
    assert (
        verdicts("“三公”经费财政拨款支出决算为20.00万元，完成预算的75.00%，比预算减少5.00万元。")[0][2]
        == "mismatch"
    )
    # overrun: 12 / (12 − 2) = 120%
    assert verdicts("会议费决算为12.00万元，完成预算的120.00%，比预算超支2.00万元。") == [
        ("rate", D("120.00"), "ok")
    ]
    # budget and 决算 both stated: 20 / 25 = 80%, 25 − 20 = 5 saved
    assert verdicts("“三公”经费预算25.00万元，决算20.00万元，完成预算的80.00%，比预算节约5.00万元。") == [
        ("rate", D("80.00"), "ok"),
        ("saving", D("5.00"), "ok"),
    ]
    assert (
        verdicts("“三公”经费预算25.00万元，决算20.00万元，完成预算的80.00%，比预算节约6.00万元。")[1][2]
        == "mismatch"
    )
    # no budget anywhere: unverifiable, never a guess
    assert verdicts("公务用车运行维护费决算数为8.00万元，完成预算的80.00%。")[0][2] == "unverifiable"
    # "决算数小于预算数的主要原因" carries no figure: no claim
    assert audit("决算数小于预算数的主要原因是严格控制公务接待。") == []


def test_staff_counts():
    # 45 + 2 + 13 = 60
    assert verdicts("年末实有人数60人，其中：在职人员45人，离休人员2人，退休人员13人。") == [
        ("count_parts", D(60), "ok")
    ]
    # all three named and short: mismatch; over: mismatch
    assert verdicts("年末实有人数61人，其中：在职人员45人，离休人员2人，退休人员13人。")[0][2] == "mismatch"
    assert verdicts("年末实有人数59人，其中：在职人员45人，退休人员13人，离休人员2人。")[0][2] == "mismatch"
    # 离休 left out (perhaps 0, perhaps omitted): a shortfall is not a mismatch
    c = audit("年末实有人数60人，其中：在职人员45人，退休人员13人。")[0]
    assert c.status == "unverifiable" and c.reason == "分项之和小于总数，可能未列全"
    assert audit("年末实有人数58人，其中：在职人员45人，退休人员13人。")[0].status == "ok"


GOV_PROC = (
    "政府采购支出总额300.00万元，其中：政府采购货物支出100.00万元、政府采购工程支出150.00万元、"
    "政府采购服务支出50.00万元。授予中小企业合同金额240.00万元，占政府采购支出总额的80.00%，"
    "其中：授予小微企业合同金额120.00万元，占政府采购支出总额的40.00%。"
)


def test_government_procurement_with_a_subset():
    # 100 + 150 + 50 = 300; 240 / 300 = 80%; 120 / 300 = 40% (小微 is a subset of 中小, not a part sum)
    assert verdicts(GOV_PROC) == [
        ("parts", D("300.00"), "ok"),
        ("rate", D("80.00"), "ok"),
        ("rate", D("40.00"), "ok"),
    ]
    assert [c.status for c in audit(GOV_PROC.replace("40.00%", "42.00%"))] == ["ok", "ok", "mismatch"]
    # 货物/工程/服务 named in full: a shortfall is a mismatch
    assert audit(GOV_PROC.replace("300.00万元，其中", "310.00万元，其中"))[0].status == "mismatch"
    # two subsets listed together never add up to their whole
    assert (
        audit(
            "政府采购合同金额300.00万元，其中：授予中小企业合同金额240.00万元，"
            "授予小微企业合同金额120.00万元。"
        )
        == []
    )


def test_three_public_expenses():
    # 0 + 15 + 5 = 20
    ok = "“三公”经费支出20.00万元，其中：因公出国（境）费0.00万元，公务用车购置及运行维护费15.00万元，公务接待费5.00万元。"
    assert verdicts(ok) == [("parts", D("20.00"), "ok")]
    assert verdicts(ok.replace("20.00万元，其中", "21.00万元，其中"))[0][2] == "mismatch"


# --- 4. lists short of their total ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, status",
    [
        ("支出合计100.00万元，其中：办公费30.00万元，印刷费20.00万元。", "unverifiable"),  # may omit items
        ("支出合计100.00万元，其中：办公费70.00万元，印刷费40.00万元。", "mismatch"),  # exceeds: always
        (
            "支出合计100.00万元，其中：基本支出60.00万元，项目支出30.00万元。",
            "mismatch",
        ),  # complete partition
        ("支出合计100.00万元，其中：人员经费60.00万元，公用经费30.00万元。", "mismatch"),
        (
            "收入合计100.00万元，其中：财政拨款收入60.00万元，其他收入30.00万元。",
            "mismatch",
        ),  # ends with 其他
        (
            "资金共3项，合计100.00万元，其中：甲30.00万元，乙20.00万元，丙40.00万元。",
            "mismatch",
        ),  # 共3项, 3 items
        ("资金共4项，合计100.00万元，其中：甲30.00万元，乙20.00万元，丙40.00万元。", "unverifiable"),
        ("有3个项目未分配，预算100.00万元，其中：甲30.00万元、乙20.00万元、丙40.00万元。", "mismatch"),
        ("有4个项目未分配，预算100.00万元，其中：甲30.00万元、乙20.00万元、丙40.00万元。", "unverifiable"),
    ],
)
def test_short_lists(text, status):
    assert audit(text)[0].status == status


def test_rate_clause_between_level_and_comparison_and_share_of_budget():
    # a clause holding only a rate may sit between the level and 较上年: 45 − 5 = 40 → 12.50%
    cs = audit("支出决算数为45.00万元，完成预算的90%，较上年增加5.00万元，增长12.50%。")
    assert [(c.kind, c.status) for c in cs][-1] == ("change_rate", "ok")
    assert (
        audit("支出决算数为45.00万元，完成预算的90%，较上年增加5.00万元，增长11.50%。")[-1].status
        == "mismatch"
    )
    # "为年初预算的": 9 / 10 = 90%
    assert verdicts("公务接待费年初预算10.00万元，决算数为9.00万元，为年初预算的90.00%。") == [
        ("rate", D("90.00"), "ok")
    ]
    # below the budget, with the rate derived from 决算 and the gap: −2 / (18 + 2) = −10%
    assert verdicts("“三公”经费决算数为18.00万元，比年初预算减少2.00万元，下降10.00%。") == [
        ("saving", D("2.00"), "unverifiable"),
        ("saving", D("10.00"), "ok"),
    ]


def test_direction_words_that_name_both_ways_do_not_flip_the_sign():
    # "增减幅度" names no direction: the amount's "增加" decides; 10 / 100 = 10.00%
    assert [c.status for c in audit("支出110.00万元，比上年100.00万元增加10.00万元，增减幅度为10.00%。")] == [
        "ok",
        "ok",
    ]
    assert [c.status for c in audit("支出110.00万元，比上年增加10.00万元，增减率为10.00%。")] == [
        "unverifiable",
        "ok",
    ]


def test_saving_against_the_budget_it_names():
    # 25 − 20 = 5 against 年初; 30 − 20 = 10 against the last budget stated
    assert verdicts(
        "会议费年初预算25.00万元，调整后预算30.00万元，决算20.00万元，比年初预算节约5.00万元。"
    ) == [("saving", D("5.00"), "ok")]
    assert verdicts("会议费年初预算25.00万元，调整后预算30.00万元，决算20.00万元，比预算节约10.00万元。") == [
        ("saving", D("10.00"), "ok")
    ]
    assert verdicts(
        "会议费年初预算25.00万元，调整后预算30.00万元，决算20.00万元，比年初预算节约6.00万元。"
    ) == [("saving", D("6.00"), "mismatch")]


def test_a_list_after_a_comparison_hangs_under_the_level_figure():
    # 45 + 3 + 12 = 60 (not the change of 2); 600 + 400 = 1,000
    assert verdicts("年末实有人数60人，比上年减少2人，其中：在职人员45人，离休人员3人，退休人员12人。")[
        0
    ] == ("count_parts", D(60), "ok")
    cs = audit(
        "本年支出合计1,000.00万元，比上年增加100.00万元，增长11.11%，其中：基本支出600.00万元，"
        "项目支出400.00万元。"
    )
    assert [(c.kind, c.status) for c in cs] == [
        ("parts", "ok"),
        ("change", "unverifiable"),
        ("change_rate", "ok"),
    ]
    c = audit(
        "本年支出合计1,000.00万元，比上年增加100.00万元，其中：基本支出600.00万元，项目支出300.00万元。"
    )[0]
    assert (c.kind, c.status, c.computed) == ("parts", "mismatch", D("900.00"))
