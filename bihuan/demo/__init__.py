"""The demo county 青山县, for trying Bihuan out: `bihuan quickstart` loads it into an empty database.

Everything in the ledger is made by the real services and transitions, at timestamps spread
over the past four months, so the history, lights and figures are the ones real use would give.
"""

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from django.db import transaction

from bihuan.ledger.models import Measure
from bihuan.org.models import Unit
from bihuan.workflow.models import load_calendar
from bihuan.workflow.states import State

from .campaigns import CampaignLoader
from .county import DEMO_USERNAMES, County
from .duties import load_duty_lists
from .ledger import LedgerLoader
from .supervision import SupervisionLoader

# Printed by quickstart and written in the README; BIHUAN_DEMO_PASSWORD overrides it.
DEMO_PASSWORD = "Bihuan@2024"  # noqa: S105
PROBLEMS = 200

__all__ = ["DEMO_PASSWORD", "DEMO_USERNAMES", "DemoSummary", "load_demo"]


@dataclass(frozen=True)
class DemoSummary:
    county: Unit
    units: int
    users: int
    problems: int
    measures_by_state: dict[str, int]
    supervision_items: int = 0

    @property
    def measures(self) -> int:
        return sum(self.measures_by_state.values())

    def states_label(self) -> str:
        """ "待交办 14，待签收 45，…" in workflow order."""
        counts = self.measures_by_state
        return "，".join(f"{state.label} {counts[state]}" for state in State if counts.get(state))


def load_demo(
    *, now: dt.datetime, password: str, seed: int = 2024, problems: int = PROBLEMS
) -> DemoSummary:
    """Load the demo county into a database that has no units yet, in one transaction."""
    if Unit.objects.exists():
        raise ValueError("the database already has units; the demo loads only into an empty one")
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    with transaction.atomic():
        county = County()
        county.set_password(password)
        loader = LedgerLoader(county=county, now=now, calendar=load_calendar(), rng=rng)
        loaded = loader.run(loader.plan(problems))
        items = SupervisionLoader(county=county, now=now, calendar=loader.calendar).run()
        CampaignLoader(county=county, now=now, calendar=loader.calendar, rng=rng).run()
        load_duty_lists(now=now)
    states = Counter(Measure.objects.values_list("state", flat=True))
    return DemoSummary(
        county=county.county,
        units=Unit.objects.count(),
        users=len(county.users),
        problems=loaded,
        measures_by_state=dict(states),
        supervision_items=items,
    )
