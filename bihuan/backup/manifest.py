"""The manifest: what a backup holds, with the size and SHA-256 of every member.

It is the archive's first member, so a restore knows every size before it reads any content.
"""

import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from bihuan.errors import DomainError

FORMAT = "bihuan-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
KEY_FILE = "secret_key"
FILES = "files"
DATABASE_MEMBERS = {"sqlite": "database/bihuan.sqlite3", "postgresql": "database/bihuan.pgdump"}

_SHA256 = re.compile(r"[0-9a-f]{64}")


class BackupError(DomainError):
    """A backup that cannot be made, or an archive that must not be restored."""


@dataclass(frozen=True)
class Member:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    bihuan_version: str
    created_at: str
    vendor: str
    migrations: dict[str, list[str]]
    members: tuple[Member, ...]

    @property
    def database_member(self) -> str:
        return DATABASE_MEMBERS[self.vendor]

    @property
    def has_secret_key(self) -> bool:
        return any(member.name == KEY_FILE for member in self.members)

    @property
    def files(self) -> list[Member]:
        return [member for member in self.members if member.name.startswith(f"{FILES}/")]

    @property
    def total_size(self) -> int:
        return sum(member.size for member in self.members)

    def applied(self) -> set[tuple[str, str]]:
        return {(app, name) for app, names in self.migrations.items() for name in names}

    def to_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "bihuan_version": self.bihuan_version,
            "created_at": self.created_at,
            "database": {"vendor": self.vendor, "member": self.database_member},
            "migrations": self.migrations,
            "members": [{"name": m.name, "size": m.size, "sha256": m.sha256} for m in self.members],
        }
        return json.dumps(document, ensure_ascii=False, indent=1).encode()

    @classmethod
    def from_json(cls, data: bytes) -> "Manifest":
        """The manifest of an archive, refused unless every field is what a backup writes."""
        try:
            document = json.loads(data)
            if document["format"] != FORMAT or document["format_version"] != FORMAT_VERSION:
                raise BackupError("不是闭环的备份文件，或备份格式的版本不受支持。")
            vendor = document["database"]["vendor"]
            members = tuple(
                Member(name=item["name"], size=item["size"], sha256=item["sha256"])
                for item in document["members"]
            )
            manifest = cls(
                bihuan_version=str(document["bihuan_version"]),
                created_at=str(document["created_at"]),
                vendor=vendor,
                migrations={
                    str(app): [str(name) for name in names]
                    for app, names in document["migrations"].items()
                },
                members=members,
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BackupError("备份文件的清单（manifest.json）损坏。") from None
        manifest._check()
        return manifest

    def _check(self) -> None:
        if self.vendor not in DATABASE_MEMBERS:
            raise BackupError(f"备份清单中的数据库类型“{self.vendor}”不受支持。")
        names = [member.name for member in self.members]
        if len(set(names)) != len(names):
            raise BackupError("备份清单中有重复的文件。")
        if self.database_member not in names:
            raise BackupError("备份清单中没有数据库。")
        for member in self.members:
            check_member_name(member.name)
            if not (type(member.size) is int and member.size >= 0):
                raise BackupError(f"备份清单中“{member.name}”的大小无效。")
            if not (isinstance(member.sha256, str) and _SHA256.fullmatch(member.sha256)):
                raise BackupError(f"备份清单中“{member.name}”的校验和无效。")


def check_member_name(name: str) -> PurePosixPath:
    """A member's path, refused unless it is one a backup writes: nothing absolute, no `..`,
    nothing outside the database, the secret key and the uploaded files."""
    unsafe = (
        not isinstance(name, str)
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or any(part in {"", ".", ".."} for part in name.split("/"))
    )
    path = PurePosixPath(name if not unsafe else "")
    known = not unsafe and (
        name in {KEY_FILE, *DATABASE_MEMBERS.values()}
        or (len(path.parts) > 1 and path.parts[0] == FILES)
    )
    if unsafe or not known:
        raise BackupError(f"备份文件含有不允许的路径“{name}”，已拒绝恢复。")
    return path
