"""`bihuan backup` and `bihuan restore` as an operator runs them: a summary when all is well, one
line on stderr, exit 1 and an untouched target when anything is wrong."""

import re
import shutil
import sqlite3

from .archives import archive, rewrite
from .conftest import Instance


def refusal(result) -> str:
    """The one stderr line of a refused command."""
    assert result.returncode == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_backup_without_out_writes_a_dated_archive_in_the_current_directory(live, tmp_path):
    result = live.bihuan("backup", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    (written,) = tmp_path.iterdir()
    assert re.fullmatch(r"bihuan-backup-\d{8}-\d{6}\.tar\.gz", written.name)
    assert written.stat().st_mode & 0o077 == 0
    assert f"已备份到 {written}" in result.stdout
    assert "密钥：已包含" in result.stdout


def test_backup_refuses_to_overwrite_an_archive(live, backup):
    before = backup.read_bytes()

    result = live.bihuan("backup", "--out", backup)

    assert "已存在，不会覆盖" in refusal(result)
    assert backup.read_bytes() == before


def test_restore_into_the_data_dir_it_names_prints_a_summary(backup, tmp_path):
    target = tmp_path / "restored"

    result = Instance(tmp_path / "unused").bihuan("restore", backup, "--data-dir", target)

    assert result.returncode == 0, result.stderr
    assert f"已从 {backup} 恢复到 {target}" in result.stdout
    assert "密钥：已恢复" in result.stdout
    assert "数据库迁移：无须执行" in result.stdout
    assert sorted(path.name for path in target.iterdir()) == [
        "bihuan.sqlite3",
        "files",
        "secret_key",
    ]
    assert not (tmp_path / "unused").exists()


def test_a_tampered_archive_is_refused_and_nothing_is_written(backup, tmp_path):
    def flip_a_byte(name: str, data: bytes) -> bytes:
        if name != "database/bihuan.sqlite3":
            return data
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]

    tampered = rewrite(backup, tmp_path / "tampered.tar.gz", member=flip_a_byte)
    target = Instance(tmp_path / "restored")

    result = target.bihuan("restore", tampered)

    assert "“database/bihuan.sqlite3”的校验和不符" in refusal(result)
    assert not target.data_dir.exists()


def test_a_truncated_archive_is_refused_and_nothing_is_written(backup, tmp_path):
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    target = Instance(tmp_path / "restored")

    result = target.bihuan("restore", truncated)

    assert "备份文件损坏或不完整" in refusal(result)
    assert not target.data_dir.exists()


def test_a_data_directory_with_anything_in_it_is_refused_and_left_alone(backup, tmp_path):
    target = Instance(tmp_path / "restored")
    target.data_dir.mkdir()
    (target.data_dir / "notes.txt").write_text("留着")

    result = target.bihuan("restore", backup)

    assert "不是空的" in refusal(result)
    assert [path.name for path in target.data_dir.iterdir()] == ["notes.txt"]


def test_an_archive_with_a_member_that_climbs_out_is_refused(tmp_path):
    hostile = archive(
        tmp_path / "hostile.tar.gz",
        {"database/bihuan.sqlite3": b"SQLite", "files/../../../escape": b"owned"},
    )
    target = Instance(tmp_path / "a" / "b" / "restored")

    result = target.bihuan("restore", hostile)

    assert "不允许的路径“files/../../../escape”" in refusal(result)
    assert not list(tmp_path.rglob("escape"))
    assert not target.data_dir.exists()


def test_a_backup_from_a_newer_bihuan_is_refused(backup, tmp_path):
    def with_a_future_migration(manifest: dict) -> dict:
        manifest["migrations"]["audit"].append("9999_future")
        return manifest

    newer = rewrite(backup, tmp_path / "newer.tar.gz", manifest=with_a_future_migration)
    target = Instance(tmp_path / "restored")

    result = target.bihuan("restore", newer)

    assert "audit.9999_future：请先升级闭环再恢复" in refusal(result)
    assert not target.data_dir.exists()


def test_a_backup_from_an_older_bihuan_is_migrated_after_it_is_restored(live, tmp_path):
    older = Instance(tmp_path / "older")
    shutil.copytree(live.data_dir, older.data_dir)
    assert older.bihuan("manage", "migrate", "audit", "0002").returncode == 0
    assert older.bihuan("backup", "--out", tmp_path / "older.tar.gz").returncode == 0
    target = Instance(tmp_path / "restored")

    result = target.bihuan("restore", tmp_path / "older.tar.gz")

    assert result.returncode == 0, result.stderr
    assert "数据库迁移：已执行 1 个" in result.stdout
    with sqlite3.connect(target.data_dir / "bihuan.sqlite3") as database:
        applied = database.execute(
            "select count(*) from django_migrations where app = 'audit' and name = ?",
            ["0003_backup_actions"],
        ).fetchone()
    assert applied == (1,)
    assert target.bihuan("audit", "verify").returncode == 0


# -- PostgreSQL --------------------------------------------------------------------------------


def test_a_postgresql_database_that_has_tables_is_refused(postgres_database, backup, tmp_path):
    url = postgres_database()
    used = Instance(tmp_path / "used", url)
    assert used.bihuan("manage", "migrate").returncode == 0
    pg_backup = tmp_path / "pg.tar.gz"
    assert used.bihuan("backup", "--out", pg_backup).returncode == 0
    target = Instance(tmp_path / "restored", url)

    result = target.bihuan("restore", pg_backup)

    assert "不是空库" in refusal(result)
    assert not target.data_dir.exists()


def test_a_sqlite_backup_is_not_restored_into_postgresql(postgres_database, backup, tmp_path):
    target = Instance(tmp_path / "restored", postgres_database())

    result = target.bihuan("restore", backup)

    assert "备份中的数据库是 sqlite，当前配置的是 postgresql" in refusal(result)
    assert not target.data_dir.exists()


def test_backup_without_pg_dump_says_so(postgres_database, tmp_path):
    instance = Instance(tmp_path / "data", postgres_database())

    result = instance.bihuan(
        "backup", "--out", tmp_path / "pg.tar.gz", env={"PATH": "/nonexistent"}
    )

    assert "找不到 pg_dump：请安装 PostgreSQL 客户端" in refusal(result)
    assert [path.name for path in tmp_path.iterdir()] == ["data"]
