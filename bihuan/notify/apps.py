from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "bihuan.notify"
    verbose_name = "通知与催办"
