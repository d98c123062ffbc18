"""This year against last year: documents and meetings to 23 September 2024 against the same
days of 2023 and all of 2023, with each unit's targets."""

import datetime as dt

import pytest

from bihuan.streamlining.figures import change, year_on_year
from bihuan.streamlining.models import MeetingKind, MeetingLevel
from bihuan.streamlining.services import (
    MeetingSpec,
    TargetSpec,
    document_register,
    meeting_register,
    target_set,
)

D = dt.date
TODAY = D(2024, 9, 23)


@pytest.fixture
def issue(world, now):
    numbers = iter(range(1, 1000))

    def register(unit, day, text="关于做好秋季防火工作的通知"):
        return document_register(
            unit=unit,
            number=f"文〔{day.year}〕{next(numbers)}号",
            title="",
            issued_on=day,
            data=text.encode(),
            filename="通知.txt",
            by=world.zhou,
            now=now,
        )

    return register


@pytest.fixture
def meet(world, now):
    def register(unit, day, minutes=60, merged=False, by_video=False):
        return meeting_register(
            spec=MeetingSpec(
                unit=unit,
                held_on=day,
                title="工作会",
                kind=MeetingKind.WORK,
                level=MeetingLevel.TOWNSHIP,
                minutes=minutes,
                merged=merged,
                by_video=by_video,
            ),
            by=world.zhou,
            now=now,
        )

    return register


def test_the_county_compares_this_year_with_the_same_days_and_all_of_last_year(
    world, now, issue, meet
):
    target_set(
        spec=TargetSpec(world.county, 2024, documents_cut_percent=30, meeting_max_minutes=90),
        by=world.zhou,
        now=now,
    )
    for day in (D(2023, 2, 1), D(2023, 5, 1), D(2023, 9, 23), D(2023, 11, 1)):
        issue(world.chengguan, day)
    issue(world.hexi, D(2023, 3, 1))
    issue(world.dongguan, D(2023, 12, 31))  # a village counts in its township
    for day in (D(2024, 3, 1), D(2024, 9, 23)):
        issue(world.chengguan, day, text="关于会议的通知")
    issue(world.hexi, D(2024, 1, 2))
    for day in (D(2023, 4, 1), D(2023, 6, 1), D(2023, 10, 1)):
        meet(world.chengguan, day, minutes=100)
    meet(world.chengguan, D(2024, 4, 1), minutes=60, merged=True)
    meet(world.hexi, D(2024, 5, 1), minutes=120, by_video=True)

    figures = year_on_year(unit=world.county, year=2024, today=TODAY)

    total = figures.total
    assert figures.through == TODAY
    assert (total.this_year.documents, total.same_days.documents, total.last_year.documents) == (
        3,
        4,
        6,
    )
    assert total.documents_change == -0.25
    assert total.documents_allowed == 4  # 6 less 30 %, rounded down
    assert not total.documents_over
    assert (total.this_year.meetings, total.same_days.meetings, total.last_year.meetings) == (
        2,
        2,
        3,
    )
    assert total.meetings_change == 0
    assert (total.this_year.average_minutes, total.this_year.long_meetings) == (90, 1)
    assert (total.this_year.merged, total.this_year.by_video) == (1, 1)
    assert total.this_year.average_chars == 9  # (7 + 7 + 13) characters / 3
    rows = {row.unit.name: row for row in figures.rows[1:]}
    assert list(rows) == ["中共青山县委办公室", "城关镇", "河西乡"]
    assert (rows["城关镇"].this_year.documents, rows["城关镇"].last_year.documents) == (2, 5)
    assert rows["城关镇"].target == total.target  # the county's target holds below it


def test_a_units_own_target_replaces_its_superiors(world, now, issue):
    target_set(
        spec=TargetSpec(world.county, 2024, documents_cut_percent=30), by=world.zhou, now=now
    )
    target_set(spec=TargetSpec(world.hexi, 2024, documents_cut_percent=50), by=world.zhou, now=now)
    issue(world.hexi, D(2023, 3, 1))
    issue(world.hexi, D(2023, 4, 1))
    issue(world.hexi, D(2024, 1, 2))
    issue(world.hexi, D(2024, 1, 3))

    hexi = year_on_year(unit=world.hexi, year=2024, today=TODAY).total

    assert (hexi.documents_allowed, hexi.documents_over) == (1, True)


def test_a_past_year_is_counted_whole(world, issue):
    issue(world.chengguan, D(2023, 12, 31))

    figures = year_on_year(unit=world.chengguan, year=2023, today=TODAY)

    assert figures.through == D(2023, 12, 31)
    assert figures.total.this_year.documents == 1


def test_a_change_from_nothing_has_no_percentage():
    assert change(3, 0) is None
    assert change(0, 4) == -1
