"""bihuan library add DIR|FILE… | list | remove ID…: the 查重 reference library."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bihuan.errors import DomainError
from bihuan.materials.library import reference_add, reference_remove
from bihuan.materials.models import ReferenceText
from bihuan.text.read import DEFAULT_MAX_BYTES, MaterialFileError, read_material


def _files(paths: list[str]):
    """(file, name to show) for each path, a directory's files recursively in name order;
    a path that does not exist comes out as it is, to be refused."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in file.relative_to(path).parts):
                    yield file, str(file.relative_to(path))
        else:
            yield path, path.name


def _read(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(DEFAULT_MAX_BYTES + 1)  # one byte over is refused as too large
    except FileNotFoundError:
        raise DomainError("找不到文件。") from None
    except OSError as error:
        raise DomainError(f"无法读取：{error.strerror or error}。") from None
    try:
        return read_material(data, filename=path.name).text
    except MaterialFileError as error:
        raise DomainError(error.message) from None


class Command(BaseCommand):
    help = "查重参考库：加入（文件或目录）、列出、移出已知的模板网站文本。"

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="add|list|remove")
        add = commands.add_parser("add", help="加入文件，目录则递归加入其中所有文件")
        add.add_argument("paths", nargs="+", metavar="DIR|FILE")
        add.add_argument("--source", default="", help="来源（如网站名称），默认为文件名")
        commands.add_parser("list", help="列出库中文本")
        remove = commands.add_parser("remove", help="按编号移出")
        remove.add_argument("ids", nargs="+", type=int, metavar="ID")

    def handle(self, *, action: str, **options):
        getattr(self, f"_{action}")(**options)

    def _add(self, *, paths: list[str], source: str, **_):
        now = timezone.now()
        added = known = failed = 0
        for path, name in _files(paths):
            try:
                reference, new = reference_add(
                    text=_read(path), name=path.stem, source_name=source or name, now=now
                )
            except DomainError as error:
                self.stderr.write(f"{path}: {error.message}")
                failed += 1
                continue
            added, known = added + new, known + (not new)
            if not new:
                self.stdout.write(f"{path}: 已在库中（编号 {reference.pk}）")
        self.stdout.write(f"加入 {added} 篇，已在库中 {known} 篇，失败 {failed} 个文件。")
        if failed:
            raise CommandError(f"{failed} 个文件未能加入。")

    def _list(self, **_):
        references = ReferenceText.objects.active()
        for reference in references:
            self.stdout.write(
                f"{reference.pk}\t{reference.title}\t{reference.source_name}\t"
                f"{len(reference.clean_text)} 字\t{timezone.localtime(reference.added_at):%Y-%m-%d}"
            )
        self.stdout.write(f"共 {len(references)} 篇。")

    def _remove(self, *, ids: list[int], **_):
        now = timezone.now()
        references = ReferenceText.objects.active().in_bulk(ids)
        for pk in ids:
            if pk in references:
                reference_remove(reference=references[pk], now=now)
                self.stdout.write(f"已移出 {pk}：{references[pk].title}")
            else:
                self.stderr.write(f"{pk}: 库中没有这个编号。")
        missing = len(set(ids) - references.keys())
        if missing:
            raise CommandError(f"{missing} 个编号不在库中。")
