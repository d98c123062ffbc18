"""bihuan bench: build a realistic ledger in a scratch database and time the busiest pages.

SQLite always (a temporary directory), and PostgreSQL too when --database or DATABASE_URL names
a PostgreSQL server: the figures go into a scratch database created there and dropped after.
"""

import json
import os
import subprocess
import sys
import tempfile

from django.core.management.base import BaseCommand, CommandError

from bihuan.bench.postgres import scratch_database
from bihuan.bench.run import FIGURES, table

DATABASES = ("sqlite", "postgresql")


class Command(BaseCommand):
    help = "在临时数据库中生成 N 条整改措施，测量台账、待办、问题详情、看板和接口列表的响应时间"
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--measures", type=int, default=100_000, help="措施条数（默认 100000）")
        parser.add_argument(
            "--repeat", type=int, default=20, help="每页预热后的测量次数（默认 20）"
        )
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument(
            "--database",
            default="",
            help="PostgreSQL 服务器，如 postgres://postgres@127.0.0.1:5432/（默认取 DATABASE_URL）；"
            "在其上新建并最后删除临时库 bihuan_bench",
        )
        parser.add_argument("--only", choices=DATABASES, help="只测这一种数据库")

    def handle(self, *args, measures, repeat, format, database, only, **options):
        if measures < 10 or repeat < 1:
            raise CommandError("--measures 至少 10，--repeat 至少 1")
        server = database or os.environ.get("DATABASE_URL", "")
        if database and not database.startswith(("postgres://", "postgresql://")):
            raise CommandError(f"--database 须是 PostgreSQL 地址（postgres://…）：{database}")
        if not server.startswith(("postgres://", "postgresql://")):
            server = ""
        targets = [name for name in DATABASES if only in (None, name)]
        if "postgresql" in targets and not server:
            if only == "postgresql":
                raise CommandError("--only postgresql 须用 --database 或 DATABASE_URL 指明服务器")
            targets.remove("postgresql")
        self.quiet = options["verbosity"] < 1
        results = {}
        for name in targets:
            if name == "sqlite":
                results[name] = self._child(measures, repeat, database_url=None)
            else:
                with scratch_database(server) as url:
                    results[name] = self._child(measures, repeat, database_url=url)
        if format == "json":
            shown = {
                database: {name: {k: page[k] for k in FIGURES} for name, page in pages.items()}
                for database, pages in results.items()
            }
            self.stdout.write(json.dumps(shown, ensure_ascii=False))
        else:
            self.stdout.write(table(results, measures=measures))

    def _child(self, measures: int, repeat: int, *, database_url: str | None) -> dict:
        """One database's figures, from a process whose settings name only that database."""
        with tempfile.TemporaryDirectory(prefix="bihuan-bench-") as data_dir:
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            env |= {
                "BIHUAN_DATA_DIR": data_dir,
                "BIHUAN_ALLOWED_HOSTS": "testserver",
                "BIHUAN_DEBUG": "false",
                "DJANGO_SETTINGS_MODULE": "bihuan.settings",
            }
            if database_url:
                env["DATABASE_URL"] = database_url
            command = [sys.executable, "-m", "bihuan.bench"]
            command += ["--measures", str(measures), "--repeat", str(repeat)]
            if self.quiet:
                command.append("--quiet")
            done = subprocess.run(  # noqa: S603 - our own interpreter and module
                command, env=env, stdout=subprocess.PIPE, text=True, check=False
            )
        if done.returncode != 0:
            raise CommandError(f"基准测试失败（退出码 {done.returncode}），见上方输出")
        return json.loads(done.stdout.strip().splitlines()[-1])
