"""Who answers for an item now: the people a reminder or an urge reaches."""

from collections import defaultdict
from collections.abc import Sequence

from bihuan.org.models import Role, User
from bihuan.workflow.models import Tracked
from bihuan.workflow.states import State


def responsible_people(items: Sequence[Tracked]) -> list[tuple[Tracked, list[User]]]:
    """Each item with its people: the named owner, else the owner unit's handlers; for an item
    submitted for close-out, the supervisors nearest above its owner unit, who review it.

    Items come with `owner` and `owner_unit` loaded; two queries whatever their number.
    """
    submitted = [item for item in items if item.state == State.SUBMITTED]
    unit_ids = {
        item.owner_unit_id
        for item in items
        if item.state != State.SUBMITTED and not _active_owner(item)
    }
    handlers: dict[int, list[User]] = defaultdict(list)
    if unit_ids:
        people = User.objects.filter(
            is_active=True, unit_id__in=unit_ids, role_grants__role=Role.HANDLER
        ).order_by("pk")
        for person in people:
            handlers[person.unit_id].append(person)
    supervisors: list[User] = []
    if submitted:
        supervisors = list(
            User.objects.filter(
                is_active=True, unit__isnull=False, role_grants__role=Role.SUPERVISOR
            )
            .select_related("unit")
            .order_by("pk")
        )
    result = []
    for item in items:
        if item.state == State.SUBMITTED:
            people = _nearest(item.owner_unit.path, supervisors)
        elif owner := _active_owner(item):
            people = [owner]
        else:
            people = handlers[item.owner_unit_id]
        result.append((item, people))
    return result


def _active_owner(item: Tracked) -> User | None:
    owner = item.owner if item.owner_id else None
    return owner if owner is not None and owner.is_active else None


def _nearest(path: str, supervisors: list[User]) -> list[User]:
    """The supervisors of the lowest unit at or above `path` that has any."""
    above = [person for person in supervisors if path.startswith(person.unit.path)]
    if not above:
        return []
    depth = max(len(person.unit.path) for person in above)
    return [person for person in above if len(person.unit.path) == depth]
