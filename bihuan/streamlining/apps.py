from django.apps import AppConfig


class StreamliningConfig(AppConfig):
    name = "bihuan.streamlining"
    verbose_name = "精文减会"
