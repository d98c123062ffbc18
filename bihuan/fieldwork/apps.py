from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "bihuan.fieldwork"
    verbose_name = "调研走访"
