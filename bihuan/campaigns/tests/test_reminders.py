import datetime as dt

import pytest

from bihuan.audit.models import AuditEntry
from bihuan.campaigns.models import Activity, Per
from bihuan.campaigns.reminders import campaign_urge, last_urged
from bihuan.campaigns.status import campaign_status
from bihuan.errors import DomainError, NotAllowed
from bihuan.materials.models import MaterialKind
from bihuan.notify.configure import channel_add
from bihuan.notify.models import ChannelKind, Delivery, Kind, Notification

D = dt.date


@pytest.fixture
def papers(require):
    """学习研讨: a 研讨材料 from every unit by 8 October and from every cadre and leader."""
    by_unit = require(
        2, Activity.MATERIAL, Per.UNIT, material_kind=MaterialKind.STUDY, due_on=D(2024, 10, 8)
    )
    by_person = require(
        2, Activity.MATERIAL, Per.PERSON, material_kind=MaterialKind.STUDY, due_on=D(2024, 10, 8)
    )
    return by_unit, by_person


def test_one_click_urges_the_handlers_of_units_and_the_cadres_who_have_not_submitted(
    campaign, papers, submit, world, now, calendar
):
    channel_add(  # 城关镇's WeCom group robot
        unit=world.chengguan,
        kind=ChannelKind.WECOM,
        webhook_url="http://127.0.0.1:9/cgi-bin/webhook/send?key=k",
        secret="",
        by=world.wu,
        now=now,
    )
    submit(world.sun, MaterialKind.STUDY, D(2024, 9, 23))  # 城关镇's, and 孙干部's own

    result = campaign_urge(
        campaign=campaign, by=world.zhou, now=now, calendar=calendar, message="请本周内提交"
    )

    assert (result.urged, result.notified, result.nobody) == (2, 2, ())
    sent = {(n.recipient.name, n.object_id) for n in Notification.objects.all()}
    assert sent == {("王承办", papers[0].pk), ("钱书记", papers[1].pk)}
    text = Notification.objects.get(recipient=world.wang).text
    assert text == (
        "周督查催办：专项活动“作风革命·效能革命”学习研讨阶段要求研讨材料（每个单位1份），"
        "截止2024年10月8日，河西乡尚未完成。请本周内提交"
    )
    assert Notification.objects.get(recipient=world.qian).link == campaign.get_absolute_url()
    assert {n.kind for n in Notification.objects.all()} == {Kind.URGE}
    # 钱书记 is in 城关镇, whose group robot gets one message.
    assert Delivery.objects.count() == 1
    entry = AuditEntry.objects.get(object_type="campaigns.campaign", object_repr__endswith="催办")
    assert entry.changes["notified"] == 2


def test_one_requirement_may_be_urged_alone(campaign, papers, world, now, calendar):
    result = campaign_urge(
        campaign=campaign, by=world.zhou, now=now, calendar=calendar, requirement=papers[1]
    )

    assert result.urged == 2  # 钱书记 and 孙干部
    assert set(Notification.objects.values_list("recipient__name", flat=True)) == {
        "钱书记",
        "孙干部",
    }


def test_a_unit_without_a_handler_is_named_and_nobody_is_told(
    campaign, papers, world, now, calendar
):
    world.wang.is_active = False
    world.wang.save(update_fields=["is_active"])

    result = campaign_urge(
        campaign=campaign, by=world.zhou, now=now, calendar=calendar, requirement=papers[0]
    )

    assert result.nobody == ("河西乡",)
    assert not Notification.objects.filter(recipient__unit=world.hexi).exists()


def test_a_township_supervisor_urges_only_its_own_people(campaign, papers, world, now, calendar):
    campaign_urge(campaign=campaign, by=world.qian, now=now, calendar=calendar)

    assert set(Notification.objects.values_list("recipient__name", flat=True)) == {
        "李承办",
        "钱书记",
        "孙干部",
    }


def test_when_everyone_has_submitted_there_is_nobody_to_urge(
    campaign, papers, submit, world, now, calendar
):
    submit(world.sun, MaterialKind.STUDY, D(2024, 9, 23))
    submit(world.wang, MaterialKind.STUDY, D(2024, 9, 23))

    with pytest.raises(DomainError, match="没有需要催办的单位或个人"):
        campaign_urge(
            campaign=campaign, by=world.zhou, now=now, calendar=calendar, requirement=papers[0]
        )


def test_a_handler_may_not_urge_and_nothing_is_written(campaign, papers, world, now, calendar):
    with pytest.raises(NotAllowed, match="只有督查员可以催办。"):
        campaign_urge(campaign=campaign, by=world.li, now=now, calendar=calendar)
    with pytest.raises(DomainError, match="催办留言不能超过 200 个字。"):
        campaign_urge(
            campaign=campaign, by=world.zhou, now=now, calendar=calendar, message="快" * 201
        )

    assert not Notification.objects.exists()
    assert not AuditEntry.objects.filter(object_repr__endswith="催办").exists()


def test_the_page_knows_when_each_cell_was_last_urged(campaign, papers, world, now, calendar):
    campaign_urge(campaign=campaign, by=world.zhou, now=now, calendar=calendar)
    later = now + dt.timedelta(hours=2)
    campaign_urge(
        campaign=campaign, by=world.zhou, now=later, calendar=calendar, requirement=papers[1]
    )

    status = campaign_status(
        campaign=campaign, user=world.zhou, today=now.date(), calendar=calendar
    )
    urged = last_urged(status)

    assert urged[(papers[0].pk, world.hexi.pk, None)] == now
    assert urged[(papers[1].pk, world.chengguan.pk, world.sun.pk)] == later
