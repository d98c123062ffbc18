"""bihuan token USERNAME: issue a new API token; the token is the last line printed."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bihuan.org.models import ApiToken, User


class Command(BaseCommand):
    help = "为用户签发新的接口令牌（原令牌随即失效），令牌打印在最后一行。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")

    def handle(self, *, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在。")
        if not user.is_active:
            raise CommandError(f"用户“{username}”已停用，不能签发令牌。")
        key = ApiToken.issue(user=user, now=timezone.now())
        self.stdout.write(f"已为 {user}（{user.username}）签发新的接口令牌，原有令牌已失效。")
        self.stdout.write("调用接口时加请求头：Authorization: Bearer <令牌>")
        self.stdout.write(key)
