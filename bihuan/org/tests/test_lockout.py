import datetime as dt

from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from bihuan.org.lockout import TOKEN_USERNAME, client_ip
from bihuan.org.models import ApiToken

from .conftest import ADDRESS_A, ADDRESS_B

WRONG = "用户名或密码错误。"
LOCKED = "登录失败次数过多，已暂停从本机登录该账号 30 分钟。如需提前解除，请联系安全管理员。"


def fail(log_in, client, username, times, address=ADDRESS_A):
    return [log_in(client, username, "Wrong#2024x", address) for _ in range(times)]


def errors(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


def test_an_unknown_account_and_a_wrong_password_get_the_same_answer(log_in, world):
    unknown = log_in(Client(), "nobody", "Wrong#2024x")
    wrong = log_in(Client(), "li", "Wrong#2024x")

    assert (unknown.status_code, errors(unknown)) == (200, [WRONG])
    assert (wrong.status_code, errors(wrong)) == (200, [WRONG])


def test_the_login_page_answers_an_unknown_account_with_the_very_same_page(log_in, world):
    """Byte for byte, once the CSRF token and the name typed are set aside."""

    def page(username: str) -> str:
        response = log_in(Client(), username, "Wrong#2024x")
        text = response.text.replace(f'name="username" value="{username}"', "")
        return text.replace(str(response.context["csrf_token"]), "")

    assert page("nobody") == page("li")


def test_a_deactivated_account_gets_the_same_answer_too(log_in, world):
    world.li.is_active = False
    world.li.save(update_fields=["is_active"])

    response = log_in(Client(), "li")

    assert errors(response) == [WRONG]


def test_the_fifth_failure_locks_the_account_at_that_address(log_in, world):
    client = Client()

    answers = fail(log_in, client, "li", 5)
    with_the_right_password = log_in(client, "li")

    assert [errors(answer) for answer in answers] == [[WRONG]] * 4 + [[LOCKED]]
    assert errors(with_the_right_password) == [LOCKED]
    assert "_auth_user_id" not in client.session


def test_a_locked_account_still_logs_in_from_another_address(log_in, world):
    fail(log_in, Client(), "li", 5, address=ADDRESS_A)

    response = log_in(Client(), "li", address=ADDRESS_B)

    assert response.status_code == 302
    assert errors(log_in(Client(), "li", address=ADDRESS_A)) == [LOCKED]


def test_an_unknown_account_locks_like_a_real_one_so_a_lock_reveals_nothing(log_in, world):
    answers = fail(log_in, Client(), "nobody", 5)

    assert [errors(answer) for answer in answers] == [[WRONG]] * 4 + [[LOCKED]]


def test_a_successful_login_clears_the_count(log_in, world):
    fail(log_in, Client(), "li", 4)
    assert log_in(Client(), "li").status_code == 302

    answers = fail(log_in, Client(), "li", 4)

    assert [errors(answer) for answer in answers] == [[WRONG]] * 4


def test_the_lock_ends_after_the_lockout_time(log_in, world):
    fail(log_in, Client(), "li", 5)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - dt.timedelta(minutes=31)
    )

    assert log_in(Client(), "li").status_code == 302


def test_retrying_during_the_lock_does_not_extend_it(log_in, world):
    fail(log_in, Client(), "li", 5)
    locked_at = AccessAttempt.objects.get().attempt_time

    fail(log_in, Client(), "li", 3)

    attempt = AccessAttempt.objects.get()
    assert (attempt.attempt_time, attempt.failures_since_start) == (locked_at, 5)


def test_the_failure_limit_and_time_are_settings(log_in, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=10)

    answers = fail(log_in, Client(), "li", 3)

    assert errors(answers[-1]) == [
        "登录失败次数过多，已暂停从本机登录该账号 10 分钟。如需提前解除，请联系安全管理员。"
    ]


def test_wrong_api_tokens_stop_token_use_from_that_address(world, now):
    key = ApiToken.issue(user=world.li, now=now)
    caller = Client(REMOTE_ADDR=ADDRESS_A)
    wrong = [
        caller.get("/api/me", headers={"Authorization": "Bearer guessed"}).status_code
        for _ in range(5)
    ]

    refused = caller.get("/api/me", headers={"Authorization": f"Bearer {key}"})
    elsewhere = Client(REMOTE_ADDR=ADDRESS_B).get(
        "/api/me", headers={"Authorization": f"Bearer {key}"}
    )

    assert wrong == [401] * 5
    assert refused.status_code == 429
    assert refused["Retry-After"] == "1800"
    assert refused.json() == {
        "detail": "接口令牌错误次数过多，本地址已被暂停 30 分钟。",
        "field": None,
    }
    assert elsewhere.json()["username"] == "li"
    assert AccessAttempt.objects.get().username == TOKEN_USERNAME


def test_the_address_is_remote_addr_without_trusted_proxies(settings):
    settings.BIHUAN_TRUSTED_PROXIES = 0
    request = RequestFactory().get("/", REMOTE_ADDR=ADDRESS_A, HTTP_X_FORWARDED_FOR="203.0.113.5")

    assert client_ip(request) == ADDRESS_A


def test_behind_one_proxy_the_address_is_the_one_it_saw_not_what_the_client_claims(settings):
    settings.BIHUAN_TRUSTED_PROXIES = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.5, {ADDRESS_B}"
    )

    assert client_ip(request) == ADDRESS_B


def test_a_malformed_forwarded_address_counts_as_unknown(settings):
    settings.BIHUAN_TRUSTED_PROXIES = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")

    assert client_ip(request) is None
