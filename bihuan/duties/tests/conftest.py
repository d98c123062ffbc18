"""The shared world plus 南街社区 (a community of 城关镇) and the lists of both levels."""

import datetime as dt

import pytest

from bihuan.ledger.services import MeasureSpec
from bihuan.org.models import Unit, UnitKind

from .world import duty_lists


@pytest.fixture
def nanjie(world):
    return Unit.objects.add(name="南街社区", kind=UnitKind.VILLAGE, parent=world.chengguan)


@pytest.fixture
def lists(db, now):
    return duty_lists(now)


@pytest.fixture
def village_measure(make_problem, world, now):
    """A draft measure for 东关村, due in a month."""
    spec = MeasureSpec(
        text="在村务公开栏公示整改情况",
        owner_unit=world.dongguan,
        deadline=now.date() + dt.timedelta(days=30),
    )
    return make_problem(unit=world.dongguan, measures=[spec]).measures.get()
