"""催办 of what a campaign's units and cadres have not yet done, through the notify app: the
bell, and the channels of the recipients' units."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record
from bihuan.errors import DomainError, NotAllowed
from bihuan.notify.models import Kind, Notification
from bihuan.notify.services import MESSAGE_MAX_LENGTH, Notice, notify_people
from bihuan.org.models import Role, User
from bihuan.workflow.calendar import WorkCalendar

from .models import Campaign, Requirement
from .status import CampaignStatus, Cell, campaign_status


@dataclass(frozen=True)
class CampaignUrgeResult:
    urged: int  # cells (a unit's or a person's requirement) urged
    notified: int  # notifications written
    nobody: tuple[str, ...]  # units with no handler to tell


def _handlers(unit_ids: set[int]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = {unit_id: [] for unit_id in unit_ids}
    people = User.objects.filter(
        is_active=True, unit_id__in=unit_ids, role_grants__role=Role.HANDLER
    ).order_by("pk")
    for person in people:
        found[person.unit_id].append(person)
    return found


def _text(cell: Cell, *, by, message: str) -> str:
    requirement = cell.requirement
    done = f"，已完成{cell.done.normalize():f}" if cell.done else ""
    text = (
        f"{by}催办：专项活动“{requirement.stage.campaign}”{requirement.stage.name}阶段要求"
        f"{requirement.label}，截止{cell.due:%Y年%-m月%-d日}，{cell.who}尚未完成{done}。"
    )
    return f"{text}{message}" if message else text


def campaign_urge(
    *,
    campaign: Campaign,
    by,
    now: dt.datetime,
    calendar: WorkCalendar,
    requirement: Requirement | None = None,
    message: str = "",
) -> CampaignUrgeResult:
    """催办 every unit and cadre the urger sees who has not yet met a requirement (one, or all
    of the campaign's): a unit's handlers are told, a cadre in person."""
    if not by.has_role(Role.SUPERVISOR):
        raise NotAllowed("只有督查员可以催办。")
    message = message.strip()
    if len(message) > MESSAGE_MAX_LENGTH:
        raise DomainError(f"催办留言不能超过 {MESSAGE_MAX_LENGTH} 个字。", field="message")
    status = campaign_status(
        campaign=campaign, user=by, today=timezone.localdate(now), calendar=calendar
    )
    cells = status.open_cells(requirement)
    if not cells:
        raise DomainError("没有需要催办的单位或个人：都已完成。", field="requirement")
    if len(cells) > settings.BIHUAN_URGE_MAX_ITEMS:
        raise DomainError(
            f"一次最多催办 {settings.BIHUAN_URGE_MAX_ITEMS} 项，当前 {len(cells)} 项，"
            "请逐项要求催办。",
            field="requirement",
        )
    handlers = _handlers({cell.unit.pk for cell in cells if cell.person is None})
    link = campaign.get_absolute_url()
    addressed = []
    for cell in cells:
        people = [cell.person] if cell.person else handlers[cell.unit.pk]
        notice = Notice(cell.requirement, Kind.URGE, _text(cell, by=by, message=message), link)
        addressed.append((notice, people))
    with transaction.atomic():
        created = notify_people(addressed, now=now)
        audit_record(
            AuditAction.CREATE,
            actor=by,
            obj=campaign,
            now=now,
            object_repr=f"{campaign}：催办",
            changes={
                "urge": [[c.requirement.pk, c.unit.pk, c.person] for c in cells],
                "message": message,
                "notified": len(created),
            },
        )
    nobody = tuple(cell.who for cell in cells if cell.person is None and not handlers[cell.unit.pk])
    return CampaignUrgeResult(urged=len(cells), notified=len(created), nobody=nobody)


def last_urged(status: CampaignStatus) -> dict[tuple[int, int, int | None], dt.datetime]:
    """When each cell was last urged, by (requirement, unit, person): one query."""
    requirement_type = ContentType.objects.get_for_model(Requirement)
    rows = (
        Notification.objects.filter(
            kind=Kind.URGE,
            content_type=requirement_type,
            object_id__in=[r.pk for r in status.requirements],
        )
        .values("object_id", "recipient_id", "recipient__unit_id")
        .annotate(at=Max("created_at"))
        .order_by()
    )
    per_person = {r.pk for r in status.person_requirements}
    found: dict[tuple[int, int, int | None], dt.datetime] = {}
    for row in rows:
        person = row["recipient_id"] if row["object_id"] in per_person else None
        key = (row["object_id"], row["recipient__unit_id"], person)
        if key not in found or found[key] < row["at"]:
            found[key] = row["at"]
    return found
