import pytest
from django.test import Client
from django.utils.crypto import get_random_string

from bihuan.org.models import ApiToken
from bihuan.workflow.states import State

from .conftest import Caller


@pytest.mark.parametrize("header", [None, "Bearer not-a-token", "Token abc", "Bearer "])
def test_a_missing_or_invalid_token_gets_401(world, header):
    headers = {"Authorization": header} if header else {}

    response = Client().get("/api/me", headers=headers)

    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或接口令牌无效。", "field": None}
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_write_without_a_token_gets_401_and_changes_nothing(api, measure):
    response = api(None).post(f"/api/problems/{measure.problem_id}/assign")

    assert response.status_code == 401
    measure.refresh_from_db()
    assert measure.state == State.DRAFT


def test_a_replaced_token_no_longer_works(world, now):
    old = ApiToken.issue(user=world.li, now=now)
    new = ApiToken.issue(user=world.li, now=now)

    assert Caller(old).get("/api/me").status_code == 401
    assert Caller(new).get("/api/me").json()["username"] == "li"


def test_the_token_of_a_deactivated_user_gets_401(world, now):
    key = ApiToken.issue(user=world.li, now=now)
    world.li.is_active = False
    world.li.save(update_fields=["is_active"])

    assert Caller(key).get("/api/me").status_code == 401


def test_me_describes_the_caller(api, world):
    response = api(world.qian).get("/api/me")

    assert response.json() == {
        "id": world.qian.pk,
        "username": "qian",
        "name": "钱书记",
        "unit": {"id": world.chengguan.pk, "name": "城关镇"},
        "roles": ["leader", "supervisor"],
        "role_labels": ["督查员", "领导"],
    }


def test_the_browser_session_reads_the_api(world):
    client = Client()
    client.force_login(world.li)

    assert client.get("/api/me").json()["username"] == "li"


def test_a_session_write_without_the_csrf_token_is_refused(world, measure):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.zhou)

    response = client.post(f"/api/problems/{measure.problem_id}/assign")

    assert response.status_code == 403
    assert response.json()["detail"] == "CSRF 校验失败，请刷新页面后重试。"
    measure.refresh_from_db()
    assert measure.state == State.DRAFT


def test_a_session_write_with_the_csrf_token_is_accepted(world, measure):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.zhou)
    client.cookies["csrftoken"] = csrf = get_random_string(32)

    response = client.post(
        f"/api/problems/{measure.problem_id}/assign", headers={"X-CSRFToken": csrf}
    )

    assert response.status_code == 200
    measure.refresh_from_db()
    assert measure.state == State.PENDING


def test_a_token_write_needs_no_csrf_token(world, now, measure):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.li)
    key = ApiToken.issue(user=world.zhou, now=now)

    response = client.post(
        f"/api/problems/{measure.problem_id}/assign", headers={"Authorization": f"Bearer {key}"}
    )

    assert response.status_code == 200
    assert response.json()["measures"][0]["state"] == State.PENDING


def test_a_wrong_token_is_not_rescued_by_the_session(world):
    client = Client()
    client.force_login(world.li)

    response = client.get("/api/me", headers={"Authorization": "Bearer wrong"})

    assert response.status_code == 401
