"""完成情况 as ledgers write it, read into a `Status` and whatever progress text follows the word.

The words are the import contract's, Bihuan's own state names (so an exported ledger reads back),
and common variants that agree with both.
"""

import re
import unicodedata

from bihuan.tabular.records import CellError, Status

VOCABULARY: tuple[tuple[Status, tuple[str, ...]], ...] = (
    (
        Status.CLOSED,
        (
            "已完成",
            "已销号",
            "已整改销号",
            "完成整改",
            "已整改到位",
            "已经解决",
            "已整改",
            "已办结",
            "整改完成",
            "已落实",
            "已完成整改",
            "已整改完成",
            "已整改完毕",
            "整改完毕",
            "整改到位",
            "已落实到位",
            "已完成销号",
            "已解决",
            "已经完成",
            "完成",
            "办结",
            "是",  # a 是否完成 column
        ),
    ),
    (
        Status.IN_PROGRESS,
        (
            "正在整改",
            "正在推进",
            "正在解决",
            "持续整改",
            "基本完成",
            "部分整改",
            "未完成",
            "长期坚持",
            "推进中",
            "整改中",
            "进行中",
            "正在落实",
            "持续推进",
            "长期坚持中",
            "正在整改中",
            "正在进行",
            "正在实施",
            "正在办理",
            "办理中",
            "落实中",
            "持续落实",
            "部分完成",
            "基本整改到位",
            "尚未完成",
            "未完成整改",
            "已启动",
            "否",  # a 是否完成 column: not yet, as 未完成
        ),
    ),
    (Status.EXTENSION_REQUESTED, ("申请延期", "申请延期整改", "已申请延期")),
    (Status.SUBMITTED, ("申请销号", "已申请销号", "待销号")),
    (Status.DRAFT, ("待交办",)),
    (
        Status.ASSIGNED,
        (
            "",
            "准备着手解决",
            "未启动",
            "尚未启动",
            "未开始",
            "尚未开始",
            "待启动",
            "待签收",
            "已交办",
        ),
    ),
    (Status.CANCELLED, ("已撤销", "撤销", "已取消")),
)
WORDS: dict[str, Status] = {word: status for status, words in VOCABULARY for word in words}

# Dashes count as punctuation: "—" in a status column means nothing written yet.
_PUNCTUATION = r",.;:!?，。；：！？、…~\-—/"
_TRAILING_PUNCTUATION = re.compile(rf"[{_PUNCTUATION}]+$")
# Longest first, so 未完成, 基本完成 and 已完成整改 win over the words they contain.
_ALTERNATION = "|".join(
    re.escape(word) for word in sorted(filter(None, WORDS), key=len, reverse=True)
)
# The separator may be a bracket opening the rest: "已完成（1）……（2）……" keeps its brackets.
_WORD_THEN_TEXT = re.compile(
    rf"(?P<word>{_ALTERNATION})(?:\s*[{_PUNCTUATION}]+|\s+|(?=\s*[（(]))(?P<rest>.+)", re.S
)
_WORD_THEN_BRACKETED = re.compile(rf"(?P<word>{_ALTERNATION})\s*[（(](?P<rest>[^（()）]+)[）)]")


def _key(text: str) -> str:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return _TRAILING_PUNCTUATION.sub("", text)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value).strip()


def parse_status(value: object) -> tuple[Status, str]:
    """The status a 完成情况 cell states and the progress text after its word, if any:
    "已完成。2024年3月制定了学习计划" → (closed, "2024年3月制定了学习计划"). Blank is assigned.

    Raises CellError naming the text when it neither is nor starts with a known word.
    """
    text = _cell_text(value)
    status = WORDS.get(_key(text))
    if status is not None:
        return status, ""
    for pattern in (_WORD_THEN_BRACKETED, _WORD_THEN_TEXT):
        match = pattern.fullmatch(text)
        if match and match["rest"].strip():
            return WORDS[match["word"]], match["rest"].strip()
    raise CellError(f"无法识别的完成情况：{text}（可写“已完成”“正在整改”“申请延期”或留空）")
