import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bihuan.supervision.models import PartnerState, SupervisionItem
from bihuan.workflow.states import State

from .conftest import part_of


@pytest.fixture
def now():
    """Pages read the real clock, so the shared fixtures are built relative to it here."""
    return timezone.localtime()  # local: .date() must be today in Shanghai, not in UTC


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def in_a_month() -> str:
    return (timezone.localdate() + dt.timedelta(days=30)).isoformat()


def test_a_supervisor_registers_and_assigns_an_instruction(as_user, world):
    response = as_user(world.zhou).post(
        reverse("supervision:create"),
        {
            "source": "instruction",
            "title": "老旧小区加装电梯",
            "instruction": "请抓紧推进。",
            "instructed_by": "县长李四",
            "owner_unit": world.chengguan.pk,
            "partner_units": [world.hexi.pk, world.office.pk],
            "deadline_kind": "date",
            "deadline": in_a_month(),
            "assign": "on",
        },
    )
    item = SupervisionItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:detail", args=[item.pk])
    assert item.state == State.PENDING
    assert item.partner_parts.count() == 2


def test_the_form_shows_a_refusal_on_its_field(as_user, world):
    response = as_user(world.zhou).post(
        reverse("supervision:create"),
        {
            "source": "meeting",
            "title": "会议事项",
            "owner_unit": world.chengguan.pk,
            "partner_units": [world.chengguan.pk],
            "deadline_kind": "date",
            "deadline": in_a_month(),
        },
    )
    assert response.status_code == 400
    assert "已是牵头单位" in response.text
    assert not SupervisionItem.objects.exists()


def test_a_handler_cannot_open_the_form_to_register(as_user, world):
    response = as_user(world.li).post(
        reverse("supervision:create"),
        {"source": "meeting", "title": "x", "owner_unit": world.chengguan.pk,
         "deadline_kind": "date", "deadline": in_a_month()},
    )  # fmt: skip
    assert "只有督查员可以登记督办事项" in response.text
    assert not SupervisionItem.objects.exists()


def test_the_detail_page_offers_each_person_their_steps(as_user, item, world, feng):
    lead = as_user(world.li).get(reverse("supervision:detail", args=[item.pk]))
    assert lead.status_code == 200
    assert "背街小巷环境整治" in lead.text
    assert "县委书记张三" in lead.text
    assert reverse("supervision:transition", args=[item.pk, "acknowledge"]) in lead.text
    assert "反馈办理情况" not in lead.text

    partner = as_user(world.wang).get(reverse("supervision:detail", args=[item.pk]))
    report_url = reverse("supervision:partner_report", args=[item.pk, part_of(item, world.hexi).pk])
    assert report_url in partner.text
    assert "acknowledge/" in partner.text
    assert reverse("supervision:transition", args=[item.pk, "acknowledge"]) not in partner.text


def test_the_whole_loop_through_the_pages(as_user, item, world, feng):
    pk = item.pk
    as_user(world.li).post(reverse("supervision:transition", args=[pk, "acknowledge"]))
    for user, unit in ((world.wang, world.hexi), (feng, world.office)):
        as_user(user).post(
            reverse("supervision:partner_report", args=[pk, part_of(item, unit).pk]),
            {"text": f"{unit}已完成"},
        )
    as_user(world.li).post(reverse("supervision:progress_post", args=[pk]), {"text": "已完工"})
    as_user(world.li).post(
        reverse("supervision:transition", args=[pk, "submit"]), {"comment": "请审核"}
    )
    page = as_user(world.zhao).get(reverse("supervision:detail", args=[pk]))
    assert "确认办结" in page.text
    as_user(world.zhao).post(reverse("supervision:transition", args=[pk, "close"]))

    item = SupervisionItem.objects.get(pk=pk)
    assert item.state == State.CLOSED
    assert set(item.partner_parts.values_list("state", flat=True)) == {PartnerState.REPORTED}
    page = as_user(world.zhou).get(reverse("supervision:detail", args=[pk]))
    assert "已办结" in page.text
    assert "配合单位反馈" in page.text


def test_a_refused_step_comes_back_as_a_message_and_writes_nothing(as_user, item, world):
    client = as_user(world.li)
    client.post(reverse("supervision:transition", args=[item.pk, "acknowledge"]))
    version = SupervisionItem.objects.get(pk=item.pk).version

    response = client.post(reverse("supervision:transition", args=[item.pk, "submit"]), follow=True)

    assert "尚未反馈，不能申请办结" in response.text
    assert SupervisionItem.objects.get(pk=item.pk).version == version


def test_another_township_gets_404_for_an_item_it_has_no_part_in(as_user, make_item, world):
    item = make_item(partners=[world.office])
    client = as_user(world.wang)
    assert client.get(reverse("supervision:detail", args=[item.pk])).status_code == 404
    assert "背街小巷" not in client.get(reverse("supervision:list")).text
    response = client.post(reverse("supervision:transition", args=[item.pk, "acknowledge"]))
    assert response.status_code == 404


def test_the_list_filters_by_unit_source_state_and_keyword(as_user, make_item, world):
    make_item(title="河西乡牵头的事项", owner_unit=world.hexi)
    make_item(title="城关镇与县委办", partners=[world.office], source="meeting")
    make_item(title="城关镇的草稿", assign=False)
    client = as_user(world.zhou)

    def titles(**params):
        page = client.get(reverse("supervision:list"), params)
        found = SupervisionItem.objects.values_list("title", flat=True)
        return sorted(title for title in found if title in page.text)

    assert titles(unit=world.office.pk) == ["城关镇与县委办"]
    assert titles(source="meeting") == ["城关镇与县委办"]
    assert titles(state="draft") == ["城关镇的草稿"]
    assert titles(keyword="草稿") == ["城关镇的草稿"]
    assert titles(light="green") == ["城关镇与县委办", "河西乡牵头的事项"]


def test_the_list_answers_htmx_with_the_table_alone(as_user, item, world):
    page = as_user(world.zhou).get(reverse("supervision:list"), headers={"HX-Request": "true"})
    assert "<form" not in page.text
    assert "背街小巷环境整治" in page.text


@pytest.mark.parametrize("page", ["supervision:list", "inbox"])
def test_list_pages_run_the_same_queries_for_more_items(
    as_user, make_item, world, feng, page, django_assert_max_num_queries
):
    client = as_user(world.zhou)
    make_item(partners=[world.hexi])
    with django_assert_max_num_queries(20) as few:
        client.get(reverse(page))
    for _ in range(8):
        make_item(partners=[world.hexi, world.office])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse(page))


def test_the_inbox_lists_items_for_the_lead_and_partners_but_not_others(
    as_user, item, make_item, world, feng
):
    make_item(title="河西乡自己的事项", owner_unit=world.hexi)
    lead = as_user(world.li).get(reverse("inbox"))
    partner = as_user(feng).get(reverse("inbox"))
    assert "背街小巷环境整治" in lead.text
    assert "河西乡自己的事项" not in lead.text
    assert "背街小巷环境整治" in partner.text


def test_the_inbox_drops_an_item_once_the_partner_reported(as_user, item, world, feng):
    as_user(feng).post(
        reverse("supervision:partner_report", args=[item.pk, part_of(item, world.office).pk]),
        {"text": "已完成"},
    )
    assert "背街小巷环境整治" not in as_user(feng).get(reverse("inbox")).text


def test_the_stats_page_shows_each_township(as_user, item, world):
    page = as_user(world.zhou).get(reverse("supervision:stats"))
    assert page.status_code == 200
    assert "城关镇" in page.text
    assert "反馈及时率" in page.text


def test_the_system_admin_sets_the_escalation_rules(as_user, world):
    client = as_user(world.wu)
    response = client.post(
        reverse("supervision:escalation_rules"), {"blue": "2", "yellow": "6", "red": ""}
    )
    assert response.status_code == 302
    from bihuan.supervision.models import EscalationRule

    assert dict(EscalationRule.objects.values_list("level", "days_overdue")) == {
        "blue": 2,
        "yellow": 6,
    }
    refused = client.post(
        reverse("supervision:escalation_rules"), {"blue": "9", "yellow": "6", "red": "12"}
    )
    assert refused.status_code == 400
    assert as_user(world.zhou).get(reverse("supervision:escalation_rules")).status_code == 403


def test_the_detail_page_runs_the_same_queries_however_long_its_history(
    as_user, item, world, feng, django_assert_max_num_queries
):
    url = reverse("supervision:detail", args=[item.pk])
    as_user(world.li).post(reverse("supervision:transition", args=[item.pk, "acknowledge"]))

    def report(text: str) -> None:
        as_user(world.li).post(reverse("supervision:progress_post", args=[item.pk]), {"text": text})
        as_user(world.wang).post(
            reverse("supervision:partner_report", args=[item.pk, part_of(item, world.hexi).pk]),
            {"text": text},
        )

    report("一")
    client = as_user(world.wang)
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    queries = len(few.captured_queries)
    for text in ("二", "三", "四"):
        report(text)
    client = as_user(world.wang)
    with django_assert_max_num_queries(queries):
        assert "配合单位反馈" in client.get(url).text
