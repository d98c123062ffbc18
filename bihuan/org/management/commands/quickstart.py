"""bihuan quickstart: from nothing to a running Bihuan with the demo county, in one command."""

import os
import time
import unicodedata

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.models import Prefetch
from django.utils import timezone

from bihuan.cli import check_data_dir
from bihuan.demo import DEMO_PASSWORD, DEMO_USERNAMES, load_demo
from bihuan.org.models import Role, RoleGrant, Unit, User
from bihuan.org.passwords import temporary_password
from bihuan.org.services import user_create

from .loaddemo import demo_password
from .serve import check_port_free, run_server

HOST = "127.0.0.1"
ADMIN = "admin"
# Shown in full; the other handlers are listed by username only.
FEATURED = ("ducha", "lingdao", "chengguan", "wenshu", "ganbu", "secadmin", "auditadmin")


def _pad(text: str, width: int) -> str:
    """Left-justify by display width: a Chinese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - used, 1)


class Command(BaseCommand):
    help = (
        "首次试用：建数据目录、迁移、载入演示县、创建 admin 账号，然后启动服务（按 Ctrl-C 停止）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", help="数据目录（默认 ./bihuan-data）")
        parser.add_argument("--port", type=int, default=8000, help="端口，默认 8000")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")

    def handle(self, *, data_dir, port, no_serve, **options):
        check_data_dir(data_dir)
        if not no_serve:
            check_port_free(HOST, port)
        now = timezone.now()
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"数据目录：{settings.DATA_DIR}")
        fresh = not Unit.objects.exists()
        if fresh:
            started = time.monotonic()
            summary = load_demo(now=now, password=demo_password())
            self.stdout.write(
                f"已载入演示县“{summary.county}”：{summary.units} 个单位，{summary.problems} 个问题，"
                f"{summary.measures} 条整改措施（{summary.states_label()}），"
                f"用时 {time.monotonic() - started:.1f} 秒。"
            )
        else:
            self.stdout.write("沿用已有数据，未重新载入演示数据。")
        self._admin()
        self._accounts(fresh=fresh)
        url = f"http://{HOST}:{port}/"
        self.stdout.write(f"地址：{url}    登录页：{url}accounts/login/")
        if no_serve:
            self.stdout.write(
                f"启动服务：bihuan --data-dir {settings.DATA_DIR} serve --port {port}"
            )
            return
        self.stdout.write("按 Ctrl-C 停止。")
        self.stdout.flush()
        run_server(host=HOST, port=port, workers=2, quiet=True)

    def _admin(self) -> None:
        """The system admin account: sees units and accounts, no business data (三员分立)."""
        password = os.environ.get("BIHUAN_ADMIN_PASSWORD", "")
        admin = User.objects.filter(username=ADMIN).first()
        if admin is None:
            top = Unit.objects.filter(parent=None).order_by("order", "pk").first()
            chosen = password or temporary_password()
            user_create(
                username=ADMIN,
                name="系统管理员",
                unit=top,
                roles=[Role.SYSTEM_ADMIN],
                password=chosen,
                # A printed password is an initial one; one the operator chose is theirs.
                must_change_password=not password,
            )
            shown = (
                "来自 BIHUAN_ADMIN_PASSWORD"
                if password
                else f"{chosen}（随机生成，首次登录后须修改）"
            )
            self.stdout.write(f"系统管理员：{ADMIN}  密码：{shown}")
        elif password:
            admin.set_password(password)
            admin.must_change_password = False
            admin.save(update_fields=["password", "must_change_password"])
            self.stdout.write(f"系统管理员：{ADMIN}  密码已按 BIHUAN_ADMIN_PASSWORD 重新设置")
        else:
            self.stdout.write(f"系统管理员：{ADMIN}  （已存在，密码未改动）")

    def _accounts(self, *, fresh: bool) -> None:
        users = {
            user.username: user
            for user in User.objects.filter(username__in=DEMO_USERNAMES, is_active=True)
            .select_related("unit")
            .prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.order_by("pk")))
        }
        if not users:
            return
        password = demo_password() if fresh else f"首次载入时设置，默认 {DEMO_PASSWORD}"
        self.stdout.write(f"演示账号（密码：{password}）：")
        for username in FEATURED:
            if user := users.get(username):
                roles = "、".join(Role(grant.role).label for grant in user.role_grants.all())
                line = _pad(username, 12) + _pad(user.name, 12) + _pad(roles, 12)
                self.stdout.write(f"  {line}{user.unit}")
        others = [name for name in DEMO_USERNAMES if name in users and name not in FEATURED]
        if others:
            self.stdout.write(f"  其他承办人：{' '.join(others)}")
