"""Targets and coverage arithmetic: days at the grassroots per person against their role's yearly
target, and households visited per village in a period."""

import datetime as dt
from decimal import Decimal

import pytest

from bihuan.conftest import at
from bihuan.fieldwork.selectors import days_progress, village_coverage, year_targets
from bihuan.fieldwork.services import VisitSpec, households_set, target_set, visit_create
from bihuan.org.models import Role

D = dt.date


@pytest.fixture
def go(world):
    """`go(people, day, days=1, place=东关村, households=0)`, recorded by the first person."""

    def record(people, day, days="1", place=None, households=0):
        length = max(int(Decimal(days) + Decimal("0.5")), 1)
        return visit_create(
            spec=VisitSpec(
                unit=people[0].unit,
                people=tuple(people),
                starts_on=day,
                ends_on=day + dt.timedelta(days=length - 1),
                days=Decimal(days),
                place_unit=place or world.dongguan,
                households=households,
            ),
            by=people[0],
            now=at(2024, 12, 31, 20),
        )

    return record


def _rows(rows):
    return {row.person.name: (row.days, row.target, row.met) for row in rows}


def test_leaders_have_ninety_days_a_year_unless_the_county_says_otherwise(world, now):
    assert year_targets(2024) == {Role.LEADER: Decimal(90)}

    target_set(year=2024, role=Role.CADRE, days=Decimal(30), by=world.zhou, now=now)
    target_set(year=2024, role=Role.LEADER, days=Decimal(0), by=world.zhou, now=now)

    assert year_targets(2024) == {Role.CADRE: Decimal(30)}
    assert year_targets(2025) == {Role.LEADER: Decimal(90)}


def test_each_person_has_the_days_of_the_visits_they_went_on_that_year(world, go):
    go([world.zhao], D(2024, 3, 1), days="2", place=world.xihe)
    go([world.zhao, world.qian], D(2024, 9, 20))
    go([world.qian], D(2024, 12, 31), days="0.5")
    go([world.qian], D(2023, 12, 30), days="2")  # last year's

    rows = days_progress(user=world.zhou, year=2024)

    # 钱书记 is a supervisor and a leader: the leader's target holds for him.
    assert _rows(rows) == {
        "钱书记": (Decimal("1.5"), Decimal(90), False),
        "赵县长": (Decimal(3), Decimal(90), False),
    }
    assert rows[0].person == world.qian  # furthest behind first
    assert (rows[1].percent, rows[1].short) == (3, Decimal(87))


def test_a_person_who_reaches_the_target_has_met_it(world, go, now):
    target_set(year=2024, role=Role.LEADER, days=Decimal(3), by=world.zhou, now=now)
    go([world.zhao], D(2024, 3, 4), days="3", place=world.xihe)

    row = next(r for r in days_progress(user=world.zhou, year=2024) if r.person == world.zhao)

    assert (row.met, row.percent, row.short) == (True, 100, Decimal(0))


def test_a_township_sees_the_days_of_its_own_people_only(world, go):
    go([world.zhao, world.qian], D(2024, 9, 20))

    assert _rows(days_progress(user=world.li, year=2024)) == {
        "钱书记": (Decimal(1), Decimal(90), False)
    }


def test_a_villages_share_is_households_visited_over_households_and_stops_at_all(world, go, now):
    households_set(unit=world.dongguan, count=40, by=world.li, now=now)
    households_set(unit=world.xihe, count=25, by=world.wang, now=now)
    go([world.qian], D(2024, 9, 2), households=30)
    go([world.sun], D(2024, 9, 9), households=15)
    go([world.zhao], D(2024, 9, 10), place=world.xihe, households=10)

    coverage = village_coverage(user=world.zhou, start=D(2024, 9, 1), end=D(2024, 9, 30))

    rows = {
        row.village.name: (row.households, row.visited, row.percent, row.covered)
        for row in coverage.villages
    }
    assert rows == {"东关村": (40, 45, 100, True), "西河村": (25, 10, 40, False)}
    assert [row.village.name for row in coverage.uncovered] == ["西河村"]
    # Each village counts up to its own households: 40 + 10 of 65.
    assert (coverage.households, coverage.visited) == (65, 50)


def test_only_visits_that_started_in_the_period_count(world, go, now):
    households_set(unit=world.dongguan, count=40, by=world.li, now=now)
    go([world.qian], D(2024, 8, 31), households=30)
    go([world.qian], D(2024, 9, 30), days="2", households=5)
    go([world.qian], D(2024, 10, 1), households=7)

    coverage = village_coverage(user=world.zhou, start=D(2024, 9, 1), end=D(2024, 9, 30))

    assert coverage.villages[0].visited == 5


def test_a_village_without_a_household_count_is_listed_as_not_covered(world, go):
    go([world.qian], D(2024, 9, 2), households=30)

    coverage = village_coverage(user=world.li, start=D(2024, 9, 1), end=D(2024, 9, 30))

    row = coverage.villages[0]
    assert (row.village, row.households, row.share, row.covered) == (
        world.dongguan,
        None,
        None,
        False,
    )
    assert coverage.uncovered == [row]
    assert coverage.share is None


def test_a_township_sees_the_coverage_of_its_own_villages(world, go, now):
    go([world.zhao], D(2024, 9, 10), place=world.xihe, households=10)

    assert [
        r.village
        for r in village_coverage(
            user=world.wang, start=D(2024, 1, 1), end=D(2024, 12, 31)
        ).villages
    ] == [world.xihe]
    scoped = village_coverage(
        user=world.zhou, start=D(2024, 1, 1), end=D(2024, 12, 31), unit=world.hexi
    )
    assert [(r.village, r.visited) for r in scoped.villages] == [(world.xihe, 10)]
