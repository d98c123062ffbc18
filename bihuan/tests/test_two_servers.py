"""Two app servers on one PostgreSQL (docs/deploy.md, several servers): a login on one is a
session on both, and the same measures driven through both at once end in one state each, with
exactly the history of the steps that went through; the loser of a race is refused cleanly."""

import contextlib
import datetime as dt
import itertools
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone

from bihuan.audit.chain import audit_verify
from bihuan.conftest import PASSWORD
from bihuan.ledger.models import Measure, MeasureEvent
from bihuan.ledger.services import MeasureSpec
from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.states import Action, State

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="two servers share one PostgreSQL; SQLite serves one server only",
    ),
]
ROOT = Path(__file__).resolve().parents[2]
MEASURES = 12
# A refusal the API gives a step that lost its race: the state moved on, or the row did.
REFUSED = {400, 409}


class Browser:
    """One person's cookies, sent to whichever server; each request on its own connection."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, server: str, method: str, path: str, *, form=None, body=None):
        host, port = server.rsplit(":", 1)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            body = json.dumps(body)
            headers |= {
                "Content-Type": "application/json",
                "X-CSRFToken": self.cookies["csrftoken"],
            }
        http = HTTPConnection(host, int(port), timeout=30)
        try:
            http.request(method, path, body=body, headers=headers)
            response = http.getresponse()
            content = response.read()
        finally:
            http.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, content

    def log_in(self, server: str, username: str) -> None:
        self.request(server, "GET", "/accounts/login/")
        form = {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": self.cookies["csrftoken"],
        }
        status, headers, _ = self.request(server, "POST", "/accounts/login/", form=form)
        assert (status, headers["Location"]) == (302, "/"), f"login of {username} refused"

    def me(self, server: str) -> str:
        status, _, content = self.request(server, "GET", "/api/me")
        assert status == 200, content
        return json.loads(content)["username"]

    def step(self, server: str, measure_id: int, action: str) -> tuple[int, dict]:
        body = {"action": action, "comment": "两台服务器并发测试"}
        status, _, content = self.request(
            server, "POST", f"/api/measures/{measure_id}/transitions", body=body
        )
        return status, json.loads(content)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict  # the test database pytest-django created
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_until_up(server: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")
        with contextlib.suppress(OSError):
            if Browser().request(server, "GET", "/accounts/login/")[0] == 200:
                return
        time.sleep(0.2)
    pytest.fail(f"{server} did not answer within 40 s:\n{log.read_text(errors='replace')}")


@pytest.fixture
def servers(transactional_db, tmp_path):
    """Two `bihuan serve` processes on loopback, one database, one secret key."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "BIHUAN_DATA_DIR": str(tmp_path / "data"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "BIHUAN_ALLOWED_HOSTS": "127.0.0.1",
        "BIHUAN_DEBUG": "false",
    }
    processes, addresses = [], []
    logs = [tmp_path / f"serve-{n}.log" for n in range(2)]
    try:
        for log in logs:
            port = _free_port()
            command = [sys.executable, "-m", "bihuan.cli", "serve", "--port", str(port)]
            command += ["--workers", "1", "--threads", "4"]
            with log.open("wb") as out:
                processes.append(
                    subprocess.Popen(  # noqa: S603 - our own interpreter and package
                        command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
                    )
                )
            addresses.append(f"127.0.0.1:{port}")
        for address, process, log in zip(addresses, processes, logs, strict=True):
            _wait_until_up(address, process, log)
        yield addresses
        for log in logs:
            assert "Internal Server Error" not in log.read_text()
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown; nothing is in flight
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def pending(make_problem, world):
    """MEASURES measures of 城关镇, assigned today: each waits for 李承办 to acknowledge it."""
    now = timezone.now()
    specs = [
        MeasureSpec(
            text=f"第{n}项整改措施",
            owner_unit=world.chengguan,
            deadline=now.date() + dt.timedelta(30),
        )
        for n in range(MEASURES)
    ]
    problem = make_problem(measures=specs, when=now)
    measures = list(problem.measures.order_by("pk"))
    for measure in measures:
        measure.assign(by=world.zhou, now=now, calendar=WorkCalendar())
    # The servers hash with PBKDF2; the tests' fast hasher is unknown to them.
    hashed = PBKDF2PasswordHasher().encode(PASSWORD, secrets.token_hex(8))
    type(world.li).objects.filter(pk__in=[world.li.pk, world.zhou.pk]).update(password=hashed)
    return measures


def race(calls) -> list:
    """Run the calls at the same moment, one thread each; their results in order."""
    results = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def history(measure: Measure, since: int) -> list[MeasureEvent]:
    return list(MeasureEvent.objects.filter(measure=measure, pk__gt=since).order_by("pk"))


def test_two_servers_share_sessions_and_serialise_racing_transitions(servers, pending, world):
    one, two = servers
    clerk, supervisor = Browser(), Browser()
    clerk.log_in(one, "li")
    supervisor.log_in(two, "zhou")

    assert [clerk.me(one), clerk.me(two)] == ["li", "li"]
    assert [supervisor.me(one), supervisor.me(two)] == ["zhou", "zhou"]

    # 签收 twice at once, through both servers: one goes through, the other is refused.
    before = MeasureEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    versions = {m.pk: m.version for m in pending}
    outcomes = race(
        [(lambda m=m, s=s: clerk.step(s, m.pk, "acknowledge")) for m in pending for s in (one, two)]
    )
    for measure, pair in zip(pending, zip(outcomes[::2], outcomes[1::2], strict=True), strict=True):
        statuses = sorted(status for status, _ in pair)
        assert statuses[0] == 200 and statuses[1] in REFUSED, pair
        measure.refresh_from_db()
        assert measure.state == State.IN_PROGRESS
        assert measure.version == versions[measure.pk] + 1
        assert [e.action for e in history(measure, before)] == [Action.ACKNOWLEDGE]

    # 申请销号 on one server against 撤销 on the other: whichever order they land in, the
    # measure ends where its last history entry says, with one entry per step that passed.
    before = MeasureEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    versions = {m.pk: m.version for m in pending}
    outcomes = race(
        [
            call
            for m in pending
            for call in (
                lambda m=m: clerk.step(one, m.pk, "submit"),
                lambda m=m: supervisor.step(two, m.pk, "cancel"),
            )
        ]
    )
    for measure, pair in zip(pending, zip(outcomes[::2], outcomes[1::2], strict=True), strict=True):
        assert all(status == 200 or status in REFUSED for status, _ in pair), pair
        passed = [status for status, _ in pair].count(200)
        events = history(measure, before)
        measure.refresh_from_db()
        assert measure.state in (State.SUBMITTED, State.CANCELLED)
        assert len(events) == passed == measure.version - versions[measure.pk]
        assert events[0].from_state == State.IN_PROGRESS
        assert all(a.to_state == b.from_state for a, b in itertools.pairwise(events))
        assert events[-1].to_state == measure.state

    assert audit_verify().broken is None
