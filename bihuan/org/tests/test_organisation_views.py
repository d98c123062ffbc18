from bihuan.conftest import PASSWORD
from bihuan.org.models import Role, Unit, User


def test_only_the_system_admin_reaches_the_organisation_page(client, world):
    client.force_login(world.zhou)
    assert client.get("/accounts/admin/").status_code == 403
    client.force_login(world.wu)
    page = client.get("/accounts/admin/")
    assert page.status_code == 200
    assert "东关村" in page.text


def test_the_system_admin_adds_a_village_under_a_township(client, world):
    client.force_login(world.wu)
    response = client.post(
        "/accounts/admin/units/", {"name": "南街社区", "kind": "village", "parent": world.hexi.pk}
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="南街社区")
    assert world.hexi.contains(unit)


def test_a_duplicate_unit_name_under_the_same_parent_is_refused(client, world):
    client.force_login(world.wu)
    response = client.post(
        "/accounts/admin/units/",
        {"name": "东关村", "kind": "village", "parent": world.chengguan.pk},
    )
    assert response.status_code == 400
    assert "已有名为“东关村”的单位" in response.text
    assert Unit.objects.filter(name="东关村").count() == 1


def test_the_system_admin_creates_an_account_that_can_log_in(client, world):
    client.force_login(world.wu)
    client.post(
        "/accounts/admin/users/",
        {
            "username": "zheng",
            "name": "郑承办",
            "unit": world.xihe.pk,
            "roles": [Role.HANDLER],
            "password": PASSWORD,
        },
    )
    account = User.objects.get(username="zheng")
    assert account.roles == {Role.HANDLER}
    client.logout()
    assert client.login(username="zheng", password=PASSWORD)


def test_combining_an_admin_role_is_refused_with_a_message(client, world):
    client.force_login(world.wu)
    response = client.post(
        "/accounts/admin/users/",
        {
            "username": "feng",
            "name": "冯某",
            "unit": world.county.pk,
            "roles": [Role.AUDIT_ADMIN, Role.SUPERVISOR],
            "password": PASSWORD,
        },
    )
    assert response.status_code == 400
    assert "三员分立" in response.text
    assert not User.objects.filter(username="feng").exists()


def test_a_weak_initial_password_is_refused(client, world):
    client.force_login(world.wu)
    response = client.post(
        "/accounts/admin/users/",
        {
            "username": "feng",
            "name": "冯某",
            "unit": world.county.pk,
            "roles": [Role.HANDLER],
            "password": "12345678",
        },
    )
    assert response.status_code == 400
    assert not User.objects.filter(username="feng").exists()


def test_deactivating_an_account_stops_its_login(client, world):
    client.force_login(world.wu)
    client.post(f"/accounts/admin/users/{world.li.pk}/active/")
    client.logout()
    assert not client.login(username="li", password=PASSWORD)
