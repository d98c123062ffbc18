"""What the API sends back; every coded value travels with its Chinese label."""

import datetime as dt

from django.urls import reverse
from ninja import Field, Schema

from bihuan.workflow.states import TRANSITIONS, DeadlineKind, Light

from .clock import clock


class Ref(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


class ProblemRef(Schema):
    id: int
    description: str
    source: str
    source_label: str
    category: Ref
    unit: Ref

    @staticmethod
    def resolve_source_label(obj) -> str:
        return obj.get_source_display()


class MeasureRow(Schema):
    id: int
    problem: ProblemRef
    seq: int
    text: str
    lead: str
    owner_unit: Ref
    owner: Ref | None
    state: str
    state_label: str
    light: str
    light_label: str
    deadline_kind: str
    deadline: dt.date | None
    original_deadline: dt.date | None
    deadline_working_days: int | None
    feedback_cycle: str
    deadline_label: str
    deadline_estimated: bool
    assigned_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    last_feedback_at: dt.datetime | None
    submitted_at: dt.datetime | None
    closed_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_light_label(obj) -> str:
        return Light(obj.light).label

    @staticmethod
    def resolve_deadline_label(obj) -> str:
        return obj.deadline_label()

    @staticmethod
    def resolve_deadline_estimated(obj, context) -> bool:
        """A working-day deadline in a year whose holidays are not published yet is an estimate."""
        calendar = clock(context["request"]).calendar
        return obj.deadline_kind == DeadlineKind.WORKING_DAYS and calendar.is_estimated(
            obj.deadline
        )


class EventOut(Schema):
    at: dt.datetime
    actor: Ref
    action: str
    action_label: str
    from_state: str
    from_state_label: str
    to_state: str
    to_state_label: str
    comment: str

    # The model's own labels: a supervision item's history reads 办结 where a measure's reads 销号.
    @staticmethod
    def resolve_action_label(obj) -> str:
        return obj.get_action_display()

    @staticmethod
    def resolve_from_state_label(obj) -> str:
        return obj.get_from_state_display()

    @staticmethod
    def resolve_to_state_label(obj) -> str:
        return obj.get_to_state_display()


class EvidenceOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    url: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.original_name

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("api:evidence_download", args=[obj.pk])


class ProgressOut(Schema):
    id: int
    at: dt.datetime
    author: Ref
    text: str
    evidence: list[EvidenceOut]


class ExtensionFields(Schema):
    """What every extension request shows; ExtensionOut adds the measure it belongs to."""

    id: int
    requested_by: Ref
    requested_at: dt.datetime
    current_deadline: dt.date
    new_deadline: dt.date
    reason: str
    state: str
    state_label: str
    decided_by: Ref | None
    decided_at: dt.datetime | None
    decision_comment: str

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.get_state_display()


class ExtensionOut(ExtensionFields):
    measure_id: int


class TransitionIn(Schema):
    action: str = Field(json_schema_extra={"enum": list(TRANSITIONS)})
    comment: str = Field("", max_length=2000, description="说明；退回和撤销须填写理由")


class ExtensionIn(Schema):
    new_deadline: dt.date = Field(description="申请延至")
    reason: str = Field(description="延期理由")


class DecisionIn(Schema):
    approve: bool = Field(description="true 同意，false 不同意")
    comment: str = Field("", max_length=2000, description="审批意见；不同意须填写理由")


class ActionOut(Schema):
    action: str
    label: str


class MeasureDetail(MeasureRow):
    problem_target: str
    problem_standard: str
    allowed_actions: list[ActionOut]
    events: list[EventOut]
    progress: list[ProgressOut]
    extensions: list[ExtensionOut]

    @staticmethod
    def resolve_problem_target(obj) -> str:
        return obj.problem.target

    @staticmethod
    def resolve_problem_standard(obj) -> str:
        return obj.problem.standard

    @staticmethod
    def resolve_allowed_actions(obj, context) -> list[dict]:
        actions = obj.allowed_actions(context["request"].auth)
        return [{"action": action.value, "label": action.label} for action in actions]

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())

    @staticmethod
    def resolve_progress(obj) -> list:
        return list(obj.progress_updates.all())

    @staticmethod
    def resolve_extensions(obj) -> list:
        return list(obj.extension_requests.all())


class ProblemRow(Schema):
    id: int
    source: str
    source_label: str
    category: Ref
    description: str
    unit: Ref
    person: Ref | None
    campaign: Ref | None
    created_at: dt.datetime

    @staticmethod
    def resolve_source_label(obj) -> str:
        return obj.get_source_display()


class ProblemDetail(ProblemRow):
    target: str
    standard: str
    created_by: Ref
    causes: list[str]
    measures: list[MeasureRow]

    @staticmethod
    def resolve_causes(obj) -> list[str]:
        return [cause.text for cause in obj.causes.all()]

    @staticmethod
    def resolve_measures(obj) -> list:
        return obj.visible_measures


class Me(Schema):
    id: int
    username: str
    name: str
    unit: Ref | None
    roles: list[str]
    role_labels: list[str]

    @staticmethod
    def resolve_roles(obj) -> list[str]:
        return sorted(obj.roles)
