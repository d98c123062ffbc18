from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "bihuan.api"
    label = "api"
    verbose_name = "接口"
