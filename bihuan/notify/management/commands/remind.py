"""bihuan remind: one pass of scheduled reminders, then send what is due (for cron or a timer)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bihuan.workflow.models import load_calendar

from ...delivery import deliver_all_due
from ...models import Kind
from ...reminders import KINDS, remind


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"“{text}”不是有效时间，应写成 2024-09-27T08:30 或 2024-09-27 这样的格式。"
        ) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = (
        "发一轮定时提醒（到期前、逾期、签收超时、反馈超时），每人每项每天至多一次，"
        "休息日不发；随后发送到期的邮件和群机器人消息。可由 cron 或 systemd 定时器每天运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", help="按此时间计算（默认现在），如 2024-09-27T08:30")
        parser.add_argument("--no-deliver", action="store_true", help="只生成提醒，不发送")

    def handle(self, *, now: str | None, no_deliver: bool, **options):
        moment = _moment(now) if now else timezone.now()
        counts = remind(now=moment, calendar=load_calendar())
        day = timezone.localdate(moment)
        if counts.rest_day:
            self.stdout.write(f"{day:%Y-%m-%d} 是休息日，不发提醒。")
        else:
            found = "，".join(f"{Kind(kind).label} {counts.items[kind]} 项" for kind in KINDS)
            self.stdout.write(f"{day:%Y-%m-%d} 提醒：{found}；新通知 {counts.notifications} 条。")
        if not no_deliver:
            sent = deliver_all_due(now=timezone.now())
            self.stdout.write(
                f"发送：成功 {sent.sent}，待重试 {sent.retrying}，失败 {sent.failed}。"
            )
