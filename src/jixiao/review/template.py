"""The .xlsx layout ``jixiao review`` reads (documented in docs/evaluate.md): one sheet per
submitted table, laid out like the printed national forms, so a table copied from Word/WPS
into Excel reads as well.

    部门(单位)名称 / 项目名称 | name
    资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
    年度资金总额 | …
    一级指标 | 二级指标 | 三级指标 | 指标性质 | 年度指标值 | 实际完成值 | 单位 | 分值 | 得分 | 偏差原因
    …one row per indicator…
    总分 | … | (得分 column) the total the department gave
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

FUND_HEAD = ("资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
IND_HEAD = (
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "年度指标值",
    "实际完成值",
    "单位",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)

_SHEETS = (
    (
        "部门整体支出绩效自评表",
        "部门(单位)名称",
        (
            ("产出指标", "数量指标", "（示例）开展培训次数", "≥", "26次", "", "", 10, "", ""),
            ("产出指标", "质量指标", "（示例）政府采购执行率", "≥", "100%", "", "", 10, "", ""),
        ),
    ),
    (
        "项目支出绩效自评表",
        "项目名称",
        (
            ("产出指标", "数量指标", "（示例）完成数量", "≥", "", "", "", 50, "", ""),
            ("效益指标", "社会效益指标", "（示例）受益人数", "≥", "", "", "", 30, "", ""),
            ("满意度指标", "服务对象满意度指标", "（示例）满意度", "≥", "90%", "", "", 10, "", ""),
        ),
    ),
)


def build_review_template() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    info = wb.create_sheet("填表说明")
    for r, text in enumerate(
        (
            "自评表复核（jixiao review）读取的格式：每张自评表一个工作表，版式与财政部门印发的自评表相同。",
            "1. 第一行可写表名；“部门(单位)名称”或“项目名称”一行写单位或项目名称（写在右边一格）。",
            "2. 资金表头行：年初预算数、全年预算数、全年执行数、分值、执行率、得分；下一行“年度资金总额”填数字。",
            "3. 指标表头行：一级指标、二级指标、三级指标、指标性质、年度指标值、实际完成值、单位、分值、得分；每个指标一行。",
            "4. 指标值、完成值可写单位（26次、72.74%、2200篇）；指标性质填 ≥、≤、= 或 定性（未填时按“≥”复核）。",
            "5. 最后一行“总分”，在“得分”列填自评总分。多个项目可复制工作表，每个工作表一张表。",
            "6. 也可以直接复核报告：jixiao review 报告.docx（读取报告中的自评表附件）。",
        ),
        start=1,
    ):
        info.cell(r, 1, text)
    info.column_dimensions["A"].width = 110
    for title, name_label, examples in _SHEETS:
        ws = wb.create_sheet(title)
        ws.cell(1, 1, title).font = Font(bold=True, size=14)
        ws.cell(2, 1, name_label)
        for c, h in enumerate(FUND_HEAD, start=1):
            ws.cell(3, c, h).font = Font(bold=True)
        ws.cell(4, 1, "年度资金总额")
        for c, h in enumerate(IND_HEAD, start=1):
            ws.cell(6, c, h).font = Font(bold=True)
        for r, row in enumerate(examples, start=7):
            for c, v in enumerate(row, start=1):
                if v != "":
                    ws.cell(r, c, v)
        ws.cell(7 + len(examples), 1, "总分")
        for c, w in zip("ABCDEFGHIJ", (14, 16, 30, 10, 12, 12, 8, 8, 8, 30), strict=True):
            ws.column_dimensions[c].width = w
        for row in ws.iter_rows():
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="center")
    return wb
