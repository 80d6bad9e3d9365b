"""The workbook's sheets, columns and fixed rows — defined once.

The template writer, the reader/parser and the example builder all use these definitions, so
a header renamed here is renamed everywhere. Sheets and columns are found by their (normalised)
Chinese text, never by position: a user may add a title row, reorder columns or add columns.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Cell kinds -----------------------------------------------------------------------------
TEXT = "text"  # short text
LONGTEXT = "longtext"  # narrative text
AMOUNT = "amount"  # money, ≥ 0 (万元 or 元 as declared in 基本信息)
SIGNED = "signed"  # money that may be negative (预算调整)
COUNT = "count"  # whole number ≥ 0 (人数, 问卷数)
DATE = "date"
YEAR = "year"
UNIT = "unit"  # 金额单位: 万元 | 元
NATURE = "nature"  # 指标性质: ≥ ≤ = 定性
VALUE = "value"  # a number, or text for 定性 indicators
SCORE = "score"  # a score (≥ 0, may have decimals)

MONEY_KINDS = (AMOUNT, SIGNED)

#: 指标性质 accepted in 项目绩效指标 and 履职目标
NATURES = ("≥", "≤", "=", "定性")
MONEY_UNITS = ("万元", "元")

#: sheet kinds
KV = "kv"  # key/value: 项目 | 内容 (基本信息)
LABELED = "labeled"  # fixed row labels in the first column, amounts across (支出总表 …)
TABLE = "table"  # one record per row (部门项目 …)


@dataclass(frozen=True)
class Column:
    name: str  # canonical header text, without unit
    field: str  # internal name (model attribute where there is one)
    kind: str = TEXT
    unit: str = ""  # shown in brackets in the header: 万元, 人 …
    required: bool = False
    aliases: tuple[str, ...] = ()
    width: int = 14
    note: str = ""  # explanation for 填表说明

    @property
    def header(self) -> str:
        return f"{self.name}（{self.unit}）" if self.unit else self.name

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Row:
    """A fixed row of a LABELED or KV sheet, found by its label in the first column."""

    label: str
    field: str
    kind: str = ""  # KV sheets: the value's kind; LABELED sheets: '' (columns decide)
    required: bool = False
    aliases: tuple[str, ...] = ()
    single: bool = False  # LABELED: a single-value row (only the 决算 column applies)
    note: str = ""

    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class Sheet:
    name: str
    key: str
    kind: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...] = ()
    required: bool = True
    note: str = ""
    #: LABELED sheets: whether unlisted row labels are accepted (e.g. extra 经济分类 rows)
    open_rows: bool = False

    def column(self, field: str) -> Column:
        for c in self.columns:
            if c.field == field:
                return c
        raise KeyError(field)

    def row(self, field: str) -> Row:
        for r in self.rows:
            if r.field == field:
                return r
        raise KeyError(field)


def _amt(
    name: str,
    field: str,
    *,
    required: bool = False,
    aliases: tuple[str, ...] = (),
    signed: bool = False,
    note: str = "",
    width: int = 14,
) -> Column:
    return Column(name, field, SIGNED if signed else AMOUNT, "万元", required, aliases, width, note)


INSTRUCTIONS = "填表说明"

BASIC_INFO = Sheet(
    "基本信息",
    "info",
    KV,
    columns=(
        Column("项目", "label", required=True, width=26),
        Column("内容", "value", required=True, width=60),
    ),
    rows=(
        Row("单位名称", "name", TEXT, required=True, note="部门（单位）全称"),
        Row("年度", "year", YEAR, required=True, note="评价年度，如 2023"),
        Row("金额单位", "money_unit", UNIT, note="万元 或 元；填 元 时所有金额自动换算为万元"),
        Row("主管部门", "supervisor", TEXT),
        Row("预算公开日期", "budget_disclosed", DATE, note="本年度部门预算公开日期"),
        Row("决算公开日期", "final_disclosed", DATE, note="上年度部门决算公开日期"),
        Row("上年绩效自评报告公开日期", "prior_report_disclosed", DATE),
        Row("评价通知文号", "notice_no", TEXT, note="财政部门开展本次自评的通知文号，如 某财绩〔2024〕2号"),
        Row("主要职能", "主要职能", LONGTEXT),
        Row("机构设置", "机构设置", LONGTEXT),
        Row("人员情况说明", "人员情况说明", LONGTEXT),
        Row("重点工作", "重点工作", LONGTEXT),
        Row("绩效情况", "绩效情况", LONGTEXT),
        Row("存在问题", "存在问题", LONGTEXT),
        Row("改进措施", "改进措施", LONGTEXT),
        Row("结果应用", "结果应用", LONGTEXT),
        Row("其他说明", "其他说明", LONGTEXT),
    ),
    note="每行一项：左列为项目（已预填），右列填写内容；文字段落可留空。",
)
NARRATIVE_KEYS = tuple(r.field for r in BASIC_INFO.rows if r.kind == LONGTEXT)

STAFFING = Sheet(
    "人员编制",
    "staffing",
    LABELED,
    columns=(
        Column("项目", "label", required=True, width=22),
        Column("人数", "count", COUNT, "人", required=True, width=12),
    ),
    rows=(
        Row("行政编制", "行政编制"),
        Row("事业编制", "事业编制"),
        Row("工勤编制", "工勤编制"),
        Row("雇员员额", "雇员员额"),
        Row("编制数合计", "authorized_total", aliases=("编制合计", "编制数"), note="可不填；填写时校验"),
        Row("实有在职人数", "in_service", required=True, aliases=("在职人数",)),
        Row("其他雇员", "other_employees"),
        Row("离退休人数", "retired", aliases=("离退休人员",)),
    ),
    open_rows=True,
    note="名称以“编制”或“员额”结尾的新增行视为另一类编制。在职人员数 = 实有在职人数 + 其他雇员。",
)

_BUDGET_COLS = (
    Column("项目", "label", required=True, width=24),
    _amt("年初预算", "initial", required=True, aliases=("年初预算数",)),
    _amt(
        "预算调整",
        "adjustment",
        signed=True,
        aliases=("预算调整数", "预算追加及调整数", "调整数"),
        note="追加为正、调减为负",
    ),
    _amt("全年预算", "full_year", required=True, aliases=("全年预算数",)),
    _amt("决算", "actual", required=True, aliases=("决算数", "实际支出")),
    _amt("上年决算", "prior_actual", aliases=("上年决算数",)),
)

SPENDING = Sheet(
    "支出总表",
    "spending",
    LABELED,
    columns=(*_BUDGET_COLS, Column("说明", "note", width=30)),
    rows=(
        Row("工资福利支出", "basic_part"),
        Row("商品和服务支出", "basic_part"),
        Row("对个人和家庭的补助", "basic_part", aliases=("对个人和家庭的补助支出",)),
        Row("资本性支出", "basic_part"),
        Row("基本支出合计", "basic", required=True, aliases=("基本支出",)),
        Row("部门项目支出", "dept_projects", required=True, aliases=("部门项目",)),
        Row("公共项目支出", "public_projects", required=True, aliases=("公共项目",)),
        Row("项目支出合计", "projects", aliases=("项目支出",)),
        Row("整体支出合计", "total", required=True, aliases=("整体支出", "支出合计", "合计")),
        Row("政府性基金预算支出", "gov_fund", single=True),
        Row("国有资本经营预算支出", "state_capital", single=True),
        Row("社会保险基金预算支出", "social_insurance", single=True),
        Row("上年结转", "carry_over_begin", single=True, aliases=("上年结转资金",)),
        Row("年末结转结余", "carry_over_end", single=True, aliases=("年末结转和结余",)),
        Row("上年末结转结余", "prior_carry_over_end", single=True),
    ),
    open_rows=True,
    note="基本支出按经济分类分行填写（可在“基本支出合计”之上插入其他经济分类行）；"
    "政府性基金、国有资本经营、社会保险基金预算支出及结转结余只填“决算”列，没有的填 0。",
)

THREE_PUBLIC = Sheet(
    "三公经费",
    "three_public",
    LABELED,
    columns=(
        Column("项目", "label", required=True, width=24),
        _amt("上年预算", "prior_budget"),
        _amt("上年决算", "prior_actual"),
        _amt("本年预算", "budget", required=True),
        _amt("本年决算", "actual", required=True),
        Column("变动原因", "reason", width=36),
    ),
    rows=(
        Row(
            "公务用车购置及运行费",
            "公务用车购置及运行费",
            aliases=("公务用车购置及运行经费", "公务用车购置及运行维护费"),
        ),
        Row(
            "公务用车购置费",
            "detail:公务用车购置及运行费",
            aliases=("公务用车购置",),
            note="其中行：公务用车购置及运行费的明细",
        ),
        Row(
            "公务用车运行维护费",
            "detail:公务用车购置及运行费",
            aliases=("公务用车运行费", "公务用车运行维护经费", "公务用车运行维护"),
            note="其中行：公务用车购置及运行费的明细",
        ),
        Row("因公出国（境）费", "因公出国（境）费", aliases=("因公出国（境）经费", "因公出国费")),
        Row("公务接待费", "公务接待费"),
        Row("国内公务接待费", "detail:公务接待费", aliases=("国内接待费",), note="其中行：公务接待费的明细"),
        Row(
            "外事接待费",
            "detail:公务接待费",
            aliases=("国（境）外公务接待费", "外宾接待费"),
            note="其中行：公务接待费的明细",
        ),
        Row("合计", "total", note="可只填合计（分项不详时按合计使用）"),
    ),
    note="“合计”行可不填；分项不详时（如只知道上年预算总数）可只填合计。“其中”行（公务用车购置费、"
    "公务用车运行维护费、国内公务接待费、外事接待费）可不填；填写时各明细之和不超过上级项目，明细填全时等于上级项目。",
)

#: 公用经费的“其中”行: the usual lines of 商品和服务支出 (经济分类 302xx) that make up 公用经费
PUBLIC_FUNDS_LINES = (
    ("办公费", ()),
    ("印刷费", ()),
    ("咨询费", ()),
    ("手续费", ()),
    ("水费", ()),
    ("电费", ()),
    ("水电费", ()),
    ("邮电费", ()),
    ("取暖费", ()),
    ("物业管理费", ()),
    ("差旅费", ()),
    ("因公出国（境）费用", ("因公出国（境）费",)),
    ("维修（护）费", ("维修费", "维护费")),
    ("租赁费", ()),
    ("会议费", ()),
    ("培训费", ()),
    ("公务接待费", ()),
    ("专用材料费", ()),
    ("劳务费", ()),
    ("委托业务费", ()),
    ("工会经费", ()),
    ("福利费", ()),
    ("公务用车运行维护费", ()),
    ("其他交通费用", ()),
    ("税金及附加费用", ()),
    ("其他商品和服务支出", ("其他",)),
)
#: a 公用经费 line whose presence says the lines are complete (they must then add up to 公用经费)
PUBLIC_FUNDS_REST = "其他商品和服务支出"

PUBLIC_FUNDS = Sheet(
    "公用经费",
    "public_funds",
    LABELED,
    columns=(
        Column("项目", "label", required=True, width=16),
        _amt("预算", "budget", required=True),
        _amt("决算", "actual", required=True),
        _amt("上年决算", "prior_actual"),
    ),
    rows=(
        Row("公用经费", "public_funds", aliases=("公用经费合计", "合计")),
        *(Row(n, "detail", aliases=a, note="其中行：公用经费的明细") for n, a in PUBLIC_FUNDS_LINES),
    ),
    note="“公用经费”行必填；其下的“其中”明细行（办公费、水电费、差旅费、会议费、培训费 …）可不填，"
    "填写时各明细之和不超过公用经费；填了“其他商品和服务支出”行即视为明细已填全，须等于公用经费。",
)

DEPT_PROJECTS = Sheet(
    "部门项目",
    "dept_projects",
    TABLE,
    columns=(
        Column("项目名称", "name", required=True, aliases=("预算名称", "项目"), width=34),
        _amt("年初预算", "initial", required=True, aliases=("年初预算数", "年初预算金额")),
        _amt("预算调整", "adjustment", signed=True, aliases=("预算调整数", "预算调整金额")),
        _amt("全年预算", "full_year", required=True, aliases=("全年预算数", "全年预算金额")),
        _amt("决算", "actual", required=True, aliases=("决算数", "决算金额", "实际支出")),
        _amt("上年决算", "prior_actual", aliases=("上年决算数",)),
        Column("差异原因", "variance_reason", width=30),
        Column("年度目标", "goal", LONGTEXT, width=30),
        Column("实际完成情况", "outcome", LONGTEXT, width=30),
    ),
    note="每个部门项目一行；“合计”行可不填（填写时校验）。",
)

PUBLIC_PROJECTS = Sheet(
    "公共项目",
    "public_projects",
    TABLE,
    columns=(
        Column("项目名称", "name", required=True, aliases=("预算项目", "项目"), width=40),
        _amt("年初预算", "initial", required=True, aliases=("年初预算数",)),
        _amt("预算调整", "adjustment", signed=True, aliases=("预算调整数", "预算追加及调整数")),
        _amt("全年预算", "full_year", required=True, aliases=("全年预算数",)),
        _amt("实际分配", "actual", required=True, aliases=("实际分配资金", "实际支出", "决算")),
        Column("指标文号", "doc_no", width=36),
        _amt(
            "执行率剔除金额",
            "excluded",
            aliases=("剔除金额",),
            note="计算预算执行率时从全年预算中剔除的金额（如财政收回、未分配）",
        ),
        Column("剔除原因", "exclusion_reason", width=18),
        Column("未执行原因", "variance_reason", width=30, aliases=("差异原因",)),
        Column("年度目标", "goal", LONGTEXT, width=30),
        Column("实际完成情况", "outcome", LONGTEXT, width=30),
    ),
    note="每个公共项目一行；“执行率剔除金额”填写后须同时填写“剔除原因”。",
)

UNDERTAKINGS = Sheet(
    "项目承担单位",
    "undertakings",
    TABLE,
    columns=(
        Column("项目名称", "project", required=True, width=34),
        Column("承担单位", "unit", required=True, width=24),
        _amt("下达金额", "allocated", required=True),
        _amt("实际支出", "spent", required=True),
        Column("说明", "note", width=30),
    ),
    required=False,
)

PERF_INDICATORS = Sheet(
    "项目绩效指标",
    "perf_indicators",
    TABLE,
    columns=(
        Column("项目名称", "project", required=True, width=30),
        Column("一级指标", "level1", required=True, width=12),
        Column("二级指标", "level2", width=12),
        Column("三级指标", "level3", required=True, width=26),
        Column("指标性质", "nature", NATURE, width=10, note="≥、≤、= 或 定性"),
        Column("年度指标值", "target", VALUE, width=12, aliases=("指标值", "目标值")),
        Column("单位", "unit", width=8),
        Column("实际完成值", "actual", VALUE, width=12, aliases=("完成值",)),
        Column("分值", "weight", SCORE, width=8),
        Column("得分", "score", SCORE, width=8),
        Column("偏差原因及改进措施", "deviation_reason", width=30, aliases=("偏差原因",)),
    ),
    required=False,
)

PROCUREMENT = Sheet(
    "政府采购",
    "procurement",
    LABELED,
    columns=(
        Column("项目", "label", required=True, width=12),
        _amt("年初采购预算", "initial"),
        _amt("全年采购预算", "full_year"),
        _amt("实际采购", "actual", aliases=("实际采购金额",)),
    ),
    rows=(Row("货物", "货物"), Row("服务", "服务"), Row("工程", "工程"), Row("合计", "total")),
    required=False,
    note="按货物、服务、工程分行填写；分类不详时可只填合计。",
)

ASSETS = Sheet(
    "资产",
    "assets",
    LABELED,
    columns=(
        Column("项目", "label", required=True, width=16),
        _amt("上年末", "prior_end", required=True),
        _amt("本年新增", "added"),
        _amt("本年减少", "reduced"),
        _amt("本年末", "end", required=True),
        Column("说明", "note", width=30),
    ),
    rows=(
        *(
            Row(n, n)
            for n in (
                "货币资金",
                "应收账款",
                "其他应收款",
                "预付账款",
                "存货",
                "固定资产原值",
                "累计折旧",
                "固定资产净值",
                "在建工程",
                "无形资产",
                "其他资产",
            )
        ),
        Row("资产总额", "资产总额", required=True),
    ),
    required=False,
    open_rows=True,
    note="资产总额 = 除固定资产原值、累计折旧、资产总额外各行之和；固定资产净值 = 原值 − 累计折旧；"
    "填了本年新增或本年减少的行校验：上年末 + 本年新增 − 本年减少 = 本年末。",
)

KPIS = Sheet(
    "履职目标",
    "kpis",
    TABLE,
    columns=(
        Column("指标", "name", required=True, width=34),
        Column("指标性质", "nature", NATURE, width=10),
        Column("目标值", "target", VALUE, width=12),
        Column("完成值", "actual", VALUE, width=12),
        Column("单位", "unit", width=8),
        Column("说明", "note", width=36),
        Column(
            "权重",
            "weight",
            SCORE,
            width=8,
            aliases=("分值",),
            note="可不填；评分框架按权重加权平均各行完成程度（不填则各行等权）",
        ),
    ),
    required=False,
)

SATISFACTION = Sheet(
    "满意度",
    "satisfaction",
    LABELED,
    columns=(
        Column("项目", "label", required=True, width=16),
        Column("数值", "value", COUNT, "份", required=True),
    ),
    rows=(
        Row("问卷数", "surveyed", aliases=("问卷数量", "调查问卷数")),
        Row("满意数", "satisfied", aliases=("满意问卷数", "满意数（含基本满意）")),
    ),
    required=False,
)

MANUAL_SCORES = Sheet(
    "定性评分",
    "manual_scores",
    TABLE,
    columns=(
        Column("指标", "item", required=True, width=30),
        Column("得分", "score", SCORE, width=10),
        Column("依据", "basis", width=50),
    ),
    required=False,
    note="评价人对定性指标的打分；“指标”填评分框架中的指标编号或三级指标名称。",
)

#: every data sheet, in workbook order (填表说明 comes first, before these)
SHEETS: tuple[Sheet, ...] = (
    BASIC_INFO,
    STAFFING,
    SPENDING,
    THREE_PUBLIC,
    PUBLIC_FUNDS,
    DEPT_PROJECTS,
    PUBLIC_PROJECTS,
    UNDERTAKINGS,
    PERF_INDICATORS,
    PROCUREMENT,
    ASSETS,
    KPIS,
    SATISFACTION,
    MANUAL_SCORES,
)
BY_NAME = {s.name: s for s in SHEETS}
BY_KEY = {s.key: s for s in SHEETS}

#: how many rows from the top are searched for the header row
HEADER_SEARCH_ROWS = 10

_BRACKETED = re.compile(r"\([^)]*\)$|\[[^\]]*\]$|【[^】]*】$")
_SPACES = re.compile(r"[\s\u00a0\u3000]+")
_PREFIX = re.compile(r"^(其中[:：]?|\d+[.、]|[(（]?[一二三四五六七八九十]+[)）、.]|[(（]\d+[)）])")


def norm_text(text: object) -> str:
    """NFKC (full-width → ASCII brackets/digits), spaces removed."""
    if text is None:
        return ""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text)))


@lru_cache(maxsize=4096)
def norm_header(text: object) -> str:
    """Header text for matching: normalised, a trailing unit in brackets and a '*' removed.

    '年初预算（万元）', ' 年初预算 (万元)', '年初预算*' → '年初预算'.
    """
    t = norm_text(text).rstrip("*：:")
    prev = None
    while prev != t:
        prev = t
        t = _BRACKETED.sub("", t)
    return t


def header_unit(text: object) -> str:
    """The unit written in a header's trailing brackets ('年初预算（元）' → '元'), or ''."""
    t = norm_text(text)
    m = re.search(r"\(([^)]*)\)$", t)
    return m.group(1) if m else ""


@lru_cache(maxsize=4096)
def norm_label(text: object) -> str:
    """Row label for matching: normalised, a leading '其中：' or list number removed."""
    t = norm_text(text).rstrip("：:")
    prev = None
    while prev != t:
        prev = t
        t = _PREFIX.sub("", t)
    return t


def sheet_name_key(title: str) -> str:
    return norm_text(title)
