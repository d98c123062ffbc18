"""bihuan deliver: the worker that sends queued e-mail and robot messages, retrying failures."""

import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from ...delivery import deliver_all_due


class Command(BaseCommand):
    help = (
        "发送排队中的邮件和群机器人消息，失败的按间隔加倍重试。默认一直运行（作为服务），"
        "每隔 --interval 秒查看一次；--once 发完当前到期的消息即退出（供 cron 使用）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="发送一轮后退出")
        parser.add_argument("--interval", type=float, default=10.0, help="查看间隔（秒），默认 10")

    def handle(self, *, once: bool, interval: float, **options):
        stop = threading.Event()
        if not once:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
            self.stdout.write(f"发送进程已启动，每 {interval:g} 秒查看一次（Ctrl-C 停止）。")
        while True:
            counts = deliver_all_due(now=timezone.now())
            if once or counts:
                self.stdout.write(
                    f"{timezone.localtime():%Y-%m-%d %H:%M:%S} 发送：成功 {counts.sent}，"
                    f"待重试 {counts.retrying}，失败 {counts.failed}。"
                )
            if once or stop.wait(interval):
                return
            # A long-lived worker drops a connection the database closed meanwhile.
            close_old_connections()
