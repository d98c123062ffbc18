"""Call the API as one of the shared world's people, with their own token, at a fixed time."""

import pytest
from django.test import Client
from django.utils import timezone

from bihuan.org.models import ApiToken


@pytest.fixture(autouse=True)
def _clock_reads_now(monkeypatch, now):
    """The API reads the clock once per request; here it reads the world's `now`."""
    monkeypatch.setattr(timezone, "now", lambda: now)


class Caller:
    def __init__(self, key: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path: str, **params):
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, body=None):
        return self.client.post(
            path, body or {}, content_type="application/json", headers=self.headers
        )

    def upload(self, path: str, data: dict):
        return self.client.post(path, data, headers=self.headers)


@pytest.fixture
def api(world, now):
    """`api(world.li).get("/api/me")`; `api(None)` calls without a token."""

    def caller(user) -> Caller:
        return Caller(ApiToken.issue(user=user, now=now) if user else None)

    return caller
