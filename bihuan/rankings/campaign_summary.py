"""活动总结: a campaign's summary for one unit, as an official document (.docx) and an .xlsx annex.

It is the 整改落实情况报告 of the campaign's period (summary.py, counting only the problems tagged
with the campaign) told after what the campaign itself did: each stage with its dates and how its
requirements were met (campaigns.status), and the meetings, materials, visits and problems
recorded for it (campaigns.summary). Every number is one of those counts; the annex holds the
rows behind each of them, read through the same querysets.
"""

import datetime as dt
from dataclasses import dataclass
from typing import IO

from django.utils import timezone

from bihuan import officedoc
from bihuan.campaigns.models import Campaign, Per
from bihuan.campaigns.periods import campaign_period
from bihuan.campaigns.summary import (
    StageProgress,
    SummaryFigures,
    campaign_materials,
    campaign_meetings,
    campaign_problems,
    campaign_stage_progress,
    campaign_summary_figures,
    campaign_visits,
    problem_is_closed,
)
from bihuan.errors import DomainError, NotAllowed
from bihuan.officedoc.writer import date_text
from bihuan.org.models import Unit
from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.models import LightCutoffs

from .letterhead import Letterhead
from .summary import (
    RectificationReport,
    audit_report,
    case_lines,
    category_lines,
    default_recipients,
    numbered,
    ordinal,
    overall_sentence,
    overdue_lines,
    report_data,
    returned_lines,
    unit_table,
    with_letterhead,
)
from .summary_annex import flag, report_sheets
from .workbook import Sheet, write_sheets


@dataclass(frozen=True)
class CampaignSummary:
    campaign: Campaign
    report: RectificationReport  # the campaign's period, for the unit
    figures: SummaryFigures
    stages: tuple[StageProgress, ...]

    @property
    def unit(self) -> Unit:
        return self.report.unit

    @property
    def today(self) -> dt.date:
        return self.report.window.cutoffs.today


def summary_unit(campaign: Campaign, user) -> Unit:
    """Whose summary it is unless the user says: the organiser's, if the user sees it, else
    the user's own unit's (a township summing up its part in a county's campaign)."""
    if campaign.organiser.is_visible_to(user) or user.unit is None:
        return campaign.organiser
    return user.unit


def campaign_summary_data(
    *,
    user,
    campaign: Campaign,
    unit: Unit,
    cutoffs: LightCutoffs,
    calendar: WorkCalendar,
    case_ids=(),
) -> CampaignSummary:
    """The figures of `unit`'s 活动总结 as `user` sees them; a campaign the user does not see is
    refused like one that does not exist."""
    if user is None:
        # The campaign's status and counts are read in a person's scope (campaigns.status).
        raise DomainError("活动总结按账号的管理范围统计，请指定账号。", field="user")
    if not campaign.is_visible_to(user):
        raise NotAllowed(f"找不到专项活动“campaign-{campaign.pk}”，或该活动不在您的管理范围内。")
    report = report_data(
        user=user,
        unit=unit,
        period=campaign_period(campaign),
        cutoffs=cutoffs,
        case_ids=case_ids,
    )
    return CampaignSummary(
        campaign=campaign,
        report=report,
        figures=campaign_summary_figures(campaign, user, unit=unit),
        stages=campaign_stage_progress(
            campaign, user, today=cutoffs.today, calendar=calendar, unit=unit
        ),
    )


# -- the document ---------------------------------------------------------------------------


def summary_title(summary: CampaignSummary) -> str:
    return f"{summary.unit.name}关于{summary.campaign.name}开展情况的总结"


def summary_recipients(summary: CampaignSummary) -> str:
    """To the organiser, or for the organiser's own summary to the unit above it."""
    campaign, unit = summary.campaign, summary.unit
    return campaign.organiser.name if unit.pk != campaign.organiser_id else default_recipients(unit)


def _intro(summary: CampaignSummary) -> str:
    campaign, unit = summary.campaign, summary.unit
    ends = (
        f"至{date_text(campaign.ends_on)}结束"
        if summary.today > campaign.ends_on
        else f"计划于{date_text(campaign.ends_on)}结束"
    )
    who = "" if unit.pk == campaign.organiser_id else f"{campaign.organiser.name}部署的"
    return (
        f"{who}{campaign.name}于{date_text(campaign.starts_on)}启动，{ends}。"
        f"{unit.name}按照活动安排，逐阶段抓好落实。现将活动开展情况总结如下。"
    )


def activity_sentence(summary: CampaignSummary) -> str:
    f = summary.figures
    kinds = "、".join(f"{label}{count}份" for label, count in f.materials_by_kind.items())
    return (
        f"截至{date_text(summary.today)}，活动中共召开会议{f.meetings}次，其中学习研讨会{f.study_sessions}次，"
        f"会议时长合计{f.meeting_minutes}分钟；提交各类材料{f.materials}份"
        + (f"（{kinds}）" if kinds else "")
        + f"；开展调研走访{f.visits}次，累计{f.visit_days.normalize():f}人天，走访农户{f.households}户；"
        f"查摆问题{f.problems}个，已整改完成{f.problems_closed}个，整改完成率{f.closed_percent}。"
    )


def stage_lines(summary: CampaignSummary) -> list[str]:
    lines = [f"活动分{len(summary.stages)}个阶段推进，各阶段要求完成情况如下。"]
    for n, progress in enumerate(summary.stages, start=1):
        stage = progress.stage
        lines.append(
            f"（{ordinal(n)}）{stage.name}（{date_text(stage.starts_on)}至{date_text(stage.ends_on)}）"
        )
        if not progress.requirements:
            lines.append("本阶段未设定提交材料、召开会议或调研走访的要求。")
        for r in progress.requirements:
            one = "人" if r.requirement.per == Per.PERSON else "个"
            whom = "人" if r.requirement.per == Per.PERSON else "个单位"
            if not r.total:
                lines.append(
                    f"{r.requirement.label}，截止{date_text(r.due)}：本单位不在要求范围内。"
                )
                continue
            lines.append(
                f"{r.requirement.label}，截止{date_text(r.due)}：应完成{r.total}{whom}，"
                f"按时完成{r.done}{one}，逾期完成{r.late}{one}，逾期未完成{r.missing}{one}，"
                f"尚未到期{r.pending}{one}。"
            )
    return lines


@dataclass(frozen=True)
class SummaryDraft:
    """The text of a 活动总结 as the user edits it, and what goes around it."""

    title: str
    recipients: str
    body: str
    issuer: str
    date: dt.date
    # The figures by unit go with it as its 附件.
    with_table: bool = True
    letterhead: Letterhead | None = None


def summary_draft(summary: CampaignSummary, *, issuer: str = "") -> SummaryDraft:
    """The draft with every number computed: the campaign's stages and counts, then its
    rectification figures, overdue and returned measures and the typical cases picked."""
    report = summary.report
    units = "各单位整改措施落实情况见附件。" if report.by_unit else "各单位均没有需统计的整改措施。"
    blocks = numbered(
        [
            ("", [_intro(summary)]),
            ("活动开展情况", [activity_sentence(summary), *stage_lines(summary)]),
            ("问题整改情况", [overall_sentence(report), *category_lines(report), units]),
            ("逾期和退回情况", overdue_lines(report) + returned_lines(report)),
            ("典型案例", case_lines(report)),
            (
                "下一步打算",
                [
                    f"巩固{summary.campaign.name}成果，对尚未完成的整改措施和活动要求逐项明确责任和时限，"
                    "加强跟踪督办；对已销号的整改措施开展“回头看”，把活动中形成的好做法固化为长效机制。"
                ],
            ),
        ]
    )
    return SummaryDraft(
        title=summary_title(summary),
        recipients=summary_recipients(summary),
        body="\n".join(block.text for block in blocks),
        issuer=issuer or summary.unit.name,
        date=summary.today,
    )


def table_title(summary: CampaignSummary) -> str:
    return f"{summary.campaign.name}各单位整改情况"


def summary_document(summary: CampaignSummary, draft: SummaryDraft) -> officedoc.Document:
    attachments = ()
    if draft.with_table and summary.report.by_unit:
        note = officedoc.Paragraph(
            f"说明：统计截至{date_text(summary.report.window.as_of)}，只统计标注为{summary.campaign.name}"
            "的问题及其整改措施。"
        )
        attachments = (
            officedoc.Attachment(table_title(summary), (unit_table(summary.report), note)),
        )
    return with_letterhead(
        officedoc.Document(
            title=draft.title,
            recipients=draft.recipients,
            blocks=officedoc.blocks_from_text(draft.body),
            issuer=draft.issuer,
            date=draft.date,
            attachments=attachments,
        ),
        draft.letterhead,
    )


def summary_write(
    *, user, summary: CampaignSummary, draft: SummaryDraft, now: dt.datetime, out: str | IO[bytes]
) -> None:
    """Write the 活动总结 from the (edited) draft and record who generated it, with its text."""
    if not draft.title.strip() or not draft.body.strip() or not draft.issuer.strip():
        raise DomainError("活动总结的标题、正文和发文机关不能为空。", field="body")
    officedoc.write_document(summary_document(summary, draft), out)
    audit_report(
        user,
        summary.report,
        now,
        "活动总结",
        title=draft.title,
        campaign=summary.campaign.pk,
        body=draft.body,
    )


# -- the annex --------------------------------------------------------------------------------


def _stage_rows(summary: CampaignSummary):
    n = 0
    for progress in summary.stages:
        for r in progress.requirements:
            for cell in r.cells:
                n += 1
                yield (
                    n,
                    progress.stage.name,
                    r.requirement.label,
                    date_text(r.due),
                    cell.unit.name,
                    cell.person.name if cell.person else "",
                    cell.status_label,
                    date_text(cell.done_on) if cell.done_on else "",
                )


def _yes(value: bool) -> str:
    return "是" if value else ""


def campaign_sheets(*, user, summary: CampaignSummary, title: str) -> list[Sheet]:
    """The rows behind the campaign's own counts: requirements met or not, meetings, materials,
    visits and problems."""
    campaign, unit = summary.campaign, summary.unit
    meetings = campaign_meetings(campaign, user, unit=unit).select_related("unit")
    materials = campaign_materials(campaign, user, unit=unit).select_related("unit", "author")
    visits = (
        campaign_visits(campaign, user, unit=unit)
        .select_related("unit", "place_unit")
        .prefetch_related("people")
    )
    problems = (
        campaign_problems(campaign, user, unit=unit)
        .select_related("unit", "category")
        .annotate(is_closed=flag(problem_is_closed()))
    )
    return [
        Sheet(
            "活动要求",
            f"{title}：各阶段要求完成情况",
            ("序号", "阶段", "要求", "截止日期", "单位", "干部", "完成情况", "完成日期"),
            _stage_rows(summary),
            widths=(6, 12, 30, 14, 16, 10, 10, 14),
        ),
        Sheet(
            "会议",
            f"{title}：召开的会议",
            ("序号", "召开单位", "召开日期", "会议名称", "会议类型", "时长（分钟）", "参会人数"),
            (
                (
                    n,
                    m.unit.name,
                    date_text(m.held_on),
                    m.title,
                    m.get_kind_display(),
                    m.minutes,
                    m.attendees,
                )
                for n, m in enumerate(meetings.order_by("held_on", "pk"), start=1)
            ),
            widths=(6, 16, 14, 36, 12, 12, 10),
        ),
        Sheet(
            "材料",
            f"{title}：提交的材料",
            ("序号", "单位", "作者", "材料类型", "标题", "提交时间"),
            (
                (
                    n,
                    m.unit.name,
                    m.author.name,
                    m.get_kind_display(),
                    m.title,
                    date_text(timezone.localdate(m.uploaded_at)),
                )
                for n, m in enumerate(materials.order_by("uploaded_at", "pk"), start=1)
            ),
            widths=(6, 16, 10, 14, 40, 14),
        ),
        Sheet(
            "调研走访",
            f"{title}：调研走访",
            (
                "序号",
                "组织单位",
                "走访人员",
                "开始日期",
                "结束日期",
                "计入天数",
                "人天",
                "地点",
                "走访农户",
            ),
            (
                (
                    n,
                    v.unit.name,
                    "、".join(p.name for p in v.people.all()),
                    date_text(v.starts_on),
                    date_text(v.ends_on),
                    float(v.days),
                    float(v.days * len(v.people.all())),
                    v.place_unit.name if v.place_unit else v.place,
                    v.households,
                )
                for n, v in enumerate(visits.order_by("starts_on", "pk"), start=1)
            ),
            widths=(6, 16, 20, 14, 14, 10, 8, 16, 10),
        ),
        Sheet(
            "活动问题",
            f"{title}：活动中查摆的问题",
            ("序号", "责任主体", "问题类别", "问题", "登记时间", "整改完成"),
            (
                (
                    n,
                    p.unit.name,
                    p.category.name,
                    p.description,
                    date_text(timezone.localdate(p.created_at)),
                    _yes(p.is_closed),
                )
                for n, p in enumerate(problems.order_by("created_at", "pk"), start=1)
            ),
            widths=(6, 16, 12, 50, 14, 10),
        ),
    ]


def summary_annex_write(*, user, summary: CampaignSummary, now: dt.datetime, out) -> dict[str, int]:
    """The campaign's own rows, then the rectification report's (summary_annex)."""
    title = summary_title(summary)
    sheets = campaign_sheets(user=user, summary=summary, title=title) + report_sheets(
        user=user, report=summary.report, title=title
    )
    written = write_sheets(out, sheets)
    audit_report(
        user,
        summary.report,
        now,
        "活动总结附件",
        title=title,
        campaign=summary.campaign.pk,
        rows=written,
    )
    return written
