"""通报 from a ranking: a draft text with every number computed, which the user edits, then the
official document (.docx, GB/T 9704) written from the edited text."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.db import models

from bihuan import officedoc
from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record
from bihuan.errors import DomainError, NotAllowed
from bihuan.officedoc.writer import date_text
from bihuan.org.models import Role

from .figures import UnitFigures
from .letterhead import Letterhead
from .scoring import rounded
from .services import RankingLine, RankingTable

CHINESE_ORDINALS = "一二三四五六七八九十"


class NoticeKind(models.TextChoices):
    CRITICISE = "criticise", "通报批评"
    COMMEND = "commend", "通报表扬"
    SITUATION = "situation", "情况通报"


def percent(rate: float | None) -> str:
    if rate is None:
        return "—"
    text = f"{rate * 100:.1f}"
    return f"{text.removesuffix('.0')}%"


def points(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _ordinal(n: int) -> str:
    return CHINESE_ORDINALS[n - 1] if n <= len(CHINESE_ORDINALS) else str(n)


@dataclass(frozen=True)
class NoticeDraft:
    kind: str
    title: str
    recipients: str
    body: str
    issuer: str
    date: dt.date
    # Whether the ranking table goes with it as its 附件.
    with_table: bool = True
    # The red 版头 and the 版记 a 通报 carries (letterhead.Letterhead).
    mark: str = ""
    number: str = ""
    copies_to: str = ""
    printer: str = ""

    @property
    def letterhead(self) -> Letterhead:
        return Letterhead(
            mark=self.mark.strip() or self.issuer,
            number=self.number,
            copies_to=self.copies_to,
            printer=self.printer,
        )


def _overall(table: RankingTable) -> str:
    t = table.total
    scored = [line.score.total for line in table.ranked]
    average = sum(scored, Decimal(0)) / len(scored) if scored else None
    parts = [
        f"{table.period.label}（统计截至{date_text(table.as_of)}），{table.group_label}"
        f"共{len(table.ranked)}个单位参与排名"
        + (f"，平均得分{points(rounded(average))}分" if average is not None else ""),
        f"应签收{t.acknowledge_due}件，及时签收{t.acknowledged_on_time}件，签收及时率{percent(t.acknowledge_rate)}",
    ]
    if t.feedback_due:
        parts.append(
            f"督办事项应反馈{t.feedback_due}期，按期反馈{t.feedback_met}期，反馈及时率{percent(t.feedback_rate)}"
        )
    parts += [
        f"到期应办结{t.close_due}件，按期办结{t.closed_on_time}件，按期办结率{percent(t.on_time_rate)}",
        f"本期在办{t.live}件，销号{t.closed}件，销号率{percent(t.closed_rate)}",
        f"逾期未办结{t.overdue}件",
        f"申请销号{t.submitted}件，被退回{t.returned}件，退回率{percent(t.return_rate)}",
    ]
    return "；".join(parts) + "。"


def _unit_sentence(line: RankingLine) -> str:
    f: UnitFigures = line.figures
    parts = [
        f"得分{points(line.score.total)}分，排名第{line.rank}位",
        f"签收及时率{percent(f.acknowledge_rate)}",
    ]
    if f.feedback_due:
        parts.append(f"反馈及时率{percent(f.feedback_rate)}")
    parts += [
        f"按期办结率{percent(f.on_time_rate)}",
        f"销号率{percent(f.closed_rate)}",
        f"逾期{f.overdue}件",
        f"被退回{f.returned}件",
    ]
    if f.escalated:
        parts.append(f"升级督办{f.escalated}件、扣{points(line.score.escalation_deduction)}分")
    return "，".join(parts) + "。"


def _names(lines) -> str:
    return "、".join(line.unit_name for line in lines)


def _chosen(table: RankingTable, kind: str, count: int) -> tuple[RankingLine, ...]:
    ranked = table.ranked
    count = max(0, min(count, len(ranked)))
    if kind == NoticeKind.COMMEND:
        return ranked[:count]
    if kind == NoticeKind.CRITICISE:
        return tuple(reversed(ranked[len(ranked) - count :])) if count else ()
    return ()


def notice_draft(
    table: RankingTable, *, kind: str, count: int, issuer: str, today: dt.date
) -> NoticeDraft:
    """The text of a 通报 from `table`: 表扬 names the first `count`, 批评 the last `count`,
    情况通报 the first and last; the numbers are the table's, nothing is typed."""
    if kind not in NoticeKind.values:
        raise DomainError("请选择通报类型：通报批评、通报表扬或情况通报。", field="kind")
    if not table.ranked:
        raise DomainError("该排名中没有参与排名的单位，无法生成通报。")
    chosen = _chosen(table, kind, count)
    period, group = table.period.label, table.group_label
    lines = []
    if kind == NoticeKind.CRITICISE:
        title = f"关于对{period}整改落实工作推进不力单位予以通报批评的通报"
        lines.append(
            f"为深入推进问题整改落实，及时传导工作压力，根据{period}整改落实工作考评排名结果，"
            f"{_names(chosen)}等{len(chosen)}个单位排名靠后、工作推进不力，现予以通报批评。"
        )
    elif kind == NoticeKind.COMMEND:
        title = f"关于对{period}整改落实工作成效明显单位予以通报表扬的通报"
        lines.append(
            f"为深入推进问题整改落实，激励先进、鞭策后进，根据{period}整改落实工作考评排名结果，"
            f"{_names(chosen)}等{len(chosen)}个单位排名靠前、工作成效明显，现予以通报表扬。"
        )
    else:
        title = f"关于{period}{group}整改落实工作排名情况的通报"
        lines.append(
            f"为深入推进问题整改落实，及时传导工作压力，现将{period}{group}整改落实工作排名情况通报如下。"
        )
    lines += ["一、总体情况", _overall(table)]
    if kind == NoticeKind.SITUATION:
        lines.append("二、排名情况")
        n = min(count, len(table.ranked)) or 1
        top, bottom = table.ranked[:n], table.ranked[-n:]
        lines.append(
            f"排名前{n}位的是："
            + "、".join(f"{line.unit_name}（{points(line.score.total)}分）" for line in top)
            + f"；排名后{n}位的是："
            + "、".join(
                f"{line.unit_name}（{points(line.score.total)}分）" for line in reversed(bottom)
            )
            + "。各单位得分及分项情况见附件。"
        )
    else:
        heading = "二、通报批评单位" if kind == NoticeKind.CRITICISE else "二、通报表扬单位"
        lines.append(heading)
        for index, line in enumerate(chosen, start=1):
            lines.append(f"（{_ordinal(index)}）{line.unit_name}")
            lines.append(_unit_sentence(line))
    lines.append("三、有关要求")
    if kind == NoticeKind.CRITICISE:
        lines.append(
            f"被通报批评的单位要认真查找原因，逐项明确整改措施和完成时限，限期整改到位，"
            f"并将整改情况书面报送{issuer}。"
        )
    elif kind == NoticeKind.COMMEND:
        lines.append("希望受到表扬的单位珍惜荣誉、再接再厉，持续巩固整改成效。")
    lines.append(
        "各单位要对照排名情况，举一反三、查漏补缺，做到任务一布置马上抓落实、工作一完成马上就反馈，"
        "确保问题整改落到实处。"
    )
    return NoticeDraft(
        kind=kind,
        title=title,
        recipients=f"各{table.kind_plural}",
        body="\n".join(lines),
        issuer=issuer,
        date=today,
        # A 通报 goes out under the issuer's own name in red, not as a “文件”.
        mark=issuer,
        printer=issuer,
    )


TABLE_HEADER = (
    "排名",
    "单位",
    "得分",
    "签收及时率",
    "反馈及时率",
    "按期办结率",
    "销号率",
    "逾期",
    "退回率",
)


def ranking_rows(table: RankingTable) -> tuple[tuple[str, ...], ...]:
    """The ranking table's rows as text, for documents and workbooks alike."""
    return tuple(
        (
            str(line.rank) if line.rank is not None else "—",
            line.unit_name,
            points(line.score.total),
            percent(line.figures.acknowledge_rate),
            percent(line.figures.feedback_rate),
            percent(line.figures.on_time_rate),
            percent(line.figures.closed_rate),
            str(line.figures.overdue),
            percent(line.figures.return_rate),
        )
        for line in table.lines
    )


def notice_document(table: RankingTable, draft: NoticeDraft) -> officedoc.Document:
    attachments = ()
    if draft.with_table:
        ranking_table = officedoc.Table(
            header=TABLE_HEADER,
            rows=ranking_rows(table),
            centred=frozenset({0, 2, 3, 4, 5, 6, 7, 8}),
        )
        note = officedoc.Paragraph(
            f"说明：统计截至{date_text(table.as_of)}。得分为签收及时率、反馈及时率、按期办结率、销号率和"
            "（1−退回率）按权重折算的百分制得分，减去逾期扣分和督办升级扣分；无可计分事项的单位不参与排名。"
        )
        title = f"{table.period.label}{table.group_label}整改落实工作排名情况"
        attachments = (officedoc.Attachment(title, (ranking_table, note)),)
    letterhead = draft.letterhead
    return officedoc.Document(
        title=draft.title,
        recipients=draft.recipients,
        blocks=officedoc.blocks_from_text(draft.body),
        issuer=draft.issuer,
        date=draft.date,
        attachments=attachments,
        masthead=letterhead.masthead(),
        colophon=letterhead.colophon(issuer=draft.issuer, printed_on=draft.date),
    )


def notice_write(
    *, table: RankingTable, draft: NoticeDraft, by, now: dt.datetime, out: str | IO[bytes]
) -> None:
    """Write the notice and record who generated it, with its text."""
    if by is not None and not by.has_role(Role.SUPERVISOR):
        raise NotAllowed("只有督查员可以生成通报。")
    if not draft.title.strip() or not draft.body.strip() or not draft.issuer.strip():
        raise DomainError("通报的标题、正文和发文机关不能为空。", field="body")
    officedoc.write_document(notice_document(table, draft), out)
    audit_record(
        AuditAction.EXPORT,
        actor=by,
        obj=table.ranking,
        object_type=None if table.ranking else "rankings.ranking",
        object_repr=draft.title,
        now=now,
        changes={
            "document": NoticeKind(draft.kind).label,
            "period": table.period.key,
            "group": table.group_label,
            "draft_ranking": table.is_draft,
            "title": draft.title,
            "number": draft.number,
            "body": draft.body,
        },
    )
