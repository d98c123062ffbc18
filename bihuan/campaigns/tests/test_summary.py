import datetime as dt
from decimal import Decimal

from bihuan.campaigns.summary import campaign_summary_figures
from bihuan.fieldwork.services import VisitProblem, VisitSpec, visit_create
from bihuan.ledger.models import Source
from bihuan.ledger.services import MeasureSpec, ProblemSpec, problem_create
from bihuan.materials.models import MaterialKind
from bihuan.streamlining.models import MeetingKind

D = dt.date


def _closed_problem(campaign, world, now, calendar):
    problem = problem_create(
        spec=ProblemSpec(
            source=Source.SUPERVISION,
            category=world.category,
            description="窗口人员脱岗",
            unit=world.chengguan,
            campaign=campaign,
            measures=[
                MeasureSpec(
                    text="建立值班制度", owner_unit=world.chengguan, deadline=D(2024, 10, 31)
                )
            ],
        ),
        by=world.zhou,
        now=now,
    )
    measure = problem.measures.get()
    measure.assign(by=world.zhou, now=now, calendar=calendar)
    measure.acknowledge(by=world.li, now=now, calendar=calendar)
    measure.submit(by=world.li, now=now)
    measure.close(by=world.zhou, now=now)
    return problem


def test_the_summary_counts_what_was_recorded_for_the_campaign(
    campaign, hold, submit, visit, world, now, calendar
):
    hold(world.chengguan, world.li, D(2024, 9, 10))
    hold(world.hexi, world.wang, D(2024, 9, 11), kind=MeetingKind.DEPLOYMENT, minutes=90)
    submit(world.sun, MaterialKind.STUDY, D(2024, 9, 20))
    submit(world.wang, MaterialKind.ANALYSIS, D(2024, 9, 20))
    submit(world.wang, MaterialKind.ANALYSIS, D(2024, 9, 20), tagged=False)
    visit([world.qian, world.sun], D(2024, 9, 12), households=30)
    visit([world.wang], D(2024, 9, 13), days="2", place=world.xihe, households=12)
    visit_create(
        spec=VisitSpec(
            unit=world.chengguan,
            people=(world.qian,),
            starts_on=D(2024, 9, 20),
            ends_on=D(2024, 9, 20),
            days=Decimal("0.5"),
            place_unit=world.dongguan,
            households=8,
            campaign=campaign,
        ),
        problems=[
            VisitProblem("村务公开栏内容陈旧", world.dongguan, world.category),
            VisitProblem("低保评议未公示", world.dongguan, world.category),
        ],
        by=world.qian,
        now=now,
    )
    _closed_problem(campaign, world, now, calendar)

    figures = campaign_summary_figures(campaign, world.zhou)

    assert (figures.meetings, figures.study_sessions, figures.meeting_minutes) == (2, 1, 150)
    assert figures.materials == 2
    assert figures.materials_by_kind == {"个人剖析材料": 1, "研讨材料": 1}
    assert (figures.visits, figures.households) == (3, 50)
    assert figures.visit_days == Decimal("4.5")  # 2 people × 1 day, 2 days, half a day
    assert (figures.problems, figures.problems_closed, figures.problems_open) == (3, 1, 2)
    assert (figures.measures, figures.measures_closed) == (3, 1)
    assert figures.closed_percent == "33%"


def test_a_township_counts_only_what_its_scope_holds(campaign, hold, submit, visit, world, now):
    hold(world.chengguan, world.li, D(2024, 9, 10))
    hold(world.hexi, world.wang, D(2024, 9, 11))
    submit(world.sun, MaterialKind.STUDY, D(2024, 9, 20))
    visit([world.wang], D(2024, 9, 13), place=world.xihe, households=12)

    figures = campaign_summary_figures(campaign, world.wang)

    assert (figures.meetings, figures.materials, figures.visits, figures.households) == (
        1,
        0,
        1,
        12,
    )
    assert (figures.problems, figures.closed_percent) == (0, "—")
