import pytest
from django.core.exceptions import ValidationError

from bihuan.ledger.models import Measure, Problem
from bihuan.ledger.services import MeasureSpec
from bihuan.org.models import Role, Unit
from bihuan.org.services import check_role_combination, user_create


def names(queryset):
    return sorted(unit.name for unit in queryset)


def test_a_township_handler_sees_the_township_and_its_villages(world):
    assert names(Unit.objects.visible_to(world.li)) == ["东关村", "城关镇"]


def test_a_county_supervisor_sees_the_whole_county(world):
    assert Unit.objects.visible_to(world.zhou).count() == Unit.objects.count()


def test_a_village_clerk_sees_only_the_village(world):
    assert names(Unit.objects.visible_to(world.chen)) == ["东关村"]


def test_admins_see_no_units_of_business_data(world):
    assert not Unit.objects.visible_to(world.wu).exists()


def test_in_memory_scope_check_agrees_with_the_queryset(world):
    for user in (world.zhou, world.li, world.chen, world.wang, world.wu):
        visible = set(Unit.objects.visible_to(user))
        for unit in Unit.objects.all():
            assert unit.is_visible_to(user) == (unit in visible), (user, unit)


def test_a_measure_owned_in_scope_makes_its_county_problem_visible(world, make_problem, now):
    problem = make_problem(
        unit=world.county,
        measures=[MeasureSpec(text="村级事务公开", owner_unit=world.dongguan, deadline=now.date())],
    )
    assert Problem.objects.visible_to(world.chen).get() == problem
    assert Measure.objects.visible_to(world.chen).count() == 1
    assert not Problem.objects.visible_to(world.wang).exists()


def test_a_problem_of_another_township_is_invisible(world, make_problem):
    make_problem(unit=world.hexi)
    assert not Problem.objects.visible_to(world.li).exists()
    assert not Measure.objects.visible_to(world.li).exists()
    assert Measure.objects.visible_to(world.wang).count() == 1


def test_admin_roles_cannot_be_combined_with_any_other(world):
    with pytest.raises(ValidationError, match="三员分立"):
        check_role_combination([Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN])
    with pytest.raises(ValidationError, match="三员分立"):
        user_create(
            username="x",
            name="某人",
            unit=world.county,
            roles=[Role.SECURITY_ADMIN, Role.SUPERVISOR],
        )
    assert not world.county.members.filter(username="x").exists()


def test_unit_paths_follow_the_tree(world):
    assert world.dongguan.path == f"/{world.county.pk}/{world.chengguan.pk}/{world.dongguan.pk}/"
    assert world.dongguan.depth == 2
    assert world.chengguan.contains(world.dongguan)
    assert not world.hexi.contains(world.dongguan)
