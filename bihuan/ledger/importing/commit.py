"""Committing an import plan: everything in one transaction, or nothing."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record
from bihuan.errors import DomainError
from bihuan.materials.recurrence import recurrences_record
from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.states import Action, DeadlineKind, FeedbackCycle, State

from ..models import Cause, Measure, MeasureEvent, Problem, Progress
from .plan import ImportOptions, ImportPlan, MeasurePlan, state_fields


def _new_measure_fields(plan: MeasurePlan, *, now: dt.datetime, calendar: WorkCalendar) -> dict:
    deadline, state = plan.parsed.deadline, plan.state
    fields: dict = {"deadline_kind": DeadlineKind.DATE, "deadline": deadline.date}
    if deadline.ongoing:
        fields = {
            "deadline_kind": DeadlineKind.ONGOING,
            "deadline": None,
            "feedback_cycle": deadline.feedback_cycle or FeedbackCycle.MONTHLY,
        }
    elif deadline.is_unset:
        fields = {"deadline_kind": DeadlineKind.UNSET, "deadline": None}
    elif deadline.working_days and state == State.DRAFT:
        fields = {
            "deadline_kind": DeadlineKind.WORKING_DAYS,
            "deadline": None,
            "deadline_working_days": deadline.working_days,
        }
    elif deadline.working_days:
        # Already assigned in the old ledger: the working days count from today.
        fields["deadline"] = calendar.add_working_days(
            timezone.localdate(now), deadline.working_days
        )
    if state != State.DRAFT:
        fields["original_deadline"] = fields["deadline"]
    return fields | state_fields(state, deadline=fields["deadline"], now=now)


def _event_comment(plan: MeasurePlan, options: ImportOptions) -> str:
    parsed = plan.parsed
    comment = f"导入自《{options.file_name}》{parsed.sheet}第{parsed.row}行"
    if parsed.status_text:
        comment += f"，完成情况“{parsed.status_text}”"
    return comment[:500]


def import_commit(
    *, plan: ImportPlan, by, options: ImportOptions, now: dt.datetime, calendar: WorkCalendar
) -> dict[str, int]:
    """Write the plan: everything or, on any refusal, nothing."""
    if not plan.is_committable:
        blocking = sum(issue.blocking for issue in plan.issues)
        raise DomainError(f"台账还有 {blocking} 处错误，改正后才能导入。")
    counts = plan.counts()
    with transaction.atomic():
        new_problems = [p for p in plan.problems if p.existing is None]
        created = Problem.objects.bulk_create(
            Problem(
                source=p.source,
                category=p.category,
                description=p.parsed.text.strip(),
                unit=options.unit,
                created_at=now,
                created_by=by,
            )
            for p in new_problems
        )
        for problem_plan, problem in zip(new_problems, created, strict=True):
            problem_plan.existing = problem
        recurrences_record(problems=created, now=now)
        Cause.objects.bulk_create(
            Cause(problem=p.existing, text=text, order=order)
            for p in new_problems
            for order, text in enumerate(p.parsed.causes)
        )
        new_measures = []
        for problem_plan in plan.problems:
            next_seq = problem_plan.last_seq
            for measure_plan in problem_plan.measures:
                if measure_plan.existing is None:
                    next_seq += 1
                    new_measures.append(
                        (
                            measure_plan,
                            Measure(
                                problem=problem_plan.existing,
                                seq=next_seq,
                                text=measure_plan.parsed.text.strip(),
                                lead=measure_plan.parsed.lead.strip()[:100],
                                owner_unit=measure_plan.owner_unit,
                                owner=measure_plan.owner,
                                owner_name=measure_plan.owner_name,
                                state=measure_plan.state,
                                created_at=now,
                                created_by=by,
                                **_new_measure_fields(measure_plan, now=now, calendar=calendar),
                            ),
                        )
                    )
                elif measure_plan.action == "update":
                    _apply_update(measure_plan, by=by, now=now, options=options)
        Measure.objects.bulk_create(measure for _, measure in new_measures)
        MeasureEvent.objects.bulk_create(
            MeasureEvent(
                measure=measure,
                at=now,
                actor=by,
                action=Action.IMPORT,
                from_state=State.DRAFT,
                to_state=measure.state,
                comment=_event_comment(measure_plan, options),
            )
            for measure_plan, measure in new_measures
        )
        progress = [
            Progress(measure=measure, author=by, at=now, text=measure_plan.parsed.progress.strip())
            for measure_plan, measure in new_measures
            if measure_plan.parsed.progress.strip()
        ]
        Progress.objects.bulk_create(progress)
        audit_record(
            AuditAction.IMPORT,
            actor=by,
            object_type="ledger.importbatch",
            object_id=options.batch_id,
            object_repr=options.file_name,
            now=now,
            changes=counts
            | {
                "unit": options.unit,
                "problems_created": [problem.pk for problem in created],
                "measures_created": [measure.pk for _, measure in new_measures],
            },
        )
    return counts


def _apply_update(plan: MeasurePlan, *, by, now: dt.datetime, options: ImportOptions) -> None:
    measure = plan.existing
    changes = dict(plan.changes)
    comment = f"{_event_comment(plan, options)}：{'；'.join(plan.change_notes)}"
    if plan.new_progress:
        Progress.objects.create(measure=measure, author=by, at=now, text=plan.new_progress)
        changes.setdefault("last_feedback_at", now)
    if changes.get("state") in (State.CLOSED, State.CANCELLED):
        measure._lapse_extension_requests(now=now)
    measure.record(Action.IMPORT, by=by, now=now, comment=comment, changes=changes)
