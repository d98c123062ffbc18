"""Small ledger workbooks written at test time, in the layouts township offices keep."""

import io

from openpyxl import Workbook

HEADER = [
    "序号",
    "问题类别",
    "存在问题",
    "整改措施",
    "责任领导",
    "责任单位",
    "责任人",
    "完成时限",
    "整改进展情况",
]

# Two problems of 城关镇 with three measures; the first problem's cells are merged over two rows.
ROWS = [
    [
        1,
        "工作作风",
        "便民服务中心午休时段无人值守",
        "实行午间轮班值守",
        "钱书记",
        "城关镇人民政府",
        "李承办",
        "2024年10月底前",
        "已完成",
    ],
    [
        None,
        None,
        None,
        "值守情况每周抽查通报",
        "钱书记",
        "城关镇",
        "孙干部",
        "长期坚持",
        "持续整改",
    ],
    [
        2,
        "担当作为",
        "村级事务公开不及时",
        "东关村每月5日前更新公开栏",
        "钱书记",
        "东关村",
        "陈文书",
        "2024.12",
        None,
    ],
]


def ledger_xlsx(rows=ROWS, *, title="城关镇作风建设问题整改台账", notes=True) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "整改台账"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(
        ["填报单位：城关镇党政办", None, None, None, None, None, "填报日期：2024年9月20日"]
    )
    sheet.append(HEADER)
    first = sheet.max_row + 1
    for row in rows:
        sheet.append(row)
    if rows is ROWS:
        for column in (1, 2, 3):
            sheet.merge_cells(
                start_row=first, start_column=column, end_row=first + 1, end_column=column
            )
    if notes:
        sheet.append([])
        sheet.append(["填表说明：完成情况填写“已完成”“持续整改”或留空。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
