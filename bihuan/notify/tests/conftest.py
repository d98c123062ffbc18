"""A local stand-in for the WeCom and DingTalk robots, and measures with National Day deadlines."""

import datetime as dt
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from bihuan.ledger.services import MeasureSpec
from bihuan.notify.configure import channel_add
from bihuan.notify.models import ChannelKind

OK = (200, {"errcode": 0, "errmsg": "ok"})


@pytest.fixture(autouse=True)
def _notify_settings(settings):
    """The defaults, whatever the environment says."""
    settings.BIHUAN_BASE_URL = "http://127.0.0.1:8000"
    settings.BIHUAN_REMIND_BEFORE_WORKING_DAYS = [3, 1]
    settings.BIHUAN_URGE_MAX_ITEMS = 200
    settings.BIHUAN_DELIVERY_MAX_ATTEMPTS = 6
    settings.BIHUAN_DELIVERY_RETRY_SECONDS = 60


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict


@dataclass
class Robot:
    """Records every request; answers with `answers` in turn, then 200 {"errcode": 0}."""

    port: int
    answers: list[tuple[int, dict]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    def url(self, path: str = "/robot/send?access_token=t0ken") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def texts(self) -> list[str]:
        return [request.body["text"]["content"] for request in self.received]


@pytest.fixture
def robot(monkeypatch):
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    state = Robot(port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            parts = urlsplit(self.path)
            state.received.append(
                Received(
                    path=parts.path,
                    query={key: values[0] for key, values in parse_qs(parts.query).items()},
                    headers=dict(self.headers),
                    body=json.loads(self.rfile.read(length)),
                )
            )
            status, answer = state.answers.pop(0) if state.answers else OK
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def dead_url(monkeypatch):
    """An address where nothing listens: the connection is refused."""
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/robot/send?access_token=dead"


@pytest.fixture
def channel(world, now):
    """`channel(kind, url, secret)`: a channel of 城关镇, added by 吴管理."""

    def add(kind=ChannelKind.WECOM, url="", secret="", unit=None):
        return channel_add(
            unit=unit or world.chengguan,
            kind=kind,
            webhook_url=url,
            secret=secret,
            by=world.wu,
            now=now,
        )

    return add


@pytest.fixture
def due_after_national_day(make_problem, world, now, calendar):
    """城关镇's measure, due on Tuesday 8 October 2024 (the first working day after National
    Day), assigned on `now` (Monday 23 September) and acknowledged by 李承办."""
    problem = make_problem(
        measures=[
            MeasureSpec(
                text="建立首问负责制并公示",
                owner_unit=world.chengguan,
                deadline=dt.date(2024, 10, 8),
            )
        ]
    )
    measure = problem.measures.get()
    measure.assign(by=world.zhou, now=now, calendar=calendar)
    measure.acknowledge(by=world.li, now=now, calendar=calendar)
    return measure
