"""催办 from the 督办台账 and the item's page: one action for one item or the whole filter, each
recorded on its item and counted."""

from django.urls import reverse

from bihuan.notify.models import Kind, Notification
from bihuan.supervision.models import SupervisionEvent, SupervisionItem


def test_an_item_is_urged_from_its_page_and_the_count_shows(client, item, world):
    client.force_login(world.zhou)
    page = client.get(item.get_absolute_url())
    urge_url = reverse("notify:urge", args=["supervision.supervisionitem", item.pk])
    assert urge_url in page.text

    client.post(urge_url, {"message": "请今天签收"})
    client.post(urge_url, {"message": ""})

    assert SupervisionEvent.objects.filter(item=item, action="urge").count() == 2
    assert "已催办 2 次" in client.get(item.get_absolute_url()).text
    assert Notification.objects.filter(recipient=world.li, kind=Kind.URGE).count() == 2


def test_the_filtered_list_is_urged_with_one_action(client, make_item, world):
    make_item(title="城关镇的事")
    make_item(title="河西乡的事", owner_unit=world.hexi)
    client.force_login(world.zhou)
    listed = client.get(reverse("supervision:list"), {"unit": world.hexi.pk})
    urge_url = f"{reverse('notify:urge_supervision')}?unit={world.hexi.pk}"
    assert urge_url.replace("&", "&amp;") in listed.text

    confirm = client.get(urge_url)
    assert "将向以下 <strong>1</strong> 项督办事项" in confirm.text
    response = client.post(urge_url, {"message": "月底前办结"}, follow=True)

    assert "已催办 1 项督办事项，通知 1 人。" in response.text
    urged = SupervisionEvent.objects.filter(action="urge").values_list("item__title", "comment")
    assert list(urged) == [("河西乡的事", "月底前办结")]
    assert SupervisionItem.objects.get(title="城关镇的事").events.filter(action="urge").count() == 0


def test_a_handler_may_not_urge_a_list(client, item, world):
    client.force_login(world.li)
    assert client.post(reverse("notify:urge_supervision"), {"message": ""}).status_code == 403
    assert not SupervisionEvent.objects.filter(action="urge").exists()
