"""`backup_create` and `backup_restore`: one Bihuan, its database, uploaded files and secret key,
into one archive and back into an empty data directory."""

import dataclasses
import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record

from .archive import file_digest, read_archive, write_archive
from .database import (
    check_empty,
    load,
    migrations_in_code,
    pending_migrations,
    snapshot,
    vendor_of,
)
from .manifest import DATABASE_MEMBERS, FILES, KEY_FILE, BackupError, Manifest, check_member_name

# Left alone when a data directory on its own file system is judged empty.
IGNORED_ENTRIES = {"lost+found"}


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: Manifest
    size: int
    sha256: str


@dataclass(frozen=True)
class Restore:
    data_dir: Path
    manifest: Manifest
    migrated: list[str]


def bihuan_version() -> str:
    try:
        return version("bihuan")
    except PackageNotFoundError:
        return "unknown"


def default_name(now: dt.datetime) -> str:
    return f"bihuan-backup-{timezone.localtime(now):%Y%m%d-%H%M%S}.tar.gz"


def backup_create(*, out: Path, now: dt.datetime) -> Backup:
    """Write the archive `out` while the application goes on writing; record it in the log."""
    out = out.absolute()
    media = Path(settings.MEDIA_ROOT).resolve()
    if out.exists():
        raise BackupError(f"{out} 已存在，不会覆盖。")
    if not out.parent.is_dir():
        raise BackupError(f"目录 {out.parent} 不存在。")
    if out.resolve().is_relative_to(media):
        raise BackupError(f"备份文件不能放在上传文件目录 {media} 之内。")
    database = settings.DATABASES["default"]
    vendor = vendor_of(database)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        dump = work / PurePosixPath(DATABASE_MEMBERS[vendor]).name
        migrations = snapshot(database, dump)
        sources = {DATABASE_MEMBERS[vendor]: dump}
        key = Path(settings.DATA_DIR) / KEY_FILE
        if key.is_file():
            sources[KEY_FILE] = key
        # Listed after the snapshot: every file a row of the copy names was written before it.
        sources |= uploaded_files(media)
        manifest = Manifest(
            bihuan_version=bihuan_version(),
            created_at=timezone.localtime(now).isoformat(),
            vendor=vendor,
            migrations=migrations,
            members=tuple(
                dataclasses.replace(file_digest(path), name=name) for name, path in sources.items()
            ),
        )
        partial = work / out.name
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        with os.fdopen(os.open(partial, flags, 0o600), "wb") as file:
            write_archive(file, manifest=manifest, sources=sources, mtime=now.timestamp())
            file.flush()
            os.fsync(file.fileno())
        written = file_digest(partial)
        os.replace(partial, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    audit_record(
        AuditAction.BACKUP,
        actor=None,
        object_type="backup",
        object_repr=out.name,
        now=now,
        changes={
            "file": str(out),
            "size": written.size,
            "sha256": written.sha256,
            "database": vendor,
            "files": len(manifest.files),
        },
    )
    return Backup(path=out, manifest=manifest, size=written.size, sha256=written.sha256)


def uploaded_files(media: Path) -> dict[str, Path]:
    """Every regular file under MEDIA_ROOT by its member name; links are not followed."""
    found = {}
    for folder, directories, names in os.walk(media):
        directories.sort()
        for name in sorted(names):
            path = Path(folder, name)
            if path.is_symlink() or not path.is_file():
                continue
            member = f"{FILES}/{path.relative_to(media).as_posix()}"
            check_member_name(member)
            found[member] = path
    return found


def backup_restore(*, archive: Path, now: dt.datetime, max_bytes: int) -> Restore:
    """Restore `archive` into the configured data directory and database, both empty.

    Every member is checked against the manifest before anything is written; then it is
    written into a staging directory, checked again, and moved into place.
    """
    data_dir = Path(settings.DATA_DIR)
    media = Path(settings.MEDIA_ROOT)
    database = settings.DATABASES["default"]
    _check_empty_dir(data_dir)
    manifest = read_archive(archive, max_bytes=max_bytes)
    vendor = vendor_of(database)
    if manifest.vendor != vendor:
        raise BackupError(
            f"备份中的数据库是 {manifest.vendor}，当前配置的是 {vendor}：请按备份时的数据库类型配置后再恢复。"
        )
    if newer := sorted(manifest.applied() - migrations_in_code()):
        app, name = newer[0]
        raise BackupError(
            f"备份来自更新的闭环版本（{manifest.bihuan_version}），有本版本没有的迁移 {app}.{name}："
            "请先升级闭环再恢复。"
        )
    check_empty(database)
    _check_space(data_dir, manifest.total_size)

    created_dir = not data_dir.exists()
    data_dir.mkdir(parents=True, exist_ok=True)
    placed: list[Path] = []
    staging = Path(tempfile.mkdtemp(prefix=".restoring-", dir=data_dir))
    try:
        read_archive(archive, max_bytes=max_bytes, into=staging)
        if manifest.has_secret_key:
            os.replace(staging / KEY_FILE, data_dir / KEY_FILE)
            placed.append(data_dir / KEY_FILE)
        if manifest.files:
            media.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(staging / FILES, media)
            placed.append(media)
        if vendor == "sqlite":
            placed.append(Path(database["NAME"]))
        # Last: once a PostgreSQL database is loaded there is no taking it back.
        load(database, staging.joinpath(*manifest.database_member.split("/")))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        _remove(placed)
        if created_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)

    migrated = [f"{app}.{name}" for app, name in pending_migrations()]
    if migrated:
        call_command("migrate", interactive=False, verbosity=0)
    audit_record(
        AuditAction.RESTORE,
        actor=None,
        object_type="backup",
        object_repr=archive.name,
        now=now,
        changes={
            "file": str(archive.absolute()),
            "created_at": manifest.created_at,
            "bihuan_version": manifest.bihuan_version,
            "database": manifest.vendor,
            "files": len(manifest.files),
            "migrated": migrated,
        },
    )
    return Restore(data_dir=data_dir, manifest=manifest, migrated=migrated)


def _check_empty_dir(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise BackupError(f"{path} 不是目录。")
    if path.is_dir() and any(entry.name not in IGNORED_ENTRIES for entry in path.iterdir()):
        raise BackupError(
            f"数据目录 {path} 不是空的：只能恢复到空目录（用 --data-dir 指定一个新目录）。"
        )


def _check_space(path: Path, needed: int) -> None:
    existing = next(parent for parent in [path, *path.parents] if parent.exists())
    free = shutil.disk_usage(existing).free
    if free < needed:
        raise BackupError(
            f"{existing} 所在磁盘剩余 {free // 2**20} MB，恢复需要 {-(-needed // 2**20)} MB。"
        )


def _remove(paths: list[Path]) -> None:
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
