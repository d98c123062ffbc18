from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth.signals import user_logged_in


class OrgConfig(AppConfig):
    name = "bihuan.org"
    label = "org"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from .sessions import note_login
        from .totp import required_roles

        # A mistyped role would otherwise quietly require TOTP of nobody.
        required_roles(settings.BIHUAN_TOTP_REQUIRED)
        user_logged_in.connect(note_login, dispatch_uid="bihuan.org.note_login")
