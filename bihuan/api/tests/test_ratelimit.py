"""API calls per token per minute: the 429 answer in Chinese with Retry-After."""

from types import SimpleNamespace

import pytest

from bihuan.org import ratelimit

MINUTE_START = 1_727_053_200.0


@pytest.fixture
def clock(monkeypatch):
    state = SimpleNamespace(now=MINUTE_START + 45)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: state.now))
    # TokenAuth reads the same clock through bihuan.api.auth.
    monkeypatch.setattr("bihuan.api.auth.time", SimpleNamespace(time=lambda: state.now))
    return state


def test_a_token_past_its_calls_per_minute_gets_429_with_retry_after(api, world, settings, clock):
    settings.BIHUAN_API_RATE_PER_MINUTE = 3
    li = api(world.li)
    answers = [li.get("/api/me").status_code for _ in range(3)]

    refused = li.get("/api/me")

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "15"
    assert refused.json() == {
        "detail": "接口调用过于频繁：每个令牌每分钟最多 3 次，请 15 秒后再试。",
        "field": None,
    }


def test_each_token_has_its_own_count_and_the_next_minute_starts_afresh(
    api, world, settings, clock
):
    settings.BIHUAN_API_RATE_PER_MINUTE = 1
    li, wang = api(world.li), api(world.wang)
    li.get("/api/me")

    other_token = wang.get("/api/me")
    clock.now += 60
    next_minute = li.get("/api/me")

    assert other_token.status_code == next_minute.status_code == 200


def test_wrong_tokens_are_not_counted_against_a_real_one(api, world, settings, clock):
    settings.BIHUAN_API_RATE_PER_MINUTE = 1
    nobody = api(None)
    nobody.headers = {"Authorization": "Bearer guessed"}
    assert [nobody.get("/api/me").status_code for _ in range(2)] == [401, 401]

    assert api(world.li).get("/api/me").status_code == 200


def test_the_browser_session_is_not_limited_by_the_token_rate(client, world, settings, clock):
    settings.BIHUAN_API_RATE_PER_MINUTE = 1
    client.force_login(world.li)

    assert [client.get("/api/me").status_code for _ in range(3)] == [200] * 3
