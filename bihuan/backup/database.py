"""The database's part of a backup: a consistent copy taken while the application writes, and
its way back into an empty database."""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from .manifest import BackupError


def vendor_of(database: dict) -> str:
    engine = database["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"不支持备份此类数据库：{engine}。")


def snapshot(database: dict, into: Path) -> dict[str, list[str]]:
    """Copy the database to the file `into`; return the migrations applied in the copy."""
    if vendor_of(database) == "sqlite":
        return _sqlite_snapshot(Path(database["NAME"]), into)
    pg_dump = _tool("pg_dump")
    applied = _recorded_migrations()
    _run(pg_dump, "--format=custom", "--no-owner", f"--file={into}", database=database)
    return applied


def _sqlite_snapshot(source: Path, into: Path) -> dict[str, list[str]]:
    if not source.is_file():
        raise BackupError(f"数据库 {source} 不存在。")
    # One backup step copies every page inside a single read transaction: a consistent copy.
    # In WAL mode the writers go on meanwhile; a multi-step backup would restart on each write.
    with (
        closing(sqlite3.connect(source, timeout=30)) as live,
        closing(sqlite3.connect(into)) as copy,
    ):
        live.backup(copy)
        # The copy stands alone: no -wal file to travel with it.
        copy.execute("PRAGMA journal_mode=DELETE")
        (verdict,) = copy.execute("PRAGMA quick_check").fetchone()
        rows = copy.execute("SELECT app, name FROM django_migrations").fetchall()
    if verdict != "ok":
        raise BackupError(f"数据库副本未通过 SQLite 完整性检查：{verdict}")
    return _by_app(rows)


def _recorded_migrations() -> dict[str, list[str]]:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        return _by_app(cursor.fetchall())


def _by_app(rows) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(rows):
        applied.setdefault(app, []).append(name)
    return applied


def migrations_in_code() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def pending_migrations() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connections["default"])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [(migration.app_label, migration.name) for migration, _backwards in plan]


def check_empty(database: dict) -> None:
    """Refuse a target database that already holds anything."""
    if vendor_of(database) == "sqlite":
        path = Path(database["NAME"])
        if path.exists():
            raise BackupError(f"数据库文件 {path} 已存在：只能恢复到空的数据目录。")
        return
    with connections["default"].cursor() as cursor:
        tables = connections["default"].introspection.table_names(cursor)
    if tables:
        raise BackupError(
            f"数据库 {database['NAME']} 不是空库（已有 {len(tables)} 张表）：请新建一个空库再恢复。"
        )


def load(database: dict, dump: Path) -> None:
    """Put the copy at `dump` into the empty target database."""
    if vendor_of(database) == "sqlite":
        target = Path(database["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(dump, target)
        return
    pg_restore = _tool("pg_restore")
    connections["default"].close()
    _run(
        pg_restore,
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={database['NAME']}",
        str(dump),
        database=database,
    )


def _tool(name: str) -> str:
    program = shutil.which(name)
    if program is None:
        raise BackupError(
            f"找不到 {name}：请安装 PostgreSQL 客户端（如 apt-get install postgresql-client），"
            "版本不低于数据库服务器。"
        )
    return program


def _run(program: str, *args: str, database: dict) -> None:
    """Run a PostgreSQL client tool against `database`; the password goes by environment."""
    env = dict(os.environ)
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if database.get(key):
            env[variable] = str(database[key])
    if sslmode := database.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    result = subprocess.run(  # noqa: S603 - a fixed program and our own arguments
        [program, *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines() or [f"exit status {result.returncode}"]
        raise BackupError(f"{Path(program).name} 出错：{lines[0]}")
