"""bihuan serve: the production server, gunicorn in-process; whitenoise serves the static files."""

import socket
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from gunicorn.app.base import BaseApplication

from bihuan.cli import check_data_dir


class BihuanServer(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            # Settings a gunicorn release does not have (control_socket_disable is new) are skipped.
            if name in self.cfg.settings and value is not None:
                self.cfg.set(name, value)

    def load(self):
        from bihuan.wsgi import application

        return application


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise CommandError(
                f"无法在 {_bind(host, port)} 上监听：{error.strerror}（端口被占用时可用 --port 换一个）"
            ) from None


def check_database() -> None:
    """Refuse to serve a database that is missing or not migrated, with one clear line."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not Path(database["NAME"]).exists():
        raise CommandError(
            f"数据库 {database['NAME']} 不存在：请先运行 bihuan quickstart 或 bihuan manage migrate。"
        )
    try:
        executor = MigrationExecutor(connections["default"])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        raise CommandError(f"无法连接数据库：{str(error).strip().splitlines()[0]}") from None
    if pending:
        raise CommandError("数据库结构不是最新的：请先运行 bihuan manage migrate。")


def run_server(*, host: str, port: int, workers: int, threads: int = 4, quiet: bool = False):
    """Serve until SIGINT (Ctrl-C) or SIGTERM; gunicorn then exits the process with status 0."""
    check_port_free(host, port)
    # Workers are forked from this process: none may inherit an open database connection.
    connections.close_all()
    BihuanServer(
        {
            "bind": _bind(host, port),
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "timeout": 120,
            "graceful_timeout": 10,
            "preload_app": True,
            "proc_name": "bihuan",
            "accesslog": None if quiet else "-",
            "errorlog": "-",
            "loglevel": "warning" if quiet else "info",
            "control_socket_disable": True,
        }
    ).run()


class Command(BaseCommand):
    help = "启动生产服务器（gunicorn），按 Ctrl-C 或发送 SIGTERM 停止。"

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", help="数据目录（默认 ./bihuan-data）")
        parser.add_argument("--host", default="127.0.0.1", help="监听地址，默认 127.0.0.1")
        parser.add_argument("--port", type=int, default=8000, help="端口，默认 8000")
        parser.add_argument("--workers", type=int, default=2, help="工作进程数，默认 2")
        parser.add_argument("--threads", type=int, default=4, help="每个进程的线程数，默认 4")

    def handle(self, *, data_dir, host, port, workers, threads, **options):
        check_data_dir(data_dir)
        host = host.strip("[]")
        if workers < 1 or threads < 1:
            raise CommandError("--workers 和 --threads 至少为 1。")
        check_database()
        check_port_free(host, port)
        self.stdout.write(f"Bihuan 运行于 http://{_bind(host, port)}/ （按 Ctrl-C 停止）")
        self.stdout.flush()
        run_server(host=host, port=port, workers=workers, threads=threads)
