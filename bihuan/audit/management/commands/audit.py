"""bihuan audit verify|export|prune: the audit log from the command line."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bihuan.errors import DomainError

from ...chain import audit_prune, audit_verify
from ...exporting import csv_lines
from ...forms import local_midnight
from ...models import AuditAction, AuditEntry
from ...services import audit_record


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"“{text}”不是有效日期，应写成 2024-01-31 这样的格式。") from None


class Command(BaseCommand):
    help = (
        "审计日志：verify 校验哈希链（发现篡改时指出第一处并以状态 1 退出）；"
        "export --out 文件.csv [--since 日期] 导出；prune --before 日期 清理保留期以前的记录。"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="verify|export|prune")
        actions.add_parser("verify", help="校验审计日志的哈希链")
        exporting = actions.add_parser("export", help="导出审计日志为 CSV")
        exporting.add_argument("--out", required=True, help="输出文件，如 audit.csv")
        exporting.add_argument("--since", help="只导出该日期（含）以后的记录，如 2024-01-01")
        pruning = actions.add_parser("prune", help="删除某日期以前、已过保留期的记录")
        pruning.add_argument("--before", required=True, help="删除该日期以前的记录，如 2024-01-01")

    def handle(self, *, action: str, **options):
        try:
            if action == "verify":
                self._verify()
            elif action == "export":
                self._export(out=options["out"], since=options["since"])
            else:
                self._prune(before=options["before"])
        except DomainError as error:
            raise CommandError(error.message) from None

    def _verify(self) -> None:
        verdict = audit_verify()
        audit_record(
            AuditAction.VERIFY,
            actor=None,
            object_type="audit.auditentry",
            changes={"ok": verdict.ok, "count": verdict.count, "result": str(verdict)},
        )
        if not verdict.ok:
            raise CommandError(str(verdict), returncode=1)
        self.stdout.write(str(verdict))

    def _export(self, *, out: str, since: str | None) -> None:
        path = Path(out)
        if path.suffix.lower() != ".csv":
            raise CommandError(f"导出文件应以 .csv 结尾，而不是“{path.name}”。")
        if not path.parent.is_dir():
            raise CommandError(f"目录 {path.parent} 不存在。")
        start = local_midnight(_date(since)) if since else None
        entries = AuditEntry.objects.matching(since=start)
        rows = 0
        partial = path.with_name(f".{path.name}.part")
        try:
            with partial.open("w", encoding="utf-8", newline="") as file:
                for line in csv_lines(entries):
                    file.write(line)
                    rows += 1
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        # The BOM and the header are lines too.
        rows = max(rows - 2, 0)
        audit_record(
            AuditAction.EXPORT,
            actor=None,
            object_type="audit.auditentry",
            changes={"filters": {"since": start}, "rows": rows, "file": path.name},
        )
        self.stdout.write(f"已导出 {rows} 条审计日志到 {path}。")

    def _prune(self, *, before: str) -> None:
        now = timezone.now()
        removed = audit_prune(before=local_midnight(_date(before)), now=now)
        self.stdout.write(f"已清理 {before} 以前的审计日志 {removed} 条。")
