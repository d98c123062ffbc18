"""The demo county is loaded once for this module and rolled back after it."""

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from bihuan.conftest import at
from bihuan.demo import DEMO_USERNAMES, load_demo
from bihuan.ledger.models import (
    Category,
    ExtensionRequest,
    Measure,
    MeasureEvent,
    Problem,
    Progress,
    Source,
)
from bihuan.org.models import Role, User
from bihuan.workflow.models import LightCutoffs, load_calendar
from bihuan.workflow.states import Action, DeadlineKind, Light, State

# The marker makes pytest-django set up the test database; the fixture below fills it once.
pytestmark = pytest.mark.django_db

NOW = at(2024, 11, 20, 10)

# The steps every measure in a state has been through, at least.
REQUIRED_STEPS = {
    State.DRAFT: {Action.CREATE},
    State.PENDING: {Action.CREATE, Action.ASSIGN},
    State.IN_PROGRESS: {Action.CREATE, Action.ASSIGN, Action.ACKNOWLEDGE},
    State.SUBMITTED: {Action.CREATE, Action.ASSIGN, Action.ACKNOWLEDGE, Action.SUBMIT},
    State.CLOSED: {
        Action.CREATE,
        Action.ASSIGN,
        Action.ACKNOWLEDGE,
        Action.SUBMIT,
        Action.CLOSE,
    },
    State.CANCELLED: {Action.CREATE, Action.CANCEL},
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo(now=NOW, password="Demo#2024")
        transaction.set_rollback(True)


def test_it_loads_about_two_hundred_problems_with_one_to_three_measures(demo):
    assert demo.problems == Problem.objects.count() == 200
    per_problem = Counter(Measure.objects.values_list("problem_id", flat=True))
    assert set(per_problem.values()) == {1, 2, 3}
    assert demo.measures == Measure.objects.count()


def test_every_state_is_present(demo):
    assert set(demo.measures_by_state) == set(State.values)
    assert all(count >= 5 for count in demo.measures_by_state.values())


def test_every_source_category_and_deadline_kind_is_used(demo):
    assert set(Problem.objects.values_list("source", flat=True)) == set(Source.values)
    used = set(Problem.objects.values_list("category__name", flat=True))
    assert used == set(Category.objects.values_list("name", flat=True))
    kinds = set(Measure.objects.values_list("deadline_kind", flat=True))
    assert kinds == set(DeadlineKind.values)
    assert not Problem.objects.filter(causes=None).exists()
    assert not Problem.objects.filter(target="").exists()


def test_some_measures_are_overdue_late_or_returned(demo):
    today = timezone.localdate(NOW)
    assert Measure.objects.overdue(today=today).count() >= 10
    assert Measure.objects.filter(acknowledged_on_time=False).count() >= 10
    assert Measure.objects.filter(state=State.CLOSED, closed_on_time=False).exists()
    assert Measure.objects.filter(events__action=Action.RETURN).distinct().count() >= 10
    lights = Measure.objects.with_light(LightCutoffs(now=NOW, calendar=load_calendar()))
    assert set(lights.values_list("light", flat=True)) == set(Light.values)


def test_extensions_are_pending_approved_and_refused_and_asked_in_time(demo):
    requests = ExtensionRequest.objects.all()
    assert set(requests.values_list("state", flat=True)) == {"pending", "approved", "refused"}
    for request in requests:
        assert timezone.localdate(request.requested_at) <= request.current_deadline
        assert request.new_deadline > request.current_deadline


def test_every_measure_history_leads_step_by_step_to_its_state(demo):
    events = {}
    for event in MeasureEvent.objects.order_by("at", "pk"):
        events.setdefault(event.measure_id, []).append(event)
    progress = Counter(Progress.objects.values_list("measure_id", flat=True))
    for measure in Measure.objects.all():
        history = events[measure.pk]
        assert history[0].action == Action.CREATE
        state = State.DRAFT
        for event in history:
            assert event.from_state == state, measure.pk
            state = event.to_state
        assert state == measure.state
        assert REQUIRED_STEPS[measure.state] <= {event.action for event in history}
        assert progress[measure.pk] == sum(e.action == Action.PROGRESS for e in history)


def test_all_timestamps_fall_in_the_past_four_months(demo):
    earliest = NOW - dt.timedelta(days=121)
    assert not MeasureEvent.objects.exclude(at__range=(earliest, NOW)).exists()
    assert not Problem.objects.exclude(created_at__range=(earliest, NOW)).exists()
    for measure in Measure.objects.exclude(state__in=[State.DRAFT, State.CANCELLED]):
        if measure.deadline_kind == DeadlineKind.DATE:
            assert measure.original_deadline >= timezone.localdate(measure.assigned_at)


def test_there_is_an_account_for_every_role_and_admins_see_no_business_data(demo):
    users = User.objects.filter(username__in=DEMO_USERNAMES)
    roles = set(users.values_list("role_grants__role", flat=True))
    assert roles == set(Role.values) - {Role.SYSTEM_ADMIN}
    for username in ("secadmin", "auditadmin"):
        assert not Problem.objects.visible_to(User.objects.get(username=username)).exists()
    # One shared password hash (the test settings swap hashers, so it is not checked here).
    assert len(set(users.values_list("password", flat=True))) == 1
    assert users.first().has_usable_password()


def test_a_township_handler_sees_only_the_township(demo):
    hexi = User.objects.select_related("unit").get(username="hexi")
    visible = Measure.objects.visible_to(hexi)
    assert visible.exists()
    assert all(hexi.unit.contains(m.owner_unit) or hexi.unit.contains(m.problem.unit)
               for m in visible.select_related("owner_unit", "problem__unit"))  # fmt: skip
    assert visible.count() < Measure.objects.count()
