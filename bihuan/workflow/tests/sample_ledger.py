"""A small ledger of known figures, built in the shared world, for the metrics and dashboard tests.

Everything is assigned in the two weeks around the 2024 National Day holiday (10-01 to 10-07).
Read on 2024-10-08 (the first working day after it) the figures are:

=========  ========  ====  ===========  ==========  ======  ========  =======
unit       assigned  ack.  ack on time  late, open  closed  on time   overdue
=========  ========  ====  ===========  ==========  ======  ========  =======
城关镇本级  3         2     1            0           1       1         0
东关村      2         2     2            0           1       0         1
河西乡      2         1     1            1           0       0         0
=========  ========  ====  ===========  ==========  ======  ========  =======

On 2024-10-09 城关镇's `awaiting` measure, assigned on 09-30, becomes late too: the one working
day it had to be acknowledged in was 10-08.
"""

import datetime as dt
from types import SimpleNamespace

from bihuan.conftest import at
from bihuan.ledger.services import MeasureSpec

D = dt.date
MONDAY = at(2024, 9, 23)


def build(*, world, make_problem, calendar) -> SimpleNamespace:
    def item(unit, deadline, text):
        spec = MeasureSpec(text=text, owner_unit=unit, deadline=deadline)
        return make_problem(
            unit=unit, when=MONDAY, measures=[spec], description=f"{unit}：{text}"
        ).measures.get()

    def assign(measure, when=MONDAY):
        measure.assign(by=world.zhou, now=when, calendar=calendar)
        return measure

    def acknowledge(measure, when, by):
        measure.acknowledge(by=by, now=when, calendar=calendar)
        return measure

    # 城关镇's own measures.
    on_track = acknowledge(
        assign(item(world.chengguan, D(2024, 10, 31), "建立首问负责制")),
        at(2024, 9, 24),
        world.li,
    )
    closed_on_time = acknowledge(
        assign(item(world.chengguan, D(2024, 10, 31), "公开办事流程")), at(2024, 9, 26), world.li
    )
    closed_on_time.submit(by=world.li, now=at(2024, 9, 27))
    closed_on_time.close(by=world.zhou, now=at(2024, 9, 27, 15))
    awaiting = assign(item(world.chengguan, D(2024, 10, 31), "整治窗口纪律"), at(2024, 9, 30))
    draft = item(world.chengguan, D(2024, 10, 31), "开展回头看")

    # 东关村, a village of 城关镇.
    overdue = acknowledge(
        assign(item(world.dongguan, D(2024, 9, 30), "清理村务公开栏")), MONDAY, world.chen
    )
    closed_late = acknowledge(
        assign(item(world.dongguan, D(2024, 9, 27), "补录低保台账")), MONDAY, world.chen
    )
    closed_late.submit(by=world.chen, now=at(2024, 9, 30))
    closed_late.close(by=world.zhou, now=at(2024, 9, 30, 16))
    cancelled = assign(item(world.dongguan, D(2024, 10, 31), "重复登记的措施"))
    cancelled.cancel(by=world.zhou, now=at(2024, 9, 24), comment="与另一条措施重复")

    # 河西乡, the other township.
    never_acknowledged = assign(item(world.hexi, D(2024, 10, 31), "规范便民服务大厅"))
    waiting_review = acknowledge(
        assign(item(world.hexi, D(2024, 9, 27), "整改值班制度")), MONDAY, world.wang
    )
    waiting_review.submit(by=world.wang, now=at(2024, 9, 26))

    return SimpleNamespace(
        on_track=on_track,
        closed_on_time=closed_on_time,
        awaiting=awaiting,
        draft=draft,
        overdue=overdue,
        closed_late=closed_late,
        cancelled=cancelled,
        never_acknowledged=never_acknowledged,
        waiting_review=waiting_review,
    )


# What the sample ledger counts on 2024-10-08, the first working day after National Day.
BY_STATE_ON_OCT_8 = {
    "draft": 1,
    "pending": 2,
    "in_progress": 2,
    "submitted": 1,
    "closed": 2,
    "cancelled": 1,
}
BY_LIGHT_ON_OCT_8 = {"red": 1, "yellow": 1, "green": 3, "none": 4}
