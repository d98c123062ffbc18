"""September 2024 in 青山县, ranked on 8 October: 城关镇 closed one measure on time, and its
village 东关村 acknowledged one late and let it run past its deadline; 河西乡 acknowledged both of
its measures on time and closed one on time after one return.

    城关镇 (with 东关村)  签收 1/2  办结 1/1 of 2 due  销号 1/2  逾期 1  退回 0/1
    河西乡               签收 2/2  办结 1/1          销号 1/2  逾期 0  退回 1/1
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from bihuan.conftest import at
from bihuan.ledger.services import MeasureSpec

SEPTEMBER = "2024-09"


@pytest.fixture
def october_8():
    return at(2024, 10, 8, 10)


@pytest.fixture
def september(world, make_problem, calendar):
    def measure(unit, text, deadline, *, when):
        spec = MeasureSpec(text=text, owner_unit=unit, deadline=deadline)
        problem = make_problem(unit=unit, measures=[spec], when=when, description=f"{text}的问题")
        return problem.measures.get()

    a = measure(world.chengguan, "公示首问负责制", dt.date(2024, 9, 20), when=at(2024, 9, 1))
    b = measure(world.dongguan, "整治村务公开栏", dt.date(2024, 9, 15), when=at(2024, 9, 1))
    c = measure(world.hexi, "清理办事窗口", dt.date(2024, 9, 25), when=at(2024, 9, 2))
    d = measure(world.hexi, "建立回访制度", dt.date(2024, 10, 31), when=at(2024, 9, 2))

    a.assign(by=world.zhou, now=at(2024, 9, 2), calendar=calendar)
    a.acknowledge(by=world.li, now=at(2024, 9, 2, 15), calendar=calendar)
    a.submit(by=world.li, now=at(2024, 9, 10))
    a.close(by=world.zhou, now=at(2024, 9, 12))

    b.assign(by=world.zhou, now=at(2024, 9, 2), calendar=calendar)
    b.acknowledge(by=world.chen, now=at(2024, 9, 5), calendar=calendar)  # late: due 3 Sept

    c.assign(by=world.zhou, now=at(2024, 9, 3), calendar=calendar)
    c.acknowledge(by=world.wang, now=at(2024, 9, 3, 11), calendar=calendar)
    c.submit(by=world.wang, now=at(2024, 9, 20))
    c.return_to_owner(by=world.zhou, now=at(2024, 9, 21), comment="佐证材料不全")
    c.submit(by=world.wang, now=at(2024, 9, 24))
    c.close(by=world.zhou, now=at(2024, 9, 26))

    d.assign(by=world.zhou, now=at(2024, 9, 3), calendar=calendar)
    d.acknowledge(by=world.wang, now=at(2024, 9, 4), calendar=calendar)
    return SimpleNamespace(a=a, b=b, c=c, d=d)
