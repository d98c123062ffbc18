from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "bihuan.supervision"
    verbose_name = "督查督办"
