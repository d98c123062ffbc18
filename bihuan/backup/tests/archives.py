"""Archives made by hand, the way a damaged or hostile one would be."""

import gzip
import hashlib
import io
import tarfile
from collections.abc import Callable
from pathlib import Path

from bihuan.backup.manifest import Manifest, Member


def manifest_of(members: dict[str, bytes], **fields) -> Manifest:
    values = {
        "bihuan_version": "0.1.0",
        "created_at": "2024-09-23T09:00:00+08:00",
        "vendor": "sqlite",
        "migrations": {},
        "members": tuple(
            Member(name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest())
            for name, data in members.items()
        ),
    }
    return Manifest(**(values | fields))


def entry(name: str, data: bytes = b"", **attributes) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    for key, value in attributes.items():
        setattr(info, key, value)
    return info, data


def write_tar_gz(path: Path, entries: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for info, data in entries:
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return path


def archive(path: Path, members: dict[str, bytes], manifest: Manifest | None = None) -> Path:
    """A well-formed archive of `members`, under `manifest` if one is given."""
    manifest = manifest or manifest_of(members)
    entries = [entry("manifest.json", manifest.to_json())]
    entries += [entry(name, data) for name, data in members.items()]
    return write_tar_gz(path, entries)


def rewrite(
    source: Path,
    target: Path,
    *,
    manifest: Callable[[dict], dict] | None = None,
    member: Callable[[str, bytes], bytes] | None = None,
) -> Path:
    """A copy of a real archive with its manifest (as JSON) or members' contents changed."""
    import json

    entries = []
    with tarfile.open(source, "r:gz") as tar:
        for info in tar:
            data = tar.extractfile(info).read()
            if info.name == "manifest.json" and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif member:
                data = member(info.name, data)
            entries.append(entry(info.name, data))
    return write_tar_gz(target, entries)


def header_only(path: Path, manifest: Manifest, name: str, claimed: int) -> Path:
    """The manifest, then a member whose header claims `claimed` bytes that never follow."""
    with gzip.open(path, "wb") as file:
        document = manifest.to_json()
        info, _ = entry("manifest.json", document)
        file.write(info.tobuf(format=tarfile.PAX_FORMAT))
        file.write(document + b"\0" * (-len(document) % tarfile.BLOCKSIZE))
        info, _ = entry(name)
        info.size = claimed
        file.write(info.tobuf(format=tarfile.PAX_FORMAT))
        file.write(b"\0" * 4096)
    return path
