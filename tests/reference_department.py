"""The reference report's department (长沙市科学技术局 2023) built by hand as a model.Department.

Every figure comes from the published report (../shared/reference); nothing is invented: where
the report gives no figure the field stays None. It is the golden input of the evaluate tests
and a cross-check for the workbook reader (the example workbook must load to the same figures).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from jixiao.model import (
    KPI,
    AssetLine,
    Assets,
    BudgetLine,
    Department,
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

UNALLOCATED = "未分配未支出"
RECALLED = "财政统一收回"

#: 公共项目: 名称, 年初, 调整, 全年, 实际分配, 剔除金额, 剔除原因
PUBLIC = [
    ("高新技术企业认定奖励", "19550.00", "1570.00", "21120.00", "21120.00", None, ""),
    ("科技重大专项", "8500.00", "-1620.00", "6880.00", "4701.80", None, ""),
    ("重点研发专项", "2515.00", None, "2515.00", "2515.00", None, ""),
    ("新型研发机构", "2300.00", "8500.00", "10800.00", "10800.00", None, ""),
    (
        "长沙市技术创新平台后补助资金（含新一代人工智能开放创新平台）",
        "1500.00",
        None,
        "1500.00",
        "0.00",
        "1500.00",
        UNALLOCATED,
    ),
    ("科技创业平台支持", "600.00", None, "600.00", "314.00", None, ""),
    ("专业科普场馆建设与运营补贴", "300.00", None, "300.00", "0.00", "300.00", UNALLOCATED),
    ("长沙市产业技术创新战略联盟支持资金", "400.00", None, "400.00", "393.00", None, ""),
    ("自然科学基金项目", "3200.00", None, "3200.00", "3200.00", None, ""),
    ("成果转化服务体系建设", "3700.00", None, "3700.00", "2055.00", None, ""),
    ("国家级科技奖励配套", "135.00", None, "135.00", "0.00", "135.00", UNALLOCATED),
    ("科技创新创业领军人才项目", "800.00", None, "800.00", "509.00", None, ""),
    ("海外专家引智项目", "250.00", None, "250.00", "240.00", None, ""),
    ("科技特派员", "1050.00", "50.00", "1100.00", "1100.00", None, ""),
    ("杰出创新青年培养计划（滚动支持）", "500.00", None, "500.00", "480.00", None, ""),
    ("科技型企业知识价值信用贷款风险补偿资金", "2000.00", None, "2000.00", "0.00", "2000.00", UNALLOCATED),
    ("科技成果转化子基金1", "10000.00", None, "10000.00", "1920.00", "8080.00", RECALLED),
    ("科技成果转化子基金2", "5000.00", None, "5000.00", "0.00", "5000.00", UNALLOCATED),
    ("省级以上科技平台配套（2018-2020年）", "1500.00", None, "1500.00", "0.00", "1500.00", UNALLOCATED),
    ("指令性计划", "1200.00", None, "1200.00", "1200.00", None, ""),
]

#: 部门项目: 名称, 年初, 调整, 全年, 决算
DEPT = [
    ("对外科技合作与交流", "60.00", "0.00", "60.00", "18.84"),
    ("国际人才交流会经费", "38.00", "0.00", "38.00", "37.90"),
    ("技术市场", "33.00", "-3.16", "29.84", "19.37"),
    ("科技顾问", "17.20", "0.00", "17.20", "14.87"),
    ("科技宣传", "48.00", "-12.04", "35.96", "33.38"),
    ("科普工作及全国科技活动周", "95.00", "-4.28", "90.72", "90.20"),
    ("全国科技进步示范城市及创新型城市试点", "60.00", "0.00", "60.00", "54.74"),
    ("市校合作", "25.00", "0.00", "25.00", "11.21"),
    ("制造业信息化", "20.00", "0.00", "20.00", "15.43"),
    ("安全生产和消防工作考核奖励", "0.00", "3.00", "3.00", "2.47"),
]


def _d(x):
    return None if x is None else D(x)


def reference_department() -> Department:
    """A fresh Department (mutable: tests may change it freely)."""
    public = [
        Project(
            name=n,
            kind="public",
            initial=_d(a),
            adjustment=_d(b),
            full_year=_d(c),
            actual=_d(e),
            excluded=_d(x),
            exclusion_reason=r,
        )
        for n, a, b, c, e, x, r in PUBLIC
    ]
    dept = [
        Project(name=n, kind="department", initial=_d(a), adjustment=_d(b), full_year=_d(c), actual=_d(e))
        for n, a, b, c, e in DEPT
    ]
    spending = Spending(
        basic_parts=[
            BudgetLine("工资福利支出", actual=D("1547.34")),
            BudgetLine("商品和服务支出", actual=D("147.41")),
            BudgetLine("对个人和家庭的补助", actual=D("337.97")),
        ],
        basic=BudgetLine("基本支出", D("1889.77"), D("16.48"), D("1906.25"), D("2032.72"), D("1969.68")),
        dept_projects=BudgetLine("部门项目支出", D("396.20"), D("-16.48"), D("379.72"), D("298.41")),
        public_projects=BudgetLine("公共项目支出", D("65000.00"), D("8500.00"), D("73500.00"), D("50547.80")),
        projects=BudgetLine("项目支出", actual=D("50846.21"), prior_actual=D("75761.69")),
        total=BudgetLine("整体支出", D("67285.97"), D("8500.00"), D("75785.97"), D("52878.93")),
        gov_fund=D("0"),
        state_capital=D("0"),
        social_insurance=D("0"),
    )
    three = ThreePublic(
        items=[
            ThreePublicItem(
                "公务用车购置及运行费", prior_actual=D("5.97"), budget=D("10.84"), actual=D("7.88")
            ),
            ThreePublicItem("因公出国（境）费", prior_actual=D("0.00"), budget=D("42.00"), actual=D("4.70")),
            ThreePublicItem("公务接待费", prior_actual=D("0.78"), budget=D("5.00"), actual=D("1.29")),
        ],
        total_stated=ThreePublicItem(
            "合计", prior_budget=D("74.00"), prior_actual=D("6.75"), budget=D("57.84"), actual=D("13.87")
        ),
    )
    assets = Assets(
        lines=[
            AssetLine("资产总额", prior_end=D("194.00"), end=D("998.12")),
            AssetLine(
                "固定资产原值", prior_end=D("281.86"), added=D("11.63"), reduced=D("46.49"), end=D("247.00")
            ),
            AssetLine("累计折旧", end=D("134.21")),
            AssetLine("固定资产净值", prior_end=D("132.72"), end=D("112.79")),
            AssetLine("无形资产", prior_end=D("0.00"), end=D("811.63")),
            AssetLine("其他应收款", prior_end=D("60.00"), end=D("72.63")),
            AssetLine("预付账款", prior_end=D("1.28"), end=D("1.06")),
        ]
    )
    kpis = [  # the report states achievements but no targets: 实际完成率 is not computable
        KPI("新增省级以上科技研发平台", actual=D("408"), unit="家"),
        KPI("签约和落地研发中心项目", actual=D("140"), unit="个"),
        KPI("新获批国家级创新平台", actual=D("11"), unit="个"),
        KPI("攻克关键核心技术", actual=D("52"), unit="项"),
        KPI("高新技术企业数量", actual=D("7800"), unit="家"),
    ]
    return Department(
        name="长沙市科学技术局",
        year=2023,
        supervisor="长沙市科学技术局",
        budget_disclosed=date(2023, 2, 3),
        final_disclosed=date(2023, 10, 30),
        prior_report_disclosed=date(2023, 6, 19),
        staffing=Staffing(
            authorized={"行政编制": 57, "工勤编制": 3, "雇员员额": 8},
            in_service=52,
            other_employees=7,
            retired=38,
        ),
        spending=spending,
        three_public=three,
        public_funds=PublicFunds(budget=D("148.15"), actual=D("147.41"), prior_actual=D("149.27")),
        dept_projects=dept,
        public_projects=public,
        undertakings=[
            Undertaking(
                project="国家超级计算长沙中心升级建设项目",
                unit="湖南大学",
                allocated=D("8000.00"),
                spent=D("375.81"),
            )
        ],
        procurement=Procurement(
            initial_by_category={"货物": D("17.65"), "服务": D("22.00")},
            initial_total=D("39.65"),
            full_year_total=D("412.31"),
            actual_total=D("412.31"),
        ),
        assets=assets,
        kpis=kpis,
        satisfaction=Satisfaction(surveyed=80, satisfied=80),
    )
