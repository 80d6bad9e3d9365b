"""Every issue code of jixiao (documented in docs/issues.md): the workbook reader, the checks, batch.

A code is registered once, here, with its severity and title; where the message is the same
sentence for every occurrence, also with its message template (``make(code, location=…, **fields)``
fills it). The reconciliation (勾稽) codes form a group: a figure missing because its cell is
unreadable would only echo that cell's error, and the reader drops such echoes by the group.
"""

from __future__ import annotations

from ..issues import codes_in, register

#: the sentence of every reconciliation code: a stated figure and the one computed from its parts
RECONCILE = "{what}为 {stated} 万元，但{how}为 {computed} 万元，相差 {diff} 万元。"
_R = {"template": RECONCILE, "group": "reconciliation"}

# structure
SHEET_MISSING = register("E-SHEET-MISSING", "error", "缺少必需的工作表")
SHEET_ABSENT = register("I-SHEET-ABSENT", "info", "缺少可选的工作表")
SHEET_UNKNOWN = register("I-SHEET-UNKNOWN", "info", "未识别的工作表（已忽略）")
SHEET_HIDDEN = register("I-SHEET-HIDDEN", "info", "工作表被隐藏（仍然读取）")
SHEET_DUPLICATE = register("E-SHEET-DUPLICATE", "error", "同名工作表重复")
HEADER_MISSING = register("E-HEADER-MISSING", "error", "找不到表头行")
COLUMN_MISSING = register("E-COLUMN-MISSING", "error", "缺少必需的列")
COLUMN_UNKNOWN = register("I-COLUMN-UNKNOWN", "info", "未识别的列（已忽略）")
COLUMN_DUPLICATE = register("W-COLUMN-DUPLICATE", "warning", "列重复（只读取第一列）")
COLUMN_UNIT = register("W-COLUMN-UNIT", "warning", "列标题中的金额单位与“金额单位”不一致")
ROW_MISSING = register("W-ROW-MISSING", "warning", "缺少预置的行")
ROW_UNKNOWN = register("W-ROW-UNKNOWN", "warning", "未识别的行（未读取）")
ROW_EXTRA = register("I-ROW-EXTRA", "info", "新增的行（已按分项读取）")
ROW_DUPLICATE = register("E-ROW-DUPLICATE", "error", "同一项目填写了两行")
MERGED_CELLS = register("I-MERGED-CELLS", "info", "合并单元格")

# cell values
CELL_NOT_NUMBER = register("E-CELL-NOT-NUMBER", "error", "应填数字的单元格不是数字")
CELL_NEGATIVE = register("E-CELL-NEGATIVE", "error", "金额或人数不应为负数")
CELL_NOT_INTEGER = register("E-CELL-NOT-INTEGER", "error", "人数或份数应为整数")
CELL_BAD_DATE = register("E-CELL-BAD-DATE", "error", "日期无法识别")
CELL_BAD_YEAR = register("E-CELL-BAD-YEAR", "error", "年度无法识别")
CELL_BAD_UNIT = register("E-CELL-BAD-UNIT", "error", "金额单位只能是“万元”或“元”")
CELL_BAD_NATURE = register("E-CELL-BAD-NATURE", "error", "指标性质不在可选列表中")
CELL_FORMULA = register("E-CELL-FORMULA-NO-VALUE", "error", "公式单元格没有计算结果")
CELL_ERROR = register("E-CELL-EXCEL-ERROR", "error", "单元格是 Excel 错误值")
CELL_IGNORED = register("W-CELL-IGNORED", "warning", "此单元格的数字未读取")
AMOUNT_CONVERTED = register("I-AMOUNT-CONVERTED", "info", "金额单位为元，已换算为万元")
NUMBER_WITH_UNIT = register("I-CELL-UNIT", "info", "数字带单位（已按单位读取）")
CELL_DASH = register("I-CELL-DASH", "info", "单元格填的是“—”（按未填写处理）")
UNIT_MISMATCH = register("E-CELL-UNIT", "error", "数字所带单位与本列（本行）不符")
VALUE_NOT_NUMBER = register("W-VALUE-NOT-NUMBER", "warning", "定量指标的目标值或完成值不是数字（未参与计算）")

# basic information
INFO_MISSING = register("E-INFO-MISSING", "error", "单位名称或年度未填写")

# batch (a file that could not be evaluated at all, recorded in the store like any other run)
BATCH_UNREADABLE = register("E-BATCH-UNREADABLE", "error", "批量处理时文件无法读取", template="{reason}")
BATCH_FAILED = register("E-BATCH-FAILED", "error", "批量处理时该文件处理失败", template="{reason}")

# reconciliation (勾稽)
ROUNDING = register(
    "I-ROUNDING",
    "info",
    "尾差（差额不超过 0.01 万元）",
    group="reconciliation",
    template="{what}为 {stated} 万元，{how}为 {computed} 万元，相差 {diff} 万元（尾差）。",
    hint="属四舍五入尾差，可不处理；如需一致请核对各项的小数位。",
)
BUDGET_ROW = register("E-BUDGET-ROW", "error", "年初预算 + 预算调整 ≠ 全年预算", **_R)
TOTAL_ROW = register("E-TOTAL-ROW", "error", "合计行不等于各行之和", **_R)
BASIC_PARTS = register("E-BASIC-PARTS", "error", "基本支出合计不等于各经济分类之和", **_R)
PROJECTS_TOTAL = register("E-PROJECTS-TOTAL", "error", "项目支出合计 ≠ 部门项目支出 + 公共项目支出", **_R)
SPENDING_TOTAL = register("E-SPENDING-TOTAL", "error", "整体支出合计 ≠ 基本支出 + 项目支出", **_R)
SHEET_VS_SUMMARY = register("E-SHEET-VS-SUMMARY", "error", "项目明细表之和与支出总表不一致", **_R)
ASSET_ROLL = register("E-ASSET-ROLLFORWARD", "error", "上年末 + 本年新增 − 本年减少 ≠ 本年末", **_R)
ASSET_NET = register("E-ASSET-NET", "error", "固定资产原值 − 累计折旧 ≠ 固定资产净值", **_R)
ASSET_TOTAL = register("E-ASSET-TOTAL", "error", "资产总额不等于各项资产之和", **_R)
PARTS_TOTAL = register("E-PARTS-TOTAL", "error", "“其中”明细已填全，但之和不等于上级项目", **_R)
RECONCILIATION = codes_in("reconciliation")
STAFF_TOTAL = register("E-STAFF-TOTAL", "error", "编制数合计不等于各类编制之和")
STAFF_OVER = register("W-STAFF-OVER", "warning", "在职人员数超过编制数")
OVER_BUDGET = register("W-OVER-BUDGET", "warning", "决算（实际）大于全年预算")
PROJECT_DUPLICATE = register("E-PROJECT-DUPLICATE", "error", "项目名称重复")
PROJECT_NO_NAME = register("E-PROJECT-NO-NAME", "error", "有金额但没有项目名称")
EXCLUDED_OVER = register("E-EXCLUDED-OVER", "error", "执行率剔除金额大于全年预算")
EXCLUSION_REASON = register("W-EXCLUSION-REASON", "warning", "填写了剔除金额但没有剔除原因")
UNDERTAKING_OVER = register("W-UNDERTAKING-OVER", "warning", "承担单位实际支出大于下达金额")
PERF_UNKNOWN_PROJECT = register("W-PERF-PROJECT", "warning", "绩效指标所属项目不在项目表中")
PERF_VALUE = register("W-PERF-VALUE", "warning", "定量指标的指标值或完成值不是数字")
SCORE_OVER = register("E-SCORE-OVER", "error", "得分超过分值")
FULL_YEAR_INFERRED = register(
    "W-FULL-YEAR-INFERRED", "warning", "全年预算未填写，已按年初预算 + 预算调整推算"
)
COLUMN_IGNORED = register("W-COLUMN-IGNORED", "warning", "有内容的列未读取")
MANUAL_UNKNOWN = register("W-MANUAL-UNKNOWN", "warning", "定性评分行不对应评分框架中的指标（未使用）")
MANUAL_COMPUTED = register("W-MANUAL-COMPUTED", "warning", "定性评分行对应的指标由数据计算（得分未使用）")
MANUAL_DUPLICATE = register("W-MANUAL-DUPLICATE", "warning", "同一指标有两行定性评分（只用第一行）")
PARENT_FROM_PARTS = register("W-PARENT-FROM-PARTS", "warning", "上级项目未填，按“其中”明细之和计")
PARTS_OVER = register("E-PARTS-OVER", "error", "“其中”明细之和大于上级项目")
SATISFACTION_OVER = register("E-SATISFACTION-OVER", "error", "满意数大于问卷数")
