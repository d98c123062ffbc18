import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bihuan.fieldwork.models import Households, Visit
from bihuan.fieldwork.services import VisitSpec, visit_create
from bihuan.ledger.models import Problem, Source

D = dt.date


@pytest.fixture(autouse=True)
def _today(monkeypatch, now):
    monkeypatch.setattr(timezone, "now", lambda: now)


def _form(world, **fields) -> dict:
    """What the phone form posts: the defaults as drawn, and two problems."""
    return {
        "starts_on": "2024-09-23",
        "place_unit": world.dongguan.pk,
        "households": "12",
        "days": "1",
        "topics": "人居环境",
        "people": [world.qian.pk],
        "unit": world.chengguan.pk,
        "problems-TOTAL_FORMS": "2",
        "problems-INITIAL_FORMS": "0",
        "problems-0-description": "垃圾清运不及时",
        "problems-0-category": world.category.pk,
        "problems-1-description": "路灯损坏无人报修",
        "problems-1-category": world.category.pk,
        "problems-1-measure": "建立报修台账",
        **fields,
    }


def test_the_visit_form_is_one_phone_wide_column_of_large_inputs(client, world):
    client.force_login(world.qian)

    page = client.get("/fieldwork/new/")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="visit-form mx-auto"' in html
    assert "form-control-lg" in html and "form-select-lg" in html
    assert html.count('name="problems-') >= 8  # two problems of four fields
    form = page.context["form"]
    assert form["starts_on"].value() == D(2024, 9, 23)
    assert form["people"].value() == [world.qian.pk]


def test_a_visit_with_two_problems_entered_on_the_phone_puts_them_into_the_ledger(client, world):
    client.force_login(world.qian)

    response = client.post("/fieldwork/new/", _form(world), follow=True)

    visit = Visit.objects.get()
    assert response.redirect_chain[-1][0] == f"/fieldwork/{visit.pk}/"
    assert "2 个问题已进入整改台账（待交办）" in response.content.decode()
    problems = Problem.objects.order_by("pk")
    assert [(p.description, p.unit, p.source) for p in problems] == [
        ("垃圾清运不及时", world.dongguan, Source.VISIT),
        ("路灯损坏无人报修", world.dongguan, Source.VISIT),
    ]
    assert (visit.households, visit.days, visit.ends_on) == (12, Decimal(1), D(2024, 9, 23))


def test_a_visit_without_problems_is_saved_alone(client, world):
    client.force_login(world.sun)
    form = _form(world, **{"problems-0-description": "", "problems-1-description": ""})

    client.post("/fieldwork/new/", form)

    assert Visit.objects.count() == 1
    assert not Problem.objects.exists()


def test_a_refused_visit_comes_back_with_its_message_and_nothing_saved(client, world):
    client.force_login(world.qian)

    response = client.post("/fieldwork/new/", _form(world, days="3"))

    assert response.status_code == 400
    assert "计入天数应大于0，且不超过走访的1天。" in response.content.decode()
    assert (Visit.objects.count(), Problem.objects.count()) == (0, 0)


def test_the_days_and_coverage_pages_move_with_each_visit(client, world, now):
    client.force_login(world.zhou)
    client.post("/fieldwork/coverage/households/", {"unit": world.dongguan.pk, "count": 20})

    def figures():
        rows = client.get("/fieldwork/progress/").context["rows"]
        days = next(row.days for row in rows if row.person == world.qian)
        coverage = client.get("/fieldwork/coverage/").context["coverage"]
        village = next(row for row in coverage.villages if row.village == world.dongguan)
        return days, village.visited, village.covered

    assert figures() == (0, 0, False)
    client.force_login(world.qian)
    client.post("/fieldwork/new/", _form(world, households="12"))
    client.post("/fieldwork/new/", _form(world, households="9"))
    client.force_login(world.zhou)

    assert figures() == (2, 21, True)
    assert Households.objects.get().count == 20


def test_another_townships_visit_is_not_found(client, world, now):
    visit = visit_create(
        spec=VisitSpec(
            unit=world.chengguan,
            people=(world.qian,),
            starts_on=D(2024, 9, 20),
            ends_on=D(2024, 9, 20),
            days=Decimal(1),
            place_unit=world.dongguan,
        ),
        by=world.qian,
        now=now,
    )
    client.force_login(world.wang)

    assert client.get(f"/fieldwork/{visit.pk}/").status_code == 404
    client.force_login(world.li)
    assert client.get(f"/fieldwork/{visit.pk}/").status_code == 200


def test_a_household_count_for_another_townships_village_is_refused(client, world):
    client.force_login(world.wang)

    client.post("/fieldwork/coverage/households/", {"unit": world.dongguan.pk, "count": 20})

    assert not Households.objects.exists()
