"""The campaign's derived lists: each unit's and cadre's status for each requirement, counted
from the materials, meetings and visits tagged with the campaign. Today is Monday 23 September
2024; 动员部署 ran 2–21 September, 学习研讨 runs 22 September – 11 October."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bihuan.campaigns.models import Activity, Per
from bihuan.campaigns.status import Status, campaign_status
from bihuan.materials.models import MaterialKind
from bihuan.org.models import Role
from bihuan.streamlining.models import MeetingKind

D = dt.date


def _status(campaign, user, now, calendar):
    return campaign_status(campaign=campaign, user=user, today=now.date(), calendar=calendar)


def _grid(status):
    return {
        (cell.requirement.pk, cell.person.name if cell.person else cell.unit.name): cell.status
        for cell in status.cells
    }


def test_each_unit_is_done_late_missing_or_pending(
    campaign, require, hold, submit, world, now, calendar
):
    study = require(1, Activity.STUDY, Per.UNIT, due_on=D(2024, 9, 13))
    deploy = require(1, Activity.MEETING, Per.UNIT, quantity=2, due_on=D(2024, 9, 6))
    papers = require(
        2, Activity.MATERIAL, Per.UNIT, material_kind=MaterialKind.STUDY, due_on=D(2024, 10, 8)
    )
    hold(world.chengguan, world.li, D(2024, 9, 10))
    hold(world.hexi, world.wang, D(2024, 9, 18))
    hold(world.chengguan, world.li, D(2024, 9, 5), kind=MeetingKind.DEPLOYMENT)
    submit(world.sun, MaterialKind.STUDY, D(2024, 9, 23))

    status = _status(campaign, world.zhou, now, calendar)

    assert _grid(status) == {
        (study.pk, "城关镇"): Status.DONE,
        (study.pk, "河西乡"): Status.LATE,
        # Any meeting counts: 城关镇's second (the study session of the 10th) came late.
        (deploy.pk, "城关镇"): Status.LATE,
        (deploy.pk, "河西乡"): Status.MISSING,
        (papers.pk, "城关镇"): Status.DONE,
        (papers.pk, "河西乡"): Status.PENDING,
    }
    cell = next(c for c in status.cells if c.requirement == deploy and c.unit == world.hexi)
    assert (cell.done, cell.done_on, cell.due) == (1, None, D(2024, 9, 6))
    late = next(c for c in status.cells if c.requirement == study and c.unit == world.hexi)
    assert (late.done_on, late.status_label) == (D(2024, 9, 18), "逾期完成")
    assert [t.counts for t in status.tallies if t.requirement == deploy] == [
        {"done": 0, "late": 1, "missing": 1, "pending": 0}
    ]


def test_what_came_before_the_stage_or_for_no_campaign_does_not_count(
    campaign, require, submit, world, now, calendar
):
    papers = require(
        2, Activity.MATERIAL, Per.UNIT, material_kind=MaterialKind.STUDY, due_on=D(2024, 10, 8)
    )
    submit(world.sun, MaterialKind.STUDY, D(2024, 9, 20))  # 学习研讨 starts on the 22nd
    submit(world.sun, MaterialKind.STUDY, D(2024, 9, 23), tagged=False)
    submit(world.sun, MaterialKind.ANALYSIS, D(2024, 9, 23))  # another kind

    status = _status(campaign, world.zhou, now, calendar)

    assert _grid(status)[(papers.pk, "城关镇")] == Status.PENDING


def test_each_cadre_and_leader_has_a_row_and_days_of_visits_add_up(
    campaign, require, submit, visit, world, now, calendar
):
    papers = require(
        2, Activity.MATERIAL, Per.PERSON, material_kind=MaterialKind.STUDY, due_on=D(2024, 10, 8)
    )
    days = require(
        1, Activity.VISIT, Per.PERSON, roles=(Role.LEADER,), quantity=2, due_on=D(2024, 9, 20)
    )
    submit(world.sun, MaterialKind.STUDY, D(2024, 9, 23))
    visit([world.qian], D(2024, 9, 9))
    visit([world.qian, world.sun], D(2024, 9, 19))

    status = _status(campaign, world.zhou, now, calendar)

    # 王承办 is a handler only; 孙干部 a cadre, not a leader, so no days are asked of him.
    assert [person.name for person, _ in status.person_rows] == ["钱书记", "孙干部"]
    assert _grid(status) == {
        (papers.pk, "钱书记"): Status.PENDING,
        (papers.pk, "孙干部"): Status.DONE,
        (days.pk, "钱书记"): Status.DONE,
    }
    rows = dict(status.person_rows)
    # Columns in stage order: 动员部署's days, then 学习研讨's material.
    assert rows[world.sun][0] is None
    qian = rows[world.qian][0]
    assert (qian.done, qian.done_on) == (2, D(2024, 9, 19))


def test_a_township_sees_only_its_own_units_and_people(
    campaign, require, hold, submit, world, now, calendar
):
    require(1, Activity.STUDY, Per.UNIT, due_on=D(2024, 9, 13))
    require(
        2, Activity.MATERIAL, Per.PERSON, material_kind=MaterialKind.STUDY, due_on=D(2024, 10, 8)
    )

    status = _status(campaign, world.wang, now, calendar)

    assert status.units == [world.hexi]
    assert {cell.unit for cell in status.cells} == {world.hexi}
    assert status.people == []


def test_the_status_reads_a_fixed_number_of_queries(
    campaign, require, hold, submit, visit, world, now, calendar
):
    require(1, Activity.STUDY, Per.UNIT, due_on=D(2024, 9, 13))
    require(1, Activity.VISIT, Per.PERSON, due_on=D(2024, 9, 20))
    require(
        2, Activity.MATERIAL, Per.PERSON, material_kind=MaterialKind.STUDY, due_on=D(2024, 10, 8)
    )

    def count():
        with CaptureQueriesContext(connection) as queries:
            _status(campaign, world.zhou, now, calendar)
        return len(queries)

    before = count()
    hold(world.chengguan, world.li, D(2024, 9, 10))
    hold(world.hexi, world.wang, D(2024, 9, 11))
    visit([world.qian, world.sun], D(2024, 9, 12))
    submit(world.sun, MaterialKind.STUDY, D(2024, 9, 23))

    assert count() == before
