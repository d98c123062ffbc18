"""Correcting a draft measure, and the 待定 deadline a supervisor sets before assigning."""

import dataclasses
import datetime as dt

import pytest
from django.urls import reverse

from bihuan.errors import DomainError, NotAllowed
from bihuan.ledger.models import Measure
from bihuan.ledger.services import MeasureSpec, measure_edit
from bihuan.workflow.states import Action, DeadlineKind, State


@pytest.fixture
def undecided(make_problem, world):
    """A draft measure whose deadline is still 待定."""
    spec = MeasureSpec(
        text="整理窗口投诉台账", owner_unit=world.chengguan, deadline_kind=DeadlineKind.UNSET
    )
    return make_problem(measures=[spec]).measures.get()


def spec_of(measure, **changes):
    spec = MeasureSpec(
        text=measure.text,
        owner_unit=measure.owner_unit,
        deadline_kind=measure.deadline_kind,
        deadline=measure.deadline,
        lead=measure.lead,
    )
    return dataclasses.replace(spec, **changes)


def test_a_draft_with_an_undecided_deadline_cannot_be_assigned(undecided, world, now, calendar):
    with pytest.raises(DomainError, match="整改时限待定"):
        undecided.assign(by=world.zhou, now=now, calendar=calendar)

    undecided.refresh_from_db()
    assert (undecided.state, undecided.version) == (State.DRAFT, 1)
    assert undecided.deadline_label() == "待定"


def test_setting_the_deadline_of_a_draft_records_the_edit(undecided, world, now, calendar):
    due = now.date() + dt.timedelta(days=20)

    measure_edit(
        measure=undecided,
        spec=spec_of(undecided, deadline_kind=DeadlineKind.DATE, deadline=due),
        by=world.zhou,
        now=now,
    )

    undecided.refresh_from_db()
    assert (undecided.deadline_kind, undecided.deadline) == (DeadlineKind.DATE, due)
    event = undecided.events.last()
    assert (event.action, event.comment) == (Action.EDIT, "时限类型已修改；整改时限已修改")
    undecided.assign(by=world.zhou, now=now, calendar=calendar)
    assert undecided.state == State.PENDING


def test_an_assigned_measure_is_not_edited(assigned, world, now):
    with pytest.raises(DomainError, match="不能再修改"):
        measure_edit(measure=assigned, spec=spec_of(assigned, text="改了"), by=world.zhou, now=now)

    assigned.refresh_from_db()
    assert assigned.text == "建立首问负责制并公示"


def test_only_a_supervisor_edits(measure, world, now):
    with pytest.raises(NotAllowed):
        measure_edit(measure=measure, spec=spec_of(measure, text="改了"), by=world.li, now=now)


def test_an_edit_that_changes_nothing_is_refused(measure, world, now):
    with pytest.raises(DomainError, match="没有修改"):
        measure_edit(measure=measure, spec=spec_of(measure), by=world.zhou, now=now)
    assert measure.events.count() == 1


def test_the_edit_form_on_the_problem_page_saves(client, undecided, world):
    client.force_login(world.zhou)
    page = client.get(reverse("ledger:problem_detail", args=[undecided.problem_id]))
    assert (
        f'action="{reverse("ledger:measure_edit", args=[undecided.pk])}"' in page.content.decode()
    )
    prefix = f"edit-{undecided.pk}"

    client.post(
        reverse("ledger:measure_edit", args=[undecided.pk]),
        {
            f"{prefix}-text": "整理窗口投诉台账并逐条回访",
            f"{prefix}-owner_unit": world.dongguan.pk,
            f"{prefix}-deadline_kind": "ongoing",
            f"{prefix}-feedback_cycle": "monthly",
            f"{prefix}-version": undecided.version,
        },
    )

    edited = Measure.objects.get(pk=undecided.pk)
    assert (edited.text, edited.owner_unit, edited.deadline_kind) == (
        "整理窗口投诉台账并逐条回访",
        world.dongguan,
        DeadlineKind.ONGOING,
    )
