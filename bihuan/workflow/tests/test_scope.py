"""The scope rule as a filter: no condition for whoever sees every unit, index-friendly
conditions for everyone else, and the same items either way."""

from bihuan.ledger.models import ExtensionRequest, Measure, Problem
from bihuan.ledger.services import MeasureSpec, extension_request
from bihuan.org.models import Role, Unit, UnitKind, User
from bihuan.org.services import user_create
from bihuan.workflow.scope import sees_every_unit


def fresh(user):
    """The user as the next request loads it: nothing remembered."""
    return User.objects.get(pk=user.pk)


def test_the_county_office_sees_every_unit_and_its_reads_need_no_condition(world):
    zhou = fresh(world.zhou)

    assert sees_every_unit(zhou)
    assert "WHERE" not in str(Measure.objects.visible_to(zhou).query)


def test_a_township_or_an_admin_does_not_see_every_unit(world):
    assert not sees_every_unit(fresh(world.li))
    assert not sees_every_unit(fresh(world.wu))


def test_a_second_county_puts_the_condition_back(world, make_problem, now):
    other = Unit.objects.add(name="绿水县", kind=UnitKind.COUNTY)
    their_supervisor = user_create(
        username="lvshui", name="绿水县督查", unit=other, roles=[Role.SUPERVISOR]
    )
    theirs = make_problem(unit=other, description="绿水县的问题", by=their_supervisor)
    ours = make_problem()
    zhou = fresh(world.zhou)

    assert not sees_every_unit(zhou)
    assert list(Measure.objects.visible_to(zhou)) == list(ours.measures.all())
    assert list(Problem.objects.visible_to(zhou)) == [ours]
    assert theirs.measures.exists()


def test_a_measure_is_seen_through_its_own_unit_or_its_problems(world, make_problem, now):
    deadline = now.date().replace(year=now.year + 1)
    problem = make_problem(
        unit=world.county,
        measures=[
            MeasureSpec(text="城关镇的措施", owner_unit=world.chengguan, deadline=deadline),
            MeasureSpec(text="河西乡的措施", owner_unit=world.hexi, deadline=deadline),
        ],
    )
    hexi_problem = make_problem(
        unit=world.hexi,
        measures=[MeasureSpec(text="交给东关村", owner_unit=world.dongguan, deadline=deadline)],
    )

    seen_by_li = Measure.objects.visible_to(fresh(world.li))
    seen_by_wang = Measure.objects.visible_to(fresh(world.wang))

    assert sorted(m.text for m in seen_by_li) == ["交给东关村", "城关镇的措施"]
    assert sorted(m.text for m in seen_by_wang) == ["交给东关村", "河西乡的措施"]
    assert set(Problem.objects.visible_to(fresh(world.li))) == {problem, hexi_problem}


def test_related_rows_follow_their_measures_scope(world, in_progress, now):
    extension_request(
        measure=in_progress,
        by=world.li,
        now=now,
        new_deadline=in_progress.deadline.replace(year=in_progress.deadline.year + 1),
        reason="汛期",
    )

    assert ExtensionRequest.objects.visible_to(fresh(world.li)).count() == 1
    assert ExtensionRequest.objects.visible_to(fresh(world.zhou)).count() == 1
    assert ExtensionRequest.objects.visible_to(fresh(world.wang)).count() == 0
