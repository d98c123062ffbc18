"""The archive: a .tar.gz whose first member is the manifest, then every member it lists.

Reading trusts nothing in the archive: names are checked before anything is written, every
member must be the next one the manifest lists with the size it lists, and the decompressed
stream may not run past the manifest's sizes plus a little room for the tar headers, so a
crafted archive can neither write outside the target nor make the reader decompress more than
the manifest admitted to.
"""

import gzip
import hashlib
import io
import os
import tarfile
import zlib
from collections.abc import Mapping
from pathlib import Path

from .manifest import MANIFEST, BackupError, Manifest, Member, check_member_name

CHUNK = 1024 * 1024
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 1_000_000
# Room for one member's tar headers (ustar, pax and long-name records).
HEADER_ROOM = 64 * 1024
DAMAGED = "备份文件损坏或不完整（可能未传输完或被改动），未恢复任何内容"


def file_digest(path: Path) -> Member:
    """Size and SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return Member(name="", size=size, sha256=digest.hexdigest())


class _Counted:
    """Reads exactly `size` bytes of `file`, hashing them; short reads come back short."""

    def __init__(self, file, size: int) -> None:
        self.file = file
        self.left = size
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.file.read(size)
        self.left -= len(data)
        self.digest.update(data)
        return data


def write_archive(file, *, manifest: Manifest, sources: Mapping[str, Path], mtime: float) -> None:
    """Write the archive to the open binary `file`: the manifest, then each member from its
    source, checked against the manifest's checksum as it is written."""
    with tarfile.open(fileobj=file, mode="w:gz", compresslevel=6) as tar:
        document = manifest.to_json()
        tar.addfile(_info(MANIFEST, len(document), mtime), io.BytesIO(document))
        for member in manifest.members:
            changed = BackupError(f"“{member.name}”在备份过程中被改动或删除，请重新备份。")
            try:
                source = sources[member.name].open("rb")
            except FileNotFoundError:
                raise changed from None
            with source:
                reader = _Counted(source, member.size)
                try:
                    tar.addfile(_info(member.name, member.size, mtime), reader)
                except OSError:
                    # tarfile's "unexpected end of data": the file shrank since it was hashed.
                    if reader.left == 0:
                        raise
                if reader.left or reader.digest.hexdigest() != member.sha256:
                    raise changed


def _info(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o600
    return info


class _Limited:
    """The decompressed stream, refusing to yield more than `limit` bytes in all."""

    def __init__(self, file, limit: int) -> None:
        self.file = file
        self.limit = limit
        self.used = 0

    def read(self, size: int = -1) -> bytes:
        room = self.limit - self.used
        size = min(CHUNK if size < 0 else size, room + 1)
        data = self.file.read(size)
        self.used += len(data)
        if self.used > self.limit:
            raise BackupError(f"{DAMAGED}：内容比清单所列的多（疑为压缩炸弹）。")
        return data


def read_archive(path: Path, *, max_bytes: int, into: Path | None = None) -> Manifest:
    """Check every member of the archive at `path` against its manifest and return it.

    With `into`, each member is also written below that directory (which must exist and be
    empty); the caller removes it if this raises. Without, nothing is written anywhere.
    """
    try:
        raw = path.open("rb")
    except OSError as error:
        raise BackupError(f"无法读取备份文件 {path}：{error.strerror}。") from None
    try:
        with raw, gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
            stream = _Limited(unzipped, MANIFEST_MAX_BYTES + HEADER_ROOM)
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                return _read_members(tar, stream, max_bytes=max_bytes, into=into)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile):
        raise BackupError(f"{DAMAGED}。") from None


def _read_members(tar: tarfile.TarFile, stream: _Limited, *, max_bytes: int, into) -> Manifest:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isreg():
        raise BackupError("不是闭环的备份文件：开头没有清单（manifest.json）。")
    if first.size > MANIFEST_MAX_BYTES:
        raise BackupError(f"{DAMAGED}：清单过大。")
    manifest = Manifest.from_json(_content(tar, first))
    # From here on the stream may hold only the listed members and their headers.
    stream.limit = stream.used + HEADER_ROOM
    if len(manifest.members) > MAX_MEMBERS:
        raise BackupError(
            f"备份文件含 {len(manifest.members)} 个文件，超过 {MAX_MEMBERS} 个的上限。"
        )
    if manifest.total_size > max_bytes:
        raise BackupError(
            f"备份内容共 {manifest.total_size} 字节，超过恢复上限 {max_bytes} 字节"
            "（确属正常时用 --max-gb 放宽）。"
        )
    for expected in manifest.members:
        info = tar.next()
        if info is None:
            raise BackupError(f"{DAMAGED}：缺少“{expected.name}”。")
        check_member_name(info.name)
        if not info.isreg():
            raise BackupError(f"备份文件中的“{info.name}”不是普通文件，已拒绝恢复。")
        if info.name != expected.name or info.size != expected.size:
            raise BackupError(f"{DAMAGED}：“{info.name}”与清单不符。")
        stream.limit += _blocks(info.size) + HEADER_ROOM
        digest = _copy(tar, info, into)
        if digest != expected.sha256:
            raise BackupError(f"{DAMAGED}：“{info.name}”的校验和不符。")
    if tar.next() is not None:
        raise BackupError(f"{DAMAGED}：含有清单以外的内容。")
    return manifest


def _blocks(size: int) -> int:
    return -(-size // tarfile.BLOCKSIZE) * tarfile.BLOCKSIZE


def _content(tar: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    source = tar.extractfile(info)
    data = source.read() if source else b""
    if len(data) != info.size:
        raise BackupError(f"{DAMAGED}。")
    return data


def _copy(tar: tarfile.TarFile, info: tarfile.TarInfo, into: Path | None) -> str:
    """The member's SHA-256, writing it below `into` when given (never following a link)."""
    source = tar.extractfile(info)
    digest = hashlib.sha256()
    size = 0
    path = into.joinpath(*info.name.split("/")) if into is not None else None
    target = _create(path) if path is not None else None
    try:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if target is not None:
                _on_disk(target.write, chunk, path=path)
    finally:
        if target is not None:
            _on_disk(target.close, path=path)
    if size != info.size:
        raise BackupError(f"{DAMAGED}：“{info.name}”不完整。")
    return digest.hexdigest()


def _create(path: Path):
    _on_disk(lambda: path.parent.mkdir(parents=True, exist_ok=True), path=path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    return os.fdopen(_on_disk(os.open, path, flags, 0o600, path=path), "wb")


def _on_disk(operation, *args, path: Path):
    """`operation(*args)`, a failure of the disk (full, read-only) told in one line."""
    try:
        return operation(*args)
    except OSError as error:
        raise BackupError(f"无法写入 {path}：{error.strerror}。") from None
