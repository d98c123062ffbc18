import datetime as dt
import io
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bihuan import cli
from bihuan.ledger.models import Measure, Problem
from bihuan.org.models import ApiToken, Role, Unit, User, _digest
from bihuan.workflow.models import CalendarDay, load_calendar


def run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


# -- argument handling ---------------------------------------------------------------------


def test_a_global_data_dir_is_exported_and_taken_out(monkeypatch):
    monkeypatch.delenv("BIHUAN_DATA_DIR", raising=False)

    assert cli.parse(["--data-dir", "/srv/bihuan", "token", "zhou"]) == ["bihuan", "token", "zhou"]
    assert os.environ["BIHUAN_DATA_DIR"] == "/srv/bihuan"


def test_quickstart_keeps_its_own_data_dir_option(monkeypatch):
    monkeypatch.delenv("BIHUAN_DATA_DIR", raising=False)

    argv = cli.parse(["quickstart", "--data-dir=here", "--no-serve"])

    assert argv == ["bihuan", "quickstart", "--data-dir", "here", "--no-serve"]
    assert os.environ["BIHUAN_DATA_DIR"] == "here"


def test_manage_passes_everything_through():
    assert cli.parse(["manage", "migrate", "--data-dir", "x"]) == [
        "bihuan manage",
        "migrate",
        "--data-dir",
        "x",
    ]


def test_no_arguments_print_the_usage(capsys):
    cli.main([])

    printed = capsys.readouterr()
    assert "用法 usage: bihuan" in printed.out
    assert printed.err == ""


def test_a_data_dir_without_a_directory_is_one_line_and_exit_1(capsys):
    with pytest.raises(SystemExit) as exit:
        cli.main(["--data-dir"])

    assert exit.value.code == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_a_data_dir_given_after_django_started_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="须在 Django 启动前给出"):
        call_command("quickstart", "--data-dir", str(tmp_path / "other"), "--no-serve")
    assert not Unit.objects.exists()


# -- token ---------------------------------------------------------------------------------


def test_token_prints_a_working_token_on_its_last_line(world):
    output = run("token", "li")

    key = output.splitlines()[-1]
    assert ApiToken.objects.user_for_key(key) == world.li
    assert "Authorization: Bearer" in output


def test_token_for_an_unknown_user_fails_and_issues_nothing(world):
    with pytest.raises(CommandError, match="用户“nobody”不存在"):
        run("token", "nobody")
    assert not ApiToken.objects.exists()


# -- calendar ------------------------------------------------------------------------------


def test_calendar_add_list_and_remove_a_holiday_of_an_unpublished_year(db):
    assert "2031 年：未公布，按周末推算" in run("calendar", "list", "2031")

    added = run("calendar", "add", "2031-01-01", "holiday", "元旦")

    assert "已录入：2031-01-01 星期三 放假 元旦" in added
    assert load_calendar().is_workday(dt.date(2031, 1, 1)) is False
    listing = run("calendar", "list", "2031")
    assert "2031 年：管理员录入" in listing
    assert "2031-01-01 星期三 放假 元旦" in listing

    run("calendar", "remove", "2031-01-01")

    assert not CalendarDay.objects.exists()


def test_calendar_lists_a_published_year_with_its_make_up_days(db):
    listing = run("calendar", "list", "2024")

    assert "2024 年：已发布（chinesecalendar）" in listing
    assert "2024-10-12 星期六 上班" in listing


def test_calendar_refuses_a_weekday_workday_and_changes_nothing(db):
    with pytest.raises(CommandError, match="本来就是工作日"):
        run("calendar", "add", "2031-01-06", "workday")
    assert not CalendarDay.objects.exists()


def test_calendar_refuses_a_bad_date_kind_or_missing_day(db):
    with pytest.raises(CommandError, match="不是有效日期"):
        run("calendar", "add", "2031-02-30", "holiday")
    with pytest.raises(CommandError, match="holiday（放假）或 workday（上班）"):
        run("calendar", "add", "2031-01-01", "rest")
    with pytest.raises(CommandError, match="没有管理员录入的记录"):
        run("calendar", "remove", "2031-01-01")
    assert not CalendarDay.objects.exists()


# -- quickstart and loaddemo ---------------------------------------------------------------


def test_quickstart_loads_the_demo_once_and_keeps_the_data(db, monkeypatch):
    monkeypatch.setenv("BIHUAN_ADMIN_PASSWORD", "Admin#Pass1")

    first = run("quickstart", "--no-serve")
    counts = (Unit.objects.count(), Problem.objects.count(), Measure.objects.count())
    second = run("quickstart", "--no-serve")

    assert "已载入演示县“青山县”" in first
    assert "ducha" in first
    assert "沿用已有数据" in second
    assert (Unit.objects.count(), Problem.objects.count(), Measure.objects.count()) == counts
    admin = User.objects.get(username="admin")
    assert admin.check_password("Admin#Pass1")
    assert admin.roles == {Role.SYSTEM_ADMIN}
    assert admin.unit.name == "青山县"
    assert User.objects.filter(username="admin").count() == 1


def test_quickstart_on_existing_units_prints_a_generated_admin_password(world, monkeypatch):
    monkeypatch.delenv("BIHUAN_ADMIN_PASSWORD", raising=False)

    output = run("quickstart", "--no-serve")

    line = next(line for line in output.splitlines() if line.startswith("系统管理员"))
    password = line.split("密码：")[1].split("（")[0]
    admin = User.objects.get(username="admin")
    assert admin.check_password(password)
    assert admin.unit == world.county
    assert "沿用已有数据" in output
    assert not Problem.objects.exists()


def test_loaddemo_refuses_a_database_that_has_units(world):
    with pytest.raises(CommandError, match="只能载入空库"):
        run("loaddemo")
    assert not Problem.objects.exists()


# -- the real command, in its own process ----------------------------------------------------


def _env() -> dict[str, str]:
    """This process's environment, on SQLite in a data directory of the test's own."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "BIHUAN_DATA_DIR"}}
    return env | {"BIHUAN_ADMIN_PASSWORD": "Admin#Pass1", "CI": "true"}


def bihuan(*args: str, data_dir, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bihuan.cli", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env=_env(),
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """A data directory set up by `bihuan quickstart --no-serve` on SQLite."""
    path = tmp_path_factory.mktemp("cli") / "data"
    result = bihuan("quickstart", "--no-serve", data_dir=path)
    assert result.returncode == 0, result.stderr
    return path


def test_bihuan_token_prints_the_token_last_and_stores_only_its_digest(data_dir):
    result = bihuan("token", "ducha", data_dir=data_dir)

    assert result.returncode == 0, result.stderr
    key = result.stdout.splitlines()[-1]
    with sqlite3.connect(data_dir / "bihuan.sqlite3") as database:
        (count,) = database.execute(
            "select count(*) from org_apitoken where digest = ?", [_digest(key)]
        ).fetchone()
    assert count == 1


def test_bihuan_token_for_an_unknown_user_is_one_stderr_line_and_exit_1(data_dir):
    result = bihuan("token", "nobody", data_dir=data_dir)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == ["CommandError: 用户“nobody”不存在。"]


def test_bihuan_on_a_database_never_migrated_is_one_line_and_exit_1(tmp_path):
    result = bihuan("token", "ducha", data_dir=tmp_path)

    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "bihuan quickstart" in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
        return response.status


def test_bihuan_serve_answers_pages_and_static_files_and_stops_on_sigterm(data_dir):
    port = _free_port()
    command = [sys.executable, "-m", "bihuan.cli", "--data-dir", str(data_dir), "serve"]
    server = subprocess.Popen(  # noqa: S603
        [*command, "--port", str(port), "--workers", "1"],
        env=_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        status = None
        for _ in range(100):
            try:
                status = _get(f"{base}/accounts/login/")
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200
        assert _get(f"{base}/static/vendor/bootstrap/bootstrap.min.css") == 200
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=20)
    assert code == 0
