"""Who answers for an item now: the people a reminder, an urge or a step's notice reaches."""

from collections import defaultdict
from collections.abc import Sequence

from bihuan.org.models import Role, Unit, User
from bihuan.workflow.models import Tracked
from bihuan.workflow.states import State


def responsible_people(items: Sequence[Tracked]) -> list[tuple[Tracked, list[User]]]:
    """Each item with its people: the named owner, else the owner unit's handlers; for an item
    submitted for close-out, the supervisors nearest above the unit that reviews it.

    Items come with `owner` and the units of `review_unit` loaded; two queries whatever their
    number.
    """
    submitted = [item for item in items if item.state == State.SUBMITTED]
    unit_ids = {
        item.owner_unit_id
        for item in items
        if item.state != State.SUBMITTED and not _active_owner(item)
    }
    handlers = handlers_of(unit_ids)
    supervisors = _with_role(Role.SUPERVISOR) if submitted else []
    result = []
    for item in items:
        if item.state == State.SUBMITTED:
            people = nearest(review_unit(item).path, supervisors)
        elif owner := _active_owner(item):
            people = [owner]
        else:
            people = handlers[item.owner_unit_id]
        result.append((item, people))
    return result


def review_unit(item: Tracked) -> Unit:
    """The unit whose supervisors and leaders review the item: a 督办事项's assigning unit,
    a measure's owner unit (reviewed by those above it)."""
    return getattr(item, "assigning_unit", None) or item.owner_unit


def handlers_of(unit_ids) -> dict[int, list[User]]:
    """The active handlers of each unit, by unit id; one query."""
    handlers: dict[int, list[User]] = defaultdict(list)
    if unit_ids:
        people = User.objects.filter(
            is_active=True, unit_id__in=list(unit_ids), role_grants__role=Role.HANDLER
        ).order_by("pk")
        for person in people:
            handlers[person.unit_id].append(person)
    return handlers


def nearest_with_role(role: str, unit: Unit) -> list[User]:
    """The people with `role` in the lowest unit at or above `unit` that has any."""
    return nearest(unit.path, _with_role(role))


def with_role_in(role: str, units: Sequence[Unit]) -> list[User]:
    """The active people with `role` whose unit is one of `units`."""
    return list(
        User.objects.filter(
            is_active=True, unit__in=[unit.pk for unit in units], role_grants__role=role
        )
        .select_related("unit")
        .order_by("pk")
    )


def _with_role(role: str) -> list[User]:
    return list(
        User.objects.filter(is_active=True, unit__isnull=False, role_grants__role=role)
        .select_related("unit")
        .order_by("pk")
    )


def _active_owner(item: Tracked) -> User | None:
    owner = item.owner if item.owner_id else None
    return owner if owner is not None and owner.is_active else None


def nearest(path: str, people: list[User]) -> list[User]:
    """The people of the lowest unit at or above `path` that has any."""
    above = [person for person in people if path.startswith(person.unit.path)]
    if not above:
        return []
    depth = max(len(person.unit.path) for person in above)
    return [person for person in above if len(person.unit.path) == depth]
