"""三色督办: a late item rises 蓝 → 黄 → 红 by the days it is overdue, never back down."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bihuan.conftest import at
from bihuan.errors import NotAllowed
from bihuan.supervision.models import EscalationRule, Level, SupervisionEvent, SupervisionItem
from bihuan.supervision.services import escalate, level_for


def levels() -> dict[str, str]:
    return dict(SupervisionItem.objects.values_list("title", "escalation_level"))


@pytest.fixture
def late(make_item):
    """Due Monday 30 September, Wednesday 25 September and in December."""
    make_item(title="逾期8天", deadline=dt.date(2024, 9, 30))
    make_item(title="逾期13天", deadline=dt.date(2024, 9, 25))
    make_item(title="未到期", deadline=dt.date(2024, 12, 31))


def test_the_default_rules_are_one_five_and_ten_days(db):
    rules = list(EscalationRule.objects.all())
    assert [(rule.level, rule.days_overdue) for rule in rules] == [
        ("blue", 1),
        ("yellow", 5),
        ("red", 10),
    ]
    assert [level_for(days, rules) for days in (0, 1, 4, 5, 10, 99)] == [
        "", "blue", "blue", "yellow", "red", "red",
    ]  # fmt: skip


def test_late_items_rise_to_their_level_with_a_history_entry(late, world):
    raised = escalate(items=SupervisionItem.objects.all(), by=world.zhou, now=at(2024, 10, 8))

    assert sorted((item.title, level) for item, level in raised) == [
        ("逾期13天", Level.RED),
        ("逾期8天", Level.YELLOW),
    ]
    assert levels() == {"逾期8天": "yellow", "逾期13天": "red", "未到期": ""}
    event = SupervisionEvent.objects.get(action="escalate", item__title="逾期8天")
    assert (event.actor, event.comment) == (world.zhou, "逾期8天，升级为黄色（重点督办），扣2分")


def test_a_level_is_never_lowered_nor_written_twice(late, world):
    escalate(items=SupervisionItem.objects.all(), by=world.zhou, now=at(2024, 10, 8))
    EscalationRule.objects.filter(level="red").update(days_overdue=30)
    events = SupervisionEvent.objects.count()

    again = escalate(items=SupervisionItem.objects.all(), by=world.zhou, now=at(2024, 10, 9))

    assert again == []
    assert levels()["逾期13天"] == "red"
    assert SupervisionEvent.objects.count() == events


def test_a_township_supervisor_escalates_only_what_the_township_assigned(late, world):
    raised = escalate(items=SupervisionItem.objects.all(), by=world.qian, now=at(2024, 10, 8))
    assert raised == []
    with pytest.raises(NotAllowed):
        escalate(items=SupervisionItem.objects.all(), by=world.li, now=at(2024, 10, 8))


def test_the_command_lists_and_writes_or_only_lists(late, world):
    out = StringIO()
    call_command("escalate", "--as", "zhou", "--now", "2024-10-08", "--dry-run", stdout=out)
    assert "将升级 2 项。" in out.getvalue()
    assert set(levels().values()) == {""}

    out = StringIO()
    call_command("escalate", "--as", "zhou", "--now", "2024-10-08", stdout=out)
    assert "→ 红色（挂牌督办）" in out.getvalue()
    assert levels()["逾期13天"] == "red"


def test_the_command_refuses_an_unknown_account_or_a_non_supervisor(world):
    with pytest.raises(CommandError, match="没有启用的账号"):
        call_command("escalate", "--as", "nobody")
    with pytest.raises(CommandError, match="只有督查员"):
        call_command("escalate", "--as", "li")


def test_the_level_shows_on_the_list(client, late, world):
    escalate(items=SupervisionItem.objects.all(), by=world.zhou, now=at(2024, 10, 8))
    client.force_login(world.li)
    table = {"HX-Request": "true"}
    page = client.get("/supervision/", headers=table)
    assert "挂牌督办" in page.text
    assert "重点督办" in page.text
    red = client.get("/supervision/", {"level": "red"}, headers=table)
    assert "挂牌督办" in red.text
    assert "重点督办" not in red.text


def test_each_level_tells_higher_up_and_costs_the_lead_unit_its_points(late, world):
    from decimal import Decimal

    from bihuan.notify.models import Kind, Notification
    from bihuan.supervision.figures import deductions_by_unit

    escalate(items=SupervisionItem.objects.all(), by=world.zhou, now=at(2024, 9, 26))  # 1 day: 蓝

    blue = Notification.objects.filter(kind=Kind.ESCALATED)
    # 蓝: the lead's handler and its own leader (钱书记).
    assert sorted(blue.values_list("recipient__username", flat=True)) == ["li", "qian"]
    assert (
        blue.first().text
        == "督办事项“逾期13天”逾期1天，已升级为蓝色（一般督办），请城关镇立即办理。"
    )
    Notification.objects.all().delete()

    escalate(items=SupervisionItem.objects.all(), by=world.zhou, now=at(2024, 10, 8))

    # 黄 and 红 reach the county's leader (赵县长) as well.
    told = Notification.objects.filter(kind=Kind.ESCALATED)
    assert sorted(told.values_list("object_id", "recipient__username")) == sorted(
        (pk, name)
        for pk in SupervisionItem.objects.exclude(title="未到期").values_list("pk", flat=True)
        for name in ("li", "qian", "zhao")
    )
    assert dict(SupervisionItem.objects.values_list("title", "deduction")) == {
        "逾期8天": Decimal(2),
        "逾期13天": Decimal(3),
        "未到期": Decimal(0),
    }
    assert deductions_by_unit(SupervisionItem.objects.all()) == {world.chengguan.pk: Decimal(5)}
    assert deductions_by_unit(SupervisionItem.objects.all(), since=at(2024, 10, 9)) == {}


def test_the_deduction_shows_in_the_unit_figures(late, world):
    from decimal import Decimal

    from bihuan.supervision.figures import supervision_by_unit
    from bihuan.workflow.calendar import WorkCalendar
    from bihuan.workflow.models import LightCutoffs

    escalate(items=SupervisionItem.objects.all(), by=world.zhou, now=at(2024, 10, 8))
    cutoffs = LightCutoffs(now=at(2024, 10, 8), calendar=WorkCalendar())

    table = supervision_by_unit(
        SupervisionItem.objects.all(), units=[world.chengguan, world.hexi], cutoffs=cutoffs
    )

    chengguan, hexi = table.rows
    assert (chengguan.feedback.escalated, chengguan.feedback.deduction) == (2, Decimal(5))
    assert (hexi.feedback.escalated, hexi.feedback.deduction) == (0, Decimal(0))
    assert table.total_feedback.deduction == Decimal(5)


def test_urges_left_unanswered_escalate_an_item_not_yet_overdue(make_item, world, calendar):
    from bihuan.notify.services import urge

    EscalationRule.objects.filter(level="blue").update(urges_ignored=2)
    item = make_item(title="催而不动", deadline=dt.date(2024, 12, 31))
    for hour in (9, 10):
        urge(
            items=[SupervisionItem.objects.get(pk=item.pk)],
            by=world.zhou,
            now=at(2024, 9, 24, hour),
        )

    raised = escalate(items=SupervisionItem.objects.all(), by=world.zhou, now=at(2024, 9, 25))

    assert [(i.title, level) for i, level in raised] == [("催而不动", "blue")]
    event = SupervisionEvent.objects.get(action="escalate")
    assert event.comment == "催办2次未回应，升级为蓝色（一般督办），扣1分"


def test_an_answer_after_the_urges_stops_them_counting(make_item, world, calendar):
    from bihuan.notify.services import urge
    from bihuan.supervision.services import item_transition

    EscalationRule.objects.filter(level="blue").update(urges_ignored=2)
    item = make_item(title="催后签收", deadline=dt.date(2024, 12, 31))
    for hour in (9, 10):
        urge(
            items=[SupervisionItem.objects.get(pk=item.pk)],
            by=world.zhou,
            now=at(2024, 9, 24, hour),
        )
    item_transition(
        item=SupervisionItem.objects.get(pk=item.pk), action="acknowledge", by=world.li,
        now=at(2024, 9, 24, 11), calendar=calendar,
    )  # fmt: skip

    assert escalate(items=SupervisionItem.objects.all(), by=world.zhou, now=at(2024, 9, 25)) == []


def test_the_admin_sets_days_urges_and_points(client, world, db):
    from decimal import Decimal

    client.force_login(world.wu)
    response = client.post(
        "/supervision/escalation-rules/",
        {
            "blue": 2, "blue_urges": 3, "blue_deduction": "0.5",
            "yellow": 6, "yellow_deduction": "2",
            "red": 12, "red_urges": "", "red_deduction": "4",
        },
    )  # fmt: skip

    assert response.status_code == 302
    assert list(
        EscalationRule.objects.values_list("level", "days_overdue", "urges_ignored", "deduction")
    ) == [
        ("blue", 2, 3, Decimal("0.5")),
        ("yellow", 6, None, Decimal(2)),
        ("red", 12, None, Decimal(4)),
    ]
