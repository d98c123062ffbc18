"""bihuan escalate: raise late 督办事项 to 蓝/黄/红 by the escalation rules (for cron or a timer)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bihuan.errors import DomainError
from bihuan.org.models import User

from ...models import Level, SupervisionItem
from ...services import escalate


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"“{text}”不是有效时间，应写成 2024-10-08 或 2024-10-08T08:30。"
        ) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = (
        "按督办升级规则，把逾期未办结的督办事项升级为蓝色、黄色或红色督办（只升不降），"
        "记入办理记录。以 --as 指定的督查员名义执行，只处理其交办范围内的事项。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="username", required=True, help="督查员账号")
        parser.add_argument("--now", help="按此时间计算（默认现在），如 2024-10-08")
        parser.add_argument("--dry-run", action="store_true", help="只列出将升级的事项，不写入")

    def handle(self, *, username: str, now: str | None, dry_run: bool, **options):
        try:
            user = User.objects.select_related("unit").get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"没有启用的账号“{username}”。") from None
        moment = _moment(now) if now else timezone.now()
        try:
            raised = escalate(
                items=SupervisionItem.objects.visible_to(user), by=user, now=moment, dry_run=dry_run
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        verb = "将升级" if dry_run else "已升级"
        for item, level in raised:
            self.stdout.write(
                f"{verb} #{item.pk} {item.title}（{item.owner_unit}）→ {Level(level).label}"
            )
        self.stdout.write(f"{verb} {len(raised)} 项。")
