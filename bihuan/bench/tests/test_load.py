"""The load test's plan: distinct accounts that can log in, and work no two of them share."""

import itertools

import pytest
from django.utils import timezone

from bihuan.bench.dataset import ledger_build
from bihuan.bench.load import PASSWORD, load_plan
from bihuan.org.models import User


@pytest.fixture
def plan(db):
    ledger_build(measures=600, now=timezone.now())
    return load_plan(handlers=6, supervisors=3, leaders=2)


def test_the_plan_picks_distinct_accounts_that_log_in_with_the_password(plan):
    names = [a["username"] for accounts in plan["accounts"].values() for a in accounts]

    assert [len(plan["accounts"][role]) for role in ("handler", "supervisor", "leader")] == [
        6,
        3,
        2,
    ]
    assert len(set(names)) == len(names)
    assert all(user.check_password(PASSWORD) for user in User.objects.filter(username__in=names))


def test_no_two_accounts_act_on_the_same_measure(plan):
    accounts = [a for accounts in plan["accounts"].values() for a in accounts]
    acted = [a["acknowledge"] + a["progress"] + a["close"] for a in accounts]

    assert any(acted)
    for first, second in itertools.combinations(acted, 2):
        assert not set(first) & set(second)
