"""bihuan backup: an online backup of the database, the uploaded files and the secret key."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from bihuan.errors import DomainError

from ...services import backup_create, default_name


class Command(BaseCommand):
    help = (
        "在线备份（无须停止服务）：数据库、上传的文件和密钥，连同带校验和的清单，"
        "写入一个 .tar.gz 文件。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", help="备份文件（默认为当前目录下的 bihuan-backup-年月日-时分秒.tar.gz）"
        )

    def handle(self, *, out: str | None, **options):
        now = timezone.now()
        try:
            backup = backup_create(out=Path(out or default_name(now)), now=now)
        except DomainError as error:
            raise CommandError(error.message) from None
        manifest = backup.manifest
        self.stdout.write(f"已备份到 {backup.path}（{filesizeformat(backup.size)}）")
        self.stdout.write(f"  SHA-256：{backup.sha256}")
        self.stdout.write(f"  数据库：{manifest.vendor}；上传文件 {len(manifest.files)} 个")
        if manifest.has_secret_key:
            self.stdout.write("  密钥：已包含（备份文件须与数据同等保密）")
        else:
            self.stdout.write("  密钥：未包含（由环境变量 SECRET_KEY 提供，请另行保管）")
