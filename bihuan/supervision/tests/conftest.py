"""The shared world plus 冯主任, the county office's contact, and items a leader gave."""

import datetime as dt

import pytest

from bihuan.conftest import PASSWORD
from bihuan.org.models import Role
from bihuan.org.services import user_create
from bihuan.supervision.models import PartnerPart, Source, SupervisionItem
from bihuan.supervision.services import ItemSpec, item_create
from bihuan.workflow.states import DeadlineKind


@pytest.fixture
def feng(world):
    """冯主任: the handler of 县委办, a partner unit in the stories."""
    return user_create(
        username="feng",
        name="冯主任",
        unit=world.office,
        roles=[Role.HANDLER],
        password=PASSWORD,
        must_change_password=False,
    )


@pytest.fixture
def make_item(world, now, calendar):
    """A leader's instruction registered by 周督查: 城关镇 leads; partners as given."""

    def make(*, partners=(), assign=True, when=None, by=None, **fields):
        when = when or now
        spec = ItemSpec(
            **{
                "source": Source.INSTRUCTION,
                "title": "背街小巷环境整治",
                "instruction": "请城关镇牵头，县委办、河西乡配合，月底前整治到位。",
                "instructed_by": "县委书记张三",
                "instructed_on": when.date(),
                "owner_unit": world.chengguan,
                "partner_units": tuple(partners),
                "deadline_kind": DeadlineKind.DATE,
                "deadline": when.date() + dt.timedelta(days=30),
                **fields,
            }
        )
        return item_create(
            spec=spec, by=by or world.zhou, now=when, calendar=calendar, assign=assign
        )

    return make


@pytest.fixture
def item(make_item, world, feng):
    """Assigned on Monday 23 September: 城关镇 leads, 河西乡 and 县委办 help."""
    return make_item(partners=[world.hexi, world.office])


def fresh(item) -> SupervisionItem:
    """The item as a new request would load it (another step may have moved its version)."""
    return SupervisionItem.objects.select_related("owner_unit", "assigning_unit").get(pk=item.pk)


def part_of(item, unit) -> PartnerPart:
    return PartnerPart.objects.select_related("item", "unit").get(item_id=item.pk, unit=unit)
