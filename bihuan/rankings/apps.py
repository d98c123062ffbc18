from django.apps import AppConfig


class RankingsConfig(AppConfig):
    name = "bihuan.rankings"
    verbose_name = "排名通报"
