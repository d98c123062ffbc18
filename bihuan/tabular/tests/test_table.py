import datetime as dt

import pytest

from bihuan.tabular import contract_json, parse_ledger, read_ledger
from bihuan.tabular.records import LedgerFileError, Status
from bihuan.tabular.tests.builders import Sheet, csv_bytes, ods, xls, xlsx
from bihuan.tabular.workbook import Grid

TODAY = dt.date(2024, 9, 23)
WINDOW = "为民服务窗口推诿扯皮，群众办事多头跑。"
THREE_ASSETS = "东关村“三资”台账不清，村级小微权力监督不到位。"

# The contract's layout: title, a 填报 line, one header row, problems merged over their measures,
# a note under the table.
# fmt: off
HEADER = ["序号", "问题类别", "问题描述", "整改措施", "责任领导", "责任单位", "责任人", "整改时限", "完成情况", "备注"]
CONTRACT_LAYOUT = Sheet(
    "整改台账",
    [
        ["城关镇党委2024年巡察反馈问题整改台账", "", "", "", "", "", "", "", "", ""],
        ["填报单位：城关镇党委（盖章）", "", "", "", "", "", "填报时间：2024年3月15日", "", "", ""],
        HEADER,
        [1, "工作作风", WINDOW, "建立首问负责制，窗口人员姓名照片上墙公示。", "钱书记", "城关镇便民服务中心", "李承办", "2024年4月底前", "已完成", ""],
        ["", "", "", "每月抽查窗口办件情况并通报。", "钱书记", "城关镇党政办", "孙干部", "长期坚持", "正在推进", ""],
        [2, "基层治理", THREE_ASSETS, "开展村级“三资”清理，逐笔建立台账。", "赵县长", "东关村", "陈文书", dt.date(2024, 6, 30), "正在整改", ""],
        ["", "", "", "", "", "", "", "", "", ""],
        ["填表说明：整改时限写到具体日期或“长期坚持”。", "", "", "", "", "", "", "", "", ""],
    ],
    merged=["A1:J1", "A4:A5", "B4:B5", "C4:C5", "A8:J8"],
)
# fmt: on


def read(path, today=TODAY):
    return read_ledger(path.read_bytes(), filename=path.name, today=today)


def ledger_of(tmp_path, *sheets, today=TODAY):
    return read(xlsx(tmp_path / "台账.xlsx", *sheets), today=today)


def table(rows, merged=(), header=HEADER, name="台账"):
    return Sheet(name, [header, *rows], merged=list(merged))


def row(
    problem,
    measure,
    *,
    lead="赵县长",
    unit="城关镇",
    owner="李承办",
    deadline="2024年底前",
    status="",
    category="",
):
    return ["", category, problem, measure, lead, unit, owner, deadline, status, ""]


def test_the_contract_layout_reads_into_problems_measures_and_the_reporting_lines(tmp_path):
    ledger = ledger_of(tmp_path, CONTRACT_LAYOUT)

    assert ledger.title == "城关镇党委2024年巡察反馈问题整改台账"
    assert ledger.reporting_unit == "城关镇党委"
    assert ledger.reported_on == dt.date(2024, 3, 15)
    assert ledger.sheets == ("整改台账",)
    assert ledger.issues == ()
    assert contract_json(ledger) == {
        "problems": [
            {
                "text": WINDOW,
                "category": "工作作风",
                "measures": [
                    {
                        "text": "建立首问负责制，窗口人员姓名照片上墙公示。",
                        "lead": "钱书记",
                        "owner_unit": "城关镇便民服务中心",
                        "owner": "李承办",
                        "deadline_text": "2024年4月底前",
                        "deadline": "2024-04-30",
                        "ongoing": False,
                        "status": "closed",
                    },
                    {
                        "text": "每月抽查窗口办件情况并通报。",
                        "lead": "钱书记",
                        "owner_unit": "城关镇党政办",
                        "owner": "孙干部",
                        "deadline_text": "长期坚持",
                        "deadline": None,
                        "ongoing": True,
                        "status": "in_progress",
                    },
                ],
            },
            {
                "text": THREE_ASSETS,
                "category": "基层治理",
                "measures": [
                    {
                        "text": "开展村级“三资”清理，逐笔建立台账。",
                        "lead": "赵县长",
                        "owner_unit": "东关村",
                        "owner": "陈文书",
                        "deadline_text": "2024年6月30日",
                        "deadline": "2024-06-30",
                        "ongoing": False,
                        "status": "in_progress",
                    }
                ],
            },
        ],
        "errors": [],
    }


@pytest.mark.parametrize("write", [xls, ods], ids=["xls", "ods"])
def test_xls_and_ods_read_like_xlsx_merged_cells_included(tmp_path, write):
    expected = contract_json(ledger_of(tmp_path, CONTRACT_LAYOUT))

    ledger = read(write(tmp_path / f"台账.{write.__name__}", CONTRACT_LAYOUT))

    assert contract_json(ledger) == expected


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_reads_like_xlsx_with_blank_cells_under_a_problem(tmp_path, encoding):
    expected = contract_json(ledger_of(tmp_path, CONTRACT_LAYOUT))
    # A CSV export writes the date cell the way the exporting program formats dates.
    rows = [
        [value if value != dt.date(2024, 6, 30) else "2024/6/30" for value in r]
        for r in CONTRACT_LAYOUT.rows
    ]
    path = tmp_path / "台账.csv"
    path.write_bytes(csv_bytes(rows, encoding=encoding))

    ledger = contract_json(read(path))

    expected["problems"][1]["measures"][0]["deadline_text"] = "2024/6/30"
    assert ledger == expected


def test_a_problem_left_blank_under_a_filled_one_owns_the_rows_below(tmp_path):
    sheet = table(
        [
            row("会议多、文件多，基层负担重。", "严格控制发文数量。"),
            row("", "合并同类会议。"),
            row("", "推行视频会议。"),
            row("学习流于形式。", "制定学习计划。"),
        ]
    )

    ledger = ledger_of(tmp_path, sheet)

    assert [(p.text, [m.text for m in p.measures]) for p in ledger.problems] == [
        (
            "会议多、文件多，基层负担重。",
            ["严格控制发文数量。", "合并同类会议。", "推行视频会议。"],
        ),
        ("学习流于形式。", ["制定学习计划。"]),
    ]


def test_the_same_problem_text_repeated_on_consecutive_rows_is_one_problem(tmp_path):
    sheet = table(
        [row(WINDOW, "建立首问负责制。"), row(WINDOW, "设立意见箱。"), row(WINDOW, "开展回访。")]
    )

    ledger = ledger_of(tmp_path, sheet)

    assert len(ledger.problems) == 1
    assert [m.row for m in ledger.problems[0].measures] == [2, 3, 4]


def test_a_merged_problem_also_owns_its_category_and_cause(tmp_path):
    header = ["问题类别", "问题描述", "原因分析", "整改措施", "整改时限"]
    sheet = table(
        [
            [
                "工作作风",
                WINDOW,
                "1.宗旨意识淡薄；\n2.制度执行不严。",
                "建立首问负责制。",
                "2024年10月底",
            ],
            ["", "", "", "开展回访。", "2024年11月底"],
        ],
        merged=["A2:A3", "B2:B3", "C2:C3"],
        header=header,
    )

    (problem,) = ledger_of(tmp_path, sheet).problems

    assert problem.category == "工作作风"
    assert problem.causes == ("宗旨意识淡薄", "制度执行不严。")
    assert len(problem.measures) == 2


@pytest.mark.parametrize(
    "numbered",
    [
        "1.学习流于形式",
        "1、学习流于形式",
        "1．学习流于形式",
        "(1)学习流于形式",
        "（1）学习流于形式",
        "①学习流于形式",
        "（一）学习流于形式",
        "一、学习流于形式",
        "一是学习流于形式",
        "第一，学习流于形式",
    ],
)
def test_numbering_in_front_of_a_text_is_not_part_of_it(tmp_path, numbered):
    ledger = ledger_of(tmp_path, table([row(numbered, "2." + "制定学习\n计划")]))

    assert ledger.problems[0].text == "学习流于形式"
    assert ledger.problems[0].measures[0].text == "制定学习计划"


@pytest.mark.parametrize(
    "cell",
    [
        "1.建立首问负责制；\n2.窗口人员挂牌上岗，\n  接受群众监督；\n3.每月通报办件情况。",
        "（1）建立首问负责制；\n（2）窗口人员挂牌上岗，接受群众监督；\n（3）每月通报办件情况。",
    ],
)
def test_numbered_lines_in_one_measure_cell_become_measures_sharing_the_row(tmp_path, cell):
    sheet = table([row(WINDOW, cell, owner="李承办、孙干部", deadline="2024年12月31日")])

    (problem,) = ledger_of(tmp_path, sheet).problems

    assert [m.text for m in problem.measures] == [
        "建立首问负责制",
        "窗口人员挂牌上岗，接受群众监督",
        "每月通报办件情况。",
    ]
    assert {(m.row, m.owner, m.deadline.date) for m in problem.measures} == {
        (2, "李承办、孙干部", dt.date(2024, 12, 31))
    }


def test_a_measure_mentioning_numbers_that_do_not_count_from_one_stays_whole(tmp_path):
    sheet = table([row(WINDOW, "2.压减发文\n3.合并会议")])

    (problem,) = ledger_of(tmp_path, sheet).problems

    assert [m.text for m in problem.measures] == ["压减发文3.合并会议"]


def test_a_two_row_header_with_a_responsibility_group(tmp_path):
    sheet = Sheet(
        "巡察反馈",
        [
            ["河西乡巡察反馈问题整改台账", "", "", "", "", "", ""],
            ["序号", "存在问题", "具体整改措施", "整改责任", "", "", "完成时限"],
            ["", "", "", "牵头领导", "牵头单位", "具体责任人", ""],
            [
                1,
                "西河村财务公开不及时。",
                "每季度公开一次村级财务。",
                "王承办",
                "西河村",
                "陈文书",
                "2024年第三季度",
            ],
        ],
        merged=["A1:G1", "D2:F2", "A2:A3", "B2:B3", "C2:C3", "G2:G3"],
    )

    (problem,) = ledger_of(tmp_path, sheet).problems

    (measure,) = problem.measures
    assert (measure.lead, measure.owner_unit, measure.owner) == ("王承办", "西河村", "陈文书")
    assert measure.deadline.date == dt.date(2024, 9, 30)


def test_section_rows_set_the_category_of_the_rows_below(tmp_path):
    header = ["序号", "问题描述", "整改措施", "责任单位", "整改时限"]
    sheet = table(
        [
            ["一、理论学习方面（2个）", "", "", "", ""],
            [1, "学习流于形式。", "制定学习计划。", "县委办", "2024年6月"],
            [2, "学用结合不紧。", "开展调研。", "县委办", "2024年9月"],
            ["（二）工作作风方面存在的问题", "", "", "", ""],
            [3, WINDOW, "建立首问负责制。", "城关镇", "2024年10月"],
            ["三、在担当作为上存在的差距", "", "", "", ""],
            [4, "遇到难题绕着走。", "建立难题清单。", "河西乡", "2024年11月"],
        ],
        merged=["A2:E2", "A5:E5"],
        header=header,
    )

    ledger = ledger_of(tmp_path, sheet)

    assert [(p.text, p.category) for p in ledger.problems] == [
        ("学习流于形式。", "理论学习"),
        ("学用结合不紧。", "理论学习"),
        (WINDOW, "工作作风"),
        ("遇到难题绕着走。", "担当作为"),
    ]
    assert ledger.issues == ()


def test_a_blank_category_cell_takes_the_section_above(tmp_path):
    sheet = table(
        [
            ["二、基层治理方面", *[""] * 9],
            row(THREE_ASSETS, "清理“三资”。"),
            row(WINDOW, "公示。", category="工作作风"),
        ],
        merged=["A2:J2"],
    )

    ledger = ledger_of(tmp_path, sheet)

    assert [p.category for p in ledger.problems] == ["基层治理", "工作作风"]


def test_notes_under_the_table_end_it_and_blank_rows_do_not(tmp_path):
    sheet = table(
        [
            row(WINDOW, "建立首问负责制。"),
            [""] * 10,
            [""] * 10,
            row("学习流于形式。", "制定学习计划。"),
            ["注：1.此表一式两份；2.时限写到月。", *[""] * 9],
            row("这一行在说明下面，不是问题。", "也不是措施。"),
            [
                "填表人：王承办",
                "",
                "",
                "审核人：钱书记",
                "",
                "",
                "联系电话：0000-1234567",
                "",
                "",
                "",
            ],
        ]
    )

    ledger = ledger_of(tmp_path, sheet)

    assert [p.text for p in ledger.problems] == [WINDOW, "学习流于形式。"]


def test_a_signature_line_ends_the_table(tmp_path):
    sheet = table(
        [
            row(WINDOW, "建立首问负责制。"),
            ["", "", "单位负责人：钱书记", "", "", "", "", "", "", ""],
        ]
    )

    ledger = ledger_of(tmp_path, sheet)

    assert len(ledger.problems) == 1
    assert ledger.issues == ()


def test_column_number_rows_and_totals_are_not_problems(tmp_path):
    sheet = table(
        [
            list(range(1, 11)),
            row(WINDOW, "建立首问负责制。"),
            ["合计", "", "1个问题", "1条措施", *[""] * 6],
        ]
    )

    ledger = ledger_of(tmp_path, sheet)

    assert [p.text for p in ledger.problems] == [WINDOW]
    assert ledger.issues == ()


def test_sheets_that_are_not_ledgers_are_skipped_and_ledger_sheets_are_combined(tmp_path):
    instructions = Sheet(
        "填报说明", [["填报说明"], ["1.每个问题一行，措施可分多行。"], ["2.整改时限写到具体日期。"]]
    )
    summary = Sheet("汇总", [["单位", "问题数", "已完成"], ["城关镇", 1, 0], ["河西乡", 1, 1]])
    chengguan = table([row(WINDOW, "建立首问负责制。")], name="城关镇")
    hexi = table(
        [row("西河村财务公开不及时。", "每季度公开。", unit="河西乡", status="已完成")],
        name="河西乡",
    )

    ledger = ledger_of(tmp_path, instructions, chengguan, summary, hexi)

    assert ledger.sheets == ("城关镇", "河西乡")
    assert [(p.sheet, p.text) for p in ledger.problems] == [
        ("城关镇", WINDOW),
        ("河西乡", "西河村财务公开不及时。"),
    ]


def test_a_sheet_repeating_the_rows_of_another_adds_nothing(tmp_path):
    rows = [row(WINDOW, "建立首问负责制。")]

    ledger = ledger_of(tmp_path, table(rows, name="总表"), table(rows, name="城关镇"))

    assert len(ledger.problems) == 1
    assert ledger.sheets == ("总表",)


def test_a_hidden_ledger_is_ignored_beside_a_visible_one(tmp_path):
    old = Sheet("旧版", [HEADER, row("旧问题。", "旧措施。")], hidden=True)

    ledger = ledger_of(tmp_path, old, table([row(WINDOW, "建立首问负责制。")]))

    assert [p.text for p in ledger.problems] == [WINDOW]


@pytest.mark.parametrize(
    ("written", "date", "ongoing"),
    [
        ("2024年底前", dt.date(2024, 12, 31), False),
        ("第三季度", dt.date(2024, 9, 30), False),
        ("6月底前", dt.date(2024, 6, 30), False),
        ("立行立改、长期坚持", None, True),
        ("2024.10", dt.date(2024, 10, 31), False),
        (dt.date(2024, 8, 15), dt.date(2024, 8, 15), False),
    ],
)
def test_free_text_deadlines_are_understood_with_the_sheets_year(tmp_path, written, date, ongoing):
    sheet = table(
        [
            row(WINDOW, "建立首问负责制。", deadline="2024年3月"),
            row("学习流于形式。", "制定计划。", deadline=written),
        ]
    )

    measure = ledger_of(tmp_path, sheet, today=dt.date(2025, 2, 1)).problems[1].measures[0]

    assert (measure.deadline.date, measure.deadline.ongoing) == (date, ongoing)


def test_a_deadline_that_cannot_be_read_is_a_blocking_issue_naming_the_header(tmp_path):
    sheet = table(
        [row(WINDOW, "建立首问负责制。", deadline="下个月")],
        header=[*HEADER[:7], "完成时限", *HEADER[8:]],
    )

    ledger = ledger_of(tmp_path, sheet)

    (issue,) = ledger.issues
    assert (issue.sheet, issue.row, issue.column, issue.blocking) == ("台账", 2, "完成时限", True)
    assert issue.message.startswith("无法识别的日期：下个月")
    assert ledger.problems[0].measures[0].deadline.text == "下个月"
    assert not ledger.is_committable


def test_a_blank_deadline_is_a_blocking_issue(tmp_path):
    ledger = ledger_of(tmp_path, table([row(WINDOW, "建立首问负责制。", deadline="")]))

    (issue,) = ledger.issues
    assert (issue.row, issue.column, issue.blocking) == (2, "整改时限", True)
    assert "请填写整改时限" in issue.message


def test_a_sheet_without_a_deadline_column_says_so_once(tmp_path):
    sheet = table(
        [["会议多。", "精简会议。"], ["学习流于形式。", "制定计划。"]],
        header=["问题描述", "整改措施"],
    )

    ledger = ledger_of(tmp_path, sheet)

    (issue,) = ledger.issues
    assert (issue.row, issue.column, issue.blocking) == (1, "整改时限", True)
    assert len(ledger.problems) == 2


def test_an_unknown_status_is_kept_as_text_and_reported_without_blocking(tmp_path):
    ledger = ledger_of(tmp_path, table([row(WINDOW, "建立首问负责制。", status="等待上级批复")]))

    measure = ledger.problems[0].measures[0]
    (issue,) = ledger.issues
    assert (measure.status, measure.status_text) == (Status.ASSIGNED, "等待上级批复")
    assert (issue.column, issue.blocking) == ("完成情况", False)
    assert "等待上级批复" in issue.message
    assert ledger.is_committable
    assert contract_json(ledger)["errors"][0]["blocking"] is False


def test_a_status_word_followed_by_progress_text_keeps_both(tmp_path):
    ledger = ledger_of(
        tmp_path, table([row(WINDOW, "建立首问负责制。", status="已完成。9月已挂牌公示")])
    )

    measure = ledger.problems[0].measures[0]
    assert (measure.status, measure.progress) == (Status.CLOSED, "9月已挂牌公示")


def test_a_progress_column_beside_the_status_column_holds_the_progress(tmp_path):
    header = ["问题描述", "整改措施", "整改时限", "完成情况", "整改进展"]
    sheet = table(
        [[WINDOW, "建立首问负责制。", "2024年10月", "正在整改", "已起草制度，待党委会审议"]],
        header=header,
    )

    measure = ledger_of(tmp_path, sheet).problems[0].measures[0]

    assert (measure.status, measure.progress) == (Status.IN_PROGRESS, "已起草制度，待党委会审议")


def test_a_measure_row_without_measure_text_is_blocking_and_empty_rows_are_skipped(tmp_path):
    sheet = table(
        [row(WINDOW, "建立首问负责制。"), row("", "", owner="孙干部"), row("学习流于形式。", "")]
    )

    ledger = ledger_of(tmp_path, sheet)

    assert [(issue.row, issue.column, issue.blocking) for issue in ledger.issues] == [
        (3, "整改措施", True),
        (4, "整改措施", True),
    ]
    assert [len(p.measures) for p in ledger.problems] == [1, 0]


def test_measures_before_any_problem_are_blocking(tmp_path):
    ledger = ledger_of(tmp_path, table([row("", "建立首问负责制。"), row(WINDOW, "开展回访。")]))

    (issue,) = ledger.issues
    assert (issue.row, issue.column) == (2, "问题描述")
    assert [p.text for p in ledger.problems] == [WINDOW]


def test_people_left_blank_inherit_within_a_problem_but_not_across_problems(tmp_path):
    sheet = table(
        [
            row(WINDOW, "建立首问负责制。", lead="钱书记", unit="城关镇", owner="李承办、孙干部"),
            row("", "开展回访。", lead="", unit="", owner=""),
            row("学习流于形式。", "制定计划。", lead="", unit="县委办", owner=""),
        ]
    )

    first, second = ledger_of(tmp_path, sheet).problems

    assert [(m.lead, m.owner_unit, m.owner) for m in first.measures] == [
        ("钱书记", "城关镇", "李承办、孙干部"),
        ("钱书记", "城关镇", "李承办、孙干部"),
    ]
    assert [(m.lead, m.owner_unit, m.owner) for m in second.measures] == [("", "县委办", "")]


def test_a_lead_merged_over_two_problems_leads_both(tmp_path):
    sheet = table(
        [
            row(WINDOW, "建立首问负责制。", lead="赵县长"),
            row("学习流于形式。", "制定计划。", lead=""),
        ],
        merged=["E2:E3"],
    )

    ledger = ledger_of(tmp_path, sheet)

    assert [p.measures[0].lead for p in ledger.problems] == ["赵县长", "赵县长"]


def test_a_measure_merged_over_rows_naming_more_owners_is_one_measure(tmp_path):
    sheet = table(
        [
            row(WINDOW, "建立首问负责制。", unit="城关镇", owner="李承办"),
            row("", "", unit="东关村", owner="陈文书"),
        ],
        merged=["C2:C3", "D2:D3", "E2:E3", "H2:H3", "I2:I3"],
    )

    (measure,) = ledger_of(tmp_path, sheet).problems[0].measures

    assert (measure.owner_unit, measure.owner) == ("城关镇、东关村", "李承办、陈文书")


def test_numbers_and_dates_in_text_columns_are_written_as_people_read_them(tmp_path):
    header = [*HEADER[:9], "备注"]
    sheet = table(
        [
            [
                1.0,
                "",
                WINDOW,
                "建立首问负责制。",
                "赵县长",
                "城关镇",
                12345,
                "2024年底",
                "",
                dt.date(2024, 3, 1),
            ]
        ],
        header=header,
    )

    measure = ledger_of(tmp_path, sheet).problems[0].measures[0]

    assert (measure.owner, measure.note) == ("12345", "2024-03-01")


def test_a_seal_placeholder_names_no_reporting_unit(tmp_path):
    sheet = Sheet(
        "台账",
        [
            ["填报单位（盖章）：", "", "填报日期：", dt.date(2024, 4, 2)],
            ["问题描述", "整改措施", "整改时限", ""],
            [WINDOW, "建立首问负责制。", "2024年底", ""],
        ],
    )

    ledger = ledger_of(tmp_path, sheet)

    assert (ledger.reporting_unit, ledger.reported_on) == ("", dt.date(2024, 4, 2))


def test_a_workbook_without_a_ledger_header_says_which_columns_are_expected(tmp_path):
    with pytest.raises(LedgerFileError) as caught:
        ledger_of(tmp_path, Sheet("Sheet1", [["姓名", "电话"], ["周督查", "0000"]]))

    assert str(caught.value).startswith("没有找到台账表头：需要“问题描述/存在问题")
    assert "“整改措施" in str(caught.value)


def test_a_header_with_problems_but_no_measures_says_the_measure_column_is_missing(tmp_path):
    sheet = Sheet("问题清单", [["序号", "存在问题", "责任单位"], [1, WINDOW, "城关镇"]])

    with pytest.raises(LedgerFileError) as caught:
        ledger_of(tmp_path, sheet)

    message = str(caught.value)
    assert "“问题清单”第 1 行" in message
    assert "有“存在问题”列" in message
    assert "没有“整改措施”" in message


def test_an_empty_workbook_is_refused(tmp_path):
    with pytest.raises(LedgerFileError, match=r"^工作簿是空的"):
        ledger_of(tmp_path, Sheet("Sheet1", []), Sheet("Sheet2", [["", ""]]))


def test_a_header_with_nothing_under_it_is_refused(tmp_path):
    with pytest.raises(LedgerFileError, match="表头下面没有任何问题和整改措施"):
        ledger_of(tmp_path, Sheet("模板", [["城关镇整改台账"], HEADER, [""] * 10]))


def test_parse_ledger_takes_grids_already_read():
    grid = Grid(
        name="表",
        rows=[["问题描述", "整改措施", "整改时限"], [WINDOW, "建立首问负责制。", "2024年底"]],
    )

    ledger = parse_ledger([grid], today=TODAY)

    assert ledger.measure_count() == 1
    assert ledger.is_committable


def test_a_lone_measure_under_a_merged_problem_is_a_measure_not_a_section(tmp_path):
    header = ["问题描述", "整改措施", "整改时限"]
    sheet = table(
        [
            [WINDOW, "建立首问负责制。", "2024年10月"],
            ["", "一、及时回应群众反映的问题", ""],
        ],
        merged=["A2:A3", "C2:C3"],
        header=header,
    )

    (problem,) = ledger_of(tmp_path, sheet).problems

    assert [m.text for m in problem.measures] == ["建立首问负责制。", "及时回应群众反映的问题"]


def test_an_enumeration_inside_a_text_keeps_its_first_number(tmp_path):
    text = "一是“三会一课”落实不严格；二是党员参加组织生活不积极。"

    (problem,) = ledger_of(tmp_path, table([row(text, "制定组织生活计划。")])).problems

    assert problem.text == text


def test_group_headings_above_the_header_are_not_the_title(tmp_path):
    sheet = Sheet(
        "台账",
        [
            ["问题情况", "", "整改情况", ""],
            ["问题描述", "整改措施", "责任单位", "完成时限"],
            [WINDOW, "建立首问负责制。", "城关镇", "2024年10月"],
        ],
        merged=["A1:B1", "C1:D1"],
    )

    ledger = ledger_of(tmp_path, sheet)

    assert ledger.title == ""
    assert ledger.problems[0].measures[0].owner_unit == "城关镇"


def test_sub_headers_the_header_does_not_know_are_not_a_row(tmp_path):
    sheet = Sheet(
        "台账",
        [
            ["问题描述", "整改措施", "整改时限", "联络员", ""],
            ["", "", "", "姓名", "职务"],
            [WINDOW, "建立首问负责制。", "2024年10月", "李承办", "党政办主任"],
        ],
        merged=["D1:E1", "A1:A2", "B1:B2", "C1:C2"],
    )

    ledger = ledger_of(tmp_path, sheet)

    assert ledger.issues == ()
    assert [p.text for p in ledger.problems] == [WINDOW]


def test_a_summary_table_counting_problems_and_measures_is_not_a_ledger(tmp_path):
    summary = Sheet("汇总", [["单位", "问题数", "整改措施数", "整改率"], ["城关镇", 3, 7, "50%"]])

    ledger = ledger_of(tmp_path, summary, table([row(WINDOW, "建立首问负责制。")]))

    assert ledger.sheets == ("台账",)


def test_header_cells_spaced_out_or_wrapped_are_recognised(tmp_path):
    header = ["序  号", "问 题 描 述", "整 改\n措 施", "责 任 人", "整改\n时限"]
    sheet = table([[1, WINDOW, "建立首问负责制。", "李  承", "2024年10月"]], header=header)

    measure = ledger_of(tmp_path, sheet).problems[0].measures[0]

    assert (measure.owner, measure.deadline.date) == ("李承", dt.date(2024, 10, 31))


def test_a_section_numbered_in_the_seq_column_and_named_beside_it(tmp_path):
    header = ["序号", "问题描述", "整改措施", "整改时限"]
    sheet = table(
        [
            ["一", "思想政治方面", "", ""],
            [1, "学习流于形式。", "制定学习计划。", "2024年6月"],
            ["二", "工作作风方面", "", ""],
            [2, WINDOW, "建立首问负责制。", "2024年10月"],
        ],
        header=header,
    )

    ledger = ledger_of(tmp_path, sheet)

    assert [(p.text, p.category) for p in ledger.problems] == [
        ("学习流于形式。", "思想政治"),
        (WINDOW, "工作作风"),
    ]
    assert ledger.issues == ()
