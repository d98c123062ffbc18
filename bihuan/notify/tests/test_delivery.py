import base64
import datetime as dt
import hashlib
import hmac
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from bihuan.notify.delivery import deliver_due
from bihuan.notify.models import ChannelKind, Delivery, DeliveryStatus
from bihuan.notify.services import urge
from bihuan.workflow.states import State

SECRET = "SEC0123456789abcdef"


def _link(measure) -> str:
    return f"http://127.0.0.1:8000/ledger/problems/{measure.problem_id}/#measure-{measure.pk}"


def test_a_wecom_robot_receives_the_text_message(assigned, world, now, channel, robot):
    channel(ChannelKind.WECOM, robot.url("/cgi-bin/webhook/send?key=k3y"))
    urge(items=[assigned], by=world.zhou, now=now, message="请签收")

    counts = deliver_due(now=now)

    assert (counts.sent, counts.retrying, counts.failed) == (1, 0, 0)
    [request] = robot.received
    assert (request.path, request.query) == ("/cgi-bin/webhook/send", {"key": "k3y"})
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert request.body == {
        "msgtype": "text",
        "text": {
            "content": f"【闭环】周督查催办整改措施“建立首问负责制并公示”：请签收\n{_link(assigned)}"
        },
    }
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (DeliveryStatus.SENT, 1, now)


def test_a_dingtalk_robot_receives_a_signed_request(assigned, world, now, channel, robot):
    channel(ChannelKind.DINGTALK, robot.url(), secret=SECRET)
    urge(items=[assigned], by=world.zhou, now=now)
    sending = now + dt.timedelta(seconds=5)

    deliver_due(now=sending)

    [request] = robot.received
    timestamp = str(int(sending.timestamp() * 1000))
    digest = hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    assert request.query == {
        "access_token": "t0ken",
        "timestamp": timestamp,
        "sign": base64.b64encode(digest).decode(),
    }
    assert request.body["msgtype"] == "text"
    assert request.body["text"]["content"].endswith(_link(assigned))


def test_a_dingtalk_robot_without_a_secret_gets_no_signature(assigned, world, now, channel, robot):
    channel(ChannelKind.DINGTALK, robot.url())
    urge(items=[assigned], by=world.zhou, now=now)

    deliver_due(now=now)

    assert robot.received[0].query == {"access_token": "t0ken"}


def test_an_email_goes_to_each_person_of_a_unit_that_chose_email(assigned, world, now, channel):
    world.li.email = "li@chengguan.gov.cn"
    world.li.save(update_fields=["email"])
    channel(ChannelKind.EMAIL)
    urge(items=[assigned], by=world.zhou, now=now, message="请签收")

    deliver_due(now=now)

    [email] = mail.outbox
    assert email.to == ["li@chengguan.gov.cn"]
    assert email.subject == "【闭环】催办：周督查催办整改措施“建立首问负责制并公示”：请签收"
    assert _link(assigned) in email.body
    assert email.body.startswith("李承办，您好：")


def test_a_person_without_an_email_address_gets_no_email(assigned, world, now, channel):
    channel(ChannelKind.EMAIL)

    urge(items=[assigned], by=world.zhou, now=now)

    assert not Delivery.objects.exists()


def test_a_unit_without_channels_is_told_in_the_app_only(assigned, world, now, channel, robot):
    channel(ChannelKind.WECOM, robot.url(), unit=world.hexi)

    urge(items=[assigned], by=world.zhou, now=now)

    assert not Delivery.objects.exists()


def test_a_failed_send_is_retried_after_a_growing_pause(assigned, world, now, channel, robot):
    robot.answers = [
        (500, {"errmsg": "busy"}),
        (200, {"errcode": 45009, "errmsg": "api freq out of limit"}),
    ]
    channel(ChannelKind.WECOM, robot.url())
    urge(items=[assigned], by=world.zhou, now=now)

    first = deliver_due(now=now)
    delivery = Delivery.objects.get()
    assert (first.retrying, delivery.status, delivery.attempts) == (1, DeliveryStatus.PENDING, 1)
    assert delivery.last_error == "HTTP 500"
    assert delivery.next_attempt_at == now + dt.timedelta(seconds=60)

    assert not deliver_due(now=now + dt.timedelta(seconds=59))
    assert len(robot.received) == 1

    deliver_due(now=now + dt.timedelta(seconds=60))
    delivery.refresh_from_db()
    assert delivery.last_error == "机器人拒绝：45009 api freq out of limit"
    assert delivery.next_attempt_at == now + dt.timedelta(seconds=60 + 120)

    third = deliver_due(now=now + dt.timedelta(seconds=180))
    delivery.refresh_from_db()
    assert (third.sent, delivery.status, delivery.attempts) == (1, DeliveryStatus.SENT, 3)
    assert [request.body for request in robot.received] == [robot.received[0].body] * 3


def test_a_delivery_gives_up_after_the_last_attempt(assigned, world, now, channel, robot, settings):
    settings.BIHUAN_DELIVERY_MAX_ATTEMPTS = 2
    robot.answers = [(500, {}), (502, {})]
    channel(ChannelKind.WECOM, robot.url())
    urge(items=[assigned], by=world.zhou, now=now)

    deliver_due(now=now)
    last = deliver_due(now=now + dt.timedelta(minutes=1))

    assert (last.retrying, last.failed) == (0, 1)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.FAILED,
        2,
        "HTTP 502",
    )
    assert not deliver_due(now=now + dt.timedelta(days=1))


def test_a_dead_webhook_never_blocks_the_workflow(
    client, assigned, world, now, channel, dead_url, calendar
):
    channel(ChannelKind.DINGTALK, dead_url, secret=SECRET)
    client.force_login(world.zhou)

    response = client.post(f"/notify/urge/ledger.measure/{assigned.pk}/", {"message": "请签收"})
    assigned.refresh_from_db()
    assigned.acknowledge(by=world.li, now=now, calendar=calendar)
    counts = deliver_due(now=timezone.now())

    assert response.status_code == 302
    assert assigned.state == State.IN_PROGRESS
    assert counts.retrying == 1
    assert Delivery.objects.get().last_error.startswith("无法连接：")


def test_the_deliver_command_sends_what_is_due_once(assigned, world, now, channel, robot):
    channel(ChannelKind.WECOM, robot.url())
    urge(items=[assigned], by=world.zhou, now=now)
    out = StringIO()

    call_command("deliver", "--once", stdout=out)

    assert out.getvalue().rstrip().endswith("发送：成功 1，待重试 0，失败 0。")
    assert len(robot.received) == 1


# -- the system admin's page --------------------------------------------------------------


def test_the_admin_sees_failed_deliveries_without_their_text_and_sends_one_again(
    client, assigned, world, now, channel, robot, settings
):
    settings.BIHUAN_DELIVERY_MAX_ATTEMPTS = 1
    robot.answers = [(500, {})]
    channel(ChannelKind.WECOM, robot.url())
    urge(items=[assigned], by=world.zhou, now=now)
    deliver_due(now=now)
    client.force_login(world.wu)

    page = client.get("/notify/channels/").text
    delivery = Delivery.objects.get()
    assert "HTTP 500" in page
    assert "建立首问负责制" not in page
    assert "t0ken" not in page

    client.post(f"/notify/deliveries/{delivery.pk}/retry/")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)


def test_the_admin_adds_a_channel_and_sends_it_a_test_message(client, world, robot, now):
    client.force_login(world.wu)

    client.post(
        "/notify/channels/",
        {"unit": world.hexi.pk, "kind": "dingtalk", "webhook_url": robot.url(), "secret": SECRET},
    )
    channel = world.hexi.notify_channels.get()
    client.post(f"/notify/channels/{channel.pk}/test/")
    deliver_due(now=now + dt.timedelta(days=3650))

    assert robot.texts == ["【闭环】测试消息：河西乡的钉钉群机器人已接入闭环提醒。"]


def test_a_robot_channel_needs_its_webhook(client, world):
    client.force_login(world.wu)

    response = client.post("/notify/channels/", {"unit": world.hexi.pk, "kind": "wecom"})

    assert response.status_code == 400
    assert "群机器人须填写 Webhook 地址。" in response.text
    assert not world.hexi.notify_channels.exists()


def test_only_the_system_admin_manages_channels(client, world):
    client.force_login(world.zhou)

    assert client.get("/notify/channels/").status_code == 403
    response = client.post("/notify/channels/", {"unit": world.hexi.pk, "kind": "email"})
    assert response.status_code == 403
    assert not world.hexi.notify_channels.exists()
