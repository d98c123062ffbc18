"""The demo county's campaign, visits and 精文减会 registers: loaded once for this module and
rolled back after it. What the issue's "Done when" asks can be tried on it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from bihuan.campaigns.models import Campaign
from bihuan.campaigns.reminders import campaign_urge
from bihuan.campaigns.status import Status, campaign_status
from bihuan.conftest import at
from bihuan.demo import load_demo
from bihuan.fieldwork.selectors import days_progress, village_coverage
from bihuan.fieldwork.services import VisitProblem, VisitSpec, visit_create
from bihuan.ledger.models import Category, Problem
from bihuan.notify.models import Notification
from bihuan.org.models import User
from bihuan.streamlining.figures import year_on_year
from bihuan.workflow.models import load_calendar

pytestmark = pytest.mark.django_db

NOW = at(2024, 11, 20, 10)
TODAY = NOW.date()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo(now=NOW, password="Demo#2024", problems=10)
        transaction.set_rollback(True)


def _user(username: str) -> User:
    return User.objects.select_related("unit").get(username=username)


def test_the_campaign_has_six_stages_and_each_townships_status(demo):
    campaign = Campaign.objects.get()
    supervisor = _user("ducha")

    status = campaign_status(
        campaign=campaign, user=supervisor, today=TODAY, calendar=load_calendar()
    )

    assert campaign.stages.count() == 6
    assert len(status.units) == 6
    deployment = {
        cell.unit.name: cell.status for cell in status.cells if cell.requirement.stage.order == 1
    }
    assert deployment == {
        "城关镇": Status.DONE,
        "河西乡": Status.DONE,
        "柳溪镇": Status.DONE,
        "石门镇": Status.DONE,
        "白云乡": Status.LATE,
        "桃源镇": Status.MISSING,
    }
    study = [c for c in status.cells if c.requirement.material_kind == "study" and c.person is None]
    assert [c.status for c in study] == [
        Status.DONE,
        Status.LATE,
        Status.DONE,
        Status.DONE,
        Status.MISSING,
        Status.MISSING,
    ]
    assert {person.username for person in status.people} == {"ganbu"}


def test_reminders_go_to_the_townships_missing_a_material(demo):
    campaign = Campaign.objects.get()
    requirement = campaign.stages.get(name="学习研讨").requirements.get(
        material_kind="study", per="unit"
    )

    result = campaign_urge(
        campaign=campaign,
        by=_user("ducha"),
        now=NOW,
        calendar=load_calendar(),
        requirement=requirement,
    )

    assert (result.urged, result.notified) == (2, 2)
    sent = Notification.objects.filter(content_type__model="requirement", object_id=requirement.pk)
    assert set(sent.values_list("recipient__username", flat=True)) == {"baiyun", "taoyuan"}


def test_a_visit_with_two_problems_moves_coverage_days_and_the_ledger(demo):
    leader, campaign = _user("lingdao"), Campaign.objects.get()
    village = campaign.units.get(name="河西乡").children.get(name="柳林村")
    start = dt.date(2024, 1, 1)
    before_days = next(r.days for r in days_progress(user=leader, year=2024) if r.person == leader)
    before = next(
        r
        for r in village_coverage(user=leader, start=start, end=TODAY).villages
        if r.village == village
    )
    problems_before = Problem.objects.count()
    category = Category.objects.get(name="工作作风")

    visit_create(
        spec=VisitSpec(
            unit=leader.unit,
            people=(leader,),
            starts_on=TODAY,
            ends_on=TODAY,
            days=Decimal(1),
            place_unit=village,
            households=before.households,
            campaign=campaign,
        ),
        problems=[
            VisitProblem("村级活动场所长期关闭", village, category),
            VisitProblem("惠农补贴发放公示不全", village, category),
        ],
        by=leader,
        now=NOW,
    )

    after = next(
        r
        for r in village_coverage(user=leader, start=start, end=TODAY).villages
        if r.village == village
    )
    after_days = next(r.days for r in days_progress(user=leader, year=2024) if r.person == leader)
    assert (after_days - before_days, after.covered) == (1, True)
    assert after.visited == before.visited + before.households
    assert Problem.objects.count() == problems_before + 2
    assert 0 < before_days < 90


def test_the_streamlining_page_has_this_year_against_last_year(demo):
    county = Campaign.objects.get().organiser

    figures = year_on_year(unit=county, year=2024, today=TODAY)

    total = figures.total
    assert total.last_year.documents > total.same_days.documents > total.this_year.documents > 0
    assert total.documents_change < 0
    assert total.target.documents_cut_percent == 30
    assert total.this_year.meetings > 0 and total.this_year.average_minutes <= 90
    assert len(figures.rows) == 1 + 1 + 8 + 6  # the county, its office, departments, townships
