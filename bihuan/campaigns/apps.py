from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "bihuan.campaigns"
    verbose_name = "专项活动"

    def ready(self) -> None:
        # A campaign is a period for rankings and reports (rankings.periods).
        from . import periods

        periods.register()
