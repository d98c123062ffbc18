"""Reading an archive trusts nothing in it: names, kinds, sizes and checksums are checked before
anything is written, and no archive makes the reader decompress more than its manifest lists."""

import re
import tarfile
import time

import pytest

from bihuan.backup.archive import read_archive
from bihuan.backup.manifest import BackupError

from .archives import archive, entry, header_only, manifest_of, write_tar_gz

DB = "database/bihuan.sqlite3"
MEMBERS = {
    DB: b"SQLite format 3\0" + bytes(range(256)) * 4,
    "secret_key": b"k" * 67,
    "files/evidence/2024/09/3f2a": b"%PDF-1.4\n" + b"x" * 300,
}
LIMIT = 2**30


@pytest.fixture
def into(tmp_path):
    target = tmp_path / "target" / "staging"
    target.mkdir(parents=True)
    return target


def nothing_written(into) -> bool:
    return not any(into.iterdir()) and not list(into.parent.parent.rglob("escape*"))


def test_a_sound_archive_is_checked_and_written_below_the_target(tmp_path, into):
    path = archive(tmp_path / "backup.tar.gz", MEMBERS)

    manifest = read_archive(path, max_bytes=LIMIT, into=into)

    assert [member.name for member in manifest.members] == list(MEMBERS)
    for name, data in MEMBERS.items():
        assert (into / name).read_bytes() == data


def test_a_changed_member_is_refused_by_its_checksum(tmp_path, into):
    changed = MEMBERS | {"secret_key": b"K" * 67}
    path = archive(tmp_path / "backup.tar.gz", changed, manifest_of(MEMBERS))

    with pytest.raises(BackupError, match="“secret_key”的校验和不符"):
        read_archive(path, max_bytes=LIMIT)


def test_a_truncated_archive_is_refused(tmp_path):
    path = archive(tmp_path / "backup.tar.gz", MEMBERS)
    path.write_bytes(path.read_bytes()[:-40])

    with pytest.raises(BackupError, match="备份文件损坏或不完整"):
        read_archive(path, max_bytes=LIMIT)


def test_a_file_that_is_not_an_archive_is_refused(tmp_path):
    path = tmp_path / "backup.tar.gz"
    path.write_bytes(b"PK\x03\x04 not a tar.gz")

    with pytest.raises(BackupError, match="备份文件损坏或不完整"):
        read_archive(path, max_bytes=LIMIT)


@pytest.mark.parametrize(
    "name",
    ["../escape", "files/../../escape", "/srv/escape", "files/..\\..\\escape", "database/escape"],
)
def test_a_listed_member_outside_the_backup_s_paths_is_refused(tmp_path, into, name):
    path = archive(tmp_path / "backup.tar.gz", MEMBERS | {name: b"owned"})

    with pytest.raises(BackupError, match="不允许的路径"):
        read_archive(path, max_bytes=LIMIT, into=into)
    assert nothing_written(into)


def test_an_unlisted_member_that_climbs_out_is_refused_before_it_is_written(tmp_path, into):
    entries = [entry("manifest.json", manifest_of(MEMBERS).to_json()), entry("../escape", b"x")]
    path = write_tar_gz(tmp_path / "backup.tar.gz", entries)

    with pytest.raises(BackupError, match=re.escape("不允许的路径“../escape”")):
        read_archive(path, max_bytes=LIMIT, into=into)
    assert nothing_written(into)


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.DIRTYPE])
def test_a_member_that_is_not_a_plain_file_is_refused(tmp_path, into, kind):
    entries = [
        entry("manifest.json", manifest_of(MEMBERS).to_json()),
        entry(DB, type=kind, linkname="/etc/passwd"),
    ]
    path = write_tar_gz(tmp_path / "backup.tar.gz", entries)

    with pytest.raises(BackupError, match="不是普通文件"):
        read_archive(path, max_bytes=LIMIT, into=into)
    assert nothing_written(into)


def test_a_member_the_manifest_does_not_list_is_refused(tmp_path):
    path = archive(
        tmp_path / "backup.tar.gz", MEMBERS | {"files/extra": b"x"}, manifest_of(MEMBERS)
    )

    with pytest.raises(BackupError, match="含有清单以外的内容"):
        read_archive(path, max_bytes=LIMIT)


def test_an_archive_without_its_manifest_first_is_refused(tmp_path):
    path = write_tar_gz(tmp_path / "backup.tar.gz", [entry(DB, MEMBERS[DB])])

    with pytest.raises(BackupError, match="开头没有清单"):
        read_archive(path, max_bytes=LIMIT)


def test_a_member_bigger_than_listed_is_refused_before_a_byte_of_it_is_read(tmp_path):
    path = header_only(tmp_path / "bomb.tar.gz", manifest_of({DB: b"tiny"}), DB, 50 * 2**30)
    started = time.monotonic()

    with pytest.raises(BackupError, match="与清单不符"):
        read_archive(path, max_bytes=LIMIT)
    assert time.monotonic() - started < 2


def test_contents_over_the_limit_are_refused_before_they_are_read(tmp_path):
    path = archive(tmp_path / "backup.tar.gz", MEMBERS)

    with pytest.raises(BackupError, match="超过恢复上限"):
        read_archive(path, max_bytes=1000)


def test_a_swollen_header_stops_the_reader_as_a_bomb(tmp_path):
    # 20 MB of PAX header compress to a few kilobytes; the reader gives headers 64 KB.
    swollen = entry(DB, MEMBERS[DB], pax_headers={"comment": "x" * 20_000_000})
    entries = [entry("manifest.json", manifest_of(MEMBERS).to_json()), swollen]
    path = write_tar_gz(tmp_path / "bomb.tar.gz", entries)

    with pytest.raises(BackupError, match="压缩炸弹"):
        read_archive(path, max_bytes=LIMIT)


def test_a_manifest_without_a_database_is_refused(tmp_path):
    members = {"secret_key": b"k"}
    path = archive(tmp_path / "backup.tar.gz", members)

    with pytest.raises(BackupError, match="没有数据库"):
        read_archive(path, max_bytes=LIMIT)
