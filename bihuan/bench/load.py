"""Who the load test's virtual users are, on a ledger `dataset.ledger_build` wrote.

`load_plan` gives a password to the accounts it picks and lists, for each, what that person
would open and act on: problems in scope, measures to acknowledge, report progress on or close.
No two accounts share a measure they act on, so a refusal in the run is a real error, not two
virtual users racing each other. benchmarks/load.py writes the plan as JSON for the locustfile.
"""

import random

from django.contrib.auth.hashers import make_password

from bihuan.ledger.models import Measure, Problem
from bihuan.org.models import Role, Unit, UnitKind, User
from bihuan.workflow.states import Action, State

from .dataset import KEYWORD

# The scratch ledger's password for every picked account; never a real ledger's.
PASSWORD = "Load#Bench-2024"  # noqa: S105
WORKING_SET = 40


def load_plan(*, handlers: int, supervisors: int, leaders: int, seed: int = 7) -> dict:
    """{"keyword", "units", "accounts": {"handler": [...], "supervisor": [...], "leader": [...]}}."""
    rng = random.Random(seed)  # noqa: S311 - sample data, not secrets
    picked = {
        "handler": _handlers(handlers),
        "supervisor": _with_role(Role.SUPERVISOR, supervisors, skip=()),
    }
    picked["leader"] = _with_role(Role.LEADER, leaders, skip=picked["supervisor"])
    User.objects.filter(pk__in=[u.pk for users in picked.values() for u in users]).update(
        password=make_password(PASSWORD)
    )
    accounts = {
        role: [_account(role, user, rng) for user in users] for role, users in picked.items()
    }
    townships = Unit.objects.filter(kind=UnitKind.TOWNSHIP).order_by("pk")
    return {
        "keyword": KEYWORD,
        "units": list(townships.values_list("pk", flat=True)),
        "accounts": accounts,
    }


def _handlers(count: int) -> list[User]:
    """The handlers of the townships and departments, the units that own measures."""
    users = (
        User.objects.filter(
            role_grants__role=Role.HANDLER,
            unit__kind__in=(UnitKind.TOWNSHIP, UnitKind.DEPARTMENT),
        )
        .select_related("unit")
        .order_by("unit__kind", "pk")
    )
    return _enough(list(users), count, "handler")


def _with_role(role: str, count: int, *, skip) -> list[User]:
    """County accounts first (they see everything), then the townships' secretaries."""
    users = (
        User.objects.filter(role_grants__role=role)
        .exclude(pk__in=[user.pk for user in skip])
        .select_related("unit")
        .order_by("unit__path", "pk")
    )
    return _enough(list(users), count, role)


def _enough(users: list[User], count: int, role: str) -> list[User]:
    if len(users) < count:
        raise ValueError(f"the ledger has {len(users)} {role} accounts, {count} asked for")
    return users[:count]


def _account(role: str, user: User, rng: random.Random) -> dict:
    measures = Measure.objects.visible_to(user).select_related("owner_unit", "problem__unit")
    problems = list(
        Problem.objects.visible_to(user).order_by("-pk").values_list("pk", flat=True)[:500]
    )
    account = {
        "username": user.username,
        "unit": user.unit_id,
        "problems": rng.sample(problems, min(WORKING_SET, len(problems))),
        "acknowledge": [],
        "progress": [],
        "close": [],
    }
    if role == "handler":
        own = measures.filter(owner_unit=user.unit).order_by("-pk")
        account["acknowledge"] = _may(user, own.filter(state=State.PENDING), Action.ACKNOWLEDGE)
        account["progress"] = _may(user, own.filter(state=State.IN_PROGRESS), Action.PROGRESS)
    elif role == "supervisor":
        # Split by owner unit, so no two supervisors close the same measure.
        submitted = measures.filter(state=State.SUBMITTED, owner_unit_id=_unit_of_the_day(user))
        account["close"] = _may(user, submitted.order_by("-pk"), Action.CLOSE)
    return account


def _unit_of_the_day(user: User) -> int:
    """For a county supervisor a department of its own, for a township's the township."""
    if user.unit.kind != UnitKind.COUNTY:
        return user.unit_id
    supervisors = list(
        User.objects.filter(role_grants__role=Role.SUPERVISOR, unit=user.unit).order_by("pk")
    )
    departments = list(
        Unit.objects.filter(kind=UnitKind.DEPARTMENT, parent=user.unit).order_by("pk")
    )
    return departments[supervisors.index(user) % len(departments)].pk


def _may(user: User, measures, action: Action) -> list[int]:
    return [m.pk for m in measures[: WORKING_SET * 2] if action in m.allowed_actions(user)][
        :WORKING_SET
    ]
