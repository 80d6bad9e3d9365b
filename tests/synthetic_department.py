"""A second, synthetic department with small round figures, so that every indicator, score and
finding can be computed by hand (the expected values in the tests are worked out in comments)."""

from __future__ import annotations

from decimal import Decimal as D

from jixiao.model import (
    KPI,
    AssetLine,
    Assets,
    BudgetLine,
    Department,
    ManualScore,
    PerfIndicator,
    Procurement,
    Project,
    PublicFunds,
    Satisfaction,
    Spending,
    Staffing,
    ThreePublic,
    ThreePublicItem,
    Undertaking,
)

#: evaluator's 定性评分 by item id; ids shared by both shipped frameworks get a score that fits both 分值
MANUAL = {
    # six-dimension
    "asset_fund_management": "3.5",
    "disclosure": "3",
    "management_rules": "3",
    "social_benefit": "4",
    "economic_benefit": "3.5",
    "long_term_mechanism": "4",
    "capacity_building": "3.5",
    # mof-2013
    "goal_reasonable": "3",
    "indicator_clear": "3.5",
    "key_spending": "4",
    "payment_progress": "2",
    "budget_rules": "2",
    "fund_compliance": "3",
    "basic_info": "2",
    "asset_rules": "1.5",
    "asset_safety": "2",
    "fixed_asset_use": "2",
    "timeliness": "4",
    "quality": "3.5",
    "key_tasks": "4",
    "ecological_benefit": "3",
}


def synthetic_department(*, manual: bool = True) -> Department:
    pi = PerfIndicator
    perf = [
        # 农技推广: 产出 50 shared by 4 rows without 分值 → 12.5 each
        pi("农技推广", "产出指标", "数量指标", "培训农民人次", "≥", D("1000"), "人次", D("900")),
        pi("农技推广", "产出指标", "质量指标", "培训合格率", "≥", D("95"), "%", D("98")),
        pi("农技推广", "产出指标", "时效指标", "完成时间", "=", "2024年12月", "", "2024年12月"),
        pi("农技推广", "产出指标", "成本指标", "人均培训成本", "≤", D("1000"), "元", D("1250")),
        pi("农技推广", "效益指标", "社会效益指标", "带动农民增收", "定性", "明显", "", "明显", score=D("25")),
        pi("农技推广", "满意度指标", "服务对象满意度指标", "受训农民满意度", "≥", D("90"), "%", D("95")),
        # 农村改厕: one row not applicable (dropped, the rest rescaled), 效益 not scored, no 满意度 row
        pi("农村改厕", "产出指标", "数量指标", "改厕户数", "≥", D("500"), "户", D("500"), weight=D("30")),
        pi("农村改厕", "产出指标", "时效指标", "完工时间", "不适用", None, "", None, weight=D("20")),
        pi(
            "农村改厕", "效益指标", "社会效益指标", "人居环境改善", "定性", "改善", "", "改善", weight=D("30")
        ),
    ]
    return Department(
        name="示例县农业农村局",
        year=2024,
        staffing=Staffing(authorized={"行政编制": 18, "事业编制": 2}, in_service=20, other_employees=1),
        spending=Spending(
            basic=BudgetLine("基本支出", D("650"), D("0"), D("650"), D("625"), D("600")),
            dept_projects=BudgetLine("部门项目支出", D("200"), D("0"), D("200"), D("170"), D("150")),
            public_projects=BudgetLine("公共项目支出", D("150"), D("150"), D("300"), D("240"), D("350")),
            projects=BudgetLine("项目支出", D("350"), D("150"), D("500"), D("410"), D("500")),
            total=BudgetLine("整体支出", D("1000"), D("150"), D("1150"), D("1035"), D("1100")),
            carry_over_begin=D("50"),
            carry_over_end=D("40"),
            prior_carry_over_end=D("60"),
        ),
        three_public=ThreePublic(
            items=[
                ThreePublicItem("公务用车购置及运行费", D("10"), D("8"), D("9"), D("9.9")),
                ThreePublicItem("因公出国（境）费", D("0"), D("0"), D("0"), D("0")),
                ThreePublicItem("公务接待费", D("5"), D("4"), D("4.5"), D("2.1")),
            ]
        ),
        public_funds=PublicFunds(budget=D("50"), actual=D("52"), prior_actual=D("48")),
        dept_projects=[
            Project("农技推广", "department", D("120"), D("0"), D("120"), D("110")),
            Project("农村改厕", "department", D("80"), D("0"), D("80"), D("60")),
        ],
        public_projects=[
            Project("高标准农田", "public", D("100"), D("170"), D("270"), D("240")),
            Project("种业振兴", "public", D("50"), D("-20"), D("30"), D("0")),
        ],
        undertakings=[Undertaking("高标准农田", "某镇人民政府", D("100"), D("90"))],
        perf_indicators=perf,
        procurement=Procurement(full_year_total=D("80"), actual_total=D("60")),
        assets=Assets(
            lines=[
                AssetLine("资产总额", prior_end=D("400"), end=D("440")),
                AssetLine("固定资产原值", prior_end=D("300"), end=D("320")),
                AssetLine("累计折旧", end=D("120")),
            ]
        ),
        kpis=[
            KPI("培训新型职业农民", D("100"), D("120"), "人"),
            KPI("新建高标准农田", D("10"), D("8"), "万亩"),
            KPI("农药使用量", D("5"), D("4"), "吨", nature="≤"),
        ],
        satisfaction=Satisfaction(surveyed=200, satisfied=170),
        manual_scores=[ManualScore(k, D(v)) for k, v in MANUAL.items()] if manual else [],
    )
