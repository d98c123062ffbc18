import datetime as dt

import pytest
from django.utils import timezone

from bihuan.audit.models import AuditEntry
from bihuan.errors import DomainError, NotAllowed
from bihuan.ledger.models import Measure, MeasureEvent
from bihuan.ledger.services import MeasureSpec
from bihuan.notify.models import ChannelKind, Delivery, Kind, Notification
from bihuan.notify.services import urge, urge_count
from bihuan.org.models import ApiToken
from bihuan.workflow.states import Action


def _history(measure) -> list[tuple[str, str]]:
    return list(measure.events.values_list("action", "comment"))


def test_a_supervisor_urges_a_measure_its_history_records_it_and_its_handler_is_told(
    assigned, world, now
):
    result = urge(items=[assigned], by=world.zhou, now=now, message="请今天内签收")

    assert (result.urged, result.skipped, result.notified) == (1, 0, 1)
    assert _history(assigned)[-1] == (Action.URGE, "请今天内签收")
    assert urge_count(assigned) == 1
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.day) == (
        world.li,
        Kind.URGE,
        None,
    )
    assert notification.text == "周督查催办整改措施“建立首问负责制并公示”：请今天内签收"
    assert notification.link == f"/ledger/problems/{assigned.problem_id}/#measure-{assigned.pk}"
    assert AuditEntry.objects.filter(changes__step="urge").count() == 1


def test_every_urge_counts(in_progress, world, now):
    for hour in (9, 10, 11):
        urge(items=[in_progress], by=world.zhou, now=now.replace(hour=hour))

    assert urge_count(in_progress) == 3
    assert Notification.objects.filter(recipient=world.li).count() == 3
    assert Notification.objects.first().text.endswith("：请抓紧办理，及时反馈进展。")


def test_a_handler_may_not_urge_and_nothing_is_written(assigned, world, now):
    before = _history(assigned)

    with pytest.raises(NotAllowed):
        urge(items=[assigned], by=world.li, now=now)

    assert _history(assigned) == before
    assert not Notification.objects.exists()


def test_a_handler_of_another_township_may_not_urge(assigned, world, now):
    with pytest.raises(NotAllowed):
        urge(items=[assigned], by=world.wang, now=now)

    assert not Notification.objects.exists()


@pytest.mark.parametrize("fixture", ["measure", "submitted"])
def test_a_draft_or_submitted_measure_is_not_urged(request, fixture, world, now):
    item = request.getfixturevalue(fixture)
    before = _history(item)

    with pytest.raises(DomainError) as refusal:
        urge(items=[item], by=world.zhou, now=now)

    assert refusal.value.message == f"当前状态为“{item.get_state_display()}”，不能催办。"
    assert _history(item) == before


def test_a_long_message_is_refused(assigned, world, now):
    with pytest.raises(DomainError) as refusal:
        urge(items=[assigned], by=world.zhou, now=now, message="快" * 201)

    assert refusal.value.field == "message"
    assert not MeasureEvent.objects.filter(action=Action.URGE).exists()


def test_urging_a_named_owners_measure_tells_the_owner(make_problem, world, now, calendar):
    spec = MeasureSpec(
        text="整改", owner_unit=world.chengguan, owner=world.chen, deadline=dt.date(2024, 10, 31)
    )
    measure = make_problem(measures=[spec]).measures.get()
    measure.assign(by=world.zhou, now=now, calendar=calendar)

    urge(items=[measure], by=world.zhou, now=now)

    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["chen"]


def test_urging_does_not_touch_the_network(assigned, world, now, channel, robot):
    channel(ChannelKind.WECOM, robot.url())

    urge(items=[assigned], by=world.zhou, now=now, message="请签收")

    assert robot.received == []
    assert Delivery.objects.get().payload == {
        "msgtype": "text",
        "text": {
            "content": "【闭环】周督查催办整改措施“建立首问负责制并公示”：请签收\n"
            f"http://127.0.0.1:8000/ledger/problems/{assigned.problem_id}/#measure-{assigned.pk}"
        },
    }


# -- the measure card ---------------------------------------------------------------------


def test_the_card_offers_a_supervisor_the_urge_button(client, assigned, world):
    client.force_login(world.zhou)

    page = client.get(f"/ledger/problems/{assigned.problem_id}/").text

    assert f'action="/notify/urge/ledger.measure/{assigned.pk}/"' in page


def test_the_card_offers_a_handler_no_urge_button(client, assigned, world):
    client.force_login(world.li)

    page = client.get(f"/ledger/problems/{assigned.problem_id}/").text

    assert "/notify/urge/" not in page


def test_urging_from_the_card_records_it_and_shows_the_count(client, assigned, world):
    client.force_login(world.zhou)

    response = client.post(
        f"/notify/urge/ledger.measure/{assigned.pk}/", {"message": "请抓紧签收"}, follow=True
    )

    assert response.redirect_chain[-1][0] == assigned.get_absolute_url()
    assert "已催办，通知 1 人。" in response.text
    assert "已催办 1 次" in response.text
    assert _history(assigned)[-1] == (Action.URGE, "请抓紧签收")


def test_urging_an_unknown_kind_of_item_is_not_found(client, assigned, world):
    client.force_login(world.zhou)

    response = client.post(f"/notify/urge/org.unit/{world.chengguan.pk}/", {"message": ""})

    assert response.status_code == 404


def test_the_problem_page_runs_as_many_queries_with_urged_measures(
    client, make_problem, world, now, calendar, django_assert_max_num_queries
):
    specs = [
        MeasureSpec(text=f"措施{n}", owner_unit=world.chengguan, deadline=dt.date(2024, 10, 31))
        for n in range(3)
    ]
    problem = make_problem(measures=specs)
    for measure in problem.measures.all():
        measure.assign(by=world.zhou, now=now, calendar=calendar)
        urge(items=[measure], by=world.zhou, now=now)
    client.force_login(world.zhou)
    client.get(f"/ledger/problems/{problem.pk}/")
    one = make_problem(measures=specs[:1])
    client.get(f"/ledger/problems/{one.pk}/")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as single:
        client.get(f"/ledger/problems/{one.pk}/")
    with django_assert_max_num_queries(len(single)):
        page = client.get(f"/ledger/problems/{problem.pk}/")
    assert page.text.count("已催办 1 次") == 3


# -- the ledger list ----------------------------------------------------------------------


@pytest.fixture
def township_measures(make_problem, world, now, calendar):
    """Two pending measures in 城关镇, one in 河西乡, one draft in 河西乡."""
    spec = {"deadline": dt.date(2024, 10, 31)}
    chengguan = make_problem(
        measures=[
            MeasureSpec(text="城关一", owner_unit=world.chengguan, **spec),
            MeasureSpec(text="城关二", owner_unit=world.chengguan, **spec),
        ]
    )
    hexi = make_problem(
        unit=world.hexi, measures=[MeasureSpec(text="河西一", owner_unit=world.hexi, **spec)]
    )
    make_problem(
        unit=world.hexi, measures=[MeasureSpec(text="河西草稿", owner_unit=world.hexi, **spec)]
    )
    for problem in (chengguan, hexi):
        for measure in problem.measures.all():
            measure.assign(by=world.zhou, now=now, calendar=calendar)


def _urged() -> list[str]:
    return sorted(
        MeasureEvent.objects.filter(action=Action.URGE).values_list("measure__text", flat=True)
    )


def test_the_ledger_list_links_a_supervisor_to_urge_its_current_filter(client, world):
    client.force_login(world.zhou)

    page = client.get("/ledger/", {"state": "pending"}).text

    assert 'href="/notify/urge/measures/?state=pending"' in page


def test_urging_a_filtered_list_asks_first_then_urges_each_measure(
    client, township_measures, world
):
    client.force_login(world.zhou)
    query = f"unit={world.hexi.pk}"

    confirm = client.get(f"/notify/urge/measures/?{query}")
    assert "确认催办 1 项" in confirm.text
    assert _urged() == []

    response = client.post(f"/notify/urge/measures/?{query}", {"message": "月底前完成"})

    assert response.status_code == 302
    assert response["Location"] == f"/ledger/?{query}"
    assert _urged() == ["河西一"]
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["wang"]


def test_urging_the_whole_ledger_urges_every_pending_measure_but_no_draft(
    client, township_measures, world
):
    client.force_login(world.zhou)

    client.post("/notify/urge/measures/", {"message": ""})

    assert _urged() == ["城关一", "城关二", "河西一"]
    assert Notification.objects.filter(recipient=world.li).count() == 2


def test_a_list_over_the_limit_is_refused_and_nothing_is_urged(
    client, township_measures, world, settings
):
    settings.BIHUAN_URGE_MAX_ITEMS = 2
    client.force_login(world.zhou)

    confirm = client.get("/notify/urge/measures/")
    response = client.post("/notify/urge/measures/", {"message": ""}, follow=True)

    assert "超过一次催办 2 项的上限" in confirm.text
    assert "一次最多催办 2 项，当前 3 项" in response.text
    assert _urged() == []
    assert not Notification.objects.exists()


def test_a_handler_may_not_open_the_list_urge(client, township_measures, world):
    client.force_login(world.li)

    assert client.get("/notify/urge/measures/").status_code == 403
    assert client.post("/notify/urge/measures/").status_code == 403
    assert _urged() == []


def test_robots_get_one_message_for_a_list_urge(client, township_measures, world, channel, robot):
    channel(ChannelKind.WECOM, robot.url())
    client.force_login(world.zhou)

    client.post(f"/notify/urge/measures/?unit={world.chengguan.pk}", {"message": ""})

    delivery = Delivery.objects.get()
    content = delivery.payload["text"]["content"]
    assert content.startswith("【闭环】2条提醒：\n1. 周督查催办整改措施“城关一”")
    assert "\n2. 周督查催办整改措施“城关二”" in content


# -- the API ------------------------------------------------------------------------------


@pytest.fixture
def bearer(now, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: now)

    def headers(user) -> dict:
        return {"Authorization": f"Bearer {ApiToken.issue(user=user, now=now)}"}

    return headers


def test_the_api_urges_one_measure(client, assigned, world, bearer):
    response = client.post(
        f"/api/measures/{assigned.pk}/urge",
        {"message": "请签收"},
        content_type="application/json",
        headers=bearer(world.zhou),
    )

    assert response.status_code == 200
    assert response.json() == {"urged": 1, "skipped": 0, "notified": 1}
    assert _history(assigned)[-1] == (Action.URGE, "请签收")


def test_the_api_refuses_a_handler_and_writes_nothing(client, assigned, world, bearer):
    response = client.post(
        f"/api/measures/{assigned.pk}/urge",
        {},
        content_type="application/json",
        headers=bearer(world.li),
    )

    assert response.status_code == 403
    assert not Notification.objects.exists()
    assert Measure.objects.get().version == assigned.version


def test_the_api_urges_a_filtered_ledger(client, township_measures, world, bearer):
    response = client.post(
        f"/api/measures/urge?unit={world.chengguan.pk}",
        {"message": ""},
        content_type="application/json",
        headers=bearer(world.zhou),
    )

    assert response.json() == {"urged": 2, "skipped": 0, "notified": 2}
    assert _urged() == ["城关一", "城关二"]


def test_urging_a_unit_without_handlers_is_recorded_and_says_nobody_was_told(
    client, make_problem, world, now, calendar
):
    measure = make_problem(unit=world.office).measures.get()
    measure.assign(by=world.zhou, now=now, calendar=calendar)
    client.force_login(world.zhou)

    response = client.post(
        f"/notify/urge/ledger.measure/{measure.pk}/", {"message": ""}, follow=True
    )

    assert "责任单位没有承办人账号，也未指定责任人，催办只记入办理记录。" in response.text
    assert urge_count(measure) == 1
    assert not Notification.objects.exists()
