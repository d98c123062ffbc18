"""No lost updates (等保 and issue 9, item 6): two people editing one measure, and an import that
meets a change made after its preview."""

import dataclasses
import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bihuan.audit.models import AuditAction, AuditEntry
from bihuan.errors import Conflict
from bihuan.ledger.importing import ImportOptions, import_commit, import_plan
from bihuan.ledger.models import Measure, MeasureEvent, Problem
from bihuan.ledger.services import MeasureSpec, measure_edit
from bihuan.tabular.records import Deadline, ParsedLedger, ParsedMeasure, ParsedProblem, Status
from bihuan.workflow.states import Action, State

STALE = "该措施已被他人修改，您的修改没有保存；请刷新页面，在最新内容上重新修改。"


def spec_of(measure, **changes):
    spec = MeasureSpec(
        text=measure.text,
        owner_unit=measure.owner_unit,
        deadline_kind=measure.deadline_kind,
        deadline=measure.deadline,
        lead=measure.lead,
    )
    return dataclasses.replace(spec, **changes)


def test_the_second_of_two_editors_is_refused_and_the_first_edit_stays(measure, world, now):
    seen_by_zhou = seen_by_qian = measure.version
    measure_edit(
        measure=Measure.objects.get(pk=measure.pk),
        spec=spec_of(measure, text="建立首问负责制并在大厅公示"),
        by=world.zhou,
        now=now,
        version=seen_by_zhou,
    )

    with pytest.raises(Conflict) as refused:
        measure_edit(
            measure=Measure.objects.get(pk=measure.pk),
            spec=spec_of(measure, lead="钱书记"),
            by=world.qian,
            now=now,
            version=seen_by_qian,
        )

    assert refused.value.message == STALE
    saved = Measure.objects.get(pk=measure.pk)
    assert (saved.text, saved.lead, saved.version) == ("建立首问负责制并在大厅公示", "", 2)
    assert list(saved.events.values_list("action", "actor")) == [
        (Action.CREATE, world.zhou.pk),
        (Action.EDIT, world.zhou.pk),
    ]


def test_an_edit_on_the_current_version_is_saved(measure, world, now):
    measure_edit(
        measure=measure, spec=spec_of(measure, lead="钱书记"), by=world.qian, now=now, version=1
    )

    assert Measure.objects.get(pk=measure.pk).lead == "钱书记"


def test_a_stale_copy_loses_the_race_even_after_the_version_check(measure, world, now):
    """The check and the write are one: a save that lands between them still wins."""
    copy = Measure.objects.get(pk=measure.pk)
    copy.check_version(1)
    measure_edit(measure=measure, spec=spec_of(measure, lead="钱书记"), by=world.zhou, now=now)

    with pytest.raises(Conflict):
        copy.record(Action.EDIT, by=world.qian, now=now, changes={"text": "另一种写法"})

    assert Measure.objects.get(pk=measure.pk).text == "建立首问负责制并公示"


def _edit_post(client: Client, measure: Measure, *, version: int, text: str):
    """The page's edit form as posted; the page reads the real clock, so the deadline does too."""
    prefix = f"edit-{measure.pk}"
    deadline = timezone.localdate() + dt.timedelta(days=60)
    return client.post(
        reverse("ledger:measure_edit", args=[measure.pk]),
        {
            f"{prefix}-text": text,
            f"{prefix}-owner_unit": measure.owner_unit_id,
            f"{prefix}-deadline_kind": measure.deadline_kind,
            f"{prefix}-deadline": deadline.isoformat(),
            f"{prefix}-version": version,
        },
        follow=True,
    )


def test_two_people_editing_one_measure_on_the_page_lose_nothing(measure, world):
    zhou, qian = Client(), Client()
    zhou.force_login(world.zhou)
    qian.force_login(world.qian)
    page = reverse("ledger:problem_detail", args=[measure.problem_id])
    # Both open the page: each edit form carries the version it was drawn from.
    for client in (zhou, qian):
        form = next(m.edit_form for m in client.get(page).context["measures"])
        assert form.initial["version"] == 1
        assert f'name="edit-{measure.pk}-version" value="1"' in form.as_div()

    first = _edit_post(zhou, measure, version=1, text="周督查的修改")
    second = _edit_post(qian, measure, version=1, text="钱书记的修改")

    assert "已修改整改措施。" in first.text
    assert STALE in second.text
    saved = Measure.objects.get(pk=measure.pk)
    assert (saved.text, saved.version) == ("周督查的修改", 2)
    # Reloaded, the page offers the newer version, and that edit goes through.
    form = next(m.edit_form for m in qian.get(page).context["measures"])
    assert form.initial["version"] == 2
    third = _edit_post(qian, measure, version=2, text="钱书记的修改")
    assert "已修改整改措施。" in third.text
    assert Measure.objects.get(pk=measure.pk).text == "钱书记的修改"


def test_an_edit_post_without_a_version_is_refused(measure, world, client):
    client.force_login(world.zhou)
    prefix = f"edit-{measure.pk}"

    response = client.post(
        reverse("ledger:measure_edit", args=[measure.pk]),
        {
            f"{prefix}-text": "改了",
            f"{prefix}-owner_unit": measure.owner_unit_id,
            f"{prefix}-deadline_kind": measure.deadline_kind,
            f"{prefix}-deadline": measure.deadline.isoformat(),
        },
        follow=True,
    )

    assert "页面已过期，请刷新后重新修改。" in response.text
    assert Measure.objects.get(pk=measure.pk).text == "建立首问负责制并公示"


def test_an_import_that_meets_a_newer_change_writes_nothing(assigned, world, now, calendar):
    """Imports are one transaction: a conflict on the last row undoes the rows before it."""
    options = ImportOptions(
        unit=world.chengguan, source="self", category=world.category, file_name="城关镇台账.xlsx"
    )
    ledger = ParsedLedger(
        problems=(
            ParsedProblem(
                text="新发现的问题",
                sheet="台账",
                row=4,
                category="工作作风",
                measures=(
                    ParsedMeasure(
                        text="新的措施",
                        sheet="台账",
                        row=4,
                        owner_unit="城关镇",
                        deadline=Deadline(text="2024年12月底前", date=dt.date(2024, 12, 31)),
                    ),
                ),
            ),
            ParsedProblem(
                text=assigned.problem.description,
                sheet="台账",
                row=5,
                category="工作作风",
                measures=(
                    ParsedMeasure(
                        text=assigned.text,
                        sheet="台账",
                        row=5,
                        owner_unit="城关镇",
                        status=Status.IN_PROGRESS,
                        deadline=Deadline(text="", date=assigned.deadline),
                        progress="已公示首问责任人",
                    ),
                ),
            ),
        ),
        issues=(),
        sheets=("台账",),
    )
    plan = import_plan(ledger=ledger, by=world.zhou, options=options, now=now, calendar=calendar)
    assert plan.is_committable
    assert plan.counts()["problems_new"] == plan.counts()["measures_updated"] == 1
    # After the preview, the township acknowledges the measure itself.
    Measure.objects.get(pk=assigned.pk).acknowledge(by=world.li, now=now, calendar=calendar)
    before = (Problem.objects.count(), Measure.objects.count(), MeasureEvent.objects.count())

    with pytest.raises(Conflict):
        import_commit(plan=plan, by=world.zhou, options=options, now=now, calendar=calendar)

    after = (Problem.objects.count(), Measure.objects.count(), MeasureEvent.objects.count())
    assert after == before
    assert not AuditEntry.objects.filter(action=AuditAction.IMPORT).exists()
    assert Measure.objects.get(pk=assigned.pk).state == State.IN_PROGRESS
