"""The counts a ranking scores, per unit and period, for measures and supervision items alike.

Each count is one named condition on an item (`conditions`): the same condition counts the items
in one grouped query per model (`figures_by_unit`) and lists them behind the number
(`figure_items`), so a number and its rows cannot disagree.

For a period [start, end] counted at `as_of` (its last day, or today while it runs):
- 签收及时率 = acknowledged on time / due for acknowledgement, over the items assigned in the
  period (one still waiting within its working day is not yet due);
- 反馈及时率 = feedback periods met / ended, over the ongoing supervision items in hand in the
  period (supervision.figures);
- 按期办结率 = closed on time / due, over the items whose deadline fell in the period up to
  `as_of`: closed, or open past the deadline (one submitted on time waits for review, undecided);
- 销号率 = closed in the period / in hand in the period (assigned by its end and not closed
  before it began);
- 逾期数 = open past the deadline at the end of `as_of`;
- 退回率 = returned in the period / submitted for close-out or returned in the period;
- 督办扣分: the points of the supervision items escalated in the period (supervision rules).
Drafts and cancelled items count nowhere. A campaign's period counts only the measures of the
problems tagged with the campaign; supervision items belong to no campaign and count nowhere in it.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from decimal import Decimal

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Sum, Value, When

from bihuan.ledger.models import Measure
from bihuan.org.models import Unit
from bihuan.supervision.figures import item_figures
from bihuan.supervision.models import SupervisionItem
from bihuan.workflow.metrics import NOT_ASSIGNED
from bihuan.workflow.models import LightCutoffs, TrackedQuerySet, local_midnight
from bihuan.workflow.states import Action, State

from .periods import Period

MODELS = (Measure, SupervisionItem)


@dataclass(frozen=True)
class Window:
    period: Period
    as_of: dt.date
    start: dt.datetime  # the period's first midnight
    end: dt.datetime  # the midnight after `as_of`, excluded
    # Today's: whether an acknowledgement or a deadline has passed is judged with what is known.
    cutoffs: LightCutoffs


def window_for(period: Period, *, cutoffs: LightCutoffs, as_of: dt.date | None = None) -> Window:
    """The period counted at its end, or today while it runs, or at an earlier `as_of` (the
    day a published ranking was counted at)."""
    as_of = min(period.as_of(cutoffs.today), as_of or cutoffs.today)
    return Window(
        period=period,
        as_of=as_of,
        start=local_midnight(period.start),
        end=local_midnight(as_of + dt.timedelta(days=1)),
        cutoffs=cutoffs,
    )


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class UnitFigures:
    acknowledge_due: int = 0
    acknowledged_on_time: int = 0
    feedback_due: int = 0
    feedback_met: int = 0
    close_due: int = 0
    closed_on_time: int = 0
    live: int = 0
    closed: int = 0
    overdue: int = 0
    submitted: int = 0
    returned: int = 0
    escalated: int = 0
    deduction: Decimal = Decimal(0)

    def __add__(self, other: "UnitFigures") -> "UnitFigures":
        return UnitFigures(*(getattr(self, n) + getattr(other, n) for n in FIGURE_NAMES))

    @property
    def acknowledge_rate(self) -> float | None:
        return _rate(self.acknowledged_on_time, self.acknowledge_due)

    @property
    def feedback_rate(self) -> float | None:
        return _rate(self.feedback_met, self.feedback_due)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.closed_on_time, self.close_due)

    @property
    def closed_rate(self) -> float | None:
        return _rate(self.closed, self.live)

    @property
    def return_rate(self) -> float | None:
        return _rate(self.returned, self.submitted)

    @property
    def counted(self) -> bool:
        """Whether the unit had anything to score in the period."""
        return any((self.acknowledge_due, self.feedback_due, self.close_due, self.live))

    def as_json(self) -> dict:
        return {name: str(value) for name, value in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> "UnitFigures":
        return cls(
            **{
                f.name: Decimal(data[f.name]) if f.name == "deduction" else int(data[f.name])
                for f in fields(cls)
                if f.name in data
            }
        )


FIGURE_NAMES = tuple(f.name for f in fields(UnitFigures))
FIGURE_LABELS = {
    "acknowledge_due": "应签收",
    "acknowledged_on_time": "及时签收",
    "feedback_due": "应反馈期数",
    "feedback_met": "按期反馈期数",
    "close_due": "到期应办结",
    "closed_on_time": "按期办结",
    "live": "本期在办",
    "closed": "本期销号",
    "overdue": "逾期",
    "submitted": "申请销号",
    "returned": "被退回",
    "escalated": "升级督办",
    "deduction": "督办扣分",
}
# Counted for both models; the rest only for supervision items.
COUNTS = (
    "acknowledge_due",
    "acknowledged_on_time",
    "close_due",
    "closed_on_time",
    "live",
    "closed",
    "overdue",
    "submitted",
    "returned",
)


def _event(model, window: Window, action: str) -> Exists:
    events = model._meta.get_field("events").related_model
    owner = events._meta.get_field("item" if model is SupervisionItem else "measure").name
    return Exists(
        events.objects.filter(
            **{owner: OuterRef("pk")}, action=action, at__gte=window.start, at__lt=window.end
        )
    )


def conditions(model, window: Window) -> dict[str, Q]:
    """Each count's condition on one item of `model` (Measure or SupervisionItem)."""
    start, end = window.start, window.end
    assigned = Q(assigned_at__isnull=False) & ~Q(state__in=NOT_ASSIGNED)
    to_acknowledge = assigned & Q(assigned_at__gte=start, assigned_at__lt=end)
    due = assigned & Q(deadline__gte=window.period.start, deadline__lte=window.as_of)
    returned = Q(_event(model, window, Action.RETURN))
    found = {
        "acknowledge_due": to_acknowledge
        & (Q(acknowledged_at__isnull=False) | Q(assigned_at__lt=window.cutoffs.acknowledge_by)),
        "acknowledged_on_time": to_acknowledge & Q(acknowledged_on_time=True),
        "close_due": due
        & (Q(state=State.CLOSED) | TrackedQuerySet.overdue_q(window.cutoffs.today)),
        "closed_on_time": due & Q(state=State.CLOSED, closed_on_time=True),
        "live": assigned
        & Q(assigned_at__lt=end)
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=start)),
        "closed": assigned & Q(closed_at__gte=start, closed_at__lt=end),
        # Open at the end of `as_of`: the red light of that day, from the timestamps.
        "overdue": assigned
        & Q(deadline__lt=window.as_of, assigned_at__lt=end)
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        & ~Q(submitted_on_time=True, submitted_at__lt=end),
        "submitted": assigned & (Q(_event(model, window, Action.SUBMIT)) | returned),
        "returned": assigned & returned,
    }
    if model is SupervisionItem:
        found["escalated"] = (
            assigned & ~Q(escalation_level="") & Q(escalated_at__gte=start, escalated_at__lt=end)
        )
    return found


def _aggregates(model, window: Window) -> dict:
    found = conditions(model, window)
    aggregates = {name: Count("pk", filter=found[name]) for name in COUNTS}
    if model is SupervisionItem:
        feedback = item_figures(window.as_of)
        for name in ("feedback_due", "feedback_met"):
            in_hand = Case(When(found["live"], then=feedback[name]), default=Value(0))
            aggregates[name] = Sum(in_hand, output_field=IntegerField())
        aggregates["escalated"] = Count("pk", filter=found["escalated"])
        aggregates["deduction"] = Sum("deduction", filter=found["escalated"])
    return aggregates


def scoped_items(model, user):
    """Every item of `model` the user sees; the whole table for the command line (user None)."""
    return model.objects.all() if user is None else model.objects.visible_to(user)


def period_items(model, *, user, period: Period):
    """The items of `model` the user sees that the period may count: for a campaign, the
    measures of the problems tagged with it."""
    items = scoped_items(model, user)
    if period.campaign_id is None:
        return items
    if model is Measure:
        return items.filter(problem__campaign_id=period.campaign_id)
    return items.none()


def figures_by_unit(*, user, units: Sequence[Unit], parent: Unit, window: Window) -> dict:
    """Each unit's figures over its subtree, by unit id: one grouped query per model."""
    by_owner: list[tuple[str, UnitFigures]] = []
    for model in MODELS:
        items = period_items(model, user=user, period=window.period).filter(
            owner_unit__in=Unit.objects.subtree_of(parent).order_by().values("pk")
        )
        groups = (
            items.order_by()
            .values("owner_unit_id", "owner_unit__path")
            .annotate(**_aggregates(model, window))
        )
        for group in groups:
            values = {name: group.get(name) or 0 for name in FIGURE_NAMES}
            values["deduction"] = Decimal(values["deduction"])
            by_owner.append((group["owner_unit__path"], UnitFigures(**values)))
    return {
        unit.pk: sum(
            (figures for path, figures in by_owner if path.startswith(unit.path)), UnitFigures()
        )
        for unit in units
    }


def figure_items(model, *, user, unit: Unit, figure: str, window: Window):
    """The items of `model` behind one unit's count `figure` (for supervision items' feedback,
    those with a period due or met)."""
    items = period_items(model, user=user, period=window.period).filter(
        owner_unit__in=Unit.objects.subtree_of(unit).order_by().values("pk")
    )
    found = conditions(model, window)
    if figure in ("feedback_due", "feedback_met"):
        if model is not SupervisionItem:
            return items.none()
        feedback = item_figures(window.as_of)
        return items.annotate(**{figure: feedback[figure]}).filter(
            found["live"], **{f"{figure}__gt": 0}
        )
    if figure == "deduction":
        figure = "escalated"
    if figure not in found:
        return items.none()
    return items.filter(found[figure])
