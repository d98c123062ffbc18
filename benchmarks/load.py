"""Load test: `bihuan serve` on loopback under locust, on SQLite (WAL) or PostgreSQL.

python benchmarks/load.py [--measures 100000] [--database postgres://postgres@127.0.0.1:5432/]
                          [--users 50] [--duration 120] [--list-clients 10] [--list-duration 60]
                          [--workers 2] [--format json]

One run, all on this machine and bounded in time: build a ledger of --measures measures in a
scratch database (a temporary SQLite file, or `bihuan_load` created and dropped on the
PostgreSQL server named by --database or DATABASE_URL), start `bihuan serve`, log every
virtual user's account in through the login form, then run locust headless twice:

1. --users handlers, supervisors and leaders (3:1:1) at work for --duration seconds, with 1–3 s
   between clicks: pages, filters, the dashboard, the API list, and posts (签收, progress, 销号);
2. --list-clients clients that page through the filtered ledger list with no pause, for
   --list-duration seconds.

It prints throughput and latency, stops the server and removes the scratch data. Exit status 1
when a request failed (any answer but the expected one, a refusal, or a 500) or the list misses
its budget: at least 40 requests/s with p95 under 500 ms. Needs locust: pip install -e '.[bench]'.
"""

import argparse
import contextlib
import csv
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
HOST = "127.0.0.1"
LIST_RPS_BUDGET = 40.0
LIST_P95_BUDGET_MS = 500.0
SCRATCH_DATABASE = "bihuan_load"
WEIGHTS = {"handler": 3, "supervisor": 1, "leader": 1}  # as the locustfile's classes


def say(message: str) -> None:
    print(f"load: {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python benchmarks/load.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--measures", type=int, default=100_000)
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=120, help="seconds of the mixed run")
    parser.add_argument("--list-clients", type=int, default=10)
    parser.add_argument("--list-duration", type=int, default=60)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    postgres = args.database.startswith(("postgres://", "postgresql://"))

    with contextlib.ExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bihuan-load-")))
        database_url = None
        if postgres:
            from bihuan.bench.postgres import scratch_database

            database_url = stack.enter_context(
                scratch_database(args.database, name=SCRATCH_DATABASE)
            )
        env = server_env(data_dir, database_url)
        os.environ.update(env)
        if not database_url:
            os.environ.pop("DATABASE_URL", None)
        plan = prepare(args)
        port = free_port()
        base = f"http://{HOST}:{port}"
        log = data_dir / "serve.log"
        server = start_server(port, args, env, log)
        stack.callback(stop_server, server)
        wait_until_up(base, server, log)
        logins = log_in(base, plan)
        figures = {
            "database": "postgresql" if postgres else "sqlite",
            "measures": args.measures,
            "server": f"bihuan serve --workers {args.workers} --threads {args.threads}",
            "machine": {"cpus": os.cpu_count(), "load_average": round(os.getloadavg()[0], 1)},
            "logins": logins,
        }
        plan_file = data_dir / "plan.json"
        plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        figures["mixed"] = run_locust(
            base, plan_file, data_dir / "mixed", ["Handler", "Supervisor", "Leader"],
            users=args.users, seconds=args.duration, server=server,
        )  # fmt: skip
        figures["list"] = run_locust(
            base, plan_file, data_dir / "list", ["ListClient"],
            users=args.list_clients, seconds=args.list_duration, server=server,
        )  # fmt: skip
        stop_server(server)
        figures["server_errors"] = log.read_text(errors="replace").count("Internal Server Error")
        figures["verdict"] = verdict(figures)
        if figures["server_errors"] or figures["verdict"] != "ok":
            lines = log.read_text(errors="replace").splitlines()
            # What the server said besides its access log.
            said = [line for line in lines if not line.startswith(f"{HOST} - ")]
            print("\n".join(said[-60:]), file=sys.stderr)
    if args.format == "json":
        print(json.dumps(figures, ensure_ascii=False))
    else:
        print(report(figures, args))
    return 0 if figures["verdict"] == "ok" else 1


def server_env(data_dir: Path, database_url: str | None) -> dict:
    env = {
        "BIHUAN_DATA_DIR": str(data_dir),
        "BIHUAN_ALLOWED_HOSTS": HOST,
        "BIHUAN_DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "bihuan.settings",
        # Every virtual user logs in from 127.0.0.1, like an office behind one NAT address, for
        # which docs/deploy.md says to raise the per-address login rate; here it is turned off.
        "BIHUAN_LOGIN_RATE_PER_MINUTE": "0",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def prepare(args) -> dict:
    """Migrate, build the ledger, pick the accounts; then leave the database to the server."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    from bihuan.bench.dataset import ledger_build
    from bihuan.bench.load import load_plan

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    ledger_build(measures=args.measures, now=timezone.now())
    with connection.cursor() as cursor:
        # What autovacuum, or SQLite's PRAGMA optimize after the first request, would do.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    share = {role: math.ceil(args.users * w / sum(WEIGHTS.values())) for role, w in WEIGHTS.items()}
    share["supervisor"] = max(share["supervisor"], args.list_clients)
    plan = load_plan(
        handlers=share["handler"], supervisors=share["supervisor"], leaders=share["leader"]
    )
    connections.close_all()
    say(
        f"{connection.vendor}: {args.measures:,} measures ready in {time.perf_counter() - started:.0f} s"
    )
    return plan


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(port: int, args, env: dict, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "bihuan.cli", "serve", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(args.workers), "--threads", str(args.threads)]
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and package
            command, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )


def wait_until_up(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bihuan serve stopped:\n{log.read_text(errors='replace')}")
        try:
            if requests.get(f"{base}/accounts/login/", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    raise SystemExit("bihuan serve did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown; locust has stopped
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def log_in(base: str, plan: dict) -> dict:
    """Every account through the login form, four at a time; each keeps its cookies."""
    from bihuan.bench.load import PASSWORD

    def one(account: dict) -> float:
        session = requests.Session()
        session.get(f"{base}/accounts/login/", timeout=30).raise_for_status()
        form = {
            "username": account["username"],
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        }
        started = time.perf_counter()
        answer = session.post(
            f"{base}/accounts/login/", data=form, allow_redirects=False, timeout=60
        )
        elapsed = (time.perf_counter() - started) * 1000
        if answer.status_code != 302 or "sessionid" not in session.cookies:
            raise SystemExit(f"login of {account['username']} refused: {answer.status_code}")
        account["cookies"] = {name: session.cookies[name] for name in ("sessionid", "csrftoken")}
        return elapsed

    accounts = [account for role in plan["accounts"].values() for account in role]
    plan["host"] = HOST
    with ThreadPoolExecutor(4) as pool:
        times = list(pool.map(one, accounts))
    return {
        "count": len(times),
        "p50_ms": round(statistics.median(times)),
        "max_ms": round(max(times)),
    }


def run_locust(
    base: str,
    plan_file: Path,
    prefix: Path,
    classes: list[str],
    *,
    users: int,
    seconds: int,
    server,
) -> dict:
    """Start all users at once, count from when they have all started (--reset-stats)."""
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", base]
    command += ["--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds + 1}s"]
    command += ["--reset-stats", "--stop-timeout", "10", "--csv", str(prefix), "--only-summary"]
    command += ["--loglevel", "WARNING", *classes]
    say(f"{users} × {'/'.join(classes)} for {seconds} s")
    env = {**os.environ, "BIHUAN_LOAD_PLAN": str(plan_file)}
    cpu_before = cpu_seconds(server)
    with open(f"{prefix}.log", "wb") as out:
        subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)  # noqa: S603
    cpu_after = cpu_seconds(server)
    cpu = {pid: seconds - cpu_before.get(pid, 0.0) for pid, seconds in cpu_after.items()}
    rows = _read_csv(f"{prefix}_stats.csv")
    pages = {row["Name"]: _figures(row) for row in rows if row["Name"] != "Aggregated"}
    total = _figures(next(row for row in rows if row["Name"] == "Aggregated"))
    failures = _read_csv(f"{prefix}_failures.csv")
    if failures:
        say("failures: " + json.dumps(failures, ensure_ascii=False)[:2000])
    # CPU time per request of the server and, on PostgreSQL, of the backends serving it: what a
    # request costs whatever else the machine runs (warm-up and stop included, so a little high).
    requests_done = max(total["requests"], 1)
    app = sum(seconds for pid, seconds in cpu.items() if pid > 0)
    database = sum(seconds for pid, seconds in cpu.items() if pid < 0)
    return {
        "users": users,
        "seconds": seconds,
        **total,
        "server_cpu_ms": round((app + database) * 1000 / requests_done, 1),
        "database_cpu_ms": round(database * 1000 / requests_done, 1),
        "pages": pages,
    }


def cpu_seconds(server: subprocess.Popen) -> dict[int, float]:
    """User and system CPU time so far of the server and its workers (by pid), and of the
    PostgreSQL backends connected to the scratch database (by minus their pid)."""
    times: dict[int, float] = {}
    root = psutil.Process(server.pid)
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            used = process.cpu_times()
            times[process.pid] = used.user + used.system
    for process in psutil.process_iter(["cmdline"]):
        title = " ".join(process.info["cmdline"] or ())
        if title.startswith("postgres:") and f" {SCRATCH_DATABASE} " in title:
            with contextlib.suppress(psutil.NoSuchProcess):
                used = process.cpu_times()
                times[-process.pid] = used.user + used.system
    return times


def _read_csv(path: str) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as rows:
        return list(csv.DictReader(rows))


def _figures(row: dict) -> dict:
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": round(float(row["Requests/s"]), 1),
        "p50_ms": _number(row["50%"]),
        "p95_ms": _number(row["95%"]),
    }


def _number(value: str) -> float:
    return float(value) if value not in ("", "N/A") else 0.0


def verdict(figures: dict) -> str:
    misses = []
    mixed, listed = figures["mixed"], figures["list"]
    if mixed["failures"] or mixed["requests"] == 0:
        misses.append(f"mixed: {mixed['failures']} failed of {mixed['requests']}")
    if listed["failures"] or listed["requests"] == 0:
        misses.append(f"list: {listed['failures']} failed of {listed['requests']}")
    if listed["rps"] < LIST_RPS_BUDGET:
        misses.append(f"list: {listed['rps']} req/s < {LIST_RPS_BUDGET:.0f}")
    if listed["p95_ms"] >= LIST_P95_BUDGET_MS:
        misses.append(f"list: p95 {listed['p95_ms']:.0f} ms ≥ {LIST_P95_BUDGET_MS:.0f}")
    if figures["server_errors"]:
        misses.append(f"{figures['server_errors']} server errors")
    return "; ".join(misses) or "ok"


def report(figures: dict, args) -> str:
    machine = figures["machine"]
    logins = figures["logins"]
    lines = [
        f"{figures['database']} — {figures['measures']:,} measures — {figures['server']} on {HOST}",
        f"machine: {machine['cpus']} CPUs, load average {machine['load_average']} before the runs",
        f"logins: {logins['count']} through the login form, median {logins['p50_ms']} ms, "
        f"slowest {logins['max_ms']} ms (PBKDF2 by design; before the clock starts)",
    ]
    titles = {
        "mixed": f"{args.users} users (handlers, supervisors, leaders 3:1:1), 1–3 s between clicks",
        "list": f"{args.list_clients} clients on the filtered ledger list, no pause",
    }
    for run in ("mixed", "list"):
        result = figures[run]
        lines += [
            "",
            f"{titles[run]}, {result['seconds']} s",
            f"{'request':<52}{'count':>7}{'fail':>6}{'p50 ms':>8}{'p95 ms':>8}{'req/s':>8}",
        ]
        for name, page in sorted(result["pages"].items()):
            lines.append(_line(name, page))
        lines.append(_line("all", result))
        of_which = (
            f" ({result['database_cpu_ms']} ms of it PostgreSQL's)"
            if result["database_cpu_ms"]
            else ""
        )
        lines.append(
            f"server CPU per request: {result['server_cpu_ms']} ms{of_which}, so about "
            f"{_capacity(result, figures):.0f} requests/s when its {figures['machine']['cpus']} "
            "cores have nothing else to do"
        )
    lines += [
        "",
        f"server errors (500): {figures['server_errors']}",
        f"verdict: {figures['verdict']}",
    ]
    return "\n".join(lines)


def _capacity(result: dict, figures: dict) -> float:
    cpu_ms = result["server_cpu_ms"]
    return figures["machine"]["cpus"] * 1000 / cpu_ms if cpu_ms else 0.0


def _line(name: str, page: dict) -> str:
    return (
        f"{name[:52]:<52}{page['requests']:>7}{page['failures']:>6}{page['p50_ms']:>8.0f}"
        f"{page['p95_ms']:>8.0f}{page['rps']:>8.1f}"
    )


if __name__ == "__main__":
    sys.exit(main())
