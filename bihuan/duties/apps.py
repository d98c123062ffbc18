from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "bihuan.duties"
    verbose_name = "村（社区）职责清单"
