"""The story the issue ends with: a leader's instruction becomes an item with a lead and two
partner units; the partners report, the lead reports and it closes."""

import datetime as dt

from bihuan.audit.models import AuditEntry
from bihuan.conftest import at
from bihuan.supervision.models import PartnerState, SupervisionItem
from bihuan.supervision.services import (
    item_transition,
    partner_acknowledge,
    partner_report,
    progress_post,
)
from bihuan.workflow.states import Action, State

from .conftest import fresh, part_of


def test_a_leaders_instruction_is_reported_by_partners_and_lead_and_closes(
    item, world, feng, now, calendar
):
    later = now + dt.timedelta(hours=2)

    item_transition(item=item, action=Action.ACKNOWLEDGE, by=world.li, now=later, calendar=calendar)
    partner_acknowledge(part=part_of(item, world.hexi), by=world.wang, now=later, calendar=calendar)
    partner_report(
        part=part_of(item, world.hexi),
        by=world.wang,
        now=at(2024, 9, 25),
        calendar=calendar,
        text="河西乡段已清运",
    )
    partner_report(
        part=part_of(item, world.office),
        by=feng,
        now=at(2024, 9, 26),
        calendar=calendar,
        text="已协调经费",
    )
    progress_post(item=fresh(item), by=world.li, now=at(2024, 9, 26, 10), text="主街已完成")
    item_transition(
        item=fresh(item), action=Action.SUBMIT, by=world.li, now=at(2024, 9, 27),
        calendar=calendar, comment="全部整治到位",
    )  # fmt: skip
    item_transition(
        item=fresh(item), action=Action.CLOSE, by=world.zhao, now=at(2024, 9, 29), calendar=calendar
    )

    item = SupervisionItem.objects.get(pk=item.pk)
    assert item.state == State.CLOSED
    assert item.get_state_display() == "已办结"
    assert (item.acknowledged_on_time, item.closed_on_time) == (True, True)
    hexi, office = part_of(item, world.hexi), part_of(item, world.office)
    assert (hexi.state, hexi.acknowledged_on_time) == (PartnerState.REPORTED, True)
    assert (office.state, office.report, office.reported_by) == ("reported", "已协调经费", feng)
    assert [(e.get_action_display(), e.comment) for e in item.events.all()] == [
        ("登记", ""),
        ("交办", ""),
        ("签收", ""),
        ("配合单位签收", "河西乡"),
        ("配合单位反馈", "河西乡：河西乡段已清运"),
        ("配合单位反馈", "中共青山县委办公室：已协调经费"),
        ("反馈进展", "主街已完成"),
        ("申请办结", "全部整治到位"),
        ("办结", ""),
    ]
    # Every step is in the audit log too, on the item.
    assert AuditEntry.objects.filter(object_type="supervision.supervisionitem").count() == 9
