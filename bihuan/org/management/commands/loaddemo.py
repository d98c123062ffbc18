"""bihuan loaddemo: load the demo county into an empty database."""

import os

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bihuan.cli import check_data_dir
from bihuan.demo import DEMO_PASSWORD, load_demo
from bihuan.org.models import Unit


def demo_password() -> str:
    return os.environ.get("BIHUAN_DEMO_PASSWORD") or DEMO_PASSWORD


class Command(BaseCommand):
    help = "向空库载入演示县“青山县”：单位、各角色账号、约200个问题及其整改措施。"

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", help="数据目录（默认 ./bihuan-data）")
        parser.add_argument(
            "--password", help="演示账号的密码（默认 BIHUAN_DEMO_PASSWORD 或 Bihuan@2024）"
        )
        parser.add_argument("--seed", type=int, default=2024, help="随机种子，相同种子数据相同")

    def handle(self, *, data_dir, password, seed, **options):
        check_data_dir(data_dir)
        if Unit.objects.exists():
            raise CommandError("数据库中已有单位，演示数据只能载入空库。")
        summary = load_demo(now=timezone.now(), password=password or demo_password(), seed=seed)
        self.stdout.write(
            f"已载入演示县“{summary.county}”：{summary.units} 个单位，{summary.users} 个账号，"
            f"{summary.problems} 个问题，{summary.measures} 条整改措施"
            f"（{summary.states_label()}）。"
        )
