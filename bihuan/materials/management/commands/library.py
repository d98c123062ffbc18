"""bihuan library add DIR|FILE… | list | remove ID…: the 查重 reference library."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bihuan.errors import DomainError
from bihuan.materials.library import reference_add, reference_remove
from bihuan.materials.management.files import files_under, read_text
from bihuan.materials.models import ReferenceText


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
        for path, name in files_under(paths):
            try:
                reference, new = reference_add(
                    text=read_text(path), name=path.stem, source_name=source or name, now=now
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
