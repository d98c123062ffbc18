"""Bihuans in processes of their own, each on a scratch data directory (and, on PostgreSQL, a
scratch database): what `bihuan backup` and `bihuan restore` meet in real use."""

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import pytest

POSTGRES_TOOLS = ("pg_dump", "pg_restore", "createdb", "dropdb")


def _run(command: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        command,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
        check=False,
        **kwargs,
    )


@dataclass
class Instance:
    data_dir: Path
    database_url: str | None = None

    @property
    def env(self) -> dict[str, str]:
        unset = {"DATABASE_URL", "BIHUAN_DATA_DIR", "SECRET_KEY"}
        env = {key: value for key, value in os.environ.items() if key not in unset}
        env["BIHUAN_DATA_DIR"] = str(self.data_dir)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def bihuan(self, *args, env=None, **kwargs) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "bihuan.cli", *map(str, args)]
        return _run(command, self.env | (env or {}), **kwargs)

    def workload(self, *args: str) -> str:
        command = [sys.executable, "-m", "bihuan.backup.tests.workload", *args]
        result = _run(command, self.env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def report(self) -> dict:
        return json.loads(self.workload("report"))

    def writer(self) -> "Writer":
        command = [sys.executable, "-m", "bihuan.backup.tests.workload", "write"]
        return Writer(
            subprocess.Popen(  # noqa: S603
                command,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )


class Writer:
    """`workload write` running beside the test; `steps` is the last step it committed."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self.steps = 0
        threading.Thread(target=self._follow, daemon=True).start()

    def _follow(self) -> None:
        for line in self.process.stdout:
            self.steps = int(line)

    def wait_for(self, steps: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.steps < steps:
            if self.process.poll() is not None:
                raise AssertionError(f"the writer stopped: {self.process.stderr.read()}")
            assert time.monotonic() < deadline, f"the writer made {self.steps} of {steps} steps"
            time.sleep(0.02)

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, *exc_info) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.process.stderr.close()


@pytest.fixture
def postgres_database():
    """`postgres_database()`: the URL of a new, empty PostgreSQL database, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("PostgreSQL only: DATABASE_URL does not name a PostgreSQL database")
    if missing := [tool for tool in POSTGRES_TOOLS if shutil.which(tool) is None]:
        pytest.skip(f"PostgreSQL client tools not on PATH: {', '.join(missing)}")
    server = dj_database_url.parse(url)
    env = dict(os.environ)
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ]:
        if server.get(key):
            env[variable] = str(server[key])
    created = []

    def create() -> str:
        name = f"bihuan_backup_{uuid.uuid4().hex[:10]}"
        result = _run(["createdb", name], env)
        assert result.returncode == 0, result.stderr
        created.append(name)
        return url.rsplit("/", 1)[0] + f"/{name}"

    yield create
    for name in created:
        _run(["dropdb", "--force", "--if-exists", name], env)


@pytest.fixture(params=["sqlite", "postgresql"])
def make_instance(request, tmp_path):
    """`make_instance(name)`: an instance with an empty data directory (and database)."""

    def make(name: str) -> Instance:
        url = request.getfixturevalue("postgres_database")() if request.param != "sqlite" else None
        return Instance(tmp_path / name, url)

    return make


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Instance:
    """A small SQLite instance that has done a little work, evidence files included."""
    live = Instance(tmp_path_factory.mktemp("live") / "data")
    live.workload("setup")
    live.workload("write", "6")
    return live


@pytest.fixture(scope="module")
def backup(live) -> Path:
    archive = live.data_dir.parent / "backup.tar.gz"
    result = live.bihuan("backup", "--out", archive)
    assert result.returncode == 0, result.stderr
    return archive
