"""The columns of a 整改台账: the name Bihuan writes, and the names real ledgers use for them.

The reader recognises a header cell by these synonyms (after dropping spaces, line breaks and
bracketed notes such as "（具体到人）"); the writer uses `name` as the header, so an exported file
reads back unchanged.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    name: str
    synonyms: tuple[str, ...] = ()
    width: float = 12  # characters, for the export; the widths add up to one A4 landscape page

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.synonyms)


SEQ = Column("seq", "序号", ("编号", "序", "问题序号", "问题编号"), width=5)
SOURCE = Column("source", "问题来源", ("来源",), width=8)
CATEGORY = Column(
    "category",
    "问题类别",
    ("问题类型", "问题分类", "类别", "类型", "问题方面", "方面", "问题领域"),
    width=8,
)
PROBLEM = Column(
    "problem",
    "问题描述",
    (
        "存在问题",
        "问题表现",
        "问题",
        "问题内容",
        "具体问题",
        "主要问题",
        "突出问题",
        "查摆问题",
        "检视问题",
        "反馈问题",
        "问题清单",
        "问题具体表现",
        "存在的问题",
        "问题及表现",
        "问题描述及表现",
    ),
    width=30,
)
CAUSE = Column(
    "cause", "原因分析", ("原因", "问题原因", "原因剖析", "产生原因", "根源剖析"), width=20
)
MEASURE = Column(
    "measure",
    "整改措施",
    (
        "具体整改措施",
        "措施",
        "整改举措",
        "整改任务",
        "整改措施及要求",
        "整改具体措施",
        "主要措施",
        "整改内容",
    ),
    width=34,
)
LEAD = Column(
    "lead",
    "责任领导",
    ("牵头领导", "分管领导", "责任领导人", "包保领导", "牵头责任领导", "领导"),
    width=8,
)
OWNER_UNIT = Column(
    "owner_unit",
    "责任单位",
    ("牵头单位", "责任部门", "牵头部门", "责任科室", "承办单位", "责任主体", "责任单位（部门）"),
    width=12,
)
OWNER = Column(
    "owner", "责任人", ("具体责任人", "经办人", "直接责任人", "落实责任人", "具体负责人"), width=8
)
DEADLINE = Column(
    "deadline",
    "整改时限",
    (
        "完成时限",
        "整改期限",
        "完成时间",
        "时限",
        "时限要求",
        "整改时间",
        "计划完成时间",
        "完成期限",
    ),
    width=12,
)
STATUS = Column(
    "status",
    "完成情况",
    (
        "整改进展情况",
        "整改进展",
        "整改情况",
        "进展情况",
        "整改状态",
        "是否完成",
        "整改完成情况",
        "状态",
    ),
    width=10,
)
# When a file has both a status column and a second progress-like one (完成情况 and 整改进展,
# say), the second holds the progress text.
PROGRESS = Column("progress", "最新进展", ("进展说明", "整改成效", "整改落实情况"), width=24)
NOTE = Column("note", "备注", ("说明",), width=10)

# Reading order does not matter; this is the export's column order.
EXPORT_COLUMNS = (
    SEQ,
    CATEGORY,
    PROBLEM,
    MEASURE,
    LEAD,
    OWNER_UNIT,
    OWNER,
    DEADLINE,
    STATUS,
    PROGRESS,
    NOTE,
)
ALL_COLUMNS = (
    SEQ,
    SOURCE,
    CATEGORY,
    PROBLEM,
    CAUSE,
    MEASURE,
    LEAD,
    OWNER_UNIT,
    OWNER,
    DEADLINE,
    STATUS,
    PROGRESS,
    NOTE,
)
