import pytest

from bihuan.tabular.records import CellError, Status
from bihuan.tabular.statuses import VOCABULARY, WORDS, parse_status

CONTRACT = [
    ("已完成", Status.CLOSED),
    ("已销号", Status.CLOSED),
    ("已整改销号", Status.CLOSED),
    ("完成整改", Status.CLOSED),
    ("已整改到位", Status.CLOSED),
    ("已经解决", Status.CLOSED),
    ("正在整改", Status.IN_PROGRESS),
    ("正在推进", Status.IN_PROGRESS),
    ("正在解决", Status.IN_PROGRESS),
    ("持续整改", Status.IN_PROGRESS),
    ("基本完成", Status.IN_PROGRESS),
    ("部分整改", Status.IN_PROGRESS),
    ("未完成", Status.IN_PROGRESS),
    ("长期坚持", Status.IN_PROGRESS),
    ("申请延期", Status.EXTENSION_REQUESTED),
    ("申请延期整改", Status.EXTENSION_REQUESTED),
    ("准备着手解决", Status.ASSIGNED),
    ("未启动", Status.ASSIGNED),
]


@pytest.mark.parametrize(("text", "status"), CONTRACT)
def test_contract_words_map_to_their_status(text, status):
    assert parse_status(text) == (status, "")


@pytest.mark.parametrize("value", [None, "", "   ", "\n", "—", "-"])
def test_a_blank_status_is_assigned(value):
    assert parse_status(value) == (Status.ASSIGNED, "")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("待交办", Status.DRAFT),
        ("待签收", Status.ASSIGNED),
        ("整改中", Status.IN_PROGRESS),
        ("申请销号", Status.SUBMITTED),
        ("已销号", Status.CLOSED),
        ("已撤销", Status.CANCELLED),
    ],
)
def test_bihuan_state_words_read_back(text, status):
    assert parse_status(text) == (status, "")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("已整改", Status.CLOSED),
        ("已办结", Status.CLOSED),
        ("整改完成", Status.CLOSED),
        ("已落实", Status.CLOSED),
        ("已完成整改", Status.CLOSED),
        ("已解决", Status.CLOSED),
        ("推进中", Status.IN_PROGRESS),
        ("进行中", Status.IN_PROGRESS),
        ("正在落实", Status.IN_PROGRESS),
        ("持续推进", Status.IN_PROGRESS),
        ("长期坚持中", Status.IN_PROGRESS),
        ("正在整改中", Status.IN_PROGRESS),
        ("部分完成", Status.IN_PROGRESS),
        ("尚未完成", Status.IN_PROGRESS),
        ("已申请延期", Status.EXTENSION_REQUESTED),
        ("已申请销号", Status.SUBMITTED),
        ("未开始", Status.ASSIGNED),
        ("尚未启动", Status.ASSIGNED),
        ("撤销", Status.CANCELLED),
        ("是", Status.CLOSED),
        ("否", Status.IN_PROGRESS),
    ],
)
def test_common_variants_map_to_their_status(text, status):
    assert parse_status(text) == (status, "")


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (" 已完成 ", Status.CLOSED),
        ("已完成。", Status.CLOSED),
        ("已完成！", Status.CLOSED),
        ("已 完 成", Status.CLOSED),
        ("已完成\n", Status.CLOSED),
        ("正在整改…", Status.IN_PROGRESS),
        ("未完成；", Status.IN_PROGRESS),
        ("申请延期。", Status.EXTENSION_REQUESTED),
        (True, Status.CLOSED),
        (False, Status.IN_PROGRESS),
    ],
)
def test_whitespace_and_trailing_punctuation_do_not_matter(value, status):
    assert parse_status(value) == (status, "")


@pytest.mark.parametrize("text", ["未完成", "基本完成", "尚未完成", "部分完成", "未完成整改"])
def test_negated_and_partial_completion_is_never_closed(text):
    assert parse_status(text)[0] == Status.IN_PROGRESS


@pytest.mark.parametrize(
    ("text", "status", "rest"),
    [
        (
            "已完成。2024年3月制定了学习计划，已开展集中学习4次。",
            Status.CLOSED,
            "2024年3月制定了学习计划，已开展集中学习4次。",
        ),
        ("正在整改：已完成初稿", Status.IN_PROGRESS, "已完成初稿"),
        ("正在整改:已完成初稿", Status.IN_PROGRESS, "已完成初稿"),
        ("正在整改\n已完成初稿", Status.IN_PROGRESS, "已完成初稿"),
        ("正在整改（已完成初稿）", Status.IN_PROGRESS, "已完成初稿"),
        ("已完成（1）制定计划；（2）开展学习", Status.CLOSED, "（1）制定计划；（2）开展学习"),
        ("未完成，预计6月底完成", Status.IN_PROGRESS, "预计6月底完成"),
        ("基本完成，剩余两项", Status.IN_PROGRESS, "剩余两项"),
        ("已完成整改。已建立台账", Status.CLOSED, "已建立台账"),
        ("申请延期：涉及资金未到位", Status.EXTENSION_REQUESTED, "涉及资金未到位"),
        ("  长期坚持，每月通报 ", Status.IN_PROGRESS, "每月通报"),
    ],
)
def test_a_status_word_then_punctuation_keeps_the_rest_as_progress(text, status, rest):
    assert parse_status(text) == (status, rest)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("下个月", "下个月"),
        ("已完成80%", "已完成80%"),
        ("完成率80%", "完成率80%"),
        ("是否完成", "是否完成"),
        ("按计划推进", "按计划推进"),
        ("2024年3月制定了学习计划。已完成", "2024年3月制定了学习计划。已完成"),
        (" 不清楚 ", "不清楚"),
        (1, "1"),
    ],
)
def test_anything_else_is_refused_naming_the_text(value, shown):
    with pytest.raises(CellError) as refused:
        parse_status(value)

    assert str(refused.value) == (
        f"无法识别的完成情况：{shown}（可写“已完成”“正在整改”“申请延期”或留空）"
    )


def test_no_word_maps_to_two_statuses():
    words = [word for _, group in VOCABULARY for word in group]

    assert len(words) == len(set(words)) == len(WORDS)
