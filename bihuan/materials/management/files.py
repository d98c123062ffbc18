"""Files named on the command line, for `bihuan library add` and `bihuan dupcheck`: a folder's
files recursively, each read into text or refused with one Chinese reason."""

from collections.abc import Iterator
from pathlib import Path

from bihuan.errors import DomainError
from bihuan.text.read import DEFAULT_MAX_BYTES, MaterialFileError, read_material


def files_under(paths: list[str]) -> Iterator[tuple[Path, str]]:
    """(file, name to show) for each path, a directory's files recursively in name order
    (hidden ones left out), the name relative to the directory; a path that is no directory
    comes out as it is, to be refused when read."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in file.relative_to(path).parts):
                    yield file, str(file.relative_to(path))
        else:
            yield path, path.name


def read_file(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(DEFAULT_MAX_BYTES + 1)  # one byte over is refused as too large
    except FileNotFoundError:
        raise DomainError("找不到文件。") from None
    except IsADirectoryError:
        raise DomainError("这是一个目录，不是文件。") from None
    except OSError as error:
        raise DomainError(f"无法读取：{error.strerror or error}。") from None


def read_text(path: Path) -> str:
    """The text of the file at `path`, as the reader gives it (raw: not yet normalised)."""
    data = read_file(path)
    try:
        return read_material(data, filename=path.name).text
    except MaterialFileError as error:
        raise DomainError(error.message) from None
