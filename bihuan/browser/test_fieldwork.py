"""A visit entered on a phone-width screen with two problems, and the campaign page's 催办."""

import datetime as dt

import pytest
from django.utils import timezone

from bihuan.campaigns.models import Activity, Per
from bihuan.campaigns.services import (
    CampaignSpec,
    RequirementSpec,
    campaign_create,
    requirement_add,
)
from bihuan.fieldwork.models import Visit
from bihuan.ledger.models import Problem, Source
from bihuan.notify.models import Notification

pytestmark = pytest.mark.browser

PHONE = 390


def test_a_visit_with_two_problems_is_entered_on_a_phone(open_page, world):
    phone = open_page(world.qian, width=PHONE, height=844)
    phone.goto(f"{phone.base_url}/fieldwork/new/")

    # One column that fits the screen: nothing to scroll sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE
    phone.select_option("#id_place_unit", str(world.dongguan.pk))
    phone.fill("#id_households", "16")
    phone.fill("#id_topics", "人居环境整治")
    phone.fill("#id_problems-0-description", "垃圾收集点清运不及时")
    phone.fill("#id_problems-1-description", "村务公开栏内容陈旧")
    phone.fill("#id_problems-1-measure", "每月更新公开栏")
    with phone.expect_navigation():
        phone.click("text=保存")

    assert "2 个问题已进入整改台账" in phone.content()
    visit = Visit.objects.get()
    assert (visit.place_unit, visit.households, list(visit.people.all())) == (
        world.dongguan,
        16,
        [world.qian],
    )
    assert list(Problem.objects.order_by("pk").values_list("description", "source")) == [
        ("垃圾收集点清运不及时", Source.VISIT),
        ("村务公开栏内容陈旧", Source.VISIT),
    ]


def test_the_campaign_page_urges_the_missing_in_one_click(open_page, world):
    today = timezone.localdate()
    campaign = campaign_create(
        spec=CampaignSpec(
            name="作风革命·效能革命",
            organiser=world.county,
            units=(world.chengguan, world.hexi),
            starts_on=today - dt.timedelta(days=30),
            ends_on=today + dt.timedelta(days=90),
        ),
        by=world.zhou,
        now=timezone.now(),
    )
    requirement_add(
        stage=campaign.stages.first(),
        spec=RequirementSpec(Activity.STUDY, Per.UNIT, due_on=today - dt.timedelta(days=20)),
        by=world.zhou,
        now=timezone.now(),
    )
    page = open_page(world.zhou)
    page.goto(f"{page.base_url}{campaign.get_absolute_url()}")

    assert page.locator(".badge", has_text="逾期未交").count() == 2
    with page.expect_navigation():
        page.click("text=一键催办全部未完成（2）")

    assert "已催办 2 项，通知 2 人次。" in page.content()
    assert set(Notification.objects.values_list("recipient__name", flat=True)) == {
        "李承办",
        "王承办",
    }
