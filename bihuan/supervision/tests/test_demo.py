"""The demo county's 督办事项: loaded once for this module and rolled back after it."""

import pytest
from django.db import transaction

from bihuan.conftest import at
from bihuan.demo import load_demo
from bihuan.org.models import User
from bihuan.supervision.models import PartnerPart, SupervisionExtensionRequest, SupervisionItem
from bihuan.workflow.models import LightCutoffs, load_calendar

pytestmark = pytest.mark.django_db

NOW = at(2024, 11, 20, 10)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo(now=NOW, password="Demo#2024", problems=10)
        transaction.set_rollback(True)


def test_the_demo_has_items_in_every_state_but_cancelled(demo):
    assert demo.supervision_items == SupervisionItem.objects.count() == 8
    states = set(SupervisionItem.objects.values_list("state", flat=True))
    assert states == {"draft", "pending", "in_progress", "submitted", "closed"}


def test_a_leaders_instruction_has_a_lead_and_two_partners_who_reported(demo):
    item = SupervisionItem.objects.get(title="城区背街小巷环境综合整治")
    assert (item.get_source_display(), item.instructed_by, item.owner_unit.name) == (
        "领导批示",
        "县委书记王振华",
        "城关镇",
    )
    assert list(item.partner_parts.values_list("state", flat=True)) == ["reported", "reported"]
    assert (item.state, item.closed_on_time) == ("closed", True)


def test_the_lights_levels_parts_and_extensions_show_what_the_pages_can_show(demo):
    cutoffs = LightCutoffs(now=NOW, calendar=load_calendar())
    lights = dict(SupervisionItem.objects.with_light(cutoffs).values_list("title", "light"))
    assert lights["学校周边交通安全隐患排查整治"] == "yellow"
    assert lights["秸秆禁烧巡查管控"] == "red"
    assert set(lights.values()) == {"red", "yellow", "green", "none"}
    assert SupervisionItem.objects.get(title="秸秆禁烧巡查管控").escalation_level == "red"
    assert set(PartnerPart.objects.values_list("state", flat=True)) == {
        "pending",
        "acknowledged",
        "reported",
    }
    assert SupervisionExtensionRequest.objects.get().state == "pending"


def test_a_township_handler_sees_only_the_items_of_the_township(demo):
    hexi = User.objects.get(username="hexi")
    titles = set(SupervisionItem.objects.visible_to(hexi).values_list("title", flat=True))
    assert titles == {"和美乡村示范村创建"}


def test_the_demo_keeps_village_and_community_duty_lists(demo):
    from bihuan.duties.models import DutyEntry

    kinds = set(DutyEntry.objects.values_list("level", "kind"))
    assert kinds == {
        (level, kind)
        for level in ("village", "community")
        for kind in ("autonomy", "assist", "certificate", "negative")
    }
    assert DutyEntry.objects.filter(name="招商引资、协税护税任务").count() == 2
