import pytest

from bihuan.tabular.header import column_key, find_header, normalise_label
from bihuan.tabular.sheet import SheetView
from bihuan.tabular.workbook import Grid

ONE_ROW = [
    "序号",
    "问题类别",
    "问题描述",
    "整改措施",
    "责任领导",
    "责任单位",
    "责任人",
    "整改时限",
    "完成情况",
]


def grid(rows, merged=()):
    return SheetView(Grid(name="台账", rows=[list(row) for row in rows], merged=list(merged)))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("问题描述", "problem"),
        ("存在问题", "problem"),
        ("问题表现（具体到事）", "problem"),
        ("存在的主要问题", "problem"),
        ("具体整改措施", "measure"),
        ("整改措施及要求", "measure"),
        ("问题整改措施", "measure"),
        ("牵头领导", "lead"),
        ("督导领导", "lead"),
        ("牵头单位", "owner_unit"),
        ("责任单位\n（部门）", "owner_unit"),
        ("责任单位及责任人", "owner_unit"),
        ("具体责任人（具体到人）", "owner"),
        ("整改\n时限", "deadline"),
        ("*整改时限", "deadline"),
        ("完成时限要求", "deadline"),
        ("计划完成日期", "deadline"),
        ("整改完成时间", "deadline"),
        ("完成情况", "status"),
        ("整改进展", "status"),
        ("问题整改情况", "status"),
        ("是否销号", "status"),
        ("整改落实情况", "progress"),
        ("问题类型", "category"),
        ("问题来源", "source"),
        ("原因剖析", "cause"),
        ("序  号", "seq"),
        ("问题编号", "seq"),
        ("备  注", "note"),
        ("隐患描述", "problem"),
        ("巡察反馈意见", "problem"),
        ("整改要求", "measure"),
        ("整改计划完成时间", "deadline"),
    ],
)
def test_header_cells_are_recognised_by_meaning(text, key):
    assert column_key(text)[0] == key


@pytest.mark.parametrize(
    "text",
    [
        "实际完成时间",
        "完成时间（实际）",
        "销号日期",
        "填报单位：（盖章）",
        "整改目标",
        "问题数",
        "整改率",
        "",
    ],
)
def test_cells_that_name_no_ledger_column_are_not_recognised(text):
    assert column_key(text) == (None, False)


def test_a_synonym_matches_exactly_and_a_wording_by_contains():
    assert column_key("完成时限") == ("deadline", True)
    assert column_key("整改完成时限") == ("deadline", False)


def test_labels_are_normalised_without_spaces_line_breaks_notes_or_marks():
    assert normalise_label(" 责任人\n（具体到人） ") == "责任人"
    assert normalise_label("整改时限(单位)：") == "整改时限"
    assert normalise_label("＊问题【必填】描述") == "问题描述"


def test_the_header_is_found_below_the_title_and_reporting_lines():
    view = grid(
        [
            ["附件2", "", "", ""],
            ["河西乡巡察整改台账", "", "", ""],
            ["填报单位：河西乡党委", "", "填报时间：2024年5月6日", ""],
            ["序号", "存在问题", "整改举措", "完成时限"],
            ["1", "学习流于形式", "制定学习计划", "2024年6月底前"],
        ]
    )

    header = find_header(view)

    assert (header.top, header.bottom) == (3, 3)
    assert header.columns == {"seq": 0, "problem": 1, "measure": 2, "deadline": 3}
    assert header.complete


def test_a_group_cell_over_sub_headers_makes_a_two_row_header():
    view = grid(
        [
            ["序号", "问题描述", "整改措施", "整改责任", "", "", "整改时限"],
            ["", "", "", "牵头领导", "牵头单位", "责任人", ""],
            ["1", "村务公开不及时", "每月公开村务", "钱书记", "城关镇", "陈文书", "长期坚持"],
        ],
        merged=[
            ((0, 3), (0, 5)),
            ((0, 0), (1, 0)),
            ((0, 1), (1, 1)),
            ((0, 2), (1, 2)),
            ((0, 6), (1, 6)),
        ],
    )

    header = find_header(view)

    assert (header.top, header.bottom) == (0, 1)
    assert header.columns == {
        "seq": 0,
        "problem": 1,
        "measure": 2,
        "lead": 3,
        "owner_unit": 4,
        "owner": 5,
        "deadline": 6,
    }
    assert header.labels["lead"] == "牵头领导"


def test_a_group_named_like_a_column_still_gives_way_to_its_sub_headers():
    # 责任主体 alone would be the unit column; over sub-headers it is only a group.
    view = grid(
        [
            ["问题", "措施", "责任主体", "", "", "时限"],
            ["", "", "包保领导", "责任单位", "具体责任人", ""],
            ["会议多", "精简会议", "赵县长", "县委办", "周督查", "2024年底"],
        ],
        merged=[((0, 2), (0, 4))],
    )

    header = find_header(view)

    assert header.bottom == 1
    assert [header.columns[key] for key in ("lead", "owner_unit", "owner", "deadline")] == [
        2,
        3,
        4,
        5,
    ]


def test_a_data_row_under_a_one_row_header_is_not_taken_for_sub_headers():
    view = grid(
        [
            ONE_ROW,
            [
                "1",
                "作风",
                "窗口推诿扯皮",
                "建立首问负责制",
                "赵县长",
                "城关镇",
                "李承办",
                "长期坚持",
                "正在推进",
            ],
        ]
    )

    header = find_header(view)

    assert (header.top, header.bottom) == (0, 0)
    assert header.columns["status"] == 8


def test_a_second_status_like_column_holds_the_progress():
    view = grid([["问题描述", "整改措施", "完成情况", "整改进展"]])

    header = find_header(view)

    assert header.columns["status"] == 2
    assert header.columns["progress"] == 3
    assert header.labels["progress"] == "整改进展"


def test_the_first_of_two_columns_with_the_same_meaning_wins_and_exact_names_go_first():
    view = grid([["主要问题表现", "问题描述", "整改措施", "责任单位", "牵头部门"]])

    header = find_header(view)

    assert header.columns["problem"] == 1
    assert header.columns["owner_unit"] == 3


def test_labels_keep_the_header_text_with_line_breaks_joined():
    view = grid([["问题\n描述", "整改\n措施", "整改时限\n（具体到日）"]])

    header = find_header(view)

    assert header.labels == {
        "problem": "问题描述",
        "measure": "整改措施",
        "deadline": "整改时限（具体到日）",
    }


def test_a_header_with_problems_but_no_measures_is_returned_incomplete():
    view = grid([["序号", "问题描述", "责任单位"], ["1", "会议多", "县委办"]])

    header = find_header(view)

    assert header is not None
    assert not header.complete
    assert "measure" not in header.columns


def test_a_sheet_without_anything_like_a_header_has_none():
    view = grid(
        [["填报说明"], ["1. 整改时限请写到具体日期。"], ["2. 完成情况填写已完成或正在整改。"]]
    )

    assert find_header(view) is None
