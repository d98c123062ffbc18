"""bihuan restore: a backup back into an empty data directory (and an empty PostgreSQL database)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from bihuan.cli import check_data_dir
from bihuan.errors import DomainError

from ...services import backup_restore


class Command(BaseCommand):
    help = (
        "从备份文件恢复到空的数据目录（PostgreSQL 还须是空库）：先核对清单中每个文件的校验和，"
        "全部无误才写入；备份来自旧版本时随后执行数据库迁移。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="bihuan backup 写出的 .tar.gz 文件")
        parser.add_argument(
            "--data-dir", help="恢复到的数据目录，须为空或不存在（默认 ./bihuan-data）"
        )
        parser.add_argument(
            "--max-gb", type=float, default=200, help="备份内容总大小的上限（GB），默认 200"
        )

    def handle(self, *, file: str, data_dir: str | None, max_gb: float, **options):
        check_data_dir(data_dir)
        now = timezone.now()
        try:
            restored = backup_restore(archive=Path(file), now=now, max_bytes=int(max_gb * 1024**3))
        except DomainError as error:
            raise CommandError(error.message) from None
        manifest = restored.manifest
        files = manifest.files
        self.stdout.write(f"已从 {file} 恢复到 {restored.data_dir}")
        self.stdout.write(
            f"  备份时间：{manifest.created_at}（闭环 {manifest.bihuan_version}，{manifest.vendor}）"
        )
        self.stdout.write(
            f"  上传文件：{len(files)} 个，{filesizeformat(sum(member.size for member in files))}"
        )
        if manifest.has_secret_key:
            self.stdout.write("  密钥：已恢复")
        else:
            self.stdout.write("  密钥：备份中没有，请用环境变量 SECRET_KEY 提供原来的密钥")
        if restored.migrated:
            self.stdout.write(f"  数据库迁移：已执行 {len(restored.migrated)} 个（备份来自旧版本）")
        else:
            self.stdout.write("  数据库迁移：无须执行")
        self.stdout.write("  请运行 bihuan audit verify 校验审计日志。")
