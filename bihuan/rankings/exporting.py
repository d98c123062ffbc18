"""A ranking as a workbook: one row per unit with every count and part of its score."""

import datetime as dt
from typing import IO

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record
from bihuan.officedoc.writer import date_text

from .notices import percent, points
from .services import RankingTable
from .workbook import Sheet, write_sheets

HEADER = (
    "名次", "单位", "得分", "基础分",
    "应签收", "及时签收", "签收及时率", "签收得分",
    "应反馈期数", "按期反馈期数", "反馈及时率", "反馈得分",
    "到期应办结", "按期办结", "按期办结率", "办结得分",
    "本期在办", "本期销号", "销号率", "销号得分",
    "申请销号", "被退回", "退回率", "退回得分",
    "逾期", "逾期扣分", "升级督办", "督办扣分",
)  # fmt: skip


def _row(line) -> tuple:
    f, s = line.figures, line.score
    part = {p.key: points(p.points) for p in s.parts}
    return (
        line.rank if line.rank is not None else "—", line.unit_name,
        points(s.total), points(s.base),
        f.acknowledge_due, f.acknowledged_on_time, percent(f.acknowledge_rate), part["acknowledge"],
        f.feedback_due, f.feedback_met, percent(f.feedback_rate), part["feedback"],
        f.close_due, f.closed_on_time, percent(f.on_time_rate), part["on_time"],
        f.live, f.closed, percent(f.closed_rate), part["closed"],
        f.submitted, f.returned, percent(f.return_rate), part["returned"],
        f.overdue, points(s.overdue_deduction), f.escalated, points(s.escalation_deduction),
    )  # fmt: skip


def ranking_title(table: RankingTable) -> str:
    state = "（草稿）" if table.is_draft else ""
    return f"{table.period.label}{table.group_label}整改落实工作排名{state}"


def ranking_export(*, table: RankingTable, by, now: dt.datetime, out: str | IO[bytes]) -> int:
    title = f"{ranking_title(table)}  统计截至{date_text(table.as_of)}"
    written = write_sheets(
        out, [Sheet("排名", title, HEADER, (_row(line) for line in table.lines))]
    )
    audit_record(
        AuditAction.EXPORT,
        actor=by,
        obj=table.ranking,
        object_type=None if table.ranking else "rankings.ranking",
        object_repr=ranking_title(table),
        now=now,
        changes={"document": "排名表", "period": table.period.key, "rows": written["排名"]},
    )
    return written["排名"]
