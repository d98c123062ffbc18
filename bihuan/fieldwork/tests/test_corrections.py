"""Correcting or deleting a visit: whoever entered it, or a supervisor of its organising unit.
The days at the grassroots and the villages' coverage are counted from the visits, so they
move with each correction. Today is Monday 23 September 2024."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bihuan.audit.models import AuditAction, AuditEntry
from bihuan.errors import Conflict, DomainError, NotAllowed
from bihuan.fieldwork.models import Visit
from bihuan.fieldwork.selectors import days_progress, village_coverage
from bihuan.fieldwork.services import (
    VisitChange,
    VisitProblem,
    VisitSpec,
    households_set,
    visit_create,
    visit_delete,
    visit_edit,
)
from bihuan.ledger.models import Problem

D = dt.date


@pytest.fixture(autouse=True)
def _today(monkeypatch, now):
    monkeypatch.setattr(timezone, "now", lambda: now)


@pytest.fixture
def entered(world, now):
    """孙干部 entered a day at 东关村 with 钱书记: 8 of its 20 households."""
    households_set(unit=world.dongguan, count=20, by=world.li, now=now)
    return visit_create(
        spec=VisitSpec(
            unit=world.chengguan,
            people=(world.qian, world.sun),
            starts_on=D(2024, 9, 20),
            ends_on=D(2024, 9, 20),
            days=Decimal(1),
            place_unit=world.dongguan,
            households=8,
            topics="人居环境",
        ),
        by=world.sun,
        now=now,
    )


def _change(visit, **fields) -> VisitChange:
    return VisitChange(
        **{
            "people": tuple(visit.people.all()),
            "starts_on": visit.starts_on,
            "ends_on": visit.ends_on,
            "days": visit.days,
            "households": visit.households,
            "place_unit": visit.place_unit,
            "place": visit.place,
            "topics": visit.topics,
            "findings": visit.findings,
            **fields,
        }
    )


def _figures(world):
    """钱书记's and 孙干部's days in 2024; 东关村's households visited and whether covered."""
    days = {row.person.name: row.days for row in days_progress(user=world.zhou, year=2024)}
    coverage = village_coverage(user=world.zhou, start=D(2024, 1, 1), end=D(2024, 12, 31))
    village = next(row for row in coverage.villages if row.village == world.dongguan)
    return days.get("钱书记"), village.visited, village.covered


def _snapshot():
    return (
        list(Visit.objects.values_list("pk", "starts_on", "days", "households", "version")),
        sorted(Visit.people.through.objects.values_list("visit_id", "user_id")),
        AuditEntry.objects.count(),
    )


def test_the_person_who_entered_a_visit_corrects_it_and_the_figures_follow(entered, world, now):
    before = _figures(world)

    visit_edit(
        visit=entered,
        change=_change(
            entered,
            ends_on=D(2024, 9, 21),
            days=Decimal(2),
            households=20,
            findings="垃圾清运点位不足",
        ),
        by=world.sun,
        now=now,
        version=1,
    )

    assert before == (Decimal(1), 8, False)
    assert _figures(world) == (Decimal(2), 20, True)
    entered.refresh_from_db()
    assert (entered.days, entered.households, entered.version) == (Decimal(2), 20, 2)
    entry = AuditEntry.objects.filter(object_type="fieldwork.visit").first()
    assert entry.action == AuditAction.CHANGE
    assert entry.changes == {
        "before": {"ends_on": "2024-09-20", "days": "1.0", "households": 8, "findings": ""},
        "after": {
            "ends_on": "2024-09-21",
            "days": "2",
            "households": 20,
            "findings": "垃圾清运点位不足",
        },
    }


def test_a_visit_moved_to_another_village_and_person_moves_both_figures(entered, world, now):
    visit_edit(
        visit=entered,
        change=_change(entered, people=(world.sun,), place_unit=world.xihe),
        by=world.zhou,  # the county's supervisor, who sees 城关镇 (and 西河村)
        now=now,
    )

    assert _figures(world) == (Decimal(0), 0, False)
    assert set(entered.people.all()) == {world.sun}
    entry = AuditEntry.objects.filter(object_type="fieldwork.visit").first()
    assert entry.changes["after"]["people"] == [world.sun.pk]
    assert entry.changes["after"]["place_unit"] == world.xihe.pk


def test_a_visit_is_moved_to_last_year_and_leaves_this_years_days(entered, world, now):
    visit_edit(
        visit=entered,
        change=_change(entered, starts_on=D(2023, 12, 29), ends_on=D(2023, 12, 29)),
        by=world.sun,
        now=now,
    )

    assert _figures(world) == (Decimal(0), 0, False)


def test_people_already_on_a_visit_stay_though_the_corrector_does_not_see_them(world, now):
    # 赵县长 of the county went with 孙干部; 钱书记 of 城关镇 does not see the county's people.
    visit = visit_create(
        spec=VisitSpec(
            unit=world.chengguan,
            people=(world.zhao, world.sun),
            starts_on=D(2024, 9, 20),
            ends_on=D(2024, 9, 20),
            days=Decimal(1),
            place_unit=world.dongguan,
        ),
        by=world.zhou,
        now=now,
    )

    visit_edit(visit=visit, change=_change(visit, households=3), by=world.qian, now=now)

    assert set(visit.people.all()) == {world.zhao, world.sun}
    with pytest.raises(DomainError, match="走访人员周督查不在您的管理范围内") as refused:
        visit_edit(
            visit=visit,
            change=_change(visit, people=(world.zhao, world.sun, world.zhou)),
            by=world.qian,
            now=now,
        )
    assert refused.value.field == "people"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"days": Decimal(2)}, "days", "计入天数应大于0，且不超过走访的1天。"),
        ({"ends_on": D(2024, 9, 19)}, "ends_on", "结束日期早于开始日期。"),
        ({"starts_on": D(2024, 9, 24), "ends_on": D(2024, 9, 24)}, "starts_on", "走访日期晚于今天"),
        ({"people": ()}, "people", "请选择走访人员。"),
        ({"place_unit": None, "place": ""}, "place", "请选择或填写走访地点。"),
        ({"households": -1}, "households", "走访农户数不能为负数。"),
    ],
)
def test_a_correction_that_cannot_be_names_its_field_and_changes_nothing(
    entered, world, now, fields, field, message
):
    before = _snapshot()

    with pytest.raises(DomainError, match=message) as refused:
        visit_edit(visit=entered, change=_change(entered, **fields), by=world.sun, now=now)

    assert refused.value.field == field
    assert _snapshot() == before


def test_only_the_one_who_entered_it_or_a_supervisor_corrects_a_visit(entered, world, now):
    before = _snapshot()

    for person in (world.li, world.chen, world.zhao):
        with pytest.raises(NotAllowed, match="只有填报人或组织单位的督查员"):
            visit_edit(visit=entered, change=_change(entered, households=1), by=person, now=now)
        with pytest.raises(NotAllowed):
            visit_delete(visit=entered, by=person, now=now)

    assert _snapshot() == before


def test_a_correction_on_a_form_older_than_the_visit_is_refused(entered, world, now):
    visit_edit(visit=entered, change=_change(entered, households=9), by=world.qian, now=now)
    before = _snapshot()

    with pytest.raises(Conflict, match="该走访记录已被他人修改") as refused:
        visit_edit(
            visit=entered, change=_change(entered, households=10), by=world.sun, now=now, version=1
        )

    assert refused.value.field == "version"
    assert _snapshot() == before


def test_a_visit_entered_by_mistake_is_deleted_and_its_days_and_households_go(entered, world, now):
    visit_delete(visit=entered, by=world.sun, now=now, version=1)

    assert not Visit.objects.exists()
    assert _figures(world) == (Decimal(0), 0, False)
    entry = AuditEntry.objects.filter(object_type="fieldwork.visit").first()
    assert entry.object_repr == "删除走访记录：2024-09-20 东关村"
    assert entry.changes["deleted"]["people"] == sorted([world.qian.pk, world.sun.pk])
    assert entry.changes["deleted"]["households"] == 8


def test_a_visit_that_raised_problems_is_not_deleted(world, now):
    visit = visit_create(
        spec=VisitSpec(
            unit=world.chengguan,
            people=(world.qian,),
            starts_on=D(2024, 9, 20),
            ends_on=D(2024, 9, 20),
            days=Decimal(1),
            place_unit=world.dongguan,
        ),
        problems=[VisitProblem("垃圾清运不及时", world.dongguan, world.category)],
        by=world.qian,
        now=now,
    )
    before = _snapshot()

    with pytest.raises(DomainError) as refused:
        visit_delete(visit=visit, by=world.qian, now=now)

    assert refused.value.message == (
        "本次走访发现的1个问题已进入整改台账，走访记录不能删除；如有错误请修改。"
    )
    assert _snapshot() == before
    assert Problem.objects.get().visits.get() == visit


# -- the pages ------------------------------------------------------------------------------


def test_the_visit_page_offers_the_correction_to_whoever_may_make_it(client, entered, world):
    for person, offered in ((world.sun, True), (world.qian, True), (world.li, False)):
        client.force_login(person)
        html = client.get(f"/fieldwork/{entered.pk}/").content.decode()
        assert (f'href="/fieldwork/{entered.pk}/edit/"' in html) is offered, person
    assert client.get(f"/fieldwork/{entered.pk}/edit/").status_code == 403


def test_the_correction_form_is_phone_wide_and_filled_with_the_visit(client, entered, world):
    client.force_login(world.sun)

    page = client.get(f"/fieldwork/{entered.pk}/edit/")

    html = page.content.decode()
    assert 'class="visit-form mx-auto"' in html
    assert "form-control-lg" in html
    form = page.context["form"]
    assert form["households"].value() == 8
    assert sorted(form["people"].value()) == sorted([world.qian.pk, world.sun.pk])
    assert "unit" not in form.fields and "campaign" not in form.fields
    assert "删除这条走访记录" in html


def _posted(visit, world, **fields) -> dict:
    return {
        "starts_on": "2024-09-20",
        "ends_on": "",
        "place_unit": world.dongguan.pk,
        "place": "",
        "households": "20",
        "days": "1",
        "topics": "人居环境",
        "findings": "",
        "people": [world.qian.pk, world.sun.pk],
        "version": visit.version,
        **fields,
    }


def test_a_visit_is_corrected_on_the_phone_and_the_coverage_page_follows(client, entered, world):
    client.force_login(world.sun)

    response = client.post(f"/fieldwork/{entered.pk}/edit/", _posted(entered, world))
    coverage = client.get("/fieldwork/coverage/", {"start": "2024-01-01"})

    assert response.status_code == 302
    row = next(r for r in coverage.context["coverage"].villages if r.village == world.dongguan)
    assert (row.visited, row.covered) == (20, True)


def test_a_refused_correction_comes_back_on_its_field(client, entered, world):
    client.force_login(world.sun)

    response = client.post(f"/fieldwork/{entered.pk}/edit/", _posted(entered, world, days="3"))

    assert response.status_code == 400
    assert response.context["form"].errors["days"] == ["计入天数应大于0，且不超过走访的1天。"]
    entered.refresh_from_db()
    assert entered.days == Decimal(1)


def test_a_visit_is_deleted_from_its_page(client, entered, world):
    client.force_login(world.sun)

    response = client.post(f"/fieldwork/{entered.pk}/delete/", {"version": 1})

    assert response.status_code == 302
    assert not Visit.objects.exists()
