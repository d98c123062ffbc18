from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "bihuan.reports"
    label = "reports"
    verbose_name = "统计与报表"
