"""Login posts per address per minute (bihuan.org.ratelimit), beside the per-account lockout."""

from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.test import Client

from bihuan.org import ratelimit
from bihuan.org.ratelimit import rate_exceeded

from .conftest import ADDRESS_A, ADDRESS_B

MINUTE_START = 1_727_053_200.0  # a whole minute: 2024-09-23 09:00:00 in Shanghai


@pytest.fixture
def clock(monkeypatch):
    """The time the rate limit reads, moved by the test."""
    state = SimpleNamespace(now=MINUTE_START + 10)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: state.now))
    return state


def test_the_count_is_per_key_and_per_minute(db):
    answers = [rate_exceeded("t", "a", per_minute=2, now=MINUTE_START + 15) for _ in range(3)]

    assert answers == [None, None, 45]
    assert rate_exceeded("t", "b", per_minute=2, now=MINUTE_START + 15) is None
    assert rate_exceeded("other", "a", per_minute=2, now=MINUTE_START + 15) is None
    assert rate_exceeded("t", "a", per_minute=2, now=MINUTE_START + 60) is None


def test_a_limit_of_zero_counts_nothing(db):
    assert all(rate_exceeded("t", "a", per_minute=0, now=MINUTE_START) is None for _ in range(9))


def test_too_many_login_posts_from_one_address_get_429_with_retry_after(
    log_in, world, settings, clock
):
    settings.BIHUAN_LOGIN_RATE_PER_MINUTE = 3
    client = Client()
    answers = [log_in(client, name, "wrong").status_code for name in ("li", "zhou", "sun")]

    refused = log_in(client, "qian")

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    assert "本机登录尝试过于频繁（每分钟最多 3 次），请 50 秒后再试。" in refused.text
    # Refused before any password is checked: no failure was counted for it.
    assert not AccessAttempt.objects.filter(username="qian").exists()


def test_another_address_and_the_next_minute_are_not_limited(log_in, world, settings, clock):
    settings.BIHUAN_LOGIN_RATE_PER_MINUTE = 1
    log_in(Client(), "li", "wrong", address=ADDRESS_A)

    elsewhere = log_in(Client(), "li", address=ADDRESS_B)
    clock.now += 60
    next_minute = log_in(Client(), "li", address=ADDRESS_A)

    assert elsewhere.status_code == next_minute.status_code == 302


def test_showing_the_login_page_is_not_counted(client, world, settings, clock):
    settings.BIHUAN_LOGIN_RATE_PER_MINUTE = 1

    answers = [client.get("/accounts/login/").status_code for _ in range(5)]

    assert answers == [200] * 5


def test_the_second_factor_step_shares_the_address_budget(log_in, world, settings, clock):
    settings.BIHUAN_LOGIN_RATE_PER_MINUTE = 1
    client = Client()
    log_in(client, "li")

    refused = client.post("/accounts/login/verify/", {"code": "123456"}, REMOTE_ADDR=ADDRESS_A)

    assert refused.status_code == 429
