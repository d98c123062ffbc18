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
    assert (event.actor, event.comment) == (world.zhou, "逾期8天，升级为黄色（重点督办）")


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
