"""Who sees an item: the lead unit's, each partner unit's and the assigning unit's people, with
the units above them; nobody else."""

import pytest

from bihuan.supervision.models import SupervisionExtensionRequest, SupervisionItem


@pytest.fixture
def only_office(make_item, world):
    """城关镇 leads, 县委办 helps: 河西乡 has no part in it."""
    return make_item(partners=[world.office])


def test_the_lead_the_partners_and_the_assigning_unit_see_it(item, world, feng):
    for user in (world.li, world.qian, world.wang, feng, world.zhou, world.zhao):
        assert SupervisionItem.objects.visible_to(user).filter(pk=item.pk).exists(), user
        assert item.is_visible_to(user), user


def test_another_township_a_village_below_and_the_admins_do_not(only_office, world):
    for user in (world.wang, world.chen, world.wu):
        assert not SupervisionItem.objects.visible_to(user).exists(), user
        assert not only_office.is_visible_to(user), user


def test_a_partner_sees_the_item_but_does_not_act_as_its_lead(item, world):
    assert item.allowed_actions(world.wang) == []
    assert [a.value for a in item.allowed_actions(world.li)] == ["acknowledge", "extension_request"]


def test_extension_requests_follow_their_items_scope(only_office, world, now):
    from bihuan.supervision.services import extension_request

    request = extension_request(
        item=only_office,
        by=world.li,
        now=now,
        new_deadline=only_office.deadline.replace(year=2025),
        reason="等待上级批复",
    )
    assert SupervisionExtensionRequest.objects.visible_to(world.zhou).get() == request
    assert not SupervisionExtensionRequest.objects.visible_to(world.wang).exists()
